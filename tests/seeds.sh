# seeds.sh: the shipped articles: their outlines are goldens, under
# their readable names and under the opaque names they came with.
for s in qitaihe anshan pingdingshan; do
	mkc --outline "content/$s.txt"
	{ cat "$T/out"; cat "$T/err"; echo "exit $rc"; } >"$T/outline"
	golden "seeds/$s" "$T/outline" "tests/seeds/$s.outline"
done

# Straight from the seed files, the titles come from the first sentence.
mkdir -p "$T/seeds"
cp content/qitaihe.txt "$T/seeds/000_12643e6068e7d0eb.txt"
cp content/anshan.txt "$T/seeds/001_7a4248913effa42d.txt"
cp content/pingdingshan.txt "$T/seeds/002_f9621bd2479d6527.txt"
cd "$T/seeds" && mkc --outline 000_12643e6068e7d0eb.txt \
    001_7a4248913effa42d.txt 002_f9621bd2479d6527.txt
cd "$top" || exit 2
{ cat "$T/out"; cat "$T/err"; echo "exit $rc"; } >"$T/outline"
golden "seeds/opaque names" "$T/outline" "tests/seeds/opaque.outline"

mkc "$T/seeds" -o "$T/seeds.epub"
expect_rc "seeds: book" 0
unpack "$T/seeds.epub" "$T/seeds.x"
titles=$(sed -n 's:.*<h1 id="chapter-title">\(.*\)</h1>.*:\1:p' \
    "$T/seeds.x/EPUB/text/qitaihe.xhtml" "$T/seeds.x/EPUB/text/anshan.xhtml" \
    "$T/seeds.x/EPUB/text/pingdingshan.xhtml" 2>/dev/null | tr '\n' ' ')
if [ "$titles" = "Qitaihe Anshan Pingdingshan " ]; then
	pass "seeds: chapters Qitaihe, Anshan, Pingdingshan"
else
	fail "seeds: chapters Qitaihe, Anshan, Pingdingshan" "got: $titles"
fi
order=$(sed -n '/role="doc-toc"/,/<\/nav>/p' "$T/seeds.x/EPUB/nav.xhtml" |
    grep -o 'href="text/[a-z]*\.xhtml"' | tr '\n' ' ')
want='href="text/titlepage.xhtml" href="text/qitaihe.xhtml" href="text/anshan.xhtml" href="text/pingdingshan.xhtml" href="text/colophon.xhtml" '
check "seeds: contents in file order" [ "$order" = "$want" ]
keep_book "$T/seeds.epub"
