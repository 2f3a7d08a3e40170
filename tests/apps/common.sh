# tests/apps/common.sh - sourced by every tests/apps/*/run workload, inside
# the container (Debian's /bin/sh, coreutils, curl, busybox).
#
# A workload runs its service as the container's workload itself: `serve`
# starts the client side in the background and then execs the service, so
# the service is the process rampart watches. A syscall its profile refuses
# (under `seccomp default kill`) kills the service, and rampart names the
# call; a clean shutdown is rampart's exit status 0. The client side waits
# for the service, drives it with its real client, checks what the service
# may not do, prints "NAME: done" and asks it to stop.
#
# Used twice: by `rampart learn` (tests/apps/learn-profile) to record the
# allowlist, and by tests/integration/test_apps.sh under the finished
# profile. Every line on stdout starts with the app's name; the service's
# own output goes to stderr.

set -u
APP=${APP:?}
SERVER=

say() { echo "$APP: $*"; }
# die: report, and stop the service so the launch ends (without "done").
die() {
	echo "$APP: FAIL: $*"
	[ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null
	exit 1
}

# refused CMD...: CMD, run before the service starts, must fail. Run so
# that learning always sees the client's connection-refused path (its
# retry loop may otherwise never run during learning).
refused() {
	! "$@" >/dev/null 2>&1 || die "something already answers: $*"
}

# wait_for CMD...: retry CMD for up to 10 s (always sleeping once first, so
# the retry path is learned whatever the timing).
wait_for() {
	i=0
	sleep 0.1
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || return 1
		sleep 0.1
	done
}

# mkwww DIR: a static page and a 1 MiB file, with the file's sha256 in
# $BIG_SHA.
mkwww() {
	mkdir -p "$1"
	echo "hello from $APP" >"$1/index.html"
	head -c 1048576 /dev/urandom >"$1/big.bin"
	BIG_SHA=$(sha256sum <"$1/big.bin" | cut -d' ' -f1)
}

# fetch URL_BASE: curl fetches the page and the 1 MiB file.
fetch() {
	page=$(curl -fsS "$1/index.html") || die "GET index.html"
	[ "$page" = "hello from $APP" ] || die "index.html: '$page'"
	say "static page ok"
	sha=$(curl -fsS "$1/big.bin" | sha256sum | cut -d' ' -f1) || die "GET big.bin"
	[ "$sha" = "$BIG_SHA" ] || die "big.bin: sha256 $sha, expected $BIG_SHA"
	say "1 MiB file ok"
}

# posture PID WRITABLE_DIR [DIR...]: the service (PID) runs as a non-root
# user with no effective capability; the image is read-only everywhere but
# the service's tmpfs (WRITABLE_DIR is one of them): a write to /, /etc,
# /usr or /var/tmp (world-writable in the image) fails with EROFS, to any
# DIR with EROFS or EACCES.
posture() {
	pid=$1 wdir=$2
	shift 2
	uid=$(sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$pid/status")
	cap=$(sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$pid/status")
	say "posture: uid=$uid capeff=$cap"
	[ -n "$uid" ] && [ "$uid" != 0 ] || die "service runs as uid '$uid'"
	[ "$cap" = 0000000000000000 ] || die "service has capabilities $cap"
	for p in / /etc /usr /var/tmp; do
		if err=$(touch "$p/.rampart-write-test" 2>&1); then
			die "could write $p"
		fi
		case $err in
		*"Read-only file system"*) ;;
		*) die "write to $p: expected EROFS, got: $err" ;;
		esac
	done
	# The package's own directories belong to ids the container does not
	# map, so the permission check may refuse before the read-only one.
	for p in "$@"; do
		if err=$(touch "$p/.rampart-write-test" 2>&1); then
			die "could write $p"
		fi
		case $err in
		*"Read-only file system"* | *"Permission denied"*) ;;
		*) die "write to $p: expected EROFS or EACCES, got: $err" ;;
		esac
	done
	touch "$wdir/.rampart-write-test" || die "cannot write its own tmpfs $wdir"
	rm -f "$wdir/.rampart-write-test"
	say "posture: image read-only, $wdir writable"
}

# serve CLIENT CMD...: run the shell function CLIENT in the background and
# exec CMD (the service, stdout to stderr) in this process: $SERVER is its
# pid.
serve() {
	client=$1
	shift
	SERVER=$$
	("$client") &
	exec "$@" 1>&2
}
