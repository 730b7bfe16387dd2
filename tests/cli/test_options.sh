#!/bin/sh
# test_options.sh - the helhed command's options as users give them, held
# against a stored copy (t-main): every command's --help byte for byte
# (help/, from which help2man makes the man page), and for each case in
# cases.txt (a flag, its HELHED_* variable, its helhed.conf key, bad
# values, unknown flags, missing values) the stdout, stderr and exit
# status in expected.txt. The cases stop at a usage error or before
# anything is written, so they need no database.
#
# Usage: tests/cli/test_options.sh [BUILD_DIR] [--write]
# --write makes help/ and expected.txt from the binary (do that from
# main's binary only when a change of behaviour is meant).
# Prints "cli: N passed, N failed"; exit status 1 when any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
bin=${HELHED_BIN:-$build/helhed}
write=0
[ "${2:-}" = --write ] && write=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# no setting from the caller's environment or /etc/helhed/helhed.conf
for v in $(env | sed -n 's/^\(HELHED_[A-Z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done
export HELHED_CONFIG=none

# the configuration files the cases name (mode 0600 unless said)
mkdir "$work/run"
cd "$work/run" || exit 1
conf() { # NAME MODE LINES...
	name=$1 mode=$2
	shift 2
	printf '%s\n' "$@" >"$name"
	chmod "$mode" "$name"
}
conf threads0.conf 600 "threads = 0"
conf threads9.conf 600 "threads = 9" "listen = nocolon"
conf listen.conf 600 "# a comment" "" "listen = nocolon"
conf level.conf 600 "log_level = loud"
conf levelok.conf 600 "log_level = warn" "listen = nocolon"
conf unknown.conf 600 "colour = blue"
conf twice.conf 600 "threads = 2" "threads = 3"
conf noeq.conf 600 "threads 2"
conf badint.conf 600 "threads = many"
conf badbool.conf 600 "demo = maybe"
conf badurl.conf 600 "public_url = ftp://x"
conf badtime.conf 600 "print_time = 25:00"
conf badlimits.conf 600 "write_limits = 1/2"
conf badnets.conf 600 "trusted_proxies = 300.1.1.1"
conf badhost.conf 600 "listen = 8080"
conf writable.conf 666 "threads = 2"
conf secretread.conf 644 "oidc_cookie_key_file = /nonexistent/key"
conf secret.conf 600 "oidc_cookie_key_file = /nonexistent/key"
conf readable.conf 644 "db = postgresql://127.0.0.1:1/conf"
conf pgdb.conf 600 "db = postgresql://127.0.0.1:1/conf"
conf keyfile.conf 600 "key_file = conf.keys"
conf trust.conf 600 "trust_proxy = yes" "max_conn_per_client = 7" \
	"body_memory = 0"
conf trustonly.conf 600 "trust_proxy = yes"
conf percl.conf 600 "max_conn_per_client = 100001"
conf body.conf 600 "body_memory = 65537"
conf keep.conf 600 "webhooks_keep_days = 0"
conf secure.conf 600 "secure_cookies = no" "public_url = https://x.dk"
conf nopw.conf 600 "password_login = no" "db = /nonexistent/dir/x.db"
conf oidc.conf 600 "oidc_citizen_issuer = ftp://x"
conf spool.conf 600 "spool = /nonexistent/spool" "db = postgresql://127.0.0.1:1/x" "key_file = k"
printf 'secret\n' >world.key
chmod 644 world.key
printf 'one\ntwo\n' >two.key
chmod 600 two.key
: >empty.key
chmod 600 empty.key

H() { "$bin" "$@"; }

# --help of every command, byte for byte
for c in main serve import import-kle export migrate backup restore \
	figures-rebuild rotate-key print-batch user token search demo-year copy; do
	if [ "$c" = main ]; then
		H --help >"$work/help.out" 2>&1
	else
		H "$c" --help >"$work/help.out" 2>&1
	fi
	echo "status $?" >>"$work/help.out"
	if [ $write = 1 ]; then
		mkdir -p "$here/help"
		cp "$work/help.out" "$here/help/$c.txt"
	elif cmp -s "$work/help.out" "$here/help/$c.txt"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: helhed $c --help differs from tests/cli/help/$c.txt:"
		diff "$here/help/$c.txt" "$work/help.out" | head -20
	fi
done

# each case: the line, stdout, stderr (prefixed), the status
out="$work/expected.txt"
: >"$out"
while IFS= read -r line; do
	case "$line" in '' | '#'*) continue ;; esac
	# bash for $'...' in the cases (bytes that are not UTF-8)
	bash -c "H() { \"$bin\" \"\$@\"; }; $line" >"$work/o" 2>"$work/e" </dev/null
	st=$?
	# the number of migrations grows with every branch merged
	{
		echo "\$ $line"
		sed 's/^/1| /' "$work/o"
		sed 's/^/2| /' "$work/e"
		echo "status $st"
	} | sed 's/applies all [0-9][0-9]* migrations/applies all N migrations/' \
		>"$work/case"
	cat "$work/case" >>"$out"
	if [ $write = 0 ]; then
		# the same case in the stored copy
		want=$(L="\$ $line" awk '$0 == ENVIRON["L"] { on = 1; print; next }
			on && /^\$ / { exit } on { print }' "$here/expected.txt")
		if [ "$want" = "$(cat "$work/case")" ]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL: $line"
			printf '%s\n' "$want" | sed 's/^/  want /'
			sed 's/^/  got  /' "$work/case"
		fi
	fi
done <"$here/cases.txt"
if [ $write = 1 ]; then
	cp "$out" "$here/expected.txt"
	echo "cli: wrote tests/cli/help and tests/cli/expected.txt"
	exit 0
fi
# nothing half: no case may have made a database
if [ -e var ] || ls ./*.db >/dev/null 2>&1; then
	failed=$((failed + 1))
	echo "FAIL: a case made a database: $(ls)"
else
	passed=$((passed + 1))
fi
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
