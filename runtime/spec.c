/* spec.c - defaults, setters and whole-spec validation. */
#include "spec.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

#include "parse.h"
#include "resolve.h"
#include "util.h"

static const char *const ns_names[NS_COUNT] = {
	[NS_USER] = "user", [NS_PID] = "pid", [NS_MNT] = "mnt", [NS_NET] = "net",
	[NS_IPC] = "ipc",   [NS_UTS] = "uts", [NS_CGROUP] = "cgroup",
};

const char *ns_name(enum ns_type t) { return ns_names[t]; }

int ns_from_name(const char *name)
{
	for (int t = 0; t < NS_COUNT; t++)
		if (strcmp(name, ns_names[t]) == 0)
			return t;
	if (strcmp(name, "mount") == 0)
		return NS_MNT;
	if (strcmp(name, "network") == 0)
		return NS_NET;
	return -1;
}

void spec_init(struct spec *s)
{
	memset(s, 0, sizeof(*s));
	s->rootfs_readonly = true;
	s->setuid_strip = true;
	s->no_new_privs = true;
	s->init = true;
	for (int t = 0; t < NS_COUNT; t++)
		s->ns[t].unshare = true;
	/* No core dumps: a crashing workload must not write its memory
	 * (secrets included) anywhere. */
	s->rlimits[RLIMIT_CORE] = (struct rlimit_spec){ .set = true, .value = { 0, 0 } };
	s->hostname = xstrdup("rampart");
	net_spec_init(&s->net);
	/* On, with nothing allowed: a profile must say what the workload may
	 * call (base.profile allows @default). */
	s->seccomp.enabled = true;
	s->seccomp.default_action = (struct sc_action){ SC_ERRNO, EPERM };
	s->cwd = xstrdup("/");
	s->oci.umask = -1;
}

static void mount_free(struct mount_spec *m)
{
	free(m->source);
	free(m->target);
	free(m->data);
}

static void oci_spec_free(struct oci_spec *o)
{
	free(o->id);
	free(o->bundle);
	free(o->version);
	free(o->domainname);
	strv_free(o->sysctl);
	strv_free(o->annotations);
	free(o->cgroups_path);
	strv_free(o->net_devices);
	free(o->seccomp_agent);
	free(o->seccomp_metadata);
	hooks_free(&o->hooks);
}

void spec_free(struct spec *s)
{
	for (size_t i = 0; i < s->nmounts; i++)
		mount_free(&s->mounts[i]);
	free(s->mounts);
	free(s->rootfs);
	strv_free(s->masked);
	strv_free(s->readonly_paths);
	free(s->user.name);
	free(s->user.group);
	free(s->user.home);
	strv_free(s->user.groups);
	free(s->hostname);
	free(s->image_digest);
	free(s->image_manifest);
	net_spec_free(&s->net);
	strv_free(s->argv);
	strv_free(s->env);
	free(s->cwd);
	strv_free(s->profiles);
	seccomp_spec_free(&s->seccomp);
	limits_free(&s->limits);
	secrets_free(s->secrets, s->nsecrets);
	strv_free(s->files);
	for (int t = 0; t < NS_COUNT; t++)
		free(s->ns[t].path);
	oci_spec_free(&s->oci);
	memset(s, 0, sizeof(*s));
}

const char *spec_intern(struct spec *s, const char *file)
{
	for (size_t i = 0; s->files && s->files[i]; i++)
		if (strcmp(s->files[i], file) == 0)
			return s->files[i];
	strv_push(&s->files, file);
	return s->files[strv_len(s->files) - 1];
}

void spec_set_env(struct spec *s, const char *nv)
{
	size_t name_len = strcspn(nv, "=");

	for (size_t i = 0; s->env && s->env[i]; i++) {
		if (strncmp(s->env[i], nv, name_len) == 0 && s->env[i][name_len] == '=') {
			free(s->env[i]);
			s->env[i] = xstrdup(nv);
			return;
		}
	}
	strv_push(&s->env, nv);
}

void spec_add_mount(struct spec *s, const struct mount_spec *m)
{
	struct mount_spec copy = *m;

	copy.source = m->source ? xstrdup(m->source) : NULL;
	copy.target = xstrdup(m->target);
	copy.data = m->data ? xstrdup(m->data) : NULL;
	for (size_t i = 0; i < s->nmounts; i++) {
		if (strcmp(s->mounts[i].target, m->target) == 0) {
			mount_free(&s->mounts[i]);
			s->mounts[i] = copy;
			return;
		}
	}
	s->mounts = xrealloc(s->mounts, (s->nmounts + 1) * sizeof(*s->mounts));
	s->mounts[s->nmounts++] = copy;
}

/* ---- validation ----------------------------------------------------- */

/* Look NAME up in an /etc/passwd- or /etc/group-format file of the image.
 * Returns the field array of the matching line in `line` (modified). */
static int db_lookup(int rootfd, const char *file, const char *name, char *line, size_t linelen,
		     char **fields, int nfields)
{
	_cleanup_close_ int fd = open_in_root(rootfd, file, O_RDONLY | O_NOCTTY);
	FILE *f;
	int found = -1;

	if (fd < 0)
		return -1;
	f = fdopen(fd, "re");
	if (!f)
		return -1;
	fd = -1;
	errno = ENOENT;
	while (fgets(line, (int)linelen, f)) {
		char *p = line;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		while (n < nfields) {
			fields[n++] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (n == nfields && strcmp(fields[0], name) == 0) {
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

static int resolve_group(int rootfd, const char *g, gid_t *out, struct rp_err *e,
			 const struct origin *o)
{
	char line[4096];
	char *f[4];
	uint32_t v;

	if (parse_u32(g, &v) == 0) {
		*out = v;
		return 0;
	}
	if (db_lookup(rootfd, "/etc/group", g, line, sizeof(line), f, 4) < 0 ||
	    parse_u32(f[2], &v) < 0)
		return rp_fail_at(e, o->file ? o->file : "spec", o->line,
				  "group '%s' not found in the rootfs's /etc/group", g);
	*out = v;
	return 0;
}

static int resolve_user(struct spec *s, int rootfd, struct rp_err *e)
{
	struct user_spec *u = &s->user;
	const struct origin *o = &u->origin;
	const char *file = o->file ? o->file : "spec";
	char line[4096];
	char *f[7];
	uint32_t v;

	if (!u->name) {
		u->uid = SPEC_DEFAULT_UID;
		u->gid = SPEC_DEFAULT_GID;
	} else if (parse_u32(u->name, &v) == 0) {
		u->uid = v;
		u->gid = v; /* a bare uid means "and the same gid", as docker does */
	} else {
		if (db_lookup(rootfd, "/etc/passwd", u->name, line, sizeof(line), f, 7) < 0 ||
		    parse_u32(f[2], &v) < 0)
			return rp_fail_at(e, file, o->line,
					  "user '%s' not found in the rootfs's /etc/passwd", u->name);
		u->uid = v;
		if (parse_u32(f[3], &v) < 0)
			return rp_fail_at(e, file, o->line, "user '%s': bad gid in /etc/passwd", u->name);
		u->gid = v;
		free(u->home);
		u->home = f[5][0] == '/' ? xstrdup(f[5]) : NULL;
	}
	if (u->group && resolve_group(rootfd, u->group, &u->gid, e, o) < 0)
		return -1;
	u->ngids = 0;
	for (size_t i = 0; u->groups && u->groups[i]; i++)
		if (resolve_group(rootfd, u->groups[i], &u->gids[u->ngids++], e, &u->groups_origin) < 0)
			return -1;
	return 0;
}

static bool id_mapped(const struct idmap *m, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= m[i].inside && id - m[i].inside < m[i].count)
			return true;
	return false;
}

static bool ranges_overlap(const struct idmap *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if ((m[i].inside < m[j].inside + m[j].count &&
			     m[j].inside < m[i].inside + m[i].count) ||
			    (m[i].outside < m[j].outside + m[j].count &&
			     m[j].outside < m[i].outside + m[i].count))
				return true;
	return false;
}

/* Rootless: an unprivileged caller can map exactly one id, its own, and
 * must deny setgroups (user_namespaces(7)). The container user becomes the
 * caller on the host. Root: a documented unprivileged host range. */
static int choose_idmaps(struct spec *s, struct rp_err *e)
{
	struct user_spec *u = &s->user;

	if (!s->ns[NS_USER].unshare) {
		if (s->rootless)
			return rp_fail(e, 0, "spec", "rootless launch needs a user namespace (drop 'share user')");
		return 0;
	}
	if (s->rootless) {
		/* What an unprivileged writer may map: its own uid and gid, once
		 * (an OCI bundle made by `spec --rootless` says so explicitly). */
		bool own_only = s->nuidmap <= 1 && s->ngidmap <= 1 &&
				(!s->nuidmap || (s->uidmap[0].outside == geteuid() && s->uidmap[0].count == 1 &&
						 s->uidmap[0].inside == u->uid)) &&
				(!s->ngidmap || (s->gidmap[0].outside == getegid() && s->gidmap[0].count == 1 &&
						 s->gidmap[0].inside == u->gid));
		if (!own_only)
			return rp_fail(e, 0, "spec", "userns map: only root can map id ranges; rootless maps your own uid (to the container user)");
		if (u->ngids)
			return rp_fail(e, 0, "spec", "groups: supplementary groups need root (rootless has setgroups denied)");
		s->uidmap[0] = (struct idmap){ u->uid, (uint32_t)geteuid(), 1 };
		s->gidmap[0] = (struct idmap){ u->gid, (uint32_t)getegid(), 1 };
		s->nuidmap = s->ngidmap = 1;
		return 0;
	}
	if (!s->nuidmap) {
		s->uidmap[0] = (struct idmap){ 0, SPEC_DEFAULT_MAP_OUTSIDE, SPEC_DEFAULT_MAP_COUNT };
		s->nuidmap = 1;
	}
	if (!s->ngidmap) {
		s->gidmap[0] = (struct idmap){ 0, SPEC_DEFAULT_MAP_OUTSIDE, SPEC_DEFAULT_MAP_COUNT };
		s->ngidmap = 1;
	}
	if (ranges_overlap(s->uidmap, s->nuidmap) || ranges_overlap(s->gidmap, s->ngidmap))
		return rp_fail(e, 0, "spec", "userns map: ranges overlap");
	for (size_t i = 0; i < s->nuidmap; i++)
		if (s->uidmap[i].outside == 0)
			return rp_fail(e, 0, "spec", "userns map: mapping host uid 0 into the container gives it real root; refused");
	for (size_t i = 0; i < s->ngidmap; i++)
		if (s->gidmap[i].outside == 0)
			return rp_fail(e, 0, "spec", "userns map: mapping host gid 0 into the container gives it the host's root group; refused");
	if (!id_mapped(s->uidmap, s->nuidmap, u->uid))
		return rp_fail(e, 0, "spec", "user: uid %u is not in the user namespace's uid map", u->uid);
	if (!id_mapped(s->gidmap, s->ngidmap, u->gid))
		return rp_fail(e, 0, "spec", "user: gid %u is not in the user namespace's gid map", u->gid);
	for (size_t i = 0; i < u->ngids; i++)
		if (!id_mapped(s->gidmap, s->ngidmap, u->gids[i]))
			return rp_fail(e, 0, "spec", "groups: gid %u is not in the gid map", u->gids[i]);
	return 0;
}

static int validate_mounts(struct spec *s, struct rp_err *e)
{
	for (size_t i = 0; i < s->nmounts; i++) {
		struct mount_spec *m = &s->mounts[i];
		const char *file = m->origin.file ? m->origin.file : "spec";
		struct stat st;

		if (strcmp(m->target, "/") == 0)
			return rp_fail_at(e, file, m->origin.line, "%s: cannot mount over /", m->target);
		if (m->kind == MOUNT_BIND && stat(m->source, &st) < 0)
			return rp_fail_at(e, file, m->origin.line, "bind source %s: %s", m->source,
					  strerror(errno));
	}
	return 0;
}

/* The container's process loads the notify filter first, then the
 * allowlist (seccomp(2)), then sends the listener to the agent
 * (sendmsg): a notified call there would wait for an agent that has no
 * listener yet, for ever. runc refuses notify on write for the same
 * reason. */
static int refuse_self_notify(const struct seccomp_spec *sc, struct rp_err *e)
{
	static const char *const own[] = { "seccomp", "sendmsg" };

	for (size_t i = 0; i < sc->nrules; i++) {
		if (sc->rules[i].action.kind != SC_NOTIFY)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(own); k++)
			if (sc->rules[i].nr == seccomp_syscall_resolve_name(own[k]))
				return rp_fail(e, 0, "spec",
					       "seccomp: notify on %s cannot work: rampart calls it to hand the "
					       "listener to the agent, which would wait for ever",
					       own[k]);
	}
	return 0;
}

/* The filter is loaded right before execve: an allowlist without it
 * could never start anything, and the error would only say EPERM. */
static int validate_seccomp(const struct spec *s, struct rp_err *e)
{
	int execve_nr = seccomp_syscall_resolve_name("execve");

	if (!s->seccomp.enabled)
		return 0;
	if (seccomp_has_notify(&s->seccomp) && !s->oci.seccomp_agent)
		return rp_fail(e, 0, "spec",
			       "seccomp: notify rules need a seccomp agent to answer them (OCI linux.seccomp.listenerPath)");
	if (refuse_self_notify(&s->seccomp, e) < 0)
		return -1;
	for (size_t i = 0; i < s->seccomp.nrules; i++) {
		const struct sc_rule *r = &s->seccomp.rules[i];
		if (r->nr == execve_nr && r->ncmp == 0 && r->action.kind == SC_ALLOW)
			return 0;
	}
	return rp_fail(e, 0, "spec",
		       "seccomp: the allowlist does not allow execve, so nothing could start "
		       "(include base, or add 'seccomp allow execve')");
}

int spec_validate(struct spec *s, struct rp_err *e)
{
	_cleanup_close_ int rootfd = -1;
	struct stat st;

	if (!s->rootfs)
		return rp_fail(e, 0, "spec", "no rootfs given");
	rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return rp_fail(e, errno, "spec", "rootfs %s", s->rootfs);
	if (fstat(rootfd, &st) < 0)
		return rp_fail(e, errno, "spec", "rootfs %s", s->rootfs);
	if (!s->argv || !s->argv[0])
		return rp_fail(e, 0, "spec", "no command given");
	if (!s->ns[NS_MNT].unshare)
		return rp_fail(e, 0, "spec", "the mount namespace cannot be shared");

	s->rootless = geteuid() != 0;
	if (resolve_user(s, rootfd, e) < 0)
		return -1;
	if (s->user.uid == 0 && !s->user.name)
		return rp_fail(e, 0, "spec", "uid 0 needs an explicit 'user 0' line");
	if (choose_idmaps(s, e) < 0)
		return -1;
	if (validate_mounts(s, e) < 0 || limits_validate(&s->limits, e) < 0 ||
	    net_validate(s, e) < 0)
		return -1;
	return validate_seccomp(s, e);
}
