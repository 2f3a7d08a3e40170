/* error.c - formatting of the one-line errors. */
#include "error.h"

#include <stdio.h>
#include <string.h>

static void vfill(struct rp_err *e, int exit_code, int errnum, const char *prefix,
		  const char *fmt, va_list ap)
{
	size_t n = 0;
	int r;

	e->exit_code = exit_code;
	e->errnum = errnum;
	if (prefix) {
		r = snprintf(e->msg, sizeof(e->msg), "%s: ", prefix);
		n = r < 0 ? 0 : (size_t)r;
	}
	if (n < sizeof(e->msg)) {
		r = vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
		n += r < 0 ? 0 : (size_t)r;
	}
	if (errnum && n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(errnum));
	/* A message is one line: a newline smuggled in through a path or a
	 * profile value must not forge a second log line. */
	for (char *p = e->msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

int rp_fail(struct rp_err *e, int errnum, const char *stage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfill(e, RP_EXIT_ERROR, errnum, stage, fmt, ap);
	va_end(ap);
	return -1;
}

int rp_fail_code(struct rp_err *e, int exit_code, int errnum, const char *stage,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfill(e, exit_code, errnum, stage, fmt, ap);
	va_end(ap);
	return -1;
}

int rp_fail_at(struct rp_err *e, const char *file, unsigned line, const char *fmt, ...)
{
	char where[512];
	va_list ap;

	if (line)
		snprintf(where, sizeof(where), "%s:%u", file, line);
	else
		snprintf(where, sizeof(where), "%s", file);
	va_start(ap, fmt);
	vfill(e, RP_EXIT_ERROR, 0, where, fmt, ap);
	va_end(ap);
	return -1;
}

int rp_err_prefix(struct rp_err *e, const char *fmt, ...)
{
	char old[sizeof(e->msg)];
	char pre[256];
	va_list ap;

	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	snprintf(e->msg, sizeof(e->msg), "%s: %s", pre, old);
	return -1;
}
