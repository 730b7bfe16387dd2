/* test_analyze.c - the Danish analyser: NFC and case folding, words and
 * their byte offsets, stop words, stemming, ASCII folding, compound
 * splitting with Debian's word list, invalid UTF-8, and the synonyms file.
 *
 * Expected terms are written as hh_term_of() of the word they should equal
 * where the exact stem is Snowball's business, and literally where the
 * folding is ours ("korekort"). */
#include "testutil.h"

#include <utf8proc.h>

#include "search/synonyms.h"
#include "text/analyze.h"

#define DICT "/usr/share/dict/danish"
#define MAX_TOKENS 128

struct toks {
	struct hh_token t[MAX_TOKENS];
	int n;
};

static int collect(void *p, const struct hh_token *t)
{
	struct toks *c = p;
	assert_true(c->n < MAX_TOKENS);
	c->t[c->n++] = *t;
	return 0;
}

static struct hh_analyzer an; /* with the Debian word list */

/* Analyses text (NUL-terminated) with flags into out; returns the word
 * count hh_analyze reports. */
static uint32_t run(const struct hh_analyzer *a, const char *text, int flags,
		    struct toks *out)
{
	memset(out, 0, sizeof(*out));
	return hh_analyze(a, text, strlen(text), flags, collect, out);
}

/* The terms of the whole words of text, joined with "|". */
static const char *terms(const char *text, int flags, char *buf, size_t size)
{
	struct toks tk;
	run(&an, text, flags, &tk);
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < tk.n; i++) {
		if (tk.t[i].part)
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "|" : "",
				      tk.t[i].term);
		assert_true(n < size);
	}
	return buf;
}

static void term_is(const char *word, const char *want)
{
	char buf[512];
	terms(word, 0, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("term of \"%s\": got \"%s\", want \"%s\"", word, buf, want);
}

static const char *term_of(const char *word, char out[HH_TERM_MAX])
{
	hh_term_of(word, strlen(word), out);
	return out;
}

/* The terms of the compound parts of a single word, "|"-joined; every
 * part shares the word's position and offsets. */
static const char *parts_of(const struct hh_analyzer *a, const char *word,
			    char *buf, size_t size)
{
	struct toks tk;
	assert_int_equal(run(a, word, HH_AN_COMPOUNDS, &tk), 1);
	assert_true(tk.n >= 1);
	assert_int_equal(tk.t[0].part, 0);
	size_t n = 0;
	buf[0] = 0;
	for (int i = 1; i < tk.n; i++) {
		assert_int_equal(tk.t[i].part, 1);
		assert_int_equal(tk.t[i].pos, tk.t[0].pos);
		assert_int_equal(tk.t[i].start, tk.t[0].start);
		assert_int_equal(tk.t[i].end, tk.t[0].end);
		assert_string_equal(tk.t[i].word, tk.t[0].word);
		assert_int_equal(tk.t[i].prefix_ok, 0);
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "|" : "",
				      tk.t[i].term);
		assert_true(n < size);
	}
	return buf;
}

/* Expects the parts of word to be the terms of the given part words. */
static void split_is(const struct hh_analyzer *a, const char *word,
		     const char *p1, const char *p2)
{
	char got[256], want[256], t1[HH_TERM_MAX], t2[HH_TERM_MAX];
	parts_of(a, word, got, sizeof(got));
	if (p1)
		snprintf(want, sizeof(want), "%s|%s", term_of(p1, t1),
			 term_of(p2, t2));
	else
		want[0] = 0;
	if (strcmp(got, want) != 0)
		fail_msg("parts of \"%s\": got \"%s\", want \"%s\"", word, got,
			 want);
}

/* ---- normalising ------------------------------------------------------ */

static void nfc_and_case_folding(void **state)
{
	(void)state;
	struct toks tk;
	/* "ø", "o" + U+0338 COMBINING LONG SOLIDUS OVERLAY, and "Ø". */
	term_is("ø", "o");
	term_is("o\xcc\xb8", "o");
	term_is("\xc3\x98", "o");
	run(&an, "O\xcc\xb8", 0, &tk);
	assert_int_equal(tk.n, 1);
	assert_string_equal(tk.t[0].word, "ø");
	/* Inside words too, where the stemmer sees the letter: "søen" is
	 * not stemmed (its R1 is too short), and the slashed o must not let
	 * the stemmer cut "en" off as from "so?en". */
	char want[HH_TERM_MAX];
	term_of("søen", want);
	term_is("so\xcc\xb8" "en", want);
	term_is("SØEN", want);
	term_is("So\xcc\xb8" "en", want);
	run(&an, "ko\xcc\xb8rekort", 0, &tk);
	assert_string_equal(tk.t[0].word, "kørekort");
	assert_string_equal(tk.t[0].term, "korekort");
	/* "å" written as a + U+030A COMBINING RING ABOVE composes (NFC). */
	run(&an, "A\xcc\x8a" "BEN", 0, &tk);
	assert_int_equal(tk.n, 1);
	assert_string_equal(tk.t[0].word, "åben");
	assert_string_equal(tk.t[0].term, term_of("åben", want));
	/* Upper case everywhere, Danish letters included. */
	run(&an, "KØREKORT Æbler ÅRHUS", 0, &tk);
	assert_int_equal(tk.n, 3);
	assert_string_equal(tk.t[0].word, "kørekort");
	assert_string_equal(tk.t[1].word, "æbler");
	assert_string_equal(tk.t[2].word, "århus");
}

static void tokens_keep_danish_letters_and_digits(void **state)
{
	(void)state;
	struct toks tk;
	uint32_t words = run(&an, "Æbler, øl & 2026-regler: år 3b!", 0, &tk);
	assert_int_equal(words, 6);
	assert_int_equal(tk.n, 6);
	const char *const want[] = { "æbler", "øl", "2026", "regler", "år",
				     "3b" };
	for (int i = 0; i < 6; i++) {
		assert_string_equal(tk.t[i].word, want[i]);
		assert_int_equal(tk.t[i].pos, (uint32_t)i);
		assert_int_equal(tk.t[i].part, 0);
	}
	/* Digits are kept as they are, not stemmed away. */
	assert_string_equal(tk.t[2].term, "2026");
	assert_string_equal(tk.t[5].term, "3b");
	/* Other scripts are words too; punctuation and symbols are not. */
	words = run(&an, "«Ελλάδα» — € 100 % ...", 0, &tk);
	assert_int_equal(words, 2);
	assert_string_equal(tk.t[0].word, "ελλάδα");
	assert_string_equal(tk.t[1].word, "100");
	/* Nothing but separators. */
	assert_int_equal(run(&an, " ,.;:!?-–— ", 0, &tk), 0);
	assert_int_equal(tk.n, 0);
	assert_int_equal(run(&an, "", 0, &tk), 0);
}

static void stop_words_are_dropped(void **state)
{
	(void)state;
	struct toks tk;
	/* hvordan, jeg, et are stop words; får, nyt, pas are not. */
	uint32_t words = run(&an, "Hvordan får jeg et nyt pas", 0, &tk);
	assert_int_equal(words, 6);
	assert_int_equal(tk.n, 3);
	assert_string_equal(tk.t[0].word, "får");
	assert_string_equal(tk.t[1].word, "nyt");
	assert_string_equal(tk.t[2].word, "pas");
	/* Positions still count the stop words, for phrase matching. */
	assert_int_equal(tk.t[0].pos, 1);
	assert_int_equal(tk.t[1].pos, 4);
	assert_int_equal(tk.t[2].pos, 5);
	/* Kept on request, with an empty term. */
	run(&an, "Hvordan får jeg et nyt pas", HH_AN_KEEP_STOP, &tk);
	assert_int_equal(tk.n, 6);
	assert_string_equal(tk.t[0].word, "hvordan");
	assert_string_equal(tk.t[0].term, "");
	assert_string_equal(tk.t[2].term, "");
	assert_true(tk.t[1].term[0] != 0);
	/* Upper case stop words are stop words. */
	run(&an, "OG I TIL", 0, &tk);
	assert_int_equal(tk.n, 0);
	assert_true(hh_is_stop(&an, "og", 2));
	assert_true(hh_is_stop(&an, "på", strlen("på")));
	assert_false(hh_is_stop(&an, "kommune", 7));
	assert_false(hh_is_stop(&an, "borger", 6));
}

static void stemming_joins_inflections(void **state)
{
	(void)state;
	char buf[512], want[512], t[HH_TERM_MAX];
	const char *const groups[][5] = {
		{ "ansøgning", "ansøgninger", "ansøgningen", "ansøgningerne", NULL },
		{ "bolig", "boliger", "boligerne", NULL },
		{ "kørekort", "kørekortet", "kørekortets", "kørekortene", NULL },
		{ "dagpenge", "dagpengene", NULL },
	};
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		term_of(groups[g][0], t);
		assert_true(strlen(t) > 0);
		for (int i = 1; groups[g][i]; i++) {
			terms(groups[g][i], 0, buf, sizeof(buf));
			if (strcmp(buf, t) != 0)
				fail_msg("\"%s\" gives %s, \"%s\" gives %s",
					 groups[g][i], buf, groups[g][0], t);
		}
	}
	/* Different words stay apart. */
	terms("bolig bil", 0, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s|%s", term_of("bolig", t), "bil");
	assert_string_equal(buf, want);
}

static void ascii_spellings_and_accents_fold(void **state)
{
	(void)state;
	term_is("kørekort", "korekort");
	term_is("koerekort", "korekort");
	term_is("korekort", "korekort");
	term_is("KOEREKORT", "korekort");
	char t[HH_TERM_MAX];
	/* aa/å, ae/æ, oe/ø, é/e, ü/u */
	term_is("aarhus", term_of("århus", t));
	term_is("Aarhus", "arhus");
	term_is("aerlig", term_of("ærlig", t));
	term_is("soeen", term_of("søen", t));
	term_is("soen", term_of("søn", t)); /* oe is ø, even here */
	term_is("café", term_of("cafe", t));
	term_is("CAFÉ", term_of("cafe", t));
	term_is("idé", term_of("ide", t));
	term_is("müsli", term_of("musli", t));
	/* Folding without stemming, for completing a partial word. */
	char f[HH_TERM_MAX];
	hh_fold_of("kørekortene", strlen("kørekortene"), f);
	assert_string_equal(f, "korekortene");
	hh_fold_of("aabenraa", 8, f);
	assert_string_equal(f, "abenra");
	hh_fold_of("sundhedsplejerske", 17, f);
	assert_string_equal(f, "sundhedsplejerske");
}

/* ---- compounds -------------------------------------------------------- */

static void compounds_split_with_the_word_list(void **state)
{
	(void)state;
	split_is(&an, "adresseændring", "adresse", "ændring");
	/* The longer head wins: syge|dagpenge, not sygedag|penge. */
	split_is(&an, "sygedagpenge", "syge", "dagpenge");
	/* A linking s: sundheds|kortet, not sundhed|skortet. */
	split_is(&an, "sundhedskortet", "sundhed", "kortet");
	char t[HH_TERM_MAX], buf[256];
	parts_of(&an, "sundhedskortet", buf, sizeof(buf));
	assert_null(strstr(buf, term_of("skortet", t)));
	split_is(&an, "husleje", "hus", "leje");
	/* The whole word's own term comes first, then the parts. */
	struct toks tk;
	run(&an, "adresseændring", HH_AN_COMPOUNDS, &tk);
	assert_int_equal(tk.n, 3);
	assert_string_equal(tk.t[0].term, "adresseandring");
	assert_int_equal(tk.t[0].part, 0);
	/* Only with HH_AN_COMPOUNDS. */
	run(&an, "adresseændring", 0, &tk);
	assert_int_equal(tk.n, 1);
	/* Upper case is split like lower case. */
	split_is(&an, "ADRESSEÆNDRING", "adresse", "ændring");
}

static void compound_parts_follow_the_word_list_rules(void **state)
{
	(void)state;
	/* A word list written for the test, so the candidates are known. */
	char *dir = tu_tmpdir(), path[4200];
	snprintf(path, sizeof(path), "%s/words", dir);
	tu_write(path, "syge\nsygedag\ndagpenge\npenge\nunder\nskrift\nhånd\n"
		       "hus\ntag\nsø\nvand\nport\npas\ntrans\nsundhed\nkort\n"
		       "kortet\nskortet\nefter\nløn\n");
	struct hh_analyzer small;
	assert_int_equal(hh_analyzer_init(&small, path), 20);
	split_is(&small, "sygedagpenge", "syge", "dagpenge");
	split_is(&small, "sundhedskortet", "sundhed", "kortet");
	split_is(&small, "håndskrift", "hånd", "skrift");
	/* Parts are never stop words: "under" and "efter" are. */
	split_is(&small, "underskrift", NULL, NULL);
	split_is(&small, "efterløn", NULL, NULL);
	/* Words of fewer than 7 letters are not split, even when both
	 * halves are words; "søvand" has 7 bytes but 6 letters. */
	split_is(&small, "hustag", NULL, NULL);
	split_is(&small, "søvand", NULL, NULL);
	split_is(&small, "pasport", "pas", "port");
	split_is(&small, "transport", "trans", "port");
	/* A word that is not made of listed words is not split. */
	split_is(&small, "kattelem", NULL, NULL);
	hh_analyzer_clear(&small);
	/* Without a word list, nothing is split. */
	assert_int_equal(hh_analyzer_init(&small, NULL), -1);
	split_is(&small, "sygedagpenge", NULL, NULL);
	hh_analyzer_clear(&small);
	assert_int_equal(hh_analyzer_init(&small, "/nonexistent/words"), -1);
	split_is(&small, "sygedagpenge", NULL, NULL);
	hh_analyzer_clear(&small);
	tu_rmdir(dir);
	/* The real list: parts are not stop words there either. */
	split_is(&an, "underskrift", NULL, NULL);
	split_is(&an, "efterløn", NULL, NULL);
	split_is(&an, "overenskomst", NULL, NULL);
	split_is(&an, "hustag", NULL, NULL);
}

/* s-compound: hh_compound_splits lists every split the analysis weighs,
 * best score first, its first the analysis's own; a query may take
 * another on the index's evidence (search/query.c). */
static void every_split_listed_best_first(void **state)
{
	(void)state;
	char t1[HH_TERM_MAX], t2[HH_TERM_MAX], whole[HH_TERM_MAX];
	struct hh_split sp[8];
	/* the real list ties sundhed|skortets with sundheds|kortets (the
	 * linking s counts with the part before it: 7² + 8² = 8² + 7²); the
	 * analysis keeps the first it meets */
	const char *w = "sundhedskortets";
	int n = hh_compound_splits(&an, w, strlen(w), term_of(w, whole), 3, sp, 8);
	assert_true(n >= 2);
	assert_int_equal(sp[0].n_parts, 2);
	assert_string_equal(sp[0].parts[0], term_of("sundhed", t1));
	assert_string_equal(sp[0].parts[1], term_of("skortet", t2));
	int other = -1;
	for (int i = 1; i < n; i++)
		if (!strcmp(sp[i].parts[1], term_of("kortet", t2)))
			other = i;
	assert_true(other > 0);
	assert_int_equal(sp[other].score, sp[0].score);
	for (int i = 1; i < n; i++)
		assert_true(sp[i - 1].score >= sp[i].score);
	/* max cuts the list, keeping the best */
	assert_int_equal(hh_compound_splits(&an, w, strlen(w), whole, 3, sp, 1), 1);
	assert_string_equal(sp[0].parts[1], term_of("skortet", t2));
	/* two parts at most: the best is the same */
	const char *w3 = "storskraldsordningens";
	term_of(w3, whole);
	n = hh_compound_splits(&an, w3, strlen(w3), whole, 3, sp, 8);
	int three = 0;
	for (int i = 0; i < n; i++)
		three += sp[i].n_parts == 3;
	assert_true(three > 0); /* stor|skralds|ordningens, weighed */
	assert_int_equal(sp[0].n_parts, 2);
	assert_string_equal(sp[0].parts[0], term_of("storskrald", t1));
	n = hh_compound_splits(&an, w3, strlen(w3), whole, 2, sp, 8);
	assert_true(n >= 1);
	assert_string_equal(sp[0].parts[0], t1);
	for (int i = 0; i < n; i++)
		assert_int_equal(sp[i].n_parts, 2);
	/* nothing for short words or words not made of listed words */
	assert_int_equal(hh_compound_splits(&an, "hustag", 6, "hustag", 3, sp, 8), 0);
	assert_int_equal(hh_compound_splits(&an, "kattelemx", 9, "kattelemx", 3, sp, 8), 0);
	/* the first split is the analysis's, over a sample of the list */
	FILE *f = fopen(DICT, "r");
	assert_non_null(f);
	char line[256], got[256], want[256];
	int k = 0, checked = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		size_t len = strlen(line);
		if (k++ % 41 || len < 7 || strchr(line, '-') || strchr(line, '\'') ||
		    strchr(line, ' '))
			continue;
		char low[HH_WORD_MAX];
		struct toks tk;
		if (run(&an, line, HH_AN_COMPOUNDS, &tk) != 1 || !tk.n)
			continue;
		snprintf(low, sizeof(low), "%s", tk.t[0].word);
		parts_of(&an, line, want, sizeof(want));
		n = hh_compound_splits(&an, low, strlen(low), tk.t[0].term, 3, sp, 8);
		size_t o = 0;
		got[0] = 0;
		for (int p = 0; n && p < sp[0].n_parts; p++)
			o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s",
					      o ? "|" : "", sp[0].parts[p]);
		if (strcmp(got, want) != 0)
			fail_msg("\"%s\": first split \"%s\", the analysis's \"%s\"",
				 line, got, want);
		checked++;
	}
	fclose(f);
	assert_true(checked > 5000);
}

/* ---- offsets and bad input -------------------------------------------- */

static void offsets_cover_the_word_in_the_text(void **state)
{
	(void)state;
	const char *text = "  Søg om nyt SUNDHEDSKORT, tak!\tÆbler";
	struct toks tk;
	run(&an, text, HH_AN_COMPOUNDS | HH_AN_KEEP_STOP, &tk);
	const char *const words[] = { "Søg", "om", "nyt", "SUNDHEDSKORT",
				      "tak", "Æbler" };
	int w = 0;
	for (int i = 0; i < tk.n; i++) {
		const struct hh_token *t = &tk.t[i];
		assert_true(t->start < t->end);
		assert_true(t->end <= strlen(text));
		if (t->part) {
			assert_int_equal(t->start, tk.t[i - 1].start);
			continue;
		}
		assert_true(w < 6);
		size_t wl = strlen(words[w]);
		assert_int_equal(t->end - t->start, wl);
		assert_memory_equal(text + t->start, words[w], wl);
		w++;
	}
	assert_int_equal(w, 6);
	/* Only the last word, with nothing after it, may be a prefix. */
	assert_int_equal(tk.t[tk.n - 1].prefix_ok, 1);
	for (int i = 0; i < tk.n - 1; i++)
		assert_int_equal(tk.t[i].prefix_ok, 0);
	run(&an, "nyt sundheds ", 0, &tk);
	assert_int_equal(tk.t[tk.n - 1].prefix_ok, 0);
	/* A combining mark belongs to the word it follows. */
	const char *dec = "x ko\xcc\xb8rekort y";
	run(&an, dec, 0, &tk);
	assert_int_equal(tk.n, 3);
	assert_int_equal(tk.t[1].start, 2);
	assert_int_equal(tk.t[1].end, 2 + strlen("ko\xcc\xb8rekort"));
}

static int check_inside(void *p, const struct hh_token *t)
{
	size_t len = *(size_t *)p;
	assert_true(t->start < t->end);
	assert_true(t->end <= len);
	assert_non_null(memchr(t->term, 0, HH_TERM_MAX));
	assert_non_null(memchr(t->word, 0, HH_WORD_MAX));
	assert_true(hh_utf8_valid(t->word, strlen(t->word)));
	return 0;
}

static void invalid_utf8_separates_words(void **state)
{
	(void)state;
	struct toks tk;
	run(&an, "abc\xff" "def", 0, &tk);
	assert_int_equal(tk.n, 2);
	assert_string_equal(tk.t[0].word, "abc");
	assert_string_equal(tk.t[1].word, "def");
	assert_int_equal(tk.t[1].start, 4);
	/* A lone continuation byte, an overlong '/', a surrogate, a
	 * sequence cut short at the end. */
	run(&an, "\x80\x80kort\xc0\xafpas\xed\xa0\x80" "bil \xc3", 0, &tk);
	assert_int_equal(tk.n, 3);
	assert_string_equal(tk.t[0].word, "kort");
	assert_string_equal(tk.t[1].word, "pas");
	assert_string_equal(tk.t[2].word, "bil");
	/* ø cut in half in the middle of a word. */
	run(&an, "k\xc3rekort", 0, &tk);
	assert_int_equal(tk.n, 2);
	assert_string_equal(tk.t[0].word, "k");
	assert_string_equal(tk.t[1].word, "rekort");
	/* Every byte value, and very long words of one- and two-byte
	 * letters: terms and words are cut, never overflowed or cut inside
	 * a character. */
	char bytes[256 * 3];
	for (int i = 0; i < 256 * 3; i++)
		bytes[i] = (char)(i % 255 + 1);
	size_t len = sizeof(bytes);
	hh_analyze(&an, bytes, len, HH_AN_COMPOUNDS | HH_AN_KEEP_STOP,
		   check_inside, &len);
	char longw[1000];
	memset(longw, 'a', 999);
	longw[999] = 0;
	len = 999;
	hh_analyze(&an, longw, len, HH_AN_COMPOUNDS, check_inside, &len);
	struct hh_buf b;
	hh_buf_init(&b);
	for (int i = 0; i < 400; i++)
		hh_buf_puts(&b, i % 3 ? "ø" : "e\xcc\x81");
	len = b.len;
	assert_int_equal(hh_analyze(&an, hh_buf_str(&b), len,
				    HH_AN_COMPOUNDS, check_inside, &len), 1);
	hh_buf_clear(&b);
	/* NUL bytes inside the given length separate words too. */
	run(&an, "", 0, &tk);
	memset(&tk, 0, sizeof(tk));
	hh_analyze(&an, "ab\0cd", 5, 0, collect, &tk);
	assert_int_equal(tk.n, 2);
}

/* ---- synonyms --------------------------------------------------------- */

static int has_rule(const struct hh_synonyms *s, const char *from,
		    const char *to)
{
	struct hh_syn_phrase f, t;
	memset(&f, 0, sizeof(f));
	memset(&t, 0, sizeof(t));
	/* analyse the plain words the same way the file was */
	struct toks tk;
	run(&an, from, 0, &tk);
	for (int i = 0; i < tk.n; i++)
		memcpy(f.terms[f.n++], tk.t[i].term, HH_TERM_MAX);
	run(&an, to, 0, &tk);
	for (int i = 0; i < tk.n; i++)
		memcpy(t.terms[t.n++], tk.t[i].term, HH_TERM_MAX);
	int found = 0;
	for (size_t r = 0; r < s->n; r++) {
		const struct hh_syn_rule *x = &s->rules[r];
		if (x->from.n != f.n || x->to.n != t.n)
			continue;
		int same = 1;
		for (int k = 0; k < f.n; k++)
			same &= !strcmp(x->from.terms[k], f.terms[k]);
		for (int k = 0; k < t.n; k++)
			same &= !strcmp(x->to.terms[k], t.terms[k]);
		found += same;
	}
	return found;
}

static void synonyms_file_is_parsed(void **state)
{
	(void)state;
	char *dir = tu_tmpdir(), path[4200];
	snprintf(path, sizeof(path), "%s/synonyms.txt", dir);
	tu_write(path,
		 "# a comment line\n"                          /* 1 */
		 "\n"                                          /* 2 */
		 "storskrald, grovaffald   # trailing comment\n" /* 3 */
		 "gult kort => sundhedskort\n"                 /* 4 */
		 "det gule kort => sundhedskort, sygesikringsbevis\n" /* 5 */
		 "ensom linje\n"                               /* 6: one phrase */
		 " => sundhedskort\n"                          /* 7: no left side */
		 "alfa beta gamma delta epsilon zeta eta => x\n" /* 8: 7 words */
		 "og, eller\n"                                 /* 9: stop words */
		 "p\xe5ske, jul\n"                             /* 10: Latin-1 */
		 "bistand => kontanthjælp, socialhjælp, hjælp til forsørgelse, "
		 "økonomisk hjælp, offentlig forsørgelse\n"    /* 11 */
		 "børnepenge, børnecheck, børneydelse\r\n");   /* 12 */
	char *errs = NULL;
	size_t errs_len = 0;
	FILE *ef = open_memstream(&errs, &errs_len);
	struct hh_synonyms s;
	long n = hh_synonyms_load(&s, &an, path, ef);
	fclose(ef);
	/* 2 + 1 + 2 + 5 + 6 rules */
	if (n != 16)
		fail_msg("%ld rules; errors:\n%s", n, errs);
	assert_int_equal(s.n, 16);
	/* Equivalence groups work both ways; one-way rules one way. */
	assert_int_equal(has_rule(&s, "storskrald", "grovaffald"), 1);
	assert_int_equal(has_rule(&s, "grovaffald", "storskrald"), 1);
	assert_int_equal(has_rule(&s, "gult kort", "sundhedskort"), 1);
	assert_int_equal(has_rule(&s, "sundhedskort", "gult kort"), 0);
	/* Multi-word phrases are analysed like text: "det" is a stop word
	 * and drops out; the right side may list several phrases, however
	 * many words they have together. */
	assert_int_equal(has_rule(&s, "gule kort", "sundhedskort"), 1);
	assert_int_equal(has_rule(&s, "gule kort", "sygesikringsbevis"), 1);
	assert_int_equal(has_rule(&s, "gult kort", "sygesikringsbevis"), 0);
	assert_int_equal(has_rule(&s, "bistand", "hjælp forsørgelse"), 1);
	assert_int_equal(has_rule(&s, "bistand", "økonomisk hjælp"), 1);
	assert_int_equal(has_rule(&s, "bistand", "offentlig forsørgelse"), 1);
	assert_int_equal(has_rule(&s, "børnecheck", "børnepenge"), 1);
	assert_int_equal(has_rule(&s, "børneydelse", "børnecheck"), 1);
	/* Inflected forms are analysed to the same terms. */
	assert_int_equal(has_rule(&s, "storskraldet", "grovaffaldet"), 1);
	/* Each bad line is named as FILE:LINE, and no good line is. */
	const int bad[] = { 6, 7, 8, 9, 10 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char where[4300];
		snprintf(where, sizeof(where), "%s:%d:", path, bad[i]);
		if (!strstr(errs, where))
			fail_msg("no error for line %d in:\n%s", bad[i], errs);
	}
	int lines = 0;
	for (const char *p = errs; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 5);
	free(errs);
	hh_synonyms_clear(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.rules);
	/* A file that cannot be read. */
	snprintf(path, sizeof(path), "%s/missing.txt", dir);
	assert_int_equal(hh_synonyms_load(&s, &an, path, NULL), -1);
	assert_int_equal(s.n, 0);
	tu_rmdir(dir);
	/* The project's own file loads without a single complaint. */
	ef = open_memstream(&errs, &errs_len);
	n = hh_synonyms_load(&s, &an, "content/synonyms.txt", ef);
	fclose(ef);
	assert_true(n > 100);
	if (errs_len)
		fail_msg("content/synonyms.txt:\n%s", errs);
	free(errs);
	assert_int_equal(has_rule(&s, "gult kort", "sundhedskort"), 1);
	hh_synonyms_clear(&s);
}

/* ---- s-fast: the tokeniser's fast paths against the slow one ---------- */

/* The tokeniser as it was before its byte table and Latin-1 fast path:
 * every byte of 0x80 and up decoded by utf8proc and asked for its
 * category. hh_word_next must cut every text exactly as this does. */
static int ref_word_char(utf8proc_int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

static int ref_next_word(const char *text, size_t len, size_t *i,
			 size_t *start, size_t *end)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)text;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	while (*i < len) {
		n = utf8proc_iterate(u + *i, (utf8proc_ssize_t)(len - *i), &cp);
		if (n <= 0) {
			(*i)++;
			continue;
		}
		if (!ref_word_char(cp) ||
		    utf8proc_category(cp) == UTF8PROC_CATEGORY_MN) {
			*i += (size_t)n;
			continue;
		}
		*start = *i;
		while (*i < len) {
			n = utf8proc_iterate(u + *i, (utf8proc_ssize_t)(len - *i),
					     &cp);
			if (n <= 0 || !ref_word_char(cp))
				break;
			*i += (size_t)n;
		}
		*end = *i;
		return 1;
	}
	return 0;
}

/* Both tokenisers over text[0, len): the same words at the same bytes. */
static void same_words(const char *text, size_t len)
{
	size_t a = 0, b = 0, sa = 0, ea = 0, sb = 0, eb = 0;
	for (;;) {
		int ga = hh_word_next(text, len, &a, &sa, &ea);
		int gb = ref_next_word(text, len, &b, &sb, &eb);
		if (ga != gb || (ga && (sa != sb || ea != eb))) {
			fprintf(stderr, "tokenisers differ on %zu bytes:", len);
			for (size_t k = 0; k < len; k++)
				fprintf(stderr, " %02x", (unsigned char)text[k]);
			fprintf(stderr, "\n  fast %d [%zu, %zu) slow %d [%zu, %zu)\n",
				ga, sa, ea, gb, sb, eb);
			fail();
		}
		if (!ga)
			return;
	}
}

static void tokeniser_fast_paths_cut_as_unicode_does(void **state)
{
	(void)state;
	/* every code point, alone, between letters, after a space, at the
	 * end: æ ø å é ü and the rest of Latin-1 take the fast path, × and
	 * ÷ (U+00D7, U+00F7) are not letters, marks join their word */
	for (utf8proc_int32_t cp = 1; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t n = utf8proc_encode_char(cp, enc);
		char t[16];
		memcpy(t, enc, (size_t)n);
		same_words(t, (size_t)n);
		memcpy(t, "a", 1);
		memcpy(t + 1, enc, (size_t)n);
		memcpy(t + 1 + n, "b", 1);
		same_words(t, (size_t)n + 2);
		memcpy(t, "ord ", 4);
		memcpy(t + 4, enc, (size_t)n);
		same_words(t, (size_t)n + 4);
		same_words(t + 1, (size_t)n + 3);
	}
	/* broken UTF-8 where the fast path looks: a lead byte 0xC3 at the
	 * very end, before ASCII, before another lead byte; stray
	 * continuation bytes */
	static const char *const broken[] = {
		"\xc3", "a\xc3", "\xc3" "a", "\xc3\xc3\xa6", "\xa6\xc3",
		"b\xc3\xa5\xc3", "\xc3\xb7\xc3\xa6", "\xc3\x97x\xc3\xb8",
		"\xc2\xa0\xc3\xa5", "\xe2\x80\x93\xc3\x98l",
	};
	for (size_t k = 0; k < sizeof(broken) / sizeof(broken[0]); k++)
		same_words(broken[k], strlen(broken[k]));
	/* random bytes, drawn mostly from where the paths part: 0xC3, the
	 * continuation bytes, ASCII letters and punctuation, other leads */
	static const unsigned char pool[] = {
		0xc3, 0xc3, 0xc3, 0xa5, 0xa6, 0xb8, 0x97, 0xb7, 0x80, 0xbf,
		0x98, 0x86, 'a', 'Z', '0', ' ', '-', '.', 0xc2, 0xe2, 0x80,
		0xcc, 0x8a, 0xf0, 0x9f, 0xff, 0x00, 'o',
	};
	uint32_t x = 12345;
	for (int r = 0; r < 200000; r++) {
		char t[12];
		size_t len = 1 + r % 11;
		for (size_t k = 0; k < len; k++) {
			x = x * 1103515245u + 12345u;
			t[k] = (char)pool[(x >> 16) % sizeof(pool)];
		}
		same_words(t, len);
	}
	/* longer strings, mostly ASCII letters and digits, words ended by
	 * every kind of byte at every place */
	static const unsigned char letters[] = {
		'a', 'k', 'z', 'A', 'Q', 'Z', '0', '9', 'e', 'r', 's', 't',
		'@', '[', '`', '{', '/', ':', 0x7f, ' ', 0xc3, 0xa5, 0x97,
		0xcc, 0x8a, 0xe2, 0x80, 0x93, 0xff,
	};
	for (int r = 0; r < 100000; r++) {
		char t[48];
		size_t len = 1 + (size_t)r % 47;
		for (size_t k = 0; k < len; k++) {
			x = x * 1103515245u + 12345u;
			unsigned v = (x >> 16) % 64;
			t[k] = (char)(v < 40 ? letters[v % 12]
					     : letters[v % sizeof(letters)]);
		}
		same_words(t, len);
	}
	/* every ASCII byte after 0 to 15 letters, and before them */
	for (int b = 1; b < 128; b++)
		for (int n = 0; n < 16; n++) {
			char t[40];
			memset(t, 'x', (size_t)n);
			t[n] = (char)b;
			memset(t + n + 1, 'y', 9);
			same_words(t, (size_t)n + 10);
		}
	/* s-http: the SSE2 run over ASCII letters and digits (sixteen bytes
	 * a step, only where a whole block is in the text): every byte
	 * after 0 to 47 word bytes of every kind (the edges of the ranges:
	 * 0, 9, A, Z, a, z), and before 0 to 20 more, so that the byte
	 * falls at every place of a block and the text ends at every place
	 * after it */
	static const char edge[] = "09AZaz5mQk";
	for (int b = 1; b < 256; b++)
		for (int n = 0; n < 48; n++)
			for (int tail = 0; tail <= 20; tail += 4) {
				char t[80];
				for (int k = 0; k < n; k++)
					t[k] = edge[(k + b) % 10];
				t[n] = (char)b;
				for (int k = 0; k < tail; k++)
					t[n + 1 + k] = edge[(k * 3 + n) % 10];
				same_words(t, (size_t)(n + 1 + tail));
				same_words(t + (n > 0), (size_t)(n + tail));
			}
	/* long random texts of long words: mostly word bytes */
	for (int r = 0; r < 50000; r++) {
		char t[128];
		size_t len = 1 + (size_t)r % 127;
		for (size_t k = 0; k < len; k++) {
			x = x * 1103515245u + 12345u;
			unsigned v = (x >> 16) % 128;
			t[k] = (char)(v < 120 ? letters[v % 12]
					      : letters[v % sizeof(letters)]);
		}
		same_words(t, len);
	}
	/* a Danish text, words and offsets (the snippets cut these) */
	const char *da = "Ægtefællen søger om førtidspension – ÅBEN "
			 "rådgivning × 2; fødsel, død, Øresund, café, "
			 "naïve, 3½ år";
	same_words(da, strlen(da));
}

/* ---- fixture ---------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	long n = hh_analyzer_init(&an, DICT);
	if (n < 100000) {
		fprintf(stderr, "%s: %ld words (apt-get install wdanish)\n", DICT, n);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hh_analyzer_clear(&an);
	return 0;
}

int main(void)
{
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nfc_and_case_folding),
		cmocka_unit_test(tokens_keep_danish_letters_and_digits),
		cmocka_unit_test(stop_words_are_dropped),
		cmocka_unit_test(stemming_joins_inflections),
		cmocka_unit_test(ascii_spellings_and_accents_fold),
		cmocka_unit_test(compounds_split_with_the_word_list),
		cmocka_unit_test(compound_parts_follow_the_word_list_rules),
		cmocka_unit_test(every_split_listed_best_first),
		cmocka_unit_test(offsets_cover_the_word_in_the_text),
		cmocka_unit_test(invalid_utf8_separates_words),
		cmocka_unit_test(synonyms_file_is_parsed),
		cmocka_unit_test(tokeniser_fast_paths_cut_as_unicode_does),
	};
	return cmocka_run_group_tests_name("text/analyze", tests, setup,
					   teardown);
}
