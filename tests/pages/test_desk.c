/* test_desk.c - the agent's desk page, /borgerservice, over real HTTP:
 * who gets it (an agent; an editor the Danish 403 page; anonymous the
 * sign-in), the keyboard shortcuts and labels, logging a contact as a
 * plain form post (303 to a receipt; no outcome or no CSRF token: a
 * Danish message and nothing written), the CPR look-up (a wrong number
 * gets a Danish message, the number never in a URL), the citizen's
 * history (another municipality's citizen is not shown), a transfer
 * queued and closed from the page, and the staff navigation link. */
#include "testutil.h"

#include <sys/stat.h>

#include "domain/desk.h"

struct ctx {
	struct tu_server s;
	char agent[200], csrf[80];     /* agent@901 */
	char editor[200], ecsrf[80];   /* editor@901 */
	int64_t anna_id, bo_id;
};

static int64_t citizen_id(struct ctx *c, const char *subject)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_citizen z;
	struct hh_tx *tx = tu_read_begin(c->s.store);
	assert_int_equal(c->s.store->citizen_get_by_subject(tx, &a, subject, &z),
			 HH_OK);
	tu_read_end(tx);
	hh_arena_clear(&a);
	return z.id;
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 1);
	char dir[4200], path[4300];
	snprintf(dir, sizeof(dir), "%s/more", c->s.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/organisations.json", dir);
	tu_write(path,
		 "[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
		 "{\"code\":\"902\",\"name\":\"Åstrup Kommune\",\"kind\":\"municipality\"}]");
	snprintf(path, sizeof(path), "%s/citizens.json", dir);
	tu_write(path,
		 "[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
		 "  \"municipality\":\"901\"},"
		 " {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
		 "  \"municipality\":\"902\"}]");
	snprintf(path, sizeof(path), "%s/teams.json", dir);
	tu_write(path,
		 "{\"901\":{\"teams\":[{\"code\":\"ydelser\",\"name\":\"Ydelser og pension\"}],"
		 "\"transfer_reasons\":[{\"code\":\"kraever-sagsbehandler\","
		 "\"label\":\"Kræver en sagsbehandlers vurdering\"}]}}");
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	tu_login(&c->s, "agent@901", c->agent, sizeof(c->agent), c->csrf,
		 sizeof(c->csrf));
	tu_login(&c->s, "editor@901", c->editor, sizeof(c->editor), c->ecsrf,
		 sizeof(c->ecsrf));
	c->anna_id = citizen_id(c, "demo:anna");
	c->bo_id = citizen_id(c, "demo:bo");
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	tu_server_stop(&c->s);
	free(c);
	return 0;
}

static struct tu_resp get(struct ctx *c, const char *cookie, const char *path)
{
	return tu_call(c->s.base, cookie, NULL, "GET", path, NULL, NULL);
}

static struct tu_resp post(struct ctx *c, const char *path, const char *body)
{
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded",
			       NULL };
	return tu_call(c->s.base, c->agent, NULL, "POST", path, body, form);
}

static const char *location(struct tu_resp *r, char *buf, size_t n)
{
	assert_true(tu_header(r, "Location", buf, n));
	return buf;
}

static enum hh_rc no_row(void *p, const struct hh_inquiry *q)
{
	(void)p;
	(void)q;
	return HH_OK;
}

static int64_t n_inquiries(struct ctx *c)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_inquiry_filter f = { 0 };
	int64_t total = 0;
	struct hh_tx *tx = tu_read_begin(c->s.store);
	assert_int_equal(c->s.store->inquiry_list(tx, &a, &f, 0, 1, &total,
						  no_row, NULL),
			 HH_OK);
	tu_read_end(tx);
	hh_arena_clear(&a);
	return total;
}

static void t_who_gets_the_desk(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, c->agent, "/borgerservice");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<h1>Borgerservice</h1>"));
	/* the outcomes with their shortcuts, labelled; documented below */
	for (int k = 1; k <= 4; k++) {
		char want[64];
		snprintf(want, sizeof(want), "accesskey=\"%d\" required", k);
		assert_non_null(strstr(r.body, want));
		snprintf(want, sizeof(want), "<label for=\"udfald-%d\">", k);
		assert_non_null(strstr(r.body, want));
	}
	assert_non_null(strstr(r.body, "Tastaturgenveje"));
	assert_non_null(strstr(r.body, "<label for=\"cpr\">CPR-nummer</label>"));
	assert_non_null(strstr(r.body, "name=\"csrf\""));
	/* the navigation links the desk for an agent */
	assert_non_null(strstr(r.body, "<a href=\"/borgerservice\">Borgerservice</a>"));
	tu_resp_free(&r);
	r = get(c, c->editor, "/borgerservice");
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "Ingen adgang"));
	tu_resp_free(&r);
	r = get(c, c->editor, "/personale");
	assert_null(strstr(r.body, "<a href=\"/borgerservice\">"));
	tu_resp_free(&r);
	char loc[256];
	r = get(c, NULL, "/borgerservice");
	assert_int_equal(r.status, 303);
	assert_string_equal(location(&r, loc, sizeof(loc)), "/log-ind");
	tu_resp_free(&r);
}

static void t_log_a_contact(void **state)
{
	struct ctx *c = *state;
	char body[400], loc[256];
	int64_t before = n_inquiries(c);
	/* no outcome: a Danish message, nothing written */
	snprintf(body, sizeof(body), "csrf=%s&kanal=phone", c->csrf);
	struct tu_resp r = post(c, "/borgerservice/henvendelse", body);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "Vælg et udfald"));
	tu_resp_free(&r);
	/* no CSRF token: refused */
	r = post(c, "/borgerservice/henvendelse", "udfald=resolved_first_contact");
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	/* a transfer without a reason: said so, the choice kept */
	snprintf(body, sizeof(body), "csrf=%s&udfald=transferred&til=team%%3Aydelser",
		 c->csrf);
	r = post(c, "/borgerservice/henvendelse", body);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "Vælg en årsag"));
	assert_non_null(strstr(r.body, "value=\"team:ydelser\" selected"));
	tu_resp_free(&r);
	assert_int_equal(n_inquiries(c), before);
	/* only the outcome: logged, redirected to the receipt */
	snprintf(body, sizeof(body), "csrf=%s&udfald=resolved_first_contact", c->csrf);
	r = post(c, "/borgerservice/henvendelse", body);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(location(&r, loc, sizeof(loc)), "/borgerservice?logget="));
	tu_resp_free(&r);
	assert_int_equal(n_inquiries(c), before + 1);
	r = get(c, c->agent, loc);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Henvendelsen er registreret"));
	tu_resp_free(&r);
	/* a transfer to a team: in our receiving queue, closed from there */
	snprintf(body, sizeof(body),
		 "csrf=%s&udfald=transferred&kanal=counter&til=team%%3Aydelser"
		 "&aarsag=kraever-sagsbehandler&note=Sp%%C3%%B8rger+om+pension",
		 c->csrf);
	r = post(c, "/borgerservice/henvendelse", body);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
	r = get(c, c->agent, "/borgerservice");
	const char *item = strstr(r.body, "id=\"viderestilling-");
	assert_non_null(item);
	assert_non_null(strstr(r.body, "Spørger om pension"));
	long long tid = strtoll(item + strlen("id=\"viderestilling-"), NULL, 10);
	tu_resp_free(&r);
	char path[128];
	snprintf(path, sizeof(path), "/borgerservice/viderestilling/%lld", tid);
	snprintf(body, sizeof(body), "csrf=%s&handling=loest", c->csrf);
	r = post(c, path, body);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
	r = get(c, c->agent, "/borgerservice");
	assert_null(strstr(r.body, "id=\"viderestilling-"));
	assert_non_null(strstr(r.body, "Ingen henvendelser venter"));
	tu_resp_free(&r);
	r = post(c, path, body);
	assert_int_equal(r.status, 409);
	tu_resp_free(&r);
}

/* The receiver's other results from the page: a case number is needed
 * for "case created"; onwards to another organisation leaves our queue. */
static void t_close_a_transfer_onwards(void **state)
{
	struct ctx *c = *state;
	char body[400];
	snprintf(body, sizeof(body),
		 "csrf=%s&udfald=transferred&til=team%%3Aydelser"
		 "&aarsag=kraever-sagsbehandler", c->csrf);
	struct tu_resp r = post(c, "/borgerservice/henvendelse", body);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
	r = get(c, c->agent, "/borgerservice");
	const char *item = strstr(r.body, "id=\"viderestilling-");
	assert_non_null(item);
	long long tid = strtoll(item + strlen("id=\"viderestilling-"), NULL, 10);
	char want[64];
	snprintf(want, sizeof(want), "<label for=\"resultat-%lld\">Resultat</label>", tid);
	assert_non_null(strstr(r.body, want));
	assert_non_null(strstr(r.body, "<option value=\"org:902\">Åstrup Kommune</option>"));
	tu_resp_free(&r);
	char path[128];
	snprintf(path, sizeof(path), "/borgerservice/viderestilling/%lld", tid);
	snprintf(body, sizeof(body), "csrf=%s&handling=afslut&resultat=case_created",
		 c->csrf);
	r = post(c, path, body);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "sagsnummeret"));
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&handling=afslut&resultat=transferred"
				     "&til=org%%3A902&aarsag=findes-ikke", c->csrf);
	r = post(c, path, body);
	assert_int_equal(r.status, 400);
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&handling=afslut&resultat=transferred"
				     "&til=org%%3A902&aarsag=kraever-sagsbehandler", c->csrf);
	r = post(c, path, body);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
	r = get(c, c->agent, "/borgerservice?ok=afslut");
	assert_non_null(strstr(r.body, "Viderestillingen er afsluttet."));
	assert_null(strstr(r.body, "id=\"viderestilling-"));
	tu_resp_free(&r);
}

static void t_find_the_citizen(void **state)
{
	struct ctx *c = *state;
	char body[300];
	/* a wrong CPR number: a Danish message, the number kept to correct */
	snprintf(body, sizeof(body), "csrf=%s&cpr=320761-4285", c->csrf);
	struct tu_resp r = post(c, "/borgerservice/opslag", body);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "CPR-nummeret er ikke gyldigt"));
	assert_non_null(strstr(r.body, "value=\"320761-4285\""));
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&cpr=0707614285", c->csrf);
	r = post(c, "/borgerservice/opslag", body);
	assert_int_equal(r.status, 200);
	char want[128];
	snprintf(want, sizeof(want), "href=\"/borgerservice?borger=%lld\">Anna Andersen",
		 (long long)c->anna_id);
	assert_non_null(strstr(r.body, want));
	/* the full number is not shown in the list, nor kept in the field */
	assert_null(strstr(r.body, "4285"));
	tu_resp_free(&r);
	/* another municipality's citizen: not found */
	snprintf(body, sizeof(body), "csrf=%s&navn=Bo+Berg", c->csrf);
	r = post(c, "/borgerservice/opslag", body);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Ingen borger fundet"));
	tu_resp_free(&r);
	/* the history: audited, with the earlier inquiry */
	char path[128];
	snprintf(body, sizeof(body), "csrf=%s&borger=%lld&udfald=resolved_first_contact"
				     "&note=Om+flytning",
		 c->csrf, (long long)c->anna_id);
	r = post(c, "/borgerservice/henvendelse", body);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/borgerservice?borger=%lld", (long long)c->anna_id);
	r = get(c, c->agent, path);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Borger: Anna Andersen"));
	assert_non_null(strstr(r.body, "Om flytning"));
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/borgerservice?borger=%lld", (long long)c->bo_id);
	r = get(c, c->agent, path);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "Bo Berg"));
	assert_non_null(strstr(r.body, "Borgeren findes ikke"));
	tu_resp_free(&r);
}

static void t_assisted_form(void **state)
{
	struct ctx *c = *state;
	struct hh_tx *tx;
	assert_int_equal(c->s.store->tx_begin(c->s.store->cls, 1, &tx), HH_OK);
	struct hh_case_type ct = {
		.code = "hjaelp", .organisation = "municipality", .name = "Hjælp",
		.public = 1,
		.definition =
			"{\"name\":\"Ansøgning om hjælp\",\"organisation\":"
			"\"municipality\",\"deadline\":\"P30D\",\"public\":true,"
			"\"initial\":\"received\",\"states\":[{\"key\":\"received\","
			"\"label\":\"Modtaget\"}],\"transitions\":[],\"form\":"
			"{\"title\":\"Hjælp\",\"fields\":[{\"name\":\"antal\","
			"\"label\":\"Hvor mange?\",\"type\":\"number\",\"required\":true,"
			"\"min\":1,\"max\":20}]}}" };
	assert_int_equal(c->s.store->case_type_put(tx, &ct), HH_OK);
	assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
	char path[160], body[300], loc[256];
	/* offered with the citizen */
	snprintf(path, sizeof(path), "/borgerservice?borger=%lld", (long long)c->anna_id);
	struct tu_resp r = get(c, c->agent, path);
	assert_non_null(strstr(r.body, "<option value=\"hjaelp\">"));
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/borgerservice/blanket?borger=%lld&type=hjaelp",
		 (long long)c->anna_id);
	r = get(c, c->agent, path);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<label for=\"felt-antal\">Hvor mange?</label>"));
	assert_non_null(strstr(r.body, "<label for=\"samtykke\">Borgeren har givet "
				       "samtykke til, at Borgerservice udfylder "
				       "ansøgningen</label>"));
	tu_resp_free(&r);
	/* another municipality's citizen: not found */
	snprintf(path, sizeof(path), "/borgerservice/blanket?borger=%lld&type=hjaelp",
		 (long long)c->bo_id);
	r = get(c, c->agent, path);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	/* without the consent ticked: said so, nothing sent */
	snprintf(body, sizeof(body), "csrf=%s&borger=%lld&type=hjaelp&noegle=n1&antal=2",
		 c->csrf, (long long)c->anna_id);
	r = post(c, "/borgerservice/blanket", body);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "Sæt flueben"));
	assert_non_null(strstr(r.body, "value=\"2\""));
	tu_resp_free(&r);
	/* a wrong value: the field says why */
	snprintf(body, sizeof(body),
		 "csrf=%s&borger=%lld&type=hjaelp&noegle=n1&antal=99&samtykke=ja",
		 c->csrf, (long long)c->anna_id);
	r = post(c, "/borgerservice/blanket", body);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "id=\"felt-antal-fejl\""));
	tu_resp_free(&r);
	snprintf(body, sizeof(body),
		 "csrf=%s&borger=%lld&type=hjaelp&noegle=n1&antal=2&samtykke=ja",
		 c->csrf, (long long)c->anna_id);
	r = post(c, "/borgerservice/blanket", body);
	assert_int_equal(r.status, 303);
	location(&r, loc, sizeof(loc));
	const char *sag = strstr(loc, "sag=");
	assert_non_null(sag);
	long long case_id = strtoll(sag + 4, NULL, 10);
	tu_resp_free(&r);
	r = get(c, c->agent, loc);
	assert_non_null(strstr(r.body, "Ansøgningen er sendt som sag nr."));
	tu_resp_free(&r);
	/* the case page says Borgerservice helped, and the consent */
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld", case_id);
	r = get(c, c->agent, path);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Udfyldt sammen med Borgerservice"));
	assert_non_null(strstr(r.body, "Borgeren har givet samtykke til, at "
				       "Borgerservice udfylder ansøgningen."));
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_who_gets_the_desk, setup, teardown),
		cmocka_unit_test_setup_teardown(t_log_a_contact, setup, teardown),
		cmocka_unit_test_setup_teardown(t_close_a_transfer_onwards, setup, teardown),
		cmocka_unit_test_setup_teardown(t_find_the_citizen, setup, teardown),
		cmocka_unit_test_setup_teardown(t_assisted_form, setup, teardown),
	};
	return cmocka_run_group_tests_name("pages/desk", tests, NULL, NULL);
}
