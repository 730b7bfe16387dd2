#!/bin/sh
# abuse.sh - search latency for an ordinary client while others attack
# (make bench-abuse): alone, during a wrong-password sign-in flood from
# many addresses, and while one address opens 4,200 slow connections; each
# beside the quiet figures of the same server in the same run.
# Usage: bench/abuse.sh BUILD_DIR
set -eu
build=${1:-build}
bin=$build/helhed
tmp=$(mktemp -d /tmp/helhed-bench-abuse-XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
"$bin" import content --db "$tmp/demo.db" --users >/dev/null
# the defaults of `helhed serve` (64 connections per address, one sign-in
# worker on two cores), 4 request threads
"$bin" serve --db "$tmp/demo.db" --listen 127.0.0.1:0 --quiet --threads 4 \
	>"$tmp/out" 2>"$tmp/err" &
pid=$!
i=0
while ! grep -q 'serving http' "$tmp/out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || { cat "$tmp/err"; exit 1; }
	sleep 0.1
done
url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$tmp/out" | head -1)
echo "Search latency under attack: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/abuse_bench" "$url"
rss=$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
echo "server resident memory at the end: $rss MB"
