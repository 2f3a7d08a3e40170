/* check.c - the posture catalogue and its evaluation (docs/check.md).
 *
 * Every check reads the effective spec only. The seccomp checks reason
 * about the rule list the way the kernel will see it (seccomp.c): filter A
 * holds the unconditional rules and the conditional allows behind the
 * default action, filter B the conditional denies; a syscall is possible
 * when A lets it through and no rule of B refuses it for every argument
 * value the workload could choose.
 */
#include "check.h"

#include <ctype.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <seccomp.h>

#include "caps.h"
#include "mount.h"
#include "parse.h"
#include "resources.h"

#define NS_FIX "namespaces user pid mnt net ipc uts cgroup"

const struct check_def check_catalogue[CHECK_COUNT] = {
	{ "RP-USER-1", CHECK_MUST, "the workload runs as a non-root user",
	  "uid 0 owns the image's files and needs only one kernel bug to matter on the host",
	  "user 65534:65534", "4.1" },
	{ "RP-USER-2", CHECK_MUST, "a new user namespace maps container ids to unprivileged host ids",
	  "without one, container root is host root and every kept capability is a host capability",
	  NS_FIX, "5.31" },
	{ "RP-CAP-1", CHECK_MUST, "no dangerous capability is kept",
	  "SYS_ADMIN, SYS_PTRACE, NET_ADMIN, BPF and the like reach kernel code a user namespace does not contain",
	  "caps none", "5.4" },
	{ "RP-CAP-2", CHECK_SHOULD, "kept capabilities stay within the allowlist",
	  "only CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID NET_BIND_SERVICE act on nothing but the container's own files, processes and ports",
	  "caps keep NET_BIND_SERVICE (only what the application needs) or caps none", "5.4" },
	{ "RP-NNP-1", CHECK_MUST, "no_new_privs is set",
	  "setuid binaries and file capabilities cannot raise privileges across execve",
	  "nnp on", "5.26" },
	{ "RP-SECCOMP-1", CHECK_MUST, "a seccomp allowlist refuses the dangerous syscalls",
	  "mount, ptrace, bpf, keyctl, unshare, setns, module and kexec calls are the usual routes from a container into the kernel",
	  "seccomp on + seccomp allow @default (no allow line for these)", "5.22" },
	{ "RP-SECCOMP-2", CHECK_MUST, "clone and clone3 cannot create namespaces",
	  "a nested user namespace gives the workload full capabilities over new namespaces and the kernel code behind them",
	  "seccomp deny clone3 errno ENOSYS + seccomp deny clone arg0 & CLONE_NEWUSER == CLONE_NEWUSER (one per CLONE_NEW* flag, as base)",
	  "5.22" },
	{ "RP-SECCOMP-3", CHECK_SHOULD, "terminal injection ioctls are refused",
	  "TIOCSTI pushes keystrokes into a terminal shared with the host; TIOCLINUX reaches the console",
	  "seccomp deny ioctl arg1 & 0xffffffff == TIOCSTI (and TIOCLINUX)", "-" },
	{ "RP-NS-1", CHECK_MUST, "the host's pid namespace is not shared",
	  "a shared pid namespace shows host processes and lets the workload signal them",
	  NS_FIX, "5.16" },
	{ "RP-NS-2", CHECK_MUST, "the host's network namespace is not shared",
	  "host interfaces, ports and abstract unix sockets (the containerd-shim escape) become reachable",
	  NS_FIX, "5.10" },
	{ "RP-NS-3", CHECK_MUST, "the host's IPC namespace is not shared",
	  "host System V IPC and POSIX message queues become reachable",
	  NS_FIX, "5.17" },
	{ "RP-NS-4", CHECK_SHOULD, "the host's UTS namespace is not shared",
	  "the host's name is visible and, with a capability, changeable",
	  NS_FIX, "5.21" },
	{ "RP-NS-5", CHECK_SHOULD, "the host's cgroup namespace is not shared",
	  "host cgroup paths leak through /proc/self/cgroup and mountinfo",
	  NS_FIX, "-" },
	{ "RP-FS-1", CHECK_MUST, "the rootfs is mounted read-only",
	  "a compromised workload cannot change its own binaries or persist in the image",
	  "rootfs readonly", "5.13" },
	{ "RP-FS-2", CHECK_COULD, "tmpfs mounts are noexec",
	  "a writable, executable directory is where downloaded tools run from",
	  "tmpfs PATH size=N (without exec)", "-" },
	{ "RP-PROC-1", CHECK_MUST, "/proc and /sys are read-only with host paths masked",
	  "kernel knobs and host state under /proc and /sys must be neither writable nor readable",
	  "(built in: always on)", "5.5" },
	{ "RP-MOUNT-1", CHECK_MUST, "no sensitive host path is bind-mounted",
	  "/, /etc, /proc, /sys, /dev, /boot, /root, home directories and container runtime sockets hand over the host",
	  "bind only application data (remove the bind line)", "5.6, 5.32" },
	{ "RP-MOUNT-2", CHECK_SHOULD, "bind mounts are read-only",
	  "a writable host directory lets the workload plant files that the host will read or run",
	  "bind SRC DST (without rw)", "5.6" },
	{ "RP-LIMIT-1", CHECK_MUST, "a memory limit is set",
	  "one container must not be able to exhaust the host's memory",
	  "limit memory 256M", "5.11" },
	{ "RP-LIMIT-2", CHECK_MUST, "a CPU limit is set",
	  "a busy loop must not starve the host",
	  "limit cpu 1", "5.12" },
	{ "RP-LIMIT-3", CHECK_MUST, "a pids limit is set",
	  "a fork bomb must stop at the container's boundary",
	  "limit pids 256", "5.29" },
	{ "RP-LIMIT-4", CHECK_SHOULD, "limits are required, not best-effort",
	  "with 'cgroup optional' a host without the controllers runs the container with no limits at all",
	  "cgroup required", "5.25" },
	{ "RP-CORE-1", CHECK_MUST, "core dumps are off",
	  "a core file holds the process's memory, secrets included",
	  "rlimit core 0", "5.19" },
	{ "RP-ENV-1", CHECK_SHOULD, "no secret-looking variable in the environment",
	  "the environment is readable in /proc/PID/environ, inherited by every child and often logged; pass secrets as files",
	  "remove the env line; bind the secret file read-only", "4.10" },
	{ "RP-SSH-1", CHECK_MUST, "the workload is not an SSH daemon",
	  "an SSH server is a second, unmanaged way into the container",
	  "run the application itself, not sshd or dropbear", "5.7" },
	{ "RP-IMAGE-1", CHECK_SHOULD, "the image is pinned by digest",
	  "a tag can be moved to other content, a digest cannot",
	  "image digest sha256:... (from rampart digest ROOTFS)", "4.5" },
	{ "RP-IMAGE-2", CHECK_SHOULD, "setuid and setgid bits are stripped from the image",
	  "nosuid and no_new_privs neutralise them at run time; stripping removes them from what the container sees",
	  "setuid strip", "4.8" },
};

int check_find(const char *id)
{
	for (int i = 0; i < CHECK_COUNT; i++)
		if (strcmp(check_catalogue[i].id, id) == 0)
			return i;
	return -1;
}

const char *check_level_name(enum check_level l)
{
	switch (l) {
	case CHECK_MUST: return "must";
	case CHECK_SHOULD: return "should";
	case CHECK_COULD: return "could";
	}
	return "?";
}

int check_level_from_name(const char *name)
{
	for (int l = CHECK_MUST; l <= CHECK_COULD; l++)
		if (strcmp(name, check_level_name((enum check_level)l)) == 0)
			return l;
	return -1;
}

const char *check_status_name(enum check_status s)
{
	switch (s) {
	case CHECK_PASS: return "PASS";
	case CHECK_WARN: return "WARN";
	case CHECK_FAIL: return "FAIL";
	case CHECK_WAIVED: return "WAIVED";
	}
	return "?";
}

/* ---- small helpers ------------------------------------------------------ */

struct ctx {
	const struct spec *s;
	char *const *argv;
	bool resolved;
	struct check_result *r;
};

/* Append to the result's detail; a detail that does not fit ends in "...". */
static void addf(struct check_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct check_result *r, const char *fmt, ...)
{
	size_t n = strlen(r->detail);
	va_list ap;
	int w;

	if (n >= sizeof(r->detail) - 1)
		return;
	va_start(ap, fmt);
	w = vsnprintf(r->detail + n, sizeof(r->detail) - n, fmt, ap);
	va_end(ap);
	if (w >= 0 && (size_t)w >= sizeof(r->detail) - n)
		memcpy(r->detail + sizeof(r->detail) - 4, "...", 4);
}

/* addf with ", " between list items. */
static void add_item(struct check_result *r, bool *first, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_item(struct check_result *r, bool *first, const char *fmt, ...)
{
	char item[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(item, sizeof(item), fmt, ap);
	va_end(ap);
	addf(r, "%s%s", *first ? "" : ", ", item);
	*first = false;
}

static void verdict(struct check_result *r, bool passed)
{
	r->passed = passed;
	r->unknown = false;
}

static void unknown(struct check_result *r)
{
	r->passed = false;
	r->unknown = true;
}

/* ---- identity ----------------------------------------------------------- */

static void c_user(struct ctx *c)
{
	const struct user_spec *u = &c->s->user;
	uint32_t uid;

	if (c->resolved) {
		verdict(c->r, u->uid != 0);
		addf(c->r, "uid %u%s%s%s", (unsigned)u->uid, u->name ? " (user " : " (default)",
		     u->name ? u->name : "", u->name ? ")" : "");
	} else if (!u->name) {
		verdict(c->r, true);
		addf(c->r, "uid %u (default)", SPEC_DEFAULT_UID);
	} else if (parse_u32(u->name, &uid) == 0) {
		verdict(c->r, uid != 0);
		addf(c->r, "uid %u", uid);
	} else if (strcmp(u->name, "root") == 0) {
		verdict(c->r, false);
		addf(c->r, "user root");
	} else {
		unknown(c->r);
		addf(c->r, "user '%s' is resolved in the image's /etc/passwd at launch; give --rootfs to check it",
		     u->name);
	}
}

static void c_userns(struct ctx *c)
{
	verdict(c->r, c->s->ns[NS_USER].unshare);
	addf(c->r, c->s->ns[NS_USER].unshare ? "new user namespace" : "the host's user namespace is shared");
}

/* ---- capabilities ------------------------------------------------------- */

/* The allowlist: inside a user namespace these act only on objects the
 * namespace owns (its files, its processes, its ids, ports of its own
 * network namespace). */
static const int cap_allowed[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_KILL,
	CAP_SETGID, CAP_SETUID, CAP_NET_BIND_SERVICE,
};

/* Dangerous: they break isolation outright when the user namespace is
 * shared, and reach kernel interfaces (mounts, modules, raw I/O, netfilter,
 * BPF, perf, ptrace of other container processes, open_by_handle_at) that
 * have been the way out of containers even when it is not. */
static const int cap_dangerous[] = {
	CAP_SYS_ADMIN, CAP_SYS_MODULE, CAP_SYS_PTRACE, CAP_SYS_RAWIO, CAP_SYS_BOOT,
	CAP_SYS_TIME, CAP_NET_ADMIN, CAP_DAC_READ_SEARCH, CAP_MAC_ADMIN, CAP_MAC_OVERRIDE,
	CAP_SYSLOG, CAP_AUDIT_CONTROL, CAP_SYS_PACCT, CAP_BPF, CAP_PERFMON,
	CAP_CHECKPOINT_RESTORE,
};

static bool in_list(const int *list, size_t n, int cap)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == cap)
			return true;
	return false;
}

/* dangerous == true: RP-CAP-1; false: RP-CAP-2, the capabilities that are
 * neither allowlisted nor dangerous (RP-CAP-1 reports those). */
static void caps_class(struct ctx *c, bool dangerous)
{
	bool first = true;
	bool ok = true;

	for (int cap = 0; cap < 64; cap++) {
		bool bad;

		if (!(c->s->caps_keep & (UINT64_C(1) << cap)))
			continue;
		if (dangerous)
			bad = in_list(cap_dangerous, sizeof(cap_dangerous) / sizeof(int), cap);
		else
			bad = !in_list(cap_dangerous, sizeof(cap_dangerous) / sizeof(int), cap) &&
			      !in_list(cap_allowed, sizeof(cap_allowed) / sizeof(int), cap);
		if (!bad)
			continue;
		if (ok)
			addf(c->r, "kept: ");
		ok = false;
		add_item(c->r, &first, "%s", caps_name(cap));
	}
	verdict(c->r, ok);
	if (ok)
		addf(c->r, c->s->caps_keep ? "kept capabilities are all %s" : "no capability kept",
		     dangerous ? "outside the dangerous list" : "allowlisted");
}

static void c_cap_dangerous(struct ctx *c) { caps_class(c, true); }
static void c_cap_allowlist(struct ctx *c) { caps_class(c, false); }

static void c_nnp(struct ctx *c)
{
	verdict(c->r, c->s->no_new_privs);
	addf(c->r, "no_new_privs %s", c->s->no_new_privs ? "on" : "off");
}

/* ---- seccomp ------------------------------------------------------------ */

#define LO32 UINT64_C(0xffffffff)
#define HI32 UINT64_C(0xffffffff00000000)

/* The argument values the workload would pick: any, any with bit(s) F set,
 * or any whose low 32 bits are X (the kernel reads an int; the filter sees
 * all 64 bits, so the high half is the workload's to choose). */
enum pred_kind { P_ANY, P_BIT, P_LOW32 };

struct pred {
	enum pred_kind kind;
	unsigned arg;
	uint64_t v;
};

static bool tautology(const struct sc_cmp *k)
{
	return (k->op == SC_GE && k->value == 0) || (k->op == SC_LE && k->value == UINT64_MAX) ||
	       (k->op == SC_MASKED_EQ && k->mask == 0 && k->value == 0);
}

/* Some value of the set satisfies the comparison. */
static bool cmp_sat(const struct sc_cmp *k, const struct pred *p)
{
	uint64_t f = p->v, top;

	if (k->op == SC_MASKED_EQ && (k->value & ~k->mask))
		return false; /* never matches */
	if (p->kind == P_ANY || k->arg != p->arg)
		return true;
	if (p->kind == P_BIT) {
		switch (k->op) {
		case SC_EQ: return (k->value & f) == f;
		case SC_NE: return true;
		case SC_LT: return f < k->value;
		case SC_LE: return f <= k->value;
		case SC_GT: return k->value < UINT64_MAX;
		case SC_GE: return true;
		case SC_MASKED_EQ: return (k->value & f) == (k->mask & f);
		}
		return true;
	}
	top = HI32 | f;
	switch (k->op) {
	case SC_EQ: return (k->value & LO32) == f;
	case SC_NE: return true;
	case SC_LT: return f < k->value;
	case SC_LE: return f <= k->value;
	case SC_GT: return top > k->value;
	case SC_GE: return top >= k->value;
	case SC_MASKED_EQ: return (f & k->mask & LO32) == (k->value & LO32);
	}
	return true;
}

/* Every value of the set satisfies the comparison. */
static bool cmp_covers(const struct sc_cmp *k, const struct pred *p)
{
	uint64_t f = p->v, top;

	if (p->kind == P_ANY || k->arg != p->arg)
		return tautology(k);
	if (p->kind == P_BIT) {
		switch (k->op) {
		case SC_EQ: return false;
		case SC_NE: return (k->value & f) != f;
		case SC_LT: return false;
		case SC_LE: return k->value == UINT64_MAX;
		case SC_GT: return f > k->value;
		case SC_GE: return f >= k->value;
		case SC_MASKED_EQ: return (k->mask & ~f) == 0 && k->value == k->mask;
		}
		return false;
	}
	top = HI32 | f;
	switch (k->op) {
	case SC_EQ: return false;
	case SC_NE: return (k->value & LO32) != f;
	case SC_LT: return top < k->value;
	case SC_LE: return top <= k->value;
	case SC_GT: return f > k->value;
	case SC_GE: return f >= k->value;
	case SC_MASKED_EQ: return (k->mask & HI32) == 0 && k->value == (f & k->mask);
	}
	return false;
}

/* An agent may let a notified call through: counted as allowed. */
static bool lets_through(enum sc_kind k) { return k == SC_ALLOW || k == SC_LOG || k == SC_NOTIFY; }

/* Can the workload make syscall NR with an argument in the set P? Errs on
 * the side of "yes": comparisons of one rule are judged one at a time. */
static bool sc_can(const struct seccomp_spec *sc, int nr, const struct pred *p, bool *conditional)
{
	const struct sc_rule *uncond = NULL;
	bool alt = false;

	*conditional = false;
	if (!sc->enabled)
		return true;
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct sc_rule *r = &sc->rules[i];
		bool all = true;

		if (r->nr != nr)
			continue;
		if (r->ncmp == 0) {
			uncond = r;
			continue;
		}
		if (r->action.kind == SC_ALLOW) {
			for (unsigned k = 0; k < r->ncmp && all; k++)
				all = cmp_sat(&r->cmp[k], p);
			alt = alt || all;
		} else if (!lets_through(r->action.kind)) {
			/* Filter B: refuses when every comparison holds for
			 * every value the workload could pick. */
			for (unsigned k = 0; k < r->ncmp && all; k++)
				all = cmp_covers(&r->cmp[k], p);
			if (all)
				return false;
		}
	}
	if (uncond)
		return lets_through(uncond->action.kind);
	if (alt) {
		*conditional = true;
		return true;
	}
	return lets_through(sc->default_action.kind);
}

static int nr_of(const char *name)
{
	return seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);
}

/* The dangerous syscalls: mounts and the new mount API, cross-process
 * memory access, BPF and perf, the kernel keyring, namespaces, modules,
 * kexec, file handles (open_by_handle_at: the "shocker" escape),
 * userfaultfd (race amplifier), raw I/O ports, reboot, swap, io_uring. */
static const char *const sc_dangerous[] = {
	"mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsconfig",
	"fsmount", "fspick", "mount_setattr", "ptrace", "process_vm_readv", "process_vm_writev",
	"bpf", "perf_event_open", "keyctl", "add_key", "request_key", "unshare", "setns",
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"open_by_handle_at", "userfaultfd", "iopl", "ioperm", "reboot", "swapon", "swapoff",
	"io_uring_setup", NULL,
};

static void c_seccomp(struct ctx *c)
{
	const struct seccomp_spec *sc = &c->s->seccomp;
	const struct pred any = { P_ANY, 0, 0 };
	bool first = true, ok = true;

	if (!sc->enabled) {
		verdict(c->r, false);
		addf(c->r, "seccomp is off: every syscall is allowed");
		return;
	}
	for (size_t i = 0; sc_dangerous[i]; i++) {
		int nr = nr_of(sc_dangerous[i]);
		bool cond;

		if (nr < 0 || !sc_can(sc, nr, &any, &cond))
			continue;
		if (ok)
			addf(c->r, "allowed: ");
		ok = false;
		add_item(c->r, &first, "%s%s", sc_dangerous[i], cond ? " (by an argument rule)" : "");
	}
	verdict(c->r, ok);
	if (ok)
		addf(c->r, "seccomp on; none of the %zu dangerous syscalls allowed",
		     sizeof(sc_dangerous) / sizeof(sc_dangerous[0]) - 1);
	else if (lets_through(sc->default_action.kind))
		addf(c->r, " (default action 'log' lets every unlisted syscall through)");
}

static void c_seccomp_clone(struct ctx *c)
{
	static const struct { const char *name; uint64_t flag; } flags[] = {
		{ "CLONE_NEWUSER", CLONE_NEWUSER }, { "CLONE_NEWNS", CLONE_NEWNS },
		{ "CLONE_NEWPID", CLONE_NEWPID },   { "CLONE_NEWNET", CLONE_NEWNET },
		{ "CLONE_NEWIPC", CLONE_NEWIPC },   { "CLONE_NEWUTS", CLONE_NEWUTS },
		{ "CLONE_NEWCGROUP", CLONE_NEWCGROUP },
	};
	const struct seccomp_spec *sc = &c->s->seccomp;
	const struct pred any = { P_ANY, 0, 0 };
	int clone_nr = nr_of("clone"), clone3_nr = nr_of("clone3");
	bool clone3 = false, first = true, ok, cond;

	if (!sc->enabled) {
		verdict(c->r, false);
		addf(c->r, "seccomp is off: clone and clone3 can create every namespace");
		return;
	}
	/* clone3 takes its flags in memory a filter cannot read. */
	if (clone3_nr >= 0 && sc_can(sc, clone3_nr, &any, &cond)) {
		clone3 = true;
		addf(c->r, "clone3 allowed%s", cond ? " (by an argument rule)" : "");
	}
	ok = !clone3;
	for (size_t i = 0; clone_nr >= 0 && i < sizeof(flags) / sizeof(flags[0]); i++) {
		const struct pred bit = { P_BIT, 0, flags[i].flag };

		if (!sc_can(sc, clone_nr, &bit, &cond))
			continue;
		if (first)
			addf(c->r, "%sclone allowed with: ", clone3 ? "; " : "");
		ok = false;
		add_item(c->r, &first, "%s", flags[i].name);
	}
	verdict(c->r, ok);
	if (ok)
		addf(c->r, "clone3 refused, clone refused with every CLONE_NEW* flag");
}

static void c_seccomp_tty(struct ctx *c)
{
	static const struct { const char *name; uint64_t req; } reqs[] = {
		{ "TIOCSTI", TIOCSTI }, { "TIOCLINUX", TIOCLINUX },
	};
	const struct seccomp_spec *sc = &c->s->seccomp;
	int ioctl_nr = nr_of("ioctl");
	bool first = true, ok = true, cond;

	for (size_t i = 0; ioctl_nr >= 0 && i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		const struct pred low = { P_LOW32, 1, reqs[i].req };

		if (!sc_can(sc, ioctl_nr, &low, &cond))
			continue;
		if (ok)
			addf(c->r, sc->enabled ? "ioctl allowed with: " : "seccomp is off: ioctl allowed with: ");
		ok = false;
		add_item(c->r, &first, "%s", reqs[i].name);
	}
	verdict(c->r, ok);
	if (ok)
		addf(c->r, "ioctl TIOCSTI and TIOCLINUX refused (any high bits)");
}

/* ---- namespaces --------------------------------------------------------- */

static void ns_check(struct ctx *c, enum ns_type t)
{
	verdict(c->r, c->s->ns[t].unshare);
	if (c->s->ns[t].unshare)
		addf(c->r, "new %s namespace", ns_name(t));
	else
		addf(c->r, "shared with the host ('share %s')", ns_name(t));
}

static void c_ns_pid(struct ctx *c) { ns_check(c, NS_PID); }
static void c_ns_net(struct ctx *c) { ns_check(c, NS_NET); }
static void c_ns_ipc(struct ctx *c) { ns_check(c, NS_IPC); }
static void c_ns_uts(struct ctx *c) { ns_check(c, NS_UTS); }
static void c_ns_cgroup(struct ctx *c) { ns_check(c, NS_CGROUP); }

/* ---- filesystem --------------------------------------------------------- */

static void c_rootfs_ro(struct ctx *c)
{
	verdict(c->r, c->s->rootfs_readonly);
	addf(c->r, "rootfs %s", c->s->rootfs_readonly ? "readonly" : "writable");
}

static void c_tmpfs_noexec(struct ctx *c)
{
	bool first = true, ok = true;

	for (size_t i = 0; i < c->s->nmounts; i++) {
		const struct mount_spec *m = &c->s->mounts[i];

		if (m->kind != MOUNT_TMPFS || !m->exec)
			continue;
		if (ok)
			addf(c->r, "exec: ");
		ok = false;
		add_item(c->r, &first, "tmpfs %s", m->target);
	}
	verdict(c->r, ok);
	if (ok)
		addf(c->r, "every tmpfs is noexec");
}

static void c_proc(struct ctx *c)
{
	bool first = true;
	size_t extra = 0;

	for (size_t i = 0; c->s->masked && c->s->masked[i]; i++)
		extra++;
	verdict(c->r, true);
	addf(c->r, "fresh read-only /proc and /sys, masked: ");
	for (size_t i = 0; mount_default_masked[i]; i++)
		add_item(c->r, &first, "%s", mount_default_masked[i]);
	if (extra)
		addf(c->r, " (+%zu from mask lines)", extra);
}

/* ---- bind mounts -------------------------------------------------------- */

/* Host paths that hand the host over when bound into a container. */
static const char *const sensitive_paths[] = {
	"/etc", "/proc", "/sys", "/dev", "/boot", "/root",
	"/run/docker.sock", "/var/run/docker.sock", "/run/docker", "/var/run/docker",
	"/run/containerd", "/var/run/containerd", "/var/lib/docker", "/var/lib/containerd",
	"/run/crio", "/var/run/crio", "/run/podman", "/var/run/podman",
	"/run/dbus", "/var/run/dbus", "/run/systemd", "/var/run/systemd",
	"/run/user", "/var/run/user", NULL,
};

/* Lexically normalise an absolute path: fold "//", drop ".", apply "..". */
static void normalise(const char *in, char *out, size_t len)
{
	size_t o = 0;
	const char *p = in;

	if (len < 2) {
		if (len)
			out[0] = '\0';
		return;
	}
	while (*p) {
		const char *end;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (o + 1 + n < len) {
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		} else {
			break; /* too long: keep the prefix */
		}
		p += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
}

/* a == b, a below b, or a above b (a contains b). */
static bool related(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (strcmp(a, "/") == 0 || strcmp(b, "/") == 0)
		return true;
	if (la <= lb)
		return strncmp(a, b, la) == 0 && (b[la] == '/' || b[la] == '\0');
	return strncmp(a, b, lb) == 0 && a[lb] == '/';
}

/* Does PATH (normalised) touch a sensitive path? The name of the one it
 * touches goes to `hit`. */
static bool sensitive(const char *path, const char *const *homes, size_t nhomes, const char **hit)
{
	if (strcmp(path, "/") == 0) {
		*hit = "/";
		return true;
	}
	for (size_t i = 0; sensitive_paths[i]; i++)
		if (related(path, sensitive_paths[i])) {
			*hit = sensitive_paths[i];
			return true;
		}
	for (size_t i = 0; i < nhomes; i++)
		if (related(path, homes[i])) {
			*hit = homes[i];
			return true;
		}
	return false;
}

static void add_home(char homes[][PATH_MAX], size_t *n, const char *h)
{
	char norm[PATH_MAX];

	if (!h || h[0] != '/')
		return;
	normalise(h, norm, sizeof(norm));
	if (strcmp(norm, "/") == 0)
		return; /* "/" as a home would make every path sensitive */
	for (size_t i = 0; i < *n; i++)
		if (strcmp(homes[i], norm) == 0)
			return;
	snprintf(homes[(*n)++], PATH_MAX, "%s", norm);
}

static void home_of(uid_t uid, char homes[][PATH_MAX], size_t *n)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res)
		add_home(homes, n, res->pw_dir);
}

static void c_bind_sensitive(struct ctx *c)
{
	char homes[3][PATH_MAX];
	const char *home_ptr[3];
	size_t nhomes = 0;
	const char *sudo_uid = getenv("SUDO_UID");
	uint32_t su;
	bool first = true, ok = true;

	add_home(homes, &nhomes, getenv("HOME"));
	home_of(getuid(), homes, &nhomes);
	if (sudo_uid && parse_u32(sudo_uid, &su) == 0)
		home_of((uid_t)su, homes, &nhomes);
	for (size_t i = 0; i < nhomes; i++)
		home_ptr[i] = homes[i];

	for (size_t i = 0; i < c->s->nmounts; i++) {
		const struct mount_spec *m = &c->s->mounts[i];
		char norm[PATH_MAX], real[PATH_MAX];
		const char *hit = NULL;
		bool bad;

		if (m->kind != MOUNT_BIND || !m->source)
			continue;
		normalise(m->source, norm, sizeof(norm));
		bad = sensitive(norm, home_ptr, nhomes, &hit);
		/* A symlink on the host is followed by the bind: judge the
		 * target too. */
		if (!bad && realpath(m->source, real))
			bad = sensitive(real, home_ptr, nhomes, &hit);
		if (!bad)
			continue;
		if (ok)
			addf(c->r, "bound: ");
		ok = false;
		if (strcmp(hit, norm) == 0)
			add_item(c->r, &first, "%s -> %s", m->source, m->target);
		else
			add_item(c->r, &first, "%s -> %s (%s)", m->source, m->target, hit);
	}
	verdict(c->r, ok);
	if (ok)
		addf(c->r, "no sensitive host path bound");
}

static void c_bind_ro(struct ctx *c)
{
	bool first = true, ok = true, any = false;

	for (size_t i = 0; i < c->s->nmounts; i++) {
		const struct mount_spec *m = &c->s->mounts[i];

		if (m->kind != MOUNT_BIND)
			continue;
		any = true;
		if (m->readonly)
			continue;
		if (ok)
			addf(c->r, "writable: ");
		ok = false;
		add_item(c->r, &first, "%s -> %s", m->source, m->target);
	}
	verdict(c->r, ok);
	if (ok)
		addf(c->r, any ? "every bind is read-only" : "no bind mounts");
}

/* ---- resources ---------------------------------------------------------- */

/* Whether the limit bounds anything; the detail says why not. */
static bool limit_check(struct ctx *c, const struct limit_value *v, const char *name)
{
	bool ok = v->set && v->value != LIMIT_MAX;

	if (!v->set)
		addf(c->r, "no %s limit", name);
	else if (v->value == LIMIT_MAX)
		addf(c->r, "%s limit is 'max' (unlimited)", name);
	verdict(c->r, ok);
	return ok;
}

static void c_limit_memory(struct ctx *c)
{
	static const char units[] = "KMGT";
	uint64_t v = c->s->limits.memory.value;
	int u = -1;

	if (!limit_check(c, &c->s->limits.memory, "memory")) {
		if (c->s->limits.memory_high.set)
			addf(c->r, " (memory-high throttles but does not bound)");
		return;
	}
	while (u < 3 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		addf(c->r, "memory.max %llu bytes", (unsigned long long)v);
	else
		addf(c->r, "memory.max %llu%c", (unsigned long long)v, units[u]);
}

static void c_limit_cpu(struct ctx *c)
{
	const struct resources_spec *l = &c->s->limits;
	uint64_t period = l->cpu_period ? l->cpu_period : 100000;

	if (!limit_check(c, &l->cpu_quota, "cpu")) {
		if (l->cpu_weight.set)
			addf(c->r, " (cpu-weight alone bounds nothing when the host is idle)");
		return;
	}
	addf(c->r, "cpu.max %llu %llu", (unsigned long long)l->cpu_quota.value,
	     (unsigned long long)period);
}

static void c_limit_pids(struct ctx *c)
{
	if (limit_check(c, &c->s->limits.pids, "pids"))
		addf(c->r, "pids.max %llu", (unsigned long long)c->s->limits.pids.value);
}

static void c_limit_required(struct ctx *c)
{
	const struct resources_spec *l = &c->s->limits;

	verdict(c->r, !l->optional || !limits_any(l));
	if (!l->optional)
		addf(c->r, "cgroup required");
	else if (!limits_any(l))
		addf(c->r, "cgroup optional, but no limit is set");
	else
		addf(c->r, "cgroup optional: the limits are skipped where the controllers are missing");
}

/* ---- process ------------------------------------------------------------ */

static void c_core(struct ctx *c)
{
	const struct rlimit_spec *r = &c->s->rlimits[RLIMIT_CORE];

	if (!r->set) {
		verdict(c->r, false);
		addf(c->r, "rlimit core not set: inherited from the caller");
		return;
	}
	verdict(c->r, r->value.rlim_max == 0);
	if (r->value.rlim_max == 0)
		addf(c->r, "rlimit core 0");
	else if (r->value.rlim_cur == 0)
		addf(c->r, "soft limit 0, but the hard limit lets the workload raise it");
	else
		addf(c->r, "core dumps allowed");
}

/* Case-insensitive: does NAME[0..len) contain PAT? */
static bool name_has(const char *name, size_t len, const char *pat)
{
	size_t pl = strlen(pat);

	for (size_t i = 0; i + pl <= len; i++) {
		size_t k = 0;

		while (k < pl && toupper((unsigned char)name[i + k]) == pat[k])
			k++;
		if (k == pl)
			return true;
	}
	return false;
}

static void c_env(struct ctx *c)
{
	static const char *const pats[] = { "PASSWORD", "PASSWD", "TOKEN", "SECRET", "KEY", "CREDENTIAL" };
	bool first = true, ok = true;

	for (size_t i = 0; c->s->env && c->s->env[i]; i++) {
		const char *nv = c->s->env[i];
		size_t len = strcspn(nv, "=");

		for (size_t k = 0; k < sizeof(pats) / sizeof(pats[0]); k++) {
			if (!name_has(nv, len, pats[k]))
				continue;
			if (ok)
				addf(c->r, "secret-looking names: ");
			ok = false;
			/* The name only: never the value. */
			add_item(c->r, &first, "%.*s", (int)(len > 64 ? 64 : len), nv);
			break;
		}
	}
	verdict(c->r, ok);
	if (ok)
		addf(c->r, "no variable name matches PASSWORD PASSWD TOKEN SECRET KEY CREDENTIAL");
}

static void c_ssh(struct ctx *c)
{
	char *const *av = c->argv ? c->argv : c->s->argv;
	const char *base;

	if (!av || !av[0]) {
		unknown(c->r);
		addf(c->r, "no command given (rampart check ... -- CMD); checked at launch");
		return;
	}
	base = strrchr(av[0], '/');
	base = base ? base + 1 : av[0];
	verdict(c->r, strcmp(base, "sshd") != 0 && strcmp(base, "dropbear") != 0);
	addf(c->r, "command %.200s", av[0]);
}

static void c_image_digest(struct ctx *c)
{
	verdict(c->r, c->s->image_digest != NULL);
	addf(c->r, c->s->image_digest ? "pinned to %.80s" : "no image digest line", c->s->image_digest);
}

static void c_image_setuid(struct ctx *c)
{
	verdict(c->r, c->s->setuid_strip);
	if (c->s->setuid_strip)
		addf(c->r, "setuid strip: no setuid/setgid bit or file capability in the container's view");
	else
		addf(c->r, c->s->no_new_privs
			   ? "setuid keep (nosuid on every mount and no_new_privs still neutralise the bits at run time)"
			   : "setuid keep (nosuid on every mount still neutralises the bits at run time)");
}

/* In catalogue order. */
static void (*const evaluators[CHECK_COUNT])(struct ctx *c) = {
	c_user, c_userns, c_cap_dangerous, c_cap_allowlist, c_nnp,
	c_seccomp, c_seccomp_clone, c_seccomp_tty,
	c_ns_pid, c_ns_net, c_ns_ipc, c_ns_uts, c_ns_cgroup,
	c_rootfs_ro, c_tmpfs_noexec, c_proc, c_bind_sensitive, c_bind_ro,
	c_limit_memory, c_limit_cpu, c_limit_pids, c_limit_required,
	c_core, c_env, c_ssh, c_image_digest, c_image_setuid,
};

void check_settle(struct check_report *rep)
{
	rep->passed = rep->warnings = rep->failed = rep->waived = 0;
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		struct check_result *r = &rep->r[i];

		if (r->passed)
			r->status = CHECK_PASS;
		else if (r->waiver)
			r->status = CHECK_WAIVED;
		else if (r->required || (r->def->level == CHECK_MUST && !r->unknown))
			r->status = CHECK_FAIL;
		else
			r->status = CHECK_WARN;
		switch (r->status) {
		case CHECK_PASS: rep->passed++; break;
		case CHECK_WARN: rep->warnings++; break;
		case CHECK_FAIL: rep->failed++; break;
		case CHECK_WAIVED: rep->waived++; break;
		}
	}
}

void check_run(const struct spec *s, char *const *argv, bool resolved, struct check_report *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		struct ctx c = { s, argv, resolved, &out->r[i] };

		out->r[i].def = &check_catalogue[i];
		evaluators[i](&c);
	}
	check_settle(out);
}

bool check_any_fail(const struct check_report *rep)
{
	return rep->failed > 0;
}
