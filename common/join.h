/* Joining a running sandbox, from the helper or straight from the PAM
 * module (a login whose user's sandbox already runs needs no helper). */
#ifndef LJ_JOIN_H
#define LJ_JOIN_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "proto.h"

/* The state directory of a user's shared sandbox (share = user). */
#define LJ_SHARED_NAME "user-%u"

/* /run/loginjail, checked to be root's with mode 0700. With create, it is
 * made when missing; without, a missing one fails with errno ENOENT. */
int lj_rundir_open(bool create, struct lj_err *e);

struct lj_joined {
	int ns[LJ_NS_COUNT]; /* in lj_ns_order, each checked with lj_ns_check */
	int procs[LJ_PROCS_MAX];
	size_t nprocs;
	bool keeps_slice; /* LJ_CTL_F_KEEPS_SLICE */
	bool host_net;	  /* LJ_CTL_F_HOST_NET */
};
/* The key of a joiner (proto.h) reading the policy in DIR (NULL: the
 * default), for the account NAME, UID, GID, HOME: the directory's identity,
 * the stamp of its files and the account's digest; key->policy is left
 * zero (lj_policy_digest fills it). 0, or -1 with errno (DIR cannot be
 * read). */
int lj_ctl_key_init(struct lj_ctl_key *key, const char *dir, const char *name, uid_t uid, gid_t gid,
		    const char *home);

/* Connect to the control socket of sandbox NAME and check that root serves
 * it. Returns 0 with *sock, 1 when no live sandbox answers at that name, or
 * -1 on error. */
int lj_ctl_connect(int rundir, const char *name, int *sock, struct lj_err *e);
/* LJ_CTL_STATUS or LJ_CTL_STOP to sandbox NAME: 0 with *sessions; 1 when
 * there is none, or it is ending; 2 when it is there but does not answer
 * (reason in e); -1. */
int lj_ctl_ask(int rundir, const char *name, uint32_t cmd, uint32_t *sessions, struct lj_err *e);

/* LJ_CTL_INFO to sandbox NAME: 0 with *rep, *info, info->nsess sessions in
 * *sess (to free) and the jail's mountinfo open in *mountinfo (to close);
 * otherwise as lj_ctl_ask. A sandbox lists at most LJ_CTL_SESS_MAX
 * sessions (its init takes no more). */
#define LJ_CTL_SESS_MAX 1024
int lj_ctl_info(int rundir, const char *name, struct lj_ctl_rep *rep, struct lj_ctl_info *info,
		struct lj_ctl_sess_info **sess, int *mountinfo, struct lj_err *e);
/* LJ_CTL_RELOAD to sandbox NAME of USER with KEY (proto.h): 0; 2 when it
 * declined (built for another account or policy directory: e); otherwise as
 * lj_ctl_ask. */
int lj_ctl_reload(int rundir, const char *name, const char *user, const struct lj_ctl_key *key,
		  struct lj_err *e);

/* Ask the init of sandbox NAME for one more session of the process behind
 * CALLER_PIDFD, SESSION, by USER with KEY (WITH_POLICY: key->policy is set). Returns
 * 0 with *j filled; 1 when no sandbox answers at that name, or it is ending
 * (start one); 2 when the running sandbox declines or does not answer, with
 * the reason in e (built from another policy directory, for another account
 * with this uid, from a policy of USER that has changed since; the policy
 * files changed and !WITH_POLICY; full; of another version of loginjail);
 * -1 on error. */
int lj_join(int rundir, const char *name, int caller_pidfd, const struct lj_ctl_session *session,
	    const char *user, const struct lj_ctl_key *key, bool with_policy, struct lj_joined *j,
	    struct lj_err *e);
/* The cgroup v2 path of PID (0: the calling process), "/a/b", from
 * /proc/PID/cgroup into PATH: 0, or -1 (no such process, no v2 line). */
int lj_proc_cgroup(pid_t pid, char *path, size_t len);
/* Whether PID (0: the calling process) is in systemd's slice of user UID,
 * user.slice/user-UID.slice (its session scope, as pam_systemd made it). */
bool lj_in_user_slice(pid_t pid, uid_t uid);
/* Where a session's process PID goes: 0 it stays where it is (the sandbox
 * keeps sessions in the user's slice, KEEPS_SLICE, and it is there), 1 it is
 * to be written into the sandbox's cgroup. A session outside the slice of a
 * sandbox that keeps them there is checked first: when the PAM stack of
 * SERVICE runs pam_systemd.so after pam_loginjail.so, pam_systemd would
 * run inside the sandbox and fail: -1, e saying how to fix it. */
int lj_session_placement(bool keeps_slice, pid_t pid, uid_t uid, const char *service,
			 struct lj_err *e);
/* Put PID (0: the calling process), a session of user UID for SERVICE, where
 * it belongs (lj_session_placement). */
int lj_join_attach(const struct lj_joined *j, pid_t pid, uid_t uid, const char *service,
		   struct lj_err *e);
void lj_joined_close(struct lj_joined *j);

/* Write PID (0: the caller) into each of N cgroup.procs descriptors. */
int lj_procs_write(const int *fds, size_t n, pid_t pid, struct lj_err *e);

#endif
