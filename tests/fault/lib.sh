# shellcheck shell=bash
# tests/fault/lib.sh - helpers shared by the fault-injection and soak tests
# (tests/integration/test_fault.sh, tests/integration/test_soak.sh,
# tests/soak/soak.sh). Sourced by bash; needs root and iproute2.
#
# "The host as it was" is one text snapshot (host_snapshot): the mount
# table triples (as lib.sh's mount_snapshot), the links in the test network
# namespace, every rampart cgroup (launch-*) under the cgroup2 root, and
# any rampart state on the host (/run/rampart*, /var/run/rampart*,
# /var/lib/rampart*, /dev/shm/*rampart*). `launch` keeps no state directory
# of its own; the last line proves it stays that way.

# The test network namespace: rampart runs inside it (ip netns exec), so
# it is "the host" for the veth layer. A private range, its own bridge.
FAULT_NS=${FAULT_NS:-rampart-fault-$$}
FAULT_BR=br-rf
FAULT_NET=10.214.0
FAULT_NETNS_SKIP=""
fault_netns_dir_was_mount=0

fault_netns_setup() {
	mountpoint -q /run/netns 2>/dev/null && fault_netns_dir_was_mount=1
	command -v ip >/dev/null || { FAULT_NETNS_SKIP="no iproute2 (ip)"; return 1; }
	ip netns add "$FAULT_NS" 2>/dev/null || { FAULT_NETNS_SKIP="cannot create a network namespace"; return 1; }
	ip netns exec "$FAULT_NS" sh -e -c "
		ip link set lo up
		ip link add $FAULT_BR type bridge
		ip link set $FAULT_BR up
		ip addr add $FAULT_NET.1/24 dev $FAULT_BR" 2>/dev/null ||
		{ FAULT_NETNS_SKIP="no bridge support in this kernel"; return 1; }
}

fault_netns_cleanup() {
	ip netns del "$FAULT_NS" 2>/dev/null
	# `ip netns add` made /run/netns a mount point if it was not one.
	if [ "$fault_netns_dir_was_mount" = 0 ] && mountpoint -q /run/netns 2>/dev/null &&
		[ -z "$(ls -A /run/netns 2>/dev/null)" ]; then
		umount /run/netns 2>/dev/null
	fi
	return 0
}

fault_links() {
	[ -n "$FAULT_NETNS_SKIP" ] && { echo "(no test netns)"; return; }
	echo $(ip netns exec "$FAULT_NS" ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort)
}

fault_cgroup2_root() { findmnt -rn -t cgroup2 -o TARGET | head -n1; }

fault_cgroups() {
	local root
	root=$(fault_cgroup2_root)
	[ -n "$root" ] || return 0
	find "$root" -maxdepth 4 -type d -name 'launch-*' 2>/dev/null | sort
}

fault_state() {
	ls -d /run/rampart* /var/run/rampart* /var/lib/rampart* /dev/shm/*rampart* 2>/dev/null | sort
}

# The mount table as lib.sh's mount_snapshot, minus other test suites'
# network namespaces (/run/netns/NAME bind mounts made by `ip netns add`
# in suites that may run at the same time); rampart never makes those.
fault_mounts() {
	awk '{ print $4, $5, $(NF-1) }' /proc/self/mountinfo | sort |
		awk -v mine="/run/netns/$FAULT_NS" '$2 !~ "^/run/netns/" || $2 == mine'
}

host_snapshot() {
	echo "== mounts"; fault_mounts
	echo "== links"; fault_links
	echo "== cgroups"; fault_cgroups
	echo "== state"; fault_state
}

# wait_stopped PID [SECONDS]: until PID is in state T (stopped itself at
# RAMPART_STOP_AT). Fails if it exits or the time runs out.
wait_stopped() {
	local pid=$1 n=$(( ${2:-10} * 20 ))
	while [ "$n" -gt 0 ]; do
		[ -r "/proc/$pid/status" ] || return 1
		grep -q '^State:[[:space:]]*T' "/proc/$pid/status" 2>/dev/null && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}

# proc_id PID: "PID:STARTTIME:COMM" (starttime guards against pid reuse).
proc_id() {
	local stat rest comm
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	# comm may hold spaces; the fields after ") " are fixed (3 = state,
	# so starttime, field 22, is the 20th of them).
	rest=${stat##*) }
	comm=${stat#*(}
	comm=${comm%)*}
	set -- $rest
	echo "${stat%% *}:${20}:${comm// /_}"
}

# descendants PID: proc_id of every descendant, one a line.
descendants() {
	local p
	for p in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		proc_id "$p"
		descendants "$p"
	done
}

# still_alive IDS: the proc_ids (from descendants) that still exist.
still_alive() {
	local id pid start
	for id in $1; do
		pid=${id%%:*}
		start=$(proc_id "$pid" 2>/dev/null | cut -d: -f2)
		[ -n "$start" ] && [ "$start" = "$(cut -d: -f2 <<<"$id")" ] && echo "$id"
	done
	return 0
}

# poll_until SECONDS CMD...: run CMD every 50 ms until it succeeds.
poll_until() {
	local n=$(( $1 * 20 )); shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.05
	done
}

# A rootfs image with one setuid file, so `setuid strip` has work to do.
fault_mark_setuid() {
	cp "$1/bin/busybox" "$1/bin/suid-bb"
	chmod 4755 "$1/bin/suid-bb"
}

# The image, as rampart digest sees it (modes, owners, xattrs, contents).
image_digest() { "$RAMPART" digest "$1" 2>&1; }
