/* cli_oci.h - option parsing shared by the OCI commands (runc's syntax:
 * "--opt value", "--opt=value", short aliases, options before the id). */
#ifndef RAMPART_CLI_OCI_H
#define RAMPART_CLI_OCI_H

#include <stdbool.h>

#include "error.h"

struct cli_oci_opt {
	const char *name;     /* "--bundle" */
	const char *alias;    /* "-b", or NULL */
	const char **value;   /* takes a value: stored here */
	bool *flag;           /* a switch: set true (NULL value and list) */
	char ***list;         /* repeatable value: appended here */
};

#define OPT_VALUE(name, alias, p) { name, alias, p, NULL, NULL }
#define OPT_FLAG(name, alias, p) { name, alias, NULL, p, NULL }
#define OPT_LIST(name, alias, p) { name, alias, NULL, NULL, p }
#define OPT_END { NULL, NULL, NULL, NULL, NULL }

/* Parse options up to the first non-option; *first = its index. The
 * table ends with a NULL name. */
int cli_oci_parse(int argc, char **argv, const struct cli_oci_opt *defs, int *first, struct rp_err *e);

/* argv[first] as a container id; `more`: further arguments may follow. */
int cli_oci_id(int argc, char **argv, int first, bool more, const char **id, struct rp_err *e);

/* --preserve-fds N: fds 3..3+N-1 must be open in the caller. */
int cli_oci_preserved_fds(unsigned n, struct rp_err *e);

/* One audit record for a command on a container (the default log). */
void cli_oci_audit(int command, const char *id, bool ok, const char *error);

#endif
