#!/usr/bin/env bash
# test_scan_digest.sh - `rampart scan` finds what is planted in a rootfs and
# exits by severity; `rampart digest` is the same for two copies made in
# different orders on different filesystems, changes with one byte, one
# mode bit, one owner or one symlink target, names the changed path against
# a manifest, and its cache hits only for an unchanged tree.
. "$(dirname "$0")/lib.sh"

setup_rootfs

# run_rc CMD...: run it; sets OUT, ERR, RC.
run_rc() {
	OUT=$("$@" 2>"$T/stderr")
	RC=$?
	ERR=$(cat "$T/stderr")
}

# has_line REGEX WHAT: a line of $OUT matches.
has_line() {
	grep -Eq -- "$1" <<<"$OUT" || fail "$2: no line matches /$1/ in:
$OUT"
}

need_python() {
	command -v python3 >/dev/null || skip "python3 is not installed (JSON checks)"
}

# set_cap_net_raw FILE: security.capability = cap_net_raw+ep, as a v2
# vfs_cap_data (revision 2 | effective, permitted bit 13).
set_cap_net_raw() {
	if command -v setcap >/dev/null; then
		setcap cap_net_raw+ep "$1"
	elif command -v python3 >/dev/null; then
		python3 -c 'import os, struct, sys
os.setxattr(sys.argv[1], "security.capability", struct.pack("<5I", 0x02000001, 1 << 13, 0, 0, 0))' "$1"
	else
		return 1
	fi
}

# The scan rootfs: the busybox image plus one of everything scan reports.
S=$T/planted
cp -a "$ROOTFS" "$S"
cp "$S/bin/busybox" "$S/bin/su-root" && chmod 4755 "$S/bin/su-root"
cp "$S/bin/busybox" "$S/bin/sg-tty" && chown 0:5 "$S/bin/sg-tty" && chmod 2755 "$S/bin/sg-tty"
cp "$S/bin/busybox" "$S/bin/ping-caps"
CAPS_OK=1
set_cap_net_raw "$S/bin/ping-caps" || CAPS_OK=0
mkdir -p "$S/srv/drop" && chmod 0777 "$S/srv/drop"
mknod -m 0640 "$S/dev/mem" c 1 1
mknod -m 0666 "$S/dev/null" c 1 3
mknod -m 0660 "$S/dev/sda" b 8 0
# (usr/sbin is a symlink to ../bin in this merged-/usr image: a real directory)
mkdir -p "$S/usr/local/sbin" && cp "$S/bin/busybox" "$S/usr/local/sbin/sshd" &&
	chmod 0755 "$S/usr/local/sbin/sshd"
echo x >"$S/etc/odd-owner" && chown 70000:70000 "$S/etc/odd-owner"

# --- scan -----------------------------------------------------------------

t_scan_finds_each_planted_item() {
	run_rc "$RAMPART" scan "$S"
	assert_eq 1 "$RC" "exit status with high findings ($ERR)"
	has_line '^high +setuid +/bin/su-root +owner 0:0 mode 4755$' "setuid-root"
	has_line '^medium +setgid +/bin/sg-tty +owner 0:5 mode 2755$' "setgid"
	has_line '^medium +world-writable-dir +/srv/drop +mode 0777, no sticky bit$' "world-writable dir"
	has_line '^medium +char-device +/dev/mem +char 1:1 mode 0640' "char device"
	has_line '^low +char-device +/dev/null +char 1:3 \(null\)' "harmless char device"
	has_line '^high +block-device +/dev/sda +block 8:0' "block device"
	has_line '^high +sshd +/usr/local/sbin/sshd +owner 0:0 mode 0755$' "sshd"
	has_line '^low +shell +/bin/sh +symlink to busybox$' "shell"
	has_line '^low +owner +/etc/odd-owner +uid 70000 outside 0-65535; gid 70000 outside 0-65535$' "owner"
	has_line '^summary: [0-9]+ high, [0-9]+ medium, [0-9]+ low; [0-9]+ files, [0-9]+ dirs' "summary"
	if [ "$CAPS_OK" = 1 ]; then
		has_line '^high +file-caps +/bin/ping-caps +cap_net_raw=ep$' "file capabilities"
	else
		echo "    (no setcap or python3: file capabilities not planted)" >&2
	fi
	# The copies of busybox without special bits are not findings.
	assert_nomatch '/bin/busybox ' "$OUT" "plain busybox"
}

t_scan_json_is_valid() {
	need_python
	run_rc "$RAMPART" scan --json "$S"
	assert_eq 1 "$RC" "exit status ($ERR)"
	printf '%s' "$OUT" | python3 -m json.tool >/dev/null || fail "not JSON: $OUT"
	printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["rootfs"] == sys.argv[1], d["rootfs"]
kinds = {(f["kind"], f["path"]) for f in d["findings"]}
for f in d["findings"]:
    assert set(f) == {"severity", "kind", "path", "detail"}, f
    assert f["severity"] in ("high", "medium", "low"), f
for want in [("setuid", "/bin/su-root"), ("sshd", "/usr/local/sbin/sshd"), ("block-device", "/dev/sda"),
             ("world-writable-dir", "/srv/drop"), ("char-device", "/dev/mem")]:
    assert want in kinds, want
t = d["totals"]
assert t["high"] == sum(f["severity"] == "high" for f in d["findings"]), t
assert t["files"] > 0 and t["dirs"] > 0 and t["symlinks"] > 0 and t["bytes"] > 0, t
' "$S" || fail "JSON content: $OUT"
}

t_scan_exit_status_by_threshold() {
	# The busybox image has shells only: low findings.
	run_rc "$RAMPART" scan "$ROOTFS"
	assert_eq 0 "$RC" "busybox image, default threshold ($ERR)"
	run_rc "$RAMPART" scan --max-severity medium "$ROOTFS"
	assert_eq 0 "$RC" "busybox image, medium"
	run_rc "$RAMPART" scan --max-severity low "$ROOTFS"
	assert_eq 1 "$RC" "busybox image, low"
	# One medium finding.
	cp -a "$ROOTFS" "$T/medium" && chmod 0777 "$T/medium/tmp"
	run_rc "$RAMPART" scan "$T/medium"
	assert_eq 0 "$RC" "medium finding, default threshold"
	run_rc "$RAMPART" scan --max-severity medium "$T/medium"
	assert_eq 1 "$RC" "medium finding, medium"
	run_rc "$RAMPART" scan --max-severity high "$S"
	assert_eq 1 "$RC" "high finding, high"
}

t_scan_errors_exit_125() {
	run_rc "$RAMPART" scan "$T/missing"
	assert_eq 125 "$RC" "missing rootfs"
	assert_eq "rampart: scan: $T/missing: No such file or directory" "$ERR" "message"
	run_rc "$RAMPART" scan --max-severity severe "$ROOTFS"
	assert_eq 125 "$RC" "bad level"
	assert_match "expected high, medium or low, got 'severe'" "$ERR" "bad level message"
	# An unreadable directory, as a user who cannot read it.
	command -v setpriv >/dev/null || skip "no setpriv"
	cp -a "$ROOTFS" "$T/closed" && chmod 0755 "$T" && mkdir -m 0700 "$T/closed/secret"
	run_rc setpriv --reuid=65534 --regid=65534 --clear-groups "$RAMPART" scan "$T/closed"
	assert_eq 125 "$RC" "unreadable directory"
	assert_eq "rampart: scan: $T/closed/secret: Permission denied" "$ERR" "message"
}

# Symlinks to the host's setuid programs and devices are links, not findings.
t_scan_never_follows_symlinks() {
	local s=$T/links
	cp -a "$ROOTFS" "$s"
	ln -s /usr/bin "$s/hostbin"
	ln -s /dev "$s/hostdev"
	ln -s ../../../../../.. "$s/up"
	run_rc "$RAMPART" scan --max-severity low "$s"
	assert_nomatch '/hostbin/|/hostdev/|/up/' "$OUT" "findings behind symlinks"
	assert_eq 1 "$RC" "exit status (shells are low findings)"
}

# A filesystem mounted inside the tree is reported and scanned. The mount
# lives in a private mount namespace: the host's table never sees it.
t_scan_reports_and_crosses_mounts() {
	command -v unshare >/dev/null || skip "no unshare"
	local s=$T/mounted
	cp -a "$ROOTFS" "$s"
	OUT=$(unshare -m sh -c 'mount -t tmpfs -o mode=0755 scan-test "$1/run" &&
		echo x >"$1/run/open" && chmod 0666 "$1/run/open" && "$2" scan "$1"' sh "$s" "$RAMPART")
	has_line '^low +mount-point +/run +another mount \(device [0-9]+:[0-9]+\), scanned$' "mount point"
	has_line '^medium +world-writable +/run/open +file, mode 0666$' "file inside the mount"
	has_line ' 1 mount points$' "summary"
}

# --- digest ---------------------------------------------------------------

digest() { "$RAMPART" digest "$@"; }

t_digest_format_and_manifest_hash() {
	local d m
	d=$(digest "$ROOTFS") || fail "digest: exit $?"
	assert_match '^sha256:[0-9a-f]{64}$' "$d" "digest format"
	m=$(digest --manifest "$T/m" "$ROOTFS") || fail "digest --manifest"
	assert_eq "$d" "$m" "digest with --manifest"
	# The digest is the SHA-256 of the manifest's bytes.
	assert_eq "${d#sha256:}" "$(sha256sum "$T/m" | cut -d' ' -f1)" "sha256sum of the manifest"
	assert_eq "rampart-digest v1" "$(head -n1 "$T/m")" "manifest header"
	grep -qx '\. type=d mode=0755 uid=0 gid=0' "$T/m" || fail "root record: $(sed -n 2p "$T/m")"
	grep -Eq '^\./bin/sh type=l mode=0777 uid=0 gid=0 target=busybox$' "$T/m" || fail "symlink record"
}

# Copy A with cp -a on this filesystem; copy B entry by entry, every
# directory first, then all else in reverse order, on a tmpfs (other
# readdir order, other directory sizes), in a private mount namespace.
t_digest_same_for_copies_made_differently() {
	command -v unshare >/dev/null || skip "no unshare"
	local a b
	cp -a "$ROOTFS" "$T/A"
	a=$(digest "$T/A") || fail "digest A"
	mkdir "$T/B"
	b=$(unshare -m bash -c '
		set -e
		src=$1 dst=$2
		mount -t tmpfs digest-test "$dst"
		cd "$src"
		find . -mindepth 1 -type d | sort | while read -r d; do mkdir "$dst/$d"; done
		find . ! -type d | sort -r | while read -r f; do cp -a "$f" "$dst/$f"; done
		find . -type d | while read -r d; do
			chown --reference="$d" "$dst/$d"; chmod --reference="$d" "$dst/$d"
		done
		[ "$(ls -U "$src/bin" | head -n 20)" != "$(ls -U "$dst/bin" | head -n 20)" ] ||
			{ echo "same readdir order: the test would prove nothing" >&2; exit 1; }
		"$3" digest "$dst"' bash "$T/A" "$T/B" "$RAMPART") || fail "digest B: exit $?"
	assert_eq "$a" "$b" "digest of two copies"
	assert_eq "$(digest "$ROOTFS")" "$a" "digest of the original"
}

t_digest_changes_with_each_attribute() {
	local c=$T/C base d
	cp -a "$ROOTFS" "$c"
	base=$(digest "$c")

	printf 'X' | dd of="$c/etc/passwd" bs=1 seek=3 conv=notrunc status=none # one byte
	d=$(digest "$c")
	[ "$d" != "$base" ] || fail "one byte changed, same digest"
	cp -a "$ROOTFS/etc/passwd" "$c/etc/passwd"
	assert_eq "$base" "$(digest "$c")" "byte restored"

	chmod g+w "$c/etc/group" # one mode bit
	[ "$(digest "$c")" != "$base" ] || fail "one mode bit changed, same digest"
	chmod g-w "$c/etc/group"

	chown 1:0 "$c/etc/hostname" # one owner
	[ "$(digest "$c")" != "$base" ] || fail "owner changed, same digest"
	chown 0:0 "$c/etc/hostname"

	ln -sfn busybox.other "$c/bin/sh" # one symlink target
	[ "$(digest "$c")" != "$base" ] || fail "symlink target changed, same digest"
	ln -sfn busybox "$c/bin/sh"
	assert_eq "$base" "$(digest "$c")" "everything restored"
}

t_digest_check_names_changed_path() {
	local c=$T/K
	cp -a "$ROOTFS" "$c"
	digest --manifest "$T/k.manifest" "$c" >/dev/null || fail "manifest"
	run_rc "$RAMPART" digest --check "$T/k.manifest" "$c"
	assert_eq 0 "$RC" "unchanged tree ($ERR)"
	assert_eq "matches $T/k.manifest" "$OUT" "unchanged output"

	printf 'X' | dd of="$c/etc/group" bs=1 seek=0 conv=notrunc status=none
	touch "$c/etc/zz-new"
	run_rc "$RAMPART" digest --check "$T/k.manifest" "$c"
	assert_eq 1 "$RC" "changed tree"
	assert_eq "differs from $T/k.manifest, first at ./etc/group" "$OUT" "first difference"

	run_rc "$RAMPART" digest --check "$T/missing" "$c"
	assert_eq 125 "$RC" "missing manifest"
	assert_match "^rampart: digest: $T/missing: No such file or directory$" "$ERR" "message"
}

t_digest_json_and_stats() {
	need_python
	run_rc "$RAMPART" digest --json --stats "$ROOTFS"
	assert_eq 0 "$RC" "exit status ($ERR)"
	printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["digest"].startswith("sha256:") and len(d["digest"]) == 71, d
assert d["entries"] == d["files"] + d["dirs"] + d["symlinks"] + d["other"], d
assert d["bytes"] > 1000000 and d["seconds"] >= 0, d
' || fail "JSON: $OUT"
	assert_match '^rampart: digest: [0-9]+ entries \([0-9]+ files, .*\), [0-9]+ bytes in [0-9.]+ s: [0-9.]+ MB/s$' \
		"$ERR" "--stats line"
}

# The cache stores only trees whose entries are more than 2 s old (younger
# ones could change again within their timestamp tick): wait that out.
t_digest_cache() {
	need_python
	local c=$T/cached full
	cp -a "$ROOTFS" "$c"
	full=$(digest "$c")
	sleep 3
	cached_json() { "$RAMPART" digest --json --cache "$T/dcache" "$c"; }
	field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
	assert_eq False "$(cached_json | field cached)" "first run"
	assert_eq True "$(cached_json | field cached)" "second run"
	assert_eq "$full" "$(cached_json | field digest)" "cached digest"
	assert_eq 700 "$(stat -c %a "$T/dcache")" "cache dir mode"
	echo changed >>"$c/etc/motd"
	assert_eq False "$(cached_json | field cached)" "after a change"
	assert_eq "$(digest "$c")" "$(cached_json | field digest)" "digest after a change"
}

t_digest_errors_exit_125() {
	run_rc "$RAMPART" digest "$T/missing"
	assert_eq 125 "$RC" "missing rootfs"
	assert_eq "rampart: digest: $T/missing: No such file or directory" "$ERR" "message"
	run_rc "$RAMPART" digest --check "$T/m" --json "$ROOTFS"
	assert_eq 125 "$RC" "--check with --json"
}

run_tests
