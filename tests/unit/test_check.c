/* test_check.c - the posture catalogue (check.c), policies (policy.c) and
 * the audit log (audit.c).
 *
 * The catalogue tests load the real profiles/base.profile. "Trips exactly
 * that check" is measured against base plus the three limits (base sets
 * none, so RP-LIMIT-1..3 fail on base alone; see docs/check.md) and the
 * command /bin/sh: one extra line must make exactly one more check fail.
 */
#include "unit.h"

#include <jansson.h>
#include <regex.h>
#include <sys/types.h>

#include "audit.h"
#include "check.h"
#include "mount.h"
#include "policy.h"

static const char *const limit_lines[] = {
	"limit memory 256M", "limit cpu 1", "limit pids 128", NULL,
};

static char *const sh_argv[] = { "/bin/sh", NULL };

/* profiles/ of the source tree. */
static const char *profiles_dir(void)
{
	static char dir[PATH_MAX];
	char guess[PATH_MAX];

	if (!dir[0]) {
		unit_fmt(guess, sizeof(guess), "%s/../../../profiles", unit_fixtures());
		if (!realpath(guess, dir))
			fail_msg("profiles dir %s: %s", guess, strerror(errno));
	}
	return dir;
}

static void apply(struct unit *u, struct spec *s, const char *line)
{
	if (profile_apply_line(s, line, "--set", 1, &u->e) < 0)
		fail_msg("--set '%s': %s", line, u->e.msg);
}

/* base.profile (the real one), plus the limits when asked. */
static void load_base(struct unit *u, struct spec *s, bool limits)
{
	setenv("RAMPART_PROFILE_PATH", profiles_dir(), 1);
	if (profile_load(s, "base", &u->e) < 0)
		fail_msg("base: %s", u->e.msg);
	for (size_t i = 0; limits && limit_lines[i]; i++)
		apply(u, s, limit_lines[i]);
}

static uint32_t failing(const struct check_report *rep)
{
	uint32_t m = 0;

	for (int i = 0; i < CHECK_COUNT; i++)
		if (!rep->r[i].passed)
			m |= UINT32_C(1) << i;
	return m;
}

static const struct check_result *result(const struct check_report *rep, const char *id)
{
	int i = check_find(id);

	if (i < 0)
		fail_msg("no check %s", id);
	return &rep->r[i];
}

static void assert_detail_has(const struct check_result *r, const char *needle)
{
	if (!strstr(r->detail, needle))
		fail_msg("%s: detail \"%s\" lacks \"%s\"", r->def->id, r->detail, needle);
}

/* ---- the catalogue ------------------------------------------------------- */

static void test_catalogue_well_formed(void **state)
{
	(void)state;
	for (int i = 0; i < CHECK_COUNT; i++) {
		const struct check_def *d = &check_catalogue[i];

		assert_non_null(d->id);
		assert_int_equal(strncmp(d->id, "RP-", 3), 0);
		assert_int_equal(check_find(d->id), i);
		assert_true(d->title[0] && d->rationale[0] && d->fix[0] && d->cis[0]);
		assert_null(strchr(d->rationale, '\n'));
		for (int k = 0; k < i; k++)
			assert_string_not_equal(check_catalogue[k].id, d->id);
	}
	assert_int_equal(check_find("RP-NOPE-1"), -1);
	assert_int_equal(check_level_from_name("must"), CHECK_MUST);
	assert_int_equal(check_level_from_name("could"), CHECK_COULD);
	assert_int_equal(check_level_from_name("may"), -1);
}

/* base passes every must-level check except the limits, which it leaves
 * to each application (SECURITY.md). */
static void test_base_passes_every_must_check_but_limits(void **state)
{
	struct unit *u = *state;
	struct check_report rep;

	load_base(u, &u->s, false);
	check_run(&u->s, sh_argv, false, &rep);
	for (int i = 0; i < CHECK_COUNT; i++) {
		const struct check_result *r = &rep.r[i];
		bool limit = strncmp(r->def->id, "RP-LIMIT-", 9) == 0 && r->def->level == CHECK_MUST;

		if (r->def->level != CHECK_MUST)
			continue;
		if (limit && r->passed)
			fail_msg("%s passes on base: update docs/check.md", r->def->id);
		if (!limit && !r->passed)
			fail_msg("%s fails on base: %s", r->def->id, r->detail);
	}
	assert_int_equal(result(&rep, "RP-LIMIT-1")->status, CHECK_FAIL);
	assert_string_equal(result(&rep, "RP-LIMIT-1")->detail, "no memory limit");
	assert_true(check_any_fail(&rep));

	/* With the limits, no must-level check fails. */
	load_base(u, &u->s2, true);
	check_run(&u->s2, sh_argv, false, &rep);
	assert_false(check_any_fail(&rep));
	assert_int_equal(rep.failed, 0);
	assert_int_equal(rep.passed + rep.warnings, CHECK_COUNT);
}

static void test_no_command_is_unknown_not_pass(void **state)
{
	struct unit *u = *state;
	struct check_report rep;
	const struct check_result *r;

	load_base(u, &u->s, true);
	check_run(&u->s, NULL, false, &rep);
	r = result(&rep, "RP-SSH-1");
	assert_false(r->passed);
	assert_true(r->unknown);
	assert_int_equal(r->status, CHECK_WARN); /* must-level, but undecided */
	assert_false(check_any_fail(&rep));
}

/* One test per id: the line (or argv, or text) that trips it. */
/* TRIP_STRIPPED: base does not strip setuid bits (RP-IMAGE-2 fails there),
 * so the baseline adds `setuid strip` and the line takes it back. */
enum trip_kind { TRIP_LINE, TRIP_ARGV, TRIP_NO_TIOC, TRIP_STRIPPED, TRIP_ALWAYS_WARN, TRIP_ALWAYS_PASS };

static const struct trip {
	const char *id;
	enum trip_kind kind;
	const char *line;      /* TRIP_LINE: the --set line; TRIP_ARGV: argv[0] */
	const char *detail;    /* expected in the detail */
	enum check_status status;
} trips[] = {
	{ "RP-USER-1", TRIP_LINE, "user 0", "uid 0", CHECK_FAIL },
	{ "RP-USER-2", TRIP_LINE, "share user", "user namespace is shared", CHECK_FAIL },
	{ "RP-CAP-1", TRIP_LINE, "caps keep SYS_ADMIN", "SYS_ADMIN", CHECK_FAIL },
	{ "RP-CAP-2", TRIP_LINE, "caps keep NET_RAW", "NET_RAW", CHECK_WARN },
	{ "RP-NNP-1", TRIP_LINE, "nnp off", "no_new_privs off", CHECK_FAIL },
	{ "RP-SECCOMP-1", TRIP_LINE, "seccomp allow ptrace", "allowed: ptrace", CHECK_FAIL },
	{ "RP-SECCOMP-2", TRIP_LINE, "seccomp allow clone3", "clone3 allowed", CHECK_FAIL },
	{ "RP-SECCOMP-3", TRIP_NO_TIOC, NULL, "TIOCSTI, TIOCLINUX", CHECK_WARN },
	{ "RP-NS-1", TRIP_LINE, "share pid", "share pid", CHECK_FAIL },
	{ "RP-NS-2", TRIP_LINE, "share net", "share net", CHECK_FAIL },
	{ "RP-NS-3", TRIP_LINE, "share ipc", "share ipc", CHECK_FAIL },
	{ "RP-NS-4", TRIP_LINE, "share uts", "share uts", CHECK_WARN },
	{ "RP-NS-5", TRIP_LINE, "share cgroup", "share cgroup", CHECK_WARN },
	{ "RP-FS-1", TRIP_LINE, "rootfs writable", "rootfs writable", CHECK_FAIL },
	{ "RP-FS-2", TRIP_LINE, "tmpfs /run exec", "tmpfs /run", CHECK_WARN },
	{ "RP-PROC-1", TRIP_ALWAYS_PASS, NULL, "/proc/kcore", CHECK_PASS },
	{ "RP-MOUNT-1", TRIP_LINE, "bind /etc /host-etc", "/etc -> /host-etc", CHECK_FAIL },
	{ "RP-MOUNT-2", TRIP_LINE, "bind /srv/data /data rw", "/srv/data -> /data", CHECK_WARN },
	{ "RP-LIMIT-1", TRIP_LINE, "limit memory max", "'max'", CHECK_FAIL },
	{ "RP-LIMIT-2", TRIP_LINE, "limit cpu max", "'max'", CHECK_FAIL },
	{ "RP-LIMIT-3", TRIP_LINE, "limit pids max", "'max'", CHECK_FAIL },
	{ "RP-LIMIT-4", TRIP_LINE, "cgroup optional", "cgroup optional", CHECK_WARN },
	{ "RP-CORE-1", TRIP_LINE, "rlimit core 0:unlimited", "hard limit", CHECK_FAIL },
	{ "RP-ENV-1", TRIP_LINE, "env DB_PASSWORD=hunter2", "DB_PASSWORD", CHECK_WARN },
	{ "RP-SSH-1", TRIP_ARGV, "/usr/sbin/sshd", "sshd", CHECK_FAIL },
	/* base pins no image, so it is the tripping profile itself */
	{ "RP-IMAGE-1", TRIP_ALWAYS_WARN, NULL, "no image digest line", CHECK_WARN },
	{ "RP-IMAGE-2", TRIP_STRIPPED, "setuid keep", "setuid keep", CHECK_WARN },
};

/* Copy profile NAME to OUT without its two terminal-ioctl lines, with
 * `include syscalls` (where they live) inlined the same way. */
static void copy_without_tioc(const char *name, FILE *out)
{
	char path[PATH_MAX], line[1024];
	FILE *in;

	unit_fmt(path, sizeof(path), "%s/%s.profile", profiles_dir(), name);
	in = fopen(path, "re");
	assert_non_null(in);
	while (fgets(line, sizeof(line), in)) {
		if (strcmp(line, "include syscalls\n") == 0)
			copy_without_tioc("syscalls", out);
		else if (!strstr(line, "TIOCSTI") && !strstr(line, "TIOCLINUX"))
			fputs(line, out);
	}
	fclose(in);
}

/* base.profile's text without its two terminal-ioctl lines. */
static void load_base_without_tioc(struct unit *u, struct spec *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	out = open_memstream(&text, &len);
	assert_non_null(out);
	copy_without_tioc("base", out);
	assert_int_equal(fclose(out), 0);
	setenv("RAMPART_PROFILE_PATH", profiles_dir(), 1);
	if (profile_load_text(s, text, len, "base-without-tioc", &u->e) < 0)
		fail_msg("%s", u->e.msg);
	free(text);
	for (size_t i = 0; limit_lines[i]; i++)
		apply(u, s, limit_lines[i]);
}

static void trip(void **state, const char *id)
{
	struct unit *u = *state;
	const struct trip *t = NULL;
	struct check_report base, rep;
	char *argv[] = { "/bin/sh", "-D", NULL };
	const struct check_result *r;
	uint32_t extra;
	int idx = check_find(id);

	assert_true(idx >= 0);
	for (size_t i = 0; i < ARRAY_SIZE(trips); i++)
		if (strcmp(trips[i].id, id) == 0)
			t = &trips[i];
	assert_non_null(t);

	load_base(u, &u->s, true);
	if (t->kind == TRIP_STRIPPED)
		apply(u, &u->s, "setuid strip");
	check_run(&u->s, sh_argv, false, &base);
	switch (t->kind) {
	case TRIP_STRIPPED:
		load_base(u, &u->s2, true);
		apply(u, &u->s2, "setuid strip");
		apply(u, &u->s2, t->line);
		break;
	case TRIP_LINE:
		load_base(u, &u->s2, true);
		apply(u, &u->s2, t->line);
		break;
	case TRIP_ARGV:
		load_base(u, &u->s2, true);
		argv[0] = (char *)t->line;
		break;
	case TRIP_NO_TIOC:
		load_base_without_tioc(u, &u->s2);
		break;
	case TRIP_ALWAYS_WARN:
	case TRIP_ALWAYS_PASS:
		load_base(u, &u->s2, true);
		break;
	}
	check_run(&u->s2, argv, false, &rep);
	r = &rep.r[idx];
	assert_detail_has(r, t->detail);
	assert_int_equal(r->status, t->status);

	if (t->kind == TRIP_ALWAYS_PASS) {
		assert_true(r->passed);
		return;
	}
	if (t->kind == TRIP_ALWAYS_WARN) {
		/* Fails on base too: the build has no such field. */
		assert_false(base.r[idx].passed);
		assert_int_equal(base.r[idx].status, CHECK_WARN);
		return;
	}
	assert_true(base.r[idx].passed);
	extra = failing(&rep) & ~failing(&base);
	if (extra != (UINT32_C(1) << idx)) {
		for (int i = 0; i < CHECK_COUNT; i++)
			if (extra & (UINT32_C(1) << i))
				print_error("  also tripped: %s (%s)\n", rep.r[i].def->id, rep.r[i].detail);
		fail_msg("%s: expected to trip exactly that check", id);
	}
	/* Levels decide the line: must -> FAIL, should/could -> WARN. */
	assert_int_equal(r->status, r->def->level == CHECK_MUST ? CHECK_FAIL : CHECK_WARN);
}

#define TRIP(fn, id)                                                              \
	static void test_trip_##fn(void **state) { trip(state, id); }
TRIP(user_1, "RP-USER-1")
TRIP(user_2, "RP-USER-2")
TRIP(cap_1, "RP-CAP-1")
TRIP(cap_2, "RP-CAP-2")
TRIP(nnp_1, "RP-NNP-1")
TRIP(seccomp_1, "RP-SECCOMP-1")
TRIP(seccomp_2, "RP-SECCOMP-2")
TRIP(seccomp_3, "RP-SECCOMP-3")
TRIP(ns_1, "RP-NS-1")
TRIP(ns_2, "RP-NS-2")
TRIP(ns_3, "RP-NS-3")
TRIP(ns_4, "RP-NS-4")
TRIP(ns_5, "RP-NS-5")
TRIP(fs_1, "RP-FS-1")
TRIP(fs_2, "RP-FS-2")
TRIP(proc_1, "RP-PROC-1")
TRIP(mount_1, "RP-MOUNT-1")
TRIP(mount_2, "RP-MOUNT-2")
TRIP(limit_1, "RP-LIMIT-1")
TRIP(limit_2, "RP-LIMIT-2")
TRIP(limit_3, "RP-LIMIT-3")
TRIP(limit_4, "RP-LIMIT-4")
TRIP(core_1, "RP-CORE-1")
TRIP(env_1, "RP-ENV-1")
TRIP(ssh_1, "RP-SSH-1")
TRIP(image_1, "RP-IMAGE-1")
TRIP(image_2, "RP-IMAGE-2")

/* Every id has its trip test (a new check needs one). */
static void test_every_id_has_a_trip(void **state)
{
	(void)state;
	assert_int_equal(ARRAY_SIZE(trips), CHECK_COUNT);
	for (int i = 0; i < CHECK_COUNT; i++)
		assert_string_equal(trips[i].id, check_catalogue[i].id);
}

/* ---- the checks' finer points ------------------------------------------- */

static struct check_report *run_lines(struct unit *u, const char *const *lines, char *const *argv,
				      struct check_report *rep)
{
	spec_free(&u->s2);
	spec_init(&u->s2);
	load_base(u, &u->s2, true);
	for (size_t i = 0; lines && lines[i]; i++)
		apply(u, &u->s2, lines[i]);
	check_run(&u->s2, argv, false, rep);
	return rep;
}

static void test_seccomp_off_fails_all_three(void **state)
{
	struct unit *u = *state;
	struct check_report rep;

	run_lines(u, (const char *[]){ "seccomp off", NULL }, sh_argv, &rep);
	assert_string_equal(result(&rep, "RP-SECCOMP-1")->detail, "seccomp is off: every syscall is allowed");
	assert_false(result(&rep, "RP-SECCOMP-2")->passed);
	assert_false(result(&rep, "RP-SECCOMP-3")->passed);
}

static void test_seccomp_conditional_allow_counts(void **state)
{
	struct unit *u = *state;
	struct check_report rep;

	/* An argument-conditional allow of a dangerous syscall is allowed. */
	run_lines(u, (const char *[]){ "seccomp allow mount arg0 == 0", NULL }, sh_argv, &rep);
	assert_false(result(&rep, "RP-SECCOMP-1")->passed);
	assert_detail_has(result(&rep, "RP-SECCOMP-1"), "mount (by an argument rule)");

	/* A default that lets everything through allows them all. */
	run_lines(u, (const char *[]){ "seccomp default log", NULL }, sh_argv, &rep);
	assert_detail_has(result(&rep, "RP-SECCOMP-1"), "bpf");
	assert_detail_has(result(&rep, "RP-SECCOMP-1"), "default action 'log'");

	/* A deny with the log action lets the call through too. */
	run_lines(u, (const char *[]){ "seccomp deny keyctl log", NULL }, sh_argv, &rep);
	assert_detail_has(result(&rep, "RP-SECCOMP-1"), "keyctl");

	/* Denied again, by an explicit deny: passes. */
	run_lines(u, (const char *[]){ "seccomp allow ptrace", "seccomp deny ptrace", NULL }, sh_argv, &rep);
	assert_true(result(&rep, "RP-SECCOMP-1")->passed);
}

static void test_seccomp_clone_flags(void **state)
{
	struct unit *u = *state;
	struct check_report rep;

	/* An alternative that requires the flag clear keeps namespaces out. */
	run_lines(u, (const char *[]){ "seccomp allow clone arg0 & CLONE_NEWUSER == 0", NULL }, sh_argv, &rep);
	assert_true(result(&rep, "RP-SECCOMP-2")->passed);

	/* Without base's per-flag denies, clone can make every namespace. */
	run_lines(u, (const char *[]){ "seccomp clear", "seccomp allow @default", "seccomp deny clone3", NULL },
		  sh_argv, &rep);
	assert_false(result(&rep, "RP-SECCOMP-2")->passed);
	assert_detail_has(result(&rep, "RP-SECCOMP-2"), "clone allowed with: CLONE_NEWUSER, CLONE_NEWNS");
	assert_null(strstr(result(&rep, "RP-SECCOMP-2")->detail, "clone3"));
}

/* A 64-bit equality deny of TIOCSTI is bypassed with high bits set. */
static void test_seccomp_tiocsti_needs_masked_deny(void **state)
{
	struct unit *u = *state;
	struct check_report rep;

	spec_free(&u->s2);
	spec_init(&u->s2);
	load_base_without_tioc(u, &u->s2);
	apply(u, &u->s2, "seccomp deny ioctl arg1 == TIOCSTI");
	apply(u, &u->s2, "seccomp deny ioctl arg1 & 0xffffffff == TIOCLINUX");
	check_run(&u->s2, sh_argv, false, &rep);
	assert_false(result(&rep, "RP-SECCOMP-3")->passed);
	assert_string_equal(result(&rep, "RP-SECCOMP-3")->detail, "ioctl allowed with: TIOCSTI");

	apply(u, &u->s2, "seccomp deny ioctl arg1 & 0xffffffff == TIOCSTI");
	check_run(&u->s2, sh_argv, false, &rep);
	assert_true(result(&rep, "RP-SECCOMP-3")->passed);

	/* Not allowing ioctl at all also passes. */
	apply(u, &u->s2, "seccomp deny ioctl");
	check_run(&u->s2, sh_argv, false, &rep);
	assert_true(result(&rep, "RP-SECCOMP-3")->passed);
}

static void test_caps_allowlist_and_classes(void **state)
{
	struct unit *u = *state;
	struct check_report rep;

	run_lines(u, (const char *[]){ "caps keep NET_BIND_SERVICE CHOWN SETUID SETGID", NULL }, sh_argv, &rep);
	assert_true(result(&rep, "RP-CAP-1")->passed);
	assert_true(result(&rep, "RP-CAP-2")->passed);

	/* Each class reports its own capabilities only. */
	run_lines(u, (const char *[]){ "caps keep SYS_PTRACE NET_RAW BPF KILL", NULL }, sh_argv, &rep);
	assert_string_equal(result(&rep, "RP-CAP-1")->detail, "kept: SYS_PTRACE, BPF");
	assert_string_equal(result(&rep, "RP-CAP-2")->detail, "kept: NET_RAW");
}

static void test_user_names(void **state)
{
	struct unit *u = *state;
	struct check_report rep;
	const struct check_result *r;

	/* A name needs the image to resolve: unknown, never a pass. */
	run_lines(u, (const char *[]){ "user app", NULL }, sh_argv, &rep);
	r = result(&rep, "RP-USER-1");
	assert_true(r->unknown);
	assert_int_equal(r->status, CHECK_WARN);
	assert_detail_has(r, "--rootfs");

	run_lines(u, (const char *[]){ "user root", NULL }, sh_argv, &rep);
	assert_int_equal(result(&rep, "RP-USER-1")->status, CHECK_FAIL);

	/* Resolved (spec_validate ran): the uid decides. */
	u->s2.user.uid = 1000;
	check_run(&u->s2, sh_argv, true, &rep);
	assert_true(result(&rep, "RP-USER-1")->passed);
	u->s2.user.uid = 0;
	check_run(&u->s2, sh_argv, true, &rep);
	assert_int_equal(result(&rep, "RP-USER-1")->status, CHECK_FAIL);
}

static void test_sensitive_binds(void **state)
{
	struct unit *u = *state;
	struct check_report rep;
	char line[PATH_MAX + 64], home[PATH_MAX];
	const char *ok[] = { "/srv", "/usr/share/doc", "/var/lib/app", "/etcetera", "/devices", NULL };
	const char *bad[] = { "/", "/etc", "/etc/ssl/certs", "/proc/1", "/sys", "/dev/kvm", "/boot",
			      "/root", "/var/run/docker.sock", "/run/containerd/containerd.sock",
			      "/var", "/run", "/var/lib", "//etc/", "/srv/../etc", NULL };

	for (size_t i = 0; ok[i]; i++) {
		unit_fmt(line, sizeof(line), "bind %s /mnt", ok[i]);
		run_lines(u, (const char *[]){ line, NULL }, sh_argv, &rep);
		if (!result(&rep, "RP-MOUNT-1")->passed)
			fail_msg("%s: %s", ok[i], result(&rep, "RP-MOUNT-1")->detail);
	}
	for (size_t i = 0; bad[i]; i++) {
		unit_fmt(line, sizeof(line), "bind %s /mnt", bad[i]);
		run_lines(u, (const char *[]){ line, NULL }, sh_argv, &rep);
		if (result(&rep, "RP-MOUNT-1")->passed)
			fail_msg("%s passed", bad[i]);
	}

	/* A symlink on the host is judged by where it leads. */
	unit_mkdir(u, "data");
	assert_int_equal(symlink("/etc", unit_path(u, "etc-link")), 0);
	unit_fmt(line, sizeof(line), "bind %s /mnt", unit_path(u, "etc-link"));
	run_lines(u, (const char *[]){ line, NULL }, sh_argv, &rep);
	assert_false(result(&rep, "RP-MOUNT-1")->passed);
	assert_detail_has(result(&rep, "RP-MOUNT-1"), "(/etc)");
	unit_fmt(line, sizeof(line), "bind %s /mnt", unit_path(u, "data"));
	run_lines(u, (const char *[]){ line, NULL }, sh_argv, &rep);
	assert_true(result(&rep, "RP-MOUNT-1")->passed);

	/* The caller's home directory, and anything containing it. */
	unit_fmt(home, sizeof(home), "%s", getenv("HOME") ? getenv("HOME") : "");
	setenv("HOME", unit_path(u, "data"), 1);
	run_lines(u, (const char *[]){ line, NULL }, sh_argv, &rep);
	assert_false(result(&rep, "RP-MOUNT-1")->passed);
	unit_fmt(line, sizeof(line), "bind %s /mnt", u->dir);
	run_lines(u, (const char *[]){ line, NULL }, sh_argv, &rep);
	assert_false(result(&rep, "RP-MOUNT-1")->passed);
	setenv("HOME", "/", 1); /* "/" as a home does not make everything sensitive */
	unit_fmt(line, sizeof(line), "bind %s /mnt", unit_path(u, "data"));
	run_lines(u, (const char *[]){ line, NULL }, sh_argv, &rep);
	assert_true(result(&rep, "RP-MOUNT-1")->passed);
	if (home[0])
		setenv("HOME", home, 1);
	else
		unsetenv("HOME");
}

static void test_env_names_only(void **state)
{
	struct unit *u = *state;
	struct check_report rep;
	const struct check_result *r;

	run_lines(u, (const char *[]){ "env api_token=s3cr3t-value", "env LANG=C", "env Db_Passwd=pw-value",
				       "env AWS_SECRET_ACCESS_KEY=k-value", "env MY_CREDENTIALS=c-value", NULL },
		  sh_argv, &rep);
	r = result(&rep, "RP-ENV-1");
	assert_string_equal(r->detail,
			    "secret-looking names: api_token, Db_Passwd, AWS_SECRET_ACCESS_KEY, MY_CREDENTIALS");
	assert_null(strstr(r->detail, "value"));
}

static void test_core_and_limits_details(void **state)
{
	struct unit *u = *state;
	struct check_report rep;

	run_lines(u, (const char *[]){ "rlimit core 1M", NULL }, sh_argv, &rep);
	assert_string_equal(result(&rep, "RP-CORE-1")->detail, "core dumps allowed");
	run_lines(u, (const char *[]){ "limit memory 1536M", "limit cpu 1.5", NULL }, sh_argv, &rep);
	assert_string_equal(result(&rep, "RP-LIMIT-1")->detail, "memory.max 1536M");
	assert_string_equal(result(&rep, "RP-LIMIT-2")->detail, "cpu.max 150000 100000");
	assert_string_equal(result(&rep, "RP-LIMIT-3")->detail, "pids.max 128");
}

static void test_proc_detail_names_mask_list(void **state)
{
	struct unit *u = *state;
	struct check_report rep;

	run_lines(u, (const char *[]){ "mask /etc/secret", NULL }, sh_argv, &rep);
	for (size_t i = 0; mount_default_masked[i]; i++)
		assert_detail_has(result(&rep, "RP-PROC-1"), mount_default_masked[i]);
	assert_detail_has(result(&rep, "RP-PROC-1"), "(+1 from mask lines)");
}

/* ---- policies ----------------------------------------------------------- */

static int load_policy(struct unit *u, struct policy *p, const char *text)
{
	policy_free(p);
	return policy_load_text(text, strlen(text), "p", p, &u->e);
}

static void test_policy_parse(void **state)
{
	struct unit *u = *state;
	struct policy p;

	policy_init(&p);
	assert_int_equal(load_policy(u, &p,
				     "# site policy\n"
				     "require-level must\r\n"
				     "\n"
				     "require RP-NS-4 RP-MOUNT-2   # and these\n"
				     "waive RP-LIMIT-2 \"batch jobs\"   may use every CPU\n"),
			 0);
	assert_true(p.present);
	assert_int_equal(p.level, CHECK_MUST);
	assert_true(p.require[check_find("RP-NS-4")]);
	assert_true(p.require[check_find("RP-MOUNT-2")]);
	assert_false(p.require[check_find("RP-NS-5")]);
	assert_string_equal(p.waive[check_find("RP-LIMIT-2")], "batch jobs may use every CPU");

	/* Later lines override. */
	assert_int_equal(load_policy(u, &p, "require-level should\nrequire-level must\n"
				     "waive RP-FS-1 a\nwaive RP-FS-1 b\n"), 0);
	assert_int_equal(p.level, CHECK_MUST);
	assert_string_equal(p.waive[check_find("RP-FS-1")], "b");

	/* An empty policy is a policy (nothing required). */
	assert_int_equal(load_policy(u, &p, ""), 0);
	assert_true(p.present);
	assert_int_equal(p.level, -1);
	policy_free(&p);
}

static void test_policy_errors(void **state)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "require RP-NOPE-1\n", "p:1: require: unknown check 'RP-NOPE-1' (rampart check lists them)" },
		{ "require\n", "p:1: require: name at least one check id" },
		{ "\nwaive RP-FS-1\n", "p:2: waive RP-FS-1: give a reason" },
		{ "waive\n", "p:1: waive: expected 'waive ID REASON...'" },
		{ "waive rp-fs-1 lower case\n", "p:1: waive: unknown check 'rp-fs-1' (rampart check lists them)" },
		{ "require-level could\n", "p:1: require-level: expected must or should" },
		{ "require-level must should\n", "p:1: require-level: expected must or should" },
		{ "require RP-FS-1\nwaive RP-FS-1 x\n", "p:2: waive RP-FS-1: the check is also required" },
		{ "waive RP-FS-1 x\nrequire RP-FS-1\n", "p:2: require RP-FS-1: the check is also waived" },
		{ "allow everything\n", "p:1: unknown directive 'allow' (require, waive, require-level)" },
		{ "waive RP-FS-1 \"unterminated\n", "p:1: unterminated quote" },
	};
	struct unit *u = *state;
	struct policy p;

	policy_init(&p);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (load_policy(u, &p, bad[i].text) != -1)
			fail_msg("accepted: %s", bad[i].text);
		assert_err(u, "%s", bad[i].msg);
	}
	assert_int_equal(policy_load_text("a\0b", 3, "p", &p, &u->e), -1);
	assert_err(u, "p: contains a NUL byte (not a text file)");
	policy_free(&p);
}

static void test_policy_files(void **state)
{
	struct unit *u = *state;
	struct policy p;
	char path[PATH_MAX];

	policy_init(&p);
	/* An explicit path must exist. */
	assert_int_equal(policy_load(unit_path(u, "missing"), &p, &u->e), -1);
	assert_err(u, "policy: %s: No such file or directory", unit_path(u, "missing"));
	assert_false(p.present);

	/* The default may be absent: no policy. */
	if (access(POLICY_DEFAULT_PATH, F_OK) < 0) {
		assert_int_equal(policy_load(NULL, &p, &u->e), 0);
		assert_false(p.present);
	}

	unit_fmt(path, sizeof(path), "%s", unit_write(u, "policy", "require RP-USER-1\n"));
	assert_int_equal(policy_load(path, &p, &u->e), 0);
	assert_true(p.present);
	assert_string_equal(p.path, path);
	policy_free(&p);

	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(policy_load(path, &p, &u->e), -1);
	assert_err(u, "policy: %s: writable by every user; refused (chmod o-w)", path);

	assert_int_equal(mkfifo(unit_path(u, "fifo"), 0600), 0);
	assert_int_equal(policy_load(unit_path(u, "fifo"), &p, &u->e), -1);
	assert_err(u, "policy: %s: not a regular file", unit_path(u, "fifo"));

	unit_fmt(path, sizeof(path), "%s", unit_write(u, "bad", "require RP-USER-1\nnonsense\n"));
	assert_int_equal(policy_load(path, &p, &u->e), -1);
	assert_err(u, "%s:2: unknown directive 'nonsense' (require, waive, require-level)", path);
	policy_free(&p);
}

static void test_policy_enforce(void **state)
{
	struct unit *u = *state;
	struct check_report rep;
	struct policy p;

	policy_init(&p);
	load_base(u, &u->s, false);
	u->s.user.uid = SPEC_DEFAULT_UID; /* as spec_validate resolves it */

	/* No policy: nothing is refused, whatever fails. */
	assert_int_equal(policy_enforce(&p, &u->s, sh_argv, &u->e), 0);

	/* base lacks the limits. */
	assert_int_equal(load_policy(u, &p, "require-level must\n"), 0);
	assert_int_equal(policy_enforce(&p, &u->s, sh_argv, &u->e), -1);
	assert_err(u, "policy: refused: RP-LIMIT-1, RP-LIMIT-2, RP-LIMIT-3 failed (see rampart check)");

	/* Waived: WAIVED, not refused. */
	assert_int_equal(load_policy(u, &p, "require-level must\nwaive RP-LIMIT-1 a\nwaive RP-LIMIT-2 b\n"
				     "waive RP-LIMIT-3 c\n"), 0);
	assert_int_equal(policy_enforce(&p, &u->s, sh_argv, &u->e), 0);
	check_run(&u->s, sh_argv, true, &rep);
	policy_apply(&p, &rep);
	assert_int_equal(result(&rep, "RP-LIMIT-1")->status, CHECK_WAIVED);
	assert_string_equal(result(&rep, "RP-LIMIT-1")->waiver, "a");
	assert_int_equal(rep.waived, 3);
	assert_int_equal(rep.failed, 0);
	assert_false(check_any_fail(&rep));

	/* A required should-level check fails the line (FAIL, not WARN). */
	apply(u, &u->s, "share uts");
	assert_int_equal(load_policy(u, &p, "require RP-NS-4\n"), 0);
	assert_int_equal(policy_enforce(&p, &u->s, sh_argv, &u->e), -1);
	assert_err(u, "policy: refused: RP-NS-4 failed (see rampart check)");
	check_run(&u->s, sh_argv, true, &rep);
	policy_apply(&p, &rep);
	assert_int_equal(result(&rep, "RP-NS-4")->status, CHECK_FAIL);
	assert_true(result(&rep, "RP-NS-4")->required);

	/* require-level should takes in the image checks. */
	apply(u, &u->s, "setuid keep");
	assert_int_equal(load_policy(u, &p, "require-level should\nwaive RP-LIMIT-1 a\nwaive RP-LIMIT-2 b\n"
				     "waive RP-LIMIT-3 c\nwaive RP-NS-4 d\n"), 0);
	assert_int_equal(policy_enforce(&p, &u->s, sh_argv, &u->e), -1);
	assert_err(u, "policy: refused: RP-IMAGE-1, RP-IMAGE-2 failed (see rampart check)");

	/* A required check that cannot be decided is not a pass. */
	assert_int_equal(load_policy(u, &p, "require RP-SSH-1\n"), 0);
	spec_free(&u->s2);
	spec_init(&u->s2);
	load_base(u, &u->s2, true);
	check_run(&u->s2, NULL, false, &rep);
	policy_apply(&p, &rep);
	assert_int_equal(result(&rep, "RP-SSH-1")->status, CHECK_FAIL);
	policy_free(&p);
}

/* ---- the audit log ------------------------------------------------------ */

static json_t *read_json_lines(const char *path, size_t want)
{
	char buf[65536];
	json_t *arr = json_array();
	size_t n = 0;
	FILE *f = fopen(path, "re");

	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		json_error_t err;
		json_t *j;

		assert_non_null(strchr(buf, '\n'));
		j = json_loads(buf, 0, &err);
		if (!j)
			fail_msg("line %zu is not JSON: %s: %s", n + 1, err.text, buf);
		json_array_append_new(arr, j);
		n++;
	}
	fclose(f);
	assert_int_equal(n, want);
	return arr;
}

static void assert_json_str(json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);

	if (!want) {
		if (!json_is_null(v))
			fail_msg("%s: expected null", key);
		return;
	}
	if (!json_is_string(v))
		fail_msg("%s: not a string", key);
	assert_string_equal(json_string_value(v), want);
}

static void test_audit_record_fields(void **state)
{
	struct unit *u = *state;
	struct audit_log log = AUDIT_LOG_INIT;
	char path[PATH_MAX];
	json_t *lines, *o, *a;
	struct stat st;
	regex_t re;
	char text[65536];
	FILE *f;
	size_t n;

	unit_fmt(path, sizeof(path), "%s", unit_path(u, "audit.log"));
	load_base(u, &u->s, false);
	u->s.rootfs = xstrdup("/srv/rootfs");
	strv_push(&u->s.argv, "/bin/app");
	strv_push(&u->s.argv, "--password=argument-secret");
	apply(u, &u->s, "env DB_PASSWORD=hunter2");
	apply(u, &u->s, "env LANG=C");
	u->s.user.uid = SPEC_DEFAULT_UID;

	assert_int_equal(audit_open(path, false, &log, &u->e), 0);
	assert_int_equal(fstat(log.fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(audit_launch(&log, &u->s, AUDIT_REFUSED,
				      "policy: refused: RP-LIMIT-1 failed\n{\"forged\":1}", -1, &u->e), 0);
	assert_int_equal(audit_launch(&log, &u->s, AUDIT_EXITED, NULL, 137, &u->e), 0);
	{
		struct audit_event ev = { .command = AUDIT_CMD_KILL, .outcome = AUDIT_ERROR,
					  .container_id = "web-1", .bundle = "/b\xff/x",
					  .image_digest = "sha256:abc", .error = "no such container",
					  .exit_status = -1, .oom = 1 };
		assert_int_equal(audit_record(&log, &ev), 0);
	}
	audit_close(&log);

	/* No value of the environment, no argument of the command. */
	f = fopen(path, "re");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_null(strstr(text, "hunter2"));
	assert_null(strstr(text, "argument-secret"));

	lines = read_json_lines(path, 3);
	o = json_array_get(lines, 0);
	assert_int_equal(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$",
				 REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regexec(&re, json_string_value(json_object_get(o, "time")), 0, NULL, 0), 0);
	regfree(&re);
	assert_int_equal(json_integer_value(json_object_get(o, "uid")), getuid());
	assert_int_equal(json_integer_value(json_object_get(o, "pid")), getpid());
	assert_json_str(o, "command", "launch");
	assert_json_str(o, "container_id", NULL);
	assert_json_str(o, "rootfs", "/srv/rootfs");
	assert_json_str(o, "bundle", NULL);
	assert_json_str(o, "image_digest", NULL);
	assert_json_str(o, "workload", "/bin/app");
	assert_json_str(o, "outcome", "refused");
	assert_json_str(o, "error", "policy: refused: RP-LIMIT-1 failed\n{\"forged\":1}");
	a = json_object_get(o, "profiles");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_array_get(a, 0)), "base");
	a = json_object_get(o, "env_names");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_array_get(a, 0)), "DB_PASSWORD");
	assert_string_equal(json_string_value(json_array_get(a, 1)), "LANG");
	a = json_object_get(o, "failed_checks");
	assert_true(json_is_array(a));
	assert_string_equal(json_string_value(json_array_get(a, 0)), "RP-LIMIT-1");
	assert_string_equal(json_string_value(json_array_get(a, 3)), "RP-ENV-1");
	assert_true(json_is_null(json_object_get(o, "exit_status")));
	assert_true(json_is_null(json_object_get(o, "signal")));
	assert_true(json_is_null(json_object_get(o, "oom")));

	o = json_array_get(lines, 1);
	assert_json_str(o, "outcome", "exited");
	assert_json_str(o, "error", NULL);
	assert_int_equal(json_integer_value(json_object_get(o, "exit_status")), 137);
	assert_int_equal(json_integer_value(json_object_get(o, "signal")), 9);

	o = json_array_get(lines, 2);
	assert_json_str(o, "command", "kill");
	assert_json_str(o, "container_id", "web-1");
	assert_json_str(o, "bundle", "/b\\xff/x"); /* not UTF-8: escaped, not dropped */
	assert_json_str(o, "image_digest", "sha256:abc");
	assert_json_str(o, "rootfs", NULL);
	assert_true(json_is_null(json_object_get(o, "failed_checks")));
	assert_true(json_is_true(json_object_get(o, "oom")));
	json_decref(lines);
}

static void test_audit_refuses_unsafe_files(void **state)
{
	struct unit *u = *state;
	struct audit_log log = AUDIT_LOG_INIT;
	char path[PATH_MAX];

	/* unit_path's buffers are a ring: keep our own copy. */
	unit_fmt(path, sizeof(path), "%s", unit_write(u, "target", ""));
	assert_int_equal(symlink(path, unit_path(u, "link")), 0);
	assert_int_equal(audit_open(unit_path(u, "link"), false, &log, &u->e), -1);
	assert_err(u, "audit: %s: is a symbolic link; refused", unit_path(u, "link"));
	assert_int_equal(log.fd, -1);

	assert_int_equal(chmod(path, 0602), 0);
	assert_int_equal(audit_open(path, false, &log, &u->e), -1);
	assert_err(u, "audit: %s: writable by group or others (mode 0602); refused", path);
	assert_int_equal(chmod(path, 0620), 0);
	assert_int_equal(audit_open(path, false, &log, &u->e), -1);
	assert_err(u, "audit: %s: writable by group or others (mode 0620); refused", path);
	assert_int_equal(chmod(path, 0600), 0);

	assert_int_equal(link(path, unit_path(u, "hardlink")), 0);
	assert_int_equal(audit_open(path, false, &log, &u->e), -1);
	assert_err(u, "audit: %s: has 2 hard links; refused", path);
	assert_int_equal(unlink(unit_path(u, "hardlink")), 0);

	unit_mkdir(u, "dir");
	assert_int_equal(audit_open(unit_path(u, "dir"), false, &log, &u->e), -1);
	assert_err(u, "audit: %s: Is a directory", unit_path(u, "dir"));

	if (geteuid() == 0) {
		assert_int_equal(chown(path, 4242, 4242), 0);
		assert_int_equal(audit_open(path, false, &log, &u->e), -1);
		assert_err(u, "audit: %s: owned by uid 4242, not by uid 0; refused", path);
		assert_int_equal(chown(path, 0, 0), 0);
	}

	assert_int_equal(audit_open(path, false, &log, &u->e), 0);
	audit_close(&log);
}

static void test_audit_config(void **state)
{
	struct unit *u = *state;
	struct audit_log log = AUDIT_LOG_INIT;
	struct audit_event ev = { .command = AUDIT_CMD_LAUNCH, .outcome = AUDIT_STARTED,
				  .exit_status = -1, .oom = -1 };
	char path[PATH_MAX];

	unit_fmt(path, sizeof(path), "%s", unit_path(u, "env.log"));

	/* "none": records go nowhere, successfully. */
	assert_int_equal(audit_open_config("none", &log, &u->e), 0);
	assert_int_equal(log.fd, -1);
	assert_false(log.syslog);
	assert_int_equal(audit_record(&log, &ev), 0);
	audit_close(&log);

	/* The environment when no flag is given; the flag wins over it. */
	setenv(AUDIT_ENV, path, 1);
	assert_int_equal(audit_open_config(NULL, &log, &u->e), 0);
	assert_string_equal(log.path, path);
	assert_int_equal(audit_record(&log, &ev), 0);
	assert_int_equal(audit_record(&log, &ev), 0);
	audit_close(&log);
	json_decref(read_json_lines(path, 2));
	assert_int_equal(audit_open_config("none", &log, &u->e), 0);
	assert_int_equal(log.fd, -1);
	unsetenv(AUDIT_ENV);

	/* A failed open names the file. */
	assert_int_equal(audit_open_config(unit_path(u, "no/such/dir/log"), &log, &u->e), -1);
	assert_err(u, "audit: %s: No such file or directory", unit_path(u, "no/such/dir/log"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_catalogue_well_formed),
		UNIT_TEST(test_base_passes_every_must_check_but_limits),
		UNIT_TEST(test_no_command_is_unknown_not_pass),
		UNIT_TEST(test_every_id_has_a_trip),
		UNIT_TEST(test_trip_user_1),
		UNIT_TEST(test_trip_user_2),
		UNIT_TEST(test_trip_cap_1),
		UNIT_TEST(test_trip_cap_2),
		UNIT_TEST(test_trip_nnp_1),
		UNIT_TEST(test_trip_seccomp_1),
		UNIT_TEST(test_trip_seccomp_2),
		UNIT_TEST(test_trip_seccomp_3),
		UNIT_TEST(test_trip_ns_1),
		UNIT_TEST(test_trip_ns_2),
		UNIT_TEST(test_trip_ns_3),
		UNIT_TEST(test_trip_ns_4),
		UNIT_TEST(test_trip_ns_5),
		UNIT_TEST(test_trip_fs_1),
		UNIT_TEST(test_trip_fs_2),
		UNIT_TEST(test_trip_proc_1),
		UNIT_TEST(test_trip_mount_1),
		UNIT_TEST(test_trip_mount_2),
		UNIT_TEST(test_trip_limit_1),
		UNIT_TEST(test_trip_limit_2),
		UNIT_TEST(test_trip_limit_3),
		UNIT_TEST(test_trip_limit_4),
		UNIT_TEST(test_trip_core_1),
		UNIT_TEST(test_trip_env_1),
		UNIT_TEST(test_trip_ssh_1),
		UNIT_TEST(test_trip_image_1),
		UNIT_TEST(test_trip_image_2),
		UNIT_TEST(test_seccomp_off_fails_all_three),
		UNIT_TEST(test_seccomp_conditional_allow_counts),
		UNIT_TEST(test_seccomp_clone_flags),
		UNIT_TEST(test_seccomp_tiocsti_needs_masked_deny),
		UNIT_TEST(test_caps_allowlist_and_classes),
		UNIT_TEST(test_user_names),
		UNIT_TEST(test_sensitive_binds),
		UNIT_TEST(test_env_names_only),
		UNIT_TEST(test_core_and_limits_details),
		UNIT_TEST(test_proc_detail_names_mask_list),
		UNIT_TEST(test_policy_parse),
		UNIT_TEST(test_policy_errors),
		UNIT_TEST(test_policy_files),
		UNIT_TEST(test_policy_enforce),
		UNIT_TEST(test_audit_record_fields),
		UNIT_TEST(test_audit_refuses_unsafe_files),
		UNIT_TEST(test_audit_config),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
