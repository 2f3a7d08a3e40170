# memcached: memcached, an in-memory cache (-m 32: the limit below leaves headroom).
#
# Proven by tests/integration/test_apps.sh on the Debian bookworm rootfs of
# scripts/mkapps-rootfs: the service starts under this profile with only
# loopback networking, its real client works against it, it shuts down
# cleanly, and it cannot write outside its tmpfs, run as root, hold a
# capability or call ptrace/mount.
#
# The allowlist below was learned, then reviewed by hand, with
#   tests/apps/learn-profile -w memcached
# which runs (DRAFT = this file down to the "learned allowlist" line)
#   rampart learn --profile DRAFT --set 'bind tests/apps /apps' \
#       -o OUT build/apps-rootfs -- /apps/memcached/run
# The workload tests/apps/memcached/run execs the service (so it is the process
# rampart watches) with a client side in the background that drives it with
# its real client, checks its posture and stops it: one run covers start,
# serve and clean shutdown. The helpers (sh, coreutils, curl/busybox) are in
# the list too. Re-learn after an upgrade with
#   rampart learn --update profiles/apps/memcached.profile ... (same workload)
# and review the diff (docs/profiles.md).
include base

# Never root: the service starts as this user directly (no privilege drop
# of its own is needed, and it binds ports >= 1024 on 127.0.0.1 only).
user memcache

# The image is read-only (base); the service writes only here.
# memcached writes nothing; a small /tmp is kept for the test's client side.
# (mode 1777: a tmpfs belongs to the container's root, the service user
# must be able to create files in it)
tmpfs /tmp size=1M mode=1777

# Limits. This host's cgroup v2 hierarchy offers no memory, pids or cpu controller
# (a v1/v2 hybrid), so they are optional: where the controllers exist they
# are enforced, elsewhere rampart says loudly that it runs without them.
limit memory 128M
limit pids 32
limit cpu 1
cgroup optional

# ---- learned allowlist ----
seccomp on
seccomp clear allow
# The learner also saw (for review):
#   clone flags seen: 0x1200011 (29) 0x3d0f00 (7)

# @basic-io: reading and writing open fds.
seccomp allow read	# 119 calls
seccomp allow write	# 47 calls
seccomp allow close	# 240 calls
seccomp allow lseek	# 7 calls
seccomp allow pread64	# 52 calls
seccomp allow dup	# 1 call
seccomp allow dup2	# 42 calls

# @file-system: opening, inspecting and (in its tmpfs) creating files.
seccomp allow access	# 28 calls
seccomp allow fcntl	# 24 calls
seccomp allow getcwd	# 1 call
seccomp allow statfs	# 4 calls
seccomp allow fadvise64	# 2 calls
seccomp allow openat	# 94 calls
seccomp allow newfstatat	# 159 calls
seccomp allow unlinkat	# 1 call
seccomp allow utimensat	# 5 calls

# @memory: its own memory (allocator, loader, thread stacks).
seccomp allow mmap	# 307 calls
seccomp allow mprotect	# 107 calls
seccomp allow munmap	# 34 calls
seccomp allow brk	# 78 calls

# @process: fork/exec of the workload and its helpers, threads, its own ids
# and limits. prctl only with the options seen (0x4 PR_SET_DUMPABLE,
# 0xf PR_SET_NAME, 0x17 PR_CAPBSET_READ; none can regain a privilege).
seccomp allow getpid	# 2 calls
seccomp allow clone	# 36 calls
seccomp allow vfork	# 3 calls
seccomp allow execve	# 29 calls
seccomp allow wait4	# 52 calls
seccomp allow kill	# 1 call
seccomp allow getrusage	# 1 call
seccomp allow getuid	# 19 calls
seccomp allow getgid	# 18 calls
seccomp allow setuid	# 5 calls
seccomp allow setgid	# 5 calls
seccomp allow geteuid	# 15 calls
seccomp allow getegid	# 13 calls
seccomp allow getppid	# 1 call
seccomp allow arch_prctl	# 26 calls
seccomp allow set_tid_address	# 26 calls
seccomp allow exit_group	# 32 calls
seccomp allow set_robust_list	# 62 calls
seccomp allow prlimit64	# 29 calls
seccomp allow rseq	# 33 calls

# @ipc: pipes between the helpers, futexes for threads, eventfds.
seccomp allow futex	# 15 calls
seccomp allow eventfd2	# 2 calls
seccomp allow pipe2	# 21 calls

# @signal: handlers (the clean shutdown is signal-driven) and masks.
seccomp allow rt_sigaction	# 26 calls
seccomp allow rt_sigprocmask	# 31 calls
seccomp allow rt_sigreturn	# 32 calls
seccomp allow alarm	# 9 calls
seccomp allow sigaltstack	# 3 calls

# @timer: clocks, sleeps, timers.
seccomp allow clock_nanosleep	# 67 calls

# @io-event: the event loop (epoll/poll/select).
seccomp allow poll	# 13 calls
seccomp allow epoll_wait	# 20 calls
seccomp allow epoll_ctl	# 12 calls
seccomp allow epoll_create1	# 3 calls

# @network-io: the listening socket and the client connections (socket
# families: only those seen; the netlink/unix rules of base are gone).
seccomp allow connect	# 5 calls
seccomp allow sendmsg	# 4 calls
seccomp allow bind	# 1 call
seccomp allow listen	# 1 call
seccomp allow getpeername	# 4 calls
seccomp allow setsockopt	# 9 calls
seccomp allow accept4	# 4 calls
seccomp allow socket arg0 == AF_INET	# 6 calls

# In no group: getrandom (hash seeds, TLS-free randomness) and ioctl, narrowed
# to the requests the run made (0x5401 TCGETS: isatty; 0x5421 FIONBIO,
# 0x5452 FIOASYNC, 0x541b FIONREAD: socket modes; 0x5413 TIOCGWINSZ).
seccomp allow getrandom	# 26 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5401	# 1 calls
