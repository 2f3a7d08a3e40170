/* launch.c - the parent side of a launch.
 *
 *   1. (caller) the spec is validated: nothing has been touched yet
 *   2. open the rootfs, create missing mount points in it, make the sync
 *      channel, block the forwarded signals
 *      (so none is lost between clone and the wait loop)
 *   3. clone3 into the new namespaces
 *   4. write the id maps, tell the child to go
 *   5. read the child's verdict: an error, or end-of-file on exec
 *   6. forward signals, wait, report the status
 * On any failure after clone the child is killed and reaped; it owns every
 * mount it made (they die with its mount namespace), so nothing is left.
 */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mount.h"
#include "ns.h"
#include "sigsys.h"
#include "sync.h"
#include "util.h"

void launch_forwarded_signals(sigset_t *set)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
				    SIGCONT };

	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(set, sigs[i]);
}

static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return RP_EXIT_SIGNAL_BASE + WTERMSIG(st);
}

static int send_signal(pid_t pid, int pidfd, int sig)
{
	/* The pidfd cannot be fooled by pid reuse. */
	if (pidfd >= 0)
		return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
	return kill(pid, sig);
}

static void kill_and_reap(pid_t pid, int pidfd)
{
	int st;

	send_signal(pid, pidfd, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* Forward signals until the child exits; return its status. */
static int wait_forwarding(pid_t pid, int pidfd, struct rp_err *e)
{
	sigset_t set;
	_cleanup_close_ int sfd = -1;
	int st;

	launch_forwarded_signals(&set);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		kill_and_reap(pid, pidfd);
		return rp_fail(e, errno, "launch", "signalfd");
	}
	for (;;) {
		struct pollfd p[2] = { { .fd = sfd, .events = POLLIN },
				       { .fd = pidfd, .events = POLLIN } };
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return status_code(st);
		if (r < 0 && errno != EINTR) {
			return rp_fail(e, errno, "launch", "wait for pid %d", pid);
		}
		/* Without a pidfd (old kernel) poll the signalfd with a tick. */
		if (poll(p, pidfd >= 0 ? 2 : 1, pidfd >= 0 ? -1 : 50) < 0 && errno != EINTR) {
			kill_and_reap(pid, pidfd);
			return rp_fail(e, errno, "launch", "poll");
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				send_signal(pid, pidfd, (int)si.ssi_signo);
		}
	}
}

/* Read the child's messages until exec (end-of-file) or an error.
 * Returns SYNC_ERROR, 0 (exec'd), or -1; *workload gets the workload's pid. */
static int read_verdict(int fd, struct rp_err *child_err, pid_t *workload)
{
	for (;;) {
		pid_t pid;
		int r = sync_recv(fd, child_err, &pid);

		if (r != SYNC_EXEC)
			return r;
		*workload = pid;
	}
}

/* After a SIGSYS death, say which syscall the filter refused. */
static void name_sigsys(int watch, pid_t workload, int status, struct rp_err *note)
{
	char what[160];

	if (status != RP_EXIT_SIGNAL_BASE + SIGSYS || workload <= 0)
		return;
	if (watch < 0) {
		snprintf(note->msg, sizeof(note->msg),
			 "seccomp: the workload was killed (SIGSYS) by the syscall filter; "
			 "run as root to have the syscall named, or look for audit type=1326 in the kernel log");
		return;
	}
	if (sigsys_describe(watch, workload, 200, what, sizeof(what)) == 0)
		snprintf(note->msg, sizeof(note->msg),
			 "seccomp: the workload was killed (SIGSYS) for calling %s, which the profile does not allow",
			 what);
}

static int run_child(struct child_args *a, int sync[2], struct rp_err *e)
{
	const struct spec *s = a->s;
	_cleanup_close_ int pidfd = -1, watch = -1;
	struct rp_err child_err = { 0 };
	pid_t pid, workload = 0;
	int r, status;

	/* Subscribed before the workload exists, so no record is missed. */
	if (s->seccomp.enabled)
		watch = sigsys_watch();

	pid = ns_clone(ns_clone_flags(s), &pidfd, e);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(sync[0]);
		a->syncfd = sync[1];
		container_main(a);
	}
	close(sync[1]);
	sync[1] = -1;

	if ((s->ns[NS_USER].unshare && ns_write_idmaps(pid, s, e) < 0) ||
	    (sync_send(sync[0], SYNC_GO, NULL) < 0 && rp_fail(e, errno, "sync", "start the container"))) {
		kill_and_reap(pid, pidfd);
		return -1;
	}
	r = read_verdict(sync[0], &child_err, &workload);
	if (r < 0) {
		kill_and_reap(pid, pidfd);
		return rp_fail(e, errno, "sync", "read the container's status");
	}
	status = wait_forwarding(pid, pidfd, e);
	if (r == SYNC_ERROR) {
		*e = child_err;
		return -1;
	}
	if (status >= 0)
		name_sigsys(watch, workload, status, e);
	return status;
}

int launch_run(const struct spec *s, struct rp_err *e)
{
	_cleanup_close_ int rootfd = -1;
	int sync[2] = { -1, -1 };
	int *sources = NULL;
	struct sc_filters filters = { 0 };
	struct child_args args;
	sigset_t block, old;
	int r;

	/* Compiled before anything is touched: a rule libseccomp refuses is a
	 * config error like any other. */
	if (seccomp_compile(&s->seccomp, &filters, e) < 0)
		return -1;
	rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		seccomp_filters_free(&filters);
		return rp_fail(e, errno, "launch", "rootfs %s", s->rootfs);
	}
	if (mount_prepare_targets(s, rootfd, e) < 0 || mount_open_sources(s, &sources, e) < 0 ||
	    sync_pair(sync, e) < 0) {
		r = -1;
		goto out;
	}
	launch_forwarded_signals(&block);
	sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, &old) < 0) {
		r = rp_fail(e, errno, "launch", "block signals");
		goto out;
	}
	args = (struct child_args){ .s = s, .rootfd = rootfd, .sources = sources,
				    .filters = &filters, .syncfd = -1 };
	r = run_child(&args, sync, e);
	if (sigprocmask(SIG_SETMASK, &old, NULL) < 0 && r >= 0)
		r = rp_fail(e, errno, "launch", "restore the signal mask");
out:
	mount_close_sources(s, &sources);
	seccomp_filters_free(&filters);
	if (sync[0] >= 0)
		close(sync[0]);
	if (sync[1] >= 0)
		close(sync[1]);
	return r;
}
