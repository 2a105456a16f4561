/* The jail's description on its way from the helper to the sandbox's init
 * (helper/jailspec.c): what is packed comes out the same, and the init's
 * side refuses anything malformed rather than build from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../helper/jailspec.c"

static struct lj_user user = {.name = "alice", .uid = 1001, .gid = 1002, .home = "/home/alice"};
static struct lj_binds binds = {.n = 3,
				.v = {{"/opt", -1}, {"/srv/data", -1}, {"/var/mail/alice", -1}}};

static struct lj_policy policy(void)
{
	struct lj_policy p = {
		.network = LJ_NET_NONE, .tmp = LJ_TMP_SHARED, .tmp_size = 128 << 20, .ptys = 8};
	snprintf(p.hostname, sizeof(p.hostname), "jail-alice");
	return p;
}

static ssize_t pack(char *buf, size_t len)
{
	struct lj_policy p = policy();
	struct lj_err e = {""};
	ssize_t n = lj_jail_spec_pack(&user, &p, &binds, buf, len, &e);
	if (n < 0)
		fail_msg("pack failed: %s", e.msg);
	return n;
}

static void round_trip(void **state)
{
	char buf[4096];
	ssize_t n = pack(buf, sizeof(buf));
	struct lj_jail_spec s;
	struct lj_err e = {""};
	if (lj_jail_spec_unpack(buf, (size_t)n, &s, &e) != 0)
		fail_msg("unpack failed: %s", e.msg);
	assert_int_equal(s.uid, 1001);
	assert_int_equal(s.gid, 1002);
	assert_int_equal(s.network, LJ_NET_NONE);
	assert_int_equal(s.tmp, LJ_TMP_SHARED);
	assert_int_equal(s.tmp_size, 128 << 20);
	assert_int_equal(s.ptys, 8);
	assert_string_equal(s.hostname, "jail-alice");
	assert_string_equal(s.home, "/home/alice");
	assert_int_equal(s.nbinds, 3);
	assert_string_equal(s.bind[0], "/opt");
	assert_string_equal(s.bind[1], "/srv/data");
	assert_string_equal(s.bind[2], "/var/mail/alice");
}

static void expect_refused(char *buf, size_t len, const char *what)
{
	struct lj_jail_spec s;
	struct lj_err e = {""};
	if (lj_jail_spec_unpack(buf, len, &s, &e) == 0)
		fail_msg("%s: accepted", what);
	if (!strstr(e.msg, "jail description"))
		fail_msg("%s: the reason \"%s\" does not say what was wrong", what, e.msg);
}

static void malformed_is_refused(void **state)
{
	char buf[4096], bad[4096];
	ssize_t n = pack(buf, sizeof(buf));

	/* Every truncation: a short head, a cut path, a missing path. */
	for (ssize_t cut = 0; cut < n; cut++) {
		char what[64];
		memcpy(bad, buf, (size_t)cut);
		snprintf(what, sizeof(what), "cut to %zd of %zd bytes", cut, n);
		expect_refused(bad, (size_t)cut, what);
	}
	memcpy(bad, buf, (size_t)n);
	bad[n] = 'x';
	expect_refused(bad, (size_t)n + 1, "trailing byte");

	struct spec_head h;
	memcpy(&h, buf, sizeof(h));
	h.tmp = 9;
	memcpy(bad, buf, (size_t)n);
	memcpy(bad, &h, sizeof(h));
	expect_refused(bad, (size_t)n, "unknown /tmp mode");

	memcpy(&h, buf, sizeof(h));
	h.network = 7;
	memcpy(bad, buf, (size_t)n);
	memcpy(bad, &h, sizeof(h));
	expect_refused(bad, (size_t)n, "unknown network mode");

	static const uint32_t bad_ptys[] = {0, LJ_PTYS_MAX + 1};
	for (size_t i = 0; i < 2; i++) {
		memcpy(&h, buf, sizeof(h));
		h.ptys = bad_ptys[i];
		memcpy(bad, buf, (size_t)n);
		memcpy(bad, &h, sizeof(h));
		expect_refused(bad, (size_t)n, "ptys out of range");
	}

	memcpy(&h, buf, sizeof(h));
	h.tmp_size = 0; /* tmpfs: no limit at all */
	memcpy(bad, buf, (size_t)n);
	memcpy(bad, &h, sizeof(h));
	expect_refused(bad, (size_t)n, "tmp_size 0");

	memcpy(&h, buf, sizeof(h));
	memset(h.hostname, 'h', sizeof(h.hostname));
	memcpy(bad, buf, (size_t)n);
	memcpy(bad, &h, sizeof(h));
	expect_refused(bad, (size_t)n, "hostname without its end");

	/* A relative path where the home is. */
	memcpy(bad, buf, (size_t)n);
	bad[sizeof(struct spec_head)] = 'h';
	expect_refused(bad, (size_t)n, "relative home");
}

/* More binds than a policy can have (ro_bind, bind and devices), each path present:
 * only the bound refuses it. */
static void too_many_binds_is_refused(void **state)
{
	static char buf[8192];
	struct spec_head h = {
		.uid = 1001, .gid = 1001, .nbinds = LJ_JAIL_BINDS + 1, .ptys = 1, .tmp_size = 1};
	snprintf(h.hostname, sizeof(h.hostname), "h");
	memcpy(buf, &h, sizeof(h));
	size_t at = sizeof(h);
	for (int i = 0; i < 1 + LJ_JAIL_BINDS + 1; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "/p%d", i) + 1;
	struct lj_jail_spec s;
	struct lj_err e = {""};
	if (lj_jail_spec_unpack(buf, at, &s, &e) == 0)
		fail_msg("%d binds accepted", LJ_JAIL_BINDS + 1);
	assert_non_null(strstr(e.msg, "bad jail description"));
	/* The same with exactly the most a policy can have is fine. */
	h.nbinds = LJ_JAIL_BINDS;
	memcpy(buf, &h, sizeof(h));
	at = sizeof(h);
	for (int i = 0; i < 1 + LJ_JAIL_BINDS; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "/p%d", i) + 1;
	if (lj_jail_spec_unpack(buf, at, &s, &e) != 0)
		fail_msg("%d binds refused: %s", LJ_JAIL_BINDS, e.msg);
	assert_int_equal(s.nbinds, LJ_JAIL_BINDS);
}

static void too_long_is_a_clear_error(void **state)
{
	char buf[64];
	struct lj_policy p = policy();
	struct lj_err e = {""};
	assert_true(lj_jail_spec_pack(&user, &p, &binds, buf, sizeof(buf), &e) < 0);
	assert_non_null(strstr(e.msg, "room"));
	char big[sizeof(struct spec_head) + 20];
	e.msg[0] = '\0';
	assert_true(lj_jail_spec_pack(&user, &p, &binds, big, sizeof(big), &e) < 0);
	assert_non_null(strstr(e.msg, "bind paths take more than"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(malformed_is_refused),
		cmocka_unit_test(too_many_binds_is_refused),
		cmocka_unit_test(too_long_is_a_clear_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
