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
 *
 * With `rootfs readonly` nothing is ever written through the overlay, so
 * it is needed only where a file is stripped: the rootfs is then a plain
 * recursive bind of the image, as without `setuid strip` (mounts inside
 * the image directory come along, and keep their own flags), with a
 * read-only overlay on each directory that holds one (usually /usr/bin
 * and /usr/sbin). Path walks elsewhere never enter overlayfs, whose
 * permission checks at every directory cost a file server some percent
 * (docs/profiles.md, section 8). A writable rootfs keeps the whole-tree
 * overlay: its writes must not reach the image; so do OCI hooks that run
 * before the rootfs turns read-only (they may add files, to /usr/bin say).
 */
#ifndef RAMPART_SETUID_H
#define RAMPART_SETUID_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

struct strip_report {
	unsigned setuid, setgid, fcaps; /* files changed in the container's view */
	unsigned files;                 /* files looked at */
};

#define STRIP_MAX_DIRS 16
#define STRIP_DIR_LEN 256

/* Where the overlays go: the directories (relative to the rootfs) that
 * hold a file to strip, none below another; or, with `whole`, one overlay
 * for the whole tree (a file to strip in the root directory itself, more
 * than STRIP_MAX_DIRS directories, or a longer path). */
struct strip_plan {
	bool whole;
	unsigned ndirs;
	struct strip_dir {
		char path[STRIP_DIR_LEN];
		dev_t dev; /* the directory the count walked: the builder */
		ino_t ino; /* refuses another one found at its path */
	} dir[STRIP_MAX_DIRS];
};

/* Count what would be stripped, reading the image only, and plan where
 * (`plan` may be NULL). An image with nothing to strip needs no overlay:
 * a plain bind shows it as it is. */
int setuid_count(int rootfd, const char *rootfs, struct strip_report *rep, struct strip_plan *plan,
		 struct rp_err *e);

/* The rootfs with the bits stripped, as a detached mount; returns its fd
 * (close-on-exec) or -1. With `plan` NULL or whole: an overlay of the
 * whole tree. Otherwise (for a read-only rootfs only) a recursive clone
 * of the image with a read-only overlay on each planned directory. */
int setuid_strip_overlay(int rootfd, const char *rootfs, const struct strip_plan *plan,
			 struct strip_report *rep, struct rp_err *e);

#endif
