/* fig_secs.c - fig_proc's lists of processing times (fig_secs.h). */
#include "store/fig_secs.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* fig_proc's secs: 4-byte little-endian integers, whatever the host */
static int32_t secs_at(const unsigned char *p, int i)
{
	p += 4 * i;
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			 (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

static void secs_put(unsigned char *p, int i, int32_t v)
{
	uint32_t u = (uint32_t)v;
	p += 4 * i;
	p[0] = (unsigned char)u;
	p[1] = (unsigned char)(u >> 8);
	p[2] = (unsigned char)(u >> 16);
	p[3] = (unsigned char)(u >> 24);
}

void hh_fig_secs_append(uint32_t **v, size_t *n, size_t *cap,
			const unsigned char *b, size_t len)
{
	int k = (int)(len / 4);
	if (*n + (size_t)k > *cap) {
		*cap = (*n + (size_t)k) * 2;
		*v = hh_xrealloc(*v, *cap * sizeof(**v));
	}
	for (int i = 0; i < k; i++)
		(*v)[(*n)++] = (uint32_t)secs_at(b, i);
}

unsigned char *hh_fig_secs_merge(const unsigned char *old, int n_old,
				 const int32_t *secs, int n)
{
	int total = n_old + n;
	unsigned char *m = hh_xmalloc((size_t)total * 4 + 1);
	int i = 0, j = 0, k = 0;
	while (i < n_old || j < n) {
		if (j == n || (i < n_old && secs_at(old, i) <= secs[j]))
			secs_put(m, k++, secs_at(old, i++));
		else
			secs_put(m, k++, secs[j++]);
	}
	return m;
}

/* Sorts v (non-negative) ascending: a radix sort, 11 bits a pass, which
 * for the 100,000 decisions of a year is several times faster than
 * qsort. tmp holds n. */
static void secs_sort(uint32_t *v, uint32_t *tmp, size_t n)
{
	for (int shift = 0; shift < 33; shift += 11) {
		size_t count[2049] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[((v[i] >> shift) & 2047) + 1]++;
		for (int k = 1; k < 2049; k++)
			count[k] += count[k - 1];
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i] >> shift) & 2047]++] = v[i];
		memcpy(v, tmp, n * sizeof(*v));
	}
}

enum hh_rc hh_fig_secs_each(uint32_t *v, size_t n, hh_fig_value_cb cb,
			    void *ctx)
{
	/* each day's row is sorted; the days together are sorted here */
	if (n > 1) {
		uint32_t *tmp = hh_xmalloc(n * sizeof(*tmp));
		secs_sort(v, tmp, n);
		free(tmp);
	}
	enum hh_rc r = HH_OK;
	/* seconds to days as hh_fig_proc_days computes them */
	for (size_t i = 0; r == HH_OK && i < n; i++)
		r = cb(ctx, (double)v[i] / 86400.0);
	return r;
}

/* The value of rank k (0-based) of v[0..n-1] in ascending order;
 * reorders v (Hoare's selection). */
static uint32_t select_rank(uint32_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		uint32_t pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				uint32_t t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

enum hh_rc hh_fig_secs_at_ranks(uint32_t *v, size_t n, const int64_t *rank,
				int k, double *days)
{
	for (int i = 0; i < k; i++) {
		if (rank[i] < 1 || (size_t)rank[i] > n)
			return HH_ERR_INVALID;
		/* seconds to days as hh_fig_proc_days computes them */
		days[i] = (double)select_rank(v, n, (size_t)rank[i] - 1) / 86400.0;
	}
	return HH_OK;
}
