/* resources.c - `limit` and `cgroup` profile lines. */
#include "resources.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "parse.h"
#include "profile.h"
#include "spec.h"
#include "util.h"

#define DEFAULT_CPU_PERIOD 100000u

#define fail(...) rp_fail_at(e, file, line, __VA_ARGS__)

bool limits_any(const struct resources_spec *l)
{
	return l->memory.set || l->memory_high.set || l->swap.set || l->pids.set ||
	       l->cpu_quota.set || l->cpu_weight.set || l->io_weight.set || l->cpuset || l->nio ||
	       l->unified;
}

bool limits_drop_weights(struct resources_spec *l)
{
	bool had = l->cpu_weight.set || l->io_weight.set;

	l->cpu_weight.set = l->io_weight.set = false;
	return had;
}

/* Append controller C to the space-separated list OUT unless it is there. */
static void add_controller(char *out, size_t len, const char *c, size_t clen)
{
	size_t n = strlen(out);

	for (const char *p = out; *p; p += strcspn(p, " "), p += *p == ' ') {
		if (strncmp(p, c, clen) == 0 && (p[clen] == ' ' || p[clen] == '\0'))
			return;
	}
	if (n + (n ? 1 : 0) + clen + 1 <= len)
		snprintf(out + n, len - n, "%s%.*s", n ? " " : "", (int)clen, c);
}

void limits_controllers(const struct resources_spec *l, char *out, size_t len)
{
	snprintf(out, len, "%s%s%s%s%s",
		 l->cpu_quota.set || l->cpu_weight.set ? "cpu " : "",
		 l->cpuset ? "cpuset " : "",
		 l->memory.set || l->memory_high.set || l->swap.set ? "memory " : "",
		 l->nio || l->io_weight.set ? "io " : "",
		 l->pids.set ? "pids " : "");
	if (*out)
		out[strlen(out) - 1] = '\0';
	/* "memory.low=..." needs the memory controller. */
	for (size_t i = 0; l->unified && l->unified[i]; i++)
		add_controller(out, len, l->unified[i], strcspn(l->unified[i], "."));
}

static void set(struct limit_value *v, uint64_t value, const char *file, unsigned line)
{
	*v = (struct limit_value){ true, value, file, line };
}

/* 1.5 -> 150000 of a 100000 period; up to 6 decimals, no floats. */
static int parse_cpus(const char *s, uint64_t period, uint64_t *quota)
{
	uint64_t whole = 0, frac = 0, scale = 1000000;
	const char *dot = strchr(s, '.');
	char buf[32];

	if (strlen(s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	if (dot) {
		size_t n = strlen(dot + 1);
		buf[dot - s] = '\0';
		if (n == 0 || n > 6 || parse_u64(dot + 1, &frac) < 0)
			return -1;
		for (size_t i = n; i < 6; i++)
			frac *= 10;
	}
	if ((buf[0] && parse_u64(buf, &whole) < 0) || (!buf[0] && !dot) || whole > 1024)
		return -1;
	*quota = (whole * scale + frac) * period / scale;
	return *quota >= 1000 ? 0 : -1; /* the kernel's minimum quota is 1ms */
}

static int weight(const char *s, uint64_t *out)
{
	return parse_u64(s, out) < 0 || *out < 1 || *out > 10000 ? -1 : 0;
}

static bool cpuset_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == ',' || *s == '-'))
			return false;
	return true;
}

static int io_line(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		   struct rp_err *e)
{
	struct resources_spec *l = &s->limits;
	struct io_limit io = { .file = file, .line = line };
	size_t k;

	if (argc < 2)
		return fail("limit io: expected DEVICE rbps=N wbps=N riops=N wiops=N (at least one)");
	if (argv[0][0] != '/')
		return fail("limit io: device '%s' must be an absolute path (e.g. /dev/vda)", argv[0]);
	for (int i = 1; i < argc; i++) {
		static const char *const keys[] = { "rbps=", "wbps=", "riops=", "wiops=" };
		uint64_t *dst[] = { &io.rbps, &io.wbps, &io.riops, &io.wiops };
		size_t j;

		for (j = 0; j < ARRAY_SIZE(keys); j++)
			if (strncmp(argv[i], keys[j], strlen(keys[j])) == 0)
				break;
		if (j == ARRAY_SIZE(keys))
			return fail("limit io %s: unknown key '%s' (rbps= wbps= riops= wiops=)", argv[0], argv[i]);
		if (parse_size(argv[i] + strlen(keys[j]), true, dst[j]) < 0 || *dst[j] == 0)
			return fail("limit io %s: bad value '%s'", argv[0], argv[i]);
	}
	for (k = 0; k < l->nio; k++)
		if (strcmp(l->io[k].device, argv[0]) == 0)
			break;
	if (k == LIMITS_MAX_IO)
		return fail("limit io: at most %d devices", LIMITS_MAX_IO);
	if (k < l->nio)
		free(l->io[k].device);
	else
		l->nio++;
	io.device = xstrdup(argv[0]);
	l->io[k] = io;
	return 0;
}

int limits_directive(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		     struct rp_err *e)
{
	struct resources_spec *l = &s->limits;
	const char *what = argc ? argv[0] : "";
	uint64_t v;

	if (argc < 2)
		return fail("limit: expected 'limit RESOURCE VALUE' (memory memory-high swap cpu cpu-weight cpuset io io-weight pids)");
	if (!strcmp(what, "io"))
		return io_line(s, argc - 1, argv + 1, file, line, e);
	if (!strcmp(what, "cpu")) {
		uint64_t period = DEFAULT_CPU_PERIOD;
		if (argc == 3 && (strncmp(argv[2], "period=", 7) || parse_u64(argv[2] + 7, &period) < 0 ||
				  period < 1000 || period > 1000000))
			return fail("limit cpu: bad period '%s' (period=1000..1000000 microseconds)", argv[2]);
		if (argc > 3)
			return fail("limit cpu: too many arguments");
		if (!strcmp(argv[1], "max"))
			v = LIMIT_MAX;
		else if (!strncmp(argv[1], "quota=", 6)) {
			/* The exact form profile show writes when a CPU count
			 * with six decimals cannot say it. */
			if (parse_u64(argv[1] + 6, &v) < 0 || v < 1000 || v == LIMIT_MAX)
				return fail("limit cpu: bad quota '%s' (microseconds, at least 1000)", argv[1]);
		} else if (parse_cpus(argv[1], period, &v) < 0)
			return fail("limit cpu: bad value '%s' (CPUs, e.g. 0.5 or 2, or max)", argv[1]);
		set(&l->cpu_quota, v, file, line);
		l->cpu_period = period;
		return 0;
	}
	if (argc != 2)
		return fail("limit %s: too many arguments", what);
	if (!strcmp(what, "memory") || !strcmp(what, "memory-high") || !strcmp(what, "swap")) {
		struct limit_value *dst = what[0] == 's' ? &l->swap : what[6] ? &l->memory_high : &l->memory;
		if (parse_size(argv[1], true, &v) < 0)
			return fail("limit %s: bad size '%s' (e.g. 256M, 2G, or max)", what, argv[1]);
		if (v != LIMIT_MAX && v < 4096 && dst != &l->swap)
			return fail("limit %s: %s is below one page", what, argv[1]);
		set(dst, v, file, line);
	} else if (!strcmp(what, "pids")) {
		if ((strcmp(argv[1], "max") && (parse_u64(argv[1], &v) < 0 || v == 0)))
			return fail("limit pids: bad value '%s' (a number above 0, or max)", argv[1]);
		set(&l->pids, strcmp(argv[1], "max") ? v : LIMIT_MAX, file, line);
	} else if (!strcmp(what, "cpu-weight") || !strcmp(what, "io-weight")) {
		if (weight(argv[1], &v) < 0)
			return fail("limit %s: bad weight '%s' (1 to 10000)", what, argv[1]);
		set(what[0] == 'c' ? &l->cpu_weight : &l->io_weight, v, file, line);
	} else if (!strcmp(what, "cpuset")) {
		if (!cpuset_ok(argv[1]))
			return fail("limit cpuset: bad CPU list '%s' (e.g. 0-1,3)", argv[1]);
		free(l->cpuset);
		l->cpuset = xstrdup(argv[1]);
	} else {
		return fail("limit: unknown resource '%s' (memory memory-high swap cpu cpu-weight cpuset io io-weight pids)", what);
	}
	return 0;
}

int cgroup_directive(struct spec *s, int argc, char **argv, const char *file, unsigned line,
		     struct rp_err *e)
{
	struct resources_spec *l = &s->limits;
	char path[256];

	if (argc == 1 && (!strcmp(argv[0], "optional") || !strcmp(argv[0], "required"))) {
		l->optional = argv[0][0] == 'o';
		return 0;
	}
	if (argc == 2 && !strcmp(argv[0], "parent")) {
		if (parse_container_path(argv[1], path, sizeof(path)) < 0 || !strcmp(path, "/"))
			return fail("cgroup parent: '%s' must be an absolute path below the cgroup2 root, without . or ..", argv[1]);
		free(l->parent);
		l->parent = xstrdup(path);
		return 0;
	}
	return fail("cgroup: expected 'cgroup parent PATH', 'cgroup required' or 'cgroup optional'");
}

int limits_validate(struct resources_spec *l, struct rp_err *e)
{
	for (size_t i = 0; i < l->nio; i++) {
		struct io_limit *io = &l->io[i];
		struct stat st;

		if (stat(io->device, &st) < 0)
			return rp_fail_at(e, io->file, io->line, "limit io %s: %s", io->device, strerror(errno));
		if (!S_ISBLK(st.st_mode))
			return rp_fail_at(e, io->file, io->line, "limit io %s: not a block device", io->device);
		io->rdev = st.st_rdev;
	}
	return 0;
}

static void print_value(FILE *out, const char *name, const struct limit_value *v)
{
	if (!v->set)
		return;
	if (v->value == LIMIT_MAX)
		fprintf(out, "limit %s max\n", name);
	else
		fprintf(out, "limit %s %" PRIu64 "\n", name, v->value);
}

static void print_io_key(FILE *out, const char *key, uint64_t v)
{
	if (v == LIMIT_MAX)
		fprintf(out, " %s=max", key);
	else if (v)
		fprintf(out, " %s=%" PRIu64, key, v);
}

void limits_print(const struct resources_spec *l, FILE *out)
{
	print_value(out, "memory", &l->memory);
	print_value(out, "memory-high", &l->memory_high);
	print_value(out, "swap", &l->swap);
	print_value(out, "pids", &l->pids);
	if (l->cpu_quota.set && l->cpu_quota.value == LIMIT_MAX)
		fprintf(out, "limit cpu max period=%" PRIu64 "\n", l->cpu_period);
	else if (l->cpu_quota.set && l->cpu_quota.value / l->cpu_period <= 1024 &&
		 l->cpu_quota.value * 1000000 % l->cpu_period == 0)
		fprintf(out, "limit cpu %" PRIu64 ".%06" PRIu64 " period=%" PRIu64 "\n",
			l->cpu_quota.value / l->cpu_period,
			l->cpu_quota.value % l->cpu_period * 1000000 / l->cpu_period, l->cpu_period);
	else if (l->cpu_quota.set)
		fprintf(out, "limit cpu quota=%" PRIu64 " period=%" PRIu64 "\n", l->cpu_quota.value,
			l->cpu_period);
	print_value(out, "cpu-weight", &l->cpu_weight);
	print_value(out, "io-weight", &l->io_weight);
	if (l->cpuset)
		fprintf(out, "limit cpuset %s\n", l->cpuset);
	for (size_t i = 0; i < l->nio; i++) {
		fputs("limit io ", out);
		profile_print_word(out, l->io[i].device);
		print_io_key(out, "rbps", l->io[i].rbps);
		print_io_key(out, "wbps", l->io[i].wbps);
		print_io_key(out, "riops", l->io[i].riops);
		print_io_key(out, "wiops", l->io[i].wiops);
		fputc('\n', out);
	}
	if (l->parent) {
		fputs("cgroup parent ", out);
		profile_print_word(out, l->parent);
		fputc('\n', out);
	}
	fprintf(out, "cgroup %s\n", l->optional ? "optional" : "required");
}

void limits_free(struct resources_spec *l)
{
	for (size_t i = 0; i < l->nio; i++)
		free(l->io[i].device);
	free(l->cpuset);
	strv_free(l->unified);
	free(l->parent);
	memset(l, 0, sizeof(*l));
}
