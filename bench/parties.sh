#!/bin/sh
# parties.sh - Mit overblik and the case page with 100,000 two-party cases
# (make bench-parties; issue 16, "Measured": p99 <= 20 ms), on SQLite and
# on PostgreSQL, each beside /healthz of the same server and the bare SQL
# that fetches the same rows (bench/parties_bench.c says what is seeded
# and measured). The seed writes through the store into SQLite, 10,000
# cases a transaction; PostgreSQL gets the same rows by `helhed copy`
# (timed). PostgreSQL from tests/pg/cluster.sh, fsync on; files under
# TMPDIR (default /tmp).
# Usage: bench/parties.sh BUILD_DIR; HELHED_BENCH_REQUESTS (default 500),
# HELHED_BENCH_BACKENDS ("sqlite postgres").
set -eu
build=${1:-build}
bin=$build/helhed
pb=$build/bench/parties_bench
n_req=${HELHED_BENCH_REQUESTS:-500}
backends=${HELHED_BENCH_BACKENDS:-sqlite postgres}
email=sagsbehandler@bench.test
password=bench-sagsbehandler
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-parties-XXXXXX")
pid=
pg=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	[ -n "$pg" ] && tests/pg/cluster.sh stop "$tmp/pg" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
t_start=$(date +%s)

fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
echo "Parties benchmark: SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')," \
	"files in $tmp ($fs), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."

# the organisations, the two case types with a spouse party (and the
# follow-up one they name), their letter templates and the life event
db=$tmp/parties.db
mkdir -p "$tmp/c/case-types" "$tmp/c/life-events"
cp content/organisations.json "$tmp/c/"
cp -r content/letter-templates "$tmp/c/"
cp content/case-types/skilsmisse.json content/case-types/separation.json \
	content/case-types/boernetilskud-revurdering.json "$tmp/c/case-types/"
cp content/life-events/skilsmisse-og-separation.json "$tmp/c/life-events/"
"$bin" import "$tmp/c" --db "$db" >/dev/null 2>"$tmp/import.err" ||
	{ cat "$tmp/import.err" >&2; exit 1; }
HELHED_PASSWORD=$password "$bin" user add --db "$db" --email "$email" \
	--name "Bench Sagsbehandler" --organisation familieretshuset \
	--roles caseworker >/dev/null
"$pb" seed "$db"
echo "database: $(du -h "$db" | cut -f1)"

# serve ADDRESS EXTRA...: starts the server, sets $pid and $url
serve() {
	address=$1
	shift
	"$bin" serve --db "$address" --listen 127.0.0.1:0 --quiet --threads 2 --demo \
		--write-limits 0/0/0 --max-conn-per-client 0 "$@" \
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
}
stop() {
	kill -TERM "$pid"
	wait "$pid" || true
	pid=
}

status=0
for be in $backends; do
	case $be in
	sqlite)
		address=$db
		extra=
		;;
	postgres)
		pgurl=$(tests/pg/cluster.sh start "$tmp/pg")
		pg=1
		echo
		echo "PostgreSQL $(psql -qAt "$pgurl" -c 'SHOW server_version'):" \
			"fsync $(psql -qAt "$pgurl" -c 'SHOW fsync')," \
			"synchronous_commit $(psql -qAt "$pgurl" -c 'SHOW synchronous_commit')"
		psql -qAt "$pgurl" -c "CREATE DATABASE parties"
		address=$(echo "$pgurl" | sed 's|/postgres$|/parties|')
		"$bin" migrate --db "$address" --key-file "$db.keys" >/dev/null
		t0=$(date +%s%N)
		"$bin" copy --from "$db" --to "$address" --quiet
		echo "helhed copy of the database into PostgreSQL:" \
			"$(( ($(date +%s%N) - t0) / 1000000 )) ms"
		psql -qAt "$address" -c "ANALYZE" >/dev/null
		mkdir -p "$tmp/spool"
		extra="--key-file $db.keys --spool $tmp/spool"
		;;
	*) echo "unknown backend $be" >&2; exit 2 ;;
	esac
	# shellcheck disable=SC2086
	serve "$address" $extra
	echo
	echo "== $be: over HTTP (server with --threads 2), load average $(cut -d' ' -f1-3 /proc/loadavg)"
	"$pb" http "$url" "$email" "$password" "$n_req" || { status=$?; echo "the server's log:"; tail -20 "$tmp/err"; }
	stop
	echo
	echo "== $be: the peer, the same rows by bare SQL"
	"$pb" peer "$address" "$n_req"
done
echo
echo "whole benchmark: $(( $(date +%s) - t_start )) s"
exit $status
