/* Create the user's sandbox, or join the one that runs, under the user's lock
 * (so twenty concurrent logins make exactly one). */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <utmpx.h>
#include <linux/sched.h>

#include "cgroup.h"
#include "ctlmsg.h"
#include "helper.h"
#include "init.h"
#include "join.h"
#include "ns.h"
#include "proto.h"
#include "util.h"

#define READY_TIMEOUT_MS 20000

/* A sandbox whose init no longer answers: whatever is left of it goes. */
static void clear_stale(int rundir, const char *name, uid_t uid)
{
	struct lj_err e = {""};
	struct lj_cgroup *cg = lj_cgroup_new(uid, name, &e);
	if (cg) {
		lj_cgroup_destroy(cg, 0, &e);
		lj_cgroup_free(cg);
	}
	lj_state_remove(rundir, name);
}

static int listen_at(const char *name, struct lj_err *e)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s/ctl", LJ_RUNDIR, name);
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return lj_fail_errno(e, "socket");
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(sa.sun_path, 0600) < 0 ||
	    listen(s, 128) < 0) {
		lj_fail_errno(e, "cannot listen on %s", sa.sun_path);
		close(s);
		return -1;
	}
	return s;
}

/* loginjail-init is installed beside the helper. It runs as root in every
 * sandbox: it must be root's and writable by nobody else. */
static int open_init_exe(struct lj_err *e)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 32);
	if (n < 0)
		return lj_fail_errno(e, "cannot find the helper's own path");
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	snprintf(slash ? slash + 1 : self, 32, "loginjail-init");
	int fd = open(self, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		lj_fail_errno(e, "cannot open %s", self);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022)) {
		close(fd);
		return lj_fail(e, "%s must be a file owned by root and writable only by root",
			       self);
	}
	return fd;
}

/* Wait for init's word: "R" with the namespaces sessions join (into nsfds,
 * checked), or "E<message>". */
static int wait_ready(int fd, int timeout_ms, int *nsfds, struct lj_err *e)
{
	char buf[600] = "";
	int fds[LJ_NS_COUNT];
	size_t n = 0;
	const char *bad;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	if (poll(&p, 1, timeout_ms) != 1)
		return lj_fail(e, "the sandbox did not start within %d ms", timeout_ms);
	ssize_t len = lj_recv_fds(fd, buf, sizeof(buf) - 1, fds, LJ_NS_COUNT, &n);
	if (len == 1 && buf[0] == 'R' && n == LJ_NS_COUNT && nsfds) {
		if (lj_ns_check_sandbox(fds, &bad) == 0) {
			memcpy(nsfds, fds, sizeof(fds));
			return 0;
		}
		lj_fail(e, "the new sandbox's %s namespace is not one made by root",
			bad ? bad : "(no /proc)");
	} else if (len > 1 && buf[0] == 'E') {
		lj_fail(e, "%s", buf + 1);
	} else {
		lj_fail(e, "the sandbox's init died while building the jail");
	}
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
	return -1;
}

/* The helper tells the sandbox's init what it needs, as soon as it has it,
 * while the init builds the jail (struct lj_setup, helper.h). */
static int send_step(int sock, uint32_t step, const void *data, size_t len, const int *fds,
		     size_t nfds, struct lj_err *e)
{
	static char buf[sizeof(struct lj_setup) + LJ_JAIL_SPEC_MAX];
	struct lj_setup m = {.version = LJ_PROTO_VERSION, .step = step, .nfds = (uint32_t)nfds};
	memcpy(buf, &m, sizeof(m));
	if (len)
		memcpy(buf + sizeof(m), data, len);
	if (lj_send_fds(sock, buf, sizeof(m) + len, fds, nfds) == 0)
		return 0;
	/* It failed first and said why, or died. */
	struct lj_err why = {""};
	return lj_fail(e, "%s", wait_ready(sock, 0, NULL, &why) < 0 ? why.msg : "it is gone");
}

/* The host's utmp or wtmp at PATH for the init (utmp.c): a regular file of
 * root's, or none (-1: no records, as on a host without them). */
static int open_login_record(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Start the sandbox's PID 1 (unshare(CLONE_NEWPID) first): a child of ours
 * that puts the descriptors at the numbers of init.h, builds the jail and
 * becomes loginjail-init (lj_init_run), while we go on. The descriptors
 * (the program's too) are close-on-exec copies above LJ_INIT_FD_MAX in its
 * own table, so laying out the slots cannot close one. */
static struct spawn {
	int src[LJ_INIT_FD_END]; /* -1: closed */
	int exefd;
	struct lj_init_run run;
} sp;

__attribute__((noreturn)) static void spawn_child(void)
{
	/* Every source is above LJ_INIT_FD_MAX: clear the slots, fill them,
	 * and keep nothing else of ours but the program (close-on-exec: the
	 * ELF is run from its descriptor, which execveat allows). */
	if (close_range(3, LJ_INIT_FD_MAX - 1, 0) < 0)
		_exit(127);
	for (int i = 3; i < LJ_INIT_FD_END; i++)
		if (sp.src[i] >= 0 && dup2(sp.src[i], i) != i)
			_exit(127);
	if (dup3(sp.exefd, LJ_INIT_FD_EXE, O_CLOEXEC) != LJ_INIT_FD_EXE ||
	    close_range(LJ_INIT_FD_MAX, ~0U, 0) < 0)
		_exit(127);
	lj_init_run(&sp.run);
}

/* Born in the cgroup BIRTH (a descriptor of it: clone3 with
 * CLONE_INTO_CGROUP), or where we are (-1). A fork either way: the child
 * runs the jail's build, so it needs memory of its own. */
static pid_t spawn_init(const int *slots, int exefd, int birth, const struct lj_init_run *run,
			struct lj_err *e)
{
	pid_t pid = -1;
	sp.exefd = -1;
	for (int i = 0; i < LJ_INIT_FD_END; i++)
		sp.src[i] = i < 3 || slots[i] < 0
				    ? -1
				    : fcntl(slots[i], F_DUPFD_CLOEXEC, LJ_INIT_FD_MAX);
	for (int i = 3; i < LJ_INIT_FD_END; i++)
		if (slots[i] >= 0 && sp.src[i] < 0) {
			lj_fail_errno(e, "cannot lay out the init's descriptors");
			goto out;
		}
	sp.exefd = fcntl(exefd, F_DUPFD_CLOEXEC, LJ_INIT_FD_MAX);
	if (sp.exefd < 0) {
		lj_fail_errno(e, "cannot lay out the init's descriptors");
		goto out;
	}
	sp.run = *run;
	if (birth >= 0) {
		struct clone_args ca = {.flags = CLONE_INTO_CGROUP,
					.exit_signal = SIGCHLD,
					.cgroup = (uint64_t)birth};
		pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	} else {
		pid = fork();
	}
	if (pid == 0)
		spawn_child();
	if (pid < 0)
		lj_fail_errno(e, "cannot start the sandbox's init");
out:
	for (int i = 3; i < LJ_INIT_FD_END; i++)
		if (sp.src[i] >= 0)
			close(sp.src[i]);
	if (sp.exefd >= 0)
		close(sp.exefd);
	return pid;
}

/* Under the user's lock: make the state directory, then the sandbox's first
 * process (PID 1 of a new pid namespace; it makes new mount, UTS, IPC and
 * network namespaces, builds the jail and becomes loginjail-init, see
 * init_setup.c) and, while it works, the home's clone, the cgroup with its
 * limits and the user namespace (made after the others, so that they stay
 * owned by the initial one). */
static int create(const struct lj_session_req *r, int rundir, const char *name, int *nsfds,
		  struct lj_err *e)
{
	const struct lj_user *u = r->user;
	int ret = -1;
	pid_t pid = -1;
	cleanup_close int statedir = -1, homefd = -1, hometree = -1, host_cgns = -1, utmp = -1,
			  wtmp = -1, listenfd = -1, exefd = -1, birth = -1;
	int ready[2] = {-1, -1};
	bool caller_moved = false;
	int procs[LJ_PROCS_MAX];
	size_t nprocs = 0;
	struct lj_userns un = {.member = -1, .go = {-1, -1}, .proc_sys = -1, .fd = -1};
	struct lj_err ignore = {""};

	if (mkdirat(rundir, name, 0700) < 0)
		return lj_fail_errno(e, "cannot create %s/%s", LJ_RUNDIR, name);
	statedir = openat(rundir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (statedir < 0 || mkdirat(statedir, "root", 0700) < 0) {
		lj_fail_errno(e, "cannot create %s/%s/root", LJ_RUNDIR, name);
		lj_state_remove(rundir, name);
		return -1;
	}
	struct lj_cgroup *cg = lj_cgroup_new(u->uid, name, e);
	if (!cg) {
		lj_state_remove(rundir, name);
		return -1;
	}
	/* Where the caller's sessions go; a stack that cannot work refuses
	 * before anything is built. */
	int move_caller =
		lj_session_placement(lj_cgroup_keeps_slice(cg), r->caller, u->uid, r->service, e);
	if (move_caller < 0)
		goto out;
	host_cgns = open("/proc/self/ns/cgroup", O_RDONLY | O_CLOEXEC);
	if (host_cgns < 0) {
		lj_fail_errno(e, "cannot open /proc/self/ns/cgroup");
		goto out;
	}
	listenfd = listen_at(name, e);
	exefd = listenfd < 0 ? -1 : open_init_exe(e);
	if (exefd < 0)
		goto out;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ready) < 0) {
		lj_fail_errno(e, "socketpair");
		goto out;
	}
	/* The user namespace's member must not be born in the new pid
	 * namespace, which our next child is: the member first. */
	if (lj_userns_create(&un, u, e) < 0)
		goto out;
	/* Limits before anything of the user runs, and the cgroup the init is
	 * born in where there is one to be born in. */
	if (lj_cgroup_create(cg, r->pol, e) < 0)
		goto out;
	if (lj_cgroup_birth_fd(cg, &birth, e) < 0)
		goto out;
	if (unshare(CLONE_NEWPID) < 0) {
		lj_fail_errno(e, "cannot create the sandbox's pid namespace");
		goto out;
	}
	int slots[LJ_INIT_FD_END];
	for (int i = 0; i < LJ_INIT_FD_END; i++)
		slots[i] = -1;
	slots[LJ_INIT_FD_RUNDIR] = rundir;
	slots[LJ_INIT_FD_STATEDIR] = statedir;
	slots[LJ_INIT_FD_LISTEN] = listenfd;
	slots[LJ_INIT_FD_READY] = ready[1];
	slots[LJ_INIT_FD_HOST_CGNS] = host_cgns;
	utmp = open_login_record(_PATH_UTMPX);
	wtmp = open_login_record(_PATH_WTMPX);
	slots[LJ_INIT_FD_UTMP] = utmp;
	slots[LJ_INIT_FD_WTMP] = wtmp;
	lj_cgroup_fds(&slots[LJ_INIT_FD_CGROUP]);
	static char uid[16], linger[24], *argv[10];
	snprintf(uid, sizeof(uid), "%u", (unsigned)u->uid);
	snprintf(linger, sizeof(linger), "%lld", (long long)r->pol->linger);
	argv[0] = "loginjail-init";
	argv[1] = (char *)name;
	argv[2] = uid;
	argv[3] = (char *)u->name;
	argv[4] = linger;
	argv[5] = r->pol->network == LJ_NET_HOST ? "0" : "1";
	argv[6] = NULL; /* the build's outcome and key (lj_init_run) */
	argv[7] = NULL;
	argv[8] = NULL; /* the first session (lj_init_run) */
	argv[9] = NULL;
	struct lj_init_run run = {.name = name,
				  .uid = u->uid,
				  .newnet = r->pol->network != LJ_NET_HOST,
				  .argv = argv};
	pid = spawn_init(slots, exefd, birth, &run, e);
	if (pid < 0)
		goto out;
	close(ready[1]);
	ready[1] = -1;

	/* It makes its namespaces meanwhile; then it builds the jail from this
	 * description and the home's clone. */
	static char spec[LJ_JAIL_SPEC_MAX];
	if (r->pol->home == LJ_HOME_BIND) {
		homefd = lj_home_open(u, e);
		if (homefd < 0 ||
		    (hometree = lj_tree_clone(homefd, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, u->home,
					      e)) < 0)
			goto out;
	}
	static struct lj_binds binds;
	if (lj_binds_open(u, r->pol, homefd, &binds, e) < 0)
		goto out;
	ssize_t speclen = lj_jail_spec_pack(u, r->pol, &binds, spec, sizeof(spec), e);
	int fds[2 + LJ_ARRAY_SIZE(binds.v)] = {homefd, hometree};
	_Static_assert(LJ_ARRAY_SIZE(fds) <= LJ_FDS_MAX, "the home and every bind in one message");
	size_t nfds = homefd < 0 ? 0 : 2;
	for (size_t i = 0; i < binds.n; i++)
		fds[nfds++] = binds.v[i].tree;
	int sent = speclen < 0 ? -1
			       : send_step(ready[0], LJ_SETUP_HOME, spec, (size_t)speclen, fds,
					   nfds, e);
	lj_binds_close(&binds);
	if (sent < 0)
		goto out;
	/* The cgroup namespace it makes next is rooted where it is now. */
	if (lj_cgroup_attach_init(cg, pid, u, e) < 0 || lj_cgroup_procs(cg, procs, &nprocs, e) < 0)
		goto out;
	/* Its first session is our caller: into the cgroup with it (unless it
	 * is in its session scope already), right after the init, so that one
	 * RCU grace period serves both moves. */
	if (move_caller) {
		/* By pid: make sure it still is our parent's. */
		if (getppid() != r->caller) {
			lj_fail(e, "the calling process went away");
			goto out;
		}
		caller_moved = true; /* partly, if this fails */
		if (lj_procs_write(procs, nprocs, r->caller, e) < 0)
			goto out;
	}
	if (lj_userns_finish(&un, e) < 0)
		goto out;
	int go[2 + LJ_PROCS_MAX] = {un.fd, r->caller_pidfd};
	memcpy(go + 2, procs, nprocs * sizeof(int));
	struct lj_setup_go what = {.key = *r->key};
	lj_ctl_session_set(&what.session, r->service, r->tty, r->rhost, r->caller);
	if (send_step(ready[0], LJ_SETUP_GO, &what, sizeof(what), go, 2 + nprocs, e) < 0 ||
	    wait_ready(ready[0], READY_TIMEOUT_MS, nsfds, e) < 0)
		goto out;
	ret = 0;
out:
	if (un.member > 0 || un.proc_sys >= 0) /* not finished yet: failed on the way */
		lj_userns_finish(&un, &ignore);
	if (un.fd >= 0)
		close(un.fd);
	if (ready[0] >= 0)
		close(ready[0]);
	if (ready[1] >= 0)
		close(ready[1]);
	if (ret < 0) {
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		/* Out of what is killed next (SECURITY.md rule 24); if it cannot
		 * leave, nothing is killed: the cgroup stays, for the user's next
		 * sandbox of this name to take over. */
		if (!caller_moved || lj_cgroup_park(cg, r->caller, &ignore) == 0)
			lj_cgroup_destroy(cg, 0, &ignore);
		lj_state_remove(rundir, name);
	}
	while (nprocs > 0)
		close(procs[--nprocs]);
	lj_cgroup_free(cg);
	return ret;
}

int lj_sandbox_open(const struct lj_session_req *r, int *nsfds, bool *host_net, struct lj_err *e)
{
	const struct lj_user *u = r->user;
	char name[128];
	cleanup_close int rundir = lj_rundir_open(true, e);
	if (rundir < 0)
		return -1;
	int lock = lj_state_lock_user(rundir, u->uid, e);
	if (lock < 0)
		return -1;

	struct lj_joined j;
	int ret = 1;
	if (r->pol->share == LJ_SHARE_USER) {
		snprintf(name, sizeof(name), LJ_SHARED_NAME, (unsigned)u->uid);
		struct lj_ctl_session session;
		lj_ctl_session_set(&session, r->service, r->tty, r->rhost, r->caller);
		ret = lj_join(rundir, name, r->caller_pidfd, &session, u->name, r->key, true, &j,
			      e);
		if (ret == 1)
			clear_stale(rundir, name, u->uid);
	} else {
		/* A fresh sandbox per login: a name no other sandbox has. */
		struct stat st;
		for (unsigned i = 0;; i++) {
			snprintf(name, sizeof(name), LJ_SHARED_NAME ".s%d.%u", (unsigned)u->uid,
				 (int)r->caller, i);
			if (fstatat(rundir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				break;
		}
	}
	if (ret == 2) {
		ret = -1; /* declined: e says why */
	} else if (ret == 1) {
		ret = create(r, rundir, name, nsfds, e);
		*host_net = r->pol->network == LJ_NET_HOST;
	} else if (ret == 0) {
		*host_net = j.host_net;
		if (lj_join_attach(&j, r->caller, u->uid, r->service, e) < 0) {
			lj_joined_close(&j);
			ret = -1;
		} else {
			memcpy(nsfds, j.ns, sizeof(j.ns));
			for (size_t i = 0; i < LJ_NS_COUNT; i++)
				j.ns[i] = -1;
			lj_joined_close(&j);
		}
	}
	lj_state_unlock_user(rundir, u->uid, lock, true);
	return ret;
}
