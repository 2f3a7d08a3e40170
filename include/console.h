/* console.h - process.terminal: a pty made inside the container, its master
 * handed out over a console socket the way runc does it.
 *
 * The pty is allocated by the container child from the container's own
 * devpts instance, so the workload's terminal is scoped to the container
 * and the host's /dev/pts is never touched. Only the master leaves the
 * container: one sendmsg on the console socket whose data is the master's
 * name ("/dev/ptmx", as runc sends it) and whose only control message is
 * SCM_RIGHTS with the master fd. containerd's go-runc and conmon read
 * exactly that (one message, one fd, name shorter than 4096 bytes).
 *
 * With --console-socket the receiver is the caller's (containerd's shim,
 * conmon). For `rampart run` without one, console_socketpair stands in for
 * it and console_proxy connects the pty to rampart's own terminal.
 */
#ifndef RAMPART_CONSOLE_H
#define RAMPART_CONSOLE_H

#include <stdbool.h>
#include <sys/ioctl.h>

#include "error.h"

/* Runtime side, before clone: connect to the AF_UNIX stream socket at
 * `path` (the --console-socket given by containerd's shim / conmon). Paths
 * longer than sun_path are reached through /proc/self/fd. Returns a
 * connected fd (O_CLOEXEC) or -1 with "console: connect SOCKET: reason". */
int console_connect(const char *path, struct rp_err *e);

/* Container side, after its /dev/pts (devpts newinstance, ptmxmode=0666) is
 * mounted and after pivot_root, so that "/dev/ptmx" (else "/dev/pts/ptmx")
 * is the container's own: open a new pty pair, set its size (rows/cols; 0
 * leaves that one as it is), send the master over `sockfd`, close the
 * master, make the slave the controlling terminal of a new session (setsid
 * unless already a session leader, TIOCSCTTY) and dup2 it onto 0, 1 and 2.
 * `sockfd` stays open (it is the caller's; O_CLOEXEC) and must not be 0, 1
 * or 2. Needs no capability: works as uid 0 in a user namespace and
 * outside one. Returns 0 or -1 with "console: ...". */
int console_setup_slave(int sockfd, unsigned short rows, unsigned short cols, struct rp_err *e);

/* Runtime side, `rampart run` without --console-socket but with
 * process.terminal: a stream socketpair (O_CLOEXEC) to stand in for the
 * console socket: fds[0] for the runtime (console_recv_master), fds[1] for
 * the container (console_setup_slave). */
int console_socketpair(int fds[2], struct rp_err *e);

/* Receive the master fd sent by console_setup_slave (O_CLOEXEC). Fails if
 * the peer closed without sending one, sent other than exactly one fd, or
 * sent an fd that is not a terminal. */
int console_recv_master(int sockfd, struct rp_err *e);

/* Proxy between the caller's terminal (in_fd/out_fd, normally 0 and 1) and
 * the pty master until the master hangs up (the workload and everything
 * holding the slave exited) or `stop_fd` (may be -1; e.g. a pidfd or a
 * signalfd) becomes readable; on a stop, output already in the pty is
 * copied out first, stop_fd is not read. Stdin bytes go to the master,
 * master output to out_fd; stdin at end-of-file is simply no longer read.
 * If in_fd is a tty it is in raw mode for the duration (restored on every
 * return) and its window size is copied to the master at the start, so a
 * caller that stops on SIGWINCH resizes by calling again. The master is
 * non-blocking during the call (its flags are restored). Returns 0 on
 * hang-up or stop, -1 on error. */
int console_proxy(int master, int in_fd, int out_fd, int stop_fd, struct rp_err *e);

#endif
