# rich: most directives with non-default values, for the print round trip.
include fx_base
namespaces user pid mnt ipc uts
userns map uid 0 200000 65536
userns map gid 0 300000 65536
userns map uid 70000 400000 10
user app:extra
groups extra 42 "audio video"
caps keep NET_BIND_SERVICE cap_chown sys_ptrace
nnp off
seccomp default errno EACCES
seccomp allow execve read write
seccomp allow socket arg0 == 1
seccomp allow personality arg0 != 0x8 arg1 >= 3
seccomp deny ptrace
seccomp deny kexec_load kill
seccomp deny ioctl arg1 & 0xffffffff == 0x5412
rlimit nofile 1024:4096
rlimit nproc 64:unlimited
rlimit stack 8M
rlimit core unlimited
rootfs writable
tmpfs /tmp size=64M mode=1777
tmpfs /run/app/ exec ro
tmpfs /var/cache mode=0
bind /srv/data /data rw noexec
bind "/srv/with space#x" //mnt//x norecursive
mask /proc/kcore /secret
readonly /etc /usr/local
hostname web-1.example
cwd /srv//app/
env PATH=/usr/bin:/bin
env "GREETING=hello \"world\" # not a comment"
env BACKSLASH=a\b
env EMPTY=
env TAB="a	b"
init off
