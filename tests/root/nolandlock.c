/* nolandlock PROGRAM [ARG...]: run PROGRAM as on a kernel without Landlock
 * (before 5.13, or with Landlock off): landlock_create_ruleset fails with
 * ENOSYS for it and everything it starts (test_host_scope.sh). As root: no
 * no_new_privs, so su and the module work as they would. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <seccomp.h>

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (argc < 2 || !ctx || seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(landlock_create_ruleset), 0) <
		    0 ||
	    seccomp_load(ctx) < 0) {
		fprintf(stderr,
			"nolandlock: cannot install the filter (usage: nolandlock PROGRAM [ARG...])\n");
		return 1;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
