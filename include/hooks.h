/* hooks.h - OCI runtime-spec hooks: parse config.json's "hooks", run them.
 *
 * A hook is a host program the runtime runs at one point of the lifecycle,
 * with the container's state (a JSON text) on its stdin. Running one:
 *   - argv is hook.args (or { path }), the environment exactly hook.env;
 *   - stdin is a pipe carrying the state; stdout and stderr are the
 *     runner's fd 2 (the runtime's stdout may be a protocol channel);
 *   - no other fd is inherited, the signal mask is empty and every signal
 *     is at its default action, whatever the runner had blocked or ignored;
 *   - the hook leads a process group of its own, so that a timeout kills
 *     what it started too (SIGKILL to the group), and it is always reaped.
 * Neither SIGCHLD handlers nor alarm() are used: the caller may have
 * SIGCHLD blocked. It must not have it ignored (SIG_IGN reaps children
 * behind our back and the exit status is lost: that is reported as an
 * error). A hook that does not read its stdin does not raise SIGPIPE in
 * the runner: SIGPIPE is blocked while the state is written, and the one
 * the write raised is taken off the pending set before the mask is back.
 */
#ifndef RAMPART_HOOKS_H
#define RAMPART_HOOKS_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

enum hook_kind {
	HOOK_PRESTART,
	HOOK_CREATE_RUNTIME,
	HOOK_CREATE_CONTAINER,
	HOOK_START_CONTAINER,
	HOOK_POSTSTART,
	HOOK_POSTSTOP,
	HOOK_KINDS
};

struct hook {
	char *path;   /* absolute */
	char **args;  /* NULL-terminated, may be NULL (then argv = { path }) */
	char **env;   /* NULL-terminated NAME=VALUE, may be NULL (empty env) */
	int timeout;  /* seconds, 0 = none */
};

struct hook_list {
	struct hook *v;
	size_t n;
};

struct hooks {
	struct hook_list list[HOOK_KINDS];
};

/* "prestart", "createRuntime", ... as in config.json; NULL for a value
 * outside the enum. */
const char *hook_kind_name(enum hook_kind k);

/* Parse config.json's "hooks" object (NULL or JSON null: no hooks). Errors
 * name the JSON path, e.g. "hooks.prestart[0].path: expected an absolute
 * path" (the caller prefixes the file). Unknown keys are ignored, as the
 * spec says; the deprecated "prestart" is accepted. An empty args or env
 * array is stored as NULL. OUT must be zeroed or hold earlier hooks: it is
 * replaced on success (the old ones freed) and left as it was on failure. */
int hooks_parse(const json_t *hooks, struct hooks *out, struct rp_err *e);
/* Free everything and leave H empty (safe on a zeroed struct). */
void hooks_free(struct hooks *h);

/* Run every hook of kind K in order with STATE_JSON (NULL: empty) on its
 * stdin; stop at the first that fails: "hook: createRuntime[1] /usr/bin/foo:
 * exited with status 3", "...: killed by signal 9", "...: timed out after
 * 2 s", "...: exec: No such file or directory". 0 when all succeeded (or
 * there are none). */
int hooks_run(const struct hooks *h, enum hook_kind k, const char *state_json, struct rp_err *e);
/* The same, but every hook runs whatever the others did (poststart and
 * poststop are best-effort per the spec): -1 with the first failure in E
 * if any failed. */
int hooks_run_all(const struct hooks *h, enum hook_kind k, const char *state_json,
		  struct rp_err *e);

#endif
