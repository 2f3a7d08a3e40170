/* fuzz_common.h - shared by the libFuzzer targets in tests/fuzz/.
 *
 * Every target is linked with -Wl,--wrap=open (scripts/fuzz): while
 * fuzz_sandbox_open is set, open(2) from the library refuses anything that
 * is not a plain regular file outside /proc, /sys and /dev, so a fuzzed
 * `include /proc/kmsg` or `include /run/initctl` (a FIFO) cannot block or
 * have side effects; `include /etc/passwd` still opens and just parses.
 */
#ifndef RAMPART_FUZZ_COMMON_H
#define RAMPART_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern bool fuzz_sandbox_open;

/* Point RAMPART_PROFILE_PATH at the repository's profiles/ and
 * tests/unit/fixtures/ (found from the executable, build/fuzz/fuzz_X)
 * unless it is already set. */
void fuzz_setup_env(void);

/* A malloc'd, NUL-terminated copy (ASan sees the exact size). */
char *fuzz_strndup(const void *data, size_t len);

/* Print `what`, both texts and the first difference on stderr, then abort. */
__attribute__((noreturn)) void fuzz_mismatch(const char *what, const char *a, const char *b);

#define FUZZ_ASSERT(cond, ...)                                                  \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "fuzz: property failed: %s\n", #cond); \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
			abort();                                                \
		}                                                               \
	} while (0)

#endif
