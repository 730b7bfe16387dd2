#!/bin/sh
# build-deb.sh - the Debian package helhed_VERSION_amd64.deb from the binary
# already built (make deb; docs/operations.md).
#
# Usage: build-deb.sh [BUILD_DIR]   (default build; the package and its
#                                    staged tree go to BUILD_DIR/deb)
#
# Why dpkg-deb from a staged tree and not dpkg-buildpackage: the package
# is made from the objects of a build folder (make deb: build-deb, compiled
# with dpkg-buildflags' hardening flags; the test that installs the package,
# tests/deb/test_deb.sh run by make test: the ordinary build), so the test
# takes seconds instead of a second full build of the program in a clean
# tree on the machine's two cores. The Debian parts that matter are still Debian's
# own tools: dpkg-shlibdeps finds the library packages the binary links
# (${shlibs:Depends}, never a hand-written list), dpkg-gencontrol writes the
# control file from debian/control and debian/changelog (the version, the
# installed size), dpkg-deb builds the archive with root as the owner of
# every file, and help2man writes helhed(8) from the --help texts. What
# debhelper would add, we write in debian/ by hand: the maintainer scripts
# (the dh_installsystemd snippets), the conffile list, md5sums.
set -eu

build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin="$build/helhed"
[ -x "$bin" ] || { echo "build-deb: no $bin (make $bin first)" >&2; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps dpkg-gencontrol dpkg-parsechangelog help2man; do
	command -v "$tool" >/dev/null || {
		echo "build-deb: $tool is missing (scripts/install-deps.sh)" >&2
		exit 1
	}
done

version=$(dpkg-parsechangelog -l debian/changelog -S Version)
own=$("$bin" --version | sed -n 's/^helhed //p')
if [ "$version" != "$own" ]; then
	echo "build-deb: debian/changelog says $version, helhed --version $own" >&2
	exit 1
fi
arch=$(dpkg --print-architecture)
out="$build/deb"
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN"
# whatever the caller's umask, the tree's modes are the package's
umask 022

# the program: the objects make built, linked again with Debian's
# hardening link flags (dpkg-buildflags: full RELRO, bind now), stripped
# (lintian: unstripped-binary-or-object)
env -u MAKEFLAGS -u MFLAGS make --no-print-directory BUILD="$build" \
	"$out/helhed" >/dev/null
install -D -m 0755 "$out/helhed" "$stage/usr/sbin/helhed"
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$stage/usr/sbin/helhed"

# the web assets and the default content, imported on the first start
mkdir -p "$stage/usr/share/helhed"
cp -R web content "$stage/usr/share/helhed/"
find "$stage/usr/share/helhed" -type d -exec chmod 0755 {} +
find "$stage/usr/share/helhed" -type f -exec chmod 0644 {} +

# helhed(8) from the --help texts: the main text by help2man, then each
# command's own --help as a section (as no-fill text, each line guarded
# with \& so that none is read as a roff request)
inc="$out/helhed.h2m"
{
	echo "[COMMANDS]"
	# the commands as helhed --help lists them, so a new one is in
	for cmd in $("$bin" --help | sed -n '/^Commands:/,/^$/p' |
		awk 'NR > 1 && NF { print $1 }'); do
		"$bin" "$cmd" --help >"$out/help.txt" || {
			echo "build-deb: helhed $cmd --help failed" >&2
			exit 1
		}
		echo ".SS \"helhed $cmd\""
		echo ".nf"
		sed -e 's/\\/\\e/g' -e 's/^/\\\&/' "$out/help.txt"
		echo ".fi"
	done
	echo "[FILES]"
	echo ".TP"
	echo ".I /etc/helhed/helhed.conf"
	echo "settings of helhed serve, \"key = value\" lines (a flag wins over the"
	echo "environment, the environment over the file)"
	echo ".TP"
	echo ".I /var/lib/helhed"
	echo "the database, the key file of the CPR numbers and the Digital Post spool"
	echo ".TP"
	echo ".I /lib/systemd/system/helhed.service"
	echo "the systemd service"
	echo "[SEE ALSO]"
	echo "The operations guide, docs/operations.md in helhed's repository."
} >"$inc"
mkdir -p "$stage/usr/share/man/man8"
help2man --no-info --section=8 --source="helhed $version" \
	--manual="System Administration" \
	--name="citizen-service platform for Danish municipalities" \
	--include="$inc" --output="$out/helhed.8" "$bin"
gzip -9n -c "$out/helhed.8" >"$stage/usr/share/man/man8/helhed.8.gz"

# the documentation Debian asks for: copyright, and a native package's
# changelog
mkdir -p "$stage/usr/share/doc/helhed"
install -m 0644 debian/copyright "$stage/usr/share/doc/helhed/copyright"
gzip -9n -c debian/changelog >"$stage/usr/share/doc/helhed/changelog.gz"
# o-tls (issue 17): TLS in front, the guide and the proxies' examples
gzip -9n -c docs/tls.md >"$stage/usr/share/doc/helhed/tls.md.gz"
mkdir -p "$stage/usr/share/doc/helhed/examples"
install -m 0644 docs/examples/haproxy-helhed.cfg docs/examples/nginx-helhed.conf \
	"$stage/usr/share/doc/helhed/examples/"

# what lintian is told on purpose (the reasons are in the file)
install -D -m 0644 debian/helhed.lintian-overrides \
	"$stage/usr/share/lintian/overrides/helhed"

# the service and its settings (a conffile: dpkg keeps the
# administrator's changes on upgrade); 0640, the group made helhed by
# postinst, since the file may name secret files
for unit in helhed.service helhed-backup.service helhed-backup.timer; do
	install -D -m 0644 "debian/$unit" "$stage/lib/systemd/system/$unit"
done
install -D -m 0640 debian/helhed.conf "$stage/etc/helhed/helhed.conf"
echo /etc/helhed/helhed.conf >"$stage/DEBIAN/conffiles"
for s in postinst prerm postrm; do
	install -m 0755 "debian/$s" "$stage/DEBIAN/$s"
done

# Depends from the libraries the binary links; then the control file
: >"$out/substvars"
dpkg-shlibdeps -T"$out/substvars" "$stage/usr/sbin/helhed"
dpkg-gencontrol -phelhed -P"$stage" -T"$out/substvars" -f"$out/files" \
	-DArchitecture="$arch"
(cd "$stage" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' |
	sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/md5sums" "$stage/DEBIAN/conffiles" \
	"$stage/DEBIAN/control"

deb="$out/helhed_${version}_${arch}.deb"
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l debian/changelog -S Timestamp) \
	dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
