/* Opening a path that others might be able to change, without ever following
 * a symbolic link (SECURITY.md rule 10): one component at a time, openat with
 * O_PATH|O_NOFOLLOW, and fstat of every directory before a name in it is
 * trusted. The descriptor it returns is what the caller mounts, so a rename
 * after the check changes nothing. Used for the home (helper/home.c), the
 * policy's bind paths (helper/binds.c) and by loginjailctl check. */
#ifndef LJ_WALK_H
#define LJ_WALK_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

/* A directory with the sticky bit may be writable by others (/home's
 * parents, as in /var/home on some hosts); without it, it may not. */
#define LJ_WALK_STICKY_OK 1u

enum lj_walk_fault {
	LJ_WALK_ERRNO,	  /* cannot open it: errno in err */
	LJ_WALK_DOTS,	  /* a . or .. component */
	LJ_WALK_LINK,	  /* a symbolic link */
	LJ_WALK_NOT_DIR,  /* a directory is needed there */
	LJ_WALK_OWNER,	  /* owned by uid owner, neither root nor the one allowed */
	LJ_WALK_WRITABLE, /* writable by its group or others */
};

struct lj_walk {
	enum lj_walk_fault fault;
	int err;
	uid_t owner;
	char at[PATH_MAX]; /* the path up to the component at fault ("/" for the start) */
};

/* Open REL (its leading '/' are skipped) below the directory DIRFD, whose
 * path is BASE ("" for /), as O_PATH. Every directory a name is looked up in,
 * DIRFD included, must be owned by root or OWNER and not writable by group or
 * others (see LJ_WALK_STICKY_OK); the last component may be anything but a
 * symbolic link: its owner and mode are the caller's to judge. Returns the
 * descriptor, or -1 with w filled. */
int lj_walk_open(int dirfd, const char *base, const char *rel, uid_t owner, unsigned flags,
		 struct lj_walk *w);
/* "/srv/ta is owned by uid 1003" and the like, into BUF. */
const char *lj_walk_describe(const struct lj_walk *w, char *buf, size_t len);

#endif
