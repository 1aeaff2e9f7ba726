# lib.sh: helpers shared by the test scripts; sourced by tests/run.sh.
#
# Each check is one line of TAP-like output.  A failure prints what was
# expected and what came instead.  Every book a test builds goes through
# keep_book, and run.sh validates them all with EPUBCheck at the end.

ntests=0
nfail=0

pass() {
	ntests=$((ntests + 1))
	[ -n "${VERBOSE:-}" ] && echo "ok $ntests - $1"
	return 0
}

fail() {
	ntests=$((ntests + 1))
	nfail=$((nfail + 1))
	echo "not ok $ntests - $1"
	if [ $# -gt 1 ]; then
		printf '%s\n' "$2" | head -n 60 | sed 's/^/#   /'
	fi
	return 0
}

# check NAME CONDITION-COMMAND...: passes when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "failed: $*"; fi
}

# mkc ARGS...: runs mkcitybook; stdout in $T/out, stderr in $T/err,
# status in $rc.  Under valgrind, MKC_WRAP holds the wrapper.
mkc() {
	# shellcheck disable=SC2086
	${MKC_WRAP:-} "$MKC" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	# Every message, for docs.sh.
	cat "$T/err" >>"$T/messages"
}

# Compares a file with its golden, or rewrites the golden (--update).
golden() {
	local name=$1 got=$2 want=$3
	if [ -n "${UPDATE:-}" ]; then
		cp "$got" "$want"
		pass "$name (updated)"
	elif [ ! -f "$want" ]; then
		fail "$name" "no golden $want (run tests/run.sh --update)"
	elif cmp -s "$got" "$want"; then
		pass "$name"
	else
		fail "$name" "$(diff -u "$want" "$got")"
	fi
}

# expect_rc NAME WANT: the last mkc exited with WANT.
expect_rc() {
	if [ "$rc" = "$2" ]; then
		pass "$1: exit $2"
	else
		fail "$1: exit $2" "exit $rc; stderr:
$(cat "$T/err")"
	fi
}

# expect_err NAME TEXT: stderr is exactly TEXT.
expect_err() {
	local name=$1
	printf '%s\n' "$2" >"$T/want.err"
	[ -z "$2" ] && : >"$T/want.err"
	if cmp -s "$T/err" "$T/want.err"; then
		pass "$name: message"
	else
		fail "$name: message" "$(diff -u "$T/want.err" "$T/err")"
	fi
}

# keep_book FILE: EPUBCheck will validate it at the end.
nbooks=0
keep_book() {
	nbooks=$((nbooks + 1))
	cp "$1" "$T/books/$(printf '%03d' $nbooks)-$(basename "$1")"
}

# unpack EPUB DIR: the book's files, for comparing trees.
unpack() {
	rm -rf "$2"
	mkdir -p "$2"
	(cd "$2" && unzip -q -X "$1" 2>/dev/null || unzip -q "$1")
}

# zip_listing EPUB: entries with method, size, time and mode; the
# compressed sizes are left out, as they depend on zlib's version, and so
# is the size of a drawn cover, which depends on the fonts installed.
zip_listing() {
	zipinfo "$1" | sed '1,2d;$d' |
	    awk '$NF == "EPUB/images/cover.png" { $4 = "*" } { print }'
}

# A private copy of a folder of test content.
copy_dir() {
	rm -rf "$2"
	cp -R "$1" "$2"
}

sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# golden_dir DIR MODE OPTIONS: every article of DIR against its goldens.
golden_dir() {
	local dir=$1 mode=$2 opts=$3 f name base more
	for f in "$dir"/*.txt "$dir"/*.md; do
		[ -e "$f" ] || continue
		name=${f%.*}
		base=$(basename "$f")
		more=
		[ -f "$name.opts" ] && more=$(cat "$name.opts")
		# shellcheck disable=SC2086
		cd "$dir" && mkc $mode $opts $more "$base"
		cd "$top" || return
		{ cat "$T/err"; echo "exit $rc"; } >"$T/errs"
		golden "$(basename "$dir")/$base" "$T/out" "$name.tree"
		if [ -n "$UPDATE" ]; then
			if [ -s "$T/err" ] || [ "$rc" != 0 ]; then
				cp "$T/errs" "$name.err"
			else
				rm -f "$name.err"
			fi
		elif [ -f "$name.err" ]; then
			golden "$(basename "$dir")/$base: messages" "$T/errs" \
			    "$name.err"
		elif [ -s "$T/err" ] || [ "$rc" != 0 ]; then
			fail "$(basename "$dir")/$base: silent" "$(cat "$T/errs")"
		fi
	done
}
