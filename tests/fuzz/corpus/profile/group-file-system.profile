seccomp on
seccomp default errno EPERM
seccomp allow open openat openat2 creat
seccomp allow stat fstat lstat newfstatat statx statfs fstatfs
seccomp allow access faccessat faccessat2 readlink readlinkat
seccomp allow getdents getdents64 getcwd chdir fchdir
seccomp allow mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2
seccomp allow link linkat symlink symlinkat
seccomp allow chmod fchmod fchmodat chown fchown lchown fchownat umask
seccomp allow truncate ftruncate fallocate
seccomp allow utime utimes utimensat futimesat
seccomp allow fcntl flock fsync fdatasync sync syncfs sync_file_range fadvise64
seccomp allow mknod mknodat
seccomp allow getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr
seccomp allow setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr
seccomp allow inotify_init inotify_init1 inotify_add_watch inotify_rm_watch
