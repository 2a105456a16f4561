/* loginjail-init, PID 1 of a sandbox (a small program: one runs per
 * logged-in user). The helper starts it as PID 1 of a new pid namespace,
 * with these descriptors at fixed numbers and
 *   argv: loginjail-init NAME UID USER LINGER NEWNET
 * NAME is the state directory under /run/loginjail, LINGER seconds or -1,
 * NEWNET 1 for a network namespace of its own (0: the host's).
 * It makes the other namespaces and builds the jail with what the helper
 * sends on LJ_INIT_FD_READY (init_setup.c), answers "R" with the namespaces
 * of the sandbox (its first session is the helper's caller) or "E<why>"
 * there, then serves joins until teardown (init.c). */
#ifndef LJ_INIT_H
#define LJ_INIT_H

#include <stdbool.h>

#include "cgroup.h"
#include "proto.h"

enum lj_init_fd {
	LJ_INIT_FD_RUNDIR = 3,
	LJ_INIT_FD_STATEDIR,
	LJ_INIT_FD_LISTEN,    /* control socket, listening */
	LJ_INIT_FD_READY,     /* to and from the creating helper */
	LJ_INIT_FD_HOST_CGNS, /* the host's cgroup namespace, for teardown */
	LJ_INIT_FD_CGROUP,    /* LJ_CGROUP_NFDS (lj_cgroup_fds), or closed */
	LJ_INIT_FD_END = LJ_INIT_FD_CGROUP + LJ_CGROUP_NFDS,
};

/* What the build leaves to the serving init. */
struct lj_init_built {
	int log;	     /* connected to the host's /dev/log, or -1 */
	int ns[LJ_NS_COUNT]; /* in lj_ns_order: what joiners get */
	int procs[LJ_PROCS_MAX];
	size_t nprocs;	       /* the leaf's cgroup.procs, opened on the host */
	int first;	       /* pidfd of the first session's caller */
	struct lj_ctl_key key; /* what it is built for: joins must match it */
};
/* init_setup.c: returns 0 with the root pivoted into the jail, or -1. */
int lj_init_build(const char *name, uid_t uid, bool newnet, struct lj_init_built *b,
		  struct lj_err *e);

#endif
