seccomp on
seccomp default errno EPERM
seccomp allow mount umount2 pivot_root chroot move_mount open_tree fsopen fsconfig fsmount fspick mount_setattr
