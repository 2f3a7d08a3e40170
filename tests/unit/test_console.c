/* test_console.c - the pty handed over a console socket, and the proxy.
 *
 * console_setup_slave changes the calling process's session and stdio, so
 * it always runs in a forked child. The child checks what a workload would
 * see (a tty on 0..2 that is the controlling terminal of its own session)
 * and reports a failure as text on a pipe; the parent plays the runtime or
 * containerd's shim. Every child is bounded by alarm() and every read of
 * the parent by a poll timeout, so a bug hangs nothing.
 */
#include "unit.h"

#include "console.h"
#include "unix_socket.h"

#include <dirent.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>

#define CHILD_SKIP 77 /* the child could not make its namespaces */

/* ---- helpers ------------------------------------------------------------- */

static void report(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(int fd, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && write(fd, buf, strlen(buf)) < 0)
		_exit(3);
}

/* The master must have left the container: a copy kept there would let
 * the workload read its own terminal's input, and the runtime would never
 * see the hang-up. Masters are the fds opened through ptmx (5:2). */
static int check_no_master(int rep)
{
	for (int fd = 0; fd < 256; fd++) {
		struct stat st;

		if (fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(5, 2)) {
			report(rep, "fd %d is a pty master", fd);
			return 1;
		}
	}
	return 0;
}

/* What the workload sees after console_setup_slave; 0 or a report. The
 * slave must come from the devpts instance on /dev/pts (the container's
 * own, in a container), not from wherever else a ptmx might lead. */
static int check_workload_view(int rep)
{
	struct stat pts, zero;
	int tty;

	for (int i = 0; i < 3; i++)
		if (!isatty(i)) {
			report(rep, "fd %d is not a tty", i);
			return 1;
		}
	if (getsid(0) != getpid()) {
		report(rep, "not a session leader (sid %d, pid %d)", getsid(0), getpid());
		return 1;
	}
	if (tcgetsid(0) != getpid()) {
		report(rep, "fd 0 is not the controlling tty of the session: %s", strerror(errno));
		return 1;
	}
	tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (tty < 0) {
		report(rep, "open /dev/tty: %s", strerror(errno));
		return 1;
	}
	close(tty);
	if (stat("/dev/pts", &pts) < 0 || fstat(0, &zero) < 0) {
		report(rep, "stat: %s", strerror(errno));
		return 1;
	}
	if (pts.st_dev != zero.st_dev) {
		report(rep, "the slave is not on /dev/pts's devpts instance");
		return 1;
	}
	return check_no_master(rep);
}

/* The container half: set up the slave, check, say hello, wait for the
 * parent to have read it (the go pipe closes), exit. */
static _Noreturn void slave_child(int sock, unsigned short rows, unsigned short cols, int rep,
				  int go)
{
	struct rp_err e = { 0 };
	char c;

	alarm(20);
	if (console_setup_slave(sock, rows, cols, &e) < 0) {
		report(rep, "console_setup_slave: %s", e.msg);
		_exit(1);
	}
	if (check_workload_view(rep) != 0)
		_exit(1);
	if (write(STDOUT_FILENO, "hello", 5) != 5) {
		report(rep, "write hello: %s", strerror(errno));
		_exit(1);
	}
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

/* Read from fd until `want` appears (10 s at most). 0, or -1 with the
 * reason in `why` (the caller first reaps the child: its report says
 * more). */
static int read_until(int fd, const char *want, char *buf, size_t size, char *why, size_t wsize)
{
	size_t len = 0;

	buf[0] = '\0';
	while (!strstr(buf, want)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (len + 1 >= size || poll(&p, 1, 10000) <= 0) {
			unit_fmt(why, wsize, "no \"%s\" in \"%s\"", want, buf);
			return -1;
		}
		n = read(fd, buf + len, size - 1 - len);
		if (n <= 0) {
			unit_fmt(why, wsize, "read: %s waiting for \"%s\", got \"%s\"",
				 n < 0 ? strerror(errno) : "eof", want, buf);
			return -1;
		}
		len += (size_t)n;
		buf[len] = '\0';
	}
	return 0;
}

/* Wait for the child; its status, and its report in msg. */
static int reap_status(pid_t pid, int rep, char *msg, size_t size)
{
	ssize_t n;
	int st;

	while (waitpid(pid, &st, 0) < 0)
		assert_int_equal(errno, EINTR);
	n = read(rep, msg, size - 1);
	msg[n > 0 ? n : 0] = '\0';
	return st;
}

/* Wait for the child; skip when it said it could not make its namespaces;
 * fail with its report otherwise. */
static void reap(pid_t pid, int rep)
{
	char msg[1024];
	int st = reap_status(pid, rep, msg, sizeof(msg));

	if (WIFEXITED(st) && WEXITSTATUS(st) == CHILD_SKIP) {
		print_message("(%s: skipped)\n", msg);
		skip();
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("child: status %#x: %s", st, msg);
}

struct kid {
	pid_t pid;
	int rep;  /* read end of the child's report pipe */
	int go;   /* write end: closing it lets the child exit */
};

static void pipe_cloexec(int p[2])
{
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
}

/* As a container child starts: nothing inherited but what it needs (and
 * stdio), so what a failed earlier test leaked cannot confuse this one. */
static void close_others(int a, int b, int c)
{
	for (int fd = STDERR_FILENO + 1; fd < 1024; fd++)
		if (fd != a && fd != b && fd != c)
			close(fd);
}

/* Fork a child that runs prepare (may be NULL; nonzero = exit with that)
 * and then slave_child on `sock`. */
static struct kid spawn(int sock, unsigned short rows, unsigned short cols,
			int (*prepare)(int rep))
{
	int rep[2], go[2];
	struct kid k;

	pipe_cloexec(rep);
	pipe_cloexec(go);
	k.pid = fork();
	assert_true(k.pid >= 0);
	if (k.pid == 0) {
		int r;

		close_others(sock, rep[1], go[0]);
		r = prepare ? prepare(rep[1]) : 0;
		if (r != 0)
			_exit(r);
		slave_child(sock, rows, cols, rep[1], go[0]);
	}
	close(rep[1]);
	close(go[0]);
	k.rep = rep[0];
	k.go = go[1];
	return k;
}

static void finish(struct kid *k)
{
	close(k->go);
	reap(k->pid, k->rep);
	close(k->rep);
}

static void expect_hello(struct kid *k, int master)
{
	char buf[256], why[512];

	if (read_until(master, "hello", buf, sizeof(buf), why, sizeof(why)) < 0) {
		char msg[1024];
		int st;

		kill(k->pid, SIGKILL);
		close(k->go);
		st = reap_status(k->pid, k->rep, msg, sizeof(msg));
		close(k->rep);
		close(master);
		if (WIFEXITED(st) && WEXITSTATUS(st) == CHILD_SKIP) {
			print_message("(%s: skipped)\n", msg);
			skip();
		}
		fail_msg("%s; child: status %#x: %s", why, st, msg);
	}
}

static void assert_winsize(int fd, unsigned short rows, unsigned short cols)
{
	struct winsize ws;

	assert_int_equal(ioctl(fd, TIOCGWINSZ, &ws), 0);
	assert_int_equal(ws.ws_row, rows);
	assert_int_equal(ws.ws_col, cols);
}

/* The runtime's half over a socketpair: the child sets up the slave, the
 * parent gets the master, reads hello and checks the size. */
static void run_pair(struct unit *u, int (*prepare)(int rep))
{
	int fds[2], master;
	struct kid k;

	assert_int_equal(console_socketpair(fds, &u->e), 0);
	assert_true(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
	k = spawn(fds[1], 24, 80, prepare);
	close(fds[1]);
	master = console_recv_master(fds[0], &u->e);
	if (master < 0) {
		finish(&k);
		fail_msg("console_recv_master: %s", u->e.msg);
	}
	close(fds[0]);
	assert_true(fcntl(master, F_GETFD) & FD_CLOEXEC);
	expect_hello(&k, master);
	finish(&k);
	/* The size outlives the slave: it belongs to the pair. */
	assert_winsize(master, 24, 80);
	close(master);
}

/* ---- console_setup_slave + console_recv_master -------------------------- */

static void test_setup_slave_over_socketpair(void **state)
{
	run_pair(*state, NULL);
}

static int write_file_new(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	return fd < 0 ? -1 : close(fd);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Root in a new user namespace with a private mount namespace, as the
 * container child is; CHILD_SKIP where user namespaces are off. */
static int enter_userns(int rep)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		report(rep, "unshare: %s", strerror(errno));
		return CHILD_SKIP;
	}
	unit_fmt(map, sizeof(map), "0 %u 1", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) < 0 ||
	    write_file("/proc/self/setgroups", "deny") < 0) {
		report(rep, "uid_map: %s", strerror(errno));
		return 1;
	}
	unit_fmt(map, sizeof(map), "0 %u 1", (unsigned)gid);
	if (write_file("/proc/self/gid_map", map) < 0) {
		report(rep, "gid_map: %s", strerror(errno));
		return 1;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		report(rep, "make / private: %s", strerror(errno));
		return 1;
	}
	return 0;
}

enum ptmx_kind {
	PTMX_SYMLINK, /* /dev/ptmx -> pts/ptmx, as in the container */
	PTMX_NONE,    /* no /dev/ptmx: devpts' own is the fallback */
	PTMX_FILE,    /* a plain file where /dev/ptmx should be */
};

/* The container's /dev in miniature, over the host's (in the child's
 * mount namespace only): a tmpfs, a private devpts instance on /dev/pts
 * (ptmxmode=0666 as the container's), /dev/ptmx as `kind` says, and the
 * host's /dev/tty bound in for the workload's checks. */
static int make_dev(int rep, enum ptmx_kind kind)
{
	int tty = open("/dev/tty", O_PATH | O_CLOEXEC), fd;
	char via[64];

	if (tty < 0) {
		report(rep, "open /dev/tty: %s", strerror(errno));
		return 1;
	}
	unit_fmt(via, sizeof(via), "/proc/self/fd/%d", tty);
	if (mount("tmpfs", "/dev", "tmpfs", MS_NOSUID, "mode=0755") < 0 ||
	    mkdir("/dev/pts", 0755) < 0 ||
	    mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620") < 0 ||
	    (fd = open("/dev/tty", O_WRONLY | O_CREAT | O_CLOEXEC, 0666)) < 0 ||
	    close(fd) < 0 || mount(via, "/dev/tty", NULL, MS_BIND, NULL) < 0) {
		report(rep, "make the container's /dev: %s", strerror(errno));
		return CHILD_SKIP;
	}
	close(tty);
	if (kind == PTMX_SYMLINK && symlink("pts/ptmx", "/dev/ptmx") < 0) {
		report(rep, "symlink /dev/ptmx: %s", strerror(errno));
		return 1;
	}
	if (kind == PTMX_FILE && write_file_new("/dev/ptmx") < 0) {
		report(rep, "create /dev/ptmx: %s", strerror(errno));
		return 1;
	}
	return 0;
}

static int userns_dev(int rep, enum ptmx_kind kind)
{
	int r = enter_userns(rep);

	return r != 0 ? r : make_dev(rep, kind);
}

static int userns_symlink(int rep)
{
	return userns_dev(rep, PTMX_SYMLINK);
}

static int userns_no_ptmx(int rep)
{
	return userns_dev(rep, PTMX_NONE);
}

/* The real container's layout: uid 0 in a user namespace, /dev/ptmx a
 * symlink into its own devpts. */
static void test_setup_slave_root_in_userns(void **state)
{
	run_pair(*state, userns_symlink);
}

static void test_setup_slave_falls_back_to_pts_ptmx(void **state)
{
	run_pair(*state, userns_no_ptmx);
}

/* The whole check runs in the child (it needs the namespaces). */
static int not_ptmx_child(int rep)
{
	struct rp_err e = { 0 };
	int fds[2], r = userns_dev(rep, PTMX_FILE);

	if (r != 0)
		return r;
	if (console_socketpair(fds, &e) < 0) {
		report(rep, "%s", e.msg);
		return 1;
	}
	if (console_setup_slave(fds[1], 0, 0, &e) != -1 ||
	    strcmp(e.msg, "console: /dev/ptmx is not the pty multiplexer") != 0) {
		report(rep, "want the refusal, got \"%s\"", e.msg);
		return 1;
	}
	return 0;
}

static void test_setup_slave_refuses_non_ptmx(void **state)
{
	int rep[2];
	pid_t pid;

	pipe_cloexec(rep);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close_others(rep[1], -1, -1);
		alarm(20);
		_exit(not_ptmx_child(rep[1]));
	}
	close(rep[1]);
	reap(pid, rep[0]);
	close(rep[0]);
}

/* Not root and in no user namespace: nothing here needs a capability. */
static int drop_root(int rep)
{
	if (getuid() != 0)
		return 0;
	if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0) {
		report(rep, "drop to 65534: %s", strerror(errno));
		return 1;
	}
	return 0;
}

static void test_setup_slave_unprivileged(void **state)
{
	run_pair(*state, drop_root);
}

static void test_setup_slave_refuses_stdio_socket(void **state)
{
	struct unit *u = *state;

	assert_int_equal(console_setup_slave(1, 0, 0, &u->e), -1);
	assert_err(u, "console: console socket on fd 1: %s", strerror(EBADF));
}

/* ---- console_connect: the containerd shim's end -------------------------- */

static int listen_at(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	return fd;
}

/* What go-runc's ReceiveMaster does: one recvmsg into a 4096-byte buffer
 * with room for exactly one fd; the name must be shorter than the buffer
 * and the control data exactly one SCM_RIGHTS fd. */
static int shim_receive(int lfd, char *name, size_t size)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	char data[4096];
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c;
	int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC), fd;
	ssize_t n;

	assert_true(conn >= 0);
	n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
	close(conn);
	assert_true(n > 0 && n < (ssize_t)sizeof(data));
	assert_int_equal(mh.msg_controllen, CMSG_SPACE(sizeof(int)));
	assert_int_equal(mh.msg_flags & MSG_CTRUNC, 0);
	c = CMSG_FIRSTHDR(&mh);
	assert_non_null(c);
	assert_int_equal(c->cmsg_level, SOL_SOCKET);
	assert_int_equal(c->cmsg_type, SCM_RIGHTS);
	assert_int_equal(c->cmsg_len, CMSG_LEN(sizeof(int)));
	assert_null(CMSG_NXTHDR(&mh, c));
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	assert_true((size_t)n < size);
	memcpy(name, data, (size_t)n);
	name[n] = '\0';
	return fd;
}

/* Runtime connects before clone, the container child sends, the shim
 * receives with a plain recvmsg. */
static void shim_round_trip(struct unit *u, const char *path, int lfd)
{
	char name[4096];
	int sock = console_connect(path, &u->e), master;
	struct kid k;

	if (sock < 0)
		fail_msg("console_connect: %s", u->e.msg);
	assert_true(fcntl(sock, F_GETFD) & FD_CLOEXEC);
	k = spawn(sock, 0, 0, NULL);
	close(sock);
	master = shim_receive(lfd, name, sizeof(name));
	assert_string_equal(name, "/dev/ptmx");
	assert_true(isatty(master));
	expect_hello(&k, master);
	finish(&k);
	close(master);
}

static void test_connect_shim_receives_master(void **state)
{
	struct unit *u = *state;
	const char *path = unit_path(u, "console.sock");
	int lfd = listen_at(path);

	shim_round_trip(u, path, lfd);
	close(lfd);
}

/* A socket path longer than sun_path (deep shim state directories). */
static void test_connect_long_path(void **state)
{
	struct unit *u = *state;
	char dir[128], rel[160], path[PATH_MAX];
	int lfd;

	memset(dir, 'd', 100);
	dir[100] = '\0';
	unit_mkdir(u, dir);
	unit_fmt(rel, sizeof(rel), "%s/console.sock", dir);
	unit_fmt(path, sizeof(path), "%s", unit_path(u, rel));
	assert_true(strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path));
	assert_int_equal(chdir(dir), 0);
	lfd = listen_at("console.sock");
	assert_int_equal(chdir(u->dir), 0);
	shim_round_trip(u, path, lfd);
	close(lfd);
}

static void test_connect_errors(void **state)
{
	struct unit *u = *state;
	const char *missing = unit_path(u, "missing.sock");
	const char *file = unit_write(u, "file", "not a socket\n");

	assert_int_equal(console_connect(missing, &u->e), -1);
	assert_err(u, "console: connect %s: %s", missing, strerror(ENOENT));
	assert_int_equal(console_connect(file, &u->e), -1);
	assert_err(u, "console: connect %s: %s", file, strerror(ECONNREFUSED));
}

/* ---- console_recv_master refusals ---------------------------------------- */

static void send_fd(int sock, int fd)
{
	assert_int_equal(unix_send_fd(sock, fd, "x", 1), 0);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_recv_master_refusals(void **state)
{
	struct unit *u = *state;
	int fds[2], p[2], before;

	/* The container failed before sending: end-of-file. */
	assert_int_equal(console_socketpair(fds, &u->e), 0);
	close(fds[1]);
	assert_int_equal(console_recv_master(fds[0], &u->e), -1);
	assert_err(u, "console: the container closed the console socket without sending the "
		      "pty master");
	close(fds[0]);

	/* Data but no fd. */
	assert_int_equal(console_socketpair(fds, &u->e), 0);
	assert_int_equal(write(fds[1], "/dev/ptmx", 9), 9);
	assert_int_equal(console_recv_master(fds[0], &u->e), -1);
	assert_err(u, "console: expected one pty master fd, received 0");
	close(fds[0]);
	close(fds[1]);

	/* An fd that is no terminal: refused, and the received copy closed. */
	assert_int_equal(console_socketpair(fds, &u->e), 0);
	pipe_cloexec(p);
	send_fd(fds[1], p[0]);
	before = count_fds();
	assert_int_equal(console_recv_master(fds[0], &u->e), -1);
	assert_err(u, "console: the received fd is not a terminal");
	assert_int_equal(count_fds(), before);
	close(fds[0]);
	close(fds[1]);
	close(p[0]);
	close(p[1]);
}

/* ---- console_proxy -------------------------------------------------------- */

static void open_pty(int *master, int *slave)
{
	char name[64];

	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(*master >= 0);
	assert_int_equal(grantpt(*master), 0);
	assert_int_equal(unlockpt(*master), 0);
	assert_int_equal(ptsname_r(*master, name, sizeof(name)), 0);
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(*slave >= 0);
}

/* All of fd up to end-of-file (the proxy has returned by then). */
static void slurp(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
}

/* The workload: read one line from the tty, answer, exit. */
static _Noreturn void echo_child(int slave)
{
	char line[128], out[160];
	ssize_t n;

	alarm(20);
	n = read(slave, line, sizeof(line) - 1);
	if (n <= 0)
		_exit(1);
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	unit_fmt(out, sizeof(out), "reply:%s\n", line);
	if (write(slave, out, strlen(out)) != (ssize_t)strlen(out))
		_exit(2);
	_exit(0);
}

static void test_proxy_until_hangup(void **state)
{
	struct unit *u = *state;
	char out[4096];
	int master, slave, in[2], o[2], st, flags;
	pid_t pid;

	open_pty(&master, &slave);
	flags = fcntl(master, F_GETFL);
	pipe_cloexec(in);
	pipe_cloexec(o);
	assert_int_equal(write(in[1], "input\n", 6), 6);
	close(in[1]); /* stdin at end-of-file after the line */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		echo_child(slave);
	/* The child's copy is the last slave fd: its exit is the hang-up. */
	close(slave);
	if (console_proxy(master, in[0], o[1], -1, &u->e) != 0)
		fail_msg("console_proxy: %s", u->e.msg);
	close(o[1]);
	slurp(o[0], out, sizeof(out));
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* The pty echoes the input and turns \n into \r\n on the way out. */
	if (!strstr(out, "input\r\n") || !strstr(out, "reply:input\r\n"))
		fail_msg("proxy output \"%s\"", out);
	assert_int_equal(fcntl(master, F_GETFL), flags);
	close(master);
	close(in[0]);
	close(o[0]);
}

/* stop_fd readable: return at once, with what the pty held copied out. */
static void test_proxy_stop_fd_drains(void **state)
{
	struct unit *u = *state;
	char out[4096];
	int master, slave, in[2], o[2], stop[2];

	open_pty(&master, &slave);
	pipe_cloexec(in);
	pipe_cloexec(o);
	pipe_cloexec(stop);
	assert_int_equal(write(slave, "before stop\n", 12), 12);
	assert_int_equal(write(stop[1], "x", 1), 1);
	if (console_proxy(master, in[0], o[1], stop[0], &u->e) != 0)
		fail_msg("console_proxy: %s", u->e.msg);
	close(o[1]);
	slurp(o[0], out, sizeof(out));
	assert_string_equal(out, "before stop\r\n");
	/* stop_fd is the caller's to read. */
	assert_int_equal(read(stop[0], out, 1), 1);
	close(master);
	close(slave);
	close(in[0]);
	close(in[1]);
	close(o[0]);
	close(stop[0]);
	close(stop[1]);
}

/* A terminal as stdin: its size goes to the master, it is raw only while
 * the proxy runs. */
static void test_proxy_tty_stdin(void **state)
{
	struct unit *u = *state;
	struct winsize ws = { .ws_row = 33, .ws_col = 99 };
	struct termios before, after;
	int master, slave, term_m, term_s, o[2], stop[2];

	open_pty(&master, &slave);
	open_pty(&term_m, &term_s); /* the user's terminal; term_s is its tty */
	assert_int_equal(ioctl(term_s, TIOCSWINSZ, &ws), 0);
	assert_int_equal(tcgetattr(term_s, &before), 0);
	assert_true(before.c_lflag & ICANON);
	pipe_cloexec(o);
	pipe_cloexec(stop);
	assert_int_equal(write(stop[1], "x", 1), 1);
	if (console_proxy(master, term_s, o[1], stop[0], &u->e) != 0)
		fail_msg("console_proxy: %s", u->e.msg);
	assert_winsize(master, 33, 99);
	assert_int_equal(tcgetattr(term_s, &after), 0);
	assert_int_equal(after.c_lflag, before.c_lflag);
	assert_int_equal(after.c_iflag, before.c_iflag);
	assert_int_equal(after.c_oflag, before.c_oflag);
	close(master);
	close(slave);
	close(term_m);
	close(term_s);
	close(o[0]);
	close(o[1]);
	close(stop[0]);
	close(stop[1]);
}

static void test_proxy_bad_fd(void **state)
{
	struct unit *u = *state;
	int master, slave, o[2];

	open_pty(&master, &slave);
	pipe_cloexec(o);
	assert_int_equal(console_proxy(master, 1000, o[1], -1, &u->e), -1);
	assert_err(u, "console: poll fd 1000: %s", strerror(EBADF));
	close(master);
	close(slave);
	close(o[0]);
	close(o[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_setup_slave_over_socketpair),
		UNIT_TEST(test_setup_slave_root_in_userns),
		UNIT_TEST(test_setup_slave_falls_back_to_pts_ptmx),
		UNIT_TEST(test_setup_slave_refuses_non_ptmx),
		UNIT_TEST(test_setup_slave_unprivileged),
		UNIT_TEST(test_setup_slave_refuses_stdio_socket),
		UNIT_TEST(test_connect_shim_receives_master),
		UNIT_TEST(test_connect_long_path),
		UNIT_TEST(test_connect_errors),
		UNIT_TEST(test_recv_master_refusals),
		UNIT_TEST(test_proxy_until_hangup),
		UNIT_TEST(test_proxy_stop_fd_drains),
		UNIT_TEST(test_proxy_tty_stdin),
		UNIT_TEST(test_proxy_bad_fd),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
