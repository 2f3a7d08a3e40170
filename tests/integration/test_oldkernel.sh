#!/usr/bin/env bash
# test_oldkernel.sh - the fallbacks, proven on this kernel: other suites run
# again with rampart under tests/helpers/oldkernel, whose seccomp filter
# answers ENOSYS for every system call newer than the kernel it plays.
#
#   5.10 (Debian 11): no mount_setattr; flags are set by remounting, and
#        every other interface is there.
#   5.1:  no new mount API, clone3, pidfd_open, openat2 or close_range:
#         mount(2) on /proc/self/fd/N, clone, openat2's RESOLVE_IN_ROOT
#         done in user space (runtime/resolve.c), fds closed one by one.
#
# What may differ on 5.1 is fixed and tested here: `setuid strip` and the
# OCI commands that signal or enter a container refuse with the kernel they
# need; the rootfs is entered by its path (its parents must be searchable
# by the container's root, as with runc).
. "$(dirname "$0")/lib.sh"
# Each test is a whole suite run again as on an older kernel.
TEST_TIMEOUT=600

OLDKERNEL=$TOP/build/oldkernel

# wrapper VERSION [KEEP]: a rampart that runs as on that kernel. With KEEP,
# launches get `setuid keep` (put last, so the suites' --set line numbers
# hold) and the rootfs's parent directory is made searchable.
wrapper() {
	local w=$T/bin/rampart-$1
	# Rootless cases run it as another user.
	mkdir -p "$T/bin" && chmod 711 "$T" && chmod 755 "$T/bin"
	cat >"$w" <<EOF
#!/usr/bin/env bash
if [ "$2" = keep ] && [ "\$1" = launch ]; then
	args=("\$@")
	for ((i = 0; i < \${#args[@]}; i++)); do [ "\${args[i]}" = -- ] && break; done
	if [ \$i -gt 1 ] && [ \$i -lt \${#args[@]} ]; then
		chmod o+x "\$(dirname "\${args[i-1]}")"
		set -- "\${args[@]:0:i-1}" --set 'setuid keep' "\${args[@]:i-1}"
	fi
fi
exec "$OLDKERNEL" $1 "$RAMPART" "\$@"
EOF
	chmod 755 "$w"
	echo "$w"
}

# suite NAME VERSION [KEEP]: run tests/integration/test_NAME.sh as on that
# kernel; every case must pass.
suite() {
	local out rc last
	out=$(RAMPART=$(wrapper "$2" "${3:-}") bash "$TOP/tests/integration/test_$1.sh" 2>&1)
	rc=$?
	last=$(tail -n1 <<<"$out")
	grep -E '^(not ok|    FAIL)' <<<"$out" | sed 's/^/    /' >&2
	echo "    test_$1.sh as on Linux $2: $last" >&2
	assert_eq 0 "$rc" "test_$1.sh as on Linux $2"
	assert_match '^[1-9][0-9]* passed, 0 failed' "$last" "test_$1.sh as on Linux $2"
}

t_oldkernel_filter_works() {
	setup_rootfs
	[ -x "$OLDKERNEL" ] || fail "build $OLDKERNEL first (make integration)"
	out=$("$OLDKERNEL" 5.1 "$ROOTFS/probe" syscall 437)
	assert_match '^errno ENOSYS' "$out" "openat2 under oldkernel 5.1"
	out=$("$OLDKERNEL" 5.10 "$ROOTFS/probe" syscall 442)
	assert_match '^errno ENOSYS' "$out" "mount_setattr under oldkernel 5.10"
	out=$("$OLDKERNEL" 5.10 "$ROOTFS/probe" syscall 437)
	assert_nomatch 'ENOSYS' "$out" "openat2 under oldkernel 5.10"
}

t_launch_suite_linux_5_10() { setup_rootfs; suite launch 5.10; }
t_launch_suite_linux_5_1() { setup_rootfs; suite launch 5.1 keep; }
t_secrets_suite_linux_5_10() { setup_rootfs; suite secrets 5.10; }
t_secrets_suite_linux_5_1() { setup_rootfs; suite secrets 5.1 keep; }
t_setuid_suite_linux_5_10() { setup_rootfs; suite setuid 5.10; }
t_oci_suite_linux_5_10() { setup_rootfs; suite oci 5.10; }

# The host's /sys, bound recursively (net host): a remount changes one
# mount only, so each mount below /sys must have been remounted too.
sys_read_only_below() {
	setup_rootfs
	chmod o+x "$T"
	OUT=$("$OLDKERNEL" "$1" "$RAMPART" launch --profile base --set 'net host' --set 'setuid keep' "$ROOTFS" -- \
		/bin/sh -c 'awk "\$5 ~ \"^/sys\" { print \$5, \$6 }" /proc/self/mountinfo')
	[ "$(wc -l <<<"$OUT")" -gt 1 ] || fail "no mounts below /sys to check: $OUT"
	assert_nomatch ' rw' "$OUT" "mounts at and below /sys"
	echo "    as on Linux $1: $(wc -l <<<"$OUT") mounts at and below /sys, all read-only" >&2
}
t_host_sys_read_only_below_linux_5_1() { sys_read_only_below 5.1; }
t_host_sys_read_only_below_linux_5_10() { sys_read_only_below 5.10; }

# Without the new mount API the stripped overlay cannot be handed to the
# container: refused, naming the kernel and the alternative, nothing left.
t_setuid_strip_refused_before_5_2() {
	setup_rootfs
	chmod u+s "$ROOTFS/bin/busybox"
	before=$(mount_snapshot)
	OUT=$("$OLDKERNEL" 5.1 "$RAMPART" launch --profile base "$ROOTFS" -- /bin/true 2>&1)
	assert_eq "rampart: setuid: overlay for 'setuid strip' (needs Linux 5.2; 'setuid keep' relies on nosuid alone): Function not implemented" \
		"$OUT" "refusal"
	assert_eq "$before" "$(mount_snapshot)" "host mount table"
	[ "$(stat -c %a "$ROOTFS/bin/busybox")" = 4755 ] || fail "the image changed"
}

# Signalling or entering by pid alone could hit a reused pid: refused
# before pidfd_open (5.3), and the container is left running, not
# reported gone.
t_oci_signal_and_exec_refused_before_5_3() {
	setup_rootfs
	local b=$T/bundle st=$T/state
	mkdir -p "$b"
	ln -s "$ROOTFS" "$b/rootfs"
	(cd "$b" && "$RAMPART" spec) || fail "spec"
	sed -i 's/"sh"$/"sleep", "60"/' "$b/config.json"
	chmod o+x "$T"
	# A failed assertion must not leave the container (and its cgroup).
	trap 'oci_delete_all "$T/state"; rm -rf "$T"' EXIT
	"$OLDKERNEL" 5.1 "$RAMPART" --root "$st" run -d --bundle "$b" old1 </dev/null || fail "run -d as on 5.1"
	OUT=$("$OLDKERNEL" 5.1 "$RAMPART" --root "$st" kill old1 KILL 2>&1)
	assert_eq "rampart: kill: container old1: signalling it safely needs pidfd_open (Linux 5.3): Function not implemented" "$OUT" "kill"
	OUT=$("$OLDKERNEL" 5.1 "$RAMPART" --root "$st" exec old1 /bin/true 2>&1)
	assert_eq "rampart: exec: container old1: entering it safely needs pidfd_open (Linux 5.3): Function not implemented" "$OUT" "exec"
	OUT=$("$OLDKERNEL" 5.1 "$RAMPART" --root "$st" delete --force old1 2>&1)
	assert_eq "rampart: delete: kill old1: needs pidfd_open (Linux 5.3): Function not implemented" "$OUT" "delete --force"
	assert_match '"status": "running"' "$("$RAMPART" --root "$st" state old1)" "still running"
	"$RAMPART" --root "$st" delete --force old1 || fail "delete on this kernel"
	[ -z "$(ls -A "$st")" ] || fail "state left: $(ls "$st")"
}

run_tests
