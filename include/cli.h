/* cli.h - the command-line verbs: each a thin layer over the library. */
#ifndef RAMPART_CLI_H
#define RAMPART_CLI_H

#include "error.h"
#include "spec.h"

int cmd_launch(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_gc(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_seccomp(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_digest(int argc, char **argv);

/* runc's global options, given before the command (main.c). */
struct cli_global {
	const char *root;       /* --root: OCI state directory */
	const char *log;        /* --log FILE: errors also go there */
	bool log_json;          /* --log-format json: one JSON object per line */
	bool debug;             /* --debug */
	bool systemd_cgroup;    /* --systemd-cgroup: refused by create/run */
};
extern struct cli_global cli_global;

/* Print "rampart: MESSAGE" on stderr (and into --log) and return the
 * error's exit code. */
int cli_report(const struct rp_err *e);
/* When stdout is what a verb produces, a failed write is a failure:
 * flush and check, -1 with e filled. */
int cli_finish_stdout(struct rp_err *e);

/* A warning or debug line, the same way. */
void cli_log(const char *level, const char *msg);

/* The OCI runtime commands (cli_oci.c, cli_oci_exec.c, cli_oci_info.c). */
int cmd_create(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_spec(int argc, char **argv);
int cmd_exec(int argc, char **argv);

/* Collect --profile/--set options (shared by launch, profile show, and
 * later check/create/run). Applies the profiles in order, "default" when
 * none is given, then the --set lines. */
struct cli_profile_opts {
	char **profiles;
	char **sets;
};
/* Consume a --profile/-p or --set option at argv[*i]; 1 if consumed,
 * 0 if not ours, -1 on a usage error (message in e). */
int cli_profile_opt(struct cli_profile_opts *o, int argc, char **argv, int *i, struct rp_err *e);
int cli_apply_profiles(struct spec *s, const struct cli_profile_opts *o, struct rp_err *e);
void cli_profile_opts_free(struct cli_profile_opts *o);

/* launch and learn: options, profiles applied, spec validated (cli_run.c). */
struct cli_run {
	struct cli_profile_opts opts;
	struct spec spec;
	const char *rootfs;
	char **cmd;
	bool stats;
	const char *output;   /* learn -o */
	const char *update;   /* learn --update */
	const char *policy;    /* launch --policy FILE (default /etc/rampart/policy) */
	const char *audit_log; /* launch --audit-log FILE|syslog|none */
};
int cli_run_spec(int argc, char **argv, bool learn, struct cli_run *r, struct rp_err *e);
void cli_run_free(struct cli_run *r);

#endif
