/* The first steps of a sandbox's PID 1, still in the helper's code: make the
 * namespaces, build the jail, take what the helper hands over meanwhile, open
 * the namespaces joins will get, then exec the small loginjail-init with its
 * descriptors at the numbers of init.h. Exec'ing keeps the helper's pages
 * (libraries, NSS, the policy) out of a process that lives as long as the
 * sandbox. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "helper.h"
#include "init.h"
#include "util.h"

#define HIGH_FD 1000 /* above every descriptor the helper has */

__attribute__((noreturn)) static void fail(int readyfd, const struct lj_err *e)
{
	char msg[sizeof(e->msg) + 1];
	snprintf(msg, sizeof(msg), "E%s", e->msg);
	if (write(readyfd, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(1);
}

/* A datagram socket connected to the host's syslog, made before the host's
 * /dev/log disappears behind pivot_root; -1 when there is none. */
static int log_socket(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "/dev/log"};
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0 && connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(s);
		s = -1;
	}
	return s;
}

/* The helper's next step; fails (and exits) on anything else. */
static size_t recv_step(int readyfd, uint32_t step, int *fds, size_t max)
{
	struct lj_setup m;
	size_t n = 0;
	struct lj_err e = {""};
	if (lj_recv_fds(readyfd, &m, sizeof(m), fds, max, &n) != sizeof(m) ||
	    m.version != LJ_PROTO_VERSION || m.step != step || m.nfds != n) {
		lj_fail(&e, "the helper did not hand over step %u", step);
		fail(readyfd, &e);
	}
	return n;
}

void lj_init_main(struct lj_init_args *a)
{
	struct lj_err e = {""};
	int src[LJ_INIT_FD_END];
	for (int i = 0; i < LJ_INIT_FD_END; i++)
		src[i] = -1;

	setsid();
	prctl(PR_SET_NAME, "loginjail-init");
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		_exit(1);
	src[LJ_INIT_FD_LOG] = log_socket();
	int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC;
	if (a->pol->network != LJ_NET_HOST)
		flags |= CLONE_NEWNET;
	if (unshare(flags) < 0) {
		lj_fail_errno(&e, "cannot create the sandbox's namespaces");
		fail(a->readyfd, &e);
	}

	int home[2] = {-1, -1};
	recv_step(a->readyfd, LJ_SETUP_HOME, home, 2);
	char root[256];
	snprintf(root, sizeof(root), "%s/%s/root", LJ_RUNDIR, a->name);
	struct lj_jail_spec spec = {.user = a->user,
				    .pol = a->pol,
				    .homefd = home[0],
				    .hometree = home[1],
				    .rootdir = root};
	if (lj_jail_build(&spec, &e) < 0)
		fail(a->readyfd, &e);

	/* The helper has put us into the sandbox's cgroup: the cgroup
	 * namespace is rooted there. */
	int go[1 + LJ_CGROUP_NHIER];
	size_t ngo = recv_step(a->readyfd, LJ_SETUP_GO, go, LJ_ARRAY_SIZE(go));
	if (ngo < 2) {
		lj_fail(&e, "no user namespace or cgroup from the helper");
		fail(a->readyfd, &e);
	}
	if (unshare(CLONE_NEWCGROUP) < 0) {
		lj_fail_errno(&e, "cannot create the sandbox's cgroup namespace");
		fail(a->readyfd, &e);
	}
	src[LJ_INIT_FD_NS + LJ_NS_COUNT - 1] = go[0];
	for (size_t i = 1; i < ngo; i++)
		src[LJ_INIT_FD_PROCS + i - 1] = go[i];
	/* The jail's own /proc now: these are the namespaces sessions join. */
	for (size_t i = 0; i < LJ_NS_COUNT; i++) {
		char p[64];
		if (lj_ns_order[i].type == CLONE_NEWUSER)
			continue;
		snprintf(p, sizeof(p), "/proc/self/ns/%s", lj_ns_order[i].name);
		src[LJ_INIT_FD_NS + i] = open(p, O_RDONLY | O_CLOEXEC);
		if (src[LJ_INIT_FD_NS + i] < 0) {
			lj_fail_errno(&e, "cannot open %s", p);
			fail(a->readyfd, &e);
		}
	}
	src[LJ_INIT_FD_RUNDIR] = a->rundir;
	src[LJ_INIT_FD_STATEDIR] = a->statedir;
	src[LJ_INIT_FD_LISTEN] = a->listenfd;
	src[LJ_INIT_FD_READY] = a->readyfd;
	src[LJ_INIT_FD_HOST_CGNS] = a->host_cgns;
	lj_cgroup_fds(&src[LJ_INIT_FD_CGROUP]);

	/* Lay the descriptors out: copy each high (close-on-exec), close the
	 * rest, then put each at its number. */
	int exe = fcntl(a->exefd, F_DUPFD_CLOEXEC, HIGH_FD);
	for (int i = 3; i < LJ_INIT_FD_END; i++)
		if (src[i] >= 0 && (src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, HIGH_FD)) < 0)
			_exit(1);
	if (exe < 0 || close_range(3, HIGH_FD - 1, 0) < 0)
		_exit(1);
	for (int i = 3; i < LJ_INIT_FD_END; i++)
		if (src[i] >= 0 && dup2(src[i], i) < 0)
			_exit(1);

	char uid[16], linger[24];
	snprintf(uid, sizeof(uid), "%u", (unsigned)a->user->uid);
	snprintf(linger, sizeof(linger), "%lld", (long long)a->pol->linger);
	char *argv[] = {"loginjail-init",      (char *)a->name, uid,
			(char *)a->user->name, linger,		NULL};
	char *envp[] = {NULL};
	execveat(exe, "", argv, envp, AT_EMPTY_PATH);
	lj_fail_errno(&e, "cannot start loginjail-init");
	fail(LJ_INIT_FD_READY, &e);
}
