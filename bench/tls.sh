#!/bin/sh
# tls.sh - what TLS in front costs (make bench-tls, issue 17 point 7): wrk
# on GET /api/v1/search?q=... with the demo content, keep-alive, the same
# threads and connections each time:
#   straight to helhed over plain HTTP (the peer: no proxy, no TLS),
#   through HAProxy with TLS, from docs/examples/haproxy-helhed.cfg,
#   through nginx with TLS, from docs/examples/nginx-helhed.conf,
# all on this machine (tests/tls/proxies.sh starts them as the test does),
# so the proxy and wrk take cores from helhed: the figures say what one
# machine gives, not what helhed does alone.
# Usage: bench/tls.sh BUILD_DIR
# HELHED_BENCH_SECONDS (default 10) a run, HELHED_BENCH_CONNECTIONS
# (default 32).
set -u
build=${1:-build}
seconds=${HELHED_BENCH_SECONDS:-10}
conns=${HELHED_BENCH_CONNECTIONS:-32}
cd "$(dirname "$0")/.." || exit 1
for tool in wrk haproxy nginx openssl curl python3; do
	command -v "$tool" >/dev/null || {
		echo "bench-tls: needs $tool (scripts/install-deps.sh)" >&2
		exit 1
	}
done
tmp=$(mktemp -d /tmp/helhed-bench-tls-XXXXXX)
ok() { :; }
bad() { echo "bench-tls: $1" >&2; exit 1; }
check() {
	what=$1
	shift
	"$@" || bad "$what"
}
. tests/tls/proxies.sh
trap 'stop_all; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE

make_certs || bad "openssl could not make the certificates"
pick_ports
start_helhed --demo --threads 2 --quiet --write-limits 0/0/0 ||
	bad "helhed did not start"
path="/api/v1/search?q=pas"

echo "Search over HTTP(S): wrk -t2 -c$conns -d${seconds}s --latency GET $path"
echo "(demo content; keep-alive; helhed, the proxy and wrk on the same $(nproc) cores)."
echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %12s %10s %10s\n' "" "requests/s" "p50" "p99"
# one row: wrk on URL $2, named $1
row() {
	wrk -t2 -c"$conns" -d"${seconds}s" --latency "$2" >"$tmp/wrk.out" 2>&1 ||
		bad "wrk failed on $2: $(cat "$tmp/wrk.out")"
	errors=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$tmp/wrk.out")
	printf '%-40s %12s %10s %10s%s\n' "$1" \
		"$(sed -n 's/^Requests\/sec: *//p' "$tmp/wrk.out")" \
		"$(awk '$1 == "50%" {print $2}' "$tmp/wrk.out")" \
		"$(awk '$1 == "99%" {print $2}' "$tmp/wrk.out")" \
		"${errors:+  ($errors not 2xx)}"
}
row "helhed directly, HTTP (the peer)" "http://127.0.0.1:$helhed_port$path"
start_haproxy || bad "HAProxy did not start"
row "HAProxy 2.6, TLS, from the example" "https://127.0.0.1:$https_port$path"
stop_proxy
start_nginx || bad "nginx did not start"
row "nginx 1.22, TLS, from the example" "https://127.0.0.1:$https_port$path"
stop_proxy
