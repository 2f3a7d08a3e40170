/* test_oci_config.c - config.json into the spec (runtime/oci_config.c).
 *
 * A full config: every field the reader maps lands where the launcher
 * reads it. Each refused config: the exact one-line message naming the
 * JSON path ("b/config.json: mounts[2].options[1]: expected a string"),
 * exit code 125. Most cases edit a minimal good config at one JSON path
 * (cfg()), so each case says only what it changes.
 *
 * Every test gets a bundle, DIR/bundle with DIR/bundle/rootfs (root.path
 * is realpath()ed against it), and RAMPART_PROFILE_PATH with the real
 * profiles/ first: a config without linux.seccomp loads `syscalls`.
 */
#include "unit.h"

#include <jansson.h>
#include <seccomp.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>

#include "caps.h"
#include "hooks.h"
#include "oci.h"

#define SRC "b/config.json"

#ifndef MOUNT_ATTR_NOATIME
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME 0x00000080
#endif

/* The smallest config the reader takes: the base of every cfg() edit. */
static const char MINIMAL[] =
	"{\"ociVersion\": \"1.0.2\","
	" \"root\": {\"path\": \"rootfs\"},"
	" \"process\": {\"args\": [\"/bin/sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0}},"
	" \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]}}";

/* ---- setup and helpers --------------------------------------------------- */

static int setup(void **state)
{
	char profiles[PATH_MAX], guess[PATH_MAX], path[2 * PATH_MAX + 2];
	struct unit *u;

	if (unit_setup(state) < 0)
		return -1;
	u = *state;
	unit_fmt(guess, sizeof(guess), "%s/../../../profiles", unit_fixtures());
	if (!realpath(guess, profiles))
		fail_msg("profiles %s: %s", guess, strerror(errno));
	unit_fmt(path, sizeof(path), "%s:%s", profiles, unit_fixtures());
	setenv("RAMPART_PROFILE_PATH", path, 1);
	unit_mkdir(u, "bundle/rootfs");
	return 0;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, unit_teardown)

static const char *bundle(const struct unit *u)
{
	return unit_path(u, "bundle");
}

static int loadn(struct unit *u, const char *json, size_t len)
{
	return oci_config_loads(&u->s, json, len, bundle(u), SRC, &u->e);
}

static int load(struct unit *u, const char *json)
{
	return loadn(u, json, strlen(json));
}

/* A fresh spec and error for the next case of a table. */
static void reset(struct unit *u)
{
	spec_free(&u->s);
	spec_init(&u->s);
	memset(&u->e, 0, sizeof(u->e));
}

#define assert_oci_ok(u, json)                                               \
	do {                                                                 \
		if (load((u), (json)) != 0)                                  \
			fail_msg("load: %s\n---- json:\n%s", (u)->e.msg, (json)); \
	} while (0)

/* Loading JSON fails with exactly SRC ": " and the message. */
#define assert_oci_err(u, json, ...)                                         \
	do {                                                                 \
		char w_[1024];                                               \
		unit_fmt(w_, sizeof(w_), __VA_ARGS__);                       \
		assert_int_equal(load((u), (json)), -1);                     \
		assert_err((u), SRC ": %s", w_);                             \
	} while (0)

static json_t *jparse(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &err);

	if (!v)
		fail_msg("bad JSON in the test: %s: %s", err.text, text);
	return v;
}

/* Set (VALUE, JSON text) or delete (VALUE NULL) what PATH names in DOC:
 * "process.user.uid", "mounts[2].options[1]". Missing objects and arrays
 * on the way are created; an index one past the end appends. Keys with
 * dots (sysctl, annotations) are set as a whole object one level up. */
static void jedit(json_t *doc, const char *path, const char *value)
{
	struct { bool idx; size_t n; char key[64]; } st[16];
	size_t ns = 0;
	const char *p = path;
	json_t *cur = doc;

	while (*p) {
		assert_true(ns < 16);
		if (*p == '[') {
			char *end;
			st[ns].idx = true;
			st[ns].n = strtoul(p + 1, &end, 10);
			assert_int_equal(*end, ']');
			p = end + 1;
		} else {
			size_t len;
			if (*p == '.')
				p++;
			len = strcspn(p, ".[");
			assert_true(len > 0 && len < sizeof(st[ns].key));
			st[ns].idx = false;
			memcpy(st[ns].key, p, len);
			st[ns].key[len] = '\0';
			p += len;
		}
		ns++;
	}
	for (size_t i = 0; i < ns; i++) {
		bool last = i + 1 == ns;
		json_t *next;

		if (!st[i].idx) {
			if (!json_is_object(cur))
				fail_msg("%s: %s is not in an object", path, st[i].key);
			if (last) {
				if (value)
					json_object_set_new(cur, st[i].key, jparse(value));
				else
					json_object_del(cur, st[i].key);
				return;
			}
			next = json_object_get(cur, st[i].key);
			if (!next) {
				next = st[i + 1].idx ? json_array() : json_object();
				json_object_set_new(cur, st[i].key, next);
			}
		} else {
			if (!json_is_array(cur))
				fail_msg("%s: [%zu] is not in an array", path, st[i].n);
			if (last) {
				if (!value)
					json_array_remove(cur, st[i].n);
				else if (st[i].n < json_array_size(cur))
					json_array_set_new(cur, st[i].n, jparse(value));
				else
					json_array_append_new(cur, jparse(value));
				return;
			}
			next = json_array_get(cur, st[i].n);
			if (!next) {
				next = st[i + 1].idx ? json_array() : json_object();
				json_array_append_new(cur, next);
			}
		}
		cur = next;
	}
}

/* MINIMAL with edits: cfg(u, PATH, VALUE, PATH, VALUE, ..., NULL). The
 * text lives in u->text[1] until the next cfg(). */
static const char *cfg(struct unit *u, ...)
{
	json_t *doc = jparse(MINIMAL);
	const char *path;
	va_list ap;

	va_start(ap, u);
	while ((path = va_arg(ap, const char *)) != NULL)
		jedit(doc, path, va_arg(ap, const char *));
	va_end(ap);
	free(u->text[1]);
	u->text[1] = json_dumps(doc, JSON_COMPACT);
	assert_non_null(u->text[1]);
	json_decref(doc);
	return u->text[1];
}

/* One edit of MINIMAL and the message it must give. */
struct edit_case {
	const char *path, *value; /* value NULL: delete */
	const char *path2, *value2; /* a second edit, or NULL */
	const char *want;          /* after SRC ": " */
};

static void run_cases(struct unit *u, const struct edit_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char want[1024];
		const char *json;

		reset(u);
		json = c[i].path2 ? cfg(u, c[i].path, c[i].value, c[i].path2, c[i].value2, NULL)
				  : cfg(u, c[i].path, c[i].value, NULL);
		unit_fmt(want, sizeof(want), SRC ": %s", c[i].want);
		if (load(u, json) != -1)
			fail_msg("case %zu (%s): loaded, want \"%s\"\n---- json:\n%s", i, c[i].path, want, json);
		if (strcmp(u->e.msg, want) != 0)
			fail_msg("case %zu (%s):\n got \"%s\"\nwant \"%s\"\n---- json:\n%s", i, c[i].path,
				 u->e.msg, want, json);
		if (u->e.exit_code != RP_EXIT_ERROR)
			fail_msg("case %zu (%s): exit code %d", i, c[i].path, u->e.exit_code);
	}
}

#define RUN_CASES(u, c) run_cases((u), (c), sizeof(c) / sizeof((c)[0]))

static void assert_strv(char **got, const char *const *want)
{
	size_t i = 0;

	for (; want[i]; i++) {
		if (!got || !got[i])
			fail_msg("missing [%zu] '%s'", i, want[i]);
		assert_string_equal(got[i], want[i]);
	}
	if (got && got[i])
		fail_msg("extra [%zu] '%s'", i, got[i]);
}

static const struct mount_spec *find_mount(const struct spec *s, const char *target)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (strcmp(s->mounts[i].target, target) == 0)
			return &s->mounts[i];
	return NULL;
}

static uint64_t capbit(const char *name)
{
	int c = caps_from_name(name);

	assert_true(c >= 0 && c < 64);
	return UINT64_C(1) << c;
}

/* A character device node the host has (not one of the built-ins), for
 * linux.devices; false when there is none. */
static bool host_chardev(char *path, size_t len, unsigned *major_, unsigned *minor_)
{
	static const char *const cand[] = { "/dev/kmsg", "/dev/fuse", "/dev/ptmx", "/dev/tty0", "/dev/console" };
	struct stat st;

	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (stat(cand[i], &st) == 0 && S_ISCHR(st.st_mode)) {
			unit_fmt(path, len, "%s", cand[i]);
			*major_ = major(st.st_rdev);
			*minor_ = minor(st.st_rdev);
			return true;
		}
	}
	return false;
}

static const struct sc_rule *find_rule(const struct spec *s, const char *syscall, unsigned ncmp)
{
	int nr = seccomp_syscall_resolve_name(syscall);

	assert_true(nr >= 0);
	for (size_t i = 0; i < s->seccomp.nrules; i++)
		if (s->seccomp.rules[i].nr == nr && s->seccomp.rules[i].ncmp == ncmp)
			return &s->seccomp.rules[i];
	return NULL;
}

/* ---- a full good config ---------------------------------------------------- */

static const char FULL[] =
	"{\n"
	"  \"ociVersion\": \"1.2.0\",\n"
	"  \"root\": {\"path\": \"rootfs\", \"readonly\": true},\n"
	"  \"hostname\": \"web-1\",\n"
	"  \"domainname\": \"example.org\",\n"
	"  \"process\": {\n"
	"    \"terminal\": true,\n"
	"    \"consoleSize\": {\"height\": 24, \"width\": 80},\n"
	"    \"user\": {\"uid\": 1000, \"gid\": 1000, \"umask\": 18, \"additionalGids\": [5, 100, 1000]},\n"
	"    \"args\": [\"/usr/sbin/httpd\", \"-f\", \"-p\", \"8080\"],\n"
	"    \"env\": [\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\", \"LANG=C.UTF-8\", \"EMPTY=\"],\n"
	"    \"cwd\": \"/srv/www\",\n"
	"    \"capabilities\": {\n"
	"      \"bounding\": [\"CAP_CHOWN\", \"CAP_NET_BIND_SERVICE\", \"CAP_KILL\"],\n"
	"      \"effective\": [\"CAP_NET_BIND_SERVICE\"],\n"
	"      \"inheritable\": [],\n"
	"      \"permitted\": [\"CAP_CHOWN\", \"CAP_NET_BIND_SERVICE\"],\n"
	"      \"ambient\": [\"CAP_NET_BIND_SERVICE\"]\n"
	"    },\n"
	"    \"rlimits\": [\n"
	"      {\"type\": \"RLIMIT_NOFILE\", \"hard\": 4096, \"soft\": 1024},\n"
	"      {\"type\": \"RLIMIT_NPROC\", \"hard\": 512, \"soft\": 256},\n"
	"      {\"type\": \"RLIMIT_CORE\", \"hard\": 1048576, \"soft\": 0}\n"
	"    ],\n"
	"    \"noNewPrivileges\": false,\n"
	"    \"oomScoreAdj\": 100\n"
	"  },\n"
	"  \"mounts\": [\n"
	"    {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},\n"
	"    {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
	"     \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},\n"
	"    {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\",\n"
	"     \"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\", \"gid=5\"]},\n"
	"    {\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\",\n"
	"     \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"]},\n"
	"    {\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\",\n"
	"     \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},\n"
	"    {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\",\n"
	"     \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]},\n"
	"    {\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\",\n"
	"     \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\"]},\n"
	"    {\"destination\": \"/run\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
	"     \"options\": [\"rw\", \"exec\", \"size=1m\", \"mode=0700\", \"uid=1000\", \"gid=1000\",\n"
	"                 \"nr_inodes=1k\", \"noatime\"]},\n"
	"    {\"destination\": \"/srv/www\", \"type\": \"bind\", \"source\": \"/srv/www-data\",\n"
	"     \"options\": [\"rbind\", \"ro\", \"rslave\"]},\n"
	"    {\"destination\": \"/var/log/app\", \"source\": \"logs\",\n"
	"     \"options\": [\"bind\", \"noexec\", \"nodiratime\", \"private\"]},\n"
	"    {\"destination\": \"/data\", \"type\": \"none\", \"source\": \"/mnt/data\",\n"
	"     \"options\": [\"rbind\", \"rw\", \"rshared\", \"relatime\"]}\n"
	"  ],\n"
	"  \"hooks\": {\n"
	"    \"prestart\": [{\"path\": \"/usr/bin/setup-net\", \"args\": [\"setup-net\", \"--up\"],\n"
	"                  \"env\": [\"A=1\"], \"timeout\": 5}],\n"
	"    \"poststop\": [{\"path\": \"/usr/bin/cleanup\"}]\n"
	"  },\n"
	"  \"annotations\": {\"org.opencontainers.image.ref.name\": \"web\", \"com.example.tier\": \"front\"},\n"
	"  \"linux\": {\n"
	"    \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"}, {\"type\": \"ipc\"},\n"
	"                   {\"type\": \"uts\"}, {\"type\": \"mount\"}, {\"type\": \"cgroup\"},\n"
	"                   {\"type\": \"user\"}],\n"
	"    \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],\n"
	"    \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536},\n"
	"                    {\"containerID\": 65536, \"hostID\": 5000, \"size\": 1}],\n"
	"    \"devices\": [\n"
	"      {\"path\": \"/dev/null\", \"type\": \"c\", \"major\": 1, \"minor\": 3, \"fileMode\": 438,\n"
	"       \"uid\": 0, \"gid\": 0},\n"
	"      {\"path\": \"%s\", \"type\": \"c\", \"major\": %u, \"minor\": %u}\n"
	"    ],\n"
	"    \"resources\": {\n"
	"      \"devices\": [{\"allow\": false, \"access\": \"rwm\"}],\n"
	"      \"memory\": {\"limit\": 536870912, \"swap\": 805306368, \"reservation\": 268435456},\n"
	"      \"cpu\": {\"shares\": 1024, \"quota\": 150000, \"period\": 100000, \"cpus\": \"0-1\",\n"
	"              \"mems\": \"0\"},\n"
	"      \"pids\": {\"limit\": 128},\n"
	"      \"blockIO\": {\"weight\": 500,\n"
	"                  \"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 1048576}],\n"
	"                  \"throttleWriteIOPSDevice\": [{\"major\": 8, \"minor\": 16, \"rate\": 0}]},\n"
	"      \"unified\": {\"memory.high\": \"400000000\"}\n"
	"    },\n"
	"    \"cgroupsPath\": \"/machine/web-1\",\n"
	"    \"sysctl\": {\"net.ipv4.ip_forward\": \"1\", \"kernel.shmmax\": \"68719476736\",\n"
	"               \"fs.mqueue.msg_max\": \"64\", \"kernel.domainname\": \"example.org\"},\n"
	"    \"maskedPaths\": [\"/proc/acpi\", \"/proc/kcore\"],\n"
	"    \"readonlyPaths\": [\"/proc/sys\", \"/proc/sysrq-trigger\"],\n"
	"    \"personality\": {\"domain\": \"LINUX32\"},\n"
	"    \"rootfsPropagation\": \"rslave\",\n"
	"    \"seccomp\": {\n"
	"      \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	"      \"defaultErrnoRet\": 1,\n"
	"      \"syscalls\": [\n"
	"        {\"names\": [\"read\", \"write\", \"exit_group\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"        {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"         \"args\": [{\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]}\n"
	"      ]\n"
	"    }\n"
	"  }\n"
	"}\n";

static void test_full_config(void **state)
{
	struct unit *u = *state;
	const struct spec *s = &u->s;
	const struct mount_spec *m;
	const struct sc_rule *rule;
	char dev[64], json[sizeof(FULL) + 128], logs[PATH_MAX];
	unsigned maj, min;

	if (!host_chardev(dev, sizeof(dev), &maj, &min))
		skip();
	unit_fmt(json, sizeof(json), FULL, dev, maj, min);
	assert_oci_ok(u, json);

	/* provenance, root, names */
	assert_true(s->oci.active);
	assert_string_equal(s->oci.version, "1.2.0");
	assert_string_equal(s->oci.bundle, bundle(u));
	assert_string_equal(s->rootfs, unit_path(u, "bundle/rootfs"));
	assert_true(s->rootfs_readonly);
	assert_false(s->setuid_strip);
	assert_false(s->init);
	assert_string_equal(s->hostname, "web-1");
	assert_string_equal(s->oci.domainname, "example.org");
	assert_strv(s->profiles, (const char *const[]){ "config.json", NULL });

	/* process */
	assert_strv(s->argv, (const char *const[]){ "/usr/sbin/httpd", "-f", "-p", "8080", NULL });
	assert_strv(s->env, (const char *const[]){ "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "EMPTY=",
						    NULL });
	assert_string_equal(s->cwd, "/srv/www");
	assert_true(s->oci.terminal);
	assert_int_equal(s->oci.rows, 24);
	assert_int_equal(s->oci.cols, 80);
	assert_string_equal(s->user.name, "1000");
	assert_string_equal(s->user.group, "1000");
	assert_strv(s->user.groups, (const char *const[]){ "5", "100", "1000", NULL });
	assert_int_equal(s->oci.umask, 18);
	assert_false(s->no_new_privs);
	assert_true(s->oci.oom_score_adj_set);
	assert_int_equal(s->oci.oom_score_adj, 100);

	/* capabilities: caps_keep is the bounding set, the sets differ */
	uint64_t nbs = capbit("CAP_NET_BIND_SERVICE"), chown_ = capbit("CAP_CHOWN"), kill_ = capbit("CAP_KILL");
	assert_true(s->caps_keep == (nbs | chown_ | kill_));
	assert_true(s->oci.caps_split);
	assert_true(s->oci.caps[0] == (nbs | chown_ | kill_));
	assert_true(s->oci.caps[1] == nbs);
	assert_true(s->oci.caps[2] == 0);
	assert_true(s->oci.caps[3] == (nbs | chown_));
	assert_true(s->oci.caps[4] == nbs);

	/* rlimits */
	assert_true(s->rlimits[RLIMIT_NOFILE].set);
	assert_int_equal(s->rlimits[RLIMIT_NOFILE].value.rlim_cur, 1024);
	assert_int_equal(s->rlimits[RLIMIT_NOFILE].value.rlim_max, 4096);
	assert_true(s->rlimits[RLIMIT_NPROC].set);
	assert_int_equal(s->rlimits[RLIMIT_NPROC].value.rlim_cur, 256);
	assert_int_equal(s->rlimits[RLIMIT_NPROC].value.rlim_max, 512);
	assert_int_equal(s->rlimits[RLIMIT_CORE].value.rlim_cur, 0);
	assert_int_equal(s->rlimits[RLIMIT_CORE].value.rlim_max, 1048576);
	assert_false(s->rlimits[RLIMIT_STACK].set);

	/* namespaces and id maps */
	for (int t = 0; t < NS_COUNT; t++) {
		assert_true(s->ns[t].unshare);
		assert_null(s->ns[t].path);
	}
	assert_int_equal(s->net.mode, NET_NONE);
	assert_int_equal(s->nuidmap, 1);
	assert_int_equal(s->uidmap[0].inside, 0);
	assert_int_equal(s->uidmap[0].outside, 100000);
	assert_int_equal(s->uidmap[0].count, 65536);
	assert_int_equal(s->ngidmap, 2);
	assert_int_equal(s->gidmap[1].inside, 65536);
	assert_int_equal(s->gidmap[1].outside, 5000);
	assert_int_equal(s->gidmap[1].count, 1);

	/* mounts: the built-in kernel file systems and /dev/null are rampart's */
	assert_int_equal(s->nmounts, 6);
	for (const char *const *b = (const char *const[]){ "/proc", "/dev", "/dev/pts", "/dev/mqueue", "/sys",
							   "/sys/fs/cgroup", "/dev/null", NULL };
	     *b; b++)
		if (find_mount(s, *b))
			fail_msg("%s should be left to rampart", *b);

	m = find_mount(s, dev);
	assert_non_null(m);
	assert_int_equal(m->kind, MOUNT_BIND);
	assert_string_equal(m->source, dev);
	assert_true(m->device);
	assert_false(m->exec);

	m = find_mount(s, "/dev/shm");
	assert_non_null(m);
	assert_int_equal(m->kind, MOUNT_TMPFS);
	assert_null(m->source);
	assert_false(m->exec);
	assert_false(m->readonly);
	assert_false(m->device);
	assert_int_equal(m->size, 65536 * 1024);
	assert_int_equal(m->mode, 01777);
	assert_null(m->data);

	m = find_mount(s, "/run");
	assert_non_null(m);
	assert_int_equal(m->kind, MOUNT_TMPFS);
	assert_true(m->exec);
	assert_false(m->readonly);
	assert_int_equal(m->size, 1 << 20);
	assert_int_equal(m->mode, 0700);
	assert_string_equal(m->data, "uid=1000,gid=1000,nr_inodes=1k");
	assert_int_equal(m->attr, MOUNT_ATTR_NOATIME);

	m = find_mount(s, "/srv/www");
	assert_non_null(m);
	assert_int_equal(m->kind, MOUNT_BIND);
	assert_string_equal(m->source, "/srv/www-data");
	assert_true(m->recursive);
	assert_true(m->readonly);
	assert_true(m->exec);
	assert_int_equal(m->propagation, MS_SLAVE);
	assert_false(m->device);

	/* no type, a "bind" option, a source relative to the bundle */
	m = find_mount(s, "/var/log/app");
	assert_non_null(m);
	assert_int_equal(m->kind, MOUNT_BIND);
	unit_fmt(logs, sizeof(logs), "%s/logs", bundle(u));
	assert_string_equal(m->source, logs);
	assert_false(m->recursive);
	assert_false(m->readonly);
	assert_false(m->exec);
	assert_int_equal(m->attr, MOUNT_ATTR_NODIRATIME);
	assert_int_equal(m->propagation, MS_PRIVATE);

	m = find_mount(s, "/data");
	assert_non_null(m);
	assert_int_equal(m->kind, MOUNT_BIND);
	assert_true(m->recursive);
	assert_false(m->readonly);
	assert_int_equal(m->propagation, MS_SHARED);
	assert_int_equal(m->attr, 0);

	/* resources */
	assert_true(s->limits.memory.set);
	assert_int_equal(s->limits.memory.value, 536870912);
	assert_true(s->limits.swap.set);
	assert_int_equal(s->limits.swap.value, 805306368 - 536870912); /* OCI swap is memory+swap */
	assert_true(s->limits.cpu_weight.set);
	assert_int_equal(s->limits.cpu_weight.value, 39); /* runc: 1024 shares -> weight 39 */
	assert_true(s->limits.cpu_quota.set);
	assert_int_equal(s->limits.cpu_quota.value, 150000);
	assert_int_equal(s->limits.cpu_period, 100000);
	assert_string_equal(s->limits.cpuset, "0-1");
	assert_true(s->limits.pids.set);
	assert_int_equal(s->limits.pids.value, 128);
	assert_true(s->limits.io_weight.set);
	assert_int_equal(s->limits.io_weight.value, 4950); /* runc: blkio 500 -> io.weight 4950 */
	assert_false(s->limits.memory_high.set);
	assert_strv(s->limits.unified,
		    (const char *const[]){ "memory.low=268435456", "cpuset.mems=0", "io.max=8:0 rbps=1048576",
					   "io.max=8:16 wiops=max", "memory.high=400000000", NULL });
	assert_string_equal(s->oci.cgroups_path, "/machine/web-1");

	/* linux: the rest */
	assert_strv(s->oci.sysctl, (const char *const[]){ "net.ipv4.ip_forward=1", "kernel.shmmax=68719476736",
							  "fs.mqueue.msg_max=64", "kernel.domainname=example.org",
							  NULL });
	assert_strv(s->masked, (const char *const[]){ "/proc/acpi", "/proc/kcore", NULL });
	assert_strv(s->readonly_paths, (const char *const[]){ "/proc/sys", "/proc/sysrq-trigger", NULL });
	assert_true(s->oci.personality_set);
	assert_int_equal(s->oci.personality, PER_LINUX32);
	assert_strv(s->oci.annotations, (const char *const[]){ "org.opencontainers.image.ref.name=web",
							       "com.example.tier=front", NULL });

	/* seccomp: the config's filter, not the default allowlist */
	assert_true(s->seccomp.enabled);
	assert_int_equal(s->seccomp.default_action.kind, SC_ERRNO);
	assert_int_equal(s->seccomp.default_action.errnum, 1);
	for (const char *const *n = (const char *const[]){ "read", "write", "exit_group", NULL }; *n; n++) {
		rule = find_rule(s, *n, 0);
		if (!rule)
			fail_msg("no rule allows %s", *n);
		assert_int_equal(rule->action.kind, SC_ALLOW);
	}
	assert_null(find_rule(s, "mount", 0));
	assert_null(find_rule(s, "personality", 0));
	rule = find_rule(s, "personality", 1);
	assert_non_null(rule);
	assert_int_equal(rule->action.kind, SC_ALLOW);
	assert_int_equal(rule->cmp[0].arg, 0);
	assert_int_equal(rule->cmp[0].op, SC_EQ);
	assert_int_equal(rule->cmp[0].value, 8);

	/* hooks */
	const struct hook_list *pre = &s->oci.hooks.list[HOOK_PRESTART];
	assert_int_equal(pre->n, 1);
	assert_string_equal(pre->v[0].path, "/usr/bin/setup-net");
	assert_strv(pre->v[0].args, (const char *const[]){ "setup-net", "--up", NULL });
	assert_strv(pre->v[0].env, (const char *const[]){ "A=1", NULL });
	assert_int_equal(pre->v[0].timeout, 5);
	assert_int_equal(s->oci.hooks.list[HOOK_POSTSTOP].n, 1);
	assert_string_equal(s->oci.hooks.list[HOOK_POSTSTOP].v[0].path, "/usr/bin/cleanup");
	assert_int_equal(s->oci.hooks.list[HOOK_CREATE_RUNTIME].n, 0);
}

/* Where the config is silent rampart stays hardened (oci.h). */
static void test_minimal_defaults(void **state)
{
	struct unit *u = *state;
	const struct spec *s = &u->s;

	assert_oci_ok(u, MINIMAL);
	assert_true(s->oci.active);
	assert_string_equal(s->oci.version, "1.0.2");
	assert_false(s->rootfs_readonly);
	assert_null(s->hostname);
	assert_null(s->oci.domainname);
	assert_strv(s->argv, (const char *const[]){ "/bin/sh", NULL });
	assert_null(s->env);
	assert_string_equal(s->cwd, "/");
	assert_string_equal(s->user.name, "0");
	assert_string_equal(s->user.group, "0");
	assert_null(s->user.groups);
	assert_int_equal(s->oci.umask, -1);
	assert_false(s->oci.oom_score_adj_set);
	assert_false(s->oci.personality_set);
	assert_false(s->oci.terminal);
	/* noNewPrivileges absent: on */
	assert_true(s->no_new_privs);
	/* no capabilities */
	assert_true(s->caps_keep == 0);
	assert_false(s->oci.caps_split);
	/* no core dumps unless the config says so */
	assert_true(s->rlimits[RLIMIT_CORE].set);
	assert_int_equal(s->rlimits[RLIMIT_CORE].value.rlim_max, 0);
	/* only the mount namespace is new: the others are the host's */
	assert_true(s->ns[NS_MNT].unshare);
	for (int t = 0; t < NS_COUNT; t++) {
		if (t != NS_MNT)
			assert_false(s->ns[t].unshare);
		assert_null(s->ns[t].path);
	}
	assert_int_equal(s->net.mode, NET_HOST);
	assert_int_equal(s->nmounts, 0);
	assert_int_equal(s->nuidmap, 0);
	assert_null(s->oci.cgroups_path);
	assert_null(s->oci.sysctl);
	assert_null(s->oci.annotations);
	assert_null(s->limits.unified);
	assert_false(s->limits.memory.set);
	/* no linux.seccomp: the default allowlist, profiles/syscalls.profile */
	assert_strv(s->profiles, (const char *const[]){ "syscalls", "config.json", NULL });
	assert_true(s->seccomp.enabled);
	assert_int_equal(s->seccomp.default_action.kind, SC_ERRNO);
	assert_int_equal(s->seccomp.default_action.errnum, EPERM);
	assert_non_null(find_rule(s, "read", 0));
	assert_null(find_rule(s, "mount", 0));
	for (int k = 0; k < HOOK_KINDS; k++)
		assert_int_equal(s->oci.hooks.list[k].n, 0);
}

static void test_no_new_privileges(void **state)
{
	struct unit *u = *state;

	assert_oci_ok(u, cfg(u, "process.noNewPrivileges", "true", NULL));
	assert_true(u->s.no_new_privs);
	reset(u);
	assert_oci_ok(u, cfg(u, "process.noNewPrivileges", "false", NULL));
	assert_false(u->s.no_new_privs);
	reset(u);
	assert_oci_ok(u, cfg(u, "process.noNewPrivileges", "null", NULL));
	assert_true(u->s.no_new_privs);
}

static void test_caps_same_sets(void **state)
{
	struct unit *u = *state;
	const char *set = "[\"CAP_NET_RAW\", \"CAP_SETUID\"]";
	uint64_t want = capbit("CAP_NET_RAW") | capbit("CAP_SETUID");

	assert_oci_ok(u, cfg(u, "process.capabilities.bounding", set, "process.capabilities.effective", set,
			     "process.capabilities.inheritable", set, "process.capabilities.permitted", set,
			     "process.capabilities.ambient", set, NULL));
	assert_true(u->s.caps_keep == want);
	assert_false(u->s.oci.caps_split);
	for (int i = 0; i < 5; i++)
		assert_true(u->s.oci.caps[i] == want);

	/* Only a bounding set: the other sets are empty, so they differ. */
	reset(u);
	assert_oci_ok(u, cfg(u, "process.capabilities.bounding", set, NULL));
	assert_true(u->s.caps_keep == want);
	assert_true(u->s.oci.caps_split);
	assert_true(u->s.oci.caps[3] == 0);
}

static void test_namespaces(void **state)
{
	struct unit *u = *state;
	const struct spec *s = &u->s;

	/* joined by path: ipc, uts, pid, cgroup; network through `net join` */
	assert_oci_ok(u, cfg(u, "linux.namespaces",
			     "[{\"type\": \"mount\"}, {\"type\": \"ipc\", \"path\": \"/proc/42/ns/ipc\"},"
			     " {\"type\": \"network\", \"path\": \"/var/run/netns/blue\"},"
			     " {\"type\": \"uts\", \"path\": \"/proc/42/ns/uts\"},"
			     " {\"type\": \"pid\", \"path\": \"/proc/42/ns/pid\"},"
			     " {\"type\": \"cgroup\", \"path\": \"\"}]",
			     NULL));
	assert_true(s->ns[NS_MNT].unshare);
	assert_false(s->ns[NS_IPC].unshare);
	assert_string_equal(s->ns[NS_IPC].path, "/proc/42/ns/ipc");
	assert_false(s->ns[NS_UTS].unshare);
	assert_string_equal(s->ns[NS_UTS].path, "/proc/42/ns/uts");
	assert_false(s->ns[NS_PID].unshare);
	assert_string_equal(s->ns[NS_PID].path, "/proc/42/ns/pid");
	assert_true(s->ns[NS_CGROUP].unshare); /* an empty path: a new one */
	assert_null(s->ns[NS_CGROUP].path);
	assert_false(s->ns[NS_USER].unshare);
	assert_int_equal(s->net.mode, NET_JOIN);
	assert_string_equal(s->net.join, "/var/run/netns/blue");
	assert_null(s->ns[NS_NET].path);

	/* a new network namespace: only lo */
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.namespaces[1]", "{\"type\": \"network\"}", NULL));
	assert_true(s->ns[NS_NET].unshare);
	assert_int_equal(s->net.mode, NET_NONE);
	assert_false(s->ns[NS_UTS].unshare);
}

static void test_hostname_needs_uts(void **state)
{
	struct unit *u = *state;

	assert_oci_ok(u, cfg(u, "hostname", "\"box\"", "linux.namespaces[1]", "{\"type\": \"uts\"}", NULL));
	assert_string_equal(u->s.hostname, "box");
	reset(u);
	assert_oci_err(u, cfg(u, "hostname", "\"box\"", NULL), "hostname: needs a uts namespace of the container's own");
	reset(u);
	assert_oci_err(u,
		       cfg(u, "hostname", "\"box\"", "linux.namespaces[1]",
			   "{\"type\": \"uts\", \"path\": \"/proc/1/ns/uts\"}", NULL),
		       "hostname: needs a uts namespace of the container's own");
	/* An empty hostname is still a hostname to set. */
	reset(u);
	assert_oci_err(u, cfg(u, "hostname", "\"\"", NULL), "hostname: needs a uts namespace of the container's own");
}

static void test_devices(void **state)
{
	struct unit *u = *state;
	char dev[64], json[512];
	unsigned maj, min;
	struct stat st;

	/* the built-in nodes are rampart's own */
	assert_oci_ok(u, cfg(u, "linux.devices",
			     "[{\"path\": \"/dev/null\", \"type\": \"c\", \"major\": 1, \"minor\": 3},"
			     " {\"path\": \"/dev/zero\", \"type\": \"c\", \"major\": 1, \"minor\": 5},"
			     " {\"path\": \"/dev/tty\", \"type\": \"c\", \"major\": 5, \"minor\": 0}]",
			     NULL));
	assert_int_equal(u->s.nmounts, 0);

	/* one the host has: bound from the host's node */
	if (host_chardev(dev, sizeof(dev), &maj, &min)) {
		reset(u);
		unit_fmt(json, sizeof(json), "[{\"path\": \"%s\", \"type\": \"c\", \"major\": %u, \"minor\": %u}]",
			 dev, maj, min);
		assert_oci_ok(u, cfg(u, "linux.devices", json, NULL));
		assert_int_equal(u->s.nmounts, 1);
		assert_string_equal(u->s.mounts[0].target, dev);
		assert_string_equal(u->s.mounts[0].source, dev);
		assert_true(u->s.mounts[0].device);
		assert_int_equal(u->s.mounts[0].kind, MOUNT_BIND);
		/* major and minor may be left out: whatever the host's node is */
		reset(u);
		unit_fmt(json, sizeof(json), "[{\"path\": \"%s\", \"type\": \"u\"}]", dev);
		assert_oci_ok(u, cfg(u, "linux.devices", json, NULL));
		assert_int_equal(u->s.nmounts, 1);
		/* the host's node is another device */
		reset(u);
		unit_fmt(json, sizeof(json), "[{\"path\": \"%s\", \"type\": \"c\", \"major\": %u, \"minor\": %u}]",
			 dev, maj, min + 1000);
		assert_oci_err(u, cfg(u, "linux.devices", json, NULL),
			       "linux.devices[0]: the host has no c device %u:%u at %s to bind (rampart never "
			       "creates device nodes)",
			       maj, min + 1000, dev);
		/* a character node asked for as a block device */
		reset(u);
		unit_fmt(json, sizeof(json), "[{\"path\": \"%s\", \"type\": \"b\", \"major\": %u, \"minor\": %u}]",
			 dev, maj, min);
		assert_oci_err(u, cfg(u, "linux.devices", json, NULL),
			       "linux.devices[0]: the host has no b device %u:%u at %s to bind (rampart never "
			       "creates device nodes)",
			       maj, min, dev);
	}
	if (stat("/dev/loop0", &st) == 0 && S_ISBLK(st.st_mode)) {
		reset(u);
		unit_fmt(json, sizeof(json), "[{\"path\": \"/dev/loop0\", \"type\": \"b\", \"major\": %u, \"minor\": %u}]",
			 major(st.st_rdev), minor(st.st_rdev));
		assert_oci_ok(u, cfg(u, "linux.devices", json, NULL));
		assert_true(u->s.mounts[0].device);
	}

	/* a node the host does not have is refused, never created */
	reset(u);
	assert_oci_err(u,
		       cfg(u, "linux.devices",
			   "[{\"path\": \"/dev/null\", \"type\": \"c\"},"
			   " {\"path\": \"/dev/rampart-no-such-node\", \"type\": \"c\", \"major\": 10, \"minor\": 99}]",
			   NULL),
		       "linux.devices[1]: the host has no c device 10:99 at /dev/rampart-no-such-node to bind "
		       "(rampart never creates device nodes)");
	reset(u);
	assert_oci_err(u,
		       cfg(u, "linux.devices", "[{\"path\": \"/dev/rampart-no-such-node\", \"type\": \"c\"}]", NULL),
		       "linux.devices[0]: the host has no c device -1:-1 at /dev/rampart-no-such-node to bind "
		       "(rampart never creates device nodes)");
	/* a regular file is no device */
	reset(u);
	assert_oci_err(u, cfg(u, "linux.devices", "[{\"path\": \"/etc/passwd\", \"type\": \"c\"}]", NULL),
		       "linux.devices[0]: the host has no c device -1:-1 at /etc/passwd to bind (rampart never "
		       "creates device nodes)");
}

static void test_mounts_more(void **state)
{
	struct unit *u = *state;
	const struct mount_spec *m;

	/* a later mount at the same place replaces the earlier one; tmpfs
	 * without noexec follows the config (exec) */
	assert_oci_ok(u, cfg(u, "mounts",
			     "[{\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"options\": [\"size=1m\"]},"
			     " {\"destination\": \"/tmp/\", \"type\": \"tmpfs\", \"options\": [\"ro\", \"size=2m\"]},"
			     " {\"destination\": \"/proc\", \"type\": \"proc\", \"options\": [\"bogus\"]},"
			     " {\"destination\": \"/etc/hosts\", \"type\": \"bind\", \"source\": \"/etc/hosts\"}]",
			     NULL));
	assert_int_equal(u->s.nmounts, 2);
	m = find_mount(&u->s, "/tmp");
	assert_non_null(m);
	assert_int_equal(m->size, 2 << 20);
	assert_true(m->readonly);
	assert_true(m->exec);
	assert_int_equal(m->mode, -1);
	m = find_mount(&u->s, "/etc/hosts");
	assert_non_null(m);
	assert_false(m->recursive); /* type bind without rbind: a plain bind */
	assert_int_equal(m->propagation, 0);

	/* "bind" in the options makes any type a bind mount */
	reset(u);
	assert_oci_ok(u, cfg(u, "mounts",
			     "[{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"/srv/p\","
			     "  \"options\": [\"rbind\", \"unbindable\", \"strictatime\"]}]",
			     NULL));
	m = find_mount(&u->s, "/proc");
	assert_non_null(m);
	assert_int_equal(m->kind, MOUNT_BIND);
	assert_true(m->recursive);
	assert_int_equal(m->propagation, MS_UNBINDABLE);
	assert_int_equal(m->attr, MOUNT_ATTR_STRICTATIME);
}

static void test_resources_more(void **state)
{
	struct unit *u = *state;
	const struct resources_spec *l = &u->s.limits;

	/* -1 and 0 mean "no limit" where runc says so */
	assert_oci_ok(u, cfg(u, "linux.resources",
			     "{\"memory\": {\"limit\": -1, \"swap\": -1, \"reservation\": -1},"
			     " \"cpu\": {\"quota\": -1}, \"pids\": {\"limit\": 0}}",
			     NULL));
	assert_true(l->memory.set && l->memory.value == LIMIT_MAX);
	assert_true(l->swap.set && l->swap.value == LIMIT_MAX);
	assert_true(l->cpu_quota.set && l->cpu_quota.value == LIMIT_MAX);
	assert_true(l->pids.set && l->pids.value == LIMIT_MAX);
	assert_strv(l->unified, (const char *const[]){ "memory.low=max", NULL });

	/* swap equal to the limit: no swap at all */
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.resources.memory", "{\"limit\": 1048576, \"swap\": 1048576}", NULL));
	assert_true(l->swap.set);
	assert_int_equal(l->swap.value, 0);
	/* swap without a memory limit: unlimited */
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.resources.memory", "{\"swap\": 1048576}", NULL));
	assert_true(l->swap.set && l->swap.value == LIMIT_MAX);
	assert_false(l->memory.set);

	/* the ends of runc's weight mappings */
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.resources", "{\"cpu\": {\"shares\": 2}, \"blockIO\": {\"weight\": 10}}", NULL));
	assert_int_equal(l->cpu_weight.value, 1);
	assert_int_equal(l->io_weight.value, 1);
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.resources", "{\"cpu\": {\"shares\": 262144}, \"blockIO\": {\"weight\": 1000}}",
			     NULL));
	assert_int_equal(l->cpu_weight.value, 10000);
	assert_int_equal(l->io_weight.value, 10000);

	/* linux.resources.devices (the v1 device cgroup) and empty refused
	 * lists are fine */
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.resources",
			     "{\"devices\": [{\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 3,"
			     " \"access\": \"rwm\"}], \"hugepageLimits\": [], \"rdma\": {},"
			     " \"blockIO\": {\"weightDevice\": []}}",
			     NULL));
	assert_false(limits_any(l));
}

static void test_sysctl(void **state)
{
	struct unit *u = *state;
	static const struct edit_case refused[] = {
		/* host-wide */
		{ "linux.sysctl", "{\"vm.swappiness\": \"10\"}", NULL, NULL,
		  "linux.sysctl.vm.swappiness: not a sysctl of a namespace the container has of its own" },
		{ "linux.sysctl", "{\"kernel.pid_max\": \"100000\"}", NULL, NULL,
		  "linux.sysctl.kernel.pid_max: not a sysctl of a namespace the container has of its own" },
		{ "linux.sysctl", "{\"fs.file-max\": \"100000\"}", NULL, NULL,
		  "linux.sysctl.fs.file-max: not a sysctl of a namespace the container has of its own" },
		/* namespaced, but the namespace is the host's */
		{ "linux.sysctl", "{\"net.ipv4.ip_forward\": \"1\"}", NULL, NULL,
		  "linux.sysctl.net.ipv4.ip_forward: not a sysctl of a namespace the container has of its own" },
		{ "linux.sysctl", "{\"kernel.shmmax\": \"1\"}", NULL, NULL,
		  "linux.sysctl.kernel.shmmax: not a sysctl of a namespace the container has of its own" },
		{ "linux.sysctl", "{\"fs.mqueue.msg_max\": \"64\"}", NULL, NULL,
		  "linux.sysctl.fs.mqueue.msg_max: not a sysctl of a namespace the container has of its own" },
		{ "linux.sysctl", "{\"kernel.hostname\": \"x\"}", NULL, NULL,
		  "linux.sysctl.kernel.hostname: not a sysctl of a namespace the container has of its own" },
		/* a joined namespace is not the container's own */
		{ "linux.sysctl", "{\"kernel.msgmax\": \"1\"}", "linux.namespaces[1]",
		  "{\"type\": \"ipc\", \"path\": \"/proc/1/ns/ipc\"}",
		  "linux.sysctl.kernel.msgmax: not a sysctl of a namespace the container has of its own" },
		{ "linux.sysctl", "{\"net.core.somaxconn\": \"1024\"}", "linux.namespaces[1]",
		  "{\"type\": \"network\", \"path\": \"/run/netns/x\"}",
		  "linux.sysctl.net.core.somaxconn: not a sysctl of a namespace the container has of its own" },
		/* no way out of /proc/sys */
		{ "linux.sysctl", "{\"net/../../x\": \"1\"}", "linux.namespaces[1]", "{\"type\": \"network\"}",
		  "linux.sysctl.net/../../x: not a sysctl of a namespace the container has of its own" },
		{ "linux.sysctl", "{\"net..x\": \"1\"}", "linux.namespaces[1]", "{\"type\": \"network\"}",
		  "linux.sysctl.net..x: not a sysctl of a namespace the container has of its own" },
		{ "linux.sysctl", "{\"net.ipv4.ip_forward\": \"1\\n2\"}", "linux.namespaces[1]", "{\"type\": \"network\"}",
		  "linux.sysctl.net.ipv4.ip_forward: bad value" },
		{ "linux.sysctl", "{\"net.ipv4.ip_forward\": 1}", "linux.namespaces[1]", "{\"type\": \"network\"}",
		  "linux.sysctl.net.ipv4.ip_forward: expected a string" },
	};

	assert_oci_ok(u, cfg(u, "linux.namespaces",
			     "[{\"type\": \"mount\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"network\"}]",
			     "linux.sysctl",
			     "{\"kernel.msgmnb\": \"65536\", \"kernel.sem\": \"250 32000 32 128\","
			     " \"kernel.shm_rmid_forced\": \"1\", \"fs.mqueue.queues_max\": \"512\","
			     " \"kernel.hostname\": \"h\", \"net.ipv4.ping_group_range\": \"0 2147483647\"}",
			     NULL));
	assert_strv(u->s.oci.sysctl,
		    (const char *const[]){ "kernel.msgmnb=65536", "kernel.sem=250 32000 32 128",
					   "kernel.shm_rmid_forced=1", "fs.mqueue.queues_max=512", "kernel.hostname=h",
					   "net.ipv4.ping_group_range=0 2147483647", NULL });
	RUN_CASES(u, refused);
}

static void test_cgroups_path(void **state)
{
	struct unit *u = *state;
	static const struct edit_case refused[] = {
		{ "linux.cgroupsPath", "\"system.slice:docker:abc\"", NULL, NULL,
		  "linux.cgroupsPath: 'system.slice:docker:abc' is not a cgroupfs path (systemd slice:prefix:name "
		  "paths need --systemd-cgroup, which rampart does not support)" },
		{ "linux.cgroupsPath", "\"/a/../../b\"", NULL, NULL,
		  "linux.cgroupsPath: '/a/../../b' is not a cgroupfs path (systemd slice:prefix:name paths need "
		  "--systemd-cgroup, which rampart does not support)" },
		{ "linux.cgroupsPath", "\"../escape\"", NULL, NULL,
		  "linux.cgroupsPath: '../escape' is not a cgroupfs path (systemd slice:prefix:name paths need "
		  "--systemd-cgroup, which rampart does not support)" },
		{ "linux.cgroupsPath", "\"/\"", NULL, NULL,
		  "linux.cgroupsPath: '/' is not a cgroupfs path (systemd slice:prefix:name paths need "
		  "--systemd-cgroup, which rampart does not support)" },
		{ "linux.cgroupsPath", "5", NULL, NULL, "linux.cgroupsPath: expected a string" },
	};

	assert_oci_ok(u, cfg(u, "linux.cgroupsPath", "\"/machine/ctr-1\"", NULL));
	assert_string_equal(u->s.oci.cgroups_path, "/machine/ctr-1");
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.cgroupsPath", "\"pods/ctr-1\"", NULL));
	assert_string_equal(u->s.oci.cgroups_path, "/rampart-oci/pods/ctr-1");
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.cgroupsPath", "\"\"", NULL));
	assert_null(u->s.oci.cgroups_path);
	RUN_CASES(u, refused);
}

static void test_seccomp(void **state)
{
	struct unit *u = *state;

	const struct sc_rule *r;

	/* SCMP_ACT_NOTIFY with an agent: its socket and metadata kept */
	assert_oci_ok(u, cfg(u, "linux.seccomp",
			     "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/agent.sock\","
			     " \"listenerMetadata\": \"m=1\","
			     " \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}",
			     NULL));
	assert_string_equal(u->s.oci.seccomp_agent, "/run/agent.sock");
	assert_string_equal(u->s.oci.seccomp_metadata, "m=1");
	r = find_rule(&u->s, "mkdir", 0);
	assert_non_null(r);
	assert_int_equal(r->action.kind, SC_NOTIFY);
	assert_true(seccomp_has_notify(&u->s.seccomp));
	reset(u);
	assert_oci_err(u, cfg(u, "linux.seccomp",
			      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerPath\": \"agent.sock\"}", NULL),
		       "linux.seccomp.listenerPath: 'agent.sock' is not an absolute path");
	reset(u);
	assert_oci_err(u, cfg(u, "linux.seccomp",
			      "{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerPath\": \"/run/agent.sock\"}", NULL),
		       "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default (name the syscalls to notify)");
	/* an empty listenerPath is no listener */
	reset(u);
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.seccomp",
			     "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"listenerPath\": \"\","
			     " \"syscalls\": [{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
			     NULL));
	assert_int_equal(u->s.seccomp.default_action.kind, SC_KILL);
	assert_non_null(find_rule(&u->s, "getpid", 0));
	assert_null(find_rule(&u->s, "read", 0));
	/* "profiles" says where the rules came from: the config, not syscalls */
	assert_strv(u->s.profiles, (const char *const[]){ "config.json", NULL });
	/* the importer's errors keep the file and the JSON path */
	reset(u);
	assert_int_equal(load(u, cfg(u, "linux.seccomp", "{\"defaultAction\": \"SCMP_ACT_BOGUS\"}", NULL)), -1);
	assert_err_prefix(u, SRC ": linux.seccomp.defaultAction: ");
	reset(u);
	assert_int_equal(load(u, cfg(u, "linux.seccomp",
				     "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
				     " \"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": [\"write\"], \"action\": "
				     "\"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
				     " {\"index\": 9, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
				     NULL)),
			 -1);
	assert_err_prefix(u, SRC ": linux.seccomp.syscalls[1].args[1].index: ");
}

static void test_hooks(void **state)
{
	struct unit *u = *state;
	static const struct edit_case refused[] = {
		{ "hooks", "[]", NULL, NULL, "hooks: expected an object" },
		{ "hooks.createRuntime", "[{\"path\": \"/bin/true\"}, {\"path\": \"/bin/x\", \"args\": [\"x\", 5]}]",
		  NULL, NULL, "hooks.createRuntime[1].args[1]: expected a string" },
	};

	assert_oci_ok(u, cfg(u, "hooks",
			     "{\"createRuntime\": [{\"path\": \"/a\"}, {\"path\": \"/b\", \"timeout\": 3}],"
			     " \"createContainer\": [{\"path\": \"/c\"}], \"startContainer\": [{\"path\": \"/d\"}],"
			     " \"poststart\": [{\"path\": \"/e\"}], \"future\": [{\"path\": \"relative\"}]}",
			     NULL));
	assert_int_equal(u->s.oci.hooks.list[HOOK_CREATE_RUNTIME].n, 2);
	assert_string_equal(u->s.oci.hooks.list[HOOK_CREATE_RUNTIME].v[1].path, "/b");
	assert_int_equal(u->s.oci.hooks.list[HOOK_CREATE_RUNTIME].v[1].timeout, 3);
	assert_null(u->s.oci.hooks.list[HOOK_CREATE_RUNTIME].v[0].args);
	assert_int_equal(u->s.oci.hooks.list[HOOK_CREATE_CONTAINER].n, 1);
	assert_int_equal(u->s.oci.hooks.list[HOOK_START_CONTAINER].n, 1);
	assert_int_equal(u->s.oci.hooks.list[HOOK_POSTSTART].n, 1);
	assert_int_equal(u->s.oci.hooks.list[HOOK_PRESTART].n, 0);
	RUN_CASES(u, refused);
	/* the hook's own message, whatever it says exactly, names the path */
	reset(u);
	assert_int_equal(load(u, cfg(u, "hooks.poststop", "[{\"path\": \"relative\"}]", NULL)), -1);
	assert_err_prefix(u, SRC ": hooks.poststop[0].path: ");
}

/* linux.netDevices: host devices moved into the container's own netns. */
static void test_net_devices(void **state)
{
	struct unit *u = *state;
	static const struct edit_case refused[] = {
		{ "linux.netDevices", "{\"eth1\": {}}", NULL, NULL,
		  "linux.netDevices: needs a new network namespace of the container's own" },
		{ "linux.netDevices", "{\"eth1\": {}}", "linux.namespaces[1]",
		  "{\"type\": \"network\", \"path\": \"/run/netns/x\"}",
		  "linux.netDevices: needs a new network namespace of the container's own" },
		{ "linux.netDevices", "{\"eth/1\": {}}", "linux.namespaces[1]", "{\"type\": \"network\"}",
		  "linux.netDevices.eth/1: 'eth/1' is not an interface name" },
		{ "linux.netDevices", "{\"0123456789abcdef\": {}}", "linux.namespaces[1]", "{\"type\": \"network\"}",
		  "linux.netDevices.0123456789abcdef: '0123456789abcdef' is not an interface name" },
		{ "linux.netDevices", "{\"eth1\": {\"name\": \"a=b\"}}", "linux.namespaces[1]", "{\"type\": \"network\"}",
		  "linux.netDevices.eth1.name: 'a=b' is not an interface name" },
		{ "linux.netDevices", "{\"eth1\": {\"name\": 5}}", "linux.namespaces[1]", "{\"type\": \"network\"}",
		  "linux.netDevices.eth1.name: expected a string" },
		{ "linux.netDevices", "{\"eth1\": \"eth0\"}", "linux.namespaces[1]", "{\"type\": \"network\"}",
		  "linux.netDevices.eth1: expected an object" },
		{ "linux.netDevices", "[\"eth1\"]", "linux.namespaces[1]", "{\"type\": \"network\"}",
		  "linux.netDevices: expected an object" },
	};

	assert_oci_ok(u, cfg(u, "linux.namespaces[1]", "{\"type\": \"network\"}", "linux.netDevices",
			     "{\"dummy0\": {}, \"veth9\": {\"name\": \"eth0\"}}", NULL));
	assert_strv(u->s.oci.net_devices, (const char *const[]){ "dummy0=dummy0", "veth9=eth0", NULL });
	/* an empty object moves nothing and needs nothing */
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.netDevices", "{}", NULL));
	assert_null(u->s.oci.net_devices);
	RUN_CASES(u, refused);
}

/* ---- errors ---------------------------------------------------------------- */

/* Regressions of the reader bugs the first version of these tests found. */
static void test_reader_regressions(void **state)
{
	struct unit *u = *state;
	static const struct edit_case c[] = {
		/* A realtime limit is refused whichever of the two is set. */
		{ "linux.resources", "{\"cpu\": {\"realtimeRuntime\": 950000, \"realtimePeriod\": 0}}", NULL, NULL,
		  "linux.resources.cpu: realtime CPU limits need cgroup v1, which rampart does not use" },
		/* An over-long unified value is refused, not dropped. */
		{ "linux.resources", "{\"unified\": {\"memory.max\": \"1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111\"}}",
		  NULL, NULL, "linux.resources.unified.memory.max: value too long" },
		/* "=" in a key would be split wrongly later. */
		{ "annotations", "{\"a=b\": \"c\"}", NULL, NULL, "annotations.a=b: a key with '=' is not supported" },
		{ "linux.resources", "{\"unified\": {\"memory.max=1\": \"2\"}}", NULL, NULL,
		  "linux.resources.unified.memory.max=1: not a controller file name" },
	};

	/* Numbers of 2^63 and more are numbers, not (empty) strings: raw
	 * text, since the test's own jansson cannot hold them. */
	static const struct { const char *json, *want; } big[] = {
#define BIG_HEAD "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"/bin/sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}"
		{ BIG_HEAD "},\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"ipc\"}],"
			   "\"sysctl\":{\"kernel.shmmax\":18446744073709551615}}}",
		  SRC ": linux.sysctl.kernel.shmmax: expected a string" },
		{ BIG_HEAD "},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],"
			   "\"resources\":{\"unified\":{\"memory.max\":9223372036854775808}}}}",
		  SRC ": linux.resources.unified.memory.max: expected a string" },
		{ BIG_HEAD "},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]},\"annotations\":{\"a\":18446744073709551615}}",
		  SRC ": annotations.a: expected a string" },
		{ BIG_HEAD "},\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"uts\"}]},\"hostname\":18446744073709551615}",
		  SRC ": hostname: expected a string" },
	};

	RUN_CASES(u, c);
	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		reset(u);
		assert_int_equal(load(u, big[i].json), -1);
		assert_string_equal(u->e.msg, big[i].want);
	}
	/* uint64 rlimits: UINT64_MAX is "unlimited", as Docker writes it. */
	reset(u);
	assert_oci_ok(u, BIG_HEAD ",\"rlimits\":[{\"type\":\"RLIMIT_MEMLOCK\",\"hard\":18446744073709551615,"
			  "\"soft\":18446744073709551615}]},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}");
#undef BIG_HEAD
	assert_true(u->s.rlimits[RLIMIT_MEMLOCK].set);
	assert_true(u->s.rlimits[RLIMIT_MEMLOCK].value.rlim_max == RLIM_INFINITY);
	/* cpu.shares and blockIO.weight 0 mean unset, as in runc. */
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.resources", "{\"cpu\": {\"shares\": 0}, \"blockIO\": {\"weight\": 0}}", NULL));
	assert_false(u->s.limits.cpu_weight.set);
	assert_false(u->s.limits.io_weight.set);
	/* netDevices "name": "" keeps the host's name. */
	reset(u);
	assert_oci_ok(u, cfg(u, "linux.namespaces[1]", "{\"type\": \"network\"}", "linux.netDevices",
			     "{\"eth9\": {\"name\": \"\"}}", NULL));
	assert_string_equal(u->s.oci.net_devices[0], "eth9=eth9");
}

static void test_wrong_types(void **state)
{
	static const struct edit_case cases[] = {
		{ "ociVersion", "1", NULL, NULL, "ociVersion: expected a string" },
		{ "root", "[]", NULL, NULL, "root: expected an object" },
		{ "root", "\"rootfs\"", NULL, NULL, "root: expected an object" },
		{ "root.path", "5", NULL, NULL, "root.path: expected a string" },
		{ "root.readonly", "\"yes\"", NULL, NULL, "root.readonly: expected true or false" },
		{ "root.readonly", "1", NULL, NULL, "root.readonly: expected true or false" },
		{ "hostname", "{}", NULL, NULL, "hostname: expected a string" },
		{ "domainname", "[]", NULL, NULL, "domainname: expected a string" },
		{ "process", "\"/bin/sh\"", NULL, NULL, "process: expected an object" },
		{ "process.args", "\"/bin/sh\"", NULL, NULL, "process.args: expected an array" },
		{ "process.args", "{}", NULL, NULL, "process.args: expected an array" },
		{ "process.args[1]", "7", NULL, NULL, "process.args[1]: expected a string" },
		{ "process.args[1]", "null", NULL, NULL, "process.args[1]: expected a string" },
		{ "process.env", "{\"A\": \"1\"}", NULL, NULL, "process.env: expected an array" },
		{ "process.env", "[\"A=1\", [\"B=2\"]]", NULL, NULL, "process.env[1]: expected a string" },
		{ "process.cwd", "[\"/\"]", NULL, NULL, "process.cwd: expected a string" },
		{ "process.terminal", "1", NULL, NULL, "process.terminal: expected true or false" },
		{ "process.consoleSize", "[24, 80]", NULL, NULL, "process.consoleSize: expected an object" },
		{ "process.consoleSize.height", "\"24\"", NULL, NULL, "process.consoleSize.height: expected an integer" },
		{ "process.consoleSize.width", "70000", NULL, NULL,
		  "process.consoleSize.width: 70000 is out of range (0 to 65535)" },
		{ "process.user", "[]", NULL, NULL, "process.user: expected an object" },
		{ "process.user.uid", "\"1000\"", NULL, NULL, "process.user.uid: expected an integer" },
		{ "process.user.gid", "1.5", NULL, NULL, "process.user.gid: expected an integer" },
		{ "process.user.uid", "-1", NULL, NULL, "process.user.uid: -1 is out of range (0 to 4294967294)" },
		{ "process.user.gid", "4294967295", NULL, NULL,
		  "process.user.gid: 4294967295 is out of range (0 to 4294967294)" },
		{ "process.user.umask", "512", NULL, NULL, "process.user.umask: 512 is out of range (0 to 511)" },
		{ "process.user.umask", "\"022\"", NULL, NULL, "process.user.umask: expected an integer" },
		{ "process.user.additionalGids", "{}", NULL, NULL, "process.user.additionalGids: expected an array" },
		{ "process.user.additionalGids", "[1, \"wheel\"]", NULL, NULL,
		  "process.user.additionalGids[1]: expected a gid (an integer)" },
		{ "process.user.additionalGids", "[1, 2, -3]", NULL, NULL,
		  "process.user.additionalGids[2]: expected a gid (an integer)" },
		{ "process.capabilities", "[\"CAP_KILL\"]", NULL, NULL, "process.capabilities: expected an object" },
		{ "process.capabilities.bounding", "\"CAP_KILL\"", NULL, NULL,
		  "process.capabilities.bounding: expected an array" },
		{ "process.capabilities.ambient", "[\"CAP_KILL\", 3]", NULL, NULL,
		  "process.capabilities.ambient[1]: expected a string" },
		{ "process.rlimits", "{}", NULL, NULL, "process.rlimits: expected an array" },
		{ "process.rlimits", "[5]", NULL, NULL, "process.rlimits[0]: expected an object" },
		{ "process.rlimits", "[{\"type\": 7, \"hard\": 1, \"soft\": 1}]", NULL, NULL,
		  "process.rlimits[0].type: expected a string" },
		{ "process.rlimits",
		  "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1, \"soft\": 1},"
		  " {\"type\": \"RLIMIT_NPROC\", \"hard\": \"10\", \"soft\": 1}]",
		  NULL, NULL, "process.rlimits[1].hard: expected a non-negative integer" },
		{ "process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1, \"soft\": -1}]", NULL, NULL,
		  "process.rlimits[0].soft: expected a non-negative integer" },
		{ "process.noNewPrivileges", "\"true\"", NULL, NULL, "process.noNewPrivileges: expected true or false" },
		{ "process.oomScoreAdj", "\"5\"", NULL, NULL, "process.oomScoreAdj: expected an integer" },
		{ "process.oomScoreAdj", "1001", NULL, NULL, "process.oomScoreAdj: 1001 is out of range (-1000 to 1000)" },
		{ "process.apparmorProfile", "5", NULL, NULL, "process.apparmorProfile: expected a string" },
		{ "mounts", "{}", NULL, NULL, "mounts: expected an array" },
		{ "mounts", "[\"/tmp\"]", NULL, NULL, "mounts[0]: expected an object" },
		{ "mounts", "[{\"destination\": 5}]", NULL, NULL, "mounts[0].destination: expected a string" },
		{ "mounts", "[{\"destination\": \"/x\", \"type\": [\"tmpfs\"]}]", NULL, NULL,
		  "mounts[0].type: expected a string" },
		{ "mounts", "[{\"destination\": \"/x\", \"type\": \"bind\", \"source\": {}}]", NULL, NULL,
		  "mounts[0].source: expected a string" },
		{ "mounts", "[{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": \"ro\"}]", NULL, NULL,
		  "mounts[0].options: expected an array" },
		{ "linux", "[]", NULL, NULL, "linux: expected an object" },
		{ "linux.namespaces", "{\"mount\": {}}", NULL, NULL, "linux.namespaces: expected an array" },
		{ "linux.namespaces", "[\"mount\"]", NULL, NULL, "linux.namespaces[0]: expected an object" },
		{ "linux.namespaces[1]", "{\"type\": 7}", NULL, NULL, "linux.namespaces[1].type: expected a string" },
		{ "linux.namespaces[1]", "{\"type\": \"pid\", \"path\": 1}", NULL, NULL,
		  "linux.namespaces[1].path: expected a string" },
		{ "linux.uidMappings", "{}", NULL, NULL, "linux.uidMappings: expected an array" },
		{ "linux.uidMappings", "[{\"containerID\": \"0\", \"hostID\": 1, \"size\": 1}]", NULL, NULL,
		  "linux.uidMappings[0].containerID: expected an integer" },
		{ "linux.gidMappings", "[{\"containerID\": 0, \"hostID\": 1, \"size\": 0}]", NULL, NULL,
		  "linux.gidMappings[0].size: 0 is out of range (1 to 4294967295)" },
		{ "linux.gidMappings", "[[0, 1, 1]]", NULL, NULL, "linux.gidMappings[0]: expected an object" },
		{ "linux.devices", "{}", NULL, NULL, "linux.devices: expected an array" },
		{ "linux.devices", "[[]]", NULL, NULL, "linux.devices[0]: expected an object" },
		{ "linux.devices", "[{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": \"10\"}]", NULL, NULL,
		  "linux.devices[0].major: expected an integer" },
		{ "linux.devices", "[{\"path\": [\"/dev/fuse\"], \"type\": \"c\"}]", NULL, NULL,
		  "linux.devices[0].path: expected a string" },
		{ "linux.resources", "[]", NULL, NULL, "linux.resources: expected an object" },
		{ "linux.resources.memory", "512", NULL, NULL, "linux.resources.memory: expected an object" },
		{ "linux.resources.memory.limit", "\"512M\"", NULL, NULL,
		  "linux.resources.memory.limit: expected an integer" },
		{ "linux.resources.memory.swap", "1e9", NULL, NULL, "linux.resources.memory.swap: expected an integer" },
		{ "linux.resources.memory.reservation", "true", NULL, NULL,
		  "linux.resources.memory.reservation: expected an integer" },
		{ "linux.resources.cpu", "[]", NULL, NULL, "linux.resources.cpu: expected an object" },
		{ "linux.resources.cpu.shares", "1.5", NULL, NULL, "linux.resources.cpu.shares: expected an integer" },
		{ "linux.resources.cpu.quota", "\"max\"", NULL, NULL, "linux.resources.cpu.quota: expected an integer" },
		{ "linux.resources.cpu.cpus", "[0, 1]", NULL, NULL, "linux.resources.cpu.cpus: expected a string" },
		{ "linux.resources.cpu.mems", "0", NULL, NULL, "linux.resources.cpu.mems: expected a string" },
		{ "linux.resources.pids", "5", NULL, NULL, "linux.resources.pids: expected an object" },
		{ "linux.resources.pids.limit", "\"max\"", NULL, NULL, "linux.resources.pids.limit: expected an integer" },
		{ "linux.resources.blockIO", "[]", NULL, NULL, "linux.resources.blockIO: expected an object" },
		{ "linux.resources.blockIO.weight", "\"500\"", NULL, NULL,
		  "linux.resources.blockIO.weight: expected an integer" },
		{ "linux.resources.blockIO.throttleReadBpsDevice", "{}", NULL, NULL,
		  "linux.resources.blockIO.throttleReadBpsDevice: expected an array" },
		{ "linux.resources.blockIO.throttleWriteIOPSDevice",
		  "[{\"major\": 8, \"minor\": 0, \"rate\": 1}, {\"major\": 8, \"minor\": 16, \"rate\": 1},"
		  " {\"major\": \"8\", \"minor\": 32, \"rate\": 1}]",
		  NULL, NULL, "linux.resources.blockIO.throttleWriteIOPSDevice[2].major: expected an integer" },
		{ "linux.resources.blockIO.throttleReadIOPSDevice", "[5]", NULL, NULL,
		  "linux.resources.blockIO.throttleReadIOPSDevice[0]: expected an object" },
		{ "linux.resources.unified", "[]", NULL, NULL, "linux.resources.unified: expected an object" },
		{ "linux.resources.unified", "{\"memory.max\": 1}", NULL, NULL,
		  "linux.resources.unified.memory.max: expected a string" },
		{ "linux.sysctl", "[]", NULL, NULL, "linux.sysctl: expected an object" },
		{ "linux.maskedPaths", "\"/proc/kcore\"", NULL, NULL, "linux.maskedPaths: expected an array" },
		{ "linux.readonlyPaths", "[\"/proc/sys\", false]", NULL, NULL, "linux.readonlyPaths[1]: expected a string" },
		{ "linux.personality", "\"LINUX\"", NULL, NULL, "linux.personality: expected an object" },
		{ "linux.personality.domain", "0", NULL, NULL, "linux.personality.domain: expected a string" },
		{ "linux.seccomp", "[]", NULL, NULL, "linux.seccomp: expected an object" },
		{ "linux.seccomp", "{\"listenerPath\": 5}", NULL, NULL, "linux.seccomp.listenerPath: expected a string" },
		{ "linux.cgroupsPath", "[\"/a\"]", NULL, NULL, "linux.cgroupsPath: expected a string" },
		{ "linux.rootfsPropagation", "1", NULL, NULL, "linux.rootfsPropagation: expected a string" },
		{ "linux.mountLabel", "{}", NULL, NULL, "linux.mountLabel: expected a string" },
		{ "annotations", "[]", NULL, NULL, "annotations: expected an object" },
		{ "annotations", "{\"a\": \"1\", \"b\": 2}", NULL, NULL, "annotations.b: expected a string" },
	};

	RUN_CASES((struct unit *)*state, cases);
}

static void test_missing_required(void **state)
{
	static const struct edit_case cases[] = {
		{ "ociVersion", NULL, NULL, NULL, "ociVersion: missing" },
		{ "ociVersion", "null", NULL, NULL, "ociVersion: missing" },
		{ "root", NULL, NULL, NULL, "root: missing" },
		{ "root.path", NULL, NULL, NULL, "root.path: missing" },
		{ "root.path", "\"\"", NULL, NULL, "root.path: missing" },
		{ "root.path", "\"nope\"", NULL, NULL, "root.path: nope: No such file or directory" },
		{ "process", NULL, NULL, NULL, "process: missing (create and run need the process to start)" },
		{ "process.args", NULL, NULL, NULL, "process.args: needs at least the program to run" },
		{ "process.args", "[]", NULL, NULL, "process.args: needs at least the program to run" },
		{ "process.args", "[\"\", \"x\"]", NULL, NULL, "process.args: needs at least the program to run" },
		{ "process.cwd", NULL, NULL, NULL, "process.cwd: missing" },
		{ "process.user", NULL, NULL, NULL, "process.user: missing" },
		{ "linux", NULL, NULL, NULL, "linux: missing" },
		{ "linux.namespaces", NULL, NULL, NULL,
		  "linux.namespaces: rampart needs a mount namespace (add {\"type\": \"mount\"})" },
		{ "linux.namespaces", "[{\"type\": \"pid\"}, {\"type\": \"network\"}]", NULL, NULL,
		  "linux.namespaces: rampart needs a mount namespace (add {\"type\": \"mount\"})" },
		{ "mounts", "[{\"type\": \"tmpfs\", \"source\": \"tmpfs\"}]", NULL, NULL, "mounts[0].destination: missing" },
		{ "mounts", "[{\"destination\": \"/x\", \"type\": \"bind\"}]", NULL, NULL,
		  "mounts[0].source: missing (a bind mount needs one)" },
		{ "mounts", "[{\"destination\": \"/x\", \"source\": \"\", \"options\": [\"rbind\"]}]", NULL, NULL,
		  "mounts[0].source: missing (a bind mount needs one)" },
		{ "process.rlimits", "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 10}]", NULL, NULL,
		  "process.rlimits[0]: needs both 'hard' and 'soft'" },
		{ "process.rlimits", "[{\"hard\": 10, \"soft\": 10}]", NULL, NULL, "process.rlimits[0].type: unknown rlimit ''" },
		{ "linux.uidMappings", "[{\"containerID\": 0, \"hostID\": 1000}]", NULL, NULL,
		  "linux.uidMappings[0]: needs containerID, hostID and size" },
		{ "linux.resources.blockIO.throttleWriteBpsDevice", "[{\"major\": 8, \"rate\": 10}]", NULL, NULL,
		  "linux.resources.blockIO.throttleWriteBpsDevice[0]: needs major, minor and rate" },
		{ "linux.devices", "[{\"type\": \"c\", \"major\": 1, \"minor\": 3}]", NULL, NULL,
		  "linux.devices[0].path: missing" },
		{ "linux.devices", "[{\"path\": \"/dev/null\"}]", NULL, NULL,
		  "linux.devices[0].type: '' is not supported (c, u or b)" },
		{ "linux.personality", "{}", NULL, NULL, "linux.personality.domain: '' is not LINUX or LINUX32" },
	};

	RUN_CASES((struct unit *)*state, cases);
}

static void test_refused_values(void **state)
{
	static const struct edit_case cases[] = {
		{ "ociVersion", "\"2.0.0\"", NULL, NULL, "ociVersion: '2.0.0' is not a 1.x runtime-spec version" },
		{ "ociVersion", "\"1\"", NULL, NULL, "ociVersion: '1' is not a 1.x runtime-spec version" },
		{ "ociVersion", "\"\"", NULL, NULL, "ociVersion: '' is not a 1.x runtime-spec version" },
		{ "process.apparmorProfile", "\"docker-default\"", NULL, NULL,
		  "process.apparmorProfile: AppArmor is not supported by rampart (remove it, or use a runtime that "
		  "applies it)" },
		{ "process.selinuxLabel", "\"system_u:system_r:container_t:s0\"", NULL, NULL,
		  "process.selinuxLabel: SELinux is not supported by rampart (remove it, or use a runtime that "
		  "applies it)" },
		{ "linux.mountLabel", "\"system_u:object_r:container_file_t:s0\"", NULL, NULL,
		  "linux.mountLabel: SELinux is not supported by rampart" },
		/* namespaces */
		{ "linux.namespaces[1]", "{\"type\": \"time\"}", NULL, NULL,
		  "linux.namespaces[1].type: unknown or unsupported namespace 'time'" },
		{ "linux.namespaces[1]", "{\"type\": \"mnt\"}", NULL, NULL,
		  "linux.namespaces[1].type: unknown or unsupported namespace 'mnt'" },
		{ "linux.namespaces[1]", "{\"type\": \"net\"}", NULL, NULL,
		  "linux.namespaces[1].type: unknown or unsupported namespace 'net'" },
		{ "linux.namespaces[1]", "{\"type\": \"NETWORK\"}", NULL, NULL,
		  "linux.namespaces[1].type: unknown or unsupported namespace 'NETWORK'" },
		{ "linux.namespaces[1]", "{}", NULL, NULL, "linux.namespaces[1].type: unknown or unsupported namespace ''" },
		{ "linux.namespaces[1]", "{\"type\": \"user\", \"path\": \"/proc/1/ns/user\"}", NULL, NULL,
		  "linux.namespaces[1].path: joining an existing user namespace is not supported" },
		{ "linux.namespaces[0]", "{\"type\": \"mount\", \"path\": \"/proc/1/ns/mnt\"}", NULL, NULL,
		  "linux.namespaces[0].path: joining an existing mount namespace is not supported" },
		{ "linux.namespaces[1]", "{\"type\": \"ipc\", \"path\": \"proc/1/ns/ipc\"}", NULL, NULL,
		  "linux.namespaces[1].path: 'proc/1/ns/ipc' is not an absolute path" },
		{ "linux.namespaces[1]", "{\"type\": \"mount\"}", NULL, NULL,
		  "linux.namespaces[1]: the mount namespace is listed twice" },
		{ "linux.namespaces",
		  "[{\"type\": \"mount\"}, {\"type\": \"pid\", \"path\": \"/proc/1/ns/pid\"}, {\"type\": \"pid\"}]",
		  NULL, NULL, "linux.namespaces[2]: the pid namespace is listed twice" },
		/* capabilities */
		{ "process.capabilities.bounding", "[\"CAP_KILL\", \"CAP_FLY\"]", NULL, NULL,
		  "process.capabilities.bounding[1]: unknown capability 'CAP_FLY'" },
		{ "process.capabilities.effective", "[\"chown\"]", NULL, NULL,
		  "process.capabilities.effective[0]: unknown capability 'chown'" },
		{ "process.capabilities.permitted", "[\"CAP_\"]", NULL, NULL,
		  "process.capabilities.permitted[0]: unknown capability 'CAP_'" },
		/* rlimits */
		{ "process.rlimits", "[{\"type\": \"RLIMIT_FOO\", \"hard\": 1, \"soft\": 1}]", NULL, NULL,
		  "process.rlimits[0].type: unknown rlimit 'RLIMIT_FOO'" },
		{ "process.rlimits", "[{\"type\": \"NOFILE\", \"hard\": 1, \"soft\": 1}]", NULL, NULL,
		  "process.rlimits[0].type: unknown rlimit 'NOFILE'" },
		{ "process.rlimits",
		  "[{\"type\": \"RLIMIT_CORE\", \"hard\": 0, \"soft\": 0},"
		  " {\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 4096}]",
		  NULL, NULL, "process.rlimits[1]: soft limit above hard limit" },
		/* mounts */
		{ "mounts", "[{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"ro\", \"foo\"]}]", NULL, NULL,
		  "mounts[0].options[1]: unsupported mount option 'foo'" },
		{ "mounts", "[{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"size=lots\"]}]", NULL, NULL,
		  "mounts[0].options[0]: bad tmpfs size 'lots'" },
		{ "mounts", "[{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"mode=999\"]}]", NULL, NULL,
		  "mounts[0].options[0]: bad tmpfs mode '999'" },
		{ "mounts", "[{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"uid=0,gid=0\"]}]", NULL, NULL,
		  "mounts[0].options[0]: bad tmpfs option 'uid=0,gid=0'" },
		{ "mounts",
		  "[{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"/srv\", \"options\": [\"rbind\", "
		  "\"size=1m\"]}]",
		  NULL, NULL, "mounts[0].options[1]: unsupported mount option 'size=1m'" },
		{ "mounts",
		  "[{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"/srv\", \"options\": [\"rbind\", "
		  "\"nosuid\", \"remount\"]}]",
		  NULL, NULL, "mounts[0].options[2]: unsupported mount option 'remount'" },
		{ "mounts", "[{\"destination\": \"/mnt\", \"type\": \"nfs\", \"source\": \"server:/export\"}]", NULL, NULL,
		  "mounts[0].type: 'nfs' is not supported at /mnt (bind mounts and tmpfs are; proc, sysfs, devpts, "
		  "mqueue and cgroup only at their usual places, where rampart mounts its own)" },
		{ "mounts", "[{\"destination\": \"/mnt/proc\", \"type\": \"proc\", \"source\": \"proc\"}]", NULL, NULL,
		  "mounts[0].type: 'proc' is not supported at /mnt/proc (bind mounts and tmpfs are; proc, sysfs, "
		  "devpts, mqueue and cgroup only at their usual places, where rampart mounts its own)" },
		{ "mounts", "[{\"destination\": \"/x\", \"options\": [\"ro\"]}]", NULL, NULL,
		  "mounts[0].type: '' is not supported at /x (bind mounts and tmpfs are; proc, sysfs, devpts, "
		  "mqueue and cgroup only at their usual places, where rampart mounts its own)" },
		{ "mounts", "[{\"destination\": \"x\", \"type\": \"tmpfs\"}]", NULL, NULL,
		  "mounts[0].destination: 'x' is not an absolute path without . or .. components" },
		{ "mounts", "[{\"destination\": \"/a/../etc\", \"type\": \"tmpfs\"}]", NULL, NULL,
		  "mounts[0].destination: '/a/../etc' is not an absolute path without . or .. components" },
		/* process */
		{ "process.env", "[\"A=1\", \"FOO\"]", NULL, NULL, "process.env[1]: 'FOO' is not NAME=VALUE" },
		{ "process.env", "[\"=x\"]", NULL, NULL, "process.env[0]: '=x' is not NAME=VALUE" },
		{ "process.cwd", "\"srv\"", NULL, NULL, "process.cwd: 'srv' is not an absolute path without . or .. components" },
		{ "process.user.additionalGids",
		  "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33]", NULL, NULL,
		  "process.user.additionalGids: more than 32 groups" },
		{ "hostname", "\"01234567890123456789012345678901234567890123456789012345678901234\"", NULL, NULL,
		  "hostname: longer than 64 bytes" },
		/* linux */
		{ "linux.uidMappings",
		  "[{\"containerID\": 0, \"hostID\": 4294967000, \"size\": 1000}]", NULL, NULL,
		  "linux.uidMappings[0]: range runs past the largest id" },
		{ "linux.gidMappings",
		  "[{\"containerID\": 0, \"hostID\": 1, \"size\": 1}, {\"containerID\": 1, \"hostID\": 2, \"size\": 1},"
		  " {\"containerID\": 2, \"hostID\": 3, \"size\": 1}, {\"containerID\": 3, \"hostID\": 4, \"size\": 1},"
		  " {\"containerID\": 4, \"hostID\": 5, \"size\": 1}, {\"containerID\": 5, \"hostID\": 6, \"size\": 1}]",
		  NULL, NULL, "linux.gidMappings: more than 5 ranges" },
		{ "linux.devices", "[{\"path\": \"/dev/fifo\", \"type\": \"p\"}]", NULL, NULL,
		  "linux.devices[0].type: 'p' is not supported (c, u or b)" },
		{ "linux.devices", "[{\"path\": \"dev/fuse\", \"type\": \"c\"}]", NULL, NULL,
		  "linux.devices[0].path: 'dev/fuse' is not an absolute path without . or .. components" },
		{ "linux.maskedPaths", "[\"/proc/kcore\", \"proc/acpi\"]", NULL, NULL,
		  "linux.maskedPaths[1]: 'proc/acpi' is not an absolute path without . or .. components" },
		{ "linux.personality", "{\"domain\": \"PER_BSD\"}", NULL, NULL,
		  "linux.personality.domain: 'PER_BSD' is not LINUX or LINUX32" },
		{ "linux.personality", "{\"domain\": \"LINUX\", \"flags\": [\"ADDR_NO_RANDOMIZE\"]}", NULL, NULL,
		  "linux.personality.flags: personality flags are not supported" },
		{ "linux.rootfsPropagation", "\"shared\"", NULL, NULL,
		  "linux.rootfsPropagation: 'shared' is not supported (private or slave)" },
		{ "linux.intelRdt", "{\"closID\": \"guaranteed\"}", NULL, NULL, "linux.intelRdt: Intel RDT is not supported" },
		{ "linux.timeOffsets", "{\"monotonic\": {\"secs\": 1}}", NULL, NULL,
		  "linux.timeOffsets: time namespaces are not supported" },
		/* resources */
		{ "linux.resources.memory", "{\"limit\": 2097152, \"swap\": 1048576}", NULL, NULL,
		  "linux.resources.memory.swap: less than the memory limit (it counts memory plus swap)" },
		{ "linux.resources.memory.limit", "-2", NULL, NULL,
		  "linux.resources.memory.limit: -2 is out of range (-1 to 9223372036854775807)" },
		{ "linux.resources.cpu.shares", "1", NULL, NULL, "linux.resources.cpu.shares: 1 is out of range (0, or 2 to 262144)" },
		{ "linux.resources.cpu.period", "999", NULL, NULL,
		  "linux.resources.cpu.period: 999 is out of range (1000 to 1000000)" },
		{ "linux.resources.cpu.realtimeRuntime", "950000", NULL, NULL,
		  "linux.resources.cpu: realtime CPU limits need cgroup v1, which rampart does not use" },
		{ "linux.resources.blockIO.weight", "1001", NULL, NULL,
		  "linux.resources.blockIO.weight: 1001 is out of range (0 to 1000)" },
		{ "linux.resources.blockIO.weightDevice", "[{\"major\": 8, \"minor\": 0, \"weight\": 500}]", NULL, NULL,
		  "linux.resources.blockIO.weightDevice: per-device weights are not supported" },
		{ "linux.resources.hugepageLimits", "[{\"pageSize\": \"2MB\", \"limit\": 1}]", NULL, NULL,
		  "linux.resources.hugepageLimits: hugepage limits are not supported" },
		{ "linux.resources.network", "{\"classID\": 1}", NULL, NULL,
		  "linux.resources.network: network classes need cgroup v1, which rampart does not use" },
		{ "linux.resources.rdma", "{\"mlx5_1\": {\"hcaHandles\": 3}}", NULL, NULL,
		  "linux.resources.rdma: rdma limits are not supported" },
		{ "linux.resources.unified", "{\"cgroup.procs\": \"1\"}", NULL, NULL,
		  "linux.resources.unified.cgroup.procs: not a controller file name" },
		{ "linux.resources.unified", "{\"memory\": \"1\"}", NULL, NULL,
		  "linux.resources.unified.memory: not a controller file name" },
		{ "linux.resources.unified", "{\"../memory.max\": \"1\"}", NULL, NULL,
		  "linux.resources.unified.../memory.max: not a controller file name" },
		{ "linux.resources.unified", "{\".memory\": \"1\"}", NULL, NULL,
		  "linux.resources.unified..memory: not a controller file name" },
	};

	RUN_CASES((struct unit *)*state, cases);
}

/* Paths through nested arrays name every index on the way. */
static void test_nested_paths(void **state)
{
	static const struct edit_case cases[] = {
		{ "mounts",
		  "[{\"destination\": \"/a\", \"type\": \"tmpfs\"}, {\"destination\": \"/b\", \"type\": \"tmpfs\"},"
		  " {\"destination\": \"/c\", \"type\": \"tmpfs\", \"options\": [\"ro\", 5]}]",
		  NULL, NULL, "mounts[2].options[1]: expected a string" },
		{ "mounts",
		  "[{\"destination\": \"/a\", \"type\": \"tmpfs\"}, {\"destination\": \"/b\", \"type\": \"tmpfs\"},"
		  " {\"destination\": \"/c\", \"type\": \"tmpfs\", \"options\": [\"ro\", \"nosuid\", \"mode=x\"]}]",
		  NULL, NULL, "mounts[2].options[2]: bad tmpfs mode 'x'" },
		{ "mounts[0]", "{\"destination\": \"/a\", \"type\": \"tmpfs\"}", "mounts[1]",
		  "{\"destination\": \"/d\", \"type\": \"bind\", \"source\": \"/s\", \"options\": [[]]}",
		  "mounts[1].options[0]: expected a string" },
		{ "process.rlimits",
		  "[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1, \"soft\": 1}, {\"type\": \"RLIMIT_NPROC\", \"hard\": 1,"
		  " \"soft\": 1}, {\"type\": \"RLIMIT_AS\", \"hard\": 1, \"soft\": 1}, {\"type\": \"RLIMIT_CORE\","
		  " \"hard\": [], \"soft\": 0}]",
		  NULL, NULL, "process.rlimits[3].hard: expected a non-negative integer" },
		{ "linux.namespaces",
		  "[{\"type\": \"mount\"}, {\"type\": \"pid\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"},"
		  " {\"type\": \"user\", \"path\": \"/proc/7/ns/user\"}]",
		  NULL, NULL, "linux.namespaces[4].path: joining an existing user namespace is not supported" },
		{ "linux.resources.blockIO.throttleReadBpsDevice",
		  "[{\"major\": 8, \"minor\": 0, \"rate\": 1}, {\"major\": 8, \"minor\": -1, \"rate\": 1}]", NULL, NULL,
		  "linux.resources.blockIO.throttleReadBpsDevice[1].minor: -1 is out of range (0 to 4294967295)" },
		{ "hooks.prestart", "[{\"path\": \"/a\"}, {\"path\": \"/b\", \"env\": [\"A=1\", 2]}]", NULL, NULL,
		  "hooks.prestart[1].env[1]: expected a string" },
		{ "process.capabilities.inheritable", "[\"CAP_KILL\", \"CAP_CHOWN\", \"CAP_NOPE\"]", NULL, NULL,
		  "process.capabilities.inheritable[2]: unknown capability 'CAP_NOPE'" },
	};

	RUN_CASES((struct unit *)*state, cases);
}

/* An over-long key is cut in the path, never overrun. */
static void test_long_path_cut(void **state)
{
	struct unit *u = *state;
	char key[401], obj[512], want[300];

	memset(key, 'k', 400);
	key[400] = '\0';
	unit_fmt(obj, sizeof(obj), "{\"%s\": 1}", key);
	assert_int_equal(load(u, cfg(u, "annotations", obj, NULL)), -1);
	/* "annotations." and the key, cut to 252 bytes, then "..." */
	unit_fmt(want, sizeof(want), "annotations.%.240s...", key);
	assert_err(u, SRC ": %s: expected a string", want);
}

static void test_broken_json(void **state)
{
	struct unit *u = *state;

	assert_int_equal(load(u, "{\"ociVersion\": \"1.0.2\",\n  \"root\": {\"path\": \"rootfs\"\n}"), -1);
	assert_err(u, SRC ":3:1: '}' expected near end of file");
	reset(u);
	assert_int_equal(load(u, "{\"ociVersion\": \"1.0.2\",\n \"process\": {\"args\": [\"/bin/sh\",]}}"), -1);
	assert_err(u, SRC ":2:33: unexpected token near ']'");
	reset(u);
	assert_int_equal(load(u, ""), -1);
	assert_err(u, SRC ":1:0: '[' or '{' expected near end of file");
	reset(u);
	assert_int_equal(load(u, "{\"a\": 1, \"a\": 2}"), -1);
	assert_err(u, SRC ":1:12: duplicate object key near '\"a\"'");
	reset(u);
	assert_int_equal(load(u, "{\"ociVersion\": \"1.\\u0000\"}"), -1);
	assert_err(u, SRC ":1:19: \\u0000 (a NUL character) in a string is not supported");
	/* valid JSON, but not an object */
	reset(u);
	assert_int_equal(load(u, "[]"), -1);
	assert_err(u, SRC ": (top level): expected an object");
	/* a NUL byte in the text itself */
	reset(u);
	assert_int_equal(loadn(u, "{\"ociVersion\": \"1.0\0\"}", 21), -1);
	assert_int_equal(u->e.exit_code, RP_EXIT_ERROR);
	assert_null(strchr(u->e.msg, '\n'));
}

/* config.json through the file: oci_config_load names BUNDLE/config.json. */
static void test_load_file(void **state)
{
	struct unit *u = *state;
	char want[PATH_MAX + 64];

	unit_write(u, "bundle/config.json", MINIMAL);
	if (oci_config_load(&u->s, bundle(u), &u->e) != 0)
		fail_msg("load: %s", u->e.msg);
	assert_string_equal(u->s.rootfs, unit_path(u, "bundle/rootfs"));
	reset(u);
	unit_write(u, "bundle/config.json", "{\"ociVersion\": \"3\"}");
	assert_int_equal(oci_config_load(&u->s, bundle(u), &u->e), -1);
	unit_fmt(want, sizeof(want), "%s/config.json: ociVersion: '3' is not a 1.x runtime-spec version", bundle(u));
	assert_string_equal(u->e.msg, want);
	assert_int_equal(u->e.exit_code, RP_EXIT_ERROR);
	/* root.path absolute, a symlink resolved */
	reset(u);
	unit_mkdir(u, "elsewhere/root");
	assert_int_equal(symlink(unit_path(u, "elsewhere/root"), unit_path(u, "bundle/link")), 0);
	assert_oci_ok(u, cfg(u, "root.path", "\"link\"", NULL));
	assert_string_equal(u->s.rootfs, unit_path(u, "elsewhere/root"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_full_config),
		TEST(test_reader_regressions),
		TEST(test_minimal_defaults),
		TEST(test_no_new_privileges),
		TEST(test_caps_same_sets),
		TEST(test_namespaces),
		TEST(test_hostname_needs_uts),
		TEST(test_devices),
		TEST(test_mounts_more),
		TEST(test_resources_more),
		TEST(test_sysctl),
		TEST(test_cgroups_path),
		TEST(test_seccomp),
		TEST(test_hooks),
		TEST(test_net_devices),
		TEST(test_wrong_types),
		TEST(test_missing_required),
		TEST(test_refused_values),
		TEST(test_nested_paths),
		TEST(test_long_path_cut),
		TEST(test_broken_json),
		TEST(test_load_file),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
