#!/bin/sh
# picture.sh: redraws tests/readers/pages.png, the picture in the README:
# the cover and the first page of the Anshan chapter of the shipped book,
# as MuPDF lays them out.  Needs mupdf-tools and imagemagick.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./mkcitybook -q content -o "$tmp/cities.epub"
mutool draw -q -F txt -o "$tmp/t%d.txt" "$tmp/cities.epub" 2>/dev/null
page=
for t in "$tmp"/t*.txt; do
	[ "$(head -n 1 "$t")" = Anshan ] || continue
	page=${t##*/t}
	page=${page%.txt}
done
mutool draw -q -r 84 -o "$tmp/p%d.png" "$tmp/cities.epub" "1,$page" \
    2>/dev/null
convert "$tmp/p1.png" "$tmp/p$page.png" -bordercolor '#dddddd' \
    -border 1 -bordercolor white -border 12 +append -strip \
    tests/readers/pages.png
echo "picture.sh: wrote tests/readers/pages.png (page $page)"
