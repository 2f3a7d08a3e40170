/* seccomp_json.c - rampart seccomp rules <-> OCI / Docker seccomp JSON.
 *
 * Export writes what one libseccomp filter can say; import reads the union
 * of the OCI `linux.seccomp` object and Docker's profile format and writes
 * profile lines that rampart's own parser reads back. See
 * docs/seccomp-tools.md for what is lost in each direction.
 */
#include "seccomp_json.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "spec.h"
#include "json_util.h"
#include "util.h"

#if defined(__x86_64__)
#define NATIVE_SCMP_ARCH "SCMP_ARCH_X86_64"
/* Docker's includes.arches use Go's names (amd64); accept the others too. */
static const char *const native_arches[] = { "amd64", "x86_64", "SCMP_ARCH_X86_64" };
#elif defined(__aarch64__)
#define NATIVE_SCMP_ARCH "SCMP_ARCH_AARCH64"
static const char *const native_arches[] = { "arm64", "aarch64", "SCMP_ARCH_AARCH64" };
#else
#error "seccomp_json knows x86_64 and aarch64; add this arch"
#endif

#define WRAP_COLUMN 76  /* import wraps long name lists (profile lines hold 64 words) */

/* ---- the text form of actions and rules --------------------------------- */

/* Only names seccomp_rules.c's parse_errno accepts; others print as numbers. */
static const struct { const char *name; int value; } errno_names[] = {
	{ "EPERM", EPERM }, { "EACCES", EACCES }, { "ENOSYS", ENOSYS }, { "EINVAL", EINVAL },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "ENOENT", ENOENT }, { "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EROFS", EROFS }, { "ENOTTY", ENOTTY },
};

void scj_action_text(const struct sc_action *a, char *buf, size_t n)
{
	switch (a->kind) {
	case SC_ALLOW: snprintf(buf, n, "allow"); return;
	case SC_KILL: snprintf(buf, n, "kill"); return;
	case SC_TRAP: snprintf(buf, n, "trap"); return;
	case SC_LOG: snprintf(buf, n, "log"); return;
	case SC_NOTIFY: snprintf(buf, n, "notify"); return;
	case SC_ERRNO: break;
	}
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].value == a->errnum) {
			snprintf(buf, n, "errno %s", errno_names[i].name);
			return;
		}
	snprintf(buf, n, "errno %d", a->errnum);
}

static void appendf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strnlen(buf, n);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

static const char *const op_text[] = {
	[SC_EQ] = "==", [SC_NE] = "!=", [SC_LT] = "<", [SC_LE] = "<=", [SC_GT] = ">", [SC_GE] = ">=",
};

static bool cmp_always_true(const struct sc_cmp *c)
{
	return (c->op == SC_MASKED_EQ && c->mask == 0 && c->value == 0) ||
	       (c->op == SC_GE && c->value == 0) || (c->op == SC_LE && c->value == UINT64_MAX);
}

bool scj_unconditional(const struct sc_rule *r)
{
	if (r->action.kind != SC_ALLOW)
		return r->ncmp == 0;
	for (unsigned k = 0; k < r->ncmp; k++)
		if (!cmp_always_true(&r->cmp[k]))
			return false;
	return true;
}

void scj_rule_text(const struct sc_rule *r, char *buf, size_t n)
{
	unsigned ncmp = scj_unconditional(r) ? 0 : r->ncmp;
	char act[32];

	snprintf(buf, n, "%s %s", r->action.kind == SC_ALLOW ? "allow" : "deny",
		 seccomp_syscall_name(r->nr));
	for (unsigned k = 0; k < ncmp; k++) {
		const struct sc_cmp *c = &r->cmp[k];

		if (c->op == SC_MASKED_EQ)
			appendf(buf, n, " arg%u & 0x%" PRIx64 " == 0x%" PRIx64, c->arg, c->mask, c->value);
		else
			appendf(buf, n, " arg%u %s 0x%" PRIx64, c->arg, op_text[c->op], c->value);
	}
	if (r->action.kind != SC_ALLOW) {
		scj_action_text(&r->action, act, sizeof(act));
		appendf(buf, n, " %s", act);
	}
}

static bool same_action(const struct sc_action *a, const struct sc_action *b)
{
	return a->kind == b->kind && (a->kind != SC_ERRNO || a->errnum == b->errnum);
}

static bool same_rule(const struct sc_rule *a, const struct sc_rule *b)
{
	if (a->nr != b->nr || a->ncmp != b->ncmp || !same_action(&a->action, &b->action))
		return false;
	for (unsigned k = 0; k < a->ncmp; k++) {
		const struct sc_cmp *x = &a->cmp[k], *y = &b->cmp[k];

		if (x->arg != y->arg || x->op != y->op || x->value != y->value ||
		    (x->op == SC_MASKED_EQ && x->mask != y->mask))
			return false;
	}
	return true;
}

/* ---- big integers --------------------------------------------------------
 * OCI's value/valueTwo are uint64; jansson's integers are int64 and it
 * refuses larger ones. Such numbers travel as the string "\0DIGITS": the
 * loader rewrites them before jansson parses, the writer after it prints.
 * The loader refuses \u0000 in the input, so only it can make a marker. */

static json_t *u64_json(uint64_t v)
{
	char buf[32];
	int n;

	if (v <= INT64_MAX)
		return jmust(json_integer((json_int_t)v));
	n = snprintf(buf, sizeof(buf), "%c%" PRIu64, '\0', v);
	return jmust(json_stringn(buf, (size_t)n));
}

int scj_u64(const json_t *v, uint64_t *out)
{
	const char *s;
	char *end;

	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) < 2 || json_string_value(v)[0] != '\0')
		return -1;
	s = json_string_value(v) + 1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

/* Replace "\u0000DIGITS" (quotes included) by DIGITS, in place. */
static void unmark_big_ints(char *s)
{
	static const char mark[] = "\"\\u0000";
	char *r = s, *w = s;

	while (*r) {
		if (strncmp(r, mark, sizeof(mark) - 1) != 0) {
			*w++ = *r++;
			continue;
		}
		for (r += sizeof(mark) - 1; *r && *r != '"'; )
			*w++ = *r++;
		if (*r)
			r++;
	}
	*w = '\0';
}

static void line_col(const char *text, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/* A number token at text[i..): turn it into a marker when it is an integer
 * above INT64_MAX that still fits 64 bits (larger ones stay for jansson to
 * refuse). Appends the output at out+*k; returns the token's length. */
static size_t copy_number(const char *text, size_t len, size_t i, char *out, size_t *k)
{
	size_t j = i, digits = 0;
	char tok[32];
	uint64_t v;
	char *end;

	for (; j < len && strchr("0123456789+-.eE", text[j]); j++)
		if (text[j] >= '0' && text[j] <= '9')
			digits++;
	if (digits == j - i && digits >= 19 && digits < sizeof(tok)) {
		memcpy(tok, text + i, digits);
		tok[digits] = '\0';
		errno = 0;
		v = strtoull(tok, &end, 10);
		if (!errno && !*end && v > INT64_MAX) {
			*k += (size_t)sprintf(out + *k, "\"\\u0000%s\"", tok);
			return j - i;
		}
	}
	memcpy(out + *k, text + i, j - i);
	*k += j - i;
	return j - i;
}

/* Copy TEXT with big integers marked. -1 with *bad at a \u0000 escape. */
static char *mark_big_ints(const char *text, size_t len, size_t *outlen, size_t *bad)
{
	/* A marked number (19+ digits) grows by 8 bytes: at most by half. */
	char *out = xmalloc(len + len / 2 + 1);
	bool in_string = false;
	size_t i = 0, k = 0;

	while (i < len) {
		char c = text[i];

		if (in_string && c == '\\' && i + 1 < len) {
			if (i + 6 <= len && strncmp(text + i + 1, "u0000", 5) == 0) {
				free(out);
				*bad = i;
				return NULL;
			}
			out[k++] = text[i++];
			out[k++] = text[i++];
		} else if (!in_string && (c == '-' || (c >= '0' && c <= '9'))) {
			i += copy_number(text, len, i, out, &k);
		} else {
			in_string ^= c == '"';
			out[k++] = text[i++];
		}
	}
	out[k] = '\0';
	*outlen = k;
	return out;
}

json_t *scj_loads(const char *text, size_t len, const char *source, struct rp_err *e)
{
	_cleanup_free_ char *marked = NULL;
	json_error_t jerr;
	size_t n, bad = 0;
	json_t *doc;
	int line, col;

	marked = mark_big_ints(text, len, &n, &bad);
	if (!marked) {
		line_col(text, bad, &line, &col);
		rp_fail(e, 0, "import", "%s:%d:%d: \\u0000 (a NUL character) in a string is not supported",
			source, line, col);
		return NULL;
	}
	/* Line numbers survive the marking; a column after a marked number on
	 * the same line is off by 8 per marker (rare: only values >= 2^63). */
	doc = json_loadb(marked, n, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		rp_fail(e, 0, "import", "%s:%d:%d: %s", source, jerr.line, jerr.column, jerr.text);
	return doc;
}

#define MAX_JSON_SIZE (16 << 20)


json_t *scj_load_file(const char *path, struct rp_err *e)
{
	bool is_stdin = strcmp(path, "-") == 0;
	_cleanup_close_ int fd = is_stdin ? -1 : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (!is_stdin && fd < 0) {
		rp_fail(e, errno, "import", "%s", path);
		return NULL;
	}
	if (read_all(is_stdin ? STDIN_FILENO : fd, MAX_JSON_SIZE, &text, &len) < 0) {
		rp_fail(e, errno, "import", "%s", is_stdin ? "(stdin)" : path);
		return NULL;
	}
	return scj_loads(text, len, is_stdin ? "(stdin)" : path, e);
}

/* ---- import: reading the JSON --------------------------------------------- */

struct imp_rule {
	struct sc_rule r;
	unsigned entry;         /* index in syscalls[] */
	bool keep;
};

/* One entry's comparisons; several when runc would split it (below). */
struct cmpset {
	struct sc_cmp c[SC_MAX_CMP];
	unsigned n;
};

struct imp {
	struct rp_err *e;
	const char *root;       /* JSON path of the seccomp object ("" at the top) */
	struct sc_action def;
	bool def_allow;         /* defaultAction SCMP_ACT_ALLOW */
	struct imp_rule *rules;
	size_t nrules;
	char **notes;           /* comment lines for the output */
	unsigned kmajor, kminor; /* the running kernel */
};

/* Text from the input goes into comment lines: a newline would end one. */
static void comment_safe(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void note(struct imp *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct imp *m, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	comment_safe(buf);
	strv_push(&m->notes, buf);
}

static int jfail(struct imp *m, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int jfail(struct imp *m, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return rp_fail(m->e, 0, "import", "%s: %s", *path ? path : "(top level)", msg);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return json_string_length(v) && !json_string_value(v)[0] ? "a number" : "a string";
	case JSON_INTEGER: return "a number";
	case JSON_REAL: return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

/* A string without NUL bytes (a marker is a number, not a string). */
static const char *str_value(const json_t *v)
{
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return NULL;
	return json_string_value(v);
}

/* OBJ.KEY as a string; *out NULL when absent and optional. */
static int get_str(struct imp *m, const json_t *obj, const char *path, const char *key, bool required,
		   const char **out)
{
	const json_t *v = json_object_get(obj, key);
	char p[JSON_PATH_LEN];

	json_path_key(p, path, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return required ? jfail(m, p, "missing") : 0;
	*out = str_value(v);
	return *out ? 0 : jfail(m, p, "expected a string, got %s", type_name(v));
}

/* OBJ.KEY as a number; *present false when absent. */
static int get_u64(struct imp *m, const json_t *obj, const char *path, const char *key, bool required,
		   uint64_t *out, bool *present)
{
	const json_t *v = json_object_get(obj, key);
	char p[JSON_PATH_LEN];

	json_path_key(p, path, key);
	*present = v && !json_is_null(v);
	*out = 0;
	if (!*present)
		return required ? jfail(m, p, "missing") : 0;
	if (scj_u64(v, out) < 0)
		return jfail(m, p, "expected a number from 0 to 2^64-1, got %s",
			     json_is_integer(v) ? "a negative number" : type_name(v));
	return 0;
}

/* OBJ.KEY as an errno for an action: 1-4095 (profile syntax), EPERM when
 * absent, as runc does. */
static int get_errno(struct imp *m, const json_t *obj, const char *path, const char *key,
		     enum sc_kind kind, int *out)
{
	char p[JSON_PATH_LEN];
	uint64_t v;
	bool present;

	if (get_u64(m, obj, path, key, false, &v, &present) < 0)
		return -1;
	json_path_key(p, path, key);
	*out = EPERM;
	if (!present)
		return 0;
	if (kind != SC_ERRNO)
		return jfail(m, p, "only SCMP_ACT_ERRNO returns an errno");
	if (v == 0 || v > 4095)
		return jfail(m, p, "%" PRIu64 " is not an errno rampart can return (1-4095)", v);
	*out = (int)v;
	return 0;
}

static const struct { const char *name; enum sc_kind kind; } actions[] = {
	{ "SCMP_ACT_ALLOW", SC_ALLOW }, { "SCMP_ACT_ERRNO", SC_ERRNO },
	/* rampart kills the whole process: a thread-only kill leaves a
	 * half-dead process behind, which is no safer. */
	{ "SCMP_ACT_KILL", SC_KILL }, { "SCMP_ACT_KILL_PROCESS", SC_KILL },
	{ "SCMP_ACT_KILL_THREAD", SC_KILL }, { "SCMP_ACT_TRAP", SC_TRAP }, { "SCMP_ACT_LOG", SC_LOG },
	{ "SCMP_ACT_NOTIFY", SC_NOTIFY },
};

/* OBJ.AKEY (an SCMP_ACT_* name) and OBJ.EKEY (its errno). */
static int get_action(struct imp *m, const json_t *obj, const char *path, const char *akey,
		      const char *ekey, struct sc_action *a)
{
	char p[JSON_PATH_LEN];
	const char *name;

	if (get_str(m, obj, path, akey, true, &name) < 0)
		return -1;
	json_path_key(p, path, akey);
	if (!strcmp(name, "SCMP_ACT_TRACE"))
		return jfail(m, p, "SCMP_ACT_TRACE is not supported: rampart runs no tracer");
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (!strcmp(name, actions[i].name)) {
			a->kind = actions[i].kind;
			a->errnum = 0;
			if (get_errno(m, obj, path, ekey, a->kind, &a->errnum) < 0)
				return -1;
			if (a->kind != SC_ERRNO)
				a->errnum = 0;
			return 0;
		}
	return jfail(m, p, "unknown action '%s'", name);
}

/* ---- import: includes / excludes (Docker) ---------------------------------- */

static bool is_native_arch(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(native_arches); i++)
		if (!strcmp(name, native_arches[i]))
			return true;
	return false;
}

static bool any_name(const char *name)
{
	(void)name;
	return true;
}

/* FILTER.KEY, an optional array of strings: does one satisfy MATCH? Their
 * list, comma-separated, goes to JOINED for messages. */
static int filter_list(struct imp *m, const json_t *filter, const char *fpath, const char *key,
		       bool (*match)(const char *), bool *matched, char *joined, size_t jn)
{
	const json_t *list = json_object_get(filter, key), *v;
	char p[JSON_PATH_LEN], pi[JSON_PATH_LEN];
	size_t i;

	json_path_key(p, fpath, key);
	*matched = false;
	joined[0] = '\0';
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return jfail(m, p, "expected an array of strings, got %s", type_name(list));
	json_array_foreach(list, i, v) {
		const char *s = str_value(v);

		json_path_idx(pi, p, i);
		if (!s)
			return jfail(m, pi, "expected a string, got %s", type_name(v));
		*matched |= match(s);
		appendf(joined, jn, "%s%s", i ? ", " : "", s);
	}
	return 0;
}

static bool parse_byte(const char *s, char **end, unsigned *out)
{
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, end, 10);
	*out = (unsigned)v;
	return !errno && v <= 255;
}

/* FILTER.minKernel: "4.8" (Docker: "<kernel>.<major>", each 0-255, not 0.0). */
static int get_kernel(struct imp *m, const json_t *filter, const char *fpath, bool *present,
		      unsigned *major, unsigned *minor)
{
	const char *s;
	char p[JSON_PATH_LEN], *end;

	if (get_str(m, filter, fpath, "minKernel", false, &s) < 0)
		return -1;
	*present = s && *s;
	if (!*present)
		return 0;
	json_path_key(p, fpath, "minKernel");
	if (!parse_byte(s, &end, major) || *end != '.' || !parse_byte(end + 1, &end, minor) || *end ||
	    (*major == 0 && *minor == 0))
		return jfail(m, p, "invalid kernel version '%s', expected \"<kernel>.<major>\"", s);
	return 0;
}

static bool kernel_at_least(const struct imp *m, unsigned major, unsigned minor)
{
	return m->kmajor > major || (m->kmajor == major && m->kminor >= minor);
}

static int get_filter(struct imp *m, const json_t *ent, const char *path, const char *key,
		      const json_t **out, char *fpath)
{
	*out = json_object_get(ent, key);
	json_path_key(fpath, path, key);
	if (*out && json_is_null(*out))
		*out = NULL;
	if (*out && !json_is_object(*out))
		return jfail(m, fpath, "expected an object, got %s", type_name(*out));
	return 0;
}

/* Docker's excludes: skip the entry on this arch, with capabilities (never:
 * rampart drops them all), or from a kernel version on. 1 applies, 0 not. */
static int excludes_ok(struct imp *m, const json_t *ent, const char *path, char *why, size_t wn)
{
	const json_t *f;
	char fp[JSON_PATH_LEN], list[256];
	unsigned maj, min;
	bool hit, present;

	if (get_filter(m, ent, path, "excludes", &f, fp) < 0)
		return -1;
	if (!f)
		return 1;
	/* Listed capabilities exclude nothing: the container has none. */
	if (filter_list(m, f, fp, "caps", any_name, &hit, list, sizeof(list)) < 0 ||
	    filter_list(m, f, fp, "arches", is_native_arch, &hit, list, sizeof(list)) < 0)
		return -1;
	if (hit) {
		snprintf(why, wn, "excluded on this architecture");
		return 0;
	}
	if (get_kernel(m, f, fp, &present, &maj, &min) < 0)
		return -1;
	if (present && kernel_at_least(m, maj, min)) {
		snprintf(why, wn, "excluded from kernel %u.%u on; this is %u.%u", maj, min, m->kmajor, m->kminor);
		return 0;
	}
	return 1;
}

/* Docker's includes: the entry needs this arch, capabilities (never met),
 * a kernel version. 1 applies, 0 not. */
static int includes_ok(struct imp *m, const json_t *ent, const char *path, char *why, size_t wn)
{
	const json_t *f;
	char fp[JSON_PATH_LEN], list[256];
	unsigned maj, min;
	bool hit, present;

	if (get_filter(m, ent, path, "includes", &f, fp) < 0)
		return -1;
	if (!f)
		return 1;
	if (filter_list(m, f, fp, "arches", is_native_arch, &hit, list, sizeof(list)) < 0)
		return -1;
	if (list[0] && !hit) {
		snprintf(why, wn, "only for %s", list);
		return 0;
	}
	if (filter_list(m, f, fp, "caps", any_name, &hit, list, sizeof(list)) < 0)
		return -1;
	if (hit) {
		snprintf(why, wn, "needs %s; rampart drops every capability", list);
		return 0;
	}
	if (get_kernel(m, f, fp, &present, &maj, &min) < 0)
		return -1;
	if (present && !kernel_at_least(m, maj, min)) {
		snprintf(why, wn, "needs kernel %u.%u; this is %u.%u", maj, min, m->kmajor, m->kminor);
		return 0;
	}
	return 1;
}

/* ---- import: one syscalls[] entry ------------------------------------------ */

static const struct { const char *name; enum sc_op op; } op_names[] = {
	{ "SCMP_CMP_EQ", SC_EQ }, { "SCMP_CMP_NE", SC_NE }, { "SCMP_CMP_LT", SC_LT },
	{ "SCMP_CMP_LE", SC_LE }, { "SCMP_CMP_GT", SC_GT }, { "SCMP_CMP_GE", SC_GE },
	{ "SCMP_CMP_MASKED_EQ", SC_MASKED_EQ },
};

static int read_arg(struct imp *m, const json_t *arg, const char *p, struct sc_cmp *c)
{
	uint64_t index, value, two;
	const char *op;
	char pi[JSON_PATH_LEN];
	bool present;
	size_t k;

	if (!json_is_object(arg))
		return jfail(m, p, "expected an object, got %s", type_name(arg));
	if (get_u64(m, arg, p, "index", true, &index, &present) < 0 ||
	    get_u64(m, arg, p, "value", true, &value, &present) < 0 ||
	    get_u64(m, arg, p, "valueTwo", false, &two, &present) < 0 ||
	    get_str(m, arg, p, "op", true, &op) < 0)
		return -1;
	if (index > 5) {
		json_path_key(pi, p, "index");
		return jfail(m, pi, "%" PRIu64 " is not an argument (0-5)", index);
	}
	for (k = 0; k < ARRAY_SIZE(op_names) && strcmp(op, op_names[k].name); k++)
		;
	if (k == ARRAY_SIZE(op_names)) {
		json_path_key(pi, p, "op");
		return jfail(m, pi, "unknown operator '%s'", op);
	}
	c->arg = (unsigned)index;
	c->op = op_names[k].op;
	/* libseccomp's order: for MASKED_EQ the first datum is the mask. */
	c->mask = c->op == SC_MASKED_EQ ? value : 0;
	c->value = c->op == SC_MASKED_EQ ? two : value;
	return 0;
}

/* ENTRY.args: one set of comparisons (AND), or, when two of them test the
 * same argument, one set per comparison: runc then adds each as a rule of
 * its own (OR), because libseccomp refuses two tests of one argument. */
static int read_args(struct imp *m, const json_t *ent, const char *path, struct cmpset *alts,
		     unsigned *nalts)
{
	const json_t *args = json_object_get(ent, "args"), *v;
	char p[JSON_PATH_LEN], pi[JSON_PATH_LEN];
	struct cmpset all = { .n = 0 };
	unsigned seen = 0;
	bool repeated = false;
	size_t i;

	json_path_key(p, path, "args");
	*nalts = 1;
	alts[0].n = 0;
	if (!args || json_is_null(args))
		return 0;
	if (!json_is_array(args))
		return jfail(m, p, "expected an array, got %s", type_name(args));
	if (json_array_size(args) > SC_MAX_CMP)
		return jfail(m, p, "%zu comparisons; a rule has at most %d", json_array_size(args), SC_MAX_CMP);
	json_array_foreach(args, i, v) {
		json_path_idx(pi, p, i);
		if (read_arg(m, v, pi, &all.c[all.n]) < 0)
			return -1;
		repeated |= (seen >> all.c[all.n].arg) & 1;
		seen |= 1u << all.c[all.n++].arg;
	}
	if (!repeated) {
		alts[0] = all;
		return 0;
	}
	note(m, "# %s: two comparisons of one argument: each is a rule of its own, as in runc", p);
	for (unsigned k = 0; k < all.n; k++)
		alts[k] = (struct cmpset){ .c = { all.c[k] }, .n = 1 };
	*nalts = all.n;
	return 0;
}

/* ENTRY.names (or Docker's older ENTRY.name) as a string vector. */
static int read_names(struct imp *m, const json_t *ent, const char *path, char ***names)
{
	const json_t *list = json_object_get(ent, "names"), *v;
	char p[JSON_PATH_LEN], pi[JSON_PATH_LEN];
	const char *one;
	size_t i;

	if (get_str(m, ent, path, "name", false, &one) < 0)
		return -1;
	json_path_key(p, path, "names");
	if (one && list && !json_is_null(list))
		return jfail(m, path, "both 'name' and 'names' are given; use one");
	if (one) {
		strv_push(names, one);
		return 0;
	}
	if (!list || json_is_null(list))
		return jfail(m, p, "missing");
	if (!json_is_array(list) || json_array_size(list) == 0)
		return jfail(m, p, "expected a non-empty array of syscall names, got %s",
			     json_is_array(list) ? "an empty one" : type_name(list));
	json_array_foreach(list, i, v) {
		const char *s = str_value(v);

		json_path_idx(pi, p, i);
		if (!s || !*s)
			return jfail(m, pi, "expected a syscall name, got %s", s ? "\"\"" : type_name(v));
		strv_push(names, s);
	}
	return 0;
}

static void add_rules(struct imp *m, int nr, const struct sc_action *a, const struct cmpset *alts,
		      unsigned nalts, unsigned entry)
{
	for (unsigned k = 0; k < nalts; k++) {
		struct imp_rule *ir;

		m->rules = xrealloc(m->rules, (m->nrules + 1) * sizeof(*m->rules));
		ir = &m->rules[m->nrules++];
		memset(ir, 0, sizeof(*ir));
		ir->r.nr = nr;
		ir->r.action = *a;
		ir->r.ncmp = alts[k].n;
		memcpy(ir->r.cmp, alts[k].c, sizeof(ir->r.cmp));
		ir->entry = entry;
		/* An allow whose tests every call passes is an unconditional
		 * allow (and subsumes like one). */
		if (scj_unconditional(&ir->r))
			ir->r.ncmp = 0;
	}
}

/* A name's native number, or -1 with a note: runc skips names libseccomp
 * does not know, and rampart's parser refuses them. */
static int resolve_name(struct imp *m, const char *name)
{
	const struct scmp_version *v;
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);

	if (nr >= 0)
		return nr;
	if (nr != __NR_SCMP_ERROR) {
		note(m, "# skipped: %s (not on this architecture)", name);
		return -1;
	}
	v = seccomp_version();
	note(m, "# skipped: %s (unknown to libseccomp %u.%u.%u)", name, v ? v->major : 0,
	     v ? v->minor : 0, v ? v->micro : 0);
	return -1;
}

static int read_entry(struct imp *m, const json_t *ent, const char *path, unsigned idx)
{
	_cleanup_strv_ char **names = NULL;
	struct cmpset alts[SC_MAX_CMP];
	struct sc_action act;
	unsigned nalts;
	char why[320];
	int ok;

	if (!json_is_object(ent))
		return jfail(m, path, "expected an object, got %s", type_name(ent));
	/* Validate the whole entry even when it does not apply here: a typo
	 * should not wait for the one machine where it matters. */
	if (read_names(m, ent, path, &names) < 0 ||
	    get_action(m, ent, path, "action", "errnoRet", &act) < 0 ||
	    read_args(m, ent, path, alts, &nalts) < 0)
		return -1;
	ok = excludes_ok(m, ent, path, why, sizeof(why));
	if (ok > 0)
		ok = includes_ok(m, ent, path, why, sizeof(why));
	if (ok <= 0) {
		if (ok == 0)
			note(m, "# skipped: %s %s%s (%s)", path, names[0], names[1] ? ", ..." : "", why);
		return ok;
	}
	for (size_t i = 0; names[i]; i++) {
		int nr = resolve_name(m, names[i]);

		if (nr >= 0)
			add_rules(m, nr, &act, alts, nalts, idx);
	}
	return 0;
}

/* The seccomp object: DOC itself, or .linux.seccomp of a config.json. */
static int find_seccomp(struct imp *m, const json_t *doc, const json_t **obj)
{
	const json_t *linux_ = json_object_get(doc, "linux");

	if (!json_is_object(doc))
		return jfail(m, "", "expected an object, got %s", type_name(doc));
	*obj = doc;
	m->root = "";
	if (!linux_ && !json_object_get(doc, "ociVersion"))
		return 0;
	m->root = "linux.seccomp";
	if (!linux_)
		return jfail(m, "linux", "missing (this config.json has no seccomp filter)");
	if (!json_is_object(linux_))
		return jfail(m, "linux", "expected an object, got %s", type_name(linux_));
	*obj = json_object_get(linux_, "seccomp");
	if (!*obj || json_is_null(*obj))
		return jfail(m, m->root, "missing (this config.json has no seccomp filter)");
	if (!json_is_object(*obj))
		return jfail(m, m->root, "expected an object, got %s", type_name(*obj));
	return 0;
}

/* Architectures and flags rampart decides itself: checked, then noted. */
static int read_header(struct imp *m, const json_t *obj)
{
	const json_t *arches = json_object_get(obj, "architectures");
	const json_t *map = json_object_get(obj, "archMap");
	const json_t *flags = json_object_get(obj, "flags");

	if (arches && !json_is_null(arches) && json_array_size(arches) &&
	    map && !json_is_null(map) && json_array_size(map))
		return jfail(m, m->root, "both 'architectures' and 'archMap' are given; use one");
	if (flags && !json_is_null(flags) && json_array_size(flags))
		note(m, "# ignored: flags (rampart chooses its own filter flags)");
	if (get_action(m, obj, m->root, "defaultAction", "defaultErrnoRet", &m->def) < 0)
		return -1;
	if (m->def.kind == SC_NOTIFY) {
		char p[JSON_PATH_LEN];
		json_path_key(p, m->root, "defaultAction");
		return jfail(m, p, "SCMP_ACT_NOTIFY cannot be the default (name the syscalls to notify)");
	}
	m->def_allow = m->def.kind == SC_ALLOW;
	if (m->def_allow) {
		/* rampart profiles are allowlists: allow every syscall the table
		 * knows instead (numbers above it still answer ENOSYS). */
		note(m, "# defaultAction SCMP_ACT_ALLOW: every syscall libseccomp knows here is allowed below");
		m->def = (struct sc_action){ SC_ERRNO, EPERM };
	}
	return 0;
}

static int read_syscalls(struct imp *m, const json_t *obj)
{
	const json_t *list = json_object_get(obj, "syscalls"), *v;
	char p[JSON_PATH_LEN], pi[JSON_PATH_LEN];
	size_t i;

	json_path_key(p, m->root, "syscalls");
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return jfail(m, p, "expected an array, got %s", type_name(list));
	json_array_foreach(list, i, v) {
		json_path_idx(pi, p, i);
		if (read_entry(m, v, pi, (unsigned)i) < 0)
			return -1;
	}
	return 0;
}

/* ---- import: what one libseccomp filter (runc) makes of the rules ---------- */

static const struct imp_rule *kept_unconditional(const struct imp *m, size_t upto, int nr)
{
	for (size_t j = 0; j < upto; j++)
		if (m->rules[j].keep && m->rules[j].r.nr == nr && m->rules[j].r.ncmp == 0)
			return &m->rules[j];
	return NULL;
}

static bool kept_same(const struct imp *m, size_t upto, const struct sc_rule *r)
{
	for (size_t j = 0; j < upto; j++)
		if (m->rules[j].keep && same_rule(&m->rules[j].r, r))
			return true;
	return false;
}

/* Unconditional rules: one that says what the default says is a no-op
 * (runc skips it); the first one for a syscall wins (libseccomp keeps it). */
static void resolve_unconditional(struct imp *m)
{
	struct sc_action def = m->def_allow ? (struct sc_action){ SC_ALLOW, 0 } : m->def;
	char a[32], b[32];

	for (size_t i = 0; i < m->nrules; i++) {
		struct imp_rule *ir = &m->rules[i];
		const struct imp_rule *first;

		if (ir->r.ncmp)
			continue;
		first = kept_unconditional(m, i, ir->r.nr);
		ir->keep = !same_action(&ir->r.action, &def) && !first;
		if (first && !same_action(&first->r.action, &ir->r.action)) {
			scj_action_text(&ir->r.action, a, sizeof(a));
			scj_action_text(&first->r.action, b, sizeof(b));
			note(m, "# ignored: syscalls[%u] %s %s: syscalls[%u] already says %s (the first rule wins)",
			     ir->entry, seccomp_syscall_name(ir->r.nr), a, first->entry, b);
		}
	}
}

/* Conditional allows are no-ops under a default allow or an unconditional
 * rule; conditional denies always stay (rampart's second filter). */
static void resolve_conditional(struct imp *m)
{
	for (size_t i = 0; i < m->nrules; i++) {
		struct imp_rule *ir = &m->rules[i];

		if (!ir->r.ncmp)
			continue;
		if (ir->r.action.kind == SC_ALLOW)
			ir->keep = !m->def_allow && !kept_unconditional(m, m->nrules, ir->r.nr);
		else
			ir->keep = true;
		ir->keep = ir->keep && !kept_same(m, i, &ir->r);
	}
}

/* ---- import: writing the profile ------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The parser's action words. A syscall of the same name ("kill") cannot
 * sit in a list of names: `allow|deny NAME... [ACTION]` reads it as the
 * action (see parser_takes). */
static bool is_action_word(const char *w)
{
	return !strcmp(w, "errno") || !strcmp(w, "kill") || !strcmp(w, "trap") || !strcmp(w, "log");
}

/* Does `seccomp VERB NAME [ACTION]` parse as NAME's rule with action A?
 * Asked of the parser rather than assumed, so the output stays right once
 * it tells a syscall "kill" from the action. */
static bool parser_takes(const char *verb, const char *name, const struct sc_action *a)
{
	char v[8], n[64], act[32], *argv[5] = { v, n, act, NULL, NULL };
	struct rp_err e = { 0 };
	struct spec t;
	bool ok;

	snprintf(v, sizeof(v), "%s", verb);
	snprintf(n, sizeof(n), "%s", name);
	scj_action_text(a, act, sizeof(act));
	if (strchr(act, ' ')) {
		argv[3] = strchr(act, ' ') + 1;
		argv[3][-1] = '\0';
	}
	spec_init(&t);
	ok = seccomp_directive(&t, a->kind == SC_ALLOW ? 2 : argv[3] ? 4 : 3, argv, "probe", 0, &e) == 0 &&
	     t.seccomp.nrules == 1 && !t.seccomp.rules[0].ncmp &&
	     !strcmp(seccomp_syscall_name(t.seccomp.rules[0].nr), name) &&
	     same_action(&t.seccomp.rules[0].action, a);
	spec_free(&t);
	return ok;
}

/* A name the parser would take for an action, on a line of its own; if the
 * parser cannot have it bare, behind a comparison that is always true. */
static void print_alone(FILE *out, const char *verb, const char *name, const struct sc_action *a)
{
	char act[32] = "";

	if (a->kind != SC_ALLOW) {
		act[0] = ' ';
		scj_action_text(a, act + 1, sizeof(act) - 1);
	}
	if (parser_takes(verb, name, a)) {
		fprintf(out, "seccomp %s %s%s\n", verb, name, act);
		return;
	}
	/* Allowed in the allowlist, then (a deny) answered by the deny filter,
	 * which is what an unconditional deny amounts to. */
	fprintf(out, "seccomp allow %s arg0 & 0x0 == 0x0  # always true: a bare '%s' reads as an action\n",
		name, name);
	if (a->kind != SC_ALLOW)
		fprintf(out, "seccomp deny %s arg0 & 0x0 == 0x0%s\n", name, act);
}

/* "seccomp VERB n1 n2 ... ACTION", wrapped; names sorted. */
static void print_names(FILE *out, const char *verb, char **names, const struct sc_action *a)
{
	size_t n = strv_len(names), col = 0, last = n;
	char tail[32] = "";

	if (a->kind != SC_ALLOW) {
		tail[0] = ' ';
		scj_action_text(a, tail + 1, sizeof(tail) - 1);
	}
	qsort(names, n, sizeof(*names), cmp_str);
	while (last > 0 && is_action_word(names[last - 1]))
		last--;
	for (size_t i = 0; i < n; i++) {
		if (is_action_word(names[i]))
			continue;
		if (col == 0)
			col = (size_t)fprintf(out, "seccomp %s", verb);
		col += (size_t)fprintf(out, " %s", names[i]);
		if (col > WRAP_COLUMN || i + 1 >= last) {
			fprintf(out, "%s\n", tail);
			col = 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (is_action_word(names[i]))
			print_alone(out, verb, names[i], a);
}

static void print_unconditional(const struct imp *m, const struct sc_action *a, FILE *out)
{
	_cleanup_strv_ char **names = NULL;

	for (size_t i = 0; i < m->nrules; i++) {
		const struct imp_rule *ir = &m->rules[i];

		if (ir->keep && !ir->r.ncmp && same_action(&ir->r.action, a))
			strv_push(&names, seccomp_syscall_name(ir->r.nr));
	}
	if (names)
		print_names(out, a->kind == SC_ALLOW ? "allow" : "deny", names, a);
}

/* Under a default allow: every syscall the table knows, unless a rule
 * decides it. */
static void print_all_known(const struct imp *m, FILE *out)
{
	_cleanup_strv_ char **names = NULL;
	int highest = seccomp_highest_known();

	for (int nr = 0; nr <= highest; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		if (name && !kept_unconditional(m, m->nrules, nr))
			strv_push(&names, name);
		free(name);
	}
	if (names)
		print_names(out, "allow", names, &(struct sc_action){ SC_ALLOW, 0 });
}

static void print_header(const struct imp *m, const char *source, FILE *out)
{
	char src[JSON_PATH_LEN];

	snprintf(src, sizeof(src), "%s", source);
	comment_safe(src);
	fprintf(out, "# A standalone seccomp profile, made by `rampart seccomp import` from\n"
		     "#   %s\n"
		     "# Use it after the profile that sets the other layers:\n"
		     "#   rampart launch --profile base --profile THIS.profile ...\n", src);
	for (size_t i = 0; m->notes && m->notes[i]; i++)
		fprintf(out, "%s\n", m->notes[i]);
}

static void print_profile(const struct imp *m, const char *source, FILE *out)
{
	char text[512];

	print_header(m, source, out);
	scj_action_text(&m->def, text, sizeof(text));
	fprintf(out, "seccomp on\nseccomp clear\nseccomp default %s\n", text);
	if (m->def_allow)
		print_all_known(m, out);
	print_unconditional(m, &(struct sc_action){ SC_ALLOW, 0 }, out);
	for (size_t i = 0; i < m->nrules; i++) {
		const struct imp_rule *ir = &m->rules[i];
		bool first = !ir->r.ncmp && ir->keep && ir->r.action.kind != SC_ALLOW;

		/* Each unconditional deny action once, where it first appears. */
		for (size_t j = 0; first && j < i; j++)
			first = !(m->rules[j].keep && !m->rules[j].r.ncmp &&
				  same_action(&m->rules[j].r.action, &ir->r.action));
		if (first)
			print_unconditional(m, &ir->r.action, out);
	}
	for (size_t i = 0; i < m->nrules; i++) {
		if (!m->rules[i].keep || !m->rules[i].r.ncmp)
			continue;
		scj_rule_text(&m->rules[i].r, text, sizeof(text));
		fprintf(out, "seccomp %s\n", text);
	}
}

static int running_kernel(struct imp *m)
{
	struct utsname u;

	if (uname(&u) < 0)
		return rp_fail(m->e, errno, "import", "uname");
	if (sscanf(u.release, "%u.%u", &m->kmajor, &m->kminor) != 2)
		return rp_fail(m->e, 0, "import", "cannot read the kernel version in '%s'", u.release);
	return 0;
}

int scj_import(const json_t *doc, const char *source, FILE *out, struct rp_err *e)
{
	struct imp m = { .e = e };
	const json_t *obj = NULL;
	int r = -1;

	if (running_kernel(&m) < 0 || find_seccomp(&m, doc, &obj) < 0 || read_header(&m, obj) < 0 ||
	    read_syscalls(&m, obj) < 0)
		goto out;
	resolve_unconditional(&m);
	resolve_conditional(&m);
	print_profile(&m, source, out);
	r = 0;
out:
	free(m.rules);
	strv_free(m.notes);
	return r;
}

/* ---- export ------------------------------------------------------------------ */

static const char *scmp_action_name(enum sc_kind k)
{
	switch (k) {
	case SC_ALLOW: return "SCMP_ACT_ALLOW";
	case SC_ERRNO: return "SCMP_ACT_ERRNO";
	case SC_KILL: return "SCMP_ACT_KILL_PROCESS";
	case SC_TRAP: return "SCMP_ACT_TRAP";
	case SC_LOG: return "SCMP_ACT_LOG";
	case SC_NOTIFY: return "SCMP_ACT_NOTIFY";
	}
	return "SCMP_ACT_KILL_PROCESS";
}

static json_t *arg_json(const struct sc_cmp *c)
{
	json_t *o = jmust(json_object());
	bool masked = c->op == SC_MASKED_EQ;

	jset(o, "index", json_integer(c->arg));
	/* libseccomp's order: for MASKED_EQ the first datum is the mask. */
	jset(o, "value", u64_json(masked ? c->mask : c->value));
	jset(o, "valueTwo", u64_json(masked ? c->value : 0));
	for (size_t k = 0; k < ARRAY_SIZE(op_names); k++)
		if (op_names[k].op == c->op)
			jset(o, "op", json_string(op_names[k].name));
	return o;
}

/* One syscalls[] entry. ARGS NULL: unconditional. */
static json_t *entry_json(enum scj_format fmt, json_t *names, const struct sc_action *a, json_t *args)
{
	json_t *o = jmust(json_object());

	jset(o, "names", names);
	jset(o, "action", json_string(scmp_action_name(a->kind)));
	if (a->kind == SC_ERRNO)
		jset(o, "errnoRet", json_integer(a->errnum));
	if (args || fmt == SCJ_DOCKER)
		jset(o, "args", args ? args : json_array());
	if (fmt == SCJ_DOCKER) {
		jset(o, "includes", json_object());
		jset(o, "excludes", json_object());
	}
	return o;
}

/* All unconditional rules with action A, sorted by name, as one entry. */
static void export_action_group(const struct seccomp_spec *sc, enum scj_format fmt,
				const struct sc_action *a, json_t *list)
{
	_cleanup_strv_ char **names = NULL;
	json_t *arr = jmust(json_array());

	for (size_t i = 0; i < sc->nrules; i++)
		if (scj_unconditional(&sc->rules[i]) && same_action(&sc->rules[i].action, a))
			strv_push(&names, seccomp_syscall_name(sc->rules[i].nr));
	if (names)
		qsort(names, strv_len(names), sizeof(*names), cmp_str);
	for (size_t i = 0; names && names[i]; i++)
		jappend(arr, json_string(names[i]));
	jappend(list, entry_json(fmt, arr, a, NULL));
}

/* Unconditional rules, one entry per action: allow first, then the denies in
 * the order their actions first appear. A rule equal to the default is a
 * no-op, left out as seccomp_compile leaves it out. */
static void export_unconditional(const struct seccomp_spec *sc, enum scj_format fmt, json_t *list)
{
	const struct sc_action allow = { SC_ALLOW, 0 };
	bool any_allow = false;

	for (size_t i = 0; i < sc->nrules; i++)
		any_allow |= scj_unconditional(&sc->rules[i]) && sc->rules[i].action.kind == SC_ALLOW;
	if (any_allow)
		export_action_group(sc, fmt, &allow, list);
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct sc_rule *r = &sc->rules[i];
		bool first = !r->ncmp && r->action.kind != SC_ALLOW &&
			     !same_action(&r->action, &sc->default_action);

		for (size_t j = 0; first && j < i; j++)
			first = sc->rules[j].ncmp || !same_action(&sc->rules[j].action, &r->action);
		if (first)
			export_action_group(sc, fmt, &r->action, list);
	}
}

static int export_conditional(const struct seccomp_spec *sc, enum scj_format fmt, json_t *list,
			      struct rp_err *e)
{
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct sc_rule *r = &sc->rules[i];
		json_t *args, *names;
		unsigned seen = 0;

		if (scj_unconditional(r))
			continue;
		args = jmust(json_array());
		for (unsigned k = 0; k < r->ncmp; k++) {
			if ((seen >> r->cmp[k].arg) & 1) {
				json_decref(args);
				/* runc would OR the two tests, crun and libseccomp refuse them. */
				return rp_fail_at(e, r->file ? r->file : "spec", r->line,
						  "seccomp export: %s tests arg%u twice; no runtime reads that as AND",
						  seccomp_syscall_name(r->nr), r->cmp[k].arg);
			}
			seen |= 1u << r->cmp[k].arg;
			jappend(args, arg_json(&r->cmp[k]));
		}
		names = jmust(json_array());
		jappend(names, json_string(seccomp_syscall_name(r->nr)));
		jappend(list, entry_json(fmt, names, &r->action, args));
	}
	return 0;
}

static json_t *arch_json(enum scj_format fmt)
{
	json_t *arr = jmust(json_array()), *m;

	if (fmt == SCJ_OCI) {
		jappend(arr, json_string(NATIVE_SCMP_ARCH));
		return arr;
	}
	/* No subarchitectures: rampart kills every foreign ABI (x32, i386). */
	m = jmust(json_object());
	jset(m, "architecture", json_string(NATIVE_SCMP_ARCH));
	jset(m, "subArchitectures", json_array());
	jappend(arr, m);
	return arr;
}

char *scj_export(const struct seccomp_spec *sc, enum scj_format fmt, struct rp_err *e)
{
	json_t *root, *list;
	char *text;

	if (!sc->enabled) {
		rp_fail(e, 0, "export", "seccomp is off in this profile: there is no filter to export");
		return NULL;
	}
	root = jmust(json_object());
	list = jmust(json_array());
	jset(root, "defaultAction", json_string(scmp_action_name(sc->default_action.kind)));
	if (sc->default_action.kind == SC_ERRNO)
		jset(root, "defaultErrnoRet", json_integer(sc->default_action.errnum));
	jset(root, fmt == SCJ_OCI ? "architectures" : "archMap", arch_json(fmt));
	export_unconditional(sc, fmt, list);
	if (export_conditional(sc, fmt, list, e) < 0) {
		json_decref(list);
		json_decref(root);
		return NULL;
	}
	jset(root, "syscalls", list);
	text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (!text)
		jmust(NULL);
	unmark_big_ints(text);
	text = xrealloc(text, strlen(text) + 2);
	strcat(text, "\n");
	return text;
}
