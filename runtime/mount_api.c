/* mount_api.c - the new mount API or mount(2) (see mount_api.h). */
#include "mount_api.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

int sys_open_tree(int dfd, const char *path, unsigned flags)
{
	return (int)syscall(SYS_open_tree, dfd, path, flags);
}

int sys_move_mount(int from, const char *from_path, int to, const char *to_path, unsigned flags)
{
	return (int)syscall(SYS_move_mount, from, from_path, to, to_path, flags);
}

int sys_mount_setattr(int dfd, const char *path, unsigned flags, struct mount_attr *attr)
{
	return (int)syscall(SYS_mount_setattr, dfd, path, flags, attr, sizeof(*attr));
}

/* Each call has an invalid argument, so a kernel that has it says EBADF,
 * EFAULT or EINVAL, and only one without it says ENOSYS. */
static bool have(long nr, long a, long b, long c)
{
	return !(syscall(nr, a, b, c, 0L, 0L) < 0 && errno == ENOSYS);
}

bool mount_api_detached(void)
{
	static int known = -1;

	if (known < 0)
		known = have(SYS_open_tree, -1, 0, 0) && have(SYS_fsopen, 0, 0, 0);
	return known;
}

bool mount_api_setattr(void)
{
	static int known = -1;

	if (known < 0)
		known = mount_api_detached() && have(SYS_mount_setattr, -1, 0, 0);
	return known;
}

int mount_fd_path(int fd, char *buf, size_t len)
{
	return xsnprintf(buf, len, "/proc/self/fd/%d", fd);
}

unsigned long mount_attr_to_msflags(unsigned attr)
{
	unsigned long f = 0;

	if (attr & MOUNT_ATTR_RDONLY) f |= MS_RDONLY;
	if (attr & MOUNT_ATTR_NOSUID) f |= MS_NOSUID;
	if (attr & MOUNT_ATTR_NODEV) f |= MS_NODEV;
	if (attr & MOUNT_ATTR_NOEXEC) f |= MS_NOEXEC;
	if (attr & MOUNT_ATTR_NODIRATIME) f |= MS_NODIRATIME;
	if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_NOATIME) f |= MS_NOATIME;
	if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_STRICTATIME) f |= MS_STRICTATIME;
	return f;
}

int mount_fs_detached(const char *type, const char *opts, unsigned attr, char *bad, size_t badlen)
{
	_cleanup_close_ int fs = -1;
	char buf[1280], *save = NULL, *tok;

	if (bad && badlen)
		bad[0] = '\0';
	fs = (int)syscall(SYS_fsopen, type, FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	if (opts && xsnprintf(buf, sizeof(buf), "%s", opts) < 0)
		return -1;
	for (tok = opts ? strtok_r(buf, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		long r;

		if (eq) {
			*eq = '\0';
			r = syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, tok, eq + 1, 0);
		} else {
			r = syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, tok, NULL, 0);
		}
		if (r < 0) {
			int saved = errno;

			if (bad && badlen)
				snprintf(bad, badlen, "%s", tok); /* a name for the message: may be cut */
			errno = saved;
			return -1;
		}
	}
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -1;
	return (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, attr);
}

int mount_fs_on_fd(int target, const char *type, const char *opts, unsigned attr)
{
	char proc[64];

	if (mount_fd_path(target, proc, sizeof(proc)) < 0)
		return -1;
	return mount("none", proc, type, mount_attr_to_msflags(attr), opts);
}

/* The flags the mount already has, as mount(2) flags. */
static int current_flags(int fd, unsigned long *out)
{
	struct statvfs sv;
	unsigned long f = 0;

	if (fstatvfs(fd, &sv) < 0)
		return -1;
	if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
	if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
	if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
	/* No atime flag given means relatime to a remount, which a locked
	 * strictatime mount refuses: name the mode it has. */
	if (sv.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	else if (sv.f_flag & ST_RELATIME)
		f |= MS_RELATIME;
	else
		f |= MS_STRICTATIME;
	*out = f;
	return 0;
}

static int remount_one(int fd, unsigned long flags)
{
	char proc[64];
	unsigned long cur;

	if (current_flags(fd, &cur) < 0 || mount_fd_path(fd, proc, sizeof(proc)) < 0)
		return -1;
	/* An atime mode asked for replaces the one the mount has. */
	if (flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME))
		cur &= ~(unsigned long)(MS_NOATIME | MS_RELATIME | MS_STRICTATIME);
	return mount(NULL, proc, NULL, MS_BIND | MS_REMOUNT | cur | flags, NULL);
}

/* /proc/self/mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
		    s[3] <= '7') {
			*o = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o = *s;
		}
	}
	*o = '\0';
}

/* Every mount strictly below the one `fd` names. */
static int remount_below(int fd, unsigned long flags)
{
	char proc[64], top[PATH_MAX];
	char *line = NULL, *mp = NULL;
	size_t cap = 0, len;
	ssize_t n;
	FILE *f;
	int r = 0, saved;

	if (mount_fd_path(fd, proc, sizeof(proc)) < 0)
		return -1;
	n = readlink(proc, top, sizeof(top) - 1);
	if (n < 0)
		return -1;
	top[n] = '\0';
	len = (size_t)n;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -1;
	while (r == 0 && getline(&line, &cap, f) > 0) {
		int sub;

		free(mp);
		mp = NULL;
		if (sscanf(line, "%*d %*d %*s %*s %ms", &mp) != 1)
			continue;
		unescape(mp);
		if (strncmp(mp, top, len) != 0 || mp[len] != '/')
			continue;
		/* A mount hidden under a later one, or behind a directory we
		 * may not search (debugfs's tracefs, to a user namespace), is
		 * out of the container's reach as well: it has our ids and no
		 * more rights. */
		sub = open(mp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			r = errno == ENOENT || errno == EACCES ? 0 : -1;
			continue;
		}
		r = remount_one(sub, flags);
		closep(&sub);
	}
	/* getline ends the loop on a read error as on end of file: a
	 * submount not reached must not pass for done. */
	if (r == 0 && ferror(f))
		r = -1;
	saved = errno;
	free(line);
	free(mp);
	if (fclose(f) != 0 && r == 0)
		r = -1;
	else
		errno = saved;
	return r;
}

int mount_remount(int fd, unsigned long flags, bool recursive)
{
	if (remount_one(fd, flags) < 0)
		return -1;
	return recursive ? remount_below(fd, flags) : 0;
}

int mount_attach(int mnt, int to_dfd, const char *to_path, unsigned attr, bool recursive)
{
	struct mount_attr a = { .attr_set = attr,
				.attr_clr = attr & MOUNT_ATTR__ATIME ? MOUNT_ATTR__ATIME : 0 };
	unsigned to_empty = to_path[0] ? 0 : MOVE_MOUNT_T_EMPTY_PATH;

	if (attr && mount_api_setattr() &&
	    sys_mount_setattr(mnt, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a) < 0)
		return -1;
	if (sys_move_mount(mnt, "", to_dfd, to_path, MOVE_MOUNT_F_EMPTY_PATH | to_empty) < 0)
		return -1;
	if (attr && !mount_api_setattr())
		return mount_remount(mnt, mount_attr_to_msflags(attr), recursive);
	return 0;
}
