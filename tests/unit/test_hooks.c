/* test_hooks.c - OCI hooks: parsing config.json's "hooks" (each bad case
 * with its exact message) and running real hooks, /bin/sh scripts that
 * leave their traces in the test's temp dir (the hooks' cwd).
 */
#include "unit.h"

#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "hooks.h"

/* ---- helpers ------------------------------------------------------------ */

static int parse_text(struct unit *u, const char *text, struct hooks *h)
{
	json_error_t jerr;
	json_t *j = json_loads(text, JSON_ALLOW_NUL, &jerr);
	int r;

	if (!j)
		fail_msg("bad test JSON %s: %s", text, jerr.text);
	r = hooks_parse(j, h, &u->e);
	json_decref(j);
	return r;
}

/* Append a hook of kind K; ARGS and ENV are NULL-terminated or NULL. */
static void add_hook(struct hooks *h, enum hook_kind k, const char *path, const char *const *args,
		     const char *const *env, int timeout)
{
	struct hook_list *l = &h->list[k];
	struct hook *hk;

	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	hk = &l->v[l->n++];
	*hk = (struct hook){ .path = xstrdup(path), .timeout = timeout };
	for (size_t i = 0; args && args[i]; i++)
		strv_push(&hk->args, args[i]);
	for (size_t i = 0; env && env[i]; i++)
		strv_push(&hk->env, env[i]);
}

/* A /bin/sh -c SCRIPT hook with just a PATH in its environment. */
static void add_sh(struct hooks *h, enum hook_kind k, const char *script, int timeout)
{
	const char *args[] = { "sh", "-c", script, NULL };
	const char *env[] = { "PATH=/usr/bin:/bin", NULL };

	add_hook(h, k, "/bin/sh", args, env, timeout);
}

/* The whole of a file in the temp dir, in scratch slot 0 ("" if absent). */
static const char *slurp(struct unit *u, const char *rel)
{
	int fd = open(unit_path(u, rel), O_RDONLY | O_CLOEXEC);
	size_t len = 0;

	free(u->text[0]);
	u->text[0] = NULL;
	if (fd < 0) {
		u->text[0] = xstrdup("");
		return u->text[0];
	}
	if (read_all(fd, 8 << 20, &u->text[0], &len) < 0)
		fail_msg("read %s: %s", rel, strerror(errno));
	close(fd);
	u->text[0] = xrealloc(u->text[0], len + 1);
	u->text[0][len] = '\0';
	u->text_len[0] = len;
	return u->text[0];
}

static bool exists(struct unit *u, const char *rel)
{
	return access(unit_path(u, rel), F_OK) == 0;
}

/* fd 2 into a file of the temp dir, and back. */
static int stderr_to(struct unit *u, const char *rel)
{
	int saved = fcntl(2, F_DUPFD_CLOEXEC, 3);
	int fd = open(unit_path(u, rel), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(saved >= 0 && fd >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fd, 2), 2);
	close(fd);
	return saved;
}

static void stderr_back(int saved)
{
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Nothing left to reap: every hook was waited for. */
static void assert_no_children(void)
{
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* ---- names and parsing ------------------------------------------------- */

static void test_kind_names(void **state)
{
	static const char *const want[HOOK_KINDS] = { "prestart", "createRuntime", "createContainer",
						       "startContainer", "poststart", "poststop" };

	(void)state;
	for (int k = 0; k < HOOK_KINDS; k++)
		assert_string_equal(hook_kind_name((enum hook_kind)k), want[k]);
	assert_null(hook_kind_name(HOOK_KINDS));
	assert_null(hook_kind_name((enum hook_kind)-1));
}

static void test_parse_none(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };

	assert_int_equal(hooks_parse(NULL, &h, &u->e), 0);
	assert_int_equal(parse_text(u, "{}", &h), 0);
	for (int k = 0; k < HOOK_KINDS; k++)
		assert_int_equal(h.list[k].n, 0);
	assert_int_equal(hooks_parse(json_null(), &h, &u->e), 0);
	hooks_free(&h);
}

static void test_parse_good(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };
	const struct hook *hk;

	assert_int_equal(parse_text(u,
				    "{\"prestart\": [{\"path\": \"/bin/a\", \"args\": [\"a\", \"-x\"],"
				    "  \"env\": [\"A=1\", \"B=\"], \"timeout\": 5, \"extra\": 1}],"
				    " \"createRuntime\": [{\"path\": \"/bin/b\"},"
				    "  {\"path\": \"/bin/c\", \"args\": [], \"env\": [], \"timeout\": null}],"
				    " \"createContainer\": [], \"startContainer\": null,"
				    " \"poststart\": [{\"path\": \"/p\"}], \"poststop\": [{\"path\": \"/q\"}],"
				    " \"somethingNew\": 42}",
				    &h),
			 0);
	assert_int_equal(h.list[HOOK_PRESTART].n, 1);
	hk = &h.list[HOOK_PRESTART].v[0];
	assert_string_equal(hk->path, "/bin/a");
	assert_int_equal(strv_len(hk->args), 2);
	assert_string_equal(hk->args[0], "a");
	assert_string_equal(hk->args[1], "-x");
	assert_int_equal(strv_len(hk->env), 2);
	assert_string_equal(hk->env[0], "A=1");
	assert_string_equal(hk->env[1], "B=");
	assert_int_equal(hk->timeout, 5);

	assert_int_equal(h.list[HOOK_CREATE_RUNTIME].n, 2);
	for (size_t i = 0; i < 2; i++) {
		hk = &h.list[HOOK_CREATE_RUNTIME].v[i];
		assert_null(hk->args);
		assert_null(hk->env);
		assert_int_equal(hk->timeout, 0);
	}
	assert_string_equal(h.list[HOOK_CREATE_RUNTIME].v[1].path, "/bin/c");
	assert_int_equal(h.list[HOOK_CREATE_CONTAINER].n, 0);
	assert_int_equal(h.list[HOOK_START_CONTAINER].n, 0);
	assert_string_equal(h.list[HOOK_POSTSTART].v[0].path, "/p");
	assert_string_equal(h.list[HOOK_POSTSTOP].v[0].path, "/q");
	hooks_free(&h);
	for (int k = 0; k < HOOK_KINDS; k++) {
		assert_null(h.list[k].v);
		assert_int_equal(h.list[k].n, 0);
	}
}

static void test_parse_bad(void **state)
{
	static const struct {
		const char *json, *msg;
	} cases[] = {
		{ "[]", "hooks: expected an object" },
		{ "{\"createRuntime\": {}}", "hooks.createRuntime: expected an array" },
		{ "{\"prestart\": [1]}", "hooks.prestart[0]: expected an object" },
		{ "{\"prestart\": [{}]}", "hooks.prestart[0].path: expected an absolute path" },
		{ "{\"prestart\": [{\"path\": \"bin/x\"}]}",
		  "hooks.prestart[0].path: expected an absolute path" },
		{ "{\"prestart\": [{\"path\": 7}]}", "hooks.prestart[0].path: expected an absolute path" },
		{ "{\"prestart\": [{\"path\": \"/a\"}, {\"path\": \"\"}]}",
		  "hooks.prestart[1].path: expected an absolute path" },
		{ "{\"prestart\": [{\"path\": \"/a\\u0000b\"}]}",
		  "hooks.prestart[0].path: expected an absolute path" },
		{ "{\"prestart\": [{\"path\": \"/a\", \"args\": [\"a\", \"b\", 3]}]}",
		  "hooks.prestart[0].args[2]: expected a string" },
		{ "{\"prestart\": [{\"path\": \"/a\", \"args\": [\"a\\u0000\"]}]}",
		  "hooks.prestart[0].args[0]: expected a string" },
		{ "{\"createContainer\": [{\"path\": \"/a\", \"args\": \"a\"}]}",
		  "hooks.createContainer[0].args: expected an array" },
		{ "{\"poststart\": [{\"path\": \"/a\", \"env\": [1]}]}",
		  "hooks.poststart[0].env[0]: expected a string" },
		{ "{\"poststart\": [{\"path\": \"/a\", \"env\": [\"A=1\", \"NOVALUE\"]}]}",
		  "hooks.poststart[0].env[1]: expected NAME=VALUE" },
		{ "{\"poststart\": [{\"path\": \"/a\", \"env\": [\"=x\"]}]}",
		  "hooks.poststart[0].env[0]: expected NAME=VALUE" },
		{ "{\"startContainer\": [{\"path\": \"/a\", \"env\": {}}]}",
		  "hooks.startContainer[0].env: expected an array" },
		{ "{\"poststop\": [{\"path\": \"/a\"}, {\"path\": \"/b\", \"timeout\": 0}]}",
		  "hooks.poststop[1].timeout: expected a positive integer" },
		{ "{\"poststop\": [{\"path\": \"/a\"}, {\"path\": \"/b\", \"timeout\": -1}]}",
		  "hooks.poststop[1].timeout: expected a positive integer" },
		{ "{\"poststop\": [{\"path\": \"/b\", \"timeout\": \"1\"}]}",
		  "hooks.poststop[0].timeout: expected a positive integer" },
		{ "{\"poststop\": [{\"path\": \"/b\", \"timeout\": 1.5}]}",
		  "hooks.poststop[0].timeout: expected a positive integer" },
		{ "{\"poststop\": [{\"path\": \"/b\", \"timeout\": true}]}",
		  "hooks.poststop[0].timeout: expected a positive integer" },
		{ "{\"poststop\": [{\"path\": \"/b\", \"timeout\": 2147483648}]}",
		  "hooks.poststop[0].timeout: out of range (at most 2147483647 s)" },
	};
	struct unit *u = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct hooks h = { 0 };

		if (parse_text(u, cases[i].json, &h) != -1)
			fail_msg("%s: accepted", cases[i].json);
		if (strcmp(u->e.msg, cases[i].msg) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", cases[i].json, u->e.msg, cases[i].msg);
		assert_int_equal(u->e.exit_code, RP_EXIT_ERROR);
		assert_null(h.list[HOOK_PRESTART].v);
	}
}

/* A failed parse keeps what was there; a good one replaces it (ASan sees
 * that nothing of the old leaks). */
static void test_parse_replaces(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };

	assert_int_equal(parse_text(u, "{\"prestart\": [{\"path\": \"/one\", \"args\": [\"x\"]}]}", &h),
			 0);
	assert_int_equal(parse_text(u, "{\"poststop\": [{\"path\": \"/a\"}, {\"path\": 1}]}", &h), -1);
	assert_int_equal(h.list[HOOK_PRESTART].n, 1);
	assert_string_equal(h.list[HOOK_PRESTART].v[0].path, "/one");
	assert_int_equal(h.list[HOOK_POSTSTOP].n, 0);
	assert_int_equal(parse_text(u, "{\"poststop\": [{\"path\": \"/two\"}]}", &h), 0);
	assert_int_equal(h.list[HOOK_PRESTART].n, 0);
	assert_string_equal(h.list[HOOK_POSTSTOP].v[0].path, "/two");
	hooks_free(&h);
	hooks_free(&h);
}

/* ---- running ------------------------------------------------------------ */

static void test_run_none(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };

	assert_int_equal(hooks_run(&h, HOOK_PRESTART, "{}", &u->e), 0);
	assert_int_equal(hooks_run_all(&h, HOOK_POSTSTOP, "{}", &u->e), 0);
	assert_int_equal(hooks_run(NULL, HOOK_POSTSTOP, "{}", &u->e), 0);
	assert_int_equal(hooks_run(&h, HOOK_KINDS, "{}", &u->e), -1);
}

static void test_run_order(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };

	add_sh(&h, HOOK_CREATE_RUNTIME, "echo one >> order", 0);
	add_sh(&h, HOOK_CREATE_RUNTIME, "echo two >> order", 5);
	add_sh(&h, HOOK_CREATE_RUNTIME, "echo three >> order", 0);
	add_sh(&h, HOOK_POSTSTOP, "echo wrong kind >> order", 0);
	if (hooks_run(&h, HOOK_CREATE_RUNTIME, "{}", &u->e) != 0)
		fail_msg("%s", u->e.msg);
	assert_string_equal(slurp(u, "order"), "one\ntwo\nthree\n");
	assert_no_children();
	hooks_free(&h);
}

static void test_run_state_on_stdin(void **state)
{
	static const char st[] = "{\"ociVersion\": \"1.0.2\", \"id\": \"c1\", \"status\": \"created\","
				 " \"pid\": 42, \"bundle\": \"/b\"}";
	struct unit *u = *state;
	struct hooks h = { 0 };

	add_sh(&h, HOOK_PRESTART, "cat > state", 0);
	add_sh(&h, HOOK_POSTSTART, "cat > empty", 0);
	if (hooks_run(&h, HOOK_PRESTART, st, &u->e) != 0)
		fail_msg("%s", u->e.msg);
	assert_string_equal(slurp(u, "state"), st);
	if (hooks_run(&h, HOOK_POSTSTART, NULL, &u->e) != 0)
		fail_msg("%s", u->e.msg);
	assert_true(exists(u, "empty"));
	assert_string_equal(slurp(u, "empty"), "");
	hooks_free(&h);
}

/* The hook's stdout and stderr are the runner's fd 2; the environment is
 * exactly hook.env (env(1) prints it, nothing added). */
static void test_run_env_and_output(void **state)
{
	const char *env[] = { "A=1", "B=two words", "EMPTY=", NULL };
	const char *env_args[] = { "env", NULL };
	struct unit *u = *state;
	struct hooks h = { 0 };
	int saved;
	int r;

	add_hook(&h, HOOK_CREATE_CONTAINER, "/usr/bin/env", env_args, env, 0);
	add_hook(&h, HOOK_CREATE_CONTAINER, "/usr/bin/env", env_args, NULL, 0);
	add_sh(&h, HOOK_CREATE_CONTAINER, "echo out; echo err >&2", 0);
	saved = stderr_to(u, "stderr");
	r = hooks_run(&h, HOOK_CREATE_CONTAINER, "{}", &u->e);
	stderr_back(saved);
	if (r != 0)
		fail_msg("%s", u->e.msg);
	assert_string_equal(slurp(u, "stderr"), "A=1\nB=two words\nEMPTY=\nout\nerr\n");
	hooks_free(&h);
}

/* argv is hook.args; without args it is { path }. */
static void test_run_argv(void **state)
{
	const char *args[] = { "zero", "one", "two words", NULL };
	struct unit *u = *state;
	struct hooks h = { 0 };
	const char *script;
	char want[PATH_MAX + 8];

	script = unit_write(u, "hook.sh", "#!/bin/sh\nprintf '%s|' \"$0\" \"$@\" >> argv\necho >> argv\n");
	assert_int_equal(chmod(script, 0755), 0);
	add_hook(&h, HOOK_PRESTART, script, args, NULL, 0);
	add_hook(&h, HOOK_PRESTART, script, NULL, NULL, 0);
	if (hooks_run(&h, HOOK_PRESTART, "{}", &u->e) != 0)
		fail_msg("%s", u->e.msg);
	/* A script's $0 is the path the kernel ran, not argv[0]. */
	unit_fmt(want, sizeof(want), "%s|one|two words|\n%s|\n", script, script);
	assert_string_equal(slurp(u, "argv"), want);
	hooks_free(&h);
}

static void test_run_exit_status(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };

	add_sh(&h, HOOK_CREATE_RUNTIME, "echo 0 >> ran", 0);
	add_sh(&h, HOOK_CREATE_RUNTIME, "echo 1 >> ran; exit 3", 0);
	add_sh(&h, HOOK_CREATE_RUNTIME, "echo 2 >> ran; kill -9 $$", 0);
	add_sh(&h, HOOK_CREATE_RUNTIME, "echo 3 >> ran", 0);

	assert_int_equal(hooks_run(&h, HOOK_CREATE_RUNTIME, "{}", &u->e), -1);
	assert_err(u, "hook: createRuntime[1] /bin/sh: exited with status 3");
	assert_string_equal(slurp(u, "ran"), "0\n1\n");
	assert_no_children();

	unlink(unit_path(u, "ran"));
	assert_int_equal(hooks_run_all(&h, HOOK_CREATE_RUNTIME, "{}", &u->e), -1);
	assert_err(u, "hook: createRuntime[1] /bin/sh: exited with status 3");
	assert_string_equal(slurp(u, "ran"), "0\n1\n2\n3\n");
	assert_no_children();
	hooks_free(&h);
}

static void test_run_killed(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };

	add_sh(&h, HOOK_POSTSTOP, "kill -9 $$", 0);
	add_sh(&h, HOOK_POSTSTOP, "exit 4", 0);
	assert_int_equal(hooks_run_all(&h, HOOK_POSTSTOP, "{}", &u->e), -1);
	assert_err(u, "hook: poststop[0] /bin/sh: killed by signal 9");
	assert_no_children();
	hooks_free(&h);
}

static void test_run_exec_fails(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };
	const char *plain = unit_write(u, "not-executable", "#!/bin/sh\n");

	add_hook(&h, HOOK_PRESTART, "/nonexistent/hook", NULL, NULL, 0);
	add_hook(&h, HOOK_POSTSTART, plain, NULL, NULL, 0);
	assert_int_equal(hooks_run(&h, HOOK_PRESTART, "{}", &u->e), -1);
	assert_err(u, "hook: prestart[0] /nonexistent/hook: exec: No such file or directory");
	assert_int_equal(u->e.errnum, ENOENT);
	assert_int_equal(hooks_run(&h, HOOK_POSTSTART, "{}", &u->e), -1);
	assert_err(u, "hook: poststart[0] %s: exec: Permission denied", plain);
	assert_no_children();
	hooks_free(&h);
}

/* The hook and what it started (here a background sleep) are killed at
 * the deadline and the hook reaped; state left unread does not block. */
static void test_run_timeout(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };
	static char big[256 << 10];
	char stat_path[64];
	double t0, took;
	char st = 0;

	memset(big, 'x', sizeof(big) - 1);
	add_sh(&h, HOOK_CREATE_RUNTIME, "sleep 10 & echo $! > pid; wait", 1);
	add_sh(&h, HOOK_CREATE_RUNTIME, "echo >> not-reached", 0);
	t0 = now_s();
	assert_int_equal(hooks_run(&h, HOOK_CREATE_RUNTIME, big, &u->e), -1);
	took = now_s() - t0;
	assert_err(u, "hook: createRuntime[0] /bin/sh: timed out after 1 s");
	assert_true(took >= 0.9 && took < 5);
	assert_no_children();
	assert_false(exists(u, "not-reached"));

	/* The orphaned sleep is dead: gone, or a zombie its new parent has
	 * yet to reap. */
	unit_fmt(stat_path, sizeof(stat_path), "/proc/%d/stat", atoi(slurp(u, "pid")));
	for (int i = 0; i < 100; i++) {
		FILE *f = fopen(stat_path, "re");

		if (!f) {
			st = 'X';
			break;
		}
		if (fscanf(f, "%*d (%*[^)]) %c", &st) != 1)
			st = '?';
		fclose(f);
		if (st == 'Z')
			break;
		poll(NULL, 0, 20);
	}
	if (st != 'X' && st != 'Z')
		fail_msg("the hook's background sleep is still alive (state %c)", st);
	hooks_free(&h);
}

/* A hook that exits without reading ~1 MiB of state, and one that closes
 * its stdin and goes on: no SIGPIPE reaches the runner, none is left
 * pending, and the caller's signal mask is as it was. */
static void test_run_unread_state(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };
	char *big = xmalloc(1 << 20);
	sigset_t before, after, pending;

	memset(big, '{', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	add_sh(&h, HOOK_POSTSTART, "exit 0", 0);
	add_sh(&h, HOOK_POSTSTART, "exec 0<&-; sleep 0.2; echo done > done", 5);
	assert_int_equal(sigprocmask(SIG_SETMASK, NULL, &before), 0);
	if (hooks_run(&h, HOOK_POSTSTART, big, &u->e) != 0)
		fail_msg("%s", u->e.msg);
	assert_int_equal(sigprocmask(SIG_SETMASK, NULL, &after), 0);
	assert_int_equal(sigismember(&after, SIGPIPE), sigismember(&before, SIGPIPE));
	assert_int_equal(sigpending(&pending), 0);
	assert_false(sigismember(&pending, SIGPIPE));
	assert_string_equal(slurp(u, "done"), "done\n");

	/* The same with SIGPIPE blocked by the caller. */
	sigemptyset(&after);
	sigaddset(&after, SIGPIPE);
	assert_int_equal(sigprocmask(SIG_BLOCK, &after, NULL), 0);
	if (hooks_run(&h, HOOK_POSTSTART, big, &u->e) != 0)
		fail_msg("%s", u->e.msg);
	assert_int_equal(sigpending(&pending), 0);
	assert_false(sigismember(&pending, SIGPIPE));
	assert_int_equal(sigprocmask(SIG_SETMASK, &before, NULL), 0);
	free(big);
	hooks_free(&h);
}

/* The caller has SIGCHLD (and more) blocked, and some signals ignored:
 * hooks still run and time out, and each starts with an empty mask and
 * no ignored signal. */
static void test_run_caller_signals(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_term, old_hup;
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	assert_int_equal(sigprocmask(SIG_BLOCK, &block, &old), 0);
	assert_int_equal(sigaction(SIGTERM, &ign, &old_term), 0);
	assert_int_equal(sigaction(SIGHUP, &ign, &old_hup), 0);

	add_sh(&h, HOOK_PRESTART, "grep -E '^Sig(Blk|Ign)' /proc/self/status > sigs", 0);
	add_sh(&h, HOOK_PRESTART, "sleep 0.2", 5);
	add_sh(&h, HOOK_POSTSTOP, "exec sleep 10", 1);
	if (hooks_run(&h, HOOK_PRESTART, "{}", &u->e) != 0)
		fail_msg("%s", u->e.msg);
	assert_int_equal(hooks_run(&h, HOOK_POSTSTOP, "{}", &u->e), -1);
	assert_err(u, "hook: poststop[0] /bin/sh: timed out after 1 s");
	assert_no_children();

	assert_int_equal(sigaction(SIGTERM, &old_term, NULL), 0);
	assert_int_equal(sigaction(SIGHUP, &old_hup, NULL), 0);
	assert_int_equal(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	assert_string_equal(slurp(u, "sigs"), "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
	hooks_free(&h);
}

/* An fd the caller left inheritable does not reach the hook: ls lists
 * its own fds, 0 to 2 and the one it reads the listing through. */
static void test_run_no_fd_leak(void **state)
{
	const char *args[] = { "ls", "/proc/self/fd", NULL };
	struct unit *u = *state;
	struct hooks h = { 0 };
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int saved, r;

	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, 50), 50); /* dup2: no close-on-exec */
	close(fd);
	add_hook(&h, HOOK_START_CONTAINER, "/bin/ls", args, NULL, 0);
	saved = stderr_to(u, "fds");
	r = hooks_run(&h, HOOK_START_CONTAINER, "{}", &u->e);
	stderr_back(saved);
	close(50);
	if (r != 0)
		fail_msg("%s", u->e.msg);
	assert_string_equal(slurp(u, "fds"), "0\n1\n2\n3\n");
	hooks_free(&h);
}

/* SIGCHLD ignored by the caller would let the kernel reap the hook: that is
 * refused before anything runs. */
static void test_run_sigchld_ignored(void **state)
{
	struct unit *u = *state;
	struct hooks h = { 0 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	add_sh(&h, HOOK_PRESTART, "echo >> ran", 0);
	assert_int_equal(sigaction(SIGCHLD, &ign, &old), 0);
	assert_int_equal(hooks_run(&h, HOOK_PRESTART, "{}", &u->e), -1);
	assert_int_equal(sigaction(SIGCHLD, &old, NULL), 0);
	assert_err(u, "hook: prestart[0] /bin/sh: SIGCHLD is ignored: cannot wait for the hook");
	assert_false(exists(u, "ran"));
	hooks_free(&h);
}

/* Old kernels: without pidfd_open (Linux 5.3) and close_range (5.9) the
 * wait ticks and fds are closed one by one. Simulated with a seccomp
 * filter answering ENOSYS, in a child process (the filter is forever). */
static int run_without_new_syscalls(struct unit *u)
{
	struct hooks h = { 0 };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	double t0;

	if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(pidfd_open), 0) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(close_range), 0) < 0 ||
	    seccomp_load(ctx) < 0)
		return 10;
	seccomp_release(ctx);
	const char *ls[] = { "ls", "/proc/self/fd", NULL };
	int out = open(unit_path(u, "fds"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	/* The hooks' output (ls's listing) goes to our fd 2. */
	if (dup2(0, 50) != 50 || out < 0 || dup2(out, 2) != 2)
		return 11;
	add_sh(&h, HOOK_PRESTART, "cat > state", 0);
	add_hook(&h, HOOK_PRESTART, "/bin/ls", ls, NULL, 0);
	add_sh(&h, HOOK_POSTSTOP, "exec sleep 10", 1);
	if (hooks_run(&h, HOOK_PRESTART, "{\"id\": \"old\"}", &u->e) != 0)
		return 12;
	t0 = now_s();
	if (hooks_run(&h, HOOK_POSTSTOP, "{}", &u->e) != -1 ||
	    strcmp(u->e.msg, "hook: poststop[0] /bin/sh: timed out after 1 s") != 0)
		return 13;
	if (now_s() - t0 > 5 || waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
		return 14;
	hooks_free(&h);
	return 0;
}

static void test_run_old_kernel(void **state)
{
	struct unit *u = *state;
	int st;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(run_without_new_syscalls(u));
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_string_equal(slurp(u, "state"), "{\"id\": \"old\"}");
	assert_string_equal(slurp(u, "fds"), "0\n1\n2\n3\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_kind_names),
		UNIT_TEST(test_parse_none),
		UNIT_TEST(test_parse_good),
		UNIT_TEST(test_parse_bad),
		UNIT_TEST(test_parse_replaces),
		UNIT_TEST(test_run_none),
		UNIT_TEST(test_run_order),
		UNIT_TEST(test_run_state_on_stdin),
		UNIT_TEST(test_run_env_and_output),
		UNIT_TEST(test_run_argv),
		UNIT_TEST(test_run_exit_status),
		UNIT_TEST(test_run_killed),
		UNIT_TEST(test_run_exec_fails),
		UNIT_TEST(test_run_timeout),
		UNIT_TEST(test_run_unread_state),
		UNIT_TEST(test_run_caller_signals),
		UNIT_TEST(test_run_no_fd_leak),
		UNIT_TEST(test_run_sigchld_ignored),
		UNIT_TEST(test_run_old_kernel),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
