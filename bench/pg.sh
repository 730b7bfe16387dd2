#!/bin/sh
# pg.sh - the PostgreSQL measurements of issue 14 (make bench-pg), each
# beside its peer in the same run, PostgreSQL and SQLite alternately:
#   1. durable form submissions per second: a demo citizen posts the
#      bulky-waste form (POST /api/v1/cases, Idempotency-Key) to 1, 2 and
#      3 helhed instances on one PostgreSQL (synchronous_commit on, fsync
#      on), beside bare libpq inserting the same rows (case + event, one
#      transaction each, as many connections as clients) and beside one
#      instance on SQLite (WAL, synchronous=FULL);
#   2. with 100,000 cases (bench/cases_bench seed into SQLite, then
#      `helhed copy` into PostgreSQL, timed): the caseworker's queue and
#      the other case reads (bench/cases_bench http) and the search API
#      (bench/pg_bench search), p50/p99, on SQLite and on PostgreSQL.
# Throwaway PostgreSQL 15 from tests/pg/cluster.sh (loopback, fsync on,
# shared_buffers 32MB); files under TMPDIR (default /tmp), on disk.
# Usage: bench/pg.sh BUILD_DIR
# HELHED_BENCH_SECONDS (10) per submission run, HELHED_BENCH_CLIENTS (8),
# HELHED_BENCH_ROUNDS (2), HELHED_BENCH_REQUESTS (500) per latency target,
# HELHED_BENCH_PARTS ("1 2"; HELHED_BENCH_PG_PARTS is the same): which of
# the two parts to run ("1" measures the submissions alone, pg-serial; "2"
# the reads alone, pg-caselist; a few minutes each instead of many).
set -eu
build=${1:-build}
bin=$build/helhed
pb=$build/bench/pg_bench
cb=$build/bench/cases_bench
secs=${HELHED_BENCH_SECONDS:-10}
clients=${HELHED_BENCH_CLIENTS:-8}
rounds=${HELHED_BENCH_ROUNDS:-2}
n_req=${HELHED_BENCH_REQUESTS:-500}
parts=${HELHED_BENCH_PARTS:-${HELHED_BENCH_PG_PARTS:-1 2}}
has_part() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }
email=sagsbehandler@bench.test
password=bench-sagsbehandler
subject=demo:bench-00042
case_type=storskrald-afhentning
values='{"adresse":"Skovbrynet 14, 4100 Nordskov","genstande":"sofa og to stole","antal":3,"hvidevarer":"nej","placering":"skel"}'
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-pg-XXXXXX")
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
	tests/pg/cluster.sh stop "$tmp/pg" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
t_start=$(date +%s)

fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
echo "PostgreSQL benchmark: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
	"files in $tmp ($fs)."
echo "The machine may be shared: client, servers and PostgreSQL all run on"
echo "these cores, so figures are for comparison within this run only."
case $fs in tmpfs*) echo "WARNING: $tmp is on tmpfs; fsync costs nothing there." ;; esac

pgurl=$(tests/pg/cluster.sh start "$tmp/pg")
db_url() { echo "$pgurl" | sed "s|/postgres\$|/$1|"; }
psql_admin() { psql -qAt "$pgurl" -c "$1"; }
echo "PostgreSQL $(psql_admin 'SHOW server_version'): fsync $(psql_admin 'SHOW fsync')," \
	"synchronous_commit $(psql_admin 'SHOW synchronous_commit')"

# serve DB SPOOL EXTRA...: starts an instance in the background; its
# address in $url, its pid added to $pids
serve() {
	db=$1; spool=$2; shift 2
	out=$tmp/serve.$$.$(date +%s%N)
	"$bin" serve --db "$db" --listen 127.0.0.1:0 --quiet --threads 2 --demo \
		--write-limits 0/0/0 --max-conn-per-client 0 --spool "$spool" "$@" \
		>"$out" 2>"$out.err" &
	p=$!
	pids="$pids $p"
	i=0
	while ! grep -q 'serving http' "$out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { cat "$out.err" >&2; exit 1; }
		kill -0 "$p" 2>/dev/null || { cat "$out.err" >&2; exit 1; }
		sleep 0.1
	done
	url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$out" | head -1)
}
stop_all() {
	for p in $pids; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
	pids=
}

results=$tmp/results
: >"$results"
note() { printf '%s\n' "$*" | tee -a "$results"; }
# pg-serial: log_lines, then ser_failures N: the serialization failures
# PostgreSQL logged after line N of its log, by what their statement wrote
log_lines() { wc -l <"$tmp/pg/server.log"; }
ser_failures() {
	tail -n +"$(($1 + 1))" "$tmp/pg/server.log" | awk '
		/could not serialize access/ { n++; want = 1
			if ($0 ~ /concurrent update/) row++; else rw++
			next }
		want && /STATEMENT:/ { want = 0
			if ($0 ~ /journal_serials/) j++
			else if ($0 ~ /INTO citizens/) c++
			st = $0; sub(/.*STATEMENT: +/, "", st)
			if (st ~ /^SELECT/) { # the last table: the outer query
				rest = st; st = "SELECT"
				while (match(rest, /FROM [a-z_]+[ (]?/)) {
					f = substr(rest, RSTART, RLENGTH)
					rest = substr(rest, RSTART + RLENGTH)
					if (f !~ /\($/) { sub(/ $/, "", f); st = "SELECT " f }
				}
			} else { split(st, w, /[ (]+/); st = w[1] " " w[2] " " w[3]; sub(/ +$/, "", st) }
			by[st]++ }
		END { printf "    serialization failures: %d: a row updated concurrently %d, read/write dependencies %d; on journal_serials %d, on citizens %d\n", n, row, rw, j, c
			line = ""
			for (k in by) line = line sprintf("%s%s %d", line == "" ? "" : ", ", k, by[k])
			if (line != "") printf "    by statement: %s\n", line }'
}

if has_part 1; then
echo
echo "== 1. durable submissions: $clients clients, $secs s a run, $rounds rounds"
sub=$tmp/sub.db
"$bin" import content --db "$sub" --users >/dev/null 2>"$tmp/import.err" ||
	{ cat "$tmp/import.err" >&2; exit 1; }
psql_admin "CREATE DATABASE sub"
"$bin" migrate --db "$(db_url sub)" --key-file "$sub.keys" >/dev/null
"$bin" copy --from "$sub" --to "$(db_url sub)" --quiet
mkdir -p "$tmp/spool-s" "$tmp/spool-1" "$tmp/spool-2" "$tmp/spool-3"
dsub=demo:demo-mette
for r in $(seq "$rounds"); do
	serve "$sub" "$tmp/spool-s"
	printf 'round %s  SQLite, 1 instance:       ' "$r" | tee -a "$results"
	"$pb" submit "$secs" "$clients" "$case_type" "$values" "$dsub" "$url" | tee -a "$results"
	stop_all
	for n in 1 2 3; do
		urls=
		for i in $(seq "$n"); do
			serve "$(db_url sub)" "$tmp/spool-$i" --key-file "$sub.keys"
			urls="$urls $url"
		done
		printf 'round %s  PostgreSQL, %s instance%s: ' "$r" "$n" \
			"$([ "$n" = 1 ] && echo ' ' || echo s)" | tee -a "$results"
		from=$(log_lines)
		# shellcheck disable=SC2086
		"$pb" submit "$secs" "$clients" "$case_type" "$values" "$dsub" $urls |
			tee -a "$results"
		stop_all
		ser_failures "$from" | tee -a "$results"
	done
	printf 'round %s  bare libpq (case+event):  ' "$r" | tee -a "$results"
	"$pb" bare "$secs" "$clients" "$(db_url sub)" | tee -a "$results"
done
fi

if has_part 2; then
echo
echo "== 2. 100,000 cases: the case reads and the search, SQLite beside PostgreSQL"
cdb=$tmp/cases.db
"$bin" import content --db "$cdb" >/dev/null 2>"$tmp/import.err" ||
	{ cat "$tmp/import.err" >&2; exit 1; }
HELHED_PASSWORD=$password "$bin" user add --db "$cdb" --email "$email" \
	--name "Bench Sagsbehandler" --organisation 901 --roles caseworker >/dev/null
"$cb" seed "$cdb" "$email"
psql_admin "CREATE DATABASE cases"
"$bin" migrate --db "$(db_url cases)" --key-file "$cdb.keys" >/dev/null
t0=$(date +%s%N)
"$bin" copy --from "$cdb" --to "$(db_url cases)" --quiet | tee -a "$results"
note "helhed copy of the 100,000-case database: $(( ($(date +%s%N) - t0) / 1000000 )) ms wall"
for r in $(seq "$rounds"); do
	for side in SQLite PostgreSQL; do
		if [ $side = SQLite ]; then
			serve "$cdb" "$tmp/spool-s"
		else
			serve "$(db_url cases)" "$tmp/spool-1" --key-file "$cdb.keys"
		fi
		echo "-- round $r, $side ($url)"
		"$cb" http "$url" "$email" "$password" "$subject" "$n_req" |
			sed "s/^/$side  /" | tee -a "$results" || true
		printf '%s  GET /api/v1/search (16 queries in turn): ' "$side" | tee -a "$results"
		"$pb" search "$n_req" "$url" | tee -a "$results"
		stop_all
	done
done
fi

echo
echo "== summary"
cat "$results"
echo
echo "whole benchmark: $(( $(date +%s) - t_start )) s"
