/* process.h - the workload's process attributes: identity, rlimits,
 * environment, working directory, inherited file descriptors. */
#ifndef RAMPART_PROCESS_H
#define RAMPART_PROCESS_H

#include "error.h"
#include "spec.h"

int rlimit_from_name(const char *name);
const char *rlimit_name(int resource);

int process_set_rlimits(const struct spec *s, struct rp_err *e);
/* setgroups, setresgid, setresuid to the target user, keeping the
 * capability sets across the switch so caps_apply() decides them. */
int process_switch_user(const struct spec *s, struct rp_err *e);
/* chdir to spec->cwd, resolved inside the (already pivoted) root, and
 * refuse a working directory that is not reachable from "/" — the
 * CVE-2024-21626 shape, where a leaked host fd became the cwd. */
int process_enter_cwd(const struct spec *s, struct rp_err *e);
/* The workload's environment: the profile's env plus PATH, HOME, TERM
 * defaults. Nothing from rampart's own environment leaks in but TERM. */
char **process_build_env(const struct spec *s);
/* Mark every fd above 2 close-on-exec (close_range, /proc/self/fd fallback). */
int process_cloexec_fds(struct rp_err *e);
/* Join a new session keyring, named NAME (runc's "_ses.ID") or anonymous
 * (NULL), so the caller's session keyring and its keys are out of reach.
 * A kernel without keyrings (ENOSYS) has nothing to hide. */
int process_new_session_keyring(const char *name, struct rp_err *e);

#endif
