/* test_spec.c - spec defaults, setters, and spec_validate() against a small
 * rootfs made in the test's temp dir.
 *
 * Tests named test_regression_* guard bugs found by this suite and fixed;
 * each says what was wrong above it. Assertions that need root (the
 * id maps root chooses) are skipped when not run as root.
 */
#include "unit.h"

#include <linux/capability.h>

static const char passwd[] =
	"root:x:0:0:root:/root:/bin/sh\n"
	"apple:x:1500:1500:not app:/home/apple:/bin/sh\n"
	"app:x:1000:1000:The App:/home/app:/bin/sh\n"
	"nohome:x:1001:1001::relative/home:/bin/sh\n"
	"badgid:x:1002:zz::/:/bin/sh\n"
	"baduid:x:-1:1::/:/bin/sh\n"
	"short:x:1003\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";

static const char group[] =
	"root:x:0:\n"
	"app:x:1000:\n"
	"extra:x:2000:app\n"
	"audio:x:29:\n"
	"nogroup:x:65534:\n";

/* The spec's rootfs, a command, and the one syscall spec_validate insists
 * on (the default allowlist is empty). Writes nothing. */
static void setup_spec(struct unit *u)
{
	free(u->s.rootfs);
	u->s.rootfs = xstrdup(unit_path(u, "rootfs"));
	strv_push(&u->s.argv, "/bin/sh");
	if (profile_apply_line(&u->s, "seccomp allow execve", "setup_spec", 1, &u->e) < 0)
		fail_msg("%s", u->e.msg);
}

/* A rootfs with /etc/passwd and /etc/group, and the spec set up for it. */
static void make_rootfs(struct unit *u)
{
	unit_write(u, "rootfs/etc/passwd", passwd);
	unit_write(u, "rootfs/etc/group", group);
	setup_spec(u);
}

/* A fresh spec on the same rootfs (whose files are left as they are).
 * spec_validate fills in the id maps it chooses, so each spec here is
 * validated once: validated again rootless, it would take those maps for
 * the profile's own. */
static void fresh(struct unit *u)
{
	spec_free(&u->s);
	spec_init(&u->s);
	setup_spec(u);
}

/* Profile text applied to a fresh spec. */
static int load_fresh(struct unit *u, const char *text)
{
	fresh(u);
	return unit_load(u, text);
}

static int validate(struct unit *u)
{
	return spec_validate(&u->s, &u->e);
}

#define assert_valid(u)                                                      \
	do {                                                                 \
		if (validate(u) != 0)                                        \
			fail_msg("spec_validate: %s", (u)->e.msg);           \
	} while (0)

#define skip_unless_root()                                                   \
	do {                                                                 \
		if (geteuid() != 0) {                                        \
			print_message("(not root: skipped)\n");              \
			skip();                                              \
		}                                                            \
	} while (0)

static void assert_map(const struct idmap *m, uint32_t inside, uint32_t outside, uint32_t count)
{
	assert_int_equal(m->inside, inside);
	assert_int_equal(m->outside, outside);
	assert_int_equal(m->count, count);
}

/* ---- defaults and setters -------------------------------------------- */

static void test_spec_init_defaults(void **state)
{
	struct unit *u = *state;
	const struct spec *s = &u->s;

	for (int t = 0; t < NS_COUNT; t++) {
		assert_true(s->ns[t].unshare);
		assert_null(s->ns[t].origin.file);
	}
	assert_int_equal(s->caps_keep, 0);
	assert_true(s->no_new_privs);
	assert_true(s->rootfs_readonly);
	assert_true(s->rlimits[RLIMIT_CORE].set);
	assert_int_equal(s->rlimits[RLIMIT_CORE].value.rlim_cur, 0);
	assert_int_equal(s->rlimits[RLIMIT_CORE].value.rlim_max, 0);
	for (int r = 0; r < RLIM_NLIMITS; r++)
		if (r != RLIMIT_CORE)
			assert_false(s->rlimits[r].set);
	assert_string_equal(s->hostname, "rampart");
	assert_string_equal(s->cwd, "/");
	assert_true(s->init);
	assert_null(s->user.name);
	assert_null(s->user.group);
	assert_null(s->user.groups);
	assert_null(s->rootfs);
	assert_null(s->argv);
	assert_null(s->env);
	assert_int_equal(s->nmounts, 0);
	assert_null(s->masked);
	assert_null(s->readonly_paths);
	assert_int_equal(s->nuidmap, 0);
	assert_int_equal(s->ngidmap, 0);
	assert_false(s->rootless);
	/* seccomp on, with an empty allowlist that answers EPERM. */
	assert_true(s->seccomp.enabled);
	assert_int_equal(s->seccomp.default_action.kind, SC_ERRNO);
	assert_int_equal(s->seccomp.default_action.errnum, EPERM);
	assert_int_equal(s->seccomp.nrules, 0);
}

static void test_spec_free_twice(void **state)
{
	struct unit *u = *state;

	/* spec_free leaves a zeroed spec: freeing again is harmless. */
	assert_int_equal(unit_load(u, "env A=1\ntmpfs /x\nmask /m\ngroups a\nuser b:c\n"), 0);
	spec_free(&u->s);
	assert_null(u->s.hostname);
	assert_int_equal(u->s.nmounts, 0);
	spec_free(&u->s);
	spec_init(&u->s);
}

static void test_intern(void **state)
{
	struct unit *u = *state;
	char name[32] = "base.profile";
	const char *a = spec_intern(&u->s, name);
	const char *b;

	assert_string_equal(a, "base.profile");
	assert_ptr_not_equal(a, name); /* a copy */
	strcpy(name, "other");
	b = spec_intern(&u->s, "other");
	/* Interning more does not move what was interned before. */
	for (int i = 0; i < 50; i++) {
		unit_fmt(name, sizeof(name), "f%d", i);
		spec_intern(&u->s, name);
	}
	assert_ptr_equal(spec_intern(&u->s, "base.profile"), a);
	assert_ptr_equal(spec_intern(&u->s, "other"), b);
	assert_string_equal(a, "base.profile");
}

static void test_set_env_replaces_by_name(void **state)
{
	struct unit *u = *state;
	char buf[16];

	spec_set_env(&u->s, "A=1");
	spec_set_env(&u->s, "AB=2");
	spec_set_env(&u->s, "B=3");
	spec_set_env(&u->s, "A=4");   /* replaces A, not AB */
	spec_set_env(&u->s, "AB=");   /* replaces AB with empty */
	strcpy(buf, "B=5");
	spec_set_env(&u->s, buf);
	strcpy(buf, "B=6");           /* the spec holds its own copy */
	assert_int_equal(strv_len(u->s.env), 3);
	assert_string_equal(u->s.env[0], "A=4");
	assert_string_equal(u->s.env[1], "AB=");
	assert_string_equal(u->s.env[2], "B=5");
	spec_set_env(&u->s, "C=a=b");
	spec_set_env(&u->s, "C=c");
	assert_int_equal(strv_len(u->s.env), 4);
	assert_string_equal(u->s.env[3], "C=c");
}

static void test_add_mount_replaces_same_target(void **state)
{
	struct unit *u = *state;
	char src[32] = "/srv", tgt[32] = "/data";
	struct mount_spec m = { .kind = MOUNT_BIND, .source = src, .target = tgt, .readonly = true,
				.exec = true, .recursive = true, .mode = -1 };
	struct mount_spec t = { .kind = MOUNT_TMPFS, .target = "/tmp", .size = 1024, .mode = 01777 };

	spec_add_mount(&u->s, &m);
	spec_add_mount(&u->s, &t);
	/* The spec copied the strings. */
	strcpy(src, "/changed");
	strcpy(tgt, "/changed");
	assert_int_equal(u->s.nmounts, 2);
	assert_string_equal(u->s.mounts[0].source, "/srv");
	assert_string_equal(u->s.mounts[0].target, "/data");
	assert_null(u->s.mounts[1].source);
	assert_int_equal(u->s.mounts[1].mode, 01777);

	/* Same target: replaced in place, order kept. */
	t.target = "/data";
	t.size = 4096;
	spec_add_mount(&u->s, &t);
	assert_int_equal(u->s.nmounts, 2);
	assert_int_equal(u->s.mounts[0].kind, MOUNT_TMPFS);
	assert_null(u->s.mounts[0].source);
	assert_string_equal(u->s.mounts[0].target, "/data");
	assert_int_equal(u->s.mounts[0].size, 4096);
	assert_string_equal(u->s.mounts[1].target, "/tmp");

	m.target = "/tmp";
	strcpy(src, "/other");
	spec_add_mount(&u->s, &m);
	assert_int_equal(u->s.nmounts, 2);
	assert_int_equal(u->s.mounts[1].kind, MOUNT_BIND);
	assert_string_equal(u->s.mounts[1].source, "/other");
}

static void test_ns_names(void **state)
{
	(void)state;
	assert_string_equal(ns_name(NS_USER), "user");
	assert_string_equal(ns_name(NS_MNT), "mnt");
	assert_string_equal(ns_name(NS_CGROUP), "cgroup");
	for (int t = 0; t < NS_COUNT; t++)
		assert_int_equal(ns_from_name(ns_name(t)), t);
	assert_int_equal(ns_from_name("mount"), NS_MNT);
	assert_int_equal(ns_from_name("network"), NS_NET);
	assert_int_equal(ns_from_name("time"), -1);
	assert_int_equal(ns_from_name("MNT"), -1);
	assert_int_equal(ns_from_name(""), -1);
}

/* ---- spec_validate: the user ------------------------------------------- */

static void test_validate_default_user(void **state)
{
	struct unit *u = *state;

	make_rootfs(u);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, SPEC_DEFAULT_UID);
	assert_int_equal(u->s.user.gid, SPEC_DEFAULT_GID);
	assert_null(u->s.user.home);
	assert_int_equal(u->s.user.ngids, 0);
}

static void test_validate_user_by_name(void **state)
{
	struct unit *u = *state;

	make_rootfs(u);
	assert_int_equal(load_fresh(u, "user app\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, 1000);
	assert_int_equal(u->s.user.gid, 1000);
	assert_string_equal(u->s.user.home, "/home/app");

	/* A home that is not absolute is not used. */
	assert_int_equal(load_fresh(u, "user nohome\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, 1001);
	assert_null(u->s.user.home);
}

static void test_validate_user_and_group(void **state)
{
	struct unit *u = *state;

	make_rootfs(u);
	assert_int_equal(load_fresh(u, "user app:extra\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, 1000);
	assert_int_equal(u->s.user.gid, 2000);
	assert_string_equal(u->s.user.home, "/home/app");

	assert_int_equal(load_fresh(u, "user app:3000\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.gid, 3000);

	assert_int_equal(load_fresh(u, "user 1234:extra\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, 1234);
	assert_int_equal(u->s.user.gid, 2000);
}

static void test_validate_numeric_user(void **state)
{
	struct unit *u = *state;

	make_rootfs(u);
	assert_int_equal(load_fresh(u, "user 1234\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, 1234);
	assert_int_equal(u->s.user.gid, 1234); /* as docker does */
	assert_null(u->s.user.home);

	assert_int_equal(load_fresh(u, "user 0\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, 0);
	assert_int_equal(u->s.user.gid, 0);
}

static void test_validate_groups(void **state)
{
	struct unit *u = *state;

	skip_unless_root(); /* rootless refuses supplementary groups */
	make_rootfs(u);
	assert_int_equal(load_fresh(u, "user app\ngroups extra 3000 audio\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.ngids, 3);
	assert_int_equal(u->s.user.gids[0], 2000);
	assert_int_equal(u->s.user.gids[1], 3000);
	assert_int_equal(u->s.user.gids[2], 29);
	assert_int_equal(u->s.user.gid, 1000);

	/* Validating again (after `groups none`) does not pile up. */
	assert_int_equal(unit_load(u, "groups none\n"), 0); /* same spec: root re-validates */
	assert_valid(u);
	assert_int_equal(u->s.user.ngids, 0);
}

static void test_validate_unknown_user_or_group(void **state)
{
	struct unit *u = *state;

	make_rootfs(u);
	assert_int_equal(load_fresh(u, "# c\nuser x\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:2: user 'x' not found in the rootfs's /etc/passwd");
	/* Prefixes of real names are not matches. */
	assert_int_equal(load_fresh(u, "user ap\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:1: user 'ap' not found in the rootfs's /etc/passwd");
	/* A host user that the image does not have. */
	assert_int_equal(profile_apply_line(&u->s, "user daemon", "--set", 1, &u->e), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "--set:1: user 'daemon' not found in the rootfs's /etc/passwd");
	/* Broken entries. */
	assert_int_equal(load_fresh(u, "user baduid\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:1: user 'baduid' not found in the rootfs's /etc/passwd");
	assert_int_equal(load_fresh(u, "user short\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:1: user 'short' not found in the rootfs's /etc/passwd");
	assert_int_equal(load_fresh(u, "user badgid\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:1: user 'badgid': bad gid in /etc/passwd");

	assert_int_equal(load_fresh(u, "user app:nope\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:1: group 'nope' not found in the rootfs's /etc/group");
}

static void test_validate_no_passwd(void **state)
{
	struct unit *u = *state;

	make_rootfs(u);
	unlink(unit_path(u, "rootfs/etc/passwd"));
	unlink(unit_path(u, "rootfs/etc/group"));
	/* Numeric ids need no /etc/passwd. */
	assert_int_equal(load_fresh(u, "user 1234:4321\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, 1234);
	assert_int_equal(u->s.user.gid, 4321);
	assert_int_equal(load_fresh(u, "user app\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:1: user 'app' not found in the rootfs's /etc/passwd");
}

/* An image whose /etc/passwd is a symlink to an absolute path: the link
 * is followed inside the rootfs, never to the host's file of that name. */
static void test_validate_passwd_symlink_stays_in_rootfs(void **state)
{
	struct unit *u = *state;
	char target[PATH_MAX + 32];

	make_rootfs(u);
	unlink(unit_path(u, "rootfs/etc/passwd"));
	unlink(unit_path(u, "rootfs/etc/group"));
	unit_write(u, "rootfs/etc/realpasswd", "inside:x:4242:4343:in:/home/inside:/bin/sh\n");
	unit_write(u, "rootfs/etc/realgroup", "ingroup:x:4444:\n");
	assert_int_equal(symlink("/etc/realpasswd", unit_path(u, "rootfs/etc/passwd")), 0);
	assert_int_equal(symlink("/etc/realgroup", unit_path(u, "rootfs/etc/group")), 0);

	assert_int_equal(load_fresh(u, "user inside:ingroup\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, 4242);
	assert_int_equal(u->s.user.gid, 4444);
	assert_string_equal(u->s.user.home, "/home/inside");
	/* root is in every host's /etc/passwd, not in this image's. */
	assert_int_equal(load_fresh(u, "user root\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:1: user 'root' not found in the rootfs's /etc/passwd");
	assert_int_equal(load_fresh(u, "user inside:root\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:1: group 'root' not found in the rootfs's /etc/group");

	/* A link to a host path that exists on the host too: the rootfs's
	 * copy at that path is read, not the host's. */
	unit_write(u, "hostside/passwd", "hostonly:x:7777:7777::/h:/bin/sh\n");
	unit_fmt(target, sizeof(target), "rootfs%s/hostside/passwd", u->dir);
	unit_write(u, target, "jailed:x:8888:8888::/j:/bin/sh\n");
	unlink(unit_path(u, "rootfs/etc/passwd"));
	assert_int_equal(symlink(unit_path(u, "hostside/passwd"), unit_path(u, "rootfs/etc/passwd")), 0);
	assert_int_equal(load_fresh(u, "user jailed\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, 8888);
	assert_int_equal(load_fresh(u, "user hostonly\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:1: user 'hostonly' not found in the rootfs's /etc/passwd");

	/* A relative link climbing out stops at the rootfs's "/". */
	unlink(unit_path(u, "rootfs/etc/passwd"));
	assert_int_equal(symlink("../../../../../../../../../../etc/realpasswd",
				 unit_path(u, "rootfs/etc/passwd")), 0);
	assert_int_equal(load_fresh(u, "user inside\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.user.uid, 4242);
}

/* Regression (runtime/spec.c resolve_user(): every resolve_group() call got
 * &u->origin, the `user` line's origin; d_groups() in runtime/profile.c
 * records no origin for `groups`): an unknown supplementary group is
 * reported at the `user` line (or as "spec:" when there is no user line)
 * instead of the `groups` line that names it. */
static void test_regression_unknown_supplementary_group_names_groups_line(void **state)
{
	struct unit *u = *state;

	skip_unless_root();
	make_rootfs(u);
	assert_int_equal(load_fresh(u, "user app\ngroups extra nope\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:2: group 'nope' not found in the rootfs's /etc/group");
}

/* ---- spec_validate: id maps ------------------------------------------ */

static void test_validate_default_idmaps_as_root(void **state)
{
	struct unit *u = *state;

	skip_unless_root();
	make_rootfs(u);
	assert_int_equal(load_fresh(u, "user app\n"), 0);
	assert_valid(u);
	assert_false(u->s.rootless);
	assert_int_equal(u->s.nuidmap, 1);
	assert_int_equal(u->s.ngidmap, 1);
	assert_map(&u->s.uidmap[0], 0, 100000, 65536);
	assert_map(&u->s.gidmap[0], 0, 100000, 65536);
	assert_map(&u->s.uidmap[0], 0, SPEC_DEFAULT_MAP_OUTSIDE, SPEC_DEFAULT_MAP_COUNT);
}

/* spec_validate as an unprivileged caller: as root, with the effective
 * ids switched to 65534 for just that call (the temp dir opened up so
 * that nobody can read the rootfs). Returns the ids it ran with. */
static int validate_unprivileged(struct unit *u, uid_t *uid, gid_t *gid)
{
	uid_t saved_uid = geteuid();
	gid_t saved_gid = getegid();
	bool ok = true;
	int r;

	if (saved_uid == 0)
		ok = chmod(u->dir, 0755) == 0 && setegid(65534) == 0 && seteuid(65534) == 0;
	*uid = geteuid();
	*gid = getegid();
	r = ok ? validate(u) : -2;
	if (saved_uid == 0 && (seteuid(0) < 0 || setegid(saved_gid) < 0))
		abort(); /* cannot go on as the wrong user */
	if (r == -2)
		fail_msg("cannot switch to uid 65534: %s", strerror(errno));
	return r;
}

static void test_validate_rootless(void **state)
{
	struct unit *u = *state;
	uid_t uid;
	gid_t gid;

	make_rootfs(u);
	assert_int_equal(load_fresh(u, "user app\n"), 0);
	if (validate_unprivileged(u, &uid, &gid) != 0)
		fail_msg("spec_validate: %s", u->e.msg);
	assert_true(u->s.rootless);
	assert_int_equal(u->s.user.uid, 1000);
	assert_int_equal(u->s.nuidmap, 1);
	assert_int_equal(u->s.ngidmap, 1);
	/* Exactly one id, the caller's own, as the container user. */
	assert_map(&u->s.uidmap[0], 1000, uid, 1);
	assert_map(&u->s.gidmap[0], 1000, gid, 1);
}

static void test_validate_rootless_refusals(void **state)
{
	static const struct {
		const char *profile, *msg;
	} cases[] = {
		{ "userns map 0 100000 65536\n",
		  "spec: userns map: only root can map id ranges; rootless maps your own uid (to the container user)" },
		{ "user app\ngroups extra\n",
		  "spec: groups: supplementary groups need root (rootless has setgroups denied)" },
		{ "share user\n", "spec: rootless launch needs a user namespace (drop 'share user')" },
	};
	struct unit *u = *state;
	uid_t uid;
	gid_t gid;

	make_rootfs(u);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(load_fresh(u, cases[i].profile), 0);
		assert_int_equal(validate_unprivileged(u, &uid, &gid), -1);
		assert_err(u, "%s", cases[i].msg);
	}
}

static void test_validate_custom_map(void **state)
{
	struct unit *u = *state;

	skip_unless_root();
	make_rootfs(u);
	/* uid map given, gid map defaulted. */
	assert_int_equal(load_fresh(u, "userns map uid 0 200000 1001\nuser app\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.nuidmap, 1);
	assert_map(&u->s.uidmap[0], 0, 200000, 1001);
	assert_int_equal(u->s.ngidmap, 1);
	assert_map(&u->s.gidmap[0], 0, 100000, 65536);
}

static void test_validate_target_outside_map(void **state)
{
	struct unit *u = *state;

	skip_unless_root();
	make_rootfs(u);
	assert_int_equal(load_fresh(u, "userns map 0 200000 1000\nuser app\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: user: uid 1000 is not in the user namespace's uid map");

	assert_int_equal(load_fresh(u, "userns map uid 0 200000 65536\nuserns map gid 0 300000 1000\nuser app\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: user: gid 1000 is not in the user namespace's gid map");

	assert_int_equal(load_fresh(u, "userns map 0 200000 1500\nuser app\ngroups extra\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: groups: gid 2000 is not in the gid map");

	/* The default user 65534 is outside a small map too. */
	assert_int_equal(load_fresh(u, "userns map 0 200000 65534\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: user: uid 65534 is not in the user namespace's uid map");
}

static void test_validate_host_uid0_refused(void **state)
{
	struct unit *u = *state;

	skip_unless_root();
	make_rootfs(u);
	assert_int_equal(load_fresh(u, "userns map 0 0 65536\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: userns map: mapping host uid 0 into the container gives it real root; refused");

	assert_int_equal(load_fresh(u, "userns map uid 0 100000 1000\nuserns map uid 5000 0 1\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: userns map: mapping host uid 0 into the container gives it real root; refused");
}

static void test_validate_overlapping_ranges(void **state)
{
	static const char *const bad[] = {
		/* inside ranges overlap */
		"userns map 0 100000 1000\nuserns map 999 200000 10\n",
		/* outside ranges overlap */
		"userns map 0 100000 1000\nuserns map 5000 100999 10\n",
		/* identical */
		"userns map 0 100000 65536\nuserns map 0 100000 65536\n",
		/* one inside the other, gid only */
		"userns map uid 0 100000 65536\nuserns map gid 0 100000 65536\nuserns map gid 10 300000 5\n",
	};
	struct unit *u = *state;

	skip_unless_root();
	make_rootfs(u);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(load_fresh(u, bad[i]), 0);
		assert_int_equal(validate(u), -1);
		assert_err(u, "spec: userns map: ranges overlap");
	}
	/* Adjacent ranges do not overlap. */
	assert_int_equal(load_fresh(u, "userns map 0 100000 1000\nuserns map 1000 101000 64536\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.nuidmap, 2);
}

static void test_validate_shared_userns_as_root(void **state)
{
	struct unit *u = *state;

	skip_unless_root();
	make_rootfs(u);
	assert_int_equal(load_fresh(u, "share user\nuser 0\n"), 0);
	assert_valid(u);
	assert_int_equal(u->s.nuidmap, 0);
	assert_int_equal(u->s.ngidmap, 0);
}

/* ---- spec_validate: the rest ----------------------------------------- */

static void test_validate_missing_argv(void **state)
{
	struct unit *u = *state;

	make_rootfs(u);
	strv_free(u->s.argv);
	u->s.argv = NULL;
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: no command given");
	u->s.argv = xcalloc(1, sizeof(char *)); /* empty vector */
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: no command given");
}

static void test_validate_missing_rootfs(void **state)
{
	struct unit *u = *state;
	char want[PATH_MAX + 64];

	strv_push(&u->s.argv, "/bin/sh");
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: no rootfs given");

	u->s.rootfs = xstrdup(unit_path(u, "nope"));
	assert_int_equal(validate(u), -1);
	unit_fmt(want, sizeof(want), "spec: rootfs %s: %s", u->s.rootfs, strerror(ENOENT));
	assert_string_equal(u->e.msg, want);
	assert_int_equal(u->e.errnum, ENOENT);
	assert_int_equal(u->e.exit_code, RP_EXIT_ERROR);

	free(u->s.rootfs);
	u->s.rootfs = xstrdup(unit_write(u, "afile", "x"));
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: rootfs %s: %s", u->s.rootfs, strerror(ENOTDIR));
}

static void test_validate_shared_mnt(void **state)
{
	struct unit *u = *state;

	make_rootfs(u);
	u->s.ns[NS_MNT].unshare = false; /* as a non-profile input could */
	assert_int_equal(validate(u), -1);
	assert_err(u, "spec: the mount namespace cannot be shared");
}

static void test_validate_mounts(void **state)
{
	struct unit *u = *state;
	char text[PATH_MAX + 64];

	make_rootfs(u);
	unit_fmt(text, sizeof(text), "tmpfs /tmp\nbind %s /data\n", u->dir);
	assert_int_equal(load_fresh(u, text), 0);
	assert_valid(u);

	assert_int_equal(load_fresh(u, "\nbind /nonexistent/src /src\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:2: bind source /nonexistent/src: %s", strerror(ENOENT));

	assert_int_equal(load_fresh(u, "tmpfs /\n"), 0);
	assert_int_equal(validate(u), -1);
	assert_err(u, "t.profile:1: /: cannot mount over /");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_spec_init_defaults),
		UNIT_TEST(test_spec_free_twice),
		UNIT_TEST(test_intern),
		UNIT_TEST(test_set_env_replaces_by_name),
		UNIT_TEST(test_add_mount_replaces_same_target),
		UNIT_TEST(test_ns_names),
		UNIT_TEST(test_validate_default_user),
		UNIT_TEST(test_validate_user_by_name),
		UNIT_TEST(test_validate_user_and_group),
		UNIT_TEST(test_validate_numeric_user),
		UNIT_TEST(test_validate_groups),
		UNIT_TEST(test_validate_unknown_user_or_group),
		UNIT_TEST(test_validate_no_passwd),
		UNIT_TEST(test_validate_passwd_symlink_stays_in_rootfs),
		UNIT_TEST(test_regression_unknown_supplementary_group_names_groups_line),
		UNIT_TEST(test_validate_default_idmaps_as_root),
		UNIT_TEST(test_validate_rootless),
		UNIT_TEST(test_validate_rootless_refusals),
		UNIT_TEST(test_validate_custom_map),
		UNIT_TEST(test_validate_target_outside_map),
		UNIT_TEST(test_validate_host_uid0_refused),
		UNIT_TEST(test_validate_overlapping_ranges),
		UNIT_TEST(test_validate_shared_userns_as_root),
		UNIT_TEST(test_validate_missing_argv),
		UNIT_TEST(test_validate_missing_rootfs),
		UNIT_TEST(test_validate_shared_mnt),
		UNIT_TEST(test_validate_mounts),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
