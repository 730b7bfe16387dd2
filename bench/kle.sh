#!/bin/sh
# kle.sh - kle (issue 15): `helhed import-kle` on a generated emneplan of
# the real one's size (KLE-XML 2.0, 60 main groups, 720 groups, 4,320
# subjects, guidance texts: about 5 MB; titles made up), first into an
# empty SQLite store and then again (nothing changes), beside the peer:
# libxml2's own `xmllint --stream` reading the same file, and the
# command's start-up alone (`helhed migrate` on the same database).
# Wall-clock seconds, best of 3. The file is on disk (TMPDIR, default /tmp).
# Usage: bench/kle.sh BUILD_DIR
set -eu
build=${1:-build}
bin=$build/helhed
tmp=$(mktemp -d "${TMPDIR:-/tmp}/helhed-bench-kle-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/emneplan.xml" <<'PY'
import sys
vej = ('<VejledningTekst><p>' + 'Opdigtet vejledningstekst om emnet. ' * 18
       + '</p></VejledningTekst>')
def adm(k):
    return (f'<{k}AdministrativInfo><OprettetDato>1990-01-01</OprettetDato>'
            f'<RettetDato>2010-01-01</RettetDato></{k}AdministrativInfo>')
out = ['<?xml version="1.0" encoding="UTF-8"?>\n<KLE-Emneplan>\n'
       '<UdgivelsesDato>2026-03-01</UdgivelsesDato>\n']
for h in range(60):
    H = '%02d' % h
    out.append(f'<Hovedgruppe><HovedgruppeNr>{H}</HovedgruppeNr><HovedgruppeTitel>'
               f'Prøvehovedgruppe {H}</HovedgruppeTitel><HovedgruppeVejledning>{vej}'
               f'</HovedgruppeVejledning>{adm("Hovedgruppe")}\n')
    for g in range(12):
        G = f'{H}.{g * 5:02d}'
        out.append(f'<Gruppe><GruppeNr>{G}</GruppeNr><GruppeTitel>Prøvegruppe {G}'
                   f'</GruppeTitel><GruppeVejledning>{vej}</GruppeVejledning>'
                   f'{adm("Gruppe")}\n')
        for e in range(6):
            E = f'{G}.{e * 2:02d}'
            out.append(f'<Emne><EmneNr>{E}</EmneNr><EmneTitel>Prøveemne {E} om en '
                       f'opdigtet opgave</EmneTitel><EmneVejledning>{vej}'
                       f'</EmneVejledning>{adm("Emne")}<BevaringJaevnfoerArkivloven>'
                       f'K</BevaringJaevnfoerArkivloven></Emne>\n')
        out.append('</Gruppe>\n')
    out.append('</Hovedgruppe>\n')
out.append('</KLE-Emneplan>\n')
open(sys.argv[1], 'w').write(''.join(out))
PY
now() { date +%s.%N; }
best() { # best of 3 wall-clock seconds of "$@", output dropped
	b=
	for i in 1 2 3; do
		t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
		b=$(echo "$t0 $t1 ${b:-999}" | awk '{d = $2 - $1; print (d < $3 ? d : $3)}')
	done
	echo "$b"
}
size=$(wc -c <"$tmp/emneplan.xml")
"$bin" migrate --db "$tmp/h.db" >/dev/null 2>&1
t0=$(now); "$bin" import-kle "$tmp/emneplan.xml" --db "$tmp/h.db" >"$tmp/first.out"; t1=$(now)
first=$(echo "$t0 $t1" | awk '{print $2 - $1}')
again=$(best "$bin" import-kle "$tmp/emneplan.xml" --db "$tmp/h.db")
peer=$(best xmllint --stream --noout "$tmp/emneplan.xml")
start=$(best "$bin" migrate --db "$tmp/h.db")
echo "emneplan: $size bytes; $(head -1 "$tmp/first.out")"
printf 'helhed import-kle, into an empty store: %.3f s\n' "$first"
printf 'helhed import-kle, the same file again:  %.3f s (nothing changes)\n' "$again"
printf 'peer: xmllint --stream reading it:       %.3f s\n' "$peer"
printf 'helhed start-up alone (migrate):         %.3f s\n' "$start"
