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

# Mount point and type of every mount of the rootfs, except the ones
# rampart adds (/proc, /sys, /dev, /tmp, /run...).
rootfs_mounts() { awk '$5 !~ /^\/(proc|sys|dev|tmp|run)(\/|$)/ { print "mount:", $5, $(NF - 2) }' /proc/self/mountinfo; }

# A read-only rootfs is the image itself, read-only, with a read-only
# stripped overlay on just the directories that hold a stripped file.
t_readonly_rootfs_overlays_only_the_stripped_directories() {
	mkdir -p "$ROOTFS/bin/sub" "$ROOTFS/bin2" && cp "$ROOTFS/bin/busybox" "$ROOTFS/bin/sub/nested.suid" &&
		cp "$ROOTFS/bin/busybox" "$ROOTFS/bin2/sibling.suid" &&
		chmod 4755 "$ROOTFS/bin/sub/nested.suid" "$ROOTFS/bin2/sibling.suid" || fail "plant the files"
	launch --set 'user 0' -- /bin/sh -c "$(declare -f rootfs_mounts); rootfs_mounts | sort;
		touch /bin/new 2>&1; touch /new 2>&1; stat -c '%n %a' /bin/sub/nested.suid /bin2/sibling.suid"
	local host
	host=$(stat -c '%a' "$ROOTFS/bin/sub/nested.suid" "$ROOTFS/bin2/sibling.suid")
	rm -r "$ROOTFS/bin/sub" "$ROOTFS/bin2"
	assert_eq "4755
4755" "$host" "the image's modes after the launch"
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_eq "mount: / $(awk -v m="$(stat -c %m "$ROOTFS")" '$2 == m { t = $3 } END { print t }' /proc/mounts)
mount: /bin overlay
mount: /bin2 overlay" "$(grep '^mount: ' <<<"$OUT")" "the mounts of the rootfs (bin/sub is below bin; bin2 is not)"
	assert_eq 2 "$(grep -c 'Read-only file system' <<<"$OUT")" "writes to /bin and /"
	assert_eq "/bin/sub/nested.suid 755
/bin2/sibling.suid 755" "$(tail -n2 <<<"$OUT")" "the other files stripped"
	assert_match "stripped 3 setuid, 1 setgid and 1 file-capability bits" "$ERR" "report"
}

# A file to strip in / itself, or more directories than rampart overlays
# one by one (16): one overlay for the whole tree, read-only.
t_readonly_rootfs_whole_overlay_when_needed() {
	cp "$ROOTFS/bin/busybox" "$ROOTFS/top.suid" && chmod 4755 "$ROOTFS/top.suid" || fail "plant /top.suid"
	launch --set 'user 0' -- /bin/sh -c "$(declare -f rootfs_mounts); rootfs_mounts; touch /bin/new 2>&1; stat -c '%a' /top.suid"
	rm "$ROOTFS/top.suid"
	assert_eq "mount: / overlay" "$(grep '^mount: ' <<<"$OUT")" "a file in /: the mounts of the rootfs ($ERR)"
	assert_match 'Read-only file system' "$OUT" "write to /bin"
	assert_eq 755 "$(tail -n1 <<<"$OUT")" "/top.suid stripped"

	# /bin holds the suite's planted files: with /d1../d15 that is 16
	# directories, one overlay each; /d16 makes 17, one for the whole tree.
	local i n
	for i in $(seq 1 16); do
		mkdir "$ROOTFS/d$i" && cp "$ROOTFS/bin/busybox" "$ROOTFS/d$i/f" && chmod 2755 "$ROOTFS/d$i/f" ||
			fail "plant /d$i/f"
	done
	mv "$ROOTFS/d16" "$T/d16"
	launch --set 'user 0' -- /bin/sh -c "$(declare -f rootfs_mounts); rootfs_mounts; stat -c '%a' /d15/f"
	n=$(grep -c '^mount: /[^ ]* overlay$' <<<"$OUT")
	assert_eq "16 755" "$n $(tail -n1 <<<"$OUT")" "16 directories: an overlay each, /d15/f stripped ($ERR)"
	mv "$T/d16" "$ROOTFS/d16"
	launch --set 'user 0' -- /bin/sh -c "$(declare -f rootfs_mounts); rootfs_mounts; stat -c '%a' /d16/f"
	for i in $(seq 1 16); do rm -r "${ROOTFS:?}/d$i"; done
	assert_eq "mount: / overlay" "$(grep '^mount: ' <<<"$OUT")" "17 directories: the mounts of the rootfs ($ERR)"
	assert_eq 755 "$(tail -n1 <<<"$OUT")" "/d16/f stripped"

	# A directory path of 256 bytes or more: the whole tree too.
	local long=l$(printf '%0200d' 0)/$(printf '%060d' 0)
	mkdir -p "$ROOTFS/$long" && cp "$ROOTFS/bin/busybox" "$ROOTFS/$long/f" && chmod 4755 "$ROOTFS/$long/f" ||
		fail "plant the long path"
	launch --set 'user 0' -- /bin/sh -c "$(declare -f rootfs_mounts); rootfs_mounts; stat -c '%a' /$long/f"
	rm -r "${ROOTFS:?}/l$(printf '%0200d' 0)"
	assert_eq "mount: / overlay" "$(grep '^mount: ' <<<"$OUT")" "a 262-byte path: the mounts of the rootfs ($ERR)"
	assert_eq 755 "$(tail -n1 <<<"$OUT")" "the file at the long path stripped"
}

t_writable_rootfs_writes_never_reach_the_image() {
	mkdir -p "$ROOTFS/home/root0" && chown 100000:100000 "$ROOTFS/home/root0"
	launch --set 'user 0' --set 'rootfs writable' -- /bin/sh -c "$(declare -f rootfs_mounts); rootfs_mounts; echo x >/home/root0/new && cat /home/root0/new"
	assert_eq "mount: / overlay
x" "$OUT" "one overlay for the whole tree, and the write inside ($ERR)"
	[ ! -e "$ROOTFS/home/root0/new" ] || fail "the write reached the image"
}

t_rootless_says_it_cannot_strip() {
	chmod 755 "$T"
	OUT=$(setpriv --reuid=12345 --regid=12345 --clear-groups "$RAMPART" launch "$ROOTFS" -- /bin/true 2>&1)
	assert_eq 0 "$?" "exit status"
	assert_match '^rampart: setuid: not stripped in a rootless launch \(nosuid still applies on every mount\)$' "$OUT" "notice"
}

run_tests
