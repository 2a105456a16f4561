/* Checking a namespace descriptor before setns (SECURITY.md rule 16). */
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/nsfs.h>

#include "ns.h"
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
