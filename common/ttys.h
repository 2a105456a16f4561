/* The terminal of whoever ran su or runuser must not stay in the sandbox
 * after the session: a process started in the session (setsid -f, nohup)
 * that kept it would read what root types next. Linux cannot revoke a
 * descriptor, and a hangup (vhangup) would end root's shell too: the
 * processes of the sandbox that still hold such a terminal are killed when
 * the session ends. */
#ifndef LJ_TTYS_H
#define LJ_TTYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A terminal, by its inode (two devpts instances may both have a pts/3),
 * and its device number (what /proc/PID/stat shows of a controlling
 * terminal). */
struct lj_tty {
	uint64_t dev, ino, rdev;
};
#define LJ_TTYS_MAX 3

/* The terminals on fds 0-2 of the process behind PIDFD (-1: the calling
 * process) that UID does not own (root's, when root ran su): into OUT,
 * returns how many. */
size_t lj_caller_ttys(int pidfd, uid_t uid, struct lj_tty out[LJ_TTYS_MAX]);
/* Kill (SIGKILL) every process in /proc, as the caller's mount namespace
 * shows it (the sandbox's), that holds one of the N terminals: a
 * descriptor of it, or it as its controlling terminal in a session whose
 * leader is not in the sandbox (the session of the shell that ran su, which
 * su's child stays in without -c). Scans until none is left. Returns the
 * number of kills sent, or -1 when /proc cannot be read. */
int lj_kill_tty_holders(const struct lj_tty *ttys, size_t n);

#endif
