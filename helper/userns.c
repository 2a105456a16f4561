/* The sandbox's user namespace, made by root (SECURITY.md rule 5; DESIGN.md
 * "Why uid 0 is mapped"): a root process, the member, unshares it (the
 * helper's intermediate child, once it has forked the sandbox's init, so no
 * extra process is needed); the helper writes uid_map "0 0 1" + "UID UID 1"
 * and a gid_map of root, tty and the user's groups; the member sets
 * max_user_namespaces to 0 inside, so nested user namespaces are refused,
 * and exits. The descriptor the helper keeps holds the namespace alive. */
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

void lj_userns_member(const struct lj_userns_sync *s)
{
	char c = 'U';
	if (unshare(CLONE_NEWUSER) < 0)
		_exit(1);
	if (write(s->up[1], &c, 1) != 1 || read(s->down[0], &c, 1) != 1 || c != 'M')
		_exit(2);
	/* Looked up now, from inside the new user namespace, so it is that
	 * namespace's knob; relative to a descriptor taken before the init
	 * (same mount namespace) pivoted the root away. */
	int fd = openat(s->proc_sys, "user/max_user_namespaces", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(3);
	_exit(0);
}

int lj_userns_sync_init(struct lj_userns_sync *s, struct lj_err *e)
{
	s->up[0] = s->up[1] = s->down[0] = s->down[1] = -1;
	s->proc_sys = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (s->proc_sys < 0 || pipe2(s->up, O_CLOEXEC) < 0 || pipe2(s->down, O_CLOEXEC) < 0) {
		lj_userns_sync_close(s);
		return lj_fail_errno(e, "pipe");
	}
	return 0;
}

void lj_userns_sync_close(struct lj_userns_sync *s)
{
	for (int i = 0; i < 2; i++) {
		if (s->up[i] >= 0)
			close(s->up[i]);
		if (s->down[i] >= 0)
			close(s->down[i]);
		s->up[i] = s->down[i] = -1;
	}
	if (s->proc_sys >= 0)
		close(s->proc_sys);
	s->proc_sys = -1;
}

int lj_userns_map(pid_t pid, struct lj_userns_sync *s, const struct lj_user *u, struct lj_err *e)
{
	int nsfd = -1, ret = -1;
	char c = 0, path[64];

	/* Only the member's ends stay open there: EOF means it died. */
	close(s->up[1]);
	close(s->down[0]);
	s->up[1] = s->down[0] = -1;
	if (read(s->up[0], &c, 1) != 1 || c != 'U') {
		lj_fail(e, "could not create a user namespace (is user.max_user_namespaces 0 "
			   "on the host?)");
		goto out;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		lj_fail_errno(e, "cannot open %s", path);
		goto out;
	}

	char map[8192];
	snprintf(map, sizeof(map), "0 0 1\n%u %u 1\n", (unsigned)u->uid, (unsigned)u->uid);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	if (write_at(path, map, e) < 0)
		goto out;

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
			goto out;
		}
		done[ndone++] = u->gids[i];
		len += snprintf(map + len, sizeof(map) - len, "%u %u 1\n", (unsigned)u->gids[i],
				(unsigned)u->gids[i]);
	}
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	if (write_at(path, map, e) < 0)
		goto out;
	c = 'M';
	if (write(s->down[1], &c, 1) != 1) {
		lj_fail_errno(e, "user namespace child");
		goto out;
	}
	ret = 0;
out:;
	int status = 0;
	if (ret < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ret == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		lj_fail(e,
			"could not set max_user_namespaces=0 in the sandbox's user namespace "
			"(child status %d)",
			status);
		ret = -1;
	}
	if (ret < 0) {
		if (nsfd >= 0)
			close(nsfd);
		return -1;
	}
	return nsfd;
}
