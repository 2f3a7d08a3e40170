# nodejs: Node.js 18 (Debian's nodejs), a plain `http` server script.
#
# Proven by tests/integration/test_apps.sh on the Debian bookworm rootfs of
# scripts/mkapps-rootfs: the service starts under this profile with only
# loopback networking, its real client works against it, it shuts down
# cleanly, and it cannot write outside its tmpfs, run as root, hold a
# capability or call ptrace/mount.
#
# The allowlist below was learned, then reviewed by hand, with
#   tests/apps/learn-profile -w nodejs
# which runs (DRAFT = this file down to the "learned allowlist" line)
#   rampart learn --profile DRAFT --set 'bind tests/apps /apps' \
#       -o OUT build/apps-rootfs -- /apps/nodejs/run
# The workload tests/apps/nodejs/run execs the service (so it is the process
# rampart watches) with a client side in the background that drives it with
# its real client, checks its posture and stops it: one run covers start,
# serve and clean shutdown. The helpers (sh, coreutils, curl/busybox) are in
# the list too. Re-learn after an upgrade with
#   rampart learn --update profiles/apps/nodejs.profile ... (same workload)
# and review the diff (docs/profiles.md).
#
# The workload: node tests/apps/nodejs/server.js, a plain `http` server
# streaming files from /tmp/www; curl fetches a page, a 1 MiB file and a
# 404; SIGTERM closes the server (exit 0).
include base

# Never root: Debian's nodejs has no system user of its own, so nobody
# (65534); it binds 127.0.0.1:3000 (>= 1024) only.
user 65534:65534

# The image is read-only (base); the service writes only here.
# /tmp: the content it serves (the test writes it); node itself writes
# nothing (no npm cache, no REPL history).
# (mode 1777: a tmpfs belongs to the container's root, the service user
# must be able to create files in it)
tmpfs /tmp size=16M mode=1777

# Limits. This host's cgroup v2 hierarchy offers no memory, pids or cpu controller
# (a v1/v2 hybrid), so they are optional: where the controllers exist they
# are enforced, elsewhere rampart says loudly that it runs without them.
# node: V8's heap plus libuv's pool of 4 threads and V8's 4 platform
# threads.
limit memory 256M
limit pids 32
limit cpu 1
cgroup optional

# ---- learned allowlist ----
seccomp on
seccomp clear allow
# The learner also saw (for review):
#   clone flags seen: 0x1200011 (17) 0x3d0f00 (10)
# Reviewed by hand: the "review:" notes below; clone flags
#   0x1200011 fork: the wrapper's commands; 0x3d0f00 threads (libuv's pool
#   and V8's platform workers). No CLONE_NEW*. No prctl at all.

# @basic-io: reading and writing open fds.
seccomp allow read	# 683 calls
seccomp allow write	# 654 calls
seccomp allow close	# 475 calls
seccomp allow lseek	# 12 calls
seccomp allow pread64	# 280 calls
seccomp allow writev	# 4 calls
seccomp allow dup2	# 41 calls

# @file-system: opening, inspecting and (in its tmpfs) creating files.
seccomp allow access	# 28 calls
seccomp allow fcntl	# 111 calls
seccomp allow getcwd	# 1 call
seccomp allow chdir	# 1 call
seccomp allow mkdir	# 2 calls
seccomp allow readlink	# 3 calls
seccomp allow umask	# 2 calls
seccomp allow statfs	# 6 calls
seccomp allow fadvise64	# 4 calls
seccomp allow openat	# 357 calls
seccomp allow newfstatat	# 428 calls
seccomp allow unlinkat	# 1 call
seccomp allow utimensat	# 6 calls
# review: statx: libuv's fs.stat (the file server stats every request).
seccomp allow statx	# 9 calls

# @memory: its own memory (allocator, loader, thread stacks).
seccomp allow mmap	# 1155 calls
seccomp allow mprotect	# 402 calls
seccomp allow munmap	# 76 calls
seccomp allow brk	# 138 calls
seccomp allow madvise	# 51 calls
# review: pkey_alloc: V8 asks once for a memory protection key (to write-protect
# its JIT code); harmless: a key only restricts the caller.
seccomp allow pkey_alloc	# 1 call

# @process: fork/exec of the workload and its helpers, threads, its own ids
# and limits. prctl only with the options seen (0x4 PR_SET_DUMPABLE,
# 0xf PR_SET_NAME, 0x17 PR_CAPBSET_READ; none can regain a privilege).
seccomp allow sched_yield	# 1 call
seccomp allow getpid	# 27 calls
seccomp allow clone	# 27 calls
seccomp allow vfork	# 9 calls
seccomp allow execve	# 28 calls
seccomp allow exit	# 9 calls
seccomp allow wait4	# 47 calls
seccomp allow kill	# 1 call
seccomp allow uname	# 2 calls
seccomp allow sysinfo	# 6 calls
seccomp allow getuid	# 13 calls
seccomp allow getgid	# 13 calls
seccomp allow geteuid	# 20 calls
seccomp allow getegid	# 13 calls
seccomp allow getppid	# 1 call
# review: capget: node reads its own capabilities at start (it ignores
# NODE_OPTIONS and the like when it holds any); a query.
seccomp allow capget	# 12 calls
seccomp allow arch_prctl	# 25 calls
seccomp allow set_tid_address	# 25 calls
seccomp allow exit_group	# 27 calls
seccomp allow set_robust_list	# 52 calls
seccomp allow prlimit64	# 36 calls
seccomp allow rseq	# 35 calls

# @ipc: pipes between the helpers, futexes for threads, eventfds.
seccomp allow futex	# 346 calls
seccomp allow eventfd2	# 3 calls
seccomp allow pipe2	# 18 calls

# @signal: handlers (the clean shutdown is signal-driven) and masks.
seccomp allow rt_sigaction	# 224 calls
seccomp allow rt_sigprocmask	# 73 calls
seccomp allow rt_sigreturn	# 25 calls

# @timer: clocks, sleeps, timers.
seccomp allow clock_nanosleep	# 2 calls

# @io-event: the event loop (epoll/poll/select).
seccomp allow poll	# 49 calls
seccomp allow epoll_wait	# 77 calls
seccomp allow epoll_ctl	# 16 calls
seccomp allow epoll_create1	# 3 calls

# @network-io: the listening socket and the client connections (socket
# families: only those seen; the netlink/unix rules of base are gone).
seccomp allow connect	# 18 calls
seccomp allow sendto	# 4 calls
seccomp allow recvfrom	# 19 calls
# review: shutdown: half-closing keep-alive connections (server.close).
seccomp allow shutdown	# 4 calls
seccomp allow bind	# 1 call
seccomp allow listen	# 1 call
seccomp allow getsockname	# 12 calls
seccomp allow getpeername	# 8 calls
seccomp allow socketpair	# 6 calls
seccomp allow setsockopt	# 29 calls
seccomp allow getsockopt	# 6 calls
seccomp allow accept4	# 8 calls
seccomp allow socket arg0 == AF_UNIX	# 12 calls
seccomp allow socket arg0 == AF_INET	# 7 calls

# In no group: getrandom (hash seeds, TLS-free randomness) and ioctl, narrowed
# to the requests the run made (0x5401 TCGETS: isatty; 0x5421 FIONBIO,
# 0x5452 FIOASYNC, 0x541b FIONREAD: socket modes; 0x5413 TIOCGWINSZ).
seccomp allow getrandom	# 32 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5401	# 13 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5413	# 6 calls
