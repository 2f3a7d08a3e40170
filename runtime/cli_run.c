/* cli_run.c - the options `launch` and `learn` share:
 *   [--profile P]... [--set D]... [--stats] [--cgroup-parent PATH] [--digest sha256:...]
 *   [--policy FILE] [--audit-log FILE|syslog|none] (launch only)
 *   [-o FILE] [--update FILE] (learn only) ROOTFS -- CMD [ARGS...]
 * and the spec they build: profiles applied, command set, validated. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static int take_value(int argc, char **argv, int *i, const char **out, struct rp_err *e)
{
	if (*i + 1 >= argc)
		return rp_fail(e, 0, "usage", "%s needs an argument", argv[*i]);
	*out = argv[++*i];
	return 0;
}

static int parse(int argc, char **argv, bool learn, struct cli_run *r, struct rp_err *e)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v = NULL;
		int c = cli_profile_opt(&r->opts, argc, argv, &i, e);

		if (c < 0)
			return -1;
		if (c > 0)
			continue;
		if (strcmp(argv[i], "--stats") == 0) {
			r->stats = true;
		} else if (strcmp(argv[i], "--cgroup-parent") == 0) {
			char line[PATH_MAX + 16];
			if (take_value(argc, argv, &i, &v, e) < 0)
				return -1;
			snprintf(line, sizeof(line), "cgroup parent %s", v);
			strv_push(&r->opts.sets, line);
		} else if (strcmp(argv[i], "--digest") == 0) {
			char line[128];
			if (take_value(argc, argv, &i, &v, e) < 0)
				return -1;
			snprintf(line, sizeof(line), "image digest %s", v);
			strv_push(&r->opts.sets, line);
		} else if (!learn && strcmp(argv[i], "--policy") == 0) {
			if (take_value(argc, argv, &i, &r->policy, e) < 0)
				return -1;
		} else if (!learn && strcmp(argv[i], "--audit-log") == 0) {
			if (take_value(argc, argv, &i, &r->audit_log, e) < 0)
				return -1;
		} else if (learn && (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0)) {
			if (take_value(argc, argv, &i, &r->output, e) < 0)
				return -1;
		} else if (learn && strcmp(argv[i], "--update") == 0) {
			if (take_value(argc, argv, &i, &r->update, e) < 0)
				return -1;
		} else if (argv[i][0] == '-' || r->rootfs) {
			return rp_fail(e, 0, "usage", "unexpected '%s' (try rampart --help)", argv[i]);
		} else {
			r->rootfs = argv[i];
		}
	}
	if (!r->rootfs || i + 1 >= argc)
		return rp_fail(e, 0, "usage", "expected ROOTFS -- CMD [ARGS...] (try rampart --help)");
	r->cmd = argv + i + 1;
	return 0;
}

int cli_run_spec(int argc, char **argv, bool learn, struct cli_run *r, struct rp_err *e)
{
	char real[PATH_MAX];

	memset(r, 0, sizeof(*r));
	spec_init(&r->spec);
	if (parse(argc, argv, learn, r, e) < 0)
		return -1;
	if (!realpath(r->rootfs, real))
		return rp_fail(e, errno, argv[0], "rootfs %s", r->rootfs);
	r->spec.rootfs = xstrdup(real);
	for (char **c = r->cmd; *c; c++)
		strv_push(&r->spec.argv, *c);
	if (cli_apply_profiles(&r->spec, &r->opts, e) < 0)
		return -1;
	return spec_validate(&r->spec, e);
}

void cli_run_free(struct cli_run *r)
{
	cli_profile_opts_free(&r->opts);
	spec_free(&r->spec);
}
