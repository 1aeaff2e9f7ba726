#!/bin/bash
# run.sh: the benchmark ("make bench"): mkcitybook against zip and pandoc.
#
# usage: tests/bench/run.sh [N...]      (default: 100 1000 10000 100000)
#
# For each size N it generates N articles (build/gencities, the same
# every time), then, on the same folder:
#   - mkcitybook: wall and user time and peak RSS, from /usr/bin/time -v
#     (the median of five runs up to 1,000 articles, where a run takes
#     a fraction of a second and the machine's noise shows, and of three
#     above), each run on articles just read into the page cache;
#   - zip -r -6 -X over mkcitybook's own book, unpacked: the time a
#     single-threaded deflate of the same bytes takes, the floor;
#   - pandoc, up to 1,000 articles (it is slow), on the same files in the
#     same order;
# and checks the books: EPUBCheck at 10,000 articles, unzip -t at
# 100,000 (a ZIP64 container).  It prints a table of the figures and
# the ratios, then times 10,000 and 100,000 articles in turn for the
# scaling: five runs of the larger size between six of the smaller
# (BENCH_SCALE_FROM=100 for 100 and 1,000).  Generated files go to
# tests/bench/out (gitignored).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
out=$top/tests/bench/out
mkdir -p "$out"
sizes=${*:-100 1000 10000 100000}
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
for t in /usr/bin/time zip unzip; do
	command -v "$t" >/dev/null || { echo "run.sh: $t is missing" \
	    "(apt-get install time zip unzip)" >&2; exit 2; }
done
[ -x build/gencities ] && [ -x mkcitybook ] && [ -x mkcitybook-cover ] ||
    { echo "run.sh: run make first" >&2; exit 2; }

# timed FILE CMD...: runs CMD under GNU time; FILE gets its report.
timed() {
	local f=$1
	shift
	/usr/bin/time -v -o "$f" "$@" >/dev/null 2>&1
}

wall() {	# seconds, from "Elapsed (wall clock) time: m:ss.cc"
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":");
	    s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"
}
user() {
	awk -F': ' '/User time/ { print $2 }' "$1"
}
rss() {		# megabytes
	awk -F': ' '/Maximum resident/ { printf "%.1f", $2 / 1024 }' "$1"
}
median() {
	printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"
}

# mkc N: one timed mkcitybook run on the N articles, into N.mkc.time.
mkc() {
	find "$out/$1" -type f -exec cat {} + >/dev/null
	timed "$out/$1.mkc.time" ./mkcitybook -q "$out/$1" -o "$out/$1.epub"
}

rows=()
for n in $sizes; do
	dir=$out/$n
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		build/gencities "$n" "$dir" || exit 1
		printf 'title: A Benchmark of %s Cities\ncreator: gencities\n' \
		    "$n" >"$dir/book.yaml"
		touch "$dir/.done"
	fi
	mb=$(du -sm --exclude=.done "$dir" | cut -f1)
	runs=3
	[ "$n" -le 1000 ] && runs=5

	# mkcitybook, on articles in the page cache at every size, as zip
	# and pandoc find them: the bigger folders are otherwise read from
	# the disk, since the kernel may drop files idle for a minute.
	w=() u=() r=()
	for i in $(seq 1 $runs); do
		mkc "$n"
		w+=("$(wall "$out/$n.mkc.time")")
		u+=("$(user "$out/$n.mkc.time")")
		r+=("$(rss "$out/$n.mkc.time")")
	done
	mw=$(median "${w[@]}") mu=$(median "${u[@]}") mr=$(median "${r[@]}")
	size=$(du -m "$out/$n.epub" | cut -f1)

	# zip over the same book, unpacked.
	rm -rf "$out/$n.unpacked" "$out/$n.zip"
	mkdir -p "$out/$n.unpacked"
	(cd "$out/$n.unpacked" && unzip -q "$out/$n.epub")
	zw=()
	for i in $(seq 1 $runs); do
		rm -f "$out/$n.zip"
		(cd "$out/$n.unpacked" && timed "$out/$n.zip.time" \
		    zip -q -r -6 -X "$out/$n.zip" .)
		zw+=("$(wall "$out/$n.zip.time")")
	done
	zwm=$(median "${zw[@]}")
	rm -rf "$out/$n.unpacked" "$out/$n.zip"

	# pandoc, the same files in the same order.
	pw=- pr=- pratio=-
	if [ "$n" -le 1000 ] && command -v pandoc >/dev/null; then
		timed "$out/$n.pandoc.time" pandoc -f markdown -t epub3 \
		    --metadata title="A Benchmark" -o "$out/$n.pandoc.epub" \
		    "$dir"/*.txt
		pw=$(wall "$out/$n.pandoc.time")
		pr=$(rss "$out/$n.pandoc.time")
		pratio=$(awk -v p="$pw" -v m="$mw" 'BEGIN { printf "%.0f", p / m }')
		rm -f "$out/$n.pandoc.epub"
	fi

	# The book is a book.
	check=-
	if [ "$n" = 10000 ] && [ -r /usr/share/java/epubcheck.jar ]; then
		# -Xss: its reading-order check recurses once per item.
		if java -Xss512m -jar /usr/share/java/epubcheck.jar \
		    --failonwarnings "$out/$n.epub" >"$out/$n.epubcheck" 2>&1
		then check="EPUBCheck 0/0"; else check="EPUBCheck FAILED"; fi
	elif [ "$n" -ge 100000 ]; then
		if unzip -tq "$out/$n.epub" >"$out/$n.unzip" 2>&1; then
			check="unzip -t ok"
		else
			check="unzip -t FAILED"
		fi
		# Its end: the ZIP64 end of central directory record.
		if tail -c 200 "$out/$n.epub" | od -An -tx1 | tr -d ' \n' |
		    grep -q 504b0606; then
			check="$check (ZIP64)"
		fi
	fi
	ratio=$(awk -v m="$mw" -v z="$zwm" 'BEGIN { printf "%.2f", m / z }')
	rows+=("$(printf '| %7s | %5s MB | %6.2f s | %6.2f s | %5s MB | %5s MB | %6.2f s | %5s | %7s s | %5s MB | %5s | %s |' \
	    "$n" "$mb" "$mw" "$mu" "$mr" "$size" "$zwm" "$ratio" "$pw" \
	    "$pr" "$pratio" "$check")")
	echo "${rows[${#rows[@]} - 1]}"
done

echo
echo "$(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 |
    sed 's/^ //'); $(./mkcitybook --version | head -n 1); $(zip -v |
    sed -n 's/^This is \(Zip [0-9.]*\).*/\1/p'); $(pandoc --version 2>/dev/null |
    head -n 1)"
echo
echo '| articles | input | mkcitybook wall | user | peak RSS | book | zip -6 wall | mkcitybook / zip | pandoc wall | pandoc RSS | pandoc / mkcitybook | check |'
echo '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'
printf '%s\n' "${rows[@]}"

# Scaling, from the smaller size to ten times as many articles: the two
# timed in turn (small, big, small, ... five big runs), each big
# run against the mean of the small runs either side of it.  This
# machine's speed drifts by up to 20 % over minutes; timed apart, as in
# the table, the drift fell on one size and the ratio moved from 9.5 to
# 11.5 between two runs of the same build.
small=${BENCH_SCALE_FROM:-10000}
big=$((small * 10))
if [ -f "$out/$small/.done" ] && [ -f "$out/$big/.done" ] &&
    [[ " $sizes " == *" $small "* && " $sizes " == *" $big "* ]]; then
	mkc "$small"
	sw=("$(wall "$out/$small.mkc.time")") bw=() ratios=()
	for i in 1 2 3 4 5; do
		mkc "$big"
		bw+=("$(wall "$out/$big.mkc.time")")
		mkc "$small"
		sw+=("$(wall "$out/$small.mkc.time")")
		ratios+=("$(awk -v b="${bw[i - 1]}" -v s1="${sw[i - 1]}" \
		    -v s2="${sw[i]}" 'BEGIN { printf "%.2f", b / ((s1 + s2) / 2) }')")
	done
	echo
	echo "Scaling, $small to $big articles, timed in turn:" \
	    "$small in ${sw[*]} s, $big in ${bw[*]} s; each $big run over" \
	    "the $small runs either side: ${ratios[*]}; median" \
	    "$(median "${ratios[@]}") times as long."
fi
