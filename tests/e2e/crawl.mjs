// crawl.mjs - a walk through every page a visitor can reach, as each kind
// of user: anonymous, citizens (the demo's sign-in) and staff of every
// role. It follows every same-site link of every page it reaches (GET
// only; forms are the browser tests' job) and checks what a new user
// would meet on the way:
//
//   - no page answers with a server error (5xx);
//   - no link on a page leads to a page that is not there (404) or that
//     the user may not see (401/403): a link shown must work for the one
//     it is shown to;
//   - every HTML page is in Danish (<html lang="da">), has a title and
//     exactly one <h1>;
//   - no page shows a template's or a program's leftovers ("{{",
//     "undefined", "[object Object]", "NaN", "(null)");
//   - every page is valid HTML (html-validate's recommended rules, as
//     tests/e2e/run.mjs checks the pages it drives).
//
// Then it sends every form it met (but signing in and out), once as the
// page filled it and once with every text field holding markup, quotes,
// æøå and 300 more characters: no server error, an answer in Danish, and
// the markup never sent back unescaped.
//
// Pages that differ only in their numbers or query values are many (a
// case, an article, a page of results): of each shape at most PER_SHAPE
// are visited, so the walk is broad and bounded.
//
//   HELHED_BIN=build/helhed node tests/e2e/crawl.mjs
//
// Prints "ok - name" or "not ok - name" per check and role, with the
// pages at fault, and ends with "crawl: N passed, M failed".

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { HtmlValidate } from 'html-validate';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = resolve(process.env.HELHED_BIN || join(ROOT, 'build', 'helhed'));
const PER_SHAPE = 3;
const MAX_PAGES = 700; /* per role: a guard, the demo needs far fewer */
const START_MS = 240000;

const htmlvalidate = new HtmlValidate({
	extends: ['html-validate:recommended'],
	rules: { 'doctype-style': ['error', { style: 'lowercase' }] },
});

// Every demo citizen of the sign-in page is walked too (citizensOf).
const ROLES = [
	{ name: 'anonymous' },
	{ name: 'agent', email: 'borgerservice@nordskov.demo',
	  password: 'demo-borgerservice' },
	{ name: 'caseworker', email: 'sagsbehandler@nordskov.demo',
	  password: 'demo-sagsbehandler' },
	{ name: 'caseworker at Familieretshuset',
	  email: 'sagsbehandler@familieretshuset.demo',
	  password: 'demo-sagsbehandler' },
	{ name: 'editor', email: 'redaktoer@nordskov.demo',
	  password: 'demo-redaktoer' },
	{ name: 'manager', email: 'leder@nordskov.demo',
	  password: 'demo-leder' },
	{ name: 'admin', email: 'admin@nordskov.demo', password: 'demo-admin' },
	{ name: 'caseworker in Åstrup', email: 'sagsbehandler@aastrup.demo',
	  password: 'demo-sagsbehandler' },
	{ name: 'editor at Udbetaling Danmark', email: 'redaktoer@udk.demo',
	  password: 'demo-redaktoer' },
	{ name: 'agent at Familieretshuset',
	  email: 'borgerservice@familieretshuset.demo',
	  password: 'demo-borgerservice' },
];

// ---- the server -------------------------------------------------------------

function startServer(dir) {
	return new Promise((resolveStart, rejectStart) => {
		const args = ['serve', '--listen', '127.0.0.1:0',
			      '--db', join(dir, 'helhed.db'), '--demo',
			      '--content', 'content', '--quiet'];
		// every role's requests come from 127.0.0.1: the write limit
		// per address is not what this walk is about
		const env = { ...process.env, HELHED_CONFIG: 'none',
			      HELHED_MAX_CONN_PER_CLIENT: '512',
			      HELHED_WRITE_LIMITS: '0/0/0' };
		const proc = spawn(BIN, args, { cwd: ROOT, env,
						stdio: ['ignore', 'pipe', 'pipe'] });
		const srv = { proc, url: null, stderr: '' };
		srv.exited = new Promise((res) => proc.on('exit', res));
		proc.on('error', rejectStart);
		proc.stderr.setEncoding('utf8');
		proc.stderr.on('data', (s) => {
			srv.stderr = (srv.stderr + s).slice(-8000);
		});
		createInterface({ input: proc.stdout }).on('line', (line) => {
			const m = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
			if (m && !srv.url) {
				srv.url = m[1];
				resolveStart(srv);
			}
		});
		srv.exited.then((code) => {
			if (!srv.url)
				rejectStart(new Error(`server exited (${code}) before ` +
						      `serving:\n${srv.stderr}`));
		});
		setTimeout(() => {
			if (!srv.url) {
				proc.kill('SIGKILL');
				rejectStart(new Error('server printed no URL'));
			}
		}, START_MS).unref();
	});
}

// ---- a client with cookies ---------------------------------------------------

class Client {
	constructor(base) {
		this.base = base;
		this.cookies = new Map();
	}

	cookieHeader() {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	keep(resp) {
		for (const c of resp.headers.getSetCookie()) {
			const [pair] = c.split(';');
			const i = pair.indexOf('=');
			const k = pair.slice(0, i).trim();
			const v = pair.slice(i + 1).trim();
			if (/max-age=0\b/i.test(c) || v === '')
				this.cookies.delete(k);
			else
				this.cookies.set(k, v);
		}
	}

	// One request; redirects followed (same site only), cookies kept.
	// Returns { status, type, text, path } of the last answer.
	async req(path, opts = {}) {
		let method = opts.method || 'GET';
		let body = opts.form ? new URLSearchParams(opts.form).toString()
				     : undefined;
		for (let hop = 0; hop < 6; hop++) {
			const headers = { cookie: this.cookieHeader() };
			if (body !== undefined)
				headers['content-type'] =
					'application/x-www-form-urlencoded';
			const resp = await fetch(this.base + path, {
				method, headers, body, redirect: 'manual' });
			this.keep(resp);
			const loc = resp.headers.get('location');
			if (resp.status >= 300 && resp.status < 400 && loc) {
				const u = new URL(loc, this.base + path);
				if (u.origin !== this.base)
					return { status: resp.status, type: '',
						 text: '', path, external: true };
				path = u.pathname + u.search;
				method = 'GET';
				body = undefined;
				await resp.arrayBuffer();
				continue;
			}
			return { status: resp.status,
				 type: resp.headers.get('content-type') || '',
				 text: await resp.text(), path };
		}
		throw new Error(`${path}: too many redirects`);
	}
}

function csrfOf(html) {
	const m = /name="csrf" value="([^"]*)"/.exec(html);
	return m ? m[1] : '';
}

async function signIn(client, role) {
	if (role.citizen) {
		const page = await client.req('/borger/log-ind');
		const r = await client.req('/borger/log-ind', { method: 'POST',
			form: { csrf: csrfOf(page.text), borger: role.citizen,
				next: '/mit-overblik' } });
		if (r.path !== '/mit-overblik')
			throw new Error(`citizen sign-in ended at ${r.path} ` +
					`(${r.status})`);
	} else if (role.email) {
		const page = await client.req('/log-ind');
		const r = await client.req('/log-ind', { method: 'POST',
			form: { csrf: csrfOf(page.text), email: role.email,
				password: role.password } });
		if (r.path.startsWith('/log-ind'))
			throw new Error(`staff sign-in ended at ${r.path} ` +
					`(${r.status})`);
	}
}

// The demo's citizens, as its sign-in page offers them.
async function citizensOf(base) {
	const page = await new Client(base).req('/borger/log-ind');
	const out = [];
	for (const m of page.text.matchAll(/name="borger" value="([^"]*)"[\s\S]*?Log ind som ([^<]*)</g))
		out.push({ name: `citizen ${decodeEntities(m[2]).trim()}`,
			   citizen: decodeEntities(m[1]) });
	if (out.length < 2)
		throw new Error('the sign-in page offers no demo citizens');
	return out;
}

// ---- the walk ---------------------------------------------------------------

function decodeEntities(s) {
	return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

// The same-site links of a page (paths with their queries).
function linksOf(html, from, base) {
	const out = [];
	for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)) {
		const href = decodeEntities(m[1]);
		if (!href || href.startsWith('#') || href.startsWith('mailto:') ||
		    href.startsWith('tel:'))
			continue;
		let u;
		try {
			u = new URL(href, base + from);
		} catch {
			out.push({ bad: href });
			continue;
		}
		if (u.origin !== base)
			continue;
		out.push({ path: u.pathname + u.search });
	}
	return out;
}

// A page's shape: its path with every number, hex id and query value
// replaced, and its query's names sorted.
function shapeOf(path) {
	const u = new URL(path, 'http://x');
	const p = u.pathname.split('/').map((seg) =>
		/\d/.test(seg) || /^[0-9a-f-]{16,}$/i.test(seg) ? '#' : seg)
		.join('/');
	const names = [...new Set([...u.searchParams.keys()])].sort();
	return names.length ? `${p}?${names.join('&')}` : p;
}

// Links a walk does not follow: signing out ends the role's session, and
// downloads are files, not pages (checked for their status only).
function skip(path) {
	return /^\/(log-ud|borger\/log-ud)\b/.test(path);
}

const LEFTOVERS = [/\{\{/, /\}\}/, /\bundefined\b/, /\[object Object\]/,
		   /\bNaN\b/, /\(null\)/];

function visibleText(html) {
	return html.replace(/<script\b[\s\S]*?<\/script>/g, ' ')
		.replace(/<style\b[\s\S]*?<\/style>/g, ' ')
		.replace(/<[^>]*>/g, ' ');
}

async function walk(client, role) {
	const found = { server: [], broken: [], danish: [], leftovers: [],
			html: [], pages: 0, forms: new Map() };
	const seen = new Set();
	const shapes = new Map();
	const queue = [];
	// the municipality chosen when the link was found: a link is
	// followed as the user who saw it would (the choice is a cookie that
	// later pages of the walk change)
	const push = (path, from, kommune = undefined) => {
		if (seen.has(path) || skip(path))
			return;
		const shape = shapeOf(path);
		const n = shapes.get(shape) || 0;
		if (n >= PER_SHAPE)
			return;
		shapes.set(shape, n + 1);
		seen.add(path);
		queue.push({ path, from, kommune });
	};
	const starts = ['/'];
	if (role.citizen)
		starts.push('/mit-overblik');
	if (role.email)
		starts.push('/personale');
	for (const s of starts)
		push(s, '(start)');
	while (queue.length && found.pages < MAX_PAGES) {
		const { path, from, kommune } = queue.shift();
		if (kommune === undefined)
			client.cookies.delete('hh_kommune');
		else
			client.cookies.set('hh_kommune', kommune);
		const r = await client.req(path);
		found.pages++;
		if (r.external)
			continue;
		if (r.status >= 500)
			found.server.push(`${path} (${r.status}), linked from ${from}`);
		else if ([401, 403, 404].includes(r.status))
			found.broken.push(`${path} (${r.status}), linked from ${from}`);
		if (!r.type.startsWith('text/html'))
			continue;
		const html = r.text;
		const problems = [];
		if (!/<html[^>]*\blang="da"/.test(html))
			problems.push('no lang="da"');
		const title = /<title>([^<]*)<\/title>/.exec(html);
		if (!title || !title[1].trim())
			problems.push('no title');
		const h1 = (html.match(/<h1\b/g) || []).length;
		if (h1 !== 1)
			problems.push(`${h1} h1`);
		if (problems.length)
			found.danish.push(`${r.path}: ${problems.join(', ')}`);
		const text = visibleText(html);
		for (const re of LEFTOVERS) {
			const m = re.exec(text);
			if (m) {
				const at = Math.max(0, m.index - 40);
				found.leftovers.push(`${r.path}: "${text.slice(at,
					m.index + 40).replace(/\s+/g, ' ').trim()}"`);
				break;
			}
		}
		if (r.status < 400) {
			const report = await htmlvalidate.validateString(html,
									 r.path);
			const msgs = report.results.flatMap((x) => x.messages);
			if (msgs.length)
				found.html.push(`${r.path}: ` + msgs.slice(0, 3).map(
					(m) => `${m.line}:${m.column} ${m.ruleId}`)
					.join('; '));
		}
		for (const f of formsOf(html, r.path)) {
			const key = `${f.method} ${shapeOf(f.action)} ` +
				    Object.keys(f.fields).sort().join(',');
			if (!found.forms.has(key))
				found.forms.set(key, { ...f, page: r.path,
					kommune: client.cookies.get('hh_kommune') });
		}
		for (const l of linksOf(html, r.path, client.base)) {
			if (l.bad)
				found.broken.push(`${r.path}: a link that is no URL: ` +
						  l.bad);
			else
				push(l.path, r.path,
				     client.cookies.get('hh_kommune'));
		}
	}
	return found;
}

// ---- the forms ----------------------------------------------------------------

function attr(tag, name) {
	const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
	return m ? decodeEntities(m[1]) : null;
}

// The forms of a page: method, action and their fields with the values
// the page gives them (hidden fields and the CSRF token included; a
// select's first option, a checked box or radio button).
function formsOf(html, from) {
	const out = [];
	for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
		const method = (attr(m[1], 'method') || 'get').toLowerCase();
		let action = attr(m[1], 'action') || from;
		try {
			const u = new URL(action, 'http://x' + from);
			action = u.pathname + u.search;
		} catch {
			continue;
		}
		const fields = {};
		const text = [];
		for (const t of m[2].matchAll(/<input\b[^>]*>/g)) {
			const name = attr(t[0], 'name');
			if (!name)
				continue;
			const type = (attr(t[0], 'type') || 'text').toLowerCase();
			if ((type === 'checkbox' || type === 'radio') &&
			    !/\bchecked\b/.test(t[0]))
				continue;
			if (type === 'file' || type === 'submit')
				continue;
			fields[name] = attr(t[0], 'value') || '';
			if (!['hidden', 'checkbox', 'radio'].includes(type))
				text.push(name);
		}
		for (const t of m[2].matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
			const name = attr(t[1], 'name');
			if (name) {
				fields[name] = decodeEntities(t[2]);
				text.push(name);
			}
		}
		for (const t of m[2].matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
			const name = attr(t[1], 'name');
			const o = /<option\b[^>]*\bvalue="([^"]*)"/.exec(t[2]);
			if (name)
				fields[name] = o ? decodeEntities(o[1]) : '';
		}
		out.push({ method, action, fields, text });
	}
	return out;
}

// Forms a walk does not send: signing out ends the walk's session, and
// a sign-in form is the browser tests' and the sign-in's own tests'.
function skipForm(f) {
	return /^\/(log-ud|borger\/log-ud|log-ind|borger\/log-ind)\b/
		.test(f.action);
}

const NASTY = '<script>alert("x")</script> \' " & æøå ' + 'x'.repeat(300);

// Sends every form the walk found, first as the page filled it, then
// with every text field holding NASTY: no server error, a page in Danish,
// and the text never back unescaped.
async function sendForms(client, found) {
	const faults = { server: [], reflected: [], danish: [] };
	let sent = 0;
	for (const f of found.forms.values()) {
		if (skipForm(f))
			continue;
		for (const nasty of [false, true]) {
			// a fresh token: the page's may be spent by the walk's
			// earlier form
			const page = await client.req(f.page);
			const token = csrfOf(page.text);
			const fields = { ...f.fields };
			if ('csrf' in fields && token)
				fields.csrf = token;
			if (nasty)
				for (const n of f.text)
					fields[n] = NASTY;
			if (f.kommune === undefined)
				client.cookies.delete('hh_kommune');
			else
				client.cookies.set('hh_kommune', f.kommune);
			let r;
			if (f.method === 'post') {
				r = await client.req(f.action, { method: 'POST',
								 form: fields });
			} else {
				const u = new URL(f.action, 'http://x');
				for (const [k, v] of Object.entries(fields))
					u.searchParams.set(k, v);
				r = await client.req(u.pathname + u.search);
			}
			sent++;
			const what = `${f.method.toUpperCase()} ${f.action} ` +
				     `(from ${f.page}${nasty ? ', text fields filled' : ''})`;
			if (r.status >= 500)
				faults.server.push(`${what}: ${r.status}`);
			if (r.text.includes('<script>alert("x")</script>'))
				faults.reflected.push(what);
			if (r.type.startsWith('text/html') &&
			    !/<html[^>]*\blang="da"/.test(r.text))
				faults.danish.push(`${what}: no lang="da"`);
		}
	}
	return { faults, sent };
}

// ---- the run ----------------------------------------------------------------

let passed = 0;
let failed = 0;
function report(name, faults) {
	if (faults.length === 0) {
		passed++;
		console.log(`ok - ${name}`);
		return;
	}
	failed++;
	console.log(`not ok - ${name}`);
	for (const f of faults.slice(0, 15))
		console.log(`    ${f}`);
	if (faults.length > 15)
		console.log(`    ... and ${faults.length - 15} more`);
}

const dir = mkdtempSync(join(tmpdir(), 'helhed-crawl-'));
let srv;
try {
	srv = await startServer(dir);
	const roles = [ROLES[0], ...await citizensOf(srv.url), ...ROLES.slice(1)];
	for (const role of roles) {
		const client = new Client(srv.url);
		let found;
		try {
			await signIn(client, role);
			found = await walk(client, role);
		} catch (e) {
			report(`${role.name}: the walk`, [String(e.stack || e)]);
			continue;
		}
		const who = `${role.name} (${found.pages} pages)`;
		report(`${who}: no server errors`, found.server);
		report(`${who}: every link leads to a page the user may see`,
		       found.broken);
		report(`${who}: every page in Danish, with a title and one h1`,
		       found.danish);
		report(`${who}: no template leftovers`, found.leftovers);
		report(`${who}: valid HTML`, found.html);
		const { faults, sent } = await sendForms(client, found);
		const forms = `${role.name} (${sent} forms sent)`;
		report(`${forms}: no server errors`, faults.server);
		report(`${forms}: what was typed is never sent back unescaped`,
		       faults.reflected);
		report(`${forms}: every answer in Danish`, faults.danish);
		if (found.pages < 5)
			report(`${who}: the walk reached the pages`,
			       [`only ${found.pages} pages`]);
	}
} catch (e) {
	failed++;
	console.log(`not ok - the crawl: ${e.stack || e}`);
} finally {
	if (srv) {
		srv.proc.kill('SIGTERM');
		await srv.exited;
	}
	rmSync(dir, { recursive: true, force: true });
}
console.log(`crawl: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
