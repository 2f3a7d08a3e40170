/* error.h - one error object threaded through every fallible call.
 *
 * Library code never prints and never exits: it fills a struct rp_err and
 * returns -1. Only the command line prints the message, once, as
 * "rampart: STAGE: OBJECT: REASON". The container child ships its error to
 * the parent over the sync socket (see sync.h) so the user still sees one
 * line, from one process.
 */
#ifndef RAMPART_ERROR_H
#define RAMPART_ERROR_H

#include <stdarg.h>

/* Exit codes, shared with runc/crun/docker conventions. */
enum {
	RP_EXIT_ERROR = 125,     /* rampart itself failed */
	RP_EXIT_CANNOT_EXEC = 126,
	RP_EXIT_NOT_FOUND = 127,
	RP_EXIT_SIGNAL_BASE = 128,
};

struct rp_err {
	int exit_code;   /* RP_EXIT_* to report for this failure */
	int errnum;      /* errno behind it, 0 for config errors */
	char msg[768];   /* one line, no trailing newline */
};

/* "stage: object: strerror(errnum)". Returns -1 so callers can
 * `return rp_fail(...)`. errnum 0 omits the strerror part. */
int rp_fail(struct rp_err *e, int errnum, const char *stage, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Config errors: "file:line: message" (line 0 omits the line). */
int rp_fail_at(struct rp_err *e, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Same as rp_fail with an explicit exit code (126/127 for exec failures). */
int rp_fail_code(struct rp_err *e, int exit_code, int errnum, const char *stage,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Prefix an existing message with "what: " (adds context on the way up). */
int rp_err_prefix(struct rp_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
