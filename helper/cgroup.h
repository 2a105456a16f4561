/* The per-user cgroup, behind one interface for every kind of host:
 *   v1/hybrid (controllers in v1 hierarchies): /sys/fs/cgroup/CTRL/loginjail/
 *       user-UID/NAME, plus the controller-less cgroup2 at
 *       /sys/fs/cgroup/unified for membership and cgroup.kill;
 *   v2 without systemd: /sys/fs/cgroup/loginjail.slice/user-UID.slice/NAME.
 * Limits are written on user-UID (all of the user's sandboxes together),
 * before anything runs; processes live in the leaf NAME. */
#ifndef LJ_CGROUP_H
#define LJ_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

#include "helper.h"
#include "proto.h"

struct lj_cgroup;

struct lj_cgroup_ops {
	const char *kind;
	int (*create)(struct lj_cgroup *cg, const struct lj_policy *pol, struct lj_err *e);
	/* Move PID out of the user's cgroups, to loginjail's own parking spot. */
	int (*park)(struct lj_cgroup *cg, pid_t pid, struct lj_err *e);
	/* Kill everything in NAME, wait until it is empty, remove NAME and, when
	 * no other sandbox of the user is left, user-UID. */
	int (*destroy)(struct lj_cgroup *cg, struct lj_err *e);
};

struct lj_cgroup *lj_cgroup_new(uid_t uid, const char *name, struct lj_err *e);
void lj_cgroup_free(struct lj_cgroup *cg);
/* The descriptors (one per hierarchy) all operations go through: whoever
 * tears down from inside a jail must keep them open. Fills LJ_CGROUP_NHIER
 * slots, -1 where a hierarchy is absent. */
#define LJ_CGROUP_NHIER LJ_PROCS_MAX
void lj_cgroup_fds(int *fds);
/* The same sandbox's cgroup, from descriptors lj_cgroup_fds gave (inside a
 * jail, where /sys/fs/cgroup is not mounted). */
struct lj_cgroup *lj_cgroup_adopt(uid_t uid, const char *name, const int *fds, struct lj_err *e);
int lj_cgroup_create(struct lj_cgroup *cg, const struct lj_policy *pol, struct lj_err *e);
/* The sandbox leaf's cgroup.procs in every hierarchy, opened for writing
 * (O_CLOEXEC): *n descriptors into fds[LJ_CGROUP_NHIER]. Opened on the host,
 * they let any root process of the host join the cgroup, even from inside
 * the sandbox's cgroup namespace. */
int lj_cgroup_procs(struct lj_cgroup *cg, int *fds, size_t *n, struct lj_err *e);
int lj_cgroup_park(struct lj_cgroup *cg, pid_t pid, struct lj_err *e);
int lj_cgroup_destroy(struct lj_cgroup *cg, struct lj_err *e);

#endif
