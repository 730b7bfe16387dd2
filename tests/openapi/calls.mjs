// calls.mjs - the calls tests/openapi/check.mjs makes: every /api/v1
// operation at least once with a valid request and, where cheap, with an
// invalid one, on the demo data (`helhed serve --demo`). Each case states
// the status it expects; check.mjs validates every answer against the
// description, whatever the status.
const MANAGER = ['leder@nordskov.demo', 'demo-leder'];
const EDITOR = ['redaktoer@nordskov.demo', 'demo-redaktoer'];
const CASEWORKER = ['sagsbehandler@nordskov.demo', 'demo-sagsbehandler'];
const CASEWORKER2 = ['sagsbehandler2@nordskov.demo', 'demo-sagsbehandler'];
const AGENT = ['borgerservice@nordskov.demo', 'demo-borgerservice'];
const ADMIN = ['admin@nordskov.demo', 'demo-admin'];

const FAULT = { kategori: 'hul', sted: 'Skovvej 12, 4700 Nordskov',
		beskrivelse: 'Et dybt hul i cykelstien ud for nummer 12.' };

export async function exercise({ call, staff, citizen, token }) {
	const manager = await staff(...MANAGER);
	const editor = await staff(...EDITOR);
	const caseworker = await staff(...CASEWORKER);
	const caseworker2 = await staff(...CASEWORKER2);
	const agent = await staff(...AGENT);
	const admin = await staff(...ADMIN);
	const bearer = token('901', 'editor,caseworker');

	// ---- the description itself, sessions, organisations ----------------
	const described = await call('GET /api/v1/openapi.json', { expect: 200 });
	await call('GET /api/v1/openapi.json', { expect: 304,
		headers: { 'If-None-Match': described.headers.get('etag') } });
	await call('GET /api/v1/session', { as: manager, expect: 200 });
	await call('GET /api/v1/session', { as: bearer, expect: 200 });
	await call('GET /api/v1/session', { expect: 401 });
	await call('POST /api/v1/session', { body: { email: 'leder@nordskov.demo',
		password: 'forkert' }, expect: 401 });
	await call('POST /api/v1/session', { body: { email: 'x@y.z' }, expect: 400 });
	const signedIn = await call('POST /api/v1/session', {
		body: { email: MANAGER[0], password: MANAGER[1] }, expect: 201 });
	const throwaway = { cookie: signedIn.headers.getSetCookie()[0].split(';')[0],
			    csrf: signedIn.body.csrf_token };
	await call('DELETE /api/v1/session', { as: { cookie: throwaway.cookie,
		csrf: 'wrong' }, expect: 403 });
	await call('DELETE /api/v1/session', { as: throwaway, expect: 204 });
	await call('GET /api/v1/organisations', { expect: 200 });
	await call('GET /api/v1/organisations/{code}/hours', { params: { code: '901' },
		expect: 200 });
	await call('GET /api/v1/organisations/{code}/hours', { params: { code: 'nope' },
		expect: 404 });

	// ---- citizen sign-in -------------------------------------------------
	await call('POST /api/v1/citizen/session', { body: { subject: '' }, expect: 400 });
	const c = await call('POST /api/v1/citizen/session', {
		body: { subject: 'demo:demo-mette' }, expect: 201 });
	const mette = { cookie: c.headers.getSetCookie()[0].split(';')[0],
			csrf: c.body.csrf_token };
	const c2 = await call('POST /api/v1/citizen/session', {
		body: { subject: 'demo:demo-lars' }, expect: 201 });
	await call('DELETE /api/v1/citizen/session', { as: {
		cookie: c2.headers.getSetCookie()[0].split(';')[0],
		csrf: c2.body.csrf_token }, expect: 204 });

	// ---- articles ---------------------------------------------------------
	await call('GET /api/v1/articles', { expect: 200 });
	await call('GET /api/v1/articles', { query: { status: 'draft' }, as: editor,
		expect: 200 });
	await call('GET /api/v1/articles', { query: { audience: 'nobody' }, expect: 400 });
	await call('GET /api/v1/articles/{slug}', { params: { slug: 'a-kasse-medlemskab' },
		expect: 200 });
	await call('GET /api/v1/articles/{slug}', { params: { slug: 'findes-ikke' },
		expect: 404 });
	const art = { slug: 'openapi-test', title: 'Prøveartikel',
		      summary: 'En artikel til testen af API-beskrivelsen.',
		      body: 'Tekst.', kle: '23.00.00', audience: 'citizen',
		      status: 'published' };
	await call('POST /api/v1/articles', { body: art, expect: 401 });
	await call('POST /api/v1/articles', { as: editor, body: { ...art, x: 1 },
		expect: 400 });
	await call('POST /api/v1/articles', { as: editor, raw: 'title=x',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		expect: 415 });
	await call('POST /api/v1/articles', { as: editor,
		raw: JSON.stringify({ ...art, body: 'x'.repeat(2 << 20) }),
		headers: { 'Content-Type': 'application/json' }, expect: 413 });
	const made = await call('POST /api/v1/articles', { as: editor, body: art,
		expect: 201 });
	await call('POST /api/v1/articles', { as: editor, body: art, expect: 409 });
	await call('PUT /api/v1/articles/{slug}', { as: editor,
		params: { slug: art.slug }, body: { title: art.title,
		summary: art.summary, body: 'Ny tekst.', audience: 'citizen',
		status: 'published', version: made.body.version }, expect: 200 });
	await call('PUT /api/v1/articles/{slug}', { as: editor,
		params: { slug: art.slug }, body: { title: art.title,
		summary: art.summary, body: 'Ny tekst.', audience: 'citizen',
		status: 'published', version: made.body.version }, expect: 412 });
	await call('GET /api/v1/articles/{slug}/history', { as: editor,
		params: { slug: art.slug }, expect: 200 });
	await call('GET /api/v1/articles/{slug}/versions', { as: editor,
		params: { slug: art.slug }, expect: 200 });
	await call('GET /api/v1/articles/{slug}/versions/{version}', { as: editor,
		params: { slug: art.slug, version: 1 }, expect: 200 });
	await call('GET /api/v1/articles/{slug}/versions/{version}', { as: editor,
		params: { slug: art.slug, version: 99 }, expect: 404 });
	await call('POST /api/v1/articles/{slug}/versions/{version}/restore', {
		as: editor, params: { slug: art.slug, version: 1 },
		body: { version: 2 }, expect: 200 });
	await call('POST /api/v1/articles/{slug}/versions/{version}/restore', {
		as: editor, params: { slug: art.slug, version: 99 },
		body: { version: 3 }, expect: 404 });

	// proposals to the shared knowledge base (by another municipality's
	// editor) and their handling
	const shared = await call('GET /api/v1/articles/{slug}', {
		params: { slug: 'a-kasse-medlemskab' }, expect: 200 });
	const editor902 = await staff('redaktoer@aastrup.demo', 'demo-redaktoer');
	const proposal = await call('POST /api/v1/articles/{slug}/proposals', {
		as: editor902, params: { slug: 'a-kasse-medlemskab' },
		body: { title: shared.body.title, summary: shared.body.summary,
			body: 'Et forslag til en bedre tekst.', note: 'Kortere.',
			version: shared.body.version }, expect: 201 });
	await call('POST /api/v1/articles/{slug}/proposals', {
		as: editor902, params: { slug: 'a-kasse-medlemskab' },
		body: { title: 'x' }, expect: 400 });
	await call('GET /api/v1/proposals', { as: editor, expect: 200 });
	await call('GET /api/v1/proposals', { expect: 401 });
	await call('GET /api/v1/proposals/{id}', { as: editor,
		params: { id: proposal.body.id }, expect: 200 });
	await call('GET /api/v1/proposals/{id}', { as: editor,
		params: { id: 999999 }, expect: 404 });
	await call('POST /api/v1/proposals/{id}/decline', { as: editor,
		params: { id: proposal.body.id }, body: {
		reason: 'Teksten er allerede kort.' }, expect: 200 });
	const proposal2 = await call('POST /api/v1/articles/{slug}/proposals', {
		as: editor902, params: { slug: 'a-kasse-medlemskab' },
		body: { title: shared.body.title, summary: shared.body.summary,
			body: 'Et andet forslag.', version: shared.body.version },
		expect: 201 });
	await call('POST /api/v1/proposals/{id}/accept', { as: editor,
		params: { id: proposal2.body.id }, body: { version: 1 }, expect: 200 });
	await call('POST /api/v1/proposals/{id}/accept', { as: editor,
		params: { id: proposal2.body.id }, body: { version: 1 }, expect: 412 });

	// ---- search, synonyms, pins, feedback ----------------------------------
	await call('GET /api/v1/search', { query: { q: 'pas' }, expect: 200 });
	await call('GET /api/v1/search', { query: { q: 'flytning', municipality: '901' },
		expect: 200 });
	await call('GET /api/v1/search', { query: { q: 'åbningstider borgerservice',
		municipality: '901' }, expect: 200 });
	await call('GET /api/v1/search', { query: { q: 'sundhedskrot' }, expect: 200 });
	await call('GET /api/v1/search', { query: { q: 'pas', municipality: 'nope' },
		expect: 400 });
	await call('GET /api/v1/suggest', { query: { q: 'flyt' }, expect: 200 });
	await call('GET /api/v1/search-report', { as: editor, expect: 200 });
	await call('GET /api/v1/search-report', { expect: 401 });
	await call('GET /api/v1/synonyms', { as: editor, expect: 200 });
	const syn = await call('POST /api/v1/synonyms', { as: editor,
		body: { words: 'openapiord', alternatives: 'beskrivelse',
			both_ways: false }, expect: 201 });
	await call('POST /api/v1/synonyms', { as: editor,
		body: { words: 'openapiord' }, expect: 400 });
	await call('PUT /api/v1/synonyms/{id}', { as: editor, params: { id: syn.body.id },
		body: { words: 'openapiord', alternatives: 'beskrivelse, dokumentation',
			both_ways: true }, expect: 200 });
	await call('DELETE /api/v1/synonyms/{id}', { as: editor,
		params: { id: 999999 }, expect: 404 });
	const syns = await call('GET /api/v1/synonyms', { as: editor,
		query: { q: 'openapiord' }, expect: 200 });
	for (const x of syns.body.items || [])
		await call('DELETE /api/v1/synonyms/{id}', { as: editor,
			params: { id: x.id }, expect: 200 });
	await call('POST /api/v1/pins', { as: editor,
		body: { query: 'prøve', article: art.slug }, expect: 200 });
	await call('GET /api/v1/pins', { as: editor, expect: 200 });
	await call('POST /api/v1/pins', { as: editor, body: { query: 'prøve' },
		expect: 400 });
	await call('DELETE /api/v1/pins', { as: editor, query: { query: 'prøve' },
		expect: 204 });
	// one answer per page, visit (the pages' hh_visit cookie) and day
	const visit = { Cookie: 'hh_visit=0123456789abcdef0123456789abcdef' };
	await call('POST /api/v1/feedback', { headers: visit, body: { found: true,
		page: 'search', query: 'pas', municipality: '901' }, expect: 201 });
	await call('POST /api/v1/feedback', { headers: visit, body: { found: false,
		page: 'search', query: 'pas', municipality: '901' }, expect: 200 });
	await call('POST /api/v1/feedback', { body: { found: 'ja' }, expect: 400 });
	await call('POST /api/v1/feedback', { body: { found: false, page: 'article',
		article_id: 1, municipality: '901' }, expect: 201 });
	await call('GET /api/v1/feedback-report', { as: editor, expect: 200 });
	await call('DELETE /api/v1/articles/{slug}', { as: editor,
		params: { slug: art.slug }, expect: 200 });
	await call('DELETE /api/v1/articles/{slug}', { params: { slug: art.slug },
		expect: 401 });

	// ---- life events, plans, case types, cases, overview -----------------
	await call('GET /api/v1/life-events', { expect: 200 });
	await call('GET /api/v1/life-events/{slug}', { params: { slug: 'flytning' },
		expect: 200 });
	await call('GET /api/v1/life-events/{slug}', { params: { slug: 'nej' },
		expect: 404 });
	const plan = await call('POST /api/v1/plans', { as: mette,
		body: { life_event: 'flytning', answers: { hvorhen: 'samme-kommune',
			parkering: 'ja' } }, expect: 201 });
	await call('POST /api/v1/plans', { as: mette, body: { answers: {} },
		expect: 400 });
	await call('POST /api/v1/plans', { body: { life_event: 'flytning' },
		expect: 401 });
	await call('GET /api/v1/plans/{id}', { as: mette,
		params: { id: plan.body && plan.body.id }, expect: 200 });
	await call('GET /api/v1/plans/{id}', { as: mette, params: { id: 999999 },
		expect: 404 });
	await call('GET /api/v1/case-types', { expect: 200 });
	await call('GET /api/v1/case-types/{code}', { params: { code: 'fejl-paa-vej' },
		expect: 200 });
	await call('GET /api/v1/case-types/{code}', { params: { code: 'nej' },
		expect: 404 });
	const kase = await call('POST /api/v1/cases', { as: mette,
		headers: { 'Idempotency-Key': 'openapi-case-1' },
		body: { case_type: 'fejl-paa-vej', values: FAULT }, expect: 201 });
	await call('POST /api/v1/cases', { as: mette,
		headers: { 'Idempotency-Key': 'openapi-case-1' },
		body: { case_type: 'fejl-paa-vej', values: FAULT }, expect: 200 });
	await call('POST /api/v1/cases', { as: mette,
		body: { case_type: 'fejl-paa-vej', values: { kategori: 'hul' } },
		expect: 422 });
	await call('POST /api/v1/cases', { body: { case_type: 'fejl-paa-vej',
		values: FAULT }, expect: 401 });
	const caseId = kase.body.id;
	await call('GET /api/v1/overview', { as: mette, expect: 200 });
	await call('GET /api/v1/overview', { expect: 401 });
	await call('GET /api/v1/cases', { as: caseworker, expect: 200 });
	await call('GET /api/v1/cases', { as: mette, expect: 200 });
	await call('GET /api/v1/cases', { as: bearer, expect: 200 });
	await call('GET /api/v1/cases', { expect: 401 });
	await call('GET /api/v1/cases', { as: caseworker, query: { sort: 'nej' },
		expect: 400 });
	await call('GET /api/v1/cases/{id}', { as: caseworker, params: { id: caseId },
		expect: 200 });
	await call('GET /api/v1/cases/{id}', { as: mette, params: { id: caseId },
		expect: 200 });
	await call('GET /api/v1/cases/{id}', { as: caseworker, params: { id: 999999 },
		expect: 404 });
	await call('GET /api/v1/casework/assignees', { as: caseworker, expect: 200 });
	await call('POST /api/v1/cases/{id}/assign', { as: caseworker,
		params: { id: caseId }, body: { assignee: 'me' }, expect: 428 });
	let v = kase.body.version;
	const assigned = await call('POST /api/v1/cases/{id}/assign', { as: caseworker,
		params: { id: caseId }, body: { assignee: 'me', version: v },
		expect: 200 });
	v = assigned.body.version;
	await call('POST /api/v1/cases/{id}/notes', { as: caseworker,
		params: { id: caseId }, body: { text: 'Set på stedet.' }, expect: 204 });
	await call('POST /api/v1/cases/{id}/notes', { as: caseworker,
		params: { id: caseId }, body: {}, expect: 400 });
	await call('POST /api/v1/cases/{id}/requests', { as: caseworker,
		params: { id: caseId }, body: { question: 'Hvor dybt er hullet?',
		version: v }, expect: 200 });
	await call('POST /api/v1/cases/{id}/answers', { as: mette,
		params: { id: caseId }, body: { answer: 'Cirka 20 cm.' }, expect: 200 });
	await call('POST /api/v1/cases/{id}/answers', { as: mette,
		params: { id: caseId }, body: { answer: 'Igen.' }, expect: 409 });
	await call('POST /api/v1/cases/{id}/transition', { as: caseworker,
		params: { id: caseId }, body: { to: 'nowhere', version: 1 }, expect: 412 });
	const now = await call('GET /api/v1/cases/{id}', { as: caseworker,
		params: { id: caseId }, expect: 200 });
	await call('POST /api/v1/cases/{id}/transition', { as: caseworker,
		params: { id: caseId }, body: { to: 'nowhere', version: now.body.version },
		expect: 409 });
	await call('GET /api/v1/cases/{id}/files/{file}', { as: caseworker,
		params: { id: caseId, file: 1 }, expect: 404 });
	await call('GET /api/v1/audit', { as: mette, expect: 200 });
	await call('GET /api/v1/audit', { expect: 401 });

	// ---- the other party to a case (issue 16, docs/parties.md) ---------
	const cj = await call('POST /api/v1/citizen/session', {
		body: { subject: 'demo:demo-jens' }, expect: 201 });
	const jens = { cookie: cj.headers.getSetCookie()[0].split(';')[0],
		       csrf: cj.body.csrf_token };
	const divorce = { aegtefaelle_cpr: '150482-1001', aegtefaelle_navn: 'Jens Jensen',
			  vielsesdato: '2012-06-16', separeret: 'nej', enige: 'ja',
			  boern: 'nej', aegtefaellebidrag: 'nej', lejebolig: 'ingen' };
	await call('POST /api/v1/cases', { as: mette, body: { case_type: 'skilsmisse',
		values: { ...divorce, aegtefaelle_cpr: '140386-1236' } }, expect: 422 });
	const div = await call('POST /api/v1/cases', { as: mette,
		body: { case_type: 'skilsmisse', values: divorce }, expect: 201 });
	await call('GET /api/v1/cases/{id}', { as: mette, params: { id: div.body.id },
		expect: 200 });
	await call('GET /api/v1/overview', { as: jens, expect: 200 });
	await call('GET /api/v1/cases/{id}/parties/me', { as: jens,
		params: { id: div.body.id }, expect: 200 });
	// p-letters: the invitation is a letter in the party's own inbox
	await call('GET /api/v1/me/letters', { as: jens, expect: 200 });
	await call('GET /api/v1/cases/{id}/parties/me', { as: mette,
		params: { id: div.body.id }, expect: 404 });
	await call('GET /api/v1/cases/{id}/parties/me', { params: { id: div.body.id },
		expect: 401 });
	await call('POST /api/v1/cases/{id}/parties/me', { as: jens,
		params: { id: div.body.id }, body: { answer: 'måske' }, expect: 400 });
	await call('POST /api/v1/cases/{id}/parties/me', { as: mette,
		params: { id: div.body.id }, body: { answer: 'confirm' }, expect: 404 });
	await call('POST /api/v1/cases/{id}/parties/me', { as: jens,
		params: { id: div.body.id }, body: { answer: 'confirm' }, expect: 200 });
	await call('POST /api/v1/cases/{id}/parties/me', { as: jens,
		params: { id: div.body.id }, body: { answer: 'decline' }, expect: 409 });

	// ---- an agreement signed by both (issue 16, point 4) ---------------
	const custody = { anden_foraelder_cpr: '150482-1001', barn_cpr: '170616-4002',
			  barn_navn: 'Emma Holm', foraeldremyndighed: 'faelles',
			  bopael: 'ansoeger', samvaer: 'weekend' };
	const agr = await call('POST /api/v1/cases', { as: mette, body: {
		case_type: 'foraeldremyndighed-aftale', values: custody }, expect: 201 });
	const ap = { id: agr.body.id };
	await call('GET /api/v1/cases/{id}/agreement', { as: mette, params: ap,
		expect: 200 });
	await call('GET /api/v1/cases/{id}/agreement', { as: jens, params: ap,
		expect: 200 });
	await call('GET /api/v1/cases/{id}/agreement', { params: ap, expect: 401 });
	await call('GET /api/v1/cases/{id}/agreement', { as: caseworker, params: ap,
		expect: 404 }); // another organisation's case
	// confirming an agreement is signing it
	await call('POST /api/v1/cases/{id}/parties/me', { as: jens, params: ap,
		body: { answer: 'confirm' }, expect: 409 });
	// the applicant signed by sending it
	await call('POST /api/v1/cases/{id}/agreement/signatures', { as: mette,
		params: ap, body: { version: 1 }, expect: 409 });
	await call('POST /api/v1/cases/{id}/agreement/signatures', { params: ap,
		body: { version: 1 }, expect: 401 });
	await call('POST /api/v1/cases/{id}/agreement/signatures', { as: jens,
		params: ap, body: {}, expect: 400 });
	await call('PUT /api/v1/cases/{id}/agreement', { as: jens, params: ap,
		body: { version: 1, fields: { bemaerkninger: 'Kun til jer' } }, expect: 422 });
	await call('PUT /api/v1/cases/{id}/agreement', { as: jens, params: ap,
		body: { version: 1, fields: { samvaer: '7-7' } }, expect: 200 });
	// sent again (r-agree): the same change, answered as the first
	await call('PUT /api/v1/cases/{id}/agreement', { as: jens, params: ap,
		body: { version: 1, fields: { samvaer: '7-7' } }, expect: 200 });
	// no CPR number in the agreement (r-agree)
	await call('PUT /api/v1/cases/{id}/agreement', { as: jens, params: ap,
		body: { version: 2, fields: { ferier: 'Emma (170616-4002) holder jul hos mor' } },
		expect: 422 });
	await call('PUT /api/v1/cases/{id}/agreement', { as: jens, params: ap,
		body: { version: 2, fields: { samvaer: '7-7' } }, expect: 422 });
	await call('PUT /api/v1/cases/{id}/agreement', { params: ap,
		body: { version: 2, fields: { samvaer: '7-7' } }, expect: 401 });
	// changed since Mette read version 1
	await call('POST /api/v1/cases/{id}/agreement/signatures', { as: mette,
		params: ap, body: { version: 1 }, expect: 409 });
	// a hash that is not version 2's (r-agree): stale, nothing written
	await call('POST /api/v1/cases/{id}/agreement/signatures', { as: mette,
		params: ap, body: { version: 2, hash: '0'.repeat(64) }, expect: 409 });
	await call('POST /api/v1/cases/{id}/agreement/signatures', { as: mette,
		params: ap, body: { version: 2 }, expect: 200 });

	// ---- letters on a case (a parking permit, decided in writing) --------
	const park = await call('POST /api/v1/cases', { as: mette,
		body: { case_type: 'parkeringstilladelse', values: {
			adresse: 'Skovvej 12, 4700 Nordskov', regnr: 'AB12345',
			raadighed: 'ejer', gyldig_fra: '2027-01-01' },
			plan_id: plan.body.id, step: 'beboerlicens' }, expect: 201 });
	await call('GET /api/v1/plans/{id}', { as: mette, params: { id: plan.body.id },
		expect: 200 });
	await call('GET /api/v1/overview', { as: mette, expect: 200 });
	const parkId = park.body.id;
	const moved = await call('POST /api/v1/cases/{id}/transition', {
		as: caseworker, params: { id: parkId },
		body: { to: 'in_progress', version: park.body.version }, expect: 200 });
	await call('POST /api/v1/cases/{id}/transition', { as: caseworker,
		params: { id: parkId }, body: { to: 'rejected',
		version: moved.body.version }, expect: 409 });
	await call('GET /api/v1/cases/{id}/letters', { as: caseworker,
		params: { id: parkId }, expect: 200 });
	await call('POST /api/v1/cases/{id}/letters', { as: caseworker,
		params: { id: parkId }, body: { decision: 'nowhere' }, expect: 422 });
	const letter = await call('POST /api/v1/cases/{id}/letters', { as: caseworker,
		params: { id: parkId }, body: { decision: 'rejected',
		justification: 'Bilen er ikke registreret på adressen.' },
		expect: 201 });
	const lid = letter.body.id;
	await call('GET /api/v1/cases/{id}/letters', { as: caseworker,
		params: { id: parkId }, expect: 200 });
	await call('GET /api/v1/letters/{id}', { as: caseworker, params: { id: lid },
		expect: 200 });
	await call('GET /api/v1/letters/{id}', { as: caseworker,
		params: { id: `${lid}.pdf` }, expect: 404 });
	await call('POST /api/v1/letters/{id}/send', { as: caseworker,
		params: { id: lid }, body: { version: 9 }, expect: 412 });
	await call('POST /api/v1/letters/{id}/send', { as: caseworker,
		params: { id: lid }, body: { version: letter.body.version },
		expect: 200 });
	await call('GET /api/v1/letters/{id}', { as: caseworker,
		params: { id: `${lid}.pdf` }, expect: 200 });
	// a single benefit: its decisions need a second caseworker's approval
	const grant = await call('POST /api/v1/cases', { as: mette,
		body: { case_type: 'enkeltydelse', values: {
			udgiftstype: 'tandbehandling',
			beskrivelse: 'En tand knækkede, og tandlægen skal lave en krone.',
			beloeb: '4200', betalt: 'nej', forsikring: 'nej',
			tilbud: { name: 'overslag.pdf', content_type: 'application/pdf',
				  data: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n' +
					'trailer <<>>\n%%EOF\n').toString('base64') } } },
		expect: 201 });
	const seen = await call('GET /api/v1/cases/{id}', { as: caseworker,
		params: { id: grant.body.id }, expect: 200 });
	await call('GET /api/v1/cases/{id}/files/{file}', { as: caseworker,
		params: { id: grant.body.id, file: seen.body.files[0].id }, expect: 200 });
	await call('POST /api/v1/cases/{id}/transition', { as: caseworker,
		params: { id: grant.body.id },
		body: { to: 'in_progress', version: grant.body.version }, expect: 200 });
	const l2 = await call('POST /api/v1/cases/{id}/letters', { as: caseworker,
		params: { id: grant.body.id }, body: { decision: 'rejected',
		justification: 'Udgiften er dækket af tandlægeforsikringen.' },
		expect: 201 });
	const s2 = await call('POST /api/v1/letters/{id}/send', { as: caseworker,
		params: { id: l2.body.id }, body: { version: l2.body.version },
		expect: 200 });
	await call('POST /api/v1/letters/{id}/approve', { as: caseworker,
		params: { id: l2.body.id }, body: { version: s2.body.version },
		expect: 403 });
	await call('GET /api/v1/letters/approval', { as: caseworker2, expect: 200 });
	const r2 = await call('POST /api/v1/letters/{id}/return', { as: caseworker2,
		params: { id: l2.body.id }, body: { version: s2.body.version,
		comment: 'Nævn reglen.' }, expect: 200 });
	const s3 = await call('POST /api/v1/letters/{id}/send', { as: caseworker,
		params: { id: l2.body.id }, body: { version: r2.body.version },
		expect: 200 });
	await call('POST /api/v1/letters/{id}/approve', { as: caseworker2,
		params: { id: l2.body.id }, body: { version: s3.body.version },
		expect: 200 });

	// ---- delivery and the citizen's inbox ----------------------------------
	const msgs = await call('GET /api/v1/messages', { as: caseworker, expect: 200 });
	await call('GET /api/v1/messages', { expect: 401 });
	const mid = msgs.body && msgs.body.items && msgs.body.items[0] &&
		msgs.body.items[0].id;
	await call('GET /api/v1/messages/{id}', { as: caseworker, params: { id: mid },
		expect: 200 });
	await call('GET /api/v1/messages/{id}', { as: caseworker,
		params: { id: 999999 }, expect: 404 });
	await call('POST /api/v1/messages/{id}/retry', { as: caseworker,
		params: { id: mid }, expect: 409 });
	await call('POST /api/v1/messages/{id}/print', { as: caseworker,
		params: { id: mid }, expect: 409 });
	const inbox = await call('GET /api/v1/me/letters', { as: mette, expect: 200 });
	await call('GET /api/v1/me/letters', { expect: 401 });
	const items = (inbox.body && (inbox.body.items || inbox.body.letters)) || [];
	const mine = items[0] && items[0].id;
	const replyable = (items.find((x) => x.reply_allowed) || items[0] || {}).id;
	await call('GET /api/v1/me/letters/{id}', { as: mette, params: { id: mine },
		expect: 200 });
	await call('GET /api/v1/me/letters/{id}', { as: mette, params: { id: 999999 },
		expect: 404 });
	await call('GET /api/v1/me/letters/{id}/pdf', { as: mette, params: { id: mine },
		expect: 200 });
	const form = new FormData();
	form.append('text', 'Tak for brevet.');
	const reply = new Request('http://x/', { method: 'POST', body: form });
	await call('POST /api/v1/me/letters/{id}/reply', { as: mette,
		params: { id: replyable },
		headers: { 'Content-Type': reply.headers.get('content-type') },
		raw: Buffer.from(await reply.arrayBuffer()), expect: 201 });

	// ---- inquiries and the agent's desk ------------------------------------
	const inq = await call('POST /api/v1/inquiries', { as: agent,
		headers: { 'Idempotency-Key': 'openapi-inquiry-1' },
		body: { channel: 'phone', kle: '16.00.00',
			outcome: 'resolved_first_contact' },
		expect: 201 });
	await call('POST /api/v1/inquiries', { as: agent,
		headers: { 'Idempotency-Key': 'openapi-inquiry-1' },
		body: { channel: 'phone', kle: '16.00.00',
			outcome: 'resolved_first_contact' }, expect: 200 });
	await call('POST /api/v1/inquiries', { as: agent, body: { channel: 'brevdue' },
		expect: 400 });
	await call('GET /api/v1/inquiries', { as: agent, expect: 200 });
	await call('GET /api/v1/inquiries', { expect: 401 });
	await call('GET /api/v1/inquiries/{id}', { as: agent,
		params: { id: inq.body.id }, expect: 200 });
	await call('GET /api/v1/inquiries/{id}', { as: agent, params: { id: 999999 },
		expect: 404 });
	const inq2 = await call('POST /api/v1/inquiries', { as: agent,
		body: { channel: 'counter' }, expect: 201 });
	await call('POST /api/v1/inquiries/{id}/article', { as: agent,
		params: { id: inq2.body.id }, body: { article_id: 1,
		version: inq2.body.version }, expect: 200 });
	const inq2b = await call('GET /api/v1/inquiries/{id}', { as: agent,
		params: { id: inq2.body.id }, expect: 200 });
	await call('POST /api/v1/inquiries/{id}/outcome', { as: agent,
		params: { id: inq2.body.id }, body: { outcome: 'nej',
		version: inq2b.body.version }, expect: 400 });
	await call('POST /api/v1/inquiries/{id}/outcome', { as: agent,
		params: { id: inq2.body.id }, body: { outcome: 'transferred',
		transfer_team: 'ydelser', transfer_reason: 'kraever-sagsbehandler',
		version: inq2b.body.version }, expect: 200 });
	await call('GET /api/v1/inquiries/{id}/transcript', { as: agent,
		params: { id: inq2.body.id }, expect: 404 });
	await call('POST /api/v1/desk/lookup', { as: agent,
		body: { cpr: '010203-1234' }, expect: 200 });
	await call('POST /api/v1/desk/lookup', { as: agent, body: { name: 'Mette' },
		expect: 200 });
	await call('POST /api/v1/desk/lookup', { as: agent, body: { cpr: '123' },
		expect: 400 });
	await call('GET /api/v1/desk/citizens/{id}/history', { as: agent,
		params: { id: 1 }, expect: 200 });
	await call('GET /api/v1/desk/codes', { as: agent, expect: 200 });
	await call('GET /api/v1/desk/callbacks', { as: agent, expect: 200 });
	const transfers = await call('GET /api/v1/desk/transfers', { as: agent,
		expect: 200 });
	const tid = transfers.body && transfers.body.items && transfers.body.items[0] &&
		transfers.body.items[0].id;
	await call('GET /api/v1/desk/transfers/{id}', { as: agent,
		params: { id: tid || inq2.body.id }, expect: 200 });
	await call('POST /api/v1/desk/transfers/{id}/take', { as: agent,
		params: { id: tid || inq2.body.id }, expect: 200 });
	await call('POST /api/v1/desk/transfers/{id}/close', { as: agent,
		params: { id: tid || inq2.body.id }, body: { result: 'resolved' },
		expect: 200 });
	await call('POST /api/v1/desk/transfers/{id}/close', { as: agent,
		params: { id: 999999 }, body: { result: 'resolved' }, expect: 404 });
	await call('GET /api/v1/desk/usefulness', { as: manager, expect: 200 });
	await call('GET /api/v1/desk/usefulness', { as: agent, expect: 403 });
	for (const expect of [201, 200])
		await call('POST /api/v1/desk/citizens/{id}/cases', { as: agent,
			headers: { 'Idempotency-Key': 'openapi-desk-case-1' },
			params: { id: 1 }, body: { case_type: 'fejl-paa-vej', values: FAULT,
			consent: true }, expect });
	await call('POST /api/v1/desk/citizens/{id}/cases', { as: agent,
		params: { id: 1 }, body: { case_type: 'fejl-paa-vej', values: FAULT },
		expect: 400 });

	// ---- appointments -------------------------------------------------------
	await call('GET /api/v1/organisations/{code}/counter-services', {
		params: { code: '901' }, expect: 200 });
	const slots = await call('GET /api/v1/organisations/{code}/slots', {
		params: { code: '901' }, query: { service: 'pas' }, expect: 200 });
	await call('GET /api/v1/organisations/{code}/slots', {
		params: { code: '901' }, query: { service: 'nej' }, expect: 400 });
	// slots a little ahead, so that none has begun by the time it is booked
	const slot = (k) => slots.body.items[Math.min(k, slots.body.items.length - 1)];
	const booking = await call('POST /api/v1/appointments', {
		headers: { 'Idempotency-Key': 'openapi-booking-1' },
		body: { organisation: '901', service: 'pas',
			start_at: slot(6).start_at, name: 'Prøve Person',
			email: 'prove@example.org' },
		expect: 201 });
	await call('POST /api/v1/appointments', {
		headers: { 'Idempotency-Key': 'openapi-booking-1' },
		body: { organisation: '901', service: 'pas',
			start_at: slot(6).start_at, name: 'Prøve Person',
			email: 'prove@example.org' }, expect: 200 });
	await call('POST /api/v1/appointments', { body: { organisation: '901' },
		expect: 400 });
	const code = booking.body.code;
	await call('GET /api/v1/appointments/{code}', { params: { code }, expect: 200 });
	await call('GET /api/v1/appointments/{code}', { params: { code: 'ABCDEFGH' },
		expect: 404 });
	await call('PATCH /api/v1/appointments/{code}', { params: { code },
		headers: { 'If-Match': `"${booking.body.version}"` },
		body: { start_at: slot(7).start_at }, expect: 200 });
	await call('PATCH /api/v1/appointments/{code}', { params: { code },
		headers: { 'If-Match': '"1"' },
		body: { start_at: slot(8).start_at }, expect: 412 });
	await call('GET /api/v1/organisations/{code}/appointments', { as: agent,
		params: { code: '901' }, expect: 200 });
	await call('POST /api/v1/appointments/{code}/attendance', { as: agent,
		params: { code }, body: { state: 'nej' }, expect: 400 });
	await call('GET /api/v1/appointments', { as: mette, expect: 200 });
	await call('POST /api/v1/appointments', { as: mette, body: { organisation: '901',
		service: 'pas', start_at: slot(9).start_at }, expect: 201 });
	await call('GET /api/v1/appointments', { as: mette, expect: 200 });
	await call('GET /api/v1/organisations/{code}/appointments', { as: agent,
		params: { code: '901' }, query: { date: slot(9).start_at.slice(0, 10) },
		expect: 200 });
	await call('GET /api/v1/appointments', { expect: 401 });
	await call('DELETE /api/v1/appointments/{code}', { params: { code },
		headers: { 'If-Match': '"2"' }, expect: 200 });
	await call('POST /api/v1/appointments/{code}/attendance', { as: agent,
		params: { code }, body: { state: 'attended' }, expect: 409 });

	// ---- chat ----------------------------------------------------------------
	await call('GET /api/v1/organisations/{code}/chat', { params: { code: '901' },
		expect: 200 });
	const chat = await call('POST /api/v1/chats', {
		body: { organisation: '901', topic: 'Pas' }, expect: 201 });
	await call('POST /api/v1/chats', { body: { organisation: 'nej' }, expect: 400 });
	const mine2 = { headers: { 'X-Chat-Token': chat.body.token } };
	const chatId = chat.body.id;
	await call('GET /api/v1/chats/{id}', { ...mine2, params: { id: chatId },
		expect: 200 });
	await call('GET /api/v1/chats/{id}', { params: { id: chatId }, expect: 404 });
	await call('POST /api/v1/chats/{id}/messages', { ...mine2,
		params: { id: chatId }, body: { body: 'Hej, jeg har mistet mit pas.' },
		expect: 201 });
	await call('GET /api/v1/chats/{id}/messages', { ...mine2,
		params: { id: chatId }, query: { after: 0 }, expect: 200 });
	await call('GET /api/v1/chat-console', { as: agent, expect: 200 });
	await call('POST /api/v1/chats/{id}/take', { as: agent, params: { id: chatId },
		expect: 200 });
	await call('GET /api/v1/chat-console', { as: agent, expect: 200 });
	await call('POST /api/v1/chats/{id}/messages', { as: agent,
		params: { id: chatId }, body: { article_id: 1 }, expect: 201 });
	await call('GET /api/v1/chats/{id}/messages', { ...mine2,
		params: { id: chatId }, query: { after: 1 }, expect: 200 });
	await call('POST /api/v1/chats/{id}/transfer', { as: agent,
		params: { id: chatId }, body: { team: 'nej-intet-team' }, expect: 400 });
	await call('POST /api/v1/chats/{id}/transfer', { as: agent,
		params: { id: chatId }, body: { team: 'borgerservice' }, expect: 200 });
	await call('POST /api/v1/chats/{id}/take', { as: agent, params: { id: chatId },
		expect: 200 });
	await call('POST /api/v1/chats/{id}/close', { as: agent,
		params: { id: chatId }, body: { outcome: 'resolved_first_contact' },
		expect: 200 });
	await call('POST /api/v1/chats/{id}/rating', { ...mine2,
		params: { id: chatId }, body: { rating: 5 }, expect: 200 });
	await call('POST /api/v1/chats/{id}/rating', { ...mine2,
		params: { id: chatId }, body: { rating: 4 }, expect: 409 });
	await call('POST /api/v1/written-inquiries', { body: { organisation: '901',
		text: 'Hvornår har I åbent?', contact: 'prove@example.org' },
		expect: 201 });
	await call('POST /api/v1/written-inquiries', { body: { organisation: '901' },
		expect: 400 });
	const chatInq = await call('GET /api/v1/chats/{id}', { as: agent,
		params: { id: chatId }, expect: 200 });
	await call('GET /api/v1/inquiries/{id}/transcript', { as: agent,
		params: { id: chatInq.body.inquiry_id }, expect: 200 });

	// ---- external cases (issue 15): another authority's case system --------
	// reports a case of Mette (her CPR number: content/citizens.json); the
	// version orders the reports (docs/external-cases.md)
	const udk = token('udk', 'case-system');
	const sktst = token('sktst', 'case-system');
	const EXT = { system: 'boligstoette', id: 'BS-OPENAPI-1' };
	// x-decl: Udbetaling Danmark's admin declares the system first
	const udkAdmin = token('udk', 'admin');
	const declaration = { label: 'Boligstøttesystemet',
		states: [{ name: 'Modtaget', stage: 'received' },
			 { name: 'Afventer dokumentation', stage: 'awaiting_citizen' },
			 { name: 'Afgjort', stage: 'decided' }],
		case_types: [{ key: 'boligstoette', name: 'Boligstøtte',
			       kle: '27.24.00', facts: { husstand: 'integer' } }] };
	await call('PUT /api/v1/case-systems/{system}', { as: udkAdmin,
		params: { system: 'boligstoette' }, body: declaration, expect: 201 });
	await call('PUT /api/v1/case-systems/{system}', { as: udkAdmin,
		params: { system: 'boligstoette' }, body: declaration, expect: 200 });
	await call('PUT /api/v1/case-systems/{system}', { as: udkAdmin,
		params: { system: 'boligstoette' },
		body: { ...declaration, states: [{ name: 'Modtaget', stage: 'ny' }] },
		expect: 400 });
	// x-fix: a follow-up rule may only name a case type that lets the
	// declaring organisation start it (its started_by)
	const crossOrg = await call('PUT /api/v1/case-systems/{system}', {
		as: udkAdmin, params: { system: 'boligstoette' },
		body: { ...declaration, case_types: [{ ...declaration.case_types[0],
			followups: [{ state: 'Afgjort',
				      case_type: 'boernetilskud-revurdering',
				      organisation: '902' }] }] },
		expect: 400 });
	if (!JSON.stringify(crossOrg.body).includes('followups[0].case_type'))
		throw new Error('a follow-up to a case type without consent is ' +
				`refused on its case_type: ${JSON.stringify(crossOrg.body)}`);
	await call('PUT /api/v1/case-systems/{system}', { as: udk,
		params: { system: 'boligstoette' }, body: declaration, expect: 403 });
	await call('PUT /api/v1/case-systems/{system}', {
		params: { system: 'boligstoette' }, body: declaration, expect: 401 });
	await call('GET /api/v1/case-systems/{system}', { as: udkAdmin,
		params: { system: 'boligstoette' }, expect: 200 });
	await call('GET /api/v1/case-systems/{system}', { as: udk,
		params: { system: 'boligstoette' }, expect: 200 });
	await call('GET /api/v1/case-systems/{system}', { as: sktst,
		params: { system: 'boligstoette' }, expect: 404 });
	await call('GET /api/v1/case-systems/{system}', { as: bearer,
		params: { system: 'boligstoette' }, expect: 403 });
	await call('GET /api/v1/case-systems/{system}', {
		params: { system: 'boligstoette' }, expect: 401 });
	{
		const r = await call('GET /api/v1/case-systems', { as: udkAdmin, expect: 200 });
		if (!r.body.items.some(s => s.system === 'boligstoette'))
			throw new Error(`the list lacks boligstoette: ${JSON.stringify(r.body)}`);
		const o = await call('GET /api/v1/case-systems', { as: sktst, expect: 200 });
		if (o.body.items.some(s => s.system === 'boligstoette'))
			throw new Error('another organisation lists udk\'s system');
	}
	await call('GET /api/v1/case-systems', { as: bearer, expect: 403 });
	await call('GET /api/v1/case-systems', { expect: 401 });
	const report = { cpr: '140386-1236', title: 'Boligstøtte',
			 state: 'Modtaget', text: 'Vi behandler din ansøgning.',
			 deadline: '2027-02-01', version: 2,
			 self_service_url: 'https://www.borger.dk/boligstoette',
			 updated_at: '2026-12-02T10:00:00Z', case_type: 'boligstoette',
			 facts: { husstand: 2 } };
	for (const [bad, code] of [[{ state: 'Bevilget' }, 'undeclared-state'],
				   [{ case_type: 'pension' }, 'unknown-case-type'],
				   [{ facts: { boern: true } }, 'unknown-fact']]) {
		const r = await call('PUT /api/v1/external-cases/{system}/{id}', {
			as: udk, params: EXT, body: { ...report, ...bad }, expect: 422 });
		if (r.body.code !== code)
			throw new Error(`want ${code}: ${JSON.stringify(r.body)}`);
	}
	await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: sktst, params: EXT, body: report, expect: 422 }); /* unknown-system */
	const ext = await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: udk, params: EXT, body: report, expect: 201 });
	await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: udk, params: EXT, body: report, expect: 200 });      /* a repeat */
	const stale = await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: udk, params: EXT, body: { ...report, version: 1 }, expect: 409 });
	const reused = await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: udk, params: EXT, body: { ...report, state: 'Afgjort' },
		expect: 409 });
	if (stale.body.code !== 'external-version-stale' ||
	    reused.body.code !== 'external-version-reused' ||
	    stale.body.stored_version !== 2 || reused.body.stored_version !== 2)
		throw new Error(`the 409s of an older and a reused version: ${
			JSON.stringify([stale.body, reused.body])}`);
	await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: udk, params: EXT, body: { ...report, state: 'Afventer dokumentation',
		deadline: null, self_service_url: null, updated_at: null,
		created_at: '2026-11-01T11:00:00+01:00', version: 3 }, expect: 200 });
	await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: udk, params: EXT, body: { ...report, cpr: '123' }, expect: 400 });
	await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: udk, params: EXT, body: { ...report, extra: 1 }, expect: 400 });
	await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: udk, params: { ...EXT, system: 'Bolig Støtte' }, body: report,
		expect: 400 });
	await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: bearer, params: EXT, body: report, expect: 403 });  /* wrong role */
	await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: caseworker, params: EXT, body: report, expect: 403 });
	await call('PUT /api/v1/external-cases/{system}/{id}', {
		params: EXT, body: report, expect: 401 });
	await call('GET /api/v1/external-cases/{system}/{id}', {
		as: udk, params: EXT, expect: 200 });
	await call('GET /api/v1/external-cases/{system}/{id}', {
		as: sktst, params: EXT, expect: 404 });      /* another organisation's */
	await call('GET /api/v1/external-cases/{system}/{id}', {
		as: bearer, params: EXT, expect: 403 });
	await call('GET /api/v1/external-cases/{system}/{id}', {
		params: EXT, expect: 401 });
	await call('GET /api/v1/external-cases/{system}/{id}', {
		as: udk, params: { ...EXT, id: 'findes-ikke' }, expect: 404 });
	// x-decl: Familieretshuset's system (declared in the demo content)
	// reports Mette's granted divorce with children: the municipality's
	// review starts, and the answer says so
	const frh = token('familieretshuset', 'case-system');
	const reported = { cpr: '140386-1236', title: 'Skilsmisse', state: 'Modtaget',
			  text: '', version: 1, case_type: 'skilsmisse',
			  facts: { children: true } };
	await call('PUT /api/v1/external-cases/{system}/{id}', { as: frh,
		params: { system: 'familiesag', id: 'FH-OPENAPI-1' }, body: reported,
		expect: 201 });
	const granted = await call('PUT /api/v1/external-cases/{system}/{id}', {
		as: frh, params: { system: 'familiesag', id: 'FH-OPENAPI-1' },
		body: { ...reported, state: 'Bevilget', version: 2 }, expect: 200 });
	if (!granted.body.followups || granted.body.followups.length !== 1 ||
	    !granted.body.followups[0].started ||
	    'case_id' in granted.body.followups[0] ||
	    'organisation' in granted.body.followups[0])
		throw new Error('a granted divorce with children starts the ' +
				`review: ${JSON.stringify(granted.body)}`);
	const ov = await call('GET /api/v1/overview', { as: mette, expect: 200 });
	const shown = ((ov.body && ov.body.external_cases) || [])
		.find((k) => k.system === EXT.system && k.id === EXT.id);
	if (!ext.body || ext.body.outcome !== 'created' || !shown ||
	    shown.version !== 3 || shown.organisation !== 'udk')
		throw new Error('the overview does not show the reported case ' +
				`at version 3: ${JSON.stringify(ov.body && ov.body.external_cases)}`);

	// ---- figures --------------------------------------------------------------
	await call('GET /api/v1/figures', { as: manager, expect: 200 });
	await call('GET /api/v1/figures', { expect: 401 });
	await call('GET /api/v1/figures/drill', { as: manager,
		query: { indicator: 'fcr' }, expect: 200 });
	await call('GET /api/v1/figures/drill', { as: manager,
		query: { indicator: 'nej' }, expect: 400 });
	await call('GET /api/v1/figures/benchmark', { as: manager, expect: 200 });
	await call('GET /api/v1/service-levels/{org}', { params: { org: '901' },
		expect: 200 });
	await call('GET /api/v1/service-levels/{org}', { params: { org: 'nej' },
		expect: 404 });

	// ---- webhooks (issue 15): the organisation's admin subscribes -------
	// (docs/webhooks.md); the receiver's host does not resolve, so the
	// delivery an article's change makes stays pending or fails: listed
	const HOOK = { url: 'https://modtager.invalid/helhed-hook',
		       events: ['article.changed', 'case.submitted'] };
	const hook = await call('POST /api/v1/webhooks', { as: admin, body: HOOK,
		expect: 201 });
	if (!hook.body || !/^whsec_/.test(hook.body.secret || '') ||
	    hook.body.active !== true)
		throw new Error(`the new subscription and its secret: ${
			JSON.stringify(hook.body)}`);
	const hookId = hook.body.id;
	await call('POST /api/v1/webhooks', { as: admin, body: { ...HOOK,
		url: 'http://modtager.invalid/helhed-hook' }, expect: 400 });
	await call('POST /api/v1/webhooks', { as: admin, body: { ...HOOK,
		url: 'https://bruger:kode@modtager.invalid/' }, expect: 400 });
	await call('POST /api/v1/webhooks', { as: admin, body: { ...HOOK,
		events: ['case.deleted'] }, expect: 400 });
	await call('POST /api/v1/webhooks', { as: admin, body: { ...HOOK,
		events: ['case.submitted', 'case.submitted'] }, expect: 400 });
	await call('POST /api/v1/webhooks', { as: admin, body: { ...HOOK,
		secret: 'whsec_x' }, expect: 400 });
	await call('POST /api/v1/webhooks', { as: admin, body: { url: HOOK.url },
		expect: 400 });
	await call('POST /api/v1/webhooks', { as: manager, body: HOOK, expect: 403 });
	await call('POST /api/v1/webhooks', { body: HOOK, expect: 401 });
	const hooks = await call('GET /api/v1/webhooks', { as: admin, expect: 200 });
	if (!(hooks.body.items || []).some((h) => h.id === hookId && !h.secret))
		throw new Error(`the list lacks the subscription or shows its secret: ${
			JSON.stringify(hooks.body)}`);
	await call('GET /api/v1/webhooks', { as: token('901', 'admin'), expect: 200 });
	await call('GET /api/v1/webhooks', { as: manager, expect: 403 });
	await call('GET /api/v1/webhooks', { expect: 401 });
	// an article's change makes a delivery to the subscription
	const hookArt = { ...art, slug: 'openapi-webhook' };
	await call('POST /api/v1/articles', { as: editor, body: hookArt, expect: 201 });
	await call('DELETE /api/v1/articles/{slug}', { as: editor,
		params: { slug: hookArt.slug }, expect: 200 });
	const sent = await call('GET /api/v1/webhooks/deliveries', { as: admin,
		query: { subscription: hookId, limit: 10 }, expect: 200 });
	if (!(sent.body.items || []).some((d) => d.subscription_id === hookId &&
					   d.type === 'article.changed'))
		throw new Error(`no delivery of article.changed listed: ${
			JSON.stringify(sent.body)}`);
	await call('GET /api/v1/webhooks/deliveries', { as: admin, expect: 200 });
	await call('GET /api/v1/webhooks/deliveries', { as: admin,
		query: { limit: 0 }, expect: 400 });
	await call('GET /api/v1/webhooks/deliveries', { as: admin,
		query: { subscription: 'nej' }, expect: 400 });
	await call('GET /api/v1/webhooks/deliveries', { as: manager, expect: 403 });
	await call('GET /api/v1/webhooks/deliveries', { expect: 401 });
	await call('PATCH /api/v1/webhooks/{id}', { as: admin, params: { id: hookId },
		body: { active: false }, expect: 204 });
	const paused = await call('GET /api/v1/webhooks', { as: admin, expect: 200 });
	if (!(paused.body.items || []).some((h) => h.id === hookId && !h.active))
		throw new Error('the subscription is not paused');
	await call('PATCH /api/v1/webhooks/{id}', { as: admin, params: { id: hookId },
		body: { active: true }, expect: 204 });
	await call('PATCH /api/v1/webhooks/{id}', { as: admin, params: { id: hookId },
		body: { active: 'nej' }, expect: 400 });
	await call('PATCH /api/v1/webhooks/{id}', { as: admin, params: { id: hookId },
		body: { active: true, secret: 'whsec_x' }, expect: 400 });
	// x-hooks2: URL and event types changed, checked as at subscribe
	await call('PATCH /api/v1/webhooks/{id}', { as: admin, params: { id: hookId },
		body: { url: 'https://modtager.invalid/ny', events: HOOK.events },
		expect: 204 });
	await call('PATCH /api/v1/webhooks/{id}', { as: admin, params: { id: hookId },
		body: { url: 'https://10.0.0.1/helhed-hook' }, expect: 400 });
	await call('PATCH /api/v1/webhooks/{id}', { as: admin, params: { id: hookId },
		body: { events: ['case.gone'] }, expect: 400 });
	await call('POST /api/v1/webhooks', { as: admin, body: { ...HOOK,
		url: 'https://169.254.169.254/latest/meta-data' }, expect: 400 });
	// a new secret, shown once
	const rotated = await call('POST /api/v1/webhooks/{id}/secret', { as: admin,
		params: { id: hookId }, expect: 200 });
	if (!/^whsec_/.test(rotated.body.secret || '') ||
	    rotated.body.secret === hook.body.secret)
		throw new Error(`no new secret: ${JSON.stringify(rotated.body)}`);
	await call('POST /api/v1/webhooks/{id}/secret', { as: admin,
		params: { id: 999999 }, expect: 404 });
	await call('POST /api/v1/webhooks/{id}/secret', { as: manager,
		params: { id: hookId }, expect: 403 });
	await call('POST /api/v1/webhooks/{id}/secret', { params: { id: hookId },
		expect: 401 });
	// a test event, listed under the subscription's own deliveries
	const tested = await call('POST /api/v1/webhooks/{id}/test', { as: admin,
		params: { id: hookId }, expect: 202 });
	const own = await call('GET /api/v1/webhooks/{id}/deliveries', { as: admin,
		params: { id: hookId }, query: { limit: 5 }, expect: 200 });
	if (!(own.body.items || []).some((d) => d.id === tested.body.delivery_id &&
					  d.type === 'webhook.test'))
		throw new Error(`the test delivery is not listed: ${
			JSON.stringify(own.body)}`);
	await call('POST /api/v1/webhooks/{id}/test', { as: admin,
		params: { id: 999999 }, expect: 404 });
	await call('POST /api/v1/webhooks/{id}/test', { as: manager,
		params: { id: hookId }, expect: 403 });
	await call('POST /api/v1/webhooks/{id}/test', { params: { id: hookId },
		expect: 401 });
	await call('GET /api/v1/webhooks/{id}/deliveries', { as: admin,
		params: { id: hookId }, query: { limit: 0 }, expect: 400 });
	await call('GET /api/v1/webhooks/{id}/deliveries', { as: admin,
		params: { id: 999999 }, expect: 404 });
	await call('GET /api/v1/webhooks/{id}/deliveries', { as: manager,
		params: { id: hookId }, expect: 403 });
	await call('GET /api/v1/webhooks/{id}/deliveries', { params: { id: hookId },
		expect: 401 });
	await call('PATCH /api/v1/webhooks/{id}', { as: admin, params: { id: 999999 },
		body: { active: false }, expect: 404 });
	await call('PATCH /api/v1/webhooks/{id}', { as: manager, params: { id: hookId },
		body: { active: false }, expect: 403 });
	await call('PATCH /api/v1/webhooks/{id}', { params: { id: hookId },
		body: { active: false }, expect: 401 });
	await call('DELETE /api/v1/webhooks/{id}', { as: manager,
		params: { id: hookId }, expect: 403 });
	await call('DELETE /api/v1/webhooks/{id}', { params: { id: hookId },
		expect: 401 });
	await call('DELETE /api/v1/webhooks/{id}', { as: admin, params: { id: hookId },
		expect: 204 });
	await call('DELETE /api/v1/webhooks/{id}', { as: admin, params: { id: hookId },
		expect: 404 });
	const gone = await call('GET /api/v1/webhooks/deliveries', { as: admin,
		query: { subscription: hookId }, expect: 200 });
	if ((gone.body.items || []).length)
		throw new Error('a deleted subscription\'s deliveries are still listed');
}
