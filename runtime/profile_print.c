/* profile_print.c - the effective settings, written back as a profile.
 * Output fed back through the parser yields the same spec, so `profile
 * show` doubles as a way to flatten a stack of includes. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "caps.h"
#include "net.h"
#include "process.h"
#include "profile.h"
#include "seccomp.h"

void profile_print_word(FILE *out, const char *w)
{
	if (*w && !strpbrk(w, " \t\r\"#\\")) {
		fputs(w, out);
		return;
	}
	fputc('"', out);
	for (; *w; w++) {
		if (*w == '"' || *w == '\\')
			fputc('\\', out);
		fputc(*w, out);
	}
	fputc('"', out);
}

static void print_paths(FILE *out, const char *directive, char **paths)
{
	for (size_t i = 0; paths && paths[i]; i++) {
		fprintf(out, "%s ", directive);
		profile_print_word(out, paths[i]);
		fputc('\n', out);
	}
}

static void print_rlim(FILE *out, rlim_t v)
{
	if (v == RLIM_INFINITY)
		fputs("unlimited", out);
	else
		fprintf(out, "%llu", (unsigned long long)v);
}

static void print_mount(FILE *out, const struct mount_spec *m)
{
	if (m->kind == MOUNT_TMPFS) {
		fputs("tmpfs ", out);
		profile_print_word(out, m->target);
		if (m->size)
			fprintf(out, " size=%" PRIu64, m->size);
		if (m->mode >= 0)
			fprintf(out, " mode=%04o", (unsigned)m->mode);
		fprintf(out, "%s%s", m->exec ? " exec" : "", m->readonly ? " ro" : "");
	} else {
		fputs("bind ", out);
		profile_print_word(out, m->source);
		fputc(' ', out);
		profile_print_word(out, m->target);
		fprintf(out, " %s%s%s", m->readonly ? "ro" : "rw",
			m->exec ? "" : " noexec", m->recursive ? "" : " norecursive");
	}
	if (m->origin.file)
		fprintf(out, "\t# %s:%u", m->origin.file, m->origin.line);
	fputc('\n', out);
}

void profile_print(const struct spec *s, FILE *out)
{
	bool shared = false;

	fputs("# effective settings from:", out);
	for (size_t i = 0; s->profiles && s->profiles[i]; i++)
		fprintf(out, " %s", s->profiles[i]);
	fputc('\n', out);

	net_print(&s->net, out);
	fputs("namespaces", out);
	for (int t = 0; t < NS_COUNT; t++)
		if (s->ns[t].unshare)
			fprintf(out, " %s", ns_name(t));
		else
			shared = true;
	fputs(shared ? "\t# WARNING: shares a host namespace\n" : "\n", out);
	for (size_t i = 0; i < s->nuidmap; i++)
		fprintf(out, "userns map uid %u %u %u\n", s->uidmap[i].inside, s->uidmap[i].outside,
			s->uidmap[i].count);
	for (size_t i = 0; i < s->ngidmap; i++)
		fprintf(out, "userns map gid %u %u %u\n", s->gidmap[i].inside, s->gidmap[i].outside,
			s->gidmap[i].count);

	fputs("user ", out);
	profile_print_word(out, s->user.name ? s->user.name : "65534");
	if (s->user.group) {
		fputc(':', out);
		profile_print_word(out, s->user.group);
	} else if (!s->user.name) {
		fputs(":65534", out);
	}
	fputc('\n', out);
	if (s->user.groups) {
		fputs("groups", out);
		for (size_t i = 0; s->user.groups[i]; i++) {
			fputc(' ', out);
			profile_print_word(out, s->user.groups[i]);
		}
		fputc('\n', out);
	}
	if (s->caps_keep) {
		fputs("caps keep", out);
		for (int c = 0; c < 64; c++)
			if (s->caps_keep & (UINT64_C(1) << c))
				fprintf(out, " %s", caps_name(c));
		fputc('\n', out);
	} else {
		fputs("caps none\n", out);
	}
	fprintf(out, "nnp %s\n", s->no_new_privs ? "on" : "off");
	seccomp_print(&s->seccomp, out);
	for (int r = 0; r < RLIM_NLIMITS; r++) {
		if (!s->rlimits[r].set)
			continue;
		fprintf(out, "rlimit %s ", rlimit_name(r));
		print_rlim(out, s->rlimits[r].value.rlim_cur);
		fputc(':', out);
		print_rlim(out, s->rlimits[r].value.rlim_max);
		fputc('\n', out);
	}

	limits_print(&s->limits, out);
	fprintf(out, "rootfs %s\n", s->rootfs_readonly ? "readonly" : "writable");
	fprintf(out, "setuid %s\n", s->setuid_strip ? "strip" : "keep");
	if (s->image_digest) {
		fprintf(out, "image digest %s", s->image_digest);
		if (s->image_manifest) {
			fputs(" manifest ", out);
			profile_print_word(out, s->image_manifest);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->nmounts; i++)
		print_mount(out, &s->mounts[i]);
	secrets_print(s->secrets, s->nsecrets, out);
	print_paths(out, "mask", s->masked);
	print_paths(out, "readonly", s->readonly_paths);

	fprintf(out, "hostname %s\n", s->hostname);
	fputs("cwd ", out);
	profile_print_word(out, s->cwd);
	fputc('\n', out);
	for (size_t i = 0; s->env && s->env[i]; i++) {
		fputs("env ", out);
		profile_print_word(out, s->env[i]);
		fputc('\n', out);
	}
	fprintf(out, "init %s\n", s->init ? "on" : "off");
}
