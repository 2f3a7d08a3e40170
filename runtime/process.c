/* process.c - identity, rlimits, environment, cwd and fds of the workload. */
#include "process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

static const char *const rlimit_names[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = "cpu",         [RLIMIT_FSIZE] = "fsize",     [RLIMIT_DATA] = "data",
	[RLIMIT_STACK] = "stack",     [RLIMIT_CORE] = "core",       [RLIMIT_RSS] = "rss",
	[RLIMIT_NPROC] = "nproc",     [RLIMIT_NOFILE] = "nofile",   [RLIMIT_MEMLOCK] = "memlock",
	[RLIMIT_AS] = "as",           [RLIMIT_LOCKS] = "locks",     [RLIMIT_SIGPENDING] = "sigpending",
	[RLIMIT_MSGQUEUE] = "msgqueue", [RLIMIT_NICE] = "nice",     [RLIMIT_RTPRIO] = "rtprio",
	[RLIMIT_RTTIME] = "rttime",
};

int rlimit_from_name(const char *name)
{
	if (strncasecmp(name, "RLIMIT_", 7) == 0)
		name += 7;
	for (int r = 0; r < RLIM_NLIMITS; r++)
		if (rlimit_names[r] && strcasecmp(name, rlimit_names[r]) == 0)
			return r;
	return -1;
}

const char *rlimit_name(int r)
{
	return r >= 0 && r < RLIM_NLIMITS && rlimit_names[r] ? rlimit_names[r] : "?";
}

int process_set_rlimits(const struct spec *s, struct rp_err *e)
{
	for (int r = 0; r < RLIM_NLIMITS; r++) {
		if (!s->rlimits[r].set)
			continue;
		if (setrlimit(r, &s->rlimits[r].value) < 0)
			return rp_fail(e, errno, "rlimit", "%s", rlimit_name(r));
	}
	return 0;
}

int process_switch_user(const struct spec *s, struct rp_err *e)
{
	const struct user_spec *u = &s->user;

	/* Keep the permitted set across setresuid; caps_apply() then cuts it
	 * down to exactly what the profile keeps. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return rp_fail(e, errno, "user", "keep capabilities across the switch");
	/* Rootless user namespaces have setgroups denied: there the only
	 * group list is the empty one we were given. */
	if (!s->rootless && setgroups(u->ngids, u->gids) < 0)
		return rp_fail(e, errno, "user", "setgroups for uid %u", u->uid);
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return rp_fail(e, errno, "user", "setresgid %u", u->gid);
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return rp_fail(e, errno, "user", "setresuid %u", u->uid);
	return 0;
}

int process_enter_cwd(const struct spec *s, struct rp_err *e)
{
	char buf[PATH_MAX];

	if (chdir(s->cwd) < 0)
		return rp_fail(e, errno, "cwd", "%s", s->cwd);
	/* getcwd() answers "(unreachable)/..." or ENOENT for a directory
	 * outside our root: refuse to start the workload there. */
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return rp_fail(e, errno ? errno : EPERM, "cwd", "%s is outside the container root", s->cwd);
	return 0;
}

static bool env_has(char **env, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			return true;
	return false;
}

char **process_build_env(const struct spec *s)
{
	char **env = NULL;
	char buf[PATH_MAX + 8];
	const char *term = getenv("TERM");

	for (size_t i = 0; s->env && s->env[i]; i++)
		strv_push(&env, s->env[i]);
	if (!env_has(env, "PATH"))
		strv_push(&env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	if (!env_has(env, "HOME") &&
	    xsnprintf(buf, sizeof(buf), "HOME=%s", s->user.home ? s->user.home : "/") >= 0)
		strv_push(&env, buf);
	/* An OCI process gets exactly its env (plus PATH/HOME as runc does). */
	if (!s->oci.active && !env_has(env, "TERM") && term && xsnprintf(buf, sizeof(buf), "TERM=%s", term) >= 0)
		strv_push(&env, buf);
	return env;
}

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int process_cloexec_fds(struct rp_err *e)
{
	DIR *d;
	struct dirent *de;

	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	/* Before 5.11: walk /proc/self/fd (mounted: this runs after /proc). */
	d = opendir("/proc/self/fd");
	if (!d)
		return rp_fail(e, errno, "fds", "list open file descriptors");
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);
		if (fd > 2 && fd != dirfd(d) && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
			int saved = errno;
			closedir(d);
			return rp_fail(e, saved, "fds", "close-on-exec fd %d", fd);
		}
	}
	closedir(d);
	return 0;
}

int process_new_session_keyring(const char *name, struct rp_err *e)
{
	/* KEYCTL_JOIN_SESSION_KEYRING: with a name, a keyring of that name
	 * the caller may search is joined, else one is made. */
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name) < 0 && errno != ENOSYS)
		return rp_fail(e, errno, "keyring", "a session keyring of its own%s%s", name ? " " : "",
			       name ? name : "");
	return 0;
}
