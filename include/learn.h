/* learn.h - recording what a workload calls, and writing it as a profile.
 *
 * `rampart learn` runs the workload under every layer of its profile but
 * with a filter that reports each syscall to rampart (user notification)
 * instead of allowing or refusing it. rampart counts the call, keeps the
 * argument values where an argument rule matters (socket family,
 * personality, prctl option, ioctl request, clone flags), lets the call
 * continue, and at the end writes a profile that includes the one it
 * learned under and allows exactly what was called.
 */
#ifndef RAMPART_LEARN_H
#define RAMPART_LEARN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"

#define LEARN_MAX_NR 1024
#define LEARN_MAX_VALUES 64

struct learn_values {
	uint64_t value[LEARN_MAX_VALUES];
	uint64_t count[LEARN_MAX_VALUES];
	unsigned n;
	bool overflow;          /* more distinct values than we keep */
};

struct learn_log {
	uint64_t count[LEARN_MAX_NR];
	struct learn_values socket, personality, prctl, ioctl, clone;
	uint64_t total;
};

/* Take the notification listener (fd number `fdnum`) out of process `pid`
 * with pidfd_getfd, waiting briefly for it to exist. */
int learn_take_listener(pid_t pid, int fdnum, struct rp_err *e);

/* Answer every notification pending on `listener`: record, continue.
 * Returns 0; 1 when the listener is done (every filtered task exited);
 * -1 (errno set) when it failed: the workload would wait forever, so the
 * caller must stop it. */
int learn_serve(int listener, struct learn_log *log);

struct learn_origin {
	char **profiles;        /* what the learned profile includes */
	char **sets;            /* --set lines, repeated in it */
	char **argv;            /* the workload, for the header */
};

/* Write the learned profile. */
int learn_write(const struct learn_log *log, const struct learn_origin *o, FILE *out);

/* Merge into an existing profile: its lines and comments stay; syscalls it
 * does not allow yet are added at the end under a dated comment. */
int learn_update(const struct learn_log *log, const char *path, struct rp_err *e);

#endif
