# docs.sh: the manual answers for what the program says.  Every message
# the suite made mkcitybook print is listed in DIAGNOSTICS, where each
# "Sy ..." entry is a pattern: "..." stands for anything, 0xNN for a
# byte, U+NNNN for a code point.
man=$top/src/mkcitybook.1
if command -v mandoc >/dev/null; then
	check "docs: mandoc -Tlint is silent" make -s -C "$top" lint-man
fi
awk '/^\.Sh DIAGNOSTICS/ { on = 1; next } /^\.Sh / { on = 0 }
    on && /^\.It Sy / { sub(/^\.It /, ""); print }' "$man" |
    sed 's/ ; Sy /\n/g; s/^Sy //' |
    sed 's/\\-/-/g; s/[][\.*^$(){}+?|/]/\\&/g' |
    sed 's/ *\\\.\\\.\\\. */.*/g; s/0xNN/0x[0-9A-F][0-9A-F]/g' |
    sed 's/U\\+NNNN/U\\+[0-9A-F]+/g; s/^/^/' >"$T/patterns"
check "docs: DIAGNOSTICS lists messages" [ "$(wc -l <"$T/patterns")" -gt 80 ]
sed -n 's/^mkcitybook: \(.*: \)\{0,1\}\(error\|warning\|note\): //p' \
    "$T/messages" 2>/dev/null | sort -u >"$T/said"
grep -Ev -f "$T/patterns" "$T/said" >"$T/undocumented"
check "docs: the suite saw messages" [ "$(wc -l <"$T/said")" -gt 40 ]
if [ -s "$T/undocumented" ]; then
	fail "docs: every message is in DIAGNOSTICS" "$(cat "$T/undocumented")"
else
	pass "docs: every message is in DIAGNOSTICS"
fi
