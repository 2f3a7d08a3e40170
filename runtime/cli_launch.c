/* cli_launch.c - `rampart launch [OPTIONS] ROOTFS -- CMD...` (cli_run.c).
 * Before anything is created: the audit log opened, the policy applied
 * (refused launches are logged too); after: the outcome logged. */
#include <stdio.h>

#include "audit.h"
#include "cli.h"
#include "launch.h"
#include "policy.h"
#include "selfseal.h"

int cmd_launch(int argc, char **argv)
{
	int oom = -1;
	struct launch_opts opts = { .notices = stderr, .oom = &oom };
	struct rp_err e = { 0 }, ae = { 0 };
	struct audit_log alog = AUDIT_LOG_INIT;
	bool refused = false;
	struct cli_run run;
	int r;

	if (cli_run_spec(argc, argv, false, &run, &e) < 0 ||
	    (selfseal_needed(&run.spec) && selfseal_reexec(&e) < 0)) {
		cli_run_free(&run);
		return cli_report(&e);
	}
	if (audit_open_config(run.audit_log, &alog, &e) < 0 ||
	    policy_gate(run.policy, &run.spec, &refused, &e) < 0 ||
	    audit_launch(&alog, &run.spec, AUDIT_STARTED, NULL, -1, &e) < 0) {
		(void)audit_launch(&alog, &run.spec, refused ? AUDIT_REFUSED : AUDIT_ERROR, e.msg, -1, &ae);
		audit_close(&alog);
		cli_run_free(&run);
		return cli_report(&e);
	}
	if (run.stats)
		opts.stats = stderr;
	r = launch_run(&run.spec, &opts, &e);
	if (audit_oci(&alog, AUDIT_CMD_LAUNCH, NULL, &run.spec, r < 0 ? AUDIT_ERROR : AUDIT_EXITED,
		      r < 0 ? e.msg : NULL, r, oom, &ae) < 0)
		fprintf(stderr, "rampart: %s\n", ae.msg);
	audit_close(&alog);
	cli_run_free(&run);
	return r < 0 ? cli_report(&e) : r;
}
