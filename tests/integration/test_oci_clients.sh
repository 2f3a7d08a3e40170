#!/usr/bin/env bash
# test_oci_clients.sh - acceptance: real OCI clients drive $RUNTIME as their
# runc. containerd's `ctr` (through containerd-shim-runc-v2) and podman
# (through conmon) run a busybox image made here, and every case checks what
# the client reports: exit codes, output, task states, events.
#
#   RUNTIME=PATH      the runtime under test (default: the repo's ./rampart);
#                     RUNTIME=$(command -v runc) checks the harness itself
#   OCI_CAPTURE_DIR=D keep the runtime's argv log and copies of every
#                     config.json / exec process.json the clients wrote
#   OCI_WRAP=0        hand the clients $RUNTIME itself, not the logging
#                     wrapper (which only logs and then execs $RUNTIME)
#   ONLY=containerd   the usual lib.sh filter (ONLY=podman, ONLY=oom, ...)
#
# Everything lives in one temp dir: containerd's root, state, sockets and
# config; podman's root, runroot, tmpdir, containers.conf. The containerd
# daemon is started here (no CRI, no network plugins) and stopped at the
# end. Host state the clients themselves insist on is put back: the shim
# sockets in /run/containerd/s (a path fixed in containerd 1.6), the
# runtimes' default state roots (/run/containerd/runc/NS for the shim,
# runc's /run/runc for podman, which passes no --root), podman's image
# blob-info cache in /var/lib/containers/cache (fixed for root), and the
# v1 cgroup parents the clients name (/rampart-test, /rampart-test-podman).
# t_zz_host_left_clean, last by name, tears down and asserts that no
# process, mount, container cgroup, runtime state (in any --root) or file in
# the clients' /run, /var/lib dirs is left; with ONLY the exit trap does the
# same and fails the run if anything was left.
#
# Needs root. Non-root: every case is skipped. As root, a missing containerd
# or podman is a failure: `scripts/deps test` installs them.
. "$(dirname "$0")/lib.sh"
# containerd and podman start their daemons and import images first.
TEST_TIMEOUT=600

RUNTIME=${RUNTIME:-$TOP/rampart}
case $RUNTIME in */*) ;; *) RUNTIME=$(command -v "$RUNTIME" || echo "$RUNTIME") ;; esac
RUNTIME_NAME=$(basename "$RUNTIME")

CTR_NS=rampart-test              # ctr's default cgroup is /NS/ID
POD_CGROUP=/rampart-test-podman  # podman --cgroup-parent (conmon goes below it)
IMAGE=localhost/rampart-busybox:latest
SKIP_ALL=""
# Where the clients and the runtimes keep things outside $T whatever we
# pass (rampart's default --root is /run/rampart, runc's /run/runc).
CLIENT_DIRS="/run/containerd /var/lib/containerd /run/libpod /run/containers /var/lib/containers /var/lib/cni"
RUNTIME_ROOTS=$(printf '%s\n' /run/runc /run/crun "/run/$RUNTIME_NAME" | sort -u | tr '\n' ' ')

if [ "$(id -u)" -ne 0 ]; then
	SKIP_ALL="containerd and podman as OCI clients need root"
elif [ ! -x "$RUNTIME" ]; then
	echo "test_oci_clients: no runtime at '$RUNTIME' (build ./rampart with make, or set RUNTIME=)" >&2
	exit 1
fi

# --- host snapshots and the temp dir --------------------------------------

cgroup_dirs() {
	# Our own cgroup's siblings come and go with whatever else the host runs
	# (a v1 hierarchy here puts every shell in /process_api/ID): not ours.
	local excl=() p
	while IFS=: read -r _ _ p; do
		p=$(dirname "$p")
		[ "$p" != / ] && [ "$p" != . ] && excl+=(-path "/sys/fs/cgroup/*$p/*" -prune -o)
	done </proc/self/cgroup
	find /sys/fs/cgroup -mindepth 1 -maxdepth 6 "${excl[@]}" -type d -print 2>/dev/null | sort
}

if [ -z "$SKIP_ALL" ]; then
	T=$(mktemp -d /tmp/rampart-oci.XXXXXX)
	chmod 0755 "$T"
	mkdir -p "$T/tmp" "$T/fifo" "$T/capture" "$T/bin" "$T/cids"
	mount_snapshot >"$T/mounts.before"
	cgroup_dirs >"$T/cgroups.before"
	for e in $CLIENT_DIRS $RUNTIME_ROOTS; do [ -e "$e" ] && echo "$e"; done >"$T/hostdirs.before"
	: >"$T/ids"    # every container id / podman CID a case used
	: >"$T/pids"   # every container init pid a case saw
fi

# --- the runtime as the clients see it ------------------------------------

# A wrapper named like the runtime (podman names a runtime by its file name)
# that logs each command line and copies the config.json / process.json it
# points at, then execs the runtime with the same argv[0] name.
WRAP=$RUNTIME
if [ -z "$SKIP_ALL" ] && [ "${OCI_WRAP:-1}" != 0 ]; then
	WRAP=$T/bin/$RUNTIME_NAME
	cat >"$WRAP" <<-EOF
		#!/bin/bash
		# argv logger in front of $RUNTIME (tests/integration/test_oci_clients.sh)
		cap=$T/capture
		{ printf '%s %s[%s]:' "\$(date +%T.%N)" "\$(cat /proc/\$PPID/comm 2>/dev/null)" "\$PPID"
		  printf ' %q' "\$@"; echo; } >>"\$cap/argv.log"
		prev= bundle= verb=
		for a in "\$@"; do
			case \$prev in
			--bundle|-b) bundle=\$a ;;
			--process|-p) cp "\$a" "\$cap/process.\$(date +%s%N).json" 2>/dev/null ;;
			esac
			case \$a in
			--bundle=*) bundle=\${a#*=} ;;
			--process=*) cp "\${a#*=}" "\$cap/process.\$(date +%s%N).json" 2>/dev/null ;;
			create|run) [ -z "\$verb" ] && verb=\$a ;;
			esac
			prev=\$a
		done
		[ -n "\$verb" ] && cp "\${bundle:-.}/config.json" "\$cap/config.\$(date +%s%N).json" 2>/dev/null
		exec -a "\$0" $(printf %q "$RUNTIME") "\$@"
	EOF
	chmod 0755 "$WRAP"
fi

# diag: the runtime's last command lines and the client logs, on stderr.
diag() {
	{
		echo "    --- last runtime command lines ($T/capture/argv.log):"
		tail -n +$((${DIAG_ARGV:-0} + 1)) "$T/capture/argv.log" 2>/dev/null | tail -n 8 | cut -c1-400 | sed 's/^/    /'
		if [ -f "$CTD/log" ] && [ -n "${DIAG_CTD:-}" ]; then
			echo "    --- containerd log (errors):"
			tail -n +$((DIAG_CTD + 1)) "$CTD/log" | grep -E 'level=(error|fatal)' | tail -n 5 | sed 's/^/    /'
		fi
	} >&2
}
xfail() { diag; fail "$@"; }
# Podman's errors can carry NUL bytes (conmon's empty reply).
nonul() { tr -d '\0'; }
# diag_mark: diag shows only what happened after this (each case's start).
diag_mark() {
	DIAG_ARGV=$(wc -l 2>/dev/null <"$T/capture/argv.log" || echo 0)
	DIAG_CTD=$(wc -l 2>/dev/null <"$CTD/log" || echo 0)
}

need_root() { [ -z "$SKIP_ALL" ] || skip "$SKIP_ALL"; }

# alive PID: exists and is not a zombie.
alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${st%% *}" != Z ]
}

# wait_until SECONDS CMD...: poll every 0.1 s.
wait_until() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# --- the image --------------------------------------------------------------

oci_arch() {
	case $(uname -m) in
	x86_64) echo amd64 ;; aarch64) echo arm64 ;; i?86) echo 386 ;;
	armv7*) echo arm ;; *) uname -m ;;
	esac
}

# One uncompressed layer (the busybox rootfs of scripts/mkrootfs) for
# podman import, and an OCI image layout archive around it for ctr import:
# oci-layout, index.json (with containerd's image-name annotation) and the
# blobs: layer, image config, manifest.
make_images() {
	[ -f "$T/image.tar" ] && return 0
	"$TOP/scripts/mkrootfs" "$T/rootfs" || return 1
	local lay=$T/oci/blobs/sha256 l lsz c cs m ms arch
	mkdir -p "$lay"
	tar --numeric-owner --sort=name -C "$T/rootfs" -cf "$T/layer.tar" . || return 1
	l=$(sha256sum "$T/layer.tar" | cut -d' ' -f1) lsz=$(stat -c %s "$T/layer.tar")
	cp "$T/layer.tar" "$lay/$l"
	arch=$(oci_arch)
	printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"rampart test_oci_clients.sh"}]}' \
		"$arch" "$l" >"$T/config.json"
	c=$(sha256sum "$T/config.json" | cut -d' ' -f1) cs=$(stat -c %s "$T/config.json")
	mv "$T/config.json" "$lay/$c"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
		"$c" "$cs" "$l" "$lsz" >"$T/manifest.json"
	m=$(sha256sum "$T/manifest.json" | cut -d' ' -f1) ms=$(stat -c %s "$T/manifest.json")
	mv "$T/manifest.json" "$lay/$m"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"%s","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"latest"}}]}' \
		"$m" "$ms" "$arch" "$IMAGE" >"$T/oci/index.json"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$T/oci/oci-layout"
	tar --numeric-owner -C "$T/oci" -cf "$T/image.tar.tmp" . && mv "$T/image.tar.tmp" "$T/image.tar"
}

# --- containerd -------------------------------------------------------------

CTD=${T:-}/ctd
CTD_SOCK=$CTD/containerd.sock

ctrc() { ctr -a "$CTD_SOCK" -n "$CTR_NS" "$@"; }

# ctr_run [ctr run options, --opt=VALUE form] ID CMD...: the image goes
# before the ID.
ctr_run() {
	local opts=()
	while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do opts+=("$1"); shift; done
	local id=$1
	shift
	echo "$id" >>"$T/ids"
	ctrc run --runc-binary "$WRAP" --fifo-dir "$T/fifo" --snapshotter "$(cat "$CTD/snapshotter")" \
		"${opts[@]}" "$IMAGE" "$id" "$@"
}

# Starts the test's own containerd once (later cases find it answering) and
# imports the image. No CRI (it wants network plugins and a pause image from
# a registry), no tracing, no restart monitor, no /opt plugin dir; `temp`
# puts the shim's console sockets and exec process.json files under $T.
ensure_containerd() {
	need_root
	local b
	for b in containerd ctr containerd-shim-runc-v2 jq; do
		command -v "$b" >/dev/null || fail "$b is not installed (Debian package containerd; scripts/deps test)"
	done
	if [ -f "$CTD/ready" ] && ctrc version >/dev/null 2>&1; then
		diag_mark
		return 0
	fi
	mkdir -p "$CTD"
	cat >"$CTD/config.toml" <<-EOF
		version = 2
		root = "$CTD/root"
		state = "$CTD/state"
		temp = "$T/tmp"
		oom_score = 0
		disabled_plugins = [
		  "io.containerd.grpc.v1.cri",
		  "io.containerd.internal.v1.opt",
		  "io.containerd.internal.v1.restart",
		  "io.containerd.internal.v1.tracing",
		  "io.containerd.tracing.processor.v1.otlp",
		  "io.containerd.snapshotter.v1.aufs",
		  "io.containerd.snapshotter.v1.btrfs",
		  "io.containerd.snapshotter.v1.devmapper",
		  "io.containerd.snapshotter.v1.zfs",
		]
		[grpc]
		  address = "$CTD_SOCK"
		[ttrpc]
		  address = "$CTD_SOCK.ttrpc"
		[debug]
		  address = ""
		[metrics]
		  address = ""
		[cgroup]
		  path = ""
	EOF
	TMPDIR=$T/tmp containerd --config "$CTD/config.toml" --log-level info \
		</dev/null >"$CTD/log" 2>&1 &
	echo $! >"$CTD/pid"
	wait_until 20 ctrc version >/dev/null 2>&1 ||
		{ tail -n 20 "$CTD/log" >&2; fail "containerd did not come up on $CTD_SOCK"; }
	# overlayfs when this kernel and $T's file system can do it, else native
	# (copies; no mounts at all).
	if ctrc plugins ls 2>/dev/null | grep -Eq '^io\.containerd\.snapshotter\.v1 +overlayfs .* ok *$'; then
		echo overlayfs >"$CTD/snapshotter"
	else
		echo native >"$CTD/snapshotter"
	fi
	make_images || fail "cannot build the image archive"
	ctrc image import --snapshotter "$(cat "$CTD/snapshotter")" "$T/image.tar" >"$CTD/import.out" 2>&1 ||
		{ cat "$CTD/import.out" >&2; fail "ctr image import"; }
	ctrc image ls -q | grep -qx "$IMAGE" || fail "ctr image import did not name the image $IMAGE"
	touch "$CTD/ready"
	diag_mark
}

# task_field ID COLUMN: a `ctr task ls` column (2 = PID, 3 = STATUS).
task_field() { ctrc task ls 2>/dev/null | awk -v id="$1" -v c="$2" '$1 == id { print $c }'; }
task_status_is() { [ "$(task_field "$1" 3)" = "$2" ]; }

# events_start NAME / events_wait REGEX: `ctr events` in the background,
# known to be subscribed once a namespace label it set shows up.
events_start() {
	EV=$T/events.$1
	: >"$EV"
	ctrc events </dev/null >"$EV" 2>&1 &
	EV_PID=$!
	trap 'kill $EV_PID 2>/dev/null; wait $EV_PID 2>/dev/null' EXIT
	local n=0
	until grep -q "\"rampart.sync\":\"$1\"" "$EV"; do
		ctrc namespaces label "$CTR_NS" rampart.sync="$1" >/dev/null 2>&1
		sleep 0.1
		n=$((n + 1))
		[ "$n" -lt 50 ] || fail "ctr events did not subscribe"
	done
}
events_wait() { wait_until 5 grep -Eq -- "$1" "$EV"; }

# runtime_root ID: the --root its client gave the runtime when creating ID
# (none: podman passes none, the runtime's default applies).
runtime_root() {
	awk -v id="$1" '/ create / && $NF == id {
		for (i = 1; i < NF; i++) if ($i == "--root") r = $(i + 1); else if ($i ~ /^--root=/) r = substr($i, 8)
	} END { print r }' "$T/capture/argv.log" 2>/dev/null
}

# assert_runtime_state ID STATUS PID: what `RUNTIME state` says about a
# container a client made, asked the way the clients ask (same --root).
# Neither client calls `state` in these flows; this does. STATUS "gone":
# the runtime must not know the container any more.
assert_runtime_state() {
	local root st rc
	root=$(runtime_root "$1")
	if [ -z "$root" ] && [ "$WRAP" = "$RUNTIME" ] && [[ $1 == roci-* ]]; then
		root=/run/containerd/runc/$CTR_NS   # the shim's default, unlogged
	fi
	st=$("$RUNTIME" ${root:+--root "$root"} state "$1" 2>&1)
	rc=$?
	if [ "$2" = gone ]; then
		[ "$rc" -ne 0 ] || fail "$RUNTIME state $1 still succeeds after delete: $st"
		return 0
	fi
	assert_eq "$1 $2 $3" "$(jq -r '"\(.id) \(.status) \(.pid)"' <<<"$st" 2>&1)" "$RUNTIME ${root:+--root $root }state $1 ($st)"
}

# The container's own cgroup must be gone with it (the clients' parents stay).
assert_no_cgroup_named() {
	local left
	left=$(find /sys/fs/cgroup -maxdepth 4 -type d -name "*$1*" 2>/dev/null)
	assert_eq "" "$left" "cgroups left behind by $1"
}

# --- containerd cases -------------------------------------------------------

t_containerd_run_exit_code_and_stdio() {
	ensure_containerd
	events_start exit
	local id=roci-exit-$$
	OUT=$(ctr_run --rm "$id" sh -c 'echo out; echo err >&2; exit 3' 2>"$T/err")
	RC=$?
	ERR=$(nonul <"$T/err")
	[ "$RC" = 3 ] || xfail "ctr run exit status: expected 3, got $RC ($ERR)"
	assert_eq out "$OUT" "stdout"
	assert_eq err "$ERR" "stderr"
	events_wait "/tasks/exit \{\"container_id\":\"$id\".*\"exit_status\":3[,}]" ||
		fail "no /tasks/exit event with exit_status 3: $(cat "$EV")"
	events_wait "/containers/delete \{\"id\":\"$id\"\}" || fail "--rm did not delete the container"
	assert_eq "" "$(ctrc containers ls -q | grep -x "$id")" "container after --rm"
}

t_containerd_detached_exec_ps_kill_delete() {
	ensure_containerd
	local id=roci-long-$$ pid
	OUT=$(ctr_run -d "$id" sleep 1000 2>&1) || xfail "ctr run -d: $OUT"
	pid=$(task_field "$id" 2)
	echo "$pid" >>"$T/pids"
	assert_match '^[1-9][0-9]*$' "$pid" "task pid"
	assert_eq RUNNING "$(task_field "$id" 3)" "task status"
	assert_eq "sleep 1000 " "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "the task's command line on the host"
	assert_runtime_state "$id" running "$pid"

	OUT=$(ctrc task exec --exec-id e1 --fifo-dir "$T/fifo" "$id" \
		sh -c 'echo hi; cat /proc/self/status | grep NoNewPrivs' 2>&1)
	RC=$?
	[ "$RC" = 0 ] || xfail "ctr task exec: status $RC: $OUT"
	assert_eq hi "$(head -n1 <<<"$OUT")" "exec output"
	assert_match '^NoNewPrivs:[[:space:]]+1$' "$(tail -n1 <<<"$OUT")" "exec'd process NoNewPrivs"
	ctrc task exec --exec-id e2 --fifo-dir "$T/fifo" "$id" sh -c 'exit 4' >/dev/null 2>&1
	assert_eq 4 "$?" "exec exit status"

	OUT=$(ctrc task ps "$id" 2>&1) || xfail "ctr task ps: $OUT"
	assert_match "^PID[[:space:]]+INFO" "$OUT" "ctr task ps header"
	assert_match "^${pid}[[:space:]]" "$OUT" "ctr task ps lists the init pid"

	# sleep is pid 1 in its namespace: SIGTERM has no handler there and is
	# ignored (t_containerd_kill_term_reaches_a_trap sends TERM to a trap).
	OUT=$(ctrc task kill -s SIGKILL "$id" 2>&1) || xfail "ctr task kill: $OUT"
	wait_until 10 task_status_is "$id" STOPPED || xfail "task not STOPPED after SIGKILL: $(ctrc task ls)"
	! alive "$pid" || fail "pid $pid still alive after the task stopped"
	OUT=$(ctrc task delete "$id" 2>&1) || xfail "ctr task delete: $OUT"
	assert_eq "" "$(task_field "$id" 1)" "task after delete"
	OUT=$(ctrc container delete "$id" 2>&1) || xfail "ctr container delete: $OUT"
	assert_eq "" "$(ctrc containers ls -q | grep -x "$id")" "container after delete"
	assert_runtime_state "$id" gone
	assert_no_cgroup_named "$id"
	assert_nomatch "/$id/" "$(cat /proc/self/mountinfo)" "rootfs mount after delete"
}

t_containerd_kill_term_reaches_a_trap() {
	ensure_containerd
	events_start term
	local id=roci-term-$$
	# The trap is set before the file appears: no race with the kill.
	OUT=$(ctr_run -d "$id" sh -c 'trap "exit 7" TERM; touch /tmp/ready; while :; do sleep 0.1; done' 2>&1) ||
		xfail "ctr run -d: $OUT"
	local pid
	pid=$(task_field "$id" 2)
	echo "$pid" >>"$T/pids"
	wait_until 10 test -e "/proc/$pid/root/tmp/ready" || fail "workload did not start"
	OUT=$(ctrc task kill "$id" 2>&1) || xfail "ctr task kill (SIGTERM): $OUT"
	wait_until 10 task_status_is "$id" STOPPED || xfail "task not STOPPED after SIGTERM"
	events_wait "/tasks/exit \{\"container_id\":\"$id\".*\"exit_status\":7[,}]" ||
		fail "no /tasks/exit event with the trap's status 7: $(grep "$id" "$EV")"
	ctrc task delete "$id" >/dev/null 2>&1 || xfail "ctr task delete"
	ctrc container delete "$id" >/dev/null 2>&1 || xfail "ctr container delete"
}

t_containerd_pause_resume() {
	ensure_containerd
	local id=roci-pause-$$ pid a b
	OUT=$(ctr_run -d "$id" sh -c 'i=0; while :; do i=$((i+1)); echo $i >/tmp/tick; usleep 20000; done' 2>&1) ||
		xfail "ctr run -d: $OUT"
	pid=$(task_field "$id" 2)
	echo "$pid" >>"$T/pids"
	tick() { cat "/proc/$pid/root/tmp/tick" 2>/dev/null; }
	ticked() { [ "$(tick)" != "$1" ]; }
	wait_until 10 test -s "/proc/$pid/root/tmp/tick" || fail "workload did not start"
	OUT=$(ctrc task pause "$id" 2>&1) || xfail "ctr task pause: $OUT"
	assert_eq PAUSED "$(task_field "$id" 3)" "status after pause"
	a=$(tick)
	sleep 0.5
	b=$(tick)
	assert_eq "$a" "$b" "the workload's counter while paused"
	OUT=$(ctrc task resume "$id" 2>&1) || xfail "ctr task resume: $OUT"
	assert_eq RUNNING "$(task_field "$id" 3)" "status after resume"
	wait_until 5 ticked "$b" || fail "the workload did not run again after resume"
	ctrc task kill -s SIGKILL "$id" >/dev/null 2>&1
	wait_until 10 task_status_is "$id" STOPPED || xfail "task not STOPPED"
	ctrc task delete "$id" >/dev/null 2>&1 || xfail "ctr task delete"
	ctrc container delete "$id" >/dev/null 2>&1 || xfail "ctr container delete"
}

t_containerd_tty() {
	ensure_containerd
	command -v script >/dev/null || fail "script(1) missing (util-linux)"
	local id=roci-tty-$$
	echo "$id" >>"$T/ids"
	# ctr -t wants a terminal on its own stdin: script(1) gives it one.
	# The shim then passes --console-socket and expects the pty master back.
	OUT=$(script -qec "ctr -a $CTD_SOCK -n $CTR_NS run --rm -t --runc-binary $WRAP --fifo-dir $T/fifo \
		--snapshotter $(cat "$CTD/snapshotter") $IMAGE $id sh -c 'tty; [ -t 0 ] && echo stdin-is-a-tty; exit 5'" \
		/dev/null </dev/null 2>&1)
	RC=$?
	[ "$RC" = 5 ] || xfail "ctr run -t exit status: expected 5, got $RC ($OUT)"
	assert_match '/dev/pts/[0-9]+' "$OUT" "tty in the container"
	assert_match 'stdin-is-a-tty' "$OUT" "stdin is the terminal"
}

# v2_lacks CONTROLLER: the cgroup v2 hierarchy does not offer it.
v2_lacks() {
	local root
	root=$(findmnt -rn -t cgroup2 -o TARGET | head -n1)
	[ -z "$root" ] || ! grep -qw "$1" "$root/cgroup.controllers"
}

t_containerd_oom_event() {
	ensure_containerd
	# The shim reports OOM from the container's memory cgroup: v1
	# memory.oom_control or v2 memory.events. This host is a v1/v2 hybrid
	# whose v2 tree has no controllers, but its v1 memory hierarchy works,
	# and a runc-compatible runtime puts linux.resources.memory.limit there.
	# Only a host with neither has no OOM to observe.
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		grep -qw memory /sys/fs/cgroup/cgroup.controllers ||
			skip "cgroup v2 without the memory controller: no OOM kill to observe"
	elif ! findmnt -rn -t cgroup -o OPTIONS | grep -qw memory; then
		skip "no cgroup memory controller mounted: no OOM kill to observe"
	fi
	local id=roci-oom-$$
	# rampart is cgroup v2 only and fails closed: on a host whose v2 tree
	# lacks the memory controller the limit is refused, naming it, and
	# nothing runs. (Its OOM handling is proven in the cgroup v2 guest,
	# tests/vm/cgroup.sh.)
	if "$RUNTIME" --version 2>/dev/null | grep -q '^rampart' && v2_lacks memory; then
		OUT=$(ctr_run --rm --memory-limit=33554432 "$id" sh -c 'echo survived' 2>&1)
		RC=$?
		assert_nomatch survived "$OUT" "nothing ran"
		[ "$RC" -ne 0 ] || fail "a limit the host cannot enforce was accepted"
		assert_match "controller 'memory' is not available" "$OUT" "the refusal names the controller"
		return 0
	fi
	events_start oom
	# 32 MiB limit; the string doubles to 128 MiB (bounded: if no limit
	# applies, the case fails instead of eating the host's memory).
	OUT=$(ctr_run --rm --memory-limit=33554432 "$id" sh -c \
		'x=01234567890123456789012345678901; i=0; while [ $i -lt 22 ]; do x=$x$x; i=$((i+1)); done; echo survived' 2>&1)
	RC=$?
	assert_nomatch survived "$OUT" "the workload outgrew its memory limit"
	assert_eq 137 "$RC" "exit status of the OOM-killed task ($OUT)"
	events_wait "/tasks/oom \{\"container_id\":\"$id\"\}" || fail "no /tasks/oom event: $(grep "$id" "$EV")"
	events_wait "/tasks/exit \{\"container_id\":\"$id\".*\"exit_status\":137" || fail "no /tasks/exit 137"
}

# --- podman -----------------------------------------------------------------

POD=${T:-}/podman

# pm ARGS...: podman with everything under $POD. cgroupfs because there is
# no systemd here; the file events backend because there is no journald;
# storage, libpod's tmp dir (exit files, locks) and network config in $POD.
# Only the runtime's state stays where the runtime keeps it by default:
# podman passes no --root.
pm() {
	CONTAINERS_CONF=$POD/containers.conf CONTAINERS_STORAGE_CONF=$POD/storage.conf \
		CONTAINERS_REGISTRIES_CONF=$POD/registries.conf TMPDIR=$T/tmp \
		podman --root "$POD/root" --runroot "$POD/runroot" --storage-driver "$(cat "$POD/driver")" \
		--tmpdir "$POD/tmp" --network-config-dir "$POD/net" \
		--cgroup-manager cgroupfs --events-backend file "$@"
}
# prun [run options] -- CMD...: podman run of the image in the test's
# cgroup parent; the CID goes to $T/cids for the leak checks.
prun() {
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	pm run --cgroup-parent "$POD_CGROUP" --cidfile "$T/cids/$(date +%s%N)" "${opts[@]}" "$IMAGE" "$@"
}

ensure_podman() {
	need_root
	local b
	for b in podman conmon jq; do
		command -v "$b" >/dev/null || fail "$b is not installed (Debian packages podman, conmon; scripts/deps test)"
	done
	[ -f "$POD/ready" ] && { diag_mark; return 0; }
	mkdir -p "$POD/tmp" "$POD/net"
	local ulimits=""
	# Without CAP_SYS_RESOURCE in our bounding set (this VM's init drops it)
	# nothing can raise a hard rlimit, and podman's root defaults (nofile,
	# and nproc once nofile is set, 1048576) make the runtime's setrlimit
	# fail with EPERM before the workload starts: ask for small ones.
	if [ $((0x$(awk '/^CapBnd/ { print $2 }' /proc/self/status) >> 24 & 1)) = 0 ]; then
		ulimits='default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]'
	fi
	# pids_limit 0: podman puts pids.limit 2048 in every config. rampart
	# manages cgroup v2 only and refuses a limit it cannot enforce; this
	# hybrid host's v2 tree has no pids controller (runc puts it in v1).
	# Limits under rampart are proven in the cgroup v2 guest
	# (tests/vm/cgroup.sh), OCI bundles included.
	# netns "none": podman's default bridge would make a CNI bridge and
	# iptables rules on the host. conmon passes CONTAINERS_CONF on to the
	# `podman container cleanup` it runs at exit, so that sees this file too.
	# runtime_supports_json: podman asks for --log-format=json only from
	# runtimes listed there (crun, runc, ... by default).
	cat >"$POD/containers.conf" <<-EOF
		[containers]
		netns = "none"
		pids_limit = 0
		$ulimits
		[network]
		network_config_dir = "$POD/net"
		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		events_logfile_path = "$POD/events.log"
		tmp_dir = "$POD/tmp"
		lock_type = "file"
		runtime = "$RUNTIME_NAME"
		runtime_supports_json = ["$RUNTIME_NAME"]
		[engine.runtimes]
		$RUNTIME_NAME = ["$WRAP"]
	EOF
	echo 'unqualified-search-registries = []' >"$POD/registries.conf"
	make_images || fail "cannot build the image layer"
	# overlay when it works on $T's file system, else vfs (copies, no mounts).
	local drv
	for drv in overlay vfs; do
		echo "$drv" >"$POD/driver"
		printf '[storage]\ndriver = "%s"\nrunroot = "%s"\ngraphroot = "%s"\n' "$drv" "$POD/runroot" "$POD/root" >"$POD/storage.conf"
		pm import "$T/layer.tar" "$IMAGE" >"$POD/import.out" 2>&1 && break
		pm rmi -a -f >/dev/null 2>&1
		rm -rf --one-file-system "$POD/root" "$POD/runroot"
		[ "$drv" = vfs ] && { cat "$POD/import.out" >&2; fail "podman import"; }
	done
	pm image exists "$IMAGE" || fail "podman import did not name the image $IMAGE"
	touch "$POD/ready"
	diag_mark
}

t_podman_run_exit_code_and_stdio() {
	ensure_podman
	OUT=$(prun --rm -- sh -c 'echo out; echo err >&2; exit 3' 2>"$T/err")
	RC=$?
	ERR=$(nonul <"$T/err")
	[ "$RC" = 3 ] || xfail "podman run exit status: expected 3, got $RC ($ERR)"
	assert_eq out "$OUT" "stdout"
	assert_eq err "$ERR" "stderr"
	assert_eq "" "$(pm ps -aq)" "containers after run --rm"
}

t_podman_exec_failures_are_127_and_126() {
	ensure_podman
	# podman reads the runtime's error (the JSON --log, as the runtime is in
	# runtime_supports_json) and maps "no such file or directory" /
	# "executable file not found" to 127, "permission denied" to 126.
	OUT=$(prun --rm -- /nonexistent 2>&1 | nonul)
	RC=$?   # pipefail: the status of prun
	assert_eq 127 "$RC" "podman run of a missing command ($OUT)"
	OUT=$(prun --rm -- /etc/passwd 2>&1 | nonul)
	RC=$?   # pipefail: the status of prun
	assert_eq 126 "$RC" "podman run of a non-executable file ($OUT)"
	assert_match 'permission denied' "$OUT" "the runtime's error, passed on"
	assert_eq "" "$(pm ps -aq)" "containers after failed runs with --rm"
}

t_podman_network_none_only_lo() {
	ensure_podman
	OUT=$(prun --rm --network none -- sh -c 'cat /proc/net/dev; echo ---; ip -o link' 2>&1 | nonul)
	RC=$?
	[ "$RC" = 0 ] || xfail "podman run: status $RC: $OUT"
	assert_eq lo "$(sed '/^---$/,$d' <<<"$OUT" | awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }')" "interfaces in /proc/net/dev"
	assert_eq lo "$(sed '1,/^---$/d' <<<"$OUT" | awk -F': ' '{ print $2 }' | sed 's/@.*//')" "interfaces in ip link"
}

t_podman_detached_exec_stop_rm() {
	ensure_podman
	local cid pid
	cid=$(prun -d -- sleep 1000 2>"$T/err") || xfail "podman run -d: $(nonul <"$T/err")"
	echo "$cid" >>"$T/ids"
	assert_match '^[0-9a-f]{64}$' "$cid" "container id"
	assert_eq "running true" "$(pm inspect --format '{{.State.Status}} {{.State.Running}}' "$cid")" "state"
	pid=$(pm inspect --format '{{.State.Pid}}' "$cid")
	echo "$pid" >>"$T/pids"
	assert_eq "sleep 1000 " "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "the container's command line on the host"
	assert_runtime_state "$cid" running "$pid"

	OUT=$(pm exec "$cid" echo hi 2>&1 | nonul)
	RC=$?
	[ "$RC" = 0 ] || xfail "podman exec: status $RC: $OUT"
	assert_eq hi "$OUT" "exec output"
	pm exec "$cid" sh -c 'exit 5' >/dev/null 2>&1
	assert_eq 5 "$?" "exec exit status"
	OUT=$(pm exec -t "$cid" sh -c 'tty; [ -t 0 ] && echo stdin-is-a-tty' </dev/null 2>&1 | nonul)
	assert_match '^/dev/pts/[0-9]+' "$OUT" "exec -t: tty"
	assert_match 'stdin-is-a-tty' "$OUT" "exec -t: stdin"

	# sleep as pid 1 ignores SIGTERM: podman stop sends it, waits 2 s, then
	# SIGKILL (the TERM path is t_podman_stop_term_reaches_a_trap).
	OUT=$(pm stop -t 2 "$cid" 2>&1 | nonul)
	RC=$?
	[ "$RC" = 0 ] || xfail "podman stop: status $RC: $OUT"
	assert_eq exited "$(pm inspect --format '{{.State.Status}}' "$cid")" "state after stop"
	! alive "$pid" || fail "pid $pid still alive after podman stop"
	OUT=$(pm rm "$cid" 2>&1) || xfail "podman rm: $OUT"
	pm container exists "$cid"
	assert_eq 1 "$?" "podman container exists after rm"
	assert_runtime_state "$cid" gone
	assert_no_cgroup_named "$cid"
	assert_nomatch "$cid" "$(cat /proc/self/mountinfo)" "mounts after rm"
}

t_podman_stop_term_reaches_a_trap() {
	ensure_podman
	local cid pid start
	cid=$(prun -d -- sh -c 'trap "exit 7" TERM; touch /tmp/ready; while :; do sleep 0.1; done' 2>"$T/err") ||
		xfail "podman run -d: $(nonul <"$T/err")"
	echo "$cid" >>"$T/ids"
	pid=$(pm inspect --format '{{.State.Pid}}' "$cid")
	echo "$pid" >>"$T/pids"
	wait_until 10 test -e "/proc/$pid/root/tmp/ready" || fail "workload did not start"
	start=$SECONDS
	OUT=$(pm stop -t 20 "$cid" 2>&1) || xfail "podman stop: $OUT"
	[ $((SECONDS - start)) -lt 10 ] || fail "podman stop took $((SECONDS - start)) s: SIGTERM did not reach the trap"
	assert_eq "exited 7" "$(pm inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$cid")" "state and exit code"
	pm rm "$cid" >/dev/null 2>&1 || xfail "podman rm"
}

t_podman_pause_unpause() {
	ensure_podman
	local cid pid a b
	cid=$(prun -d -- sh -c 'i=0; while :; do i=$((i+1)); echo $i >/tmp/tick; usleep 20000; done' 2>"$T/err") ||
		xfail "podman run -d: $(nonul <"$T/err")"
	echo "$cid" >>"$T/ids"
	pid=$(pm inspect --format '{{.State.Pid}}' "$cid")
	echo "$pid" >>"$T/pids"
	tick() { cat "/proc/$pid/root/tmp/tick" 2>/dev/null; }
	ticked() { [ "$(tick)" != "$1" ]; }
	wait_until 10 test -s "/proc/$pid/root/tmp/tick" || fail "workload did not start"
	OUT=$(pm pause "$cid" 2>&1) || xfail "podman pause: $OUT"
	assert_eq paused "$(pm inspect --format '{{.State.Status}}' "$cid")" "state after pause"
	a=$(tick)
	sleep 0.5
	b=$(tick)
	assert_eq "$a" "$b" "the workload's counter while paused"
	OUT=$(pm unpause "$cid" 2>&1) || xfail "podman unpause: $OUT"
	assert_eq running "$(pm inspect --format '{{.State.Status}}' "$cid")" "state after unpause"
	wait_until 5 ticked "$b" || fail "the workload did not run again after unpause"
	pm rm -f -t 0 "$cid" >/dev/null 2>&1 || xfail "podman rm -f"
	pm container exists "$cid"
	assert_eq 1 "$?" "podman container exists after rm -f"
}

t_podman_tty() {
	ensure_podman
	# conmon makes the console socket; the runtime sends the pty master back.
	OUT=$(prun --rm -t -- sh -c 'tty; [ -t 0 ] && echo stdin-is-a-tty; exit 5' </dev/null 2>&1 | nonul)
	RC=$?
	[ "$RC" = 5 ] || xfail "podman run -t exit status: expected 5, got $RC ($OUT)"
	assert_match '^/dev/pts/[0-9]+' "$OUT" "tty in the container"
	assert_match 'stdin-is-a-tty' "$OUT" "stdin is the terminal"
}

# --- teardown ---------------------------------------------------------------

# procs_of_T: pids of processes that belong to this run: a command line
# naming $T (containerd, shims, conmon, podman cleanup, ctr events) or a root
# inside $T (container processes), and the container pids the cases saw.
procs_of_T() {
	local p cmd root seen
	seen=" $(tr '\n' ' ' <"$T/pids" 2>/dev/null)"
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
		alive "$p" || continue
		cmd=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) || continue
		root=$(readlink "/proc/$p/root" 2>/dev/null)
		if [[ $cmd == *"$T/"* || $root == "$T/"* || $seen == *" $p "* ]]; then
			echo "$p"
		fi
	done
}

# cg_rel DIR: the cgroup path of a directory below /sys/fs/cgroup.
cg_rel() {
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		echo "${1#/sys/fs/cgroup}"
	else
		echo "/${1#/sys/fs/cgroup/*/}"
	fi
}

# teardown: puts the host back; prints one line per thing that was left
# (by the runtime or a client) on stdout. Idempotent.
teardown() {
	[ -n "${T:-}" ] && [ -d "$T" ] || return 0
	local p left=() pid ids
	# Every container of this run: ctr ids, podman CIDs (podman's event
	# log has them all; --cidfile files go with run --rm).
	ids=$({ cat "$T/ids" "$T"/cids/*; jq -r 'select(.Type == "container") | .ID' "$POD/events.log"; } 2>/dev/null |
		sort -u | grep .)

	# Containers first, through their clients, as a user would.
	if [ -S "$CTD_SOCK" ] && ctrc version >/dev/null 2>&1; then
		for p in $(ctrc task ls -q 2>/dev/null); do
			ctrc task kill -s SIGKILL "$p" >/dev/null 2>&1
			wait_until 5 task_status_is "$p" STOPPED
			ctrc task delete -f "$p" >/dev/null 2>&1
		done
		for p in $(ctrc containers ls -q 2>/dev/null); do ctrc containers delete "$p" >/dev/null 2>&1; done
		ctrc image rm "$IMAGE" >/dev/null 2>&1
	fi
	if [ -f "$CTD/pid" ]; then
		pid=$(cat "$CTD/pid")
		kill -TERM "$pid" 2>/dev/null
		wait_until 10 eval '! alive $pid' || kill -KILL "$pid" 2>/dev/null
		rm -f "$CTD/pid"
	fi
	if [ -f "$POD/driver" ] && command -v podman >/dev/null; then
		pm rm -a -f -t 0 >/dev/null 2>&1
		pm rmi -a -f >/dev/null 2>&1
		rm -f "$POD/driver" "$POD/ready"
	fi

	# Processes: conmon's exit command may take a moment.
	wait_until 10 test -z "$(procs_of_T)"
	for p in $(procs_of_T); do
		left+=("process $p left: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)")
		kill -KILL "$p" 2>/dev/null
	done
	[ ${#left[@]} -eq 0 ] || wait_until 5 test -z "$(procs_of_T)"

	# Mounts: nothing under $T or in the clients' dirs, none naming one of
	# our containers; other changes to the host's table are listed.
	local m ids_re
	for m in $(awk -v t="$T/" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		left+=("mount left: $m")
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	if [ -f "$T/mounts.before" ]; then
		ids_re=$(paste -sd'|' <<<"$ids")
		while read -r m; do
			if grep -Eq -- "/run/containerd|/run/runc|/var/lib/containers|/run/libpod|${ids_re:-^\$}" <<<"$m"; then
				left+=("host mount table: $m")
			else
				echo "    note: host mount table changed meanwhile (not by this suite?): $m" >&2
			fi
		done < <(mount_snapshot | diff "$T/mounts.before" - | grep '^[<>]')
	fi

	# cgroups: the clients' parents (ctr's /NS, podman's --cgroup-parent
	# with its conmon child) are expected and removed; a new cgroup naming
	# one of our containers is a leak (removed too). Cgroups that other
	# things on the host make meanwhile are not ours to judge.
	local d rel
	local -A leaked=()
	for d in $(cgroup_dirs | comm -13 "$T/cgroups.before" - |
		awk '{ print gsub("/", "/"), $0 }' | sort -rn | cut -d' ' -f2-); do
		rel=$(cg_rel "$d")
		case $rel in
		"/$CTR_NS" | "$POD_CGROUP" | "$POD_CGROUP/conmon") ;;
		*)
			if [ -n "$ids" ] && grep -qF -- "$ids" <<<"$rel"; then
				leaked[$rel]=$((${leaked[$rel]:-0} + 1))
			elif [[ $rel != "/$CTR_NS/"* && $rel != "$POD_CGROUP/"* ]]; then
				continue
			fi
			;;
		esac
		rmdir "$d" 2>/dev/null || left+=("cannot remove cgroup $d")
	done
	for rel in "${!leaked[@]}"; do
		left+=("container cgroup left: $rel (in ${leaked[$rel]} hierarchies)")
	done

	# Runtime state the clients' containers left, in any state root (the
	# --root the clients passed, the runtimes' defaults), new or not: an
	# entry naming one of our containers, or one whose files name $T (the
	# bundle path in a state file).
	local e r
	for r in $(awk '{ for (i = 1; i < NF; i++) if ($i == "--root") print $(i + 1) }' \
		"$T/capture/argv.log" 2>/dev/null | sort -u) $RUNTIME_ROOTS; do
		[ -d "$r" ] || continue
		for e in $( {
			[ -z "$ids" ] || find "$r" -mindepth 1 -maxdepth 2 2>/dev/null | grep -F -- "$ids"
			grep -rlF -- "$T/" "$r" 2>/dev/null | sed "s|^$r/\([^/]*\).*|$r/\1|"
		} | sort -u); do
			[ -e "$e" ] || continue
			left+=("runtime state left: $e")
			rm -rf --one-file-system "$e"
		done
	done
	# New client dirs outside $T are all ours: skeletons of empty
	# directories (the shim socket dir, ctr's fifo dir, the shim's runtime
	# root) and podman's blob-info cache are expected; other files are a
	# leak. New runtime roots go when empty; anything else in them is not
	# ours to remove.
	for e in $CLIENT_DIRS $RUNTIME_ROOTS; do
		[ -e "$e" ] || continue
		grep -qx "$e" "$T/hostdirs.before" && continue
		if [[ " $CLIENT_DIRS " == *" $e "* ]]; then
			if [ -n "$(find "$e" ! -type d ! -path /var/lib/containers/cache/blob-info-cache-v1.boltdb 2>/dev/null)" ]; then
				left+=("$e left with: $(find "$e" ! -type d | head -n 5 | tr '\n' ' ')")
			fi
			rm -rf --one-file-system "$e"
		else
			find "$e" -depth -type d -empty -delete 2>/dev/null
			[ -e "$e" ] && echo "    note: $e (made during the run) is not empty; left alone" >&2
		fi
	done

	# Copies for the notes, then the temp dir.
	if [ -n "${OCI_CAPTURE_DIR:-}" ]; then
		mkdir -p "$OCI_CAPTURE_DIR" && cp -a "$T/capture/." "$OCI_CAPTURE_DIR/"
		cp "$CTD/config.toml" "$OCI_CAPTURE_DIR/containerd.toml" 2>/dev/null
		cp "$POD/containers.conf" "$OCI_CAPTURE_DIR/containers.conf" 2>/dev/null
	fi
	rm -rf --one-file-system "$T"
	printf '%s\n' "${left[@]}"
}

t_zz_host_left_clean() {
	need_root
	OUT=$(teardown)
	[ -z "$OUT" ] || fail "$(sed '1!s/^/          /' <<<"$OUT")"
}

on_exit() {
	local out
	out=$(teardown)
	if [ -n "$out" ]; then
		echo "not ok - host left clean (at exit):" >&2
		sed 's/^/    /' <<<"$out" >&2
		exit 1
	fi
}
[ -z "$SKIP_ALL" ] && trap on_exit EXIT

run_tests
