seccomp on
seccomp default errno EPERM
seccomp allow socket socketpair bind listen accept accept4 connect shutdown
seccomp allow getsockname getpeername getsockopt setsockopt
seccomp allow sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg
