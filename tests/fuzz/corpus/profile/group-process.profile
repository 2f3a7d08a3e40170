seccomp on
seccomp default errno EPERM
seccomp allow fork vfork clone execve execveat exit exit_group wait4 waitid
seccomp allow kill tgkill tkill
seccomp allow getpid getppid gettid getpgid setpgid getpgrp getsid setsid
seccomp allow getuid geteuid getgid getegid getresuid getresgid getgroups
seccomp allow setuid setgid setreuid setregid setresuid setresgid setgroups setfsuid setfsgid
seccomp allow capget capset prctl arch_prctl
seccomp allow set_tid_address set_robust_list get_robust_list rseq
seccomp allow sched_yield sched_getaffinity sched_setaffinity sched_getparam sched_setparam
seccomp allow sched_getscheduler sched_setscheduler sched_get_priority_max sched_get_priority_min
seccomp allow sched_rr_get_interval sched_getattr sched_setattr
seccomp allow getpriority setpriority getrlimit setrlimit prlimit64 getrusage times
seccomp allow uname sysinfo getcpu pidfd_open pidfd_send_signal ioprio_get ioprio_set
