/* markdown.h - CommonMark to HTML with raw HTML escaped (cmark). */
#ifndef HH_MARKDOWN_H
#define HH_MARKDOWN_H

#include <stddef.h>

/* Renders Markdown to HTML. Raw HTML in the source is shown as text (escaped),
 * never passed through, and links with unsafe schemes (javascript:, data:
 * other than images) are dropped by cmark's safe mode. Returns new (free()). */
char *hh_markdown_html(const char *md, size_t len);

#endif
