/* json_util.c - see json_util.h. */
#include "json_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

json_t *jmust(json_t *j)
{
	static const char m[] = "rampart: out of memory (json)\n";

	if (!j) {
		ssize_t r = write(2, m, sizeof(m) - 1);
		(void)r;
		abort();
	}
	return j;
}

void jset(json_t *obj, const char *key, json_t *value)
{
	if (json_object_set_new(obj, key, jmust(value)) < 0)
		jmust(NULL);
}

void jappend(json_t *arr, json_t *value)
{
	if (json_array_append_new(arr, jmust(value)) < 0)
		jmust(NULL);
}

json_t *jstrv(const char *const *v)
{
	json_t *a = jmust(json_array());

	for (; v && *v; v++)
		jappend(a, json_string(*v));
	return a;
}

const char *json_path_key(char *buf, const char *parent, const char *key)
{
	if (snprintf(buf, JSON_PATH_LEN, "%s%s%s", parent, *parent ? "." : "", key) >= JSON_PATH_LEN)
		strcpy(buf + JSON_PATH_LEN - 4, "...");
	return buf;
}

const char *json_path_idx(char *buf, const char *parent, size_t i)
{
	if (snprintf(buf, JSON_PATH_LEN, "%s[%zu]", parent, i) >= JSON_PATH_LEN)
		strcpy(buf + JSON_PATH_LEN - 4, "...");
	return buf;
}
