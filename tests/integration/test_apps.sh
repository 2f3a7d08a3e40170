#!/usr/bin/env bash
# test_apps.sh - per-application profiles (profiles/apps/) proven on real
# Debian services: each starts under its profile with only loopback
# networking, its real client does real work, it shuts down cleanly, and
# from inside the same profile it cannot write outside its tmpfs, run as
# root, hold a capability, or make a syscall outside its allowlist.
#
# The workloads are tests/apps/NAME/run (bound read-only at /apps); the
# Debian bookworm rootfs is scripts/mkapps-rootfs's, cached in
# build/apps-rootfs (about 2 minutes the first time).
#
# Regression guard: the service runs with `seccomp default kill`, so a
# syscall missing from the allowlist kills it and rampart names the call
# on stderr; the test prints that line (re-learn: docs/profiles.md).
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/rampart-apps.XXXXXX)
trap 'rm -rf "$T"' EXIT
ROOTFS=$TOP/build/apps-rootfs

"$TOP/scripts/mkapps-rootfs" "$ROOTFS" >"$T/mkapps.log" 2>&1
MKAPPS_RC=$?

need_rootfs() {
	case $MKAPPS_RC in
	0) ;;
	75) skip "debootstrap cannot reach the Debian archive: $(tail -n1 "$T/mkapps.log")" ;;
	*) fail "scripts/mkapps-rootfs failed: $(tail -n5 "$T/mkapps.log")" ;;
	esac
}

# app NAME EXPECT...: one launch of tests/apps/NAME/run under the app's
# profile. The service is the workload, so rampart's exit status is the
# service's: 0 is a clean shutdown. Every EXPECT line must be in the
# output, and it must end with "NAME: done" (the client side finished).
app() {
	local name=$1 line
	shift
	need_rootfs
	launch --profile "$TOP/profiles/apps/$name.profile" \
		--set 'seccomp default kill' \
		--set "bind $TOP/tests/apps /apps" \
		-- "/apps/$name/run"
	if [ "$RC" -ne 0 ]; then
		printf '%s\n' "$OUT" | sed 's/^/    | /' >&2
		line=$(grep 'rampart: seccomp:' <<<"$ERR")
		[ -n "$line" ] && fail "$name was killed: $line"
		fail "$name: exit status $RC ($(tail -n3 <<<"$ERR"))"
	fi
	for line in "$@"; do
		assert_match "^$name: $line\$" "$OUT" "$name"
	done
	assert_eq "$name: done" "$(tail -n1 <<<"$OUT")" "$name finished"
}

# denied NAME: the profile refuses ptrace and mount (errno EPERM from the
# profile's default, or a SIGSYS kill that rampart names).
denied() {
	local name=$1 args
	for args in "syscall 101 16 1:ptrace" "mount:mount"; do
		launch --profile "$TOP/profiles/apps/$name.profile" \
			--set "bind $TOP/build/probe /probe" \
			-- /probe ${args%%:*} # (word-split on purpose: "syscall 101 16 1")
		if [ "$RC" -eq 159 ]; then
			assert_match "killed \(SIGSYS\) for calling ${args##*:} " "$ERR" "$name: ${args##*:}"
		else
			assert_eq "errno EPERM 1" "$OUT" "$name: ${args##*:} ($ERR)"
		fi
	done
	# The probe itself runs: the refusals above are the profile's.
	launch --profile "$TOP/profiles/apps/$name.profile" \
		--set "bind $TOP/build/probe /probe" -- /probe syscall 39
	assert_eq "ok 2" "$OUT" "$name: probe getpid ($ERR)"
}

POSTURE=('posture: uid=[1-9][0-9]* capeff=0000000000000000' 'posture: image read-only, /tmp writable')

t_python_http() {
	app python-http 'listening' 'static page ok' '1 MiB file ok' "${POSTURE[@]}"
	denied python-http
}

t_redis() {
	app redis 'listening' 'SET/GET ok' 'redis-benchmark ok' "${POSTURE[@]}"
	assert_match '^redis: posture: uid=100 ' "$OUT" "runs as the redis user"
	denied redis
}

t_memcached() {
	app memcached 'listening' 'set/get ok' 'incr/delete ok' 'stats ok' "${POSTURE[@]}"
	denied memcached
}

t_nginx() {
	app nginx 'listening' 'static page ok' '1 MiB file ok' "${POSTURE[@]}"
	assert_match '^nginx: posture: uid=33 ' "$OUT" "runs as www-data"
	denied nginx
}

t_lighttpd() {
	app lighttpd 'listening' 'static page ok' '1 MiB file ok' "${POSTURE[@]}"
	assert_match '^lighttpd: posture: uid=33 ' "$OUT" "runs as www-data"
	denied lighttpd
}

t_sqlite() {
	app sqlite 'report ok' 'read back ok' "${POSTURE[@]}"
	denied sqlite
}

t_postgresql() {
	app postgresql 'listening' 'psql ok' 'pgbench ok' 'autovacuum, checkpoint, vacuum ok' 'reload ok' "${POSTURE[@]}"
	assert_match '^postgresql: posture: uid=103 ' "$OUT" "runs as the postgres user"
	denied postgresql
}

t_haproxy() {
	app haproxy 'listening' 'health check and stats ok' 'static page ok' '1 MiB file ok' 'reload ok' "${POSTURE[@]}"
	assert_match '^haproxy: posture: uid=101 ' "$OUT" "runs as the haproxy user"
	denied haproxy
}

t_nodejs() {
	app nodejs 'listening' 'static page ok' '1 MiB file ok' '404 ok' "${POSTURE[@]}"
	assert_match '^nodejs: posture: uid=65534 ' "$OUT" "runs as nobody"
	denied nodejs
}

t_unbound() {
	app unbound 'listening' 'local zone ok' 'reload ok' "${POSTURE[@]}"
	assert_match '^unbound: posture: uid=104 ' "$OUT" "runs as the unbound user"
	denied unbound
}

# The guard works: a profile refusing one syscall the service needs gets it
# killed, and rampart names the call.
t_missing_syscall_is_named() {
	need_rootfs
	launch --profile "$TOP/profiles/apps/redis.profile" \
		--set 'seccomp default kill' --set 'seccomp deny listen kill' \
		--set "bind $TOP/tests/apps /apps" -- /apps/redis/run
	assert_nomatch '^redis: done$' "$OUT" "redis without listen"
	assert_match 'rampart: seccomp: .*killed \(SIGSYS\) for calling listen ' "$ERR" "the refused call is named"
}

run_tests
