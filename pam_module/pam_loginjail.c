/* pam_loginjail.so: the session module. It moves the calling process into
 * the user's sandbox, so that everything the session runs afterwards (shell,
 * scp, sftp, forwards) is inside. When the user's shared sandbox already
 * runs, it joins it straight away; otherwise it asks the helper, which reads
 * the policy and does all the privileged building. This module stays thin:
 * parse options, join or run the helper, translate to a PAM code. */
#define PAM_SM_SESSION
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <linux/capability.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>
#include <security/pam_modules.h>

#include "audit.h"
#include "ctlmsg.h"
#include "enter.h"
#include "join.h"
#include "landlock.h"
#include "ns.h"
#include "proto.h"
#include "ttys.h"
#include "util.h"

#define LJ_OPT_DEBUG 0x1
#define HELPER_TIMEOUT_MS 60000
#define MAX_ITEM_LEN 1024
#define ENTER_FAILED "the session could not enter its sandbox (the line before says why)"

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

/* A process with more than one thread cannot join a mount or user namespace.
 * One thread: /proc/self/task has ".", ".." and that one. */
static bool single_threaded(void)
{
	struct stat st;
	return stat("/proc/self/task", &st) == 0 && st.st_nlink == 3;
}

static const char *item(pam_handle_t *pamh, int type)
{
	const void *v = NULL;
	if (pam_get_item(pamh, type, &v) != PAM_SUCCESS || !v ||
	    strnlen(v, MAX_ITEM_LEN) >= MAX_ITEM_LEN)
		return NULL;
	return v;
}

/* The helper's child from the clone to the exec. It shares our memory (and
 * our thread's errno) and runs on a stack of its own with every signal
 * blocked, so it makes system calls only; a step that fails leaves its name
 * and errno here. */
struct helper_child {
	const char *path;
	char *const *argv;
	int sock;
	const char *failed;
	int err;
};

#define HELPER_CHILD_STACK (64 * 1024)

static int helper_child(void *arg)
{
	static char *const envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	struct helper_child *c = arg;
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigset_t none;
	int null;

	sigemptyset(&dfl.sa_mask);
	sigemptyset(&none);
	/* Root in every uid and gid. A setuid-root caller (su run by a user)
	 * has the user's real uid and gid: the helper refuses them, and they
	 * would let that user signal the helper and the sandbox's init it
	 * starts, and give the user's group what the helper creates. The
	 * effective uid 0 that open_session requires allows it. Raw system
	 * calls: libc's would set the ids of every thread it knows, which are
	 * the caller's. */
	c->failed = "setresgid";
	if (syscall(SYS_setresgid, 0, 0, 0) < 0)
		goto fail;
	c->failed = "setresuid";
	if (syscall(SYS_setresuid, 0, 0, 0) < 0)
		goto fail;
	/* The socket to 3 first: with the caller's 0-2 closed it may be one
	 * of them. Then /dev/null on 0-2, nothing above 3. */
	c->failed = "dup2";
	if (dup2(c->sock, LJ_HELPER_REPLY_FD) < 0)
		goto fail;
	c->failed = "/dev/null";
	null = open("/dev/null", O_RDWR);
	if (null < 0)
		goto fail;
	for (int fd = 0; fd < 3; fd++)
		if (fd != null && dup2(null, fd) < 0)
			goto fail;
	c->failed = "close_range";
	if (close_range(LJ_HELPER_REPLY_FD + 1, ~0U, 0) < 0)
		goto fail;
	/* Default dispositions (KILL, STOP and libc's own cannot change),
	 * then no signal blocked. */
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &dfl, NULL);
	c->failed = "sigprocmask";
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		goto fail;
	c->failed = "execve";
	execve(c->path, c->argv, envp);
fail:
	c->err = errno;
	_exit(127);
}

/* Start the helper as posix_spawn would (clone with CLONE_VM | CLONE_VFORK:
 * no copy of a large caller such as sshd's monitor): empty environment,
 * /dev/null on 0-2, the socket on 3, nothing else open, default signal
 * dispositions and an empty mask; and as root in every uid and gid, which
 * posix_spawn cannot do (helper_child). On failure, errno and *failed say
 * which step. */
static pid_t spawn_helper(const struct opts *o, int sock, const char *const *argv,
			  const char **failed)
{
	struct helper_child c = {
		.path = o->helper, .argv = (char *const *)argv, .sock = sock, .failed = "clone"};
	sigset_t all, old;
	char *stack = mmap(NULL, HELPER_CHILD_STACK, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	*failed = "mmap";
	if (stack == MAP_FAILED)
		return -1;
	/* No handler of the application may run in the child, on its stack
	 * and in its memory, before the child has reset them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t pid = clone(helper_child, stack + HELPER_CHILD_STACK,
			  CLONE_VM | CLONE_VFORK | SIGCHLD, &c);
	int err = pid < 0 ? errno : c.err;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	munmap(stack, HELPER_CHILD_STACK);
	*failed = c.failed;
	if (pid > 0 && err) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		pid = -1;
	}
	errno = err;
	return pid;
}

struct helper_run {
	pid_t pid;
	struct sigaction old_chld;
};

/* Reap the helper (after the caller has joined: its exit is not on the
 * login's critical path) and give the application its SIGCHLD back. */
static int reap_helper(struct helper_run *h)
{
	int status = 0;
	while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGCHLD, &h->old_chld, NULL);
	return status;
}

/* The refuse event of a refusal that is the module's own (audit.h): the
 * helper records the refusals it decides. Written after the text line, on
 * a socket of its own: the module keeps none open between logins. A
 * failure after the session entered the sandbox's mount namespace finds no
 * /dev/log there, and only the text line remains (pam_loginjail(8)). */
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

/* Run the helper and read its one answer. Returns 0, or -1 (log written). */
static int run_helper(pam_handle_t *pamh, const struct opts *o, const char *user,
		      struct lj_reply *rep, int *fds, struct helper_run *h)
{
	const char *argv[16];
	int n = 0;
	argv[n++] = "loginjail-helper";
	argv[n++] = "open";
	argv[n++] = "--user";
	argv[n++] = user;
	const char *svc = item(pamh, PAM_SERVICE), *tty = item(pamh, PAM_TTY),
		   *rhost = item(pamh, PAM_RHOST);
	if (svc) {
		argv[n++] = "--service";
		argv[n++] = svc;
	}
	if (tty) {
		argv[n++] = "--tty";
		argv[n++] = tty;
	}
	if (rhost) {
		argv[n++] = "--rhost";
		argv[n++] = rhost;
	}
	if (o->config_dir) {
		argv[n++] = "--config-dir";
		argv[n++] = o->config_dir;
	}
	/* A multi-threaded process cannot join a mount or user namespace: the
	 * helper then only says whether policy wanted a sandbox. */
	if (!single_threaded())
		argv[n++] = "--caller-threaded";
	argv[n] = NULL;

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		pam_syslog(pamh, LOG_ERR, "socketpair: %m");
		audit_refusal(pamh, user, "the module could not make a socket for the helper");
		return -1;
	}
	/* The socket must not already be fd 3: dup2 onto itself would leave
	 * it close-on-exec. */
	if (sv[1] == LJ_HELPER_REPLY_FD) {
		int d = fcntl(sv[1], F_DUPFD_CLOEXEC, LJ_HELPER_REPLY_FD + 1);
		close(sv[1]);
		sv[1] = d;
	}
	/* Our child must be reaped by us, whatever the application set up. */
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, &h->old_chld);

	const char *failed = "socket";
	h->pid = sv[1] < 0 ? -1 : spawn_helper(o, sv[1], argv, &failed);
	if (sv[1] >= 0)
		close(sv[1]);
	if (h->pid < 0) {
		char why[512];
		snprintf(why, sizeof(why), "cannot run the helper %s (%s): %s", o->helper, failed,
			 strerror(errno));
		pam_syslog(pamh, LOG_ERR, "cannot run %s (%s): %m", o->helper, failed);
		audit_refusal(pamh, user, why);
		close(sv[0]);
		sigaction(SIGCHLD, &h->old_chld, NULL);
		return -1;
	}
	struct pollfd p = {.fd = sv[0], .events = POLLIN};
	size_t nfds = 0;
	int pr = poll(&p, 1, HELPER_TIMEOUT_MS);
	ssize_t len = pr == 1 ? lj_recv_fds(sv[0], rep, sizeof(*rep), fds, LJ_NS_COUNT, &nfds) : -1;
	close(sv[0]);
	if (pr != 1)
		kill(h->pid, SIGKILL);
	if (len != (ssize_t)sizeof(*rep) || rep->version != LJ_PROTO_VERSION || rep->nfds != nfds ||
	    (rep->status == LJ_REPLY_JOIN && nfds != LJ_NS_COUNT)) {
		int status = reap_helper(h);
		pam_syslog(pamh, LOG_ERR, "user %s: no valid answer from %s (%s, exit status %d)",
			   user, o->helper, pr == 1 ? "bad reply" : "timed out", status);
		char why[512];
		snprintf(why, sizeof(why),
			 "no valid answer from the helper %s (%s, exit status %d)", o->helper,
			 pr == 1 ? "bad reply" : "timed out", status);
		audit_refusal(pamh, user, why);
		for (size_t i = 0; i < nfds; i++)
			close(fds[i]);
		return -1;
	}
	rep->user_msg[sizeof(rep->user_msg) - 1] = '\0';
	rep->log_msg[sizeof(rep->log_msg) - 1] = '\0';
	return 0;
}

/* Move this process into the sandbox (enter.h), logging why not. */
static int join(pam_handle_t *pamh, const char *user, const int *fds, bool host_net)
{
	struct lj_err e = {""};
	if (lj_enter(fds, host_net, &e) < 0) {
		pam_syslog(pamh, LOG_ERR, "user %s: %s", user, e.msg);
		return -1;
	}
	return 0;
}

/* The user's shared sandbox (share = user) runs already: join it without
 * the helper. It was built, and its policy read, by the helper that created
 * it, and it takes this join only for the same account (name, uid, gid,
 * home) and while the policy files are as they were then (proto.h, struct
 * lj_ctl_key). Returns 1 when there is nothing to join here, or it declined
 * (the helper decides, with the policy), else 0 or -1 (joined, or
 * refused). */
static int fast_join(pam_handle_t *pamh, const struct opts *o, const char *user,
		     const struct passwd *pw)
{
	const char *service = item(pamh, PAM_SERVICE);
	/* The user manager's session is for the policy to allow (the helper). */
	if (!pw || pw->pw_uid == 0 || !single_threaded() ||
	    (service && strcmp(service, LJ_USER_MANAGER_SERVICE) == 0))
		return 1;
	struct lj_err e = {""};
	cleanup_close int rundir = lj_rundir_open(false, &e);
	cleanup_close int self = rundir < 0 ? -1 : (int)pidfd_open(getpid(), 0);
	if (self < 0)
		return 1;
	struct lj_ctl_key key;
	if (lj_ctl_key_init(&key, o->config_dir, pw->pw_name, pw->pw_uid, pw->pw_gid, pw->pw_dir) <
	    0)
		return 1;
	char name[64];
	snprintf(name, sizeof(name), LJ_SHARED_NAME, (unsigned)pw->pw_uid);
	struct lj_ctl_session session;
	lj_ctl_session_set(&session, service, item(pamh, PAM_TTY), item(pamh, PAM_RHOST), getpid());
	struct lj_joined j;
	int r = lj_join(rundir, name, self, &session, pw->pw_name, &key, false, &j, &e);
	if (r != 0) {
		/* Declined (another account or policy directory, the policy
		 * files changed, full) or an error: the helper decides, under
		 * the user's lock, with the policy. */
		if (r < 0 || (o->flags & LJ_OPT_DEBUG))
			pam_syslog(pamh, r < 0 ? LOG_WARNING : LOG_DEBUG,
				   "user %s: %s; asking the helper", user, e.msg);
		return 1;
	}
	r = lj_join_attach(&j, 0, pw->pw_uid, service, &e);
	if (r < 0)
		pam_syslog(pamh, LOG_ERR, "user %s: %s", user, e.msg);
	else
		r = join(pamh, user, j.ns, j.host_net);
	lj_joined_close(&j);
	if (r < 0) {
		audit_refusal(pamh, user, ENTER_FAILED);
		pam_error(pamh, "Your login was refused: it could not enter its sandbox.");
		return -1;
	}
	if (o->flags & LJ_OPT_DEBUG)
		pam_syslog(pamh, LOG_DEBUG, "user %s: session (%s) joins its running sandbox", user,
			   item(pamh, PAM_SERVICE) ? item(pamh, PAM_SERVICE) : "?");
	return 0;
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
		return fr == 0 ? PAM_SUCCESS : PAM_SESSION_ERR;

	struct lj_reply rep;
	struct helper_run h;
	int fds[LJ_NS_COUNT];
	if (run_helper(pamh, &o, user, &rep, fds, &h) < 0) {
		pam_error(pamh, "Your login was refused: the sandbox service failed "
				"(see the system log).");
		return PAM_SESSION_ERR;
	}
	if (rep.status != LJ_REPLY_JOIN)
		reap_helper(&h);
	switch (rep.status) {
	case LJ_REPLY_IGNORE:
		if (rep.log_msg[0])
			pam_syslog(pamh, LOG_WARNING, "%s", rep.log_msg);
		else if (o.flags & LJ_OPT_DEBUG)
			pam_syslog(pamh, LOG_DEBUG, "user %s: no sandbox by policy", user);
		return PAM_IGNORE;
	case LJ_REPLY_ALLOW:
		pam_syslog(pamh, LOG_WARNING, "%s", rep.log_msg);
		pam_info(pamh, "%s", rep.user_msg);
		return PAM_IGNORE;
	case LJ_REPLY_JOIN:
		break;
	case LJ_REPLY_REFUSE:
		pam_syslog(pamh, LOG_NOTICE, "%s", rep.log_msg);
		return PAM_SESSION_ERR;
	default:
		pam_syslog(pamh, LOG_ERR, "%s", rep.log_msg);
		pam_error(pamh, "%s", rep.user_msg);
		return PAM_SESSION_ERR;
	}

	const char *bad;
	int r = lj_ns_check_sandbox(fds, &bad);
	if (r < 0)
		pam_syslog(pamh, LOG_ERR, "user %s: the helper passed a bad %s namespace", user,
			   bad ? bad : "(no /proc)");
	else
		r = join(pamh, user, fds, rep.flags & LJ_REPLY_F_HOST_NET);
	for (size_t i = 0; i < LJ_NS_COUNT; i++)
		close(fds[i]);
	reap_helper(&h);
	if (r < 0) {
		audit_refusal(pamh, user, ENTER_FAILED);
		pam_error(pamh, "Your login was refused: it could not enter its sandbox.");
		return PAM_SESSION_ERR;
	}
	keep_ttys(pamh, ttys, nttys);
	if (o.flags & LJ_OPT_DEBUG)
		pam_syslog(pamh, LOG_DEBUG, "%s", rep.log_msg);
	return PAM_SUCCESS;
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
