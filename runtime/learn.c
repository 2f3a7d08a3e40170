/* learn.c - the supervisor side of `rampart learn`. */
#include "learn.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "seccomp.h"
#include "util.h"

int learn_take_listener(pid_t pid, int fdnum, struct rp_err *e)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int fd = -1;

	if (pidfd < 0)
		return rp_fail(e, errno, "learn", "pidfd_open %d", pid);
	/* The workload announces the number before it loads the filter: poll
	 * until the fd exists (a few microseconds; 2 s at most). */
	for (int i = 0; i < 2000; i++) {
		char link[64], target[64] = "";
		char path[64];

		fd = (int)syscall(SYS_pidfd_getfd, pidfd, fdnum, 0);
		if (fd < 0 && errno != EBADF)
			return rp_fail(e, errno, "learn", "take the seccomp listener from pid %d", pid);
		if (fd >= 0) {
			/* Make sure it is the listener, not whatever had the number. */
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			snprintf(link, sizeof(link), "anon_inode:seccomp notify");
			if (readlink(path, target, sizeof(target) - 1) > 0 && strcmp(target, link) == 0)
				return fd;
			close(fd);
			fd = -1;
		}
		usleep(1000);
	}
	return rp_fail(e, ETIMEDOUT, "learn", "the workload's seccomp listener never appeared");
}

static void note_value(struct learn_values *v, uint64_t value)
{
	for (unsigned i = 0; i < v->n; i++)
		if (v->value[i] == value) {
			v->count[i]++;
			return;
		}
	if (v->n == LEARN_MAX_VALUES) {
		v->overflow = true;
		return;
	}
	v->value[v->n] = value;
	v->count[v->n++] = 1;
}

static void record(struct learn_log *log, const struct seccomp_data *d)
{
	static int nr_socket = -1, nr_personality, nr_prctl, nr_ioctl, nr_clone;

	if (nr_socket < 0) {
		nr_socket = seccomp_syscall_resolve_name("socket");
		nr_personality = seccomp_syscall_resolve_name("personality");
		nr_prctl = seccomp_syscall_resolve_name("prctl");
		nr_ioctl = seccomp_syscall_resolve_name("ioctl");
		nr_clone = seccomp_syscall_resolve_name("clone");
	}
	if (d->nr < 0 || d->nr >= LEARN_MAX_NR)
		return;
	log->count[d->nr]++;
	log->total++;
	/* int and unsigned int arguments: only the low 32 bits count. */
	if (d->nr == nr_socket)
		note_value(&log->socket, d->args[0] & 0xffffffffu);
	else if (d->nr == nr_personality)
		note_value(&log->personality, d->args[0] & 0xffffffffu);
	else if (d->nr == nr_prctl)
		note_value(&log->prctl, d->args[0] & 0xffffffffu);
	else if (d->nr == nr_ioctl)
		note_value(&log->ioctl, d->args[1] & 0xffffffffu);
	else if (d->nr == nr_clone)
		note_value(&log->clone, d->args[0]);
}

int learn_serve(int listener, struct learn_log *log)
{
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;
	struct pollfd p = { .fd = listener, .events = POLLIN };
	int r = 0;

	if (seccomp_notify_alloc(&req, &resp) < 0)
		return -1;
	while (poll(&p, 1, 0) > 0) {
		if (p.revents & (POLLHUP | POLLERR) && !(p.revents & POLLIN)) {
			r = 1;
			break;
		}
		/* The kernel insists on a zeroed buffer for every receive. */
		memset(req, 0, sizeof(*req));
		if (seccomp_notify_receive(listener, req) < 0) {
			/* ENOENT: the caller died between poll and receive. */
			if (errno == ENOENT || errno == EINTR)
				continue;
			r = -1;
			break;
		}
		record(log, &req->data);
		/* Let the syscall run as if there were no filter. */
		memset(resp, 0, sizeof(*resp));
		resp->id = req->id;
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		(void)seccomp_notify_respond(listener, resp); /* ENOENT: it died */
	}
	seccomp_notify_free(req, resp);
	return r;
}

/* ---- writing the profile --------------------------------------------------- */

static const char *value_name(const struct learn_values *which, const struct learn_log *log,
			      uint64_t v, char *buf, size_t len)
{
	static const struct { uint64_t v; const char *n; } af[] = {
		{ AF_UNIX, "AF_UNIX" }, { AF_INET, "AF_INET" }, { AF_INET6, "AF_INET6" },
		{ AF_NETLINK, "AF_NETLINK" }, { AF_PACKET, "AF_PACKET" },
	}, pers[] = {
		{ PER_LINUX, "PER_LINUX" }, { PER_LINUX32, "PER_LINUX32" }, { UNAME26, "UNAME26" },
		{ 0xffffffffu, "PER_QUERY" },
	};

	for (size_t i = 0; which == &log->socket && i < ARRAY_SIZE(af); i++)
		if (af[i].v == v)
			return af[i].n;
	for (size_t i = 0; which == &log->personality && i < ARRAY_SIZE(pers); i++)
		if (pers[i].v == v)
			return pers[i].n;
	snprintf(buf, len, "0x%llx", (unsigned long long)v);
	return buf;
}

/* Conditional allows, one per value seen: socket, personality, prctl. */
static void write_arg_rules(FILE *out, const struct learn_log *log, const struct learn_values *v,
			    const char *name)
{
	char buf[32];

	if (v->overflow) {
		fprintf(out, "seccomp allow %s\t# more than %d distinct values seen: left unconditional\n",
			name, LEARN_MAX_VALUES);
		return;
	}
	for (unsigned i = 0; i < v->n; i++)
		fprintf(out, "seccomp allow %s arg0 == %s\t# %llu call%s\n", name,
			value_name(v, log, v->value[i], buf, sizeof(buf)), (unsigned long long)v->count[i],
			v->count[i] == 1 ? "" : "s");
}

/* Values worth a reviewer's eye, as a comment: ioctl requests, clone flags. */
static void write_seen(FILE *out, const struct learn_values *v, const char *what)
{
	fprintf(out, "#   %s seen:", what);
	for (unsigned i = 0; i < v->n; i++)
		fprintf(out, " 0x%llx (%llu)", (unsigned long long)v->value[i], (unsigned long long)v->count[i]);
	fprintf(out, "%s\n", v->overflow ? " ..." : "");
}

static bool has_arg_rules(const struct learn_log *log, int nr)
{
	static const char *const names[] = { "socket", "personality", "prctl" };
	const struct learn_values *v[] = { &log->socket, &log->personality, &log->prctl };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (nr == seccomp_syscall_resolve_name(names[i]) && !v[i]->overflow)
			return true;
	return false;
}

int learn_write(const struct learn_log *log, const struct learn_origin *o, FILE *out)
{
	time_t now = time(NULL);
	char date[32];
	unsigned distinct = 0;

	strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&now));
	for (int nr = 0; nr < LEARN_MAX_NR; nr++)
		distinct += log->count[nr] > 0;
	fprintf(out, "# Learned by rampart on %s from:\n#  ", date);
	for (size_t i = 0; o->argv && o->argv[i]; i++)
		fprintf(out, " %s", o->argv[i]);
	fprintf(out, "\n# %u distinct syscalls, %llu calls. Re-learn after an upgrade with\n"
		     "# `rampart learn --update THIS_FILE ...` and review the diff.\n\n",
		distinct, (unsigned long long)log->total);
	if (!o->profiles)
		fputs("include default\n", out);
	for (size_t i = 0; o->profiles && o->profiles[i]; i++)
		fprintf(out, "include %s\n", o->profiles[i]);
	for (size_t i = 0; o->sets && o->sets[i]; i++)
		fprintf(out, "%s\n", o->sets[i]);
	fputs("\n# The allowlist is exactly what the workload called; the denies of the\n"
	      "# profiles above stay in force.\nseccomp on\nseccomp clear allow\n", out);
	for (int nr = 0; nr < LEARN_MAX_NR; nr++) {
		if (!log->count[nr] || has_arg_rules(log, nr))
			continue;
		fprintf(out, "seccomp allow %s\t# %llu call%s\n", seccomp_syscall_name(nr),
			(unsigned long long)log->count[nr], log->count[nr] == 1 ? "" : "s");
	}
	if (log->socket.n)
		write_arg_rules(out, log, &log->socket, "socket");
	if (log->personality.n)
		write_arg_rules(out, log, &log->personality, "personality");
	if (log->prctl.n)
		write_arg_rules(out, log, &log->prctl, "prctl");
	if (log->ioctl.n || log->clone.n)
		fputs("# For review:\n", out);
	if (log->ioctl.n)
		write_seen(out, &log->ioctl, "ioctl requests");
	if (log->clone.n)
		write_seen(out, &log->clone, "clone flags");
	return ferror(out) ? -1 : 0;
}

/* ---- merging into an existing profile ----------------------------------------- */

/* Does the profile text already allow syscall `name` (unconditionally or
 * by an argument rule)? */
static bool allowed_in(const char *text, const char *name)
{
	char pat[96];
	size_t n;

	n = (size_t)snprintf(pat, sizeof(pat), "seccomp allow %s", name);
	for (const char *p = text; (p = strstr(p, pat)); p += n)
		if ((p == text || p[-1] == '\n') && strchr(" \t\n#", p[n] ? p[n] : '\n'))
			return true;
	return false;
}

int learn_update(const struct learn_log *log, const char *path, struct rp_err *e)
{
	_cleanup_close_ int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	_cleanup_free_ char *text = NULL;
	struct stat st;
	FILE *out;
	bool header = false;
	char date[32];
	time_t now = time(NULL);

	if (fd < 0 || fstat(fd, &st) < 0)
		return rp_fail(e, errno, "learn", "update %s", path);
	if (st.st_size > 1 << 20)
		return rp_fail(e, EFBIG, "learn", "update %s", path);
	text = xmalloc((size_t)st.st_size + 1);
	if (pread(fd, text, (size_t)st.st_size, 0) != st.st_size)
		return rp_fail(e, errno ? errno : EIO, "learn", "read %s", path);
	text[st.st_size] = '\0';
	out = fdopen(fd, "a");
	if (!out)
		return rp_fail(e, errno, "learn", "update %s", path);
	fd = -1;
	strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&now));
	for (int nr = 0; nr < LEARN_MAX_NR; nr++) {
		const char *name;

		if (!log->count[nr])
			continue;
		name = seccomp_syscall_name(nr);
		if (allowed_in(text, name))
			continue;
		if (!header) {
			fprintf(out, "%s# Added by rampart learn --update on %s:\n",
				st.st_size && text[st.st_size - 1] != '\n' ? "\n" : "", date);
			header = true;
		}
		fprintf(out, "seccomp allow %s\t# %llu call%s\n", name, (unsigned long long)log->count[nr],
			log->count[nr] == 1 ? "" : "s");
	}
	if (fclose(out) != 0)
		return rp_fail(e, errno, "learn", "write %s", path);
	return 0;
}
