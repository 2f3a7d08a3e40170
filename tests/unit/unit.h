/* unit.h - small shared helpers for the cmocka unit tests.
 *
 * Every test gets a `struct unit` (cmocka state) from unit_setup: a fresh
 * spec, an error object, and a private temporary directory that is also
 * the working directory. RAMPART_PROFILE_PATH points at tests/unit/fixtures.
 * unit_teardown frees and removes everything, also after a failed test.
 */
#ifndef RAMPART_UNIT_H
#define RAMPART_UNIT_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "profile.h"
#include "spec.h"
#include "util.h"

struct unit {
	struct spec s;
	struct spec s2;     /* a second spec (round trips), also spec_init'ed */
	struct rp_err e;
	char dir[PATH_MAX]; /* private temp dir (realpath), also the cwd */
	char *text[2];      /* scratch buffers, free()d at teardown */
	size_t text_len[2];
};

/* Capture printed output in scratch buffer SLOT:
 *   FILE *f = unit_text_open(u, 0); profile_print(s, f);
 *   const char *out = unit_text_close(u, 0, f);                     */
static inline FILE *unit_text_open(struct unit *u, int slot)
{
	FILE *f;

	free(u->text[slot]);
	u->text[slot] = NULL;
	f = open_memstream(&u->text[slot], &u->text_len[slot]);
	assert_non_null(f);
	return f;
}

static inline const char *unit_text_close(struct unit *u, int slot, FILE *f)
{
	assert_int_equal(fclose(f), 0);
	return u->text[slot];
}

/* snprintf without -Wformat-truncation noise (tests build paths freely). */
static inline void unit_fmt(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void unit_fmt(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

/* Absolute path of tests/unit/fixtures: $RAMPART_UNIT_FIXTURES (set by
 * tests/unit/run), else found from this header's path. Call it once
 * before anything changes directory (unit_init does). */
static inline const char *unit_fixtures(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("RAMPART_UNIT_FIXTURES");
	char guess[PATH_MAX];

	if (dir[0])
		return dir;
	if (env && *env) {
		unit_fmt(guess, sizeof(guess), "%s", env);
	} else {
		char *slash;

		unit_fmt(guess, sizeof(guess), "%s", __FILE__);
		slash = strrchr(guess, '/');
		if (slash)
			unit_fmt(slash, sizeof(guess) - (size_t)(slash - guess), "/fixtures");
		else
			unit_fmt(guess, sizeof(guess), "fixtures");
	}
	if (!realpath(guess, dir)) {
		fprintf(stderr, "unit: fixtures %s: %s\n", guess, strerror(errno));
		abort();
	}
	return dir;
}

/* Call first in main(): line-buffered output keeps cmocka's stdout and
 * stderr lines in order when piped, and the fixture dir gets fixed. */
static inline void unit_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	unit_fixtures();
}

static inline int unit_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static inline int unit_setup(void **state)
{
	struct unit *u = calloc(1, sizeof(*u));
	const char *tmp = getenv("TMPDIR");
	char templ[PATH_MAX];

	if (!u)
		return -1;
	spec_init(&u->s);
	spec_init(&u->s2);
	unit_fmt(templ, sizeof(templ), "%s/rampart-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(templ) || !realpath(templ, u->dir) || chdir(u->dir) < 0) {
		spec_free(&u->s);
		spec_free(&u->s2);
		free(u);
		return -1;
	}
	setenv("RAMPART_PROFILE_PATH", unit_fixtures(), 1);
	*state = u;
	return 0;
}

static inline int unit_teardown(void **state)
{
	struct unit *u = *state;

	if (chdir("/") < 0)
		return -1;
	spec_free(&u->s);
	spec_free(&u->s2);
	free(u->text[0]);
	free(u->text[1]);
	if (u->dir[0])
		nftw(u->dir, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(u);
	return 0;
}

#define UNIT_TEST(f) cmocka_unit_test_setup_teardown(f, unit_setup, unit_teardown)

/* Path of REL inside the test's temp dir (a ring of buffers: up to eight
 * can be held at once). */
static inline const char *unit_path(const struct unit *u, const char *rel)
{
	static char ring[8][PATH_MAX];
	static unsigned next;
	char *p = ring[next++ % 8];

	unit_fmt(p, PATH_MAX, "%s/%s", u->dir, rel);
	return p;
}

/* mkdir -p for REL inside the temp dir. */
static inline void unit_mkdir(const struct unit *u, const char *rel)
{
	char p[PATH_MAX];

	unit_fmt(p, sizeof(p), "%s", unit_path(u, rel));
	for (char *s = p + strlen(u->dir) + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", p, strerror(errno));
}

/* Write LEN bytes of TEXT to REL in the temp dir (parents created);
 * returns its path (see unit_path). */
static inline const char *unit_writen(const struct unit *u, const char *rel, const char *text,
				      size_t len)
{
	const char *path = unit_path(u, rel);
	char parent[PATH_MAX];
	char *slash;
	FILE *f;

	unit_fmt(parent, sizeof(parent), "%s", rel);
	slash = strrchr(parent, '/');
	if (slash) {
		*slash = '\0';
		unit_mkdir(u, parent);
	}
	f = fopen(path, "we");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
		fail_msg("write %s: %s", path, strerror(errno));
	return path;
}

static inline const char *unit_write(const struct unit *u, const char *rel, const char *text)
{
	return unit_writen(u, rel, text, strlen(text));
}

/* Apply profile text, named "t.profile" in errors, to the test's spec. */
static inline int unit_loadn(struct unit *u, const char *text, size_t len)
{
	return profile_load_text(&u->s, text, len, "t.profile", &u->e);
}

static inline int unit_load(struct unit *u, const char *text)
{
	return unit_loadn(u, text, strlen(text));
}

/* The whole error message equals the printf-formatted expectation, and
 * the exit code is 125. */
#define assert_err(u, ...)                                                   \
	do {                                                                 \
		char want_[1024];                                            \
		unit_fmt(want_, sizeof(want_), __VA_ARGS__);                 \
		assert_string_equal((u)->e.msg, want_);                      \
		assert_int_equal((u)->e.exit_code, RP_EXIT_ERROR);           \
	} while (0)

/* The error message starts with the expectation. */
#define assert_err_prefix(u, ...)                                            \
	do {                                                                 \
		char want_[1024];                                            \
		unit_fmt(want_, sizeof(want_), __VA_ARGS__);                 \
		if (strncmp((u)->e.msg, want_, strlen(want_)) != 0)          \
			fail_msg("error \"%s\" does not start with \"%s\"",  \
				 (u)->e.msg, want_);                         \
		assert_int_equal((u)->e.exit_code, RP_EXIT_ERROR);           \
	} while (0)

/* Loading TEXT fails with exactly the message. */
#define assert_load_err(u, text, ...)                                        \
	do {                                                                 \
		assert_int_equal(unit_load((u), (text)), -1);                \
		assert_err((u), __VA_ARGS__);                                \
	} while (0)

#define assert_load_ok(u, text)                                              \
	do {                                                                 \
		if (unit_load((u), (text)) != 0)                             \
			fail_msg("load \"%s\": %s", (text), (u)->e.msg);     \
	} while (0)

#endif
