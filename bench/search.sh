#!/bin/sh
# search.sh - the search benchmark (make bench-search): helhed's search index
# beside SQLite FTS5 and Xapian, measured in the same run on the same
# generated corpora with the same query set (bench/queries.txt):
#   for 1,000, 10,000 and 100,000 articles of two corpora (s-speed: "demo",
#   the demo articles repeated, and "growing", whose vocabulary grows with
#   the corpus as real text's does; bench/gen_corpus.c): index build time,
#   index memory, and query latency p50/p99 (top 10, one query at a time,
#   after a warm-up), each engine in its own process (search_bench,
#   xapian_bench);
#   then wrk on GET /api/v1/search?q=... cycling through the query set,
#   with 10,000 articles in the store and with the demo content, beside
#   wrk on a static file served by the same server (the ceiling):
#   bench/search_http.sh (s-http).
# Usage: bench/search.sh BUILD_DIR
# HELHED_BENCH_SIZES="1000 10000" picks other corpus sizes (default
# 1000 10000 100000); HELHED_BENCH_CORPORA="demo" or "growing" one corpus
# kind (default both); HELHED_DICT another word list.
set -eu
build=${1:-build}
bin=$build/helhed
queries=bench/queries.txt
dict=${HELHED_DICT:-/usr/share/dict/danish}
sizes=${HELHED_BENCH_SIZES:-1000 10000 100000}
kinds=${HELHED_BENCH_CORPORA:-demo growing}
tmp=$(mktemp -d /tmp/helhed-bench-search-XXXXXX)
# Xapian's database goes on tmpfs when there is one, so it lives in memory
# like the other two indexes.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	xtmp=$(mktemp -d /dev/shm/helhed-bench-xapian-XXXXXX)
else
	xtmp=$tmp
fi
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp" "$xtmp"
}
trap cleanup EXIT
# a signal (^C, or a closed pipe from '| head') ends the script through
# the EXIT trap, so nothing is left behind
trap 'exit 1' INT TERM HUP PIPE

echo "Search benchmark: $(grep -cv '^#' "$queries") queries from $queries, top 10," \
	"one at a time on one thread after a warm-up pass."
echo "Times are the thread's CPU time (load on the other core does not count)."
echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."

# table FILE KIND: the figures of one corpus side by side, then the ratios
table() {
	awk -F '\t' -v kind="$2" '
	function name(e) {
		if (e == "fts5-suggest") return "FTS5 \"w\"*"
		return e == "fts5" ? "SQLite FTS5" : e == "xapian" ? "Xapian (glass)" : e
	}
	function thousands(x,   s) {
		s = sprintf("%d", x)
		while (s ~ /[0-9][0-9][0-9][0-9]/)
			sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
		return s
	}
	function mb(b) { return b == "-" ? "-" : sprintf("%.1f", b / 1048576) }
	function ratio(a, b) {
		return (a == "-" || b == "-" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b)
	}
	$1 == "RESULT" {
		e = $2; order[++n] = e; docs = $3
		build[e] = $4; idx[e] = $5; rss[e] = $6
		p50[e] = $7; p99[e] = $8; hits[e] = $9
	}
	$1 == "NOTE" { notes[++m] = $2 }
	$1 == "NOTE" && $2 ~ /^helhed: [0-9]+ terms/ { split($2, tw, " "); terms = tw[2] }
	END {
		what = "the demo articles repeated"
		if (kind == "growing")
			what = "a vocabulary that grows with the corpus"
		printf "\n== %s articles, corpus \"%s\" (%s), %s terms in helhed\n",
			thousands(docs), kind, what, thousands(terms)
		printf "%-17s %8s %11s %9s %8s %9s %9s %6s\n", "engine", "build s",
			"articles/s", "index MB", "RSS +MB", "p50 µs", "p99 µs", "hits"
		for (i = 1; i <= n; i++) {
			e = order[i]
			aps = build[e] == "-" ? "-" : sprintf("%.0f", docs / build[e])
			printf "%-17s %8s %11s %9s %8s %9.1f %9.1f %5d%%\n", name(e),
				build[e] == "-" ? "-" : sprintf("%.2f", build[e]), aps,
				mb(idx[e]), mb(rss[e]), p50[e], p99[e], hits[e]
		}
		printf "ratios helhed/peer (above 1: helhed slower or larger)\n"
		printf "%-33s %8s %9s %8s %7s %7s\n", "", "build", "index MB",
			"RSS MB", "p50", "p99"
		split("helhed helhed+snippets helhed-suggest", ours, " ")
		split("fts5 xapian fts5-suggest", peers, " ")
		for (i = 1; i <= 3; i++) for (j = 1; j <= 3; j++) {
			h = ours[i]; p = peers[j]
			if (!(h in p50) || !(p in p50))
				continue
			if ((h ~ /suggest/) != (p ~ /suggest/))
				continue
			printf "%-33s %8s %9s %8s %7s %7s\n", h " / " name(p),
				ratio(build[h], build[p]), ratio(idx[h], idx[p]),
				ratio(rss[h], rss[p]), ratio(p50[h], p50[p]),
				ratio(p99[h], p99[p])
		}
		for (i = 1; i <= m; i++)
			print "  " notes[i]
	}' "$1"
}

# s-speed: each size in both corpus kinds, the three engines on the same
# corpus in the same run
for n in $sizes; do
	for kind in $kinds; do
		corpus=$tmp/corpus-$kind-$n
		if [ "$kind" = growing ]; then
			"$build/bench/gen_corpus" content "$corpus" "$n" "$dict" >/dev/null
		else
			"$build/bench/gen_corpus" content "$corpus" "$n" >/dev/null
		fi
		res=$tmp/results-$kind-$n
		"$build/bench/search_bench" helhed "$corpus" "$queries" "$dict" \
			content/synonyms.txt >"$res"
		"$build/bench/search_bench" fts5 "$corpus" "$queries" >>"$res"
		"$build/bench/xapian_bench" "$corpus" "$queries" "$xtmp/db-$n" >>"$res"
		rm -rf "$corpus" "$xtmp/db-$n"
		table "$res" "$kind"
	done
done
cat <<'EOF'

index MB: helhed: hh_index_stats() bytes (postings, positions, terms, and
the stored title, summary and plain text for snippets); SQLite FTS5: page
count x page size of the in-memory database (index and stored columns);
Xapian: the glass database files after the commit (on tmpfs; document data
is slug and title only). RSS +MB: growth of the process's resident memory
during the build. hits: queries with at least one result; the peers have
no typo tolerance, ASCII spellings (aa, ae, oe), stop words or synonyms.
helhed-suggest: search-as-you-type (hh_index_suggest: completions of the
last word and the top 8 titles) on every third prefix of each query, as
typed; beside it FTS5 with the same OR query and the last word as a prefix
("w"*), top 8.
Corpus "demo" repeats the demo's shared articles (gen_corpus), so the
vocabulary stays at about 3,500 terms and every posting list grows with the
corpus: a query at 100,000 articles scores far more postings than it would
on as many real articles. Corpus "growing" replaces one body word in six
(and adds one to each title) with words of the word list drawn so that the
distinct words grow as 25 * draws^0.55 (Heaps' law) with Zipf-like
frequencies; the demo text stays, so the queries still find their articles.
EOF

# ---- the HTTP API under load (s-http) -------------------------------------
# 10,000 articles in the store and the demo content: bench/search_http.sh
"$(dirname "$0")/search_http.sh" "$build"
