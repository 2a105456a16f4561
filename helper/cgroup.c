/* The per-user cgroup: detection and the two backends (see cgroup.h). */
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <linux/magic.h>

#include "cgroup.h"
#include "util.h"

/* Every path below is relative to a descriptor of one hierarchy's root,
 * opened on the host by lj_cgroup_new: the sandbox's init tears down from
 * inside its jail, where /sys/fs/cgroup is not mounted, and a walk across
 * mount points from a descriptor would fail once the mount namespace it was
 * opened in (the caller's) is gone. */
#define CG_MOUNT "/sys/fs/cgroup"
#define CG_ROOT "."
#define CG_UNIFIED "unified"
#define CG_WAIT_MS 5000

struct lj_cgroup {
	const struct lj_cgroup_ops *ops;
	uid_t uid;
	char name[128];
	char top[64];  /* "loginjail" (v1) or "loginjail.slice" (v2) */
	char user[64]; /* top/user-UID or top/user-UID.slice */
	bool unified;  /* v1: the controller-less cgroup2 is mounted too */
};

static struct {
	const char *name; /* CG_ROOT or a directory under CG_MOUNT */
	int fd;
} hiers[] = {{CG_ROOT, -1}, {"memory", -1}, {"pids", -1},
	     {"cpu", -1},   {"blkio", -1},  {CG_UNIFIED, -1}};

static bool is_fs(const char *path, unsigned long magic)
{
	struct statfs s;
	return statfs(path, &s) == 0 && (unsigned long)s.f_type == magic;
}

static int hfd(const char *hier)
{
	for (size_t i = 0; i < sizeof(hiers) / sizeof(hiers[0]); i++)
		if (strcmp(hiers[i].name, hier) == 0)
			return hiers[i].fd;
	return -1;
}

/* ---- small file helpers, relative to a hierarchy -------------------- */

static int cg_write(const char *hier, const char *rel, const char *file, const char *val,
		    struct lj_err *e)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", rel, file);
	cleanup_close int fd = openat(hfd(hier), path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return lj_fail_errno(e, "cannot open " CG_MOUNT "/%s/%s", hier, path);
	ssize_t n = write(fd, val, strlen(val));
	if (n != (ssize_t)strlen(val))
		return lj_fail_errno(e, "cannot write \"%s\" to " CG_MOUNT "/%s/%s", val, hier,
				     path);
	return 0;
}

static bool cg_exists(const char *hier, const char *rel, const char *file)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", rel, file);
	return faccessat(hfd(hier), path, F_OK, 0) == 0;
}

static int cg_mkdir(const char *hier, const char *rel, struct lj_err *e)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", hier, rel);
	if (mkdirat(hfd(hier), rel, 0755) < 0 && errno != EEXIST)
		return lj_fail_errno(e, "cannot create cgroup " CG_MOUNT "/%s", path);
	struct stat st;
	if (fstatat(hfd(hier), rel, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != 0)
		return lj_fail(e, "cgroup " CG_MOUNT "/%s is not a root-owned directory", path);
	return 0;
}

/* rmdir that tolerates a cgroup still in use by another sandbox (busy) and
 * one that is already gone. */
static int cg_rmdir(const char *hier, const char *rel, bool must, struct lj_err *e)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", hier, rel);
	for (int i = 0; i < 100; i++) {
		if (unlinkat(hfd(hier), rel, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return 0;
		if (!must || (errno != EBUSY && errno != ENOTEMPTY))
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (!must)
		return 0;
	return lj_fail_errno(e, "cannot remove cgroup " CG_MOUNT "/%s", path);
}

static int cg_write_pid(const char *hier, const char *rel, pid_t pid, struct lj_err *e)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	return cg_write(hier, rel, "cgroup.procs", buf, e);
}

static FILE *cg_fopen(const char *hier, const char *path)
{
	int fd = openat(hfd(hier), path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
	if (fd >= 0 && !f)
		close(fd);
	return f;
}

/* True when REL in HIER has no process left. */
static bool cg_empty(const char *hier, const char *rel)
{
	char path[512], line[64];
	snprintf(path, sizeof(path), "%s/cgroup.procs", rel);
	FILE *f = cg_fopen(hier, path);
	if (!f)
		return errno == ENOENT;
	bool empty = fgets(line, sizeof(line), f) == NULL;
	fclose(f);
	return empty;
}

/* Kill every process in REL: cgroup.kill where the kernel has it, else
 * SIGKILL each listed pid until none is left; then wait until empty. */
static int cg_kill_wait(const char *hier, const char *rel, struct lj_err *e)
{
	bool have_kill = cg_exists(hier, rel, "cgroup.kill");
	for (int ms = 0; ms < CG_WAIT_MS; ms += 5) {
		if (cg_empty(hier, rel))
			return 0;
		if (have_kill) {
			if (ms == 0 && cg_write(hier, rel, "cgroup.kill", "1", e) < 0)
				return -1;
		} else {
			char path[512];
			snprintf(path, sizeof(path), "%s/cgroup.procs", rel);
			FILE *f = cg_fopen(hier, path);
			int pid;
			while (f && fscanf(f, "%d", &pid) == 1)
				if (pid > 0)
					kill(pid, SIGKILL);
			if (f)
				fclose(f);
		}
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return lj_fail(e, "processes of cgroup %s/%s did not die within %d ms", hier, rel,
		       CG_WAIT_MS);
}

static void fmt_limit(char *buf, size_t len, uint64_t v, const char *unlimited)
{
	if (v == LJ_UNLIMITED)
		snprintf(buf, len, "%s", unlimited);
	else
		snprintf(buf, len, "%" PRIu64, v);
}

/* ---- cgroup v1 (+ the controller-less cgroup2 of hybrid hosts) ------- */

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
		fmt_limit(v, sizeof(v), pol->memory_max, "-1");
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
		fmt_limit(v, sizeof(v), pol->pids_max, "max");
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
		if (hfd(v1_ctrls[i]) < 0)
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
	char leaf[256];
	if (ctrl && !v1_used(ctrl, pol))
		return 0;
	if (cg_mkdir(h, cg->top, e) < 0 || cg_mkdir(h, cg->user, e) < 0)
		return -1;
	if (ctrl && v1_limits(cg, ctrl, pol, e) < 0)
		return -1;
	snprintf(leaf, sizeof(leaf), "%s/%s", cg->user, cg->name);
	return cg_mkdir(h, leaf, e);
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

static int v1_park(struct lj_cgroup *cg, pid_t pid, struct lj_err *e)
{
	return v1_each(cg, v1_park_one, &pid, e);
}

static int v1_destroy_one(struct lj_cgroup *cg, const char *h, const char *ctrl, void *arg,
			  struct lj_err *e)
{
	char leaf[256];
	snprintf(leaf, sizeof(leaf), "%s/%s", cg->user, cg->name);
	if (!cg_exists(h, leaf, "cgroup.procs"))
		return cg_rmdir(h, cg->user, false, e);
	if (cg_kill_wait(h, leaf, e) < 0 || cg_rmdir(h, leaf, true, e) < 0)
		return -1;
	return cg_rmdir(h, cg->user, false, e);
}

static int v1_destroy(struct lj_cgroup *cg, struct lj_err *e)
{
	/* The cgroup2 view first: its cgroup.kill reaches every process at once. */
	char leaf[256];
	snprintf(leaf, sizeof(leaf), "%s/%s", cg->user, cg->name);
	if (cg->unified && cg_exists(CG_UNIFIED, leaf, "cgroup.procs") &&
	    cg_kill_wait(CG_UNIFIED, leaf, e) < 0)
		return -1;
	return v1_each(cg, v1_destroy_one, NULL, e);
}

static const struct lj_cgroup_ops v1_ops = {
	.kind = "cgroup v1",
	.create = v1_create,
	.park = v1_park,
	.destroy = v1_destroy,
};

/* ---- cgroup v2 without systemd -------------------------------------- */

static int v2_create(struct lj_cgroup *cg, const struct lj_policy *pol, struct lj_err *e)
{
	char v[64], leaf[256];
	const char *ctl = pol->io_weight ? "+memory +pids +cpu +io" : "+memory +pids +cpu";
	if (cg_mkdir(CG_ROOT, cg->top, e) < 0 ||
	    cg_write(CG_ROOT, ".", "cgroup.subtree_control", ctl, e) < 0 ||
	    cg_write(CG_ROOT, cg->top, "cgroup.subtree_control", ctl, e) < 0 ||
	    cg_mkdir(CG_ROOT, cg->user, e) < 0 ||
	    cg_write(CG_ROOT, cg->user, "cgroup.subtree_control", ctl, e) < 0)
		return -1;
	fmt_limit(v, sizeof(v), pol->memory_max, "max");
	if (cg_write(CG_ROOT, cg->user, "memory.max", v, e) < 0)
		return -1;
	fmt_limit(v, sizeof(v), pol->memory_swap_max, "max");
	if (cg_exists(CG_ROOT, cg->user, "memory.swap.max") &&
	    cg_write(CG_ROOT, cg->user, "memory.swap.max", v, e) < 0)
		return -1;
	fmt_limit(v, sizeof(v), pol->pids_max, "max");
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
	snprintf(leaf, sizeof(leaf), "%s/%s", cg->user, cg->name);
	return cg_mkdir(CG_ROOT, leaf, e);
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

static int v2_destroy(struct lj_cgroup *cg, struct lj_err *e)
{
	char leaf[256];
	snprintf(leaf, sizeof(leaf), "%s/%s", cg->user, cg->name);
	if (cg_exists(CG_ROOT, leaf, "cgroup.procs") &&
	    (cg_kill_wait(CG_ROOT, leaf, e) < 0 || cg_rmdir(CG_ROOT, leaf, true, e) < 0))
		return -1;
	return cg_rmdir(CG_ROOT, cg->user, false, e);
}

static const struct lj_cgroup_ops v2_ops = {
	.kind = "cgroup v2",
	.create = v2_create,
	.park = v2_park,
	.destroy = v2_destroy,
};

/* ---- detection and the public interface ----------------------------- */

void lj_cgroup_fds(int *fds)
{
	_Static_assert(LJ_ARRAY_SIZE(hiers) == LJ_CGROUP_NHIER, "LJ_CGROUP_NHIER");
	for (size_t i = 0; i < LJ_CGROUP_NHIER; i++)
		fds[i] = hiers[i].fd;
}

static void open_hiers(bool v2)
{
	for (size_t i = 0; i < LJ_ARRAY_SIZE(hiers); i++) {
		char path[64];
		bool root = strcmp(hiers[i].name, CG_ROOT) == 0;
		if (hiers[i].fd >= 0 || root != v2)
			continue;
		snprintf(path, sizeof(path), CG_MOUNT "/%s", hiers[i].name);
		unsigned long magic = strcmp(hiers[i].name, CG_UNIFIED) == 0 || root
					      ? CGROUP2_SUPER_MAGIC
					      : CGROUP_SUPER_MAGIC;
		if (is_fs(path, magic))
			hiers[i].fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
}

/* The kind follows from which hierarchies are open (open_hiers or adopted). */
static struct lj_cgroup *cg_init(uid_t uid, const char *name, struct lj_err *e)
{
	struct lj_cgroup *cg = calloc(1, sizeof(*cg));
	if (!cg) {
		lj_fail_errno(e, "out of memory");
		return NULL;
	}
	cg->uid = uid;
	snprintf(cg->name, sizeof(cg->name), "%s", name);
	if (hfd(CG_ROOT) >= 0) {
		cg->ops = &v2_ops;
		snprintf(cg->top, sizeof(cg->top), "loginjail.slice");
		snprintf(cg->user, sizeof(cg->user), "loginjail.slice/user-%u.slice",
			 (unsigned)uid);
	} else if (hfd("memory") >= 0 && hfd("pids") >= 0) {
		cg->ops = &v1_ops;
		cg->unified = hfd(CG_UNIFIED) >= 0;
		snprintf(cg->top, sizeof(cg->top), "loginjail");
		snprintf(cg->user, sizeof(cg->user), "loginjail/user-%u", (unsigned)uid);
	} else {
		free(cg);
		lj_fail(e, "no usable cgroup hierarchy: need cgroup v2 at " CG_MOUNT
			   " or the v1 memory and pids controllers under it");
		return NULL;
	}
	return cg;
}

struct lj_cgroup *lj_cgroup_new(uid_t uid, const char *name, struct lj_err *e)
{
	bool v2 = is_fs(CG_MOUNT, CGROUP2_SUPER_MAGIC);
	if (v2 && access("/run/systemd/system", F_OK) == 0)
		/* SECURITY.md rule 22: systemd owns this tree. Until limits go
		 * through systemd (D-Bus), refuse rather than write into it. */
		return lj_fail(e, "this host runs systemd on cgroup v2: loginjail does not yet "
				  "set limits through systemd, and will not write into "
				  "systemd's cgroups"),
		       NULL;
	open_hiers(v2);
	return cg_init(uid, name, e);
}

struct lj_cgroup *lj_cgroup_adopt(uid_t uid, const char *name, const int *fds, struct lj_err *e)
{
	for (size_t i = 0; i < LJ_CGROUP_NHIER; i++)
		hiers[i].fd = fds[i];
	return cg_init(uid, name, e);
}

void lj_cgroup_free(struct lj_cgroup *cg)
{
	free(cg);
}

int lj_cgroup_create(struct lj_cgroup *cg, const struct lj_policy *pol, struct lj_err *e)
{
	return cg->ops->create(cg, pol, e);
}

int lj_cgroup_procs(struct lj_cgroup *cg, int *fds, size_t *n, struct lj_err *e)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s/cgroup.procs", cg->user, cg->name);
	*n = 0;
	for (size_t i = 0; i < LJ_ARRAY_SIZE(hiers); i++) {
		if (hiers[i].fd < 0)
			continue;
		int fd = openat(hiers[i].fd, path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		/* blkio holds our directory only when a weight is set. */
		if (fd < 0 && errno == ENOENT && strcmp(hiers[i].name, "blkio") == 0)
			continue;
		if (fd < 0) {
			lj_fail_errno(e, "cannot open " CG_MOUNT "/%s/%s", hiers[i].name, path);
			while (*n > 0)
				close(fds[--*n]);
			return -1;
		}
		fds[(*n)++] = fd;
	}
	return 0;
}

int lj_cgroup_park(struct lj_cgroup *cg, pid_t pid, struct lj_err *e)
{
	return cg->ops->park(cg, pid, e);
}
int lj_cgroup_destroy(struct lj_cgroup *cg, struct lj_err *e)
{
	return cg->ops->destroy(cg, e);
}
