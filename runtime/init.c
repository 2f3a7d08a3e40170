/* init.c - the container's pid 1 when `init on` (the default).
 *
 * A workload running as pid 1 gets no default signal actions (a SIGTERM
 * it does not handle is ignored) and inherits every orphan as a zombie.
 * This reaper, already in memory and never re-executed, fixes both: it
 * forwards what rampart forwards and reaps everything. It has already
 * dropped its capabilities and switched user with the workload, and is
 * non-dumpable, so the workload cannot reach /proc/1/exe (CVE-2019-5736).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"

static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return RP_EXIT_SIGNAL_BASE + WTERMSIG(st);
	return RP_EXIT_ERROR;
}

_Noreturn void init_run(pid_t child)
{
	sigset_t set;

	/* Already blocked since before clone (inherited), so nothing sent
	 * between then and now was lost. */
	launch_forwarded_signals(&set);
	sigaddset(&set, SIGCHLD);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);

		if (sig < 0) {
			if (errno == EINTR)
				continue;
			_exit(RP_EXIT_ERROR);
		}
		if (sig != SIGCHLD) {
			kill(child, sig);
			continue;
		}
		for (;;) {
			int st;
			pid_t p = waitpid(-1, &st, WNOHANG);

			if (p <= 0)
				break;
			/* The rest of the pid namespace dies with us. */
			if (p == child)
				_exit(status_code(st));
		}
	}
}
