# faults.sh: a failed build leaves the output as it was, and nothing else.
mkdir -p "$T/f/out"
copy_dir content "$T/f/good"
mkc "$T/f/good" -o "$T/f/out/book.epub"
expect_rc "faults: first build" 0
before=$(sha "$T/f/out/book.epub")

copy_dir content "$T/f/broken"
printf 'Fine.\n\nNot \377 fine.\n' >"$T/f/broken/zz-broken.txt"
sed -i '/chapters:/,$d' "$T/f/broken/book.yaml"
mkc "$T/f/broken" -o "$T/f/out/book.epub"
expect_rc "faults: a broken article" 1
check "faults: the earlier book is untouched" \
    [ "$(sha "$T/f/out/book.epub")" = "$before" ]
check "faults: nothing else in the folder" \
    [ "$(ls -A "$T/f/out")" = "book.epub" ]
