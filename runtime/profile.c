/* profile.c - reader for the line-oriented profile format.
 *
 * A profile is read whole (bounded), split into lines, each line into
 * whitespace-separated words (double quotes group words, backslash escapes
 * inside quotes), and each directive is applied to the spec at once, so a
 * later line simply overwrites what an earlier one set.
 */
#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "caps.h"
#include "net.h"
#include "parse.h"
#include "resources.h"
#include "process.h"
#include "seccomp.h"
#include "util.h"

#ifndef RAMPART_PREFIX
#define RAMPART_PREFIX "/usr/local"
#endif

#define MAX_WORDS 64

/* Files currently being read, to refuse include cycles. */
struct include_stack {
	dev_t dev[PROFILE_MAX_DEPTH];
	ino_t ino[PROFILE_MAX_DEPTH];
	int depth;
};

struct line_ctx {
	struct spec *s;
	const char *file;   /* interned */
	unsigned line;
	struct include_stack *stack;
	struct rp_err *e;
};

static int load_path(struct spec *s, const char *path, struct include_stack *stack,
		     struct rp_err *e);
static int load_text(struct spec *s, const char *text, size_t len, const char *file,
		     struct include_stack *stack, struct rp_err *e);

#define fail(c, ...) rp_fail_at((c)->e, (c)->file, (c)->line, __VA_ARGS__)

/* ---- search path --------------------------------------------------- */

const char *profile_search_path(void)
{
	static char path[PATH_MAX * 3];
	char exe[PATH_MAX];
	const char *env = getenv("RAMPART_PROFILE_PATH");
	ssize_t n;
	char *slash;

	if (env && *env)
		return env;
	if (path[0])
		return path;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
	} else {
		exe[0] = '\0';
	}
	if (xsnprintf(path, sizeof(path), "%s%s/etc/rampart/profiles:%s/share/rampart/profiles",
		      exe, exe[0] ? "/profiles:" : "", RAMPART_PREFIX) < 0)
		snprintf(path, sizeof(path), "/etc/rampart/profiles");
	return path;
}

static bool is_path_like(const char *name)
{
	size_t n = strlen(name);

	return name[0] == '/' || strncmp(name, "./", 2) == 0 || strncmp(name, "../", 3) == 0 ||
	       (n > 8 && strcmp(name + n - 8, ".profile") == 0);
}

/* A profile name is a relative path of plain words: "base", "apps/nginx". */
static bool name_ok(const char *name)
{
	if (!*name || name[0] == '/' || strstr(name, ".."))
		return false;
	for (const char *p = name; *p; p++)
		if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') ||
		      ('0' <= *p && *p <= '9') || strchr("-_./+", *p)))
			return false;
	return true;
}

static bool try_dir(const char *dir, size_t dirlen, const char *name, const char *ext, char *out,
		    size_t outlen)
{
	struct stat st;

	if (dirlen == 0)
		return false;
	if (xsnprintf(out, outlen, "%.*s/%s%s", (int)dirlen, dir, name, ext) < 0)
		return false;
	return stat(out, &st) == 0 && S_ISREG(st.st_mode);
}

static int find_in(const char *name, const char *ext, const char *from_dir, char *out, size_t outlen)
{
	const char *p = profile_search_path();

	if (from_dir && try_dir(from_dir, strlen(from_dir), name, ext, out, outlen))
		return 0;
	while (*p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (try_dir(p, len, name, ext, out, outlen))
			return 0;
		p += len + (end ? 1 : 0);
	}
	errno = ENOENT;
	return -1;
}

/* Find NAME first beside the including file (so a profile set travels as
 * one directory), then along the search path. */
static int find_profile(const char *name, const char *from_dir, char *out, size_t outlen)
{
	return find_in(name, ".profile", from_dir, out, outlen);
}

int profile_find(const char *name, const char *ext, char *out, size_t outlen)
{
	return find_in(name, ext, NULL, out, outlen);
}

/* ---- words ---------------------------------------------------------- */

/* Split `line` in place into words: blanks separate, double quotes group
 * (backslash escapes " and \\ inside), # at the start of a word begins a
 * comment. Returns the count or -1 (message in e). Shared with the other
 * line formats (policy files). */
int profile_split_words(char *line, char **w, int max, const char *file, unsigned lineno,
			struct rp_err *e)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *out;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == max)
			return rp_fail_at(e, file, lineno, "too many words (more than %d)", max);
		w[n++] = out = p;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p != '"') {
				*out++ = *p++;
				continue;
			}
			for (p++; *p != '"'; p++) {
				if (!*p)
					return rp_fail_at(e, file, lineno, "unterminated quote");
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				*out++ = *p;
			}
			p++;
		}
		if (*p)
			p++;
		*out = '\0';
	}
}

/* ---- directives ---------------------------------------------------- */

static int want_args(struct line_ctx *c, const char *what, int argc, int min, int max)
{
	if (argc < min)
		return fail(c, "%s: missing argument", what);
	if (max >= 0 && argc > max)
		return fail(c, "%s: too many arguments", what);
	return 0;
}

static int d_include(struct line_ctx *c, int argc, char **argv)
{
	char path[PATH_MAX];
	char dir[PATH_MAX];
	char *slash;
	bool from_file;

	if (want_args(c, "include", argc, 1, 1) < 0)
		return -1;
	if (xsnprintf(dir, sizeof(dir), "%s", c->file) < 0)
		return fail(c, "include: file name too long");
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	/* Only a profile file has a directory to search beside. A --set line
	 * (or in-memory text) must never pick up a profile from wherever
	 * rampart happens to be started: that would let a file dropped in the
	 * cwd replace `base`. */
	from_file = c->stack->depth > 0 || strchr(c->file, '/');

	if (argv[0][0] == '/' || strncmp(argv[0], "./", 2) == 0 ||
	    strncmp(argv[0], "../", 3) == 0) {
		if (argv[0][0] == '/' || !from_file)
			snprintf(path, sizeof(path), "%s", argv[0]);
		else if (xsnprintf(path, sizeof(path), "%s/%s", dir, argv[0]) < 0)
			return fail(c, "include %s: path too long", argv[0]);
	} else if (!name_ok(argv[0])) {
		return fail(c, "include %s: not a profile name (letters, digits, -_./+)", argv[0]);
	} else if (find_profile(argv[0], from_file ? dir : NULL, path, sizeof(path)) < 0) {
		return fail(c, "include %s: no such profile in %s", argv[0], profile_search_path());
	}
	if (load_path(c->s, path, c->stack, c->e) < 0)
		return rp_err_prefix(c->e, "%s:%u", c->file, c->line);
	return 0;
}

static int d_user(struct line_ctx *c, int argc, char **argv)
{
	struct user_spec *u = &c->s->user;
	char *colon;

	if (want_args(c, "user", argc, 1, 1) < 0)
		return -1;
	colon = strchr(argv[0], ':');
	if (colon)
		*colon = '\0';
	if (!*argv[0] || (colon && !colon[1]))
		return fail(c, "user: expected USER[:GROUP], got an empty name");
	free(u->name);
	free(u->group);
	u->name = xstrdup(argv[0]);
	u->group = colon ? xstrdup(colon + 1) : NULL;
	u->origin = (struct origin){ c->file, c->line };
	return 0;
}

static int d_groups(struct line_ctx *c, int argc, char **argv)
{
	struct user_spec *u = &c->s->user;

	if (argc > SPEC_MAX_GROUPS)
		return fail(c, "groups: at most %d groups", SPEC_MAX_GROUPS);
	strv_free(u->groups);
	u->groups = NULL;
	/* `groups none` clears the list. */
	if (argc == 1 && strcmp(argv[0], "none") == 0)
		return 0;
	for (int i = 0; i < argc; i++)
		strv_push(&u->groups, argv[i]);
	u->groups_origin = (struct origin){ c->file, c->line };
	return 0;
}

static int d_hostname(struct line_ctx *c, int argc, char **argv)
{
	size_t n;

	if (want_args(c, "hostname", argc, 1, 1) < 0)
		return -1;
	n = strlen(argv[0]);
	if (n == 0 || n > 64)
		return fail(c, "hostname: must be 1 to 64 characters");
	for (const char *p = argv[0]; *p; p++)
		if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') ||
		      ('0' <= *p && *p <= '9') || *p == '-' || *p == '.'))
			return fail(c, "hostname: '%s' is not a valid host name", argv[0]);
	free(c->s->hostname);
	c->s->hostname = xstrdup(argv[0]);
	return 0;
}

static int d_rootfs(struct line_ctx *c, int argc, char **argv)
{
	if (want_args(c, "rootfs", argc, 1, 1) < 0)
		return -1;
	if (strcmp(argv[0], "readonly") == 0)
		c->s->rootfs_readonly = true;
	else if (strcmp(argv[0], "writable") == 0)
		c->s->rootfs_readonly = false;
	else
		return fail(c, "rootfs: expected readonly or writable, got '%s'", argv[0]);
	return 0;
}

static int path_arg(struct line_ctx *c, const char *what, const char *in, char *out, size_t n)
{
	if (parse_container_path(in, out, n) < 0)
		return fail(c, "%s: '%s' is not an absolute path without . or .. parts", what, in);
	return 0;
}

static int d_tmpfs(struct line_ctx *c, int argc, char **argv)
{
	struct mount_spec m = { .kind = MOUNT_TMPFS, .mode = -1 };
	char target[PATH_MAX];

	if (want_args(c, "tmpfs", argc, 1, -1) < 0 || path_arg(c, "tmpfs", argv[0], target, sizeof(target)) < 0)
		return -1;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (strncmp(o, "size=", 5) == 0) {
			if (parse_size(o + 5, false, &m.size) < 0)
				return fail(c, "tmpfs %s: bad size '%s' (use e.g. 16M)", target, o + 5);
		} else if (strncmp(o, "mode=", 5) == 0) {
			if (parse_mode(o + 5, &m.mode) < 0)
				return fail(c, "tmpfs %s: bad mode '%s' (octal, e.g. 0755)", target, o + 5);
		} else if (strcmp(o, "exec") == 0 || strcmp(o, "noexec") == 0) {
			m.exec = o[0] == 'e';
		} else if (strcmp(o, "ro") == 0 || strcmp(o, "rw") == 0) {
			m.readonly = o[1] == 'o';
		} else {
			return fail(c, "tmpfs %s: unknown option '%s' (size= mode= exec noexec ro rw)", target, o);
		}
	}
	m.target = target;
	m.origin = (struct origin){ c->file, c->line };
	spec_add_mount(c->s, &m);
	return 0;
}

static int d_bind(struct line_ctx *c, int argc, char **argv)
{
	struct mount_spec m = { .kind = MOUNT_BIND, .readonly = true, .exec = true,
				.recursive = true, .mode = -1 };
	char target[PATH_MAX];

	if (want_args(c, "bind", argc, 2, -1) < 0)
		return -1;
	if (argv[0][0] != '/')
		return fail(c, "bind: source '%s' must be an absolute host path", argv[0]);
	if (path_arg(c, "bind", argv[1], target, sizeof(target)) < 0)
		return -1;
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];

		if (strcmp(o, "ro") == 0 || strcmp(o, "rw") == 0)
			m.readonly = o[1] == 'o';
		else if (strcmp(o, "exec") == 0 || strcmp(o, "noexec") == 0)
			m.exec = o[0] == 'e';
		else if (strcmp(o, "norecursive") == 0)
			m.recursive = false;
		else
			return fail(c, "bind %s: unknown option '%s' (ro rw exec noexec norecursive)", target, o);
	}
	m.source = argv[0];
	m.target = target;
	m.origin = (struct origin){ c->file, c->line };
	spec_add_mount(c->s, &m);
	return 0;
}

static int d_env(struct line_ctx *c, int argc, char **argv)
{
	const char *eq;

	if (want_args(c, "env", argc, 1, 1) < 0)
		return -1;
	eq = strchr(argv[0], '=');
	if (!eq || eq == argv[0])
		return fail(c, "env: expected NAME=VALUE, got '%s'", argv[0]);
	for (const char *p = argv[0]; p < eq; p++)
		if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') ||
		      ('0' <= *p && *p <= '9' && p != argv[0]) || *p == '_'))
			return fail(c, "env: '%.*s' is not a valid variable name", (int)(eq - argv[0]), argv[0]);
	spec_set_env(c->s, argv[0]);
	return 0;
}

static int d_cwd(struct line_ctx *c, int argc, char **argv)
{
	char path[PATH_MAX];

	if (want_args(c, "cwd", argc, 1, 1) < 0 || path_arg(c, "cwd", argv[0], path, sizeof(path)) < 0)
		return -1;
	free(c->s->cwd);
	c->s->cwd = xstrdup(path);
	return 0;
}

static int d_caps(struct line_ctx *c, int argc, char **argv)
{
	uint64_t keep = 0;

	if (want_args(c, "caps", argc, 1, -1) < 0)
		return -1;
	/* A caps line decides all five sets, also over an OCI bundle's
	 * separate ones (create --profile). */
	c->s->oci.caps_split = false;
	if (strcmp(argv[0], "none") == 0 && argc == 1) {
		c->s->caps_keep = 0;
		return 0;
	}
	if (strcmp(argv[0], "keep") != 0)
		return fail(c, "caps: expected 'caps keep CAP...' or 'caps none'");
	if (argc < 2)
		return fail(c, "caps keep: name at least one capability (or use 'caps none')");
	for (int i = 1; i < argc; i++) {
		int cap = caps_from_name(argv[i]);

		if (cap < 0)
			return fail(c, "caps keep: unknown capability '%s'", argv[i]);
		keep |= UINT64_C(1) << cap;
	}
	c->s->caps_keep = keep;
	return 0;
}

static int d_onoff(struct line_ctx *c, const char *what, int argc, char **argv, bool *out)
{
	if (want_args(c, what, argc, 1, 1) < 0)
		return -1;
	if (parse_bool(argv[0], out) < 0)
		return fail(c, "%s: expected on or off, got '%s'", what, argv[0]);
	return 0;
}

static int d_nnp(struct line_ctx *c, int argc, char **argv)
{
	return d_onoff(c, "nnp", argc, argv, &c->s->no_new_privs);
}

static int d_secret(struct line_ctx *c, int argc, char **argv)
{
	return secret_directive(c->s, argc, argv, c->file, c->line, c->e);
}

/* image digest sha256:HEX [manifest FILE] */
static int d_image(struct line_ctx *c, int argc, char **argv)
{
	const char *d;

	if ((argc != 2 && argc != 4) || strcmp(argv[0], "digest") ||
	    (argc == 4 && strcmp(argv[2], "manifest")))
		return fail(c, "image: expected 'image digest sha256:HEX [manifest FILE]'");
	d = argv[1];
	if (strncmp(d, "sha256:", 7) || strlen(d) != 7 + 64 || strspn(d + 7, "0123456789abcdef") != 64)
		return fail(c, "image digest: '%s' is not sha256: and 64 lowercase hex digits", d);
	if (argc == 4 && argv[3][0] != '/')
		return fail(c, "image digest: manifest '%s' must be an absolute path", argv[3]);
	free(c->s->image_digest);
	free(c->s->image_manifest);
	c->s->image_digest = xstrdup(d);
	c->s->image_manifest = argc == 4 ? xstrdup(argv[3]) : NULL;
	c->s->image_origin = (struct origin){ c->file, c->line };
	return 0;
}

static int d_setuid(struct line_ctx *c, int argc, char **argv)
{
	if (want_args(c, "setuid", argc, 1, 1) < 0)
		return -1;
	if (strcmp(argv[0], "strip") && strcmp(argv[0], "keep"))
		return fail(c, "setuid: expected strip or keep, got '%s'", argv[0]);
	c->s->setuid_strip = argv[0][0] == 's';
	return 0;
}

static int d_init(struct line_ctx *c, int argc, char **argv)
{
	return d_onoff(c, "init", argc, argv, &c->s->init);
}

static int rlim_value(const char *s, rlim_t *out)
{
	uint64_t v;

	if (strcmp(s, "unlimited") == 0 || strcmp(s, "infinity") == 0) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (parse_size(s, false, &v) < 0 || v >= RLIM_INFINITY)
		return -1;
	*out = (rlim_t)v;
	return 0;
}

static int d_rlimit(struct line_ctx *c, int argc, char **argv)
{
	struct rlimit_spec *r;
	char *colon;
	int res;

	if (want_args(c, "rlimit", argc, 2, 2) < 0)
		return -1;
	res = rlimit_from_name(argv[0]);
	if (res < 0)
		return fail(c, "rlimit: unknown resource '%s'", argv[0]);
	r = &c->s->rlimits[res];
	colon = strchr(argv[1], ':');
	if (colon)
		*colon = '\0';
	if (rlim_value(argv[1], &r->value.rlim_cur) < 0 ||
	    rlim_value(colon ? colon + 1 : argv[1], &r->value.rlim_max) < 0)
		return fail(c, "rlimit %s: bad value (a number, 64K, or unlimited; SOFT[:HARD])", argv[0]);
	if (r->value.rlim_cur > r->value.rlim_max)
		return fail(c, "rlimit %s: soft limit above hard limit", argv[0]);
	r->set = true;
	r->origin = (struct origin){ c->file, c->line };
	return 0;
}

static int ns_arg(struct line_ctx *c, const char *what, const char *name)
{
	int t = ns_from_name(name);

	if (t < 0)
		return fail(c, "%s: unknown namespace '%s' (user pid mnt net ipc uts cgroup)", what, name);
	return t;
}

/* `namespaces user pid ...`: exactly these are new, the rest shared. */
static int d_namespaces(struct line_ctx *c, int argc, char **argv)
{
	bool want[NS_COUNT] = { false };

	if (want_args(c, "namespaces", argc, 1, NS_COUNT) < 0)
		return -1;
	for (int i = 0; i < argc; i++) {
		int t = ns_arg(c, "namespaces", argv[i]);
		if (t < 0)
			return -1;
		want[t] = true;
	}
	if (!want[NS_MNT])
		return fail(c, "namespaces: mnt is required (rampart always builds its own mount tree)");
	for (int t = 0; t < NS_COUNT; t++) {
		c->s->ns[t].unshare = want[t];
		c->s->ns[t].origin = (struct origin){ c->file, c->line };
	}
	return 0;
}

/* `share net ipc`: keep the host's namespace (flagged by `check`). */
static int d_share(struct line_ctx *c, int argc, char **argv)
{
	if (want_args(c, "share", argc, 1, NS_COUNT) < 0)
		return -1;
	for (int i = 0; i < argc; i++) {
		int t = ns_arg(c, "share", argv[i]);
		if (t < 0)
			return -1;
		if (t == NS_MNT)
			return fail(c, "share: the mount namespace cannot be shared");
		c->s->ns[t].unshare = false;
		c->s->ns[t].origin = (struct origin){ c->file, c->line };
	}
	return 0;
}

/* userns map [uid|gid] INSIDE OUTSIDE COUNT, or `userns map clear`. */
static int d_userns(struct line_ctx *c, int argc, char **argv)
{
	bool uid = true, gid = true;
	struct idmap m;
	int i = 1;

	if (want_args(c, "userns", argc, 2, 5) < 0)
		return -1;
	if (strcmp(argv[0], "map") != 0)
		return fail(c, "userns: expected 'userns map [uid|gid] INSIDE OUTSIDE COUNT'");
	if (argc == 2 && strcmp(argv[1], "clear") == 0) {
		c->s->nuidmap = c->s->ngidmap = 0;
		return 0;
	}
	if (strcmp(argv[1], "uid") == 0 || strcmp(argv[1], "gid") == 0) {
		uid = argv[1][0] == 'u';
		gid = !uid;
		i = 2;
	}
	if (argc - i != 3)
		return fail(c, "userns map: expected INSIDE OUTSIDE COUNT");
	if (parse_u32(argv[i], &m.inside) < 0 || parse_u32(argv[i + 1], &m.outside) < 0 ||
	    parse_u32(argv[i + 2], &m.count) < 0 || m.count == 0 ||
	    (uint64_t)m.inside + m.count > UINT32_MAX || (uint64_t)m.outside + m.count > UINT32_MAX)
		return fail(c, "userns map: bad range '%s %s %s'", argv[i], argv[i + 1], argv[i + 2]);
	if ((uid && c->s->nuidmap == SPEC_MAX_IDMAP) || (gid && c->s->ngidmap == SPEC_MAX_IDMAP))
		return fail(c, "userns map: at most %d ranges", SPEC_MAX_IDMAP);
	if (uid)
		c->s->uidmap[c->s->nuidmap++] = m;
	if (gid)
		c->s->gidmap[c->s->ngidmap++] = m;
	return 0;
}

static int d_pathlist(struct line_ctx *c, const char *what, int argc, char **argv, char ***list)
{
	char path[PATH_MAX];

	if (want_args(c, what, argc, 1, -1) < 0)
		return -1;
	for (int i = 0; i < argc; i++) {
		if (path_arg(c, what, argv[i], path, sizeof(path)) < 0)
			return -1;
		if (strcmp(path, "/") == 0)
			return fail(c, "%s: refusing '/'", what);
		for (size_t k = 0; (*list) && (*list)[k]; k++)
			if (strcmp((*list)[k], path) == 0)
				goto next;
		strv_push(list, path);
next:;
	}
	return 0;
}

static int d_mask(struct line_ctx *c, int argc, char **argv)
{
	return d_pathlist(c, "mask", argc, argv, &c->s->masked);
}

static int d_readonly(struct line_ctx *c, int argc, char **argv)
{
	return d_pathlist(c, "readonly", argc, argv, &c->s->readonly_paths);
}

static int d_limit(struct line_ctx *c, int argc, char **argv)
{
	return limits_directive(c->s, argc, argv, c->file, c->line, c->e);
}

static int d_cgroup(struct line_ctx *c, int argc, char **argv)
{
	return cgroup_directive(c->s, argc, argv, c->file, c->line, c->e);
}

static int d_net(struct line_ctx *c, int argc, char **argv)
{
	return net_directive(c->s, argc, argv, c->file, c->line, c->e);
}

static int d_seccomp(struct line_ctx *c, int argc, char **argv)
{
	return seccomp_directive(c->s, argc, argv, c->file, c->line, c->e);
}

static const struct directive {
	const char *name;
	int (*fn)(struct line_ctx *c, int argc, char **argv);
} directives[] = {
	{ "include", d_include },     { "user", d_user },         { "groups", d_groups },
	{ "hostname", d_hostname },   { "rootfs", d_rootfs },     { "tmpfs", d_tmpfs },
	{ "bind", d_bind },           { "env", d_env },           { "cwd", d_cwd },
	{ "caps", d_caps },           { "nnp", d_nnp },           { "rlimit", d_rlimit },
	{ "namespaces", d_namespaces }, { "share", d_share },     { "userns", d_userns },
	{ "mask", d_mask },           { "readonly", d_readonly }, { "init", d_init },
	{ "limit", d_limit },         { "cgroup", d_cgroup },   { "seccomp", d_seccomp },
	{ "net", d_net },             { "setuid", d_setuid },   { "secret", d_secret },
	{ "image", d_image },
};

static int apply_words(struct line_ctx *c, int argc, char **argv)
{
	for (size_t i = 0; i < ARRAY_SIZE(directives); i++) {
		if (strcmp(argv[0], directives[i].name) != 0)
			continue;
		return directives[i].fn(c, argc - 1, argv + 1);
	}
	return fail(c, "unknown directive '%s'", argv[0]);
}

static int apply_line(struct spec *s, char *line, const char *file, unsigned lineno,
		      struct include_stack *stack, struct rp_err *e)
{
	struct line_ctx c = { s, file, lineno, stack, e };
	char *words[MAX_WORDS];
	int n;

	size_t content = 0;

	if (strlen(line) > PROFILE_MAX_RAW_LINE)
		return fail(&c, "line longer than %d bytes", PROFILE_MAX_RAW_LINE);
	if (!utf8_valid(line, strlen(line)))
		return fail(&c, "not valid UTF-8");
	/* A comment line over the directive limit is refused too: nothing
	 * that long is a mistake worth keeping quiet about. */
	if (line[strspn(line, " \t")] == '#' && strlen(line) > PROFILE_MAX_LINE)
		return fail(&c, "line longer than %d bytes", PROFILE_MAX_LINE);
	n = profile_split_words(line, words, MAX_WORDS, file, lineno, e);
	if (n <= 0)
		return n;
	for (int i = 0; i < n; i++)
		content += strlen(words[i]) + (i > 0);
	if (content > PROFILE_MAX_LINE)
		return fail(&c, "line longer than %d bytes", PROFILE_MAX_LINE);
	return apply_words(&c, n, words);
}

int profile_apply_line(struct spec *s, const char *line, const char *file, unsigned lineno,
		       struct rp_err *e)
{
	struct include_stack stack = { .depth = 0 };
	_cleanup_free_ char *copy = xstrdup(line);

	return apply_line(s, copy, spec_intern(s, file), lineno, &stack, e);
}

static int load_text(struct spec *s, const char *text, size_t len, const char *file,
		     struct include_stack *stack, struct rp_err *e)
{
	_cleanup_free_ char *buf = xmalloc(len + 1);
	unsigned lineno = 0;
	char *p = buf;

	memcpy(buf, text, len);
	buf[len] = '\0';
	file = spec_intern(s, file);
	if (memchr(text, '\0', len))
		return rp_fail_at(e, file, 0, "contains a NUL byte (not a text profile)");
	while (p < buf + len) {
		char *nl = strchr(p, '\n');

		lineno++;
		if (nl)
			*nl = '\0';
		/* CRLF files: the \r before a newline (or at the end) goes. */
		if (nl && nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		else if (!nl && buf + len > p && buf[len - 1] == '\r')
			buf[len - 1] = '\0';
		if (apply_line(s, p, file, lineno, stack, e) < 0)
			return -1;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

int profile_load_text(struct spec *s, const char *text, size_t len, const char *file,
		      struct rp_err *e)
{
	struct include_stack stack = { .depth = 0 };

	return load_text(s, text, len, file, &stack, e);
}


static int load_path(struct spec *s, const char *path, struct include_stack *stack,
		     struct rp_err *e)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *text = NULL;
	struct stat st;
	size_t len;
	int r;

	if (fd < 0)
		return rp_fail(e, errno, "profile", "%s", path);
	if (fstat(fd, &st) < 0)
		return rp_fail(e, errno, "profile", "%s", path);
	if (!S_ISREG(st.st_mode))
		return rp_fail(e, 0, "profile", "%s: not a regular file", path);
	for (int i = 0; i < stack->depth; i++)
		if (stack->dev[i] == st.st_dev && stack->ino[i] == st.st_ino)
			return rp_fail_at(e, path, 0, "include cycle (this profile includes itself)");
	if (stack->depth == PROFILE_MAX_DEPTH)
		return rp_fail_at(e, path, 0, "includes nested deeper than %d", PROFILE_MAX_DEPTH);
	if (read_all(fd, PROFILE_MAX_SIZE, &text, &len) < 0)
		return rp_fail(e, errno, "profile", "%s", path);

	stack->dev[stack->depth] = st.st_dev;
	stack->ino[stack->depth] = st.st_ino;
	stack->depth++;
	r = load_text(s, text, len, path, stack, e);
	stack->depth--;
	return r;
}

int profile_load(struct spec *s, const char *name, struct rp_err *e)
{
	struct include_stack stack = { .depth = 0 };
	char path[PATH_MAX];

	if (is_path_like(name)) {
		if (xsnprintf(path, sizeof(path), "%s", name) < 0)
			return rp_fail(e, ENAMETOOLONG, "profile", "%.64s...", name);
	} else if (!name_ok(name)) {
		return rp_fail(e, 0, "profile", "'%s' is not a profile name or path", name);
	} else if (find_profile(name, NULL, path, sizeof(path)) < 0) {
		return rp_fail(e, 0, "profile", "%s: no such profile in %s", name,
			       profile_search_path());
	}
	strv_push(&s->profiles, name);
	return load_path(s, path, &stack, e);
}
