/* parse.c - strict number, size and path parsing. */
#include "parse.h"

#include <errno.h>
#include <string.h>

int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		goto inval;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			goto inval;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) {
			errno = ERANGE;
			return -1;
		}
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, &v) < 0)
		return -1;
	if (v > UINT32_MAX) {
		errno = ERANGE;
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int parse_size(const char *s, bool allow_max, uint64_t *out)
{
	char num[32];
	size_t len = s ? strlen(s) : 0;
	unsigned shift = 0;
	uint64_t v;

	if (allow_max && s && strcmp(s, "max") == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	if (len == 0 || len >= sizeof(num)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	}
	if (shift)
		num[len - 1] = '\0';
	if (parse_u64(num, &v) < 0)
		return -1;
	if (shift && v > (UINT64_MAX >> shift)) {
		errno = ERANGE;
		return -1;
	}
	*out = v << shift;
	return 0;
}

int parse_mode(const char *s, int *out)
{
	int v = 0;

	if (!s || !*s || strlen(s) > 5)
		goto inval;
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			goto inval;
		v = v * 8 + (*s - '0');
	}
	if (v > 07777)
		goto inval;
	*out = v;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

int parse_bool(const char *s, bool *out)
{
	static const char *yes[] = { "on", "yes", "true", "1" };
	static const char *no[] = { "off", "no", "false", "0" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	errno = EINVAL;
	return -1;
}

int parse_container_path(const char *s, char *out, size_t outlen)
{
	size_t o = 0;

	if (!s || s[0] != '/' || outlen < 2)
		goto inval;
	while (*s) {
		const char *end;
		size_t n;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		end = strchr(s, '/');
		n = end ? (size_t)(end - s) : strlen(s);
		/* "." and ".." are refused rather than resolved: a mount target
		 * should say plainly where it goes. */
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			goto inval;
		if (o + 1 + n + 1 > outlen) {
			errno = ENAMETOOLONG;
			return -1;
		}
		out[o++] = '/';
		memcpy(out + o, s, n);
		o += n;
		s += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

bool utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}
