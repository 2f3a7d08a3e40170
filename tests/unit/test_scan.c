/* test_scan.c - the scan's rules on made-up entries (severity and detail
 * of every kind), file capability decoding, the order of findings, and a
 * real walk of a small tree that must not follow symlinks.
 */
#include "unit.h"

#include <sys/sysmacros.h>

#include "scan.h"

/* ---- helpers ----------------------------------------------------------- */

struct fake {
	struct stat st;
	struct scan_entry en;
	struct scan_result r;
};

static struct fake *fake(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	static struct fake f;

	scan_result_free(&f.r);
	memset(&f, 0, sizeof(f));
	f.st.st_mode = mode;
	f.st.st_uid = uid;
	f.st.st_gid = gid;
	f.en.path = path;
	f.en.st = &f.st;
	return &f;
}

/* The findings of F, one "severity kind detail" line each, sorted. */
static const char *check(struct fake *f)
{
	static char out[2048];

	scan_check(&f->r, &f->en);
	scan_finish(&f->r);
	out[0] = '\0';
	for (size_t i = 0; i < f->r.n; i++) {
		size_t used = strlen(out);

		assert_string_equal(f->r.v[i].path, f->en.path);
		unit_fmt(out + used, sizeof(out) - used, "%s%s %s %s", used ? "\n" : "",
			 scan_severity_name(f->r.v[i].severity), scan_kind_name(f->r.v[i].kind),
			 f->r.v[i].detail);
	}
	return out;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A vfs_cap_data value: revision 1, 2 or 3. */
static size_t caps_blob(unsigned char *b, int rev, bool eff, uint64_t perm, uint64_t inh,
			uint32_t rootid)
{
	size_t len = rev == 1 ? 12 : rev == 2 ? 20 : 24;

	memset(b, 0, 24);
	put_le32(b, (uint32_t)rev << 24 | (eff ? 1u : 0u));
	put_le32(b + 4, (uint32_t)perm);
	put_le32(b + 8, (uint32_t)inh);
	if (rev > 1) {
		put_le32(b + 12, (uint32_t)(perm >> 32));
		put_le32(b + 16, (uint32_t)(inh >> 32));
	}
	if (rev == 3)
		put_le32(b + 20, rootid);
	return len;
}

/* ---- the rules ------------------------------------------------------------ */

static void test_setuid_setgid(void **state)
{
	(void)state;
	assert_string_equal(check(fake("/usr/bin/passwd", S_IFREG | 04755, 0, 0)),
			    "high setuid owner 0:0 mode 4755");
	assert_string_equal(check(fake("/usr/bin/x", S_IFREG | 04755, 1000, 1000)),
			    "medium setuid owner 1000:1000 mode 4755");
	assert_string_equal(check(fake("/usr/bin/wall", S_IFREG | 02755, 0, 5)),
			    "medium setgid owner 0:5 mode 2755");
	assert_string_equal(check(fake("/usr/bin/both", S_IFREG | 06755, 0, 0)),
			    "high setuid owner 0:0 mode 6755\nmedium setgid owner 0:0 mode 6755");
	/* On a directory setgid is group inheritance, setuid is nothing. */
	assert_string_equal(check(fake("/srv/shared", S_IFDIR | 06775, 0, 0)), "");
}

static void test_world_writable(void **state)
{
	(void)state;
	assert_string_equal(check(fake("/etc/x", S_IFREG | 0666, 0, 0)),
			    "medium world-writable file, mode 0666");
	assert_string_equal(check(fake("/run/p", S_IFIFO | 0622, 0, 0)),
			    "medium world-writable fifo, mode 0622");
	assert_string_equal(check(fake("/var/drop", S_IFDIR | 0777, 0, 0)),
			    "medium world-writable-dir mode 0777, no sticky bit");
	assert_string_equal(check(fake("/tmp", S_IFDIR | 01777, 0, 0)), "");
	assert_string_equal(check(fake("/lib/l", S_IFLNK | 0777, 0, 0)), "");
}

static void test_devices(void **state)
{
	struct fake *f;

	(void)state;
	f = fake("/dev/sda", S_IFBLK | 0660, 0, 6);
	f->st.st_rdev = makedev(8, 0);
	assert_string_equal(check(f), "high block-device block 8:0 mode 0660 owner 0:6");
	f = fake("/dev/null", S_IFCHR | 0666, 0, 0);
	f->st.st_rdev = makedev(1, 3);
	assert_string_equal(check(f), "low char-device char 1:3 (null) mode 0666 owner 0:0");
	/* Judged by number, not by name: 1:1 is /dev/mem. */
	f = fake("/dev/null2", S_IFCHR | 0666, 0, 0);
	f->st.st_rdev = makedev(1, 1);
	assert_string_equal(check(f), "medium char-device char 1:1 mode 0666 owner 0:0");
	f = fake("/dev/tty", S_IFCHR | 0666, 0, 5);
	f->st.st_rdev = makedev(5, 0);
	assert_string_equal(check(f), "low char-device char 5:0 (tty) mode 0666 owner 0:5");
	f = fake("/usr/.wh", S_IFCHR | 0000, 0, 0);
	assert_string_equal(check(f), "low char-device char 0:0 (overlay whiteout) mode 0000 owner 0:0");
}

static void test_programs(void **state)
{
	struct fake *f;

	(void)state;
	assert_string_equal(check(fake("/usr/sbin/sshd", S_IFREG | 0755, 0, 0)),
			    "high sshd owner 0:0 mode 0755");
	assert_string_equal(check(fake("/opt/ssh/sbin/dropbear", S_IFREG | 0700, 0, 0)),
			    "high sshd owner 0:0 mode 0700");
	/* Not a program: a PAM file and a directory of that name. */
	assert_string_equal(check(fake("/etc/pam.d/sshd", S_IFREG | 0644, 0, 0)), "");
	assert_string_equal(check(fake("/run/sshd", S_IFDIR | 0755, 0, 0)), "");
	f = fake("/bin/sh", S_IFLNK | 0777, 0, 0);
	f->en.link = "busybox";
	assert_string_equal(check(f), "low shell symlink to busybox");
	assert_string_equal(check(fake("/usr/bin/bash", S_IFREG | 0755, 0, 0)),
			    "low shell owner 0:0 mode 0755");
	/* A shell outside the bin directories is just a file. */
	assert_string_equal(check(fake("/home/u/sh", S_IFREG | 0755, 0, 0)), "");
}

static void test_owners(void **state)
{
	struct fake *f;

	(void)state;
	assert_string_equal(check(fake("/a", S_IFREG | 0644, 70000, 0)),
			    "low owner uid 70000 outside 0-65535");
	assert_string_equal(check(fake("/a", S_IFREG | 0644, 0, 65536)),
			    "low owner gid 65536 outside 0-65535");
	f = fake("/a", S_IFREG | 0644, 1234, 4321);
	f->en.unknown_uid = f->en.unknown_gid = true;
	assert_string_equal(check(f), "low owner uid 1234 not in /etc/passwd; gid 4321 not in /etc/group");
	assert_string_equal(check(fake("/a", S_IFREG | 0644, 65535, 65535)), "");
}

static void test_caps_and_mounts(void **state)
{
	unsigned char b[24];
	struct fake *f;

	(void)state;
	f = fake("/usr/bin/ping", S_IFREG | 0755, 0, 0);
	f->en.caps = b;
	f->en.caps_len = caps_blob(b, 2, true, 1ull << 13, 0, 0);
	assert_string_equal(check(f), "high file-caps cap_net_raw=ep");
	/* Capabilities on anything but a regular file are not looked at. */
	f = fake("/d", S_IFDIR | 0755, 0, 0);
	f->en.caps = b;
	f->en.caps_len = 20;
	assert_string_equal(check(f), "");
	f = fake("/proc", S_IFDIR | 0555, 0, 0);
	f->en.mount_point = true;
	f->st.st_dev = makedev(0, 42);
	assert_string_equal(check(f), "low mount-point another mount (device 0:42), scanned");
}

static void test_describe_caps(void **state)
{
	unsigned char b[24];
	char out[192];
	size_t n;

	(void)state;
	n = caps_blob(b, 2, true, 1ull << 13 | 1ull << 12, 0, 0);
	scan_describe_caps(b, n, out, sizeof(out));
	assert_string_equal(out, "cap_net_admin,cap_net_raw=ep");
	/* Groups by flags, as getcap prints them; bpf (39) is in word two. */
	n = caps_blob(b, 2, false, 1ull << 21 | 1ull << 39, 1ull << 21 | 1ull << 10, 0);
	scan_describe_caps(b, n, out, sizeof(out));
	assert_string_equal(out, "cap_sys_admin=ip cap_bpf=p cap_net_bind_service=i");
	n = caps_blob(b, 1, true, 1ull << 0, 0, 0);
	scan_describe_caps(b, n, out, sizeof(out));
	assert_string_equal(out, "cap_chown=ep");
	n = caps_blob(b, 3, true, 1ull << 7, 0, 100000);
	scan_describe_caps(b, n, out, sizeof(out));
	assert_string_equal(out, "cap_setuid=ep rootid=100000");
	n = caps_blob(b, 2, false, 0, 0, 0);
	scan_describe_caps(b, n, out, sizeof(out));
	assert_string_equal(out, "empty capability sets");
	/* Unknown to this libcap-ng: by number. */
	n = caps_blob(b, 2, true, 1ull << 62, 0, 0);
	scan_describe_caps(b, n, out, sizeof(out));
	assert_string_equal(out, "cap_62=ep");
	/* Sizes and revisions the kernel refuses. */
	scan_describe_caps(b, 19, out, sizeof(out));
	assert_string_equal(out, "invalid security.capability (19 bytes)");
	caps_blob(b, 2, true, 1, 0, 0);
	scan_describe_caps(b, 24, out, sizeof(out));
	assert_string_equal(out, "invalid security.capability (24 bytes)");
	put_le32(b, 0x04000000);
	scan_describe_caps(b, 20, out, sizeof(out));
	assert_string_equal(out, "invalid security.capability (20 bytes)");
	/* Every capability does not fit: cut, marked. */
	n = caps_blob(b, 2, true, ~0ull, 0, 0);
	scan_describe_caps(b, n, out, 64);
	assert_int_equal(strlen(out), 63);
	assert_string_equal(out + 60, "...");
}

static void test_severity_names(void **state)
{
	enum scan_severity s;

	(void)state;
	assert_int_equal(scan_severity_parse("high", &s), 0);
	assert_int_equal(s, SCAN_HIGH);
	assert_int_equal(scan_severity_parse("medium", &s), 0);
	assert_int_equal(s, SCAN_MEDIUM);
	assert_int_equal(scan_severity_parse("low", &s), 0);
	assert_int_equal(s, SCAN_LOW);
	assert_int_equal(scan_severity_parse("HIGH", &s), -1);
	assert_int_equal(scan_severity_parse("", &s), -1);
	assert_string_equal(scan_kind_name(SCAN_WORLD_WRITABLE_DIR), "world-writable-dir");
	assert_string_equal(scan_kind_name(SCAN_MOUNT_POINT), "mount-point");
}

/* High first, then by path, then by kind; counted by severity. */
static void test_finish_orders_and_counts(void **state)
{
	struct scan_result r = { 0 };
	struct stat a = { .st_mode = S_IFREG | 0666 }, b = { .st_mode = S_IFREG | 04755 };
	struct scan_entry e1 = { .path = "/z", .st = &a }, e2 = { .path = "/y", .st = &b },
			  e3 = { .path = "/a", .st = &a };

	(void)state;
	scan_check(&r, &e1);
	scan_check(&r, &e2);
	scan_check(&r, &e3);
	scan_finish(&r);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.v[0].path, "/y");
	assert_string_equal(r.v[1].path, "/a");
	assert_string_equal(r.v[2].path, "/z");
	assert_int_equal(r.totals.by_severity[SCAN_HIGH], 1);
	assert_int_equal(r.totals.by_severity[SCAN_MEDIUM], 2);
	assert_int_equal(r.totals.by_severity[SCAN_LOW], 0);
	scan_result_free(&r);
}

/* ---- the walk ---------------------------------------------------------------- */

static bool has(const struct scan_result *r, const char *path, enum scan_kind kind)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].path, path) && r->v[i].kind == kind)
			return true;
	return false;
}

/* A tree an unprivileged user can make; a symlink to / and one to a
 * world-writable directory must be reported as links, never followed. */
static void test_walk_small_tree(void **state)
{
	struct unit *u = *state;
	struct scan_result r;
	char passwd[128];
	int fd;

	unit_fmt(passwd, sizeof(passwd), "root:x:0:0::/root:/bin/sh\nme:x:%u:%u::/:/bin/sh\n",
		 (unsigned)getuid(), (unsigned)getgid());
	unit_write(u, "t/etc/passwd", passwd);
	unit_write(u, "t/etc/group", "root:x:0:\n");
	unit_write(u, "t/usr/sbin/sshd", "#!/bin/false\n");
	assert_int_equal(chmod(unit_path(u, "t/usr/sbin/sshd"), 0755), 0);
	unit_write(u, "t/usr/bin/wall", "x");
	assert_int_equal(chmod(unit_path(u, "t/usr/bin/wall"), 02755), 0);
	unit_mkdir(u, "t/drop");
	assert_int_equal(chmod(unit_path(u, "t/drop"), 0777), 0);
	unit_write(u, "t/drop/inside", "1234");
	unit_mkdir(u, "t/bin");
	assert_int_equal(symlink("busybox", unit_path(u, "t/bin/sh")), 0);
	assert_int_equal(symlink("/", unit_path(u, "t/host")), 0);
	assert_int_equal(symlink("drop", unit_path(u, "t/droplink")), 0);
	assert_int_equal(chmod(unit_path(u, "t"), 0755), 0);

	fd = open(unit_path(u, "t"), O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	if (scan_tree(fd, "T", &r, &u->e) != 0)
		fail_msg("%s", u->e.msg);
	close(fd);
	assert_true(has(&r, "/usr/sbin/sshd", SCAN_SSHD));
	assert_true(has(&r, "/usr/bin/wall", SCAN_SETGID));
	assert_true(has(&r, "/drop", SCAN_WORLD_WRITABLE_DIR));
	assert_true(has(&r, "/bin/sh", SCAN_SHELL));
	assert_false(has(&r, "/droplink", SCAN_WORLD_WRITABLE_DIR));
	/* Our gid is not in the image's /etc/group, unless it is root's. */
	assert_int_equal(has(&r, "/drop/inside", SCAN_OWNER), getgid() != 0);
	assert_int_equal(r.totals.dirs, 7);    /* / etc usr usr/sbin usr/bin drop bin */
	assert_int_equal(r.totals.files, 5);
	assert_int_equal(r.totals.symlinks, 3);
	assert_int_equal(r.totals.mount_points, 0);
	scan_result_free(&r);
}

static void test_walk_errors(void **state)
{
	struct unit *u = *state;
	struct scan_result r;
	int fd;

	unit_write(u, "file", "x");
	fd = open(unit_path(u, "file"), O_RDONLY | O_CLOEXEC);
	assert_int_equal(scan_tree(fd, "ROOT", &r, &u->e), -1);
	close(fd);
	assert_err(u, "scan: ROOT: Not a directory");
	assert_int_equal(r.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_setuid_setgid),
		UNIT_TEST(test_world_writable),
		UNIT_TEST(test_devices),
		UNIT_TEST(test_programs),
		UNIT_TEST(test_owners),
		UNIT_TEST(test_caps_and_mounts),
		UNIT_TEST(test_describe_caps),
		UNIT_TEST(test_severity_names),
		UNIT_TEST(test_finish_orders_and_counts),
		UNIT_TEST(test_walk_small_tree),
		UNIT_TEST(test_walk_errors),
	};
	int rc;

	unit_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	scan_result_free(&fake("", 0, 0, 0)->r);
	return rc;
}
