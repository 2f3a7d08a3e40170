#!/usr/bin/env bash
# test_soak.sh - the short soak (tests/soak/soak.sh): 100 sequential and 40
# concurrent launches (4 and 8 at a time) with every layer on, then no
# mounts, cgroups, links, fds, state or processes left and no growth in
# rampart's RSS or fd count; and 21 launches under valgrind memcheck with
# zero definite leaks, a third of them run through to exec. The long soak (1000 / 200) is `scripts/soak`, run by
# `make proof`.
. "$(dirname "$0")/lib.sh"

soak() {
	out=$("$TOP/tests/soak/soak.sh" "$@" 2>&1)
	rc=$?
	sed 's/^/    /' <<<"$out"
	assert_eq 0 "$rc" "soak status"
	assert_match '^soak: [1-9][0-9]* passed, 0 failed' "$(tail -n1 <<<"$out")" "soak summary"
}

t_soak_short() { soak --seq "${SOAK_SEQ:-100}" --conc "${SOAK_CONC:-40}" --jobs "4 8"; }

# Zero definite leaks in every rampart process valgrind followed, and the
# launches without a filter run to exec (see tests/soak/soak.sh).
t_soak_valgrind() {
	command -v valgrind >/dev/null || skip "valgrind not installed"
	soak --seq 0 --conc 0 --valgrind "${SOAK_VALGRIND:-21}"
}

# The OCI lifecycle, repeated: run --detach, exec, kill, delete in a row,
# then create/start/delete --force 4 at a time; afterwards no state
# directory, cgroup, process or mount is left.
t_soak_oci_lifecycle() {
	local b st i n=${SOAK_OCI:-40} before cgroot
	setup_rootfs
	b=$T/bundle st=$T/state
	mkdir -p "$b"
	ln -s "$ROOTFS" "$b/rootfs"
	cat >"$b/config.json" <<EOF
{"ociVersion": "1.2.0", "root": {"path": "rootfs"},
 "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "args": ["/bin/sleep", "60"], "env": ["PATH=/bin"]},
 "linux": {"namespaces": [{"type": "user"}, {"type": "pid"}, {"type": "mount"}, {"type": "ipc"},
                          {"type": "uts"}, {"type": "network"}, {"type": "cgroup"}]}}
EOF
	before=$(mount_snapshot)
	cgroot=$(findmnt -rn -t cgroup2 -o TARGET | head -n1)
	for i in $(seq "$n"); do
		"$RAMPART" --root "$st" run --detach --bundle "$b" "soak-$i" || fail "run $i"
		[ "$("$RAMPART" --root "$st" exec "soak-$i" /bin/echo in)" = in ] || fail "exec $i"
		"$RAMPART" --root "$st" kill "soak-$i" KILL || fail "kill $i"
		"$RAMPART" --root "$st" delete --force "soak-$i" || fail "delete $i"
	done
	one() {
		"$RAMPART" --root "$st" create --bundle "$b" "$1" && "$RAMPART" --root "$st" start "$1" &&
			"$RAMPART" --root "$st" delete --force "$1"
	}
	for i in $(seq "$n"); do
		one "soakc-$i" &
		[ $((i % 4)) -ne 0 ] || wait
	done
	wait
	[ -z "$(ls -A "$st")" ] || fail "state left: $(ls "$st" | head)"
	[ -z "$cgroot" ] || [ -z "$(ls "$cgroot/rampart-oci" 2>/dev/null | grep '^soak')" ] ||
		fail "cgroups left: $(ls "$cgroot/rampart-oci" | grep '^soak' | head)"
	! pgrep -f "^/bin/sleep 60$" >/dev/null || fail "container processes left: $(pgrep -fa '^/bin/sleep 60$' | head -3)"
	assert_eq "$before" "$(mount_snapshot)" "host mount table"
	echo "    $n run/exec/kill/delete in a row, $n create/start/delete 4 at a time: nothing left"
}

run_tests
