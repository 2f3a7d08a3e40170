/* oci_state.c - the per-container state directory (see oci_state.h). */
#include "oci_state.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json_util.h"
#include "util.h"

#define STATE_MAX (1 << 20)

int oci_id_check(const char *id, struct rp_err *e)
{
	size_t n = strlen(id);

	if (n == 0 || n >= OCI_ID_MAX || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return rp_fail(e, 0, "container", "invalid id '%s'", id);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && !strchr("_.+-", id[i]))
			return rp_fail(e, 0, "container", "invalid id '%s' (letters, digits and _.+- only)", id);
	return 0;
}

/* The root is made 0700 (its missing parents 0755, as runc makes
 * /run/containerd/runc/NS): ids, bundles and pids are nobody else's
 * business. */
static int make_root(const char *root)
{
	char path[PATH_MAX];

	if (mkdir(root, 0700) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT || xsnprintf(path, sizeof(path), "%s", root) < 0)
		return -1;
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(root, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static int open_root(const char *root, bool create, struct rp_err *e)
{
	int fd;

	if (create && make_root(root) < 0)
		return rp_fail(e, errno, "state", "create %s", root);
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return rp_fail(e, errno, "state", "%s", root);
	return fd;
}

static int lock_dir(struct oci_state *st, const char *root, struct rp_err *e)
{
	while (flock(st->dirfd, LOCK_EX) < 0)
		if (errno != EINTR)
			return rp_fail(e, errno, "state", "lock %s/%s", root, st->id);
	return 0;
}

int oci_state_create(const char *root, const char *id, struct oci_state *st, struct rp_err *e)
{
	_cleanup_close_ int rfd = -1;

	memset(st, 0, sizeof(*st));
	st->dirfd = -1;
	if (oci_id_check(id, e) < 0)
		return -1;
	snprintf(st->id, sizeof(st->id), "%s", id);
	rfd = open_root(root, true, e);
	if (rfd < 0)
		return -1;
	if (mkdirat(rfd, id, 0700) < 0)
		return rp_fail(e, errno, "container", errno == EEXIST ? "%s already exists" : "%s", id);
	st->dirfd = openat(rfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (st->dirfd < 0) {
		rp_fail(e, errno, "state", "%s/%s", root, id);
		unlinkat(rfd, id, AT_REMOVEDIR);
		return -1;
	}
	st->owner = geteuid();
	return lock_dir(st, root, e);
}

static char *dup_str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? xstrdup(v) : NULL;
}

static void read_strv(const json_t *o, const char *key, char ***out)
{
	const json_t *a = json_object_get(o, key), *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (json_is_string(v))
			strv_push(out, json_string_value(v));
}

static int parse_state(struct oci_state *st, const char *text, size_t len)
{
	json_error_t jerr;
	json_t *o = json_loadb(text, len, 0, &jerr);

	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	st->pid = (pid_t)json_integer_value(json_object_get(o, "pid"));
	st->start = (unsigned long long)json_integer_value(json_object_get(o, "pidStart"));
	st->owner = (uid_t)json_integer_value(json_object_get(o, "owner"));
	st->ready = json_is_true(json_object_get(o, "ready"));
	st->bounding = (uint64_t)json_integer_value(json_object_get(o, "bounding"));
	st->nnp = json_is_true(json_object_get(o, "noNewPrivileges"));
	st->userns = json_is_true(json_object_get(o, "userns"));
	st->bundle = dup_str(o, "bundle");
	st->rootfs = dup_str(o, "rootfs");
	st->created = dup_str(o, "created");
	st->cgroup = dup_str(o, "cgroup");
	st->annotations = json_incref(json_object_get(o, "annotations"));
	read_strv(o, "profiles", &st->profiles);
	read_strv(o, "sets", &st->sets);
	json_decref(o);
	return 0;
}

static int open_state(const char *root, const char *id, bool lock, struct oci_state *st, struct rp_err *e);

int oci_state_open(const char *root, const char *id, struct oci_state *st, struct rp_err *e)
{
	return open_state(root, id, true, st, e);
}

int oci_state_peek(const char *root, const char *id, struct oci_state *st, struct rp_err *e)
{
	return open_state(root, id, false, st, e);
}

static int open_state(const char *root, const char *id, bool lock, struct oci_state *st, struct rp_err *e)
{
	_cleanup_close_ int rfd = -1, fd = -1;
	_cleanup_free_ char *text = NULL;
	size_t len;

	memset(st, 0, sizeof(*st));
	st->dirfd = -1;
	if (oci_id_check(id, e) < 0)
		return -1;
	snprintf(st->id, sizeof(st->id), "%s", id);
	rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	st->dirfd = rfd < 0 ? -1 : openat(rfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (st->dirfd < 0)
		return rp_fail_code(e, RP_EXIT_ERROR, 0, "container", "%s does not exist", id);
	if (lock && lock_dir(st, root, e) < 0)
		return -1;
	fd = openat(st->dirfd, "state.json", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return 0; /* creating, or a create that died: pid 0 */
	if (fd < 0 || read_all(fd, STATE_MAX, &text, &len) < 0)
		return rp_fail(e, errno, "state", "%s/%s/state.json", root, id);
	if (parse_state(st, text, len) < 0)
		return rp_fail(e, 0, "state", "%s/%s/state.json: not a rampart state file", root, id);
	return 0;
}


int oci_state_save(const struct oci_state *st, struct rp_err *e)
{
	json_t *o = jmust(json_object());
	char *text;
	int fd, r = -1;

	jset(o, "id", json_string(st->id));
	jset(o, "pid", json_integer(st->pid));
	jset(o, "pidStart", json_integer((json_int_t)st->start));
	jset(o, "owner", json_integer(st->owner));
	jset(o, "ready", json_boolean(st->ready));
	/* 64 capability bits fit json_int_t: cap_last_cap is below 63. */
	jset(o, "bounding", json_integer((json_int_t)st->bounding));
	jset(o, "noNewPrivileges", json_boolean(st->nnp));
	jset(o, "userns", json_boolean(st->userns));
	if (st->bundle)
		jset(o, "bundle", json_string(st->bundle));
	if (st->rootfs)
		jset(o, "rootfs", json_string(st->rootfs));
	if (st->created)
		jset(o, "created", json_string(st->created));
	if (st->cgroup)
		jset(o, "cgroup", json_string(st->cgroup));
	jset(o, "annotations", st->annotations ? json_incref(st->annotations) : json_object());
	jset(o, "profiles", jstrv((const char *const *)st->profiles));
	jset(o, "sets", jstrv((const char *const *)st->sets));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return rp_fail(e, ENOMEM, "state", "%s", st->id);
	fd = openat(st->dirfd, "state.json.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	/* No fsync: the state root is a tmpfs (/run) in every deployment that
	 * matters, and the rename alone is what readers rely on. */
	if (fd >= 0 && write_all(fd, text, strlen(text)) == 0 && close(fd) == 0) {
		fd = -1;
		if (renameat(st->dirfd, "state.json.tmp", st->dirfd, "state.json") == 0)
			r = 0;
	}
	if (r < 0)
		rp_fail(e, errno, "state", "write the state of %s", st->id);
	if (fd >= 0)
		close(fd);
	free(text);
	return r;
}

unsigned long long oci_pid_start(pid_t pid, bool *zombie)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	int fd;
	ssize_t n;

	*zombie = false;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: skip to the last ')'. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2])
		return 0;
	*zombie = p[2] == 'Z' || p[2] == 'X';
	/* Fields 3 (state) to 22 (starttime): skip 19 more after the state. */
	p += 2;
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p || sscanf(p, "%llu", &start) != 1)
		return 0;
	return start;
}

bool oci_state_alive(const struct oci_state *st)
{
	bool zombie;

	if (st->pid <= 0)
		return false;
	return oci_pid_start(st->pid, &zombie) == st->start && st->start && !zombie;
}

static bool cgroup_frozen(const char *cgroup)
{
	char path[PATH_MAX], buf[256];
	int fd;
	ssize_t n;

	if (!cgroup || xsnprintf(path, sizeof(path), "%s/cgroup.events", cgroup) < 0)
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "frozen 1") != NULL;
}

const char *oci_state_status(const struct oci_state *st)
{
	if (st->pid == 0)
		return "creating";
	if (!oci_state_alive(st))
		return "stopped";
	if (!st->ready)
		return "creating";
	if (faccessat(st->dirfd, "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return "created";
	if (cgroup_frozen(st->cgroup))
		return "paused";
	return "running";
}

json_t *oci_state_json(const struct oci_state *st)
{
	const char *status = oci_state_status(st);
	json_t *o = jmust(json_object());

	jset(o, "ociVersion", json_string("1.2.0"));
	jset(o, "id", json_string(st->id));
	jset(o, "status", json_string(status));
	/* runc's convention: a stopped container has no pid. */
	jset(o, "pid", json_integer(strcmp(status, "stopped") ? st->pid : 0));
	jset(o, "bundle", json_string(st->bundle ? st->bundle : ""));
	jset(o, "rootfs", json_string(st->rootfs ? st->rootfs : ""));
	jset(o, "created", json_string(st->created ? st->created : ""));
	jset(o, "owner", json_string(st->owner == 0 ? "root" : ""));
	if (st->annotations && json_object_size(st->annotations))
		jset(o, "annotations", json_incref(st->annotations));
	return o;
}

/* Remove the files we know of; anything else stops the rmdir, loudly. */
int oci_state_remove(const char *root, struct oci_state *st, struct rp_err *e)
{
	static const char *const files[] = { "state.json", "state.json.tmp", "config.json", "exec.fifo",
					     "seccomp.profile" };
	_cleanup_close_ int rfd = -1;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (unlinkat(st->dirfd, files[i], 0) < 0 && errno != ENOENT)
			return rp_fail(e, errno, "state", "remove %s/%s/%s", root, st->id, files[i]);
	/* ENOENT: a delete --force got there first (a foreground run). */
	rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0 || (unlinkat(rfd, st->id, AT_REMOVEDIR) < 0 && errno != ENOENT))
		return rp_fail(e, errno, "state", "remove %s/%s", root, st->id);
	return 0;
}

int oci_state_read_file(const struct oci_state *st, const char *name, size_t max, char **text, size_t *len,
			struct rp_err *e)
{
	_cleanup_close_ int fd = openat(st->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 || read_all(fd, max, text, len) < 0)
		return rp_fail(e, errno, "state", "%s of container %s", name, st->id);
	return 0;
}

void oci_state_free(struct oci_state *st)
{
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->cgroup);
	json_decref(st->annotations);
	strv_free(st->profiles);
	strv_free(st->sets);
	if (st->dirfd >= 0)
		close(st->dirfd);
	memset(st, 0, sizeof(*st));
	st->dirfd = -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int oci_state_list(const char *root, char ***ids, struct rp_err *e)
{
	DIR *d = opendir(root);
	struct dirent *de;

	*ids = NULL;
	if (!d && errno == ENOENT)
		return 0;
	if (!d)
		return rp_fail(e, errno, "state", "%s", root);
	while ((de = readdir(d)))
		if (de->d_type == DT_DIR && de->d_name[0] != '.')
			strv_push(ids, de->d_name);
	closedir(d);
	if (*ids)
		qsort(*ids, strv_len(*ids), sizeof(char *), cmp_str);
	return 0;
}
