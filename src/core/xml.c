/* xml.c - a small XML writer (see xml.h). */
#include "core/xml.h"

void hh_xml_text(struct hh_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': hh_buf_puts(b, "&amp;"); break;
		case '<': hh_buf_puts(b, "&lt;"); break;
		case '>': hh_buf_puts(b, "&gt;"); break;
		case '"': hh_buf_puts(b, "&quot;"); break;
		case '\'': hh_buf_puts(b, "&apos;"); break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
				hh_buf_putc(b, (char)c);
		}
	}
}

static void indent(struct hh_buf *b, int depth)
{
	hh_buf_putc(b, '\n');
	for (int i = 0; i < depth; i++)
		hh_buf_puts(b, "  ");
}

void hh_xml_element(struct hh_buf *b, const char *name, json_t *v, int depth,
		    hh_xml_item_name_fn *item_name)
{
	indent(b, depth);
	if (json_is_null(v) || (json_is_array(v) && !json_array_size(v)) ||
	    (json_is_object(v) && !json_object_size(v))) {
		hh_buf_printf(b, "<%s/>", name);
		return;
	}
	hh_buf_printf(b, "<%s>", name);
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x) hh_xml_element(b, k, x, depth + 1, item_name);
		indent(b, depth);
	} else if (json_is_array(v)) {
		char item[64];
		item_name(name, item, sizeof(item));
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) hh_xml_element(b, item, x, depth + 1, item_name);
		indent(b, depth);
	} else if (json_is_string(v)) {
		hh_xml_text(b, json_string_value(v));
	} else if (json_is_integer(v)) {
		hh_buf_printf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		hh_buf_printf(b, "%.10g", json_real_value(v));
	} else {
		hh_buf_puts(b, json_is_true(v) ? "true" : "false");
	}
	hh_buf_printf(b, "</%s>", name);
}

void hh_xml_document(struct hh_buf *b, const char *root, json_t *v,
		     hh_xml_item_name_fn *item_name)
{
	hh_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
	hh_xml_element(b, root, v, 0, item_name);
	hh_buf_putc(b, '\n');
}
