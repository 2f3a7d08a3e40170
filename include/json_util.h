/* json_util.h - small jansson helpers shared by the JSON writers.
 *
 * jansson fails only when out of memory; like xmalloc, these abort loudly
 * instead of making every caller check. */
#ifndef RAMPART_JSON_UTIL_H
#define RAMPART_JSON_UTIL_H

#include <jansson.h>
#include <stddef.h>

/* j itself, or abort when it is NULL. */
json_t *jmust(json_t *j);
/* obj[key] = value (the reference is taken). */
void jset(json_t *obj, const char *key, json_t *value);
/* arr += value (the reference is taken). */
void jappend(json_t *arr, json_t *value);
/* JSON paths for messages: PARENT.KEY and PARENT[I] into buf, which holds
 * JSON_PATH_LEN bytes; a path too long ends in "...". Return buf. */
#define JSON_PATH_LEN 256
const char *json_path_key(char *buf, const char *parent, const char *key);
const char *json_path_idx(char *buf, const char *parent, size_t i);

/* A NULL-terminated string vector (NULL: empty) as a JSON array. */
json_t *jstrv(const char *const *v);

#endif
