#!/bin/sh
# backup.sh - the backup benchmark (make bench-backup), issue 17:
#   1. `helhed backup` of a store with 100,000 cases and 10,000 articles:
#      its time (the copy and the integrity_check) and the file's size,
#      beside the sqlite3 shell's .backup of the same file (the backup API
#      in one step, no check) and a plain cp + fsync (the floor; a file
#      copy of a live store is not a backup);
#   2. one reader's latency (p50/p99, one keep-alive connection, request
#      after request: GET /healthz and GET /api/v1/articles/SLUG) against
#      `helhed serve --threads 2` on that store, while quiet and while
#      `helhed backup` copies it (three backups in a row, the reader
#      running until they end), printed one beside the other; quiet both
#      before and after, since other work on the machine moves the figures.
# The files live on disk (TMPDIR, default /tmp), not tmpfs.
# Usage: bench/backup.sh BUILD_DIR   (HELHED_BENCH_SECONDS: the quiet
# reader's time, default 10)
set -eu
build=${1:-build}
bin=$build/helhed
bb=$build/bench/backup_bench
secs=${HELHED_BENCH_SECONDS:-10}
email=sagsbehandler@bench.test
password=bench-sagsbehandler
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-backup-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
echo "Backup benchmark: SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')," \
	"files in $tmp ($fs), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
case $fs in tmpfs*) echo "WARNING: $tmp is on tmpfs; fsync costs nothing there." ;; esac

# the store: 10,000 generated articles, 100,000 cases (bench/cases_bench.c)
db=$tmp/store.db
"$build/bench/gen_corpus" content "$tmp/corpus" 10000 >/dev/null
"$bin" import "$tmp/corpus" --db "$db" >/dev/null
HELHED_PASSWORD=$password "$bin" user add --db "$db" --email "$email" \
	--name "Bench Sagsbehandler" --organisation 901 --roles caseworker >/dev/null
"$build/bench/cases_bench" seed "$db" "$email" >/dev/null
counts=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM articles) || ' articles, ' ||
	(SELECT count(*) FROM cases) || ' cases, ' ||
	(SELECT count(*) FROM events) || ' events'")
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
echo "store: $counts; $(mb "$db")"

echo
echo "== 1. one backup, no server running"
t=$(now)
"$bin" backup "$tmp/helhed.bak" --db "$db" | sed 's/^/helhed backup: /'
echo "helhed backup: $(since "$t") s in all (process start to renamed, fsynced file)"
t=$(now)
sqlite3 "$db" ".backup '$tmp/peer.bak'"
echo "sqlite3 .backup (peer): $(since "$t") s, $(mb "$tmp/peer.bak")"
t=$(now)
cp "$db" "$tmp/cp.bak" && sync "$tmp/cp.bak"
echo "cp + fsync (floor):     $(since "$t") s, $(mb "$tmp/cp.bak")"
rm -f "$tmp/peer.bak" "$tmp/cp.bak"

echo
echo "== 2. a reader's latency while the server is quiet and during backups"
"$bin" serve --db "$db" --listen 127.0.0.1:0 --quiet --threads 2 \
	--content "$tmp/corpus" >"$tmp/out" 2>"$tmp/err" &
pid=$!
i=0
while ! grep -q 'serving http' "$tmp/out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 1200 ] || { cat "$tmp/err"; exit 1; }
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/err"; exit 1; }
	sleep 0.1
done
url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$tmp/out" | head -1)
slug=$(sqlite3 "$db" "SELECT slug FROM articles WHERE organisation_id IS NULL
	AND status = 'published' ORDER BY id LIMIT 1 OFFSET 5000")
urls="$url/healthz $url/api/v1/articles/$slug"
# shellcheck disable=SC2086
"$bb" probe "warm-up" 2 $urls >/dev/null
# shellcheck disable=SC2086
"$bb" probe "quiet, before" "$secs" $urls
rm -f "$tmp/stop"
# shellcheck disable=SC2086
"$bb" probe "during 3 backups" "$tmp/stop" $urls >"$tmp/during" &
probe=$!
sleep 0.2
t=$(now)
for k in 1 2 3; do
	"$bin" backup "$tmp/live$k.bak" --db "$db" >"$tmp/backup$k.out"
done
took=$(since "$t")
touch "$tmp/stop"
wait "$probe" || true
cat "$tmp/during"
# shellcheck disable=SC2086
"$bb" probe "quiet, after" "$secs" $urls
echo "(3 backups in $took s while the reader ran; each:"
for k in 1 2 3; do
	echo "  $(cut -d: -f2- "$tmp/backup$k.out" | head -1)"
done
echo ")"
kill -TERM "$pid"
wait "$pid" || true
pid=
cat <<'EOF'

The backup holds one read transaction for the whole copy (the snapshot):
in WAL mode it blocks no writer, and its steps never restart. Most of a
backup's time is the integrity_check of the copy, which reads the copy,
not the store. The reader is one client, one request at a time; the
server has 2 worker threads on the same 2 cores as the backup.
EOF
