/* libFuzzer target: any bytes as a request that loginjail-init reads on a
 * sandbox's control socket, checked as it checks them (lj_ctl_req_check,
 * common/ctlmsg.c). The first byte is the count of descriptors that came
 * with the request, the rest the request's bytes. What is served is one
 * whole request of this version, of a known command, with exactly the
 * descriptors that command takes; what is answered LJ_CTL_BAD is either of
 * another version or, whole and without descriptors, of an unknown command;
 * the request the init sees is the bytes sent and zero beyond them, whatever
 * was in it before. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctlmsg.h"

#define FIELD(f) offsetof(struct lj_ctl_req, session.f), sizeof(((struct lj_ctl_req *)0)->session.f)
static const struct {
	size_t at, len;
} strings[] = {{FIELD(service)}, {FIELD(tty)}, {FIELD(rhost)}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t nfds = data[0];
	const uint8_t *msg = data + 1;
	size_t len = size - 1;
	struct lj_ctl_req req, again;
	memset(&req, 0xa5, sizeof(req));
	memset(&again, 0, sizeof(again));
	enum lj_ctl_req_verdict v = lj_ctl_req_check(msg, len, nfds, &req);
	if (lj_ctl_req_check(msg, len, nfds, &again) != v || memcmp(&req, &again, sizeof(req)))
		abort();

	/* What came is copied, the rest zero; in a request that is served,
	 * each of the session's strings is cleaned: cut at its last byte, each
	 * byte up to its end that is not printable ASCII made '?'. */
	size_t seen = len < sizeof(req) ? len : sizeof(req);
	uint8_t sent[sizeof(req)] = {0};
	memcpy(sent, msg, seen);
	const uint8_t *r = (const uint8_t *)&req;
	for (size_t k = 0; v == LJ_CTL_REQ_OK && k < sizeof(strings) / sizeof(strings[0]); k++) {
		const uint8_t *str = r + strings[k].at, *was = sent + strings[k].at;
		size_t n = strnlen((const char *)str, strings[k].len);
		if (n == strings[k].len)
			abort();
		for (size_t i = 0; i < n; i++)
			if (str[i] < 0x20 || str[i] > 0x7e ||
			    (str[i] != was[i] &&
			     !(str[i] == '?' && (was[i] < 0x20 || was[i] > 0x7e))))
				abort();
		if (n < strings[k].len - 1 && was[n] != 0)
			abort();
		memcpy(sent + strings[k].at, str, strings[k].len); /* compared */
	}
	if (memcmp(r, sent, sizeof(req)) != 0)
		abort();

	bool whole = len == sizeof(req);
	bool other_version = len >= sizeof(req.version) && req.version != LJ_PROTO_VERSION;
	bool known = req.cmd == LJ_CTL_JOIN || req.cmd == LJ_CTL_STATUS || req.cmd == LJ_CTL_STOP ||
		     req.cmd == LJ_CTL_INFO || req.cmd == LJ_CTL_RELOAD;
	size_t takes = req.cmd == LJ_CTL_JOIN ? 1 : 0;
	switch (v) {
	case LJ_CTL_REQ_OK:
		if (!whole || req.version != LJ_PROTO_VERSION || !known || nfds != takes)
			abort();
		break;
	case LJ_CTL_REQ_UNKNOWN:
		if (!whole || req.version != LJ_PROTO_VERSION || known || nfds != 0)
			abort();
		break;
	case LJ_CTL_REQ_OTHER_VERSION:
		if (!other_version)
			abort();
		break;
	case LJ_CTL_REQ_MALFORMED:
		/* Not another version's, and no request of this one. */
		if (other_version || (whole && nfds == takes))
			abort();
		break;
	default:
		abort();
	}
	return 0;
}
