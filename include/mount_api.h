/* mount_api.h - which mount interface the kernel offers, and the mount(2)
 * half of the fallback.
 *
 * rampart mounts with the new mount API: a detached mount (open_tree,
 * fsopen, fsconfig, fsmount: Linux 5.2) is configured in full,
 * recursively (mount_setattr: 5.12), then attached (move_mount) to an fd
 * that was resolved inside the container's root. Between 5.2 and 5.11 the
 * flags are set by a remount once the mount is attached; before 5.2 the
 * mount itself is made with mount(2) on /proc/self/fd/N of the same
 * resolved fd. tests/helpers/oldkernel runs the tests both ways.
 */
#ifndef RAMPART_MOUNT_API_H
#define RAMPART_MOUNT_API_H

#include <stdbool.h>
#include <stddef.h>

struct mount_attr;

/* The mount syscalls glibc 2.36 has no wrappers for; as the syscalls. */
int sys_open_tree(int dfd, const char *path, unsigned flags);
int sys_move_mount(int from, const char *from_path, int to, const char *to_path, unsigned flags);
int sys_mount_setattr(int dfd, const char *path, unsigned flags, struct mount_attr *attr);

/* Whether the kernel has open_tree, move_mount, fsopen and fsmount (5.2),
 * and mount_setattr (5.12). Asked once per process. */
bool mount_api_detached(void);
bool mount_api_setattr(void);

/* A new filesystem of `type` with its comma-separated `opts`
 * ("size=1M,mode=0700"), as a detached mount with the MOUNT_ATTR_* flags
 * `attr` (fsopen, fsconfig, fsmount: needs mount_api_detached()). Returns
 * the mount's fd, close-on-exec, or -1 with errno; `bad` (may be NULL)
 * then names the option the kernel refused, or is empty. */
int mount_fs_detached(const char *type, const char *opts, unsigned attr, char *bad, size_t badlen);

/* The same before Linux 5.2: mount(2) of the new filesystem on the
 * directory fd `target` (its /proc/self/fd path). */
int mount_fs_on_fd(int target, const char *type, const char *opts, unsigned attr);

/* Attach the detached mount `mnt` at `to_path` relative to `to_dfd` (""
 * for the fd itself) with the MOUNT_ATTR_* flags `attr` set on it, and
 * with `recursive` on every mount below it; an atime mode in `attr`
 * replaces the one it had. The flags are set before it is attached where
 * mount_setattr exists (5.12), else by remounting it once attached
 * (5.2-5.11: `mnt` then names the attached mount). 0, or -1 and errno. */
int mount_attach(int mnt, int to_dfd, const char *to_path, unsigned attr, bool recursive);
/* MOUNT_ATTR_* flags as mount(2)'s MS_* flags. */
unsigned long mount_attr_to_msflags(unsigned attr);

/* "/proc/self/fd/N" for fd N: the path mount(2) is given for an fd. */
int mount_fd_path(int fd, char *buf, size_t len);

/* Set the per-mount flags (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC) of
 * the mount whose root `fd` is, by a bind remount. The flags a user
 * namespace may not clear (those the mount already has, atime included)
 * are kept, or the kernel would refuse with EPERM. With `recursive`,
 * every mount below it as well: a remount, unlike mount_setattr with
 * AT_RECURSIVE, changes one mount only. `fd` must name the top mount on
 * its path: /proc/self/fd/N of an fd opened before a mount was stacked on
 * it still leads to the mount underneath (EINVAL). */
int mount_remount(int fd, unsigned long flags, bool recursive);

#endif
