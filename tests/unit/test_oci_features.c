/* test_oci_features.c - `rampart features` and `rampart spec`: the exact
 * fields the runtime-spec names, that both documents survive a text round
 * trip, that the default config is hardened (every namespace including
 * user, no capabilities, no_new_privs, read-only root, id maps that cover
 * the process user), and that rampart's own config reader accepts it.
 */
#include "unit.h"

#include <ctype.h>
#include <jansson.h>

#include "mount.h"
#include "oci.h"
#include "oci_features.h"

#if defined(__x86_64__)
#define SCMP_NATIVE "SCMP_ARCH_X86_64"
#elif defined(__aarch64__)
#define SCMP_NATIVE "SCMP_ARCH_AARCH64"
#endif

/* ---- helpers ----------------------------------------------------------- */

/* Documents under test, released at teardown: a failed assertion jumps
 * out of the test, and the sanitizer would report them as leaks. */
static json_t *held[4];

static json_t *hold(json_t *doc)
{
	for (size_t i = 0; i < ARRAY_SIZE(held); i++)
		if (!held[i]) {
			held[i] = doc;
			return doc;
		}
	fail_msg("hold: more than %zu documents in one test", ARRAY_SIZE(held));
	return NULL;
}

static int teardown(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(held); i++) {
		json_decref(held[i]);
		held[i] = NULL;
	}
	return unit_teardown(state);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, unit_setup, teardown)

/* The value at a dotted PATH ("linux.seccomp.actions"), failing the test
 * when a step is missing. */
static json_t *at(json_t *doc, const char *path)
{
	char buf[256], *save = NULL;
	json_t *j = doc;

	unit_fmt(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
		j = json_object_get(j, k);
		if (!j)
			fail_msg("%s: no '%s'", path, k);
	}
	return j;
}

static const char *str_at(json_t *doc, const char *path)
{
	json_t *j = at(doc, path);

	if (!json_is_string(j))
		fail_msg("%s: not a string", path);
	return json_string_value(j);
}

static json_int_t int_at(json_t *doc, const char *path)
{
	json_t *j = at(doc, path);

	if (!json_is_integer(j))
		fail_msg("%s: not an integer", path);
	return json_integer_value(j);
}

/* The value at PATH equals the JSON text WANT. */
static void assert_json_at(json_t *doc, const char *path, const char *want)
{
	json_error_t err;
	json_t *exp = json_loads(want, JSON_DECODE_ANY, &err);
	static char got[4096];
	char *text;
	bool same;

	if (!exp)
		fail_msg("expected JSON: %s", err.text);
	same = json_equal(at(doc, path), exp);
	json_decref(exp);
	if (same)
		return;
	/* Copied out so that failing (a longjmp) leaks nothing. */
	text = json_dumps(at(doc, path), JSON_COMPACT);
	unit_fmt(got, sizeof(got), "%s", text ? text : "?");
	free(text);
	fail_msg("%s is %s, want %s", path, got, want);
}

static bool array_has(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	assert_true(json_is_array(arr));
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* DOC dumps to text that parses back to an equal document. */
static void assert_round_trip(json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(4));
	json_error_t err;
	json_t *back;

	assert_non_null(text);
	back = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	free(text);
	if (!back)
		fail_msg("dumped text does not parse: %s", err.text);
	assert_true(json_equal(doc, hold(back)));
}

/* ---- features ----------------------------------------------------------- */

static void test_features_fields(void **state)
{
	json_t *f = hold(oci_features());

	(void)state;
	assert_true(json_is_object(f));
	assert_string_equal(str_at(f, "ociVersionMin"), "1.0.0");
	assert_string_equal(str_at(f, "ociVersionMax"), "1.2.0");
	assert_json_at(f, "hooks",
		       "[\"prestart\", \"createRuntime\", \"createContainer\", \"startContainer\","
		       " \"poststart\", \"poststop\"]");
	assert_json_at(f, "linux.namespaces",
		       "[\"cgroup\", \"ipc\", \"mount\", \"network\", \"pid\", \"user\", \"uts\"]");
	assert_json_at(f, "linux.cgroup",
		       "{\"v1\": false, \"v2\": true, \"systemd\": false, \"systemdUser\": false,"
		       " \"rdma\": false}");
	assert_json_at(f, "linux.apparmor", "{\"enabled\": false}");
	assert_json_at(f, "linux.selinux", "{\"enabled\": false}");
	assert_json_at(f, "linux.intelRdt", "{\"enabled\": false}");
	assert_json_at(f, "linux.mountExtensions", "{\"idmap\": {\"enabled\": false}}");
}

/* Dotted keys cannot be walked with at(): read annotations directly. */
static void test_features_annotations(void **state)
{
	json_t *f = hold(oci_features());
	json_t *a = at(f, "annotations");

	(void)state;
	assert_int_equal(json_object_size(a), 3);
	assert_string_equal(json_string_value(json_object_get(a, "org.opencontainers.runc.checkpoint.enabled")),
			    "false");
	assert_string_equal(json_string_value(json_object_get(a, "io.github.rampart.version")), RAMPART_VERSION);
	assert_non_null(strstr(json_string_value(json_object_get(a, "io.github.rampart.hardening")),
			       "nosuid,nodev on every mount"));
}

static void test_features_seccomp(void **state)
{
	json_t *f = hold(oci_features());

	(void)state;
	assert_json_at(f, "linux.seccomp.enabled", "true");
	assert_json_at(f, "linux.seccomp.actions",
		       "[\"SCMP_ACT_ALLOW\", \"SCMP_ACT_ERRNO\", \"SCMP_ACT_KILL\", \"SCMP_ACT_KILL_PROCESS\","
		       " \"SCMP_ACT_KILL_THREAD\", \"SCMP_ACT_LOG\", \"SCMP_ACT_NOTIFY\", \"SCMP_ACT_TRAP\"]");
	assert_json_at(f, "linux.seccomp.operators",
		       "[\"SCMP_CMP_NE\", \"SCMP_CMP_LT\", \"SCMP_CMP_LE\", \"SCMP_CMP_EQ\", \"SCMP_CMP_GE\","
		       " \"SCMP_CMP_GT\", \"SCMP_CMP_MASKED_EQ\"]");
	assert_json_at(f, "linux.seccomp.archs", "[\"" SCMP_NATIVE "\"]");
	assert_json_at(f, "linux.seccomp.knownFlags", "[]");
	assert_json_at(f, "linux.seccomp.supportedFlags", "[]");
}

/* OCI spelling, no duplicates, and the ones every kernel since 5.9 has. */
static void test_features_capabilities(void **state)
{
	json_t *f = hold(oci_features());
	json_t *caps = at(f, "linux.capabilities");
	size_t i, j;
	json_t *v;

	(void)state;
	assert_true(array_has(caps, "CAP_CHOWN"));
	assert_true(array_has(caps, "CAP_SYS_ADMIN"));
	assert_true(array_has(caps, "CAP_NET_BIND_SERVICE"));
	assert_true(array_has(caps, "CAP_AUDIT_READ"));
	assert_true(json_array_size(caps) >= 38);
	json_array_foreach(caps, i, v) {
		const char *s = json_string_value(v);

		assert_non_null(s);
		assert_int_equal(strncmp(s, "CAP_", 4), 0);
		for (const char *p = s; *p; p++)
			if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
				fail_msg("'%s' is not in OCI spelling", s);
		for (j = i + 1; j < json_array_size(caps); j++)
			assert_string_not_equal(s, json_string_value(json_array_get(caps, j)));
	}
}

static void test_features_mount_options(void **state)
{
	json_t *f = hold(oci_features());

	(void)state;
	assert_json_at(f, "mountOptions",
		       "[\"ro\", \"rw\", \"nosuid\", \"nodev\", \"noexec\", \"exec\", \"bind\", \"rbind\","
		       " \"private\", \"rprivate\", \"slave\", \"rslave\", \"shared\", \"rshared\","
		       " \"unbindable\", \"runbindable\", \"relatime\", \"norelatime\", \"noatime\","
		       " \"atime\", \"strictatime\", \"nostrictatime\", \"nodiratime\", \"diratime\"]");
	/* Accepted but without effect (nosuid and nodev stay): not advertised. */
	assert_false(array_has(at(f, "mountOptions"), "suid"));
	assert_false(array_has(at(f, "mountOptions"), "dev"));
}

static void test_features_round_trip(void **state)
{
	json_t *f = hold(oci_features());

	(void)state;
	assert_round_trip(f);
}

/* ---- default config ----------------------------------------------------- */

/* The process user lies inside the one mapping range, for uid and gid. */
static void assert_user_mapped(json_t *cfg, const char *idkey, const char *mapkey)
{
	json_t *maps = at(cfg, mapkey);
	char path[64];
	json_int_t id, in, size;

	unit_fmt(path, sizeof(path), "process.user.%s", idkey);
	id = int_at(cfg, path);
	assert_int_equal(json_array_size(maps), 1);
	in = int_at(json_array_get(maps, 0), "containerID");
	size = int_at(json_array_get(maps, 0), "size");
	if (id < in || id >= in + size)
		fail_msg("%s %lld is outside %s [%lld, %lld)", path, (long long)id, mapkey, (long long)in,
			 (long long)(in + size));
}

/* What both flavours share: the hardening. */
static void check_hardened(json_t *cfg)
{
	static const char *const sets[] = { "bounding", "effective", "inheritable", "permitted", "ambient" };
	static const char *const ns[] = { "pid", "network", "ipc", "uts", "mount", "cgroup", "user" };
	json_t *nss = at(cfg, "linux.namespaces");
	char path[64];

	assert_true(json_is_object(cfg));
	assert_string_equal(str_at(cfg, "ociVersion"), "1.2.0");
	assert_json_at(cfg, "process.noNewPrivileges", "true");
	assert_json_at(cfg, "process.terminal", "false");
	assert_json_at(cfg, "process.user", "{\"uid\": 65534, \"gid\": 65534}");
	assert_json_at(cfg, "root", "{\"path\": \"rootfs\", \"readonly\": true}");
	assert_int_equal(json_object_size(at(cfg, "process.capabilities")), ARRAY_SIZE(sets));
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
		unit_fmt(path, sizeof(path), "process.capabilities.%s", sets[i]);
		assert_json_at(cfg, path, "[]");
	}
	assert_int_equal(json_array_size(nss), ARRAY_SIZE(ns));
	for (size_t i = 0; i < ARRAY_SIZE(ns); i++)
		assert_string_equal(str_at(json_array_get(nss, i), "type"), ns[i]);
	assert_json_at(cfg, "process.rlimits",
		       "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024},"
		       " {\"type\": \"RLIMIT_CORE\", \"hard\": 0, \"soft\": 0}]");
	assert_null(json_object_get(at(cfg, "linux"), "seccomp"));
	assert_true(array_has(at(cfg, "linux.maskedPaths"), "/proc/kcore"));
	assert_true(array_has(at(cfg, "linux.readonlyPaths"), "/proc/sys"));
	assert_user_mapped(cfg, "uid", "linux.uidMappings");
	assert_user_mapped(cfg, "gid", "linux.gidMappings");
	assert_round_trip(cfg);
}

static void test_config_root(void **state)
{
	json_t *cfg = hold(oci_default_config(false));

	(void)state;
	check_hardened(cfg);
	assert_json_at(cfg, "linux.uidMappings", "[{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]");
	assert_json_at(cfg, "linux.gidMappings", "[{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]");
	assert_null(json_object_get(at(cfg, "linux"), "resources"));
}

static void test_config_rootless(void **state)
{
	json_t *cfg = hold(oci_default_config(true));
	json_t *um, *gm;

	(void)state;
	check_hardened(cfg);
	um = json_array_get(at(cfg, "linux.uidMappings"), 0);
	gm = json_array_get(at(cfg, "linux.gidMappings"), 0);
	/* The caller's own ids, one each, are the process user. */
	assert_int_equal(int_at(um, "hostID"), getuid());
	assert_int_equal(int_at(gm, "hostID"), getgid());
	assert_int_equal(int_at(um, "containerID"), int_at(cfg, "process.user.uid"));
	assert_int_equal(int_at(gm, "containerID"), int_at(cfg, "process.user.gid"));
	assert_int_equal(int_at(um, "size"), 1);
	assert_int_equal(int_at(gm, "size"), 1);
	assert_null(json_object_get(at(cfg, "linux"), "resources"));
}

/* runc's mounts, unchanged but for devpts' gid=5. */
static void test_config_mounts(void **state)
{
	json_t *cfg = hold(oci_default_config(false));

	(void)state;
	assert_json_at(
		cfg, "mounts",
		"[{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
		" {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
		"  \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},"
		" {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\","
		"  \"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\"]},"
		" {\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\","
		"  \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"]},"
		" {\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\","
		"  \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},"
		" {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\","
		"  \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]},"
		" {\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\","
		"  \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\"]}]");
}

/* The config lists every path rampart masks anyway, so it reads true. */
static void test_config_masks_builtins(void **state)
{
	json_t *cfg = hold(oci_default_config(false));
	json_t *masked = at(cfg, "linux.maskedPaths");

	(void)state;
	for (size_t i = 0; mount_default_masked[i]; i++)
		if (!array_has(masked, mount_default_masked[i]))
			fail_msg("maskedPaths lacks the built-in %s", mount_default_masked[i]);
}

/* rampart's own reader takes what `rampart spec` writes, both flavours. */
static void load_default(struct unit *u, struct spec *s, bool rootless)
{
	json_t *cfg = hold(oci_default_config(rootless));
	char *text = json_dumps(cfg, JSON_INDENT(4));
	int r;

	assert_non_null(text);
	r = oci_config_loads(s, text, strlen(text), u->dir, "config.json", &u->e);
	free(text);
	if (r != 0)
		fail_msg("%s config: %s", rootless ? "rootless" : "root", u->e.msg);
}

static void test_config_loads(void **state)
{
	struct unit *u = *state;
	char profiles[PATH_MAX];

	/* No linux.seccomp: the reader loads the shipped default allowlist. */
	unit_fmt(profiles, sizeof(profiles), "%s/../../../profiles", unit_fixtures());
	setenv("RAMPART_PROFILE_PATH", profiles, 1);
	unit_mkdir(u, "rootfs");
	load_default(u, &u->s, false);
	load_default(u, &u->s2, true);
	for (int t = 0; t < NS_COUNT; t++) {
		assert_true(u->s.ns[t].unshare);
		assert_true(u->s2.ns[t].unshare);
	}
	assert_true(u->s.rootfs_readonly);
	assert_true(u->s.seccomp.enabled);
	assert_int_equal(u->s.nuidmap, 1);
	assert_int_equal(u->s.uidmap[0].outside, SPEC_DEFAULT_MAP_OUTSIDE);
	assert_int_equal(u->s2.nuidmap, 1);
	assert_int_equal(u->s2.uidmap[0].inside, SPEC_DEFAULT_UID);
	assert_int_equal(u->s2.uidmap[0].outside, getuid());
	assert_int_equal(u->s2.gidmap[0].outside, getgid());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_features_fields),
		TEST(test_features_annotations),
		TEST(test_features_seccomp),
		TEST(test_features_capabilities),
		TEST(test_features_mount_options),
		TEST(test_features_round_trip),
		TEST(test_config_root),
		TEST(test_config_rootless),
		TEST(test_config_mounts),
		TEST(test_config_masks_builtins),
		TEST(test_config_loads),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
