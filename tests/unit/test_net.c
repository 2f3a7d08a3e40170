/* test_net.c - the `net` line (net.c) and the rtnetlink requests it sends
 * (netlink.c).
 *
 * The requests are built into a buffer and taken apart here attribute by
 * attribute: type, length, payload and order, nested ones included. No
 * socket is opened for those. The validation tests read the host's links
 * over rtnetlink (a GETLINK, nothing is changed) and namespace files under
 * /proc/self/ns.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>

#include "net.h"
#include "netlink.h"

/* ---- helpers ---------------------------------------------------------- */

/* The attributes of a message (after `hdrlen` bytes of family header) or
 * of a nest, in order. */
struct attr_list {
	const struct nlattr *a[32];
	int n;
};

static void list_attrs(const void *payload, size_t len, struct attr_list *l)
{
	const struct nlattr *attr;

	l->n = 0;
	mnl_attr_for_each_payload(payload, len) {
		assert_true(l->n < 32);
		assert_true(mnl_attr_get_len(attr) >= sizeof(struct nlattr));
		l->a[l->n++] = attr;
	}
}

static void msg_attrs(const struct nlmsghdr *nlh, size_t hdrlen, struct attr_list *l)
{
	assert_true(mnl_nlmsg_get_payload_len(nlh) >= hdrlen);
	list_attrs((const char *)mnl_nlmsg_get_payload(nlh) + MNL_ALIGN(hdrlen),
		   mnl_nlmsg_get_payload_len(nlh) - MNL_ALIGN(hdrlen), l);
}

static void assert_attr_str(const struct nlattr *a, int type, const char *want)
{
	assert_int_equal(mnl_attr_get_type(a), type);
	assert_int_equal(mnl_attr_get_payload_len(a), strlen(want) + 1); /* NUL included */
	assert_memory_equal(mnl_attr_get_payload(a), want, strlen(want) + 1);
}

static void assert_attr_u32(const struct nlattr *a, int type, uint32_t want)
{
	assert_int_equal(mnl_attr_get_type(a), type);
	assert_int_equal(mnl_attr_get_payload_len(a), 4);
	assert_int_equal(mnl_attr_get_u32(a), want);
}

static void assert_attr_bytes(const struct nlattr *a, int type, const void *want, size_t len)
{
	assert_int_equal(mnl_attr_get_type(a), type);
	assert_int_equal(mnl_attr_get_payload_len(a), len);
	assert_memory_equal(mnl_attr_get_payload(a), want, len);
}

/* The message is exactly header + family header + attributes: nothing
 * trails, nothing is cut. */
static void assert_msg(const struct nlmsghdr *nlh, uint16_t type, uint16_t flags)
{
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, type);
	assert_int_equal(nlh->nlmsg_flags, flags);
	assert_int_equal(nlh->nlmsg_len % 4, 0);
	assert_int_equal(nlh->nlmsg_seq, 0); /* set by nl_talk */
	assert_int_equal(nlh->nlmsg_pid, 0);
}

static struct net_addr addr(const char *s)
{
	struct net_addr a;

	if (net_parse_addr(s, strchr(s, '/') != NULL, &a) < 0)
		fail_msg("parse %s", s);
	return a;
}

#define REQ (NLM_F_REQUEST | NLM_F_ACK)
#define NEW (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)

/* ---- request layouts ---------------------------------------------------- */

static void test_req_link_up(void **state)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh = nlreq_link_up(buf, sizeof(buf), 7);
	const struct ifinfomsg *ifm;
	struct attr_list l;

	(void)state;
	assert_msg(nlh, RTM_NEWLINK, REQ);
	assert_int_equal(nlh->nlmsg_len, NLMSG_LENGTH(sizeof(*ifm)));
	ifm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifm->ifi_family, AF_UNSPEC);
	assert_int_equal(ifm->ifi_index, 7);
	assert_int_equal(ifm->ifi_flags, IFF_UP);
	assert_int_equal(ifm->ifi_change, IFF_UP);
	assert_int_equal(ifm->ifi_type, 0);
	msg_attrs(nlh, sizeof(*ifm), &l);
	assert_int_equal(l.n, 0);
}

static void test_req_link_get_and_del(void **state)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh = nlreq_link_get(buf, sizeof(buf), "br-rt");
	const struct ifinfomsg *ifm;
	struct attr_list l;

	(void)state;
	assert_msg(nlh, RTM_GETLINK, REQ); /* no NLM_F_DUMP: one link */
	ifm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifm->ifi_index, 0);
	assert_int_equal(ifm->ifi_change, 0);
	msg_attrs(nlh, sizeof(*ifm), &l);
	assert_int_equal(l.n, 2);
	assert_attr_str(l.a[0], IFLA_IFNAME, "br-rt");
	assert_attr_u32(l.a[1], IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	/* "br-rt\0" is 6 bytes, padded to 8: 16 + 16 + 12 + 8. */
	assert_int_equal(nlh->nlmsg_len, 16 + 16 + (4 + 8) + (4 + 4));

	nlh = nlreq_link_del(buf, sizeof(buf), 42, NULL);
	assert_msg(nlh, RTM_DELLINK, REQ);
	ifm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifm->ifi_index, 42);
	msg_attrs(nlh, sizeof(*ifm), &l);
	assert_int_equal(l.n, 0);

	nlh = nlreq_link_del(buf, sizeof(buf), 0, "rp123h");
	assert_msg(nlh, RTM_DELLINK, REQ);
	ifm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifm->ifi_index, 0);
	msg_attrs(nlh, sizeof(*ifm), &l);
	assert_int_equal(l.n, 1);
	assert_attr_str(l.a[0], IFLA_IFNAME, "rp123h");
}

static void test_req_veth(void **state)
{
	char buf[NL_REQ_SIZE];
	struct veth_req r = { .host = "rp4242h", .master = 3, .mtu = 1400, .peer = "eth0",
			      .peer_pid = 4243 };
	struct nlmsghdr *nlh = nlreq_veth_add(buf, sizeof(buf), &r);
	const struct ifinfomsg *ifm, *peer_ifm;
	struct attr_list l, info, data, peer;
	const char *p;

	(void)state;
	assert_msg(nlh, RTM_NEWLINK, NEW);
	ifm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifm->ifi_family, AF_UNSPEC);
	assert_int_equal(ifm->ifi_index, 0);
	assert_int_equal(ifm->ifi_flags, IFF_UP);
	assert_int_equal(ifm->ifi_change, IFF_UP);

	msg_attrs(nlh, sizeof(*ifm), &l);
	assert_int_equal(l.n, 4);
	assert_attr_str(l.a[0], IFLA_IFNAME, "rp4242h");
	assert_attr_u32(l.a[1], IFLA_MTU, 1400);
	assert_attr_u32(l.a[2], IFLA_MASTER, 3);
	assert_int_equal(mnl_attr_get_type(l.a[3]), IFLA_LINKINFO);
	/* The last attribute ends exactly at the end of the message. */
	assert_ptr_equal((const char *)l.a[3] + MNL_ALIGN(mnl_attr_get_len(l.a[3])),
			 (const char *)nlh + nlh->nlmsg_len);

	list_attrs(mnl_attr_get_payload(l.a[3]), mnl_attr_get_payload_len(l.a[3]), &info);
	assert_int_equal(info.n, 2);
	assert_attr_str(info.a[0], IFLA_INFO_KIND, "veth");
	assert_int_equal(mnl_attr_get_type(info.a[1]), IFLA_INFO_DATA);

	list_attrs(mnl_attr_get_payload(info.a[1]), mnl_attr_get_payload_len(info.a[1]), &data);
	assert_int_equal(data.n, 1);
	assert_int_equal(mnl_attr_get_type(data.a[0]), VETH_INFO_PEER);

	/* VETH_INFO_PEER: a struct ifinfomsg, then the peer's attributes. */
	p = mnl_attr_get_payload(data.a[0]);
	assert_true(mnl_attr_get_payload_len(data.a[0]) > sizeof(*peer_ifm));
	peer_ifm = (const struct ifinfomsg *)p;
	assert_int_equal(peer_ifm->ifi_family, AF_UNSPEC);
	assert_int_equal(peer_ifm->ifi_index, 0);
	assert_int_equal(peer_ifm->ifi_flags, 0);
	assert_int_equal(peer_ifm->ifi_change, 0);
	list_attrs(p + MNL_ALIGN(sizeof(*peer_ifm)),
		   mnl_attr_get_payload_len(data.a[0]) - MNL_ALIGN(sizeof(*peer_ifm)), &peer);
	assert_int_equal(peer.n, 3);
	assert_attr_str(peer.a[0], IFLA_IFNAME, "eth0");
	assert_attr_u32(peer.a[1], IFLA_MTU, 1400);
	assert_attr_u32(peer.a[2], IFLA_NET_NS_PID, 4243);
}

static void test_req_veth_without_mtu_or_master(void **state)
{
	char buf[NL_REQ_SIZE];
	struct veth_req r = { .host = "rp1h", .peer = "net0", .peer_pid = 2 };
	struct nlmsghdr *nlh = nlreq_veth_add(buf, sizeof(buf), &r);
	struct attr_list l;

	(void)state;
	assert_msg(nlh, RTM_NEWLINK, NEW);
	msg_attrs(nlh, sizeof(struct ifinfomsg), &l);
	assert_int_equal(l.n, 2);
	assert_attr_str(l.a[0], IFLA_IFNAME, "rp1h");
	assert_int_equal(mnl_attr_get_type(l.a[1]), IFLA_LINKINFO);
}

static void test_req_addr(void **state)
{
	char buf[NL_REQ_SIZE];
	struct net_addr a4 = addr("10.213.0.2/24"), a6 = addr("fd00:213::2/64");
	unsigned char b4[4] = { 10, 213, 0, 2 }, b6[16];
	struct nlmsghdr *nlh;
	const struct ifaddrmsg *ifa;
	struct attr_list l;

	(void)state;
	nlh = nlreq_addr_add(buf, sizeof(buf), 2, &a4);
	assert_msg(nlh, RTM_NEWADDR, NEW);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET);
	assert_int_equal(ifa->ifa_prefixlen, 24);
	assert_int_equal(ifa->ifa_flags, 0);
	assert_int_equal(ifa->ifa_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(ifa->ifa_index, 2);
	msg_attrs(nlh, sizeof(*ifa), &l);
	assert_int_equal(l.n, 2);
	assert_attr_bytes(l.a[0], IFA_LOCAL, b4, 4);
	assert_attr_bytes(l.a[1], IFA_ADDRESS, b4, 4);
	assert_int_equal(nlh->nlmsg_len, 16 + 8 + 8 + 8);

	assert_int_equal(inet_pton(AF_INET6, "fd00:213::2", b6), 1);
	nlh = nlreq_addr_add(buf, sizeof(buf), 5, &a6);
	assert_msg(nlh, RTM_NEWADDR, NEW);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET6);
	assert_int_equal(ifa->ifa_prefixlen, 64);
	assert_int_equal(ifa->ifa_flags, IFA_F_NODAD);
	assert_int_equal(ifa->ifa_index, 5);
	msg_attrs(nlh, sizeof(*ifa), &l);
	assert_int_equal(l.n, 3);
	assert_attr_bytes(l.a[0], IFA_LOCAL, b6, 16);
	assert_attr_bytes(l.a[1], IFA_ADDRESS, b6, 16);
	assert_attr_u32(l.a[2], IFA_FLAGS, IFA_F_NODAD);
}

static void test_req_route(void **state)
{
	char buf[NL_REQ_SIZE];
	struct net_addr g4 = addr("10.213.0.1"), g6 = addr("fd00:213::1");
	unsigned char b4[4] = { 10, 213, 0, 1 }, b6[16];
	struct nlmsghdr *nlh;
	const struct rtmsg *rtm;
	struct attr_list l;

	(void)state;
	nlh = nlreq_route_default(buf, sizeof(buf), 2, &g4);
	assert_msg(nlh, RTM_NEWROUTE, NEW);
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_family, AF_INET);
	assert_int_equal(rtm->rtm_dst_len, 0);
	assert_int_equal(rtm->rtm_src_len, 0);
	assert_int_equal(rtm->rtm_tos, 0);
	assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
	assert_int_equal(rtm->rtm_protocol, RTPROT_BOOT);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(rtm->rtm_type, RTN_UNICAST);
	assert_int_equal(rtm->rtm_flags, 0);
	msg_attrs(nlh, sizeof(*rtm), &l);
	assert_int_equal(l.n, 2);
	assert_attr_bytes(l.a[0], RTA_GATEWAY, b4, 4);
	assert_attr_u32(l.a[1], RTA_OIF, 2);

	assert_int_equal(inet_pton(AF_INET6, "fd00:213::1", b6), 1);
	nlh = nlreq_route_default(buf, sizeof(buf), 9, &g6);
	assert_msg(nlh, RTM_NEWROUTE, NEW);
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_family, AF_INET6);
	assert_int_equal(rtm->rtm_dst_len, 0);
	msg_attrs(nlh, sizeof(*rtm), &l);
	assert_int_equal(l.n, 2);
	assert_attr_bytes(l.a[0], RTA_GATEWAY, b6, 16);
	assert_attr_u32(l.a[1], RTA_OIF, 9);
}

static void test_req_link_move_and_addr_dump(void **state)
{
	char buf[NL_REQ_SIZE];
	struct nlmsghdr *nlh = nlreq_link_move(buf, sizeof(buf), 9, 4242, "ctr0");
	const struct ifinfomsg *ifm;
	const struct ifaddrmsg *ifa;
	struct attr_list l;

	(void)state;
	assert_msg(nlh, RTM_NEWLINK, REQ); /* an existing link: no CREATE */
	ifm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifm->ifi_index, 9);
	assert_int_equal(ifm->ifi_change, 0);
	msg_attrs(nlh, sizeof(*ifm), &l);
	assert_int_equal(l.n, 2);
	assert_attr_u32(l.a[0], IFLA_NET_NS_PID, 4242);
	assert_attr_str(l.a[1], IFLA_IFNAME, "ctr0");
	assert_int_equal(nlh->nlmsg_len, 16 + 16 + 8 + (4 + 8));

	nlh = nlreq_addr_dump(buf, sizeof(buf));
	assert_msg(nlh, RTM_GETADDR, REQ | NLM_F_DUMP);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_UNSPEC);
	assert_int_equal(nlh->nlmsg_len, NLMSG_LENGTH(sizeof(*ifa)));
}

/* An RTM_NEWADDR as the kernel sends it reads back; other messages and
 * families do not. */
static void test_parse_addr_message(void **state)
{
	char buf[NL_REQ_SIZE];
	struct net_addr a6 = addr("fd00:213::2/64"), got;
	struct nlmsghdr *nlh = nlreq_addr_add(buf, sizeof(buf), 5, &a6);
	int ifindex = 0;

	(void)state;
	assert_int_equal(nlparse_addr(nlh, &ifindex, &got), 0);
	assert_int_equal(ifindex, 5);
	assert_int_equal(got.family, AF_INET6);
	assert_int_equal(got.prefix, 64);
	assert_memory_equal(got.bytes, a6.bytes, 16);
	nlh = nlreq_link_up(buf, sizeof(buf), 7);
	assert_int_equal(nlparse_addr(nlh, &ifindex, &got), -1);
	assert_int_equal(errno, EPROTO);
}

static void test_req_too_small(void **state)
{
	char buf[NL_REQ_SIZE];
	struct veth_req r = { .host = "rp4242h", .master = 3, .mtu = 1400, .peer = "eth0",
			      .peer_pid = 4243 };
	struct net_addr a6 = addr("fd00:213::2/64");

	(void)state;
	assert_null(nlreq_link_up(buf, 16, 1));
	assert_null(nlreq_link_get(buf, 40, "br-rt"));
	assert_null(nlreq_veth_add(buf, 64, &r));
	assert_null(nlreq_veth_add(buf, 100, &r));   /* fails inside the nests */
	assert_null(nlreq_addr_add(buf, 48, 1, &a6));
	/* And the smallest buffer that fits is enough. */
	assert_non_null(nlreq_veth_add(buf, sizeof(buf), &r));
	{
		size_t need = ((struct nlmsghdr *)buf)->nlmsg_len;
		assert_non_null(nlreq_veth_add(buf, need, &r));
		assert_null(nlreq_veth_add(buf, need - 1, &r));
	}
}

/* ---- parsing a link ------------------------------------------------------ */

static struct nlmsghdr *fake_link(char *buf, int index, const char *name, uint32_t mtu,
				  const char *kind)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = index;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	mnl_attr_put_u32(nlh, IFLA_MAX + 5, 0xdead); /* from a newer kernel: skipped */
	if (kind) {
		struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
		mnl_attr_nest_end(nlh, info);
	}
	return nlh;
}

static void test_parse_link(void **state)
{
	char buf[NL_REQ_SIZE];
	struct nl_link l;
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(nlparse_link(fake_link(buf, 3, "br-rt", 1450, "bridge"), &l), 0);
	assert_int_equal(l.ifindex, 3);
	assert_int_equal(l.mtu, 1450);
	assert_string_equal(l.name, "br-rt");
	assert_string_equal(l.kind, "bridge");

	assert_int_equal(nlparse_link(fake_link(buf, 1, "lo", 65536, NULL), &l), 0);
	assert_string_equal(l.kind, "");

	/* Not a link message; cut short; a name that is not a string. */
	nlh = fake_link(buf, 1, "lo", 65536, NULL);
	nlh->nlmsg_type = RTM_NEWADDR;
	errno = 0;
	assert_int_equal(nlparse_link(nlh, &l), -1);
	assert_int_equal(errno, EPROTO);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(nlparse_link(nlh, &l), -1);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put(nlh, IFLA_IFNAME, 3, "abc"); /* no NUL */
	assert_int_equal(nlparse_link(nlh, &l), -1);
}

/* ---- addresses and names ------------------------------------------------- */

static void test_parse_addr(void **state)
{
	struct net_addr a;
	char s[64];

	(void)state;
	assert_int_equal(net_parse_addr("10.213.0.2/24", true, &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.prefix, 24);
	net_format_addr(&a, true, s, sizeof(s));
	assert_string_equal(s, "10.213.0.2/24");
	assert_int_equal(net_parse_addr("FD00:213:0::2/64", true, &a), 0);
	assert_int_equal(a.family, AF_INET6);
	net_format_addr(&a, true, s, sizeof(s));
	assert_string_equal(s, "fd00:213::2/64"); /* canonical form */
	assert_int_equal(net_parse_addr("fe80::1", false, &a), 0);
	assert_int_equal(a.prefix, 128);

	static const char *const bad[] = {
		"10.213.0.2", "10.213.0.2/", "10.213.0.2/0", "10.213.0.2/33", "10.213.0.2/024",
		"10.213.0.2/+8", "10.213.0.2/ 8", "10.213.0.2/8/8", "10.213.0.256/24", "10.213.0/24",
		"010.213.0.2/24", "fd00::2/129", "fd00::2/1280", "fd00:::2/64", "/24", "",
		"10.213.0.2/24x", "0x0a.0.0.1/8",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		if (net_parse_addr(bad[i], true, &a) == 0)
			fail_msg("'%s' parsed", bad[i]);
		assert_int_equal(errno, EINVAL);
	}
	assert_int_equal(net_parse_addr("10.213.0.1/24", false, &a), -1);
}

static void test_subnet_and_ifname(void **state)
{
	struct net_addr n = addr("10.213.0.2/23"), n6 = addr("fd00:213::2/63");

	(void)state;
	assert_true(net_addr_in_subnet(&(struct net_addr){ 0 }, &(struct net_addr){ 0 }));
	{
		struct net_addr x = addr("10.213.1.254");
		assert_true(net_addr_in_subnet(&x, &n));
		x = addr("10.213.2.1");
		assert_false(net_addr_in_subnet(&x, &n));
		x = addr("fd00:213:0:1::9");
		assert_true(net_addr_in_subnet(&x, &n6));
		x = addr("fd00:213:0:2::9");
		assert_false(net_addr_in_subnet(&x, &n6));
		assert_false(net_addr_in_subnet(&x, &n)); /* another family */
	}
	assert_true(net_ifname_ok("eth0"));
	assert_true(net_ifname_ok("br-rt_1.2"));
	assert_true(net_ifname_ok("abcdefghijklmno"));   /* 15 */
	assert_false(net_ifname_ok("abcdefghijklmnop")); /* 16 */
	assert_false(net_ifname_ok(""));
	assert_false(net_ifname_ok("."));
	assert_false(net_ifname_ok(".."));
	assert_false(net_ifname_ok("a/b"));
	assert_false(net_ifname_ok("a b"));
	assert_false(net_ifname_ok("a:1"));
}

/* ---- the profile line ---------------------------------------------------- */

static void test_directive_modes(void **state)
{
	struct unit *u = *state;

	assert_int_equal(u->s.net.mode, NET_NONE);
	assert_true(u->s.ns[NS_NET].unshare);
	assert_string_equal(u->s.net.ifname, "eth0");

	assert_load_ok(u, "net host\n");
	assert_int_equal(u->s.net.mode, NET_HOST);
	assert_false(u->s.ns[NS_NET].unshare);
	assert_string_equal(u->s.ns[NS_NET].origin.file, "t.profile");

	assert_load_ok(u, "net join /run/netns/x\n");
	assert_int_equal(u->s.net.mode, NET_JOIN);
	assert_string_equal(u->s.net.join, "/run/netns/x");
	assert_true(u->s.ns[NS_NET].unshare);

	assert_load_ok(u, "\n\nnet veth br-rt 10.213.0.2/24 gw 10.213.0.1 addr fd00:213::2/64 gw fe80::1 mtu 1400 name net0 addr 10.213.0.3/24\n");
	assert_int_equal(u->s.net.mode, NET_VETH);
	assert_null(u->s.net.join); /* a new line replaces the whole setting */
	assert_string_equal(u->s.net.bridge, "br-rt");
	assert_int_equal(u->s.net.naddrs, 3);
	assert_int_equal(u->s.net.addrs[1].family, AF_INET6);
	assert_true(u->s.net.has_gw[0]);
	assert_true(u->s.net.has_gw[1]);
	assert_int_equal(u->s.net.mtu, 1400);
	assert_string_equal(u->s.net.ifname, "net0");
	assert_string_equal(u->s.net.file, "t.profile");
	assert_int_equal(u->s.net.line, 3);

	assert_load_ok(u, "net none\n");
	assert_int_equal(u->s.net.mode, NET_NONE);
	assert_null(u->s.net.bridge);
	assert_int_equal(u->s.net.naddrs, 0);
	assert_string_equal(u->s.net.ifname, "eth0");
	assert_true(u->s.ns[NS_NET].unshare);
}

static void test_directive_errors(void **state)
{
	struct unit *u = *state;
	static const struct { const char *line, *msg; } cases[] = {
		{ "net", "net: missing argument (none, host, veth BRIDGE ADDR/PREFIX ..., join PATH)" },
		{ "net bridge", "net: unknown mode 'bridge' (none, host, veth, join)" },
		{ "net none x", "net none: too many arguments" },
		{ "net host x", "net host: too many arguments" },
		{ "net join", "net join: expected one path (/run/netns/NAME or /proc/PID/ns/net)" },
		{ "net join a b", "net join: expected one path (/run/netns/NAME or /proc/PID/ns/net)" },
		{ "net join run/netns/x", "net join: 'run/netns/x' must be an absolute path" },
		{ "net veth br0", "net veth: expected 'net veth BRIDGE ADDR/PREFIX [addr ADDR/PREFIX]... [gw GATEWAY]... [mtu N] [name IFNAME]'" },
		{ "net veth bridge-name-too-long 10.0.0.2/24", "net veth: 'bridge-name-too-long' is not an interface name (1-15 of A-Z a-z 0-9 _ . -)" },
		{ "net veth br0 10.0.0.2/33", "net veth: bad address '10.0.0.2/33' (ADDR/PREFIX, e.g. 10.213.0.2/24 or fd00:213::2/64)" },
		{ "net veth br0 10.0.0.2/24 addr 10.0.0.2/16", "net veth: address 10.0.0.2/16 given twice" },
		{ "net veth br0 fd00::2/64 addr FD00::2/80", "net veth: address FD00::2/80 given twice" },
		{ "net veth br0 127.0.0.2/8", "net veth: 127.0.0.2/8 is a loopback address" },
		{ "net veth br0 0.0.0.1/8", "net veth: 0.0.0.1/8 is an unspecified (0.0.0.0/8) address" },
		{ "net veth br0 224.0.0.5/24", "net veth: 224.0.0.5/24 is a multicast or reserved address" },
		{ "net veth br0 ::1/128", "net veth: ::1/128 is the loopback address" },
		{ "net veth br0 ::/64", "net veth: ::/64 is the unspecified address" },
		{ "net veth br0 ff02::1/64", "net veth: ff02::1/64 is a multicast address" },
		{ "net veth br0 ::ffff:10.0.0.2/120", "net veth: ::ffff:10.0.0.2/120 is an IPv4-mapped address (give the IPv4 address itself)" },
		{ "net veth br0 10.0.0.0/24", "net veth: 10.0.0.0/24 is the network address of its subnet" },
		{ "net veth br0 10.0.0.255/24", "net veth: 10.0.0.255/24 is the broadcast address of its subnet" },
		{ "net veth br0 10.0.0.2/24 gw", "net veth: gw: missing value" },
		{ "net veth br0 10.0.0.2/24 speed 10", "net veth: unknown option 'speed' (addr gw mtu name)" },
		{ "net veth br0 10.0.0.2/24 gw 10.0.0.1/24", "net veth: bad gateway '10.0.0.1/24' (an address without /PREFIX)" },
		{ "net veth br0 10.0.0.2/24 gw 10.0.0.1 gw 10.0.0.3", "net veth: a second IPv4 gateway (10.0.0.3); give one per address family" },
		{ "net veth br0 10.0.0.2/24 gw 10.0.1.1", "net veth: gateway 10.0.1.1 is in none of the container's IPv4 subnets" },
		{ "net veth br0 10.0.0.2/24 gw 10.0.0.2", "net veth: gateway 10.0.0.2 is the container's own address" },
		{ "net veth br0 10.0.0.2/24 gw 10.0.0.255", "net veth: gateway 10.0.0.255 is the broadcast address of the subnet" },
		{ "net veth br0 10.0.0.2/24 gw fd00::1", "net veth: gateway fd00::1: no IPv6 address to reach it from" },
		{ "net veth br0 10.0.0.2/24 gw 224.0.0.1", "net veth: gateway 224.0.0.1 is a multicast or reserved address" },
		{ "net veth br0 fd00::2/64 gw fd01::1", "net veth: gateway fd01::1 is in none of the container's IPv6 subnets" },
		{ "net veth br0 10.0.0.2/24 mtu 67", "net veth: mtu '67' is not a number from 68 to 65535" },
		{ "net veth br0 10.0.0.2/24 mtu 65536", "net veth: mtu '65536' is not a number from 68 to 65535" },
		{ "net veth br0 10.0.0.2/24 mtu 1k", "net veth: mtu '1k' is not a number from 68 to 65535" },
		{ "net veth br0 fd00::2/64 mtu 1279", "net veth: mtu 1279 is below IPv6's minimum (1280) and the veth has an IPv6 address" },
		{ "net veth br0 10.0.0.2/24 name lo", "net veth: name lo is taken by the loopback interface" },
		{ "net veth br0 10.0.0.2/24 name a/b", "net veth: name 'a/b' is not an interface name (1-15 of A-Z a-z 0-9 _ . -)" },
	};
	char text[512];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unit_fmt(text, sizeof(text), "%s\n", cases[i].line);
		if (unit_load(u, text) != -1)
			fail_msg("'%s' was accepted", cases[i].line);
		unit_fmt(text, sizeof(text), "t.profile:1: %s", cases[i].msg);
		if (strcmp(u->e.msg, text) != 0)
			fail_msg("'%s':\n  got  \"%s\"\n  want \"%s\"", cases[i].line, u->e.msg, text);
		assert_int_equal(u->e.exit_code, RP_EXIT_ERROR);
	}
	/* A refused line changes nothing. */
	assert_int_equal(u->s.net.mode, NET_NONE);
	assert_null(u->s.net.bridge);
	/* Limits: 16 addresses, a link-local IPv6 gateway needs no subnet. */
	assert_load_ok(u, "net veth br0 fd00::2/64 gw fe80::1\n");
	{
		char *p = text;
		p += sprintf(p, "net veth br0 10.0.0.1/24");
		for (int i = 2; i <= 16; i++)
			p += sprintf(p, " addr 10.0.0.%d/24", i);
		strcpy(p, "\n");
		assert_load_ok(u, text);
		assert_int_equal(u->s.net.naddrs, 16);
		strcpy(p, " addr 10.0.0.17/24\n");
		assert_load_err(u, text, "t.profile:1: net veth: at most 16 addresses");
	}
}

static const char *print_net(struct unit *u, int slot, const struct net_spec *n)
{
	FILE *f = unit_text_open(u, slot);

	net_print(n, f);
	return unit_text_close(u, slot, f);
}

/* The whole profile, printed and read back, gives the same net setting
 * and the same answer to "is the host's netns shared?". */
static void assert_round_trip(struct unit *u)
{
	size_t len = 0;
	FILE *f = open_memstream(&u->text[1], &len);

	assert_non_null(f);
	profile_print(&u->s, f);
	assert_int_equal(fclose(f), 0);
	spec_free(&u->s2);
	spec_init(&u->s2);
	if (profile_load_text(&u->s2, u->text[1], len, "printed", &u->e) < 0)
		fail_msg("read back: %s", u->e.msg);
	assert_int_equal(u->s2.net.mode, u->s.net.mode);
	assert_int_equal(u->s2.ns[NS_NET].unshare, u->s.ns[NS_NET].unshare);
	assert_int_equal(u->s2.net.naddrs, u->s.net.naddrs);
	assert_int_equal(u->s2.net.mtu, u->s.net.mtu);
	assert_string_equal(u->s2.net.ifname, u->s.net.ifname);
	assert_memory_equal(u->s2.net.addrs, u->s.net.addrs, sizeof(u->s.net.addrs));
	assert_memory_equal(u->s2.net.gw, u->s.net.gw, sizeof(u->s.net.gw));
	assert_memory_equal(u->s2.net.has_gw, u->s.net.has_gw, sizeof(u->s.net.has_gw));
	if (u->s.net.bridge)
		assert_string_equal(u->s2.net.bridge, u->s.net.bridge);
	if (u->s.net.join)
		assert_string_equal(u->s2.net.join, u->s.net.join);
	free(u->text[1]);
	u->text[1] = NULL;
}

static void test_print_round_trip(void **state)
{
	struct unit *u = *state;
	static const char *const lines[] = {
		"net none",
		"net host",
		"net join /run/netns/x",
		"net join \"/run/netns/with space\"",
		"net veth br-rt 10.213.0.2/24",
		"net veth br-rt 10.213.0.2/24 addr fd00:213::2/64 gw 10.213.0.1 gw fd00:213::1 mtu 1400 name net0",
	};
	char text[512];

	assert_string_equal(print_net(u, 0, &u->s.net), "net none\n");
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		unit_fmt(text, sizeof(text), "%s\n", lines[i]);
		assert_load_ok(u, text);
		unit_fmt(text, sizeof(text), "%s\t# t.profile:1\n", lines[i]);
		assert_string_equal(print_net(u, 0, &u->s.net), text);
		assert_round_trip(u);
	}
	/* Written differently, printed canonically. */
	assert_load_ok(u, "net veth br-rt FD00:213:0::2/64 name eth0 gw fd00:213::1 addr 10.213.0.2/24\n");
	assert_string_equal(print_net(u, 0, &u->s.net),
			    "net veth br-rt fd00:213::2/64 addr 10.213.0.2/24 gw fd00:213::1\t# t.profile:1\n");
	/* `share net` after `net veth`: the printed profile (net line first,
	 * then namespaces) still reads back as the same, if invalid, spec. */
	assert_load_ok(u, "net veth br-rt 10.213.0.2/24\nshare net\n");
	assert_round_trip(u);
	assert_load_ok(u, "net host\nnamespaces user pid mnt net ipc uts cgroup\n");
	assert_round_trip(u);
}

/* ---- validation ---------------------------------------------------------- */

static void test_validate_cross_fields(void **state)
{
	struct unit *u = *state;

	/* `share net` is `net host`. */
	assert_load_ok(u, "share net\n");
	assert_int_equal(net_validate(&u->s, &u->e), 0);
	assert_int_equal(u->s.net.mode, NET_HOST);
	/* `net host`, then a namespaces line with net: later wins. */
	assert_load_ok(u, "net host\nnamespaces user pid mnt net ipc uts cgroup\n");
	assert_int_equal(net_validate(&u->s, &u->e), 0);
	assert_int_equal(u->s.net.mode, NET_NONE);
	/* veth or join with the host's netns shared: refused, naming both. */
	assert_load_ok(u, "net veth br0 10.0.0.2/24\n\nshare net\n");
	assert_int_equal(net_validate(&u->s, &u->e), -1);
	assert_err(u, "t.profile:1: net veth: needs a network namespace of its own, but t.profile:3 shares the host's");
	assert_load_ok(u, "net join /run/netns/x\nnamespaces user pid mnt\n");
	assert_int_equal(net_validate(&u->s, &u->e), -1);
	assert_err(u, "t.profile:1: net join: needs a network namespace of its own, but t.profile:2 shares the host's");
	/* Rootless: only none and host. */
	assert_load_ok(u, "net veth br0 10.0.0.2/24\n");
	u->s.rootless = true;
	assert_int_equal(net_validate(&u->s, &u->e), -1);
	assert_err(u, "t.profile:1: net veth: needs root (a rootless launch has 'net none' or 'net host')");
	assert_load_ok(u, "net join /run/netns/x\n");
	assert_int_equal(net_validate(&u->s, &u->e), -1);
	assert_err(u, "t.profile:1: net join: needs root (a rootless launch has 'net none' or 'net host')");
	assert_load_ok(u, "net none\n");
	assert_int_equal(net_validate(&u->s, &u->e), 0);
}

static void test_validate_bridge(void **state)
{
	struct unit *u = *state;

	/* Read-only rtnetlink queries of the host's links. */
	assert_load_ok(u, "net veth rt-nope0 10.0.0.2/24\n");
	assert_int_equal(net_validate(&u->s, &u->e), -1);
	assert_err(u, "net: bridge rt-nope0: No such device");
	assert_int_equal(u->e.errnum, ENODEV);
	assert_load_ok(u, "net veth lo 10.0.0.2/24\n");
	assert_int_equal(net_validate(&u->s, &u->e), -1);
	assert_err(u, "net: bridge lo: not a bridge (a plain interface)");
}

static void test_validate_join(void **state)
{
	struct unit *u = *state;
	char text[PATH_MAX + 32];

	assert_load_ok(u, "net join /proc/self/ns/net\n");
	assert_int_equal(net_validate(&u->s, &u->e), -1);
	assert_err(u, "net: join /proc/self/ns/net: that is rampart's own network namespace; say 'net host' to share it");
	assert_load_ok(u, "net join /proc/self/ns/uts\n");
	assert_int_equal(net_validate(&u->s, &u->e), -1);
	assert_err(u, "net: join /proc/self/ns/uts: not a network namespace");
	unit_fmt(text, sizeof(text), "net join %s\n", unit_write(u, "plain", "x"));
	assert_load_ok(u, text);
	assert_int_equal(net_validate(&u->s, &u->e), -1);
	assert_err(u, "net: join %s: not a namespace file", unit_path(u, "plain"));
	unit_fmt(text, sizeof(text), "net join %s\n", unit_path(u, "missing"));
	assert_load_ok(u, text);
	assert_int_equal(net_validate(&u->s, &u->e), -1);
	assert_err(u, "net: join %s: No such file or directory", unit_path(u, "missing"));
}

/* The teardown of nothing is nothing (every exit path calls it). */
static void test_teardown_idle(void **state)
{
	struct net_state st = { 0 };

	(void)state;
	net_teardown(&st);
	net_teardown(&st);
	assert_int_equal(st.ifindex, 0);
	{
		struct net_state c _cleanup_net_ = { 0 };
		(void)c;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_req_link_up),
		UNIT_TEST(test_req_link_move_and_addr_dump),
		UNIT_TEST(test_parse_addr_message),
		UNIT_TEST(test_req_link_get_and_del),
		UNIT_TEST(test_req_veth),
		UNIT_TEST(test_req_veth_without_mtu_or_master),
		UNIT_TEST(test_req_addr),
		UNIT_TEST(test_req_route),
		UNIT_TEST(test_req_too_small),
		UNIT_TEST(test_parse_link),
		UNIT_TEST(test_parse_addr),
		UNIT_TEST(test_subnet_and_ifname),
		UNIT_TEST(test_directive_modes),
		UNIT_TEST(test_directive_errors),
		UNIT_TEST(test_print_round_trip),
		UNIT_TEST(test_validate_cross_fields),
		UNIT_TEST(test_validate_bridge),
		UNIT_TEST(test_validate_join),
		UNIT_TEST(test_teardown_idle),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
