/* loginjail-init, PID 1 of a sandbox (a small program: one runs per
 * logged-in user). The helper starts it as PID 1 of a new pid namespace,
 * with these descriptors at fixed numbers and
 *   argv: loginjail-init NAME UID USER LINGER NEWNET BUILT KEY SESSION
 * NAME is the state directory under /run/loginjail, LINGER seconds or -1,
 * NEWNET 1 for a network namespace of its own (0: the host's).
 * The helper's child that becomes it first makes the other namespaces and
 * builds the jail with what the helper sends on LJ_INIT_FD_READY
 * (init_setup.c, linked into the helper), answers "R" with the namespaces
 * of the sandbox (its first session is the helper's caller) or "E<why>"
 * there, and only then execs loginjail-init, so that the exec is not on
 * the login's path. BUILT is "built:NPROCS", with what the build made at
 * the LJ_INIT_FD_LOG.. numbers, or "failed"; KEY what the sandbox is built
 * for (struct lj_ctl_key, from the helper's GO step) in hexadecimal, or "-",
 * SESSION the first session (struct lj_ctl_session, the same) likewise.
 * loginjail-init serves joins until teardown (init.c). */
#ifndef LJ_INIT_H
#define LJ_INIT_H

#include <signal.h>
#include <stdbool.h>

#include "cgroup.h"
#include "proto.h"

enum lj_init_fd {
	LJ_INIT_FD_RUNDIR = 3,
	LJ_INIT_FD_STATEDIR,
	LJ_INIT_FD_LISTEN,    /* control socket, listening */
	LJ_INIT_FD_READY,     /* to and from the creating helper */
	LJ_INIT_FD_HOST_CGNS, /* the host's cgroup namespace, for teardown */
	LJ_INIT_FD_UTMP,      /* the host's utmp, or closed (utmp.c) */
	LJ_INIT_FD_WTMP,      /* the host's wtmp, or closed */
	LJ_INIT_FD_CGROUP,    /* LJ_CGROUP_NFDS (lj_cgroup_fds), or closed */
	LJ_INIT_FD_END = LJ_INIT_FD_CGROUP + LJ_CGROUP_NFDS,
	/* What the build hands over to loginjail-init (struct lj_init_built). */
	LJ_INIT_FD_LOG = LJ_INIT_FD_END, /* or closed */
	LJ_INIT_FD_FIRST,
	LJ_INIT_FD_NS,
	LJ_INIT_FD_PROCS = LJ_INIT_FD_NS + LJ_NS_COUNT,
	LJ_INIT_FD_EXE = LJ_INIT_FD_PROCS + LJ_PROCS_MAX, /* the program, until its exec */
	LJ_INIT_FD_MAX,
};

/* The signals loginjail-init takes through its signalfd; the helper's child
 * blocks them before the build, so none is lost across the exec. */
static inline void lj_init_sigset(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
}

/* What the build leaves to the serving init. */
struct lj_init_built {
	int log;	     /* connected to the host's log (lj_log_open), or -1 */
	int ns[LJ_NS_COUNT]; /* in lj_ns_order: what joiners get */
	int procs[LJ_PROCS_MAX];
	size_t nprocs;	       /* the leaf's cgroup.procs, opened on the host */
	int first;	       /* pidfd of the first session's caller */
	struct lj_ctl_key key; /* what it is built for: joins must match it */
	struct lj_ctl_session first_session;
};
/* init_setup.c, in the helper's child that becomes the sandbox's PID 1, with
 * the descriptors at these numbers: build the jail, answer the helper, exec
 * loginjail-init (ARGV, whose BUILT slot it fills). */
struct lj_init_run {
	const char *name;
	uid_t uid;
	bool newnet;
	char **argv;
};
__attribute__((noreturn)) void lj_init_run(const struct lj_init_run *r);

/* utmp.c, in loginjail-init: copy the jail's login records of user UID,
 * USER to the host's. lj_utmp_watch returns an inotify descriptor that
 * becomes readable when they change, or -1 (no host records to write);
 * lj_utmp_sync copies what changed, and with ENDING also ends every login
 * still open (teardown). */
int lj_utmp_watch(uid_t uid, const char *user);
void lj_utmp_sync(int inotify_fd, bool ending);

#endif
