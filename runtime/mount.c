/* mount.c - rootfs, /proc, /sys, /dev, profile mounts, masks, pivot_root.
 *
 * Every mount target is resolved with openat2(RESOLVE_IN_ROOT) against the
 * new root and the mount is attached to the resulting fd (move_mount with
 * MOVE_MOUNT_T_EMPTY_PATH), so a symlink planted in the image resolves
 * inside the image and can never redirect a mount onto the host: the
 * CVE-2019-19921 / CVE-2021-30465 class of races has no path to re-walk.
 *
 * Older kernels set flags by remounting (before 5.12) and mount with
 * mount(2) on /proc/self/fd/N of the same resolved fd (before 5.2), which
 * keeps the property (mount_api.h).
 */
#include "mount.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mount_api.h"
#include "resolve.h"
#include "util.h"

const char *const mount_default_masked[] = {
	"/proc/acpi",        "/proc/asound",      "/proc/kcore",      "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	"/proc/scsi",        "/proc/sysrq-trigger", "/sys/firmware",  "/sys/devices/virtual/powercap",
	NULL,
};

/* Device nodes bound from the host; mknod is impossible in a user
 * namespace and these are the ones every program expects. */
static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty", NULL };

static const struct { const char *link, *target; } dev_links[] = {
	{ "fd", "/proc/self/fd" },         { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },   { "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};

/* ---- syscall wrappers (glibc 2.36 has no wrappers for all of them) ---- */

static int sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

/* ---- resolving targets inside the root -------------------------------- */

struct tree {
	int root;            /* O_PATH fd of the new root (a mount root) */
	const int *sources;  /* detached copies of bind sources, or NULL */
	struct rp_err *e;
};

/* Create PATH (and its parents) inside the root: directories, and a file
 * at the end when `file` is set. Existing entries are fine. */
static int create_in_root(int root, const char *path, bool file)
{
	char buf[PATH_MAX];
	char *p, *slash;

	if (xsnprintf(buf, sizeof(buf), "%s", path) < 0)
		return -1;
	for (p = buf; *p == '/'; p++)
		;
	for (;;) {
		_cleanup_close_ int parent = -1;
		char *name;
		bool last;
		int r;

		slash = strchr(p, '/');
		last = slash == NULL;
		if (slash)
			*slash = '\0';
		name = strrchr(buf, '/');
		if (name == buf) {
			parent = open_in_root(root, "/", O_PATH | O_DIRECTORY);
		} else {
			*name = '\0';
			parent = open_in_root(root, buf, O_PATH | O_DIRECTORY);
			*name = '/';
		}
		if (parent < 0)
			return -1;
		name++;
		if (last && file) {
			int fd = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
			if (fd >= 0)
				close(fd);
			r = fd < 0 ? -1 : 0;
		} else {
			r = mkdirat(parent, name, 0755);
		}
		if (r < 0 && errno != EEXIST)
			return -1;
		if (last)
			return 0;
		*slash = '/';
		p = slash + 1;
	}
}

/* The target as an O_PATH fd, created if it is missing. */
static int target_fd(struct tree *t, const char *path, bool file)
{
	int fd = open_in_root(t->root, path, O_PATH);

	if (fd >= 0 || errno != ENOENT)
		goto out;
	if (create_in_root(t->root, path, file) < 0)
		return rp_fail(t->e, errno, "mount", "create mount point %s", path);
	fd = open_in_root(t->root, path, O_PATH);
out:
	if (fd < 0)
		return rp_fail(t->e, errno, "mount", "resolve %s inside the rootfs", path);
	return fd;
}

/* ---- attaching mounts --------------------------------------------------- */

/* The mount(2) path's second step: the flags, set on the mount now on top
 * of `path` (the fd the mount was made on still leads underneath it). */
static int remount_at(struct tree *t, const char *path, unsigned attr, bool recursive)
{
	_cleanup_close_ int top = open_in_root(t->root, path, O_PATH);

	if (top < 0 || mount_remount(top, mount_attr_to_msflags(attr), recursive) < 0)
		return rp_fail(t->e, errno, "mount", "set the flags of %s", path);
	return 0;
}

/* Mount a new filesystem (`type`, comma-separated `opts`) on fd `target`. */
static int attach_fs(struct tree *t, const char *type, const char *opts, unsigned attr,
		     int target, const char *what)
{
	_cleanup_close_ int mnt = -1;
	char bad[64] = "";

	if (!mount_api_detached()) {
		if (mount_fs_on_fd(target, type, opts, attr) < 0)
			return rp_fail(t->e, errno, "mount", "%s on %s", type, what);
		return 0;
	}
	mnt = mount_fs_detached(type, opts, attr, bad, sizeof(bad));
	if (mnt < 0)
		return bad[0] ? rp_fail(t->e, errno, "mount", "%s on %s: option %s", type, what, bad)
			      : rp_fail(t->e, errno, "mount", "%s on %s", type, what);
	if (sys_move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return rp_fail(t->e, errno, "mount", "attach %s on %s", type, what);
	return 0;
}

/* Bind host path `src` (resolved in the current, still-host root) onto fd
 * `target`, the resolved `path`, with mount attributes `attr` applied to
 * the whole copy. When the parent already made the copy, `premade` is its
 * detached mount. */
static int attach_bind(struct tree *t, const char *src, int premade, bool recursive, unsigned attr,
		       int target, const char *path)
{
	_cleanup_close_ int mnt = -1;
	char proc[64];

	if (premade < 0 && !mount_api_detached()) {
		/* Before 5.2: mount(2) on the resolved fd, then the flags. */
		if (mount_fd_path(target, proc, sizeof(proc)) < 0 ||
		    mount(src, proc, NULL, MS_BIND | (recursive ? MS_REC : 0), NULL) < 0)
			return rp_fail(t->e, errno, "mount", "bind %s on %s", src, path);
		return remount_at(t, path, attr, recursive);
	}
	if (premade >= 0)
		mnt = fcntl(premade, F_DUPFD_CLOEXEC, 3);
	else
		mnt = sys_open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
	if (mnt < 0)
		return rp_fail(t->e, errno, "mount", "bind %s on %s", src, path);
	if (mount_attach(mnt, target, "", attr, recursive) < 0)
		return rp_fail(t->e, errno, "mount", "attach bind %s on %s", src, path);
	return 0;
}

/* ---- the pieces of the tree -------------------------------------------- */

#define ATTR_SAFE (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)
#define ATTR_LOCKED (ATTR_SAFE | MOUNT_ATTR_NOEXEC)

/* Before the new mount API: a classic self-bind, entered again by its
 * absolute path to be on the new mount (a path through /proc/self/fd
 * would lead to the directory underneath). As with runc, the mapped root
 * must then be able to search every directory above the rootfs. */
static int bind_rootfs_legacy(const struct spec *s, struct rp_err *e, int *root)
{
	if (mount(".", ".", NULL, MS_BIND | MS_REC, NULL) < 0)
		return rp_fail(e, errno, "mount", "bind rootfs %s", s->rootfs);
	if (chdir(s->rootfs) < 0)
		return rp_fail(e, errno, "mount",
			       "enter rootfs %s (before Linux 5.2 the container's root must be able to search each directory above it)",
			       s->rootfs);
	*root = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*root < 0 || mount_remount(*root, MS_NOSUID | MS_NODEV, true) < 0) {
		int err = errno;

		closep(root);
		return rp_fail(e, err, "mount", "nosuid,nodev on rootfs %s", s->rootfs);
	}
	return 0;
}

/* The rootfs as a mount of its own, attached over itself: pivot_root needs
 * a mount point, and working on a private copy keeps the host's view of the
 * directory untouched. The caller's cwd is the rootfs directory. */
static int bind_rootfs(const struct spec *s, int premade, struct rp_err *e, int *root)
{
	_cleanup_close_ int mnt = -1;

	/* The stripped overlay, when the parent made one, else a clone. */
	if (premade >= 0)
		mnt = fcntl(premade, F_DUPFD_CLOEXEC, 3);
	else if (mount_api_detached())
		mnt = sys_open_tree(AT_FDCWD, ".", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	else
		return bind_rootfs_legacy(s, e, root);
	if (mnt < 0)
		return rp_fail(e, errno, "mount", "clone rootfs %s", s->rootfs);
	if (mount_attach(mnt, AT_FDCWD, ".", ATTR_SAFE, true) < 0)
		return rp_fail(e, errno, "mount", "attach rootfs %s nosuid,nodev", s->rootfs);
	/* The detached-tree fd now names the root of the attached mount. */
	if (fchdir(mnt) < 0)
		return rp_fail(e, errno, "mount", "enter rootfs %s", s->rootfs);
	*root = steal_fd(mnt);
	return 0;
}

static int mount_fs_at(struct tree *t, const char *path, const char *type, const char *opts,
		       unsigned attr)
{
	_cleanup_close_ int fd = target_fd(t, path, false);

	if (fd < 0)
		return -1;
	return attach_fs(t, type, opts, attr, fd, path);
}

static int bind_at(struct tree *t, const char *src, int premade, const char *path, bool recursive,
		   unsigned attr)
{
	struct stat st;
	_cleanup_close_ int fd = -1;

	if ((premade >= 0 ? fstat(premade, &st) : stat(src, &st)) < 0)
		return rp_fail(t->e, errno, "mount", "bind source %s", src);
	fd = target_fd(t, path, !S_ISDIR(st.st_mode));
	if (fd < 0)
		return -1;
	return attach_bind(t, src, premade, recursive, attr, fd, path);
}

static int mount_proc(const struct spec *s, struct tree *t)
{
	/* A read-only procfs: /proc/sys, sysrq-trigger and /proc/self/attr
	 * cannot be written at all. Sharing the host pid namespace keeps the
	 * host's pids visible, so bind the host's /proc instead. */
	if (!s->ns[NS_PID].unshare) {
		_cleanup_close_ int fd = target_fd(t, "/proc", false);
		if (fd < 0)
			return -1;
		return attach_bind(t, "/proc", -1, true, ATTR_LOCKED | MOUNT_ATTR_RDONLY, fd, "/proc");
	}
	return mount_fs_at(t, "/proc", "proc", NULL, ATTR_LOCKED | MOUNT_ATTR_RDONLY);
}

static int mount_sys(const struct spec *s, struct tree *t)
{
	_cleanup_close_ int fd = target_fd(t, "/sys", false);

	if (fd < 0)
		return -1;
	/* A fresh sysfs shows the network namespace of its mounter, and the
	 * kernel only lets a user namespace mount one for a netns it owns
	 * (a joined netns is not: `net join` keeps the bind). */
	if (s->ns[NS_NET].unshare && s->net.mode != NET_JOIN && s->ns[NS_USER].unshare)
		return attach_fs(t, "sysfs", NULL, ATTR_LOCKED | MOUNT_ATTR_RDONLY, fd, "/sys");
	return attach_bind(t, "/sys", -1, true, ATTR_LOCKED | MOUNT_ATTR_RDONLY, fd, "/sys");
}

static int mount_dev(const struct spec *s, struct tree *t)
{
	char path[64];
	int r;

	/* /dev itself is nodev: the nodes below are bind mounts of the host's,
	 * each a mount of its own, so the tmpfs never needs device semantics. */
	if (mount_fs_at(t, "/dev", "tmpfs", "mode=0755,size=65536", ATTR_LOCKED) < 0)
		return -1;
	for (size_t i = 0; dev_nodes[i]; i++) {
		if (xsnprintf(path, sizeof(path), "/dev/%s", dev_nodes[i]) < 0)
			return rp_fail(t->e, ENAMETOOLONG, "mount", "/dev/%s", dev_nodes[i]);
		if (bind_at(t, path, -1, path, false, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC) < 0)
			return -1;
	}
	/* gid= is left out: the tty group need not be mapped. */
	if (mount_fs_at(t, "/dev/pts", "devpts", "newinstance,ptmxmode=0666,mode=0620",
			MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC) < 0)
		return -1;
	if (mount_fs_at(t, "/dev/shm", "tmpfs", "mode=1777,size=65536k", ATTR_LOCKED) < 0)
		return -1;
	if (s->ns[NS_IPC].unshare && mount_fs_at(t, "/dev/mqueue", "mqueue", NULL, ATTR_LOCKED) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(dev_links); i++) {
		_cleanup_close_ int dev = open_in_root(t->root, "/dev", O_PATH | O_DIRECTORY);

		r = dev < 0 ? -1 : symlinkat(dev_links[i].target, dev, dev_links[i].link);
		if (r < 0 && errno != EEXIST)
			return rp_fail(t->e, errno, "mount", "symlink /dev/%s", dev_links[i].link);
	}
	return 0;
}

/* OCI's propagation options: the container's own mount namespace is
 * already cut off from the host's (see mount_setup), so "shared" only
 * shares among the container's mounts. */
static int set_propagation(struct tree *t, const char *path, unsigned long prop)
{
	struct mount_attr a = { .propagation = prop };
	_cleanup_close_ int fd = open_in_root(t->root, path, O_PATH);
	char proc[64];

	if (fd < 0)
		return rp_fail(t->e, errno, "mount", "propagation of %s", path);
	if (mount_api_setattr() && sys_mount_setattr(fd, "", AT_EMPTY_PATH, &a) == 0)
		return 0;
	if (mount_fd_path(fd, proc, sizeof(proc)) < 0 || mount(NULL, proc, NULL, prop, NULL) < 0)
		return rp_fail(t->e, errno, "mount", "propagation of %s", path);
	return 0;
}

static int mount_profile_entries(const struct spec *s, struct tree *t)
{
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_spec *m = &s->mounts[i];
		/* nodev everywhere but on a bound device node itself. */
		unsigned attr = (m->device ? MOUNT_ATTR_NOSUID : ATTR_SAFE) | m->attr |
				(m->readonly ? MOUNT_ATTR_RDONLY : 0) | (m->exec ? 0 : MOUNT_ATTR_NOEXEC);
		char opts[1200];
		int r;

		if (m->kind == MOUNT_BIND) {
			r = bind_at(t, m->source, t->sources ? t->sources[i] : -1, m->target, m->recursive, attr);
		} else {
			int n = snprintf(opts, sizeof(opts), "mode=0%o", m->mode >= 0 ? (unsigned)m->mode : 01777u);
			if (m->size && n > 0 && (size_t)n < sizeof(opts))
				n += snprintf(opts + n, sizeof(opts) - (size_t)n, ",size=%llu",
					      (unsigned long long)m->size);
			if (m->data && n > 0 && (size_t)n < sizeof(opts))
				snprintf(opts + n, sizeof(opts) - (size_t)n, ",%s", m->data);
			r = mount_fs_at(t, m->target, "tmpfs", opts, attr);
		}
		if (r == 0 && m->propagation)
			r = set_propagation(t, m->target, m->propagation);
		if (r < 0)
			return rp_err_prefix(t->e, "%s:%u", m->origin.file ? m->origin.file : "spec",
					     m->origin.line);
	}
	return 0;
}

/* Hide a path: an empty read-only tmpfs over a directory, the host's
 * /dev/null over anything else. A path the image lacks needs no hiding. */
static int mask_path(struct tree *t, const char *path)
{
	_cleanup_close_ int fd = open_in_root(t->root, path, O_PATH | O_NOFOLLOW);
	struct stat st;

	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
		return 0;
	if (fd < 0 || fstat(fd, &st) < 0)
		return rp_fail(t->e, errno, "mount", "mask %s", path);
	if (S_ISDIR(st.st_mode))
		return attach_fs(t, "tmpfs", "size=0,mode=0555", ATTR_LOCKED | MOUNT_ATTR_RDONLY, fd, path);
	/* Not nodev: the masked file must read as empty (EOF), as with
	 * runc, not fail; /dev/null gives nothing either way. */
	return attach_bind(t, "/dev/null", -1, false, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_RDONLY,
			   fd, path);
}

static int readonly_path(struct tree *t, const char *path)
{
	struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY | ATTR_SAFE };
	_cleanup_close_ int fd = open_in_root(t->root, path, O_PATH);
	_cleanup_close_ int mnt = -1;
	char proc[64];

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return rp_fail(t->e, errno, "mount", "readonly %s", path);
	if (!mount_api_setattr()) {
		if (mount_fd_path(fd, proc, sizeof(proc)) < 0 || mount(proc, proc, NULL, MS_BIND | MS_REC, NULL) < 0)
			return rp_fail(t->e, errno, "mount", "readonly %s", path);
		return remount_at(t, path, MOUNT_ATTR_RDONLY | ATTR_SAFE, true);
	}
	mnt = sys_open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (mnt < 0 || sys_mount_setattr(mnt, "", AT_EMPTY_PATH | AT_RECURSIVE, &a) < 0 ||
	    sys_move_mount(mnt, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return rp_fail(t->e, errno, "mount", "readonly %s", path);
	return 0;
}

static int rootfs_readonly(const struct spec *s, struct tree *t)
{
	struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY };

	if (!s->rootfs_readonly)
		return 0;
	/* Last, once every mount point exists. Not recursive: /dev, /proc
	 * and the profile's tmpfs mounts keep their own flags. */
	if (mount_api_setattr() ? sys_mount_setattr(t->root, "", AT_EMPTY_PATH, &a) < 0
			    : mount_remount(t->root, MS_RDONLY | MS_NOSUID | MS_NODEV, false) < 0)
		return rp_fail(t->e, errno, "mount", "remount rootfs read-only");
	return 0;
}

/* pivot_root(".", ".") stacks the old root on top of the new one; the
 * detach then drops it, so no path leads back to the host. */
static int enter_root(struct rp_err *e)
{
	if (sys_pivot_root(".", ".") < 0)
		return rp_fail(e, errno, "mount", "pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		return rp_fail(e, errno, "mount", "detach the host's root");
	if (chdir("/") < 0)
		return rp_fail(e, errno, "mount", "chdir /");
	return 0;
}

/* Is `path` at or below `dir`? */
static bool path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

int mount_prepare_targets(const struct spec *s, int rootfd, struct rp_err *e)
{
	static const char *const fixed[] = { "/proc", "/sys", "/dev" };
	struct tree t = { .root = rootfd, .e = e };

	bool secrets_covered = false;

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++) {
		_cleanup_close_ int fd = target_fd(&t, fixed[i], false);
		if (fd < 0)
			return -1;
	}
	for (size_t k = 0; k < s->nmounts; k++)
		secrets_covered |= path_under(SECRETS_DIR, s->mounts[k].target);
	if (s->nsecrets && !secrets_covered) {
		_cleanup_close_ int fd = target_fd(&t, SECRETS_DIR, false);
		if (fd < 0)
			return -1;
	}
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_spec *m = &s->mounts[i];
		_cleanup_close_ int fd = -1;
		struct stat st;
		bool covered = false;

		/* A target inside another mount is made there, by the child. */
		for (size_t k = 0; k < s->nmounts && !covered; k++)
			covered = k != i && strcmp(s->mounts[k].target, m->target) != 0 &&
				  path_under(m->target, s->mounts[k].target);
		if (covered)
			continue;
		if (m->kind == MOUNT_BIND && stat(m->source, &st) < 0)
			return rp_fail(e, errno, "mount", "bind source %s", m->source);
		fd = target_fd(&t, m->target, m->kind == MOUNT_BIND && !S_ISDIR(st.st_mode));
		if (fd < 0)
			return rp_err_prefix(e, "%s:%u", m->origin.file ? m->origin.file : "spec",
					     m->origin.line);
	}
	return 0;
}

int mount_open_sources(const struct spec *s, int **fds, struct rp_err *e)
{
	*fds = NULL;
	if (s->rootless || s->nmounts == 0)
		return 0;
	*fds = xmalloc(s->nmounts * sizeof(int));
	for (size_t i = 0; i < s->nmounts; i++)
		(*fds)[i] = -1;
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_spec *m = &s->mounts[i];

		if (m->kind != MOUNT_BIND)
			continue;
		(*fds)[i] = sys_open_tree(AT_FDCWD, m->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
								(m->recursive ? AT_RECURSIVE : 0));
		if ((*fds)[i] < 0 && errno == ENOSYS)
			break; /* old kernel: the child binds by path */
		if ((*fds)[i] < 0) {
			rp_fail(e, errno, "mount", "bind source %s", m->source);
			mount_close_sources(s, fds);
			return -1;
		}
	}
	return 0;
}

void mount_close_sources(const struct spec *s, int **fds)
{
	for (size_t i = 0; *fds && i < s->nmounts; i++)
		if ((*fds)[i] >= 0)
			close((*fds)[i]);
	free(*fds);
	*fds = NULL;
}

/* The container's own cgroup, seen through its cgroup namespace, read-only:
 * a workload can read its limits and usage but change nothing. */
static int mount_cgroup(struct tree *t)
{
	_cleanup_close_ int fd = open_in_root(t->root, "/sys/fs/cgroup", O_PATH | O_DIRECTORY);

	if (fd < 0)
		return rp_fail(t->e, errno, "mount", "/sys/fs/cgroup");
	return attach_fs(t, "cgroup2", NULL, ATTR_LOCKED | MOUNT_ATTR_RDONLY, fd, "/sys/fs/cgroup");
}

int mount_setup(const struct spec *s, const struct mount_inputs *in, struct rp_err *e)
{
	struct tree t = { .root = -1, .sources = in->sources, .e = e };
	int rootfd = in->rootfd;
	int r = -1;

	/* Enter the rootfs first, then make the mount namespace: unshare
	 * moves the cwd onto the namespace's copy of the mount, which is what
	 * lets open_tree(".") clone it. This also means the mapped root never
	 * walks the host path to the rootfs, so the rootfs's parents may be
	 * closed to it (a 0700 mkdtemp directory, say). */
	if (fchdir(rootfd) < 0)
		return rp_fail(e, errno, "mount", "enter rootfs %s", s->rootfs);
	if (unshare(CLONE_NEWNS) < 0)
		return rp_fail(e, errno, "namespace", "new mount namespace");
	/* Nothing we mount may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return rp_fail(e, errno, "mount", "make / private");
	if (bind_rootfs(s, in->root_mnt, e, &t.root) < 0)
		return -1;

	if (mount_proc(s, &t) < 0 || mount_sys(s, &t) < 0 ||
	    (in->cgroup_fs && s->ns[NS_CGROUP].unshare && mount_cgroup(&t) < 0) || mount_dev(s, &t) < 0 ||
	    mount_profile_entries(s, &t) < 0)
		goto out;
	if (s->nsecrets) {
		_cleanup_close_ int fd = target_fd(&t, SECRETS_DIR, false);
		if (fd < 0 || secrets_install(s, t.root, in->secrets, e) < 0)
			goto out;
	}
	/* OCI prestart/createRuntime: the mounts exist, the masks, read-only
	 * paths and the read-only rootfs not yet (hooks that add mount
	 * points, as GPU hooks do, need to write there), as in runc. */
	if (in->before_pivot && in->before_pivot(in->arg, e) < 0)
		goto out;
	for (size_t i = 0; mount_default_masked[i]; i++)
		if (mask_path(&t, mount_default_masked[i]) < 0)
			goto out;
	for (size_t i = 0; s->masked && s->masked[i]; i++)
		if (mask_path(&t, s->masked[i]) < 0)
			goto out;
	for (size_t i = 0; s->readonly_paths && s->readonly_paths[i]; i++)
		if (readonly_path(&t, s->readonly_paths[i]) < 0)
			goto out;
	if (rootfs_readonly(s, &t) < 0 || enter_root(e) < 0)
		goto out;
	r = 0;
out:
	close(t.root);
	return r;
}
