/* csv.h - CSV files for the managers' tables (issue 12), written so that
 * a Danish Excel opens them as they are:
 *
 *   - UTF-8 with a byte order mark (EF BB BF) first, so that Excel reads
 *     æ, ø and å as such and not as Windows-1252;
 *   - ";" between fields and CRLF after each record, because Danish Excel
 *     splits on the list separator of the Danish locale, which is ";"
 *     (the "," is the decimal separator there);
 *   - numbers with a decimal comma, no thousands separator and no unit
 *     (the unit is in the header: "Andel (%)"), so Excel reads them as
 *     numbers; a missing value is an empty field;
 *   - RFC 4180 quoting: a field holding ";", '"', CR or LF is quoted,
 *     with quotes doubled;
 *   - formula injection (CWE-1236): a text field that begins with "=",
 *     "+", "-", "@", a tab or a CR gets a leading apostrophe, so Excel
 *     shows it as text instead of running it. Numbers written with
 *     hh_csv_num are ours and never get one ("-0,45" stays a number).
 *
 * The writer appends to a caller's buffer; nothing else is kept. */
#ifndef HH_RENDER_CSV_H
#define HH_RENDER_CSV_H

#include <stdint.h>

#include "core/buf.h"

struct hh_csv {
	struct hh_buf *b; /* borrowed */
	int col;          /* fields written in the current record */
};

/* Starts a file in b: writes the byte order mark. */
void hh_csv_begin(struct hh_csv *c, struct hh_buf *b);
/* A text field (NULL: empty), quoted and protected as above. */
void hh_csv_text(struct hh_csv *c, const char *s);
/* A number with `decimals` decimals and a decimal comma; NAN: empty. */
void hh_csv_num(struct hh_csv *c, double v, int decimals);
/* A whole number. */
void hh_csv_int(struct hh_csv *c, int64_t v);
/* Ends the record (CRLF). */
void hh_csv_end_row(struct hh_csv *c);

/* A file name for Content-Disposition from a Danish title and a period:
 * "servicetal-tendens-2026-01-01-2026-03-31.csv" (letters folded to
 * ASCII, æ → ae, ø → oe, å → aa, anything else to "-"), into out. */
void hh_csv_filename(char *out, size_t size, const char *title,
		     const char *from, const char *to);

#endif
