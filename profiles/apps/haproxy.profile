# haproxy: HAProxy 2.6 (Debian's haproxy), an HTTP proxy in master-worker mode.
#
# Proven by tests/integration/test_apps.sh on the Debian bookworm rootfs of
# scripts/mkapps-rootfs: the service starts under this profile with only
# loopback networking, its real client works against it, it shuts down
# cleanly, and it cannot write outside its tmpfs, run as root, hold a
# capability or call ptrace/mount.
#
# The allowlist below was learned, then reviewed by hand, with
#   tests/apps/learn-profile -w haproxy
# which runs (DRAFT = this file down to the "learned allowlist" line)
#   rampart learn --profile DRAFT --set 'bind tests/apps /apps' \
#       -o OUT build/apps-rootfs -- /apps/haproxy/run
# The workload tests/apps/haproxy/run execs the service (so it is the process
# rampart watches) with a client side in the background that drives it with
# its real client, checks its posture and stops it: one run covers start,
# serve and clean shutdown. The helpers (sh, coreutils, curl/busybox) are in
# the list too. Re-learn after an upgrade with
#   rampart learn --update profiles/apps/haproxy.profile ... (same workload)
# and review the diff (docs/profiles.md).
#
# The workload: haproxy -W -db (master + a worker of 2 threads) in front of
# python's http.server; curl through it (a page, a 1 MiB file, the stats
# page and the backend's health check); a reload (SIGUSR2: the master
# re-executes itself, a new worker takes over); SIGUSR1, a graceful stop.
include base

# Never root: the service starts as this user directly (no `user`, `group`
# or `chroot` in its configuration, which would need CAP_SETUID and
# CAP_SYS_CHROOT); it binds 127.0.0.1:8090 (>= 1024) only.
user haproxy

# The image is read-only (base); haproxy itself writes nothing (no pid
# file, no stats socket, no logs). /tmp: the test's content, served by the
# python backend the workload starts beside it. /var/lib/haproxy (Debian's
# chroot directory) stays read-only.
# (mode 1777: a tmpfs belongs to the container's root, the service user
# must be able to create files in it)
tmpfs /tmp size=16M mode=1777

# Limits. This host's cgroup v2 hierarchy offers no memory, pids or cpu controller
# (a v1/v2 hybrid), so they are optional: where the controllers exist they
# are enforced, elsewhere rampart says loudly that it runs without them.
# haproxy: maxconn 256, master + one worker of 2 threads (two workers for a
# moment during a reload), and the backend.
limit memory 128M
limit pids 32
limit cpu 1
cgroup optional

# ---- learned allowlist ----
seccomp on
seccomp clear allow
# The learner also saw (for review):
#   clone flags seen: 0x1200011 (55) 0x3d0f00 (14)
# Reviewed by hand: the "review:" notes below; clone flags
#   0x1200011 fork: the master's workers, the backend and the wrapper's
#   commands; 0x3d0f00 threads (nbthread 2). No CLONE_NEW*.

# @basic-io: reading and writing open fds.
seccomp allow read	# 1572 calls
seccomp allow write	# 746 calls
seccomp allow close	# 1520 calls
seccomp allow lseek	# 228 calls
seccomp allow pread64	# 136 calls
seccomp allow dup2	# 118 calls

# @file-system: opening, inspecting and (in its tmpfs) creating files.
seccomp allow access	# 73 calls
seccomp allow fcntl	# 267 calls
seccomp allow getcwd	# 5 calls
seccomp allow chdir	# 3 calls
seccomp allow mkdir	# 2 calls
seccomp allow readlink	# 2 calls
seccomp allow umask	# 2 calls
seccomp allow statfs	# 10 calls
# review: getdents64: haproxy's built-in HTTP client loads the system CA
# directory (/usr/lib/ssl/certs) at start and reload; python's imports list
# directories too.
seccomp allow getdents64	# 34 calls
seccomp allow fadvise64	# 6 calls
seccomp allow openat	# 1081 calls
seccomp allow newfstatat	# 1706 calls
seccomp allow unlinkat	# 1 call
seccomp allow utimensat	# 7 calls

# @memory: its own memory (allocator, loader, thread stacks).
seccomp allow mmap	# 3412 calls
seccomp allow mprotect	# 935 calls
seccomp allow munmap	# 104 calls
seccomp allow brk	# 381 calls
seccomp allow madvise	# 16 calls

# @process: fork/exec of the workload and its helpers, threads, its own ids
# and limits. prctl only with the options seen (0x4 PR_SET_DUMPABLE,
# 0xf PR_SET_NAME, 0x17 PR_CAPBSET_READ; none can regain a privilege).
seccomp allow getpid	# 95 calls
seccomp allow clone	# 69 calls
seccomp allow vfork	# 16 calls
# review: execve: the helpers, and the master re-executing itself on reload
# (execvp: it tries /usr/local/sbin and /usr/local/bin first).
seccomp allow execve	# 76 calls
seccomp allow exit	# 14 calls
seccomp allow wait4	# 123 calls
# review: kill: the test's USR2/USR1 and master -> workers; only within the
# container's pid namespace.
seccomp allow kill	# 5 calls
seccomp allow uname	# 5 calls
seccomp allow sysinfo	# 23 calls
seccomp allow getuid	# 2 calls
seccomp allow getgid	# 2 calls
seccomp allow geteuid	# 21 calls
seccomp allow getegid	# 2 calls
seccomp allow getppid	# 5 calls
seccomp allow arch_prctl	# 68 calls
seccomp allow gettid	# 26 calls
# review: sched_getaffinity: haproxy sizes its thread groups to the CPUs it may use.
seccomp allow sched_getaffinity	# 4 calls
seccomp allow set_tid_address	# 68 calls
seccomp allow exit_group	# 71 calls
seccomp allow set_robust_list	# 137 calls
seccomp allow prlimit64	# 87 calls
seccomp allow rseq	# 82 calls
# review: prctl, the options seen: 0x17 PR_CAPBSET_READ (libcap's initialiser,
# a query) and 0x26 PR_SET_NO_NEW_PRIVS: haproxy sets it on itself (a
# restriction, already set by rampart).
seccomp allow prctl arg0 == 0x17	# 24 calls
seccomp allow prctl arg0 == 0x26	# 4 calls

# @ipc: pipes between the helpers, futexes for threads, eventfds.
seccomp allow futex	# 449 calls
seccomp allow pipe2	# 41 calls

# @signal: handlers (the clean shutdown is signal-driven) and masks.
seccomp allow rt_sigaction	# 864 calls
seccomp allow rt_sigprocmask	# 140 calls
seccomp allow rt_sigreturn	# 74 calls
seccomp allow sigaltstack	# 11 calls

# @timer: clocks, sleeps, timers.
# review: timer_create/settime/delete and clock_gettime: each thread's
# watchdog, a timer on its own CPU clock (CLOCK_THREAD_CPUTIME_ID is not
# answered by the vDSO).
seccomp allow timer_create	# 6 calls
seccomp allow timer_settime	# 6 calls
seccomp allow timer_delete	# 5 calls
seccomp allow clock_gettime	# 256 calls
seccomp allow clock_nanosleep	# 11 calls

# @io-event: the event loop (epoll/poll/select).
seccomp allow poll	# 151 calls
seccomp allow epoll_create	# 10 calls
seccomp allow epoll_wait	# 125 calls
seccomp allow epoll_ctl	# 56 calls
seccomp allow epoll_create1	# 1 call

# @network-io: the listening socket and the client connections (socket
# families: only those seen; the netlink/unix rules of base are gone).
seccomp allow connect	# 68 calls
seccomp allow sendto	# 235 calls
seccomp allow recvfrom	# 263 calls
seccomp allow sendmsg	# 3 calls
seccomp allow recvmsg	# 5 calls
seccomp allow shutdown	# 9 calls
seccomp allow bind	# 2 calls
seccomp allow listen	# 2 calls
seccomp allow getsockname	# 64 calls
seccomp allow getpeername	# 34 calls
seccomp allow socketpair	# 21 calls
seccomp allow setsockopt	# 123 calls
seccomp allow getsockopt	# 41 calls
seccomp allow accept4	# 59 calls
seccomp allow socket arg0 == AF_UNIX	# 38 calls
seccomp allow socket arg0 == AF_INET	# 35 calls
# review: AF_INET6: haproxy probes IPv6 at start (4 calls); it binds and
# connects over IPv4 only. AF_UNIX: libc's nscd probe (curl, python).
seccomp allow socket arg0 == AF_INET6	# 4 calls

# In no group: getrandom (hash seeds, TLS-free randomness) and ioctl, narrowed
# to the requests the run made (0x5401 TCGETS: isatty; 0x5421 FIONBIO,
# 0x5452 FIOASYNC, 0x541b FIONREAD: socket modes; 0x5413 TIOCGWINSZ).
seccomp allow getrandom	# 92 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5401	# 115 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5413	# 24 calls
