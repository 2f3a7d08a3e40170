/* secrets.h - `secret NAME HOSTFILE [mode 0400] [uid U]`.
 *
 * The parent reads each host file (it may be readable by root alone)
 * before the container exists; the child writes it to a fresh tmpfs at
 * /run/secrets (directory 0500, owned by the container user, remounted
 * read-only once written) and wipes its copy. Secrets never go into the
 * environment, the profile output, messages or logs: only names and paths
 * do. The tmpfs lives in the container's mount namespace and dies with it.
 */
#ifndef RAMPART_SECRETS_H
#define RAMPART_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"

struct spec;

#define SECRETS_DIR "/run/secrets"
#define SECRETS_MAX 32
#define SECRET_MAX_SIZE (1 << 20)

struct secret_spec {
	char *name;         /* file name under /run/secrets */
	char *path;         /* host file */
	int mode;           /* default 0400 */
	bool uid_set;
	uid_t uid;          /* default: the container user */
	const char *file;   /* origin */
	unsigned line;
};

/* A secret's contents, held by the launcher between read and write. */
struct secret_data {
	char *data;
	size_t len;
};

int secret_directive(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		     struct rp_err *e);
void secrets_print(const struct secret_spec *sec, size_t n, FILE *out);
void secrets_free(struct secret_spec *sec, size_t n);

/* Parent: read every secret's host file. */
int secrets_read(const struct spec *s, struct secret_data *out, struct rp_err *e);
/* Wipe and free what secrets_read returned. */
void secrets_wipe(struct secret_data *d, size_t n);

/* Child, after the profile mounts: the tmpfs, the files, read-only, on
 * /run/secrets resolved inside `root` (which mount.c made). Wipes d. */
int secrets_install(const struct spec *s, int root, struct secret_data *d, struct rp_err *e);

#endif
