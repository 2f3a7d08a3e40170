/* fuzz_profile.c - the profile parser, and the promise of profile.h that
 * printing a spec and parsing the text back gives the same spec.
 *
 *   1. profile_load_text(input) -> spec A (errors are fine: most inputs
 *      are not profiles; the message must be one line);
 *   2. when it parses: profile_print(A) -> text T1; T1 must parse (B);
 *   3. profile_print(B) -> T2 must equal T1, comments left out: the
 *      "# FILE:LINE" origin comments name the input's lines in T1 and
 *      T1's lines in T2.
 * Any failure of 2 or 3 aborts, so libFuzzer records the input.
 *
 * Includes resolve along RAMPART_PROFILE_PATH (profiles/ of the checkout);
 * a fuzzed `include /some/path` is opened through the sandbox in
 * fuzz_common.c (regular files outside /proc, /sys, /dev only).
 * FUZZ_VERBOSE=1 prints why an input does not parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "profile.h"
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

static char *print_spec(const struct spec *s)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f)
		abort();
	profile_print(s, f);
	if (fclose(f) != 0)
		abort();
	return buf;
}

/* Where the comment of LINE (LEN bytes) starts, read as
 * profile_split_words reads it: a '#' at the start of a word, outside
 * quotes. LEN when there is none. */
static size_t comment_start(const char *line, size_t len)
{
	size_t i = 0;

	for (;;) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len || line[i] == '#')
			return i;
		while (i < len && line[i] != ' ' && line[i] != '\t') {
			if (line[i++] != '"')
				continue;
			for (; i < len && line[i] != '"'; i++)
				if (line[i] == '\\' && i + 1 < len && (line[i + 1] == '"' || line[i + 1] == '\\'))
					i++;
			if (i == len)
				return len;
			i++;
		}
	}
}

/* Drop every comment (and the blanks before it), in place. Comments are
 * not settings. */
static void strip_comments(char *text)
{
	char *r = text, *w = text;

	while (*r) {
		char *nl = strchr(r, '\n');
		size_t len = nl ? (size_t)(nl - r) : strlen(r);
		size_t keep = comment_start(r, len);

		while (keep > 0 && (r[keep - 1] == ' ' || r[keep - 1] == '\t'))
			keep--;
		memmove(w, r, keep);
		w += keep;
		r += len;
		if (*r == '\n')
			*w++ = *r++;
	}
	*w = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec a, b;
	struct rp_err e = { 0 };
	char *t1, *t2;
	int r;

	spec_init(&a);
	fuzz_sandbox_open = true;
	r = profile_load_text(&a, (const char *)data, size, "fuzz", &e);
	fuzz_sandbox_open = false;
	if (r < 0) {
		FUZZ_ASSERT(e.msg[0] && !strchr(e.msg, '\n'), "error message: '%s'", e.msg);
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "fuzz: does not parse: %s\n", e.msg);
		spec_free(&a);
		return 0;
	}

	t1 = print_spec(&a);
	spec_init(&b);
	fuzz_sandbox_open = true;
	r = profile_load_text(&b, t1, strlen(t1), "roundtrip", &e);
	fuzz_sandbox_open = false;
	if (r < 0) {
		fprintf(stderr, "fuzz: property failed: the printed profile does not parse: %s\n"
				"---- printed:\n%s", e.msg, t1);
		abort();
	}
	t2 = print_spec(&b);
	strip_comments(t1);
	strip_comments(t2);
	if (strcmp(t1, t2) != 0)
		fuzz_mismatch("print(parse(print(spec))) != print(spec)", t1, t2);

	free(t1);
	free(t2);
	spec_free(&a);
	spec_free(&b);
	return 0;
}
