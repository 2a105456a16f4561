/* loginjail-helper internals: the parts a sandbox is made of. */
#ifndef LJ_HELPER_H
#define LJ_HELPER_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "policy.h"

/* Exit codes of loginjail-helper (skalibs convention). */
#define LJ_EXIT_OK 0
#define LJ_EXIT_USAGE 100
#define LJ_EXIT_SYSTEM 111

/* The user a session is for, read from NSS on the host (never in the jail). */
struct lj_user {
	char *name; /* as NSS has it: not checked (lj_policy_resolve does) */
	uid_t uid;
	gid_t gid;
	char home[4096];
	size_t ngroups;
	gid_t gids[LJ_MAX_GROUPS];
	char *group_names[LJ_MAX_GROUPS]; /* NULL where a gid has no name */
};
int lj_user_lookup(const char *name, struct lj_user *u, struct lj_err *e);
void lj_user_free(struct lj_user *u);

/* home.c: open the home directory race-free (SECURITY.md rules 10-11);
 * returns an O_PATH descriptor of it, or -1. */
int lj_home_open(const struct lj_user *u, struct lj_err *e);
/* A detached, recursive clone of the home (nosuid,nodev), made in the host's
 * mount namespace so that the sandbox's init can attach it. */
int lj_home_tree(int homefd, const char *home, struct lj_err *e);

/* state.c: /run/loginjail, root-only, and the per-user lock. */
int lj_state_lock_user(int rundir, uid_t uid, struct lj_err *e);
/* Same without waiting: -1 when somebody else holds it. */
int lj_state_trylock_user(int rundir, uid_t uid);
void lj_state_unlock_user(int rundir, uid_t uid, int lockfd, bool remove);
int lj_state_remove(int rundir, const char *name);

/* userns.c: the sandbox's user namespace (see userns.c). */
struct lj_userns {
	pid_t member; /* born in the namespace; -1 once reaped */
	bool mapped;  /* the maps are written and the member told so */
	int go[2];    /* helper -> member: "M", mapped */
	int proc_sys; /* the host's /proc/sys */
	int fd;	      /* the namespace */
};
/* Create it and write its maps; the member finishes on its own. */
int lj_userns_create(struct lj_userns *un, const struct lj_user *u, struct lj_err *e);
/* Reap the member (after lj_userns_create, whatever it returned): 0 when
 * nesting is refused inside and un->fd holds the namespace, else -1 (fd
 * closed). No session may enter before this returned 0. */
int lj_userns_finish(struct lj_userns *un, struct lj_err *e);

/* jail.c: in the sandbox's fresh mount namespace, build the root and pivot
 * (run by loginjail-init, from a description the helper sent). */
struct lj_jail_spec {
	uid_t uid;
	gid_t gid;
	enum lj_network network;
	enum lj_tmp tmp;
	char hostname[LJ_HOSTNAME_MAX + 1];
	const char *home; /* absolute */
	size_t nro, nrw;
	const char *ro[LJ_MAX_BINDS], *rw[LJ_MAX_BINDS]; /* policy's ro_bind, bind */
	int homefd;	     /* O_PATH of the validated home, or -1 (home=tmpfs) */
	int hometree;	     /* detached clone of it (lj_home_tree), or -1 */
	const char *rootdir; /* empty directory to build the new root on */
};
int lj_jail_build(const struct lj_jail_spec *s, struct lj_err *e);

/* jailspec.c: the description on the wire (step LJ_SETUP_HOME): packed by
 * the helper into BUF, unpacked by the init (pointers into BUF). */
#define LJ_JAIL_SPEC_MAX 65536
ssize_t lj_jail_spec_pack(const struct lj_user *u, const struct lj_policy *pol, char *buf,
			  size_t len, struct lj_err *e);
int lj_jail_spec_unpack(char *buf, size_t len, struct lj_jail_spec *s, struct lj_err *e);

/* sandbox.c: create a sandbox or join the running one. */
struct lj_session_req {
	const struct lj_user *user;
	const struct lj_policy *pol;
	const char *service; /* the PAM service, or NULL */
	pid_t caller;	     /* the PAM caller: the helper's parent */
	int caller_pidfd;
	const char *config_dir; /* where pol was read: the sandbox remembers it */
};
/* On success fills nsfds[LJ_NS_COUNT] in lj_ns_order; the caller is where
 * its sessions belong (lj_session_placement). */
int lj_sandbox_open(const struct lj_session_req *r, int *nsfds, struct lj_err *e);

/* The helper tells the sandbox's init what it needs, as soon as it has it,
 * while the init makes the namespaces and builds the jail (init_setup.c): one
 * struct lj_setup per step, on the init's LJ_INIT_FD_READY. */
enum lj_setup_step {
	LJ_SETUP_HOME = 1, /* + the jail's description (jailspec.c); the home's
			    * O_PATH and detached clone, or none (tmpfs home) */
	LJ_SETUP_GO = 2,   /* in the cgroup now; the user namespace, a pidfd
			    * of the first session's caller, then the leaf's
			    * cgroup.procs descriptors (lj_cgroup_procs) */
};
struct lj_setup {
	uint32_t version;
	uint32_t step;
	uint32_t nfds;
};

#endif
