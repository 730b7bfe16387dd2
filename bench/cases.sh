#!/bin/sh
# cases.sh - the case benchmark (make bench-cases), each figure beside its
# peer or target, measured in the same run:
#   1. durable submissions per second through hh_case_submit beside bare
#      SQLite inserts of the same rows (WAL, synchronous=FULL, one
#      transaction per submission; target: helhed within 2x);
#   2. p50/p99 latency of the caseworker's queue, one case, and the
#      citizen's overview over HTTP with 100,000 cases (target: p99 within
#      20 ms), then the query plans and in-process times behind them.
# The files live on disk (TMPDIR, default /tmp), not tmpfs: fsync must
# cost what it costs. See bench/cases_bench.c for what is measured how.
# Usage: bench/cases.sh BUILD_DIR
# HELHED_BENCH_SUBMISSIONS (default 2000), HELHED_BENCH_REQUESTS (500);
# HELHED_BENCH_DROP_INDEXES="cases_open_queue cases_assigned cases_state"
# measures the seeded database without those indexes (the "before" of
# migration 0004).
set -eu
build=${1:-build}
bin=$build/helhed
cb=$build/bench/cases_bench
n_submit=${HELHED_BENCH_SUBMISSIONS:-2000}
n_req=${HELHED_BENCH_REQUESTS:-500}
email=sagsbehandler@bench.test
password=bench-sagsbehandler
subject=demo:bench-00042
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-cases-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
t_start=$(date +%s)

fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
echo "Case benchmark: SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')," \
	"files in $tmp ($fs), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
case $fs in tmpfs*) echo "WARNING: $tmp is on tmpfs; fsync costs nothing there." ;; esac

echo
echo "== 1. durable submissions: form -> case + event (+ idempotency key)"
"$cb" submit "$tmp" "$n_submit"

echo
echo "== 2. the caseworker's queue and the citizen's overview with 100,000 cases"
db=$tmp/cases.db
mkdir "$tmp/orgs"
cat >"$tmp/orgs/organisations.json" <<'EOF'
[{"code": "901", "name": "Nordskov Kommune", "kind": "municipality"},
 {"code": "902", "name": "Åstrup Kommune", "kind": "municipality"}]
EOF
"$bin" import "$tmp/orgs" --db "$db" >/dev/null
HELHED_PASSWORD=$password "$bin" user add --db "$db" --email "$email" \
	--name "Bench Sagsbehandler" --organisation 901 --roles caseworker >/dev/null
"$cb" seed "$db" "$email"
echo "signed in as $email (caseworker at 901) and as $subject; server with --threads 2"

"$bin" serve --db "$db" --listen 127.0.0.1:0 --quiet --threads 2 --demo \
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
status=0
"$cb" http "$url" "$email" "$password" "$subject" "$n_req" || status=$?
kill -TERM "$pid"
wait "$pid" || true
pid=

echo
echo "== why: the store's case list queries (EXPLAIN QUERY PLAN)"
"$cb" explain "$db" "$email"

echo
echo "whole benchmark: $(( $(date +%s) - t_start )) s"
exit $status
