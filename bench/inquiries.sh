#!/bin/sh
# inquiries.sh - the inquiry benchmark (make bench-inquiries), each figure
# beside its peer or target, measured in the same run:
#   1. inquiries logged per second, durable, through hh_inquiry_create
#      beside bare SQLite inserts of the same rows (WAL, synchronous=FULL,
#      one transaction per inquiry; target: helhed within 2x);
#   2. p50/p99 latency of the agent's lists over HTTP with 500,000
#      inquiries in the store: the queue, a citizen's history, the
#      callbacks due (target: p99 within 20 ms), beside the same server's
#      /healthz; then the query plans and in-process times behind them.
# The files live on disk (TMPDIR, default /tmp), not tmpfs: fsync must
# cost what it costs. See bench/inquiries_bench.c for what is measured how.
# Usage: bench/inquiries.sh BUILD_DIR [PATH ...]
#   each PATH (e.g. /borgerservice?borger=42) is measured too, as the
#   signed-in agent; the desk page /borgerservice is measured when the
#   server has it.
# HELHED_BENCH_INQUIRIES (default 2000), HELHED_BENCH_REQUESTS (500);
# HELHED_BENCH_DROP_INDEXES="inquiries_callbacks" measures the seeded
# database without that index (the "before" of migration 0014).
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
bin=$build/helhed
ib=$build/bench/inquiries_bench
n_log=${HELHED_BENCH_INQUIRIES:-2000}
n_req=${HELHED_BENCH_REQUESTS:-500}
email=borgerservice@bench.test
password=bench-borgerservice
subject=demo:bench-00042
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-inquiries-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
t_start=$(date +%s)

fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
echo "Inquiry benchmark: SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')," \
	"files in $tmp ($fs), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
case $fs in tmpfs*) echo "WARNING: $tmp is on tmpfs; fsync costs nothing there." ;; esac

echo
echo "== 1. inquiries logged, durable: row + event (+ idempotency key)"
"$ib" log "$tmp" "$n_log"

echo
echo "== 2. the agent's lists with 500,000 inquiries"
db=$tmp/inquiries.db
mkdir "$tmp/orgs"
cat >"$tmp/orgs/organisations.json" <<'JSON'
[{"code": "901", "name": "Nordskov Kommune", "kind": "municipality"},
 {"code": "902", "name": "Åstrup Kommune", "kind": "municipality"}]
JSON
"$bin" import "$tmp/orgs" --db "$db" >/dev/null
HELHED_PASSWORD=$password "$bin" user add --db "$db" --email "$email" \
	--name "Bench Borgerservice" --organisation 901 --roles agent >/dev/null
"$ib" seed "$db" "$email"
echo "signed in as $email (agent at 901) and as $subject; server with --threads 2"

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
"$ib" http "$url" "$email" "$password" "$subject" "$n_req" "$@" || status=$?
kill -TERM "$pid"
wait "$pid" || true
pid=

echo
echo "== why: the store's inquiry list queries (EXPLAIN QUERY PLAN)"
"$ib" explain "$db"

echo
echo "whole benchmark: $(( $(date +%s) - t_start )) s"
exit $status
