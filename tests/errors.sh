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
