#!/bin/sh
# run.sh: runs the fuzzers of build-fuzz ("make fuzz").
#
# usage: tests/fuzz/run.sh FUZZER...
# env:   FUZZ_TIME  seconds each (default 60), or
#        FUZZ_RUNS  executions each, instead of a time
#
# Inputs are capped at 8 KB: enough for every construct of the formats
# (a keyword-spam line needs 200 bytes), and ten times the executions.
# Each fuzzer starts from a seed corpus of the tests' own inputs and keeps
# what it learns in build-fuzz/corpus-NAME.  A crash is saved in
# build-fuzz/ as crash-*: make it a regression test in tests/fuzz/regress,
# named after its fuzzer (render-*, article-*, ...): the fuzzers start
# from those, and tests/errors.sh builds each with mkcitybook.
set -u
cd "$(dirname "$0")/../.."
out=build-fuzz
status=0
# ASan as fuzzers want it: a small quarantine and no filling of fresh
# memory, so that time goes to the code under test (twice the speed);
# memory errors are caught all the same.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16:max_malloc_fill_size=0:malloc_context_size=5}
for f in "$@"; do
	seeds=$out/seeds-$f
	rm -rf "$seeds"
	mkdir -p "$seeds" "$out/corpus-$f"
	# Numbered copies: the tests have names in common.
	n=0
	case $f in
	article) for a in tests/parse/*.txt tests/typo/*.txt content/*.txt \
	    tests/book/*/*.txt; do
		n=$((n + 1)); cp "$a" "$seeds/$n.txt"; done ;;
	markdown) for a in tests/parse/*.md tests/typo/*.md tests/book/*/*.md
	    do
		n=$((n + 1)); cp "$a" "$seeds/$n.md"; done ;;
	meta) for y in content/book.yaml tests/book/*/book.yaml; do
		n=$((n + 1)); cp "$y" "$seeds/$n.yaml"; done ;;
	render) for a in tests/parse/*.txt tests/typo/*.txt \
	    tests/parse/*.md tests/typo/*.md; do
		n=$((n + 1))
		case $a in *.md) p='\001' ;; *) p='\000' ;; esac
		{ printf "$p"; cat "$a"; } >"$seeds/$n"
	    done ;;
	esac
	[ -d tests/fuzz/regress ] && cp tests/fuzz/regress/"$f"-* "$seeds"/ \
	    2>/dev/null
	if [ -n "${FUZZ_RUNS:-}" ]; then
		limit=-runs=$FUZZ_RUNS
	else
		limit=-max_total_time=${FUZZ_TIME:-60}
	fi
	echo "run.sh: fuzz_$f ($limit)"
	"$out/fuzz_$f" "$limit" -dict=tests/fuzz/fuzz.dict \
	    -max_len=8192 -timeout=20 -rss_limit_mb=2048 \
	    -artifact_prefix="$out/" -print_final_stats=1 \
	    "$out/corpus-$f" "$seeds" >"$out/fuzz_$f.log" 2>&1
	rc=$?
	grep -E 'stat::number_of_executed_units|stat::peak_rss|Done|ERROR' \
	    "$out/fuzz_$f.log" | sed "s/^/fuzz_$f: /"
	[ $rc = 0 ] || { echo "run.sh: fuzz_$f found something" \
	    "(see $out/fuzz_$f.log)"; status=1; }
done
exit $status
