/* cli_seccomp.c - `rampart seccomp show|diff|export|import`: the tools for
 * profile authors (docs/seccomp-tools.md).
 *
 *   show    the effective filter of merged profiles, grouped, with origins
 *   diff    what two profiles' filters allow differently (exit 1 if they do)
 *   export  the filter as OCI `linux.seccomp` or Docker profile JSON
 *   import  OCI / Docker JSON as a standalone rampart profile
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "profile.h"
#include "seccomp_json.h"
#include "spec.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: rampart seccomp show [--profile P]... [--set 'DIRECTIVE ...']... [--bpf] [P]\n"
		"       rampart seccomp diff A B\n"
		"       rampart seccomp export [--format oci|docker] [--profile P]... [--set D]... [P]\n"
		"       rampart seccomp import FILE.json|-\n");
	return RP_EXIT_ERROR;
}

/* ---- options ------------------------------------------------------------ */

struct opts {
	struct cli_profile_opts p;
	bool bpf;               /* show --bpf */
	enum scj_format format; /* export --format */
};

static int parse_format(const char *s, enum scj_format *out, struct rp_err *e)
{
	if (!strcmp(s, "oci"))
		*out = SCJ_OCI;
	else if (!strcmp(s, "docker"))
		*out = SCJ_DOCKER;
	else
		return rp_fail(e, 0, "usage", "--format: expected oci or docker, got '%s'", s);
	return 0;
}

/* --profile/--set/positional profiles, plus --bpf (show) or --format (export). */
static int parse_opts(int argc, char **argv, struct opts *o, bool export, struct rp_err *e)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int c = cli_profile_opt(&o->p, argc, argv, &i, e);

		if (c < 0)
			return -1;
		if (c > 0)
			continue;
		if (!export && !strcmp(a, "--bpf"))
			o->bpf = true;
		else if (export && !strncmp(a, "--format=", 9))
			c = parse_format(a + 9, &o->format, e);
		else if (export && !strcmp(a, "--format"))
			c = i + 1 < argc ? parse_format(argv[++i], &o->format, e)
					 : rp_fail(e, 0, "usage", "--format needs an argument");
		else if (a[0] != '-' || !a[1])
			strv_push(&o->p.profiles, a);
		else
			return rp_fail(e, 0, "usage", "unknown option '%s'", a);
		if (c < 0)
			return -1;
	}
	return 0;
}

/* Parse the options and apply the profiles; 0 or an exit status. */
static int load_opts(int argc, char **argv, struct opts *o, bool export, struct spec *s)
{
	struct rp_err e = { 0 };

	if (parse_opts(argc, argv, o, export, &e) < 0) {
		cli_report(&e);
		return usage();
	}
	if (cli_apply_profiles(s, &o->p, &e) < 0)
		return cli_report(&e);
	return 0;
}

/* ---- groups ----------------------------------------------------------------- */

struct group {
	char *name;
	int *nrs;
	size_t n;
};

/* Names of the *.group files in DIR/seccomp, first along the path wins. */
static void group_names_in(const char *dir, size_t dirlen, char ***names)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (dirlen == 0 || xsnprintf(path, sizeof(path), "%.*s/seccomp", (int)dirlen, dir) < 0)
		return;
	d = opendir(path);
	if (!d)
		return; /* a search-path entry without groups is normal */
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		_cleanup_free_ char *name = NULL;
		bool dup = false;

		if (n <= 6 || strcmp(de->d_name + n - 6, ".group") != 0)
			continue;
		name = strndup(de->d_name, n - 6);
		if (!name)
			break;
		for (size_t i = 0; *names && (*names)[i]; i++)
			dup |= !strcmp((*names)[i], name);
		if (!dup)
			strv_push(names, name);
	}
	closedir(d);
}

/* The syscalls `seccomp allow @NAME` allows, through the profile parser,
 * so nesting, per-arch skipping and lookup are exactly the real ones. */
static void load_group(const char *name, struct group *g)
{
	char verb[] = "allow", word[256];
	char *argv[] = { verb, word, NULL };
	struct rp_err e = { 0 };
	struct spec t;

	g->name = xstrdup(name);
	if (xsnprintf(word, sizeof(word), "@%s", name) < 0)
		return;
	spec_init(&t);
	/* A broken group only loses its heading here; `seccomp allow @it`
	 * reports the error where a profile uses it. */
	if (seccomp_directive(&t, 2, argv, "group", 0, &e) == 0) {
		g->nrs = xcalloc(t.seccomp.nrules, sizeof(*g->nrs));
		for (size_t i = 0; i < t.seccomp.nrules; i++)
			g->nrs[g->n++] = t.seccomp.rules[i].nr;
	}
	spec_free(&t);
}

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Every group along the search path, largest first. */
static size_t load_groups(struct group **out)
{
	_cleanup_strv_ char **names = NULL;
	const char *p = profile_search_path();
	size_t n;

	while (*p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		group_names_in(p, len, &names);
		p += len + (end ? 1 : 0);
	}
	n = strv_len(names);
	*out = xcalloc(n, sizeof(**out));
	for (size_t i = 0; i < n; i++)
		load_group(names[i], &(*out)[i]);
	if (n)
		qsort(*out, n, sizeof(**out), cmp_group);
	return n;
}

static void free_groups(struct group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].name);
		free(g[i].nrs);
	}
	free(g);
}

/* ---- show ------------------------------------------------------------------- */

struct view {
	const struct seccomp_spec *sc;
	const struct sc_rule **allow; /* [nr]: its unconditional allow, or NULL */
	bool *covered;                /* [nr]: shown under a group */
	int size;
};

static const char *file_of(const struct sc_rule *r)
{
	return r->file ? r->file : "?";
}

static void origin_text(const struct sc_rule *r, char *buf, size_t n)
{
	snprintf(buf, n, "%s:%u", file_of(r), r->line);
}

static int cmp_origin(const void *a, const void *b)
{
	const struct sc_rule *x = *(const struct sc_rule *const *)a, *y = *(const struct sc_rule *const *)b;
	int c = strcmp(file_of(x), file_of(y));

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Where the unconditional allows of NRS come from, per file:
 * "base.profile:26", "a.profile:3,7", "imported.profile:85-127 (23 lines)". */
static void origins(const struct view *v, const int *nrs, size_t n, char *buf, size_t len)
{
	const struct sc_rule **r = xcalloc(n, sizeof(*r));

	for (size_t i = 0; i < n; i++)
		r[i] = v->allow[nrs[i]];
	qsort(r, n, sizeof(*r), cmp_origin);
	buf[0] = '\0';
	for (size_t i = 0, j; i < n; i = j) {
		size_t lines = 1, used = strlen(buf);

		/* r[i..j) come from one file; count its distinct lines. */
		for (j = i + 1; j < n && !strcmp(file_of(r[j]), file_of(r[i])); j++)
			lines += r[j]->line != r[j - 1]->line;
		snprintf(buf + used, len - used, "%s%s:%u", used ? ", " : "", file_of(r[i]), r[i]->line);
		used = strlen(buf);
		if (lines == 2 || lines == 3) {
			for (size_t k = i + 1; k < j; k++)
				if (r[k]->line != r[k - 1]->line)
					snprintf(buf + strlen(buf), len - strlen(buf), ",%u", r[k]->line);
		} else if (lines > 3) {
			snprintf(buf + used, len - used, "-%u (%zu lines)", r[j - 1]->line, lines);
		}
	}
	free(r);
}

static void item(FILE *out, const char *text, const char *origin)
{
	fprintf(out, "  %-40s  # %s\n", text, origin);
}

static bool group_fully_allowed(const struct view *v, const struct group *g)
{
	bool news = false;

	for (size_t i = 0; i < g->n; i++) {
		if (!v->allow[g->nrs[i]])
			return false;
		news |= !v->covered[g->nrs[i]];
	}
	/* A group inside one already shown adds nothing. */
	return news;
}

struct line {
	char key[64];           /* the syscall's name; "" for the default */
	char text[512];
	const struct sc_rule *rule;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* One syscall's rules in a readable order: allows first, then by
 * argument, operator and value, numerically (0x8 before 0x20000). */
static int cmp_rule(const struct sc_rule *x, const struct sc_rule *y)
{
	/* An always-true comparison is no comparison (see scj_unconditional). */
	unsigned nx = scj_unconditional(x) ? 0 : x->ncmp, ny = scj_unconditional(y) ? 0 : y->ncmp;
	int c = (x->action.kind != SC_ALLOW) - (y->action.kind != SC_ALLOW);

	for (unsigned k = 0; !c && k < nx && k < ny; k++) {
		const struct sc_cmp *a = &x->cmp[k], *b = &y->cmp[k];

		c = cmp_u64(a->arg, b->arg);
		c = c ? c : cmp_u64(a->op, b->op);
		c = c ? c : cmp_u64(a->mask, b->mask);
		c = c ? c : cmp_u64(a->value, b->value);
	}
	return c ? c : cmp_u64(nx, ny);
}

/* By syscall, then rule; the text breaks ties, so equal means equal text. */
static int cmp_line(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (!c && x->rule && y->rule)
		c = cmp_rule(x->rule, y->rule);
	return c ? c : strcmp(x->text, y->text);
}

/* Unconditional allows: every group they fully cover (largest first, so
 * @default beats its parts), then the rest by name. */
static void show_allows(struct view *v, FILE *out)
{
	struct group *groups = NULL;
	size_t ngroups = load_groups(&groups), total = 0;
	struct line *rest = xcalloc((size_t)v->size, sizeof(*rest));
	size_t nrest = 0;
	char text[300], where[1024];

	for (int nr = 0; nr < v->size; nr++)
		total += v->allow[nr] != NULL;
	fprintf(out, "unconditional allows (%zu syscalls):\n", total);
	for (size_t i = 0; i < ngroups; i++) {
		if (groups[i].n == 0 || !group_fully_allowed(v, &groups[i]))
			continue;
		for (size_t k = 0; k < groups[i].n; k++)
			v->covered[groups[i].nrs[k]] = true;
		snprintf(text, sizeof(text), "@%s (%zu)", groups[i].name, groups[i].n);
		origins(v, groups[i].nrs, groups[i].n, where, sizeof(where));
		item(out, text, where);
	}
	free_groups(groups, ngroups);
	for (int nr = 0; nr < v->size; nr++) {
		if (!v->allow[nr] || v->covered[nr])
			continue;
		snprintf(rest[nrest].key, sizeof(rest->key), "%s", seccomp_syscall_name(nr));
		rest[nrest++].rule = v->allow[nr];
	}
	qsort(rest, nrest, sizeof(*rest), cmp_line);
	for (size_t i = 0; i < nrest; i++) {
		origin_text(rest[i].rule, where, sizeof(where));
		item(out, rest[i].key, where);
	}
	free(rest);
}

static bool is_no_op(const struct seccomp_spec *sc, const struct sc_rule *r)
{
	return scj_unconditional(r) && r->action.kind == sc->default_action.kind &&
	       (r->action.kind != SC_ERRNO || r->action.errnum == sc->default_action.errnum);
}

/* The rules that matter, as sorted text lines without duplicates; WANT
 * picks which (NULL: all, with the default first). */
static size_t rule_lines(const struct seccomp_spec *sc, bool (*want)(const struct sc_rule *),
			 struct line **out)
{
	struct line *l = xcalloc(sc->nrules + 1, sizeof(*l));
	size_t n = 0, o = 0;

	char act[64];

	scj_action_text(&sc->default_action, act, sizeof(act));
	if (!want)
		snprintf(l[n++].text, sizeof(l->text), sc->enabled ? "default %s" : "seccomp off", act);
	for (size_t i = 0; sc->enabled && i < sc->nrules; i++) {
		const struct sc_rule *r = &sc->rules[i];

		if (is_no_op(sc, r) || (want && !want(r)))
			continue;
		snprintf(l[n].key, sizeof(l->key), "%s", seccomp_syscall_name(r->nr));
		scj_rule_text(r, l[n].text, sizeof(l->text));
		l[n++].rule = r;
	}
	qsort(l, n, sizeof(*l), cmp_line);
	for (size_t i = 0; i < n; i++)
		if (o == 0 || cmp_line(&l[o - 1], &l[i]) != 0)
			l[o++] = l[i];
	*out = l;
	return o;
}

static bool is_conditional_allow(const struct sc_rule *r)
{
	return !scj_unconditional(r) && r->action.kind == SC_ALLOW;
}

static bool is_deny(const struct sc_rule *r)
{
	return r->action.kind != SC_ALLOW;
}

static void show_rules(const struct seccomp_spec *sc, const char *title,
		       bool (*want)(const struct sc_rule *), FILE *out)
{
	struct line *l;
	size_t n = rule_lines(sc, want, &l);
	char where[PATH_MAX + 16];

	fprintf(out, "%s (%zu):\n", title, n);
	for (size_t i = 0; i < n; i++) {
		origin_text(l[i].rule, where, sizeof(where));
		item(out, l[i].text, where);
	}
	free(l);
}

static void show_text(const struct spec *s, FILE *out)
{
	const struct seccomp_spec *sc = &s->seccomp;
	struct view v = { .sc = sc, .size = seccomp_highest_known() + 1 };
	char act[64];

	fputs("# seccomp filter from:", out);
	for (size_t i = 0; s->profiles && s->profiles[i]; i++)
		fprintf(out, " %s", s->profiles[i]);
	fputc('\n', out);
	if (!sc->enabled) {
		fputs("seccomp off: no filter is loaded\n", out);
		return;
	}
	scj_action_text(&sc->default_action, act, sizeof(act));
	fprintf(out, "default %s\n", act);
	for (size_t i = 0; i < sc->nrules; i++)
		if (sc->rules[i].nr >= v.size)
			v.size = sc->rules[i].nr + 1;
	v.allow = xcalloc((size_t)v.size, sizeof(*v.allow));
	v.covered = xcalloc((size_t)v.size, sizeof(*v.covered));
	for (size_t i = 0; i < sc->nrules; i++)
		if (scj_unconditional(&sc->rules[i]) && sc->rules[i].action.kind == SC_ALLOW)
			v.allow[sc->rules[i].nr] = &sc->rules[i];
	show_allows(&v, out);
	show_rules(sc, "argument rules", is_conditional_allow, out);
	show_rules(sc, "denies", is_deny, out);
	free(v.allow);
	free(v.covered);
}

static int show_bpf(const struct spec *s, struct rp_err *e)
{
	/* libseccomp writes to the fd: what stdio holds goes first. */
	if (fflush(stdout) != 0)
		return rp_fail(e, errno, "write", "stdout");
	return seccomp_show_pfc(&s->seccomp, STDOUT_FILENO, e);
}

static int cmd_show(int argc, char **argv)
{
	struct opts o = { .format = SCJ_OCI };
	struct rp_err e = { 0 };
	struct spec s;
	int r;

	spec_init(&s);
	r = load_opts(argc, argv, &o, false, &s);
	if (r == 0 && o.bpf) {
		if (show_bpf(&s, &e) < 0)
			r = cli_report(&e);
	} else if (r == 0) {
		show_text(&s, stdout);
		if (cli_finish_stdout(&e) < 0)
			r = cli_report(&e);
	}
	spec_free(&s);
	cli_profile_opts_free(&o.p);
	return r;
}

/* ---- diff ------------------------------------------------------------------- */

/* Lines only in A as "-TEXT", only in B as "+TEXT", in rule order. */
static bool print_diff(const struct line *a, size_t na, const struct line *b, size_t nb, FILE *out)
{
	size_t i = 0, j = 0;
	bool differ = false;

	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : cmp_line(&a[i], &b[j]);

		if (c < 0)
			fprintf(out, "-%s\n", a[i++].text);
		else if (c > 0)
			fprintf(out, "+%s\n", b[j++].text);
		else
			i++, j++;
		differ |= c != 0;
	}
	return differ;
}

static int cmd_diff(int argc, char **argv)
{
	struct spec a, b;
	struct rp_err e = { 0 };
	struct line *la = NULL, *lb = NULL;
	int r;

	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
		return usage();
	spec_init(&a);
	spec_init(&b);
	if (profile_load(&a, argv[1], &e) < 0 || profile_load(&b, argv[2], &e) < 0) {
		r = cli_report(&e);
	} else {
		size_t na = rule_lines(&a.seccomp, NULL, &la), nb = rule_lines(&b.seccomp, NULL, &lb);

		r = print_diff(la, na, lb, nb, stdout) ? 1 : 0;
		if (cli_finish_stdout(&e) < 0)
			r = cli_report(&e);
	}
	free(la);
	free(lb);
	spec_free(&a);
	spec_free(&b);
	return r;
}

/* ---- export / import -------------------------------------------------------- */

static int cmd_export(int argc, char **argv)
{
	struct opts o = { .format = SCJ_OCI };
	struct rp_err e = { 0 };
	_cleanup_free_ char *text = NULL;
	struct spec s;
	int r;

	spec_init(&s);
	r = load_opts(argc, argv, &o, true, &s);
	if (r == 0) {
		text = scj_export(&s.seccomp, o.format, &e);
		if (!text || fputs(text, stdout) == EOF || cli_finish_stdout(&e) < 0)
			r = cli_report(&e);
	}
	spec_free(&s);
	cli_profile_opts_free(&o.p);
	return r;
}

static int cmd_import(int argc, char **argv)
{
	struct rp_err e = { 0 };
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	json_t *doc;
	FILE *mem;
	int r;

	if (argc != 2 || (argv[1][0] == '-' && argv[1][1]))
		return usage();
	doc = scj_load_file(argv[1], &e);
	if (!doc)
		return cli_report(&e);
	/* Into memory first: an error half-way must not leave half a profile. */
	mem = open_memstream(&text, &len);
	if (!mem) {
		json_decref(doc);
		rp_fail(&e, errno, "import", "memory stream");
		return cli_report(&e);
	}
	r = scj_import(doc, strcmp(argv[1], "-") ? argv[1] : "(stdin)", mem, &e);
	json_decref(doc);
	if (fclose(mem) != 0 && r == 0)
		r = rp_fail(&e, errno, "import", "memory stream");
	if (r < 0)
		return cli_report(&e);
	if (fwrite(text, 1, len, stdout) != len || cli_finish_stdout(&e) < 0)
		return cli_report(&e);
	return 0;
}

int cmd_seccomp(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} subs[] = {
		{ "show", cmd_show }, { "diff", cmd_diff }, { "export", cmd_export }, { "import", cmd_import },
	};

	for (size_t i = 0; argc >= 2 && i < ARRAY_SIZE(subs); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1);
	return usage();
}
