/* selfservice.c - /selvbetjening: every self-service form a citizen may
 * send, by topic (the Danish topic names of content/topics.json), each
 * with its description, who receives it and the guidance it belongs to;
 * and /blanket, which has no form of its own, sends the reader there.
 *
 * The list is public and needs no sign-in; the form itself asks for one
 * (pages/blanket.c). Works without JavaScript. */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/services.h"
#include "domain/topics.h"
#include "pages/layout.h"

struct listed {
	struct hh_service s;
	int group; /* the topic's KLE main group; 100: no named topic */
};

struct collect {
	struct hh_arena *a;
	const struct hh_topics *topics;
	struct listed *items;
	size_t n, cap;
};

static enum hh_rc collect_one(void *p, const struct hh_service *s)
{
	struct collect *c = p;
	c->items = hh_arena_grow(c->a, c->items, c->n, &c->cap,
				 sizeof(*c->items), 32);
	struct listed *x = &c->items[c->n++];
	x->s = *s;
	x->group = hh_topic_name(c->topics, s->kle) ? hh_topic_group(s->kle) : 100;
	return HH_OK;
}

/* by topic (the KLE main group's order), then by name as the store gave */
static int cmp_listed(const void *pa, const void *pb)
{
	const struct listed *a = pa, *b = pb;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void one_service(struct hh_req *r, const struct hh_service *s)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<li><h3><a href=\"/blanket/");
	hh_buf_urlenc(b, s->code);
	hh_buf_puts(b, "\">");
	hh_page_text(r, s->name);
	hh_buf_puts(b, "</a></h3>\n");
	if (*s->description) {
		hh_buf_puts(b, "<p>");
		hh_page_text(r, s->description);
		hh_buf_puts(b, "</p>\n");
	}
	hh_buf_puts(b, "<p class=\"who\">Sendes til ");
	if (s->org_name)
		hh_page_text(r, s->org_name);
	else
		hh_buf_puts(b, "din kommune");
	hh_buf_puts(b, "</p>\n");
	if (s->n_articles) {
		hh_buf_puts(b, "<p><a href=\"/artikel/");
		hh_buf_urlenc(b, s->articles[0]);
		hh_buf_puts(b, "\">Læs vejledningen<span class=\"visually-hidden\">"
			       " om ");
		hh_page_text(r, s->name);
		hh_buf_puts(b, "</span></a></p>\n");
	}
	hh_buf_puts(b, "</li>\n");
}

void hh_page_selfservice(struct hh_req *r)
{
	struct hh_topics topics;
	if (hh_topics_load(r->app->store, &r->arena, &topics) != HH_OK)
		memset(&topics, 0, sizeof(topics)); /* numbers are not shown */
	struct collect c = { .a = &r->arena, .topics = &topics };
	enum hh_rc rc = hh_services_each(r->app->store, &r->arena, collect_one, &c);
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Siden kan ikke vises lige nu",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
		return;
	}
	if (c.n)
		qsort(c.items, (size_t)c.n, sizeof(*c.items), cmp_listed);
	struct hh_page p = {
		.title = "Selvbetjening",
		.description = "Alle blanketter, du kan udfylde og sende digitalt, "
			       "ordnet efter emne.",
	};
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/\">Forside</a></li>"
		       "<li aria-current=\"page\">Selvbetjening</li></ol></nav>\n"
		       "<h1>Selvbetjening</h1>\n<p class=\"lead\">Her er alle de "
		       "blanketter, du kan udfylde og sende digitalt. De er ordnet "
		       "efter emne. Du logger ind, når du åbner en blanket, og "
		       "følger bagefter din sag i Mit overblik.</p>\n");
	if (!c.n) {
		hh_buf_puts(b, "<p>Der er ingen blanketter endnu. Kontakt "
			       "Borgerservice, hvis du vil søge om noget.</p>\n");
		hh_page_end(r, 200);
		return;
	}
	/* the topics first, as a table of contents */
	hh_buf_puts(b, "<nav aria-labelledby=\"emner\"><h2 id=\"emner\">Emner"
		       "</h2><ul>\n");
	for (size_t i = 0; i < c.n; i++) {
		if (i && c.items[i].group == c.items[i - 1].group)
			continue;
		int g = c.items[i].group;
		hh_buf_printf(b, "<li><a href=\"#emne-%02d\">", g);
		if (g < 100)
			hh_page_text(r, topics.name[g]);
		else
			hh_buf_puts(b, "Andre blanketter");
		hh_buf_puts(b, "</a></li>\n");
	}
	hh_buf_puts(b, "</ul></nav>\n<div class=\"services\">\n");
	for (size_t i = 0; i < c.n; i++) {
		int g = c.items[i].group;
		if (!i || g != c.items[i - 1].group) {
			if (i)
				hh_buf_puts(b, "</ul>\n</section>\n");
			hh_buf_printf(b, "<section aria-labelledby=\"emne-%02d\">"
					 "<h2 id=\"emne-%02d\">",
				      g, g);
			if (g < 100)
				hh_page_text(r, topics.name[g]);
			else
				hh_buf_puts(b, "Andre blanketter");
			hh_buf_puts(b, "</h2>\n<ul>\n");
		}
		one_service(r, &c.items[i].s);
	}
	hh_buf_puts(b, "</ul>\n</section>\n</div>\n");
	hh_page_end(r, 200);
}

void hh_page_form_index(struct hh_req *r)
{
	hh_resp_redirect(r, 303, "/selvbetjening");
}
