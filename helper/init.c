/* loginjail-init: PID 1 of a sandbox, exec'ed by the helper's child that
 * built the jail (init_setup.c), with its descriptors as init.h lays them
 * out. It serves joins on the control socket, watches every session's caller through
 * a pidfd, reaps orphans and, when the last session has ended and linger has
 * passed, tears it all down: kills every process, removes the cgroup and the
 * state directory. It is small on purpose: one runs per logged-in user. */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>

#include "audit.h"
#include "ctlmsg.h"
#include "init.h"
#include "join.h"
#include "ttys.h"
#include "util.h"

#define MAX_SESSIONS 1024
/* poll: the control socket, the signals, the limit hits, the login records,
 * the sessions. */
#define FIRST_SESSION 4
_Static_assert(MAX_SESSIONS <= LJ_CTL_SESS_MAX, "loginjailctl reads every session");
#define LOCK_RETRY_MS 20
#define ABANDON_WAIT_MS 2000
/* At teardown the sandbox's processes are dead (its pid namespace); the
 * callers of its sessions (sshd, su...) end theirs and exit by themselves:
 * they get this long before what is left in the cgroup is killed. */
#define CALLER_GRACE_MS 5000
/* cgroup v1 signals an OOM before the kill is counted (cgroup-events.c):
 * after a signal, the counters are read again every so often, for a while. */
#define HITS_RECHECK_MS 50
#define HITS_RECHECK_FOR_MS 2000

struct init {
	const char *name, *user;
	bool listening; /* joins are still taken */
	uid_t uid;
	int64_t linger; /* seconds, LJ_LINGER_FOREVER */
	bool newnet;
	bool built; /* "failed": clean up what is left, as at teardown */
	time_t started;
	struct lj_cgroup *cg;
	struct lj_init_built b;
	int sigfd;
	int utmpfd; /* inotify of the jail's login records (utmp.c), or -1 */
	size_t n;
	/* Each session: a pidfd of its caller, what it is and since when
	 * (proto.h), and the terminals of its caller that the user does not
	 * own, which the session may not leave behind in the sandbox
	 * (ttys.h). */
	struct session {
		int pidfd;
		struct lj_ctl_session what;
		time_t since;
		size_t nttys;
		struct lj_tty ttys[LJ_TTYS_MAX];
	} sess[MAX_SESSIONS];
	int64_t deadline_ms; /* teardown when no session is left by then; -1: never */
	const char *ending;  /* why the sessions end and the sandbox goes, once decided */
	struct lj_cgroup_hits hits;
	int64_t recheck_until_ms; /* read the counters again until then (v1 OOM) */
};

/* syslog(3) would look for the jail's /dev/log, which syslog = no leaves
 * out: write to the socket connected before pivot_root (audit.h). */
static struct lj_log log_to = {.fd = -1};

__attribute__((format(printf, 2, 3))) static void say(int pri, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lj_log_text(&log_to, pri, "loginjail-init", msg);
}

/* An audit event of this sandbox, of session WHAT (or none). */
static void audit(const struct init *in, enum lj_audit_event ev, const struct lj_ctl_session *what,
		  const char *reason)
{
	struct lj_audit a = {.event = ev,
			     .user = in->user,
			     .uid = in->uid,
			     .sandbox = in->name,
			     .reason = reason};
	if (what)
		lj_audit_session(&a, what);
	lj_audit(&log_to, &a);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void linger_from_now(struct init *in)
{
	in->deadline_ms = in->linger == LJ_LINGER_FOREVER ? -1 : now_ms() + in->linger * 1000;
}

/* A session of the process behind PIDFD begins. Its caller's terminals
 * come through the pidfd (the caller is root's su, sshd... and this is root
 * with every capability). */
static void add_session(struct init *in, int pidfd, const struct lj_ctl_session *what)
{
	struct session *s = &in->sess[in->n++];
	s->pidfd = pidfd;
	s->what = *what;
	s->since = time(NULL);
	s->nttys = lj_caller_ttys(pidfd, in->uid, s->ttys);
}

/* Session I has ended (its caller exited): nothing of the sandbox may keep
 * the caller's terminal. The module does the same at close_session, before
 * su returns; this is for the callers that never called it (su killed). */
static void end_session(struct init *in, size_t i)
{
	bool killed = in->sess[i].nttys > 0 &&
		      lj_kill_tty_holders(in->sess[i].ttys, in->sess[i].nttys) > 0;
	if (killed)
		say(LOG_NOTICE,
		    "sandbox %s of %s: a session ended: killed what of it still held its "
		    "caller's terminal",
		    in->name, in->user);
	audit(in, LJ_AUDIT_LEAVE, &in->sess[i].what,
	      killed ? "its caller exited; what of it still held the caller's terminal was "
		       "killed"
		     : "its caller exited");
	close(in->sess[i].pidfd);
	in->sess[i] = in->sess[--in->n];
	if (in->n == 0)
		linger_from_now(in);
}

/* No more joins: a login finds no sandbox here and starts a new one once
 * this one is gone. */
static void stop_listening(struct init *in)
{
	if (!in->listening)
		return;
	unlinkat(LJ_INIT_FD_STATEDIR, "ctl", 0);
	close(LJ_INIT_FD_LISTEN);
	in->listening = false;
}

/* End every session now (loginjailctl stop, SIGTERM: WHY): teardown
 * follows, and nothing may join meanwhile. */
static void stop_all(struct init *in, const char *why)
{
	stop_listening(in);
	if (!in->ending)
		in->ending = why;
	for (size_t i = 0; i < in->n; i++) {
		audit(in, LJ_AUDIT_LEAVE, &in->sess[i].what, why);
		close(in->sess[i].pidfd);
	}
	in->n = 0;
	in->deadline_ms = 0;
}

/* Whether a join with REQ's key may have this sandbox (proto.h). The
 * account and the policy directory must be the ones it was built for. A
 * joiner that did not resolve the policy (the module) joins only while the
 * policy files are as they were; one that did (the helper) joins while the
 * user's resolved policy is the same, and its stamp is taken as current
 * from then on, so that the module joins again after an unrelated edit. */
static enum lj_ctl_status join_status(struct init *in, const struct lj_ctl_req *req)
{
	const struct lj_ctl_key *k = &req->key;
	struct lj_ctl_key *mine = &in->b.key;
	if (k->config_dev != mine->config_dev || k->config_ino != mine->config_ino)
		return LJ_CTL_OTHER_POLICY;
	if (memcmp(k->account, mine->account, sizeof(k->account)) != 0) {
		say(LOG_NOTICE,
		    "sandbox %s of %s: refusing a join by another account with this uid "
		    "(name, gid or home differ)",
		    in->name, in->user);
		return LJ_CTL_OTHER_ACCOUNT;
	}
	bool resolved = req->flags & LJ_CTL_REQ_F_POLICY;
	if (!resolved && memcmp(k->stamp, mine->stamp, sizeof(k->stamp)) != 0)
		return LJ_CTL_CHECK_POLICY;
	if (resolved && memcmp(k->policy, mine->policy, sizeof(k->policy)) != 0) {
		say(LOG_NOTICE,
		    "sandbox %s of %s: refusing a join: the user's policy changed since the "
		    "sandbox was built (loginjailctl stop %s applies it)",
		    in->name, in->user, in->user);
		return LJ_CTL_POLICY_CHANGED;
	}
	if (in->n >= MAX_SESSIONS) {
		say(LOG_ERR, "sandbox %s has %d sessions: refusing one more", in->name,
		    MAX_SESSIONS);
		return LJ_CTL_FULL;
	}
	if (resolved)
		memcpy(mine->stamp, k->stamp, sizeof(k->stamp));
	return LJ_CTL_OK;
}

/* LJ_CTL_RELOAD: loginjailctl applied REQ's policy (proto.h). */
static enum lj_ctl_status reload(struct init *in, const struct lj_ctl_req *req)
{
	const struct lj_ctl_key *k = &req->key;
	struct lj_ctl_key *mine = &in->b.key;
	if (k->config_dev != mine->config_dev || k->config_ino != mine->config_ino)
		return LJ_CTL_OTHER_POLICY;
	if (memcmp(k->account, mine->account, sizeof(k->account)) != 0)
		return LJ_CTL_OTHER_ACCOUNT;
	memcpy(mine->stamp, k->stamp, sizeof(k->stamp));
	memcpy(mine->policy, k->policy, sizeof(k->policy));
	memcpy(mine->keys, k->keys, sizeof(k->keys));
	say(LOG_INFO, "sandbox %s of %s: the administrator reloaded its policy", in->name,
	    in->user);
	return LJ_CTL_OK;
}

/* LJ_CTL_INFO (proto.h): REP with the jail's mountinfo, then what the
 * sandbox is, then each session. A reader that stalls holds the init at
 * most the send timeout per message. */
static void info(struct init *in, int conn, struct lj_ctl_rep *rep)
{
	struct timeval tv = {.tv_sec = 2};
	setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	int mi = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (mi < 0) {
		rep->status = LJ_CTL_BAD;
		lj_send_fds(conn, rep, sizeof(*rep), NULL, 0);
		return;
	}
	int sent = lj_send_fds(conn, rep, sizeof(*rep), &mi, 1);
	close(mi);
	if (sent < 0)
		return;
	struct lj_ctl_info i = {.started = in->started,
				.linger = in->linger,
				.idle_left = -1,
				.key = in->b.key,
				.nsess = (uint32_t)in->n,
				.flags = in->newnet ? 0 : LJ_CTL_F_HOST_NET};
	if (in->n == 0 && in->deadline_ms >= 0) {
		int64_t left = in->deadline_ms - now_ms();
		i.idle_left = left > 0 ? (left + 999) / 1000 : 0;
	}
	for (int k = 0; k < LJ_NS_COUNT; k++) {
		struct stat st;
		i.ns[k] = fstat(in->b.ns[k], &st) == 0 ? st.st_ino : 0;
	}
	struct lj_cgroup_usage u;
	lj_cgroup_usage(in->cg, &u);
	i.mem_current = u.mem_current;
	i.mem_max = u.mem_max;
	i.pids_current = u.pids_current;
	i.pids_max = u.pids_max;
	i.procs = u.procs;
	if (lj_send_fds(conn, &i, sizeof(i), NULL, 0) < 0)
		return;
	for (size_t k = 0; k < in->n; k++) {
		struct lj_ctl_sess_info s = {.what = in->sess[k].what, .since = in->sess[k].since};
		if (lj_send_fds(conn, &s, sizeof(s), NULL, 0) < 0)
			return;
	}
}

/* One request on the control socket (proto.h): from root only. */
static void serve(struct init *in, int conn)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct timeval tv = {.tv_sec = 2};
	struct lj_ctl_req req;
	unsigned char buf[LJ_CTL_MSG_MAX];
	int pidfd = -1;
	size_t nfd = 0;
	int fds[LJ_NS_COUNT + LJ_PROCS_MAX];

	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 || cred.uid != 0)
		return;
	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ssize_t len = lj_recv_fds(conn, buf, sizeof(buf), &pidfd, 1, &nfd);
	if (len < 0)
		return;
	struct lj_ctl_rep rep = {
		.version = LJ_PROTO_VERSION,
		.sessions = (uint32_t)in->n,
		.flags = (lj_cgroup_keeps_slice(in->cg) ? LJ_CTL_F_KEEPS_SLICE : 0) |
			 (in->newnet ? 0 : LJ_CTL_F_HOST_NET)};
	snprintf(rep.user, sizeof(rep.user), "%s", in->user);
	enum lj_ctl_req_verdict v = lj_ctl_req_check(buf, (size_t)len, nfd, &req);
	if (v == LJ_CTL_REQ_MALFORMED || v == LJ_CTL_REQ_OTHER_VERSION) {
		if (nfd)
			close(pidfd);
		/* Another version of loginjail learns which one runs here. */
		if (v == LJ_CTL_REQ_OTHER_VERSION) {
			rep.status = LJ_CTL_BAD;
			lj_send_fds(conn, &rep, sizeof(rep), NULL, 0);
		}
		return;
	}
	if (v == LJ_CTL_REQ_OK && req.cmd == LJ_CTL_INFO) {
		info(in, conn, &rep);
		return;
	}
	if (req.cmd != LJ_CTL_JOIN) {
		if (v == LJ_CTL_REQ_UNKNOWN)
			rep.status = LJ_CTL_BAD;
		else if (req.cmd == LJ_CTL_RELOAD)
			rep.status = reload(in, &req);
		lj_send_fds(conn, &rep, sizeof(rep), NULL, 0);
		if (req.cmd == LJ_CTL_STOP) {
			say(LOG_INFO,
			    "sandbox %s of %s: stopped by the administrator (%zu sessions)",
			    in->name, in->user, in->n);
			stop_all(in, "stopped by the administrator (loginjailctl stop)");
		}
		return;
	}
	rep.status = join_status(in, &req);
	if (rep.status != LJ_CTL_OK) {
		lj_send_fds(conn, &rep, sizeof(rep), NULL, 0);
		close(pidfd);
		return;
	}
	add_session(in, pidfd, &req.session);
	rep.sessions = (uint32_t)in->n;
	rep.nprocs = (uint32_t)in->b.nprocs;
	memcpy(fds, in->b.ns, sizeof(in->b.ns));
	memcpy(fds + LJ_NS_COUNT, in->b.procs, in->b.nprocs * sizeof(int));
	if (lj_send_fds(conn, &rep, sizeof(rep), fds, LJ_NS_COUNT + in->b.nprocs) < 0)
		close(in->sess[--in->n].pidfd);
	else
		audit(in, LJ_AUDIT_JOIN, &req.session, "");
}

static bool accept_joins(struct init *in)
{
	bool any = false;
	while (in->listening) {
		int c = accept4(LJ_INIT_FD_LISTEN, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			break;
		serve(in, c);
		close(c);
		any = true;
	}
	return any;
}

/* One limit event per counter that rose since the last look (cgroup.h). */
static void check_hits(struct init *in)
{
	static const char *const what[LJ_CGROUP_HITS] = {"memory", "pids"};
	static const char *const why[LJ_CGROUP_HITS] = {
		"the memory limit (memory_max) was reached: the kernel killed a process",
		"the process limit (pids_max) was reached: a fork failed"};
	int64_t now[LJ_CGROUP_HITS];
	lj_cgroup_hits_read(&in->hits, now);
	for (size_t i = 0; i < LJ_CGROUP_HITS; i++) {
		if (now[i] <= in->hits.n[i] || in->hits.n[i] < 0) {
			if (now[i] >= 0 && in->hits.n[i] < 0)
				in->hits.n[i] = now[i];
			continue;
		}
		in->hits.n[i] = now[i];
		struct lj_audit a = {.event = LJ_AUDIT_LIMIT,
				     .user = in->user,
				     .uid = in->uid,
				     .sandbox = in->name,
				     .limit = what[i],
				     .count = (uint64_t)now[i],
				     .reason = why[i]};
		lj_audit(&log_to, &a);
	}
}

/* Under the user's lock: kill everything, remove the cgroup and the state,
 * and exit. */
__attribute__((noreturn)) static void teardown(struct init *in, int lock)
{
	struct lj_err e = {""};
	stop_listening(in);
	/* Only in the jail: before it was built, /run is the host's. */
	if (in->built)
		lj_utmp_sync(in->utmpfd, true);
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	bool failed = setns(LJ_INIT_FD_HOST_CGNS, CLONE_NEWCGROUP) < 0 ||
		      lj_cgroup_park(in->cg, getpid(), &e) < 0 ||
		      lj_cgroup_destroy(in->cg, CALLER_GRACE_MS, &e) < 0;
	if (failed)
		say(LOG_ERR, "sandbox %s of %s: teardown: %s", in->name, in->user,
		    e.msg[0] ? e.msg : strerror(errno));
	lj_state_remove(LJ_INIT_FD_RUNDIR, in->name);
	lj_state_unlock_user(LJ_INIT_FD_RUNDIR, in->uid, lock, true);
	say(LOG_INFO, "sandbox %s of %s ended", in->name, in->user);
	char why[sizeof(e.msg) + 256];
	snprintf(why, sizeof(why), "%s%s%s",
		 in->ending ? in->ending : "the last session ended and linger has passed",
		 failed ? "; its cgroup was not removed: " : "", failed ? e.msg : "");
	struct lj_audit a = {.event = LJ_AUDIT_TEARDOWN,
			     .user = in->user,
			     .uid = in->uid,
			     .sandbox = in->name,
			     .reason = why,
			     .priority = failed ? LOG_ERR : 0};
	lj_audit(&log_to, &a);
	_exit(0);
}

/* Returns only when teardown has to wait (the user's lock is busy, or a
 * session joined meanwhile). */
static void try_teardown(struct init *in)
{
	int lock = lj_state_trylock_user(LJ_INIT_FD_RUNDIR, in->uid);
	if (lock < 0)
		return;
	/* Under the lock no new helper can connect; serve those already queued. */
	if (accept_joins(in) && in->n > 0) {
		lj_state_unlock_user(LJ_INIT_FD_RUNDIR, in->uid, lock, true);
		return;
	}
	teardown(in, lock);
}

/* The build failed, or its answer could not be given. A helper that is
 * still there (it holds the user's lock) kills us and cleans up itself; one
 * that died (killed during setup) left its state directory and cgroup to
 * nobody: clear them as at teardown. First stop listening, so that another
 * login of the user waiting on this sandbox learns it is not coming (and
 * clears it itself); then wait a while for the lock. */
static void abandon(struct init *in)
{
	in->ending = "its setup failed or the helper that built it went away";
	in->listening = true;
	stop_listening(in);
	for (int ms = 0; ms < ABANDON_WAIT_MS; ms += LOCK_RETRY_MS) {
		int lock = lj_state_trylock_user(LJ_INIT_FD_RUNDIR, in->uid);
		if (lock >= 0)
			teardown(in, lock);
		nanosleep(&(struct timespec){0, LOCK_RETRY_MS * 1000 * 1000}, NULL);
	}
}

/* Text pages were mapped 16 at a time (fault-around) while the program
 * started: unmap them, so that an idle init maps only the
 * code its loop runs again (with fault-around, still in 64 KiB chunks: this
 * kernel does not turn it off for MADV_RANDOM). Only executable file
 * mappings, which are never written, are touched: dropping the read-only
 * data too (symbol tables) measured worse, as the loop faults much of it
 * back through the dynamic linker. */
static void trim_text(void)
{
	static char buf[16384];
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		unsigned long lo, hi;
		char perm[5];
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) != 3 || strcmp(perm, "r-xp") != 0 ||
		    !strchr(line, '/'))
			continue;
		madvise((void *)lo, hi - lo, MADV_RANDOM);
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
	}
}

static int setup(struct init *in, int argc, char **argv, struct lj_err *e)
{
	char *end;
	in->utmpfd = -1;
	in->b.log = fcntl(LJ_INIT_FD_LOG, F_GETFD) < 0 ? -1 : LJ_INIT_FD_LOG;
	if (argc != 9 || getpid() != 1)
		return lj_fail(e, "loginjail-init is started by loginjail-helper only");
	in->name = argv[1];
	in->user = argv[3];
	unsigned long uid = strtoul(argv[2], &end, 10);
	if (*end || uid == 0)
		return lj_fail(e, "bad uid");
	in->uid = (uid_t)uid;
	in->linger = strtoll(argv[4], &end, 10);
	if (*end || in->linger < LJ_LINGER_FOREVER)
		return lj_fail(e, "bad linger");
	if (strcmp(argv[5], "0") != 0 && strcmp(argv[5], "1") != 0)
		return lj_fail(e, "bad network flag");
	in->newnet = argv[5][0] == '1';
	size_t nprocs = 0;
	int len = 0;
	if (sscanf(argv[6], "built:%zu%n", &nprocs, &len) == 1 && argv[6][len] == '\0' &&
	    nprocs <= LJ_PROCS_MAX)
		in->built = true;
	else if (strcmp(argv[6], "failed") != 0)
		return lj_fail(e, "bad build state");
	if (in->built && lj_hex_decode(argv[7], &in->b.key, sizeof(in->b.key)) < 0)
		return lj_fail(e, "bad key");
	struct lj_ctl_session *first = &in->b.first_session;
	if (in->built && lj_hex_decode(argv[8], first, sizeof(*first)) < 0)
		return lj_fail(e, "bad first session");
	lj_ctl_session_clean(first);
	in->b.first = LJ_INIT_FD_FIRST;
	for (int i = 0; i < LJ_NS_COUNT; i++)
		in->b.ns[i] = LJ_INIT_FD_NS + i;
	for (size_t i = 0; i < nprocs; i++)
		in->b.procs[i] = LJ_INIT_FD_PROCS + (int)i;
	in->b.nprocs = nprocs;
	for (int fd = LJ_INIT_FD_FIRST; in->built && fd < LJ_INIT_FD_PROCS + (int)nprocs; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			return lj_fail(e, "the build handed over no descriptor %d", fd);
	int cgfds[LJ_CGROUP_NFDS];
	for (int i = 0; i < LJ_CGROUP_NFDS; i++)
		cgfds[i] = fcntl(LJ_INIT_FD_CGROUP + i, F_GETFD) < 0 ? -1 : LJ_INIT_FD_CGROUP + i;
	in->cg = lj_cgroup_adopt(in->uid, in->name, cgfds, e);
	if (!in->cg)
		return -1;

	sigset_t set;
	lj_init_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	in->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (in->sigfd < 0)
		return lj_fail_errno(e, "signalfd");
	in->utmpfd = in->built ? lj_utmp_watch(in->uid, in->user) : -1;
	int fl = fcntl(LJ_INIT_FD_LISTEN, F_GETFL);
	if (fl < 0 || fcntl(LJ_INIT_FD_LISTEN, F_SETFL, fl | O_NONBLOCK) < 0)
		return lj_fail_errno(e, "cannot make the control socket non-blocking");
	return 0;
}

int main(int argc, char **argv)
{
	static struct init in;
	static struct pollfd p[MAX_SESSIONS + FIRST_SESSION];
	struct lj_err e = {""};

	int ok = setup(&in, argc, argv, &e);
	lj_log_adopt(&log_to, in.b.log);
	if (ok < 0 || !in.built) {
		if (ok < 0)
			say(LOG_ERR, "sandbox %s: %s", argc > 1 ? argv[1] : "?", e.msg);
		if (in.cg)
			abandon(&in);
		return 1;
	}
	in.listening = true;
	in.started = time(NULL);
	/* The first session is the creating helper's caller. */
	add_session(&in, in.b.first, &in.b.first_session);
	audit(&in, LJ_AUDIT_CREATE, &in.b.first_session, "");
	audit(&in, LJ_AUDIT_JOIN, &in.b.first_session, "");
	lj_cgroup_hits_open(in.cg, &in.hits);
	if (in.hits.watch < 0)
		say(LOG_WARNING,
		    "sandbox %s of %s: the kernel gives no notice of OOM kills in its cgroup: "
		    "limit events come late (loginjail-events(7))",
		    in.name, in.user);
	/* Children that ended before the signalfd was there. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	trim_text();

	for (;;) {
		p[0] = (struct pollfd){.fd = in.listening ? LJ_INIT_FD_LISTEN : -1,
				       .events = POLLIN};
		p[1] = (struct pollfd){.fd = in.sigfd, .events = POLLIN};
		p[2] = (struct pollfd){.fd = in.hits.watch, .events = POLLIN};
		p[3] = (struct pollfd){.fd = in.utmpfd, .events = POLLIN};
		for (size_t i = 0; i < in.n; i++)
			p[i + FIRST_SESSION] =
				(struct pollfd){.fd = in.sess[i].pidfd, .events = POLLIN};
		int timeout = -1;
		if (in.n == 0 && in.deadline_ms >= 0) {
			int64_t left = in.deadline_ms - now_ms();
			timeout = left <= 0 ? LOCK_RETRY_MS : (int)(left > 60000 ? 60000 : left);
		}
		if (in.recheck_until_ms > now_ms() && (timeout < 0 || timeout > HITS_RECHECK_MS))
			timeout = HITS_RECHECK_MS;
		int r = poll(p, in.n + FIRST_SESSION, timeout);
		if (r < 0 && errno != EINTR)
			return 3;
		if (r > 0 && (p[2].revents & POLLIN) && in.hits.early)
			in.recheck_until_ms = now_ms() + HITS_RECHECK_FOR_MS;
		/* Any wakeup reads the counters: v1 signals no refused fork. */
		check_hits(&in);

		if (r > 0 && (p[1].revents & POLLIN)) {
			struct signalfd_siginfo si;
			while (read(in.sigfd, &si, sizeof(si)) == sizeof(si))
				if (si.ssi_signo != SIGCHLD)
					stop_all(&in, "stopped by a signal (SIGTERM, SIGINT "
						      "or SIGHUP)");
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
		}
		/* Sessions whose caller has exited, newest first so indexes hold. */
		for (size_t i = in.n; r > 0 && i-- > 0;) {
			if (!(p[i + FIRST_SESSION].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			end_session(&in, i);
		}
		if (r > 0 && (p[3].revents & POLLIN))
			lj_utmp_sync(in.utmpfd, false);
		if (r > 0 && (p[0].revents & POLLIN))
			accept_joins(&in);
		if (in.n == 0 && in.deadline_ms >= 0 && now_ms() >= in.deadline_ms)
			try_teardown(&in);
	}
}
