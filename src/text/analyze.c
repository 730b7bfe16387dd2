/* analyze.c - tokeniser, stop words, compounds, stemming and folding. */
#include "text/analyze.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/util.h"

/* Danish function words that carry no meaning for search. Written for
 * helhed; a list of pronouns, articles, prepositions, conjunctions and
 * auxiliary verbs. Words with content that are also common (kommune, borger)
 * are deliberately not here. */
static const char *const stop_words[] = {
	"af", "alle", "alt", "anden", "andet", "andre", "at", "bare", "begge",
	"blev", "blive", "bliver", "da", "de", "dem", "den", "denne", "dens",
	"der", "deres", "det", "dette", "dig", "din", "dine", "disse", "dit",
	"dog", "du", "efter", "eller", "en", "end", "er", "et", "for", "fordi",
	"fra", "ham", "han", "hans", "har", "havde", "have", "hende", "hendes",
	"her", "hos", "hun", "hvad", "hvem", "hver", "hvilke", "hvilken",
	"hvis", "hvor", "hvordan", "hvorfor", "hvornår", "i", "ikke", "ind",
	"jeg", "jer", "jeres", "kan", "kunne", "man", "mange", "med", "meget",
	"men", "mig", "min", "mine", "mit", "mod", "må", "ned", "noget",
	"nogle", "nu", "når", "og", "også", "om", "op", "os", "over", "på",
	"sig", "sin", "sine", "sit", "skal", "skulle", "som", "så", "sådan",
	"thi", "til", "ud", "under", "var", "vi", "vil", "ville", "vor",
	"vores", "være", "været", "the", "of", "and", "to", "a", "in", "is",
	"how", "do", "i", "my", "what", "can",
};

long hh_analyzer_init(struct hh_analyzer *an, const char *dict_path)
{
	hh_wordset_init(&an->dict);
	hh_wordset_init(&an->stop);
	for (size_t i = 0; i < sizeof(stop_words) / sizeof(stop_words[0]); i++)
		hh_wordset_add(&an->stop, stop_words[i], strlen(stop_words[i]));
	if (!dict_path)
		return -1;
	return hh_wordset_load(&an->dict, dict_path);
}

void hh_analyzer_clear(struct hh_analyzer *an)
{
	hh_wordset_clear(&an->dict);
	hh_wordset_clear(&an->stop);
}

int hh_is_stop(const struct hh_analyzer *an, const char *w, size_t len)
{
	return hh_wordset_has(&an->stop, w, len);
}

/* ---- per-thread stemmer ---------------------------------------------- */

static pthread_key_t stem_key;
static pthread_once_t stem_once = PTHREAD_ONCE_INIT;

static void stem_free(void *p)
{
	sb_stemmer_delete(p);
}

static void stem_key_init(void)
{
	pthread_key_create(&stem_key, stem_free);
}

static struct sb_stemmer *stemmer(void)
{
	pthread_once(&stem_once, stem_key_init);
	struct sb_stemmer *s = pthread_getspecific(stem_key);
	if (!s) {
		s = sb_stemmer_new("danish", "UTF_8");
		if (!s)
			abort(); /* libstemmer without Danish: a broken install */
		pthread_setspecific(stem_key, s);
	}
	return s;
}

/* ---- folding --------------------------------------------------------- */

static size_t put_cp(char *out, size_t o, size_t cap, int32_t cp)
{
	unsigned char tmp[4];
	ssize_t n = utf8proc_encode_char(cp, tmp);
	if (n <= 0 || o + (size_t)n >= cap)
		return o;
	memcpy(out + o, tmp, (size_t)n);
	return o + (size_t)n;
}

/* Whether w has æ, ø or å (lower case: words are lower-cased first). */
static int has_danish_letter(const char *w, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if ((unsigned char)w[i] == 0xc3 &&
		    ((unsigned char)w[i + 1] == 0xa6 || (unsigned char)w[i + 1] == 0xb8 ||
		     (unsigned char)w[i + 1] == 0xa5))
			return 1;
	return 0;
}

/* aa → å, ae → æ, oe → ø (ASCII spellings of the Danish letters), in a
 * word written without æ, ø and å: one that has them spells them so,
 * and its "oe" is a vowel and an ending (dødsbo|et, bro|en), which read
 * as ø would hide the ending from the stemmer. */
static size_t translit(const char *w, size_t len, char *out, size_t cap)
{
	size_t o = 0;
	if (has_danish_letter(w, len)) {
		if (len >= cap)
			len = cap - 1;
		memcpy(out, w, len);
		out[len] = 0;
		return len;
	}
	for (size_t i = 0; i < len && o + 3 < cap; i++) {
		if (i + 1 < len) {
			const char *rep = NULL;
			if (w[i] == 'a' && w[i + 1] == 'a')
				rep = "å";
			else if (w[i] == 'a' && w[i + 1] == 'e')
				rep = "æ";
			else if (w[i] == 'o' && w[i + 1] == 'e')
				rep = "ø";
			if (rep) {
				memcpy(out + o, rep, 2);
				o += 2;
				i++;
				continue;
			}
		}
		out[o++] = w[i];
	}
	out[o] = 0;
	return o;
}

/* Strips diacritics and Danish letters to plain Latin letters. */
static void fold(const char *w, size_t len, char out[HH_TERM_MAX])
{
	size_t o = 0;
	utf8proc_ssize_t i = 0;
	while ((size_t)i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)w + i,
						     (utf8proc_ssize_t)len - i, &cp);
		if (n <= 0) {
			i++;
			continue;
		}
		i += n;
		const char *rep = NULL;
		switch (cp) {
		case 0xe6: rep = "a"; break; /* æ */
		case 0xf8: rep = "o"; break; /* ø */
		case 0xe5: rep = "a"; break; /* å */
		case 0xdf: rep = "ss"; break;
		default: break;
		}
		if (!rep && cp >= 0x80) {
			/* decompose and keep the base letter (é → e, ü → u) */
			utf8proc_int32_t dec[8];
			int last;
			utf8proc_ssize_t m = utf8proc_decompose_char(
				cp, dec, 8, UTF8PROC_DECOMPOSE, &last);
			if (m > 0 && dec[0] < 0x80) {
				if (o + 1 < HH_TERM_MAX)
					out[o++] = (char)dec[0];
				continue;
			}
			if (utf8proc_category(cp) == UTF8PROC_CATEGORY_MN)
				continue; /* stray combining mark */
			o = put_cp(out, o, HH_TERM_MAX, cp);
			continue;
		}
		if (rep) {
			size_t rl = strlen(rep);
			if (o + rl < HH_TERM_MAX) {
				memcpy(out + o, rep, rl);
				o += rl;
			}
		} else if (o + 1 < HH_TERM_MAX) {
			out[o++] = (char)cp;
		}
	}
	out[o] = 0;
}

void hh_fold_of(const char *word, size_t len, char out[HH_TERM_MAX])
{
	char t[HH_WORD_MAX * 2];
	size_t tl = translit(word, len, t, sizeof(t));
	fold(t, tl, out);
}

/* Letters with diacritics other than æ, ø and å to their base letters
 * (é → e, ü → u, ß → ss) before stemming: the Danish stemmer knows æ, ø
 * and å but not é, so "café" and "cafe" would otherwise stem differently
 * ("cafe", "caf") and never meet. The output is never longer than w. */
static size_t strip_accents(const char *w, size_t len, char *out)
{
	size_t o = 0;
	utf8proc_ssize_t i = 0;
	while ((size_t)i < len) {
		utf8proc_int32_t cp, dec[8];
		int last;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)w + i,
						     (utf8proc_ssize_t)len - i, &cp);
		if (n <= 0) {
			out[o++] = w[i++];
			continue;
		}
		if (cp == 0xdf) { /* ß */
			out[o++] = 's';
			out[o++] = 's';
		} else if (cp >= 0x80 && cp != 0xe6 && cp != 0xf8 && cp != 0xe5 &&
			   utf8proc_decompose_char(cp, dec, 8, UTF8PROC_DECOMPOSE,
						   &last) > 0 &&
			   dec[0] < 0x80) {
			out[o++] = (char)dec[0];
		} else {
			memcpy(out + o, w + i, (size_t)n);
			o += (size_t)n;
		}
		i += n;
	}
	out[o] = 0;
	return o;
}

/* hh_term_of, reading the digraphs or not (a compound's part reads them
 * as its whole word does: bo|ets of dødsboets is not bøts). */
static void term_of(const char *word, size_t len, int digraphs,
		    char out[HH_TERM_MAX])
{
	char tr[HH_WORD_MAX * 2], t[HH_WORD_MAX * 2];
	size_t tl;
	if (digraphs) {
		tl = translit(word, len, tr, sizeof(tr));
	} else {
		tl = len < sizeof(tr) ? len : sizeof(tr) - 1;
		memcpy(tr, word, tl);
		tr[tl] = 0;
	}
	tl = strip_accents(tr, tl, t);
	struct sb_stemmer *s = stemmer();
	const sb_symbol *st = sb_stemmer_stem(s, (const sb_symbol *)t, (int)tl);
	if (st)
		fold((const char *)st, (size_t)sb_stemmer_length(s), out);
	else
		fold(t, tl, out);
}

void hh_term_of(const char *word, size_t len, char out[HH_TERM_MAX])
{
	char tr[HH_WORD_MAX * 2], t[HH_WORD_MAX * 2];
	size_t tl = translit(word, len, tr, sizeof(tr));
	tl = strip_accents(tr, tl, t);
	struct sb_stemmer *s = stemmer();
	const sb_symbol *st = sb_stemmer_stem(s, (const sb_symbol *)t, (int)tl);
	if (st)
		fold((const char *)st, (size_t)sb_stemmer_length(s), out);
	else
		fold(t, tl, out);
}

int hh_term_variants(const char *word, size_t len, const char *term,
		     char out[2][HH_TERM_MAX])
{
	char t[HH_WORD_MAX * 2];
	struct sb_stemmer *s = stemmer();
	int n = 0;
	if (len >= HH_WORD_MAX)
		return 0;
	/* the ASCII word read without digraphs: dodsboet as dodsbo|et */
	if (!has_danish_letter(word, len) &&
	    (memmem(word, len, "oe", 2) || memmem(word, len, "ae", 2) ||
	     memmem(word, len, "aa", 2))) {
		size_t tl = strip_accents(word, len, t);
		const sb_symbol *st = sb_stemmer_stem(s, (const sb_symbol *)t, (int)tl);
		if (st) {
			fold((const char *)st, (size_t)sb_stemmer_length(s), out[n]);
			if (strcmp(out[n], term))
				n++;
		}
	}
	/* the term stemmed again: an ending that hid another from the
	 * stemmer (beboerlicens|en gives beboerlicens, whose own stem is that
	 * of beboerlicens). The term is folded (ø as o ...): the stemmer
	 * reads the same vowels in it, and this is one stem a query word. */
	size_t tl = strlen(term);
	const sb_symbol *st = sb_stemmer_stem(s, (const sb_symbol *)term, (int)tl);
	if (st && (size_t)sb_stemmer_length(s) < tl) {
		size_t sl = (size_t)sb_stemmer_length(s);
		memcpy(out[n], st, sl);
		out[n][sl] = 0;
		if (!n || strcmp(out[n], out[0]))
			n++;
	}
	return n;
}

/* ---- compounds ------------------------------------------------------- */

#define PART_MIN 3 /* bytes; Danish letters are 2 bytes, so "øl" passes */
#define MAX_PARTS 3

static int part_ok(const struct hh_analyzer *an, const char *p, size_t n)
{
	return n >= PART_MIN && hh_wordset_has(&an->dict, p, n) &&
	       !hh_wordset_has(&an->stop, p, n);
}

/* Inflectional endings that the word list also has as words of their
 * own ("ens": alike): as the last part of a split they are the ending,
 * not a word (grundskyld|ens is grundskyldens, not a compound). */
static int is_ending(const char *p, size_t n)
{
	static const char *const endings[] = { "ens", "ene", "enes", "ende",
					       "endes", "heden", "hedens" };
	for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++)
		if (strlen(endings[i]) == n && !memcmp(endings[i], p, n))
			return 1;
	return 0;
}

/* The last part of a split: a word of the list that is not an ending, or
 * one with a genitive s (dag|plejens: "plejens" is not in the list,
 * "plejen" is). */
static int last_part_ok(const struct hh_analyzer *an, const char *p, size_t n)
{
	if (is_ending(p, n))
		return 0;
	if (part_ok(an, p, n))
		return 1;
	return n > PART_MIN && p[n - 1] == 's' && !is_ending(p, n - 1) &&
	       part_ok(an, p, n - 1);
}

/* Finds the best split of w into at most max parts. Splits are scored by
 * the sum of the squared part lengths (a linking s or e counts with the
 * part before it), which prefers few, long parts and a long head:
 * syge|dagpenge over sygedag|penge, sundheds|kortet over sundhed|skortet.
 * Writes part boundaries and returns the part count, 0 when w does not
 * split; *score gets the split's score. */
static int split(const struct hh_analyzer *an, const char *w, size_t len,
		 int max, size_t starts[MAX_PARTS], size_t lens[MAX_PARTS],
		 size_t *score)
{
	int best = 0;
	size_t best_score = 0;
	for (size_t i = PART_MIN; i + PART_MIN <= len; i++) {
		if ((w[i] & 0xc0) == 0x80)
			continue; /* inside a UTF-8 sequence */
		if (!part_ok(an, w, i))
			continue;
		for (int link = 0; link < 2; link++) {
			size_t b = i;
			if (link) {
				if (w[i] != 's' && w[i] != 'e')
					continue;
				b = i + 1;
			}
			if (len - b < PART_MIN)
				continue;
			size_t s2[MAX_PARTS], l2[MAX_PARTS], sc = 0;
			int n = 0;
			if (last_part_ok(an, w + b, len - b)) {
				n = 1;
				s2[0] = b;
				l2[0] = len - b;
				sc = (len - b) * (len - b);
			} else if (max > 2) {
				n = split(an, w + b, len - b, max - 1, s2, l2, &sc);
				for (int k = 0; k < n; k++)
					s2[k] += b;
			}
			if (!n)
				continue;
			sc += b * b;
			if (sc > best_score) {
				best = n + 1;
				best_score = sc;
				starts[0] = 0;
				lens[0] = i;
				for (int k = 0; k < n; k++) {
					starts[k + 1] = s2[k];
					lens[k + 1] = l2[k];
				}
			}
		}
	}
	*score = best_score;
	return best;
}

/* ---- tokeniser ------------------------------------------------------- */

static int word_char(utf8proc_int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* Unicode gives ø no decomposition, so NFC leaves "o" + U+0338 (or
 * U+0337), which shows as ø, as two characters that neither the stemmer
 * nor the word list knows. Reads them as ø, in place (NUL-terminated);
 * returns the new length. */
static size_t compose_slashed_o(utf8proc_uint8_t *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == 'o' && i + 2 < n && s[i + 1] == 0xcc &&
		    (s[i + 2] == 0xb8 || s[i + 2] == 0xb7)) {
			s[o++] = 0xc3; /* ø */
			s[o++] = 0xb8;
			i += 2;
			continue;
		}
		s[o++] = s[i];
	}
	s[o] = 0;
	return o;
}

/* Lower-cases and NFC-composes the word at text[start..end) into out. */
static size_t lower_word(const char *text, size_t start, size_t end,
			 char *out, size_t cap, int has_mark)
{
	size_t o = 0;
	if (has_mark) {
		utf8proc_uint8_t *m = NULL;
		utf8proc_ssize_t n = utf8proc_map(
			(const utf8proc_uint8_t *)text + start,
			(utf8proc_ssize_t)(end - start), &m,
			UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
		if (n > 0) {
			n = (utf8proc_ssize_t)compose_slashed_o(m, (size_t)n);
			o = (size_t)n < cap - 1 ? (size_t)n : cap - 1;
			/* do not cut inside a UTF-8 sequence */
			while (o && (m[o] & 0xc0) == 0x80 && o < (size_t)n)
				o--;
			memcpy(out, m, o);
		}
		free(m);
		out[o] = 0;
		return o;
	}
	utf8proc_ssize_t i = (utf8proc_ssize_t)start;
	while ((size_t)i < end) {
		unsigned char b = (unsigned char)text[i];
		if (b < 0x80) {
			if (o + 1 >= cap)
				break;
			out[o++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
						     (utf8proc_ssize_t)(end - (size_t)i), &cp);
		if (n <= 0)
			break;
		i += n;
		size_t before = o;
		o = put_cp(out, o, cap, utf8proc_tolower(cp));
		if (o == before)
			break; /* full */
	}
	out[o] = 0;
	return o;
}

/* ---- the term cache ------------------------------------------------- */

/* pool entry: u8 word length, word, u8 part count, term NUL, parts NUL */

void hh_term_cache_init(struct hh_term_cache *c)
{
	memset(c, 0, sizeof(*c));
}

void hh_term_cache_clear(struct hh_term_cache *c)
{
	free(c->slots);
	free(c->pool);
	hh_term_cache_init(c);
}

static const unsigned char *cache_find(const struct hh_term_cache *c,
				       const char *w, size_t wl)
{
	if (!c->n_slots || wl > 255)
		return NULL;
	size_t j = hh_hash_bytes(w, wl) & (c->n_slots - 1);
	while (c->slots[j]) {
		const unsigned char *e = (const unsigned char *)c->pool + c->slots[j] - 1;
		if (e[0] == wl && memcmp(e + 1, w, wl) == 0)
			return e + 1 + wl;
		j = (j + 1) & (c->n_slots - 1);
	}
	return NULL;
}

static void cache_put(struct hh_term_cache *c, const char *w, size_t wl,
		      const char *term, char parts[][HH_TERM_MAX], int n_parts)
{
	if (wl > 255)
		return;
	if ((c->n + 1) * 2 > c->n_slots) {
		size_t n = c->n_slots ? c->n_slots * 2 : 4096;
		uint32_t *slots = hh_xcalloc(n, sizeof(uint32_t));
		for (size_t i = 0; i < c->n_slots; i++) {
			if (!c->slots[i])
				continue;
			const unsigned char *e = (const unsigned char *)c->pool + c->slots[i] - 1;
			size_t j = hh_hash_bytes((const char *)e + 1, e[0]) & (n - 1);
			while (slots[j])
				j = (j + 1) & (n - 1);
			slots[j] = c->slots[i];
		}
		free(c->slots);
		c->slots = slots;
		c->n_slots = n;
	}
	size_t need = 2 + wl + strlen(term) + 1;
	for (int k = 0; k < n_parts; k++)
		need += strlen(parts[k]) + 1;
	if (c->pool_len + need > c->pool_cap) {
		while (c->pool_len + need > c->pool_cap)
			c->pool_cap = c->pool_cap ? c->pool_cap * 2 : 65536;
		c->pool = hh_xrealloc(c->pool, c->pool_cap);
	}
	char *e = c->pool + c->pool_len;
	size_t o = 0;
	e[o++] = (char)(unsigned char)wl;
	memcpy(e + o, w, wl);
	o += wl;
	e[o++] = (char)n_parts;
	size_t tl = strlen(term) + 1;
	memcpy(e + o, term, tl);
	o += tl;
	for (int k = 0; k < n_parts; k++) {
		size_t pl = strlen(parts[k]) + 1;
		memcpy(e + o, parts[k], pl);
		o += pl;
	}
	size_t j = hh_hash_bytes(w, wl) & (c->n_slots - 1);
	while (c->slots[j])
		j = (j + 1) & (c->n_slots - 1);
	c->slots[j] = (uint32_t)(c->pool_len + 1);
	c->pool_len += o;
	c->n++;
}

/* The code point at text[i] (ASCII without utf8proc: most text); returns
 * its length in bytes, <= 0 for an invalid byte. */
static utf8proc_ssize_t cp_at(const char *text, size_t len, size_t i,
			      utf8proc_int32_t *cp)
{
	if ((unsigned char)text[i] < 0x80) {
		*cp = (unsigned char)text[i];
		return 1;
	}
	return utf8proc_iterate((const utf8proc_uint8_t *)text + i,
				(utf8proc_ssize_t)(len - i), cp);
}

/* s-fast: what next_word needs to know of a byte without decoding: 1, an
 * ASCII letter or digit (word_char's answer below 0x80); 0, other ASCII; 2, the start
 * of U+00C0-U+00FF (0xC3: the Latin-1 letters, æ ø å é ü among them);
 * 3, any other byte of 0x80 and up (decoded by utf8proc). */
#define B_ASCII_OTHER 0
#define B_ASCII_WORD 1
#define B_LATIN1 2
#define B_DECODE 3
#define R10(v) v, v, v, v, v, v, v, v, v, v
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
static const unsigned char byte_class[256] = {
	R16(0), R16(0), R16(0),      /* 0x00-0x2f */
	R10(1), 0, 0, 0, 0, 0, 0,    /* 0-9, 0x3a-0x3f */
	0, R16(1), R10(1), 0, 0, 0, 0, 0, /* @, A-Z, [-_ */
	0, R16(1), R10(1), 0, 0, 0, 0, 0, /* `, a-z, {-DEL */
	R16(3), R16(3), R16(3), R16(3), /* 0x80-0xbf */
	3, 3, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0xc0-0xcf */
	R16(3), R16(3), R16(3),      /* 0xd0-0xff */
};
#undef R10
#undef R16

/* s-fast: a character of 0xC3 and a continuation byte (b2), U+00C0 to
 * U+00FF, is a letter (Lu or Ll: word_char, never a mark) but for
 * U+00D7 (×) and U+00F7 (÷), both Sm: what utf8proc says, without the
 * decoding and the table look-up (tests/text: latin1_fast_path). */
static inline int latin1_word(unsigned char b2)
{
	return b2 != 0x97 && b2 != 0xb7;
}

/* Finds the next word at or after *i: its bytes are [*start, *i) after
 * the call; *has_mark tells whether it holds combining marks (then it needs
 * NFC). Returns 0 at the end of the text. One tokeniser for analysis and
 * for hh_word_next, so their word positions agree. */
static inline __attribute__((always_inline)) int
next_word(const char *text, size_t len, size_t *i, size_t *start,
	  int *has_mark)
{
	const unsigned char *u = (const unsigned char *)text;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	size_t k = *i;
	while (k < len) {
		unsigned cls = byte_class[u[k]];
		if (cls == B_ASCII_WORD)
			break;
		if (cls == B_ASCII_OTHER) { /* most text: no decoding */
			k++;
			continue;
		}
		if (cls == B_LATIN1 && k + 1 < len && (u[k + 1] & 0xc0) == 0x80) {
			if (latin1_word(u[k + 1]))
				break;
			k += 2;
			continue;
		}
		n = cp_at(text, len, k, &cp);
		if (n <= 0) {
			k++;
			continue;
		}
		if (!word_char(cp) || utf8proc_category(cp) == UTF8PROC_CATEGORY_MN) {
			k += (size_t)n;
			continue;
		}
		break;
	}
	if (k >= len) {
		*i = k;
		return 0;
	}
	*start = k;
	*has_mark = 0;
	while (k < len) {
		unsigned cls = byte_class[u[k]];
		if (cls == B_ASCII_WORD) {
			k++;
			continue;
		}
		if (cls == B_ASCII_OTHER)
			break;
		if (cls == B_LATIN1 && k + 1 < len && (u[k + 1] & 0xc0) == 0x80) {
			if (!latin1_word(u[k + 1]))
				break;
			k += 2;
			continue;
		}
		n = cp_at(text, len, k, &cp);
		if (n <= 0 || !word_char(cp))
			break;
		if (cp >= 0x300 && utf8proc_category(cp) >= UTF8PROC_CATEGORY_MN &&
		    utf8proc_category(cp) <= UTF8PROC_CATEGORY_ME)
			*has_mark = 1;
		k += (size_t)n;
	}
	*i = k;
	return 1;
}

uint32_t hh_analyze(const struct hh_analyzer *an, const char *text, size_t len,
		    int flags, hh_token_cb cb, void *ctx)
{
	return hh_analyze_cached(an, NULL, text, len, flags, cb, ctx);
}

uint32_t hh_analyze_cached(const struct hh_analyzer *an,
			   struct hh_term_cache *cache, const char *text,
			   size_t len, int flags, hh_token_cb cb, void *ctx)
{
	uint32_t pos = 0;
	size_t i = 0;
	size_t start;
	int has_mark;
	while (next_word(text, len, &i, &start, &has_mark)) {
		struct hh_token t;
		t.start = start;
		t.end = i;
		t.pos = pos++;
		t.part = 0;
		t.fresh = 0;
		t.prefix_ok = i == len;
		size_t wl = lower_word(text, start, i, t.word, sizeof(t.word),
				       has_mark);
		if (!wl)
			continue;
		if (hh_wordset_has(&an->stop, t.word, wl)) {
			if (flags & HH_AN_KEEP_STOP) {
				t.term[0] = 0;
				if (cb(ctx, &t))
					return pos;
			}
			continue;
		}
		/* 7+ letters, not bytes: "søvand" (6 letters) is not split */
		int long_word = wl >= 7 && hh_utf8_len(t.word) >= 7;
		int want_parts = (flags & HH_AN_COMPOUNDS) && an->dict.n && long_word;
		char parts[MAX_PARTS][HH_TERM_MAX];
		int n_parts = 0;
		const unsigned char *hit = cache ? cache_find(cache, t.word, wl) : NULL;
		if (hit) {
			n_parts = hit[0];
			const char *p = (const char *)hit + 1;
			size_t tl = strlen(p);
			memcpy(t.term, p, tl + 1);
			p += tl + 1;
			for (int k = 0; k < n_parts; k++) {
				size_t pl = strlen(p);
				memcpy(parts[k], p, pl + 1);
				p += pl + 1;
			}
		} else {
			hh_term_of(t.word, wl, t.term);
			if (want_parts || (cache && !(flags & HH_AN_CACHE_RO))) {
				size_t st[MAX_PARTS], ln[MAX_PARTS], sc;
				int np = an->dict.n && long_word
						 ? split(an, t.word, wl, MAX_PARTS, st, ln, &sc)
						 : 0;
				int digraphs = !has_danish_letter(t.word, wl);
				for (int k = 0; k < np; k++) {
					term_of(t.word + st[k], ln[k], digraphs,
						parts[n_parts]);
					if (strcmp(parts[n_parts], t.term) != 0)
						n_parts++;
				}
			}
			if (cache && !(flags & HH_AN_CACHE_RO)) {
				cache_put(cache, t.word, wl, t.term, parts, n_parts);
				t.fresh = 1;
			}
		}
		if (cb(ctx, &t))
			return pos;
		if (want_parts && n_parts) {
			struct hh_token p = t;
			p.part = 1;
			p.prefix_ok = 0;
			for (int k = 0; k < n_parts; k++) {
				memcpy(p.term, parts[k], HH_TERM_MAX);
				if (cb(ctx, &p))
					return pos;
			}
		}
	}
	return pos;
}

int hh_word_next(const char *text, size_t len, size_t *at, size_t *start,
		 size_t *end)
{
	int has_mark;
	if (!next_word(text, len, at, start, &has_mark))
		return 0;
	*end = *at;
	return 1;
}

size_t hh_word_skip(const char *text, size_t len, size_t *at, size_t n,
		    size_t stop)
{
	size_t k = 0, start, i = *at;
	int has_mark;
	while (k < n && next_word(text, len, &i, &start, &has_mark) && i <= stop)
		k++;
	*at = i;
	return k;
}
