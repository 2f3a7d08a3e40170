/* parse.h - strict parsers for the numbers, sizes and paths profiles use.
 * Each returns 0 or -1 with errno EINVAL/ERANGE; no partial parses, no
 * silent wrap-around, no locale. */
#ifndef RAMPART_PARSE_H
#define RAMPART_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int parse_u64(const char *s, uint64_t *out);
int parse_u32(const char *s, uint32_t *out);
/* 64, 16K, 256M, 2G, 1T (binary multiples); "max" gives UINT64_MAX when
 * allow_max is set. */
int parse_size(const char *s, bool allow_max, uint64_t *out);
/* Octal file mode 0..07777. */
int parse_mode(const char *s, int *out);
/* on|off|yes|no|true|false */
int parse_bool(const char *s, bool *out);
/* An absolute container path without "." or ".." components, normalised
 * (duplicate slashes folded, trailing slash dropped) into out. */
int parse_container_path(const char *s, char *out, size_t outlen);
/* Valid UTF-8 (no overlongs, no surrogates)? */
bool utf8_valid(const char *s, size_t len);

#endif
