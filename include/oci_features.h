/* oci_features.h - the two documents rampart generates for OCI callers.
 *
 * `rampart features` prints what this build recognises (runtime-spec
 * features.md and features-linux.md, 1.1/1.2): fixed at build time, not a
 * probe of the host, as the spec asks. `rampart spec` writes a starting
 * config.json in the shape `runc spec` writes, but hardened: an
 * unprivileged user, no capabilities, a user namespace always, a read-only
 * root.
 *
 * Both return a new reference the caller json_decref()s. jansson fails
 * only when out of memory, and then these abort, like xmalloc: they never
 * return NULL.
 */
#ifndef RAMPART_OCI_FEATURES_H
#define RAMPART_OCI_FEATURES_H

#include <jansson.h>
#include <stdbool.h>

/* `rampart features`: the OCI runtime-spec "features" document. */
json_t *oci_features(void);

/* `rampart spec [--rootless]`: a hardened default config.json for a bundle
 * whose rootfs is "rootfs". Rootless maps the caller's uid and gid (one
 * each) to the process user, 65534; otherwise container 0..65535 is host
 * 100000..165535. */
json_t *oci_default_config(bool rootless);

#endif
