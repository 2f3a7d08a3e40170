/* seccomp_json.h - rampart's seccomp rules and the JSON the other runtimes
 * speak: the OCI runtime-spec `linux.seccomp` object and Docker's seccomp
 * profile (a superset of it: archMap, includes/excludes). Also the shared
 * text form of one rule, used by `rampart seccomp show|diff` and import.
 *
 * Import semantics follow runc on libseccomp (one filter): an entry whose
 * action equals the default is a no-op; the first unconditional rule for a
 * syscall wins and subsumes every conditional allow for it. Conditional
 * denies are kept as they are: rampart loads them as a second filter, so
 * they hold even where a single-filter runtime would drop them.
 */
#ifndef RAMPART_SECCOMP_JSON_H
#define RAMPART_SECCOMP_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "seccomp.h"

enum scj_format { SCJ_OCI, SCJ_DOCKER };

/* "errno EPERM", "kill", "trap", "log" or "allow": profile syntax. */
void scj_action_text(const struct sc_action *a, char *buf, size_t n);

/* True when the rule applies to every call: no comparisons, or an allow
 * whose comparisons every value passes (import writes the syscall "kill"
 * so, see docs/seccomp-tools.md). */
bool scj_unconditional(const struct sc_rule *r);

/* One rule in profile syntax without the leading "seccomp ":
 * "allow read", "allow socket arg0 == 0x1",
 * "deny clone arg0 & 0x20000 == 0x20000 errno EPERM". */
void scj_rule_text(const struct sc_rule *r, char *buf, size_t n);

/* Parse JSON text. Integers above INT64_MAX (valid in OCI's uint64 fields,
 * beyond jansson's json_int_t) are kept as a private marker that the
 * import reads back exactly. `source` names the text in errors:
 * "import: SOURCE:LINE:COLUMN: reason". */
json_t *scj_loads(const char *text, size_t len, const char *source, struct rp_err *e);

/* A non-negative integer of a document scj_loads read, up to UINT64_MAX
 * (the big ones arrive as its private marker). 0, or -1 when v is not one. */
int scj_u64(const json_t *v, uint64_t *out);

/* Read FILE ("-" is stdin) with scj_loads. */
json_t *scj_load_file(const char *path, struct rp_err *e);

/* Write DOC (an OCI linux.seccomp object, a whole OCI config.json, or a
 * Docker profile) as a standalone rampart profile (`seccomp clear` first)
 * to OUT. Errors name the JSON path:
 * "import: syscalls[3].args[0].op: unknown operator 'SCMP_CMP_FOO'". */
int scj_import(const json_t *doc, const char *source, FILE *out, struct rp_err *e);

/* The rules as JSON text (malloc'd, ends in a newline). Fails for a
 * disabled filter and for a rule no OCI runtime can express. */
char *scj_export(const struct seccomp_spec *sc, enum scj_format fmt, struct rp_err *e);


#endif
