#!/bin/bash
# run.sh: mkcitybook's test suite; "make check" runs it.
#
# usage: tests/run.sh [--update] [--verbose] [SECTION...]
#   SECTION: unit parse typo seeds book repro errors faults install
#            epubcheck docs (default: all, in that order), and readers
#            (make check-readers)
#   --update   rewrite the goldens from what mkcitybook does now; review
#              the result with "git diff" before committing it
#   --verbose  print passing checks too
#
# Environment:
#   MKC        the program to test (default: ./mkcitybook)
#   MKC_WRAP   a command to run it under, such as valgrind
#   EPUBCHECK  0 to skip EPUBCheck (the sanitizer runs do: the books are
#              the same bytes as in the plain run, which checks them)
#   EPUBCHECK_JAR  default /usr/share/java/epubcheck.jar
#   VALGRIND   1 to run every mkcitybook under valgrind; any error or
#              definite leak fails the suite
#   UNIT       the unit-test program (default: build/unit)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=1700000000
MKC=${MKC:-$top/mkcitybook}
case $MKC in /*) ;; *) MKC=$top/$MKC ;; esac
UPDATE=
VERBOSE=
sections=
for a in "$@"; do
	case $a in
	--update) UPDATE=1 ;;
	--verbose|-v) VERBOSE=1 ;;
	-*) echo "usage: tests/run.sh [--update] [--verbose] [SECTION...]" >&2
	    exit 2 ;;
	*) sections="$sections $a" ;;
	esac
done
[ -n "$sections" ] ||
	sections="unit parse typo seeds book repro errors faults install epubcheck docs"
[ -x "$MKC" ] || { echo "run.sh: no $MKC; run make first" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/mkcitybook-test.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$T" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
mkdir -p "$T/books"

if [ -n "${VALGRIND:-}" ]; then
	command -v valgrind >/dev/null ||
	    { echo "run.sh: valgrind is missing: make deps" >&2; exit 2; }
	MKC_VGLOG=$T/valgrind
	MKC_WRAP="valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full --trace-children=yes
	    --trace-children-skip=/bin/*,/usr/bin/*
	    --show-leak-kinds=definite,indirect
	    --errors-for-leak-kinds=definite,indirect
	    --suppressions=$top/tests/valgrind.supp --log-file=$MKC_VGLOG.%p"
	export MKC_WRAP
fi

. "$top/tests/lib.sh"

for s in $sections; do
	[ -f "$top/tests/$s.sh" ] || { echo "run.sh: no section $s" >&2; exit 2; }
	echo "# $s"
	. "$top/tests/$s.sh"
done

# Under valgrind, the wrapper writes its reports to logs.
if [ -n "${MKC_VGLOG:-}" ]; then
	for log in "$MKC_VGLOG".*; do
		[ -s "$log" ] || continue
		fail "valgrind: $(basename "$log")" "$(head -n 60 "$log")"
	done
fi

echo "# $ntests checks, $nfail failed"
[ "$nfail" = 0 ]
