/* sync.h - the parent <-> container-child channel.
 *
 * A SOCK_SEQPACKET socketpair, close-on-exec on both ends. The parent says
 * "go" once it has written the id maps; the child answers only on failure,
 * with its struct rp_err. End-of-file without an error means the workload's
 * execve succeeded (the child's end closed on exec).
 */
#ifndef RAMPART_SYNC_H
#define RAMPART_SYNC_H

#include "error.h"

#include <sys/types.h>

enum sync_type {
	SYNC_GO = 1,     /* parent -> child: maps are written, set up and run */
	SYNC_ERROR = 2,  /* child -> parent: setup or exec failed */
	SYNC_EXEC = 3,   /* workload -> parent: about to execve (carries its pid) */
	SYNC_LEARN = 4,  /* workload -> parent: the seccomp listener will be fd
			  * number exit_code (see learn.h) */
	SYNC_READY = 5,  /* workload -> parent (OCI): built, waiting for start */
	SYNC_HOOKS = 6,  /* child -> parent (OCI): mounts made, pivot_root next:
			  * run prestart/createRuntime, then say go again */
};

/* fds[0] is the parent's end; it receives the sender's credentials
 * (SO_PASSCRED), which is how the parent learns the workload's pid in its
 * own pid namespace. */
int sync_pair(int fds[2], struct rp_err *e);
int sync_send(int fd, enum sync_type type, const struct rp_err *err);
/* Returns the type received, 0 on end-of-file, -1 on error. `pid` (may be
 * NULL) gets the sender's pid as the receiver sees it, or 0. */
int sync_recv(int fd, struct rp_err *err, pid_t *pid);

#endif
