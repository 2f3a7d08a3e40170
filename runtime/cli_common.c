/* cli_common.c - option handling shared by the verbs. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "profile.h"
#include "util.h"

int cli_report(const struct rp_err *e)
{
	fprintf(stderr, "rampart: %s\n", e->msg);
	return e->exit_code ? e->exit_code : RP_EXIT_ERROR;
}

int cli_profile_opt(struct cli_profile_opts *o, int argc, char **argv, int *i, struct rp_err *e)
{
	const char *a = argv[*i];
	char ***list;

	if (strcmp(a, "--profile") == 0 || strcmp(a, "-p") == 0)
		list = &o->profiles;
	else if (strcmp(a, "--set") == 0)
		list = &o->sets;
	else if (strncmp(a, "--profile=", 10) == 0 || strncmp(a, "--set=", 6) == 0) {
		list = a[2] == 'p' ? &o->profiles : &o->sets;
		strv_push(list, strchr(a, '=') + 1);
		return 1;
	} else
		return 0;
	if (*i + 1 >= argc)
		return rp_fail(e, 0, "usage", "%s needs an argument", a);
	strv_push(list, argv[++*i]);
	return 1;
}

int cli_apply_profiles(struct spec *s, const struct cli_profile_opts *o, struct rp_err *e)
{
	if (!o->profiles) {
		if (profile_load(s, "default", e) < 0)
			return -1;
	}
	for (size_t i = 0; o->profiles && o->profiles[i]; i++)
		if (profile_load(s, o->profiles[i], e) < 0)
			return -1;
	for (size_t i = 0; o->sets && o->sets[i]; i++)
		if (profile_apply_line(s, o->sets[i], "--set", (unsigned)(i + 1), e) < 0)
			return -1;
	return 0;
}

void cli_profile_opts_free(struct cli_profile_opts *o)
{
	strv_free(o->profiles);
	strv_free(o->sets);
}
