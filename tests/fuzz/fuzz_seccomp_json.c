/* fuzz_seccomp_json.c - `rampart seccomp import` and `export` on any JSON.
 *
 *   1. scj_loads(input) (errors are fine);
 *   2. scj_import -> profile text (errors are fine: most documents are no
 *      seccomp profile);
 *   3. the imported text must parse with profile_load_text (import
 *      promises lines rampart's own parser reads back);
 *   4. scj_export of the parsed rules, OCI and Docker, must succeed (the
 *      rules came from JSON, so JSON can say them), and importing the
 *      export again must give the same effective rules: the round trip of
 *      docs/seccomp-tools.md, compared as `rampart seccomp diff` does
 *      (sorted rule texts, rules equal to the default left out).
 * FUZZ_VERBOSE=1 prints why an input does not load or import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "profile.h"
#include "seccomp_json.h"
#include "spec.h"

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_env();
	return 0;
}

/* scj_import of DOC as text (malloc'd), or NULL with e filled. */
static char *import_text(const json_t *doc, const char *source, struct rp_err *e)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	int r;

	if (!f)
		abort();
	r = scj_import(doc, source, f, e);
	if (fclose(f) != 0)
		abort();
	if (r < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_no_op(const struct seccomp_spec *sc, const struct sc_rule *r)
{
	return scj_unconditional(r) && r->action.kind == sc->default_action.kind &&
	       (r->action.kind != SC_ERRNO || r->action.errnum == sc->default_action.errnum);
}

/* The effective rules as one text: the default, then the sorted, unique
 * rule lines (what `rampart seccomp diff` compares). */
static char *canon(const struct seccomp_spec *sc)
{
	char **lines = calloc(sc->nrules + 1, sizeof(*lines));
	char *buf = NULL, act[64];
	size_t n = 0, len = 0;
	FILE *f;

	if (!lines)
		abort();
	for (size_t i = 0; sc->enabled && i < sc->nrules; i++) {
		if (is_no_op(sc, &sc->rules[i]))
			continue;
		lines[n] = malloc(512);
		if (!lines[n])
			abort();
		scj_rule_text(&sc->rules[i], lines[n++], 512);
	}
	qsort(lines, n, sizeof(*lines), cmp_str);
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	scj_action_text(&sc->default_action, act, sizeof(act));
	fprintf(f, sc->enabled ? "default %s\n" : "seccomp off\n", act);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(lines[i - 1], lines[i]) != 0)
			fprintf(f, "%s\n", lines[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	if (fclose(f) != 0)
		abort();
	return buf;
}

/* Parse TEXT (the output of an import) into S; abort when it does not. */
static void parse_imported(struct spec *s, const char *text, const char *what)
{
	struct rp_err e = { 0 };

	spec_init(s);
	if (profile_load_text(s, text, strlen(text), what, &e) < 0) {
		fprintf(stderr, "fuzz: property failed: %s does not parse: %s\n---- text:\n%s",
			what, e.msg, text);
		abort();
	}
}

static void round_trip(const struct spec *s, const char *want, enum scj_format fmt)
{
	const char *name = fmt == SCJ_OCI ? "export-oci" : "export-docker";
	struct rp_err e = { 0 };
	struct spec again;
	char *json, *text, *got;
	json_t *doc;

	json = scj_export(&s->seccomp, fmt, &e);
	FUZZ_ASSERT(json, "%s of imported rules failed: %s", name, e.msg);
	doc = scj_loads(json, strlen(json), name, &e);
	FUZZ_ASSERT(doc, "%s does not load: %s\n---- json:\n%s", name, e.msg, json);
	text = import_text(doc, name, &e);
	FUZZ_ASSERT(text, "import of %s failed: %s\n---- json:\n%s", name, e.msg, json);
	json_decref(doc);
	parse_imported(&again, text, name);
	got = canon(&again.seccomp);
	if (strcmp(want, got) != 0) {
		fprintf(stderr, "---- exported (%s):\n%s", name, json);
		fuzz_mismatch("import(export(rules)) has other effective rules", want, got);
	}
	free(got);
	free(text);
	free(json);
	spec_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rp_err e = { 0 };
	struct spec s;
	char *text, *want;
	json_t *doc;

	doc = scj_loads((const char *)data, size, "fuzz.json", &e);
	if (!doc) {
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "fuzz: %s\n", e.msg);
		FUZZ_ASSERT(e.msg[0] && !strchr(e.msg, '\n'), "error message: '%s'", e.msg);
		return 0;
	}
	text = import_text(doc, "fuzz.json", &e);
	json_decref(doc);
	if (!text) {
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "fuzz: %s\n", e.msg);
		FUZZ_ASSERT(e.msg[0] && !strchr(e.msg, '\n'), "error message: '%s'", e.msg);
		return 0;
	}
	parse_imported(&s, text, "imported");
	want = canon(&s.seccomp);
	round_trip(&s, want, SCJ_OCI);
	round_trip(&s, want, SCJ_DOCKER);
	free(want);
	free(text);
	spec_free(&s);
	return 0;
}
