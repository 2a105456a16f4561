/* The policy's ro_bind and bind paths, opened by the helper on the host
 * without following a symbolic link (common/walk.c, SECURITY.md rule 10) and
 * cloned there as detached mount trees, which the sandbox's init attaches
 * (helper/jail.c): what is mounted is what was checked.
 *
 * A path outside the user's home must be reached through directories that
 * root owns and only root can write: anyone else able to write one of them
 * could swap what comes next for a link to / or /tmp, and another user's
 * sandbox would show it. A path under the user's home (written %h/..., or
 * the home's own path) is the user's own: it is walked from the home's
 * validated descriptor, through directories of the user or root that nobody
 * else can write.
 *
 * The policy's devices are character devices of the host, judged on the
 * descriptor that is cloned (policy/device.c, as loginjailctl check judges
 * them) and cloned without nodev, so that they alone work in the jail's
 * /dev; read-only, so that the sandbox cannot change the host's node
 * (owner, mode, times), which does not keep it from writing to the
 * device. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "helper.h"
#include "util.h"
#include "walk.h"

int lj_tree_clone(int fd, uint64_t attr, const char *path, struct lj_err *e)
{
	cleanup_close int t = open_tree(
		fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (t < 0)
		return lj_fail_errno(e, "cannot clone the mount of %s", path);
	struct mount_attr ma = {.attr_set = attr};
	if (mount_setattr(t, "", AT_EMPTY_PATH | AT_RECURSIVE, &ma, sizeof(ma)) < 0)
		return lj_fail_errno(e, "cannot set the mount attributes of %s", path);
	return lj_steal_fd(&t);
}

/* PATH below the home HOME ("" for none), or NULL; "" for the home itself. */
static const char *under_home(const char *path, const char *home)
{
	if (strncmp(path, LJ_HOME_PREFIX "/", 3) == 0)
		return path + 2;
	size_t n = strlen(home);
	while (n > 1 && home[n - 1] == '/')
		n--;
	if (n <= 1 || strncmp(path, home, n) != 0 || (path[n] != '\0' && path[n] != '/'))
		return NULL;
	return path + n;
}

static int open_one(const struct lj_user *u, const struct lj_policy *pol, enum lj_key k,
		    const char *path, int root, int homefd, struct lj_binds *b, struct lj_err *e)
{
	const struct lj_origin *o = &pol->origin[k];
	char where[PATH_MAX + 32];
	snprintf(where, sizeof(where), "%s:%u: %s = %s", o->file ? o->file : "?", o->line,
		 lj_key_name(k), path);
	const char *rel = under_home(path, u->home);
	if (rel && !*rel)
		return lj_fail(e, "%s: that is the user's home, which the sandbox mounts already",
			       where);
	if (rel && homefd < 0)
		return lj_fail(e, "%s: under the user's home, which home = tmpfs does not mount",
			       where);
	struct lj_bind *bd = &b->v[b->n];
	char *target = bd->target;
	snprintf(target, sizeof(bd->target), "%s%s", rel ? u->home : "", rel ? rel : path);
	struct lj_walk w;
	cleanup_close int fd = rel ? lj_walk_open(homefd, u->home, rel, u->uid, 0, &w)
				   : lj_walk_open(root, "", path, 0, 0, &w);
	if (fd < 0) {
		char why[PATH_MAX + 64];
		lj_walk_describe(&w, why, sizeof(why));
		return lj_fail(e,
			       "%s: %s; refusing to bind it (the directories on the way must be "
			       "root's and writable only by root; a path under the user's home "
			       "is written %%h/...)",
			       where, why);
	}
	uint64_t attr = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			(k == LJ_KEY_RO_BIND ? MOUNT_ATTR_RDONLY : 0);
	bd->tree = lj_tree_clone(fd, attr, target, e);
	if (bd->tree < 0)
		return -1;
	b->n++;
	return 0;
}

/* The policy's device at PATH, judged and cloned, into B. */
static int open_device(const struct lj_policy *pol, const char *path, struct lj_binds *b,
		       struct lj_err *e)
{
	const struct lj_origin *o = &pol->origin[LJ_KEY_DEVICES];
	char why[PATH_MAX + 128];
	cleanup_close int fd = lj_device_open(path, why, sizeof(why));
	if (fd < 0)
		return lj_fail(e, "%s:%u: devices = %s: %s; refusing the login",
			       o->file ? o->file : "?", o->line, path, why);
	struct lj_bind *bd = &b->v[b->n];
	snprintf(bd->target, sizeof(bd->target), "%s", path);
	bd->device = true;
	bd->tree = lj_tree_clone(fd, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_RDONLY,
				 path, e);
	if (bd->tree < 0)
		return -1;
	b->n++;
	return 0;
}

static int by_target(const void *a, const void *b)
{
	const struct lj_bind *x = a, *y = b;
	int c = strcmp(x->target, y->target);
	/* A device over a bind of the same path, not hidden by it. */
	return c ? c : (int)x->device - (int)y->device;
}

int lj_binds_open(const struct lj_user *u, const struct lj_policy *pol, int homefd,
		  struct lj_binds *b, struct lj_err *e)
{
	b->n = 0;
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return lj_fail_errno(e, "cannot open /");
	const struct lj_paths *lists[] = {&pol->ro_bind, &pol->bind};
	const enum lj_key keys[] = {LJ_KEY_RO_BIND, LJ_KEY_BIND};
	for (size_t l = 0; l < LJ_ARRAY_SIZE(lists); l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			if (open_one(u, pol, keys[l], lists[l]->v[i], root, homefd, b, e) < 0) {
				lj_binds_close(b);
				return -1;
			}
	for (size_t i = 0; i < pol->devices.n; i++)
		if (open_device(pol, pol->devices.v[i], b, e) < 0) {
			lj_binds_close(b);
			return -1;
		}
	/* A path after the paths above it (a prefix sorts first), so that
	 * nothing bound hides what is bound below it. */
	qsort(b->v, b->n, sizeof(b->v[0]), by_target);
	return 0;
}

void lj_binds_close(struct lj_binds *b)
{
	for (size_t i = 0; i < b->n; i++)
		close(b->v[i].tree);
	b->n = 0;
}
