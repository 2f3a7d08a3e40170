/* oci_exec.c - a new process in a running container (`rampart exec`).
 *
 * The process must be no less confined than the container's first one:
 * every namespace of the container joined, its cgroup, its bounding set,
 * no_new_privs and seccomp filter (rebuilt from the config create kept and
 * the same --profile/--set lines). The order, and why:
 *   parent  block the forwarded signals; compile the filter; a pidfd of
 *           the container's process (checked against its start time)
 *   A       close every fd but its own; non-dumpable BEFORE entering
 *           anything, so no container process can open /proc/A/exe or
 *           its memory (CVE-2019-5736: the runtime binary is never
 *           reachable from inside); into the cgroup (a host path, so
 *           before the mount namespace); setns into the namespaces; then
 *           a child with CLONE_PARENT, since a pid namespace only takes
 *           effect for children, and the caller must be able to wait
 *   B       in the container: cwd resolved inside (CVE-2024-21626: no
 *           host cwd or fd survives), terminal, rlimits, user, caps, nnp,
 *           clean env, close-on-exec fds, filter, execve.
 * B is never rampart re-executed: it is this process image until execve
 * replaces it with the workload's.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "console.h"
#include "launch.h"
#include "oci.h"
#include "oci_runtime.h"
#include "parse.h"
#include "process.h"
#include "profile.h"
#include "seccomp.h"
#include "seccomp_agent.h"
#include "seccomp_json.h"
#include "selfseal.h"
#include "sync.h"
#include "util.h"

extern char **environ;

static const struct { int type; unsigned long flag; const char *file; } ns_files[] = {
	/* The user namespace first: it grants the rights to enter the rest. */
	{ NS_USER, CLONE_NEWUSER, "user" }, { NS_MNT, CLONE_NEWNS, "mnt" },
	{ NS_PID, CLONE_NEWPID, "pid" },    { NS_NET, CLONE_NEWNET, "net" },
	{ NS_IPC, CLONE_NEWIPC, "ipc" },    { NS_UTS, CLONE_NEWUTS, "uts" },
	{ NS_CGROUP, CLONE_NEWCGROUP, "cgroup" },
};

/* The container's namespaces that are not ours. */
static unsigned long foreign_namespaces(pid_t pid)
{
	unsigned long flags = 0;

	for (size_t i = 0; i < ARRAY_SIZE(ns_files); i++) {
		char theirs[64], ours[64];
		struct stat a, b;

		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, ns_files[i].file);
		snprintf(ours, sizeof(ours), "/proc/self/ns/%s", ns_files[i].file);
		if (stat(theirs, &a) == 0 && stat(ours, &b) == 0 && (a.st_ino != b.st_ino || a.st_dev != b.st_dev))
			flags |= ns_files[i].flag;
	}
	return flags;
}

/* setns(pidfd, all) enters them together (5.8+); before that, one
 * namespace file at a time, opened while the pidfd vouches for the pid. */
static int enter_namespaces(int pidfd, pid_t pid, unsigned long flags, struct rp_err *e)
{
	int fds[ARRAY_SIZE(ns_files)];

	if (setns(pidfd, (int)flags) == 0)
		return 0;
	if (errno != EINVAL)
		return rp_fail(e, errno, "exec", "enter the container's namespaces");
	for (size_t i = 0; i < ARRAY_SIZE(ns_files); i++) {
		char path[64];

		fds[i] = -1;
		if (!(flags & ns_files[i].flag))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns_files[i].file);
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			return rp_fail(e, errno, "exec", "%s", path);
	}
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
		return rp_fail(e, errno, "exec", "the container's process is gone");
	for (size_t i = 0; i < ARRAY_SIZE(ns_files); i++) {
		if (fds[i] < 0)
			continue;
		if (setns(fds[i], (int)ns_files[i].flag) < 0)
			return rp_fail(e, errno, "exec", "enter the %s namespace", ns_files[i].file);
		close(fds[i]);
	}
	return 0;
}

struct exec_ctx {
	const struct spec *s;
	const struct oci_exec_opts *o;
	struct sc_filters filters;
	const char *cgroup;
	pid_t pid;             /* the container's process */
	int pidfd;
	unsigned long ns;
	int sync[2];
	int console;           /* to the console socket (or our socketpair), -1 */
	int agent;             /* connected to the seccomp agent, or -1 */
	char *agent_state;     /* the container's state, for the agent's message */
	int pidpipe[2];        /* A tells B its host pid (for that message), or -1 */
};

static _Noreturn void fail_child(struct exec_ctx *c, struct rp_err *e)
{
	(void)sync_send(c->sync[1], SYNC_ERROR, e);
	_exit(e->exit_code ? e->exit_code : RP_EXIT_ERROR);
}

/* B: load the filters; with notify rules, the listener goes to the
 * seccomp agent with B's host pid, which A wrote down (B itself only knows
 * its pid in the container's namespace). */
static int exec_load_filters(struct exec_ctx *c, struct rp_err *e)
{
	_cleanup_free_ char *msg = NULL;
	pid_t me;
	ssize_t n;

	if (c->agent >= 0) {
		/* A wrote it, or died: then the read sees end of file (the
		 * parent closed its copies, we close ours of the write end). */
		closep(&c->pidpipe[1]);
		do
			n = read(c->pidpipe[0], &me, sizeof(me));
		while (n < 0 && errno == EINTR);
		if (n != (ssize_t)sizeof(me))
			return rp_fail(e, n < 0 ? errno : EPIPE, "exec", "learn our pid");
		msg = seccomp_agent_message(c->agent_state, me, c->s->oci.seccomp_metadata);
		if (!msg)
			return rp_fail(e, ENOMEM, "seccomp", "message for the agent");
	}
	return seccomp_agent_load(&c->filters, c->agent, msg, e);
}

/* B: inside the container, from root of its namespaces to the workload. */
static _Noreturn void exec_in_container(struct exec_ctx *c)
{
	const struct spec *s = c->s;
	struct rp_err e = { 0 };
	char **env;
	int err;

	if (process_enter_cwd(s, &e) < 0 ||
	    (c->console >= 0 && console_setup_slave(c->console, s->oci.rows, s->oci.cols, &e) < 0) ||
	    process_set_rlimits(s, &e) < 0)
		fail_child(c, &e);
	/* Not the caller's session keyring (runc joins "_ses.ID", which the
	 * host's root may not search: a new one either way). Before the
	 * filter, which may refuse keyctl. */
	if (process_new_session_keyring(NULL, &e) < 0)
		fail_child(c, &e);
	if (!s->no_new_privs && exec_load_filters(c, &e) < 0)
		fail_child(c, &e);
	if (process_switch_user(s, &e) < 0 ||
	    (s->oci.caps_split ? caps_apply_sets(s->oci.caps, &e) : caps_apply(s->caps_keep, &e)) < 0)
		fail_child(c, &e);
	if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		rp_fail(&e, errno, "nnp", "PR_SET_NO_NEW_PRIVS");
		fail_child(c, &e);
	}
	if (s->oci.umask >= 0)
		umask((mode_t)s->oci.umask);
	if (process_cloexec_fds(&e) < 0)
		fail_child(c, &e);
	for (unsigned i = 0; i < c->o->preserve_fds; i++)
		(void)fcntl(3 + (int)i, F_SETFD, 0);
	env = process_build_env(s);
	reset_signals_for_exec();
	/* Our pid, as the caller sees it, rides on the credentials. */
	if (sync_send(c->sync[1], SYNC_EXEC, NULL) < 0)
		_exit(RP_EXIT_ERROR);
	if (s->no_new_privs && exec_load_filters(c, &e) < 0)
		fail_child(c, &e);
	environ = env;
	execvp(s->argv[0], s->argv);
	err = errno;
	rp_fail_code(&e, err == ENOENT || err == ENOTDIR ? RP_EXIT_NOT_FOUND : RP_EXIT_CANNOT_EXEC, err, "exec",
		     "%s", s->argv[0]);
	fail_child(c, &e);
}

/* A: from the host into the container, then B. Never returns. */
static _Noreturn void enter_container(struct exec_ctx *c)
{
	struct rp_err e = { 0 };
	int keep[6 + 64], n = 0;
	pid_t b;

	keep[n++] = c->sync[1];
	keep[n++] = c->pidfd;
	keep[n++] = c->console;
	keep[n++] = c->agent;
	keep[n++] = c->pidpipe[0];
	keep[n++] = c->pidpipe[1];
	for (unsigned i = 0; i < c->o->preserve_fds && n < (int)ARRAY_SIZE(keep); i++)
		keep[n++] = 3 + (int)i;
	if (close_fds_except(keep, (size_t)n) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		rp_fail(&e, errno, "exec", "prepare");
		fail_child(c, &e);
	}
	/* The config's OOM score, as the container's first process has it;
	 * otherwise the caller's (the shim's, often shielded) would pass on. */
	if (c->s->oci.oom_score_adj_set) {
		char adj[16];
		snprintf(adj, sizeof(adj), "%d", c->s->oci.oom_score_adj);
		if (write_file_at(AT_FDCWD, "/proc/self/oom_score_adj", adj) < 0) {
			rp_fail(&e, errno, "exec", "oomScoreAdj %s", adj);
			fail_child(c, &e);
		}
	}
	if (c->cgroup) {
		char path[PATH_MAX], me[32];
		snprintf(me, sizeof(me), "%d", (int)getpid());
		if (xsnprintf(path, sizeof(path), "%s/cgroup.procs", c->cgroup) < 0 ||
		    write_file_at(AT_FDCWD, path, me) < 0) {
			rp_fail(&e, errno, "exec", "join the cgroup %s", c->cgroup);
			fail_child(c, &e);
		}
	}
	if (enter_namespaces(c->pidfd, c->pid, c->ns, &e) < 0)
		fail_child(c, &e);
	close(c->pidfd);
	b = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
	if (b < 0) {
		rp_fail(&e, errno, "exec", "clone into the container");
		fail_child(c, &e);
	}
	if (b == 0)
		exec_in_container(c);
	if (c->pidpipe[1] >= 0 && write(c->pidpipe[1], &b, sizeof(b)) != (ssize_t)sizeof(b))
		_exit(RP_EXIT_ERROR); /* B fails on the short read and reports */
	_exit(0);
}

/* ROOT/ID/NAME, and its path in SOURCE for the messages that name it. */
static int state_text(const struct oci_state *st, const char *root, const char *name, char **text, size_t *len,
		      char *source, size_t srclen, struct rp_err *e)
{
	snprintf(source, srclen, "%s/%s/%s", root, st->id, name);
	return oci_state_read_file(st, name, 4 << 20, text, len, e);
}

/* Never more than the container's first process: its syscall rules as
 * create kept them (not the profiles on disk now), capabilities within its
 * bounding set, no_new_privs if it had it. */
static int bound_by_container(struct spec *s, const struct oci_state *st, const struct oci_exec_opts *o,
			      struct rp_err *e)
{
	_cleanup_free_ char *text = NULL;
	char source[PATH_MAX];
	size_t len;

	if (state_text(st, o->root, "seccomp.profile", &text, &len, source, sizeof(source), e) < 0)
		return -1;
	seccomp_spec_free(&s->seccomp);
	s->seccomp = (struct seccomp_spec){ .enabled = true, .default_action = { SC_ERRNO, EPERM } };
	if (profile_load_text(s, text, len, source, e) < 0)
		return -1;
	s->caps_keep &= st->bounding;
	for (int i = 0; i < CAPS_NSETS; i++)
		s->oci.caps[i] &= st->bounding;
	s->no_new_privs |= st->nnp;
	return 0;
}

/* The spec: the container's, then what exec says about the process. */
static int exec_spec(struct spec *s, const struct oci_state *st, const struct oci_exec_opts *o,
		     struct rp_err *e)
{
	_cleanup_free_ char *text = NULL;
	char source[PATH_MAX];
	size_t len;

	if (state_text(st, o->root, "config.json", &text, &len, source, sizeof(source), e) < 0)
		return -1;
	if (oci_spec_load(s, st->bundle, text, len, source, st->profiles, st->sets, st->id, e) < 0)
		return -1;
	if (o->process_file) {
		json_t *p = scj_load_file(o->process_file, e);
		int r = p ? oci_process_read(s, p, o->process_file, e) : -1;
		json_decref(p);
		if (r < 0)
			return -1;
	} else if (o->args && o->args[0]) {
		strv_free(s->argv);
		s->argv = NULL;
		for (char **a = o->args; *a; a++)
			strv_push(&s->argv, *a);
	} else {
		return rp_fail(e, 0, "usage", "exec: a command or --process FILE is needed");
	}
	for (size_t i = 0; o->env && o->env[i]; i++)
		spec_set_env(s, o->env[i]);
	if (o->cwd) {
		char buf[PATH_MAX];
		if (parse_container_path(o->cwd, buf, sizeof(buf)) < 0)
			return rp_fail(e, 0, "exec", "--cwd %s: not an absolute path", o->cwd);
		free(s->cwd);
		s->cwd = xstrdup(buf);
	}
	if (o->user) {
		const char *colon = strchr(o->user, ':');
		free(s->user.name);
		free(s->user.group);
		s->user.name = colon ? strndup(o->user, (size_t)(colon - o->user)) : xstrdup(o->user);
		/* runc's --user UID means gid 0 unless given. */
		s->user.group = xstrdup(colon ? colon + 1 : "0");
		if (!s->user.name)
			abort();
	}
	for (size_t i = 0; o->caps && o->caps[i]; i++) {
		int cap = caps_from_name(o->caps[i]);
		if (cap < 0)
			return rp_fail(e, 0, "exec", "--cap: unknown capability '%s'", o->caps[i]);
		s->caps_keep |= UINT64_C(1) << cap;
		for (int set = 0; set < CAPS_NSETS; set++)
			s->oci.caps[set] |= UINT64_C(1) << cap;
	}
	if (o->no_new_privs)
		s->no_new_privs = true;
	if (o->tty)
		s->oci.terminal = true;
	if (bound_by_container(s, st, o, e) < 0 || oci_config_recheck(s, e) < 0)
		return -1;
	return spec_validate(s, e);
}

/* The process exec makes is reachable from every process of the
 * container, so the container's capabilities count, not only its own. */
static bool needs_seal(const struct spec *s, const struct oci_state *st)
{
	struct spec view = *s;

	view.caps_keep |= st->bounding;
	view.ns[NS_USER].unshare = st->userns;
	return selfseal_needed(&view);
}

static int open_console(struct exec_ctx *c, int *peer, struct rp_err *e)
{
	int pair[2];

	*peer = -1;
	if (!c->s->oci.terminal)
		return 0;
	if (c->o->console_socket) {
		c->console = console_connect(c->o->console_socket, e);
		return c->console < 0 ? -1 : 0;
	}
	if (c->o->detach)
		return rp_fail(e, 0, "exec", "a terminal with --detach needs --console-socket");
	if (console_socketpair(pair, e) < 0)
		return -1;
	*peer = pair[0];
	c->console = pair[1];
	return 0;
}

/* Read B's report: its pid on SYNC_EXEC, then end-of-file at execve. */
static pid_t await_exec(struct exec_ctx *c, pid_t a, struct rp_err *e)
{
	struct rp_err child = { 0 };
	pid_t b = 0, who;
	int r, st;

	while ((r = sync_recv(c->sync[0], &child, &who)) > 0) {
		if (r == SYNC_EXEC)
			b = who;
		else if (r == SYNC_ERROR)
			break;
	}
	while (waitpid(a, &st, 0) < 0 && errno == EINTR)
		;
	if (r == SYNC_ERROR) {
		*e = child;
		if (b > 0) {
			kill(b, SIGKILL); /* it may be past its report */
			while (waitpid(b, &st, 0) < 0 && errno == EINTR)
				;
		}
		return -1;
	}
	if (r < 0 || b <= 0)
		return rp_fail(e, r < 0 ? errno : EPROTO, "exec", "the process did not start");
	return b;
}

static int run_exec(struct exec_ctx *c, struct rp_err *e)
{
	int peer = -1, master = -1, status = -1, bfd = -1;
	pid_t a, b;

	if (open_console(c, &peer, e) < 0 || sync_pair(c->sync, e) < 0)
		goto out;
	a = fork();
	if (a < 0) {
		rp_fail(e, errno, "exec", "fork");
		goto out;
	}
	if (a == 0) {
		close(c->sync[0]);
		if (peer >= 0)
			close(peer);
		enter_container(c);
	}
	close(c->sync[1]);
	c->sync[1] = -1;
	closep(&c->console); /* A took its copy in */
	/* A and B have theirs: B must see end of file should A die early. */
	closep(&c->agent);
	closep(&c->pidpipe[0]);
	closep(&c->pidpipe[1]);
	b = await_exec(c, a, e);
	if (b < 0)
		goto out;
	if (c->o->pid_file && oci_write_pid_file(c->o->pid_file, b, e) < 0) {
		kill(b, SIGKILL);
		goto out;
	}
	if (c->o->detach) {
		status = 0;
		goto out;
	}
	if (peer >= 0 && (master = console_recv_master(peer, e)) >= 0) {
		struct rp_err pe = { 0 };
		if (console_proxy(master, STDIN_FILENO, STDOUT_FILENO, -1, &pe) < 0 && c->o->notices)
			fprintf(c->o->notices, "rampart: warning: %s\n", pe.msg);
	}
	bfd = (int)syscall(SYS_pidfd_open, b, 0);
	status = launch_wait_process(b, bfd, e);
out:
	closep(&bfd);
	closep(&master);
	closep(&peer);
	closep(&c->sync[0]);
	closep(&c->sync[1]);
	return status;
}

int oci_exec(const struct oci_exec_opts *o, struct rp_err *e)
{
	struct oci_state st;
	struct spec s;
	struct exec_ctx c = { .s = &s, .o = o, .pidfd = -1, .sync = { -1, -1 }, .console = -1,
			      .agent = -1, .pidpipe = { -1, -1 } };
	sigset_t block, old;
	const char *status;
	bool cached, masked = false;
	int r = -1;

	spec_init(&s);
	if (oci_state_open(o->root, o->id, &st, e) < 0)
		goto out;
	status = oci_state_status(&st);
	if (strcmp(status, "running") != 0 && strcmp(status, "created") != 0 &&
	    !(o->ignore_paused && strcmp(status, "paused") == 0)) {
		rp_fail(e, 0, "exec", "container %s is %s", o->id, status);
		goto out;
	}
	if (exec_spec(&s, &st, o, e) < 0)
		goto out;
	/* Before anything is made: the re-run starts over (the state's fd
	 * and lock go with the exec). */
	if (needs_seal(&s, &st) && selfseal_reexec(e) < 0)
		goto out;
	if (seccomp_compile_cached(&s.seccomp, false, &c.filters, &cached, e) < 0)
		goto out;
	/* A foreground exec may run for hours: kill and delete must not wait
	 * on it. What it needs of the state has been read. */
	if (flock(st.dirfd, LOCK_UN) < 0) {
		rp_fail(e, errno, "state", "unlock %s", o->id);
		goto out;
	}
	c.pid = st.pid;
	c.cgroup = st.cgroup;
	c.pidfd = (int)syscall(SYS_pidfd_open, st.pid, 0);
	if (c.pidfd < 0 && errno == ENOSYS) {
		rp_fail(e, errno, "exec", "container %s: entering it safely needs pidfd_open (Linux 5.3)", o->id);
		goto out;
	}
	if (c.pidfd < 0 || !oci_state_alive(&st)) {
		rp_fail(e, c.pidfd < 0 ? errno : ESRCH, "exec", "container %s has no process", o->id);
		goto out;
	}
	c.ns = foreign_namespaces(st.pid);
	if (s.oci.seccomp_agent && seccomp_has_notify(&s.seccomp)) {
		c.agent = seccomp_agent_connect(s.oci.seccomp_agent, e);
		if (c.agent < 0)
			goto out;
		c.agent_state = oci_hook_state(&st, "running");
		if (!c.agent_state) {
			rp_fail(e, ENOMEM, "exec", "the seccomp agent's message");
			goto out;
		}
		if (pipe2(c.pidpipe, O_CLOEXEC) < 0) {
			rp_fail(e, errno, "exec", "pipe for the seccomp agent's pid");
			goto out;
		}
	}
	launch_forwarded_signals(&block);
	sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, &old) < 0) {
		rp_fail(e, errno, "exec", "block signals");
		goto out;
	}
	masked = true;
	r = run_exec(&c, e);
out:
	if (masked)
		sigprocmask(SIG_SETMASK, &old, NULL);
	closep(&c.pidfd);
	closep(&c.console);
	closep(&c.agent);
	closep(&c.pidpipe[0]);
	closep(&c.pidpipe[1]);
	free(c.agent_state);
	seccomp_filters_free(&c.filters);
	oci_state_free(&st);
	spec_free(&s);
	return r;
}
