/* oci.h - OCI bundles: config.json into the spec model.
 *
 * A bundle's config.json (runtime-spec 1.0 to 1.2) fills the same struct
 * spec that profiles fill; the launcher cannot tell them apart. Where the
 * config is silent rampart stays hardened (docs/oci.md):
 *   - no linux.seccomp: the default allowlist (profiles/syscalls.profile);
 *   - no process.noNewPrivileges: on;
 *   - every mount nosuid and nodev, /proc and /sys read-only, the built-in
 *     masked paths hidden on top of the config's own.
 * Where it speaks, it is followed: namespaces exactly as listed (an
 * absent user namespace means none, as runc does), its user, its
 * capabilities, its mounts.
 *
 * Unknown fields are ignored, as the spec says. A wrong type or value is
 * one line naming the JSON path:
 *   "BUNDLE/config.json: linux.resources.memory.limit: expected an integer"
 */
#ifndef RAMPART_OCI_H
#define RAMPART_OCI_H

#include <stddef.h>

#include "error.h"
#include "spec.h"

/* Read BUNDLE/config.json into `s` (spec_init'ed by the caller). The
 * rootfs is root.path resolved against the bundle. */
int oci_config_load(struct spec *s, const char *bundle, struct rp_err *e);

/* Read BUNDLE/config.json (the text create keeps a copy of). */
int oci_read_config(const char *bundle, char **text, size_t *len, struct rp_err *e);

/* The same from text in memory (tests, fuzzing); `source` names it. */
int oci_config_loads(struct spec *s, const char *text, size_t len, const char *bundle,
		     const char *source, struct rp_err *e);

/* After profiles are applied on top of a bundle (create --profile): the
 * reader's checks that depend on the namespaces, again, since a profile
 * may have shared one (sysctls that would then change the host). */
int oci_config_recheck(const struct spec *s, struct rp_err *e);

/* `update`: a linux.resources object alone into s->limits. */
#include <jansson.h>
/* `exec --process FILE`: a process object alone, over s's process. */
int oci_process_read(struct spec *s, const json_t *process, const char *source, struct rp_err *e);
int oci_resources_read(struct spec *s, const json_t *resources, const char *source, struct rp_err *e);

#endif
