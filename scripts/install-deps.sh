#!/bin/sh
# install-deps.sh - install what helhed needs to build, run and test on Debian 12.
#
# The one place dependencies are installed (make run, make test and CI all
# call it). It installs only what is missing, so a second run is quick and
# needs no network.
set -eu

# g++ and libxapian-dev build Xapian's side of make bench-search;
# valgrind's callgrind.h builds bench/search_instr (the engine's work in
# instructions, and each query's time: docs/search.md).
# librhonabwy-dev verifies OpenID Connect tokens (JWS, JWKS); glewlwyd is
# the real OpenID Connect provider the sign-in tests start on loopback.
# Pango and Cairo lay out letters as PDF, libhyphen with hyphen-da breaks
# long Danish words, DejaVu is the letters' font; poppler-utils
# (pdftotext, pdffonts) reads the PDFs back in the tests, and
# libxml2-utils' xmllint validates the MeMo messages against the schema.
# libxml2-dev: the chart tests parse the dashboard's SVG (fig-pages).
# pg-base (issue 14): libpq-dev builds the PostgreSQL backend; postgresql-15
# gives the tests a throwaway cluster (tests/pg/cluster.sh; its package
# starts no cluster of its own when none is configured).
# pg-multi (issue 14): haproxy is the load balancer tests/pg/multi.mjs puts
# in front of several instances (its package's own service is not used).
# o-deb (issue 17): libsystemd-dev tells systemd when serve is ready
# (sd_notify); dpkg-dev (dpkg-shlibdeps, dpkg-gencontrol), help2man (the
# man page) and lintian build and check the Debian package (make deb,
# tests/deb/test_deb.sh).
# o-tls (issue 17): openssl makes the throwaway CA and certificate, curl
# speaks https to HAProxy and nginx from chosen loopback addresses, python3
# asks the kernel for free ports (tests/tls/test_tls.sh); nginx (Debian 12:
# 1.22) is the second proxy whose example that test runs. Neither proxy's
# own service is used; on a machine with systemd, Debian's nginx package
# starts its default site on port 80 (systemctl disable --now nginx).
PKGS="build-essential pkg-config
libsystemd-dev dpkg-dev help2man lintian
libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3
libstemmer-dev libutf8proc-dev libcmark-dev libsodium-dev wdanish
libcurl4-openssl-dev libcmocka-dev
librhonabwy-dev glewlwyd
libpango1.0-dev libcairo2-dev libhyphen-dev hyphen-da fonts-dejavu-core
poppler-utils libxml2-utils libxml2-dev
clang libclang-rt-14-dev
wrk
g++ libxapian-dev valgrind
postgresql-15 libpq-dev
haproxy nginx openssl curl python3"

# Browser tests: Debian's Chromium, driven from Node.
[ "${HELHED_NO_BROWSER:-}" = 1 ] || PKGS="$PKGS chromium"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: missing Debian packages:$missing (run as root, or install them)" >&2
		exit 1
	fi
	echo "install-deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing
fi

# The tests' npm packages (playwright-core, axe-core, html-validate for the
# browser tests; ajv for the Open311 schemas), pinned by
# tests/e2e/package-lock.json. Installed again when node_modules is missing
# or older than the lock file; npm ci never downloads a browser.
if [ "${HELHED_NO_NPM:-}" != 1 ]; then
	e2e="$(cd "$(dirname "$0")/.." && pwd)/tests/e2e"
	stamp="$e2e/node_modules/.package-lock.json"
	if [ ! -f "$stamp" ] ||
	   [ -n "$(find "$e2e/package-lock.json" -newer "$stamp")" ]; then
		echo "install-deps: npm ci in tests/e2e"
		npm ci --prefix "$e2e" --no-audit --no-fund
	fi
	# The pinned versions run on Debian 12's own Node.js 18.19 and newer.
	if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a == 18 && b >= 19) ? 0 : 1)'; then
		echo "install-deps: the browser tests need Node.js 18.19 or later," \
		     "found $(node --version)" >&2
	fi
fi
