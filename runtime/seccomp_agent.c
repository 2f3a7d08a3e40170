/* seccomp_agent.c - the seccomp listener handed to an agent (see
 * seccomp_agent.h). */
#include "seccomp_agent.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json_util.h"
#include "unix_socket.h"
#include "util.h"

int seccomp_agent_connect(const char *path, struct rp_err *e)
{
	int fd = unix_connect(path);

	return fd < 0 ? rp_fail(e, errno, "seccomp", "agent %s", path) : fd;
}

char *seccomp_agent_message(const char *state_json, pid_t pid, const char *metadata)
{
	json_t *state = json_loads(state_json, 0, NULL);
	json_t *msg;
	char *text;

	if (!state)
		return NULL;
	msg = jmust(json_object());
	jset(msg, "ociVersion", json_string("1.2.0"));
	jset(msg, "fds", jmust(json_pack("[s]", "seccompFd")));
	jset(msg, "pid", json_integer(pid));
	if (metadata)
		jset(msg, "metadata", json_string(metadata));
	jset(msg, "state", state);
	text = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	return text;
}

int seccomp_agent_load(const struct sc_filters *f, int agent, const char *msg, struct rp_err *e)
{
	int listener = -1, r = 0;

	if (seccomp_load_filters(f, agent >= 0 ? &listener : NULL, e) < 0)
		return -1;
	if (listener >= 0 && unix_send_fd(agent, listener, msg, strlen(msg)) < 0)
		r = rp_fail(e, errno, "seccomp", "send the listener to the agent");
	if (listener >= 0)
		close(listener);
	return r;
}
