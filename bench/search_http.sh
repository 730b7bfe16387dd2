#!/bin/sh
# search_http.sh - search over HTTP under load (the end of make
# bench-search; s-http, issue 13 point 6): wrk -t2 -c64 against one server
# with 2 worker threads, first with 10,000 articles in the store (the demo
# content with 9,828 articles generated from its shared ones by
# gen_corpus), then with the 172 demo articles. For each server:
#   - GET /api/v1/search?q=... cycling through bench/queries.txt,
#   - GET /soeg?q=... (the citizens' results page) the same way,
#   - GET /static/style.css from the same server (the ceiling),
#   - the search API and /soeg again at a fixed 20,000 requests a second
#     (HELHED_BENCH_RATE; search_wrk.lua's paced mode), for the latency
#     at the budget's rate rather than at saturation,
# each with requests/s, p50 and p99 latency, and the CPU time (user +
# system) per request of the server (from /proc/PID/stat) and of wrk.
# The machine is shared, so requests/s and latency move with the load;
# the CPU per request does not, and "2 cores" is what the two cores would
# serve if they ran only this server and wrk: 2 s / (server + wrk CPU per
# request).
# Usage: bench/search_http.sh BUILD_DIR
# HELHED_BENCH_WRK_SECONDS (default 10) sets each wrk run's length.
set -eu
build=${1:-build}
bin=$build/helhed
queries=bench/queries.txt
secs=${HELHED_BENCH_WRK_SECONDS:-10}
articles=10000
# the rate of the paced runs (HELHED_BENCH_RATE, default the budget's)
paced_rate=${HELHED_BENCH_RATE:-20000}
tmp=$(mktemp -d /tmp/helhed-bench-http-XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
tck=$(getconf CLK_TCK)
n_queries=$(grep -cv '^#' "$queries")

# serve DB CONTENT: starts the server (sets pid, url; its stdout in
# $tmp/out)
serve() {
	"$bin" serve --db "$1" --content "$2" --listen 127.0.0.1:0 \
		--quiet --threads 2 >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	i=0
	while ! grep -q 'serving http' "$tmp/out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 3000 ] || { cat "$tmp/err"; exit 1; }
		kill -0 "$pid" 2>/dev/null || { cat "$tmp/err"; exit 1; }
		sleep 0.1
	done
	url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$tmp/out" | head -1)
	for p in "/api/v1/search?q=sundhedskort" "/soeg?q=sundhedskort" \
		/static/style.css; do
		curl -fsS -o /dev/null "$url$p"
	done
}

stop() {
	kill -TERM "$pid"
	wait "$pid" || true
	pid=
}

# started: the start-up figures of the server's last start
started() {
	sed -n 's/.*started in \([0-9.]*\) ms.*/\1/p' "$tmp/out" | head -1
}
indexed() {
	sed -n 's/^search index: \([0-9]*\) .* in \([0-9.]*\) ms.*/\1 documents in \2 ms/p' \
		"$tmp/out" | head -1
}

# cpu_ticks: the server's user + system time so far, in clock ticks
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$pid/stat"
}

# run_wrk LABEL PATH [PREFIX]: one wrk run, a line of figures; sets $rps
run_wrk() {
	t0=$(cpu_ticks)
	if [ $# -gt 2 ]; then
		/usr/bin/time -f '%U %S' -o "$tmp/time" wrk -t2 -c64 -d"${secs}s" \
			--latency -s bench/search_wrk.lua "$url$2" -- "$queries" "$3" \
			>"$tmp/wrk" 2>&1
	else
		/usr/bin/time -f '%U %S' -o "$tmp/time" wrk -t2 -c64 -d"${secs}s" \
			--latency "$url$2" >"$tmp/wrk" 2>&1
	fi
	t1=$(cpu_ticks)
	rps=$(awk '/Requests\/sec/ { print $2 }' "$tmp/wrk")
	awk -v label="$1" -v ticks=$((t1 - t0)) -v tck="$tck" \
		-v wrk_cpu="$(awk '{ print $1 + $2 }' "$tmp/time")" '
	function ms(v) {
		if (v ~ /us$/) return v / 1000
		if (v ~ /ms$/) return v + 0
		if (v ~ /s$/) return v * 1000
		return v
	}
	/requests in/ { n = $1 }
	/Requests\/sec/ { rps = $2 }
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	/Non-2xx/ { errs = $5 }
	END {
		srv = ticks / tck * 1e6 / n
		cli = wrk_cpu * 1e6 / n
		printf "%-30s %8.0f %8.2f %8.2f %10.1f %8.1f %9.0f%s\n", label,
			rps, p50, p99, srv, cli, 2e6 / (srv + cli),
			errs ? "  non-2xx: " errs : ""
	}' "$tmp/wrk"
}

header() {
	printf "%-30s %8s %8s %8s %10s %8s %9s\n" "" "req/s" "p50 ms" \
		"p99 ms" "server µs" "wrk µs" "2 cores"
}

# measure: the three runs on the running server
measure() {
	header
	run_wrk "search API ($n_queries queries)" / "/api/v1/search?q="
	search_rps=$rps
	run_wrk "/soeg page (the same queries)" / "/soeg?q="
	run_wrk "static /static/style.css" /static/style.css
	awk -v a="$search_rps" -v s="$rps" \
		'BEGIN { printf "ratio search API/static file: %.2f\n", a / s }'
	# the same searches sent at a fixed rate (bench/search_wrk.lua's
	# paced mode): the latency at 20,000 searches a second, where the
	# runs above give it at saturation, when every connection waits in
	# the queue that 64 connections on two shared cores make (the static
	# file, a few µs of work, has the same p99 there)
	export HELHED_WRK_RATE=$paced_rate HELHED_WRK_THREADS=2
	run_wrk "search API at $paced_rate/s" / "/api/v1/search?q="
	run_wrk "/soeg page at $paced_rate/s" / "/soeg?q="
	unset HELHED_WRK_RATE HELHED_WRK_THREADS
}

echo
echo "== Search over HTTP: wrk -t2 -c64 -d${secs}s --latency, one server with" \
	"2 worker threads"
echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."

# the demo content with generated articles: 10,000 in all
corpus=$tmp/content-$articles
demo_articles=$(find content/articles -name '*.md' | wc -l)
"$build/bench/gen_corpus" content "$corpus" $((articles - demo_articles)) \
	>/dev/null
for f in content/*; do
	[ "$(basename "$f")" = articles ] || cp -r "$f" "$corpus/"
done
cp -r content/articles/. "$corpus/articles/"

echo
echo "-- $articles articles in the store (the demo's $demo_articles and" \
	"$((articles - demo_articles)) generated)"
serve "$tmp/big.db" "$corpus"
echo "first start (import into an empty database, then the index):" \
	"$(started) ms; index $(indexed)"
stop
serve "$tmp/big.db" "$corpus"
echo "start-up on the imported database: $(started) ms; index $(indexed)"
measure
stop

echo
echo "-- the demo content ($demo_articles articles)"
serve "$tmp/demo.db" content
measure
stop
cat <<'EOF'

server µs, wrk µs: CPU time (user + system) per request of the server
and of wrk over the run; 2 cores: 2 s / (server µs + wrk µs), the rate
the two cores would reach running only these two. Latencies and req/s
move with the machine's load (see the load average above).
EOF
