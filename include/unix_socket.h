/* unix_socket.h - the two things rampart does with UNIX sockets: connect
 * to one by path (the console socket, a seccomp agent) and pass an fd
 * over one (SCM_RIGHTS). */
#ifndef RAMPART_UNIX_SOCKET_H
#define RAMPART_UNIX_SOCKET_H

#include <stddef.h>

/* A SOCK_STREAM connection to the socket at PATH, close-on-exec. Paths
 * longer than sun_path's 107 bytes work too. -1 and errno on failure. */
int unix_connect(const char *path);

/* Send LEN bytes of MSG (at least one) with FD attached, in one
 * message. -1 and errno on failure (EMSGSIZE on a short write). */
int unix_send_fd(int sock, int fd, const void *msg, size_t len);

#endif
