/* policy.c - policy files (require, waive, require-level) and enforcement. */
#include "policy.h"

#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "util.h"

#define POLICY_MAX_LINE 4096
#define POLICY_MAX_WORDS 64

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->level = -1;
}

void policy_free(struct policy *p)
{
	free(p->path);
	for (size_t i = 0; i < CHECK_COUNT; i++)
		free(p->waive[i]);
	policy_init(p);
}

static int find_id(const char *id, const char *what, const char *file, unsigned lineno,
		   struct rp_err *e)
{
	int i = check_find(id);

	if (i < 0)
		return rp_fail_at(e, file, lineno, "%s: unknown check '%s' (rampart check lists them)",
				  what, id);
	return i;
}

static int apply_line(struct policy *p, int argc, char **argv, const char *file, unsigned lineno,
		      struct rp_err *e)
{
	const char *d = argv[0];

	if (strcmp(d, "require") == 0) {
		if (argc < 2)
			return rp_fail_at(e, file, lineno, "require: name at least one check id");
		for (int k = 1; k < argc; k++) {
			int i = find_id(argv[k], "require", file, lineno, e);

			if (i < 0)
				return -1;
			if (p->waive[i])
				return rp_fail_at(e, file, lineno, "require %s: the check is also waived", argv[k]);
			p->require[i] = true;
		}
		return 0;
	}
	if (strcmp(d, "waive") == 0) {
		char reason[POLICY_MAX_REASON + 1] = "";
		size_t n = 0;
		int i;

		if (argc < 2)
			return rp_fail_at(e, file, lineno, "waive: expected 'waive ID REASON...'");
		i = find_id(argv[1], "waive", file, lineno, e);
		if (i < 0)
			return -1;
		if (argc < 3)
			return rp_fail_at(e, file, lineno, "waive %s: give a reason", argv[1]);
		if (p->require[i])
			return rp_fail_at(e, file, lineno, "waive %s: the check is also required", argv[1]);
		for (int k = 2; k < argc; k++) {
			size_t wl = strlen(argv[k]);

			if (n + wl + (k > 2) > POLICY_MAX_REASON)
				return rp_fail_at(e, file, lineno, "waive %s: reason longer than %d bytes",
						  argv[1], POLICY_MAX_REASON);
			if (k > 2)
				reason[n++] = ' ';
			memcpy(reason + n, argv[k], wl);
			n += wl;
			reason[n] = '\0';
		}
		free(p->waive[i]);
		p->waive[i] = xstrdup(reason);
		return 0;
	}
	if (strcmp(d, "require-level") == 0) {
		if (argc != 2 || (strcmp(argv[1], "must") != 0 && strcmp(argv[1], "should") != 0))
			return rp_fail_at(e, file, lineno, "require-level: expected must or should");
		p->level = check_level_from_name(argv[1]);
		return 0;
	}
	return rp_fail_at(e, file, lineno, "unknown directive '%s' (require, waive, require-level)", d);
}

int policy_load_text(const char *text, size_t len, const char *file, struct policy *p,
		     struct rp_err *e)
{
	_cleanup_free_ char *buf = NULL;
	unsigned lineno = 0;
	char *line;

	if (memchr(text, '\0', len))
		return rp_fail_at(e, file, 0, "contains a NUL byte (not a text file)");
	if (!utf8_valid(text, len))
		return rp_fail_at(e, file, 0, "not valid UTF-8");
	buf = xmalloc(len + 1);
	memcpy(buf, text, len);
	buf[len] = '\0';
	line = buf;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		char *words[POLICY_MAX_WORDS];
		int n;

		lineno++;
		if (nl)
			*nl = '\0';
		if (nl && nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		if (strlen(line) > POLICY_MAX_LINE)
			return rp_fail_at(e, file, lineno, "line longer than %d bytes", POLICY_MAX_LINE);
		n = profile_split_words(line, words, POLICY_MAX_WORDS, file, lineno, e);
		if (n < 0 || (n > 0 && apply_line(p, n, words, file, lineno, e) < 0))
			return -1;
		line = nl ? nl + 1 : NULL;
	}
	p->present = true;
	free(p->path);
	p->path = xstrdup(file);
	return 0;
}

int policy_load(const char *path, struct policy *p, struct rp_err *e)
{
	const char *file = path ? path : POLICY_DEFAULT_PATH;
	_cleanup_close_ int fd = -1;
	char buf[POLICY_MAX_SIZE + 1];
	struct stat st;
	size_t len = 0;

	/* O_NONBLOCK: a FIFO put in its place must not hang the launch. */
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT && !path)
		return 0; /* no default policy: nothing is refused */
	if (fd < 0)
		return rp_fail(e, errno, "policy", "%s", file);
	if (fstat(fd, &st) < 0)
		return rp_fail(e, errno, "policy", "%s", file);
	if (!S_ISREG(st.st_mode))
		return rp_fail(e, 0, "policy", "%s: not a regular file", file);
	if (st.st_mode & S_IWOTH)
		return rp_fail(e, 0, "policy", "%s: writable by every user; refused (chmod o-w)", file);
	for (;;) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return rp_fail(e, errno, "policy", "%s", file);
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == sizeof(buf))
			return rp_fail(e, 0, "policy", "%s: larger than %d bytes", file, POLICY_MAX_SIZE);
	}
	return policy_load_text(buf, len, file, p, e);
}

void policy_apply(const struct policy *p, struct check_report *rep)
{
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		struct check_result *r = &rep->r[i];

		r->required = p->present &&
			      (p->require[i] || (p->level >= 0 && (int)r->def->level <= p->level));
		r->waiver = p->present ? p->waive[i] : NULL;
	}
	check_settle(rep);
}

size_t policy_refusals(const struct check_report *rep, char *buf, size_t len)
{
	size_t n = 0, o = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_result *r = &rep->r[i];
		int w;

		if (!r->required || r->passed || r->waiver)
			continue;
		if (o < len) {
			w = snprintf(buf + o, len - o, "%s%s", n ? ", " : "", r->def->id);
			o += w < 0 ? 0 : (size_t)w;
		}
		n++;
	}
	return n;
}

int policy_enforce(const struct policy *p, const struct spec *s, char *const *argv,
		   struct rp_err *e)
{
	struct check_report rep;
	char ids[CHECK_COUNT * 16];

	if (!p->present)
		return 0;
	check_run(s, argv, true, &rep);
	policy_apply(p, &rep);
	if (policy_refusals(&rep, ids, sizeof(ids)) == 0)
		return 0;
	return rp_fail(e, 0, "policy", "refused: %s failed (see rampart check)", ids);
}

int policy_gate(const char *path, const struct spec *s, bool *refused, struct rp_err *e)
{
	struct policy p;
	int r;

	*refused = false;
	policy_init(&p);
	r = policy_load(path, &p, e);
	if (r == 0) {
		r = policy_enforce(&p, s, NULL, e);
		*refused = r < 0;
	}
	policy_free(&p);
	return r;
}
