/* launch.c - the parent side of a launch.
 *
 *   1. (caller) the spec is validated: nothing has been touched yet
 *   2. launch_prepare: open the rootfs; the cgroup (with limits, or for
 *      an OCI container) made and its limits written; missing mount
 *      points created; bind sources opened; the sync channel made; the
 *      forwarded signals blocked (so none is lost between clone and the
 *      wait loop)
 *   3. launch_spawn: clone3 into the new namespaces, born inside the
 *      cgroup; write the id maps (and the OCI prestart/createRuntime
 *      hooks run), tell the child to go; read its verdict: an error,
 *      end-of-file on exec, or (OCI) "ready", waiting for `start`
 *   4. launch_wait: forward signals, wait, report the status
 *   5. launch_end: on any failure the child is killed and reaped; it owns
 *      every mount it made (they die with its mount namespace), and the
 *      cgroup is killed and removed on every path out, so nothing is
 *      left. launch_release (OCI create) leaves the container and its
 *      cgroup to `delete`.
 */
#include "launch.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "digest.h"
#include "mount.h"
#include "net.h"
#include "ns.h"
#include "setuid.h"
#include "sigsys.h"
#include "sync.h"
#include "util.h"

void launch_forwarded_signals(sigset_t *set)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
				    SIGCONT };

	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(set, sigs[i]);
}

static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return RP_EXIT_SIGNAL_BASE + WTERMSIG(st);
}

static int send_signal(pid_t pid, int pidfd, int sig)
{
	/* The pidfd cannot be fooled by pid reuse. */
	if (pidfd >= 0)
		return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
	return kill(pid, sig);
}

static void kill_and_reap(pid_t pid, int pidfd)
{
	int st;

	send_signal(pid, pidfd, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* Forward signals (and, when learning, answer the workload's syscall
 * notifications) until the child exits; return its status. */
static int wait_forwarding(pid_t pid, int pidfd, int listener, struct learn_log *log,
			   struct rp_err *e)
{
	sigset_t set;
	_cleanup_close_ int sfd = -1;
	int st;

	launch_forwarded_signals(&set);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		kill_and_reap(pid, pidfd);
		return rp_fail(e, errno, "launch", "signalfd");
	}
	for (;;) {
		/* poll ignores negative fds: no pidfd, no listener. */
		struct pollfd p[3] = { { .fd = sfd, .events = POLLIN },
				       { .fd = pidfd, .events = POLLIN },
				       { .fd = listener, .events = POLLIN } };
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return status_code(st);
		if (r < 0 && errno != EINTR) {
			return rp_fail(e, errno, "launch", "wait for pid %d", pid);
		}
		/* Without a pidfd (old kernel) poll the signalfd with a tick. */
		if (poll(p, 3, pidfd >= 0 ? -1 : 50) < 0 && errno != EINTR) {
			kill_and_reap(pid, pidfd);
			return rp_fail(e, errno, "launch", "poll");
		}
		if (listener >= 0 && p[2].revents) {
			int served = learn_serve(listener, log);
			if (served < 0) {
				int err = errno;
				kill_and_reap(pid, pidfd);
				return rp_fail(e, err, "learn", "answer the workload's syscalls");
			}
			if (served > 0)
				listener = -1; /* every filtered task is gone */
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				send_signal(pid, pidfd, (int)si.ssi_signo);
		}
	}
}

struct verdict {
	pid_t workload;   /* its pid as we see it (SYNC_EXEC) */
	int listener;     /* learning: the seccomp listener, else -1 */
};

/* Learning: the workload's execve waits on us, so keep answering
 * notifications while waiting for the sync socket to speak. */
static int wait_sync(int fd, int listener, struct learn_log *log)
{
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = listener, .events = POLLIN } };

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p[1].revents) {
			int served = learn_serve(listener, log);
			if (served < 0)
				return -1;
			if (served > 0)
				p[1].fd = -1;
		}
		if (p[0].revents)
			return 0;
	}
}

/* Fault injection for the tests (tests/fault): with RAMPART_STOP_AT=STAGE
 * the launcher stops itself (SIGSTOP) right after STAGE, so a test can
 * SIGKILL it exactly there and prove the next invocation leaves the host
 * as it was. It can only pause the caller's own process. Stages: cgroup,
 * overlay, clone, net, exec. */
static void stop_point(const char *stage)
{
	const char *want = getenv("RAMPART_STOP_AT");

	if (want && strcmp(want, stage) == 0)
		raise(SIGSTOP);
}

/* Read the child's messages until exec (end-of-file), ready (OCI) or an
 * error. Returns SYNC_ERROR (child_err filled), SYNC_READY, 0 (exec'd),
 * or -1 (e filled). */
static int read_verdict(int fd, struct rp_err *child_err, struct learn_log *log, struct verdict *v,
			struct rp_err *e)
{
	for (;;) {
		pid_t pid;
		int r;

		if (v->listener >= 0 && wait_sync(fd, v->listener, log) < 0)
			return rp_fail(e, errno, "sync", "wait for the container");
		r = sync_recv(fd, child_err, &pid);
		if (r < 0)
			return rp_fail(e, errno, "sync", "read the container's status");
		if (r == SYNC_EXEC) {
			v->workload = pid;
		} else if (r == SYNC_LEARN && log && v->workload > 0 && v->listener < 0) {
			v->listener = learn_take_listener(v->workload, child_err->exit_code, e);
			if (v->listener < 0)
				return -1;
		} else if (r == SYNC_LEARN) {
			return rp_fail(e, EPROTO, "sync", "unexpected listener handover");
		} else if (r == SYNC_READY) {
			return r;
		} else {
			return r;
		}
	}
}

/* Written by us, root on the host: lowering it needs CAP_SYS_RESOURCE,
 * which the container may not keep. */
static int write_oom_score_adj(pid_t pid, int adj, struct rp_err *e)
{
	char path[64], value[16];

	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	snprintf(value, sizeof(value), "%d", adj);
	if (write_file_at(AT_FDCWD, path, value) < 0)
		return rp_fail(e, errno, "process", "oomScoreAdj %d", adj);
	return 0;
}

static void notice(const struct launch_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void notice(const struct launch_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->notices)
		return;
	fputs("rampart: ", o->notices);
	va_start(ap, fmt);
	vfprintf(o->notices, fmt, ap);
	va_end(ap);
	fputc('\n', o->notices);
}

/* After a SIGSYS death, say which syscall the filter refused. */
static void name_sigsys(const struct launch_opts *o, int watch, pid_t workload, int status)
{
	char what[160];

	if (status != RP_EXIT_SIGNAL_BASE + SIGSYS || workload <= 0)
		return;
	if (watch < 0)
		notice(o, "seccomp: the workload was killed (SIGSYS) by the syscall filter; "
			  "run as root to have the syscall named, or look for audit type=1326 in the kernel log");
	else if (sigsys_describe(watch, workload, 200, what, sizeof(what)) == 0)
		notice(o, "seccomp: the workload was killed (SIGSYS) for calling %s, which the profile does not allow",
		       what);
}

/* Decide whether the container gets a cgroup, and make it. Checked before
 * anything is created; `cgroup optional` turns a missing controller into a
 * loud warning instead of an error. */
static int setup_cgroup(const struct spec *s, const struct launch_opts *o, struct cgroup *cg,
			struct rp_err *e);

static int oci_cgroup_relpath(const struct spec *s, char *out, size_t len)
{
	return s->oci.cgroups_path ? xsnprintf(out, len, "%s", s->oci.cgroups_path)
				   : xsnprintf(out, len, CGROUP_OCI_PARENT "/%s", s->oci.id);
}

int launch_oci_cgroup_path(const struct spec *s, char *out, size_t len)
{
	char root[PATH_MAX], rel[PATH_MAX];
	struct rp_err ignore = { 0 };

	if (cgroup_find_root(root, sizeof(root), &ignore) < 0 || oci_cgroup_relpath(s, rel, sizeof(rel)) < 0)
		return -1;
	return xsnprintf(out, len, "%s%s", root, rel) < 0 ? -1 : 0;
}

/* OCI: every container gets a cgroup, limits or not, since pause, ps,
 * kill --all and delete work on it: linux.cgroupsPath, else /rampart-oci/ID.
 * Without cgroup v2 and without limits it runs without one, and says so. */
static int setup_oci_cgroup(const struct spec *s, const struct launch_opts *o, struct cgroup *cg,
			    struct rp_err *e)
{
	struct resources_spec l = s->limits;
	char root[PATH_MAX], path[PATH_MAX], *name;
	struct rp_err why = { 0 };

	if (cgroup_find_root(root, sizeof(root), &why) == 0 && limits_any(&l) &&
	    cgroup_check(root, &l, &why) < 0 && limits_drop_weights(&l)) {
		/* Weights share the CPU or disk between siblings; they cap
		 * nothing. containerd asks for cpu.shares 1024 on every
		 * container: a host without the cpu controller runs it without
		 * the weight, and says so. Limits stay fail-closed. */
		struct rp_err again = { 0 };
		if (cgroup_check(root, &l, &again) == 0) {
			notice(o, "%s", why.msg);
			notice(o, "cgroup: cpu/io weights not applied (they set shares, not limits)");
		}
		why = again; /* a limit still missing is the error to report */
	}
	if (why.msg[0] || (limits_any(&l) && cgroup_check(root, &l, &why) < 0)) {
		if (limits_any(&l) && !l.optional) {
			*e = why;
			return -1;
		}
		notice(o, "%s", why.msg);
		notice(o, "cgroup: the container runs without a cgroup of its own (no pause, ps or limits)");
		return 0;
	}
	if (oci_cgroup_relpath(s, path, sizeof(path)) < 0)
		return rp_fail(e, ENAMETOOLONG, "cgroup", "%s", s->oci.id);
	name = strrchr(path, '/');
	*name++ = '\0';
	l.parent = path;
	if (!*name)
		return rp_fail(e, 0, "cgroup", "linux.cgroupsPath %s: no cgroup name", s->oci.cgroups_path);
	if (cgroup_create(root, &l, name, cg, &why) == 0)
		return 0;
	/* No limits asked: the cgroup was for pause, ps and kill --all. A
	 * cgroup tree rampart may not write (read-only, not delegated) does
	 * not stop the container; a limit would. */
	if (limits_any(&l)) {
		*e = why;
		return -1;
	}
	notice(o, "%s", why.msg);
	notice(o, "cgroup: the container runs without a cgroup of its own (no pause, ps or limits)");
	return 0;
}

static int setup_cgroup(const struct spec *s, const struct launch_opts *o, struct cgroup *cg,
			struct rp_err *e)
{
	const struct resources_spec *l = &s->limits;
	struct resources_spec rootless_limits;
	char root[PATH_MAX], name[64], what[128], delegated[PATH_MAX];
	struct rp_err why = { 0 };

	cg->fd = -1;
	if (s->oci.active && !s->rootless)
		return setup_oci_cgroup(s, o, cg, e);
	if (!limits_any(l))
		return 0;
	limits_controllers(l, what, sizeof(what));
	if (cgroup_find_root(root, sizeof(root), &why) == 0 && cgroup_check(root, l, &why) == 0 &&
	    s->rootless && !l->parent) {
		/* Rootless without a `cgroup parent`: a delegated subtree, if the
		 * caller has one; else say which limits cannot be applied. */
		if (cgroup_delegated_parent(root, delegated, sizeof(delegated)) == 0) {
			rootless_limits = *l;
			rootless_limits.parent = delegated;
			l = &rootless_limits;
		} else {
			rp_fail(&why, 0, "cgroup",
				"rootless: no cgroup is delegated to uid %u (the parent of its own cgroup is "
				"not its), so these limits cannot be applied: %s; delegate one (systemd: "
				"Delegate=yes), set 'cgroup parent' to a subtree you own, or 'cgroup optional'",
				(unsigned)geteuid(), what);
		}
	}
	if (why.msg[0]) {
		if (!l->optional) {
			*e = why;
			return -1;
		}
		notice(o, "%s", why.msg);
		notice(o, "cgroup: running WITHOUT these limits: %s ('cgroup optional')", what);
		return 0;
	}
	/* Reap what launchers killed with SIGKILL left behind. */
	if (cgroup_gc(root, l->parent, e) < 0)
		return -1;
	snprintf(name, sizeof(name), CGROUP_NAME_PREFIX "%d", (int)getpid());
	return cgroup_create(root, l, name, cg, e);
}

/* OCI hooks that run before the rootfs turns read-only may write to it
 * (GPU hooks add files to /usr/bin): they see the whole-tree overlay. */
static bool hooks_write_rootfs(const struct spec *s)
{
	const struct hook_list *l = s->oci.hooks.list;

	return l[HOOK_PRESTART].n || l[HOOK_CREATE_RUNTIME].n || l[HOOK_CREATE_CONTAINER].n;
}

/* `setuid strip`: the stripped overlay the child will use as its root.
 * Only root can build it outside a user namespace; rootless launches keep
 * nosuid (and their files belong to the caller anyway), and say so. */
static int strip_setuid(const struct spec *s, const struct launch_opts *o, int rootfd, int *root_mnt,
			struct rp_err *e)
{
	struct strip_report rep;
	struct strip_plan plan;
	unsigned files;

	*root_mnt = -1;
	if (!s->setuid_strip)
		return 0;
	if (s->rootless) {
		notice(o, "setuid: not stripped in a rootless launch (nosuid still applies on every mount)");
		return 0;
	}
	/* Most images have nothing to strip: then no overlay at all. */
	if (setuid_count(rootfd, s->rootfs, &rep, &plan, e) < 0)
		return -1;
	if (!rep.setuid && !rep.setgid && !rep.fcaps)
		return 0;
	/* Overlays on the stripped directories only, where nothing is
	 * written (setuid.h). */
	files = rep.files;
	*root_mnt = setuid_strip_overlay(rootfd, s->rootfs,
					 s->rootfs_readonly && !hooks_write_rootfs(s) ? &plan : NULL, &rep, e);
	if (*root_mnt < 0)
		return -1;
	rep.files = files;
	if (rep.setuid || rep.setgid || rep.fcaps)
		notice(o, "setuid: stripped %u setuid, %u setgid and %u file-capability bits in the "
			  "container's view of %s (%u files; the image is unchanged)",
		       rep.setuid, rep.setgid, rep.fcaps, s->rootfs, rep.files);
	return 0;
}

/* `image digest`: the tree must be the pinned one, checked before anything
 * is created. A repeated launch of an unchanged tree is answered by the
 * digest cache (digest.h) without reading file contents. */
static int verify_image(const struct spec *s, int rootfd, struct rp_err *e)
{
	const struct origin *o = &s->image_origin;
	char got[DIGEST_LEN], dir[PATH_MAX], first[PATH_MAX];
	bool cached = false;
	int r;

	if (!s->image_digest)
		return 0;
	r = cache_dir_path("digest", dir, sizeof(dir)) < 0 ? digest_tree(rootfd, got, NULL, e)
							    : digest_tree_cached(rootfd, dir, got, &cached, e);
	if (r < 0)
		return rp_err_prefix(e, "image");
	if (strcmp(got, s->image_digest) == 0)
		return 0;
	if (s->image_manifest) {
		r = digest_compare_manifest(rootfd, s->image_manifest, first, sizeof(first), e);
		if (r < 0)
			return rp_err_prefix(e, "image");
		if (r == 1)
			return rp_fail_at(e, o->file ? o->file : "spec", o->line,
					  "image: %s is not the pinned image: first difference at %s (its digest is %s)",
					  s->rootfs, first, got);
	}
	return rp_fail_at(e, o->file ? o->file : "spec", o->line,
			  "image: %s has digest %s, not the pinned %s%s", s->rootfs, got, s->image_digest,
			  s->image_manifest ? "" : " (add 'manifest FILE', written by rampart digest --manifest, "
						   "to have the first difference named)");
}

/* The parts of a launch, held from prepare to end. */
struct launch {
	const struct spec *s;
	const struct launch_opts *o;
	int rootfd, root_mnt, sync[2], pidfd, watch;
	int *sources;
	struct sc_filters filters;
	struct cgroup cg;
	struct secret_data secrets[SECRETS_MAX];
	struct net_state net;
	struct verdict v;
	struct child_args args;
	sigset_t old_mask;
	bool masked;      /* the forwarded signals are blocked; restore old_mask */
	pid_t pid;        /* the container's first process, 0 before clone */
	bool reaped;
	bool released;    /* detached: the container and its cgroup outlive us */
};

static int block_signals(struct launch *l, struct rp_err *e)
{
	sigset_t block;

	launch_forwarded_signals(&block);
	sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, &l->old_mask) < 0)
		return rp_fail(e, errno, "launch", "block signals");
	l->masked = true;
	return 0;
}

struct launch *launch_prepare(const struct spec *s, const struct launch_opts *o, struct rp_err *e)
{
	struct launch *l = xcalloc(1, sizeof(*l));
	bool cached;

	*l = (struct launch){ .s = s, .o = o, .rootfd = -1, .root_mnt = -1, .sync = { -1, -1 },
			      .pidfd = -1, .watch = -1, .cg = { .fd = -1 },
			      .v = { .workload = 0, .listener = -1 } };
	/* Compiled before anything is touched: a rule libseccomp refuses is a
	 * config error like any other. */
	if (seccomp_compile_cached(&s->seccomp, o->learn != NULL, &l->filters, &cached, e) < 0)
		goto fail;
	l->rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (l->rootfd < 0) {
		rp_fail(e, errno, "launch", "rootfs %s", s->rootfs);
		goto fail;
	}
	if (verify_image(s, l->rootfd, e) < 0 || setup_cgroup(s, o, &l->cg, e) < 0)
		goto fail;
	stop_point("cgroup");
	if (mount_prepare_targets(s, l->rootfd, e) < 0 || strip_setuid(s, o, l->rootfd, &l->root_mnt, e) < 0)
		goto fail;
	stop_point("overlay");
	if (mount_open_sources(s, &l->sources, e) < 0 || secrets_read(s, l->secrets, e) < 0 ||
	    sync_pair(l->sync, e) < 0 || block_signals(l, e) < 0)
		goto fail;
	return l;
fail:
	(void)launch_end(l, NULL);
	return NULL;
}

/* The child keeps only what it was handed: whatever else rampart has
 * open (the state directory's lock, a log file) stays on the host. */
static void close_unhanded_fds(const struct launch *l)
{
	const struct launch_oci *oci = l->o->oci;
	size_t n = 0, max = 10 + l->s->nmounts + (oci ? oci->preserve_fds : 0);
	int *keep = xcalloc(max, sizeof(int));

	keep[n++] = l->rootfd;
	keep[n++] = l->root_mnt;
	keep[n++] = l->sync[1];
	for (size_t i = 0; l->sources && i < l->s->nmounts; i++)
		keep[n++] = l->sources[i];
	if (oci) {
		keep[n++] = oci->exec_fifo;
		keep[n++] = oci->console;
		keep[n++] = oci->create_state;
		keep[n++] = oci->start_state;
		keep[n++] = oci->agent;
		keep[n++] = oci->agent_msg;
		for (unsigned i = 0; i < oci->preserve_fds; i++)
			keep[n++] = 3 + (int)i;
	}
	if (close_fds_except(keep, n) < 0)
		_exit(RP_EXIT_ERROR);
	free(keep);
}

/* The child's side of the clone: never returns. */
static _Noreturn void become_container(struct launch *l, bool placed)
{
	close(l->sync[0]);
	close_unhanded_fds(l);
	l->args = (struct child_args){ .s = l->s, .rootfd = l->rootfd, .root_mnt = l->root_mnt,
				       .sources = l->sources, .filters = &l->filters, .syncfd = l->sync[1],
				       .own_cgroup = l->cg.fd >= 0, .learn = l->o->learn != NULL,
				       .secrets = l->secrets, .oci = l->o->oci,
				       .unshare_cgroupns = l->cg.fd >= 0 && !placed &&
							   l->s->ns[NS_CGROUP].unshare };
	container_main(&l->args);
}

static int died_in_setup(struct launch *l, struct rp_err *e)
{
	int st = 0;

	while (waitpid(l->pid, &st, 0) < 0 && errno == EINTR)
		;
	l->reaped = true;
	if (WIFSIGNALED(st))
		return rp_fail(e, 0, "create", "the container's process was killed by signal %d during set-up%s",
			       WTERMSIG(st), WTERMSIG(st) == SIGSYS ? " (its seccomp filter refused a set-up syscall)" : "");
	return rp_fail(e, 0, "create", "the container's process exited with status %d during set-up",
		       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static int fail_spawn(struct launch *l)
{
	kill_and_reap(l->pid, l->pidfd);
	l->reaped = true;
	return -1;
}

int launch_spawn(struct launch *l, struct rp_err *e)
{
	const struct spec *s = l->s;
	const struct launch_oci *oci = l->o->oci;
	struct rp_err child_err = { 0 };
	bool placed;
	int r;

	/* Subscribed before the workload exists, so no record is missed. */
	if (s->seccomp.enabled && !oci)
		l->watch = sigsys_watch();
	l->pid = ns_clone_spec(s, l->cg.fd, &l->pidfd, &placed, e);
	if (l->pid < 0) {
		l->pid = 0;
		return -1;
	}
	if (l->pid == 0)
		become_container(l, placed);
	close(l->sync[1]);
	l->sync[1] = -1;
	stop_point("clone");

	/* Before "go": the child runs nothing of its own until then. */
	if ((l->cg.fd >= 0 && !placed && cgroup_attach(&l->cg, l->pid, e) < 0) ||
	    (s->ns[NS_USER].unshare && ns_write_idmaps(l->pid, s, e) < 0) ||
	    (s->oci.oom_score_adj_set && write_oom_score_adj(l->pid, s->oci.oom_score_adj, e) < 0) ||
	    net_setup_host(&s->net, l->pid, &l->net, e) < 0 ||
	    net_move_devices(s->oci.net_devices, l->pid, e) < 0 ||
	    (oci && oci->namespaces_ready && oci->namespaces_ready(oci->arg, l->pid, e) < 0))
		return fail_spawn(l);
	stop_point("net");
	if (sync_send(l->sync[0], SYNC_GO, NULL) < 0) {
		rp_fail(e, errno, "sync", "start the container");
		return fail_spawn(l);
	}
	r = read_verdict(l->sync[0], &child_err, l->o->learn, &l->v, e);
	if (r == SYNC_HOOKS && oci && oci->before_pivot) {
		if (oci->before_pivot(oci->arg, e) < 0)
			return fail_spawn(l);
		if (sync_send(l->sync[0], SYNC_GO, NULL) < 0) {
			rp_fail(e, errno, "sync", "resume the container after the hooks");
			return fail_spawn(l);
		}
		r = read_verdict(l->sync[0], &child_err, l->o->learn, &l->v, e);
	}
	if (r == SYNC_ERROR)
		*e = child_err;
	if (r < 0 || r == SYNC_ERROR)
		return fail_spawn(l);
	/* OCI: nothing execs before start, so end-of-file without "ready"
	 * means the child died (a filter that kills a setup syscall, say). */
	if (oci && r != SYNC_READY)
		return died_in_setup(l, e);
	if (r == 0)
		stop_point("exec");
	return 0;
}

pid_t launch_pid(const struct launch *l)
{
	return l->pid;
}

const char *launch_cgroup(const struct launch *l)
{
	return l->cg.fd >= 0 ? l->cg.path : NULL;
}

int launch_wait(struct launch *l, struct rp_err *e)
{
	int status = wait_forwarding(l->pid, l->pidfd, l->v.listener, l->o->learn, e);

	l->reaped = true;
	if (status >= 0)
		name_sigsys(l->o, l->watch, l->v.workload, status);
	return status;
}

int launch_wait_process(pid_t pid, int pidfd, struct rp_err *e)
{
	return wait_forwarding(pid, pidfd, -1, NULL, e);
}

void launch_release(struct launch *l)
{
	l->released = true;
}

int launch_end(struct launch *l, struct rp_err *e)
{
	int r = 0;

	if (!l)
		return 0;
	if (l->pid > 0 && !l->reaped && !l->released)
		kill_and_reap(l->pid, l->pidfd);
	if (l->released)
		l->net.ifindex = 0; /* the pair goes with the container's netns */
	net_teardown(&l->net);
	if (l->cg.fd >= 0 && l->o->stats && !l->released)
		cgroup_stats(&l->cg, l->o->stats);
	if (l->o->oom)
		*l->o->oom = l->cg.fd >= 0 && !l->released ? cgroup_oom_killed(&l->cg) : -1;
	if (l->cg.fd >= 0 && !l->released) {
		struct rp_err ce = { 0 };
		if (cgroup_destroy(&l->cg, &ce) < 0 && e) {
			*e = ce;
			r = -1;
		}
	}
	if (l->cg.fd >= 0)
		close(l->cg.fd);
	if (l->masked && sigprocmask(SIG_SETMASK, &l->old_mask, NULL) < 0 && e && r == 0)
		r = rp_fail(e, errno, "launch", "restore the signal mask");
	/* The child wrote its copy and wiped it; this is the parent's. */
	secrets_wipe(l->secrets, l->s->nsecrets);
	mount_close_sources(l->s, &l->sources);
	seccomp_filters_free(&l->filters);
	closep(&l->rootfd);
	closep(&l->root_mnt);
	closep(&l->sync[0]);
	closep(&l->sync[1]);
	closep(&l->pidfd);
	closep(&l->watch);
	closep(&l->v.listener);
	free(l);
	return r;
}

int launch_run(const struct spec *s, const struct launch_opts *o, struct rp_err *e)
{
	struct launch *l = launch_prepare(s, o, e);
	int status;

	if (!l)
		return -1;
	status = launch_spawn(l, e) < 0 ? -1 : launch_wait(l, e);
	if (launch_end(l, status < 0 ? NULL : e) < 0)
		return -1;
	return status;
}
