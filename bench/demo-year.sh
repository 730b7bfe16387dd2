#!/bin/sh
# demo-year.sh - the generator of a year (make bench-demo-year): how long
# `helhed demo-year` takes, its events per second, its peak memory and the
# database it leaves, beside the floor: bare SQLite inserting the same
# number of rows of the same width into an events table alone, with the
# same settings (WAL, synchronous=OFF), in one statement.
# The files live on disk (TMPDIR, default /tmp), not tmpfs.
# Usage: bench/demo-year.sh BUILD_DIR [SCALE [SEED]]   (default 1.0 and 1)
set -eu
build=${1:-build}
scale=${2:-1.0}
seed=${3:-1}
bin=$build/helhed
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-year-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
echo "demo-year benchmark: scale $scale, seed $seed, $(nproc) cores," \
	"SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?'), $fs"

db=$tmp/year.db
t0=$(date +%s%N)
/usr/bin/time -v -o "$tmp/time" "$bin" demo-year --db "$db" --seed "$seed" \
	--scale "$scale" > "$tmp/out" 2> "$tmp/err" || {
	cat "$tmp/err" >&2
	exit 1
}
t1=$(date +%s%N)
grep -E '^(made|inquiries|cases|searches|events):' "$tmp/out"
secs=$(echo "($t1 - $t0) / 1000000000" | bc -l)
printf 'whole command (content import included): %.1f s, peak RSS %s MB\n' \
	"$secs" "$(awk -F: '/Maximum resident/ { printf "%d", $2 / 1024 }' "$tmp/time")"
ls -l "$db" | awk '{ printf "database: %s bytes (ls -l)", $5 }'
du -h "$db" | awk '{ printf ", %s on disk (du)\n", $1 }'
sqlite3 "$db" "SELECT 'rows: ' || (SELECT count(*) FROM events) || ' events, ' ||
	(SELECT count(*) FROM inquiries) || ' inquiries, ' ||
	(SELECT count(*) FROM cases) || ' cases, ' ||
	(SELECT count(*) FROM chat_messages) || ' chat messages, ' ||
	(SELECT count(*) FROM search_log) || ' searches, ' ||
	(SELECT count(*) FROM letters) || ' letters'"
sqlite3 "$db" "SELECT name, printf('%.1f MB', sum(pgsize) / 1048576.0) FROM dbstat
	GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 6" 2>/dev/null |
	tr '|' ' ' | sed 's/^/  /'

# the floor: the same number of event rows, as wide, written by SQLite
# alone in one statement
n=$(sqlite3 "$db" "SELECT count(*) FROM events")
w=$(sqlite3 "$db" "SELECT CAST(avg(length(actor) + length(entity) +
	length(action) + ifnull(length(before), 0) + ifnull(length(after), 0))
	AS INTEGER) FROM events")
peer=$tmp/peer.db
p0=$(date +%s%N)
sqlite3 "$peer" "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;
CREATE TABLE events (id INTEGER PRIMARY KEY, at INTEGER NOT NULL,
	actor TEXT NOT NULL, organisation_id INTEGER, entity TEXT NOT NULL,
	entity_id INTEGER NOT NULL, action TEXT NOT NULL, before TEXT, after TEXT);
CREATE INDEX events_entity ON events(entity, entity_id, id);
WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < $n)
INSERT INTO events (at, actor, organisation_id, entity, entity_id, action, after)
	SELECT 1740783600000000 + x * 1000000, 'user:' || (x % 97), x % 12,
	'inquiry', x / 3, 'create', printf('%.*c', $w, 'x') FROM i;" > /dev/null
p1=$(date +%s%N)
psecs=$(echo "($p1 - $p0) / 1000000000" | bc -l)
printf 'floor: bare SQLite, %s event rows of %s bytes in one statement: %.1f s (%.0f rows/s), %s\n' \
	"$n" "$w" "$psecs" "$(echo "$n / $psecs" | bc -l)" \
	"$(du -h "$peer" | cut -f1)"
