/* loginjail-helper: run by pam_loginjail.so as root for each login, with a
 * socket on fd 3 for its one answer.
 *
 *   loginjail-helper open --user USER [--service S] [--tty T] [--rhost R]
 *                         [--config-dir DIR] [--caller-threaded]
 *
 * It reads the user from NSS and the user's policy from root-owned files,
 * then either says "ignore" (no sandbox for this user), or creates or joins
 * the user's sandbox and passes its namespaces back, or says why not. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/pidfd.h>
#include <syslog.h>
#include <cap-ng.h>

#include "audit.h"
#include "helper.h"
#include "join.h"
#include "proto.h"
#include "util.h"

static void usage_exit(const char *why)
{
	fprintf(stderr,
		"loginjail-helper: %s\n"
		"usage: loginjail-helper open --user USER [--service S] [--tty T] [--rhost R] "
		"[--config-dir DIR] [--caller-threaded]\n"
		"It is run by pam_loginjail.so with a socket on fd 3; see pam_loginjail(8).\n",
		why);
	exit(LJ_EXIT_USAGE);
}

/* SECURITY.md rules 1, 2, 18: no new privileges, the privilege we run with
 * is the one we expect (root in every uid and gid, from an executable
 * installed as documented), fds 0-2 open. A setuid-root caller (su run by a
 * user: real uid the user's, effective root) is root in all of them by the
 * time we run: the module makes its child so before the exec. Anything
 * else, a real uid that is not root's in particular, is a user's doing and
 * refused: we trust nothing a user starts us with. (Root of a user's own
 * user namespace has all six ids 0: there the executable, root's on the
 * host, is nobody's, which the owner check refuses.) The state the caller
 * left us is reset as soon as we know we may (raising a hard limit takes
 * root); a failure to is reported once fd 3 is known (*reset). */
static void check_self(int argc, char **argv, struct lj_err *reset)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		exit(LJ_EXIT_SYSTEM);
	/* Linux turns argc == 0 into argv[0] == "" (CVE-2021-4034). */
	if (argc < 1 || !argv[0] || !argv[0][0])
		usage_exit("called without argv[0]");
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		exit(LJ_EXIT_SYSTEM);
	if (ru != 0 || eu != 0 || su != 0 || rg != 0 || eg != 0 || sg != 0)
		usage_exit("only root may run this (it is run by pam_loginjail.so, as root in "
			   "every uid and gid)");
	/* Installed root's and 0755, not setuid (docs/mechanism.md 8): any
	 * other mode is a broken install, or one somebody changed. */
	struct stat self;
	if (stat("/proc/self/exe", &self) < 0)
		usage_exit("cannot stat its own executable (/proc/self/exe)");
	if (self.st_uid != 0 || (self.st_mode & (S_ISUID | S_ISGID | S_IWGRP | S_IWOTH)))
		usage_exit("its executable must be root's and mode 0755: not setuid, setgid, "
			   "or writable by others (reinstall it)");
	lj_reset_process_state(reset);
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			exit(LJ_EXIT_SYSTEM);
	if (capng_get_caps_process() < 0)
		usage_exit("cannot read its own capabilities");
	if (!capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN) ||
	    !capng_have_capability(CAPNG_EFFECTIVE, CAP_SETUID))
		usage_exit("needs CAP_SYS_ADMIN and CAP_SETUID (run it as full root)");
}

static void reply(struct lj_reply *rep, const int *fds)
{
	rep->version = LJ_PROTO_VERSION;
	if (lj_send_fds(LJ_HELPER_REPLY_FD, rep, sizeof(*rep), fds, rep->nfds) < 0) {
		fprintf(stderr, "loginjail-helper: cannot answer on fd %d: %m\n",
			LJ_HELPER_REPLY_FD);
		exit(LJ_EXIT_SYSTEM);
	}
	exit(LJ_EXIT_OK);
}

/* The login as the refuse event names it (audit.h): filled in as it is
 * learned. The module logs the helper's answer as text; this is the
 * structured record of the same. */
static struct lj_audit refusal = {.event = LJ_AUDIT_REFUSE, .uid = -1};

static void audit_refusal(const char *reason, int priority)
{
	struct lj_log log;
	lj_log_open(&log);
	refusal.reason = reason;
	refusal.priority = priority;
	lj_audit(&log, &refusal);
	lj_log_close(&log);
}

/* A required sandbox could not be had: deny, unless policy says allow. */
__attribute__((noreturn)) static void refuse(struct lj_reply *rep, bool allow, const char *user,
					     const char *why)
{
	char reason[sizeof(rep->log_msg)];
	snprintf(reason, sizeof(reason), "%s%s", why,
		 allow ? " (on_error = allow: letting the login in unsandboxed)" : "");
	audit_refusal(reason, allow ? LOG_WARNING : 0);
	rep->status = allow ? LJ_REPLY_ALLOW : LJ_REPLY_DENY;
	snprintf(rep->log_msg, sizeof(rep->log_msg), "user %s: %s", user, reason);
	snprintf(rep->user_msg, sizeof(rep->user_msg),
		 allow ? "Warning: your session is not sandboxed: %s"
		       : "Your login was refused: your sandbox could not be set up: %s",
		 why);
	reply(rep, NULL);
	exit(LJ_EXIT_OK);
}

int main(int argc, char **argv)
{
	struct lj_err reset = {""};
	check_self(argc, argv, &reset);
	clearenv();
	struct lj_args a = {0};
	const char *bad = lj_args_parse(argc, argv, &a);
	if (bad)
		usage_exit(bad);
	struct stat st;
	if (fstat(LJ_HELPER_REPLY_FD, &st) < 0 || !S_ISSOCK(st.st_mode))
		usage_exit("fd 3 must be the socket pam_loginjail.so passes");

	struct lj_reply rep = {0};
	refusal.user = a.user;
	refusal.service = a.service;
	refusal.tty = a.tty;
	refusal.rhost = a.rhost;
	refusal.session = getppid();
	if (reset.msg[0]) {
		char why[sizeof(reset.msg) + 64];
		snprintf(why, sizeof(why), "the helper inherited a state it cannot undo: %s",
			 reset.msg);
		refuse(&rep, false, a.user, why);
	}
	struct lj_err e = {""};
	static struct lj_user u;
	if (lj_user_lookup(a.user, &u, &e) < 0)
		refuse(&rep, false, a.user, e.msg);
	refusal.uid = u.uid;
	if (u.uid == 0) {
		/* root is the administrator: never sandboxed, whatever policy says. */
		rep.status = LJ_REPLY_IGNORE;
		reply(&rep, NULL);
	}

	/* What the sandbox is for, the policy files' stamp before they are
	 * read (join.h). */
	static struct lj_ctl_key key;
	if (lj_ctl_key_init(&key, a.config_dir, u.name, u.uid, u.gid, u.home) < 0) {
		char why[300];
		snprintf(why, sizeof(why), "cannot read the policy directory %s: %s", a.config_dir,
			 strerror(errno));
		refuse(&rep, false, a.user, why);
	}

	struct lj_config *cfg = NULL;
	/* Static, like the other big objects here: too big for the stack. */
	static struct lj_diag diag, rdiag;
	int loaded = lj_config_load(a.config_dir, &cfg, &diag);
	if (loaded < 0) {
		char why[400];
		snprintf(why, sizeof(why), "the loginjail policy is broken: %s%s",
			 diag.n ? diag.msg[0] : "unknown error",
			 diag.n > 1 ? " (and more: run loginjailctl check)" : "");
		refuse(&rep, false, a.user, why);
	}
	static struct lj_policy pol;
	if (lj_policy_resolve(cfg, u.name, u.groups, u.ngroup_names, &pol, &rdiag) < 0)
		refuse(&rep, false, a.user, rdiag.n ? rdiag.msg[0] : "cannot resolve the policy");
	lj_policy_digest(&pol, key.policy);
	_Static_assert(LJ_KEY__COUNT <= LJ_CTL_KEYS, "a digest for every key");
	lj_policy_key_digests(&pol, key.keys, LJ_ARRAY_SIZE(key.keys));
	/* cfg stays: the origins point into it (errors about binds name the
	 * policy's file:line), and the process ends with its answer. */
	if (!pol.sandbox) {
		rep.status = LJ_REPLY_IGNORE;
		/* Broken sections that are not this user's: let the admin know
		 * (the module logs a non-empty message as a warning). */
		if (loaded > 0)
			snprintf(rep.log_msg, sizeof(rep.log_msg),
				 "user %s: not sandboxed, but the loginjail policy has errors "
				 "that refuse other users: %s%s",
				 u.name, diag.n ? diag.msg[0] : "a section is broken",
				 diag.n > 1 ? " (and more: run loginjailctl check)" : "");
		reply(&rep, NULL);
	}

	if (a.service && strcmp(a.service, LJ_USER_MANAGER_SERVICE) == 0 &&
	    pol.user_manager == LJ_USER_MANAGER_NO) {
		static const char why[] =
			"the user manager (systemd --user) of a sandboxed user does not run "
			"(user_manager = no): what it starts would run outside the sandbox";
		audit_refusal(why, 0);
		rep.status = LJ_REPLY_REFUSE;
		snprintf(rep.log_msg, sizeof(rep.log_msg), "user %s: %s", u.name, why);
		reply(&rep, NULL);
	}
	if (a.caller_threaded) {
		char why[200];
		snprintf(why, sizeof(why),
			 "the calling program (%s) is multi-threaded and cannot "
			 "join a sandbox",
			 a.service ? a.service : "unknown service");
		refuse(&rep, pol.on_error == LJ_ON_ERROR_ALLOW, a.user, why);
	}

	/* The caller is our parent: take a pidfd of it, then make sure it is
	 * still our parent, so the pidfd cannot be of a recycled pid. */
	pid_t caller = getppid();
	int pidfd = pidfd_open(caller, 0);
	if (pidfd < 0 || getppid() != caller || caller == 1)
		refuse(&rep, pol.on_error == LJ_ON_ERROR_ALLOW, a.user,
		       "the calling process went away");

	struct lj_session_req req = {.user = &u,
				     .pol = &pol,
				     .service = a.service,
				     .tty = a.tty,
				     .rhost = a.rhost,
				     .caller = caller,
				     .caller_pidfd = pidfd,
				     .key = &key};
	int nsfds[LJ_NS_COUNT];
	bool host_net;
	if (lj_sandbox_open(&req, nsfds, &host_net, &e) < 0)
		refuse(&rep, pol.on_error == LJ_ON_ERROR_ALLOW, a.user, e.msg);
	rep.status = LJ_REPLY_JOIN;
	rep.nfds = LJ_NS_COUNT;
	rep.flags = host_net ? LJ_REPLY_F_HOST_NET : 0;
	snprintf(rep.log_msg, sizeof(rep.log_msg), "user %s: session (%s%s%s) joins its sandbox",
		 u.name, a.service ? a.service : "?", a.tty ? ", tty " : "", a.tty ? a.tty : "");
	reply(&rep, nsfds);
}
