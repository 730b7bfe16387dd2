#!/bin/sh
# figures-http.sh - the service figures over HTTP on a generated year
# (make bench-figures-http): p50 and p99 of every dashboard view, the
# benchmark, the API, the public service levels and a drill-down, N
# requests each from a real server signed in as 901's manager, and beside
# them the same figures computed by one SQL query each over the raw
# events and the search log in the same file, in the same run, with
# whether the values agree. The machine may be shared: the load average
# is printed before and after.
#
# Usage: bench/figures-http.sh BUILD_DIR DB [N]
#   DB: a database made by `helhed demo-year` (docs/demo-year.md), with
#   its key file beside it (DB.keys); N requests per view (default 30).
#   DB may be a PostgreSQL address (postgresql://...) holding such a year
#   copied by `helhed copy`: then HELHED_KEY_FILE names its key file, and
#   the views are timed without the raw SQL comparison below (it reads
#   the SQLite file with sqlite3).
# The server folds whatever the database has not folded yet before the
# first figure (timed on its own: "first read").
set -eu
build=${1:-build}
db=${2:?usage: bench/figures-http.sh BUILD_DIR DB [N]}
n=${3:-30}
bin=$build/helhed
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-fighttp-XXXXXX")
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

load() { cut -d' ' -f1-3 /proc/loadavg; }

pgopts=
backend="SQLite $(sqlite3 --version | cut -d' ' -f1)"
case $db in
postgres://* | postgresql://*)
	mkdir "$tmp/spool"
	pgopts="--key-file ${HELHED_KEY_FILE:?HELHED_KEY_FILE: the key file of the copied year} --spool $tmp/spool"
	backend="PostgreSQL $(psql "$db" -Atc 'SHOW server_version' | cut -d' ' -f1)"
	;;
esac

# port 0: the server picks a free one and says which in its log
# shellcheck disable=SC2086 # pgopts: words
"$bin" serve --db "$db" --listen 127.0.0.1:0 --quiet \
	--no-secure-cookies $pgopts > "$tmp/serve.log" 2>&1 &
pid=$!
base=
i=0
while [ -z "$base" ]; do
	i=$((i + 1))
	if [ $i -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then
		cat "$tmp/serve.log" >&2
		exit 1
	fi
	sleep 0.2
	base=$(sed -n 's|.*serving \(http://[0-9.:]*\)/.*|\1|p' "$tmp/serve.log")
done
code=$(curl -s -c "$tmp/cookies" -H 'Content-Type: application/json' \
	-d '{"email":"leder@nordskov.demo","password":"demo-leder"}' \
	-o /dev/null -w '%{http_code}' "$base/api/v1/session")
if [ "$code" != 200 ] && [ "$code" != 201 ]; then
	echo "figures-http.sh: signing in as 901's manager gave $code" >&2
	exit 1
fi

echo "figures over HTTP: $db, $n requests per view, $(nproc) cores," \
	"$backend"
echo "load average before: $(load)"
t=$(curl -s -b "$tmp/cookies" -o /dev/null -w '%{time_total}' "$base/api/v1/figures")
printf 'first read (folds what is not folded yet): %.1f ms\n' \
	"$(echo "$t * 1000" | bc -l)"

# p50 and p99 (nearest rank) of n requests to one URL
view() {
	label=$1
	url=$2
	code=$(curl -s -b "$tmp/cookies" -o /dev/null -w '%{http_code}' "$base$url")
	for _ in $(seq "$n"); do
		curl -s -b "$tmp/cookies" -o /dev/null -w '%{time_total}\n' "$base$url"
	done | sort -n | awk -v l="$label" -v u="$url" -v c="$code" '
		{ a[NR] = $1 }
		END {
			p50 = int((NR + 1) / 2); p99 = int(NR * 0.99); if (p99 < NR * 0.99) p99++
			printf "| %s | `%s` | %d | %.1f ms | %.1f ms |\n", l, u, c, a[p50] * 1000, a[p99] * 1000
		}'
}

echo
echo "| view (901) | URL | status | p50 | p99 |"
echo "| --- | --- | --- | --- | --- |"
view "dashboard, 30 days" "/ledelse"
view "dashboard, quarter" "/ledelse?periode=quarter"
view "dashboard, 12 months" "/ledelse?periode=12m"
view "dashboard, this year" "/ledelse?periode=year"
view "dashboard, 12 months, phone" "/ledelse?periode=12m&kanal=phone"
view "dashboard, 12 months, one case type" "/ledelse?periode=12m&sagstype=parkeringstilladelse"
view "dashboard, 30 days, phone" "/ledelse?kanal=phone"
view "dashboard, 30 days, one case type" "/ledelse?sagstype=parkeringstilladelse"
view "benchmark, 30 days" "/ledelse/benchmark"
view "benchmark, 12 months" "/ledelse/benchmark?periode=12m"
view "API, 12 months" "/api/v1/figures?period=12m"
view "API benchmark, 12 months" "/api/v1/figures/benchmark?period=12m"
view "public service levels (12 months)" "/serviceniveau/901"
view "drill-down, processing time, 12 months" "/ledelse/bag/proc_median?periode=12m"
view "/metrics" "/metrics"
view "/healthz" "/healthz"
echo "load average after the views: $(load)"
[ -z "$pgopts" ] || exit 0

# ---- the same figures by one SQL query each over the raw data --------------
api=$(curl -s -b "$tmp/cookies" "$base/api/v1/figures?period=12m")
from=$(echo "$api" | sed -n 's/.*"period":{"from":"\([0-9-]*\)".*/\1/p')
to=$(echo "$api" | sed -n 's/.*"period":{[^}]*"to":"\([0-9-]*\)".*/\1/p')
f=$(TZ=Europe/Copenhagen date -d "$from 00:00" +%s)
t=$(TZ=Europe/Copenhagen date -d "$to 00:00 + 1 day" +%s)
org=$(sqlite3 "$db" "SELECT id FROM organisations WHERE code = '901'")
ind() { # num and den of an indicator in the API's answer
	echo "$api" | sed -n "s/.*\"$1\":{\"value\":[^,]*,\"num\":\([0-9]*\),\"den\":\([0-9]*\).*/\1 \2/p"
}
raw() { # the SQL on stdin, timed; prints "ms|result"
	cat > "$tmp/q.sql"
	s=$(date +%s%N)
	r=$(sqlite3 -readonly -cmd ".parameter set :org $org" \
		-cmd ".parameter set :from $f" -cmd ".parameter set :to $t" \
		"$db" < "$tmp/q.sql")
	e=$(date +%s%N)
	echo "$(( (e - s) / 1000000 ))|$r"
}
api_ms=$(curl -s -b "$tmp/cookies" -o /dev/null -w '%{time_total}' "$base/api/v1/figures?period=12m")
api_ms=$(printf '%.1f' "$(echo "$api_ms * 1000" | bc -l)")
echo
echo "12 months ($from to $to) for 901 by one SQL query over the raw data," \
	"beside the whole /api/v1/figures?period=12m ($api_ms ms, every indicator):"

fcr=$(raw <<'EOF'
SELECT ifnull(sum(fo = 'resolved_first_contact'), 0) || ' ' || count(fo) FROM (
 SELECT (SELECT json_extract(x.after, '$.outcome') FROM events x
   WHERE x.entity = 'inquiry' AND x.entity_id = c.entity_id
   AND x.action IN ('create', 'outcome')
   AND json_extract(x.after, '$.outcome') <> 'open'
   ORDER BY x.id LIMIT 1) AS fo
 FROM events c WHERE c.entity = 'inquiry' AND c.action = 'create'
 AND c.organisation_id = :org AND c.at >= :from * 1000000
 AND c.at < :to * 1000000);
EOF
)
h=$(ind fcr)
echo "- first-contact resolution: SQL ${fcr#*|} in ${fcr%%|*} ms; helhed $h:" \
	"$([ "${fcr#*|}" = "$h" ] && echo equal || echo DIFFERENT)"

# processing time: each case's events in order; the first final state
# ends it, a decision unless withdrawn, cancelled or duplicate; the time
# in paused states before it is left out; median by nearest rank
med=$(raw <<'EOF'
WITH flags AS (
  SELECT ct.id AS ct_id, json_extract(s.value, '$.key') AS state,
         ifnull(json_extract(s.value, '$.final'), 0) AS final,
         ifnull(json_extract(s.value, '$.paused'), 0) AS paused
  FROM case_types ct, json_each(ct.definition, '$.states') s),
ev AS (
  SELECT e.entity_id AS id, e.id AS eid, e.at / 1000000 AS at, e.action,
         json_extract(e.after, '$.state') AS state
  FROM events e WHERE e.entity = 'case' AND e.organisation_id = :org
  AND json_extract(e.after, '$.state') IS NOT NULL),
typed AS (
  SELECT ev.*, f.final, f.paused FROM ev JOIN cases c ON c.id = ev.id
  JOIN flags f ON f.ct_id = c.case_type_id AND f.state = ev.state),
seq AS (
  SELECT *, lead(at) OVER (PARTITION BY id ORDER BY eid) AS next_at,
         min(CASE WHEN final THEN eid END) OVER (PARTITION BY id) AS close_eid,
         min(CASE WHEN action IN ('submit', 'followup') THEN at END)
           OVER (PARTITION BY id) AS sub_at
  FROM typed),
per AS (
  SELECT id, min(sub_at) AS sub_at,
         max(CASE WHEN eid = close_eid THEN at END) AS dec_at,
         max(CASE WHEN eid = close_eid THEN state END) AS dec_state,
         sum(CASE WHEN paused AND eid < close_eid THEN next_at - at ELSE 0 END)
           AS paused_s
  FROM seq WHERE close_eid IS NOT NULL GROUP BY id),
proc AS (
  SELECT max(0, dec_at - sub_at - paused_s) AS s FROM per
  WHERE dec_state NOT IN ('withdrawn', 'cancelled', 'duplicate')
  AND dec_at >= :from AND dec_at < :to)
SELECT printf('%.6f', s / 86400.0) || ' ' || (SELECT count(*) FROM proc)
FROM proc ORDER BY s LIMIT 1 OFFSET ((SELECT count(*) FROM proc) + 1) / 2 - 1;
EOF
)
hm=$(echo "$api" | sed -n 's/.*"proc_median":{"value":\([^,]*\),"num":[0-9]*,"den":\([0-9]*\).*/\1 \2/p')
hm=$(printf '%.6f %s' $hm)
echo "- median processing time (days, decisions): SQL ${med#*|} in" \
	"${med%%|*} ms; helhed $hm: $([ "${med#*|}" = "$hm" ] && echo equal || echo DIFFERENT)"

srch=$(raw <<'EOF'
SELECT ifnull(sum(chosen_article_id IS NOT NULL AND (s.visit IS NULL OR NOT EXISTS
  (SELECT 1 FROM chats c WHERE c.visit = s.visit AND c.created_at >= s.at
   AND c.created_at < s.at + 86400))), 0) || ' ' || count(*)
FROM search_log s WHERE municipality_id = :org AND at >= :from AND at < :to;
EOF
)
h=$(ind search_success)
echo "- search success (the search log): SQL ${srch#*|} in ${srch%%|*} ms;" \
	"helhed $h: $([ "${srch#*|}" = "$h" ] && echo equal || echo DIFFERENT)"
echo "load average at the end: $(load)"
