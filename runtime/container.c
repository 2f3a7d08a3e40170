/* container.c - the container child: from clone to execve.
 *
 * The order is the security argument, so it lives here in one place:
 *   1. die with the parent; wait until the id maps exist
 *   2. non-dumpable while rampart code runs in the container
 *   3. hostname, loopback, the filesystem (mount_setup pivots into it)
 *   4. rlimits
 *   5. the target user, then capabilities (all five sets), then
 *      no_new_privs: the user switch needs CAP_SETUID, the drop needs
 *      CAP_SETPCAP, so the drop comes after the switch
 *   6. fork the workload under the reaper (init on), or become it
 *   7. workload: cwd (inside the root), clean env, no inherited fds, exec
 * The seccomp filter is loaded in 7, right before execve, because it cuts
 * off the syscalls the steps before it need (with `nnp off`: before 5).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "launch.h"
#include "mount.h"
#include "net.h"
#include "process.h"
#include "seccomp.h"
#include "sync.h"
#include "util.h"

extern char **environ;

static _Noreturn void die(int syncfd, struct rp_err *e)
{
	/* If the parent is gone there is nobody to tell; exit all the same. */
	(void)sync_send(syncfd, SYNC_ERROR, e);
	_exit(e->exit_code ? e->exit_code : RP_EXIT_ERROR);
}

static void reset_signals(void)
{
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Learning: once the filter is in, every syscall of ours waits for the
 * parent's answer, and the parent can only answer once it holds the
 * listener. So say which fd number the listener will get (the lowest free
 * one) before loading it, and let the parent take it with pidfd_getfd. For
 * a rootless parent (same uid, no CAP_SYS_PTRACE) that needs us dumpable;
 * we are about to exec, which sets dumpable afresh anyway. */
static void load_learning_filter(const struct child_args *a)
{
	struct rp_err e = { 0 };
	int n = fcntl(0, F_DUPFD_CLOEXEC, 0);

	if (n < 0 || close(n) < 0 || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0) {
		rp_fail(&e, errno, "learn", "prepare the listener");
		die(a->syncfd, &e);
	}
	e.exit_code = n;
	if (sync_send(a->syncfd, SYNC_LEARN, &e) < 0) {
		rp_fail(&e, errno, "sync", "announce the listener");
		die(a->syncfd, &e);
	}
	if (seccomp_load_learn(a->filters, &e) < 0)
		die(a->syncfd, &e);
}

static _Noreturn void exec_workload(const struct child_args *a)
{
	const struct spec *s = a->s;
	int syncfd = a->syncfd;
	struct rp_err e = { 0 };
	char **env;
	int err;

	if (process_enter_cwd(s, &e) < 0 || process_cloexec_fds(&e) < 0)
		die(syncfd, &e);
	env = process_build_env(s);
	reset_signals();
	/* Tell the parent who we are (it sees our pid in its own namespace),
	 * so it can name the syscall should the filter kill us. */
	if (sync_send(syncfd, SYNC_EXEC, NULL) < 0) {
		rp_fail(&e, errno, "sync", "announce exec");
		die(syncfd, &e);
	}
	if (a->learn)
		load_learning_filter(a);
	/* Last: from here on only execve (and, on failure, the report to the
	 * parent) has to be allowed. */
	else if (s->no_new_privs && seccomp_load_filters(a->filters, &e) < 0)
		die(syncfd, &e);
	/* execvp searches the workload's PATH, not rampart's. */
	environ = env;
	execvp(s->argv[0], s->argv);
	err = errno;
	rp_fail_code(&e, err == ENOENT || err == ENOTDIR ? RP_EXIT_NOT_FOUND : RP_EXIT_CANNOT_EXEC,
		     err, "exec", "%s", s->argv[0]);
	die(syncfd, &e);
}

/* The identity that builds the container: root of the new user namespace
 * when the map has it, else the target user (rootless maps only that one).
 * Capabilities in the namespace are kept either way. */
static int become_setup_user(const struct spec *s, struct rp_err *e)
{
	uid_t uid = s->rootless ? s->user.uid : 0;
	gid_t gid = s->rootless ? s->user.gid : 0;

	if (!s->ns[NS_USER].unshare)
		return 0;
	if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return rp_fail(e, errno, "userns", "become uid %u inside", uid);
	return 0;
}

/* Has the launcher closed its end of the sync channel (died)? */
static bool parent_gone(int syncfd)
{
	struct pollfd p = { .fd = syncfd, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR));
}

static int build_container(const struct child_args *a, struct rp_err *e)
{
	const struct spec *s = a->s;

	if (become_setup_user(s, e) < 0)
		return -1;
	if (s->ns[NS_UTS].unshare && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return rp_fail(e, errno, "hostname", "%s", s->hostname);
	if (s->ns[NS_NET].unshare && net_setup_container(&s->net, e) < 0)
		return -1;
	/* Made only now that the parent has moved us into our cgroup, so
	 * that the namespace is rooted at it (kernels without
	 * CLONE_INTO_CGROUP). */
	if (a->unshare_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
		return rp_fail(e, errno, "namespace", "new cgroup namespace");
	struct mount_inputs in = { a->rootfd, a->root_mnt, a->sources, a->own_cgroup, a->secrets };

	if (mount_setup(s, &in, e) < 0)
		return -1;
	if (process_set_rlimits(s, e) < 0)
		return -1;
	/* Without no_new_privs the kernel only takes a filter from a holder of
	 * CAP_SYS_ADMIN, so it goes in before the drop (as runc does) and must
	 * then allow the user switch and capset too. */
	if (!s->no_new_privs && seccomp_load_filters(a->filters, e) < 0)
		return -1;
	if (process_switch_user(s, e) < 0 || caps_apply(s->caps_keep, e) < 0)
		return -1;
	/* Each change of euid/egid above cleared the parent-death signal
	 * (prctl(2)): arm it again, then check that the parent did not die in
	 * between (its end of the sync channel would be closed). */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return rp_fail(e, errno, "launch", "PR_SET_PDEATHSIG");
	if (parent_gone(a->syncfd))
		_exit(RP_EXIT_ERROR);
	if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return rp_fail(e, errno, "nnp", "PR_SET_NO_NEW_PRIVS");
	return 0;
}

_Noreturn void container_main(const struct child_args *a)
{
	const struct spec *s = a->s;
	int syncfd = a->syncfd;
	struct rp_err e = { 0 };
	pid_t child;
	int r;

	/* A launcher killed with SIGKILL takes its container with it; pid 1
	 * dying then takes down the whole pid namespace. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		rp_fail(&e, errno, "launch", "PR_SET_PDEATHSIG");
		die(syncfd, &e);
	}
	r = sync_recv(syncfd, NULL, NULL);
	if (r != SYNC_GO)
		_exit(RP_EXIT_ERROR); /* parent failed or died; it reports */
	/* Only now: with no map yet, a non-dumpable child's /proc files would
	 * belong to host root and a rootless parent could not write the map. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		rp_fail(&e, errno, "launch", "PR_SET_DUMPABLE");
		die(syncfd, &e);
	}
	if (build_container(a, &e) < 0)
		die(syncfd, &e);
	close(a->rootfd);
	if (a->root_mnt >= 0)
		close(a->root_mnt);
	for (size_t i = 0; a->sources && i < s->nmounts; i++)
		if (a->sources[i] >= 0)
			close(a->sources[i]);

	if (!s->init)
		exec_workload(a);
	child = fork();
	if (child < 0) {
		rp_fail(&e, errno, "init", "fork the workload");
		die(syncfd, &e);
	}
	if (child == 0)
		exec_workload(a);
	/* The parent's end-of-file must come from the workload's exec alone,
	 * and the reaper holds nothing it inherited from the host: close every
	 * fd above 2 (closing is best effort before Linux 5.9; it is
	 * non-dumpable either way, so its fds are not reachable from the
	 * workload). */
	close(syncfd);
	if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0 && errno != ENOSYS)
		_exit(RP_EXIT_ERROR);
	init_run(child);
}
