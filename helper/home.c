/* Open a home directory without ever following a user-controlled link
 * (SECURITY.md rules 10-11): walk it one component at a time with
 * O_PATH|O_NOFOLLOW, check every parent (root-owned, not writable by others
 * unless sticky) and the home itself (a directory owned by the user, not
 * group/world writable). The descriptor it returns is what gets bind-mounted,
 * so a rename after the check changes nothing. Nothing is ever fixed. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "helper.h"
#include "util.h"

static const char *mode_problem(const struct stat *st, bool is_home, uid_t uid)
{
	if (!S_ISDIR(st->st_mode))
		return "is not a directory";
	if (is_home) {
		if (st->st_uid != uid)
			return "is not owned by the user";
		if (st->st_mode & (S_IWGRP | S_IWOTH))
			return "is group or world writable";
	} else {
		if (st->st_uid != 0)
			return "is not owned by root";
		if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX))
			return "is group or world writable (and not sticky)";
	}
	return NULL;
}

int lj_home_open(const struct lj_user *u, struct lj_err *e)
{
	char path[sizeof(u->home)];
	snprintf(path, sizeof(path), "%s", u->home);

	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return lj_fail_errno(e, "cannot open /");
	char *save = NULL, *comp = strtok_r(path, "/", &save);
	char walked[sizeof(u->home)] = "";
	if (!comp) {
		close(fd);
		return lj_fail(e, "user %s: home directory is /: refusing to sandbox it", u->name);
	}
	while (comp) {
		char *next = strtok_r(NULL, "/", &save);
		struct stat st;
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
			close(fd);
			return lj_fail(e, "user %s: home directory %s has a . or .. component",
				       u->name, u->home);
		}
		/* The parent we stand in must be safe before we trust its entries. */
		if (fstat(fd, &st) < 0) {
			close(fd);
			return lj_fail_errno(e, "cannot stat %s/", walked);
		}
		const char *why = mode_problem(&st, false, u->uid);
		if (why) {
			close(fd);
			return lj_fail(e,
				       "user %s: parent directory %s/ of home %s %s; "
				       "fix its owner and mode",
				       u->name, walked, u->home, why);
		}
		int nfd = openat(fd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;
		close(fd);
		strncat(walked, "/", sizeof(walked) - strlen(walked) - 1);
		strncat(walked, comp, sizeof(walked) - strlen(walked) - 1);
		if (nfd < 0) {
			errno = err;
			return lj_fail_errno(e, "user %s: cannot open home directory component %s",
					     u->name, walked);
		}
		fd = nfd;
		if (fstat(fd, &st) < 0) {
			close(fd);
			return lj_fail_errno(e, "cannot stat %s", walked);
		}
		if (S_ISLNK(st.st_mode)) {
			close(fd);
			return lj_fail(e,
				       "user %s: %s in the home directory path is a symbolic "
				       "link; refusing to follow it (point the passwd entry at "
				       "the real directory)",
				       u->name, walked);
		}
		if (!next) {
			why = mode_problem(&st, true, u->uid);
			if (why) {
				close(fd);
				return lj_fail(e,
					       "user %s: home directory %s %s; fix it "
					       "(loginjail never changes it)",
					       u->name, u->home, why);
			}
		}
		comp = next;
	}
	return fd;
}

int lj_home_tree(int homefd, const char *home, struct lj_err *e)
{
	int t = open_tree(homefd, "",
			  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (t < 0)
		return lj_fail_errno(e, "cannot clone the mount of home %s", home);
	struct mount_attr ma = {.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV};
	if (mount_setattr(t, "", AT_EMPTY_PATH | AT_RECURSIVE, &ma, sizeof(ma)) < 0) {
		lj_fail_errno(e, "cannot make home %s nosuid,nodev", home);
		close(t);
		return -1;
	}
	return t;
}
