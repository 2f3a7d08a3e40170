#!/usr/bin/env bash
# test_soak.sh - the short soak (tests/soak/soak.sh): 100 sequential and 40
# concurrent launches (4 and 8 at a time) with every layer on, then no
# mounts, cgroups, links, fds, state or processes left and no growth in
# rampart's RSS or fd count; and 20 launches under valgrind memcheck with
# zero definite leaks. The long soak (1000 / 200) is `scripts/soak`, run by
# `make proof`.
. "$(dirname "$0")/lib.sh"

VG_OUT=$(mktemp /tmp/rampart-soak-vg.XXXXXX)
trap 'rm -f "$VG_OUT"' EXIT

soak() {
	out=$("$TOP/tests/soak/soak.sh" "$@" 2>&1)
	rc=$?
	sed 's/^/    /' <<<"$out"
	printf '%s\n' "$out" >"$SOAK_OUT"
	assert_eq 0 "$rc" "soak status"
	assert_match '^soak: [1-9][0-9]* passed, 0 failed' "$(tail -n1 <<<"$out")" "soak summary"
}

t_soak_short() { SOAK_OUT=/dev/null soak --seq "${SOAK_SEQ:-100}" --conc "${SOAK_CONC:-40}" --jobs "4 8"; }

# Zero definite leaks in every rampart process valgrind followed.
t_soak_valgrind() {
	command -v valgrind >/dev/null || skip "valgrind not installed"
	SOAK_OUT=$VG_OUT soak --seq 0 --conc 0 --valgrind "${SOAK_VALGRIND:-20}"
}

# Whether a launch could run to the end under valgrind: not with a
# valgrind that lacks the new mount API (then SKIPPED, with the reason).
t_valgrind_full_launch() {
	command -v valgrind >/dev/null || skip "valgrind not installed"
	[ -s "$VG_OUT" ] || skip "t_soak_valgrind did not run"
	why=$(grep -m1 'no launch completed' "$VG_OUT")
	why=${why% # SKIPPED}
	[ -z "$why" ] || skip "${why#*valgrind: }"
	true
}

run_tests
