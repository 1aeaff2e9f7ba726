# unit.sh: the C unit tests of the pure helpers (tests/unit.c).
unit=${UNIT:-build/unit}
if [ -x "$top/$unit" ]; then
	if ${MKC_WRAP:-} "$top/$unit" >"$T/unit.out" 2>&1; then
		pass "unit: $(tail -n 1 "$T/unit.out")"
	else
		fail "unit" "$(cat "$T/unit.out")"
	fi
else
	fail "unit" "$unit is missing: run make $unit"
fi
