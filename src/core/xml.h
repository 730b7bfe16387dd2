/* xml.h - a small XML writer: escaped character data, and a JSON value
 * written as elements (what Open311's .xml resources are).
 *
 * Written by hand rather than with libxml2's xmlTextWriter: the output is
 * a tree of plain elements without attributes or namespaces, and keeping
 * it here keeps libxml2 out of the server's link line. */
#ifndef HH_XML_H
#define HH_XML_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

/* Appends s (valid UTF-8) as XML character data: markup escaped, and the
 * control characters XML 1.0 cannot carry dropped. */
void hh_xml_text(struct hh_buf *b, const char *s);

/* Names the elements of a list element's items ("attributes" →
 * "attribute") into out. */
typedef void hh_xml_item_name_fn(const char *list, char *out, size_t size);

/* Appends v as the element <name> at depth (two spaces each): objects as
 * child elements in their order, arrays as items named by item_name,
 * null and empty containers as an empty element, booleans as
 * true/false. */
void hh_xml_element(struct hh_buf *b, const char *name, json_t *v, int depth,
		    hh_xml_item_name_fn *item_name);

/* The XML declaration, v as the root element <root>, and a final newline. */
void hh_xml_document(struct hh_buf *b, const char *root, json_t *v,
		     hh_xml_item_name_fn *item_name);

#endif
