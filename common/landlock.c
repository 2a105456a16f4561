/* Landlock scopes without a libc wrapper or new headers: Debian 12's
 * linux/landlock.h (Linux 6.1) has no ruleset field beyond
 * handled_access_fs. */
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/landlock.h>
#include <linux/types.h>

#include "landlock.h"
#include "util.h"

/* struct landlock_ruleset_attr as of Linux 6.12: handled_access_net came in
 * 6.7 (ABI 4), scoped in 6.12 (ABI 6). */
struct lj_landlock_ruleset_attr {
	__u64 handled_access_fs;
	__u64 handled_access_net;
	__u64 scoped;
};
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* linux/landlock.h, 6.12 */
#endif

int lj_landlock_abi(void)
{
	long v = syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return v < 0 ? 0 : (int)v;
}

int lj_landlock_scope_abstract_unix(void)
{
	if (lj_landlock_abi() < LJ_LANDLOCK_ABI_SCOPE)
		return 1;
	struct lj_landlock_ruleset_attr attr = {.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET};
	cleanup_close int fd = (int)syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0 || syscall(__NR_landlock_restrict_self, fd, 0) < 0)
		return -1;
	return 0;
}
