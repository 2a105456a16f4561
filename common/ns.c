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
	/* The sandbox's user namespace is a child of the given one made by
	 * root (SECURITY.md rule 5): one a user made is that user's to enter
	 * and map. Every other namespace is owned by the given one (the
	 * initial): made by root, out of the user's reach. */
	cleanup_close int ufd = -1;
	if (type == CLONE_NEWUSER) {
		uid_t creator;
		if (ioctl(fd, NS_GET_OWNER_UID, &creator) < 0 || creator != 0)
			return -1;
		ufd = ioctl(fd, NS_GET_PARENT);
	} else {
		ufd = ioctl(fd, NS_GET_USERNS);
	}
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
