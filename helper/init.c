/* PID 1 of a sandbox: builds the jail, then serves joins on the control
 * socket, watches every session's caller through a pidfd, reaps orphans and,
 * when the last session has ended and linger has passed, tears it all down:
 * kills every process, removes the cgroup and the state directory. */
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>

#include "cgroup.h"
#include "helper.h"
#include "proto.h"
#include "util.h"

#define MAX_SESSIONS 1024
#define FIRST_JOIN_MS 30000 /* the creating helper joins right away */
#define LOCK_RETRY_MS 20

struct init {
	struct lj_init_args *a;
	int nsfds[LJ_NS_COUNT];
	int sigfd;
	size_t n;
	int pidfd[MAX_SESSIONS];
	pid_t pid[MAX_SESSIONS];
	int64_t deadline_ms; /* teardown when no session is left by then; -1: never */
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_except(const int *keep, size_t n)
{
	for (int fd = 3; fd < 65536; fd++) {
		bool k = false;
		int next = 65536;
		for (size_t i = 0; i < n; i++) {
			if (keep[i] == fd)
				k = true;
			if (keep[i] > fd && keep[i] < next)
				next = keep[i];
		}
		if (k)
			continue;
		close_range((unsigned)fd, (unsigned)next - 1, 0);
		fd = next - 1;
	}
}

/* init is a fork of the helper and lives as long as the sandbox: give back
 * the heap the helper used and the stack pages its deep frames dirtied. */
__attribute__((noinline)) static void shed_memory(void)
{
	char line[256];
	uintptr_t lo = 0, hi = 0;
	malloc_trim(0);
	FILE *f = fopen("/proc/self/maps", "re");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") &&
		    sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &lo, &hi) == 2)
			break;
	if (f)
		fclose(f);
	/* Everything more than two pages below this frame is dead. */
	uintptr_t here = ((uintptr_t)__builtin_frame_address(0) & ~(uintptr_t)4095) - 2 * 4096;
	if (lo && here > lo && here < hi)
		madvise((void *)lo, here - lo, MADV_DONTNEED);
}

static void linger_from_now(struct init *in)
{
	int64_t l = in->a->pol->linger;
	in->deadline_ms = l == LJ_LINGER_FOREVER ? -1 : now_ms() + l * 1000;
}

static void serve_join(struct init *in, int conn)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct timeval tv = {.tv_sec = 2};
	struct lj_join req;
	int pidfd = -1;
	size_t nfd = 0;

	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 || cred.uid != 0)
		return;
	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (lj_recv_fds(conn, &req, sizeof(req), &pidfd, 1, &nfd) != sizeof(req) || nfd != 1 ||
	    req.version != LJ_PROTO_VERSION) {
		if (nfd)
			close(pidfd);
		return;
	}
	if (in->n >= MAX_SESSIONS) {
		syslog(LOG_ERR, "sandbox %s: more than %d sessions, refusing one more", in->a->name,
		       MAX_SESSIONS);
		close(pidfd);
		return;
	}
	in->pidfd[in->n] = pidfd;
	in->pid[in->n] = (pid_t)req.caller_pid;
	in->n++;
	struct lj_join_ok ok = {.version = LJ_PROTO_VERSION, .sessions = (uint32_t)in->n};
	if (lj_send_fds(conn, &ok, sizeof(ok), in->nsfds, LJ_NS_COUNT) < 0) {
		close(in->pidfd[--in->n]);
		return;
	}
}

static bool accept_joins(struct init *in)
{
	bool any = false;
	for (;;) {
		int c = accept4(in->a->listenfd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			return any;
		serve_join(in, c);
		close(c);
		any = true;
	}
}

static void reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* Returns only when teardown has to wait (the user's lock is busy, or a
 * session joined meanwhile). */
static void try_teardown(struct init *in)
{
	struct lj_init_args *a = in->a;
	struct lj_err e = {""};
	int lock = lj_state_trylock_user(a->rundir, a->user->uid);
	if (lock < 0)
		return;
	/* Under the lock no new helper can connect; serve those already queued. */
	if (accept_joins(in) && in->n > 0) {
		lj_state_unlock_user(a->rundir, a->user->uid, lock, true);
		return;
	}
	unlinkat(a->statedir, "ctl", 0);
	close(a->listenfd);

	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	if (setns(a->host_cgns, CLONE_NEWCGROUP) < 0 || lj_cgroup_park(a->cg, getpid(), &e) < 0 ||
	    lj_cgroup_destroy(a->cg, &e) < 0)
		syslog(LOG_ERR, "sandbox %s of %s: teardown: %s", a->name, a->user->name,
		       e.msg[0] ? e.msg : strerror(errno));
	lj_state_remove(a->rundir, a->name);
	lj_state_unlock_user(a->rundir, a->user->uid, lock, true);
	syslog(LOG_INFO, "sandbox %s of %s ended", a->name, a->user->name);
	_exit(0);
}

static int setup(struct init *in, struct lj_err *e)
{
	struct lj_init_args *a = in->a;
	char root[256];
	snprintf(root, sizeof(root), "%s/%s/root", LJ_RUNDIR, a->name);
	struct lj_jail_spec spec = {.user = a->user,
				    .pol = a->pol,
				    .homefd = a->homefd,
				    .hometree = a->hometree,
				    .rootdir = root};
	if (lj_jail_build(&spec, e) < 0)
		return -1;
	/* The helper maps the user namespace while the jail is being built and
	 * then hands it over. */
	uint32_t version = 0;
	int usernsfd = -1;
	size_t n = 0;
	if (lj_recv_fds(a->readyfd, &version, sizeof(version), &usernsfd, 1, &n) !=
		    sizeof(version) ||
	    n != 1 || version != LJ_PROTO_VERSION)
		return lj_fail(e, "no user namespace from the helper");
	if (a->homefd >= 0)
		close(a->homefd);
	if (a->hometree >= 0)
		close(a->hometree);

	/* The jail's own /proc now: these are the namespaces sessions join. */
	for (size_t i = 0; i < LJ_NS_COUNT; i++) {
		char p[64];
		if (lj_ns_order[i].type == CLONE_NEWUSER) {
			in->nsfds[i] = usernsfd;
			continue;
		}
		snprintf(p, sizeof(p), "/proc/self/ns/%s", lj_ns_order[i].name);
		in->nsfds[i] = open(p, O_RDONLY | O_CLOEXEC);
		if (in->nsfds[i] < 0)
			return lj_fail_errno(e, "cannot open %s", p);
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	in->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (in->sigfd < 0)
		return lj_fail_errno(e, "signalfd");
	int fl = fcntl(a->listenfd, F_GETFL);
	if (fl < 0 || fcntl(a->listenfd, F_SETFL, fl | O_NONBLOCK) < 0)
		return lj_fail_errno(e, "cannot make the control socket non-blocking");
	return 0;
}

void lj_init_main(struct lj_init_args *a)
{
	static struct init in;
	struct lj_err e = {""};

	in.a = a;
	setsid();
	prctl(PR_SET_NAME, "loginjail-init");
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close(null);
	}
	int keep[16] = {a->rundir, a->statedir, a->listenfd, a->readyfd,
			a->homefd, a->hometree, a->host_cgns};
	size_t nkeep = 7 + lj_cgroup_fds(keep + 7, LJ_ARRAY_SIZE(keep) - 7);
	close_except(keep, nkeep);
	openlog("loginjail", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);

	if (setup(&in, &e) < 0) {
		char msg[sizeof(e.msg) + 1];
		snprintf(msg, sizeof(msg), "E%s", e.msg);
		if (write(a->readyfd, msg, strlen(msg)) < 0)
			_exit(2);
		_exit(1);
	}
	if (write(a->readyfd, "R", 1) != 1)
		_exit(1);
	close(a->readyfd);
	shed_memory();

	in.deadline_ms = now_ms() + FIRST_JOIN_MS;
	for (;;) {
		struct pollfd p[MAX_SESSIONS + 2];
		p[0] = (struct pollfd){.fd = a->listenfd, .events = POLLIN};
		p[1] = (struct pollfd){.fd = in.sigfd, .events = POLLIN};
		for (size_t i = 0; i < in.n; i++)
			p[i + 2] = (struct pollfd){.fd = in.pidfd[i], .events = POLLIN};
		int timeout = -1;
		if (in.n == 0 && in.deadline_ms >= 0) {
			int64_t left = in.deadline_ms - now_ms();
			timeout = left <= 0 ? LOCK_RETRY_MS : (int)(left > 60000 ? 60000 : left);
		}
		int r = poll(p, in.n + 2, timeout);
		if (r < 0 && errno != EINTR)
			_exit(3);

		if (r > 0 && (p[1].revents & POLLIN)) {
			struct signalfd_siginfo si;
			while (read(in.sigfd, &si, sizeof(si)) == sizeof(si))
				if (si.ssi_signo != SIGCHLD) {
					in.n = 0; /* asked to stop: end every session now */
					in.deadline_ms = 0;
				}
			reap();
		}
		/* Sessions whose caller has exited, newest first so indexes hold. */
		for (size_t i = in.n; r > 0 && i-- > 0;) {
			if (!(p[i + 2].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			close(in.pidfd[i]);
			in.pidfd[i] = in.pidfd[in.n - 1];
			in.pid[i] = in.pid[in.n - 1];
			in.n--;
			if (in.n == 0)
				linger_from_now(&in);
		}
		if (r > 0 && (p[0].revents & POLLIN))
			accept_joins(&in);
		if (in.n == 0 && in.deadline_ms >= 0 && now_ms() >= in.deadline_ms)
			try_teardown(&in);
	}
}
