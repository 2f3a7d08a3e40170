/* cli_launch.c - `rampart launch [OPTIONS] ROOTFS -- CMD...` (cli_run.c). */
#include <stdio.h>

#include "cli.h"
#include "launch.h"

int cmd_launch(int argc, char **argv)
{
	struct launch_opts opts = { .notices = stderr };
	struct rp_err e = { 0 };
	struct cli_run run;
	int r;

	if (cli_run_spec(argc, argv, false, &run, &e) < 0) {
		cli_run_free(&run);
		return cli_report(&e);
	}
	if (run.stats)
		opts.stats = stderr;
	r = launch_run(&run.spec, &opts, &e);
	cli_run_free(&run);
	return r < 0 ? cli_report(&e) : r;
}
