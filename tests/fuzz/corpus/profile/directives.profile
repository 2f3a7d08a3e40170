# every directive, with options
include default
namespaces user pid mnt net ipc uts cgroup
share net ipc
userns map 0 100000 65536
userns map uid 1 2 3
userns map gid 4 5 6
userns map clear
user www-data:www-data
user 33
groups none
groups audio "video group" 44
hostname web-2.example
rootfs readonly
rootfs writable
tmpfs /tmp size=64M mode=1777
tmpfs /run exec ro size=1K mode=0755
tmpfs /var//lib/ rw noexec
bind /srv /data ro
bind /srv/x /data/x rw exec norecursive
env PATH=/bin:/usr/bin
env "QUOTED=a \"b\" \\ c # d"
env EMPTY=
cwd /srv/app/
caps keep NET_BIND_SERVICE cap_chown sys_admin
caps none
nnp off
nnp on
init off
init yes
rlimit nofile 1024:4096
rlimit nproc unlimited
rlimit stack 8M:infinity
rlimit core 0
mask /proc/kcore /secret
readonly /etc /usr
limit memory 256M
limit memory-high max
limit swap 0
limit pids 128
limit cpu 1.5
limit cpu 0.25 period=50000
limit cpu quota=150000 period=100000
limit cpu max
limit cpu-weight 100
limit io-weight 10000
limit cpuset 0-1,3
limit io /dev/vda rbps=20M wbps=10M riops=1000 wiops=max
cgroup parent /rampart/web
cgroup optional
cgroup required
seccomp on
seccomp optimize linear
seccomp optimize tree
seccomp default kill
seccomp default errno EACCES
seccomp allow @default
seccomp allow read write openat
seccomp deny ptrace
seccomp deny kexec_load kill
seccomp deny mount errno 1
seccomp deny kill
seccomp deny reboot trap
seccomp deny swapon log
seccomp allow socket arg0 == AF_UNIX arg1 != SOCK_RAW
seccomp allow personality arg0 == PER_LINUX32|UNAME26
seccomp deny ioctl arg1 & 0xffffffff == TIOCSTI
seccomp deny clone arg0 & CLONE_NEWUSER == CLONE_NEWUSER errno ENOSYS
seccomp allow mmap arg2 <= 0x7 arg3 > 0 arg4 < 10 arg5 >= 1
seccomp clear allow
seccomp clear
seccomp off
