#!/bin/sh
# test_deb.sh - the Debian package (issue 17): builds it from the binary
# already built (scripts/build-deb.sh), installs it into a throwaway root
# with dpkg --root, and checks the files, the conffile, the dependency
# line, the maintainer scripts, the man page, the unit and lintian; then
# serves with the installed binary, assets and configuration file.
#
# The maintainer scripts run for real, by dpkg, with
# --force-script-chrootless (an empty root has no /bin/sh to chroot into):
# they see the root in $DPKG_ROOT, and the commands that would change this
# machine (adduser, chgrp, deb-systemd-helper, deb-systemd-invoke,
# systemctl) are stand-ins on $PATH that write down how they were called.
#
# Usage: test_deb.sh [BUILD_DIR]   Ends with "deb: N passed, N failed";
# exits 0 when none failed. Needs root (dpkg --root installs as root),
# dpkg-dev, help2man and lintian (scripts/install-deps.sh).
set -u
build=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { # check NAME COMMAND...: passes when the command succeeds
	name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}
finish() {
	echo "deb: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

if [ "$(id -u)" != 0 ]; then
	bad "runs as root (dpkg --root installs files owned by root)"
	finish
fi
for tool in dpkg-shlibdeps help2man lintian; do
	if ! command -v "$tool" >/dev/null; then
		bad "$tool is installed (scripts/install-deps.sh)"
		finish
	fi
done

tmp=$(mktemp -d)
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# ---- the package -----------------------------------------------------
if ! deb=$(./scripts/build-deb.sh "$build" 2>"$tmp/build.err"); then
	cat "$tmp/build.err"
	bad "make deb builds the package"
	finish
fi
ok "make deb builds $(basename "$deb")"
version=$("$build/helhed" --version | sed -n 's/^helhed //p')
check "the file name carries helhed --version ($version) and amd64" \
	test "$(basename "$deb")" = "helhed_${version}_amd64.deb"

# Depends: from dpkg-shlibdeps. Every library the binary needs is there
# through its Debian package, and nothing is written by hand but adduser.
depends=$(dpkg-deb -f "$deb" Depends)
echo "     Depends: $depends"
missing=
for lib in $(objdump -p "$build/helhed" | awk '/NEEDED/ {print $2}'); do
	path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')
	pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
	[ -n "$pkg" ] || pkg=$(dpkg -S "$(readlink -f "$path")" | head -1 | cut -d: -f1)
	echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' |
		grep -qx "$pkg" || missing="$missing $lib($pkg)"
done
check "Depends names the package of every library the binary links${missing:+ (missing:$missing)}" \
	test -z "$missing"
check "Depends has versions from the libraries' symbols files" \
	sh -c "echo '$depends' | grep -q 'libmicrohttpd12 (>= ' && echo '$depends' | grep -q 'libsqlite3-0 (>= '"
check "Depends names adduser (postinst runs it)" \
	sh -c "echo '$depends' | grep -q 'adduser'"

# ---- lintian -----------------------------------------------------------
lintian --tag-display-limit 0 "$deb" >"$tmp/lintian.out" 2>&1
sed 's/^/     /' "$tmp/lintian.out" | grep -v "running with root privileges"
check "lintian reports no errors" \
	sh -c "! grep -q '^E: ' '$tmp/lintian.out'"

# ---- the maintainer scripts: shell syntax --------------------------------
for s in postinst prerm postrm; do
	check "debian/$s is valid sh (sh -n)" sh -n "debian/$s"
done

# ---- installed into a throwaway root --------------------------------------
root="$tmp/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" \
	"$root/var/lib/dpkg/triggers"
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
stubs="$tmp/stubs"
calls="$tmp/calls"
mkdir -p "$stubs"
: >"$calls"
# getent passwd helhed: no such user until the stand-in adduser made one
cat >"$stubs/getent" <<EOF
#!/bin/sh
echo "getent \$*" >>"$calls"
[ "\$1 \$2" = "passwd helhed" ] && [ -f "$tmp/user-made" ] && echo "helhed:x:999:999::/var/lib/helhed:/usr/sbin/nologin"
[ -f "$tmp/user-made" ]
EOF
cat >"$stubs/adduser" <<EOF
#!/bin/sh
echo "adduser \$*" >>"$calls"
touch "$tmp/user-made"
EOF
for cmd in chgrp chown deb-systemd-helper deb-systemd-invoke systemctl; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$cmd" "$calls" >"$stubs/$cmd"
done
# as on a first installation: no unit was installed by it before
# (deb-systemd-helper debian-installed fails; was-enabled succeeds)
echo '[ "$1" != debian-installed ]' >>"$stubs/deb-systemd-helper"
chmod 0755 "$stubs"/*
dpkg_root() {
	PATH="$stubs:$PATH" dpkg --root="$root" --force-script-chrootless \
		--force-depends --force-confold "$@"
}
if dpkg_root --install "$deb" >"$tmp/dpkg.out" 2>&1; then
	ok "dpkg --root installs the package, its maintainer scripts run"
else
	cat "$tmp/dpkg.out"
	bad "dpkg --root installs the package, its maintainer scripts run"
	finish
fi
check "dpkg says it is installed" \
	sh -c "dpkg --root='$root' -s helhed | grep -qx 'Status: install ok installed'"
sed 's/^/     called: /' "$calls"

check "the binary is in /usr/sbin, executable, stripped" \
	sh -c "test -x '$root/usr/sbin/helhed' && ! objdump -h '$root/usr/sbin/helhed' | grep -q debug_info"
check "the installed binary runs and says its version" \
	test "$("$root/usr/sbin/helhed" --version)" = "helhed $version"
check "web assets in /usr/share/helhed/web" \
	test -f "$root/usr/share/helhed/web/$(cd web && find . -type f | sort | head -1)"
check "the default content in /usr/share/helhed/content" \
	sh -c "test -f '$root/usr/share/helhed/content/organisations.json' && test -f '$root/usr/share/helhed/content/synonyms.txt'"
check "as many content files as the repository's" \
	test "$(find content -type f | wc -l)" -eq \
	"$(find "$root/usr/share/helhed/content" -type f | wc -l)"
check "copyright and changelog in /usr/share/doc/helhed" \
	sh -c "test -f '$root/usr/share/doc/helhed/copyright' && test -f '$root/usr/share/doc/helhed/changelog.gz'"
check "the TLS guide and the HAProxy and nginx examples in /usr/share/doc/helhed (o-tls)" \
	sh -c "test -f '$root/usr/share/doc/helhed/tls.md.gz' &&
		cmp -s docs/examples/haproxy-helhed.cfg '$root/usr/share/doc/helhed/examples/haproxy-helhed.cfg' &&
		cmp -s docs/examples/nginx-helhed.conf '$root/usr/share/doc/helhed/examples/nginx-helhed.conf'"
for unit in helhed.service helhed-backup.service helhed-backup.timer; do
	check "$unit in /lib/systemd/system" \
		cmp -s "debian/$unit" "$root/lib/systemd/system/$unit"
done
score=$(systemd-analyze security --offline=yes \
	"$root/lib/systemd/system/helhed-backup.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for helhed-backup.service: \([0-9.]*\).*/\1/p')
echo "     helhed-backup.service: systemd-analyze security ${score:-no score}"
check "systemd-analyze security scores the backup unit 2.0 or better" \
	awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'

# the unit's hardening as systemd scores it (0 best, 10 worst; 1.2 when
# written; docs/operations.md)
unit="$root/lib/systemd/system/helhed.service"
score=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null |
	sed -n 's/.*Overall exposure level for helhed.service: \([0-9.]*\).*/\1/p')
echo "     systemd-analyze security --offline=yes: ${score:-no score}"
check "systemd-analyze security scores the unit 2.0 or better" \
	awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'
for want in Type=notify User=helhed StateDirectory=helhed \
	ProtectSystem=strict ProtectHome=yes NoNewPrivileges=yes \
	PrivateTmp=yes PrivateDevices=yes MemoryDenyWriteExecute=yes \
	Restart=on-failure SystemCallFilter=@system-service \
	"RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"; do
	check "the unit says $want" grep -qx "$want" "$unit"
done

# the man page, from the --help texts
man -l "$root/usr/share/man/man8/helhed.8.gz" 2>"$tmp/man.err" |
	col -b >"$tmp/man.txt"
check "man helhed(8) renders without complaint" test ! -s "$tmp/man.err"
check "the man page has the commands and serve's options from --help" \
	sh -c "grep -q 'helhed serve' '$tmp/man.txt' && grep -q -- '--config FILE' '$tmp/man.txt' && grep -q -- '--log-level LEVEL' '$tmp/man.txt' && grep -q 'rotate-key' '$tmp/man.txt'"
check "the man page lists /etc/helhed/helhed.conf under FILES" \
	sh -c "sed -n '/^FILES/,\$p' '$tmp/man.txt' | grep -q /etc/helhed/helhed.conf"

# the conffile
conf="$root/etc/helhed/helhed.conf"
check "/etc/helhed/helhed.conf is a conffile" \
	sh -c "dpkg --root='$root' -s helhed | sed -n '/^Conffiles:/,/^[A-Z]/p' | grep -q '^ /etc/helhed/helhed.conf [0-9a-f]\{32\}'"
check "it is installed 0640, not readable by everyone" \
	test "$(stat -c %a "$conf")" = 640

# the scripts' work on the first installation
check "postinst made the system user helhed" \
	grep -q '^adduser --system --group .*--home /var/lib/helhed .* helhed$' "$calls"
check "postinst gave the configuration file to the group helhed" \
	grep -qx "chgrp helhed $conf" "$calls"
check "postinst enabled helhed.service" \
	grep -qx "deb-systemd-helper enable helhed.service" "$calls"
check "the backup timer is installed but not enabled" \
	sh -c "grep -qx 'deb-systemd-helper update-state helhed-backup.timer' '$calls' && ! grep -qx 'deb-systemd-helper enable helhed-backup.timer' '$calls'"
check "postinst made /var/backups/helhed, 0700, for helhed" \
	sh -c "test \"\$(stat -c %a '$root/var/backups/helhed')\" = 700 && grep -qx 'chown helhed:helhed $root/var/backups/helhed' '$calls'"
check "no systemctl in a root that is not running (DPKG_ROOT)" \
	sh -c "! grep -q '^systemctl\|^deb-systemd-invoke' '$calls'"

# reinstalled: the user exists, the administrator's change is kept
sed -i 's/^threads = 4$/threads = 8/' "$conf"
: >"$calls"
if dpkg_root --install "$deb" >"$tmp/dpkg2.out" 2>&1; then
	ok "installed a second time over itself"
else
	cat "$tmp/dpkg2.out"
	bad "installed a second time over itself"
fi
check "the second postinst made no second user" \
	sh -c "! grep -q '^adduser' '$calls'"
check "the administrator's change to the conffile is kept" \
	grep -qx 'threads = 8' "$conf"

# ---- the installed program with the installed configuration -------------
# The shipped file with this test's paths: it names only keys serve
# knows, with values it accepts.
state="$tmp/state"
mkdir -p "$state"
sed -e "s|^listen = .*|listen = 127.0.0.1:0|" \
	-e "s|/var/lib/helhed|$state|g" \
	-e "s|/usr/share/helhed|$root/usr/share/helhed|g" \
	"$conf" >"$tmp/serve.conf"
echo "quiet = yes" >>"$tmp/serve.conf"
env -u HELHED_DB -u HELHED_LISTEN -u HELHED_CONTENT -u HELHED_WEB \
	"$root/usr/sbin/helhed" serve --config "$tmp/serve.conf" \
	>"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
port=
i=0
while [ $i -lt 1200 ] && [ -z "$port" ] && kill -0 "$server" 2>/dev/null; do
	port=$(sed -n 's|.*serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.out")
	[ -n "$port" ] || sleep 0.1
	i=$((i + 1))
done
if [ -n "$port" ]; then
	ok "the installed binary serves with the installed configuration"
	check "it imported the installed content on the first start" \
		grep -q "First start: importing $root/usr/share/helhed/content" "$tmp/serve.out"
	check "/readyz is 200" \
		test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200
	check "the front page is 200" \
		test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" = 200
	curl -s -o "$tmp/style.css" "http://127.0.0.1:$port/static/style.css"
	check "the installed style sheet is served as /static/style.css" \
		cmp -s web/style.css "$tmp/style.css"
	check "it made the database and its key file in the state folder" \
		sh -c "test -f '$state/helhed.db' && test -f '$state/helhed.db.keys'"
	kill -TERM "$server"
	wait "$server"
	rc=$?
	server=
	check "SIGTERM stops it with status 0" test "$rc" -eq 0
else
	cat "$tmp/serve.out" "$tmp/serve.err"
	bad "the installed binary serves with the installed configuration"
fi

# ---- removed, then purged ----------------------------------------------
: >"$calls"
dpkg_root --remove helhed >"$tmp/dpkg3.out" 2>&1 ||
	cat "$tmp/dpkg3.out"
check "removed: the program is gone" test ! -e "$root/usr/sbin/helhed"
check "removed: the conffile stays until purge" test -f "$conf"
check "removed: postrm masked the units" \
	grep -qx "deb-systemd-helper mask helhed.service helhed-backup.timer" "$calls"
: >"$calls"
dpkg_root --purge helhed >"$tmp/dpkg4.out" 2>&1 || cat "$tmp/dpkg4.out"
check "purged: the conffile is gone" test ! -e "$conf"
check "purged: postrm forgot the units" \
	grep -qx "deb-systemd-helper purge helhed.service helhed-backup.timer" "$calls"
check "purged: the backups stay" test -d "$root/var/backups/helhed"
check "purged: dpkg no longer knows the package" \
	sh -c "! dpkg --root='$root' -s helhed >/dev/null 2>&1"

finish
