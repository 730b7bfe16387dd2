#!/bin/sh
# test_tls.sh - helhed behind HAProxy and nginx with TLS (issue 17 point
# 7): the shipped examples docs/examples/haproxy-helhed.cfg and
# docs/examples/nginx-helhed.conf, their ports, paths and public name
# replaced, each in turn in front of a real helhed, all on loopback.
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
helhed_pid=
proxy_pid=
stop_all() {
	[ -z "$proxy_pid" ] || kill "$proxy_pid" 2>/dev/null
	[ -z "$helhed_pid" ] || kill "$helhed_pid" 2>/dev/null
	[ -z "$proxy_pid" ] || wait "$proxy_pid" 2>/dev/null
	[ -z "$helhed_pid" ] || wait "$helhed_pid" 2>/dev/null
	proxy_pid=
	helhed_pid=
}
trap 'stop_all; [ -n "${HELHED_TLS_KEEP:-}" ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# ---- certificates ------------------------------------------------------
site=borger.test
if ! {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 2 \
		-subj "/CN=helhed test CA" &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/server.key" -out "$tmp/server.csr" -subj "/CN=$site" &&
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$site" \
		>"$tmp/ext.cnf" &&
	openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" \
		-CAkey "$tmp/ca.key" -CAcreateserial -days 2 \
		-extfile "$tmp/ext.cnf" -out "$tmp/server.pem"
} >"$tmp/openssl.log" 2>&1; then
	cat "$tmp/openssl.log"
	bad "openssl makes a CA and a server certificate"
	finish
fi
# HAProxy's crt: the certificate, then its key, in one file
cat "$tmp/server.pem" "$tmp/server.key" >"$tmp/helhed.pem"
chmod 600 "$tmp/helhed.pem" "$tmp/ca.key" "$tmp/server.key"
ok "openssl made a throwaway CA and a certificate for $site"

# ---- ports ---------------------------------------------------------------
# Three free ports, asked of the kernel (one might be taken again before
# use; then a start below fails and says so).
set -- $(python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
http_port=$1
https_port=$2
helhed_port=$3
public="https://$site:$https_port"

# ---- helhed ------------------------------------------------------------
mkdir "$tmp/content"
HELHED_CONFIG=none "$build/helhed" serve --db "$tmp/helhed.db" \
	--listen "127.0.0.1:$helhed_port" --content "$tmp/content" --threads 2 \
	--public-url "$public/" --trusted-proxies 127.0.0.2 --print-time off \
	>"$tmp/helhed.out" 2>"$tmp/helhed.err" &
helhed_pid=$!
i=0
while ! grep -q "serving http://" "$tmp/helhed.out" 2>/dev/null; do
	i=$((i + 1))
	if [ "$i" -gt 600 ] || ! kill -0 "$helhed_pid" 2>/dev/null; then
		cat "$tmp/helhed.err"
		bad "helhed starts with trusted_proxies = 127.0.0.2"
		finish
	fi
	sleep 0.1
done
ok "helhed serves on 127.0.0.1:$helhed_port, public URL $public"

# ---- the proxies, from the examples ---------------------------------------

# curl as a client at $1 (127.0.0.N), over https through the proxy, the
# rest its arguments; the headers into $tmp/h, the body into $tmp/b.
via() {
	src=$1
	shift
	curl -sS --max-time 20 --cacert "$tmp/ca.pem" \
		--resolve "$site:$https_port:127.0.0.1" \
		--resolve "$site:$http_port:127.0.0.1" \
		--interface "$src" -D "$tmp/h" -o "$tmp/b" "$@"
}
status() { sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$tmp/h"; }
header() { # header NAME: its value in $tmp/h
	grep -i "^$1:" "$tmp/h" | head -1 | sed 's/^[^:]*: *//' | tr -d '\r'
}
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

# HAProxy from docs/examples/haproxy-helhed.cfg. What changes for the
# test, each replacement checked to have happened: the machine's own
# parts of global (chroot, user, syslog, the stats socket, daemon), the
# ports, the certificate's path, the public name, and helhed's address
# with the source address HAProxy connects from.
start_haproxy() {
	sed -e '/^ *log \/dev\/log/d' -e '/^ *chroot /d' -e '/^ *stats socket /d' \
		-e '/^ *user /d' -e '/^ *group /d' -e '/^ *daemon$/d' \
		-e "s|^\( *bind \):80\$|\1127.0.0.1:$http_port|" \
		-e "s|^\( *bind \):443 ssl crt /etc/haproxy/certs/helhed.pem|\1127.0.0.1:$https_port ssl crt $tmp/helhed.pem|" \
		-e "s|https://borger.example.dk|$public|" \
		-e "s|^\( *server helhed1 \)127.0.0.1:8080 \(.*\)\$|\1127.0.0.1:$helhed_port source 127.0.0.2 \2|" \
		docs/examples/haproxy-helhed.cfg >"$tmp/haproxy.cfg"
	check "haproxy: the example's ports, certificate, name and server were replaced" \
		sh -c "grep -q 'bind 127.0.0.1:$http_port\$' '$tmp/haproxy.cfg' &&
			grep -q 'bind 127.0.0.1:$https_port ssl crt $tmp/helhed.pem alpn' '$tmp/haproxy.cfg' &&
			grep -q 'redirect prefix $public code 301' '$tmp/haproxy.cfg' &&
			grep -q 'server helhed1 127.0.0.1:$helhed_port source 127.0.0.2 check' '$tmp/haproxy.cfg' &&
			! grep -Eq '^ *(chroot|user|group|daemon)( |\$)' '$tmp/haproxy.cfg'"
	if ! haproxy -c -f "$tmp/haproxy.cfg" >"$tmp/haproxy-check.log" 2>&1; then
		cat "$tmp/haproxy-check.log"
		bad "haproxy -c accepts the example"
		return 1
	fi
	ok "haproxy -c accepts the example"
	haproxy -db -f "$tmp/haproxy.cfg" >"$tmp/haproxy.log" 2>&1 &
	proxy_pid=$!
	proxy_log=$tmp/haproxy.log
}

# nginx from docs/examples/nginx-helhed.conf, as a site included by a
# main configuration of the test's own (the pid file, the logs and the
# temporary files in $tmp). Replaced: the ports (IPv4 loopback only), the
# certificate's paths, the public name, helhed's port, and proxy_bind to
# the address nginx connects from.
start_nginx() {
	sed -e '/^ *listen \[::\]:/d' \
		-e "s|^\( *listen \)80;|\1127.0.0.1:$http_port;|" \
		-e "s|^\( *listen \)443 ssl http2;|\1127.0.0.1:$https_port ssl http2;|" \
		-e "s|https://borger.example.dk|$public|" \
		-e "s|server_name borger.example.dk;|server_name $site;|" \
		-e "s|/etc/ssl/helhed/fullchain.pem|$tmp/server.pem|" \
		-e "s|/etc/ssl/helhed/privkey.pem|$tmp/server.key|" \
		-e "s|^\( *server \)127.0.0.1:8080;|\1127.0.0.1:$helhed_port;|" \
		-e "s|^\( *proxy_pass http://helhed;\)|\1 proxy_bind 127.0.0.2;|" \
		docs/examples/nginx-helhed.conf >"$tmp/nginx-site.conf"
	check "nginx: the example's ports, certificate, name and server were replaced" \
		sh -c "grep -q 'listen 127.0.0.1:$http_port;' '$tmp/nginx-site.conf' &&
			grep -q 'listen 127.0.0.1:$https_port ssl http2;' '$tmp/nginx-site.conf' &&
			grep -q 'return 301 $public\$request_uri;' '$tmp/nginx-site.conf' &&
			grep -q 'ssl_certificate $tmp/server.pem;' '$tmp/nginx-site.conf' &&
			grep -q 'server 127.0.0.1:$helhed_port;' '$tmp/nginx-site.conf' &&
			grep -q 'proxy_bind 127.0.0.2;' '$tmp/nginx-site.conf' &&
			! grep -q 'listen \[::\]' '$tmp/nginx-site.conf'"
	mkdir -p "$tmp/nginx"
	{
		echo "user root;"
		echo "worker_processes 1;"
		echo "pid $tmp/nginx/nginx.pid;"
		echo "error_log $tmp/nginx/error.log;"
		echo "events { worker_connections 64; }"
		echo "http {"
		echo "	access_log off;"
		for t in client_body proxy fastcgi uwsgi scgi; do
			echo "	${t}_temp_path $tmp/nginx/$t;"
		done
		echo "	include $tmp/nginx-site.conf;"
		echo "}"
	} >"$tmp/nginx.conf"
	if ! nginx -t -q -e "$tmp/nginx/error.log" -c "$tmp/nginx.conf" \
		>"$tmp/nginx-check.log" 2>&1; then
		cat "$tmp/nginx-check.log" "$tmp/nginx/error.log"
		bad "nginx -t accepts the example"
		return 1
	fi
	ok "nginx -t accepts the example"
	nginx -e "$tmp/nginx/error.log" -c "$tmp/nginx.conf" -g 'daemon off;' \
		>"$tmp/nginx.log" 2>&1 &
	proxy_pid=$!
	proxy_log=$tmp/nginx/error.log
}

stop_proxy() {
	if [ -n "$proxy_pid" ]; then
		kill "$proxy_pid" 2>/dev/null
		wait "$proxy_pid" 2>/dev/null
	fi
	proxy_pid=
}

# The checks through proxy $1 (started); its request paths carry its name.
checks_through() {
	p=$1
	# up, and helhed found healthy, when /readyz comes through
	i=0
	until via 127.0.0.3 "$public/readyz" 2>/dev/null && [ "$(status)" = 200 ]; do
		i=$((i + 1))
		if [ "$i" -gt 300 ] || ! kill -0 "$proxy_pid" 2>/dev/null; then
			cat "$proxy_log"
			via 127.0.0.3 "$public/readyz"
			bad "$p answers over https with the example"
			return 1
		fi
		sleep 0.1
	done
	ok "$p answers over https, its certificate verified against the CA"
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
