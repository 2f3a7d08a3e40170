#!/bin/sh
# /init of the rampart test VM (busybox sh, PID 1).  Built into the base
# initramfs by scripts/vm/fetch-kernel; scripts/vm/run appends a second
# archive holding /rampart/cmd.sh (the quoted guest command) and the
# --file/--bin payload.
#
# Protocol on the serial console (read by scripts/vm/run):
#   \n@@RAMPART-VM-BEGIN@@\n   then the command's stdout+stderr, then
#   \n@@RAMPART-VM-EXIT <status>@@\n
# The leading newline guarantees a marker starts a line even when the
# command's output does not end with one; the runner drops that newline.
#
# Every process spawned under TCG costs ~30 ms, so this script uses shell
# builtins where it can.  No `set -e`: if PID 1 exits the kernel panics, and
# we must always reach the exit marker and the power-off.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb

# Stage 1: the initramfs is the kernel's rootfs, and pivot_root(2) refuses
# to move a root that is the rootfs (EINVAL), which would break every
# container launch in the guest.  Put a bind mount of / on top of it and
# chroot into that, so / is an ordinary mount with a parent.
if [ "${RAMPART_VM_STAGE:-1}" = 1 ]; then
    mount -o bind / /mnt && cd /mnt && mount -o move /mnt / &&
        RAMPART_VM_STAGE=2 && export RAMPART_VM_STAGE && exec chroot . /init
    echo "rampart-vm: cannot leave the rootfs; pivot_root will fail"
fi
unset RAMPART_VM_STAGE

# Stage 2.  Mounts are in /etc/fstab; /dev/{pts,shm,mqueue} only exist
# once the skeleton is copied onto the devtmpfs.
mount -a -t proc,sysfs,devtmpfs,cgroup2
[ -t 1 ] || exec >/dev/console 2>&1   # the cpio had no /dev/console
exec </dev/null
cp -a /lib/rampart-vm/dev/. /dev/
mount -a -t devpts,tmpfs,mqueue

read -r cmdline </proc/cmdline
case " $cmdline " in
    *" rampart.verbose=1 "*) ;;
    *) echo 1 >/proc/sys/kernel/printk ;;  # keep kernel messages off the output
esac

# Four controllers for the children of the root cgroup, as the launcher
# expects on a delegated cgroup2 host.
echo "+cpu +memory +io +pids" >/sys/fs/cgroup/cgroup.subtree_control ||
    echo "rampart-vm: enabling cgroup controllers failed"

# Other modules load on demand (modules.alias); PCI devices need a coldplug
# since there is no udev: load the virtio block driver if a virtio device
# (vendor 0x1af4) is present, i.e. run was given --disk.
for v in /sys/bus/pci/devices/*/vendor; do
    read -r id <"$v" 2>/dev/null || continue
    if [ "$id" = 0x1af4 ]; then
        modprobe -a virtio_pci virtio_blk || echo "rampart-vm: virtio modules failed"
        break
    fi
done

echo rampart-vm >/proc/sys/kernel/hostname
ip link set lo up
# Pass the command's bytes through unchanged (no \n -> \r\n translation).
stty -onlcr </dev/console 2>/dev/null

if [ -r /rampart/cmd.sh ]; then
    printf '\n@@RAMPART-VM-BEGIN@@\n'
    (cd / && exec /bin/sh /rampart/cmd.sh </dev/null)
    rc=$?
else
    printf '\n@@RAMPART-VM-BEGIN@@\nrampart-vm: no /rampart/cmd.sh in the initramfs\n'
    rc=125
fi
printf '\n@@RAMPART-VM-EXIT %d@@\n' "$rc"

# Power off now: nothing to unmount or flush (the disk is scratch).  If ACPI
# power-off does not work, reboot instead; qemu runs with -no-reboot, so
# either way it exits.
echo o >/proc/sysrq-trigger
sleep 2
echo b >/proc/sysrq-trigger
