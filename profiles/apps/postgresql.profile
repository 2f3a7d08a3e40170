# postgresql: PostgreSQL 15 (Debian's postgresql), a fresh cluster in a tmpfs.
#
# Proven by tests/integration/test_apps.sh on the Debian bookworm rootfs of
# scripts/mkapps-rootfs: the service starts under this profile with only
# loopback networking, its real client works against it, it shuts down
# cleanly, and it cannot write outside its tmpfs, run as root, hold a
# capability or call ptrace/mount.
#
# The allowlist below was learned, then reviewed by hand, with
#   tests/apps/learn-profile -w postgresql
# which runs (DRAFT = this file down to the "learned allowlist" line)
#   rampart learn --profile DRAFT --set 'bind tests/apps /apps' \
#       -o OUT build/apps-rootfs -- /apps/postgresql/run
# The workload tests/apps/postgresql/run execs the service (so it is the process
# rampart watches) with a client side in the background that drives it with
# its real client, checks its posture and stops it: one run covers start,
# serve and clean shutdown. The helpers (sh, coreutils, curl/busybox) are in
# the list too. Re-learn after an upgrade with
#   rampart learn --update profiles/apps/postgresql.profile ... (same workload)
# and review the diff (docs/profiles.md).
#
# The workload: initdb into the tmpfs; psql creates, fills and queries a
# table over the unix socket; pgbench -i -s 1 and 200 transactions over TCP;
# autovacuum (every second) analyzes the table; CHECKPOINT and VACUUM;
# ALTER SYSTEM + pg_ctl reload; pg_ctl stop -m fast. A longer-lived server
# may do what this run did not (autovacuum did not, until the test made it
# run): after a denial, ask why, then add it or re-learn with --update.
include base

# Never root: postgres refuses to run as root anyway; it starts as the
# package's user directly, listens on 127.0.0.1:5432 and a unix socket.
user postgres

# The image is read-only (base); the service writes only here.
# /var/lib/postgresql: the cluster (initdb -D /var/lib/postgresql/data in
# the test: data files, WAL, pg_stat); /run/postgresql: the unix socket and
# its lock file (Debian's default socket directory, where psql looks).
# /dev/shm (rampart's, 64M): dynamic shared memory (posix). /tmp: the
# test's scratch files. The image's own cluster (/var/lib/postgresql/15/main,
# /etc/postgresql) is hidden or stays read-only.
# (mode 1777: a tmpfs belongs to the container's root, the service user
# must be able to create files in it)
tmpfs /var/lib/postgresql size=256M mode=1777
tmpfs /run/postgresql size=1M mode=1777
tmpfs /tmp size=16M mode=1777

# Limits. This host's cgroup v2 hierarchy offers no memory, pids or cpu controller
# (a v1/v2 hybrid), so they are optional: where the controllers exist they
# are enforced, elsewhere rampart says loudly that it runs without them.
# postgres: shared_buffers 32MB plus a few MB per backend, and the
# tmpfs pages of the cluster (up to 256M) and /dev/shm count too; a
# postmaster, 6 auxiliary processes, autovacuum workers and
# max_connections 20 backends (plus the test's helpers).
limit memory 512M
limit pids 64
limit cpu 2
cgroup optional

# ---- learned allowlist ----
seccomp on
seccomp clear allow
# The learner also saw (for review):
#   clone flags seen: 0x4111 (6) 0x1200011 (38) 0x3d0f00 (1)
# Reviewed by hand: the "review:" notes below; clone flags
#   0x4111 CLONE_VM|CLONE_VFORK|SIGCHLD: posix_spawn (pg_ctl, initdb);
#   0x1200011 fork: the postmaster's children and the wrapper's commands;
#   0x3d0f00 threads. No CLONE_NEW* (base refuses those in any case).

# @basic-io: reading and writing open fds.
seccomp allow read	# 3802 calls
seccomp allow write	# 19640 calls
seccomp allow close	# 6573 calls
seccomp allow lseek	# 8405 calls
seccomp allow pread64	# 6152 calls
seccomp allow pwrite64	# 8903 calls
seccomp allow dup	# 1000 calls
seccomp allow dup2	# 79 calls
seccomp allow pwritev	# 128 calls

# @file-system: opening, inspecting and (in its tmpfs) creating files.
seccomp allow access	# 289 calls
seccomp allow fcntl	# 160 calls
# review: fsync, fdatasync, sync_file_range, fallocate (and pwritev above):
# durable WAL and checkpoint writes (fsync is on, as in production).
seccomp allow fsync	# 140 calls
seccomp allow fdatasync	# 243 calls
# review: truncate, rename, mkdir, rmdir, unlink, chmod: the cluster's own
# files in its tmpfs (initdb, WAL recycling, ALTER SYSTEM's rename, the
# socket's mode); the image stays read-only whatever these are asked to do.
seccomp allow truncate	# 20 calls
seccomp allow ftruncate	# 10 calls
seccomp allow getcwd	# 80 calls
seccomp allow chdir	# 57 calls
seccomp allow rename	# 21 calls
seccomp allow mkdir	# 33 calls
seccomp allow rmdir	# 2 calls
seccomp allow unlink	# 586 calls
seccomp allow readlink	# 1 call
seccomp allow chmod	# 5 calls
seccomp allow umask	# 15 calls
seccomp allow statfs	# 4 calls
seccomp allow fstatfs	# 6 calls
seccomp allow getdents64	# 154 calls
seccomp allow fadvise64	# 2170 calls
seccomp allow openat	# 6486 calls
seccomp allow newfstatat	# 7477 calls
seccomp allow unlinkat	# 1 call
seccomp allow sync_file_range	# 542 calls
seccomp allow utimensat	# 7 calls
seccomp allow fallocate	# 10 calls

# @memory: its own memory (allocator, loader, thread stacks).
seccomp allow mmap	# 3130 calls
seccomp allow mprotect	# 715 calls
seccomp allow munmap	# 125 calls
seccomp allow brk	# 511 calls
seccomp allow mremap	# 3 calls
seccomp allow madvise	# 1 call

# @process: fork/exec of the workload and its helpers, threads, its own ids
# and limits. prctl only with the options seen (0x4 PR_SET_DUMPABLE,
# 0xf PR_SET_NAME, 0x17 PR_CAPBSET_READ; none can regain a privilege).
seccomp allow getpid	# 206 calls
seccomp allow clone	# 45 calls
seccomp allow vfork	# 30 calls
seccomp allow execve	# 46 calls
seccomp allow exit	# 1 call
seccomp allow wait4	# 137 calls
# review: kill: postmaster <-> children (latches, shutdown), pg_ctl -> postmaster;
# only within the container's pid namespace.
seccomp allow kill	# 275 calls
# review: getrusage: ANALYZE and autovacuum time themselves (learned only
# once the test made autovacuum run; a run without it missed this call).
seccomp allow getrusage	# 19 calls
seccomp allow getuid	# 32 calls
seccomp allow getgid	# 7 calls
seccomp allow geteuid	# 54 calls
seccomp allow getegid	# 7 calls
seccomp allow getppid	# 13 calls
# review: setsid: every child of the postmaster starts its own session.
seccomp allow setsid	# 25 calls
seccomp allow arch_prctl	# 46 calls
seccomp allow set_tid_address	# 46 calls
seccomp allow exit_group	# 73 calls
seccomp allow set_robust_list	# 85 calls
seccomp allow prlimit64	# 61 calls
seccomp allow rseq	# 47 calls
# review: prctl, the options seen: 0x1 PR_SET_PDEATHSIG (each child learns of
# the postmaster's death); 0x17 PR_CAPBSET_READ, 0x1b PR_GET_SECUREBITS,
# 0x27 PR_GET_NO_NEW_PRIVS and 0x2f PR_CAP_AMBIENT, narrowed by hand to
# arg1 == 1 (PR_CAP_AMBIENT_IS_SET): libcap's and libcap-ng's initialisers
# (postgres links libsystemd and, through PAM, libaudit); queries only.
seccomp allow prctl arg0 == 0x17	# 42 calls
seccomp allow prctl arg0 == 0x1b	# 6 calls
seccomp allow prctl arg0 == 0x27	# 6 calls
seccomp allow prctl arg0 == 0x2f arg1 == 1	# 6 calls
seccomp allow prctl arg0 == 0x1	# 25 calls

# @ipc: pipes between the helpers, futexes for threads, eventfds.
# review: shm*: the postmaster's small System V segment (its interlock against a
# second postmaster on the same data directory), in the container's own IPC
# namespace; the shared buffers are anonymous mmap, the dynamic shared
# memory lives in rampart's /dev/shm (dynamic_shared_memory_type posix).
seccomp allow shmget	# 5 calls
seccomp allow shmat	# 5 calls
seccomp allow shmctl	# 5 calls
seccomp allow shmdt	# 5 calls
seccomp allow futex	# 218 calls
seccomp allow pipe2	# 17 calls

# @signal: handlers (the clean shutdown is signal-driven) and masks.
seccomp allow rt_sigaction	# 1153 calls
seccomp allow rt_sigprocmask	# 352 calls
seccomp allow rt_sigreturn	# 96 calls
seccomp allow sigaltstack	# 1 call
# review: signalfd4: postgres 15 waits on its latches through a signalfd (SIGURG).
seccomp allow signalfd4	# 29 calls

# @timer: clocks, sleeps, timers.
# review: setitimer: statement, lock and idle timeouts.
seccomp allow setitimer	# 29 calls
seccomp allow clock_nanosleep	# 5 calls

# @io-event: the event loop (epoll/poll/select).
seccomp allow poll	# 104 calls
seccomp allow epoll_wait	# 1649 calls
seccomp allow epoll_ctl	# 114 calls
seccomp allow pselect6	# 46 calls
seccomp allow ppoll	# 1216 calls
seccomp allow epoll_create1	# 44 calls

# @network-io: the listening socket and the client connections (socket
# families: only those seen; the netlink/unix rules of base are gone).
seccomp allow connect	# 21 calls
# review: accept: the postmaster accepts with accept(2), not accept4.
seccomp allow accept	# 15 calls
seccomp allow sendto	# 3139 calls
seccomp allow recvfrom	# 5887 calls
seccomp allow bind	# 2 calls
seccomp allow listen	# 2 calls
seccomp allow getsockname	# 30 calls
seccomp allow setsockopt	# 45 calls
seccomp allow getsockopt	# 17 calls
seccomp allow socket arg0 == AF_INET	# 13 calls
seccomp allow socket arg0 == AF_UNIX	# 10 calls

# In no group: getrandom (hash seeds, TLS-free randomness) and ioctl, narrowed
# to the requests the run made (0x5401 TCGETS: isatty; 0x5421 FIONBIO,
# 0x5452 FIOASYNC, 0x541b FIONREAD: socket modes; 0x5413 TIOCGWINSZ).
seccomp allow getrandom	# 121 calls
seccomp allow ioctl arg1 & 0xffffffff == 0x5401	# 10848 calls
