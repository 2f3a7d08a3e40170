/* main.c - rampart's entry point: dispatch to a verb. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "selfseal.h"

#ifndef RAMPART_VERSION
#define RAMPART_VERSION "0.1.0"
#endif

static const struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} verbs[] = {
	{ "launch", cmd_launch, "launch [--profile P]... [--set D]... [--stats] [--cgroup-parent PATH]\n"
			  "                 [--policy FILE] [--audit-log FILE|syslog|none] ROOTFS -- CMD [ARGS...]" },
	{ "profile", cmd_profile, "profile show [--profile P]... [--set D]... [P]" },
	{ "check", cmd_check, "check [--profile P]... [--set D]... [--json] [--policy FILE]\n"
			  "                 [--rootfs DIR | --bundle DIR] [-- CMD [ARGS...]]" },
	{ "learn", cmd_learn, "learn [--profile P]... [--set D]... [-o OUT | --update FILE] ROOTFS -- CMD [ARGS...]" },
	{ "gc", cmd_gc, "gc [--cgroup-parent PATH]" },
	{ "seccomp", cmd_seccomp, "seccomp show|diff|export|import ... (docs/seccomp-tools.md)" },
	{ "scan", cmd_scan, "scan [--json] [--max-severity high|medium|low] ROOTFS" },
	{ "digest", cmd_digest, "digest [--json] [--stats] [--manifest FILE | --cache DIR | --check MANIFEST] ROOTFS" },
	/* The OCI runtime: runc's command line (docs/oci.md). */
	{ "create", cmd_create, "create [--bundle DIR] [--pid-file F] [--console-socket S] [--preserve-fds N]\n"
			  "                 [--profile P]... [--set D]... [--digest sha256:...] ID" },
	{ "start", cmd_start, "start ID" },
	{ "run", cmd_run, "run [--bundle DIR] [--detach] [create's options] ID" },
	{ "state", cmd_state, "state ID" },
	{ "kill", cmd_kill, "kill [--all] ID [SIGNAL]" },
	{ "delete", cmd_delete, "delete [--force] ID" },
	{ "exec", cmd_exec, "exec [--process FILE] [-t] [-d] [--pid-file F] [--env K=V]... [--cwd D]\n"
			  "                 [--user UID[:GID]] [--cap CAP]... [--no-new-privs] ID [CMD ARGS...]" },
	{ "list", cmd_list, "list [--format table|json] [-q]" },
	{ "ps", cmd_ps, "ps [--format table|json] ID" },
	{ "pause", cmd_pause, "pause ID" },
	{ "resume", cmd_resume, "resume ID" },
	{ "update", cmd_update, "update [--resources FILE|-] [--memory N] [--pids-limit N] ... ID" },
	{ "events", cmd_events, "events --stats ID" },
	{ "features", cmd_features, "features" },
	{ "spec", cmd_spec, "spec [--rootless] [--bundle DIR]" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: rampart COMMAND ...\n\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  rampart %s\n", verbs[i].help);
	fprintf(out, "\n  rampart --version\n\nGlobal options (before the command, as runc takes them):\n"
		     "  --root DIR  --log FILE  --log-format text|json  --debug  --systemd-cgroup\n"
		     "\nSee rampart(1) and README.md.\n");
}

/* --debug: the command line, into --log (or stderr), so an operator can
 * see exactly what a shim asked for. */
static void debug_command(int argc, char **argv)
{
	char line[4096];
	size_t n = 0;

	line[0] = '\0';
	for (int i = 1; i < argc && n < sizeof(line) - 1; i++) {
		int w = snprintf(line + n, sizeof(line) - n, "%s%s", i > 1 ? " " : "", argv[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	if (n >= sizeof(line) - 1)
		strcpy(line + sizeof(line) - 4, "...");
	if (cli_global.log)
		cli_log("debug", line);
	else
		fprintf(stderr, "rampart: debug: %s\n", line);
}

/* runc's global options. Returns how many words were used, -1 on error. */
static int global_option(int argc, char **argv, int i)
{
	const char *a = argv[i], *eq = strchr(a, '=');
	size_t n = eq ? (size_t)(eq - a) : strlen(a);
	const char *v = eq ? eq + 1 : i + 1 < argc ? argv[i + 1] : NULL;
	int used = eq ? 1 : 2;

	if (strncmp(a, "--debug", n) == 0 && n == 7) {
		cli_global.debug = true;
		return 1;
	}
	if (strncmp(a, "--systemd-cgroup", n) == 0 && n == 16) {
		cli_global.systemd_cgroup = true;
		return 1;
	}
	if (!v)
		return -1;
	if (n == 6 && strncmp(a, "--root", 6) == 0)
		cli_global.root = v;
	else if (n == 5 && strncmp(a, "--log", 5) == 0)
		cli_global.log = v;
	else if (n == 12 && strncmp(a, "--log-format", 12) == 0) {
		if (strcmp(v, "json") && strcmp(v, "text"))
			return -1;
		cli_global.log_json = strcmp(v, "json") == 0;
	} else if ((n == 10 && strncmp(a, "--rootless", 10) == 0) || (n == 6 && strncmp(a, "--criu", 6) == 0)) {
		/* runc's: rootless is decided by who runs us; no checkpointing. */
	} else
		return -1;
	return used;
}

int main(int argc, char **argv)
{
	selfseal_init(argc, argv);
	/* Global options come before the command. */
	while (argc > 1 && strncmp(argv[1], "--", 2) == 0 && strcmp(argv[1], "--help") &&
	       strcmp(argv[1], "--version")) {
		int used = global_option(argc - 1, argv + 1, 0);
		if (used < 0) {
			fprintf(stderr, "rampart: usage: bad global option '%s' (try rampart --help)\n", argv[1]);
			return 125;
		}
		argv[used] = argv[0];
		argv += used;
		argc -= used;
	}
	if (argc < 2) {
		usage(stderr);
		return 125;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "version") == 0) {
		/* runc's shape: the first line names the version, then the spec. */
		printf("rampart version %s\nspec: 1.2.0\n", RAMPART_VERSION);
		return 0;
	}
	if (cli_global.debug)
		debug_command(argc, argv);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[1], verbs[i].name) == 0)
			return verbs[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "rampart: unknown command '%s' (try rampart --help)\n", argv[1]);
	return 125;
}
