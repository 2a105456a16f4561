/* The sandbox's user namespace, made by root (SECURITY.md rule 5; DESIGN.md
 * "Why uid 0 is mapped"). A member process is born in it (clone with
 * CLONE_NEWUSER); the helper writes its uid_map "0 0 1" + "UID UID 1" and a
 * gid_map of root, tty and the user's groups, keeps a descriptor of the
 * namespace, and lets the member go on: it sets max_user_namespaces to 0
 * inside, so nested user namespaces are refused, and exits. The member
 * shares the helper's memory (CLONE_VM: nothing to copy) and runs on a stack
 * of its own; it makes system calls only. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "helper.h"
#include "util.h"

#define TTY_GID 5

static int write_at(const char *path, const char *buf, struct lj_err *e)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf))
		return lj_fail_errno(e, "cannot write %s", path);
	return 0;
}

static bool seen(const gid_t *v, size_t n, gid_t g)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == g)
			return true;
	return false;
}

/* What the member reads: set before the clone and never changed after it
 * (the helper's own struct lj_userns is, as it closes descriptors). */
static struct {
	int go_read, go_write, proc_sys;
} mb;

static int member(void *arg)
{
	char c = 0;
	close(mb.go_write); /* our copy: the helper's close must reach us as EOF */
	/* "M" once mapped; EOF if the helper gave up. Looked up from inside
	 * the new user namespace, so it is that namespace's knob. */
	if (read(mb.go_read, &c, 1) != 1 || c != 'M')
		_exit(2);
	int fd = openat(mb.proc_sys, "user/max_user_namespaces", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(3);
	_exit(0);
}

int lj_userns_create(struct lj_userns *un, const struct lj_user *u, struct lj_err *e)
{
	static char stack[16384] __attribute__((aligned(16)));
	char path[64];

	un->member = -1;
	un->fd = -1;
	un->mapped = false;
	un->go[0] = un->go[1] = -1;
	un->proc_sys = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (un->proc_sys < 0 || pipe2(un->go, O_CLOEXEC) < 0)
		return lj_fail_errno(e, "cannot prepare the user namespace");
	mb.go_read = un->go[0];
	mb.go_write = un->go[1];
	mb.proc_sys = un->proc_sys;
	un->member = clone(member, stack + sizeof(stack), CLONE_VM | CLONE_NEWUSER | SIGCHLD, NULL);
	if (un->member < 0)
		return lj_fail_errno(e, "cannot create a user namespace (is "
					"user.max_user_namespaces 0 on the host?)");
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)un->member);
	un->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (un->fd < 0)
		return lj_fail_errno(e, "cannot open %s", path);

	int pid = un->member;
	char map[8192];
	snprintf(map, sizeof(map), "0 0 1\n%u %u 1\n", (unsigned)u->uid, (unsigned)u->uid);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	if (write_at(path, map, e) < 0)
		return -1;

	/* gid_map: root, tty, then each group of the user once; the kernel
	 * takes at most 340 lines. */
	gid_t done[LJ_MAX_GROUPS + 2] = {0, TTY_GID};
	size_t ndone = 2;
	int len = snprintf(map, sizeof(map), "0 0 1\n%u %u 1\n", TTY_GID, TTY_GID);
	for (size_t i = 0; i < u->ngroups; i++) {
		if (seen(done, ndone, u->gids[i]))
			continue;
		if (ndone >= 340 || (size_t)len + 32 >= sizeof(map)) {
			lj_fail(e, "user %s is in too many groups to map (at most 338)", u->name);
			return -1;
		}
		done[ndone++] = u->gids[i];
		len += snprintf(map + len, sizeof(map) - len, "%u %u 1\n", (unsigned)u->gids[i],
				(unsigned)u->gids[i]);
	}
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	if (write_at(path, map, e) < 0)
		return -1;
	if (write(un->go[1], "M", 1) != 1)
		return lj_fail_errno(e, "cannot wake the user namespace's member");
	un->mapped = true;
	return 0;
}

int lj_userns_finish(struct lj_userns *un, struct lj_err *e)
{
	int status = -1;
	if (un->member > 0) {
		/* Not mapped: it must not go on, nor keep our descriptors. */
		if (!un->mapped)
			kill(un->member, SIGKILL);
		while (waitpid(un->member, &status, 0) < 0 && errno == EINTR)
			;
		un->member = -1;
	}
	for (int i = 0; i < 2; i++)
		if (un->go[i] >= 0)
			close(un->go[i]);
	if (un->proc_sys >= 0)
		close(un->proc_sys);
	un->go[0] = un->go[1] = un->proc_sys = -1;
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		if (un->fd >= 0)
			close(un->fd);
		un->fd = -1;
		return lj_fail(e,
			       "could not set max_user_namespaces=0 in the sandbox's user "
			       "namespace (member status %d)",
			       status);
	}
	return 0;
}
