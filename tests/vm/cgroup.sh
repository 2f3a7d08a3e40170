#!/bin/sh
# tests/vm/cgroup.sh - cgroup v2 limits enforced by a real kernel. Runs as
# the command of scripts/vm/run (busybox sh, root, cgroup2 at
# /sys/fs/cgroup), with rampart in PATH, the busybox rootfs (with /probe)
# at /rootfs and the profiles at /profiles. Prints "ok - NAME" or
# "not ok - NAME: why" per check and "N passed, M failed" last.
export RAMPART_PROFILE_PATH=/profiles
ROOT=/rootfs
PARENT=/sys/fs/cgroup/rampart
pass=0
failn=0

ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1: $2"; failn=$((failn + 1)); }
check() { if [ "$2" ]; then ok "$1"; else bad "$1" "$3"; fi; }

# launch OPTIONS... -- CMD: sets RC, OUT (stdout), ERR (stderr incl. stats)
launch() {
	OUT=$(rampart launch --stats "$@" 2>/tmp/err)
	RC=$?
	ERR=$(cat /tmp/err)
}
stat_of() { echo "$ERR" | grep -o "\"$1\":[0-9]*" | head -n1 | cut -d: -f2; }
no_leftover() { [ -z "$(ls "$PARENT" 2>/dev/null | grep '^launch-')" ]; }

# memory: 64M in a 32M box is OOM-killed (the whole container: oom.group).
launch --set 'limit memory 32M' --set 'limit swap 0' "$ROOT" -- /probe alloc 64
check "memory: 64M allocation in 32M is OOM-killed (exit 137)" "$([ "$RC" = 137 ] && echo y)" "rc=$RC err=$ERR"
check "memory: --stats reports oom_kill" "$([ "$(stat_of oom_kill)" -ge 1 ] 2>/dev/null && echo y)" "$ERR"
check "memory: cgroup removed after exit" "$(no_leftover && echo y)" "$(ls $PARENT)"
launch --set 'limit memory 32M' --set 'limit swap 0' "$ROOT" -- /probe alloc 16
check "memory: 16M allocation in 32M survives" "$([ "$RC" = 0 ] && [ "$OUT" = "ok 16" ] && echo y)" "rc=$RC out=$OUT err=$ERR"
check "memory: peak reported" "$([ "$(stat_of memory.peak)" -gt 16000000 ] 2>/dev/null && echo y)" "$ERR"

# The container sees its own cgroup as the root, read-only.
launch --set 'limit memory 32M' "$ROOT" -- /bin/sh -c 'cat /sys/fs/cgroup/memory.max; cat /proc/self/cgroup; echo 1 >/sys/fs/cgroup/memory.max 2>/dev/null || echo ro'
check "namespace: own cgroup visible as / with its limit, read-only" \
	"$([ "$OUT" = "33554432
0::/
ro" ] && echo y)" "out=$OUT err=$ERR"

# pids: a fork bomb stops at the limit and the container still exits.
# (8 = the reaper, the probe and 6 children.)
launch --set 'limit pids 8' "$ROOT" -- /probe fork-many 40
check "pids: fork bomb contained, clean exit" "$([ "$RC" = 0 ] && [ "$OUT" = "ok started=6 refused=34" ] && echo y)" "rc=$RC out=$OUT"
check "pids: peak at the limit" "$([ "$(stat_of pids.peak)" = 8 ] && echo y)" "$ERR"
check "pids: cgroup removed after exit" "$(no_leftover && echo y)" "$(ls $PARENT)"

# cpu: 0.1 CPU for a 2 s busy loop is about 0.2 s of CPU, throttled.
launch --set 'limit cpu 0.1' "$ROOT" -- /probe spin 2
usage=$(stat_of usage_usec)
check "cpu: 2 s busy loop under 0.1 CPU uses ~0.2 s (got ${usage}us)" \
	"$([ "$RC" = 0 ] && [ "$usage" -gt 100000 ] && [ "$usage" -lt 450000 ] && echo y)" "rc=$RC $ERR"
check "cpu: nr_throttled > 0" "$([ "$(stat_of nr_throttled)" -gt 0 ] 2>/dev/null && echo y)" "$ERR"

# io: a 4 MiB direct read from the scratch disk at rbps=1M takes ~4 s.
if [ -b /dev/vda ] && mke2fs -q /dev/vda >/dev/null 2>&1 && mkdir -p /mnt/scratch &&
	modprobe ext4 2>/dev/null; mount -t ext4 /dev/vda /mnt/scratch && dd if=/dev/zero of=/mnt/scratch/f bs=1M count=4 2>/dev/null && sync; then
	echo 3 >/proc/sys/vm/drop_caches
	launch --set 'bind /mnt/scratch /data' "$ROOT" -- /probe read-direct /data/f 4
	free_rate=${OUT#ok }
	launch --set 'bind /mnt/scratch /data' --set 'limit io /dev/vda rbps=1M' "$ROOT" -- /probe read-direct /data/f 4
	rate=${OUT#ok }
	check "io: rbps=1M slows a 4 MiB direct read to ~1 MiB/s (got $rate, unlimited $free_rate)" \
		"$(awk -v r="$rate" -v f="$free_rate" 'BEGIN { if (r > 0.5 && r < 1.6 && f > 2 * r) print "y" }')" "rc=$RC $ERR"
	check "io: --stats reports read bytes" "$([ "$(stat_of rbytes)" -ge 4194304 ] 2>/dev/null && echo y)" "$ERR"
	umount /mnt/scratch
else
	bad "io: scratch disk" "no /dev/vda or mke2fs failed"
fi

# A launcher killed with SIGKILL leaves a cgroup; the next launch reaps it.
rampart launch --set 'limit pids 16' "$ROOT" -- /bin/sleep 30 &
lpid=$!
sleep 1
[ -d "$PARENT/launch-$lpid" ] && left=y || left=
kill -9 "$lpid"
wait "$lpid" 2>/dev/null
sleep 0.5
check "gc: SIGKILLed launcher left its cgroup ($PARENT/launch-$lpid)" "$left" "$(ls $PARENT)"
launch --set 'limit pids 16' "$ROOT" -- /bin/true
check "gc: the next launch reaped it" "$([ ! -d "$PARENT/launch-$lpid" ] && echo y)" "$(ls $PARENT)"
check "gc: no container process survived" "$(ps -o args | grep -q '^/bin/sleep 30' || echo y)" "$(ps -o pid,args | grep sleep)"

# Rootless: an unprivileged caller whose cgroup's parent is delegated to it
# (as systemd's Delegate=yes does) gets its limits there, enforced.
D=/sys/fs/cgroup/u12345
mkdir -p "$D/shell" && chown -R 12345:12345 "$D"
chmod 755 /rootfs 2>/dev/null
OUT=$(sh -c "echo \$\$ >$D/shell/cgroup.procs && exec /usr/local/bin/setpriv --reuid=12345 --regid=12345 --clear-groups \
	rampart launch --stats --set 'limit memory 32M' --set 'limit swap 0' $ROOT -- /probe alloc 64" 2>&1)
RC=$?
check "rootless: limits in the delegated subtree, OOM-killed (exit 137)" "$([ "$RC" = 137 ] && echo y)" "rc=$RC $OUT"
check "rootless: its cgroup was under $D/rampart and is gone" \
	"$([ -d "$D/rampart" ] && [ -z "$(ls "$D/rampart" | grep '^launch-')" ] && echo y)" "$(ls -R $D | head)"
OUT=$(sh -c "echo \$\$ >/sys/fs/cgroup/cgroup.procs && exec /usr/local/bin/setpriv --reuid=12346 --regid=12346 --clear-groups \
	rampart launch --set 'limit memory 32M' $ROOT -- /bin/true" 2>&1)
check "rootless without a delegated cgroup: refused, naming the limits" \
	"$(echo "$OUT" | grep -q "rootless: no cgroup is delegated to uid 12346 .*cannot be applied: memory" && echo y)" "$OUT"
echo $$ >/sys/fs/cgroup/cgroup.procs

# The audit log records the OOM kill of a launch.
rampart launch --audit-log /tmp/audit.log --set 'limit memory 32M' --set 'limit swap 0' "$ROOT" -- /probe alloc 64 2>/dev/null
check "audit: an OOM-killed launch is recorded with \"oom\":true" \
	"$(tail -n1 /tmp/audit.log | grep -q '"oom":true' && echo y)" "$(tail -n1 /tmp/audit.log)"

# An OCI bundle's linux.resources are enforced the same way: run exits
# 137, its cgroup (linux.cgroupsPath) is gone afterwards, and update
# changes a running container's limit.
B=/tmp/bundle
mkdir -p $B
bundle_config() { # ARGS-JSON
	cat >$B/config.json <<EOF
{"ociVersion": "1.2.0", "root": {"path": "$ROOT"},
 "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "args": $1,
             "env": ["PATH=/bin:/usr/bin"]},
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}],
           "cgroupsPath": "/oci-test/c1",
           "resources": {"memory": {"limit": 33554432, "swap": 33554432}, "pids": {"limit": 32}}}}
EOF
}
bundle_config '["/probe", "alloc", "64"]'
rampart --root /tmp/state run --bundle $B --audit-log /tmp/audit.log c1 >/dev/null 2>&1
RC=$?
check "oci: run with linux.resources.memory.limit 32M is OOM-killed (exit 137)" "$([ "$RC" = 137 ] && echo y)" "rc=$RC"
check "oci: the audit record says oom" "$(tail -n1 /tmp/audit.log | grep -q '"oom":true' && echo y)" "$(tail -n1 /tmp/audit.log)"
check "oci: cgroup /oci-test/c1 removed, state gone" \
	"$([ ! -d /sys/fs/cgroup/oci-test/c1 ] && [ ! -d /tmp/state/c1 ] && echo y)" "$(ls /sys/fs/cgroup/oci-test /tmp/state 2>&1)"
bundle_config '["/bin/sleep", "30"]'
rampart --root /tmp/state run --detach --bundle $B c1 2>/tmp/err
check "oci: memory.max and pids.max from the config" \
	"$([ "$(cat /sys/fs/cgroup/oci-test/c1/memory.max)" = 33554432 ] && [ "$(cat /sys/fs/cgroup/oci-test/c1/pids.max)" = 32 ] && echo y)" "$(cat /tmp/err)"
rampart --root /tmp/state update --memory 64M --pids-limit 16 c1
check "oci: update writes the new limits" \
	"$([ "$(cat /sys/fs/cgroup/oci-test/c1/memory.max)" = 67108864 ] && [ "$(cat /sys/fs/cgroup/oci-test/c1/pids.max)" = 16 ] && echo y)" \
	"$(cat /sys/fs/cgroup/oci-test/c1/memory.max /sys/fs/cgroup/oci-test/c1/pids.max)"
OUT=$(rampart --root /tmp/state events --stats c1)
check "oci: events --stats reports memory and pids" \
	"$(echo "$OUT" | grep -q '"type":"stats"' && echo "$OUT" | grep -q '"limit":16' && echo y)" "$OUT"
rampart --root /tmp/state delete --force c1
check "oci: delete --force leaves no cgroup, no process" \
	"$([ ! -d /sys/fs/cgroup/oci-test/c1 ] && ! ps -o args | grep -q '^/bin/sleep 30' && echo y)" "$(ls /sys/fs/cgroup/oci-test)"

# A spec error leaves nothing.
launch --set 'limit memory 16M' --set 'tmpfs /proc/nope' "$ROOT" -- /bin/true
check "failure: exit 125 and no cgroup left" "$([ "$RC" = 125 ] && no_leftover && echo y)" "rc=$RC $(ls $PARENT)"

echo "$pass passed, $failn failed"
[ "$failn" = 0 ]
