/* cli_profile.c - `rampart profile show [--profile P]... [--set D]... [P]` */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "profile.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr, "usage: rampart profile show [--profile P]... [--set 'DIRECTIVE ...']... [P]\n");
	return RP_EXIT_ERROR;
}

int cmd_profile(int argc, char **argv)
{
	struct cli_profile_opts o = { 0 };
	struct rp_err e = { 0 };
	struct spec s;
	int r = 0;

	if (argc < 2 || strcmp(argv[1], "show") != 0)
		return usage();
	for (int i = 2; i < argc; i++) {
		int c = cli_profile_opt(&o, argc, argv, &i, &e);

		if (c < 0) {
			cli_profile_opts_free(&o);
			return cli_report(&e);
		}
		if (c == 0 && argv[i][0] != '-')
			strv_push(&o.profiles, argv[i]);
		else if (c == 0) {
			cli_profile_opts_free(&o);
			return usage();
		}
	}
	spec_init(&s);
	if (cli_apply_profiles(&s, &o, &e) < 0)
		r = cli_report(&e);
	else
		profile_print(&s, stdout);
	spec_free(&s);
	cli_profile_opts_free(&o);
	return r;
}
