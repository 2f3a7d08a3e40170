# lib.sh - a small test harness for real launches (sourced by the suites).
#
# Each test is a shell function t_NAME; `run_tests` runs every one, in a
# subshell so one failure cannot take the others with it, and prints
# "ok"/"not ok" lines and a closing "N passed, M failed[, K skipped]".

set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RAMPART=${RAMPART:-$TOP/rampart}
export RAMPART_PROFILE_PATH=${RAMPART_PROFILE_PATH:-$TOP/profiles}
# Suites that test the audit log set their own; the rest keep the host's
# /var/log out of it.
export RAMPART_AUDIT_LOG=${RAMPART_AUDIT_LOG:-none}

# A private copy of the busybox rootfs in a temp dir $T, removed on exit,
# with the static probe at /probe. Suites change their copy freely.
setup_rootfs() {
	T=$(mktemp -d /tmp/rampart-it.XXXXXX)
	trap 'rm -rf "$T"' EXIT
	ROOTFS=$T/rootfs
	cp -a "${BASE_ROOTFS:?run via tests/integration/run}" "$ROOTFS"
	cp "$TOP/build/probe" "$ROOTFS/probe"
}

fail() { echo "    FAIL: $*" >&2; exit 1; }
skip() { echo "    SKIPPED: $*" >&2; exit 77; }

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}
# assert_match REGEX TEXT WHAT
# (A here-string, not a pipe: under pipefail, grep -q quitting early
# would fail the printf feeding it with SIGPIPE.)
assert_match() {
	grep -Eq -- "$1" <<<"$2" || fail "$3: '$2' does not match /$1/"
}
assert_nomatch() {
	! grep -Eq -- "$1" <<<"$2" || fail "$3: '$2' matches /$1/"
}

# launch [RAMPART OPTIONS...] -- CMD...: runs on $ROOTFS, sets OUT, ERR, RC.
launch() {
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	OUT=$("$RAMPART" launch "${opts[@]}" "$ROOTFS" -- "$@" 2>"$T/stderr")
	RC=$?
	ERR=$(cat "$T/stderr")
}

# sh_in SCRIPT [RAMPART OPTIONS...]: run a busybox sh script in a container.
sh_in() {
	local script=$1; shift
	launch "$@" -- /bin/sh -c "$script"
}

# in_session_keyring CMD...: run CMD in a session keyring of its own, so
# that "the caller's session keyring" is one the test can name.
in_session_keyring() {
	python3 -c 'import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.syscall(250, 1, b"rampart-test-session") < 0:  # keyctl(JOIN_SESSION_KEYRING)
    sys.exit("keyctl: %s" % os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

# oci_delete_all ROOT: force-delete every container under the state root
# ROOT (a test's clean-up, also after a failure half-way).
oci_delete_all() {
	local d
	for d in "$1"/*; do
		[ -d "$d" ] && timeout 20 "$RAMPART" --root "$1" delete --force "${d##*/}" >/dev/null 2>&1
	done
	true
}

mount_snapshot() {
	# Mount ids change with every new mount; the (root, point, source)
	# triples do not, and are what "left behind" means.
	awk '{ print $4, $5, $(NF-1) }' /proc/self/mountinfo | sort
}

# A test that hangs must fail, not stall the whole run: each test gets
# TEST_TIMEOUT seconds (default 180; a suite with slow tests raises it).
# Then the watchdog shows what is still running and kills the test's
# processes (children first, so that the test's own clean-up trap can
# still run), and the test is reported as failed.
descendants() {
	local p
	for p in $(pgrep -P "$1"); do echo "$p"; descendants "$p"; done
}
kill_tree() {
	local p
	kill -STOP "$1" 2>/dev/null
	for p in $(pgrep -P "$1"); do kill_tree "$p"; done
	kill -KILL "$1" 2>/dev/null
}

watchdog() {
	local pid=$1 limit=$2 mark=$3 p waited
	# Short sleeps, no trap: killed by run_one when the test ends, the
	# watchdog leaves at most a one-second sleep behind.
	for ((waited = 0; waited < limit; waited++)); do
		sleep 1
		kill -0 "$pid" 2>/dev/null || exit 0
	done
	echo timeout >"$mark"
	echo "    TIMEOUT: still running after ${limit} s; its processes:"
	ps -o pid=,ppid=,etimes=,wchan:20=,args= -p "$(descendants "$pid" | paste -sd, -)" 2>/dev/null |
		sed 's/^/    | /'
	for _ in 1 2 3; do
		for p in $(pgrep -P "$pid"); do kill_tree "$p"; done
		sleep 2
		kill -0 "$pid" 2>/dev/null || exit 0
	done
	kill -KILL "$pid" 2>/dev/null
}

# run_one NAME: NAME in a subshell under the watchdog; its exit status.
run_one() {
	local name=$1 pid wd rc mark
	mark=$(mktemp /tmp/rampart-watchdog.XXXXXX)
	( "$name" ) 2>&1 &
	pid=$!
	watchdog "$pid" "${TEST_TIMEOUT:-180}" "$mark" &
	wd=$!
	wait "$pid"
	rc=$?
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	[ -s "$mark" ] && { [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ]; } && rc=124
	rm -f "$mark"
	return "$rc"
}

run_tests() {
	local pass=0 failn=0 skipn=0 name rc start took
	for name in $(declare -F | awk '{ print $3 }' | grep '^t_'); do
		if [ -n "${ONLY:-}" ] && [[ "$name" != *"$ONLY"* ]]; then
			continue
		fi
		start=$SECONDS
		run_one "$name"
		rc=$?
		# Slow tests say so: the watchdog's limit must stay well above them.
		took=$((SECONDS - start))
		[ "$took" -ge 30 ] && took=" # ${took} s" || took=
		case $rc in
		0) echo "ok - ${name#t_}$took"; pass=$((pass + 1)) ;;
		77) echo "ok - ${name#t_} # SKIPPED"; skipn=$((skipn + 1)) ;;
		*) echo "not ok - ${name#t_}$took"; failn=$((failn + 1)) ;;
		esac
	done
	echo "$pass passed, $failn failed, $skipn skipped"
	[ "$failn" -eq 0 ]
}
