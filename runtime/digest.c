/* digest.c - the tree digest: the canonical records and manifest,
 * parallel content hashing, manifest comparison and the verification
 * cache. The record format is specified in docs/scan-digest.md; a change to
 * it must bump DIGEST_HEADER, because pinned digests depend on every byte.
 */
#include "digest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "sha256.h"
#include "util.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
	static const char x[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[2 * n] = '\0';
}

void digest_format(const uint8_t d[32], char out[DIGEST_LEN])
{
	memcpy(out, "sha256:", 7);
	hex(d, 32, out + 7);
}

/* ---- growing text buffer and the record escape --------------------------- */

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_addf(struct buf *b, const char *fmt, ...)
{
	char tmp[160]; /* only ever a few numbers */
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		abort(); /* a programming error, not an input one */
	buf_add(b, tmp, (size_t)n);
}

/* A record is one line of printable ASCII, fields split by spaces: every
 * byte outside '!'..'~', and '%' and '=' (the escape and the key=value
 * separator), is written %XX. The encoding is injective, so two different
 * trees never produce the same records. */
static bool plain(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '%' && c != '=';
}

static void buf_esc(struct buf *b, const void *s, size_t n)
{
	const unsigned char *p = s;
	char x[4];

	for (size_t i = 0; i < n; i++) {
		if (plain(p[i])) {
			buf_add(b, &p[i], 1);
			continue;
		}
		snprintf(x, sizeof(x), "%%%02X", p[i]);
		buf_add(b, x, 3);
	}
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode an escaped token of N bytes (invalid escapes stay literal). */
static void buf_unesc(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = i + 2 < n ? unhex(s[i + 1]) : -1;
		int lo = i + 2 < n ? unhex(s[i + 2]) : -1;
		char c = s[i];

		if (c == '%' && hi >= 0 && lo >= 0) {
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		buf_add(b, &c, 1);
	}
}

/* ---- the walk ----------------------------------------------------------- */

/* What the records and the cache key need of a statx. */
struct meta {
	uint32_t mode, uid, gid;
	uint64_t size, ino;
	uint32_t dev_major, dev_minor, rdev_major, rdev_minor;
	struct statx_timestamp mtime, ctime;
};

struct entry {
	char *path;        /* "./a/b", raw bytes: the sort key */
	struct meta m;
	char *target;      /* a symlink's target */
	char *xattrs;      /* " xattr.NAME=VALUE"..., escaped, sorted; NULL if none */
	uint8_t sha[32];   /* a regular file's content */
};

struct tree {
	int rootfd;
	bool meta_only;    /* the cache key's walk: no targets, xattrs or contents */
	struct entry *v;
	size_t n, cap;
	uint64_t mounts;
};

static void tree_free(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].path);
		free(t->v[i].target);
		free(t->v[i].xattrs);
	}
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

static struct entry *tree_push(struct tree *t, char *path)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	memset(&t->v[t->n], 0, sizeof(t->v[0]));
	t->v[t->n].path = path;
	return &t->v[t->n++];
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = xmalloc(a + b + 2);

	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

static void meta_from(struct meta *m, const struct statx *x)
{
	*m = (struct meta){
		.mode = x->stx_mode, .uid = x->stx_uid, .gid = x->stx_gid,
		.size = x->stx_size, .ino = x->stx_ino,
		.dev_major = x->stx_dev_major, .dev_minor = x->stx_dev_minor,
		.rdev_major = x->stx_rdev_major, .rdev_minor = x->stx_rdev_minor,
		.mtime = x->stx_mtime, .ctime = x->stx_ctime,
	};
}

#define STATX_WANT (STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID | STATX_INO | STATX_SIZE | \
		    STATX_MTIME | STATX_CTIME)

/* statx NAME in DFD without following it; *MOUNT says whether it is the
 * root of a mount (by the kernel's flag, else by a change of device). */
static int stat_at(int dfd, const char *name, int flags, const struct meta *parent,
		   struct meta *m, bool *mount)
{
	struct statx x;

	if (statx(dfd, name, flags | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_WANT, &x) < 0)
		return -1;
	meta_from(m, &x);
	if (x.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
		*mount = parent && (x.stx_attributes & STATX_ATTR_MOUNT_ROOT);
	else
		*mount = parent && S_ISDIR(m->mode) &&
			 (m->dev_major != parent->dev_major || m->dev_minor != parent->dev_minor);
	return 0;
}

/* The fd is the inode the walk saw: nothing was swapped in between. */
static bool same_inode(int fd, const struct meta *m)
{
	struct statx x;

	return statx(fd, "", AT_EMPTY_PATH, STATX_INO, &x) == 0 && x.stx_ino == m->ino &&
	       x.stx_dev_major == m->dev_major && x.stx_dev_minor == m->dev_minor;
}

/* A list or a value of xattrs, sized by a first call; ERANGE means it grew
 * in between, so ask again. Returns the length, 0 when the filesystem has
 * none, -1 on error. */
static ssize_t xattr_get(const char *p, bool follow, const char *name, char **out)
{
	for (;;) {
		ssize_t n = name ? (follow ? getxattr : lgetxattr)(p, name, NULL, 0)
				 : (follow ? listxattr : llistxattr)(p, NULL, 0);
		ssize_t m;

		if (n < 0 && (errno == ENOTSUP || errno == EOPNOTSUPP))
			return 0;
		if (n <= 0)
			return n;
		*out = xmalloc((size_t)n);
		m = name ? (follow ? getxattr : lgetxattr)(p, name, *out, (size_t)n)
			 : (follow ? listxattr : llistxattr)(p, *out, (size_t)n);
		if (m >= 0)
			return m;
		free(*out);
		*out = NULL;
		if (errno != ERANGE)
			return -1;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* " xattr.NAME=VALUE" for each xattr, sorted by name. The *xattr calls
 * have no *at form before Linux 6.13, so the entry is named through its
 * directory's fd: /proc/self/fd/DFD/NAME, the last component not followed
 * (the root itself is the magic link followed). */
static int read_xattrs(int dfd, const char *name, struct entry *en)
{
	_cleanup_free_ char *list = NULL;
	_cleanup_free_ char **names = NULL;
	char p[64 + NAME_MAX];
	struct buf b = { 0 };
	size_t k = 0;
	ssize_t n;

	if (name)
		snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dfd, name);
	else
		snprintf(p, sizeof(p), "/proc/self/fd/%d", dfd);
	n = xattr_get(p, !name, NULL, &list);
	if (n <= 0)
		return (int)n;
	names = xcalloc((size_t)n, sizeof(*names));
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(list + i) + 1)
		names[k++] = list + i;
	qsort(names, k, sizeof(*names), cmp_str);
	for (size_t i = 0; i < k; i++) {
		_cleanup_free_ char *val = NULL;
		ssize_t vn = xattr_get(p, !name, names[i], &val);

		if (vn < 0) {
			free(b.p);
			return -1;
		}
		buf_add(&b, " xattr.", 7);
		buf_esc(&b, names[i], strlen(names[i]));
		buf_add(&b, "=", 1);
		buf_esc(&b, val, (size_t)vn);
	}
	en->xattrs = b.p;
	return 0;
}

static char *read_target(int dfd, const char *name, uint64_t size)
{
	/* st_size is the length, except on filesystems that report 0. */
	size_t cap = size ? (size_t)size + 1 : PATH_MAX;

	for (;;) {
		char *t = xmalloc(cap);
		ssize_t n = readlinkat(dfd, name, t, cap);

		if (n < 0) {
			free(t);
			return NULL;
		}
		if ((size_t)n < cap) {
			t[n] = '\0';
			return t;
		}
		free(t);
		cap *= 2;
	}
}

/* Record NAME (NULL: the root itself) found in DFD under path REL. */
static int add_entry(struct tree *t, int dfd, const char *name, char *rel, const struct meta *parent,
		     struct rp_err *e)
{
	struct entry *en = tree_push(t, rel);
	bool mount = false;

	if (stat_at(dfd, name ? name : "", name ? 0 : AT_EMPTY_PATH, parent, &en->m, &mount) < 0)
		return rp_fail(e, errno, "digest", "%s", rel);
	t->mounts += mount;
	if (t->meta_only)
		return 0;
	if (S_ISLNK(en->m.mode) && !(en->target = read_target(dfd, name ? name : "", en->m.size)))
		return rp_fail(e, errno, "digest", "%s: readlink", rel);
	if (read_xattrs(dfd, name, en) < 0)
		return rp_fail(e, errno, "digest", "%s: xattrs", rel);
	return 0;
}

static int walk_dir(struct tree *t, int dfd, size_t self, struct rp_err *e);

/* Enter the directory entry I (a child of DFD) and walk it. */
static int descend(struct tree *t, int dfd, size_t i, size_t namepos, struct rp_err *e)
{
	const char *name = t->v[i].path + namepos;
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return rp_fail(e, errno, "digest", "%s", t->v[i].path);
	if (!same_inode(fd, &t->v[i].m))
		return rp_fail(e, 0, "digest", "%s: changed during the digest", t->v[i].path);
	return walk_dir(t, fd, i, e);
}

/* Record every child of the directory entry SELF (open as DFD), then walk
 * the subdirectories, after closedir so only one fd per level stays open. */
static int walk_dir(struct tree *t, int dfd, size_t self, struct rp_err *e)
{
	int rfd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t first = t->n, namepos = strlen(t->v[self].path) + 1;
	/* A copy: adding entries may move the array under a pointer. */
	const struct meta parent = t->v[self].m;
	struct dirent *de;
	DIR *d;
	int err;

	if (rfd < 0 || !(d = fdopendir(rfd))) {
		err = errno;
		if (rfd >= 0)
			close(rfd);
		return rp_fail(e, err, "digest", "%s", t->v[self].path);
	}
	for (errno = 0; (de = readdir(d)); errno = 0) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (add_entry(t, dfd, de->d_name, join(t->v[self].path, de->d_name), &parent, e) < 0) {
			closedir(d);
			return -1;
		}
	}
	err = errno;
	closedir(d);
	if (err)
		return rp_fail(e, err, "digest", "%s: readdir", t->v[self].path);
	for (size_t i = first, last = t->n; i < last; i++)
		if (S_ISDIR(t->v[i].m.mode) && descend(t, dfd, i, namepos, e) < 0)
			return -1;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	/* strcmp orders by unsigned bytes: the documented bytewise order. */
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* Every entry of the tree, sorted by path. */
static int tree_walk(struct tree *t, struct rp_err *e)
{
	if (add_entry(t, t->rootfd, NULL, xstrdup("."), NULL, e) < 0)
		return -1;
	if (!S_ISDIR(t->v[0].m.mode))
		return rp_fail(e, ENOTDIR, "digest", "the rootfs");
	if (walk_dir(t, t->rootfd, 0, e) < 0)
		return -1;
	qsort(t->v, t->n, sizeof(*t->v), cmp_entry);
	return 0;
}

/* ---- contents, hashed on two threads ------------------------------------ */

#define HASH_THREADS 2
#define READ_SIZE (256 * 1024)

struct hash_job {
	struct tree *t;
	atomic_size_t next;  /* the next entry to look at */
	atomic_bool failed;  /* stop early: one error is enough */
};

struct worker {
	struct hash_job *job;
	uint64_t bytes;
	int rc;
	struct rp_err e;
};

/* Open a regular file below the root without following any symlink, then
 * make sure it is the inode the walk recorded: a file swapped since the
 * walk (or a path bent out of the tree on kernels without openat2) is an
 * error, never a wrong digest. O_NONBLOCK: a FIFO swapped in must not hang
 * us; unprivileged users cannot create device nodes to swap in. */
static int open_file(int rootfd, const struct entry *en, struct rp_err *e)
{
	struct open_how how = {
		.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	const char *rel = en->path + 2; /* past "./" */
	int fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS)
		fd = openat(rootfd, rel, (int)how.flags);
	if (fd < 0)
		return rp_fail(e, errno, "digest", "%s", en->path);
	if (!same_inode(fd, &en->m)) {
		close(fd);
		return rp_fail(e, 0, "digest", "%s: changed during the digest", en->path);
	}
	return fd;
}

static int hash_file(int rootfd, struct entry *en, char *buf, uint64_t *bytes, struct rp_err *e)
{
	_cleanup_close_ int fd = open_file(rootfd, en, e);
	struct sha256 c;
	uint64_t total = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	sha256_init(&c);
	while ((n = read(fd, buf, READ_SIZE)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rp_fail(e, errno, "digest", "%s: read", en->path);
		sha256_update(&c, buf, (size_t)n);
		total += (uint64_t)n;
	}
	/* The record carries the walk's size: content of another length was
	 * written in between. */
	if (total != en->m.size)
		return rp_fail(e, 0, "digest", "%s: changed during the digest", en->path);
	sha256_final(&c, en->sha);
	*bytes += total;
	return 0;
}

static void *hash_worker(void *arg)
{
	struct worker *w = arg;
	struct hash_job *j = w->job;
	_cleanup_free_ char *buf = xmalloc(READ_SIZE);
	size_t i;

	while (!atomic_load(&j->failed) && (i = atomic_fetch_add(&j->next, 1)) < j->t->n) {
		if (!S_ISREG(j->t->v[i].m.mode))
			continue;
		if (hash_file(j->t->rootfd, &j->t->v[i], buf, &w->bytes, &w->e) < 0) {
			w->rc = -1;
			atomic_store(&j->failed, true);
		}
	}
	return NULL;
}

/* Hash every regular file: this thread and one more pull entries from a
 * shared counter, so a big file does not hold the others up. */
static int hash_contents(struct tree *t, uint64_t *bytes, struct rp_err *e)
{
	struct hash_job job = { .t = t };
	struct worker w[HASH_THREADS] = { { .job = &job }, { .job = &job } };
	pthread_t th;
	/* Without a second thread the counter hands everything to this one. */
	bool threaded = pthread_create(&th, NULL, hash_worker, &w[1]) == 0;

	hash_worker(&w[0]);
	if (threaded && pthread_join(th, NULL) != 0)
		abort(); /* joining our own joinable thread cannot fail */
	for (int i = 0; i < HASH_THREADS; i++)
		if (w[i].rc < 0) {
			*e = w[i].e;
			return -1;
		}
	*bytes = w[0].bytes + w[1].bytes;
	return 0;
}

/* ---- records -------------------------------------------------------------- */

static char type_char(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return 'f';
	case S_IFDIR: return 'd';
	case S_IFLNK: return 'l';
	case S_IFCHR: return 'c';
	case S_IFBLK: return 'b';
	case S_IFIFO: return 'p';
	default: return 's';
	}
}

/* One record line (see docs/scan-digest.md), appended to B. */
static void record(struct buf *b, const struct entry *en)
{
	const struct meta *m = &en->m;
	char sha[65];

	buf_esc(b, en->path, strlen(en->path));
	buf_addf(b, " type=%c mode=%04o uid=%" PRIu32 " gid=%" PRIu32, type_char(m->mode),
		 m->mode & 07777, m->uid, m->gid);
	if (S_ISREG(m->mode)) {
		hex(en->sha, 32, sha);
		buf_addf(b, " size=%" PRIu64 " sha256=%s", m->size, sha);
	} else if (S_ISLNK(m->mode)) {
		buf_add(b, " target=", 8);
		buf_esc(b, en->target, strlen(en->target));
	} else if (S_ISCHR(m->mode) || S_ISBLK(m->mode)) {
		buf_addf(b, " rdev=%" PRIu32 ":%" PRIu32, m->rdev_major, m->rdev_minor);
	}
	if (en->xattrs)
		buf_add(b, en->xattrs, strlen(en->xattrs));
	buf_add(b, "\n", 1);
}

static double since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

static void count(const struct tree *t, uint64_t bytes, struct digest_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->entries = t->n;
	st->mount_points = t->mounts;
	st->bytes = bytes;
	for (size_t i = 0; i < t->n; i++) {
		uint32_t m = t->v[i].m.mode;

		st->files += S_ISREG(m);
		st->dirs += S_ISDIR(m);
		st->symlinks += S_ISLNK(m);
		st->other += !S_ISREG(m) && !S_ISDIR(m) && !S_ISLNK(m);
	}
}

/* Walk and hash the whole tree. */
static int tree_build(struct tree *t, uint64_t *bytes, struct rp_err *e)
{
	if (tree_walk(t, e) < 0 || hash_contents(t, bytes, e) < 0) {
		tree_free(t);
		return -1;
	}
	return 0;
}

/* Hash the header and every record; write them to FD too unless it is -1. */
static int emit(const struct tree *t, int fd, char out[DIGEST_LEN], struct rp_err *e)
{
	struct buf b = { 0 };
	struct sha256 c;
	uint8_t d[32];
	int rc = 0;

	sha256_init(&c);
	buf_add(&b, DIGEST_HEADER, strlen(DIGEST_HEADER));
	for (size_t i = 0; i <= t->n && rc == 0; i++) {
		if (i > 0)
			record(&b, &t->v[i - 1]);
		/* Flush in chunks: one write per record would be slow. */
		if (b.len < 65536 && i < t->n)
			continue;
		sha256_update(&c, b.p, b.len);
		if (fd >= 0 && write_all(fd, b.p, b.len) < 0)
			rc = rp_fail(e, errno, "digest", "write the manifest");
		b.len = 0;
	}
	free(b.p);
	sha256_final(&c, d);
	digest_format(d, out);
	return rc;
}

int digest_write_manifest(int rootfd, int fd, char out[DIGEST_LEN], struct digest_stats *st,
			  struct rp_err *e)
{
	struct tree t = { .rootfd = rootfd };
	struct timespec start;
	uint64_t bytes = 0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (tree_build(&t, &bytes, e) < 0)
		return -1;
	rc = emit(&t, fd, out, e);
	if (st) {
		count(&t, bytes, st);
		st->seconds = since(&start);
	}
	tree_free(&t);
	return rc;
}

int digest_tree(int rootfd, char out[DIGEST_LEN], struct digest_stats *st, struct rp_err *e)
{
	return digest_write_manifest(rootfd, -1, out, st, e);
}

/* ---- manifest comparison ------------------------------------------------- */

/* The path token of a record line: up to the first space or newline. */
static size_t token_len(const char *line)
{
	return strcspn(line, " \n");
}

/* -1/0/1 as the decoded paths of two record lines order bytewise. */
static int cmp_paths(const char *a, const char *b)
{
	struct buf x = { 0 }, y = { 0 };
	int c;

	buf_unesc(&x, a, token_len(a));
	buf_unesc(&y, b, token_len(b));
	buf_add(&x, "", 0);
	buf_add(&y, "", 0);
	c = memcmp(x.p, y.p, x.len < y.len ? x.len : y.len);
	if (!c)
		c = (x.len > y.len) - (x.len < y.len);
	free(x.p);
	free(y.p);
	return c;
}

/* Both sides are sorted by path, so at the first line that differs the
 * smaller of the two paths is the first difference: changed if both have
 * it, else missing on the side that does not. */
static void first_difference(const char *mine, const char *theirs, char *out, size_t len)
{
	const char *p = !theirs ? mine : !mine ? theirs : cmp_paths(mine, theirs) <= 0 ? mine : theirs;

	/* A diagnostic: truncating a very long path is better than failing. */
	snprintf(out, len, "%.*s", (int)token_len(p), p);
}

/* 1: a line, 0: end of file, -1: error. */
static int next_line(FILE *f, char **line, size_t *cap, struct rp_err *e)
{
	ssize_t n;

	errno = 0;
	n = getline(line, cap, f);
	if (n < 0)
		return errno ? rp_fail(e, errno, "digest", "read the manifest") : 0;
	if (strlen(*line) != (size_t)n)
		return rp_fail(e, 0, "digest", "the manifest has a NUL byte");
	return 1;
}

static int compare(const struct tree *t, FILE *f, const char *manifest, char *first_diff,
		   size_t len, struct rp_err *e)
{
	_cleanup_free_ char *line = NULL;
	struct buf b = { 0 };
	size_t cap = 0;
	int rc = next_line(f, &line, &cap, e);

	if (rc <= 0 || strcmp(line, DIGEST_HEADER) != 0)
		return rc < 0 ? -1 : rp_fail(e, 0, "digest", "%s: not a rampart digest manifest (v1)", manifest);
	for (size_t i = 0;; i++) {
		int got = next_line(f, &line, &cap, e);

		if (got < 0 || (!got && i == t->n)) {
			rc = got;
			break;
		}
		b.len = 0;
		if (i < t->n)
			record(&b, &t->v[i]);
		if (got && i < t->n && strcmp(b.p, line) == 0)
			continue;
		first_difference(i < t->n ? b.p : NULL, got ? line : NULL, first_diff, len);
		rc = 1;
		break;
	}
	free(b.p);
	return rc;
}

int digest_compare_manifest(int rootfd, const char *manifest, char *first_diff, size_t len,
			    struct rp_err *e)
{
	struct tree t = { .rootfd = rootfd };
	uint64_t bytes;
	FILE *f;
	int rc;

	f = fopen(manifest, "re");
	if (!f)
		return rp_fail(e, errno, "digest", "%s", manifest);
	if (tree_build(&t, &bytes, e) < 0) {
		fclose(f);
		return -1;
	}
	rc = compare(&t, f, manifest, first_diff, len, e);
	fclose(f);
	tree_free(&t);
	return rc;
}

/* ---- the verification cache ---------------------------------------------- */

#define CACHE_HEADER "rampart-digest-cache v1\n"
/* Entries changed this recently may change again within the same timestamp
 * tick without their times moving ("racily clean", as git calls it): a key
 * with such an entry is not stored. 2 s covers coarse kernel clocks and the
 * 2 s mtime of FAT. */
#define RACY_SECONDS 2

static int64_t later(int64_t a, const struct statx_timestamp *t)
{
	return t->tv_sec > a ? t->tv_sec : a;
}

static void key_record(struct buf *b, const struct entry *en)
{
	const struct meta *m = &en->m;

	buf_esc(b, en->path, strlen(en->path));
	buf_addf(b, " dev=%" PRIu32 ":%" PRIu32 " ino=%" PRIu64 " mode=%" PRIo32 " uid=%" PRIu32
		    " gid=%" PRIu32 " size=%" PRIu64, m->dev_major, m->dev_minor, m->ino, m->mode,
		 m->uid, m->gid, m->size);
	buf_addf(b, " mtime=%" PRId64 ".%09" PRIu32 " ctime=%" PRId64 ".%09" PRIu32 "\n",
		 (int64_t)m->mtime.tv_sec, m->mtime.tv_nsec, (int64_t)m->ctime.tv_sec, m->ctime.tv_nsec);
}

/* The cache key: every entry's identity and change times, in path order;
 * *NEWEST: the latest mtime or ctime, in seconds. */
static int tree_key(int rootfd, uint8_t key[32], int64_t *newest, struct rp_err *e)
{
	struct tree t = { .rootfd = rootfd, .meta_only = true };
	struct buf b = { 0 };
	struct sha256 c;

	if (tree_walk(&t, e) < 0) {
		tree_free(&t);
		return -1;
	}
	sha256_init(&c);
	sha256_update(&c, CACHE_HEADER, strlen(CACHE_HEADER));
	*newest = INT64_MIN;
	for (size_t i = 0; i < t.n; i++) {
		b.len = 0;
		key_record(&b, &t.v[i]);
		sha256_update(&c, b.p, b.len);
		*newest = later(later(*newest, &t.v[i].m.mtime), &t.v[i].m.ctime);
	}
	sha256_final(&c, key);
	free(b.p);
	tree_free(&t);
	return 0;
}

/* Whoever can write the cache can make any tree pass for a pinned one:
 * it must be the caller's alone. */
static int cache_open(const char *dir, struct rp_err *e)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	if (fd < 0 && errno == ENOENT) {
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return rp_fail(e, errno, "digest", "cache %s", dir);
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return rp_fail(e, errno, "digest", "cache %s", dir);
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022)) {
		close(fd);
		return rp_fail(e, 0, "digest", "cache %s: must belong to uid %u and be writable by it alone",
			       dir, (unsigned)geteuid());
	}
	return fd;
}

/* A valid entry is exactly "sha256:<64 lowercase hex>\n", a regular file
 * of ours; anything else is a miss, and is replaced. */
static bool cache_get(int dfd, const char *name, char out[DIGEST_LEN])
{
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	char text[DIGEST_LEN + 1];
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    read(fd, text, sizeof(text)) != DIGEST_LEN)
		return false;
	if (memcmp(text, "sha256:", 7) != 0 || text[DIGEST_LEN - 1] != '\n')
		return false;
	for (int i = 7; i < DIGEST_LEN - 1; i++)
		if (!text[i] || !strchr("0123456789abcdef", text[i]))
			return false;
	memcpy(out, text, DIGEST_LEN - 1);
	out[DIGEST_LEN - 1] = '\0';
	return true;
}

/* Write, then rename: readers see the old entry or the whole new one. A
 * failure is not an error: the digest is right, only the next is slower. */
static void cache_put(int dfd, const char *name, const char digest[DIGEST_LEN])
{
	static atomic_uint seq;
	char tmp[128], text[DIGEST_LEN + 1];
	int fd;
	bool ok;

	snprintf(tmp, sizeof(tmp), ".%s.%d.%u", name, (int)getpid(), atomic_fetch_add(&seq, 1));
	snprintf(text, sizeof(text), "%s\n", digest);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	ok = write_all(fd, text, strlen(text)) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || renameat(dfd, tmp, dfd, name) < 0)
		(void)unlinkat(dfd, tmp, 0); /* best effort: it is only a stray temp file */
}

int digest_tree_cached(int rootfd, const char *cache_dir, char out[DIGEST_LEN], bool *from_cache,
		       struct rp_err *e)
{
	_cleanup_close_ int dfd = cache_open(cache_dir, e);
	uint8_t before[32], after[32];
	int64_t newest, newest2;
	struct timespec t0;
	char name[65];

	if (from_cache)
		*from_cache = false;
	if (dfd < 0)
		return -1;
	clock_gettime(CLOCK_REALTIME, &t0);
	if (tree_key(rootfd, before, &newest, e) < 0)
		return -1;
	hex(before, 32, name);
	if (cache_get(dfd, name, out)) {
		if (from_cache)
			*from_cache = true;
		return 0;
	}
	if (digest_tree(rootfd, out, NULL, e) < 0 || tree_key(rootfd, after, &newest2, e) < 0)
		return -1;
	/* Store only what describes the tree before and after the hashing,
	 * and no entry that could still change within its timestamp tick. */
	if (memcmp(before, after, 32) == 0 && newest < (int64_t)t0.tv_sec - RACY_SECONDS)
		cache_put(dfd, name, out);
	return 0;
}
