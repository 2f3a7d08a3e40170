/* net.c - the `net` profile line and the container's network set-up.
 *
 * Message layouts live in netlink.c; this file decides what to create,
 * in which namespace, in which order, and how it is undone (see net.h and
 * docs/network.md). Nothing here runs a program: rtnetlink only.
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netlink.h"
#include "ns.h"
#include "parse.h"
#include "profile.h"
#include "spec.h"
#include "util.h"

#define IPV4_MIN_MTU 68u
#define IPV6_MIN_MTU 1280u
#define MAX_MTU 65535u

static const char *const mode_names[] = {
	[NET_NONE] = "none", [NET_HOST] = "host", [NET_VETH] = "veth", [NET_JOIN] = "join",
};

static int fam_idx(int family)
{
	return family == AF_INET6;
}

static const char *fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* ---- addresses ---------------------------------------------------------- */

int net_parse_addr(const char *s, bool with_prefix, struct net_addr *out)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	unsigned max;

	memset(out, 0, sizeof(*out));
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!!slash != with_prefix)
		goto bad;
	if (slash)
		*slash = '\0';
	out->family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(out->family, buf, out->bytes) != 1)
		goto bad;
	max = out->family == AF_INET6 ? 128 : 32;
	out->prefix = max;
	if (slash) {
		const char *p = slash + 1;
		uint32_t v;

		/* Digits only, no sign, no leading zero, no "/ 24". */
		if (!*p || strlen(p) > 3 || (p[0] == '0') || strspn(p, "0123456789") != strlen(p) ||
		    parse_u32(p, &v) < 0 || v < 1 || v > max)
			goto bad;
		out->prefix = v;
	}
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

void net_format_addr(const struct net_addr *a, bool with_prefix, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->bytes, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	if (with_prefix)
		snprintf(buf, len, "%s/%u", ip, a->prefix);
	else
		snprintf(buf, len, "%s", ip);
}

static bool same_ip(const struct net_addr *a, const struct net_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

bool net_addr_in_subnet(const struct net_addr *a, const struct net_addr *net)
{
	unsigned full = net->prefix / 8, rest = net->prefix % 8;

	if (a->family != net->family)
		return false;
	if (memcmp(a->bytes, net->bytes, full) != 0)
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((a->bytes[full] & mask) != (net->bytes[full] & mask))
			return false;
	}
	return true;
}

/* Host part all zeros (want 0) or all ones (want 1)? */
static bool host_part_is(const struct net_addr *a, unsigned prefix, int want)
{
	unsigned bits = a->family == AF_INET6 ? 128 : 32;

	for (unsigned i = prefix; i < bits; i++) {
		int bit = (a->bytes[i / 8] >> (7 - i % 8)) & 1;
		if (bit != want)
			return false;
	}
	return true;
}

/* Why `a` cannot be an interface address or gateway, or NULL. */
static const char *bad_unicast(const struct net_addr *a)
{
	static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	const unsigned char *b = a->bytes;

	if (a->family == AF_INET) {
		if (b[0] == 0)
			return "an unspecified (0.0.0.0/8) address";
		if (b[0] == 127)
			return "a loopback address";
		if (b[0] >= 224)
			return "a multicast or reserved address";
		return NULL;
	}
	static const unsigned char loop6[16] = { [15] = 1 };

	if (host_part_is(a, 0, 0))
		return "the unspecified address";
	if (memcmp(b, loop6, sizeof(loop6)) == 0)
		return "the loopback address";
	if (b[0] == 0xff)
		return "a multicast address";
	if (memcmp(b, v4mapped, sizeof(v4mapped)) == 0)
		return "an IPv4-mapped address (give the IPv4 address itself)";
	return NULL;
}

static bool is_link_local6(const struct net_addr *a)
{
	return a->family == AF_INET6 && a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80;
}

bool net_ifname_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= IFNAMSIZ || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (const char *p = name; *p; p++)
		if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') ||
		      ('0' <= *p && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return false;
	return true;
}

/* ---- the spec ----------------------------------------------------------- */

void net_spec_init(struct net_spec *n)
{
	memset(n, 0, sizeof(*n));
	n->mode = NET_NONE;
	strcpy(n->ifname, NET_DEFAULT_IFNAME);
}

void net_spec_free(struct net_spec *n)
{
	free(n->bridge);
	free(n->join);
	net_spec_init(n);
}

#define fail(...) rp_fail_at(e, file, line, __VA_ARGS__)

static int veth_addr(struct net_spec *n, const char *w, const char *file, unsigned line,
		     struct rp_err *e)
{
	struct net_addr a;
	const char *why;

	if (net_parse_addr(w, true, &a) < 0)
		return fail("net veth: bad address '%s' (ADDR/PREFIX, e.g. 10.213.0.2/24 or fd00:213::2/64)", w);
	if ((why = bad_unicast(&a)))
		return fail("net veth: %s is %s", w, why);
	if (a.family == AF_INET && a.prefix <= 30 &&
	    (host_part_is(&a, a.prefix, 0) || host_part_is(&a, a.prefix, 1)))
		return fail("net veth: %s is the %s address of its subnet", w,
			    host_part_is(&a, a.prefix, 0) ? "network" : "broadcast");
	for (size_t i = 0; i < n->naddrs; i++)
		if (same_ip(&n->addrs[i], &a))
			return fail("net veth: address %s given twice", w);
	if (n->naddrs == NET_MAX_ADDRS)
		return fail("net veth: at most %d addresses", NET_MAX_ADDRS);
	n->addrs[n->naddrs++] = a;
	return 0;
}

static int veth_gw(struct net_spec *n, const char *w, const char *file, unsigned line,
		   struct rp_err *e)
{
	struct net_addr g;
	const char *why;
	int f;

	if (net_parse_addr(w, false, &g) < 0)
		return fail("net veth: bad gateway '%s' (an address without /PREFIX)", w);
	if ((why = bad_unicast(&g)))
		return fail("net veth: gateway %s is %s", w, why);
	f = fam_idx(g.family);
	if (n->has_gw[f])
		return fail("net veth: a second %s gateway (%s); give one per address family", fam_name(g.family), w);
	n->gw[f] = g;
	n->has_gw[f] = true;
	return 0;
}

/* Each gateway must be reachable through one of the addresses: the
 * kernel would refuse the route (ENETUNREACH) after the veth exists. */
static int veth_check_gw(const struct net_spec *n, const char *file, unsigned line, struct rp_err *e)
{
	for (int f = 0; f < 2; f++) {
		const struct net_addr *g = &n->gw[f];
		char gs[INET6_ADDRSTRLEN];
		bool any = false, inside = false;

		if (!n->has_gw[f])
			continue;
		net_format_addr(g, false, gs, sizeof(gs));
		for (size_t i = 0; i < n->naddrs; i++) {
			const struct net_addr *a = &n->addrs[i];

			if (a->family != g->family)
				continue;
			any = true;
			if (same_ip(a, g))
				return fail("net veth: gateway %s is the container's own address", gs);
			if (!net_addr_in_subnet(g, a))
				continue;
			if (g->family == AF_INET && a->prefix <= 30 &&
			    (host_part_is(g, a->prefix, 0) || host_part_is(g, a->prefix, 1)))
				return fail("net veth: gateway %s is the %s address of the subnet", gs,
					    host_part_is(g, a->prefix, 0) ? "network" : "broadcast");
			inside = true;
		}
		if (!any)
			return fail("net veth: gateway %s: no %s address to reach it from", gs,
				    fam_name(g->family));
		if (!inside && !is_link_local6(g))
			return fail("net veth: gateway %s is in none of the container's %s subnets", gs,
				    fam_name(g->family));
	}
	return 0;
}

static int parse_veth(struct net_spec *n, int argc, char **argv, const char *file, unsigned line,
		      struct rp_err *e)
{
	bool have6 = false;
	uint32_t v;

	if (argc < 3)
		return fail("net veth: expected 'net veth BRIDGE ADDR/PREFIX [addr ADDR/PREFIX]... "
			    "[gw GATEWAY]... [mtu N] [name IFNAME]'");
	if (!net_ifname_ok(argv[1]))
		return fail("net veth: '%s' is not an interface name (1-15 of A-Z a-z 0-9 _ . -)", argv[1]);
	n->bridge = xstrdup(argv[1]);
	if (veth_addr(n, argv[2], file, line, e) < 0)
		return -1;
	for (int i = 3; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "addr") && strcmp(opt, "gw") && strcmp(opt, "mtu") && strcmp(opt, "name"))
			return fail("net veth: unknown option '%s' (addr gw mtu name)", opt);
		if (!val)
			return fail("net veth: %s: missing value", opt);
		if (strcmp(opt, "addr") == 0) {
			if (veth_addr(n, val, file, line, e) < 0)
				return -1;
		} else if (strcmp(opt, "gw") == 0) {
			if (veth_gw(n, val, file, line, e) < 0)
				return -1;
		} else if (strcmp(opt, "mtu") == 0) {
			if (parse_u32(val, &v) < 0 || v < IPV4_MIN_MTU || v > MAX_MTU)
				return fail("net veth: mtu '%s' is not a number from %u to %u", val,
					    IPV4_MIN_MTU, MAX_MTU);
			n->mtu = v;
		} else {
			if (!net_ifname_ok(val))
				return fail("net veth: name '%s' is not an interface name (1-15 of A-Z a-z 0-9 _ . -)", val);
			if (strcmp(val, "lo") == 0)
				return fail("net veth: name lo is taken by the loopback interface");
			strcpy(n->ifname, val);
		}
	}
	for (size_t i = 0; i < n->naddrs; i++)
		have6 |= n->addrs[i].family == AF_INET6;
	if (have6 && n->mtu && n->mtu < IPV6_MIN_MTU)
		return fail("net veth: mtu %u is below IPv6's minimum (%u) and the veth has an IPv6 address",
			    n->mtu, IPV6_MIN_MTU);
	return veth_check_gw(n, file, line, e);
}

int net_directive(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		  struct rp_err *e)
{
	struct net_spec n;
	int mode = -1;

	if (argc < 1)
		return fail("net: missing argument (none, host, veth BRIDGE ADDR/PREFIX ..., join PATH)");
	for (int m = 0; m < (int)ARRAY_SIZE(mode_names); m++)
		if (strcmp(argv[0], mode_names[m]) == 0)
			mode = m;
	if (mode < 0)
		return fail("net: unknown mode '%s' (none, host, veth, join)", argv[0]);
	if ((mode == NET_NONE || mode == NET_HOST) && argc != 1)
		return fail("net %s: too many arguments", argv[0]);
	if (mode == NET_JOIN) {
		if (argc != 2)
			return fail("net join: expected one path (/run/netns/NAME or /proc/PID/ns/net)");
		if (argv[1][0] != '/')
			return fail("net join: '%s' must be an absolute path", argv[1]);
	}

	net_spec_init(&n);
	n.mode = (enum net_mode)mode;
	n.file = file;
	n.line = line;
	if (mode == NET_JOIN)
		n.join = xstrdup(argv[1]);
	if (mode == NET_VETH && parse_veth(&n, argc, argv, file, line, e) < 0) {
		net_spec_free(&n);
		return -1;
	}
	net_spec_free(&s->net);
	s->net = n;
	/* The one switch `check` and the launcher read: does the container
	 * share the host's netns? Only `net host` says yes. */
	s->ns[NS_NET].unshare = mode != NET_HOST;
	s->ns[NS_NET].origin = (struct origin){ file, line };
	return 0;
}

#undef fail

/* ---- validation (reads only) -------------------------------------------- */

/* The bridge as it is now: exists, and is a bridge. */
static int bridge_query(struct nl *nl, const char *name, struct nl_link *br, struct rp_err *e)
{
	if (nl_link_query(nl, name, br) < 0)
		return rp_fail(e, errno, "net", "bridge %s", name);
	if (strcmp(br->kind, "bridge") != 0)
		return rp_fail(e, 0, "net", "bridge %s: not a bridge (%s%s)", name,
			       br->kind[0] ? "its kind is " : "a plain interface",
			       br->kind[0] ? br->kind : "");
	return 0;
}

static int validate_bridge(const struct net_spec *n, struct rp_err *e)
{
	struct nl nl;
	struct nl_link br;
	bool have6 = false;
	int r;

	if (nl_open(&nl) < 0)
		return rp_fail(e, errno, "net", "open an rtnetlink socket");
	r = bridge_query(&nl, n->bridge, &br, e);
	nl_close(&nl);
	if (r < 0)
		return -1;
	for (size_t i = 0; i < n->naddrs; i++)
		have6 |= n->addrs[i].family == AF_INET6;
	if (have6 && !n->mtu && br.mtu < IPV6_MIN_MTU)
		return rp_fail(e, 0, "net", "bridge %s: its mtu %u is below IPv6's minimum (%u); set 'mtu' on the net line",
			       n->bridge, br.mtu, IPV6_MIN_MTU);
	return 0;
}

static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Open the netns to join: a netns, and not the one rampart runs in (that
 * is `net host`, which `check` flags; join must not be a way around it). */
static int open_join(const char *path, int *home_out, struct rp_err *e)
{
	_cleanup_close_ int fd = -1, home = -1;
	int type;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return rp_fail(e, errno, "net", "join %s", path);
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0 && errno == ENOTTY)
		return rp_fail(e, 0, "net", "join %s: not a namespace file", path);
	if (type < 0)
		return rp_fail(e, errno, "net", "join %s: namespace type", path);
	if (type != CLONE_NEWNET)
		return rp_fail(e, 0, "net", "join %s: not a network namespace", path);
	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		return rp_fail(e, errno, "net", "open rampart's own network namespace");
	if (same_file(fd, home))
		return rp_fail(e, 0, "net",
			       "join %s: that is rampart's own network namespace; say 'net host' to share it",
			       path);
	if (home_out)
		*home_out = steal_fd(home);
	return steal_fd(fd);
}

int net_validate(struct spec *s, struct rp_err *e)
{
	struct net_spec *n = &s->net;
	const struct origin *o = &s->ns[NS_NET].origin;
	const char *file = n->file ? n->file : "spec";

	if (!s->ns[NS_NET].unshare) {
		if (n->mode == NET_VETH || n->mode == NET_JOIN)
			return rp_fail_at(e, file, n->line,
					  "net %s: needs a network namespace of its own, but %s:%u shares the host's",
					  mode_names[n->mode], o->file ? o->file : "spec", o->line);
		n->mode = NET_HOST; /* `share net` */
		return 0;
	}
	if (n->mode == NET_HOST) /* `net host`, then `namespaces ... net` */
		n->mode = NET_NONE;
	if ((n->mode == NET_VETH || n->mode == NET_JOIN) && s->rootless)
		return rp_fail_at(e, file, n->line,
				  "net %s: needs root (a rootless launch has 'net none' or 'net host')",
				  mode_names[n->mode]);
	if (n->mode == NET_VETH)
		return validate_bridge(n, e);
	if (n->mode == NET_JOIN) {
		_cleanup_close_ int fd = open_join(n->join, NULL, e);

		if (fd < 0)
			return -1;
	}
	return 0;
}

/* ---- printing ----------------------------------------------------------- */

void net_print(const struct net_spec *n, FILE *out)
{
	char a[INET6_ADDRSTRLEN + 8];

	fprintf(out, "net %s", mode_names[n->mode]);
	if (n->mode == NET_JOIN) {
		fputc(' ', out);
		profile_print_word(out, n->join);
	} else if (n->mode == NET_VETH) {
		fputc(' ', out);
		profile_print_word(out, n->bridge);
		for (size_t i = 0; i < n->naddrs; i++) {
			net_format_addr(&n->addrs[i], true, a, sizeof(a));
			fprintf(out, "%s%s", i ? " addr " : " ", a);
		}
		for (int f = 0; f < 2; f++) {
			if (!n->has_gw[f])
				continue;
			net_format_addr(&n->gw[f], false, a, sizeof(a));
			fprintf(out, " gw %s", a);
		}
		if (n->mtu)
			fprintf(out, " mtu %u", n->mtu);
		if (strcmp(n->ifname, NET_DEFAULT_IFNAME) != 0)
			fprintf(out, " name %s", n->ifname);
	}
	if (n->file)
		fprintf(out, "\t# %s:%u", n->file, n->line);
	fputc('\n', out);
}

/* ---- the launch --------------------------------------------------------- */

/* "net: OBJECT: strerror (the kernel's own words)". */
static int nl_fail(struct rp_err *e, const struct nl *nl, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int nl_fail(struct rp_err *e, const struct nl *nl, int err, const char *fmt, ...)
{
	char obj[256];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(obj, sizeof(obj), fmt, ap);
	va_end(ap);
	rp_fail(e, err, "net", "%s", obj);
	n = strlen(e->msg);
	if (nl && nl->ext[0] && n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - n, " (%s)", nl->ext);
	return -1;
}

pid_t net_clone(const struct net_spec *n, unsigned long flags, int cgroup_fd, int *pidfd,
		bool *placed, struct rp_err *e)
{
	_cleanup_close_ int target = -1, home = -1;
	pid_t pid;
	int err;

	if (n->mode != NET_JOIN)
		return ns_clone(flags, cgroup_fd, pidfd, placed, e);
	/* Opened and checked again: the path may have changed since
	 * validation. */
	target = open_join(n->join, &home, e);
	if (target < 0)
		return -1;
	if (setns(target, CLONE_NEWNET) < 0)
		return rp_fail(e, errno, "net", "join %s", n->join);
	pid = ns_clone(flags & ~(unsigned long)CLONE_NEWNET, cgroup_fd, pidfd, placed, e);
	if (pid == 0)
		return 0; /* the child: stays in the joined netns */
	if (setns(home, CLONE_NEWNET) == 0)
		return pid;
	/* Cannot happen with the rights we had a moment ago; but a launcher
	 * left in the wrong netns must not go on. The child has not been told
	 * to go: kill it (it is ours and unreaped, so the pid is still its). */
	err = errno;
	if (pid > 0) {
		int st;

		if (kill(pid, SIGKILL) == 0)
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
		if (*pidfd >= 0 && close(*pidfd) < 0 && errno != EINTR)
			err = errno;
		*pidfd = -1;
	}
	return rp_fail(e, err, "net", "return to rampart's own network namespace");
}

static const char *ifname_of(const struct net_spec *n)
{
	return n->ifname[0] ? n->ifname : NET_DEFAULT_IFNAME;
}

/* 0, or -1 with errno. ENODEV counts as done: the pair already went with
 * the container's netns. */
static int delete_link(struct nl *nl, int ifindex, const char *name)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *req = nlreq_link_del(buf, sizeof(buf), ifindex, name);

	if (!req) {
		errno = EMSGSIZE;
		return -1;
	}
	if (nl_talk(nl, req, NULL, NULL) < 0 && errno != ENODEV)
		return -1;
	return 0;
}

int net_setup_host(const struct net_spec *n, pid_t pid, struct net_state *st, struct rp_err *e)
{
	char buf[NL_REQ_SIZE];
	struct nl nl;
	struct nl_link br, me;
	struct veth_req vr;
	struct nlmsghdr *req;
	int r = -1;

	if (n->mode != NET_VETH)
		return 0;
	if (nl_open(&nl) < 0)
		return rp_fail(e, errno, "net", "open an rtnetlink socket");
	if (bridge_query(&nl, n->bridge, &br, e) < 0)
		goto out;
	/* Named after the launcher, as its cgroup is: unique among live
	 * launchers, and easy to trace back. NLM_F_EXCL: never adopt an
	 * interface that is someone else's. */
	if (xsnprintf(st->host, sizeof(st->host), "rp%dh", (int)getpid()) < 0) {
		rp_fail(e, ENAMETOOLONG, "net", "host interface name for pid %d", (int)getpid());
		goto out;
	}
	vr = (struct veth_req){ .host = st->host, .master = br.ifindex,
				.mtu = n->mtu ? n->mtu : br.mtu, .peer = ifname_of(n), .peer_pid = pid };
	req = nlreq_veth_add(buf, sizeof(buf), &vr);
	if (!req) {
		rp_fail(e, EMSGSIZE, "net", "veth %s request", st->host);
		goto out;
	}
	if (nl_talk(&nl, req, NULL, NULL) < 0) {
		nl_fail(e, &nl, errno, "veth %s on bridge %s", st->host, n->bridge);
		goto out;
	}
	if (nl_link_query(&nl, st->host, &me) < 0) {
		nl_fail(e, &nl, errno, "veth %s", st->host);
		if (delete_link(&nl, 0, st->host) < 0) {
			/* Still goes with the container's netns when the
			 * caller kills it. */
		}
		goto out;
	}
	st->ifindex = me.ifindex;
	r = 0;
out:
	nl_close(&nl);
	return r;
}

void net_teardown(struct net_state *st)
{
	struct nl nl;

	if (!st->ifindex)
		return;
	/* By index: unlike the name, it is not handed out again (the kernel
	 * counts up), so this cannot hit an interface made since ours went.
	 * Failing here leaks nothing lasting: the caller has reaped the
	 * container, and the kernel deletes the pair with its netns; we only
	 * make that happen now rather than moments later. */
	if (nl_open(&nl) == 0) {
		if (delete_link(&nl, st->ifindex, NULL) < 0) {
			/* see above */
		}
		nl_close(&nl);
	}
	st->ifindex = 0;
}

static int link_up(struct nl *nl, const char *name, int *ifindex, struct rp_err *e)
{
	char buf[NL_REQ_SIZE];
	struct nl_link l;
	struct nlmsghdr *req;

	if (nl_link_query(nl, name, &l) < 0)
		return nl_fail(e, nl, errno, "%s", name);
	req = nlreq_link_up(buf, sizeof(buf), l.ifindex);
	if (!req || nl_talk(nl, req, NULL, NULL) < 0)
		return nl_fail(e, nl, req ? errno : EMSGSIZE, "set %s up", name);
	*ifindex = l.ifindex;
	return 0;
}

/* No IPv6 router advertisements on the veth: every container on the
 * bridge could otherwise hand the others addresses and a default route
 * (CVE-2020-13401 in Docker). The routes are the profile's alone. Net
 * sysctls are per netns (ours: the host's /proc is still mounted here)
 * and owned by our namespace's root. No IPv6 in the kernel: nothing to do. */
static int refuse_router_ads(const char *name, struct rp_err *e)
{
	char path[96];
	_cleanup_close_ int fd = -1;

	if (xsnprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_ra", name) < 0)
		return rp_fail(e, ENAMETOOLONG, "net", "%s: accept_ra", name);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == ENOENT && access("/proc/sys/net/ipv6", F_OK) < 0)
		return 0;
	if (fd < 0 || write_all(fd, "0\n", 2) < 0)
		return rp_fail(e, errno, "net", "%s: refuse IPv6 router advertisements (accept_ra 0)", name);
	return 0;
}

static int configure_veth(struct nl *nl, const struct net_spec *n, struct rp_err *e)
{
	const char *name = ifname_of(n);
	char buf[NL_REQ_SIZE], a[INET6_ADDRSTRLEN + 8];
	struct nlmsghdr *req;
	int idx;

	/* Before the link is up, so that no advertisement is ever taken. */
	if (refuse_router_ads(name, e) < 0)
		return -1;
	/* Up first: IPv4 adds the subnet route for an address only on a
	 * running link, and the default routes need it. */
	if (link_up(nl, name, &idx, e) < 0)
		return -1;
	for (size_t i = 0; i < n->naddrs; i++) {
		net_format_addr(&n->addrs[i], true, a, sizeof(a));
		req = nlreq_addr_add(buf, sizeof(buf), idx, &n->addrs[i]);
		if (!req || nl_talk(nl, req, NULL, NULL) < 0)
			return nl_fail(e, nl, req ? errno : EMSGSIZE, "%s: add address %s", name, a);
	}
	for (int f = 0; f < 2; f++) {
		if (!n->has_gw[f])
			continue;
		net_format_addr(&n->gw[f], false, a, sizeof(a));
		req = nlreq_route_default(buf, sizeof(buf), idx, &n->gw[f]);
		if (!req || nl_talk(nl, req, NULL, NULL) < 0)
			return nl_fail(e, nl, req ? errno : EMSGSIZE, "%s: default route via %s", name, a);
	}
	return 0;
}

int net_setup_container(const struct net_spec *n, struct rp_err *e)
{
	struct nl nl;
	int idx, r;

	/* A joined netns belongs to someone else's user namespace: we have
	 * no rights there and use it as it is. The host's: likewise. */
	if (n->mode == NET_JOIN || n->mode == NET_HOST)
		return 0;
	if (nl_open(&nl) < 0)
		return rp_fail(e, errno, "net", "open an rtnetlink socket");
	r = link_up(&nl, "lo", &idx, e);
	if (r == 0 && n->mode == NET_VETH)
		r = configure_veth(&nl, n, e);
	nl_close(&nl);
	return r;
}

int net_loopback_up(struct rp_err *e)
{
	struct net_spec none;

	net_spec_init(&none);
	return net_setup_container(&none, e);
}
