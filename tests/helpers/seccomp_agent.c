/* seccomp_agent - a seccomp agent for the tests (OCI listenerPath).
 *
 *   seccomp_agent SOCKET DIR
 *
 * Listens on the UNIX socket SOCKET. Each connection brings one message,
 * the containerProcessState JSON, with the listener fd (SCM_RIGHTS): the
 * JSON is written to DIR/msg.N and the listener served from then on.
 * Every notified syscall is answered "done, returned 0" without being
 * made (so a mkdir "succeeds" and no directory appears), and its number
 * appended to DIR/calls. Runs until SIGTERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FDS 64

static struct pollfd fds[MAX_FDS];
static int kind[MAX_FDS]; /* 0 listening socket, 1 connection, 2 listener */
static int nfds, nmsg;
static const char *dir;

static void add(int fd, int k)
{
	if (nfds == MAX_FDS) {
		fprintf(stderr, "seccomp_agent: too many fds\n");
		exit(1);
	}
	fds[nfds] = (struct pollfd){ .fd = fd, .events = POLLIN };
	kind[nfds++] = k;
}

static void drop(int i)
{
	close(fds[i].fd);
	fds[i] = fds[--nfds];
	kind[i] = kind[nfds];
}

static void append(const char *name, const char *text, size_t len)
{
	char path[4096];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
		fprintf(stderr, "seccomp_agent: path too long: %s/%s\n", dir, name);
		exit(1);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) < 0) {
		perror(path);
		exit(1);
	}
}

/* One message and its fd, then the connection is done. */
static void take_message(int conn)
{
	char buf[65536], name[32], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	ssize_t n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
	int listener;

	if (n <= 0)
		return; /* closed without a message */
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_type != SCM_RIGHTS) {
		fprintf(stderr, "seccomp_agent: a message without an fd\n");
		exit(1);
	}
	memcpy(&listener, CMSG_DATA(c), sizeof(int));
	snprintf(name, sizeof(name), "msg.%d", ++nmsg);
	append(name, buf, (size_t)n);
	add(listener, 2);
}

static void answer(int listener)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	char line[32];

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return; /* the caller was killed meanwhile */
	resp = (struct seccomp_notif_resp){ .id = req.id, .val = 0, .error = 0, .flags = 0 };
	snprintf(line, sizeof(line), "%d\n", req.data.nr);
	append("calls", line, strlen(line));
	(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: seccomp_agent SOCKET DIR\n");
		return 2;
	}
	dir = argv[2];
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 16) < 0) {
		perror("seccomp_agent: socket");
		return 1;
	}
	add(s, 0);
	append("ready", "", 0);
	for (;;) {
		if (poll(fds, (nfds_t)nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("seccomp_agent: poll");
			return 1;
		}
		for (int i = nfds - 1; i >= 0; i--) {
			if (!fds[i].revents)
				continue;
			if (kind[i] == 0) {
				int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
				if (c >= 0)
					add(c, 1);
			} else if (kind[i] == 1) {
				take_message(fds[i].fd);
				drop(i);
			} else if (fds[i].revents & POLLIN) {
				answer(fds[i].fd);
			} else {
				drop(i); /* every process of the filter is gone */
			}
		}
	}
}
