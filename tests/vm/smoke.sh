#!/bin/sh
# Guest-side smoke test of the cgroup v2 VM (busybox sh, runs as root in the
# guest).  Proves that the controllers rampart relies on are present and
# enforce limits in a real kernel:
#   scripts/vm/run --disk 8 --file tests/vm/smoke.sh:/smoke.sh -- sh /smoke.sh --disk-mb 8
# Prints PASS/FAIL lines and a closing "N passed, N failed" line; exits
# non-zero if anything failed.  Without --disk-mb the disk checks are skipped.
#
# Everything is bounded (loop counts, sleeps): a broken limit makes a check
# fail, never hang the VM.  Builtins (read, echo, kill) are used where the
# pids limit would make fork fail.

CG=/sys/fs/cgroup
T=$CG/t
pass=0 fail=0 disk_mb=

case ${1:-} in
    --disk-mb) disk_mb=${2:?--disk-mb needs a size} ;;
    '') ;;
    *) echo "usage: smoke.sh [--disk-mb N]" >&2; exit 2 ;;
esac

ok()  { pass=$((pass + 1)); echo "PASS: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# check DESCRIPTION COMMAND...: PASS if the command succeeds.
check() { d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
# value FILE: first line of FILE (builtin read: works when fork cannot).
value() { v=; read -r v <"$1"; echo "$v"; }
# field FILE KEY: the number after KEY in a flat-keyed file (memory.events).
field() {
    while read -r k v; do [ "$k" = "$2" ] && { echo "$v"; return; }; done <"$1"
    echo 0
}
# uptime_cs: guest uptime in centiseconds, for coarse durations.
uptime_cs() { read -r up _ </proc/uptime; echo "${up%.*}${up#*.}"; }

# kill_others: kill every process of cgroup t except this shell and wait for
# them, so that later checks start from an empty cgroup.
kill_others() {
    i=0
    while [ $i -lt 50 ]; do
        others=0
        while read -r p; do
            [ "$p" = "$$" ] && continue
            others=1; kill -9 "$p" 2>/dev/null
        done <"$T/cgroup.procs"
        [ $others = 0 ] && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

# --- hierarchy -------------------------------------------------------------
fstype=
while read -r _ mnt type _; do
    [ "$mnt" = "$CG" ] && fstype=$type
done </proc/mounts
check "cgroup2 mounted at $CG" [ "$fstype" = cgroup2 ]

controllers=" $(value $CG/cgroup.controllers) "
for c in cpu memory io pids; do
    case $controllers in *" $c "*) ok "controller $c available" ;;
                         *) bad "controller $c missing from cgroup.controllers" ;; esac
done

rmdir "$T" 2>/dev/null
check "create $T" mkdir "$T"
check "memory.max=16M" sh -c "echo 16M >$T/memory.max"
check "memory.max reads back 16777216" [ "$(value "$T/memory.max")" = 16777216 ]
check "memory.swap.max=0" sh -c "echo 0 >$T/memory.swap.max"
check "pids.max=4" sh -c "echo 4 >$T/pids.max"
echo $$ >"$T/cgroup.procs"
check "this shell moved into t" grep -qx "$$" "$T/cgroup.procs"

# --- pids: a bounded fork bomb -------------------------------------------
# The bomb (1 pid) tries 16 background sleeps; with this shell that would be
# 18 pids.  ash gives up at the first failed fork, so it stops at 4.
rm -f /tmp/spawned
sh -c 'i=0; while [ $i -lt 16 ]; do
           sleep 20 & i=$((i + 1)); echo $i >/tmp/spawned
       done' 2>/dev/null
bomb=$?
spawned=$(value /tmp/spawned); spawned=${spawned:-0}
current=$(value "$T/pids.current")
check "fork bomb stopped by pids.max (spawned $spawned of 16, exit $bomb)" \
    [ "$spawned" -lt 16 -a "$bomb" -ne 0 ]
check "pids.current $current <= 4" [ "$current" -le 4 ]
check "pids.events counts refused forks ($(field "$T/pids.events" max))" \
    [ "$(field "$T/pids.events" max)" -gt 0 ]
check "bomb leftovers killed" kill_others

# --- memory: exceeding memory.max triggers the cgroup OOM killer ---------
dd if=/dev/zero of=/dev/null bs=32M count=1 2>/dev/null
dd_rc=$?
check "32 MiB allocation under 16M limit killed (status $dd_rc)" [ "$dd_rc" -ne 0 ]
check "memory.events oom_kill $(field "$T/memory.events" oom_kill) > 0" \
    [ "$(field "$T/memory.events" oom_kill)" -gt 0 ]
dd if=/dev/zero of=/dev/null bs=1M count=1 2>/dev/null
check "1 MiB allocation under 16M limit works" [ $? -eq 0 ]

# --- cpu: a busy loop at 10% gets throttled --------------------------------
# Spin for 0.6 s of wall time (bounded by a round count): at 10 ms of CPU
# per 100 ms period the loop must be throttled, and may use ~60 ms of CPU.
check "cpu.max=10000 100000" sh -c "echo '10000 100000' >$T/cpu.max"
u0=$(field "$T/cpu.stat" usage_usec)
t0=$(uptime_cs); now=$t0; i=0
while [ $((now - t0)) -lt 60 ] && [ $i -lt 1000000 ]; do
    i=$((i + 1))
    read -r up _ </proc/uptime; now=${up%.*}${up#*.}
done
used=$(( ($(field "$T/cpu.stat" usage_usec) - u0) / 1000 ))
wall=$(( (now - t0) * 10 ))
check "cpu.stat nr_throttled $(field "$T/cpu.stat" nr_throttled) > 0" \
    [ "$(field "$T/cpu.stat" nr_throttled)" -gt 0 ]
check "cpu.max held the loop to ${used} ms CPU in ${wall} ms (<= 30%)" \
    [ $((used * 100)) -le $((wall * 30)) ]
echo max >"$T/cpu.max"

# --- io: /dev/vda and io.max -----------------------------------------------
if [ -n "$disk_mb" ]; then
    check "/dev/vda is a block device" [ -b /dev/vda ]
    sectors=$(value /sys/block/vda/size)
    check "/dev/vda is $disk_mb MiB ($sectors sectors)" [ "$sectors" = $((disk_mb * 2048)) ]
    majmin=$(value /sys/block/vda/dev)
    check "io.max wbps=1MiB/s on $majmin" sh -c "echo '$majmin wbps=1048576' >$T/io.max"
    check "io.max reads back" grep -q "^$majmin .*wbps=1048576" "$T/io.max"
    # 3 MiB of direct writes at 1 MiB/s take >= ~2 s; unthrottled about
    # 0.1 s even under TCG.
    t0=$(uptime_cs)
    dd if=/dev/zero of=/dev/vda bs=256k count=12 oflag=direct 2>/dev/null
    dd_rc=$?
    took=$(( $(uptime_cs) - t0 ))
    check "throttled 3 MiB direct write ok (status $dd_rc)" [ "$dd_rc" -eq 0 ]
    check "io.max throttled the write (${took}0 ms >= 1500 ms)" [ "$took" -ge 150 ]
fi

# --- cleanup: back to the root cgroup, remove t ---------------------------
kill_others
echo $$ >"$CG/cgroup.procs"
check "rmdir $T" rmdir "$T"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
