# syscalls: rampart's default syscall allowlist.
#
# Included by base.profile, and applied on its own to an OCI bundle whose
# config.json has no linux.seccomp (docs/oci.md): silence in a config is
# not permission to call everything.
#
# An allowlist (profiles/seccomp/*.group). Anything the syscall
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
