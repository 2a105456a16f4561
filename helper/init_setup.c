/* The sandbox's first steps, in the helper's child that is PID 1 of the new
 * pid namespace and becomes loginjail-init: make the mount, UTS, IPC and
 * network namespaces, build the jail from the description the helper sends,
 * then, once the helper has put it into the sandbox's cgroup, make the
 * cgroup namespace and open the namespaces that joiners will get. The
 * helper works meanwhile: home, cgroup, user namespace (sandbox.c). The
 * answer goes to the helper before the exec of loginjail-init: an exec is
 * milliseconds that the login need not wait for. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "audit.h"
#include "helper.h"
#include "init.h"
#include "util.h"

/* The helper's next step into BUF (header first); returns the byte count and
 * fills *nfds descriptors, or -1. */
static ssize_t recv_step(uint32_t step, void *buf, size_t len, int *fds, size_t max, size_t *nfds,
			 struct lj_err *e)
{
	struct lj_setup m;
	ssize_t n = lj_recv_fds(LJ_INIT_FD_READY, buf, len, fds, max, nfds);
	if (n >= (ssize_t)sizeof(m))
		memcpy(&m, buf, sizeof(m));
	if (n < (ssize_t)sizeof(m) || m.version != LJ_PROTO_VERSION || m.step != step ||
	    m.nfds != *nfds) {
		for (size_t i = 0; n >= 0 && i < *nfds; i++)
			close(fds[i]);
		return lj_fail(e, "the helper did not hand over step %u", step);
	}
	return n;
}

static int build_jail(const char *name, uid_t uid, bool newnet, struct lj_err *e)
{
	/* Big enough for any description, and given back afterwards. */
	size_t len = sizeof(struct lj_setup) + LJ_JAIL_SPEC_MAX;
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return lj_fail_errno(e, "out of memory");
	/* The home's O_PATH and clone (none with a tmpfs home), then the
	 * binds' trees. */
	int fds[2 + LJ_ARRAY_SIZE(((struct lj_jail_spec *)0)->bind)];
	size_t nfds = 0;
	struct lj_jail_spec spec = {.homefd = -1, .hometree = -1};
	char root[256];
	snprintf(root, sizeof(root), "%s/%s/root", LJ_RUNDIR, name);
	spec.rootdir = root;
	ssize_t n = recv_step(LJ_SETUP_HOME, buf, len, fds, LJ_ARRAY_SIZE(fds), &nfds, e);
	int r = n < 0 ? -1 : 0;
	if (r == 0)
		r = lj_jail_spec_unpack(buf + sizeof(struct lj_setup),
					(size_t)n - sizeof(struct lj_setup), &spec, e);
	size_t nhome = r == 0 ? nfds - spec.nbinds : 0;
	if (r == 0 && nfds < spec.nbinds)
		r = lj_fail(e, "the helper sent %zu descriptors for %zu binds", nfds, spec.nbinds);
	else if (r == 0 && nhome != 0 && nhome != 2)
		r = lj_fail(e, "the helper sent %zu home descriptors", nhome);
	/* The description must agree with what we were started for. */
	if (r == 0 && (spec.uid != uid || (spec.network != LJ_NET_HOST) != newnet))
		r = lj_fail(e, "the jail's description does not match this sandbox");
	if (r == 0 && nhome == 2) {
		spec.homefd = fds[0];
		spec.hometree = fds[1];
	}
	spec.trees = fds + nhome;
	if (r == 0)
		r = lj_jail_build(&spec, e);
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	munmap(buf, len);
	return r;
}

/* Returns 0 with the root pivoted into the jail, or -1. */
static int build(const char *name, uid_t uid, bool newnet, struct lj_init_built *b,
		 struct lj_err *e)
{
	/* Detached from the caller's session and terminal. */
	setsid();
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		return lj_fail_errno(e, "cannot open /dev/null");
	if (null > 2)
		close(null);
	/* The host's log, while its socket is still in reach: the jail has
	 * none, and the init logs through this one (audit.h). */
	struct lj_log log;
	lj_log_open(&log);
	b->log = log.fd;

	/* First, while the helper prepares the home (a new network namespace
	 * is the costly one; network = host keeps the host's). */
	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | (newnet ? CLONE_NEWNET : 0)) < 0)
		return lj_fail_errno(e, "cannot create the sandbox's namespaces");
	if (build_jail(name, uid, newnet, e) < 0)
		return -1;

	/* The helper has put us into the sandbox's cgroup: the cgroup
	 * namespace is rooted there. */
	char msg[sizeof(struct lj_setup) + sizeof(struct lj_setup_go)];
	int go[2 + LJ_PROCS_MAX];
	size_t ngo = 0;
	ssize_t n = recv_step(LJ_SETUP_GO, msg, sizeof(msg), go, LJ_ARRAY_SIZE(go), &ngo, e);
	if (n < 0)
		return -1;
	if (n != sizeof(msg) || ngo < 3) {
		for (size_t i = 0; i < ngo; i++)
			close(go[i]);
		return lj_fail(e, "no key, user namespace, session or cgroup from the helper");
	}
	struct lj_setup_go what;
	memcpy(&what, msg + sizeof(struct lj_setup), sizeof(what));
	b->key = what.key;
	b->first_session = what.session;
	if (unshare(CLONE_NEWCGROUP) < 0)
		return lj_fail_errno(e, "cannot create the sandbox's cgroup namespace");
	b->ns[LJ_NS_COUNT - 1] = go[0];
	b->first = go[1];
	for (size_t i = 2; i < ngo; i++)
		b->procs[b->nprocs++] = go[i];
	/* The jail's own /proc now: these are the namespaces sessions join. */
	for (size_t i = 0; i < LJ_NS_COUNT; i++) {
		char p[64];
		if (lj_ns_order[i].type == CLONE_NEWUSER)
			continue;
		snprintf(p, sizeof(p), "/proc/self/ns/%s", lj_ns_order[i].name);
		b->ns[i] = open(p, O_RDONLY | O_CLOEXEC);
		if (b->ns[i] < 0)
			return lj_fail_errno(e, "cannot open %s", p);
	}
	return 0;
}

/* FD at the number SLOT, without close-on-exec. Every descriptor the build
 * made is first moved above the slots (MOVE), as it may have been given a
 * free slot's number; then each goes to its slot (PLACE). */
static int move(int fd)
{
	if (fd < 0)
		return -1;
	int high = fcntl(fd, F_DUPFD_CLOEXEC, LJ_INIT_FD_MAX);
	close(fd);
	return high;
}

static void place(int fd, int slot)
{
	if (fd >= 0 && dup2(fd, slot) != slot)
		close(slot);
}

void lj_init_run(const struct lj_init_run *r)
{
	struct lj_init_built b = {.log = -1, .first = -1};
	struct lj_err e = {""};
	static char built[32];
	for (size_t i = 0; i < LJ_NS_COUNT; i++)
		b.ns[i] = -1;
	/* Signals wait, pending, for loginjail-init's signalfd: the mask
	 * survives the exec. */
	sigset_t set;
	lj_init_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);

	bool ok = build(r->name, r->uid, r->newnet, &b, &e) == 0;
	if (!ok) {
		char msg[sizeof(e.msg) + 1];
		snprintf(msg, sizeof(msg), "E%s", e.msg);
		/* No SIGPIPE: a helper that is gone is one case to handle. */
		send(LJ_INIT_FD_READY, msg, strlen(msg), MSG_NOSIGNAL);
	} else if (lj_send_fds(LJ_INIT_FD_READY, "R", 1, b.ns, LJ_NS_COUNT) < 0) {
		ok = false; /* the helper is gone: nobody will use this sandbox */
	}
	close(LJ_INIT_FD_READY);
	snprintf(built, sizeof(built), ok ? "built:%zu" : "failed", b.nprocs);
	b.log = move(b.log);
	b.first = move(b.first);
	for (size_t i = 0; i < LJ_NS_COUNT; i++)
		b.ns[i] = move(b.ns[i]);
	for (size_t i = 0; i < b.nprocs; i++)
		b.procs[i] = move(b.procs[i]);
	place(b.log, LJ_INIT_FD_LOG);
	if (ok) {
		place(b.first, LJ_INIT_FD_FIRST);
		for (size_t i = 0; i < LJ_NS_COUNT; i++)
			place(b.ns[i], LJ_INIT_FD_NS + (int)i);
		for (size_t i = 0; i < b.nprocs; i++)
			place(b.procs[i], LJ_INIT_FD_PROCS + (int)i);
	}
	/* The exec happens in the jail: the dynamic linker reads the jail's
	 * /usr and /etc, read-only binds of the host's own (the policy's binds
	 * are at their host paths too), with an empty environment. */
	static char key[2 * sizeof(b.key) + 1] = "-";
	static char session[2 * sizeof(b.first_session) + 1] = "-";
	if (ok) {
		lj_hex_encode(&b.key, sizeof(b.key), key);
		lj_hex_encode(&b.first_session, sizeof(b.first_session), session);
	}
	r->argv[6] = built;
	r->argv[7] = key;
	r->argv[8] = session;
	static char *const envp[] = {NULL};
	execveat(LJ_INIT_FD_EXE, "", r->argv, envp, AT_EMPTY_PATH);
	_exit(127);
}
