/* digest.h - a deterministic digest of a rootfs tree, its manifest, and a
 * verification cache (docs/scan-digest.md).
 *
 * The digest is the SHA-256 of the tree's *manifest*: a header line and
 * one canonical record per entry (path, type, mode, owner, size, content
 * hash, symlink target, device numbers, xattrs), sorted bytewise by path.
 * It does not depend on readdir order, timestamps, inode numbers or the
 * filesystem, so two copies of an image have the same digest; and because
 * the manifest is the hashed text, `sha256sum MANIFEST` equals the digest
 * it was written with.
 *
 * Every walk stays inside the tree: directories are opened with
 * O_NOFOLLOW|O_DIRECTORY below the root fd, nothing is stat'ed through a
 * symlink, and a regular file is only hashed when the inode opened is the
 * inode the walk found. Mount points inside the tree are crossed (a launch
 * clones the rootfs recursively, so the container sees them too).
 */
#ifndef RAMPART_DIGEST_H
#define RAMPART_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "sha256.h"

/* "sha256:" + 64 hex digits + NUL. */
#define DIGEST_LEN 72
/* The first line of every manifest, and of the hashed text. */
#define DIGEST_HEADER "rampart-digest v1\n"

/* out = "sha256:" + lowercase hex of d. */
void digest_format(const uint8_t d[32], char out[DIGEST_LEN]);

struct digest_stats {
	uint64_t entries;     /* records, the root included */
	uint64_t files, dirs, symlinks, other;
	uint64_t mount_points;
	uint64_t bytes;       /* regular-file content hashed */
	double seconds;       /* wall time of the whole digest */
};

/* The digest of the tree below ROOTFD (any fd of the directory, O_PATH
 * works). ST may be NULL. */
int digest_tree(int rootfd, char out[DIGEST_LEN], struct digest_stats *st, struct rp_err *e);

/* digest_tree, also writing the manifest (exactly the hashed bytes) to FD. */
int digest_write_manifest(int rootfd, int fd, char out[DIGEST_LEN], struct digest_stats *st,
			  struct rp_err *e);

/* Compare the tree with a manifest file written by digest_write_manifest.
 * 0: identical; 1: different, FIRST_DIFF = the smallest path (bytewise)
 * whose record differs, is missing from the tree, or is new in it, in its
 * escaped record form ("./usr/bin/x"); -1: error (unreadable manifest or
 * tree, or not a v1 manifest). */
int digest_compare_manifest(int rootfd, const char *manifest, char *first_diff, size_t len,
			    struct rp_err *e);

/* digest_tree through a cache in CACHE_DIR (created 0700 if missing; must
 * belong to the caller and be writable by nobody else). The cache key is a
 * hash of every entry's (path, device, inode, mode, owner, size, mtime,
 * ctime); a hit skips reading file contents. See docs/scan-digest.md for
 * what the key can and cannot notice. Corrupt entries are rebuilt. */
int digest_tree_cached(int rootfd, const char *cache_dir, char out[DIGEST_LEN], bool *from_cache,
		       struct rp_err *e);

#endif
