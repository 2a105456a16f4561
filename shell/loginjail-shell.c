/* loginjail-shell: the login shell of accounts whose logins do not all run
 * the PAM module (a service without it, sshd with UsePAM no, accounts an
 * admin manages by shell). Installed setuid root and set as the account's
 * shell, it puts its caller, the user of the real uid and nobody else, into
 * that user's sandbox as the module would (same helper, same join), drops
 * every privilege and runs the real shell with login-shell conventions.
 * loginjail-shell(8) is the admin's view; SECURITY.md rules 1-7 and 18 are
 * the floor of everything here.
 *
 * The story of main():
 *   1. no_new_privs, and the state we started in, read once (rule 1);
 *   2. argv: only what a shell is given ("", "-c CMD [ARGS]");
 *   3. not setuid-root (already in the sandbox, or not installed setuid):
 *      run the shell, or refuse;
 *   4. root in every uid and gid, fds 0-2 open, signals reset, the
 *      environment cleared (the few variables the shell keeps copied
 *      first);
 *   5. the user from the real uid (NSS), into the sandbox: the running
 *      shared sandbox, else the helper;
 *   6. the user's ids back, no capabilities, read back (rule 3);
 *   7. exec the shell (in the sandbox: in a child, exec_shell_in_child). */
#include <fcntl.h>
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <termios.h>
#include <unistd.h>

#include <cap-ng.h>

#include "ctlmsg.h"
#include "enter.h"
#include "ns.h"
#include "policy.h"
#include "proto.h"
#include "signals.h"
#include "util.h"

#define SERVICE "loginjail-shell"
#define FALLBACK_SHELL "/bin/sh"
#define USER_PATH "/usr/local/bin:/usr/bin:/bin"
/* A shell is given "-c CMD" and, rarely, arguments for $0 $1...: a few. */
#define MAX_ARGS 64
#define MAX_ARG_LEN (128 * 1024) /* the kernel's MAX_ARG_STRLEN */
#define MAX_KEEP 32
#define MAX_VAR_LEN 4096

/* Exit codes: 1 refused (the message says why), 126 the shell could not be
 * run, as shells report it. */
enum { EXIT_REFUSED = 1, EXIT_EXEC = 126 };

static const char *prog = "loginjail-shell";

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Refuse: the user reads MSG on stderr; the system log gets it too, with
 * the real uid, when we are the setuid program. */
static _Noreturn void refuse(uid_t ruid, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static _Noreturn void refuse(uid_t ruid, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", prog, msg);
	syslog(LOG_AUTHPRIV | LOG_NOTICE, "uid %u: refused: %s", (unsigned)ruid, msg);
	exit(EXIT_REFUSED);
}

/* The environment the shell gets from its caller: terminal, language, the
 * time zone, X display and what sshd says of the connection. Everything else
 * of the caller's is dropped; HOME, SHELL, USER, LOGNAME and PATH are made
 * from the account. Values are only data for the user's own shell: they
 * are never read by the root part. */
static bool kept_var(const char *s)
{
	static const char *const names[] = {"TERM=",
					    "LANG=",
					    "LANGUAGE=",
					    "TZ=",
					    "DISPLAY=",
					    "SSH_CLIENT=",
					    "SSH_CONNECTION=",
					    "SSH_TTY=",
					    "SSH_ORIGINAL_COMMAND=",
					    "COLORTERM=",
					    "LC_",
					    NULL};
	for (const char *const *n = names; *n; n++)
		if (strncmp(s, *n, strlen(*n)) == 0)
			return strchr(s, '=') != NULL;
	return false;
}

struct env {
	size_t n;
	char *v[MAX_KEEP + 7]; /* the kept, the made, NULL */
};

static int env_add(struct env *env, const char *name, const char *value)
{
	char *s;
	if (env->n + 1 >= LJ_ARRAY_SIZE(env->v) || asprintf(&s, "%s=%s", name, value) < 0)
		return -1;
	env->v[env->n++] = s;
	return 0;
}

/* Copy the kept variables (bounded in number and length) out of environ. */
static void env_keep(struct env *env)
{
	for (char **e = environ; e && *e && env->n < MAX_KEEP; e++)
		if (kept_var(*e) && strnlen(*e, MAX_VAR_LEN) < MAX_VAR_LEN) {
			char *s = strdup(*e);
			if (s)
				env->v[env->n++] = s;
		}
}

/* The address sshd says the login came from, for the helper's log only:
 * the first word of SSH_CONNECTION when it looks like an address. */
static const char *rhost_of(const char *conn, char *out, size_t len)
{
	if (!conn)
		return NULL;
	size_t n = strcspn(conn, " ");
	if (n == 0 || n >= len || strspn(conn, "0123456789abcdefABCDEF.:") != n)
		return NULL;
	memcpy(out, conn, n);
	out[n] = '\0';
	return out;
}

/* Whether PATH is this program (an account whose shell is loginjail-shell
 * has no other shell to run). */
static bool is_self(const char *path)
{
	struct stat a, b;
	return stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* The shell to run: the policy's (key shell) for the account, else the
 * account's own unless that is this program, else FALLBACK_SHELL. The policy
 * is read from the host before the sandbox is entered (SECURITY.md rule 12);
 * inside the sandbox (the module ran first) it is read as the user from the
 * jail's /etc, which is the host's, read-only: a policy the user cannot read
 * there (policy.d files of mode 0600, another config_dir) gives the default.
 * Either way the user only ever gets a program run with their own ids. */
static char policy_shell[LJ_SHELL_MAX];

static void read_policy_shell(const char *name)
{
	static struct lj_user u;
	static struct lj_diag diag;
	struct lj_err e = {""};
	struct lj_config *cfg = NULL;
	struct lj_policy pol;
	if (lj_user_lookup(name, &u, &e) == 0 && lj_config_load(LJ_CONFDIR, &cfg, &diag) >= 0 &&
	    lj_policy_resolve(cfg, u.name, u.groups, u.ngroup_names, &pol, &diag) == 0) {
		snprintf(policy_shell, sizeof(policy_shell), "%s", pol.shell);
		lj_policy_free(&pol);
	}
	lj_config_free(cfg);
	lj_user_free(&u);
}

static const char *shell_of(const struct passwd *pw)
{
	if (policy_shell[0] && !is_self(policy_shell))
		return policy_shell;
	const char *s = pw->pw_shell;
	if (!s || s[0] != '/' || is_self(s))
		return FALLBACK_SHELL;
	const char *base = strrchr(s, '/') + 1;
	return strcmp(base, "loginjail-shell") == 0 ? FALLBACK_SHELL : s;
}

/* Whether this process is in a sandbox's user namespace, as the helper
 * makes them for user UID (helper/userns.c): its uid_map is exactly root and
 * the user. Mapping uid 0 of the parent takes root there, so a user cannot
 * make one that looks like it (unshare -U maps only the user); any other
 * namespace (the host's, a container's, a user's own) is not a sandbox, and
 * a shell that did not become root there is refused, not run unsandboxed. */
static bool in_sandbox_userns(uid_t uid)
{
	char buf[256];
	cleanup_close int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	unsigned long a, b, c, d, f, g;
	int end = 0;
	return sscanf(buf, " %lu %lu %lu %lu %lu %lu %n", &a, &b, &c, &d, &f, &g, &end) == 6 &&
	       buf[end] == '\0' && a == 0 && b == 0 && c == 1 && d == uid && f == uid && g == 1;
}

/* Arguments a shell is run with: none, or "-c CMD [ARGS...]". */
static const char *check_args(int argc, char **argv)
{
	/* Linux makes an argc 0 exec argc 1 with argv[0] "" (5.18): refuse
	 * both, as no login starts a shell without a name. */
	if (argc < 1 || !argv[0] || !argv[0][0])
		return "started without arguments (argc 0, or an empty argv[0])";
	if (argc > MAX_ARGS)
		return "too many arguments";
	for (int i = 0; i < argc; i++)
		if (strnlen(argv[i], MAX_ARG_LEN) >= MAX_ARG_LEN)
			return "argument too long";
	if (argc == 1 || (argc >= 3 && strcmp(argv[1], "-c") == 0))
		return NULL;
	return "only \"-c COMMAND [ARGS...]\" or no argument is accepted, as a login shell is "
	       "given";
}

/* Run SHELL as a login shell when LOGIN (argv[0] "-NAME"), with "-c CMD
 * [ARGS]" passed through. */
static _Noreturn void exec_shell(const char *shell, bool login, int argc, char **argv, char **envp)
{
	const char *base = strrchr(shell, '/') ? strrchr(shell, '/') + 1 : shell;
	char arg0[PATH_MAX + 1];
	snprintf(arg0, sizeof(arg0), "%s%s", login ? "-" : "", base);
	char *av[MAX_ARGS + 1];
	av[0] = arg0;
	for (int i = 1; i < argc; i++)
		av[i] = argv[i];
	av[argc] = NULL;
	execve(shell, av, envp);
	say("cannot run the shell %s: %m", shell);
	exit(EXIT_EXEC);
}

/* setns(CLONE_NEWPID) moves the children of this process into the
 * sandbox's PID namespace, not the process itself (the PAM path has it for
 * free: sshd, su and runuser fork the shell after the session opens). A
 * shell left in the host's PID namespace could signal the user's processes
 * outside by their pids, and finds no /proc/self. So the shell runs in a
 * child; this process waits for it and ends as it ended. It is the user
 * already, not dumpable since the uid change, and nothing inside can name
 * it. The terminal's SIGINT and SIGQUIT reach the child themselves; SIGHUP
 * and SIGTERM, sent to this process (the session's leader), are passed on.
 *
 * When this process leads the session of its terminal (sshd with a pty,
 * login), the session moves to the child: its process groups must be the
 * sandbox's, or the shell's job control finds none (dash cannot give the
 * terminal back to the group it started in and exits 2). This process
 * lets the terminal go (TIOCNOTTY, whose SIGHUP to its own group it
 * ignores), the child makes a session of its own and takes it. */
static bool leads_tty_session(void)
{
	return isatty(0) && getsid(0) == getpid() && tcgetsid(0) == getpid();
}
static pid_t shell_pid;

static void pass_on(int sig)
{
	if (shell_pid > 0)
		kill(shell_pid, sig);
}

static _Noreturn void exec_shell_in_child(const char *shell, bool login, int argc, char **argv,
					  char **envp)
{
	struct sigaction fwd = {.sa_handler = pass_on}, ign = {.sa_handler = SIG_IGN};
	sigemptyset(&fwd.sa_mask);
	sigemptyset(&ign.sa_mask);
	bool pass_tty = leads_tty_session();
	if (pass_tty) {
		sigaction(SIGHUP, &ign, NULL);
		if (ioctl(0, TIOCNOTTY) < 0) {
			say("cannot pass the terminal to the sandbox (TIOCNOTTY): %m");
			exit(EXIT_EXEC);
		}
	}
	shell_pid = fork();
	if (shell_pid < 0) {
		say("cannot start the shell in the sandbox: fork: %m");
		exit(EXIT_EXEC);
	}
	if (shell_pid == 0) {
		signal(SIGHUP, SIG_DFL);
		if (pass_tty && (setsid() < 0 || ioctl(0, TIOCSCTTY, 0) < 0)) {
			say("cannot take the terminal in the sandbox: %m");
			_exit(EXIT_EXEC);
		}
		exec_shell(shell, login, argc, argv, envp);
	}
	sigaction(SIGHUP, &fwd, NULL);
	sigaction(SIGTERM, &fwd, NULL);
	sigaction(SIGINT, &ign, NULL);
	sigaction(SIGQUIT, &ign, NULL);
	int status;
	while (waitpid(shell_pid, &status, 0) < 0)
		if (errno != EINTR)
			exit(EXIT_EXEC);
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/* Become the user for good: gid, groups, uid, then no capabilities left in
 * any set; each read back (SECURITY.md rule 3). */
static const char *drop_to(const struct passwd *pw, const gid_t *groups, size_t n)
{
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0)
		return "setresgid";
	if (setgroups(n, groups) < 0)
		return "setgroups";
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
		return "setresuid";
	uid_t r, e, s;
	gid_t rg, eg, sg;
	if (getresuid(&r, &e, &s) < 0 || r != pw->pw_uid || e != pw->pw_uid || s != pw->pw_uid ||
	    getresgid(&rg, &eg, &sg) < 0 || rg != pw->pw_gid || eg != pw->pw_gid ||
	    sg != pw->pw_gid || setfsuid((uid_t)-1) != (int)pw->pw_uid ||
	    setfsgid((gid_t)-1) != (int)pw->pw_gid)
		return "reading the ids back";
	/* The uid change cleared the permitted and effective sets; the
	 * inheritable and ambient ones are the caller's. */
	capng_clear(CAPNG_SELECT_CAPS);
	if (capng_apply(CAPNG_SELECT_CAPS) < 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return "clearing the capabilities";
	if (capng_get_caps_process() < 0 ||
	    capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE)
		return "reading the capabilities back";
	return NULL;
}

/* Into the sandbox of PW: join the running shared one, else ask the helper.
 * Returns 1 when policy gives the user no sandbox (the shell runs on the
 * host), 0 when this process is in the sandbox; refuses otherwise. */
static int enter_sandbox(const struct passwd *pw, const char *tty, const char *rhost)
{
	struct lj_err e = {""};
	bool warn;
	uid_t uid = pw->pw_uid;
	struct lj_ctl_session session;
	lj_ctl_session_set(&session, SERVICE, tty, rhost, getpid());
	int r = lj_fast_join(LJ_CONFDIR, pw, &session, &warn, &e);
	if (r == 1 && warn)
		syslog(LOG_AUTHPRIV | LOG_WARNING, "user %s: %s; asking the helper", pw->pw_name,
		       e.msg);
	if (r < 0)
		refuse(uid, "user %s: your login could not enter its sandbox: %s", pw->pw_name,
		       e.msg);
	if (r == 0)
		return 0;

	struct lj_reply rep;
	struct lj_helper_run h;
	int fds[LJ_NS_COUNT];
	const struct lj_helper_call call = {.helper = LJ_HELPER_PATH,
					    .user = pw->pw_name,
					    .service = SERVICE,
					    .tty = tty,
					    .rhost = rhost,
					    .config_dir = LJ_CONFDIR};
	if (lj_helper_run(&call, &rep, fds, &h, &e) < 0)
		refuse(uid, "your login was refused: the sandbox service failed: %s", e.msg);
	if (rep.status != LJ_REPLY_JOIN)
		lj_helper_reap(&h);
	switch (rep.status) {
	case LJ_REPLY_IGNORE:
		if (rep.log_msg[0])
			syslog(LOG_AUTHPRIV | LOG_WARNING, "%s", rep.log_msg);
		return 1;
	case LJ_REPLY_ALLOW:
		syslog(LOG_AUTHPRIV | LOG_WARNING, "%s", rep.log_msg);
		fprintf(stderr, "%s\n", rep.user_msg);
		return 1;
	case LJ_REPLY_JOIN:
		break;
	default:
		syslog(LOG_AUTHPRIV | LOG_ERR, "%s", rep.log_msg);
		refuse(uid, "%s", rep.user_msg[0] ? rep.user_msg : "your login was refused");
	}
	const char *bad;
	r = lj_ns_check_sandbox(fds, &bad);
	if (r < 0)
		lj_fail(&e, "the helper passed a bad %s namespace", bad ? bad : "(no /proc)");
	else
		r = lj_enter(fds, rep.flags & LJ_REPLY_F_HOST_NET, &e);
	for (size_t i = 0; i < LJ_NS_COUNT; i++)
		close(fds[i]);
	lj_helper_reap(&h);
	if (r < 0)
		refuse(uid, "user %s: your login could not enter its sandbox: %s", pw->pw_name,
		       e.msg);
	return 0;
}

/* 0-2 open (on /dev/null when closed), so that nothing opened later becomes
 * the shell's stdin, stdout or stderr. */
static int open_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0) {
			int n = open("/dev/null", O_RDWR);
			if (n < 0)
				return -1;
			if (n != fd) {
				close(n);
				return -1;
			}
		}
	return 0;
}

int main(int argc, char **argv)
{
	/* 1. Before anything is read: nothing this process runs may gain
	 * privileges, the shell included. Then the ids we started with, the
	 * only source of what we may do (SECURITY.md rule 1). */
	int nnp = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0)
		return EXIT_REFUSED;
	const bool setuid_root = euid == 0 && ruid != 0;
	if (open_std_fds() < 0)
		return EXIT_REFUSED;
	openlog(SERVICE, LOG_PID, LOG_AUTHPRIV);
	if (nnp < 0)
		refuse(ruid, "PR_SET_NO_NEW_PRIVS: %m");

	/* 2. */
	const char *bad = check_args(argc, argv);
	if (bad)
		refuse(ruid, "%s: this is a login shell (loginjail-shell(8))", bad);
	const bool login = argv[0][0] == '-';

	/* 3. */
	if (ruid == 0)
		refuse(ruid, "root is never sandboxed: give root a shell of its own, not "
			     "loginjail-shell");
	if (!setuid_root) {
		/* Inside the sandbox every mount is nosuid: the login came
		 * through the PAM module, which did all of it. The user only
		 * gets what they already have: their shell, from NSS. */
		if (euid == ruid && ruid != 0 && in_sandbox_userns(ruid)) {
			struct passwd *pw = getpwuid(ruid);
			if (pw)
				read_policy_shell(pw->pw_name);
			const char *shell = pw ? shell_of(pw) : FALLBACK_SHELL;
			exec_shell(shell, login, argc, argv, environ);
		}
		refuse(ruid,
		       "not installed setuid root (it runs with uid %u, effective uid %u): "
		       "install it with \"install -o root -m 4755\"",
		       (unsigned)ruid, (unsigned)euid);
	}

	/* 4. Root in every id: the user can neither signal nor ptrace what
	 * follows (kill(2) checks the real uid), nor can a group of theirs own
	 * anything made. The kept variables are copied before the rest of
	 * the environment goes (SECURITY.md rule 6). */
	if (setresgid(0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(0, 0, 0) < 0)
		refuse(ruid, "cannot become root in every id: %m");
	/* After the id change, which sets dumpable to fs.suid_dumpable. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	struct lj_err e = {""};
	if (lj_reset_signals(&e) < 0)
		refuse(ruid, "%s", e.msg);
	/* Until the drop, no signal the user can send or time (the terminal's
	 * keys, interval timers the caller set, which survive exec) stops the
	 * root work halfway: blocked, and the timers cleared. */
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &all, NULL);
	static const int timers[] = {ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF};
	for (size_t i = 0; i < LJ_ARRAY_SIZE(timers); i++)
		setitimer(timers[i], &(struct itimerval){0}, NULL);
	char rhost_buf[64];
	char tty_buf[64];
	const char *rhost = rhost_of(getenv("SSH_CONNECTION"), rhost_buf, sizeof(rhost_buf));
	const char *tty = ttyname_r(0, tty_buf, sizeof(tty_buf)) == 0 ? tty_buf : NULL;
	struct env env = {0};
	env_keep(&env);
	if (clearenv() != 0)
		refuse(ruid, "cannot clear the environment");

	/* 5. */
	struct passwd pwbuf, *pw = NULL;
	char buf[16384];
	if (getpwuid_r(ruid, &pwbuf, buf, sizeof(buf), &pw) != 0 || !pw)
		refuse(ruid, "uid %u has no account (NSS)", (unsigned)ruid);
	if (pw->pw_uid != ruid || !pw->pw_dir || pw->pw_dir[0] != '/')
		refuse(ruid, "the account of uid %u is not usable (uid or home)", (unsigned)ruid);
	read_policy_shell(pw->pw_name);
	const char *shell = shell_of(pw);
	/* The groups from the host's NSS, before the jail (SECURITY.md rule
	 * 12): the directory daemons NSS may ask are not in there. */
	static gid_t groups[NGROUPS_MAX];
	int ngroups = LJ_ARRAY_SIZE(groups);
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &ngroups) < 0)
		refuse(ruid, "user %s: too many groups", pw->pw_name);
	bool sandboxed = enter_sandbox(pw, tty, rhost) == 0;
	/* On the host, the bounding set goes too (lj_enter clears it in the
	 * sandbox). */
	if (!sandboxed && lj_clear_bounding_set() < 0)
		refuse(ruid, "cannot clear the capability bounding set: %m");

	/* 6. */
	const char *failed = drop_to(pw, groups, (size_t)ngroups);
	if (failed)
		refuse(ruid, "user %s: cannot drop privileges (%s): %m", pw->pw_name, failed);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (!sandboxed && close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		refuse(ruid, "cannot mark descriptors close-on-exec: %m");
	syslog(LOG_AUTHPRIV | LOG_INFO, "user %s: %s shell %s%s", pw->pw_name,
	       sandboxed ? "sandboxed" : "unsandboxed (no sandbox by policy)", shell,
	       login ? " (login)" : "");

	/* 7. */
	if (chdir(pw->pw_dir) < 0) {
		say("cannot change to the home %s: %m; starting in /", pw->pw_dir);
		if (chdir("/") < 0)
			refuse(ruid, "cannot change to /: %m");
	}
	if (env_add(&env, "HOME", pw->pw_dir) < 0 || env_add(&env, "SHELL", shell) < 0 ||
	    env_add(&env, "USER", pw->pw_name) < 0 || env_add(&env, "LOGNAME", pw->pw_name) < 0 ||
	    env_add(&env, "PATH", USER_PATH) < 0)
		refuse(ruid, "out of memory");
	char runtime[64];
	if (sandboxed && lj_runtime_dir(ruid, runtime, sizeof(runtime)) &&
	    env_add(&env, "XDG_RUNTIME_DIR", runtime) < 0)
		refuse(ruid, "out of memory");
	env.v[env.n] = NULL;
	closelog();
	if (sandboxed)
		exec_shell_in_child(shell, login, argc, argv, env.v);
	exec_shell(shell, login, argc, argv, env.v);
}
