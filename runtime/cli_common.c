/* cli_common.c - option handling shared by the verbs. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "oci_state.h"
#include "profile.h"
#include "util.h"

struct cli_global cli_global = { .root = OCI_DEFAULT_ROOT };

/* containerd's shim reads the last error from the --log file: one JSON
 * object per line, {"level":..., "msg":..., "time":...}, as runc writes. */
void cli_log(const char *level, const char *msg)
{
	char when[64];
	FILE *f;
	int fd;

	if (!cli_global.log)
		return;
	fd = open(cli_global.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "a");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return;
	}
	rfc3339_now(when, sizeof(when));
	if (cli_global.log_json) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", when);
		char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (text)
			fprintf(f, "%s\n", text);
		free(text);
		json_decref(o);
	} else {
		fprintf(f, "time=\"%s\" level=%s msg=\"%s\"\n", when, level, msg);
	}
	fclose(f);
}

int cli_finish_stdout(struct rp_err *e)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return rp_fail(e, errno ? errno : EIO, "write", "stdout");
	return 0;
}

int cli_report(const struct rp_err *e)
{
	fprintf(stderr, "rampart: %s\n", e->msg);
	cli_log("error", e->msg);
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
