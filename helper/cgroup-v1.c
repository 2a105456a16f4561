/* cgroup v1 and hybrid hosts: one directory per controller,
 * /sys/fs/cgroup/CTRL/loginjail/user-UID/NAME (limits on user-UID), and the
 * same in the controller-less cgroup2 at /sys/fs/cgroup/unified when it is
 * mounted: its cgroup.kill reaches every process at once. */
#include <inttypes.h>
#include <string.h>

#include "cgroup-internal.h"
#include "join.h"
#include "util.h"

static void v1_init(struct lj_cgroup *cg)
{
	cg->unified = cg_fd(CG_UNIFIED) >= 0;
	snprintf(cg->top, sizeof(cg->top), "loginjail");
	snprintf(cg->user, sizeof(cg->user), "loginjail/user-%u", (unsigned)cg->uid);
	snprintf(cg->leaf, sizeof(cg->leaf), "%s/%s", cg->user, cg->name);
}

static const char *const v1_ctrls[] = {"memory", "pids", "cpu", "blkio"};

static int v1_limits(struct lj_cgroup *cg, const char *ctrl, const struct lj_policy *pol,
		     struct lj_err *e)
{
	const char *h = ctrl; /* a v1 hierarchy is named after its controller */
	char v[32];
	if (strcmp(ctrl, "memory") == 0) {
		bool memsw = cg_exists(h, cg->user, "memory.memsw.limit_in_bytes");
		/* memsw must stay >= limit at every step: open it up first. */
		if (memsw && cg_write(h, cg->user, "memory.memsw.limit_in_bytes", "-1", e) < 0)
			return -1;
		cg_fmt_limit(v, sizeof(v), pol->memory_max, "-1");
		if (cg_write(h, cg->user, "memory.limit_in_bytes", v, e) < 0)
			return -1;
		if (pol->memory_swap_max != LJ_UNLIMITED && pol->memory_max != LJ_UNLIMITED) {
			if (!memsw)
				return lj_fail(e, "memory_swap_max is set but this kernel has no "
						  "swap accounting (memory.memsw.*): boot with "
						  "swapaccount=1 or remove memory_swap_max");
			snprintf(v, sizeof(v), "%" PRIu64, pol->memory_max + pol->memory_swap_max);
			if (cg_write(h, cg->user, "memory.memsw.limit_in_bytes", v, e) < 0)
				return -1;
		}
	} else if (strcmp(ctrl, "pids") == 0) {
		cg_fmt_limit(v, sizeof(v), pol->pids_max, "max");
		return cg_write(h, cg->user, "pids.max", v, e);
	} else if (strcmp(ctrl, "cpu") == 0) {
		if (cg_write(h, cg->user, "cpu.cfs_period_us", "100000", e) < 0)
			return -1;
		if (pol->cpu_max == LJ_UNLIMITED)
			snprintf(v, sizeof(v), "-1");
		else
			snprintf(v, sizeof(v), "%" PRIu64, pol->cpu_max * 1000);
		return cg_write(h, cg->user, "cpu.cfs_quota_us", v, e);
	} else if (strcmp(ctrl, "blkio") == 0) {
		const char *file = cg_exists(h, cg->user, "blkio.bfq.weight") ? "blkio.bfq.weight"
				   : cg_exists(h, cg->user, "blkio.weight")   ? "blkio.weight"
									      : NULL;
		if (!file)
			return lj_fail(e,
				       "io_weight = %u is set but this host's blkio controller "
				       "has no weight file (use the BFQ I/O scheduler or remove "
				       "io_weight)",
				       pol->io_weight);
		snprintf(v, sizeof(v), "%u", pol->io_weight);
		return cg_write(h, cg->user, file, v, e);
	}
	return 0;
}

static bool v1_used(const char *ctrl, const struct lj_policy *pol)
{
	/* blkio only when a weight is asked for: not every host has one. */
	return strcmp(ctrl, "blkio") != 0 || (pol && pol->io_weight != 0);
}

static int v1_each(struct lj_cgroup *cg,
		   int (*fn)(struct lj_cgroup *, const char *hier, const char *ctrl, void *arg,
			     struct lj_err *e),
		   void *arg, struct lj_err *e)
{
	for (size_t i = 0; i < LJ_ARRAY_SIZE(v1_ctrls); i++) {
		if (cg_fd(v1_ctrls[i]) < 0)
			continue;
		if (fn(cg, v1_ctrls[i], v1_ctrls[i], arg, e) < 0)
			return -1;
	}
	if (cg->unified && fn(cg, CG_UNIFIED, NULL, arg, e) < 0)
		return -1;
	return 0;
}

static int v1_create_one(struct lj_cgroup *cg, const char *h, const char *ctrl, void *arg,
			 struct lj_err *e)
{
	const struct lj_policy *pol = arg;
	if (ctrl && !v1_used(ctrl, pol))
		return 0;
	if (cg_mkdir(h, cg->top, e) < 0 || cg_mkdir(h, cg->user, e) < 0)
		return -1;
	if (ctrl && v1_limits(cg, ctrl, pol, e) < 0)
		return -1;
	return cg_mkdir(h, cg->leaf, e);
}

static int v1_create(struct lj_cgroup *cg, const struct lj_policy *pol, struct lj_err *e)
{
	return v1_each(cg, v1_create_one, (void *)pol, e);
}

/* Move PID to loginjail's own cgroup, out of the user's. */
static int v1_park_one(struct lj_cgroup *cg, const char *h, const char *ctrl, void *arg,
		       struct lj_err *e)
{
	const pid_t *pid = arg;
	/* A controller without our directory (blkio unused) is skipped. */
	if (!cg_exists(h, cg->top, "cgroup.procs"))
		return ctrl && strcmp(ctrl, "blkio") == 0
			       ? 0
			       : lj_fail(e, "cgroup %s/%s is missing", h, cg->top);
	return cg_write_pid(h, cg->top, *pid, e);
}

/* No clone3 CLONE_INTO_CGROUP in v1: the init moves in after its birth. */
static int v1_attach_init(struct lj_cgroup *cg, pid_t pid, const struct lj_user *u,
			  struct lj_err *e)
{
	int fds[LJ_PROCS_MAX];
	size_t n;
	if (lj_cgroup_procs(cg, fds, &n, e) < 0)
		return -1;
	int r = lj_procs_write(fds, n, pid, e);
	while (n > 0)
		close(fds[--n]);
	return r;
}

static int v1_park(struct lj_cgroup *cg, pid_t pid, struct lj_err *e)
{
	return v1_each(cg, v1_park_one, &pid, e);
}

static int v1_destroy_one(struct lj_cgroup *cg, const char *h, const char *ctrl, void *arg,
			  struct lj_err *e)
{
	const int *grace_ms = arg;
	if (!cg_exists(h, cg->leaf, "cgroup.procs"))
		return cg_rmdir(h, cg->user, false, e);
	if (cg_kill_wait(h, cg->leaf, *grace_ms, e) < 0 || cg_rmdir(h, cg->leaf, true, e) < 0)
		return -1;
	return cg_rmdir(h, cg->user, false, e);
}

static int v1_destroy(struct lj_cgroup *cg, int grace_ms, struct lj_err *e)
{
	/* The cgroup2 view first: its cgroup.kill reaches every process at once. */
	if (cg->unified && cg_exists(CG_UNIFIED, cg->leaf, "cgroup.procs") &&
	    cg_kill_wait(CG_UNIFIED, cg->leaf, grace_ms, e) < 0)
		return -1;
	return v1_each(cg, v1_destroy_one, &grace_ms, e);
}

const struct lj_cgroup_ops lj_cgroup_v1_ops = {
	.init = v1_init,
	.create = v1_create,
	.attach_init = v1_attach_init,
	.park = v1_park,
	.destroy = v1_destroy,
	.hits = {{"memory", "memory.oom_control", false}, {"pids", "pids.events", false}},
	.hits_eventfd = true,
};
