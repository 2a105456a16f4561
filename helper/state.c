/* /run/loginjail: root-only state, one directory per sandbox, one lock file
 * per user while somebody holds it (SECURITY.md rule 16). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "helper.h"
#include "util.h"

/* flock on a file that we unlink while holding it: after taking the lock,
 * make sure the name still refers to the file we locked, or start over. */
static int lock_user(int rundir, uid_t uid, int how, struct lj_err *e)
{
	char name[64];
	snprintf(name, sizeof(name), "user-%u.lock", (unsigned)uid);
	for (;;) {
		int fd = openat(rundir, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return lj_fail_errno(e, "cannot open lock %s/%s", LJ_RUNDIR, name);
		struct stat a, b;
		if (flock(fd, how) < 0 || fstat(fd, &a) < 0) {
			close(fd);
			return lj_fail_errno(e, "cannot lock %s/%s", LJ_RUNDIR, name);
		}
		if (fstatat(rundir, name, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
}

int lj_state_lock_user(int rundir, uid_t uid, struct lj_err *e)
{
	return lock_user(rundir, uid, LOCK_EX, e);
}

int lj_state_trylock_user(int rundir, uid_t uid)
{
	struct lj_err e;
	return lock_user(rundir, uid, LOCK_EX | LOCK_NB, &e);
}

void lj_state_unlock_user(int rundir, uid_t uid, int lockfd, bool remove)
{
	char name[64];
	snprintf(name, sizeof(name), "user-%u.lock", (unsigned)uid);
	if (remove)
		unlinkat(rundir, name, 0);
	close(lockfd);
}

int lj_state_remove(int rundir, const char *name)
{
	int d = openat(rundir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d >= 0) {
		unlinkat(d, "ctl", 0);
		unlinkat(d, "root", AT_REMOVEDIR);
		close(d);
	}
	if (unlinkat(rundir, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return -1;
	return 0;
}
