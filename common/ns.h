#ifndef LJ_NS_H
#define LJ_NS_H

#include <sys/types.h>

/* 0 when FD is a namespace of TYPE (CLONE_NEW*) owned by the user namespace
 * whose nsfs inode is OWNER or, a user namespace, made by root as a child of
 * that one. */
int lj_ns_check(int fd, int type, dev_t owner_dev, ino_t owner_ino);
/* The LJ_NS_COUNT descriptors of a sandbox, in lj_ns_order: each of its type,
 * all but the user namespace owned by the caller's user namespace. Returns
 * 0, or -1 with *bad naming the first that is not (NULL: no /proc). */
int lj_ns_check_sandbox(const int *fds, const char **bad);

#endif
