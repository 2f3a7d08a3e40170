/* caps.c - capability names and the drop of all five sets (libcap-ng). */
#include "caps.h"

#include <cap-ng.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "util.h"

int caps_last(void)
{
	static int last = -1;
	char buf[16] = "";
	int fd;
	ssize_t n;

	if (last >= 0)
		return last;
	fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	last = n > 0 ? atoi(buf) : CAP_LAST_CAP;
	if (last <= 0 || last > 63)
		last = CAP_LAST_CAP;
	return last;
}

int caps_from_name(const char *name)
{
	char lower[64];
	size_t i;

	if (strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	for (i = 0; name[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	if (name[i])
		return -1;
	lower[i] = '\0';
	return capng_name_to_capability(lower);
}

const char *caps_name(int cap)
{
	static char upper[64];
	const char *n = capng_capability_to_name((unsigned)cap);
	size_t i;

	if (!n)
		return "?";
	for (i = 0; n[i] && i < sizeof(upper) - 1; i++)
		upper[i] = (char)toupper((unsigned char)n[i]);
	upper[i] = '\0';
	return upper;
}

int caps_apply(uint64_t keep, struct rp_err *e)
{
	const uint64_t sets[CAPS_NSETS] = { keep, keep, keep, keep, keep };

	return caps_apply_sets(sets, e);
}

static const capng_type_t set_types[CAPS_NSETS] = {
	[CAPS_BOUNDING] = CAPNG_BOUNDING_SET, [CAPS_EFFECTIVE] = CAPNG_EFFECTIVE,
	[CAPS_INHERITABLE] = CAPNG_INHERITABLE, [CAPS_PERMITTED] = CAPNG_PERMITTED,
	[CAPS_AMBIENT] = CAPNG_AMBIENT,
};

int caps_apply_sets(const uint64_t want[CAPS_NSETS], struct rp_err *e)
{
	uint64_t sets[CAPS_NSETS];
	int last = caps_last();

	/* The kernel's invariants, applied rather than failed on: nothing is
	 * effective or inheritable-by-exec that is not permitted, and ambient
	 * needs permitted and inheritable. */
	memcpy(sets, want, sizeof(sets));
	sets[CAPS_EFFECTIVE] &= sets[CAPS_PERMITTED];
	sets[CAPS_AMBIENT] &= sets[CAPS_PERMITTED] & sets[CAPS_INHERITABLE];

	/* Shrinking the bounding set needs CAP_SETPCAP in the effective set,
	 * which the setresuid to a non-root user just emptied; the permitted
	 * set survived (PR_SET_KEEPCAPS), so raise it back first. */
	capng_get_caps_process();
	if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE, CAP_SETPCAP) < 0 ||
	    capng_apply(CAPNG_SELECT_CAPS) < 0)
		return rp_fail(e, errno, "capabilities", "raise CAP_SETPCAP to drop the bounding set");

	capng_clear(CAPNG_SELECT_ALL);
	for (int set = 0; set < CAPS_NSETS; set++)
		for (int cap = 0; cap <= last; cap++)
			if ((sets[set] & (UINT64_C(1) << cap)) &&
			    capng_update(CAPNG_ADD, set_types[set], (unsigned)cap) < 0)
				return rp_fail(e, EINVAL, "capabilities", "keep %s", caps_name(cap));
	if (capng_apply(CAPNG_SELECT_ALL) < 0)
		return rp_fail(e, errno ? errno : EPERM, "capabilities", "apply the kept set");
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return rp_fail(e, errno, "capabilities", "clear keep-caps");
	/* Trust, but verify: a libcap-ng that silently skipped a set would
	 * leave the workload with privileges nobody asked for. */
	capng_get_caps_process();
	for (int set = 0; set < CAPS_NSETS; set++) {
		for (int cap = 0; cap <= last; cap++) {
			bool want_cap = sets[set] & (UINT64_C(1) << cap);
			if (capng_have_capability(set_types[set], (unsigned)cap) != want_cap)
				return rp_fail(e, 0, "capabilities", "%s still %s after the drop", caps_name(cap),
					       want_cap ? "missing" : "present");
		}
	}
	return 0;
}
