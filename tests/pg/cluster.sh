#!/bin/sh
# cluster.sh - a throwaway PostgreSQL 15 cluster for the tests.
#
#   cluster.sh start DIR   makes a cluster in DIR (which must not exist),
#                          starts it and prints its address on stdout:
#                          postgresql://helhed@127.0.0.1:PORT/postgres
#   cluster.sh start --no-sync DIR
#                          the same without durability (fsync,
#                          synchronous_commit and full_page_writes off), for
#                          the functional suites only (pg-suites): the
#                          domain and API tests make and reset many small
#                          databases, and the commits' fsyncs would cost
#                          most of their time; what they check does not
#                          depend on a commit reaching the disk
#   cluster.sh stop DIR    stops it and removes DIR
#   cluster.sh check       exit 0 when the PostgreSQL 15 binaries are here
#   cluster.sh halt DIR    stops the server (fast), keeping DIR (pg-multi:
#                          the fault tests take the database away)
#   cluster.sh resume DIR  starts it again on the same port
#
# The cluster listens on 127.0.0.1 on a free port and on a socket in DIR
# only (never in /var/run/postgresql), trusts local connections (it lives
# for one test run and listens on loopback only) and keeps fsync on, as in
# production: the tests then see the commit latency helhed will see
# (initdb itself runs with --no-sync: a cluster that a crash interrupts
# while it is being made is thrown away anyway).
# Run as root, initdb and the server run as the unprivileged `postgres`
# user that Debian's package makes (PostgreSQL refuses to run as root).
set -eu
bin=${HELHED_PG_BIN:-/usr/lib/postgresql/15/bin}

usage() {
	echo "usage: cluster.sh start [--no-sync] DIR | stop DIR | check | halt DIR | resume DIR" >&2
	exit 2
}

# Runs "$@" as the cluster's owner.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=postgres --regid=postgres --init-groups \
			--reset-env -- "$@"
	else
		"$@"
	fi
}

# A TCP port nobody listens on now (a race with another process taking it
# is caught by pg_ctl failing; start is then tried again).
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + $$ % 20000))
}

# pg_start DIR PORT: starts DIR's cluster with the durability settings
# it was made with (DIR/sync, written by start); pg_ctl's status.
pg_start() {
	as_owner "$bin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -c port=$2 \
-c unix_socket_directories=$1 $(cat "$1/sync") \
-c max_connections=200 -c shared_buffers=32MB" start >/dev/null 2>&1
}

cmd=${1:-}
case "$cmd" in
check)
	[ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && [ -x "$bin/postgres" ]
	;;
start)
	sync="-c fsync=on -c synchronous_commit=on"
	if [ "${2:-}" = --no-sync ]; then
		sync="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
		shift
	fi
	[ $# -eq 2 ] || usage
	dir=$2
	[ -x "$bin/initdb" ] || { echo "cluster.sh: no $bin/initdb (apt-get install postgresql-15)" >&2; exit 1; }
	mkdir "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres:postgres "$dir"
		# the owner must reach DIR through its parents (mktemp makes
		# them 0700 for root)
		chmod o+x "$(dirname "$dir")"
	fi
	chmod 0700 "$dir"
	echo "$sync" >"$dir/sync"
	as_owner "$bin/initdb" -D "$dir/data" -U helhed -A trust -E UTF8 \
		--locale=C.UTF-8 --no-instructions --no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2; exit 1; }
	tries=0
	while :; do
		port=$(free_port)
		if pg_start "$dir" "$port"; then
			break
		fi
		tries=$((tries + 1))
		if [ $tries -ge 3 ]; then
			cat "$dir/server.log" >&2
			exit 1
		fi
	done
	echo "$port" >"$dir/port"
	echo "postgresql://helhed@127.0.0.1:$port/postgres"
	;;
halt)
	[ $# -eq 2 ] || usage
	as_owner "$bin/pg_ctl" -D "$2/data" -m fast -w -t 60 stop >/dev/null
	;;
resume)
	[ $# -eq 2 ] || usage
	pg_start "$2" "$(cat "$2/port")" || { tail -20 "$2/server.log" >&2; exit 1; }
	;;
stop)
	[ $# -eq 2 ] || usage
	dir=$2
	if [ -d "$dir/data" ]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	usage
	;;
esac
