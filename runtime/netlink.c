/* netlink.c - rtnetlink request builders and one request/ACK exchange.
 *
 * Builders touch nothing but the buffer (see netlink.h); the policy of
 * what to create, when, and how to undo it lives in net.c.
 */
#include "netlink.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* ---- builders ----------------------------------------------------------- */

static struct nlmsghdr *put_header(void *buf, size_t len, uint16_t type, uint16_t flags,
				   size_t extra, void **payload)
{
	struct nlmsghdr *nlh;

	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(extra))
		return NULL;
	/* libmnl 1.0.4 leaves an attribute's alignment padding as it finds
	 * it; no stack garbage goes to the kernel. */
	memset(buf, 0, len);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	*payload = mnl_nlmsg_put_extra_header(nlh, extra);
	return nlh;
}

static size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

struct nlmsghdr *nlreq_link_get(void *buf, size_t len, const char *name)
{
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = put_header(buf, len, RTM_GETLINK, 0, sizeof(*ifm), (void **)&ifm);

	if (!nlh)
		return NULL;
	ifm->ifi_family = AF_UNSPEC;
	if (!mnl_attr_put_strz_check(nlh, len, IFLA_IFNAME, name) ||
	    !mnl_attr_put_u32_check(nlh, len, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS))
		return NULL;
	return nlh;
}

struct nlmsghdr *nlreq_link_up(void *buf, size_t len, int ifindex)
{
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = put_header(buf, len, RTM_NEWLINK, 0, sizeof(*ifm), (void **)&ifm);

	if (!nlh)
		return NULL;
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	return nlh;
}

struct nlmsghdr *nlreq_link_move(void *buf, size_t len, int ifindex, pid_t pid, const char *name)
{
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = put_header(buf, len, RTM_NEWLINK, 0, sizeof(*ifm), (void **)&ifm);

	if (!nlh)
		return NULL;
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (!mnl_attr_put_u32_check(nlh, len, IFLA_NET_NS_PID, (uint32_t)pid) ||
	    !mnl_attr_put_strz_check(nlh, len, IFLA_IFNAME, name))
		return NULL;
	return nlh;
}

struct nlmsghdr *nlreq_addr_dump(void *buf, size_t len)
{
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh = put_header(buf, len, RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa), (void **)&ifa);

	if (!nlh)
		return NULL;
	ifa->ifa_family = AF_UNSPEC;
	return nlh;
}

struct nlmsghdr *nlreq_link_del(void *buf, size_t len, int ifindex, const char *name)
{
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh = put_header(buf, len, RTM_DELLINK, 0, sizeof(*ifm), (void **)&ifm);

	if (!nlh)
		return NULL;
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (!ifindex && !mnl_attr_put_strz_check(nlh, len, IFLA_IFNAME, name))
		return NULL;
	return nlh;
}

struct nlmsghdr *nlreq_veth_add(void *buf, size_t len, const struct veth_req *r)
{
	struct ifinfomsg *ifm, *peer_ifm;
	struct nlmsghdr *nlh = put_header(buf, len, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
					  sizeof(*ifm), (void **)&ifm);
	struct nlattr *info, *data, *peer;

	if (!nlh)
		return NULL;
	/* The host end: named, on the bridge, up, all in this one request,
	 * so the kernel undoes the whole pair if any part fails. */
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	if (!mnl_attr_put_strz_check(nlh, len, IFLA_IFNAME, r->host) ||
	    (r->mtu && !mnl_attr_put_u32_check(nlh, len, IFLA_MTU, r->mtu)) ||
	    (r->master && !mnl_attr_put_u32_check(nlh, len, IFLA_MASTER, (uint32_t)r->master)))
		return NULL;
	if (!(info = mnl_attr_nest_start_check(nlh, len, IFLA_LINKINFO)) ||
	    !mnl_attr_put_strz_check(nlh, len, IFLA_INFO_KIND, "veth") ||
	    !(data = mnl_attr_nest_start_check(nlh, len, IFLA_INFO_DATA)) ||
	    !(peer = mnl_attr_nest_start_check(nlh, len, VETH_INFO_PEER)))
		return NULL;
	/* VETH_INFO_PEER holds a struct ifinfomsg, then the peer's own
	 * attributes. The peer is born in the container's netns under its
	 * final name: it never exists in the host's. */
	if (nlh->nlmsg_len + MNL_ALIGN(sizeof(*peer_ifm)) > len)
		return NULL;
	peer_ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*peer_ifm));
	peer_ifm->ifi_family = AF_UNSPEC;
	if (!mnl_attr_put_strz_check(nlh, len, IFLA_IFNAME, r->peer) ||
	    (r->mtu && !mnl_attr_put_u32_check(nlh, len, IFLA_MTU, r->mtu)) ||
	    !mnl_attr_put_u32_check(nlh, len, IFLA_NET_NS_PID, (uint32_t)r->peer_pid))
		return NULL;
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

struct nlmsghdr *nlreq_addr_add(void *buf, size_t len, int ifindex, const struct net_addr *a)
{
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh = put_header(buf, len, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
					  sizeof(*ifa), (void **)&ifa);
	bool v6 = a->family == AF_INET6;

	if (!nlh)
		return NULL;
	ifa->ifa_family = (unsigned char)a->family;
	ifa->ifa_prefixlen = (unsigned char)a->prefix;
	ifa->ifa_flags = v6 ? IFA_F_NODAD : 0;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)ifindex;
	if (!mnl_attr_put_check(nlh, len, IFA_LOCAL, addr_len(a->family), a->bytes) ||
	    !mnl_attr_put_check(nlh, len, IFA_ADDRESS, addr_len(a->family), a->bytes) ||
	    (v6 && !mnl_attr_put_u32_check(nlh, len, IFA_FLAGS, IFA_F_NODAD)))
		return NULL;
	return nlh;
}

struct nlmsghdr *nlreq_route_default(void *buf, size_t len, int ifindex, const struct net_addr *gw)
{
	struct rtmsg *rtm;
	struct nlmsghdr *nlh = put_header(buf, len, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
					  sizeof(*rtm), (void **)&rtm);

	if (!nlh)
		return NULL;
	rtm->rtm_family = (unsigned char)gw->family;
	rtm->rtm_dst_len = 0;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	if (!mnl_attr_put_check(nlh, len, RTA_GATEWAY, addr_len(gw->family), gw->bytes) ||
	    !mnl_attr_put_u32_check(nlh, len, RTA_OIF, (uint32_t)ifindex))
		return NULL;
	return nlh;
}

/* ---- parsing ------------------------------------------------------------ */

struct attrs {
	const struct nlattr **tb;
	int max;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	int type = mnl_attr_get_type(attr);

	/* Newer kernels send attributes we do not know: skip them. */
	if (type > a->max)
		return MNL_CB_OK;
	a->tb[type] = attr;
	return MNL_CB_OK;
}

int nlparse_link(const struct nlmsghdr *nlh, struct nl_link *out)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	const struct nlattr *info[IFLA_INFO_MAX + 1] = { 0 };
	struct attrs a = { tb, IFLA_MAX }, ai = { info, IFLA_INFO_MAX };
	const struct ifinfomsg *ifm;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		goto bad;
	ifm = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*ifm), attr_cb, &a) < 0)
		goto bad;
	out->ifindex = ifm->ifi_index;
	if (tb[IFLA_MTU]) {
		if (mnl_attr_validate(tb[IFLA_MTU], MNL_TYPE_U32) < 0)
			goto bad;
		out->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	}
	if (tb[IFLA_IFNAME]) {
		if (mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) < 0 ||
		    strlen(mnl_attr_get_str(tb[IFLA_IFNAME])) >= sizeof(out->name))
			goto bad;
		strcpy(out->name, mnl_attr_get_str(tb[IFLA_IFNAME]));
	}
	if (tb[IFLA_LINKINFO]) {
		if (mnl_attr_validate(tb[IFLA_LINKINFO], MNL_TYPE_NESTED) < 0 ||
		    mnl_attr_parse_nested(tb[IFLA_LINKINFO], attr_cb, &ai) < 0)
			goto bad;
		if (info[IFLA_INFO_KIND]) {
			const char *kind;

			if (mnl_attr_validate(info[IFLA_INFO_KIND], MNL_TYPE_NUL_STRING) < 0)
				goto bad;
			kind = mnl_attr_get_str(info[IFLA_INFO_KIND]);
			if (strlen(kind) >= sizeof(out->kind))
				goto bad;
			strcpy(out->kind, kind);
		}
	}
	return 0;
bad:
	errno = EPROTO;
	return -1;
}

/* ---- I/O ---------------------------------------------------------------- */

int nl_open(struct nl *nl)
{
	int on = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock)
		return -1;
	/* The kernel's reason in words ("Nexthop has invalid gateway"), and
	 * ACKs without a copy of the request. Both are optional (4.12, 4.2). */
	if ((mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &on, sizeof(on)) < 0 &&
	     errno != ENOPROTOOPT) ||
	    (mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &on, sizeof(on)) < 0 &&
	     errno != ENOPROTOOPT) ||
	    mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		errno = err;
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned)time(NULL);
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	const char **msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/* The NLMSGERR_ATTR_MSG of an error reply, if the kernel sent one. */
static void extack(const struct nlmsghdr *nlh, char *out, size_t outlen)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh), off = sizeof(*err);
	const char *msg = NULL;

	out[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return;
		off += MNL_ALIGN(err->msg.nlmsg_len - sizeof(struct nlmsghdr));
	}
	if (off >= len ||
	    mnl_attr_parse_payload((const char *)err + off, len - off, extack_cb, &msg) < 0 || !msg)
		return;
	snprintf(out, outlen, "%s", msg);
}

int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	char buf[32768]; /* a dump-sized buffer: a link reply can be a few KiB */
	ssize_t n;

	nl->ext[0] = '\0';
	req->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -1;
	for (;;) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int left;

		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EPROTO;
			return -1;
		}
		for (left = (int)n; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			/* Only answers to this request (a stale reply to an
			 * earlier one that timed out must not count). */
			if (nlh->nlmsg_seq != req->nlmsg_seq || nlh->nlmsg_pid != nl->portid)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

				if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
					errno = EPROTO;
					return -1;
				}
				if (err->error == 0)
					return 0;
				extack(nlh, nl->ext, sizeof(nl->ext));
				errno = -err->error;
				return -1;
			}
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
				continue;
			if (cb && cb(nlh, data) == MNL_CB_ERROR)
				return -1;
		}
	}
}

struct link_query {
	struct nl_link *out;
	bool found;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_query *q = data;

	if (nlparse_link(nlh, q->out) < 0)
		return MNL_CB_ERROR;
	q->found = true;
	return MNL_CB_OK;
}

int nlparse_addr(const struct nlmsghdr *nlh, int *ifindex, struct net_addr *out)
{
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	struct attrs a = { tb, IFA_MAX };
	const struct ifaddrmsg *ifa;
	const struct nlattr *at;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		goto bad;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		goto bad;
	if (mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, &a) < 0)
		goto bad;
	/* IFA_LOCAL is the address itself on point-to-point links too. */
	at = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!at || mnl_attr_get_payload_len(at) != addr_len(ifa->ifa_family))
		goto bad;
	out->family = ifa->ifa_family;
	memcpy(out->bytes, mnl_attr_get_payload(at), addr_len(ifa->ifa_family));
	out->prefix = ifa->ifa_prefixlen;
	*ifindex = (int)ifa->ifa_index;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}

int nl_link_query(struct nl *nl, const char *name, struct nl_link *out)
{
	char buf[NL_REQ_SIZE];
	struct link_query q = { out, false };
	struct nlmsghdr *req = nlreq_link_get(buf, sizeof(buf), name);

	if (!req) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (nl_talk(nl, req, link_cb, &q) < 0)
		return -1;
	if (!q.found) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}
