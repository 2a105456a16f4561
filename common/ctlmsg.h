/* The two messages of a sandbox's control socket (proto.h), checked apart
 * from the socket: the init checks each request it reads, a joiner (the
 * helper, the PAM module) and loginjailctl each answer. Each check takes
 * what one recvmsg gave, LEN bytes at BUF (any LEN) and the count of
 * descriptors that came with them, and copies what there is of the message
 * into *OUT, the rest zero. */
#ifndef LJ_CTLMSG_H
#define LJ_CTLMSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proto.h"

/* What a request or an answer is read into: room for a longer message of
 * a later protocol, so that it is answered, or reported, as another
 * version's rather than cut short and dropped. */
#define LJ_CTL_MSG_MAX 1024

enum lj_ctl_req_verdict {
	LJ_CTL_REQ_OK,		  /* a known command, with its descriptors */
	LJ_CTL_REQ_UNKNOWN,	  /* of this version, no descriptor, an unknown command:
				   * answer LJ_CTL_BAD */
	LJ_CTL_REQ_OTHER_VERSION, /* answer LJ_CTL_BAD, which names this version */
	LJ_CTL_REQ_MALFORMED,	  /* of this version (or too short to say) but no
				   * request: no answer */
};
/* A request: one struct lj_ctl_req of this version; LJ_CTL_JOIN comes with
 * exactly one descriptor (the caller's pidfd), any other command with none.
 * The session in *OUT is cleaned (lj_ctl_session_clean). */
enum lj_ctl_req_verdict lj_ctl_req_check(const void *buf, size_t len, size_t nfds,
					 struct lj_ctl_req *out);

/* Fill *S: each string cut to fit and cleaned, NULL as empty. */
void lj_ctl_session_set(struct lj_ctl_session *s, const char *service, const char *tty,
			const char *rhost, pid_t pid);
/* Make the strings of *S NUL-terminated and printable ASCII ('?' for any
 * other byte): what a peer sent goes into logs and utmp. */
void lj_ctl_session_clean(struct lj_ctl_session *s);

enum lj_ctl_rep_verdict {
	LJ_CTL_REP_OK,
	LJ_CTL_REP_OTHER_VERSION, /* out->version says which */
	LJ_CTL_REP_MALFORMED,	  /* of this version (or too short to say) but no
				   * answer */
	LJ_CTL_REP_DECLINED,	  /* out->status says why */
	LJ_CTL_REP_BAD_FDS,	  /* LJ_CTL_OK, but not with the descriptors it says */
};
/* The answer to command CMD: one struct lj_ctl_rep of this version, its
 * user NUL-terminated in *OUT. LJ_CTL_OK to LJ_CTL_JOIN comes with
 * LJ_NS_COUNT + nprocs descriptors (nprocs at most LJ_PROCS_MAX), LJ_CTL_OK
 * to LJ_CTL_INFO with one (the init's mountinfo), any other answer with
 * none. */
enum lj_ctl_rep_verdict lj_ctl_rep_check(const void *buf, size_t len, uint32_t cmd, size_t nfds,
					 struct lj_ctl_rep *out);

#endif
