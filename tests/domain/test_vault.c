/* test_vault.c - CPR numbers at rest: sealed in the store, opened through
 * the domain, found by their keyed hash, keys rotated (also when a
 * rotation stops halfway), and nothing of them in an export. */
#include "cases_fixture.h"

#include <sys/stat.h>

#include "domain/auth.h"
#include "domain/citizens.h"
#include "domain/content.h"
#include "domain/cpr.h"
#include "domain/vault.h"
#include "domain/vault_int.h"

/* The CPR numbers the tests store: the fixture's citizens', a partner's
 * in a field of type cpr and one typed into a text field. */
static const char *const cprs[] = { "070761-4285", "010190-1234", "020202-2222",
				    "150482-1001", "311299-4009" };
#define N_CPRS (sizeof(cprs) / sizeof(cprs[0]))

static char *path_in(const char *dir, const char *name)
{
	char p[4300];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return hh_xstrdup(p);
}

/* The bytes of a file (size in *n; NULL, 0 when there is none). */
static unsigned char *file_bytes(const char *path, size_t *n)
{
	*n = 0;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	struct hh_buf b;
	hh_buf_init(&b);
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		hh_buf_append(&b, chunk, k);
	fclose(fp);
	*n = b.len;
	return (unsigned char *)hh_buf_steal(&b);
}

/* How many of the CPR numbers appear in clear in the database's files
 * (the file, its WAL and shared memory), in either written form: 10
 * digits, or with the dash. *sealed gets 1 when a sealed value is seen. */
static int clear_cprs_in(const char *dir, int *sealed)
{
	static const char *const files[] = { "helhed.db", "helhed.db-wal",
					     "helhed.db-shm" };
	int found = 0;
	*sealed = 0;
	for (size_t f = 0; f < 3; f++) {
		char *p = path_in(dir, files[f]);
		size_t n;
		unsigned char *bytes = file_bytes(p, &n);
		free(p);
		if (!bytes)
			continue;
		if (memmem(bytes, n, "v1:", 3))
			*sealed = 1;
		for (size_t i = 0; i < N_CPRS; i++) {
			char digits[11];
			memcpy(digits, cprs[i], 6);
			memcpy(digits + 6, cprs[i] + 7, 5);
			if (memmem(bytes, n, cprs[i], 11) || memmem(bytes, n, digits, 10)) {
				fprintf(stderr, "  %s in clear in %s\n", cprs[i], files[f]);
				found++;
			}
		}
		free(bytes);
	}
	return found;
}

/* ---- the vault on its own ---------------------------------------------- */

static void sealed_values_open_to_what_was_sealed(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char *kf = path_in(dir, "keys");
	struct hh_vault *v;
	char err[512];
	assert_int_equal(hh_vault_create(kf, &v, err, sizeof(err)), HH_OK);
	struct stat sb;
	assert_int_equal(stat(kf, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	struct hh_arena a;
	hh_arena_init(&a);
	const char *s1, *s2, *back;
	assert_int_equal(hh_vault_seal(v, &a, "070761-4285", &s1), HH_OK);
	assert_int_equal(hh_vault_seal(v, &a, "070761-4285", &s2), HH_OK);
	/* the form names its key; a fresh nonce each time */
	char want[64];
	snprintf(want, sizeof(want), "v1:%s:", hh_vault_seal_id(v));
	assert_true(!strncmp(s1, want, strlen(want)));
	assert_string_not_equal(s1, s2);
	assert_null(strstr(s1, "070761"));
	assert_int_equal(hh_vault_open(v, &a, s1, &back), HH_OK);
	assert_string_equal(back, "070761-4285");
	assert_int_equal(hh_vault_open(v, &a, s2, &back), HH_OK);
	assert_string_equal(back, "070761-4285");
	/* one character changed: it does not open */
	char *bad = hh_arena_strdup(&a, s1);
	size_t last = strlen(bad) - 1;
	bad[last] = bad[last] == 'A' ? 'B' : 'A';
	assert_int_equal(hh_vault_open(v, &a, bad, &back), HH_ERR_INVALID);
	/* the hash is of the digits, whichever way they are written */
	unsigned char h1[32], h2[32], h3[32];
	assert_int_equal(hh_vault_cpr_hash(v, 0, "070761-4285", h1), HH_OK);
	assert_int_equal(hh_vault_cpr_hash(v, 0, "0707614285", h2), HH_OK);
	assert_int_equal(hh_vault_cpr_hash(v, 0, "010190-1234", h3), HH_OK);
	assert_memory_equal(h1, h2, 32);
	assert_memory_not_equal(h1, h3, 32);
	assert_int_equal(hh_vault_cpr_hash(v, 0, "not a cpr", h3), HH_ERR_NOT_FOUND);
	assert_int_equal(hh_vault_cpr_hash(v, 1, "070761-4285", h3), HH_ERR_NOT_FOUND);
	/* loading the file gives the same keys */
	struct hh_vault *w;
	assert_int_equal(hh_vault_load(kf, &w, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_vault_open(w, &a, s1, &back), HH_OK);
	assert_string_equal(back, "070761-4285");
	assert_int_equal(hh_vault_cpr_hash(w, 0, "070761-4285", h2), HH_OK);
	assert_memory_equal(h1, h2, 32);
	hh_vault_free(w);
	hh_vault_free(v);
	hh_arena_clear(&a);
	free(kf);
	tu_rmdir(dir);
}

static void a_wrong_key_cannot_open(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char *k1 = path_in(dir, "k1"), *k2 = path_in(dir, "k2"),
	     *k3 = path_in(dir, "k3");
	struct hh_vault *v, *other, *same_ids;
	char err[512];
	assert_int_equal(hh_vault_create(k1, &v, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_vault_create(k2, &other, err, sizeof(err)), HH_OK);
	struct hh_arena a;
	hh_arena_init(&a);
	const char *s, *back = NULL;
	assert_int_equal(hh_vault_seal(v, &a, "150482-1001", &s), HH_OK);
	/* another key file: its keys have other ids */
	assert_int_equal(hh_vault_open(other, &a, s, &back), HH_ERR_NOT_FOUND);
	/* a key file naming the same ids with other keys: no match */
	char text[512];
	snprintf(text, sizeof(text),
		 "seal %s AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= current\n"
		 "hash %s AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= current\n",
		 hh_vault_seal_id(v), hh_vault_hash_id(v));
	tu_write(k3, text);
	chmod(k3, 0600);
	assert_int_equal(hh_vault_load(k3, &same_ids, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_vault_open(same_ids, &a, s, &back), HH_ERR_INVALID);
	assert_null(back);
	hh_vault_free(same_ids);
	hh_vault_free(other);
	hh_vault_free(v);
	hh_arena_clear(&a);
	free(k1);
	free(k2);
	free(k3);
	tu_rmdir(dir);
}

static void the_key_file_must_be_private_and_well_formed(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char *kf = path_in(dir, "keys");
	struct hh_vault *v;
	char err[512];
	assert_int_equal(hh_vault_load(kf, &v, err, sizeof(err)), HH_ERR_NOT_FOUND);
	assert_int_equal(hh_vault_create(kf, &v, err, sizeof(err)), HH_OK);
	hh_vault_free(v);
	/* never over an existing one */
	assert_int_equal(hh_vault_create(kf, &v, err, sizeof(err)), HH_ERR_CONFLICT);
	assert_int_equal(chmod(kf, 0644), 0);
	assert_int_equal(hh_vault_load(kf, &v, err, sizeof(err)), HH_ERR_FORBIDDEN);
	assert_non_null(strstr(err, "chmod 600"));
	assert_int_equal(chmod(kf, 0640), 0);
	assert_int_equal(hh_vault_load(kf, &v, err, sizeof(err)), HH_ERR_FORBIDDEN);
	assert_int_equal(chmod(kf, 0400), 0);
	assert_int_equal(hh_vault_load(kf, &v, err, sizeof(err)), HH_OK);
	hh_vault_free(v);
	static const char *const bad[] = {
		"seal a1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= current\n", /* no hash key */
		"seal a1 AAAA current\nhash b1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= current\n",
		"seal a1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= current\n"
		"seal a2 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= current\n"
		"hash b1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= current\n",
		"box a1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= current\n",
	};
	char *bf = path_in(dir, "bad");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unlink(bf);
		tu_write(bf, bad[i]);
		chmod(bf, 0600);
		assert_int_equal(hh_vault_load(bf, &v, err, sizeof(err)), HH_ERR_INVALID);
	}
	free(bf);
	free(kf);
	tu_rmdir(dir);
}

static void cpr_numbers_in_case_data_are_sealed_in_every_form(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char *kf = path_in(dir, "keys");
	struct hh_vault *v;
	char err[512];
	assert_int_equal(hh_vault_create(kf, &v, err, sizeof(err)), HH_OK);
	struct hh_arena a;
	hh_arena_init(&a);
	const char *data =
		"{\"a\":\"0707614285\",\"b\":\"070761-4285\",\"c\":\"070761 4285\","
		"\"fake\":\"v1:x:AAAA\",\"n\":650050,\"tekst\":\"hej 070761\","
		"\"besked\":\"Min datters CPR er 010190-1234.\","
		"\"tal\":\"konto 12340101901234 og 0101901234567\","
		"\"valg\":[\"150482-1001\",\"ja\"],\"fil\":{\"name\":\"311299-4009\"}}";
	const char *sealed, *opened;
	assert_int_equal(hh_vault_seal_data(v, &a, data, &sealed), HH_OK);
	assert_null(strstr(sealed, "0707614285"));
	assert_null(strstr(sealed, "070761-4285"));
	assert_null(strstr(sealed, "070761 4285"));
	assert_null(strstr(sealed, "150482"));
	assert_null(strstr(sealed, "311299"));
	assert_null(strstr(sealed, "v1:x:AAAA")); /* a look-alike is sealed too */
	assert_null(strstr(sealed, "010190-1234")); /* a CPR among words */
	/* longer digit runs are no CPR number: left as they are */
	assert_non_null(strstr(sealed, "konto 12340101901234 og 0101901234567"));
	assert_non_null(strstr(sealed, "\"n\":650050"));
	assert_non_null(strstr(sealed, "\"tekst\":\"hej 070761\"")); /* no CPR */
	assert_int_equal(hh_vault_open_data(v, &a, sealed, &opened), HH_OK);
	assert_string_equal(opened, data);
	/* nothing to seal: the same text, not a copy */
	const char *plain = "{\"navn\":\"Anna\",\"antal\":2}";
	assert_ptr_equal((hh_vault_seal_data(v, &a, plain, &sealed), sealed), plain);
	assert_ptr_equal((hh_vault_open_data(v, &a, plain, &opened), opened), plain);
	hh_vault_free(v);
	hh_arena_clear(&a);
	free(kf);
	tu_rmdir(dir);
}

/* ---- in the store -------------------------------------------------------- */

/* The case fixture's content imported into a store that seals from the
 * start (the key file made beside the database). */
static int setup_sealed(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 4);
	char *db = path_in(f->dir, "helhed.db");
	char err[1024];
	assert_int_equal(hh_vault_start(f->st, NULL, db, err, sizeof(err)), HH_OK);
	free(db);
	hh_arena_init(&f->a);
	char content[4300];
	snprintf(content, sizeof(content), "%s/content", f->dir);
	write_content(content);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(f->st, content, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.citizens, 3);
	f->fam = org_id(f, "fam");
	f->anna = citizen_id(f, "demo:anna");
	f->bo = citizen_id(f, "demo:bo");
	f->carl = citizen_id(f, "demo:carl");
	struct hh_actor cw_fam = { .label = "user:1", .org_id = f->fam,
				   .roles = HH_ROLE_CASEWORKER };
	f->cw_fam = cw_fam;
	*state = f;
	return 0;
}

/* Submits a skilsmisse with the partner's CPR number (and a CPR number
 * typed into a text field) as citizen; returns the case id. */
static int64_t submit_with_cpr(struct fx *f, int64_t citizen, const char *partner)
{
	char values[512];
	snprintf(values, sizeof(values),
		 "{\"navn\":\"Anna Andersen\",\"gift\":\"ja\",\"partner_cpr\":\"%s\","
		 "\"begrundelse\":\"311299-4009\"}",
		 partner);
	struct hh_case c;
	int replayed;
	const char *why;
	assert_int_equal(submit_full(f, "skilsmisse", citizen, 0, NULL, values, NULL,
				     NULL, &c, &replayed, &why),
			 HH_OK);
	/* what the domain gives back is in clear (a cpr field keeps the
	 * number as DDMMYY-SSSS, however it was typed) */
	char norm[12];
	assert_true(hh_cpr_check(partner, norm, NULL, 0) <= HH_CPR_OK_NO_MOD11);
	assert_non_null(strstr(c.data, norm));
	assert_non_null(strstr(c.data, "311299-4009"));
	return c.id;
}

static const char *data_field(struct fx *f, const struct hh_case *c,
			      const char *name)
{
	json_t *j = json_loads(c->data, 0, NULL);
	assert_non_null(j);
	const char *s = json_string_value(json_object_get(j, name));
	s = s ? hh_arena_strdup(&f->a, s) : NULL;
	json_decref(j);
	return s;
}

static struct hh_citizen citizen_of(struct fx *f, const char *subject)
{
	struct hh_tx *tx = x_begin(f->st, 0);
	struct hh_citizen c;
	assert_int_equal(f->st->citizen_get_by_subject(tx, &f->a, subject, &c), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	return c;
}

/* Closes the store (its WAL checkpointed into the file) and opens it
 * again with the key file kf (NULL: the one beside the database). */
static void reopen(struct fx *f, const char *kf)
{
	hh_store_close(f->st);
	f->st = tu_store(f->dir, 4);
	if (kf) {
		struct hh_vault *v;
		char err[512];
		assert_int_equal(hh_vault_load(kf, &v, err, sizeof(err)), HH_OK);
		assert_int_equal(hh_vault_attach(f->st, v), HH_OK);
	} else {
		char *db = path_in(f->dir, "helhed.db");
		char err[1024];
		assert_int_equal(hh_vault_start(f->st, NULL, db, err, sizeof(err)),
				 HH_OK);
		free(db);
	}
}

static enum hh_rc one_case(void *p, const struct hh_case *c)
{
	*(struct hh_case *)p = *c;
	return HH_OK;
}

static void the_database_file_holds_no_cpr_in_clear(void **state)
{
	struct fx *f = *state;
	/* a sign-in with a CPR number, as an identity provider gives it */
	struct hh_citizen_login login;
	assert_int_equal(hh_citizen_login(f->st, &f->a, "oidc:dora", "Dora Dahl",
					  "0707614285", "901", &login),
			 HH_OK);
	int64_t id = submit_with_cpr(f, f->anna, "150482-1001");
	int64_t id2 = submit_with_cpr(f, f->bo, "1504821001");
	/* a change writes the data again */
	struct hh_case after;
	assert_int_equal(hh_case_transition(f->st, &f->a, &f->cw_fam, id,
					    "in_progress", 0, NULL, &after, NULL),
			 HH_OK);
	assert_string_equal(data_field(f, &after, "partner_cpr"), "150482-1001");
	int sealed;
	reopen(f, NULL);
	hh_store_close(f->st);
	f->st = NULL;
	assert_int_equal(clear_cprs_in(f->dir, &sealed), 0);
	assert_true(sealed);
	/* through the domain they read as they were written */
	reopen(f, NULL);
	struct hh_case c = get(f, id), c2 = get(f, id2);
	assert_string_equal(data_field(f, &c, "partner_cpr"), "150482-1001");
	assert_string_equal(data_field(f, &c, "begrundelse"), "311299-4009");
	assert_string_equal(data_field(f, &c2, "partner_cpr"), "150482-1001");
	/* p-bench: a list that asks for the data as stored (an invited
	 * party's, which shows no CPR field) gets it sealed, the rest as
	 * written */
	char *ids = hh_arena_printf(&f->a, "[%lld]", (long long)id);
	for (int sealed_list = 0; sealed_list < 2; sealed_list++) {
		struct hh_case_filter q = { .case_ids = ids,
					    .data_sealed = sealed_list };
		struct hh_case row = { 0 };
		struct hh_tx *tx;
		assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
		assert_int_equal(f->st->case_list(tx, &f->a, &q, 0, 1, NULL,
						  one_case, &row),
				 HH_OK);
		assert_int_equal(f->st->tx_commit(tx), HH_OK);
		assert_int_equal(row.id, id);
		const char *cpr = data_field(f, &row, "partner_cpr");
		if (sealed_list) {
			assert_true(hh_vault_is_sealed(cpr));
			assert_null(strstr(row.data, "150482"));
		} else {
			assert_string_equal(cpr, "150482-1001");
		}
		assert_string_equal(data_field(f, &row, "navn"),
				    data_field(f, &c, "navn"));
	}
	assert_string_equal(citizen_of(f, "demo:anna").cpr, "070761-4285");
	assert_string_equal(citizen_of(f, "oidc:dora").cpr, "0707614285");
	/* a sign-in without a CPR number keeps the one known */
	assert_int_equal(hh_citizen_login(f->st, &f->a, "oidc:dora", "Dora Dahl",
					  NULL, NULL, &login),
			 HH_OK);
	assert_string_equal(citizen_of(f, "oidc:dora").cpr, "0707614285");
	/* look-up by the keyed hash, in either written form */
	struct hh_citizen z;
	assert_int_equal(hh_vault_citizen_by_cpr(f->st, &f->a, "0101901234", &z), HH_OK);
	assert_string_equal(z.subject, "demo:bo");
	assert_string_equal(z.cpr, "010190-1234");
	assert_int_equal(hh_vault_citizen_by_cpr(f->st, &f->a, "020202-2222", &z), HH_OK);
	assert_string_equal(z.subject, "demo:carl");
	assert_int_equal(hh_vault_citizen_by_cpr(f->st, &f->a, "150482-1001", &z),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_vault_citizen_by_cpr(f->st, &f->a, "nonsense", &z),
			 HH_ERR_NOT_FOUND);
}

static void a_wrong_key_file_reads_nothing(void **state)
{
	struct fx *f = *state;
	int64_t id = submit_with_cpr(f, f->anna, "150482-1001");
	/* another installation's key file, given by mistake */
	char *other = path_in(f->dir, "other.keys");
	struct hh_vault *v;
	char err[1024];
	assert_int_equal(hh_vault_create(other, &v, err, sizeof(err)), HH_OK);
	hh_vault_free(v);
	hh_store_close(f->st);
	f->st = tu_store(f->dir, 4);
	char *db = path_in(f->dir, "helhed.db");
	assert_int_equal(hh_vault_start(f->st, other, db, err, sizeof(err)),
			 HH_ERR_INVALID);
	assert_non_null(strstr(err, "lacks key"));
	/* and no key file at all: refused, never a new one */
	char *missing = path_in(f->dir, "missing.keys");
	assert_int_equal(hh_vault_start(f->st, missing, db, err, sizeof(err)),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(access(missing, F_OK), -1);
	/* attached anyway, it cannot open the rows: an error, not ciphertext */
	assert_int_equal(hh_vault_load(other, &v, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_vault_attach(f->st, v), HH_OK);
	struct hh_tx *tx = x_begin(f->st, 0);
	struct hh_case c;
	assert_int_equal(f->st->case_get(tx, &f->a, id, &c), HH_ERR_INTERNAL);
	f->st->tx_rollback(tx);
	free(missing);
	free(db);
	free(other);
}

static void rows_stored_in_clear_are_sealed_at_start(void **state)
{
	struct fx *f = *state; /* the fixture's setup: a store without vault */
	struct hh_case c;
	int replayed;
	const char *why;
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL,
				     "{\"navn\":\"Anna\",\"gift\":\"ja\","
				     "\"partner_cpr\":\"150482-1001\"}",
				     NULL, NULL, &c, &replayed, &why),
			 HH_OK);
	hh_store_close(f->st);
	f->st = NULL;
	/* the search finds them while they are clear (so it can fail) */
	int sealed;
	assert_true(clear_cprs_in(f->dir, &sealed) >= 4);
	assert_false(sealed);
	reopen(f, NULL); /* seals them */
	struct hh_vault_progress p;
	assert_int_equal(hh_vault_reseal(f->st, 2, 0, &p), HH_OK);
	assert_int_equal(p.citizens + p.cases, 0); /* nothing left to do */
	assert_true(p.done);
	hh_store_close(f->st);
	f->st = NULL;
	assert_int_equal(clear_cprs_in(f->dir, &sealed), 0);
	assert_true(sealed);
	reopen(f, NULL);
	c = get(f, c.id);
	assert_string_equal(data_field(f, &c, "partner_cpr"), "150482-1001");
	assert_string_equal(citizen_of(f, "demo:anna").cpr, "070761-4285");
	struct hh_citizen z;
	assert_int_equal(hh_vault_citizen_by_cpr(f->st, &f->a, "070761-4285", &z), HH_OK);
	assert_int_equal(z.id, f->anna);
}

/* Every case's data and every citizen's CPR number, as read now. */
struct snapshot {
	size_t n_cases;
	struct hh_case *cases;
	const char *cpr[3];
};

static struct snapshot snap(struct fx *f)
{
	struct snapshot s;
	s.n_cases = all_cases(f, &s.cases);
	s.cpr[0] = citizen_of(f, "demo:anna").cpr;
	s.cpr[1] = citizen_of(f, "demo:bo").cpr;
	s.cpr[2] = citizen_of(f, "demo:carl").cpr;
	return s;
}

static void same(const struct snapshot *a, const struct snapshot *b)
{
	assert_int_equal(a->n_cases, b->n_cases);
	for (size_t i = 0; i < a->n_cases; i++) {
		assert_int_equal(a->cases[i].id, b->cases[i].id);
		assert_int_equal(a->cases[i].version, b->cases[i].version);
		assert_string_equal(a->cases[i].data, b->cases[i].data);
	}
	for (int i = 0; i < 3; i++)
		assert_string_equal(a->cpr[i], b->cpr[i]);
}

static int key_lines(const char *kf, const char *kind)
{
	char *t = tu_read(kf);
	int n = 0;
	for (char *p = t; (p = strstr(p, kind)); p++)
		n += p == t || p[-1] == '\n';
	free(t);
	return n;
}

static void rotation_reseals_everything_and_drops_the_old_key(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 7; i++)
		submit_with_cpr(f, i % 2 ? f->anna : f->bo, "150482-1001");
	struct snapshot before = snap(f);
	assert_int_equal(before.n_cases, 7);
	char *kf = path_in(f->dir, "helhed.db.keys");
	char old_seal[20], old_hash[20];
	snprintf(old_seal, sizeof(old_seal), "%s", hh_vault_seal_id(hh_vault_of(f->st)));
	snprintf(old_hash, sizeof(old_hash), "%s", hh_vault_hash_id(hh_vault_of(f->st)));
	struct hh_vault_rotation r;
	char err[512];
	assert_int_equal(hh_vault_rotate(f->st, 3, 0, &r, err, sizeof(err)), HH_OK);
	assert_true(r.started);
	assert_true(r.dropped);
	assert_true(r.p.done);
	assert_int_equal(r.p.citizens, 3);
	assert_int_equal(r.p.cases, 7);
	assert_string_not_equal(r.seal_id, old_seal);
	assert_string_not_equal(r.hash_id, old_hash);
	/* the key file keeps only the new keys: the old are not needed */
	assert_int_equal(key_lines(kf, "seal "), 1);
	assert_int_equal(key_lines(kf, "hash "), 1);
	char *text = tu_read(kf);
	assert_null(strstr(text, old_seal));
	assert_null(strstr(text, old_hash));
	free(text);
	reopen(f, kf);
	struct snapshot after = snap(f);
	same(&before, &after);
	struct hh_citizen z;
	assert_int_equal(hh_vault_citizen_by_cpr(f->st, &f->a, "010190-1234", &z), HH_OK);
	assert_int_equal(z.id, f->bo);
	/* no row in the file names the old key */
	hh_store_close(f->st);
	f->st = NULL;
	char *db = path_in(f->dir, "helhed.db");
	size_t n;
	unsigned char *bytes = file_bytes(db, &n);
	char old_form[40];
	snprintf(old_form, sizeof(old_form), "v1:%s:", old_seal);
	assert_null(memmem(bytes, n, old_form, strlen(old_form)));
	snprintf(old_form, sizeof(old_form), "v1:%s:", r.seal_id);
	assert_non_null(memmem(bytes, n, old_form, strlen(old_form)));
	free(bytes);
	free(db);
	free(kf);
}

static void an_interrupted_rotation_resumes_and_loses_nothing(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 5; i++)
		submit_with_cpr(f, f->anna, i % 2 ? "150482-1001" : "1504821001");
	struct snapshot before = snap(f);
	char *kf = path_in(f->dir, "helhed.db.keys");
	struct hh_vault_rotation r;
	char err[512];
	/* stopped after one transaction of two rows, as by a kill */
	assert_int_equal(hh_vault_rotate(f->st, 2, 1, &r, err, sizeof(err)), HH_OK);
	assert_true(r.started);
	assert_false(r.p.done);
	assert_false(r.dropped);
	assert_int_equal(r.p.batches, 1);
	assert_int_equal(r.p.citizens, 2);
	/* both keys are in the file; rows are under one or the other */
	assert_int_equal(key_lines(kf, "seal "), 2);
	assert_int_equal(key_lines(kf, "hash "), 2);
	reopen(f, kf); /* attached as it is, nothing sealed on opening */
	struct snapshot mid = snap(f);
	same(&before, &mid);
	struct hh_citizen z;
	/* found whether its hash is under the new key (bo, in the batch
	 * done) or still the old (carl) */
	assert_int_equal(hh_vault_citizen_by_cpr(f->st, &f->a, "010190-1234", &z), HH_OK);
	assert_int_equal(z.id, f->bo);
	assert_int_equal(hh_vault_citizen_by_cpr(f->st, &f->a, "020202-2222", &z), HH_OK);
	assert_int_equal(z.id, f->carl);
	/* run again: it goes on with the same new keys and finishes */
	char seal_id[20];
	snprintf(seal_id, sizeof(seal_id), "%s", r.seal_id);
	assert_int_equal(hh_vault_rotate(f->st, 2, 0, &r, err, sizeof(err)), HH_OK);
	assert_false(r.started);
	assert_string_equal(r.seal_id, seal_id);
	assert_true(r.p.done);
	assert_true(r.dropped);
	assert_int_equal(r.p.citizens, 1);
	assert_int_equal(r.p.cases, 5);
	assert_int_equal(key_lines(kf, "seal "), 1);
	reopen(f, kf);
	struct snapshot after = snap(f);
	same(&before, &after);
	free(kf);
}

static void a_process_with_the_old_key_writes_nothing_after_a_rotation(void **state)
{
	struct fx *f = *state; /* f->st: a server started with the old key */
	submit_with_cpr(f, f->anna, "150482-1001");
	/* rotate-key, another process on the same database */
	struct hh_store *other = tu_store(f->dir, 2);
	char *kf = path_in(f->dir, "helhed.db.keys");
	struct hh_vault *v;
	char err[512];
	assert_int_equal(hh_vault_load(kf, &v, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_vault_attach(other, v), HH_OK);
	struct hh_vault_rotation r;
	assert_int_equal(hh_vault_rotate(other, 10, 0, &r, err, sizeof(err)), HH_OK);
	assert_true(r.dropped);
	/* the old process still reads what it can, but writes nothing a
	 * restart could not read */
	struct hh_case c;
	int replayed;
	const char *why;
	assert_int_equal(submit_full(f, "skilsmisse", f->bo, 0, NULL,
				     "{\"navn\":\"Bo\",\"gift\":\"ja\","
				     "\"partner_cpr\":\"150482-1001\"}",
				     NULL, NULL, &c, &replayed, &why),
			 HH_ERR_INTERNAL);
	struct hh_citizen_login login;
	assert_int_equal(hh_citizen_login(f->st, &f->a, "oidc:eva", "Eva", "010190-1234",
					  NULL, &login),
			 HH_ERR_INTERNAL);
	struct hh_case *all;
	assert_int_equal(tu_cases(other, &f->a, any_case(), &all), 1);
	/* restarted with the key file as it is now, it writes again */
	hh_store_close(other);
	reopen(f, NULL);
	submit_with_cpr(f, f->bo, "150482-1001");
	assert_int_equal(all_cases(f, &all), 2);
	free(kf);
}

static int count_in_tree(const char *dir, const char *needle)
{
	char cmd[4400];
	snprintf(cmd, sizeof(cmd), "grep -rlF -- '%s' '%s' | wc -l", needle, dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static void the_export_carries_no_cpr(void **state)
{
	struct fx *f = *state;
	submit_with_cpr(f, f->anna, "150482-1001");
	char *out = path_in(f->dir, "export");
	int n = 0;
	assert_int_equal(hh_content_export(f->st, out, stderr, &n), HH_OK);
	/* it wrote the content (so the search below has files to look in) */
	assert_true(count_in_tree(out, "Ansøgning om skilsmisse") >= 1);
	for (size_t i = 0; i < N_CPRS; i++) {
		char digits[11];
		memcpy(digits, cprs[i], 6);
		memcpy(digits + 6, cprs[i] + 7, 5);
		digits[10] = 0;
		assert_int_equal(count_in_tree(out, cprs[i]), 0);
		assert_int_equal(count_in_tree(out, digits), 0);
	}
	/* nor sealed: citizens and cases are left out */
	assert_int_equal(count_in_tree(out, "v1:"), 0);
	free(out);
}

static int teardown_any(void **state)
{
	struct fx *f = *state;
	if (f->st)
		hh_store_close(f->st);
	hh_arena_clear(&f->a);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

int main(void)
{
	hh_auth_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sealed_values_open_to_what_was_sealed),
		cmocka_unit_test(a_wrong_key_cannot_open),
		cmocka_unit_test(the_key_file_must_be_private_and_well_formed),
		cmocka_unit_test(cpr_numbers_in_case_data_are_sealed_in_every_form),
		cmocka_unit_test_setup_teardown(the_database_file_holds_no_cpr_in_clear,
						setup_sealed, teardown_any),
		cmocka_unit_test_setup_teardown(a_wrong_key_file_reads_nothing,
						setup_sealed, teardown_any),
		cmocka_unit_test_setup_teardown(rows_stored_in_clear_are_sealed_at_start,
						setup, teardown_any),
		cmocka_unit_test_setup_teardown(
			rotation_reseals_everything_and_drops_the_old_key, setup_sealed,
			teardown_any),
		cmocka_unit_test_setup_teardown(
			an_interrupted_rotation_resumes_and_loses_nothing, setup_sealed,
			teardown_any),
		cmocka_unit_test_setup_teardown(
			a_process_with_the_old_key_writes_nothing_after_a_rotation,
			setup_sealed, teardown_any),
		cmocka_unit_test_setup_teardown(the_export_carries_no_cpr, setup_sealed,
						teardown_any),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
