// multi_lib.mjs - pg-multi (issue 14): several helhed instances on one
// throwaway PostgreSQL cluster, behind HAProxy, for tests/pg/multi.mjs and
// bench/pg_multi.mjs.
//
// A setup owns everything it starts (the cluster from tests/pg/cluster.sh,
// each `helhed serve`, HAProxy) in one temporary folder, and stop() ends
// them by their process ids and removes the folder; so does an exit by a
// signal. Every HTTP request has a deadline (a hang fails, it never waits
// forever).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const PG_BIN = process.env.HELHED_PG_BIN || '/usr/lib/postgresql/15/bin';
const REQUEST_DEADLINE_MS = 15000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const now = () => Number(process.hrtime.bigint() / 1000n) / 1000; // ms

// A TCP port on loopback nobody listens on now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

// Runs sql on the database at url with psql; the rows as arrays of text.
export function psql(url, sql) {
  const out = execFileSync(join(PG_BIN, 'psql'), [url, '-XAtq', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8', timeout: 30000,
  });
  return out.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

// One HTTP request with a deadline. Returns {status, type, headers, json,
// text, ms}; status 0 with error set when no answer came (refused, cut,
// too late).
export async function http(base, method, path, { body, headers = {}, cookie, csrf, deadline = REQUEST_DEADLINE_MS } = {}) {
  const h = { ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (cookie) h.Cookie = cookie;
  if (csrf) h['X-CSRF-Token'] = csrf;
  const t0 = now();
  try {
    const r = await fetch(base + path, {
      method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(deadline), redirect: 'manual',
    });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, type: r.headers.get('content-type') || '', headers: r.headers, json, text, ms: now() - t0 };
  } catch (e) {
    return { status: 0, error: String(e.cause?.code || e.name || e), ms: now() - t0 };
  }
}

// The cookie "name=value" of a response's Set-Cookie for name.
export function cookieOf(r, name) {
  for (const c of r.headers?.getSetCookie?.() || []) {
    if (c.startsWith(name + '=')) return c.split(';')[0];
  }
  return null;
}

export class Setup {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'helhed-multi-'));
    chmodSync(this.dir, 0o755); // the cluster's owner reaches its folder
    this.procs = [];
    this.instances = [];
    this.cluster = join(this.dir, 'pg');
    const stop = () => { this.stop(); process.exit(130); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }

  // A cluster of its own (it is stopped and started by the fault checks,
  // so never the shared HELHED_TEST_PG) and a database in it.
  startCluster() {
    const base = execFileSync('tests/pg/cluster.sh', ['start', this.cluster], { encoding: 'utf8' }).trim();
    psql(base, "CREATE DATABASE helhed TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'");
    this.url = base.replace(/\/postgres$/, '/helhed');
    return this.url;
  }

  clusterCtl(what) {
    execFileSync('tests/pg/cluster.sh', [what, this.cluster], { encoding: 'utf8', timeout: 120000 });
  }

  // Starts `helhed serve` number i (0, 1, 2 ...) on a free port (or on
  // port: an instance started again where HAProxy expects it), with its
  // own spool folder SETUP/spool-NAME; resolves to {name, base, proc,
  // spool} once it prints that it serves.
  async startInstance(i, { bin = process.env.HELHED_BIN || 'build/helhed', extra = [], port = 0 } = {}) {
    const name = 'ABCDEFGH'[i];
    const spool = join(this.dir, `spool-${name}`);
    mkdirSync(spool, { recursive: true });
    port = port || await freePort();
    const log = join(this.dir, `helhed-${name}.log`);
    const args = ['serve', '--listen', `127.0.0.1:${port}`, '--db', this.url, '--demo',
      '--key-file', join(this.dir, 'keys'), '--spool', spool, '--threads', '4',
      '--print-time', 'off', '--write-limits', '0/0/0', '--trusted-proxies', '127.0.0.1', '--quiet', ...extra];
    const env = { ...process.env, HELHED_CHAT_LIMITS: '0' };
    const proc = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.procs.push(proc);
    const inst = { name, base: `http://127.0.0.1:${port}`, proc, port, spool, out: '' };
    proc.stdout.on('data', (d) => { inst.out += d; });
    proc.stderr.on('data', (d) => { inst.out += d; });
    const until = now() + 120000; // the first start imports the demo
    while (!/serving http/.test(inst.out)) {
      if (proc.exitCode !== null || now() > until) {
        throw new Error(`instance ${name} did not start:\n${inst.out.slice(-3000)}`);
      }
      await sleep(20);
    }
    this.instances[i] = inst;
    return inst;
  }

  // HAProxy from Debian in front of the instances: roundrobin, health
  // check on /readyz every 300 ms (down after 2 failures, up after 1).
  async startHaproxy() {
    const port = await freePort();
    const servers = this.instances.map((x) => `  server ${x.name} 127.0.0.1:${x.port} check`).join('\n');
    const cfg = `global
  maxconn 512
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
frontend fe
  bind 127.0.0.1:${port}
  default_backend helhed
backend helhed
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 300ms fall 2 rise 1
${servers}
`;
    const file = join(this.dir, 'haproxy.cfg');
    writeFileSync(file, cfg);
    const proc = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.procs.push(proc);
    this.haproxy = { base: `http://127.0.0.1:${port}`, proc, out: '' };
    proc.stdout.on('data', (d) => { this.haproxy.out += d; });
    proc.stderr.on('data', (d) => { this.haproxy.out += d; });
    const until = now() + 20000;
    for (;;) {
      const r = await http(this.haproxy.base, 'GET', '/readyz', { deadline: 2000 });
      if (r.status === 200) break;
      if (proc.exitCode !== null || now() > until) throw new Error(`HAProxy did not start:\n${this.haproxy.out}`);
      await sleep(50);
    }
    return this.haproxy;
  }

  // pg-throttle: HAProxy with the limits per client address of
  // docs/postgres-ops.md ("Limits behind the load balancer"), the
  // configuration read from that page as printed there, then put on
  // loopback without TLS and peers, and with the thresholds given (so
  // that a test reaches them): {requests, writes, signins}. Throws when
  // the page's configuration no longer has a line this changes.
  async startLimitingHaproxy({ requests, writes, signins }) {
    const port = await freePort();
    const doc = readFileSync('docs/postgres-ops.md', 'utf8');
    const m = /```\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf('## Limits behind the load balancer')));
    if (!m) throw new Error('docs/postgres-ops.md: no configuration under "Limits behind the load balancer"');
    let cfg = m[1];
    const sub = (re, to) => {
      if (!re.test(cfg)) throw new Error(`docs/postgres-ops.md's HAProxy configuration has no ${re}`);
      cfg = cfg.replace(re, to);
    };
    sub(/^peers lb\n(?: {4}.*\n)+/m, '');
    sub(/ peers lb/, '');
    sub(/^ {4}bind :443 .*\n/m, '');
    sub(/^ {4}http-request redirect scheme https.*\n/m, '');
    sub(/^ {4}bind :80$/m, `    bind 127.0.0.1:${port}`);
    sub(/maxconn \d+/, 'maxconn 512');
    sub(/sc0_http_req_rate gt \d+/, `sc0_http_req_rate gt ${requests}`);
    sub(/sc0_gpc0_rate gt \d+/, `sc0_gpc0_rate gt ${writes}`);
    sub(/sc0_gpc1_rate gt \d+/, `sc0_gpc1_rate gt ${signins}`);
    sub(/^ {4}server .*\n?/gm, '');
    cfg += this.instances.filter((x) => x && !x.killed).map((x) => `    server ${x.name} 127.0.0.1:${x.port} check\n`).join('');
    const file = join(this.dir, 'haproxy-limits.cfg');
    writeFileSync(file, cfg);
    const proc = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.procs.push(proc);
    const hp = { base: `http://127.0.0.1:${port}`, proc, out: '' };
    proc.stdout.on('data', (d) => { hp.out += d; });
    proc.stderr.on('data', (d) => { hp.out += d; });
    const until = now() + 20000;
    for (;;) {
      const r = await http(hp.base, 'GET', '/readyz', { deadline: 2000 });
      if (r.status === 200) break;
      if (proc.exitCode !== null || now() > until) throw new Error(`HAProxy (limits) did not start:\n${hp.out}`);
      await sleep(50);
    }
    return hp;
  }

  stop() {
    for (const p of this.procs) {
      if (p.exitCode === null && p.signalCode === null) {
        try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
      }
    }
    this.procs = [];
    try { execFileSync('tests/pg/cluster.sh', ['stop', this.cluster], { stdio: 'ignore' }); } catch { /* none */ }
    if (!process.env.HELHED_MULTI_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}

// Signs a staff member in on base; {cookie, csrf}.
export async function staffLogin(base, email, password) {
  const r = await http(base, 'POST', '/api/v1/session', { body: { email, password }, deadline: 30000 });
  if (r.status !== 201) throw new Error(`sign-in of ${email} on ${base}: ${r.status} ${r.text}`);
  return { cookie: cookieOf(r, 'hh_session'), csrf: r.json.csrf_token };
}

// The demo sign-in of a citizen on base; {cookie, csrf}.
export async function citizenLogin(base, subject) {
  const r = await http(base, 'POST', '/api/v1/citizen/session', { body: { subject } });
  if (r.status !== 201) throw new Error(`citizen sign-in on ${base}: ${r.status} ${r.text}`);
  return { cookie: cookieOf(r, 'hh_borger'), csrf: r.json.csrf_token };
}

// A word no article has (letters only, so the analysis keeps it whole).
export function uniqueWord() {
  const c = 'bcdfghjklmnpqrstvwxz';
  let w = 'zq';
  for (let i = 0; i < 9; i++) w += c[Math.floor(Math.random() * c.length)];
  return w;
}

// Writes a published article of 901 with word in its title through base.
export async function writeArticle(base, who, word, slug) {
  return http(base, 'POST', '/api/v1/articles', {
    cookie: who.cookie, csrf: who.csrf,
    body: { slug, organisation: '901', title: `Vejledning om ${word}`, summary: `Om ${word}.`,
      body: `Her står, hvad du skal vide om ${word}.`, status: 'published', audience: 'citizen' },
  });
}

// 1 when a search for word in 901 on base finds the article at slug.
export async function finds(base, word, slug) {
  const r = await http(base, 'GET', `/api/v1/search?q=${encodeURIComponent(word)}&municipality=901`, { deadline: 5000 });
  return r.status === 200 && (r.json?.results || []).some((x) => x.slug === slug);
}

// Polls a search on base until it finds slug or budget ms passed; the ms
// it took (from `since`), or -1.
export async function pollFinds(base, word, slug, since, budget) {
  for (;;) {
    if (await finds(base, word, slug)) return now() - since;
    if (now() - since > budget) return -1;
  }
}
