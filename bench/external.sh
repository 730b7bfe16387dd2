#!/bin/sh
# external.sh - the external-case benchmark (make bench-external), issue
# 15's "Measured", each figure beside its peer, measured in the same run:
#   1. status reports accepted per second, durable, through
#      hh_external_report beside a bare SQLite upsert of the same rows
#      (WAL, synchronous=FULL, one transaction per report);
#   2. Mit overblik's read (hh_overview_read, in process) for a citizen
#      with 20 external cases among HELHED_BENCH_EXTERNAL_CASES (default
#      1,000,000), beside a bare SELECT of the same rows (target p99 <=
#      20 ms).
# The files live on disk (TMPDIR, default /tmp), not tmpfs: fsync must
# cost what it costs. See bench/external_bench.c.
# HELHED_BENCH_REPORTS (default 2000), HELHED_BENCH_READS (1000).
set -eu
build=${1:-build}
eb=$build/bench/external_bench
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-external-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fs=$(df -PT "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
echo "External-case benchmark: SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')," \
	"files in $tmp ($fs), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
case $fs in tmpfs*) echo "WARNING: $tmp is on tmpfs; fsync costs nothing there." ;; esac
echo
echo "== 1. status reports, durable"
"$eb" report "$tmp" "${HELHED_BENCH_REPORTS:-2000}"
echo
echo "== 2. Mit overblik with many external cases"
"$eb" overview "$tmp" "${HELHED_BENCH_EXTERNAL_CASES:-1000000}" "${HELHED_BENCH_READS:-1000}"
