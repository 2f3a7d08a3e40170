#!/usr/bin/env bash
# test_learn.sh - `rampart learn`: a profile learned from a real run lets
# that run through and refuses what the run never did.
. "$(dirname "$0")/lib.sh"

setup_rootfs

t_learned_profile_runs_the_workload_and_nothing_more() {
	"$RAMPART" learn -o "$T/probe.profile" "$ROOTFS" -- /probe syscall 39 >"$T/out" 2>"$T/err"
	assert_eq 0 "$?" "learn exit status ($(cat "$T/err"))"
	assert_eq "ok 2" "$(cat "$T/out")" "the workload ran normally under learning"
	assert_match "^rampart: learn: [0-9]+ syscalls recorded into $T/probe.profile$" "$(cat "$T/err")" "summary"
	P=$(cat "$T/probe.profile")
	assert_match '^include default$' "$P" "includes the profile it learned under"
	assert_match '^seccomp clear allow$' "$P" "replaces the inherited allowlist"
	assert_match '^seccomp allow getpid	# 1 call$' "$P" "getpid counted"
	assert_match '^seccomp allow execve	# 1 call$' "$P" "execve counted"
	assert_nomatch '^seccomp allow getppid' "$P" "getppid never called"
	launch --profile "$T/probe.profile" -- /probe syscall 39
	assert_eq "ok 2" "$OUT" "the learned run under the learned profile ($ERR)"
	launch --profile "$T/probe.profile" -- /probe syscall 110
	assert_eq "errno EPERM 1" "$OUT" "getppid, never learned"
	# Every other layer of the profile it learned under still applies.
	launch --profile "$T/probe.profile" -- /probe syscall 101 16 1
	assert_eq "errno EPERM 1" "$OUT" "ptrace"
}

t_learn_keeps_the_base_denies() {
	# (The same command line when learning and when running: `sh -c 'ls'`
	# alone would exec ls without ever forking.)
	"$RAMPART" learn -o "$T/sh.profile" "$ROOTFS" -- /bin/sh -c 'ls / >/dev/null && echo fine' >/dev/null 2>&1
	# clone3 answered ENOSYS during learning too, so libc used clone.
	assert_nomatch '^seccomp allow clone3' "$(cat "$T/sh.profile")" "clone3"
	assert_match '^seccomp allow clone	' "$(cat "$T/sh.profile")" "clone"
	launch --profile "$T/sh.profile" -- /bin/sh -c 'ls / >/dev/null && echo fine'
	assert_eq fine "$OUT" "sh under its learned profile ($ERR)"
	launch --profile "$T/sh.profile" -- /probe ioctl-tiocsti
	assert_eq "errno EPERM 1" "$OUT" "TIOCSTI still refused"
}

t_learn_turns_argument_values_into_rules() {
	"$RAMPART" learn -o "$T/sock.profile" "$ROOTFS" -- /probe socket 1 1 2>/dev/null
	P=$(cat "$T/sock.profile")
	assert_match '^seccomp allow socket arg0 == AF_UNIX	# 1 call$' "$P" "socket family rule"
	launch --profile "$T/sock.profile" -- /probe socket 1 1
	assert_match '^ok ' "$OUT" "AF_UNIX ($ERR)"
	launch --profile "$T/sock.profile" -- /probe socket 2 1
	assert_eq "errno EPERM 1" "$OUT" "AF_INET was never learned"
}

t_learn_update_merges_without_losing_comments() {
	printf '# my hand-written notes\ninclude base\nseccomp clear allow\nseccomp allow execve  # reviewed\n' >"$T/upd.profile"
	"$RAMPART" learn --update "$T/upd.profile" "$ROOTFS" -- /probe syscall 39 2>/dev/null
	P=$(cat "$T/upd.profile")
	assert_match '^# my hand-written notes$' "$P" "comment kept"
	assert_match '^seccomp allow execve  # reviewed$' "$P" "existing line kept"
	assert_eq 1 "$(grep -c '^seccomp allow execve' "$T/upd.profile")" "execve not added twice"
	assert_match '^# Added by rampart learn --update on ' "$P" "dated block"
	assert_match '^seccomp allow getpid	# 1 call$' "$P" "new syscall added"
	launch --profile "$T/upd.profile" -- /probe syscall 39
	assert_eq "ok 2" "$OUT" "updated profile runs the workload ($ERR)"
}

t_rootless_learn() {
	chmod 755 "$T"
	OUT=$(setpriv --reuid=12345 --regid=12345 --clear-groups \
		"$RAMPART" learn "$ROOTFS" -- /probe syscall 39 2>&1)
	assert_eq 0 "$?" "exit status ($OUT)"
	assert_match '^seccomp allow getpid	# 1 call$' "$OUT" "learned rootless"
}

t_learn_refuses_nnp_off() {
	OUT=$("$RAMPART" learn --set 'nnp off' "$ROOTFS" -- /bin/true 2>&1)
	assert_eq 125 "$?" "exit status"
	assert_match "^rampart: learn: profiles with 'nnp off' cannot be learned" "$OUT" "message"
}

run_tests
