/* test_netlist.c - the trusted proxies' list (core/netlist.h): what it
 * accepts, what it refuses and why, membership in IPv4 and IPv6 ranges,
 * and the client found by walking X-Forwarded-For from the right. */
#include "testutil.h"

#include "core/conf.h"
#include "core/netlist.h"

static void addr(const char *s, unsigned char out[16])
{
	assert_true(hh_addr_parse(s, strlen(s), out));
}

static int has(const struct hh_netlist *l, const char *s)
{
	unsigned char a[16];
	addr(s, a);
	return hh_netlist_has(l, a);
}

static void parses_addresses_and_ranges(void **state)
{
	(void)state;
	struct hh_netlist l;
	char err[200];
	assert_int_equal(hh_netlist_parse(" 127.0.0.2,10.1.0.0/16  fd00::/8,"
					  "::1\t192.0.2.128/25 ::ffff:198.51.100.9",
					  &l, err, sizeof(err)),
			 HH_OK);
	assert_int_equal(l.n, 6);
	assert_true(has(&l, "127.0.0.2"));
	assert_false(has(&l, "127.0.0.1"));
	assert_false(has(&l, "127.0.0.3"));
	assert_true(has(&l, "10.1.0.0"));
	assert_true(has(&l, "10.1.255.255"));
	assert_false(has(&l, "10.2.0.0"));
	assert_false(has(&l, "10.0.255.255"));
	assert_true(has(&l, "192.0.2.128"));
	assert_true(has(&l, "192.0.2.255"));
	assert_false(has(&l, "192.0.2.127"));
	assert_true(has(&l, "fd12:3456::1"));
	assert_false(has(&l, "fe80::1"));
	assert_true(has(&l, "::1"));
	assert_false(has(&l, "::2"));
	/* IPv4 whichever way the socket or a header writes it */
	assert_true(has(&l, "::ffff:127.0.0.2"));
	assert_true(has(&l, "::ffff:10.1.2.3"));
	assert_true(has(&l, "198.51.100.9"));
	/* an IPv4 range does not catch the IPv6 address with the same
	 * bytes elsewhere */
	assert_false(has(&l, "::10.1.2.3"));
	/* r-tls: IPv6 ranges beside the IPv4 space are not IPv4 */
	assert_int_equal(hh_netlist_parse("::/96 ::/81 ::fffe:0:0/96", &l, err,
					  sizeof(err)),
			 HH_OK);
	assert_false(has(&l, "198.51.100.9"));
	assert_false(has(&l, "0.0.0.0"));
	assert_true(has(&l, "::10.1.2.3"));
	/* nothing in an empty list or none */
	struct hh_netlist none = { 0 };
	assert_false(has(&none, "127.0.0.2"));
	unsigned char a[16];
	addr("127.0.0.2", a);
	assert_false(hh_netlist_has(NULL, a));
	/* the old switch's meaning */
	hh_netlist_loopback(&l);
	assert_true(has(&l, "127.0.0.1"));
	assert_true(has(&l, "127.255.0.9"));
	assert_true(has(&l, "::1"));
	assert_false(has(&l, "10.0.0.1"));
	assert_false(has(&l, "128.0.0.1"));
}

/* Each refusal, with the words it says it in. */
static void refuses_with_a_clear_error(void **state)
{
	(void)state;
	static const struct { const char *list, *says; } bad[] = {
		{ "", "the list is empty: give" },
		{ " , ", "the list is empty" },
		{ "10.0.0.300", "'10.0.0.300' is not an IPv4 or IPv6 address" },
		{ "127.0.0.1, proxy.example.dk",
		  "'proxy.example.dk' is not an IPv4 or IPv6 address" },
		{ "10.0.0.1:8080", "'10.0.0.1:8080' is not an IPv4" },
		{ "[::1]", "'[::1]' is not an IPv4" },
		{ "10.0.0.0/33", "the prefix length must be a number from 1 to 32" },
		{ "10.0.0.0/", "the prefix length must be" },
		{ "10.0.0.0/8x", "the prefix length must be" },
		{ "fd00::/129", "from 1 to 128" },
		{ "0.0.0.0/0", "would trust every address" },
		{ "::/0", "would trust every address" },
		{ "10.1.2.3/8", "'10.1.2.3/8' has bits set after its first 8: the "
				"range is 10.0.0.0/8" },
		{ "fd00::1/64", "the range is fd00::/64" },
		/* r-tls: an IPv6 range that holds ::ffff:0:0/96 holds every
		 * IPv4 client as helhed sees it (an IPv4 peer is kept as
		 * ::ffff:a.b.c.d): a /0 by another name */
		{ "::/8", "'::/8' holds every IPv4 address" },
		{ "::/80", "holds every IPv4 address" },
		{ "::fffe:0:0/95", "holds every IPv4 address" },
		{ "127.0.0.2, ::/1", "'::/1' holds every IPv4 address" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hh_netlist l;
		char err[200] = "";
		assert_int_equal(hh_netlist_parse(bad[i].list, &l, err, sizeof(err)),
				 HH_ERR_INVALID);
		assert_int_equal(l.n, 0);
		tu_expect_in(err, bad[i].says);
	}
	/* at most HH_NETLIST_MAX */
	struct hh_buf b;
	hh_buf_init(&b);
	for (int i = 0; i < HH_NETLIST_MAX; i++)
		hh_buf_printf(&b, "10.0.%d.1 ", i);
	struct hh_netlist l;
	char err[200] = "";
	assert_int_equal(hh_netlist_parse(hh_buf_str(&b), &l, err, sizeof(err)),
			 HH_OK);
	hh_buf_puts(&b, "10.9.9.9");
	assert_int_equal(hh_netlist_parse(hh_buf_str(&b), &l, err, sizeof(err)),
			 HH_ERR_INVALID);
	tu_expect_in(err, "more than 64");
	hh_buf_clear(&b);
}

/* The configuration file checks the key with the same parser. */
static void the_configuration_file_checks_the_list(void **state)
{
	(void)state;
	static const struct hh_conf_key keys[] = {
		{ "trusted_proxies", "HH_TEST_PROXIES", HH_CONF_NETS, 0, 0 },
		{ NULL, NULL, 0, 0, 0 }
	};
	char *dir = tu_tmpdir(), path[4200], err[512] = "";
	snprintf(path, sizeof(path), "%s/t.conf", dir);
	unsetenv("HH_TEST_PROXIES");
	tu_write(path, "trusted_proxies = 127.0.0.2, 10.9.0.0/24\n");
	assert_int_equal(hh_conf_load(path, keys, NULL, NULL, err, sizeof(err)),
			 HH_OK);
	assert_string_equal(getenv("HH_TEST_PROXIES"), "127.0.0.2, 10.9.0.0/24");
	unsetenv("HH_TEST_PROXIES");
	tu_write(path, "# proxies\ntrusted_proxies = 127.0.0.2, 10.9.0.1/24\n");
	assert_int_equal(hh_conf_load(path, keys, NULL, NULL, err, sizeof(err)),
			 HH_ERR_INVALID);
	tu_expect_in(err, "t.conf:2: 'trusted_proxies' must list addresses or "
			  "CIDR ranges ('10.9.0.1/24' has bits set");
	assert_null(getenv("HH_TEST_PROXIES"));
	tu_rmdir(dir);
}

/* The client behind trusted is xff walked from the right; "" for xff
 * means no header. */
static const char *client(const struct hh_netlist *trusted, const char *peer,
			  const char *xff, char *buf)
{
	unsigned char p[16], c[16];
	addr(peer, p);
	hh_netlist_client(trusted, p, *xff ? xff : NULL, c);
	return hh_addr_format(c, buf, 46);
}

static void the_client_is_found_from_the_right(void **state)
{
	(void)state;
	struct hh_netlist t;
	char err[200], buf[46];
	assert_int_equal(hh_netlist_parse("127.0.0.2 10.0.0.0/24 2001:db8:ff::/48",
					  &t, err, sizeof(err)),
			 HH_OK);
	/* an untrusted peer is the client, whatever it writes */
	assert_string_equal(client(&t, "127.0.0.1", "198.51.100.7", buf),
			    "127.0.0.1");
	assert_string_equal(client(&t, "203.0.113.5", "10.0.0.1, 127.0.0.2", buf),
			    "203.0.113.5");
	/* the proxy's entry */
	assert_string_equal(client(&t, "127.0.0.2", "198.51.100.7", buf),
			    "198.51.100.7");
	assert_string_equal(client(&t, "127.0.0.2", " 198.51.100.7 ", buf),
			    "198.51.100.7");
	/* what the client wrote itself is left of it, never reached */
	assert_string_equal(client(&t, "127.0.0.2", "6.6.6.6, 198.51.100.7", buf),
			    "198.51.100.7");
	assert_string_equal(client(&t, "127.0.0.2", "10.0.0.9,198.51.100.7", buf),
			    "198.51.100.7");
	/* several trusted hops: past each of them */
	assert_string_equal(client(&t, "127.0.0.2",
				   "6.6.6.6, 198.51.100.7, 10.0.0.5, 2001:db8:ff::2",
				   buf),
			    "198.51.100.7");
	/* an IPv6 client, and an IPv4 one written as IPv6 */
	assert_string_equal(client(&t, "127.0.0.2", "2001:db8:1::5", buf),
			    "2001:db8:1::5");
	assert_string_equal(client(&t, "127.0.0.2", "::ffff:198.51.100.8", buf),
			    "198.51.100.8");
	/* no header: the proxy itself (a health check) */
	assert_string_equal(client(&t, "127.0.0.2", "", buf), "127.0.0.2");
	/* not an address: the walk ends at the last trusted hop */
	assert_string_equal(client(&t, "127.0.0.2", "unknown", buf), "127.0.0.2");
	assert_string_equal(client(&t, "127.0.0.2", "1.2.3.4, junk, 10.0.0.5", buf),
			    "10.0.0.5");
	assert_string_equal(client(&t, "127.0.0.2", "198.51.100.7,", buf),
			    "127.0.0.2");
	/* r-tls: an entry a trusted hop wrote with a port, or an IPv6 one
	 * in brackets (as some load balancers and RFC 7239 write them), is
	 * still that address: read as junk it made every client behind
	 * such a hop the one trusted address, sharing one allowance of
	 * sign-ins and writes */
	assert_string_equal(client(&t, "127.0.0.2", "198.51.100.7:4711", buf),
			    "198.51.100.7");
	assert_string_equal(client(&t, "127.0.0.2", "6.6.6.6, 198.51.100.7:4711",
				   buf),
			    "198.51.100.7");
	assert_string_equal(client(&t, "127.0.0.2", "[2001:db8:1::5]:443", buf),
			    "2001:db8:1::5");
	assert_string_equal(client(&t, "127.0.0.2", " [2001:db8:1::5] ", buf),
			    "2001:db8:1::5");
	assert_string_equal(client(&t, "127.0.0.2", "198.51.100.7, 10.0.0.5:80",
				   buf),
			    "198.51.100.7");
	assert_string_equal(client(&t, "127.0.0.2", "198.51.100.7, [10.0.0.5]",
				   buf),
			    "198.51.100.7");
	/* and what is not quite that stays junk */
	static const char *const junk[] = {
		"198.51.100.7:", "198.51.100.7:65536", "198.51.100.7:123456",
		"198.51.100.7:80x", "198.51.100.7:-1", "198.51.100.7: 80",
		"[2001:db8:1::5", "[2001:db8:1::5]x", "[2001:db8:1::5]:",
		"2001:db8:1::5]", "[]", "[]:80", ":80", "[[::1]]",
		"[fe80::1%eth0]", "fe80::1%eth0", "host.example:80",
	};
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		assert_string_equal(client(&t, "127.0.0.2", junk[i], buf),
				    "127.0.0.2");
	/* every entry trusted: the leftmost (an internal caller) */
	assert_string_equal(client(&t, "127.0.0.2", "10.0.0.7, 10.0.0.5", buf),
			    "10.0.0.7");
	/* an empty list trusts nobody */
	struct hh_netlist none = { 0 };
	assert_string_equal(client(&none, "127.0.0.2", "198.51.100.7", buf),
			    "127.0.0.2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_addresses_and_ranges),
		cmocka_unit_test(refuses_with_a_clear_error),
		cmocka_unit_test(the_configuration_file_checks_the_list),
		cmocka_unit_test(the_client_is_found_from_the_right),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
