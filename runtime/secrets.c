/* secrets.c - secrets on a private tmpfs at /run/secrets (see secrets.h). */
#include "secrets.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mount_api.h"
#include "parse.h"
#include "resolve.h"
#include "spec.h"
#include "util.h"

#define fail(...) rp_fail_at(e, file, line, __VA_ARGS__)

static bool name_ok(const char *n)
{
	if (!*n || !strcmp(n, ".") || !strcmp(n, "..") || strlen(n) > 128)
		return false;
	for (; *n; n++)
		if (!(('a' <= *n && *n <= 'z') || ('A' <= *n && *n <= 'Z') || ('0' <= *n && *n <= '9') ||
		      strchr("._-", *n)))
			return false;
	return true;
}

int secret_directive(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		     struct rp_err *e)
{
	struct secret_spec sec = { .mode = 0400, .file = file, .line = line };
	size_t k;

	if (argc < 2)
		return fail("secret: expected NAME HOSTFILE [mode 0400] [uid U]");
	if (!name_ok(argv[0]))
		return fail("secret: '%s' is not a file name (letters, digits, . _ -)", argv[0]);
	if (argv[1][0] != '/')
		return fail("secret %s: host file '%s' must be an absolute path", argv[0], argv[1]);
	for (int i = 2; i < argc; i += 2) {
		uint32_t uid;

		if (i + 1 >= argc)
			return fail("secret %s: '%s' needs a value", argv[0], argv[i]);
		if (!strcmp(argv[i], "mode")) {
			if (parse_mode(argv[i + 1], &sec.mode) < 0 || (sec.mode & ~0777))
				return fail("secret %s: bad mode '%s' (octal, e.g. 0400)", argv[0], argv[i + 1]);
		} else if (!strcmp(argv[i], "uid")) {
			if (parse_u32(argv[i + 1], &uid) < 0)
				return fail("secret %s: bad uid '%s'", argv[0], argv[i + 1]);
			sec.uid = uid;
			sec.uid_set = true;
		} else {
			return fail("secret %s: unknown option '%s' (mode, uid)", argv[0], argv[i]);
		}
	}
	for (k = 0; k < s->nsecrets; k++)
		if (!strcmp(s->secrets[k].name, argv[0]))
			break;
	if (k == SECRETS_MAX)
		return fail("secret: at most %d secrets", SECRETS_MAX);
	if (k < s->nsecrets) {
		free(s->secrets[k].name);
		free(s->secrets[k].path);
	} else {
		s->nsecrets++;
	}
	sec.name = xstrdup(argv[0]);
	sec.path = xstrdup(argv[1]);
	s->secrets[k] = sec;
	return 0;
}

void secrets_print(const struct secret_spec *sec, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "secret %s %s mode %04o", sec[i].name, sec[i].path, (unsigned)sec[i].mode);
		if (sec[i].uid_set)
			fprintf(out, " uid %u", (unsigned)sec[i].uid);
		fputs("\t# contents: <secret>\n", out);
	}
}

void secrets_free(struct secret_spec *sec, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(sec[i].name);
		free(sec[i].path);
	}
}

int secrets_read(const struct spec *s, struct secret_data *out, struct rp_err *e)
{
	for (size_t i = 0; i < s->nsecrets; i++) {
		const struct secret_spec *sec = &s->secrets[i];
		_cleanup_close_ int fd = open(sec->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		struct stat st;

		if (fd < 0 || fstat(fd, &st) < 0) {
			rp_fail_at(e, sec->file, sec->line, "secret %s: %s: %s", sec->name, sec->path, strerror(errno));
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			rp_fail_at(e, sec->file, sec->line, "secret %s: %s is not a regular file", sec->name, sec->path);
			goto fail;
		}
		if (read_all(fd, SECRET_MAX_SIZE, &out[i].data, &out[i].len) < 0) {
			rp_fail_at(e, sec->file, sec->line, "secret %s: %s: %s", sec->name, sec->path, strerror(errno));
			goto fail;
		}
		continue;
fail:
		secrets_wipe(out, i);
		return -1;
	}
	return 0;
}

void secrets_wipe(struct secret_data *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (d[i].data)
			explicit_bzero(d[i].data, d[i].len);
		free(d[i].data);
		d[i].data = NULL;
		d[i].len = 0;
	}
}

static int write_one(int dir, const struct secret_spec *sec, const struct secret_data *d,
		     uid_t uid, gid_t gid, struct rp_err *e)
{
	_cleanup_close_ int fd = openat(dir, sec->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
					(mode_t)sec->mode);

	if (fd < 0 || write_all(fd, d->data, d->len) < 0 ||
	    fchown(fd, sec->uid_set ? sec->uid : uid, gid) < 0 || fchmod(fd, (mode_t)sec->mode) < 0)
		return rp_fail(e, errno, "secret", "write %s/%s", SECRETS_DIR, sec->name);
	return 0;
}

/* The tmpfs, detached (new mount API) or already on /run/secrets (mount(2)
 * on kernels without it): *dir is where the files go; *mnt is the
 * detached mount still to attach, or -1. */
static int make_tmpfs(int root, int target, size_t size, int *mnt, int *dir, struct rp_err *e)
{
	/* A tmpfs of our own, sized for its files: never swapped to a shared
	 * filesystem, gone with the mount namespace. */
	const unsigned attr = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
	char opt[64];

	*mnt = *dir = -1;
	if (xsnprintf(opt, sizeof(opt), "size=%zu,mode=0700", size) < 0)
		return rp_fail(e, errno, "secret", "tmpfs for %s", SECRETS_DIR);
	if (!mount_api_detached()) {
		if (mount_fs_on_fd(target, "tmpfs", opt, attr) < 0)
			return rp_fail(e, errno, "secret", "tmpfs for %s", SECRETS_DIR);
		*dir = open_in_root(root, SECRETS_DIR, O_RDONLY | O_DIRECTORY);
		return *dir < 0 ? rp_fail(e, errno, "secret", "open %s", SECRETS_DIR) : 0;
	}
	*mnt = mount_fs_detached("tmpfs", opt, attr, NULL, 0);
	if (*mnt < 0)
		return rp_fail(e, errno, "secret", "tmpfs for %s", SECRETS_DIR);
	/* fsmount's fd is a path, not an open directory: open it for chown. */
	*dir = openat(*mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return *dir < 0 ? rp_fail(e, errno, "secret", "open %s", SECRETS_DIR) : 0;
}

/* Read-only, and in place: attached with the flag, or (mounted in place
 * before Linux 5.2) remounted; dir names its root. */
static int seal(int mnt, int dir, int target, struct rp_err *e)
{
	if (mnt >= 0 ? mount_attach(mnt, target, "", MOUNT_ATTR_RDONLY, false) < 0
		     : mount_remount(dir, MS_RDONLY, false) < 0)
		return rp_fail(e, errno, "secret", "mount %s read-only", SECRETS_DIR);
	return 0;
}

int secrets_install(const struct spec *s, int root, struct secret_data *d, struct rp_err *e)
{
	_cleanup_close_ int target = -1, mnt = -1, dir = -1;
	size_t total = 4096;
	int r = -1;

	if (!s->nsecrets)
		return 0;
	for (size_t i = 0; i < s->nsecrets; i++)
		total += d[i].len + 4096;
	target = open_in_root(root, SECRETS_DIR, O_PATH | O_DIRECTORY);
	if (target < 0) {
		rp_fail(e, errno, "secret", "resolve %s", SECRETS_DIR);
		goto out;
	}
	if (make_tmpfs(root, target, total, &mnt, &dir, e) < 0)
		goto out;
	for (size_t i = 0; i < s->nsecrets; i++)
		if (write_one(dir, &s->secrets[i], &d[i], s->user.uid, s->user.gid, e) < 0)
			goto out;
	/* The directory: 0500, the container user's; then nothing changes. */
	if (fchown(dir, s->user.uid, s->user.gid) < 0 || fchmod(dir, 0500) < 0) {
		rp_fail(e, errno, "secret", "seal %s", SECRETS_DIR);
		goto out;
	}
	r = seal(mnt, dir, target, e);
out:
	secrets_wipe(d, s->nsecrets);
	return r;
}
