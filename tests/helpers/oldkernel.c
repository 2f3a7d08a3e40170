/* oldkernel - run a command as if on an older kernel, to exercise
 * rampart's fallbacks on this one.
 *
 *   oldkernel VERSION CMD [ARG]...      e.g. oldkernel 5.10 rampart launch ...
 *
 * A seccomp filter answers ENOSYS, as that kernel would, for each system
 * call rampart may use that came after VERSION (the table below). The
 * filter is inherited by every process CMD starts, the container
 * included, so the whole launch takes the old paths. Root loads it
 * without no_new_privs, so setuid programs behave as they would there.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static const struct {
	const char *name;
	int major, minor; /* the first kernel that has it */
} added[] = {
	{ "open_tree", 5, 2 },   { "move_mount", 5, 2 }, { "fsopen", 5, 2 },
	{ "fsconfig", 5, 2 },    { "fsmount", 5, 2 },    { "fspick", 5, 2 },
	{ "clone3", 5, 3 },      { "pidfd_open", 5, 3 }, { "openat2", 5, 6 },
	{ "pidfd_getfd", 5, 6 }, { "close_range", 5, 9 }, { "mount_setattr", 5, 12 },
};

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	int major, minor, rc;

	if (argc < 3 || sscanf(argv[1], "%d.%d", &major, &minor) != 2) {
		fprintf(stderr, "usage: oldkernel VERSION CMD [ARG]...\n");
		return 2;
	}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		fprintf(stderr, "oldkernel: seccomp_init failed\n");
		return 125;
	}
	for (size_t k = 0; k < sizeof(added) / sizeof(added[0]); k++) {
		int nr = seccomp_syscall_resolve_name(added[k].name);

		if (added[k].major < major || (added[k].major == major && added[k].minor <= minor))
			continue;
		rc = nr == __NR_SCMP_ERROR ? -ENOENT : seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
		if (rc < 0) {
			fprintf(stderr, "oldkernel: rule for %s: %s\n", added[k].name, strerror(-rc));
			return 125;
		}
	}
	if (geteuid() != 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		perror("oldkernel: no_new_privs");
		return 125;
	}
	if (geteuid() == 0 && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0) {
		fprintf(stderr, "oldkernel: cannot load without no_new_privs\n");
		return 125;
	}
	rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		fprintf(stderr, "oldkernel: seccomp_load: %s\n", strerror(-rc));
		return 125;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "oldkernel: %s: %s\n", argv[2], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
