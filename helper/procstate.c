/* The process state the helper starts with is its caller's, and through
 * setuid su that is whatever an unprivileged user set before running su:
 * rlimits, nice, scheduling, I/O priority, oom_score_adj, personality,
 * ignored and blocked signals, timer slack... all survive exec. The helper
 * runs the sandbox's init, a long-lived root process that inherits all of it
 * again (a tiny RLIMIT_NOFILE makes it fail every join, RLIMIT_CPU kills it,
 * oom_score_adj 1000 makes it the OOM killer's first pick). So the helper
 * sets each of them to a fixed value first thing. The sessions are not started
 * from here: they keep what their caller (and pam_limits) gave them. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/ioprio.h>
#include <linux/mempolicy.h>

#include "helper.h"
#include "signals.h"
#include "util.h"

#define MIB (1024 * 1024)
#define TIMER_SLACK_NS 50000 /* the kernel's default */

/* The kernel's defaults for PID 1 (include/asm-generic/resource.h), except:
 * no core dumps of a root process that holds descriptors of the sandbox, and
 * 4096 descriptors (systemd gives 1024:524288; the init keeps a pidfd per
 * session, up to 1024, besides its own). NPROC and SIGPENDING, which the
 * kernel sizes by RAM, are unlimited: the helper and the init are root,
 * which neither limit stops anyway. NEEDED: the soft limit must reach the
 * value here, or the init cannot work; the others are best effort where a
 * hard limit cannot be raised. */
static const struct {
	int res;
	const char *name;
	rlim_t cur, max;
	bool needed;
} limits[] = {
	{RLIMIT_CPU, "RLIMIT_CPU", RLIM_INFINITY, RLIM_INFINITY, true},
	{RLIMIT_FSIZE, "RLIMIT_FSIZE", RLIM_INFINITY, RLIM_INFINITY, true},
	{RLIMIT_DATA, "RLIMIT_DATA", RLIM_INFINITY, RLIM_INFINITY, true},
	{RLIMIT_STACK, "RLIMIT_STACK", 8 * MIB, RLIM_INFINITY, true},
	{RLIMIT_CORE, "RLIMIT_CORE", 0, 0, false},
	{RLIMIT_RSS, "RLIMIT_RSS", RLIM_INFINITY, RLIM_INFINITY, false},
	{RLIMIT_NPROC, "RLIMIT_NPROC", RLIM_INFINITY, RLIM_INFINITY, false},
	{RLIMIT_NOFILE, "RLIMIT_NOFILE", 4096, 524288, true},
	{RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK", 8 * MIB, 8 * MIB, false},
	{RLIMIT_AS, "RLIMIT_AS", RLIM_INFINITY, RLIM_INFINITY, true},
	{RLIMIT_LOCKS, "RLIMIT_LOCKS", RLIM_INFINITY, RLIM_INFINITY, false},
	{RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING", RLIM_INFINITY, RLIM_INFINITY, false},
	{RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE", 819200, 819200, false},
	{RLIMIT_NICE, "RLIMIT_NICE", 0, 0, false},
	{RLIMIT_RTPRIO, "RLIMIT_RTPRIO", 0, 0, false},
	{RLIMIT_RTTIME, "RLIMIT_RTTIME", RLIM_INFINITY, RLIM_INFINITY, false},
};
_Static_assert(LJ_ARRAY_SIZE(limits) == RLIMIT_NLIMITS, "a limit of this libc is not reset");

static const char *limit_text(rlim_t v, char *buf, size_t len)
{
	if (v == RLIM_INFINITY)
		return "unlimited";
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

static int reset_limits(struct lj_err *e)
{
	for (size_t i = 0; i < LJ_ARRAY_SIZE(limits); i++) {
		struct rlimit want = {limits[i].cur, limits[i].max}, have;
		if (setrlimit(limits[i].res, &want) == 0)
			continue;
		/* Raising a hard limit takes CAP_SYS_RESOURCE, which root
		 * lacks in some containers: then the hard limit stays. */
		if (errno != EPERM || getrlimit(limits[i].res, &have) < 0)
			return lj_fail_errno(e, "cannot set %s", limits[i].name);
		want.rlim_max = have.rlim_max < want.rlim_max ? have.rlim_max : want.rlim_max;
		want.rlim_cur = want.rlim_max < want.rlim_cur ? want.rlim_max : want.rlim_cur;
		char a[32], b[32];
		if (limits[i].needed && want.rlim_cur < limits[i].cur)
			return lj_fail(e,
				       "the caller's hard %s is %s, below the %s the sandbox's "
				       "init needs, and without CAP_SYS_RESOURCE the helper cannot "
				       "raise it: log in from a process with the usual limits",
				       limits[i].name, limit_text(have.rlim_max, a, sizeof(a)),
				       limit_text(limits[i].cur, b, sizeof(b)));
		if (setrlimit(limits[i].res, &want) < 0)
			return lj_fail_errno(e, "cannot set %s", limits[i].name);
	}
	return 0;
}

int lj_reset_process_state(struct lj_err *e)
{
	if (reset_limits(e) < 0 || lj_reset_signals(e) < 0)
		return -1;
	umask(022);
	if (chdir("/") < 0)
		return lj_fail_errno(e, "cannot change directory to /");
	/* Clears ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC, UNAME26 and the rest. */
	if (personality(PER_LINUX) < 0)
		return lj_fail_errno(e, "cannot reset the personality");
	struct sched_param sp = {0};
	if (sched_setscheduler(0, SCHED_OTHER, &sp) < 0)
		return lj_fail_errno(e, "cannot reset the scheduling policy");
	if (setpriority(PRIO_PROCESS, 0, 0) < 0)
		return lj_fail_errno(e, "cannot reset the nice value");
	cpu_set_t all;
	memset(&all, 0xff, sizeof(all)); /* the kernel keeps the cpuset's */
	if (sched_setaffinity(0, sizeof(all), &all) < 0)
		return lj_fail_errno(e, "cannot reset the CPU affinity");
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
		    IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 0)) < 0)
		return lj_fail_errno(e, "cannot reset the I/O priority");
	if (syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0) < 0 && errno != ENOSYS)
		return lj_fail_errno(e, "cannot reset the NUMA memory policy");
	if (prctl(PR_SET_TIMERSLACK, TIMER_SLACK_NS, 0, 0, 0) < 0 ||
	    prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0) < 0)
		return lj_fail_errno(e, "cannot reset the timer slack or THP setting");
	cleanup_close int oom = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (oom < 0 || write(oom, "0", 1) != 1)
		return lj_fail_errno(e, "cannot reset /proc/self/oom_score_adj");
	return 0;
}
