/* cli_oci_exec.c - `rampart exec`, with runc's options (oci_exec.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "cli_oci.h"
#include "oci_runtime.h"
#include "util.h"

int cmd_exec(int argc, char **argv)
{
	struct oci_exec_opts o = { .root = cli_global.root, .notices = stderr };
	const char *preserve = NULL, *label = NULL, *apparmor = NULL, *cgroup = NULL;
	char **gids = NULL;
	const struct cli_oci_opt defs[] = {
		OPT_VALUE("--process", "-p", &o.process_file),	OPT_FLAG("--tty", "-t", &o.tty),
		OPT_FLAG("--detach", "-d", &o.detach),	OPT_VALUE("--pid-file", NULL, &o.pid_file),
		OPT_LIST("--env", "-e", &o.env),	OPT_VALUE("--cwd", NULL, &o.cwd),
		OPT_VALUE("--user", "-u", &o.user),		OPT_LIST("--cap", "-c", &o.caps),
		OPT_FLAG("--no-new-privs", NULL, &o.no_new_privs),
		OPT_VALUE("--console-socket", NULL, &o.console_socket),
		OPT_VALUE("--preserve-fds", NULL, &preserve),	OPT_LIST("--additional-gids", "-g", &gids),
		OPT_VALUE("--process-label", NULL, &label),	OPT_VALUE("--apparmor", NULL, &apparmor),
		OPT_FLAG("--ignore-paused", NULL, &o.ignore_paused),
		OPT_VALUE("--cgroup", NULL, &cgroup),
		OPT_END,
	};
	struct rp_err e = { 0 };
	int first, r;

	if (cli_oci_parse(argc, argv, defs, &first, &e) < 0 || cli_oci_id(argc, argv, first, true, &o.id, &e) < 0)
		goto fail;
	if ((label && *label) || (apparmor && *apparmor)) {
		rp_fail(&e, 0, "exec", "%s is not supported by rampart", label && *label ? "SELinux" : "AppArmor");
		goto fail;
	}
	if (gids || cgroup) {
		rp_fail(&e, 0, "exec", "%s is not supported (use --process)", gids ? "--additional-gids" : "--cgroup");
		goto fail;
	}
	if (preserve) {
		char *end;
		unsigned long n = strtoul(preserve, &end, 10);
		if (*end || end == preserve || n > 64) {
			rp_fail(&e, 0, "usage", "--preserve-fds: '%s' is not a number of fds (64 at most)", preserve);
			goto fail;
		}
		o.preserve_fds = (unsigned)n;
		if (cli_oci_preserved_fds(o.preserve_fds, &e) < 0)
			goto fail;
	}
	o.args = argv + first + 1;
	r = oci_exec(&o, &e);
	cli_oci_audit(AUDIT_CMD_EXEC, o.id, r >= 0, r < 0 ? e.msg : NULL);
	if (r < 0)
		goto fail;
	strv_free(o.env);
	strv_free(o.caps);
	return r;
fail:
	strv_free(o.env);
	strv_free(o.caps);
	strv_free(gids);
	return cli_report(&e);
}
