/* cli_oci.c - runc's lifecycle commands: create, start, run, state, kill,
 * delete, list (the lifecycle itself is oci_runtime.c). Options take
 * "--opt value" and "--opt=value", as runc's do. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cli.h"
#include "cli_oci.h"
#include "oci.h"
#include "oci_runtime.h"
#include "policy.h"
#include "selfseal.h"
#include "json_util.h"
#include "util.h"

int cli_oci_parse(int argc, char **argv, const struct cli_oci_opt *defs, int *first, struct rp_err *e)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i], *eq;
		const struct cli_oci_opt *d;
		size_t n;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		eq = strchr(a, '=');
		n = eq ? (size_t)(eq - a) : strlen(a);
		for (d = defs; d->name; d++)
			if ((strlen(d->name) == n && strncmp(a, d->name, n) == 0) ||
			    (d->alias && strlen(d->alias) == n && strncmp(a, d->alias, n) == 0))
				break;
		if (!d->name)
			return rp_fail(e, 0, "usage", "%s: unknown option '%s'", argv[0], a);
		if (!d->value && !d->list) {
			if (eq)
				return rp_fail(e, 0, "usage", "%s: %.*s takes no value", argv[0], (int)n, a);
			if (d->flag)
				*d->flag = true;
			continue;
		}
		if (!eq && i + 1 >= argc)
			return rp_fail(e, 0, "usage", "%s: %s needs a value", argv[0], a);
		if (d->list)
			strv_push(d->list, eq ? eq + 1 : argv[++i]);
		else
			*d->value = eq ? eq + 1 : argv[++i];
	}
	*first = i;
	return 0;
}

int cli_oci_preserved_fds(unsigned n, struct rp_err *e)
{
	/* Checked before rampart opens anything: a gap in 3..3+N-1 would
	 * otherwise be filled by one of rampart's own fds (the state
	 * directory, a cgroup) and handed to the container. */
	for (unsigned i = 0; i < n; i++)
		if (fcntl(3 + (int)i, F_GETFD) < 0)
			return rp_fail(e, errno, "usage", "--preserve-fds %u: fd %u is not open", n, 3 + i);
	return 0;
}

int cli_oci_id(int argc, char **argv, int first, bool more, const char **id, struct rp_err *e)
{
	if (first >= argc)
		return rp_fail(e, 0, "usage", "%s: a container id is needed", argv[0]);
	if (!more && first + 1 < argc)
		return rp_fail(e, 0, "usage", "%s: unexpected '%s' after the id", argv[0], argv[first + 1]);
	*id = argv[first];
	return oci_id_check(*id, e);
}

static int parse_uint(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v > 1024)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Each line of TEXT (may be NULL) into the --log file. */
static void log_lines(const char *level, char *text)
{
	char *save = NULL;

	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		cli_log(level, strncmp(line, "rampart: ", 9) == 0 ? line + 9 : line);
}

/* Profiles given as relative paths are kept absolute in the state, so
 * `exec` from another directory finds the same file. */
static int absolute_profiles(char **profiles, struct rp_err *e)
{
	for (size_t i = 0; profiles && profiles[i]; i++) {
		const char *p = profiles[i];
		char real[PATH_MAX];

		if (p[0] == '/' || (strncmp(p, "./", 2) && strncmp(p, "../", 3)))
			continue;
		if (!realpath(p, real))
			return rp_fail(e, errno, "profile", "%s", p);
		free(profiles[i]);
		profiles[i] = xstrdup(real);
	}
	return 0;
}

struct create_cli {
	const char *bundle, *pid_file, *console_socket, *preserve, *policy, *audit_log, *digest;
	bool detach, no_pivot, no_keyring, keep, no_subreaper;
	char **profiles, **sets;
};

static int create_or_run(int argc, char **argv, bool run)
{
	struct create_cli c = { 0 };
	const struct cli_oci_opt defs[] = {
		OPT_VALUE("--bundle", "-b", &c.bundle),
		OPT_VALUE("--pid-file", NULL, &c.pid_file),
		OPT_VALUE("--console-socket", NULL, &c.console_socket),
		OPT_VALUE("--preserve-fds", NULL, &c.preserve),
		OPT_FLAG("--no-pivot", NULL, &c.no_pivot),
		OPT_FLAG("--no-new-keyring", NULL, &c.no_keyring),
		OPT_FLAG("--detach", "-d", run ? &c.detach : NULL),
		OPT_FLAG("--keep", NULL, &c.keep),
		OPT_FLAG("--no-subreaper", NULL, &c.no_subreaper),
		OPT_LIST("--profile", "-p", &c.profiles),
		OPT_LIST("--set", NULL, &c.sets),
		OPT_VALUE("--policy", NULL, &c.policy),
		OPT_VALUE("--audit-log", NULL, &c.audit_log),
		OPT_VALUE("--digest", NULL, &c.digest),
		OPT_END,
	};
	int oom = -1;
	struct oci_create_opts o = { .root = cli_global.root, .notices = stderr, .oom = &oom };
	struct rp_err e = { 0 }, ae = { 0 };
	struct audit_log alog = AUDIT_LOG_INIT;
	char bundle[PATH_MAX], source[PATH_MAX + 16];
	_cleanup_free_ char *text = NULL;
	struct spec s;
	bool refused = false;
	int first, r = -1;
	char *notes = NULL;
	size_t notes_len = 0;

	spec_init(&s);
	if (cli_oci_parse(argc, argv, defs, &first, &e) < 0 || cli_oci_id(argc, argv, first, false, &o.id, &e) < 0)
		goto fail;
	if (cli_global.systemd_cgroup) {
		rp_fail(&e, 0, argv[0], "--systemd-cgroup: rampart manages cgroupfs paths only (drop the flag; "
					 "containerd: SystemdCgroup = false)");
		goto fail;
	}
	if (c.preserve && parse_uint(c.preserve, &o.preserve_fds) < 0) {
		rp_fail(&e, 0, "usage", "--preserve-fds: '%s' is not a number of fds", c.preserve);
		goto fail;
	}
	if (cli_oci_preserved_fds(o.preserve_fds, &e) < 0)
		goto fail;
	o.no_new_keyring = c.no_keyring;
	if (c.digest) {
		/* As launch --digest: the tree must be the pinned one. */
		char line[160];
		if (xsnprintf(line, sizeof(line), "image digest %s", c.digest) < 0) {
			rp_fail(&e, 0, "usage", "--digest: too long");
			goto fail;
		}
		strv_push(&c.sets, line);
	}
	if (!realpath(c.bundle ? c.bundle : ".", bundle)) {
		rp_fail(&e, errno, "bundle", "%s", c.bundle ? c.bundle : ".");
		goto fail;
	}
	snprintf(source, sizeof(source), "%s/config.json", bundle);
	if (absolute_profiles(c.profiles, &e) < 0 || oci_read_config(bundle, &text, &o.config_len, &e) < 0 ||
	    oci_spec_build(&s, bundle, text, o.config_len, source, c.profiles, c.sets, o.id, &e) < 0)
		goto fail;
	if (selfseal_needed(&s) && selfseal_reexec(&e) < 0)
		goto fail;
	o.config_text = text;
	o.profiles = c.profiles;
	o.sets = c.sets;
	o.pid_file = c.pid_file;
	o.console_socket = c.console_socket;
	o.start = run;
	o.detach = c.detach;
	if (audit_open_config(c.audit_log, &alog, &e) < 0 || policy_gate(c.policy, &s, &refused, &e) < 0 ||
	    audit_oci(&alog, AUDIT_CMD_CREATE, o.id, &s, AUDIT_STARTED, NULL, -1, -1, &e) < 0) {
		(void)audit_oci(&alog, AUDIT_CMD_CREATE, o.id, &s, refused ? AUDIT_REFUSED : AUDIT_ERROR, e.msg, -1,
				-1, &ae);
		goto fail;
	}
	/* With --log (containerd's shim, conmon) the runtime's stderr is the
	 * container's: warnings go to the log, as runc's do. */
	if (cli_global.log)
		o.notices = open_memstream(&notes, &notes_len);
	r = oci_create(&s, &o, &e);
	if (cli_global.log && o.notices) {
		fclose(o.notices);
		log_lines("warning", notes);
	}
	if (r < 0 || (run && !c.detach)) {
		if (audit_oci(&alog, AUDIT_CMD_CREATE, o.id, &s, r < 0 ? AUDIT_ERROR : AUDIT_EXITED,
			      r < 0 ? e.msg : NULL, r, oom, &ae) < 0)
			fprintf(stderr, "rampart: %s\n", ae.msg);
	}
	if (r < 0)
		goto fail;
	goto out;
fail:
	r = cli_report(&e);
out:
	audit_close(&alog);
	spec_free(&s);
	strv_free(c.profiles);
	strv_free(c.sets);
	free(notes);
	return r;
}

int cmd_create(int argc, char **argv)
{
	return create_or_run(argc, argv, false);
}

int cmd_run(int argc, char **argv)
{
	return create_or_run(argc, argv, true);
}

int cmd_start(int argc, char **argv)
{
	const struct cli_oci_opt defs[] = { OPT_END };
	struct rp_err e = { 0 };
	const char *id;
	int first;

	if (cli_oci_parse(argc, argv, defs, &first, &e) < 0 || cli_oci_id(argc, argv, first, false, &id, &e) < 0)
		return cli_report(&e);
	if (oci_start(cli_global.root, id, stderr, &e) < 0) {
		cli_oci_audit(AUDIT_CMD_START, id, false, e.msg);
		return cli_report(&e);
	}
	cli_oci_audit(AUDIT_CMD_START, id, true, NULL);
	return 0;
}

int cmd_state(int argc, char **argv)
{
	const struct cli_oci_opt defs[] = { OPT_END };
	struct rp_err e = { 0 };
	struct oci_state st;
	const char *id;
	json_t *o;
	int first;

	if (cli_oci_parse(argc, argv, defs, &first, &e) < 0 || cli_oci_id(argc, argv, first, false, &id, &e) < 0 ||
	    oci_state_peek(cli_global.root, id, &st, &e) < 0)
		return cli_report(&e);
	o = oci_state_json(&st);
	oci_state_free(&st);
	json_dumpf(o, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(o);
	return cli_finish_stdout(&e) < 0 ? cli_report(&e) : 0;
}

int cmd_kill(int argc, char **argv)
{
	bool all = false;
	const struct cli_oci_opt defs[] = { OPT_FLAG("--all", "-a", &all), OPT_END };
	struct rp_err e = { 0 };
	const char *id;
	int first, sig = SIGTERM;

	if (cli_oci_parse(argc, argv, defs, &first, &e) < 0 || cli_oci_id(argc, argv, first, true, &id, &e) < 0)
		return cli_report(&e);
	if (first + 2 < argc) {
		rp_fail(&e, 0, "usage", "kill: unexpected '%s'", argv[first + 2]);
		return cli_report(&e);
	}
	if (first + 1 < argc && (sig = oci_signal_from_name(argv[first + 1])) < 0) {
		rp_fail(&e, 0, "kill", "unknown signal '%s'", argv[first + 1]);
		return cli_report(&e);
	}
	if (oci_kill(cli_global.root, id, sig, all, &e) < 0) {
		cli_oci_audit(AUDIT_CMD_KILL, id, false, e.msg);
		return cli_report(&e);
	}
	cli_oci_audit(AUDIT_CMD_KILL, id, true, NULL);
	return 0;
}

int cmd_delete(int argc, char **argv)
{
	bool force = false;
	const struct cli_oci_opt defs[] = { OPT_FLAG("--force", "-f", &force), OPT_END };
	struct rp_err e = { 0 };
	const char *id;
	int first;

	if (cli_oci_parse(argc, argv, defs, &first, &e) < 0 || cli_oci_id(argc, argv, first, false, &id, &e) < 0)
		return cli_report(&e);
	if (oci_delete(cli_global.root, id, force, stderr, &e) < 0) {
		/* runc: deleting what is not there, with --force, succeeds. */
		if (force && strstr(e.msg, "does not exist"))
			return 0;
		cli_oci_audit(AUDIT_CMD_DELETE, id, false, e.msg);
		return cli_report(&e);
	}
	cli_oci_audit(AUDIT_CMD_DELETE, id, true, NULL);
	return 0;
}

static void list_table(json_t *all)
{
	json_t *o;
	size_t i;

	printf("%-20s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
	json_array_foreach(all, i, o)
		printf("%-20s %-8lld %-10s %-40s %-30s %s\n", json_string_value(json_object_get(o, "id")),
		       (long long)json_integer_value(json_object_get(o, "pid")),
		       json_string_value(json_object_get(o, "status")),
		       json_string_value(json_object_get(o, "bundle")),
		       json_string_value(json_object_get(o, "created")),
		       json_string_value(json_object_get(o, "owner")));
}

int cmd_list(int argc, char **argv)
{
	const char *format = "table";
	bool quiet = false;
	const struct cli_oci_opt defs[] = { OPT_VALUE("--format", "-f", &format), OPT_FLAG("--quiet", "-q", &quiet),
					    OPT_END };
	struct rp_err e = { 0 };
	_cleanup_strv_ char **ids = NULL;
	json_t *all;
	int first;

	if (cli_oci_parse(argc, argv, defs, &first, &e) < 0 || oci_state_list(cli_global.root, &ids, &e) < 0)
		return cli_report(&e);
	if (strcmp(format, "table") && strcmp(format, "json")) {
		rp_fail(&e, 0, "usage", "list: --format table or json");
		return cli_report(&e);
	}
	all = json_array();
	for (size_t i = 0; ids && ids[i]; i++) {
		struct oci_state st;
		struct rp_err skip = { 0 };

		if (oci_state_peek(cli_global.root, ids[i], &st, &skip) < 0)
			continue; /* removed meanwhile */
		if (quiet)
			puts(st.id);
		else
			jappend(all, oci_state_json(&st));
		oci_state_free(&st);
	}
	if (!quiet && strcmp(format, "json") == 0) {
		json_dumpf(all, stdout, JSON_COMPACT);
		putchar('\n');
	} else if (!quiet) {
		list_table(all);
	}
	json_decref(all);
	return cli_finish_stdout(&e) < 0 ? cli_report(&e) : 0;
}

void cli_oci_audit(int command, const char *id, bool ok, const char *error)
{
	struct audit_log alog = AUDIT_LOG_INIT;
	struct rp_err e = { 0 };

	if (audit_open_config(NULL, &alog, &e) < 0 ||
	    audit_oci(&alog, (enum audit_command)command, id, NULL, ok ? AUDIT_EXITED : AUDIT_ERROR,
		      error, ok ? 0 : -1, -1, &e) < 0)
		fprintf(stderr, "rampart: %s\n", e.msg);
	audit_close(&alog);
}
