#!/bin/sh
# run.sh - helhed's benchmarks, each printed beside its peer measured in the
# same run:
#   start-up time and resident memory, demo content and 10,000 articles;
#   wrk on GET /api/v1/articles/{slug} beside wrk on a static file served by
#   the same server (the ceiling of this machine and server library).
# Usage: bench/run.sh BUILD_DIR
set -eu
build=${1:-build}
bin=$build/helhed
tmp=$(mktemp -d /tmp/helhed-bench-XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# start DB [extra args]: starts the server, sets $pid $url $startup_ms
start() {
	db=$1; shift
	"$bin" serve --db "$db" --listen 127.0.0.1:0 --quiet --threads 2 "$@" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	i=0
	while ! grep -q 'serving http' "$tmp/out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { cat "$tmp/err"; exit 1; }
		sleep 0.1
	done
	url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$tmp/out" | head -1)
	startup_ms=$(sed -n 's/.*started in \([0-9.]*\) ms.*/\1/p' "$tmp/out" | head -1)
}

stop() {
	kill -TERM "$pid"
	wait "$pid" || true
	pid=
}

rss_mb() {
	awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"
}

echo "== start-up (a second start: database migrated and loaded) and resident memory"
"$bin" import content --db "$tmp/demo.db" >/dev/null
start "$tmp/demo.db"
echo "demo content ($(ls content/articles/*.md content/articles/*/*.md | wc -l) articles): start-up ${startup_ms} ms, resident $(rss_mb) MB"
stop
"$build/bench/gen_corpus" content "$tmp/c10k" 10000 >/dev/null
t0=$(date +%s%N)
"$bin" import "$tmp/c10k" --db "$tmp/10k.db" >/dev/null
t1=$(date +%s%N)
echo "import of 10,000 articles: $(( (t1 - t0) / 1000000 )) ms"
start "$tmp/10k.db"
echo "10,000 articles: start-up ${startup_ms} ms, resident $(rss_mb) MB"
stop

echo "== wrk, 2 threads, 64 connections, 10 s, against one server with 2 worker threads"
start "$tmp/demo.db"
# warm up both paths
for p in /api/v1/articles/skift-af-laege /static/style.css; do
	curl -fsS -o /dev/null "$url$p"
done
run_wrk() {
	wrk -t2 -c64 -d10s --latency "$url$1" >"$tmp/wrk" 2>&1
	rps=$(awk '/Requests\/sec/ { print $2 }' "$tmp/wrk")
	p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk")
	errs=$(awk '/Non-2xx/ { print $5 }' "$tmp/wrk")
	echo "$1: ${rps} req/s, p99 ${p99}${errs:+, non-2xx $errs}"
}
run_wrk /api/v1/articles/skift-af-laege
api_rps=$rps
run_wrk /static/style.css
static_rps=$rps
awk -v a="$api_rps" -v s="$static_rps" 'BEGIN { printf "ratio api/static: %.2f\n", a / s }'
stop
