/* Moving the calling process into a sandbox, once its namespaces are in
 * hand: the PAM module (a login) and loginjailctl enter. The caller is root
 * (effective uid 0) and single-threaded. */
#ifndef LJ_ENTER_H
#define LJ_ENTER_H

#include <stdbool.h>

#include "err.h"

/* Move this process into the sandbox whose namespaces FDS are (in
 * lj_ns_order, checked): no new privileges, no terminal injection, a
 * Landlock scope for HOST_NET, every namespace (the user namespace last),
 * descriptors above 2 close-on-exec, no bounding set. 0, or -1 with e. */
int lj_enter(const int *fds, bool host_net, struct lj_err *e);

#endif
