/* cli_check.c - `rampart check [--profile P]... [--set D]... [--json]
 *                [--policy FILE] [--rootfs DIR | --bundle DIR] [-- CMD [ARGS...]]`
 *
 * The effective settings (merged exactly as launch merges them) against
 * the catalogue in check.c, and against the policy (policy.h): the default
 * /etc/rampart/policy when it exists, or --policy FILE.
 *
 * Exit status: 0 when no line says FAIL, 1 when one does (a must-level
 * check failed, or a check the policy requires did not pass), 125 on a
 * usage or configuration error.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check.h"
#include "cli.h"
#include "oci.h"
#include "oci_runtime.h"
#include "policy.h"
#include "util.h"

static const char usage_text[] =
	"usage: rampart check [--profile P]... [--set 'DIRECTIVE ...']... [--json]\n"
	"                     [--policy FILE] [--rootfs DIR | --bundle DIR] [-- CMD [ARGS...]]\n"
	"\n"
	"Evaluates the effective settings against rampart's checks (docs/check.md).\n"
	"--rootfs resolves the user in the image and validates the whole spec, as\n"
	"launch does (it needs -- CMD); without it nothing on disk is read.\n"
	"--bundle DIR checks an OCI bundle's config.json with the profiles on top,\n"
	"exactly as create and run would merge them.\n"
	"Exit status: 0 no FAIL, 1 a FAIL, 125 a usage or configuration error.\n";

struct opts {
	struct cli_profile_opts prof;
	bool json;
	const char *policy;
	const char *rootfs;
	const char *bundle;
	char **cmd;
};

static int parse(int argc, char **argv, struct opts *o, struct rp_err *e)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int c;

		if (strcmp(a, "--") == 0) {
			if (i + 1 >= argc)
				return rp_fail(e, 0, "usage", "-- needs a command after it");
			o->cmd = argv + i + 1;
			return 0;
		}
		c = cli_profile_opt(&o->prof, argc, argv, &i, e);
		if (c < 0)
			return -1;
		if (c > 0)
			continue;
		if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--policy") == 0 || strcmp(a, "--rootfs") == 0 ||
			   strcmp(a, "--bundle") == 0) {
			if (i + 1 >= argc)
				return rp_fail(e, 0, "usage", "%s needs an argument", a);
			if (a[2] == 'p')
				o->policy = argv[++i];
			else if (a[2] == 'r')
				o->rootfs = argv[++i];
			else
				o->bundle = argv[++i];
		} else {
			return rp_fail(e, 0, "usage", "unexpected '%s' (try rampart check --help)", a);
		}
	}
	return 0;
}

static void print_text(const struct check_report *rep, const struct policy *pol)
{
	char ids[CHECK_COUNT * 16];

	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_result *r = &rep->r[i];

		printf("%s  %-12s  %s: %s", check_status_name(r->status), r->def->id, r->def->title,
		       r->detail);
		if (r->status == CHECK_WAIVED)
			printf("  (waived: %s)", r->waiver);
		else if (r->status != CHECK_PASS)
			printf("  (fix: %s)", r->def->fix);
		putchar('\n');
	}
	printf("%u passed, %u warnings, %u failed", rep->passed, rep->warnings, rep->failed);
	if (rep->waived)
		printf(", %u waived", rep->waived);
	putchar('\n');
	if (pol->present) {
		if (policy_refusals(rep, ids, sizeof(ids)))
			printf("policy %s: a launch would be refused (%s)\n", pol->path, ids);
		else
			printf("policy %s: a launch would be allowed\n", pol->path);
	}
}

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int print_json(const struct check_report *rep, const struct policy *pol, bool exit1)
{
	json_t *root = json_object(), *checks = json_array(), *summary = json_object();
	int r;

	if (!root || !checks || !summary) {
		json_decref(root);
		json_decref(checks);
		json_decref(summary);
		return -1;
	}
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_result *c = &rep->r[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:o}",
				      "id", c->def->id, "level", check_level_name(c->def->level),
				      "status", check_status_name(c->status), "title", c->def->title,
				      "detail", c->detail, "rationale", c->def->rationale,
				      "fix", c->def->fix, "cis", c->def->cis, "unknown", c->unknown,
				      "required", c->required, "waiver", jstr_or_null(c->waiver));

		if (!o || json_array_append_new(checks, o) < 0) {
			json_decref(root);
			json_decref(checks);
			json_decref(summary);
			return -1;
		}
	}
	json_object_set_new(summary, "passed", json_integer(rep->passed));
	json_object_set_new(summary, "warnings", json_integer(rep->warnings));
	json_object_set_new(summary, "failed", json_integer(rep->failed));
	json_object_set_new(summary, "waived", json_integer(rep->waived));
	json_object_set_new(root, "checks", checks);
	json_object_set_new(root, "summary", summary);
	if (pol->present) {
		json_t *p = json_object(), *refused = json_array();

		for (size_t i = 0; i < CHECK_COUNT; i++) {
			const struct check_result *c = &rep->r[i];
			if (c->required && !c->passed && !c->waiver)
				json_array_append_new(refused, json_string(c->def->id));
		}
		json_object_set_new(p, "path", json_string(pol->path));
		json_object_set_new(p, "refused", refused);
		json_object_set_new(root, "policy", p);
	} else {
		json_object_set_new(root, "policy", json_null());
	}
	json_object_set_new(root, "exit", json_integer(exit1 ? 1 : 0));
	r = json_dumpf(root, stdout, JSON_INDENT(2)) < 0 ? -1 : 0;
	json_decref(root);
	if (r == 0)
		putchar('\n');
	return r;
}

/* The spec create would build: config.json, then the profiles. */
static int load_bundle(struct spec *s, const char *dir, const struct cli_profile_opts *prof, struct rp_err *e)
{
	char bundle[PATH_MAX], source[PATH_MAX + 16];
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (!realpath(dir, bundle))
		return rp_fail(e, errno, "check", "bundle %s", dir);
	snprintf(source, sizeof(source), "%s/config.json", bundle);
	if (oci_read_config(bundle, &text, &len, e) < 0)
		return -1;
	return oci_spec_build(s, bundle, text, len, source, prof->profiles, prof->sets, "check", e);
}

int cmd_check(int argc, char **argv)
{
	struct opts o = { 0 };
	struct rp_err e = { 0 };
	struct check_report rep;
	struct policy pol;
	struct spec s;
	int ret = RP_EXIT_ERROR;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return 0;
		}
	spec_init(&s);
	policy_init(&pol);
	if (parse(argc, argv, &o, &e) < 0)
		goto err;
	if (o.bundle) {
		if (o.rootfs || o.cmd) {
			rp_fail(&e, 0, "usage", "--bundle takes the rootfs and the command from config.json");
			goto err;
		}
		if (load_bundle(&s, o.bundle, &o.prof, &e) < 0)
			goto err;
	} else if (o.rootfs) {
		char real[PATH_MAX];

		if (!o.cmd) {
			rp_fail(&e, 0, "usage", "--rootfs validates the whole launch: give -- CMD too");
			goto err;
		}
		if (!realpath(o.rootfs, real)) {
			rp_fail(&e, errno, "check", "rootfs %s", o.rootfs);
			goto err;
		}
		s.rootfs = xstrdup(real);
	}
	for (char **c = o.cmd; c && *c; c++)
		strv_push(&s.argv, *c);
	if (!o.bundle && cli_apply_profiles(&s, &o.prof, &e) < 0)
		goto err;
	if (o.rootfs && spec_validate(&s, &e) < 0)
		goto err;
	if (policy_load(o.policy, &pol, &e) < 0)
		goto err;

	check_run(&s, o.bundle ? s.argv : o.cmd, o.rootfs || o.bundle, &rep);
	policy_apply(&pol, &rep);
	ret = check_any_fail(&rep) ? 1 : 0;
	if (o.json) {
		if (print_json(&rep, &pol, ret == 1) < 0) {
			rp_fail(&e, ENOMEM, "check", "cannot build the JSON report");
			goto err;
		}
	} else {
		print_text(&rep, &pol);
	}
	if (fflush(stdout) != 0) {
		rp_fail(&e, errno, "check", "stdout");
		goto err;
	}
	goto out;
err:
	ret = cli_report(&e);
out:
	policy_free(&pol);
	spec_free(&s);
	cli_profile_opts_free(&o.prof);
	return ret;
}
