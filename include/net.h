/* net.h - the container's network: the `net` profile line and its set-up
 * over rtnetlink (libmnl; no `ip` binary, no shell). See docs/network.md.
 *
 *   net none                    own netns, only lo (up)            (default)
 *   net veth BRIDGE ADDR/PREFIX [addr ADDR/PREFIX]... [gw GATEWAY]...
 *            [mtu N] [name IFNAME]
 *                               own netns, lo + a veth whose host end is a
 *                               port of an existing bridge (root only)
 *   net join PATH               the netns at PATH (/run/netns/NAME,
 *                               /proc/PID/ns/net), used as it is (root only)
 *   net host                    the host's netns (= `share net`; flagged)
 *
 * Who does what:
 *   parent, before clone   net_clone(): `join` enters the target netns
 *                          around clone, so the child is born in it
 *   parent, after clone    net_setup_host(): the veth pair, host end on
 *                          the bridge and up, peer created directly in the
 *                          child's netns under its final name
 *   parent, on every exit  net_teardown(): the host end deleted
 *   child, before mounts   net_setup_container(): lo up; the veth's
 *                          addresses, up, default routes
 */
#ifndef RAMPART_NET_H
#define RAMPART_NET_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"

struct spec;

enum net_mode { NET_NONE, NET_HOST, NET_VETH, NET_JOIN };

/* One IPv4 or IPv6 address (or gateway: prefix unused). */
struct net_addr {
	int family;              /* AF_INET or AF_INET6 */
	unsigned char bytes[16]; /* network order; 4 used for AF_INET */
	unsigned prefix;         /* 1-32 / 1-128 */
};

#define NET_MAX_ADDRS 16
#define NET_DEFAULT_IFNAME "eth0"

struct net_spec {
	enum net_mode mode;
	/* veth */
	char *bridge;                       /* existing bridge in the host netns */
	struct net_addr addrs[NET_MAX_ADDRS];
	size_t naddrs;
	struct net_addr gw[2];              /* [0] IPv4, [1] IPv6 */
	bool has_gw[2];
	unsigned mtu;                       /* 0 = the bridge's MTU */
	char ifname[IFNAMSIZ];              /* inside; "eth0" by default */
	/* join */
	char *join;                         /* absolute path of a netns file */
	/* origin of the `net` line (file interned by the caller) */
	const char *file;
	unsigned line;
};

void net_spec_init(struct net_spec *n);
void net_spec_free(struct net_spec *n);

/* One `net` profile line (argv without the word "net"). Replaces the
 * whole previous setting. `net host` also clears s->ns[NS_NET].unshare,
 * the other modes set it: "the container does not share the host's
 * network namespace". */
int net_directive(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		  struct rp_err *e);

/* From spec_validate: the cross-field rules and the host checks that need
 * no change to the system (the bridge exists and is a bridge; the join
 * path is a netns other than ours; root for veth and join). Turns
 * `net none` + `share net` into NET_HOST. */
int net_validate(struct spec *s, struct rp_err *e);

/* The `net` line in profile syntax (always one line). Printed before the
 * `namespaces` line, the output parses back to the same spec. */
void net_print(const struct net_spec *n, FILE *out);

/* ---- the launch ------------------------------------------------------- */

/* Parent: ns_clone(), but for `net join` run inside the target netns
 * (entered with setns just before and left just after, in the parent),
 * without CLONE_NEWNET: the child is born in the joined netns. A child in a
 * new user namespace could not setns there itself (it has no
 * CAP_SYS_ADMIN over the netns's owner). Returns as ns_clone. */
pid_t net_clone(const struct net_spec *n, unsigned long flags, int cgroup_fd, int *pidfd,
		bool *placed, struct rp_err *e);

/* What the parent created on the host, for net_teardown. Starts zeroed
 * (`= { 0 }`); declared _cleanup_net_ it is torn down on every return. */
struct net_state {
	int ifindex;              /* host end of the veth, 0 = none */
	char host[IFNAMSIZ];      /* its name, "rp<launcher pid>h" */
};

/* Parent, after clone (child `pid` still waiting for "go"): for `net
 * veth`, create the pair with the host end on the bridge and up and the
 * peer directly in the child's netns, as one atomic request. No-op for
 * the other modes. On failure nothing is left. */
int net_setup_host(const struct net_spec *n, pid_t pid, struct net_state *st, struct rp_err *e);

/* Parent, after clone (child still waiting): OCI linux.netDevices, each
 * "HOSTNAME=NAME", moved into pid's netns under NAME with its addresses
 * kept and brought up (net_devices.c). On failure a device already moved
 * stays in the container's netns and goes with it. */
int net_move_devices(char **devices, pid_t pid, struct rp_err *e);

/* Parent, on every path out once net_setup_host ran (harmless otherwise,
 * idempotent): delete the host end (which deletes the pair). Never
 * fails loudly: a pair already gone with the container's netns is fine. */
void net_teardown(struct net_state *st);
#define _cleanup_net_ __attribute__((cleanup(net_teardown)))

/* Child, in its own netns, before the mounts: lo up; for veth the
 * addresses, link up and default routes. Nothing for join and host. */
int net_setup_container(const struct net_spec *n, struct rp_err *e);

/* Bring up `lo` in the caller's network namespace. */
int net_loopback_up(struct rp_err *e);

/* ---- helpers (exposed for the unit tests) ------------------------------- */

/* "10.0.0.2/24", "fd00::2/64" (with_prefix) or "10.0.0.1", "fe80::1". */
int net_parse_addr(const char *s, bool with_prefix, struct net_addr *out);
void net_format_addr(const struct net_addr *a, bool with_prefix, char *buf, size_t len);
/* Is `a` inside the subnet of `net` (same family)? */
bool net_addr_in_subnet(const struct net_addr *a, const struct net_addr *net);
/* An interface name the kernel takes: 1-15 of [A-Za-z0-9_.-], not . or .. */
bool net_ifname_ok(const char *name);

#endif
