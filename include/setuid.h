/* setuid.h - `setuid strip`: the container sees its rootfs through an
 * overlay in which no file is setuid or setgid and none carries file
 * capabilities; the image on disk is never modified.
 *
 * Built for the parent, as root, by a short-lived helper process in a
 * private mount namespace of its own: overlayfs with the image as its
 * lower layer and a private tmpfs as upper and work directories,
 * `metacopy=on` where the kernel offers it so that clearing a bit copies
 * metadata, not contents. Kernels before 6.15 want every layer in the
 * mounter's namespace, hence the helper: the host's mount table never
 * changes. The overlay comes back as a detached mount (SCM_RIGHTS) and the
 * child attaches it in place of a plain bind of the rootfs. Root inside a
 * user namespace could not do this: copying up a file owned by the
 * unmapped host root fails. nosuid on every mount stays as the second
 * layer.
 */
#ifndef RAMPART_SETUID_H
#define RAMPART_SETUID_H

#include "error.h"
#include "spec.h"

struct strip_report {
	unsigned setuid, setgid, fcaps; /* files changed in the container's view */
	unsigned files;                 /* files looked at */
};

/* Count what would be stripped, reading the image only. An image with
 * nothing to strip needs no overlay: a plain bind shows it as it is. */
int setuid_count(int rootfd, const char *rootfs, struct strip_report *rep, struct rp_err *e);

/* The detached overlay of `rootfd` with the bits stripped; returns its
 * mount fd (close-on-exec) or -1. */
int setuid_strip_overlay(int rootfd, const char *rootfs, struct strip_report *rep,
			 struct rp_err *e);

#endif
