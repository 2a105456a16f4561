/* Audit events and plain log lines, in journald's native protocol or as
 * RFC 3164 syslog lines (audit.h says why not sd_journal_send). */
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>

#include "audit.h"
#include "util.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define SYSLOG_SOCKET "/dev/log"
#define IDENT "loginjail"
/* Under RFC 3164's 1024 bytes a line, and any syslog daemon's datagram. */
#define RECORD_MAX 2048

/* man/loginjail-events.7 lists them: never change one. */
static const struct {
	const char *name, *message_id;
	int priority;
} events[LJ_AUDIT_COUNT] = {
	[LJ_AUDIT_CREATE] = {"create", "c969bded959e4bd6ac6c444226531568", LOG_INFO},
	[LJ_AUDIT_JOIN] = {"join", "8f7158b605474472819e8b385466f14e", LOG_INFO},
	[LJ_AUDIT_LEAVE] = {"leave", "1dbacc47503144e9b80dd9447d39cf3c", LOG_INFO},
	[LJ_AUDIT_TEARDOWN] = {"teardown", "73915d81bdd8452bb19e3a77344131fa", LOG_INFO},
	[LJ_AUDIT_REFUSE] = {"refuse", "86c6562dffbc4817ad8994fd96655d17", LOG_NOTICE},
	[LJ_AUDIT_LIMIT] = {"limit", "f16610093b954773ac8e7bd0ad453b50", LOG_WARNING},
};

const char *lj_audit_name(enum lj_audit_event ev)
{
	return events[ev].name;
}

const char *lj_audit_message_id(enum lj_audit_event ev)
{
	return events[ev].message_id;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0 && connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(s);
		s = -1;
	}
	return s;
}

void lj_log_open(struct lj_log *l)
{
	l->fd = connect_to(JOURNAL_SOCKET);
	l->journal = l->fd >= 0;
	if (l->fd < 0)
		l->fd = connect_to(SYSLOG_SOCKET);
}

void lj_log_adopt(struct lj_log *l, int fd)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa);
	l->fd = fd;
	l->journal = fd >= 0 && getpeername(fd, (struct sockaddr *)&sa, &len) == 0 &&
		     len > offsetof(struct sockaddr_un, sun_path) &&
		     strncmp(sa.sun_path, JOURNAL_SOCKET,
			     len - offsetof(struct sockaddr_un, sun_path)) == 0;
}

void lj_log_close(struct lj_log *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

/* A record under construction: what does not fit is cut. */
struct rec {
	char b[RECORD_MAX];
	size_t n;
};

__attribute__((format(printf, 2, 3))) static void put(struct rec *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(r->b + r->n, sizeof(r->b) - r->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		r->n += (size_t)k < sizeof(r->b) - r->n ? (size_t)k : sizeof(r->b) - 1 - r->n;
}

/* V as printable ASCII: anything else (a newline too) becomes '?'. In
 * syslog, QUOTE: in double quotes, with " and \ escaped, unless V is
 * non-empty and all of [A-Za-z0-9._:/@+-]. */
static void put_value(struct rec *r, const char *v, bool quote)
{
	v = v ? v : "";
	bool bare = !quote || *v;
	for (const char *p = v; bare && *p; p++)
		bare = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/@+-",
			      *p) != NULL;
	quote = quote && !bare;
	if (quote)
		put(r, "\"");
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		char c = *p < 0x20 || *p >= 0x7f ? '?' : (char)*p;
		if (quote && (c == '"' || c == '\\'))
			put(r, "\\%c", c);
		else
			put(r, "%c", c);
	}
	if (quote)
		put(r, "\"");
}

/* KEY=VALUE: a journal field (a line) or a syslog pair. */
static void field(struct rec *r, const struct lj_log *l, const char *key, const char *v)
{
	if (l->journal) {
		put(r, "%s=", key);
		put_value(r, v, false);
		put(r, "\n");
	} else {
		put(r, " ");
		for (const char *k = key + strlen("LOGINJAIL_"); *k; k++)
			put(r, "%c", *k - 'A' + 'a');
		put(r, "=");
		put_value(r, v, true);
	}
}

static void header(struct rec *r, const struct lj_log *l, int priority, const char *ident)
{
	if (l->journal) {
		put(r, "PRIORITY=%d\nSYSLOG_FACILITY=%d\nSYSLOG_IDENTIFIER=%s\n", priority,
		    LOG_AUTHPRIV >> 3, ident);
		return;
	}
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", localtime_r(&t, &tm));
	put(r, "<%d>%s %s:", LOG_AUTHPRIV | priority, stamp, ident);
}

static void send_rec(const struct lj_log *l, struct rec *r)
{
	/* A log that is full or gone must not hold up a login or the init. */
	send(l->fd, r->b, r->n, MSG_DONTWAIT | MSG_NOSIGNAL);
}

void lj_log_text(const struct lj_log *l, int priority, const char *ident, const char *msg)
{
	struct rec r; /* on the stack: the module may run in a threaded caller */
	if (l->fd < 0)
		return;
	r.n = 0;
	header(&r, l, priority, ident);
	if (l->journal) {
		put(&r, "MESSAGE=");
		put_value(&r, msg, false);
		put(&r, "\n");
	} else {
		put(&r, " ");
		put_value(&r, msg, false);
	}
	send_rec(l, &r);
}

/* The journal's MESSAGE: a sentence an admin reads. */
static void sentence(char *buf, size_t len, const struct lj_audit *a)
{
	char who[256];
	snprintf(who, sizeof(who), "session %" PRId64 " of %s (%s%s%s%s%s)", a->session,
		 a->user ? a->user : "?", a->service ? a->service : "?",
		 a->tty && *a->tty ? ", tty " : "", a->tty ? a->tty : "",
		 a->rhost && *a->rhost ? ", from " : "", a->rhost ? a->rhost : "");
	const char *sb = a->sandbox && *a->sandbox ? a->sandbox : "?";
	const char *why = a->reason ? a->reason : "";
	switch (a->event) {
	case LJ_AUDIT_CREATE:
		snprintf(buf, len, "sandbox %s of %s created for %s", sb, a->user, who);
		break;
	case LJ_AUDIT_JOIN:
		snprintf(buf, len, "%s joined sandbox %s", who, sb);
		break;
	case LJ_AUDIT_LEAVE:
		snprintf(buf, len, "%s left sandbox %s: %s", who, sb, why);
		break;
	case LJ_AUDIT_TEARDOWN:
		snprintf(buf, len, "sandbox %s of %s torn down: %s", sb, a->user, why);
		break;
	case LJ_AUDIT_REFUSE:
		snprintf(buf, len, "%s refused its sandbox: %s", who, why);
		break;
	default:
		snprintf(buf, len, "sandbox %s of %s hit its %s limit (count %" PRIu64 "): %s", sb,
			 a->user, a->limit ? a->limit : "?", a->count, why);
	}
}

void lj_audit(const struct lj_log *l, const struct lj_audit *a)
{
	struct rec r;
	char num[24], msg[1024];
	if (l->fd < 0 || a->event < 0 || a->event >= LJ_AUDIT_COUNT)
		return;
	r.n = 0;
	header(&r, l, a->priority ? a->priority : events[a->event].priority, IDENT);
	if (l->journal) {
		put(&r, "MESSAGE_ID=%s\n", events[a->event].message_id);
		sentence(msg, sizeof(msg), a);
		field(&r, l, "MESSAGE", msg);
	}
	field(&r, l, "LOGINJAIL_EVENT", events[a->event].name);
	field(&r, l, "LOGINJAIL_USER", a->user);
	snprintf(num, sizeof(num), "%" PRId64, a->uid);
	field(&r, l, "LOGINJAIL_UID", a->uid >= 0 ? num : "");
	field(&r, l, "LOGINJAIL_SERVICE", a->service);
	field(&r, l, "LOGINJAIL_TTY", a->tty);
	field(&r, l, "LOGINJAIL_RHOST", a->rhost);
	snprintf(num, sizeof(num), "%" PRId64, a->session);
	field(&r, l, "LOGINJAIL_SESSION", a->session > 0 ? num : "");
	field(&r, l, "LOGINJAIL_SANDBOX", a->sandbox);
	if (a->event == LJ_AUDIT_LIMIT) {
		field(&r, l, "LOGINJAIL_LIMIT", a->limit);
		snprintf(num, sizeof(num), "%" PRIu64, a->count);
		field(&r, l, "LOGINJAIL_COUNT", num);
	}
	field(&r, l, "LOGINJAIL_REASON", a->reason);
	send_rec(l, &r);
}

void lj_audit_session(struct lj_audit *a, const struct lj_ctl_session *s)
{
	a->service = s->service;
	a->tty = s->tty;
	a->rhost = s->rhost;
	a->session = s->pid;
}
