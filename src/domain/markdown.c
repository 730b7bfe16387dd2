/* markdown.c - CommonMark rendering where raw HTML becomes visible text.
 *
 * cmark's safe mode replaces raw HTML with a comment; an editor who typed
 * "<b>" would then see it silently vanish. We turn raw HTML nodes into text
 * nodes instead, so they are escaped and shown as typed. */
#include "domain/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static void replace_html(cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	size_t l = lit ? strlen(lit) : 0;
	cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
	if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
		/* A block becomes a paragraph of literal text, without the
		 * trailing newline cmark keeps. */
		while (l && (lit[l - 1] == '\n' || lit[l - 1] == '\r'))
			l--;
		char *copy = hh_xstrndup(lit ? lit : "", l);
		cmark_node_set_literal(text, copy);
		free(copy);
		cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
		cmark_node_append_child(para, text);
		cmark_node_replace(n, para);
	} else {
		cmark_node_set_literal(text, lit ? lit : "");
		cmark_node_replace(n, text);
	}
	cmark_node_free(n);
}

char *hh_markdown_html(const char *md, size_t len)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	/* Collect first: the tree must not change under the iterator. */
	cmark_node **found = NULL;
	size_t n_found = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER &&
		    (t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK)) {
			found = hh_xrealloc(found, (n_found + 1) * sizeof(*found));
			found[n_found++] = n;
		}
	}
	cmark_iter_free(it);
	for (size_t i = 0; i < n_found; i++)
		replace_html(found[i]);
	free(found);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	cmark_node_free(doc);
	return html;
}
