# install.sh: make install and make uninstall, with DESTDIR and PREFIX;
# the installed program works from any folder, and its manual reads.
inst=$T/inst
make -s -C "$top" install DESTDIR="$inst" PREFIX=/usr/local >"$T/inst.log" 2>&1
check "install: make install" [ $? = 0 ]
(cd "$inst" && find . ! -type d | sort) >"$T/inst.files"
cat >"$T/inst.want" <<'LIST'
./usr/local/bin/mkcitybook
./usr/local/libexec/mkcitybook/mkcitybook-cover
./usr/local/share/man/man1/mkcitybook.1
./usr/local/share/mkcitybook/templates/book.css
./usr/local/share/mkcitybook/templates/chapter.xhtml
./usr/local/share/mkcitybook/templates/colophon.xhtml
./usr/local/share/mkcitybook/templates/cover.xhtml
./usr/local/share/mkcitybook/templates/nav.xhtml
./usr/local/share/mkcitybook/templates/titlepage.xhtml
LIST
if cmp -s "$T/inst.files" "$T/inst.want"; then
	pass "install: these files, all under DESTDIR"
else
	fail "install: these files, all under DESTDIR" \
	    "$(diff -u "$T/inst.want" "$T/inst.files")"
fi

# From any folder: the templates are inside the program.
copy_dir content "$T/inst-content"
(cd / && "$inst/usr/local/bin/mkcitybook" -q "$T/inst-content" \
    -o "$T/inst.epub")
check "install: runs from any folder" [ -s "$T/inst.epub" ]
keep_book "$T/inst.epub"
check "install: --version names libxml2 and libzip" sh -c \
    "'$inst/usr/local/bin/mkcitybook' --version | grep -q 'libxml2 .*libzip '"
check "install: the manual reads" sh -c "MANWIDTH=80 man -l \
    '$inst/usr/local/share/man/man1/mkcitybook.1' 2>/dev/null |
    grep -q 'SOURCE_DATE_EPOCH'"

make -s -C "$top" uninstall DESTDIR="$inst" PREFIX=/usr/local \
    >>"$T/inst.log" 2>&1
check "install: make uninstall leaves nothing" \
    [ -z "$(cd "$inst" && find . ! -type d)" ]

# PREFIX alone, as a user without root would: ~/.local.
home=$T/home
make -s -C "$top" install PREFIX="$home/.local" >>"$T/inst.log" 2>&1
check "install: PREFIX=~/.local" [ -x "$home/.local/bin/mkcitybook" ]
make -s -C "$top" uninstall PREFIX="$home/.local" >>"$T/inst.log" 2>&1
check "install: and back" [ ! -e "$home/.local/bin/mkcitybook" ]

# Progress: on a terminal (script gives one), counted and cleared; not
# with -q, and not when standard error is not a terminal.
if command -v script >/dev/null; then
	# The wrapper on one line: script runs its command with sh -c.
	# shellcheck disable=SC2116,SC2086
	wrap=$(echo ${MKC_WRAP:-})
	script -qec "$wrap '$MKC' content -o '$T/prog.epub'" \
	    /dev/null >"$T/prog.tty" 2>&1
	check "progress: on a terminal, articles read" \
	    grep -q 'mkcitybook: reading [0-9]*/3 articles' "$T/prog.tty"
	check "progress: on a terminal, chapters written" \
	    grep -q 'mkcitybook: writing [0-9]*/3 chapters, [0-9.]* MB' \
	    "$T/prog.tty"
	script -qec "$wrap '$MKC' -q content -o '$T/prog.epub'" \
	    /dev/null >"$T/prog.tty" 2>&1
	check "progress: not with -q" [ ! -s "$T/prog.tty" ]
fi
mkc content -o "$T/prog.epub"
check "progress: not when stderr is a file" sh -c \
    "! grep -q 'reading\\|writing' '$T/err'"

# --help is a short summary on standard output.
mkc --help
check "help: exit 0, on stdout, nothing on stderr" \
    sh -c "[ $rc = 0 ] && [ ! -s '$T/err' ] && grep -q -- '--output FILE' '$T/out'"
