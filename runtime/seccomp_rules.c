/* seccomp_rules.c - `seccomp` profile lines, syscall groups and constants.
 *
 * Later lines override earlier ones, per syscall:
 *   - an unconditional line (allow or deny) replaces the earlier allows
 *     and unconditional denies for that syscall;
 *   - a conditional allow replaces an earlier unconditional rule and adds
 *     an alternative (OR) to earlier conditional allows;
 *   - a conditional deny is added on top and wins over any allow; later
 *     lines never lift it (a safety rule such as base's TIOCSTI deny
 *     must not vanish because a profile allows ioctl); only `seccomp
 *     clear` removes it.
 */
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "parse.h"
#include "profile.h"
#include "spec.h"
#include "util.h"

#define GROUP_MAX_DEPTH 8

static const struct { const char *name; uint64_t value; } constants[] = {
#define C(x) { #x, (uint64_t)(x) }
	C(AF_UNSPEC), C(AF_UNIX), C(AF_LOCAL), C(AF_INET), C(AF_INET6), C(AF_NETLINK),
	C(AF_PACKET), C(AF_BLUETOOTH), C(AF_ALG), C(AF_VSOCK), C(AF_KEY),
	C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_SEQPACKET), C(SOCK_NONBLOCK),
	C(SOCK_CLOEXEC),
	C(CLONE_VM), C(CLONE_FS), C(CLONE_FILES), C(CLONE_SIGHAND), C(CLONE_THREAD),
	C(CLONE_NEWNS), C(CLONE_NEWUSER), C(CLONE_NEWPID), C(CLONE_NEWNET), C(CLONE_NEWIPC),
	C(CLONE_NEWUTS), C(CLONE_NEWCGROUP), C(CLONE_NEWTIME),
	C(PR_SET_NAME), C(PR_GET_NAME), C(PR_SET_PDEATHSIG), C(PR_SET_DUMPABLE),
	C(PR_GET_DUMPABLE), C(PR_SET_NO_NEW_PRIVS), C(PR_CAPBSET_READ), C(PR_SET_SECCOMP),
	C(PR_SET_KEEPCAPS), C(PR_SET_MM), C(PR_SET_PTRACER),
	C(TIOCSTI), C(TIOCLINUX), C(TIOCSCTTY), C(TIOCGWINSZ), C(TIOCSWINSZ), C(TCGETS),
	C(O_RDONLY), C(O_WRONLY), C(O_RDWR), C(O_CREAT), C(O_TRUNC), C(O_APPEND),
	C(PROT_NONE), C(PROT_READ), C(PROT_WRITE), C(PROT_EXEC),
	C(MADV_DONTNEED), C(MADV_FREE), C(MADV_WILLNEED), C(MADV_DONTDUMP),
	C(PER_LINUX), C(PER_LINUX32), C(UNAME26),
#undef C
	{ "PER_QUERY", 0xffffffffu },
};

static int parse_value(const char *s, uint64_t *out)
{
	char *end;

	for (size_t i = 0; i < ARRAY_SIZE(constants); i++) {
		if (strcmp(s, constants[i].name) == 0) {
			*out = constants[i].value;
			return 0;
		}
	}
	/* A | of constants, e.g. PER_LINUX32|UNAME26. */
	if (strchr(s, '|')) {
		char buf[128], *save = NULL, *tok;
		uint64_t v = 0, part;

		if (xsnprintf(buf, sizeof(buf), "%s", s) < 0)
			return -1;
		for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
			if (parse_value(tok, &part) < 0)
				return -1;
			v |= part;
		}
		*out = v;
		return 0;
	}
	/* Digits only: strtoull would also take " -1" or "+5". */
	if (!(*s >= '0' && *s <= '9'))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static const struct { const char *name; enum sc_op op; } ops[] = {
	{ "==", SC_EQ }, { "!=", SC_NE }, { "<", SC_LT }, { "<=", SC_LE }, { ">", SC_GT }, { ">=", SC_GE },
};

/* ---- the rule list ---------------------------------------------------- */

static void remove_rules(struct seccomp_spec *sc, int nr, bool unconditional, bool conditional_allows)
{
	size_t o = 0;

	/* Every rule of a profile passes here once per rule added after it:
	 * move only what follows a dropped one (a rule is ~180 bytes). */
	for (size_t i = 0; i < sc->nrules; i++) {
		struct sc_rule *r = &sc->rules[i];
		bool drop = r->nr == nr &&
			    ((unconditional && r->ncmp == 0) ||
			     (conditional_allows && r->ncmp > 0 && r->action.kind == SC_ALLOW));
		if (drop)
			continue;
		if (o != i)
			sc->rules[o] = *r;
		o++;
	}
	sc->nrules = o;
}

static void add_rule(struct seccomp_spec *sc, const struct sc_rule *r)
{
	if (r->ncmp == 0)
		remove_rules(sc, r->nr, true, true);
	else if (r->action.kind == SC_ALLOW)
		remove_rules(sc, r->nr, true, false);
	sc->rules = xrealloc(sc->rules, (sc->nrules + 1) * sizeof(*sc->rules));
	sc->rules[sc->nrules++] = *r;
}

/* ---- syscall names and groups ------------------------------------------ */

/* No native syscall number of x86_64 or aarch64 comes near it (Linux 6.x
 * ends below 470). */
#define NATIVE_NR_LIMIT 1024

/* libseccomp's name of every native number, asked once: it finds a
 * number's name by a linear scan of its table, a few microseconds each,
 * and every launch needs the highest number (the filter's prefix, the
 * cache key) and the names of its rules (the cache key). */
static char *const *native_names(void)
{
	static char **names;

	if (!names) {
		names = xcalloc(NATIVE_NR_LIMIT, sizeof(*names));
		for (int nr = 0; nr < NATIVE_NR_LIMIT; nr++)
			names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	}
	return names;
}

const char *seccomp_syscall_name(int nr)
{
	if (nr < 0 || nr >= NATIVE_NR_LIMIT || !native_names()[nr])
		return "?";
	return native_names()[nr];
}

int seccomp_highest_known(void)
{
	static int highest = -1;

	if (highest >= 0)
		return highest;
	for (int nr = 0; nr < NATIVE_NR_LIMIT; nr++)
		if (native_names()[nr])
			highest = nr;
	return highest;
}

/* A name's number on this arch: >= 0; -2 known only on other arches;
 * -1 unknown everywhere. */
static int syscall_nr(const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);

	if (nr >= 0)
		return nr;
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR ? -2 : -1;
}

struct ctx {
	struct spec *s;
	const char *file;
	unsigned line;
	struct rp_err *e;
};

#define fail(c, ...) rp_fail_at((c)->e, (c)->file, (c)->line, __VA_ARGS__)

static int add_name(struct ctx *c, const char *name, const struct sc_action *act, int depth);

/* A group file: profiles/seccomp/NAME.group, syscall names and @groups,
 * whitespace separated, # comments. A name this arch lacks is skipped:
 * groups are shared by every architecture. */
static int add_group(struct ctx *c, const char *group, const struct sc_action *act, int depth)
{
	char rel[128], path[PATH_MAX], buf[16384];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	if (depth >= GROUP_MAX_DEPTH)
		return fail(c, "seccomp: group @%s: nested deeper than %d (a cycle?)", group, GROUP_MAX_DEPTH);
	if (xsnprintf(rel, sizeof(rel), "seccomp/%s", group) < 0 || strchr(group, '/') ||
	    profile_find(rel, ".group", path, sizeof(path)) < 0)
		return fail(c, "seccomp: unknown group @%s (no seccomp/%s.group in %s)", group, group,
			    profile_search_path());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(c, "seccomp: group @%s: %s: %s", group, path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0 || n == (ssize_t)sizeof(buf) - 1)
		return fail(c, "seccomp: group @%s: %s: %s", group, path, n < 0 ? strerror(errno) : "too large");
	buf[n] = '\0';
	for (char *line = buf, *next; line; line = next) {
		char *save = NULL, *w;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "#")] = '\0';
		for (w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
			if (w[0] == '@') {
				if (add_group(c, w + 1, act, depth + 1) < 0)
					return -1;
			} else {
				int nr = syscall_nr(w);
				if (nr == -1)
					return fail(c, "seccomp: group @%s (%s): unknown syscall '%s'", group, path, w);
				if (nr >= 0 && add_name(c, w, act, depth) < 0)
					return -1;
			}
		}
	}
	return 0;
}

static int add_name(struct ctx *c, const char *name, const struct sc_action *act, int depth)
{
	struct sc_rule r = { .action = *act, .file = c->file, .line = c->line };

	if (name[0] == '@')
		return add_group(c, name + 1, act, depth);
	r.nr = syscall_nr(name);
	if (r.nr == -2)
		return fail(c, "seccomp: syscall '%s' does not exist on this architecture", name);
	if (r.nr < 0)
		return fail(c, "seccomp: unknown syscall '%s'", name);
	add_rule(&c->s->seccomp, &r);
	return 0;
}

/* ---- actions and argument comparisons -------------------------------- */

static int parse_errno(const char *s, int *out)
{
	static const struct { const char *n; int v; } names[] = {
		{ "EPERM", EPERM }, { "EACCES", EACCES }, { "ENOSYS", ENOSYS }, { "EINVAL", EINVAL },
		{ "ENOTSUP", ENOTSUP }, { "EOPNOTSUPP", EOPNOTSUPP }, { "ENOENT", ENOENT },
		{ "EAFNOSUPPORT", EAFNOSUPPORT }, { "EROFS", EROFS }, { "ENOTTY", ENOTTY },
	};
	uint32_t v;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i].n) == 0) {
			*out = names[i].v;
			return 0;
		}
	if (parse_u32(s, &v) < 0 || v == 0 || v > 4095)
		return -1;
	*out = (int)v;
	return 0;
}

/* Parse an action at argv[*i]: errno E | kill | trap | log | notify. */
static int parse_action(struct ctx *c, int argc, char **argv, int *i, struct sc_action *a)
{
	const char *w = argv[*i];

	if (strcmp(w, "errno") == 0) {
		if (*i + 1 >= argc || parse_errno(argv[*i + 1], &a->errnum) < 0)
			return fail(c, "seccomp: errno needs a name (EPERM) or a number 1-4095");
		a->kind = SC_ERRNO;
		*i += 2;
		return 0;
	}
	if (strcmp(w, "kill") == 0)
		a->kind = SC_KILL;
	else if (strcmp(w, "trap") == 0)
		a->kind = SC_TRAP;
	else if (strcmp(w, "log") == 0)
		a->kind = SC_LOG;
	else if (strcmp(w, "notify") == 0)
		a->kind = SC_NOTIFY;
	else
		return fail(c, "seccomp: unknown action '%s' (errno E, kill, trap, log, notify)", w);
	*i += 1;
	return 0;
}

/* argN OP VALUE or argN & MASK == VALUE, starting at argv[*i]. */
static int parse_cmp(struct ctx *c, int argc, char **argv, int *i, struct sc_cmp *cmp)
{
	const char *a = argv[*i];
	const char *opw;
	size_t k;

	if (strncmp(a, "arg", 3) != 0 || a[3] < '0' || a[3] > '9' || a[4])
		return fail(c, "seccomp: expected argN (arg0..arg5), got '%s'", a);
	cmp->arg = (unsigned)(a[3] - '0');
	if (cmp->arg > 5)
		return fail(c, "seccomp: %s: syscalls have arguments arg0 to arg5", a);
	if (*i + 2 >= argc)
		return fail(c, "seccomp: %s: expected OP VALUE", a);
	if (strcmp(argv[*i + 1], "&") == 0) {
		if (*i + 4 >= argc || strcmp(argv[*i + 3], "==") != 0)
			return fail(c, "seccomp: %s: expected '& MASK == VALUE'", a);
		if (parse_value(argv[*i + 2], &cmp->mask) < 0)
			return fail(c, "seccomp: %s: unknown constant or bad number '%s'", a, argv[*i + 2]);
		if (parse_value(argv[*i + 4], &cmp->value) < 0)
			return fail(c, "seccomp: %s: unknown constant or bad number '%s'", a, argv[*i + 4]);
		cmp->op = SC_MASKED_EQ;
		*i += 5;
		return 0;
	}
	opw = argv[*i + 1];
	for (k = 0; k < ARRAY_SIZE(ops); k++)
		if (strcmp(opw, ops[k].name) == 0)
			break;
	if (k == ARRAY_SIZE(ops))
		return fail(c, "seccomp: %s: unknown comparison '%s' (== != < <= > >= or & MASK ==)", a, opw);
	cmp->op = ops[k].op;
	if (parse_value(argv[*i + 2], &cmp->value) < 0)
		return fail(c, "seccomp: %s: unknown constant or bad number '%s'", a, argv[*i + 2]);
	*i += 3;
	return 0;
}

/* allow|deny NAME argN ... [action] */
static int conditional(struct ctx *c, int argc, char **argv, const struct sc_action *act0)
{
	struct sc_rule r = { .action = *act0, .file = c->file, .line = c->line };
	int i = 1;

	r.nr = syscall_nr(argv[0]);
	if (argv[0][0] == '@')
		return fail(c, "seccomp: argument rules name one syscall, not a group (%s)", argv[0]);
	if (r.nr == -2)
		return fail(c, "seccomp: syscall '%s' does not exist on this architecture", argv[0]);
	if (r.nr < 0)
		return fail(c, "seccomp: unknown syscall '%s'", argv[0]);
	while (i < argc && strncmp(argv[i], "arg", 3) == 0) {
		if (r.ncmp == SC_MAX_CMP)
			return fail(c, "seccomp: at most %d comparisons in one rule", SC_MAX_CMP);
		if (parse_cmp(c, argc, argv, &i, &r.cmp[r.ncmp]) < 0)
			return -1;
		/* libseccomp takes one comparison per argument and rule; say
		 * so here rather than fail at launch with EINVAL. */
		for (unsigned k = 0; k < r.ncmp; k++)
			if (r.cmp[k].arg == r.cmp[r.ncmp].arg)
				return fail(c, "seccomp: arg%u compared twice in one rule (write two rules instead)",
					    r.cmp[k].arg);
		r.ncmp++;
	}
	if (i < argc) {
		if (act0->kind == SC_ALLOW)
			return fail(c, "seccomp: allow takes no action, got '%s'", argv[i]);
		if (parse_action(c, argc, argv, &i, &r.action) < 0)
			return -1;
		if (i < argc)
			return fail(c, "seccomp: unexpected '%s'", argv[i]);
	}
	add_rule(&c->s->seccomp, &r);
	return 0;
}

static int is_action_word(const char *w)
{
	return !strcmp(w, "errno") || !strcmp(w, "kill") || !strcmp(w, "trap") || !strcmp(w, "log") ||
	       !strcmp(w, "notify");
}

int seccomp_directive(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		      struct rp_err *e)
{
	struct ctx c = { s, file, line, e };
	struct sc_action allow = { SC_ALLOW, 0 }, deny = { SC_ERRNO, EPERM };
	const char *verb = argc ? argv[0] : "";
	int i;

	if (argc == 1 && (!strcmp(verb, "on") || !strcmp(verb, "off"))) {
		s->seccomp.enabled = verb[1] == 'n';
		return 0;
	}
	if (argc == 1 && !strcmp(verb, "clear")) {
		s->seccomp.nrules = 0;
		return 0;
	}
	/* `clear allow`: drop the allowlist, keep the denies (a learned
	 * profile replaces what it may call, not what it must never do). */
	if (argc == 2 && !strcmp(verb, "clear") && !strcmp(argv[1], "allow")) {
		size_t o = 0;
		for (size_t k = 0; k < s->seccomp.nrules; k++)
			if (s->seccomp.rules[k].action.kind != SC_ALLOW)
				s->seccomp.rules[o++] = s->seccomp.rules[k];
		s->seccomp.nrules = o;
		return 0;
	}
	if (argc == 2 && !strcmp(verb, "optimize") && (!strcmp(argv[1], "tree") || !strcmp(argv[1], "linear"))) {
		s->seccomp.linear = argv[1][0] == 'l';
		return 0;
	}
	if (!strcmp(verb, "default")) {
		struct sc_action a = { 0 };
		i = 1;
		if (argc < 2 || parse_action(&c, argc, argv, &i, &a) < 0)
			return argc < 2 ? fail(&c, "seccomp default: expected errno E, kill, trap or log") : -1;
		if (i != argc)
			return fail(&c, "seccomp default: unexpected '%s'", argv[i]);
		/* Every call, execve and exit included, would wait for the agent. */
		if (a.kind == SC_NOTIFY)
			return fail(&c, "seccomp default: notify cannot be the default (name the syscalls to notify)");
		s->seccomp.default_action = a;
		return 0;
	}
	if (strcmp(verb, "allow") && strcmp(verb, "deny"))
		return fail(&c, "seccomp: expected default, allow, deny, clear, optimize, on or off; got '%s'", verb);
	if (argc < 2)
		return fail(&c, "seccomp %s: name at least one syscall or @group", verb);
	if (argc > 2 && strncmp(argv[2], "arg", 3) == 0)
		return conditional(&c, argc - 1, argv + 1, verb[0] == 'a' ? &allow : &deny);
	/* allow NAME...   or   deny NAME... [errno E | kill | trap | log | notify]
	 * The action is only ever read from the end of a deny line, after at
	 * least one name, so the syscall called kill stays nameable:
	 * `seccomp deny kill` denies it, `seccomp deny ptrace kill` kills. */
	i = argc;
	if (verb[0] == 'd' && argc >= 4 && !strcmp(argv[argc - 2], "errno"))
		i = argc - 2;
	else if (verb[0] == 'd' && argc >= 3 && is_action_word(argv[argc - 1]) &&
		 strcmp(argv[argc - 1], "errno"))
		i = argc - 1;
	if (i < argc) {
		int k = i;
		if (parse_action(&c, argc, argv, &k, &deny) < 0)
			return -1;
	}
	for (int k = 1; k < i; k++)
		if (add_name(&c, argv[k], verb[0] == 'a' ? &allow : &deny, 0) < 0)
			return -1;
	return 0;
}

/* ---- printing ------------------------------------------------------------ */

static void print_action(const struct sc_action *a, FILE *out)
{
	switch (a->kind) {
	case SC_ALLOW: break;
	case SC_ERRNO: fprintf(out, " errno %d", a->errnum); break;
	case SC_KILL: fputs(" kill", out); break;
	case SC_TRAP: fputs(" trap", out); break;
	case SC_LOG: fputs(" log", out); break;
	case SC_NOTIFY: fputs(" notify", out); break;
	}
}

void seccomp_print(const struct seccomp_spec *sc, FILE *out)
{
	static const char *const opn[] = { "==", "!=", "<", "<=", ">", ">=" };

	if (!sc->enabled) {
		fputs("seccomp off\n", out);
		return;
	}
	if (sc->linear)
		fputs("seccomp optimize linear\n", out);
	fputs("seccomp default", out);
	print_action(&sc->default_action, out);
	fputc('\n', out);
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct sc_rule *r = &sc->rules[i];

		fprintf(out, "seccomp %s %s", r->action.kind == SC_ALLOW ? "allow" : "deny",
			seccomp_syscall_name(r->nr));
		for (unsigned k = 0; k < r->ncmp; k++) {
			const struct sc_cmp *m = &r->cmp[k];
			if (m->op == SC_MASKED_EQ)
				fprintf(out, " arg%u & 0x%llx == 0x%llx", m->arg, (unsigned long long)m->mask,
					(unsigned long long)m->value);
			else
				fprintf(out, " arg%u %s 0x%llx", m->arg, opn[m->op], (unsigned long long)m->value);
		}
		if (r->action.kind != SC_ALLOW)
			print_action(&r->action, out);
		fputc('\n', out);
	}
}

void seccomp_spec_free(struct seccomp_spec *sc)
{
	free(sc->rules);
	sc->rules = NULL;
	sc->nrules = 0;
}
