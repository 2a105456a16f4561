/* Audit records (common/audit.c) as the log receives them: one datagram
 * each, a syslog line with the documented key=value pairs and quoting, or
 * journal fields a line each with the event's MESSAGE_ID; no newline or
 * other control byte from a value gets through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit.h"

static struct lj_log log_to;
static int peer = -1;

static int setup(void **state)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0);
	lj_log_adopt(&log_to, sv[0]);
	peer = sv[1];
	return 0;
}

static int teardown(void **state)
{
	lj_log_close(&log_to);
	close(peer);
	return 0;
}

/* The next record, NUL-terminated; fails if there is none or a second. */
static const char *record(void)
{
	static char buf[4096];
	ssize_t n = recv(peer, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	buf[n] = '\0';
	char extra;
	assert_true(recv(peer, &extra, 1, MSG_DONTWAIT) < 0);
	return buf;
}

static const struct lj_audit join = {.event = LJ_AUDIT_JOIN,
				     .user = "alice",
				     .uid = 1001,
				     .service = "sshd",
				     .tty = "pts/3",
				     .rhost = "192.0.2.7",
				     .session = 4242,
				     .sandbox = "user-1001",
				     .reason = ""};

static void adopt_tells_syslog_from_journal(void **state)
{
	/* A socketpair's peer has no address: not the journal's. */
	assert_false(log_to.journal);
}

static void syslog_line(void **state)
{
	lj_audit(&log_to, &join);
	const char *r = record();
	assert_true(strncmp(r, "<86>", 4) == 0); /* authpriv.info */
	const char *rest = strstr(r, " loginjail: ");
	assert_non_null(rest);
	assert_string_equal(rest, " loginjail: event=join user=alice uid=1001 service=sshd "
				  "tty=pts/3 rhost=192.0.2.7 session=4242 sandbox=user-1001 "
				  "reason=\"\"");
	assert_null(strchr(r, '\n'));
}

static void syslog_quoting(void **state)
{
	struct lj_audit a = {.event = LJ_AUDIT_REFUSE,
			     .user = "bob",
			     .uid = -1,
			     .service = "su-l",
			     .tty = NULL,
			     .rhost = "a b",
			     .reason = "say \"no\"\\\nnow\x01"};
	lj_audit(&log_to, &a);
	const char *rest = strstr(record(), " loginjail: ");
	assert_non_null(rest);
	assert_string_equal(rest,
			    " loginjail: event=refuse user=bob uid=\"\" service=su-l tty=\"\" "
			    "rhost=\"a b\" session=\"\" sandbox=\"\" "
			    "reason=\"say \\\"no\\\"\\\\?now?\"");
}

static void syslog_limit(void **state)
{
	struct lj_audit a = {.event = LJ_AUDIT_LIMIT,
			     .user = "alice",
			     .uid = 1001,
			     .sandbox = "user-1001",
			     .limit = "memory",
			     .count = 3,
			     .reason = "oom"};
	lj_audit(&log_to, &a);
	const char *r = record();
	assert_true(strncmp(r, "<84>", 4) == 0); /* authpriv.warning */
	assert_non_null(strstr(r, " sandbox=user-1001 limit=memory count=3 reason=oom"));
}

static void journal_fields(void **state)
{
	log_to.journal = true;
	struct lj_audit a = join;
	a.rhost = "evil\nMESSAGE_ID=0";
	lj_audit(&log_to, &a);
	log_to.journal = false;
	const char *r = record();
	assert_string_equal(r, "PRIORITY=6\n"
			       "SYSLOG_FACILITY=10\n"
			       "SYSLOG_IDENTIFIER=loginjail\n"
			       "MESSAGE_ID=8f7158b605474472819e8b385466f14e\n"
			       "MESSAGE=session 4242 of alice (sshd, tty pts/3, from "
			       "evil?MESSAGE_ID=0) joined sandbox user-1001\n"
			       "LOGINJAIL_EVENT=join\n"
			       "LOGINJAIL_USER=alice\n"
			       "LOGINJAIL_UID=1001\n"
			       "LOGINJAIL_SERVICE=sshd\n"
			       "LOGINJAIL_TTY=pts/3\n"
			       "LOGINJAIL_RHOST=evil?MESSAGE_ID=0\n"
			       "LOGINJAIL_SESSION=4242\n"
			       "LOGINJAIL_SANDBOX=user-1001\n"
			       "LOGINJAIL_REASON=\n");
}

static void message_ids_differ(void **state)
{
	for (int i = 0; i < LJ_AUDIT_COUNT; i++) {
		assert_int_equal(strlen(lj_audit_message_id(i)), 32);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(lj_audit_message_id(i), lj_audit_message_id(j));
	}
}

static void plain_text(void **state)
{
	lj_log_text(&log_to, LOG_ERR, "loginjail-init", "sandbox x: teardown: oops\n");
	const char *r = record();
	assert_true(strncmp(r, "<83>", 4) == 0);
	const char *rest = strstr(r, " loginjail-init: ");
	assert_non_null(rest);
	assert_string_equal(rest, " loginjail-init: sandbox x: teardown: oops?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(adopt_tells_syslog_from_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(syslog_line, setup, teardown),
		cmocka_unit_test_setup_teardown(syslog_quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(syslog_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(journal_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(message_ids_differ, setup, teardown),
		cmocka_unit_test_setup_teardown(plain_text, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
