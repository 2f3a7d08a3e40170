# sqlite: a sqlite3 batch job (build, aggregate and report on a database).
#
# Proven by tests/integration/test_apps.sh on the Debian bookworm rootfs of
# scripts/mkapps-rootfs: the service starts under this profile with only
# loopback networking, its real client works against it, it shuts down
# cleanly, and it cannot write outside its tmpfs, run as root, hold a
# capability or call ptrace/mount.
#
# The allowlist below was learned, then reviewed by hand, with
#   tests/apps/learn-profile -w sqlite
# which runs (DRAFT = this file down to the "learned allowlist" line)
#   rampart learn --profile DRAFT --set 'bind tests/apps /apps' \
#       -o OUT build/apps-rootfs -- /apps/sqlite/run
# The workload tests/apps/sqlite/run execs the service (so it is the process
# rampart watches) with a client side in the background that drives it with
# its real client, checks its posture and stops it: one run covers start,
# serve and clean shutdown. The helpers (sh, coreutils, curl/busybox) are in
# the list too. Re-learn after an upgrade with
#   rampart learn --update profiles/apps/sqlite.profile ... (same workload)
# and review the diff (docs/profiles.md).
include base

# Never root: the service starts as this user directly (no privilege drop
# of its own is needed, and it binds ports >= 1024 on 127.0.0.1 only).
user 65534:65534

# The image is read-only (base); the service writes only here.
# /tmp: the database and its journal.
# (mode 1777: a tmpfs belongs to the container's root, the service user
# must be able to create files in it)
tmpfs /tmp size=32M mode=1777

# Limits. This host's cgroup v2 hierarchy offers no memory, pids or cpu controller
# (a v1/v2 hybrid), so they are optional: where the controllers exist they
# are enforced, elsewhere rampart says loudly that it runs without them.
limit memory 128M
limit pids 16
limit cpu 1
cgroup optional

# ---- learned allowlist ----
seccomp on
seccomp clear allow
# The learner also saw (for review):
#   clone flags seen: 0x1200011 (9)

# @basic-io: reading and writing open fds.
seccomp allow read	# 91 calls
seccomp allow write	# 31 calls
seccomp allow close	# 157 calls
seccomp allow lseek	# 4 calls
seccomp allow pread64	# 72 calls
seccomp allow pwrite64	# 76 calls
seccomp allow dup2	# 21 calls

# @file-system: opening, inspecting and (in its tmpfs) creating files.
seccomp allow access	# 21 calls
seccomp allow fcntl	# 79 calls
seccomp allow fdatasync	# 12 calls
seccomp allow getcwd	# 1 call
seccomp allow unlink	# 3 calls
seccomp allow statfs	# 6 calls
seccomp allow fadvise64	# 2 calls
seccomp allow openat	# 88 calls
seccomp allow mknodat	# 1 call
seccomp allow newfstatat	# 183 calls
seccomp allow unlinkat	# 1 call
seccomp allow utimensat	# 5 calls

# @memory: its own memory (allocator, loader, thread stacks).
seccomp allow mmap	# 215 calls
seccomp allow mprotect	# 67 calls
seccomp allow munmap	# 20 calls
seccomp allow brk	# 52 calls
seccomp allow mremap	# 1 call

# @process: fork/exec of the workload and its helpers, threads, its own ids
# and limits. prctl only with the options seen (0x4 PR_SET_DUMPABLE,
# 0xf PR_SET_NAME, 0x17 PR_CAPBSET_READ; none can regain a privilege).
seccomp allow getpid	# 9 calls
seccomp allow clone	# 9 calls
seccomp allow vfork	# 6 calls
seccomp allow execve	# 19 calls
seccomp allow wait4	# 28 calls
seccomp allow getuid	# 3 calls
seccomp allow getgid	# 1 call
seccomp allow geteuid	# 5 calls
seccomp allow getegid	# 1 call
seccomp allow getppid	# 1 call
seccomp allow arch_prctl	# 16 calls
seccomp allow set_tid_address	# 16 calls
seccomp allow exit_group	# 16 calls
seccomp allow set_robust_list	# 25 calls
seccomp allow prlimit64	# 16 calls
seccomp allow rseq	# 16 calls

# @ipc: pipes between the helpers, futexes for threads, eventfds.
seccomp allow pipe2	# 8 calls

# @signal: handlers (the clean shutdown is signal-driven) and masks.
seccomp allow rt_sigaction	# 13 calls
seccomp allow rt_sigprocmask	# 18 calls
seccomp allow rt_sigreturn	# 14 calls
seccomp allow sigaltstack	# 1 call

# @timer: clocks, sleeps, timers.
seccomp allow clock_nanosleep	# 1 call

# @network-io: the listening socket and the client connections (socket
# families: only those seen; the netlink/unix rules of base are gone).
seccomp allow connect	# 4 calls
seccomp allow socket arg0 == AF_UNIX	# 4 calls

# In no group: getrandom (hash seeds, TLS-free randomness) and ioctl, narrowed
# to the requests the run made (0x5401 TCGETS: isatty; 0x5421 FIONBIO,
# 0x5452 FIOASYNC, 0x541b FIONREAD: socket modes; 0x5413 TIOCGWINSZ).
seccomp allow getrandom	# 16 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5401	# 5 calls
