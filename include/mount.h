/* mount.h - the container's filesystem view.
 *
 * Runs in the container child, inside its new user namespace. Builds the whole tree
 * (rootfs bind, /proc, /sys, /dev, profile mounts, masks, read-only bits),
 * then pivots into it and detaches the host's root.
 */
#ifndef RAMPART_MOUNT_H
#define RAMPART_MOUNT_H

#include <stdbool.h>

#include "error.h"
#include "secrets.h"
#include "spec.h"

/* Paths hidden in every container, whatever the profile says: they leak
 * host kernel state or allow host-wide actions. */
extern const char *const mount_default_masked[];

/* Create the mount namespace, build the tree and pivot_root into it. On
 * return "/" is the container's root and the host's mounts are unreachable.
 * `rootfd` is an O_PATH fd of the rootfs directory, opened by the parent.
 * The caller must already be in its new user namespace. */
struct mount_inputs {
	int rootfd;          /* the rootfs directory, O_PATH */
	int root_mnt;        /* a premade root (the stripped overlay), or -1 */
	const int *sources;  /* detached bind sources (mount_open_sources) */
	bool cgroup_fs;      /* mount the container's own cgroup at /sys/fs/cgroup */
	struct secret_data *secrets; /* read by the parent; wiped once written */
	/* Called once the mounts are made, before the masks, read-only paths
	 * and pivot_root (the OCI prestart/createRuntime point); NULL for none. */
	int (*before_pivot)(const void *arg, struct rp_err *e);
	const void *arg;
};

int mount_setup(const struct spec *s, const struct mount_inputs *in, struct rp_err *e);

/* Run by the parent when it is root, before clone: a detached copy
 * (open_tree OPEN_TREE_CLONE) of each bind source, one fd per spec mount
 * (-1 for non-binds), so sources are opened with the caller's rights, not
 * the mapped root's, and the child only attaches them. Rootless, *fds is
 * NULL and the child, which has the caller's uid, binds by path. */
int mount_open_sources(const struct spec *s, int **fds, struct rp_err *e);
void mount_close_sources(const struct spec *s, int **fds);

/* Run by the parent, as the caller, before clone: create the mount points
 * the image lacks (as runc does), resolved inside the image. Container
 * root is an unmapped stranger to a root-owned image and could not. Points
 * below another profile mount are left for the child to make there. */
int mount_prepare_targets(const struct spec *s, int rootfd, struct rp_err *e);

#endif
