/* fuzz_common.c - the open(2) sandbox and small helpers (fuzz_common.h). */
#include "fuzz_common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool fuzz_sandbox_open;

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (fuzz_sandbox_open) {
		char real[PATH_MAX];
		struct stat st;

		/* Read-only, a regular file, not a kernel interface. */
		if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_TMPFILE))) {
			errno = EACCES;
			return -1;
		}
		if (!realpath(path, real) || stat(real, &st) < 0) {
			errno = ENOENT;
			return -1;
		}
		if (!S_ISREG(st.st_mode) || under(real, "/proc") || under(real, "/sys") ||
		    under(real, "/dev")) {
			errno = EACCES;
			return -1;
		}
	}
	return __real_open(path, flags, mode);
}

void fuzz_setup_env(void)
{
	char exe[PATH_MAX], dir[2 * PATH_MAX + 32];
	ssize_t n;

	if (getenv("RAMPART_PROFILE_PATH"))
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	/* REPO/build/fuzz/fuzz_X -> REPO */
	for (int i = 0; i < 3; i++) {
		char *slash = strrchr(exe, '/');
		if (!slash)
			return;
		*slash = '\0';
	}
	/* The unit-test fixtures too: their includes (cycles, nesting) then
	 * resolve when the fuzzer mutates them. */
	snprintf(dir, sizeof(dir), "%s/profiles:%s/tests/unit/fixtures", exe, exe);
	setenv("RAMPART_PROFILE_PATH", dir, 1);
}

char *fuzz_strndup(const void *data, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

/* One line of TEXT starting at P, control characters and backslashes
 * escaped so a stray '\r' shows. */
static void put_line(const char *label, const char *p)
{
	fprintf(stderr, "%s", label);
	for (; *p && *p != '\n'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\\')
			fputs("\\\\", stderr);
		else if (c < 0x20 || c == 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fputc('\n', stderr);
}

void fuzz_mismatch(const char *what, const char *a, const char *b)
{
	size_t i = 0, line = 1, start = 0;

	while (a[i] && a[i] == b[i]) {
		if (a[i] == '\n') {
			line++;
			start = i + 1;
		}
		i++;
	}
	fprintf(stderr, "fuzz: property failed: %s\n", what);
	fprintf(stderr, "---- first difference at line %zu (escaped):\n", line);
	put_line("first:  ", a + start);
	put_line("second: ", b + start);
	if (strlen(a) + strlen(b) < 16384)
		fprintf(stderr, "---- first:\n%s\n---- second:\n%s\n", a, b);
	abort();
}
