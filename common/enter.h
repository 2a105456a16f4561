/* Entering a sandbox: the joiner's side, shared by the PAM module and
 * loginjail-shell (the two programs that move a login into its sandbox).
 * Run the helper and read its answer, join a running shared sandbox without
 * it, and move the calling process into the namespaces either passed. The
 * caller is root (effective uid 0) and single-threaded for all of it. */
#ifndef LJ_ENTER_H
#define LJ_ENTER_H

#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "proto.h"

/* A process with more than one thread cannot join a mount or user
 * namespace. */
bool lj_single_threaded(void);

/* What the helper is asked: `HELPER open --user USER [--service S] [--tty T]
 * [--rhost R] [--config-dir D] [--caller-threaded]` (NULL: left out). */
struct lj_helper_call {
	const char *helper; /* absolute path */
	const char *user;
	const char *service;
	const char *tty;
	const char *rhost;
	const char *config_dir;
};
struct lj_helper_run {
	pid_t pid;
	struct sigaction old_chld;
};

/* Run the helper (empty environment, /dev/null on 0-2, the answer's socket
 * on 3, nothing else open, default signals, root in every uid and gid) and
 * read its one answer into *REP, with LJ_NS_COUNT namespace descriptors in
 * FDS for LJ_REPLY_JOIN. SIGCHLD is the default's until lj_helper_reap.
 * Returns 0 (the helper still to reap), or -1 with e (reaped). */
int lj_helper_run(const struct lj_helper_call *c, struct lj_reply *rep, int *fds,
		  struct lj_helper_run *h, struct lj_err *e);
/* Reap the helper and give the caller its SIGCHLD back; its wait status. */
int lj_helper_reap(struct lj_helper_run *h);

/* Drop every capability from the bounding set (CAP_SETPCAP needed): 0, or
 * -1 with errno. */
int lj_clear_bounding_set(void);

/* Move this process into the sandbox whose namespaces FDS are (in
 * lj_ns_order, checked): no new privileges, no terminal injection, a
 * Landlock scope for HOST_NET, every namespace (the user namespace last),
 * descriptors above 2 close-on-exec, no bounding set. 0, or -1 with e. */
int lj_enter(const int *fds, bool host_net, struct lj_err *e);
/* The runtime directory of UID in the sandbox this process entered
 * (LJ_RUNTIME_DIR_FMT), into BUF, for XDG_RUNTIME_DIR; NULL when the
 * sandbox has none (it was built by a version before it had). */
const char *lj_runtime_dir(uid_t uid, char *buf, size_t len);

/* The shared sandbox (share = user) of PW runs already: join it without the
 * helper, as SESSION (its service decides), with the policy in CONFIG_DIR (NULL: the default).
 * It was built, and its policy read, by the helper that created it, and it
 * takes this join only for the same account (name, uid, gid, home) and while
 * the policy files are as they were then (proto.h, struct lj_ctl_key).
 * Returns 0 (joined), -1 (refused: e), or 1 when the helper must decide: no
 * sandbox runs, it declined, or an error (e then says why, *warn tells an
 * error from a decline). */
int lj_fast_join(const char *config_dir, const struct passwd *pw,
		 const struct lj_ctl_session *session, bool *warn, struct lj_err *e);

#endif
