/* check.h - the posture catalogue: effective settings against a list of
 * hardening checks (docs/check.md).
 *
 * Each check has an id (RP-USER-1), a level (must, should, could), a
 * one-line rationale, the profile directive that fixes it and the CIS
 * Docker Benchmark v1.6.0 recommendation it follows, if one applies.
 *
 * Evaluation is pure: it reads the spec (and, for bind sources, resolves
 * host paths with realpath(3)); it never changes anything and never fails.
 * A check that cannot be decided from what it was given (a user name with
 * no rootfs to resolve it in, no command) is "unknown": reported as WARN,
 * never as a pass.
 */
#ifndef RAMPART_CHECK_H
#define RAMPART_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

enum check_level { CHECK_MUST, CHECK_SHOULD, CHECK_COULD };

/* What a line says. WAIVED only comes from a policy (policy.h). */
enum check_status { CHECK_PASS, CHECK_WARN, CHECK_FAIL, CHECK_WAIVED };

struct check_def {
	const char *id;        /* "RP-USER-1" */
	enum check_level level;
	const char *title;     /* what holds when it passes */
	const char *rationale; /* one line: why */
	const char *fix;       /* the profile directive that makes it pass */
	const char *cis;       /* "5.31" (CIS Docker Benchmark v1.6.0), or "-" */
};

#define CHECK_COUNT 27

/* The catalogue, in report order. */
extern const struct check_def check_catalogue[CHECK_COUNT];

/* Index of ID in the catalogue (exact, case-sensitive), or -1. */
int check_find(const char *id);

const char *check_level_name(enum check_level l);   /* "must" */
int check_level_from_name(const char *name);        /* or -1 */
const char *check_status_name(enum check_status s); /* "PASS" */

struct check_result {
	const struct check_def *def;
	bool passed;            /* the property holds */
	bool unknown;           /* could not be decided (never a pass) */
	bool required;          /* a policy requires it (set by policy_apply) */
	const char *waiver;     /* a policy waived it: the reason (policy-owned) */
	enum check_status status;
	char detail[512];       /* what was found; never an env value */
};

struct check_report {
	struct check_result r[CHECK_COUNT];
	unsigned passed, warnings, failed, waived;
};

/* Evaluate every check. `argv` is the workload command (NULL: none given,
 * RP-SSH-1 is then unknown; s->argv is used when argv is NULL and the spec
 * has one). `resolved`: the spec went through spec_validate(), so the user
 * name has been resolved to a uid in the image. */
void check_run(const struct spec *s, char *const *argv, bool resolved, struct check_report *out);

/* Recompute statuses and the summary counts after results' `required` or
 * `waiver` changed: PASS when the property holds; WAIVED when waived;
 * FAIL when a must-level or policy-required check failed (or, if required,
 * is unknown); WARN otherwise. check_run() calls it. */
void check_settle(struct check_report *rep);

/* Is any line FAIL? (`rampart check` then exits 1.) */
bool check_any_fail(const struct check_report *rep);

#endif
