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
#include <sys/wait.h>
#include <unistd.h>

static long num(const char *s)
{
	return (long)strtoull(s, NULL, 0);
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
	fprintf(stderr, "probe: unknown verb '%s'\n", v);
	return 2;
}
