/* cgroup v2 without systemd: a subtree of loginjail's own,
 * /sys/fs/cgroup/loginjail.slice/user-UID.slice/NAME, limits on
 * user-UID.slice, the sandbox's init born in NAME (clone3
 * CLONE_INTO_CGROUP: a process moved between cgroups waits for an RCU grace
 * period, one born there does not). */
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>

#include "cgroup-internal.h"
#include "util.h"

static void v2_init(struct lj_cgroup *cg)
{
	snprintf(cg->top, sizeof(cg->top), "loginjail.slice");
	snprintf(cg->user, sizeof(cg->user), "loginjail.slice/user-%u.slice", (unsigned)cg->uid);
	snprintf(cg->leaf, sizeof(cg->leaf), "%s/%s", cg->user, cg->name);
}

static int v2_create(struct lj_cgroup *cg, const struct lj_policy *pol, struct lj_err *e)
{
	char v[64];
	const char *ctl = pol->io_weight ? "+memory +pids +cpu +io" : "+memory +pids +cpu";
	if (cg_mkdir(CG_ROOT, cg->top, e) < 0 ||
	    cg_write(CG_ROOT, ".", "cgroup.subtree_control", ctl, e) < 0 ||
	    cg_write(CG_ROOT, cg->top, "cgroup.subtree_control", ctl, e) < 0 ||
	    cg_mkdir(CG_ROOT, cg->user, e) < 0 ||
	    cg_write(CG_ROOT, cg->user, "cgroup.subtree_control", ctl, e) < 0)
		return -1;
	cg_fmt_limit(v, sizeof(v), pol->memory_max, "max");
	if (cg_write(CG_ROOT, cg->user, "memory.max", v, e) < 0)
		return -1;
	cg_fmt_limit(v, sizeof(v), pol->memory_swap_max, "max");
	if (cg_exists(CG_ROOT, cg->user, "memory.swap.max") &&
	    cg_write(CG_ROOT, cg->user, "memory.swap.max", v, e) < 0)
		return -1;
	cg_fmt_limit(v, sizeof(v), pol->pids_max, "max");
	if (cg_write(CG_ROOT, cg->user, "pids.max", v, e) < 0)
		return -1;
	if (pol->cpu_max == LJ_UNLIMITED)
		snprintf(v, sizeof(v), "max 100000");
	else
		snprintf(v, sizeof(v), "%" PRIu64 " 100000", pol->cpu_max * 1000);
	if (cg_write(CG_ROOT, cg->user, "cpu.max", v, e) < 0)
		return -1;
	if (pol->io_weight) {
		snprintf(v, sizeof(v), "default %u", pol->io_weight);
		if (cg_write(CG_ROOT, cg->user, "io.weight", v, e) < 0)
			return -1;
	}
	return cg_mkdir(CG_ROOT, cg->leaf, e);
}

static int v2_birth_fd(struct lj_cgroup *cg, struct lj_err *e)
{
	/* Not O_PATH: clone3 takes a real open file. */
	int fd = openat(cg_fd(CG_ROOT), cg->leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return lj_fail_errno(e, "cannot open cgroup " CG_MOUNT "/%s", cg->leaf);
	return fd;
}

static int v2_attach_init(struct lj_cgroup *cg, pid_t pid, const struct lj_user *u,
			  struct lj_err *e)
{
	return 0; /* born there */
}

static int v2_park(struct lj_cgroup *cg, pid_t pid, struct lj_err *e)
{
	/* loginjail.slice has controllers enabled, so it may not hold processes
	 * itself (no internal processes): park in a leaf of its own. */
	char rel[128];
	snprintf(rel, sizeof(rel), "%s/parked", cg->top);
	if (cg_mkdir(CG_ROOT, rel, e) < 0)
		return -1;
	return cg_write_pid(CG_ROOT, rel, pid, e);
}

static int v2_destroy(struct lj_cgroup *cg, int grace_ms, struct lj_err *e)
{
	if (cg_exists(CG_ROOT, cg->leaf, "cgroup.procs") &&
	    (cg_kill_wait(CG_ROOT, cg->leaf, grace_ms, e) < 0 ||
	     cg_rmdir(CG_ROOT, cg->leaf, true, e) < 0))
		return -1;
	return cg_rmdir(CG_ROOT, cg->user, false, e);
}

const struct lj_cgroup_ops lj_cgroup_v2_ops = {
	.init = v2_init,
	.create = v2_create,
	.birth_fd = v2_birth_fd,
	.attach_init = v2_attach_init,
	.park = v2_park,
	.destroy = v2_destroy,
	.hits = {{CG_ROOT, "memory.events", true}, {CG_ROOT, "pids.events", true}},
};
