/* chart.c - server-rendered SVG charts and their data tables (see
 * chart.h for the accessibility choices). Coordinates are written with
 * printf's "%.1f" (the C locale's decimal point, as SVG wants); every
 * number a reader sees goes through hh_num_da. */
#include "render/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBSP "\xc2\xa0"
#define MINUS "\xe2\x88\x92"
#define DASH "\xe2\x80\x93"

/* Colours with at least 3:1 contrast against white, told apart by shape
 * or pattern too (chart.h). */
static const char *const COLOURS[] = {
	"#1f4e79", /* dark blue */
	"#b35806", /* dark orange */
	"#1b7837", /* green */
	"#762a83", /* purple */
	"#a50f15", /* dark red */
	"#01665e", /* teal */
	"#4d4d4d", /* grey */
};
#define N_COLOURS (int)(sizeof(COLOURS) / sizeof(COLOURS[0]))
static const char *const DASHES[] = { "", "7 4", "2 3", "9 3 2 3" };

static const char *const MONTH_SHORT[] = { "jan", "feb", "mar", "apr", "maj",
					   "jun", "jul", "aug", "sep", "okt",
					   "nov", "dec" };
static const char *const MONTH_LONG[] = { "januar", "februar", "marts",
					  "april", "maj", "juni", "juli",
					  "august", "september", "oktober",
					  "november", "december" };

/* Chart geometry (viewBox units; the page scales the svg down). */
#define W 720.0
#define H 300.0
#define TOP 24.0
#define BOTTOM 46.0
#define LEFT 64.0
#define RIGHT_LINE 120.0 /* room for the lines' direct labels */
#define RIGHT_BARS 24.0
#define LABEL_MIN 44.0   /* the least room an x-axis label gets */

/* ---- numbers ------------------------------------------------------- */

void hh_num_da(struct hh_buf *b, double v, int decimals)
{
	if (isnan(v) || isinf(v)) {
		hh_buf_puts(b, DASH);
		return;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%.*f", decimals, fabs(v));
	/* no "−0": a value that rounds to zero has no sign */
	int zero = strspn(tmp, "0.") == strlen(tmp);
	if (v < 0 && !zero)
		hh_buf_puts(b, MINUS);
	const char *dot = strchr(tmp, '.');
	size_t ilen = dot ? (size_t)(dot - tmp) : strlen(tmp);
	for (size_t i = 0; i < ilen; i++) {
		if (i > 0 && (ilen - i) % 3 == 0)
			hh_buf_putc(b, '.');
		hh_buf_putc(b, tmp[i]);
	}
	if (dot) {
		hh_buf_putc(b, ',');
		hh_buf_puts(b, dot + 1);
	}
}

void hh_value_da(struct hh_buf *b, double v, enum hh_chart_fmt fmt,
		 int decimals, const char *unit)
{
	if (isnan(v) || isinf(v)) {
		hh_buf_puts(b, DASH);
		return;
	}
	switch (fmt) {
	case HH_CHART_COUNT:
		hh_num_da(b, v, 0);
		break;
	case HH_CHART_SHARE:
		hh_num_da(b, v * 100.0, decimals);
		hh_buf_puts(b, NBSP "%");
		break;
	case HH_CHART_NUMBER:
		hh_num_da(b, v, decimals);
		if (unit && *unit) {
			hh_buf_puts(b, NBSP);
			hh_buf_html(b, unit);
		}
		break;
	}
}

/* The month of a "YYYY-MM" key (1..12) and its year; 0 when key is not
 * one. */
static int month_of(const char *key, int *year)
{
	if (!key || strlen(key) != 7 || key[4] != '-')
		return 0;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (key[i] < '0' || key[i] > '9'))
			return 0;
	int m = (key[5] - '0') * 10 + (key[6] - '0');
	if (m < 1 || m > 12)
		return 0;
	*year = atoi(key);
	return m;
}

void hh_month_da(struct hh_buf *b, const char *key)
{
	int y, m = month_of(key, &y);
	if (!m) {
		hh_buf_html(b, key ? key : "");
		return;
	}
	hh_buf_printf(b, "%s %d", MONTH_LONG[m - 1], y);
}

/* ---- small helpers ------------------------------------------------- */

/* Appends s HTML-escaped, cut to at most max characters (code points)
 * with "…" when longer. */
static void put_cut(struct hh_buf *b, const char *s, int max)
{
	if (!s)
		return;
	int n = 0;
	size_t i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (n == max)
				break;
			n++;
		}
	}
	if (!s[i]) {
		hh_buf_html(b, s);
		return;
	}
	/* drop the last whole character to make room for the ellipsis,
	   and cut at the last space when it is near (whole words) */
	size_t j = i;
	do
		j--;
	while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80);
	for (size_t k = j; k > 0 && k + 12 > j; k--)
		if (s[k] == ' ') {
			j = k;
			break;
		}
	hh_buf_html_n(b, s, j);
	hh_buf_puts(b, "\xe2\x80\xa6");
}

static int chars_of(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int has_value(double v)
{
	return !isnan(v) && !isinf(v);
}

/* A round step for about `parts` ticks up to v (1, 2, 2.5 or 5 times a
 * power of ten); counts step by whole numbers. */
static double nice_step(double v, int parts, enum hh_chart_fmt fmt)
{
	if (!(v > 0))
		return 1;
	double raw = v / parts;
	double p = pow(10, floor(log10(raw)));
	double f = raw / p;
	double step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
	step *= p;
	if (fmt == HH_CHART_COUNT && step < 1)
		step = 1;
	return step;
}

struct scale {
	double max, step;
};

/* The y scale from 0 to the largest value, in round steps; shares go to
 * 100 % at most. */
static struct scale scale_for(double vmax, enum hh_chart_fmt fmt)
{
	struct scale s;
	if (fmt == HH_CHART_SHARE) {
		if (!(vmax > 0) || vmax > 1)
			vmax = 1;
		s.step = nice_step(vmax, 4, fmt);
		if (s.step < 0.05)
			s.step = 0.05;
	} else {
		s.step = nice_step(vmax, 4, fmt);
	}
	s.max = ceil(vmax / s.step - 1e-9) * s.step;
	if (s.max < s.step)
		s.max = s.step;
	return s;
}

/* Tick labels: shares as whole percents, counts whole, other numbers
 * with as many decimals as the step needs. */
static void tick_label(struct hh_buf *b, double v, enum hh_chart_fmt fmt,
		       double step)
{
	if (fmt == HH_CHART_SHARE) {
		double pct = v * 100.0;
		hh_num_da(b, pct, fabs(pct - round(pct)) < 1e-6 ? 0 : 1);
		hh_buf_puts(b, NBSP "%");
		return;
	}
	int d = 0;
	if (fmt == HH_CHART_NUMBER && step < 1)
		d = step < 0.1 ? 2 : 1;
	hh_num_da(b, v, d);
}

static void svg_open(struct hh_buf *b, const char *id, const char *title,
		     const char *desc, double w, double h, int empty)
{
	hh_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			 "class=\"chart\" role=\"img\" width=\"%.0f\" "
			 "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
			 "font-family=\"sans-serif\" font-size=\"12\" "
			 "aria-labelledby=\"",
		      w, h, w, h);
	hh_buf_html(b, id);
	hh_buf_puts(b, "-t\" aria-describedby=\"");
	hh_buf_html(b, id);
	hh_buf_puts(b, "-d\"><title id=\"");
	hh_buf_html(b, id);
	hh_buf_puts(b, "-t\">");
	hh_buf_html(b, title ? title : "");
	hh_buf_puts(b, "</title><desc id=\"");
	hh_buf_html(b, id);
	hh_buf_puts(b, "-d\">");
	if (desc && *desc) {
		hh_buf_html(b, desc);
		hh_buf_putc(b, ' ');
	}
	hh_buf_puts(b, empty ? "Der er ingen data i perioden."
			     : "Tallene står i tabellen under diagrammet.");
	hh_buf_puts(b, "</desc>\n");
}

static void no_data(struct hh_buf *b, double w, double h)
{
	hh_buf_printf(b, "<rect x=\"0.5\" y=\"0.5\" width=\"%.0f\" "
			 "height=\"%.0f\" fill=\"#ffffff\" stroke=\"#767676\"/>"
			 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
			 "fill=\"#333333\">Ingen data i perioden</text>\n",
		      w - 1, h - 1, w / 2, h / 2);
}

/* Is there any value at all in the chart's series? */
static int any_value(const struct hh_chart *c, double *vmax)
{
	int any = 0;
	*vmax = 0;
	for (int s = 0; s < c->n_series; s++)
		for (int i = 0; i < c->n_labels; i++) {
			double v = c->series[s].values[i];
			if (!has_value(v))
				continue;
			any = 1;
			if (v > *vmax)
				*vmax = v;
		}
	return any;
}

/* The y axis: gridlines and tick labels. Returns the scale. */
static struct scale y_axis(struct hh_buf *b, double vmax,
			   enum hh_chart_fmt fmt, double right)
{
	struct scale s = scale_for(vmax, fmt);
	double plot_h = H - TOP - BOTTOM;
	hh_buf_puts(b, "<g class=\"y-axis\">");
	int n = (int)llround(s.max / s.step);
	for (int k = 0; k <= n; k++) {
		double v = k * s.step;
		double y = TOP + plot_h - plot_h * v / s.max;
		hh_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
				 "y2=\"%.1f\" stroke=\"%s\"/>",
			      LEFT, W - right, y, y, k ? "#d0d0d0" : "#767676");
		hh_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
				 "text-anchor=\"end\" fill=\"#333333\">",
			      LEFT - 6, y + 4);
		tick_label(b, v, fmt, s.step);
		hh_buf_puts(b, "</text>");
	}
	hh_buf_puts(b, "</g>\n");
	return s;
}

/* The x axis's labels under band centres, every step-th one so that
 * none overlaps the next. Month keys are "mar" with the year under the
 * first point and every January. */
static void x_labels(struct hh_buf *b, const struct hh_chart *c, double right)
{
	double band = (W - LEFT - right) / c->n_labels;
	int widest = 0;
	for (int i = 0; i < c->n_labels; i++) {
		int y, m = month_of(c->labels[i], &y);
		int w = m ? 4 : chars_of(c->labels[i]);
		if (w > widest)
			widest = w;
	}
	double need = widest * 7.0 + 8;
	if (need < LABEL_MIN)
		need = LABEL_MIN;
	int step = (int)ceil(need / band - 1e-9);
	if (step < 1)
		step = 1;
	hh_buf_puts(b, "<g class=\"x-axis\" text-anchor=\"middle\" "
		       "fill=\"#333333\">");
	for (int i = 0; i < c->n_labels; i += step) {
		double x = LEFT + band * (i + 0.5);
		int y, m = month_of(c->labels[i], &y);
		hh_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\">", x,
			      H - BOTTOM + 18);
		if (m) {
			hh_buf_puts(b, MONTH_SHORT[m - 1]);
			if (i == 0 || m == 1)
				hh_buf_printf(b, "<tspan x=\"%.1f\" dy=\"15\">"
						 "%d</tspan>",
					      x, y);
		} else {
			put_cut(b, c->labels[i], 12);
		}
		hh_buf_puts(b, "</text>");
	}
	hh_buf_puts(b, "</g>\n");
}

/* A marker of shape k at (x, y). */
static void marker(struct hh_buf *b, int k, double x, double y,
		   const char *colour)
{
	switch (k % 4) {
	case 0:
		hh_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
				 "fill=\"%s\"/>",
			      x, y, colour);
		break;
	case 1:
		hh_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" "
				 "height=\"8\" fill=\"%s\"/>",
			      x - 4, y - 4, colour);
		break;
	case 2:
		hh_buf_printf(b, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" "
				 "fill=\"%s\"/>",
			      x, y - 5, x + 5, y + 4, x - 5, y + 4, colour);
		break;
	default:
		hh_buf_printf(b, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1f"
				 "L%.1f %.1fZ\" fill=\"#ffffff\" stroke=\"%s\" "
				 "stroke-width=\"2\"/>",
			      x, y - 5, x + 5, y, x, y + 5, x - 5, y, colour);
		break;
	}
}

/* ---- line chart ---------------------------------------------------- */

struct end_label {
	int series;
	double y;
};

static int by_y(const void *a, const void *b)
{
	double d = ((const struct end_label *)a)->y - ((const struct end_label *)b)->y;
	return d < 0 ? -1 : d > 0;
}

void hh_chart_line(struct hh_buf *b, const struct hh_chart *c)
{
	double vmax;
	int any = c->n_labels > 0 && any_value(c, &vmax);
	svg_open(b, c->id, c->title, c->desc, W, H, !any);
	if (!any) {
		no_data(b, W, H);
		hh_buf_puts(b, "</svg>\n");
		return;
	}
	struct scale s = y_axis(b, vmax, c->fmt, RIGHT_LINE);
	x_labels(b, c, RIGHT_LINE);
	double plot_h = H - TOP - BOTTOM;
	double band = (W - LEFT - RIGHT_LINE) / c->n_labels;
	struct end_label ends[16];
	int n_ends = 0;
	for (int si = 0; si < c->n_series; si++) {
		const double *v = c->series[si].values;
		const char *colour = COLOURS[si % N_COLOURS];
		/* the line, broken where a value is missing */
		hh_buf_puts(b, "<g class=\"series\"><path fill=\"none\" "
			       "stroke-width=\"2.5\" stroke=\"");
		hh_buf_puts(b, colour);
		hh_buf_puts(b, "\"");
		const char *dash = DASHES[si % 4];
		if (*dash)
			hh_buf_printf(b, " stroke-dasharray=\"%s\"", dash);
		hh_buf_puts(b, " d=\"");
		int pen = 0, last = -1;
		for (int i = 0; i < c->n_labels; i++) {
			if (!has_value(v[i])) {
				pen = 0;
				continue;
			}
			double x = LEFT + band * (i + 0.5);
			double y = TOP + plot_h - plot_h * v[i] / s.max;
			hh_buf_printf(b, "%s%.1f %.1f", pen ? "L" : "M", x, y);
			pen = 1;
			last = i;
		}
		hh_buf_puts(b, "\"/>");
		for (int i = 0; i < c->n_labels; i++)
			if (has_value(v[i]))
				marker(b, si, LEFT + band * (i + 0.5),
				       TOP + plot_h - plot_h * v[i] / s.max,
				       colour);
		hh_buf_puts(b, "</g>\n");
		if (last >= 0 && n_ends < 16)
			ends[n_ends++] = (struct end_label){
				si, TOP + plot_h - plot_h * v[last] / s.max
			};
	}
	/* the series' names at the right end of their lines, pushed apart
	   so that they do not overlap */
	if (c->n_series > 1 || (c->series[0].name && *c->series[0].name)) {
		qsort(ends, n_ends, sizeof(ends[0]), by_y);
		for (int k = 1; k < n_ends; k++)
			if (ends[k].y < ends[k - 1].y + 14)
				ends[k].y = ends[k - 1].y + 14;
		for (int k = 0; k < n_ends; k++) {
			int si = ends[k].series;
			hh_buf_printf(b, "<text class=\"end-label\" x=\"%.1f\" "
					 "y=\"%.1f\" fill=\"%s\">",
				      W - RIGHT_LINE + 8, ends[k].y + 4,
				      COLOURS[si % N_COLOURS]);
			put_cut(b, c->series[si].name, 16);
			hh_buf_puts(b, "</text>\n");
		}
	}
	hh_buf_puts(b, "</svg>\n");
}

/* ---- horizontal bars ----------------------------------------------- */

#define BAR_ROW 30.0
#define BAR_LABEL 230.0
#define BAR_VALUE 96.0

void hh_chart_bars(struct hh_buf *b, const struct hh_chart *c)
{
	double vmax = 0;
	int any = c->n_labels > 0 && c->n_series > 0 && any_value(c, &vmax);
	double h = any ? TOP + BAR_ROW * c->n_labels + 8 : 80;
	svg_open(b, c->id, c->title, c->desc, W, h, !any);
	if (!any) {
		no_data(b, W, h);
		hh_buf_puts(b, "</svg>\n");
		return;
	}
	double full = c->fmt == HH_CHART_SHARE ? 1.0 : vmax;
	if (!(full > 0))
		full = 1;
	double room = W - BAR_LABEL - BAR_VALUE;
	const double *v = c->series[0].values;
	hh_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
			 "stroke=\"#767676\"/>\n",
		      BAR_LABEL, BAR_LABEL, TOP - 6, h - 4);
	for (int i = 0; i < c->n_labels; i++) {
		double y = TOP + BAR_ROW * i;
		hh_buf_printf(b, "<g class=\"bar\"><text x=\"%.1f\" y=\"%.1f\" "
				 "text-anchor=\"end\" fill=\"#333333\">",
			      BAR_LABEL - 8, y + 14);
		put_cut(b, c->labels[i], 30);
		hh_buf_puts(b, "</text>");
		double len = has_value(v[i]) && v[i] > 0 ? room * v[i] / full : 0;
		if (len > 0)
			hh_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" "
					 "width=\"%.1f\" height=\"20\" "
					 "fill=\"%s\"/>",
				      BAR_LABEL, y, len, COLOURS[0]);
		hh_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#333333\">",
			      BAR_LABEL + len + 6, y + 14);
		hh_value_da(b, v[i], c->fmt, c->decimals, c->unit);
		hh_buf_puts(b, "</text></g>\n");
	}
	hh_buf_puts(b, "</svg>\n");
}

/* ---- stacked bars -------------------------------------------------- */

/* The fill pattern of segment k: the colour with white stripes, dots or
 * hatching, so segments differ without colour too. */
static void pattern_def(struct hh_buf *b, const char *id, int k)
{
	const char *colour = COLOURS[k % N_COLOURS];
	hh_buf_puts(b, "<pattern id=\"");
	hh_buf_html(b, id);
	hh_buf_printf(b, "-p%d\" width=\"8\" height=\"8\" "
			 "patternUnits=\"userSpaceOnUse\"><rect width=\"8\" "
			 "height=\"8\" fill=\"%s\"/>",
		      k, colour);
	switch (k % 7) {
	case 0: /* plain */
		break;
	case 1: /* diagonal stripes */
		hh_buf_puts(b, "<path d=\"M-2 2L2 -2M0 8L8 0M6 10L10 6\" "
			       "stroke=\"#ffffff\" stroke-width=\"1.5\"/>");
		break;
	case 2: /* dots */
		hh_buf_puts(b, "<circle cx=\"4\" cy=\"4\" r=\"1.6\" "
			       "fill=\"#ffffff\"/>");
		break;
	case 3: /* horizontal lines */
		hh_buf_puts(b, "<path d=\"M0 4H8\" stroke=\"#ffffff\" "
			       "stroke-width=\"1.5\"/>");
		break;
	case 4: /* cross-hatching */
		hh_buf_puts(b, "<path d=\"M0 0L8 8M8 0L0 8\" stroke=\"#ffffff\" "
			       "stroke-width=\"1\"/>");
		break;
	case 5: /* vertical lines */
		hh_buf_puts(b, "<path d=\"M4 0V8\" stroke=\"#ffffff\" "
			       "stroke-width=\"1.5\"/>");
		break;
	default: /* the other diagonal */
		hh_buf_puts(b, "<path d=\"M-2 6L2 10M0 0L8 8M6 -2L10 2\" "
			       "stroke=\"#ffffff\" stroke-width=\"1.5\"/>");
		break;
	}
	hh_buf_puts(b, "</pattern>");
}

static void fill_ref(struct hh_buf *b, const char *id, int k)
{
	hh_buf_puts(b, " fill=\"url(#");
	hh_buf_html(b, id);
	hh_buf_printf(b, "-p%d)\"", k);
}

#define LEGEND_ROW 20.0

void hh_chart_stacked(struct hh_buf *b, const struct hh_chart *c)
{
	double vmax = 0;
	int any = c->n_labels > 0 && any_value(c, &vmax);
	/* the legend goes under the axis, three entries a row */
	int legend_rows = (c->n_series + 2) / 3;
	double h = H + 12 + LEGEND_ROW * legend_rows;
	svg_open(b, c->id, c->title, c->desc, W, any ? h : 80, !any);
	if (!any) {
		no_data(b, W, 80);
		hh_buf_puts(b, "</svg>\n");
		return;
	}
	hh_buf_puts(b, "<defs>");
	for (int k = 0; k < c->n_series; k++)
		pattern_def(b, c->id, k);
	hh_buf_puts(b, "</defs>\n");
	double tmax = 0;
	for (int i = 0; i < c->n_labels; i++) {
		double t = 0;
		for (int k = 0; k < c->n_series; k++)
			if (has_value(c->series[k].values[i]) &&
			    c->series[k].values[i] > 0)
				t += c->series[k].values[i];
		if (t > tmax)
			tmax = t;
	}
	struct scale s = y_axis(b, tmax, c->fmt, RIGHT_BARS);
	x_labels(b, c, RIGHT_BARS);
	double plot_h = H - TOP - BOTTOM;
	double band = (W - LEFT - RIGHT_BARS) / c->n_labels;
	double bw = band * 0.7;
	for (int i = 0; i < c->n_labels; i++) {
		double x = LEFT + band * (i + 0.5) - bw / 2;
		double y0 = TOP + plot_h;
		hh_buf_puts(b, "<g class=\"stack\">");
		for (int k = 0; k < c->n_series; k++) {
			double v = c->series[k].values[i];
			if (!has_value(v) || v <= 0)
				continue;
			double sh = plot_h * v / s.max;
			hh_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" "
					 "width=\"%.1f\" height=\"%.1f\" "
					 "stroke=\"#ffffff\" stroke-width=\"1\"",
				      x, y0 - sh, bw, sh);
			fill_ref(b, c->id, k);
			hh_buf_puts(b, "/>");
			y0 -= sh;
		}
		hh_buf_puts(b, "</g>\n");
	}
	/* the legend, with the segments' own patterns */
	hh_buf_puts(b, "<g class=\"legend\" fill=\"#333333\">");
	for (int k = 0; k < c->n_series; k++) {
		double lx = LEFT + (k % 3) * 210.0;
		double ly = H + 10 + LEGEND_ROW * (k / 3);
		hh_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" "
				 "height=\"14\"",
			      lx, ly - 11);
		fill_ref(b, c->id, k);
		hh_buf_printf(b, "/><text x=\"%.1f\" y=\"%.1f\">", lx + 20, ly);
		put_cut(b, c->series[k].name, 26);
		hh_buf_puts(b, "</text>");
	}
	hh_buf_puts(b, "</g>\n</svg>\n");
}

/* ---- the data table ------------------------------------------------ */

static void cell_value(struct hh_buf *b, double v, const struct hh_chart *c)
{
	hh_buf_puts(b, "<td class=\"num\">");
	if (has_value(v))
		hh_value_da(b, v, c->fmt, c->decimals, c->unit);
	else
		hh_buf_puts(b, "<span aria-hidden=\"true\">" DASH "</span>"
			       "<span class=\"visually-hidden\">ingen data"
			       "</span>");
	hh_buf_puts(b, "</td>");
}

void hh_chart_table(struct hh_buf *b, const struct hh_chart *c, int with_total)
{
	hh_buf_puts(b, "<div class=\"table-wrap\"><table class=\"chart-data\" "
		       "id=\"");
	hh_buf_html(b, c->id);
	hh_buf_puts(b, "-tabel\">\n<caption>");
	hh_buf_html(b, c->title ? c->title : "");
	hh_buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">");
	hh_buf_html(b, c->label_head ? c->label_head : "");
	hh_buf_puts(b, "</th>");
	for (int k = 0; k < c->n_series; k++) {
		hh_buf_puts(b, "<th scope=\"col\">");
		hh_buf_html(b, c->series[k].name ? c->series[k].name : "");
		hh_buf_puts(b, "</th>");
	}
	if (with_total)
		hh_buf_puts(b, "<th scope=\"col\">I alt</th>");
	hh_buf_puts(b, "</tr></thead>\n<tbody>\n");
	if (c->n_labels == 0)
		hh_buf_printf(b, "<tr><td colspan=\"%d\">Ingen data i perioden"
				 "</td></tr>\n",
			      1 + c->n_series + (with_total ? 1 : 0));
	for (int i = 0; i < c->n_labels; i++) {
		hh_buf_puts(b, "<tr><th scope=\"row\">");
		hh_month_da(b, c->labels[i]);
		hh_buf_puts(b, "</th>");
		double total = 0;
		int any = 0;
		for (int k = 0; k < c->n_series; k++) {
			double v = c->series[k].values[i];
			cell_value(b, v, c);
			if (has_value(v)) {
				total += v;
				any = 1;
			}
		}
		if (with_total)
			cell_value(b, any ? total : NAN, c);
		hh_buf_puts(b, "</tr>\n");
	}
	hh_buf_puts(b, "</tbody></table></div>\n");
}

/* ---- the benchmark's spread ---------------------------------------- */

#define SP_H 96.0
#define SP_LEFT 24.0
#define SP_RIGHT 24.0
#define SP_MID 44.0

void hh_chart_spread(struct hh_buf *b, const struct hh_chart_spread *s)
{
	int peers = has_value(s->min) && has_value(s->max);
	int own = has_value(s->own);
	svg_open(b, s->id, s->title, s->desc, W, SP_H, !peers && !own);
	if (!peers && !own) {
		no_data(b, W, SP_H);
		hh_buf_puts(b, "</svg>\n");
		return;
	}
	/* from 0 up; changes may be negative, then the axis is symmetric */
	double hi = 0;
	int negative = 0;
	if (peers) {
		hi = fmax(fabs(s->min), fabs(s->max));
		negative = s->min < 0;
	}
	if (own) {
		hi = fmax(hi, fabs(s->own));
		negative |= s->own < 0;
	}
	struct scale sc = scale_for(hi, s->fmt);
	double lo = negative ? -sc.max : 0;
	double room = W - SP_LEFT - SP_RIGHT;
#define XOF(v) (SP_LEFT + room * ((v) - lo) / (sc.max - lo))
	/* the axis and its ticks */
	hh_buf_printf(b, "<g class=\"axis\" fill=\"#333333\" "
			 "text-anchor=\"middle\"><line x1=\"%.1f\" x2=\"%.1f\" "
			 "y1=\"%.1f\" y2=\"%.1f\" stroke=\"#767676\"/>",
		      SP_LEFT, W - SP_RIGHT, SP_H - 28, SP_H - 28);
	for (double v = lo; v <= sc.max + 1e-9; v += sc.step) {
		double x = XOF(v);
		hh_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
				 "y2=\"%.1f\" stroke=\"#767676\"/><text "
				 "x=\"%.1f\" y=\"%.1f\">",
			      x, x, SP_H - 28, SP_H - 23, x, SP_H - 10);
		tick_label(b, fabs(v) < 1e-12 ? 0 : v, s->fmt, sc.step);
		hh_buf_puts(b, "</text>");
	}
	hh_buf_printf(b, "<text x=\"%.1f\" y=\"12\" text-anchor=\"end\">%s"
			 "</text></g>\n",
		      W - SP_RIGHT,
		      s->higher_better ? "Højere er bedre \xe2\x86\x92"
				       : "\xe2\x86\x90 Lavere er bedre");
	if (peers) {
		hh_buf_printf(b, "<g class=\"spread\"><line x1=\"%.1f\" "
				 "x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
				 "stroke=\"#4d4d4d\" stroke-width=\"2\"/>",
			      XOF(s->min), XOF(s->max), SP_MID, SP_MID);
		if (has_value(s->q1) && has_value(s->q3))
			hh_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" "
					 "width=\"%.1f\" height=\"18\" "
					 "fill=\"#c6dbef\" stroke=\"#1f4e79\"/>",
				      XOF(s->q1), SP_MID - 9,
				      XOF(s->q3) - XOF(s->q1));
		if (has_value(s->median))
			hh_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" "
					 "y1=\"%.1f\" y2=\"%.1f\" "
					 "stroke=\"#1f4e79\" "
					 "stroke-width=\"3\"/>",
				      XOF(s->median), XOF(s->median),
				      SP_MID - 12, SP_MID + 12);
		hh_buf_puts(b, "</g>\n");
	}
	if (own) {
		double x = XOF(s->own);
		hh_buf_printf(b, "<g class=\"own\"><path d=\"M%.1f %.1fL%.1f "
				 "%.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"#b35806\" "
				 "stroke=\"#ffffff\" stroke-width=\"1.5\"/>",
			      x, SP_MID - 9, x + 9, SP_MID, x, SP_MID + 9,
			      x - 9, SP_MID);
		/* the own value's label on the side with room */
		int left = x > W / 2;
		hh_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
				 "text-anchor=\"%s\" fill=\"#333333\" "
				 "font-weight=\"bold\">",
			      left ? x - 12 : x + 12, SP_MID - 12,
			      left ? "end" : "start");
		hh_buf_html(b, s->own_label ? s->own_label : "Jer");
		hh_buf_puts(b, ": ");
		hh_value_da(b, s->own, s->fmt, s->decimals, s->unit);
		hh_buf_puts(b, "</text></g>\n");
	}
#undef XOF
	hh_buf_puts(b, "</svg>\n");
}
