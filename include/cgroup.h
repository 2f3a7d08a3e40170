/* cgroup.h - one cgroup v2 directory per container with limits.
 *
 * Placement: <cgroup2 root><parent>/launch-<pid>, parent "/rampart" by
 * default (`cgroup parent`), where the cgroup2 root is wherever the host
 * mounted the v2 hierarchy (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a
 * v1/v2 hybrid). A container without limits gets no cgroup of its own.
 *
 * Every function takes the root as a path so the unit tests can run
 * against a fake tree in a temp directory.
 */
#ifndef RAMPART_CGROUP_H
#define RAMPART_CGROUP_H

#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "resources.h"

#define CGROUP_DEFAULT_PARENT "/rampart"
#define CGROUP_NAME_PREFIX "launch-"
/* OCI containers' cgroups without linux.cgroupsPath: apart from launch's,
 * so that no container id can look like a stale launch-<pid> to gc. */
#define CGROUP_OCI_PARENT "/rampart-oci"

struct cgroup {
	int fd;              /* the container's cgroup directory, O_DIRECTORY */
	char path[4096];     /* its absolute path */
};

/* Where cgroup2 is mounted (from /proc/self/mountinfo). */
int cgroup_find_root(char *out, size_t len, struct rp_err *e);

/* Rootless: the cgroup delegated to the caller, if there is one — the
 * parent of the caller's own cgroup when the caller owns it and its
 * controls (systemd's Delegate=yes gives this shape). out = that parent +
 * "/rampart", relative to the cgroup2 root. -1 when nothing is delegated. */
int cgroup_delegated_parent(const char *root, char *out, size_t len);

/* Before anything is created: does `root` offer every controller the
 * limits need? The message names the missing controller and the fix. */
int cgroup_check(const char *root, const struct resources_spec *l, struct rp_err *e);

/* Create <root><parent>/<name>, enabling the controllers in every
 * ancestor's cgroup.subtree_control, and write the limits into it. On
 * failure nothing is left behind. */
int cgroup_create(const char *root, const struct resources_spec *l, const char *name,
		  struct cgroup *cg, struct rp_err *e);

/* The limit files, written into an existing directory. */
int cgroup_write_limits(int dirfd, const struct resources_spec *l, struct rp_err *e);

/* Move `pid` in (for kernels without CLONE_INTO_CGROUP). */
int cgroup_attach(const struct cgroup *cg, pid_t pid, struct rp_err *e);

/* memory.peak, memory.events, cpu.stat, io.stat, pids.peak as one JSON line. */
int cgroup_stats(const struct cgroup *cg, FILE *out);

/* Did the OOM killer kill anything in it (memory.events oom_kill)? 1/0,
 * -1 when unknown (no memory controller). */
int cgroup_oom_killed(const struct cgroup *cg);

/* Kill everything left (cgroup.kill), wait until it is empty, rmdir. */
int cgroup_destroy(struct cgroup *cg, struct rp_err *e);

/* Remove cgroups under <root><parent> left by launchers that died
 * (SIGKILL); returns how many were removed. */
int cgroup_gc(const char *root, const char *parent, struct rp_err *e);

#endif
