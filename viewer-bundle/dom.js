/* dom.js - the small DOM builder every part of the viewer uses:
 * h('button', {class: 'x', onclick: f}, ['text', node]). Attributes that
 * are null, undefined or false are left out; on* keys become listeners. */
(function (PDV) {
  'use strict';

  PDV.h = function (tag, attrs, kids) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k.slice(0, 2) === 'on') n.addEventListener(k.slice(2), v);
      else if (k === 'text') n.textContent = v;
      else n.setAttribute(k, v === true ? '' : v);
    });
    (kids || []).forEach(function (c) {
      if (c !== null && c !== undefined)
        n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return n;
  };

  // A toolbar/banner button whose title doubles as its accessible name.
  PDV.button = function (label, title, onclick, extra) {
    var a = { type: 'button', class: 'pdv-btn', title: title, 'aria-label': title, onclick: onclick };
    Object.keys(extra || {}).forEach(function (k) { a[k] = extra[k]; });
    return PDV.h('button', a, [label]);
  };
})(window.PDV);
