// procmem.js - memory of a browser as the operating system sees it: the
// proportional set size (PSS, shared pages split among their users) summed
// over every process descending from a root pid, read from /proc on Linux.
// Pages opened from file:// are not cross-origin isolated, so
// performance.measureUserAgentSpecificMemory() is not available to them;
// the processes' own memory is what a patient's PC has to give anyway.
'use strict';
const fs = require('fs');

function children(pid) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync('/proc/' + d + '/stat', 'latin1');
      // Field 4 (ppid) follows the command name in parentheses.
      const ppid = +stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (ppid === pid) out.push(+d);
    } catch (e) { /* the process ended meanwhile */ }
  }
  return out;
}

function descendants(pid) {
  const all = [];
  for (let todo = children(pid); todo.length;) {
    const p = todo.shift();
    all.push(p);
    todo.push(...children(p));
  }
  return all;
}

// kB of PSS of one process, 0 when it is gone or unreadable.
function pssKb(pid) {
  try {
    const t = fs.readFileSync('/proc/' + pid + '/smaps_rollup', 'latin1');
    const m = /^Pss:\s+(\d+) kB/m.exec(t);
    return m ? +m[1] : 0;
  } catch (e) {
    return 0;
  }
}

// MB of PSS of every process below `root` (default: this node process,
// whose children are the browsers playwright started).
function treePssMb(root) {
  const pids = descendants(root || process.pid);
  return pids.reduce((s, p) => s + pssKb(p), 0) / 1024;
}

module.exports = { treePssMb, descendants };
