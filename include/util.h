/* util.h - cleanup attributes and small bounded helpers.
 *
 * The cleanup attributes make early returns safe: a function that opens
 * three fds and fails at the second leaks nothing. Hand ownership on with
 * steal_ptr()/steal_fd().
 */
#ifndef RAMPART_UTIL_H
#define RAMPART_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
void strvfreep(char ***v);

#define _cleanup_free_ __attribute__((cleanup(freep)))
#define _cleanup_close_ __attribute__((cleanup(closep)))
#define _cleanup_strv_ __attribute__((cleanup(strvfreep)))

#define steal_ptr(p) ({ __typeof__(p) _t = (p); (p) = NULL; _t; })
#define steal_fd(fd) ({ int _t = (fd); (fd) = -1; _t; })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* snprintf that reports truncation as failure (-1, errno ENAMETOOLONG). */
int xsnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Allocation failure is not recoverable in a launcher: abort loudly. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* NULL-terminated string vectors. */
size_t strv_len(char *const *v);
void strv_push(char ***v, const char *s);
void strv_free(char **v);

/* write()/read() the whole buffer, retrying on EINTR and short counts. */
int write_all(int fd, const void *buf, size_t len);
/* The caller's cache directory for SUB: $RAMPART_CACHE_DIR/SUB, else
 * /var/cache/rampart/SUB for root, else $XDG_CACHE_HOME/rampart/SUB or
 * ~/.cache/rampart/SUB. -1 when there is none. */
int cache_dir_path(const char *sub, char *out, size_t len);
/* Read all of fd into a malloc'd buffer (not NUL-terminated); EFBIG past
 * `max` bytes. */
int read_all(int fd, size_t max, char **out, size_t *len);
/* Close every fd above 2 that is not in keep[] (sorted in place; -1
 * entries ignored): what a child must not carry on. Async-signal-safe. */
int close_fds_except(int *keep, size_t n);
/* In a child about to execve: every signal to its default action and none
 * blocked. Done with the raw syscall, because sigaction(3) refuses libc's
 * internal real-time signals, and one the caller inherited as ignored
 * would stay ignored across execve. */
void reset_signals_for_exec(void);
/* Now, UTC, RFC 3339 with milliseconds: "2026-11-23T12:00:00.123Z"
 * (audit records, OCI state, the --log file). */
void rfc3339_now(char *buf, size_t len);
/* Write a short string to a file path (procfs/sysfs style). */
int write_file_at(int dirfd, const char *path, const char *data);

#endif
