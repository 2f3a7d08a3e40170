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
 *      (OCI: the program is looked up first, then "ready", and the wait
 *      for `start` on the exec fifo)
 * The seccomp filter is loaded in 7, right before execve, because it cuts
 * off the syscalls the steps before it need (with `nnp off`: before 5).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "console.h"
#include "hooks.h"
#include "launch.h"
#include "mount.h"
#include "net.h"
#include "process.h"
#include "seccomp.h"
#include "seccomp_agent.h"
#include "sync.h"
#include "util.h"

extern char **environ;

static _Noreturn void die(int syncfd, struct rp_err *e)
{
	/* If the parent is gone there is nobody to tell; exit all the same. */
	(void)sync_send(syncfd, SYNC_ERROR, e);
	_exit(e->exit_code ? e->exit_code : RP_EXIT_ERROR);
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

/* After "ready" nobody reads the sync channel any more (create has
 * exited): say it on the container's stderr, as runc does. */
static _Noreturn void die_started(struct rp_err *e)
{
	fprintf(stderr, "rampart: %s\n", e->msg);
	_exit(e->exit_code ? e->exit_code : RP_EXIT_ERROR);
}

/* Is there a program to run? Checked before "ready", so that `create`
 * fails with 127/126 rather than a container that dies on `start`. */
static int find_program(const char *prog, char **env, struct rp_err *e)
{
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	char buf[4096];
	struct stat st;
	int err = ENOENT;

	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], "PATH=", 5) == 0)
			path = env[i] + 5;
	if (strchr(prog, '/')) {
		if (stat(prog, &st) == 0 && S_ISREG(st.st_mode) && access(prog, X_OK) == 0)
			return 0;
		err = stat(prog, &st) < 0 ? errno : EACCES;
	} else {
		for (const char *p = path; *p || p == path; p += *p == ':') {
			size_t n = strcspn(p, ":");
			if (xsnprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, p, n ? "/" : "", prog) >= 0 &&
			    stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
				if (access(buf, X_OK) == 0)
					return 0;
				err = EACCES;
			}
			p += n;
			if (!*p)
				break;
		}
	}
	return rp_fail_code(e, err == ENOENT || err == ENOTDIR ? RP_EXIT_NOT_FOUND : RP_EXIT_CANNOT_EXEC, err,
			    "exec", "%s", prog);
}

/* What the parent left in a memfd, as a string. */
static int read_memfd(int fd, char **out, struct rp_err *e)
{
	size_t len;

	if (lseek(fd, 0, SEEK_SET) < 0 || read_all(fd, 1 << 20, out, &len) < 0)
		return rp_fail(e, errno, "oci", "read the container state");
	*out = xrealloc(*out, len + 1);
	(*out)[len] = '\0';
	return 0;
}

/* The hooks the container runs itself (createContainer, startContainer),
 * with the state the parent left in a memfd. */
static int run_own_hooks(const struct child_args *a, enum hook_kind kind, int state_fd, struct rp_err *e)
{
	_cleanup_free_ char *state = NULL;

	if (!a->s->oci.hooks.list[kind].n || state_fd < 0)
		return 0;
	if (read_memfd(state_fd, &state, e) < 0)
		return -1;
	return hooks_run(&a->s->oci.hooks, kind, state, e);
}

/* Load the filters; a notify listener goes to the seccomp agent, with
 * the message the parent left. */
static int load_filters(const struct child_args *a, struct rp_err *e)
{
	_cleanup_free_ char *msg = NULL;
	int agent = a->oci ? a->oci->agent : -1;

	if (agent >= 0 && read_memfd(a->oci->agent_msg, &msg, e) < 0)
		return -1;
	return seccomp_agent_load(a->filters, agent, msg, e);
}

/* OCI: everything is built; say so and wait for `start` (one byte on
 * the exec fifo). The launcher exits after "ready": from here on no
 * parent-death signal, and errors go to the container's stderr.
 * startContainer hooks come from the image: they run under the filter
 * when no_new_privs lets it go in here. Returns whether it went in. */
static bool wait_for_start(const struct child_args *a, char **env)
{
	const struct spec *s = a->s;
	struct rp_err e = { 0 };
	char byte;
	ssize_t n;

	if (s->oci.umask >= 0)
		umask((mode_t)s->oci.umask);
	if (s->oci.personality_set && personality(s->oci.personality) < 0) {
		rp_fail(&e, errno, "process", "personality");
		die(a->syncfd, &e);
	}
	if (find_program(s->argv[0], env, &e) < 0)
		die(a->syncfd, &e);
	if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0) {
		rp_fail(&e, errno, "launch", "clear PR_SET_PDEATHSIG");
		die(a->syncfd, &e);
	}
	if (sync_send(a->syncfd, SYNC_READY, NULL) < 0)
		_exit(RP_EXIT_ERROR); /* create is gone: nobody will start us */
	do
		n = read(a->oci->exec_fifo, &byte, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(RP_EXIT_ERROR);
	close(a->oci->exec_fifo);
	if (!s->oci.hooks.list[HOOK_START_CONTAINER].n)
		return false;
	if (s->no_new_privs && load_filters(a, &e) < 0)
		die_started(&e);
	if (run_own_hooks(a, HOOK_START_CONTAINER, a->oci->start_state, &e) < 0)
		die_started(&e);
	return s->no_new_privs;
}

static _Noreturn void exec_workload(const struct child_args *a)
{
	const struct spec *s = a->s;
	int syncfd = a->syncfd;
	struct rp_err e = { 0 };
	char **env;
	bool filtered = false;
	int err;

	if (process_enter_cwd(s, &e) < 0 || process_cloexec_fds(&e) < 0)
		die(syncfd, &e);
	env = process_build_env(s);
	reset_signals_for_exec();
	if (a->oci) {
		for (unsigned i = 0; i < a->oci->preserve_fds; i++)
			if (fcntl(3 + (int)i, F_SETFD, 0) < 0 && errno != EBADF) {
				rp_fail(&e, errno, "fds", "preserve fd %u", 3 + i);
				die(syncfd, &e);
			}
		filtered = wait_for_start(a, env);
	}
	/* Tell the parent who we are (it sees our pid in its own namespace),
	 * so it can name the syscall should the filter kill us. */
	else if (sync_send(syncfd, SYNC_EXEC, NULL) < 0) {
		rp_fail(&e, errno, "sync", "announce exec");
		die(syncfd, &e);
	}
	if (a->learn)
		load_learning_filter(a);
	/* Last: from here on only execve (and, on failure, the report to the
	 * parent) has to be allowed. */
	else if (s->no_new_privs && !filtered && load_filters(a, &e) < 0)
		a->oci ? die_started(&e) : die(syncfd, &e);
	/* execvp searches the workload's PATH, not rampart's. */
	environ = env;
	execvp(s->argv[0], s->argv);
	err = errno;
	rp_fail_code(&e, err == ENOENT || err == ENOTDIR ? RP_EXIT_NOT_FOUND : RP_EXIT_CANNOT_EXEC,
		     err, "exec", "%s", s->argv[0]);
	if (a->oci)
		die_started(&e);
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

/* Before pivot_root, once the mounts exist: the parent runs prestart and
 * createRuntime (in the runtime's namespaces), then this process runs
 * createContainer's, in the container's namespaces with the host's root
 * still reachable, so their paths resolve in the runtime's (as the spec
 * asks, and as runc and crun do). */
static int creation_hooks(const void *arg, struct rp_err *e)
{
	const struct child_args *a = arg;
	const struct hooks *h = &a->s->oci.hooks;

	if (h->list[HOOK_PRESTART].n || h->list[HOOK_CREATE_RUNTIME].n) {
		if (sync_send(a->syncfd, SYNC_HOOKS, NULL) < 0)
			return rp_fail(e, errno, "sync", "ask for the runtime hooks");
		if (sync_recv(a->syncfd, NULL, NULL) != SYNC_GO)
			_exit(RP_EXIT_ERROR); /* a hook failed: the parent reports it */
	}
	return run_own_hooks(a, HOOK_CREATE_CONTAINER, a->oci->create_state, e);
}

static int write_sysctls(const struct spec *s, struct rp_err *e)
{
	for (size_t i = 0; s->oci.sysctl && s->oci.sysctl[i]; i++) {
		const char *kv = s->oci.sysctl[i];
		size_t klen = strcspn(kv, "=");
		char path[512];

		if (xsnprintf(path, sizeof(path), "/proc/sys/%.*s", (int)klen, kv) < 0)
			return rp_fail(e, ENAMETOOLONG, "sysctl", "%.*s", (int)klen, kv);
		for (char *p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		if (write_file_at(AT_FDCWD, path, kv + klen + 1) < 0)
			return rp_fail(e, errno, "sysctl", "%.*s", (int)klen, kv);
	}
	return 0;
}

/* The pty becomes stdio; it belongs to the user who will use it, as with
 * runc, so the workload can reopen it (/proc/self/fd/0, /dev/tty). */
static int setup_terminal(const struct child_args *a, struct rp_err *e)
{
	const struct spec *s = a->s;

	if (console_setup_slave(a->oci->console, s->oci.rows, s->oci.cols, e) < 0)
		return -1;
	if (fchown(STDIN_FILENO, s->user.uid, s->user.gid) < 0)
		return rp_fail(e, errno, "console", "give the terminal to uid %u", s->user.uid);
	return 0;
}

static int build_container(const struct child_args *a, struct rp_err *e)
{
	const struct spec *s = a->s;
	char ring[1024];

	if (become_setup_user(s, e) < 0)
		return -1;
	/* Named "_ses.ID" for an OCI container, as runc names it. */
	if (s->oci.id && xsnprintf(ring, sizeof(ring), "_ses.%s", s->oci.id) < 0)
		return rp_fail(e, ENAMETOOLONG, "keyring", "container id");
	if (!(a->oci && a->oci->no_new_keyring) &&
	    process_new_session_keyring(s->oci.id ? ring : NULL, e) < 0)
		return -1;
	if (s->ns[NS_UTS].unshare && s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return rp_fail(e, errno, "hostname", "%s", s->hostname);
	if (s->ns[NS_UTS].unshare && s->oci.domainname &&
	    setdomainname(s->oci.domainname, strlen(s->oci.domainname)) < 0)
		return rp_fail(e, errno, "domainname", "%s", s->oci.domainname);
	if (s->ns[NS_NET].unshare && net_setup_container(&s->net, e) < 0)
		return -1;
	/* Through the host's /proc, still ours to write: the container's own
	 * is read-only. Only namespaced keys (the reader checked). */
	if (write_sysctls(s, e) < 0)
		return -1;
	/* Made only now that the parent has moved us into our cgroup, so
	 * that the namespace is rooted at it (kernels without
	 * CLONE_INTO_CGROUP). */
	if (a->unshare_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
		return rp_fail(e, errno, "namespace", "new cgroup namespace");
	struct mount_inputs in = { a->rootfd, a->root_mnt, a->sources, a->own_cgroup, a->secrets, NULL, a };

	if (a->oci && (s->oci.hooks.list[HOOK_PRESTART].n || s->oci.hooks.list[HOOK_CREATE_RUNTIME].n ||
		       s->oci.hooks.list[HOOK_CREATE_CONTAINER].n))
		in.before_pivot = creation_hooks;

	if (mount_setup(s, &in, e) < 0)
		return -1;
	/* The container's own devpts is mounted now; the pty comes from it. */
	if (a->oci && a->oci->console >= 0 && setup_terminal(a, e) < 0)
		return -1;
	if (process_set_rlimits(s, e) < 0)
		return -1;
	/* Without no_new_privs the kernel only takes a filter from a holder of
	 * CAP_SYS_ADMIN, so it goes in before the drop (as runc does) and must
	 * then allow the user switch and capset too. */
	if (!s->no_new_privs && load_filters(a, e) < 0)
		return -1;
	if (process_switch_user(s, e) < 0 ||
	    (s->oci.caps_split ? caps_apply_sets(s->oci.caps, e) : caps_apply(s->caps_keep, e)) < 0)
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
	/* OCI: the reaper outlives `create` like the workload does. */
	if (a->oci && prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0)
		_exit(RP_EXIT_ERROR);
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
