#!/bin/sh
# chat.sh - the live chat benchmark (make bench-chat, and part of make
# bench): a real `helhed serve` holding N citizens' waiting long polls at
# once (target >= 2,000), the delivery latency of the agent's messages to
# the waiting citizens at that load (target p99 <= 50 ms), and the same
# server's /healthz latency in the same run, beside it. Each message is
# committed (WAL, synchronous=FULL) before it is acknowledged and
# delivered, so the figures include an fsync; the files live on disk
# (TMPDIR, default /tmp), not tmpfs. See bench/chat_bench.c.
# Usage: bench/chat.sh BUILD_DIR
# HELHED_BENCH_CHATS (default 2000), HELHED_BENCH_CHAT_MESSAGES (1000),
# HELHED_BENCH_CHAT_RATE (messages a second, 50).
set -eu
build=${1:-build}
bin=$build/helhed
cb=$build/bench/chat_bench
n=${HELHED_BENCH_CHATS:-2000}
msgs=${HELHED_BENCH_CHAT_MESSAGES:-1000}
rate=${HELHED_BENCH_CHAT_RATE:-50}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-chat-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	[ -n "${HELHED_BENCH_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
db=$tmp/chat.db
fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
echo "Chat benchmark: $n waiting connections, files in $tmp ($fs), $(nproc) cores," \
	"load average $(cut -d' ' -f1-3 /proc/loadavg), open files $(ulimit -Hn) (hard)."

serve() {
	rm -f "$tmp/out" # not the last start's URL
	# the chat's own rate limits and the write limits off: one client
	# plays every citizen and the agent
	HELHED_CHAT_LIMITS=0 "$bin" serve --demo --db "$db" --content content \
		--listen 127.0.0.1:0 --quiet --threads 2 --write-limits 0/0/0 \
		>"$tmp/out" 2>"$tmp/err" &
	pid=$!
	i=0
	while ! grep -q 'serving http' "$tmp/out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { cat "$tmp/err"; exit 1; }
		kill -0 "$pid" 2>/dev/null || { cat "$tmp/err"; exit 1; }
		sleep 0.1
	done
	url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$tmp/out" | head -1)
}

# first start: the demo content; then one agent may hold every chat
# (the agent limit is data: the meta setting chat.agent_limit)
serve
kill -TERM "$pid"; wait "$pid" || true; pid=
sqlite3 "$db" "INSERT OR REPLACE INTO meta(key, value) VALUES ('chat.agent_limit', '100000')"
serve
status=0
"$cb" "$url" borgerservice@nordskov.demo demo-borgerservice 901 "$n" "$msgs" "$rate" || status=$?
echo "server: $(grep -c . "$tmp/err" || true) lines on stderr; resident $(ps -o rss= -p "$pid" | awk '{printf "%.0f MB", $1/1024}')"
kill -TERM "$pid"
wait "$pid" || true
pid=
exit $status
