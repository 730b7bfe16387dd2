/* searchlog.c - queued search log entries, flushed in batches. */
#include "domain/searchlog.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

#define QUERY_LOG_MAX 200 /* bytes of a query kept */

struct entry {
	int kind; /* 0 search, 1 choice of an article, 2 of a guide or a
		     form (s-trap: doc_kind, its id in e.chosen_article_id) */
	int doc_kind; /* enum hh_doc_kind, for kind 2 */
	struct hh_search_log e;
	/* the visit, kept here rather than behind e.visit: entries are
	 * copied as the queue grows ("" none) */
	char visit[HH_VISIT_SIZE];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *queue;
static size_t n_queue, cap_queue;
/* The array of the last flush, kept for the next queue so that every
 * flush does not start again from 256 entries (each doubling touches
 * fresh pages under the lock that searches wait on). */
static struct entry *spare;
static size_t cap_spare;
#define SPARE_MAX 65536 /* entries (4 MB); a bigger array is given back */

/* Ids come from the database in blocks (the store's id_block), so that
 * instances sharing a database never hand out the same id and a search
 * writes nothing itself. A block is a write transaction, so searches must
 * not wait for one: the flusher, which writes every second anyway, takes
 * a spare block ahead, sized to twice the ids handed out since its last
 * one. A search takes a block itself (ID_BLOCK ids) only when both are
 * used up: the first searches after a start, or a burst of more than
 * twice the last second's rate. Measured (issue 13, HTTP at 10,000
 * articles): with a block of 1,000 taken by the searching thread, that
 * thread waited for the flusher's transaction of the last second's
 * searches, and the other worker waited for it; p99 36 ms against 17 ms
 * with the block taken ahead. Ids left in a block at a stop are never
 * used: gaps, not repeats. */
#define ID_BLOCK 1000
#define ID_SPARE_MAX (1 << 22)
static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hh_store *id_store; /* borrowed, set by hh_searchlog_init */
static int64_t id_next, id_end;  /* the block in hand: [id_next, id_end) */
static int64_t spare_next, spare_end; /* the next block, taken ahead */
static int64_t id_handed; /* ids handed out since the last spare */

enum hh_rc hh_searchlog_init(struct hh_store *st)
{
	pthread_mutex_lock(&id_lock);
	id_store = st;
	id_next = id_end = 0; /* the first search takes a block */
	spare_next = spare_end = 0;
	id_handed = 0;
	pthread_mutex_unlock(&id_lock);
	return HH_OK;
}

struct block_ctx {
	int64_t n;
	int64_t first;
};

static enum hh_rc block_tx(struct hh_tx *tx, void *p)
{
	struct block_ctx *b = p;
	return tx->store->id_block(tx, "search_log", b->n, &b->first);
}

/* The next id of the block in hand, moving to the spare or, when there is
 * none, taking a block when it is used up; 0 when none can be had (no
 * store, or the store failed). */
static int64_t take_id(void)
{
	int64_t id = 0;
	pthread_mutex_lock(&id_lock);
	if (id_next == id_end && spare_next < spare_end) {
		id_next = spare_next;
		id_end = spare_end;
		spare_next = spare_end = 0;
	}
	if (id_next == id_end && id_store) {
		struct block_ctx b = { ID_BLOCK, 0 };
		enum hh_rc rc = hh_store_run_tx(id_store, 1, block_tx, &b);
		if (rc == HH_OK) {
			id_next = b.first;
			id_end = b.first + ID_BLOCK;
		} else {
			hh_log(HH_LOG_WARN, "search log: no ids (%s)",
			       hh_rc_name(rc));
		}
	}
	if (id_next < id_end) {
		id = id_next++;
		id_handed++;
	}
	pthread_mutex_unlock(&id_lock);
	return id;
}

/* The flusher's part: a spare block when there is none, outside the lock
 * that searches take ids under. */
static void take_spare(void)
{
	pthread_mutex_lock(&id_lock);
	struct hh_store *st = id_store;
	int need = st && spare_next == spare_end;
	int64_t n = 2 * id_handed;
	id_handed = 0; /* the rate since the last flush, not since the last
			  spare (else each spare doubles the one before) */
	pthread_mutex_unlock(&id_lock);
	if (!need)
		return;
	if (n < ID_BLOCK)
		n = ID_BLOCK;
	if (n > ID_SPARE_MAX)
		n = ID_SPARE_MAX;
	struct block_ctx b = { n, 0 };
	enum hh_rc rc = hh_store_run_tx(st, 1, block_tx, &b);
	if (rc != HH_OK) {
		hh_log(HH_LOG_WARN, "search log: no spare ids (%s)",
		       hh_rc_name(rc));
		return;
	}
	pthread_mutex_lock(&id_lock);
	if (id_store == st && spare_next == spare_end) {
		spare_next = b.first;
		spare_end = b.first + n;
	} /* else another flush took one meanwhile: this one is a gap */
	pthread_mutex_unlock(&id_lock);
}

static void push(const struct entry *e)
{
	pthread_mutex_lock(&lock);
	if (n_queue < 100000) { /* a stuck disk must not eat memory */
		if (n_queue == cap_queue) {
			cap_queue = cap_queue ? cap_queue * 2 : 256;
			queue = hh_xrealloc(queue, cap_queue * sizeof(*queue));
		}
		queue[n_queue++] = *e;
	} else if (e->kind == 0) {
		free((char *)e->e.query);
	}
	pthread_mutex_unlock(&lock);
}

/* isspace and isdigit of the C locale (the program never sets another),
 * without a locale table lookup per byte */
static int is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* The length of the separator that may stand between the digit groups of
 * a number at q[i] (n bytes in all), or 0: a space, tab, hyphen, dot or
 * slash, the Unicode hyphens and dashes (‐ ‑ ‒ – —), the minus sign and
 * the no-break spaces, as phones and word processors write them. */
static size_t separator(const char *q, size_t i, size_t n)
{
	unsigned char c = (unsigned char)q[i];
	if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/')
		return 1;
	if (c == 0xc2 && i + 1 < n && (unsigned char)q[i + 1] == 0xa0)
		return 2; /* no-break space */
	if (c == 0xe2 && i + 2 < n) {
		unsigned char c1 = (unsigned char)q[i + 1], c2 = (unsigned char)q[i + 2];
		if (c1 == 0x80 && ((c2 >= 0x90 && c2 <= 0x94) || c2 == 0xaf))
			return 3; /* hyphens, dashes, narrow no-break space */
		if (c1 == 0x88 && c2 == 0x92)
			return 3; /* minus sign */
	}
	return 0;
}

/* Pass one: masks into out (room for n + 1) words with @ as "@" and runs
 * of 6 or more digits as "#", the digits in groups joined by up to three
 * separators (010203-1234, 010203 – 1234, 01.02.03-1234, 01 02 03 12 34,
 * 0102031234, 12 34 56 78). Returns the length. */
static size_t mask_numbers(char *out, const char *q, size_t n)
{
	char *o = out;
	size_t i = 0;
	size_t clean = 0; /* q[i..clean) is the rest of a word without @ */
	while (i < n) {
		/* a word with @ (each word is looked at once: looking again
		 * at every byte of it made long words quadratic) */
		if (i >= clean && !is_space((unsigned char)q[i])) {
			size_t j = i;
			int at = 0;
			while (j < n && !is_space((unsigned char)q[j]))
				at |= q[j++] == '@';
			if (at) {
				*o++ = '@';
				i = j;
				continue;
			}
			clean = j;
		}
		if (is_digit((unsigned char)q[i])) {
			size_t j = i, digits = 0;
			for (;;) {
				while (j < n && is_digit((unsigned char)q[j])) {
					digits++;
					j++;
				}
				size_t k = j, seps = 0, len;
				while (k < n && seps < 3 && (len = separator(q, k, n))) {
					k += len;
					seps++;
				}
				if (!seps || k >= n || !is_digit((unsigned char)q[k]))
					break;
				j = k;
			}
			if (digits >= 6) {
				*o++ = '#';
				i = j;
				continue;
			}
			memcpy(o, q + i, j - i);
			o += j - i;
			i = j;
			continue;
		}
		*o++ = q[i++];
	}
	*o = 0;
	return (size_t)(o - out);
}

/* ---- pass two: addresses and names, word by word ---------------------- */

/* Endings of Danish street names, with their ASCII spellings; not those
 * that end common words too ("-ring": ændring, "-ager": klager). s-http:
 * with their lengths, and compared only when the word's last byte is the
 * ending's (every search's log entry tried every ending on every word
 * with strlen and strcmp). */
struct ending {
	const char *s;
	size_t len;
};
#define E(lit) { lit, sizeof(lit) - 1 }
static const struct ending street_endings[] = {
	E("vej"), E("vejen"), E("gade"), E("gaden"), E("allé"), E("alle"),
	E("stræde"), E("straede"), E("strædet"), E("straedet"), E("vænget"),
	E("vaenget"), E("vænge"), E("vaenge"), E("plads"), E("pladsen"),
	E("torv"), E("torvet"), E("boulevard"), E("parken"), E("park"),
	E("haven"), E("bakke"), E("bakken"), E("høj"), E("hoej"), E("højen"),
	E("hoejen"), E("toft"), E("toften"), E("vang"), E("vangen"),
	E("lund"), E("lunden"), E("sti"), E("stien"), E("løkke"),
	E("loekke"), E("løkken"), E("loekken"), E("kær"), E("kaer"),
	E("kæret"), E("kaeret"), E("engen"), E("holm"), E("holmen"),
	E("kaj"), E("kajen"), E("passage"), E("promenade"), E("hegnet"),
	E("svinget"), E("krogen"), E("gården"), E("gaarden"), E("marken"),
	E("dalen"), E("bro"), E("broen"), E("tofte"), E("skov"), E("skoven"),
	E("dige"), E("diget"), E("kvarter"), E("kvarteret"), E("trappen")
};
#undef E

/* Upper case at the start of s: A-Z, or a capital of Latin-1 in UTF-8
 * (Æ, Ø, Å, É, ...). */
static int is_upper_at(const unsigned char *s, size_t len)
{
	if (!len)
		return 0;
	if (s[0] >= 'A' && s[0] <= 'Z')
		return 1;
	return len > 1 && s[0] == 0xc3 && s[1] >= 0x80 && s[1] <= 0x9e &&
	       s[1] != 0x97;
}

/* Lower-cases ASCII and Latin-1 capitals of s (len bytes) into out. */
static void lower(const char *s, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		else if (i && (unsigned char)s[i - 1] == 0xc3 && c >= 0x80 && c <= 0x9e &&
			 c != 0x97)
			c = (unsigned char)(c + 32);
		out[i] = (char)c;
	}
	out[len] = 0;
}

struct sword {
	size_t start, end;      /* the word's bytes in the text */
	size_t core_s, core_e;  /* without punctuation around it */
	unsigned cap : 1;       /* begins with a capital */
	unsigned alpha : 1;     /* letters (and - or .) only, 2 or more */
	unsigned house : 1;     /* a house number: 1-4 digits, a letter */
	unsigned postcode : 1;  /* 4 digits (or DK-4 digits) */
	unsigned floor : 1;     /* a floor or side: 2., st, tv, th, mf */
	unsigned street : 1;    /* a word ending like a street name */
	unsigned drop : 2;      /* 0 keep, 1 address, 2 name */
};

static int is_punct(unsigned char c)
{
	return c == ',' || c == '.' || c == ';' || c == ':' || c == '!' ||
	       c == '?' || c == '(' || c == ')' || c == '"' || c == '\'';
}

static void classify(const char *q, struct sword *w)
{
	size_t s = w->start, e = w->end;
	while (s < e && is_punct((unsigned char)q[s]))
		s++;
	while (e > s && is_punct((unsigned char)q[e - 1]) && q[e - 1] != '.')
		e--;
	/* a final dot is punctuation, unless the word is an abbreviation
	 * with dots inside ("H.C.") or a floor ("2.") */
	size_t dots = 0;
	for (size_t k = s; k < e; k++)
		dots += q[k] == '.';
	if (e > s && q[e - 1] == '.' && dots == 1 &&
	    !(e - s <= 3 && is_digit((unsigned char)q[s])))
		e--;
	w->core_s = s;
	w->core_e = e;
	size_t len = e - s;
	const unsigned char *c = (const unsigned char *)q + s;
	w->cap = is_upper_at(c, len);
	int letters = 0, other = 0, digits = 0;
	for (size_t k = 0; k < len; k++) {
		if (is_digit(c[k]))
			digits++;
		else if ((c[k] | 0x20) >= 'a' && (c[k] | 0x20) <= 'z')
			letters++;
		else if (c[k] >= 0x80)
			letters += (c[k] & 0xc0) != 0x80;
		else if (c[k] != '-' && c[k] != '.')
			other++;
	}
	w->alpha = letters >= 2 && !digits && !other;
	size_t d = 0;
	while (d < len && is_digit(c[d]))
		d++;
	w->house = d >= 1 && d <= 4 &&
		   (d == len || (d + 1 == len && ((c[d] | 0x20) >= 'a' && (c[d] | 0x20) <= 'z')));
	w->postcode = (d == 4 && len == 4) ||
		      (len == 7 && (c[0] | 0x20) == 'd' && (c[1] | 0x20) == 'k' &&
		       c[2] == '-' && is_digit(c[3]) && is_digit(c[4]) && is_digit(c[5]) &&
		       is_digit(c[6]));
	char low[64];
	w->floor = 0;
	w->street = 0;
	if (len && len < sizeof(low)) {
		lower((const char *)c, len, low);
		w->floor = !strcmp(low, "st") || !strcmp(low, "st.") || !strcmp(low, "tv") ||
			   !strcmp(low, "th") || !strcmp(low, "mf") || !strcmp(low, "kl") ||
			   (len <= 3 && d >= 1 && d <= 2 && (d == len || c[d] == '.'));
		for (size_t k = 0; w->alpha && k < sizeof(street_endings) / sizeof(street_endings[0]);
		     k++) {
			const struct ending *en = &street_endings[k];
			if (len >= en->len && low[len - 1] == en->s[en->len - 1] &&
			    !memcmp(low + len - en->len, en->s, en->len))
				w->street = 1;
		}
	}
}

/* Marks the addresses and names among the words. */
static void mark(const char *q, struct sword *w, size_t n,
		 hh_searchlog_known_fn known, void *kctx)
{
	for (size_t i = 0; i + 1 < n; i++) {
		/* a street and its house number ("Vestergade 12, 2. th"), with
		 * the capitalised words before it ("Gammel Kongevej 3") */
		if (w[i].street && w[i + 1].house) {
			w[i].drop = w[i + 1].drop = 1;
			for (size_t k = i, m = 0; k > 0 && m < 2 && w[k - 1].cap &&
						  w[k - 1].alpha && !w[k - 1].drop;
			     k--, m++)
				w[k - 1].drop = 1;
			for (size_t k = i + 2, m = 0; k < n && m < 3 && w[k].floor; k++, m++)
				w[k].drop = 1;
		}
		/* a postcode and its town ("9000 Aalborg", "2100 København Ø") */
		if (w[i].postcode && w[i + 1].cap && w[i + 1].alpha) {
			w[i].drop = w[i + 1].drop = 1;
			if (i + 2 < n && w[i + 2].cap && w[i + 2].core_e - w[i + 2].core_s <= 2)
				w[i + 2].drop = 1;
		}
	}
	/* names: two or more capitalised words in a row that the articles
	 * do not use ("Jens Hansen", "Anne Marie Holm") */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && w[j].cap && w[j].alpha && !w[j].drop &&
		       !(known && known(kctx, q + w[j].core_s, w[j].core_e - w[j].core_s)))
			j++;
		if (j - i >= 2)
			for (size_t k = i; k < j; k++)
				w[k].drop = 2;
		i = j > i ? j : i + 1;
	}
}

/* Pass two: t (len bytes, masked by pass one) with addresses and names
 * replaced by "[adresse]" and "[navn]" into out (room for 2 * len + 16:
 * a marker may be longer than what it replaces, never twice as long).
 * Returns the length. */
static size_t mask_words(char *out, const char *t, size_t len,
			 hh_searchlog_known_fn known, void *kctx)
{
	/* words: at most one per two bytes */
	size_t cap = len / 2 + 1, n = 0;
	struct sword local[64];
	struct sword *w = cap <= 64 ? local : hh_xmalloc(cap * sizeof(*w));
	for (size_t i = 0; i < len;) {
		while (i < len && is_space((unsigned char)t[i]))
			i++;
		if (i >= len)
			break;
		size_t s = i;
		while (i < len && !is_space((unsigned char)t[i]))
			i++;
		memset(&w[n], 0, sizeof(w[n]));
		w[n].start = s;
		w[n].end = i;
		classify(t, &w[n]);
		n++;
	}
	mark(t, w, n, known, kctx);
	char *o = out;
	size_t done = 0;
	for (size_t i = 0; i < n; i++) {
		if (!w[i].drop)
			continue;
		size_t j = i;
		while (j + 1 < n && w[j + 1].drop == w[i].drop)
			j++;
		memcpy(o, t + done, w[i].start - done);
		o += w[i].start - done;
		const char *m = w[i].drop == 1 ? "[adresse]" : "[navn]";
		memcpy(o, m, strlen(m));
		o += strlen(m);
		done = w[j].end;
		i = j;
	}
	memcpy(o, t + done, len - done);
	o += len - done;
	*o = 0;
	if (w != local)
		free(w);
	return (size_t)(o - out);
}

/* Writes q (n bytes) with personal data masked to out (room for
 * 2 * n + 16), cut to QUERY_LOG_MAX bytes on a character boundary.
 * Returns the length. */
static size_t scrub(char *out, const char *q, size_t n,
		    hh_searchlog_known_fn known, void *kctx)
{
	/* Mask the whole query first, then cut: a number across the cut
	 * must not leave its first digits behind. */
	char local[512];
	char *tmp = n < sizeof(local) ? local : hh_xmalloc(n + 1);
	size_t t = mask_numbers(tmp, q, n);
	size_t len = mask_words(out, tmp, t, known, kctx);
	if (tmp != local)
		free(tmp);
	if (len > QUERY_LOG_MAX) {
		len = QUERY_LOG_MAX;
		while (len && ((unsigned char)out[len] & 0xc0) == 0x80)
			len--;
		out[len] = 0;
	}
	return len;
}

const char *hh_searchlog_scrub(struct hh_arena *a, const char *q)
{
	return hh_searchlog_scrub_known(a, q, NULL, NULL);
}

const char *hh_searchlog_scrub_known(struct hh_arena *a, const char *q,
				     hh_searchlog_known_fn known, void *ctx)
{
	size_t n = strlen(q);
	char *out = hh_arena_alloc(a, 2 * n + 16);
	scrub(out, q, n, known, ctx);
	return out;
}

int64_t hh_searchlog_add(const char *query, int64_t muni, int64_t results,
			 hh_searchlog_known_fn known, void *kctx)
{
	return hh_searchlog_add_visit(query, muni, results, NULL, known, kctx);
}

int hh_searchlog_visit_valid(const char *v)
{
	if (!v || strlen(v) != HH_VISIT_SIZE - 1)
		return 0;
	for (const char *p = v; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

int64_t hh_searchlog_add_visit(const char *query, int64_t muni,
			       int64_t results, const char *visit,
			       hh_searchlog_known_fn known, void *kctx)
{
	return hh_searchlog_add_strength(query, muni, results, -1, visit, known,
					 kctx);
}

int64_t hh_searchlog_add_strength(const char *query, int64_t muni,
				  int64_t results, int strength,
				  const char *visit,
				  hh_searchlog_known_fn known, void *kctx)
{
	/* Every search passes here, so no arena: queries of usual length
	 * are masked on the stack, and the one copy that the queue keeps
	 * is as long as what is kept (QUERY_LOG_MAX at most). */
	int64_t id = take_id();
	if (!id)
		return 0; /* not logged: a search must not fail for its log */
	char local[1040];
	size_t n = strlen(query);
	char *tmp = 2 * n + 16 <= sizeof(local) ? local : hh_xmalloc(2 * n + 16);
	size_t len = scrub(tmp, query, n, known, kctx);
	struct entry e = { 0 };
	e.e.id = id;
	e.e.at = hh_now_us() / 1000000;
	char *kept = hh_xmalloc(len + 1);
	memcpy(kept, tmp, len + 1);
	e.e.query = kept;
	e.e.municipality_id = muni;
	e.e.results = results;
	e.e.strength = strength >= 0 && strength <= 2 ? strength : -1;
	if (hh_searchlog_visit_valid(visit))
		memcpy(e.visit, visit, HH_VISIT_SIZE);
	if (tmp != local)
		free(tmp);
	push(&e);
	return e.e.id;
}

void hh_searchlog_choose(int64_t id, int64_t article_id)
{
	/* Any id: the search may have been logged by another instance on
	 * the same database; a choice of no logged search changes nothing. */
	if (id <= 0)
		return;
	struct entry e = { .kind = 1 };
	e.e.id = id;
	e.e.chosen_article_id = article_id;
	e.e.at = hh_now_us() / 1000000;
	push(&e);
}

void hh_searchlog_choose_doc(int64_t id, int doc_kind, int64_t doc_id)
{
	if (doc_kind == 0) { /* an article: its own column */
		hh_searchlog_choose(id, doc_id);
		return;
	}
	if (id <= 0 || doc_kind < 0 || doc_id <= 0)
		return;
	struct entry e = { .kind = 2, .doc_kind = doc_kind };
	e.e.id = id;
	e.e.chosen_article_id = doc_id;
	e.e.at = hh_now_us() / 1000000;
	push(&e);
}

struct flush_ctx {
	struct entry *items;
	size_t n;
};

static enum hh_rc flush_tx(struct hh_tx *tx, void *p)
{
	struct flush_ctx *c = p;
	for (size_t i = 0; i < c->n; i++) {
		const struct entry *e = &c->items[i];
		struct hh_search_log row = e->e;
		row.visit = e->visit[0] ? e->visit : NULL;
		enum hh_rc rc =
			e->kind == 0 ? tx->store->search_log_insert(tx, &row)
			: e->kind == 1
				? tx->store->search_log_choose(tx, e->e.id,
							       e->e.chosen_article_id,
							       e->e.at)
				: tx->store->search_log_choose_doc(
					  tx, e->e.id, e->doc_kind,
					  e->e.chosen_article_id, e->e.at);
		if (rc == HH_ERR_CONFLICT)
			continue; /* already written (a retried flush) */
		if (rc != HH_OK)
			return rc;
	}
	return HH_OK;
}

enum hh_rc hh_searchlog_flush(struct hh_store *st)
{
	take_spare();
	pthread_mutex_lock(&lock);
	if (!n_queue) {
		pthread_mutex_unlock(&lock);
		return HH_OK;
	}
	struct flush_ctx c = { queue, n_queue };
	size_t cap = cap_queue;
	queue = spare;
	cap_queue = cap_spare;
	n_queue = 0;
	spare = NULL;
	cap_spare = 0;
	pthread_mutex_unlock(&lock);
	enum hh_rc rc = hh_store_run_tx(st, 1, flush_tx, &c);
	if (rc != HH_OK) {
		for (size_t i = 0; i < c.n; i++)
			push(&c.items[i]); /* keep them for the next try */
	} else {
		for (size_t i = 0; i < c.n; i++)
			if (c.items[i].kind == 0)
				free((char *)c.items[i].e.query);
	}
	pthread_mutex_lock(&lock);
	if (!spare && cap <= SPARE_MAX) {
		spare = c.items;
		cap_spare = cap;
	} else {
		free(c.items);
	}
	pthread_mutex_unlock(&lock);
	return rc;
}
