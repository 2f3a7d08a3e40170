# base: every layer on, the strictest sane default.
#
# Profiles for real applications start with `include base` and then open
# only what the application needs. Everything here is also rampart's
# built-in default, written out so that authors can read it and so that
# `rampart profile show base` explains itself.

# A new namespace of every kind; nothing is shared with the host.
namespaces user pid mnt net ipc uts cgroup

# An unprivileged identity. uid 0 is only ever used when a profile says so.
user 65534:65534
groups none

# No capability survives, in any of the five sets; no privilege can be
# regained through setuid or file capabilities.
caps none
nnp on

# Syscalls: an allowlist (profiles/seccomp/*.group). Anything the syscall
# table knows but the list leaves out fails with EPERM; a syscall newer
# than the table fails with ENOSYS so libc falls back; other ABIs (i386,
# x32) are killed. See docs/seccomp.md.
seccomp on
seccomp default errno EPERM
seccomp allow @default
# Only the socket families ordinary programs use.
seccomp allow socket arg0 == AF_UNIX
seccomp allow socket arg0 == AF_INET
seccomp allow socket arg0 == AF_INET6
seccomp allow socket arg0 == AF_NETLINK
# personality: only the harmless personas (and the query).
seccomp allow personality arg0 == PER_LINUX
seccomp allow personality arg0 == PER_LINUX32
seccomp allow personality arg0 == UNAME26
seccomp allow personality arg0 == PER_LINUX32|UNAME26
seccomp allow personality arg0 == PER_QUERY
# No new namespaces: clone with a CLONE_NEW* flag is refused; clone3 hides
# its flags in memory a filter cannot read, so it answers ENOSYS and libc
# falls back to clone.
seccomp deny clone3 errno ENOSYS
seccomp deny clone arg0 & CLONE_NEWNS == CLONE_NEWNS
seccomp deny clone arg0 & CLONE_NEWUSER == CLONE_NEWUSER
seccomp deny clone arg0 & CLONE_NEWPID == CLONE_NEWPID
seccomp deny clone arg0 & CLONE_NEWNET == CLONE_NEWNET
seccomp deny clone arg0 & CLONE_NEWIPC == CLONE_NEWIPC
seccomp deny clone arg0 & CLONE_NEWUTS == CLONE_NEWUTS
seccomp deny clone arg0 & CLONE_NEWCGROUP == CLONE_NEWCGROUP
# Terminal injection (TIOCSTI) and the console ioctl. The request is an
# unsigned int: compare the low 32 bits only, so high garbage bits cannot
# slip a request past the rule.
seccomp deny ioctl arg1 & 0xffffffff == TIOCSTI
seccomp deny ioctl arg1 & 0xffffffff == TIOCLINUX

# The image is read-only; writable places are tmpfs mounts the app names.
# The container sees it through an overlay with every setuid/setgid bit and
# file capability cleared (the image itself is never modified).
rootfs readonly
setuid strip
tmpfs /tmp size=64M mode=1777

# No core dumps (they would hold the process's secrets); a sane fd limit.
rlimit core 0
rlimit nofile 1024:4096

hostname rampart
cwd /
init on
