/* oci_state.h - what the OCI lifecycle remembers between commands.
 *
 * One directory per container under the state root (--root, default
 * /run/rampart), mode 0700:
 *   ROOT/ID/state.json   our record (below), replaced atomically
 *   ROOT/ID/config.json  the bundle's config as create read it
 *   ROOT/ID/exec.fifo    exists while the container waits for `start`
 * Every command that changes a container holds flock(LOCK_EX) on the
 * directory, so concurrent commands on one container are serialised.
 *
 * The status is never stored, it is observed: no process (or another one
 * under the same pid, told apart by its start time) is "stopped"; a fifo
 * still there is "created"; a frozen cgroup is "paused"; else "running".
 * A create that died before recording its pid leaves "creating", which
 * `delete --force` cleans up.
 */
#ifndef RAMPART_OCI_STATE_H
#define RAMPART_OCI_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

#define OCI_DEFAULT_ROOT "/run/rampart"
#define OCI_ID_MAX 256

struct oci_state {
	char id[OCI_ID_MAX];
	pid_t pid;                  /* 0 while creating */
	unsigned long long start;   /* the pid's start time (clock ticks after boot) */
	char *bundle;
	char *rootfs;
	char *created;              /* RFC 3339, UTC */
	char *cgroup;               /* absolute cgroup v2 path, or NULL */
	uid_t owner;
	bool ready;                 /* the container's process said "ready" */
	/* The first process's confinement, which an exec'd one never exceeds:
	 * its capability bounding set, no_new_privs, user namespace. (Its
	 * seccomp rules are ROOT/ID/seccomp.profile.) */
	uint64_t bounding;
	bool nnp;
	bool userns;
	json_t *annotations;        /* object, owned */
	char **profiles;            /* --profile given to create, in order */
	char **sets;                /* --set given to create, in order */
	int dirfd;                  /* ROOT/ID, locked; -1 when not open */
};

/* A container id: 1 to OCI_ID_MAX-1 of [A-Za-z0-9_.+-], not "." or "..". */
int oci_id_check(const char *id, struct rp_err *e);

/* Create ROOT/ID (refusing an existing one) and lock it. */
int oci_state_create(const char *root, const char *id, struct oci_state *st, struct rp_err *e);
/* Open and lock ROOT/ID and read its state.json. A directory without a
 * readable state (a create killed very early) reads as "creating". */
int oci_state_open(const char *root, const char *id, struct oci_state *st, struct rp_err *e);
/* The same without the lock, for commands that only read (state, list,
 * ps, events): state.json is replaced atomically, so a reader sees the old
 * or the new record, and a hook may run `rampart state ID` while create
 * holds the lock. */
int oci_state_peek(const char *root, const char *id, struct oci_state *st, struct rp_err *e);
/* Write state.json (atomically: a temp file renamed over it). */
int oci_state_save(const struct oci_state *st, struct rp_err *e);
/* "creating" (no pid yet, or not ready), "created", "running", "paused"
 * or "stopped". */
const char *oci_state_status(const struct oci_state *st);
/* Is the recorded process still the one we started? */
bool oci_state_alive(const struct oci_state *st);
/* The runtime-spec state object (plus runc's rootfs/created/owner). */
json_t *oci_state_json(const struct oci_state *st);
/* Remove ROOT/ID and everything in it. */
int oci_state_remove(const char *root, struct oci_state *st, struct rp_err *e);
void oci_state_free(struct oci_state *st);

/* The whole of ROOT/ID/NAME (config.json, seccomp.profile). */
int oci_state_read_file(const struct oci_state *st, const char *name, size_t max, char **text, size_t *len,
			struct rp_err *e);

/* The start time of pid (field 22 of /proc/PID/stat), 0 if gone; and
 * whether it is a zombie. */
unsigned long long oci_pid_start(pid_t pid, bool *zombie);

/* For ROOT: each container id, sorted (list). */
int oci_state_list(const char *root, char ***ids, struct rp_err *e);

#endif
