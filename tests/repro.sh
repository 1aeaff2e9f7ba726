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
