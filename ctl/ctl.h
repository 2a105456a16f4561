/* What loginjailctl's files share: exit codes, messages, the policy of a
 * user, and the walk over the running sandboxes. */
#ifndef LJ_CTL_H
#define LJ_CTL_H

#include <pwd.h>
#include <stdbool.h>
#include <sys/types.h>

#include "policy.h"

enum {
	EXIT_OK = 0,
	EXIT_INVALID = 1,
	EXIT_USAGE = 2,
	EXIT_LOOKUP = 3,
};

int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 0 for root; otherwise says that COMMAND needs root and returns
 * EXIT_USAGE. */
int need_root(const char *command);

/* The policy of the account PW as a login would get it (groups from NSS,
 * the files in DIR): 0 with *pol (lj_policy_free) and *cfg (lj_config_free,
 * after pol), EXIT_LOOKUP or EXIT_INVALID with the reason printed. */
int ctl_policy_of(const char *dir, const struct passwd *pw, struct lj_policy *pol,
		  struct lj_config **cfg);

/* Calls FN for each sandbox directory in /run/loginjail (user-UID or
 * user-UID.sPID.N), with its uid; stops at the first non-zero return.
 * -1 when the directory cannot be read (said on stderr). */
int ctl_each_sandbox(int (*fn)(int rundir, const char *name, uid_t uid, void *arg), void *arg);
/* The name of UID's account, or "uid N". */
const char *ctl_user_name(uid_t uid, char *buf, size_t len);

int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_enter(int argc, char **argv);

#endif
