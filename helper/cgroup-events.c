/* The counters of limit hits that loginjail-init turns into audit events
 * (cgroup.h). Measured on Linux 6.18:
 *   cgroup v2: memory.events (oom_kill) and pids.events (max) of the user's
 *       cgroup, where the limits are; the kernel signals a change of either
 *       file to inotify as IN_MODIFY (cgroup-v2.rst, "modified events").
 *   cgroup v1: the OOM kill is counted in the victim's own memory cgroup,
 *       the refused fork in the forking process's pids cgroup: the
 *       sandbox's leaf, memory.oom_control (oom_kill) and pids.events (max).
 *       Neither file is signalled to inotify. The OOM is signalled to an
 *       eventfd registered through cgroup.event_control, on the leaf too (the
 *       kernel notifies the whole subtree of the cgroup that ran out), and
 *       before the kill is counted: the init reads again for a moment
 *       after. A refused fork is not signalled at all: it is seen at the
 *       init's next wakeup (a join, a leave, an OOM). (The kernel logs once
 *       that v1's oom_control is deprecated: v1's memory controller is.)
 * The files are opened on the host's hierarchies (the init's descriptors
 * from lj_cgroup_fds); inotify takes a path, so it watches the open file
 * through /proc/self/fd (the jail has its own /proc). */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>

#include "cgroup-internal.h"
#include "util.h"

static int open_counter(struct lj_cgroup *cg, const struct cg_counter *c)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", c->at_user ? cg->user : cg->leaf, c->file);
	return c->hier ? openat(cg_fd(c->hier), path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
}

/* v1: an eventfd that the kernel signals when the memory cgroup of the
 * open memory.oom_control OOFD (or an ancestor) runs out of memory. */
static int oom_eventfd(struct lj_cgroup *cg, const struct cg_counter *c, int oofd)
{
	char path[512], line[64];
	snprintf(path, sizeof(path), "%s/cgroup.event_control", cg->leaf);
	cleanup_close int ctl = openat(cg_fd(c->hier), path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	int efd = ctl < 0 ? -1 : eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		return -1;
	snprintf(line, sizeof(line), "%d %d", efd, oofd);
	if (write(ctl, line, strlen(line)) != (ssize_t)strlen(line)) {
		close(efd);
		return -1;
	}
	return efd;
}

static int inotify_watch(const int *fds)
{
	int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	int watched = 0;
	for (size_t i = 0; in >= 0 && i < LJ_CGROUP_HITS; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[i]);
		if (fds[i] >= 0 && inotify_add_watch(in, path, IN_MODIFY) >= 0)
			watched++;
	}
	if (in >= 0 && watched == 0) {
		close(in);
		in = -1;
	}
	return in;
}

void lj_cgroup_hits_open(struct lj_cgroup *cg, struct lj_cgroup_hits *h)
{
	for (size_t i = 0; i < LJ_CGROUP_HITS; i++)
		h->fd[i] = open_counter(cg, &cg->ops->hits[i]);
	h->watch = -1;
	h->early = cg->ops->hits_eventfd;
	if (cg->ops->hits_eventfd && h->fd[LJ_CGROUP_HIT_OOM] >= 0)
		h->watch = oom_eventfd(cg, &cg->ops->hits[LJ_CGROUP_HIT_OOM],
				       h->fd[LJ_CGROUP_HIT_OOM]);
	else if (!cg->ops->hits_eventfd)
		h->watch = inotify_watch(h->fd);
	lj_cgroup_hits_read(h, h->n);
}

void lj_cgroup_hits_read(struct lj_cgroup_hits *h, int64_t *now)
{
	char buf[1024];
	while (h->watch >= 0 && read(h->watch, buf, sizeof(buf)) > 0)
		;
	static const char *const keys[LJ_CGROUP_HITS] = {"oom_kill", "max"};
	for (size_t i = 0; i < LJ_CGROUP_HITS; i++) {
		ssize_t n = h->fd[i] < 0 ? -1 : pread(h->fd[i], buf, sizeof(buf) - 1, 0);
		now[i] = -1;
		if (n <= 0)
			continue;
		buf[n] = '\0';
		size_t klen = strlen(keys[i]);
		for (char *line = buf; line;
		     line = strchr(line, '\n'), line = line ? line + 1 : NULL)
			if (strncmp(line, keys[i], klen) == 0 && line[klen] == ' ')
				sscanf(line + klen + 1, "%" SCNd64, &now[i]);
	}
}
