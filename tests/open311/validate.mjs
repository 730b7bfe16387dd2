// validate.mjs - checks saved Open311 JSON responses against the GeoReport v2
// JSON Schemas (published by open311/schema-validation, copied into
// tests/open311/georeport-v2) with ajv, a validator nobody here wrote.
//
// Usage: node tests/open311/validate.mjs DIR
//
// Each file in DIR is one response body, named KIND--LABEL.json; KIND says
// which schema applies:
//   services            GET services.json              services.json
//   service-definition  GET services/{code}.json       service-definition.json
//   requests            GET requests.json, requests/{id}.json (both are lists)
//                                                      requests.json
//   discovery, post-response, token, errors: the specification's own
//   documents for which that repository has no schema; ours are in
//   tests/open311/schemas/ (written from the specification's text).
// A file of another kind, a DIR without every spec-schema kind, or a schema
// that lets a known-bad document through (the self-check below) fails the
// run. Exit 0: every document matches.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const specDir = process.env.OPEN311_SCHEMAS ||
	path.join(here, 'georeport-v2');
const ownDir = path.join(here, 'schemas');

// ajv lives with the other test packages in tests/e2e (npm ci there).
const require = createRequire(path.join(root, 'tests', 'e2e', 'package.json'));
let Ajv, addFormats;
try {
	Ajv = require('ajv').default;
	addFormats = require('ajv-formats').default;
} catch (e) {
	console.error('validate.mjs: ajv is not installed; run scripts/install-deps.sh ' +
		      '(npm ci in tests/e2e): ' + e.message);
	process.exit(3);
}

const dir = process.argv[2];
if (!dir || !existsSync(dir)) {
	console.error('usage: node tests/open311/validate.mjs DIR');
	process.exit(2);
}
if (!existsSync(path.join(specDir, 'request.json'))) {
	console.error(`validate.mjs: no GeoReport v2 schemas in ${specDir}`);
	process.exit(2);
}

const load = (file) => JSON.parse(readFileSync(file, 'utf8'));
// The specification's schemas are draft-07 style without $id or "type" at
// the top; they refer to each other by file name ("$ref": "request.json").
// strict: false because requests.json/services.json put minItems inside
// items (meant for the list): ajv's strict mode refuses such a schema,
// while the keyword is simply without effect there.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
for (const name of ['request.json', 'service.json', 'service-definition.json',
		    'requests.json', 'services.json'])
	ajv.addSchema(load(path.join(specDir, name)), name);
for (const name of readdirSync(ownDir).filter((n) => n.endsWith('.json')))
	ajv.addSchema(load(path.join(ownDir, name)), 'own/' + name);

const kinds = {
	'services': 'services.json',
	'service-definition': 'service-definition.json',
	'requests': 'requests.json',
	'discovery': 'own/discovery.json',
	'post-response': 'own/post-response.json',
	'token': 'own/token.json',
	'errors': 'own/errors.json',
};
const specKinds = ['services', 'service-definition', 'requests'];

const check = (schema, doc) => {
	const validate = ajv.getSchema(schema);
	if (!validate)
		throw new Error(`no schema ${schema}`);
	return validate(doc) ? null : ajv.errorsText(validate.errors, { dataVar: 'doc' });
};

// Self-check: documents that break the schemas must be refused, else a
// passing run would prove nothing (a wrong $ref, formats not loaded, ...).
const good = {
	service_request_id: '1', status: 'open', service_code: 'x',
	requested_datetime: '2026-01-05T10:00:00+01:00',
};
const selfCheck = [
	['requests.json', [good], true],
	['requests.json', [{ ...good, status: 'pending' }], false],
	['requests.json', [{ ...good, requested_datetime: '2026-01-05T10:00:00' }], false],
	['requests.json', [{ ...good, lat: '55.6' }], false],
	['requests.json', [{ ...good, media_url: 'not a uri' }], false],
	['services.json', [{ service_code: 'x', service_name: 'X', metadata: 'yes', type: 'realtime' }], false],
	['services.json', [{ service_code: 'x', service_name: 'X', metadata: true, type: 'sometimes' }], false],
	['service-definition.json', { service_code: 'x', attributes: [{ variable: true, code: 'a', datatype: 'boolean', required: true }] }, false],
	['own/errors.json', [{ code: '403', description: 'x' }], false],
	['own/post-response.json', [{ service_notice: 'x' }], false],
];
let broken = 0;
for (const [schema, doc, valid] of selfCheck) {
	if ((check(schema, doc) === null) !== valid) {
		console.error(`validate.mjs: self-check failed: ${schema} ${valid ? 'refused' : 'accepted'} ${JSON.stringify(doc)}`);
		broken++;
	}
}
if (broken)
	process.exit(2);

let ok = 0, bad = 0;
const seen = new Set();
for (const name of readdirSync(dir).sort()) {
	const kind = name.split('--')[0];
	const schema = kinds[kind];
	if (!name.endsWith('.json') || !schema) {
		console.error(`FAIL ${name}: not KIND--LABEL.json with a known KIND`);
		bad++;
		continue;
	}
	let doc;
	try {
		doc = load(path.join(dir, name));
	} catch (e) {
		console.error(`FAIL ${name}: not JSON: ${e.message}`);
		bad++;
		continue;
	}
	const err = check(schema, doc);
	if (err) {
		console.error(`FAIL ${name} (${schema}): ${err}`);
		bad++;
	} else {
		ok++;
		seen.add(kind);
	}
}
for (const kind of specKinds) {
	if (!seen.has(kind)) {
		console.error(`FAIL no valid ${kind} document to check`);
		bad++;
	}
}
console.log(`validate.mjs: ${ok} documents match their schemas, ${bad} do not`);
process.exit(bad ? 1 : 0);
