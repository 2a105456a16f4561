/* The control socket's messages as bytes (ctlmsg.h): what the init takes
 * as a request, what a joiner takes as an answer. Kept apart from the
 * socket, so that the unit tests and the fuzzers call them as they are. */
#include <stdio.h>
#include <string.h>

#include "ctlmsg.h"

_Static_assert(sizeof(struct lj_ctl_req) <= LJ_CTL_MSG_MAX &&
		       sizeof(struct lj_ctl_rep) <= LJ_CTL_MSG_MAX,
	       "a message of this protocol fits what it is read into");

/* The first LEN bytes of BUF over the SIZE bytes of OUT, the rest zero. */
static void copy_in(void *out, size_t size, const void *buf, size_t len)
{
	memset(out, 0, size);
	if (len > 0)
		memcpy(out, buf, len < size ? len : size);
}

/* A string of SIZE bytes, from a peer or a PAM item: NUL-terminated,
 * printable. */
static void clean_str(char *str, size_t size)
{
	str[size - 1] = '\0';
	for (char *c = str; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
}

static void set_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
	clean_str(dst, size);
}

void lj_ctl_session_set(struct lj_ctl_session *s, const char *service, const char *tty,
			const char *rhost, pid_t pid)
{
	memset(s, 0, sizeof(*s));
	set_str(s->service, sizeof(s->service), service);
	set_str(s->tty, sizeof(s->tty), tty);
	set_str(s->rhost, sizeof(s->rhost), rhost);
	s->pid = pid > 0 ? (uint32_t)pid : 0;
}

void lj_ctl_session_clean(struct lj_ctl_session *s)
{
	clean_str(s->service, sizeof(s->service));
	clean_str(s->tty, sizeof(s->tty));
	clean_str(s->rhost, sizeof(s->rhost));
}

enum lj_ctl_req_verdict lj_ctl_req_check(const void *buf, size_t len, size_t nfds,
					 struct lj_ctl_req *out)
{
	copy_in(out, sizeof(*out), buf, len);
	/* Whatever its size: its first word is its version. */
	if (len >= sizeof(out->version) && out->version != LJ_PROTO_VERSION)
		return LJ_CTL_REQ_OTHER_VERSION;
	if (len != sizeof(*out) || nfds != (out->cmd == LJ_CTL_JOIN ? 1u : 0u))
		return LJ_CTL_REQ_MALFORMED;
	if (out->cmd < LJ_CTL_JOIN || out->cmd > LJ_CTL_RELOAD)
		return LJ_CTL_REQ_UNKNOWN;
	lj_ctl_session_clean(&out->session);
	return LJ_CTL_REQ_OK;
}

enum lj_ctl_rep_verdict lj_ctl_rep_check(const void *buf, size_t len, uint32_t cmd, size_t nfds,
					 struct lj_ctl_rep *out)
{
	copy_in(out, sizeof(*out), buf, len);
	/* A sandbox of another version answers in its own format, whose first
	 * word is its version. */
	if (len >= sizeof(out->version) && out->version != LJ_PROTO_VERSION)
		return LJ_CTL_REP_OTHER_VERSION;
	if (len != sizeof(*out))
		return LJ_CTL_REP_MALFORMED;
	out->user[sizeof(out->user) - 1] = '\0';
	if (out->status != LJ_CTL_OK)
		return LJ_CTL_REP_DECLINED;
	if (cmd == LJ_CTL_INFO)
		return nfds == 1 ? LJ_CTL_REP_OK : LJ_CTL_REP_BAD_FDS;
	if (cmd != LJ_CTL_JOIN)
		return nfds == 0 ? LJ_CTL_REP_OK : LJ_CTL_REP_BAD_FDS;
	/* The namespaces, then one cgroup.procs per hierarchy. */
	if (out->nprocs > LJ_PROCS_MAX || nfds != LJ_NS_COUNT + (size_t)out->nprocs)
		return LJ_CTL_REP_BAD_FDS;
	return LJ_CTL_REP_OK;
}
