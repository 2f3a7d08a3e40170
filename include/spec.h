/* spec.h - the one validated description of a container.
 *
 * Every input fills this model (profiles now; an OCI config.json reader
 * later) and the launcher only ever consumes it. Nothing in here touches
 * the system: spec_validate() checks the whole thing before the launcher
 * creates a single mount, namespace or cgroup.
 *
 * Each settable item remembers where it was set (struct origin) so that a
 * validation error can still name file:line, and `profile show` can say
 * which profile line won.
 */
#ifndef RAMPART_SPEC_H
#define RAMPART_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "error.h"
#include "hooks.h"
#include "net.h"
#include "resources.h"
#include "secrets.h"
#include "seccomp.h"

/* Where a setting came from: "base.profile:12", "--set", "config.json". */
struct origin {
	const char *file; /* interned; owned by the spec's string pool */
	unsigned line;
};

enum ns_type { NS_USER, NS_PID, NS_MNT, NS_NET, NS_IPC, NS_UTS, NS_CGROUP, NS_COUNT };

struct ns_spec {
	bool unshare;       /* new namespace (default) or the host's */
	char *path;         /* OCI: join this existing namespace (unshare false) */
	struct origin origin;
};

struct idmap {
	uint32_t inside, outside, count;
};
#define SPEC_MAX_IDMAP 5 /* the kernel accepts 340, 5 is plenty for profiles */

enum mount_kind { MOUNT_TMPFS, MOUNT_BIND };

struct mount_spec {
	enum mount_kind kind;
	char *source;       /* bind: host path; tmpfs: NULL */
	char *target;       /* absolute path inside the container */
	bool readonly;
	bool exec;          /* default noexec for tmpfs, exec for binds */
	bool recursive;     /* bind: rbind (default) */
	uint64_t size;      /* tmpfs: bytes, 0 = kernel default */
	int mode;           /* tmpfs: root dir mode, -1 = default */
	char *data;         /* tmpfs: further options (OCI: uid=, gid=, nr_inodes=) */
	unsigned attr;      /* extra MOUNT_ATTR_* bits (atime; OCI options) */
	unsigned long propagation; /* MS_SHARED/MS_SLAVE/MS_UNBINDABLE; 0 = private */
	bool device;        /* bind of a device node: the one mount without nodev */
	struct origin origin;
};

#define SPEC_MAX_GROUPS 32

struct user_spec {
	char *name;         /* as written ("www-data" or "33"); resolved at validate */
	char *group;        /* NULL = the user's primary group */
	uid_t uid;
	gid_t gid;
	char **groups;      /* supplementary groups as written */
	struct origin groups_origin;
	gid_t gids[SPEC_MAX_GROUPS];
	size_t ngids;
	char *home;         /* from the rootfs /etc/passwd when resolved by name */
	struct origin origin;
};

struct rlimit_spec {
	bool set;
	struct rlimit value;
	struct origin origin;
};

/* What only an OCI bundle's config.json says (oci_config.c). A profile
 * applied on top (`create --profile`) overrides the shared fields above;
 * these stay as the bundle gave them. All zero for a profile launch. */
struct oci_spec {
	bool active;                /* the spec came from a bundle */
	char *id;                   /* the container id (set by the command line) */
	char *bundle;               /* absolute path */
	char *version;              /* ociVersion */
	char *domainname;
	int umask;                  /* -1: leave it */
	bool oom_score_adj_set;
	int oom_score_adj;
	bool personality_set;
	unsigned long personality;
	char **sysctl;              /* "key=value", namespaced keys only */
	char **annotations;         /* "key=value" */
	bool terminal;
	unsigned short rows, cols;  /* process.consoleSize */
	char *cgroups_path;         /* linux.cgroupsPath, NULL = /rampart-oci/ID */
	char **net_devices;         /* linux.netDevices: "HOSTNAME=NAME" */
	char *seccomp_agent;        /* linux.seccomp.listenerPath, or NULL */
	char *seccomp_metadata;     /* linux.seccomp.listenerMetadata, or NULL */
	bool caps_split;            /* the five sets differ: use caps[] */
	uint64_t caps[5];           /* bounding, effective, inheritable, permitted, ambient */
	struct hooks hooks;
};

struct spec {
	/* filesystem */
	char *rootfs;               /* host path; from the command line or bundle */
	bool rootfs_readonly;
	bool setuid_strip;          /* see setuid.h */
	char *image_digest;         /* `image digest sha256:...`: refuse any other tree */
	char *image_manifest;       /* its manifest, to name the first difference */
	struct origin image_origin;
	struct mount_spec *mounts;
	size_t nmounts;
	char **masked;              /* extra paths hidden (on top of the built-ins) */
	char **readonly_paths;      /* extra paths remounted read-only */

	/* identity and privileges */
	struct user_spec user;
	uint64_t caps_keep;         /* bit N = capability N kept, all others dropped */
	bool no_new_privs;
	struct seccomp_spec seccomp;
	struct rlimit_spec rlimits[RLIM_NLIMITS];

	/* secrets (secrets.h) */
	struct secret_spec secrets[SECRETS_MAX];
	size_t nsecrets;

	/* resources */
	struct resources_spec limits;

	/* isolation */
	struct ns_spec ns[NS_COUNT];
	struct idmap uidmap[SPEC_MAX_IDMAP], gidmap[SPEC_MAX_IDMAP];
	size_t nuidmap, ngidmap;
	char *hostname;
	struct net_spec net;        /* `net` line (net.h); see ns[NS_NET] */

	/* process */
	char **argv;
	char **env;                 /* NAME=VALUE, unique by NAME */
	char *cwd;
	bool init;                  /* rampart's reaper as pid 1 (default) */

	/* provenance */
	char **profiles;            /* names of the profiles applied, in order */
	char **files;               /* string pool for origin.file */
	bool rootless;              /* decided by spec_validate: caller is not root */

	struct oci_spec oci;
};

/* The hardened defaults: every namespace new, no capabilities, NNP on,
 * user 65534:65534, read-only rootfs, no core dumps. An empty profile is
 * already locked down; profiles only ever open things up deliberately. */
void spec_init(struct spec *s);
void spec_free(struct spec *s);

/* Intern a file name for struct origin. */
const char *spec_intern(struct spec *s, const char *file);

/* Setters used by every input; they replace earlier values (later lines
 * override earlier ones). */
void spec_set_env(struct spec *s, const char *name_value);
void spec_add_mount(struct spec *s, const struct mount_spec *m); /* same target replaces */

/* Resolve names against the rootfs (users, groups), decide rootless mode and
 * the default id maps, and check every cross-field rule. Touches nothing but
 * reads of the rootfs's /etc/passwd and /etc/group. */
int spec_validate(struct spec *s, struct rp_err *e);

const char *ns_name(enum ns_type t);
int ns_from_name(const char *name);

/* Default host range for container ids when launched by root. */
#define SPEC_DEFAULT_MAP_OUTSIDE 100000u
#define SPEC_DEFAULT_MAP_COUNT 65536u
#define SPEC_DEFAULT_UID 65534u
#define SPEC_DEFAULT_GID 65534u

#endif
