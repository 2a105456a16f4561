/* The per-user cgroup: detection, the public interface, and the file
 * helpers every backend uses (see cgroup.h). */
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <linux/magic.h>

#include "cgroup-internal.h"
#include "systemd.h"
#include "util.h"

#define CG_WAIT_MS 5000
#define SYSTEMD_CONTROL_DIR "/run/systemd/system.control"

/* Every path is relative to a descriptor opened on the host by
 * lj_cgroup_new: the sandbox's init tears down from inside its jail, where
 * /sys/fs/cgroup is not mounted, and a walk across mount points from a
 * descriptor would fail once the mount namespace it was opened in (the
 * caller's) is gone. */
static struct {
	const char *name;
	int fd;
} hiers[LJ_CGROUP_NFDS] = {
	{CG_ROOT, -1},	  {"memory", -1},	   {"pids", -1}, {"cpu", -1}, {"blkio", -1},
	{CG_UNIFIED, -1}, {CG_SYSTEMD_CONTROL, -1}};

int cg_fd(const char *hier)
{
	for (size_t i = 0; i < LJ_ARRAY_SIZE(hiers); i++)
		if (strcmp(hiers[i].name, hier) == 0)
			return hiers[i].fd;
	return -1;
}

static const char *mount_of(const char *hier)
{
	return strcmp(hier, CG_SYSTEMD_CONTROL) == 0 ? SYSTEMD_CONTROL_DIR : CG_MOUNT;
}

int cg_write(const char *hier, const char *rel, const char *file, const char *val, struct lj_err *e)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", rel, file);
	cleanup_close int fd = openat(cg_fd(hier), path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return lj_fail_errno(e, "cannot open %s/%s/%s", mount_of(hier), hier, path);
	ssize_t n = write(fd, val, strlen(val));
	if (n != (ssize_t)strlen(val))
		return lj_fail_errno(e, "cannot write \"%s\" to %s/%s/%s", val, mount_of(hier),
				     hier, path);
	return 0;
}

bool cg_exists(const char *hier, const char *rel, const char *file)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", rel, file);
	return faccessat(cg_fd(hier), path, F_OK, 0) == 0;
}

int cg_mkdir(const char *hier, const char *rel, struct lj_err *e)
{
	if (mkdirat(cg_fd(hier), rel, 0755) < 0 && errno != EEXIST)
		return lj_fail_errno(e, "cannot create cgroup " CG_MOUNT "/%s/%s", hier, rel);
	struct stat st;
	if (fstatat(cg_fd(hier), rel, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != 0)
		return lj_fail(e, "cgroup " CG_MOUNT "/%s/%s is not a root-owned directory", hier,
			       rel);
	return 0;
}

int cg_rmdir(const char *hier, const char *rel, bool must, struct lj_err *e)
{
	for (int i = 0; i < 100; i++) {
		if (unlinkat(cg_fd(hier), rel, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return 0;
		if (!must || (errno != EBUSY && errno != ENOTEMPTY))
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (!must)
		return 0;
	return lj_fail_errno(e, "cannot remove cgroup " CG_MOUNT "/%s/%s", hier, rel);
}

int cg_write_pid(const char *hier, const char *rel, pid_t pid, struct lj_err *e)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	return cg_write(hier, rel, "cgroup.procs", buf, e);
}

FILE *cg_fopen(const char *hier, const char *path)
{
	int fd = openat(cg_fd(hier), path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
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

/* cgroup.kill where the kernel has it, else SIGKILL each listed pid until
 * none is left. */
int cg_kill_wait(const char *hier, const char *rel, int grace_ms, struct lj_err *e)
{
	for (int ms = 0; ms < grace_ms && !cg_empty(hier, rel); ms += 5)
		nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
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

void cg_fmt_limit(char *buf, size_t len, uint64_t v, const char *unlimited)
{
	if (v == LJ_UNLIMITED)
		snprintf(buf, len, "%s", unlimited);
	else
		snprintf(buf, len, "%" PRIu64, v);
}

/* ---- detection and the public interface ----------------------------- */

static bool is_fs(const char *path, unsigned long magic)
{
	struct statfs s;
	return statfs(path, &s) == 0 && (unsigned long)s.f_type == magic;
}

void lj_cgroup_fds(int *fds)
{
	for (size_t i = 0; i < LJ_CGROUP_NFDS; i++)
		fds[i] = hiers[i].fd;
}

static void open_hiers(bool v2, bool systemd)
{
	for (size_t i = 0; i < LJ_ARRAY_SIZE(hiers); i++) {
		char path[64];
		const char *n = hiers[i].name;
		bool root = strcmp(n, CG_ROOT) == 0, control = strcmp(n, CG_SYSTEMD_CONTROL) == 0;
		if (hiers[i].fd >= 0 || (control ? !systemd : root != v2))
			continue;
		if (control) {
			/* systemd makes it at the first runtime property. */
			mkdir(SYSTEMD_CONTROL_DIR, 0755);
			hiers[i].fd = open(SYSTEMD_CONTROL_DIR,
					   O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			continue;
		}
		snprintf(path, sizeof(path), CG_MOUNT "/%s", n);
		unsigned long magic = strcmp(n, CG_UNIFIED) == 0 || root ? CGROUP2_SUPER_MAGIC
									 : CGROUP_SUPER_MAGIC;
		if (is_fs(path, magic))
			hiers[i].fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
}

/* The kind follows from which descriptors are open (open_hiers or adopted). */
static struct lj_cgroup *cg_init(uid_t uid, const char *name, struct lj_err *e)
{
	struct lj_cgroup *cg = calloc(1, sizeof(*cg));
	if (!cg) {
		lj_fail_errno(e, "out of memory");
		return NULL;
	}
	cg->uid = uid;
	snprintf(cg->name, sizeof(cg->name), "%s", name);
	if (cg_fd(CG_ROOT) >= 0 && cg_fd(CG_SYSTEMD_CONTROL) >= 0) {
		cg->ops = &lj_cgroup_systemd_ops;
	} else if (cg_fd(CG_ROOT) >= 0) {
		cg->ops = &lj_cgroup_v2_ops;
	} else if (cg_fd("memory") >= 0 && cg_fd("pids") >= 0) {
		cg->ops = &lj_cgroup_v1_ops;
	} else {
		free(cg);
		lj_fail(e, "no usable cgroup hierarchy: need cgroup v2 at " CG_MOUNT
			   " or the v1 memory and pids controllers under it");
		return NULL;
	}
	cg->ops->init(cg);
	return cg;
}

struct lj_cgroup *lj_cgroup_new(uid_t uid, const char *name, struct lj_err *e)
{
	bool v2 = is_fs(CG_MOUNT, CGROUP2_SUPER_MAGIC);
	bool systemd = lj_systemd_booted();
	if (systemd && !v2)
		/* Moving logins between v1 cgroups would take them from
		 * systemd's (rule 22), and logind would lose track of them. */
		return lj_fail(e, "this host runs systemd on cgroup v1 (hybrid or legacy "
				  "hierarchy), which loginjail does not support: boot with "
				  "systemd.unified_cgroup_hierarchy=1"),
		       NULL;
	open_hiers(v2, systemd);
	if (systemd && cg_fd(CG_SYSTEMD_CONTROL) < 0)
		return lj_fail_errno(e, "cannot open " SYSTEMD_CONTROL_DIR), NULL;
	return cg_init(uid, name, e);
}

struct lj_cgroup *lj_cgroup_adopt(uid_t uid, const char *name, const int *fds, struct lj_err *e)
{
	for (size_t i = 0; i < LJ_CGROUP_NFDS; i++)
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

int lj_cgroup_birth_fd(struct lj_cgroup *cg, int *fd, struct lj_err *e)
{
	*fd = cg->ops->birth_fd ? cg->ops->birth_fd(cg, e) : -1;
	return cg->ops->birth_fd && *fd < 0 ? -1 : 0;
}

int lj_cgroup_attach_init(struct lj_cgroup *cg, pid_t pid, const struct lj_user *u,
			  struct lj_err *e)
{
	return cg->ops->attach_init(cg, pid, u, e);
}

bool lj_cgroup_keeps_slice(const struct lj_cgroup *cg)
{
	return cg->ops->keeps_slice;
}

int lj_cgroup_procs(struct lj_cgroup *cg, int *fds, size_t *n, struct lj_err *e)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->leaf);
	*n = 0;
	for (size_t i = 0; i < LJ_ARRAY_SIZE(hiers) && *n < LJ_PROCS_MAX; i++) {
		if (hiers[i].fd < 0 || strcmp(hiers[i].name, CG_SYSTEMD_CONTROL) == 0)
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

int lj_cgroup_destroy(struct lj_cgroup *cg, int grace_ms, struct lj_err *e)
{
	return cg->ops->destroy(cg, grace_ms, e);
}

/* The number in file REL/FILE of HIER; "max", or a v1 limit of 2^62 and
 * up (v1 writes its page counter's maximum), is LJ_CTL_UNLIMITED. */
static uint64_t cg_read_num(const char *hier, const char *rel, const char *file)
{
	char path[512], buf[32] = "";
	snprintf(path, sizeof(path), "%s/%s", rel, file);
	FILE *f = cg_fopen(hier, path);
	bool got = f && fgets(buf, sizeof(buf), f);
	if (f)
		fclose(f);
	if (!got)
		return 0;
	if (strncmp(buf, "max", 3) == 0)
		return LJ_CTL_UNLIMITED;
	uint64_t v = strtoull(buf, NULL, 10);
	return v >= (UINT64_C(1) << 62) ? LJ_CTL_UNLIMITED : v;
}

void lj_cgroup_usage(struct lj_cgroup *cg, struct lj_cgroup_usage *u)
{
	bool v1 = cg->ops == &lj_cgroup_v1_ops;
	const char *mem = v1 ? "memory" : CG_ROOT, *pids = v1 ? "pids" : CG_ROOT;
	u->mem_current =
		cg_read_num(mem, cg->user, v1 ? "memory.usage_in_bytes" : "memory.current");
	u->mem_max = cg_read_num(mem, cg->user, v1 ? "memory.limit_in_bytes" : "memory.max");
	u->pids_current = cg_read_num(pids, cg->user, "pids.current");
	u->pids_max = cg_read_num(pids, cg->user, "pids.max");
	char path[512], line[32];
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->leaf);
	FILE *f = cg_fopen(pids, path);
	u->procs = 0;
	while (f && fgets(line, sizeof(line), f))
		u->procs++;
	if (f)
		fclose(f);
}
