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

# fault_ok NAME: after a failure, the output folder holds exactly the
# earlier book, unchanged, and nothing else.
fault_ok() {
	check "$1: the earlier book is untouched" \
	    [ "$(sha "$T/f/out/book.epub")" = "$before" ]
	check "$1: no temporary files" [ "$(ls -A "$T/f/out")" = "book.epub" ]
}

# A full disk: the file size limit...
# (A subshell, for the limit: its status is the one to check.)
# shellcheck disable=SC2086
(ulimit -f 50; ${MKC_WRAP:-} "$MKC" -q content -o "$T/f/out/book.epub" \
    >"$T/out" 2>"$T/err")
rc=$?
expect_rc "faults: ulimit -f" 1
expect_err "faults: ulimit -f" "mkcitybook: $T/f/out/book.epub: error: cannot write: File too large
mkcitybook: error: no book written"
fault_ok "faults: ulimit -f"

# ... and a file system that is full, where this machine lets us mount one.
mkdir -p "$T/f/tiny"
if mount -t tmpfs -o size=64k tmpfs "$T/f/tiny" 2>/dev/null; then
	echo 'an earlier book' >"$T/f/tiny/book.epub"
	mkc -q content -o "$T/f/tiny/book.epub"
	expect_rc "faults: a full file system" 1
	expect_err "faults: a full file system" "mkcitybook: $T/f/tiny/book.epub: error: cannot write: No space left on device
mkcitybook: error: no book written"
	check "faults: a full file system: the earlier book is untouched" \
	    [ "$(cat "$T/f/tiny/book.epub")" = 'an earlier book' ]
	check "faults: a full file system: no temporary files" \
	    [ "$(ls -A "$T/f/tiny")" = "book.epub" ]
	umount "$T/f/tiny"

	# A full TMPDIR: the scratch file fills once the chapters are in,
	# while the contents, package and NCX go in (side by side, or one
	# at a time with -j 1).  Not under valgrind, whose own files in
	# TMPDIR would fill it first.
	mount -t tmpfs -o size=16k tmpfs "$T/f/tiny"
	for j in 2 1; do
		[ -z "${MKC_WRAP:-}" ] || break
		TMPDIR=$T/f/tiny mkc -q -j $j content -o "$T/f/out/book.epub"
		expect_rc "faults: a full TMPDIR, -j $j" 1
		expect_err "faults: a full TMPDIR, -j $j" "mkcitybook: error: cannot write a temporary file in $T/f/tiny: No space left on device
mkcitybook: error: no book written"
		fault_ok "faults: a full TMPDIR, -j $j"
		check "faults: a full TMPDIR, -j $j: nothing left in it" \
		    [ -z "$(ls -A "$T/f/tiny")" ]
	done
	umount "$T/f/tiny"
else
	echo "# no tmpfs here (not root, or no mount): ulimit -f stood in"
fi

# A read-only folder, as nobody (root may write anywhere).
chmod 711 "$T" "$T/f"
mkdir -p "$T/f/ro"
cp "$T/f/out/book.epub" "$T/f/ro/book.epub"
chmod -R a+rX "$T/f/good"
chmod 555 "$T/f/ro"
if [ "$(id -u)" = 0 ]; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$MKC" \
	    "$T/f/good" -o "$T/f/ro/book.epub" >"$T/out" 2>"$T/err"
else
	"$MKC" "$T/f/good" -o "$T/f/ro/book.epub" >"$T/out" 2>"$T/err"
fi
rc=$?
expect_rc "faults: a read-only folder" 1
expect_err "faults: a read-only folder" "mkcitybook: $T/f/ro/book.epub: error: cannot write the book: Permission denied"
check "faults: a read-only folder: the earlier book is untouched" \
    [ "$(sha "$T/f/ro/book.epub")" = "$before" ]
chmod 755 "$T/f/ro"

# Killed in the middle, by SIGKILL, which nothing can catch: a book big
# enough to take seconds, killed twice.  Its output is an unnamed file
# from the start, which only a finished book turns into the file.
if [ -x "$top/build/gencities" ]; then
	"$top/build/gencities" 3000 "$T/f/big" >/dev/null
	printf 'title: Big\n' >"$T/f/big/book.yaml"
	half=$(( $(du -sb "$T/f/big" | cut -f1) / 2 ))

	# Once while reading: when it has read half the articles' bytes
	# since it opened its unnamed book (valgrind reads much before).
	# shellcheck disable=SC2086
	${MKC_WRAP:-} "$MKC" -q -j 1 "$T/f/big" -o "$T/f/out/book.epub" \
	    >/dev/null 2>&1 &
	pid=$!
	held= base=
	for i in $(seq 1 6000); do
		kill -0 $pid 2>/dev/null || break
		r=$(awk '/^rchar/ { print $2 }' /proc/$pid/io 2>/dev/null)
		if ls -l /proc/$pid/fd 2>/dev/null |
		    grep -q "$T/f/out/#.*(deleted)"; then
			[ -n "$base" ] || base=${r:-0}
			if [ "${r:-0}" -gt $((base + half)) ]; then
				held=1
				break
			fi
		fi
		sleep 0.02
	done
	pkill -KILL -P $pid 2>/dev/null
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	check "faults: SIGKILL while reading: its unnamed book was open" \
	    [ -n "$held" ]
	fault_ok "faults: SIGKILL while reading"

	# Once while writing the zip: gdb stops it at its second write
	# to the book, its buffer's worth in, and kills it there.
	if [ -z "${MKC_WRAP:-}" ] && command -v gdb >/dev/null; then
		gdb -q -batch -ex 'set breakpoint pending on' \
		    -ex 'break zip_close' -ex run -ex 'break pwrite64' \
		    -ex continue -ex continue -ex "python
import gdb, os
pid = gdb.selected_inferior().pid
with open('$T/gdb.size', 'w') as f:
    for fd in os.listdir('/proc/%d/fd' % pid):
        link = os.readlink('/proc/%d/fd/%s' % (pid, fd))
        if link.startswith('$T/f/out/') and link.endswith('(deleted)'):
            f.write('%d\\n' % os.stat('/proc/%d/fd/%s' % (pid, fd)).st_size)
" -ex 'signal SIGKILL' --args "$MKC" -q -j 1 "$T/f/big" \
		    -o "$T/f/out/book.epub" >"$T/gdb.out" 2>&1
		check "faults: SIGKILL while writing: its unnamed book had bytes" \
		    [ "$(cat "$T/gdb.size" 2>/dev/null || echo 0)" -gt 0 ]
		fault_ok "faults: SIGKILL while writing"
	else
		echo "# no gdb, or under valgrind: the kill while writing is skipped"
	fi
	rm -rf "$T/f/big"
else
	fail "faults: SIGKILL" "build/gencities is missing: make build/gencities"
fi

# The cover's helper, when it is missing, fails, dies or draws nothing:
# the program, copied into a folder of its own, with such a helper or
# none.  A clear error, and the earlier book stays.
helper_case() {
	local name=$1 want=$2
	mkc -q content -o "$T/f/out/book.epub"
	expect_rc "faults: $name" 1
	expect_err "faults: $name" "mkcitybook: error: cannot draw the cover: $want
mkcitybook: error: no book written"
	fault_ok "faults: $name"
}
mkdir -p "$T/f/bin"
cp "$MKC" "$T/f/bin/mkcitybook"
real_mkc=$MKC
MKC=$T/f/bin/mkcitybook
helper_case "no cover helper" "mkcitybook-cover is not installed (looked in $T/f/bin and $T/f/bin/../libexec/mkcitybook); give the book a cover.jpg or cover.png"
helper=$T/f/bin/mkcitybook-cover
printf '#!/bin/sh\ncat >/dev/null\nexit 3\n' >"$helper"
chmod +x "$helper"
helper_case "a failing cover helper" "$helper failed (exit status 3)"
printf '#!/bin/sh\nkill -9 $$\n' >"$helper"
helper_case "a dying cover helper" "$helper died (signal 9)"
printf '#!/bin/sh\ncat >/dev/null\n' >"$helper"
helper_case "a cover helper that draws nothing" "$helper wrote no picture"
# A given cover needs no helper.
copy_dir content "$T/f/covered"
cp tests/book/photos/cover.jpg "$T/f/covered/"
mkc -q "$T/f/covered" -o "$T/f/covered.epub"
expect_rc "faults: a given cover needs no helper" 0
MKC=$real_mkc
rm -rf "$T/f/bin" "$T/f/covered" "$T/f/covered.epub"

# A caller that ignores SIGCHLD and SIGPIPE (both survive exec): the
# helper is still waited for, and still draws.
# shellcheck disable=SC2086
(trap '' CHLD PIPE; exec ${MKC_WRAP:-} "$MKC" -q content \
    -o "$T/f/chld.epub") >"$T/out" 2>"$T/err"
rc=$?
expect_rc "faults: SIGCHLD and SIGPIPE ignored" 0
expect_err "faults: SIGCHLD and SIGPIPE ignored" ""
rm -f "$T/f/chld.epub"

# The helper itself: input that stops between fields is mkcitybook
# giving up on the book, and nothing is drawn; input that stops inside
# a field is an error of its own.
helper=$(dirname "$MKC")/mkcitybook-cover
for input in '' 'Title\0Subtitle\0\0A & B\0'; do
	# shellcheck disable=SC2086
	printf "$input" | ${MKC_WRAP:-} "$helper" >"$T/out" 2>"$T/err"
	check "faults: the cover helper, given '$input', draws nothing" \
	    sh -c "[ $? = 0 ] && [ ! -s '$T/out' ] && [ ! -s '$T/err' ]"
done
# shellcheck disable=SC2086
printf 'Title\0Subtitle\0\0A & B\0Anshan' |
    ${MKC_WRAP:-} "$helper" >"$T/out" 2>"$T/err"
rc=$?
expect_rc "faults: the cover helper, given half a field" 1
expect_err "faults: the cover helper, given half a field" \
    "mkcitybook-cover: the input ends inside a field; each must end with a NUL byte"
