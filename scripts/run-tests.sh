#!/bin/sh
# run-tests.sh - run every test binary and the browser tests, add up the
# results and end with "N passed, N failed".
#
# Usage: run-tests.sh BUILD_DIR   (HELHED_NO_E2E=1 skips browser tests)
set -u
build=${1:-build}
passed=0
failed=0
log=$(mktemp)
for t in $(find "$build/tests" -type f -perm -u+x -name 'test_*' | sort); do
	echo "== $t"
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# crashed or failed outside cmocka's counting
		echo "!! $t exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
# Fuzz targets, briefly (make fuzz runs them longer): a crash fails.
for t in $(find build-fuzz/fuzz -type f -perm -u+x -name 'fuzz_*' 2>/dev/null | sort); do
	name=$(basename "$t")
	corpus=tests/fuzz/corpus/${name#fuzz_}
	scratch=$(mktemp -d)
	cp "$corpus"/* "$scratch"/ 2>/dev/null
	if "$t" -runs=20000 -max_total_time=20 -seed=1 "$scratch" >"$log" 2>&1; then
		echo "== $name: up to 20000 runs or 20 s, no crash"
		passed=$((passed + 1))
	else
		cat "$log"
		echo "!! $name crashed"
		failed=$((failed + 1))
	fi
	rm -rf "$scratch"
done
if [ "${HELHED_NO_E2E:-0}" != 1 ] && [ -f tests/e2e/run.mjs ]; then
	echo "== browser tests"
	HELHED_BIN="$build/helhed" node tests/e2e/run.mjs >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | tail -1)
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=1
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
fi
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
