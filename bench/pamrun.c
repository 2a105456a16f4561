/* pamrun: drive one PAM session without sshd, for benchmarks and tests.
 *
 *   pamrun [-c CONFDIR] [-T FILE] SERVICE USER -- CMD ARGS...
 *
 * pam_start_confdir(SERVICE, USER) (CONFDIR: a private pam.d; default the
 * system's), pam_open_session, then a child drops to USER (initgroups,
 * setgid, setuid, each checked) and execs CMD with a clean environment; the
 * parent waits, calls pam_close_session and pam_end, and exits with CMD's
 * status (128+N for signal N). SIGTERM/SIGINT/SIGHUP are passed on to CMD.
 * Exit codes of its own: 125 usage or PAM failure, 126 cannot run CMD as
 * USER, 127 CMD not found. Runs as root.
 * -T FILE appends one line of phase durations in microseconds:
 *   "start open run close end" (pam_start_confdir, pam_open_session, fork to
 *   CMD's exit, pam_close_session, pam_end). */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

#define EXIT_PAM 125
#define EXIT_CANNOT 126
#define EXIT_NOTFOUND 127

static volatile sig_atomic_t child_pid;

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* No prompts are answered: a session stack has no business asking. Messages
 * (pam_error, pam_info) go to stderr. */
static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	(void)data;
	for (int i = 0; i < n; i++) {
		if (msg[i]->msg_style == PAM_ERROR_MSG || msg[i]->msg_style == PAM_TEXT_INFO) {
			fprintf(stderr, "pamrun: pam says: %s\n", msg[i]->msg);
			continue;
		}
		return PAM_CONV_ERR;
	}
	*resp = NULL;
	return PAM_SUCCESS;
}

static void usage(void)
{
	fprintf(stderr, "usage: pamrun [-c CONFDIR] [-T FILE] SERVICE USER -- CMD ARGS...\n");
	exit(EXIT_PAM);
}

__attribute__((noreturn)) static void run_child(const struct passwd *pw, char **cmd)
{
	char home[4200], user[128], logname[140], shell[4200];
	snprintf(home, sizeof(home), "HOME=%s", pw->pw_dir);
	snprintf(user, sizeof(user), "USER=%s", pw->pw_name);
	snprintf(logname, sizeof(logname), "LOGNAME=%s", pw->pw_name);
	snprintf(shell, sizeof(shell), "SHELL=%s", pw->pw_shell);
	char *envp[] = {home, user, logname, shell, "PATH=/usr/local/bin:/usr/bin:/bin", NULL};

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (initgroups(pw->pw_name, pw->pw_gid) < 0) {
		perror("pamrun: initgroups");
		_exit(EXIT_CANNOT);
	}
	if (setgid(pw->pw_gid) < 0) {
		perror("pamrun: setgid");
		_exit(EXIT_CANNOT);
	}
	if (setuid(pw->pw_uid) < 0) {
		perror("pamrun: setuid");
		_exit(EXIT_CANNOT);
	}
	if (setuid(0) == 0) {
		fprintf(stderr, "pamrun: could regain uid 0 after setuid\n");
		_exit(EXIT_CANNOT);
	}
	if (chdir(pw->pw_dir) < 0 && chdir("/") < 0) {
		perror("pamrun: chdir");
		_exit(EXIT_CANNOT);
	}
	environ = envp;
	execvp(cmd[0], cmd);
	int err = errno;
	fprintf(stderr, "pamrun: cannot run %s: %s\n", cmd[0], strerror(err));
	_exit(err == ENOENT ? EXIT_NOTFOUND : EXIT_CANNOT);
}

int main(int argc, char **argv)
{
	const char *confdir = NULL, *times = NULL;
	int i = 1;
	while (i + 1 < argc && (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "-T") == 0)) {
		if (argv[i][1] == 'c')
			confdir = argv[i + 1];
		else
			times = argv[i + 1];
		i += 2;
	}
	if (argc - i < 4 || strcmp(argv[i + 2], "--") != 0)
		usage();
	const char *service = argv[i], *username = argv[i + 1];
	char **cmd = argv + i + 3;

	/* The user as the host sees it, before the session may move us. */
	errno = 0;
	struct passwd *p = getpwnam(username);
	if (!p) {
		fprintf(stderr, "pamrun: no user %s\n", username);
		return EXIT_PAM;
	}
	struct passwd pw = *p;
	pw.pw_name = strdup(p->pw_name);
	pw.pw_dir = strdup(p->pw_dir);
	pw.pw_shell = strdup(p->pw_shell);
	if (!pw.pw_name || !pw.pw_dir || !pw.pw_shell) {
		perror("pamrun");
		return EXIT_PAM;
	}

	/* Opened before the session may move us into another mount namespace. */
	FILE *tf = times ? fopen(times, "ae") : NULL;
	if (times && !tf) {
		perror(times);
		return EXIT_PAM;
	}
	long long t[6];
	t[0] = now_us();

	struct pam_conv pc = {conv, NULL};
	pam_handle_t *pamh = NULL;
	int r = pam_start_confdir(service, username, &pc, confdir, &pamh);
	if (r != PAM_SUCCESS) {
		fprintf(stderr, "pamrun: pam_start_confdir: %s\n", pam_strerror(pamh, r));
		return EXIT_PAM;
	}
	t[1] = now_us();
	r = pam_open_session(pamh, 0);
	t[2] = now_us();
	if (r != PAM_SUCCESS) {
		fprintf(stderr, "pamrun: pam_open_session(%s, %s): %s\n", service, username,
			pam_strerror(pamh, r));
		pam_end(pamh, r);
		return EXIT_PAM;
	}

	struct sigaction sa = {.sa_handler = forward};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	int status = 0, code;
	pid_t pid = fork();
	if (pid < 0) {
		perror("pamrun: fork");
		code = EXIT_CANNOT;
	} else {
		if (pid == 0)
			run_child(&pw, cmd);
		child_pid = pid;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}

	t[3] = now_us();
	r = pam_close_session(pamh, 0);
	t[4] = now_us();
	if (r != PAM_SUCCESS)
		fprintf(stderr, "pamrun: pam_close_session: %s\n", pam_strerror(pamh, r));
	pam_end(pamh, r);
	t[5] = now_us();
	if (tf) {
		fprintf(tf, "%lld %lld %lld %lld %lld\n", t[1] - t[0], t[2] - t[1], t[3] - t[2],
			t[4] - t[3], t[5] - t[4]);
		fclose(tf);
	}
	return code;
}
