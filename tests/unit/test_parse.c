/* test_parse.c - the strict number, size, mode, bool, path and UTF-8 parsers. */
#include "unit.h"

#include "parse.h"

/* ---- helpers --------------------------------------------------------- */

#define U64_OK(str, want)                                                    \
	do {                                                                 \
		uint64_t v_ = 12345;                                         \
		if (parse_u64((str), &v_) != 0)                              \
			fail_msg("parse_u64(\"%s\") failed", (str));         \
		assert_true(v_ == (uint64_t)(want));                         \
	} while (0)

#define U64_BAD(str, err)                                                    \
	do {                                                                 \
		uint64_t v_ = 12345;                                         \
		errno = 0;                                                   \
		if (parse_u64((str), &v_) != -1)                             \
			fail_msg("parse_u64(\"%s\") accepted", (str));       \
		assert_int_equal(errno, (err));                              \
		assert_true(v_ == 12345); /* untouched */                    \
	} while (0)

#define U32_OK(str, want)                                                    \
	do {                                                                 \
		uint32_t v_ = 12345;                                         \
		if (parse_u32((str), &v_) != 0)                              \
			fail_msg("parse_u32(\"%s\") failed", (str));         \
		assert_true(v_ == (uint32_t)(want));                         \
	} while (0)

#define U32_BAD(str, err)                                                    \
	do {                                                                 \
		uint32_t v_ = 12345;                                         \
		errno = 0;                                                   \
		if (parse_u32((str), &v_) != -1)                             \
			fail_msg("parse_u32(\"%s\") accepted", (str));       \
		assert_int_equal(errno, (err));                              \
		assert_true(v_ == 12345);                                    \
	} while (0)

#define SIZE_OK(str, allow, want)                                            \
	do {                                                                 \
		uint64_t v_ = 12345;                                         \
		if (parse_size((str), (allow), &v_) != 0)                    \
			fail_msg("parse_size(\"%s\") failed", (str));        \
		if (v_ != (uint64_t)(want))                                  \
			fail_msg("parse_size(\"%s\") = %llu", (str),         \
				 (unsigned long long)v_);                    \
	} while (0)

#define SIZE_BAD(str, allow, err)                                            \
	do {                                                                 \
		uint64_t v_ = 12345;                                         \
		errno = 0;                                                   \
		if (parse_size((str), (allow), &v_) != -1)                   \
			fail_msg("parse_size(\"%s\") accepted: %llu", (str), \
				 (unsigned long long)v_);                    \
		assert_int_equal(errno, (err));                              \
	} while (0)

#define MODE_OK(str, want)                                                   \
	do {                                                                 \
		int v_ = -7;                                                 \
		if (parse_mode((str), &v_) != 0)                             \
			fail_msg("parse_mode(\"%s\") failed", (str));        \
		assert_int_equal(v_, (want));                                \
	} while (0)

#define MODE_BAD(str)                                                        \
	do {                                                                 \
		int v_ = -7;                                                 \
		errno = 0;                                                   \
		if (parse_mode((str), &v_) != -1)                            \
			fail_msg("parse_mode(\"%s\") accepted", (str));      \
		assert_int_equal(errno, EINVAL);                             \
		assert_int_equal(v_, -7);                                    \
	} while (0)

#define PATH_OK(in, want)                                                    \
	do {                                                                 \
		char out_[PATH_MAX];                                         \
		if (parse_container_path((in), out_, sizeof(out_)) != 0)    \
			fail_msg("parse_container_path(\"%s\") failed", (in)); \
		assert_string_equal(out_, (want));                           \
	} while (0)

#define PATH_BAD(in, err)                                                    \
	do {                                                                 \
		char out_[PATH_MAX];                                         \
		errno = 0;                                                   \
		if (parse_container_path((in), out_, sizeof(out_)) != -1)   \
			fail_msg("parse_container_path(\"%s\") accepted", (in)); \
		assert_int_equal(errno, (err));                              \
	} while (0)

/* Byte strings with explicit lengths (they may hold NULs). */
#define UTF8(lit) (lit), (sizeof(lit) - 1)

/* ---- parse_u64 / parse_u32 ------------------------------------------- */

static void test_u64_valid(void **state)
{
	(void)state;
	U64_OK("0", 0);
	U64_OK("1", 1);
	U64_OK("007", 7); /* decimal, not octal */
	U64_OK("4294967296", UINT64_C(4294967296));
	U64_OK("18446744073709551615", UINT64_MAX);
	U64_OK("18446744073709551610", UINT64_MAX - 5);
}

static void test_u64_overflow(void **state)
{
	(void)state;
	U64_BAD("18446744073709551616", ERANGE);
	U64_BAD("18446744073709551620", ERANGE);
	U64_BAD("99999999999999999999", ERANGE);
	U64_BAD("184467440737095516150", ERANGE);
	U64_BAD("100000000000000000000000000000", ERANGE);
}

static void test_u64_malformed(void **state)
{
	(void)state;
	U64_BAD("", EINVAL);
	U64_BAD(NULL, EINVAL);
	U64_BAD("-1", EINVAL);
	U64_BAD("+1", EINVAL);
	U64_BAD(" 1", EINVAL);
	U64_BAD("1 ", EINVAL);
	U64_BAD("1\n", EINVAL);
	U64_BAD("\t1", EINVAL);
	U64_BAD("0x10", EINVAL);
	U64_BAD("1e3", EINVAL);
	U64_BAD("1.0", EINVAL);
	U64_BAD("12a", EINVAL);
	U64_BAD("1K", EINVAL);
	U64_BAD("\xd9\xa1", EINVAL); /* ARABIC-INDIC DIGIT ONE: no locale digits */
}

static void test_u32(void **state)
{
	(void)state;
	U32_OK("0", 0);
	U32_OK("65534", 65534);
	U32_OK("4294967295", UINT32_MAX);
	U32_BAD("4294967296", ERANGE);
	U32_BAD("18446744073709551615", ERANGE);
	U32_BAD("18446744073709551616", ERANGE);
	U32_BAD("", EINVAL);
	U32_BAD("-1", EINVAL);
	U32_BAD("+5", EINVAL);
	U32_BAD(" 5", EINVAL);
	U32_BAD("5 ", EINVAL);
	U32_BAD("abc", EINVAL);
}

/* ---- parse_size ------------------------------------------------------ */

static void test_size_suffixes(void **state)
{
	(void)state;
	SIZE_OK("0", false, 0);
	SIZE_OK("64", false, 64);
	SIZE_OK("1K", false, 1024);
	SIZE_OK("1k", false, 1024);
	SIZE_OK("16K", false, 16 * 1024);
	SIZE_OK("256M", false, UINT64_C(256) << 20);
	SIZE_OK("256m", false, UINT64_C(256) << 20);
	SIZE_OK("2G", false, UINT64_C(2) << 30);
	SIZE_OK("2g", false, UINT64_C(2) << 30);
	SIZE_OK("1T", false, UINT64_C(1) << 40);
	SIZE_OK("3t", false, UINT64_C(3) << 40);
	SIZE_OK("0G", false, 0);
	SIZE_OK("18446744073709551615", false, UINT64_MAX);
}

static void test_size_max(void **state)
{
	(void)state;
	SIZE_OK("max", true, UINT64_MAX);
	SIZE_BAD("max", false, EINVAL);
	SIZE_BAD("MAX", true, EINVAL);
	SIZE_BAD("max ", true, EINVAL);
	SIZE_BAD("1max", true, EINVAL);
}

static void test_size_overflow(void **state)
{
	(void)state;
	/* 2^34 G = 2^64: one past the top. */
	SIZE_BAD("17179869184G", false, ERANGE);
	SIZE_BAD("17179869184G", true, ERANGE);
	SIZE_OK("17179869183G", false, UINT64_C(17179869183) << 30);
	SIZE_BAD("16777216T", false, ERANGE);
	SIZE_OK("16777215T", false, UINT64_C(16777215) << 40);
	SIZE_BAD("18014398509481984K", false, ERANGE);
	SIZE_OK("18014398509481983K", false, UINT64_C(18014398509481983) << 10);
	SIZE_BAD("17592186044416M", false, ERANGE);
	SIZE_BAD("18446744073709551616", false, ERANGE);
	SIZE_BAD("99999999999999999999T", false, ERANGE);
}

static void test_size_malformed(void **state)
{
	(void)state;
	SIZE_BAD("", false, EINVAL);
	SIZE_BAD(NULL, false, EINVAL);
	SIZE_BAD(NULL, true, EINVAL);
	SIZE_BAD("K", false, EINVAL);
	SIZE_BAD("1KK", false, EINVAL);
	SIZE_BAD("1KB", false, EINVAL);
	SIZE_BAD("1KiB", false, EINVAL);
	SIZE_BAD("1P", false, EINVAL);
	SIZE_BAD("1.5G", false, EINVAL);
	SIZE_BAD("-1", false, EINVAL);
	SIZE_BAD("-1K", false, EINVAL);
	SIZE_BAD("+1K", false, EINVAL);
	SIZE_BAD(" 1K", false, EINVAL);
	SIZE_BAD("1K ", false, EINVAL);
	SIZE_BAD("1 K", false, EINVAL);
	SIZE_BAD("0x10", false, EINVAL);
	/* Longer than any real size: refused before parsing. */
	SIZE_BAD("00000000000000000000000000000001K", false, EINVAL);
}

/* ---- parse_mode ------------------------------------------------------ */

static void test_mode(void **state)
{
	(void)state;
	MODE_OK("0", 0);
	MODE_OK("0000", 0);
	MODE_OK("755", 0755);
	MODE_OK("0755", 0755);
	MODE_OK("1777", 01777);
	MODE_OK("01777", 01777);
	MODE_OK("7777", 07777);
	MODE_OK("07777", 07777);
	MODE_BAD("");
	MODE_BAD(NULL);
	MODE_BAD("8");
	MODE_BAD("0798");
	MODE_BAD("17777"); /* above 07777 */
	MODE_BAD("000755"); /* longer than 5 digits */
	MODE_BAD("-755");
	MODE_BAD("+755");
	MODE_BAD(" 755");
	MODE_BAD("755 ");
	MODE_BAD("0o755");
	MODE_BAD("rwx");
}

/* ---- parse_bool ------------------------------------------------------ */

static void test_bool(void **state)
{
	static const char *yes[] = { "on", "yes", "true", "1" };
	static const char *no[] = { "off", "no", "false", "0" };
	static const char *bad[] = { "", "ON", "Yes", "TRUE", "2", "y", "n", "enable", "on ", " off", "onn" };
	bool v;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		v = false;
		assert_int_equal(parse_bool(yes[i], &v), 0);
		assert_true(v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(no); i++) {
		v = true;
		assert_int_equal(parse_bool(no[i], &v), 0);
		assert_false(v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		v = true;
		errno = 0;
		if (parse_bool(bad[i], &v) != -1)
			fail_msg("parse_bool(\"%s\") accepted", bad[i]);
		assert_int_equal(errno, EINVAL);
		assert_true(v);
	}
}

/* ---- parse_container_path ------------------------------------------- */

static void test_path_normalise(void **state)
{
	(void)state;
	PATH_OK("/", "/");
	PATH_OK("//", "/");
	PATH_OK("///", "/");
	PATH_OK("/tmp", "/tmp");
	PATH_OK("/tmp/", "/tmp");
	PATH_OK("//tmp//", "/tmp");
	PATH_OK("/a//b///c/", "/a/b/c");
	PATH_OK("/run/app", "/run/app");
	/* Names that merely contain dots are fine. */
	PATH_OK("/.hidden", "/.hidden");
	PATH_OK("/a/..b/c..", "/a/..b/c..");
	PATH_OK("/...", "/...");
	PATH_OK("/a/.../b", "/a/.../b");
	PATH_OK("/with space/x", "/with space/x");
}

static void test_path_refused(void **state)
{
	(void)state;
	PATH_BAD(NULL, EINVAL);
	PATH_BAD("", EINVAL);
	PATH_BAD("tmp", EINVAL);
	PATH_BAD("tmp/x", EINVAL);
	PATH_BAD("./tmp", EINVAL);
	PATH_BAD("../tmp", EINVAL);
	PATH_BAD(".", EINVAL);
	PATH_BAD("..", EINVAL);
	PATH_BAD("/.", EINVAL);
	PATH_BAD("/..", EINVAL);
	PATH_BAD("/./tmp", EINVAL);
	PATH_BAD("/tmp/.", EINVAL);
	PATH_BAD("/tmp/./", EINVAL);
	PATH_BAD("/tmp/..", EINVAL);
	PATH_BAD("/tmp/../etc", EINVAL);
	PATH_BAD("/a//..//b", EINVAL);
	PATH_BAD("/../../etc/shadow", EINVAL);
}

static void test_path_overlong(void **state)
{
	char out[8];
	char big[PATH_MAX + 64];
	char res[PATH_MAX];

	(void)state;
	/* "/abcdef" needs 8 bytes with its NUL. */
	assert_int_equal(parse_container_path("/abcdef", out, sizeof(out)), 0);
	assert_string_equal(out, "/abcdef");
	errno = 0;
	assert_int_equal(parse_container_path("/abcdefg", out, sizeof(out)), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	/* Slashes folded away do not count against the limit. */
	assert_int_equal(parse_container_path("//a//b//c//", out, sizeof(out)), 0);
	assert_string_equal(out, "/a/b/c");
	assert_int_equal(parse_container_path("/a/b/cd", out, sizeof(out)), 0);
	assert_string_equal(out, "/a/b/cd");
	errno = 0;
	assert_int_equal(parse_container_path("/a/b/c/d", out, sizeof(out)), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	/* Too small a buffer even for "/". */
	errno = 0;
	assert_int_equal(parse_container_path("/", out, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(parse_container_path("/", out, 2), 0);
	assert_string_equal(out, "/");

	/* A path longer than PATH_MAX. */
	big[0] = '/';
	memset(big + 1, 'a', sizeof(big) - 2);
	big[sizeof(big) - 1] = '\0';
	errno = 0;
	assert_int_equal(parse_container_path(big, res, sizeof(res)), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	/* Exactly PATH_MAX - 1 characters fits. */
	big[PATH_MAX - 1] = '\0';
	assert_int_equal(parse_container_path(big, res, sizeof(res)), 0);
	assert_int_equal(strlen(res), PATH_MAX - 1);
}

/* ---- utf8_valid ------------------------------------------------------ */

static void test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid(UTF8("")));
	assert_true(utf8_valid(UTF8("plain ascii ~\x7f")));
	assert_true(utf8_valid(UTF8("a\0b"))); /* NUL is ASCII; len decides */
	assert_true(utf8_valid(UTF8("\xc2\x80")));         /* U+0080 */
	assert_true(utf8_valid(UTF8("caf\xc3\xa9")));      /* é */
	assert_true(utf8_valid(UTF8("\xdf\xbf")));         /* U+07FF */
	assert_true(utf8_valid(UTF8("\xe0\xa0\x80")));     /* U+0800 */
	assert_true(utf8_valid(UTF8("\xe2\x82\xac")));     /* € */
	assert_true(utf8_valid(UTF8("\xed\x9f\xbf")));     /* U+D7FF, below surrogates */
	assert_true(utf8_valid(UTF8("\xee\x80\x80")));     /* U+E000, above */
	assert_true(utf8_valid(UTF8("\xef\xbf\xbf")));     /* U+FFFF */
	assert_true(utf8_valid(UTF8("\xf0\x90\x80\x80"))); /* U+10000 */
	assert_true(utf8_valid(UTF8("\xf0\x9f\x98\x80"))); /* 😀 */
	assert_true(utf8_valid(UTF8("\xf4\x8f\xbf\xbf"))); /* U+10FFFF */
	assert_true(utf8_valid(UTF8("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e ok \xce\xb1\xce\xb2")));
}

static void test_utf8_overlong(void **state)
{
	(void)state;
	assert_false(utf8_valid(UTF8("\xc0\x80")));         /* NUL, 2 bytes */
	assert_false(utf8_valid(UTF8("\xc0\xaf")));         /* '/', 2 bytes */
	assert_false(utf8_valid(UTF8("\xc1\xbf")));         /* U+007F, 2 bytes */
	assert_false(utf8_valid(UTF8("\xe0\x80\x80")));     /* NUL, 3 bytes */
	assert_false(utf8_valid(UTF8("\xe0\x80\xaf")));     /* '/', 3 bytes */
	assert_false(utf8_valid(UTF8("\xe0\x9f\xbf")));     /* U+07FF, 3 bytes */
	assert_false(utf8_valid(UTF8("\xf0\x80\x80\x80"))); /* NUL, 4 bytes */
	assert_false(utf8_valid(UTF8("\xf0\x8f\xbf\xbf"))); /* U+FFFF, 4 bytes */
	assert_false(utf8_valid(UTF8("\xf8\x88\x80\x80\x80")));     /* 5-byte form */
	assert_false(utf8_valid(UTF8("\xfc\x84\x80\x80\x80\x80"))); /* 6-byte form */
}

static void test_utf8_surrogates(void **state)
{
	(void)state;
	assert_false(utf8_valid(UTF8("\xed\xa0\x80"))); /* U+D800 */
	assert_false(utf8_valid(UTF8("\xed\xad\xbf"))); /* U+DB7F */
	assert_false(utf8_valid(UTF8("\xed\xb0\x80"))); /* U+DC00 */
	assert_false(utf8_valid(UTF8("\xed\xbf\xbf"))); /* U+DFFF */
	/* A CESU-8 style surrogate pair for U+1F600. */
	assert_false(utf8_valid(UTF8("\xed\xa0\xbd\xed\xb8\x80")));
}

static void test_utf8_truncated(void **state)
{
	(void)state;
	assert_false(utf8_valid(UTF8("\xc3")));
	assert_false(utf8_valid(UTF8("abc\xc3")));
	assert_false(utf8_valid(UTF8("\xe2\x82")));
	assert_false(utf8_valid(UTF8("\xe2")));
	assert_false(utf8_valid(UTF8("\xf0\x9f\x98")));
	assert_false(utf8_valid(UTF8("\xf0\x9f")));
	/* A valid sequence cut by len, bytes past len never read. */
	assert_false(utf8_valid("\xc3\xa9", 1));
	assert_false(utf8_valid("\xe2\x82\xac", 2));
	assert_false(utf8_valid("\xf0\x9f\x98\x80", 3));
	assert_true(utf8_valid("ab\xc3\xa9", 2));
	/* Interrupted sequences. */
	assert_false(utf8_valid(UTF8("\xc3(")));
	assert_false(utf8_valid(UTF8("\xe2\x82(")));
	assert_false(utf8_valid(UTF8("\xe2(\xac")));
	assert_false(utf8_valid(UTF8("\xf0\x9f\x98(")));
	assert_false(utf8_valid(UTF8("\xc3\0")));
	/* Stray continuation bytes and never-valid bytes. */
	assert_false(utf8_valid(UTF8("\x80")));
	assert_false(utf8_valid(UTF8("a\xbf")));
	assert_false(utf8_valid(UTF8("\xc3\xa9\xa9")));
	assert_false(utf8_valid(UTF8("\xfe")));
	assert_false(utf8_valid(UTF8("\xff")));
	assert_false(utf8_valid(UTF8("ok\xff" "ok")));
}

static void test_utf8_above_max(void **state)
{
	(void)state;
	assert_false(utf8_valid(UTF8("\xf4\x90\x80\x80"))); /* U+110000 */
	assert_false(utf8_valid(UTF8("\xf4\xbf\xbf\xbf")));
	assert_false(utf8_valid(UTF8("\xf5\x80\x80\x80")));
	assert_false(utf8_valid(UTF8("\xf7\xbf\xbf\xbf"))); /* U+1FFFFF */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64_valid),
		cmocka_unit_test(test_u64_overflow),
		cmocka_unit_test(test_u64_malformed),
		cmocka_unit_test(test_u32),
		cmocka_unit_test(test_size_suffixes),
		cmocka_unit_test(test_size_max),
		cmocka_unit_test(test_size_overflow),
		cmocka_unit_test(test_size_malformed),
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_path_normalise),
		cmocka_unit_test(test_path_refused),
		cmocka_unit_test(test_path_overlong),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_overlong),
		cmocka_unit_test(test_utf8_surrogates),
		cmocka_unit_test(test_utf8_truncated),
		cmocka_unit_test(test_utf8_above_max),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
