/* oci_runtime.c - create, start, kill, delete, run (see oci_runtime.h).
 *
 * The launcher (launch.c) does the work; this file adds what the OCI
 * lifecycle needs around it: the state directory, the exec fifo, the
 * hooks at their points, the pid file, and undoing all of it on failure.
 */
#include "oci_runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "console.h"
#include "hooks.h"
#include "launch.h"
#include "oci.h"
#include "profile.h"
#include "seccomp.h"
#include "seccomp_agent.h"
#include "json_util.h"
#include "util.h"

int oci_spec_load(struct spec *s, const char *bundle, const char *text, size_t len, const char *source,
		  char **profiles, char **sets, const char *id, struct rp_err *e)
{
	if (oci_config_loads(s, text, len, bundle, source, e) < 0)
		return -1;
	s->oci.id = xstrdup(id);
	/* `create --profile`: hardening a bundle some other tool made. */
	for (size_t i = 0; profiles && profiles[i]; i++)
		if (profile_load(s, profiles[i], e) < 0)
			return -1;
	for (size_t i = 0; sets && sets[i]; i++)
		if (profile_apply_line(s, sets[i], "--set", (unsigned)(i + 1), e) < 0)
			return -1;
	return 0;
}

int oci_spec_build(struct spec *s, const char *bundle, const char *text, size_t len, const char *source,
		   char **profiles, char **sets, const char *id, struct rp_err *e)
{
	if (oci_spec_load(s, bundle, text, len, source, profiles, sets, id, e) < 0 || oci_config_recheck(s, e) < 0)
		return -1;
	return spec_validate(s, e);
}

char *oci_hook_state(const struct oci_state *st, const char *status)
{
	json_t *o = oci_state_json(st);
	char *text;

	if (!o)
		return NULL;
	jset(o, "status", json_string(status));
	jset(o, "pid", json_integer(st->pid));
	json_object_del(o, "rootfs");
	json_object_del(o, "created");
	json_object_del(o, "owner");
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

static int run_hooks(const struct hooks *h, enum hook_kind k, const struct oci_state *st, const char *status,
		     struct rp_err *e)
{
	_cleanup_free_ char *state = NULL;

	if (!h->list[k].n)
		return 0;
	state = oci_hook_state(st, status);
	if (!state)
		return rp_fail(e, ENOMEM, "hook", "%s", hook_kind_name(k));
	return hooks_run(h, k, state, e);
}

/* poststart and poststop: a failure is a warning (runtime-spec). */
static void run_hooks_warn(const struct hooks *h, enum hook_kind k, const struct oci_state *st,
			   const char *status, FILE *notices)
{
	_cleanup_free_ char *state = NULL;
	struct rp_err e = { 0 };

	if (!h->list[k].n)
		return;
	state = oci_hook_state(st, status);
	if ((!state || hooks_run_all(h, k, state, &e) < 0) && notices)
		fprintf(notices, "rampart: warning: %s\n", state ? e.msg : "hook: out of memory");
}

/* The hooks of a container that create left: from its config copy. */
static int load_hooks(const struct oci_state *st, struct hooks *h, struct rp_err *e)
{
	_cleanup_close_ int fd = openat(st->dirfd, "config.json", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	json_error_t jerr;
	json_t *doc;
	int r;

	memset(h, 0, sizeof(*h));
	if (fd < 0 && errno == ENOENT)
		return 0;
	doc = fd < 0 ? NULL : json_loadfd(fd, 0, &jerr);
	if (!doc)
		return rp_fail(e, fd < 0 ? errno : 0, "state", "%s/config.json", st->id);
	r = hooks_parse(json_object_get(doc, "hooks"), h, e);
	json_decref(doc);
	return r;
}

static json_t *annotations_json(const struct spec *s)
{
	json_t *o = json_object();

	for (size_t i = 0; o && s->oci.annotations && s->oci.annotations[i]; i++) {
		const char *kv = s->oci.annotations[i];
		size_t k = strcspn(kv, "=");
		char *key = strndup(kv, k);

		if (key)
			jset(o, key, json_string(kv + k + 1));
		free(key);
	}
	return o;
}

int oci_write_pid_file(const char *path, pid_t pid, struct rp_err *e)
{
	char tmp[PATH_MAX], buf[32];
	int fd, n = snprintf(buf, sizeof(buf), "%d", (int)pid);

	if (xsnprintf(tmp, sizeof(tmp), "%s.rampart-tmp", path) < 0)
		return rp_fail(e, ENAMETOOLONG, "pid-file", "%s", path);
	(void)unlink(tmp); /* a leftover of a killed run; O_EXCL below */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 || write_all(fd, buf, (size_t)n) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		int err = errno;
		unlink(tmp);
		return rp_fail(e, err, "pid-file", "%s", path);
	}
	return 0;
}

/* What create holds while it works. */
struct creating {
	const struct spec *s;
	const struct oci_create_opts *o;
	struct oci_state st;
	struct launch_oci lo;
	int master;          /* run without --console-socket: the pty master */
	int console_peer;    /* ... and the socket it arrives on */
	bool deleted;        /* a delete --force cleaned up under a foreground run */
};

/* The child has made its mounts and waits before pivot_root. */
static int runtime_hooks(void *arg, struct rp_err *e)
{
	struct creating *c = arg;

	if (run_hooks(&c->s->oci.hooks, HOOK_PRESTART, &c->st, "creating", e) < 0 ||
	    run_hooks(&c->s->oci.hooks, HOOK_CREATE_RUNTIME, &c->st, "creating", e) < 0)
		return -1;
	return 0;
}

/* The state for hooks the container runs itself, left in a memfd. */
static int write_hook_state(int fd, const struct oci_state *st, const char *status, struct rp_err *e)
{
	_cleanup_free_ char *text = oci_hook_state(st, status);

	if (!text || write_all(fd, text, strlen(text)) < 0)
		return rp_fail(e, errno ? errno : ENOMEM, "hook", "state for the container's hooks");
	return 0;
}

/* From launch_spawn, once the namespaces exist: record the pid. */
static int namespaces_ready(void *arg, pid_t pid, struct rp_err *e)
{
	struct creating *c = arg;
	bool zombie;

	c->st.pid = pid;
	c->st.start = oci_pid_start(pid, &zombie);
	if (oci_state_save(&c->st, e) < 0)
		return -1;
	if (c->lo.create_state >= 0 && write_hook_state(c->lo.create_state, &c->st, "creating", e) < 0)
		return -1;
	if (c->lo.start_state >= 0 && write_hook_state(c->lo.start_state, &c->st, "created", e) < 0)
		return -1;
	if (c->lo.agent_msg >= 0) {
		_cleanup_free_ char *state = oci_hook_state(&c->st, "creating");
		_cleanup_free_ char *msg = state ? seccomp_agent_message(state, pid, c->s->oci.seccomp_metadata) : NULL;
		if (!msg || write_all(c->lo.agent_msg, msg, strlen(msg)) < 0)
			return rp_fail(e, errno ? errno : ENOMEM, "seccomp", "message for the agent");
	}
	return 0;
}

static int open_console(struct creating *c, struct rp_err *e)
{
	int pair[2];

	if (!c->s->oci.terminal)
		return 0;
	if (c->o->console_socket) {
		c->lo.console = console_connect(c->o->console_socket, e);
		return c->lo.console < 0 ? -1 : 0;
	}
	if (!c->o->start || c->o->detach)
		return rp_fail(e, 0, "console", "process.terminal is set: --console-socket is needed%s",
			       c->o->start ? " with --detach" : "");
	/* A foreground run proxies the terminal itself. */
	if (console_socketpair(pair, e) < 0)
		return -1;
	c->console_peer = pair[0];
	c->lo.console = pair[1];
	return 0;
}

/* The first process's syscall rules, as profile lines: what every exec'd
 * process gets, whatever the profiles on disk say by then. */
static int save_seccomp(struct creating *c, struct rp_err *e)
{
	_cleanup_close_ int fd = openat(c->st.dirfd, "seccomp.profile",
					O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (!f)
		return rp_fail(e, errno, "state", "keep the seccomp rules of %s", c->o->id);
	fd = -1;
	seccomp_print(&c->s->seccomp, f);
	if (fclose(f) != 0)
		return rp_fail(e, errno, "state", "keep the seccomp rules of %s", c->o->id);
	return 0;
}

static int prepare_state(struct creating *c, struct rp_err *e)
{
	const struct spec *s = c->s;
	char created[64], cgroup[PATH_MAX];
	_cleanup_close_ int fd = -1;

	if (oci_state_create(c->o->root, c->o->id, &c->st, e) < 0)
		return -1;
	rfc3339_now(created, sizeof(created));
	c->st.bundle = xstrdup(s->oci.bundle);
	c->st.rootfs = xstrdup(s->rootfs);
	c->st.created = xstrdup(created);
	c->st.annotations = annotations_json(s);
	c->st.bounding = s->oci.caps_split ? s->oci.caps[0] : s->caps_keep;
	c->st.nnp = s->no_new_privs;
	c->st.userns = s->ns[NS_USER].unshare;
	if (launch_oci_cgroup_path(s, cgroup, sizeof(cgroup)) == 0)
		c->st.cgroup = xstrdup(cgroup);
	for (size_t i = 0; c->o->profiles && c->o->profiles[i]; i++)
		strv_push(&c->st.profiles, c->o->profiles[i]);
	for (size_t i = 0; c->o->sets && c->o->sets[i]; i++)
		strv_push(&c->st.sets, c->o->sets[i]);
	fd = openat(c->st.dirfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || write_all(fd, c->o->config_text, c->o->config_len) < 0)
		return rp_fail(e, errno, "state", "keep config.json of %s", c->o->id);
	if (save_seccomp(c, e) < 0)
		return -1;
	if (mkfifoat(c->st.dirfd, "exec.fifo", 0600) < 0)
		return rp_fail(e, errno, "state", "exec fifo of %s", c->o->id);
	/* O_RDWR: opening never blocks, and `start` finds a reader. */
	c->lo.exec_fifo = openat(c->st.dirfd, "exec.fifo", O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (c->lo.exec_fifo < 0)
		return rp_fail(e, errno, "state", "exec fifo of %s", c->o->id);
	if (s->oci.hooks.list[HOOK_CREATE_CONTAINER].n) {
		c->lo.create_state = memfd_create("rampart-state", MFD_CLOEXEC);
		if (c->lo.create_state < 0)
			return rp_fail(e, errno, "hook", "memfd for the createContainer state");
	}
	if (s->oci.hooks.list[HOOK_START_CONTAINER].n) {
		c->lo.start_state = memfd_create("rampart-state", MFD_CLOEXEC);
		if (c->lo.start_state < 0)
			return rp_fail(e, errno, "hook", "memfd for the startContainer state");
	}
	if (s->oci.seccomp_agent && seccomp_has_notify(&s->seccomp)) {
		c->lo.agent = seccomp_agent_connect(s->oci.seccomp_agent, e);
		if (c->lo.agent < 0)
			return -1;
		c->lo.agent_msg = memfd_create("rampart-agent", MFD_CLOEXEC);
		if (c->lo.agent_msg < 0)
			return rp_fail(e, errno, "seccomp", "memfd for the agent's message");
	}
	return oci_state_save(&c->st, e);
}

/* Let the workload exec: the byte it waits for, then no fifo ("running"). */
static int release_workload(struct oci_state *st, int fifo, struct rp_err *e)
{
	if (write_all(fifo, "0", 1) < 0)
		return rp_fail(e, errno, "start", "%s", st->id);
	if (unlinkat(st->dirfd, "exec.fifo", 0) < 0)
		return rp_fail(e, errno, "start", "remove the exec fifo of %s", st->id);
	return 0;
}

static int run_foreground(struct creating *c, struct launch *l, struct rp_err *e)
{
	int status;

	if (c->console_peer >= 0) {
		struct rp_err pe = { 0 };
		c->master = console_recv_master(c->console_peer, e);
		if (c->master < 0)
			return -1;
		if (console_proxy(c->master, STDIN_FILENO, STDOUT_FILENO, -1, &pe) < 0 && c->o->notices)
			fprintf(c->o->notices, "rampart: warning: %s\n", pe.msg);
	}
	status = launch_wait(l, e);
	/* The lock again, then: did a delete --force do the clean-up (and the
	 * poststop hooks) meanwhile? Its directory is gone then, and a new
	 * container may have taken the id: leave everything to them. */
	struct stat dir;
	while (flock(c->st.dirfd, LOCK_EX) < 0 && errno == EINTR)
		;
	c->deleted = fstat(c->st.dirfd, &dir) == 0 && dir.st_nlink == 0;
	if (!c->deleted)
		run_hooks_warn(&c->s->oci.hooks, HOOK_POSTSTOP, &c->st, "stopped", c->o->notices);
	return status;
}

int oci_create(const struct spec *s, const struct oci_create_opts *o, struct rp_err *e)
{
	struct creating c = { .s = s, .o = o, .master = -1, .console_peer = -1,
			      .lo = { .exec_fifo = -1, .console = -1, .create_state = -1, .start_state = -1,
				      .agent = -1, .agent_msg = -1,
				      .preserve_fds = o->preserve_fds, .no_new_keyring = o->no_new_keyring,
				      .namespaces_ready = namespaces_ready,
				      .before_pivot = runtime_hooks } };
	struct launch_opts lopts = { .notices = o->notices, .oci = &c.lo, .oom = o->oom };
	struct launch *l = NULL;
	int r = -1;
	bool made = false;

	c.lo.arg = &c;
	c.st.dirfd = -1;
	if (prepare_state(&c, e) < 0) {
		made = c.st.dirfd >= 0;
		goto out;
	}
	made = true;
	if (open_console(&c, e) < 0 || !(l = launch_prepare(s, &lopts, e)))
		goto out;
	/* No cgroup after all (cgroup v2 missing and no limits asked). */
	if (!launch_cgroup(l)) {
		free(c.st.cgroup);
		c.st.cgroup = NULL;
	}
	if (oci_state_save(&c.st, e) < 0 || launch_spawn(l, e) < 0)
		goto out;
	closep(&c.lo.console); /* the container's end: its copy is in there */
	c.st.ready = true;
	if (oci_state_save(&c.st, e) < 0)
		goto out;
	if (o->pid_file && oci_write_pid_file(o->pid_file, c.st.pid, e) < 0)
		goto out;
	if (!o->start || o->detach) {
		if (o->start && release_workload(&c.st, c.lo.exec_fifo, e) < 0)
			goto out;
		if (o->start)
			run_hooks_warn(&s->oci.hooks, HOOK_POSTSTART, &c.st, "running", o->notices);
		launch_release(l);
		made = false;
		r = 0;
		goto out;
	}
	if (release_workload(&c.st, c.lo.exec_fifo, e) < 0)
		goto out;
	/* Running for as long as the workload does: kill, exec, delete and
	 * pause must not wait for it. */
	if (flock(c.st.dirfd, LOCK_UN) < 0) {
		rp_fail(e, errno, "state", "unlock %s", o->id);
		goto out;
	}
	run_hooks_warn(&s->oci.hooks, HOOK_POSTSTART, &c.st, "running", o->notices);
	r = run_foreground(&c, l, e);
out:
	if (launch_end(l, r < 0 ? NULL : e) < 0)
		r = -1;
	if (made && !c.deleted) {
		struct rp_err re = { 0 };
		if (oci_state_remove(o->root, &c.st, &re) < 0 && r >= 0) {
			*e = re;
			r = -1;
		}
	}
	closep(&c.lo.exec_fifo);
	closep(&c.lo.console);
	closep(&c.lo.create_state);
	closep(&c.lo.start_state);
	closep(&c.lo.agent);
	closep(&c.lo.agent_msg);
	closep(&c.master);
	closep(&c.console_peer);
	oci_state_free(&c.st);
	return r;
}

int oci_start(const char *root, const char *id, FILE *notices, struct rp_err *e)
{
	struct oci_state st;
	struct hooks h = { 0 };
	const char *status;
	int fifo = -1, r = -1;

	if (oci_state_open(root, id, &st, e) < 0)
		goto out;
	status = oci_state_status(&st);
	if (strcmp(status, "created") != 0) {
		rp_fail(e, 0, "start", "container %s is %s, not created", id, status);
		goto out;
	}
	if (load_hooks(&st, &h, e) < 0)
		goto out;
	/* No reader (ENXIO): the process waiting on the fifo is gone. */
	fifo = openat(st.dirfd, "exec.fifo", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (fifo < 0) {
		rp_fail(e, errno, "start", "container %s%s", id, errno == ENXIO ? " has no process left" : "");
		goto out;
	}
	if (release_workload(&st, fifo, e) < 0)
		goto out;
	run_hooks_warn(&h, HOOK_POSTSTART, &st, "running", notices);
	r = 0;
out:
	closep(&fifo);
	hooks_free(&h);
	oci_state_free(&st);
	return r;
}

int oci_signal_from_name(const char *name)
{
	static const struct { const char *name; int sig; } sigs[] = {
		{ "HUP", SIGHUP },   { "INT", SIGINT },	    { "QUIT", SIGQUIT }, { "ILL", SIGILL },
		{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT },   { "IOT", SIGIOT },	 { "BUS", SIGBUS },
		{ "FPE", SIGFPE },   { "KILL", SIGKILL },   { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
		{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE },   { "ALRM", SIGALRM }, { "TERM", SIGTERM },
		{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
		{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },   { "TTOU", SIGTTOU }, { "URG", SIGURG },
		{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },   { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
		{ "WINCH", SIGWINCH }, { "IO", SIGIO },	    { "POLL", SIGPOLL }, { "PWR", SIGPWR },
		{ "SYS", SIGSYS },
	};
	char *end;
	long n;

	if (!name || !*name)
		return -1;
	n = strtol(name, &end, 10);
	if (*end == '\0')
		return n >= 0 && n < NSIG ? (int)n : -1; /* 0: is it there? */
	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		if (strcmp(name, sigs[i].name) == 0)
			return sigs[i].sig;
	if (strncmp(name, "RTMIN+", 6) == 0 || strncmp(name, "RTMAX-", 6) == 0) {
		n = strtol(name + 6, &end, 10);
		n = name[3] == 'I' ? SIGRTMIN + n : SIGRTMAX - n;
		return *end == '\0' && n >= SIGRTMIN && n <= SIGRTMAX ? (int)n : -1;
	}
	return -1;
}

/* A pidfd for the recorded process, or -1 when it is gone: opened first,
 * then the start time compared, so a reused pid is never signalled. */
static int open_container_pid(const struct oci_state *st)
{
	int fd = (int)syscall(SYS_pidfd_open, st->pid, 0);

	if (fd >= 0 && !oci_state_alive(st)) {
		close(fd);
		errno = ESRCH;
		return -1;
	}
	return fd;
}

int oci_pids(const struct oci_state *st, pid_t **pids, size_t *n, struct rp_err *e)
{
	char path[PATH_MAX];
	FILE *f;
	int pid;

	*pids = NULL;
	*n = 0;
	if (!st->cgroup) {
		if (oci_state_alive(st)) {
			*pids = xmalloc(sizeof(pid_t));
			(*pids)[(*n)++] = st->pid;
		}
		return 0;
	}
	if (xsnprintf(path, sizeof(path), "%s/cgroup.procs", st->cgroup) < 0)
		return rp_fail(e, ENAMETOOLONG, "cgroup", "%s", st->cgroup);
	f = fopen(path, "re");
	if (!f && errno == ENOENT)
		return 0;
	if (!f)
		return rp_fail(e, errno, "cgroup", "%s", path);
	while (fscanf(f, "%d", &pid) == 1) {
		*pids = xrealloc(*pids, (*n + 1) * sizeof(pid_t));
		(*pids)[(*n)++] = pid;
	}
	fclose(f);
	return 0;
}

static bool cgroup_frozen_now(const struct oci_state *st);

/* Every process of the container. SIGKILL is cgroup.kill (atomic, no
 * pid read back); any other signal goes to a frozen cgroup, so no pid
 * can exit and be reused between reading cgroup.procs and kill(2). */
static int kill_all(const struct oci_state *st, int sig, struct rp_err *e)
{
	_cleanup_close_ int fd = open(st->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	_cleanup_free_ pid_t *pids = NULL;
	bool frozen = cgroup_frozen_now(st);
	size_t n;
	int r = 0;

	if (fd < 0)
		return rp_fail(e, errno, "kill", "cgroup %s", st->cgroup);
	if (sig == SIGKILL && write_file_at(fd, "cgroup.kill", "1") == 0)
		return 0;
	if (!frozen && write_file_at(fd, "cgroup.freeze", "1") < 0)
		return rp_fail(e, errno, "kill", "freeze %s", st->cgroup);
	if (oci_pids(st, &pids, &n, e) < 0)
		r = -1;
	for (size_t i = 0; r == 0 && i < n; i++)
		if (kill(pids[i], sig) < 0 && errno != ESRCH)
			r = rp_fail(e, errno, "kill", "pid %d of %s", (int)pids[i], st->id);
	if (!frozen && write_file_at(fd, "cgroup.freeze", "0") < 0 && r == 0)
		r = rp_fail(e, errno, "kill", "thaw %s", st->cgroup);
	return r;
}

int oci_kill(const char *root, const char *id, int sig, bool all, struct rp_err *e)
{
	struct oci_state st;
	int fd = -1, r = -1;

	if (oci_state_open(root, id, &st, e) < 0)
		goto out;
	if (all && st.cgroup) {
		r = kill_all(&st, sig, e);
		goto out;
	}
	if (st.pid > 0)
		fd = open_container_pid(&st);
	if (st.pid > 0 && fd < 0 && errno == ENOSYS) {
		rp_fail(e, errno, "kill", "container %s: signalling it safely needs pidfd_open (Linux 5.3)", id);
		goto out;
	}
	if (fd < 0) {
		/* containerd reads "container not running" as "already gone". */
		rp_fail(e, 0, "kill", "%s: container not running", id);
		goto out;
	}
	if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0) {
		rp_fail(e, errno, "kill", "container %s", id);
		goto out;
	}
	r = 0;
out:
	closep(&fd);
	oci_state_free(&st);
	return r;
}

static bool cgroup_frozen_now(const struct oci_state *st)
{
	return strcmp(oci_state_status(st), "paused") == 0;
}

/* SIGKILL the process and wait (up to 10 s) until it is really gone. */
static int kill_and_wait(const struct oci_state *st, struct rp_err *e)
{
	int fd = open_container_pid(st);
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (fd < 0 && errno == ENOSYS)
		return rp_fail(e, errno, "delete", "kill %s: needs pidfd_open (Linux 5.3)", st->id);
	if (fd < 0)
		return 0;
	if (syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0) < 0 && errno != ESRCH) {
		close(fd);
		return rp_fail(e, errno, "delete", "kill %s", st->id);
	}
	/* A pidfd polls readable when the process exits (even unreaped). */
	while (poll(&p, 1, 10000) < 0 && errno == EINTR)
		;
	close(fd);
	return 0;
}

static int remove_cgroup(const struct oci_state *st, struct rp_err *e)
{
	struct cgroup cg = { .fd = -1 };

	if (!st->cgroup)
		return 0;
	snprintf(cg.path, sizeof(cg.path), "%s", st->cgroup);
	cg.fd = open(st->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg.fd < 0 && errno == ENOENT)
		return 0;
	if (cg.fd < 0)
		return rp_fail(e, errno, "cgroup", "%s", st->cgroup);
	/* A frozen cgroup's tasks still die of SIGKILL; thaw all the same so
	 * nothing waits on it. */
	(void)write_file_at(cg.fd, "cgroup.freeze", "0");
	return cgroup_destroy(&cg, e);
}

int oci_delete(const char *root, const char *id, bool force, FILE *notices, struct rp_err *e)
{
	struct oci_state st;
	struct hooks h = { 0 };
	const char *status;
	int r = -1;

	if (oci_state_open(root, id, &st, e) < 0)
		goto out;
	status = oci_state_status(&st);
	/* A created container never ran anything of its own: deleting it is
	 * safe without --force, as in runc. */
	if (!force && (strcmp(status, "running") == 0 || strcmp(status, "paused") == 0)) {
		rp_fail(e, 0, "delete", "container %s is %s; stop it first or use --force", id, status);
		goto out;
	}
	if (load_hooks(&st, &h, e) < 0 && !force)
		goto out;
	if (strcmp(status, "stopped") != 0 && kill_and_wait(&st, e) < 0)
		goto out;
	if (remove_cgroup(&st, e) < 0)
		goto out;
	if (st.pid > 0)
		run_hooks_warn(&h, HOOK_POSTSTOP, &st, "stopped", notices);
	r = oci_state_remove(root, &st, e);
out:
	hooks_free(&h);
	oci_state_free(&st);
	return r;
}

int oci_freeze(const char *root, const char *id, bool freeze, struct rp_err *e)
{
	struct oci_state st;
	_cleanup_close_ int fd = -1;
	const char *status;
	int r = -1;

	if (oci_state_open(root, id, &st, e) < 0)
		goto out;
	status = oci_state_status(&st);
	if (strcmp(status, freeze ? "running" : "paused") != 0) {
		rp_fail(e, 0, freeze ? "pause" : "resume", "container %s is %s", id, status);
		goto out;
	}
	if (!st.cgroup) {
		rp_fail(e, 0, freeze ? "pause" : "resume", "container %s has no cgroup", id);
		goto out;
	}
	fd = open(st.cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || write_file_at(fd, "cgroup.freeze", freeze ? "1" : "0") < 0) {
		rp_fail(e, errno, "cgroup", "%s/cgroup.freeze", st.cgroup);
		goto out;
	}
	/* The write returns before every task is stopped: wait for
	 * cgroup.events to say so (100 ms steps, 10 s at most). */
	for (int i = 0; i < 100; i++) {
		const char *now = oci_state_status(&st);
		if (strcmp(now, freeze ? "paused" : "running") == 0) {
			r = 0;
			goto out;
		}
		usleep(100 * 1000);
	}
	rp_fail(e, ETIMEDOUT, freeze ? "pause" : "resume", "container %s", id);
out:
	oci_state_free(&st);
	return r;
}
