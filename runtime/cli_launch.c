/* cli_launch.c - `rampart launch [--profile P]... [--set D]... ROOTFS -- CMD...` */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "launch.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr, "usage: rampart launch [--profile P]... [--set 'DIRECTIVE ...']... [--stats]\n"
			"                      [--cgroup-parent PATH] ROOTFS -- CMD [ARGS...]\n");
	return RP_EXIT_ERROR;
}

int cmd_launch(int argc, char **argv)
{
	struct cli_profile_opts o = { 0 };
	struct rp_err e = { 0 };
	struct spec s;
	char real[PATH_MAX];
	struct launch_opts opts = { .notices = stderr };
	const char *rootfs = NULL;
	int i, r;

	spec_init(&s);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		r = cli_profile_opt(&o, argc, argv, &i, &e);
		if (r < 0)
			goto fail;
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--stats") == 0) {
			opts.stats = stderr;
			continue;
		}
		if (strcmp(argv[i], "--cgroup-parent") == 0 && i + 1 < argc) {
			char line[512];
			snprintf(line, sizeof(line), "cgroup parent %s", argv[++i]);
			strv_push(&o.sets, line);
			continue;
		}
		if (argv[i][0] == '-' || rootfs) {
			cli_profile_opts_free(&o);
			spec_free(&s);
			return usage();
		}
		rootfs = argv[i];
	}
	if (!rootfs || i >= argc) {
		cli_profile_opts_free(&o);
		spec_free(&s);
		return usage();
	}
	if (!realpath(rootfs, real)) {
		rp_fail(&e, errno, "launch", "rootfs %s", rootfs);
		goto fail;
	}
	s.rootfs = xstrdup(real);
	for (; i < argc; i++)
		strv_push(&s.argv, argv[i]);

	if (cli_apply_profiles(&s, &o, &e) < 0 || spec_validate(&s, &e) < 0)
		goto fail;
	r = launch_run(&s, &opts, &e);
	if (r < 0)
		goto fail;
	cli_profile_opts_free(&o);
	spec_free(&s);
	return r;
fail:
	cli_profile_opts_free(&o);
	spec_free(&s);
	return cli_report(&e);
}
