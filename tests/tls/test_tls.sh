#!/bin/sh
# test_tls.sh - helhed behind HAProxy and nginx with TLS (issue 17 point
# 7): the shipped examples docs/examples/haproxy-helhed.cfg and
# docs/examples/nginx-helhed.conf, their ports, paths and public name
# replaced, each in turn in front of a real helhed, all on loopback
# (tests/tls/proxies.sh starts them).
#
# A throwaway CA and a server certificate for borger.test are made with
# openssl; curl trusts only that CA (--cacert) and reaches the name through
# --resolve. The addresses keep the parties apart: the proxy connects to
# helhed from 127.0.0.2 (trusted_proxies = 127.0.0.2), clients speak from
# 127.0.0.3 and up, so a client that goes to helhed directly is never the
# trusted proxy, and every request line in helhed's log says whom helhed
# took the client to be.
#
# Usage: test_tls.sh [BUILD_DIR]   Ends with "tls: N passed, N failed";
# exits 0 when none failed. Needs haproxy, openssl, curl and python3, and
# nginx for its half (scripts/install-deps.sh). Stops what it started.
set -u
build=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { # check NAME COMMAND...: passes when the command succeeds
	what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
finish() {
	echo "tls: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

for tool in haproxy openssl curl python3; do
	if ! command -v "$tool" >/dev/null; then
		bad "$tool is installed (scripts/install-deps.sh)"
		finish
	fi
done
if [ ! -x "$build/helhed" ]; then
	bad "$build/helhed is built"
	finish
fi

tmp=$(mktemp -d)
. tests/tls/proxies.sh
trap 'stop_all; [ -n "${HELHED_TLS_KEEP:-}" ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

if ! make_certs; then
	bad "openssl makes a CA and a server certificate"
	finish
fi
ok "openssl made a throwaway CA and a certificate for $site"
pick_ports
mkdir "$tmp/content"
if ! start_helhed --content "$tmp/content" --threads 2; then
	bad "helhed starts with trusted_proxies = 127.0.0.2"
	finish
fi
ok "helhed serves on 127.0.0.1:$helhed_port, public URL $public"

# The client helhed logged for path $1 (each test path is asked once).
# The line is written as the request completes: waited for.
logged_client() {
	i=0
	while ! grep -q "\"path\":\"$1\"" "$tmp/helhed.err"; do
		i=$((i + 1))
		[ "$i" -gt 100 ] && return 1
		sleep 0.1
	done
	grep "\"path\":\"$1\"" "$tmp/helhed.err" | head -1 |
		sed -n 's/.*"client":"\([^"]*\)".*/\1/p'
}

# r-tls: a TLS handshake with the proxy with openssl's options $@ (the
# certificate checked against the CA); 0 when it succeeds.
handshake() {
	openssl s_client -connect "127.0.0.1:$https_port" -servername "$site" \
		-CAfile "$tmp/ca.pem" -verify_return_error "$@" \
		</dev/null >"$tmp/s_client.log" 2>&1
}
refused() { ! "$@"; }

# The checks through proxy $1 (started); its request paths carry its name.
checks_through() {
	p=$1
	# r-tls: the protocol versions and ciphers the example admits (a
	# client offering only old ones is refused; the client side's own
	# floor lowered with @SECLEVEL=0 so that it is the proxy refusing)
	check "$p: TLS 1.2 with an AEAD cipher (ECDHE-ECDSA-AES128-GCM-SHA256) is accepted" \
		handshake -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
	check "$p: TLS 1.3 is accepted" handshake -tls1_3
	check "$p: TLS 1.2 with only a CBC cipher (ECDHE-ECDSA-AES128-SHA) is refused" \
		refused handshake -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0'
	check "$p: TLS 1.1 is refused" \
		refused handshake -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'
	check "$p: TLS 1.0 is refused" \
		refused handshake -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
	via 127.0.0.3 "$public/"
	check "$p: the front page answers 200 over https" test "$(status)" = 200
	check "$p: HSTS on the page: $(header Strict-Transport-Security)" \
		test "$(header Strict-Transport-Security)" = "max-age=31536000"
	via 127.0.0.3 "$public/api/v1/search?q=pas"
	check "$p: the API answers 200 over https" test "$(status)" = 200
	check "$p: HSTS on the API" \
		test "$(header Strict-Transport-Security)" = "max-age=31536000"
	via 127.0.0.3 "$public/soeg?q=pas"
	cookie=$(header Set-Cookie)
	check "$p: cookies are Secure: $cookie" \
		sh -c "echo '$cookie' | grep -q '; Secure'"
	via 127.0.0.3 "$public/open311/v2/discovery.json" -H "Host: evil.example"
	check "$p: Open311 discovery shows the public https URL, not the Host header" \
		sh -c "grep -q '\"url\":\"$public/open311/v2\"' '$tmp/b' && ! grep -q evil '$tmp/b'"
	# whom helhed takes the client to be
	via 127.0.0.3 "$public/$p-via-proxy"
	check "$p: through the proxy the log names the real client (127.0.0.3)" \
		test "$(logged_client "/$p-via-proxy")" = 127.0.0.3
	via 127.0.0.4 "$public/$p-forged" -H "X-Forwarded-For: 198.51.100.66" \
		-H "Forwarded: for=198.51.100.67"
	check "$p: a forged X-Forwarded-For through the proxy is not believed beyond the proxy's entry (127.0.0.4)" \
		test "$(logged_client "/$p-forged")" = 127.0.0.4
	# plain HTTP
	via 127.0.0.3 "http://$site:$http_port/soeg?q=pas" -H "Host: evil.example"
	check "$p: plain HTTP is redirected (301) to the public https URL: $(header Location)" \
		sh -c "[ '$(status)' = 301 ] && [ '$(header Location)' = '$public/soeg?q=pas' ]"
}

if start_haproxy; then
	checks_through haproxy
fi
stop_proxy
if ! command -v nginx >/dev/null; then
	echo "skip nginx: not installed (apt install nginx; its example is then tested too)"
elif start_nginx; then
	checks_through nginx
fi
stop_proxy

# ---- helhed reached directly ------------------------------------------------
curl -sS --max-time 20 --interface 127.0.0.5 -D "$tmp/h" -o "$tmp/b" \
	-H "X-Forwarded-For: 198.51.100.77" -H "X-Forwarded-Proto: https" \
	"http://127.0.0.1:$helhed_port/forged-direct"
check "a direct request's forged headers are not believed (127.0.0.5)" \
	test "$(logged_client /forged-direct)" = 127.0.0.5
curl -sS --max-time 20 --interface 127.0.0.2 -D "$tmp/h" -o "$tmp/b" \
	-H "X-Forwarded-For: 198.51.100.88" "http://127.0.0.1:$helhed_port/from-the-proxy"
check "(and from the proxy's address the header is believed: the check can fail)" \
	test "$(logged_client /from-the-proxy)" = 198.51.100.88

stop_all
check "helhed and the proxies stopped" \
	sh -c "! curl -s --max-time 2 http://127.0.0.1:$helhed_port/healthz >/dev/null &&
		! curl -s --max-time 2 -k https://127.0.0.1:$https_port/ >/dev/null"
finish
