/* resolve.h - opening a path inside a container's root. */
#ifndef RAMPART_RESOLVE_H
#define RAMPART_RESOLVE_H

/* Open PATH (absolute or not) with every symlink and ".." resolved inside
 * ROOT, as if ROOT were "/" (openat2 RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS), close-on-exec. O_NOFOLLOW applies to the last
 * component only, as with open(2). Before Linux 5.6 the same walk is done
 * one component at a time in user space. Returns the fd, or -1 and errno. */
int open_in_root(int root, const char *path, int flags);

#endif
