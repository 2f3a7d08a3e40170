#!/usr/bin/env bash
# test_pinning.sh - `image digest` / `--digest`: a launch refuses any tree
# but the pinned one, before creating anything, naming the first difference.
. "$(dirname "$0")/lib.sh"

setup_rootfs
export RAMPART_CACHE_DIR=$T/cache
DIGEST=$("$RAMPART" digest "$ROOTFS")
"$RAMPART" digest --manifest "$T/manifest" "$ROOTFS" >/dev/null

# A private copy of the pinned tree, for tests that change it.
own_copy() {
	rm -rf "$T/$1"
	cp -a "$ROOTFS" "$T/$1"
	ROOTFS=$T/$1
}

t_pinned_tree_launches() {
	launch --digest "$DIGEST" -- /bin/echo ok
	assert_eq ok "$OUT" "pinned launch ($ERR)"
	launch --set "image digest $DIGEST manifest $T/manifest" -- /bin/echo ok
	assert_eq ok "$OUT" "pinned launch with a manifest ($ERR)"
}

t_changed_tree_refused_naming_the_path() {
	own_copy changed
	before=$(mount_snapshot)
	echo changed >>"$ROOTFS/etc/hostname"
	launch --set "image digest $DIGEST manifest $T/manifest" -- /bin/true
	assert_eq 125 "$RC" "exit status"
	assert_match "^rampart: --set:1: image: $ROOTFS is not the pinned image: first difference at \./etc/hostname \(its digest is sha256:[0-9a-f]{64}\)$" "$ERR" "message"
	launch --digest "$DIGEST" -- /bin/true
	assert_match "^rampart: --set:1: image: $ROOTFS has digest sha256:[0-9a-f]{64}, not the pinned $DIGEST \(add 'manifest FILE'" "$ERR" "message without manifest"
	assert_eq "$before" "$(mount_snapshot)" "mount table"
}

t_mode_bit_and_symlink_changes_are_caught() {
	own_copy modes
	chmod 4755 "$ROOTFS/bin/busybox"
	launch --set "image digest $DIGEST manifest $T/manifest" -- /bin/true
	assert_match "first difference at \./bin/busybox " "$ERR" "mode bit"
	chmod 0755 "$ROOTFS/bin/busybox"
	ln -sfn /etc/shadow "$ROOTFS/bin/ls"
	launch --set "image digest $DIGEST manifest $T/manifest" -- /bin/true
	assert_match "first difference at \./bin/ls " "$ERR" "symlink target"
}

t_check_passes_a_pinned_profile() {
	OUT=$("$RAMPART" check --profile base --set "image digest $DIGEST" --json 2>&1)
	assert_match '"RP-IMAGE-1"[^}]*"(result|status|verdict)": *"PASS"' "$(tr -d '\n' <<<"$OUT")" "RP-IMAGE-1"
}

run_tests
