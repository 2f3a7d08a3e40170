/* oci_config.c - config.json into struct spec (see oci.h, docs/oci.md).
 *
 * One reader per top-level object, each handed the JSON path it reads so
 * that every error names it. Nothing here touches the system except
 * reading the config and stat(2) of bind sources and device nodes;
 * spec_validate() then checks the whole spec as for a profile.
 */
#include "oci.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <jansson.h>

#include "caps.h"
#include "json_util.h"
#include "cgroup.h"
#include "parse.h"
#include "process.h"
#include "profile.h"
#include "seccomp_json.h"
#include "util.h"

#define CONFIG_MAX (4 << 20)

#ifndef MOUNT_ATTR_NOATIME
#define MOUNT_ATTR_RELATIME 0x00000000
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME 0x00000080
#endif

struct rd {
	struct spec *s;
	const char *source;   /* "BUNDLE/config.json" */
	const char *bundle;
	const char *file;     /* interned source, for struct origin */
	struct rp_err *e;
};

static int fail(struct rd *r, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct rd *r, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return rp_fail_code(r->e, RP_EXIT_ERROR, 0, r->source, "%s: %s", path, msg);
}

/* ---- typed getters: absent (or null) is "not set", a wrong type an error ---- */

static const json_t *get(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return v && !json_is_null(v) ? v : NULL;
}

/* A string without NUL bytes. (scj_loads turns numbers of 2^63 and more
 * into a NUL-led marker string: those are numbers, not strings.) */
static bool plain_string(const json_t *v)
{
	return json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v);
}

static int want_type(struct rd *r, const json_t *v, const char *path, json_type t, const char *what)
{
	if (v && t == JSON_STRING && !plain_string(v))
		return fail(r, path, "expected %s", what);
	if (v && json_typeof(v) != t && !(t == JSON_TRUE && json_is_boolean(v)))
		return fail(r, path, "expected %s", what);
	return 0;
}

static int get_obj(struct rd *r, const json_t *o, const char *key, const char *parent, const json_t **out)
{
	char p[JSON_PATH_LEN];

	*out = get(o, key);
	return want_type(r, *out, json_path_key(p, parent, key), JSON_OBJECT, "an object");
}

static int get_arr(struct rd *r, const json_t *o, const char *key, const char *parent, const json_t **out)
{
	char p[JSON_PATH_LEN];

	*out = get(o, key);
	return want_type(r, *out, json_path_key(p, parent, key), JSON_ARRAY, "an array");
}

static int get_str(struct rd *r, const json_t *o, const char *key, const char *parent, const char **out)
{
	const json_t *v = get(o, key);
	char p[JSON_PATH_LEN];

	*out = NULL;
	if (want_type(r, v, json_path_key(p, parent, key), JSON_STRING, "a string") < 0)
		return -1;
	*out = v ? json_string_value(v) : NULL;
	return 0;
}

static int get_bool(struct rd *r, const json_t *o, const char *key, const char *parent, bool *out)
{
	const json_t *v = get(o, key);
	char p[JSON_PATH_LEN];

	if (want_type(r, v, json_path_key(p, parent, key), JSON_TRUE, "true or false") < 0)
		return -1;
	if (v)
		*out = json_is_true(v);
	return 0;
}

/* An integer in [min, max]; returns 1 if set, 0 if absent, -1 on error. */
static int get_int(struct rd *r, const json_t *o, const char *key, const char *parent, long long min,
		   long long max, long long *out)
{
	const json_t *v = get(o, key);
	char p[JSON_PATH_LEN];

	json_path_key(p, parent, key);
	if (!v)
		return 0;
	if (!json_is_integer(v))
		return fail(r, p, "expected an integer");
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return fail(r, p, "%lld is out of range (%lld to %lld)", (long long)json_integer_value(v), min, max);
	*out = json_integer_value(v);
	return 1;
}

/* An integer up to UINT64_MAX (runtime-spec's uint64 fields); 1 set,
 * 0 absent, -1 error. */
static int get_u64(struct rd *r, const json_t *o, const char *key, const char *parent, uint64_t *out)
{
	const json_t *v = get(o, key);
	char p[JSON_PATH_LEN];

	if (!v)
		return 0;
	if (scj_u64(v, out) < 0)
		return fail(r, json_path_key(p, parent, key), "expected a non-negative integer");
	return 1;
}

/* Every element a string: copied onto *out. */
static int get_strv(struct rd *r, const json_t *o, const char *key, const char *parent, char ***out)
{
	const json_t *a, *v;
	char p[JSON_PATH_LEN], pi[JSON_PATH_LEN];
	size_t i;

	if (get_arr(r, o, key, parent, &a) < 0)
		return -1;
	json_path_key(p, parent, key);
	json_array_foreach(a, i, v) {
		if (!plain_string(v))
			return fail(r, json_path_idx(pi, p, i), "expected a string");
		strv_push(out, json_string_value(v));
	}
	return 0;
}

static int container_path(struct rd *r, const char *path, const char *in, char *out, size_t len)
{
	if (parse_container_path(in, out, len) < 0)
		return fail(r, path, "'%s' is not an absolute path without . or .. components", in);
	return 0;
}

/* ---- process ------------------------------------------------------------------ */

static int read_user(struct rd *r, const json_t *proc)
{
	const json_t *u, *gids, *v;
	long long uid = 0, gid = 0, um;
	char buf[32], p[JSON_PATH_LEN], pi[JSON_PATH_LEN];
	struct user_spec *us = &r->s->user;
	size_t i;

	if (get_obj(r, proc, "user", "process", &u) < 0)
		return -1;
	if (!u)
		return fail(r, "process.user", "missing");
	if (get_int(r, u, "uid", "process.user", 0, UINT32_MAX - 1, &uid) < 0 ||
	    get_int(r, u, "gid", "process.user", 0, UINT32_MAX - 1, &gid) < 0)
		return -1;
	switch (get_int(r, u, "umask", "process.user", 0, 0777, &um)) {
	case -1: return -1;
	case 1: r->s->oci.umask = (int)um; break;
	}
	/* Numeric, as OCI means them: no lookup in the image's /etc/passwd. */
	snprintf(buf, sizeof(buf), "%lld", uid);
	free(us->name);
	us->name = xstrdup(buf);
	snprintf(buf, sizeof(buf), "%lld", gid);
	free(us->group);
	us->group = xstrdup(buf);
	us->origin = (struct origin){ r->file, 0 };
	strv_free(us->groups);
	us->groups = NULL;
	if (get_arr(r, u, "additionalGids", "process.user", &gids) < 0)
		return -1;
	json_path_key(p, "process.user", "additionalGids");
	if (json_array_size(gids) > SPEC_MAX_GROUPS)
		return fail(r, p, "more than %d groups", SPEC_MAX_GROUPS);
	json_array_foreach(gids, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) >= UINT32_MAX)
			return fail(r, json_path_idx(pi, p, i), "expected a gid (an integer)");
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		strv_push(&us->groups, buf);
	}
	us->groups_origin = us->origin;
	return 0;
}

static int cap_set(struct rd *r, const json_t *caps, const char *key, uint64_t *out)
{
	const json_t *a, *v;
	char p[JSON_PATH_LEN], pi[JSON_PATH_LEN];
	size_t i;

	*out = 0;
	if (get_arr(r, caps, key, "process.capabilities", &a) < 0)
		return -1;
	json_path_key(p, "process.capabilities", key);
	json_array_foreach(a, i, v) {
		int cap = plain_string(v) && strncmp(json_string_value(v), "CAP_", 4) == 0
				  ? caps_from_name(json_string_value(v))
				  : -1;
		if (!plain_string(v))
			return fail(r, json_path_idx(pi, p, i), "expected a string");
		if (cap < 0 || cap > 63)
			return fail(r, json_path_idx(pi, p, i), "unknown capability '%s'", json_string_value(v));
		if (cap > caps_last())
			continue; /* newer than this kernel: it cannot be granted anyway */
		*out |= UINT64_C(1) << cap;
	}
	return 0;
}

static int read_caps(struct rd *r, const json_t *proc)
{
	static const char *const sets[5] = { "bounding", "effective", "inheritable", "permitted", "ambient" };
	const json_t *caps;
	uint64_t *c = r->s->oci.caps;

	if (get_obj(r, proc, "capabilities", "process", &caps) < 0)
		return -1;
	for (int i = 0; i < 5; i++)
		if (cap_set(r, caps, sets[i], &c[i]) < 0)
			return -1;
	/* Ambient and inheritable beyond the bounding set cannot be granted. */
	r->s->caps_keep = c[0];
	r->s->oci.caps_split = !(c[1] == c[0] && c[2] == c[0] && c[3] == c[0] && c[4] == c[0]);
	return 0;
}

static int read_rlimits(struct rd *r, const json_t *proc)
{
	const json_t *a, *v;
	char p[JSON_PATH_LEN], pi[JSON_PATH_LEN];
	size_t i;

	if (get_arr(r, proc, "rlimits", "process", &a) < 0)
		return -1;
	json_path_key(p, "process", "rlimits");
	json_array_foreach(a, i, v) {
		const char *type;
		uint64_t hard = 0, soft = 0;
		int res, has_hard, has_soft;

		json_path_idx(pi, p, i);
		if (want_type(r, v, pi, JSON_OBJECT, "an object") < 0 || get_str(r, v, "type", pi, &type) < 0 ||
		    (has_hard = get_u64(r, v, "hard", pi, &hard)) < 0 || (has_soft = get_u64(r, v, "soft", pi, &soft)) < 0)
			return -1;
		res = type ? rlimit_from_name(type) : -1;
		if (!type || strncmp(type, "RLIMIT_", 7) != 0 || res < 0) {
			char pt[JSON_PATH_LEN];
			return fail(r, json_path_key(pt, pi, "type"), "unknown rlimit '%s'", type ? type : "");
		}
		if (!has_hard || !has_soft)
			return fail(r, pi, "needs both 'hard' and 'soft'");
		if (soft > hard)
			return fail(r, pi, "soft limit above hard limit");
		r->s->rlimits[res] = (struct rlimit_spec){
			.set = true, .value = { (rlim_t)soft, (rlim_t)hard }, .origin = { r->file, 0 } };
	}
	return 0;
}

static int read_env(struct rd *r, const json_t *proc)
{
	_cleanup_strv_ char **env = NULL;

	if (get_strv(r, proc, "env", "process", &env) < 0)
		return -1;
	strv_free(r->s->env);
	r->s->env = NULL;
	for (size_t i = 0; env && env[i]; i++) {
		char p[JSON_PATH_LEN];
		if (!strchr(env[i], '=') || env[i][0] == '=')
			return fail(r, json_path_idx(p, "process.env", i), "'%s' is not NAME=VALUE", env[i]);
		spec_set_env(r->s, env[i]);
	}
	return 0;
}

static int read_console(struct rd *r, const json_t *proc)
{
	const json_t *size;
	long long h = 0, w = 0;

	if (get_bool(r, proc, "terminal", "process", &r->s->oci.terminal) < 0 ||
	    get_obj(r, proc, "consoleSize", "process", &size) < 0)
		return -1;
	if (size && (get_int(r, size, "height", "process.consoleSize", 0, USHRT_MAX, &h) < 0 ||
		     get_int(r, size, "width", "process.consoleSize", 0, USHRT_MAX, &w) < 0))
		return -1;
	r->s->oci.rows = (unsigned short)h;
	r->s->oci.cols = (unsigned short)w;
	return 0;
}

/* Labels for LSMs rampart does not drive: saying no is better than a
 * container that silently runs without the confinement asked for. */
static int refuse_lsm(struct rd *r, const json_t *o, const char *key, const char *parent, const char *lsm)
{
	const char *v;
	char p[JSON_PATH_LEN];

	if (get_str(r, o, key, parent, &v) < 0)
		return -1;
	if (v && *v)
		return fail(r, json_path_key(p, parent, key), "%s is not supported by rampart (remove it, or use a runtime that applies it)", lsm);
	return 0;
}

static int read_process(struct rd *r, const json_t *doc)
{
	const json_t *proc;
	const char *cwd;
	char buf[PATH_MAX];
	long long adj;
	bool nnp = true;

	if (get_obj(r, doc, "process", "", &proc) < 0)
		return -1;
	if (!proc)
		return fail(r, "process", "missing (create and run need the process to start)");
	strv_free(r->s->argv);
	r->s->argv = NULL;
	if (get_strv(r, proc, "args", "process", &r->s->argv) < 0)
		return -1;
	if (!r->s->argv || !r->s->argv[0][0])
		return fail(r, "process.args", "needs at least the program to run");
	if (get_str(r, proc, "cwd", "process", &cwd) < 0)
		return -1;
	if (!cwd)
		return fail(r, "process.cwd", "missing");
	if (container_path(r, "process.cwd", cwd, buf, sizeof(buf)) < 0)
		return -1;
	free(r->s->cwd);
	r->s->cwd = xstrdup(buf);
	/* Absent means "hardened": the one OCI default rampart overrides. */
	if (get_bool(r, proc, "noNewPrivileges", "process", &nnp) < 0)
		return -1;
	r->s->no_new_privs = nnp;
	switch (get_int(r, proc, "oomScoreAdj", "process", -1000, 1000, &adj)) {
	case -1: return -1;
	case 1: r->s->oci.oom_score_adj_set = true; r->s->oci.oom_score_adj = (int)adj; break;
	}
	if (read_user(r, proc) < 0 || read_caps(r, proc) < 0 || read_rlimits(r, proc) < 0 ||
	    read_env(r, proc) < 0 || read_console(r, proc) < 0 ||
	    refuse_lsm(r, proc, "apparmorProfile", "process", "AppArmor") < 0 ||
	    refuse_lsm(r, proc, "selinuxLabel", "process", "SELinux") < 0)
		return -1;
	return 0;
}

/* ---- root, hostname ------------------------------------------------------------ */

static int read_root(struct rd *r, const json_t *doc)
{
	const json_t *root;
	const char *path;
	char joined[PATH_MAX], real[PATH_MAX];
	bool ro = false;

	if (get_obj(r, doc, "root", "", &root) < 0)
		return -1;
	if (!root)
		return fail(r, "root", "missing");
	if (get_str(r, root, "path", "root", &path) < 0 || get_bool(r, root, "readonly", "root", &ro) < 0)
		return -1;
	if (!path || !*path)
		return fail(r, "root.path", "missing");
	if (xsnprintf(joined, sizeof(joined), "%s/%s", r->bundle, path) < 0)
		return fail(r, "root.path", "too long");
	if (!realpath(path[0] == '/' ? path : joined, real))
		return fail(r, "root.path", "%s: %s", path, strerror(errno));
	free(r->s->rootfs);
	r->s->rootfs = xstrdup(real);
	r->s->rootfs_readonly = ro;
	return 0;
}

static int read_names(struct rd *r, const json_t *doc)
{
	const char *host, *domain;

	if (get_str(r, doc, "hostname", "", &host) < 0 || get_str(r, doc, "domainname", "", &domain) < 0)
		return -1;
	free(r->s->hostname);
	r->s->hostname = host ? xstrdup(host) : NULL;
	if (host && strlen(host) > 64)
		return fail(r, "hostname", "longer than 64 bytes");
	if (domain && strlen(domain) > 64)
		return fail(r, "domainname", "longer than 64 bytes");
	r->s->oci.domainname = domain ? xstrdup(domain) : NULL;
	return 0;
}

/* ---- mounts --------------------------------------------------------------------- */

/* The kernel file systems rampart mounts itself, hardened, at their usual
 * places; a config that lists them there gets rampart's. */
static bool builtin_mount(const char *type, const char *dest)
{
	static const struct { const char *type, *dest; } b[] = {
		{ "proc", "/proc" },	  { "sysfs", "/sys" },	 { "tmpfs", "/dev" },
		{ "devpts", "/dev/pts" }, { "mqueue", "/dev/mqueue" }, { "cgroup", "/sys/fs/cgroup" },
		{ "cgroup2", "/sys/fs/cgroup" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(b); i++)
		if (strcmp(type, b[i].type) == 0 && strcmp(dest, b[i].dest) == 0)
			return true;
	return false;
}

static const struct { const char *name; unsigned long prop; } propagations[] = {
	{ "private", MS_PRIVATE },	   { "rprivate", MS_PRIVATE },	 { "slave", MS_SLAVE },
	{ "rslave", MS_SLAVE },		   { "shared", MS_SHARED },	 { "rshared", MS_SHARED },
	{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE },
};

static const struct { const char *name; unsigned attr; } atimes[] = {
	{ "relatime", MOUNT_ATTR_RELATIME }, { "norelatime", 0 },	 { "strictatime", MOUNT_ATTR_STRICTATIME },
	{ "nostrictatime", 0 },		     { "noatime", MOUNT_ATTR_NOATIME }, { "atime", 0 },
	{ "nodiratime", MOUNT_ATTR_NODIRATIME }, { "diratime", 0 },
};

/* One option word onto m; tmpfs key=value options other than size and
 * mode pass to the kernel as they are. */
static int mount_option(struct rd *r, const char *path, const char *o, bool tmpfs, struct mount_spec *m)
{
	if (strcmp(o, "ro") == 0 || strcmp(o, "rw") == 0) {
		m->readonly = o[1] == 'o';
	} else if (strcmp(o, "noexec") == 0 || strcmp(o, "exec") == 0) {
		m->exec = o[0] == 'e';
	} else if (!strcmp(o, "nosuid") || !strcmp(o, "nodev") || !strcmp(o, "suid") || !strcmp(o, "dev")) {
		/* nosuid and nodev are on every mount rampart makes. */
	} else if (strcmp(o, "bind") == 0 || strcmp(o, "rbind") == 0) {
		m->recursive = o[0] == 'r';
	} else if (strncmp(o, "size=", 5) == 0 && tmpfs) {
		if (parse_size(o + 5, false, &m->size) < 0)
			return fail(r, path, "bad tmpfs size '%s'", o + 5);
	} else if (strncmp(o, "mode=", 5) == 0 && tmpfs) {
		if (parse_mode(o + 5, &m->mode) < 0)
			return fail(r, path, "bad tmpfs mode '%s'", o + 5);
	} else if (strchr(o, '=') && tmpfs) {
		char *data = m->data;
		size_t n = (data ? strlen(data) + 1 : 0) + strlen(o) + 1;

		if (strchr(o, ',') || n > 1024)
			return fail(r, path, "bad tmpfs option '%s'", o);
		m->data = xmalloc(n);
		snprintf(m->data, n, "%s%s%s", data ? data : "", data ? "," : "", o);
		free(data);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(propagations); i++)
			if (strcmp(o, propagations[i].name) == 0) {
				m->propagation = propagations[i].prop;
				return 0;
			}
		for (size_t i = 0; i < ARRAY_SIZE(atimes); i++)
			if (strcmp(o, atimes[i].name) == 0) {
				m->attr = atimes[i].attr;
				return 0;
			}
		return fail(r, path, "unsupported mount option '%s'", o);
	}
	return 0;
}

static bool has_option(char **opts, const char *a, const char *b)
{
	for (size_t i = 0; opts && opts[i]; i++)
		if (strcmp(opts[i], a) == 0 || strcmp(opts[i], b) == 0)
			return true;
	return false;
}

static int read_mount(struct rd *r, const json_t *v, const char *pi)
{
	const char *dest, *type, *src;
	_cleanup_strv_ char **opts = NULL;
	char target[PATH_MAX], source[PATH_MAX], p[JSON_PATH_LEN];
	struct mount_spec m = { .mode = -1, .exec = true, .origin = { r->file, 0 } };
	bool bind;

	if (want_type(r, v, pi, JSON_OBJECT, "an object") < 0 || get_str(r, v, "destination", pi, &dest) < 0 ||
	    get_str(r, v, "type", pi, &type) < 0 || get_str(r, v, "source", pi, &src) < 0 ||
	    get_strv(r, v, "options", pi, &opts) < 0)
		return -1;
	if (!dest)
		return fail(r, json_path_key(p, pi, "destination"), "missing");
	if (container_path(r, json_path_key(p, pi, "destination"), dest, target, sizeof(target)) < 0)
		return -1;
	bind = has_option(opts, "bind", "rbind") || (type && strcmp(type, "bind") == 0);
	if (!bind && type && builtin_mount(type, target))
		return 0;
	if (!bind && (!type || strcmp(type, "tmpfs") != 0))
		return fail(r, json_path_key(p, pi, "type"),
			    "'%s' is not supported at %s (bind mounts and tmpfs are; proc, sysfs, devpts, mqueue "
			    "and cgroup only at their usual places, where rampart mounts its own)",
			    type ? type : "", target);
	m.kind = bind ? MOUNT_BIND : MOUNT_TMPFS;
	m.target = target;
	for (size_t i = 0; opts && opts[i]; i++)
		if (mount_option(r, json_path_idx(p, json_path_key(source, pi, "options"), i), opts[i], !bind, &m) < 0)
			goto fail;
	if (bind) {
		if (!src || !*src) {
			fail(r, json_path_key(p, pi, "source"), "missing (a bind mount needs one)");
			goto fail;
		}
		/* A relative source is relative to the bundle, as in runc. */
		if (src[0] != '/' && xsnprintf(source, sizeof(source), "%s/%s", r->bundle, src) < 0) {
			fail(r, json_path_key(p, pi, "source"), "too long");
			goto fail;
		}
		m.source = src[0] == '/' ? (char *)src : source;
	}
	spec_add_mount(r->s, &m);
	free(m.data);
	return 0;
fail:
	free(m.data);
	return -1;
}

static int read_mounts(struct rd *r, const json_t *doc)
{
	const json_t *a, *v;
	char pi[JSON_PATH_LEN];
	size_t i;

	if (get_arr(r, doc, "mounts", "", &a) < 0)
		return -1;
	json_array_foreach(a, i, v)
		if (read_mount(r, v, json_path_idx(pi, "mounts", i)) < 0)
			return -1;
	return 0;
}

/* ---- linux: namespaces and id maps ------------------------------------------------ */

static int read_namespaces(struct rd *r, const json_t *lx)
{
	const json_t *a, *v;
	char pi[JSON_PATH_LEN], p[JSON_PATH_LEN];
	size_t i;

	if (get_arr(r, lx, "namespaces", "linux", &a) < 0)
		return -1;
	/* Only what is listed is new: an absent namespace is the host's. */
	for (int t = 0; t < NS_COUNT; t++)
		r->s->ns[t].unshare = false;
	json_array_foreach(a, i, v) {
		const char *type, *path;
		int t;

		json_path_idx(pi, "linux.namespaces", i);
		if (want_type(r, v, pi, JSON_OBJECT, "an object") < 0 || get_str(r, v, "type", pi, &type) < 0 ||
		    get_str(r, v, "path", pi, &path) < 0)
			return -1;
		t = type ? ns_from_name(type) : -1;
		if (t < 0 || !strcmp(type, "mnt") || !strcmp(type, "net"))
			return fail(r, json_path_key(p, pi, "type"), "unknown or unsupported namespace '%s'",
				    type ? type : "");
		if (r->s->ns[t].unshare || r->s->ns[t].path)
			return fail(r, pi, "the %s namespace is listed twice", type);
		r->s->ns[t].origin = (struct origin){ r->file, 0 };
		if (!path || !*path) {
			r->s->ns[t].unshare = true;
			continue;
		}
		if (path[0] != '/')
			return fail(r, json_path_key(p, pi, "path"), "'%s' is not an absolute path", path);
		if (t == NS_MNT || t == NS_USER)
			return fail(r, json_path_key(p, pi, "path"),
				    "joining an existing %s namespace is not supported", type);
		if (t == NS_NET) {
			/* rampart's `net join`: entered around clone. */
			r->s->net.mode = NET_JOIN;
			free(r->s->net.join);
			r->s->net.join = xstrdup(path);
			r->s->net.file = r->file;
			r->s->ns[t].unshare = true;
			continue;
		}
		r->s->ns[t].path = xstrdup(path);
	}
	if (!r->s->ns[NS_MNT].unshare)
		return fail(r, "linux.namespaces", "rampart needs a mount namespace (add {\"type\": \"mount\"})");
	if (!r->s->ns[NS_NET].unshare)
		r->s->net.mode = NET_HOST;
	return 0;
}

static int read_map(struct rd *r, const json_t *lx, const char *key, struct idmap *out, size_t *n)
{
	const json_t *a, *v;
	char p[JSON_PATH_LEN], pi[JSON_PATH_LEN];
	size_t i;

	if (get_arr(r, lx, key, "linux", &a) < 0)
		return -1;
	json_path_key(p, "linux", key);
	if (json_array_size(a) > SPEC_MAX_IDMAP)
		return fail(r, p, "more than %d ranges", SPEC_MAX_IDMAP);
	*n = 0;
	json_array_foreach(a, i, v) {
		long long in = -1, host = -1, size = -1;

		json_path_idx(pi, p, i);
		if (want_type(r, v, pi, JSON_OBJECT, "an object") < 0 ||
		    get_int(r, v, "containerID", pi, 0, UINT32_MAX - 1, &in) < 0 ||
		    get_int(r, v, "hostID", pi, 0, UINT32_MAX - 1, &host) < 0 ||
		    get_int(r, v, "size", pi, 1, UINT32_MAX, &size) < 0)
			return -1;
		if (in < 0 || host < 0 || size < 0)
			return fail(r, pi, "needs containerID, hostID and size");
		if (in + size - 1 > UINT32_MAX - 1 || host + size - 1 > UINT32_MAX - 1)
			return fail(r, pi, "range runs past the largest id");
		out[(*n)++] = (struct idmap){ (uint32_t)in, (uint32_t)host, (uint32_t)size };
	}
	return 0;
}

/* ---- linux: devices ----------------------------------------------------------------- */

/* Device nodes are bound from the host's identical node: no mknod, so a
 * config cannot conjure a node the host does not have. */
static int read_devices(struct rd *r, const json_t *lx)
{
	static const char *const builtin[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random",
					       "/dev/urandom", "/dev/tty" };
	const json_t *a, *v;
	char pi[JSON_PATH_LEN], p[JSON_PATH_LEN], target[PATH_MAX];
	size_t i;

	if (get_arr(r, lx, "devices", "linux", &a) < 0)
		return -1;
	json_array_foreach(a, i, v) {
		const char *path, *type;
		long long major = -1, minor = -1;
		struct stat st;
		bool known = false;

		json_path_idx(pi, "linux.devices", i);
		if (want_type(r, v, pi, JSON_OBJECT, "an object") < 0 || get_str(r, v, "path", pi, &path) < 0 ||
		    get_str(r, v, "type", pi, &type) < 0 ||
		    get_int(r, v, "major", pi, 0, UINT32_MAX, &major) < 0 ||
		    get_int(r, v, "minor", pi, 0, UINT32_MAX, &minor) < 0)
			return -1;
		if (!path || container_path(r, json_path_key(p, pi, "path"), path, target, sizeof(target)) < 0)
			return path ? -1 : fail(r, json_path_key(p, pi, "path"), "missing");
		if (!type || (strcmp(type, "c") && strcmp(type, "u") && strcmp(type, "b")))
			return fail(r, json_path_key(p, pi, "type"), "'%s' is not supported (c, u or b)", type ? type : "");
		for (size_t k = 0; k < ARRAY_SIZE(builtin); k++)
			known |= strcmp(target, builtin[k]) == 0;
		if (known)
			continue;
		if (stat(target, &st) < 0 || !(type[0] == 'b' ? S_ISBLK(st.st_mode) : S_ISCHR(st.st_mode)) ||
		    (major >= 0 && major(st.st_rdev) != major) || (minor >= 0 && minor(st.st_rdev) != minor))
			return fail(r, pi, "the host has no %s device %lld:%lld at %s to bind (rampart never "
				    "creates device nodes)", type, major, minor, target);
		struct mount_spec m = { .kind = MOUNT_BIND, .source = target, .target = target, .exec = false,
					.mode = -1, .device = true, .origin = { r->file, 0 } };
		spec_add_mount(r->s, &m);
	}
	return 0;
}

/* ---- linux: resources ------------------------------------------------------------- */

static void set_limit(struct rd *r, struct limit_value *l, uint64_t v)
{
	*l = (struct limit_value){ .set = true, .value = v, .file = r->file };
}

static int add_unified(struct rd *r, const char *path, const char *file, const char *value)
{
	char buf[512];

	if (xsnprintf(buf, sizeof(buf), "%s=%s", file, value) < 0)
		return fail(r, path, "value too long");
	strv_push(&r->s->limits.unified, buf);
	return 0;
}

static int read_memory(struct rd *r, const json_t *res)
{
	const json_t *m;
	long long limit = 0, swap = 0, resv = 0;
	int has_limit, has_swap, has_resv;
	char buf[32];

	if (get_obj(r, res, "memory", "linux.resources", &m) < 0)
		return -1;
	if (!m)
		return 0;
	has_limit = get_int(r, m, "limit", "linux.resources.memory", -1, LLONG_MAX, &limit);
	has_swap = get_int(r, m, "swap", "linux.resources.memory", -1, LLONG_MAX, &swap);
	has_resv = get_int(r, m, "reservation", "linux.resources.memory", -1, LLONG_MAX, &resv);
	if (has_limit < 0 || has_swap < 0 || has_resv < 0)
		return -1;
	if (has_limit)
		set_limit(r, &r->s->limits.memory, limit < 0 ? LIMIT_MAX : (uint64_t)limit);
	/* OCI's swap is memory+swap; cgroup v2 counts swap alone. */
	if (has_swap && swap >= 0 && has_limit && limit >= 0 && swap < limit)
		return fail(r, "linux.resources.memory.swap", "less than the memory limit (it counts memory plus swap)");
	if (has_swap)
		set_limit(r, &r->s->limits.swap,
			  swap < 0 || !has_limit || limit < 0 ? LIMIT_MAX : (uint64_t)(swap - limit));
	if (has_resv) {
		snprintf(buf, sizeof(buf), resv < 0 ? "max" : "%lld", resv);
		if (add_unified(r, "linux.resources.memory.reservation", "memory.low", buf) < 0)
			return -1;
	}
	return 0;
}

static int read_cpu(struct rd *r, const json_t *res)
{
	const json_t *c;
	const char *cpus, *mems;
	long long shares = 0, quota = 0, period = 0, rt_runtime = 0, rt_period = 0;
	int n;

	if (get_obj(r, res, "cpu", "linux.resources", &c) < 0)
		return -1;
	if (!c)
		return 0;
	/* 0 means unset, as in runc. */
	if ((n = get_int(r, c, "shares", "linux.resources.cpu", 0, 262144, &shares)) < 0)
		return -1;
	if (n && shares == 1)
		return fail(r, "linux.resources.cpu.shares", "1 is out of range (0, or 2 to 262144)");
	/* runc's mapping of cgroup v1 shares onto v2 weights. */
	if (n && shares)
		set_limit(r, &r->s->limits.cpu_weight, 1 + (uint64_t)((shares - 2) * 9999) / 262142);
	if ((n = get_int(r, c, "quota", "linux.resources.cpu", -1, LLONG_MAX, &quota)) < 0)
		return -1;
	if (n)
		set_limit(r, &r->s->limits.cpu_quota, quota <= 0 ? LIMIT_MAX : (uint64_t)quota);
	if ((n = get_int(r, c, "period", "linux.resources.cpu", 1000, 1000000, &period)) < 0)
		return -1;
	if (n)
		r->s->limits.cpu_period = (uint64_t)period;
	if (get_int(r, c, "realtimeRuntime", "linux.resources.cpu", 0, LLONG_MAX, &rt_runtime) < 0 ||
	    get_int(r, c, "realtimePeriod", "linux.resources.cpu", 0, LLONG_MAX, &rt_period) < 0)
		return -1;
	if (rt_runtime || rt_period)
		return fail(r, "linux.resources.cpu", "realtime CPU limits need cgroup v1, which rampart does not use");
	if (get_str(r, c, "cpus", "linux.resources.cpu", &cpus) < 0 ||
	    get_str(r, c, "mems", "linux.resources.cpu", &mems) < 0)
		return -1;
	if (cpus && *cpus) {
		free(r->s->limits.cpuset);
		r->s->limits.cpuset = xstrdup(cpus);
	}
	if (mems && *mems && add_unified(r, "linux.resources.cpu.mems", "cpuset.mems", mems) < 0)
		return -1;
	return 0;
}

static int read_throttle(struct rd *r, const json_t *bio, const char *key, const char *field)
{
	const json_t *a, *v;
	char p[JSON_PATH_LEN], pi[JSON_PATH_LEN], buf[96];
	size_t i;

	if (get_arr(r, bio, key, "linux.resources.blockIO", &a) < 0)
		return -1;
	json_path_key(p, "linux.resources.blockIO", key);
	json_array_foreach(a, i, v) {
		long long major = -1, minor = -1, rate = -1;

		json_path_idx(pi, p, i);
		if (want_type(r, v, pi, JSON_OBJECT, "an object") < 0 ||
		    get_int(r, v, "major", pi, 0, UINT32_MAX, &major) < 0 ||
		    get_int(r, v, "minor", pi, 0, UINT32_MAX, &minor) < 0 ||
		    get_int(r, v, "rate", pi, 0, LLONG_MAX, &rate) < 0)
			return -1;
		if (major < 0 || minor < 0 || rate < 0)
			return fail(r, pi, "needs major, minor and rate");
		/* One io.max write per device and field: the kernel merges them. */
		if (rate)
			snprintf(buf, sizeof(buf), "%lld:%lld %s=%lld", major, minor, field, rate);
		else
			snprintf(buf, sizeof(buf), "%lld:%lld %s=max", major, minor, field);
		if (add_unified(r, pi, "io.max", buf) < 0)
			return -1;
	}
	return 0;
}

static int read_blockio(struct rd *r, const json_t *res)
{
	static const struct { const char *key, *field; } t[] = {
		{ "throttleReadBpsDevice", "rbps" },   { "throttleWriteBpsDevice", "wbps" },
		{ "throttleReadIOPSDevice", "riops" }, { "throttleWriteIOPSDevice", "wiops" },
	};
	const json_t *b, *wd;
	long long w = 0;
	int n;

	if (get_obj(r, res, "blockIO", "linux.resources", &b) < 0)
		return -1;
	if (!b)
		return 0;
	if ((n = get_int(r, b, "weight", "linux.resources.blockIO", 0, 1000, &w)) < 0)
		return -1;
	if (n && w > 0 && w < 10)
		return fail(r, "linux.resources.blockIO.weight", "%lld is out of range (0, or 10 to 1000)", w);
	/* runc's mapping of blkio weights (10-1000) onto io.weight (1-10000);
	 * 0 means unset. */
	if (n && w)
		set_limit(r, &r->s->limits.io_weight, 1 + (uint64_t)((w - 10) * 9999) / 990);
	if (get_arr(r, b, "weightDevice", "linux.resources.blockIO", &wd) < 0)
		return -1;
	if (json_array_size(wd))
		return fail(r, "linux.resources.blockIO.weightDevice", "per-device weights are not supported");
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (read_throttle(r, b, t[i].key, t[i].field) < 0)
			return -1;
	return 0;
}

static int read_unified(struct rd *r, const json_t *res)
{
	const json_t *u, *v;
	const char *k;
	char p[JSON_PATH_LEN];

	if (get_obj(r, res, "unified", "linux.resources", &u) < 0)
		return -1;
	json_object_foreach((json_t *)u, k, v) {
		json_path_key(p, "linux.resources.unified", k);
		if (!plain_string(v))
			return fail(r, p, "expected a string");
		if (!*k || strpbrk(k, "/=") || !strchr(k, '.') || k[0] == '.' || strncmp(k, "cgroup.", 7) == 0)
			return fail(r, p, "not a controller file name");
		if (add_unified(r, p, k, json_string_value(v)) < 0)
			return -1;
	}
	return 0;
}

static int refuse_nonempty(struct rd *r, const json_t *o, const char *key, const char *parent, const char *why)
{
	const json_t *v = get(o, key);
	char p[JSON_PATH_LEN];

	if (v && ((json_is_array(v) && json_array_size(v)) || (json_is_object(v) && json_object_size(v))))
		return fail(r, json_path_key(p, parent, key), "%s", why);
	return 0;
}

static int read_resources(struct rd *r, const json_t *lx)
{
	const json_t *res, *pids;
	long long limit = 0;
	int n;

	if (get_obj(r, lx, "resources", "linux", &res) < 0)
		return -1;
	if (!res)
		return 0;
	if (get_obj(r, res, "pids", "linux.resources", &pids) < 0)
		return -1;
	if (pids && (n = get_int(r, pids, "limit", "linux.resources.pids", LLONG_MIN, LLONG_MAX, &limit)) != 0) {
		if (n < 0)
			return -1;
		set_limit(r, &r->s->limits.pids, limit <= 0 ? LIMIT_MAX : (uint64_t)limit);
	}
	/* linux.resources.devices (the v1 device cgroup) needs no program of
	 * ours: every mount is nodev but the nodes bound from linux.devices. */
	if (read_memory(r, res) < 0 || read_cpu(r, res) < 0 || read_blockio(r, res) < 0 ||
	    read_unified(r, res) < 0 ||
	    refuse_nonempty(r, res, "hugepageLimits", "linux.resources", "hugepage limits are not supported") < 0 ||
	    refuse_nonempty(r, res, "network", "linux.resources", "network classes need cgroup v1, which rampart does not use") < 0 ||
	    refuse_nonempty(r, res, "rdma", "linux.resources", "rdma limits are not supported") < 0)
		return -1;
	return 0;
}

/* ---- linux: the rest ---------------------------------------------------------------- */

/* Only namespaced keys: anything else would change the host. */
static bool sysctl_namespaced(const struct spec *s, const char *k)
{
	static const char *const ipc[] = { "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
					   "kernel.shmall", "kernel.shmmax", "kernel.shmmni",
					   "kernel.shm_rmid_forced" };

	if (strncmp(k, "fs.mqueue.", 10) == 0 || strncmp(k, "kernel.", 7) == 0) {
		bool in_ipc = strncmp(k, "fs.mqueue.", 10) == 0;
		for (size_t i = 0; i < ARRAY_SIZE(ipc); i++)
			in_ipc |= strcmp(k, ipc[i]) == 0;
		if (in_ipc)
			return s->ns[NS_IPC].unshare;
		return (strcmp(k, "kernel.hostname") == 0 || strcmp(k, "kernel.domainname") == 0) &&
		       s->ns[NS_UTS].unshare;
	}
	return strncmp(k, "net.", 4) == 0 && s->ns[NS_NET].unshare && s->net.mode != NET_JOIN;
}

static int read_sysctl(struct rd *r, const json_t *lx)
{
	const json_t *o, *v;
	const char *k;
	char p[JSON_PATH_LEN], buf[512];

	if (get_obj(r, lx, "sysctl", "linux", &o) < 0)
		return -1;
	json_object_foreach((json_t *)o, k, v) {
		json_path_key(p, "linux.sysctl", k);
		if (!plain_string(v))
			return fail(r, p, "expected a string");
		if (strstr(k, "..") || strpbrk(k, "/=") || !sysctl_namespaced(r->s, k))
			return fail(r, p, "not a sysctl of a namespace the container has of its own");
		if (xsnprintf(buf, sizeof(buf), "%s=%s", k, json_string_value(v)) < 0 || strchr(buf, '\n'))
			return fail(r, p, "bad value");
		strv_push(&r->s->oci.sysctl, buf);
	}
	return 0;
}

static int read_paths(struct rd *r, const json_t *lx, const char *key, char ***out)
{
	_cleanup_strv_ char **v = NULL;
	char p[JSON_PATH_LEN], buf[PATH_MAX];

	if (get_strv(r, lx, key, "linux", &v) < 0)
		return -1;
	for (size_t i = 0; v && v[i]; i++) {
		if (container_path(r, json_path_idx(p, json_path_key(buf, "linux", key), i), v[i], buf, sizeof(buf)) < 0)
			return -1;
		strv_push(out, buf);
	}
	return 0;
}

static int read_personality(struct rd *r, const json_t *lx)
{
	const json_t *p;
	const char *domain;

	if (get_obj(r, lx, "personality", "linux", &p) < 0)
		return -1;
	if (!p)
		return 0;
	if (get_str(r, p, "domain", "linux.personality", &domain) < 0)
		return -1;
	if (!domain || (strcmp(domain, "LINUX") && strcmp(domain, "LINUX32")))
		return fail(r, "linux.personality.domain", "'%s' is not LINUX or LINUX32", domain ? domain : "");
	if (refuse_nonempty(r, p, "flags", "linux.personality", "personality flags are not supported") < 0)
		return -1;
	r->s->oci.personality_set = true;
	r->s->oci.personality = strcmp(domain, "LINUX32") == 0 ? PER_LINUX32 : PER_LINUX;
	return 0;
}

static int read_seccomp(struct rd *r, const json_t *doc, const json_t *lx)
{
	const json_t *sc;
	const char *listener, *metadata;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int rc;

	if (get_obj(r, lx, "seccomp", "linux", &sc) < 0)
		return -1;
	/* No filter in the config: rampart's default allowlist. */
	if (!sc)
		return profile_load(r->s, "syscalls", r->e);
	if (get_str(r, sc, "listenerPath", "linux.seccomp", &listener) < 0 ||
	    get_str(r, sc, "listenerMetadata", "linux.seccomp", &metadata) < 0)
		return -1;
	if (listener && *listener) {
		if (listener[0] != '/')
			return fail(r, "linux.seccomp.listenerPath", "'%s' is not an absolute path", listener);
		free(r->s->oci.seccomp_agent);
		r->s->oci.seccomp_agent = xstrdup(listener);
		free(r->s->oci.seccomp_metadata);
		r->s->oci.seccomp_metadata = metadata && *metadata ? xstrdup(metadata) : NULL;
	}
	mem = open_memstream(&text, &len);
	if (!mem)
		return rp_fail(r->e, errno, "oci", "memory stream");
	rc = scj_import(doc, r->source, mem, r->e);
	if (fclose(mem) != 0 && rc == 0)
		rc = rp_fail(r->e, errno, "oci", "memory stream");
	if (rc == 0)
		rc = profile_load_text(r->s, text, len, r->file, r->e);
	else if (strncmp(r->e->msg, "import: ", 8) == 0) {
		char msg[sizeof(r->e->msg)];
		snprintf(msg, sizeof(msg), "%s: %s", r->source, r->e->msg + 8);
		memcpy(r->e->msg, msg, sizeof(msg));
	}
	free(text);
	return rc;
}

static bool ifname_ok(const char *n)
{
	size_t len = strlen(n);

	if (len == 0 || len >= IFNAMSIZ || strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
		return false;
	for (const char *c = n; *c; c++)
		if (*c == '/' || *c == ':' || *c == '=' || *c <= ' ')
			return false;
	return true;
}

/* linux.netDevices (1.2): {"HOSTNAME": {"name": "NAME"}}; name defaults to
 * the host's. Moved by the launcher (net_devices.c). */
static int read_net_devices(struct rd *r, const json_t *lx)
{
	const json_t *o, *v;
	const char *k;
	char p[JSON_PATH_LEN], buf[2 * IFNAMSIZ + 2];

	if (get_obj(r, lx, "netDevices", "linux", &o) < 0)
		return -1;
	if (o && json_object_size(o) &&
	    (!r->s->ns[NS_NET].unshare || r->s->net.mode == NET_JOIN || r->s->net.mode == NET_HOST))
		return fail(r, "linux.netDevices", "needs a new network namespace of the container's own");
	json_object_foreach((json_t *)o, k, v) {
		const char *name = NULL;

		json_path_key(p, "linux.netDevices", k);
		if (!ifname_ok(k))
			return fail(r, p, "'%s' is not an interface name", k);
		if (want_type(r, v, p, JSON_OBJECT, "an object") < 0 || get_str(r, v, "name", p, &name) < 0)
			return -1;
		if (name && *name && !ifname_ok(name)) {
			char pn[JSON_PATH_LEN];
			return fail(r, json_path_key(pn, p, "name"), "'%s' is not an interface name", name);
		}
		snprintf(buf, sizeof(buf), "%s=%s", k, name && *name ? name : k);
		strv_push(&r->s->oci.net_devices, buf);
	}
	return 0;
}

static int read_linux(struct rd *r, const json_t *doc)
{
	const json_t *lx;
	const char *cg, *prop, *label;
	struct spec *s = r->s;

	if (get_obj(r, doc, "linux", "", &lx) < 0)
		return -1;
	if (!lx)
		return fail(r, "linux", "missing");
	if (read_namespaces(r, lx) < 0 || read_map(r, lx, "uidMappings", s->uidmap, &s->nuidmap) < 0 ||
	    read_map(r, lx, "gidMappings", s->gidmap, &s->ngidmap) < 0 || read_devices(r, lx) < 0 ||
	    read_resources(r, lx) < 0 || read_sysctl(r, lx) < 0 ||
	    read_paths(r, lx, "maskedPaths", &s->masked) < 0 ||
	    read_paths(r, lx, "readonlyPaths", &s->readonly_paths) < 0 || read_personality(r, lx) < 0 ||
	    read_seccomp(r, doc, lx) < 0)
		return -1;
	if (get_str(r, lx, "cgroupsPath", "linux", &cg) < 0 ||
	    get_str(r, lx, "rootfsPropagation", "linux", &prop) < 0 ||
	    get_str(r, lx, "mountLabel", "linux", &label) < 0)
		return -1;
	if (cg && *cg) {
		char buf[PATH_MAX];
		/* Relative paths hang below the default parent, like runc's
		 * below its own cgroup. */
		if (cg[0] != '/' ? xsnprintf(buf, sizeof(buf), CGROUP_OCI_PARENT "/%s", cg) < 0
				 : xsnprintf(buf, sizeof(buf), "%s", cg) < 0)
			return fail(r, "linux.cgroupsPath", "too long");
		if (strstr(buf, "/..") || strchr(buf, ':') || strcmp(buf, "/") == 0)
			return fail(r, "linux.cgroupsPath", "'%s' is not a cgroupfs path (systemd slice:prefix:name "
				    "paths need --systemd-cgroup, which rampart does not support)", cg);
		s->oci.cgroups_path = xstrdup(buf);
	}
	/* The container's mounts never propagate to the host; every mode
	 * that only keeps them private or receiving is accepted. */
	if (prop && *prop && strcmp(prop, "private") && strcmp(prop, "rprivate") && strcmp(prop, "slave") &&
	    strcmp(prop, "rslave"))
		return fail(r, "linux.rootfsPropagation", "'%s' is not supported (private or slave)", prop);
	if (label && *label)
		return fail(r, "linux.mountLabel", "SELinux is not supported by rampart");
	if (refuse_nonempty(r, lx, "intelRdt", "linux", "Intel RDT is not supported") < 0 ||
	    read_net_devices(r, lx) < 0 ||
	    refuse_nonempty(r, lx, "timeOffsets", "linux", "time namespaces are not supported") < 0)
		return -1;
	return 0;
}

/* Secrets have no field in config.json: an annotation per secret,
 * "io.github.rampart.secret.NAME": "HOSTFILE [mode 0400] [uid U]", the
 * words of a profile's `secret NAME ...` line. Orchestrators pass users'
 * annotations through, and rampart reads the file as root: so only files
 * inside the operator's secrets directory ($RAMPART_SECRETS_DIR, else
 * /etc/rampart/secrets) may be named. */
#define SECRET_ANNOTATION "io.github.rampart.secret."
#define SECRETS_DIR_DEFAULT "/etc/rampart/secrets"

static int secret_allowed(struct rd *r, const char *p, const char *value)
{
	const char *dir = getenv("RAMPART_SECRETS_DIR");
	char file[PATH_MAX], real[PATH_MAX], realdir[PATH_MAX];
	size_t n = strcspn(value, " \t");

	if (!dir || !*dir)
		dir = SECRETS_DIR_DEFAULT;
	if (n == 0 || n >= sizeof(file))
		return fail(r, p, "expected HOSTFILE [mode M] [uid U]");
	memcpy(file, value, n);
	file[n] = '\0';
	if (!realpath(dir, realdir))
		return fail(r, p, "secrets from annotations come from %s, which does not exist", dir);
	if (!realpath(file, real))
		return fail(r, p, "%s: %s", file, strerror(errno));
	n = strlen(realdir);
	if (strncmp(real, realdir, n) != 0 || real[n] != '/')
		return fail(r, p, "%s is outside %s, the directory secrets from annotations may come from", file,
			    realdir);
	return 0;
}

static int read_secret(struct rd *r, const char *key, const char *value)
{
	char line[PATH_MAX + 256], p[JSON_PATH_LEN];

	json_path_key(p, "annotations", key);
	if (secret_allowed(r, p, value) < 0)
		return -1;
	if (xsnprintf(line, sizeof(line), "secret %s %s", key + strlen(SECRET_ANNOTATION), value) < 0)
		return fail(r, p, "too long");
	if (profile_apply_line(r->s, line, r->file, 0, r->e) < 0)
		return rp_err_prefix(r->e, "%s: %s", r->source, p);
	return 0;
}

static int read_annotations(struct rd *r, const json_t *doc)
{
	const json_t *o, *v;
	const char *k;
	char p[JSON_PATH_LEN];

	if (get_obj(r, doc, "annotations", "", &o) < 0)
		return -1;
	json_object_foreach((json_t *)o, k, v) {
		size_t n;
		char *kv;

		if (!plain_string(v))
			return fail(r, json_path_key(p, "annotations", k), "expected a string");
		if (strchr(k, '='))
			return fail(r, json_path_key(p, "annotations", k), "a key with '=' is not supported");
		if (strncmp(k, SECRET_ANNOTATION, strlen(SECRET_ANNOTATION)) == 0 &&
		    read_secret(r, k, json_string_value(v)) < 0)
			return -1;
		n = strlen(k) + json_string_length(v) + 2;
		kv = xmalloc(n);
		snprintf(kv, n, "%s=%s", k, json_string_value(v));
		strv_push(&r->s->oci.annotations, kv);
		free(kv);
	}
	return 0;
}

static int read_version(struct rd *r, const json_t *doc)
{
	const char *v;

	if (get_str(r, doc, "ociVersion", "", &v) < 0)
		return -1;
	if (!v)
		return fail(r, "ociVersion", "missing");
	if (strncmp(v, "1.", 2) != 0)
		return fail(r, "ociVersion", "'%s' is not a 1.x runtime-spec version", v);
	r->s->oci.version = xstrdup(v);
	return 0;
}

/* The OCI defaults where they differ from a profile's (spec_init). */
static void oci_defaults(struct spec *s)
{
	s->oci.active = true;
	s->rootfs_readonly = false;
	s->setuid_strip = false;       /* a profile may turn it on */
	s->init = false;               /* the process is pid 1, as with runc */
	s->caps_keep = 0;
	free(s->user.name);
	s->user.name = NULL;
	seccomp_spec_free(&s->seccomp);
	s->seccomp = (struct seccomp_spec){ .enabled = true, .default_action = { SC_ERRNO, EPERM } };
	/* The config decides the rest of the rlimits; no core dumps unless it
	 * says otherwise. */
}

int oci_config_loads(struct spec *s, const char *text, size_t len, const char *bundle, const char *source,
		     struct rp_err *e)
{
	struct rd r = { .s = s, .source = source, .bundle = bundle, .e = e };
	json_t *doc;
	int rc = -1;

	r.file = spec_intern(s, source);
	doc = scj_loads(text, len, source, e);
	if (!doc) {
		if (strncmp(e->msg, "import: ", 8) == 0)
			memmove(e->msg, e->msg + 8, strlen(e->msg + 8) + 1);
		e->exit_code = RP_EXIT_ERROR;
		return -1;
	}
	if (!json_is_object(doc)) {
		fail(&r, "(top level)", "expected an object");
		goto out;
	}
	oci_defaults(s);
	free(s->oci.bundle);
	s->oci.bundle = xstrdup(bundle);
	if (read_version(&r, doc) < 0 || read_root(&r, doc) < 0 || read_names(&r, doc) < 0 ||
	    read_linux(&r, doc) < 0 || read_process(&r, doc) < 0 || read_mounts(&r, doc) < 0 ||
	    read_annotations(&r, doc) < 0)
		goto out;
	if (hooks_parse(get(doc, "hooks"), &s->oci.hooks, e) < 0) {
		rp_err_prefix(e, "%s", source);
		goto out;
	}
	if (s->hostname && !s->ns[NS_UTS].unshare) {
		fail(&r, "hostname", "needs a uts namespace of the container's own");
		goto out;
	}
	strv_push(&s->profiles, "config.json");
	rc = 0;
out:
	json_decref(doc);
	if (rc < 0 && e->exit_code == 0)
		e->exit_code = RP_EXIT_ERROR;
	return rc;
}

/* One object read as if it stood at KEY of its parent: the readers take
 * the parent, and the error paths then read "process.args", as in a
 * config.json. */
static int read_alone(struct spec *s, const char *key, const json_t *obj, const char *source,
		      int (*reader)(struct rd *, const json_t *), struct rp_err *e)
{
	struct rd r = { .s = s, .source = source, .bundle = "", .e = e };
	json_t *parent;
	int rc;

	r.file = spec_intern(s, source);
	parent = json_pack("{s:O}", key, obj);
	if (!parent)
		return rp_fail(e, ENOMEM, "oci", "%s", key);
	rc = reader(&r, parent);
	json_decref(parent);
	return rc;
}

int oci_process_read(struct spec *s, const json_t *process, const char *source, struct rp_err *e)
{
	/* The process object replaces the process whole: what it leaves out
	 * (Go clients omit false and zero) is the default, not the first
	 * process's value (a terminal, above all). */
	s->oci.terminal = false;
	s->oci.rows = s->oci.cols = 0;
	s->oci.umask = -1;
	return read_alone(s, "process", process, source, read_process, e);
}

int oci_resources_read(struct spec *s, const json_t *resources, const char *source, struct rp_err *e)
{
	return read_alone(s, "resources", resources, source, read_resources, e);
}

int oci_config_recheck(const struct spec *s, struct rp_err *e)
{
	for (size_t i = 0; s->oci.sysctl && s->oci.sysctl[i]; i++) {
		char key[256];
		size_t n = strcspn(s->oci.sysctl[i], "=");

		snprintf(key, sizeof(key), "%.*s", (int)n, s->oci.sysctl[i]);
		if (!sysctl_namespaced(s, key))
			return rp_fail(e, 0, "spec", "linux.sysctl.%s: the profiles took away the namespace it "
						     "belongs to; it would change the host", key);
	}
	if (s->oci.net_devices && (!s->ns[NS_NET].unshare || s->net.mode == NET_JOIN || s->net.mode == NET_HOST))
		return rp_fail(e, 0, "spec", "linux.netDevices: the profiles took away the container's own network namespace");
	if ((s->oci.domainname || s->hostname) && !s->ns[NS_UTS].unshare && s->oci.active)
		return rp_fail(e, 0, "spec", "hostname/domainname: the profiles took away the container's own uts namespace");
	return 0;
}

int oci_read_config(const char *bundle, char **text, size_t *len, struct rp_err *e)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;

	if (xsnprintf(path, sizeof(path), "%s/config.json", bundle) < 0)
		return rp_fail(e, ENAMETOOLONG, "bundle", "%s", bundle);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || read_all(fd, CONFIG_MAX, text, len) < 0)
		return rp_fail(e, errno, "bundle", "%s", path);
	return 0;
}

int oci_config_load(struct spec *s, const char *bundle, struct rp_err *e)
{
	char path[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (oci_read_config(bundle, &text, &len, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/config.json", bundle); /* fits: read above */
	return oci_config_loads(s, text, len, bundle, path, e);
}
