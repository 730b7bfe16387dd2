// check.mjs - holds the OpenAPI description (docs/openapi.json) to the
// server: the description is valid OpenAPI 3.1 (the OAI's published
// schema, tests/openapi/oas-3.1-schema.json, checked with ajv's Ajv2020),
// its paths and methods are exactly the /api/v1 routes of
// src/app/routes.c, and every documented operation is called on a real
// server (a fresh demo database on a loopback port) whose every answer,
// status and body, must be one the description documents for it. ajv
// validates the bodies; nothing here reads the network or any file outside the repository.
//
// Usage: HELHED_BIN=build/helhed node tests/openapi/check.mjs
// Prints "ok - name" / "not ok - name" and ends with
// "openapi: N passed, N failed" (scripts/run-tests.sh counts that line).
// HELHED_OPENAPI_DUMP=DIR also writes each answer's body there;
// HELHED_OPENAPI_DB=postgresql://... runs the server on that (empty)
// PostgreSQL database instead of a temporary SQLite file.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync }
	from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

import { exercise } from './calls.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = resolve(process.env.HELHED_BIN || join(ROOT, 'build', 'helhed'));
const DESCRIPTION = process.env.HELHED_OPENAPI ||
	join(ROOT, 'docs', 'openapi.json');
const DUMP = process.env.HELHED_OPENAPI_DUMP || '';
// A hang guard, not a timing assumption (the server's start imports the
// demo, slow on a loaded machine).
const START_MS = 240000;

// ajv lives with the other test packages in tests/e2e (npm ci there).
const require = createRequire(join(ROOT, 'tests', 'e2e', 'package.json'));
let Ajv2020, addFormats;
try {
	Ajv2020 = require('ajv/dist/2020').default;
	addFormats = require('ajv-formats').default;
} catch (e) {
	console.log('not ok - ajv is not installed; run scripts/install-deps.sh ' +
		    `(npm ci in tests/e2e): ${e.message}`);
	console.log('openapi: 0 passed, 1 failed');
	process.exit(1);
}

let passed = 0;
let failed = 0;
function result(name, problems) {
	if (problems.length === 0) {
		passed++;
		console.log(`ok - ${name}`);
	} else {
		failed++;
		console.log(`not ok - ${name}`);
		for (const p of problems.slice(0, 12))
			console.log(`#   ${p}`);
		if (problems.length > 12)
			console.log(`#   ... and ${problems.length - 12} more`);
	}
}

const doc = JSON.parse(readFileSync(DESCRIPTION, 'utf8'));

// ---- 1. the description is OpenAPI 3.1 -------------------------------------

{
	// The schema's schema objects are "$dynamicRef": "#meta", meant to be
	// overridden by the dialect schema (schema-base.json) and otherwise
	// the $defs/schema that carries "$dynamicAnchor": "meta" (any object
	// or boolean). ajv 8 resolves that $dynamicRef to the schema's root
	// instead, which then refuses every keyword of a schema object
	// ("unevaluated properties"); as a plain $ref to $defs/schema it means
	// what the specification says.
	const oas = JSON.parse(readFileSync(join(ROOT, 'tests', 'openapi',
						 'oas-3.1-schema.json'), 'utf8')
		.replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'));
	const ajv = new Ajv2020({ allErrors: true, strict: false });
	addFormats(ajv);
	// the OAI schema's own format for media types ("text/*"), which
	// ajv-formats does not know: any string
	ajv.addFormat('media-range', true);
	const validate = ajv.compile(oas);
	const problems = validate(doc) ? [] :
		validate.errors.map((e) => `${e.instancePath} ${e.message}`);
	result('the description is valid OpenAPI 3.1 (the OAI schema)', problems);
}

// The schemas of the description, with ajv in strict mode (a misspelt
// keyword is an error, not a schema that allows everything). Component
// references become references into one schema of the components.
const COMPONENTS_ID = 'https://helhed.invalid/openapi/components';
function rewriteRefs(x) {
	if (Array.isArray(x))
		return x.map(rewriteRefs);
	if (x && typeof x === 'object') {
		const out = {};
		for (const [k, v] of Object.entries(x)) {
			if (k === '$ref' && typeof v === 'string' &&
			    v.startsWith('#/components/schemas/'))
				out[k] = COMPONENTS_ID + '#/$defs/' +
					v.slice('#/components/schemas/'.length);
			else
				out[k] = rewriteRefs(v);
		}
		return out;
	}
	return x;
}
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema({ $id: COMPONENTS_ID,
		$defs: rewriteRefs((doc.components || {}).schemas || {}) });
function resolveRef(obj) {
	/* a response or parameter given by reference */
	while (obj && obj.$ref) {
		const parts = obj.$ref.replace(/^#\//, '').split('/');
		obj = parts.reduce((o, k) => o && o[k.replace(/~1/g, '/')
						    .replace(/~0/g, '~')], doc);
	}
	return obj;
}
const compiled = new Map();
function validatorOf(schema) {
	let v = compiled.get(schema);
	if (!v) {
		v = ajv.compile(rewriteRefs(schema));
		compiled.set(schema, v);
	}
	return v;
}

// ---- 2. the description's operations are the routes ------------------------

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch',
		 'trace'];
const documented = new Set();
for (const [path, item] of Object.entries(doc.paths || {}))
	for (const m of METHODS)
		if (item[m])
			documented.add(`${m.toUpperCase()} ${path}`);
const routes = new Set();
{
	const src = readFileSync(join(ROOT, 'src', 'app', 'routes.c'), 'utf8');
	const re = /ROUTE\w*\(\s*HH_(GET|POST|PUT|PATCH|DELETE|HEAD)\s*,\s*"(\/api\/v1\/[^"]*)"/g;
	for (let m; (m = re.exec(src));)
		routes.add(`${m[1]} ${m[2]}`);
	const problems = [];
	if (routes.size < 50)
		problems.push(`only ${routes.size} /api/v1 routes read from ` +
			      'routes.c: has its form changed?');
	for (const r of routes)
		if (!documented.has(r))
			problems.push(`route not in the description: ${r}`);
	for (const d of documented)
		if (!routes.has(d))
			problems.push(`described but not a route: ${d}`);
	result(`the description has every /api/v1 route of routes.c (${routes.size}) and no other`,
	       problems);
}

// The error registry: every code of src/http/errors.def is a Problem code,
// listed under the response of its status, and no other.
{
	const def = readFileSync(join(ROOT, 'src', 'http', 'errors.def'), 'utf8');
	const registry = [...def.matchAll(/^HH_ERROR\(\w+, "([a-z-]+)", (\d+),/gm)]
		.map((m) => [m[1], m[2]]);
	const problems = [];
	const schemas = (doc.components || {}).schemas || {};
	const codes = ((schemas.Problem || {}).properties || {}).code || {};
	const listed = new Set(codes.enum || []);
	for (const [code, status] of registry) {
		if (!listed.has(code))
			problems.push(`Problem.code lacks ${code}`);
		const resp = ((doc.components.responses || {})[`E${status}`] || {});
		const schema = resp.content && resp.content['application/problem+json'].schema;
		const own = schema && schema.allOf && schema.allOf[1].properties.code.enum;
		if (!own || !own.includes(code))
			problems.push(`E${status} does not list ${code}`);
	}
	for (const c of listed)
		if (!registry.some(([code]) => code === c))
			problems.push(`Problem.code ${c} is not in errors.def`);
	if (registry.length < 20)
		problems.push(`only ${registry.length} codes read from errors.def`);
	result(`the problem codes are errors.def's (${registry.length})`, problems);
}

// ---- 3. the server answers as described ------------------------------------

// The database: a fresh SQLite file, or HELHED_OPENAPI_DB (an empty
// PostgreSQL database, postgresql://...: the same answers on the other
// backend).
const dbOf = (dir) => process.env.HELHED_OPENAPI_DB || join(dir, 'helhed.db');

function startServer(dir) {
	return new Promise((resolveStart, rejectStart) => {
		const args = ['serve', '--listen', '127.0.0.1:0',
			      '--db', dbOf(dir), '--demo',
			      '--content', 'content', '--quiet'];
		const proc = spawn(BIN, args, { cwd: ROOT,
			env: { ...process.env, HELHED_CHAT_LIMITS: '60/600/120/600' },
			stdio: ['ignore', 'pipe', 'pipe'] });
		const srv = { proc, url: null, stderr: '' };
		srv.exited = new Promise((res) => proc.on('exit', (code, signal) =>
			res({ code, signal })));
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
		srv.exited.then(({ code, signal }) => {
			if (!srv.url)
				rejectStart(new Error(`server exited (${code ?? signal}): ${srv.stderr}`));
		});
		setTimeout(() => {
			if (!srv.url) {
				proc.kill('SIGKILL');
				rejectStart(new Error('server printed no URL'));
			}
		}, START_MS).unref();
	});
}

// Per operation: the problems found in its answers, and its calls.
const exercised = new Map(); /* "GET /api/v1/x" -> { calls, problems } */
let base = '';

// Checks one answer against the description of op ("GET /api/v1/...").
function checkAnswer(op, status, ctype, text, problems) {
	const [method, path] = op.split(' ');
	const operation = (doc.paths[path] || {})[method.toLowerCase()];
	if (!operation) {
		if (!DUMP) /* dumping: the description may be unwritten */
			problems.push(`${op}: not in the description`);
		return;
	}
	const response = resolveRef((operation.responses || {})[String(status)]);
	if (!response) {
		problems.push(`${op}: answered ${status}, which the description ` +
			      `does not list: ${text.slice(0, 300)}`);
		return;
	}
	const content = response.content;
	if (!content) {
		if (text.length)
			problems.push(`${op} ${status}: a body where the description has none`);
		return;
	}
	const mediaType = (ctype || '').split(';')[0].trim();
	const media = content[mediaType];
	if (!media) {
		problems.push(`${op} ${status}: Content-Type ${ctype}, described: ` +
			      Object.keys(content).join(', '));
		return;
	}
	if (!/json$/.test(mediaType) || !media.schema)
		return; /* a PDF, CSV or text: its type is what is checked */
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		problems.push(`${op} ${status}: not JSON: ${text.slice(0, 200)}`);
		return;
	}
	let validate;
	try {
		validate = validatorOf(media.schema);
	} catch (e) {
		problems.push(`${op} ${status}: the schema does not compile: ${e.message}`);
		return;
	}
	if (!validate(body))
		for (const e of validate.errors)
			problems.push(`${op} ${status}: body${e.instancePath} ` +
				      `${e.message} ${JSON.stringify(e.params)}`);
}

// Who is calling: a staff session, a citizen session, a bearer token or
// nobody.
function cookieOf(resp, name) {
	for (const c of resp.headers.getSetCookie())
		if (c.startsWith(name + '='))
			return c.split(';')[0];
	return null;
}

// One call of operation op with path parameters params; expect is the
// status this case expects (each case states it). Returns { status, body,
// headers } with body parsed when JSON.
async function call(op, { as = null, params = {}, query = null, body,
			  raw = null, headers = {}, expect }) {
	const [method, template] = op.split(' ');
	let path = template.replace(/\{(\w+)\}/g, (_, k) => {
		if (params[k] === undefined)
			throw new Error(`${op}: no value for {${k}}`);
		return encodeURIComponent(String(params[k]));
	});
	if (query)
		path += '?' + new URLSearchParams(query).toString();
	const h = { ...headers };
	if (as && as.cookie) {
		h.Cookie = as.cookie;
		if (method !== 'GET')
			h['X-CSRF-Token'] = as.csrf;
	}
	if (as && as.bearer)
		h.Authorization = `Bearer ${as.bearer}`;
	let payload;
	if (raw !== null) {
		payload = raw;
	} else if (body !== undefined) {
		payload = JSON.stringify(body);
		h['Content-Type'] = h['Content-Type'] || 'application/json';
	}
	const resp = await fetch(base + path, { method, headers: h, body: payload,
						redirect: 'manual' });
	const buf = Buffer.from(await resp.arrayBuffer());
	const ctype = resp.headers.get('content-type') || '';
	const text = /json|text|csv/.test(ctype) ? buf.toString('utf8') : '';
	const entry = exercised.get(op) || { calls: 0, problems: [] };
	exercised.set(op, entry);
	entry.calls++;
	// a request the server takes is one the description allows
	const operation = (doc.paths[template] || {})[method.toLowerCase()];
	const reqSchema = operation && operation.requestBody &&
		operation.requestBody.content['application/json'] &&
		operation.requestBody.content['application/json'].schema;
	if (body !== undefined && raw === null && expect < 300 && reqSchema) {
		let v;
		try {
			v = validatorOf(reqSchema);
		} catch (e) {
			v = () => false;
			v.errors = [{ instancePath: '', message: `does not compile: ${e.message}` }];
		}
		if (!v(body))
			for (const e of v.errors)
				entry.problems.push(`${op}: the request the server took breaks ` +
					`its described body: ${e.instancePath} ${e.message}`);
	}
	if (body !== undefined && raw === null && operation && !reqSchema)
		entry.problems.push(`${op}: sent a JSON body, the description has none`);
	checkAnswer(op, resp.status, ctype, text, entry.problems);
	if (expect !== undefined && resp.status !== expect)
		entry.problems.push(`${method} ${path}: expected ${expect}, got ` +
				    `${resp.status}: ${text.slice(0, 300)}`);
	if (DUMP) {
		const name = `${op.replace(/[^A-Za-z0-9{}]+/g, '_')}--${resp.status}`;
		writeFileSync(join(DUMP, `${name}.${entry.calls}.json`),
			      text || `"<${ctype} ${buf.length} bytes>"`);
	}
	let parsed = null;
	if (/json/.test(ctype)) {
		try { parsed = JSON.parse(text); } catch { /* checked above */ }
	}
	return { status: resp.status, body: parsed, headers: resp.headers,
		 bytes: buf };
}

async function staff(email, password) {
	const r = await fetch(base + '/api/v1/session', {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ email, password }) });
	const b = await r.json();
	if (r.status !== 201)
		throw new Error(`sign-in ${email}: ${r.status} ${JSON.stringify(b)}`);
	return { cookie: cookieOf(r, 'hh_session'), csrf: b.csrf_token };
}

async function citizen(subject) {
	const r = await fetch(base + '/api/v1/citizen/session', {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ subject }) });
	const b = await r.json();
	if (r.status !== 201)
		throw new Error(`citizen sign-in ${subject}: ${r.status}`);
	return { cookie: cookieOf(r, 'hh_borger'), csrf: b.csrf_token };
}

function token(dbPath, org, roles) {
	const out = spawnSync(BIN, ['token', 'add', '--db', dbPath,
				    '--organisation', org, '--name',
				    `openapi-${roles}`, '--roles', roles],
			      { cwd: ROOT, encoding: 'utf8' });
	if (out.status !== 0)
		throw new Error(`helhed token add: ${out.stderr}`);
	return { bearer: out.stdout.trim().split('\n').pop().trim() };
}


const dir = mkdtempSync(join(tmpdir(), 'helhed-openapi-'));
// PostgreSQL: the key CPR numbers are sealed with (the server and `helhed
// token add` share it), beside a SQLite file by itself;
// and Digital Post's spool, beside a SQLite file too
if (process.env.HELHED_OPENAPI_DB) {
	process.env.HELHED_KEY_FILE ||= join(dir, 'helhed.keys');
	process.env.HELHED_SPOOL ||= join(dir, 'spool');
}
if (DUMP)
	mkdirSync(DUMP, { recursive: true });
let srv = null;
try {
	srv = await startServer(dir);
	base = srv.url;
	// the server serves this description (embedded at build time: a
	// binary built before the last edit serves an older one)
	const served = await (await fetch(base + '/api/v1/openapi.json')).json();
	result('GET /api/v1/openapi.json serves docs/openapi.json',
	       process.env.HELHED_OPENAPI ? [] :
	       JSON.stringify(served) === JSON.stringify(doc) ? [] :
	       ['the served description differs from docs/openapi.json: rebuild build/helhed']);
	await exercise({ call, staff, citizen,
			 token: (org, roles) => token(dbOf(dir), org, roles) });
} catch (e) {
	result('the calls ran to the end', [String(e && e.stack || e)]);
} finally {
	if (srv) {
		srv.proc.kill('SIGTERM');
		await srv.exited;
	}
	rmSync(dir, { recursive: true, force: true });
}

for (const op of [...documented].sort()) {
	const e = exercised.get(op);
	if (e)
		result(`${op} answers as described (${e.calls} calls)`, e.problems);
}
for (const op of [...exercised.keys()].sort())
	if (!documented.has(op))
		result(`${op} answers as described`, ['called but not described',
						      ...exercised.get(op).problems]);
{
	let calls = 0;
	for (const e of exercised.values())
		calls += e.calls;
	console.log(`# ${exercised.size} operations exercised with ${calls} calls`);
	const missed = [...documented].filter((op) => !exercised.has(op));
	result(`every described operation was called (${documented.size - missed.length} of ${documented.size})`,
	       missed.map((op) => `not called: ${op}`));
}

// The check itself can fail: a body with a field of the wrong type does
// not pass the schema of an answer the server gave.
{
	const problems = [];
	const item = doc.paths['/api/v1/session'];
	const schema = item && item.post && resolveRef(item.post.responses['201'])
		.content['application/json'].schema;
	const v = schema && validatorOf(schema);
	if (!v)
		problems.push('no schema for POST /api/v1/session 201');
	else if (v({ name: 42, email: 'a@b', organisation: '901',
		     roles: 'manager', csrf_token: 'x' }))
		problems.push('a name that is a number passed the schema');
	result('a wrong field type fails validation (self-check)', problems);
}

console.log(`openapi: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
