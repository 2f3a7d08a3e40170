/* test_cgroup.c - cgroup v2 limits: the `limit` and `cgroup` profile lines
 * (resources.c), and the cgroup directory code (cgroup.c) run against a
 * fake cgroup tree in the test's temp directory.
 *
 * A fake tree is plain directories and regular files, which differ from
 * cgroupfs in ways the tests have to work around:
 *
 *  - write_file_at() opens O_WRONLY without O_CREAT or O_TRUNC. A file
 *    that is missing cannot be written (cgroupfs makes every interface
 *    file itself), so the tests pre-create the files empty; and a second
 *    write to the same regular file overwrites it from offset 0 instead of
 *    being a separate command. Where one file takes several writes
 *    (io.max per device, cgroup.subtree_control per controller) the tests
 *    use a FIFO that they hold open O_RDWR: every write lands in the pipe
 *    in order and the test reads the concatenation back.
 *  - cgroup_create() makes the container's directory with mkdirat(), so
 *    the directory is always new and empty in a fake tree: writing any
 *    limit into it fails with ENOENT. That is the failure path ("nothing
 *    is left behind"); the success path is tested with no limits set, and
 *    cgroup_write_limits() separately on a prepared directory.
 *  - rmdir() of a cgroup directory succeeds on cgroupfs although it holds
 *    interface files; in a fake tree only an empty directory can be
 *    removed. cgroup_destroy() tolerates missing cgroup.kill, cgroup.procs
 *    and cgroup.events, so the gc and destroy tests use empty directories.
 *
 * Tests named test_regression_* guard bugs this suite found (now fixed),
 * each described above it.
 */
#include "unit.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "resources.h"

/* Every interface file a fake cgroup directory gets. */
static const char *const iface[] = {
	"cgroup.controllers", "cgroup.subtree_control", "cgroup.events", "cgroup.procs",
	"memory.max",         "memory.high",            "memory.swap.max", "memory.oom.group",
	"cpu.max",            "cpu.weight",             "cpuset.cpus",   "io.max",
	"io.weight",          "pids.max",
};

/* ---- helpers ---------------------------------------------------------- */

/* Contents of REL in the temp dir (a ring of four buffers). */
static const char *slurp(const struct unit *u, const char *rel)
{
	static char ring[4][4096];
	static unsigned next;
	char *buf = ring[next++ % 4];
	int fd = open(unit_path(u, rel), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		fail_msg("open %s: %s", rel, strerror(errno));
	n = read(fd, buf, sizeof(ring[0]) - 1);
	close(fd);
	if (n < 0)
		fail_msg("read %s: %s", rel, strerror(errno));
	buf[n] = '\0';
	return buf;
}

static bool exists(const struct unit *u, const char *rel)
{
	struct stat st;

	return lstat(unit_path(u, rel), &st) == 0;
}

/* A fake cgroup directory REL with every interface file, empty. */
static void fake_cgroup(const struct unit *u, const char *rel)
{
	char p[PATH_MAX];

	unit_mkdir(u, rel);
	for (size_t i = 0; i < ARRAY_SIZE(iface); i++) {
		unit_fmt(p, sizeof(p), "%s/%s", rel, iface[i]);
		unit_write(u, p, "");
	}
}

static int open_dir(const struct unit *u, const char *rel)
{
	int fd = open(unit_path(u, rel), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fail_msg("open %s: %s", rel, strerror(errno));
	return fd;
}

/* Replace REL with a FIFO held open O_RDWR|O_NONBLOCK (returned): writers
 * never block, and reading it back gets every write in order. */
static int fifo(const struct unit *u, const char *rel)
{
	const char *p = unit_path(u, rel);
	int fd;

	unlink(p);
	if (mkfifo(p, 0600) < 0)
		fail_msg("mkfifo %s: %s", rel, strerror(errno));
	fd = open(p, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open %s: %s", rel, strerror(errno));
	return fd;
}

/* Everything written into a FIFO from fifo(). */
static const char *drain(int fd)
{
	static char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* DIR holds exactly the interface files, each empty but for the FILE,
 * VALUE pairs in `want` (NULL-terminated). */
static void assert_written(const struct unit *u, const char *dir, const char *const *want)
{
	char p[PATH_MAX];
	size_t n = 0, w;
	DIR *d;
	struct dirent *de;

	for (size_t i = 0; i < ARRAY_SIZE(iface); i++) {
		const char *expect = "";

		for (w = 0; want[w]; w += 2)
			if (!strcmp(want[w], iface[i]))
				expect = want[w + 1];
		unit_fmt(p, sizeof(p), "%s/%s", dir, iface[i]);
		if (strcmp(slurp(u, p), expect) != 0)
			fail_msg("%s: \"%s\", expected \"%s\"", p, slurp(u, p), expect);
	}
	/* Every expected file is an interface file... */
	for (w = 0; want[w]; w += 2) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(iface) && strcmp(want[w], iface[i]); i++)
			;
		if (i == ARRAY_SIZE(iface))
			fail_msg("test bug: %s is not in iface[]", want[w]);
	}
	/* ...and nothing else appeared. */
	d = opendir(unit_path(u, dir));
	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	assert_int_equal(n, ARRAY_SIZE(iface));
}

/* Load TEXT into a fresh spec and write its limits into a fresh fake
 * cgroup directory DIR. */
static void write_case(struct unit *u, const char *dir, const char *text)
{
	int fd;

	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, text);
	fake_cgroup(u, dir);
	fd = open_dir(u, dir);
	if (cgroup_write_limits(fd, &u->s.limits, &u->e) < 0)
		fail_msg("%s: %s", text, u->e.msg);
	close(fd);
}

static const char *print_limits(struct unit *u, int slot, const struct resources_spec *l)
{
	FILE *f = unit_text_open(u, slot);

	limits_print(l, f);
	return unit_text_close(u, slot, f);
}

static const char *controllers(const struct resources_spec *l)
{
	static char buf[64];

	limits_controllers(l, buf, sizeof(buf));
	return buf;
}

static void assert_value(const struct limit_value *v, uint64_t value, unsigned line)
{
	assert_true(v->set);
	assert_int_equal(v->value, value);
	assert_non_null(v->file);
	assert_string_equal(v->file, "t.profile");
	assert_int_equal(v->line, line);
}

static void assert_value_equal(const struct limit_value *a, const struct limit_value *b)
{
	assert_int_equal(a->set, b->set);
	if (a->set)
		assert_int_equal(a->value, b->value);
}

static void assert_str_or_null(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Every limit a profile can set (not origins, not rdev). */
static void assert_limits_equal(const struct resources_spec *a, const struct resources_spec *b)
{
	assert_value_equal(&a->memory, &b->memory);
	assert_value_equal(&a->memory_high, &b->memory_high);
	assert_value_equal(&a->swap, &b->swap);
	assert_value_equal(&a->pids, &b->pids);
	assert_value_equal(&a->cpu_quota, &b->cpu_quota);
	if (a->cpu_quota.set)
		assert_int_equal(a->cpu_period, b->cpu_period);
	assert_value_equal(&a->cpu_weight, &b->cpu_weight);
	assert_value_equal(&a->io_weight, &b->io_weight);
	assert_str_or_null(a->cpuset, b->cpuset);
	assert_int_equal(a->nio, b->nio);
	for (size_t i = 0; i < a->nio; i++) {
		assert_string_equal(a->io[i].device, b->io[i].device);
		assert_int_equal(a->io[i].rbps, b->io[i].rbps);
		assert_int_equal(a->io[i].wbps, b->io[i].wbps);
		assert_int_equal(a->io[i].riops, b->io[i].riops);
		assert_int_equal(a->io[i].wiops, b->io[i].wiops);
	}
	assert_str_or_null(a->parent, b->parent);
	assert_int_equal(a->optional, b->optional);
}

/* Print the test spec's limits, load them into s2, compare. */
static void round_trip(struct unit *u)
{
	const char *out = print_limits(u, 0, &u->s.limits);

	spec_free(&u->s2);
	spec_init(&u->s2);
	if (profile_load_text(&u->s2, out, strlen(out), "printed", &u->e) < 0)
		fail_msg("reloading the printed limits: %s\n%s", u->e.msg, out);
	assert_limits_equal(&u->s.limits, &u->s2.limits);
}

/* The first block device under /dev, or NULL. */
static const char *find_block_device(struct stat *st)
{
	static char path[PATH_MAX];
	DIR *d = opendir("/dev");
	struct dirent *de;
	const char *found = NULL;

	if (!d)
		return NULL;
	while (!found && (de = readdir(d))) {
		unit_fmt(path, sizeof(path), "/dev/%s", de->d_name);
		if (stat(path, st) == 0 && S_ISBLK(st->st_mode))
			found = path;
	}
	closedir(d);
	return found;
}

/* A pid that was just used and is now free: a reaped child's. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return pid;
}

/* A child whose comm is NAME, stopped in pause() until killed. */
static pid_t named_child(const char *name)
{
	int p[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		prctl(PR_SET_NAME, name, 0, 0, 0);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static void kill_child(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/* ---- limit lines: every resource -------------------------------------- */

static void test_defaults(void **state)
{
	struct unit *u = *state;
	const struct resources_spec *l = &u->s.limits;

	assert_false(limits_any(l));
	assert_false(l->memory.set || l->memory_high.set || l->swap.set || l->pids.set ||
		     l->cpu_quota.set || l->cpu_weight.set || l->io_weight.set);
	assert_null(l->cpuset);
	assert_int_equal(l->nio, 0);
	assert_null(l->parent);
	assert_false(l->optional);
	assert_string_equal(controllers(l), "");
	assert_string_equal(print_limits(u, 0, l), "cgroup required\n");
}

static void test_limit_memory(void **state)
{
	struct unit *u = *state;
	struct resources_spec *l = &u->s.limits;

	assert_load_ok(u, "limit memory 256M\n");
	assert_value(&l->memory, 256u << 20, 1);
	assert_true(limits_any(l));
	assert_false(l->memory_high.set || l->swap.set);

	assert_load_ok(u, "limit memory 4096\nlimit memory-high 512K\nlimit swap 0\n");
	assert_value(&l->memory, 4096, 1);
	assert_value(&l->memory_high, 512u << 10, 2);
	assert_value(&l->swap, 0, 3);

	assert_load_ok(u, "limit memory 2G\nlimit memory-high 1g\nlimit swap 1T\n");
	assert_value(&l->memory, UINT64_C(2) << 30, 1);
	assert_value(&l->memory_high, UINT64_C(1) << 30, 2);
	assert_value(&l->swap, UINT64_C(1) << 40, 3);

	assert_load_ok(u, "limit memory 3m\nlimit memory-high 4k\nlimit swap 1K\n");
	assert_value(&l->memory, 3u << 20, 1);
	assert_value(&l->memory_high, 4096, 2);
	assert_value(&l->swap, 1024, 3); /* swap may be below a page */

	assert_load_ok(u, "limit memory max\nlimit memory-high max\nlimit swap max\n");
	assert_value(&l->memory, LIMIT_MAX, 1);
	assert_value(&l->memory_high, LIMIT_MAX, 2);
	assert_value(&l->swap, LIMIT_MAX, 3);
}

static void test_limit_memory_override(void **state)
{
	struct unit *u = *state;
	struct resources_spec *l = &u->s.limits;

	assert_load_ok(u, "limit memory 1G\n# later wins\nlimit memory 32M\n");
	assert_value(&l->memory, 32u << 20, 3);
	assert_load_ok(u, "limit memory max\n");
	assert_value(&l->memory, LIMIT_MAX, 1);
	assert_load_ok(u, "limit swap 0\nlimit swap 64M\n");
	assert_value(&l->swap, 64u << 20, 2);
	/* memory, memory-high and swap are separate settings. */
	assert_value(&l->memory, LIMIT_MAX, 1);
}

static void test_limit_cpu(void **state)
{
	struct unit *u = *state;
	struct resources_spec *l = &u->s.limits;

	assert_load_ok(u, "limit cpu 1.5\n");
	assert_value(&l->cpu_quota, 150000, 1);
	assert_int_equal(l->cpu_period, 100000);
	assert_true(limits_any(l));

	assert_load_ok(u, "limit cpu 0.25\n");
	assert_value(&l->cpu_quota, 25000, 1);
	assert_load_ok(u, "limit cpu 2\n");
	assert_value(&l->cpu_quota, 200000, 1);
	assert_load_ok(u, "limit cpu .5\n");
	assert_value(&l->cpu_quota, 50000, 1);
	assert_load_ok(u, "limit cpu 0.01\n"); /* 1ms of 100ms: the minimum */
	assert_value(&l->cpu_quota, 1000, 1);
	assert_load_ok(u, "limit cpu 1.123456\n");
	assert_value(&l->cpu_quota, 112345, 1);

	assert_load_ok(u, "limit cpu 1.5 period=50000\n");
	assert_value(&l->cpu_quota, 75000, 1);
	assert_int_equal(l->cpu_period, 50000);
	assert_load_ok(u, "limit cpu 0.001 period=1000000\n");
	assert_value(&l->cpu_quota, 1000, 1);
	assert_int_equal(l->cpu_period, 1000000);
	assert_load_ok(u, "limit cpu 1 period=1000\n");
	assert_value(&l->cpu_quota, 1000, 1);
	assert_int_equal(l->cpu_period, 1000);

	/* A later line without period= goes back to the default period. */
	assert_load_ok(u, "limit cpu 3\n");
	assert_value(&l->cpu_quota, 300000, 1);
	assert_int_equal(l->cpu_period, 100000);

	assert_load_ok(u, "limit cpu max\n");
	assert_value(&l->cpu_quota, LIMIT_MAX, 1);
	assert_int_equal(l->cpu_period, 100000);
	assert_load_ok(u, "limit cpu max period=20000\n");
	assert_value(&l->cpu_quota, LIMIT_MAX, 1);
	assert_int_equal(l->cpu_period, 20000);
}

static void test_limit_weights_pids_cpuset(void **state)
{
	struct unit *u = *state;
	struct resources_spec *l = &u->s.limits;

	assert_load_ok(u, "limit cpu-weight 1\nlimit io-weight 10000\nlimit pids 128\nlimit cpuset 0-1,3\n");
	assert_value(&l->cpu_weight, 1, 1);
	assert_value(&l->io_weight, 10000, 2);
	assert_value(&l->pids, 128, 3);
	assert_string_equal(l->cpuset, "0-1,3");
	assert_false(l->cpu_quota.set);

	assert_load_ok(u, "limit cpu-weight 10000\nlimit io-weight 1\nlimit pids max\nlimit cpuset 7\n");
	assert_value(&l->cpu_weight, 10000, 1);
	assert_value(&l->io_weight, 1, 2);
	assert_value(&l->pids, LIMIT_MAX, 3);
	assert_string_equal(l->cpuset, "7");

	assert_load_ok(u, "limit pids 1\n");
	assert_value(&l->pids, 1, 1);
}

static void test_limit_io(void **state)
{
	struct unit *u = *state;
	struct resources_spec *l = &u->s.limits;

	assert_load_ok(u, "limit io /dev/vda rbps=1M\n");
	assert_int_equal(l->nio, 1);
	assert_string_equal(l->io[0].device, "/dev/vda");
	assert_int_equal(l->io[0].rbps, 1u << 20);
	assert_int_equal(l->io[0].wbps, 0);
	assert_int_equal(l->io[0].riops, 0);
	assert_int_equal(l->io[0].wiops, 0);
	assert_string_equal(l->io[0].file, "t.profile");
	assert_int_equal(l->io[0].line, 1);
	assert_true(limits_any(l));

	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "limit io /dev/vdb wbps=10K\n");
	assert_int_equal(l->io[0].wbps, 10240);
	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "limit io /dev/vdb riops=1000\n");
	assert_int_equal(l->io[0].riops, 1000);
	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "limit io /dev/vdb wiops=2k\n");
	assert_int_equal(l->io[0].wiops, 2048);

	/* Several keys, any order; a repeated key: the last wins; max. */
	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "\nlimit io /dev/vda wiops=4 riops=3 wbps=2G rbps=1 rbps=5 wbps=max\n");
	assert_int_equal(l->nio, 1);
	assert_int_equal(l->io[0].rbps, 5);
	assert_int_equal(l->io[0].wbps, LIMIT_MAX);
	assert_int_equal(l->io[0].riops, 3);
	assert_int_equal(l->io[0].wiops, 4);
	assert_int_equal(l->io[0].line, 2);
}

static void test_limit_io_override(void **state)
{
	struct unit *u = *state;
	struct resources_spec *l = &u->s.limits;

	/* The same device: the later line replaces the whole entry. */
	assert_load_ok(u, "limit io /dev/vda rbps=1M wbps=2M\nlimit io /dev/vda riops=100\n");
	assert_int_equal(l->nio, 1);
	assert_string_equal(l->io[0].device, "/dev/vda");
	assert_int_equal(l->io[0].rbps, 0);
	assert_int_equal(l->io[0].wbps, 0);
	assert_int_equal(l->io[0].riops, 100);
	assert_int_equal(l->io[0].line, 2);

	/* Different devices add up, in order. */
	assert_load_ok(u, "limit io /dev/vdb wbps=3\nlimit io /dev/vda wiops=9\n");
	assert_int_equal(l->nio, 2);
	assert_string_equal(l->io[0].device, "/dev/vda");
	assert_int_equal(l->io[0].riops, 0);
	assert_int_equal(l->io[0].wiops, 9);
	assert_int_equal(l->io[0].line, 2);
	assert_string_equal(l->io[1].device, "/dev/vdb");
	assert_int_equal(l->io[1].wbps, 3);
	assert_int_equal(l->io[1].line, 1);
}

static void test_limit_io_too_many(void **state)
{
	struct unit *u = *state;
	char line[64];

	for (int i = 0; i < LIMITS_MAX_IO; i++) {
		unit_fmt(line, sizeof(line), "limit io /dev/d%d rbps=1\n", i);
		assert_load_ok(u, line);
	}
	assert_int_equal(u->s.limits.nio, LIMITS_MAX_IO);
	/* Replacing one of the sixteen is fine... */
	assert_load_ok(u, "limit io /dev/d3 wbps=2\n");
	assert_int_equal(u->s.limits.nio, LIMITS_MAX_IO);
	assert_int_equal(u->s.limits.io[3].wbps, 2);
	/* ...a seventeenth is not. */
	assert_load_err(u, "limit io /dev/d16 rbps=1\n", "t.profile:1: limit io: at most 16 devices");
	assert_int_equal(u->s.limits.nio, LIMITS_MAX_IO);
}

static void test_cgroup_directive(void **state)
{
	struct unit *u = *state;
	struct resources_spec *l = &u->s.limits;

	assert_load_ok(u, "cgroup parent /x/y\n");
	assert_string_equal(l->parent, "/x/y");
	assert_false(limits_any(l)); /* placement alone is no limit */
	assert_load_ok(u, "cgroup parent //a//b/\n");
	assert_string_equal(l->parent, "/a/b");
	assert_load_ok(u, "cgroup parent /one\n");
	assert_string_equal(l->parent, "/one");

	assert_false(l->optional);
	assert_load_ok(u, "cgroup optional\n");
	assert_true(l->optional);
	assert_load_ok(u, "cgroup required\n");
	assert_false(l->optional);
	assert_load_ok(u, "cgroup optional\ncgroup required\ncgroup optional\n");
	assert_true(l->optional);
}

static void test_apply_line(void **state)
{
	struct unit *u = *state;
	struct resources_spec *l = &u->s.limits;

	assert_int_equal(profile_apply_line(&u->s, "limit memory 1G", "--set", 0, &u->e), 0);
	assert_true(l->memory.set);
	assert_int_equal(l->memory.value, UINT64_C(1) << 30);
	assert_string_equal(l->memory.file, "--set");
	assert_int_equal(l->memory.line, 0);
	assert_int_equal(profile_apply_line(&u->s, "limit cpu 0.5 period=10000", "--set", 0, &u->e), 0);
	assert_int_equal(l->cpu_quota.value, 5000);
	assert_int_equal(l->cpu_period, 10000);
	assert_int_equal(profile_apply_line(&u->s, "cgroup optional", "--set", 0, &u->e), 0);
	assert_true(l->optional);

	assert_int_equal(profile_apply_line(&u->s, "limit memory lots", "--set", 0, &u->e), -1);
	assert_err(u, "--set: limit memory: bad size 'lots' (e.g. 256M, 2G, or max)");
	assert_int_equal(profile_apply_line(&u->s, "limit pids 0", "x.profile", 7, &u->e), -1);
	assert_err(u, "x.profile:7: limit pids: bad value '0' (a number above 0, or max)");
	/* The failed lines changed nothing. */
	assert_int_equal(l->memory.value, UINT64_C(1) << 30);
	assert_false(l->pids.set);
}

/* ---- limit lines: errors ------------------------------------------------ */

static void test_limit_errors(void **state)
{
	struct unit *u = *state;

	assert_load_err(u, "limit memory lots\n",
			"t.profile:1: limit memory: bad size 'lots' (e.g. 256M, 2G, or max)");
	assert_load_err(u, "limit memory 1G\nlimit memory lots\n",
			"t.profile:2: limit memory: bad size 'lots' (e.g. 256M, 2G, or max)");
	assert_load_err(u, "limit memory-high 1X\n",
			"t.profile:1: limit memory-high: bad size '1X' (e.g. 256M, 2G, or max)");
	assert_load_err(u, "limit swap -1\n",
			"t.profile:1: limit swap: bad size '-1' (e.g. 256M, 2G, or max)");
	assert_load_err(u, "limit memory 100\n", "t.profile:1: limit memory: 100 is below one page");
	assert_load_err(u, "limit memory-high 0\n", "t.profile:1: limit memory-high: 0 is below one page");
	assert_load_err(u, "limit memory 1G 2G\n", "t.profile:1: limit memory: too many arguments");

	assert_load_err(u, "limit cpu -1\n",
			"t.profile:1: limit cpu: bad value '-1' (CPUs, e.g. 0.5 or 2, or max)");
	assert_load_err(u, "limit cpu 0\n",
			"t.profile:1: limit cpu: bad value '0' (CPUs, e.g. 0.5 or 2, or max)");
	assert_load_err(u, "limit cpu 0.0001\n",
			"t.profile:1: limit cpu: bad value '0.0001' (CPUs, e.g. 0.5 or 2, or max)");
	assert_load_err(u, "limit cpu 1.1234567\n",
			"t.profile:1: limit cpu: bad value '1.1234567' (CPUs, e.g. 0.5 or 2, or max)");
	assert_load_err(u, "limit cpu 1.\n",
			"t.profile:1: limit cpu: bad value '1.' (CPUs, e.g. 0.5 or 2, or max)");
	assert_load_err(u, "limit cpu 1025\n",
			"t.profile:1: limit cpu: bad value '1025' (CPUs, e.g. 0.5 or 2, or max)");
	assert_load_err(u, "limit cpu 2 period=5\n",
			"t.profile:1: limit cpu: bad period 'period=5' (period=1000..1000000 microseconds)");
	assert_load_err(u, "limit cpu 2 period=1000001\n",
			"t.profile:1: limit cpu: bad period 'period=1000001' (period=1000..1000000 microseconds)");
	assert_load_err(u, "limit cpu 2 quota=5\n",
			"t.profile:1: limit cpu: bad period 'quota=5' (period=1000..1000000 microseconds)");
	assert_load_err(u, "limit cpu 2 period=1000 x\n", "t.profile:1: limit cpu: too many arguments");

	assert_load_err(u, "limit cpu-weight 0\n", "t.profile:1: limit cpu-weight: bad weight '0' (1 to 10000)");
	assert_load_err(u, "limit cpu-weight 10001\n",
			"t.profile:1: limit cpu-weight: bad weight '10001' (1 to 10000)");
	assert_load_err(u, "limit io-weight max\n", "t.profile:1: limit io-weight: bad weight 'max' (1 to 10000)");
	assert_load_err(u, "limit pids 0\n", "t.profile:1: limit pids: bad value '0' (a number above 0, or max)");
	assert_load_err(u, "limit pids 1K\n", "t.profile:1: limit pids: bad value '1K' (a number above 0, or max)");
	assert_load_err(u, "limit cpuset a-b\n", "t.profile:1: limit cpuset: bad CPU list 'a-b' (e.g. 0-1,3)");
	assert_load_err(u, "limit cpuset max\n", "t.profile:1: limit cpuset: bad CPU list 'max' (e.g. 0-1,3)");

	assert_load_err(u, "limit io dev rbps=1M\n",
			"t.profile:1: limit io: device 'dev' must be an absolute path (e.g. /dev/vda)");
	assert_load_err(u, "limit io /dev/vda\n",
			"t.profile:1: limit io: expected DEVICE rbps=N wbps=N riops=N wiops=N (at least one)");
	assert_load_err(u, "limit io /dev/vda speed=1\n",
			"t.profile:1: limit io /dev/vda: unknown key 'speed=1' (rbps= wbps= riops= wiops=)");
	assert_load_err(u, "limit io /dev/vda rbps=0\n", "t.profile:1: limit io /dev/vda: bad value 'rbps=0'");
	assert_load_err(u, "limit io /dev/vda rbps=1 wiops=x\n",
			"t.profile:1: limit io /dev/vda: bad value 'wiops=x'");

	assert_load_err(u, "limit frobs 1\n",
			"t.profile:1: limit: unknown resource 'frobs' (memory memory-high swap cpu cpu-weight cpuset io io-weight pids)");
	assert_load_err(u, "limit memory\n",
			"t.profile:1: limit: expected 'limit RESOURCE VALUE' (memory memory-high swap cpu cpu-weight cpuset io io-weight pids)");
	assert_load_err(u, "limit\n",
			"t.profile:1: limit: expected 'limit RESOURCE VALUE' (memory memory-high swap cpu cpu-weight cpuset io io-weight pids)");

	assert_load_err(u, "cgroup parent relative\n",
			"t.profile:1: cgroup parent: 'relative' must be an absolute path below the cgroup2 root, without . or ..");
	assert_load_err(u, "cgroup parent /\n",
			"t.profile:1: cgroup parent: '/' must be an absolute path below the cgroup2 root, without . or ..");
	assert_load_err(u, "cgroup parent /a/../b\n",
			"t.profile:1: cgroup parent: '/a/../b' must be an absolute path below the cgroup2 root, without . or ..");
	assert_load_err(u, "cgroup sometimes\n",
			"t.profile:1: cgroup: expected 'cgroup parent PATH', 'cgroup required' or 'cgroup optional'");
	assert_load_err(u, "cgroup parent\n",
			"t.profile:1: cgroup: expected 'cgroup parent PATH', 'cgroup required' or 'cgroup optional'");

	/* None of the failed lines set anything; only line 1 of the
	 * two-line memory case did. */
	assert_int_equal(u->s.limits.memory.value, UINT64_C(1) << 30);
	assert_false(u->s.limits.memory_high.set || u->s.limits.swap.set || u->s.limits.pids.set ||
		     u->s.limits.cpu_quota.set || u->s.limits.cpu_weight.set || u->s.limits.io_weight.set);
	assert_null(u->s.limits.cpuset);
	assert_null(u->s.limits.parent);
	assert_int_equal(u->s.limits.nio, 0);
}

/* ---- controllers, print ------------------------------------------------- */

static void test_controllers(void **state)
{
	struct unit *u = *state;
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "", "" },
		{ "cgroup parent /x\ncgroup optional\n", "" },
		{ "limit memory 1G\n", "memory" },
		{ "limit memory-high 1G\n", "memory" },
		{ "limit swap 0\n", "memory" },
		{ "limit cpu 1\n", "cpu" },
		{ "limit cpu max\n", "cpu" },
		{ "limit cpu-weight 5\n", "cpu" },
		{ "limit cpuset 0\n", "cpuset" },
		{ "limit io /dev/vda rbps=1\n", "io" },
		{ "limit io-weight 5\n", "io" },
		{ "limit pids 5\n", "pids" },
		{ "limit pids 5\nlimit memory 1G\nlimit cpu 1\n", "cpu memory pids" },
		{ "limit io-weight 5\nlimit cpuset 1\n", "cpuset io" },
		{ "limit memory 1G\nlimit memory-high 1G\nlimit swap 0\n", "memory" },
		{ "limit cpu 1\nlimit cpu-weight 5\nlimit io-weight 5\nlimit io /dev/vda rbps=1\n", "cpu io" },
		{ "limit pids max\nlimit io /dev/sda wiops=1\nlimit swap max\nlimit cpuset 0-3\nlimit cpu-weight 100\n",
		  "cpu cpuset memory io pids" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		spec_free(&u->s);
		spec_init(&u->s);
		assert_load_ok(u, cases[i].text);
		if (strcmp(controllers(&u->s.limits), cases[i].want) != 0)
			fail_msg("\"%s\": controllers \"%s\", expected \"%s\"", cases[i].text,
				 controllers(&u->s.limits), cases[i].want);
		assert_int_equal(limits_any(&u->s.limits), cases[i].want[0] != '\0');
	}
}

static void test_print(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "limit memory 256M\nlimit memory-high 200M\nlimit swap 0\nlimit pids 128\n"
			  "limit cpu 1.5\nlimit cpu-weight 200\nlimit io-weight 300\nlimit cpuset 0-1,3\n"
			  "limit io /dev/vda rbps=20M wbps=max\nlimit io /dev/vdb riops=1000 wiops=2000\n"
			  "cgroup parent /x/y\ncgroup optional\n");
	assert_string_equal(print_limits(u, 0, &u->s.limits),
			    "limit memory 268435456\n"
			    "limit memory-high 209715200\n"
			    "limit swap 0\n"
			    "limit pids 128\n"
			    "limit cpu 1.500000 period=100000\n"
			    "limit cpu-weight 200\n"
			    "limit io-weight 300\n"
			    "limit cpuset 0-1,3\n"
			    "limit io /dev/vda rbps=20971520 wbps=max\n"
			    "limit io /dev/vdb riops=1000 wiops=2000\n"
			    "cgroup parent /x/y\n"
			    "cgroup optional\n");

	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "limit memory max\nlimit swap max\nlimit pids max\nlimit cpu max\n");
	assert_string_equal(print_limits(u, 0, &u->s.limits),
			    "limit memory max\nlimit swap max\nlimit pids max\nlimit cpu max period=100000\ncgroup required\n");

	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "limit cpu 0.25 period=20000\n");
	assert_string_equal(print_limits(u, 0, &u->s.limits),
			    "limit cpu 0.250000 period=20000\ncgroup required\n");
}

static void test_print_round_trip(void **state)
{
	struct unit *u = *state;
	static const char *const cases[] = {
		"",
		"limit memory 256M\nlimit memory-high 200M\nlimit swap 0\nlimit pids 128\n"
		"limit cpu 1.5\nlimit cpu-weight 200\nlimit io-weight 300\nlimit cpuset 0-1,3\n"
		"limit io /dev/vda rbps=20M wbps=max\nlimit io /dev/vdb riops=1000 wiops=2000\n"
		"cgroup parent /x/y\ncgroup optional\n",
		"limit cpu 0.25\n",
		"limit cpu 1.5 period=50000\n",
		"limit cpu 0.333333\n",
		"limit cpu 1024\n",
		"limit cpu 0.001 period=1000000\n",
		"limit cpu 2.5 period=1024\n",
		"limit cpu max\n",
		"limit memory max\nlimit memory-high max\nlimit swap max\nlimit pids max\n",
		"limit io /dev/vda rbps=max wbps=max riops=max wiops=max\n",
		"limit io /dev/a rbps=1\nlimit io /dev/b wbps=2\nlimit io /dev/c riops=3\nlimit io /dev/a wiops=4\n",
		"cgroup parent /system.slice/rampart.slice\n",
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		spec_free(&u->s);
		spec_init(&u->s);
		assert_load_ok(u, cases[i]);
		round_trip(u);
		/* The printout is a fixed point. */
		assert_string_equal(print_limits(u, 1, &u->s2.limits), u->text[0]);
	}
}

/* Regression (fixed): limits_print() (runtime/resources.c:234) writes the CPU count
 * truncated to 6 decimals, and parse_cpus() truncates again, so for a
 * period that does not divide 1000000 the quota shrinks by 1us on every
 * print/parse round trip: `limit cpu 0.1 period=65536` gives quota 6553,
 * prints as "limit cpu 0.099990 period=65536", which parses to 6552
 * (expected 6553). Likewise `limit cpu 1.5 period=999999` 1499998 ->
 * "1.499999" -> 1499997. */
static void test_regression_print_round_trip_cpu_odd_period(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "limit cpu 0.1 period=65536\n");
	assert_int_equal(u->s.limits.cpu_quota.value, 6553);
	round_trip(u);
}

/* Regression (fixed): limits_print() (runtime/resources.c:231-232) prints "limit cpu
 * max" without the period, so `limit cpu max period=50000` (cpu_period
 * 50000, cpu.max "max 50000") comes back with cpu_period 100000 (cpu.max
 * "max 100000"). */
static void test_regression_print_round_trip_cpu_max_period(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "limit cpu max period=50000\n");
	assert_int_equal(u->s.limits.cpu_period, 50000);
	round_trip(u);
}

/* Regression (fixed): limits_print() writes the cgroup parent (runtime/resources.c:250)
 * and io devices (runtime/resources.c:242) as raw words, not quoted the
 * way profile_print's print_word() quotes paths. `cgroup parent "/my
 * slice"` is accepted but prints as `cgroup parent /my slice`, which fails
 * to load: "printed:1: cgroup: expected 'cgroup parent PATH', ...". */
static void test_regression_print_round_trip_parent_with_space(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "cgroup parent \"/my slice\"\n");
	assert_string_equal(u->s.limits.parent, "/my slice");
	round_trip(u);
}

/* Regression (fixed): same as above for `limit io "/dev/disk/by-label/my disk" rbps=1`:
 * printed as `limit io /dev/disk/by-label/my disk rbps=1`, which fails:
 * "printed:1: limit io /dev/disk/by-label/my: unknown key 'disk' ...". */
static void test_regression_print_round_trip_io_device_with_space(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "limit io \"/dev/disk/by-label/my disk\" rbps=1\n");
	assert_string_equal(u->s.limits.io[0].device, "/dev/disk/by-label/my disk");
	round_trip(u);
}

/* ---- limits_validate ---------------------------------------------------- */

static void test_validate_io_devices(void **state)
{
	struct unit *u = *state;

	assert_int_equal(limits_validate(&u->s.limits, &u->e), 0); /* nothing to check */

	assert_load_ok(u, "limit memory 1G\nlimit io /dev/null rbps=1M\n");
	assert_int_equal(limits_validate(&u->s.limits, &u->e), -1);
	assert_err(u, "t.profile:2: limit io /dev/null: not a block device");

	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "\n\n\nlimit io /dev/rampart-no-such-disk wbps=1\n");
	assert_int_equal(limits_validate(&u->s.limits, &u->e), -1);
	assert_err(u, "t.profile:4: limit io /dev/rampart-no-such-disk: No such file or directory");

	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "limit io /dev rbps=1\n");
	assert_int_equal(limits_validate(&u->s.limits, &u->e), -1);
	assert_err(u, "t.profile:1: limit io /dev: not a block device");
}

static void test_validate_block_device(void **state)
{
	struct unit *u = *state;
	struct stat st;
	const char *dev = find_block_device(&st);
	char text[PATH_MAX + 64], want[64];
	int fd;

	if (!dev) {
		print_message("no block device under /dev; skipped\n");
		skip();
	}
	unit_fmt(text, sizeof(text), "limit io %s rbps=1M wbps=max\nlimit io /dev/null wiops=1\n", dev);
	assert_load_ok(u, text);
	/* The first device resolves before the second one fails. */
	assert_int_equal(limits_validate(&u->s.limits, &u->e), -1);
	assert_err(u, "t.profile:2: limit io /dev/null: not a block device");
	assert_true(u->s.limits.io[0].rdev == st.st_rdev);

	spec_free(&u->s);
	spec_init(&u->s);
	unit_fmt(text, sizeof(text), "limit io %s rbps=1M wbps=max\n", dev);
	assert_load_ok(u, text);
	assert_int_equal(limits_validate(&u->s.limits, &u->e), 0);
	assert_true(u->s.limits.io[0].rdev == st.st_rdev);

	/* ...and io.max names it by major:minor. */
	fake_cgroup(u, "cg");
	fd = open_dir(u, "cg");
	assert_int_equal(cgroup_write_limits(fd, &u->s.limits, &u->e), 0);
	close(fd);
	unit_fmt(want, sizeof(want), "%u:%u rbps=1048576 wbps=max", major(st.st_rdev), minor(st.st_rdev));
	assert_written(u, "cg", (const char *const[]){ "io.max", want, NULL });
}

/* ---- cgroup_write_limits ------------------------------------------------ */

static void test_write_limits_each(void **state)
{
	struct unit *u = *state;
	static const struct {
		const char *text;
		const char *want[12];
	} cases[] = {
		{ "limit memory 32M\n", { "memory.oom.group", "1", "memory.max", "33554432" } },
		{ "limit memory max\n", { "memory.oom.group", "1", "memory.max", "max" } },
		{ "limit memory-high 16M\n", { "memory.oom.group", "1", "memory.high", "16777216" } },
		{ "limit memory-high max\n", { "memory.oom.group", "1", "memory.high", "max" } },
		{ "limit swap 0\n", { "memory.oom.group", "1", "memory.swap.max", "0" } },
		{ "limit swap max\n", { "memory.oom.group", "1", "memory.swap.max", "max" } },
		{ "limit cpu 0.1\n", { "cpu.max", "10000 100000" } },
		{ "limit cpu 1.5 period=50000\n", { "cpu.max", "75000 50000" } },
		{ "limit cpu max\n", { "cpu.max", "max 100000" } },
		{ "limit cpu max period=20000\n", { "cpu.max", "max 20000" } },
		{ "limit cpu-weight 200\n", { "cpu.weight", "200" } },
		{ "limit io-weight 300\n", { "io.weight", "300" } },
		{ "limit pids 64\n", { "pids.max", "64" } },
		{ "limit pids max\n", { "pids.max", "max" } },
		{ "limit cpuset 0-1,3\n", { "cpuset.cpus", "0-1,3" } },
		{ "cgroup parent /x\ncgroup optional\n", { NULL } },
		{ "", { NULL } },
		{ "limit memory 32M\nlimit memory-high 16M\nlimit swap 0\nlimit cpu 0.5\n"
		  "limit cpu-weight 7\nlimit io-weight 8\nlimit pids 9\nlimit cpuset 2\n",
		  { NULL } /* see below */ },
	};
	char dir[32];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unit_fmt(dir, sizeof(dir), "cg%zu", i);
		write_case(u, dir, cases[i].text);
		if (i < ARRAY_SIZE(cases) - 1) {
			assert_written(u, dir, cases[i].want);
			continue;
		}
		/* The last case sets everything (more than want[12] holds). */
		assert_written(u, dir, (const char *const[]){
			"memory.oom.group", "1", "memory.max", "33554432", "memory.high", "16777216",
			"memory.swap.max", "0", "cpu.max", "50000 100000", "cpu.weight", "7",
			"io.weight", "8", "pids.max", "9", "cpuset.cpus", "2", NULL });
	}
}

static void test_write_limits_io(void **state)
{
	struct unit *u = *state;
	int fd, pipe_fd;

	assert_load_ok(u, "limit io /dev/vda rbps=1M wbps=max\n");
	u->s.limits.io[0].rdev = makedev(253, 0); /* as limits_validate would */
	fake_cgroup(u, "cg");
	fd = open_dir(u, "cg");
	assert_int_equal(cgroup_write_limits(fd, &u->s.limits, &u->e), 0);
	close(fd);
	assert_written(u, "cg", (const char *const[]){ "io.max", "253:0 rbps=1048576 wbps=max", NULL });

	/* Keys in kernel order whatever the profile order; all four. */
	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "limit io /dev/sdb wiops=5 riops=4K wbps=3 rbps=2\n");
	u->s.limits.io[0].rdev = makedev(8, 16);
	fake_cgroup(u, "cg2");
	fd = open_dir(u, "cg2");
	assert_int_equal(cgroup_write_limits(fd, &u->s.limits, &u->e), 0);
	close(fd);
	assert_written(u, "cg2", (const char *const[]){ "io.max", "8:16 rbps=2 wbps=3 riops=4096 wiops=5", NULL });

	/* Two devices: one write each, in profile order (a FIFO keeps both;
	 * a regular file would hold the second over the first). */
	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "limit io /dev/vda rbps=1\nlimit io /dev/vdb wiops=max\nlimit io-weight 50\n");
	u->s.limits.io[0].rdev = makedev(253, 0);
	u->s.limits.io[1].rdev = makedev(253, 16);
	fake_cgroup(u, "cg3");
	pipe_fd = fifo(u, "cg3/io.max");
	fd = open_dir(u, "cg3");
	assert_int_equal(cgroup_write_limits(fd, &u->s.limits, &u->e), 0);
	close(fd);
	assert_string_equal(drain(pipe_fd), "253:0 rbps=1253:16 wiops=max");
	close(pipe_fd);
	assert_string_equal(slurp(u, "cg3/io.weight"), "50");
}

static void test_write_limits_failure(void **state)
{
	struct unit *u = *state;
	int fd;

	/* memory.max is a directory: its write fails (even as root). */
	assert_load_ok(u, "limit memory 32M\nlimit pids 5\n");
	fake_cgroup(u, "cg");
	assert_int_equal(unlink(unit_path(u, "cg/memory.max")), 0);
	unit_mkdir(u, "cg/memory.max");
	fd = open_dir(u, "cg");
	assert_int_equal(cgroup_write_limits(fd, &u->s.limits, &u->e), -1);
	close(fd);
	assert_err(u, "cgroup: write '33554432' to memory.max: Is a directory");
	assert_int_equal(u->e.errnum, EISDIR);
	/* Written up to the failure, nothing after it. */
	assert_string_equal(slurp(u, "cg/memory.oom.group"), "1");
	assert_string_equal(slurp(u, "cg/pids.max"), "");

	/* A missing file: as in a directory that is not a cgroup. */
	unit_mkdir(u, "plain");
	fd = open_dir(u, "plain");
	assert_int_equal(cgroup_write_limits(fd, &u->s.limits, &u->e), -1);
	close(fd);
	assert_err(u, "cgroup: write '1' to memory.oom.group: No such file or directory");
}

/* ---- cgroup_check ------------------------------------------------------- */

static void test_check(void **state)
{
	struct unit *u = *state;
	char root[PATH_MAX];
	unit_fmt(root, sizeof(root), "%s", unit_path(u, "root"));

	unit_write(u, "root/cgroup.controllers", "cpuset cpu io pids\n");
	assert_load_ok(u, "limit memory 1G\nlimit pids 10\n");
	assert_int_equal(cgroup_check(root, &u->s.limits, &u->e), -1);
	assert_err(u, "cgroup: controller 'memory' is not available in %s (it offers: cpuset cpu io pids); "
		      "on a cgroup v1/v2 hybrid it is bound to v1: boot with "
		      "systemd.unified_cgroup_hierarchy=1, or use 'cgroup optional' to run without limits",
		   root);
	assert_int_equal(u->e.errnum, 0);

	unit_write(u, "root/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
	assert_int_equal(cgroup_check(root, &u->s.limits, &u->e), 0);

	/* "cpuset" does not offer "cpu". */
	unit_write(u, "root/cgroup.controllers", "cpuset memory\n");
	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "limit cpu 1\n");
	assert_int_equal(cgroup_check(root, &u->s.limits, &u->e), -1);
	assert_err(u, "cgroup: controller 'cpu' is not available in %s (it offers: cpuset memory); "
		      "on a cgroup v1/v2 hybrid it is bound to v1: boot with "
		      "systemd.unified_cgroup_hierarchy=1, or use 'cgroup optional' to run without limits",
		   root);
	assert_load_ok(u, "limit cpuset 0\n");
	unit_write(u, "root/cgroup.controllers", "cpuset cpu");
	assert_int_equal(cgroup_check(root, &u->s.limits, &u->e), 0);

	/* The first missing controller is named (in limits_controllers order). */
	unit_write(u, "root/cgroup.controllers", "");
	assert_int_equal(cgroup_check(root, &u->s.limits, &u->e), -1);
	assert_err_prefix(u, "cgroup: controller 'cpu' is not available in %s (it offers: );", root);

	/* No limits: nothing needed. */
	spec_free(&u->s);
	spec_init(&u->s);
	assert_int_equal(cgroup_check(root, &u->s.limits, &u->e), 0);

	/* Not a cgroup2 root at all. */
	assert_int_equal(cgroup_check(u->dir, &u->s.limits, &u->e), -1);
	assert_err(u, "cgroup: %s/cgroup.controllers: No such file or directory", u->dir);
	assert_int_equal(cgroup_check(unit_path(u, "missing"), &u->s.limits, &u->e), -1);
	assert_err(u, "cgroup: %s/cgroup.controllers: No such file or directory", unit_path(u, "missing"));
}

/* ---- cgroup_create ------------------------------------------------------ */

static void test_create_no_limits(void **state)
{
	struct unit *u = *state;
	char root[PATH_MAX];
	struct cgroup cg;
	struct stat st, want;
	unit_fmt(root, sizeof(root), "%s", unit_path(u, "root"));

	/* No limits: no file is written, so even a fake tree succeeds. */
	unit_write(u, "root/cgroup.subtree_control", "");
	unit_write(u, "root/x/cgroup.subtree_control", "");
	unit_write(u, "root/x/y/cgroup.subtree_control", "");
	assert_load_ok(u, "cgroup parent /x/y\n");
	if (cgroup_create(root, &u->s.limits, "launch-1", &cg, &u->e) < 0)
		fail_msg("create: %s", u->e.msg);
	assert_string_equal(cg.path, unit_path(u, "root/x/y/launch-1"));
	assert_true(cg.fd >= 0);
	assert_int_equal(fstat(cg.fd, &st), 0);
	assert_int_equal(stat(cg.path, &want), 0);
	assert_true(S_ISDIR(st.st_mode) && st.st_ino == want.st_ino && st.st_dev == want.st_dev);
	assert_string_equal(slurp(u, "root/cgroup.subtree_control"), "");
	assert_string_equal(slurp(u, "root/x/y/cgroup.subtree_control"), "");

	/* Destroy removes it (an empty dir: no cgroup.kill/procs/events). */
	assert_int_equal(cgroup_destroy(&cg, &u->e), 0);
	assert_int_equal(cg.fd, -1);
	assert_false(exists(u, "root/x/y/launch-1"));
	assert_true(exists(u, "root/x/y"));
	assert_int_equal(cgroup_destroy(&cg, &u->e), 0); /* twice is fine */

	/* The default parent is /rampart, made when missing. */
	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "cgroup optional\n");
	unit_write(u, "root/rampart/cgroup.subtree_control", "");
	if (cgroup_create(root, &u->s.limits, "launch-2", &cg, &u->e) < 0)
		fail_msg("create: %s", u->e.msg);
	assert_string_equal(cg.path, unit_path(u, "root/rampart/launch-2"));
	assert_true(exists(u, "root/rampart/launch-2"));
	assert_int_equal(cgroup_destroy(&cg, &u->e), 0);
	assert_false(exists(u, "root/rampart/launch-2"));
}

static void test_create_enables_controllers(void **state)
{
	struct unit *u = *state;
	char root[PATH_MAX];
	struct cgroup cg;
	unit_fmt(root, sizeof(root), "%s", unit_path(u, "root"));

	/* A memory limit: "+memory" goes into every ancestor's
	 * subtree_control (root and /rampart); then writing the limit into
	 * the new, empty directory fails (cgroupfs would have made the file),
	 * and the directory is removed again. */
	unit_write(u, "root/cgroup.subtree_control", "");
	unit_write(u, "root/rampart/cgroup.subtree_control", "");
	assert_load_ok(u, "limit memory 32M\n");
	assert_int_equal(cgroup_create(root, &u->s.limits, "launch-7", &cg, &u->e), -1);
	assert_err(u, "%s: cgroup: write '1' to memory.oom.group: No such file or directory",
		   unit_path(u, "root/rampart/launch-7"));
	assert_int_equal(cg.fd, -1);
	assert_false(exists(u, "root/rampart/launch-7"));
	assert_string_equal(slurp(u, "root/cgroup.subtree_control"), "+memory");
	assert_string_equal(slurp(u, "root/rampart/cgroup.subtree_control"), "+memory");

	/* Controllers already enabled are not written again. */
	unit_write(u, "root/cgroup.subtree_control", "cpu memory\n");
	unit_write(u, "root/rampart/cgroup.subtree_control", "memory pids\n");
	assert_int_equal(cgroup_create(root, &u->s.limits, "launch-7", &cg, &u->e), -1);
	assert_string_equal(slurp(u, "root/cgroup.subtree_control"), "cpu memory\n");
	assert_string_equal(slurp(u, "root/rampart/cgroup.subtree_control"), "memory pids\n");
	assert_false(exists(u, "root/rampart/launch-7"));
}

static void test_create_enables_each_controller(void **state)
{
	struct unit *u = *state;
	char root[PATH_MAX];
	struct cgroup cg;
	int top, mid, leaf;
	unit_fmt(root, sizeof(root), "%s", unit_path(u, "root"));

	/* Several controllers: one write each, so FIFOs (see the top). Each
	 * subtree_control is read once, then written; a pre-filled FIFO
	 * gives the read something, so it does not block. */
	alarm(10); /* a second read would block: fail rather than hang */
	unit_mkdir(u, "root/a/b");
	top = fifo(u, "root/cgroup.subtree_control");
	mid = fifo(u, "root/a/cgroup.subtree_control");
	leaf = fifo(u, "root/a/b/cgroup.subtree_control");
	assert_int_equal(write(top, "cpu io\n", 7), 7);
	assert_int_equal(write(mid, "pids\n", 5), 5);
	assert_int_equal(write(leaf, "\n", 1), 1);
	assert_load_ok(u, "cgroup parent /a/b\nlimit pids 5\nlimit memory 1G\nlimit cpu 1\nlimit cpuset 0\n");
	assert_int_equal(cgroup_create(root, &u->s.limits, "launch-9", &cg, &u->e), -1);
	alarm(0);
	assert_err(u, "%s: cgroup: write '1' to memory.oom.group: No such file or directory",
		   unit_path(u, "root/a/b/launch-9"));
	assert_string_equal(drain(top), "+cpuset+memory+pids");
	assert_string_equal(drain(mid), "+cpu+cpuset+memory");
	assert_string_equal(drain(leaf), "+cpu+cpuset+memory+pids");
	assert_false(exists(u, "root/a/b/launch-9"));
	close(top);
	close(mid);
	close(leaf);
}

static void test_create_errors(void **state)
{
	struct unit *u = *state;
	char root[PATH_MAX];
	struct cgroup cg;
	unit_fmt(root, sizeof(root), "%s", unit_path(u, "root"));

	assert_load_ok(u, "limit pids 5\n");

	/* No root. */
	assert_int_equal(cgroup_create(root, &u->s.limits, "launch-1", &cg, &u->e), -1);
	assert_err(u, "cgroup: %s: No such file or directory", root);
	assert_int_equal(cg.fd, -1);

	/* The root's subtree_control cannot be read: nothing is created. */
	unit_mkdir(u, "root/cgroup.subtree_control");
	assert_int_equal(cgroup_create(root, &u->s.limits, "launch-1", &cg, &u->e), -1);
	assert_err(u, "cgroup: %s/cgroup.subtree_control: Is a directory", root);
	assert_false(exists(u, "root/rampart"));
	assert_int_equal(rmdir(unit_path(u, "root/cgroup.subtree_control")), 0);

	/* ...cannot be written (/dev/full: reads zeros, writes ENOSPC). */
	if (symlink("/dev/full", unit_path(u, "root/cgroup.subtree_control")) < 0)
		fail_msg("symlink: %s", strerror(errno));
	assert_int_equal(cgroup_create(root, &u->s.limits, "launch-1", &cg, &u->e), -1);
	assert_err(u, "cgroup: enable pids in %s/cgroup.subtree_control: No space left on device", root);
	assert_int_equal(u->e.errnum, ENOSPC);
	assert_false(exists(u, "root/rampart"));
	assert_int_equal(unlink(unit_path(u, "root/cgroup.subtree_control")), 0);

	/* The container's cgroup already exists: it is not ours, left alone. */
	unit_write(u, "root/cgroup.subtree_control", "pids\n");
	unit_write(u, "root/rampart/cgroup.subtree_control", "pids\n");
	unit_mkdir(u, "root/rampart/launch-1");
	assert_int_equal(cgroup_create(root, &u->s.limits, "launch-1", &cg, &u->e), -1);
	assert_err(u, "cgroup: create %s/rampart/launch-1: File exists", root);
	assert_int_equal(cg.fd, -1);
	assert_true(exists(u, "root/rampart/launch-1"));

	/* The parent is a file, not a directory. */
	unit_write(u, "root/file", "");
	spec_free(&u->s);
	spec_init(&u->s);
	assert_load_ok(u, "cgroup parent /file\n");
	assert_int_equal(cgroup_create(root, &u->s.limits, "launch-1", &cg, &u->e), -1);
	assert_err(u, "cgroup: open %s/file: Not a directory", root);
}

/* ---- attach, stats ------------------------------------------------------ */

static void test_attach(void **state)
{
	struct unit *u = *state;
	struct cgroup cg;

	fake_cgroup(u, "cg");
	cg.fd = open_dir(u, "cg");
	unit_fmt(cg.path, sizeof(cg.path), "%s", unit_path(u, "cg"));
	assert_int_equal(cgroup_attach(&cg, 4242, &u->e), 0);
	assert_written(u, "cg", (const char *const[]){ "cgroup.procs", "4242", NULL });
	close(cg.fd);

	unit_mkdir(u, "plain");
	cg.fd = open_dir(u, "plain");
	assert_int_equal(cgroup_attach(&cg, 4242, &u->e), -1);
	assert_err(u, "cgroup: write '4242' to cgroup.procs: No such file or directory");
	close(cg.fd);
}

static void test_stats(void **state)
{
	struct unit *u = *state;
	struct cgroup cg;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	unit_write(u, "cg/memory.peak", "1234\n");
	unit_write(u, "cg/memory.events", "low 0\nhigh 1\nmax 2\noom 3\noom_kill 4\noom_group_kill 5\n");
	unit_write(u, "cg/cpu.stat", "usage_usec 10\nuser_usec 6\nsystem_usec 4\ncore_sched.force_idle_usec 0\n"
				     "nr_periods 7\nnr_throttled 1\nthrottled_usec 99\nnr_bursts 0\nburst_usec 0\n");
	unit_write(u, "cg/io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=50 dios=1\n"
				    "253:0 rbytes=1 wbytes=2 rios=1 wios=1 dbytes=0 dios=0\n");
	unit_write(u, "cg/pids.peak", "7\n");
	cg.fd = open_dir(u, "cg");
	f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(cgroup_stats(&cg, f), 0);
	assert_int_equal(fclose(f), 0);
	u->text[0] = out;
	assert_string_equal(out, "{\"cpu.stat\":{\"nr_periods\":7,\"nr_throttled\":1,\"system_usec\":4,"
				 "\"throttled_usec\":99,\"usage_usec\":10,\"user_usec\":6},"
				 "\"io.stat\":{\"rbytes\":101,\"wbytes\":202},"
				 "\"memory.events\":{\"high\":1,\"max\":2,\"oom\":3,\"oom_kill\":4},"
				 "\"memory.peak\":1234,\"pids.peak\":7}\n");
	close(cg.fd);

	/* Missing files are left out. */
	unit_mkdir(u, "empty");
	cg.fd = open_dir(u, "empty");
	out = NULL;
	f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(cgroup_stats(&cg, f), 0);
	assert_int_equal(fclose(f), 0);
	u->text[1] = out;
	assert_string_equal(out, "{}\n");
	close(cg.fd);
}

/* ---- destroy, gc -------------------------------------------------------- */

static void test_destroy_fake(void **state)
{
	struct unit *u = *state;
	struct cgroup cg;
	pid_t child;
	int status;
	char pid[32];

	/* cgroup.kill present: "1" written, no pid-by-pid killing. In a
	 * fake tree the directory then cannot be removed (it holds files;
	 * cgroupfs would allow the rmdir). */
	unit_write(u, "cg/cgroup.kill", "");
	unit_write(u, "cg/cgroup.events", "populated 0\nfrozen 0\n");
	cg.fd = open_dir(u, "cg");
	unit_fmt(cg.path, sizeof(cg.path), "%s", unit_path(u, "cg"));
	assert_int_equal(cgroup_destroy(&cg, &u->e), -1);
	assert_err(u, "cgroup: remove %s: Directory not empty", cg.path);
	assert_int_equal(cg.fd, -1);
	assert_string_equal(slurp(u, "cg/cgroup.kill"), "1");

	/* No cgroup.kill (before 5.14): every pid in cgroup.procs gets
	 * SIGKILL. The child is a stand-in for a container process. */
	child = named_child("victim");
	unit_fmt(pid, sizeof(pid), "%d\n", child);
	unit_write(u, "old/cgroup.procs", pid);
	cg.fd = open_dir(u, "old");
	unit_fmt(cg.path, sizeof(cg.path), "%s", unit_path(u, "old"));
	assert_int_equal(cgroup_destroy(&cg, &u->e), -1);
	assert_err(u, "cgroup: remove %s: Directory not empty", cg.path);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

static void test_gc(void **state)
{
	struct unit *u = *state;
	char root[PATH_MAX];
	pid_t dead = dead_pid(), rampart = named_child("rampart"), other = named_child("rampartish");
	char d_dead[64], d_self[64], d_rampart[64], d_other[64];
	int r;
	unit_fmt(root, sizeof(root), "%s", unit_path(u, "root"));

	/* Empty directories (see the top): launch-<pid> for a dead pid and
	 * for this test's own pid ("test_cgroup" is not a rampart process)
	 * are stale; a live process named rampart keeps its cgroup. So does
	 * any name not launch-<number>, and a non-directory. */
	unit_fmt(d_dead, sizeof(d_dead), "root/rampart/launch-%d", dead);
	unit_fmt(d_self, sizeof(d_self), "root/rampart/launch-%d", getpid());
	unit_fmt(d_rampart, sizeof(d_rampart), "root/rampart/launch-%d", rampart);
	unit_fmt(d_other, sizeof(d_other), "root/rampart/launch-%d", other);
	unit_mkdir(u, d_dead);
	unit_mkdir(u, d_self);
	unit_mkdir(u, d_rampart);
	unit_mkdir(u, d_other);
	unit_mkdir(u, "root/rampart/launch-abc");
	unit_mkdir(u, "root/rampart/launch-0");
	unit_mkdir(u, "root/rampart/other");
	unit_mkdir(u, "root/rampart/container-1");
	unit_write(u, "root/rampart/launch-1", "");
	unit_write(u, "root/rampart/cgroup.procs", "");

	r = cgroup_gc(root, NULL, &u->e);
	kill_child(rampart);
	kill_child(other);
	if (r < 0)
		fail_msg("gc: %s", u->e.msg);
	/* "rampartish" starts with "rampart": comm is compared on 7 bytes. */
	assert_int_equal(r, 2);
	assert_false(exists(u, d_dead));
	assert_false(exists(u, d_self));
	assert_true(exists(u, d_rampart));
	assert_true(exists(u, d_other));
	assert_true(exists(u, "root/rampart/launch-abc"));
	assert_true(exists(u, "root/rampart/launch-0"));
	assert_true(exists(u, "root/rampart/other"));
	assert_true(exists(u, "root/rampart/container-1"));
	assert_true(exists(u, "root/rampart/launch-1"));
	assert_true(exists(u, "root/rampart/cgroup.procs"));

	/* The two "rampart" processes are gone now (killed and reaped above):
	 * their cgroups are stale too. Then nothing is left to do. */
	assert_int_equal(cgroup_gc(root, "/rampart", &u->e), 2);
	assert_false(exists(u, d_rampart));
	assert_false(exists(u, d_other));
	assert_true(exists(u, "root/rampart/launch-abc"));
	assert_int_equal(cgroup_gc(root, "/rampart", &u->e), 0);
}

static void test_gc_parent(void **state)
{
	struct unit *u = *state;
	char root[PATH_MAX];
	char d[64];
	pid_t dead = dead_pid();
	unit_fmt(root, sizeof(root), "%s", unit_path(u, "root"));

	/* A missing parent: nothing to collect, not an error. */
	unit_mkdir(u, "root");
	assert_int_equal(cgroup_gc(root, NULL, &u->e), 0);
	assert_int_equal(cgroup_gc(root, "/x/y", &u->e), 0);

	/* An explicit parent; the default one is not looked at. */
	unit_fmt(d, sizeof(d), "root/x/y/launch-%d", dead);
	unit_mkdir(u, d);
	unit_fmt(d, sizeof(d), "root/rampart/launch-%d", dead);
	unit_mkdir(u, d);
	assert_int_equal(cgroup_gc(root, "/x/y", &u->e), 1);
	unit_fmt(d, sizeof(d), "root/x/y/launch-%d", dead);
	assert_false(exists(u, d));
	unit_fmt(d, sizeof(d), "root/rampart/launch-%d", dead);
	assert_true(exists(u, d));

	/* A stale cgroup that cannot be removed stops gc with its error. */
	unit_fmt(d, sizeof(d), "root/rampart/launch-%d/cgroup.events", dead);
	unit_write(u, d, "populated 0\n");
	assert_int_equal(cgroup_gc(root, NULL, &u->e), -1);
	assert_err(u, "cgroup: remove %s/rampart/launch-%d: Directory not empty", root, dead);
}

/* ---- the host ----------------------------------------------------------- */

static void test_find_root(void **state)
{
	struct unit *u = *state;
	char root[PATH_MAX];
	char ctl[PATH_MAX + 32];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	bool v2 = false;
	unit_fmt(root, sizeof(root), "%s", unit_path(u, "root"));

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		v2 |= strstr(line, " - cgroup2 ") != NULL;
	fclose(f);
	if (!v2) {
		print_message("no cgroup2 mount on this host; skipped\n");
		skip();
	}
	if (cgroup_find_root(root, sizeof(root), &u->e) < 0)
		fail_msg("find_root: %s", u->e.msg);
	if (strncmp(root, "/sys/fs/cgroup", 14) != 0)
		fail_msg("cgroup2 root \"%s\" is not under /sys/fs/cgroup", root);
	unit_fmt(ctl, sizeof(ctl), "%s/cgroup.controllers", root);
	assert_int_equal(access(ctl, R_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_defaults),
		UNIT_TEST(test_limit_memory),
		UNIT_TEST(test_limit_memory_override),
		UNIT_TEST(test_limit_cpu),
		UNIT_TEST(test_limit_weights_pids_cpuset),
		UNIT_TEST(test_limit_io),
		UNIT_TEST(test_limit_io_override),
		UNIT_TEST(test_limit_io_too_many),
		UNIT_TEST(test_cgroup_directive),
		UNIT_TEST(test_apply_line),
		UNIT_TEST(test_limit_errors),
		UNIT_TEST(test_controllers),
		UNIT_TEST(test_print),
		UNIT_TEST(test_print_round_trip),
		UNIT_TEST(test_regression_print_round_trip_cpu_odd_period),
		UNIT_TEST(test_regression_print_round_trip_cpu_max_period),
		UNIT_TEST(test_regression_print_round_trip_parent_with_space),
		UNIT_TEST(test_regression_print_round_trip_io_device_with_space),
		UNIT_TEST(test_validate_io_devices),
		UNIT_TEST(test_validate_block_device),
		UNIT_TEST(test_write_limits_each),
		UNIT_TEST(test_write_limits_io),
		UNIT_TEST(test_write_limits_failure),
		UNIT_TEST(test_check),
		UNIT_TEST(test_create_no_limits),
		UNIT_TEST(test_create_enables_controllers),
		UNIT_TEST(test_create_enables_each_controller),
		UNIT_TEST(test_create_errors),
		UNIT_TEST(test_attach),
		UNIT_TEST(test_stats),
		UNIT_TEST(test_destroy_fake),
		UNIT_TEST(test_gc),
		UNIT_TEST(test_gc_parent),
		UNIT_TEST(test_find_root),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
