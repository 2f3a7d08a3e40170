/* test_profile.c - the profile reader: every directive, overrides, includes,
 * the exact "file:line: message" of every error, and the print round trip.
 *
 * Tests named test_regression_* guard bugs found by this suite and fixed;
 * each says what was wrong above it.
 */
#include "unit.h"

#include <linux/capability.h>

#include "process.h"

#define FIX unit_fixtures()
#define CAPBIT(c) (UINT64_C(1) << (c))

static const char *const all_ns = "user pid mnt net ipc uts cgroup";

/* Print spec S into scratch buffer SLOT of the test. */
static const char *print_spec(struct unit *u, int slot, const struct spec *s)
{
	FILE *f = unit_text_open(u, slot);

	profile_print(s, f);
	return unit_text_close(u, slot, f);
}

static void assert_str_or_null(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_strv_equal(char **a, char **b)
{
	assert_int_equal(strv_len(a), strv_len(b));
	for (size_t i = 0; a && a[i]; i++)
		assert_string_equal(a[i], b[i]);
}

/* Every field a profile can set (not origins, not provenance). */
static void assert_spec_equal(const struct spec *a, const struct spec *b)
{
	assert_int_equal(a->rootfs_readonly, b->rootfs_readonly);
	assert_int_equal(a->nmounts, b->nmounts);
	for (size_t i = 0; i < a->nmounts; i++) {
		const struct mount_spec *x = &a->mounts[i], *y = &b->mounts[i];

		assert_int_equal(x->kind, y->kind);
		assert_str_or_null(x->source, y->source);
		assert_string_equal(x->target, y->target);
		assert_int_equal(x->readonly, y->readonly);
		assert_int_equal(x->exec, y->exec);
		assert_int_equal(x->recursive, y->recursive);
		assert_int_equal(x->size, y->size);
		assert_int_equal(x->mode, y->mode);
	}
	assert_strv_equal(a->masked, b->masked);
	assert_strv_equal(a->readonly_paths, b->readonly_paths);
	assert_str_or_null(a->user.name, b->user.name);
	assert_str_or_null(a->user.group, b->user.group);
	assert_strv_equal(a->user.groups, b->user.groups);
	assert_int_equal(a->caps_keep, b->caps_keep);
	assert_int_equal(a->no_new_privs, b->no_new_privs);
	assert_int_equal(a->seccomp.enabled, b->seccomp.enabled);
	assert_int_equal(a->seccomp.default_action.kind, b->seccomp.default_action.kind);
	assert_int_equal(a->seccomp.default_action.errnum, b->seccomp.default_action.errnum);
	assert_int_equal(a->seccomp.nrules, b->seccomp.nrules);
	for (size_t i = 0; i < a->seccomp.nrules; i++) {
		const struct sc_rule *x = &a->seccomp.rules[i], *y = &b->seccomp.rules[i];

		assert_int_equal(x->nr, y->nr);
		assert_int_equal(x->action.kind, y->action.kind);
		assert_int_equal(x->action.errnum, y->action.errnum);
		assert_int_equal(x->ncmp, y->ncmp);
		for (unsigned k = 0; k < x->ncmp; k++) {
			assert_int_equal(x->cmp[k].arg, y->cmp[k].arg);
			assert_int_equal(x->cmp[k].op, y->cmp[k].op);
			assert_int_equal(x->cmp[k].value, y->cmp[k].value);
			assert_int_equal(x->cmp[k].mask, y->cmp[k].mask);
		}
	}
	for (int r = 0; r < RLIM_NLIMITS; r++) {
		assert_int_equal(a->rlimits[r].set, b->rlimits[r].set);
		if (!a->rlimits[r].set)
			continue;
		assert_int_equal(a->rlimits[r].value.rlim_cur, b->rlimits[r].value.rlim_cur);
		assert_int_equal(a->rlimits[r].value.rlim_max, b->rlimits[r].value.rlim_max);
	}
	for (int t = 0; t < NS_COUNT; t++)
		assert_int_equal(a->ns[t].unshare, b->ns[t].unshare);
	assert_int_equal(a->nuidmap, b->nuidmap);
	assert_int_equal(a->ngidmap, b->ngidmap);
	for (size_t i = 0; i < a->nuidmap; i++)
		assert_memory_equal(&a->uidmap[i], &b->uidmap[i], sizeof(struct idmap));
	for (size_t i = 0; i < a->ngidmap; i++)
		assert_memory_equal(&a->gidmap[i], &b->gidmap[i], sizeof(struct idmap));
	assert_string_equal(a->hostname, b->hostname);
	assert_string_equal(a->cwd, b->cwd);
	assert_strv_equal(a->env, b->env);
	assert_int_equal(a->init, b->init);
}

static void assert_origin(const struct origin *o, const char *file, unsigned line)
{
	assert_non_null(o->file);
	assert_string_equal(o->file, file);
	assert_int_equal(o->line, line);
}

/* ---- the format: words, quotes, comments, line endings --------------- */

static void test_empty_profile(void **state)
{
	struct unit *u = *state;

	assert_int_equal(unit_loadn(u, "", 0), 0);
	assert_load_ok(u, "\n\n\n");
	assert_load_ok(u, "   \t  \n# only comments\n\t# indented comment\n");
	/* Nothing changed: still the defaults. */
	assert_spec_equal(&u->s, &u->s2);

	assert_int_equal(profile_load(&u->s, "empty", &u->e), 0);
	assert_string_equal(u->s.profiles[0], "empty");
	assert_spec_equal(&u->s, &u->s2);
}

static void test_comments_after_directives(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "user 5 # the app user\n"
			  "hostname h\t# after a tab\n"
			  "env A=x#y\n"         /* '#' inside a word is not a comment */
			  "env B=1 #C=2\n");
	assert_string_equal(u->s.user.name, "5");
	assert_string_equal(u->s.hostname, "h");
	assert_strv_equal(u->s.env, (char *[]){ "A=x#y", "B=1", NULL });
	/* ...so a comment needs whitespace before it. */
	assert_load_err(u, "nnp off#comment\n", "t.profile:1: nnp: expected on or off, got 'off#comment'");
}

static void test_quoted_words(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "env \"A=x y\"\n"
			  "env B=\"say \\\"hi\\\"\"\n"
			  "env \"C=back\\\\slash\"\n"
			  "env \"D=a\\nb\"\n"        /* only \" and \\ are escapes */
			  "env E=a\\b\n"             /* outside quotes: literal */
			  "env \"F=# not a comment\"\n"
			  "env G=\"\"\n"
			  "env \"H=tab\there\"\n"
			  "env I=\"a\"b\"c\"\n"      /* quotes join within a word */
			  "hostname \"web\"\n"
			  "user\t\t5\t\n");
	assert_strv_equal(u->s.env, (char *[]){ "A=x y", "B=say \"hi\"", "C=back\\slash",
						"D=a\\nb", "E=a\\b", "F=# not a comment",
						"G=", "H=tab\there", "I=abc", NULL });
	assert_string_equal(u->s.hostname, "web");
	assert_string_equal(u->s.user.name, "5");
}

static void test_unterminated_quote(void **state)
{
	struct unit *u = *state;

	assert_load_err(u, "env \"A=b\n", "t.profile:1: unterminated quote");
	assert_load_err(u, "user 1\nenv \"A=b\\\"\n", "t.profile:2: unterminated quote");
	assert_load_err(u, "hostname \"", "t.profile:1: unterminated quote");
}

static void test_crlf(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "user 7\r\nhostname h\r\n\r\n# c\r\nenv A=b\r\nrootfs writable\r\n");
	assert_string_equal(u->s.user.name, "7");
	assert_string_equal(u->s.hostname, "h");
	assert_strv_equal(u->s.env, (char *[]){ "A=b", NULL });
	assert_false(u->s.rootfs_readonly);
	assert_load_err(u, "user 1\r\nbogus\r\n", "t.profile:2: unknown directive 'bogus'");

	assert_int_equal(profile_load(&u->s, "crlf", &u->e), 0);
	assert_string_equal(u->s.user.name, "7");
	assert_string_equal(u->s.hostname, "crlf");
}

static void test_last_line_without_newline(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "user 1\nhostname last");
	assert_string_equal(u->s.hostname, "last");
	assert_load_err(u, "user 1\nbogus", "t.profile:2: unknown directive 'bogus'");
}

static void test_line_numbers(void **state)
{
	struct unit *u = *state;

	assert_load_err(u, "# comment\n\nuser 1\n   \nfrobnicate x\nuser 2\n",
			"t.profile:5: unknown directive 'frobnicate'");
	/* Lines before the error were applied, lines after were not. */
	assert_string_equal(u->s.user.name, "1");
}

static void test_overlong_line(void **state)
{
	struct unit *u = *state;
	char *text = xmalloc(PROFILE_MAX_LINE + 64);
	size_t n;

	/* Exactly 4096 bytes is fine (a comment, so it means nothing). */
	n = (size_t)sprintf(text, "user 1\n#");
	memset(text + n, 'a', PROFILE_MAX_LINE - 1);
	n += PROFILE_MAX_LINE - 1;
	strcpy(text + n, "\r\nhostname ok\n");
	u->text[0] = text;
	assert_load_ok(u, text);
	assert_string_equal(u->s.hostname, "ok");

	/* 4097 bytes is not. */
	n = (size_t)sprintf(text, "user 1\n#");
	memset(text + n, 'a', PROFILE_MAX_LINE);
	n += PROFILE_MAX_LINE;
	strcpy(text + n, "\nhostname no\n");
	assert_load_err(u, text, "t.profile:2: line longer than 4096 bytes");
	assert_string_equal(u->s.hostname, "ok");
}

static void test_non_utf8(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "env \"GREETING=h\xc3\xa9llo \xe2\x82\xac\"\n# \xf0\x9f\x98\x80\n");
	assert_string_equal(u->s.env[0], "GREETING=h\xc3\xa9llo \xe2\x82\xac");
	assert_load_err(u, "hostname ok\nenv A=\xff\n", "t.profile:2: not valid UTF-8");
	assert_load_err(u, "env A=\xc0\xaf\n", "t.profile:1: not valid UTF-8");
	assert_load_err(u, "env A=\xed\xa0\x80\n", "t.profile:1: not valid UTF-8");
	/* Comments too: the whole file is text. */
	assert_load_err(u, "user 1\n\n# caf\xe9\n", "t.profile:3: not valid UTF-8");
}

static void test_nul_byte(void **state)
{
	struct unit *u = *state;
	static const char text[] = "user 1\n\0user 2\n";
	const char *path;

	assert_int_equal(unit_loadn(u, text, sizeof(text) - 1), -1);
	assert_err(u, "t.profile: contains a NUL byte (not a text profile)");
	/* Refused whole: not even the lines before it apply. */
	assert_null(u->s.user.name);

	path = unit_writen(u, "nul.profile", text, sizeof(text) - 1);
	assert_int_equal(profile_load(&u->s, path, &u->e), -1);
	assert_err(u, "%s: contains a NUL byte (not a text profile)", path);
}

static void test_too_many_words(void **state)
{
	struct unit *u = *state;
	char line[64 * 8 + 32];
	size_t n;

	/* 64 words: the directive and 63 paths. */
	n = (size_t)sprintf(line, "mask");
	for (int i = 0; i < 63; i++)
		n += (size_t)sprintf(line + n, " /p%d", i);
	assert_load_ok(u, line);
	assert_int_equal(strv_len(u->s.masked), 63);
	sprintf(line + n, " /p63");
	assert_load_err(u, line, "t.profile:1: too many words (more than 64)");
}

static void test_unknown_directive(void **state)
{
	struct unit *u = *state;

	assert_load_err(u, "frobnicate x\n", "t.profile:1: unknown directive 'frobnicate'");
	assert_load_err(u, "User 1\n", "t.profile:1: unknown directive 'User'");
	assert_load_err(u, "\"user\"x 1\n", "t.profile:1: unknown directive 'userx'");
}

static void test_image_directive(void **state)
{
	/* The last of the once-reserved directives (seccomp, limit, cgroup,
	 * setuid, secret, net, image); each is now a real one. */
	struct unit *u = *state;
	const char *d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char text[256];

	unit_fmt(text, sizeof(text), "image digest %s manifest /m\n", d);
	assert_load_ok(u, text);
	assert_string_equal(u->s.image_digest, d);
	assert_string_equal(u->s.image_manifest, "/m");
	assert_load_err(u, "image digest sha256:0\n",
			"t.profile:1: image digest: 'sha256:0' is not sha256: and 64 lowercase hex digits");
	assert_load_err(u, "image sha256:0\n",
			"t.profile:1: image: expected 'image digest sha256:HEX [manifest FILE]'");
}

/* ---- directives ------------------------------------------------------- */

static void test_user(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "user app");
	assert_string_equal(u->s.user.name, "app");
	assert_null(u->s.user.group);
	assert_origin(&u->s.user.origin, "t.profile", 1);

	assert_load_ok(u, "\nuser www-data:web");
	assert_string_equal(u->s.user.name, "www-data");
	assert_string_equal(u->s.user.group, "web");
	assert_origin(&u->s.user.origin, "t.profile", 2);

	/* Two lines: the later wins, group included. */
	assert_load_ok(u, "user a:b\nuser 1000\n");
	assert_string_equal(u->s.user.name, "1000");
	assert_null(u->s.user.group);
	assert_origin(&u->s.user.origin, "t.profile", 2);

	assert_load_err(u, "user\n", "t.profile:1: user: missing argument");
	assert_load_err(u, "user a b\n", "t.profile:1: user: too many arguments");
	assert_load_err(u, "user :x\n", "t.profile:1: user: expected USER[:GROUP], got an empty name");
	assert_load_err(u, "user x:\n", "t.profile:1: user: expected USER[:GROUP], got an empty name");
	assert_load_err(u, "user \"\"\n", "t.profile:1: user: expected USER[:GROUP], got an empty name");
	assert_string_equal(u->s.user.name, "1000");
}

static void test_groups(void **state)
{
	struct unit *u = *state;
	char text[512];
	size_t n;

	assert_load_ok(u, "groups audio 42 \"video x\"");
	assert_strv_equal(u->s.user.groups, (char *[]){ "audio", "42", "video x", NULL });
	assert_load_ok(u, "groups video\n");
	assert_strv_equal(u->s.user.groups, (char *[]){ "video", NULL });
	assert_load_ok(u, "groups none\n");
	assert_null(u->s.user.groups);
	assert_load_ok(u, "groups a\ngroups\n");
	assert_null(u->s.user.groups);

	n = (size_t)sprintf(text, "groups");
	for (int i = 0; i < SPEC_MAX_GROUPS; i++)
		n += (size_t)sprintf(text + n, " g%d", i);
	assert_load_ok(u, text);
	assert_int_equal(strv_len(u->s.user.groups), SPEC_MAX_GROUPS);
	sprintf(text + n, " one-more");
	assert_load_err(u, text, "t.profile:1: groups: at most 32 groups");
}

static void test_hostname(void **state)
{
	struct unit *u = *state;
	char text[128];

	assert_load_ok(u, "hostname web-1.example\n");
	assert_string_equal(u->s.hostname, "web-1.example");
	assert_load_ok(u, "hostname a\nhostname b\n");
	assert_string_equal(u->s.hostname, "b");

	unit_fmt(text, sizeof(text), "hostname %064d", 0);
	assert_load_ok(u, text);
	assert_int_equal(strlen(u->s.hostname), 64);
	unit_fmt(text, sizeof(text), "hostname %065d", 0);
	assert_load_err(u, text, "t.profile:1: hostname: must be 1 to 64 characters");
	assert_load_err(u, "hostname bad_name\n", "t.profile:1: hostname: 'bad_name' is not a valid host name");
	assert_load_err(u, "hostname \"a b\"\n", "t.profile:1: hostname: 'a b' is not a valid host name");
	assert_load_err(u, "hostname h\xc3\xa9\n", "t.profile:1: hostname: 'h\xc3\xa9' is not a valid host name");
	assert_load_err(u, "hostname\n", "t.profile:1: hostname: missing argument");
	assert_load_err(u, "hostname a b\n", "t.profile:1: hostname: too many arguments");
}

static void test_rootfs(void **state)
{
	struct unit *u = *state;

	assert_true(u->s.rootfs_readonly);
	assert_load_ok(u, "rootfs writable\n");
	assert_false(u->s.rootfs_readonly);
	assert_load_ok(u, "rootfs writable\nrootfs readonly\n");
	assert_true(u->s.rootfs_readonly);
	assert_load_err(u, "rootfs rw\n", "t.profile:1: rootfs: expected readonly or writable, got 'rw'");
	assert_load_err(u, "rootfs\n", "t.profile:1: rootfs: missing argument");
}

static void test_tmpfs(void **state)
{
	struct unit *u = *state;
	const struct mount_spec *m;

	assert_load_ok(u, "tmpfs /run\n");
	assert_int_equal(u->s.nmounts, 1);
	m = &u->s.mounts[0];
	assert_int_equal(m->kind, MOUNT_TMPFS);
	assert_null(m->source);
	assert_string_equal(m->target, "/run");
	assert_false(m->readonly);
	assert_false(m->exec); /* noexec by default */
	assert_int_equal(m->size, 0);
	assert_int_equal(m->mode, -1);
	assert_origin(&m->origin, "t.profile", 1);

	assert_load_ok(u, "tmpfs //data/ size=16M mode=0755 exec ro\n");
	assert_int_equal(u->s.nmounts, 2);
	m = &u->s.mounts[1];
	assert_string_equal(m->target, "/data");
	assert_int_equal(m->size, 16 << 20);
	assert_int_equal(m->mode, 0755);
	assert_true(m->exec);
	assert_true(m->readonly);

	/* Within a line, later options win too. */
	assert_load_ok(u, "tmpfs /x exec noexec ro rw size=1K size=2K mode=1777\n");
	m = &u->s.mounts[2];
	assert_false(m->exec);
	assert_false(m->readonly);
	assert_int_equal(m->size, 2048);
	assert_int_equal(m->mode, 01777);
}

static void test_tmpfs_errors(void **state)
{
	struct unit *u = *state;

	assert_load_err(u, "tmpfs\n", "t.profile:1: tmpfs: missing argument");
	assert_load_err(u, "tmpfs run\n",
			"t.profile:1: tmpfs: 'run' is not an absolute path without . or .. parts");
	assert_load_err(u, "tmpfs ./run\n",
			"t.profile:1: tmpfs: './run' is not an absolute path without . or .. parts");
	assert_load_err(u, "tmpfs /run/../etc\n",
			"t.profile:1: tmpfs: '/run/../etc' is not an absolute path without . or .. parts");
	assert_load_err(u, "tmpfs /run/.\n",
			"t.profile:1: tmpfs: '/run/.' is not an absolute path without . or .. parts");
	assert_load_err(u, "tmpfs /run size=12Q\n", "t.profile:1: tmpfs /run: bad size '12Q' (use e.g. 16M)");
	assert_load_err(u, "tmpfs /run size=max\n", "t.profile:1: tmpfs /run: bad size 'max' (use e.g. 16M)");
	assert_load_err(u, "tmpfs /run size=\n", "t.profile:1: tmpfs /run: bad size '' (use e.g. 16M)");
	assert_load_err(u, "tmpfs /run size=17179869184G\n",
			"t.profile:1: tmpfs /run: bad size '17179869184G' (use e.g. 16M)");
	assert_load_err(u, "tmpfs /run mode=999\n", "t.profile:1: tmpfs /run: bad mode '999' (octal, e.g. 0755)");
	assert_load_err(u, "tmpfs /run/ mode=17777\n", "t.profile:1: tmpfs /run: bad mode '17777' (octal, e.g. 0755)");
	assert_load_err(u, "tmpfs /run nosuid\n",
			"t.profile:1: tmpfs /run: unknown option 'nosuid' (size= mode= exec noexec ro rw)");
	assert_int_equal(u->s.nmounts, 0);
}

static void test_tmpfs_same_target_replaces(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "tmpfs /run size=1M\n"
			  "tmpfs /tmp\n"
			  "tmpfs /run/ size=2M exec\n");
	assert_int_equal(u->s.nmounts, 2);
	assert_string_equal(u->s.mounts[0].target, "/run");
	assert_int_equal(u->s.mounts[0].size, 2 << 20);
	assert_true(u->s.mounts[0].exec);
	assert_origin(&u->s.mounts[0].origin, "t.profile", 3);
	assert_string_equal(u->s.mounts[1].target, "/tmp");

	/* A bind on the same target replaces the tmpfs too. */
	assert_load_ok(u, "bind /srv //run\n");
	assert_int_equal(u->s.nmounts, 2);
	assert_int_equal(u->s.mounts[0].kind, MOUNT_BIND);
	assert_string_equal(u->s.mounts[0].source, "/srv");
	assert_int_equal(u->s.mounts[0].size, 0);
}

static void test_bind(void **state)
{
	struct unit *u = *state;
	const struct mount_spec *m;

	assert_load_ok(u, "bind /srv/data /data\n");
	assert_int_equal(u->s.nmounts, 1);
	m = &u->s.mounts[0];
	assert_int_equal(m->kind, MOUNT_BIND);
	assert_string_equal(m->source, "/srv/data");
	assert_string_equal(m->target, "/data");
	assert_true(m->readonly); /* ro by default */
	assert_true(m->exec);
	assert_true(m->recursive);
	assert_int_equal(m->mode, -1);
	assert_origin(&m->origin, "t.profile", 1);

	assert_load_ok(u, "bind \"/srv/with space\" /mnt//x/ rw noexec norecursive\n");
	m = &u->s.mounts[1];
	assert_string_equal(m->source, "/srv/with space");
	assert_string_equal(m->target, "/mnt/x");
	assert_false(m->readonly);
	assert_false(m->exec);
	assert_false(m->recursive);

	assert_load_err(u, "bind /srv\n", "t.profile:1: bind: missing argument");
	assert_load_err(u, "bind srv /data\n", "t.profile:1: bind: source 'srv' must be an absolute host path");
	assert_load_err(u, "bind /srv data\n",
			"t.profile:1: bind: 'data' is not an absolute path without . or .. parts");
	assert_load_err(u, "bind /srv /data/..\n",
			"t.profile:1: bind: '/data/..' is not an absolute path without . or .. parts");
	assert_load_err(u, "bind /srv /data rbind\n",
			"t.profile:1: bind /data: unknown option 'rbind' (ro rw exec noexec norecursive)");
	assert_int_equal(u->s.nmounts, 2);
}

static void test_env(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "env A=1\nenv B=2\nenv AB=3\nenv A=4\nenv _x9=\n");
	assert_strv_equal(u->s.env, (char *[]){ "A=4", "B=2", "AB=3", "_x9=", NULL });
	assert_load_ok(u, "env B=a=b\n");
	assert_strv_equal(u->s.env, (char *[]){ "A=4", "B=a=b", "AB=3", "_x9=", NULL });

	assert_load_err(u, "env\n", "t.profile:1: env: missing argument");
	assert_load_err(u, "env A=1 B=2\n", "t.profile:1: env: too many arguments");
	assert_load_err(u, "env A\n", "t.profile:1: env: expected NAME=VALUE, got 'A'");
	assert_load_err(u, "env =x\n", "t.profile:1: env: expected NAME=VALUE, got '=x'");
	assert_load_err(u, "env 1A=x\n", "t.profile:1: env: '1A' is not a valid variable name");
	assert_load_err(u, "env A-B=x\n", "t.profile:1: env: 'A-B' is not a valid variable name");
	assert_load_err(u, "env \"A B=x\"\n", "t.profile:1: env: 'A B' is not a valid variable name");
}

static void test_cwd(void **state)
{
	struct unit *u = *state;

	assert_string_equal(u->s.cwd, "/");
	assert_load_ok(u, "cwd /srv//app/\n");
	assert_string_equal(u->s.cwd, "/srv/app");
	assert_load_ok(u, "cwd /a\ncwd /b\n");
	assert_string_equal(u->s.cwd, "/b");
	assert_load_err(u, "cwd srv\n", "t.profile:1: cwd: 'srv' is not an absolute path without . or .. parts");
	assert_load_err(u, "cwd /srv/..\n", "t.profile:1: cwd: '/srv/..' is not an absolute path without . or .. parts");
	assert_load_err(u, "cwd\n", "t.profile:1: cwd: missing argument");
	assert_string_equal(u->s.cwd, "/b");
}

static void test_caps(void **state)
{
	struct unit *u = *state;

	assert_int_equal(u->s.caps_keep, 0);
	assert_load_ok(u, "caps keep NET_BIND_SERVICE cap_chown Sys_Ptrace CAP_KILL\n");
	assert_int_equal(u->s.caps_keep, CAPBIT(CAP_NET_BIND_SERVICE) | CAPBIT(CAP_CHOWN) |
						 CAPBIT(CAP_SYS_PTRACE) | CAPBIT(CAP_KILL));
	/* A later line replaces the set, it does not add to it. */
	assert_load_ok(u, "caps keep SETUID\n");
	assert_int_equal(u->s.caps_keep, CAPBIT(CAP_SETUID));
	assert_load_ok(u, "caps none\n");
	assert_int_equal(u->s.caps_keep, 0);

	assert_load_err(u, "caps\n", "t.profile:1: caps: missing argument");
	assert_load_err(u, "caps keep CAP_BOGUS\n", "t.profile:1: caps keep: unknown capability 'CAP_BOGUS'");
	assert_load_err(u, "caps keep CHOWN bogus\n", "t.profile:1: caps keep: unknown capability 'bogus'");
	assert_load_err(u, "caps keep\n", "t.profile:1: caps keep: name at least one capability (or use 'caps none')");
	assert_load_err(u, "caps add CHOWN\n", "t.profile:1: caps: expected 'caps keep CAP...' or 'caps none'");
	assert_load_err(u, "caps none CHOWN\n", "t.profile:1: caps: expected 'caps keep CAP...' or 'caps none'");
	assert_int_equal(u->s.caps_keep, 0);
}

static void test_nnp_init(void **state)
{
	struct unit *u = *state;

	assert_true(u->s.no_new_privs);
	assert_true(u->s.init);
	assert_load_ok(u, "nnp off\ninit off\n");
	assert_false(u->s.no_new_privs);
	assert_false(u->s.init);
	assert_load_ok(u, "nnp on\ninit yes\n");
	assert_true(u->s.no_new_privs);
	assert_true(u->s.init);
	assert_load_ok(u, "nnp false\ninit 0\n");
	assert_false(u->s.no_new_privs);
	assert_false(u->s.init);

	assert_load_err(u, "nnp maybe\n", "t.profile:1: nnp: expected on or off, got 'maybe'");
	assert_load_err(u, "init 2\n", "t.profile:1: init: expected on or off, got '2'");
	assert_load_err(u, "nnp\n", "t.profile:1: nnp: missing argument");
	assert_load_err(u, "init on off\n", "t.profile:1: init: too many arguments");
}

static void test_rlimit(void **state)
{
	struct unit *u = *state;
	const struct rlimit_spec *r;

	assert_load_ok(u, "\nrlimit nofile 1024:4096\n");
	r = &u->s.rlimits[RLIMIT_NOFILE];
	assert_true(r->set);
	assert_int_equal(r->value.rlim_cur, 1024);
	assert_int_equal(r->value.rlim_max, 4096);
	assert_origin(&r->origin, "t.profile", 2);

	/* One value sets both. */
	assert_load_ok(u, "rlimit nproc 64\n");
	r = &u->s.rlimits[RLIMIT_NPROC];
	assert_int_equal(r->value.rlim_cur, 64);
	assert_int_equal(r->value.rlim_max, 64);

	assert_load_ok(u, "rlimit stack 8M:unlimited\nrlimit RLIMIT_AS 1G\nrlimit FSIZE infinity\n");
	assert_int_equal(u->s.rlimits[RLIMIT_STACK].value.rlim_cur, 8 << 20);
	assert_true(u->s.rlimits[RLIMIT_STACK].value.rlim_max == RLIM_INFINITY);
	assert_int_equal(u->s.rlimits[RLIMIT_AS].value.rlim_cur, 1 << 30);
	assert_true(u->s.rlimits[RLIMIT_FSIZE].value.rlim_cur == RLIM_INFINITY);
	assert_true(u->s.rlimits[RLIMIT_FSIZE].value.rlim_max == RLIM_INFINITY);

	/* Overrides the built-in core 0. */
	assert_load_ok(u, "rlimit core 1K\nrlimit core 2K:4K\n");
	assert_int_equal(u->s.rlimits[RLIMIT_CORE].value.rlim_cur, 2048);
	assert_int_equal(u->s.rlimits[RLIMIT_CORE].value.rlim_max, 4096);
	assert_origin(&u->s.rlimits[RLIMIT_CORE].origin, "t.profile", 2);
}

static void test_rlimit_errors(void **state)
{
	struct unit *u = *state;
	static const char *const bad[] = { "abc", "1:", ":1", "-1", "max", "1:2:3", "1.5", "18446744073709551615" };
	char text[128];

	assert_load_err(u, "rlimit bogus 1\n", "t.profile:1: rlimit: unknown resource 'bogus'");
	assert_load_err(u, "rlimit RLIMIT_BOGUS 1\n", "t.profile:1: rlimit: unknown resource 'RLIMIT_BOGUS'");
	assert_load_err(u, "rlimit nofile 10:5\n", "t.profile:1: rlimit nofile: soft limit above hard limit");
	assert_load_err(u, "rlimit nofile unlimited:5\n", "t.profile:1: rlimit nofile: soft limit above hard limit");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		unit_fmt(text, sizeof(text), "rlimit nofile %s\n", bad[i]);
		assert_load_err(u, text, "t.profile:1: rlimit nofile: bad value (a number, 64K, or unlimited; SOFT[:HARD])");
	}
	assert_load_err(u, "rlimit nofile\n", "t.profile:1: rlimit: missing argument");
	assert_load_err(u, "rlimit nofile 1 2\n", "t.profile:1: rlimit: too many arguments");
	assert_false(u->s.rlimits[RLIMIT_NOFILE].set);
}

static void test_namespaces(void **state)
{
	struct unit *u = *state;

	for (int t = 0; t < NS_COUNT; t++)
		assert_true(u->s.ns[t].unshare);
	assert_load_ok(u, "namespaces mnt pid\n");
	for (int t = 0; t < NS_COUNT; t++) {
		assert_int_equal(u->s.ns[t].unshare, t == NS_MNT || t == NS_PID);
		assert_origin(&u->s.ns[t].origin, "t.profile", 1);
	}
	assert_load_ok(u, "namespaces user pid mount network ipc uts cgroup\n");
	for (int t = 0; t < NS_COUNT; t++)
		assert_true(u->s.ns[t].unshare);

	assert_load_err(u, "namespaces\n", "t.profile:1: namespaces: missing argument");
	assert_load_err(u, "namespaces pid net\n",
			"t.profile:1: namespaces: mnt is required (rampart always builds its own mount tree)");
	assert_load_err(u, "namespaces mnt time\n",
			"t.profile:1: namespaces: unknown namespace 'time' (user pid mnt net ipc uts cgroup)");
	assert_load_err(u, "namespaces mnt mnt mnt mnt mnt mnt mnt mnt\n",
			"t.profile:1: namespaces: too many arguments");
	for (int t = 0; t < NS_COUNT; t++)
		assert_true(u->s.ns[t].unshare);
}

static void test_share(void **state)
{
	struct unit *u = *state;
	char text[128];

	assert_load_ok(u, "share net ipc\n");
	for (int t = 0; t < NS_COUNT; t++)
		assert_int_equal(u->s.ns[t].unshare, !(t == NS_NET || t == NS_IPC));
	assert_origin(&u->s.ns[NS_NET].origin, "t.profile", 1);
	/* `namespaces` after `share` sets the whole list again. */
	unit_fmt(text, sizeof(text), "namespaces %s\nshare uts\n", all_ns);
	assert_load_ok(u, text);
	for (int t = 0; t < NS_COUNT; t++)
		assert_int_equal(u->s.ns[t].unshare, t != NS_UTS);

	assert_load_err(u, "share mnt\n", "t.profile:1: share: the mount namespace cannot be shared");
	assert_load_err(u, "share net mount\n", "t.profile:1: share: the mount namespace cannot be shared");
	assert_load_err(u, "share bogus\n",
			"t.profile:1: share: unknown namespace 'bogus' (user pid mnt net ipc uts cgroup)");
	assert_load_err(u, "share\n", "t.profile:1: share: missing argument");
	assert_true(u->s.ns[NS_MNT].unshare);
}

static void test_userns_map(void **state)
{
	struct unit *u = *state;
	const struct idmap want = { 0, 100000, 65536 };

	assert_load_ok(u, "userns map 0 100000 65536\n");
	assert_int_equal(u->s.nuidmap, 1);
	assert_int_equal(u->s.ngidmap, 1);
	assert_memory_equal(&u->s.uidmap[0], &want, sizeof(want));
	assert_memory_equal(&u->s.gidmap[0], &want, sizeof(want));

	assert_load_ok(u, "userns map uid 70000 1 2\nuserns map gid 5 6 7\n");
	assert_int_equal(u->s.nuidmap, 2);
	assert_int_equal(u->s.ngidmap, 2);
	assert_int_equal(u->s.uidmap[1].inside, 70000);
	assert_int_equal(u->s.uidmap[1].outside, 1);
	assert_int_equal(u->s.uidmap[1].count, 2);
	assert_int_equal(u->s.gidmap[1].inside, 5);
	assert_int_equal(u->s.gidmap[1].outside, 6);
	assert_int_equal(u->s.gidmap[1].count, 7);

	assert_load_ok(u, "userns map clear\n");
	assert_int_equal(u->s.nuidmap, 0);
	assert_int_equal(u->s.ngidmap, 0);

	/* The last valid range: inside + count reaches UINT32_MAX. */
	assert_load_ok(u, "userns map uid 4294967294 1 1\n");
	assert_int_equal(u->s.uidmap[0].inside, UINT32_MAX - 1);
}

static void test_userns_map_errors(void **state)
{
	struct unit *u = *state;
	static const char *const bad[] = {
		"0 -1 10", "-1 0 10", "0 1 0", "x 1 1", "0 1 1K", "0 4294967295 2", "4294967295 0 2",
		"4294967296 0 1", "0 0 4294967296", "0 +1 1",
	};
	char text[128];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		unit_fmt(text, sizeof(text), "userns map %s\n", bad[i]);
		assert_load_err(u, text, "t.profile:1: userns map: bad range '%s'", bad[i]);
		unit_fmt(text, sizeof(text), "userns map uid %s\n", bad[i]);
		assert_load_err(u, text, "t.profile:1: userns map: bad range '%s'", bad[i]);
	}
	assert_load_err(u, "userns\n", "t.profile:1: userns: missing argument");
	assert_load_err(u, "userns map\n", "t.profile:1: userns: missing argument");
	assert_load_err(u, "userns map 0 1\n", "t.profile:1: userns map: expected INSIDE OUTSIDE COUNT");
	assert_load_err(u, "userns map uid 0 1\n", "t.profile:1: userns map: expected INSIDE OUTSIDE COUNT");
	assert_load_err(u, "userns map uid 0 1 2 3\n", "t.profile:1: userns: too many arguments");
	assert_load_err(u, "userns set 0 1 2\n",
			"t.profile:1: userns: expected 'userns map [uid|gid] INSIDE OUTSIDE COUNT'");
	assert_int_equal(u->s.nuidmap, 0);
	assert_int_equal(u->s.ngidmap, 0);

	assert_load_ok(u, "userns map 0 100 1\nuserns map 1 200 1\nuserns map 2 300 1\n"
			  "userns map 3 400 1\nuserns map 4 500 1\n");
	assert_load_err(u, "userns map 5 600 1\n", "t.profile:1: userns map: at most 5 ranges");
	assert_load_err(u, "userns map gid 5 600 1\n", "t.profile:1: userns map: at most 5 ranges");
	assert_int_equal(u->s.nuidmap, 5);
}

static void test_mask_readonly(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "mask /proc/kcore //secret/ /proc/kcore\nmask /secret /x\n");
	assert_strv_equal(u->s.masked, (char *[]){ "/proc/kcore", "/secret", "/x", NULL });
	assert_load_ok(u, "readonly /etc/ /usr//local\nreadonly /etc\n");
	assert_strv_equal(u->s.readonly_paths, (char *[]){ "/etc", "/usr/local", NULL });

	assert_load_err(u, "mask /\n", "t.profile:1: mask: refusing '/'");
	assert_load_err(u, "readonly //\n", "t.profile:1: readonly: refusing '/'");
	assert_load_err(u, "mask rel\n", "t.profile:1: mask: 'rel' is not an absolute path without . or .. parts");
	assert_load_err(u, "readonly /etc/../root\n",
			"t.profile:1: readonly: '/etc/../root' is not an absolute path without . or .. parts");
	assert_load_err(u, "mask\n", "t.profile:1: mask: missing argument");
	assert_load_err(u, "readonly\n", "t.profile:1: readonly: missing argument");
}

/* ---- include ---------------------------------------------------------- */

static void test_include_by_name(void **state)
{
	struct unit *u = *state;
	char file[PATH_MAX];

	unit_fmt(file, sizeof(file), "%s/fx_base.profile", FIX);
	assert_load_ok(u, "hostname before\ninclude fx_base\nenv AFTER=1\n");
	assert_string_equal(u->s.user.name, "500");
	assert_string_equal(u->s.user.group, "501");
	assert_origin(&u->s.user.origin, file, 2);
	/* The include overrides what came before it... */
	assert_string_equal(u->s.hostname, "fx-base");
	/* ...and what comes after overrides the include. */
	assert_load_ok(u, "include fx_base\nhostname after\n");
	assert_string_equal(u->s.hostname, "after");
	/* A name may have a directory part. */
	assert_load_ok(u, "include sub/inner\n");
	assert_string_equal(u->s.hostname, "sibling-inner");
}

static void test_include_relative_path(void **state)
{
	struct unit *u = *state;
	char file[PATH_MAX];
	const char *text = "include ../fx_base.profile\ninclude ./inner.profile\n";

	/* Relative to the including file's directory, not the cwd. */
	unit_fmt(file, sizeof(file), "%s/sub/virtual.profile", FIX);
	assert_int_equal(profile_load_text(&u->s, text, strlen(text), file, &u->e), 0);
	assert_string_equal(u->s.user.name, "500");
	assert_string_equal(u->s.hostname, "sibling-inner");

	/* The same from a file on disk. */
	unit_fmt(file, sizeof(file), "%s/sub/rel.profile", FIX);
	assert_int_equal(profile_load(&u->s2, file, &u->e), 0);
	assert_string_equal(u->s2.user.name, "500");
	assert_string_equal(u->s2.hostname, "sibling-inner");
}

static void test_include_absolute_path(void **state)
{
	struct unit *u = *state;
	char text[PATH_MAX + 32];

	unit_fmt(text, sizeof(text), "include %s/fx_base.profile\n", FIX);
	assert_load_ok(u, text);
	assert_string_equal(u->s.hostname, "fx-base");

	assert_load_err(u, "include /nonexistent/x.profile\n",
			"t.profile:1: profile: /nonexistent/x.profile: No such file or directory");
}

static void test_include_own_dir_first(void **state)
{
	struct unit *u = *state;

	/* sub/outer includes "inner": sub/inner wins over FIX/inner. */
	assert_int_equal(profile_load(&u->s, "sub/outer", &u->e), 0);
	assert_string_equal(u->s.hostname, "sibling-inner");
	assert_strv_equal(u->s.profiles, (char *[]){ "sub/outer", NULL });
	/* From the top of the search path it is FIX/inner. */
	assert_int_equal(profile_load(&u->s, "inner", &u->e), 0);
	assert_string_equal(u->s.hostname, "search-path-inner");
	assert_load_ok(u, "include inner\n");
	assert_string_equal(u->s.hostname, "search-path-inner");
}

static void test_include_errors(void **state)
{
	struct unit *u = *state;

	assert_load_err(u, "hostname x\ninclude nope\n", "t.profile:2: include nope: no such profile in %s", FIX);
	assert_load_err(u, "include\n", "t.profile:1: include: missing argument");
	assert_load_err(u, "include a b\n", "t.profile:1: include: too many arguments");
	assert_load_err(u, "include bad$name\n",
			"t.profile:1: include bad$name: not a profile name (letters, digits, -_./+)");
	assert_load_err(u, "include sub/../fx_base\n",
			"t.profile:1: include sub/../fx_base: not a profile name (letters, digits, -_./+)");
	/* An error inside an included file names both places. */
	assert_load_err(u, "hostname a\ninclude broken\n",
			"t.profile:2: %s/broken.profile:3: unknown directive 'frobnicate'", FIX);
	assert_string_equal(u->s.hostname, "ok");
}

static void test_include_cycle(void **state)
{
	struct unit *u = *state;
	const char *fix = FIX;

	assert_int_equal(profile_load(&u->s, "cycle_a", &u->e), -1);
	assert_err(u, "%s/cycle_a.profile:1: %s/cycle_b.profile:1: %s/cycle_a.profile: "
		      "include cycle (this profile includes itself)", fix, fix, fix);
	assert_int_equal(profile_load(&u->s, "self", &u->e), -1);
	assert_err(u, "%s/self.profile:2: %s/self.profile: include cycle (this profile includes itself)", fix, fix);
	assert_load_err(u, "include cycle_b\n",
			"t.profile:1: %s/cycle_b.profile:1: %s/cycle_a.profile:1: %s/cycle_b.profile: "
			"include cycle (this profile includes itself)", fix, fix, fix);
}

static void test_include_depth(void **state)
{
	struct unit *u = *state;
	char name[32], text[64], want[1024];
	size_t n = 0;

	/* 16 files deep is allowed: a/0 includes a/1 ... includes a/15. */
	for (int i = 0; i < PROFILE_MAX_DEPTH; i++) {
		unit_fmt(name, sizeof(name), "a/%d.profile", i);
		if (i == PROFILE_MAX_DEPTH - 1)
			unit_fmt(text, sizeof(text), "hostname deep\n");
		else
			unit_fmt(text, sizeof(text), "include %d\n", i + 1);
		unit_write(u, name, text);
	}
	assert_int_equal(profile_load(&u->s, unit_path(u, "a/0.profile"), &u->e), 0);
	assert_string_equal(u->s.hostname, "deep");

	/* 17 is not. Relative paths (the cwd is the temp dir) keep the
	 * message short enough to hold the whole chain. */
	for (int i = 0; i <= PROFILE_MAX_DEPTH; i++) {
		unit_fmt(name, sizeof(name), "b/%d.profile", i);
		if (i == PROFILE_MAX_DEPTH)
			unit_fmt(text, sizeof(text), "hostname deeper\n");
		else
			unit_fmt(text, sizeof(text), "# level %d\ninclude %d\n", i, i + 1);
		unit_write(u, name, text);
		if (i < PROFILE_MAX_DEPTH)
			n += (size_t)snprintf(want + n, sizeof(want) - n, "b/%d.profile:2: ", i);
	}
	unit_fmt(want + n, sizeof(want) - n, "b/16.profile: includes nested deeper than 16");
	assert_int_equal(profile_load(&u->s, "b/0.profile", &u->e), -1);
	assert_err(u, "%s", want);
	assert_string_equal(u->s.hostname, "deep");
}

static void test_profile_load_names(void **state)
{
	struct unit *u = *state;
	char path[PATH_MAX];

	assert_int_equal(profile_load(&u->s, "fx_base", &u->e), 0);
	assert_int_equal(profile_load(&u->s, "crlf", &u->e), 0);
	assert_strv_equal(u->s.profiles, (char *[]){ "fx_base", "crlf", NULL });
	assert_string_equal(u->s.hostname, "crlf");
	assert_string_equal(u->s.user.name, "7");

	assert_int_equal(profile_load(&u->s, "nope", &u->e), -1);
	assert_err(u, "profile: nope: no such profile in %s", FIX);
	assert_int_equal(profile_load(&u->s, "bad name", &u->e), -1);
	assert_err(u, "profile: 'bad name' is not a profile name or path");
	unit_fmt(path, sizeof(path), "%s/nope.profile", u->dir);
	assert_int_equal(profile_load(&u->s, path, &u->e), -1);
	assert_err(u, "profile: %s: No such file or directory", path);
	assert_int_equal(profile_load(&u->s, u->dir, &u->e), -1);
	assert_err(u, "profile: %s: not a regular file", u->dir);
}

/* ---- --set ------------------------------------------------------------ */

static void test_apply_line(void **state)
{
	struct unit *u = *state;

	assert_load_ok(u, "user 1\nhostname from-profile\ntmpfs /x size=1M\n");
	assert_int_equal(profile_apply_line(&u->s, "user 42:43", "--set", 1, &u->e), 0);
	assert_string_equal(u->s.user.name, "42");
	assert_string_equal(u->s.user.group, "43");
	assert_origin(&u->s.user.origin, "--set", 1);
	assert_int_equal(profile_apply_line(&u->s, "tmpfs /x size=2M", "--set", 2, &u->e), 0);
	assert_int_equal(u->s.nmounts, 1);
	assert_int_equal(u->s.mounts[0].size, 2 << 20);
	assert_origin(&u->s.mounts[0].origin, "--set", 2);
	assert_int_equal(profile_apply_line(&u->s, "hostname \"set-by-flag\" # why", "--set", 3, &u->e), 0);
	assert_string_equal(u->s.hostname, "set-by-flag");
	assert_int_equal(profile_apply_line(&u->s, "", "--set", 4, &u->e), 0);
	assert_int_equal(profile_apply_line(&u->s, "# nothing", "--set", 5, &u->e), 0);
	assert_string_equal(u->s.hostname, "set-by-flag");

	assert_int_equal(profile_apply_line(&u->s, "bogus", "--set", 3, &u->e), -1);
	assert_err(u, "--set:3: unknown directive 'bogus'");
	assert_int_equal(profile_apply_line(&u->s, "image x", "--set", 1, &u->e), -1);
	assert_err(u, "--set:1: image: expected 'image digest sha256:HEX [manifest FILE]'");
	assert_int_equal(profile_apply_line(&u->s, "share mnt", "--set", 2, &u->e), -1);
	assert_err(u, "--set:2: share: the mount namespace cannot be shared");
	assert_int_equal(profile_apply_line(&u->s, "env \"A=b", "--set", 1, &u->e), -1);
	assert_err(u, "--set:1: unterminated quote");
	assert_int_equal(profile_apply_line(&u->s, "env A=\xff", "--set", 1, &u->e), -1);
	assert_err(u, "--set:1: not valid UTF-8");
	/* Line 0 leaves the number out. */
	assert_int_equal(profile_apply_line(&u->s, "bogus", "--set", 0, &u->e), -1);
	assert_err(u, "--set: unknown directive 'bogus'");
	/* A newline smuggled into a --set cannot forge a second log line. */
	assert_int_equal(profile_apply_line(&u->s, "bogus\nrampart: ok", "--set", 1, &u->e), -1);
	assert_null(strchr(u->e.msg, '\n'));
}

static void test_apply_line_include(void **state)
{
	struct unit *u = *state;

	assert_int_equal(profile_apply_line(&u->s, "include fx_base", "--set", 1, &u->e), 0);
	assert_string_equal(u->s.hostname, "fx-base");
	assert_int_equal(profile_apply_line(&u->s, "include nope", "--set", 2, &u->e), -1);
	assert_err(u, "--set:2: include nope: no such profile in %s", FIX);
	assert_int_equal(profile_apply_line(&u->s, "include cycle_a", "--set", 1, &u->e), -1);
	assert_err_prefix(u, "--set:1: %s/cycle_a.profile:1: ", FIX);
}

/* ---- profile_print round trip ---------------------------------------- */

static void test_print_round_trip(void **state)
{
	struct unit *u = *state;
	struct spec *a = &u->s, *b = &u->s2;
	const char *out;

	assert_int_equal(profile_load(a, "rich", &u->e), 0);
	/* Spot checks that the rich profile is what it says. */
	assert_string_equal(a->user.name, "app");
	assert_string_equal(a->user.group, "extra");
	assert_int_equal(a->nmounts, 5);
	assert_string_equal(a->mounts[4].target, "/mnt/x");
	assert_string_equal(a->mounts[4].source, "/srv/with space#x");
	assert_false(a->ns[NS_NET].unshare);
	assert_false(a->ns[NS_CGROUP].unshare);
	assert_int_equal(a->nuidmap, 2);
	assert_int_equal(a->ngidmap, 1);
	assert_true(a->rlimits[RLIMIT_CORE].value.rlim_cur == RLIM_INFINITY);
	assert_string_equal(a->cwd, "/srv/app");
	assert_int_equal(strv_len(a->env), 5);
	assert_int_equal(a->seccomp.default_action.errnum, EACCES);
	assert_int_equal(a->seccomp.nrules, 8);

	out = print_spec(u, 0, a);
	if (profile_load_text(b, out, strlen(out), "printed", &u->e) < 0)
		fail_msg("reloading the printed profile: %s\n%s", u->e.msg, out);
	assert_spec_equal(a, b);

	/* And the printout is a fixed point. */
	spec_free(a);
	spec_init(a);
	out = print_spec(u, 0, b);
	assert_int_equal(profile_load_text(a, out, strlen(out), "printed", &u->e), 0);
	assert_string_equal(print_spec(u, 1, a), out);
}

static void test_print_round_trip_defaults(void **state)
{
	struct unit *u = *state;
	const char *out;

	/* The defaults print as base.profile says, and read back the same
	 * (the user then has an explicit name, the same ids). */
	out = print_spec(u, 0, &u->s);
	assert_non_null(strstr(out, "\nnamespaces user pid mnt net ipc uts cgroup\n"));
	assert_non_null(strstr(out, "\nuser 65534:65534\n"));
	assert_non_null(strstr(out, "\ncaps none\nnnp on\n"));
	assert_non_null(strstr(out, "\nrlimit core 0:0\n"));
	assert_non_null(strstr(out, "\nrootfs readonly\n"));
	assert_non_null(strstr(out, "\nhostname rampart\ncwd /\ninit on\n"));
	assert_int_equal(profile_load_text(&u->s2, out, strlen(out), "printed", &u->e), 0);
	assert_string_equal(u->s2.user.name, "65534");
	assert_string_equal(u->s2.user.group, "65534");
	free(u->s.user.name);
	u->s.user.name = xstrdup("65534");
	u->s.user.group = xstrdup("65534");
	assert_spec_equal(&u->s, &u->s2);
}

/* Regression (runtime/profile_print.c): print_mount() wrote tmpfs and bind
 * targets, and profile_print() the mask and readonly paths and cwd, with a
 * bare "%s" instead of print_word(), so a path with a space (or a '"')
 * falls apart into several words when the output is read back:
 * `tmpfs "/data dir"` prints as `tmpfs /data dir` and fails with
 * "tmpfs /data: unknown option 'dir'". profile.h promises that the output
 * read back gives the same spec. */
static void test_regression_print_round_trip_paths_with_spaces(void **state)
{
	struct unit *u = *state;
	const char *out;

	/* An explicit user: the built-in default prints as one. */
	assert_load_ok(u, "user 1\n"
			  "tmpfs \"/data dir\" size=1M\n"
			  "bind /srv \"/mnt/my data\"\n"
			  "mask \"/a b\"\n"
			  "readonly \"/c d\"\n"
			  "cwd \"/srv/my app\"\n");
	out = print_spec(u, 0, &u->s);
	if (profile_load_text(&u->s2, out, strlen(out), "printed", &u->e) < 0)
		fail_msg("printed profile does not read back: %s\n%s", u->e.msg, out);
	assert_spec_equal(&u->s, &u->s2);
}

/* Regression (runtime/profile.c d_hostname(), runtime/profile_print.c
 * profile_print()): `hostname ""` was accepted (the length check is only
 * n > 64), but it prints as "hostname " which reads back as
 * "hostname: missing argument". Either refuse the empty name or print it
 * quoted. */
static void test_regression_empty_hostname_refused(void **state)
{
	struct unit *u = *state;

	assert_load_err(u, "hostname \"\"\n", "t.profile:1: hostname: must be 1 to 64 characters");
}

/* Regression (runtime/profile.c d_include(): `strcpy(dir, ".")` when the
 * file name had no '/', then find_profile() tried that dir first): for
 * `--set 'include NAME'` (file "--set") the *current directory* was searched
 * before RAMPART_PROFILE_PATH, so a NAME.profile planted in whatever
 * directory rampart is started from (e.g. /tmp) replaces the real profile
 * and can open everything up (caps, shared namespaces, user 0). */
static void test_regression_set_include_ignores_cwd(void **state)
{
	struct unit *u = *state;

	/* The cwd is the test's temp dir. */
	unit_write(u, "fx_base.profile", "hostname hijacked\ncaps keep SYS_ADMIN\n");
	assert_int_equal(profile_apply_line(&u->s, "include fx_base", "--set", 1, &u->e), 0);
	assert_string_equal(u->s.hostname, "fx-base");
	assert_int_equal(u->s.caps_keep, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_empty_profile),
		UNIT_TEST(test_comments_after_directives),
		UNIT_TEST(test_quoted_words),
		UNIT_TEST(test_unterminated_quote),
		UNIT_TEST(test_crlf),
		UNIT_TEST(test_last_line_without_newline),
		UNIT_TEST(test_line_numbers),
		UNIT_TEST(test_overlong_line),
		UNIT_TEST(test_non_utf8),
		UNIT_TEST(test_nul_byte),
		UNIT_TEST(test_too_many_words),
		UNIT_TEST(test_unknown_directive),
		UNIT_TEST(test_image_directive),
		UNIT_TEST(test_user),
		UNIT_TEST(test_groups),
		UNIT_TEST(test_hostname),
		UNIT_TEST(test_rootfs),
		UNIT_TEST(test_tmpfs),
		UNIT_TEST(test_tmpfs_errors),
		UNIT_TEST(test_tmpfs_same_target_replaces),
		UNIT_TEST(test_bind),
		UNIT_TEST(test_env),
		UNIT_TEST(test_cwd),
		UNIT_TEST(test_caps),
		UNIT_TEST(test_nnp_init),
		UNIT_TEST(test_rlimit),
		UNIT_TEST(test_rlimit_errors),
		UNIT_TEST(test_namespaces),
		UNIT_TEST(test_share),
		UNIT_TEST(test_userns_map),
		UNIT_TEST(test_userns_map_errors),
		UNIT_TEST(test_mask_readonly),
		UNIT_TEST(test_include_by_name),
		UNIT_TEST(test_include_relative_path),
		UNIT_TEST(test_include_absolute_path),
		UNIT_TEST(test_include_own_dir_first),
		UNIT_TEST(test_include_errors),
		UNIT_TEST(test_include_cycle),
		UNIT_TEST(test_include_depth),
		UNIT_TEST(test_profile_load_names),
		UNIT_TEST(test_apply_line),
		UNIT_TEST(test_apply_line_include),
		UNIT_TEST(test_print_round_trip),
		UNIT_TEST(test_print_round_trip_defaults),
		UNIT_TEST(test_regression_print_round_trip_paths_with_spaces),
		UNIT_TEST(test_regression_empty_hostname_refused),
		UNIT_TEST(test_regression_set_include_ignores_cwd),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
