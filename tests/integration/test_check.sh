#!/usr/bin/env bash
# test_check.sh - `rampart check` (exit statuses, --json, policies) and the
# launch hooks: a launch refused by policy leaves nothing behind, and every
# launch writes audit lines (docs/check.md).
. "$(dirname "$0")/lib.sh"

setup_rootfs
LIMITS=(--set 'limit memory 256M' --set 'limit cpu 1' --set 'limit pids 128')

# check [ARGS...]: sets OUT, ERR, RC.
check() {
	OUT=$("$RAMPART" check "$@" 2>"$T/stderr")
	RC=$?
	ERR=$(cat "$T/stderr")
}

# The launch hooks are integrated when cli_launch.c calls the policy.
need_launch_hooks() {
	grep -Eq 'policy_(enforce|gate)' "$TOP/runtime/cli_launch.c" ||
		skip "launch integration pending"
}

# --- rampart check ----------------------------------------------------------

t_check_base_fails_only_the_limits() {
	check --profile base -- /bin/sh
	assert_eq 1 "$RC" "exit status of check on base ($ERR)"
	assert_eq "RP-LIMIT-1 RP-LIMIT-2 RP-LIMIT-3" \
		"$(echo "$OUT" | awk '$1 == "FAIL" { print $2 }' | xargs)" "FAIL lines on base"
	assert_match '^[0-9]+ passed, [0-9]+ warnings, 3 failed$' "$(echo "$OUT" | tail -n1)" "summary"
	check --profile base "${LIMITS[@]}" -- /bin/sh
	assert_eq 0 "$RC" "exit status with the limits ($OUT)"
	assert_match '^[0-9]+ passed, [0-9]+ warnings, 0 failed$' "$(echo "$OUT" | tail -n1)" "summary with the limits"
	assert_eq 27 "$(echo "$OUT" | tail -n1 | awk '{ print $1 + $3 }')" "passed + warnings"
}

t_check_default_profile_is_default() {
	check -- /bin/sh
	local a=$OUT
	check --profile base -- /bin/sh
	assert_eq "$OUT" "$a" "check without --profile (default includes base)"
}

t_check_line_format() {
	check --profile base "${LIMITS[@]}" --set 'user 0' -- /bin/sh
	assert_eq 1 "$RC" "exit status"
	assert_match '^FAIL  RP-USER-1     the workload runs as a non-root user: uid 0  \(fix: user 65534:65534\)$' \
		"$(echo "$OUT" | grep RP-USER-1)" "FAIL line"
	assert_match '^PASS  RP-FS-1       the rootfs is mounted read-only: rootfs readonly$' \
		"$(echo "$OUT" | grep RP-FS-1)" "PASS line"
	# Every check line: STATUS  ID  title: detail
	echo "$OUT" | grep -Ev '^[0-9]+ passed' | while IFS= read -r l; do
		[[ $l =~ ^(PASS|WARN|FAIL)\ \ RP-[A-Z]+-[0-9]+\ +[^\ ].*:\ .+ ]] || fail "malformed line: $l"
	done
}

t_check_should_level_is_a_warning() {
	check --profile base "${LIMITS[@]}" --set 'share uts' --set 'bind /srv /srv rw' -- /bin/sh
	assert_eq 0 "$RC" "exit status with should-level failures only"
	assert_match '^WARN  RP-NS-4 ' "$(echo "$OUT" | grep RP-NS-4)" "RP-NS-4"
	assert_match '^WARN  RP-MOUNT-2 ' "$(echo "$OUT" | grep RP-MOUNT-2)" "RP-MOUNT-2"
}

t_check_secret_values_never_printed() {
	check --profile base --json --set 'env API_TOKEN=value-must-not-show' -- /bin/sh
	assert_nomatch 'value-must-not-show' "$OUT$ERR" "check output"
	assert_match 'API_TOKEN' "$OUT" "the name is reported"
}

t_check_usage_and_config_errors_125() {
	local p="$T/bad.policy"
	printf 'require RP-NOPE-9\n' >"$p"
	for args in "--bogus" "--profile no-such-profile" "--set nonsense" "--policy $T/missing" \
		"--policy $p" "--rootfs $ROOTFS" "--rootfs $T/missing -- /bin/sh" "--policy" "--"; do
		# shellcheck disable=SC2086
		check $args
		assert_eq 125 "$RC" "exit status of check $args"
		assert_eq 1 "$(echo "$ERR" | wc -l)" "one line on stderr for check $args: $ERR"
		assert_match '^rampart: ' "$ERR" "error line for check $args"
	done
	check --policy "$p"
	assert_eq "rampart: $p:1: require: unknown check 'RP-NOPE-9' (rampart check lists them)" "$ERR" "policy error"
}

t_check_json_is_valid() {
	check --profile base --json -- /bin/sh
	assert_eq 1 "$RC" "exit status with --json"
	echo "$OUT" | jq -e . >/dev/null || fail "--json output is not JSON: $OUT"
	assert_eq 27 "$(echo "$OUT" | jq '.checks | length')" "number of checks"
	assert_eq '3 1 null' "$(echo "$OUT" | jq -r '"\(.summary.failed) \(.exit) \(.policy)"')" "summary, exit, policy"
	assert_eq 0 "$(echo "$OUT" | jq '[.checks[] | select(.status | test("^(PASS|WARN|FAIL)$") | not)] | length')" \
		"statuses"
	assert_eq 0 "$(echo "$OUT" | jq '[.checks[] | select((.level | test("^(must|should|could)$")) and (.id | test("^RP-[A-Z]+-[0-9]+$")) and .title != "" and .rationale != "" and .fix != "" and .cis != "" | not)] | length')" \
		"every check has id, level, title, rationale, fix, cis"
	assert_eq '5.29' "$(echo "$OUT" | jq -r '.checks[] | select(.id == "RP-LIMIT-3") | .cis')" "CIS reference"
	check --profile base --json "${LIMITS[@]}" -- /bin/sh
	assert_eq 0 "$RC" "exit status with --json and the limits"
	assert_eq 0 "$(echo "$OUT" | jq '.exit')" "exit field"
}

t_check_policy_waive_and_require() {
	local p="$T/site.policy"
	cat >"$p" <<-'EOF'
	# site policy
	require-level must
	require RP-NS-4
	waive RP-LIMIT-2 "batch jobs" may use every CPU
	EOF
	check --profile base --policy "$p" --set 'limit memory 1G' --set 'limit pids 64' -- /bin/sh
	assert_eq 0 "$RC" "exit status with the waiver ($OUT)"
	assert_match '^WAIVED  RP-LIMIT-2 .*\(waived: batch jobs may use every CPU\)$' \
		"$(echo "$OUT" | grep RP-LIMIT-2)" "WAIVED line"
	assert_match "^policy $p: a launch would be allowed$" "$(echo "$OUT" | tail -n1)" "policy line"
	assert_match ', 1 waived$' "$(echo "$OUT" | grep -E '^[0-9]+ passed')" "summary"

	# A required should-level check becomes a FAIL line.
	check --profile base --policy "$p" --set 'limit memory 1G' --set 'limit pids 64' --set 'share uts' -- /bin/sh
	assert_eq 1 "$RC" "exit status with a required check failing"
	assert_match '^FAIL  RP-NS-4 ' "$(echo "$OUT" | grep RP-NS-4)" "required RP-NS-4"
	assert_match "a launch would be refused \(RP-NS-4\)$" "$(echo "$OUT" | tail -n1)" "policy line"
	check --profile base --policy "$p" --json --set 'limit memory 1G' --set 'limit pids 64' --set 'share uts' -- /bin/sh
	assert_eq '["RP-NS-4"]' "$(echo "$OUT" | jq -c '.policy.refused')" "JSON refusals"
}

t_check_rootfs_resolves_the_user() {
	check --profile base --rootfs "$ROOTFS" --set 'user app' -- /bin/sh
	assert_match 'RP-USER-1 .*uid 1000 \(user app\)$' "$(echo "$OUT" | grep RP-USER-1)" "resolved user"
	check --profile base --set 'user app' -- /bin/sh
	assert_match '^WARN  RP-USER-1 .*give --rootfs' "$(echo "$OUT" | grep RP-USER-1)" "unresolved user"
	check --profile base --rootfs "$ROOTFS" --set 'user nosuchuser' -- /bin/sh
	assert_eq 125 "$RC" "exit status for a user missing in the image"
}

t_check_sshd_workload() {
	check --profile base "${LIMITS[@]}" -- /usr/sbin/sshd -D
	assert_eq 1 "$RC" "exit status for sshd"
	assert_match '^FAIL  RP-SSH-1 ' "$(echo "$OUT" | grep RP-SSH-1)" "RP-SSH-1"
}

# --- launch hooks -------------------------------------------------------------

cgroup_snapshot() {
	find /sys/fs/cgroup -maxdepth 4 -path '*rampart*' -type d 2>/dev/null | sort
}

t_check_policy_refused_launch_leaves_nothing() {
	need_launch_hooks
	local p="$T/refuse.policy" log="$T/audit.log" m0 m1 c0 c1
	printf 'require RP-USER-1 RP-NS-1\n' >"$p"
	mkdir -p "$T/out" && chmod 0777 "$T/out"
	m0=$(mount_snapshot) c0=$(cgroup_snapshot)
	launch --policy "$p" --audit-log "$log" --set 'user 0' --set 'share pid' --set 'limit pids 64' \
		--set "bind $T/out /out rw" -- /bin/sh -c 'touch /out/ran; echo ran'
	m1=$(mount_snapshot) c1=$(cgroup_snapshot)
	assert_eq 125 "$RC" "exit status of a refused launch"
	assert_eq "rampart: policy: refused: RP-USER-1, RP-NS-1 failed (see rampart check)" "$ERR" "error"
	assert_eq "" "$OUT" "workload output"
	[ ! -e "$T/out/ran" ] || fail "the workload ran"
	assert_eq "$m0" "$m1" "host mount table"
	assert_eq "$c0" "$c1" "cgroups"
	pgrep -f 'touch /out/ran' >/dev/null && fail "a process was left"
	assert_eq 1 "$(wc -l <"$log")" "audit lines"
	jq -e 'select(.command == "launch" and .outcome == "refused"
		and .error == "policy: refused: RP-USER-1, RP-NS-1 failed (see rampart check)"
		and (.failed_checks | index("RP-USER-1")) != null
		and .rootfs == "'"$ROOTFS"'" and .exit_status == null)' "$log" >/dev/null ||
		fail "refused record: $(cat "$log")"
	true
}

t_check_launch_writes_started_and_exited() {
	need_launch_hooks
	local log="$T/ok.log"
	launch --audit-log "$log" --set 'env SERVICE_TOKEN=do-not-log' -- /bin/sh -c 'exit 3'
	assert_eq 3 "$RC" "exit status ($ERR)"
	assert_eq 600 "$(stat -c %a "$log")" "audit log mode"
	assert_eq "started exited" "$(jq -r .outcome "$log" | xargs)" "outcomes"
	assert_eq "3" "$(jq -r 'select(.outcome == "exited") | .exit_status' "$log")" "exit status recorded"
	assert_eq '["SERVICE_TOKEN"]' "$(jq -c 'select(.outcome == "started") | .env_names' "$log")" "env names"
	assert_nomatch 'do-not-log' "$(cat "$log")" "audit log"
	assert_eq "$(id -u)" "$(jq -r 'select(.outcome == "started") | .uid' "$log")" "uid"
	launch --audit-log "$log" -- /bin/sh -c 'kill -9 $$'
	assert_eq 137 "$RC" "exit status of a killed workload"
	assert_eq 9 "$(jq -r 'select(.outcome == "exited") | .signal' "$log" | tail -n1)" "signal recorded"
}

t_check_launch_refuses_unsafe_audit_log() {
	need_launch_hooks
	: >"$T/real.log" && chmod 0600 "$T/real.log"
	ln -s "$T/real.log" "$T/link.log"
	launch --audit-log "$T/link.log" -- /bin/sh -c 'echo ran'
	assert_eq 125 "$RC" "exit status with a symlinked audit log"
	assert_eq "rampart: audit: $T/link.log: is a symbolic link; refused" "$ERR" "error"
	assert_eq "" "$OUT" "workload output"
	chmod 0666 "$T/real.log"
	launch --audit-log "$T/real.log" -- /bin/sh -c 'echo ran'
	assert_eq 125 "$RC" "exit status with a world-writable audit log"
	assert_match 'writable by group or others' "$ERR" "error"
	assert_eq 0 "$(wc -c <"$T/real.log")" "bytes written to the refused log"
}

t_check_launch_audit_log_from_env_and_none() {
	need_launch_hooks
	local log="$T/env.log"
	OUT=$(RAMPART_AUDIT_LOG=$log "$RAMPART" launch "$ROOTFS" -- /bin/true 2>"$T/stderr")
	assert_eq 0 "$?" "exit status ($(cat "$T/stderr"))"
	assert_eq 2 "$(wc -l <"$log")" "lines from \$RAMPART_AUDIT_LOG"
	OUT=$(RAMPART_AUDIT_LOG=$log "$RAMPART" launch --audit-log none "$ROOTFS" -- /bin/true 2>"$T/stderr")
	assert_eq 0 "$?" "exit status with --audit-log none"
	assert_eq 2 "$(wc -l <"$log")" "lines after --audit-log none"
}

run_tests
