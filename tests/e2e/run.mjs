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
// FILTER runs only the tests whose name contains it. Environment:
//   HELHED_BIN           server binary (default build/helhed)
//   CHROMIUM             browser (default /usr/bin/chromium)
//   HELHED_E2E_SHOTS     folder for screenshots of the front page
//
// No test waits for a fixed time: every wait is on a page event, a URL,
// an element or a condition, through playwright's own waiting.

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import axe from 'axe-core';
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
// A hang guard, not a timing assumption: no step of a healthy run gets
// anywhere near it.
const GUARD_MS = 60000;

// Every recommended rule, as errors. The one setting: the pages spell the
// doctype "<!doctype html>" (valid HTML5; the rule only checks the case is
// the project's one, which it defaults to uppercase).
const htmlvalidate = new HtmlValidate({
	extends: ['html-validate:recommended'],
	rules: { 'doctype-style': ['error', { style: 'lowercase' }] },
});

// ---- a tiny runner --------------------------------------------------------

const tests = [];
function test(name, fn) {
	tests.push({ name, fn });
}

class Failure extends Error {}
function check(cond, msg) {
	if (!cond)
		throw new Failure(msg);
}

// ---- the server -------------------------------------------------------------

function startServer(dir) {
	return new Promise((resolveStart, rejectStart) => {
		const args = ['serve', '--listen', '127.0.0.1:0',
			      '--db', join(dir, 'helhed.db'), '--demo',
			      '--content', 'content', '--quiet'];
		const proc = spawn(BIN, args, { cwd: ROOT,
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
		}, GUARD_MS).unref();
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

async function newPage(options = {}) {
	const context = await browser.newContext({ viewport: DESKTOP,
						   locale: 'da-DK', ...options });
	const page = await context.newPage();
	page.setDefaultTimeout(GUARD_MS);
	page.setDefaultNavigationTimeout(GUARD_MS);
	return page;
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

async function signIn(page, email, password, status = 200) {
	await go(page, '/log-ind');
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Adgangskode').fill(password);
	const path = status === 200 ? '/personale' : '/log-ind';
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
	  open: (p) => signIn(p, STAFF.email, 'forkert-kode', 401) },
	{ name: 'staff page', open: (p) => signIn(p, STAFF.email, STAFF.password) },
	{ name: 'search results', open: (p) => go(p, '/soeg?q=sundhedskort') },
	{ name: 'search results, page 2',
	  open: (p) => go(p, '/soeg?q=sundhedskort&side=2') },
	{ name: 'search without results',
	  open: (p) => go(p, '/soeg?q=zqxjvbnm') },
	{ name: 'search with "Mente du"', open: (p) => go(p, '/soeg?q=sundhedskrot') },
	{ name: 'search with an empty query', open: (p) => go(p, '/soeg?q=', 400) },
];

function describeAxe(violations) {
	return violations.map((v) =>
		`${v.id} (${v.impact}): ${v.help}\n` +
		v.nodes.slice(0, 5).map((n) =>
			`    ${n.target.join(' ')}: ${n.failureSummary
				.replace(/\s+/g, ' ')}`).join('\n')).join('\n');
}

async function runAxe(page) {
	// Injected through the DevTools protocol, so the page's
	// Content-Security-Policy stays in force and is tested too.
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.evaluate(axe.source);
	return page.evaluate((tags) => window.axe.run(document, {
		runOnly: { type: 'tag', values: tags },
		resultTypes: ['violations'],
	}), AXE_TAGS);
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

for (const pg of pages) {
	test(`${pg.name}: axe finds no WCAG 2.1 A/AA violations`, () =>
		withPage({}, async (page) => {
			await pg.open(page);
			const res = await runAxe(page);
			check(res.passes.length > 0, 'axe checked no rule');
			check(res.violations.length === 0,
			      describeAxe(res.violations));
		}));

	test(`${pg.name}: served HTML is valid (html-validate)`, () =>
		withPage({}, async (page) => {
			const resp = await pg.open(page);
			const html = await resp.text();
			const report = await htmlvalidate.validateString(html,
				new URL(resp.url()).pathname + '.html');
			check(html.includes('</html>'), 'no whole page served');
			const msgs = report.results.flatMap((r) => r.messages);
			check(report.valid && msgs.length === 0, msgs.map((m) =>
				`${m.line}:${m.column} ${m.ruleId}: ${m.message}`)
				.join('\n'));
		}));

	test(`${pg.name}: lang="da", one h1, a main landmark`, () =>
		withPage({}, async (page) => {
			await pg.open(page);
			check(await page.getAttribute('html', 'lang') === 'da',
			      'html lang is not "da"');
			const h1 = await page.locator('h1').count();
			check(h1 === 1, `${h1} h1 elements`);
			const mains = await page.getByRole('main').count();
			check(mains === 1, `${mains} main landmarks`);
		}));

	for (const [vname, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
		test(`${pg.name}: no horizontal scrolling at ${vname} ` +
		     `${viewport.width}x${viewport.height}`, () =>
			withPage({ viewport }, async (page) => {
				await pg.open(page);
				const m = await page.evaluate(() => ({
					scroll: document.scrollingElement.scrollWidth,
					inner: window.innerWidth,
				}));
				check(m.scroll <= m.inner,
				      `scrollWidth ${m.scroll} > innerWidth ${m.inner}`);
			}));
	}

	test(`${pg.name}: Tab first focuses the skip link, which moves focus to main`,
	     () => withPage({}, async (page) => {
		await pg.open(page);
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
	}));

	test(`${pg.name}: every element reached by Tab shows a visible focus`,
	     () => withPage({}, async (page) => {
		await pg.open(page);
		const seen = [];
		const bad = [];
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
		check(seen.length > 1, `only ${seen.length} focusable elements`);
		check(bad.length === 0, 'no visible focus on: ' + bad.join(', '));
	}));
}

// ---- what the pages do ------------------------------------------------------

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
		await signIn(page, STAFF.email, 'forkert-kode', 401);
		const alert = page.getByRole('alert');
		check(await text(alert) === 'E-mail eller adgangskode er forkert.',
		      `alert: ${await text(alert)}`);
		check(await page.getByLabel('E-mail').inputValue() === STAFF.email,
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
		await signIn(page, STAFF.email, 'forkert-kode', 401);
		check((await text(page.getByRole('alert'))).includes('forkert'),
		      'no error shown');
		check(await page.getByLabel('E-mail').inputValue() === STAFF.email,
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

// ---- main -------------------------------------------------------------------

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

async function main() {
	const started = Date.now();
	let passed = 0;
	let failed = 0;
	const dir = mkdtempSync(join(tmpdir(), 'helhed-e2e-'));
	let srv = null;
	try {
		if (!existsSync(BIN))
			throw new Error(`no server binary at ${BIN} (run make)`);
		if (!existsSync(BROWSER))
			throw new Error(`no browser at ${BROWSER} ` +
					'(apt-get install chromium)');
		srv = await startServer(dir);
		base = srv.url;
		browser = await chromium.launch({
			executablePath: BROWSER,
			headless: true,
			chromiumSandbox: false,
			args: ['--disable-gpu', '--disable-quic', '--no-first-run',
			       '--disable-background-networking',
			       '--disable-component-update', '--disable-sync'],
		});
		for (const t of tests) {
			if (FILTER && !t.name.includes(FILTER))
				continue;
			try {
				await t.fn();
				passed++;
				console.log(`ok - ${t.name}`);
			} catch (e) {
				failed++;
				console.log(`not ok - ${t.name}`);
				const why = e instanceof Failure ? e.message
					: (e && e.stack) || String(e);
				for (const line of why.split('\n'))
					console.log(`    ${line}`);
			}
		}
		if (SHOTS)
			await screenshots();
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
