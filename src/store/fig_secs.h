/* fig_secs.h - fig_proc's lists of processing times, the part that is the
 * same on both backends (sqlite_figures.c, postgres_figures.c): a day's
 * list is a blob of 4-byte little-endian seconds, ascending; these decode,
 * merge, sort and rank them. No SQL here. */
#ifndef HH_STORE_FIG_SECS_H
#define HH_STORE_FIG_SECS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Appends the len / 4 seconds of the blob b to *v (grown with
 * hh_xrealloc; *cap its room, *n how many it holds). */
void hh_fig_secs_append(uint32_t **v, size_t *n, size_t *cap,
			const unsigned char *b, size_t len);

/* The ascending merge of a day's blob old (n_old seconds) and the
 * ascending secs[0..n-1], as a blob (new: the caller frees it) of
 * (n_old + n) * 4 bytes. */
unsigned char *hh_fig_secs_merge(const unsigned char *old, int n_old,
				 const int32_t *secs, int n);

/* Sorts v[0..n-1] and gives each, in days as hh_fig_proc_days computes
 * them, to cb; a callback's error stops it and is returned. */
enum hh_rc hh_fig_secs_each(uint32_t *v, size_t n, hh_fig_value_cb cb,
			    void *ctx);

/* days[i] gets the value of 1-based rank[i] of v[0..n-1] in ascending
 * order, in days; reorders v. INVALID if a rank is out of 1..n (the rows
 * changed since they were counted). */
enum hh_rc hh_fig_secs_at_ranks(uint32_t *v, size_t n, const int64_t *rank,
				int k, double *days);

#endif
