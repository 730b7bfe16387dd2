/* fuzz_proxies.c - the trusted proxies' list and the client found behind
 * them (core/netlist.h): the input's first line is a list as an operator
 * writes it, the second the socket peer, the rest X-Forwarded-For as a
 * client sends it. No input may crash either; a list that parses has its
 * ranges' host bits clear; the client is the peer unless the peer is
 * trusted, and it formats to text that parses back to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/netlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;
	char *peer_s = strchr(text, '\n');
	char *xff = NULL;
	if (peer_s) {
		*peer_s++ = 0;
		xff = strchr(peer_s, '\n');
		if (xff)
			*xff++ = 0;
	}
	struct hh_netlist l;
	char err[256];
	if (hh_netlist_parse(text, &l, err, sizeof(err)) == HH_OK) {
		if (l.n < 1 || l.n > HH_NETLIST_MAX)
			__builtin_trap();
		for (int i = 0; i < l.n; i++) {
			const struct hh_net *n = &l.net[i];
			if (n->bits < 1 || n->bits > 128)
				__builtin_trap();
			for (int b = n->bits; b < 128; b++)
				if (n->addr[b / 8] & (0x80 >> (b % 8)))
					__builtin_trap();
			if (!hh_netlist_has(&l, n->addr))
				__builtin_trap();
		}
	} else if (l.n != 0 || !err[0]) {
		__builtin_trap();
	}
	unsigned char peer[16], client[16];
	if (peer_s && hh_addr_parse(peer_s, strlen(peer_s), peer)) {
		hh_netlist_client(&l, peer, xff, client);
		if (!hh_netlist_has(&l, peer) && memcmp(client, peer, 16))
			__builtin_trap();
		char buf[64];
		unsigned char back[16];
		hh_addr_format(client, buf, sizeof(buf));
		if (!hh_addr_parse(buf, strlen(buf), back) || memcmp(back, client, 16))
			__builtin_trap();
	}
	free(text);
	return 0;
}
