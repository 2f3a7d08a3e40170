# lighttpd: lighttpd, a static web server (foreground, single process).
#
# Proven by tests/integration/test_apps.sh on the Debian bookworm rootfs of
# scripts/mkapps-rootfs: the service starts under this profile with only
# loopback networking, its real client works against it, it shuts down
# cleanly, and it cannot write outside its tmpfs, run as root, hold a
# capability or call ptrace/mount.
#
# The allowlist below was learned, then reviewed by hand, with
#   tests/apps/learn-profile -w lighttpd
# which runs (DRAFT = this file down to the "learned allowlist" line)
#   rampart learn --profile DRAFT --set 'bind tests/apps /apps' \
#       -o OUT build/apps-rootfs -- /apps/lighttpd/run
# The workload tests/apps/lighttpd/run execs the service (so it is the process
# rampart watches) with a client side in the background that drives it with
# its real client, checks its posture and stops it: one run covers start,
# serve and clean shutdown. The helpers (sh, coreutils, curl/busybox) are in
# the list too. Re-learn after an upgrade with
#   rampart learn --update profiles/apps/lighttpd.profile ... (same workload)
# and review the diff (docs/profiles.md).
include base

# Never root: the service starts as this user directly (no privilege drop
# of its own is needed, and it binds ports >= 1024 on 127.0.0.1 only).
user www-data

# The image is read-only (base); the service writes only here.
# /tmp: upload dir and the content; errors go to stderr, no
# pid file. /var/cache/lighttpd and /var/log/lighttpd stay read-only.
# (mode 1777: a tmpfs belongs to the container's root, the service user
# must be able to create files in it)
tmpfs /tmp size=16M mode=1777

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
#   clone flags seen: 0x1200011 (17)

# @basic-io: reading and writing open fds.
seccomp allow read	# 434 calls
seccomp allow write	# 517 calls
seccomp allow close	# 356 calls
seccomp allow lseek	# 10 calls
seccomp allow pread64	# 48 calls
seccomp allow writev	# 3 calls
seccomp allow dup2	# 40 calls
seccomp allow sendfile	# 5 calls

# @file-system: opening, inspecting and (in its tmpfs) creating files.
seccomp allow access	# 26 calls
seccomp allow fcntl	# 72 calls
seccomp allow getcwd	# 2 calls
seccomp allow chdir	# 1 call
seccomp allow mkdir	# 2 calls
seccomp allow umask	# 2 calls
seccomp allow statfs	# 6 calls
seccomp allow fadvise64	# 4 calls
seccomp allow openat	# 228 calls
seccomp allow newfstatat	# 304 calls
seccomp allow unlinkat	# 1 call
seccomp allow utimensat	# 7 calls

# @memory: its own memory (allocator, loader, thread stacks).
seccomp allow mmap	# 755 calls
seccomp allow mprotect	# 204 calls
seccomp allow munmap	# 23 calls
seccomp allow brk	# 78 calls
# Not seen by the learning run, added by hand: every 64 s of the monotonic
# clock (seconds since boot a multiple of 64) lighttpd's maintenance calls
# malloc_trim(), which glibc does with madvise(MADV_DONTNEED). A short run
# that does not cross such a second never calls it; one on CI did, and died
# of SIGSYS. Only that advice: it gives memory back, never changes mappings.
seccomp allow madvise arg2 == MADV_DONTNEED

# @process: fork/exec of the workload and its helpers, threads, its own ids
# and limits. prctl only with the options seen (0x4 PR_SET_DUMPABLE,
# 0xf PR_SET_NAME, 0x17 PR_CAPBSET_READ; none can regain a privilege).
seccomp allow getpid	# 3 calls
seccomp allow clone	# 17 calls
seccomp allow vfork	# 7 calls
seccomp allow execve	# 25 calls
seccomp allow wait4	# 43 calls
seccomp allow kill	# 1 call
seccomp allow sysinfo	# 4 calls
seccomp allow getuid	# 5 calls
seccomp allow getgid	# 3 calls
seccomp allow geteuid	# 7 calls
seccomp allow getegid	# 2 calls
seccomp allow getppid	# 1 call
seccomp allow arch_prctl	# 23 calls
seccomp allow set_tid_address	# 23 calls
seccomp allow exit_group	# 25 calls
seccomp allow set_robust_list	# 40 calls
seccomp allow prlimit64	# 24 calls
seccomp allow rseq	# 23 calls

# @ipc: pipes between the helpers, futexes for threads, eventfds.
seccomp allow futex	# 68 calls
seccomp allow pipe2	# 15 calls

# @signal: handlers (the clean shutdown is signal-driven) and masks.
seccomp allow rt_sigaction	# 135 calls
seccomp allow rt_sigprocmask	# 21 calls
seccomp allow rt_sigreturn	# 25 calls

# @timer: clocks, sleeps, timers.
seccomp allow clock_nanosleep	# 1 call

# @io-event: the event loop (epoll/poll/select).
seccomp allow poll	# 32 calls
seccomp allow epoll_wait	# 14 calls
seccomp allow epoll_ctl	# 10 calls
seccomp allow epoll_create1	# 1 call

# @network-io: the listening socket and the client connections (socket
# families: only those seen; the netlink/unix rules of base are gone).
seccomp allow connect	# 12 calls
seccomp allow sendto	# 3 calls
seccomp allow recvfrom	# 17 calls
seccomp allow shutdown	# 3 calls
seccomp allow bind	# 1 call
seccomp allow listen	# 1 call
seccomp allow getsockname	# 9 calls
seccomp allow getpeername	# 6 calls
seccomp allow socketpair	# 4 calls
seccomp allow setsockopt	# 20 calls
seccomp allow getsockopt	# 5 calls
seccomp allow accept4	# 6 calls
seccomp allow socket arg0 == AF_UNIX	# 8 calls
seccomp allow socket arg0 == AF_INET	# 6 calls

# In no group: getrandom (hash seeds, TLS-free randomness) and ioctl, narrowed
# to the requests the run made (0x5401 TCGETS: isatty; 0x5421 FIONBIO,
# 0x5452 FIOASYNC, 0x541b FIONREAD: socket modes; 0x5413 TIOCGWINSZ).
seccomp allow getrandom	# 27 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5401	# 6 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5413	# 4 calls
