/* pam_loginjail.so: the session module. It moves the calling process into
 * the user's sandbox, so that everything the session runs afterwards (shell,
 * scp, sftp, forwards) is inside. When the user's shared sandbox already
 * runs, it joins it straight away; otherwise it asks the helper, which reads
 * the policy and does all the privileged building. This module stays thin:
 * parse options, join or run the helper, translate to a PAM code. */
#define PAM_SM_SESSION
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>
#include <security/pam_modules.h>

#include "audit.h"
#include "ctlmsg.h"
#include "enter.h"
#include "ns.h"
#include "proto.h"
#include "ttys.h"
#include "util.h"

#define LJ_OPT_DEBUG 0x1
#define MAX_ITEM_LEN 1024

struct opts {
	unsigned flags;
	const char *config_dir;
	const char *helper;
};

static int parse_opts(pam_handle_t *pamh, int argc, const char **argv, struct opts *o)
{
	*o = (struct opts){.helper = LJ_HELPER_PATH};
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "debug") == 0)
			o->flags |= LJ_OPT_DEBUG;
		else if (strncmp(argv[i], "config_dir=", 11) == 0 && argv[i][11] == '/')
			o->config_dir = argv[i] + 11;
		else if (strncmp(argv[i], "helper=", 7) == 0 && argv[i][7] == '/')
			o->helper = argv[i] + 7;
		else {
			pam_syslog(pamh, LOG_ERR,
				   "unknown or malformed option \"%s\" "
				   "(known: debug, config_dir=/ABS, helper=/ABS)",
				   argv[i]);
			return -1;
		}
	}
	return 0;
}

static const char *item(pam_handle_t *pamh, int type)
{
	const void *v = NULL;
	if (pam_get_item(pamh, type, &v) != PAM_SUCCESS || !v ||
	    strnlen(v, MAX_ITEM_LEN) >= MAX_ITEM_LEN)
		return NULL;
	return v;
}

/* pam_error/pam_info to the user, when the application can show them:
 * cron and atd open their sessions with no conversation function, and
 * Linux-PAM would log "no conversation function" after the module's own
 * line, an error that is not one. */
static void tell_user(pam_handle_t *pamh, int style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void tell_user(pam_handle_t *pamh, int style, const char *fmt, ...)
{
	const void *conv = NULL;
	if (pam_get_item(pamh, PAM_CONV, &conv) != PAM_SUCCESS || !conv ||
	    !((const struct pam_conv *)conv)->conv)
		return;
	va_list ap;
	va_start(ap, fmt);
	pam_vprompt(pamh, style, NULL, fmt, ap);
	va_end(ap);
}

#define ENTER_FAILED "the session could not enter its sandbox (the line before says why)"

/* The refuse event of a refusal that is the module's own (audit.h): the
 * helper records the refusals it decides. Written after the text line, on
 * a socket of its own: the module keeps none open between logins. A
 * failure after the session entered the sandbox's mount namespace finds the
 * jail's /dev/log, the host's logger's with syslog = yes, and none with
 * syslog = no: then only the text line remains (pam_loginjail(8)). */
static void audit_refusal(pam_handle_t *pamh, const char *user, const char *reason)
{
	const struct passwd *pw = pam_modutil_getpwnam(pamh, user);
	struct lj_audit a = {.event = LJ_AUDIT_REFUSE,
			     .user = user,
			     .uid = pw ? (int64_t)pw->pw_uid : -1,
			     .service = item(pamh, PAM_SERVICE),
			     .tty = item(pamh, PAM_TTY),
			     .rhost = item(pamh, PAM_RHOST),
			     .session = getpid(),
			     .reason = reason};
	struct lj_log log;
	lj_log_open(&log);
	lj_audit(&log, &a);
	lj_log_close(&log);
}

/* The user's shared sandbox runs already: join it without the helper
 * (lj_fast_join). 1: the helper decides; 0 joined; -1 refused. */
static int fast_join(pam_handle_t *pamh, const struct opts *o, const char *user,
		     const struct passwd *pw)
{
	const char *service = item(pamh, PAM_SERVICE);
	struct lj_err e = {""};
	struct lj_ctl_session session;
	lj_ctl_session_set(&session, service, item(pamh, PAM_TTY), item(pamh, PAM_RHOST), getpid());
	bool warn;
	int r = lj_fast_join(o->config_dir, pw, &session, &warn, &e);
	if (r == 1 && e.msg[0] && (warn || (o->flags & LJ_OPT_DEBUG)))
		pam_syslog(pamh, warn ? LOG_WARNING : LOG_DEBUG, "user %s: %s; asking the helper",
			   user, e.msg);
	if (r < 0) {
		pam_syslog(pamh, LOG_ERR, "user %s: %s", user, e.msg);
		audit_refusal(pamh, user, ENTER_FAILED);
		tell_user(pamh, PAM_ERROR_MSG,
			  "Your login was refused: it could not enter its sandbox.");
	}
	if (r == 0 && (o->flags & LJ_OPT_DEBUG))
		pam_syslog(pamh, LOG_DEBUG, "user %s: session (%s) joins its running sandbox", user,
			   service ? service : "?");
	return r;
}

/* The caller's terminals (ttys.h), from open_session to close_session. */
#define TTYS_DATA "pam_loginjail_ttys"
struct caller_ttys {
	size_t n;
	struct lj_tty tty[LJ_TTYS_MAX];
};

static void free_ttys(pam_handle_t *pamh, void *data, int status)
{
	free(data);
}

/* After a join: remember the caller's terminals that the user does not own
 * (nothing to do when there are none: ssh, a user's own login). */
static void keep_ttys(pam_handle_t *pamh, const struct lj_tty *ttys, size_t n)
{
	struct caller_ttys *t = n ? calloc(1, sizeof(*t)) : NULL;
	if (!t)
		return;
	t->n = n;
	memcpy(t->tty, ttys, n * sizeof(*ttys));
	if (pam_set_data(pamh, TTYS_DATA, t, free_ttys) != PAM_SUCCESS)
		free(t);
}

/* The session's runtime directory is the jail's (lj_runtime_dir), which is
 * where pam_systemd points it on systemd hosts too; elsewhere nothing else
 * sets it. This process is in the sandbox now. */
static int set_runtime_dir(pam_handle_t *pamh, const struct passwd *pw)
{
	char dir[64], env[96];
	if (!lj_runtime_dir(pw->pw_uid, dir, sizeof(dir)))
		return PAM_SUCCESS;
	snprintf(env, sizeof(env), "XDG_RUNTIME_DIR=%s", dir);
	if (pam_putenv(pamh, env) != PAM_SUCCESS) {
		pam_syslog(pamh, LOG_ERR, "user %s: cannot set XDG_RUNTIME_DIR", pw->pw_name);
		return PAM_SESSION_ERR;
	}
	return PAM_SUCCESS;
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct opts o;
	const char *user = NULL;
	if (parse_opts(pamh, argc, argv, &o) < 0)
		return PAM_SESSION_ERR;
	if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || !user || !*user) {
		pam_syslog(pamh, LOG_ERR, "cannot determine the user");
		return PAM_SESSION_ERR;
	}
	if (geteuid() != 0) {
		pam_syslog(pamh, LOG_ERR, "user %s: the session module must run as root", user);
		return PAM_SESSION_ERR;
	}

	const struct passwd *pw = pam_modutil_getpwnam(pamh, user);
	struct lj_tty ttys[LJ_TTYS_MAX];
	size_t nttys = pw ? lj_caller_ttys(-1, pw->pw_uid, ttys) : 0;
	int fr = fast_join(pamh, &o, user, pw);
	if (fr == 0)
		keep_ttys(pamh, ttys, nttys);
	if (fr != 1)
		return fr == 0 ? set_runtime_dir(pamh, pw) : PAM_SESSION_ERR;

	struct lj_reply rep;
	struct lj_helper_run h;
	int fds[LJ_NS_COUNT];
	struct lj_err e = {""};
	const struct lj_helper_call call = {.helper = o.helper,
					    .user = user,
					    .service = item(pamh, PAM_SERVICE),
					    .tty = item(pamh, PAM_TTY),
					    .rhost = item(pamh, PAM_RHOST),
					    .config_dir = o.config_dir};
	if (lj_helper_run(&call, &rep, fds, &h, &e) < 0) {
		pam_syslog(pamh, LOG_ERR, "%s", e.msg);
		audit_refusal(pamh, user, e.msg);
		tell_user(pamh, PAM_ERROR_MSG,
			  "Your login was refused: the sandbox service failed "
			  "(see the system log).");
		return PAM_SESSION_ERR;
	}
	if (rep.status != LJ_REPLY_JOIN)
		lj_helper_reap(&h);
	switch (rep.status) {
	case LJ_REPLY_IGNORE:
		if (rep.log_msg[0])
			pam_syslog(pamh, LOG_WARNING, "%s", rep.log_msg);
		else if (o.flags & LJ_OPT_DEBUG)
			pam_syslog(pamh, LOG_DEBUG, "user %s: no sandbox by policy", user);
		return PAM_IGNORE;
	case LJ_REPLY_ALLOW:
		pam_syslog(pamh, LOG_WARNING, "%s", rep.log_msg);
		tell_user(pamh, PAM_TEXT_INFO, "%s", rep.user_msg);
		return PAM_IGNORE;
	case LJ_REPLY_JOIN:
		break;
	case LJ_REPLY_REFUSE:
		pam_syslog(pamh, LOG_NOTICE, "%s", rep.log_msg);
		return PAM_SESSION_ERR;
	default:
		pam_syslog(pamh, LOG_ERR, "%s", rep.log_msg);
		tell_user(pamh, PAM_ERROR_MSG, "%s", rep.user_msg);
		return PAM_SESSION_ERR;
	}

	const char *bad;
	int r = lj_ns_check_sandbox(fds, &bad);
	if (r < 0)
		pam_syslog(pamh, LOG_ERR, "user %s: the helper passed a bad %s namespace", user,
			   bad ? bad : "(no /proc)");
	else if ((r = lj_enter(fds, rep.flags & LJ_REPLY_F_HOST_NET, &e)) < 0)
		pam_syslog(pamh, LOG_ERR, "user %s: %s", user, e.msg);
	for (size_t i = 0; i < LJ_NS_COUNT; i++)
		close(fds[i]);
	lj_helper_reap(&h);
	if (r < 0) {
		audit_refusal(pamh, user, ENTER_FAILED);
		tell_user(pamh, PAM_ERROR_MSG,
			  "Your login was refused: it could not enter its sandbox.");
		return PAM_SESSION_ERR;
	}
	keep_ttys(pamh, ttys, nttys);
	if (o.flags & LJ_OPT_DEBUG)
		pam_syslog(pamh, LOG_DEBUG, "%s", rep.log_msg);
	return pw ? set_runtime_dir(pamh, pw) : PAM_SUCCESS;
}

/* The sandbox's init watches this process and notices when it exits, so
 * the sandbox needs nothing undone here, even if this is never called. But
 * a session of su or runuser has the terminal of whoever ran it: what the
 * session left in the sandbox must not keep it (ttys.h). This process is in
 * the sandbox's mount namespace, whose /proc shows the sandbox's processes,
 * and root in its user namespace. */
PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	const struct caller_ttys *t = NULL;
	const char *user = NULL;
	if (pam_get_data(pamh, TTYS_DATA, (const void **)&t) != PAM_SUCCESS || !t)
		return PAM_SUCCESS;
	pam_get_item(pamh, PAM_USER, (const void **)&user);
	int killed = lj_kill_tty_holders(t->tty, t->n);
	if (killed < 0)
		pam_syslog(pamh, LOG_ERR,
			   "user %s: cannot read the sandbox's /proc to end what holds the "
			   "terminal of the session's caller: %m",
			   user ? user : "?");
	else if (killed > 0)
		pam_syslog(pamh, LOG_NOTICE,
			   "user %s: the session (%s) ended: killed %d process%s of its sandbox "
			   "still holding the caller's terminal",
			   user ? user : "?",
			   item(pamh, PAM_SERVICE) ? item(pamh, PAM_SERVICE) : "?", killed,
			   killed == 1 ? "" : "es");
	return PAM_SUCCESS;
}
