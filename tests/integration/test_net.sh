#!/usr/bin/env bash
# test_net.sh - the `net` modes (none, veth, join, host) in real launches.
#
# Everything happens inside network namespaces this suite creates
# (rampart-test-$$ with a bridge br-rt, and rampart-test-$$-j), on the
# private test ranges 10.213.0.0/24 and fd00:213::/64 only: no packet can
# leave them. rampart runs *inside* rampart-test-$$ (ip netns exec), so
# that namespace is "the host" for it. iproute2's `ip` is used by this
# harness only; rampart itself speaks rtnetlink.
. "$(dirname "$0")/lib.sh"

setup_rootfs
mkdir -p "$ROOTFS/www"
echo "hello from rampart" >"$ROOTFS/www/index.html"

NS=rampart-test-$$
NSJ=rampart-test-$$-j
BB=$ROOTFS/bin/busybox   # static: runs in the test netns as a probe client
# (busybox 1.35's `wget -T` crashes; `timeout` bounds it instead)
NETNS_SKIP=""

# `ip netns add` makes /run/netns a (shared) mount point the first time;
# the integration runner checks that the host's mount table is unchanged,
# so undo that if it was us.
netns_dir_was_mount=0
mountpoint -q /run/netns 2>/dev/null && netns_dir_was_mount=1

cleanup() {
	ip netns del "$NS" 2>/dev/null
	ip netns del "$NSJ" 2>/dev/null
	if [ "$netns_dir_was_mount" = 0 ] && mountpoint -q /run/netns 2>/dev/null &&
		[ -z "$(ls -A /run/netns 2>/dev/null)" ]; then
		umount /run/netns 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT

setup_netns() {
	command -v ip >/dev/null || { NETNS_SKIP="no iproute2 (ip)"; return; }
	ip netns add "$NS" 2>/dev/null || { NETNS_SKIP="cannot create a network namespace"; return; }
	ip netns exec "$NS" ip link add br-rt type bridge 2>/dev/null ||
		{ NETNS_SKIP="no bridge support in this kernel"; return; }
	ip netns exec "$NS" ip link add rt-probe0 type veth peer name rt-probe1 2>/dev/null ||
		{ NETNS_SKIP="no veth support in this kernel"; return; }
	ip netns exec "$NS" ip link del rt-probe0
	ip netns exec "$NS" sh -e -c '
		ip link set lo up
		ip link set br-rt up
		ip addr add 10.213.0.1/24 dev br-rt
		ip addr add fd00:213::1/64 dev br-rt nodad' || NETNS_SKIP="cannot configure br-rt"
}
setup_netns

need_net() { [ -z "$NETNS_SKIP" ] || skip "$NETNS_SKIP"; }
in_ns() { ip netns exec "$NS" "$@"; }

# nlaunch [RAMPART OPTIONS...] -- CMD...: `launch`, inside the test netns.
nlaunch() {
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	OUT=$(in_ns "$RAMPART" launch "${opts[@]}" "$ROOTFS" -- "$@" 2>"$T/stderr")
	RC=$?
	ERR=$(cat "$T/stderr")
}

# The test netns's interfaces, sorted, on one line ("br-rt lo").
links() {
	in_ns ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort | tr '\n' ' ' |
		sed 's/ $//'
}
assert_no_veth_left() {
	assert_eq "br-rt lo" "$(links)" "interfaces in the test netns after the launch"
}

# Start busybox httpd in a veth container; SERVER is the launcher's pid.
start_server() {
	# Not through in_ns: $! must be the launcher itself (ip netns exec
	# execs it), not a subshell.
	ip netns exec "$NS" "$RAMPART" launch --set "net veth br-rt $1" "$ROOTFS" -- \
		httpd -f -p 8080 -h /www >"$T/server.out" 2>&1 &
	SERVER=$!
	trap 'stop_server' EXIT
	for _ in $(seq 100); do
		in_ns timeout 2 "$BB" wget -q -O- "http://$2:8080/" >/dev/null 2>&1 && return 0
		kill -0 "$SERVER" 2>/dev/null || fail "server exited: $(cat "$T/server.out")"
		sleep 0.1
	done
	fail "server never answered on $2:8080: $(cat "$T/server.out")"
}
stop_server() {
	[ -n "${SERVER:-}" ] || return 0
	kill -TERM "$SERVER" 2>/dev/null
	wait "$SERVER" 2>/dev/null
	SERVER=""
}

# --- veth ----------------------------------------------------------------

t_http_between_two_veth_containers() {
	need_net
	start_server "10.213.0.2/24 addr fd00:213::2/64" 10.213.0.2
	sh_client() { nlaunch --set "net veth br-rt $1" -- /bin/sh -c "$2"; }
	sh_client 10.213.0.3/24 'wget -q -O- http://10.213.0.2:8080/'
	assert_eq 0 "$RC" "IPv4 client exit status ($ERR)"
	assert_eq "hello from rampart" "$OUT" "page over IPv4"
	sh_client fd00:213::3/64 'wget -q -O- "http://[fd00:213::2]:8080/"'
	assert_eq 0 "$RC" "IPv6 client exit status ($ERR)"
	assert_eq "hello from rampart" "$OUT" "page over IPv6"
	# `net none` (the default): only lo, no way to the server.
	nlaunch -- /bin/sh -c 'timeout 2 wget -q -O- http://10.213.0.2:8080/; echo rc=$?'
	assert_match 'rc=[1-9]' "$OUT" "wget from a net none container"
	assert_nomatch hello "$OUT" "page from a net none container"
	nlaunch -- /bin/sh -c 'timeout 2 wget -q -O- "http://[fd00:213::2]:8080/"; echo rc=$?'
	assert_match 'rc=[1-9]' "$OUT" "IPv6 wget from a net none container"
	stop_server
	assert_no_veth_left
}

t_addresses_mtu_routes_inside() {
	need_net
	nlaunch --set 'net veth br-rt 10.213.0.4/24 gw 10.213.0.1 addr fd00:213::4/64 gw fd00:213::1 mtu 1400 name net0' \
		-- /bin/sh -c 'ip -o link show net0; echo; ip -o addr show net0; echo; ip route; echo; ip -6 route; echo
			echo accept_ra=$(cat /proc/sys/net/ipv6/conf/net0/accept_ra); ip -o link | wc -l'
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_match '^[0-9]+: net0@if[0-9]+: <[^>]*UP[^>]*> mtu 1400 ' "$OUT" "net0 up with mtu 1400"
	assert_match 'inet 10\.213\.0\.4/24 ' "$OUT" "IPv4 address"
	assert_match 'inet6 fd00:213::4/64 scope global' "$OUT" "IPv6 address"
	assert_nomatch 'fd00:213::4/64 scope global.*tentative' "$OUT" "IPv6 address usable at once (nodad)"
	assert_match '^default via 10\.213\.0\.1 dev net0' "$OUT" "IPv4 default route"
	assert_match '^10\.213\.0\.0/24 dev net0 .*src 10\.213\.0\.4' "$OUT" "IPv4 subnet route"
	assert_match '^default via fd00:213::1 dev net0' "$OUT" "IPv6 default route"
	assert_match '^fd00:213::/64 dev net0' "$OUT" "IPv6 subnet route"
	assert_match '^accept_ra=0$' "$OUT" "no IPv6 router advertisements taken"
	assert_eq 2 "$(tail -n1 <<<"$OUT")" "interfaces inside (lo, net0)"
	assert_no_veth_left
}

t_no_gateway_no_default_route() {
	need_net
	nlaunch --set 'net veth br-rt 10.213.0.4/24' -- /bin/sh -c 'ip route; ip -o link show eth0'
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_nomatch '^default' "$OUT" "default route without gw"
	assert_match '^10\.213\.0\.0/24 dev eth0' "$OUT" "subnet route"
	assert_match 'mtu 1500 ' "$OUT" "the bridge's mtu by default"
}

t_default_mtu_is_the_bridges() {
	need_net
	in_ns ip link add br-mtu mtu 1450 type bridge || fail "cannot make br-mtu"
	nlaunch --set 'net veth br-mtu 10.213.0.4/24' -- /bin/sh -c 'ip -o link show eth0'
	in_ns ip link del br-mtu
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_match 'mtu 1450 ' "$OUT" "eth0 mtu = br-mtu's"
	assert_no_veth_left
}

t_host_end_on_the_bridge_while_running() {
	need_net
	ip netns exec "$NS" "$RAMPART" launch --set 'net veth br-rt 10.213.0.4/24 mtu 1400' "$ROOTFS" -- \
		sleep 1 >/dev/null 2>&1 &
	local pid=$! found=""
	for _ in $(seq 50); do
		found=$(in_ns ip -o link show master br-rt 2>/dev/null)
		[ -n "$found" ] && break
		sleep 0.05
	done
	wait "$pid"
	assert_match "^[0-9]+: rp[0-9]+h@if[0-9]+: <[^>]*UP[^>]*> mtu 1400 .*master br-rt" "$found" \
		"host end rp<pid>h up on br-rt, same mtu"
	assert_no_veth_left
}

# --- errors: clear, and nothing left ---------------------------------------

t_missing_bridge() {
	need_net
	nlaunch --set 'net veth br-nope 10.213.0.5/24' -- /bin/true
	assert_eq 125 "$RC" "exit status"
	assert_eq "rampart: net: bridge br-nope: No such device" "$ERR" "message"
	assert_no_veth_left
}

t_not_a_bridge() {
	need_net
	in_ns ip link add rt-nb0 type veth peer name rt-nb1 || fail "cannot make a veth"
	nlaunch --set 'net veth rt-nb0 10.213.0.5/24' -- /bin/true
	in_ns ip link del rt-nb0
	assert_eq 125 "$RC" "exit status"
	assert_eq "rampart: net: bridge rt-nb0: not a bridge (its kind is veth)" "$ERR" "message"
	nlaunch --set 'net veth lo 10.213.0.5/24' -- /bin/true
	assert_eq "rampart: net: bridge lo: not a bridge (a plain interface)" "$ERR" "lo"
	assert_no_veth_left
}

t_invalid_addresses_are_config_errors() {
	need_net
	nlaunch --set 'net veth br-rt 10.213.0.5/33' -- /bin/true
	assert_eq 125 "$RC" "exit status"
	assert_eq "rampart: --set:1: net veth: bad address '10.213.0.5/33' (ADDR/PREFIX, e.g. 10.213.0.2/24 or fd00:213::2/64)" \
		"$ERR" "prefix /33"
	nlaunch --set 'net veth br-rt fd00:213::5/129' -- /bin/true
	assert_match "bad address 'fd00:213::5/129'" "$ERR" "prefix /129"
	nlaunch --set 'net veth br-rt 10.213.0.5' -- /bin/true
	assert_match "bad address '10.213.0.5'" "$ERR" "no prefix"
	nlaunch --set 'net veth br-rt 10.213.0.5/24 addr 10.213.0.5/24' -- /bin/true
	assert_eq "rampart: --set:1: net veth: address 10.213.0.5/24 given twice" "$ERR" "duplicate address"
	nlaunch --set 'net veth br-rt 10.213.0.5/24 gw fd00:213::1' -- /bin/true
	assert_eq "rampart: --set:1: net veth: gateway fd00:213::1: no IPv6 address to reach it from" "$ERR" "gw family"
	nlaunch --set 'net veth br-rt 10.213.0.5/24 gw 10.213.1.1' -- /bin/true
	assert_eq "rampart: --set:1: net veth: gateway 10.213.1.1 is in none of the container's IPv4 subnets" "$ERR" "gw subnet"
	nlaunch --set 'net veth br-rt 10.213.0.5/24 mtu 9' -- /bin/true
	assert_match "mtu '9' is not a number from 68 to 65535" "$ERR" "mtu"
	assert_eq 125 "$RC" "exit status"
	assert_no_veth_left
}

# A kernel refusal on the host side: the host end's name (rp<pid>h) is
# taken. `exec` keeps the shell's pid, so the name is known in advance.
t_host_name_taken_kernel_refuses() {
	need_net
	OUT=$(in_ns sh -c 'ip link add "rp$$h" type veth peer name "rt-x$$" && echo "rp$$h" && exec "$0" launch --set "net veth br-rt 10.213.0.5/24" "$1" -- /bin/true' \
		"$RAMPART" "$ROOTFS" 2>"$T/stderr")
	RC=$?
	ERR=$(cat "$T/stderr")
	local name=$OUT
	in_ns ip link del "$name"
	assert_eq 125 "$RC" "exit status"
	assert_eq "rampart: net: veth $name on bridge br-rt: File exists" "$ERR" "message"
	assert_no_veth_left
}

# Failures after the pair exists: inside the container (the workload
# cannot be found: 127), the veth must go all the same.
t_failure_after_setup_leaves_no_veth() {
	need_net
	nlaunch --set 'net veth br-rt 10.213.0.5/24 gw 10.213.0.1' -- /nonexistent
	assert_eq 127 "$RC" "exit status ($ERR)"
	assert_no_veth_left
	nlaunch --set 'net veth br-rt 10.213.0.5/24' --set 'cwd /nonexistent' -- /bin/true
	[ "$RC" -ne 0 ] || fail "launch with a missing cwd succeeded"
	assert_no_veth_left
}

# A launcher killed with SIGKILL cannot run its teardown; the container
# dies with it (PR_SET_PDEATHSIG), its netns goes, and the kernel deletes
# the pair together with the peer. Verified, not assumed.
t_sigkill_launcher_leaves_no_veth() {
	need_net
	ip netns exec "$NS" "$RAMPART" launch --set 'net veth br-rt 10.213.0.6/24' "$ROOTFS" -- sleep 30 \
		>/dev/null 2>&1 &
	local pid=$! up=0 child
	for _ in $(seq 100); do
		in_ns ip link show "rp${pid}h" >/dev/null 2>&1 && { up=1; break; }
		sleep 0.05
	done
	read -r child _ <"/proc/$pid/task/$pid/children" 2>/dev/null
	[ "$up" = 1 ] || { kill -9 "$pid"; fail "host end rp${pid}h never appeared"; }
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	for _ in $(seq 100); do
		[ -n "$child" ] && kill -0 $child 2>/dev/null || break
		sleep 0.05
	done
	if [ -n "$child" ] && kill -0 $child 2>/dev/null; then
		kill -9 $child
		fail "the container (pid $child) outlived its SIGKILLed launcher: parent-death signal not armed"
	fi
	for _ in $(seq 100); do
		[ "$(links)" = "br-rt lo" ] && break
		sleep 0.05
	done
	assert_no_veth_left
}

t_rootless_veth_and_join_refused() {
	need_net
	chmod 755 "$T"
	OUT=$(in_ns setpriv --reuid=12345 --regid=12345 --clear-groups \
		"$RAMPART" launch --set 'net veth br-rt 10.213.0.5/24' "$ROOTFS" -- /bin/true 2>&1)
	assert_eq 125 "$?" "exit status"
	assert_eq "rampart: --set:1: net veth: needs root (a rootless launch has 'net none' or 'net host')" "$OUT" "message"
	assert_no_veth_left
}

# --- join and host ---------------------------------------------------------

t_join_existing_netns() {
	need_net
	ip netns add "$NSJ" || fail "cannot make $NSJ"
	ip netns exec "$NSJ" sh -e -c 'ip link add rt-join0 type veth peer name rt-join1; ip link set rt-join0 up
		ip addr add 10.213.0.9/24 dev rt-join0' || fail "cannot set up $NSJ"
	nlaunch --set "net join /run/netns/$NSJ" -- /bin/sh -c \
		'ip -o link | sed "s/^[0-9]*: \([^:@]*\).*/\1/" | sort | tr "\n" " "; echo; ip -o addr show rt-join0; ip link set rt-join0 down 2>&1; id -u'
	ip netns del "$NSJ"
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_eq "lo rt-join0 rt-join1 " "$(head -n1 <<<"$OUT")" "interfaces of the joined netns"
	assert_match 'inet 10\.213\.0\.9/24' "$OUT" "its address"
	assert_match 'Operation not permitted' "$OUT" "the container cannot reconfigure a netns it joined"
	assert_eq 65534 "$(tail -n1 <<<"$OUT")" "uid inside"
	assert_no_veth_left
}

t_join_refuses_own_netns_and_non_netns() {
	need_net
	nlaunch --set "net join /run/netns/$NS" -- /bin/true
	assert_eq 125 "$RC" "exit status"
	assert_eq "rampart: net: join /run/netns/$NS: that is rampart's own network namespace; say 'net host' to share it" \
		"$ERR" "own netns"
	nlaunch --set 'net join /etc/hostname' -- /bin/true
	assert_eq "rampart: net: join /etc/hostname: not a namespace file" "$ERR" "a plain file"
	nlaunch --set 'net join /proc/self/ns/uts' -- /bin/true
	assert_eq "rampart: net: join /proc/self/ns/uts: not a network namespace" "$ERR" "another namespace type"
	nlaunch --set "net join /run/netns/$NS-nope" -- /bin/true
	assert_eq "rampart: net: join /run/netns/$NS-nope: No such file or directory" "$ERR" "missing"
}

t_host_shares_the_netns() {
	need_net
	local want
	want=$(in_ns ip -o link | wc -l)
	nlaunch --set 'net host' -- /bin/sh -c 'ip -o link | wc -l; ip -o link show br-rt'
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_eq "$want" "$(head -n1 <<<"$OUT")" "interfaces with net host"
	assert_match 'br-rt' "$OUT" "the test netns's bridge is visible"
	OUT=$("$RAMPART" profile show --set 'net host' | grep -E '^(net|namespaces) ')
	assert_match '^net host' "$OUT" "profile show"
	assert_match 'WARNING: shares a host namespace' "$OUT" "flagged"
}

t_profile_show_round_trip() {
	local line='net veth br-rt 10.213.0.2/24 addr fd00:213::2/64 gw 10.213.0.1 gw fd00:213::1 mtu 1400 name net0'
	OUT=$("$RAMPART" profile show --set "$line")
	assert_match "^$line	# --set:1\$" "$OUT" "printed"
	# Fed back as a profile, the flattened output gives the same line.
	printf '%s\n' "$OUT" >"$T/flat.profile"
	OUT=$("$RAMPART" profile show --profile "$T/flat.profile" | grep '^net ')
	assert_eq "$line	# $T/flat.profile:2" "$OUT" "round trip"
}

# OCI bundles: linux.netDevices moves a host interface into the container
# under a new name with its addresses and MTU kept, up; the network
# namespace entry with a path joins that namespace.
oci_bundle() { # ARGS-JSON LINUX-EXTRA-JSON
	mkdir -p "$T/bundle"
	[ -e "$T/bundle/rootfs" ] || ln -s "$ROOTFS" "$T/bundle/rootfs"
	cat >"$T/bundle/config.json" <<EOF
{"ociVersion": "1.2.0", "root": {"path": "rootfs"},
 "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "args": $1,
             "env": ["PATH=/bin:/usr/bin"]},
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}$2}}
EOF
}

t_oci_net_devices_moved_with_addresses() {
	need_net
	in_ns ip link add rt-nd0 type veth peer name rt-nd1 || fail "veth"
	in_ns ip link set rt-nd0 mtu 1400
	in_ns ip addr add 10.213.0.77/24 dev rt-nd0
	in_ns ip addr add fd00:213::77/64 dev rt-nd0 nodad
	oci_bundle '["/bin/sh", "-c", "ip -o addr show dev ctr0; ip -o link show dev ctr0"]' \
		', {"type": "network"}], "netDevices": {"rt-nd0": {"name": "ctr0"}}'
	OUT=$(in_ns "$RAMPART" --root "$T/state" run --bundle "$T/bundle" nd1 2>"$T/err")
	RC=$?
	assert_eq 0 "$RC" "run ($(cat "$T/err"))"
	assert_match "ctr0 +inet 10\.213\.0\.77/24" "$OUT" "IPv4 address kept"
	assert_match "ctr0 +inet6 fd00:213::77/64" "$OUT" "IPv6 address kept"
	assert_match "mtu 1400" "$OUT" "MTU kept"
	assert_match "<[^>]*,UP" "$OUT" "brought up"
	in_ns ip link show rt-nd0 >/dev/null 2>&1 && fail "rt-nd0 is back in the host netns"
	[ -z "$(ls "$T/state")" ] || fail "state left: $(ls "$T/state")"
}

t_oci_net_devices_errors() {
	need_net
	oci_bundle '["/bin/true"]' ', {"type": "network"}], "netDevices": {"rt-none0": {}}'
	ERR=$(in_ns "$RAMPART" --root "$T/state" run --bundle "$T/bundle" nd2 2>&1)
	assert_eq 125 "$?" "exit status"
	assert_match "netDevices: host device rt-none0: No such device" "$ERR" "missing device named"
	oci_bundle '["/bin/true"]' '], "netDevices": {"eth0": {}}'
	ERR=$("$RAMPART" --root "$T/state" run --bundle "$T/bundle" nd3 2>&1)
	assert_match "linux.netDevices: needs a new network namespace of the container's own" "$ERR" "host netns refused"
	oci_bundle '["/bin/true"]' ', {"type": "network"}], "netDevices": {"a/b": {}}'
	ERR=$("$RAMPART" --root "$T/state" run --bundle "$T/bundle" nd4 2>&1)
	assert_match "linux.netDevices.a/b: 'a/b' is not an interface name" "$ERR" "bad name"
	[ -z "$(ls "$T/state" 2>/dev/null)" ] || fail "state left: $(ls "$T/state")"
}

t_oci_network_namespace_path_joins() {
	need_net
	ip netns add "$NSJ" 2>/dev/null
	ip netns exec "$NSJ" ip link add rt-j0 type veth peer name rt-j1 || fail "veth in $NSJ"
	oci_bundle '["/bin/sh", "-c", "cat /proc/net/dev"]' ', {"type": "network", "path": "/run/netns/'"$NSJ"'"}]'
	OUT=$("$RAMPART" --root "$T/state" run --bundle "$T/bundle" nj1 2>"$T/err")
	assert_eq 0 "$?" "run ($(cat "$T/err"))"
	assert_match "rt-j0" "$OUT" "the joined namespace's interfaces"
	ip netns del "$NSJ"
}

run_tests
