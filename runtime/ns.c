/* ns.c - clone3 into new namespaces, and the user namespace's id maps. */
#include "ns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net.h"
#include "util.h"

static const unsigned long ns_flags[NS_COUNT] = {
	[NS_USER] = CLONE_NEWUSER, [NS_PID] = CLONE_NEWPID, [NS_MNT] = 0,
	[NS_NET] = CLONE_NEWNET,   [NS_IPC] = CLONE_NEWIPC, [NS_UTS] = CLONE_NEWUTS,
	[NS_CGROUP] = CLONE_NEWCGROUP,
};

unsigned long ns_clone_flags(const struct spec *s)
{
	unsigned long f = 0;

	for (int t = 0; t < NS_COUNT; t++)
		if (s->ns[t].unshare)
			f |= ns_flags[t];
	return f;
}

pid_t ns_clone(unsigned long flags, int cgroup_fd, int *pidfd, bool *placed, struct rp_err *e)
{
	struct clone_args args = {
		.flags = flags | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
	};
	long pid;

	*pidfd = -1;
	*placed = false;
	if (cgroup_fd >= 0) {
		/* The child is born in its cgroup, limits already in place,
		 * and its new cgroup namespace is rooted there. */
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgroup_fd;
		pid = syscall(SYS_clone3, &args, sizeof(args));
		if (pid >= 0) {
			*placed = pid > 0;
			goto done;
		}
		if (errno != EINVAL && errno != E2BIG && errno != ENOSYS)
			goto done;
		/* Before 5.7: the caller attaches the child and the child makes
		 * its cgroup namespace itself, once inside. */
		args.flags &= ~(uint64_t)(CLONE_INTO_CGROUP | CLONE_NEWCGROUP);
	}
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0 && errno == ENOSYS) {
		/* No stack argument: the child continues on a copy of ours,
		 * exactly like fork(). */
		pid = syscall(SYS_clone, (args.flags & ~(uint64_t)CLONE_PIDFD) | SIGCHLD, NULL, NULL, NULL, NULL);
	}
done:
	if (pid < 0) {
		int err = errno;
		if (err == EPERM || err == ENOSPC || err == EUSERS)
			return rp_fail(e, err, "namespace",
				       "clone (are user namespaces enabled? see /proc/sys/user/max_user_namespaces)");
		return rp_fail(e, err, "namespace", "clone");
	}
	/* The pidfd is not inherited across exec by the parent's children. */
	if (pid > 0 && *pidfd >= 0 && fcntl(*pidfd, F_SETFD, FD_CLOEXEC) < 0)
		return rp_fail(e, errno, "namespace", "pidfd close-on-exec");
	return (pid_t)pid;
}

static int write_map(pid_t pid, const char *file, const struct idmap *m, size_t n,
		     struct rp_err *e)
{
	char path[64], buf[SPEC_MAX_IDMAP * 36 + 1];
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		int r = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", m[i].inside,
				 m[i].outside, m[i].count);
		if (r < 0 || (size_t)r >= sizeof(buf) - len)
			return rp_fail(e, ENAMETOOLONG, "userns", "%s", file);
		len += (size_t)r;
	}
	if (xsnprintf(path, sizeof(path), "/proc/%d/%s", pid, file) < 0 ||
	    write_file_at(AT_FDCWD, path, buf) < 0)
		return rp_fail(e, errno, "userns", "write %s (host range %u-%u)", file,
			       m[0].outside, m[0].outside + m[0].count - 1);
	return 0;
}

int ns_write_idmaps(pid_t pid, const struct spec *s, struct rp_err *e)
{
	char path[64];

	/* An unprivileged writer must deny setgroups before writing gid_map,
	 * or a dropped supplementary group could be shed to gain access. */
	if (s->rootless) {
		if (xsnprintf(path, sizeof(path), "/proc/%d/setgroups", pid) < 0 ||
		    write_file_at(AT_FDCWD, path, "deny") < 0)
			return rp_fail(e, errno, "userns", "deny setgroups");
	}
	if (write_map(pid, "uid_map", s->uidmap, s->nuidmap, e) < 0 ||
	    write_map(pid, "gid_map", s->gidmap, s->ngidmap, e) < 0)
		return -1;
	return 0;
}

/* Enter every namespace the spec joins by path, remembering our own in
 * home[] (-1 where nothing is joined). */
static int enter_paths(const struct spec *s, int home[NS_COUNT], struct rp_err *e)
{
	char self[64];

	for (int t = 0; t < NS_COUNT; t++) {
		_cleanup_close_ int target = -1;

		if (!s->ns[t].path)
			continue;
		if (xsnprintf(self, sizeof(self), "/proc/self/ns/%s", ns_name(t)) < 0)
			return rp_fail(e, ENAMETOOLONG, "namespace", "%s", ns_name(t));
		home[t] = open(self, O_RDONLY | O_CLOEXEC);
		if (home[t] < 0)
			return rp_fail(e, errno, "namespace", "%s", self);
		target = open(s->ns[t].path, O_RDONLY | O_CLOEXEC);
		if (target < 0 || setns(target, (int)ns_flags[t]) < 0)
			return rp_fail(e, errno, "namespace", "join %s namespace %s", ns_name(t), s->ns[t].path);
	}
	return 0;
}

/* Back home. Failing here would leave rampart itself in the container's
 * namespaces: the caller kills the child and stops. */
static int leave_paths(int home[NS_COUNT], struct rp_err *e)
{
	int r = 0;

	for (int t = 0; t < NS_COUNT; t++) {
		if (home[t] < 0)
			continue;
		if (setns(home[t], (int)ns_flags[t]) < 0 && r == 0)
			r = rp_fail(e, errno, "namespace", "return to rampart's own %s namespace", ns_name(t));
		close(home[t]);
		home[t] = -1;
	}
	return r;
}

pid_t ns_clone_spec(const struct spec *s, int cgroup_fd, int *pidfd, bool *placed, struct rp_err *e)
{
	int home[NS_COUNT];
	pid_t pid = -1;

	for (int t = 0; t < NS_COUNT; t++)
		home[t] = -1;
	*pidfd = -1;
	if (enter_paths(s, home, e) == 0)
		pid = net_clone(&s->net, ns_clone_flags(s), cgroup_fd, pidfd, placed, e);
	if (pid == 0)
		return 0; /* the child: stays in the joined namespaces */
	if (leave_paths(home, e) < 0 && pid > 0) {
		int st;

		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (*pidfd >= 0)
			close(*pidfd);
		*pidfd = -1;
		return -1;
	}
	return pid;
}
