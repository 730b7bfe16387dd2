/* netlist.h - lists of IP addresses and CIDR ranges (the trusted proxies).
 *
 * o-tls (issue 17): helhed believes X-Forwarded-For and X-Forwarded-Proto
 * only from a socket peer in the configured list of proxies, and finds
 * the client by walking X-Forwarded-For from the right past the proxies
 * in the list (hh_netlist_client). Addresses are kept as 16 bytes, IPv4
 * as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one comparison serves both
 * families and an IPv4 peer matches an IPv4 range whichever form the
 * socket reports. A fixed array: the list is copied by value into the
 * server's configuration and needs no freeing. */
#ifndef HH_NETLIST_H
#define HH_NETLIST_H

#include <stddef.h>

#include "core/rc.h"

#define HH_NETLIST_MAX 64

struct hh_net {
	unsigned char addr[16]; /* the network: bits beyond `bits` are 0 */
	int bits;		/* prefix length over the 16 bytes: 0-128 */
};

struct hh_netlist {
	int n;
	struct hh_net net[HH_NETLIST_MAX];
};

/* Parses "10.0.0.5, 192.168.1.0/24 ::1 fd00::/8": addresses and CIDR
 * ranges, IPv4 and IPv6, separated by commas and/or spaces. Refused,
 * with what is wrong in err ("'10.0.0.300' is not an IPv4 or IPv6
 * address"): an empty list, a bad address, a prefix length out of
 * range, a range with bits set beyond its prefix (a typo, or a host
 * meant: the message says which network it would be), a /0 (that would
 * trust everyone), an IPv6 range holding ::ffff:0:0/96 (every IPv4
 * address, as peers are kept; r-tls) and more than HH_NETLIST_MAX
 * entries.
 * Returns HH_OK or HH_ERR_INVALID (*out then empty). */
enum hh_rc hh_netlist_parse(const char *text, struct hh_netlist *out,
			    char *err, size_t errlen);

/* The loopback ranges 127.0.0.0/8 and ::1: what the deprecated
 * --trust-proxy means. */
void hh_netlist_loopback(struct hh_netlist *out);

/* 1 when addr (16 bytes, as hh_addr_parse makes) is in one of l's
 * ranges; 0 otherwise and for an empty or NULL list. */
int hh_netlist_has(const struct hh_netlist *l, const unsigned char addr[16]);

/* Text of n bytes (not NUL-terminated; spaces around it are not
 * skipped) as an IPv4 or IPv6 address into out (IPv4 and IPv4-mapped
 * IPv6 both become ::ffff:a.b.c.d). Returns 1, or 0 when it is not an
 * address. */
int hh_addr_parse(const char *s, size_t n, unsigned char out[16]);

/* An address as text: IPv4 (also an IPv4-mapped one) dotted, else IPv6's
 * shortest form. buf must hold 46 bytes. Returns buf. */
char *hh_addr_format(const unsigned char addr[16], char *buf, size_t size);

/* The client of a request whose socket peer is `peer` (16 bytes), given
 * the X-Forwarded-For values it carries (xff: the headers' values joined
 * with commas; NULL when none). When the peer is not in trusted, the
 * peer itself, whatever the header says. Otherwise the header is walked
 * from the right: each entry was written by the hop before it, so the
 * first entry not in trusted is the client. An entry reached is one a
 * trusted hop wrote, so an address with a port as some load balancers
 * write it ("198.51.100.7:4711", "[2001:db8::5]:443", "[2001:db8::5]")
 * is that address (r-tls); an entry that is not an address (a client's
 * own junk, "unknown", a zone id) ends the walk at the last trusted hop,
 * which is then the client; when every entry is trusted, the leftmost
 * one. Into client (16 bytes). */
void hh_netlist_client(const struct hh_netlist *trusted,
		       const unsigned char peer[16], const char *xff,
		       unsigned char client[16]);

#endif
