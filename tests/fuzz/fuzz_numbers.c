/* fuzz_numbers.c - the strict parsers of parse.h against small reference
 * implementations written from their documented contracts.
 *
 * The input is cut at NUL bytes; every slice goes, as its own exactly
 * sized NUL-terminated buffer (so ASan sees any read past it), through
 * parse_u64, parse_u32, parse_size (with and without "max"), parse_mode,
 * parse_bool, parse_container_path (with every small output size and with
 * PATH_MAX) and utf8_valid (on a buffer without terminator); the whole
 * input goes through utf8_valid too. Properties:
 *   - numbers: accepted exactly when the reference accepts, same value,
 *     errno EINVAL/ERANGE as documented;
 *   - parse_container_path: accepted exactly when absolute without "." or
 *     ".." components; output is the reference normalisation (absolute,
 *     no "//", no "/./", no "/../", no trailing '/'), fits outlen or fails
 *     with ENAMETOOLONG, and parsing the output again gives itself;
 *   - utf8_valid agrees with Unicode's table of well-formed sequences
 *     (Unicode 15, table 3-7).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define POISON UINT64_C(0x5a5a5a5a5a5a5a5a)

/* ---- references -------------------------------------------------------- */

/* 0 ok, EINVAL, ERANGE. A string that is malformed after a prefix that
 * already overflows may be refused with either: EINVAL_OR_ERANGE. */
#define EINVAL_OR_ERANGE (-1)

static bool errno_ok(int got, int want)
{
	return want == EINVAL_OR_ERANGE ? got == EINVAL || got == ERANGE : got == want;
}

static int ref_u64(const char *s, uint64_t *out)
{
	unsigned __int128 v = 0;
	bool big = false;

	if (!*s)
		return EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return big ? EINVAL_OR_ERANGE : EINVAL;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > UINT64_MAX) {
			big = true;
			v = (unsigned __int128)UINT64_MAX + 1; /* stays above */
		}
	}
	if (big)
		return ERANGE;
	*out = (uint64_t)v;
	return 0;
}

static int ref_size(const char *s, bool allow_max, uint64_t *out)
{
	size_t len = strlen(s);
	char num[64];
	unsigned shift = 0;
	uint64_t v;
	int r;

	if (allow_max && strcmp(s, "max") == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	/* parse_size refuses 32 characters and more (a fixed buffer). */
	if (len == 0 || len >= 32)
		return EINVAL;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	}
	if (shift)
		num[len - 1] = '\0';
	r = ref_u64(num, &v);
	if (r)
		return r;
	if (shift && ((unsigned __int128)v << shift) > UINT64_MAX)
		return ERANGE;
	*out = v << shift;
	return 0;
}

static int ref_mode(const char *s, int *out)
{
	size_t len = strlen(s);
	int v = 0;

	if (len == 0 || len > 5)
		return EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			return EINVAL;
		v = v * 8 + (*s - '0');
	}
	if (v > 07777)
		return EINVAL;
	*out = v;
	return 0;
}

/* Normalised path into out (big enough: strlen(s) + 2), or EINVAL. */
static int ref_path(const char *s, char *out)
{
	size_t o = 0;

	if (s[0] != '/')
		return EINVAL;
	while (*s) {
		size_t n;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		n = strcspn(s, "/");
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return EINVAL;
		out[o++] = '/';
		memcpy(out + o, s, n);
		o += n;
		s += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

/* Unicode table 3-7: the well-formed byte sequences. */
static bool ref_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		unsigned char lo = 0x80, hi = 0xbf;
		size_t n;

		if (c <= 0x7f) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k <= n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return false;
		i += n + 1;
	}
	return true;
}

/* ---- checks ------------------------------------------------------------- */

static void check_u64(const char *s)
{
	uint64_t got = POISON, want = POISON;
	uint32_t got32 = 0x5a5a5a5a;
	int wr = ref_u64(s, &want);
	int r;

	errno = 0;
	r = parse_u64(s, &got);
	FUZZ_ASSERT((r == 0) == (wr == 0), "parse_u64('%s') = %d, reference says %d", s, r, wr);
	if (r == 0)
		FUZZ_ASSERT(got == want, "parse_u64('%s') = %llu, want %llu", s,
			    (unsigned long long)got, (unsigned long long)want);
	else
		FUZZ_ASSERT(errno_ok(errno, wr), "parse_u64('%s'): errno %d, want %d", s, errno, wr);

	errno = 0;
	r = parse_u32(s, &got32);
	if (wr == 0 && want <= UINT32_MAX)
		FUZZ_ASSERT(r == 0 && got32 == want, "parse_u32('%s') = %d/%u, want %llu", s, r, got32,
			    (unsigned long long)want);
	else
		FUZZ_ASSERT(r < 0 && errno_ok(errno, wr ? wr : ERANGE),
			    "parse_u32('%s') = %d errno %d, want failure", s, r, errno);
}

static void check_size(const char *s)
{
	for (int allow = 0; allow <= 1; allow++) {
		uint64_t got = POISON, want = POISON, again = POISON;
		int wr = ref_size(s, allow, &want);
		char buf[32];
		int r;

		errno = 0;
		r = parse_size(s, allow, &got);
		FUZZ_ASSERT((r == 0) == (wr == 0), "parse_size('%s', %d) = %d, reference says %d", s,
			    allow, r, wr);
		if (r < 0) {
			FUZZ_ASSERT(errno_ok(errno, wr), "parse_size('%s', %d): errno %d, want %d",
				    s, allow, errno, wr);
			continue;
		}
		FUZZ_ASSERT(got == want, "parse_size('%s', %d) = %llu, want %llu", s, allow,
			    (unsigned long long)got, (unsigned long long)want);
		/* The value printed in bytes (as profile show does) reads back. */
		if (got != UINT64_MAX || !allow) {
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)got);
			FUZZ_ASSERT(parse_size(buf, allow, &again) == 0 && again == got,
				    "parse_size('%s') does not read back '%s'", s, buf);
		}
	}
}

static void check_mode(const char *s)
{
	int got = -7, want = -7, r, wr = ref_mode(s, &want);
	char buf[16];

	errno = 0;
	r = parse_mode(s, &got);
	FUZZ_ASSERT((r == 0) == (wr == 0), "parse_mode('%s') = %d, reference says %d", s, r, wr);
	if (r < 0) {
		FUZZ_ASSERT(errno == EINVAL, "parse_mode('%s'): errno %d", s, errno);
		return;
	}
	FUZZ_ASSERT(got == want && got >= 0 && got <= 07777, "parse_mode('%s') = %o, want %o", s, got, want);
	/* What profile show prints ("%04o") reads back. */
	snprintf(buf, sizeof(buf), "%04o", (unsigned)got);
	FUZZ_ASSERT(parse_mode(buf, &want) == 0 && want == got, "parse_mode('%s') does not read back", buf);
}

static void check_bool(const char *s)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	bool got = false;
	int want = -1, r;

	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(s, yes[i]))
			want = 1;
		if (!strcmp(s, no[i]))
			want = 0;
	}
	r = parse_bool(s, &got);
	FUZZ_ASSERT(want < 0 ? r < 0 : r == 0 && got == (want == 1), "parse_bool('%s') = %d/%d", s, r, got);
}

/* A path as parse_container_path promises it. */
static void path_shape(const char *in, const char *p)
{
	size_t n = strlen(p);

	FUZZ_ASSERT(p[0] == '/', "'%s' -> '%s': not absolute", in, p);
	FUZZ_ASSERT(!strstr(p, "//"), "'%s' -> '%s': has //", in, p);
	FUZZ_ASSERT(!strstr(p, "/./") && !strstr(p, "/../"), "'%s' -> '%s': has /./ or /../", in, p);
	FUZZ_ASSERT(!(n >= 2 && !strcmp(p + n - 2, "/.")) && !(n >= 3 && !strcmp(p + n - 3, "/..")),
		    "'%s' -> '%s': ends in /. or /..", in, p);
	FUZZ_ASSERT(n == 1 || p[n - 1] != '/', "'%s' -> '%s': trailing slash", in, p);
}

static void check_path(const char *s)
{
	size_t len = strlen(s);
	char *want = malloc(len + 2);
	int wr = ref_path(s, want);
	size_t wantlen = wr ? 0 : strlen(want);
	size_t maxsmall = len + 3 < 80 ? len + 3 : 80;

	if (!want)
		abort();
	/* Every small size, the buffer exactly that big, and PATH_MAX. */
	for (size_t outlen = 0; outlen <= maxsmall + 1; outlen++) {
		size_t cap = outlen <= maxsmall ? outlen : PATH_MAX;
		char *out = malloc(cap ? cap : 1);
		char *again;
		int r;

		if (!out)
			abort();
		memset(out, 'Z', cap ? cap : 1);
		errno = 0;
		r = parse_container_path(s, out, cap);
		if (wr || cap < 2) {
			/* A "." or ".." after a component that no longer fits
			 * may be reported as ENAMETOOLONG: either is a refusal. */
			FUZZ_ASSERT(r < 0 && (errno == EINVAL || (errno == ENAMETOOLONG && cap >= 2)),
				    "parse_container_path('%s', %zu) = %d errno %d, want EINVAL", s, cap, r, errno);
		} else if (wantlen + 1 > cap) {
			FUZZ_ASSERT(r < 0 && errno == ENAMETOOLONG,
				    "parse_container_path('%s', %zu) = %d errno %d, want ENAMETOOLONG", s, cap, r, errno);
		} else {
			FUZZ_ASSERT(r == 0, "parse_container_path('%s', %zu) failed: errno %d", s, cap, errno);
			FUZZ_ASSERT(memchr(out, '\0', cap), "parse_container_path('%s', %zu): no NUL", s, cap);
			FUZZ_ASSERT(!strcmp(out, want), "parse_container_path('%s') = '%s', want '%s'", s, out, want);
			path_shape(s, out);
			again = malloc(cap);
			if (!again)
				abort();
			FUZZ_ASSERT(parse_container_path(out, again, cap) == 0 && !strcmp(again, out),
				    "parse_container_path is not idempotent on '%s'", out);
			free(again);
		}
		free(out);
	}
	free(want);
}

static void check_utf8(const void *data, size_t len)
{
	/* Exactly len bytes, no terminator: reading past len is an error. */
	char *copy = malloc(len ? len : 1);
	bool got, want;

	if (!copy)
		abort();
	memcpy(copy, data, len);
	got = utf8_valid(copy, len);
	want = ref_utf8((const unsigned char *)copy, len);
	FUZZ_ASSERT(got == want, "utf8_valid = %d on %zu bytes, Unicode says %d", got, len, want);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t start = 0;

	check_utf8(data, size);
	while (start <= size) {
		const uint8_t *nul = memchr(data + start, '\0', size - start);
		size_t end = nul ? (size_t)(nul - data) : size;
		char *s = fuzz_strndup(data + start, end - start);

		check_u64(s);
		check_size(s);
		check_mode(s);
		check_bool(s);
		check_path(s);
		check_utf8(s, end - start);
		free(s);
		start = end + 1;
	}
	return 0;
}
