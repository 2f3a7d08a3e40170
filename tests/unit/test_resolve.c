/* test_resolve.c - open_in_root: the same answer from the user-space walk
 * (kernels before 5.6) as from openat2(RESOLVE_IN_ROOT), on a tree of
 * hostile symlinks; and neither ever leaves the root.
 *
 * The walk is reached the way an old kernel reaches it: a forked child
 * loads a seccomp filter that answers ENOSYS for openat2, resolves every
 * case and reports what it opened; the parent resolves the same cases
 * with the real openat2 and compares.
 */
#include "unit.h"

#include <seccomp.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "resolve.h"

/* What a resolution gave: an inode, or an errno. */
struct outcome {
	dev_t dev;
	ino_t ino;
	int err;
};

static const struct {
	const char *path;
	int flags;
} cases[] = {
	{ "a/b/c", O_PATH },            { "/a/b/c", O_RDONLY },         { "abs/b/c", O_PATH },
	{ "/abs/b", O_PATH },           { "up/a/b/c", O_PATH },         { "up/../../../a", O_PATH },
	{ "../../../a/b", O_PATH },     { "dotdot/x/c", O_PATH },       { "chain/c", O_RDONLY },
	{ "chain", O_PATH | O_NOFOLLOW }, { "abs", O_PATH },            { "abs", O_PATH | O_NOFOLLOW },
	{ "abs", O_RDONLY | O_NOFOLLOW }, { "loop1", O_PATH },          { "loop1/x", O_PATH },
	{ "file/x", O_PATH },           { "missing/x", O_PATH },        { "a/./b/../b/c", O_PATH },
	{ "/", O_PATH },                { "", O_PATH | O_DIRECTORY },   { "a//b///c", O_PATH },
	{ "hostetc", O_PATH },          { "hostetc/passwd", O_PATH },   { "dangling", O_PATH },
	{ "self", O_PATH },             { "a/b/toroot/a", O_PATH },     { "c_file_link/", O_PATH },
	{ "a/", O_PATH | O_DIRECTORY }, { "file", O_PATH | O_DIRECTORY }, { "a/b/c/", O_PATH },
	{ "abs/", O_PATH | O_NOFOLLOW }, { "loop1/", O_PATH },          { "dotdot/x/", O_RDONLY },
	{ "up/", O_PATH },              { "file/", O_PATH },            { "a/b/..", O_PATH },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* An empty file at PATH, or the test fails (a missing file would make
 * both resolvers agree on ENOENT and check less). */
static void make_file(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(close(fd), 0);
}

static void mk_tree(const char *dir)
{
	char p[PATH_MAX];
	static const char *const links[][2] = {
		{ "abs", "/a" },            { "up", "../../.." },        { "loop1", "loop2" },
		{ "loop2", "loop1" },       { "dotdot/x", "../a/b" },    { "chain", "abs/b" },
		{ "hostetc", "/etc" },      { "dangling", "/nowhere" },  { "self", "." },
		{ "a/b/toroot", "../../../../.." }, { "c_file_link", "a/b/c" },
	};

	unit_fmt(p, sizeof(p), "%s/a", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	unit_fmt(p, sizeof(p), "%s/a/b", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	unit_fmt(p, sizeof(p), "%s/dotdot", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	unit_fmt(p, sizeof(p), "%s/a/b/c", dir);
	make_file(p);
	unit_fmt(p, sizeof(p), "%s/file", dir);
	make_file(p);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		unit_fmt(p, sizeof(p), "%s/%s", dir, links[i][0]);
		assert_int_equal(symlink(links[i][1], p), 0);
	}
}

static void resolve_all(int root, struct outcome *out)
{
	for (size_t i = 0; i < NCASES; i++) {
		int fd = open_in_root(root, cases[i].path, cases[i].flags);
		struct stat st;

		memset(&out[i], 0, sizeof(out[i]));
		if (fd < 0) {
			out[i].err = errno;
			continue;
		}
		if (fstat(fd, &st) < 0)
			out[i].err = -errno;
		else
			out[i].dev = st.st_dev, out[i].ino = st.st_ino;
		close(fd);
	}
}

/* The child: openat2 gone, as before Linux 5.6. */
static void resolve_without_openat2(int root, int wfd)
{
	struct outcome out[NCASES];
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0) < 0 ||
	    seccomp_load(ctx) < 0)
		_exit(3);
	seccomp_release(ctx);
	if (syscall(SYS_openat2, root, ".", NULL, 0) == 0 || errno != ENOSYS)
		_exit(4);
	resolve_all(root, out);
	_exit(write_all(wfd, out, sizeof(out)) < 0 ? 5 : 0);
}

static void test_walk_matches_openat2(void **state)
{
	struct unit *u = *state;
	struct outcome real[NCASES], walked[NCASES];
	int root, p[2], status;
	pid_t pid;
	struct stat rst;

	mk_tree(u->dir);
	root = open(u->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(root >= 0);
	assert_int_equal(fstat(root, &rst), 0);
	resolve_all(root, real);
	if (real[0].err == ENOSYS)
		skip(); /* this kernel has no openat2 to compare with */

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		resolve_without_openat2(root, p[1]);
	}
	close(p[1]);
	assert_int_equal(read(p[0], walked, sizeof(walked)), (ssize_t)sizeof(walked));
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	for (size_t i = 0; i < NCASES; i++) {
		if (real[i].err != walked[i].err || real[i].ino != walked[i].ino || real[i].dev != walked[i].dev)
			fail_msg("%s (flags %#x): openat2 gave %s/%ju, the walk %s/%ju", cases[i].path,
				 (unsigned)cases[i].flags, strerror(real[i].err), (uintmax_t)real[i].ino,
				 strerror(walked[i].err), (uintmax_t)walked[i].ino);
		/* Whatever opened is inside the root: same filesystem. */
		if (!walked[i].err)
			assert_true(walked[i].dev == rst.st_dev);
	}
	close(root);
}

/* The cases that matter most, spelled out: escapes land inside. */
static void test_escapes_stay_inside(void **state)
{
	struct unit *u = *state;
	struct stat a, got;
	int root, fd;
	static const char *const to_a[] = { "abs", "up/a", "../../../a", "a/b/toroot/a", "self/self/a" };

	mk_tree(u->dir);
	root = open(u->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(root >= 0);
	assert_int_equal(fstatat(root, "a", &a, 0), 0);
	for (size_t i = 0; i < sizeof(to_a) / sizeof(to_a[0]); i++) {
		fd = open_in_root(root, to_a[i], O_PATH);
		if (fd < 0)
			fail_msg("%s: %s", to_a[i], strerror(errno));
		assert_int_equal(fstat(fd, &got), 0);
		if (got.st_ino != a.st_ino)
			fail_msg("%s did not resolve to <root>/a", to_a[i]);
		close(fd);
	}
	/* The host's /etc/passwd is not reachable through an absolute link. */
	fd = open_in_root(root, "hostetc/passwd", O_PATH);
	assert_true(fd < 0 && errno == ENOENT);
	fd = open_in_root(root, "loop1", O_PATH);
	assert_true(fd < 0 && errno == ELOOP);
	close(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_walk_matches_openat2),
		UNIT_TEST(test_escapes_stay_inside),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
