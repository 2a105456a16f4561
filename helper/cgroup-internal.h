/* What the cgroup backends share: the handle, the table of operations
 * every backend fills (cgroup.h says what each does), and small helpers on
 * files relative to a hierarchy's descriptor. */
#ifndef LJ_CGROUP_INTERNAL_H
#define LJ_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "cgroup.h"

#define CG_MOUNT "/sys/fs/cgroup"
/* Names of the descriptors of lj_cgroup_fds, in slot order: the cgroup2
 * root, the v1 controllers, the hybrid hosts' cgroup2, systemd's runtime
 * control directory. */
#define CG_ROOT "."
#define CG_UNIFIED "unified"
#define CG_SYSTEMD_CONTROL "system.control"

struct lj_cgroup {
	const struct lj_cgroup_ops *ops;
	uid_t uid;
	char name[128];
	char top[64];	/* v1: "loginjail", v2: "loginjail.slice" */
	char user[64];	/* top/user-UID or top/user-UID.slice */
	char leaf[256]; /* the sandbox's own cgroup, relative to its hierarchy */
	bool unified;	/* v1: the controller-less cgroup2 is mounted too */
};

/* Where the kernel counts a kind of limit hit (lj_cgroup_hits): a file of
 * HIER with a line "oom_kill N" or "max N", in the user's cgroup (where the
 * limits are) or the sandbox's own leaf (v1 counts in the cgroup of the
 * process that failed). */
struct cg_counter {
	const char *hier, *file;
	bool at_user;
};

struct lj_cgroup_ops {
	void (*init)(struct lj_cgroup *cg);
	int (*create)(struct lj_cgroup *cg, const struct lj_policy *pol, struct lj_err *e);
	int (*birth_fd)(struct lj_cgroup *cg, struct lj_err *e); /* NULL: none */
	int (*attach_init)(struct lj_cgroup *cg, pid_t pid, const struct lj_user *u,
			   struct lj_err *e);
	bool keeps_slice;
	int (*park)(struct lj_cgroup *cg, pid_t pid, struct lj_err *e);
	int (*destroy)(struct lj_cgroup *cg, int grace_ms, struct lj_err *e);
	/* OOM kills, then forks refused at pids.max. */
	struct cg_counter hits[LJ_CGROUP_HITS];
	/* v1: the kernel signals the memory counter's file through an eventfd
	 * (cgroup.event_control), not to inotify (v2's "modified" events). */
	bool hits_eventfd;
};

extern const struct lj_cgroup_ops lj_cgroup_v1_ops, lj_cgroup_v2_ops, lj_cgroup_systemd_ops;

/* The descriptor named HIER (one of the names above, or a v1 controller),
 * -1 when absent. */
int cg_fd(const char *hier);
int cg_write(const char *hier, const char *rel, const char *file, const char *val,
	     struct lj_err *e);
bool cg_exists(const char *hier, const char *rel, const char *file);
int cg_mkdir(const char *hier, const char *rel, struct lj_err *e);
/* rmdir that tolerates a cgroup already gone and, unless MUST, one still in
 * use (by another sandbox of the user). */
int cg_rmdir(const char *hier, const char *rel, bool must, struct lj_err *e);
int cg_write_pid(const char *hier, const char *rel, pid_t pid, struct lj_err *e);
FILE *cg_fopen(const char *hier, const char *path);
/* Wait up to GRACE_MS for REL to empty by itself, then kill every process
 * still in it and wait until it is empty. */
int cg_kill_wait(const char *hier, const char *rel, int grace_ms, struct lj_err *e);
/* A limit as the kernel writes it: the number, or UNLIMITED's word. */
void cg_fmt_limit(char *buf, size_t len, uint64_t v, const char *unlimited);

#endif
