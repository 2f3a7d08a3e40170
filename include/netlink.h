/* netlink.h - rtnetlink requests (libmnl), built apart from the I/O.
 *
 * Each nlreq_* function writes one complete request into `buf` (of
 * `len` bytes; NL_REQ_SIZE is always enough) and returns its header, or
 * NULL when it does not fit. Every request carries NLM_F_REQUEST and
 * NLM_F_ACK, objects created get NLM_F_CREATE|NLM_F_EXCL (never replace
 * what exists); nl_talk() sets the sequence number. The unit tests check
 * these layouts byte for byte without a socket.
 */
#ifndef RAMPART_NETLINK_H
#define RAMPART_NETLINK_H

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <sys/types.h>

#include "net.h"

#define NL_REQ_SIZE 1024

/* RTM_GETLINK of one interface by name (stats left out of the reply). */
struct nlmsghdr *nlreq_link_get(void *buf, size_t len, const char *name);
/* RTM_NEWLINK on an existing interface: IFF_UP. */
struct nlmsghdr *nlreq_link_up(void *buf, size_t len, int ifindex);
/* RTM_NEWLINK on an existing interface: into pid's netns
 * (IFLA_NET_NS_PID), renamed to `name` there. */
struct nlmsghdr *nlreq_link_move(void *buf, size_t len, int ifindex, pid_t pid, const char *name);
/* RTM_GETADDR dump of every address. */
struct nlmsghdr *nlreq_addr_dump(void *buf, size_t len);
/* RTM_DELLINK by index, or by name when ifindex is 0. */
struct nlmsghdr *nlreq_link_del(void *buf, size_t len, int ifindex, const char *name);

struct veth_req {
	const char *host;   /* host end's name */
	int master;         /* bridge ifindex the host end joins (IFLA_MASTER) */
	unsigned mtu;       /* both ends */
	const char *peer;   /* the peer's final name, inside */
	pid_t peer_pid;     /* the peer is created in this process's netns */
};
/* RTM_NEWLINK kind veth: the host end up, on the bridge; the peer
 * (VETH_INFO_PEER) named and placed in peer_pid's netns (IFLA_NET_NS_PID). */
struct nlmsghdr *nlreq_veth_add(void *buf, size_t len, const struct veth_req *r);

/* RTM_NEWADDR: IFA_LOCAL and IFA_ADDRESS; IPv6 gets IFA_F_NODAD (usable at
 * once, no duplicate detection), in ifa_flags and IFA_FLAGS. */
struct nlmsghdr *nlreq_addr_add(void *buf, size_t len, int ifindex, const struct net_addr *a);

/* RTM_NEWROUTE: default route (dst_len 0) of gw's family via gw, out of
 * ifindex, main table, proto boot, scope universe, unicast. */
struct nlmsghdr *nlreq_route_default(void *buf, size_t len, int ifindex, const struct net_addr *gw);

/* What nlreq_link_get's answer says. */
struct nl_link {
	int ifindex;
	unsigned mtu;
	char name[IFNAMSIZ];
	char kind[32];      /* IFLA_INFO_KIND ("bridge", "veth"), "" when none */
};
/* Parse an RTM_NEWLINK message. Returns 0, or -1 (errno EPROTO) when it is
 * not a well-formed one. */
int nlparse_link(const struct nlmsghdr *nlh, struct nl_link *out);

/* Parse an RTM_NEWADDR message (IPv4/IPv6): its interface and address
 * with prefix. -1 (errno EPROTO) for anything else. */
int nlparse_addr(const struct nlmsghdr *nlh, int *ifindex, struct net_addr *out);

/* ---- I/O ------------------------------------------------------------- */

struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	unsigned seq;
	char ext[160];      /* the kernel's extended-ACK message for the last
			     * error ("" when it gave none) */
};

/* An rtnetlink socket in the caller's current netns (SOCK_CLOEXEC,
 * extended ACKs asked for). -1 with errno. */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/* Send `req`, hand every reply other than the ACK to `cb` (may be NULL),
 * wait for the ACK. 0, or -1 with errno set to the kernel's error (and
 * nl->ext to its message, if any). */
int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data);

/* nlreq_link_get + nlparse_link. -1 with errno (ENODEV: no such link). */
int nl_link_query(struct nl *nl, const char *name, struct nl_link *out);

#endif
