/* The user a session is for, from NSS on the host (SECURITY.md rules 6, 12). */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "util.h"

int lj_user_lookup(const char *name, struct lj_user *u, struct lj_err *e)
{
	const char *why;
	struct passwd pw, *res = NULL;
	char buf[16384];

	/* Any name: it is only looked up and compared here; the policy
	 * decides whether this user's name may go into a sandbox. */
	memset(u, 0, sizeof(*u));
	int r = getpwnam_r(name, &pw, buf, sizeof(buf), &res);
	if (r != 0 || !res) {
		errno = r ? r : ENOENT;
		return lj_fail_errno(e, "user %s not found", name);
	}
	u->name = strdup(pw.pw_name);
	if (!u->name)
		return lj_fail_errno(e, "out of memory");
	u->uid = pw.pw_uid;
	u->gid = pw.pw_gid;
	if (snprintf(u->home, sizeof(u->home), "%s", pw.pw_dir) >= (int)sizeof(u->home) ||
	    u->home[0] != '/')
		return lj_fail(e, "user %s: home directory \"%s\" is not an absolute path", name,
			       pw.pw_dir);

	int n = LJ_MAX_GROUPS;
	if (getgrouplist(name, pw.pw_gid, u->gids, &n) < 0)
		return lj_fail(e, "user %s is in more than %d groups", name, LJ_MAX_GROUPS);
	u->ngroups = (size_t)n;
	for (size_t i = 0; i < u->ngroups; i++) {
		struct group gr, *gres = NULL;
		cleanup_free char *gbuf = malloc(65536);
		if (!gbuf)
			return lj_fail_errno(e, "out of memory");
		if (getgrgid_r(u->gids[i], &gr, gbuf, 65536, &gres) == 0 && gres &&
		    lj_check_name(gr.gr_name, &why) == 0)
			u->group_names[i] = strdup(gr.gr_name);
		if (u->group_names[i])
			u->groups[u->ngroup_names++] = u->group_names[i];
	}
	return 0;
}

void lj_user_free(struct lj_user *u)
{
	for (size_t i = 0; i < u->ngroups; i++)
		free(u->group_names[i]);
	u->ngroups = 0;
	u->ngroup_names = 0;
	free(u->name);
	u->name = NULL;
}
