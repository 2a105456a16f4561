/* loginjailctl enter USER [--root] [-- CMD...]: a command in the user's
 * running sandbox, for the administrator. The sandbox is reached through its
 * control socket, never by a pid (SECURITY.md rule 16), and joined as a
 * login joins it: a session of its own (service "loginjailctl"), which
 * keeps the sandbox alive while the command runs, with the key of the
 * account and policy as they are now (a sandbox that another account or
 * another policy built is not entered).
 *
 * loginjailctl is the session's caller and waits; its child joins the
 * cgroup and the namespaces (enter.h, as the PAM module does) and forks the
 * command, which is in the sandbox's pid namespace. The command runs as
 * the user (ids from NSS, a fresh environment, the home as its directory),
 * or with --root as uid 0 of the sandbox's user namespace, which is host
 * root's uid but holds no capability outside it, none in its bounding set,
 * and every mount is nosuid (docs/mechanism.md). */
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl.h"
#include "ctlmsg.h"
#include "enter.h"
#include "join.h"
#include "util.h"

#define ENTER_PATH "/usr/local/bin:/usr/bin:/bin"

/* What the command runs as, and with. */
struct target {
	const struct passwd *pw;
	bool root;
	char **cmd; /* NULL: the login shell */
};

/* The command's identity and environment, then the exec: in the sandbox. */
__attribute__((noreturn)) static void run(const struct target *t)
{
	const struct passwd *pw = t->pw;
	const char *shell = pw->pw_shell && pw->pw_shell[0] ? pw->pw_shell : "/bin/sh";
	const char *home = t->root ? "/" : pw->pw_dir;
	if (!t->root) {
		gid_t gids[LJ_MAX_GROUPS];
		int n = LJ_MAX_GROUPS;
		if (getgrouplist(pw->pw_name, pw->pw_gid, gids, &n) < 0)
			n = 0;
		/* Only the groups the sandbox's user namespace maps; the
		 * others would be the overflow gid: the kernel refuses them. */
		if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
		    (setgroups((size_t)n, gids) < 0 && setgroups(0, NULL) < 0) ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0) {
			fprintf(stderr, "loginjailctl: cannot become %s in the sandbox: %s\n",
				pw->pw_name, strerror(errno));
			_exit(126);
		}
		uid_t r, e, s;
		if (getresuid(&r, &e, &s) < 0 || r != pw->pw_uid || e != pw->pw_uid ||
		    s != pw->pw_uid) {
			fprintf(stderr, "loginjailctl: still not %s in the sandbox\n", pw->pw_name);
			_exit(126);
		}
	}
	if (chdir(home) < 0 && chdir("/") < 0)
		_exit(126);
	char *env[8];
	int n = 0;
	if (asprintf(&env[n++], "HOME=%s", home) < 0 ||
	    asprintf(&env[n++], "USER=%s", t->root ? "root" : pw->pw_name) < 0 ||
	    asprintf(&env[n++], "LOGNAME=%s", t->root ? "root" : pw->pw_name) < 0 ||
	    asprintf(&env[n++], "SHELL=%s", shell) < 0 ||
	    asprintf(&env[n++], "PATH=%s", ENTER_PATH) < 0)
		_exit(126);
	const char *term = getenv("TERM");
	if (term && asprintf(&env[n++], "TERM=%s", term) < 0)
		_exit(126);
	/* The user's, as its logins have it (not root's: it has none). */
	char runtime[64];
	if (!t->root && lj_runtime_dir(pw->pw_uid, runtime, sizeof(runtime)) &&
	    asprintf(&env[n++], "XDG_RUNTIME_DIR=%s", runtime) < 0)
		_exit(126);
	env[n] = NULL;
	if (t->cmd) {
		execvpe(t->cmd[0], t->cmd, env);
		fprintf(stderr, "loginjailctl: cannot run %s in the sandbox: %s\n", t->cmd[0],
			strerror(errno));
		_exit(127);
	}
	/* A login shell: its name with a leading '-'. */
	const char *base = strrchr(shell, '/') ? strrchr(shell, '/') + 1 : shell;
	char *argv0;
	if (asprintf(&argv0, "-%s", base) < 0)
		_exit(126);
	execle(shell, argv0, (char *)NULL, env);
	fprintf(stderr, "loginjailctl: cannot run %s in the sandbox: %s\n", shell, strerror(errno));
	_exit(127);
}

/* Wait for PID; its exit status as a shell gives it. */
static int wait_status(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 126;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The child of loginjailctl: into the sandbox, then the command as its
 * child (the first process that is in the sandbox's pid namespace). */
__attribute__((noreturn)) static void child(const struct lj_joined *j, const struct target *t)
{
	struct lj_err e = {""};
	if (lj_join_attach(j, 0, t->pw->pw_uid, "loginjailctl", &e) < 0 ||
	    lj_enter(j->ns, j->host_net, &e) < 0) {
		fprintf(stderr, "loginjailctl: cannot enter the sandbox of %s: %s\n",
			t->pw->pw_name, e.msg);
		_exit(126);
	}
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "loginjailctl: fork: %s\n", strerror(errno));
		_exit(126);
	}
	if (pid == 0)
		run(t);
	_exit(wait_status(pid));
}

int cmd_enter(int argc, char **argv)
{
	struct target t = {0};
	const char *user = NULL, *dir = LJ_CONFDIR;
	int i;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--root") == 0)
			t.root = true;
		else if (strcmp(argv[i], "--config-dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (argv[i][0] != '-' && !user)
			user = argv[i];
		else
			return usage_error("enter: unexpected argument '%s'", argv[i]);
	}
	if (!user)
		return usage_error("enter: give the USER whose sandbox to enter");
	if (i < argc)
		t.cmd = argv + i;
	int r = need_root("enter");
	if (r)
		return r;
	errno = 0;
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		fprintf(stderr, "loginjailctl: no user %s%s%s\n", user, errno ? ": " : "",
			errno ? strerror(errno) : "");
		return EXIT_LOOKUP;
	}
	t.pw = pw;

	/* The key a login of the user would join with now. */
	struct lj_ctl_key key;
	struct lj_policy pol;
	struct lj_config *cfg = NULL;
	if (lj_ctl_key_init(&key, dir, pw->pw_name, pw->pw_uid, pw->pw_gid, pw->pw_dir) < 0) {
		fprintf(stderr, "loginjailctl: cannot read the policy directory %s: %s\n", dir,
			strerror(errno));
		return EXIT_INVALID;
	}
	if ((r = ctl_policy_of(dir, pw, &pol, &cfg)) != EXIT_OK)
		return r;
	lj_policy_digest(&pol, key.policy);
	lj_policy_key_digests(&pol, key.keys, LJ_ARRAY_SIZE(key.keys));
	lj_policy_free(&pol);
	lj_config_free(cfg);

	struct lj_err e = {""};
	cleanup_close int rundir = lj_rundir_open(false, &e);
	if (rundir < 0 && errno != ENOENT) {
		fprintf(stderr, "loginjailctl: %s\n", e.msg);
		return EXIT_INVALID;
	}
	cleanup_close int self = pidfd_open(getpid(), 0);
	if (self < 0) {
		fprintf(stderr, "loginjailctl: pidfd_open: %s\n", strerror(errno));
		return EXIT_INVALID;
	}
	char name[64], *tty = ttyname(0);
	snprintf(name, sizeof(name), LJ_SHARED_NAME, (unsigned)pw->pw_uid);
	struct lj_ctl_session session;
	lj_ctl_session_set(&session, "loginjailctl",
			   tty && strncmp(tty, "/dev/", 5) == 0 ? tty + 5 : tty, NULL, getpid());
	struct lj_joined j;
	r = rundir < 0 ? 1 : lj_join(rundir, name, self, &session, pw->pw_name, &key, true, &j, &e);
	if (r == 1) {
		fprintf(stderr,
			"loginjailctl: no sandbox of %s is running (a sandbox of share = session is "
			"not entered)\n",
			user);
		return EXIT_INVALID;
	}
	if (r != 0) {
		fprintf(stderr, "loginjailctl: %s\n", e.msg);
		return EXIT_INVALID;
	}
	/* The command has the terminal: loginjailctl, its session's caller,
	 * only waits, as su does. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	pid_t pid = fork();
	if (pid < 0) {
		lj_joined_close(&j);
		fprintf(stderr, "loginjailctl: fork: %s\n", strerror(errno));
		return EXIT_INVALID;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		child(&j, &t);
	}
	lj_joined_close(&j);
	return wait_status(pid);
}
