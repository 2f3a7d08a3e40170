/* caps.h - capability names and the drop of all five capability sets. */
#ifndef RAMPART_CAPS_H
#define RAMPART_CAPS_H

#include <stdint.h>

#include "error.h"

/* "NET_BIND_SERVICE", "cap_net_bind_service" -> 10; -1 if unknown. */
int caps_from_name(const char *name);
/* 10 -> "NET_BIND_SERVICE" (static storage). */
const char *caps_name(int cap);
/* Highest capability this kernel knows (/proc/sys/kernel/cap_last_cap). */
int caps_last(void);

/* Keep exactly `keep` in the bounding, permitted, effective, inheritable
 * and ambient sets, drop everything else. Ambient is how a kept capability
 * survives execve for a non-root user. Call after the final setresuid. */
int caps_apply(uint64_t keep, struct rp_err *e);

/* OCI: the five sets as a config.json gives them (each a bit mask). */
enum { CAPS_BOUNDING, CAPS_EFFECTIVE, CAPS_INHERITABLE, CAPS_PERMITTED, CAPS_AMBIENT, CAPS_NSETS };
int caps_apply_sets(const uint64_t sets[CAPS_NSETS], struct rp_err *e);

#endif
