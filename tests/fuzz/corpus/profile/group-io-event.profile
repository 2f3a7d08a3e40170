seccomp on
seccomp default errno EPERM
seccomp allow epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait epoll_pwait2
seccomp allow poll ppoll select pselect6
seccomp allow io_setup io_destroy io_submit io_getevents io_pgetevents io_cancel
