#!/usr/bin/env bash
# test_launch.sh - the launch core, asserted from inside real containers.
. "$(dirname "$0")/lib.sh"

setup_rootfs
# A setuid-root copy of busybox: it must not raise privileges inside.
# (busybox runs as "busybox*" names; an unknown argv[0] is no applet)
cp "$ROOTFS/bin/busybox" "$ROOTFS/bin/busybox.suid"
chmod 4755 "$ROOTFS/bin/busybox.suid"
# A directory owned by the mapped root (host 100000 = container 0), for
# writable-rootfs tests: the rest of the image belongs to unmapped host root.
mkdir -p "$ROOTFS/home/root0" && chown 100000:100000 "$ROOTFS/home/root0"
chmod 0644 "$ROOTFS/etc/hostname"   # a non-executable "command"

# --- identity and privileges --------------------------------------------

t_default_user_is_nobody() {
	sh_in 'id -u; id -g'
	assert_eq 0 "$RC" "exit status"
	assert_eq "65534
65534" "$OUT" "uid/gid"
}

t_all_capability_sets_empty() {
	sh_in 'grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status'
	assert_eq 0 "$RC" "exit status ($ERR)"
	for set in Inh Prm Eff Bnd Amb; do
		assert_match "Cap$set:[[:space:]]+0000000000000000" "$OUT" "Cap$set"
	done
}

t_no_new_privs_on() {
	sh_in 'grep NoNewPrivs /proc/self/status'
	assert_match 'NoNewPrivs:[[:space:]]+1' "$OUT" "NoNewPrivs"
}

t_caps_keep_lands_in_all_sets() {
	sh_in 'grep -E "^Cap(Prm|Eff|Bnd|Amb)" /proc/self/status' --set 'caps keep NET_BIND_SERVICE'
	assert_eq 0 "$RC" "exit status ($ERR)"
	for set in Prm Eff Bnd Amb; do
		assert_match "Cap$set:[[:space:]]+0000000000000400" "$OUT" "Cap$set"
	done
}

t_setuid_binary_does_not_raise_privileges() {
	sh_in '/bin/busybox.suid id -u; /bin/busybox.suid grep -E "^(Uid|CapEff)" /proc/self/status'
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_match '^65534' "$OUT" "euid after exec of a setuid-root binary"
	assert_match 'CapEff:[[:space:]]+0000000000000000' "$OUT" "CapEff"
}

t_user_by_name_and_groups() {
	sh_in 'id -u; id -g; id -G' --set 'user app' --set 'groups extra'
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_eq "1000
1000
1000 2000" "$OUT" "uid, gid, groups"
}

t_rlimits() {
	sh_in 'ulimit -c; ulimit -n' --set 'rlimit nofile 100:200'
	assert_eq "0
100" "$OUT" "core and nofile limits"
}

# --- filesystem -----------------------------------------------------------

t_rootfs_readonly() {
	# As container root, in a directory it owns: only the mount says no.
	sh_in 'echo x >/home/root0/new; echo rc=$?' --set 'user 0'
	assert_match 'Read-only file system' "$ERR" "write to the rootfs"
	assert_eq 'rc=1' "$OUT" "write to the rootfs"
	[ ! -e "$ROOTFS/home/root0/new" ] || fail "file created in the image"
}

t_rootfs_writable_when_asked() {
	sh_in 'echo x >/home/root0/new && echo ok' --set 'user 0' --set 'rootfs writable'
	assert_eq ok "$OUT" "write to a writable rootfs ($ERR)"
	rm -f "$ROOTFS/home/root0/new"
}

t_proc_and_sys_not_writable() {
	sh_in 'for f in /proc/sys/kernel/hostname /proc/sysrq-trigger /sys/kernel/uevent_helper /proc/self/oom_score_adj; do
		echo 1 >$f 2>/dev/null && echo "WROTE $f"; done; echo done'
	assert_eq done "$OUT" "writes to /proc and /sys"
}

t_masked_paths_read_empty() {
	sh_in 'for f in /proc/keys /proc/timer_list /proc/sched_debug /proc/kcore; do
		[ -e $f ] || continue; n=$(cat $f 2>/dev/null | wc -c); echo "$f $n"; done
		ls -A /sys/firmware | wc -l'
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_nomatch ' [1-9][0-9]*$' "$(echo "$OUT" | grep '^/proc')" "masked /proc files"
	assert_eq 0 "$(echo "$OUT" | tail -n1)" "entries in /sys/firmware"
}

t_dev_is_minimal() {
	sh_in 'ls /dev | tr "\n" " "; echo; echo hi >/dev/null && echo null-ok; head -c 4 /dev/urandom | wc -c'
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_eq "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero " \
		"$(echo "$OUT" | head -n1)" "/dev entries"
	assert_match 'null-ok' "$OUT" "/dev/null"
	assert_eq 4 "$(echo "$OUT" | tail -n1)" "/dev/urandom"
}

t_host_mounts_not_visible() {
	sh_in 'cat /proc/mounts'
	assert_nomatch ' /sys/fs/cgroup| /work| /run ' "$OUT" "host mounts inside"
	assert_nomatch "$T" "$OUT" "host rootfs path inside"
}

t_nosuid_nodev_everywhere() {
	sh_in 'cat /proc/mounts'
	while read -r src mnt fs opts _; do
		case $opts in *nosuid*) ;; *) fail "$mnt ($fs) lacks nosuid: $opts" ;; esac
		case $mnt in
		/dev/null|/dev/zero|/dev/full|/dev/random|/dev/urandom|/dev/tty|/dev/pts) ;;
		*) case $opts in *nodev*) ;; *) masked_file "$mnt" || fail "$mnt ($fs) lacks nodev: $opts" ;; esac ;;
		esac
	done <<<"$OUT"
}

# The masks over /proc and /sys files are the host's /dev/null bound read
# only, with dev on so that they read empty, as runc's do.
masked_file() {
	case $1 in
	/proc/keys|/proc/kcore|/proc/timer_list|/proc/timer_stats|/proc/sched_debug|/proc/latency_stats|/proc/sysrq-trigger) return 0 ;;
	esac
	return 1
}

t_tmpfs_and_bind_mounts() {
	mkdir -p "$T/share" && echo hostdata >"$T/share/f"
	sh_in 'cat /data/f; echo x >/data/g 2>/dev/null || echo ro; echo y >/scratch/h && cat /scratch/h' \
		--set "bind $T/share /data" --set 'tmpfs /scratch size=1M'
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_eq "hostdata
ro
y" "$OUT" "bind (read-only by default) and tmpfs"
	chmod 0777 "$T/share"   # the container user is host uid 165534
	sh_in 'echo x >/data/g && echo rw' --set "bind $T/share /data rw"
	assert_eq rw "$OUT" "bind rw ($ERR)"
	[ -f "$T/share/g" ] || fail "rw bind write did not reach the host"
}

t_symlinked_mount_target_stays_inside() {
	# Not under /tmp: the base profile puts a tmpfs there inside.
	local H=/var/tmp/rampart-escape-target.$$
	mkdir -p "$H" "$ROOTFS/$H"
	trap 'rm -rf "$H"' RETURN
	# An image symlink aiming at a host path (absolute, then climbing with
	# ..): the mount must land at that path inside the rootfs, never on the
	# host directory.
	for link in "$H" "../../../../../../../..$H"; do
		ln -sfn "$link" "$ROOTFS/escape"
		sh_in 'echo inside >/escape/file && echo wrote' --set 'tmpfs /escape' --set 'user 0'
		assert_eq wrote "$OUT" "write through the mount via $link ($ERR)"
		[ ! -e "$H/file" ] || fail "the mount escaped to the host directory via $link"
		chmod 0777 "$H"
		sh_in 'echo inside >/escape/file && echo wrote' --set "bind $H /escape rw"
		assert_eq wrote "$OUT" "write through the bind via $link ($ERR)"
		[ -e "$H/file" ] || fail "bind via $link did not reach its own source"
		rm -f "$H/file"
	done
	# A link to a path that exists only on the host is dangling inside:
	# refused, not followed.
	rm -rf "${ROOTFS:?}/var/tmp/rampart-escape-target.$$"
	ln -sfn "$H" "$ROOTFS/escape"
	sh_in true --set 'tmpfs /escape'
	assert_eq 125 "$RC" "exit for a dangling symlink target"
	assert_match '^rampart: --set:1: mount: resolve /escape inside the rootfs' "$ERR" "message"
	findmnt -rn "$H" >/dev/null && fail "a mount appeared on the host"
	rm -f "$ROOTFS/escape"
}

t_cwd() {
	sh_in 'pwd' --set 'cwd /etc'
	assert_eq /etc "$OUT" "cwd"
	sh_in 'pwd' --set 'cwd /does/not/exist'
	assert_eq 125 "$RC" "exit for a missing cwd"
	assert_match '^rampart: cwd: /does/not/exist: No such file or directory$' "$(tail -n1 <<<"$ERR")" "cwd error"
}

# --- namespaces -------------------------------------------------------------

t_new_pid_namespace() {
	sh_in 'echo $$; ls /proc | grep -c "^[0-9]"'
	assert_eq "2" "$(echo "$OUT" | head -n1)" "workload pid under the reaper"
	sh_in 'echo $$' --set 'init off'
	assert_eq 1 "$OUT" "workload pid without the reaper"
}

t_only_loopback_up() {
	sh_in 'ip -o link'
	assert_eq 1 "$(echo "$OUT" | wc -l)" "number of interfaces ($OUT)"
	assert_match '^1: lo: <LOOPBACK,UP' "$OUT" "lo up"
}

t_hostname() {
	sh_in hostname
	assert_eq rampart "$OUT" "default hostname"
	sh_in hostname --set 'hostname web-1'
	assert_eq web-1 "$OUT" "profile hostname"
	[ "$(hostname)" != web-1 ] || fail "host hostname changed"
}

t_user_namespace_maps_to_unprivileged_range() {
	sh_in 'cat /proc/self/uid_map'
	assert_match '^ *0 +100000 +65536$' "$OUT" "uid_map"
}

t_share_net_sees_host_interfaces() {
	n_host=$(ip -o link | wc -l)
	sh_in 'ip -o link | wc -l' --set 'share net'
	assert_eq "$n_host" "$OUT" "interfaces with the host's netns ($ERR)"
}

# --- process ----------------------------------------------------------------

# The workload gets a session keyring of its own: the caller's keys are
# out of reach even for a profile that allows keyctl (base refuses it).
t_session_keyring_is_its_own() {
	setup_rootfs
	local ids
	ids=$(in_session_keyring sh -c '"$1/probe" syscall 250 0 -3 0; for i in 1 2; do
		"$2" launch --profile base --set "seccomp off" "$1" -- /probe syscall 250 0 -3 0; done' sh "$ROOTFS" "$RAMPART")
	assert_match '^ok [0-9]+
ok [0-9]+
ok [0-9]+$' "$ids" "session keyring ids (KEYCTL_GET_KEYRING_ID): caller, two launches"
	[ "$(sort -u <<<"$ids" | wc -l)" = 3 ] || fail "a launch shares a session keyring: $(echo $ids)"
}

t_clean_environment() {
	OUT=$(SECRET_TOKEN=leak TERM=xterm "$RAMPART" launch --set 'env FOO=bar' "$ROOTFS" -- /bin/env | sort)
	assert_eq "FOO=bar
HOME=/
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
TERM=xterm" "$OUT" "environment"
}

t_no_inherited_fds() {
	OUT=$("$RAMPART" launch "$ROOTFS" -- /bin/ls /proc/self/fd 5</etc/hostname 7>/dev/null | tr '\n' ' ')
	assert_eq "0 1 2 3 " "$OUT" "open fds inside (3 is ls's own)"
}

t_reaper_unreachable_from_workload() {
	# CVE-2019-5736: pid 1 is rampart's code from the host binary. It is
	# non-dumpable and its memory belongs to the host's user namespace, so
	# even container root with CAP_SYS_PTRACE cannot open its exe or fds.
	sh_in 'ls /proc/1/fd 2>&1; readlink /proc/1/exe 2>&1; cat /proc/1/exe >/dev/null 2>&1 || echo no-exe' \
		--set 'user 0' --set 'caps keep SYS_PTRACE'
	assert_match "ls: can't open '/proc/1/fd': Permission denied" "$OUT" "pid 1 fds"
	assert_match 'no-exe' "$OUT" "pid 1 exe"
	assert_nomatch '/rampart' "$OUT" "host binary path"
}

# --- exit statuses and signals ---------------------------------------------

t_exit_status_passes_through() {
	sh_in 'exit 42'
	assert_eq 42 "$RC" "exit status"
	sh_in 'kill -KILL $$'
	assert_eq 137 "$RC" "status of a killed workload"
	sh_in 'exit 5' --set 'init off'
	assert_eq 5 "$RC" "exit status of a workload that is pid 1"
}

t_command_not_found_and_not_executable() {
	# (The last line: the first reports the setuid bits stripped.)
	launch -- /no/such/cmd
	assert_eq 127 "$RC" "exit for a missing command"
	assert_eq "rampart: exec: /no/such/cmd: No such file or directory" "$(tail -n1 <<<"$ERR")" "message"
	launch -- /etc/hostname
	assert_eq 126 "$RC" "exit for a non-executable"
	assert_match '^rampart: exec: /etc/hostname: Permission denied$' "$(tail -n1 <<<"$ERR")" "message"
}

t_signals_reach_the_workload() {
	for sig in TERM INT HUP QUIT USR1 USR2; do
		"$RAMPART" launch "$ROOTFS" -- /bin/sh -c \
			"trap 'echo got-$sig; exit 3' $sig; echo ready; while :; do sleep 0.1; done" >"$T/sig.out" 2>&1 &
		pid=$!
		# Only once the trap exists: a loaded machine can take seconds.
		for _ in $(seq 200); do grep -q ready "$T/sig.out" && break; sleep 0.1; done
		grep -q ready "$T/sig.out" || fail "the workload never got ready for SIG$sig"
		kill -"$sig" "$pid"
		wait "$pid"
		rc=$?
		assert_eq 3 "$rc" "exit after SIG$sig"
		assert_match "got-$sig" "$(cat "$T/sig.out")" "trap output for SIG$sig"
	done
}

t_unhandled_sigterm_kills_workload() {
	"$RAMPART" launch "$ROOTFS" -- /bin/sleep 60 &
	pid=$!
	sleep 0.5
	kill -TERM "$pid"
	wait "$pid"
	assert_eq 143 "$?" "exit of sleep after SIGTERM"
}

# --- errors and cleanup -----------------------------------------------------

t_bad_profile_line_names_file_and_line() {
	printf 'hostname ok\nfrobnicate 1\n' >"$T/bad.profile"
	launch --profile "$T/bad.profile" -- /bin/true
	assert_eq 125 "$RC" "exit status"
	assert_eq "rampart: $T/bad.profile:2: unknown directive 'frobnicate'" "$ERR" "message"
	launch --set 'image digest sha256:0' -- /bin/true
	assert_eq "rampart: --set:1: image digest: 'sha256:0' is not sha256: and 64 lowercase hex digits" "$ERR" "bad directive value"
}

t_missing_rootfs() {
	OUT=$("$RAMPART" launch "$T/nope" -- /bin/true 2>&1)
	assert_eq 125 "$?" "exit status"
	assert_eq "rampart: launch: rootfs $T/nope: No such file or directory" "$OUT" "message"
}

t_failure_leaves_no_mounts_or_processes() {
	before=$(mount_snapshot)
	launch --set 'tmpfs /proc/nope' -- /bin/true
	assert_eq 125 "$RC" "exit status of a failing mount"
	assert_match '^rampart: --set:1: mount: ' "$ERR" "message"
	assert_eq "$before" "$(mount_snapshot)" "host mount table"
	pgrep -f "rampart launch $ROOTFS" && fail "rampart processes left"
	true
}

t_sigkill_of_the_launcher_kills_the_container() {
	# The parent-death signal must survive the switch to the target user
	# (a setresuid clears it).
	"$RAMPART" launch "$ROOTFS" -- /bin/sleep 61 &
	pid=$!
	sleep 0.5
	pgrep -f '^/bin/sleep 61$' >/dev/null || fail "the container did not start"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	for _ in $(seq 20); do pgrep -f '^/bin/sleep 61$' >/dev/null || break; sleep 0.1; done
	pgrep -fa '^/bin/sleep 61$' && fail "the container outlived its launcher"
	true
}

t_rootless_launch() {
	# An unprivileged caller, a rootfs it can read, no id ranges: its own
	# uid becomes the container user.
	chmod 755 "$T"
	OUT=$(setpriv --reuid=12345 --regid=12345 --clear-groups \
		"$RAMPART" launch "$ROOTFS" -- /bin/sh -c 'id -u; cat /proc/self/uid_map; grep CapEff /proc/self/status' 2>&1)
	assert_eq 0 "$?" "exit status ($OUT)"
	assert_match '^65534' "$OUT" "uid inside"
	assert_match '65534 +12345 +1' "$OUT" "uid_map"
	assert_match 'CapEff:[[:space:]]+0000000000000000' "$OUT" "CapEff"
}

run_tests
