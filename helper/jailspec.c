/* What the jail is made of, on its way from the helper (which read the user
 * and the policy) to the sandbox's init (which builds it): a fixed head and
 * NUL-terminated paths, checked again on arrival. */
#include <stdio.h>
#include <string.h>

#include "helper.h"
#include "util.h"

struct spec_head {
	uint32_t uid, gid, network, tmp, nbinds, ptys, syslog;
	uint64_t tmp_size;
	char hostname[LJ_HOSTNAME_MAX + 1];
};

static int put(char *buf, size_t len, size_t *at, const char *s)
{
	size_t n = strlen(s) + 1;
	if (*at + n > len)
		return -1;
	memcpy(buf + *at, s, n);
	*at += n;
	return 0;
}

ssize_t lj_jail_spec_pack(const struct lj_user *u, const struct lj_policy *pol,
			  const struct lj_binds *b, char *buf, size_t len, struct lj_err *e)
{
	struct spec_head h = {.uid = u->uid,
			      .gid = u->gid,
			      .network = pol->network,
			      .tmp = pol->tmp,
			      .ptys = (uint32_t)pol->ptys,
			      .syslog = pol->syslog,
			      .tmp_size = pol->tmp_size,
			      .nbinds = (uint32_t)b->n};
	snprintf(h.hostname, sizeof(h.hostname), "%s", pol->hostname);
	if (len < sizeof(h))
		return lj_fail(e, "no room for the jail's description");
	memcpy(buf, &h, sizeof(h));
	size_t at = sizeof(h);
	int r = put(buf, len, &at, u->home);
	for (size_t i = 0; r == 0 && i < b->n; i++)
		r = put(buf, len, &at, b->v[i].target);
	if (r < 0)
		return lj_fail(e, "the home and bind paths take more than %zu bytes together", len);
	return (ssize_t)at;
}

int lj_jail_spec_unpack(char *buf, size_t len, struct lj_jail_spec *s, struct lj_err *e)
{
	struct spec_head h;
	if (len < sizeof(h))
		return lj_fail(e, "short jail description");
	memcpy(&h, buf, sizeof(h));
	if (h.nbinds > LJ_ARRAY_SIZE(s->bind) || h.network > LJ_NET_HOST || h.tmp > LJ_TMP_SHARED ||
	    h.ptys < 1 || h.ptys > LJ_PTYS_MAX || h.tmp_size == 0 || h.syslog > 1 ||
	    !memchr(h.hostname, '\0', sizeof(h.hostname)))
		return lj_fail(e, "bad jail description");
	memcpy(s->hostname, h.hostname, sizeof(s->hostname));
	s->uid = h.uid;
	s->gid = h.gid;
	s->network = (enum lj_network)h.network;
	s->tmp = (enum lj_tmp)h.tmp;
	s->ptys = h.ptys;
	s->syslog = h.syslog;
	s->tmp_size = h.tmp_size;
	s->nbinds = h.nbinds;
	const char **slot[1 + LJ_ARRAY_SIZE(s->bind)];
	size_t n = 0;
	slot[n++] = &s->home;
	for (size_t i = 0; i < h.nbinds; i++)
		slot[n++] = &s->bind[i];
	size_t at = sizeof(h);
	for (size_t i = 0; i < n; i++) {
		char *end = at < len ? memchr(buf + at, '\0', len - at) : NULL;
		if (!end || buf[at] != '/')
			return lj_fail(e, "bad path in the jail description");
		*slot[i] = buf + at;
		at = (size_t)(end - buf) + 1;
	}
	if (at != len)
		return lj_fail(e, "trailing bytes in the jail description");
	return 0;
}
