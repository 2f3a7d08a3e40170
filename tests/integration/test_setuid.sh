#!/usr/bin/env bash
# test_setuid.sh - `setuid strip`: no setuid/setgid bits and no file
# capabilities in the container's view, and the image on disk unchanged.
. "$(dirname "$0")/lib.sh"

setup_rootfs
cp "$ROOTFS/bin/busybox" "$ROOTFS/bin/busybox.suid" && chmod 4755 "$ROOTFS/bin/busybox.suid"
cp "$ROOTFS/bin/busybox" "$ROOTFS/bin/busybox.sgid" && chmod 2755 "$ROOTFS/bin/busybox.sgid"
cp "$ROOTFS/probe" "$ROOTFS/bin/probe.cap"
# A v2 file capability: cap_sys_admin in permitted, effective bit set.
python3 -c 'import os, sys; os.setxattr(sys.argv[1], "security.capability",
    bytes.fromhex("0100000200002000000000000000000000000000"))' "$ROOTFS/bin/probe.cap"

# Mode, owner, xattr and content of the planted files, as the host sees them.
fingerprint() {
	for f in busybox.suid busybox.sgid probe.cap; do
		stat -c '%n %a %u %g %s' "$ROOTFS/bin/$f"
		python3 -c 'import os, sys
try: print(os.getxattr(sys.argv[1], "security.capability").hex())
except OSError as e: print(e.strerror)' "$ROOTFS/bin/$f"
		sha256sum <"$ROOTFS/bin/$f"
	done
}

t_bits_and_capabilities_gone_inside() {
	before=$(fingerprint)
	launch -- /bin/sh -c 'stat -c "%n %a" /bin/busybox.suid /bin/busybox.sgid; /probe xattr /bin/probe.cap security.capability; true'
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_eq "/bin/busybox.suid 755
/bin/busybox.sgid 755
errno ENODATA 61" "$OUT" "modes and xattr inside"
	assert_match "^rampart: setuid: stripped 1 setuid, 1 setgid and 1 file-capability bits in the container's view of $ROOTFS \\([0-9]+ files; the image is unchanged\\)$" "$ERR" "report"
	assert_eq "$before" "$(fingerprint)" "the image on the host"
}

t_keep_leaves_bits_but_nosuid_holds() {
	launch --set 'setuid keep' -- /bin/sh -c 'stat -c "%a" /bin/busybox.suid; /bin/busybox.suid id -u'
	assert_eq "4755
65534" "$OUT" "bit visible, no privilege from it ($ERR)"
}

t_readonly_rootfs_stays_readonly_over_the_overlay() {
	launch --set 'user 0' -- /bin/sh -c 'touch /bin/new 2>&1; grep " / " /proc/mounts'
	assert_match 'Read-only file system' "$OUT" "write to /"
	assert_match ' / overlay ro,' "$(grep ' / ' <<<"$OUT")" "root mount"
}

t_writable_rootfs_writes_never_reach_the_image() {
	mkdir -p "$ROOTFS/home/root0" && chown 100000:100000 "$ROOTFS/home/root0"
	launch --set 'user 0' --set 'rootfs writable' -- /bin/sh -c 'echo x >/home/root0/new && cat /home/root0/new'
	assert_eq x "$OUT" "write inside ($ERR)"
	[ ! -e "$ROOTFS/home/root0/new" ] || fail "the write reached the image"
}

t_rootless_says_it_cannot_strip() {
	chmod 755 "$T"
	OUT=$(setpriv --reuid=12345 --regid=12345 --clear-groups "$RAMPART" launch "$ROOTFS" -- /bin/true 2>&1)
	assert_eq 0 "$?" "exit status"
	assert_match '^rampart: setuid: not stripped in a rootless launch \(nosuid still applies on every mount\)$' "$OUT" "notice"
}

run_tests
