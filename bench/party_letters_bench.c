/* party_letters_bench.c - what the letters to the parties cost a
 * submission (issue 16, p-letters; docs/parties.md "Letters to the
 * parties").
 *
 *   party_letters_bench DIR N
 *       N durable submissions of a divorce that names a spouse who must
 *       confirm, through hh_case_submit, into two fresh SQLite stores in
 *       DIR made from the same content: one whose case type has the
 *       parties' letter templates (content/letter-templates/
 *       _parties.json: the invitation is laid out as PDF and queued as a
 *       Digital Post message inside the submission's write transaction)
 *       and its peer without them (the same submission, case, party row
 *       and events, no letter). The two alternate in blocks of 20 so that
 *       the disk's ups and downs hit both alike. Wall-clock time per
 *       submission, p50 and p90, and the difference.
 *
 * Each submission is by another applicant (a citizen names at most 10
 * parties a day), all naming the same spouse. Run from the repository
 * root (it reads content/letter-templates/_parties.json). Benchmarks
 * print figures; nothing here asserts. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/cases.h"
#include "domain/content.h"
#include "domain/vault.h"
#include "store/store.h"

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "party_letters_bench: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	exit(1);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void put(const char *dir, const char *rel, const char *text)
{
	char p[8192];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		die("cannot write", p);
}

static const char *const orgs_json =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\","
	"  \"cvr\":\"29180101\"},"
	" {\"code\":\"fam\",\"name\":\"Familieretshuset\",\"kind\":\"agency\","
	"  \"cvr\":\"39180303\",\"contact\":{\"phone\":\"70 00 00 11\","
	"  \"email\":\"kontakt@familieretshuset.demo\",\"address\":\"Lindegade 3\","
	"  \"postcode\":\"5000\",\"city\":\"Odense C\"}}]";

static const char *const ct_json =
	"{\"name\":\"Ansøgning om skilsmisse\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"awaiting_parties\",\"label\":\"Afventer ægtefællen\","
	"   \"paused\":true},"
	"  {\"key\":\"declined\",\"label\":\"Ikke bekræftet\",\"final\":true}],"
	" \"transitions\":[],"
	" \"parties\":[{\"role\":\"spouse\",\"label\":\"Ægtefælle\","
	"   \"cpr_field\":\"partner_cpr\",\"confirm\":true,\"within\":\"P30D\","
	"   \"shared\":[\"vielsesdato\"]}],"
	" \"confirm_state\":\"awaiting_parties\",\"declined_state\":\"declined\","
	" \"form\":{\"title\":\"Skilsmisse\",\"fields\":["
	"  {\"name\":\"vielsesdato\",\"label\":\"Vielsesdato\",\"type\":\"date\"},"
	"  {\"name\":\"partner_cpr\",\"label\":\"Ægtefællens CPR-nummer\","
	"   \"type\":\"cpr\",\"required\":true}]}}";

#define SPOUSE_CPR "150482-1001"

/* The i-th applicant's CPR number: a valid date, another for each i. */
static void applicant_cpr(int i, char out[16])
{
	snprintf(out, 16, "%02d%02d%02d-%04d", 1 + i % 28, 1 + (i / 28) % 12,
		 60 + (i / 336) % 40, (2000 + i / 13440) % 10000);
}

static struct hh_store *make_store(const char *dir, const char *name, int letters,
				   int n)
{
	char content[4096], cmd[24576], path[4200];
	snprintf(content, sizeof(content), "%s/%s-content", dir, name);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s/case-types' "
		 "'%s/letter-templates'%s%s%s",
		 content, content, content,
		 letters ? " && cp content/letter-templates/_parties.json '" : "",
		 letters ? content : "", letters ? "/letter-templates/'" : "");
	if (system(cmd))
		die("cannot make", content);
	put(content, "organisations.json", orgs_json);
	put(content, "case-types/parskab.json", ct_json);
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_printf(&b, "[{\"id\":\"spouse\",\"name\":\"Jens Jensen\",\"cpr\":\"%s\","
		      "\"municipality\":\"901\",\"address\":\"Lindevej 7\","
		      "\"postcode\":\"4100\",\"city\":\"Nordskov\"}",
		      SPOUSE_CPR);
	for (int i = 0; i < n; i++) {
		char cpr[16];
		applicant_cpr(i, cpr);
		hh_buf_printf(&b, ",{\"id\":\"a%d\",\"name\":\"Ansøger %d\",\"cpr\":\"%s\","
			      "\"municipality\":\"901\"}",
			      i, i, cpr);
	}
	hh_buf_puts(&b, "]");
	hh_buf_putc(&b, '\0');
	put(content, "citizens.json", b.data);
	hh_buf_clear(&b);
	snprintf(path, sizeof(path), "%s/%s.db", dir, name);
	snprintf(cmd, sizeof(cmd), "rm -f '%s' '%s'-* '%s.keys'", path, path, path);
	if (system(cmd))
		die("cannot remove", path);
	struct hh_store *st;
	if (hh_store_open_sqlite(path, 1, &st) != HH_OK)
		die("cannot open", path);
	if (st->migrate(st->cls, NULL) != HH_OK)
		die("cannot migrate", path);
	char err[1024];
	if (hh_vault_start(st, NULL, path, err, sizeof(err)) != HH_OK)
		die("cannot seal CPR numbers", err);
	struct hh_import_stats stats;
	FILE *devnull = fopen("/dev/null", "w");
	if (hh_content_import(st, content, 1, devnull, NULL, NULL, &stats) != HH_OK)
		die("cannot import", content);
	fclose(devnull);
	return st;
}

struct who_ctx {
	struct hh_arena *a;
	const char *subject;
	int64_t id, org;
};

static enum hh_rc who_tx(struct hh_tx *tx, void *p)
{
	struct who_ctx *x = p;
	struct hh_citizen z;
	enum hh_rc rc = tx->store->citizen_get_by_subject(tx, x->a, x->subject, &z);
	x->id = z.id;
	x->org = z.municipality_id;
	return rc;
}

/* One submission by applicant i; its wall-clock time in microseconds. */
static int64_t submit_one(struct hh_store *st, int i)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct who_ctx w = { &a, hh_arena_printf(&a, "demo:a%d", i), 0, 0 };
	if (hh_store_run_tx(st, 0, who_tx, &w) != HH_OK)
		die("no applicant", w.subject);
	json_t *v = json_pack("{s:s, s:s}", "vielsesdato", "2010-06-12", "partner_cpr",
			      SPOUSE_CPR);
	struct hh_submission sub = {
		.case_type = "parskab", .citizen_id = w.id, .municipality_id = w.org,
		.values = v,
		.actor = hh_arena_printf(&a, "citizen:%lld", (long long)w.id),
		.loa = HH_LOA_SUBSTANTIAL,
	};
	struct hh_form_result res;
	memset(&res, 0, sizeof(res));
	struct hh_case out;
	int replayed;
	const char *why;
	int64_t t0 = hh_now_us();
	enum hh_rc rc = hh_case_submit(st, &a, &sub, &res, &out, &replayed, &why, NULL);
	int64_t t = hh_now_us() - t0;
	if (rc != HH_OK)
		die("submission failed", res.n_errors ? res.errors[0].message
						      : hh_rc_name(rc));
	json_decref(res.values);
	json_decref(v);
	hh_arena_clear(&a);
	return t;
}

static void report(const char *label, int64_t *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_i64);
	printf("  %-44s p50 %6.2f ms  p90 %6.2f ms\n", label, t[n / 2] / 1000.0,
	       t[n * 9 / 10] / 1000.0);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		die("usage: party_letters_bench DIR N", NULL);
	const char *dir = argv[1];
	int n = atoi(argv[2]);
	if (n < 20 || n > 10000)
		die("N must be 20 to 10000", NULL);
	hh_log_set_level(HH_LOG_ERROR); /* the peer logs each missing template */
	struct hh_store *with = make_store(dir, "letters", 1, n);
	struct hh_store *without = make_store(dir, "peer", 0, n);
	int64_t *tw = hh_xcalloc((size_t)n, sizeof(*tw));
	int64_t *to = hh_xcalloc((size_t)n, sizeof(*to));
	for (int i = 0; i < n; i += 20)
		for (int side = 0; side < 2; side++)
			for (int k = i; k < i + 20 && k < n; k++) {
				if (side == 0)
					tw[k] = submit_one(with, k);
				else
					to[k] = submit_one(without, k);
			}
	printf("party letters: %d durable submissions naming a spouse who confirms "
	       "(SQLite, WAL, synchronous=FULL)\n", n);
	int64_t sw = 0, so = 0;
	for (int i = 0; i < n; i++) {
		sw += tw[i];
		so += to[i];
	}
	report("with the invitation letter (PDF + message)", tw, n);
	report("peer: the same, no letter template", to, n);
	printf("  mean difference: %.2f ms a submission (%.2fx the peer)\n",
	       (double)(sw - so) / n / 1000.0, so ? (double)sw / (double)so : 0.0);
	free(tw);
	free(to);
	hh_store_close(with);
	hh_store_close(without);
	return 0;
}
