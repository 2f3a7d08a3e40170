/* sigsys.c - the audit multicast listener behind SIGSYS messages. */
#include "sigsys.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/audit.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "seccomp.h"

int sigsys_watch(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1) };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* "key=value" from an audit record's text; 0 when absent. */
static int field(const char *text, const char *key, unsigned long long *out)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(text, pat);
	if (!p)
		return -1;
	*out = strtoull(p + strlen(pat), NULL, strcmp(key, "arch") == 0 ? 16 : 10);
	return 0;
}

static int describe(const char *text, char *out, size_t len)
{
	unsigned long long arch, nr, compat = 0;

	if (field(text, "arch", &arch) < 0 || field(text, "syscall", &nr) < 0)
		return -1;
	(void)field(text, "compat", &compat);
	if (arch == AUDIT_ARCH_I386)
		snprintf(out, len, "i386 syscall %llu (int 0x80, a foreign ABI)", nr);
	else if (nr >= 0x40000000ull)
		snprintf(out, len, "x32 syscall %llu (a foreign ABI)", nr & 0x3fffffffull);
	else if (compat)
		snprintf(out, len, "compat syscall %llu", nr);
	else
		snprintf(out, len, "%s (%llu)", seccomp_syscall_name((int)nr), nr);
	return 0;
}

int sigsys_describe(int fd, pid_t pid, int timeout_ms, char *out, size_t len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	/* kauditd sends asynchronously: the record may trail the death. */
	while (poll(&p, 1, timeout_ms) > 0) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		int left = (int)n;

		if (n < 0)
			return -1;
		for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
			char text[1024];
			size_t tlen = mnl_nlmsg_get_payload_len(h);
			unsigned long long rpid;

			if (h->nlmsg_type != AUDIT_SECCOMP)
				continue;
			if (tlen >= sizeof(text))
				tlen = sizeof(text) - 1;
			memcpy(text, mnl_nlmsg_get_payload(h), tlen);
			text[tlen] = '\0';
			if (field(text, "pid", &rpid) == 0 && (pid_t)rpid == pid)
				return describe(text, out, len);
		}
	}
	return -1;
}
