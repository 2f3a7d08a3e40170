/* fuzz_oci_config.c - the OCI config.json reader (oci_config_loads) on any
 * input.
 *
 *   1. oci_config_loads(input) into a fresh spec, against a fixed bundle
 *      (build/fuzz/oci_bundle/, with rootfs/ inside, made once in
 *      LLVMFuzzerInitialize, so "root": {"path": "rootfs"} resolves);
 *   2. a refusal is one non-empty line with exit code 125;
 *   3. a config that loads gives a spec the launcher can take: the
 *      program, an absolute cwd, the rootfs, a mount namespace, absolute
 *      mount targets (bind mounts with a source), seccomp on;
 *   4. spec_free, and nothing may leak (ASan's leak check), also when the
 *      reader stops half way.
 * A config without linux.seccomp loads profiles/syscalls.profile (found
 * along RAMPART_PROFILE_PATH, see fuzz_common.c); open(2) goes through the
 * sandbox of fuzz_common.c while the reader runs. The reader stat()s
 * device nodes and realpath()s root.path, nothing more.
 * FUZZ_VERBOSE=1 prints why an input does not load.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "oci.h"
#include "spec.h"

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char bundle[PATH_MAX];

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "fuzz: mkdir %s: %s\n", path, strerror(errno));
		abort();
	}
}

/* BIN_DIR/oci_bundle/rootfs: beside the binary (build/fuzz/), shared by
 * fork-mode workers and kept between runs. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char exe[PATH_MAX], rootfs[PATH_MAX + 16];
	ssize_t n;
	char *slash;

	(void)argc;
	(void)argv;
	fuzz_setup_env();
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		fprintf(stderr, "fuzz: /proc/self/exe: %s\n", strerror(errno));
		abort();
	}
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		abort();
	*slash = '\0';
	if (snprintf(bundle, sizeof(bundle), "%s/oci_bundle", exe) >= (int)sizeof(bundle))
		abort();
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", bundle);
	make_dir(bundle);
	make_dir(rootfs);
	return 0;
}

static void check_loaded(const struct spec *s)
{
	FUZZ_ASSERT(s->oci.active, "loaded, but oci.active is false");
	FUZZ_ASSERT(s->oci.version && strncmp(s->oci.version, "1.", 2) == 0, "version '%s'",
		    s->oci.version ? s->oci.version : "(null)");
	FUZZ_ASSERT(s->argv && s->argv[0] && s->argv[0][0], "loaded without a program to run");
	FUZZ_ASSERT(s->cwd && s->cwd[0] == '/', "cwd '%s'", s->cwd ? s->cwd : "(null)");
	FUZZ_ASSERT(s->rootfs && s->rootfs[0] == '/', "rootfs '%s'", s->rootfs ? s->rootfs : "(null)");
	FUZZ_ASSERT(s->ns[NS_MNT].unshare, "loaded without a mount namespace of its own");
	FUZZ_ASSERT(!s->ns[NS_USER].path && !s->ns[NS_MNT].path, "joins a user or mount namespace");
	FUZZ_ASSERT(s->seccomp.enabled, "loaded with seccomp off");
	FUZZ_ASSERT(s->user.name && s->user.group, "loaded without a user");
	FUZZ_ASSERT(!s->hostname || s->ns[NS_UTS].unshare, "a hostname without a uts namespace");
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_spec *m = &s->mounts[i];

		FUZZ_ASSERT(m->target && m->target[0] == '/', "mount %zu: target '%s'", i,
			    m->target ? m->target : "(null)");
		FUZZ_ASSERT(m->kind != MOUNT_BIND || (m->source && m->source[0] == '/'),
			    "bind mount %zu at %s: source '%s'", i, m->target, m->source ? m->source : "(null)");
		FUZZ_ASSERT(m->kind != MOUNT_TMPFS || !m->source, "tmpfs %zu at %s with a source", i, m->target);
		FUZZ_ASSERT(!m->device || m->kind == MOUNT_BIND, "device node %s not bound", m->target);
	}
	for (size_t i = 0; s->env && s->env[i]; i++)
		FUZZ_ASSERT(s->env[i][0] != '=' && strchr(s->env[i], '='), "env '%s'", s->env[i]);
	for (size_t i = 0; s->oci.sysctl && s->oci.sysctl[i]; i++) {
		const char *kv = s->oci.sysctl[i];
		size_t k = strcspn(kv, "=");

		FUZZ_ASSERT(kv[k] == '=' && !memchr(kv, '/', k) && !strchr(kv, '\n'), "sysctl '%s'", kv);
	}
	if (s->oci.cgroups_path)
		FUZZ_ASSERT(s->oci.cgroups_path[0] == '/' && !strstr(s->oci.cgroups_path, "/.."),
			    "cgroupsPath '%s'", s->oci.cgroups_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rp_err e = { 0 };
	struct spec s;
	int r;

	spec_init(&s);
	fuzz_sandbox_open = true;
	r = oci_config_loads(&s, (const char *)data, size, bundle, "fuzz/config.json", &e);
	fuzz_sandbox_open = false;
	if (r < 0) {
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "fuzz: %s\n", e.msg);
		FUZZ_ASSERT(r == -1, "oci_config_loads returned %d", r);
		FUZZ_ASSERT(e.msg[0] && !strchr(e.msg, '\n') && !strchr(e.msg, '\r'), "error message: '%s'", e.msg);
		FUZZ_ASSERT(e.exit_code == RP_EXIT_ERROR, "exit code %d for '%s'", e.exit_code, e.msg);
	} else {
		FUZZ_ASSERT(r == 0, "oci_config_loads returned %d", r);
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "fuzz: loads\n");
		check_loaded(&s);
	}
	spec_free(&s);
	return 0;
}
