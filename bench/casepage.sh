#!/bin/sh
# casepage.sh - the caseworker's case page with 100,000 cases (make
# bench-casepage): p50/p99 of GET /sagsbehandling/sag/{id} and of the same
# case over the API, beside the page's main SQL query alone through SQLite
# on the same file (the peer), and every read the page makes without HTTP.
# Target: page p99 <= 20 ms. Cases are seeded through the store by
# cases_bench (bench/cases_bench.c: 100,000 cases, 5 per citizen, events).
# The files live on disk (TMPDIR, default /tmp). See bench/casepage_bench.c.
# Usage: bench/casepage.sh BUILD_DIR; HELHED_BENCH_REQUESTS (default 1000).
set -eu
build=${1:-build}
bin=$build/helhed
cb=$build/bench/cases_bench
pb=$build/bench/casepage_bench
n_req=${HELHED_BENCH_REQUESTS:-1000}
email=sagsbehandler@bench.test
password=bench-sagsbehandler
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-casepage-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "Case page benchmark: SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')," \
	"files in $tmp, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
db=$tmp/cases.db
mkdir "$tmp/orgs"
cat >"$tmp/orgs/organisations.json" <<'JSON'
[{"code": "901", "name": "Nordskov Kommune", "kind": "municipality"},
 {"code": "902", "name": "Åstrup Kommune", "kind": "municipality"}]
JSON
"$bin" import "$tmp/orgs" --db "$db" >/dev/null
HELHED_PASSWORD=$password "$bin" user add --db "$db" --email "$email" \
	--name "Bench Sagsbehandler" --organisation 901 --roles caseworker >/dev/null
"$cb" seed "$db" "$email"
# cases_bench seeds through the store without journal numbers: give them
# numbers as migration 0016 numbers the cases from before it (timed)
t0=$(date +%s%N)
sqlite3 "$db" <<'SQL'
UPDATE cases SET journal_no = n.journal_no
FROM (
  SELECT c.id AS id,
    ifnull(json_extract(t.definition, '$.kle'), '00.00.00') || '-' ||
    ifnull(json_extract(t.definition, '$.facet'), 'G01') || '-' ||
    row_number() OVER (PARTITION BY c.organisation_id,
      strftime('%Y', c.created_at + 3600, 'unixepoch') ORDER BY c.id) || '-' ||
    substr(strftime('%Y', c.created_at + 3600, 'unixepoch'), 3, 2) AS journal_no
  FROM cases c JOIN case_types t ON t.id = c.case_type_id
) AS n
WHERE n.id = cases.id;
SQL
echo "journal numbers for 100,000 cases as migration 0016 gives them:" \
	"$(( ($(date +%s%N) - t0) / 1000000 )) ms"

"$bin" serve --db "$db" --listen 127.0.0.1:0 --quiet --threads 2 \
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
echo "== over HTTP (server with --threads 2)"
"$pb" http "$url" "$email" "$password" "$n_req" || status=$?
kill -TERM "$pid"
wait "$pid" || true
pid=
echo
echo "== the peer: the same reads through SQLite alone"
"$pb" sql "$db" "$n_req"
exit $status
