/* letter.c - a letter as an A4 PDF with Cairo and Pango (see letter.h). */
#include "render/letter.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "core/arena.h"
#include "core/dktime.h"
#include "core/util.h"
#include "render/hyphen.h"

#define MM(x) ((x) * 72.0 / 25.4)
#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define LEFT MM(25)
#define RIGHT MM(20)
#define TEXT_W (PAGE_W - LEFT - RIGHT)
#define COL2 MM(125)   /* the right-hand column of page one */
#define TOP_NEXT MM(25)
#define BOTTOM (PAGE_H - MM(25))
#define FONT "DejaVu Sans"
#define MAX_BLOCKS 4096

enum kind { K_TITLE, K_PARA, K_HEADING, K_ITEM, K_CLOSING };

struct block {
	PangoLayout *layout;
	double before; /* space above, points */
	double indent; /* list items: the hanging indent */
	enum kind kind;
};

struct flow {
	const struct hh_letter_doc *doc;
	cairo_t *cr;
	struct block *blocks;
	int n;
	int draw;
	int page, pages;
	double y, body_top;
};

static PangoLayout *layout_new(cairo_t *cr, struct hh_arena *a,
			       const char *text, const char *font,
			       double width, double indent)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoContext *ctx = pango_layout_get_context(l);
	pango_context_set_language(ctx, pango_language_from_string("da-dk"));
	pango_layout_context_changed(l);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	if (indent > 0)
		pango_layout_set_indent(l, (int)(-indent * PANGO_SCALE));
	pango_layout_set_text(l, hh_hyphenate_da(a, text), -1);
	return l;
}

static void show_at(cairo_t *cr, PangoLayout *l, double x, double y)
{
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
}

static double layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Page one's head: the sender, the recipient, the date; sets body_top. */
static void head_first(struct flow *f, struct hh_arena *a)
{
	const struct hh_letter_doc *d = f->doc;
	PangoLayout *name = layout_new(f->cr, a, d->sender, FONT " Bold 15",
				       COL2 - LEFT - MM(5), 0);
	PangoLayout *lines = layout_new(f->cr, a, d->sender_lines ? d->sender_lines : "",
					FONT " 8.5", PAGE_W - RIGHT - COL2, 0);
	PangoLayout *to = layout_new(f->cr, a, d->recipient, FONT " 10", MM(85), 0);
	char *dated = hh_arena_printf(a, "Dato: %s%s%s", d->date,
				      d->reference ? "\n" : "",
				      d->reference ? d->reference : "");
	PangoLayout *date = layout_new(f->cr, a, dated, FONT " 9",
				       PAGE_W - RIGHT - COL2, 0);
	double head = MM(15) + layout_h(name);
	double side = MM(15) + layout_h(lines);
	double addr_y = (head > side ? head : side) + MM(8);
	if (addr_y < MM(50))
		addr_y = MM(50);
	if (f->draw) {
		cairo_set_source_rgb(f->cr, 0, 0, 0);
		show_at(f->cr, name, LEFT, MM(15));
		cairo_set_source_rgb(f->cr, 0.25, 0.25, 0.25);
		show_at(f->cr, lines, COL2, MM(15));
		cairo_set_source_rgb(f->cr, 0, 0, 0);
		show_at(f->cr, to, LEFT, addr_y);
		show_at(f->cr, date, COL2, addr_y);
	}
	double to_end = addr_y + layout_h(to), date_end = addr_y + layout_h(date);
	f->body_top = (to_end > date_end ? to_end : date_end) + MM(15);
	if (f->body_top < MM(95))
		f->body_top = MM(95);
	g_object_unref(name);
	g_object_unref(lines);
	g_object_unref(to);
	g_object_unref(date);
}

static void head_next(struct flow *f, struct hh_arena *a)
{
	if (!f->draw)
		return;
	PangoLayout *l = layout_new(f->cr, a, f->doc->sender, FONT " 8",
				    TEXT_W, 0);
	cairo_set_source_rgb(f->cr, 0.35, 0.35, 0.35);
	show_at(f->cr, l, LEFT, MM(12));
	cairo_set_source_rgb(f->cr, 0, 0, 0);
	g_object_unref(l);
}

static void foot(struct flow *f, struct hh_arena *a)
{
	if (!f->draw)
		return;
	char *s = hh_arena_printf(a, "Side %d af %d", f->page, f->pages);
	PangoLayout *l = layout_new(f->cr, a, s, FONT " 8", TEXT_W, 0);
	pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	cairo_set_source_rgb(f->cr, 0.35, 0.35, 0.35);
	show_at(f->cr, l, LEFT, PAGE_H - MM(15));
	cairo_set_source_rgb(f->cr, 0, 0, 0);
	g_object_unref(l);
}

static void new_page(struct flow *f, struct hh_arena *a)
{
	foot(f, a);
	if (f->draw)
		cairo_show_page(f->cr);
	f->page++;
	head_next(f, a);
	f->y = TOP_NEXT;
}

/* One pass over the blocks: counts the pages (draw 0) or draws them. */
static void run(struct flow *f, struct hh_arena *a)
{
	f->page = 1;
	head_first(f, a);
	f->y = f->body_top;
	for (int i = 0; i < f->n; i++) {
		struct block *b = &f->blocks[i];
		f->y += f->y > TOP_NEXT ? b->before : 0;
		/* a heading is not left alone at the foot of a page */
		if (b->kind == K_HEADING && i + 1 < f->n &&
		    f->y + layout_h(b->layout) + 2 * 14.0 > BOTTOM)
			new_page(f, a);
		PangoLayoutIter *it = pango_layout_get_iter(b->layout);
		int first = 1;
		do {
			PangoRectangle r;
			pango_layout_iter_get_line_extents(it, NULL, &r);
			int base = pango_layout_iter_get_baseline(it);
			double lh = (double)r.height / PANGO_SCALE;
			if (f->y + lh > BOTTOM && !(first && f->y == TOP_NEXT))
				new_page(f, a);
			if (f->draw) {
				PangoLayoutLine *line =
					pango_layout_iter_get_line_readonly(it);
				cairo_move_to(f->cr, LEFT + (double)r.x / PANGO_SCALE,
					      f->y + (double)(base - r.y) / PANGO_SCALE);
				pango_cairo_show_layout_line(f->cr, line);
			}
			f->y += lh;
			first = 0;
		} while (pango_layout_iter_next_line(it));
		pango_layout_iter_free(it);
	}
	foot(f, a);
}

static int add(struct flow *f, struct hh_arena *a, enum kind k,
	       const char *text, const char *font, double before,
	       double indent)
{
	if (f->n == MAX_BLOCKS)
		return 0;
	struct block *b = &f->blocks[f->n++];
	b->kind = k;
	b->before = before;
	b->indent = indent;
	b->layout = layout_new(f->cr, a, text, font, TEXT_W, indent);
	return 1;
}

/* The body's paragraphs, headings and list items as blocks. */
static int add_body(struct flow *f, struct hh_arena *a, const char *body)
{
	const char *p = body;
	while (*p) {
		while (*p == '\n')
			p++;
		if (!*p)
			break;
		const char *end = strstr(p, "\n\n");
		if (!end)
			end = p + strlen(p);
		char *para = hh_arena_strndup(a, p, (size_t)(end - p));
		p = end;
		if (!strncmp(para, "## ", 3)) {
			if (!add(f, a, K_HEADING, para + 3, FONT " Bold 11", 12, 0))
				return 0;
			continue;
		}
		if (!strncmp(para, "- ", 2)) {
			/* each "- " line an item, its continuation lines
			 * joined */
			int first = 1;
			for (char *item = para; item;) {
				char *next = strstr(item, "\n- ");
				if (next)
					*next = 0;
				for (char *q = item; *q; q++)
					if (*q == '\n')
						*q = ' ';
				char *text = hh_arena_printf(a, "•\u2002%s", item + 2);
				if (!add(f, a, K_ITEM, text, FONT " 10.5",
					 first ? 6 : 2, 11))
					return 0;
				first = 0;
				item = next ? next + 1 : NULL;
			}
			continue;
		}
		if (!add(f, a, K_PARA, para, FONT " 10.5", 7, 0))
			return 0;
	}
	return 1;
}

static cairo_status_t write_out(void *closure, const unsigned char *data,
				unsigned int len)
{
	hh_buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static int doc_ok(const struct hh_letter_doc *doc)
{
	return doc->sender && *doc->sender && doc->recipient &&
	       *doc->recipient && doc->date && doc->title && *doc->title &&
	       doc->body;
}

/* Lays out doc on cr's surface from a new page on, its last page shown;
 * *pages gets how many it took. */
static enum hh_rc lay_out(cairo_t *cr, const struct hh_letter_doc *doc,
			  int *pages)
{
	enum hh_rc rc = HH_OK;
	struct hh_arena a;
	hh_arena_init(&a);
	struct flow f = { .doc = doc, .cr = cr };
	f.blocks = hh_arena_calloc(&a, MAX_BLOCKS * sizeof(*f.blocks));
	if (!add(&f, &a, K_TITLE, doc->title, FONT " Bold 13", 0, 0) ||
	    !add_body(&f, &a, doc->body) ||
	    (doc->closing && !add(&f, &a, K_CLOSING, doc->closing,
				  FONT " 10.5", 18, 0))) {
		rc = HH_ERR_INVALID; /* more blocks than a letter has */
		goto done;
	}
	f.draw = 0;
	run(&f, &a);
	f.pages = f.page;
	f.draw = 1;
	run(&f, &a);
	cairo_show_page(cr);
	*pages = f.pages;
done:
	for (int i = 0; i < f.n; i++)
		g_object_unref(f.blocks[i].layout);
	hh_arena_clear(&a);
	return rc;
}

static cairo_surface_t *surface_new(struct hh_buf *out, const char *title,
				    const char *author, int64_t created_at)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, out,
								 PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, author);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "helhed");
	char iso[HH_ISO8601_SIZE];
	hh_iso8601_dk(created_at ? created_at : hh_now_us() / 1000000, iso);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
	return s;
}

enum hh_rc hh_letter_pdf(const struct hh_letter_doc *doc, struct hh_buf *out,
			 int *pages)
{
	if (!doc_ok(doc))
		return HH_ERR_INVALID;
	size_t start = out->len;
	cairo_surface_t *s = surface_new(out, doc->title, doc->sender,
					 doc->created_at);
	cairo_t *cr = cairo_create(s);
	int n = 0;
	enum hh_rc rc = lay_out(cr, doc, &n);
	cairo_surface_finish(s);
	if (rc == HH_OK && (cairo_status(cr) != CAIRO_STATUS_SUCCESS ||
			    cairo_surface_status(s) != CAIRO_STATUS_SUCCESS))
		rc = HH_ERR_INTERNAL;
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	if (rc != HH_OK)
		out->len = start; /* nothing half-written */
	else if (pages)
		*pages = n;
	return rc;
}

enum hh_rc hh_letter_pdf_batch(const struct hh_letter_doc *const *docs, int n,
			       struct hh_buf *out, int *pages)
{
	if (n < 1)
		return HH_ERR_INVALID;
	for (int i = 0; i < n; i++)
		if (!doc_ok(docs[i]))
			return HH_ERR_INVALID;
	size_t start = out->len;
	cairo_surface_t *s = surface_new(out, "Printbatch", docs[0]->sender,
					 docs[0]->created_at);
	cairo_t *cr = cairo_create(s);
	enum hh_rc rc = HH_OK;
	int total = 0;
	for (int i = 0; rc == HH_OK && i < n; i++) {
		int k = 0;
		rc = lay_out(cr, docs[i], &k);
		total += k;
		if (rc == HH_OK && (total % 2) && i + 1 < n) {
			/* the back of the last sheet stays blank */
			cairo_show_page(cr);
			total++;
		}
	}
	cairo_surface_finish(s);
	if (rc == HH_OK && (cairo_status(cr) != CAIRO_STATUS_SUCCESS ||
			    cairo_surface_status(s) != CAIRO_STATUS_SUCCESS))
		rc = HH_ERR_INTERNAL;
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	if (rc != HH_OK)
		out->len = start;
	else if (pages)
		*pages = total;
	return rc;
}
