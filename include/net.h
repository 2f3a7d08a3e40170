/* net.h - network namespace set-up over rtnetlink (libmnl). */
#ifndef RAMPART_NET_H
#define RAMPART_NET_H

#include "error.h"

/* Bring up `lo` in the caller's network namespace. */
int net_loopback_up(struct rp_err *e);

#endif
