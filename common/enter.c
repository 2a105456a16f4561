/* Entering a sandbox (enter.h). */
#include <stdio.h>
#include <sys/prctl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "enter.h"
#include "landlock.h"
#include "proto.h"
#include "tty_filter.h"
#include "util.h"

/* No TIOCSTI or TIOCLINUX, for the caller and everything it starts: the
 * program libseccomp compiled at build time (gen_tty_filter.c says what it
 * refuses, and why). PR_SET_NO_NEW_PRIVS is set already. */
static int deny_tty_injection(void)
{
	struct sock_fprog prog = {.len = LJ_ARRAY_SIZE(lj_tty_filter),
				  .filter = (struct sock_filter *)lj_tty_filter};
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* Entering a user namespace resets the bounding set to full: clear it with
 * the CAP_SETPCAP the caller has inside, one PR_CAPBSET_DROP per capability
 * the kernel knows (it fails with EINVAL past the last; any other failure
 * refuses the login). Not libcap-ng's capng_apply: it re-reads
 * /proc/self/status first, which was a quarter of the time of a whole join
 * here; and no read-back, which measured as much again (a dropped capability
 * cannot come back; test_inside checks CapBnd in every session). */
static int clear_bounding_set(void)
{
	for (int c = 0;; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			return errno == EINVAL && c > CAP_SETPCAP ? 0 : -1;
}

/* A sandbox with the host's network namespace (HOST_NET) shares the host's
 * abstract unix sockets, which have no owner or mode to check: this process,
 * of which the session is all the descendants, gets a Landlock domain of its
 * own that reaches only the abstract sockets made inside it. A sandbox with a
 * network namespace of its own has no other abstract sockets than its own; a
 * domain there would only part the sessions of one sandbox (share = user)
 * from each other's sockets. Where the kernel cannot (before Linux 6.12) the
 * session goes on unscoped: loginjailctl check says so. No signal scope: the
 * sandbox's PID namespace already names no process outside it, and a scope
 * would part those sessions from each other's processes too. */
int lj_enter(const int *fds, bool host_net, struct lj_err *e)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return lj_fail_errno(e, "PR_SET_NO_NEW_PRIVS");
	if (deny_tty_injection() < 0)
		return lj_fail_errno(e, "cannot install the TIOCSTI filter");
	if (host_net && lj_landlock_scope_abstract_unix() < 0)
		return lj_fail_errno(e, "cannot scope the session's abstract unix sockets with "
					"Landlock (network = host)");
	for (size_t i = 0; i < LJ_NS_COUNT; i++)
		if (setns(fds[i], lj_ns_order[i].type) < 0)
			return lj_fail_errno(e, "cannot join the sandbox's %s namespace",
					     lj_ns_order[i].name);
	/* Descriptors the application inherited from its own caller (su and
	 * runuser hand theirs to the shell) may point at host directories:
	 * none of them may reach the session. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return lj_fail_errno(e, "cannot mark descriptors close-on-exec");
	if (clear_bounding_set() < 0)
		return lj_fail_errno(e, "cannot clear the capability bounding set");
	return 0;
}
