// pg_signin.mjs - pg-throttle (issue 14): what the sign-in throttle kept
// in the database costs a sign-in on PostgreSQL, beside a peer build
// (the one before, whose throttle was in each process's memory).
//
// For each build: a throwaway cluster of its own (tests/pg/multi_lib.mjs,
// fsync and synchronous commit on), one instance with the demo, then
// sign-ins through the API, one at a time, each from an address of its
// own (X-Forwarded-For, so the per-address limit never decides):
//   right password     an account with no recent failures (20)
//   first failure      an email with no recent failures (20, each new)
//   later failure      the second to fourth failure of an email (3 x 10)
//   right after fail   a right password one failure after a wrong one
//                      (10; the wrong ones are not counted here)
// Printed per kind: statements sent to the database per sign-in (BEGIN
// and COMMIT included), their time per sign-in, and the round trip's
// p50 (mostly the argon2id hash). A benchmark prints; it asserts nothing.
//
// Usage: HELHED_BIN=build/helhed HELHED_PEER_BIN=/path/to/old/helhed \
//        node bench/pg_signin.mjs
import { Setup, http, now, sleep } from '../tests/pg/multi_lib.mjs';

const OURS = process.env.HELHED_BIN || 'build/helhed';
const PEER = process.env.HELHED_PEER_BIN || '';

let addr = 0;
function from() {
  addr++;
  return { 'X-Forwarded-For': `10.77.${Math.floor(addr / 250)}.${1 + (addr % 250)}` };
}

async function metrics(base) {
  const r = await http(base, 'GET', '/metrics');
  const get = (name) => Number((r.text.match(new RegExp(`^${name} (\\S+)$`, 'm')) || [])[1] || NaN);
  return { n: get('helhed_db_query_seconds_count'), s: get('helhed_db_query_seconds_sum') };
}

function p50(v) {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

async function signIn(base, email, password) {
  const r = await http(base, 'POST', '/api/v1/session', { body: { email, password }, headers: from(), deadline: 30000 });
  return r;
}

// Runs the sign-ins of fn (which returns the round trips it counts,
// after calling measure() around each counted one) and the statements
// and seconds spent in the database by them.
let overhead = 0; // statements one /metrics request sends

async function kind(base, fn) {
  const out = { n: 0, s: 0, ms: [] };
  const measure = async (email, password, want) => {
    const m0 = await metrics(base);
    const t0 = now();
    const r = await signIn(base, email, password);
    out.ms.push(now() - t0);
    const m1 = await metrics(base);
    out.n += m1.n - m0.n - overhead;
    out.s += m1.s - m0.s;
    if (r.status !== want) throw new Error(`${email}: ${r.status}, not ${want}`);
  };
  await fn(measure);
  const k = out.ms.length;
  return { stmts: out.n / k, dbms: (out.s / k) * 1000, p50: p50(out.ms), k };
}

async function run(bin) {
  const s = new Setup();
  try {
    s.startCluster();
    const A = await s.startInstance(0, { bin });
    const base = A.base;
    // /metrics reads the database too: what one call sends is measured
    // (two calls in a row sending the same) once the start's own work
    // (the demo import, the index) is over, and taken off each figure
    for (let tries = 0; tries < 120; tries++) {
      const a = await metrics(base);
      const b = await metrics(base);
      const c = await metrics(base);
      overhead = c.n - b.n;
      if (b.n - a.n === overhead) break;
      await sleep(500);
    }
    const res = {};
    res['right password'] = await kind(base, async (m) => {
      for (let i = 0; i < 20; i++) await m('leder@nordskov.demo', 'demo-leder', 201);
    });
    res['first failure'] = await kind(base, async (m) => {
      for (let i = 0; i < 20; i++) await m(`first${i}@nordskov.demo`, 'forkert', 401);
    });
    res['later failure (2nd-4th)'] = await kind(base, async (m) => {
      for (let i = 0; i < 10; i++) {
        await signIn(base, `later${i}@nordskov.demo`, 'forkert');
        for (let j = 0; j < 3; j++) await m(`later${i}@nordskov.demo`, 'forkert', 401);
      }
    });
    res['right after a failure'] = await kind(base, async (m) => {
      for (let i = 0; i < 10; i++) {
        await signIn(base, 'sagsbehandler@nordskov.demo', 'forkert');
        await m('sagsbehandler@nordskov.demo', 'demo-sagsbehandler', 201);
      }
    });
    res.idle = overhead;
    return res;
  } finally {
    s.stop();
  }
}

const ours = await run(OURS);
const peer = PEER ? await run(PEER) : null;
const f = (x, d = 1) => (x === undefined ? '-' : x.toFixed(d)).padStart(9);
console.log(`${'sign-in'.padEnd(26)} ${'stmts'.padStart(9)} ${'db ms'.padStart(9)} ${'p50 ms'.padStart(9)}   | peer: ${'stmts'.padStart(9)} ${'db ms'.padStart(9)} ${'p50 ms'.padStart(9)}`);
for (const k of Object.keys(ours).filter((x) => x !== 'idle')) {
  const o = ours[k];
  const p = peer?.[k] || {};
  console.log(`${k.padEnd(26)} ${f(o.stmts)} ${f(o.dbms, 2)} ${f(o.p50)}   |       ${f(p.stmts)} ${f(p.dbms, 2)} ${f(p.p50)}`);
}
console.log(`# ours: ${OURS}; peer: ${PEER || '(none)'}; PostgreSQL with fsync and synchronous_commit on`);
console.log(`# statements of one /metrics request, taken off: ours ${ours.idle}, peer ${peer ? peer.idle : '-'}; anything else the instance sends meanwhile (the listener's mark every 2 s) is counted in`);
