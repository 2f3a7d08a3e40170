/* seccomp.c - compile the rules with libseccomp and load them.
 *
 * libseccomp generates each filter (with its binary-tree optimisation), we
 * read the BPF back and, for the allowlist, put a short prefix of our own
 * in front. BPF jumps are relative and forward only, so a prefix that
 * falls through leaves libseccomp's program intact. The prefix reads only
 * the arch and the syscall number, so the kernel's per-syscall action
 * cache still treats unconditional allows as constant.
 */
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#define X32_SYSCALL_BIT 0x40000000u
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "rampart's seccomp prefix knows x86_64 and aarch64; add this arch"
#endif

#define MAX_PROG 4096 /* BPF_MAXINSNS */

static uint32_t to_scmp_action(const struct sc_action *a)
{
	switch (a->kind) {
	case SC_ALLOW: return SCMP_ACT_ALLOW;
	case SC_ERRNO: return SCMP_ACT_ERRNO((uint32_t)a->errnum);
	case SC_KILL: return SCMP_ACT_KILL_PROCESS;
	case SC_TRAP: return SCMP_ACT_TRAP;
	case SC_LOG: return SCMP_ACT_LOG;
	case SC_NOTIFY: return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static struct scmp_arg_cmp to_scmp_cmp(const struct sc_cmp *c)
{
	static const enum scmp_compare op[] = {
		[SC_EQ] = SCMP_CMP_EQ, [SC_NE] = SCMP_CMP_NE, [SC_LT] = SCMP_CMP_LT,
		[SC_LE] = SCMP_CMP_LE, [SC_GT] = SCMP_CMP_GT, [SC_GE] = SCMP_CMP_GE,
		[SC_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
	};
	struct scmp_arg_cmp r = { .arg = c->arg, .op = op[c->op] };

	if (c->op == SC_MASKED_EQ) {
		r.datum_a = c->mask;
		r.datum_b = c->value;
	} else {
		r.datum_a = c->value;
	}
	return r;
}

static bool same_action(const struct sc_action *a, const struct sc_action *b)
{
	return a->kind == b->kind && (a->kind != SC_ERRNO || a->errnum == b->errnum);
}

/* Export the filter's BPF into memory (libseccomp 2.5 writes to an fd). */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **prog, unsigned short *len,
		      size_t reserve, struct rp_err *e)
{
	_cleanup_close_ int fd = memfd_create("rampart-bpf", MFD_CLOEXEC);
	struct sock_filter *buf = NULL;
	off_t size;
	int r;

	if (fd < 0)
		return rp_fail(e, errno, "seccomp", "memfd for the BPF");
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return rp_fail(e, -r, "seccomp", "export the BPF");
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(*buf) != 0 ||
	    (size_t)size / sizeof(*buf) + reserve > MAX_PROG)
		return rp_fail(e, E2BIG, "seccomp", "filter of %lld bytes", (long long)size);
	buf = xmalloc(reserve * sizeof(*buf) + (size_t)size);
	if (pread(fd, buf + reserve, (size_t)size, 0) != size) {
		free(buf);
		return rp_fail(e, errno ? errno : EIO, "seccomp", "read back the BPF");
	}
	*prog = buf;
	*len = (unsigned short)(reserve + (size_t)size / sizeof(*buf));
	return 0;
}

/*   ld arch; jeq NATIVE ? next : kill
 *   ld nr;   (x86_64) jge X32_BIT ? kill : next
 *            jgt HIGHEST ? enosys : next
 *   ja program
 *   enosys: ret ERRNO(ENOSYS)
 *   kill:   ret KILL_PROCESS                                            */
#if defined(X32_SYSCALL_BIT)
#define PREFIX_LEN 8
#else
#define PREFIX_LEN 7
#endif

static void write_prefix(struct sock_filter *p, uint32_t highest)
{
	const uint8_t kill = PREFIX_LEN - 1, enosys = PREFIX_LEN - 2;
	unsigned i = 0;

	p[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	i++;
	p[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 0, (uint8_t)(kill - i - 1));
	i++;
	p[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	i++;
#if defined(X32_SYSCALL_BIT)
	/* x32 shares x86_64's audit arch; only this bit tells it apart. */
	p[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, (uint8_t)(kill - i - 1), 0);
	i++;
#endif
	p[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, highest, (uint8_t)(enosys - i - 1), 0);
	i++;
	p[i] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 2);
	i++;
	p[enosys] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	p[kill] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
}

static scmp_filter_ctx new_ctx(uint32_t def, bool linear, struct rp_err *e)
{
	scmp_filter_ctx ctx = seccomp_init(def);

	if (!ctx) {
		rp_fail(e, ENOMEM, "seccomp", "seccomp_init");
		return NULL;
	}
	/* Foreign ABIs are killed outright; the binary tree keeps a long
	 * allowlist cheap for the syscalls the action cache cannot answer. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0) {
		seccomp_release(ctx);
		rp_fail(e, EINVAL, "seccomp", "filter attributes");
		return NULL;
	}
	/* Absent before libseccomp 2.5: the filter is then linear, and correct. */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, linear ? 1 : 2);
	return ctx;
}

static int add(scmp_filter_ctx ctx, const struct sc_rule *r, struct rp_err *e)
{
	struct scmp_arg_cmp cmp[SC_MAX_CMP];
	int ret;

	for (unsigned k = 0; k < r->ncmp; k++)
		cmp[k] = to_scmp_cmp(&r->cmp[k]);
	ret = seccomp_rule_add_array(ctx, to_scmp_action(&r->action), r->nr, r->ncmp, cmp);
	if (ret < 0)
		return rp_fail_at(e, r->file ? r->file : "spec", r->line, "seccomp: rule for %s: %s",
				  seccomp_syscall_name(r->nr), strerror(-ret));
	return 0;
}

bool seccomp_has_notify(const struct seccomp_spec *sc)
{
	for (size_t i = 0; sc->enabled && i < sc->nrules; i++)
		if (sc->rules[i].action.kind == SC_NOTIFY)
			return true;
	return false;
}

/* A notify rule goes to filter B, the one loaded with the listener (a
 * process has at most one). The kernel takes the most restrictive answer
 * of all filters and "errno" beats "notify", so filter A must allow the
 * calls the rule matches (with the rule's own conditions: the others keep
 * A's default, as runc gives them the defaultAction) for the agent to see
 * them, unless an unconditional allow or deny for the syscall already
 * says what A does with it. */
static int add_notify(scmp_filter_ctx ctx[2], const struct seccomp_spec *sc, size_t i, struct rp_err *e)
{
	const struct sc_rule *rule = &sc->rules[i];
	struct sc_rule allow = *rule;
	bool decided = sc->default_action.kind == SC_ALLOW;

	allow.action = (struct sc_action){ SC_ALLOW, 0 };
	for (size_t k = 0; k < sc->nrules && !decided; k++)
		decided = k != i && sc->rules[k].nr == rule->nr && sc->rules[k].ncmp == 0 &&
			  sc->rules[k].action.kind != SC_NOTIFY;
	if (add(ctx[1], rule, e) < 0)
		return -1;
	return decided ? 0 : add(ctx[0], &allow, e);
}

/* The two libseccomp contexts of a spec: [0] the allowlist (every rule
 * but the conditional denies and the notify rules; when learning, only
 * the denies, over a default of "notify"), [1] the conditional denies and
 * the notify rules over a default allow. */
static int build(const struct seccomp_spec *sc, bool learn, scmp_filter_ctx ctx[2], bool *any_deny,
		 struct rp_err *e)
{
	uint32_t def = learn ? SCMP_ACT_NOTIFY : to_scmp_action(&sc->default_action);

	*any_deny = false;
	ctx[0] = new_ctx(def, sc->linear, e);
	ctx[1] = ctx[0] ? new_ctx(SCMP_ACT_ALLOW, sc->linear, e) : NULL;
	if (!ctx[1])
		return -1;
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct sc_rule *rule = &sc->rules[i];
		bool cond_deny = rule->ncmp && rule->action.kind != SC_ALLOW;

		if (rule->action.kind == SC_NOTIFY && !learn) {
			if (add_notify(ctx, sc, i, e) < 0)
				return -1;
			*any_deny = true;
		} else if (cond_deny) {
			if (add(ctx[1], rule, e) < 0)
				return -1;
			*any_deny = true;
		} else if (learn ? rule->action.kind != SC_ALLOW && rule->ncmp == 0
				 : !same_action(&rule->action, &sc->default_action)) {
			/* A rule that says what the default says is a no-op, and
			 * libseccomp refuses it. Learning keeps only the denies. */
			if (add(ctx[0], rule, e) < 0)
				return -1;
		}
	}
	return 0;
}

static void release(scmp_filter_ctx ctx[2])
{
	for (int i = 0; i < 2; i++)
		if (ctx[i])
			seccomp_release(ctx[i]);
}

static int compile(const struct seccomp_spec *sc, bool learn, struct sc_filters *out,
		   struct rp_err *e)
{
	scmp_filter_ctx ctx[2] = { NULL, NULL };
	bool any_deny;
	int r = -1;

	memset(out, 0, sizeof(*out));
	if (!sc->enabled)
		return 0;
	if (build(sc, learn, ctx, &any_deny, e) < 0)
		goto out;
	if (export_bpf(ctx[0], (struct sock_filter **)&out->prog[0], &out->len[0], PREFIX_LEN, e) < 0)
		goto out;
	write_prefix(out->prog[0], (uint32_t)seccomp_highest_known());
	if (any_deny && export_bpf(ctx[1], (struct sock_filter **)&out->prog[1], &out->len[1], 0, e) < 0)
		goto out;
	r = 0;
out:
	release(ctx);
	if (r < 0)
		seccomp_filters_free(out);
	return r;
}

int seccomp_show_pfc(const struct seccomp_spec *sc, int fd, struct rp_err *e)
{
	scmp_filter_ctx ctx[2] = { NULL, NULL };
	bool any_deny;
	int r = -1, ret;

	if (!sc->enabled) {
		if (dprintf(fd, "# seccomp off: no filter is loaded\n") < 0)
			return rp_fail(e, errno, "seccomp", "write");
		return 0;
	}
	if (build(sc, false, ctx, &any_deny, e) < 0)
		goto out;
	if (dprintf(fd, "# filter A, the allowlist. rampart loads it behind a prefix of its own:\n"
		    "# a foreign arch or an x32 syscall is killed, a number above %d gets ENOSYS.\n",
		    seccomp_highest_known()) < 0)
		goto write_error;
	ret = seccomp_export_pfc(ctx[0], fd);
	if (ret < 0) {
		rp_fail(e, -ret, "seccomp", "export the allowlist's pseudo code");
		goto out;
	}
	if (dprintf(fd, any_deny ? "# filter B, the conditional denies (stacked on A):\n"
				 : "# filter B: none (no conditional denies)\n") < 0)
		goto write_error;
	ret = any_deny ? seccomp_export_pfc(ctx[1], fd) : 0;
	if (ret < 0) {
		rp_fail(e, -ret, "seccomp", "export the denies' pseudo code");
		goto out;
	}
	r = 0;
	goto out;
write_error:
	rp_fail(e, errno, "seccomp", "write");
out:
	release(ctx);
	return r;
}

int seccomp_compile(const struct seccomp_spec *sc, struct sc_filters *out, struct rp_err *e)
{
	return compile(sc, false, out, e);
}

int seccomp_compile_learn(const struct seccomp_spec *sc, struct sc_filters *out, struct rp_err *e)
{
	struct seccomp_spec on = *sc;

	on.enabled = true;
	return compile(&on, true, out, e);
}

void seccomp_filters_free(struct sc_filters *f)
{
	for (int i = 0; i < 2; i++) {
		free(f->prog[i]);
		f->prog[i] = NULL;
		f->len[i] = 0;
	}
}

/* Does the program return SECCOMP_RET_USER_NOTIF anywhere? (Known from
 * the program itself, so filters from the cache need no flag of their own.) */
static bool returns_notify(const struct sock_filter *p, unsigned short len)
{
	for (unsigned short i = 0; p && i < len; i++)
		if (p[i].code == (BPF_RET | BPF_K) && (p[i].k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF)
			return true;
	return false;
}

int seccomp_load_filters(const struct sc_filters *f, int *listener, struct rp_err *e)
{
	if (listener)
		*listener = -1;
	/* The kernel runs every filter and takes the most restrictive answer,
	 * so the order of the two does not change what is allowed. */
	for (int i = 1; i >= 0; i--) {
		struct sock_fprog prog = { .len = f->len[i], .filter = f->prog[i] };
		bool notify = returns_notify(prog.filter, prog.len);
		long r;

		if (!f->prog[i])
			continue;
		if (notify && !listener)
			return rp_fail(e, EINVAL, "seccomp", "notify rules need a seccomp agent (OCI linux.seccomp.listenerPath)");
		/* No TSYNC with a listener (EINVAL before 5.7): this process is
		 * single-threaded here. The kernel makes the listener close-on-exec. */
		r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : SECCOMP_FILTER_FLAG_TSYNC, &prog);
		if (r < 0) {
			int err = errno;

			/* Filter B is in force already: a notified call on the
			 * way out would wait for an agent that only we could
			 * reach. Closing the listener makes such calls fail. */
			if (listener && *listener >= 0) {
				close(*listener);
				*listener = -1;
			}
			return rp_fail(e, err, "seccomp",
				       err == EACCES ? "load filter (needs nnp on or CAP_SYS_ADMIN)" : "load filter");
		}
		if (notify)
			*listener = (int)r;
	}
	return 0;
}

int seccomp_load_learn(const struct sc_filters *f, struct rp_err *e)
{
	struct sock_fprog deny = { .len = f->len[1], .filter = f->prog[1] };
	struct sock_fprog notify = { .len = f->len[0], .filter = f->prog[0] };
	long fd;

	if (f->prog[1] && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &deny) != 0)
		return rp_fail(e, errno, "seccomp", "load the deny filter");
	/* No TSYNC: it cannot be combined with a listener (before 5.7) and
	 * the process is single-threaded here. The kernel makes the listener
	 * close-on-exec. */
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &notify);
	if (fd < 0)
		return rp_fail(e, errno, "seccomp", "load the learning filter (needs Linux 5.0)");
	return (int)fd;
}
