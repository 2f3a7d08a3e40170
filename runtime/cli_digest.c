/* cli_digest.c - `rampart digest`: the deterministic digest of a rootfs, its
 * manifest, a check against a manifest, and the verification cache
 * (docs/scan-digest.md).
 *
 *   rampart digest [--json] [--stats] [--manifest FILE | --cache DIR] ROOTFS
 *   rampart digest --check MANIFEST ROOTFS
 *
 * Exit status: 0; with --check 0 when the tree matches, 1 when it does not
 * (the first differing path on stdout); 125 on errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "digest.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: rampart digest [--json] [--stats] [--manifest FILE | --cache DIR] ROOTFS\n"
		"       rampart digest --check MANIFEST ROOTFS\n");
	return RP_EXIT_ERROR;
}

struct opts {
	bool json, stats;
	const char *manifest, *cache, *check, *rootfs;
};

/* OPT's argument into *DST. */
static int take(int argc, char **argv, int *i, const char **dst, struct rp_err *e)
{
	if (*i + 1 >= argc)
		return rp_fail(e, 0, "usage", "%s needs an argument", argv[*i]);
	*dst = argv[++*i];
	return 0;
}

static int parse(int argc, char **argv, struct opts *o, struct rp_err *e)
{
	int rc = 0;

	*o = (struct opts){ 0 };
	for (int i = 1; i < argc && rc == 0; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json"))
			o->json = true;
		else if (!strcmp(a, "--stats"))
			o->stats = true;
		else if (!strcmp(a, "--manifest"))
			rc = take(argc, argv, &i, &o->manifest, e);
		else if (!strcmp(a, "--cache"))
			rc = take(argc, argv, &i, &o->cache, e);
		else if (!strcmp(a, "--check"))
			rc = take(argc, argv, &i, &o->check, e);
		else if (a[0] == '-' && a[1])
			rc = rp_fail(e, 0, "usage", "unknown option '%s'", a);
		else if (o->rootfs)
			rc = rp_fail(e, 0, "usage", "one ROOTFS only");
		else
			o->rootfs = a;
	}
	if (rc == 0 && !o->rootfs)
		rc = rp_fail(e, 0, "usage", "ROOTFS is missing");
	if (rc == 0 && o->manifest && o->cache)
		rc = rp_fail(e, 0, "usage", "--manifest and --cache exclude each other");
	if (rc == 0 && o->check && (o->manifest || o->cache || o->json || o->stats))
		rc = rp_fail(e, 0, "usage", "--check takes no other option");
	return rc;
}

static int check(int rootfd, const struct opts *o)
{
	char first[PATH_MAX * 3];
	struct rp_err e = { 0 };
	int rc = digest_compare_manifest(rootfd, o->check, first, sizeof(first), &e);

	if (rc < 0)
		return cli_report(&e);
	if (rc == 0)
		printf("matches %s\n", o->check);
	else
		printf("differs from %s, first at %s\n", o->check, first);
	return rc;
}

/* The digest the options ask for; *CACHED is -1 without --cache. */
static int compute(int rootfd, const struct opts *o, char out[DIGEST_LEN], struct digest_stats *st,
		   int *cached, struct rp_err *e)
{
	_cleanup_close_ int fd = -1;
	bool hit = false;

	*cached = -1;
	if (o->cache) {
		if (digest_tree_cached(rootfd, o->cache, out, &hit, e) < 0)
			return -1;
		*cached = hit;
		return 0;
	}
	if (!o->manifest)
		return digest_tree(rootfd, out, st, e);
	fd = open(o->manifest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return rp_fail(e, errno, "digest", "%s", o->manifest);
	if (digest_write_manifest(rootfd, fd, out, st, e) < 0)
		return -1;
	if (close(steal_fd(fd)) < 0)
		return rp_fail(e, errno, "digest", "%s", o->manifest);
	return 0;
}

static int print_json(const struct opts *o, const char *d, const struct digest_stats *st, int cached)
{
	json_t *root = json_pack("{s:s, s:s}", "rootfs", o->rootfs, "digest", d);
	int rc = 0;

	if (!root) /* a ROOTFS name that is not UTF-8 */
		root = json_pack("{s:s}", "digest", d);
	if (!root)
		abort();
	if (cached >= 0)
		rc = json_object_set_new(root, "cached", json_boolean(cached));
	else
		rc = json_object_update_new(root, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}",
			"entries", (json_int_t)st->entries, "files", (json_int_t)st->files,
			"dirs", (json_int_t)st->dirs, "symlinks", (json_int_t)st->symlinks,
			"other", (json_int_t)st->other, "mount_points", (json_int_t)st->mount_points,
			"bytes", (json_int_t)st->bytes, "seconds", st->seconds));
	if (rc < 0)
		abort(); /* only an allocation failure gets here */
	rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6)) < 0 ? -1 : 0;
	json_decref(root);
	putchar('\n');
	return rc;
}

static void print_stats(const struct digest_stats *st, int cached, double wall)
{
	if (cached >= 0) {
		fprintf(stderr, "rampart: digest: %s in %.3f s\n", cached ? "from the cache" : "computed, cached",
			wall);
		return;
	}
	fprintf(stderr,
		"rampart: digest: %" PRIu64 " entries (%" PRIu64 " files, %" PRIu64 " dirs, %" PRIu64
		" symlinks, %" PRIu64 " other), %" PRIu64 " bytes in %.3f s: %.1f MB/s\n",
		st->entries, st->files, st->dirs, st->symlinks, st->other, st->bytes, st->seconds,
		st->seconds > 0 ? (double)st->bytes / 1e6 / st->seconds : 0.0);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int cmd_digest(int argc, char **argv)
{
	struct digest_stats st = { 0 };
	struct rp_err e = { 0 };
	_cleanup_close_ int fd = -1;
	char d[DIGEST_LEN];
	int cached, rc;
	double t0 = now();
	struct opts o;

	if (parse(argc, argv, &o, &e) < 0) {
		cli_report(&e);
		return usage();
	}
	fd = open(o.rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rp_fail(&e, errno, "digest", "%s", o.rootfs);
		return cli_report(&e);
	}
	if (o.check)
		return check(fd, &o);
	if (compute(fd, &o, d, &st, &cached, &e) < 0)
		return cli_report(&e);
	rc = o.json ? print_json(&o, d, &st, cached) : printf("%s\n", d) < 0 ? -1 : 0;
	if (o.stats)
		print_stats(&st, cached, now() - t0);
	if (rc < 0 || fflush(stdout) != 0 || ferror(stdout)) {
		rp_fail(&e, errno ? errno : EIO, "digest", "write stdout");
		return cli_report(&e);
	}
	return 0;
}
