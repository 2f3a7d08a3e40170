/* battery - the breakout battery: known container-escape techniques, one per
 * case, tried from inside a rampart container (tests/security/README.md).
 *
 *   battery CASE          try one attack; print exactly one line and exit:
 *                           BLOCKED <case>: <how it was refused>     exit 0
 *                           SUCCEEDED <case>: <what happened>        exit 1
 *                           SKIPPED <case>: <why it could not run>   exit 77
 *   battery list          print the case names, one a line
 *   battery setuid-child  (helper the setuid and filecap cases exec through
 *                         their prepared copies) print "euid=N capeff=HEX"
 *
 * Two cases cannot report themselves: `int80` and `x32` must be killed by
 * the filter (SIGSYS), so they print only when they survive, and the suite
 * (tests/security/test_battery.sh) checks the signal.
 *
 * Each case names, in its comment, the layers expected to stop it under
 * base.profile; the first one listed is the one that answers first.
 * Every attack is chosen so that, were it to work, it changes nothing
 * outside the container: values written to host-global knobs are their
 * current values, injected terminal input goes to a private pty, the pid 1
 * it attaches to is rampart's reaper, the block device is only opened.
 *
 * Static, like tests/helpers/probe.c: the busybox rootfs has no libc.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

static const char *cur; /* the case being run */

static const char *en(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "E?";
}

static int say(const char *verdict, int rc, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (char *p = msg; *p; p++) /* exactly one line, whatever went in */
		if (*p == '\n')
			*p = ' ';
	printf("%s %s: %s\n", verdict, cur, msg);
	fflush(stdout);
	return rc;
}

__attribute__((format(printf, 1, 2))) static int blocked(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = say("BLOCKED", 0, fmt, ap);
	va_end(ap);
	return rc;
}

__attribute__((format(printf, 1, 2))) static int succeeded(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = say("SUCCEEDED", 1, fmt, ap);
	va_end(ap);
	return rc;
}

__attribute__((format(printf, 1, 2))) static int skipped(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = say("SKIPPED", 77, fmt, ap);
	va_end(ap);
	return rc;
}

/* A one-syscall attack: refused (with its errno) or not. */
static int single(long r, const char *what)
{
	if (r < 0)
		return blocked("%s: %s", what, en(errno));
	return succeeded("%s returned %ld", what, r);
}

/* "Cap...:\tHEX" from /proc/self/status, or "?" */
static void status_field(const char *field, char *out, size_t n)
{
	char line[256];
	size_t len = strlen(field);
	FILE *f = fopen("/proc/self/status", "re");

	snprintf(out, n, "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			char *v = line + len + 1;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = 0;
			snprintf(out, n, "%s", v);
			break;
		}
	fclose(f);
}

static int read_small(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = 0;
	return (int)r;
}

/* " (masked: character device M:m bound over it)" when PATH is a device
 * node rampart put over a /proc or /sys file, else "". */
static const char *mask_note(const char *path)
{
	static char note[96];
	struct stat st;

	note[0] = 0;
	if (stat(path, &st) == 0 && S_ISCHR(st.st_mode))
		snprintf(note, sizeof(note), " (masked: character device %u:%u bound over it)", major(st.st_rdev),
			 minor(st.st_rdev));
	return note;
}

/* ---- mounts and roots ------------------------------------------------- */

/* mount: a tmpfs over /tmp. Blocked by seccomp (mount is not in @default:
 * EPERM); behind it, no CAP_SYS_ADMIN in the container's user namespace. */
static int c_mount(void)
{
	return single(mount("none", "/tmp", "tmpfs", 0, NULL), "mount(tmpfs on /tmp)");
}

/* umount-proc: detach /proc to uncover what the masks hide. Blocked by
 * seccomp (umount2 not in @default: EPERM); behind it, no CAP_SYS_ADMIN. */
static int c_umount_proc(void)
{
	return single(umount2("/proc", MNT_DETACH), "umount2(/proc, MNT_DETACH)");
}

/* pivot-root: move the root elsewhere. Blocked by seccomp (pivot_root not in
 * @default: EPERM); behind it, no CAP_SYS_ADMIN. */
static int c_pivot_root(void)
{
	return single(syscall(SYS_pivot_root, "/tmp", "/tmp"), "pivot_root(/tmp, /tmp)");
}

/* chroot: the first step of the classic chroot + chdir("..") escape.
 * Blocked by seccomp (chroot not in @default: EPERM); behind it, no
 * CAP_SYS_CHROOT. If it ever succeeded, the escape loop is tried and its
 * result reported. */
static int c_chroot(void)
{
	struct stat orig, after;

	stat("/", &orig);
	if (chroot("/tmp") < 0)
		return blocked("chroot(/tmp): %s", en(errno));
	/* cwd is now outside the new root: walk up and re-root there. */
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			break;
	if (chroot(".") < 0)
		return succeeded("chroot(/tmp) succeeded (escape loop stopped: %s)", en(errno));
	stat("/", &after);
	if (after.st_dev == orig.st_dev && after.st_ino == orig.st_ino)
		return succeeded("chroot(/tmp) succeeded; chdir(..) x64 + chroot(.) led back to the container's own /");
	return succeeded("chroot(/tmp) succeeded; chdir(..) x64 + chroot(.) re-rooted ABOVE the container's / (dev %u:%u ino %lu)",
			 major(after.st_dev), minor(after.st_dev), (unsigned long)after.st_ino);
}

/* ---- namespaces ----------------------------------------------------- */

/* unshare-user: a new user namespace (full capabilities inside it, the usual
 * first step of a kernel exploit). Blocked by seccomp (unshare not in
 * @default: EPERM). */
static int c_unshare_user(void)
{
	return single(unshare(CLONE_NEWUSER), "unshare(CLONE_NEWUSER)");
}

/* unshare-mnt: a private mount namespace. Blocked by seccomp (EPERM);
 * behind it, no CAP_SYS_ADMIN. */
static int c_unshare_mnt(void)
{
	return single(unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)");
}

/* setns-mnt: join pid 1's mount namespace. Blocked twice: /proc/1/ns/mnt
 * cannot be opened (pid 1 is rampart's non-dumpable reaper: EACCES), and
 * setns itself is refused by seccomp (EPERM), tried on our own namespace. */
static int c_setns_mnt(void)
{
	int fd = open("/proc/1/ns/mnt", O_RDONLY | O_CLOEXEC);
	int e1 = errno;

	if (fd >= 0) {
		if (setns(fd, CLONE_NEWNS) == 0)
			return succeeded("setns into pid 1's mount namespace succeeded");
		return blocked("opened /proc/1/ns/mnt, but setns(CLONE_NEWNS): %s", en(errno));
	}
	fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return blocked("open /proc/1/ns/mnt: %s; open /proc/self/ns/mnt: %s", en(e1), en(errno));
	if (setns(fd, CLONE_NEWNS) == 0)
		return succeeded("open /proc/1/ns/mnt: %s, but setns(/proc/self/ns/mnt) was allowed", en(e1));
	return blocked("open /proc/1/ns/mnt: %s; setns(/proc/self/ns/mnt, CLONE_NEWNS): %s", en(e1), en(errno));
}

/* clone-newns: namespaces through clone() flags instead of unshare.
 * Blocked by seccomp's argument rules (clone arg0 & CLONE_NEW* denied:
 * EPERM). */
static int c_clone_newns(void)
{
	static const struct { unsigned long flags; const char *name; } tries[] = {
		{ CLONE_NEWNS, "CLONE_NEWNS" },
		{ CLONE_NEWUSER | CLONE_NEWNS, "CLONE_NEWUSER|CLONE_NEWNS" },
	};
	char msg[512] = "";

	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		long pid = syscall(SYS_clone, tries[i].flags | SIGCHLD, 0, 0, 0, 0);
		if (pid == 0)
			_exit(0);
		if (pid > 0) {
			waitpid((pid_t)pid, NULL, 0);
			return succeeded("clone(%s) created a child (pid %ld)", tries[i].name, pid);
		}
		size_t l = strlen(msg);
		snprintf(msg + l, sizeof(msg) - l, "%sclone(%s): %s", l ? "; " : "", tries[i].name, en(errno));
	}
	return blocked("%s", msg);
}

/* clone3: its flags live in memory a filter cannot read. Blocked by
 * seccomp (base.profile: clone3 answers ENOSYS, so libc falls back to
 * clone). Tried with CLONE_NEWUSER|CLONE_NEWNS in the struct. */
static int c_clone3(void)
{
	struct { /* struct clone_args, version 0 */
		uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	} ca;
	long pid;

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_NEWUSER | CLONE_NEWNS;
	ca.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		waitpid((pid_t)pid, NULL, 0);
		return succeeded("clone3(CLONE_NEWUSER|CLONE_NEWNS) created a child (pid %ld)", pid);
	}
	return blocked("clone3(CLONE_NEWUSER|CLONE_NEWNS): %s", en(errno));
}

/* userns-caps: regain capabilities by entering a fresh user namespace.
 * Blocked by seccomp (unshare: EPERM); were it allowed, CapEff would be
 * full inside the new namespace. */
static int c_userns_caps(void)
{
	char eff[64];

	if (unshare(CLONE_NEWUSER) < 0)
		return blocked("unshare(CLONE_NEWUSER): %s; CapEff unchanged", en(errno));
	status_field("CapEff", eff, sizeof(eff));
	return succeeded("unshare(CLONE_NEWUSER) succeeded; CapEff in the new namespace: %s", eff);
}

/* ---- other processes ------------------------------------------------- */

/* ptrace-pid1: attach to rampart's reaper. Blocked by seccomp (ptrace not in
 * @default: EPERM); behind it, pid 1 is non-dumpable and owned by the host
 * user namespace. */
static int c_ptrace_pid1(void)
{
	if (ptrace(PTRACE_ATTACH, 1, 0, 0) < 0)
		return blocked("ptrace(PTRACE_ATTACH, 1): %s", en(errno));
	ptrace(PTRACE_DETACH, 1, 0, 0);
	return succeeded("ptrace(PTRACE_ATTACH) to pid 1 (rampart's reaper) succeeded");
}

/* process-vm-readv: read pid 1's memory without ptrace. Blocked by seccomp
 * (EPERM); behind it, the ptrace access check on a non-dumpable process.
 * EFAULT would mean the access check passed (the address is a guess). */
static int c_process_vm_readv(void)
{
	char buf[16];
	struct iovec l = { buf, sizeof(buf) }, r = { buf, sizeof(buf) };
	ssize_t n = process_vm_readv(1, &l, 1, &r, 1, 0);

	if (n >= 0)
		return succeeded("process_vm_readv read %zd bytes of pid 1's memory", n);
	if (errno == EFAULT || errno == EIO)
		return succeeded("process_vm_readv(pid 1) passed the access check (%s at a guessed address)", en(errno));
	return blocked("process_vm_readv(pid 1): %s", en(errno));
}

/* cve-2019-5736: overwrite the runtime binary through /proc/PID/exe (runc).
 * pid 1 is a fork of the host's rampart binary. Blocked by the kernel's
 * ptrace access check on /proc/1/exe (pid 1 is non-dumpable and belongs to
 * the host user namespace: EACCES), directly and through an O_PATH fd
 * reopened via /proc/self/fd; rampart never re-executes itself inside. */
static int c_cve_2019_5736(void)
{
	char path[64];
	int fd = open("/proc/1/exe", O_WRONLY | O_CLOEXEC);
	int e1 = errno, p, w;

	if (fd >= 0)
		return succeeded("opened /proc/1/exe (the host's rampart binary) for writing");
	p = open("/proc/1/exe", O_PATH | O_CLOEXEC);
	if (p < 0)
		return blocked("open(/proc/1/exe, O_WRONLY): %s; open(O_PATH): %s", en(e1), en(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p);
	w = open(path, O_WRONLY | O_CLOEXEC);
	if (w >= 0)
		return succeeded("O_PATH fd on /proc/1/exe reopened for writing via %s", path);
	return blocked("open(/proc/1/exe, O_WRONLY): %s; O_PATH open succeeded, reopen via %s for writing: %s",
		       en(e1), path, en(errno));
}

/* cve-2024-21626: a leaked host fd or a cwd outside the root (runc's
 * "Leaky Vessels"). Blocked by rampart: every fd above 2 is close-on-exec
 * before the workload's execve, and the cwd is checked to be reachable
 * from "/" (getcwd) before the workload starts. Checked here: no fd >= 3
 * is open; /proc/self/cwd reads as an absolute path; walking ".." from the
 * cwd reaches our "/" before the top of its mount tree. */
static int c_cve_2024_21626(void)
{
	char leaks[1024] = "", cwd[PATH_MAX], link[PATH_MAX], p[64];
	struct stat root, here, up;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	ssize_t n;
	int fd, steps;

	if (!d)
		return skipped("cannot list /proc/self/fd: %s", en(errno));
	while ((de = readdir(d))) {
		int nfd = atoi(de->d_name);
		if (de->d_name[0] == '.' || nfd < 3 || nfd == dirfd(d))
			continue;
		snprintf(p, sizeof(p), "/proc/self/fd/%d", nfd);
		n = readlink(p, link, sizeof(link) - 1);
		link[n < 0 ? 0 : n] = 0;
		size_t l = strlen(leaks);
		snprintf(leaks + l, sizeof(leaks) - l, "%sfd %d -> %.200s", l ? ", " : "", nfd, link);
	}
	closedir(d);
	if (leaks[0])
		return succeeded("inherited fds open in the workload: %s", leaks);

	n = readlink("/proc/self/cwd", cwd, sizeof(cwd) - 1);
	if (n < 0)
		return succeeded("readlink(/proc/self/cwd): %s", en(errno));
	cwd[n] = 0;
	if (cwd[0] != '/')
		return succeeded("cwd is outside the container root: /proc/self/cwd -> %s", cwd);
	if (stat("/", &root) < 0 || (fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &here) < 0)
		return skipped("cannot stat / or the cwd: %s", en(errno));
	for (steps = 0; steps < 4096; steps++) {
		if (here.st_dev == root.st_dev && here.st_ino == root.st_ino)
			break;
		int upfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (upfd < 0 || fstat(upfd, &up) < 0)
			return skipped("walking .. from the cwd: %s", en(errno));
		close(fd);
		fd = upfd;
		if (up.st_dev == here.st_dev && up.st_ino == here.st_ino)
			return succeeded("cwd %s is outside the container root: walking .. stopped at %u:%u ino %lu, not /",
					 cwd, major(up.st_dev), minor(up.st_dev), (unsigned long)up.st_ino);
		here = up;
	}
	close(fd);
	return blocked("no fd above 2 open; cwd %s is inside the root (\"..\" reaches / in %d steps)", cwd, steps);
}

/* ---- kernel interfaces --------------------------------------------- */

/* open-by-handle: "shocker" (2014): open_by_handle_at with a handle for the
 * filesystem's root inode reaches files outside any bind mount. Blocked by
 * seccomp (name_to_handle_at and open_by_handle_at not in @default: EPERM);
 * behind it, CAP_DAC_READ_SEARCH in the initial user namespace. When
 * name_to_handle_at is refused, the handle is forged as shocker did
 * (FILEID_INO32_GEN, inode 2: the root of ext2/3/4). */
static int c_open_by_handle(void)
{
	union {
		struct file_handle fh;
		unsigned char raw[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} h;
	unsigned char *bytes = h.raw + sizeof(struct file_handle); /* f_handle */
	int mnt, root, fd;
	const char *how = "name_to_handle_at(/)";
	char e1[64], link[PATH_MAX], p[64];
	ssize_t n;

	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, "/", &h.fh, &mnt, 0) < 0) {
		snprintf(e1, sizeof(e1), "name_to_handle_at(/): %s", en(errno));
		how = "forged handle (ino 2)";
		memset(&h, 0, sizeof(h));
		h.fh.handle_bytes = 8;
		h.fh.handle_type = 1; /* FILEID_INO32_GEN: inode 2, generation 0 */
		bytes[0] = 2;
	} else {
		snprintf(e1, sizeof(e1), "name_to_handle_at(/) succeeded");
	}
	root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fd = open_by_handle_at(root, &h.fh, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return blocked("%s; open_by_handle_at(%s): %s", e1, how, en(errno));
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, link, sizeof(link) - 1);
	link[n < 0 ? 0 : n] = 0;
	return succeeded("%s; open_by_handle_at(%s) opened %s", e1, how, link);
}

/* keyctl: the kernel keyring is not namespaced. Blocked by seccomp (add_key
 * and keyctl not in @default: EPERM). */
static int c_keyctl(void)
{
	long k = syscall(SYS_add_key, "user", "rampart-battery", "x", 1, KEY_SPEC_PROCESS_KEYRING);
	int e1 = errno;
	long j;

	if (k >= 0)
		return succeeded("add_key(user) created key %ld", k);
	j = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0L, 0L, 0L, 0L);
	if (j >= 0)
		return succeeded("add_key: %s, but keyctl(KEYCTL_JOIN_SESSION_KEYRING) returned keyring %ld", en(e1), j);
	return blocked("add_key: %s; keyctl(KEYCTL_JOIN_SESSION_KEYRING): %s", en(e1), en(errno));
}

/* bpf: load a trivial socket filter program ("r0 = 0; exit"). Blocked by
 * seccomp (bpf not in @default: EPERM); behind it, the host's
 * kernel.unprivileged_bpf_disabled. */
static int c_bpf(void)
{
	struct bpf_insn insns[2];
	union bpf_attr a;
	char log[64] = "";

	memset(insns, 0, sizeof(insns));
	insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K; /* r0 = 0 */
	insns[1].code = BPF_JMP | BPF_EXIT;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insn_cnt = 2;
	a.insns = (uintptr_t)insns;
	a.license = (uintptr_t)"GPL";
	a.log_buf = (uintptr_t)log;
	a.log_size = sizeof(log);
	return single(syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a)), "bpf(BPF_PROG_LOAD, socket filter)");
}

/* perf-event-open: a software counter on ourselves. Blocked by seccomp
 * (perf_event_open not in @default: EPERM); behind it, the host's
 * kernel.perf_event_paranoid. */
static int c_perf_event_open(void)
{
	struct perf_event_attr pa;

	memset(&pa, 0, sizeof(pa));
	pa.type = PERF_TYPE_SOFTWARE;
	pa.size = sizeof(pa);
	pa.config = PERF_COUNT_SW_CPU_CLOCK;
	pa.disabled = 1;
	pa.exclude_kernel = 1;
	pa.exclude_hv = 1;
	return single(syscall(SYS_perf_event_open, &pa, 0, -1, -1, PERF_FLAG_FD_CLOEXEC),
		      "perf_event_open(self, SW_CPU_CLOCK)");
}

/* init-module: load a kernel module (an empty one: the call is the attack).
 * Blocked by seccomp (init_module, finit_module not in @default: EPERM);
 * behind it, CAP_SYS_MODULE in the initial user namespace. */
static int c_init_module(void)
{
	static char empty[1];
	long r = syscall(SYS_init_module, empty, 0UL, "");
	int e1 = errno, fd;

	if (r >= 0)
		return succeeded("init_module(empty buffer) returned %ld", r);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	r = syscall(SYS_finit_module, fd, "", 0);
	if (r >= 0)
		return succeeded("init_module: %s, but finit_module(/dev/null) returned %ld", en(e1), r);
	return blocked("init_module(empty buffer): %s; finit_module(/dev/null): %s", en(e1), en(errno));
}

/* kexec-load: replace the running kernel. Blocked by seccomp (kexec_load,
 * kexec_file_load not in @default: EPERM); behind it, CAP_SYS_BOOT in the
 * initial user namespace. */
static int c_kexec_load(void)
{
	long r = syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL);
	int e1 = errno;

	if (r >= 0)
		return succeeded("kexec_load(no segments) returned %ld", r);
	r = syscall(SYS_kexec_file_load, -1, -1, 0UL, "", 0UL);
	if (r >= 0)
		return succeeded("kexec_load: %s, but kexec_file_load returned %ld", en(e1), r);
	return blocked("kexec_load: %s; kexec_file_load: %s", en(e1), en(errno));
}

/* reboot: LINUX_REBOOT_CMD_CAD_OFF (harmless if it got through: in a pid
 * namespace the kernel answers EINVAL, but only after CAP_SYS_BOOT was
 * granted, so EINVAL counts as getting through). Blocked by seccomp (reboot
 * not in @default: EPERM); behind it, no CAP_SYS_BOOT. */
static int c_reboot(void)
{
	long r = syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_OFF, NULL);

	if (r >= 0)
		return succeeded("reboot(LINUX_REBOOT_CMD_CAD_OFF) returned %ld", r);
	if (errno == EINVAL)
		return succeeded("reboot(LINUX_REBOOT_CMD_CAD_OFF) passed the CAP_SYS_BOOT check (the pid namespace answered EINVAL)");
	return blocked("reboot(LINUX_REBOOT_CMD_CAD_OFF): %s", en(errno));
}

/* iopl: raw I/O port access. Blocked by seccomp (iopl, ioperm not in
 * @default: EPERM); behind it, CAP_SYS_RAWIO in the initial user namespace. */
static int c_iopl(void)
{
	long r = syscall(SYS_iopl, 3);
	int e1 = errno;

	if (r >= 0)
		return succeeded("iopl(3) returned %ld", r);
	r = syscall(SYS_ioperm, 0x80UL, 1UL, 1);
	if (r >= 0)
		return succeeded("iopl(3): %s, but ioperm(0x80, 1, 1) returned %ld", en(e1), r);
	return blocked("iopl(3): %s; ioperm(0x80, 1, 1): %s", en(e1), en(errno));
}

/* userfaultfd: the race-widening tool of many kernel exploits. Blocked by
 * seccomp (userfaultfd not in @default: EPERM); behind it, the host's
 * vm.unprivileged_userfaultfd (UFFD_USER_MODE_ONLY is tried, which that
 * sysctl lets through). */
static int c_userfaultfd(void)
{
	return single(syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY),
		      "userfaultfd(UFFD_USER_MODE_ONLY)");
}

/* tiocsti: push input into a terminal (on the launcher's tty this types
 * commands into the host shell). fd 0 is made a pty that is our controlling
 * terminal when it is not a tty already, so that only the filter stands
 * between TIOCSTI and the kernel; the injected byte is a space. Blocked by
 * seccomp's argument rule (ioctl arg1 & 0xffffffff == TIOCSTI: EPERM),
 * also with garbage in bits 32-63 (the kernel ignores them). */
static int c_tiocsti(void)
{
	char c = ' ', where[128] = "fd 0 (a tty)";
	long r1, r2;
	int e1, e2;

	if (!isatty(0)) {
		int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), s;
		char *name;

		if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || !(name = ptsname(m)))
			return skipped("no pty to test on: %s", en(errno));
		setsid(); /* a new session, so the pty can become its terminal */
		s = open(name, O_RDWR);
		if (s < 0)
			return skipped("open %s: %s", name, en(errno));
		ioctl(s, TIOCSCTTY, 0);
		dup2(s, 0);
		snprintf(where, sizeof(where), "fd 0 (%s, %s)", name,
			 tcgetsid(0) == getsid(0) ? "our controlling terminal" : "not our controlling terminal");
	}
	r1 = syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI, &c);
	e1 = errno;
	r2 = syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI | 0x100000000ul, &c);
	e2 = errno;
	if (r1 >= 0)
		return succeeded("ioctl(TIOCSTI) injected input into %s", where);
	if (r2 >= 0)
		return succeeded("ioctl(TIOCSTI | 1<<32) injected input into %s (plain TIOCSTI: %s)", where, en(e1));
	return blocked("ioctl(TIOCSTI) on %s: %s; with bits 32-63 set: %s", where, en(e1), en(e2));
}

/* The host-global knobs in /proc and /sys. Opening for writing is the
 * attack; a knob that opens is written back with its current value (so a
 * success changes nothing), sysrq-trigger is never written. A knob masked
 * with /dev/null opens but reaches nothing. Absent: the kernel lacks it. */
static int knob(const char *path, int writeback)
{
	struct stat st;
	char cur_val[4096];
	int fd, n;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return skipped("%s is absent: this kernel does not have it", path);
		return blocked("stat %s: %s", path, en(errno));
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return blocked("open %s for writing: %s%s", path, en(errno), mask_note(path));
	if (fstat(fd, &st) == 0 && S_ISCHR(st.st_mode))
		return blocked("%s is masked (character device %u:%u bound over it): writes reach nothing",
			       path, major(st.st_rdev), minor(st.st_rdev));
	if (!writeback)
		return succeeded("opened %s for writing (nothing written)", path);
	n = read_small(path, cur_val, sizeof(cur_val));
	if (n <= 0) /* nothing readable to restore: write a value that changes nothing */
		n = snprintf(cur_val, sizeof(cur_val), "\n");
	if (write(fd, cur_val, (size_t)n) >= 0)
		return succeeded("opened %s for writing and wrote back its current value", path);
	return blocked("opened %s for writing (!), but the write was refused: %s", path, en(errno));
}

/* core-pattern: a "|/path" core_pattern runs a program as host root.
 * Blocked by the read-only /proc mount (EROFS); behind it, the sysctl's
 * owner is host root (unmapped). */
static int c_core_pattern(void) { return knob("/proc/sys/kernel/core_pattern", 1); }

/* sysrq-trigger: crash or reboot the host. Blocked by the mask (/dev/null
 * bound over it) and the read-only /proc mount. */
static int c_sysrq_trigger(void) { return knob("/proc/sysrq-trigger", 0); }

/* uevent-helper: a program the kernel runs as root on every uevent.
 * Blocked by the read-only /sys mount (EROFS). */
static int c_uevent_helper(void) { return knob("/sys/kernel/uevent_helper", 1); }

/* attr-current: change our LSM label (e.g. AppArmor changeprofile).
 * Blocked by the read-only /proc mount (EROFS). */
static int c_attr_current(void) { return knob("/proc/self/attr/current", 1); }

/* Reading a host-revealing /proc file: masked (/dev/null, reads empty) or
 * refused. Absent: the kernel lacks it. */
static int leak(const char *path)
{
	struct stat st;
	char buf[4096];
	ssize_t n;
	int fd;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return skipped("%s is absent: this kernel does not have it", path);
		return blocked("stat %s: %s", path, en(errno));
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return blocked("open %s: %s%s", path, en(errno), mask_note(path));
	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return blocked("read %s: %s%s", path, en(errno), mask_note(path));
	if (n == 0)
		return blocked("%s reads empty%s", path, mask_note(path));
	return succeeded("read %zd bytes from %s", n, path);
}

/* kcore: the kernel's memory as an ELF core. Blocked by the mask; behind
 * it, CAP_SYS_RAWIO. */
static int c_kcore(void) { return leak("/proc/kcore"); }

/* proc-keys: every key the kernel holds that we may view (not namespaced).
 * Blocked by the mask (/dev/null over /proc/keys). */
static int c_proc_keys(void) { return leak("/proc/keys"); }

/* ---- devices -------------------------------------------------------- */

/* mknod: create /tmp/sda (block 8:0) and open it. Blocked by the kernel:
 * mknod of a device needs CAP_MKNOD in the initial user namespace (EPERM);
 * behind it, /tmp is nodev. */
static int c_mknod(void)
{
	int fd;

	unlink("/tmp/sda");
	if (mknod("/tmp/sda", S_IFBLK | 0600, makedev(8, 0)) < 0)
		return blocked("mknod(/tmp/sda, block 8:0): %s", en(errno));
	fd = open("/tmp/sda", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return blocked("mknod(/tmp/sda, block 8:0) succeeded (!), open: %s", en(errno));
	return succeeded("created and opened block device /tmp/sda (8:0)");
}

/* raw-disk: open the host's disk. Blocked by the minimal /dev (no block
 * device is bound in: ENOENT); behind it, nodev on /dev and the host's
 * nodes being owned by unmapped host root (mode 0600). Every block device
 * directly in /dev is tried, not only sda and vda. */
static int c_raw_disk(void)
{
	static const char *const named[] = { "/dev/sda", "/dev/vda" };
	char found[1024] = "", p[300];
	struct stat st;
	DIR *d;
	struct dirent *de;

	for (size_t i = 0; i < 2; i++) {
		if (stat(named[i], &st) < 0)
			continue;
		int fd = open(named[i], O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			return succeeded("opened %s for reading", named[i]);
		size_t l = strlen(found);
		snprintf(found + l, sizeof(found) - l, "%sopen %s: %s", l ? "; " : "", named[i], en(errno));
	}
	d = opendir("/dev");
	while (d && (de = readdir(d))) {
		snprintf(p, sizeof(p), "/dev/%s", de->d_name);
		if (stat(p, &st) < 0 || !S_ISBLK(st.st_mode) || !strcmp(p, named[0]) || !strcmp(p, named[1]))
			continue;
		int fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			return succeeded("opened block device %s for reading", p);
		size_t l = strlen(found);
		snprintf(found + l, sizeof(found) - l, "%sopen %s: %s", l ? "; " : "", p, en(errno));
	}
	if (d)
		closedir(d);
	if (found[0])
		return blocked("%s", found);
	return blocked("no /dev/sda, no /dev/vda, no block device at all in the container's /dev");
}

/* ---- privilege escalation through exec ---------------------------- */

/* Run PATH setuid-child, capture its one line. */
static int exec_child(const char *path, char *out, size_t n)
{
	int pfd[2], st;
	ssize_t r, got = 0;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pfd[1], 1);
		execl(path, path, "setuid-child", (char *)NULL);
		printf("exec-failed %s\n", en(errno));
		_exit(127);
	}
	close(pfd[1]);
	while (got < (ssize_t)n - 1 && (r = read(pfd[0], out + got, n - 1 - (size_t)got)) > 0)
		got += r;
	out[got < 0 ? 0 : got] = 0;
	out[strcspn(out, "\n")] = 0;
	close(pfd[0]);
	waitpid(pid, &st, 0);
	return 0;
}

static void posture(char *out, size_t n)
{
	struct statvfs sv;
	char nnp[16], bnd[32];

	status_field("NoNewPrivs", nnp, sizeof(nnp));
	status_field("CapBnd", bnd, sizeof(bnd));
	snprintf(out, n, "/ %s, NoNewPrivs %s, CapBnd %s",
		 statvfs("/", &sv) == 0 ? (sv.f_flag & ST_NOSUID ? "nosuid" : "NOT nosuid") : "?", nnp, bnd);
}

/* setuid: exec setuid-root copies the suite installed (mode 4755 in the
 * image): /battery-suid owned by container root (host uid 100000 under the
 * default map: the owner that would really grant root inside) and
 * /battery-suid-hostroot owned by host root. Blocked by `setuid strip` (the
 * container sees the image through an overlay without setuid bits), then
 * nosuid on every mount and no_new_privs (and, for the host-root copy, its
 * owner being unmapped). The copies are exec'd whatever their mode looks
 * like inside; BLOCKED when euid stays non-zero. */
static int c_setuid(void)
{
	static const char *const copies[] = { "/battery-suid", "/battery-suid-hostroot" };
	char msg[768] = "", out[256], pos[128];
	int tried = 0;

	for (size_t i = 0; i < 2; i++) {
		struct stat st;
		unsigned euid;

		if (stat(copies[i], &st) < 0)
			continue;
		if (exec_child(copies[i], out, sizeof(out)) < 0 || sscanf(out, "euid=%u", &euid) != 1)
			return skipped("could not run %s: '%s' (%s)", copies[i], out, en(errno));
		if (euid == 0)
			return succeeded("exec of %s (mode %o inside, owner uid %u) ran with euid 0: %s", copies[i],
					 st.st_mode & 07777, (unsigned)st.st_uid, out);
		size_t l = strlen(msg);
		snprintf(msg + l, sizeof(msg) - l, "%s%s (owner uid %u, %s): euid stayed %u", l ? "; " : "",
			 copies[i], (unsigned)st.st_uid,
			 st.st_mode & S_ISUID ? "setuid" : "setuid bit stripped in the container's view", euid);
		tried++;
	}
	if (!tried)
		return skipped("no /battery-suid in the image: the suite installs it");
	posture(pos, sizeof(pos));
	return blocked("%s (%s)", msg, pos);
}

/* filecap: exec /battery-fcap, which carries security.capability
 * cap_sys_admin+ep in the image (a v2 xattr set by host root, valid in
 * every user namespace). Blocked by `setuid strip` (the xattr is cleared in
 * the container's view), then nosuid (file capabilities are ignored on
 * nosuid mounts), no_new_privs and the empty bounding set. BLOCKED when
 * CapEff stays 0. */
static int c_filecap(void)
{
	char out[256], pos[128], x[64];
	const char *view = "security.capability present inside";
	unsigned long long eff;
	struct stat st;

	if (stat("/battery-fcap", &st) < 0)
		return skipped("no /battery-fcap in the image: the suite installs it");
	if (getxattr("/battery-fcap", "security.capability", x, sizeof(x)) < 0)
		view = errno == ENODATA ? "security.capability stripped in the container's view"
					: "security.capability unreadable inside";
	if (exec_child("/battery-fcap", out, sizeof(out)) < 0 || !strstr(out, "capeff=") ||
	    sscanf(strstr(out, "capeff=") + 7, "%llx", &eff) != 1)
		return skipped("could not run /battery-fcap: '%s'", out);
	if (eff != 0)
		return succeeded("exec of /battery-fcap (cap_sys_admin+ep, %s) raised capabilities: %s", view, out);
	posture(pos, sizeof(pos));
	return blocked("CapEff stayed 0 after exec of /battery-fcap (cap_sys_admin+ep in the image, %s): %s (%s)",
		       view, out, pos);
}

static int setuid_child(void)
{
	char eff[64];

	status_field("CapEff", eff, sizeof(eff));
	printf("euid=%u capeff=%s\n", (unsigned)geteuid(), eff);
	return 0;
}

/* ---- the mount pipeline --------------------------------------------- */

/* bind-symlink: the suite makes /battery-bind an image symlink to a path
 * that also exists on the host and binds a host directory holding "marker"
 * onto /battery-bind. Blocked by rampart resolving every mount target with
 * openat2(RESOLVE_IN_ROOT) and attaching to that fd: the bind must sit at
 * the symlink's target *inside* the root, with the marker visible there. */
static int c_bind_symlink(void)
{
	char target[PATH_MAX], real[PATH_MAX], marker[256], line[4096];
	struct stat st;
	ssize_t n;
	int mounted = 0;
	FILE *mi;

	if (lstat("/battery-bind", &st) < 0 || !S_ISLNK(st.st_mode))
		return skipped("/battery-bind is not a symlink: the suite prepares it with a bind line");
	n = readlink("/battery-bind", target, sizeof(target) - 1);
	target[n < 0 ? 0 : n] = 0;
	if (!realpath("/battery-bind", real))
		return succeeded("the symlink /battery-bind -> %s does not resolve inside the root (%s): the bind went elsewhere",
				 target, en(errno));
	mi = fopen("/proc/self/mountinfo", "re");
	while (mi && fgets(line, sizeof(line), mi)) {
		char mp[PATH_MAX];
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 && !strcmp(mp, real))
			mounted = 1;
	}
	if (mi)
		fclose(mi);
	if (read_small("/battery-bind/marker", marker, sizeof(marker)) < 0)
		return succeeded("no marker at /battery-bind/marker (%s; mount at %s: %s): the bind did not land inside",
				 en(errno), real, mounted ? "yes" : "no");
	if (strncmp(marker, "rampart-battery-bind-marker", 27))
		return succeeded("/battery-bind/marker holds something else: '%.40s'", marker);
	if (!mounted)
		return succeeded("marker visible but no mount at %s in mountinfo", real);
	return blocked("the bind through /battery-bind -> %s landed inside the root at %s (marker visible)",
		       target, real);
}

/* ---- other ABIs and personas ---------------------------------------- */

/* int80: getpid through the i386 ABI (int $0x80) from an x86_64 binary.
 * Blocked by the filter's architecture check: killed with SIGSYS (exit
 * 159), which the suite checks; printing anything means it survived. */
static int c_int80(void)
{
#if defined(__x86_64__)
	long r;
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(20L) /* i386 getpid */
			 : "memory", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
	if (r < 0)
		return succeeded("int 0x80 getpid was not killed (the kernel answered %s)", en((int)-r));
	return succeeded("int 0x80 getpid was not killed: it returned %ld", r);
#else
	return skipped("not an x86_64 build");
#endif
}

/* x32: getpid with the x32 bit (0x40000000) in the syscall number. Blocked
 * by the filter's prefix: killed with SIGSYS (exit 159), checked by the
 * suite. */
static int c_x32(void)
{
#if defined(__x86_64__)
	long r = syscall(0x40000000L | SYS_getpid);
	if (r < 0)
		return succeeded("x32 getpid was not killed (the kernel answered %s)", en(errno));
	return succeeded("x32 getpid was not killed: it returned %ld", r);
#else
	return skipped("not an x86_64 build");
#endif
}

/* personality: PER_BSD (only PER_LINUX, PER_LINUX32, UNAME26 and the query
 * are allowed). Blocked by seccomp's argument rules (EPERM). */
static int c_personality(void)
{
	int r = personality(PER_BSD);

	if (r == -1)
		return blocked("personality(PER_BSD): %s", en(errno));
	personality((unsigned long)r);
	return succeeded("personality(PER_BSD) accepted (previous persona 0x%x)", (unsigned)r);
}

static const struct {
	const char *name;
	int (*run)(void);
} cases[] = {
	{ "mount", c_mount },
	{ "umount-proc", c_umount_proc },
	{ "pivot-root", c_pivot_root },
	{ "chroot", c_chroot },
	{ "unshare-user", c_unshare_user },
	{ "unshare-mnt", c_unshare_mnt },
	{ "setns-mnt", c_setns_mnt },
	{ "ptrace-pid1", c_ptrace_pid1 },
	{ "process-vm-readv", c_process_vm_readv },
	{ "open-by-handle", c_open_by_handle },
	{ "keyctl", c_keyctl },
	{ "bpf", c_bpf },
	{ "perf-event-open", c_perf_event_open },
	{ "init-module", c_init_module },
	{ "kexec-load", c_kexec_load },
	{ "reboot", c_reboot },
	{ "iopl", c_iopl },
	{ "userfaultfd", c_userfaultfd },
	{ "tiocsti", c_tiocsti },
	{ "core-pattern", c_core_pattern },
	{ "sysrq-trigger", c_sysrq_trigger },
	{ "uevent-helper", c_uevent_helper },
	{ "attr-current", c_attr_current },
	{ "kcore", c_kcore },
	{ "proc-keys", c_proc_keys },
	{ "mknod", c_mknod },
	{ "raw-disk", c_raw_disk },
	{ "setuid", c_setuid },
	{ "filecap", c_filecap },
	{ "userns-caps", c_userns_caps },
	{ "cve-2019-5736", c_cve_2019_5736 },
	{ "cve-2024-21626", c_cve_2024_21626 },
	{ "bind-symlink", c_bind_symlink },
	{ "int80", c_int80 },
	{ "x32", c_x32 },
	{ "clone-newns", c_clone_newns },
	{ "clone3", c_clone3 },
	{ "personality", c_personality },
};

int main(int argc, char **argv)
{
	const char *v = argc == 2 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(v, "list")) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	if (!strcmp(v, "setuid-child"))
		return setuid_child();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(v, cases[i].name)) {
			cur = cases[i].name;
			return cases[i].run();
		}
	fprintf(stderr, "usage: battery CASE | list   (unknown case '%s')\n", v);
	return 2;
}
