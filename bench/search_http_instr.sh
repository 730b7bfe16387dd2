#!/bin/sh
# search_http_instr.sh - instructions per search request over HTTP, and
# the same bytes from two builds (s-http, issue 13 point 6).
#
# Makes the store of bench/search_http.sh (the demo content and generated
# articles, 10,000 in all), then for each helhed binary given:
#   - serves a fresh copy of the store and fetches, one request at a time,
#     every query of bench/queries.txt from GET /api/v1/search, /soeg,
#     /api/v1/search with limit=20&offset=5 and with
#     kind=guide,service&audience=citizen, and /api/v1/suggest, into one
#     file (the search ids are the same on a fresh copy);
#   - serves it under valgrind's callgrind, sends one uncounted pass of
#     the API queries (the threads' scratch, the first block of ids), then
#     zeroes the counts and sends PASSES passes on one keep-alive
#     connection, and prints the instructions per request (all threads:
#     libmicrohttpd, the handler, the search log's flusher), and the part
#     that is libmicrohttpd's memset of its connection pool (32 kB zeroed
#     a request, counted a byte an instruction by callgrind's rep stosb);
#     then the same for /soeg.
# With two binaries the fetched files must be identical (cmp).
#
# Usage: bench/search_http_instr.sh BIN [BIN2]   (from the repository root,
# with build/bench/gen_corpus built)
# HELHED_BENCH_PASSES (default 3) sets the counted passes.
# The machine may be busy: instruction counts do not move with its load.
set -eu
passes=${HELHED_BENCH_PASSES:-3}
queries=bench/queries.txt
tmp=$(mktemp -d /tmp/helhed-bench-instr-XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
command -v valgrind >/dev/null || { echo "valgrind is missing" >&2; exit 1; }

# the store: as bench/search_http.sh makes it
corpus=$tmp/content
demo_articles=$(find content/articles -name '*.md' | wc -l)
build/bench/gen_corpus content "$corpus" $((10000 - demo_articles)) >/dev/null
for f in content/*; do
	[ "$(basename "$f")" = articles ] || cp -r "$f" "$corpus/"
done
cp -r content/articles/. "$corpus/articles/"

# serve DIR [WRAPPER...]: a fresh copy of the store in DIR (sets pid, url)
serve() {
	dir=$1
	shift
	mkdir -p "$dir"
	cp "$tmp/store/big.db" "$tmp/store/big.db.keys" "$dir/"
	cp -r "$tmp/store/big.db.spool" "$dir/"
	"$@" serve --db "$dir/big.db" --content "$corpus" --listen 127.0.0.1:0 \
		--quiet --threads 2 >"$dir/out" 2>"$dir/err" &
	pid=$!
	while ! grep -q 'serving http' "$dir/out" 2>/dev/null; do
		kill -0 "$pid" 2>/dev/null || { cat "$dir/err"; exit 1; }
		sleep 0.2
	done
	url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$dir/out" | head -1)
}

stop() {
	kill "$pid"
	wait "$pid" || true
	pid=
}

# the import, once
mkdir -p "$tmp/store"
"$1" serve --db "$tmp/store/big.db" --content "$corpus" --listen 127.0.0.1:0 \
	--quiet --threads 2 >"$tmp/store/out" 2>"$tmp/store/err" &
pid=$!
while ! grep -q 'serving http' "$tmp/store/out" 2>/dev/null; do
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/store/err"; exit 1; }
	sleep 0.2
done
stop

# paths PREFIX: the queries URL-encoded after PREFIX, one a line (as
# bench/search_wrk.lua encodes them)
paths() {
	grep -v '^#' "$queries" | grep -v '^$' | while IFS= read -r q; do
		printf '%s' "$1"
		printf '%s' "$q" | od -An -tx1 -v | awk '
		BEGIN { hex = "0123456789abcdef" }
		{
			for (i = 1; i <= NF; i++) {
				hi = index(hex, substr($i, 1, 1)) - 1
				c = hi * 16 + index(hex, substr($i, 2, 1)) - 1
				if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) ||
				    (c >= 97 && c <= 122) || c == 45 || c == 46 ||
				    c == 95 || c == 126)
					printf "%c", c
				else
					printf "%%%s", toupper($i)
			}
		}'
		echo
	done
}
paths "/api/v1/search?q=" >"$tmp/api.txt"
paths "/soeg?q=" >"$tmp/soeg.txt"

# curl_cfg PATHS: a curl config fetching every path from $url, bodies to
# stdout with a line before each
curl_cfg() {
	while IFS= read -r p; do
		printf 'url = "%s%s"\nwrite-out = "\\n"\n' "$url" "$p"
	done <"$1"
}

# fetch BIN OUT: every answer, in order
fetch() {
	serve "$tmp/fetch" "$1"
	: >"$2"
	for list in api soeg; do
		curl_cfg "$tmp/$list.txt" >"$tmp/cfg"
		curl -sS -K "$tmp/cfg" >>"$2"
	done
	sed 's/$/\&limit=20\&offset=5/' "$tmp/api.txt" >"$tmp/v1.txt"
	sed 's/$/\&kind=guide,service\&audience=citizen/' "$tmp/api.txt" \
		>"$tmp/v2.txt"
	sed 's|^/api/v1/search|/api/v1/suggest|' "$tmp/api.txt" >"$tmp/v3.txt"
	for list in v1 v2 v3; do
		curl_cfg "$tmp/$list.txt" >"$tmp/cfg"
		curl -sS -K "$tmp/cfg" >>"$2"
	done
	stop
	rm -rf "$tmp/fetch"
}

# instr BIN LIST: instructions per request of PASSES passes over LIST
instr() {
	rm -f "$tmp"/cg.*
	serve "$tmp/cg" valgrind --tool=callgrind --instr-atstart=no \
		--callgrind-out-file="$tmp/cg.%p" "$1"
	: >"$tmp/cfg"
	while IFS= read -r p; do
		printf 'url = "%s%s"\noutput = /dev/null\n' "$url" "$p" >>"$tmp/cfg"
	done <"$tmp/$2.txt"
	callgrind_control -i on "$pid" >/dev/null 2>&1
	curl -sS -K "$tmp/cfg"
	callgrind_control -z "$pid" >/dev/null 2>&1
	i=0
	while [ $i -lt "$passes" ]; do
		curl -sS -K "$tmp/cfg"
		i=$((i + 1))
	done
	callgrind_control -d "$pid" >/dev/null 2>&1
	stop
	rm -rf "$tmp/cg"
	n=$(($(wc -l <"$tmp/$2.txt") * passes))
	f=$(ls "$tmp"/cg.*.1)
	callgrind_annotate --inclusive=yes "$f" 2>/dev/null | awk -v n="$n" \
		-v what="$2" '
	function num(s) { gsub(",", "", s); return s + 0 }
	/PROGRAM TOTALS/ { total = num($1) }
	/memset-vec-unaligned-erms.S:__memset/ && !/=>/ { memset = num($1) }
	END {
		printf "%-6s %8.1f k instructions a request (%d requests); " \
			"%.1f k without memset (nearly all libmicrohttpd'"'"'s " \
			"pool)\n", what,
			total / n / 1000, n, (total - memset) / n / 1000
	}'
}

nbin=0
for bin in "$@"; do
	nbin=$((nbin + 1))
	echo "== $bin"
	fetch "$bin" "$tmp/answers.$nbin"
	echo "answers: $(grep -c '' "$tmp/answers.$nbin") lines," \
		"$(wc -c <"$tmp/answers.$nbin") bytes"
	instr "$bin" api
	instr "$bin" soeg
done
if [ $nbin -eq 2 ]; then
	if cmp "$tmp/answers.1" "$tmp/answers.2"; then
		echo "the answers of both builds are the same bytes"
	else
		echo "the answers differ" >&2
		exit 1
	fi
fi
