# python-http: Python's http.server (python3 -m http.server), a static file server.
#
# Proven by tests/integration/test_apps.sh on the Debian bookworm rootfs of
# scripts/mkapps-rootfs: the service starts under this profile with only
# loopback networking, its real client works against it, it shuts down
# cleanly, and it cannot write outside its tmpfs, run as root, hold a
# capability or call ptrace/mount.
#
# The allowlist below was learned, then reviewed by hand, with
#   tests/apps/learn-profile -w python-http
# which runs (DRAFT = this file down to the "learned allowlist" line)
#   rampart learn --profile DRAFT --set 'bind tests/apps /apps' \
#       -o OUT build/apps-rootfs -- /apps/python-http/run
# The workload tests/apps/python-http/run execs the service (so it is the process
# rampart watches) with a client side in the background that drives it with
# its real client, checks its posture and stops it: one run covers start,
# serve and clean shutdown. The helpers (sh, coreutils, curl/busybox) are in
# the list too. Re-learn after an upgrade with
#   rampart learn --update profiles/apps/python-http.profile ... (same workload)
# and review the diff (docs/profiles.md).
include base

# Never root: the service starts as this user directly (no privilege drop
# of its own is needed, and it binds ports >= 1024 on 127.0.0.1 only).
user 65534:65534

# The image is read-only (base); the service writes only here.
# /tmp holds the content it serves in the test (/tmp/www).
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
#   clone flags seen: 0x1200011 (15) 0x3d0f00 (3)

# @basic-io: reading and writing open fds.
seccomp allow read	# 691 calls
seccomp allow write	# 512 calls
seccomp allow close	# 444 calls
seccomp allow lseek	# 174 calls
seccomp allow pread64	# 42 calls
seccomp allow dup2	# 34 calls

# @file-system: opening, inspecting and (in its tmpfs) creating files.
seccomp allow access	# 24 calls
seccomp allow fcntl	# 68 calls
seccomp allow getcwd	# 2 calls
seccomp allow chdir	# 1 call
seccomp allow mkdir	# 2 calls
seccomp allow readlink	# 6 calls
seccomp allow umask	# 2 calls
seccomp allow statfs	# 6 calls
seccomp allow getdents64	# 30 calls
seccomp allow fadvise64	# 4 calls
seccomp allow openat	# 337 calls
seccomp allow newfstatat	# 863 calls
seccomp allow unlinkat	# 1 call
seccomp allow utimensat	# 5 calls

# @memory: its own memory (allocator, loader, thread stacks).
seccomp allow mmap	# 788 calls
seccomp allow mprotect	# 209 calls
seccomp allow munmap	# 33 calls
seccomp allow brk	# 95 calls
seccomp allow madvise	# 4 calls

# @process: fork/exec of the workload and its helpers, threads, its own ids
# and limits. prctl only with the options seen (0x4 PR_SET_DUMPABLE,
# 0xf PR_SET_NAME, 0x17 PR_CAPBSET_READ; none can regain a privilege).
seccomp allow getpid	# 1 call
seccomp allow clone	# 18 calls
seccomp allow vfork	# 7 calls
seccomp allow execve	# 24 calls
seccomp allow exit	# 3 calls
seccomp allow wait4	# 39 calls
seccomp allow kill	# 1 call
seccomp allow uname	# 1 call
seccomp allow sysinfo	# 5 calls
seccomp allow getuid	# 2 calls
seccomp allow getgid	# 2 calls
seccomp allow geteuid	# 7 calls
seccomp allow getegid	# 2 calls
seccomp allow getppid	# 1 call
seccomp allow arch_prctl	# 21 calls
seccomp allow gettid	# 11 calls
seccomp allow set_tid_address	# 21 calls
seccomp allow exit_group	# 23 calls
seccomp allow set_robust_list	# 39 calls
seccomp allow prlimit64	# 21 calls
seccomp allow rseq	# 24 calls

# @ipc: pipes between the helpers, futexes for threads, eventfds.
seccomp allow futex	# 95 calls
seccomp allow pipe2	# 12 calls

# @signal: handlers (the clean shutdown is signal-driven) and masks.
seccomp allow rt_sigaction	# 187 calls
seccomp allow rt_sigprocmask	# 34 calls
seccomp allow rt_sigreturn	# 21 calls

# @timer: clocks, sleeps, timers.
seccomp allow clock_nanosleep	# 1 call

# @io-event: the event loop (epoll/poll/select).
seccomp allow poll	# 37 calls
seccomp allow epoll_create1	# 1 call

# @network-io: the listening socket and the client connections (socket
# families: only those seen; the netlink/unix rules of base are gone).
seccomp allow connect	# 16 calls
seccomp allow sendto	# 24 calls
seccomp allow recvfrom	# 18 calls
seccomp allow shutdown	# 3 calls
seccomp allow bind	# 1 call
seccomp allow listen	# 1 call
seccomp allow getsockname	# 14 calls
seccomp allow getpeername	# 6 calls
seccomp allow socketpair	# 4 calls
seccomp allow setsockopt	# 20 calls
seccomp allow getsockopt	# 4 calls
seccomp allow accept4	# 3 calls
seccomp allow socket arg0 == AF_UNIX	# 10 calls
seccomp allow socket arg0 == AF_INET	# 7 calls

# In no group: getrandom (hash seeds, TLS-free randomness) and ioctl, narrowed
# to the requests the run made (0x5401 TCGETS: isatty; 0x5421 FIONBIO,
# 0x5452 FIOASYNC, 0x541b FIONREAD: socket modes; 0x5413 TIOCGWINSZ).
seccomp allow getrandom	# 27 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5401	# 91 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5413	# 10 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5451	# 1 calls
