// multi.mjs - pg-multi (issue 14, points 3 and 4): three helhed instances
// on one PostgreSQL database behind HAProxy, checked through HAProxy and
// directly; Digital Post sent by their three postmen (each message in one
// spool), a print batch made by three runs at once (each letter in one
// PDF), an instance killed with kill -9 while it holds claims; then with
// faults: PostgreSQL taken away and back under load, and an instance
// killed with kill -9 under load.
//
// It starts everything itself (tests/pg/multi_lib.mjs: a throwaway
// cluster of its own, since it stops it; the instances; HAProxy on
// loopback) and prints "ok N - what" or "not ok N - what" per check, then
// "multi: N passed, N failed" for scripts/run-tests.sh. Nothing waits a
// fixed time for something to happen: each wait polls with a deadline.
//
// Usage: node tests/pg/multi.mjs   (HELHED_BIN: the program, default
// build/helhed; HELHED_MULTI_KEEP=1 keeps the folder with the logs)
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Setup, http, psql, now, staffLogin, citizenLogin, uniqueWord, writeArticle, finds, pollFinds, sleep, PG_BIN } from './multi_lib.mjs';

// The budget of issue 14: a write on one instance found on another.
const VISIBLE_MS = Number(process.env.HELHED_MULTI_VISIBLE_MS || 1000);

let passed = 0;
let failed = 0;
let n = 0;
function check(ok, what, detail = '') {
  n++;
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${what}${detail ? ` (${detail})` : ''}`);
  return ok;
}

const storskrald = {
  case_type: 'storskrald-afhentning',
  values: { adresse: 'Skovbrynet 14, 4100 Nordskov', genstande: 'sofa og to stole', antal: 3,
    hvidevarer: 'nej', placering: 'skel' },
};

// Submits a case as citizen c through base with key; the response.
function submit(base, c, key, note = '') {
  const body = { ...storskrald, values: { ...storskrald.values, genstande: `sofa og to stole ${note}`.trim() } };
  return http(base, 'POST', '/api/v1/cases', { cookie: c.cookie, csrf: c.csrf, body, headers: key ? { 'Idempotency-Key': key } : {} });
}

// Waits until every instance's /readyz is 200 (or budget ms); the ms.
async function allReady(s, budget) {
  const t0 = now();
  for (;;) {
    const rs = await Promise.all(s.instances.filter((x) => !x.killed).map((x) => http(x.base, 'GET', '/readyz', { deadline: 3000 })));
    if (rs.every((r) => r.status === 200)) return now() - t0;
    if (now() - t0 > budget) return -1;
    await sleep(50);
  }
}

// Writers under load: `workers` loops submitting cases through the bases
// in turn, each with its own key, until stopped. Every answer is kept.
function load(bases, citizen, workers) {
  const st = { stop: false, answers: [], acked: [] };
  let seq = 0;
  st.done = Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (!st.stop) {
      const base = bases[(seq++) % bases.length];
      const key = `load-${process.pid}-${w}-${seq}-${Math.random().toString(36).slice(2)}`;
      const r = await submit(base, citizen, key, key);
      st.answers.push({ status: r.status, type: r.type, code: r.json?.code, ms: r.ms, base, error: r.error });
      if (r.status === 201 || r.status === 200) st.acked.push(r.json.id);
      if (r.status !== 201) await sleep(20); // a refused write is not retried at full speed
    }
  }));
  return st;
}

// How many of ids are cases in the database.
function casesThere(url, ids) {
  if (!ids.length) return 0;
  return Number(psql(url, `SELECT count(*) FROM cases WHERE id IN (${ids.join(',')})`)[0][0]);
}

// ---- Digital Post on several instances (docs/digital-post.md, "Several
// instances: claiming") ----

const run = promisify(execFile);

// psql without blocking the event loop (requests go on meanwhile).
async function psqlAsync(url, sql) {
  const { stdout } = await run(join(PG_BIN, 'psql'), [url, '-XAtq', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { timeout: 30000 });
  return stdout.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

// Refusal letters ready to send, one per marker: a storskrald case of
// citizen c (its "genstande" ends with the marker, which the letter
// quotes) submitted through bases in turn, and a draft refusing it by
// caseworker w. [{caseId, letterId, marker}].
async function draftLetters(bases, c, w, markers) {
  const out = [];
  for (let i = 0; i < markers.length; i += 10) {
    out.push(...await Promise.all(markers.slice(i, i + 10).map(async (m, j) => {
      const base = bases[(i + j) % bases.length];
      const sub = await unlessBusy(() => submit(base, c, `${m}-${process.pid}`, m));
      if (sub.status !== 201) throw new Error(`case ${m}: ${sub.status} ${sub.text}`);
      const d = await unlessBusy(() => http(base, 'POST', `/api/v1/cases/${sub.json.id}/letters`, {
        cookie: w.cookie, csrf: w.csrf,
        body: { decision: 'rejected', justification: 'Det, du har bestilt afhentning af, er ikke storskrald.' },
      }));
      if (d.status !== 201) throw new Error(`letter on case ${sub.json.id}: ${d.status} ${d.text}`);
      return { caseId: sub.json.id, letterId: d.json.id, marker: m };
    })));
  }
  return out;
}

// The answer of request(), made again after its Retry-After while it is
// 503 `busy` (the store's serialization retries ran out: sends, drafts
// and the postmen's claims contend for the same rows), as a client does,
// up to 5 times; busy.n counts them.
async function unlessBusy(request, busy = { n: 0 }) {
  for (let i = 0; ; i++) {
    const r = await request();
    if (r.status !== 503 || r.json?.code !== 'busy' || i === 5) return r;
    busy.n++;
    await sleep(1000 * Number(r.headers.get('retry-after') || 1));
  }
}

// Sends draft l (version 1) through base: it queues its message.
function sendLetter(base, w, l, busy = { n: 0 }) {
  return unlessBusy(() => http(base, 'POST', `/api/v1/letters/${l.letterId}/send`, {
    cookie: w.cookie, csrf: w.csrf, headers: { 'If-Match': '"1"' }, body: {}, deadline: 30000,
  }), busy);
}

// The messages of letters (by letter id): [{uuid, state, channel, next}].
function messagesOf(url, letters) {
  if (!letters.length) return [];
  return psql(url, `SELECT message_id, state, coalesce(channel, ''), next_attempt_at FROM messages
    WHERE letter_id IN (${letters.map((l) => Number(l.letterId)).join(',')})`)
    .map(([uuid, state, channel, next]) => ({ uuid, state, channel, next: Number(next) }));
}

// Polls until want(messages of letters) or budget ms; the last messages.
async function waitMessages(url, letters, want, budget) {
  const t0 = now();
  for (;;) {
    const ms = messagesOf(url, letters);
    if (want(ms) || now() - t0 > budget) return ms;
    await sleep(100);
  }
}

const isSent = (m) => m.state === 'sent' || m.state === 'delivered';

// Where each MeMo file is: uuid -> the names of the instances whose spool
// (out/, or sent/ had an integration picked it up) has it.
function spooled(s) {
  const where = new Map();
  for (const x of s.instances) {
    for (const sub of ['out', 'sent']) {
      const dir = join(x.spool, sub);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir)) {
        if (f.startsWith('.') || !f.endsWith('.xml')) continue;
        const u = f.slice(0, -4);
        if (!where.has(u)) where.set(u, []);
        where.get(u).push(x.name);
      }
    }
  }
  return where;
}

// "A 20, B 25, C 15": how many of uuids each instance's spool has.
function spoolShare(s, where, uuids) {
  return s.instances.map((x) => `${x.name} ${uuids.filter((u) => (where.get(u) || []).includes(x.name)).length}`).join(', ');
}

async function main() {
  const s = new Setup();
  try {
    s.startCluster();
    // A first (it migrates and imports the demo), then B and C together
    const A = await s.startInstance(0);
    let [B, C] = await Promise.all([s.startInstance(1), s.startInstance(2)]); // C is started again after its kill -9 in the Digital Post checks
    const hp = await s.startHaproxy();
    const url = s.url;

    // ---- several instances, one truth (point 3) ----
    check((await allReady(s, 20000)) >= 0, 'every instance is ready (/readyz 200)');
    const lb = await Promise.all([1, 2, 3, 4, 5, 6].map(() => http(hp.base, 'GET', '/readyz')));
    check(lb.every((r) => r.status === 200), 'HAProxy answers /readyz from its instances');

    // a staff session made on A works on B and C, and through HAProxy
    const editor = await staffLogin(A.base, 'redaktoer@nordskov.demo', 'demo-redaktoer');
    const seen = await Promise.all([B, C].map((x) => http(x.base, 'GET', '/api/v1/session', { cookie: editor.cookie })));
    check(seen.every((r) => r.status === 200 && r.json?.email === 'redaktoer@nordskov.demo'),
      'a staff session made on A is signed in on B and C', seen.map((r) => r.status).join(','));
    const viaLb = await Promise.all([1, 2, 3].map(() => http(hp.base, 'GET', '/api/v1/session', { cookie: editor.cookie })));
    check(viaLb.every((r) => r.status === 200), 'and through HAProxy, whichever instance answers');

    // the sign-in throttle per account is the database's (pg-throttle):
    // wrong passwords spread over A, B and C lock the account at the same
    // count as on one instance, and then the right one is refused
    // everywhere, through HAProxy too
    {
      const failuresUntilLocked = async (bases, email) => {
        for (let fails = 0; fails < 20; fails++) {
          const base = bases[fails % bases.length];
          const r = await http(base, 'POST', '/api/v1/session', { body: { email, password: 'forkert' }, deadline: 30000 });
          if (r.status === 429) return fails;
          if (r.status !== 401) return `${r.status} ${r.json?.code || ''}`;
        }
        return 'never';
      };
      const one = await failuresUntilLocked([A.base], 'leder@nordskov.demo');
      const spread = await failuresUntilLocked([A.base, B.base, C.base], 'leder@aastrup.demo');
      check(one === 5 && spread === one, 'wrong passwords spread over A, B and C lock an account at the same count as on one instance',
        `one instance: ${one}, spread: ${spread}`);
      const right = await Promise.all([A, B, C, { base: hp.base }].map((x) =>
        http(x.base, 'POST', '/api/v1/session', { body: { email: 'leder@aastrup.demo', password: 'demo-leder' }, deadline: 30000 })));
      check(right.every((r) => r.status === 429 && r.json?.code === 'sign-in-throttled' && Number(r.headers.get('retry-after')) > 0),
        'then the right password is refused on A, B, C and through HAProxy, with Retry-After', right.map((r) => r.status).join(','));
    }

    // the balancer's limits per client address: HAProxy with the stick
    // table of docs/postgres-ops.md (read from the page, thresholds
    // lowered) refuses failed sign-ins from one address, spread over A, B
    // and C by roundrobin, once past its limit, and requests past its rate
    {
      const lim = await s.startLimitingHaproxy({ requests: 40, writes: 1000, signins: 3 });
      const got = [];
      for (let i = 0; i < 6; i++) {
        const r = await http(lim.base, 'POST', '/api/v1/session', { body: { email: `ukendt-${i}@nordskov.demo`, password: 'forkert' }, deadline: 30000 });
        got.push(`${r.status}${r.json?.code ? ` ${r.json.code}` : ''}`);
      }
      check(got.slice(0, 4).every((x) => x === '401 bad-credentials') && got.slice(4).every((x) => x === '429 sign-in-throttled'),
        'HAProxy as in postgres-ops.md: failed sign-ins from one address over A, B and C refused past its limit (lowered to 3)', got.join(', '));
      let n = 0;
      let last = 0;
      for (; n < 100 && last !== 429; n++) last = (await http(lim.base, 'GET', '/readyz')).status;
      check(last === 429 && n <= 40, 'and requests past its rate (lowered to 40 in 10 s) get 429', `the ${n}th read of this run`);
    }

    // an article written on A is found by a search on B within a second,
    // and one written on C by a search on A
    for (const [from, to] of [[A, B], [C, A], [B, C]]) {
      const word = uniqueWord();
      const slug = `multi-${word}`;
      const w = await writeArticle(from.base, editor, word, slug);
      if (!check(w.status === 201, `article written on ${from.name}`, `${w.status} ${w.json?.code || ''}`)) continue;
      const ms = await pollFinds(to.base, word, slug, now(), 10000);
      check(ms >= 0 && ms <= VISIBLE_MS, `found by a search on ${to.name} within ${VISIBLE_MS} ms`, `${ms.toFixed(1)} ms`);
      const all = await Promise.all(s.instances.map((x) => pollFinds(x.base, word, slug, now(), VISIBLE_MS)));
      check(all.every((t) => t >= 0), 'and on every instance');
    }
    // an update on B is seen on A and C (the old word gone, the new found)
    {
      const word = uniqueWord();
      const slug = `multi-${word}`;
      const w = await writeArticle(A.base, editor, word, slug);
      await pollFinds(B.base, word, slug, now(), 10000);
      const word2 = uniqueWord();
      const u = await http(B.base, 'PUT', `/api/v1/articles/${slug}?organisation=901`, {
        cookie: editor.cookie, csrf: editor.csrf, headers: { 'If-Match': `"${w.json?.version}"` },
        body: { title: `Vejledning om ${word2}`, summary: `Om ${word2}.`, body: `Nu om ${word2}.`, audience: 'citizen', status: 'published' },
      });
      check(u.status === 200, 'article updated on B', `${u.status} ${u.json?.code || u.text.slice(0, 120)}`);
      const ms = await pollFinds(A.base, word2, slug, now(), 10000);
      check(ms >= 0 && ms <= VISIBLE_MS, `the update is found on A within ${VISIBLE_MS} ms`, `${ms.toFixed(1)} ms`);
      const onC = await pollFinds(C.base, word2, slug, now(), VISIBLE_MS);
      check(onC >= 0 && !(await finds(C.base, word, slug)), 'and on C, without the old text');
    }

    // a case submission works whichever instance each request reaches
    const mette = await citizenLogin(hp.base, 'demo:demo-mette');
    const subs = await Promise.all([1, 2, 3].map((i) => submit(hp.base, mette, null, `lb-${i}`)));
    check(subs.every((r) => r.status === 201), 'three cases submitted through HAProxy', subs.map((r) => r.status).join(','));
    const caseId = subs[0].json?.id;
    const reads = await Promise.all(s.instances.map((x) => http(x.base, 'GET', `/api/v1/cases/${caseId}`, { cookie: mette.cookie })));
    check(reads.every((r) => r.status === 200 && r.json?.id === caseId), 'each case is read on A, B and C');

    // the same Idempotency-Key sent to A and B at once makes one case
    for (let round = 0; round < 3; round++) {
      const key = `same-${process.pid}-${round}`;
      const [ra, rb] = await Promise.all([submit(A.base, mette, key), submit(B.base, mette, key)]);
      const ok2 = [ra, rb].every((r) => r.status === 201 || r.status === 200);
      const rows = Number(psql(url, `SELECT count(*) FROM idempotency WHERE key = '${key}'`)[0][0]);
      check(ok2 && ra.json?.id === rb.json?.id && rows === 1,
        `the same Idempotency-Key to A and B at once: one case (round ${round + 1})`,
        `${ra.status}/${rb.status}, ids ${ra.json?.id}/${rb.json?.id}, ${rows} key row`);
    }

    // a chat: opened through HAProxy, taken on B, the citizen waits on C
    // while the agent writes on A; the waiting request is answered at once
    const agent = await staffLogin(B.base, 'borgerservice@nordskov.demo', 'demo-borgerservice');
    const open = await http(hp.base, 'POST', '/api/v1/chats', { body: { organisation: '901', topic: 'Pas' } });
    check(open.status === 201, 'a chat opened through HAProxy', String(open.status));
    const chat = open.json?.id;
    const tok = { 'X-Chat-Token': open.json?.token };
    const take = await http(B.base, 'POST', `/api/v1/chats/${chat}/take`, { cookie: agent.cookie, csrf: agent.csrf });
    check(take.status === 200, 'taken by an agent on B', String(take.status));
    const before = await http(C.base, 'GET', `/api/v1/chats/${chat}/messages?after=0`, { headers: tok });
    const last = Math.max(0, ...(before.json?.messages || []).map((m) => m.seq));
    const waiting = http(C.base, 'GET', `/api/v1/chats/${chat}/messages?after=${last}&wait=20`, { headers: tok, deadline: 30000 });
    await sleep(300); // the waiting request is parked (if not, it is answered at once anyway)
    const sentAt = now();
    const send = await http(A.base, 'POST', `/api/v1/chats/${chat}/messages`, { cookie: agent.cookie, csrf: agent.csrf, body: { body: 'Hej, hvad kan jeg hjælpe med?' } });
    const got = await waiting;
    const waitedMs = now() - sentAt;
    check(send.status === 201 && got.status === 200 && (got.json?.messages || []).some((m) => m.body === 'Hej, hvad kan jeg hjælpe med?') && waitedMs < 2000,
      'a citizen waiting on C gets the message the agent wrote on A at once', `${waitedMs.toFixed(0)} ms`);
    const reply = await http(hp.base, 'POST', `/api/v1/chats/${chat}/messages`, { headers: tok, body: { body: 'Tak!' } });
    const agentSees = await http(C.base, 'GET', `/api/v1/chats/${chat}/messages?after=0`, { cookie: agent.cookie });
    check(reply.status === 201 && (agentSees.json?.messages || []).some((m) => m.body === 'Tak!'), 'the citizen\'s answer through HAProxy is read on C');

    // ---- Digital Post on several instances: each message sent once ----
    // Every instance runs a postman (a delivery pass each second, and at
    // once when any instance queues a message: the change is NOTIFYed)
    // into its own spool (SETUP/spool-A, -B, -C). Letters sent at once
    // through A, B and C wake the three postmen together, so their passes
    // race for the same due messages; the claims let each message go to
    // exactly one spool.
    const postT0 = now();
    const worker = await staffLogin(A.base, 'sagsbehandler@nordskov.demo', 'demo-sagsbehandler');
    const tag = `mp${process.pid.toString(36)}`;
    const bases = [A.base, B.base, C.base];
    {
      const N = Number(process.env.HELHED_MULTI_POST || 60);
      const drafts = await draftLetters(bases, mette, worker, Array.from({ length: N }, (_, i) => `${tag}d${i}q`));
      const busy = { n: 0 };
      const sends = await Promise.all(drafts.map((l, i) => sendLetter(bases[i % 3], worker, l, busy)));
      const codes = {};
      for (const r of sends) codes[`${r.status}${r.json?.code ? ` ${r.json.code}` : ''}`] = (codes[`${r.status}${r.json?.code ? ` ${r.json.code}` : ''}`] || 0) + 1;
      check(sends.every((r) => r.status === 200 && r.json?.state === 'sent' && r.json?.message_id),
        `${N} refusal letters to a citizen with Digital Post sent at once through A, B and C`,
        `${JSON.stringify(codes)}, ${busy.n} sent again after 503 busy`);
      const ms = await waitMessages(url, drafts, (m) => m.length === N && m.every(isSent), 60000);
      const uuids = ms.map((m) => m.uuid);
      check(ms.length === N && ms.every(isSent), 'the postmen send every one of their messages', `${ms.filter(isSent).length} of ${N} sent`);
      const where = spooled(s);
      const once = uuids.filter((u) => (where.get(u) || []).length === 1).length;
      const more = uuids.filter((u) => (where.get(u) || []).length > 1).length;
      const missing = uuids.filter((u) => !where.has(u)).length;
      const dupAll = [...where.values()].filter((v) => v.length > 1).length;
      check(once === N && dupAll === 0, 'each message\'s MeMo file is in exactly one of the three spools, none missing',
        `${once} once, ${more} more than once, ${missing} missing; spools ${spoolShare(s, where, uuids)}`);
    }

    // ---- a print batch across instances ----
    // Letters to a citizen exempt from Digital Post wait for the print
    // batch; three `helhed print-batch` runs at once on the one database,
    // each into its own spool's print/ as an instance's daily run would:
    // one claims the organisation's letters, the others skip it.
    {
      const N = 12;
      const lars = await citizenLogin(hp.base, 'demo:demo-lars');
      const drafts = await draftLetters(bases, lars, worker, Array.from({ length: N }, (_, i) => `${tag}p${i}q`));
      const busy = { n: 0 };
      const sends = await Promise.all(drafts.map((l, i) => sendLetter(bases[i % 3], worker, l, busy)));
      const waiting = await waitMessages(url, drafts, (m) => m.length === N && m.every((x) => x.channel === 'print' && x.state === 'queued'), 30000);
      check(sends.every((r) => r.status === 200) && waiting.length === N && waiting.every((x) => x.channel === 'print' && x.state === 'queued'),
        `${N} letters to a citizen exempt from Digital Post wait for the print batch`,
        `${waiting.filter((x) => x.channel === 'print').length} routed to print, ${busy.n} sent again after 503 busy`);
      const bin = process.env.HELHED_BIN || 'build/helhed';
      const runs = await Promise.all(s.instances.map((x) => run(bin, ['print-batch', '--db', url, '--spool', x.spool,
        '--key-file', join(s.dir, 'keys')], { timeout: 120000 }).then((r) => ({ ok: true, out: r.stdout + r.stderr }),
        (e) => ({ ok: false, out: `${e.stdout || ''}${e.stderr || ''}${e.message}` }))));
      const printed = messagesOf(url, drafts).filter((m) => m.state === 'printed').length;
      const texts = [];
      for (const x of s.instances) {
        const dir = join(x.spool, 'print');
        if (!existsSync(dir)) continue;
        for (const f of readdirSync(dir).filter((f) => f.endsWith('.pdf'))) {
          texts.push((await run('pdftotext', [join(dir, f), '-'], { timeout: 60000, maxBuffer: 64 << 20 })).stdout);
        }
      }
      const times = drafts.map((l) => texts.reduce((n, t) => n + t.split(l.marker).length - 1, 0));
      check(runs.every((r) => r.ok) && printed === N && times.every((t) => t === 1),
        'three print runs at once: every letter printed, each in exactly one PDF',
        `${runs.filter((r) => r.ok).length} runs ok, ${printed} of ${N} printed, ${texts.length} PDF(s), ` +
        `letters found ${[...new Set(times)].sort().join('/')} time(s)${runs.some((r) => !r.ok) ? `; ${runs.find((r) => !r.ok).out.slice(0, 300)}` : ''}`);
    }

    // ---- an instance killed with kill -9 while it holds claims ----
    // A and B are stopped (SIGSTOP) so that C's postman claims the letters
    // sent through C; once the database shows claimed messages (queued,
    // next attempt a lease ahead) C is stopped too, and killed with kill -9
    // if it still holds some. A and B go on and send everything else, also
    // what is queued after the kill; C's claimed messages wait for their
    // lease (HH_MSG_LEASE, 300 s: not waited for here), then any instance
    // sends them, with the same UUID (docs/digital-post.md, "Crash safety").
    {
      const parts = [];
      for (let p = 0; p < 3; p++) {
        parts.push(await draftLetters(bases, mette, worker, Array.from({ length: 40 }, (_, i) => `${tag}k${p}x${i}q`)));
      }
      const later = await draftLetters(bases, mette, worker, Array.from({ length: 30 }, (_, i) => `${tag}l${i}q`));
      const used = [];
      let held = [];
      let killedAt = 0;
      process.kill(A.proc.pid, 'SIGSTOP');
      process.kill(B.proc.pid, 'SIGSTOP');
      try {
        for (const part of parts) {
          used.push(...part);
          const claimed = `SELECT message_id FROM messages WHERE letter_id IN (${part.map((l) => l.letterId).join(',')})
            AND state = 'queued' AND next_attempt_at > extract(epoch FROM now())::bigint + 60`;
          const unsent = `SELECT message_id FROM messages WHERE letter_id IN (${part.map((l) => l.letterId).join(',')})
            AND state = 'queued'`;
          let done = false;
          const sending = Promise.all(part.map((l) => sendLetter(C.base, worker, l))).finally(() => { done = true; });
          // C's postman claims while the part is being sent and after it
          // (it is kicked by each queued message, and runs every second):
          // watch until every message of the part has left C's hands, on
          // a loaded machine too, where a claim may be held only briefly
          const until = Date.now() + 30000;
          for (;;) {
            const last = done;
            const n = (await psqlAsync(url, claimed)).length;
            if (n) { // C holds claims: stop it, and kill it if it still does
              process.kill(C.proc.pid, 'SIGSTOP');
              if ((await psqlAsync(url, claimed)).length) {
                process.kill(C.proc.pid, 'SIGKILL');
                C.killed = true;
                killedAt = Math.floor(Date.now() / 1000);
                break;
              }
              process.kill(C.proc.pid, 'SIGCONT');
            }
            // the whole part went through before a claim was seen: the next part
            if (last && (!(await psqlAsync(url, unsent)).length || Date.now() > until)) break;
          }
          await sending;
          if (C.killed) {
            await sleep(200); // a commit C sent before it died is not a claim it holds
            held = (await psqlAsync(url, claimed)).map((r) => r[0]);
            break;
          }
        }
      } finally {
        process.kill(A.proc.pid, 'SIGCONT');
        process.kill(B.proc.pid, 'SIGCONT');
      }
      check(C.killed && held.length > 0, 'C killed with kill -9 while it held claims', `${held.length} messages claimed`);
      const busy = { n: 0 };
      const sends = await Promise.all(later.map((l, i) => sendLetter(bases[i % 2], worker, l, busy)));
      const all = [...used, ...later];
      const heldSet = new Set(held);
      const ms = await waitMessages(url, all, (m) => m.filter((x) => !heldSet.has(x.uuid)).every(isSent), 60000);
      const others = ms.filter((x) => !heldSet.has(x.uuid));
      check(sends.every((r) => r.status === 200) && others.length >= later.length && others.every(isSent),
        'A and B send every other message, those queued after the kill too',
        `${others.filter(isSent).length} of ${others.length} sent, ${others.length - later.length} of them queued before the kill; ` +
        `${busy.n} sent again after 503 busy`);
      const where = spooled(s);
      const uuids = others.map((x) => x.uuid);
      const once = uuids.filter((u) => (where.get(u) || []).length === 1).length;
      check(once === uuids.length && [...where.values()].every((v) => v.length === 1),
        'each of them in exactly one spool', `${once} of ${uuids.length}; spools ${spoolShare(s, where, uuids)}`);
      const mine = ms.filter((x) => heldSet.has(x.uuid));
      const nowS = Math.floor(Date.now() / 1000);
      check(mine.length === held.length && mine.every((x) => x.state === 'queued' && x.next > nowS && x.next <= killedAt + 300)
        && held.every((u) => !(where.get(u) || []).some((n) => n !== 'C')),
        'C\'s claimed messages wait for their lease, sent by nobody else meanwhile',
        `${mine.length} queued, next attempt in ${Math.min(...mine.map((x) => x.next - nowS))}-${Math.max(...mine.map((x) => x.next - nowS))} s`);
      // C again, where HAProxy expects it, for the fault checks
      if (C.killed) C = await s.startInstance(2, { port: C.port });
      check((await allReady(s, 20000)) >= 0, 'C started again, every instance is ready');
    }
    console.log(`# the Digital Post checks took ${((now() - postT0) / 1000).toFixed(1)} s`);

    // ---- faults (point 4) ----
    // PostgreSQL taken away under load: a clear 503, /readyz not ready, no
    // hang; back, the instances recover by themselves; nothing acknowledged lost
    {
      const st = load([hp.base, A.base, B.base, C.base], mette, 6);
      await sleep(800);
      s.clusterCtl('halt');
      const downAt = now();
      const during = await Promise.all(s.instances.map((x) => submit(x.base, mette, `down-${x.name}-${process.pid}`)));
      check(during.every((r) => r.status === 503 && r.type.startsWith('application/problem+json') && r.json?.code === 'store-unavailable'),
        'while PostgreSQL is away a write gets 503 problem+json store-unavailable', during.map((r) => `${r.status} ${r.json?.code}`).join(', '));
      check(during.every((r) => r.ms < 6000), 'and no request hangs', `slowest ${Math.max(...during.map((r) => r.ms)).toFixed(0)} ms`);
      const search = await http(A.base, 'GET', '/api/v1/session', { cookie: editor.cookie });
      check(search.status === 503 && search.json?.code === 'store-unavailable', 'a signed-in read gets 503 too, not 401', `${search.status} ${search.json?.code}`);
      const rz = await Promise.all(s.instances.map((x) => http(x.base, 'GET', '/readyz')));
      check(rz.every((r) => r.status === 503), '/readyz says not ready on every instance', rz.map((r) => r.status).join(','));
      const hz = await http(A.base, 'GET', '/healthz');
      check(hz.status === 200, '/healthz still says the process lives');
      await sleep(Math.max(0, 1000 - (now() - downAt)));
      s.clusterCtl('resume');
      const rec = await allReady(s, 30000);
      check(rec >= 0, 'back, every instance is ready again by itself', `${rec.toFixed(0)} ms after the server started`);
      await sleep(800); // writes go on after the recovery
      st.stop = true;
      await st.done;
      const statuses = {};
      for (const a of st.answers) statuses[a.status] = (statuses[a.status] || 0) + 1;
      const bad = st.answers.filter((a) => ![200, 201, 503].includes(a.status));
      check(bad.length === 0, 'under load every answer was 201 or 503 (no 500, no hang)', JSON.stringify(statuses));
      const sick = st.answers.filter((a) => a.status === 503 && !a.type.startsWith('application/problem+json') && a.base !== hp.base);
      check(sick.length === 0, 'every 503 of an instance is problem+json');
      const there = casesThere(url, st.acked);
      check(st.acked.length > 0 && there === st.acked.length, 'every acknowledged write is in the database', `${there} of ${st.acked.length}`);
      // the listeners caught up: a write on B is found on C again
      const word = uniqueWord();
      const slug = `multi-${word}`;
      const w = await writeArticle(B.base, editor, word, slug);
      const ms = w.status === 201 ? await pollFinds(C.base, word, slug, now(), 10000) : -1;
      check(ms >= 0 && ms <= VISIBLE_MS, 'after the restart an article written on B is found on C', `${ms.toFixed(1)} ms`);
    }
    // an instance killed with kill -9 under load: the others serve on,
    // nothing acknowledged is lost
    {
      const st = load([hp.base], mette, 6);
      await sleep(800);
      const ackedBefore = st.acked.length;
      process.kill(C.proc.pid, 'SIGKILL');
      C.killed = true;
      const killedAt = now();
      // wait until writes are acknowledged again through HAProxy
      let after = -1;
      while (now() - killedAt < 15000) {
        const r = await submit(hp.base, mette, `after-kill-${now()}`);
        if (r.status === 201) { after = now() - killedAt; break; }
        await sleep(50);
      }
      await sleep(800);
      st.stop = true;
      await st.done;
      check(after >= 0 && st.acked.length > ackedBefore, 'after kill -9 of C, writes through HAProxy go on', `first ${after.toFixed(0)} ms after the kill`);
      const there = casesThere(url, st.acked);
      check(there === st.acked.length, 'every acknowledged write is in the database', `${there} of ${st.acked.length}`);
      const rz = await Promise.all([A, B].map((x) => http(x.base, 'GET', '/readyz')));
      check(rz.every((r) => r.status === 200), 'A and B are ready');
      const failedAnswers = st.answers.filter((a) => a.status !== 201);
      console.log(`# under kill -9: ${st.answers.length} writes, ${failedAnswers.length} not acknowledged (${[...new Set(failedAnswers.map((a) => a.status))].join(',')})`);
    }
  } catch (e) {
    check(false, 'the run went through', String(e.stack || e));
    for (const x of s.instances) if (x) console.log(`# --- ${x.name}\n${x.out.slice(-2000).replace(/^/gm, '# ')}`);
  } finally {
    s.stop();
  }
  console.log(`multi: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
