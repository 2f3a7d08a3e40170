/* test_digest.c - SHA-256 against the FIPS 180-4 vectors, the exact
 * canonical records of a small tree, independence from creation order,
 * sensitivity to one byte, one mode bit and one symlink target, manifest
 * comparison, and the verification cache.
 */
#include "unit.h"

#include <dirent.h>
#include <sys/xattr.h>
#include <time.h>

#include "digest.h"

/* ---- helpers ----------------------------------------------------------- */

static void sha_hex(const void *data, size_t len, char out[65])
{
	struct sha256 c;
	uint8_t d[32];
	char full[DIGEST_LEN];

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, d);
	digest_format(d, full);
	memcpy(out, full + 7, 65);
}

/* An O_PATH fd of REL in the test's dir: the launcher passes O_PATH fds. */
static int root_fd(const struct unit *u, const char *rel)
{
	int fd = open(unit_path(u, rel), O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fail_msg("open %s: %s", rel, strerror(errno));
	return fd;
}

static void digest_of(struct unit *u, const char *rel, char out[DIGEST_LEN])
{
	int fd = root_fd(u, rel);

	if (digest_tree(fd, out, NULL, &u->e) != 0)
		fail_msg("digest %s: %s", rel, u->e.msg);
	close(fd);
}

static void must(int rc, const char *what)
{
	if (rc != 0)
		fail_msg("%s: %s", what, strerror(errno));
}

/* The same small tree, its entries created forwards or in reverse. */
static void make_tree(const struct unit *u, const char *root, bool reverse)
{
	char p[PATH_MAX];

	unit_mkdir(u, root);
	for (int k = 0; k < 4; k++) {
		int i = reverse ? 3 - k : k;

		unit_fmt(p, sizeof(p), "%s/d%d/f%d", root, i, i);
		unit_write(u, p, i % 2 ? "odd\n" : "even\n");
		must(chmod(unit_path(u, p), 0644), "chmod");
		unit_fmt(p, sizeof(p), "%s/d%d", root, i);
		must(chmod(unit_path(u, p), 0755), "chmod dir");
		unit_fmt(p, sizeof(p), "%s/link%d", root, i);
		must(symlink("d0/f0", unit_path(u, p)), "symlink");
	}
	must(chmod(unit_path(u, root), 0755), "chmod root");
}

/* ---- SHA-256 ------------------------------------------------------------- */

static void test_sha256_vectors(void **state)
{
	static const char abc448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char h[65];

	(void)state;
	sha_hex("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha_hex(abc448, strlen(abc448), h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* One million 'a', fed in uneven pieces so every buffering path runs. */
static void test_sha256_million_a(void **state)
{
	static const size_t pieces[] = { 1, 63, 64, 65, 1000, 7, 4096 };
	char chunk[4096], full[DIGEST_LEN];
	struct sha256 c;
	uint8_t d[32];
	size_t done = 0;

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&c);
	for (size_t i = 0; done < 1000000; i++) {
		size_t n = pieces[i % ARRAY_SIZE(pieces)];

		n = n < 1000000 - done ? n : 1000000 - done;
		sha256_update(&c, chunk, n);
		done += n;
	}
	sha256_final(&c, d);
	digest_format(d, full);
	assert_string_equal(full, "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the padding boundary (55, 56, 63, 64 bytes) hashed whole
 * and byte by byte agree. */
static void test_sha256_incremental(void **state)
{
	char data[200], whole[65], bytewise[DIGEST_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + 3);
	for (size_t len = 0; len <= sizeof(data); len++) {
		struct sha256 c;
		uint8_t d[32];

		sha_hex(data, len, whole);
		sha256_init(&c);
		for (size_t i = 0; i < len; i++)
			sha256_update(&c, data + i, 1);
		sha256_final(&c, d);
		digest_format(d, bytewise);
		assert_string_equal(bytewise + 7, whole);
	}
}

/* ---- records --------------------------------------------------------------- */

/* The manifest of a tree with an awkward name, a symlink, a subdirectory
 * and (where the filesystem has user xattrs) an xattr, byte for byte; and
 * the digest is the SHA-256 of exactly those bytes. */
static void test_manifest_records_exact(void **state)
{
	struct unit *u = *state;
	char want[2048], d[DIGEST_LEN], h[65], xa[128] = "";
	unsigned id = (unsigned)getuid(), gid = (unsigned)getgid();
	int fd, out;
	size_t len;

	unit_write(u, "t/a b\n%=", "hi\n");
	must(chmod(unit_path(u, "t/a b\n%="), 0640), "chmod");
	unit_mkdir(u, "t/sub");
	must(chmod(unit_path(u, "t/sub"), 02750), "chmod sub");
	must(chmod(unit_path(u, "t"), 0755), "chmod t");
	must(symlink("a b\n%=", unit_path(u, "t/sub/l")), "symlink");
	/* NAME=VALUE: the separator is the one '=' left unescaped. */
	if (setxattr(unit_path(u, "t/sub"), "user.k", "v=1 x", 5, 0) == 0)
		unit_fmt(xa, sizeof(xa), " xattr.user.k=v%%3D1%%20x");
	else if (errno != ENOTSUP && errno != EOPNOTSUPP)
		fail_msg("setxattr: %s", strerror(errno));

	fd = root_fd(u, "t");
	out = open(unit_path(u, "m"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(out >= 0);
	if (digest_write_manifest(fd, out, d, NULL, &u->e) != 0)
		fail_msg("%s", u->e.msg);
	close(out);
	close(fd);

	unit_fmt(want, sizeof(want),
		 "rampart-digest v1\n"
		 ". type=d mode=0755 uid=%u gid=%u\n"
		 "./a%%20b%%0A%%25%%3D type=f mode=0640 uid=%u gid=%u size=3 "
		 "sha256=98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4\n"
		 "./sub type=d mode=2750 uid=%u gid=%u%s\n"
		 "./sub/l type=l mode=0777 uid=%u gid=%u target=a%%20b%%0A%%25%%3D\n",
		 id, gid, id, gid, id, gid, xa, id, gid);
	{
		FILE *f = fopen(unit_path(u, "m"), "re");
		char got[2048];

		assert_non_null(f);
		len = fread(got, 1, sizeof(got) - 1, f);
		got[len] = '\0';
		fclose(f);
		assert_string_equal(got, want);
		sha_hex(got, len, h);
		assert_string_equal(d + 7, h);
	}
}

/* Bytewise order of full paths: "a.b" (0x2e) sorts between "a" and "a/x"
 * ('/' is 0x2f), not after the whole directory "a". */
static void test_records_sorted_bytewise(void **state)
{
	struct unit *u = *state;
	char d[DIGEST_LEN], got[1024];
	int fd, out;
	size_t len;
	FILE *f;

	unit_write(u, "t/a/x", "");
	unit_write(u, "t/a.b", "");
	unit_write(u, "t/B", "");
	fd = root_fd(u, "t");
	out = open(unit_path(u, "m"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_int_equal(digest_write_manifest(fd, out, d, NULL, &u->e), 0);
	close(out);
	close(fd);
	f = fopen(unit_path(u, "m"), "re");
	assert_non_null(f);
	len = fread(got, 1, sizeof(got) - 1, f);
	got[len] = '\0';
	fclose(f);
	{
		const char *order[] = { "\n. ", "\n./B ", "\n./a ", "\n./a.b ", "\n./a/x " };
		const char *prev = got;

		for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
			const char *at = strstr(got, order[i]);

			if (!at || at < prev)
				fail_msg("%s out of order in:\n%s", order[i] + 1, got);
			prev = at;
		}
	}
}

/* ---- the digest ----------------------------------------------------------- */

static void test_digest_independent_of_creation_order(void **state)
{
	struct unit *u = *state;
	char a[DIGEST_LEN], b[DIGEST_LEN];
	struct digest_stats st;
	int fd;

	make_tree(u, "one", false);
	make_tree(u, "two", true);
	digest_of(u, "one", a);
	digest_of(u, "two", b);
	assert_string_equal(a, b);
	fd = root_fd(u, "one");
	assert_int_equal(digest_tree(fd, a, &st, &u->e), 0);
	close(fd);
	assert_int_equal(st.entries, 13);
	assert_int_equal(st.files, 4);
	assert_int_equal(st.dirs, 5);
	assert_int_equal(st.symlinks, 4);
	assert_int_equal(st.bytes, 2 * 4 + 2 * 5);
}

/* Timestamps are not part of the digest. */
static void test_digest_ignores_times(void **state)
{
	struct unit *u = *state;
	const struct timespec old[2] = { { 1000000, 0 }, { 1000000, 0 } };
	char a[DIGEST_LEN], b[DIGEST_LEN];

	make_tree(u, "t", false);
	digest_of(u, "t", a);
	must(utimensat(AT_FDCWD, unit_path(u, "t/d1/f1"), old, 0), "utimensat");
	digest_of(u, "t", b);
	assert_string_equal(a, b);
}

static void test_digest_sensitive(void **state)
{
	struct unit *u = *state;
	char base[DIGEST_LEN], d[DIGEST_LEN];

	make_tree(u, "t", false);
	digest_of(u, "t", base);

	unit_write(u, "t/d1/f1", "odD\n"); /* one byte */
	digest_of(u, "t", d);
	assert_string_not_equal(base, d);
	unit_write(u, "t/d1/f1", "odd\n");
	digest_of(u, "t", d);
	assert_string_equal(base, d);

	must(chmod(unit_path(u, "t/d2"), 0754), "chmod"); /* one mode bit */
	digest_of(u, "t", d);
	assert_string_not_equal(base, d);
	must(chmod(unit_path(u, "t/d2"), 0755), "chmod");

	must(unlink(unit_path(u, "t/link3")), "unlink"); /* one symlink target */
	must(symlink("d0/f1", unit_path(u, "t/link3")), "symlink");
	digest_of(u, "t", d);
	assert_string_not_equal(base, d);
}

static void test_digest_not_a_directory(void **state)
{
	struct unit *u = *state;
	char d[DIGEST_LEN];
	int fd;

	unit_write(u, "file", "x");
	fd = open(unit_path(u, "file"), O_RDONLY | O_CLOEXEC);
	assert_int_equal(digest_tree(fd, d, NULL, &u->e), -1);
	close(fd);
	assert_err(u, "digest: the rootfs: Not a directory");
}

/* More entries than the first allocation holds (256), several levels deep:
 * the walk must not keep pointers into its growing array. */
static void test_digest_wide_tree(void **state)
{
	struct unit *u = *state;
	char p[64], d[DIGEST_LEN];
	struct digest_stats st;
	int fd;

	for (int i = 0; i < 300; i++) {
		unit_fmt(p, sizeof(p), "t/a/b%d/f", i % 3);
		unit_fmt(p + strlen(p), sizeof(p) - strlen(p), "%03d", i);
		unit_write(u, p, "x");
	}
	fd = root_fd(u, "t");
	if (digest_tree(fd, d, &st, &u->e) != 0)
		fail_msg("%s", u->e.msg);
	close(fd);
	assert_int_equal(st.files, 300);
	assert_int_equal(st.dirs, 5);
}

/* ---- manifest comparison ---------------------------------------------------- */

static int compare(struct unit *u, char *diff, size_t len)
{
	int fd = root_fd(u, "t");
	int rc = digest_compare_manifest(fd, unit_path(u, "m"), diff, len, &u->e);

	close(fd);
	return rc;
}

static void write_manifest(struct unit *u)
{
	char d[DIGEST_LEN];
	int fd = root_fd(u, "t");
	int out = open(unit_path(u, "m"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(out >= 0);
	if (digest_write_manifest(fd, out, d, NULL, &u->e) != 0)
		fail_msg("%s", u->e.msg);
	close(out);
	close(fd);
}

static void test_compare_names_first_difference(void **state)
{
	struct unit *u = *state;
	char diff[PATH_MAX];

	make_tree(u, "t", false);
	write_manifest(u);
	assert_int_equal(compare(u, diff, sizeof(diff)), 0);

	unit_write(u, "t/d2/f2", "EVEN\n"); /* changed */
	unit_write(u, "t/d3/f3", "ODD\n");
	assert_int_equal(compare(u, diff, sizeof(diff)), 1);
	assert_string_equal(diff, "./d2/f2");

	write_manifest(u);
	unit_write(u, "t/d1/new file", ""); /* added */
	assert_int_equal(compare(u, diff, sizeof(diff)), 1);
	assert_string_equal(diff, "./d1/new%20file");

	write_manifest(u);
	must(unlink(unit_path(u, "t/link0")), "unlink"); /* removed */
	assert_int_equal(compare(u, diff, sizeof(diff)), 1);
	assert_string_equal(diff, "./link0");

	write_manifest(u);
	must(unlink(unit_path(u, "t/link3")), "unlink"); /* removed last */
	assert_int_equal(compare(u, diff, sizeof(diff)), 1);
	assert_string_equal(diff, "./link3");
}

static void test_compare_rejects_other_files(void **state)
{
	struct unit *u = *state;
	char diff[64];

	make_tree(u, "t", false);
	unit_write(u, "m", "not a manifest\n");
	assert_int_equal(compare(u, diff, sizeof(diff)), -1);
	assert_err(u, "digest: %s: not a rampart digest manifest (v1)", unit_path(u, "m"));
	must(unlink(unit_path(u, "m")), "unlink");
	assert_int_equal(compare(u, diff, sizeof(diff)), -1);
	assert_err(u, "digest: %s: No such file or directory", unit_path(u, "m"));
}

/* A manifest cut short (its last record lost its newline) differs there. */
static void test_compare_truncated_manifest(void **state)
{
	struct unit *u = *state;
	char diff[64];
	struct stat st;

	make_tree(u, "t", false);
	write_manifest(u);
	must(stat(unit_path(u, "m"), &st), "stat");
	must(truncate(unit_path(u, "m"), st.st_size - 1), "truncate");
	assert_int_equal(compare(u, diff, sizeof(diff)), 1);
	assert_string_equal(diff, "./link3");
}

/* ---- the cache ---------------------------------------------------------------- */

static bool cached(struct unit *u, char out[DIGEST_LEN])
{
	int fd = root_fd(u, "t");
	bool hit = true;

	if (digest_tree_cached(fd, unit_path(u, "cache"), out, &hit, &u->e) != 0)
		fail_msg("cached: %s", u->e.msg);
	close(fd);
	return hit;
}

/* The only entry in the cache dir. */
static const char *cache_entry(struct unit *u)
{
	static char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(unit_path(u, "cache"));
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			unit_fmt(path, sizeof(path), "%s/%s", unit_path(u, "cache"), de->d_name);
			n++;
		}
	closedir(d);
	assert_int_equal(n, 1);
	return path;
}

/* Hits after a miss, rebuilds a corrupt entry, misses after a change; a
 * tree changed within the last seconds is never stored (it could change
 * again within its timestamp tick). One test: it sleeps past that window. */
static void test_cache(void **state)
{
	struct unit *u = *state;
	char full[DIGEST_LEN], d[DIGEST_LEN];

	make_tree(u, "t", false);
	digest_of(u, "t", full);
	assert_false(cached(u, d)); /* just made: racy, not stored */
	assert_string_equal(d, full);
	assert_false(cached(u, d));

	sleep(3);
	assert_false(cached(u, d));
	assert_string_equal(d, full);
	assert_true(cached(u, d));
	assert_string_equal(d, full);

	unit_write(u, cache_entry(u) + strlen(u->dir) + 1, "sha256:0000\n"); /* corrupt */
	assert_false(cached(u, d));
	assert_string_equal(d, full);
	assert_true(cached(u, d));
	assert_string_equal(d, full);

	unit_write(u, "t/d0/f0", "EVEN\n"); /* same size, new content */
	assert_false(cached(u, d));
	assert_string_not_equal(d, full);
	digest_of(u, "t", full);
	assert_string_equal(d, full);
}

static void test_cache_dir_must_be_private(void **state)
{
	struct unit *u = *state;
	char d[DIGEST_LEN];
	bool hit;
	int fd;

	make_tree(u, "t", false);
	unit_mkdir(u, "cache");
	must(chmod(unit_path(u, "cache"), 0777), "chmod");
	fd = root_fd(u, "t");
	assert_int_equal(digest_tree_cached(fd, unit_path(u, "cache"), d, &hit, &u->e), -1);
	close(fd);
	assert_err(u, "digest: cache %s: must belong to uid %u and be writable by it alone",
		   unit_path(u, "cache"), (unsigned)geteuid());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_sha256_vectors),
		UNIT_TEST(test_sha256_million_a),
		UNIT_TEST(test_sha256_incremental),
		UNIT_TEST(test_manifest_records_exact),
		UNIT_TEST(test_records_sorted_bytewise),
		UNIT_TEST(test_digest_independent_of_creation_order),
		UNIT_TEST(test_digest_ignores_times),
		UNIT_TEST(test_digest_sensitive),
		UNIT_TEST(test_digest_not_a_directory),
		UNIT_TEST(test_digest_wide_tree),
		UNIT_TEST(test_compare_names_first_difference),
		UNIT_TEST(test_compare_rejects_other_files),
		UNIT_TEST(test_compare_truncated_manifest),
		UNIT_TEST(test_cache),
		UNIT_TEST(test_cache_dir_must_be_private),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
