/* oci_features.c - `rampart features` and `rampart spec`.
 *
 * The features document lists what the config reader (oci_config.c), the
 * hooks and the seccomp import accept; keep it in step with them. The
 * default config follows the layout of `runc spec` so tools that edit one
 * edit the other, and differs only where rampart is stricter.
 */
#include "oci_features.h"

#include <cap-ng.h>
#include <ctype.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec.h"
#include "json_util.h"
#include "util.h"

#define OCI_VERSION_MIN "1.0.0"
#define OCI_VERSION_MAX "1.2.0"

/* "a,b,c" as ["a","b","c"]: keeps the mount table one line a mount. */
static json_t *words_json(const char *csv)
{
	json_t *a = jmust(json_array());

	for (const char *p = csv;;) {
		size_t n = strcspn(p, ",");

		jappend(a, json_stringn(p, n));
		if (!p[n])
			return a;
		p += n + 1;
	}
}

/* ---- features ----------------------------------------------------------- */

static const char *const hooks[] = {
	/* prestart is deprecated in 1.2 but still run, as runc does. */
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop", NULL,
};

/* No "suid" or "dev": they are accepted and ignored (rampart keeps nosuid
 * and nodev on every mount), so listing them would promise what it does
 * not do. The annotation below says so. */
static const char *const mount_options[] = {
	"ro", "rw", "nosuid", "nodev", "noexec", "exec", "bind", "rbind",
	"private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable",
	"relatime", "norelatime", "noatime", "atime", "strictatime", "nostrictatime",
	"nodiratime", "diratime", NULL,
};

/* No "time": rampart does not create time namespaces. */
static const char *const namespaces[] = {
	"cgroup", "ipc", "mount", "network", "pid", "user", "uts", NULL,
};

/* SCMP_ACT_TRACE is refused: rampart runs no tracer. SCMP_ACT_NOTIFY
 * needs linux.seccomp.listenerPath (seccomp_agent.h). */
static const char *const seccomp_actions[] = {
	"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
	"SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRAP", NULL,
};

static const char *const seccomp_operators[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
	"SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};

/* Every capability this libcap-ng names, as OCI spells them ("CAP_CHOWN").
 * Numbers it cannot name (newer than the library, or above the running
 * kernel's cap_last_cap, which it reads) are left out: the config reader
 * parses names with the same library and would refuse them. */
static json_t *capabilities_json(void)
{
	json_t *a = jmust(json_array());

	for (unsigned c = 0; c <= CAP_LAST_CAP; c++) {
		const char *name = capng_capability_to_name(c);
		char oci[64];

		if (!name || xsnprintf(oci, sizeof(oci), "CAP_%s", name) < 0)
			continue;
		for (char *p = oci + 4; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		jappend(a, json_string(oci));
	}
	return a;
}

/* The build's native ABI only: the filter rampart loads kills every other
 * one (x32, i386), so a config naming another would be refused. libseccomp
 * has no token-to-name call, hence the pairs of names. */
static json_t *archs_json(void)
{
	static const struct { const char *oci, *scmp; } known[] = {
		{ "SCMP_ARCH_X86_64", "x86_64" },   { "SCMP_ARCH_AARCH64", "aarch64" },
		{ "SCMP_ARCH_RISCV64", "riscv64" }, { "SCMP_ARCH_PPC64LE", "ppc64le" },
		{ "SCMP_ARCH_S390X", "s390x" },
	};
	uint32_t native = seccomp_arch_native();
	json_t *a = jmust(json_array());

	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (seccomp_arch_resolve_name(known[i].scmp) == native) {
			jappend(a, json_string(known[i].oci));
			break;
		}
	return a;
}

/* No seccomp flags (SECCOMP_FILTER_FLAG_*) are taken from a config:
 * rampart sets the ones it needs itself. */
static json_t *seccomp_json(void)
{
	return jmust(json_pack("{s:b, s:o, s:o, s:o, s:[], s:[]}", "enabled", 1, "actions",
			       jstrv(seccomp_actions), "operators", jstrv(seccomp_operators),
			       "archs", archs_json(), "knownFlags", "supportedFlags"));
}

static json_t *linux_features_json(void)
{
	return jmust(json_pack("{s:o, s:o, s:{s:b, s:b, s:b, s:b, s:b}, s:o, s:{s:b}, s:{s:b}, s:{s:b}, "
			       "s:{s:{s:b}}}",
			       "namespaces", jstrv(namespaces), "capabilities", capabilities_json(),
			       "cgroup", "v1", 0, "v2", 1, "systemd", 0, "systemdUser", 0, "rdma", 0,
			       "seccomp", seccomp_json(), "apparmor", "enabled", 0, "selinux", "enabled", 0,
			       "intelRdt", "enabled", 0, "mountExtensions", "idmap", "enabled", 0));
}

/* The checkpoint key is the one runc's callers (containerd) read before
 * offering checkpoint/restore; rampart has none. */
static json_t *annotations_json(void)
{
	return jmust(json_pack("{s:s, s:s, s:s}", "org.opencontainers.runc.checkpoint.enabled", "false",
			       "io.github.rampart.version", RAMPART_VERSION, "io.github.rampart.hardening",
			       "nosuid,nodev on every mount; /proc and /sys read-only; "
			       "setuid/setgid bits stripped only under a profile"));
}

json_t *oci_features(void)
{
	return jmust(json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "ociVersionMin", OCI_VERSION_MIN,
			       "ociVersionMax", OCI_VERSION_MAX, "hooks", jstrv(hooks), "mountOptions",
			       jstrv(mount_options), "linux", linux_features_json(), "annotations",
			       annotations_json()));
}

/* ---- default config ----------------------------------------------------- */

static const char *const default_args[] = { "sh", NULL };
static const char *const default_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"TERM=xterm",
	NULL,
};

/* runc's mounts. rampart mounts these kernel file systems its own hardened
 * way whatever options a config gives them, but a config is also read by
 * people and other runtimes, so it says what a container gets. */
static const struct { const char *dest, *type, *source, *options; } default_mounts[] = {
	{ "/proc", "proc", "proc", NULL },
	{ "/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k" },
	/* No gid=5 (tty): rootless, the host's tty group is not mapped. */
	{ "/dev/pts", "devpts", "devpts", "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620" },
	{ "/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,size=65536k" },
	{ "/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev" },
	{ "/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro" },
	{ "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid,noexec,nodev,relatime,ro" },
};

/* runc's lists, plus what rampart masks anyway (/proc/sysrq-trigger,
 * powercap's energy counters: a side channel). */
static const char *const masked_paths[] = {
	"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
	"/sys/devices/virtual/tpm", "/proc/sysrq-trigger", "/sys/devices/virtual/powercap", NULL,
};

static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

/* pid first as runc lists them; user always, rootless or not, so that
 * container root is never host root. */
static const char *const default_namespaces[] = {
	"pid", "network", "ipc", "uts", "mount", "cgroup", "user", NULL,
};

static json_t *process_json(void)
{
	/* nobody, where runc writes root: a workload that needs root sets uid
	 * and gid 0 (still an unprivileged id on the host). No capability in
	 * any set, where runc grants CAP_AUDIT_WRITE, CAP_KILL and
	 * CAP_NET_BIND_SERVICE: each one a workload needs is added by hand. */
	return jmust(json_pack(
		"{s:b, s:{s:I, s:I}, s:o, s:o, s:s, s:{s:[], s:[], s:[], s:[], s:[]}, "
		"s:[{s:s, s:i, s:i}, {s:s, s:i, s:i}], s:b}",
		"terminal", 0, "user", "uid", (json_int_t)SPEC_DEFAULT_UID, "gid",
		(json_int_t)SPEC_DEFAULT_GID, "args", jstrv(default_args), "env", jstrv(default_env),
		"cwd", "/", "capabilities", "bounding", "effective", "inheritable", "permitted", "ambient",
		"rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024, "type", "RLIMIT_CORE", "hard", 0,
		"soft", 0, "noNewPrivileges", 1));
}

static json_t *mounts_json(void)
{
	json_t *a = jmust(json_array());

	for (size_t i = 0; i < ARRAY_SIZE(default_mounts); i++) {
		json_t *m = jmust(json_pack("{s:s, s:s, s:s}", "destination", default_mounts[i].dest, "type",
					    default_mounts[i].type, "source", default_mounts[i].source));

		if (default_mounts[i].options)
			jset(m, "options", words_json(default_mounts[i].options));
		jappend(a, m);
	}
	return a;
}

static json_t *namespaces_json(void)
{
	json_t *a = jmust(json_array());

	for (const char *const *t = default_namespaces; *t; t++)
		jappend(a, json_pack("{s:s}", "type", *t));
	return a;
}

/* One range: container ids [inside, inside+size) are host [outside, ...). */
static json_t *idmap_json(json_int_t inside, json_int_t outside, json_int_t size)
{
	return jmust(json_pack("[{s:I, s:I, s:I}]", "containerID", inside, "hostID", outside, "size", size));
}

static json_t *linux_json(bool rootless)
{
	json_t *lx = jmust(json_pack("{s:o, s:o, s:o}", "namespaces", namespaces_json(), "maskedPaths",
				     jstrv(masked_paths), "readonlyPaths", jstrv(readonly_paths)));

	if (rootless) {
		/* The caller owns one uid and one gid: they become the process
		 * user, so its files on the host stay the caller's. No resources:
		 * the caller may have no cgroup delegated. */
		jset(lx, "uidMappings", idmap_json(SPEC_DEFAULT_UID, getuid(), 1));
		jset(lx, "gidMappings", idmap_json(SPEC_DEFAULT_GID, getgid(), 1));
		return lx;
	}
	jset(lx, "uidMappings", idmap_json(0, SPEC_DEFAULT_MAP_OUTSIDE, SPEC_DEFAULT_MAP_COUNT));
	jset(lx, "gidMappings", idmap_json(0, SPEC_DEFAULT_MAP_OUTSIDE, SPEC_DEFAULT_MAP_COUNT));
	/* No resources: rampart refuses a limit the host cannot enforce, and
	 * which controllers exist is the host's business (a v1/v2 hybrid has
	 * none in v2). Sizes are per workload: add them to the bundle, or with
	 * `create --set 'limit pids 1024'`. `rampart check` flags their absence. */
	return lx;
}

/* No linux.seccomp on purpose: with none, rampart loads its own default
 * allowlist (profiles/syscalls.profile), which is updated with rampart
 * instead of being frozen into every bundle written today. */
json_t *oci_default_config(bool rootless)
{
	return jmust(json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", OCI_VERSION_MAX,
			       "process", process_json(), "root", "path", "rootfs", "readonly", 1, "hostname",
			       "rampart", "mounts", mounts_json(), "linux", linux_json(rootless)));
}
