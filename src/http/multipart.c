/* multipart.c - a bounds-checked multipart/form-data parser over a body in
 * memory (see multipart.h). */
#include "http/multipart.h"

#include <string.h>
#include <strings.h>

static int bchar(unsigned char c)
{
	/* RFC 2046 bcharsnospace, plus space (not as the last character) */
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c) != NULL;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t';
}

int hh_multipart_boundary(const char *ct, char *out)
{
	static const char type[] = "multipart/form-data";
	if (!ct || strncasecmp(ct, type, sizeof(type) - 1) != 0)
		return 0;
	const char *p = ct + sizeof(type) - 1;
	while (*p) {
		while (is_ws(*p))
			p++;
		if (*p != ';')
			return 0;
		p++;
		while (is_ws(*p))
			p++;
		const char *pname = p;
		while (*p && *p != '=' && *p != ';' && !is_ws(*p))
			p++;
		size_t plen = (size_t)(p - pname);
		if (*p != '=')
			return 0;
		p++;
		char val[HH_MULTIPART_MAX_BOUNDARY + 1];
		size_t n = 0;
		if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (n >= HH_MULTIPART_MAX_BOUNDARY)
					return 0;
				val[n++] = *p++;
			}
			if (*p != '"')
				return 0;
			p++;
		} else {
			while (*p && *p != ';' && !is_ws(*p)) {
				if (n >= HH_MULTIPART_MAX_BOUNDARY)
					return 0;
				val[n++] = *p++;
			}
		}
		val[n] = 0;
		if (plen == 8 && strncasecmp(pname, "boundary", 8) == 0) {
			if (!n || val[n - 1] == ' ')
				return 0;
			for (size_t i = 0; i < n; i++)
				if (!bchar((unsigned char)val[i]))
					return 0;
			memcpy(out, val, n + 1);
			return 1;
		}
	}
	return 0;
}

/* A parameter value of a header line in [p, end): quoted (with \" escapes)
 * or a token. Returns the position after it; *out in the arena. */
static const char *param_value(struct hh_arena *a, const char *p,
			       const char *end, const char **out)
{
	char *v = hh_arena_alloc(a, (size_t)(end - p) + 1), *w = v;
	if (p < end && *p == '"') {
		p++;
		while (p < end && *p != '"') {
			if (*p == '\\' && p + 1 < end)
				p++;
			*w++ = *p++;
		}
		if (p >= end) {
			*out = NULL; /* unterminated quote */
			return end;
		}
		p++;
	} else {
		while (p < end && *p != ';' && !is_ws(*p))
			*w++ = *p++;
	}
	*w = 0;
	*out = v;
	return p;
}

/* Content-Disposition: form-data; name="x"; filename="y". Returns 0 when it
 * is not form-data or is malformed. */
static int disposition(struct hh_arena *a, const char *p, const char *end,
		       struct hh_multipart_part *part)
{
	while (p < end && is_ws(*p))
		p++;
	if ((size_t)(end - p) < 9 || strncasecmp(p, "form-data", 9) != 0)
		return 0;
	p += 9;
	while (p < end) {
		while (p < end && is_ws(*p))
			p++;
		if (p >= end)
			break;
		if (*p != ';')
			return 0;
		p++;
		while (p < end && is_ws(*p))
			p++;
		const char *pname = p;
		while (p < end && *p != '=' && *p != ';' && !is_ws(*p))
			p++;
		size_t plen = (size_t)(p - pname);
		while (p < end && is_ws(*p))
			p++;
		if (p >= end || *p != '=')
			return 0;
		p++;
		while (p < end && is_ws(*p))
			p++;
		const char *v;
		p = param_value(a, p, end, &v);
		if (!v)
			return 0;
		if (plen == 4 && !strncasecmp(pname, "name", 4) && !part->name)
			part->name = v;
		else if (plen == 8 && !strncasecmp(pname, "filename", 8) &&
			 !part->filename)
			part->filename = v;
		/* others (filename*) are ignored, as RFC 7578 allows */
	}
	return 1;
}

static int header_is(const char *p, size_t len, const char *name)
{
	size_t n = strlen(name);
	return len == n && strncasecmp(p, name, n) == 0;
}

/* One header line [p, end) of a part. */
static int header(struct hh_arena *a, const char *p, const char *end,
		  struct hh_multipart_part *part)
{
	if (memchr(p, 0, (size_t)(end - p)))
		return 0; /* no NUL in names, filenames or types */
	const char *colon = memchr(p, ':', (size_t)(end - p));
	if (!colon)
		return 0;
	const char *v = colon + 1;
	while (v < end && is_ws(*v))
		v++;
	const char *vend = end;
	while (vend > v && is_ws(vend[-1]))
		vend--;
	if (header_is(p, (size_t)(colon - p), "Content-Disposition"))
		return disposition(a, v, vend, part);
	if (header_is(p, (size_t)(colon - p), "Content-Type")) {
		part->content_type = hh_arena_strndup(a, v, (size_t)(vend - v));
		return 1;
	}
	return 1; /* other headers (Content-Transfer-Encoding) are ignored */
}

enum hh_rc hh_multipart_parse(struct hh_arena *a, const char *content_type,
			      const void *body, size_t len,
			      struct hh_multipart_part *parts, int max_parts,
			      int *n_parts)
{
	char boundary[HH_MULTIPART_MAX_BOUNDARY + 1];
	*n_parts = 0;
	if (!hh_multipart_boundary(content_type, boundary) || !body)
		return HH_ERR_INVALID;
	/* "\r\n--boundary": the delimiter as it ends a part's data */
	char delim[HH_MULTIPART_MAX_BOUNDARY + 5];
	size_t blen = strlen(boundary);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	size_t dlen = blen + 4;
	const char *start = body, *end = start + len, *p;
	/* the first delimiter opens the body or ends the preamble's line */
	if (len >= dlen - 2 && memcmp(start, delim + 2, dlen - 2) == 0) {
		p = start + dlen - 2;
	} else {
		const char *d = memmem(start, len, delim, dlen);
		if (!d)
			return HH_ERR_INVALID;
		p = d + dlen;
	}
	int n = 0;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break; /* the close delimiter; the epilogue is ignored */
		while (p < end && is_ws(*p))
			p++; /* transport padding */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			goto invalid;
		p += 2;
		struct hh_multipart_part part = { 0 };
		int headers = 0;
		for (;;) {
			const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
			if (!eol)
				goto invalid;
			if (eol == p) {
				p += 2;
				break;
			}
			if (eol - p > HH_MULTIPART_MAX_HEADER ||
			    ++headers > HH_MULTIPART_MAX_HEADERS ||
			    !header(a, p, eol, &part))
				goto invalid;
			p = eol + 2;
		}
		if (!part.name)
			goto invalid;
		const char *next = memmem(p, (size_t)(end - p), delim, dlen);
		if (!next || n >= max_parts)
			goto invalid;
		part.data = (const unsigned char *)p;
		part.size = (size_t)(next - p);
		parts[n++] = part;
		p = next + dlen;
	}
	*n_parts = n;
	return HH_OK;
invalid:
	return HH_ERR_INVALID;
}

const struct hh_multipart_part *
hh_multipart_find(const struct hh_multipart_part *parts, int n_parts,
		  const char *name)
{
	for (int i = 0; i < n_parts; i++)
		if (!strcmp(parts[i].name, name))
			return &parts[i];
	return NULL;
}
