/* scan.c - the rootfs scan: a walk that never follows a symlink, and the
 * rules that turn each entry into findings (see scan.h for the list and
 * docs/scan-digest.md for why each severity is what it is).
 */
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cap-ng.h>

#include "resolve.h"
#include "util.h"

/* The default container id range: ids outside it are unmapped inside. */
#define SCAN_MAX_ID 65535u

/* ---- names ---------------------------------------------------------------- */

const char *scan_severity_name(enum scan_severity s)
{
	return s == SCAN_HIGH ? "high" : s == SCAN_MEDIUM ? "medium" : "low";
}

int scan_severity_parse(const char *s, enum scan_severity *out)
{
	for (int v = SCAN_LOW; v <= SCAN_HIGH; v++)
		if (strcmp(s, scan_severity_name((enum scan_severity)v)) == 0) {
			*out = (enum scan_severity)v;
			return 0;
		}
	return -1;
}

const char *scan_kind_name(enum scan_kind k)
{
	static const char *const names[] = {
		[SCAN_SETUID] = "setuid",
		[SCAN_SETGID] = "setgid",
		[SCAN_FILE_CAPS] = "file-caps",
		[SCAN_WORLD_WRITABLE] = "world-writable",
		[SCAN_WORLD_WRITABLE_DIR] = "world-writable-dir",
		[SCAN_BLOCK_DEVICE] = "block-device",
		[SCAN_CHAR_DEVICE] = "char-device",
		[SCAN_SSHD] = "sshd",
		[SCAN_SHELL] = "shell",
		[SCAN_OWNER] = "owner",
		[SCAN_MOUNT_POINT] = "mount-point",
	};

	return (size_t)k < ARRAY_SIZE(names) && names[k] ? names[k] : "?";
}

/* ---- file capabilities ------------------------------------------------------ */

/* struct vfs_cap_data (linux/capability.h) is little-endian on disk. */
static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Append to a bounded string; a truncated description ends in "...". */
static void cat(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *out, size_t len, const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;
	int n;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out + used, len - used, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= len - used && len >= 4)
		memcpy(out + len - 4, "...", 4);
}

/* Capability words of a valid value: 1 for revision 1, 2 for 2 and 3; 0
 * for anything the kernel would refuse. */
static unsigned cap_words(const unsigned char *p, size_t len)
{
	if (len < 4)
		return 0;
	switch (le32(p) & VFS_CAP_REVISION_MASK) {
	case VFS_CAP_REVISION_1: return len == 12 ? 1 : 0;
	case VFS_CAP_REVISION_2: return len == 20 ? 2 : 0;
	case VFS_CAP_REVISION_3: return len == 24 ? 2 : 0;
	default: return 0;
	}
}

/* "cap_a,cap_b=FLAGS" for the capabilities whose (permitted, inheritable)
 * bits are exactly (P, I), as getcap groups them. */
static void cap_group(const uint32_t perm[2], const uint32_t inh[2], bool eff, bool p, bool i,
		      char *out, size_t len)
{
	bool any = false;

	for (unsigned c = 0; c < 64; c++) {
		const char *name;

		if (((perm[c / 32] >> (c % 32)) & 1) != p || ((inh[c / 32] >> (c % 32)) & 1) != i)
			continue;
		name = capng_capability_to_name(c);
		cat(out, len, "%s", any ? "," : out[0] ? " " : "");
		if (name)
			cat(out, len, "cap_%s", name);
		else
			cat(out, len, "cap_%u", c);
		any = true;
	}
	if (any)
		cat(out, len, "=%s%s%s", p && eff ? "e" : "", i ? "i" : "", p ? "p" : "");
}

void scan_describe_caps(const void *caps, size_t len, char *out, size_t outlen)
{
	const unsigned char *p = caps;
	unsigned words = cap_words(p, len);
	uint32_t perm[2] = { 0 }, inh[2] = { 0 };
	bool eff;

	out[0] = '\0';
	if (!words) {
		cat(out, outlen, "invalid security.capability (%zu bytes)", len);
		return;
	}
	for (unsigned w = 0; w < words; w++) {
		perm[w] = le32(p + 4 + 8 * w);
		inh[w] = le32(p + 8 + 8 * w);
	}
	eff = le32(p) & VFS_CAP_FLAGS_EFFECTIVE;
	cap_group(perm, inh, eff, true, true, out, outlen);
	cap_group(perm, inh, eff, true, false, out, outlen);
	cap_group(perm, inh, eff, false, true, out, outlen);
	if (!out[0])
		cat(out, outlen, "empty capability sets");
	/* Revision 3 is namespaced: it only applies where that uid is root. */
	if ((le32(p) & VFS_CAP_REVISION_MASK) == VFS_CAP_REVISION_3)
		cat(out, outlen, " rootid=%u", le32(p + 20));
}

/* ---- the rules ------------------------------------------------------------- */

static void add(struct scan_result *r, enum scan_severity sev, enum scan_kind kind, const char *path,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void add(struct scan_result *r, enum scan_severity sev, enum scan_kind kind, const char *path,
		const char *fmt, ...)
{
	struct scan_finding *f;
	va_list ap;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	f = &r->v[r->n++];
	f->severity = sev;
	f->kind = kind;
	f->path = xstrdup(path);
	f->detail[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

static unsigned perms(const struct stat *st)
{
	return st->st_mode & 07777;
}

/* setuid/setgid only mean something on regular files (on a directory
 * setgid is group inheritance). Setuid to anyone but root is still a
 * change of identity, but not to the one that matters most. */
static void check_setid(struct scan_result *r, const struct scan_entry *en)
{
	const struct stat *st = en->st;

	if (!S_ISREG(st->st_mode))
		return;
	if (st->st_mode & S_ISUID)
		add(r, st->st_uid == 0 ? SCAN_HIGH : SCAN_MEDIUM, SCAN_SETUID, en->path,
		    "owner %u:%u mode %04o", st->st_uid, st->st_gid, perms(st));
	if (st->st_mode & S_ISGID)
		add(r, SCAN_MEDIUM, SCAN_SETGID, en->path, "owner %u:%u mode %04o", st->st_uid,
		    st->st_gid, perms(st));
}

static void check_caps(struct scan_result *r, const struct scan_entry *en)
{
	char text[sizeof(r->v->detail)];

	if (!en->caps || !S_ISREG(en->st->st_mode))
		return;
	scan_describe_caps(en->caps, en->caps_len, text, sizeof(text));
	add(r, SCAN_HIGH, SCAN_FILE_CAPS, en->path, "%s", text);
}

static const char *type_name(mode_t m)
{
	return S_ISREG(m) ? "file" : S_ISDIR(m) ? "directory" : S_ISFIFO(m) ? "fifo"
	     : S_ISSOCK(m) ? "socket" : S_ISLNK(m) ? "symlink" : "device";
}

/* Symlinks are always 0777 and devices have their own rule; a world-
 * writable directory with the sticky bit (/tmp) is the normal case. */
static void check_writable(struct scan_result *r, const struct scan_entry *en)
{
	mode_t m = en->st->st_mode;

	if (!(m & S_IWOTH) || S_ISLNK(m) || S_ISCHR(m) || S_ISBLK(m))
		return;
	if (!S_ISDIR(m))
		add(r, SCAN_MEDIUM, SCAN_WORLD_WRITABLE, en->path, "%s, mode %04o", type_name(m),
		    perms(en->st));
	else if (!(m & S_ISVTX))
		add(r, SCAN_MEDIUM, SCAN_WORLD_WRITABLE_DIR, en->path, "mode %04o, no sticky bit",
		    perms(en->st));
}

/* The devices a container gets anyway: harmless by number, whatever the
 * node is called (a "null" that is 1:1 is /dev/mem). */
static const char *harmless_char(unsigned ma, unsigned mi)
{
	static const struct { unsigned ma, mi; const char *name; } ok[] = {
		{ 1, 3, "null" }, { 1, 5, "zero" }, { 1, 7, "full" }, { 1, 8, "random" },
		{ 1, 9, "urandom" }, { 5, 0, "tty" }, { 0, 0, "overlay whiteout" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
		if (ok[i].ma == ma && ok[i].mi == mi)
			return ok[i].name;
	return NULL;
}

static void check_device(struct scan_result *r, const struct scan_entry *en)
{
	const struct stat *st = en->st;
	unsigned ma = major(st->st_rdev), mi = minor(st->st_rdev);
	const char *name;

	if (S_ISBLK(st->st_mode)) {
		add(r, SCAN_HIGH, SCAN_BLOCK_DEVICE, en->path, "block %u:%u mode %04o owner %u:%u", ma,
		    mi, perms(st), st->st_uid, st->st_gid);
	} else if (S_ISCHR(st->st_mode)) {
		name = harmless_char(ma, mi);
		add(r, name ? SCAN_LOW : SCAN_MEDIUM, SCAN_CHAR_DEVICE, en->path,
		    "char %u:%u%s%s%s mode %04o owner %u:%u", ma, mi, name ? " (" : "", name ? name : "",
		    name ? ")" : "", perms(st), st->st_uid, st->st_gid);
	}
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* A program is a symlink or a regular file with an exec bit: a config
 * file called /etc/pam.d/sshd is not an SSH daemon. */
static bool is_program(const struct stat *st)
{
	return S_ISLNK(st->st_mode) || (S_ISREG(st->st_mode) && (st->st_mode & 0111));
}

static void describe_program(const struct scan_entry *en, char *out, size_t len)
{
	if (en->link)
		snprintf(out, len, "symlink to %s", en->link);
	else
		snprintf(out, len, "owner %u:%u mode %04o", en->st->st_uid, en->st->st_gid, perms(en->st));
}

/* An SSH daemon anywhere is a way in; a shell in a bin directory is what
 * an exploit wants to run. */
static void check_programs(struct scan_result *r, const struct scan_entry *en)
{
	static const char *const sshd[] = { "sshd", "dropbear" };
	static const char *const shells[] = { "sh", "ash", "bash", "dash", "ksh", "mksh", "zsh",
					      "csh", "tcsh", "fish", "rbash" };
	static const char *const bins[] = { "/bin", "/sbin", "/usr/bin", "/usr/sbin",
					    "/usr/local/bin", "/usr/local/sbin" };
	const char *slash = strrchr(en->path, '/');
	char dir[PATH_MAX], text[sizeof(r->v->detail)];

	if (!slash || !is_program(en->st))
		return;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - en->path), en->path);
	describe_program(en, text, sizeof(text));
	if (in_list(slash + 1, sshd, ARRAY_SIZE(sshd)))
		add(r, SCAN_HIGH, SCAN_SSHD, en->path, "%s", text);
	else if (in_list(slash + 1, shells, ARRAY_SIZE(shells)) && in_list(dir, bins, ARRAY_SIZE(bins)))
		add(r, SCAN_LOW, SCAN_SHELL, en->path, "%s", text);
}

/* Ids past the map are unmapped inside (the kernel shows them as 65534,
 * and nobody can chown them back); ids the image does not name are
 * leftovers of whoever built it. */
static void check_owner(struct scan_result *r, const struct scan_entry *en)
{
	char text[sizeof(r->v->detail)] = "";
	unsigned uid = en->st->st_uid, gid = en->st->st_gid;

	if (uid > SCAN_MAX_ID)
		cat(text, sizeof(text), "uid %u outside 0-%u", uid, SCAN_MAX_ID);
	else if (en->unknown_uid)
		cat(text, sizeof(text), "uid %u not in /etc/passwd", uid);
	if (gid > SCAN_MAX_ID)
		cat(text, sizeof(text), "%sgid %u outside 0-%u", text[0] ? "; " : "", gid, SCAN_MAX_ID);
	else if (en->unknown_gid)
		cat(text, sizeof(text), "%sgid %u not in /etc/group", text[0] ? "; " : "", gid);
	if (text[0])
		add(r, SCAN_LOW, SCAN_OWNER, en->path, "%s", text);
}

void scan_check(struct scan_result *r, const struct scan_entry *en)
{
	check_setid(r, en);
	check_caps(r, en);
	check_writable(r, en);
	check_device(r, en);
	check_programs(r, en);
	check_owner(r, en);
	if (en->mount_point)
		add(r, SCAN_LOW, SCAN_MOUNT_POINT, en->path, "another mount (device %u:%u), scanned",
		    major(en->st->st_dev), minor(en->st->st_dev));
}

static int cmp_finding(const void *a, const void *b)
{
	const struct scan_finding *x = a, *y = b;
	int c = (int)y->severity - (int)x->severity;

	c = c ? c : strcmp(x->path, y->path);
	return c ? c : (int)x->kind - (int)y->kind;
}

void scan_finish(struct scan_result *r)
{
	if (r->n)
		qsort(r->v, r->n, sizeof(*r->v), cmp_finding);
	memset(r->totals.by_severity, 0, sizeof(r->totals.by_severity));
	for (size_t i = 0; i < r->n; i++)
		r->totals.by_severity[r->v[i].severity]++;
}

void scan_result_free(struct scan_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].path);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* ---- the image's own users and groups ---------------------------------------- */

struct idset {
	uint32_t *v;
	size_t n;
	bool have;  /* the file exists: without it, no id is "unknown" */
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static bool idset_has(const struct idset *s, uint32_t id)
{
	return !s->have || (s->n && bsearch(&id, s->v, s->n, sizeof(id), cmp_u32));
}

/* The numeric third field of every line of an /etc/passwd-format file. */
static int load_ids(int rootfd, const char *file, struct idset *s)
{
	_cleanup_free_ char *line = NULL;
	int fd = open_in_root(rootfd, file, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	size_t cap = 0;
	FILE *f;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	f = fdopen(fd, "re");
	if (!f) {
		close(fd);
		return -1;
	}
	s->have = true;
	while (getline(&line, &cap, f) >= 0) {
		char *p = strchr(line, ':'), *end;
		unsigned long id;

		p = p ? strchr(p + 1, ':') : NULL;
		if (!p)
			continue;
		errno = 0;
		id = strtoul(p + 1, &end, 10);
		if (errno || end == p + 1 || *end != ':' || id > UINT32_MAX)
			continue; /* not an entry: comments, NIS "+" lines */
		s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
		s->v[s->n++] = (uint32_t)id;
	}
	if (ferror(f)) {
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_u32);
	return 0;
}

/* ---- the walk --------------------------------------------------------------- */

struct walk {
	struct scan_result *r;
	struct idset users, groups;
	const char *name;       /* the caller's name for the root, for errors */
	char path[PATH_MAX];    /* the entry at hand; "" is the root */
	struct rp_err *e;
};

static int fail(struct walk *w, int err, const char *what)
{
	return rp_fail(w->e, err, "scan", "%s%s%s", w->name, w->path, what);
}

static void stat_from(struct stat *st, const struct statx *x)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = x->stx_mode;
	st->st_uid = x->stx_uid;
	st->st_gid = x->stx_gid;
	st->st_size = (off_t)x->stx_size;
	st->st_ino = x->stx_ino;
	st->st_nlink = x->stx_nlink;
	st->st_dev = makedev(x->stx_dev_major, x->stx_dev_minor);
	st->st_rdev = makedev(x->stx_rdev_major, x->stx_rdev_minor);
}

/* statx without following NAME; *MOUNT by the kernel's mount-root flag,
 * or, on kernels before 5.8, by a change of device under a directory. */
static int stat_entry(int dfd, const char *name, const struct stat *parent, struct stat *st,
		      bool *mount)
{
	struct statx x;
	int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | (name ? 0 : AT_EMPTY_PATH);

	if (statx(dfd, name ? name : "", flags, STATX_BASIC_STATS, &x) < 0)
		return -1;
	stat_from(st, &x);
	if (x.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
		*mount = parent && (x.stx_attributes & STATX_ATTR_MOUNT_ROOT);
	else
		*mount = parent && S_ISDIR(st->st_mode) && st->st_dev != parent->st_dev;
	return 0;
}

/* security.capability of NAME in DFD. The *xattr calls have no *at form
 * (before Linux 6.13): the entry is named through /proc/self/fd/DFD, last
 * component not followed. Returns its length, 0 if none, -1 on error; a
 * value too long for BUF is returned as its length only (invalid anyway). */
static ssize_t read_caps(int dfd, const char *name, unsigned char *buf, size_t len)
{
	char p[64 + NAME_MAX];
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dfd, name);
	n = lgetxattr(p, "security.capability", buf, len);
	if (n < 0 && (errno == ENODATA || errno == ENOTSUP || errno == EOPNOTSUPP))
		return 0;
	if (n < 0 && errno == ERANGE)
		n = lgetxattr(p, "security.capability", NULL, 0);
	return n;
}

static void count(struct scan_totals *t, const struct stat *st, bool mount)
{
	t->files += S_ISREG(st->st_mode);
	t->dirs += S_ISDIR(st->st_mode);
	t->symlinks += S_ISLNK(st->st_mode);
	t->other += !S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode) && !S_ISLNK(st->st_mode);
	t->bytes += S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
	t->mount_points += mount;
}

/* Look at NAME in DFD (NULL: the root), whose path is w->path. */
static int visit(struct walk *w, int dfd, const char *name, const struct stat *parent,
		 struct stat *st)
{
	struct scan_entry en = { .path = w->path[0] ? w->path : "/", .st = st };
	unsigned char caps[64];
	_cleanup_free_ char *link = NULL;
	ssize_t n;

	if (stat_entry(dfd, name, parent, st, &en.mount_point) < 0)
		return fail(w, errno, "");
	if (S_ISREG(st->st_mode)) {
		if ((n = read_caps(dfd, name, caps, sizeof(caps))) < 0)
			return fail(w, errno, ": security.capability");
		en.caps = n ? caps : NULL;
		en.caps_len = (size_t)n;
	}
	if (S_ISLNK(st->st_mode)) {
		link = xcalloc(1, PATH_MAX);
		if (readlinkat(dfd, name, link, PATH_MAX - 1) < 0)
			return fail(w, errno, ": readlink");
		en.link = link;
	}
	en.unknown_uid = !idset_has(&w->users, st->st_uid);
	en.unknown_gid = !idset_has(&w->groups, st->st_gid);
	scan_check(w->r, &en);
	count(&w->r->totals, st, en.mount_point);
	return 0;
}

static int walk_dir(struct walk *w, int dfd, const struct stat *self);

/* Enter subdirectory NAME of DFD, which the listing saw as *ST. */
static int descend(struct walk *w, int dfd, const char *name, const struct stat *st)
{
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat now;

	if (fd < 0)
		return fail(w, errno, "");
	/* Swapped since it was stat'ed: scanning the new one would report
	 * findings for the wrong thing. */
	if (fstat(fd, &now) < 0 || now.st_ino != st->st_ino || now.st_dev != st->st_dev)
		return fail(w, 0, ": changed during the scan");
	return walk_dir(w, fd, st);
}

struct subdir {
	char *name;
	struct stat st;
};

/* Visit every child of DFD (whose path is w->path), then walk the
 * subdirectories after closedir: one fd per level, however wide. */
static int walk_dir(struct walk *w, int dfd, const struct stat *self)
{
	int rfd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t len = strlen(w->path), nsub = 0;
	struct subdir *sub = NULL;
	struct dirent *de;
	int rc = 0, err;
	DIR *d;

	if (rfd < 0 || !(d = fdopendir(rfd))) {
		err = errno;
		if (rfd >= 0)
			close(rfd);
		return fail(w, err, "");
	}
	for (errno = 0; rc == 0 && (de = readdir(d)); errno = 0) {
		struct stat st = { 0 };

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (xsnprintf(w->path + len, sizeof(w->path) - len, "/%s", de->d_name) < 0)
			rc = fail(w, ENAMETOOLONG, "");
		else
			rc = visit(w, dfd, de->d_name, self, &st);
		if (rc == 0 && S_ISDIR(st.st_mode)) {
			sub = xrealloc(sub, (nsub + 1) * sizeof(*sub));
			sub[nsub++] = (struct subdir){ xstrdup(de->d_name), st };
		}
		w->path[len] = '\0';
	}
	err = errno;
	closedir(d);
	if (rc == 0 && err)
		rc = fail(w, err, ": readdir");
	for (size_t i = 0; i < nsub; i++) {
		if (rc == 0) {
			snprintf(w->path + len, sizeof(w->path) - len, "/%s", sub[i].name);
			rc = descend(w, dfd, sub[i].name, &sub[i].st);
			w->path[len] = '\0';
		}
		free(sub[i].name);
	}
	free(sub);
	return rc;
}

int scan_tree(int rootfd, const char *name, struct scan_result *r, struct rp_err *e)
{
	struct walk *w = xcalloc(1, sizeof(*w));
	struct stat st;
	int rc;

	memset(r, 0, sizeof(*r));
	*w = (struct walk){ .r = r, .name = name, .e = e };
	if (fstat(rootfd, &st) < 0)
		rc = fail(w, errno, "");
	else if (!S_ISDIR(st.st_mode))
		rc = fail(w, ENOTDIR, "");
	else if (load_ids(rootfd, "/etc/passwd", &w->users) < 0)
		rc = fail(w, errno, "/etc/passwd");
	else if (load_ids(rootfd, "/etc/group", &w->groups) < 0)
		rc = fail(w, errno, "/etc/group");
	else if ((rc = visit(w, rootfd, NULL, NULL, &st)) == 0)
		rc = walk_dir(w, rootfd, &st);
	free(w->users.v);
	free(w->groups.v);
	free(w);
	if (rc < 0) {
		scan_result_free(r);
		return -1;
	}
	scan_finish(r);
	return 0;
}
