/* Checking a namespace descriptor before setns (SECURITY.md rule 16). */
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/nsfs.h>

#include "ns.h"
#include "proto.h"
#include "util.h"

int lj_ns_check(int fd, int type, dev_t owner_dev, ino_t owner_ino)
{
	if (ioctl(fd, NS_GET_NSTYPE) != type)
		return -1;
	if (type == CLONE_NEWUSER)
		return 0;
	/* Every other namespace of a sandbox is owned by the user namespace
	 * given (the initial one): made by root, out of the user's reach. */
	cleanup_close int ufd = ioctl(fd, NS_GET_USERNS);
	struct stat st;
	if (ufd < 0 || fstat(ufd, &st) < 0)
		return -1;
	return st.st_dev == owner_dev && st.st_ino == owner_ino ? 0 : -1;
}

int lj_ns_check_sandbox(const int *fds, const char **bad)
{
	struct stat me;
	*bad = NULL;
	if (stat("/proc/self/ns/user", &me) < 0)
		return -1;
	for (size_t i = 0; i < LJ_NS_COUNT; i++)
		if (lj_ns_check(fds[i], lj_ns_order[i].type, me.st_dev, me.st_ino) < 0) {
			*bad = lj_ns_order[i].name;
			return -1;
		}
	return 0;
}
