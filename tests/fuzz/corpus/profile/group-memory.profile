seccomp on
seccomp default errno EPERM
seccomp allow brk mmap munmap mremap mprotect madvise mincore msync membarrier memfd_create
seccomp allow mlock mlock2 munlock mlockall munlockall
seccomp allow pkey_alloc pkey_free pkey_mprotect get_mempolicy set_mempolicy mbind
