#!/usr/bin/env bash
# test_battery.sh - the breakout battery (tests/security/battery.c): every
# known escape technique in it, tried from inside a real container under
# the default profile (base), must be refused. One t_battery_* test per
# case; see tests/security/README.md for what blocks each one.
#
#   make rampart build/probe build/battery
#   BASE_ROOTFS=$PWD/build/rootfs bash tests/security/test_battery.sh
#   ONLY=battery tests/integration/run      # the same, via the runner
#
# A case the battery reports SUCCEEDED is a real finding against
# base.profile: the test fails with "BREAKOUT" and the battery's line.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../integration/lib.sh"

BATTERY=$TOP/build/battery
if [ ! -x "$BATTERY" ]; then
	echo "    FAIL: $BATTERY is missing: make build/battery" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

setup_rootfs
cp "$BATTERY" "$ROOTFS/battery"

# Container root is host uid 100000 under the default `userns map`: a
# setuid binary it owns is the one that would really grant root inside.
cp "$BATTERY" "$ROOTFS/battery-suid"
chown 100000:100000 "$ROOTFS/battery-suid"
chmod 4755 "$ROOTFS/battery-suid"
# And one owned by host root (unmapped inside).
cp "$BATTERY" "$ROOTFS/battery-suid-hostroot"
chown 0:0 "$ROOTFS/battery-suid-hostroot"
chmod 4755 "$ROOTFS/battery-suid-hostroot"

# A copy with the file capability cap_sys_admin+ep: security.capability,
# revision 2 (0x02000001 = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE),
# permitted bit 21 (CAP_SYS_ADMIN), little endian. A v2 capability set by
# host root is honoured in every user namespace below it.
FCAP_HEX=0x0100000200002000000000000000000000000000
FCAP_SKIP=
cp "$BATTERY" "$ROOTFS/battery-fcap"
chmod 0755 "$ROOTFS/battery-fcap"
if command -v setfattr >/dev/null; then
	setfattr -n security.capability -v "$FCAP_HEX" "$ROOTFS/battery-fcap" 2>"$T/fcap.err" ||
		FCAP_SKIP="setfattr security.capability failed: $(cat "$T/fcap.err")"
elif command -v python3 >/dev/null; then
	python3 -c 'import os, sys; os.setxattr(sys.argv[1], "security.capability", bytes.fromhex(sys.argv[2][2:]))' \
		"$ROOTFS/battery-fcap" "$FCAP_HEX" 2>"$T/fcap.err" ||
		FCAP_SKIP="os.setxattr security.capability failed: $(tail -n1 "$T/fcap.err")"
else
	FCAP_SKIP="neither setfattr (package attr) nor python3 to set security.capability"
fi
# What the image holds, checked here so that a bit missing inside the
# container is rampart's doing (setuid strip), not a failed preparation.
SUID_SKIP=
for f in battery-suid battery-suid-hostroot; do
	[ "$(stat -c %a "$ROOTFS/$f")" = 4755 ] || SUID_SKIP="/$f is not mode 4755 in the image"
done
if [ -z "$FCAP_SKIP" ] && command -v python3 >/dev/null &&
	! python3 -c 'import os, sys; sys.exit(os.getxattr(sys.argv[1], "security.capability").hex() != sys.argv[2][2:])' \
		"$ROOTFS/battery-fcap" "$FCAP_HEX" 2>/dev/null; then
	FCAP_SKIP="security.capability on the image's /battery-fcap did not read back as set"
fi

# battery CASE [RAMPART OPTIONS...]: run one case under base; sets OUT, ERR, RC.
# stdin is /dev/null so the tiocsti case makes its own pty, never the
# terminal the suite runs from.
battery() {
	local case=$1; shift
	launch "$@" -- /battery "$case" </dev/null
}

# check_verdict CASE: the battery's line in OUT and status in RC must say
# BLOCKED; SKIPPED is a skip with the battery's reason.
check_verdict() {
	local case=$1 line
	line=$(printf '%s\n' "$OUT" | head -n1)
	[ "$RC" -eq 77 ] || echo "    $line" >&2
	case $RC in
	0)
		assert_eq 1 "$(printf '%s\n' "$OUT" | wc -l)" "lines printed by '$case'"
		assert_match "^BLOCKED $case: .+" "$line" "verdict"
		;;
	77)
		assert_match "^SKIPPED $case: .+" "$line" "verdict"
		skip "${line#SKIPPED "$case": }"
		;;
	1)
		fail "BREAKOUT: the '$case' attack succeeded against base.profile: $line"
		;;
	*)
		fail "'$case' ended with status $RC, no verdict (out: '$OUT', err: '$ERR')"
		;;
	esac
}

expect_blocked() {
	local case=$1; shift
	battery "$case" "$@"
	check_verdict "$case"
}

# --- cases that need preparation or a different verdict --------------------

# setuid and filecap under base meet `setuid strip` first. Once more with
# `setuid keep`, so the bits are visible inside and the layers behind
# (nosuid everywhere, no_new_privs, empty bounding set) are what is tried.
keep_variant() {
	local case=$1 visible=$2
	battery "$case" --set 'setuid keep'
	if [ "$RC" -eq 125 ]; then
		echo "    with 'setuid keep': refused by this rampart ($ERR): layers behind the strip not tried" >&2
		return
	fi
	echo "    with 'setuid keep':" >&2
	check_verdict "$case"
	assert_match "$visible" "$OUT" "'$case' with setuid keep sees the bits"
}

t_battery_setuid() {
	[ -z "$SUID_SKIP" ] || skip "$SUID_SKIP"
	expect_blocked setuid
	keep_variant setuid '/battery-suid \(owner uid 0, setuid\)'
}

t_battery_filecap() {
	[ -z "$FCAP_SKIP" ] || skip "$FCAP_SKIP"
	expect_blocked filecap
	keep_variant filecap 'security.capability present inside'
}

t_battery_bind_symlink() {
	# An image symlink aiming at a path that also exists on the host
	# (absolute, then climbing with ..), and a bind line onto it: the bind
	# must land at the link's target inside the root, never on the host
	# directory. Not under /tmp: base puts a tmpfs there inside.
	local H=/var/tmp/rampart-battery-bind.$$ link
	mkdir -p "$H" "$ROOTFS$H" "$T/bindsrc"
	# shellcheck disable=SC2064 # expanded now: H is local, the trap runs at exit
	trap "rm -rf '$H'" EXIT
	echo rampart-battery-bind-marker >"$T/bindsrc/marker"
	for link in "$H" "../../../../../../../..$H"; do
		ln -sfn "$link" "$ROOTFS/battery-bind"
		battery bind-symlink --set "bind $T/bindsrc /battery-bind"
		[ ! -e "$H/marker" ] || fail "BREAKOUT: the bind via $link covered the host directory $H"
		! findmnt -rn "$H" >/dev/null || fail "BREAKOUT: a mount appeared on the host at $H via $link"
		echo "    symlink /battery-bind -> $link:" >&2
		check_verdict bind-symlink
	done
}

t_battery_cve_2024_21626() {
	expect_blocked cve-2024-21626
	# runc's attack shape: a cwd through an fd the runtime leaked
	# (`cwd /proc/self/fd/N`). Refused before the workload runs (125), or
	# the battery must find itself inside.
	for fd in $(seq 3 15); do
		battery cve-2024-21626 --set "cwd /proc/self/fd/$fd"
		if [ "$RC" -eq 125 ]; then
			assert_match '^rampart: cwd: ' "$ERR" "refusal of cwd /proc/self/fd/$fd"
			continue
		fi
		echo "    cwd /proc/self/fd/$fd:" >&2
		check_verdict cve-2024-21626
	done
	echo "    cwd /proc/self/fd/3..15: refused by rampart or inside the root" >&2
}

# CVE-2019-5736 through `exec` (runc's case): while exec enters a running
# container, the process it makes there is rampart's code until execve.
# A watcher in the container, root with the capabilities containerd gives
# and no user namespace (the exposed shape), reads /proc/*/exe in a loop
# while the host runs 20 execs. It must never see the host binary: the
# entering process is non-dumpable before it joins anything, so its
# /proc/PID/exe fails the ptrace access check. With CAP_SYS_PTRACE too
# (debuggers ask for it) that check passes, so rampart runs from a sealed
# memfd copy of itself: the watcher may see the copy, never the file.
# Should an OCI case fail half-way, its containers go with it (each case
# runs in a subshell of its own: the trap is the case's).
oci_cleanup_on_exit() {
	trap 'oci_delete_all "$T/state"' EXIT
}

exe_watch() { # ID EXTRA-CAPS
	local b=$T/bundle5736-$1 i seen host
	local caps='"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"'"$2"
	[ -n "$T" ] || fail "no test directory"
	mkdir -p "$b/out"
	ln -sfn "$ROOTFS" "$b/rootfs"
	cat >"$b/config.json" <<EOF
{"ociVersion": "1.2.0", "root": {"path": "rootfs"},
 "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "env": ["PATH=/bin:/usr/bin"],
   "args": ["/bin/sh", "-c", "while :; do for p in /proc/[0-9]*; do [ \$p = /proc/\$\$ ] || readlink \$p/exe; done 2>/dev/null >>/out/seen; done"],
   "capabilities": {"bounding": [$caps], "effective": [$caps], "permitted": [$caps]}},
 "mounts": [{"destination": "/out", "type": "bind", "source": "$b/out", "options": ["rbind", "rw"]}],
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}, {"type": "network"}]}}
EOF
	"$RAMPART" --root "$T/state" run --detach --bundle "$b" "$1" || fail "run --detach"
	for i in $(seq 20); do
		"$RAMPART" --root "$T/state" exec "$1" /bin/true || fail "exec $i"
	done
	"$RAMPART" --root "$T/state" delete --force "$1" || fail "delete"
	seen=$(sort -u "$b/out/seen")
	host=$(readlink -f "$RAMPART")
	[ -n "$seen" ] || fail "the watcher read nothing (it did not run?)"
	! grep -Fxq "$host" <<<"$seen" ||
		fail "BREAKOUT: /proc/PID/exe of the runtime ($host) readable from the container: $(echo $seen)"
	echo "    $1: 20 execs watched; exe links seen: $(echo $seen)" >&2
	SEEN=$seen
}

t_battery_oci_exec_cve_2019_5736() {
	oci_cleanup_on_exit
	exe_watch w5736 ""
	exe_watch w5736p ', "CAP_SYS_PTRACE"'
	assert_match "^/memfd:rampart-sealed" "$SEEN" "with CAP_SYS_PTRACE, the runtime ran from its sealed copy"
}

# CVE-2024-21626 through `exec --cwd`: a cwd through an fd the runtime
# might hold (/proc/self/fd/N) is refused before the process runs, or it
# lands inside the container; and the exec'd process holds no fd but 0-2.
t_battery_oci_exec_cve_2024_21626() {
	local b=$T/bundle21626 fd out
	oci_cleanup_on_exit
	mkdir -p "$b"
	ln -sfn "$ROOTFS" "$b/rootfs"
	cat >"$b/config.json" <<EOF
{"ociVersion": "1.2.0", "root": {"path": "rootfs"},
 "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "env": ["PATH=/bin:/usr/bin"], "args": ["/bin/sleep", "60"]},
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}, {"type": "network"}]}}
EOF
	"$RAMPART" --root "$T/state" run --detach --bundle "$b" w21626 || fail "run --detach"
	for fd in $(seq 3 12); do
		# Refused ("rampart: cwd: ..."), or a cwd inside: nothing outside
		# the rootfs is reachable through "..".
		out=$("$RAMPART" --root "$T/state" exec --cwd "/proc/self/fd/$fd" w21626 /bin/sh -c 'cd ../../../..; ls -di .' 2>/dev/null)
		[ -z "$out" ] || [ "$(awk '{ print $1 }' <<<"$out")" = "$(stat -c %i "$ROOTFS")" ] ||
			fail "BREAKOUT: exec --cwd /proc/self/fd/$fd reached inode $(awk '{ print $1 }' <<<"$out"), not the rootfs"
	done
	out=$("$RAMPART" --root "$T/state" exec w21626 /bin/ls /proc/self/fd 3</etc/hostname 4</etc/hostname)
	assert_eq "0 1 2 3" "$(echo $out)" "fds of an exec'd process (3: ls's own directory fd)"
	"$RAMPART" --root "$T/state" delete --force w21626 || fail "delete"
	echo "    exec --cwd /proc/self/fd/3..12: refused or inside; no caller fd passes in" >&2
}

# The filter must kill these (SIGSYS, 128+31): the battery prints only when
# it survives. Without the i386 emulation int 0x80 faults (SIGSEGV): a skip.
# expect_killed CASE ABI MESSAGE_REGEX
expect_killed() {
	local case=$1 abi=$2 msg=$3
	battery "$case"
	case $RC in
	159)
		echo "    killed by SIGSYS: $(grep -m1 'seccomp' <<<"$ERR" || echo '(no message)')" >&2
		assert_eq "" "$OUT" "output of a killed '$case'"
		assert_match "$msg" "$ERR" "rampart's message"
		;;
	139) skip "the kernel has no $abi emulation ('$case' faulted: SIGSEGV)" ;;
	1) fail "BREAKOUT: the '$case' attack was not killed: $OUT" ;;
	*) fail "'$case': expected SIGSYS (159), got $RC (out: '$OUT', err: '$ERR')" ;;
	esac
}

t_battery_int80() { expect_killed int80 i386 "i386 syscall 20"; }
t_battery_x32() { expect_killed x32 x32 "x32 syscall 39"; }

# --- every other case: BLOCKED ----------------------------------------------

CASES=$("$BATTERY" list)
for c in $CASES; do
	fn=t_battery_${c//-/_}
	declare -F "$fn" >/dev/null || eval "$fn() { expect_blocked $c; }"
done

# The list and its documentation stay together.
t_battery_every_case_documented() {
	local readme=$TOP/tests/security/README.md c n=0
	[ -n "$CASES" ] || fail "battery list printed nothing"
	for c in $CASES; do
		grep -q "^| \`$c\` |" "$readme" || fail "case '$c' is not in the table of $readme"
		n=$((n + 1))
	done
	echo "    $n cases, all in tests/security/README.md" >&2
}

run_tests
