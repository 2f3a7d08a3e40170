/* setuid.c - the stripped overlay of the rootfs (see setuid.h). */
#include "setuid.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "mount_api.h"
#include "util.h"

#define CAP_XATTR "security.capability"
#define MAX_DEPTH 128

/* A detached filesystem: `type` with its comma-separated `opts`, and
 * `optional` ones too unless the kernel refuses them. */
static int make_fs(const char *type, const char *opts, const char *optional, struct rp_err *e)
{
	char all[PATH_MAX], bad[64];
	int mnt;

	if (xsnprintf(all, sizeof(all), "%s%s%s", opts, optional ? "," : "", optional ? optional : "") < 0)
		return rp_fail(e, ENAMETOOLONG, "setuid", "%s options", type);
	mnt = mount_fs_detached(type, all, 0, bad, sizeof(bad));
	/* metacopy is an optimisation: a kernel without it still strips, by
	 * copying the few setuid files whole. */
	if (mnt < 0 && optional && errno != ENOSYS)
		mnt = mount_fs_detached(type, opts, 0, bad, sizeof(bad));
	/* The overlay is built by a helper and handed over as a detached
	 * mount; mount(2) cannot hand a mount to another namespace. */
	if (mnt < 0 && errno == ENOSYS)
		return rp_fail(e, errno, "setuid",
			       "overlay for 'setuid strip' (needs Linux 5.2; 'setuid keep' relies on nosuid alone)");
	if (mnt < 0)
		return bad[0] ? rp_fail(e, errno, "setuid", "%s option %s", type, bad)
			      : rp_fail(e, errno, "setuid", "mount %s (overlayfs is needed for 'setuid strip')", type);
	return mnt;
}

/* Count (dry) or clear the bits of one file; 1 when it had any. */
static int strip_file(int dirfd, const char *name, const struct stat *st, bool dry,
		      struct strip_report *rep, struct rp_err *e)
{
	mode_t bits = st->st_mode & (S_ISUID | S_ISGID);
	char buf[64];
	ssize_t n;

	rep->files++;
	if (bits && !dry) {
		/* chmod through the overlay: the change is copied up into the
		 * tmpfs; the image keeps its mode. */
		if (fchmodat(dirfd, name, st->st_mode & 07777 & ~(S_ISUID | S_ISGID), 0) < 0)
			return rp_fail(e, errno, "setuid", "clear the setuid bits of %s", name);
	}
	rep->setuid += !!(bits & S_ISUID);
	rep->setgid += !!(bits & S_ISGID);
	/* File capabilities only matter on something executable. */
	if (!(st->st_mode & 0111))
		return !!bits;
	{
		_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

		if (fd < 0)
			return errno == EACCES ? !!bits : rp_fail(e, errno, "setuid", "open %s", name);
		n = fgetxattr(fd, CAP_XATTR, buf, sizeof(buf));
		if (n < 0)
			return errno == ENODATA || errno == ENOTSUP || errno == ERANGE ? !!bits :
			       rp_fail(e, errno, "setuid", "read the capabilities of %s", name);
		if (!dry && fremovexattr(fd, CAP_XATTR) < 0)
			return rp_fail(e, errno, "setuid", "remove the capabilities of %s", name);
		rep->fcaps++;
	}
	return 1;
}

/* `a` is `b` or one of its parents ("usr" of "usr/bin"). */
static bool covers(const char *a, const char *b)
{
	size_t n = strlen(a);

	return !strncmp(a, b, n) && (b[n] == '\0' || b[n] == '/');
}

/* Directory `dir` (`st` its stat) holds a file to strip: plan an overlay
 * on it, unless one on a parent covers it; drop those it covers. */
static void plan_dir(struct strip_plan *p, const char *dir, const struct stat *st)
{
	size_t len = strlen(dir);
	unsigned i, kept = 0;

	if (p->whole)
		return;
	for (i = 0; i < p->ndirs; i++)
		if (covers(p->dir[i].path, dir))
			return;
	for (i = 0; i < p->ndirs; i++)
		if (!covers(dir, p->dir[i].path))
			p->dir[kept++] = p->dir[i];
	p->ndirs = kept;
	if (!len || p->ndirs == STRIP_MAX_DIRS || len >= STRIP_DIR_LEN) {
		p->whole = true;
		return;
	}
	memcpy(p->dir[p->ndirs].path, dir, len + 1);
	p->dir[p->ndirs].dev = st->st_dev;
	p->dir[p->ndirs].ino = st->st_ino;
	p->ndirs++;
}

struct walk {
	bool dry;
	struct strip_report *rep;
	struct strip_plan *plan; /* or NULL */
	char path[PATH_MAX];     /* of the directory being read, "" = the top */
	struct rp_err *e;
};

/* The directory below the current one, for the plan; false if too long
 * (the plan then asks for the whole tree). */
static bool path_push(struct walk *w, const char *name, size_t *saved)
{
	size_t n = strlen(w->path);
	int r = snprintf(w->path + n, sizeof(w->path) - n, "%s%s", n ? "/" : "", name);

	*saved = n;
	if (r < 0 || (size_t)r >= sizeof(w->path) - n) {
		w->path[n] = '\0';
		return false;
	}
	return true;
}

/* Depth-first over the tree, never following symlinks. */
static int walk(struct walk *w, int dirfd, int depth)
{
	DIR *d;
	struct dirent *de;
	bool planned = false;
	int r = 0;

	if (depth > MAX_DEPTH) {
		close(dirfd);
		return rp_fail(w->e, ELOOP, "setuid", "directory tree deeper than %d", MAX_DEPTH);
	}
	d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return rp_fail(w->e, errno, "setuid", "read a directory of the rootfs");
	}
	while (r >= 0) {
		struct stat st, here;

		/* A read error must not end the walk as if it were done. */
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				r = rp_fail(w->e, errno, "setuid", "read a directory of the rootfs");
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = rp_fail(w->e, errno, "setuid", "stat %s", de->d_name);
		} else if (S_ISREG(st.st_mode)) {
			r = strip_file(dirfd, de->d_name, &st, w->dry, w->rep, w->e);
			if (r > 0 && w->plan && !planned) {
				if (fstat(dirfd, &here) < 0)
					r = rp_fail(w->e, errno, "setuid", "stat the directory of %s", de->d_name);
				else
					plan_dir(w->plan, w->path, &here);
				planned = true;
			}
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			size_t saved;

			if (!path_push(w, de->d_name, &saved) && w->plan)
				w->plan->whole = true;
			r = sub < 0 ? rp_fail(w->e, errno, "setuid", "open %s", de->d_name) : walk(w, sub, depth + 1);
			w->path[saved] = '\0';
			if (r < 0)
				rp_err_prefix(w->e, "%s", de->d_name);
		}
	}
	closedir(d);
	return r < 0 ? -1 : 0;
}

/* The builder's private mount namespace: the image as its working
 * directory and a tmpfs on /tmp for the overlays' upper and work
 * directories. Their layers must be in the mounter's mount namespace on
 * kernels before 6.15, hence attached here, not merely detached. */
static int enter_workspace(int rootfd, struct rp_err *e)
{
	_cleanup_close_ int tmp = -1;

	/* fchdir first: unshare moves the cwd onto the new namespace's copy. */
	if (fchdir(rootfd) < 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return rp_fail(e, errno, "setuid", "private mount namespace for the overlay");
	tmp = make_fs("tmpfs", "mode=0700", NULL, e);
	if (tmp < 0)
		return -1;
	if (sys_move_mount(tmp, "", AT_FDCWD, "/tmp", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return rp_fail(e, errno, "setuid", "attach the overlay's tmpfs");
	return 0;
}

/* Overlay number `n` of the directory `lower` (a path), detached, every
 * file in it stripped: chmod and removexattr through the overlay copy up
 * metadata only; the image keeps its modes. */
static int stripped_overlay(const char *lower, unsigned n, struct strip_report *rep, struct rp_err *e)
{
	char upper[32], work[32], opts[128];
	struct walk w = { .dry = false, .rep = rep, .e = e };
	_cleanup_close_ int ovl = -1;
	int dirfd;

	if (xsnprintf(upper, sizeof(upper), "/tmp/u%u", n) < 0 ||
	    xsnprintf(work, sizeof(work), "/tmp/w%u", n) < 0 ||
	    xsnprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work) < 0)
		return rp_fail(e, ENAMETOOLONG, "setuid", "overlay directories");
	if (mkdir(upper, 0755) < 0 || mkdir(work, 0700) < 0)
		return rp_fail(e, errno, "setuid", "overlay directories");
	ovl = make_fs("overlay", opts, "metacopy=on", e);
	if (ovl < 0)
		return -1;
	dirfd = openat(ovl, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return rp_fail(e, errno, "setuid", "open the overlay");
	if (walk(&w, dirfd, 0) < 0)
		return -1;
	return steal_fd(ovl);
}

/* The planned directory below `top`, one component at a time and
 * following no symlink; it must be the very directory the count walked,
 * or a file to strip could have moved out of the overlay's reach. */
static int open_dir_below(int top, const struct strip_dir *dir, struct rp_err *e)
{
	char buf[STRIP_DIR_LEN], *save = NULL, *c;
	int fd = fcntl(top, F_DUPFD_CLOEXEC, 3);
	struct stat st;

	if (xsnprintf(buf, sizeof(buf), "%s", dir->path) < 0) {
		if (fd >= 0)
			close(fd);
		return rp_fail(e, ENAMETOOLONG, "setuid", "open %s", dir->path);
	}
	for (c = strtok_r(buf, "/", &save); fd >= 0 && c; c = strtok_r(NULL, "/", &save)) {
		int next = openat(fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;

		close(fd);
		fd = next;
		errno = err;
	}
	if (fd >= 0) {
		int err = fstat(fd, &st) < 0 ? errno
			  : st.st_dev != dir->dev || st.st_ino != dir->ino ? ESTALE : 0;

		if (err) {
			close(fd);
			fd = -1;
			errno = err;
		}
	}
	if (fd < 0)
		return rp_fail(e, errno, "setuid", "open %s (did the image change while rampart read it?)",
			       dir->path);
	return fd;
}

/* A read-only stripped overlay attached on `dir` of the tree `top`. */
static int strip_dir(int top, const struct strip_dir *dir, unsigned n, struct strip_report *rep,
		     struct rp_err *e)
{
	_cleanup_close_ int at = open_dir_below(top, dir, e), ovl = -1;
	char lower[64];

	if (at < 0)
		return -1;
	if (mount_fd_path(at, lower, sizeof(lower)) < 0)
		return rp_fail(e, errno, "setuid", "the path of %s", dir->path);
	ovl = stripped_overlay(lower, n, rep, e);
	if (ovl < 0)
		return -1;
	if (mount_attach(ovl, at, "", MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, false) < 0)
		return rp_fail(e, errno, "setuid", "attach the overlay of %s read-only", dir->path);
	return 0;
}

/* The whole tree behind one overlay (a writable rootfs). */
static int build_whole(const char *rootfs, struct strip_report *rep, struct rp_err *e)
{
	int ovl = stripped_overlay(".", 0, rep, e);

	if (ovl < 0)
		rp_err_prefix(e, "rootfs %s", rootfs);
	return ovl;
}

/* A recursive clone of the image, attached over it in this namespace so
 * that overlays can be attached below it (a detached tree takes no mounts
 * before Linux 6.15), then cloned once more, detached, for the child. */
static int build_partial(const char *rootfs, const struct strip_plan *p, struct strip_report *rep,
			 struct rp_err *e)
{
	_cleanup_close_ int tree = sys_open_tree(AT_FDCWD, ".", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	int fd;

	if (tree < 0)
		return rp_fail(e, errno, "setuid", "clone rootfs %s", rootfs);
	if (sys_move_mount(tree, "", AT_FDCWD, ".", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return rp_fail(e, errno, "setuid", "attach the clone of rootfs %s", rootfs);
	for (unsigned i = 0; i < p->ndirs; i++)
		if (strip_dir(tree, &p->dir[i], i, rep, e) < 0)
			return rp_err_prefix(e, "rootfs %s", rootfs);
	fd = sys_open_tree(tree, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (fd < 0)
		return rp_fail(e, errno, "setuid", "clone the stripped rootfs %s", rootfs);
	return fd;
}

static int build(int rootfd, const char *rootfs, const struct strip_plan *plan, struct strip_report *rep,
		 struct rp_err *e)
{
	if (enter_workspace(rootfd, e) < 0)
		return -1;
	if (!plan || plan->whole)
		return build_whole(rootfs, rep, e);
	return build_partial(rootfs, plan, rep, e);
}

struct reply {
	int ok;
	struct strip_report rep;
	struct rp_err err;
};

/* The builder's half: build, send the mount fd (or the error), exit. */
static _Noreturn void builder(int sock, int rootfd, const char *rootfs, const struct strip_plan *plan)
{
	struct reply r = { 0 };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl;
	struct iovec iov = { &r, sizeof(r) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int fd = build(rootfd, rootfs, plan, &r.rep, &r.err);

	r.ok = fd >= 0;
	if (fd >= 0) {
		struct cmsghdr *c;

		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	_exit(sendmsg(sock, &mh, MSG_NOSIGNAL) == (ssize_t)sizeof(r) ? 0 : 1);
}

int setuid_count(int rootfd, const char *rootfs, struct strip_report *rep, struct strip_plan *plan,
		 struct rp_err *e)
{
	struct walk w = { .dry = true, .rep = rep, .plan = plan, .e = e };
	int dirfd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	memset(rep, 0, sizeof(*rep));
	if (plan)
		memset(plan, 0, sizeof(*plan));
	if (dirfd < 0)
		return rp_fail(e, errno, "setuid", "open %s", rootfs);
	if (walk(&w, dirfd, 0) < 0)
		return rp_err_prefix(e, "rootfs %s", rootfs);
	return 0;
}

int setuid_strip_overlay(int rootfd, const char *rootfs, const struct strip_plan *plan,
			 struct strip_report *rep, struct rp_err *e)
{
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl;
	struct reply r = { 0 };
	struct iovec iov = { &r, sizeof(r) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c;
	int sv[2], fd = -1, st;
	ssize_t n;
	pid_t pid;

	memset(rep, 0, sizeof(*rep));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return rp_fail(e, errno, "setuid", "socketpair");
	/* A short-lived helper, so that the private mount namespace the
	 * overlay is built in never becomes the launcher's own. */
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return rp_fail(e, errno, "setuid", "fork the overlay builder");
	}
	if (pid == 0) {
		close(sv[0]);
		builder(sv[1], rootfd, rootfs, plan);
	}
	close(sv[1]);
	do
		n = recvmsg(sv[0], &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	close(sv[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	for (c = CMSG_FIRSTHDR(&mh); n > 0 && c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (n != (ssize_t)sizeof(r) || !r.ok || fd < 0) {
		if (fd >= 0)
			close(fd);
		if (n == (ssize_t)sizeof(r) && !r.ok) {
			*e = r.err;
			return -1;
		}
		return rp_fail(e, n < 0 ? errno : EPROTO, "setuid", "the overlay builder died");
	}
	*rep = r.rep;
	return fd;
}
