/* Open a home directory without ever following a user-controlled link
 * (SECURITY.md rules 10-11): walk it with lj_walk_open (every parent
 * root-owned, not writable by others unless sticky), then check the home
 * itself (a directory owned by the user, not group/world writable). The
 * descriptor it returns is what gets bind-mounted, so a rename after the
 * check changes nothing. Nothing is ever fixed. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "helper.h"
#include "util.h"
#include "walk.h"

int lj_home_open(const struct lj_user *u, struct lj_err *e)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return lj_fail_errno(e, "cannot open /");
	if (strspn(u->home, "/") == strlen(u->home))
		return lj_fail(e, "user %s: home directory is /: refusing to sandbox it", u->name);
	struct lj_walk w;
	cleanup_close int fd = lj_walk_open(root, "", u->home, 0, LJ_WALK_STICKY_OK, &w);
	char why[PATH_MAX + 64];
	if (fd < 0) {
		lj_walk_describe(&w, why, sizeof(why));
		if (w.fault == LJ_WALK_LINK)
			return lj_fail(e,
				       "user %s: %s in the path of home %s; refusing to follow it "
				       "(point the passwd entry at the real directory)",
				       u->name, why, u->home);
		if (w.fault == LJ_WALK_ERRNO || w.fault == LJ_WALK_DOTS)
			return lj_fail(e, "user %s: home %s: %s", u->name, u->home, why);
		return lj_fail(e,
			       "user %s: parent directory of home %s: %s; fix its owner and mode",
			       u->name, u->home, why);
	}
	struct stat st;
	const char *problem = NULL;
	if (fstat(fd, &st) < 0)
		return lj_fail_errno(e, "cannot stat home %s", u->home);
	if (!S_ISDIR(st.st_mode))
		problem = "is not a directory";
	else if (st.st_uid != u->uid)
		problem = "is not owned by the user";
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		problem = "is group or world writable";
	if (problem)
		return lj_fail(e,
			       "user %s: home directory %s %s; fix it (loginjail never changes it)",
			       u->name, u->home, problem);
	return lj_steal_fd(&fd);
}
