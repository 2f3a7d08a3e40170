/* audit.c - the audit log: one JSON line per event, one write(2) each. */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "check.h"
#include "parse.h"
#include "util.h"

/* Bounds that keep a record well under 64 KiB. */
#define MAX_STR 1024      /* bytes of any one string taken from the input */
#define MAX_LIST 64       /* entries of a list (profiles, env names) */
#define MAX_NAME 128      /* bytes of one env name */

const char *audit_command_name(enum audit_command c)
{
	switch (c) {
	case AUDIT_CMD_LAUNCH: return "launch";
	case AUDIT_CMD_CREATE: return "create";
	case AUDIT_CMD_START: return "start";
	case AUDIT_CMD_EXEC: return "exec";
	case AUDIT_CMD_KILL: return "kill";
	case AUDIT_CMD_DELETE: return "delete";
	}
	return "?";
}

const char *audit_outcome_name(enum audit_outcome o)
{
	switch (o) {
	case AUDIT_STARTED: return "started";
	case AUDIT_REFUSED: return "refused";
	case AUDIT_ERROR: return "error";
	case AUDIT_EXITED: return "exited";
	}
	return "?";
}

/* ---- opening -------------------------------------------------------------- */

int audit_open(const char *path, bool use_syslog, struct audit_log *log, struct rp_err *e)
{
	struct stat st;
	int fd;

	memset(log, 0, sizeof(*log));
	log->fd = -1;
	if (path) {
		if (xsnprintf(log->path, sizeof(log->path), "%s", path) < 0)
			return rp_fail(e, ENAMETOOLONG, "audit", "%.64s...", path);
		/* O_NONBLOCK: a FIFO in its place fails (ENXIO) instead of
		 * hanging; it is refused below anyway. */
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
				      O_NONBLOCK, 0600);
		if (fd < 0 && errno == ELOOP)
			return rp_fail(e, 0, "audit", "%s: is a symbolic link; refused", path);
		if (fd < 0)
			return rp_fail(e, errno, "audit", "%s", path);
		if (fstat(fd, &st) < 0) {
			rp_fail(e, errno, "audit", "%s", path);
			goto bad;
		}
		if (!S_ISREG(st.st_mode)) {
			rp_fail(e, 0, "audit", "%s: not a regular file; refused", path);
			goto bad;
		}
		if (st.st_nlink != 1) {
			rp_fail(e, 0, "audit", "%s: has %lu hard links; refused", path,
				(unsigned long)st.st_nlink);
			goto bad;
		}
		if (st.st_uid != geteuid()) {
			rp_fail(e, 0, "audit", "%s: owned by uid %u, not by uid %u; refused", path,
				(unsigned)st.st_uid, (unsigned)geteuid());
			goto bad;
		}
		if (st.st_mode & (S_IWGRP | S_IWOTH)) {
			rp_fail(e, 0, "audit", "%s: writable by group or others (mode %04o); refused", path,
				(unsigned)(st.st_mode & 07777));
			goto bad;
		}
		if (fcntl(fd, F_SETFL, O_APPEND) < 0) { /* drop O_NONBLOCK */
			rp_fail(e, errno, "audit", "%s", path);
			goto bad;
		}
		log->fd = fd;
	}
	if (use_syslog) {
		openlog("rampart", LOG_PID, LOG_AUTHPRIV);
		log->syslog = true;
	}
	return 0;
bad:
	close(fd);
	log->path[0] = '\0';
	return -1;
}

int audit_open_config(const char *setting, struct audit_log *log, struct rp_err *e)
{
	const char *v = setting;

	if (!v || !*v) {
		v = secure_getenv(AUDIT_ENV);
		if (v && !*v)
			v = NULL;
	}
	if (!v) {
		struct stat st;

		/* The default applies to root only: a rootless caller's log
		 * would be the caller's to edit, and /var/log is not theirs. */
		if (geteuid() != 0)
			return audit_open(NULL, false, log, e);
		if (mkdir(AUDIT_DEFAULT_DIR, 0700) < 0 && errno != EEXIST) {
			/* No /var/log at all (an initramfs, a minimal VM): a
			 * host without persistent logs, nowhere to log to. */
			if (errno == ENOENT)
				return audit_open(NULL, false, log, e);
			return rp_fail(e, errno, "audit", "%s (or --audit-log none)", AUDIT_DEFAULT_DIR);
		}
		/* Whoever can write the directory can remove or replace the
		 * log: it must be root's alone. */
		if (lstat(AUDIT_DEFAULT_DIR, &st) < 0)
			return rp_fail(e, errno, "audit", "%s", AUDIT_DEFAULT_DIR);
		if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
			return rp_fail(e, 0, "audit",
				       "%s: not a directory owned by root and writable by root alone; refused",
				       AUDIT_DEFAULT_DIR);
		v = AUDIT_DEFAULT_PATH;
	}
	if (strcmp(v, "none") == 0)
		return audit_open(NULL, false, log, e);
	if (strcmp(v, "syslog") == 0)
		return audit_open(NULL, true, log, e);
	return audit_open(v, false, log, e);
}

void audit_close(struct audit_log *log)
{
	if (log->fd >= 0)
		close(log->fd);
	if (log->syslog)
		closelog();
	log->fd = -1;
	log->syslog = false;
}

/* ---- the record ----------------------------------------------------------- */

/* A JSON string from arbitrary bytes: at most MAX_STR of them, bytes that
 * are not valid UTF-8 written as the four characters \xNN. NULL: null. */
static json_t *jstr_n(const char *s, size_t max)
{
	char out[MAX_STR * 4 + 1];
	size_t len, o = 0;
	json_t *j;

	if (!s)
		return json_null();
	len = strnlen(s, max);
	for (size_t i = 0; i < len && o + 4 < sizeof(out);) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;

		if (n && i + n <= len && utf8_valid(s + i, n)) {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		} else {
			snprintf(out + o, sizeof(out) - o, "\\x%02x", c);
			o += 4;
			i++;
		}
	}
	out[o] = '\0';
	j = json_string(out);
	return j ? j : json_null();
}

static json_t *jstr(const char *s) { return jstr_n(s, MAX_STR); }

static json_t *jint_or_null(bool present, json_int_t v)
{
	return present ? json_integer(v) : json_null();
}

static void set(json_t *o, const char *key, json_t *v)
{
	/* json_object_set_new steals v, also on failure. */
	(void)json_object_set_new(o, key, v ? v : json_null());
}

static void add_spec(json_t *o, const struct audit_event *ev)
{
	const struct spec *s = ev->spec;
	json_t *profiles = json_array(), *env = json_array(), *failed = json_array();
	struct check_report rep;
	size_t n = 0;

	set(o, "rootfs", jstr(s ? s->rootfs : NULL));
	set(o, "bundle", jstr(ev->bundle));
	for (size_t i = 0; s && s->profiles && s->profiles[i] && n < MAX_LIST; i++, n++)
		json_array_append_new(profiles, jstr_n(s->profiles[i], 256));
	set(o, "profiles", profiles);
	set(o, "image_digest", jstr(ev->image_digest));
	set(o, "workload", jstr(s && s->argv ? s->argv[0] : NULL));
	/* Names only: a value may be a secret. */
	n = 0;
	for (size_t i = 0; s && s->env && s->env[i] && n < MAX_LIST; i++, n++) {
		char name[MAX_NAME + 1];
		size_t len = strcspn(s->env[i], "=");

		if (len > MAX_NAME)
			len = MAX_NAME;
		memcpy(name, s->env[i], len);
		name[len] = '\0';
		json_array_append_new(env, jstr(name));
	}
	set(o, "env_names", env);
	if (s) {
		check_run(s, NULL, ev->spec_validated, &rep);
		for (size_t i = 0; i < CHECK_COUNT; i++)
			if (!rep.r[i].passed)
				json_array_append_new(failed, json_string(rep.r[i].def->id));
		set(o, "failed_checks", failed);
	} else {
		json_decref(failed);
		set(o, "failed_checks", json_null());
	}
}

char *audit_format(const struct audit_event *ev)
{
	json_t *o = json_object();
	char ts[64];
	char *text, *line;
	size_t len;

	if (!o)
		return NULL;
	rfc3339_now(ts, sizeof(ts));
	set(o, "time", json_string(ts));
	set(o, "uid", json_integer((json_int_t)getuid()));
	set(o, "pid", json_integer((json_int_t)getpid()));
	set(o, "command", json_string(audit_command_name(ev->command)));
	set(o, "container_id", jstr(ev->container_id));
	add_spec(o, ev);
	set(o, "outcome", json_string(audit_outcome_name(ev->outcome)));
	set(o, "error", jstr(ev->error));
	set(o, "exit_status", jint_or_null(ev->exit_status >= 0, ev->exit_status));
	set(o, "signal", jint_or_null(ev->signal > 0, ev->signal));
	set(o, "oom", ev->oom < 0 ? json_null() : json_boolean(ev->oom > 0));
	/* ENSURE_ASCII: the line is plain ASCII whatever the paths hold;
	 * newlines and control characters are escaped by the encoder, so
	 * no input can forge a second record. */
	text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	if (!text)
		return NULL;
	len = strlen(text);
	line = xmalloc(len + 2);
	memcpy(line, text, len);
	line[len] = '\n';
	line[len + 1] = '\0';
	free(text);
	return line;
}

int audit_record(struct audit_log *log, const struct audit_event *ev)
{
	_cleanup_free_ char *line = NULL;
	size_t len;
	ssize_t n;

	if (log->fd < 0 && !log->syslog)
		return 0;
	line = audit_format(ev);
	if (!line) {
		errno = ENOMEM;
		return rp_fail(&log->err, ENOMEM, "audit", "cannot format the record");
	}
	len = strlen(line);
	if (log->fd >= 0) {
		/* One write(2): with O_APPEND the whole line lands at the end
		 * of the file in one piece. A short write is not retried, as
		 * the rest would be a separate, interleavable write. */
		do
			n = write(log->fd, line, len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			int saved = errno;
			rp_fail(&log->err, saved, "audit", "%s", log->path);
			errno = saved;
			return -1;
		}
		if ((size_t)n != len) {
			rp_fail(&log->err, 0, "audit", "%s: short write (%zd of %zu bytes)", log->path, n, len);
			errno = EIO;
			return -1;
		}
		if (log->fsync && fsync(log->fd) < 0) {
			int saved = errno;
			rp_fail(&log->err, saved, "audit", "%s: fsync", log->path);
			errno = saved;
			return -1;
		}
	}
	if (log->syslog) {
		line[len - 1] = '\0';
		syslog(LOG_AUTHPRIV | LOG_NOTICE, "%s", line);
	}
	return 0;
}

int audit_launch(struct audit_log *log, const struct spec *s, enum audit_outcome outcome,
		 const char *error, int status, struct rp_err *e)
{
	return audit_oci(log, AUDIT_CMD_LAUNCH, NULL, s, outcome, error, status, -1, e);
}

int audit_oci(struct audit_log *log, enum audit_command cmd, const char *id, const struct spec *s,
	      enum audit_outcome outcome, const char *error, int status, int oom, struct rp_err *e)
{
	struct audit_event ev = {
		.command = cmd,
		.container_id = id,
		.bundle = s && s->oci.active ? s->oci.bundle : NULL,
		.outcome = outcome,
		.spec = s,
		.spec_validated = true,
		.error = error,
		.exit_status = outcome == AUDIT_EXITED ? status : -1,
		.signal = outcome == AUDIT_EXITED && status > 128 && status < 128 + 65 ? status - 128 : 0,
		.oom = outcome == AUDIT_EXITED ? oom : -1,
		.image_digest = s ? s->image_digest : NULL,
	};

	if (audit_record(log, &ev) < 0) {
		*e = log->err;
		return -1;
	}
	return 0;
}
