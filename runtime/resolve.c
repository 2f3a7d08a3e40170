/* resolve.c - opening a path inside a container's root (see resolve.h).
 *
 * Every mount target and every file rampart reads out of an image is
 * reached through here, before pivot_root, while "/" is still the host's.
 * A symlink in the image must therefore never be followed by the kernel
 * from the host's point of view: "etc -> /" or "x -> ../../.." would
 * otherwise lead a mount or a read onto the host (CVE-2019-19921,
 * CVE-2021-30465).
 */
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

/* As the kernel's limit on nested symlinks (MAXSYMLINKS). */
#define MAX_LINKS 40

static bool same_dir(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Replace the fd in *cur with `next`. */
static void step(int *cur, int next)
{
	close(*cur);
	*cur = next;
}

/* `rest` becomes TARGET/REMAINING: the components still to walk, with the
 * link's target in front. */
static int splice_link(char *rest, size_t len, const char *target, const char *remaining)
{
	char tmp[PATH_MAX * 2];

	if (xsnprintf(tmp, sizeof(tmp), "%s%s%s", target, *remaining ? "/" : "", remaining) < 0)
		return -1;
	return xsnprintf(rest, len, "%s", tmp);
}

/* RESOLVE_IN_ROOT done by hand, for kernels before 5.6: one component at
 * a time with O_NOFOLLOW, so the kernel follows no symlink at all; a
 * link's target is spliced into the walk, an absolute one restarting at
 * ROOT; ".." at ROOT stays there. Magic links (/proc/PID/fd/N) are never
 * jumped through: their text is walked as an ordinary path in the root.
 * Unlike openat2, it cannot see a directory renamed out of ROOT while it
 * walks below it; nothing runs in the container yet, and the host's own
 * processes are trusted, as runtimes before openat2 trusted them. */
static int walk_in_root(int root, const char *path, int flags)
{
	char rest[PATH_MAX * 2], target[PATH_MAX];
	int cur = fcntl(root, F_DUPFD_CLOEXEC, 3), links = 0;

	if (cur < 0)
		return -1;
	if (xsnprintf(rest, sizeof(rest), "%s", path) < 0)
		goto fail;
	for (;;) {
		char *p = rest, *name, *slash;
		struct stat st;
		bool last, dir_wanted;
		int fd;

		while (*p == '/')
			p++;
		if (!*p) {
			fd = openat(cur, ".", flags | O_CLOEXEC);
			close(cur);
			return fd;
		}
		name = p;
		slash = strchr(p, '/');
		/* "name/" must be a directory, a link to one is followed. */
		dir_wanted = slash != NULL;
		if (slash)
			*slash++ = '\0';
		else
			slash = p + strlen(p);
		while (*slash == '/')
			slash++;
		last = *slash == '\0';

		if (!strcmp(name, ".") || (!strcmp(name, "..") && same_dir(cur, root))) {
			memmove(rest, slash, strlen(slash) + 1);
			continue;
		}
		fd = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			if (fd >= 0)
				close(fd);
			goto fail;
		}
		if (S_ISLNK(st.st_mode) && !(last && !dir_wanted && (flags & O_NOFOLLOW))) {
			ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);

			close(fd);
			if (n < 0)
				goto fail;
			if (++links > MAX_LINKS) {
				errno = ELOOP;
				goto fail;
			}
			target[n] = '\0';
			if (splice_link(rest, sizeof(rest), target, last && dir_wanted ? "/" : slash) < 0)
				goto fail;
			if (target[0] == '/') {
				int r = fcntl(root, F_DUPFD_CLOEXEC, 3);
				if (r < 0)
					goto fail;
				step(&cur, r);
			}
			continue;
		}
		if (last) {
			close(fd);
			/* O_NOFOLLOW: a symlink swapped in since the check fails
			 * with ELOOP instead of being followed. */
			fd = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC | (dir_wanted ? O_DIRECTORY : 0));
			close(cur);
			return fd;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			errno = ENOTDIR;
			goto fail;
		}
		step(&cur, fd);
		memmove(rest, slash, strlen(slash) + 1);
	}
fail: {
	int saved = errno;
	close(cur);
	errno = saved;
	return -1;
}
}

int open_in_root(int root, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	/* Relative to root: an absolute path would make openat ignore it. */
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = walk_in_root(root, path, flags);
	return fd;
}
