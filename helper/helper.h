/* loginjail-helper internals: the parts a sandbox is made of. */
#ifndef LJ_HELPER_H
#define LJ_HELPER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "policy.h"
#include "proto.h"

/* Exit codes of loginjail-helper (skalibs convention). */
#define LJ_EXIT_OK 0
#define LJ_EXIT_USAGE 100
#define LJ_EXIT_SYSTEM 111

/* args.c: the helper's command line (main.c has the usage); NULL, or why
 * it is refused. The strings point into argv. */
struct lj_args {
	const char *user, *service, *tty, *rhost, *config_dir;
	bool caller_threaded;
};
const char *lj_args_parse(int argc, char **argv, struct lj_args *a);

/* procstate.c: set every piece of process state a caller could have set and
 * exec keeps (rlimits, signals, nice, scheduling, personality,
 * oom_score_adj...) to a fixed value; the sandbox's init inherits them. */
int lj_reset_process_state(struct lj_err *e);

/* home.c: open the home directory race-free (SECURITY.md rules 10-11);
 * returns an O_PATH descriptor of it, or -1. */
int lj_home_open(const struct lj_user *u, struct lj_err *e);

/* binds.c: a detached, recursive clone of the tree at FD with the mount
 * attributes ATTR on every submount, made in the host's mount namespace so
 * that the sandbox's init can attach it (a descriptor of another namespace
 * cannot be cloned there); PATH names it in errors. */
int lj_tree_clone(int fd, uint64_t attr, const char *path, struct lj_err *e);
/* The policy's ro_bind and bind paths, each opened without following a link
 * and checked (binds.c), cloned with its attributes, and its devices, each
 * opened and judged by lj_device_open and cloned without nodev; all sorted
 * by target so that a path comes after those above it (a device after a
 * bind at the same path). HOMEFD: the validated home, or -1 (home = tmpfs:
 * a path under the home is then refused). Errors name the policy's
 * file:line, the key and the component at fault. */
#define LJ_JAIL_BINDS (2 * LJ_MAX_BINDS + LJ_MAX_DEVICES)
struct lj_bind {
	char target[4096]; /* the path in the jail: the same as on the host */
	int tree;
	bool device;
};
struct lj_binds {
	size_t n;
	struct lj_bind v[LJ_JAIL_BINDS];
};
int lj_binds_open(const struct lj_user *u, const struct lj_policy *pol, int homefd,
		  struct lj_binds *b, struct lj_err *e);
void lj_binds_close(struct lj_binds *b);

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
	uint64_t tmp_size; /* of the tmpfs under /tmp, /dev/shm, a tmpfs home */
	uint32_t ptys;	   /* the devpts' max= */
	bool syslog;	   /* /dev/log leads to the host's */
	char hostname[LJ_HOSTNAME_MAX + 1];
	const char *home; /* absolute */
	size_t nbinds;
	const char *bind[LJ_JAIL_BINDS]; /* targets of lj_binds, in its order */
	int homefd;			 /* O_PATH of the validated home, or -1 (home=tmpfs) */
	int hometree;			 /* detached clone of it (lj_tree_clone), or -1 */
	const int *trees;		 /* detached clones to attach at bind[] */
	const char *rootdir;		 /* empty directory to build the new root on */
};
int lj_jail_build(const struct lj_jail_spec *s, struct lj_err *e);
/* The jail's login records (jail.c make_run, init's utmp.c). */
#define LJ_JAIL_UTMP "/run/utmp"
#define LJ_JAIL_WTMP "/run/wtmp"

/* jailspec.c: the description on the wire (step LJ_SETUP_HOME): packed by
 * the helper into BUF, unpacked by the init (pointers into BUF). */
#define LJ_JAIL_SPEC_MAX 65536
ssize_t lj_jail_spec_pack(const struct lj_user *u, const struct lj_policy *pol,
			  const struct lj_binds *b, char *buf, size_t len, struct lj_err *e);
int lj_jail_spec_unpack(char *buf, size_t len, struct lj_jail_spec *s, struct lj_err *e);

/* sandbox.c: create a sandbox or join the running one. */
struct lj_session_req {
	const struct lj_user *user;
	const struct lj_policy *pol;
	const char *service;	 /* the PAM service, or NULL */
	const char *tty, *rhost; /* PAM_TTY, PAM_RHOST, or NULL */
	pid_t caller;		 /* the PAM caller: the helper's parent */
	int caller_pidfd;
	/* The account, policy directory and policy (lj_ctl_key_init,
	 * lj_policy_digest): a sandbox is joined only with the key it was
	 * built with. */
	const struct lj_ctl_key *key;
};
/* On success fills nsfds[LJ_NS_COUNT] in lj_ns_order and *host_net (the
 * sandbox, maybe built by an earlier policy, has the host's network
 * namespace); the caller is where its sessions belong (lj_session_placement). */
int lj_sandbox_open(const struct lj_session_req *r, int *nsfds, bool *host_net, struct lj_err *e);

/* The helper tells the sandbox's init what it needs, as soon as it has it,
 * while the init makes the namespaces and builds the jail (init_setup.c): one
 * struct lj_setup per step, on the init's LJ_INIT_FD_READY. */
enum lj_setup_step {
	LJ_SETUP_HOME = 1, /* + the jail's description (jailspec.c); the home's
			    * O_PATH and detached clone, or none (tmpfs home) */
	LJ_SETUP_GO = 2,   /* in the cgroup now; + the sandbox's struct
			    * lj_setup_go; the user namespace, a pidfd of the
			    * first session's caller, then the leaf's
			    * cgroup.procs descriptors (lj_cgroup_procs) */
};
struct lj_setup {
	uint32_t version;
	uint32_t step;
	uint32_t nfds;
};
/* What follows the header of LJ_SETUP_GO. */
struct lj_setup_go {
	struct lj_ctl_key key;
	struct lj_ctl_session session; /* the first session */
};

#endif
