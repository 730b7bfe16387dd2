/* letters_bench.c - letters rendered per second on one core (make
 * bench-letters), beside a peer measured in the same run.
 *
 * helhed: the demo's refusal of an enkeltydelse (content/letter-templates/
 * enkeltydelse.json, "refused", its placeholders filled with typical
 * values and a justification of a few sentences) laid out as PDF by
 * render/letter.h (Cairo + Pango: paragraphs, headings, Danish
 * hyphenation, page numbers "Side 1 af N", fonts embedded as subsets) and
 * then wrapped as a MeMo 1.1 message (render/memo.h: the PDF base64'd in
 * the XML), one after the other, on the calling thread.
 *
 * The peer: the same text written as PDF by Cairo alone, with its "toy"
 * text API (cairo_show_text), one line at a time, lines cut at a fixed
 * number of characters and no hyphenation, no shaping beyond what Cairo
 * does itself, no page numbers. It is the cheapest PDF of the same words
 * one can make with the same PDF library and fonts, so the difference is
 * what real text layout (Pango, hyphenation) and the MeMo wrapping cost.
 * groff -Tpdf was the other candidate; it runs as a process per letter
 * and would measure process start-up more than layout.
 *
 * Prints letters per second and the sizes of a typical letter (PDF, MeMo
 * XML); a figure, not a test. Usage: letters_bench [N] (default 300). */
#include <cairo-pdf.h>
#include <cairo.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "render/letter.h"
#include "render/memo.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The value of a placeholder in the bench's letter. */
static const char *value(const char *name)
{
	static const struct {
		const char *name, *value;
	} v[] = {
		{ "citizen.name", "Mette Jensen" },
		{ "case.submitted", "12. november 2026" },
		{ "case.journal_no", "24.00.00-G01-17-26" },
		{ "form.beloeb", "12.500,00 kr." },
		{ "form.udgiftstype", "tandbehandling" },
		{ "free.justification",
		  "Du har oplyst, at du har en opsparing på 38.000 kr. Efter "
		  "reglerne skal du først bruge din egen formue, før kommunen kan "
		  "give hjælp til en enkeltudgift. Vi har set bort fra 10.000 kr., "
		  "som du må beholde, men den resterende formue er større end "
		  "udgiften til tandbehandlingen. Vi har også vurderet, om der er "
		  "helt særlige forhold i din situation, som gør, at du alligevel "
		  "bør have hjælp. Det har vi ikke fundet." },
		{ "free.text", "" },
		{ "legal_basis", "lov om aktiv socialpolitik § 81" },
		{ "appeal.body", "Ankestyrelsen" },
		{ "appeal.deadline", "4 uger" },
		{ "org.name", "Nordskov Kommune" },
		{ "org.phone", "72 10 00 00" },
		{ "org.email", "borgerservice@nordskov.demo" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!strcmp(v[i].name, name))
			return v[i].value;
	return "";
}

static char *merge(const char *s)
{
	struct hh_buf b;
	hh_buf_init(&b);
	for (;;) {
		const char *o = strstr(s, "{{"), *e = o ? strstr(o, "}}") : NULL;
		if (!e) {
			hh_buf_puts(&b, s);
			break;
		}
		hh_buf_append(&b, s, (size_t)(o - s));
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)(e - o - 2), o + 2);
		hh_buf_puts(&b, value(name));
		s = e + 2;
	}
	return hh_buf_steal(&b);
}

/* The refusal's title and body from the demo content. */
static int load_letter(const char *path, char **title, char **body)
{
	json_error_t e;
	json_t *root = json_load_file(path, 0, &e);
	json_t *t = json_object_get(root, "refused");
	json_t *paras = json_object_get(t, "body");
	if (!json_is_array(paras)) {
		fprintf(stderr, "letters_bench: %s: no refused template (%s)\n", path,
			e.text);
		json_decref(root);
		return 0;
	}
	struct hh_buf b;
	hh_buf_init(&b);
	size_t i;
	json_t *p;
	json_array_foreach(paras, i, p)
	{
		char *m = merge(json_string_value(p));
		if (*m) {
			if (b.len)
				hh_buf_puts(&b, "\n\n");
			hh_buf_puts(&b, m);
		}
		free(m);
	}
	*body = hh_buf_steal(&b);
	*title = merge(json_string_value(json_object_get(t, "title")));
	json_decref(root);
	return 1;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data,
			     unsigned int length)
{
	hh_buf_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* The peer: the same words with Cairo's toy text API, 85 characters a
 * line (bytes; good enough for the few æøå), A4, 12 mm margins' worth of
 * points, a new page when the page is full. */
static void peer_pdf(const char *title, const char *body, struct hh_buf *out)
{
	const double w = 595.28, h = 841.89, left = 70, top = 80, lead = 14.5;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 16);
	double y = top;
	cairo_move_to(cr, left, y);
	cairo_show_text(cr, title);
	y += 2 * lead;
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 10.5);
	const char *p = body;
	char line[128];
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n > 85) { /* cut at the last space before 85 */
			n = 85;
			while (n > 20 && p[n] != ' ')
				n--;
		}
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (y > h - top) {
			cairo_show_page(cr);
			y = top;
		}
		cairo_move_to(cr, left, y);
		cairo_show_text(cr, line);
		y += lead;
		p += n;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 300;
	if (n < 1)
		n = 300;
	char *title, *body;
	if (!load_letter("content/letter-templates/enkeltydelse.json", &title, &body))
		return 1;
	struct hh_letter_doc doc = {
		.sender = "Nordskov Kommune",
		.sender_lines = "Rådhustorvet 1\n4100 Nordskov\nTlf. 72 10 00 00\n"
				"borgerservice@nordskov.demo\nhttps://nordskov.demo",
		.recipient = "Mette Jensen\nSkolevej 12\n4700 Nordskov",
		.date = "4. december 2026",
		.reference = "Sagsnr. 24.00.00-G01-17-26",
		.title = title,
		.body = body,
		.closing = "Med venlig hilsen\n\nJonas Krogh\nNordskov Kommune",
		.created_at = 1796400000,
	};
	struct hh_buf pdf, xml;
	hh_buf_init(&pdf);
	hh_buf_init(&xml);
	int pages = 0;
	size_t pdf_size = 0, xml_size = 0;
	/* one warm-up of each: fonts found and cached, as in a running server */
	for (int pass = 0; pass < 2; pass++) {
		int rounds = pass ? n : 1;
		double t0 = now_s();
		for (int i = 0; i < rounds; i++) {
			hh_buf_reset(&pdf);
			hh_buf_reset(&xml);
			if (hh_letter_pdf(&doc, &pdf, &pages) != HH_OK) {
				fprintf(stderr, "letters_bench: the PDF failed\n");
				return 1;
			}
			char uuid[HH_UUID_SIZE];
			hh_uuid4(uuid);
			struct hh_memo m = {
				.message_uuid = uuid, .message_id = "brev-1",
				.label = title, .reply = 0, .legal_notification = 1,
				.sender_cvr = "29189919", .sender_label = "Nordskov Kommune",
				.recipient_type = "CPR", .recipient_id = "1403861236",
				.recipient_label = "Mette Jensen",
				.case_id = "24.00.00-G01-17-26", .case_system = "helhed",
				.kle = "24.00.00", .kle_label = "Enkeltydelser",
				.created_at = 1796400000, .filename = "afgoerelse.pdf",
				.pdf = pdf.data, .pdf_len = pdf.len,
			};
			const char *field = NULL;
			if (hh_memo_xml(&m, &xml, &field) != HH_OK) {
				fprintf(stderr, "letters_bench: MeMo refused %s\n",
					field ? field : "?");
				return 1;
			}
		}
		double helhed_s = now_s() - t0;
		pdf_size = pdf.len;
		xml_size = xml.len;
		struct hh_buf peer;
		hh_buf_init(&peer);
		t0 = now_s();
		for (int i = 0; i < rounds; i++) {
			hh_buf_reset(&peer);
			peer_pdf(title, body, &peer);
		}
		double peer_s = now_s() - t0;
		if (pass) {
			printf("letters: %d rendered on one core\n", n);
			printf("  helhed  PDF (Pango, hyphenation, %d page%s) + MeMo XML: "
			       "%8.1f letters/s  (%.2f ms each)\n",
			       pages, pages == 1 ? "" : "s", n / helhed_s,
			       1000 * helhed_s / n);
			printf("  peer    PDF (Cairo toy text, no layout):              "
			       "%8.1f letters/s  (%.2f ms each)\n",
			       n / peer_s, 1000 * peer_s / n);
			printf("  a typical letter: PDF %zu bytes, MeMo XML %zu bytes; "
			       "peer PDF %zu bytes\n",
			       pdf_size, xml_size, peer.len);
		}
		hh_buf_clear(&peer);
	}
	hh_buf_clear(&pdf);
	hh_buf_clear(&xml);
	free(title);
	free(body);
	return 0;
}
