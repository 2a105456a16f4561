/* The host's utmp and wtmp for a sandbox's logins, so that `who`, `w` and
 * `last` on the host show them like any other.
 *
 * sshd and login write their login records once the PAM session is open,
 * that is from inside the sandbox. The host's files are not there: giving
 * them to the jail would put a writable file of the host's in it. The jail
 * has records of its own instead (jail.c make_run: /run/utmp, /run/wtmp),
 * which only root inside (sshd's monitor, login) can write, and the init,
 * told of each change by inotify, copies what they say to the host's files,
 * which the helper opened on the host and handed over (LJ_INIT_FD_UTMP,
 * LJ_INIT_FD_WTMP). What is copied is the sandbox user's own logins and
 * their ends, nothing else, its strings made printable. The jail's records
 * are read as the array of struct utmpx they are (under the lock glibc's
 * writers take); the host's are written with glibc's functions, on the
 * descriptors through /proc/self/fd (the jail's /proc: the init is PID 1
 * there), so that they lock and lay out the records as every other program.
 *
 * On the host a record's line is the jail's, under the sandbox's name
 * ("lj1001/pts/0": the jail's pts/0 is not the host's), and its id is 'J'
 * and three characters hashed from that line (ids are four bytes; a
 * collision with another sandbox's id would replace that record's line in
 * `who`, 1 in 262144 per pair). A record's end is written when the jail's
 * says so, or at teardown for what is still open (sshd killed). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/time.h>
#include <utmpx.h>

#include "ctlmsg.h"
#include "helper.h"
#include "init.h"

#define MAX_RECORDS 256

static uid_t relay_uid;
static const char *relay_user;

int lj_utmp_watch(uid_t uid, const char *user)
{
	relay_uid = uid;
	relay_user = user;
	if (fcntl(LJ_INIT_FD_UTMP, F_GETFD) < 0 && fcntl(LJ_INIT_FD_WTMP, F_GETFD) < 0)
		return -1;
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd >= 0 && (inotify_add_watch(fd, LJ_JAIL_UTMP, IN_MODIFY) < 0 ||
			inotify_add_watch(fd, LJ_JAIL_WTMP, IN_MODIFY) < 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The records of the jail's file PATH, under a lock; with TRUNCATE, the
 * file is emptied once read (wtmp: what was copied goes). */
static size_t read_records(const char *path, struct utmpx *v, bool truncate)
{
	int fd = open(path, (truncate ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct flock lk = {.l_type = truncate ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET};
	size_t n = 0;
	if (fcntl(fd, F_SETLKW, &lk) == 0) {
		ssize_t got = pread(fd, v, MAX_RECORDS * sizeof(*v), 0);
		n = got > 0 ? (size_t)got / sizeof(*v) : 0;
		/* Only when there was something: the truncation is a change
		 * of its own, which must not wake us again and again. */
		if (truncate && n > 0 && ftruncate(fd, 0) < 0)
			n = 0;
	}
	close(fd); /* and the lock */
	return n;
}

/* The host's record for the jail's R (its line and id), or false when R is
 * not one to copy. */
static bool host_record(const struct utmpx *r, struct utmpx *h)
{
	if (r->ut_type != USER_PROCESS && r->ut_type != DEAD_PROCESS)
		return false;
	if (r->ut_type == USER_PROCESS && strncmp(r->ut_user, relay_user, sizeof(r->ut_user)) != 0)
		return false;
	char line[sizeof(r->ut_line) + 1] = "";
	memcpy(line, r->ut_line, sizeof(r->ut_line));
	if (!line[0])
		return false;
	*h = (struct utmpx){.ut_type = r->ut_type, .ut_pid = r->ut_pid, .ut_tv = r->ut_tv};
	/* ut_line is not NUL-terminated when full: print it through a copy. */
	struct lj_ctl_session clean = {0};
	snprintf(clean.tty, sizeof(clean.tty), "lj%u/%s", (unsigned)relay_uid, line);
	memcpy(clean.rhost, r->ut_host,
	       sizeof(r->ut_host) < sizeof(clean.rhost) ? sizeof(r->ut_host)
							: sizeof(clean.rhost) - 1);
	lj_ctl_session_clean(&clean);
	strncpy(h->ut_line, clean.tty, sizeof(h->ut_line));
	if (r->ut_type == USER_PROCESS) {
		strncpy(h->ut_user, relay_user, sizeof(h->ut_user));
		strncpy(h->ut_host, clean.rhost, sizeof(h->ut_host));
		memcpy(h->ut_addr_v6, r->ut_addr_v6, sizeof(h->ut_addr_v6));
	}
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t hash = 2166136261u; /* FNV-1a */
	for (const char *c = clean.tty; *c; c++)
		hash = (hash ^ (uint8_t)*c) * 16777619u;
	h->ut_id[0] = 'J';
	for (int i = 1; i < 4; i++, hash >>= 6)
		h->ut_id[i] = b64[hash & 63];
	return true;
}

static bool host_path(int fd, char *path, size_t len)
{
	if (fcntl(fd, F_GETFD) < 0)
		return false;
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return true;
}

/* Write H to the host's utmp: a login, or the end of one of ours (same id
 * and line, open); true when it was written. */
static bool put_utmp(struct utmpx *h)
{
	char path[32];
	if (!host_path(LJ_INIT_FD_UTMP, path, sizeof(path)) || utmpxname(path) < 0)
		return false;
	setutxent();
	struct utmpx key = {.ut_type = h->ut_type};
	memcpy(key.ut_id, h->ut_id, sizeof(key.ut_id));
	struct utmpx *had = getutxid(&key);
	bool open = had && had->ut_type == USER_PROCESS &&
		    strncmp(had->ut_line, h->ut_line, sizeof(h->ut_line)) == 0;
	bool put = false;
	if (h->ut_type == USER_PROCESS && !(open && had->ut_pid == h->ut_pid))
		put = pututxline(h) != NULL;
	else if (h->ut_type == DEAD_PROCESS && open)
		put = pututxline(h) != NULL;
	endutxent();
	return put;
}

static void put_wtmp(const struct utmpx *h)
{
	char path[32];
	if (host_path(LJ_INIT_FD_WTMP, path, sizeof(path)))
		updwtmpx(path, h);
}

void lj_utmp_sync(int inotify_fd, bool ending)
{
	char ev[4096];
	while (inotify_fd >= 0 && read(inotify_fd, ev, sizeof(ev)) > 0)
		;
	static struct utmpx v[MAX_RECORDS];
	struct utmpx h;
	/* wtmp: each login and logout once, as the jail recorded them. */
	size_t n = read_records(LJ_JAIL_WTMP, v, true);
	for (size_t i = 0; i < n; i++) {
		if (!host_record(&v[i], &h))
			continue;
		if (h.ut_type == DEAD_PROCESS) {
			/* A logout in wtmp is a record with no user. */
			memset(h.ut_user, 0, sizeof(h.ut_user));
			memset(h.ut_host, 0, sizeof(h.ut_host));
		}
		put_wtmp(&h);
	}
	/* utmp: who is on now. At teardown every login still open ends. */
	n = read_records(LJ_JAIL_UTMP, v, false);
	for (size_t i = 0; i < n; i++) {
		if (!host_record(&v[i], &h))
			continue;
		if (ending && h.ut_type == USER_PROCESS) {
			struct timeval tv;
			gettimeofday(&tv, NULL);
			h.ut_type = DEAD_PROCESS;
			h.ut_tv.tv_sec = (int32_t)tv.tv_sec;
			h.ut_tv.tv_usec = (int32_t)tv.tv_usec;
			memset(h.ut_user, 0, sizeof(h.ut_user));
			memset(h.ut_host, 0, sizeof(h.ut_host));
			if (put_utmp(&h))
				put_wtmp(&h);
			continue;
		}
		put_utmp(&h);
	}
}
