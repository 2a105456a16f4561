/* What the PAM module, the helper and a sandbox's init say to each other.
 *
 * The module runs the helper with a SOCK_SEQPACKET socket on fd 3. The helper
 * answers with exactly one struct lj_reply; with LJ_REPLY_JOIN it carries the
 * sandbox's namespace descriptors, in the order of lj_ns_order[], the user
 * namespace last (it must be joined last: once in it, the caller has no
 * capabilities left in the initial user namespace for the others). */
#ifndef LJ_PROTO_H
#define LJ_PROTO_H

#include <sched.h>
#include <stdint.h>

#define LJ_PROTO_VERSION 6
#define LJ_HELPER_REPLY_FD 3
/* The PAM service systemd opens a user manager's (systemd --user) session
 * with. */
#define LJ_USER_MANAGER_SERVICE "systemd-user"
/* The user's runtime directory in the jail (a printf format of the uid): the
 * jail makes it (helper/jail.c), and the module and loginjail-shell give
 * every session XDG_RUNTIME_DIR with it. */
#define LJ_RUNTIME_DIR_FMT "/run/user/%u"

enum lj_reply_status {
	LJ_REPLY_JOIN = 1,   /* join the namespaces passed along */
	LJ_REPLY_IGNORE = 2, /* no policy, or sandbox = no: PAM_IGNORE (a
			      * log_msg is logged as a warning) */
	LJ_REPLY_DENY = 3,   /* a required sandbox could not be built */
	LJ_REPLY_ALLOW = 4,  /* same, but policy says on_error = allow */
	LJ_REPLY_REFUSE = 5, /* policy says this session may not run at all
			      * (user_manager = no): PAM_SESSION_ERR, logged
			      * as a notice, not an error */
};

/* The sandbox has no network namespace of its own (network = host): the
 * session is scoped to its own abstract unix sockets (landlock.h). */
#define LJ_REPLY_F_HOST_NET 0x1
struct lj_reply {
	uint32_t version;
	uint32_t status;    /* enum lj_reply_status */
	uint32_t nfds;	    /* LJ_NS_COUNT with LJ_REPLY_JOIN, else 0 */
	uint32_t flags;	    /* LJ_REPLY_F_* */
	char user_msg[256]; /* for pam_error/pam_info, may be empty */
	char log_msg[512];  /* for pam_syslog, may be empty */
};

#define LJ_NS_COUNT 7
static const struct {
	const char *name;
	int type;
} lj_ns_order[LJ_NS_COUNT] __attribute__((unused)) = {
	{"mnt", CLONE_NEWNS},	 {"uts", CLONE_NEWUTS}, {"ipc", CLONE_NEWIPC},
	{"net", CLONE_NEWNET},	 {"pid", CLONE_NEWPID}, {"cgroup", CLONE_NEWCGROUP},
	{"user", CLONE_NEWUSER},
};

/* A sandbox's control socket (join.h). A request is one struct lj_ctl_req;
 * the init answers every well-formed one with one struct lj_ctl_rep (an
 * unknown command, or a request of another protocol version, with
 * LJ_CTL_BAD and its own version).
 *   LJ_CTL_JOIN: the request carries a pidfd of the session's caller and the
 *     key of the joiner and what the session is (below); unless the sandbox was built for another
 *     key or is full, the answer carries LJ_NS_COUNT namespace descriptors,
 *     then nprocs descriptors of the sandbox cgroup's cgroup.procs files, one
 *     per hierarchy, opened on the host (so that a host process can write
 *     itself into them).
 *   LJ_CTL_STATUS: no descriptors either way; the answer counts sessions.
 *   LJ_CTL_STOP: the same, then the init stops listening, ends every session
 *     and tears the sandbox down (loginjailctl stop).
 *   LJ_CTL_INFO: no descriptor; the answer carries one, the init's own
 *     /proc/self/mountinfo opened for reading (the jail's mounts as the
 *     sandbox sees them), and is followed by one struct lj_ctl_info, then
 *     info.nsess struct lj_ctl_sess_info, each a message of its own
 *     (loginjailctl list and status).
 *   LJ_CTL_RELOAD: no descriptors either way; the request's key is the
 *     user's policy as loginjailctl resolved it now, after it applied the
 *     limits: for the same account and policy directory, the init takes its
 *     stamp, policy and keys as what it is built from, so that logins join
 *     again (loginjailctl reload; it sends it only when no key that a
 *     running sandbox cannot take has changed). */
#define LJ_PROCS_MAX 6
enum lj_ctl_cmd {
	LJ_CTL_JOIN = 1,
	LJ_CTL_STATUS = 2,
	LJ_CTL_STOP = 3,
	LJ_CTL_INFO = 4,
	LJ_CTL_RELOAD = 5,
};
enum lj_ctl_status {
	LJ_CTL_OK = 0,
	LJ_CTL_FULL = 1,	   /* too many sessions */
	LJ_CTL_OTHER_POLICY = 2,   /* built from another policy directory */
	LJ_CTL_BAD = 3,		   /* a request it does not know */
	LJ_CTL_OTHER_ACCOUNT = 4,  /* built for another account with this uid */
	LJ_CTL_POLICY_CHANGED = 5, /* the user's resolved policy is another now */
	LJ_CTL_CHECK_POLICY = 6,   /* the policy files changed since: only a
				    * joiner that resolved the policy (the
				    * helper) may join */
};
/* What a sandbox is built for, and what a join must match. Sandboxes are
 * named by uid (LJ_SHARED_NAME), but another account may have the same uid,
 * or get it after the first was deleted. The digests are SHA-256. */
#define LJ_CTL_KEYS 24 /* room for every policy key (policy.h, enum lj_key) */
struct lj_ctl_key {
	uint64_t config_dev, config_ino; /* the policy directory (lj_config_id) */
	uint8_t account[32];		 /* name, uid, gid, home (lj_ctl_key_init) */
	uint8_t stamp[32];		 /* the policy files' metadata (lj_config_stamp) */
	uint8_t policy[32];		 /* the user's resolved policy (lj_policy_digest) */
	/* Each key's value (lj_policy_key_digests), for loginjailctl reload to
	 * name the keys that differ; a join compares policy only. Zero from a
	 * joiner that did not resolve the policy. */
	uint8_t keys[LJ_CTL_KEYS][8];
};
/* A session as its joiner describes it, for the sandbox's log, the host's
 * utmp and loginjailctl status: the PAM items and the caller's pid on the
 * host. Informational only: nothing is decided on it. Each string is cut to
 * fit and NUL-terminated (lj_ctl_session_set); the init cleans what it gets
 * (lj_ctl_req_check). */
struct lj_ctl_session {
	char service[32];
	char tty[32];
	char rhost[128];
	uint32_t pid;
	uint32_t reserved;
};
/* key.policy is set: the joiner (the helper) resolved the user's policy. */
#define LJ_CTL_REQ_F_POLICY 0x1
struct lj_ctl_req {
	uint32_t version;
	uint32_t cmd;	/* enum lj_ctl_cmd */
	uint32_t flags; /* LJ_CTL_REQ_F_* */
	uint32_t reserved;
	struct lj_ctl_key key;	       /* LJ_CTL_JOIN */
	struct lj_ctl_session session; /* LJ_CTL_JOIN */
};
/* A joiner already in the user's systemd slice (its session scope) stays
 * there; any other writes itself into the procs descriptors. */
#define LJ_CTL_F_KEEPS_SLICE 0x1
/* As LJ_REPLY_F_HOST_NET. */
#define LJ_CTL_F_HOST_NET 0x2
struct lj_ctl_rep {
	uint32_t version;
	uint32_t status;   /* enum lj_ctl_status */
	uint32_t sessions; /* sessions open in this sandbox (after a join) */
	uint32_t nprocs;
	uint32_t flags; /* LJ_CTL_F_* */
	char user[68];	/* the account the sandbox was built for */
};

/* LJ_CTL_INFO: what the sandbox is. Usage and limits are its user's
 * cgroup's (limits cover all the user's sandboxes together), in bytes and
 * counts; LJ_CTL_UNLIMITED where there is no limit, and 0 for what cannot
 * be read. */
#define LJ_CTL_UNLIMITED UINT64_MAX
struct lj_ctl_info {
	int64_t started;	  /* Unix time the sandbox was built */
	int64_t linger;		  /* seconds, -1 forever (its policy's) */
	int64_t idle_left;	  /* no session: seconds until teardown (-1 never) */
	uint64_t ns[LJ_NS_COUNT]; /* namespace inodes, in lj_ns_order */
	uint64_t mem_current, mem_max, pids_current, pids_max;
	uint64_t procs;	       /* processes in the sandbox's own cgroup */
	struct lj_ctl_key key; /* what it is built from (reload may change it) */
	uint32_t nsess;	       /* struct lj_ctl_sess_info messages that follow */
	uint32_t flags;	       /* LJ_CTL_F_HOST_NET */
};
struct lj_ctl_sess_info {
	struct lj_ctl_session what;
	int64_t since; /* Unix time */
};

#endif
