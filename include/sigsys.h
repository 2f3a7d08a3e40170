/* sigsys.h - naming the syscall behind a seccomp kill.
 *
 * A process killed by the filter dies of SIGSYS; its parent learns only
 * the signal. The kernel also writes an AUDIT_SECCOMP record (pid, arch,
 * syscall number) for every kill, and multicasts it to netlink audit
 * readers whether or not auditd runs. rampart listens while the container
 * runs and, after a SIGSYS death, looks up the workload's record.
 * Listening needs CAP_AUDIT_READ (root); rootless launches say they cannot
 * name the syscall.
 */
#ifndef RAMPART_SIGSYS_H
#define RAMPART_SIGSYS_H

#include <stddef.h>
#include <sys/types.h>

/* Subscribe to audit records; -1 (errno set) when not permitted. */
int sigsys_watch(void);

/* Read the records queued on `fd` (waiting up to `timeout_ms` for the
 * kernel's audit thread) and describe the seccomp kill of `pid`, e.g.
 * "ptrace (101)" or "i386 syscall 20"; -1 when there is none. */
int sigsys_describe(int fd, pid_t pid, int timeout_ms, char *out, size_t len);

#endif
