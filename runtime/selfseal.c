/* selfseal.c - run from a sealed copy of the binary when the container
 * could reach it (CVE-2019-5736).
 *
 * Between clone and the workload's execve (a created container waiting
 * for start, the process `exec` makes) rampart's own code runs inside the
 * container, and /proc/PID/exe of that process names the rampart binary.
 * Non-dumpable keeps it out of reach of anything without CAP_SYS_PTRACE
 * over the host's user namespace, which covers every container with a
 * user namespace of its own. A container without one that keeps
 * CAP_SYS_PTRACE (debuggers ask for it) passes that check: it could open
 * /proc/PID/exe, wait for the exec, and write the binary. So for exactly
 * that spec rampart first re-executes itself from a memfd copy sealed
 * against every write (as runc does for all of its runs): /proc/PID/exe
 * then names the memfd, and no write can reach the host's file.
 */
#include "selfseal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "profile.h"
#include "util.h"

extern char **environ;

static char **saved_argv;

void selfseal_init(int argc, char **argv)
{
	/* A copy of the vector: main() shifts the global options in place. */
	saved_argv = xcalloc((size_t)argc + 1, sizeof(char *));
	for (int i = 0; i < argc; i++)
		saved_argv[i] = argv[i];
}

bool selfseal_needed(const struct spec *s)
{
	uint64_t ptrace = UINT64_C(1) << CAP_SYS_PTRACE;
	uint64_t any = s->caps_keep;

	for (int i = 0; i < 5; i++)
		any |= s->oci.caps[i];
	return !s->ns[NS_USER].unshare && (any & ptrace);
}

bool selfseal_active(void)
{
	char exe[64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return false;
	exe[n] = '\0';
	return strncmp(exe, "/memfd:rampart-sealed", 21) == 0;
}

/* A sealed memfd holding this binary. */
static int sealed_copy(struct rp_err *e)
{
	_cleanup_close_ int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int mfd;
	struct stat st;
	off_t off = 0;

	if (self < 0 || fstat(self, &st) < 0)
		return rp_fail(e, errno, "selfseal", "open rampart's own binary");
	mfd = memfd_create("rampart-sealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return rp_fail(e, errno, "selfseal", "memfd_create");
	while (off < st.st_size) {
		ssize_t n = sendfile(mfd, self, &off, (size_t)(st.st_size - off));
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;
			close(mfd);
			return rp_fail(e, err, "selfseal", "copy rampart's binary");
		}
	}
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		int err = errno;
		close(mfd);
		return rp_fail(e, err, "selfseal", "seal the copy");
	}
	return mfd;
}

int selfseal_reexec(struct rp_err *e)
{
	int mfd;

	if (selfseal_active())
		return 0;
	if (!saved_argv)
		return rp_fail(e, EINVAL, "selfseal", "no command line to re-run");
	/* The copy has no directory: keep finding the profiles beside the
	 * real binary. */
	if (!getenv("RAMPART_PROFILE_PATH") && setenv("RAMPART_PROFILE_PATH", profile_search_path(), 1) < 0)
		return rp_fail(e, errno, "selfseal", "setenv");
	mfd = sealed_copy(e);
	if (mfd < 0)
		return -1;
	/* Close-on-exec: the kernel keeps the file it executes, not the fd. */
	syscall(SYS_execveat, mfd, "", saved_argv, environ, AT_EMPTY_PATH);
	close(mfd);
	return rp_fail(e, errno, "selfseal", "re-execute from the sealed copy");
}
