/* Audit events: one structured log record per step of a sandbox's life, in
 * one format for the module, the helper and loginjail-init (man
 * loginjail-events(7) documents them for log collection).
 *
 * Where journald runs (its socket /run/systemd/journal/socket exists) a
 * record is one datagram of the journal's native protocol: KEY=value lines
 * with MESSAGE_ID, MESSAGE, PRIORITY, SYSLOG_FACILITY=10 (authpriv),
 * SYSLOG_IDENTIFIER=loginjail and LOGINJAIL_* fields. Elsewhere it is one
 * RFC 3164 line on /dev/log, facility authpriv:
 *   loginjail: event=join user=alice uid=1001 service=sshd ... reason="..."
 *
 * Not libsystemd's sd_journal_send: the helper does not link libsystemd (the
 * dynamic linking costs every login 2 ms; cgroup-systemd.c dlopens it on
 * systemd hosts only), the module may not pull a library into every PAM
 * application, and loginjail-init lives in a jail without the journal's
 * socket: sd_journal_send addresses that socket by path at every call,
 * while the init can only use a socket connected before pivot_root. So
 * every part writes to a datagram socket it connected itself (lj_log_open),
 * in the protocol the peer speaks. */
#ifndef LJ_AUDIT_H
#define LJ_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

enum lj_audit_event {
	LJ_AUDIT_CREATE,   /* a sandbox was built (loginjail-init, at its start) */
	LJ_AUDIT_JOIN,	   /* a session entered a sandbox (loginjail-init) */
	LJ_AUDIT_LEAVE,	   /* a session ended (its caller exited, or a stop) */
	LJ_AUDIT_TEARDOWN, /* a sandbox ended: everything in it killed, removed */
	LJ_AUDIT_REFUSE,   /* a login that policy sandboxes did not get its sandbox */
	LJ_AUDIT_LIMIT,	   /* the memory limit OOM-killed, or pids_max refused a fork */
	LJ_AUDIT_COUNT,
};

struct lj_audit {
	enum lj_audit_event event;
	const char *user;
	int64_t uid; /* -1: unknown */
	/* The session (struct lj_ctl_session): PAM service, tty, remote host,
	 * and the session's id, its caller's pid on the host (0: none). */
	const char *service, *tty, *rhost;
	int64_t session;
	const char *sandbox; /* the state directory's name, user-UID... */
	const char *limit;   /* LJ_AUDIT_LIMIT: "memory" or "pids" */
	uint64_t count;	     /* LJ_AUDIT_LIMIT: the kernel's counter, now */
	const char *reason;
	int priority; /* LOG_*; 0: the event's own */
};

/* A datagram socket to the host's log, and which protocol it speaks. */
struct lj_log {
	int fd; /* -1: none (nothing is logged) */
	bool journal;
};
/* Connect to journald's native socket if there is one, else /dev/log. */
void lj_log_open(struct lj_log *l);
/* The same from a socket connected earlier (the init's, across its exec). */
void lj_log_adopt(struct lj_log *l, int fd);
void lj_log_close(struct lj_log *l);
/* A plain message (IDENT: the program), facility authpriv. */
void lj_log_text(const struct lj_log *l, int priority, const char *ident, const char *msg);
/* One audit event. */
void lj_audit(const struct lj_log *l, const struct lj_audit *a);
/* Fill A's session fields from S. */
void lj_audit_session(struct lj_audit *a, const struct lj_ctl_session *s);
/* The event's name (event=) and its journal MESSAGE_ID. */
const char *lj_audit_name(enum lj_audit_event ev);
const char *lj_audit_message_id(enum lj_audit_event ev);

#endif
