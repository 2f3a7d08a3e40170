/* main.c - rampart's entry point: dispatch to a verb. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

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
	{ "check", cmd_check, "check [--profile P]... [--set D]... [--json] [--policy FILE] [--rootfs DIR] [-- CMD [ARGS...]]" },
	{ "learn", cmd_learn, "learn [--profile P]... [--set D]... [-o OUT | --update FILE] ROOTFS -- CMD [ARGS...]" },
	{ "gc", cmd_gc, "gc [--cgroup-parent PATH]" },
	{ "seccomp", cmd_seccomp, "seccomp show|diff|export|import ... (docs/seccomp-tools.md)" },
	{ "scan", cmd_scan, "scan [--json] [--max-severity high|medium|low] ROOTFS" },
	{ "digest", cmd_digest, "digest [--json] [--stats] [--manifest FILE | --cache DIR | --check MANIFEST] ROOTFS" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: rampart COMMAND ...\n\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  rampart %s\n", verbs[i].help);
	fprintf(out, "\n  rampart --version\n\nSee rampart(1) and README.md.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 125;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("rampart version %s\n", RAMPART_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[1], verbs[i].name) == 0)
			return verbs[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "rampart: unknown command '%s' (try rampart --help)\n", argv[1]);
	return 125;
}
