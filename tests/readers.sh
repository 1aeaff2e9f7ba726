# readers.sh: real checkers and readers on the shipped book and a test
# book ("make check-readers"):
#   - EPUBCheck with the EPUB 3.3 rules (epubcheck-ts): 0 errors, 0 warnings
#   - Ace by DAISY: 0 accessibility violations
#   - MuPDF: every page lays out, with no error, and the text (Han too) is
#     there
#   - calibre: EPUB to AZW3 and MOBI without a parser fallback or a crash,
#     and the title, the author and the Han text survive
# make deps installs them: chromium, mupdf-tools and calibre from Debian,
# Ace and epubcheck-ts from npm into tests/readers/node_modules.

rd=$top/tests/readers
nm=$rd/node_modules
export PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium
# calibre's Qt wants no display and, as root, no sandbox.
export QT_QPA_PLATFORM=offscreen QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox

mkc content -o "$T/cities.epub"
expect_rc "readers: the shipped book" 0
mkc tests/book/small -o "$T/small.epub"
expect_rc "readers: a test book" 0
mkc tests/book/photos -o "$T/photos.epub"
expect_rc "readers: a book with photographs" 0

# need CMD...: the tools are there, or the checks fail saying so.
need() {
	local c
	for c in "$@"; do
		if ! command -v "$c" >/dev/null; then
			fail "readers: $c is installed" "run make deps"
			return 1
		fi
	done
	return 0
}

for book in cities small photos; do
	b=$T/$book.epub

	# EPUB 3.3 rules.
	if need node && [ -f "$nm/@likecoin/epubcheck-ts/bin/epubcheck.js" ]; then
		node "$nm/@likecoin/epubcheck-ts/bin/epubcheck.js" "$b" -q \
		    -j "$T/$book.ts.json" >/dev/null 2>&1
		node -e '
			const d = JSON.parse(require("fs").readFileSync(
			    process.argv[1], "utf8"));
			const bad = (d.messages || []).filter(m => ["fatal",
			    "error", "warning"].includes(String(
			    m.severity).toLowerCase()));
			for (const m of bad)
				console.log(m.severity, m.ID, m.message);
			process.exit(bad.length ? 1 : 0);' "$T/$book.ts.json" \
		    >"$T/$book.ts.out" 2>&1
		if [ $? = 0 ]; then
			pass "readers: $book: EPUB 3.3 rules, no error or warning"
		else
			fail "readers: $book: EPUB 3.3 rules" "$(cat "$T/$book.ts.out")"
		fi
	else
		fail "readers: epubcheck-ts is installed" "run make deps"
	fi

	# Accessibility.
	if need node chromium && [ -f "$nm/@daisy/ace-cli/bin/ace.js" ]; then
		mkdir -p "$T/$book.ace" "$T/$book.acetmp"
		XDG_STATE_HOME="$T/$book.acetmp" TMPDIR="$T/$book.acetmp" \
		    node "$nm/@daisy/ace-cli/bin/ace.js" -f -o "$T/$book.ace" \
		    -t "$T/$book.acetmp/work" "$b" >"$T/$book.ace.log" 2>&1
		node -e '
			const r = JSON.parse(require("fs").readFileSync(
			    process.argv[1], "utf8"));
			let n = 0;
			for (const doc of r.assertions || [])
				for (const a of doc.assertions || [])
					if (a["earl:result"]["earl:outcome"] ===
					    "fail") {
						n++;
						console.log(a["earl:test"]["dct:title"],
						    doc["earl:testSubject"].url);
					}
			process.exit(n ? 1 : 0);' "$T/$book.ace/report.json" \
		    >"$T/$book.ace.out" 2>&1
		if [ $? = 0 ]; then
			pass "readers: $book: Ace, no violation"
		else
			fail "readers: $book: Ace" "$(cat "$T/$book.ace.out" \
			    "$T/$book.ace.log" | head -n 30)"
		fi
	else
		fail "readers: Ace is installed" "run make deps"
	fi

	# MuPDF lays out every page.
	if need mutool; then
		mkdir -p "$T/$book.mu"
		mutool draw -q -F txt -o "$T/$book.mu/page%d.txt" "$b" \
		    2>"$T/$book.mu.err"
		mutool draw -q -r 72 -o "$T/$book.mu/page%d.png" "$b" 1-4 \
		    2>>"$T/$book.mu.err"
		# Debian's build says these of every book; they are not ours.
		grep -vE 'ICC support is not available|unknown epub version' \
		    "$T/$book.mu.err" >"$T/$book.mu.errs"
		check "readers: $book: MuPDF, no error" [ ! -s "$T/$book.mu.errs" ]
		check "readers: $book: MuPDF, pages drawn" \
		    [ -s "$T/$book.mu/page1.png" ]
		# Lines end where the page does: search the text as one line.
		cat "$T"/$book.mu/page*.txt | tr -d '\n' >"$T/$book.mu.txt"
		case $book in
		cities) words='Coal, Steel and Ice|鞍山|The Culinary Frontlines|blueprint for dignity in disruption' ;;
		small) words='Two Cities of the Grand Canal|杭州|上有天堂|Leifeng Pagoda' ;;
		photos) words='Northern Shores|The Ice and Snow World at dusk|Zhongshan Square' ;;
		esac
		IFS='|'
		for w in $words; do
			check "readers: $book: MuPDF shows '$w'" \
			    grep -qF "$w" "$T/$book.mu.txt"
		done
		unset IFS
	fi

	# calibre: Kindle's formats.
	if need ebook-convert ebook-meta; then
		for fmt in azw3 mobi; do
			ebook-convert "$b" "$T/$book.$fmt" -vv \
			    >"$T/$book.$fmt.log" 2>&1
			r=$?
			if [ $r = 0 ] && [ -s "$T/$book.$fmt" ] && ! grep -qE \
			    'Initial parse failed|Traceback' "$T/$book.$fmt.log"
			then
				pass "readers: $book: calibre makes $fmt"
			else
				fail "readers: $book: calibre makes $fmt" \
				    "$(grep -E 'Initial parse|Traceback|rror' \
				    "$T/$book.$fmt.log" | head -n 20)"
				continue
			fi
			ebook-meta "$T/$book.$fmt" >"$T/$book.$fmt.meta" 2>&1
			ebook-convert "$T/$book.$fmt" "$T/$book.$fmt.txt" \
			    >/dev/null 2>&1
			case $book in
			cities) want='Coal, Steel and Ice|The mkcitybook Authors|鞍山' ;;
			small) want='Two Cities of the Grand Canal|Test Author|杭州' ;;
			photos) want='Northern Shores|Test Author|Dalian' ;;
			esac
			check "readers: $book: $fmt keeps the title" grep -qF \
			    "${want%%|*}" "$T/$book.$fmt.meta"
			a=${want#*|}
			check "readers: $book: $fmt keeps the author" grep -qF \
			    "${a%%|*}" "$T/$book.$fmt.meta"
			check "readers: $book: $fmt keeps the text" grep -qF \
			    "${want##*|}" "$T/$book.$fmt.txt"
		done
	fi
done

# An image without alt text is a warning, and Ace must say so too: the
# book does not hide the gap with an empty alt.
mkdir -p "$T/noalt"
printf 'title: T\n' >"$T/noalt/book.yaml"
printf 'Text.\n\n![](p.jpg)\n' >"$T/noalt/a.md"
cp "$top/tests/book/photos/dalian.jpg" "$T/noalt/p.jpg"
mkc "$T/noalt" -o "$T/noalt.epub"
if [ -f "$nm/@daisy/ace-cli/bin/ace.js" ] && command -v chromium >/dev/null
then
	mkdir -p "$T/noalt.ace" "$T/noalt.tmp"
	XDG_STATE_HOME="$T/noalt.tmp" TMPDIR="$T/noalt.tmp" \
	    node "$nm/@daisy/ace-cli/bin/ace.js" -f -o "$T/noalt.ace" \
	    -t "$T/noalt.tmp/work" "$T/noalt.epub" >/dev/null 2>&1
	check "readers: Ace reports the image without alt text" \
	    grep -q '"image-alt"' "$T/noalt.ace/report.json"
fi
