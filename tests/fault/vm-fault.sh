#!/bin/sh
# tests/fault/vm-fault.sh - fault injection with cgroup v2 limits, in the
# throw-away guest of scripts/vm/run (busybox sh, root, cgroup2 at
# /sys/fs/cgroup with cpu, memory, io, pids). rampart in PATH, the busybox
# rootfs at /rootfs, the profiles at /profiles. Run by
# tests/integration/test_fault.sh (t_vm_cgroup_stage_fault_reaped).
#
# For every RAMPART_STOP_AT stage (cgroup, overlay, clone, net, exec) with
# limits set: the launcher stops itself, is SIGKILLed, and then
#   - its cgroup launch-PID is still there (nothing could remove it), with
#     the limits written, and no process in it within 2 s;
#   - every process of the launch is gone within 2 s;
#   - the mount table is unchanged;
#   - the next launch (cgroup/overlay/clone/net) or `rampart gc` (exec)
#     removes it, and nothing else is left.
# Prints "ok - NAME" / "not ok - NAME: why" and "N passed, M failed" last.
export RAMPART_PROFILE_PATH=/profiles RAMPART_AUDIT_LOG=none
ROOT=/rootfs
PARENT=/sys/fs/cgroup/rampart
pass=0
failn=0

ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1: $2"; failn=$((failn + 1)); }
check() { if [ "$2" ]; then ok "$1"; else bad "$1" "$3"; fi; }

mounts() { awk '{ print $4, $5, $(NF-1) }' /proc/self/mountinfo | sort; }
cgroups() { ls "$PARENT" 2>/dev/null | grep '^launch-' | sort | tr '\n' ' '; }

wait_stopped() {
	n=200
	while [ $n -gt 0 ]; do
		grep -q '^State:[[:space:]]*T' "/proc/$1/status" 2>/dev/null && return 0
		[ -e "/proc/$1" ] || return 1
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}
descendants() {
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}
alive() { for p in $1; do [ -e "/proc/$p" ] && echo "$p"; done; }

# A first launch with limits makes the parent cgroup and enables the
# controllers; the baseline is taken after it.
rampart launch --set 'limit pids 16' --set 'limit memory 64M' "$ROOT" -- /bin/true ||
	bad "baseline launch" "rc=$?"
base_mounts=$(mounts)
echo "cgroup parent $PARENT: [$(cgroups)] (baseline)"

for stage in cgroup overlay clone net exec; do
	RAMPART_STOP_AT=$stage rampart launch --set 'limit pids 16' --set 'limit memory 64M' \
		"$ROOT" -- /bin/sleep 30 >/tmp/out 2>/tmp/err &
	pid=$!
	if ! wait_stopped "$pid"; then
		bad "$stage: launcher stops itself" "$(cat /tmp/err)"
		kill -9 "$pid" 2>/dev/null
		continue
	fi
	cg=$PARENT/launch-$pid
	procs=$(descendants "$pid" | tr '\n' ' ')
	check "$stage: cgroup $cg exists with pids.max 16, memory.max 64M while stopped" \
		"$([ "$(cat "$cg/pids.max" 2>/dev/null)" = 16 ] && [ "$(cat "$cg/memory.max" 2>/dev/null)" = 67108864 ] && echo y)" \
		"$(ls "$cg" 2>&1 | head -3)"
	case $stage in
	cgroup|overlay) check "$stage: no process in the cgroup yet" "$([ -z "$(cat "$cg/cgroup.procs")" ] && echo y)" "$(cat "$cg/cgroup.procs")" ;;
	*) check "$stage: the container is in the cgroup ($procs)" "$([ -n "$(cat "$cg/cgroup.procs")" ] && echo y)" "procs=$procs" ;;
	esac
	[ "$stage" = exec ] && check "exec: the workload runs" \
		"$(for p in $procs; do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done | grep -q '^/bin/sleep 30 $' && echo y)" "$procs"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	n=40
	while [ $n -gt 0 ] && [ -n "$(alive "$procs")" ]; do sleep 0.05; n=$((n - 1)); done
	check "$stage: every process of the launch gone within 2 s" "$([ -z "$(alive "$procs")" ] && echo y)" "left: $(alive "$procs")"
	n=40
	while [ $n -gt 0 ] && [ -n "$(cat "$cg/cgroup.procs" 2>/dev/null)" ]; do sleep 0.05; n=$((n - 1)); done
	check "$stage: the killed launcher left $cg, empty" \
		"$([ -d "$cg" ] && [ -z "$(cat "$cg/cgroup.procs")" ] && echo y)" "[$(cgroups)] procs=$(cat "$cg/cgroup.procs" 2>&1)"
	check "$stage: mount table unchanged" "$([ "$base_mounts" = "$(mounts)" ] && echo y)" "changed"
	if [ "$stage" = exec ]; then
		out=$(rampart gc 2>&1)
		check "exec: rampart gc removed it ($out)" "$([ ! -d "$cg" ] && [ -z "$(cgroups)" ] && echo y)" "[$(cgroups)]"
	else
		out=$(rampart launch --set 'limit pids 16' --set 'limit memory 64M' "$ROOT" -- /bin/echo next 2>/tmp/err)
		check "$stage: the next launch ran and reaped it" \
			"$([ "$out" = next ] && [ ! -d "$cg" ] && [ -z "$(cgroups)" ] && echo y)" "out=$out [$(cgroups)]"
	fi
done

# Two killed launchers at once, then gc alone reaps both.
RAMPART_STOP_AT=exec rampart launch --set 'limit pids 16' "$ROOT" -- /bin/sleep 30 >/dev/null 2>&1 &
p1=$!
RAMPART_STOP_AT=exec rampart launch --set 'limit pids 16' "$ROOT" -- /bin/sleep 30 >/dev/null 2>&1 &
p2=$!
wait_stopped "$p1"; wait_stopped "$p2"
kill -9 "$p1" "$p2"; wait "$p1" "$p2" 2>/dev/null
sleep 0.5
left=$(cgroups)
out=$(rampart gc 2>&1)
check "gc: two SIGKILLed launchers' cgroups ($left) removed: $out" \
	"$([ -n "$left" ] && [ -z "$(cgroups)" ] && echo y)" "[$(cgroups)]"
check "final: mount table unchanged" "$([ "$base_mounts" = "$(mounts)" ] && echo y)" "changed"
check "final: no container process" "$(ps -o args | grep -q '^/bin/sleep 30' || echo y)" "$(ps -o pid,args | grep 'sleep 30')"

echo "$pass passed, $failn failed"
[ "$failn" = 0 ]
