/* The control socket's messages (common/ctlmsg.c): which requests
 * loginjail-init serves, answers LJ_CTL_BAD or drops, and which answers a
 * joiner or loginjailctl takes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ctlmsg.h"

static const char *const req_verdicts[] = {"OK", "UNKNOWN", "OTHER_VERSION", "MALFORMED"};
static const char *const rep_verdicts[] = {"OK", "OTHER_VERSION", "MALFORMED", "DECLINED",
					   "BAD_FDS"};

static struct lj_ctl_req req_of(uint32_t cmd)
{
	struct lj_ctl_req r = {.version = LJ_PROTO_VERSION, .cmd = cmd};
	for (size_t i = 0; i < sizeof(r.key.account); i++)
		r.key.account[i] = (uint8_t)i;
	r.key.config_ino = 42;
	return r;
}

static struct lj_ctl_rep rep_of(uint32_t status, uint32_t nprocs)
{
	struct lj_ctl_rep r = {.version = LJ_PROTO_VERSION, .status = status, .nprocs = nprocs};
	snprintf(r.user, sizeof(r.user), "alice");
	return r;
}

static void expect_req(const char *what, const void *buf, size_t len, size_t nfds,
		       enum lj_ctl_req_verdict want)
{
	struct lj_ctl_req out;
	enum lj_ctl_req_verdict v = lj_ctl_req_check(buf, len, nfds, &out);
	if (v != want)
		fail_msg("request %s (%zu bytes, %zu fds): %s, want %s", what, len, nfds,
			 req_verdicts[v], req_verdicts[want]);
}

static void expect_rep(const char *what, const void *buf, size_t len, uint32_t cmd, size_t nfds,
		       enum lj_ctl_rep_verdict want)
{
	struct lj_ctl_rep out;
	enum lj_ctl_rep_verdict v = lj_ctl_rep_check(buf, len, cmd, nfds, &out);
	if (v != want)
		fail_msg("answer %s to command %u (%zu bytes, %zu fds): %s, want %s", what, cmd,
			 len, nfds, rep_verdicts[v], rep_verdicts[want]);
}

static void request_of_each_command_is_served(void **state)
{
	struct lj_ctl_req in = req_of(LJ_CTL_JOIN), out;
	in.flags = LJ_CTL_REQ_F_POLICY;
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(lj_ctl_req_check(&in, sizeof(in), 1, &out), LJ_CTL_REQ_OK);
	assert_memory_equal(&out, &in, sizeof(in));

	in = req_of(LJ_CTL_STATUS);
	expect_req("status", &in, sizeof(in), 0, LJ_CTL_REQ_OK);
	in = req_of(LJ_CTL_STOP);
	expect_req("stop", &in, sizeof(in), 0, LJ_CTL_REQ_OK);
	in = req_of(LJ_CTL_INFO);
	expect_req("info", &in, sizeof(in), 0, LJ_CTL_REQ_OK);
	in = req_of(LJ_CTL_RELOAD);
	expect_req("reload", &in, sizeof(in), 0, LJ_CTL_REQ_OK);
}

static void request_with_wrong_descriptors_is_dropped(void **state)
{
	struct lj_ctl_req in = req_of(LJ_CTL_JOIN);
	expect_req("join without the caller's pidfd", &in, sizeof(in), 0, LJ_CTL_REQ_MALFORMED);
	expect_req("join with two descriptors", &in, sizeof(in), 2, LJ_CTL_REQ_MALFORMED);
	in = req_of(LJ_CTL_STATUS);
	expect_req("status with a descriptor", &in, sizeof(in), 1, LJ_CTL_REQ_MALFORMED);
	in = req_of(LJ_CTL_STOP);
	expect_req("stop with a descriptor", &in, sizeof(in), 1, LJ_CTL_REQ_MALFORMED);
	in = req_of(LJ_CTL_INFO);
	expect_req("info with a descriptor", &in, sizeof(in), 1, LJ_CTL_REQ_MALFORMED);
	in = req_of(LJ_CTL_RELOAD);
	expect_req("reload with a descriptor", &in, sizeof(in), 1, LJ_CTL_REQ_MALFORMED);
	in = req_of(77);
	expect_req("unknown command with a descriptor", &in, sizeof(in), 1, LJ_CTL_REQ_MALFORMED);
}

static void request_cut_or_longer_is_dropped(void **state)
{
	struct lj_ctl_req in = req_of(LJ_CTL_JOIN);
	unsigned char longer[sizeof(in) + 8] = {0};
	memcpy(longer, &in, sizeof(in));
	expect_req("empty", "", 0, 0, LJ_CTL_REQ_MALFORMED);
	expect_req("of 3 bytes", &in, 3, 0, LJ_CTL_REQ_MALFORMED);
	expect_req("of its version only", &in, sizeof(in.version), 0, LJ_CTL_REQ_MALFORMED);
	expect_req("one byte short", &in, sizeof(in) - 1, 1, LJ_CTL_REQ_MALFORMED);
	expect_req("8 bytes longer", longer, sizeof(longer), 1, LJ_CTL_REQ_MALFORMED);
}

/* Another version of loginjail learns which version serves (LJ_CTL_BAD). */
static void request_of_another_version_is_told(void **state)
{
	struct lj_ctl_req in = req_of(LJ_CTL_JOIN), out;
	uint32_t versions[] = {0, 4, LJ_PROTO_VERSION + 1, UINT32_MAX};
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		in.version = versions[i];
		expect_req("of another version", &in, sizeof(in), 1, LJ_CTL_REQ_OTHER_VERSION);
		expect_req("of another version, shorter", &in, 24, 0, LJ_CTL_REQ_OTHER_VERSION);
		expect_req("of another version, its version only", &in, sizeof(in.version), 0,
			   LJ_CTL_REQ_OTHER_VERSION);
	}
	/* What there is of it is copied, the rest is zero. */
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(lj_ctl_req_check(&in, 8, 0, &out), LJ_CTL_REQ_OTHER_VERSION);
	assert_int_equal(out.version, UINT32_MAX);
	assert_int_equal(out.cmd, LJ_CTL_JOIN);
	assert_int_equal(out.key.config_ino, 0);
}

static void request_of_unknown_command_is_answered_bad(void **state)
{
	uint32_t cmds[] = {0, 6, 0x101, UINT32_MAX};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct lj_ctl_req in = req_of(cmds[i]);
		expect_req("of an unknown command", &in, sizeof(in), 0, LJ_CTL_REQ_UNKNOWN);
	}
}

static void join_answer_with_its_descriptors_is_taken(void **state)
{
	for (uint32_t nprocs = 0; nprocs <= LJ_PROCS_MAX; nprocs++) {
		struct lj_ctl_rep in = rep_of(LJ_CTL_OK, nprocs), out;
		in.flags = LJ_CTL_F_KEEPS_SLICE | LJ_CTL_F_HOST_NET;
		in.sessions = 3;
		assert_int_equal(
			lj_ctl_rep_check(&in, sizeof(in), LJ_CTL_JOIN, LJ_NS_COUNT + nprocs, &out),
			LJ_CTL_REP_OK);
		assert_memory_equal(&out, &in, sizeof(in));
	}
	struct lj_ctl_rep in = rep_of(LJ_CTL_OK, 0);
	in.sessions = 2;
	expect_rep("of a status", &in, sizeof(in), LJ_CTL_STATUS, 0, LJ_CTL_REP_OK);
	expect_rep("of a stop", &in, sizeof(in), LJ_CTL_STOP, 0, LJ_CTL_REP_OK);
	expect_rep("of a reload", &in, sizeof(in), LJ_CTL_RELOAD, 0, LJ_CTL_REP_OK);
	/* info: the jail's mountinfo comes with it. */
	expect_rep("of an info, with its mountinfo", &in, sizeof(in), LJ_CTL_INFO, 1,
		   LJ_CTL_REP_OK);
}

static void join_answer_with_other_descriptors_is_refused(void **state)
{
	struct lj_ctl_rep in = rep_of(LJ_CTL_OK, 1);
	expect_rep("one cgroup.procs short", &in, sizeof(in), LJ_CTL_JOIN, LJ_NS_COUNT,
		   LJ_CTL_REP_BAD_FDS);
	expect_rep("one descriptor more", &in, sizeof(in), LJ_CTL_JOIN, LJ_NS_COUNT + 2,
		   LJ_CTL_REP_BAD_FDS);
	expect_rep("no descriptor", &in, sizeof(in), LJ_CTL_JOIN, 0, LJ_CTL_REP_BAD_FDS);
	in = rep_of(LJ_CTL_OK, LJ_PROCS_MAX + 1);
	expect_rep("more procs than a join takes", &in, sizeof(in), LJ_CTL_JOIN,
		   LJ_NS_COUNT + LJ_PROCS_MAX + 1, LJ_CTL_REP_BAD_FDS);
	/* 7 + 0xffffffff is 6 in 32 bits. */
	in = rep_of(LJ_CTL_OK, UINT32_MAX);
	expect_rep("nprocs that wraps", &in, sizeof(in), LJ_CTL_JOIN, LJ_NS_COUNT - 1,
		   LJ_CTL_REP_BAD_FDS);
	in = rep_of(LJ_CTL_OK, 0);
	expect_rep("of a status, with a descriptor", &in, sizeof(in), LJ_CTL_STATUS, 1,
		   LJ_CTL_REP_BAD_FDS);
	expect_rep("of an info, without its mountinfo", &in, sizeof(in), LJ_CTL_INFO, 0,
		   LJ_CTL_REP_BAD_FDS);
	expect_rep("of an info, with two descriptors", &in, sizeof(in), LJ_CTL_INFO, 2,
		   LJ_CTL_REP_BAD_FDS);
}

static void refusal_says_why(void **state)
{
	uint32_t statuses[] = {
		LJ_CTL_FULL,	       LJ_CTL_OTHER_POLICY, LJ_CTL_BAD, LJ_CTL_OTHER_ACCOUNT,
		LJ_CTL_POLICY_CHANGED, LJ_CTL_CHECK_POLICY, 99};
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		struct lj_ctl_rep in = rep_of(statuses[i], 0), out;
		assert_int_equal(lj_ctl_rep_check(&in, sizeof(in), LJ_CTL_JOIN, 0, &out),
				 LJ_CTL_REP_DECLINED);
		assert_int_equal(out.status, statuses[i]);
		expect_rep("refusing a status", &in, sizeof(in), LJ_CTL_STATUS, 0,
			   LJ_CTL_REP_DECLINED);
	}
}

/* The reasons print the user the sandbox was built for. */
static void user_is_terminated(void **state)
{
	struct lj_ctl_rep in = rep_of(LJ_CTL_OTHER_ACCOUNT, 0), out;
	memset(in.user, 'a', sizeof(in.user));
	assert_int_equal(lj_ctl_rep_check(&in, sizeof(in), LJ_CTL_JOIN, 0, &out),
			 LJ_CTL_REP_DECLINED);
	assert_int_equal(strnlen(out.user, sizeof(out.user)), sizeof(out.user) - 1);
	in.status = LJ_CTL_OK;
	assert_int_equal(lj_ctl_rep_check(&in, sizeof(in), LJ_CTL_JOIN, LJ_NS_COUNT, &out),
			 LJ_CTL_REP_OK);
	assert_int_equal(strnlen(out.user, sizeof(out.user)), sizeof(out.user) - 1);
}

static void answer_cut_or_longer_is_no_answer(void **state)
{
	struct lj_ctl_rep in = rep_of(LJ_CTL_OK, 0);
	unsigned char longer[sizeof(in) + 8] = {0};
	memcpy(longer, &in, sizeof(in));
	expect_rep("empty", "", 0, LJ_CTL_STATUS, 0, LJ_CTL_REP_MALFORMED);
	expect_rep("of 3 bytes", &in, 3, LJ_CTL_STATUS, 0, LJ_CTL_REP_MALFORMED);
	expect_rep("of its version only", &in, sizeof(in.version), LJ_CTL_STATUS, 0,
		   LJ_CTL_REP_MALFORMED);
	expect_rep("one byte short", &in, sizeof(in) - 1, LJ_CTL_JOIN, LJ_NS_COUNT,
		   LJ_CTL_REP_MALFORMED);
	expect_rep("8 bytes longer", longer, sizeof(longer), LJ_CTL_JOIN, LJ_NS_COUNT,
		   LJ_CTL_REP_MALFORMED);
}

static void answer_of_another_version_names_it(void **state)
{
	struct lj_ctl_rep in = rep_of(LJ_CTL_OK, 0), out;
	in.version = 4;
	assert_int_equal(lj_ctl_rep_check(&in, sizeof(in), LJ_CTL_JOIN, LJ_NS_COUNT, &out),
			 LJ_CTL_REP_OTHER_VERSION);
	assert_int_equal(out.version, 4);
	in.version = LJ_PROTO_VERSION + 1;
	assert_int_equal(lj_ctl_rep_check(&in, sizeof(in.version), LJ_CTL_STATUS, 0, &out),
			 LJ_CTL_REP_OTHER_VERSION);
	assert_int_equal(out.version, LJ_PROTO_VERSION + 1);
	assert_int_equal(out.status, 0);
	expect_rep("of another version, shorter", &in, 12, LJ_CTL_JOIN, 0,
		   LJ_CTL_REP_OTHER_VERSION);
}

/* A joiner's description of its session goes into logs and utmp: whatever
 * bytes a peer sent, the init gets NUL-terminated printable strings. */
static void session_strings_are_cleaned(void **state)
{
	struct lj_ctl_req in = req_of(LJ_CTL_JOIN), out;
	memset(in.session.service, 'A', sizeof(in.session.service));
	memcpy(in.session.tty, "pts/1\n\033[2J\xff", 12);
	memset(in.session.rhost, 0, sizeof(in.session.rhost));
	in.session.pid = 4242;
	assert_int_equal(lj_ctl_req_check(&in, sizeof(in), 1, &out), LJ_CTL_REQ_OK);
	assert_int_equal(strlen(out.session.service), sizeof(out.session.service) - 1);
	assert_string_equal(out.session.tty, "pts/1??[2J?");
	assert_string_equal(out.session.rhost, "");
	assert_int_equal(out.session.pid, 4242);

	struct lj_ctl_session s;
	char longhost[300];
	memset(longhost, 'h', sizeof(longhost) - 1);
	longhost[sizeof(longhost) - 1] = '\0';
	lj_ctl_session_set(&s, "sshd", NULL, longhost, 7);
	assert_string_equal(s.service, "sshd");
	assert_string_equal(s.tty, "");
	assert_int_equal(strlen(s.rhost), sizeof(s.rhost) - 1);
	assert_int_equal(s.pid, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_of_each_command_is_served),
		cmocka_unit_test(request_with_wrong_descriptors_is_dropped),
		cmocka_unit_test(request_cut_or_longer_is_dropped),
		cmocka_unit_test(request_of_another_version_is_told),
		cmocka_unit_test(request_of_unknown_command_is_answered_bad),
		cmocka_unit_test(session_strings_are_cleaned),
		cmocka_unit_test(join_answer_with_its_descriptors_is_taken),
		cmocka_unit_test(join_answer_with_other_descriptors_is_refused),
		cmocka_unit_test(refusal_says_why),
		cmocka_unit_test(user_is_terminated),
		cmocka_unit_test(answer_cut_or_longer_is_no_answer),
		cmocka_unit_test(answer_of_another_version_names_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
