/* cli_learn.c - `rampart learn [OPTIONS] [-o OUT | --update FILE] ROOTFS -- CMD...`
 * Runs the workload under its profile's other layers with a recording
 * syscall filter and writes the profile it needs (learn.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "launch.h"
#include "learn.h"
#include "util.h"

static int write_output(const struct learn_log *log, const struct cli_run *run, struct rp_err *e)
{
	struct learn_origin origin = { run->opts.profiles, run->opts.sets, run->spec.argv };
	FILE *out = stdout;
	int fd;

	if (run->update)
		return learn_update(log, run->update, e);
	if (run->output) {
		fd = open(run->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		out = fd < 0 ? NULL : fdopen(fd, "w");
		if (!out) {
			if (fd >= 0)
				close(fd);
			return rp_fail(e, errno, "learn", "%s", run->output);
		}
	}
	if (learn_write(log, &origin, out) < 0 || (out != stdout ? fclose(out) : fflush(out)) != 0)
		return rp_fail(e, errno ? errno : EIO, "learn", "write %s", run->output ? run->output : "stdout");
	return 0;
}

int cmd_learn(int argc, char **argv)
{
	static struct learn_log log; /* 8 KiB of counters: not on the stack */
	struct launch_opts opts = { .notices = stderr, .learn = &log };
	struct rp_err e = { 0 };
	struct cli_run run;
	int r;

	if (cli_run_spec(argc, argv, true, &run, &e) < 0)
		goto fail;
	if (run.output && run.update) {
		rp_fail(&e, 0, "usage", "learn: -o and --update do not go together");
		goto fail;
	}
	if (!run.spec.no_new_privs) {
		rp_fail(&e, 0, "learn", "profiles with 'nnp off' cannot be learned (the filter needs no_new_privs)");
		goto fail;
	}
	if (run.stats)
		opts.stats = stderr;
	r = launch_run(&run.spec, &opts, &e);
	if (r < 0)
		goto fail;
	/* A profile learned from a failed run misses the calls of the rest
	 * of the run: write it, but say so. */
	if (r != 0)
		fprintf(stderr, "rampart: learn: the workload exited with status %d; the profile covers what it did until then\n", r);
	if (write_output(&log, &run, &e) < 0)
		goto fail;
	fprintf(stderr, "rampart: learn: %llu syscalls recorded%s%s\n", (unsigned long long)log.total,
		run.output || run.update ? " into " : "",
		run.output ? run.output : run.update ? run.update : "");
	cli_run_free(&run);
	return r;
fail:
	cli_run_free(&run);
	return cli_report(&e);
}
