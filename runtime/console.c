/* console.c - the container's terminal: see console.h. */
#include "console.h"

#include "unix_socket.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* go-runc refuses a name of this length or more. */
#define CONSOLE_NAME_MAX 4096
/* Output still in the pty when the proxy is told to stop: bounded, so a
 * workload that never stops writing cannot keep the proxy from stopping. */
#define CONSOLE_DRAIN_MAX (1024 * 1024)

/* ---- the console socket ------------------------------------------------ */

int console_connect(const char *path, struct rp_err *e)
{
	int fd = unix_connect(path);

	return fd < 0 ? rp_fail(e, errno, "console", "connect %s", path) : fd;
}

int console_socketpair(int fds[2], struct rp_err *e)
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
		return rp_fail(e, errno, "console", "socketpair");
	return 0;
}

/* The first SCM_RIGHTS fd of the message; any others are closed (a
 * well-behaved sender sends one). *count says how many came. */
static int take_fd(struct msghdr *mh, int *count)
{
	int fd = -1;

	*count = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		size_t n;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int got;

			memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (fd < 0)
				fd = got;
			else
				close(got);
			(*count)++;
		}
	}
	return fd;
}

int console_recv_master(int sockfd, struct rp_err *e)
{
	/* Room for a few fds, so that a confused sender's extras arrive (and
	 * get closed) instead of being cut off silently. */
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	char name[CONSOLE_NAME_MAX];
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	_cleanup_close_ int fd = -1;
	ssize_t n;
	int count;

	do
		n = recvmsg(sockfd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return rp_fail(e, errno, "console", "receive the pty master");
	fd = take_fd(&mh, &count);
	if (n == 0 && count == 0)
		return rp_fail(e, 0, "console",
			       "the container closed the console socket without sending the pty master");
	if (count != 1 || (mh.msg_flags & MSG_CTRUNC))
		return rp_fail(e, 0, "console", "expected one pty master fd, received %d", count);
	if (!isatty(fd))
		return rp_fail(e, 0, "console", "the received fd is not a terminal");
	return steal_fd(fd);
}

/* ---- container side ---------------------------------------------------- */

/* What /dev/ptmx leads to must be a multiplexer (5:2: the device node or
 * devpts' own), not a file that would then go out to the shim as the
 * terminal. */
static bool is_ptmx(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(5, 2);
}

/* The container's own multiplexer: /dev/ptmx (a symlink to pts/ptmx or a
 * device node), else devpts' own ptmx. *used names the one opened. */
static int open_ptmx(const char **used, struct rp_err *e)
{
	static const char *const paths[] = { "/dev/ptmx", "/dev/pts/ptmx" };
	int fd = -1;

	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		*used = paths[i];
		fd = open(paths[i], O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT)
			break;
	}
	if (fd < 0)
		return rp_fail(e, errno, "console", "open %s", *used);
	if (!is_ptmx(fd)) {
		close(fd);
		return rp_fail(e, 0, "console", "%s is not the pty multiplexer", *used);
	}
	return fd;
}

static int set_size(int master, unsigned short rows, unsigned short cols)
{
	struct winsize ws;

	if (!rows && !cols)
		return 0;
	if (ioctl(master, TIOCGWINSZ, &ws) < 0)
		return -1;
	if (rows)
		ws.ws_row = rows;
	if (cols)
		ws.ws_col = cols;
	return ioctl(master, TIOCSWINSZ, &ws);
}

/* The slave of `master`, on an fd above 2 (it is about to be dup2'ed onto
 * 0..2 and closed). TIOCGPTPEER takes it from the master's own devpts
 * instance with no path lookup, so nothing the image put in /dev/pts can
 * stand in for it; before Linux 4.13, by name. */
static int open_slave(int master)
{
	int fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0 && (errno == EINVAL || errno == ENOTTY)) {
		char path[64];
		unsigned int n;

		if (ioctl(master, TIOCGPTN, &n) < 0)
			return -1;
		if (xsnprintf(path, sizeof(path), "/dev/pts/%u", n) < 0)
			return -1;
		fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	}
	if (fd >= 0 && fd <= STDERR_FILENO) {
		int high = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
		int err = errno;

		close(fd);
		errno = err;
		fd = high;
	}
	return fd;
}

/* One sendmsg, data = the name, one SCM_RIGHTS with one fd: what runc
 * sends and what go-runc's receiver insists on. */
/* Open the pair, size it, hand the master out; returns the slave. The
 * slave is open before the master leaves, so the receiver never sees a
 * hang-up from a slave that was not opened yet. */
static int make_pty(int sockfd, unsigned short rows, unsigned short cols, struct rp_err *e)
{
	const char *name;
	_cleanup_close_ int master = open_ptmx(&name, e);
	_cleanup_close_ int slave = -1;
	int unlock = 0;

	if (master < 0)
		return -1;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return rp_fail(e, errno, "console", "unlock the pty");
	if (set_size(master, rows, cols) < 0)
		return rp_fail(e, errno, "console", "set the window size");
	slave = open_slave(master);
	if (slave < 0)
		return rp_fail(e, errno, "console", "open the pty slave");
	if (unix_send_fd(sockfd, master, name, strlen(name)) < 0)
		return rp_fail(e, errno, "console", "send the pty master");
	/* The master is closed here (cleanup): nothing in the container may
	 * keep it, or the runtime would never see the hang-up. */
	return steal_fd(slave);
}

static int become_ctty(int slave, struct rp_err *e)
{
	/* A child that is a session leader already (it called setsid
	 * itself) would get EPERM: its session is as good as a new one. */
	if (getsid(0) != getpid() && setsid() < 0)
		return rp_fail(e, errno, "console", "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return rp_fail(e, errno, "console", "make the pty the controlling terminal");
	for (int i = STDIN_FILENO; i <= STDERR_FILENO; i++)
		if (dup2(slave, i) < 0)
			return rp_fail(e, errno, "console", "dup the pty onto fd %d", i);
	return 0;
}

int console_setup_slave(int sockfd, unsigned short rows, unsigned short cols, struct rp_err *e)
{
	_cleanup_close_ int slave = -1;

	/* dup2 onto 0..2 would silently replace the caller's socket. */
	if (sockfd >= STDIN_FILENO && sockfd <= STDERR_FILENO)
		return rp_fail(e, EBADF, "console", "console socket on fd %d", sockfd);
	slave = make_pty(sockfd, rows, cols, e);
	if (slave < 0)
		return -1;
	return become_ctty(slave, e);
}

/* ---- the proxy ----------------------------------------------------------- */

struct proxy {
	int master, in_fd, out_fd, stop_fd;
	bool in_open;         /* stdin not at end-of-file yet */
	char in_buf[4096];    /* stdin bytes the master has not taken yet */
	size_t in_off, in_len;
	char out_buf[4096];
};

/* out_fd may be non-blocking (a terminal shared with a shell that set
 * it): wait for room instead of failing on EAGAIN. */
static int write_out(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t r = write(fd, buf, len);

		if (r < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			if (poll(&p, 1, -1) < 0 && errno != EINTR)
				return -1;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

/* One read from the master to out_fd. 1: copied or nothing there yet,
 * 0: hung up (EIO once every slave fd is closed), -1: error. */
static int pump_master(struct proxy *p, struct rp_err *e)
{
	ssize_t n = read(p->master, p->out_buf, sizeof(p->out_buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n == 0 || (n < 0 && errno == EIO))
		return 0;
	if (n < 0)
		return rp_fail(e, errno, "console", "read the pty master");
	if (write_out(p->out_fd, p->out_buf, (size_t)n) < 0)
		return rp_fail(e, errno, "console", "write the terminal output");
	return 1;
}

/* Copy out what the pty holds already, without waiting for more. */
static int drain_master(struct proxy *p, struct rp_err *e)
{
	for (size_t done = 0; done < CONSOLE_DRAIN_MAX; done += sizeof(p->out_buf)) {
		struct pollfd pf = { .fd = p->master, .events = POLLIN };
		int r = poll(&pf, 1, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return rp_fail(e, errno, "console", "poll the pty master");
		if (r == 0 || !(pf.revents & POLLIN))
			return 0;
		r = pump_master(p, e);
		if (r <= 0)
			return r;
	}
	return 0;
}

/* 1: read (or at end-of-file), -1: error. */
static int pump_stdin(struct proxy *p, struct rp_err *e)
{
	ssize_t n = read(p->in_fd, p->in_buf, sizeof(p->in_buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n < 0)
		return rp_fail(e, errno, "console", "read the terminal input");
	if (n == 0)
		p->in_open = false;
	p->in_off = 0;
	p->in_len = (size_t)n;
	return 1;
}

/* Hand pending stdin to the master as far as it takes it. 1: done or
 * later, 0: hung up, -1: error. */
static int feed_master(struct proxy *p, struct rp_err *e)
{
	ssize_t n = write(p->master, p->in_buf + p->in_off, p->in_len - p->in_off);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n < 0 && errno == EIO)
		return 0;
	if (n < 0)
		return rp_fail(e, errno, "console", "write the pty master");
	p->in_off += (size_t)n;
	if (p->in_off == p->in_len)
		p->in_off = p->in_len = 0;
	return 1;
}

/* One poll round. 1: go on, 0: hung up or stopped, -1: error. */
static int proxy_step(struct proxy *p, struct rp_err *e)
{
	bool pending = p->in_len > p->in_off;
	struct pollfd pf[3] = {
		{ .fd = p->master, .events = (short)(POLLIN | (pending ? POLLOUT : 0)) },
		/* Read stdin only when the last chunk is gone: the master's
		 * pace throttles the input, nothing queues up here. */
		{ .fd = p->in_open && !pending ? p->in_fd : -1, .events = POLLIN },
		{ .fd = p->stop_fd, .events = POLLIN },
	};
	int r;

	if (poll(pf, ARRAY_SIZE(pf), -1) < 0)
		return errno == EINTR ? 1 : rp_fail(e, errno, "console", "poll");
	for (size_t i = 0; i < ARRAY_SIZE(pf); i++)
		if (pf[i].revents & POLLNVAL)
			return rp_fail(e, EBADF, "console", "poll fd %d", pf[i].fd);
	if (pf[2].revents)
		return drain_master(p, e);
	if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
		r = pump_master(p, e);
		if (r <= 0)
			return r;
	}
	if (pending && (pf[0].revents & POLLOUT)) {
		r = feed_master(p, e);
		if (r <= 0)
			return r;
	}
	if (pf[1].revents)
		return pump_stdin(p, e);
	return 1;
}

/* Raw mode: keys reach the workload's line discipline as typed (^C is a
 * byte for the pty, not a signal for rampart), and output passes as it is
 * (the pty did the newline translation already). */
static int enter_raw(int fd, struct termios *saved, bool *raw, struct rp_err *e)
{
	struct termios t;

	*raw = false;
	if (!isatty(fd))
		return 0;
	if (tcgetattr(fd, saved) < 0)
		return rp_fail(e, errno, "console", "read the terminal settings");
	t = *saved;
	cfmakeraw(&t);
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		return rp_fail(e, errno, "console", "set the terminal to raw mode");
	*raw = true;
	return 0;
}

static int copy_size(int from, int master, struct rp_err *e)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) < 0)
		return rp_fail(e, errno, "console", "read the window size");
	if (!ws.ws_row && !ws.ws_col)
		return 0;
	if (ioctl(master, TIOCSWINSZ, &ws) < 0)
		return rp_fail(e, errno, "console", "set the window size");
	return 0;
}

static int proxy_loop(struct proxy *p, struct rp_err *e)
{
	int r;

	do
		r = proxy_step(p, e);
	while (r > 0);
	return r;
}

/* Put back what console_proxy changed; the first failure is kept. */
static int restore(int master, int flags, int in_fd, const struct termios *saved, bool raw,
		   int r, struct rp_err *e)
{
	/* Also after an error: a terminal left raw is unusable. */
	if (raw && tcsetattr(in_fd, TCSADRAIN, saved) < 0 && r == 0)
		r = rp_fail(e, errno, "console", "restore the terminal settings");
	if (fcntl(master, F_SETFL, flags) < 0 && r == 0)
		r = rp_fail(e, errno, "console", "restore the pty master's flags");
	return r;
}

int console_proxy(int master, int in_fd, int out_fd, int stop_fd, struct rp_err *e)
{
	struct proxy p = { .master = master, .in_fd = in_fd, .out_fd = out_fd,
			   .stop_fd = stop_fd, .in_open = true };
	struct termios saved;
	bool raw = false;
	int flags, r;

	flags = fcntl(master, F_GETFL);
	if (flags < 0 || fcntl(master, F_SETFL, flags | O_NONBLOCK) < 0)
		return rp_fail(e, errno, "console", "make the pty master non-blocking");
	r = enter_raw(in_fd, &saved, &raw, e);
	if (r == 0 && raw)
		r = copy_size(in_fd, master, e);
	if (r == 0)
		r = proxy_loop(&p, e);
	r = restore(master, flags, in_fd, &saved, raw, r, e);
	return r < 0 ? -1 : 0;
}
