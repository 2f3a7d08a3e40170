#!/usr/bin/env bash
# test_cgroup.sh - cgroup v2 limits: the host's answer (here a v1/v2 hybrid
# without the controllers) and real enforcement in a throw-away cgroup v2
# guest (scripts/vm/run, tests/vm/cgroup.sh).
. "$(dirname "$0")/lib.sh"

setup_rootfs
# The first guest boot may download the kernel (about 70 MB) first.
TEST_TIMEOUT=900

cgroup2_root() { findmnt -rn -t cgroup2 -o TARGET | head -n1; }

t_missing_controller_is_a_clear_error() {
	root=$(cgroup2_root)
	grep -qw memory "$root/cgroup.controllers" && skip "this host's cgroup2 has the memory controller"
	before=$(find /sys/fs/cgroup -maxdepth 3 -name '*rampart*' | wc -l)
	launch --set 'limit memory 64M' -- /bin/true
	assert_eq 125 "$RC" "exit status"
	assert_match "^rampart: cgroup: controller 'memory' is not available in $root .*cgroup optional" "$ERR" "message"
	assert_eq "$before" "$(find /sys/fs/cgroup -maxdepth 3 -name '*rampart*' | wc -l)" "cgroups left"
}

t_optional_runs_without_limits_loudly() {
	grep -qw memory "$(cgroup2_root)/cgroup.controllers" && skip "this host has the controller"
	launch --set 'limit memory 64M' --set 'cgroup optional' -- /bin/echo ran
	assert_eq 0 "$RC" "exit status"
	assert_eq ran "$OUT" "output"
	assert_match "running WITHOUT these limits: memory \('cgroup optional'\)$" "$ERR" "warning"
}

t_bad_limits_are_file_line_errors() {
	launch --set 'limit memory lots' -- /bin/true
	assert_eq "rampart: --set:1: limit memory: bad size 'lots' (e.g. 256M, 2G, or max)" "$ERR" "memory"
	launch --set 'limit cpu -1' -- /bin/true
	assert_eq "rampart: --set:1: limit cpu: bad value '-1' (CPUs, e.g. 0.5 or 2, or max)" "$ERR" "cpu"
	launch --set 'limit io /dev/nonexistent rbps=1M' -- /bin/true
	assert_eq "rampart: --set:1: limit io /dev/nonexistent: No such file or directory" "$ERR" "device"
	launch --set 'limit io /dev/null' -- /bin/true
	assert_match "^rampart: --set:1: limit io: expected DEVICE" "$ERR" "io without keys"
}

vm_out=$T/vm.out
vm_rc=
run_vm() {
	[ -n "$vm_rc" ] && return
	cp "$TOP/build/probe" "$ROOTFS/probe"
	"$TOP/scripts/vm/run" --disk 16 --timeout 600 --mem 384 \
		--bin "$RAMPART:/usr/local/bin/rampart" --bin setpriv --file "$ROOTFS:/rootfs" \
		--file "$TOP/profiles:/profiles" --file "$TOP/tests/vm/cgroup.sh:/cgroup.sh" \
		-- sh /cgroup.sh >"$vm_out" 2>&1
	vm_rc=$?
}

t_vm_limits_enforced_by_a_real_cgroup_v2_kernel() {
	run_vm
	sed 's/^/    vm: /' "$vm_out"
	[ "$vm_rc" = 77 ] && skip "$(grep -m1 SKIPPED "$vm_out")"
	assert_eq 0 "$vm_rc" "guest suite status"
	assert_match '^[1-9][0-9]* passed, 0 failed$' "$(tail -n1 "$vm_out")" "guest summary"
}

run_tests
