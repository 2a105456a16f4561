/* lj_walk_open: see walk.h. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "walk.h"

static int fault(struct lj_walk *w, enum lj_walk_fault f, int err, uid_t owner)
{
	w->fault = f;
	w->err = err;
	w->owner = owner;
	return -1;
}

/* May names in the directory FD (at W->at) be trusted? */
static int check_dir(int fd, uid_t owner, unsigned flags, struct lj_walk *w)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return fault(w, LJ_WALK_ERRNO, errno, 0);
	if (S_ISLNK(st.st_mode))
		return fault(w, LJ_WALK_LINK, 0, 0);
	if (!S_ISDIR(st.st_mode))
		return fault(w, LJ_WALK_NOT_DIR, 0, 0);
	if (st.st_uid != 0 && st.st_uid != owner)
		return fault(w, LJ_WALK_OWNER, 0, st.st_uid);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
	    !((flags & LJ_WALK_STICKY_OK) && (st.st_mode & S_ISVTX)))
		return fault(w, LJ_WALK_WRITABLE, 0, st.st_uid);
	return 0;
}

int lj_walk_open(int dirfd, const char *base, const char *rel, uid_t owner, unsigned flags,
		 struct lj_walk *w)
{
	cleanup_close int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	snprintf(w->at, sizeof(w->at), "%s", *base ? base : "/");
	if (fd < 0)
		return fault(w, LJ_WALK_ERRNO, errno, 0);
	const char *p = rel;
	for (;;) {
		while (*p == '/')
			p++;
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		char name[NAME_MAX + 1];
		if (n == 0)
			return lj_steal_fd(&fd);
		if (check_dir(fd, owner, flags, w) < 0)
			return -1;
		size_t at = strlen(w->at);
		snprintf(w->at + at, sizeof(w->at) - at, "%s%.*s", at > 1 ? "/" : "", (int)n, p);
		if (n > NAME_MAX)
			return fault(w, LJ_WALK_ERRNO, ENAMETOOLONG, 0);
		memcpy(name, p, n);
		name[n] = '\0';
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			return fault(w, LJ_WALK_DOTS, 0, 0);
		int next = openat(fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return fault(w, LJ_WALK_ERRNO, errno, 0);
		close(fd);
		fd = next;
		struct stat st;
		if (fstat(fd, &st) < 0)
			return fault(w, LJ_WALK_ERRNO, errno, 0);
		if (S_ISLNK(st.st_mode))
			return fault(w, LJ_WALK_LINK, 0, 0);
		p = end;
	}
}

const char *lj_walk_describe(const struct lj_walk *w, char *buf, size_t len)
{
	switch (w->fault) {
	case LJ_WALK_ERRNO:
		snprintf(buf, len, "cannot open %s: %s", w->at, strerror(w->err));
		break;
	case LJ_WALK_DOTS:
		snprintf(buf, len, "%s has a . or .. component", w->at);
		break;
	case LJ_WALK_LINK:
		snprintf(buf, len, "%s is a symbolic link", w->at);
		break;
	case LJ_WALK_NOT_DIR:
		snprintf(buf, len, "%s is not a directory", w->at);
		break;
	case LJ_WALK_OWNER:
		snprintf(buf, len, "%s is owned by uid %u", w->at, (unsigned)w->owner);
		break;
	case LJ_WALK_WRITABLE:
		snprintf(buf, len, "%s is writable by its group or others", w->at);
		break;
	}
	return buf;
}
