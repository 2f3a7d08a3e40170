/* probe - a static helper run inside containers by the tests. Each verb
 * tries one thing and prints what happened on one line:
 *   "ok <return value>"  or  "errno <NAME> <number>"
 * A verb the kernel kills never prints; the test sees the signal.
 *
 *   probe syscall NR [ARG...]     raw syscall(NR, ARG...)
 *   probe socket FAMILY TYPE      socket(FAMILY, TYPE, 0)
 *   probe ioctl-tiocsti [HIGH]    ioctl(0, TIOCSTI) (HIGH: garbage in bits 32-63)
 *   probe clone FLAGS             raw clone(FLAGS) of a child that exits 0
 *   probe int80-getpid            getpid via the i386 ABI (int $0x80)
 *   probe x32-getpid              getpid via the x32 ABI
 *   probe unshare FLAGS | setns PATH | ptrace-attach PID | mount
 *   probe alloc MIB               touch MIB MiB of fresh memory
 *   probe spin SECONDS            burn CPU for SECONDS of wall time
 *   probe read-direct FILE MIB    O_DIRECT read; prints "ok <MiB/s>"
 *   probe xattr PATH NAME         getxattr; "ok <length>" or errno
 *   probe bench SYSCALL N         N calls of a cheap syscall; "ok <ns per call>"
 *   probe fork-many N             fork N children that sleep 1 s, count
 *                                 the refusals, wait; "ok started=S refused=R"
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

static int report(long r);

static long num(const char *s)
{
	return (long)strtoull(s, NULL, 0);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int alloc(long mib)
{
	size_t len = (size_t)mib << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return report(-1);
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	printf("ok %ld\n", mib);
	return 0;
}

static int spin(double secs)
{
	volatile unsigned long n = 0;
	double end = now() + secs;
	while (now() < end)
		n++;
	printf("ok %lu\n", n);
	return 0;
}

static int read_direct(const char *path, long mib)
{
	int fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	void *buf;
	double t0;
	long done = 0;

	if (fd < 0 || posix_memalign(&buf, 4096, 1 << 20))
		return report(-1);
	t0 = now();
	for (; done < mib; done++)
		if (read(fd, buf, 1 << 20) != 1 << 20)
			return report(-1);
	printf("ok %.2f\n", (double)mib / (now() - t0));
	return 0;
}

static int fork_many(long n)
{
	long started = 0, refused = 0;

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			sleep(1);
			_exit(0);
		}
		if (pid < 0)
			refused++;
		else
			started++;
	}
	while (wait(NULL) > 0)
		;
	printf("ok started=%ld refused=%ld\n", started, refused);
	return 0;
}

static int report(long r)
{
	if (r < 0) {
		const char *name = strerrorname_np(errno);
		printf("errno %s %d\n", name ? name : "?", errno);
		return 1;
	}
	printf("ok %ld\n", r);
	return 0;
}

/* probe bench SYSCALL N: time N back-to-back calls of one cheap syscall and
 * print "ok <ns per call>" (scripts/bench-seccomp). SYSCALL is getppid,
 * personality-query (personality(PER_QUERY)), ioctl-badfd (ioctl(-1, TCGETS):
 * EBADF, with no fd or tty work behind it) or a raw number called with zero
 * arguments. The named ones are checked once first: a filter that answered
 * them (EPERM) would make the loop time the deny path, not the allow. */
static int bench(const char *what, long n)
{
	long nr, a0 = 0, a1 = 0, r;
	int want_errno = 0;
	int named = 1;
	char *end;
	double t0;

	if (n <= 0) {
		fprintf(stderr, "probe: bench: N must be positive\n");
		return 2;
	}
	if (!strcmp(what, "getppid")) {
		nr = SYS_getppid;
	} else if (!strcmp(what, "personality-query")) {
		nr = SYS_personality;
		a0 = 0xffffffffl; /* PER_QUERY, zero-extended as the rule compares it */
	} else if (!strcmp(what, "ioctl-badfd")) {
		nr = SYS_ioctl;
		a0 = -1;
		a1 = TCGETS;
		want_errno = EBADF;
	} else {
		nr = strtol(what, &end, 0);
		if (end == what || *end) {
			fprintf(stderr, "probe: bench: unknown syscall '%s'\n", what);
			return 2;
		}
		named = 0;
	}
	errno = 0;
	r = syscall(nr, a0, a1, 0);
	if (named && (want_errno ? r != -1 || errno != want_errno : r < 0)) {
		if (r < 0)
			return report(r);
		printf("unexpected %ld\n", r);
		return 1;
	}
	t0 = now();
	for (long i = 0; i < n; i++)
		syscall(nr, a0, a1, 0);
	printf("ok %.2f\n", (now() - t0) * 1e9 / (double)n);
	return 0;
}

int main(int argc, char **argv)
{
	const char *v = argc > 1 ? argv[1] : "";
	long a[6] = { 0 };

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(v, "syscall") && argc >= 3) {
		for (int i = 3; i < argc && i < 9; i++)
			a[i - 3] = num(argv[i]);
		return report(syscall(num(argv[2]), a[0], a[1], a[2], a[3], a[4], a[5]));
	}
	if (!strcmp(v, "socket") && argc == 4)
		return report(socket((int)num(argv[2]), (int)num(argv[3]), 0));
	if (!strcmp(v, "ioctl-tiocsti")) {
		unsigned long req = TIOCSTI | (argc > 2 ? 0x100000000ul : 0);
		char c = '\n';
		return report(syscall(SYS_ioctl, 0, req, &c));
	}
	if (!strcmp(v, "clone") && argc == 3) {
		long pid = syscall(SYS_clone, num(argv[2]) | SIGCHLD, 0, 0, 0, 0);
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid((pid_t)pid, NULL, 0);
		return report(pid > 0 ? 0 : -1);
	}
	if (!strcmp(v, "int80-getpid")) {
		long r;
		/* i386 getpid is 20 */
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		return report(r);
	}
	if (!strcmp(v, "x32-getpid"))
		return report(syscall(0x40000000L | SYS_getpid));
	if (!strcmp(v, "unshare") && argc == 3)
		return report(unshare((int)num(argv[2])));
	if (!strcmp(v, "setns") && argc == 3) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		return report(fd < 0 ? -1 : setns(fd, 0));
	}
	if (!strcmp(v, "ptrace-attach") && argc == 3)
		return report(ptrace(PTRACE_ATTACH, (pid_t)num(argv[2]), 0, 0));
	if (!strcmp(v, "mount"))
		return report(mount("none", "/tmp", "tmpfs", 0, NULL));
	if (!strcmp(v, "fork-many") && argc == 3)
		return fork_many(num(argv[2]));
	if (!strcmp(v, "xattr") && argc == 4)
		return report(getxattr(argv[2], argv[3], NULL, 0));
	if (!strcmp(v, "alloc") && argc == 3)
		return alloc(num(argv[2]));
	if (!strcmp(v, "spin") && argc == 3)
		return spin(atof(argv[2]));
	if (!strcmp(v, "read-direct") && argc == 4)
		return read_direct(argv[2], num(argv[3]));
	if (!strcmp(v, "bench") && argc == 4)
		return bench(argv[2], num(argv[3]));
	fprintf(stderr, "probe: unknown verb '%s'\n", v);
	return 2;
}
