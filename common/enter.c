/* Entering a sandbox, for the PAM module and loginjail-shell (enter.h). */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "enter.h"
#include "join.h"
#include "landlock.h"
#include "ns.h"
#include "tty_filter.h"
#include "util.h"

#define HELPER_TIMEOUT_MS 60000

/* One thread: /proc/self/task has ".", ".." and that one. */
bool lj_single_threaded(void)
{
	struct stat st;
	return stat("/proc/self/task", &st) == 0 && st.st_nlink == 3;
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
	/* Root in every uid and gid. A setuid-root caller (su run by a user,
	 * loginjail-shell) has the user's real uid and gid: the helper refuses
	 * them, and they would let that user signal the helper and the
	 * sandbox's init it starts, and give the user's group what the helper
	 * creates. The effective uid 0 that the caller requires allows it. Raw
	 * system calls: libc's would set the ids of every thread it knows,
	 * which are the caller's. */
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
 * no copy of a large caller such as sshd's monitor), and as root in every
 * uid and gid, which posix_spawn cannot do (helper_child). On failure, errno
 * and *failed say which step. */
static pid_t spawn_helper(const char *path, int sock, const char *const *argv, const char **failed)
{
	struct helper_child c = {
		.path = path, .argv = (char *const *)argv, .sock = sock, .failed = "clone"};
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

/* Reaped after the caller has joined: the helper's exit is not on the
 * login's critical path. */
int lj_helper_reap(struct lj_helper_run *h)
{
	int status = 0;
	while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGCHLD, &h->old_chld, NULL);
	return status;
}

int lj_helper_run(const struct lj_helper_call *c, struct lj_reply *rep, int *fds,
		  struct lj_helper_run *h, struct lj_err *e)
{
	const char *argv[16];
	int n = 0;
	argv[n++] = "loginjail-helper";
	argv[n++] = "open";
	argv[n++] = "--user";
	argv[n++] = c->user;
	const char *const opt[][2] = {{"--service", c->service},
				      {"--tty", c->tty},
				      {"--rhost", c->rhost},
				      {"--config-dir", c->config_dir}};
	for (size_t i = 0; i < LJ_ARRAY_SIZE(opt); i++)
		if (opt[i][1]) {
			argv[n++] = opt[i][0];
			argv[n++] = opt[i][1];
		}
	/* A multi-threaded process cannot join a mount or user namespace: the
	 * helper then only says whether policy wanted a sandbox. */
	if (!lj_single_threaded())
		argv[n++] = "--caller-threaded";
	argv[n] = NULL;

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return lj_fail_errno(e, "socketpair");
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
	h->pid = sv[1] < 0 ? -1 : spawn_helper(c->helper, sv[1], argv, &failed);
	if (sv[1] >= 0)
		close(sv[1]);
	if (h->pid < 0) {
		int err = errno;
		close(sv[0]);
		sigaction(SIGCHLD, &h->old_chld, NULL);
		errno = err;
		return lj_fail_errno(e, "cannot run the helper %s (%s)", c->helper, failed);
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
		int status = lj_helper_reap(h);
		for (size_t i = 0; i < nfds; i++)
			close(fds[i]);
		return lj_fail(e, "user %s: no valid answer from %s (%s, exit status %d)", c->user,
			       c->helper, pr == 1 ? "bad reply" : "timed out", status);
	}
	rep->user_msg[sizeof(rep->user_msg) - 1] = '\0';
	rep->log_msg[sizeof(rep->log_msg) - 1] = '\0';
	return 0;
}

/* No TIOCSTI or TIOCLINUX, for the caller and everything it starts: the
 * program libseccomp compiled at build time (gen_tty_filter.c says what it
 * refuses, and why). PR_SET_NO_NEW_PRIVS is set already. */
static int deny_tty_injection(void)
{
	struct sock_fprog prog = {.len = LJ_ARRAY_SIZE(lj_tty_filter),
				  .filter = (struct sock_filter *)lj_tty_filter};
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* Entering a user namespace resets the bounding set to full: clear it with
 * the CAP_SETPCAP the caller has inside, one PR_CAPBSET_DROP per capability
 * the kernel knows (it fails with EINVAL past the last; any other failure
 * refuses the login). Not libcap-ng's capng_apply: it re-reads
 * /proc/self/status first, which was a quarter of the time of a whole join
 * here; and no read-back, which measured as much again (a dropped capability
 * cannot come back; test_inside checks CapBnd in every session). */
int lj_clear_bounding_set(void)
{
	for (int c = 0;; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			return errno == EINVAL && c > CAP_SETPCAP ? 0 : -1;
}

/* A sandbox with the host's network namespace (HOST_NET) shares the host's
 * abstract unix sockets, which have no owner or mode to check: this process,
 * of which the session is all the descendants, gets a Landlock domain of its
 * own that reaches only the abstract sockets made inside it. A sandbox with a
 * network namespace of its own has no other abstract sockets than its own; a
 * domain there would only part the sessions of one sandbox (share = user)
 * from each other's sockets. Where the kernel cannot (before Linux 6.12) the
 * session goes on unscoped: loginjailctl check says so. No signal scope: the
 * sandbox's PID namespace already names no process outside it, and a scope
 * would part those sessions from each other's processes too. */
int lj_enter(const int *fds, bool host_net, struct lj_err *e)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return lj_fail_errno(e, "PR_SET_NO_NEW_PRIVS");
	if (deny_tty_injection() < 0)
		return lj_fail_errno(e, "cannot install the TIOCSTI filter");
	if (host_net && lj_landlock_scope_abstract_unix() < 0)
		return lj_fail_errno(e, "cannot scope the session's abstract unix sockets with "
					"Landlock (network = host)");
	for (size_t i = 0; i < LJ_NS_COUNT; i++)
		if (setns(fds[i], lj_ns_order[i].type) < 0)
			return lj_fail_errno(e, "cannot join the sandbox's %s namespace",
					     lj_ns_order[i].name);
	/* Descriptors the application inherited from its own caller (su and
	 * runuser hand theirs to the shell) may point at host directories:
	 * none of them may reach the session. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return lj_fail_errno(e, "cannot mark descriptors close-on-exec");
	if (lj_clear_bounding_set() < 0)
		return lj_fail(e, "cannot clear the capability bounding set");
	return 0;
}

int lj_fast_join(const char *config_dir, const struct passwd *pw,
		 const struct lj_ctl_session *session, bool *warn, struct lj_err *e)
{
	const char *service = session->service[0] ? session->service : NULL;
	*warn = false;
	/* The user manager's session is for the policy to allow (the helper). */
	if (!pw || pw->pw_uid == 0 || !lj_single_threaded() ||
	    (service && strcmp(service, LJ_USER_MANAGER_SERVICE) == 0))
		return 1;
	cleanup_close int rundir = lj_rundir_open(false, e);
	cleanup_close int self = rundir < 0 ? -1 : (int)pidfd_open(getpid(), 0);
	if (self < 0)
		return 1;
	struct lj_ctl_key key;
	if (lj_ctl_key_init(&key, config_dir, pw->pw_name, pw->pw_uid, pw->pw_gid, pw->pw_dir) < 0)
		return 1;
	char name[64];
	snprintf(name, sizeof(name), LJ_SHARED_NAME, (unsigned)pw->pw_uid);
	struct lj_joined j;
	int r = lj_join(rundir, name, self, session, pw->pw_name, &key, false, &j, e);
	if (r != 0) {
		/* Declined (another account or policy directory, the policy
		 * files changed, full) or an error: the helper decides, under
		 * the user's lock, with the policy. */
		*warn = r < 0;
		return 1;
	}
	r = lj_join_attach(&j, 0, pw->pw_uid, service, e);
	if (r == 0)
		r = lj_enter(j.ns, j.host_net, e);
	lj_joined_close(&j);
	return r < 0 ? -1 : 0;
}

const char *lj_runtime_dir(uid_t uid, char *buf, size_t len)
{
	struct stat st;
	snprintf(buf, len, LJ_RUNTIME_DIR_FMT, (unsigned)uid);
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : NULL;
}
