// run.mjs - helhed's browser tests.
//
// Starts the server from HELHED_BIN on a fresh temporary database, drives
// Debian's Chromium with playwright-core, and checks every page with
// axe-core (WCAG 2.1 A/AA) and html-validate (its recommended rules, on
// the HTML as served). Prints "ok - name" or "not ok - name" per test and
// ends with "e2e: N passed, M failed".
//
//   HELHED_BIN=build/helhed node tests/e2e/run.mjs [FILTER]
//
// FILTER runs only the tests whose name contains it (or one of its
// '|'-separated parts). Environment:
//   HELHED_BIN           server binary (default build/helhed)
//   CHROMIUM             browser (default /usr/bin/chromium)
//   HELHED_E2E_SHOTS     folder for screenshots of the front page
//   HELHED_E2E_GROUP     pages or flows: only that group (below)
//
// No test waits for a fixed time: every wait is on a page event, a URL,
// an element or a condition, through playwright's own waiting.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readdirSync,
	 readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium, request as httpClient } from 'playwright-core';
import { createRequire } from 'node:module';
import { HtmlValidate } from 'html-validate';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = resolve(process.env.HELHED_BIN || join(ROOT, 'build', 'helhed'));
const BROWSER = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.HELHED_E2E_SHOTS || '';
const FILTER = process.argv[2] || '';

const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const STAFF = { email: 'redaktoer@nordskov.demo', password: 'demo-redaktoer',
		name: 'Sara Holm' };
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// axe-core's own minified build: the same code as its axe.source, which
// is the unminified one (1.5 MB), in less than half the bytes for the page
// to parse, once per page state and per check that runs it.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url)
	.resolve('axe-core/axe.min.js'), 'utf8');
// A hang guard, not a timing assumption: no step of a healthy run gets
// anywhere near it.
const GUARD_MS = 60000;
// The server's start imports the demo (5.6 s of CPU): 110 s on this 2-core
// machine shared with five other runs (load 30), so its guard is longer.
const START_MS = 240000;
const TEST_MS = 180000; /* one test, whole */

// Every recommended rule, as errors. The one setting: the pages spell the
// doctype "<!doctype html>" (valid HTML5; the rule only checks the case is
// the project's one, which it defaults to uppercase).
const htmlvalidate = new HtmlValidate({
	extends: ['html-validate:recommended'],
	rules: { 'doctype-style': ['error', { style: 'lowercase' }] },
});

// ---- a tiny runner --------------------------------------------------------

// The tests fall in two groups, each runnable alone with its own server
// and browser (HELHED_E2E_GROUP=pages or flows), so scripts/run-tests.sh
// runs them side by side: "pages", the checks every page gets (axe,
// html-validate, landmarks, focus), which read the demo as imported; and
// "flows", what the pages do, whose tests may build on one another's
// state and so keep their order.
const GROUP = process.env.HELHED_E2E_GROUP || '';
const tests = [];
let group = 'pages';
// view: what the test shares with its neighbours (a StateView), closed
// when the run moves on to a test that does not share it.
function test(name, fn, view = null) {
	tests.push({ name, fn, group, view });
}

// Where the time goes (HELHED_E2E_PROFILE=1): each step's total wall time
// and the CPU time node, the server and the browser spent in it, printed
// at the end.
const PROFILE = process.env.HELHED_E2E_PROFILE === '1';
const steps = new Map(); /* step -> { n, wall, node, server, browser } */
let serverPid = 0;

// CPU seconds of a process and of its children it has waited for (Linux).
function cpuOf(pid) {
	try {
		const f = readFileSync(`/proc/${pid}/stat`, 'utf8')
			.split(') ')[1].split(' ');
		return (Number(f[11]) + Number(f[12]) + Number(f[13]) +
			Number(f[14])) / 100;
	} catch {
		return 0;
	}
}

// ... and of every process below it that is still running.
function cpuOfTree(pid) {
	let sum = cpuOf(pid);
	try {
		for (const task of readdirSync(`/proc/${pid}/task`))
			for (const k of readFileSync(`/proc/${pid}/task/${task}/children`,
						     'utf8').trim().split(/\s+/))
				if (k)
					sum += cpuOfTree(Number(k));
	} catch {
		/* gone meanwhile */
	}
	return sum;
}

// CPU seconds so far of node, the server and the browser (everything else
// node started).
function cpuNow() {
	const c = process.cpuUsage();
	const node = (c.user + c.system) / 1e6;
	const server = serverPid ? cpuOf(serverPid) : 0;
	const browser = cpuOfTree(process.pid) - cpuOf(process.pid) - server;
	return { node, server, browser };
}

async function timed(step, fn) {
	if (!PROFILE)
		return fn();
	const t0 = performance.now();
	const c0 = cpuNow();
	try {
		return await fn();
	} finally {
		const c1 = cpuNow();
		const e = steps.get(step) ||
			{ n: 0, wall: 0, node: 0, server: 0, browser: 0 };
		e.n++;
		e.wall += (performance.now() - t0) / 1000;
		for (const k of ['node', 'server', 'browser'])
			e[k] += c1[k] - c0[k];
		steps.set(step, e);
	}
}

function printProfile() {
	const c = cpuNow();
	console.log(`# cpu: node ${c.node.toFixed(1)} s, server ` +
		    `${c.server.toFixed(1)} s, browser ${c.browser.toFixed(1)} s`);
	for (const [step, e] of steps)
		console.log(`# step: ${step}: ${e.n} times, ${e.wall.toFixed(1)} s ` +
			    `wall, cpu node ${e.node.toFixed(1)} s, server ` +
			    `${e.server.toFixed(1)} s, browser ${e.browser.toFixed(1)} s`);
}

class Failure extends Error {}
function check(cond, msg) {
	if (!cond)
		throw new Failure(msg);
}

// ---- the server -------------------------------------------------------------

// The server's database (chat: the test sets opening hours with
// `helhed import` on it).
let dbPath = null;

function startServer(dir) {
	dbPath = join(dir, 'helhed.db');
	return new Promise((resolveStart, rejectStart) => {
		const args = ['serve', '--listen', '127.0.0.1:0',
			      '--db', join(dir, 'helhed.db'), '--demo',
			      '--content', 'content', '--quiet'];
		// chat: the page states send the written inquiry many times
		// from one address, more than a citizen may in a minute
		// (test_chat_api.c tests that limit)
		const env = { ...process.env,
			      HELHED_CHAT_LIMITS: '60/600/120/600',
			      // every browser context and API client of the
			      // run comes from 127.0.0.1, each keeping its
			      // connections alive: more than one citizen's 64
			      // at once (over it the server closes a new
			      // connection at once: ECONNRESET in a test);
			      // test_abuse tests that limit
			      HELHED_MAX_CONN_PER_CLIENT: '512' };
		const proc = spawn(BIN, args, { cwd: ROOT, env,
						stdio: ['ignore', 'pipe', 'pipe'] });
		const srv = { proc, url: null, stderr: '', exited: null };
		srv.exited = new Promise((res) => {
			proc.on('exit', (code, signal) => res({ code, signal }));
		});
		proc.on('error', rejectStart);
		proc.stderr.setEncoding('utf8');
		proc.stderr.on('data', (s) => {
			srv.stderr = (srv.stderr + s).slice(-8000);
		});
		const lines = createInterface({ input: proc.stdout });
		lines.on('line', (line) => {
			const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
			if (m && !srv.url) {
				srv.url = m[1];
				resolveStart(srv);
			}
		});
		srv.exited.then(({ code, signal }) => {
			if (!srv.url)
				rejectStart(new Error(`server exited (${code ?? signal}) ` +
						      `before serving:\n${srv.stderr}`));
		});
		setTimeout(() => {
			if (!srv.url) {
				proc.kill('SIGKILL');
				rejectStart(new Error('server printed no URL'));
			}
		}, START_MS).unref();
	});
}

async function stopServer(srv) {
	srv.proc.kill('SIGTERM');
	const guard = setTimeout(() => srv.proc.kill('SIGKILL'), GUARD_MS);
	const { code, signal } = await srv.exited;
	clearTimeout(guard);
	return { code, signal };
}

// ---- page helpers -----------------------------------------------------------

let browser;
let base;
// pages opened with JavaScript disabled: evaluate() on them never returns
const scriptless = new WeakSet();

async function newPage(options = {}) {
	const context = await browser.newContext({ viewport: DESKTOP,
						   locale: 'da-DK', ...options });
	const page = await context.newPage();
	if (options.javaScriptEnabled === false)
		scriptless.add(page);
	page.setDefaultTimeout(GUARD_MS);
	page.setDefaultNavigationTimeout(GUARD_MS);
	return page;
}

// A client for the API alone, with its own cookies, in node: no browser
// context (a browser context costs the browser a second of CPU).
function apiClient() {
	return httpClient.newContext({ baseURL: base });
}

async function withPage(options, fn) {
	const page = await newPage(options);
	try {
		return await fn(page);
	} finally {
		await page.context().close();
	}
}

function url(path) {
	return new URL(path, base).href;
}

async function go(page, path, status = 200) {
	const resp = await page.goto(url(path));
	check(resp, `no response for ${path}`);
	check(resp.status() === status,
	      `${path}: status ${resp.status()}, want ${status}`);
	return resp;
}

// Submits the form that button belongs to and returns the response of the
// page it lands on (after any redirect).
async function submit(page, button, path, status = 200) {
	const landed = page.waitForResponse((r) =>
		new URL(r.url()).pathname === path &&
		r.request().isNavigationRequest() &&
		(r.status() < 300 || r.status() >= 400));
	await button.click();
	const resp = await landed;
	await page.waitForURL((u) => u.pathname === path);
	await page.waitForLoadState('load');
	check(resp.status() === status,
	      `${path}: status ${resp.status()}, want ${status}`);
	return resp;
}

async function chooseMunicipality(page, code) {
	await go(page, '/');
	await page.selectOption('#kommune', code);
	const resp = await submit(page, page.getByRole('button',
			{ name: 'Vis indhold for kommunen' }), '/');
	check(new URL(page.url()).searchParams.get('kommune') === code,
	      `after choosing, URL is ${page.url()}`);
	return resp;
}

// Where the demo staff land after signing in: caseworkers and front-desk
// agents on the case queue they work, everybody else (editors, managers,
// admins) on the staff page.
function staffHome(email) {
	return /^(sagsbehandler|borgerservice)@/.test(email) ? '/sagsbehandling'
		: '/personale';
}

// A different unknown account for every wrong-password sign-in: the server
// throttles an account after a few wrong passwords in a row, and the
// demo accounts must stay usable for the other tests.
let unknownAccounts = 0;
function unknownEmail() {
	unknownAccounts++;
	return `ukendt-${unknownAccounts}@nordskov.demo`;
}

async function signIn(page, email, password, status = 200) {
	await go(page, '/log-ind');
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Adgangskode').fill(password);
	const path = status === 200 ? staffHome(email) : '/log-ind';
	return submit(page, page.getByRole('button', { name: 'Log ind' }),
		      path, status);
}

async function text(locator) {
	return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

// ---- the pages --------------------------------------------------------------
// Each state puts a fresh page where it should be and returns the response
// whose body is the HTML served for it.

const pages = [
	{ name: 'front page', open: (p) => go(p, '/') },
	{ name: 'front page with municipality 901',
	  open: (p) => chooseMunicipality(p, '901') },
	{ name: 'article', open: (p) => go(p, '/artikel/skift-af-laege') },
	{ name: 'local article with municipality 901',
	  open: async (p) => {
		await chooseMunicipality(p, '901');
		return go(p, '/artikel/storskrald-bestil-afhentning');
	  } },
	{ name: 'shared article without municipality',
	  open: (p) => go(p, '/artikel/storskrald-bestil-afhentning') },
	{ name: 'life event', open: (p) => go(p, '/livssituation/flytning') },
	{ name: 'not found', open: (p) => go(p, '/artikel/findes-ikke', 404) },
	{ name: 'sign-in', open: (p) => go(p, '/log-ind') },
	{ name: 'sign-in error',
	  open: (p) => signIn(p, unknownEmail(), 'forkert-kode', 401) },
	{ name: 'staff page', open: (p) => signIn(p, STAFF.email, STAFF.password) },
	{ name: 'search results', open: (p) => go(p, '/soeg?q=sundhedskort') },
	{ name: 'search results, page 2',
	  open: (p) => go(p, '/soeg?q=sundhedskort&side=2') },
	{ name: 'search without results',
	  open: (p) => go(p, '/soeg?q=zqxjvbnm') },
	{ name: 'search with "Mente du"', open: (p) => go(p, '/soeg?q=sundhedskrot') },
	{ name: 'search with an empty query', open: (p) => go(p, '/soeg?q=', 400) },
	{ name: 'case queue', open: async (p) => {
		await demoCase();
		await signIn(p, CASEWORKER.email, CASEWORKER.password);
		return go(p, '/sagsbehandling');
	  } },
	{ name: 'case page', open: async (p) => openCase(p, CASEWORKER,
							  await demoCase()) },
	{ name: 'case page after a stale action', open: (p) => openStaleCase(p) },
	...citizenPageStates(),
	...agreementPageStates(), /* p-agree */
	/* the agent's desk */
	{ name: 'agent desk with a knowledge-base search', open: async (p) => {
		await signIn(p, AGENT.email, AGENT.password);
		return go(p, '/borgerservice?q=pas');
	  } },
	{ name: 'agent desk: a form filled in with the citizen', open: async (p) => {
		await signIn(p, AGENT.email, AGENT.password);
		return go(p, '/borgerservice/blanket?borger=1&type=storskrald-afhentning');
	  } },
	...bookingPageStates(), /* appointments */
	// chat
	{ name: 'chat page', open: (p) => go(p, '/chat?organisation=901') },
	{ name: 'chat page, choosing whom to write to', open: (p) => go(p, '/chat') },
	{ name: 'chat page, a written inquiry refused',
	  open: async (p) => {
		await go(p, '/chat?organisation=901');
		return submit(p, p.getByRole('button', { name: 'Send henvendelse' }),
			      '/chat/skriv', 422);
	  } },
	{ name: 'agent chat console', open: async (p) => {
		await signIn(p, AGENT.email, AGENT.password);
		return go(p, '/borgerservice/chat');
	  } },
	...inboxPageStates(), /* the citizen's inbox */
	/* feedback: "Fandt du det, du søgte?" answered (the thanks) and the
	 * editors' report with its table of answers */
	{ name: 'article after answering "Fandt du det, du søgte?"',
	  open: (p) => go(p, '/artikel/skift-af-laege?tak=1') },
	{ name: 'search report with the answers per article', open: async (p) => {
		await signIn(p, STAFF.email, STAFF.password);
		return go(p, '/personale/soegninger');
	  } },
	...figurePageStates(), /* fig-pages: the managers' pages (issue 12) */
	/* s-self (issue 13): self-service in the search and on its own page */
	{ name: 'self-service forms by topic', open: (p) => go(p, '/selvbetjening') },
	{ name: 'search results with forms and guides',
	  open: (p) => go(p, '/soeg?q=skilsmisse') },
	{ name: 'article with Start selvbetjening',
	  open: (p) => go(p, '/artikel/skilsmisse-saadan-soeger-du') },
	{ name: 'life event with a step\'s form, signed in', open: async (p) => {
		await citizenSignIn(p, null, OTHER_CITIZEN);
		return go(p, '/livssituation/doedsfald?q_relation=aegtefaelle' +
			  '&q_boern=nej&q_betaler=ja&q_oekonomi=nej');
	  } },
];

function describeAxe(violations) {
	return violations.map((v) =>
		`${v.id} (${v.impact}): ${v.help}\n` +
		v.nodes.slice(0, 5).map((n) =>
			`    ${n.target.join(' ')}: ${n.failureSummary
				.replace(/\s+/g, ' ')}`).join('\n')).join('\n');
}

function runAxe(page) {
	return timed('axe', () => runAxeOn(page));
}

async function runAxeOn(page) {
	if (scriptless.has(page))
		return runAxeScriptless(page);
	// Injected through the DevTools protocol, so the page's
	// Content-Security-Policy stays in force and is tested too.
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await timed('axe: inject', () => page.evaluate(AXE_SOURCE));
	return page.evaluate((tags) => window.axe.run(document, {
		runOnly: { type: 'tag', values: tags },
		resultTypes: ['violations'],
	}), AXE_TAGS);
}

// Axe is a script, and a page without JavaScript never answers evaluate()
// (the test waited for it until its time ran out). So the page shown now is
// shown again, its HTML as it stands (a POST's answer too, which a second GET
// would not give), in a page that may run scripts but gets none of the
// site's own: what a reader without JavaScript sees, with axe on it. The
// styles load from the server, so the contrast is checked as well.
//
// The mirror is one page for the whole run (a new browser context per
// check cost the browser a renderer process each); it keeps no cookies, as
// before, and each check routes only its own page to it, one at a time.
let mirrorPage = null;
let mirrorTurn = Promise.resolve();

function runAxeScriptless(page) {
	const turn = mirrorTurn.then(() => axeInMirror(page));
	mirrorTurn = turn.catch(() => {});
	return turn;
}

async function axeInMirror(page) {
	const html = await page.content();
	const at = new URL(page.url());
	at.hash = '';
	if (!mirrorPage) {
		const context = await browser.newContext({ viewport: DESKTOP,
							   locale: 'da-DK' });
		mirrorPage = await context.newPage();
		mirrorPage.setDefaultTimeout(GUARD_MS);
		mirrorPage.setDefaultNavigationTimeout(GUARD_MS);
	}
	const mirror = mirrorPage;
	const served = (route) => {
		const r = route.request();
		if (r.isNavigationRequest() && r.url() === at.href)
			return route.fulfill({ status: 200, body: html,
				contentType: 'text/html; charset=utf-8' });
		if (r.resourceType() === 'script')
			return route.abort();
		return route.continue();
	};
	let ok = false;
	try {
		await mirror.setViewportSize(page.viewportSize());
		await mirror.route('**/*', served);
		await mirror.goto(at.href);
		const res = await runAxeOn(mirror);
		ok = true;
		return res;
	} finally {
		if (ok) {
			await mirror.unroute('**/*', served);
			await mirror.goto('about:blank');
		} else {
			mirrorPage = null;
			await mirror.context().close().catch(() => {});
		}
	}
}

// What makes a focused element's focus visible: an outline or a ring.
async function focusStyle(page) {
	return page.evaluate(() => {
		const el = document.activeElement;
		if (!el || el === document.body)
			return null;
		const cs = getComputedStyle(el);
		const outline = cs.outlineStyle !== 'none' &&
			parseFloat(cs.outlineWidth) > 0;
		const ring = cs.boxShadow && cs.boxShadow !== 'none';
		const words = el.textContent.replace(/\s+/g, ' ').trim();
		const label = el.tagName.toLowerCase() +
			(el.id ? '#' + el.id : '') +
			(el.className && typeof el.className === 'string'
				? '.' + el.className.trim().split(/\s+/).join('.') : '') +
			(words ? ` "${words.slice(0, 40)}"` : '');
		return { label, visible: outline || ring };
	});
}

// One browser view of a page state, shared by that state's checks: the
// state is opened once (its sign-in, its POST, the data it makes) and the
// response is kept as served. A check that needs the page as just loaded
// (the focus order from the top, another viewport) gets it by loading the
// kept response again in the same page: the same bytes, status and
// headers (so the Content-Security-Policy holds), the same cookies, the
// styles and scripts from the server, but no second round of sign-in and
// set-up. (Each state was opened eight times, in eight new browser
// contexts, which cost more than the checks.)
//
// The states are opened one after another in one browser page, emptied
// between them as a new context would be: no cookies, no local or session
// storage (the chat keeps its chat there), at desktop size. A new context
// costs the browser a new renderer process, about a second of CPU, and
// there are 54 states. After a failed check the page is thrown away and
// the next state gets a new context.
let statePage = null;

async function emptyStatePage() {
	if (statePage) {
		const page = statePage;
		statePage = null;
		try {
			if (new URL(page.url()).origin === new URL(base).origin)
				await page.evaluate(() => {
					sessionStorage.clear();
					localStorage.clear();
				});
			await page.goto('about:blank');
			await page.context().clearCookies();
			await page.setViewportSize(DESKTOP);
			statePage = page;
			return page;
		} catch {
			await page.context().close().catch(() => {});
		}
	}
	statePage = await newPage();
	return statePage;
}

async function closeStatePage() {
	if (statePage) {
		const page = statePage;
		statePage = null;
		await page.context().close().catch(() => {});
	}
}

class StateView {
	constructor(pg) {
		this.pg = pg;
		this.opened = null; /* promise of { page, resp, served } */
		this.touched = false; /* a check has moved the focus */
	}

	// The page as the state left it, and the response it was served.
	open() {
		if (!this.opened)
			this.opened = timed('open', async () => {
				const page = await emptyStatePage();
				const resp = await this.pg.open(page);
				check(resp, `${this.pg.name}: no response`);
				const headers = { ...(await resp.allHeaders()) };
				for (const h of ['content-length', 'content-encoding',
						 'transfer-encoding', 'set-cookie'])
					delete headers[h];
				const served = { url: resp.url(), status: resp.status(),
						 headers, body: await resp.body() };
				return { page, resp, served };
			});
		return this.opened;
	}

	// The same page, loaded again from the served response at viewport.
	async reloaded(viewport) {
		const { page, served } = await this.open();
		await timed('load again', async () => {
			await page.setViewportSize(viewport);
			const at = new URL(served.url);
			const replay = (route) => route.fulfill({ status: served.status,
				headers: served.headers, body: served.body });
			const same = (u) => u.href === at.href;
			await page.route(same, replay);
			try {
				const again = await page.goto(at.href);
				check(again && again.status() === served.status,
				      `${this.pg.name}: the served page did not load again`);
			} finally {
				await page.unroute(same, replay);
			}
		});
		this.touched = false;
		return page;
	}

	// The page showing the state at viewport.
	async at(viewport) {
		const { page } = await this.open();
		const now = page.viewportSize();
		if (now.width !== viewport.width || now.height !== viewport.height)
			return this.reloaded(viewport);
		return page;
	}

	// The page at desktop size with the focus where loading left it, for
	// a check that moves the focus.
	async untouched() {
		const page = this.touched ? await this.reloaded(DESKTOP)
			: await this.at(DESKTOP);
		this.touched = true;
		return page;
	}

	// Done with the state; failed: a check failed, so the page is not
	// used again.
	async close(failed) {
		this.opened = null;
		this.touched = false;
		if (failed)
			await closeStatePage();
	}
}

for (const pg of pages) {
	const view = new StateView(pg);
	const stateTest = (name, fn) => test(name, fn, view);

	stateTest(`${pg.name}: axe finds no WCAG 2.1 A/AA violations`, async () => {
		const page = await view.at(DESKTOP);
		const res = await runAxe(page);
		check(res.passes.length > 0, 'axe checked no rule');
		check(res.violations.length === 0, describeAxe(res.violations));
	});

	stateTest(`${pg.name}: served HTML is valid (html-validate)`, async () => {
		const { resp, served } = await view.open();
		const html = served.body.toString('utf8');
		const report = await timed('html-validate', () =>
			htmlvalidate.validateString(html,
				new URL(resp.url()).pathname + '.html'));
		check(html.includes('</html>'), 'no whole page served');
		const msgs = report.results.flatMap((r) => r.messages);
		check(report.valid && msgs.length === 0, msgs.map((m) =>
			`${m.line}:${m.column} ${m.ruleId}: ${m.message}`)
			.join('\n'));
	});

	stateTest(`${pg.name}: lang="da", one h1, a main landmark`, async () => {
		const page = await view.at(DESKTOP);
		check(await page.getAttribute('html', 'lang') === 'da',
		      'html lang is not "da"');
		const h1 = await page.locator('h1').count();
		check(h1 === 1, `${h1} h1 elements`);
		const mains = await page.getByRole('main').count();
		check(mains === 1, `${mains} main landmarks`);
	});

	const noScrolling = (vname, viewport) =>
		stateTest(`${pg.name}: no horizontal scrolling at ${vname} ` +
			  `${viewport.width}x${viewport.height}`, async () => {
			const page = await view.at(viewport);
			const m = await page.evaluate(() => ({
				scroll: document.scrollingElement.scrollWidth,
				inner: window.innerWidth,
			}));
			check(m.inner === viewport.width,
			      `innerWidth ${m.inner}, want ${viewport.width}`);
			check(m.scroll <= m.inner,
			      `scrollWidth ${m.scroll} > innerWidth ${m.inner}`);
		});

	// In this order the page as opened serves every check up to the skip
	// link; the phone size and the focus walk each load it again.
	noScrolling('desktop', DESKTOP);

	stateTest(`${pg.name}: Tab first focuses the skip link, which moves focus ` +
		  'to main', async () => {
		const page = await view.untouched();
		await page.keyboard.press('Tab');
		const skip = page.locator('a.skip');
		check(await skip.evaluate((el) => el === document.activeElement),
		      'first Tab did not focus the skip link');
		check(await text(skip) === 'Gå til indhold',
		      'skip link text is not "Gå til indhold"');
		const box = await skip.boundingBox();
		check(box && box.x >= 0 && box.y >= 0 && box.width > 0,
		      'focused skip link is not on screen');
		await page.keyboard.press('Enter');
		await page.waitForFunction(() =>
			document.activeElement &&
			document.activeElement.tagName === 'MAIN');
		check(new URL(page.url()).hash === '#indhold',
		      `URL after skip link: ${page.url()}`);
	});

	noScrolling('phone', PHONE);

	stateTest(`${pg.name}: every element reached by Tab shows a visible focus`,
		  async () => {
		const page = await view.untouched();
		const seen = [];
		const bad = [];
		await timed('focus walk', async () => {
			for (let i = 0; i < 300; i++) {
				await page.keyboard.press('Tab');
				const f = await focusStyle(page);
				if (!f)
					break; /* tabbed out of the document */
				const first = await page.evaluate(() => {
					const el = document.activeElement;
					const again = el.dataset.e2eSeen === '1';
					el.dataset.e2eSeen = '1';
					return again;
				});
				if (first)
					break; /* wrapped around */
				seen.push(f.label);
				if (!f.visible)
					bad.push(f.label);
			}
		});
		check(seen.length > 1, `only ${seen.length} focusable elements`);
		check(bad.length === 0, 'no visible focus on: ' + bad.join(', '));
	});
}

// ---- what the pages do ------------------------------------------------------

group = 'flows';

test('not found page says so in Danish with status 404', () =>
	withPage({}, async (page) => {
		await go(page, '/artikel/findes-ikke', 404);
		check(await text(page.locator('h1')) === 'Siden findes ikke',
		      'wrong heading on the 404 page');
		await page.getByRole('link', { name: 'Gå til forsiden' }).click();
		await page.waitForURL(url('/'));
	}));

test('municipality 901 shows the Nordskov version of a local article', () =>
	withPage({}, async (page) => {
		await chooseMunicipality(page, '901');
		check((await text(page.locator('header.site'))).includes(
			'Du ser indhold for Nordskov Kommune'),
		      'header does not name the chosen municipality');
		await go(page, '/artikel/storskrald-bestil-afhentning');
		const h1 = await text(page.locator('h1'));
		check(h1.includes('Nordskov'), `heading: ${h1}`);
		check((await text(page.locator('.meta'))).includes(
			'(lokal vejledning)'), 'not marked as local guidance');
	}));

test('without a municipality the shared version of the article is shown', () =>
	withPage({}, async (page) => {
		await go(page, '/artikel/storskrald-bestil-afhentning');
		const h1 = await text(page.locator('h1'));
		check(h1 === 'Storskrald: bestil afhentning ved din bolig',
		      `heading: ${h1}`);
		check(await page.locator('header .muni').count() === 0,
		      'a municipality is shown though none was chosen');
		check(!(await text(page.locator('main'))).includes('Nordskov'),
		      'shared article mentions Nordskov');
	}));

test('sign-in error: Danish message shown and the e-mail kept', () =>
	withPage({}, async (page) => {
		const email = unknownEmail();
		await signIn(page, email, 'forkert-kode', 401);
		const alert = page.getByRole('alert');
		check(await text(alert) === 'E-mail eller adgangskode er forkert.',
		      `alert: ${await text(alert)}`);
		check(await page.getByLabel('E-mail').inputValue() === email,
		      'e-mail not kept');
		check(await page.getByLabel('Adgangskode').inputValue() === '',
		      'password kept');
		check(await page.getByLabel('E-mail')
			.getAttribute('aria-describedby') === 'login-fejl',
		      'e-mail field not described by the error');
	}));

async function signInAndOut(page) {
	await signIn(page, STAFF.email, STAFF.password);
	const h1 = await text(page.locator('h1'));
	check(h1 === `Velkommen, ${STAFF.name}`, `heading: ${h1}`);
	check(await page.getByRole('link', { name: 'Personale' }).count() === 1,
	      'no Personale link in the menu when signed in');
	await submit(page, page.getByRole('button', { name: 'Log ud' }), '/');
	check(await page.getByRole('link', { name: 'Log ind for personale' })
		.count() === 1, 'menu does not offer sign-in after signing out');
	check(await page.getByRole('link', { name: 'Personale', exact: true })
		.count() === 0, 'still signed in after Log ud');
	// Signed out for real: the staff page sends us to sign in.
	await page.goto(url('/personale'));
	await page.waitForURL(url('/log-ind'));
}

test('sign in, the staff page shows the name, Log ud signs out', () =>
	withPage({}, signInAndOut));

test('JavaScript disabled: sign in and Log ud work', () =>
	withPage({ javaScriptEnabled: false }, signInAndOut));

test('JavaScript disabled: sign-in error keeps the e-mail', () =>
	withPage({ javaScriptEnabled: false }, async (page) => {
		const email = unknownEmail();
		await signIn(page, email, 'forkert-kode', 401);
		check((await text(page.getByRole('alert'))).includes('forkert'),
		      'no error shown');
		check(await page.getByLabel('E-mail').inputValue() === email,
		      'e-mail not kept');
	}));

test('sign-in throttled: after five wrong passwords the form says to wait', () =>
	withPage({}, async (page) => {
		const email = unknownEmail();
		for (let i = 0; i < 5; i++)
			await signIn(page, email, 'forkert-kode', 401);
		const resp = await signIn(page, email, 'forkert-kode', 429);
		check(Number(resp.headers()['retry-after']) > 0, 'no Retry-After');
		const alert = await text(page.getByRole('alert'));
		check(alert.includes('for mange forkerte forsøg') &&
		      alert.includes('Vent'), `alert: ${alert}`);
		check(await page.getByLabel('E-mail').inputValue() === email,
		      'e-mail not kept');
	}));

test('JavaScript disabled: the municipality chooser works and is remembered',
     () => withPage({ javaScriptEnabled: false }, async (page) => {
	await chooseMunicipality(page, '901');
	check((await text(page.locator('header.site'))).includes(
		'Du ser indhold for Nordskov Kommune'),
	      'header does not name the chosen municipality');
	check(await page.locator('#kommune').inputValue() === '901',
	      'the chooser does not show the choice');
	// Remembered across pages, and undone by "Skift kommune".
	await go(page, '/artikel/storskrald-bestil-afhentning');
	check((await text(page.locator('h1'))).includes('Nordskov'),
	      'local version not shown after choosing');
	await page.getByRole('link', { name: 'Skift kommune' }).click();
	await page.waitForURL((u) => u.pathname === '/' &&
		u.searchParams.get('kommune') === '');
	check(await page.locator('header .muni').count() === 0,
	      'municipality still shown after Skift kommune');
	check(await page.locator('#kommune').inputValue() === '',
	      'chooser still has a municipality');
	await go(page, '/artikel/storskrald-bestil-afhentning');
	check(!(await text(page.locator('h1'))).includes('Nordskov'),
	      'local version still shown after Skift kommune');
}));

// ---- search -----------------------------------------------------------------

test('search page: results in Danish, links to articles, snippets marked', () =>
	withPage({}, async (page) => {
		await go(page, '/soeg?q=sundhedskort');
		const h2 = await text(page.locator('#resultater'));
		check(/^\d+ resultater for \W?sundhedskort\W?$/.test(h2), `heading: ${h2}`);
		const hits = page.locator('ol.hits > li');
		check(await hits.count() === 10, `${await hits.count()} hits on page 1`);
		check(await page.locator('ol.hits mark').count() > 0, 'no <mark> in snippets');
		const first = hits.first().getByRole('link');
		const title = await text(first);
		check(/sundhedskort/i.test(title), `first hit: ${title}`);
		await first.click();
		await page.waitForURL((u) => u.pathname.startsWith('/artikel/') &&
			/^\d+$/.test(u.searchParams.get('s') || ''));
		check(await text(page.locator('h1')) === title,
		      'the article is not the one chosen');
	}));

test('search page: "Mente du" corrects a typo, nonsense finds nothing', () =>
	withPage({}, async (page) => {
		await go(page, '/soeg?q=sundhedskrot');
		const dym = page.locator('p.dym');
		check((await text(dym)).startsWith('Mente du sundhedskort'),
		      `"Mente du": ${await text(dym)}`);
		await dym.getByRole('link', { name: 'sundhedskort' }).click();
		await page.waitForURL((u) => u.pathname === '/soeg' &&
			u.searchParams.get('q') === 'sundhedskort');
		check(await page.locator('p.dym').count() === 0,
		      '"Mente du" for a correct query');
		await go(page, '/soeg?q=zqxjvbnm');
		const none = await text(page.locator('#resultater'));
		check(/^Ingen resultater for \W?zqxjvbnm\W?$/.test(none),
		      `heading: ${none}`);
		check(await page.locator('ol.hits').count() === 0, 'a list of no hits');
		await go(page, '/soeg?q=%20', 400);
		check((await text(page.getByRole('alert'))) ===
		      'Skriv et eller flere ord, du vil søge efter.',
		      `alert: ${await text(page.getByRole('alert'))}`);
	}));

test('search page: paging links move between pages', () =>
	withPage({}, async (page) => {
		await go(page, '/soeg?q=sundhedskort');
		const pager = page.getByRole('navigation', { name: 'Sider' });
		check((await text(pager)).includes('Side 1 af'), 'no pager on page 1');
		const firstHit = await text(page.locator('ol.hits > li a').first());
		await pager.getByRole('link', { name: 'Næste side' }).click();
		await page.waitForURL((u) => u.searchParams.get('side') === '2');
		check((await text(pager)).includes('Side 2 af'), 'not on page 2');
		check(await text(page.locator('ol.hits > li a').first()) !== firstHit,
		      'page 2 starts with the first hit of page 1');
		await pager.getByRole('link', { name: 'Forrige side' }).click();
		await page.waitForURL((u) => u.pathname === '/soeg' &&
			!u.searchParams.has('side'));
		check(await text(page.locator('ol.hits > li a').first()) === firstHit,
		      'back on page 1, a different first hit');
	}));

test('JavaScript disabled: the search form on the front page works', () =>
	withPage({ javaScriptEnabled: false }, async (page) => {
		await go(page, '/');
		const input = page.getByLabel('Søg i vejledningerne');
		check(await input.getAttribute('role') === null,
		      'the input is a combobox without JavaScript');
		await input.fill('sundhedskort');
		await submit(page, page.getByRole('button', { name: 'Søg', exact: true }),
			     '/soeg');
		check(new URL(page.url()).searchParams.get('q') === 'sundhedskort',
		      `landed on ${page.url()}`);
		check(await page.getByLabel('Søg i vejledningerne').inputValue() ===
		      'sundhedskort', 'the query is not kept in the form');
		check(await page.locator('ol.hits > li').count() > 0, 'no results');
		const link = page.locator('ol.hits > li a').first();
		const title = await text(link);
		await link.click();
		await page.waitForURL((u) => u.pathname.startsWith('/artikel/'));
		check(await text(page.locator('h1')) === title, 'wrong article opened');
	}));

// Opens the front page and puts "sundheds" in the search box. fill() sends
// one input event, so exactly one suggestion request is made and the list
// is rendered once: a later answer cannot reset what a test has selected.
async function openSuggestions(page) {
	await go(page, '/');
	const input = page.locator('#q');
	check(await input.getAttribute('role') === 'combobox', 'no combobox role');
	check(await input.getAttribute('aria-expanded') === 'false',
	      'expanded before typing');
	const answered = page.waitForResponse((r) =>
		new URL(r.url()).pathname === '/api/v1/suggest' &&
		new URL(r.url()).searchParams.get('q') === 'sundheds');
	await input.fill('sundheds');
	check((await answered).status() === 200, 'suggest did not answer 200');
	const list = page.getByRole('listbox', { name: 'Forslag' });
	await list.waitFor({ state: 'visible' });
	return { input, list, options: list.getByRole('option') };
}

async function activeOption(page) {
	return page.evaluate(() => {
		const input = document.getElementById('q');
		const id = input.getAttribute('aria-activedescendant');
		const el = id && document.getElementById(id);
		const selected = [...document.querySelectorAll('[role=option]')]
			.filter((o) => o.getAttribute('aria-selected') === 'true')
			.map((o) => o.id);
		return { id, exists: !!el, text: el ? el.textContent : null,
			 title: !!el && el.classList.contains('title'), selected };
	});
}

test('combobox: typing shows a list box of suggestions', () =>
	withPage({}, async (page) => {
		const { input, list, options } = await openSuggestions(page);
		const n = await options.count();
		check(n > 1, `${n} options`);
		check(await input.getAttribute('aria-expanded') === 'true',
		      'aria-expanded is not true while the list shows');
		check(await input.getAttribute('aria-controls') ===
		      await list.getAttribute('id'), 'aria-controls does not name the list');
		check(await input.getAttribute('aria-autocomplete') === 'list',
		      'aria-autocomplete is not list');
		check(await input.getAttribute('aria-activedescendant') === null,
		      'an option is active before any arrow key');
		const texts = await options.allInnerTexts();
		check(texts.includes('sundhedskort'), `options: ${texts.join(' | ')}`);
		check(texts.some((t) => /^Sundhedskort/.test(t)),
		      `no article title among: ${texts.join(' | ')}`);
		check((await text(page.getByRole('status'))).includes('forslag'),
		      'the count of suggestions is not announced');
		// The focus stays in the input.
		check(await input.evaluate((el) => el === document.activeElement),
		      'focus left the input');
	}));

test('combobox: arrow keys move aria-activedescendant and aria-selected', () =>
	withPage({}, async (page) => {
		const { input, options } = await openSuggestions(page);
		const ids = await options.evaluateAll((os) => os.map((o) => o.id));
		await page.keyboard.press('ArrowDown');
		let a = await activeOption(page);
		check(a.id === ids[0] && a.exists, `after ArrowDown: ${a.id}`);
		check(a.selected.length === 1 && a.selected[0] === ids[0],
		      `aria-selected on ${a.selected}`);
		await page.keyboard.press('ArrowDown');
		a = await activeOption(page);
		check(a.id === ids[1] && a.selected.join() === ids[1],
		      `after two ArrowDown: ${a.id}, selected ${a.selected}`);
		await page.keyboard.press('ArrowUp');
		a = await activeOption(page);
		check(a.id === ids[0] && a.selected.join() === ids[0],
		      `after ArrowUp: ${a.id}`);
		// Up from the first wraps to the last.
		await page.keyboard.press('ArrowUp');
		a = await activeOption(page);
		check(a.id === ids[ids.length - 1], `wrap: ${a.id}`);
		check(await input.inputValue() === 'sundheds',
		      'moving in the list changed the input');
	}));

test('combobox: new suggestions clear the active option', () =>
	withPage({}, async (page) => {
		const { input } = await openSuggestions(page);
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowDown');
		check((await activeOption(page)).id !== null, 'no active option');
		const answered = page.waitForResponse((r) =>
			new URL(r.url()).searchParams.get('q') === 'sundhedsk');
		await input.fill('sundhedsk');
		await answered;
		// rendered: every completion now starts with the new text
		await page.waitForFunction(() => {
			const c = [...document.querySelectorAll('#q-forslag .completion')];
			return c.length > 0 &&
				c.every((o) => o.textContent.startsWith('sundhedsk'));
		});
		const a = await activeOption(page);
		check(a.id === null, `aria-activedescendant still ${a.id}`);
		check(a.selected.length === 0, `still selected: ${a.selected}`);
		await page.keyboard.press('ArrowDown');
		const ids = await page.getByRole('option').evaluateAll((os) =>
			os.map((o) => o.id));
		check((await activeOption(page)).id === ids[0],
		      'ArrowDown does not start from the first new option');
	}));

test('combobox: Enter on a title option opens that article', () =>
	withPage({}, async (page) => {
		const { options } = await openSuggestions(page);
		const n = await options.count();
		let a = null;
		for (let i = 0; i < n; i++) {
			await page.keyboard.press('ArrowDown');
			a = await activeOption(page);
			if (a.title)
				break;
		}
		check(a && a.title, 'no title option in the list');
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => u.pathname.startsWith('/artikel/'));
		check(await text(page.locator('h1')) === a.text.trim(),
		      `opened "${await text(page.locator('h1'))}", chose "${a.text}"`);
	}));

test('combobox: Enter on a completion searches for it', () =>
	withPage({}, async (page) => {
		await openSuggestions(page);
		await page.keyboard.press('ArrowDown');
		const a = await activeOption(page);
		check(!a.title, 'the first option is not a completion');
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => u.pathname === '/soeg' &&
			u.searchParams.get('q') === a.text);
		check(await page.locator('ol.hits > li').count() > 0, 'no results');
	}));

test('combobox: Escape closes the list', () =>
	withPage({}, async (page) => {
		const { input, list } = await openSuggestions(page);
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Escape');
		await list.waitFor({ state: 'hidden' });
		check(await input.getAttribute('aria-expanded') === 'false',
		      'aria-expanded is not false after Escape');
		check(await input.getAttribute('aria-activedescendant') === null,
		      'an option is still active after Escape');
		check(await input.inputValue() === 'sundheds', 'Escape changed the input');
		check(await input.evaluate((el) => el === document.activeElement),
		      'focus left the input');
		check(page.url() === url('/'), 'Escape navigated');
	}));

test('combobox: axe finds no WCAG 2.1 A/AA violations with the list open', () =>
	withPage({}, async (page) => {
		await openSuggestions(page);
		await page.keyboard.press('ArrowDown');
		const res = await runAxe(page);
		check(res.passes.length > 0, 'axe checked no rule');
		check(res.violations.length === 0, describeAxe(res.violations));
	}));

// ---- casework ---------------------------------------------------------------
// The caseworker's queue and case pages. Cases come from a demo citizen
// through the API, as a citizen's form would send them.

const CASEWORKER = { email: 'sagsbehandler@nordskov.demo',
		     password: 'demo-sagsbehandler', name: 'Jonas Krogh' };
const AGENT = { email: 'borgerservice@nordskov.demo',
		password: 'demo-borgerservice', name: 'Mette Lund' };
const OTHER_ORG = { email: 'sagsbehandler@aastrup.demo',
		    password: 'demo-sagsbehandler' };
const STALE = 'Sagen er blevet ændret af en anden, mens du havde den åben. ' +
	'Se ændringerne og prøv igen.';
// A file that passes the form's PDF check.
const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n' +
			      '%%EOF\n');
const PDF = PDF_BYTES.toString('base64');

// Submits an application for enkeltydelse as the demo citizen Mette Jensen
// of Nordskov (901) and returns the new case's id.
// The journal number of each case submitCase made, by id.
const journals = new Map();

async function submitCase() {
	const made = await citizenSubmits('enkeltydelse', {
		udgiftstype: 'tandbehandling',
		beskrivelse: 'En tand knækkede, og tandlægen skal lave en krone.',
		beloeb: '4200', betalt: 'nej', forsikring: 'nej',
		tilbud: { name: 'overslag-tandlaege.pdf',
			  content_type: 'application/pdf', data: PDF },
	});
	journals.set(made.id, made.journal_no);
	return made.id;
}

// Submits a case of caseType with values through the API as the demo
// citizen Mette Jensen of Nordskov (901); returns the new case (JSON).
async function citizenSubmits(caseType, values) {
	const context = await apiClient();
	try {
		const s = await context.post(url('/api/v1/citizen/session'),
			{ data: { subject: 'demo:demo-mette' } });
		check(s.status() === 201, `citizen sign-in: ${s.status()}`);
		const { csrf_token: csrf } = await s.json();
		const resp = await context.post(url('/api/v1/cases'), {
			headers: { 'X-CSRF-Token': csrf },
			data: { case_type: caseType, values },
		});
		check(resp.status() === 201,
		      `case not created: ${resp.status()} ${await resp.text()}`);
		return await resp.json();
	} finally {
		await context.dispose();
	}
}

// p-agree (issue 16, point 4): the demo's custody agreement, filled in
// by Camilla Holm naming Mikkel Holm and their daughter, waiting for his
// signature; made once (each one names two parties, and a citizen names
// at most ten a day).
const AGREEMENT_PARENT = { subject: 'demo:demo-mikkel', name: 'Mikkel Holm' };
const AGREEMENT_APPLICANT = { subject: 'demo:demo-camilla', name: 'Camilla Holm' };
let sharedAgreement = null;
function agreementCase() {
	if (!sharedAgreement)
		sharedAgreement = (async () => {
			const context = await apiClient();
			try {
				const s = await context.post(url('/api/v1/citizen/session'),
					{ data: { subject: AGREEMENT_APPLICANT.subject } });
				check(s.status() === 201, `citizen sign-in: ${s.status()}`);
				const { csrf_token: csrf } = await s.json();
				const resp = await context.post(url('/api/v1/cases'), {
					headers: { 'X-CSRF-Token': csrf },
					data: { case_type: 'foraeldremyndighed-aftale', values: {
						anden_foraelder_cpr: '030586-1049',
						barn_cpr: '170616-4002', barn_navn: 'Emma Holm',
						foraeldremyndighed: 'faelles', bopael: 'ansoeger',
						samvaer: 'weekend',
						ferier: 'Sommerferien deles, tre uger hos hver.' } },
				});
				check(resp.status() === 201,
				      `agreement not created: ${resp.status()} ${await resp.text()}`);
				return (await resp.json()).id;
			} finally {
				await context.dispose();
			}
		})();
	return sharedAgreement;
}

function agreementPageStates() {
	return [
		{ name: 'agreement for the other parent to sign', open: async (p) => {
			const id = await agreementCase();
			await citizenSignIn(p, null, AGREEMENT_PARENT);
			return go(p, `/mit-overblik/part/${id}`);
		  } },
		{ name: 'agreement change with errors', open: async (p) => {
			const id = await agreementCase();
			await citizenSignIn(p, null, AGREEMENT_PARENT);
			const path = `/mit-overblik/aftale/${id}/aendring`;
			await go(p, path);
			await p.getByLabel('Barnets fulde navn').fill('');
			return submit(p, p.getByRole('button',
				{ name: 'Send ændringen, og underskriv den' }), path, 422);
		  } },
		{ name: 'agreement on the applicant\'s case page', open: async (p) => {
			const id = await agreementCase();
			await citizenSignIn(p, null, AGREEMENT_APPLICANT);
			return go(p, `/mit-overblik/sag/${id}`);
		  } },
	];
}

let sharedCase = null;
function demoCase() {
	if (!sharedCase)
		sharedCase = submitCase();
	return sharedCase;
}

const casePath = (id) => `/sagsbehandling/sag/${id}`;

async function openCase(page, who, id) {
	await signIn(page, who.email, who.password);
	return go(page, casePath(id));
}

// The case page after a stale action: the page was opened, the case then
// changed (through the same session, as if in another tab), and only then
// "Start behandling" was pressed with the note typed.
async function openStaleCase(page) {
	const id = await submitCase();
	await openCase(page, CASEWORKER, id);
	const csrf = await page.locator('input[name=csrf]').first().inputValue();
	const r = await page.request.post(url(`${casePath(id)}/tildeling`), {
		form: { csrf, version: '1', tildel: 'mig' }, maxRedirects: 0 });
	check(r.status() === 303, `assign behind the page's back: ${r.status()}`);
	await page.getByLabel('Bemærkning til borgeren (valgfri)')
		.fill('Vi går i gang med din ansøgning.');
	return submit(page, page.getByRole('button', { name: 'Start behandling' }),
		      `${casePath(id)}/overgang`, 409);
}

async function facts(page) {
	const out = {};
	const dts = page.locator('dl.case-facts > dt');
	for (let i = 0; i < await dts.count(); i++)
		out[await text(dts.nth(i))] = await text(
			page.locator('dl.case-facts > dd').nth(i));
	return out;
}

test('casework: signed out, the queue sends you to sign in', () =>
	withPage({}, async (page) => {
		await page.goto(url('/sagsbehandling'));
		await page.waitForURL(url('/log-ind'));
		await page.goto(url('/sagsbehandling/sag/1'));
		await page.waitForURL(url('/log-ind'));
	}));

test('casework: an editor gets a Danish 403 page and no Sager link', () =>
	withPage({}, async (page) => {
		await signIn(page, STAFF.email, STAFF.password);
		check(await page.getByRole('link', { name: 'Sager', exact: true })
			.count() === 0, 'Sager link shown to an editor');
		await go(page, '/sagsbehandling', 403);
		check(await text(page.locator('h1')) === 'Ingen adgang',
		      'no Danish 403 heading');
		await go(page, casePath(await demoCase()), 403);
	}));

test('casework: another organisation\'s case is a 404 and not in its queue',
     () => withPage({}, async (page) => {
	const id = await demoCase();
	await signIn(page, OTHER_ORG.email, OTHER_ORG.password);
	await go(page, casePath(id), 404);
	check(await text(page.locator('h1')) === 'Sagen findes ikke',
	      'no Danish 404 heading');
	await go(page, '/sagsbehandling');
	check(await page.locator(`a[href="${casePath(id)}"]`).count() === 0,
	      'Nordskov\'s case is listed for Åstrup');
	// nor can its forms be used
	const r = await page.request.post(url(`${casePath(id)}/note`),
		{ form: { csrf: 'x', version: '1', tekst: 'x' } });
	check(r.status() === 404 || r.status() === 403,
	      `note on another organisation's case: ${r.status()}`);
}));

test('casework: the case page shows the form with its Danish labels', () =>
	withPage({}, async (page) => {
		const id = await demoCase();
		await openCase(page, CASEWORKER, id);
		check(await text(page.locator('h1')) ===
		      `Sag ${journals.get(id)}: Ansøgning om enkeltydelse`, 'heading');
		const f = await facts(page);
		check(f.Borger === 'Mette Jensen', `citizen: ${f.Borger}`);
		check(/^\d+\. \w+ \d{4} \(om \d+ dage\)$/.test(f.Frist),
		      `deadline: ${f.Frist}`);
		const values = await text(page.locator('dl.case-values'));
		for (const want of ['Hvad skal hjælpen dække? Tandbehandling',
				    'Har du allerede betalt udgiften? Nej',
				    'Hvad koster det (kr.)? 4.200',
				    'Tilbud, overslag eller regning ' +
				    `overslag-tandlaege.pdf (${PDF_BYTES.length} byte)`])
			check(values.includes(want), `values lack "${want}": ${values}`);
		check(!values.includes('tandbehandling '), 'a raw option value shown');
		const hist = await text(page.locator('ol.case-events'));
		check(hist.includes('Sagen blev modtaget') &&
		      hist.includes('Mette Jensen'), `history: ${hist}`);
	}));

async function caseworkFlow(page) {
	const id = await submitCase();
	const path = casePath(id);
	await signIn(page, CASEWORKER.email, CASEWORKER.password);
	await page.getByRole('link', { name: 'Sager', exact: true }).click();
	await page.waitForURL((u) => u.pathname === '/sagsbehandling');
	check(await text(page.locator('h1')) === 'Sager', 'queue heading');

	// filter: received applications for enkeltydelse, newest first
	await page.getByLabel('Tilstand').selectOption('received');
	await page.getByLabel('Sagstype').selectOption('enkeltydelse');
	await page.getByLabel('Sortering').selectOption('nyeste');
	await submit(page, page.getByRole('button', { name: 'Vis sager' }),
		     '/sagsbehandling');
	const q = new URL(page.url()).searchParams;
	check(q.get('tilstand') === 'received' && q.get('sagstype') ===
	      'enkeltydelse' && q.get('sortering') === 'nyeste',
	      `filters not in the URL: ${page.url()}`);
	const rows = page.locator('table.queue-table tbody tr');
	check(await rows.count() > 0, 'no rows');
	const first = await rows.first().getByRole('link').getAttribute('href');
	check(first === path, `newest first, but the first is ${first}`);
	for (let i = 0; i < await rows.count(); i++) {
		const cells = await rows.nth(i).locator('td').allInnerTexts();
		check(cells[0] === 'Ansøgning om enkeltydelse' &&
		      cells[2] === 'Modtaget', `row ${i}: ${cells.join(' | ')}`);
	}
	check(await page.getByLabel('Tilstand').inputValue() === 'received',
	      'the form forgot the state');

	// open it
	await rows.first().getByRole('link').click();
	await page.waitForURL((u) => u.pathname === path);

	// assign
	await submit(page, page.getByRole('button', { name: 'Tag sagen' }), path);
	check(await text(page.locator('.case-done')) === 'Sagen er tildelt dig.',
	      'no confirmation of the assignment');
	check((await facts(page)).Tildelt === 'Dig', 'not assigned to me');
	check(await page.getByRole('button', { name: 'Fjern tildeling' }).count()
	      === 1, 'no Fjern tildeling');

	// move it on, with a note to the citizen
	await page.getByLabel('Bemærkning til borgeren (valgfri)')
		.fill('Vi er gået i gang med din ansøgning.');
	await submit(page, page.getByRole('button', { name: 'Start behandling' }),
		     path);
	check((await facts(page)).Tilstand === 'Under behandling',
	      `state: ${(await facts(page)).Tilstand}`);
	const buttons = await page.locator('form[action$="/overgang"] button')
		.allInnerTexts();
	check(buttons.includes('Bevil som tilskud') && buttons.includes('Afslå') &&
	      !buttons.includes('Start behandling'),
	      `transitions from Under behandling: ${buttons.join(', ')}`);
	let hist = await text(page.locator('ol.case-events'));
	check(hist.includes('Tilstand ændret fra Modtaget til Under behandling'),
	      `history: ${hist}`);
	check(hist.includes('Vi er gået i gang med din ansøgning.'),
	      'note not in the history');

	// ask the citizen for more: the deadline pauses
	await page.getByLabel('Hvad skal borgeren svare på eller sende?')
		.fill('Send et kontoudtog for de seneste tre måneder.');
	await submit(page, page.getByRole('button',
		{ name: 'Bed borgeren om mere' }), path);
	const f = await facts(page);
	check(f.Tilstand === 'Afventer borgeren', `state: ${f.Tilstand}`);
	check(f.Frist.startsWith('I bero'), `deadline: ${f.Frist}`);
	hist = await text(page.locator('ol.case-events'));
	check(hist.includes('Borgeren blev bedt om mere') &&
	      hist.includes('Send et kontoudtog'), `history: ${hist}`);
	check(await page.getByRole('button', { name: 'Bed borgeren om mere' })
		.count() === 0, 'can ask again while waiting');

	// an internal note
	await page.getByLabel('Note', { exact: true }).fill('Ringede til borgeren.');
	await submit(page, page.getByRole('button', { name: 'Tilføj note' }), path);
	check(await text(page.locator('.case-done')) === 'Noten er tilføjet.',
	      'no confirmation of the note');

	// the queue: mine, waiting for the citizen, deadline on hold
	await go(page, '/sagsbehandling?mine=1&tilstand=awaiting_citizen');
	const row = page.locator('table.queue-table tbody tr').filter({
		has: page.locator(`a[href="${path}"]`) });
	const cells = await row.locator('td').allInnerTexts();
	check(cells[3].trim() === 'I bero' && cells[4].trim() === 'Dig',
	      `queue row: ${cells.join(' | ')}`);
	check(await page.getByLabel('Kun mine').isChecked(), 'Kun mine unchecked');
}

test('casework: sign in, filter, open, assign, move and ask the citizen', () =>
	withPage({}, caseworkFlow));

test('JavaScript disabled: sign in, filter, open, assign, move and ask the ' +
     'citizen', () => withPage({ javaScriptEnabled: false }, caseworkFlow));

test('JavaScript disabled: two staff on one case, the second gets the stale ' +
     'message with 409 and keeps the text', async () => {
	const id = await submitCase();
	const path = casePath(id);
	const a = await newPage({ javaScriptEnabled: false });
	const b = await newPage({ javaScriptEnabled: false });
	try {
		await openCase(a, CASEWORKER, id);
		await openCase(b, AGENT, id);
		await submit(a, a.getByRole('button', { name: 'Start behandling' }),
			     path);
		const question = 'Har du spurgt din forsikring, om den dækker?';
		await b.getByLabel('Hvad skal borgeren svare på eller sende?')
			.fill(question);
		await submit(b, b.getByRole('button',
			{ name: 'Bed borgeren om mere' }), `${path}/anmodning`, 409);
		check(await text(b.getByRole('alert')) === STALE,
		      `alert: ${await text(b.getByRole('alert'))}`);
		check(await b.getByLabel('Hvad skal borgeren svare på eller sende?')
			.inputValue() === question, 'the question was lost');
		check((await facts(b)).Tilstand === 'Under behandling',
		      'the page does not show the case as it is now');
		const fresh = await text(b.locator('ol.case-events li.new'));
		check(fresh.includes('Ny siden du åbnede sagen') &&
		      fresh.includes('Under behandling') &&
		      fresh.includes(CASEWORKER.name), `marked new: ${fresh}`);
		// now with the current version it goes through
		await submit(b, b.getByRole('button',
			{ name: 'Bed borgeren om mere' }), path);
		check((await facts(b)).Tilstand === 'Afventer borgeren',
		      'retry did not go through');
		// and the first one's stale "Tag sagen" is refused too
		await submit(a, a.getByRole('button', { name: 'Tag sagen' }),
			     `${path}/tildeling`, 409);
		check(await text(a.getByRole('alert')) === STALE, 'no stale message');
	} finally {
		await a.context().close();
		await b.context().close();
	}
});

// ---- letters ------------------------------------------------------------------
// A refusal of an enkeltydelse (four eyes): one caseworker writes it from
// the decision button, a second approves it, and only then is the case
// decided and the letter sent.

const SECOND_CASEWORKER = { email: 'sagsbehandler2@nordskov.demo',
			    password: 'demo-sagsbehandler', name: 'Birgitte Vang' };
const REFUSAL_WHY = 'Du har en opsparing på 38.000 kr., som du først skal ' +
	'bruge til udgiften.';

// The page at path as served (not as the browser re-serialises it),
// checked with html-validate; "" when valid.
async function validHtml(page, path) {
	const resp = await page.request.get(url(path));
	const report = await htmlvalidate.validateString(await resp.text(),
							 path + '.html');
	const msgs = report.results.flatMap((r) => r.messages);
	return msgs.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`)
		.join('\n');
}

test('letters: a refusal with four eyes, written by one caseworker and ' +
     'approved by another', () => withPage({}, async (page) => {
	const id = await submitCase();
	const path = casePath(id);
	await openCase(page, CASEWORKER, id);
	await submit(page, page.getByRole('button', { name: 'Start behandling' }),
		     path);
	// the decision button opens the compose page with the merged letter
	const compose = `${path}/brev`;
	await submit(page, page.getByRole('button', { name: 'Afslå' }), compose);
	check(new URL(page.url()).searchParams.get('til') === 'rejected',
	      `compose URL: ${page.url()}`);
	let preview = await text(page.locator('section.letter-preview'));
	check(preview.includes('Kære Mette Jensen') && preview.includes('4.200,00 kr.') &&
	      preview.includes('Klagevejledning') && preview.includes('Ankestyrelsen'),
	      `preview: ${preview}`);
	check((await text(page.locator('p.lead'))).includes('godkender brevet'),
	      'the page does not say a colleague must approve');
	const composeHtml = await validHtml(page, `${compose}?til=rejected`);
	check(composeHtml === '', composeHtml);
	const axeCompose = await runAxe(page);
	check(axeCompose.violations.length === 0, describeAxe(axeCompose.violations));
	// the justification must be written (the server refuses it too:
	// tests/pages/test_letter_pages.c)
	check(await page.getByLabel('Begrundelse (skal udfyldes)')
		.getAttribute('required') !== null, 'the justification is optional');
	await page.getByLabel('Begrundelse (skal udfyldes)').fill(REFUSAL_WHY);
	await submit(page, page.getByRole('button', { name: 'Opdater forhåndsvisningen' }),
		     compose);
	preview = await text(page.locator('section.letter-preview'));
	check(preview.includes(REFUSAL_WHY), 'the preview lacks the justification');
	await submit(page, page.getByRole('button', { name: 'Send til godkendelse' }),
		     path);
	check((await text(page.locator('.case-done'))).startsWith(
		'Brevet venter nu på, at en anden sagsbehandler godkender det.'),
	      `confirmation: ${await text(page.locator('.case-done'))}`);
	check((await facts(page)).Tilstand === 'Under behandling',
	      'decided before the approval');
	check((await text(page.locator('section.case-letters'))).includes(
		'Til godkendelse'), 'the letter is not listed as awaiting approval');

	// the author cannot approve it
	await go(page, '/sagsbehandling/godkendelser');
	check((await text(page.locator('main'))).includes(
		'Der er ingen breve, der venter på din godkendelse.'),
	      'the author is offered their own letter');

	// the colleague approves it
	await withPage({}, async (other) => {
		await go(other, '/log-ind');
		await other.getByLabel('E-mail').fill(SECOND_CASEWORKER.email);
		await other.getByLabel('Adgangskode').fill(SECOND_CASEWORKER.password);
		await submit(other, other.getByRole('button', { name: 'Log ind' }),
			     '/sagsbehandling');
		await other.getByRole('link', { name: 'Breve til godkendelse' }).click();
		await other.waitForURL((u) => u.pathname === '/sagsbehandling/godkendelser');
		const row = other.locator('table.queue-table tbody tr').filter({
			hasText: `Sag ${id}` });
		check(await row.count() === 1, 'the letter is not in the list');
		await row.getByRole('link', { name: 'Afgørelse om enkeltydelse: Afslag' })
			.click();
		await other.waitForURL((u) => u.pathname.startsWith('/sagsbehandling/brev/'));
		const letterPath = new URL(other.url()).pathname;
		check((await text(other.locator('section.letter-preview'))).includes(
			REFUSAL_WHY), 'the approver does not see the letter');
		const problems = await validHtml(other, letterPath);
		check(problems === '', problems);
		await submit(other, other.getByRole('button', { name: 'Godkend og send' }),
			     letterPath);
		const f = await facts(other);
		check(f.Tilstand === 'Sendt' && f['Godkendt af'] === SECOND_CASEWORKER.name &&
		      f['Skrevet af'] === CASEWORKER.name, `letter facts: ${JSON.stringify(f)}`);
		const pdf = await other.request.get(url(`${letterPath}.pdf`));
		check(pdf.status() === 200 &&
		      pdf.headers()['content-type'] === 'application/pdf' &&
		      (await pdf.body()).subarray(0, 4).toString() === '%PDF',
		      `PDF: ${pdf.status()} ${pdf.headers()['content-type']}`);
	});

	// decided now, with the approval in the history
	await go(page, path);
	check((await facts(page)).Tilstand === 'Afslået',
	      `state after approval: ${(await facts(page)).Tilstand}`);
	const hist = await text(page.locator('ol.case-events'));
	check(hist.includes(`Brev godkendt af ${SECOND_CASEWORKER.name}`) &&
	      hist.includes('Brev til godkendelse') &&
	      hist.includes('Brev sendt til borgeren'), `history: ${hist}`);
}));

test('casework: an action the state does not allow is refused in Danish', () =>
	withPage({}, async (page) => {
		const id = await submitCase();
		await openCase(page, CASEWORKER, id);
		const csrf = await page.locator('input[name=csrf]').first().inputValue();
		const r = await page.request.post(url(`${casePath(id)}/overgang`),
			{ form: { csrf, version: '1', til: 'granted' } });
		check(r.status() === 409, `status ${r.status()}`);
		check((await r.text()).includes('Handlingen er ikke mulig i sagens ' +
						 'nuværende tilstand'), 'no Danish message');
		const agent = await browser.newContext();
		try {
			// an agent may not decide an application for enkeltydelse
			const p2 = await agent.newPage();
			await openCase(p2, AGENT, id);
			check(await p2.getByRole('button', { name: 'Start behandling' })
				.count() === 0, 'agent offered a caseworker transition');
			const c2 = await p2.locator('input[name=csrf]').first().inputValue();
			const r2 = await p2.request.post(url(`${casePath(id)}/overgang`),
				{ form: { csrf: c2, version: '1', til: 'in_progress' } });
			check(r2.status() === 403, `agent transition: ${r2.status()}`);
			// and without the CSRF token nothing happens
			const r3 = await p2.request.post(url(`${casePath(id)}/tildeling`),
				{ form: { csrf: 'forkert', version: '1', tildel: 'mig' } });
			check(r3.status() === 403, `without CSRF: ${r3.status()}`);
		} finally {
			await agent.close();
		}
		await go(page, casePath(id));
		check((await facts(page)).Tilstand === 'Modtaget', 'the case moved');
		check((await facts(page)).Tildelt === 'Ingen', 'the case was assigned');
	}));

test('casework: an empty question is refused and the form says why', () =>
	withPage({ javaScriptEnabled: false }, async (page) => {
		const id = await submitCase();
		await openCase(page, CASEWORKER, id);
		// the browser's own check stops an empty required field; the
		// server must refuse one too (a space only)
		const field = page.getByLabel('Hvad skal borgeren svare på eller sende?');
		await field.fill('   ');
		await submit(page, page.getByRole('button',
			{ name: 'Bed borgeren om mere' }), `${casePath(id)}/anmodning`, 400);
		check(await field.getAttribute('aria-invalid') === 'true',
		      'field not marked invalid');
		check((await text(page.locator('.field-error'))).startsWith('Skriv'),
		      'no message at the field');
	}));

// The caseworker's tools: find a case by its journal number, download
// what the citizen sent, see the citizen's other cases, hand the case to a
// team, and find it again by team and stage.
test('casework tools: find by journal number, download a file, assign a ' +
     'team, filter by team and stage', () => withPage({}, async (page) => {
	const first = await submitCase();
	const id = await submitCase();
	const jnr = journals.get(id);
	check(/^24\.00\.00-G01-\d+-\d\d$/.test(jnr), `journal number: ${jnr}`);
	await signIn(page, CASEWORKER.email, CASEWORKER.password);
	await go(page, '/sagsbehandling');
	await page.getByLabel('Søg efter journalnummer, CPR-nummer eller navn')
		.fill(jnr);
	await submit(page, page.getByRole('button', { name: 'Vis sager' }),
		     '/sagsbehandling');
	const rows = page.locator('table.queue-table tbody tr');
	check(await rows.count() === 1, `${await rows.count()} rows for ${jnr}`);
	await rows.first().getByRole('link', { name: `Sag ${jnr}` }).click();
	await page.waitForURL((u) => u.pathname === casePath(id));
	check((await facts(page)).Journalnummer === jnr, 'no journal number fact');

	// the file: listed with its size, downloaded as an attachment
	const link = page.locator('section.case-files a', {
		hasText: 'overslag-tandlaege.pdf' });
	check((await text(page.locator('section.case-files li'))).includes(
		`(PDF, ${PDF_BYTES.length} byte)`), 'no Danish size');
	const fileHref = await link.getAttribute('href');
	const [download] = await Promise.all([page.waitForEvent('download'),
					      link.click()]);
	check(download.suggestedFilename() === 'overslag-tandlaege.pdf',
	      `file name: ${download.suggestedFilename()}`);
	const saved = await download.path();
	check(readFileSync(saved).equals(PDF_BYTES), 'the file changed on the way');

	// the citizen's other cases at Nordskov
	const others = await text(page.locator('section.case-others'));
	check(others.includes(journals.get(first)), `other cases: ${others}`);

	// to a team
	await page.getByLabel('Tildel en kollega eller et team')
		.selectOption({ label: 'Ydelser og pension' });
	await submit(page, page.getByRole('button', { name: 'Tildel', exact: true }),
		     casePath(id));
	check(await text(page.locator('.case-done')) ===
	      'Sagen er tildelt team Ydelser og pension.',
	      `confirmation: ${await text(page.locator('.case-done'))}`);
	check((await text(page.locator('ol.case-events'))).includes(
		'Tildelt team Ydelser og pension'), 'history lacks the team');

	// the team's cases, the stage "Ny"
	await go(page, '/sagsbehandling');
	await page.getByLabel('Team').selectOption('ydelser');
	await page.getByLabel('Fase').selectOption({ label: 'Ny' });
	await submit(page, page.getByRole('button', { name: 'Vis sager' }),
		     '/sagsbehandling');
	const q = new URL(page.url()).searchParams;
	check(q.get('team') === 'ydelser' && q.get('fase') === 'ny',
	      `filters: ${page.url()}`);
	const teamRow = page.locator('table.queue-table tbody tr', {
		has: page.locator(`a[href="${casePath(id)}"]`) });
	check(await teamRow.count() === 1, 'the team\'s case is not listed');
	check((await text(teamRow)).includes('Team Ydelser og pension'),
	      `row: ${await text(teamRow)}`);
	const states = await page.locator('#f-tilstand optgroup')
		.evaluateAll((gs) => gs.map((g) => g.label));
	check(states.join('|') === 'Ny|Under behandling|Afventer borgeren|' +
	      'Afgjort|Lukket', `state groups: ${states.join('|')}`);
	const res = await runAxe(page);
	check(res.violations.length === 0, describeAxe(res.violations));

	// another organisation gets neither the case nor its file
	const other = await newPage();
	try {
		await signIn(other, OTHER_ORG.email, OTHER_ORG.password);
		const r = await other.request.get(url(fileHref));
		check(r.status() === 404, `another organisation's file: ${r.status()}`);
		check(!(await r.body()).includes('%PDF'), 'the file leaked');
	} finally {
		await other.context().close();
	}
}));

test('casework: the queue pages through the cases', () =>
	withPage({}, async (page) => {
		await signIn(page, CASEWORKER.email, CASEWORKER.password);
		await go(page, '/sagsbehandling');
		let total = parseInt(await text(page.locator('#sager')), 10);
		while (total <= 25) {
			await submitCase();
			total++;
		}
		await go(page, '/sagsbehandling');
		check(await page.locator('table.queue-table tbody tr').count() === 25,
		      'page 1 is not full');
		const pages = Math.ceil(total / 25);
		check((await text(page.locator('.pager'))).includes(
			`Side 1 af ${pages}`), 'no pager');
		await page.getByRole('link', { name: 'Næste side' }).click();
		await page.waitForURL((u) => u.searchParams.get('side') === '2');
		check(await page.locator('table.queue-table tbody tr').count() ===
		      Math.min(25, total - 25), 'page 2 has the wrong rows');
		// sorted by deadline: soonest first
		const ids = await page.locator('table.queue-table tbody th').allInnerTexts();
		check(ids.length > 0, 'no ids');
	}));

// ---- the citizen's pages ------------------------------------------------------
// Demo sign-in, the life-event guide, forms, Mit overblik. The demo citizen
// Lars Nielsen of Nordskov (901) is used here, so the casework tests keep
// Mette Jensen's cases to themselves.

const CITIZEN = { subject: 'demo:demo-lars', name: 'Lars Nielsen' };
const OTHER_CITIZEN = { subject: 'demo:demo-fatima', name: 'Fatima Ahmadi' };
// The journey runs twice (with and without JavaScript); a second plan with
// the same answers would be the first one again, so each run has its own
// citizen.
const JOURNEY_CITIZEN = { subject: 'demo:demo-henrik', name: 'Henrik Sørensen',
			  municipality: 'Åstrup Kommune' };
const JOURNEY_CITIZEN_JS = { ...CITIZEN, municipality: 'Nordskov Kommune' };
const GUIDE = '/livssituation/flytning';
const GUIDE_ANSWERED = `${GUIDE}?q_hvorhen=samme-kommune&q_boern=ja` +
	'&q_bolig=leje&q_parkering=nej&vis=1';
const MOVE_FORM = '/blanket/flytning-anmeldelse';
const DANISH_DATE = /\d{1,2}\. (januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december) \d{4}/;

// Signs in as a demo citizen on the demo sign-in page; lands on next (a
// local path) or Mit overblik.
async function citizenSignIn(page, next = null, who = CITIZEN) {
	await go(page, next ? `/borger/log-ind?next=${encodeURIComponent(next)}`
			    : '/borger/log-ind');
	return submit(page, page.getByRole('button', { name: `Log ind som ${who.name}` }),
		      next ? new URL(next, base).pathname : '/mit-overblik');
}

// The citizen session's CSRF token (from the header's sign-out form).
function citizenCsrf(page) {
	return page.locator('header input[name=csrf]').inputValue();
}

// Saves the moving plan for the signed-in citizen; returns its id.
async function savePlan(page) {
	const csrf = await citizenCsrf(page);
	const r = await page.request.post(url(GUIDE), {
		form: { csrf, q_hvorhen: 'samme-kommune', q_boern: 'ja' }, maxRedirects: 0 });
	check(r.status() === 303, `plan not saved: ${r.status()}`);
	return Number(/forloeb\/(\d+)$/.exec(r.headers().location)[1]);
}

// Sends the moving form through the API for the signed-in citizen.
async function apiMoveCase(page, planId = null) {
	const csrf = await citizenCsrf(page);
	const data = { case_type: 'flytning-anmeldelse', values: {
		flyttetype: 'danmark', ny_adresse: 'Skovvej 12, 9999 Nordskov',
		flyttedato: '2026-12-01', medflyttere: 'nej' } };
	if (planId) {
		data.plan_id = planId;
		data.step = 'meld-flytning';
	}
	const r = await page.request.post(url('/api/v1/cases'),
		{ headers: { 'X-CSRF-Token': csrf }, data });
	check(r.status() === 201, `case not created: ${r.status()} ${await r.text()}`);
	return (await r.json()).id;
}

// A caseworker of Nordskov asks the citizen a question on case id.
async function askCitizen(id, question) {
	const context = await apiClient();
	try {
		const s = await context.post(url('/api/v1/session'),
			{ data: { email: CASEWORKER.email, password: CASEWORKER.password } });
		check(s.status() === 201 || s.status() === 200,
		      `staff sign-in: ${s.status()}`);
		const { csrf_token: csrf } = await s.json();
		const c = await context.get(url(`/api/v1/cases/${id}`));
		const { version } = await c.json();
		const r = await context.post(url(`/api/v1/cases/${id}/requests`), {
			headers: { 'X-CSRF-Token': csrf, 'If-Match': `"${version}"` },
			data: { question } });
		check(r.status() === 200, `request: ${r.status()} ${await r.text()}`);
	} finally {
		await context.dispose();
	}
}

// Fills the moving form; address may be left out to get an error.
async function fillMoveForm(page, { address = null, cpr = null } = {}) {
	await page.getByRole('radiogroup', { name: 'Hvor flytter du hen?' })
		.getByLabel('Til en ny adresse i kommunen').check();
	if (address !== null)
		await page.getByLabel('Din nye adresse').fill(address);
	await page.getByLabel('Hvornår flytter du?').fill('2026-12-01');
	await page.getByRole('radiogroup', { name: 'Flytter der andre med dig?' })
		.getByLabel(cpr ? 'Ja' : 'Nej').check();
	if (cpr)
		await page.getByLabel('CPR-nummer på den første, der flytter med').fill(cpr);
}

function citizenPageStates() {
	return [
		{ name: 'citizen sign-in (demo)', open: (p) => go(p, '/borger/log-ind') },
		{ name: 'guide with answers', open: (p) => go(p, GUIDE_ANSWERED) },
		{ name: 'guide with answers, signed in', open: async (p) => {
			await citizenSignIn(p);
			return go(p, GUIDE_ANSWERED);
		  } },
		{ name: 'form, empty', open: async (p) => {
			await citizenSignIn(p);
			return go(p, MOVE_FORM);
		  } },
		{ name: 'form with files, empty', open: async (p) => {
			await citizenSignIn(p);
			return go(p, '/blanket/enkeltydelse');
		  } },
		{ name: 'form with errors', open: async (p) => {
			await citizenSignIn(p);
			await go(p, MOVE_FORM);
			await fillMoveForm(p);
			return submit(p, p.getByRole('button', { name: 'Send' }),
				      MOVE_FORM, 422);
		  } },
		{ name: 'receipt', open: async (p) => {
			await citizenSignIn(p);
			await go(p, MOVE_FORM);
			await fillMoveForm(p, { address: 'Skovvej 12, 9999 Nordskov' });
			const landed = p.waitForURL((u) => u.pathname.startsWith('/mit-overblik/sag/'));
			const resp = p.waitForResponse((r) =>
				r.url().includes('sendt=1') && r.request().isNavigationRequest());
			await p.getByRole('button', { name: 'Send' }).click();
			await landed;
			return resp;
		  } },
		{ name: 'Mit overblik', open: async (p) => {
			await citizenSignIn(p);
			const plan = await savePlan(p);
			const id = await apiMoveCase(p, plan);
			await askCitizen(id, 'Hvilken etage bor du på?');
			return go(p, '/mit-overblik');
		  } },
		{ name: 'plan', open: async (p) => {
			await citizenSignIn(p);
			return go(p, `/mit-overblik/forloeb/${await savePlan(p)}`);
		  } },
		{ name: 'case awaiting an answer', open: async (p) => {
			await citizenSignIn(p);
			const id = await apiMoveCase(p);
			await askCitizen(id, 'Hvilken etage bor du på?');
			return go(p, `/mit-overblik/sag/${id}`);
		  } },
		{ name: 'who looked at my data', open: async (p) => {
			await citizenSignIn(p);
			const id = await apiMoveCase(p);
			await askCitizen(id, 'Hvilken etage bor du på?');
			return go(p, '/mit-overblik/indsigt');
		  } },
	];
}

test('citizen: signed out, Mit overblik and a form send you to sign in and back',
     () => withPage({}, async (page) => {
	await page.goto(url('/mit-overblik'));
	await page.waitForURL((u) => u.pathname === '/borger/log-ind' &&
		u.searchParams.get('next') === '/mit-overblik');
	await page.goto(url(`${MOVE_FORM}?forloeb=1&trin=meld-flytning`));
	await page.waitForURL((u) => u.pathname === '/borger/log-ind');
	check(new URL(page.url()).searchParams.get('next') ===
	      `${MOVE_FORM}?forloeb=1&trin=meld-flytning`, `next: ${page.url()}`);
	check((await text(page.locator('main'))).includes(
		'Demo: vælg en borger. Dette er ikke MitID.'), 'demo not marked');
	// a next that leaves the site is not followed
	await citizenSignIn(page, null);
	await page.context().clearCookies();
	await go(page, '/borger/log-ind?next=//evil.example/');
	await submit(page, page.getByRole('button', { name: `Log ind som ${CITIZEN.name}` }),
		     '/mit-overblik');
	check(await text(page.locator('h1')) === 'Mit overblik', 'not on Mit overblik');
}));

test('citizen: the demo sign-in refuses a form from another page', () =>
	withPage({}, async (page) => {
		await go(page, '/borger/log-ind');
		const r = await page.request.post(url('/borger/log-ind'), {
			form: { csrf: 'not-the-cookie', borger: CITIZEN.subject },
			maxRedirects: 0 });
		check(r.status() === 403, `status ${r.status()}`);
		check(!(r.headers()['set-cookie'] || '').includes('hh_borger='),
		      'a session cookie was set');
	}));

async function citizenJourney(page, who) {
	// the guide works without signing in, and saves nothing
	await go(page, GUIDE);
	await page.getByRole('group', { name: 'Hvor flytter du hen?' })
		.getByLabel('Til en ny adresse i den kommune, jeg bor i nu').check();
	await page.getByRole('group', { name: 'Flytter der børn under 18 år med dig?' })
		.getByLabel('Ja').check();
	await page.getByRole('group', { name: 'Hvordan skal du bo?' })
		.getByLabel('I en lejebolig eller andelsbolig').check();
	await page.getByRole('group', {
		name: 'Skal du parkere en bil i et område med betalingsparkering?' })
		.getByLabel('Nej').check();
	await submit(page, page.getByRole('button', { name: 'Vis min plan' }), GUIDE);
	check(new URL(page.url()).searchParams.get('q_hvorhen') === 'samme-kommune',
	      `answers not in the URL: ${page.url()}`);
	const plan = page.locator('ol.plan');
	const steps = await plan.locator('> li h3').allInnerTexts();
	check(steps[0] === 'Meld flytning', `steps: ${steps}`);
	check(steps.includes('Søg boligstøtte til den nye bolig'), `steps: ${steps}`);
	check(!steps.includes('Meld udrejse'), 'a step for moving abroad shown');
	check(!steps.includes('Søg beboerlicens til din bil'), 'parking step shown');
	const planText = await text(page.locator('#din-plan').locator('..'));
	check(planText.includes('Ansvarlig: din kommune'), 'municipality not "din kommune"');
	check(planText.includes('Ansvarlig: Udbetaling Danmark'), 'agency name missing');
	check(planText.includes('Log ind, hvis du vil gemme dit forløb og sende blanketter'),
	      'no sign-in hint');

	// signing in comes back to the plan, now for the citizen's municipality
	await page.getByRole('link', { name: 'Log ind og gem forløbet' }).click();
	await page.waitForURL((u) => u.pathname === '/borger/log-ind');
	await submit(page, page.getByRole('button', { name: `Log ind som ${who.name}` }),
		     GUIDE);
	check(await page.getByRole('group', { name: 'Flytter der børn under 18 år med dig?' })
		.getByLabel('Ja').isChecked(), 'answers lost after sign-in');
	check((await text(page.locator('ol.plan'))).includes(`Ansvarlig: ${who.municipality}`),
	      'the citizen\'s municipality not named');
	const saved = page.waitForURL((u) => /^\/mit-overblik\/forloeb\/\d+$/.test(u.pathname));
	await page.getByRole('button', { name: 'Gem mit forløb' }).click();
	await saved;
	check(await text(page.locator('h1')) === 'Du skal flytte', 'plan heading');
	const first = page.locator('ol.plan > li').first();
	check((await text(first.locator('.state'))) === 'Ikke startet', 'step state');

	// the form of the first step, sent with an error and then corrected
	await first.getByRole('link', { name: /^Udfyld blanket/ }).click();
	await page.waitForURL((u) => u.pathname === MOVE_FORM &&
		u.searchParams.get('trin') === 'meld-flytning');
	await fillMoveForm(page);
	await page.getByLabel('Bemærkninger (valgfrit)').fill('Vi flytter i weekenden.');
	await submit(page, page.getByRole('button', { name: 'Send' }), MOVE_FORM, 422);
	check((await page.title()).startsWith('Fejl:'), `title: ${await page.title()}`);
	const summary = page.locator('.error-summary');
	check((await text(summary)).includes('Din nye adresse: Feltet skal udfyldes.'),
	      `summary: ${await text(summary)}`);
	check(await summary.getByRole('link').first().getAttribute('href') === '#f-ny_adresse',
	      'summary does not link to the field');
	const address = page.getByLabel('Din nye adresse');
	check(await address.getAttribute('aria-invalid') === 'true', 'not aria-invalid');
	check((await address.getAttribute('aria-describedby')).split(' ')
		.includes('f-ny_adresse-fejl'), 'error not in aria-describedby');
	check(await text(page.locator('#f-ny_adresse-fejl')) ===
	      'Fejl: Feltet skal udfyldes.', 'no message beside the field');
	check(await page.getByLabel('Hvornår flytter du?').inputValue() === '2026-12-01',
	      'date not kept');
	check(await page.getByLabel('Bemærkninger (valgfrit)').inputValue() ===
	      'Vi flytter i weekenden.', 'remarks not kept');
	check(await page.getByRole('radiogroup', { name: 'Hvor flytter du hen?' })
		.getByLabel('Til en ny adresse i kommunen').isChecked(), 'choice not kept');
	await address.fill('Skovvej 12, 9999 Nordskov');
	const landed = page.waitForURL((u) => /^\/mit-overblik\/sag\/\d+$/.test(u.pathname) &&
		u.searchParams.get('sendt') === '1');
	await page.getByRole('button', { name: 'Send' }).click();
	await landed;
	check(await text(page.locator('h1')) === 'Vi har modtaget din flytteanmeldelse',
	      'no receipt');
	const receipt = await text(page.locator('.receipt'));
	check(receipt.includes(who.municipality) && receipt.includes('Du får svar senest') &&
	      DANISH_DATE.test(receipt), `receipt: ${receipt}`);
	const caseId = /sag\/(\d+)/.exec(page.url())[1];

	// Mit overblik: the case and the plan's step
	await page.getByRole('link', { name: 'Mit overblik', exact: true }).first().click();
	await page.waitForURL((u) => u.pathname === '/mit-overblik');
	const item = page.locator('li.case', { has: page.locator(
		`a[href="/mit-overblik/sag/${caseId}"]`) });
	const itemText = await text(item);
	for (const want of ['Anmeldelse af flytning', who.municipality, 'Modtaget'])
		check(itemText.includes(want), `case lacks "${want}": ${itemText}`);
	check(!itemText.includes('received'), 'a state key shown');
	check(DANISH_DATE.test(itemText), `no Danish deadline: ${itemText}`);
	check((await text(page.locator('ul.plans'))).includes('Meld flytning Sendt'),
	      'the plan\'s step is not Sendt');
}

test('citizen: sign in, get a plan, save it, send a form with an error, see the case',
     () => withPage({}, (page) => citizenJourney(page, JOURNEY_CITIZEN_JS)));

test('JavaScript disabled: a citizen signs in, saves a plan, corrects a form and ' +
     'sees the case', () => withPage({ javaScriptEnabled: false },
				    (page) => citizenJourney(page, JOURNEY_CITIZEN)));

test('citizen: a CPR number failing modulus 11 warns once, and sending again sends it',
     () => withPage({ javaScriptEnabled: false }, async (page) => {
	await citizenSignIn(page, MOVE_FORM);
	await fillMoveForm(page, { address: 'Skovvej 12, 9999 Nordskov',
				   cpr: '010180-1234' });
	await submit(page, page.getByRole('button', { name: 'Send' }), MOVE_FORM);
	check((await text(page.locator('.warning-summary'))).includes('modulus 11'),
	      'no warning summary');
	check(await page.locator('.error-summary').count() === 0, 'shown as an error');
	const cpr = page.getByLabel('CPR-nummer på den første, der flytter med');
	check(await cpr.inputValue() === '010180-1234', 'CPR not kept');
	check((await cpr.getAttribute('aria-describedby')).includes(
		'f-medflytter_cpr-advarsel'), 'warning not described');
	const landed = page.waitForURL((u) => u.searchParams.get('sendt') === '1');
	await page.getByRole('button', { name: 'Send' }).click();
	await landed;
	check(await text(page.locator('h1')) === 'Vi har modtaget din flytteanmeldelse',
	      'not sent after confirming');
}));

test('citizen: sending the same form twice makes one case', () =>
	withPage({}, async (page) => {
		await citizenSignIn(page, MOVE_FORM);
		const form = {};
		for (const name of ['csrf', 'skema'])
			form[name] = await page.locator(`form.blanket input[name=${name}]`)
				.inputValue();
		Object.assign(form, { flyttetype: 'danmark', flyttedato: '2026-12-01',
				      ny_adresse: 'Skovvej 12, 9999 Nordskov',
				      medflyttere: 'nej' });
		const a = await page.request.post(url(MOVE_FORM), { form, maxRedirects: 0 });
		const b = await page.request.post(url(MOVE_FORM), { form, maxRedirects: 0 });
		check(a.status() === 303 && b.status() === 303,
		      `status ${a.status()}, ${b.status()}`);
		check(a.headers().location === b.headers().location,
		      `${a.headers().location} != ${b.headers().location}`);
	}));

test('citizen: a form with files is sent as multipart, a 5 MiB file fits', () =>
	withPage({}, async (page) => {
		await citizenSignIn(page, '/blanket/enkeltydelse');
		check(await page.locator('form.blanket').getAttribute('enctype') ===
		      'multipart/form-data', 'not multipart');
		const file = page.getByLabel('Tilbud, overslag eller regning');
		check(await file.getAttribute('type') === 'file', 'no file input');
		await page.getByRole('radiogroup', { name: 'Hvad skal hjælpen dække?' })
			.getByLabel('Tandbehandling').check();
		await page.getByLabel('Beskriv udgiften, og hvorfor du ikke kunne forudse den')
			.fill('En tand knækkede, og tandlægen skal lave en krone.');
		await page.getByLabel('Hvad koster det (kr.)?').fill('4200,50');
		await page.getByRole('radiogroup', { name: 'Har du allerede betalt udgiften?' })
			.getByLabel('Nej').check();
		await page.getByRole('radiogroup', {
			name: 'Har du en forsikring, der måske kan dække udgiften?' })
			.getByLabel('Nej').check();
		// a wrong kind of file first: the error names the field, the
		// rest is kept, and the file must be chosen again
		await file.setInputFiles({ name: 'noter.txt', mimeType: 'text/plain',
					   buffer: Buffer.from('ikke en pdf') });
		await submit(page, page.getByRole('button', { name: 'Send' }),
			     '/blanket/enkeltydelse', 422);
		check((await text(page.locator('#f-tilbud-fejl'))).includes('Filtypen'),
		      'no file type error');
		check((await text(page.locator('#f-tilbud-igen'))).includes('noter.txt'),
		      'no note to choose the file again');
		check(await page.getByLabel('Hvad koster det (kr.)?').inputValue() === '4200,50',
		      'amount not kept');
		const big = Buffer.alloc(5 * 1024 * 1024, 0x20);
		PDF_BYTES.copy(big);
		await page.getByLabel('Tilbud, overslag eller regning')
			.setInputFiles({ name: 'overslag.pdf', mimeType: 'application/pdf',
					 buffer: big });
		const landed = page.waitForURL((u) => u.searchParams.get('sendt') === '1');
		await page.getByRole('button', { name: 'Send' }).click();
		await landed;
		check((await text(page.locator('main'))).includes('overslag.pdf (5120 kB)'),
		      'the file is not among the case\'s data');
		// JSON bodies keep their own, smaller cap
		const r = await page.request.post(url('/api/v1/session'), {
			headers: { 'Content-Type': 'application/json' },
			data: JSON.stringify({ email: 'x'.repeat(1100000), password: 'x' }) });
		check(r.status() === 413, `big JSON body: ${r.status()}`);
	}));

test('JavaScript disabled: a citizen answers a caseworker\'s question', () =>
	withPage({ javaScriptEnabled: false }, async (page) => {
		await citizenSignIn(page);
		const id = await apiMoveCase(page);
		await askCitizen(id, 'Hvilken etage bor du på?');
		await go(page, '/mit-overblik');
		const item = page.locator('li.case', { has: page.locator(
			`a[href="/mit-overblik/sag/${id}"]`) });
		const itemText = await text(item);
		check(itemText.includes('Fristen er sat i bero, mens vi venter på dig') &&
		      itemText.includes('Hvilken etage bor du på?') &&
		      itemText.includes('Afventer dig'), `case: ${itemText}`);
		await item.getByRole('link', { name: 'Svar på spørgsmålet' }).click();
		await page.waitForURL((u) => u.pathname === `/mit-overblik/sag/${id}`);
		const path = `/mit-overblik/sag/${id}/svar`;
		await submit(page, page.getByRole('button', { name: 'Send svar' }), path, 422);
		const answer = page.getByLabel('Dit svar');
		check(await answer.getAttribute('aria-invalid') === 'true', 'not invalid');
		check((await text(page.locator('.error-summary'))).includes('Skriv dit svar.'),
		      'no error summary');
		await answer.fill('3. sal til venstre.');
		await submit(page, page.getByRole('button', { name: 'Send svar' }),
			     `/mit-overblik/sag/${id}`);
		check((await text(page.getByRole('status'))).includes('Tak for dit svar'),
		      'no thanks');
		check(await page.getByLabel('Dit svar').count() === 0, 'still asks');
		const hist = await text(page.locator('ol.history'));
		check(hist.includes('3. sal til venstre.') &&
		      hist.includes('Hvilken etage bor du på?'), `history: ${hist}`);
		check(!(await text(page.locator('main'))).includes('Fristen er sat i bero'),
		      'still paused');
	}));

test('citizen: another citizen\'s plan and case give the 404 page', () =>
	withPage({}, async (page) => {
		await citizenSignIn(page);
		const plan = await savePlan(page);
		const id = await apiMoveCase(page, plan);
		await page.context().clearCookies();
		await citizenSignIn(page, null, OTHER_CITIZEN);
		for (const path of [`/mit-overblik/sag/${id}`, `/mit-overblik/forloeb/${plan}`,
				    '/mit-overblik/sag/99999999', '/mit-overblik/sag/x',
				    `${MOVE_FORM}?forloeb=${plan}&trin=meld-flytning`]) {
			await go(page, path, 404);
			check(await text(page.locator('h1')) === 'Siden findes ikke', path);
		}
		const csrf = await citizenCsrf(page);
		const r = await page.request.post(url(`/mit-overblik/sag/${id}/svar`),
			{ form: { csrf, svar: 'x' }, maxRedirects: 0 });
		check(r.status() === 404, `answer on another's case: ${r.status()}`);
		check(!(await text(page.locator('main'))).includes('Anmeldelse af flytning'),
		      'another citizen\'s case shown');
	}));

test('citizen: who looked at my data names the caseworker', () =>
	withPage({}, async (page) => {
		await citizenSignIn(page);
		const id = await apiMoveCase(page);
		await askCitizen(id, 'Hvornår flytter du?');
		await go(page, '/mit-overblik/indsigt');
		const row = page.locator('tr', { has: page.locator(
			`a[href="/mit-overblik/sag/${id}"]`) }).first();
		const t = await text(row);
		check(t.includes(`${CASEWORKER.name}, Nordskov Kommune`) &&
		      t.includes('sagsbehandling'), `row: ${t}`);
	}));

test('JavaScript disabled: a citizen signs out from the header', () =>
	withPage({ javaScriptEnabled: false }, async (page) => {
		await citizenSignIn(page);
		await submit(page, page.getByRole('button', { name: 'Log ud' }), '/');
		check(await page.getByRole('link', { name: 'Log ind', exact: true }).count() === 1,
		      'no Log ind link after signing out');
		await page.goto(url('/mit-overblik'));
		await page.waitForURL((u) => u.pathname === '/borger/log-ind');
	}));

// ---- a life event across two authorities ------------------------------------
// A divorce, without JavaScript, from the guide to Familieretshuset's
// decision and the follow-up case that decision starts at the citizen's
// municipality. The citizen is Mette Jensen of Nordskov (901): every demo
// citizen is used by some test, and the casework tests send her
// applications for enkeltydelse, so her cases are found by number here,
// never by position or count.

const DIVORCE_CITIZEN = { subject: 'demo:demo-mette', name: 'Mette Jensen',
			  municipality: 'Nordskov Kommune' };
// p-parties (issue 16): her husband, named in the form, confirms with his
// own sign-in before Familieretshuset can act
const DIVORCE_SPOUSE = { subject: 'demo:demo-jens', name: 'Jens Jensen' };
const FAMILY_CASEWORKER = { email: 'sagsbehandler@familieretshuset.demo',
			    password: 'demo-sagsbehandler', name: 'Camilla Brandt' };
const DIVORCE_GUIDE = '/livssituation/skilsmisse-og-separation';
const DIVORCE_FORM = '/blanket/skilsmisse';
const DIVORCE_NOTE = 'Skilsmissen er bevilget. Bevillingen ligger i din Digital Post.';

// The hrefs of the follow-up cases listed on the page.
function followupLinks(page) {
	return page.locator('li.case.followup h3 a').evaluateAll((as) =>
		as.map((a) => a.getAttribute('href')));
}

// A queue row of the signed-in caseworker for case id, found through the
// queue's filters (case type, newest first), as a caseworker would.
async function queueRow(page, caseType, id) {
	await page.getByRole('link', { name: 'Sager', exact: true }).click();
	await page.waitForURL((u) => u.pathname === '/sagsbehandling');
	await page.getByLabel('Sagstype').selectOption(caseType);
	await page.getByLabel('Sortering').selectOption('nyeste');
	await submit(page, page.getByRole('button', { name: 'Vis sager' }),
		     '/sagsbehandling');
	check(new URL(page.url()).searchParams.get('sagstype') === caseType,
	      `filter not applied: ${page.url()}`);
	const row = page.locator('table.queue-table tbody tr', {
		has: page.locator(`a[href="${casePath(id)}"]`) });
	check(await row.count() === 1, `case ${id} is not in the queue ` +
	      `(${await text(page.locator('#sager'))})`);
	return row;
}

test('JavaScript disabled: a divorce goes from the guide to Familieretshuset, ' +
     'and its decision starts a follow-up case at the municipality', async () => {
	const who = DIVORCE_CITIZEN;
	const page = await newPage({ javaScriptEnabled: false });
	const family = await newPage({ javaScriptEnabled: false });
	const muni = await newPage({ javaScriptEnabled: false });
	try {
		// the citizen signs in; the follow-ups she has already
		await citizenSignIn(page, null, who);
		const before = await followupLinks(page);

		// the guide: married, divorce at once, children, renting
		await go(page, DIVORCE_GUIDE);
		await page.getByRole('group', { name: 'Er I gift?' })
			.getByLabel('Ja').check();
		await page.getByRole('group', { name: 'Hvad vil I søge om?' })
			.getByLabel('Skilsmisse med det samme').check();
		await page.getByRole('group', { name: 'Har I fælles børn under 18 år?' })
			.getByLabel('Ja').check();
		await page.getByRole('group', { name: 'Hvordan bor I i dag?' })
			.getByLabel('Vi bor til leje eller i andelsbolig').check();
		await submit(page, page.getByRole('button', { name: 'Vis min plan' }),
			     DIVORCE_GUIDE);
		const q = new URL(page.url()).searchParams;
		check(q.get('q_gift') === 'ja' && q.get('q_hvad') === 'skilsmisse' &&
		      q.get('q_boern') === 'ja' && q.get('q_bolig') === 'leje',
		      `answers not in the URL: ${page.url()}`);
		const steps = await page.locator('ol.plan > li h3').allInnerTexts();
		for (const want of ['Søg om skilsmisse', 'Søg børnetilskud som enlig forsørger',
				    'Aftal, hvem der bliver boende i lejeboligen'])
			check(steps.includes(want), `"${want}" not among: ${steps.join(' | ')}`);
		check(!steps.includes('Søg om separation'), 'separation step shown');
		const guideText = await text(page.locator('ol.plan'));
		check(guideText.includes('Ansvarlig: Familieretshuset') &&
		      guideText.includes(`Ansvarlig: ${who.municipality}`),
		      `responsible authorities: ${guideText}`);

		// saved as her plan
		const saved = page.waitForURL((u) =>
			/^\/mit-overblik\/forloeb\/\d+$/.test(u.pathname));
		await page.getByRole('button', { name: 'Gem mit forløb' }).click();
		await saved;
		const planPath = new URL(page.url()).pathname;
		const planId = planPath.split('/').pop();
		check(await text(page.locator('h1')) === 'I går fra hinanden',
		      `plan heading: ${await text(page.locator('h1'))}`);
		const step = page.locator('ol.plan > li', {
			has: page.getByRole('heading', { name: 'Søg om skilsmisse' }) });
		check(await text(step.locator('.state')) === 'Ikke startet',
		      `step state: ${await text(step.locator('.state'))}`);
		check(await page.getByRole('heading',
			{ name: 'Sager, der er startet automatisk' }).count() === 0,
		      'a follow-up before anything was decided');

		// the divorce form, from the plan's step
		// (the visually hidden span is a block in the accessible name's
		// eyes, hence the optional space before the colon)
		await step.getByRole('link', { name: /^Udfyld blanket ?: Søg om skilsmisse$/ })
			.click();
		await page.waitForURL((u) => u.pathname === DIVORCE_FORM &&
			u.searchParams.get('forloeb') === planId &&
			u.searchParams.get('trin') === 'soeg-skilsmisse');
		const formFacts = await text(page.locator('dl.facts'));
		check(formFacts.includes('Sendes til Familieretshuset') &&
		      formFacts.includes('Del af dit forløb I går fra hinanden: ' +
					 'Søg om skilsmisse'), `form facts: ${formFacts}`);
		await page.getByLabel('Din ægtefælles CPR-nummer').fill('150482-1001');
		await page.getByLabel('Din ægtefælles fulde navn').fill('Jens Jensen');
		await page.getByLabel('Hvornår blev I gift?').fill('2012-06-16');
		// separated first: no reflection period (p-fix M6: one that
		// has starts in it when the spouse confirms)
		await page.getByRole('radiogroup', { name: 'Er I separeret?' })
			.getByLabel('Ja').check();
		await page.getByLabel('Hvornår blev I separeret?').fill('2026-01-10');
		await page.getByRole('radiogroup', { name: 'Er I begge enige om at blive skilt?' })
			.getByLabel('Ja').check();
		await page.getByRole('radiogroup', { name: 'Har I fælles børn under 18 år?' })
			.getByLabel('Ja').check();
		await page.getByLabel('Hvor mange fælles børn under 18 år har I?').fill('2');
		await page.getByRole('radiogroup', { name: 'Skal en af jer betale ægtefællebidrag?' })
			.getByLabel('Nej, ingen af os skal betale bidrag').check();
		await page.getByRole('radiogroup', { name: 'Hvem bliver boende i jeres lejebolig?' })
			.getByLabel('Jeg bliver boende').check();
		const sent = page.waitForResponse((r) => r.request().isNavigationRequest() &&
			(r.status() < 300 || r.status() >= 400));
		await page.getByRole('button', { name: 'Send' }).click();
		const resp = await sent;
		await page.waitForURL(resp.url());
		if (!/^\/mit-overblik\/sag\/\d+$/.test(new URL(page.url()).pathname)) {
			const problem = page.locator('.error-summary, .warning-summary, .error');
			throw new Failure(`form not sent (${resp.status()}): ` +
				((await problem.count()) ? await text(problem.first()) : page.url()));
		}
		check(new URL(page.url()).searchParams.get('sendt') === '1',
		      `landed on ${page.url()}`);
		const receipt = await text(page.locator('.receipt'));
		check(receipt.includes('Ansøgning om skilsmisse er sendt til Familieretshuset'),
		      `receipt: ${receipt}`);
		const divorceId = /sag\/(\d+)/.exec(page.url())[1];

		// the case waits for her husband (issue 16): he finds it in his
		// Mit overblik, reads what she wrote about them both, and
		// confirms with his own sign-in
		const facts0 = await text(page.locator('dl.facts').first());
		check(facts0.includes('Afventer ægtefællens bekræftelse'),
		      `state before the spouse confirmed: ${facts0}`);
		const spouse = await newPage({ javaScriptEnabled: false });
		try {
			await citizenSignIn(spouse, null, DIVORCE_SPOUSE);
			const partPath = `/mit-overblik/part/${divorceId}`;
			const invitation = spouse.locator('li.case', {
				has: spouse.locator(`h3 a[href="${partPath}"]`) });
			check(await invitation.count() === 1, 'no invitation in his overview');
			const invText = await text(invitation);
			check(invText.includes(`Ansøger ${who.name}`) &&
			      invText.includes('Du er Ægtefælle'), `invitation: ${invText}`);
			await go(spouse, partPath);
			const shared = await text(spouse.locator('dl.answers'));
			check(shared.includes('Dit fulde navn Jens Jensen') &&
			      !shared.includes('150482'), `shared fields: ${shared}`);
			await submit(spouse, spouse.getByRole('button', { name: 'Jeg bekræfter' }),
				     partPath);
			check((await text(spouse.locator('.success'))).includes('Dit svar er sendt'),
			      'no receipt for his answer');
		} finally {
			await spouse.context().close();
		}

		// Familieretshuset: find the case, open it, move it to granted
		await signIn(family, FAMILY_CASEWORKER.email, FAMILY_CASEWORKER.password);
		const row = await queueRow(family, 'skilsmisse', divorceId);
		const cells = await row.locator('td').allInnerTexts();
		check(cells[0] === 'Ansøgning om skilsmisse' && cells[1] === who.name &&
		      cells[2] === 'Modtaget', `row: ${cells.join(' | ')}`);
		// the queue names a case by its journal number (KLE, facet,
		// serial, year); the id stays in the URL
		const divorceLink = row.getByRole('link', { name: /^Sag / });
		const divorceJnr = (await divorceLink.getAttribute('aria-label')).slice(4);
		check(/^16\.10\.00-G01-\d+-\d\d$/.test(divorceJnr),
		      `journal number: ${divorceJnr}`);
		await divorceLink.click();
		const path = casePath(divorceId);
		await family.waitForURL((u) => u.pathname === path);
		check(await text(family.locator('h1')) ===
		      `Sag ${divorceJnr}: Ansøgning om skilsmisse`, 'case heading');
		let f = await facts(family);
		check(f.Borger === who.name && f.Myndighed === 'Familieretshuset' &&
		      f.Tilstand === 'Modtaget', `facts: ${JSON.stringify(f)}`);
		const values = await text(family.locator('dl.case-values'));
		for (const want of ['Din ægtefælles fulde navn Jens Jensen',
				    'Hvor mange fælles børn under 18 år har I? 2',
				    'Hvem bliver boende i jeres lejebolig? Jeg bliver boende'])
			check(values.includes(want), `values lack "${want}": ${values}`);
		check(await family.getByRole('button', { name: 'Bevil skilsmisse' })
			.count() === 0, 'granting offered before the case is in progress');
		await submit(family, family.getByRole('button', { name: 'Start behandling' }),
			     path);
		check((await facts(family)).Tilstand === 'Under behandling',
		      'not in progress');
		await family.getByLabel('Bemærkning til borgeren (valgfri)').fill(DIVORCE_NOTE);
		await submit(family, family.getByRole('button', { name: 'Bevil skilsmisse' }),
			     path);
		check(await text(family.locator('.case-done')) ===
		      'Sagen har nu tilstanden »Skilsmisse bevilget«.',
		      `confirmation: ${await text(family.locator('.case-done'))}`);
		f = await facts(family);
		check(f.Tilstand === 'Skilsmisse bevilget' && f.Frist.startsWith('Afsluttet'),
		      `facts after granting: ${JSON.stringify(f)}`);

		// the citizen's plan: the divorce decided, a follow-up she did
		// not ask for at her municipality
		await go(page, planPath);
		check(await text(step.locator('.state')) === 'Færdig',
		      `step state: ${await text(step.locator('.state'))}`);
		const stepCases = await text(step.locator('ul.step-cases'));
		check(stepCases === `Ansøgning om skilsmisse (sag ${divorceJnr}): ` +
		      'Skilsmisse bevilget', `step's cases: ${stepCases}`);
		check(await page.getByRole('heading',
			{ name: 'Sager, der er startet automatisk' }).count() === 1,
		      'no section of follow-up cases');
		const auto = page.locator('li.case.followup');
		check(await auto.count() === 1, `${await auto.count()} follow-ups in the plan`);
		const autoText = await text(auto);
		for (const want of ['Gennemgang af børnetilskud og familieydelser',
				    'Startet automatisk, fordi din sag Ansøgning om ' +
				    'skilsmisse hos Familieretshuset fik status ' +
				    '»Skilsmisse bevilget«. Dit børnetilskud bliver ' +
				    'vurderet igen.',
				    `Myndighed ${who.municipality}`, 'Status Oprettet'])
			check(autoText.includes(want), `follow-up lacks "${want}": ${autoText}`);
		const followupHref = await auto.locator('h3 a').getAttribute('href');
		const followupId = /^\/mit-overblik\/sag\/(\d+)$/.exec(followupHref)[1];
		check(followupId !== divorceId, 'the follow-up is the divorce case');

		// Mit overblik: exactly one new follow-up, the divorce decided
		await go(page, '/mit-overblik');
		const added = (await followupLinks(page)).filter((h) => !before.includes(h));
		check(added.length === 1 && added[0] === followupHref,
		      `new follow-ups: ${added.join(', ')}`);
		const divorceItem = page.locator('li.case', { has: page.locator(
			`h3 a[href="/mit-overblik/sag/${divorceId}"]`) });
		const divorceText = await text(divorceItem);
		check(divorceText.includes('Status Skilsmisse bevilget') &&
		      divorceText.includes('Afsluttet') &&
		      divorceText.includes('Ingen. Sagen er afsluttet.'),
		      `divorce case: ${divorceText}`);
		await divorceItem.getByRole('link', { name: 'Ansøgning om skilsmisse' }).click();
		await page.waitForURL((u) => u.pathname === `/mit-overblik/sag/${divorceId}`);
		const hist = await text(page.locator('ol.history'));
		check(hist.includes('Status ændret til »Skilsmisse bevilget«.') &&
		      hist.includes(`Besked fra sagsbehandleren: ${DIVORCE_NOTE}`),
		      `history: ${hist}`);

		// each authority sees its own case only
		await go(family, casePath(followupId), 404);
		await signIn(muni, CASEWORKER.email, CASEWORKER.password);
		const muniRow = await queueRow(muni, 'boernetilskud-revurdering', followupId);
		const muniCells = await muniRow.locator('td').allInnerTexts();
		check(muniCells[0] === 'Gennemgang af børnetilskud og familieydelser' &&
		      muniCells[1] === who.name && muniCells[2] === 'Oprettet',
		      `row: ${muniCells.join(' | ')}`);
		await muniRow.getByRole('link', { name: /^Sag / }).click();
		await muni.waitForURL((u) => u.pathname === casePath(followupId));
		f = await facts(muni);
		check(f.Myndighed === who.municipality && f.Borger === who.name,
		      `facts: ${JSON.stringify(f)}`);
		// what started it, as the follow-up carries it
		const origin = await text(muni.locator('section.case-origin'));
		for (const want of [`Sag ${divorceJnr}`, 'Myndighed Familieretshuset',
				    'Afgørelse Skilsmisse bevilget'])
			check(origin.includes(want), `origin lacks "${want}": ${origin}`);
		check((await text(muni.locator('ol.case-events'))).includes(
			`Sagen blev oprettet som opfølgning på sag ${divorceJnr}`),
		      'history does not say why the case exists');
		await go(muni, casePath(divorceId), 404);

		// the plan page as it now stands: axe. It is injected with
		// page.evaluate, which a page without JavaScript never answers,
		// so it runs in a context of its own with the citizen's session.
		const session = await page.context().storageState();
		await withPage({ storageState: session }, async (p) => {
			await go(p, planPath);
			check(await p.locator('li.case.followup').count() === 1,
			      'not the plan with the follow-up');
			const res = await runAxe(p);
			check(res.passes.length > 0, 'axe checked no rule');
			check(res.violations.length === 0, describeAxe(res.violations));
		});
	} finally {
		await page.context().close();
		await family.context().close();
		await muni.context().close();
	}
});

// ---- main -------------------------------------------------------------------

// ---- what a new user met (issue 8, point 11) --------------------------------

const FAULT_FORM = '/blanket/fejl-paa-vej';
const FAULT_VALUES = { kategori: 'hul', sted: 'Skovvej 12, 4700 Nordskov',
		       beskrivelse: 'Et dybt hul i cykelstien ud for nummer 12.' };
const PHONE_390 = { width: 390, height: 844 };

// Sends a fault report through the API as a demo citizen of Nordskov;
// returns the new case's id.
async function submitFaultReport() {
	return (await citizenSubmits('fejl-paa-vej', FAULT_VALUES)).id;
}

// The header's Log ud: one button, in the header, that signs out.
async function headerSignOut(page) {
	const out = page.locator('header.site').getByRole('button', { name: 'Log ud' });
	check(await out.count() === 1, `no Log ud in the header of ${page.url()}`);
	return out;
}

test('staff: a caseworker lands on the queue, an editor on articles and the ' +
     'search report, with Log ud in the header of every staff page', () =>
	withPage({}, async (page) => {
		const id = await submitFaultReport();
		await signIn(page, CASEWORKER.email, CASEWORKER.password);
		check(new URL(page.url()).pathname === '/sagsbehandling',
		      `caseworker landed on ${page.url()}`);
		check(await text(page.locator('h1')) === 'Sager', 'not the queue');
		for (const path of ['/sagsbehandling', casePath(id), '/personale']) {
			await go(page, path);
			await headerSignOut(page);
		}
		// the staff page offers the queue to those who work cases
		check(await page.getByRole('link', { name: 'Sagskøen' }).count() === 1,
		      'no link to the queue on the staff page');
		await submit(page, await headerSignOut(page), '/');
		await page.goto(url('/sagsbehandling'));
		await page.waitForURL(url('/log-ind'));

		await signIn(page, STAFF.email, STAFF.password);
		check(new URL(page.url()).pathname === '/personale',
		      `editor landed on ${page.url()}`);
		const report = page.getByRole('link', { name: 'Søgninger uden svar' });
		const articles = page.getByRole('link', { name: 'Artiklerne' });
		check(await report.count() === 1 &&
		      await report.getAttribute('href') === '/personale/soegninger',
		      'no link to the search report');
		check(await articles.count() === 1 &&
		      await page.locator(await articles.getAttribute('href')).count() === 1,
		      'no link to the articles');
		check(await page.getByRole('link', { name: 'Sagskøen' }).count() === 0,
		      'an editor is offered the queue');
		check((await text(page.locator('dl.meta'))).includes('redaktør'),
		      'roles not in Danish');
		await headerSignOut(page);
		await report.click();
		await page.waitForURL((u) => u.pathname === '/personale/soegninger');
		await submit(page, await headerSignOut(page), '/');
		await page.goto(url('/personale'));
		await page.waitForURL(url('/log-ind'));
		// signed in already: /log-ind sends each to where they work
		await signIn(page, CASEWORKER.email, CASEWORKER.password);
		await page.goto(url('/log-ind'));
		await page.waitForURL((u) => u.pathname === '/sagsbehandling');
	}));

test('casework: the caseworker moves a new fault report on from its first state',
     () => withPage({}, async (page) => {
	const id = await submitFaultReport();
	await openCase(page, CASEWORKER, id);
	check((await facts(page)).Tilstand === 'Modtaget',
	      `state: ${(await facts(page)).Tilstand}`);
	check(!(await text(page.locator('main'))).includes('Din rolle kan ikke skifte'),
	      'the caseworker is told the role cannot move the case');
	const buttons = await page.locator('form[action$="/overgang"] button')
		.allInnerTexts();
	check(buttons.includes('Visiter') &&
	      buttons.includes('Marker som allerede anmeldt'),
	      `transitions from Modtaget: ${buttons.join(', ')}`);
	await submit(page, page.getByRole('button', { name: 'Visiter' }), casePath(id));
	check((await facts(page)).Tilstand === 'Visiteret',
	      `state after Visiter: ${(await facts(page)).Tilstand}`);
	await submit(page, page.getByRole('button', { name: 'Bestil udbedring' }),
		     casePath(id));
	check((await facts(page)).Tilstand === 'Udbedring i gang',
	      `state after Bestil udbedring: ${(await facts(page)).Tilstand}`);
}));

test('fault form: the address hint and error agree, the file hint names the ' +
     'accepted types, and the receipt calls it an indberetning', () =>
	withPage({ javaScriptEnabled: false }, async (page) => {
		await citizenSignIn(page, FAULT_FORM);
		const hint = await text(page.locator('#f-sted-hjaelp'));
		await page.getByRole('radiogroup', { name: 'Hvad drejer det sig om?' })
			.getByLabel('Hul i vej eller fortov').check();
		await page.getByLabel('Hvor er fejlen?').fill('Ved skolen');
		await page.getByLabel('Beskriv fejlen og den præcise placering')
			.fill(FAULT_VALUES.beskrivelse);
		await submit(page, page.getByRole('button', { name: 'Send' }),
			     FAULT_FORM, 422);
		const error = (await text(page.locator('#f-sted-fejl')))
			.replace(/^Fejl: /, '');
		// the parts the error asks for are the ones the hint names
		const parts = (t) => ['vej', 'husnummer', 'postnummer', 'by']
			.filter((w) => new RegExp(`\\b${w}\\b`).test(t));
		check(parts(error).length > 0 &&
		      parts(error).join() === parts(hint).join(),
		      `hint "${hint}" and error "${error}" disagree`);
		// the hint's example passes the check
		const example = /fx (.+)\.$/.exec(hint);
		check(example, `no example in the hint: ${hint}`);
		await page.getByLabel('Hvor er fejlen?').fill(example[1]);

		// the file types come from the field's definition
		const def = await (await page.request.get(
			url('/api/v1/case-types/fejl-paa-vej'))).json();
		const foto = (def.form || def.definition?.form).fields
			.find((f) => f.name === 'foto');
		const names = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG',
				'image/png': 'PNG' };
		const fileHint = await text(page.locator('#f-foto-hjaelp'));
		for (const [type, name] of Object.entries(names))
			check(fileHint.includes(`${name}-`) === foto.accept.includes(type),
			      `file hint "${fileHint}" vs accept ${foto.accept}`);
		check(await page.getByLabel('Foto af fejlen').getAttribute('accept') ===
		      foto.accept.join(','), 'accept attribute differs');

		const landed = page.waitForURL((u) => u.searchParams.get('sendt') === '1');
		await page.getByRole('button', { name: 'Send' }).click();
		await landed;
		check(await text(page.locator('h1')) === 'Vi har modtaget din indberetning',
		      `receipt heading: ${await text(page.locator('h1'))}`);
		check(!(await text(page.locator('.receipt'))).includes('ansøgning'),
		      'the receipt calls the fault report an application');
		check((await page.title()).startsWith('Vi har modtaget din indberetning'),
		      `title: ${await page.title()}`);
	}));

// Answers that make a step apply: the first accepted value of each condition.
function answersFor(step) {
	const q = new URLSearchParams({ vis: '1' });
	for (const [k, v] of Object.entries(step.when || {}))
		q.set(`q_${k}`, Array.isArray(v) ? v[0] : v);
	return q;
}

async function stepWho(page, title) {
	const step = page.locator('li.step', { has: page.locator('h3', { hasText: title }) });
	check(await step.count() >= 1, `step "${title}" not shown on ${page.url()}`);
	const who = step.first().locator('p.who');
	return (await who.count()) ? text(who) : '';
}

test('life events: every plan step names who is responsible, in the guide ' +
     'and in the saved plan', () => withPage({}, async (page) => {
	const list = await (await page.request.get(url('/api/v1/life-events'))).json();
	const events = list.items || list.life_events || list;
	check(Array.isArray(events) && events.length >= 7, 'no life events');
	for (const le of events) {
		const def = await (await page.request.get(
			url(`/api/v1/life-events/${le.slug}`))).json();
		const steps = def.steps || def.definition?.steps;
		check(steps && steps.length, `${le.slug}: no steps`);
		for (const step of steps) {
			await go(page, `/livssituation/${le.slug}?${answersFor(step)}`);
			const who = await stepWho(page, step.title);
			check(/^Ansvarlig: \S/.test(who),
			      `${le.slug}/${step.key}: no Ansvarlig (${who})`);
		}
	}
	// the saved plan shows the same (a move to another municipality has
	// steps no organisation in helhed is responsible for)
	await citizenSignIn(page, null, OTHER_CITIZEN);
	const csrf = await citizenCsrf(page);
	const r = await page.request.post(url(GUIDE), { form: { csrf,
		q_hvorhen: 'anden-kommune', q_boern: 'nej', q_bolig: 'ejer',
		q_parkering: 'ja' }, maxRedirects: 0 });
	check(r.status() === 303, `plan not saved: ${r.status()}`);
	await go(page, r.headers().location);
	const n = await page.locator('li.step').count();
	check(n >= 3, `plan has ${n} steps`);
	for (let i = 0; i < n; i++) {
		const step = page.locator('li.step').nth(i);
		check(/^Ansvarlig: \S/.test(await text(step.locator('p.who'))),
		      `plan step ${await text(step.locator('h3'))} names nobody`);
	}
	check(await stepWho(page, 'Søg beboerlicens i din nye kommune') ===
	      'Ansvarlig: Din nye kommune', 'parking step not in the saved plan');
}));

test('life events: moving to another municipality adds the parking step, and ' +
     'only with a car in a paid zone', () => withPage({}, async (page) => {
	const parking = async (hvorhen, parkering) => {
		await go(page, `${GUIDE}?q_hvorhen=${hvorhen}&q_boern=nej&q_bolig=leje` +
			 `&q_parkering=${parkering}&vis=1`);
		return (await page.locator('li.step h3').allInnerTexts())
			.filter((t) => /beboerlicens|parker/i.test(t));
	};
	const other = await parking('anden-kommune', 'ja');
	check(other.length === 1 && other[0] === 'Søg beboerlicens i din nye kommune',
	      `another municipality: ${other}`);
	check((await parking('anden-kommune', 'nej')).length === 0,
	      'parking step without a car');
	check((await parking('udlandet', 'ja')).length === 0, 'parking step abroad');
	const same = await parking('samme-kommune', 'ja');
	check(same.length === 1 && same[0] === 'Søg beboerlicens til din bil',
	      `same municipality: ${same}`);
	check((await parking('samme-kommune', 'nej')).length === 0,
	      'parking step without a car, same municipality');
}));

test('phone: Vis min plan lands on the plan, not on the questions', () =>
	withPage({ viewport: PHONE_390 }, async (page) => {
		await go(page, GUIDE);
		const qs = page.locator('fieldset.question');
		await qs.nth(0).getByLabel('Til en anden kommune i Danmark').check();
		await qs.nth(1).getByLabel('Ja').check();
		await qs.nth(2).getByLabel('I en ejerbolig').check();
		await qs.nth(3).getByLabel('Nej').check();
		await page.getByRole('button', { name: 'Vis min plan' }).click();
		await page.waitForURL((u) => u.searchParams.get('vis') === '1');
		await page.waitForLoadState('load');
		const heading = page.locator('#din-plan');
		await heading.waitFor();
		const box = await heading.boundingBox();
		check(box && box.y >= 0 && box.y + box.height <= PHONE_390.height,
		      `Din plan is not in view: ${JSON.stringify(box)}`);
		const q = await page.locator('#spoergsmaal').boundingBox();
		check(q.y + q.height <= 0, 'the questions are still in view');
	}));

// The header's height at 390 px: the brand on one line, the menu on one.
async function headerLines(page) {
	return page.evaluate(() => {
		const h = document.querySelector('header.site > .wrap');
		const items = [...h.querySelectorAll('nav li')];
		const tops = new Set(items.map((li) => Math.round(
			li.getBoundingClientRect().top)));
		const line = parseFloat(getComputedStyle(h.querySelector('nav')).lineHeight) ||
			24;
		return { height: h.getBoundingClientRect().height, menuLines: tops.size,
			 line };
	});
}

test('phone: the header keeps to two lines at 390 px, signed out and in', () =>
	withPage({ viewport: PHONE_390 }, async (page) => {
		const checkHeader = async (what) => {
			const h = await headerLines(page);
			check(h.menuLines === 1, `${what}: the menu takes ${h.menuLines} lines`);
			// brand (a 1.5rem line) + menu + padding: well under three lines
			check(h.height <= 90, `${what}: header ${h.height} px high`);
		};
		await go(page, '/');
		await checkHeader('signed out');
		await signIn(page, STAFF.email, STAFF.password);
		await checkHeader('staff');
		await submit(page, await headerSignOut(page), '/');
		await citizenSignIn(page);
		await checkHeader('citizen');
	}));

// The demo's shared published citizen articles, with their page views,
// from the front matter; most viewed first.
function demoArticles() {
	const out = [];
	const dir = join(ROOT, 'content', 'articles');
	for (const f of readdirSync(dir)) {
		if (!f.endsWith('.md'))
			continue;
		const fm = readFileSync(join(dir, f), 'utf8').split('\n---\n')[0];
		const get = (k) => (new RegExp(`^${k}: (.*)$`, 'm').exec(fm) || [])[1];
		if (get('audience') === 'citizen' && get('status') === 'published')
			out.push({ slug: f.slice(0, -3), title: get('title'),
				   views: Number(get('views') || 0) });
	}
	return out.sort((a, b) => b.views - a.views || a.title.localeCompare(b.title));
}

// Straight and English/German quotation marks, or guillemets the French
// way round («…», opened with « straight before a word): the Danish style
// is »…«.
const WRONG_QUOTES = /["“”„]|«[^\s»«][^»«\n]*»/;

test('Danish quotation marks »…« throughout the pages a citizen reads', () =>
	withPage({}, async (page) => {
		const seen = [];
		const look = async (path, status = 200) => {
			await go(page, path, status);
			const body = await page.evaluate(() => document.body.innerText);
			const m = WRONG_QUOTES.exec(body);
			check(!m, `${path}: "${m && body.slice(Math.max(0, m.index - 40),
								 m.index + 40)}"`);
			seen.push(path);
		};
		// every article as served (text and attributes are escaped, so a
		// straight quote in them reads &quot;)
		for (const a of demoArticles()) {
			const r = await page.request.get(url(`/artikel/${a.slug}`));
			check(r.status() === 200, `/artikel/${a.slug}: ${r.status()}`);
			const html = (await r.text()).replace(/&quot;|&#34;/g, '"')
				.replace(/<[^>]*>/g, ' ');
			const m = WRONG_QUOTES.exec(html);
			check(!m, `/artikel/${a.slug}: "${m && html.slice(
				Math.max(0, m.index - 40), m.index + 40)}"`);
			seen.push(a.slug);
		}
		await look('/');
		await look(GUIDE_ANSWERED);
		await look('/soeg?q=pas');
		// a form with a conditional field's note (»Ja« til »…«)
		await citizenSignIn(page, FAULT_FORM);
		await look(FAULT_FORM);
		await look(MOVE_FORM);
		check(seen.length > 100, `only ${seen.length} pages looked at`);
	}));

test('Danish quotation marks »…« in a case\'s history for the citizen', () =>
	withPage({}, async (page) => {
		const id = await submitFaultReport();
		const staff = await newPage();
		try {
			await openCase(staff, CASEWORKER, id);
			await submit(staff, staff.getByRole('button', { name: 'Visiter' }),
				     casePath(id));
			const body = await staff.evaluate(() => document.body.innerText);
			check(!WRONG_QUOTES.test(body), 'casework page quotes wrongly');
			check(body.includes('»Visiteret«'), 'no »…« on the casework page');
		} finally {
			await staff.context().close();
		}
		await citizenSignIn(page, null, { subject: 'demo:demo-mette',
						  name: 'Mette Jensen' });
		await go(page, `/mit-overblik/sag/${id}`);
		const body = await page.evaluate(() => document.body.innerText);
		check(!WRONG_QUOTES.test(body), 'the case page quotes wrongly');
		check(body.includes('»Visiteret«'),
		      'the history does not quote the state »…«');
	}));

test('front page: a fresh install orders »Det spørger andre om« by the demo\'s ' +
     'page views', () => withPage({}, async (page) => {
	await go(page, '/');
	const shown = await page.locator('section:has(#populaere) a')
		.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	check(shown.length >= 5, `only ${shown.length} popular articles`);
	const want = demoArticles().filter((a) => a.views > 0).slice(0, shown.length)
		.map((a) => `/artikel/${a.slug}`);
	check(want.length === shown.length, 'the demo has too few view counts');
	check(shown.join() === want.join(),
	      `popular: ${shown.join(', ')}; want ${want.join(', ')}`);
	// and not simply the alphabet
	const titles = await page.locator('section:has(#populaere) a').allInnerTexts();
	check(titles.join() !== [...titles].sort((a, b) => a.localeCompare(b, 'da')).join(),
	      'popular articles in alphabetical order');
}));

// ---- appointments (tidsbestilling) and contact pages -----------------------

const BOOKING_ORG = '901';

// The free slots of a service at an organisation from tomorrow, over the
// API: [{ start_at, free }] with start_at as epoch seconds.
async function freeSlots(org, service) {
	const d = new Date(Date.now() + 86400000);
	const day = d.toISOString().slice(0, 10);
	const r = await fetch(url(`/api/v1/organisations/${org}/slots?service=` +
				  `${service}&from=${day}`));
	check(r.status === 200, `slots: ${r.status}`);
	const j = await r.json();
	return j.items.map((s) => ({ start_at: Date.parse(s.start_at) / 1000,
				     iso: s.start_at, free: s.free }));
}

// Books over the API without signing in; returns the booking.
async function apiBook(org, service, iso, name) {
	const r = await fetch(url('/api/v1/appointments'), {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ organisation: org, service, start_at: iso,
				       name, phone: '12345678' }),
	});
	check(r.status === 201, `booking over the API: ${r.status}`);
	return r.json();
}

// One booking for the page states (each state is opened many times).
let stateBooking = null;
async function stateBookingCode() {
	if (!stateBooking) {
		const slots = await freeSlots(BOOKING_ORG, 'koerekort');
		stateBooking = await apiBook(BOOKING_ORG, 'koerekort',
					     slots[slots.length - 1].iso, 'Else Eksempel');
	}
	return stateBooking.code;
}

function bookingPageStates() {
	return [
		{ name: 'booking: choose a municipality',
		  open: (p) => go(p, '/tidsbestilling') },
		{ name: 'booking: choose a time',
		  open: (p) => go(p, `/tidsbestilling?kommune=${BOOKING_ORG}` +
				  '&ydelse=pas') },
		{ name: 'booking: the booking by its code',
		  open: async (p) => go(p, `/tidsbestilling/${await stateBookingCode()}`) },
		{ name: 'contact: one municipality',
		  open: (p) => go(p, `/kontakt/${BOOKING_ORG}`) },
		{ name: 'accessibility statement',
		  open: (p) => go(p, '/tilgaengelighed') },
		{ name: 'booking: the counter\'s day list', open: async (p) => {
			await stateBookingCode();
			await signIn(p, AGENT.email, AGENT.password);
			return go(p, '/borgerservice/tidsbestillinger?dato=' +
				  new Date(stateBooking.start_at).toISOString()
					  .slice(0, 10));
		  } },
	];
}

// The booking flow as a citizen without JavaScript clicks through it:
// municipality, service, the first free time, name and e-mail; the
// confirmation shows the code; the booking is moved and then cancelled
// by that code (a new browser, as from the link in an e-mail).
test('JavaScript disabled: book a time without signing in, move it by its ' +
     'code and cancel it', () => withPage({ javaScriptEnabled: false },
					     async (page) => {
	await go(page, '/tidsbestilling');
	await page.getByLabel('Nordskov Kommune').check();
	await submit(page, page.getByRole('button', { name: 'Videre' }),
		     '/tidsbestilling');
	await page.getByLabel('Pas', { exact: false }).first().check();
	await submit(page, page.getByRole('button', { name: 'Videre' }),
		     '/tidsbestilling');
	check((await text(page.locator('main'))).includes('Husk at medbringe'),
	      'the documents to bring are not shown');
	const first = page.locator('input[name=start]').first();
	const chosen = await first.getAttribute('value');
	await first.check();
	await page.getByLabel('Navn').fill('Ida Hansen');
	await page.getByLabel('E-mail').fill('ida@example.dk');
	const landed = page.waitForURL(/\/tidsbestilling\/[A-Z0-9]{12}\?ny=1$/);
	await page.getByRole('button', { name: 'Bestil tiden' }).click();
	await landed;
	const code = /\/tidsbestilling\/([A-Z0-9]{12})/.exec(page.url())[1];
	const main = await text(page.locator('main'));
	check(main.includes('Din tid er bestilt'), `no confirmation: ${main}`);
	const shown = await text(page.locator('.booking-code'));
	check(shown === `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`,
	      `code shown as ${shown}`);

	/* later, in another browser, by the code alone */
	await withPage({ javaScriptEnabled: false }, async (other) => {
		await go(other, '/tidsbestilling');
		await other.getByLabel('Din bookingkode').fill(shown.toLowerCase());
		await submit(other, other.getByRole('button', { name: 'Find min tid' }),
			     `/tidsbestilling/${shown.toLowerCase()}`);
		const when = await text(other.locator('.booking-when'));
		const to = other.locator('input[name=start]').nth(2);
		const toValue = await to.getAttribute('value');
		check(toValue !== chosen, 'its own time is offered to move to');
		await to.check();
		await submit(other, other.getByRole('button',
				{ name: 'Flyt til den valgte tid' }),
			     `/tidsbestilling/${code}`);
		const after = await text(other.locator('main'));
		check(after.includes('Din tid er flyttet'), `not moved: ${after}`);
		check(await text(other.locator('.booking-when')) !== when,
		      'the time shown did not change');
		await submit(other, other.getByRole('button', { name: 'Aflys tiden' }),
			     `/tidsbestilling/${code}`);
		check((await text(other.locator('h1'))) === 'Tiden er aflyst',
		      'not cancelled');
		check(await other.getByRole('button', { name: 'Aflys tiden' })
			.count() === 0, 'a cancelled time can be cancelled again');
	});
	/* the API agrees */
	const r = await fetch(url(`/api/v1/appointments/${code}`));
	check((await r.json()).state === 'cancelled', 'the API does not say cancelled');
}));

// Two citizens in two browsers choose the same last free counter at the
// same time: one booking is made, the other is told in Danish that the
// time was just taken, and is offered the times again.
test('booking: two browsers race for the last free counter of a time; one ' +
     'gets it, the other the Danish error', async () => {
	const slots = await freeSlots(BOOKING_ORG, 'mitid');
	const slot = slots[Math.floor(slots.length / 2)];
	/* all counters but one taken */
	for (let i = 1; i < slot.free; i++)
		await apiBook(BOOKING_ORG, 'mitid', slot.iso, `Optaget ${i}`);
	const a = await newPage();
	const b = await newPage();
	try {
		const path = `/tidsbestilling?kommune=${BOOKING_ORG}&ydelse=mitid` +
			`&fra=${Math.floor((slot.start_at + 3600) / 86400)}`;
		for (const [p, name] of [[a, 'Anna Andersen'], [b, 'Bo Berg']]) {
			await go(p, path);
			await p.locator(`input[name=start][value="${slot.start_at}"]`).check();
			await p.getByLabel('Navn').fill(name);
			await p.getByLabel('Telefonnummer').fill('20304050');
		}
		const answers = await Promise.all([a, b].map(async (p) => {
			const resp = p.waitForResponse((r) =>
				r.request().isNavigationRequest() &&
				new URL(r.url()).pathname.startsWith('/tidsbestilling') &&
				(r.status() < 300 || r.status() >= 400));
			await p.getByRole('button', { name: 'Bestil tiden' }).click();
			return (await resp).status();
		}));
		answers.sort();
		check(answers[0] === 200 && answers[1] === 409,
		      `statuses ${answers.join(', ')}, want one 200 and one 409`);
		const loser = answers.indexOf(409) >= 0 ? null : null;
		void loser;
		let lost = null;
		for (const p of [a, b]) {
			await p.waitForLoadState('load');
			if (new URL(p.url()).pathname === '/tidsbestilling')
				lost = p;
		}
		check(lost, 'neither browser stayed on the booking form');
		const alert = await text(lost.getByRole('alert'));
		check(alert.includes('tiden er netop blevet taget'),
		      `the error says: ${alert}`);
		check(await lost.locator(`input[name=start][value="${slot.start_at}"]`)
			.count() === 0, 'the taken time is still offered');
	} finally {
		await a.context().close();
		await b.context().close();
	}
});

async function screenshots() {
	mkdirSync(SHOTS, { recursive: true });
	for (const [vname, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
		await withPage({ viewport }, async (page) => {
			await go(page, '/');
			await page.screenshot({ path: join(SHOTS, `front-${vname}.png`),
						fullPage: true });
		});
	}
}

// ---- the agent's desk ---------------------------------------------------------

test('desk: a phone contact logged with the keyboard only, another transferred ' +
     'and waiting in the team\'s queue', () =>
	withPage({}, async (page) => {
		await signIn(page, AGENT.email, AGENT.password);
		await go(page, '/borgerservice');
		// keyboard only: Alt+1 chooses "Løst med det samme", Enter sends
		await page.keyboard.press('Alt+1');
		check(await page.isChecked('#udfald-1'), 'Alt+1 chose no outcome');
		check(await page.evaluate(() => document.activeElement.id) === 'udfald-1',
		      'the chosen outcome does not have the focus');
		const landed = page.waitForURL((u) => u.searchParams.has('logget'));
		await page.keyboard.press('Enter');
		await landed;
		const receipt = await text(page.locator('#kvittering'));
		check(/Henvendelsen er registreret \(nr\. \d+\)\./.test(receipt),
		      `receipt: ${receipt}`);
		// "/" goes to the knowledge-base search
		await page.keyboard.press('/');
		check(await page.evaluate(() => document.activeElement.id) === 'q',
		      '"/" did not focus the search');
		// a transfer with a reason from the organisation's codes
		await page.locator('body').click({ position: { x: 1, y: 1 } });
		await page.keyboard.press('Alt+2');
		check(await page.isChecked('#udfald-2'), 'Alt+2 chose no outcome');
		check(await page.locator('details.desk-more').evaluate((d) => d.open),
		      'the transfer fields did not open');
		await page.selectOption('#til', 'team:ydelser');
		await page.selectOption('#aarsag', 'kraever-sagsbehandler');
		await page.getByLabel('Notat (valgfrit)').fill('Spørger om boligstøtte');
		await submit(page, page.getByRole('button', { name: 'Registrér henvendelse' }),
			     '/borgerservice');
		const queue = await text(page.locator('#modtaget'));
		check(queue.includes('Spørger om boligstøtte') && queue.includes('ydelser'),
		      `the receiving queue: ${queue}`);
		const res = await runAxe(page);
		check(res.violations.length === 0, describeAxe(res.violations));
	}));

// ---- chat ---------------------------------------------------------------------

const AGENT_902 = { email: 'borgerservice@aastrup.demo',
		    password: 'demo-borgerservice' };

// Åstrup's chat open round the clock for the test, so it does not depend
// on the time of day it runs at (its other hours stay as they are).
let chatHoursSet = false;
function chatAlwaysOpen() {
	if (chatHoursSet)
		return;
	const dir = mkdtempSync(join(tmpdir(), 'helhed-e2e-hours-'));
	const day = ['00:00-24:00'];
	writeFileSync(join(dir, 'hours.json'), JSON.stringify({
		902: { chat: { week: { mon: day, tue: day, wed: day, thu: day,
				       fri: day, sat: day, sun: day },
			       holidays_closed: false } } }));
	const r = spawnSync(BIN, ['import', dir, '--db', dbPath], { cwd: ROOT,
								  encoding: 'utf8' });
	rmSync(dir, { recursive: true, force: true });
	check(r.status === 0, `helhed import of chat hours: ${r.stderr}`);
	chatHoursSet = true;
}

test('chat: a citizen chats with an agent, gets an article link, the chat ' +
     'is closed and rated (two browsers)', async () => {
	chatAlwaysOpen();
	const agent = await newPage();
	const citizen = await newPage();
	try {
		// the agent opens the console: present, so chat is open
		await signIn(agent, AGENT_902.email, AGENT_902.password);
		await go(agent, '/borgerservice/chat');
		await agent.locator('#console-status').filter({ hasText: 'køen' })
			.waitFor();

		await go(citizen, '/chat?organisation=902');
		check((await text(citizen.locator('#chat-status'))).includes(
		      'Chatten er åben'), 'the chat page does not say it is open');
		await citizen.getByRole('button', { name: 'Start chat' }).click();
		await citizen.locator('#chat-place').filter({ hasText: 'nummer 1 i køen' })
			.waitFor();
		check(await citizen.locator('#skriv').isHidden(),
		      'the written form is still shown beside the live chat');

		// the agent takes it from the queue (it arrives by itself)
		const take = agent.getByRole('button', { name: /^Tag chat \d+$/ });
		await take.waitFor();
		await take.click();
		await agent.locator('.chat-panel').waitFor();
		await citizen.locator('#chat-place').filter({ hasText: 'Du chatter med' })
			.waitFor();

		// a message from the citizen reaches the agent
		await citizen.getByLabel('Din besked').fill('Hvordan får jeg et nyt pas?');
		await citizen.getByRole('button', { name: 'Send', exact: true }).click();
		await agent.locator('.chat-panel .msg-citizen')
			.filter({ hasText: 'Hvordan får jeg et nyt pas?' }).waitFor();

		// the agent finds an article and sends its link with one click
		await agent.getByLabel('Søg i vidensbasen').fill('pas');
		await agent.locator('#kb-form').getByRole('button', { name: 'Søg' }).click();
		const first = agent.locator('#kb-results li').first();
		await first.getByRole('button', { name: /^Send link til / }).waitFor();
		const title = await text(first.locator('a'));
		await first.getByRole('button', { name: /^Send link til / }).click();
		const link = citizen.locator('#chat-log .msg-agent a');
		await link.waitFor();
		check((await text(link)) === title,
		      `the citizen got link »${await text(link)}«, want »${title}«`);
		check(/^\/artikel\//.test(await link.getAttribute('href')),
		      `the link goes to ${await link.getAttribute('href')}`);
		// new messages are announced
		check(await citizen.locator('#chat-log').getAttribute('aria-live') ===
		      'polite', 'the message log is not a live region');

		// the agent closes with the outcome; the citizen rates once
		await agent.getByRole('button', { name: 'Afslut chat' }).click();
		await citizen.locator('#chat-place')
			.filter({ hasText: 'Chatten er afsluttet' }).waitFor();
		await citizen.getByRole('group', { name: 'Hvordan var chatten?' })
			.getByLabel('5').check();
		await citizen.getByLabel('Kommentar (frivillig)').fill('Hurtig hjælp');
		await citizen.getByRole('button', { name: 'Send bedømmelse' }).click();
		await citizen.locator('#chat-place')
			.filter({ hasText: 'Tak for din bedømmelse' }).waitFor();
		const results = await runAxe(citizen);
		check(results.violations.length === 0,
		      `axe on the chat:\n${describeAxe(results.violations)}`);
		const consoleAxe = await runAxe(agent);
		check(consoleAxe.violations.length === 0,
		      `axe on the console:\n${describeAxe(consoleAxe.violations)}`);

		// stored: the chat closed and rated, its inquiry resolved
		const chats = await agent.context().request.get(url('/api/v1/chat-console'));
		check(chats.status() === 200, `console: ${chats.status()}`);
		check((await chats.json()).mine.length === 0, 'the agent still holds it');
		const id = await citizen.evaluate(() => JSON.parse(
			sessionStorage.getItem('hh_chat_902') || 'null'));
		check(id === null, 'the chat is still kept in the tab after rating');
	} finally {
		await agent.context().close();
		await citizen.context().close();
	}
});

test('chat: without JavaScript the chat page is a written inquiry', () =>
	withPage({ javaScriptEnabled: false }, async (page) => {
		await go(page, '/');
		await page.getByRole('link', { name: 'Chat med os' }).click();
		await page.waitForURL((u) => u.pathname === '/chat');
		await go(page, '/chat?organisation=901');
		check(await page.locator('#chat').isHidden(),
		      'the live chat shows without JavaScript');
		await page.getByLabel('Dit spørgsmål').fill('Hvornår kan jeg hente mit pas?');
		await page.getByLabel('Din e-mail eller dit telefonnummer')
			.fill('lars@example.dk');
		await submit(page, page.getByRole('button', { name: 'Send henvendelse' }),
			     '/chat/skriv', 201);
		check((await text(page.locator('h1'))) === 'Tak for din henvendelse',
		      `after sending: ${await text(page.locator('h1'))}`);
		// an empty question is refused beside the field
		await go(page, '/chat?organisation=901');
		await page.getByLabel('Din e-mail eller dit telefonnummer')
			.fill('lars@example.dk');
		await submit(page, page.getByRole('button', { name: 'Send henvendelse' }),
			     '/chat/skriv', 422);
		check((await text(page.locator('#tekst-fejl'))).includes('Skriv din'),
		      'no error beside the question');
	}));

// The page checks open 901's console as its agent ("agent chat console"),
// and a heartbeat keeps an agent present HH_CHAT_PRESENCE_SECONDS (60 s)
// after the page is gone; a run of the chat tests alone comes here within
// that time. Nobody at the console is this test's premise, so it waits
// (bounded) for that agent to be gone rather than race them.
async function nobodyAtConsole(page, org) {
	const until = Date.now() + 75000;
	for (;;) {
		const r = await page.request.get(url(`/api/v1/organisations/${org}/chat`));
		check(r.status() === 200, `chat status of ${org}: ${r.status()}`);
		const s = await r.json();
		if (s.agents_present === 0)
			return;
		check(Date.now() < until, `${org}: an agent is still present`);
		await new Promise((res) => setTimeout(res, 1000));
	}
}

test('chat: closed (nobody at the console), the page offers the written ' +
     'inquiry, not a chat', () =>
	withPage({}, async (page) => {
		await nobodyAtConsole(page, 901);
		await go(page, '/chat?organisation=901');
		check(!(await text(page.locator('#chat-status'))).includes('Chatten er åben'),
		      'the chat says it is open with no agent present');
		check(await page.getByRole('button', { name: 'Start chat' }).count() === 0,
		      'a closed chat offers to start one');
		check(await page.locator('#skriv').isVisible(), 'no written form');
		const results = await runAxe(page);
		check(results.violations.length === 0,
		      `axe:\n${describeAxe(results.violations)}`);
	}));

// ---- the citizen's inbox (Din post in Mit overblik) ------------------------
// The demo's first start puts two letters in every demo citizen's inbox
// (domain/demoletters.c): a decision, read, and a request for information,
// unread, whose case waits for the citizen. The page states read Mette
// Jensen's; the walk answers Fatima Ahmadi's request.

const INBOX_CITIZEN = { subject: 'demo:demo-mette', name: 'Mette Jensen' };
const REQUEST_TITLE = 'Vi mangler oplysninger om din familie';

async function openRequestLetter(page) {
	await go(page, '/mit-overblik/post');
	await page.getByRole('link', { name: REQUEST_TITLE }).click();
	await page.waitForURL((u) => /^\/mit-overblik\/post\/\d+$/.test(u.pathname));
	return Number(/(\d+)$/.exec(new URL(page.url()).pathname)[1]);
}

function inboxPageStates() {
	return [
		{ name: 'inbox (Din post)', open: async (p) => {
			await citizenSignIn(p, null, INBOX_CITIZEN);
			return go(p, '/mit-overblik/post');
		  } },
		{ name: 'a letter with its answer form', open: async (p) => {
			await citizenSignIn(p, null, INBOX_CITIZEN);
			const id = await openRequestLetter(p);
			return go(p, `/mit-overblik/post/${id}`);
		  } },
	];
}

test('inbox: a citizen sees an unread letter, opens it, downloads the PDF and ' +
     'answers the request with a file', () =>
	withPage({}, async (page) => {
		await citizenSignIn(page, null, OTHER_CITIZEN);
		const summary = await text(page.locator('section.inbox-summary'));
		check(/Du har \d+ ulæst(e)? brev/.test(summary), `summary: ${summary}`);
		await page.locator('section.inbox-summary')
			.getByRole('link', { name: 'Se alle dine breve' }).click();
		await page.waitForURL((u) => u.pathname === '/mit-overblik/post');
		const item = page.locator('li.letter-item', {
			has: page.getByRole('link', { name: REQUEST_TITLE }) });
		check((await text(item)).includes('Ulæst'), `item: ${await text(item)}`);
		check(DANISH_DATE.test(await text(item)), 'no Danish date');
		await item.getByRole('link', { name: REQUEST_TITLE }).click();
		await page.waitForURL((u) => /^\/mit-overblik\/post\/\d+$/.test(u.pathname));
		const id = Number(/(\d+)$/.exec(new URL(page.url()).pathname)[1]);
		const letter = page.locator('article.letter');
		check((await text(letter)).includes(REQUEST_TITLE), 'no letter');
		check((await text(letter)).includes(OTHER_CITIZEN.name), 'no recipient');

		// the PDF, as an attachment with a safe name
		const download = page.waitForEvent('download');
		await page.getByRole('link', { name: 'Hent brevet som PDF' }).click();
		const d = await download;
		check(/^brev-\d+-vi-mangler-oplysninger-om-din-familie\.pdf$/
		      .test(d.suggestedFilename()), `file name: ${d.suggestedFilename()}`);
		const saved = join(mkdtempSync(join(tmpdir(), 'helhed-pdf-')), 'brev.pdf');
		await d.saveAs(saved);
		check(readFileSync(saved).subarray(0, 5).toString() === '%PDF-', 'not a PDF');

		// a wrong kind of file: refused in Danish, nothing sent
		const path = `/mit-overblik/post/${id}/svar`;
		await page.getByLabel('Dit svar').fill('Her er min lejekontrakt.');
		await page.getByLabel('Vedhæft filer (valgfrit)').setInputFiles({
			name: 'noter.txt', mimeType: 'text/plain',
			buffer: Buffer.from('ikke en pdf') });
		await submit(page, page.getByRole('button', { name: 'Send svar' }), path, 422);
		check((await text(page.locator('.error-summary')))
		      .includes('noter.txt: Filtypen er ikke tilladt'), 'no file error');
		check(await page.getByLabel('Dit svar').inputValue() ===
		      'Her er min lejekontrakt.', 'text not kept');
		// the right one
		await page.getByLabel('Vedhæft filer (valgfrit)').setInputFiles({
			name: 'lejekontrakt.pdf', mimeType: 'application/pdf',
			buffer: PDF_BYTES });
		await submit(page, page.getByRole('button', { name: 'Send svar' }),
			     `/mit-overblik/post/${id}`);
		check((await text(page.getByRole('status'))).includes('Tak for dit svar'),
		      'no thanks');
		check(await page.getByLabel('Vedhæft filer (valgfrit)').count() === 0,
		      'still asks for files');
		const res = await runAxe(page);
		check(res.violations.length === 0, describeAxe(res.violations));

		// read now, and the case has the answer with its file
		await go(page, '/mit-overblik/post');
		const after = page.locator('li.letter-item', {
			has: page.getByRole('link', { name: REQUEST_TITLE }) });
		check(!(await text(after)).includes('Ulæst'), 'still unread');
		await go(page, `/mit-overblik/post/${id}`);
		await page.locator('p.who a[href^="/mit-overblik/sag/"]').click();
		await page.waitForURL((u) => u.pathname.startsWith('/mit-overblik/sag/'));
		const hist = await text(page.locator('ol.history'));
		check(hist.includes('Du svarede med 1 fil') &&
		      hist.includes('Her er min lejekontrakt.'), `history: ${hist}`);
	}));

// ---- feedback: "Fandt du det, du søgte?" (issue 12) ----------------------

test('feedback: Nej opens the comment field, the answer is sent without a ' +
     'reload and thanked in Danish; axe finds nothing', () =>
	withPage({}, async (page) => {
		await go(page, '/artikel/skift-af-laege');
		const form = page.locator('form.feedback-form');
		const comment = form.getByLabel('Hvad manglede du, eller hvad kan ' +
						'vi gøre bedre?');
		check(!(await comment.isVisible()),
		      'the comment field shows before Nej');
		await form.getByLabel('Nej').check();
		await comment.waitFor({ state: 'visible' });
		check(await comment.evaluate((el) => el === document.activeElement),
		      'Nej did not move focus to the comment field');
		await comment.fill('Jeg manglede prisen. Ring 12 34 56 78');
		const sent = page.waitForResponse((r) =>
			new URL(r.url()).pathname === '/api/v1/feedback');
		await form.getByRole('button', { name: 'Send svar' }).click();
		const resp = await sent;
		check(resp.status() === 201, `POST /api/v1/feedback: ${resp.status()}`);
		const j = await resp.json();
		check(j.found === false && j.page === 'article',
		      `answer stored as ${JSON.stringify(j)}`);
		check(j.comment === 'Jeg manglede prisen. Ring [fjernet]',
		      `comment stored as ${j.comment}`);
		const thanks = page.getByRole('status').filter(
			{ hasText: 'Tak for dit svar.' });
		await thanks.waitFor();
		check(new URL(page.url()).search === '',
		      `the page was reloaded: ${page.url()}`);
		check(await page.locator('form.feedback-form').count() === 0,
		      'the form is still there');
		const res = await runAxe(page);
		check(res.violations.length === 0, describeAxe(res.violations));
	}));

test('JavaScript disabled: Nej with a comment on a search without results ' +
     'is posted and thanked in Danish', () =>
	withPage({ javaScriptEnabled: false }, async (page) => {
		await go(page, '/soeg?q=zqxjvbnm');
		const form = page.locator('form.feedback-form');
		await form.getByLabel('Nej').check();
		await form.locator('summary').click();
		await form.getByLabel('Hvad manglede du, eller hvad kan vi gøre ' +
				      'bedre?').fill('Intet om mit spørgsmål');
		await submit(page, form.getByRole('button', { name: 'Send svar' }),
			     '/soeg');
		const u = new URL(page.url());
		check(u.searchParams.get('q') === 'zqxjvbnm' &&
		      u.searchParams.get('tak') === '1',
		      `landed on ${page.url()}`);
		check(await text(page.locator('.feedback-thanks')) ===
		      'Tak for dit svar.', 'no thanks on the page');
		check(await page.locator('form.feedback-form').count() === 0,
		      'the form is still there');
	}));
// ---- fig-pages: the managers' pages and the public service levels ---------

const MANAGER = { email: 'leder@nordskov.demo', password: 'demo-leder' };

function figurePageStates() {
	return [
		{ name: 'managers: the dashboard', open: async (p) => {
			await signIn(p, MANAGER.email, MANAGER.password);
			return go(p, '/ledelse?periode=12m');
		  } },
		{ name: 'managers: the dashboard with a filter refused',
		  open: async (p) => {
			await signIn(p, MANAGER.email, MANAGER.password);
			return go(p, '/ledelse?fra=2026-02-30', 400);
		  } },
		{ name: 'managers: the benchmark', open: async (p) => {
			await signIn(p, MANAGER.email, MANAGER.password);
			return go(p, '/ledelse/benchmark?periode=12m');
		  } },
		{ name: 'managers: behind an indicator', open: async (p) => {
			await signIn(p, MANAGER.email, MANAGER.password);
			return go(p, '/ledelse/bag/cases?periode=12m');
		  } },
		{ name: 'public service levels of 901',
		  open: (p) => go(p, '/serviceniveau/901') },
	];
}

test('managers: Servicetal in the menu, a drill-down followed, a CSV ' +
     'downloaded', () => withPage({}, async (page) => {
	await signIn(page, MANAGER.email, MANAGER.password);
	await page.getByRole('navigation', { name: 'Hovedmenu' })
		.getByRole('link', { name: 'Servicetal' }).click();
	await page.waitForURL((u) => u.pathname === '/ledelse');
	check(await text(page.locator('h1')) === 'Servicetal', 'no heading');
	// every chart is an image named by its title, followed by its table
	const charts = page.locator('svg[role="img"]');
	check(await charts.count() >= 4, 'too few charts');
	const named = await page.evaluate(() => [...document.querySelectorAll(
		'svg[role="img"]')].every((svg) => {
		const t = document.getElementById(svg.getAttribute(
			'aria-labelledby'));
		return t && t.textContent.trim().length > 0;
	}));
	check(named, 'a chart without a name');
	// the quick choice
	await page.getByRole('link', { name: 'Seneste 12 måneder' }).click();
	await page.waitForURL((u) => u.searchParams.get('periode') === '12m');
	// a drill-down from the cases' card keeps the filters
	await page.locator('#tal-cases').getByRole('link').click();
	await page.waitForURL((u) => u.pathname === '/ledelse/bag/cases' &&
		u.searchParams.get('periode') === '12m');
	check((await text(page.locator('h1'))).startsWith('Bag tallet'),
	      'no drill-down heading');
	// a CSV of the dashboard's channel table
	await go(page, '/ledelse?periode=12m');
	const link = page.locator('a[href*="tabel=kanaler"]');
	const [download] = await Promise.all([page.waitForEvent('download'),
					      link.click()]);
	check(/^servicetal-kanaler-pr-maaned-.*\.csv$/.test(
		download.suggestedFilename()),
	      `file name: ${download.suggestedFilename()}`);
	const csv = readFileSync(await download.path());
	check(csv[0] === 0xef && csv[1] === 0xbb && csv[2] === 0xbf, 'no BOM');
	check(csv.toString('utf8').slice(1).startsWith('Måned;'),
	      `header: ${csv.toString('utf8').slice(0, 40)}`);
}));

test('managers: an editor gets a Danish 403 and no Servicetal link', () =>
	withPage({}, async (page) => {
	await signIn(page, STAFF.email, STAFF.password);
	check(await page.getByRole('link', { name: 'Servicetal' }).count() === 0,
	      'an editor sees Servicetal');
	await go(page, '/ledelse', 403);
	check(await text(page.locator('h1')) === 'Ingen adgang', 'no 403 page');
}));

test('public service levels: no sign-in, linked from the contact page', () =>
	withPage({}, async (page) => {
	await go(page, '/kontakt/901');
	await page.getByRole('link', { name: 'Sagsbehandlingstider' }).click();
	await page.waitForURL((u) => u.pathname === '/serviceniveau/901');
	check((await text(page.locator('h1'))).includes('Nordskov'),
	      'no organisation in the heading');
	check(await page.locator('table caption').count() === 1, 'no table');
}));

// s-self (issue 13): a form found by the search, marked as what it is,
// opened after signing in; the menu leads to every form.
test('self-service: a search result marked Selvbetjening leads to its form',
     () => withPage({}, async (page) => {
	await go(page, '/soeg?q=beboerlicens');
	const hit = page.locator('ol.hits > li', {
		has: page.locator('a[href^="/blanket/parkeringstilladelse?s="]') });
	check(await text(hit.locator('.kind')) === 'Selvbetjening',
	      `marked "${await text(hit.locator('.kind'))}"`);
	const article = page.locator('ol.hits > li', {
		has: page.locator('a[href^="/artikel/beboerlicens-parkering"]') });
	check(await text(article.locator('.kind')) === 'Vejledning',
	      'the article is not marked Vejledning');
	await hit.getByRole('link', { name: 'Beboerlicens til parkering' }).click();
	await page.waitForURL((u) => u.pathname === '/borger/log-ind' &&
		u.searchParams.get('next') === '/blanket/parkeringstilladelse');
	await submit(page, page.getByRole('button',
		{ name: `Log ind som ${OTHER_CITIZEN.name}` }),
		     '/blanket/parkeringstilladelse');
	check(await text(page.locator('h1')) === 'Søg beboerlicens',
	      `form heading: ${await text(page.locator('h1'))}`);
	await page.getByRole('navigation', { name: 'Hovedmenu' })
		.getByRole('link', { name: 'Selvbetjening' }).click();
	await page.waitForURL((u) => u.pathname === '/selvbetjening');
	check(await page.getByRole('heading',
		{ name: 'Veje, parkering og kørekort' }).count() === 1,
	      'no topic heading with a Danish name');
	check(await page.getByRole('link', { name: 'Beboerlicens til parkering',
					       exact: true }).count() === 1,
	      'the form is not listed');
}));
// ---- s-edit: the editors' pages (issue 13) ---------------------------------

// Axe and html-validate on the page shown now; the state's name in the
// message.
async function accessible(page, name) {
	const res = await runAxe(page);
	check(res.violations.length === 0,
	      `${name}: axe:\n${describeAxe(res.violations)}`);
	const problems = await validHtml(page, new URL(page.url()).pathname +
					 new URL(page.url()).search);
	check(problems === '', `${name}: html-validate:\n${problems}`);
}

async function editorWalk(page, js) {
	const slug = `e2e-redaktion-${js ? 'js' : 'nojs'}-${Date.now()}`;
	const word = js ? 'kvistfornyelse' : 'kvistafbrydelse';
	await signIn(page, STAFF.email, STAFF.password);
	await go(page, '/redaktion');
	await accessible(page, 'the article list');
	await submit(page, page.getByRole('link', { name: 'Ny artikel' }).first(),
		     '/redaktion/ny');
	await accessible(page, 'a new article');
	await page.getByLabel('Adresse').fill(slug);
	await page.getByLabel('Titel').fill(`Haveaffald og ${word}`);
	await page.getByLabel('Resumé').fill('Sådan kommer du af med haveaffald.');
	await page.getByLabel('Brødtekst (Markdown)').fill(
		`## Hvornår\n\nVi henter **haveaffald** hver anden uge (${word}).`);
	if (js) {
		// the live preview follows the text without a reload
		await page.locator('#preview strong').filter({ hasText: 'haveaffald' })
			.waitFor();
	} else {
		await submit(page, page.getByRole('button',
				{ name: 'Vis forhåndsvisning' }), '/redaktion/ny');
		check(await page.locator('#preview h2').innerText() === 'Hvornår',
		      'the preview has no heading');
		check(await page.getByLabel('Brødtekst (Markdown)').inputValue() !== '',
		      'the text was lost by the preview');
	}
	await accessible(page, 'the form with its preview');
	await page.getByLabel('Udgivet').check();
	await submit(page, page.getByRole('button', { name: 'Opret artikel' }),
		     `/redaktion/901/${slug}`);
	check((await text(page.locator('[role=status]'))).includes(
		'Artiklen er oprettet'), 'no notice after creating');
	await accessible(page, 'the edit form');
	// edit once more, then the versions and the diff
	await page.getByLabel('Resumé').fill('Sådan kommer du af med haveaffald nu.');
	await page.getByLabel('Brødtekst (Markdown)').fill(
		`## Hvornår\n\nVi henter haveaffald hver uge (${word}).`);
	await submit(page, page.getByRole('button', { name: 'Gem', exact: true }),
		     `/redaktion/901/${slug}`);
	await submit(page, page.getByRole('link', { name: 'Versioner og ændringer' }),
		     `/redaktion/901/${slug}/versioner`);
	await accessible(page, 'the versions');
	await submit(page, page.getByRole('link',
			{ name: 'Sammenlign version 1 med den nuværende' }),
		     `/redaktion/901/${slug}/versioner/1`);
	check(await page.locator('ol.diff del').count() === 1 &&
	      await page.locator('ol.diff ins').count() === 1,
	      'the diff does not mark one line removed and one added');
	await accessible(page, 'the diff');
	// citizens of the municipality find it with the search
	await withPage({ javaScriptEnabled: js }, async (citizen) => {
		await chooseMunicipality(citizen, '901');
		await go(citizen, `/soeg?q=${word}`);
		check(await citizen.locator(`a[href^="/artikel/${slug}"]`).count() > 0,
		      `the search for ${word} does not find the new article`);
	});
}

test('editors: sign in, create a draft, preview, publish, find it via /soeg; ' +
     'axe on the editor pages', () => withPage({}, (p) => editorWalk(p, true)));

test('JavaScript disabled: editors create, preview with the button, publish ' +
     'and find the article', () =>
	withPage({ javaScriptEnabled: false }, (p) => editorWalk(p, false)));

test('editors: the report offers a synonym that works on the next search, ' +
     'and removing it from the synonyms\' list undoes it', () =>
	withPage({}, async (page) => {
		const odd = `snurreplask${Date.now() % 100000}`;
		await chooseMunicipality(page, '901');
		await go(page, `/soeg?q=${odd}`);
		check((await text(page.locator('#resultater'))).includes(
			'Ingen resultater'), 'the odd word found something');
		await signIn(page, STAFF.email, STAFF.password);
		await go(page, '/personale/soegninger');
		await submit(page, page.locator(
			`a[href="/redaktion/soegning?q=${odd}"]`).first(),
			     '/redaktion/soegning');
		await accessible(page, 'a search to improve');
		await page.getByLabel('Betyder det samme som').fill('sundhedskort');
		await submit(page, page.getByRole('button', { name: 'Tilføj synonym' }),
			     '/redaktion/soegning');
		await go(page, `/soeg?q=${odd}`);
		check(!(await text(page.locator('#resultater'))).includes(
			'Ingen resultater'), 'the synonym did not take effect');
		// s-tune: found in the synonyms' list and removed from it; the
		// next search finds nothing again
		await go(page, '/redaktion/synonymer');
		await accessible(page, 'the synonyms and pins');
		await page.getByLabel('Søg i synonymerne').fill(odd);
		await submit(page, page.getByRole('button', { name: 'Find synonymer' }),
			     '/redaktion/synonymer');
		check(await page.locator('tbody tr', { hasText: odd }).count() === 1,
		      'the search in the synonyms does not show the new one');
		await accessible(page, 'the synonyms searched');
		await submit(page, page.getByRole('button',
				{ name: `Fjern synonymet ${odd}, sundhedskort` }),
			     '/redaktion/synonymer');
		check((await text(page.locator('[role=status]'))).includes(
			'Synonymet er fjernet'), 'no notice after removing');
		check(await page.locator('tbody tr', { hasText: odd }).count() === 0,
		      'the removed synonym is still listed');
		await accessible(page, 'the synonyms after a removal');
		await go(page, `/soeg?q=${odd}`);
		check((await text(page.locator('#resultater'))).includes(
			'Ingen resultater'), 'the removed synonym still works');
	}));

async function main() {
	const started = Date.now();
	let passed = 0;
	let failed = 0;
	const took = []; /* [ms, name] of each test run, for the slowest */
	const dir = mkdtempSync(join(tmpdir(), 'helhed-e2e-'));
	let srv = null;
	try {
		if (!existsSync(BIN))
			throw new Error(`no server binary at ${BIN} (run make)`);
		if (!existsSync(BROWSER))
			throw new Error(`no browser at ${BROWSER} ` +
					'(apt-get install chromium)');
		srv = await startServer(dir);
		serverPid = srv.proc.pid;
		base = srv.url;
		browser = await chromium.launch({
			executablePath: BROWSER,
			headless: true,
			chromiumSandbox: false,
			args: ['--disable-gpu', '--disable-quic', '--no-first-run',
			       '--disable-background-networking',
			       '--disable-component-update', '--disable-sync'],
		});
		const chosen = tests.filter((t) =>
			(!FILTER || FILTER.split('|').some((f) => t.name.includes(f))) &&
			(!GROUP || t.group === GROUP));
		if (PROFILE) {
			const plain = browser.newContext.bind(browser);
			browser.newContext = (o) => timed('new context', () => plain(o));
		}
		let viewFailed = false; /* a test of the current StateView failed */
		for (const [i, t] of chosen.entries()) {
			let timer;
			const t0 = Date.now();
			try {
				/* a hung test fails instead of hanging the suite (an
				 * evaluate() on a page without JavaScript never returns) */
				await Promise.race([t.fn(), new Promise((_, reject) => {
					timer = setTimeout(() => reject(new Error(
						`timed out after ${TEST_MS / 1000} s`)), TEST_MS);
				})]);
				clearTimeout(timer);
				passed++;
				console.log(`ok - ${t.name}`);
			} catch (e) {
				clearTimeout(timer);
				failed++;
				viewFailed = true;
				console.log(`not ok - ${t.name}`);
				const why = e instanceof Failure ? e.message
					: (e && e.stack) || String(e);
				for (const line of why.split('\n'))
					console.log(`    ${line}`);
			}
			if (!t.view || chosen[i + 1]?.view !== t.view) {
				if (t.view)
					await t.view.close(viewFailed);
				viewFailed = false;
			}
			took.push([Date.now() - t0, t.name]);
		}
		took.sort((a, b) => b[0] - a[0]);
		for (const [ms, name] of took.slice(0, 10))
			console.log(`# slow: ${(ms / 1000).toFixed(1)} s ${name}`);
		if (SHOTS)
			await screenshots();
		await closeStatePage();
		if (PROFILE)
			printProfile();
	} catch (e) {
		failed++;
		console.log(`not ok - set-up: ${(e && e.stack) || e}`);
	} finally {
		if (browser)
			await browser.close().catch(() => {});
		if (srv) {
			const { code, signal } = await stopServer(srv);
			if (code === 0) {
				passed++;
				console.log('ok - server stops on SIGTERM with status 0');
			} else {
				failed++;
				console.log('not ok - server stops on SIGTERM with status 0');
				console.log(`    exit ${code ?? 'signal ' + signal}`);
				for (const line of srv.stderr.split('\n'))
					console.log(`    ${line}`);
			}
		}
		rmSync(dir, { recursive: true, force: true });
	}
	console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`e2e: ${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

await main();
