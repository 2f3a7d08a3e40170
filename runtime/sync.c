/* sync.c - fixed-size messages over a SOCK_SEQPACKET pair. */
#include "sync.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct sync_msg {
	uint32_t type;
	int32_t exit_code;
	int32_t errnum;
	char msg[sizeof(((struct rp_err *)0)->msg)];
};

int sync_pair(int fds[2], struct rp_err *e)
{
	int one = 1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return rp_fail(e, errno, "sync", "socketpair");
	if (setsockopt(fds[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		int err = errno;
		close(fds[0]);
		close(fds[1]);
		return rp_fail(e, err, "sync", "SO_PASSCRED");
	}
	return 0;
}

int sync_send(int fd, enum sync_type type, const struct rp_err *err)
{
	struct sync_msg m = { .type = type };
	ssize_t n;

	if (err) {
		m.exit_code = err->exit_code;
		m.errnum = err->errnum;
		memcpy(m.msg, err->msg, sizeof(m.msg));
		m.msg[sizeof(m.msg) - 1] = '\0';
	}
	do
		n = send(fd, &m, sizeof(m), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(m) ? 0 : -1;
}

int sync_recv(int fd, struct rp_err *err, pid_t *pid)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} ctl;
	struct sync_msg m;
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	ssize_t n;

	if (pid)
		*pid = 0;
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); pid && n > 0 && c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cred;
			memcpy(&cred, CMSG_DATA(c), sizeof(cred));
			*pid = cred.pid;
		}
	}
	if (n == 0)
		return 0;
	if (n != (ssize_t)sizeof(m)) {
		if (n >= 0)
			errno = EPROTO;
		return -1;
	}
	if ((m.type == SYNC_ERROR || m.type == SYNC_LEARN) && err) {
		err->exit_code = m.exit_code;
		err->errnum = m.errnum;
		memcpy(err->msg, m.msg, sizeof(err->msg));
		err->msg[sizeof(err->msg) - 1] = '\0';
	}
	return (int)m.type;
}
