/* netlist.c - lists of IP addresses and CIDR ranges (netlist.h). */
#include "core/netlist.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_mapped[12] = { 0, 0, 0, 0, 0, 0,
					     0, 0, 0, 0, 0xff, 0xff };

static int is_v4(const unsigned char a[16])
{
	return memcmp(a, v4_mapped, 12) == 0;
}

int hh_addr_parse(const char *s, size_t n, unsigned char out[16])
{
	char buf[INET6_ADDRSTRLEN];
	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	unsigned char v4[4];
	if (inet_pton(AF_INET, buf, v4) == 1) {
		memcpy(out, v4_mapped, 12);
		memcpy(out + 12, v4, 4);
		return 1;
	}
	return inet_pton(AF_INET6, buf, out) == 1;
}

char *hh_addr_format(const unsigned char addr[16], char *buf, size_t size)
{
	if (is_v4(addr))
		inet_ntop(AF_INET, addr + 12, buf, (socklen_t)size);
	else
		inet_ntop(AF_INET6, addr, buf, (socklen_t)size);
	return buf;
}

/* 1 when a and b agree in their first bits bits. */
static int same_prefix(const unsigned char *a, const unsigned char *b, int bits)
{
	int whole = bits / 8, rest = bits % 8;
	if (memcmp(a, b, (size_t)whole))
		return 0;
	if (!rest)
		return 1;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

/* One entry "ADDR" or "ADDR/LEN" of n bytes into *net. Returns NULL, or
 * what is wrong (into why). */
static const char *parse_entry(const char *s, size_t n, struct hh_net *net,
			       char *why, size_t whylen)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	if (!hh_addr_parse(s, alen, net->addr)) {
		snprintf(why, whylen, "'%.*s' is not an IPv4 or IPv6 address",
			 (int)alen, s);
		return why;
	}
	int v4 = is_v4(net->addr);
	int max = v4 ? 32 : 128;
	int len = max;
	if (slash) {
		const char *p = slash + 1;
		size_t plen = n - alen - 1;
		len = 0;
		if (!plen || plen > 3)
			len = -1;
		for (size_t i = 0; len >= 0 && i < plen; i++)
			len = p[i] >= '0' && p[i] <= '9' ? len * 10 + (p[i] - '0')
							 : -1;
		if (len < 0 || len > max) {
			snprintf(why, whylen, "'%.*s': the prefix length must be "
				 "a number from 1 to %d", (int)n, s, max);
			return why;
		}
		if (len == 0) {
			snprintf(why, whylen, "'%.*s' would trust every address; "
				 "list the proxies' own addresses", (int)n, s);
			return why;
		}
	}
	net->bits = v4 ? 96 + len : len;
	/* r-tls: an IPv4 peer is kept as ::ffff:a.b.c.d, so an IPv6 range
	 * that holds ::ffff:0:0/96 ("::/8") trusts every IPv4 client */
	static const unsigned char v4_space[16] = { [10] = 0xff, [11] = 0xff };
	if (!v4 && net->bits <= 96 && same_prefix(net->addr, v4_space, net->bits)) {
		snprintf(why, whylen, "'%.*s' holds every IPv4 address (as "
			 "::ffff:0:0/96), so it would trust every IPv4 client; "
			 "list the proxies' own addresses", (int)n, s);
		return why;
	}
	unsigned char masked[16] = { 0 };
	int whole = net->bits / 8, rest = net->bits % 8;
	memcpy(masked, net->addr, (size_t)whole);
	if (rest)
		masked[whole] = (unsigned char)(net->addr[whole] &
						(0xff << (8 - rest)));
	if (memcmp(masked, net->addr, 16)) {
		char fix[INET6_ADDRSTRLEN];
		snprintf(why, whylen, "'%.*s' has bits set after its first %d: "
			 "the range is %s/%d (or write the address alone)",
			 (int)n, s, len, hh_addr_format(masked, fix, sizeof(fix)),
			 len);
		return why;
	}
	return NULL;
}

enum hh_rc hh_netlist_parse(const char *text, struct hh_netlist *out,
			    char *err, size_t errlen)
{
	static const char sep[] = ", \t";
	out->n = 0;
	const char *p = text ? text : "";
	for (;;) {
		p += strspn(p, sep);
		if (!*p)
			break;
		size_t n = strcspn(p, sep);
		if (out->n == HH_NETLIST_MAX) {
			snprintf(err, errlen, "more than %d addresses and ranges",
				 HH_NETLIST_MAX);
			out->n = 0;
			return HH_ERR_INVALID;
		}
		if (parse_entry(p, n, &out->net[out->n], err, errlen)) {
			out->n = 0;
			return HH_ERR_INVALID;
		}
		out->n++;
		p += n;
	}
	if (!out->n) {
		snprintf(err, errlen, "the list is empty: give the proxies' addresses or "
			 "ranges, e.g. 127.0.0.1 or 10.0.0.0/24");
		return HH_ERR_INVALID;
	}
	return HH_OK;
}

void hh_netlist_loopback(struct hh_netlist *out)
{
	char err[8];
	enum hh_rc rc = hh_netlist_parse("127.0.0.0/8 ::1", out, err, sizeof(err));
	(void)rc; /* a constant that parses */
}

int hh_netlist_has(const struct hh_netlist *l, const unsigned char addr[16])
{
	for (int i = 0; l && i < l->n; i++)
		if (same_prefix(l->net[i].addr, addr, l->net[i].bits))
			return 1;
	return 0;
}

/* r-tls: an X-Forwarded-For entry of n bytes, written by a trusted hop:
 * an address, or one with a port as some load balancers write it
 * ("198.51.100.7:4711", "[2001:db8::5]:443", "[2001:db8::5]"). A bare
 * IPv6 address has no port (its last group would be taken for one).
 * Returns 1, or 0 when it is none of these. */
static int hop_parse(const char *s, size_t n, unsigned char out[16])
{
	const char *port = NULL, *addr = s;
	size_t alen = n;
	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close)
			return 0;
		addr = s + 1;
		alen = (size_t)(close - addr);
		if (close + 1 < s + n) {
			if (close[1] != ':')
				return 0;
			port = close + 2;
		}
	} else if (!hh_addr_parse(s, n, out)) {
		const char *colon = memchr(s, ':', n);
		if (!colon || memchr(colon + 1, ':', (size_t)(s + n - colon - 1)))
			return 0;
		alen = (size_t)(colon - s);
		port = colon + 1;
	}
	if (port) {
		size_t plen = (size_t)(s + n - port);
		long v = 0;
		if (!plen || plen > 5)
			return 0;
		for (size_t i = 0; i < plen; i++) {
			if (port[i] < '0' || port[i] > '9')
				return 0;
			v = v * 10 + (port[i] - '0');
		}
		if (v > 65535)
			return 0;
	}
	return hh_addr_parse(addr, alen, out);
}

void hh_netlist_client(const struct hh_netlist *trusted,
		       const unsigned char peer[16], const char *xff,
		       unsigned char client[16])
{
	memcpy(client, peer, 16);
	if (!xff || !hh_netlist_has(trusted, peer))
		return;
	const char *end = xff + strlen(xff);
	while (end > xff) {
		/* the entry between the last comma before end and end */
		const char *start = end;
		while (start > xff && start[-1] != ',')
			start--;
		const char *a = start, *b = end;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		unsigned char hop[16];
		if (!hop_parse(a, (size_t)(b - a), hop))
			return; /* not an address: the last trusted hop */
		memcpy(client, hop, 16);
		if (!hh_netlist_has(trusted, hop))
			return;
		end = start > xff ? start - 1 : xff;
	}
}
