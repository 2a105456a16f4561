/* Signal state a caller leaves behind (signals.h). */
#include <errno.h>
#include <signal.h>

#include "signals.h"

int lj_reset_signals(struct lj_err *e)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigemptyset(&dfl.sa_mask);
	for (int s = 1; s < NSIG; s++)
		/* KILL and STOP cannot be changed; glibc keeps 32 and 33 for
		 * itself (EINVAL), and they are never ignored. */
		if (s != SIGKILL && s != SIGSTOP && sigaction(s, &dfl, NULL) < 0 && errno != EINVAL)
			return lj_fail_errno(e, "cannot reset the handler of signal %d", s);
	sigset_t none;
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		return lj_fail_errno(e, "cannot unblock the signals");
	return 0;
}
