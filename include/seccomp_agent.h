/* seccomp_agent.h - handing a container's seccomp listener to an agent.
 *
 * OCI linux.seccomp.listenerPath (runtime-spec 1.1): syscalls a config
 * marks SCMP_ACT_NOTIFY wait for an agent's answer. The container's
 * process loads its filter with a listener and sends the listener's fd
 * (SCM_RIGHTS) with the spec's containerProcessState JSON over a UNIX
 * stream socket the agent listens on. create (and exec) connect to the
 * socket as their caller before the process is cloned, so the container's
 * process only writes to a connection it was handed.
 */
#ifndef RAMPART_SECCOMP_AGENT_H
#define RAMPART_SECCOMP_AGENT_H

#include <sys/types.h>

#include "error.h"
#include "seccomp.h"

/* A connection to the agent at PATH, close-on-exec. */
int seccomp_agent_connect(const char *path, struct rp_err *e);

/* The containerProcessState message: ociVersion, fds ["seccompFd"], pid,
 * metadata (NULL for none) and the state object (STATE_JSON). NULL on a
 * malformed state. */
char *seccomp_agent_message(const char *state_json, pid_t pid, const char *metadata);

/* Load the filters (seccomp_load_filters); when AGENT is a connection,
 * a notify filter's listener goes to it with MSG (read beforehand, so that
 * after the load only sendmsg and close have to be allowed). AGENT -1:
 * no agent, and a notify filter is an error. */
int seccomp_agent_load(const struct sc_filters *f, int agent, const char *msg, struct rp_err *e);

#endif
