/* profile.h - the line-oriented profile format (see docs/profiles.md).
 *
 *   # comment
 *   include base
 *   user 101:101
 *   tmpfs /run size=1M mode=0755
 *
 * One directive per line; later lines override earlier ones; `include`
 * applies another profile at that point. Every error is one line,
 * "file:line: message".
 */
#ifndef RAMPART_PROFILE_H
#define RAMPART_PROFILE_H

#include <stdio.h>

#include "error.h"
#include "spec.h"

/* A directive holds at most PROFILE_MAX_LINE bytes of words; the raw line
 * (quotes, escapes, a comment) may take four times that, so that whatever
 * profile_print writes for a valid directive reads back. */
#define PROFILE_MAX_LINE 4096
#define PROFILE_MAX_RAW_LINE (4 * PROFILE_MAX_LINE)
#define PROFILE_MAX_SIZE (1 << 20)
#define PROFILE_MAX_DEPTH 16

/* Apply a profile named on the command line: a path (contains '/' or ends
 * in ".profile") or a name looked up in the profile search path. */
int profile_load(struct spec *s, const char *name, struct rp_err *e);

/* Apply profile text held in memory; `file` names it in errors. */
int profile_load_text(struct spec *s, const char *text, size_t len, const char *file,
		      struct rp_err *e);

/* Apply one directive, as `--set 'DIRECTIVE ...'` does. */
int profile_apply_line(struct spec *s, const char *line, const char *file, unsigned lineno,
		       struct rp_err *e);

/* The search path: $RAMPART_PROFILE_PATH, else the directory "profiles"
 * beside the executable, /etc/rampart/profiles, PREFIX/share/rampart/profiles. */
const char *profile_search_path(void);

/* Find NAME+EXT (e.g. "seccomp/basic-io", ".group") along the search path. */
int profile_find(const char *name, const char *ext, char *out, size_t outlen);

/* Split a line in place into words, the profile way (quotes, escapes, #
 * comments); -1 with "file:line: ..." in e. */
int profile_split_words(char *line, char **w, int max, const char *file, unsigned lineno,
			struct rp_err *e);

/* Print the effective settings in profile syntax: feeding the output back
 * as a profile gives the same spec. */
void profile_print(const struct spec *s, FILE *out);
/* One word, quoted and escaped when it needs to be. */
void profile_print_word(FILE *out, const char *w);

#endif
