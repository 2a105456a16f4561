/* A caller's ignored, handled and blocked signals survive exec: a setuid
 * program, or the helper a setuid program runs, must not wait for children
 * with SIGCHLD ignored or run blocked against SIGTERM. */
#ifndef LJ_SIGNALS_H
#define LJ_SIGNALS_H

#include "err.h"

/* Every disposition the default, no signal blocked. 0, or -1 with e. */
int lj_reset_signals(struct lj_err *e);

#endif
