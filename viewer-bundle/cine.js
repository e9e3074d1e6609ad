/* cine.js - plays the current series as a loop (BIR 5.9: play, pause,
 * frame rate). A frame that is not decoded yet holds the loop instead of
 * being skipped, so a doctor never sees a jump in the sequence. */
(function (PDV) {
  'use strict';

  var cine = PDV.cine = { playing: false, fps: 10 };
  var timer = null;

  function tick() {
    timer = null;
    if (!cine.playing) return;
    var view = PDV.view, n = PDV.ui.imageCount();
    if (n < 2) return cine.stop();
    var next = (view.index + 1) % n;
    var f = PDV.store.getFrame(view.key, next);
    if (f) PDV.ui.showIndex(next);
    else PDV.store.want(view.key, next);
    timer = setTimeout(tick, 1000 / cine.fps);
  }

  cine.play = function () {
    if (cine.playing) return;
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
