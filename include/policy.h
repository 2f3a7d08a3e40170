/* policy.h - which posture checks a launch must pass (docs/check.md).
 *
 * A policy file has the profile line format (one directive per line,
 * `#` comments, double quotes group words):
 *
 *   require-level must            # every must-level check has to pass
 *   require RP-NS-4 RP-MOUNT-2    # and these too
 *   waive RP-LIMIT-2 batch jobs may use every CPU   # reported as WAIVED
 *
 * Without a policy file nothing is refused. With one, a launch is refused
 * (before anything is created) when a required check does not pass and is
 * not waived. A check that cannot be decided counts as not passing.
 *
 * The policy is a guard rail for the operator, who is trusted: anyone who
 * can run rampart can also run it with --policy of their own.
 */
#ifndef RAMPART_POLICY_H
#define RAMPART_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "error.h"
#include "spec.h"

#define POLICY_DEFAULT_PATH "/etc/rampart/policy"
#define POLICY_MAX_SIZE (64 * 1024)
#define POLICY_MAX_REASON 256

struct policy {
	bool present;                  /* a policy file was read */
	char *path;                    /* as given, for messages */
	int level;                     /* -1: none; else enum check_level: checks at
					* this level or stricter are required */
	bool require[CHECK_COUNT];     /* by catalogue index */
	char *waive[CHECK_COUNT];      /* the reason, or NULL */
};

void policy_init(struct policy *p);
void policy_free(struct policy *p);

/* Read a policy file into p (which policy_init prepared). path NULL means
 * the default, POLICY_DEFAULT_PATH, whose absence means "no policy"; a
 * path given explicitly must exist. The file must be a regular file not
 * writable by others. Errors are "file:line: message". */
int policy_load(const char *path, struct policy *p, struct rp_err *e);

/* Parse policy text held in memory; `file` names it in errors. */
int policy_load_text(const char *text, size_t len, const char *file, struct policy *p,
		     struct rp_err *e);

/* Mark required and waived checks in a report and recompute its statuses. */
void policy_apply(const struct policy *p, struct check_report *rep);

/* Ids that make the policy refuse: required, not passed, not waived.
 * Writes "RP-X-1, RP-Y-2" to buf; returns how many there are. */
size_t policy_refusals(const struct check_report *rep, char *buf, size_t len);

/* Evaluate the checks on a validated spec (spec_validate() done; argv is
 * the workload command, NULL for s->argv) and refuse with -1 and e->msg
 * "policy: refused: RP-X-1, RP-Y-2 failed (see rampart check)" when the
 * policy says so. Touches nothing. 0 without a policy. */
int policy_enforce(const struct policy *p, const struct spec *s, char *const *argv,
		   struct rp_err *e);

/* For launch: load the policy at `path` (NULL: the default) and enforce
 * it on the validated spec. -1 with e filled on a refusal (*refused set)
 * or on a policy file error (*refused false). */
int policy_gate(const char *path, const struct spec *s, bool *refused, struct rp_err *e);

#endif
