seccomp on
seccomp default errno EPERM
seccomp allow read write readv writev pread64 pwrite64 preadv pwritev preadv2 pwritev2
seccomp allow close close_range lseek dup dup2 dup3
seccomp allow sendfile splice tee vmsplice copy_file_range
