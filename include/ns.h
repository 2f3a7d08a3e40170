/* ns.h - creating the container process in its namespaces. */
#ifndef RAMPART_NS_H
#define RAMPART_NS_H

#include <sys/types.h>

#include "error.h"
#include "spec.h"

/* clone(2) flags for the namespaces the spec asks for, except the mount
 * namespace: the child makes that one itself (see mount_setup). */
unsigned long ns_clone_flags(const struct spec *s);

/* Fork-like clone3 with CLONE_PIDFD (clone fallback on kernels < 5.3,
 * where *pidfd is -1). With `cgroup_fd` >= 0 the child starts inside that
 * cgroup (CLONE_INTO_CGROUP, 5.7+); *placed says whether that happened.
 * Returns 0 in the child, the pid in the parent. */
pid_t ns_clone(unsigned long flags, int cgroup_fd, int *pidfd, bool *placed, struct rp_err *e);

/* ns_clone for a spec: born in the namespaces the spec joins by path
 * (OCI linux.namespaces[].path; `net join`), which the caller enters
 * around the clone and leaves again. */
pid_t ns_clone_spec(const struct spec *s, int cgroup_fd, int *pidfd, bool *placed, struct rp_err *e);

/* Write setgroups/uid_map/gid_map of `pid` from the spec's maps. */
int ns_write_idmaps(pid_t pid, const struct spec *s, struct rp_err *e);

#endif
