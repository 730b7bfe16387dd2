/* spool_bench.c - Digital Post messages delivered per second through the
 * spool transport, durable, beside writing the same files without helhed
 * (make bench-spool). Measured in one run, on one folder's file system:
 *
 *   plain     a C loop of open, write, fsync, close, rename, fsync of the
 *             folder for each file: the least a durable spool needs;
 *   spool     the spool transport's send() (post/spool.c): the same plus
 *             its checks that the UUID was not accepted before;
 *   delivery  the whole delivery pass (hh_messages_deliver): read the
 *             due messages, build each MeMo from its letter (recipient,
 *             sender CVR, case, KLE, the PDF in base64), send it through
 *             the spool, record it (row and case event, one durable
 *             SQLite transaction each, WAL).
 *
 * Every file has the same bytes' size: a real MeMo message with a typical
 * two-page letter PDF. Prints figures; asserts nothing.
 * Usage: spool_bench [N] [DIR]   (N messages, default 500; DIR default
 * $TMPDIR or /tmp: use a disk, not tmpfs, for fsync to cost what it does)
 *
 * With HELHED_BENCH_PG=postgresql://.../DB (pg-claim, issue 14), also the
 * delivery pass on PostgreSQL, in a database of its own made beside DB
 * and dropped after: N messages delivered by one instance, then N by two
 * instances at once (two stores on the database, each postman with its
 * spool, passes of 50 that claim their messages), alternately, twice;
 * beside the SQLite figure above. */
#include <fcntl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/util.h"
#include "domain/messages.h"
#include "post/spool.h"
#include "render/letter.h"
#include "render/memo.h"
#include "store/postgres.h"
#include "store/store.h"

static const char BODY[] =
	"Du har søgt om hjælp til en rollator og et badeværelsesstol, fordi du "
	"efter din operation har svært ved at gå og stå længe ad gangen.\n\n"
	"## Afgørelse\n\n"
	"Nordskov Kommune bevilger dig en rollator efter servicelovens § 112. "
	"Vi giver afslag på badeværelsesstolen, fordi den er et sædvanligt "
	"indbo, som de fleste husstande selv anskaffer.\n\n"
	"## Begrundelse\n\n"
	"Vi har lagt vægt på oplysningerne fra din læge og fra terapeuten, "
	"der besøgte dig den 12. november. Det fremgår, at din gangdistance er "
	"nedsat varigt, og at en rollator i væsentlig grad vil lette dine "
	"daglige gøremål og gøre dig mere selvhjulpen i hjemmet og udenfor.\n\n"
	"- Rollatoren udleveres fra kommunens hjælpemiddeldepot.\n"
	"- Du får besked om tid for levering inden for ti hverdage.\n"
	"- Rollatoren er et udlån, som du afleverer, når du ikke bruger den.\n\n"
	"## Klagevejledning\n\n"
	"Du kan klage over afgørelsen inden fire uger fra den dag, du har "
	"modtaget den. Klagen sendes til kommunen, som genvurderer sagen. Hvis "
	"vi fastholder afgørelsen, sender vi klagen videre til Ankestyrelsen. "
	"Du kan klage skriftligt eller mundtligt, og du kan få hjælp til at "
	"klage hos Borgerservice.\n\n"
	"Har du spørgsmål, er du velkommen til at ringe til os på 72 10 00 00 "
	"mandag til fredag kl. 9-15, eller skrive til os i Digital Post. "
	"Husk at oplyse sagsnummeret, når du kontakter os.";

static double secs(int64_t us)
{
	return (double)us / 1e6;
}

static void die(const char *what)
{
	fprintf(stderr, "spool_bench: %s\n", what);
	exit(1);
}

/* open, write, fsync, close, rename, fsync dir: the durable minimum. */
static void plain_write(const char *dir, const char *name, const void *data,
			size_t len)
{
	char tmp[4400], path[4400];
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || fsync(fd) != 0 ||
	    close(fd) != 0 || rename(tmp, path) != 0)
		die("plain write failed");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0 || fsync(dfd) != 0)
		die("fsync of the folder failed");
	close(dfd);
}

static enum hh_rc seed_tx(struct hh_tx *tx, void *p)
{
	int64_t *ids = p; /* org, user, citizen, case */
	struct hh_store *st = tx->store;
	struct hh_org o = { .code = "901", .name = "Nordskov Kommune",
			    .kind = HH_ORG_MUNICIPALITY };
	enum hh_rc rc = st->org_put(tx, &o);
	if (rc == HH_OK)
		rc = st->org_cvr_put(tx, o.id, "29180101");
	struct hh_user u = { .org_id = o.id, .email = "cw@bench", .name =
			     "Jonas Krogh", .password_hash = "x",
			     .roles = HH_ROLE_CASEWORKER, .created_at = 1 };
	if (rc == HH_OK)
		rc = st->user_insert(tx, &u);
	struct hh_citizen z = { .subject = "bench:anna", .name = "Anna Andersen",
				.cpr = "070761-4285", .municipality_id = o.id };
	if (rc == HH_OK)
		rc = st->citizen_put(tx, &z);
	struct hh_case_type ct = { .code = "hjaelpemidler",
				   .organisation = "municipality",
				   .name = "Hjælpemidler", .public = 1,
				   .definition = "{\"kle\":\"27.24.00\"}" };
	if (rc == HH_OK)
		rc = st->case_type_put(tx, &ct);
	struct hh_case c = { .case_type_id = ct.id, .org_id = o.id,
			     .citizen_id = z.id, .state = "received",
			     .data = "{}", .created_at = 1, .updated_at = 1,
			     .deadline_at = 2 };
	if (rc == HH_OK)
		rc = st->case_insert(tx, &c);
	ids[0] = o.id;
	ids[1] = u.id;
	ids[2] = z.id;
	ids[3] = c.id;
	return rc;
}


/* ---- the delivery pass on PostgreSQL (HELHED_BENCH_PG) ---- */

struct pg_postman {
	struct hh_store *st;
	struct hh_transport *t;
	pthread_barrier_t *start;
	int sent, passes, busy;
};

static void *pg_postman_run(void *p)
{
	struct pg_postman *m = p;
	pthread_barrier_wait(m->start);
	for (;;) {
		struct hh_deliver_stats s;
		enum hh_rc rc = hh_messages_deliver(m->st, m->t, 2, 50, &s);
		m->passes++;
		if (rc == HH_ERR_BUSY) {
			m->busy++;
			continue;
		}
		if (rc != HH_OK)
			die("a delivery pass on PostgreSQL failed");
		m->sent += s.sent;
		if (s.sent + s.stale + s.retried + s.failed + s.errors +
			    s.to_print == 0)
			return NULL;
	}
}

/* n queued messages (letters with pdf) through raw, in one transaction. */
static void pg_seed(PGconn *raw, int n, const int64_t *ids,
		    const char *title, const struct hh_buf *pdf)
{
	PQclear(PQexec(raw, "BEGIN"));
	for (int i = 0; i < n; i++) {
		char u[HH_UUID_SIZE], org[24], cas[24], cit[24], usr[24];
		hh_uuid4(u);
		snprintf(org, sizeof(org), "%lld", (long long)ids[0]);
		snprintf(usr, sizeof(usr), "%lld", (long long)ids[1]);
		snprintf(cit, sizeof(cit), "%lld", (long long)ids[2]);
		snprintf(cas, sizeof(cas), "%lld", (long long)ids[3]);
		const char *v[8] = { org, cas, cit, title, BODY, usr,
				     (const char *)pdf->data, u };
		int len[8] = { 0, 0, 0, 0, 0, 0, (int)pdf->len, 0 };
		int fmt[8] = { 0, 0, 0, 0, 0, 0, 1, 0 };
		PGresult *r = PQexecParams(raw,
			"INSERT INTO letters(organisation_id, case_id, citizen_id, "
			"kind, template, state, title, body, reply_allowed, "
			"author_id, version, created_at, updated_at, sent_at, pdf, "
			"message_id) VALUES ($1, $2, $3, 'granted', 't', 'sent', "
			"$4, $5, 1, $6, 1, 1, 1, 1, $7, $8) RETURNING id",
			8, NULL, v, len, fmt, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			die(PQerrorMessage(raw));
		const char *w[4] = { u, PQgetvalue(r, 0, 0), org, cit };
		PGresult *q = PQexecParams(raw,
			"INSERT INTO messages(message_id, letter_id, "
			"organisation_id, citizen_id, state, next_attempt_at, "
			"created_at, updated_at) VALUES ($1, $2, $3, $4, 'queued', "
			"1, 1, 1)", 4, NULL, w, NULL, NULL, 0);
		if (PQresultStatus(q) != PGRES_COMMAND_OK)
			die(PQerrorMessage(raw));
		PQclear(q);
		PQclear(r);
	}
	PQclear(PQexec(raw, "COMMIT"));
}

/* The delivery of n seeded messages by k instances at once; seconds. */
static double pg_round(struct hh_store **sts, struct hh_transport **ts,
		       int k, int *busy)
{
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, (unsigned)k + 1);
	struct pg_postman m[2];
	pthread_t th[2];
	for (int i = 0; i < k; i++) {
		m[i] = (struct pg_postman){ .st = sts[i], .t = ts[i],
					    .start = &start };
		pthread_create(&th[i], NULL, pg_postman_run, &m[i]);
	}
	pthread_barrier_wait(&start);
	int64_t t0 = hh_mono_us();
	for (int i = 0; i < k; i++)
		pthread_join(th[i], NULL);
	double s = secs(hh_mono_us() - t0);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < k; i++)
		*busy += m[i].busy;
	return s;
}

static void pg_bench(const char *url, const char *dir, int n,
		     const struct hh_letter_doc *doc, const struct hh_buf *pdf,
		     double sqlite_rate)
{
	/* a database of its own beside the one named */
	const char *slash = strrchr(url, '/');
	if (!slash || slash < url + 14)
		die("HELHED_BENCH_PG must be postgresql://.../DB");
	char name[64], addr[4096];
	snprintf(name, sizeof(name), "helhed_spool_bench_%d", (int)getpid());
	snprintf(addr, sizeof(addr), "%.*s/%s", (int)(slash - url), url, name);
	PGconn *admin = PQconnectdb(url);
	if (PQstatus(admin) != CONNECTION_OK)
		die(PQerrorMessage(admin));
	char sql[200];
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0 "
		 "ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'", name);
	PGresult *r = PQexec(admin, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die(PQerrorMessage(admin));
	PQclear(r);

	struct hh_store *sts[2];
	struct hh_transport *ts[2];
	for (int i = 0; i < 2; i++) {
		if (hh_store_open_postgres(addr, 2, &sts[i]) != HH_OK ||
		    sts[i]->migrate(sts[i]->cls, NULL) != HH_OK)
			die("cannot open the PostgreSQL store");
		char sp[4300];
		snprintf(sp, sizeof(sp), "%s/pg-spool%d", dir, i + 1);
		if (hh_spool_open(sp, &ts[i]) != HH_OK)
			die("cannot open the spool");
	}
	int64_t ids[4];
	if (hh_store_run_tx(sts[0], 1, seed_tx, ids) != HH_OK)
		die("cannot seed the PostgreSQL store");
	PGconn *raw = PQconnectdb(addr);
	if (PQstatus(raw) != CONNECTION_OK)
		die(PQerrorMessage(raw));
	printf("PostgreSQL (%s): the delivery pass, %d messages a round, passes "
	       "of 50\n", addr, n);
	for (int round = 1; round <= 2; round++)
		for (int k = 1; k <= 2; k++) {
			pg_seed(raw, n, ids, doc->title, pdf);
			int busy = 0;
			double s = pg_round(sts, ts, k, &busy);
			printf("  round %d, %d instance%s  %8.0f messages/s  "
			       "(%.2f ms each; claims out of retries: %d)  "
			       "%.2fx the time of SQLite's pass\n",
			       round, k, k == 1 ? ": " : "s:", n / s,
			       s * 1000 / n, busy, sqlite_rate * s / n);
		}
	PQfinish(raw);
	for (int i = 0; i < 2; i++) {
		hh_transport_free(ts[i]);
		hh_store_close(sts[i]);
	}
	snprintf(sql, sizeof(sql), "DROP DATABASE %s", name);
	PQclear(PQexec(admin, sql));
	PQfinish(admin);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 500;
	const char *base = argc > 2 ? argv[2] : getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	if (n < 1)
		die("N must be 1 or more");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/helhed-spool-bench-XXXXXX", base);
	if (!mkdtemp(dir))
		die("cannot make a folder");

	/* a typical letter and its MeMo message */
	struct hh_letter_doc doc = {
		.sender = "Nordskov Kommune",
		.sender_lines = "Rådhustorvet 1\n4100 Nordskov\nTlf. 72 10 00 00\n"
				"borgerservice@nordskov.demo",
		.recipient = "Anna Andersen\nSkovbrynet 14\n4100 Nordskov",
		.date = "4. december 2026",
		.reference = "Sagsnr. 27.24.00-G01-17-26",
		.title = "Afgørelse om hjælpemidler",
		.body = BODY,
		.closing = "Med venlig hilsen\n\nJonas Krogh\nNordskov Kommune",
		.created_at = 1796380800,
	};
	struct hh_buf pdf, memo;
	hh_buf_init(&pdf);
	hh_buf_init(&memo);
	int pages = 0;
	if (hh_letter_pdf(&doc, &pdf, &pages) != HH_OK)
		die("cannot render the letter");
	char uuid[HH_UUID_SIZE];
	hh_uuid4(uuid);
	struct hh_memo mm = {
		.message_uuid = uuid, .message_id = "helhed-901-brev-1",
		.label = doc.title, .reply = 1, .sender_cvr = "29180101",
		.sender_label = doc.sender, .recipient_type = "CPR",
		.recipient_id = "0707614285", .recipient_label = "Anna Andersen",
		.case_id = "17", .case_system = "helhed", .kle = "27.24.00",
		.kle_label = "Hjælpemidler", .created_at = doc.created_at,
		.filename = "brev.pdf", .pdf = pdf.data, .pdf_len = pdf.len,
	};
	if (hh_memo_xml(&mm, &memo, NULL) != HH_OK)
		die("cannot make the MeMo message");
	printf("Spool benchmark: %d messages of %zu bytes (MeMo with a %d-page "
	       "letter PDF of %zu bytes) in %s\n",
	       n, memo.len, pages, pdf.len, dir);

	char (*uuids)[HH_UUID_SIZE] = hh_xcalloc((size_t)n, sizeof(*uuids));
	for (int i = 0; i < n; i++)
		hh_uuid4(uuids[i]);

	/* the three ways, in ROUNDS alternating chunks, so that whatever
	 * else the machine does hits them alike */
	char plain[4200 - 64];
	snprintf(plain, sizeof(plain), "%s/plain", dir);
	mkdir(plain, 0750);
	char sp[4200], why[HH_POST_REASON_SIZE];
	snprintf(sp, sizeof(sp), "%s/spool1", dir);
	struct hh_transport *t, *t2;
	if (hh_spool_open(sp, &t) != HH_OK)
		die("cannot open the spool");

	/* the delivery pass: n queued messages in SQLite */
	char db[4200];
	snprintf(db, sizeof(db), "%s/helhed.db", dir);
	struct hh_store *st;
	if (hh_store_open_sqlite(db, 2, &st) != HH_OK ||
	    st->migrate(st->cls, NULL) != HH_OK)
		die("cannot open the store");
	int64_t ids[4];
	if (hh_store_run_tx(st, 1, seed_tx, ids) != HH_OK)
		die("cannot seed the store");
	sqlite3 *raw;
	if (sqlite3_open(db, &raw) != SQLITE_OK)
		die("cannot open the database");
	sqlite3_busy_timeout(raw, 10000);
	sqlite3_exec(raw, "BEGIN", NULL, NULL, NULL);
	sqlite3_stmt *l, *m;
	sqlite3_prepare_v2(raw,
		"INSERT INTO letters(organisation_id, case_id, citizen_id, kind, "
		"template, state, title, body, reply_allowed, author_id, version, "
		"created_at, updated_at, sent_at, pdf, message_id) VALUES "
		"(?1, ?2, ?3, 'granted', 't', 'sent', ?4, ?5, 1, ?6, 1, 1, 1, 1, ?7, ?8)",
		-1, &l, NULL);
	sqlite3_prepare_v2(raw,
		"INSERT INTO messages(message_id, letter_id, organisation_id, "
		"citizen_id, state, next_attempt_at, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, 'queued', 1, 1, 1)", -1, &m, NULL);
	char (*u2)[HH_UUID_SIZE] = hh_xcalloc((size_t)n, sizeof(*u2));
	for (int i = 0; i < n; i++) {
		hh_uuid4(u2[i]);
		sqlite3_bind_int64(l, 1, ids[0]);
		sqlite3_bind_int64(l, 2, ids[3]);
		sqlite3_bind_int64(l, 3, ids[2]);
		sqlite3_bind_text(l, 4, doc.title, -1, SQLITE_STATIC);
		sqlite3_bind_text(l, 5, BODY, -1, SQLITE_STATIC);
		sqlite3_bind_int64(l, 6, ids[1]);
		sqlite3_bind_blob(l, 7, pdf.data, (int)pdf.len, SQLITE_STATIC);
		sqlite3_bind_text(l, 8, u2[i], -1, SQLITE_STATIC);
		if (sqlite3_step(l) != SQLITE_DONE)
			die("cannot insert a letter");
		sqlite3_reset(l);
		sqlite3_bind_text(m, 1, u2[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(m, 2, sqlite3_last_insert_rowid(raw));
		sqlite3_bind_int64(m, 3, ids[0]);
		sqlite3_bind_int64(m, 4, ids[2]);
		if (sqlite3_step(m) != SQLITE_DONE)
			die("cannot insert a message");
		sqlite3_reset(m);
	}
	sqlite3_finalize(l);
	sqlite3_finalize(m);
	sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(raw);
	snprintf(sp, sizeof(sp), "%s/spool2", dir);
	if (hh_spool_open(sp, &t2) != HH_OK)
		die("cannot open the spool");

	/* ROUNDS chunks; in each the three go in turn, who goes first
	 * rotating, since a file system's journal commit favours whoever
	 * comes right after another's */
	enum { ROUNDS = 6 };
	int64_t plain_us = 0, spool_us = 0, pass_us = 0;
	int done = 0;
	for (int r = 0; r < ROUNDS; r++) {
		int upto = (int)((long)n * (r + 1) / ROUNDS), k = upto - done;
		for (int w = 0; w < 3; w++) {
			int which = (r + w) % 3;
			int64_t t0 = hh_mono_us();
			if (which == 0) {
				for (int i = done; i < upto; i++) {
					char name[64];
					snprintf(name, sizeof(name), "%s.xml", uuids[i]);
					plain_write(plain, name, memo.data, memo.len);
				}
				plain_us += hh_mono_us() - t0;
			} else if (which == 1) {
				for (int i = done; i < upto; i++)
					if (t->send(t->cls, uuids[i], memo.data, memo.len,
						    why) != HH_POST_OK)
						die(why);
				spool_us += hh_mono_us() - t0;
			} else {
				struct hh_deliver_stats s;
				if (hh_messages_deliver(st, t2, 2, k, &s) != HH_OK ||
				    s.sent != k)
					die("the delivery pass did not send them all");
				pass_us += hh_mono_us() - t0;
			}
		}
		done = upto;
	}
	double plain_s = secs(plain_us), spool_s = secs(spool_us),
	       pass_s = secs(pass_us);
	hh_transport_free(t);
	hh_transport_free(t2);
	hh_store_close(st);

	printf("  %-44s %8.0f messages/s  (%.2f ms each)\n",
	       "plain C: open/write/fsync/rename/fsync dir", n / plain_s,
	       plain_s * 1000 / n);
	printf("  %-44s %8.0f messages/s  (%.2f ms each)  %.2fx the time of plain C\n",
	       "helhed spool transport send()", n / spool_s, spool_s * 1000 / n,
	       spool_s / plain_s);
	printf("  %-44s %8.0f messages/s  (%.2f ms each)  %.2fx the time of plain C\n",
	       "helhed delivery pass (MeMo + spool + row)", n / pass_s,
	       pass_s * 1000 / n, pass_s / plain_s);
	const char *pg = getenv("HELHED_BENCH_PG");
	if (pg && *pg)
		pg_bench(pg, dir, n, &doc, &pdf, n / pass_s);
	char cmd[4300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "spool_bench: could not remove %s\n", dir);
	free(uuids);
	free(u2);
	hh_buf_clear(&pdf);
	hh_buf_clear(&memo);
	return 0;
}
