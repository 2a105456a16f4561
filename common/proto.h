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

#define LJ_PROTO_VERSION 2
#define LJ_HELPER_REPLY_FD 3

enum lj_reply_status {
	LJ_REPLY_JOIN = 1,   /* join the namespaces passed along */
	LJ_REPLY_IGNORE = 2, /* no policy, or sandbox = no: PAM_IGNORE */
	LJ_REPLY_DENY = 3,   /* a required sandbox could not be built */
	LJ_REPLY_ALLOW = 4,  /* same, but policy says on_error = allow */
};

struct lj_reply {
	uint32_t version;
	uint32_t status;    /* enum lj_reply_status */
	uint32_t nfds;	    /* LJ_NS_COUNT with LJ_REPLY_JOIN, else 0 */
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

/* Joining a running sandbox (join.h): the joiner connects to the init's
 * control socket and sends one struct lj_join carrying a pidfd of the
 * session's caller; init answers with a struct lj_join_ok carrying
 * LJ_NS_COUNT namespace descriptors, then nprocs descriptors of the sandbox
 * cgroup's cgroup.procs files, one per hierarchy, opened on the host (so
 * that a host process can write itself into them). */
#define LJ_PROCS_MAX 6
struct lj_join {
	uint32_t version;
};
struct lj_join_ok {
	uint32_t version;
	uint32_t sessions; /* sessions now open in this sandbox */
	uint32_t nprocs;
};

#endif
