/* The per-user cgroup, behind one interface for every kind of host, chosen
 * once by lj_cgroup_new (one file per backend):
 *   cgroup-v1.c: controllers in v1 hierarchies (hybrid hosts):
 *       /sys/fs/cgroup/CTRL/loginjail/user-UID/NAME, plus the controller-less
 *       cgroup2 at /sys/fs/cgroup/unified for membership and cgroup.kill;
 *   cgroup-v2.c: cgroup v2 without systemd:
 *       /sys/fs/cgroup/loginjail.slice/user-UID.slice/NAME, the init born
 *       in it (clone3 CLONE_INTO_CGROUP);
 *   cgroup-systemd.c: cgroup v2 under systemd: the limits on systemd's
 *       user-UID.slice (D-Bus, runtime), the init in a transient unit
 *       loginjail-NAME.scope there; sessions stay in their session scopes.
 * Limits cover all of the user's sandboxes together and are set before
 * anything of the user runs. */
#ifndef LJ_CGROUP_H
#define LJ_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "helper.h"
#include "proto.h"

struct lj_cgroup;

struct lj_cgroup *lj_cgroup_new(uid_t uid, const char *name, struct lj_err *e);
void lj_cgroup_free(struct lj_cgroup *cg);

/* The descriptors every operation goes through (cgroup hierarchies, and
 * systemd's runtime control directory): whoever tears down from inside a
 * jail must keep them open. Fills LJ_CGROUP_NFDS slots, -1 where absent. */
#define LJ_CGROUP_NFDS 7
void lj_cgroup_fds(int *fds);
/* The same sandbox's cgroup, from descriptors lj_cgroup_fds gave (inside a
 * jail, where /sys/fs/cgroup is not mounted). */
struct lj_cgroup *lj_cgroup_adopt(uid_t uid, const char *name, const int *fds, struct lj_err *e);

/* The user's limits, and the sandbox's own cgroup where it is ours to make. */
int lj_cgroup_create(struct lj_cgroup *cg, const struct lj_policy *pol, struct lj_err *e);
/* *fd: a descriptor of the cgroup the sandbox's init is born in (clone3
 * CLONE_INTO_CGROUP), for the caller to close; -1 when the init is put
 * there after its birth by lj_cgroup_attach_init. */
int lj_cgroup_birth_fd(struct lj_cgroup *cg, int *fd, struct lj_err *e);
/* The init (PID) is where it belongs once this returns. */
int lj_cgroup_attach_init(struct lj_cgroup *cg, pid_t pid, const struct lj_user *u,
			  struct lj_err *e);
/* The sandbox cgroup's cgroup.procs in every hierarchy, opened for writing
 * (O_CLOEXEC): *n descriptors into fds[LJ_PROCS_MAX]. Opened on the host,
 * they let any root process of the host join the cgroup, even from inside
 * the sandbox's cgroup namespace. */
int lj_cgroup_procs(struct lj_cgroup *cg, int *fds, size_t *n, struct lj_err *e);
/* True when a session's process already inside the user's systemd slice
 * (its session scope) stays there: lj_in_user_slice (join.h) says whether it
 * is. Otherwise sessions join the procs above. */
bool lj_cgroup_keeps_slice(const struct lj_cgroup *cg);
/* Move PID out of the sandbox's cgroup, to loginjail's own parking spot
 * (the init, before it kills what is left there). */
int lj_cgroup_park(struct lj_cgroup *cg, pid_t pid, struct lj_err *e);
/* What the user's cgroup uses against its limits (they cover all the
 * user's sandboxes), and how many processes the sandbox's own cgroup has:
 * LJ_CTL_UNLIMITED for no limit, 0 for what cannot be read. */
struct lj_cgroup_usage {
	uint64_t mem_current, mem_max, pids_current, pids_max, procs;
};
void lj_cgroup_usage(struct lj_cgroup *cg, struct lj_cgroup_usage *u);
/* Wait up to GRACE_MS for the sandbox's cgroup to empty (the callers of
 * sessions leave it as they exit: SECURITY.md rule 24), kill what is still
 * there, remove it and, when no other sandbox of the user is left, the
 * user's limits. (systemd: the sandbox's processes died with its init; its
 * scope is systemd's to remove.) */
int lj_cgroup_destroy(struct lj_cgroup *cg, int grace_ms, struct lj_err *e);

/* Limit hits, for the audit events: the kernel's counters of OOM kills
 * (memory_max) and of forks refused at pids_max, -1 where unknown. */
enum { LJ_CGROUP_HIT_OOM, LJ_CGROUP_HIT_PIDS, LJ_CGROUP_HITS };
struct lj_cgroup_hits {
	int64_t n[LJ_CGROUP_HITS];
	int fd[LJ_CGROUP_HITS]; /* the counters' files, open */
	int watch;		/* polls readable when a counter may have moved, or -1 */
	bool early;		/* the watch may signal before the count moves (v1) */
};
/* Open the counters and what signals their change (cgroup-events.c says
 * what each kind of host gives); every descriptor O_CLOEXEC. */
void lj_cgroup_hits_open(struct lj_cgroup *cg, struct lj_cgroup_hits *h);
/* Drain the watch, read the counters into NOW. */
void lj_cgroup_hits_read(struct lj_cgroup_hits *h, int64_t *now);

#endif
