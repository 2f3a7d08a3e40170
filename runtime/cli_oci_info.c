/* cli_oci_info.c - runc's commands around a running container: ps,
 * pause, resume, update, events --stats; and the two documents: features
 * and spec. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "cli.h"
#include "cli_oci.h"
#include "oci.h"
#include "oci_features.h"
#include "oci_runtime.h"
#include "parse.h"
#include "seccomp_json.h"
#include "json_util.h"
#include "util.h"

/* Read the state of the one container named on the line (locked for
 * commands that change it). */
static int open_named_lock(int argc, char **argv, const struct cli_oci_opt *defs, bool lock,
			   struct oci_state *st, struct rp_err *e);

static int open_named(int argc, char **argv, const struct cli_oci_opt *defs, struct oci_state *st,
		      struct rp_err *e)
{
	return open_named_lock(argc, argv, defs, false, st, e);
}

static int open_named_lock(int argc, char **argv, const struct cli_oci_opt *defs, bool lock,
			   struct oci_state *st, struct rp_err *e)
{
	const char *id;
	int first;

	st->dirfd = -1;
	if (cli_oci_parse(argc, argv, defs, &first, e) < 0 || cli_oci_id(argc, argv, first, false, &id, e) < 0)
		return -1;
	return lock ? oci_state_open(cli_global.root, id, st, e) : oci_state_peek(cli_global.root, id, st, e);
}

static void print_cmdline(pid_t pid)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		puts("?");
		return;
	}
	for (ssize_t i = 0; i < n - 1; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	puts(buf);
}

int cmd_ps(int argc, char **argv)
{
	const char *format = "table";
	const struct cli_oci_opt defs[] = { OPT_VALUE("--format", "-f", &format), OPT_END };
	struct rp_err e = { 0 };
	struct oci_state st;
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	int r = 0;

	if (open_named(argc, argv, defs, &st, &e) < 0 || oci_pids(&st, &pids, &n, &e) < 0) {
		oci_state_free(&st);
		return cli_report(&e);
	}
	if (strcmp(format, "json") == 0) {
		/* The shape containerd's shim parses: an array of host pids. */
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		printf("]\n");
	} else if (strcmp(format, "table") == 0) {
		printf("%-8s %s\n", "PID", "CMD");
		for (size_t i = 0; i < n; i++) {
			printf("%-8d ", (int)pids[i]);
			print_cmdline(pids[i]);
		}
	} else {
		rp_fail(&e, 0, "usage", "ps: --format table or json");
		r = -1;
	}
	oci_state_free(&st);
	if (r == 0)
		r = cli_finish_stdout(&e);
	return r < 0 ? cli_report(&e) : 0;
}

static int freeze(int argc, char **argv, bool on)
{
	const struct cli_oci_opt defs[] = { OPT_END };
	struct rp_err e = { 0 };
	const char *id;
	int first;

	if (cli_oci_parse(argc, argv, defs, &first, &e) < 0 || cli_oci_id(argc, argv, first, false, &id, &e) < 0 ||
	    oci_freeze(cli_global.root, id, on, &e) < 0)
		return cli_report(&e);
	return 0;
}

int cmd_pause(int argc, char **argv)
{
	return freeze(argc, argv, true);
}

int cmd_resume(int argc, char **argv)
{
	return freeze(argc, argv, false);
}

/* runc update's single-value flags, as a linux.resources object. */
struct update_flags {
	const char *memory, *swap, *reservation, *period, *quota, *shares, *cpus, *mems, *pids, *blkio;
};

static int add_number(json_t *res, const char *group, const char *key, const char *v, bool size,
		      struct rp_err *e)
{
	json_t *g = json_object_get(res, group);
	uint64_t n;
	long long signed_n;

	if (!v)
		return 0;
	if (strcmp(v, "-1") == 0) {
		signed_n = -1;
	} else if ((size ? parse_size(v, false, &n) : parse_u64(v, &n)) < 0 || n > INT64_MAX) {
		return rp_fail(e, 0, "update", "%s.%s: bad value '%s'", group, key, v);
	} else {
		signed_n = (long long)n;
	}
	if (!g) {
		g = json_object();
		jset(res, group, g);
	}
	jset(g, key, json_integer(signed_n));
	return 0;
}

static json_t *flags_json(const struct update_flags *f, struct rp_err *e)
{
	json_t *res = json_object();

	if (add_number(res, "memory", "limit", f->memory, true, e) < 0 ||
	    add_number(res, "memory", "swap", f->swap, true, e) < 0 ||
	    add_number(res, "memory", "reservation", f->reservation, true, e) < 0 ||
	    add_number(res, "cpu", "period", f->period, false, e) < 0 ||
	    add_number(res, "cpu", "quota", f->quota, false, e) < 0 ||
	    add_number(res, "cpu", "shares", f->shares, false, e) < 0 ||
	    add_number(res, "pids", "limit", f->pids, false, e) < 0 ||
	    add_number(res, "blockIO", "weight", f->blkio, false, e) < 0) {
		json_decref(res);
		return NULL;
	}
	if (f->cpus || f->mems) {
		json_t *cpu = json_object_get(res, "cpu");
		if (!cpu) {
			cpu = json_object();
			jset(res, "cpu", cpu);
		}
		if (f->cpus)
			jset(cpu, "cpus", json_string(f->cpus));
		if (f->mems)
			jset(cpu, "mems", json_string(f->mems));
	}
	return res;
}

static int apply_update(const struct oci_state *st, const json_t *res, const char *source, struct rp_err *e)
{
	struct spec s;
	_cleanup_close_ int fd = -1;
	int r = -1;

	spec_init(&s);
	char root[PATH_MAX];
	struct rp_err why = { 0 };

	if (oci_resources_read(&s, res, source, e) < 0 || limits_validate(&s.limits, e) < 0)
		goto out;
	if (!st->cgroup) {
		rp_fail(e, 0, "update", "container %s has no cgroup", st->id);
		goto out;
	}
	/* As create: weights the host cannot apply are left out, limits it
	 * cannot enforce are refused naming the controller. */
	if (cgroup_find_root(root, sizeof(root), e) < 0)
		goto out;
	if (cgroup_check(root, &s.limits, &why) < 0) {
		if (!limits_drop_weights(&s.limits) || cgroup_check(root, &s.limits, e) < 0) {
			if (!e->msg[0])
				*e = why;
			goto out;
		}
		fprintf(stderr, "rampart: %s\nrampart: cgroup: cpu/io weights not applied\n", why.msg);
	}
	fd = open(st->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rp_fail(e, errno, "cgroup", "%s", st->cgroup);
		goto out;
	}
	r = cgroup_write_limits(fd, &s.limits, e);
out:
	spec_free(&s);
	return r;
}

int cmd_update(int argc, char **argv)
{
	struct update_flags f = { 0 };
	const char *resources = NULL, *kmem = NULL;
	const struct cli_oci_opt defs[] = {
		OPT_VALUE("--resources", "-r", &resources), OPT_VALUE("--memory", "-m", &f.memory),
		OPT_VALUE("--memory-swap", NULL, &f.swap),   OPT_VALUE("--memory-reservation", NULL, &f.reservation),
		OPT_VALUE("--cpu-period", NULL, &f.period),  OPT_VALUE("--cpu-quota", NULL, &f.quota),
		OPT_VALUE("--cpu-share", NULL, &f.shares),   OPT_VALUE("--cpuset-cpus", NULL, &f.cpus),
		OPT_VALUE("--cpuset-mems", NULL, &f.mems),   OPT_VALUE("--pids-limit", NULL, &f.pids),
		OPT_VALUE("--blkio-weight", NULL, &f.blkio), OPT_VALUE("--kernel-memory", NULL, &kmem),
		OPT_VALUE("--kernel-memory-tcp", NULL, &kmem), OPT_END,
	};
	struct rp_err e = { 0 };
	struct oci_state st;
	json_t *res = NULL;
	int r = -1;

	if (open_named_lock(argc, argv, defs, true, &st, &e) < 0)
		goto out;
	if (strcmp(oci_state_status(&st), "stopped") == 0) {
		rp_fail(&e, 0, "update", "container %s is stopped", st.id);
		goto out;
	}
	/* Flags win over the file, as in runc. */
	res = resources ? scj_load_file(resources, &e) : json_object();
	if (!res)
		goto out;
	{
		json_t *flags = flags_json(&f, &e);
		if (!flags)
			goto out;
		json_object_update_recursive(res, flags);
		json_decref(flags);
	}
	r = apply_update(&st, res, resources ? resources : "update", &e);
out:
	json_decref(res);
	oci_state_free(&st);
	return r < 0 ? cli_report(&e) : 0;
}

/* One cgroup file's first number, or -1 when absent ("max" too). */
static long long cg_number(int dirfd, const char *file, const char *key)
{
	char buf[4096], *p = buf;
	_cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	long long v;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (key) {
		p = strstr(buf, key);
		if (!p)
			return -1;
		p += strlen(key);
	}
	return sscanf(p, " %lld", &v) == 1 ? v : -1;
}

static void set_if(json_t *o, const char *k, long long v)
{
	if (v >= 0)
		jset(o, k, json_integer(v));
}

/* runc's stats event, from the cgroup v2 files that exist. */
static json_t *stats_json(const struct oci_state *st)
{
	_cleanup_close_ int fd = st->cgroup ? open(st->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	json_t *data = json_object(), *cpu = json_object(), *mem = json_object(), *pids = json_object();
	json_t *usage = json_object(), *musage = json_object();
	long long v;

	if (fd >= 0) {
		v = cg_number(fd, "cpu.stat", "usage_usec");
		set_if(usage, "total", v >= 0 ? v * 1000 : -1);
		set_if(usage, "user", (v = cg_number(fd, "cpu.stat", "user_usec")) >= 0 ? v * 1000 : -1);
		set_if(usage, "kernel", (v = cg_number(fd, "cpu.stat", "system_usec")) >= 0 ? v * 1000 : -1);
		set_if(musage, "usage", cg_number(fd, "memory.current", NULL));
		set_if(musage, "max", cg_number(fd, "memory.peak", NULL));
		set_if(musage, "limit", cg_number(fd, "memory.max", NULL));
		set_if(pids, "current", cg_number(fd, "pids.current", NULL));
		set_if(pids, "limit", cg_number(fd, "pids.max", NULL));
	}
	jset(cpu, "usage", usage);
	jset(mem, "usage", musage);
	jset(data, "cpu", cpu);
	jset(data, "memory", mem);
	jset(data, "pids", pids);
	return json_pack("{s:s, s:s, s:o}", "type", "stats", "id", st->id, "data", data);
}

int cmd_events(int argc, char **argv)
{
	bool stats = false;
	const char *interval = NULL;
	const struct cli_oci_opt defs[] = { OPT_FLAG("--stats", NULL, &stats),
					    OPT_VALUE("--interval", NULL, &interval),
					    OPT_END };
	struct rp_err e = { 0 };
	struct oci_state st;
	json_t *o;

	if (open_named(argc, argv, defs, &st, &e) < 0) {
		oci_state_free(&st);
		return cli_report(&e);
	}
	if (!stats) {
		oci_state_free(&st);
		rp_fail(&e, 0, "events", "only --stats (one snapshot) is supported");
		return cli_report(&e);
	}
	o = jmust(stats_json(&st));
	oci_state_free(&st);
	json_dumpf(o, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(o);
	return cli_finish_stdout(&e) < 0 ? cli_report(&e) : 0;
}

int cmd_features(int argc, char **argv)
{
	json_t *f = oci_features();
	struct rp_err e = { 0 };

	(void)argc;
	(void)argv;
	json_dumpf(f, stdout, JSON_INDENT(4));
	putchar('\n');
	json_decref(f);
	return cli_finish_stdout(&e) < 0 ? cli_report(&e) : 0;
}

int cmd_spec(int argc, char **argv)
{
	bool rootless = false;
	const char *bundle = ".";
	const struct cli_oci_opt defs[] = { OPT_FLAG("--rootless", NULL, &rootless),
					    OPT_VALUE("--bundle", "-b", &bundle),
					    OPT_END };
	struct rp_err e = { 0 };
	char path[PATH_MAX];
	json_t *cfg = NULL;
	int first, fd = -1;
	char *text = NULL;

	if (cli_oci_parse(argc, argv, defs, &first, &e) < 0)
		return cli_report(&e);
	if (xsnprintf(path, sizeof(path), "%s/config.json", bundle) < 0) {
		rp_fail(&e, ENAMETOOLONG, "spec", "%s", bundle);
		return cli_report(&e);
	}
	cfg = oci_default_config(rootless);
	text = cfg ? json_dumps(cfg, JSON_INDENT(4)) : NULL;
	json_decref(cfg);
	fd = text ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644) : -1;
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0) {
		rp_fail(&e, text ? errno : ENOMEM, "spec", errno == EEXIST ? "%s exists; remove it first" : "%s",
			path);
		free(text);
		if (fd >= 0)
			close(fd);
		return cli_report(&e);
	}
	free(text);
	if (close(fd) < 0) {
		rp_fail(&e, errno, "spec", "%s", path);
		return cli_report(&e);
	}
	return 0;
}
