/* cli_scan.c - `rampart scan [--json] [--max-severity LEVEL] ROOTFS`: what a
 * hardened launch would care about in an image (docs/scan-digest.md).
 *
 * Exit status: 0 when no finding is at or above LEVEL (default high), 1
 * when one is, 125 on errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "scan.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr, "usage: rampart scan [--json] [--max-severity high|medium|low] ROOTFS\n");
	return RP_EXIT_ERROR;
}

struct opts {
	bool json;
	enum scan_severity threshold;
	const char *rootfs;
};

static int parse(int argc, char **argv, struct opts *o, struct rp_err *e)
{
	*o = (struct opts){ .threshold = SCAN_HIGH };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--max-severity")) {
			if (i + 1 >= argc)
				return rp_fail(e, 0, "usage", "--max-severity needs a level");
			if (scan_severity_parse(argv[++i], &o->threshold) < 0)
				return rp_fail(e, 0, "usage", "--max-severity: expected high, medium or low, got '%s'",
					       argv[i]);
		} else if (a[0] == '-' && a[1] && !o->rootfs) {
			return rp_fail(e, 0, "usage", "unknown option '%s'", a);
		} else if (o->rootfs) {
			return rp_fail(e, 0, "usage", "one ROOTFS only");
		} else {
			o->rootfs = a;
		}
	}
	if (!o->rootfs)
		return rp_fail(e, 0, "usage", "ROOTFS is missing");
	return 0;
}

/* Names come from the image: one with a newline or a space must not forge
 * or shift an output line. Bytes outside '!'..'~' (and space, unless
 * KEEP_SPACE) and '%' become %XX, which also keeps JSON strings ASCII. */
static char *escape(const char *s, bool keep_space)
{
	char *out = xmalloc(strlen(s) * 3 + 1), *p = out;

	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c > ' ' || (keep_space && *c == ' ')) && *c < 0x7f && *c != '%')
			*p++ = (char)*c;
		else
			p += snprintf(p, 4, "%%%02X", *c);
	}
	*p = '\0';
	return out;
}

static void print_text(const struct scan_result *r)
{
	const struct scan_totals *t = &r->totals;

	for (size_t i = 0; i < r->n; i++) {
		_cleanup_free_ char *path = escape(r->v[i].path, false);
		_cleanup_free_ char *detail = escape(r->v[i].detail, true);

		printf("%-6s  %-18s  %s  %s\n", scan_severity_name(r->v[i].severity),
		       scan_kind_name(r->v[i].kind), path, detail);
	}
	printf("summary: %" PRIu64 " high, %" PRIu64 " medium, %" PRIu64 " low; %" PRIu64
	       " files, %" PRIu64 " dirs, %" PRIu64 " symlinks, %" PRIu64 " other, %" PRIu64
	       " bytes, %" PRIu64 " mount points\n",
	       t->by_severity[SCAN_HIGH], t->by_severity[SCAN_MEDIUM], t->by_severity[SCAN_LOW],
	       t->files, t->dirs, t->symlinks, t->other, t->bytes, t->mount_points);
}

static json_t *finding_json(const struct scan_finding *f)
{
	_cleanup_free_ char *path = escape(f->path, false);
	_cleanup_free_ char *detail = escape(f->detail, true);

	return json_pack("{s:s, s:s, s:s, s:s}", "severity", scan_severity_name(f->severity), "kind",
			 scan_kind_name(f->kind), "path", path, "detail", detail);
}

static json_t *totals_json(const struct scan_totals *t)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "files", (json_int_t)t->files,
			 "dirs", (json_int_t)t->dirs, "symlinks", (json_int_t)t->symlinks, "other",
			 (json_int_t)t->other, "bytes", (json_int_t)t->bytes, "mount_points",
			 (json_int_t)t->mount_points, "high", (json_int_t)t->by_severity[SCAN_HIGH],
			 "medium", (json_int_t)t->by_severity[SCAN_MEDIUM], "low",
			 (json_int_t)t->by_severity[SCAN_LOW]);
}

/* {rootfs, findings: [{severity, kind, path, detail}], totals: {...}} */
static int print_json(const char *rootfs, const struct scan_result *r)
{
	_cleanup_free_ char *name = escape(rootfs, true);
	json_t *findings = json_array();
	json_t *root;
	int rc;

	for (size_t i = 0; i < r->n; i++)
		if (json_array_append_new(findings, finding_json(&r->v[i])) < 0)
			abort(); /* only an allocation failure gets here */
	root = json_pack("{s:s, s:o, s:o}", "rootfs", name, "findings", findings, "totals",
			 totals_json(&r->totals));
	if (!root)
		abort();
	rc = json_dumpf(root, stdout, JSON_INDENT(2)) < 0 ? -1 : 0;
	json_decref(root);
	putchar('\n');
	return rc;
}

static bool fails(const struct scan_result *r, enum scan_severity threshold)
{
	for (int s = threshold; s <= SCAN_HIGH; s++)
		if (r->totals.by_severity[s])
			return true;
	return false;
}

int cmd_scan(int argc, char **argv)
{
	struct scan_result r = { 0 };
	struct rp_err e = { 0 };
	_cleanup_close_ int fd = -1;
	struct opts o;
	int rc;

	if (parse(argc, argv, &o, &e) < 0) {
		cli_report(&e);
		return usage();
	}
	fd = open(o.rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rp_fail(&e, errno, "scan", "%s", o.rootfs);
		return cli_report(&e);
	}
	if (scan_tree(fd, o.rootfs, &r, &e) < 0)
		return cli_report(&e);
	rc = 0;
	if (o.json)
		rc = print_json(o.rootfs, &r);
	else
		print_text(&r);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = -1;
	if (rc < 0)
		rp_fail(&e, errno ? errno : EIO, "scan", "write stdout");
	else
		rc = fails(&r, o.threshold) ? 1 : 0;
	scan_result_free(&r);
	return rc < 0 ? cli_report(&e) : rc;
}
