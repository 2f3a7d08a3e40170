/* cgroup.c - the container's cgroup v2 directory: create, limit, report,
 * destroy. Plain files under the cgroup2 mount; nothing else is touched
 * (never a v1 hierarchy, never a mount). */
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* ---- finding the hierarchy -------------------------------------------- */

int cgroup_find_root(char *out, size_t len, struct rp_err *e)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int r = -1;

	if (!f)
		return rp_fail(e, errno, "cgroup", "/proc/self/mountinfo");
	/* "36 25 0:31 / /sys/fs/cgroup/unified rw,... - cgroup2 cgroup2 rw" */
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - cgroup2 ");
		char mnt[PATH_MAX];

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		if (xsnprintf(out, len, "%s", mnt) >= 0) {
			r = 0;
			break;
		}
	}
	fclose(f);
	if (r < 0)
		return rp_fail(e, 0, "cgroup",
			       "no cgroup v2 hierarchy is mounted; limits need cgroup v2 "
			       "(boot with systemd.unified_cgroup_hierarchy=1) or use 'cgroup optional'");
	return 0;
}

static int read_small(int dirfd, const char *file, char *buf, size_t len)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

int cgroup_check(const char *root, const struct resources_spec *l, struct rp_err *e)
{
	_cleanup_close_ int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char want[64], have[512], *save = NULL, *c;

	limits_controllers(l, want, sizeof(want));
	if (fd < 0 || read_small(fd, "cgroup.controllers", have, sizeof(have)) < 0)
		return rp_fail(e, errno, "cgroup", "%s/cgroup.controllers", root);
	for (c = strtok_r(want, " ", &save); c; c = strtok_r(NULL, " ", &save))
		if (!has_word(have, c))
			return rp_fail(e, 0, "cgroup",
				       "controller '%s' is not available in %s (it offers: %.*s); "
				       "on a cgroup v1/v2 hybrid it is bound to v1: boot with "
				       "systemd.unified_cgroup_hierarchy=1, or use 'cgroup optional' to run without limits",
				       c, root, (int)strcspn(have, "\n"), have);
	return 0;
}

int cgroup_delegated_parent(const char *root, char *out, size_t len)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[4096], dir[PATH_MAX], *mine = NULL, *slash;
	struct stat st;

	if (!f)
		return -1;
	/* The v2 line is "0::/path/of/our/cgroup". */
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			mine = line + 3;
			break;
		}
	fclose(f);
	if (!mine || mine[0] != '/')
		return -1;
	/* Our processes live in our own cgroup, so limits go beside it: under
	 * its parent, when that parent (and its controls) are ours. */
	slash = strrchr(mine, '/');
	if (!slash || slash == mine)
		return -1;
	*slash = '\0';
	if (xsnprintf(dir, sizeof(dir), "%s%s", root, mine) < 0 || stat(dir, &st) < 0 ||
	    st.st_uid != geteuid())
		return -1;
	if (xsnprintf(dir, sizeof(dir), "%s%s/cgroup.subtree_control", root, mine) < 0 ||
	    stat(dir, &st) < 0 || st.st_uid != geteuid())
		return -1;
	return xsnprintf(out, len, "%s/rampart", mine) < 0 ? -1 : 0;
}

/* ---- writing ------------------------------------------------------------ */

static int write_at(int dirfd, const char *file, const char *value, struct rp_err *e)
{
	if (write_file_at(dirfd, file, value) < 0)
		return rp_fail(e, errno, "cgroup", "write '%s' to %s", value, file);
	return 0;
}

static void fmt_max(char *buf, size_t len, uint64_t v)
{
	if (v == LIMIT_MAX)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%" PRIu64, v);
}

static int write_value(int dirfd, const char *file, const struct limit_value *v, struct rp_err *e)
{
	char buf[32];

	if (!v->set)
		return 0;
	fmt_max(buf, sizeof(buf), v->value);
	return write_at(dirfd, file, buf, e);
}

static int write_io(int dirfd, const struct io_limit *io, struct rp_err *e)
{
	static const char *const keys[] = { "rbps", "wbps", "riops", "wiops" };
	const uint64_t vals[] = { io->rbps, io->wbps, io->riops, io->wiops };
	char line[256], v[32];
	int n = snprintf(line, sizeof(line), "%u:%u", major(io->rdev), minor(io->rdev));

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!vals[i])
			continue;
		fmt_max(v, sizeof(v), vals[i]);
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s=%s", keys[i], v);
	}
	return write_at(dirfd, "io.max", line, e);
}

int cgroup_write_limits(int dirfd, const struct resources_spec *l, struct rp_err *e)
{
	char buf[64];

	if (l->memory.set || l->memory_high.set || l->swap.set) {
		/* One OOM kill takes the whole container: a half-killed
		 * service is worse than a restarted one. */
		if (write_at(dirfd, "memory.oom.group", "1", e) < 0 ||
		    write_value(dirfd, "memory.max", &l->memory, e) < 0 ||
		    write_value(dirfd, "memory.high", &l->memory_high, e) < 0 ||
		    write_value(dirfd, "memory.swap.max", &l->swap, e) < 0)
			return -1;
	}
	if (l->cpu_quota.set) {
		if (l->cpu_quota.value == LIMIT_MAX)
			snprintf(buf, sizeof(buf), "max %" PRIu64, l->cpu_period);
		else
			snprintf(buf, sizeof(buf), "%" PRIu64 " %" PRIu64, l->cpu_quota.value, l->cpu_period);
		if (write_at(dirfd, "cpu.max", buf, e) < 0)
			return -1;
	}
	if (write_value(dirfd, "cpu.weight", &l->cpu_weight, e) < 0 ||
	    write_value(dirfd, "io.weight", &l->io_weight, e) < 0 ||
	    write_value(dirfd, "pids.max", &l->pids, e) < 0)
		return -1;
	if (l->cpuset && write_at(dirfd, "cpuset.cpus", l->cpuset, e) < 0)
		return -1;
	for (size_t i = 0; i < l->nio; i++)
		if (write_io(dirfd, &l->io[i], e) < 0)
			return -1;
	for (size_t i = 0; l->unified && l->unified[i]; i++) {
		char file[128];
		const char *eq = strchr(l->unified[i], '=');

		if (!eq || (size_t)(eq - l->unified[i]) >= sizeof(file))
			return rp_fail(e, EINVAL, "cgroup", "unified %s", l->unified[i]);
		memcpy(file, l->unified[i], (size_t)(eq - l->unified[i]));
		file[eq - l->unified[i]] = '\0';
		if (write_at(dirfd, file, eq + 1, e) < 0)
			return -1;
	}
	return 0;
}

/* ---- creating -------------------------------------------------------------- */

/* Enable `controllers` ("cpu memory") in `dirfd`'s subtree_control. */
static int enable(int dirfd, const char *path, const char *controllers, struct rp_err *e)
{
	char have[512], want[128], *save = NULL, *c;
	char buf[sizeof(want)];

	if (read_small(dirfd, "cgroup.subtree_control", have, sizeof(have)) < 0)
		return rp_fail(e, errno, "cgroup", "%s/cgroup.subtree_control", path);
	snprintf(want, sizeof(want), "%s", controllers);
	for (c = strtok_r(want, " ", &save); c; c = strtok_r(NULL, " ", &save)) {
		if (has_word(have, c))
			continue;
		snprintf(buf, sizeof(buf), "+%s", c);
		if (write_file_at(dirfd, "cgroup.subtree_control", buf) < 0)
			return rp_fail(e, errno, "cgroup", "enable %s in %s/cgroup.subtree_control%s", c, path,
				       errno == EBUSY ? " (that cgroup has processes of its own)" : "");
	}
	return 0;
}

/* Walk root -> parent, creating missing directories and enabling the
 * controllers on the way down; returns an fd of the parent. */
static int open_parent(const char *root, const char *parent, const char *controllers,
		       struct rp_err *e)
{
	char path[PATH_MAX], rel[PATH_MAX], *save = NULL, *comp;
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return rp_fail(e, errno, "cgroup", "%s", root);
	snprintf(path, sizeof(path), "%s", root);
	snprintf(rel, sizeof(rel), "%s", parent);
	for (comp = strtok_r(rel, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		int next;

		if (enable(fd, path, controllers, e) < 0)
			goto fail;
		if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
			rp_fail(e, errno, "cgroup", "create %s/%s%s", path, comp,
				errno == EACCES || errno == EPERM ? " (not delegated to this user: "
				"set 'cgroup parent' to a subtree you own, or 'cgroup optional')" : "");
			goto fail;
		}
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (next < 0) {
			rp_fail(e, errno, "cgroup", "open %s/%s", path, comp);
			goto fail;
		}
		close(fd);
		fd = next;
		if (strlen(path) + 1 + strlen(comp) < sizeof(path)) {
			strcat(path, "/");
			strcat(path, comp);
		}
	}
	if (enable(fd, path, controllers, e) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

int cgroup_create(const char *root, const struct resources_spec *l, const char *name,
		  struct cgroup *cg, struct rp_err *e)
{
	const char *parent = l->parent ? l->parent : CGROUP_DEFAULT_PARENT;
	_cleanup_close_ int pfd = -1;
	char controllers[64];

	cg->fd = -1;
	limits_controllers(l, controllers, sizeof(controllers));
	if (xsnprintf(cg->path, sizeof(cg->path), "%s%s/%s", root, parent, name) < 0)
		return rp_fail(e, ENAMETOOLONG, "cgroup", "%s%s/%s", root, parent, name);
	pfd = open_parent(root, parent, controllers, e);
	if (pfd < 0)
		return -1;
	if (mkdirat(pfd, name, 0755) < 0)
		return rp_fail(e, errno, "cgroup", "create %s", cg->path);
	cg->fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (cg->fd < 0) {
		rp_fail(e, errno, "cgroup", "open %s", cg->path);
		unlinkat(pfd, name, AT_REMOVEDIR);
		return -1;
	}
	if (cgroup_write_limits(cg->fd, l, e) < 0) {
		close(cg->fd);
		cg->fd = -1;
		unlinkat(pfd, name, AT_REMOVEDIR);
		return rp_err_prefix(e, "%s", cg->path);
	}
	return 0;
}

int cgroup_attach(const struct cgroup *cg, pid_t pid, struct rp_err *e)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", pid);
	return write_at(cg->fd, "cgroup.procs", buf, e);
}

/* ---- statistics --------------------------------------------------------------- */

int cgroup_oom_killed(const struct cgroup *cg)
{
	char buf[1024];
	const char *p;
	unsigned long long n;

	if (read_small(cg->fd, "memory.events", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "oom_kill ");
	if (!p || sscanf(p + 9, "%llu", &n) != 1)
		return -1;
	return n > 0;
}

/* "key value" lines of a flat-keyed file into a JSON object. */
static json_t *keyed(int dirfd, const char *file, const char *const *keys, size_t nkeys)
{
	char buf[4096], *save = NULL, *line;
	json_t *o;

	if (read_small(dirfd, file, buf, sizeof(buf)) < 0)
		return NULL;
	o = json_object();
	for (line = strtok_r(buf, "\n", &save); o && line; line = strtok_r(NULL, "\n", &save)) {
		char k[64];
		unsigned long long v;

		if (sscanf(line, "%63s %llu", k, &v) != 2)
			continue;
		for (size_t i = 0; i < nkeys; i++)
			if (strcmp(k, keys[i]) == 0)
				json_object_set_new(o, k, json_integer((json_int_t)v));
	}
	return o;
}

static json_t *single(int dirfd, const char *file)
{
	char buf[64];

	if (read_small(dirfd, file, buf, sizeof(buf)) < 0)
		return NULL;
	return json_integer((json_int_t)strtoll(buf, NULL, 10));
}

/* io.stat: "8:0 rbytes=1 wbytes=2 ..." per device; summed. */
static json_t *io_bytes(int dirfd)
{
	char buf[4096];
	unsigned long long r = 0, w = 0, v;

	if (read_small(dirfd, "io.stat", buf, sizeof(buf)) < 0)
		return NULL;
	for (char *p = buf; (p = strstr(p, "bytes=")); p += 6) {
		v = strtoull(p + 6, NULL, 10);
		if (p > buf && p[-1] == 'r')
			r += v;
		else if (p > buf && p[-1] == 'w')
			w += v;
	}
	return json_pack("{s:I,s:I}", "rbytes", (json_int_t)r, "wbytes", (json_int_t)w);
}

static void put(json_t *o, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(o, key, v);
}

int cgroup_stats(const struct cgroup *cg, FILE *out)
{
	static const char *const mem_events[] = { "high", "max", "oom", "oom_kill" };
	static const char *const cpu[] = { "usage_usec", "user_usec", "system_usec", "nr_periods",
					   "nr_throttled", "throttled_usec" };
	json_t *o = json_object();
	char *s;

	if (!o)
		return -1;
	put(o, "memory.peak", single(cg->fd, "memory.peak"));
	put(o, "memory.events", keyed(cg->fd, "memory.events", mem_events, ARRAY_SIZE(mem_events)));
	put(o, "cpu.stat", keyed(cg->fd, "cpu.stat", cpu, ARRAY_SIZE(cpu)));
	put(o, "io.stat", io_bytes(cg->fd));
	put(o, "pids.peak", single(cg->fd, "pids.peak"));
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (!s)
		return -1;
	fprintf(out, "%s\n", s);
	free(s);
	return 0;
}

/* ---- destroying ------------------------------------------------------------------ */

static bool populated(int dirfd)
{
	char buf[256];

	return read_small(dirfd, "cgroup.events", buf, sizeof(buf)) == 0 && strstr(buf, "populated 1");
}

/* Kill every process in the cgroup: cgroup.kill (5.14+), else SIGKILL to
 * each pid listed, repeated while new ones appear. */
static void kill_all(int dirfd)
{
	char buf[4096];

	if (write_file_at(dirfd, "cgroup.kill", "1") == 0)
		return;
	for (int round = 0; round < 10 && read_small(dirfd, "cgroup.procs", buf, sizeof(buf)) == 0 && buf[0]; round++)
		for (char *p = buf; *p;) {
			char *end;
			long pid = strtol(p, &end, 10);
			if (end == p)
				break;
			kill((pid_t)pid, SIGKILL);
			p = end + (*end == '\n');
		}
}

/* Wait for "populated 0": cgroup.events signals POLLPRI on change. */
static void wait_empty(int dirfd)
{
	_cleanup_close_ int fd = openat(dirfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	struct pollfd p = { .fd = fd, .events = POLLPRI };

	for (int i = 0; i < 50 && populated(dirfd); i++)
		if (fd < 0 || poll(&p, 1, 100) < 0)
			usleep(10000);
}

static int remove_dir(const char *path, struct rp_err *e)
{
	/* rmdir can race the last exits: retry briefly on EBUSY. */
	for (int i = 0; i < 100; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		usleep(10000);
	}
	return rp_fail(e, errno, "cgroup", "remove %s", path);
}

int cgroup_destroy(struct cgroup *cg, struct rp_err *e)
{
	int r;

	if (cg->fd < 0)
		return 0;
	kill_all(cg->fd);
	wait_empty(cg->fd);
	close(cg->fd);
	cg->fd = -1;
	r = remove_dir(cg->path, e);
	return r;
}

/* A cgroup named launch-<pid> whose launcher is gone (or is no longer a
 * rampart process) is stale. */
static bool owner_alive(const char *name)
{
	char path[64], comm[32] = "";
	long pid = strtol(name + strlen(CGROUP_NAME_PREFIX), NULL, 10);
	_cleanup_close_ int fd = -1;
	ssize_t n;

	if (pid <= 0)
		return true; /* not ours to judge */
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, comm, sizeof(comm) - 1);
	return n > 0 && strncmp(comm, "rampart", 7) == 0;
}

int cgroup_gc(const char *root, const char *parent, struct rp_err *e)
{
	char path[PATH_MAX];
	DIR *d;
	struct dirent *de;
	int removed = 0;

	if (xsnprintf(path, sizeof(path), "%s%s", root, parent ? parent : CGROUP_DEFAULT_PARENT) < 0)
		return rp_fail(e, ENAMETOOLONG, "cgroup", "gc");
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : rp_fail(e, errno, "cgroup", "gc %s", path);
	while ((de = readdir(d))) {
		struct cgroup cg;

		if (de->d_type != DT_DIR || strncmp(de->d_name, CGROUP_NAME_PREFIX, strlen(CGROUP_NAME_PREFIX)) ||
		    owner_alive(de->d_name))
			continue;
		if (xsnprintf(cg.path, sizeof(cg.path), "%s/%s", path, de->d_name) < 0)
			continue;
		cg.fd = open(cg.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (cg.fd < 0)
			continue;
		if (cgroup_destroy(&cg, e) < 0) {
			closedir(d);
			return -1;
		}
		removed++;
	}
	closedir(d);
	return removed;
}
