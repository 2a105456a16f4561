#ifndef LJ_NS_H
#define LJ_NS_H

#include <sys/types.h>

/* 0 when FD is a namespace of TYPE (CLONE_NEW*) and, unless it is a user
 * namespace, owned by the user namespace whose nsfs inode is OWNER. */
int lj_ns_check(int fd, int type, dev_t owner_dev, ino_t owner_ino);

#endif
