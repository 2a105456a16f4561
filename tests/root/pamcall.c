/* pamcall: pam_open_session of the service "ljt-pamcall" in CONFDIR, whose
 * stack is the one line "session required pam_loginjail.so ...", so that the
 * module's own answer is what comes back (PAM_IGNORE, the stack's only
 * module ignoring, comes back as PAM_PERM_DENIED: no module decided); and
 * report what the call left behind in the calling process (SECURITY.md
 * rules 19 and 25).
 *
 *   pamcall [-t] REPORT-FD CONFDIR USER
 *
 * (LJ_PAMCALL_SERVICE names another service in CONFDIR: systemd-user.)
 *
 * Before the call: a SIGCHLD handler, umask 027, SIGUSR1 blocked, and a
 * child of our own that has exited (a zombie the module must not reap);
 * -t starts a second thread first. The report, on REPORT-FD (opened by the
 * caller; it stays usable after the module joins a sandbox), is one
 * "key=value" line each: rc, rc_name, the conversation's messages (conv=),
 * whether SIGCHLD's handler, the umask, the signal mask and the uids are as
 * they were, whether our zombie is still ours to reap, the hostname, and last
 * "returned=yes" (the module did not exit). Nothing else is written to 1-2:
 * anything there came from the module. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <security/pam_appl.h>

static FILE *rep;

static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	(void)data;
	for (int i = 0; i < n; i++)
		fprintf(rep, "conv=%d %s\n", msg[i]->msg_style, msg[i]->msg);
	*resp = NULL;
	return PAM_SUCCESS;
}

static void on_chld(int sig)
{
	(void)sig;
}

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

int main(int argc, char **argv)
{
	int threaded = argc > 1 && strcmp(argv[1], "-t") == 0;
	argv += threaded;
	argc -= threaded;
	if (argc != 4)
		return 125;
	rep = fdopen(atoi(argv[1]), "w");
	if (!rep)
		return 125;
	setvbuf(rep, NULL, _IOLBF, 0);
	struct pam_conv pc = {conv, NULL};
	pam_handle_t *pamh;
	const char *service = getenv("LJ_PAMCALL_SERVICE");
	if (pam_start_confdir(service ? service : "ljt-pamcall", argv[3], &pc, argv[2], &pamh) !=
	    PAM_SUCCESS) {
		fprintf(rep, "error=pam_start_confdir\n");
		return 125;
	}

	struct sigaction sa = {.sa_handler = on_chld}, now;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	umask(027);
	sigset_t blk, mask;
	sigemptyset(&blk);
	sigaddset(&blk, SIGUSR1);
	sigprocmask(SIG_SETMASK, &blk, NULL);
	pid_t zombie = fork();
	if (zombie == 0)
		_exit(7);
	siginfo_t si;
	waitid(P_PID, zombie, &si, WEXITED | WNOWAIT); /* exited, not reaped */
	pthread_t t;
	if (threaded && pthread_create(&t, NULL, idle, NULL) != 0) {
		fprintf(rep, "error=pthread_create\n");
		return 125;
	}

	int rc = pam_open_session(pamh, 0);

	/* A stack whose only module ignored the call fails with PERM_DENIED. */
	fprintf(rep, "rc=%d\nrc_name=%s\n", rc,
		rc == PAM_SUCCESS	? "PAM_SUCCESS"
		: rc == PAM_PERM_DENIED ? "PAM_IGNORE"
		: rc == PAM_SESSION_ERR ? "PAM_SESSION_ERR"
					: pam_strerror(pamh, rc));
	sigaction(SIGCHLD, NULL, &now);
	fprintf(rep, "sigchld=%s\n", now.sa_handler == on_chld ? "kept" : "changed");
	mode_t m = umask(027);
	fprintf(rep, "umask=%03o\n", (unsigned)m);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	fprintf(rep, "sigmask=%s\n",
		sigismember(&mask, SIGUSR1) && !sigismember(&mask, SIGCHLD) ? "kept" : "changed");
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	fprintf(rep, "uids=%d %d %d\n", (int)r, (int)e, (int)s);
	int st = 0;
	pid_t w = waitpid(zombie, &st, WNOHANG);
	fprintf(rep, "zombie=%s\n",
		w == zombie && WIFEXITED(st) && WEXITSTATUS(st) == 7 ? "ours" : "taken");
	struct utsname u;
	uname(&u);
	fprintf(rep, "hostname=%s\n", u.nodename);
	fprintf(rep, "returned=yes\n");
	return 0;
}
