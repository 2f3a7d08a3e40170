/* net_devices.c - OCI linux.netDevices: host interfaces moved into the
 * container's network namespace (runtime-spec 1.2).
 *
 * The parent does it after clone, before "go", like the veth: the device
 * is moved (IFLA_NET_NS_PID) and renamed in one request; the kernel drops
 * its addresses on the way, so they are read first and added back inside
 * (the spec asks the runtime to keep them), through a netlink socket made
 * in the container's namespace; then the link is brought up. MTU and MAC
 * travel with the device. When the namespace dies the kernel destroys a
 * virtual device and returns a physical one to the host's initial
 * namespace; rampart does not move devices back itself.
 */
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netlink.h"
#include "util.h"

#define MAX_MOVED_ADDRS 32

struct addr_list {
	int ifindex;
	struct net_addr a[MAX_MOVED_ADDRS];
	size_t n;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *l = data;
	struct net_addr a;
	int ifindex;

	if (nlparse_addr(nlh, &ifindex, &a) < 0 || ifindex != l->ifindex)
		return MNL_CB_OK;
	/* The kernel makes a new link-local address inside by itself. */
	if (a.family == AF_INET6 && a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0x80)
		return MNL_CB_OK;
	if (l->n < MAX_MOVED_ADDRS)
		l->a[l->n++] = a;
	return MNL_CB_OK;
}

static int fail(struct rp_err *e, const struct nl *nl, const char *what, const char *dev)
{
	int err = errno;

	if (nl && nl->ext[0])
		return rp_fail(e, err, "net", "%s %s (%s)", what, dev, nl->ext);
	return rp_fail(e, err, "net", "%s %s", what, dev);
}

/* A netlink socket in pid's network namespace: made there, it stays
 * bound to it after we return to our own. */
static int open_inside(pid_t pid, struct nl *nl, struct rp_err *e)
{
	char path[64];
	_cleanup_close_ int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	_cleanup_close_ int target = -1;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	target = open(path, O_RDONLY | O_CLOEXEC);
	if (home < 0 || target < 0 || setns(target, CLONE_NEWNET) < 0)
		return rp_fail(e, errno, "net", "enter the container's network namespace");
	r = nl_open(nl);
	if (setns(home, CLONE_NEWNET) < 0) {
		/* rampart must not go on in the container's namespace. */
		if (r == 0)
			nl_close(nl);
		return rp_fail(e, errno, "net", "return to rampart's own network namespace");
	}
	return r < 0 ? rp_fail(e, errno, "net", "netlink socket in the container") : 0;
}

static int move_one(struct nl *host, struct nl *inside, const char *spec, pid_t pid, struct rp_err *e)
{
	char name[IFNAMSIZ], buf[NL_REQ_SIZE];
	const char *in = strchr(spec, '=');
	struct addr_list addrs = { 0 };
	struct nl_link link, moved;
	struct nlmsghdr *req;

	if (!in || (size_t)(in - spec) >= sizeof(name))
		return rp_fail(e, EINVAL, "net", "netDevices entry %s", spec);
	memcpy(name, spec, (size_t)(in - spec));
	name[in - spec] = '\0';
	in++;
	if (nl_link_query(host, name, &link) < 0)
		return fail(e, host, "netDevices: host device", name);
	addrs.ifindex = link.ifindex;
	req = nlreq_addr_dump(buf, sizeof(buf));
	if (!req || nl_talk(host, req, addr_cb, &addrs) < 0)
		return fail(e, host, "netDevices: addresses of", name);
	req = nlreq_link_move(buf, sizeof(buf), link.ifindex, pid, in);
	if (!req || nl_talk(host, req, NULL, NULL) < 0)
		return fail(e, host, "netDevices: move", name);
	if (nl_link_query(inside, in, &moved) < 0)
		return fail(e, inside, "netDevices: find in the container", in);
	for (size_t i = 0; i < addrs.n; i++) {
		req = nlreq_addr_add(buf, sizeof(buf), moved.ifindex, &addrs.a[i]);
		if (!req || (nl_talk(inside, req, NULL, NULL) < 0 && errno != EEXIST))
			return fail(e, inside, "netDevices: address of", in);
	}
	req = nlreq_link_up(buf, sizeof(buf), moved.ifindex);
	if (!req || nl_talk(inside, req, NULL, NULL) < 0)
		return fail(e, inside, "netDevices: bring up", in);
	return 0;
}

int net_move_devices(char **devices, pid_t pid, struct rp_err *e)
{
	struct nl host, inside;
	int r = 0;

	if (!devices || !devices[0])
		return 0;
	if (nl_open(&host) < 0)
		return rp_fail(e, errno, "net", "netlink socket");
	if (open_inside(pid, &inside, e) < 0) {
		nl_close(&host);
		return -1;
	}
	for (size_t i = 0; devices[i] && r == 0; i++)
		r = move_one(&host, &inside, devices[i], pid, e);
	nl_close(&inside);
	nl_close(&host);
	return r;
}
