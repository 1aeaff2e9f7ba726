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
