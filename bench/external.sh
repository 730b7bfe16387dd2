#!/bin/sh
# external.sh - the external-case benchmark (make bench-external), issue
# 15's "Measured", each figure beside its peer, measured in the same run:
#   1. status reports accepted per second, durable, through
#      hh_external_report beside a bare SQLite upsert of the same rows
#      (WAL, synchronous=FULL, one transaction per report);
#   2. the same on PostgreSQL (a throwaway cluster from tests/pg/cluster.sh,
#      fsync and synchronous_commit on), beside a bare libpq upsert of the
#      same rows (the SQLite peer's SQL shape: upsert guarded by the
#      version, then the event);
#   3. Mit overblik for a citizen with a saved plan, 5 own cases in five
#      states and 20 external cases, among HELHED_BENCH_EXTERNAL_CASES
#      (default 1,000,000) external cases (target p99 <= 20 ms): over
#      HTTP (the demo sign-in, then GET /api/v1/overview and GET
#      /mit-overblik beside GET /healthz on the same server: one client,
#      then wrk -c8), and in process (hh_overview_read) beside the bare
#      SELECTs of the 25 rows; on SQLite and on PostgreSQL (the same
#      database, `helhed copy`-ed, timed); then the query plans.
# The store is seeded by external_bench seed: `helhed import content
# --users`, the citizen's plan, cases and 20 reports through the domain,
# the other cases through the store's own external_case_put in
# transactions of 50,000 (sealed CPR numbers and their hashes as a
# report stores them; no events). See bench/external_bench.c.
# The files live on disk (TMPDIR, default /tmp), not tmpfs: fsync must
# cost what it costs.
# Usage: bench/external.sh BUILD_DIR
# HELHED_BENCH_REPORTS (default 2000) per side; HELHED_BENCH_EXTERNAL_CASES
# (1000000); HELHED_BENCH_REQUESTS (1000) per HTTP target;
# HELHED_BENCH_READS (1000) in process; HELHED_BENCH_WRK_SECONDS (10,
# 0: no wrk); HELHED_BENCH_PARTS ("1 2 3": which parts to run). A quick
# run: HELHED_BENCH_REPORTS=200 HELHED_BENCH_EXTERNAL_CASES=50000
# HELHED_BENCH_REQUESTS=200 HELHED_BENCH_READS=200 HELHED_BENCH_WRK_SECONDS=2
set -eu
build=${1:-build}
bin=$build/helhed
eb=$build/bench/external_bench
n_rep=${HELHED_BENCH_REPORTS:-2000}
n_ext=${HELHED_BENCH_EXTERNAL_CASES:-1000000}
n_req=${HELHED_BENCH_REQUESTS:-1000}
n_reads=${HELHED_BENCH_READS:-1000}
wrk_secs=${HELHED_BENCH_WRK_SECONDS:-10}
parts=${HELHED_BENCH_PARTS:-1 2 3}
has_part() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-external-XXXXXX")
pid=
pgurl=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	[ -n "$pgurl" ] && tests/pg/cluster.sh stop "$tmp/pg" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
t_start=$(date +%s)
fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
echo "External-case benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'):" \
	"SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')," \
	"files in $tmp ($fs), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo "The machine may be shared: client, server and PostgreSQL run on these"
echo "cores, so figures are for comparison within this run only."
case $fs in tmpfs*) echo "WARNING: $tmp is on tmpfs; fsync costs nothing there." ;; esac

have_pg=0
if ! has_part 2 && ! has_part 3; then
	:
elif ! tests/pg/cluster.sh check 2>/dev/null; then
	echo "WARNING: no PostgreSQL 15 binaries (tests/pg/cluster.sh check): SQLite only."
else
	have_pg=1
	pgurl=$(tests/pg/cluster.sh start "$tmp/pg")
	psql_admin() { psql -qAt "$pgurl" -c "$1"; }
	echo "PostgreSQL $(psql_admin 'SHOW server_version') (tests/pg/cluster.sh, loopback):" \
		"fsync $(psql_admin 'SHOW fsync'), synchronous_commit" \
		"$(psql_admin 'SHOW synchronous_commit'), shared_buffers $(psql_admin 'SHOW shared_buffers')"
fi
db_url() { echo "$pgurl" | sed "s|/postgres\$|/$1|"; }

# serve ADDRESS EXTRA...: one instance in the background (--demo for the
# demo sign-in); its address in $url, its pid in $pid
serve() {
	at=$1; shift
	out=$tmp/serve.out
	# never the address of the instance before (the new one truncates
	# the file only once it has started)
	rm -f "$out" "$out.err"
	mkdir -p "$tmp/spool"
	"$bin" serve --db "$at" --listen 127.0.0.1:0 --quiet --threads 2 --demo \
		--write-limits 0/0/0 --max-conn-per-client 0 --spool "$tmp/spool" "$@" \
		>"$out" 2>"$out.err" &
	pid=$!
	i=0
	while ! grep -q 'serving http' "$out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { cat "$out.err" >&2; exit 1; }
		kill -0 "$pid" 2>/dev/null || { cat "$out.err" >&2; exit 1; }
		sleep 0.1
	done
	url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$out" | head -1)
}
stop() {
	kill -TERM "$pid"
	wait "$pid" || true
	pid=
}
# wrk_line LABEL PATH: wrk -t2 -c8 on PATH with the citizen's cookie
wrk_line() {
	wrk -t2 -c8 -d"${wrk_secs}s" --latency -H "Cookie: $(cat "$tmp/cookie")" \
		"$url$2" >"$tmp/wrk.out" 2>&1 || { cat "$tmp/wrk.out" >&2; return 1; }
	awk -v label="$1" '
		$1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
		/^Requests\/sec:/ { rps = $2 }
		/Non-2xx/ { bad = $NF }
		END { printf "  %-55s p50 %8s   p99 %8s   %8.0f req/s%s\n", label, p50,
			p99, rps, bad ? "   NON-2xx: " bad : "" }' "$tmp/wrk.out"
}

if has_part 1; then
	echo
	echo "== 1. status reports, durable, SQLite"
	"$eb" report "$tmp" "$n_rep"
fi

if has_part 2 && [ $have_pg = 1 ]; then
	echo
	echo "== 2. status reports, durable, PostgreSQL"
	psql_admin "CREATE DATABASE reports"
	"$bin" migrate --db "$(db_url reports)" --key-file "$tmp/reports.keys" \
		>/dev/null 2>"$tmp/migrate.err" || { cat "$tmp/migrate.err" >&2; exit 1; }
	"$eb" report-pg "$(db_url reports)" "$tmp/reports.keys" "$n_rep"
fi

if has_part 3; then
	echo
	echo "== 3. Mit overblik with $n_ext external cases in the store"
	db=$tmp/overview.db
	"$bin" import content --db "$db" --users >/dev/null 2>"$tmp/import.err" ||
		{ cat "$tmp/import.err" >&2; exit 1; }
	"$eb" seed "$db" "$n_ext"
	sides=SQLite
	if [ $have_pg = 1 ]; then
		sides="SQLite PostgreSQL"
		psql_admin "CREATE DATABASE overview"
		"$bin" migrate --db "$(db_url overview)" --key-file "$db.keys" >/dev/null
		t0=$(date +%s%N)
		"$bin" copy --from "$db" --to "$(db_url overview)" --quiet >/dev/null
		echo "helhed copy into PostgreSQL (COPY, then VACUUM ANALYZE):" \
			"$(( ($(date +%s%N) - t0) / 1000000 )) ms"
		# the copy's dirty pages are written now, not by the
		# checkpointer while the reads are measured
		psql_admin CHECKPOINT
	fi
	status=0
	for side in $sides; do
		if [ $side = SQLite ]; then
			address=$db
		else
			address=$(db_url overview)
		fi
		serve "$address" --key-file "$db.keys"
		echo "-- $side, over HTTP (helhed serve --threads 2 at $url)"
		"$eb" http "$url" "$n_req" "$tmp/cookie" || status=$?
		if [ "$wrk_secs" != 0 ] && command -v wrk >/dev/null; then
			echo "  wrk -t2 -c8, ${wrk_secs} s each, the same cookie:"
			wrk_line "GET /healthz (the floor)" /healthz
			wrk_line "GET /api/v1/overview" /api/v1/overview
			wrk_line "GET /mit-overblik (the page)" /mit-overblik
		fi
		stop
		echo "-- $side, in process"
		"$eb" reads "$address" "$db.keys" "$n_reads" || status=$?
	done

	echo
	echo "== why: the plans of the overview's two big reads"
	hash=$(sqlite3 "$db" "SELECT hex(e.cpr_hash) FROM external_cases e WHERE e.external_id = 'BENCH-00'")
	cid=$(sqlite3 "$db" "SELECT id FROM citizens WHERE subject = 'demo:bench-borger'")
	echo "-- SQLite (EXPLAIN QUERY PLAN; no ANALYZE: helhed runs none)"
	sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT e.id, e.title, o.name FROM external_cases e JOIN organisations o ON o.id = e.organisation_id WHERE e.cpr_hash = x'$hash' ORDER BY COALESCE(NULLIF(e.sent_updated_at, 0), e.received_at) DESC, e.id DESC LIMIT 200;" |
		sed 's/^/  external_case_list: /'
	sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT c.id, c.state, c.data FROM cases c WHERE c.citizen_id = $cid ORDER BY c.id DESC LIMIT 50;" |
		sed 's/^/  cases of a citizen:  /'
	if [ $have_pg = 1 ]; then
		echo "-- PostgreSQL (EXPLAIN ANALYZE, after the copy's VACUUM ANALYZE)"
		psql -qAt "$(db_url overview)" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT e.id, e.title, o.name FROM external_cases e JOIN organisations o ON o.id = e.organisation_id WHERE e.cpr_hash = '\\x$hash'::bytea ORDER BY COALESCE(NULLIF(e.sent_updated_at, 0), e.received_at) DESC, e.id DESC LIMIT 200" |
			sed 's/^/  external_case_list: /'
		psql -qAt "$(db_url overview)" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT c.id, c.state, c.data FROM cases c WHERE c.citizen_id = $cid ORDER BY c.id DESC LIMIT 50" |
			sed 's/^/  cases of a citizen:  /'
	fi
fi

echo
echo "whole benchmark: $(( $(date +%s) - t_start )) s"
exit "${status:-0}"
