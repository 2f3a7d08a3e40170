/* scan.h - what a hardened launch should know about a rootfs before it
 * runs it: setuid/setgid files, file capabilities, world-writable files
 * and sticky-less directories, device nodes, odd owners, an SSH daemon,
 * shells and mount points (docs/scan-digest.md).
 *
 * The walk never follows a symlink and never leaves the tree: every entry
 * is stat'ed with AT_SYMLINK_NOFOLLOW, every directory opened with
 * O_NOFOLLOW|O_DIRECTORY below its parent's fd. It does cross into other
 * filesystems mounted inside the tree (the container sees them: rootfs
 * clones are recursive) and reports each mount point it meets.
 */
#ifndef RAMPART_SCAN_H
#define RAMPART_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "error.h"

enum scan_severity { SCAN_LOW = 1, SCAN_MEDIUM, SCAN_HIGH };

enum scan_kind {
	SCAN_SETUID,             /* high when owned by root, else medium */
	SCAN_SETGID,             /* medium */
	SCAN_FILE_CAPS,          /* high: security.capability present */
	SCAN_WORLD_WRITABLE,     /* medium: a non-directory anyone can write */
	SCAN_WORLD_WRITABLE_DIR, /* medium: without the sticky bit */
	SCAN_BLOCK_DEVICE,       /* high */
	SCAN_CHAR_DEVICE,        /* medium; low for null/zero/full/random/urandom/tty */
	SCAN_SSHD,               /* high: an SSH daemon in a bin directory */
	SCAN_SHELL,              /* low */
	SCAN_OWNER,              /* low: ids outside 0-65535, or unknown to the image */
	SCAN_MOUNT_POINT,        /* low: another mount inside the tree */
};

struct scan_finding {
	enum scan_severity severity;
	enum scan_kind kind;
	char *path;              /* as the container sees it: "/usr/bin/passwd" */
	char detail[192];
};

struct scan_totals {
	uint64_t files, dirs, symlinks, other, bytes, mount_points;
	uint64_t by_severity[SCAN_HIGH + 1]; /* findings, indexed by severity */
};

struct scan_result {
	struct scan_finding *v;  /* sorted: severity (high first), path, kind */
	size_t n, cap;
	struct scan_totals totals;
};

/* Scan the tree below ROOTFD (any fd of the directory). NAME is how the
 * caller calls it, for error messages: "scan: NAME/etc/x: reason". */
int scan_tree(int rootfd, const char *name, struct scan_result *r, struct rp_err *e);
void scan_result_free(struct scan_result *r);

/* One entry, as the walk saw it: the classification, separate from the
 * walk so its rules can be tested on made-up entries. */
struct scan_entry {
	const char *path;          /* "/usr/bin/passwd" */
	const struct stat *st;     /* not following symlinks */
	const void *caps;          /* the security.capability value, or NULL */
	size_t caps_len;
	const char *link;          /* a symlink's target, or NULL */
	bool mount_point;
	bool unknown_uid, unknown_gid; /* not in the image's /etc/passwd, /etc/group */
};
/* Add the entry's findings (none, one or several) to R. */
void scan_check(struct scan_result *r, const struct scan_entry *en);
/* Sort the findings and count them by severity (scan_tree does this). */
void scan_finish(struct scan_result *r);

/* "cap_net_raw=ep", "cap_a,cap_b=eip cap_c=i rootid=1000", or
 * "invalid security.capability (N bytes)" for a value the kernel would
 * not accept (vfs_cap_data revisions 1-3, little-endian). */
void scan_describe_caps(const void *caps, size_t len, char *out, size_t outlen);

const char *scan_severity_name(enum scan_severity s);
const char *scan_kind_name(enum scan_kind k);
/* "high", "medium" or "low"; -1 otherwise. */
int scan_severity_parse(const char *s, enum scan_severity *out);

#endif
