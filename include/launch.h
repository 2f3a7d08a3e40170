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

/* Run the container to completion. Returns its exit status in shell terms
 * (the workload's code, 128+N for signal N) or -1 with `e` filled (then
 * e->exit_code is 125, or 126/127 when the workload could not be run). */
struct launch_opts {
	FILE *notices;  /* warnings for the user (e.g. stderr); NULL drops them */
	FILE *stats;    /* cgroup statistics as JSON at exit; NULL for none */
	struct learn_log *learn; /* `rampart learn`: record instead of filter */
};

int launch_run(const struct spec *s, const struct launch_opts *o, struct rp_err *e);

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
};

/* Child side: never returns. */
_Noreturn void container_main(const struct child_args *a);

/* Pid 1: forward signals to `child`, reap every zombie, exit with the
 * child's status. Never returns. */
_Noreturn void init_run(pid_t child);

#endif
