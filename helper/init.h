/* loginjail-init, PID 1 of a sandbox, is exec'd (a small program: one runs
 * per logged-in user) with its descriptors at these fixed numbers and
 *   argv: loginjail-init NAME UID USER LINGER
 * NAME is the state directory under /run/loginjail, LINGER seconds or -1. */
#ifndef LJ_INIT_H
#define LJ_INIT_H

#include "cgroup.h"
#include "proto.h"

enum lj_init_fd {
	LJ_INIT_FD_RUNDIR = 3,
	LJ_INIT_FD_STATEDIR,
	LJ_INIT_FD_LISTEN,    /* control socket, listening */
	LJ_INIT_FD_READY,     /* to the creating helper: "R" or "E<why>" */
	LJ_INIT_FD_HOST_CGNS, /* the host's cgroup namespace, for teardown */
	LJ_INIT_FD_LOG,	      /* connected to the host's /dev/log, or closed */
	LJ_INIT_FD_NS,	      /* LJ_NS_COUNT namespaces, in lj_ns_order */
	LJ_INIT_FD_CGROUP = LJ_INIT_FD_NS + LJ_NS_COUNT, /* LJ_CGROUP_NHIER, or closed */
	/* the sandbox leaf's cgroup.procs files, opened on the host, handed to
	 * joiners (lj_cgroup_procs); the first ones open, the rest closed */
	LJ_INIT_FD_PROCS = LJ_INIT_FD_CGROUP + LJ_CGROUP_NHIER,
	LJ_INIT_FD_END = LJ_INIT_FD_PROCS + LJ_CGROUP_NHIER,
};

#endif
