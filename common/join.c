/* Joining a running sandbox: connect to its init's control socket in the
 * root-only state directory, hand over a pidfd of the session's caller and
 * receive the namespace and cgroup descriptors, each namespace checked before
 * anybody enters it (SECURITY.md rule 16). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "ctlmsg.h"
#include "join.h"
#include "ns.h"
#include "pamstack.h"
#include "sha256.h"
#include "util.h"

int lj_rundir_open(bool create, struct lj_err *e)
{
	struct stat st;
	if (create && mkdir(LJ_RUNDIR, 0700) < 0 && errno != EEXIST)
		return lj_fail_errno(e, "cannot create %s", LJ_RUNDIR);
	int fd = open(LJ_RUNDIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return lj_fail_errno(e, "cannot open %s", LJ_RUNDIR);
	if (fstat(fd, &st) < 0 || st.st_uid != 0 || (st.st_mode & 077)) {
		close(fd);
		errno = EPERM;
		return lj_fail(e,
			       "%s must be a directory owned by root with mode 0700; "
			       "remove it and let loginjail recreate it",
			       LJ_RUNDIR);
	}
	return fd;
}

static bool is_cgroup_file(int fd)
{
	struct statfs sf;
	struct stat st;
	return fstatfs(fd, &sf) == 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       ((unsigned long)sf.f_type == CGROUP_SUPER_MAGIC ||
		(unsigned long)sf.f_type == CGROUP2_SUPER_MAGIC);
}

void lj_joined_close(struct lj_joined *j)
{
	for (size_t i = 0; i < LJ_NS_COUNT; i++)
		if (j->ns[i] >= 0)
			close(j->ns[i]);
	for (size_t i = 0; i < j->nprocs; i++)
		close(j->procs[i]);
	j->nprocs = 0;
}

/* What a policy file's metadata says about its contents: any write,
 * rename, replacement or mode change shows in one of these. */
static void stamp_add(struct lj_sha256 *h, int dir, const char *name)
{
	struct stat st;
	uint64_t m[9] = {0};
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		uint64_t v[9] = {st.st_dev,
				 st.st_ino,
				 st.st_mode,
				 st.st_uid,
				 (uint64_t)st.st_size,
				 (uint64_t)st.st_mtim.tv_sec,
				 (uint64_t)st.st_mtim.tv_nsec,
				 (uint64_t)st.st_ctim.tv_sec,
				 (uint64_t)st.st_ctim.tv_nsec};
		memcpy(m, v, sizeof(m));
	}
	lj_sha256_add(h, name, strlen(name) + 1);
	lj_sha256_add(h, m, sizeof(m));
}

/* The stamp of the policy in DIR: the metadata of the directory,
 * loginjail.conf, policy.d and every entry of policy.d (a superset of what
 * lj_config_load reads). Equal stamps: the files were not touched since.
 * Taken before the policy is read, so that a change while it is read makes
 * the stamp older than the policy, never newer. */
static int config_stamp(const char *dir, uint8_t out[LJ_SHA256_LEN])
{
	struct lj_sha256 h;
	cleanup_close int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0)
		return -1;
	lj_sha256_init(&h);
	stamp_add(&h, d, ".");
	stamp_add(&h, d, "loginjail.conf");
	stamp_add(&h, d, "policy.d");
	int pd = openat(d, "policy.d", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *list = pd < 0 ? NULL : fdopendir(pd);
	if (pd >= 0 && !list)
		close(pd);
	/* An unchanged directory lists its entries in the same order. */
	for (struct dirent *de; list && (de = readdir(list));)
		stamp_add(&h, dirfd(list), de->d_name);
	if (list)
		closedir(list);
	lj_sha256_end(&h, out);
	return 0;
}

int lj_ctl_key_init(struct lj_ctl_key *key, const char *dir, const char *name, uid_t uid, gid_t gid,
		    const char *home)
{
	struct stat st;
	struct lj_sha256 h;
	uint32_t ids[2] = {uid, gid};
	memset(key, 0, sizeof(*key));
	dir = dir ? dir : LJ_CONFDIR;
	if (stat(dir, &st) < 0 || config_stamp(dir, key->stamp) < 0)
		return -1;
	key->config_dev = st.st_dev;
	key->config_ino = st.st_ino;
	lj_sha256_init(&h);
	lj_sha256_add(&h, name, strlen(name) + 1);
	lj_sha256_add(&h, ids, sizeof(ids));
	lj_sha256_add(&h, home, strlen(home) + 1);
	lj_sha256_end(&h, key->account);
	return 0;
}

int lj_ctl_connect(int rundir, const char *name, int *sock, struct lj_err *e)
{
	struct stat st;
	*sock = -1;
	if (fstatat(rundir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 1 : lj_fail_errno(e, "cannot stat %s/%s", LJ_RUNDIR, name);
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 077))
		return lj_fail(e, "%s/%s is not a root-only directory: not using it", LJ_RUNDIR,
			       name);

	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s/ctl", LJ_RUNDIR, name) >=
	    (int)sizeof(sa.sun_path))
		return lj_fail(e, "state path for %s too long", name);
	cleanup_close int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return lj_fail_errno(e, "socket");
	/* A full backlog (a stuck init) must not hold the login for ever:
	 * connect waits at most the send timeout. */
	struct timeval tv = {.tv_sec = 10};
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return (errno == ENOENT || errno == ECONNREFUSED)
			       ? 1
			       : lj_fail_errno(e, "cannot connect to %s", sa.sun_path);
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 || cred.uid != 0)
		return lj_fail(e, "%s is not served by root: not using it", sa.sun_path);
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	*sock = lj_steal_fd(&s);
	return 0;
}

/* Why the running sandbox NAME declined USER's join (STATUS). */
static void declined(const char *name, const char *user, const struct lj_ctl_rep *rep,
		     struct lj_err *e)
{
	switch (rep->status) {
	case LJ_CTL_OTHER_POLICY:
		lj_fail(e, "the running sandbox %s was built from another policy directory", name);
		break;
	case LJ_CTL_FULL:
		lj_fail(e, "the running sandbox %s has as many sessions as it takes", name);
		break;
	case LJ_CTL_OTHER_ACCOUNT:
		lj_fail(e,
			"the running sandbox %s was built for another account with this uid (%s; "
			"name, gid or home differ): not joining it; loginjailctl stop %s ends it",
			name, rep->user, user);
		break;
	case LJ_CTL_POLICY_CHANGED:
		lj_fail(e,
			"the policy of %s changed since its running sandbox %s was built: "
			"loginjailctl stop %s ends that sandbox, so that the next login gets the "
			"new policy",
			user, name, user);
		break;
	case LJ_CTL_CHECK_POLICY:
		lj_fail(e, "the policy files changed since the running sandbox %s was built", name);
		break;
	default:
		lj_fail(e, "the running sandbox %s refused the request", name);
	}
}

/* The init's answer to command CMD on S (for a join: USER's): 0 with *rep
 * and the *n descriptors it carried in FDS (up to MAX), to close on any
 * other return; 1 when it stopped listening (it is ending); 2 when it gave
 * no answer of this version, or declined a join or answered it with other
 * descriptors (e says which); -1 otherwise, also when it refused a status
 * or a stop. */
static int ctl_answer(int s, const char *name, const char *user, uint32_t cmd,
		      struct lj_ctl_rep *rep, int *fds, size_t max, size_t *n, struct lj_err *e)
{
	unsigned char buf[LJ_CTL_MSG_MAX];
	*n = 0;
	ssize_t len = lj_recv_fds(s, buf, sizeof(buf), fds, max, n);
	int err = errno;
	enum lj_ctl_rep_verdict v =
		len < 0 ? LJ_CTL_REP_MALFORMED : lj_ctl_rep_check(buf, (size_t)len, cmd, *n, rep);
	if (v == LJ_CTL_REP_OK)
		return 0;
	size_t got = *n;
	for (size_t i = 0; i < *n; i++)
		close(fds[i]);
	*n = 0;
	if (len < 0 && err == ECONNRESET)
		return 1;
	if (len < 0 && err != EMSGSIZE) {
		errno = err;
		return lj_fail_errno(e, "no answer from the sandbox %s", name);
	}
	switch (v) {
	case LJ_CTL_REP_OTHER_VERSION:
		return lj_fail(e,
			       "the running sandbox %s was started by another version of loginjail "
			       "(protocol %u, this is %u): it ends after its last session",
			       name, rep->version, LJ_PROTO_VERSION),
		       2;
	case LJ_CTL_REP_DECLINED:
	case LJ_CTL_REP_BAD_FDS:
		if (v == LJ_CTL_REP_DECLINED && cmd == LJ_CTL_RELOAD)
			return declined(name, user, rep, e), 2;
		if (cmd != LJ_CTL_JOIN)
			return lj_fail(e, "bad answer from sandbox %s", name);
		if (v == LJ_CTL_REP_DECLINED)
			declined(name, user, rep, e);
		else
			lj_fail(e, "the running sandbox %s answered with %zu descriptors", name,
				got);
		return 2;
	default:
		/* One before version 5 drops a request of another size without a
		 * word (len 0), or sends an answer longer than ours (EMSGSIZE). */
		return lj_fail(e,
			       "the running sandbox %s does not answer (ending, or started by "
			       "another version of loginjail)",
			       name),
		       2;
	}
}

/* Ask sandbox NAME command CMD with KEY (none: zero): the connected socket
 * in *S and the answer, as ctl_answer returns. */
static int ctl_request(int rundir, const char *name, const char *user, uint32_t cmd,
		       const struct lj_ctl_key *key, int *s, struct lj_ctl_rep *rep, int *fds,
		       size_t max, size_t *n, struct lj_err *e)
{
	int r = lj_ctl_connect(rundir, name, s, e);
	if (r != 0)
		return r;
	struct lj_ctl_req req = {.version = LJ_PROTO_VERSION, .cmd = cmd};
	if (key)
		req.key = *key;
	if (lj_send_fds(*s, &req, sizeof(req), NULL, 0) < 0)
		return lj_fail_errno(e, "cannot ask sandbox %s", name);
	return ctl_answer(*s, name, user, cmd, rep, fds, max, n, e);
}

int lj_ctl_ask(int rundir, const char *name, uint32_t cmd, uint32_t *sessions, struct lj_err *e)
{
	cleanup_close int s = -1;
	struct lj_ctl_rep rep;
	size_t n = 0;
	int r = ctl_request(rundir, name, NULL, cmd, NULL, &s, &rep, NULL, 0, &n, e);
	if (r == 0)
		*sessions = rep.sessions;
	return r;
}

/* One message of exactly LEN bytes, and no descriptor. */
static int recv_exact(int s, const char *name, void *buf, size_t len, struct lj_err *e)
{
	unsigned char msg[LJ_CTL_MSG_MAX];
	int fds[LJ_NS_COUNT + LJ_PROCS_MAX];
	size_t n = 0;
	ssize_t got = lj_recv_fds(s, msg, sizeof(msg), fds, LJ_ARRAY_SIZE(fds), &n);
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
	if (got < 0)
		return lj_fail_errno(e, "the sandbox %s broke off its answer", name);
	if ((size_t)got != len || n != 0)
		return lj_fail(e, "the sandbox %s answered with a message of %zd bytes", name, got);
	memcpy(buf, msg, len);
	return 0;
}

int lj_ctl_info(int rundir, const char *name, struct lj_ctl_rep *rep, struct lj_ctl_info *info,
		struct lj_ctl_sess_info **sess, int *mountinfo, struct lj_err *e)
{
	cleanup_close int s = -1;
	size_t n = 0;
	*sess = NULL;
	*mountinfo = -1;
	int r = ctl_request(rundir, name, NULL, LJ_CTL_INFO, NULL, &s, rep, mountinfo, 1, &n, e);
	if (r != 0)
		return r;
	if (recv_exact(s, name, info, sizeof(*info), e) < 0)
		goto fail;
	info->nsess = info->nsess > LJ_CTL_SESS_MAX ? LJ_CTL_SESS_MAX : info->nsess;
	*sess = calloc(info->nsess + 1, sizeof(**sess));
	if (!*sess) {
		lj_fail_errno(e, "out of memory");
		goto fail;
	}
	for (uint32_t i = 0; i < info->nsess; i++) {
		if (recv_exact(s, name, &(*sess)[i], sizeof(**sess), e) < 0)
			goto fail;
		lj_ctl_session_clean(&(*sess)[i].what);
	}
	return 0;
fail:
	free(*sess);
	*sess = NULL;
	close(*mountinfo);
	*mountinfo = -1;
	return -1;
}

int lj_ctl_reload(int rundir, const char *name, const char *user, const struct lj_ctl_key *key,
		  struct lj_err *e)
{
	cleanup_close int s = -1;
	struct lj_ctl_rep rep;
	size_t n = 0;
	return ctl_request(rundir, name, user, LJ_CTL_RELOAD, key, &s, &rep, NULL, 0, &n, e);
}

int lj_join(int rundir, const char *name, int caller_pidfd, const struct lj_ctl_session *session,
	    const char *user, const struct lj_ctl_key *key, bool with_policy, struct lj_joined *j,
	    struct lj_err *e)
{
	for (size_t i = 0; i < LJ_NS_COUNT; i++)
		j->ns[i] = -1;
	j->nprocs = 0;

	cleanup_close int s = -1;
	int r = lj_ctl_connect(rundir, name, &s, e);
	if (r != 0)
		return r;
	char path[128];
	snprintf(path, sizeof(path), "%s/%s/ctl", LJ_RUNDIR, name);
	struct lj_ctl_req req = {.version = LJ_PROTO_VERSION,
				 .cmd = LJ_CTL_JOIN,
				 .flags = with_policy ? LJ_CTL_REQ_F_POLICY : 0,
				 .key = *key,
				 .session = *session};
	if (lj_send_fds(s, &req, sizeof(req), &caller_pidfd, 1) < 0)
		return lj_fail_errno(e, "cannot send the session to %s", path);
	struct lj_ctl_rep ok;
	int fds[LJ_NS_COUNT + LJ_PROCS_MAX];
	size_t n = 0;
	r = ctl_answer(s, name, user, LJ_CTL_JOIN, &ok, fds, LJ_ARRAY_SIZE(fds), &n, e);
	if (r != 0)
		return r;
	memcpy(j->ns, fds, sizeof(j->ns));
	memcpy(j->procs, fds + LJ_NS_COUNT, ok.nprocs * sizeof(int));
	j->nprocs = ok.nprocs;
	j->keeps_slice = ok.flags & LJ_CTL_F_KEEPS_SLICE;
	j->host_net = ok.flags & LJ_CTL_F_HOST_NET;

	const char *bad;
	if (lj_ns_check_sandbox(j->ns, &bad) < 0) {
		lj_joined_close(j);
		if (!bad)
			return lj_fail_errno(e, "cannot stat /proc/self/ns/user");
		return lj_fail(e,
			       "the %s namespace handed out by %s is not a sandbox namespace made "
			       "by root: not joining it",
			       bad, path);
	}
	/* Each must be a cgroup.procs file of a cgroup filesystem. */
	for (size_t i = 0; i < j->nprocs; i++) {
		if (!is_cgroup_file(j->procs[i])) {
			lj_joined_close(j);
			return lj_fail(e, "%s handed out a descriptor that is not a cgroup file",
				       path);
		}
	}
	return 0;
}

int lj_procs_write(const int *fds, size_t n, pid_t pid, struct lj_err *e)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < n; i++)
		if (pwrite(fds[i], buf, (size_t)len, 0) != len)
			return lj_fail_errno(e, "cannot move process %d into the sandbox's cgroup",
					     (int)pid);
	return 0;
}

int lj_proc_cgroup(pid_t pid, char *path, size_t len)
{
	char file[64], buf[4096];
	snprintf(file, sizeof(file), pid ? "/proc/%d/cgroup" : "/proc/self/cgroup", (int)pid);
	cleanup_close int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The cgroup v2 line (named v1 hierarchies may be listed too). */
	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(line, "0::", 3) == 0)
			return snprintf(path, len, "%s", line + 3) < (int)len ? 0 : -1;
	}
	return -1;
}

bool lj_in_user_slice(pid_t pid, uid_t uid)
{
	char path[4096], want[64];
	int n = snprintf(want, sizeof(want), "/user.slice/user-%u.slice/", (unsigned)uid);
	return lj_proc_cgroup(pid, path, sizeof(path)) == 0 && strncmp(path, want, (size_t)n) == 0;
}

int lj_session_placement(bool keeps_slice, pid_t pid, uid_t uid, const char *service,
			 struct lj_err *e)
{
	if (!keeps_slice)
		return 1;
	if (lj_in_user_slice(pid, uid))
		return 0;
	struct lj_pam_pos sd, lj;
	if (service && lj_pam_session_order(lj_pam_dirs, service, &sd, &lj) == 0 &&
	    sd.index > lj.index && lj.index >= 0)
		return lj_fail(e,
			       "in the PAM session stack of service %s, pam_systemd.so (%s) comes "
			       "after pam_loginjail.so (%s), so the login would not be registered "
			       "with systemd-logind: move the pam_loginjail.so line below every "
			       "other session line (after @include common-session)",
			       service, sd.where, lj.where);
	return 1;
}

int lj_join_attach(const struct lj_joined *j, pid_t pid, uid_t uid, const char *service,
		   struct lj_err *e)
{
	int r = lj_session_placement(j->keeps_slice, pid, uid, service, e);
	return r <= 0 ? r : lj_procs_write(j->procs, j->nprocs, pid, e);
}
