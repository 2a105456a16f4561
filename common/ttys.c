/* Ending what holds a session caller's terminal (ttys.h). */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>

#include "ttys.h"
#include "util.h"

/* Scans of /proc before giving up on a holder that keeps coming back (one
 * forking faster than it is killed: its pids_max ends that). */
#define KILL_ROUNDS 100

static bool tty_in(const struct stat *st, const struct lj_tty *ttys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ttys[i].dev == st->st_dev && ttys[i].ino == st->st_ino)
			return true;
	return false;
}

/* Whether PID's controlling terminal is one of the terminals and its
 * session's leader is outside the sandbox (session 0 in its /proc). */
static bool ctty_in(int proc, const char *pid, const struct lj_tty *ttys, size_t n)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "%s/stat", pid);
	cleanup_close int fd = openat(proc, path, O_RDONLY | O_CLOEXEC);
	ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (len <= 0)
		return false;
	buf[len] = '\0';
	/* "PID (COMM) STATE PPID PGRP SESSION TTY_NR ...": COMM may hold
	 * anything, so start after its last ')'. */
	const char *p = strrchr(buf, ')');
	int ppid, pgrp, session, tty_nr;
	if (!p || sscanf(p + 1, " %*c %d %d %d %d", &ppid, &pgrp, &session, &tty_nr) != 4 ||
	    session != 0 || tty_nr == 0)
		return false;
	/* tty_nr is the kernel's encoding of a device number. */
	unsigned nr = (unsigned)tty_nr;
	dev_t rdev = makedev((nr >> 8) & 0xfff, (nr & 0xff) | ((nr >> 12) & 0xfff00));
	for (size_t i = 0; i < n; i++)
		if (ttys[i].rdev == (uint64_t)rdev)
			return true;
	return false;
}

static void add_tty(int fd, uid_t uid, struct lj_tty *out, size_t *n)
{
	struct stat st;
	struct termios t;
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_uid == uid ||
	    tcgetattr(fd, &t) < 0 || tty_in(&st, out, *n) || *n >= LJ_TTYS_MAX)
		return;
	out[(*n)++] = (struct lj_tty){st.st_dev, st.st_ino, st.st_rdev};
}

size_t lj_caller_ttys(int pidfd, uid_t uid, struct lj_tty out[LJ_TTYS_MAX])
{
	size_t n = 0;
	for (int fd = 0; fd < 3; fd++) {
		if (pidfd < 0) {
			add_tty(fd, uid, out, &n);
			continue;
		}
		cleanup_close int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		if (copy >= 0)
			add_tty(copy, uid, out, &n);
	}
	return n;
}

/* Whether process PID (a directory of /proc) holds one of the terminals. */
static bool holds(int proc, const char *pid, const struct lj_tty *ttys, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "%s/fd", pid);
	int fdd = openat(proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fdd < 0 ? NULL : fdopendir(fdd);
	if (!d) {
		if (fdd >= 0)
			close(fdd);
		return false;
	}
	bool found = false;
	struct stat st;
	for (struct dirent *de; !found && (de = readdir(d));)
		found = de->d_name[0] != '.' && fstatat(dirfd(d), de->d_name, &st, 0) == 0 &&
			tty_in(&st, ttys, n);
	closedir(d);
	return found;
}

int lj_kill_tty_holders(const struct lj_tty *ttys, size_t n)
{
	int killed = 0;
	if (n == 0)
		return 0;
	cleanup_close int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0)
		return -1;
	for (int round = 0; round < KILL_ROUNDS; round++) {
		int found = 0;
		DIR *d = fdopendir(fcntl(proc, F_DUPFD_CLOEXEC, 0));
		if (!d)
			return -1;
		for (struct dirent *de; (de = readdir(d));) {
			if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
			    (!holds(proc, de->d_name, ttys, n) &&
			     !ctty_in(proc, de->d_name, ttys, n)))
				continue;
			/* By a descriptor of its /proc directory: the pid is of the
			 * namespace /proc shows, which need not be ours. */
			int pidfd = openat(proc, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (pidfd >= 0 &&
			    syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) == 0)
				found++;
			if (pidfd >= 0)
				close(pidfd);
		}
		closedir(d);
		if (found == 0)
			return killed;
		killed += found;
		/* Let them die (a killed process drops its descriptors at exit),
		 * then look again: one may have forked or passed the terminal on. */
		nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
	}
	return killed;
}
