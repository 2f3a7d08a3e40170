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

#include "util.h"

#define CAP_XATTR "security.capability"
#define MAX_DEPTH 128

static int sys_fsopen(const char *fs) { return (int)syscall(SYS_fsopen, fs, FSOPEN_CLOEXEC); }
static int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *val)
{
	return (int)syscall(SYS_fsconfig, fd, cmd, key, val, 0);
}
static int sys_fsmount(int fd) { return (int)syscall(SYS_fsmount, fd, FSMOUNT_CLOEXEC, 0); }

/* A detached filesystem from (key, value) options; value NULL = flag. */
static int make_fs(const char *type, const char *const *opts, bool optional_last, struct rp_err *e)
{
	_cleanup_close_ int fs = sys_fsopen(type);

	/* The overlay is built by a helper and handed over as a detached
	 * mount; mount(2) cannot hand a mount to another namespace. */
	if (fs < 0 && errno == ENOSYS)
		return rp_fail(e, errno, "setuid",
			       "overlay for 'setuid strip' (needs Linux 5.2; 'setuid keep' relies on nosuid alone)");
	if (fs < 0)
		return rp_fail(e, errno, "setuid", "fsopen %s (overlayfs is needed for 'setuid strip')", type);
	for (size_t i = 0; opts[i]; i += 2) {
		bool last = !opts[i + 2];
		int r = opts[i + 1] ? sys_fsconfig(fs, FSCONFIG_SET_STRING, opts[i], opts[i + 1])
				    : sys_fsconfig(fs, FSCONFIG_SET_FLAG, opts[i], NULL);
		/* metacopy is an optimisation: a kernel without it still strips,
		 * by copying the few setuid files whole. */
		if (r < 0 && !(last && optional_last))
			return rp_fail(e, errno, "setuid", "%s option %s", type, opts[i]);
	}
	if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL) < 0)
		return rp_fail(e, errno, "setuid", "create %s", type);
	{
		int mnt = sys_fsmount(fs);
		if (mnt < 0)
			return rp_fail(e, errno, "setuid", "mount %s", type);
		return mnt;
	}
}

/* Count (dry) or clear the bits of one file. */
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
		return 0;
	{
		_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

		if (fd < 0)
			return errno == EACCES ? 0 : rp_fail(e, errno, "setuid", "open %s", name);
		n = fgetxattr(fd, CAP_XATTR, buf, sizeof(buf));
		if (n < 0)
			return errno == ENODATA || errno == ENOTSUP || errno == ERANGE ? 0 :
			       rp_fail(e, errno, "setuid", "read the capabilities of %s", name);
		if (!dry && fremovexattr(fd, CAP_XATTR) < 0)
			return rp_fail(e, errno, "setuid", "remove the capabilities of %s", name);
		rep->fcaps++;
	}
	return 0;
}

/* Depth-first over the overlay, never following symlinks. */
static int walk(int dirfd, int depth, bool dry, struct strip_report *rep, struct rp_err *e)
{
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (depth > MAX_DEPTH)
		return rp_fail(e, ELOOP, "setuid", "directory tree deeper than %d", MAX_DEPTH);
	d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return rp_fail(e, errno, "setuid", "read a directory of the rootfs");
	}
	while (r == 0 && (de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = rp_fail(e, errno, "setuid", "stat %s", de->d_name);
		} else if (S_ISREG(st.st_mode)) {
			r = strip_file(dirfd, de->d_name, &st, dry, rep, e);
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			r = sub < 0 ? rp_fail(e, errno, "setuid", "open %s", de->d_name)
				    : walk(sub, depth + 1, dry, rep, e);
			if (r < 0)
				rp_err_prefix(e, "%s", de->d_name);
		}
	}
	closedir(d);
	return r;
}

/* The overlay, built in the calling process. Its layers must be in the
 * caller's mount namespace on kernels before 6.15, so the tmpfs is
 * attached (over /tmp, in a private mount namespace of our own) and the
 * image is reached as the working directory. */
static int build(int rootfd, const char *rootfs, struct strip_report *rep, struct rp_err *e)
{
	static const char *const tmpfs_opts[] = { "mode", "0700", NULL };
	static const char *const ovl_opts[] = { "lowerdir", ".", "upperdir", "/tmp/upper", "workdir",
						"/tmp/work", "metacopy", "on", NULL };
	_cleanup_close_ int tmp = -1, ovl = -1;
	int dirfd;

	/* fchdir first: unshare moves the cwd onto the new namespace's copy. */
	if (fchdir(rootfd) < 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return rp_fail(e, errno, "setuid", "private mount namespace for the overlay");
	tmp = make_fs("tmpfs", tmpfs_opts, false, e);
	if (tmp < 0)
		return -1;
	if (syscall(SYS_move_mount, tmp, "", AT_FDCWD, "/tmp", MOVE_MOUNT_F_EMPTY_PATH) < 0 ||
	    mkdir("/tmp/upper", 0755) < 0 || mkdir("/tmp/work", 0700) < 0)
		return rp_fail(e, errno, "setuid", "overlay directories");
	ovl = make_fs("overlay", ovl_opts, true, e);
	if (ovl < 0)
		return rp_err_prefix(e, "rootfs %s", rootfs);
	dirfd = openat(ovl, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return rp_fail(e, errno, "setuid", "open the overlay of %s", rootfs);
	if (walk(dirfd, 0, false, rep, e) < 0)
		return rp_err_prefix(e, "rootfs %s", rootfs);
	return steal_fd(ovl);
}

struct reply {
	int ok;
	struct strip_report rep;
	struct rp_err err;
};

/* The builder's half: build, send the mount fd (or the error), exit. */
static _Noreturn void builder(int sock, int rootfd, const char *rootfs)
{
	struct reply r = { 0 };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl;
	struct iovec iov = { &r, sizeof(r) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int fd = build(rootfd, rootfs, &r.rep, &r.err);

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

int setuid_count(int rootfd, const char *rootfs, struct strip_report *rep, struct rp_err *e)
{
	int dirfd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	memset(rep, 0, sizeof(*rep));
	if (dirfd < 0)
		return rp_fail(e, errno, "setuid", "open %s", rootfs);
	if (walk(dirfd, 0, true, rep, e) < 0)
		return rp_err_prefix(e, "rootfs %s", rootfs);
	return 0;
}

int setuid_strip_overlay(int rootfd, const char *rootfs, struct strip_report *rep,
			 struct rp_err *e)
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
		builder(sv[1], rootfd, rootfs);
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
