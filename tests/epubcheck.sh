# epubcheck.sh: every book the suite built passes EPUBCheck 4.2.6 with no
# error and no warning.  Two JVMs at a time: startup dominates.
if [ "${EPUBCHECK:-1}" = 0 ]; then
	echo "# EPUBCheck skipped (EPUBCHECK=0)"
else
	jar=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
	if [ ! -r "$jar" ] || ! command -v java >/dev/null; then
		fail "epubcheck" "$jar or java is missing: run make deps"
	else
		ls "$T"/books/*.epub 2>/dev/null | xargs -r -P 2 -I{} sh -c \
		    'java -XX:TieredStopAtLevel=1 -Xss4m -jar "$0" \
		    --failonwarnings "$1" >"$1.log" 2>&1; echo $? >"$1.rc"' \
		    "$jar" {}
		for b in "$T"/books/*.epub; do
			[ -e "$b" ] || continue
			n=$(basename "$b" .epub)
			if [ "$(cat "$b.rc")" = 0 ] && grep -q \
			    '0 fatals / 0 errors / 0 warnings' "$b.log"; then
				pass "epubcheck: $n"
			else
				fail "epubcheck: $n" "$(grep -E \
				    'ERROR|WARNING|FATAL|Messages' "$b.log")"
			fi
		done
	fi
fi
