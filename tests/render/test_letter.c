/* test_letter.c - letters as PDF: read back with poppler's pdftotext and
 * pdffonts, the text must be there in order (header, recipient, Danish
 * date, title, body with æøå, closing), every page numbered "Side i af
 * N", long Danish words hyphenated at line ends, every font embedded;
 * and Danish hyphenation on its own. */
#include "testutil.h"

#include <pthread.h>

#include "render/hyphen.h"
#include "render/letter.h"
#include "render/letter_html.h"

#define SHY "\xc2\xad"

/* s without its soft hyphens, into a. */
static char *unshy(struct hh_arena *a, const char *s)
{
	char *out = hh_arena_strdup(a, s), *w = out;
	for (const char *p = s; *p;) {
		if (!strncmp(p, SHY, 2)) {
			p += 2;
			continue;
		}
		*w++ = *p++;
	}
	*w = 0;
	return out;
}

static void test_hyphenation(void **state)
{
	(void)state;
	assert_true(hh_hyphen_ready());
	struct hh_arena a;
	hh_arena_init(&a);
	const char *in = "Sagsbehandlingstiden for børnetilskud er kort.";
	const char *out = hh_hyphenate_da(&a, in);
	assert_string_equal(unshy(&a, out), in); /* only soft hyphens added */
	/* the long words are broken, the short ones not */
	const char *w1 = strstr(out, "Sags");
	assert_non_null(w1);
	assert_true(strstr(out, SHY) < strstr(out, " for "));
	assert_non_null(strstr(out, "b" "ø")); /* æøå kept whole */
	const char *kort = strstr(out, " er kort.");
	assert_non_null(kort);
	/* never fewer than two letters on either side of a break */
	for (const char *p = strstr(out, SHY); p; p = strstr(p + 2, SHY)) {
		assert_true(p[-1] != ' ' && p[-2] != ' ');
		assert_true(p[2] != ' ' && p[2] != '.' && p[3] != ' ' &&
			    p[3] != '.');
	}
	/* "Sags-behand-lings-tiden": breaks at the compound's joints */
	char *word = hh_arena_strndup(&a, out, (size_t)(strchr(out, ' ') - out));
	assert_true(strstr(word, "Sags" SHY) || strstr(word, "sags" SHY) ||
		    strstr(word, "lings" SHY));
	/* short text and text with nothing to break come back as they were */
	const char *s = "Du får svar.";
	assert_ptr_equal(hh_hyphenate_da(&a, s), s);
	/* letters outside Latin-1 leave the word alone */
	const char *greek = "Αλφαβητικότητα";
	assert_ptr_equal(hh_hyphenate_da(&a, greek), greek);
	hh_arena_clear(&a);
}

static const char body[] =
	"Du har søgt om boligstøtte til din lejlighed på Skovvej 12. "
	"Vi har nu behandlet din ansøgning.\n\n"
	"## Afgørelse\n\n"
	"Du får boligstøtte med 1.850,00 kr. om måneden fra den 1. januar "
	"2027. Beløbet udbetales til din NemKonto.\n\n"
	"## Begrundelse\n\n"
	"Vi har lagt vægt på husstandens indkomst, huslejen og boligens "
	"størrelse. Boligstøtteberegningen følger reglerne i lov om "
	"individuel boligstøtte.\n\n"
	"- Husstandsindkomsten er opgjort efter oplysningerne fra "
	"indkomstregistret.\n"
	"- Huslejen er den, udlejer har oplyst.\n\n"
	"## Klagevejledning\n\n"
	"Hvis du er uenig i afgørelsen, kan du klage til Ankestyrelsen. "
	"Klagen skal være modtaget senest fire uger efter, at du har fået "
	"denne afgørelse.\n\n";

/* Runs cmd with the PDF at path in place of %s; its output, new. */
static char *run_tool(const char *fmt, const char *path)
{
	char cmd[4400];
	snprintf(cmd, sizeof(cmd), fmt, path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct hh_buf b;
	hh_buf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		hh_buf_append(&b, chunk, n);
	assert_int_equal(pclose(p), 0);
	return hh_buf_steal(&b);
}

static char *write_pdf(const struct hh_buf *pdf, char **dir)
{
	*dir = tu_tmpdir();
	char *path = hh_xmalloc(4200);
	snprintf(path, 4200, "%s/brev.pdf", *dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf->data, 1, pdf->len, f), pdf->len);
	fclose(f);
	return path;
}

static struct hh_letter_doc letter(const char *text)
{
	return (struct hh_letter_doc){
		.sender = "Nordskov Kommune",
		.sender_lines = "Borgerservice\nRådhustorvet 1\n4990 Nordskov\n"
				"Telefon 70 20 30 40",
		.recipient = "Søren Ærø Åberg\nSkovvej 12, 2. th.\n4990 Nordskov",
		.date = "4. december 2026",
		.reference = "Sagsnr. 03.22.04-P20-17-26",
		.title = "Afgørelse om boligstøtte",
		.body = text,
		.closing = "Med venlig hilsen\n\nJonas Krogh\nSagsbehandler",
		.created_at = 1796380800,
	};
}

static void test_one_page(void **state)
{
	(void)state;
	struct hh_letter_doc d = letter(body);
	struct hh_buf pdf;
	hh_buf_init(&pdf);
	int pages = 0;
	assert_int_equal(hh_letter_pdf(&d, &pdf, &pages), HH_OK);
	assert_int_equal(pages, 1);
	assert_true(pdf.len > 1000 && !memcmp(pdf.data, "%PDF-", 5));
	char *dir;
	char *path = write_pdf(&pdf, &dir);
	char *text = run_tool("pdftotext -enc UTF-8 '%s' -", path);
	/* in reading order */
	const char *order[] = { "Nordskov Kommune", "Søren Ærø Åberg",
				"Dato: 4. december 2026",
				"Sagsnr. 03.22.04-P20-17-26",
				"Afgørelse om boligstøtte", "1.850,00 kr.",
				"Begrundelse", "Klagevejledning", "Ankestyrelsen",
				"Med venlig hilsen", "Jonas Krogh", "Side 1 af 1" };
	const char *at = text;
	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
		const char *hit = strstr(at, order[i]);
		if (!hit)
			fail_msg("\"%s\" missing or out of order in:\n%s",
				 order[i], text);
		at = hit;
	}
	/* every font embedded: pdffonts' "emb" column says yes */
	char *fonts = run_tool("pdffonts '%s'", path);
	int rows = 0;
	for (char *line = strtok(fonts, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "name", 4) && strncmp(line, "----", 4)) {
			rows++;
			assert_non_null(strstr(line, " yes "));
		}
	}
	assert_true(rows >= 2); /* regular and bold */
	free(fonts);
	free(text);
	free(path);
	tu_rmdir(dir);
	hh_buf_clear(&pdf);
}

static void test_many_pages_hyphenated(void **state)
{
	(void)state;
	/* long words in a long letter: page numbers and hyphens at line
	 * ends */
	struct hh_buf b;
	hh_buf_init(&b);
	for (int i = 0; i < 40; i++)
		hh_buf_printf(&b, "Afsnit %d. Sagsbehandlingstiden for "
				  "ansøgninger om arbejdsmarkedsydelse og "
				  "børnebørnsopsparingsordninger afhænger af "
				  "kommunalbestyrelsens beslutninger om "
				  "serviceniveauet.\n\n", i + 1);
	struct hh_letter_doc d = letter(hh_buf_str(&b));
	struct hh_buf pdf;
	hh_buf_init(&pdf);
	int pages = 0;
	assert_int_equal(hh_letter_pdf(&d, &pdf, &pages), HH_OK);
	assert_true(pages >= 3);
	char *dir;
	char *path = write_pdf(&pdf, &dir);
	char *text = run_tool("pdftotext -enc UTF-8 '%s' -", path);
	for (int p = 1; p <= pages; p++) {
		char want[32];
		snprintf(want, sizeof(want), "Side %d af %d", p, pages);
		if (!strstr(text, want))
			fail_msg("no \"%s\" in:\n%s", want, text);
	}
	/* the last paragraph and the closing made it to the last page */
	assert_non_null(strstr(text, "Afsnit 40."));
	const char *last = strstr(text, "Side 1 af");
	assert_true(strstr(text, "Med venlig hilsen") > last);
	/* some line ends in a hyphen inside a word (pdftotext gives the
	 * soft hyphen the line was broken at, or U+2010 or "-") */
	int broken = 0;
	for (const char *p = text; (p = strchr(p, '\n')); p++) {
		if ((p - text >= 2 && !strncmp(p - 2, SHY, 2)) ||
		    (p - text >= 3 && !strncmp(p - 3, "\xe2\x80\x90", 3)) ||
		    (p - text >= 2 && p[-1] == '-' && p[-2] != ' ' && p[1] &&
		     p[1] != '\n'))
			broken++;
	}
	if (!broken)
		fail_msg("no word hyphenated at a line end:\n%s", text);
	free(text);
	free(path);
	tu_rmdir(dir);
	hh_buf_clear(&pdf);
	hh_buf_clear(&b);
}

static void test_refused(void **state)
{
	(void)state;
	struct hh_buf pdf;
	hh_buf_init(&pdf);
	hh_buf_puts(&pdf, "before");
	struct hh_letter_doc d = letter(body);
	d.title = "";
	assert_int_equal(hh_letter_pdf(&d, &pdf, NULL), HH_ERR_INVALID);
	d = letter(body);
	d.recipient = NULL;
	assert_int_equal(hh_letter_pdf(&d, &pdf, NULL), HH_ERR_INVALID);
	d = letter(NULL);
	assert_int_equal(hh_letter_pdf(&d, &pdf, NULL), HH_ERR_INVALID);
	assert_string_equal(hh_buf_str(&pdf), "before"); /* nothing added */
	hh_buf_clear(&pdf);
}

static void *render_thread(void *p)
{
	struct hh_letter_doc d = letter(body);
	struct hh_buf pdf;
	hh_buf_init(&pdf);
	int pages = 0;
	for (int i = 0; i < 3; i++) {
		hh_buf_reset(&pdf);
		if (hh_letter_pdf(&d, &pdf, &pages) != HH_OK || pages != 1)
			*(int *)p = 1;
	}
	hh_buf_clear(&pdf);
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	pthread_t t[4];
	int bad[4] = { 0 };
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, render_thread, &bad[i]),
				 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(bad[i], 0);
	}
}

/* The HTML version has the same parts as the PDF, every text escaped,
 * headings and lists as such, and line breaks kept. */
static void test_html(void **state)
{
	(void)state;
	struct hh_letter_doc d = {
		.sender = "Nordskov <Kommune>",
		.sender_lines = "Rådhustorvet 1\n4100 Nordskov",
		.recipient = "Mette Jensen\nSkovvej 3\n4100 Nordskov",
		.date = "4. december 2026",
		.reference = "Sagsnr. 24.00.00-G01-17-26",
		.title = "Afgørelse om enkeltydelse & lån",
		.body = "Du får hjælp.\nLinje to.\n\n## Begrundelse\n\n"
			"- første punkt\n  fortsat\n- andet \"punkt\"\n\n"
			"<script>alert(1)</script>",
		.closing = "Med venlig hilsen\n\nJonas Krogh",
	};
	struct hh_buf b;
	hh_buf_init(&b);
	assert_int_equal(hh_letter_html(&d, &b), HH_OK);
	const char *h = hh_buf_str(&b);
	assert_non_null(strstr(h, "<strong>Nordskov &lt;Kommune&gt;</strong><br>"
				  "Rådhustorvet 1<br>4100 Nordskov"));
	assert_non_null(strstr(h, "Mette Jensen<br>Skovvej 3<br>4100 Nordskov"));
	assert_non_null(strstr(h, "Dato: 4. december 2026<br>Sagsnr. 24.00.00-G01-17-26"));
	assert_non_null(strstr(h, "Afgørelse om enkeltydelse &amp; lån</h2>"));
	assert_non_null(strstr(h, "<p>Du får hjælp.<br>Linje to.</p>"));
	assert_non_null(strstr(h, "<h3>Begrundelse</h3>"));
	assert_non_null(strstr(h, "<li>første punkt   fortsat</li>"));
	assert_non_null(strstr(h, "<li>andet &quot;punkt&quot;</li>"));
	assert_null(strstr(h, "<script>"));
	assert_non_null(strstr(h, "&lt;script&gt;"));
	assert_non_null(strstr(h, "Med venlig hilsen<br><br>Jonas Krogh"));
	/* the parts in the order of the PDF */
	assert_true(strstr(h, "letter-sender") < strstr(h, "letter-recipient"));
	assert_true(strstr(h, "letter-recipient") < strstr(h, "Dato:"));
	assert_true(strstr(h, "Dato:") < strstr(h, "letter-title"));
	assert_true(strstr(h, "letter-body") < strstr(h, "letter-closing"));

	/* a required part missing: refused, nothing written */
	hh_buf_reset(&b);
	d.title = NULL;
	assert_int_equal(hh_letter_html(&d, &b), HH_ERR_INVALID);
	assert_int_equal(b.len, 0);
	hh_buf_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hyphenation),
		cmocka_unit_test(test_one_page),
		cmocka_unit_test(test_many_pages_hyphenated),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
