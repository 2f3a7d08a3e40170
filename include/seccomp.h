/* seccomp.h - the syscall filter: rules in the spec, BPF for the kernel.
 *
 * Profile lines (see docs/seccomp.md):
 *   seccomp default errno EPERM | kill | trap | log
 *   seccomp allow NAME|@group ...
 *   seccomp allow NAME argN OP VALUE [argM OP VALUE ...]      (AND; lines OR)
 *   seccomp deny NAME... [errno E | kill | trap | log]
 *   seccomp deny NAME argN OP VALUE ... [errno E | kill]
 *   seccomp clear [allow] | off | on
 *   seccomp optimize tree | linear
 * OP is == != < <= > >= or "& MASK ==" (masked equality).
 *
 * Two filters reach the kernel, stacked (it applies the most restrictive
 * answer of all filters):
 *   A. the allowlist: unconditional and conditional allows, everything
 *      else the default action, behind a short prefix that kills foreign
 *      ABIs (another audit arch, x32) and answers ENOSYS for syscall
 *      numbers above the highest one the syscall table knows, so libc
 *      falls back from a syscall newer than the profile (clone3, ...);
 *   B. the conditional denies, default allow. libseccomp lets an
 *      unconditional rule subsume every conditional one for the same
 *      syscall, so "ioctl, but not TIOCSTI" cannot live in one filter.
 */
#ifndef RAMPART_SECCOMP_H
#define RAMPART_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

struct spec;
struct origin;

/* SC_NOTIFY: the syscall waits for a seccomp agent's answer (OCI
 * linux.seccomp.listenerPath; see seccomp_agent.h). */
enum sc_kind { SC_ALLOW, SC_ERRNO, SC_KILL, SC_TRAP, SC_LOG, SC_NOTIFY };

struct sc_action {
	enum sc_kind kind;
	int errnum;             /* SC_ERRNO */
};

enum sc_op { SC_EQ, SC_NE, SC_LT, SC_LE, SC_GT, SC_GE, SC_MASKED_EQ };

struct sc_cmp {
	unsigned arg;           /* 0..5 */
	enum sc_op op;
	uint64_t value;
	uint64_t mask;          /* SC_MASKED_EQ */
};

#define SC_MAX_CMP 6

struct sc_rule {
	int nr;                 /* native syscall number */
	struct sc_action action;
	struct sc_cmp cmp[SC_MAX_CMP];
	unsigned ncmp;          /* 0 = unconditional */
	const char *file;       /* origin, interned in the spec */
	unsigned line;
};

struct seccomp_spec {
	bool enabled;
	bool linear;            /* `seccomp optimize linear`: no binary tree */
	struct sc_action default_action;
	struct sc_rule *rules;
	size_t nrules;
};

/* Apply one `seccomp ...` profile line (argv excludes the word seccomp). */
int seccomp_directive(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		      struct rp_err *e);

/* Print the rules back as profile lines. */
void seccomp_print(const struct seccomp_spec *sc, FILE *out);
void seccomp_spec_free(struct seccomp_spec *sc);

/* Syscall name <-> native number (libseccomp's table). */
const char *seccomp_syscall_name(int nr);  /* "?" if unknown; never freed */
/* Highest syscall number the table knows for the native arch. */
int seccomp_highest_known(void);

/* The compiled filters. */
struct sc_filters {
	void *prog[2];          /* struct sock_filter arrays; NULL when empty */
	unsigned short len[2];
};

int seccomp_compile(const struct seccomp_spec *sc, struct sc_filters *out, struct rp_err *e);
/* The filter `rampart learn` runs under: the spec's denies as they are,
 * every other syscall reported to a supervisor (SECCOMP_RET_USER_NOTIF). */
int seccomp_compile_learn(const struct seccomp_spec *sc, struct sc_filters *out, struct rp_err *e);
void seccomp_filters_free(struct sc_filters *f);
/* Write libseccomp's pseudo filter code of both filters (`seccomp show --bpf`). */
int seccomp_show_pfc(const struct seccomp_spec *sc, int fd, struct rp_err *e);
/* seccomp_compile or _learn through the on-disk cache of compiled filters
 * (seccomp_cache.c): $RAMPART_CACHE_DIR/seccomp, else
 * /var/cache/rampart/seccomp for root, ~/.cache/rampart/seccomp otherwise.
 * *hit says whether the cache answered. */
int seccomp_compile_cached(const struct seccomp_spec *sc, bool learn, struct sc_filters *out,
			   bool *hit, struct rp_err *e);
/* Load (TSYNC). Needs no_new_privs or CAP_SYS_ADMIN. A filter with
 * notify rules is loaded with a listener, returned in *listener (-1 when
 * there is none; a notify filter with listener NULL is an error). */
int seccomp_load_filters(const struct sc_filters *f, int *listener, struct rp_err *e);
/* Whether the spec has notify rules (and so needs an agent). */
bool seccomp_has_notify(const struct seccomp_spec *sc);
/* Load learn filters; returns the notification listener fd (close-on-exec). */
int seccomp_load_learn(const struct sc_filters *f, struct rp_err *e);

#endif
