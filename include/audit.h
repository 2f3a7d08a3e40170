/* audit.h - one JSON line per container lifecycle event (docs/check.md).
 *
 * Each record is written with a single write(2) to a file opened with
 * O_APPEND, so records of concurrent rampart processes never interleave,
 * and/or sent to syslog (LOG_AUTHPRIV). No fsync by default: the record is
 * in the kernel's page cache when audit_record returns, so it survives
 * the death of rampart itself; only a host crash can lose it
 * (set log->fsync to pay for that, see docs/check.md).
 *
 * What a record never holds: environment values, the workload's arguments
 * (only argv[0]), anything from the image.
 */
#ifndef RAMPART_AUDIT_H
#define RAMPART_AUDIT_H

#include <limits.h>
#include <stdbool.h>

#include "error.h"
#include "spec.h"

#define AUDIT_DEFAULT_DIR "/var/log/rampart"
#define AUDIT_DEFAULT_PATH AUDIT_DEFAULT_DIR "/audit.log"
#define AUDIT_ENV "RAMPART_AUDIT_LOG"

enum audit_command {
	AUDIT_CMD_LAUNCH, AUDIT_CMD_CREATE, AUDIT_CMD_START, AUDIT_CMD_EXEC, AUDIT_CMD_KILL,
	AUDIT_CMD_DELETE,
};

enum audit_outcome { AUDIT_STARTED, AUDIT_REFUSED, AUDIT_ERROR, AUDIT_EXITED };

struct audit_log {
	int fd;                 /* -1: no file */
	bool syslog;            /* also (or only) to syslog, LOG_AUTHPRIV */
	bool fsync;             /* fsync(2) after each record (off by default) */
	char path[PATH_MAX];
	struct rp_err err;      /* why the last audit_record failed */
};

#define AUDIT_LOG_INIT { .fd = -1 }

struct audit_event {
	enum audit_command command;
	enum audit_outcome outcome;
	const char *container_id;   /* NULL when the command has none (launch) */
	const char *bundle;         /* OCI bundle directory; NULL for launch */
	const struct spec *spec;    /* rootfs, profiles, env names, argv[0],
				     * posture; NULL when there is none yet */
	bool spec_validated;        /* spec_validate() ran (user resolved) */
	const char *image_digest;   /* the pinned digest (`image digest`), or NULL */
	const char *error;          /* refused/error: the one-line message */
	int exit_status;            /* exited: shell-style status; -1: none */
	int signal;                 /* killed by signal N; 0: none */
	int oom;                    /* 1: OOM-killed, 0: not, -1: unknown */
};

/* Open the audit log. path NULL: no file. The file is opened
 * O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC|O_NOFOLLOW, mode 0600, and refused
 * when it is a symlink, not a regular file, has more than one link, is
 * writable by group or others, or is owned by another uid than the
 * caller's effective uid. */
int audit_open(const char *path, bool use_syslog, struct audit_log *log, struct rp_err *e);

/* Open what the configuration says: `setting` (a command-line flag value,
 * may be NULL), else $RAMPART_AUDIT_LOG, else AUDIT_DEFAULT_PATH when the
 * caller is root (its directory is created 0700 when missing, and must be
 * root's and writable by root alone; a host with no /var/log at all gets
 * no default log), else nothing. A setting is a file path, "syslog", or
 * "none". */
int audit_open_config(const char *setting, struct audit_log *log, struct rp_err *e);

/* Write one record (a no-op on a log opened with nothing). -1 with errno
 * and log->err filled when it could not be written whole. */
int audit_record(struct audit_log *log, const struct audit_event *ev);

/* The record as one line of JSON ending in "\n" (malloc'ed). */
char *audit_format(const struct audit_event *ev);

/* launch's events in one call: outcome, the error message (or NULL), the
 * shell-style status for AUDIT_EXITED (-1 otherwise; 128+N is recorded as
 * signal N). -1 with e filled when the record could not be written. */
int audit_launch(struct audit_log *log, const struct spec *s, enum audit_outcome outcome,
		 const char *error, int status, struct rp_err *e);

/* The same for any command (launch: id NULL), with the OOM flag of an
 * exit (1 killed by the OOM killer, 0 not, -1 unknown). s may be NULL:
 * start, kill and delete have no spec at hand. */
int audit_oci(struct audit_log *log, enum audit_command cmd, const char *id, const struct spec *s,
	      enum audit_outcome outcome, const char *error, int status, int oom, struct rp_err *e);

void audit_close(struct audit_log *log);

const char *audit_command_name(enum audit_command c);
const char *audit_outcome_name(enum audit_outcome o);

#endif
