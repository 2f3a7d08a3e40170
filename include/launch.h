/* launch.h - run a validated spec as a container, in the documented order.
 *
 * The parent side (launch.c) creates the child in its namespaces, writes
 * the id maps, forwards signals and reports the exit status; the child side
 * (container.c) builds the container and execs the workload; init.c is the
 * small pid 1 that reaps and forwards between them.
 */
#ifndef RAMPART_LAUNCH_H
#define RAMPART_LAUNCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "learn.h"
#include "seccomp.h"
#include "spec.h"

/* The OCI lifecycle's part of a launch (oci_runtime.c). The child builds
 * the whole container, says "ready" and waits for `start` before execve. */
struct launch_oci {
	int exec_fifo;        /* opened O_RDWR: the child reads one byte from it
			       * (written by `start`) before execve */
	int console;          /* process.terminal: the console socket, else -1 */
	int create_state;     /* memfd with the state for createContainer hooks, or -1 */
	int start_state;      /* memfd with the state for startContainer hooks, or -1 */
	int agent;            /* connected to the seccomp agent (seccomp_agent.h), or -1 */
	int agent_msg;        /* memfd with the message for it, or -1 */
	unsigned preserve_fds; /* fds 3..3+N-1 pass into the workload (--preserve-fds) */
	bool no_new_keyring;  /* --no-new-keyring: keep the caller's session keyring */
	/* After the namespaces and id maps exist, before the child builds
	 * anything (the pid is known). May be NULL. */
	int (*namespaces_ready)(void *arg, pid_t pid, struct rp_err *e);
	/* The child built its mounts and waits before pivot_root: the
	 * prestart and createRuntime hooks (the child runs createContainer's
	 * itself, next). May be NULL. */
	int (*before_pivot)(void *arg, struct rp_err *e);
	void *arg;
};

struct launch_opts {
	FILE *notices;  /* warnings for the user (e.g. stderr); NULL drops them */
	FILE *stats;    /* cgroup statistics as JSON at exit; NULL for none */
	struct learn_log *learn; /* `rampart learn`: record instead of filter */
	const struct launch_oci *oci; /* create/run; NULL for launch and learn */
	int *oom;       /* out, may be NULL: 1 the OOM killer struck the container's
			 * cgroup, 0 it did not, -1 unknown (no memory controller) */
};

/* Run the container to completion. Returns its exit status in shell terms
 * (the workload's code, 128+N for signal N) or -1 with `e` filled (then
 * e->exit_code is 125, or 126/127 when the workload could not be run). */
int launch_run(const struct spec *s, const struct launch_opts *o, struct rp_err *e);

/* The same in stages, for the OCI lifecycle:
 *   prepare  everything before clone (NULL on failure, nothing left)
 *   spawn    clone, maps, go; returns once the workload exec'd, or with
 *            opts->oci once the container is ready and waits for start
 *   wait     forward signals until the container exits: its status
 *   release  leave the container and its cgroup running (create)
 *   end      kill what is not released, remove the cgroup, free; -1 only
 *            when the cleanup itself failed (e may be NULL) */
struct launch;
struct launch *launch_prepare(const struct spec *s, const struct launch_opts *o, struct rp_err *e);
int launch_spawn(struct launch *l, struct rp_err *e);
pid_t launch_pid(const struct launch *l);
const char *launch_cgroup(const struct launch *l); /* NULL: no cgroup */
int launch_wait(struct launch *l, struct rp_err *e);
void launch_release(struct launch *l);
int launch_end(struct launch *l, struct rp_err *e);

/* Where an OCI container's cgroup goes (linux.cgroupsPath or /rampart-oci/ID
 * under the cgroup2 root), absolute; -1 without cgroup v2. Recorded before
 * it is made, so a create killed at any point leaves delete --force a
 * path to clean. */
int launch_oci_cgroup_path(const struct spec *s, char *out, size_t len);

/* Forward rampart's signals to `pid` (our child) until it exits; its
 * status. The caller has them blocked since before the fork. */
int launch_wait_process(pid_t pid, int pidfd, struct rp_err *e);

/* The signals rampart passes on to the workload. */
void launch_forwarded_signals(sigset_t *set);

/* What the parent prepared for the child before clone. */
struct child_args {
	const struct spec *s;
	int rootfd;                      /* the rootfs, O_PATH */
	int root_mnt;                    /* the stripped overlay (setuid.h), or -1 */
	const int *sources;              /* bind sources (mount_open_sources) */
	const struct sc_filters *filters; /* compiled seccomp filters */
	int syncfd;                      /* the child's end of the sync channel */
	struct secret_data *secrets;     /* contents read by the parent */
	bool own_cgroup;                 /* the container has a cgroup of its own */
	bool unshare_cgroupns;           /* clone could not make the cgroup ns */
	bool learn;                      /* load the learning filter, hand over its listener */
	const struct launch_oci *oci;    /* OCI create/run, else NULL */
};

/* Child side: never returns. */
_Noreturn void container_main(const struct child_args *a);

/* Pid 1: forward signals to `child`, reap every zombie, exit with the
 * child's status. Never returns. */
_Noreturn void init_run(pid_t child);

#endif
