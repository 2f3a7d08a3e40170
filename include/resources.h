/* resources.h - cgroup v2 resource limits as the spec holds them.
 *
 *   limit memory 256M | max        memory.max
 *   limit memory-high 200M | max   memory.high
 *   limit swap 0 | 1G | max        memory.swap.max
 *   limit cpu 1.5 [period=100000]  cpu.max "150000 100000" (CPUs; or
 *                                  quota=MICROSECONDS for an exact quota)
 *   limit cpu-weight 100           cpu.weight (1-10000)
 *   limit cpuset 0-1               cpuset.cpus
 *   limit io /dev/vda rbps=20M wbps=10M riops=1000 wiops=1000   io.max
 *   limit io-weight 100            io.weight (1-10000)
 *   limit pids 128 | max           pids.max
 *   cgroup parent /rampart         where containers' cgroups go
 *   cgroup required | optional     without the controllers: fail, or run
 *                                  without limits and say so
 */
#ifndef RAMPART_RESOURCES_H
#define RAMPART_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"

struct spec;

#define LIMIT_MAX UINT64_MAX /* "max": no limit, written as the word max */

struct limit_value {
	bool set;
	uint64_t value;
	const char *file;   /* origin, interned in the spec */
	unsigned line;
};

struct io_limit {
	char *device;       /* path as written */
	dev_t rdev;         /* resolved by spec_validate */
	uint64_t rbps, wbps, riops, wiops; /* 0 = not set */
	const char *file;
	unsigned line;
};

#define LIMITS_MAX_IO 16

struct resources_spec {
	struct limit_value memory, memory_high, swap, pids;
	struct limit_value cpu_quota;   /* microseconds per period; LIMIT_MAX = max */
	uint64_t cpu_period;            /* microseconds */
	struct limit_value cpu_weight, io_weight;
	char *cpuset;
	struct io_limit io[LIMITS_MAX_IO];
	size_t nio;
	char **unified;                 /* OCI linux.resources.unified and the OCI fields
					 * with no directive: "file=value", written as
					 * they are after the limits above */
	char *parent;                   /* cgroup parent, relative to the cgroup2 root */
	bool optional;                  /* run without limits when unavailable */
};

/* Is any limit set? (Only then does a launch create a cgroup.) */
bool limits_any(const struct resources_spec *l);

/* Clear the cpu and io weights (shares between siblings, not limits);
 * true when one was set. */
bool limits_drop_weights(struct resources_spec *l);

/* The controllers the limits need, as a space-separated list
 * ("cpu memory pids"); empty when none. */
void limits_controllers(const struct resources_spec *l, char *out, size_t len);

int limits_directive(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		     struct rp_err *e);
int cgroup_directive(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		     struct rp_err *e);
/* Resolve io devices to major:minor; checks that need the host. */
int limits_validate(struct resources_spec *l, struct rp_err *e);
void limits_print(const struct resources_spec *l, FILE *out);
void limits_free(struct resources_spec *l);

#endif
