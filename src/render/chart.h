/* chart.h - server-rendered SVG charts and their data tables, for the
 * managers' pages (issue 12): a line chart for series over months or
 * weeks, horizontal bars, stacked bars for the channel mix, and the
 * benchmark's spread (min to max, quartile box, median, own marker).
 *
 * Pure functions: they append markup to a buffer and read nothing else,
 * so they are tested on hand-made data (tests/render/test_chart.c).
 *
 * Accessibility, as decided for the dashboard (docs/dashboard.md):
 *   - Every chart is an <svg role="img"> whose accessible name is its
 *     <title> and whose description (<desc>) says in one sentence what it
 *     shows and that the numbers are in the table that follows; the
 *     svg's own texts are not read one by one (role="img" makes them
 *     presentational), because a screen reader user reads a table far
 *     better than a cloud of axis labels.
 *   - Every chart is followed by its data table (hh_chart_table): a real
 *     <table> with <caption> and <th scope>, the same numbers.
 *   - Nothing needs JavaScript or CSS: sizes, colours and fonts are
 *     attributes of the svg.
 *   - Colours have at least 3:1 contrast against white (WCAG 1.4.11) and
 *     are never the only difference: lines have their own marker shape
 *     and dash and are labelled at their end; stacked segments have their
 *     own fill pattern and a legend with the same pattern; bars carry
 *     their value as text.
 *   - Numbers are Danish: decimal comma, "." between thousands, a minus
 *     sign (U+2212) and a non-breaking space before "%" and units
 *     ("69 %", "1.234", "12,5 dage").
 *   - At most one x-axis label per 44 px (12 months always fit; longer
 *     series, such as 53 weeks, label every n-th point), so labels never
 *     overlap. A missing value (NAN) is a gap, never a 0 or a "NaN". */
#ifndef HH_RENDER_CHART_H
#define HH_RENDER_CHART_H

#include "core/buf.h"

/* The value formats of a chart's numbers. */
enum hh_chart_fmt {
	HH_CHART_COUNT = 0, /* 1.234 */
	HH_CHART_SHARE,     /* a share 0..1 shown as "69 %" */
	HH_CHART_NUMBER,    /* with `decimals` decimals and the unit */
};

/* One series: n_points values (the chart's n_labels), NAN for no data.
 * Borrowed for the call. */
struct hh_chart_series {
	const char *name;     /* Danish: the legend and the table's column */
	const double *values;
};

/* A chart over labelled points (months, channels, case types). Strings
 * and arrays are borrowed for the call. */
struct hh_chart {
	const char *id;       /* unique in the page: ids of the title,
				 description and table derive from it
				 ([A-Za-z0-9-] only) */
	const char *title;    /* the chart's name ("Førstegangsløsning pr.
				 måned") */
	const char *desc;     /* one sentence on what it shows; NULL: a
				 sentence pointing at the table is used */
	const char *label_head; /* the table's first column ("Måned") */
	enum hh_chart_fmt fmt;
	int decimals;         /* HH_CHART_NUMBER, HH_CHART_SHARE */
	const char *unit;     /* HH_CHART_NUMBER: "dage", "kr.", NULL */
	int n_labels;
	const char *const *labels; /* "2026-03" keys of months are shown
				      as "mar" and the year at January
				      and the first point; others as is */
	int n_series;
	const struct hh_chart_series *series;
};

/* A line chart: one line per series over the labels. */
void hh_chart_line(struct hh_buf *b, const struct hh_chart *c);
/* Horizontal bars of the first series, one per label, each with its
 * label on the left and its value on the right. */
void hh_chart_bars(struct hh_buf *b, const struct hh_chart *c);
/* Stacked vertical bars: one bar per label, one segment per series (a
 * count each), with a legend. */
void hh_chart_stacked(struct hh_buf *b, const struct hh_chart *c);
/* The chart's data table: a row per label, a column per series; for
 * stacked bars also the total (with_total). Values as the chart shows
 * them; NAN as "–" with "ingen data" for screen readers. */
void hh_chart_table(struct hh_buf *b, const struct hh_chart *c, int with_total);

/* The benchmark's spread of one indicator among peers. */
struct hh_chart_spread {
	const char *id, *title, *desc; /* as in struct hh_chart */
	enum hh_chart_fmt fmt;
	int decimals;
	const char *unit;
	double min, q1, median, q3, max; /* NAN: no peers with a value */
	double own;                      /* NAN: no own value */
	const char *own_label;           /* "Jer" */
	int higher_better;               /* the axis says which way is
					    better */
};
/* A horizontal line from min to max, the box from q1 to q3, the median
 * as a bar across it and the own value as a marked diamond with its
 * value written beside it. */
void hh_chart_spread(struct hh_buf *b, const struct hh_chart_spread *s);

/* Danish number formatting, appended to b: v with `decimals` decimals,
 * "." between thousands, decimal comma, U+2212 for minus. NAN: "–". */
void hh_num_da(struct hh_buf *b, double v, int decimals);
/* v as fmt shows it: "1.234", "69 %", "12,5 dage" (non-breaking spaces
 * before the unit). NAN: "–". */
void hh_value_da(struct hh_buf *b, double v, enum hh_chart_fmt fmt,
		 int decimals, const char *unit);
/* A month key "2026-03" as "marts 2026" (full name, for tables); any
 * other key is appended as is (HTML-escaped). */
void hh_month_da(struct hh_buf *b, const char *key);

#endif
