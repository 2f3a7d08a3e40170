/* oci_runtime.h - the OCI container lifecycle, as runc's commands drive it.
 *
 *   create   the container's process exists in its namespaces and cgroup,
 *            its mounts are made, hooks up to createContainer have run; it
 *            waits on ROOT/ID/exec.fifo. Status "created".
 *   start    one byte into the fifo: the process execs the workload;
 *            poststart hooks. Status "running".
 *   kill     a signal to the process (or, --all, to its whole cgroup)
 *   delete   once stopped (or --force: killed first): the cgroup removed,
 *            poststop hooks, the state gone
 *   run      create + start, then (unless detached) wait and delete
 * The state directory is described in oci_state.h; docs/oci.md has the
 * whole picture.
 */
#ifndef RAMPART_OCI_RUNTIME_H
#define RAMPART_OCI_RUNTIME_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "oci_state.h"
#include "spec.h"

/* The spec of a container: config.json text (the bundle's, or the copy
 * create kept), then the --profile and --set lines on top; validated.
 * `source` names the text in errors. */
int oci_spec_build(struct spec *s, const char *bundle, const char *text, size_t len,
		   const char *source, char **profiles, char **sets, const char *id, struct rp_err *e);

/* The same without spec_validate (exec changes the process first). */
int oci_spec_load(struct spec *s, const char *bundle, const char *text, size_t len,
		  const char *source, char **profiles, char **sets, const char *id, struct rp_err *e);

struct oci_create_opts {
	const char *root;            /* state root */
	const char *id;
	const char *config_text;     /* as read by oci_read_config */
	size_t config_len;
	char **profiles, **sets;     /* as applied to the spec, recorded */
	const char *pid_file;
	const char *console_socket;
	unsigned preserve_fds;
	bool no_new_keyring;         /* keep the caller's session keyring */
	bool start;                  /* run: start it too */
	bool detach;                 /* run: return once started */
	FILE *notices;               /* warnings; NULL drops them */
	int *oom;                    /* out, may be NULL: a foreground run's OOM flag
				      * (launch_opts.oom) */
};

/* create, or run. Returns 0 for create and a detached run, the
 * container's exit status for a foreground run, -1 with e filled. On
 * failure nothing is left: no process, cgroup, state directory. */
int oci_create(const struct spec *s, const struct oci_create_opts *o, struct rp_err *e);

int oci_start(const char *root, const char *id, FILE *notices, struct rp_err *e);
int oci_kill(const char *root, const char *id, int sig, bool all, struct rp_err *e);
int oci_delete(const char *root, const char *id, bool force, FILE *notices, struct rp_err *e);

/* pause/resume: cgroup.freeze, waiting until the kernel says it is done. */
int oci_freeze(const char *root, const char *id, bool freeze, struct rp_err *e);

/* Host pids in the container's cgroup (or its one process), for `ps`. */
int oci_pids(const struct oci_state *st, pid_t **pids, size_t *n, struct rp_err *e);

/* exec: a new process in a running container (oci_exec.c). */
struct oci_exec_opts {
	const char *root, *id;
	const char *process_file;    /* --process: a process object (JSON) */
	char **args;                 /* CMD ARGS (without --process) */
	char **env;                  /* --env NAME=VALUE, added */
	const char *cwd, *user;      /* --cwd, --user UID[:GID] */
	char **caps;                 /* --cap, added to every set */
	bool no_new_privs, tty, detach;
	bool ignore_paused;          /* exec into a paused container (it runs once resumed) */
	const char *pid_file, *console_socket;
	unsigned preserve_fds;
	FILE *notices;
};
/* The process's exit status (0 when detached), or -1 with e filled. */
int oci_exec(const struct oci_exec_opts *o, struct rp_err *e);

/* The pid file a caller asked for, written whole (a temp file renamed). */
int oci_write_pid_file(const char *path, pid_t pid, struct rp_err *e);

/* "KILL", "SIGKILL", "9" -> 9 ("0" too: a liveness check); -1 if unknown. */
int oci_signal_from_name(const char *name);

/* The state text for hooks, with the status as of now. */
char *oci_hook_state(const struct oci_state *st, const char *status);

#endif
