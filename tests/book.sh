# book.sh: whole books.  Each folder tests/book/NAME is a content folder;
# NAME.expected holds the unpacked book and NAME.zipinfo its entries.
# The shipped book is checked for what the project promises of it.
for dir in "$top"/tests/book/*/; do
	dir=${dir%/}
	case $dir in *.expected) continue ;; esac
	name=$(basename "$dir")
	mkc "$dir" -o "$T/$name.epub"
	expect_rc "book/$name" 0
	[ -f "$T/$name.epub" ] || continue
	keep_book "$T/$name.epub"
	zip_listing "$T/$name.epub" >"$T/$name.zipinfo"
	golden "book/$name: zip entries" "$T/$name.zipinfo" \
	    "$top/tests/book/$name.zipinfo"
	unpack "$T/$name.epub" "$T/$name.x"
	# A drawn cover depends on the fonts installed: checked apart.
	[ -f "$dir/cover.jpg" ] || [ -f "$dir/cover.png" ] ||
	    { rm -f "$T/$name.x/EPUB/images/cover.png"
	    rmdir "$T/$name.x/EPUB/images" 2>/dev/null; }
	if [ -n "$UPDATE" ]; then
		rm -rf "$top/tests/book/$name.expected"
		cp -R "$T/$name.x" "$top/tests/book/$name.expected"
		pass "book/$name: files (updated)"
	elif diff -r "$top/tests/book/$name.expected" "$T/$name.x" \
	    >"$T/diff" 2>&1; then
		pass "book/$name: files"
	else
		fail "book/$name: files" "$(cat "$T/diff")"
	fi
done

# Links between chapters land on what they name.
px=$T/photos.x/EPUB/text
check "photos: a link to another chapter" \
    grep -q '<a href="dalian.xhtml">Dalian</a>' "$px/harbin.xhtml"
check "photos: a link to a heading of another chapter" sh -c \
    "grep -q 'href=\"dalian.xhtml#zhongshan-square\"' '$px/harbin.xhtml' &&
    grep -q 'id=\"zhongshan-square\"' '$px/dalian.xhtml'"
check "photos: every image has its alt text" \
    [ "$(cat "$px"/*.xhtml | grep -o '<img [^>]*>' | grep -vc 'alt=')" = 0 ]

# A book whose contents would give the NCX over 5,000 entries: the NCX
# lists the chapters alone (EPUB 2 readers load it whole), and the EPUB 3
# contents keep every section.
mkdir -p "$T/rooms"
{ printf -- '---\ntitle: Many Rooms\n---\n\n'
  seq 1 5000 | awk '{ printf "## Room %d\n\nRoom %d is quiet.\n\n", $1, $1 }'
} >"$T/rooms/rooms.md"
mkc "$T/rooms" --title Rooms -o "$T/rooms.epub"
expect_rc "rooms" 0
keep_book "$T/rooms.epub"
unpack "$T/rooms.epub" "$T/rooms.x"
check "rooms: the NCX has the chapters alone" \
    [ "$(grep -c '<navPoint' "$T/rooms.x/EPUB/toc.ncx")" = 3 ]
check "rooms: the NCX says one level" \
    grep -q '<meta name="dtb:depth" content="1"/>' "$T/rooms.x/EPUB/toc.ncx"
check "rooms: the contents have every section" \
    [ "$(grep -c 'href="text/many-rooms.xhtml#room-' "$T/rooms.x/EPUB/nav.xhtml")" = 5000 ]

# The book the project ships.
mkc content -o "$T/cities.epub"
expect_rc "content: builds" 0
keep_book "$T/cities.epub"
unpack "$T/cities.epub" "$T/cities.x"
x=$T/cities.x/EPUB
h1s=$(sed -n 's:.*<h1 id="chapter-title">\(.*\)</h1>.*:\1:p' \
    "$x/text/qitaihe.xhtml" "$x/text/anshan.xhtml" \
    "$x/text/pingdingshan.xhtml" | tr '\n' ' ')
check "content: three chapters, in order" \
    [ "$h1s" = "Qitaihe Anshan Pingdingshan " ]
check "content: no keyword spam" \
    [ "$(cat "$x"/text/*.xhtml | grep -c 'Albania culture')" = 0 ]
check "content: the contents show the sections" \
    grep -q 'href="text/anshan.xhtml#the-culinary-frontlines"' "$x/nav.xhtml"
check "content: the NCX has the package's identifier" \
    grep -q "<meta name=\"dtb:uid\" content=\"$(sed -n \
    's:.*<dc\:identifier id="pub-id">\(.*\)</dc\:identifier>.*:\1:p' \
    "$x/content.opf")\"/>" "$x/toc.ncx"
check "content: the title from book.yaml" \
    grep -q '<dc:title id="title">Coal, Steel and Ice</dc:title>' \
    "$x/content.opf"

# The drawn cover: a 1200 x 1920 PNG, the same bytes every time.
check "content: a drawn cover, 1200 x 1920 PNG" [ "$(od -An -tx1 -j 12 -N 12 \
    "$x/images/cover.png" | tr -d ' \n')" = "49484452000004b000000780" ]
# ... that a real decoder reads whole (our own PNG writer made it).
check "content: the drawn cover decodes, every pixel (MuPDF)" sh -c \
    "mutool draw -q -r 96 -o '$T/cover.ppm' '$x/images/cover.png' \
    2>/dev/null && [ \"\$(head -n 3 '$T/cover.ppm' | tr '\n' ' ')\" = \
    'P6 1200 1920 255 ' ] && [ \$(wc -c <'$T/cover.ppm') = 6912017 ]"
mkc content -o "$T/cities2.epub"
unpack "$T/cities2.epub" "$T/cities2.x"
check "content: the same cover twice" \
    cmp -s "$x/images/cover.png" "$T/cities2.x/EPUB/images/cover.png"
check "content: the cover, marked both ways" sh -c \
    "grep -q 'properties=\"cover-image\"' '$x/content.opf' &&
    grep -q '<meta name=\"cover\" content=\"cover-image\"/>' '$x/content.opf'"

# The container's first bytes: a local header (PK\3\4), method 0
# (stored), a name of 8 bytes and no extra field, so that
# "application/epub+zip" sits at byte 38.
head -c 58 "$T/cities.epub" | od -An -tx1 | tr -d ' \n' >"$T/head"
check "content: mimetype first and stored" \
    [ "$(cut -c1-8 "$T/head") $(cut -c17-20 "$T/head") $(cut -c53-60 "$T/head")" \
    = "504b0304 0000 08000000" ]
check "content: application/epub+zip at byte 38" \
    [ "$(head -c 58 "$T/cities.epub" | tail -c 28)" = \
    "mimetypeapplication/epub+zip" ]
