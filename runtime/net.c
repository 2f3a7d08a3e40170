/* net.c - rtnetlink over libmnl: no `ip` binary, no shell. */
#include "net.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <time.h>

/* Send one request and wait for its ACK (NLM_F_ACK), returning the
 * kernel's errno from the NLMSG_ERROR reply. */
static int nl_transact(struct mnl_socket *nl, struct nlmsghdr *req)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int r;

	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	req->nlmsg_seq = (unsigned)time(NULL);
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return -1;
	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		r = mnl_cb_run(buf, (size_t)n, req->nlmsg_seq, portid, NULL, NULL);
		if (r <= MNL_CB_STOP)
			return r;
	}
	return n < 0 ? -1 : 0;
}

int net_loopback_up(struct rp_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	unsigned idx = if_nametoindex("lo");
	int r;

	if (!idx)
		return rp_fail(e, errno, "net", "lo");
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return rp_fail(e, errno, "net", "open rtnetlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = errno;
		mnl_socket_close(nl);
		return rp_fail(e, r, "net", "bind rtnetlink socket");
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)idx;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	r = nl_transact(nl, nlh);
	if (r < 0)
		r = errno;
	mnl_socket_close(nl);
	return r ? rp_fail(e, r, "net", "set lo up") : 0;
}
