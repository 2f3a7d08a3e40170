/* hooks.c - OCI hooks: parsing config.json's "hooks" and running them.
 *
 * Running a hook: fork; the child resets signals, takes the state pipe as
 * stdin and fd 2 as stdout, closes every other fd and execs, telling the
 * parent over a close-on-exec pipe why when it cannot. The parent feeds
 * the state through a non-blocking pipe while it waits on a pidfd (or,
 * before Linux 5.3, a short tick), so a hook that neither reads its stdin
 * nor exits still times out.
 */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static const char *const kind_names[HOOK_KINDS] = {
	[HOOK_PRESTART] = "prestart",
	[HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer",
	[HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart",
	[HOOK_POSTSTOP] = "poststop",
};

const char *hook_kind_name(enum hook_kind k)
{
	return (unsigned)k < HOOK_KINDS ? kind_names[k] : NULL;
}

/* ---- freeing ----------------------------------------------------------- */

static void hook_list_free(struct hook_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		strv_free(l->v[i].args);
		strv_free(l->v[i].env);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void hooks_free(struct hooks *h)
{
	for (int k = 0; k < HOOK_KINDS; k++)
		hook_list_free(&h->list[k]);
}

/* ---- parsing ----------------------------------------------------------- */

#define NO_INDEX SIZE_MAX

/* Where in "hooks" a value is, for the error message. */
struct loc {
	const char *kind;
	size_t i;          /* the hook, or NO_INDEX */
	const char *field; /* "path", "args", ... or NULL */
	size_t j;          /* the element of args/env, or NO_INDEX */
};

static int bad(struct rp_err *e, const struct loc *l, const char *what)
{
	if (l->i == NO_INDEX)
		return rp_fail(e, 0, NULL, "hooks.%s: %s", l->kind, what);
	if (!l->field)
		return rp_fail(e, 0, NULL, "hooks.%s[%zu]: %s", l->kind, l->i, what);
	if (l->j == NO_INDEX)
		return rp_fail(e, 0, NULL, "hooks.%s[%zu].%s: %s", l->kind, l->i, l->field, what);
	return rp_fail(e, 0, NULL, "hooks.%s[%zu].%s[%zu]: %s", l->kind, l->i, l->field, l->j,
		       what);
}

/* A string that C can carry whole: an embedded NUL would cut a path or an
 * argument short without anyone noticing. */
static const char *c_string(const json_t *v)
{
	const char *s = json_string_value(v);

	return s && strlen(s) == json_string_length(v) ? s : NULL;
}

static const json_t *member(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return v && !json_is_null(v) ? v : NULL;
}

/* args or env: an array of strings; env entries must be NAME=VALUE (an
 * entry without a name would reach execve as an oddity the hook's libc
 * may or may not cope with). */
static int parse_strv(const json_t *a, struct loc *l, bool env, char ***out, struct rp_err *e)
{
	_cleanup_strv_ char **v = NULL;
	const json_t *item;
	size_t j;

	if (!json_is_array(a))
		return bad(e, l, "expected an array");
	json_array_foreach(a, j, item) {
		const char *s = c_string(item);

		l->j = j;
		if (!s)
			return bad(e, l, "expected a string");
		if (env && (s[0] == '=' || !strchr(s, '=')))
			return bad(e, l, "expected NAME=VALUE");
		strv_push(&v, s);
	}
	l->j = NO_INDEX;
	*out = steal_ptr(v);
	return 0;
}

static int parse_timeout(const json_t *t, const struct loc *l, int *out, struct rp_err *e)
{
	json_int_t n;

	if (!json_is_integer(t) || (n = json_integer_value(t)) <= 0)
		return bad(e, l, "expected a positive integer");
	if (n > INT_MAX)
		return bad(e, l, "out of range (at most 2147483647 s)");
	*out = (int)n;
	return 0;
}

/* One hook object into H (zeroed by the caller, freed by it on failure). */
static int parse_hook(const json_t *o, struct loc *l, struct hook *h, struct rp_err *e)
{
	const json_t *v;
	const char *path;

	if (!json_is_object(o))
		return bad(e, l, "expected an object");
	l->field = "path";
	path = c_string(member(o, "path"));
	if (!path || path[0] != '/')
		return bad(e, l, "expected an absolute path");
	h->path = xstrdup(path);
	l->field = "args";
	if ((v = member(o, "args")) && parse_strv(v, l, false, &h->args, e) < 0)
		return -1;
	l->field = "env";
	if ((v = member(o, "env")) && parse_strv(v, l, true, &h->env, e) < 0)
		return -1;
	l->field = "timeout";
	if ((v = member(o, "timeout")) && parse_timeout(v, l, &h->timeout, e) < 0)
		return -1;
	l->field = NULL;
	return 0;
}

static int parse_list(const json_t *a, struct loc *l, struct hook_list *out, struct rp_err *e)
{
	const json_t *item;
	size_t i;

	if (!json_is_array(a))
		return bad(e, l, "expected an array");
	out->v = xcalloc(json_array_size(a), sizeof(*out->v));
	json_array_foreach(a, i, item) {
		l->i = i;
		/* Counted before parsing: a half-parsed hook is freed too. */
		out->n = i + 1;
		if (parse_hook(item, l, &out->v[i], e) < 0)
			return -1;
	}
	return 0;
}

int hooks_parse(const json_t *hooks, struct hooks *out, struct rp_err *e)
{
	struct hooks h = { 0 };

	if (hooks && !json_is_null(hooks) && !json_is_object(hooks))
		return rp_fail(e, 0, NULL, "hooks: expected an object");
	for (int k = 0; hooks && k < HOOK_KINDS; k++) {
		struct loc l = { .kind = kind_names[k], .i = NO_INDEX, .j = NO_INDEX };
		const json_t *a = member(hooks, kind_names[k]);

		if (a && parse_list(a, &l, &h.list[k], e) < 0) {
			hooks_free(&h);
			return -1;
		}
	}
	hooks_free(out);
	*out = h;
	return 0;
}

/* ---- running: the child ------------------------------------------------ */

enum child_step { STEP_SETUP, STEP_EXEC };

/* What the child needs, all of it ready before fork: after fork in a
 * threaded runner only async-signal-safe calls are allowed (no malloc). */
struct plan {
	const char *path;
	char *const *argv;
	char *const *envp;
	int in;     /* read end of the state pipe */
	int report; /* close-on-exec: why exec did not happen */
};



static _Noreturn void child_exec(const struct plan *p)
{
	int msg[2] = { STEP_SETUP, 0 };
	ssize_t r;

	int keep = p->report;

	reset_signals_for_exec();
	if (setpgid(0, 0) < 0 || dup2(p->in, 0) < 0 || dup2(2, 1) < 0 || close_fds_except(&keep, 1) < 0)
		goto fail;
	execve(p->path, p->argv, p->envp);
	msg[0] = STEP_EXEC;
fail:
	msg[1] = errno;
	r = write(p->report, msg, sizeof(msg));
	(void)r; /* the parent sees a short read and says so */
	_exit(127);
}

/* ---- running: the parent ----------------------------------------------- */

/* Polling interval without a pidfd (before Linux 5.3). */
#define TICK_MS 20

struct child {
	pid_t pid;
	int pidfd;         /* -1 without pidfd_open */
	int in;            /* write end of the state pipe, -1 once closed */
	const char *state;
	size_t len, off;
};

/* Which hook, for the messages. */
struct which {
	enum hook_kind k;
	size_t i;
	const struct hook *h;
};

static int hook_fail(struct rp_err *e, int errnum, const struct which *w, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int hook_fail(struct rp_err *e, int errnum, const struct which *w, const char *fmt, ...)
{
	char what[128];
	va_list ap;

	/* Only short fixed texts and numbers come here: cannot truncate. */
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return rp_fail(e, errnum, "hook", "%s[%zu] %s: %s", kind_names[w->k], w->i, w->h->path,
		       what);
}

/* A pipe whose ends are above stdio: in the child, dup2 onto 0 must not
 * meet a pipe end already there (a runner started with fd 0 closed). */
static int pipe_above_stdio(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		int fd;

		if (p[i] > 2)
			continue;
		fd = fcntl(p[i], F_DUPFD_CLOEXEC, 3);
		if (fd < 0) {
			int saved = errno;

			close(p[0]);
			close(p[1]);
			errno = saved;
			return -1;
		}
		close(p[i]);
		p[i] = fd;
	}
	return 0;
}

static void kill_and_reap(struct child *c)
{
	int st;

	/* The group first, for what the hook started; the hook itself in
	 * case it left its group. It is unreaped: the pid is still ours. */
	kill(-c->pid, SIGKILL);
	kill(c->pid, SIGKILL);
	while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* Fork with every signal blocked, so no handler of the runner's runs in
 * the child before reset_signals(). Returns the child's pid. */
static pid_t fork_hook(const struct plan *p)
{
	sigset_t all, old;
	pid_t pid;
	int saved;

	sigfillset(&all);
	if (sigprocmask(SIG_SETMASK, &all, &old) < 0)
		return -1;
	pid = fork();
	if (pid == 0)
		child_exec(p);
	saved = errno;
	if (sigprocmask(SIG_SETMASK, &old, NULL) < 0 && pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	errno = saved;
	return pid;
}

/* Wait for the child's exec: 0 when it happened, else -1 with E filled
 * and the child reaped. */
static int await_exec(struct child *c, int report, const struct which *w, struct rp_err *e)
{
	int msg[2];
	ssize_t n;

	do
		n = read(report, msg, sizeof(msg));
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0; /* end-of-file: closed by a successful execve */
	kill_and_reap(c);
	if (n != (ssize_t)sizeof(msg))
		return hook_fail(e, n < 0 ? errno : EPROTO, w, "start");
	return hook_fail(e, msg[1], w, "%s", msg[0] == STEP_EXEC ? "exec" : "set up the process");
}

static int spawn(const struct which *w, struct child *c, struct rp_err *e)
{
	char *path_only[] = { w->h->path, NULL };
	char *no_env[] = { NULL };
	_cleanup_close_ int in_rd = -1, report_rd = -1, report_wr = -1;
	int in[2], report[2];
	struct plan p;

	if (pipe_above_stdio(in) < 0)
		return hook_fail(e, errno, w, "pipe");
	in_rd = in[0];
	c->in = in[1];
	if (pipe_above_stdio(report) < 0)
		return hook_fail(e, errno, w, "pipe");
	report_rd = report[0];
	report_wr = report[1];
	/* Non-blocking on our end only: the hook reads its stdin as usual. */
	if (fcntl(c->in, F_SETFL, O_NONBLOCK) < 0)
		return hook_fail(e, errno, w, "pipe");
	p = (struct plan){ .path = w->h->path, .argv = w->h->args ? w->h->args : path_only,
			   .envp = w->h->env ? w->h->env : no_env, .in = in_rd, .report = report_wr };
	c->pid = fork_hook(&p);
	if (c->pid < 0)
		return hook_fail(e, errno, w, "fork");
	closep(&report_wr);
	if (await_exec(c, report_rd, w, e) < 0)
		return -1;
	/* Without a pidfd the wait polls with a tick instead: slower to
	 * notice the exit, but correct. */
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0U);
	return 0;
}

static int now_ms(int64_t *ms)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return -1;
	*ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return 0;
}

/* Write what the pipe takes of the state; close our end when all is
 * written or the hook closed its stdin (EPIPE: it does not want the rest,
 * which is its business). */
static int feed(struct child *c)
{
	while (c->off < c->len) {
		ssize_t n = write(c->in, c->state + c->off, c->len - c->off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0 && errno != EPIPE)
			return -1;
		if (n < 0)
			break;
		c->off += (size_t)n;
	}
	closep(&c->in);
	c->in = -1;
	return 0;
}

/* Feed and wait: 0 when the child exited (*status set), 1 when the
 * deadline (-1: none) passed first, -1 on error (errno). */
static int supervise(struct child *c, int64_t deadline, int *status)
{
	for (;;) {
		struct pollfd p[2] = { { .fd = c->pidfd, .events = POLLIN },
				       { .fd = c->in, .events = POLLOUT } };
		int wait_ms = -1;
		int64_t now;
		pid_t r = waitpid(c->pid, status, WNOHANG);

		if (r == c->pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (deadline >= 0) {
			if (now_ms(&now) < 0)
				return -1;
			if (now >= deadline)
				return 1;
			wait_ms = deadline - now > INT_MAX ? INT_MAX : (int)(deadline - now);
		}
		if (c->pidfd < 0 && (wait_ms < 0 || wait_ms > TICK_MS))
			wait_ms = TICK_MS;
		/* poll skips the negative fds: no pidfd, state all written. */
		if (poll(p, 2, wait_ms) < 0 && errno != EINTR)
			return -1;
		if (c->in >= 0 && p[1].revents && feed(c) < 0)
			return -1;
	}
}

static int verdict(int status, const struct which *w, struct rp_err *e)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return hook_fail(e, 0, w, "exited with status %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return hook_fail(e, 0, w, "killed by signal %d", WTERMSIG(status));
	return hook_fail(e, 0, w, "unexpected wait status %#x", (unsigned)status);
}

/* Spawn, feed, wait, judge. The child is always reaped on the way out. */
static int run_child(const struct which *w, struct child *c, struct rp_err *e)
{
	int64_t deadline = -1;
	int status = 0, r;

	if (w->h->timeout) {
		if (now_ms(&deadline) < 0)
			return hook_fail(e, errno, w, "clock");
		deadline += (int64_t)w->h->timeout * 1000;
	}
	if (spawn(w, c, e) < 0)
		return -1;
	r = supervise(c, deadline, &status);
	if (r == 0)
		return verdict(status, w, e);
	int saved = errno;
	/* ECHILD: someone else reaped it (a waitpid(-1) elsewhere), and its
	 * pid may be another process's by now: nothing to kill. */
	if (r == 1 || saved != ECHILD)
		kill_and_reap(c);
	if (r == 1)
		return hook_fail(e, 0, w, "timed out after %d s", w->h->timeout);
	return hook_fail(e, saved, w, "wait");
}

/* SIGPIPE is blocked while the state is written, and one that the writes
 * raised is taken back (unless one was pending already: that one is the
 * caller's, and it stays). */
static int run_one(const struct which *w, const char *state, struct rp_err *e)
{
	struct child c = { .pid = -1, .pidfd = -1, .in = -1, .state = state ? state : "",
			   .len = state ? strlen(state) : 0 };
	sigset_t pipe_only, old, pending;
	struct sigaction chld;
	bool was_pending;
	int r;

	if (sigaction(SIGCHLD, NULL, &chld) < 0)
		return hook_fail(e, errno, w, "SIGCHLD");
	/* Ignored, SIGCHLD reaps the hook behind our back: no exit status,
	 * and a pid that might be someone else's when it comes to killing. */
	if (chld.sa_handler == SIG_IGN || (chld.sa_flags & SA_NOCLDWAIT))
		return hook_fail(e, 0, w, "SIGCHLD is ignored: cannot wait for the hook");
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	if (sigpending(&pending) < 0 || sigprocmask(SIG_BLOCK, &pipe_only, &old) < 0)
		return hook_fail(e, errno, w, "block SIGPIPE");
	was_pending = sigismember(&pending, SIGPIPE) == 1;
	r = run_child(w, &c, e);
	closep(&c.in);
	closep(&c.pidfd);
	if (!was_pending && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
		const struct timespec zero = { 0, 0 };

		while (sigtimedwait(&pipe_only, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	if (sigprocmask(SIG_SETMASK, &old, NULL) < 0 && r == 0)
		return hook_fail(e, errno, w, "restore the signal mask");
	return r;
}

static int run_kind(const struct hooks *h, enum hook_kind k, const char *state, bool all,
		    struct rp_err *e)
{
	int rc = 0;

	if ((unsigned)k >= HOOK_KINDS)
		return rp_fail(e, EINVAL, "hook", "kind %d", (int)k);
	for (size_t i = 0; h && i < h->list[k].n; i++) {
		const struct which w = { .k = k, .i = i, .h = &h->list[k].v[i] };
		struct rp_err later;

		/* Only the first failure is reported: it may explain the rest. */
		if (run_one(&w, state, rc < 0 ? &later : e) < 0) {
			rc = -1;
			if (!all)
				break;
		}
	}
	return rc;
}

int hooks_run(const struct hooks *h, enum hook_kind k, const char *state_json, struct rp_err *e)
{
	return run_kind(h, k, state_json, false, e);
}

int hooks_run_all(const struct hooks *h, enum hook_kind k, const char *state_json,
		  struct rp_err *e)
{
	return run_kind(h, k, state_json, true, e);
}
