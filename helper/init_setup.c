/* The first steps of a sandbox's PID 1, still in the helper's code: build the
 * jail, take the user namespace from the helper, open the namespaces joins
 * will get, then exec the small loginjail-init with its descriptors at the
 * numbers of init.h. Exec'ing keeps the helper's pages (libraries, NSS, the
 * policy) out of a process that lives as long as the sandbox. */
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

	char root[256];
	snprintf(root, sizeof(root), "%s/%s/root", LJ_RUNDIR, a->name);
	struct lj_jail_spec spec = {.user = a->user,
				    .pol = a->pol,
				    .homefd = a->homefd,
				    .hometree = a->hometree,
				    .rootdir = root};
	if (lj_jail_build(&spec, &e) < 0)
		fail(a->readyfd, &e);

	/* The helper maps the user namespace while the jail is being built and
	 * then hands it over. */
	uint32_t version = 0;
	size_t n = 0;
	int *userns = &src[LJ_INIT_FD_NS + LJ_NS_COUNT - 1];
	if (lj_recv_fds(a->readyfd, &version, sizeof(version), userns, 1, &n) != sizeof(version) ||
	    n != 1 || version != LJ_PROTO_VERSION) {
		lj_fail(&e, "no user namespace from the helper");
		fail(a->readyfd, &e);
	}
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
	for (size_t i = 0; i < a->nprocs; i++)
		src[LJ_INIT_FD_PROCS + i] = a->procs[i];

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
