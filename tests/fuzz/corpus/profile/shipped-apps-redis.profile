# redis: redis-server (Debian's redis-server package), an in-memory key-value store; no persistence.
#
# Proven by tests/integration/test_apps.sh on the Debian bookworm rootfs of
# scripts/mkapps-rootfs: the service starts under this profile with only
# loopback networking, its real client works against it, it shuts down
# cleanly, and it cannot write outside its tmpfs, run as root, hold a
# capability or call ptrace/mount.
#
# The allowlist below was learned, then reviewed by hand, with
#   tests/apps/learn-profile -w redis
# which runs (DRAFT = this file down to the "learned allowlist" line)
#   rampart learn --profile DRAFT --set 'bind tests/apps /apps' \
#       -o OUT build/apps-rootfs -- /apps/redis/run
# The workload tests/apps/redis/run execs the service (so it is the process
# rampart watches) with a client side in the background that drives it with
# its real client, checks its posture and stops it: one run covers start,
# serve and clean shutdown. The helpers (sh, coreutils, curl/busybox) are in
# the list too. Re-learn after an upgrade with
#   rampart learn --update profiles/apps/redis.profile ... (same workload)
# and review the diff (docs/profiles.md).
include base

# Never root: the service starts as this user directly (no privilege drop
# of its own is needed, and it binds ports >= 1024 on 127.0.0.1 only).
user redis

# The image is read-only (base); the service writes only here.
# /tmp: its working directory (dir /tmp); save and appendonly
# are off, so nothing else is written. /var/lib/redis stays read-only.
# (mode 1777: a tmpfs belongs to the container's root, the service user
# must be able to create files in it)
tmpfs /tmp size=16M mode=1777

# Limits. This host's cgroup v2 hierarchy offers no memory, pids or cpu controller
# (a v1/v2 hybrid), so they are optional: where the controllers exist they
# are enforced, elsewhere rampart says loudly that it runs without them.
limit memory 256M
limit pids 64
limit cpu 1
cgroup optional

# ---- learned allowlist ----
seccomp on
seccomp clear allow
# The learner also saw (for review):
#   clone flags seen: 0x1200011 (11) 0x3d0f00 (4)

# @basic-io: reading and writing open fds.
seccomp allow read	# 50563 calls
seccomp allow write	# 50090 calls
seccomp allow close	# 876 calls
seccomp allow lseek	# 3 calls
seccomp allow pread64	# 38 calls
seccomp allow dup2	# 31 calls

# @file-system: opening, inspecting and (in its tmpfs) creating files.
seccomp allow open	# 14 calls
seccomp allow access	# 21 calls
seccomp allow fcntl	# 564 calls
seccomp allow getcwd	# 2 calls
seccomp allow chdir	# 1 call
seccomp allow readlink	# 7 calls
seccomp allow umask	# 2 calls
seccomp allow statfs	# 4 calls
seccomp allow openat	# 276 calls
seccomp allow newfstatat	# 226 calls
seccomp allow unlinkat	# 1 call
seccomp allow utimensat	# 6 calls

# @memory: its own memory (allocator, loader, thread stacks).
seccomp allow mmap	# 720 calls
seccomp allow mprotect	# 173 calls
seccomp allow munmap	# 34 calls
seccomp allow brk	# 50 calls
seccomp allow madvise	# 27 calls

# @process: fork/exec of the workload and its helpers, threads, its own ids
# and limits. prctl only with the options seen (0x4 PR_SET_DUMPABLE,
# 0xf PR_SET_NAME, 0x17 PR_CAPBSET_READ; none can regain a privilege).
seccomp allow getpid	# 40 calls
seccomp allow clone	# 15 calls
seccomp allow vfork	# 7 calls
seccomp allow execve	# 22 calls
seccomp allow wait4	# 33 calls
seccomp allow sysinfo	# 1 call
seccomp allow getuid	# 1 call
seccomp allow getgid	# 1 call
seccomp allow geteuid	# 2 calls
seccomp allow getegid	# 1 call
seccomp allow getppid	# 1 call
seccomp allow arch_prctl	# 19 calls
seccomp allow sched_getaffinity	# 7 calls
seccomp allow set_tid_address	# 19 calls
seccomp allow exit_group	# 18 calls
seccomp allow set_robust_list	# 34 calls
seccomp allow prlimit64	# 392 calls
seccomp allow rseq	# 23 calls
seccomp allow prctl arg0 == 0x17	# 42 calls
seccomp allow prctl arg0 == 0xf	# 4 calls

# @ipc: pipes between the helpers, futexes for threads, eventfds.
seccomp allow futex	# 23 calls
seccomp allow pipe2	# 11 calls

# @signal: handlers (the clean shutdown is signal-driven) and masks.
seccomp allow rt_sigaction	# 24 calls
seccomp allow rt_sigprocmask	# 39 calls
seccomp allow rt_sigreturn	# 16 calls
seccomp allow sigaltstack	# 1 call

# @timer: clocks, sleeps, timers.
seccomp allow setitimer	# 1 call
seccomp allow clock_nanosleep	# 1 call

# @io-event: the event loop (epoll/poll/select).
seccomp allow poll	# 7 calls
seccomp allow epoll_create	# 2 calls
seccomp allow epoll_wait	# 39108 calls
seccomp allow epoll_ctl	# 251001 calls

# @network-io: the listening socket and the client connections (socket
# families: only those seen; the netlink/unix rules of base are gone).
seccomp allow connect	# 264 calls
seccomp allow sendto	# 50005 calls
seccomp allow recvfrom	# 50005 calls
seccomp allow bind	# 1 call
seccomp allow listen	# 1 call
seccomp allow getpeername	# 255 calls
seccomp allow setsockopt	# 1297 calls
seccomp allow getsockopt	# 2 calls
seccomp allow accept4	# 295 calls
seccomp allow socket arg0 == AF_INET	# 258 calls

# In no group: getrandom (hash seeds, TLS-free randomness) and ioctl, narrowed
# to the requests the run made (0x5401 TCGETS: isatty; 0x5421 FIONBIO,
# 0x5452 FIOASYNC, 0x541b FIONREAD: socket modes; 0x5413 TIOCGWINSZ).
seccomp allow getrandom	# 14 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5401	# 9 calls
