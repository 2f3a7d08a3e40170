/* seccomp_agent.h - handing a container's seccomp listener to an agent.
 *
 * OCI linux.seccomp.listenerPath (runtime-spec 1.1): syscalls a config
 * marks SCMP_ACT_NOTIFY wait for an agent's answer. The container's
 * process loads its filter with a listener and sends the listener's fd
 * (SCM_RIGHTS) with the spec's containerProcessState JSON over a UNIX
 * stream socket the agent listens on. create connects to the socket (as
 * the caller, before anything is made), so the container's process only
 * writes to a connection it was handed.
 */
#ifndef RAMPART_SECCOMP_AGENT_H
#define RAMPART_SECCOMP_AGENT_H

#include <sys/types.h>

#include "error.h"

/* A connection to the agent at PATH, close-on-exec. */
int seccomp_agent_connect(const char *path, struct rp_err *e);

/* The containerProcessState message: ociVersion, fds ["seccompFd"], pid,
 * metadata (NULL for none) and the state object (STATE_JSON). NULL on a
 * malformed state. */
char *seccomp_agent_message(const char *state_json, pid_t pid, const char *metadata);

/* Send MSG with the listener fd over SOCK. */
int seccomp_agent_send(int sock, int listener, const char *msg, struct rp_err *e);

#endif
