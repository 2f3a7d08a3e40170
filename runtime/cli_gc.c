/* cli_gc.c - `rampart gc [--cgroup-parent PATH]`: remove what launchers
 * killed with SIGKILL left behind (their cgroups). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "cli.h"

int cmd_gc(int argc, char **argv)
{
	const char *parent = NULL;
	struct rp_err e = { 0 };
	char root[PATH_MAX];
	int n;

	if (argc == 3 && strcmp(argv[1], "--cgroup-parent") == 0)
		parent = argv[2];
	else if (argc != 1) {
		fprintf(stderr, "usage: rampart gc [--cgroup-parent PATH]\n");
		return RP_EXIT_ERROR;
	}
	if (cgroup_find_root(root, sizeof(root), &e) < 0)
		return cli_report(&e);
	n = cgroup_gc(root, parent, &e);
	if (n < 0)
		return cli_report(&e);
	printf("rampart: gc: removed %d stale cgroup%s under %s%s\n", n, n == 1 ? "" : "s", root,
	       parent ? parent : CGROUP_DEFAULT_PARENT);
	return 0;
}
