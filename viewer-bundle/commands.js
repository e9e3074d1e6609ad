/* commands.js - every user action in one table, shared by the toolbar and
 * the keyboard so the two cannot drift apart, and the keyboard itself.
 * Letters pick a tool (BIR 5.13) or act (invert, reset, cine...); the
 * arrow keys do what the active tool does: scroll images, change the
 * window, zoom, pan, or move the measuring cursor (Enter places a point).
 * panels.js shows the same table as help. */
(function (PDV) {
  'use strict';

  var render = PDV.render, tools = PDV.tools, vps = PDV.vps, measure = PDV.measure;
  var cmd = PDV.commands = {};

  function vp() { return vps.active; }

  cmd.reset = function () {
    var v = vp().view;
    if (v.key) delete v.windows[v.key];
    v.invert = false;
    v.fit = true;
    measure.clear();
    PDV.ui.draw(vp());
    PDV.emit('window', vp());
  };

  cmd.invert = function () {
    vp().view.invert = !vp().view.invert;
    PDV.ui.draw(vp());
  };

  cmd.fit = function () {
    vp().view.fit = true;
    PDV.ui.draw(vp());
  };

  // n-th preset (1-based) of the active image's list (presets.js).
  cmd.preset = function (n) {
    var cur = render.current(vp());
    if (!cur || !cur.frame || cur.frame.kind === 'error') return;
    var p = PDV.presets(cur.series, cur.image)[n - 1];
    if (!p) return;
    var w = p.auto ? render.autoWindow(cur.series, cur.image, cur.frame) : [p.c, p.w];
    tools.setWindow(w[0], w[1]);
  };

  cmd.otherViewport = function () {
    var o = vps.other(vp());
    if (!o) return;
    vps.setActive(o);
    o.ovl.focus();
  };

  // Enter: the next point of a measurement at the keyboard cursor.
  cmd.place = function () {
    var kind = tools.measuring();
    if (kind) measure.placeAtCursor(vp(), kind);
  };

  // Tools: [name, label, key, help]
  cmd.TOOLS = [['scroll', 'Scroll', 'S', 'scroll through images'],
    ['window', 'Window', 'W', 'window: drag right = wider, up = lower centre'],
    ['zoom', 'Zoom', 'Z', 'zoom: drag up = larger'], ['pan', 'Pan', 'P', 'move the image'],
    ['measure', 'Length', 'M', 'distance in mm (also D): drag, or two clicks'],
    ['angle', 'Angle', 'A', 'angle in degrees: three clicks, the middle one is the vertex']];

  // --- arrow keys per tool ------------------------------------------------------

  function arrows(dx, dy, big) {
    var s = big ? 10 : 1, t = tools.active;
    if (t === 'window') return tools.nudgeWindow(dy * s, dx * s);
    if (t === 'zoom') return tools.zoomBy(Math.pow(1.1, (dx - dy) * s));
    if (t === 'pan') return tools.panBy(dx * 10 * s, dy * 10 * s);
    if (tools.measuring()) return measure.moveCursor(vp(), dx * s, dy * s);
    PDV.ui.step((dx || dy) * s);
  }

  // key -> action; keys are KeyboardEvent.key values, letters lower case.
  var KEYS = cmd.keys = {
    ArrowUp: function (e) { arrows(0, -1, e.shiftKey); },
    ArrowDown: function (e) { arrows(0, 1, e.shiftKey); },
    ArrowLeft: function (e) { arrows(-1, 0, e.shiftKey); },
    ArrowRight: function (e) { arrows(1, 0, e.shiftKey); },
    ',': function () { PDV.ui.step(-1); }, '.': function () { PDV.ui.step(1); },
    PageUp: function () { PDV.ui.stepSeries(-1); }, PageDown: function () { PDV.ui.stepSeries(1); },
    Home: function () { PDV.ui.showIndex(0); }, End: function () { PDV.ui.showIndex(1e9); },
    '+': function () { tools.zoomBy(1.25); }, '=': function () { tools.zoomBy(1.25); },
    '-': function () { tools.zoomBy(0.8); }, r: cmd.reset, i: cmd.invert, f: cmd.fit,
    '1': function () { tools.setZoom(1); },
    d: function () { tools.setTool('measure'); },
    x: function () { PDV.later(function () { PDV.compare.toggle(); }); }, v: cmd.otherViewport,
    l: function () { PDV.later(function () { PDV.compare.setLinked(!PDV.compare.linked); }); },
    c: function () { PDV.cine.toggle(); }, t: function () { PDV.panels.toggle('tags'); },
    e: function () { PDV.panels.toggle('report'); }, o: function () { PDV.ui.toggleOverlay(); },
    h: function () { PDV.panels.toggle('help'); }, '?': function () { PDV.panels.toggle('help'); },
    Enter: cmd.place, ' ': cmd.place,
    Escape: function () { measure.cancel(); PDV.cine.stop(); PDV.panels.close(); }
  };
  cmd.TOOLS.forEach(function (t) {
    KEYS[t[2].toLowerCase()] = function () { tools.setTool(t[0]); };
  });

  // What the help panel lists, in this order: [keys, what they do].
  cmd.HELP = [
    ['Arrow keys', 'what the active tool does: Scroll: previous / next image; Window: ' +
      'Left / Right narrower / wider, Up / Down lower / higher centre; Zoom: Up / Right in, ' +
      'Down / Left out; Pan: move the image; Length, Angle: move the cross, Enter places a point'],
    ['Shift + arrow keys', 'the same in steps of 10'],
    [', and . (also the wheel)', 'previous / next image, whatever the tool'],
    ['Page Up / Page Down', 'previous / next series'], ['Home / End', 'first / last image'],
    ['S W Z P M (or D) A', 'tool: scroll, window, zoom, pan, length, angle'],
    ['Shift + 1 \u2026 9', 'window preset 1 \u2026 9 of the list (also Tab to the list, then arrow keys)'],
    ['Right mouse drag', 'window: right = wider, up = lower centre'],
    ['Middle mouse drag', 'pan'], ['Ctrl + wheel, + / -', 'zoom'],
    ['F, 1', 'fit to window, 1:1'], ['R', 'reset window, zoom, pan, measurements'],
    ['I', 'invert'], ['X', 'compare: two series side by side'],
    ['V', 'switch to the other viewport'],
    ['L', 'link / unlink scrolling of the two viewports (same frame of reference only)'],
    ['C', 'cine play / pause'], ['T', 'DICOM tags'], ['E', 'reports'],
    ['O', 'annotations and orientation letters on / off'], ['H or ?', 'this help'],
    ['Esc', 'cancel a measurement, stop cine, close panel'],
    ['Touch: one finger', 'active tool'], ['Touch: two fingers', 'pinch to zoom, move to pan']
  ];

  function typing(e) {
    var t = e.target, tag = t && t.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
    if (tag === 'INPUT' && !/^(range|button|checkbox)$/.test(t.type)) return true;
    // The slider handles its own arrow keys.
    return tag === 'INPUT' && t.type === 'range' && /^Arrow|^Page|^Home|^End/.test(e.key);
  }

  // Enter and Space on a button press that button, not the measuring tool.
  function onControl(e) {
    var t = e.target;
    return (e.key === 'Enter' || e.key === ' ') && t && /^(BUTTON|A|INPUT|SUMMARY)$/.test(t.tagName);
  }

  // Shift+digit picks a preset by the physical key (layout independent).
  function presetKey(e) {
    var m = /^Digit([1-9])$/.exec(e.code || '');
    return e.shiftKey && m ? +m[1] : 0;
  }

  document.addEventListener('keydown', function (e) {
    var k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (e.ctrlKey || e.metaKey || e.altKey || (k !== 'Escape' && typing(e)) || onControl(e)) return;
    var n = presetKey(e);
    if (n) {
      e.preventDefault();
      return cmd.preset(n);
    }
    var fn = KEYS[k];
    if (!fn) return;
    if (k === 'Escape' && !PDV.panels.isOpen() && !PDV.cine.playing && !measure.pendingCount()) return;
    e.preventDefault();
    fn(e);
  });
})(window.PDV);
