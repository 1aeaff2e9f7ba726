# errors.sh: the catalogue of bad input.  Each case gives mkcitybook a
# problem and checks its exact message and exit status (0 success, 1 bad
# input or I/O, 2 usage), and that no book was written.

# err_case NAME STATUS MESSAGE ARGS...: run in $T/e, compare.
err_case() {
	local name=$1 want=$2 text=$3
	shift 3
	rm -f "$T/e/x.epub"
	cd "$T/e" || return
	mkc "$@"
	cd "$top" || return
	expect_rc "$name" "$want"
	expect_err "$name" "$text"
	if [ "$want" != 0 ] && [ -e "$T/e/x.epub" ]; then
		fail "$name: no book" "x.epub was written"
	fi
}

usage='usage: mkcitybook [options] DIR -o FILE (mkcitybook --help for more)'
mkdir -p "$T/e/empty" "$T/e/noart" "$T/e/bad" "$T/e/out" "$T/e/ok"
: >"$T/e/afile"
echo 'not an article' >"$T/e/noart/photo.jpg"
printf 'Good.\n\nBad \351 byte.\n' >"$T/e/bad/a.txt"
printf 'Harbin is cold in winter.\n' >"$T/e/ok/harbin.txt"

# Usage errors.
err_case "no folder" 2 "mkcitybook: error: no folder of articles given
$usage"
err_case "no -o" 2 "mkcitybook: error: no book to write: give its name with -o FILE
$usage" ok
err_case "unknown long option" 2 "mkcitybook: error: unknown option '--bogus'
$usage" --bogus ok -o x.epub
err_case "unknown short option" 2 "mkcitybook: error: unknown option '-x'
$usage" -x ok -o x.epub
err_case "option without value" 2 "mkcitybook: error: option '-o' needs a value
$usage" ok -o
err_case "two folders" 2 "mkcitybook: error: one folder at a time, not 'empty' as well
$usage" ok empty -o x.epub
err_case "bad --lang" 2 "mkcitybook: error: invalid language tag 'en_US' for --lang: subtags are separated by '-', not '_'
$usage" --lang en_US ok -o x.epub
err_case "bad --jobs" 2 "mkcitybook: error: --jobs wants a number from 1 to 256, not '0'
$usage" -j 0 ok -o x.epub

# The folder.
err_case "missing folder" 1 "mkcitybook: nosuch: error: no such folder
mkcitybook: error: no book written" nosuch -o x.epub
err_case "a file, not a folder" 1 "mkcitybook: afile: error: not a folder; give the folder that holds the articles
mkcitybook: error: no book written" afile -o x.epub
err_case "empty folder" 1 "mkcitybook: empty: error: the folder is empty
mkcitybook: error: no book written" empty -o x.epub
err_case "no articles" 1 "mkcitybook: noart: error: no articles in the folder (.txt or .md files)
mkcitybook: error: no book written" noart -o x.epub

# One article.
err_case "invalid UTF-8" 1 "mkcitybook: bad/a.txt:3:5: error: invalid UTF-8 (byte 0xE9); use --input-encoding if the file is not UTF-8
mkcitybook: error: no book written" bad -o x.epub

# The output.
err_case "output in a missing folder" 1 "mkcitybook: nodir/x.epub: error: cannot write the book: no folder 'nodir'" ok -o nodir/x.epub
err_case "output is a folder" 1 "mkcitybook: out: error: is a folder; give the name of the book to write, like out/book.epub" ok -o out

# The environment.
SOURCE_DATE_EPOCH=yesterday err_case "bad SOURCE_DATE_EPOCH" 1 \
    "mkcitybook: error: SOURCE_DATE_EPOCH must be a number of seconds since 1970, not 'yesterday'" ok -o x.epub

# Success exits 0; warnings are allowed.
err_case "no title" 0 "mkcitybook: ok: warning: no title in book.yaml; calling the book 'Harbin' (or use --title)" ok -o x.epub
err_case "a good folder" 0 "" --title Harbin ok -o x.epub

# Images.
P=$top/tests/book/photos
imgcase() {	# imgcase DIR: a folder with a title, for one image case
	mkdir -p "$T/e/$1"
	printf 'title: T\n' >"$T/e/$1/book.yaml"
}
imgcase missing-img
printf 'Text.\n\n![A ship](nope.jpg)\n' >"$T/e/missing-img/a.md"
err_case "a missing image" 1 "mkcitybook: missing-img/a.md:3: error: image 'nope.jpg' not found
mkcitybook: error: no book written" missing-img -o x.epub
imgcase gif
printf 'Text.\n' >"$T/e/gif/a.txt"
mkdir -p "$T/e/gif/a"
printf 'GIF89a\1\0\1\0' >"$T/e/gif/a/x.gif"
err_case "a GIF beside an article" 1 "mkcitybook: gif/a/x.gif: error: not a JPEG or PNG image: save photographs as JPEG (or PNG), which every reader shows
mkcitybook: error: no book written" gif -o x.epub
imgcase webp
printf 'Text.\n\n![A ship](x.webp)\n' >"$T/e/webp/a.md"
printf 'RIFF\0\0\0\0WEBPVP8 ' >"$T/e/webp/x.webp"
err_case "a WebP image" 1 "mkcitybook: webp/a.md:3: error: image 'x.webp' is not a JPEG or PNG image; it is a RIFF file (WebP, WAV or AVI)
mkcitybook: error: no book written" webp -o x.epub
imgcase fake
printf 'Text.\n' >"$T/e/fake/a.txt"
echo 'not a jpeg' >"$T/e/fake/a.jpg"
err_case "a .jpg that is not one" 1 "mkcitybook: fake/a.jpg: error: image 'a.jpg' is not a JPEG or PNG image
mkcitybook: error: no book written" fake -o x.epub
imgcase outside
printf 'Text.\n\n![A ship](../outside.jpg)\n' >"$T/e/outside/a.md"
cp "$P/dalian.jpg" "$T/e/outside.jpg"
err_case "an image outside the folder" 1 "mkcitybook: outside/a.md:3: error: image '../outside.jpg' is outside the folder; images must be in it
mkcitybook: error: no book written" outside -o x.epub
imgcase noalt
printf 'Text.\n\n![](p.jpg)\n' >"$T/e/noalt/a.md"
cp "$P/dalian.jpg" "$T/e/noalt/p.jpg"
err_case "an image without alt text" 0 "mkcitybook: noalt/a.md:3: warning: image 'p.jpg' has no alt text: describe it in ![...] or in p.jpg.txt" noalt -o x.epub
unpack "$T/e/x.epub" "$T/e/noalt.x"
check "an image without alt text: no WCAG claim" \
    [ "$(grep -c conformsTo "$T/e/noalt.x/EPUB/content.opf")" = 0 ]
check "an image without alt text: no alt attribute to hide it" \
    grep -q '<img src="../images/p.jpg"/>' "$T/e/noalt.x/EPUB/text/a.xhtml"
keep_book "$T/e/x.epub"
mkdir -p "$T/e/cover1" "$T/e/cover2"
printf 'title: T\ncover: missing.jpg\n' >"$T/e/cover1/book.yaml"
printf 'Text.\n' >"$T/e/cover1/a.txt"
err_case "a missing cover" 1 "mkcitybook: cover1/book.yaml:2: error: cover image 'missing.jpg' not found
mkcitybook: error: no book written" cover1 -o x.epub
printf 'title: T\ncover: a.txt\n' >"$T/e/cover2/book.yaml"
printf 'Text.\n' >"$T/e/cover2/a.txt"
err_case "a cover that is not an image" 1 "mkcitybook: cover2/book.yaml:2: error: cover image 'a.txt' is not a JPEG or PNG image
mkcitybook: error: no book written" cover2 -o x.epub

# Templates.
mkdir -p "$T/e/tpl1" "$T/e/tpl2" "$T/e/tpl3" "$T/e/tpl4"
head='<?xml version="1.0"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:mkc="urn:mkcitybook:template">
<head><title><mkc:title/></title></head>
<body>'
printf '%s\n<p>Unclosed\n<mkc:body/>\n</body>\n</html>\n' "$head" \
    >"$T/e/tpl1/chapter.xhtml"
err_case "a malformed template" 1 "mkcitybook: tpl1/chapter.xhtml:7: error: malformed XHTML: Opening and ending tag mismatch: p line 5 and body" \
    --templates tpl1 ok -o x.epub
printf '%s\n<h1><mkc:title/></h1>\n</body>\n</html>\n' "$head" \
    >"$T/e/tpl2/chapter.xhtml"
err_case "a template without its slot" 1 "mkcitybook: tpl2/chapter.xhtml:4: error: missing slot <mkc:body/>: mkcitybook has nowhere to put the text" \
    --templates tpl2 ok -o x.epub
printf '%s\n<mkc:sidebar/>\n<mkc:body/>\n</body>\n</html>\n' "$head" \
    >"$T/e/tpl3/chapter.xhtml"
err_case "a template with an unknown slot" 1 "mkcitybook: tpl3/chapter.xhtml:5: error: unknown slot <mkc:sidebar/>; chapter.xhtml takes title subtitle byline body" \
    --templates tpl3 ok -o x.epub
printf 'p { margin: calc(1em + 2px); }\n' >"$T/e/tpl4/book.css"
err_case "a stylesheet Adobe would drop" 0 "mkcitybook: tpl4/book.css:1: warning: calc() makes Adobe-engine readers (Kobo, Nook, Adobe Digital Editions) drop the whole stylesheet" \
    --templates tpl4 --title T ok -o x.epub
unpack "$T/e/x.epub" "$T/e/tpl4.x"
check "a custom stylesheet is the book's" \
    cmp -s "$T/e/tpl4/book.css" "$T/e/tpl4.x/EPUB/css/book.css"

# Exporting the templates: all of them, never over a user's own.
err_case "export the templates" 0 "" --export-templates exp
for f in chapter.xhtml titlepage.xhtml cover.xhtml colophon.xhtml \
    nav.xhtml book.css; do
	check "export: $f is the built-in one" \
	    cmp -s "$T/e/exp/$f" "$top/templates/$f"
done
echo 'p { color: inherit; }' >"$T/e/exp/book.css"
err_case "export over a user's templates" 1 "mkcitybook: exp/chapter.xhtml: error: already exists; not overwritten
mkcitybook: exp/titlepage.xhtml: error: already exists; not overwritten
mkcitybook: exp/cover.xhtml: error: already exists; not overwritten
mkcitybook: exp/colophon.xhtml: error: already exists; not overwritten
mkcitybook: exp/nav.xhtml: error: already exists; not overwritten
mkcitybook: exp/book.css: error: already exists; not overwritten" \
    --export-templates exp
check "export: the user's stylesheet is kept" \
    grep -q 'color: inherit' "$T/e/exp/book.css"
err_case "exported templates work" 0 "" --templates exp --title T ok -o x.epub
keep_book "$T/e/x.epub"

# ------------------------------------------------------------- the catalogue
# The folder.
mkdir -p "$T/e/hid"
printf 'title: T\n' >"$T/e/hid/book.yaml"
printf 'Kept.\n' >"$T/e/hid/a.txt"
for junk in .secret.txt 'a.txt~' '.#a.txt' '#a.txt#' a.txt.bak .a.txt.swp \
    .DS_Store; do
	printf 'Junk.\n' >"$T/e/hid/$junk"
done
err_case "hidden files and backups are ignored" 0 "" hid -o x.epub
unpack "$T/e/x.epub" "$T/e/hid.x"
check "hidden files and backups: one chapter" \
    [ "$(ls "$T/e/hid.x/EPUB/text" | tr '\n' ' ')" = \
    "a.xhtml colophon.xhtml cover.xhtml titlepage.xhtml " ]
mkdir -p "$T/e/sym"
printf 'title: T\n' >"$T/e/sym/book.yaml"
printf 'Inside.\n' >"$T/e/sym/a.txt"
printf 'Outside the folder.\n' >"$T/e/secret.txt"
ln -s ../secret.txt "$T/e/sym/out.txt"
ln -s a.txt "$T/e/sym/within.txt"
err_case "a symlink out of the folder" 0 "mkcitybook: sym/out.txt: warning: a symbolic link out of the folder; not followed" sym -o x.epub
unpack "$T/e/x.epub" "$T/e/sym.x"
check "a symlink out of the folder: not in the book" \
    [ "$(cat "$T"/e/sym.x/EPUB/text/*.xhtml | grep -c 'Outside the folder')" = 0 ]
check "a symlink within the folder: followed" \
    [ -f "$T/e/sym.x/EPUB/text/within.xhtml" ]

# One article.
mkdir -p "$T/e/empty1"
printf 'title: T\n' >"$T/e/empty1/book.yaml"
printf 'Text.\n' >"$T/e/empty1/a.txt"
: >"$T/e/empty1/blank.txt"
printf ' \n\t\n  \n' >"$T/e/empty1/spaces.txt"
err_case "empty and blank articles are skipped" 0 "mkcitybook: empty1/blank.txt: warning: no text; left out
mkcitybook: empty1/spaces.txt: warning: no text; left out" empty1 -o x.epub
mkdir -p "$T/e/binary"
printf 'title: T\n' >"$T/e/binary/book.yaml"
cp "$P/dalian.jpg" "$T/e/binary/photo.txt"
head -c 4096 /dev/zero >"$T/e/binary/zeros.txt"
err_case "binary files posing as text" 1 "mkcitybook: binary/photo.txt: error: not a text file: it is a JPEG image
mkcitybook: binary/zeros.txt: error: not a text file: it is binary data
mkcitybook: error: no book written" binary -o x.epub
mkdir -p "$T/e/ctl"
printf 'title: T\n' >"$T/e/ctl/book.yaml"
printf 'A NUL\0 byte, a bell\a and a C1\302\205 control.\n' >"$T/e/ctl/a.txt"
err_case "NUL, C0 and C1 characters are removed" 0 "mkcitybook: ctl/a.txt:1:6: warning: removed control character U+0000, and 2 more in this file" ctl -o x.epub
unpack "$T/e/x.epub" "$T/e/ctl.x"
check "NUL, C0 and C1: the text without them" grep -q \
    '<p>A NUL byte, a bell and a C1 control.</p>' "$T/e/ctl.x/EPUB/text/a.xhtml"
# YAML's escapes make control characters of clean text: removed the
# same way, at the value (found by fuzz_render: they made the package
# and the chapter malformed XML, and a NUL cut the title short).
mkdir -p "$T/e/yctl"
printf 'title: "Bells\\a and\\x1b Escapes\\0 End"\ncreator: [ "Ann\\u0085 Lee" ]\n' \
    >"$T/e/yctl/book.yaml"
printf -- '---\ntitle: "Tie\\tling\\a"\n---\nTieling is a city.\n' \
    >"$T/e/yctl/tieling.txt"
err_case "control characters from YAML escapes are removed" 0 "mkcitybook: yctl/book.yaml:1:8: warning: removed control character U+0007, and 2 more
mkcitybook: yctl/book.yaml:2:12: warning: removed control character U+0085
mkcitybook: yctl/tieling.txt:2:8: warning: removed control character U+0007" yctl -o x.epub
keep_book "$T/e/x.epub"
unpack "$T/e/x.epub" "$T/e/yctl.x"
check "YAML escapes: the title without them, and whole after a NUL" grep -q \
    '<dc:title id="title">Bells and Escapes End</dc:title>' \
    "$T/e/yctl.x/EPUB/content.opf"
check "YAML escapes: the creator without them" grep -q \
    '<dc:creator id="creator-1">Ann Lee</dc:creator>' \
    "$T/e/yctl.x/EPUB/content.opf"
check "YAML escapes: the chapter's title keeps its tab" grep -q \
    "<h1 id=\"chapter-title\">Tie$(printf '\t')ling</h1>" \
    "$T/e/yctl.x/EPUB/text/tie-ling.xhtml"
check "YAML escapes: every part is XML" sh -c "for f in \"$T\"/e/yctl.x/EPUB/*.opf \\
    \"$T\"/e/yctl.x/EPUB/*.xhtml \"$T\"/e/yctl.x/EPUB/text/*.xhtml; do
    xmllint --noout \"\$f\" || exit 1; done"
mkdir -p "$T/e/over"
printf 'title: T\n' >"$T/e/over/book.yaml"
printf 'Fine.\nAn overlong \300\257 slash.\n' >"$T/e/over/a.txt"
printf 'A surrogate \355\240\200 here.\n' >"$T/e/over/b.txt"
err_case "overlong and surrogate UTF-8" 1 "mkcitybook: over/a.txt:2:13: error: invalid UTF-8 (byte 0xC0); use --input-encoding if the file is not UTF-8
mkcitybook: over/b.txt:1:13: error: invalid UTF-8 (byte 0xED); use --input-encoding if the file is not UTF-8
mkcitybook: error: no book written" over -o x.epub
mkdir -p "$T/e/fmbad"
printf 'title: T\n' >"$T/e/fmbad/book.yaml"
printf -- '---\ntitle: x\n\nText without an end to the front matter.\n' \
    >"$T/e/fmbad/a.txt"
err_case "front matter without its end" 1 "mkcitybook: fmbad/a.txt:1: error: front matter is not closed: no line '---' after it
mkcitybook: error: no book written" fmbad -o x.epub

# Encodings: each read through iconv, or by its byte-order mark.
mkdir -p "$T/e/enc"
printf 'title: T\n' >"$T/e/enc/book.yaml"
# 鞍山钢铁 in GB18030, 臺北 in Big5, 東京 in Shift_JIS, café in Latin-1.
printf '\260\260\311\275\270\326\314\372\n' >"$T/e/enc/gb.txt"
err_case "GB18030 read as UTF-8" 1 "mkcitybook: enc/gb.txt:1:1: error: invalid UTF-8 (byte 0xB0), and 4 more in this file; use --input-encoding if the file is not UTF-8
mkcitybook: error: no book written" enc -o x.epub
err_case "--input-encoding GB18030" 0 "" --input-encoding GB18030 enc -o x.epub
unpack "$T/e/x.epub" "$T/e/enc.x"
check "GB18030: the Han text" grep -q '鞍山钢铁' "$T/e/enc.x/EPUB/text/gb.xhtml"
keep_book "$T/e/x.epub"
for c in 'BIG5:\273\117\245\137:臺北' 'SHIFT_JIS:\223\214\213\236:東京' \
    'GBK:\260\260\311\275:鞍山' 'ISO-8859-1:caf\351:café' \
    'WINDOWS-1252:\223caf\351\224:“café”'; do
	e=${c%%:*}
	rest=${c#*:}
	rm -rf "$T/e/enc2"
	mkdir -p "$T/e/enc2"
	printf 'title: T\nencoding: %s\n' "$e" >"$T/e/enc2/book.yaml"
	printf "${rest%%:*}\\n" >"$T/e/enc2/a.txt"
	err_case "encoding $e from book.yaml" 0 "" enc2 -o x.epub
	unpack "$T/e/x.epub" "$T/e/enc2.x"
	check "encoding $e: the text" \
	    grep -qF "${rest#*:}" "$T/e/enc2.x/EPUB/text/a.xhtml"
done
mkdir -p "$T/e/fmenc"
printf 'title: T\n' >"$T/e/fmenc/book.yaml"
printf -- '---\nencoding: GB18030\n---\n\260\260\311\275\n' >"$T/e/fmenc/a.txt"
err_case "encoding in the front matter" 0 "" fmenc -o x.epub
mkdir -p "$T/e/u16"
printf 'title: T\n' >"$T/e/u16/book.yaml"
# 鞍山 (U+978D U+5C71) little-endian, 千山 (U+5343 U+5C71) big-endian.
printf '\377\376H\000i\000 \000\215\227q\134\n\000' >"$T/e/u16/le.txt"
printf '\376\377\000H\000i\000 \123\103\134\161\000\n' >"$T/e/u16/be.txt"
err_case "UTF-16 with a byte-order mark" 0 "" u16 -o x.epub
unpack "$T/e/x.epub" "$T/e/u16.x"
check "UTF-16: the text" sh -c "grep -q '鞍山' '$T/e/u16.x/EPUB/text/le.xhtml' &&
    grep -q '千山' '$T/e/u16.x/EPUB/text/be.xhtml'"
printf 'H\000e\000l\000l\000o\000 \000w\000o\000r\000l\000d\000.\000\n\000' \
    >"$T/e/u16/nobom.txt"
err_case "UTF-16 without a byte-order mark" 1 "mkcitybook: u16/nobom.txt: error: not a text file: it is UTF-16 text without a byte-order mark (save it as UTF-8, or use --input-encoding UTF-16LE or UTF-16BE)
mkcitybook: error: no book written" u16 -o x.epub
rm "$T/e/u16/nobom.txt"
mkdir -p "$T/e/gbbad"
printf 'title: T\n' >"$T/e/gbbad/book.yaml"
printf '\260\260\n\377\377 bad\n' >"$T/e/gbbad/a.txt"
err_case "invalid in the encoding named" 1 "mkcitybook: gbbad/a.txt:2:1: error: this is not valid text in that encoding (GB18030)
mkcitybook: error: no book written" --input-encoding GB18030 gbbad -o x.epub
err_case "an unknown encoding" 2 "mkcitybook: error: unknown encoding 'KLINGON' for --input-encoding
$usage" --input-encoding KLINGON ok -o x.epub

# Names and titles.
mkdir -p "$T/e/names"
printf 'title: T\n' >"$T/e/names/book.yaml"
for n in 'Ürümqi.txt' 'my city.txt' "it's \"quoted\".txt" 'Anshan.txt' \
    'anshan.md' 'a:b?c*.txt'; do
	printf 'Text.\n' >"$T/e/names/$n"
done
err_case "names that clash once slugged, and one title twice" 0 "mkcitybook: names/anshan.md: warning: same title as names/Anshan.txt ('Anshan')" names -o x.epub
zipinfo -1 "$T/e/x.epub" | grep '^EPUB/text/' >"$T/e/names.list"
check "names: ASCII slugs, unique, no space" [ "$(tr '\n' ' ' <"$T/e/names.list")" = \
    "EPUB/text/cover.xhtml EPUB/text/titlepage.xhtml EPUB/text/anshan.xhtml EPUB/text/a-b-c.xhtml EPUB/text/anshan-2.xhtml EPUB/text/its-quoted.xhtml EPUB/text/my-city.xhtml EPUB/text/urumqi.xhtml EPUB/text/colophon.xhtml " ]
keep_book "$T/e/x.epub"

# Metadata.
mkdir -p "$T/e/yaml"
printf 'Text.\n' >"$T/e/yaml/a.txt"
printf 'title: [unclosed\nlang: en\n' >"$T/e/yaml/book.yaml"
err_case "malformed YAML" 1 "mkcitybook: yaml/book.yaml:2:5: error: malformed YAML: did not find expected ',' or ']' while parsing a flow sequence started on line 1
mkcitybook: error: no book written" yaml -o x.epub
printf 'title: T\ncolour: blue\n' >"$T/e/yaml/book.yaml"
err_case "an unknown key" 0 "mkcitybook: yaml/book.yaml:2: warning: unknown key 'colour' (ignored)" yaml -o x.epub
printf 'title: T\nlanguage: english\n' >"$T/e/yaml/book.yaml"
err_case "an invalid language in book.yaml" 1 "mkcitybook: yaml/book.yaml:2: error: invalid language tag 'english': use a two- or three-letter language code, such as 'en' or 'zh'
mkcitybook: error: no book written" yaml -o x.epub
printf 'title: T\nchapters:\n  - a.txt\n  - gone.txt\n' >"$T/e/yaml/book.yaml"
err_case "a chapter that is not there" 1 "mkcitybook: yaml/book.yaml:4: error: chapter 'gone.txt' not found in yaml
mkcitybook: error: no book written" yaml -o x.epub
# Empty lists (fuzz_meta found "[]" copied from a null buffer).
printf 'title: T\nsubjects: []\ncreator: []\n' >"$T/e/yaml/book.yaml"
err_case "empty lists" 0 "" yaml -o x.epub
printf 'title: T\nlang: []\n' >"$T/e/yaml/book.yaml"
err_case "an empty list for the language" 1 "mkcitybook: yaml/book.yaml:2: error: 'lang' must be text, not a list
mkcitybook: error: no book written" yaml -o x.epub
printf 'title: T\nencoding: KLINGON\n' >"$T/e/yaml/book.yaml"
err_case "an unknown encoding in book.yaml" 1 "mkcitybook: yaml/book.yaml:2: error: unknown encoding 'KLINGON'
mkcitybook: error: no book written" yaml -o x.epub
printf 'title: T\ndate: 23 November 2026\n' >"$T/e/yaml/book.yaml"
err_case "an invalid date" 1 "mkcitybook: yaml/book.yaml:2: error: invalid date '23 November 2026': use YYYY, YYYY-MM or YYYY-MM-DD
mkcitybook: error: no book written" yaml -o x.epub
printf -- '---\ntitle: T\nflavour: salty\nlang: en_GB\n---\nText.\n' \
    >"$T/e/yaml/a.txt"
printf 'title: T\n' >"$T/e/yaml/book.yaml"
err_case "front matter: unknown key and bad language" 1 "mkcitybook: yaml/a.txt:3: warning: unknown front matter key 'flavour' (ignored)
mkcitybook: yaml/a.txt:4: error: invalid language tag 'en_GB': subtags are separated by '-', not '_'
mkcitybook: error: no book written" yaml -o x.epub

# Hostile text: it all comes out as written, never as markup.
mkdir -p "$T/e/hostile"
printf 'title: T\n' >"$T/e/hostile/book.yaml"
line1='<script>alert("x")</script> and ]]> and & and &amp; and &nbsp; and &#60; end.'
line2='<?xml version="1.0"?> <?php echo 1; ?> <!-- a comment --> <![CDATA[ data ]]> <p onclick="x">tag</p>'
printf 'Hostile text.\n\n%s\n\n%s\n' "$line1" "$line2" >"$T/e/hostile/h.txt"
err_case "hostile text" 0 "" --no-typography hostile -o x.epub
unpack "$T/e/x.epub" "$T/e/hostile.x"
h=$T/e/hostile.x/EPUB/text/h.xhtml
check "hostile text: well-formed" xmllint --noout "$h"
check "hostile text: no script element" [ "$(xmllint --xpath \
    "count(//*[local-name()='script'])" "$h")" = 0 ]
check "hostile text: first line exactly as written" [ "$(xmllint --xpath \
    "string((//*[local-name()='p'])[2])" "$h")" = "$line1" ]
check "hostile text: second line exactly as written" [ "$(xmllint --xpath \
    "string((//*[local-name()='p'])[3])" "$h")" = "$line2" ]
keep_book "$T/e/x.epub"

# Permissions.  Root reads anything, so these run as nobody.
as_nobody() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
chmod 711 "$T" "$T/e"
mkdir -p "$T/e/perm/unread" "$T/e/perm/photos" "$T/e/perm/out"
printf 'title: T\n' | tee "$T/e/perm/unread/book.yaml" \
    "$T/e/perm/photos/book.yaml" >/dev/null
printf 'Good.\n' | tee "$T/e/perm/unread/a.txt" "$T/e/perm/photos/a.txt" \
    >/dev/null
printf 'Secret.\n' >"$T/e/perm/unread/b.txt"
mkdir -p "$T/e/perm/photos/a"
cp "$P/dalian.jpg" "$T/e/perm/photos/a/p.jpg"
chmod -R a+rX "$T/e/perm"
chmod 777 "$T/e/perm/out"
chmod 000 "$T/e/perm/unread/b.txt" "$T/e/perm/photos/a"
cd "$T/e/perm" || exit 2
as_nobody "$MKC" unread -o out/x.epub >"$T/out" 2>"$T/err"
rc=$?
cd "$top" || exit 2
expect_rc "an unreadable article" 1
expect_err "an unreadable article" "mkcitybook: unread/b.txt: error: cannot read: Permission denied
mkcitybook: error: no book written"
cd "$T/e/perm" || exit 2
as_nobody "$MKC" photos -o out/x.epub >"$T/out" 2>"$T/err"
rc=$?
cd "$top" || exit 2
expect_rc "an unreadable folder of photographs" 1
expect_err "an unreadable folder of photographs" "mkcitybook: photos/a: error: cannot read the folder of a.txt's images: Permission denied
mkcitybook: error: no book written"
mkdir -p "$T/e/perm/shut"
printf 'Text.\n' >"$T/e/perm/shut/a.txt"
chmod 000 "$T/e/perm/shut"
cd "$T/e/perm" || exit 2
as_nobody "$MKC" shut -o out/x.epub >"$T/out" 2>"$T/err"
rc=$?
cd "$top" || exit 2
expect_rc "an unreadable folder" 1
expect_err "an unreadable folder" "mkcitybook: shut: error: cannot open the folder: Permission denied
mkcitybook: error: no book written"
chmod -R u+rwX "$T/e/perm"

# The extremes: a single 50 MB line, and an article of 100,000
# paragraphs.  They must build; under valgrind they would take an hour.
if [ -z "${VALGRIND:-}" ]; then
	mkdir -p "$T/e/big"
	printf 'title: Big\n' >"$T/e/big/book.yaml"
	yes 'The river runs past the old market and the temple bridge.' |
	    head -c 50000000 | tr '\n' ' ' >"$T/e/big/longline.txt"
	echo >>"$T/e/big/longline.txt"
	awk 'BEGIN { for (i = 1; i <= 100000; i++)
	    printf "Paragraph %d of the long article.\n\n", i }' \
	    >"$T/e/big/many.txt"
	err_case "a 50 MB line and 100,000 paragraphs" 0 "" big -o x.epub
	unpack "$T/e/x.epub" "$T/e/big.x"
	check "100,000 paragraphs, all there" [ "$(grep -c '^<p>Paragraph ' \
	    "$T/e/big.x/EPUB/text/many.xhtml")" = 100000 ]
	check "a 50 MB line: one paragraph of it" [ "$(grep -c \
	    '^<p>The river runs past' "$T/e/big.x/EPUB/text/longline.xhtml")" = 1 ]
	rm -rf "$T/e/big" "$T/e/big.x"
else
	echo "# the 50 MB line and the 100,000 paragraphs: not under valgrind"
fi

# Markdown nested past what XML parsers take (libxml2 stops at 256
# levels): flattened below 32, with a warning.
mkdir -p "$T/e/deep"
printf 'title: T\n' >"$T/e/deep/book.yaml"
{ for i in $(seq 1 300); do printf '> '; done; printf 'Deep.\n'; } \
    >"$T/e/deep/deep.md"
err_case "quotes 300 deep" 0 "mkcitybook: deep/deep.md:1: warning: nested more than 32 levels deep; the deeper levels are flattened" deep -o x.epub
unpack "$T/e/x.epub" "$T/e/deep.x"
check "quotes 300 deep: 32 quotes, and XML that libxml2 reads" sh -c \
    "[ \$(grep -o '<blockquote>' '$T/e/deep.x/EPUB/text/deep.xhtml' |
    wc -l) = 32 ] && xmllint --noout '$T/e/deep.x/EPUB/text/deep.xhtml'"
keep_book "$T/e/x.epub"
# A million quotes deep (a 2 MB line; cmark makes a quote of each '>'):
# the reader must not recurse that deep.  Not under valgrind: slow.
if [ -z "${MKC_WRAP:-}" ]; then
	awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "> "
	    print "Deep." }' >"$T/e/deep/deep.md"
	err_case "quotes a million deep" 0 "mkcitybook: deep/deep.md:1: warning: nested more than 32 levels deep; the deeper levels are flattened" deep -o x.epub
fi

# Every input a fuzzer found a fault with (tests/fuzz/regress, named by
# fuzzer) goes through mkcitybook too: it builds a book or refuses with
# a message, and never crashes (the sanitizer and valgrind runs turn
# any report into another exit status).  A fuzz_render input's first
# byte picks its reader: odd for Markdown, even for plain text.
for f in tests/fuzz/regress/*; do
	name=$(basename "$f")
	d=$T/e/regress/$name
	mkdir -p "$d"
	case $name in
	render-*)
		if [ $(($(od -An -tu1 -N1 "$f") % 2)) = 1 ]; then
			tail -c +2 "$f" >"$d/a.md"
		else
			tail -c +2 "$f" >"$d/a.txt"
		fi ;;
	markdown-*) cp "$f" "$d/a.md" ;;
	meta-*) cp "$f" "$d/book.yaml"; echo 'Text.' >"$d/a.txt" ;;
	*) cp "$f" "$d/a.txt" ;;
	esac
	mkc -q "$d" -o "$d.epub"
	check "fuzz regression $name: a book or a refusal" [ "$rc" -le 1 ]
	[ "$rc" = 0 ] && keep_book "$d.epub"
done
