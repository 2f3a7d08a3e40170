/* seccomp_cache.c - compiled filters kept between launches.
 *
 * An entry is named by a 64-bit hash of the filter's canonical text (the
 * effective rules as `profile show` prints them, the libseccomp version,
 * the highest known syscall, learn or not). It is used only when every
 * check holds: magic, the full canonical text equal (a hash collision
 * cannot hand over another profile's filter), lengths, a checksum of the
 * BPF, and an entry and directory that belong to us and nobody else can
 * write. Anything else is rebuilt and rewritten, never trusted. Failing
 * to write the cache is not an error: it only costs the next launch a
 * compile.
 */
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define MAGIC "rampart-bpf-1\n"
#define MAX_TEXT (1u << 20)

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
#define FNV_SEED 0xcbf29ce484222325ull

/* Everything the BPF depends on, as text. */
static char *canonical(const struct seccomp_spec *sc, bool learn)
{
	const struct scmp_version *v = seccomp_version();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fprintf(f, "learn %d\nlibseccomp %u.%u.%u\nhighest %d\n", learn, v ? v->major : 0,
		v ? v->minor : 0, v ? v->micro : 0, seccomp_highest_known());
	seccomp_print(sc, f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Ours alone: owned by us, not writable by group or others. */
static bool private(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

static int open_dir(const char *dir, bool create)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if (create && xsnprintf(path, sizeof(path), "%s", dir) >= 0) {
		/* mkdir -p, each level 0700 (an existing level is left alone). */
		for (char *p = path + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			(void)mkdir(path, 0700);
			*p = '/';
		}
		(void)mkdir(path, 0700);
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) < 0 || !private(&st)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

struct header {
	uint32_t text_len;
	uint16_t len[2];
	uint64_t sum;
};

static uint64_t prog_sum(const struct sc_filters *f)
{
	uint64_t h = FNV_SEED;

	for (int i = 0; i < 2; i++)
		if (f->prog[i])
			h = fnv1a(h, f->prog[i], f->len[i] * sizeof(struct sock_filter));
	return h;
}

static bool read_exact(int fd, void *buf, size_t len)
{
	return read(fd, buf, len) == (ssize_t)len;
}

static int load(int dirfd, const char *name, const char *text, struct sc_filters *out)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	_cleanup_free_ char *stored = NULL;
	char magic[sizeof(MAGIC) - 1];
	struct header h;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !private(&st))
		return -1;
	if (!read_exact(fd, magic, sizeof(magic)) || memcmp(magic, MAGIC, sizeof(magic)) ||
	    !read_exact(fd, &h, sizeof(h)) || h.text_len != strlen(text) || h.text_len > MAX_TEXT ||
	    h.len[0] == 0 || h.len[0] > 4096 || h.len[1] > 4096)
		return -1;
	stored = xmalloc(h.text_len);
	if (!read_exact(fd, stored, h.text_len) || memcmp(stored, text, h.text_len))
		return -1;
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < 2; i++) {
		size_t n = h.len[i] * sizeof(struct sock_filter);

		if (!h.len[i])
			continue;
		out->prog[i] = xmalloc(n);
		out->len[i] = h.len[i];
		if (!read_exact(fd, out->prog[i], n))
			goto bad;
	}
	if (prog_sum(out) != h.sum || read(fd, magic, 1) != 0)
		goto bad;
	return 0;
bad:
	seccomp_filters_free(out);
	return -1;
}

/* Written to a temporary name and renamed: readers see all or nothing. */
static void store(int dirfd, const char *name, const char *text, const struct sc_filters *f)
{
	struct header h = { (uint32_t)strlen(text), { f->len[0], f->len[1] }, prog_sum(f) };
	char tmp[64];
	int fd;
	bool ok;

	snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	ok = write_all(fd, MAGIC, sizeof(MAGIC) - 1) == 0 && write_all(fd, &h, sizeof(h)) == 0 &&
	     write_all(fd, text, h.text_len) == 0;
	for (int i = 0; ok && i < 2; i++)
		if (f->prog[i])
			ok = write_all(fd, f->prog[i], f->len[i] * sizeof(struct sock_filter)) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || renameat(dirfd, tmp, dirfd, name) < 0)
		(void)unlinkat(dirfd, tmp, 0);
}

int seccomp_compile_cached(const struct seccomp_spec *sc, bool learn, struct sc_filters *out,
			   bool *hit, struct rp_err *e)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_close_ int dirfd = -1;
	char dir[PATH_MAX], name[32];
	bool cacheable;
	int r;

	*hit = false;
	memset(out, 0, sizeof(*out));
	if (!sc->enabled)
		return 0;
	text = canonical(sc, learn);
	cacheable = text && cache_dir_path("seccomp", dir, sizeof(dir)) >= 0;
	if (!cacheable)
		goto compile;
	snprintf(name, sizeof(name), "%016llx.bpf",
		 (unsigned long long)fnv1a(FNV_SEED, text, strlen(text)));
	dirfd = open_dir(dir, false);
	if (dirfd >= 0 && load(dirfd, name, text, out) == 0) {
		*hit = true;
		return 0;
	}
compile:
	r = learn ? seccomp_compile_learn(sc, out, e) : seccomp_compile(sc, out, e);
	if (r < 0 || !cacheable)
		return r;
	if (dirfd < 0)
		dirfd = open_dir(dir, true);
	if (dirfd >= 0)
		store(dirfd, name, text, out);
	return 0;
}
