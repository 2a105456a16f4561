/* Joining a running sandbox: connect to its init's control socket in the
 * root-only state directory, hand over a pidfd of the session's caller and
 * receive the namespace descriptors, each checked before it is passed on. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "helper.h"
#include "ns.h"
#include "proto.h"
#include "util.h"

int lj_join(int rundir, const char *name, int caller_pidfd, int *nsfds, struct lj_err *e)
{
	struct stat st;
	if (fstatat(rundir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 1 : lj_fail_errno(e, "cannot stat %s/%s", LJ_RUNDIR, name);
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 077))
		return lj_fail(e, "%s/%s is not a root-only directory: not joining it", LJ_RUNDIR,
			       name);

	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s/ctl", LJ_RUNDIR, name) >=
	    (int)sizeof(sa.sun_path))
		return lj_fail(e, "state path for %s too long", name);
	cleanup_close int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return lj_fail_errno(e, "socket");
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return (errno == ENOENT || errno == ECONNREFUSED)
			       ? 1
			       : lj_fail_errno(e, "cannot connect to %s", sa.sun_path);
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 || cred.uid != 0)
		return lj_fail(e, "%s is not served by root: not joining it", sa.sun_path);
	struct timeval tv = {.tv_sec = 10};
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	struct lj_join req = {.version = LJ_PROTO_VERSION};
	if (lj_send_fds(s, &req, sizeof(req), &caller_pidfd, 1) < 0)
		return lj_fail_errno(e, "cannot send the session to %s", sa.sun_path);
	struct lj_join_ok ok;
	size_t n = 0;
	ssize_t len = lj_recv_fds(s, &ok, sizeof(ok), nsfds, LJ_NS_COUNT, &n);
	if (len != (ssize_t)sizeof(ok) || ok.version != LJ_PROTO_VERSION || n != LJ_NS_COUNT) {
		int err = errno;
		for (size_t i = 0; i < n; i++)
			close(nsfds[i]);
		if (len == 0)
			return 1; /* init was tearing down: start afresh */
		errno = err;
		return lj_fail_errno(e, "bad answer from the sandbox at %s", sa.sun_path);
	}

	struct stat me;
	if (stat("/proc/self/ns/user", &me) < 0)
		return lj_fail_errno(e, "cannot stat /proc/self/ns/user");
	for (size_t i = 0; i < LJ_NS_COUNT; i++) {
		if (lj_ns_check(nsfds[i], lj_ns_order[i].type, me.st_dev, me.st_ino) < 0) {
			for (size_t j = 0; j < LJ_NS_COUNT; j++)
				close(nsfds[j]);
			return lj_fail(e,
				       "the %s namespace handed out by %s is not a sandbox "
				       "namespace made by root: not joining it",
				       lj_ns_order[i].name, sa.sun_path);
		}
	}
	return 0;
}
