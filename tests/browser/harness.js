/* harness.js - the small runner the browser tests share: named checks
 * that pass, fail or skip (TAP-like lines), their tally, and the summary
 * line the e2e scripts read. */
'use strict';

class Skip extends Error {}

function expect(cond, detail) {
  if (!cond) throw new Error(detail || 'expectation failed');
}

function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => {
    t = setTimeout(() => rej(new Error(what + ': timeout')), ms);
  })]).finally(() => clearTimeout(t));
}

// prefix goes before every check's name ("lite: "); PDV_TIMES=1 adds the
// seconds since start.
function create(prefix) {
  const tally = { passed: 0, failed: 0, skipped: 0 };
  const t0 = Date.now();
  function log(status, name, detail) {
    if (process.env.PDV_TIMES) name = '[' + ((Date.now() - t0) / 1000).toFixed(1) + 's] ' + name;
    console.log(status + ' - ' + (prefix || '') + name + (detail ? ': ' + detail : ''));
  }
  function fail(name, detail) {
    tally.failed++;
    log('FAIL', name, detail);
  }
  async function check(name, fn) {
    try {
      const note = await fn();
      tally.passed++;
      log('ok', name, typeof note === 'string' ? note : '');
    } catch (e) {
      if (!(e instanceof Skip)) return fail(name, e.message);
      tally.skipped++;
      log('skip', name, e.message);
    }
  }
  // Prints "[lead]N passed, N failed[, N skipped]" and exits 1 on a failure.
  function finish(lead) {
    console.log((lead || '') + tally.passed + ' passed, ' + tally.failed + ' failed' +
      (tally.skipped ? ', ' + tally.skipped + ' skipped' : ''));
    process.exit(tally.failed ? 1 : 0);
  }
  return { log, fail, check, finish };
}

module.exports = { Skip, expect, withTimeout, create };
