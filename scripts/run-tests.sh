#!/bin/sh
# run-tests.sh - run every test binary, the fuzz targets briefly and the
# browser tests, add up the results and end with "N passed, N failed".
#
# The browser tests spend most of their time waiting for a browser, so
# they run beside the C test binaries and the fuzz targets, in two groups
# side by side (the page checks and the flows); the C test
# binaries run two at a time (HELHED_TEST_JOBS). Each part's output is
# printed whole when it ends, so logs do not interleave.
#
# Usage: run-tests.sh BUILD_DIR   (HELHED_NO_E2E=1 skips browser tests)
set -u
build=${1:-build}
jobs=${HELHED_TEST_JOBS:-2}
# o-deb (issue 17): serve reads /etc/helhed/helhed.conf when it exists
# (the installed package's); the tests set their own settings
export HELHED_CONFIG=none
work=$(mktemp -d)
# pg-base (issue 14): one throwaway PostgreSQL cluster for the run, for the
# tests on PostgreSQL (HELHED_TEST_PG; tests/store/pg_fixture.h), stopped
# and removed at the end; a test started alone makes its own.
pg_dir=
trap '[ -z "$pg_dir" ] || tests/pg/cluster.sh stop "$pg_dir"; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
if [ -z "${HELHED_TEST_PG:-}" ] && tests/pg/cluster.sh check 2>/dev/null; then
	pg_dir="$work/pg"
	if HELHED_TEST_PG=$(tests/pg/cluster.sh start "$pg_dir"); then
		export HELHED_TEST_PG
	else
		echo "run-tests: no PostgreSQL cluster; the tests on it make their own" >&2
		tests/pg/cluster.sh stop "$pg_dir"
		pg_dir=
	fi
fi

# pg-suites (issue 14): the domain and API binaries run a second time on
# PostgreSQL (HELHED_TEST_BACKEND=postgres: tests/testutil.h's tu_store
# opens a database per test folder), on a second cluster started without
# durability (tests/pg/cluster.sh start --no-sync): those suites check
# behaviour, not what reaches the disk, and the durable cluster above
# stays as it was for the tests that want it. HELHED_TEST_PG_SUITES=0
# leaves the second run out.
pg_suites=
pg_suites_dir=
if [ "${HELHED_TEST_PG_SUITES:-1}" != 0 ] && tests/pg/cluster.sh check 2>/dev/null; then
	pg_suites_dir="$work/pg-suites"
	if pg_suites=$(tests/pg/cluster.sh start --no-sync "$pg_suites_dir"); then
		trap '[ -z "$pg_dir" ] || tests/pg/cluster.sh stop "$pg_dir"; tests/pg/cluster.sh stop "$pg_suites_dir"; rm -rf "$work"' EXIT
	else
		echo "run-tests: no cluster for the suites on PostgreSQL; they run on SQLite only" >&2
		tests/pg/cluster.sh stop "$pg_suites_dir"
		pg_suites=
	fi
else
	echo "run-tests: the domain and API suites run on SQLite only (no PostgreSQL 15, or HELHED_TEST_PG_SUITES=0)" >&2
fi
export pg_suites

# One C test binary: its log and a "passed failed" line in $work. With a
# second argument "postgres", the binary runs on PostgreSQL (pg-suites).
run_unit() {
	t=$1
	out="$work/unit.$(echo "$t" | tr '/' '%')"
	if [ "${2:-}" = postgres ]; then
		out="$out%postgres"
		HELHED_TEST_BACKEND=postgres HELHED_TEST_PG="$pg_suites" \
			"$t" >"$out.log" 2>&1
	else
		"$t" >"$out.log" 2>&1
	fi
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out.log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out.log" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# crashed or failed outside cmocka's counting
		echo "!! $t exited with status $rc" >>"$out.log"
		f=1
	fi
	echo "$p $f" >"$out.count"
}

# Fuzz targets, briefly (make fuzz runs them longer): a crash fails.
run_fuzz() {
	for t in $(find build-fuzz/fuzz -type f -perm -u+x -name 'fuzz_*' 2>/dev/null | sort); do
		name=$(basename "$t")
		corpus=tests/fuzz/corpus/${name#fuzz_}
		scratch=$(mktemp -d)
		cp "$corpus"/* "$scratch"/ 2>/dev/null
		if "$t" -runs=20000 -max_total_time=20 -seed=1 "$scratch" >"$work/fuzz.$name.out" 2>&1; then
			echo "== $name: up to 20000 runs or 20 s, no crash" >>"$work/fuzz.log"
			echo "1 0" >"$work/fuzz.$name.count"
		else
			cat "$work/fuzz.$name.out" >>"$work/fuzz.log"
			echo "!! $name crashed" >>"$work/fuzz.log"
			echo "0 1" >"$work/fuzz.$name.count"
		fi
		rm -rf "$scratch"
	done
}

# One group of browser tests (tests/e2e/run.mjs: "pages" or "flows"),
# each with its own server and browser.
run_e2e() {
	g=$1
	HELHED_E2E_GROUP=$g HELHED_BIN="$build/helhed" node tests/e2e/run.mjs \
		>"$work/e2e-$g.log" 2>&1
	rc=$?
	p=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$work/e2e-$g.log" | tail -1)
	f=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$work/e2e-$g.log" | tail -1)
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=1
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	echo "$p $f" >"$work/e2e-$g.count"
}

# A suite in node that ends with the line "NAME: N passed, N failed":
# run_node NAME SCRIPT; its log and count in $work/NAME.*; show_node NAME
# SCRIPT TITLE prints its log.
run_node() {
	HELHED_BIN="$build/helhed" node "$2" >"$work/$1.log" 2>&1
	rc=$?
	p=$(sed -n "s/^$1: \([0-9]*\) passed, \([0-9]*\) failed\$/\1/p" "$work/$1.log" | tail -1)
	f=$(sed -n "s/^$1: \([0-9]*\) passed, \([0-9]*\) failed\$/\2/p" "$work/$1.log" | tail -1)
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=1
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	echo "$p $f" >"$work/$1.count"
}
show_node() {
	echo "== $3 ($2)"
	cat "$work/$1.log"
}

# The walk through every page as each kind of user (tests/e2e/crawl.mjs):
# no server errors, no broken links, Danish, valid HTML, forms sent with
# odd input. It times nothing, so it runs beside the C tests from the
# start. It needs no browser, so make asan runs it too;
# HELHED_NO_CRAWL=1 leaves it out.
crawl_pid=
if command -v node >/dev/null && [ "${HELHED_NO_CRAWL:-0}" != 1 ] &&
   [ -d tests/e2e/node_modules ]; then
	run_node crawl tests/e2e/crawl.mjs &
	crawl_pid=$!
fi

# t-speed: the flows first, the longest part of the run since each page
# state is opened once for all its checks (the page checks were).
e2e_pids=
if [ "${HELHED_NO_E2E:-0}" != 1 ] && [ -f tests/e2e/run.mjs ]; then
	for g in flows pages; do
		run_e2e "$g" &
		e2e_pids="$e2e_pids $!"
	done
fi

# o-deb (issue 17): the Debian package built from this binary, installed
# into a throwaway root and checked (tests/deb/test_deb.sh, half a
# minute), beside the C tests; counted from its "deb: N passed, N failed"
# line. HELHED_NO_DEB=1 leaves it out, and so do make asan and make tsan
# (the package is made from the ordinary build).
deb_pid=
if [ "${HELHED_NO_DEB:-0}" != 1 ] && [ "$build" = build ] &&
   [ -x tests/deb/test_deb.sh ]; then
	(
		tests/deb/test_deb.sh "$build" >"$work/deb.log" 2>&1
		rc=$?
		p=$(sed -n 's/^deb: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$work/deb.log" | tail -1)
		f=$(sed -n 's/^deb: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$work/deb.log" | tail -1)
		[ -n "$p" ] || p=0
		[ -n "$f" ] || f=1
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		echo "$p $f" >"$work/deb.count"
	) &
	deb_pid=$!
fi

# o-tls (issue 17): helhed behind HAProxy and nginx with TLS from the
# shipped examples (tests/tls/test_tls.sh, a second or two, loopback only), beside
# the C tests; counted from its "tls: N passed, N failed" line.
tls_pid=
if [ -x tests/tls/test_tls.sh ]; then
	(
		tests/tls/test_tls.sh "$build" >"$work/tls.log" 2>&1
		rc=$?
		p=$(sed -n 's/^tls: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$work/tls.log" | tail -1)
		f=$(sed -n 's/^tls: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$work/tls.log" | tail -1)
		[ -n "$p" ] || p=0
		[ -n "$f" ] || f=1
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		echo "$p $f" >"$work/tls.count"
	) &
	tls_pid=$!
fi

# t-main: every command's options and --help against a stored copy
# (tests/cli/test_options.sh, ten seconds), beside the C tests; counted
# from its "cli: N passed, N failed" line.
cli_pid=
if [ -x tests/cli/test_options.sh ]; then
	(
		tests/cli/test_options.sh "$build" >"$work/cli.log" 2>&1
		rc=$?
		p=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$work/cli.log" | tail -1)
		f=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$work/cli.log" | tail -1)
		[ -n "$p" ] || p=0
		[ -n "$f" ] || f=1
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		echo "$p $f" >"$work/cli.count"
	) &
	cli_pid=$!
fi

# xargs runs a fresh shell per binary, so the function goes as text.
export work
unit_fn=$(sed -n '/^run_unit() {$/,/^}$/p' "$0")
# t-speed: the longest binaries first, so the two lanes end together:
# test_store_pg waits on PostgreSQL more than it computes, test_abuse and
# test_delivery take the most CPU. pg-suites: then the domain and API
# binaries once more, on PostgreSQL ("path postgres": run_unit's $1 $2).
slow_first="store/test_store_pg api/test_abuse api/test_delivery api/test_cli
api/test_desk_api"
{
	for t in $slow_first; do
		[ -x "$build/tests/$t" ] && echo "$build/tests/$t"
	done
	find "$build/tests" -type f -perm -u+x -name 'test_*' | sort |
		grep -v -x -F "$(for t in $slow_first; do echo "$build/tests/$t"; done)"
	[ -z "$pg_suites" ] ||
		find "$build/tests/domain" "$build/tests/api" -type f -perm -u+x \
			-name 'test_*' | sort | sed 's/$/ postgres/'
} | xargs -P "$jobs" -I{} sh -c "$unit_fn
run_unit \$1" sh {}
for log in $(ls "$work"/unit.*.log 2>/dev/null | sort); do
	name=$(basename "$log" .log)
	echo "== ${name#unit.}" | sed 's/%postgres$/ (postgres)/' | tr '%' '/'
	cat "$log"
done

# pg-multi (issue 14): three instances on one PostgreSQL behind HAProxy,
# then PostgreSQL halted under load and an instance killed
# (tests/pg/multi.mjs). It starts a cluster of its own (it stops and
# starts it), after the C tests so that their load does not time its
# checks; counted from its "multi: N passed, N failed" line.
if tests/pg/cluster.sh check 2>/dev/null && command -v haproxy >/dev/null &&
   command -v node >/dev/null; then
	HELHED_BIN="$build/helhed" node tests/pg/multi.mjs >"$work/multi.log" 2>&1
	rc=$?
	p=$(sed -n 's/^multi: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$work/multi.log" | tail -1)
	f=$(sed -n 's/^multi: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$work/multi.log" | tail -1)
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=1
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	echo "$p $f" >"$work/multi.count"
	echo "== several instances behind HAProxy (tests/pg/multi.mjs)"
	cat "$work/multi.log"
else
	echo "== tests/pg/multi.mjs skipped: needs PostgreSQL 15, haproxy and node (scripts/install-deps.sh)"
fi

# x-openapi (issue 15): the OpenAPI description (docs/openapi.json) against
# a real server: valid OpenAPI 3.1, every /api/v1 route in it, every
# answer as described (tests/openapi/check.mjs).
if command -v node >/dev/null; then
	run_node openapi tests/openapi/check.mjs
	show_node openapi tests/openapi/check.mjs \
		"the OpenAPI description against the server"
else
	echo "== tests/openapi/check.mjs and tests/e2e/crawl.mjs skipped: need node (scripts/install-deps.sh)"
fi

run_fuzz
[ -f "$work/fuzz.log" ] && cat "$work/fuzz.log"

if [ -n "$tls_pid" ]; then # o-tls
	wait "$tls_pid"
	echo "== helhed behind HAProxy and nginx with TLS (tests/tls/test_tls.sh)"
	cat "$work/tls.log"
fi

if [ -n "$cli_pid" ]; then # t-main
	wait "$cli_pid"
	echo "== the command's options (tests/cli/test_options.sh)"
	cat "$work/cli.log"
fi

if [ -n "$deb_pid" ]; then # o-deb
	wait "$deb_pid"
	echo "== the Debian package (tests/deb/test_deb.sh)"
	cat "$work/deb.log"
fi

if [ -n "$crawl_pid" ]; then
	wait "$crawl_pid"
	show_node crawl tests/e2e/crawl.mjs "every page as each kind of user"
fi

if [ -n "$e2e_pids" ]; then
	for pid in $e2e_pids; do
		wait "$pid"
	done
	for g in pages flows; do
		echo "== browser tests ($g)"
		cat "$work/e2e-$g.log"
	done
fi

passed=0
failed=0
for c in "$work"/*.count; do
	[ -f "$c" ] || continue
	read -r p f <"$c"
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
