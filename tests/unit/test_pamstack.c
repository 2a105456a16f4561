/* Where pam_systemd.so and pam_loginjail.so sit in a service's session stack
 * (common/pamstack.c): Debian's @include, include and substack, a vendor
 * directory after /etc/pam.d, comments, -session, bracketed controls, and
 * what is not a session line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pamstack.h"
#include "tmpdir.h"

struct fixture {
	char etc[256], vendor[256];
	const char *dirs[3];
	struct lj_pam_pos sd, lj;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || lj_test_mkdtemp(f->etc, sizeof(f->etc), "pam-etc") < 0 ||
	    lj_test_mkdtemp(f->vendor, sizeof(f->vendor), "pam-usr") < 0)
		return -1;
	f->dirs[0] = f->etc;
	f->dirs[1] = f->vendor;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	lj_test_rmtree(f->etc);
	lj_test_rmtree(f->vendor);
	free(f);
	return 0;
}

static void put(const char *dir, const char *name, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void order(struct fixture *f, const char *service)
{
	assert_int_equal(lj_pam_session_order(f->dirs, service, &f->sd, &f->lj), 0);
}

static void expect_where(const struct lj_pam_pos *pos, const char *dir, const char *file_line)
{
	char want[600];
	snprintf(want, sizeof(want), "%s/%s", dir, file_line);
	assert_string_equal(pos->where, want);
}

/* Debian's sshd: pam_systemd comes from common-session, the module after. */
static void debian_order_is_systemd_first(void **state)
{
	struct fixture *f = *state;
	put(f->etc, "common-session",
	    "# comment\n"
	    "session\t[default=1]\t\t\tpam_permit.so\n"
	    "session requisite pam_deny.so\n"
	    "session required pam_unix.so \n"
	    "session optional\tpam_systemd.so\n");
	put(f->etc, "sshd",
	    "auth include common-auth\n"
	    "@include common-session\n"
	    "session optional pam_motd.so motd=/run/motd.dynamic # pam_loginjail.so\n"
	    "session required pam_loginjail.so\n");
	order(f, "sshd");
	assert_true(f->sd.index >= 0 && f->lj.index > f->sd.index);
	expect_where(&f->sd, f->etc, "common-session:5");
	expect_where(&f->lj, f->etc, "sshd:4");
}

/* The wrong order, through "session include", with the module by path. */
static void module_before_systemd_is_seen(void **state)
{
	struct fixture *f = *state;
	put(f->etc, "base", "-session optional pam_systemd.so class=user\n");
	put(f->etc, "svc",
	    "session required /opt/build/pam_loginjail.so config_dir=/x\n"
	    "session include base\n");
	order(f, "svc");
	assert_int_equal(f->lj.index, 0);
	assert_int_equal(f->sd.index, 1);
	expect_where(&f->sd, f->etc, "base:1");
}

/* substack, a bracketed control with spaces, the vendor directory when /etc
 * has no file, and lines of other types are not session lines. */
static void substack_vendor_and_other_types(void **state)
{
	struct fixture *f = *state;
	put(f->vendor, "systemd-user",
	    "account include common-account\n"
	    "session [success=ok ignore=ignore default=bad] pam_selinux.so close\n"
	    "session substack common-session-noninteractive\n");
	put(f->etc, "common-session-noninteractive",
	    "auth optional pam_systemd.so\n"
	    "session optional pam_systemd.so\n"
	    "session required pam_loginjail.so\n");
	order(f, "systemd-user");
	assert_int_equal(f->sd.index, 1);
	assert_int_equal(f->lj.index, 2);
	expect_where(&f->lj, f->etc, "common-session-noninteractive:3");
}

/* No pam_systemd at all (Debian's runuser), a missing include, a loop of
 * includes, and service names that are paths. */
static void absent_missing_loops_and_bad_names(void **state)
{
	struct fixture *f = *state;
	put(f->etc, "runuser",
	    "session include no-such-file\n"
	    "session required pam_loginjail.so\n"
	    "session include loop\n");
	put(f->etc, "loop", "@include loop\n");
	order(f, "runuser");
	assert_int_equal(f->sd.index, -1);
	assert_int_equal(f->lj.index, 0);
	assert_int_equal(lj_pam_session_order(f->dirs, "../etc/passwd", &f->sd, &f->lj), -1);
	assert_int_equal(lj_pam_session_order(f->dirs, "nosuch", &f->sd, &f->lj), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(debian_order_is_systemd_first, setup, teardown),
		cmocka_unit_test_setup_teardown(module_before_systemd_is_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(substack_vendor_and_other_types, setup, teardown),
		cmocka_unit_test_setup_teardown(absent_missing_loops_and_bad_names, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
