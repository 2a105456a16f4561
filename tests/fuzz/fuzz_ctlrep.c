/* libFuzzer target: any bytes as the answer a joiner (the helper, the PAM
 * module) or loginjailctl reads from a sandbox's init, checked as they check
 * it (lj_ctl_rep_check, common/ctlmsg.c). The first byte is the command the
 * answer is to, the second the count of descriptors that came with it, the
 * rest the answer's bytes. What is taken is one whole answer of this
 * version saying LJ_CTL_OK, a join's with LJ_NS_COUNT + nprocs descriptors
 * that fit lj_join's array and struct lj_joined, an info's with one (the
 * jail's mountinfo), any other without; a
 * refusal is whole and of this version too, and both have a user name
 * terminated within its field (the reasons print it); the answer seen is the
 * bytes sent and zero beyond them, whatever was in it before. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctlmsg.h"
#include "join.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint32_t cmd = data[0];
	size_t nfds = data[1];
	const uint8_t *msg = data + 2;
	size_t len = size - 2;
	struct lj_ctl_rep rep, again;
	struct lj_joined joined;
	memset(&rep, 0xa5, sizeof(rep));
	memset(&again, 0, sizeof(again));
	enum lj_ctl_rep_verdict v = lj_ctl_rep_check(msg, len, cmd, nfds, &rep);
	if (lj_ctl_rep_check(msg, len, cmd, nfds, &again) != v || memcmp(&rep, &again, sizeof(rep)))
		abort();

	bool whole = len == sizeof(rep);
	bool other_version = len >= sizeof(rep.version) && rep.version != LJ_PROTO_VERSION;
	bool mine = whole && !other_version;
	/* The bytes sent, zero beyond them; the user's last byte is cut to NUL
	 * in an answer of this version. */
	size_t seen = len < sizeof(rep) ? len : sizeof(rep);
	const uint8_t *r = (const uint8_t *)&rep;
	size_t user_end = offsetof(struct lj_ctl_rep, user) + sizeof(rep.user) - 1;
	for (size_t i = 0; i < sizeof(rep); i++) {
		uint8_t want = i < seen ? msg[i] : 0;
		if (mine && i == user_end)
			want = 0;
		if (r[i] != want)
			abort();
	}

	bool fds_fit = nfds == (cmd == LJ_CTL_INFO ? 1u : 0u);
	if (cmd == LJ_CTL_JOIN)
		fds_fit = rep.nprocs <= LJ_PROCS_MAX && nfds == LJ_NS_COUNT + (size_t)rep.nprocs;
	switch (v) {
	case LJ_CTL_REP_OK:
		if (!mine || rep.status != LJ_CTL_OK || !fds_fit ||
		    strnlen(rep.user, sizeof(rep.user)) == sizeof(rep.user))
			abort();
		/* lj_join's array of descriptors, then struct lj_joined. */
		if (cmd == LJ_CTL_JOIN &&
		    (nfds > LJ_NS_COUNT + LJ_PROCS_MAX || rep.nprocs > LJ_ARRAY_SIZE(joined.procs)))
			abort();
		break;
	case LJ_CTL_REP_DECLINED:
		if (!mine || rep.status == LJ_CTL_OK ||
		    strnlen(rep.user, sizeof(rep.user)) == sizeof(rep.user))
			abort();
		break;
	case LJ_CTL_REP_BAD_FDS:
		if (!mine || rep.status != LJ_CTL_OK || fds_fit)
			abort();
		break;
	case LJ_CTL_REP_OTHER_VERSION:
		if (!other_version)
			abort();
		break;
	case LJ_CTL_REP_MALFORMED:
		if (other_version || whole)
			abort();
		break;
	default:
		abort();
	}
	return 0;
}
