/* cine.js - plays the active viewport's series as a loop (BIR 5.9: play,
 * pause, frame rate). A frame that is not decoded yet holds the loop
 * instead of being skipped, so a doctor never sees a jump in the sequence;
 * a linked second viewport follows through compare.js. */
(function (PDV) {
  'use strict';

  var cine = PDV.cine = { playing: false, fps: 10 };
  var timer = null, vp = null;

  function tick() {
    timer = null;
    if (!cine.playing) return;
    var n = PDV.ui.imageCount(vp);
    if (n < 2) return cine.stop();
    var next = (vp.view.index + 1) % n;
    if (PDV.cache.has(vp.view.key, next)) PDV.ui.showIndex(next, vp);
    else PDV.cache.request(vp.view.key, next, function () {});
    timer = setTimeout(tick, 1000 / cine.fps);
  }

  cine.play = function () {
    if (cine.playing) return;
    vp = PDV.vps.active;
    cine.playing = true;
    PDV.emit('cine', true);
    tick();
  };

  cine.stop = function () {
    if (!cine.playing) return;
    cine.playing = false;
    if (timer) clearTimeout(timer);
    timer = null;
    PDV.emit('cine', false);
  };

  cine.toggle = function () {
    if (cine.playing) cine.stop();
    else cine.play();
  };

  cine.setFps = function (fps) {
    cine.fps = Math.max(1, Math.min(60, fps || 10));
  };

  PDV.on('series', function () { cine.stop(); });
})(window.PDV);
