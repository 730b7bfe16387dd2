#!/bin/sh
# inbox.sh - the citizen's inbox benchmark (make bench-inbox): with
# 100,000 cases and 300,000 sent letters over 30,000 citizens in the store
# (bulk-created through the store by bench/inbox_bench.c), the p50/p99
# latency over HTTP of the inbox page, a letter page and their API, and of
# the caseworker's case page with its letters
# (target: p99 within 20 ms) beside the same server's /healthz, and the
# peer: the same list query alone through sqlite3 in process, on the same
# file in the same run.
# The files live on disk (TMPDIR, default /tmp), not tmpfs.
# Usage: bench/inbox.sh BUILD_DIR
# HELHED_BENCH_REQUESTS (default 500).
set -eu
build=${1:-build}
bin=$build/helhed
ib=$build/bench/inbox_bench
n_req=${HELHED_BENCH_REQUESTS:-500}
subject=demo:bench-00042
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-inbox-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
t_start=$(date +%s)

fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
echo "Inbox benchmark: SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')," \
	"files in $tmp ($fs), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."

db=$tmp/inbox.db
mkdir "$tmp/orgs"
cat >"$tmp/orgs/organisations.json" <<'JSON'
[{"code": "901", "name": "Nordskov Kommune", "kind": "municipality"},
 {"code": "902", "name": "Åstrup Kommune", "kind": "municipality"}]
JSON
"$bin" import "$tmp/orgs" --db "$db" >/dev/null
"$ib" seed "$db"
echo "database: $(du -h "$db" | cut -f1); signed in as $subject; server with --threads 2"

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
echo
echo "== over HTTP"
"$ib" http "$url" "$subject" "$n_req" || status=$?
kill -TERM "$pid"
wait "$pid" || true
pid=

echo
echo "== the peer, in process (ms)"
"$ib" peer "$db" "$subject" "$n_req"

echo
echo "whole benchmark: $(( $(date +%s) - t_start )) s"
exit $status
