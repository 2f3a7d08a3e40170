# unbound: Unbound 1.17 (Debian's unbound), a DNS resolver answering a local zone.
#
# Proven by tests/integration/test_apps.sh on the Debian bookworm rootfs of
# scripts/mkapps-rootfs: the service starts under this profile with only
# loopback networking, its real client works against it, it shuts down
# cleanly, and it cannot write outside its tmpfs, run as root, hold a
# capability or call ptrace/mount.
#
# The allowlist below was learned, then reviewed by hand, with
#   tests/apps/learn-profile -w unbound
# which runs (DRAFT = this file down to the "learned allowlist" line)
#   rampart learn --profile DRAFT --set 'bind tests/apps /apps' \
#       -o OUT build/apps-rootfs -- /apps/unbound/run
# The workload tests/apps/unbound/run execs the service (so it is the process
# rampart watches) with a client side in the background that drives it with
# its real client, checks its posture and stops it: one run covers start,
# serve and clean shutdown. The helpers (sh, coreutils, curl/busybox) are in
# the list too. Re-learn after an upgrade with
#   rampart learn --update profiles/apps/unbound.profile ... (same workload)
# and review the diff (docs/profiles.md).
#
# The workload: unbound -d with tests/apps/unbound/unbound.conf (2 threads,
# a static local zone, remote control on 127.0.0.1:8953 without
# certificates); dig asks for A, AAAA, TXT (TCP), PTR and a missing name;
# unbound-control status, reload (and dig again), stop.
include base

# Never root: the service starts as this user directly (username "" and
# chroot "" in its configuration: no setuid, no chroot, which would need
# CAP_SETUID and CAP_SYS_CHROOT); it listens on 127.0.0.1:5353 (UDP and
# TCP, >= 1024; port 53 would need CAP_NET_BIND_SERVICE) and its control
# port 127.0.0.1:8953.
user unbound

# The image is read-only (base); unbound itself writes nothing (no pid
# file, logs on stderr, no trust anchor file to update: the local zone
# needs no DNSSEC). /tmp: scratch for the test's helpers. /etc/unbound and
# /var/lib/unbound stay read-only.
# (mode 1777: a tmpfs belongs to the container's root, the service user
# must be able to create files in it)
tmpfs /tmp size=16M mode=1777

# Limits. This host's cgroup v2 hierarchy offers no memory, pids or cpu controller
# (a v1/v2 hybrid), so they are optional: where the controllers exist they
# are enforced, elsewhere rampart says loudly that it runs without them.
# unbound: 2 threads, small caches (defaults: 4M msg + 8M rrset per
# server).
limit memory 128M
limit pids 32
limit cpu 1
cgroup optional

# ---- learned allowlist ----
seccomp on
seccomp clear allow
# The learner also saw (for review):
#   clone flags seen: 0x3d0f00 (30) 0x1200011 (21)
# Reviewed by hand: the "review:" notes below; clone flags
#   0x1200011 fork: the wrapper's commands; 0x3d0f00 threads (unbound's 2,
#   dig's). No CLONE_NEW*.

# @basic-io: reading and writing open fds.
seccomp allow read	# 940 calls
seccomp allow write	# 227 calls
seccomp allow close	# 1081 calls
seccomp allow lseek	# 8 calls
seccomp allow pread64	# 68 calls
seccomp allow writev	# 4 calls
seccomp allow dup2	# 50 calls

# @file-system: opening, inspecting and (in its tmpfs) creating files.
seccomp allow open	# 28 calls
seccomp allow access	# 36 calls
seccomp allow fcntl	# 88 calls
seccomp allow getcwd	# 1 call
seccomp allow chdir	# 6 calls
seccomp allow readlink	# 14 calls
seccomp allow umask	# 28 calls
seccomp allow statfs	# 4 calls
seccomp allow openat	# 723 calls
seccomp allow newfstatat	# 740 calls
seccomp allow unlinkat	# 1 call
seccomp allow utimensat	# 7 calls

# @memory: its own memory (allocator, loader, thread stacks).
seccomp allow mmap	# 2923 calls
seccomp allow mprotect	# 742 calls
seccomp allow munmap	# 71 calls
seccomp allow brk	# 145 calls
seccomp allow madvise	# 140 calls

# @process: fork/exec of the workload and its helpers, threads, its own ids
# and limits. prctl only with the options seen (0x4 PR_SET_DUMPABLE,
# 0xf PR_SET_NAME, 0x17 PR_CAPBSET_READ; none can regain a privilege).
seccomp allow sched_yield	# 5 calls
seccomp allow getpid	# 185 calls
seccomp allow clone	# 51 calls
seccomp allow vfork	# 22 calls
seccomp allow execve	# 36 calls
seccomp allow exit	# 30 calls
seccomp allow wait4	# 82 calls
seccomp allow kill	# 14 calls
seccomp allow sysinfo	# 18 calls
seccomp allow getuid	# 17 calls
seccomp allow getgid	# 17 calls
seccomp allow geteuid	# 18 calls
seccomp allow getegid	# 17 calls
seccomp allow getppid	# 1 call
seccomp allow arch_prctl	# 34 calls
seccomp allow gettid	# 4 calls
# review: sched_getaffinity: dig's and unbound's thread pools size themselves.
seccomp allow sched_getaffinity	# 28 calls
seccomp allow set_tid_address	# 34 calls
seccomp allow exit_group	# 44 calls
seccomp allow set_robust_list	# 85 calls
seccomp allow prlimit64	# 40 calls
seccomp allow rseq	# 64 calls
# review: prctl 0x17 PR_CAPBSET_READ: libcap's initialiser (unbound and
# unbound-control link libsystemd); a query.
seccomp allow prctl arg0 == 0x17	# 24 calls

# @ipc: pipes between the helpers, futexes for threads, eventfds.
seccomp allow futex	# 588 calls
seccomp allow eventfd2	# 28 calls
seccomp allow pipe2	# 64 calls

# @signal: handlers (the clean shutdown is signal-driven) and masks.
seccomp allow rt_sigaction	# 115 calls
seccomp allow rt_sigprocmask	# 253 calls
seccomp allow rt_sigreturn	# 42 calls
# review: rt_sigtimedwait: dig's signal thread.
seccomp allow rt_sigtimedwait	# 14 calls
seccomp allow sigaltstack	# 2 calls

# @timer: clocks, sleeps, timers.
seccomp allow clock_nanosleep	# 16 calls

# @io-event: the event loop (epoll/poll/select).
seccomp allow epoll_wait	# 160 calls
seccomp allow epoll_ctl	# 144 calls
# review: pselect6: unbound-control waiting for its answer.
seccomp allow pselect6	# 3 calls
seccomp allow epoll_create1	# 32 calls

# @network-io: the listening socket and the client connections (socket
# families: only those seen; the netlink/unix rules of base are gone).
seccomp allow connect	# 17 calls
seccomp allow sendto	# 38 calls
seccomp allow recvfrom	# 75 calls
seccomp allow recvmsg	# 19 calls
seccomp allow bind	# 19 calls
seccomp allow listen	# 2 calls
seccomp allow getsockname	# 16 calls
seccomp allow getpeername	# 14 calls
seccomp allow socketpair	# 4 calls
seccomp allow setsockopt	# 60 calls
seccomp allow getsockopt	# 5 calls
seccomp allow accept4	# 7 calls
# review: sendmmsg: dig (bind9's network manager) sending its queries.
seccomp allow sendmmsg	# 24 calls
seccomp allow socket arg0 == AF_INET	# 46 calls
# review: AF_INET6: dig probes IPv6 at start (one per dig); unbound itself
# has do-ip6: no and never opens one.
seccomp allow socket arg0 == AF_INET6	# 14 calls
seccomp allow socket arg0 == AF_UNIX	# 14 calls
# review: AF_NETLINK: unbound's getifaddrs() (2 calls at start: an
# RTM_GETLINK/RTM_GETADDR dump of the container's own netns, lo only).
seccomp allow socket arg0 == AF_NETLINK	# 2 calls

# In no group: getrandom (hash seeds, TLS-free randomness) and ioctl, narrowed
# to the requests the run made (0x5401 TCGETS: isatty; 0x5421 FIONBIO,
# 0x5452 FIOASYNC, 0x541b FIONREAD: socket modes; 0x5413 TIOCGWINSZ).
# review: getrandom: unbound takes its random numbers (query ids, source
# ports, hash seeds) from it a few bytes at a time: almost all of the count.
seccomp allow getrandom	# 141967 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5401	# 45 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5421	# 14 calls
