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

# --help is a short summary on standard output.
mkc --help
check "help: exit 0, on stdout, nothing on stderr" \
    sh -c "[ $rc = 0 ] && [ ! -s '$T/err' ] && grep -q -- '--output FILE' '$T/out'"
