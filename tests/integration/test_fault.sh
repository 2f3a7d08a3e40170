#!/usr/bin/env bash
# test_fault.sh - fault injection: the launcher SIGKILLed at every stage of
# a launch (RAMPART_STOP_AT, runtime/launch.c stop_point()) leaves the host
# exactly as it was, and the next launch works.
#
# Each stage runs with every layer on: base profile, a secret, `setuid
# strip` (the default) on an image with a setuid file, and `net veth` into
# a bridge inside a test network namespace (rampart runs inside it with
# `ip netns exec`, as in test_net.sh). The launcher stops itself (State: T),
# is SIGKILLed, and then: the mount table (mountinfo triples), the links in
# the test netns, rampart cgroups and state, and the image digest are what
# they were before; every process the launch made (the setup child, the
# reaper, the workload /bin/sleep 30) is gone within 2 s (PDEATHSIG and
# the pid namespace).
#
# The cgroup stage needs cgroup v2 controllers, which a v1/v2 hybrid host
# lacks: it runs in the throw-away cgroup v2 guest (scripts/vm/run,
# tests/fault/vm-fault.sh), with every stage again, plus the reaping of
# the cgroup a killed launcher leaves (next launch, `rampart gc`).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/fault/lib.sh"

setup_rootfs
# The first guest boot may download the kernel (about 70 MB) first.
TEST_TIMEOUT=900
fault_mark_setuid "$ROOTFS"
printf 'fault-secret-%s' "$$" >"$T/key"
chmod 0600 "$T/key"
export RAMPART_CACHE_DIR=$T/cache
trap 'fault_netns_cleanup; rm -rf "$T"' EXIT
fault_netns_setup

need_net() { [ -z "$FAULT_NETNS_SKIP" ] || skip "$FAULT_NETNS_SKIP"; }

ALL_LAYERS=(--profile base --set "secret k $T/key" --set "net veth $FAULT_BR $FAULT_NET.2/24")

# fault STAGE: launch with every layer, stop at STAGE, SIGKILL, verify.
fault() {
	local stage=$1 before img pid procs left workload links
	need_net
	# A clean launch first: mount points the profile needs exist in the
	# image from then on (docs: created in the image, as runc does), so
	# the image digest below is about the fault alone.
	ip netns exec "$FAULT_NS" "$RAMPART" launch "${ALL_LAYERS[@]}" "$ROOTFS" -- /bin/true 2>"$T/warm.err" ||
		fail "warm-up launch: $(cat "$T/warm.err")"
	before=$(host_snapshot)
	img=$(image_digest "$ROOTFS")

	RAMPART_STOP_AT=$stage ip netns exec "$FAULT_NS" "$RAMPART" launch "${ALL_LAYERS[@]}" \
		"$ROOTFS" -- /bin/sleep 30 >"$T/out" 2>"$T/err" &
	pid=$!
	wait_stopped "$pid" 10 || { kill -9 "$pid" 2>/dev/null; fail "launcher did not stop at $stage: $(cat "$T/err")"; }
	procs=$(descendants "$pid")
	case $stage in
	cgroup|overlay)
		[ -z "$procs" ] || fail "processes before clone: $procs" ;;
	clone|net)
		[ -n "$procs" ] || fail "no container child at $stage" ;;
	exec)
		# The workload runs: /bin/sleep 30 under the reaper.
		workload=$(for id in $procs; do
			[ "$(tr '\0' ' ' <"/proc/${id%%:*}/cmdline" 2>/dev/null)" = "/bin/sleep 30 " ] && echo "$id"
		done)
		[ -n "$workload" ] || fail "the workload is not running at exec: $procs"
		;;
	esac
	links=$(fault_links)
	if [ "$stage" = net ] || [ "$stage" = exec ]; then
		# The host end of the veth exists while the launcher is stopped.
		[ "$links" != "$FAULT_BR lo" ] || fail "no veth in the test netns while stopped at $stage: $links"
	fi
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	echo "    $stage: launcher $pid SIGKILLed; its processes: $(echo ${procs:-none}); test netns links: $links"

	# Processes: gone within 2 s.
	left=""
	poll_until 2 test -z "$(still_alive "$procs")" || left=$(still_alive "$procs")
	[ -z "$left" ] || fail "container processes outlived the launcher killed at $stage: $left"
	# Host state: the veth goes with the container's netns; poll too.
	poll_until 2 test "$before" = "$(host_snapshot)" ||
		fail "host state after a SIGKILL at $stage: $(diff <(echo "$before") <(host_snapshot) | grep '^[<>]')"
	assert_eq "$img" "$(image_digest "$ROOTFS")" "image digest after a SIGKILL at $stage"
	# And the next launch works and leaves nothing either.
	OUT=$(ip netns exec "$FAULT_NS" "$RAMPART" launch "${ALL_LAYERS[@]}" "$ROOTFS" -- /bin/echo next 2>"$T/err")
	assert_eq next "$OUT" "the next launch after a SIGKILL at $stage ($(cat "$T/err"))"
	assert_eq "$before" "$(host_snapshot)" "host state after the next launch"
}

t_fault_overlay() { fault overlay; }
t_fault_clone() { fault clone; }
t_fault_net() { fault net; }
t_fault_exec() { fault exec; }

t_fault_cgroup_stage_on_host_has_no_cgroup() {
	# Without limits there is no cgroup: the stage is a no-op stop here,
	# and SIGKILL there must leave nothing (the limits case is in the VM).
	fault cgroup
}

# --- OCI create: SIGKILLed at each stage, then `delete --force` -----------

# The create is killed where it stands; the state directory it made names
# the container's cgroup (recorded before the cgroup exists) and process,
# so `delete --force` leaves the host as it was: no state, no cgroup, no
# process, no mount.
oci_fault() {
	local stage=$1 id=fault-$1-$$ b=$T/ocibundle before pid procs left cg
	mkdir -p "$b"
	[ -e "$b/rootfs" ] || ln -s "$ROOTFS" "$b/rootfs"
	cat >"$b/config.json" <<EOF
{"ociVersion": "1.2.0", "root": {"path": "rootfs"},
 "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "args": ["/bin/sleep", "30"],
             "env": ["PATH=/bin"]},
 "linux": {"namespaces": [{"type": "user"}, {"type": "pid"}, {"type": "mount"}, {"type": "ipc"},
                          {"type": "uts"}, {"type": "network"}, {"type": "cgroup"}],
           "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
           "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}}
EOF
	before=$(host_snapshot)
	cg=$(findmnt -rn -t cgroup2 -o TARGET | head -n1)/rampart-oci/$id
	RAMPART_STOP_AT=$stage "$RAMPART" --root "$T/ocistate" create --bundle "$b" "$id" >"$T/out" 2>"$T/err" &
	pid=$!
	wait_stopped "$pid" 10 || { kill -9 "$pid" 2>/dev/null; fail "create did not stop at $stage: $(cat "$T/err")"; }
	procs=$(descendants "$pid")
	[ -d "$T/ocistate/$id" ] || fail "no state directory while stopped at $stage"
	[ -d "$cg" ] || fail "no cgroup $cg while stopped at $stage"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	"$RAMPART" --root "$T/ocistate" delete --force "$id" 2>"$T/err" || fail "delete --force after $stage: $(cat "$T/err")"
	left=""
	poll_until 2 test -z "$(still_alive "$procs")" || left=$(still_alive "$procs")
	[ -z "$left" ] || fail "processes outlived create killed at $stage and delete --force: $left"
	[ ! -e "$T/ocistate/$id" ] || fail "state left after $stage: $(ls -la "$T/ocistate/$id")"
	[ ! -d "$cg" ] || fail "cgroup $cg left after $stage"
	assert_eq "$before" "$(host_snapshot)" "host state after create killed at $stage + delete --force"
	echo "    oci $stage: create $pid SIGKILLed (processes: $(echo ${procs:-none})); delete --force left nothing"
}

t_fault_oci_create_cgroup() { oci_fault cgroup; }
t_fault_oci_create_clone() { oci_fault clone; }
t_fault_oci_create_net() { oci_fault net; }

# --- the cgroup v2 guest: every stage with limits, and the cgroup reaped ---

vm_out=$T/vm-fault.out
t_vm_cgroup_stage_fault_reaped() {
	[ -n "${RAMPART_SKIP_VM:-}" ] && skip "RAMPART_SKIP_VM set"
	cp "$TOP/build/probe" "$ROOTFS/probe" 2>/dev/null
	"$TOP/scripts/vm/run" --timeout 600 --mem 384 \
		--bin "$RAMPART:/usr/local/bin/rampart" --file "$ROOTFS:/rootfs" \
		--file "$TOP/profiles:/profiles" --file "$TOP/tests/fault/vm-fault.sh:/vm-fault.sh" \
		-- sh /vm-fault.sh >"$vm_out" 2>&1
	rc=$?
	sed 's/^/    vm: /' "$vm_out"
	[ "$rc" = 77 ] && skip "$(grep -m1 SKIPPED "$vm_out")"
	assert_eq 0 "$rc" "guest suite status"
	assert_match '^[1-9][0-9]* passed, 0 failed$' "$(tail -n1 "$vm_out")" "guest summary"
}

run_tests
