# repro.sh: the same input gives the same bytes.
mkc content -o "$T/r1.epub"
mkc content -o "$T/r2.epub"
check "repro: two builds, same bytes" cmp -s "$T/r1.epub" "$T/r2.epub"
TZ=Asia/Shanghai mkc content -o "$T/r3.epub"
check "repro: any time zone, same bytes" cmp -s "$T/r1.epub" "$T/r3.epub"
mkc -j 1 content -o "$T/r4.epub"
mkc -j 7 content -o "$T/r5.epub"
check "repro: one thread or seven, same bytes" \
    sh -c "cmp -s '$T/r1.epub' '$T/r4.epub' && cmp -s '$T/r1.epub' '$T/r5.epub'"
LC_ALL=C.UTF-8 LANG=zh_CN.UTF-8 mkc content -o "$T/r6.epub"
check "repro: any locale, same bytes" cmp -s "$T/r1.epub" "$T/r6.epub"

# SOURCE_DATE_EPOCH sets dcterms:modified and every entry's time.
SOURCE_DATE_EPOCH=1234567890 mkc content -o "$T/r7.epub"
unpack "$T/r7.epub" "$T/r7.x"
check "repro: dcterms:modified from SOURCE_DATE_EPOCH" grep -q \
    '<meta property="dcterms:modified">2009-02-13T23:31:30Z</meta>' \
    "$T/r7.x/EPUB/content.opf"
check "repro: zip times from SOURCE_DATE_EPOCH, in UTC" \
    [ "$(zipinfo -T "$T/r7.epub" | sed '1,2d;$d' | awk '{print $7}' |
    sort -u)" = "20090213.233130" ]

# Without it, the newest input decides, so a folder rebuilds the same.
copy_dir content "$T/rc"
touch -d '2024-03-01 12:00:00 UTC' "$T"/rc/*
(unset SOURCE_DATE_EPOCH; mkc "$T/rc" -o "$T/r8.epub"; \
    mkc "$T/rc" -o "$T/r9.epub")
check "repro: no SOURCE_DATE_EPOCH, same bytes" \
    cmp -s "$T/r8.epub" "$T/r9.epub"
unpack "$T/r8.epub" "$T/r8.x"
check "repro: no SOURCE_DATE_EPOCH, the newest input's time" grep -q \
    '<meta property="dcterms:modified">2024-03-01T12:00:00Z</meta>' \
    "$T/r8.x/EPUB/content.opf"

# Past 10,000 chapters the contents, package and NCX are made in
# scratch files of their own, side by side (one thread: straight into
# the spill).  The bytes are the same either way.  Not under valgrind,
# where it takes minutes.
if [ -z "${MKC_WRAP:-}" ]; then
	mkdir -p "$T/many"
	awk -v d="$T/many" 'BEGIN { for (i = 1; i <= 10001; i++) {
	    f = sprintf("%s/town-%05d.txt", d, i)
	    printf "Town %d is a small city on a river, with a market.\n\n" \
	        "History\n\nTown %d was founded by traders.\n", i, i >f
	    close(f) } }'
	printf 'title: Ten Thousand and One Towns\ncreator: tests\n' \
	    >"$T/many/book.yaml"
	mkc -q -j 2 "$T/many" -o "$T/many2.epub"
	check "repro: 10,001 chapters, built" [ "$rc" = 0 ]
	mkc -q -j 1 "$T/many" -o "$T/many1.epub"
	check "repro: 10,001 chapters, one thread or two, same bytes" \
	    cmp -s "$T/many1.epub" "$T/many2.epub"
	check "repro: 10,001 chapters, a whole zip" \
	    unzip -tq "$T/many2.epub" >/dev/null
	check "repro: 10,001 chapters and their sections in the contents" \
	    [ "$(unzip -p "$T/many2.epub" EPUB/nav.xhtml |
	    grep -c '<a href="text/town-[0-9]*\.xhtml#history">History</a>')" \
	    = 10001 ]
	check "repro: 10,001 chapters, and the title page and colophon, in the NCX" \
	    [ "$(unzip -p "$T/many2.epub" EPUB/toc.ncx | grep -c '<navPoint ')" \
	    = 10003 ]
	check "repro: 10,001 chapters in the spine" \
	    [ "$(unzip -p "$T/many2.epub" EPUB/content.opf |
	    grep -c "<itemref idref=\"ch-town-")" = 10001 ]
	rm -rf "$T/many" "$T/many1.epub" "$T/many2.epub"
fi
