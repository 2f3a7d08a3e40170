/* selfseal.h - re-execute from a sealed memfd copy when a container could
 * otherwise reach rampart's binary through /proc/PID/exe (selfseal.c). */
#ifndef RAMPART_SELFSEAL_H
#define RAMPART_SELFSEAL_H

#include <stdbool.h>

#include "error.h"
#include "spec.h"

/* main(): the command line to run again. */
void selfseal_init(int argc, char **argv);

/* Does this spec put rampart's own code in reach: no user namespace of
 * its own and CAP_SYS_PTRACE in any set? */
bool selfseal_needed(const struct spec *s);

/* Running from the sealed copy already? */
bool selfseal_active(void);

/* Re-execute the same command line from a sealed copy; returns 0 when
 * already running from one, else only on failure (-1, e filled). Call it
 * before anything is created: the new process starts over. */
int selfseal_reexec(struct rp_err *e);

#endif
