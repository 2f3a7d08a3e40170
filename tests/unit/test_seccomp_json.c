/* test_seccomp_json.c - the OCI/Docker seccomp JSON reader and writer:
 * the exact one-line error (with its JSON path) for bad input, the exact
 * JSON of an export (compared parsed, with json_equal), the exact profile
 * text of an import, and that every import parses back with rampart's own
 * profile parser to the rules it describes.
 */
#include "unit.h"

#include <jansson.h>
#include <seccomp.h>
#include <sys/utsname.h>

#include "seccomp_json.h"

/* The native arch as libseccomp and as Docker's includes.arches (Go) say. */
#if defined(__x86_64__)
#define SCMP_NATIVE "SCMP_ARCH_X86_64"
#define GOARCH "amd64"
#elif defined(__aarch64__)
#define SCMP_NATIVE "SCMP_ARCH_AARCH64"
#define GOARCH "arm64"
#endif

/* ---- helpers ----------------------------------------------------------- */

/* Import JSON text (named "t.json"); the profile text lands in u->text[0]. */
static int import(struct unit *u, const char *json)
{
	json_t *doc = scj_loads(json, strlen(json), "t.json", &u->e);
	size_t len = 0;
	FILE *f;
	int r;

	if (!doc)
		return -1;
	free(u->text[0]);
	u->text[0] = NULL;
	f = open_memstream(&u->text[0], &len);
	assert_non_null(f);
	r = scj_import(doc, "t.json", f, &u->e);
	assert_int_equal(fclose(f), 0);
	json_decref(doc);
	return r;
}

#define assert_import_ok(u, json)                                            \
	do {                                                                 \
		if (import((u), (json)) != 0)                                \
			fail_msg("import: %s", (u)->e.msg);                  \
	} while (0)

#define assert_import_err(u, json, ...)                                      \
	do {                                                                 \
		assert_int_equal(import((u), (json)), -1);                   \
		assert_err((u), __VA_ARGS__);                                \
	} while (0)

/* The import output after its fixed four-line header. */
static const char *body(const struct unit *u)
{
	const char *p = u->text[0];

	for (int i = 0; i < 4 && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	assert_non_null(p);
	return p;
}

/* Load profile text into spec S (u->s or u->s2), failing the test on error. */
static void load_into(struct unit *u, struct spec *s, const char *text)
{
	if (profile_load_text(s, text, strlen(text), "t.profile", &u->e) != 0)
		fail_msg("load: %s\n--- text ---\n%s", u->e.msg, text);
}

static json_t *parse(struct unit *u, const char *text)
{
	json_t *j = scj_loads(text, strlen(text), "expected", &u->e);

	if (!j)
		fail_msg("parse: %s\n%s", u->e.msg, text);
	return j;
}

/* Export spec S in FMT and compare, parsed, with the expected JSON. */
static void assert_export(struct unit *u, const struct spec *s, enum scj_format fmt, const char *want)
{
	char *text = scj_export(&s->seccomp, fmt, &u->e);
	json_t *got, *exp;

	if (!text)
		fail_msg("export: %s", u->e.msg);
	got = parse(u, text);
	exp = parse(u, want);
	if (!json_equal(got, exp))
		fail_msg("export differs:\n--- got ---\n%s--- want ---\n%s", text, want);
	json_decref(got);
	json_decref(exp);
	free(text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The effective rules of a filter, one sorted line each (the same
 * normalisation `rampart seccomp diff` uses: no-ops dropped). */
static char *rules_text(const struct seccomp_spec *sc)
{
	char **lines = NULL, line[512], *out = NULL;
	size_t len = 0, n;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	scj_action_text(&sc->default_action, line, sizeof(line));
	fprintf(f, "%s default %s\n", sc->enabled ? "on" : "off", line);
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct sc_rule *r = &sc->rules[i];

		if (scj_unconditional(r) && r->action.kind == sc->default_action.kind &&
		    r->action.errnum == sc->default_action.errnum)
			continue;
		scj_rule_text(r, line, sizeof(line));
		strv_push(&lines, line);
	}
	n = strv_len(lines);
	if (n)
		qsort(lines, n, sizeof(*lines), cmp_str);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(lines[i], lines[i - 1]))
			fprintf(f, "%s\n", lines[i]);
	strv_free(lines);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void assert_same_rules(const struct seccomp_spec *a, const struct seccomp_spec *b)
{
	char *x = rules_text(a), *y = rules_text(b);

	assert_string_equal(x, y);
	free(x);
	free(y);
}

/* Does the spec allow NAME unconditionally? */
static bool allows(const struct spec *s, const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	for (size_t i = 0; i < s->seccomp.nrules; i++)
		if (s->seccomp.rules[i].nr == nr && s->seccomp.rules[i].action.kind == SC_ALLOW &&
		    scj_unconditional(&s->seccomp.rules[i]))
			return true;
	return false;
}

#define HEADER_OCI "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["

/* ---- import errors: one line, the JSON path ------------------------------ */

static void test_import_error_paths(void **state)
{
	struct unit *u = *state;

	assert_import_err(u, HEADER_OCI
			  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			  "{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			  "{\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			  "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
			  "{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_FOO\"}]}]}",
			  "import: syscalls[3].args[0].op: unknown operator 'SCMP_CMP_FOO'");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			  "import: syscalls[0].args[0].index: 6 is not an argument (0-5)");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			  "import: syscalls[0].args[0].value: expected a number from 0 to 2^64-1, got a negative number");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			  "import: syscalls[0].args[0].value: missing");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"args\": [{\"index\": 0, \"value\": 1.5, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			  "import: syscalls[0].args[0].value: expected a number from 0 to 2^64-1, got a number with a fraction");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"args\": [1, 2, 3, 4, 5, 6, 7]}]}",
			  "import: syscalls[0].args: 7 comparisons; a rule has at most 6");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}, 7]}]}",
			  "import: syscalls[0].args[1]: expected an object, got a number");
	assert_import_err(u, HEADER_OCI "{\"names\": \"read\", \"action\": \"SCMP_ACT_ALLOW\"}]}",
			  "import: syscalls[0].names: expected a non-empty array of syscall names, got a string");
	assert_import_err(u, HEADER_OCI "{\"names\": [], \"action\": \"SCMP_ACT_ALLOW\"}]}",
			  "import: syscalls[0].names: expected a non-empty array of syscall names, got an empty one");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\", 3], \"action\": \"SCMP_ACT_ALLOW\"}]}",
			  "import: syscalls[0].names[1]: expected a syscall name, got a number");
	assert_import_err(u, HEADER_OCI "{\"action\": \"SCMP_ACT_ALLOW\"}]}",
			  "import: syscalls[0].names: missing");
	assert_import_err(u, HEADER_OCI "{\"name\": \"read\", \"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
			  "import: syscalls[0]: both 'name' and 'names' are given; use one");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, []]}",
			  "import: syscalls[1]: expected an object, got an array");
	assert_import_err(u, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}",
			  "import: syscalls: expected an array, got an object");
}

static void test_import_error_actions(void **state)
{
	struct unit *u = *state;

	assert_import_err(u, "{\"syscalls\": []}", "import: defaultAction: missing");
	assert_import_err(u, "{\"defaultAction\": 5}", "import: defaultAction: expected a string, got a number");
	assert_import_err(u, "{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}",
			  "import: defaultAction: SCMP_ACT_NOTIFY cannot be the default (name the syscalls to notify)");
	assert_import_err(u, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4096}",
			  "import: defaultErrnoRet: 4096 is not an errno rampart can return (1-4095)");
	assert_import_err(u, "{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultErrnoRet\": 1}",
			  "import: defaultErrnoRet: only SCMP_ACT_ERRNO returns an errno");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_TRACE\"}]}",
			  "import: syscalls[0].action: SCMP_ACT_TRACE is not supported: rampart runs no tracer");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_MAYBE\"}]}",
			  "import: syscalls[0].action: unknown action 'SCMP_ACT_MAYBE'");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"]}]}", "import: syscalls[0].action: missing");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 0}]}",
			  "import: syscalls[0].errnoRet: 0 is not an errno rampart can return (1-4095)");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1}]}",
			  "import: syscalls[0].errnoRet: only SCMP_ACT_ERRNO returns an errno");
}

static void test_import_error_docker_and_config(void **state)
{
	struct unit *u = *state;

	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": []}]}",
			  "import: syscalls[0].includes: expected an object, got an array");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"includes\": {\"caps\": \"CAP_SYS_ADMIN\"}}]}",
			  "import: syscalls[0].includes.caps: expected an array of strings, got a string");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"excludes\": {\"arches\": [\"amd64\", null]}}]}",
			  "import: syscalls[0].excludes.arches[1]: expected a string, got null");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"includes\": {\"minKernel\": \"4\"}}]}",
			  "import: syscalls[0].includes.minKernel: invalid kernel version '4', expected \"<kernel>.<major>\"");
	assert_import_err(u, HEADER_OCI "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"includes\": {\"minKernel\": \"0.0\"}}]}",
			  "import: syscalls[0].includes.minKernel: invalid kernel version '0.0', expected \"<kernel>.<major>\"");
	assert_import_err(u, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
			  "\"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}",
			  "import: (top level): both 'architectures' and 'archMap' are given; use one");
	assert_import_err(u, "[]", "import: (top level): expected an object, got an array");
	assert_import_err(u, "{\"ociVersion\": \"1.0.2\", \"linux\": {}}",
			  "import: linux.seccomp: missing (this config.json has no seccomp filter)");
	assert_import_err(u, "{\"ociVersion\": \"1.0.2\", \"process\": {}}",
			  "import: linux: missing (this config.json has no seccomp filter)");
	assert_import_err(u, "{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\","
			  "\"syscalls\": [{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_FOO\"}]}]}}}",
			  "import: linux.seccomp.syscalls[0].args[0].op: unknown operator 'SCMP_CMP_FOO'");
}

static void test_import_error_json_syntax(void **state)
{
	struct unit *u = *state;

	assert_import_err(u, "{\"defaultAction\": x}", "import: t.json:1:19: invalid token near 'x'");
	assert_import_err(u, "{\"a\": 1,\n \"a\": 2}", "import: t.json:2:4: duplicate object key near '\"a\"'");
	assert_import_err(u, "{\"v\": \"a\\u0000b\"}",
			  "import: t.json:1:9: \\u0000 (a NUL character) in a string is not supported");
	assert_import_err(u, "{\"v\": 99999999999999999999}",
			  "import: t.json:1:26: too big integer near '99999999999999999999'");
	/* A user string that looks like the private big-number marker is
	 * refused above, so it can never pass for a number. */
	assert_import_err(u, HEADER_OCI "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
			  "\"args\": [{\"index\": 0, \"value\": \"1\", \"op\": \"SCMP_CMP_EQ\"}]}]}",
			  "import: syscalls[0].args[0].value: expected a number from 0 to 2^64-1, got a string");
}

/* ---- import output -------------------------------------------------------- */

static void test_import_text(void **state)
{
	struct unit *u = *state;
	const struct scmp_version *v = seccomp_version();
	char want[2048];

	assert_import_ok(u, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
			 " \"architectures\": [\"" SCMP_NATIVE "\"], \"syscalls\": ["
			 "{\"names\": [\"write\", \"read\", \"socketcall\", \"nosuchcall\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			 "{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
			 "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
			 " \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
			 "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			 "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 1,"
			 " \"value\": 4294967295, \"valueTwo\": 21522, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
			 "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_KILL_THREAD\"},"
			 "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\"},"
			 "{\"names\": [\"uname\"], \"action\": \"SCMP_ACT_LOG\"},"
			 "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_TRAP\"}]}");
	assert_true(strncmp(u->text[0], "# A standalone seccomp profile, made by `rampart seccomp import` from\n"
				       "#   t.json\n", 80) == 0);
	unit_fmt(want, sizeof(want),
		 "# skipped: socketcall (not on this architecture)\n"
		 "# skipped: nosuchcall (unknown to libseccomp %u.%u.%u)\n"
		 "seccomp on\n"
		 "seccomp clear\n"
		 "seccomp default errno EPERM\n"
		 "seccomp allow ioctl read write\n"
		 "seccomp deny clone3 errno ENOSYS\n"
		 "seccomp deny ptrace kill\n"
		 "seccomp deny uname log\n"
		 "seccomp deny getpid trap\n"
		 "seccomp allow socket arg0 == 0x1\n"
		 "seccomp deny ioctl arg1 & 0xffffffff == 0x5412 errno EPERM\n",
		 v->major, v->minor, v->micro);
	assert_string_equal(body(u), want);
	/* ... and rampart reads it back: mount (= the default) is not there. */
	load_into(u, &u->s, u->text[0]);
	assert_true(allows(&u->s, "read"));
	assert_false(allows(&u->s, "mount"));
	assert_int_equal(u->s.seccomp.nrules, 9);
}

static void test_import_docker_filters(void **state)
{
	struct unit *u = *state;

	assert_import_ok(u, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\":"
			 " \"" SCMP_NATIVE "\", \"subArchitectures\": [\"SCMP_ARCH_X86\"]}], \"syscalls\": ["
			 "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [], \"comment\": \"\","
			 " \"includes\": {}, \"excludes\": {}},"
			 "{\"names\": [\"chroot\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_CHROOT\"]}},"
			 "{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},"
			 "{\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"s390\", \"s390x\"]}},"
			 "{\"names\": [\"lseek\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"ppc64le\", \"" GOARCH "\"]}},"
			 "{\"names\": [\"dup\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"arches\": [\"x32\", \"" GOARCH "\"]}},"
			 "{\"names\": [\"dup2\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"2.6\"}},"
			 "{\"names\": [\"pipe\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"arches\": [\"x32\", \"x86\"]}},"
			 "{\"name\": \"pipe2\", \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": \"255.0\"}}]}");
	assert_string_equal(body(u),
			    "# skipped: syscalls[1] chroot (needs CAP_SYS_CHROOT; rampart drops every capability)\n"
			    "# skipped: syscalls[3] close (only for s390, s390x)\n"
			    "# skipped: syscalls[5] dup (excluded on this architecture)\n"
			    "seccomp on\n"
			    "seccomp clear\n"
			    "seccomp default errno EPERM\n"
			    "seccomp allow dup2 lseek pipe pipe2 read write\n");
}

/* The kernel version in the note above is the running one: check it
 * separately so the text test stays exact on every machine. */
static void test_import_min_kernel_note(void **state)
{
	struct unit *u = *state;
	struct utsname un;
	unsigned maj = 0, min = 0;
	char want[256];

	assert_int_equal(uname(&un), 0);
	assert_int_equal(sscanf(un.release, "%u.%u", &maj, &min), 2);
	assert_import_ok(u, HEADER_OCI "{\"names\": [\"dup3\", \"pipe\"], \"action\": \"SCMP_ACT_ALLOW\","
			 " \"includes\": {\"minKernel\": \"255.0\"}},"
			 "{\"names\": [\"pipe2\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": \"3.0\"}}]}");
	unit_fmt(want, sizeof(want),
		 "# skipped: syscalls[0] dup3, ... (needs kernel 255.0; this is %u.%u)\n"
		 "# skipped: syscalls[1] pipe2 (excluded from kernel 3.0 on; this is %u.%u)\n"
		 "seccomp on\n"
		 "seccomp clear\n"
		 "seccomp default errno EPERM\n", maj, min, maj, min);
	assert_string_equal(body(u), want);
}

/* What one libseccomp filter (runc) makes of it: a rule equal to the
 * default is a no-op, the first unconditional rule wins and subsumes
 * conditional allows; conditional denies stay (rampart's second filter). */
static void test_import_resolution(void **state)
{
	struct unit *u = *state;

	assert_import_ok(u, HEADER_OCI
			 "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\"},"
			 "{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			 "{\"names\": [\"write\"], \"action\": \"SCMP_ACT_KILL\"},"
			 "{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
			 "{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]},"
			 "{\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
			 "{\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
			 "{\"names\": [\"lseek\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
			 "{\"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_GT\"}, {\"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_LE\"}]}"
			 "]}");
	assert_string_equal(body(u),
			    "# syscalls[7].args: two comparisons of one argument: each is a rule of its own, as in runc\n"
			    "# ignored: syscalls[2] write kill: syscalls[1] already says allow (the first rule wins)\n"
			    "seccomp on\n"
			    "seccomp clear\n"
			    "seccomp default errno EPERM\n"
			    "seccomp allow read write\n"
			    "seccomp deny write arg0 == 0x2 errno EPERM\n"
			    "seccomp allow close arg0 == 0x1\n"
			    "seccomp allow lseek arg1 > 0x7\n"
			    "seccomp allow lseek arg1 <= 0x2\n");
	load_into(u, &u->s, u->text[0]);
	assert_int_equal(u->s.seccomp.nrules, 6);
}

/* Under a default allow, every syscall this arch knows is allowed. */
static void test_import_default_allow(void **state)
{
	struct unit *u = *state;

	assert_import_ok(u, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
			 "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			 "{\"names\": [\"ptrace\", \"mount\"], \"action\": \"SCMP_ACT_ERRNO\"},"
			 "{\"names\": [\"reboot\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"}]}");
	load_into(u, &u->s, u->text[0]);
	assert_true(allows(&u->s, "read"));
	assert_true(allows(&u->s, "getpid"));
	assert_true(allows(&u->s, "kill"));
	assert_true(allows(&u->s, "clone3"));
	assert_false(allows(&u->s, "ptrace"));
	assert_false(allows(&u->s, "mount"));
	assert_false(allows(&u->s, "reboot"));
	assert_int_equal(u->s.seccomp.default_action.kind, SC_ERRNO);
	assert_non_null(strstr(u->text[0], "seccomp deny reboot kill\n"));
}

/* "kill" is a syscall and an action word: it gets a line of its own that
 * the parser reads as the syscall, in allows and in denies. */
static void test_import_syscall_named_kill(void **state)
{
	struct unit *u = *state;
	int nr = seccomp_syscall_resolve_name("kill");

	assert_import_ok(u, HEADER_OCI "{\"names\": [\"tkill\", \"kill\", \"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	load_into(u, &u->s, u->text[0]);
	assert_true(allows(&u->s, "kill"));
	assert_true(allows(&u->s, "tkill"));
	assert_true(allows(&u->s, "getpid"));

	assert_import_ok(u, HEADER_OCI "{\"names\": [\"kill\", \"getpid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13}]}");
	load_into(u, &u->s2, u->text[0]);
	/* getpid denied with EACCES; kill answered EACCES by some rule. */
	assert_false(allows(&u->s2, "getpid"));
	for (size_t i = 0; i < u->s2.seccomp.nrules; i++)
		if (u->s2.seccomp.rules[i].nr == nr && u->s2.seccomp.rules[i].action.kind == SC_ERRNO)
			return;
	fail_msg("no deny rule for kill in:\n%s", u->text[0]);
}

/* Values of 2^63 and above are valid uint64s: read and written exactly. */
static void test_big_values(void **state)
{
	struct unit *u = *state;
	char *text;

	assert_import_ok(u, HEADER_OCI "{\"names\": [\"mmap\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2,"
			 " \"value\": 18446744069414584320, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"},"
			 " {\"index\": 3, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_NE\"}]}]}");
	assert_non_null(strstr(body(u), "seccomp allow mmap arg2 & 0xffffffff00000000 == 0x0 arg3 != 0xffffffffffffffff\n"));
	load_into(u, &u->s, u->text[0]);
	text = scj_export(&u->s.seccomp, SCJ_OCI, &u->e);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"value\": 18446744069414584320,"));
	assert_non_null(strstr(text, "\"value\": 18446744073709551615,"));
	assert_null(strstr(text, "u0000"));
	free(text);
}

/* ---- export ----------------------------------------------------------------- */

static const char small_profile[] =
	"seccomp clear\n"
	"seccomp default errno EPERM\n"
	"seccomp allow write read\n"
	"seccomp deny clone3 errno ENOSYS\n"
	"seccomp deny mount\n"                      /* = the default: a no-op */
	"seccomp deny ptrace kill\n"
	"seccomp allow socket arg0 == AF_UNIX arg1 != SOCK_RAW\n"
	"seccomp deny ioctl arg1 & 0xffffffff == TIOCSTI\n";

static void test_export_oci(void **state)
{
	struct unit *u = *state;

	load_into(u, &u->s, small_profile);
	assert_export(u, &u->s, SCJ_OCI,
		      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
		      " \"architectures\": [\"" SCMP_NATIVE "\"], \"syscalls\": ["
		      "{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		      "{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
		      "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},"
		      "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
		      "{\"index\": 0, \"value\": 1, \"valueTwo\": 0, \"op\": \"SCMP_CMP_EQ\"},"
		      "{\"index\": 1, \"value\": 3, \"valueTwo\": 0, \"op\": \"SCMP_CMP_NE\"}]},"
		      "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1, \"args\": ["
		      "{\"index\": 1, \"value\": 4294967295, \"valueTwo\": 21522, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}");
}

static void test_export_docker(void **state)
{
	struct unit *u = *state;

	load_into(u, &u->s, "seccomp clear\nseccomp default kill\nseccomp allow read\n"
			    "seccomp deny getpid log\nseccomp allow personality arg0 <= 8\n");
	assert_export(u, &u->s, SCJ_DOCKER,
		      "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\","
		      " \"archMap\": [{\"architecture\": \"" SCMP_NATIVE "\", \"subArchitectures\": []}],"
		      " \"syscalls\": ["
		      "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [], \"includes\": {}, \"excludes\": {}},"
		      "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_LOG\", \"args\": [], \"includes\": {}, \"excludes\": {}},"
		      "{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
		      "{\"index\": 0, \"value\": 8, \"valueTwo\": 0, \"op\": \"SCMP_CMP_LE\"}],"
		      " \"includes\": {}, \"excludes\": {}}]}");
}

static void test_export_errors(void **state)
{
	struct unit *u = *state;

	load_into(u, &u->s, "seccomp off\n");
	assert_null(scj_export(&u->s.seccomp, SCJ_OCI, &u->e));
	assert_err(u, "export: seccomp is off in this profile: there is no filter to export");

	/* Two tests of one argument: libseccomp refuses them, runc would OR
	 * them; neither is what the profile says, so the parser refuses the
	 * line before export ever sees it. */
	assert_int_equal(profile_load_text(&u->s2, "seccomp allow personality arg0 >= 1 arg0 <= 5\n",
					   strlen("seccomp allow personality arg0 >= 1 arg0 <= 5\n"), "t.profile", &u->e), -1);
	assert_err(u, "t.profile:1: seccomp: arg0 compared twice in one rule (write two rules instead)");
}

/* profile -> JSON -> profile keeps the effective rules, in both formats. */
static void test_round_trip(void **state)
{
	struct unit *u = *state;
	enum scj_format fmts[] = { SCJ_OCI, SCJ_DOCKER };

	load_into(u, &u->s, small_profile);
	load_into(u, &u->s, "seccomp allow getpid\nseccomp deny uname trap\n");
	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
		char *text = scj_export(&u->s.seccomp, fmts[i], &u->e);

		assert_non_null(text);
		assert_import_ok(u, text);
		free(text);
		spec_free(&u->s2);
		spec_init(&u->s2);
		load_into(u, &u->s2, u->text[0]);
		assert_same_rules(&u->s.seccomp, &u->s2.seccomp);
	}
}

/* ---- the text form ---------------------------------------------------------- */

static void test_rule_text(void **state)
{
	struct sc_rule r = { .nr = seccomp_syscall_resolve_name("clone"), .action = { SC_ERRNO, 1 }, .ncmp = 1,
			     .cmp = { { .arg = 0, .op = SC_MASKED_EQ, .mask = 0x20000, .value = 0x20000 } } };
	struct sc_action a = { SC_ERRNO, 4000 };
	char buf[256];

	(void)state;
	scj_rule_text(&r, buf, sizeof(buf));
	assert_string_equal(buf, "deny clone arg0 & 0x20000 == 0x20000 errno EPERM");
	r.action = (struct sc_action){ SC_ALLOW, 0 };
	r.cmp[0] = (struct sc_cmp){ .arg = 3, .op = SC_GE, .value = 10 };
	scj_rule_text(&r, buf, sizeof(buf));
	assert_string_equal(buf, "allow clone arg3 >= 0xa");
	/* An allow every call passes is an unconditional allow. */
	r.cmp[0] = (struct sc_cmp){ .arg = 0, .op = SC_MASKED_EQ, .mask = 0, .value = 0 };
	assert_true(scj_unconditional(&r));
	scj_rule_text(&r, buf, sizeof(buf));
	assert_string_equal(buf, "allow clone");
	r.action = (struct sc_action){ SC_KILL, 0 };
	assert_false(scj_unconditional(&r));
	scj_action_text(&a, buf, sizeof(buf));
	assert_string_equal(buf, "errno 4000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_import_error_paths),
		UNIT_TEST(test_import_error_actions),
		UNIT_TEST(test_import_error_docker_and_config),
		UNIT_TEST(test_import_error_json_syntax),
		UNIT_TEST(test_import_text),
		UNIT_TEST(test_import_docker_filters),
		UNIT_TEST(test_import_min_kernel_note),
		UNIT_TEST(test_import_resolution),
		UNIT_TEST(test_import_default_allow),
		UNIT_TEST(test_import_syscall_named_kill),
		UNIT_TEST(test_big_values),
		UNIT_TEST(test_export_oci),
		UNIT_TEST(test_export_docker),
		UNIT_TEST(test_export_errors),
		UNIT_TEST(test_round_trip),
		UNIT_TEST(test_rule_text),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
