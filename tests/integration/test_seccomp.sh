#!/usr/bin/env bash
# test_seccomp.sh - the syscall filter, tried from inside real containers
# with the static probe (tests/helpers/probe.c).
. "$(dirname "$0")/lib.sh"

setup_rootfs

probe() { launch "$@"; }

t_filter_is_on_by_default() {
	sh_in 'grep -E "^Seccomp(_filters)?:" /proc/self/status'
	assert_match 'Seccomp:[[:space:]]+2' "$OUT" "seccomp mode"
}

t_allowed_syscall_works() {
	probe -- /probe syscall 39   # getpid
	assert_eq "ok 2" "$OUT" "getpid under the reaper ($ERR)"
}

t_denied_syscall_gets_configured_errno() {
	probe -- /probe syscall 101 16 1   # ptrace(PTRACE_ATTACH, 1)
	assert_eq "errno EPERM 1" "$OUT" "ptrace under base"
	probe --set 'seccomp deny ptrace errno EACCES' -- /probe syscall 101 16 1
	assert_eq "errno EACCES 13" "$OUT" "ptrace with a deny rule"
	probe --set 'seccomp default errno EROFS' -- /probe mount
	assert_eq "errno EROFS 30" "$OUT" "mount under a changed default"
}

t_dangerous_syscalls_refused_by_base() {
	probe -- /probe mount
	assert_eq "errno EPERM 1" "$OUT" "mount"
	probe -- /probe unshare 0x10000000
	assert_eq "errno EPERM 1" "$OUT" "unshare(CLONE_NEWUSER)"
	probe -- /probe setns /proc/1/ns/net
	assert_match "errno E(PERM|ACCES)" "$OUT" "setns"
	for nr in 248 250 321 298 169 310 311 323 246 175 313 172 173; do
		# add_key keyctl bpf perf_event_open reboot process_vm_readv/writev
		# userfaultfd kexec_load init_module finit_module iopl ioperm
		probe -- /probe syscall $nr
		assert_eq "errno EPERM 1" "$OUT" "syscall $nr"
	done
}

t_default_kill_kills_and_names_the_syscall() {
	probe --set 'seccomp default kill' -- /probe syscall 101 16 1
	assert_eq 159 "$RC" "exit status (128+SIGSYS)"
	assert_eq "rampart: seccomp: the workload was killed (SIGSYS) for calling ptrace (101), which the profile does not allow" \
		"$ERR" "message"
}

t_argument_rules() {
	probe -- /probe socket 1 1      # AF_UNIX, SOCK_STREAM
	assert_match "^ok " "$OUT" "AF_UNIX socket"
	probe -- /probe socket 17 3     # AF_PACKET, SOCK_RAW
	assert_eq "errno EPERM 1" "$OUT" "AF_PACKET socket"
	probe -- /probe syscall 41 0x100000001 1 0   # AF_UNIX with high garbage: no match
	assert_eq "errno EPERM 1" "$OUT" "AF_UNIX with bits above 32"
	probe -- /probe clone 0x10000000   # CLONE_NEWUSER
	assert_eq "errno EPERM 1" "$OUT" "clone(CLONE_NEWUSER)"
	probe -- /probe clone 0
	assert_eq "ok 0" "$OUT" "plain clone"
	# A constant in a profile's own rule (the lighttpd profile's madvise).
	local only_dontneed=(--set 'seccomp deny madvise' --set 'seccomp allow madvise arg2 == MADV_DONTNEED')
	probe "${only_dontneed[@]}" -- /probe syscall 28 0 0 4
	assert_eq "ok 0" "$OUT" "madvise(MADV_DONTNEED) ($ERR)"
	probe "${only_dontneed[@]}" -- /probe syscall 28 0 0 3
	assert_eq "errno EPERM 1" "$OUT" "madvise(MADV_WILLNEED)"
}

t_tiocsti_refused() {
	probe -- /probe ioctl-tiocsti
	assert_eq "errno EPERM 1" "$OUT" "TIOCSTI"
	probe -- /probe ioctl-tiocsti high
	assert_eq "errno EPERM 1" "$OUT" "TIOCSTI with bits above 32"
}

t_unknown_syscalls_get_enosys() {
	probe -- /probe syscall 1000
	assert_eq "errno ENOSYS 38" "$OUT" "syscall 1000"
	probe -- /probe syscall 435     # clone3: libc must fall back to clone
	assert_eq "errno ENOSYS 38" "$OUT" "clone3"
}

t_foreign_abis_killed() {
	probe -- /probe int80-getpid
	assert_eq 159 "$RC" "int 0x80 from x86_64"
	assert_match "i386 syscall 20" "$ERR" "message"
	probe -- /probe x32-getpid
	assert_eq 159 "$RC" "x32 getpid"
	assert_match "x32 syscall 39" "$ERR" "message"
}

t_seccomp_off() {
	probe --set 'seccomp off' -- /probe syscall 1000
	assert_eq "errno ENOSYS 38" "$OUT" "unfiltered syscall 1000 (the kernel's own ENOSYS)"
	sh_in 'grep "^Seccomp:" /proc/self/status' --set 'seccomp off'
	assert_match 'Seccomp:[[:space:]]+0' "$OUT" "seccomp mode"
}

t_nnp_off_still_filtered() {
	# Without no_new_privs the filter loads before the capability drop.
	probe --set 'nnp off' -- /probe mount
	assert_eq "errno EPERM 1" "$OUT" "mount with nnp off ($ERR)"
	sh_in 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status' --set 'nnp off'
	assert_match 'NoNewPrivs:[[:space:]]+0' "$OUT" "nnp"
	assert_match 'Seccomp:[[:space:]]+2' "$OUT" "seccomp"
}

t_bad_rules_are_file_line_errors() {
	printf 'include base\nseccomp allow frobnicate\n' >"$T/bad.profile"
	launch --profile "$T/bad.profile" -- /bin/true
	assert_eq 125 "$RC" "exit status"
	assert_eq "rampart: $T/bad.profile:2: seccomp: unknown syscall 'frobnicate'" "$ERR" "unknown syscall"
	launch --set 'seccomp allow socket arg7 == 1' -- /bin/true
	assert_eq "rampart: --set:1: seccomp: arg7: syscalls have arguments arg0 to arg5" "$ERR" "arg index"
	launch --set 'seccomp allow socket arg0 == AF_NOPE' -- /bin/true
	assert_eq "rampart: --set:1: seccomp: arg0: unknown constant or bad number 'AF_NOPE'" "$ERR" "constant"
	launch --set 'seccomp allow s390_pci_mmio_read' -- /bin/true
	assert_eq "rampart: --set:1: seccomp: syscall 's390_pci_mmio_read' does not exist on this architecture" "$ERR" "other arch"
	launch --set 'seccomp allow @nope' -- /bin/true
	assert_match "^rampart: --set:1: seccomp: unknown group @nope" "$ERR" "group"
}

t_empty_allowlist_refused_before_launch() {
	printf 'seccomp on\n' >"$T/none.profile"
	launch --profile "$T/none.profile" -- /bin/true
	assert_eq 125 "$RC" "exit status"
	assert_match "does not allow execve" "$ERR" "message"
}

t_compiled_filter_cache() {
	export RAMPART_CACHE_DIR=$T/cache
	probe -- /probe syscall 101
	assert_eq "errno EPERM 1" "$OUT" "first launch ($ERR)"
	entry=$(ls "$RAMPART_CACHE_DIR"/seccomp/*.bpf)
	assert_eq 1 "$(echo "$entry" | wc -l)" "one cache entry"
	assert_eq "600 700" "$(stat -c %a "$entry") $(stat -c %a "$RAMPART_CACHE_DIR/seccomp")" "modes"
	ino=$(stat -c %i "$entry")
	probe -- /probe syscall 101
	assert_eq "errno EPERM 1" "$OUT" "second launch, from the cache"
	assert_eq "$ino" "$(stat -c %i "$entry")" "entry reused, not rewritten"
	# A corrupt entry (one byte of the BPF) is rebuilt, never loaded.
	size=$(stat -c %s "$entry")
	printf '\377' | dd of="$entry" bs=1 seek=$((size - 3)) conv=notrunc 2>/dev/null
	probe -- /probe syscall 101
	assert_eq "errno EPERM 1" "$OUT" "launch with a corrupt entry"
	[ "$(stat -c %i "$entry")" != "$ino" ] || fail "corrupt entry was not rebuilt"
	# An entry others could have written is not trusted either.
	ino=$(stat -c %i "$entry")
	chmod 0620 "$entry"
	probe -- /probe syscall 39
	assert_eq "ok 2" "$OUT" "launch with a group-writable entry"
	[ "$(stat -c %i "$entry")" != "$ino" ] || fail "group-writable entry was used"
	# Different rules, different entry.
	probe --set 'seccomp deny getppid' -- /probe syscall 110
	assert_eq "errno EPERM 1" "$OUT" "other rules"
	assert_eq 2 "$(ls "$RAMPART_CACHE_DIR"/seccomp/*.bpf | wc -l)" "entries"
}

run_tests
