/* bench_http.h - what the benchmarks that speak HTTP with libcurl share:
 * the response body, collected by curl's write callback. */
#ifndef HH_BENCH_HTTP_H
#define HH_BENCH_HTTP_H

#include <string.h>

#include "core/util.h"

/* A response body, NUL-terminated, grown as curl writes it. */
struct body {
	char *p;
	size_t len, cap;
};

/* CURLOPT_WRITEFUNCTION, with a struct body as CURLOPT_WRITEDATA. */
static inline size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct body *b = ctx;
	size_t add = size * n;
	if (b->len + add + 1 > b->cap) {
		b->cap = (b->len + add + 1) * 2;
		b->p = hh_xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, data, add);
	b->len += add;
	b->p[b->len] = 0;
	return add;
}

#endif
