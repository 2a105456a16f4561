/* Resolving a user's policy: precedence, how groups combine, provenance,
 * hostname expansion, and formatting values as a policy file writes them. */
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "policy.h"

#define MIB (1024ULL * 1024ULL)

struct fixture {
	char dir[64];
	char file[2][512];
	struct lj_diag diag;
	struct lj_config *cfg;
	struct lj_policy pol;
	bool have_pol;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (lj_test_mkdtemp(f->dir, sizeof(f->dir), "resolve") < 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->have_pol)
		lj_policy_free(&f->pol);
	lj_config_free(f->cfg);
	lj_test_rmtree(f->dir);
	free(f);
	return 0;
}

static void dump_diag(const struct lj_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_message("  diag[%zu]: %s\n", i, d->msg[i]);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, 0644), 0);
	close(fd);
}

/* Loads TEXT as one policy file. */
static void config(struct fixture *f, const char *text)
{
	char tmp[sizeof(f->file[0])];

	snprintf(tmp, sizeof(tmp), "%s/policy.conf", f->dir);
	memcpy(f->file[0], tmp, sizeof(tmp));
	write_file(f->file[0], text);
	lj_config_free(f->cfg);
	f->cfg = NULL;
	memset(&f->diag, 0, sizeof(f->diag));
	if (lj_config_load_file(f->file[0], &f->cfg, &f->diag) != 0) {
		dump_diag(&f->diag);
		fail_msg("the test configuration was refused");
	}
}

/* Resolves USER in the comma-separated GROUPS ("" for none). */
static int resolve(struct fixture *f, const char *user, const char *groups)
{
	char buf[1024], *save = NULL;
	const char *v[64];
	size_t n = 0;

	if (f->have_pol)
		lj_policy_free(&f->pol);
	f->have_pol = false;
	snprintf(buf, sizeof(buf), "%s", groups);
	for (char *g = strtok_r(buf, ",", &save); g && n < 64; g = strtok_r(NULL, ",", &save))
		v[n++] = g;
	memset(&f->diag, 0, sizeof(f->diag));
	if (lj_policy_resolve(f->cfg, user, v, n, &f->pol, &f->diag) != 0)
		return -1;
	f->have_pol = true;
	return 0;
}

static void resolve_ok(struct fixture *f, const char *user, const char *groups)
{
	if (resolve(f, user, groups) != 0) {
		dump_diag(&f->diag);
		fail_msg("resolving %s in groups '%s' failed", user, groups);
	}
}

static const char *fmt(struct fixture *f, enum lj_key k)
{
	static char buf[2048];

	return lj_policy_format(&f->pol, k, buf, sizeof(buf));
}

/* The value of K came from SECTION at LINE of the test file. */
static void expect_origin(struct fixture *f, enum lj_key k, const char *section, unsigned line)
{
	const struct lj_origin *o = &f->pol.origin[k];

	if (!section) {
		if (o->file)
			fail_msg("%s: expected the built-in default, got %s:%u [%s]",
				 lj_key_name(k), o->file, o->line, o->section);
		return;
	}
	if (!o->file)
		fail_msg("%s: expected [%s] line %u, got the built-in default", lj_key_name(k),
			 section, line);
	if (strcmp(o->section, section) != 0 || o->line != line || strcmp(o->file, f->file[0]))
		fail_msg("%s: expected %s:%u [%s], got %s:%u [%s]", lj_key_name(k), f->file[0],
			 line, section, o->file, o->line, o->section);
}

static void builtin_defaults(void **state)
{
	struct fixture *f = *state;

	config(f, "[default]\n");
	resolve_ok(f, "alice", "");
	assert_false(f->pol.sandbox);
	assert_int_equal(f->pol.network, LJ_NET_LOOPBACK);
	assert_string_equal(f->pol.hostname, "loginjail");
	assert_true(f->pol.memory_max == LJ_UNLIMITED);
	assert_true(f->pol.memory_swap_max == LJ_UNLIMITED);
	assert_true(f->pol.pids_max == LJ_UNLIMITED);
	assert_true(f->pol.cpu_max == LJ_UNLIMITED);
	assert_int_equal(f->pol.io_weight, 0);
	assert_int_equal(f->pol.ro_bind.n, 0);
	assert_int_equal(f->pol.bind.n, 0);
	assert_int_equal(f->pol.tmp, LJ_TMP_PRIVATE);
	assert_true(f->pol.tmp_size == LJ_UNLIMITED);
	assert_int_equal(f->pol.ptys, LJ_PTYS_DEFAULT);
	assert_int_equal(f->pol.home, LJ_HOME_BIND);
	assert_int_equal(f->pol.share, LJ_SHARE_USER);
	assert_int_equal(f->pol.linger, 0);
	assert_int_equal(f->pol.on_error, LJ_ON_ERROR_DENY);
	assert_int_equal(f->pol.user_manager, LJ_USER_MANAGER_NO);
	assert_string_equal(f->pol.shell, "");
	assert_string_equal(fmt(f, LJ_KEY_SHELL), "default");
	assert_true(f->pol.syslog);
	assert_string_equal(fmt(f, LJ_KEY_SYSLOG), "yes");
	for (int k = 0; k < LJ_KEY__COUNT; k++) {
		expect_origin(f, (enum lj_key)k, NULL, 0);
		assert_int_equal(f->pol.origin[k].ngroups, 0);
	}
}

/* shell: an absolute path, the last section's; it is not part of what
 * shapes a sandbox (the digest), so changing it never forces a new one. */
static void shell_is_an_absolute_path_outside_the_digest(void **state)
{
	struct fixture *f = *state;
	uint8_t before[32], after[32];

	config(f, "[default]\nsandbox = yes\n");
	resolve_ok(f, "alice", "");
	lj_policy_digest(&f->pol, before);
	config(f, "[default]\nsandbox = yes\nshell = /bin/bash\n[user:alice]\nshell = "
		  "/usr/bin/zsh\n");
	resolve_ok(f, "alice", "");
	assert_string_equal(f->pol.shell, "/usr/bin/zsh");
	expect_origin(f, LJ_KEY_SHELL, "user:alice", 5);
	lj_policy_digest(&f->pol, after);
	assert_memory_equal(before, after, sizeof(before));
	resolve_ok(f, "bob", "");
	assert_string_equal(fmt(f, LJ_KEY_SHELL), "/bin/bash");

	static const char *const bad[] = {"bash", "%h/bin/sh", "/bin/ba sh", "", "/proc/1/exe"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[128];
		struct lj_config *cfg = NULL;
		snprintf(text, sizeof(text), "[default]\nshell = %s\n", bad[i]);
		write_file(f->file[0], text);
		memset(&f->diag, 0, sizeof(f->diag));
		if (lj_config_load_file(f->file[0], &cfg, &f->diag) == 0)
			fail_msg("shell = %s was accepted", bad[i]);
		lj_config_free(cfg);
	}
}

/* syslog: yes or no, the last section's, and part of the digest when no: it
 * decides whether the jail has a /dev/log. */
static void syslog_is_the_last_sections_and_shapes_the_sandbox(void **state)
{
	struct fixture *f = *state;
	uint8_t with[32], without[32];

	config(f, "[default]\nsandbox = yes\n");
	resolve_ok(f, "alice", "");
	lj_policy_digest(&f->pol, with);
	config(f, "[default]\nsandbox = yes\nsyslog = no\n[user:alice]\nsyslog = yes\n");
	resolve_ok(f, "bob", "");
	assert_false(f->pol.syslog);
	assert_string_equal(fmt(f, LJ_KEY_SYSLOG), "no");
	expect_origin(f, LJ_KEY_SYSLOG, "default", 3);
	lj_policy_digest(&f->pol, without);
	assert_memory_not_equal(with, without, sizeof(with));
	resolve_ok(f, "alice", "");
	assert_true(f->pol.syslog);
	expect_origin(f, LJ_KEY_SYSLOG, "user:alice", 5);
}

static void default_then_group_then_user(void **state)
{
	struct fixture *f = *state;

	config(f, "[user:alice]\n"    /* 1 */
		  "memory_max = 4G\n" /* 2: larger, still wins: the user section decides */
		  "[group:lab]\n"     /* 3 */
		  "memory_max = 1G\n" /* 4 */
		  "network = none\n"  /* 5 */
		  "[default]\n"	      /* 6: read last, still the lowest precedence */
		  "memory_max = 2G\n" /* 7 */
		  "network = host\n"  /* 8 */
		  "sandbox = yes\n"); /* 9 */
	resolve_ok(f, "alice", "lab");
	assert_true(f->pol.memory_max == 4096 * MIB);
	expect_origin(f, LJ_KEY_MEMORY_MAX, "user:alice", 2);
	assert_int_equal(f->pol.origin[LJ_KEY_MEMORY_MAX].ngroups, 1);
	assert_int_equal(f->pol.network, LJ_NET_NONE);
	expect_origin(f, LJ_KEY_NETWORK, "group:lab", 5);
	assert_true(f->pol.sandbox);
	expect_origin(f, LJ_KEY_SANDBOX, "default", 9);
	expect_origin(f, LJ_KEY_PIDS_MAX, NULL, 0);

	resolve_ok(f, "bob", "lab");
	assert_true(f->pol.memory_max == 1024 * MIB);
	expect_origin(f, LJ_KEY_MEMORY_MAX, "group:lab", 4);

	resolve_ok(f, "carol", "other,users");
	assert_true(f->pol.memory_max == 2048 * MIB);
	expect_origin(f, LJ_KEY_MEMORY_MAX, "default", 7);
	assert_int_equal(f->pol.network, LJ_NET_HOST);
	assert_int_equal(f->pol.origin[LJ_KEY_MEMORY_MAX].ngroups, 0);
}

static const char two_groups[] = "[group:big]\n"	  /* 1 */
				 "memory_max = 2G\n"	  /* 2 */
				 "memory_swap_max = 0\n"  /* 3 */
				 "pids_max = 100\n"	  /* 4 */
				 "cpu_max = 300%\n"	  /* 5 */
				 "io_weight = 50\n"	  /* 6 */
				 "sandbox = no\n"	  /* 7 */
				 "network = none\n"	  /* 8 */
				 "on_error = deny\n"	  /* 9 */
				 "ro_bind = /srv/big\n"	  /* 10 */
				 "linger = 60\n"	  /* 11 */
				 "tmp_size = 64M\n"	  /* 12 */
				 "ptys = 300\n"		  /* 13 */
				 "[group:small]\n"	  /* 14 */
				 "memory_max = 512M\n"	  /* 15 */
				 "memory_swap_max = 1G\n" /* 16 */
				 "pids_max = 200\n"	  /* 17 */
				 "cpu_max = 100%\n"	  /* 18 */
				 "io_weight = 500\n"	  /* 19 */
				 "sandbox = yes\n"	  /* 20 */
				 "network = host\n"	  /* 21 */
				 "on_error = allow\n"	  /* 22 */
				 "ro_bind = /srv/small\n" /* 23 */
				 "linger = forever\n"	  /* 24 */
				 "tmp_size = 1G\n"	  /* 25 */
				 "ptys = 16\n";		  /* 26 */

static void conflicting_groups_combine_by_rule(void **state)
{
	struct fixture *f = *state;

	config(f, two_groups);
	resolve_ok(f, "alice", "big,small");
	/* smallest */
	assert_true(f->pol.memory_max == 512 * MIB);
	expect_origin(f, LJ_KEY_MEMORY_MAX, "group:small", 15);
	assert_true(f->pol.memory_swap_max == 0);
	expect_origin(f, LJ_KEY_MEMORY_SWAP_MAX, "group:big", 3);
	assert_true(f->pol.pids_max == 100);
	expect_origin(f, LJ_KEY_PIDS_MAX, "group:big", 4);
	assert_true(f->pol.cpu_max == 100);
	expect_origin(f, LJ_KEY_CPU_MAX, "group:small", 18);
	assert_int_equal(f->pol.io_weight, 50);
	expect_origin(f, LJ_KEY_IO_WEIGHT, "group:big", 6);
	assert_true(f->pol.tmp_size == 64 * MIB);
	expect_origin(f, LJ_KEY_TMP_SIZE, "group:big", 12);
	assert_int_equal(f->pol.ptys, 16);
	expect_origin(f, LJ_KEY_PTYS, "group:small", 26);
	/* yes wins, deny wins */
	assert_true(f->pol.sandbox);
	expect_origin(f, LJ_KEY_SANDBOX, "group:small", 20);
	assert_int_equal(f->pol.on_error, LJ_ON_ERROR_DENY);
	expect_origin(f, LJ_KEY_ON_ERROR, "group:big", 9);
	/* the section read last */
	assert_int_equal(f->pol.network, LJ_NET_HOST);
	expect_origin(f, LJ_KEY_NETWORK, "group:small", 21);
	assert_int_equal(f->pol.ro_bind.n, 1);
	assert_string_equal(f->pol.ro_bind.v[0], "/srv/small");
	assert_int_equal(f->pol.linger, LJ_LINGER_FOREVER);
	for (int k = 0; k < LJ_KEY__COUNT; k++) {
		if (k == LJ_KEY_HOSTNAME || k == LJ_KEY_BIND || k == LJ_KEY_TMP ||
		    k == LJ_KEY_HOME || k == LJ_KEY_SHARE || k == LJ_KEY_USER_MANAGER ||
		    k == LJ_KEY_SHELL || k == LJ_KEY_SYSLOG || k == LJ_KEY_DEVICES)
			assert_int_equal(f->pol.origin[k].ngroups, 0);
		else
			assert_int_equal(f->pol.origin[k].ngroups, 2);
	}
}

/* Unset, tmp_size is half of the memory_max that applies, so that a full
 * /tmp is ENOSPC before it is an OOM kill; set, it is what it says. */
static void tmp_size_defaults_to_half_of_memory_max(void **state)
{
	struct fixture *f = *state;

	config(f, "[default]\nmemory_max = 256M\n[user:bob]\ntmp_size = 1G\n"
		  "[group:lab]\nmemory_max = 100M\n");
	resolve_ok(f, "alice", "");
	assert_true(f->pol.tmp_size == 128 * MIB);
	expect_origin(f, LJ_KEY_TMP_SIZE, NULL, 0);
	assert_string_equal(fmt(f, LJ_KEY_TMP_SIZE), "128M");
	resolve_ok(f, "carol", "lab");
	assert_true(f->pol.tmp_size == 50 * MIB);
	resolve_ok(f, "bob", "");
	assert_true(f->pol.tmp_size == 1024 * MIB);
	expect_origin(f, LJ_KEY_TMP_SIZE, "user:bob", 4);
	assert_string_equal(fmt(f, LJ_KEY_TMP_SIZE), "1G");
}

static void group_list_order_does_not_matter(void **state)
{
	struct fixture *f = *state;

	config(f, two_groups);
	resolve_ok(f, "alice", "small,big,small");
	assert_true(f->pol.memory_max == 512 * MIB);
	assert_true(f->pol.sandbox);
	assert_int_equal(f->pol.network, LJ_NET_HOST);
	expect_origin(f, LJ_KEY_NETWORK, "group:small", 21);
	assert_int_equal(f->pol.origin[LJ_KEY_NETWORK].ngroups, 2);
}

static void yes_and_deny_win_whatever_the_order(void **state)
{
	struct fixture *f = *state;

	config(f, "[group:a]\nsandbox = yes\non_error = deny\n"
		  "[group:b]\nsandbox = no\non_error = allow\n");
	resolve_ok(f, "u", "a,b");
	assert_true(f->pol.sandbox);
	expect_origin(f, LJ_KEY_SANDBOX, "group:a", 2);
	assert_int_equal(f->pol.on_error, LJ_ON_ERROR_DENY);
	expect_origin(f, LJ_KEY_ON_ERROR, "group:a", 3);

	config(f, "[group:a]\nsandbox = no\non_error = allow\n"
		  "[group:b]\nsandbox = no\non_error = allow\n");
	resolve_ok(f, "u", "a,b");
	assert_false(f->pol.sandbox);
	assert_int_equal(f->pol.on_error, LJ_ON_ERROR_ALLOW);
	expect_origin(f, LJ_KEY_SANDBOX, "group:a", 2); /* ties keep the first */
}

static void only_the_users_sections_apply(void **state)
{
	struct fixture *f = *state;

	config(f, "[group:lab]\nsandbox = yes\n"
		  "[user:Alice]\nmemory_max = 1G\n"
		  "[user:alice2]\nmemory_max = 2G\n"
		  "[group:Lab2]\npids_max = 5\n");
	resolve_ok(f, "alice", "staff,lab2,LAB");
	assert_false(f->pol.sandbox);			/* group names match exactly */
	assert_true(f->pol.memory_max == LJ_UNLIMITED); /* user names too */
	assert_true(f->pol.pids_max == LJ_UNLIMITED);
	resolve_ok(f, "Alice", "lab,Lab2");
	assert_true(f->pol.sandbox);
	assert_true(f->pol.memory_max == 1024 * MIB);
	assert_true(f->pol.pids_max == 5);
}

static void user_section_can_clear_a_list(void **state)
{
	struct fixture *f = *state;

	config(f, "[group:lab]\nro_bind = /srv/a /srv/b\nbind = /srv/rw\n"
		  "[user:ta]\nro_bind =\n");
	resolve_ok(f, "alice", "lab");
	assert_int_equal(f->pol.ro_bind.n, 2);
	assert_string_equal(fmt(f, LJ_KEY_RO_BIND), "/srv/a /srv/b");
	resolve_ok(f, "ta", "lab");
	assert_int_equal(f->pol.ro_bind.n, 0);
	assert_string_equal(fmt(f, LJ_KEY_RO_BIND), "");
	expect_origin(f, LJ_KEY_RO_BIND, "user:ta", 5);
	assert_int_equal(f->pol.bind.n, 1);
	assert_string_equal(f->pol.bind.v[0], "/srv/rw");
}

/* devices merge as the bind lists do: the section read last wins whole,
 * and an empty value clears the list. */
static void devices_merge_like_binds(void **state)
{
	struct fixture *f = *state;

	config(f, "[default]\ndevices = /dev/fuse\n"		  /* 1-2 */
		  "[group:vm]\ndevices = /dev/kvm /dev/net/tun\n" /* 3-4 */
		  "[group:gpu]\ndevices = /dev/dri/card0\n"	  /* 5-6 */
		  "[user:ta]\ndevices =\n");			  /* 7-8 */
	resolve_ok(f, "alice", "");
	assert_string_equal(fmt(f, LJ_KEY_DEVICES), "/dev/fuse");
	resolve_ok(f, "alice", "vm");
	assert_int_equal(f->pol.devices.n, 2);
	assert_string_equal(fmt(f, LJ_KEY_DEVICES), "/dev/kvm /dev/net/tun");
	expect_origin(f, LJ_KEY_DEVICES, "group:vm", 4);
	resolve_ok(f, "alice", "vm,gpu");
	assert_string_equal(fmt(f, LJ_KEY_DEVICES), "/dev/dri/card0");
	resolve_ok(f, "ta", "vm");
	assert_int_equal(f->pol.devices.n, 0);
	expect_origin(f, LJ_KEY_DEVICES, "user:ta", 8);
}

/* A bad devices value breaks its section: its users are refused. */
static void bad_devices_break_the_section(void **state)
{
	struct fixture *f = *state;

	snprintf(f->file[0], sizeof(f->file[0]), "%s/policy.conf", f->dir);
	write_file(f->file[0], "[user:alice]\nsandbox = yes\ndevices = /dev/net/tun/\n");
	lj_config_free(f->cfg);
	memset(&f->diag, 0, sizeof(f->diag));
	assert_int_equal(lj_config_load_file(f->file[0], &f->cfg, &f->diag), 1);
	if (f->diag.n != 1 || !strstr(f->diag.msg[0], ":3: devices = /dev/net/tun/: "))
		fail_msg("saw: %s", f->diag.n ? f->diag.msg[0] : "no problem");
	assert_int_equal(resolve(f, "alice", ""), -1);
	assert_int_equal(resolve(f, "bob", ""), 0);
}

static void hostname_expands_user(void **state)
{
	struct fixture *f = *state;
	char user[65];

	config(f, "[default]\nhostname = lab-%u\n");
	resolve_ok(f, "alice", "");
	assert_string_equal(f->pol.hostname, "lab-alice");
	resolve_ok(f, "john.doe", "");
	assert_string_equal(f->pol.hostname, "lab-john.doe");

	/* '_' is fine in a user name but not in a host name: made '-' */
	resolve_ok(f, "a_b", "");
	assert_string_equal(f->pol.hostname, "lab-a-b");

	/* cut at 64 bytes, the one label at 63 */
	memset(user, 'u', 64);
	user[64] = '\0';
	resolve_ok(f, user, "");
	assert_int_equal(strlen(f->pol.hostname), 63);
	assert_memory_equal(f->pol.hostname, "lab-uuu", 7);

	/* %% is a literal %, which a host name cannot hold: refused at load */
	write_file(f->file[0], "[default]\nhostname = lab-%u\n\n[group:pct]\nhostname = a%%b\n");
	memset(&f->diag, 0, sizeof(f->diag));
	lj_config_free(f->cfg);
	f->cfg = NULL;
	assert_int_equal(lj_config_load_file(f->file[0], &f->cfg, &f->diag), 1);
	assert_non_null(strstr(f->diag.msg[0], ":5: hostname = a%%b: host names may contain only"));
	/* and an unknown escape */
	write_file(f->file[0], "[default]\nhostname = lab-%h\n");
	memset(&f->diag, 0, sizeof(f->diag));
	lj_config_free(f->cfg);
	assert_int_equal(lj_config_load_file(f->file[0], &f->cfg, &f->diag), 1);
	assert_non_null(strstr(f->diag.msg[0], ":2: hostname = lab-%h: unknown %-escape"));
}

/* Whatever the user name, the expansion is a valid host name. */
static void hostname_expansion_is_always_valid(void **state)
{
	static const char *const tpls[] = {"%u", "lab-%u", "%u-lab", "a.%u.b", "%u.%u", "x%uy"};
	static const char *const users[] = {
		"a_b",
		"_",
		"a+b",
		"x.",
		".x",
		"..",
		"-",
		"--a--",
		"a@b$",
		"\xc3\xa9l\xc3\xa8ve",
		"a b",
		"u.-.v",
		"0123456789012345678901234567890123456789012345678901234567890123456789"};
	char out[LJ_HOSTNAME_MAX + 1];
	const char *why;

	(void)state;
	for (size_t t = 0; t < sizeof(tpls) / sizeof(tpls[0]); t++)
		for (size_t u = 0; u < sizeof(users) / sizeof(users[0]); u++) {
			lj_hostname_expand(tpls[t], users[u], out, sizeof(out));
			if (lj_check_hostname(out, &why) < 0)
				fail_msg("%s with user '%s' gave '%s': %s", tpls[t], users[u], out,
					 why);
		}
	lj_hostname_expand("%u", "_", out, sizeof(out));
	assert_string_equal(out, "loginjail");
	lj_hostname_expand("lab-%u", "a+b", out, sizeof(out));
	assert_string_equal(out, "lab-a-b");
	lj_hostname_expand("%u.lab", "_x_", out, sizeof(out));
	assert_string_equal(out, "x.lab");
	lj_hostname_expand("a.%u.b", "_", out, sizeof(out));
	assert_string_equal(out, "a.b");
	lj_hostname_expand("%%u-%u", "bob", out, sizeof(out));
	assert_string_equal(out, "%u-bob"); /* the template check refuses '%' itself */
}

/* A name that lj_check_name refuses is fine for a user no section
 * sandboxes, matches no [user:NAME] section, and cannot be sandboxed. */
static void bad_user_names_only_matter_in_a_sandbox(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {"../root", "a+b", "-x", "a/b", "cgroup.procs/x"};

	config(f, "[default]\nsandbox = no\n[group:lab]\nsandbox = yes\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		resolve_ok(f, bad[i], "");
		assert_false(f->pol.sandbox);
		assert_int_equal(resolve(f, bad[i], "lab"), -1);
		assert_false(f->have_pol);
		if (!strstr(f->diag.msg[0], "is not valid for a sandbox"))
			fail_msg("%s: unexpected message: %s", bad[i], f->diag.msg[0]);
	}
	resolve_ok(f, "", "");
	assert_false(f->pol.sandbox);
}

static void too_many_groups_fail(void **state)
{
	struct fixture *f = *state;
	static const char *groups[LJ_MAX_GROUPS + 1];

	config(f, "[default]\nsandbox = yes\n");
	for (int i = 0; i <= LJ_MAX_GROUPS; i++)
		groups[i] = "g";
	memset(&f->diag, 0, sizeof(f->diag));
	assert_int_equal(
		lj_policy_resolve(f->cfg, "alice", groups, LJ_MAX_GROUPS + 1, &f->pol, &f->diag),
		-1);
	assert_non_null(strstr(f->diag.msg[0], "1025 groups"));
	lj_policy_free(&f->pol); /* safe after a failure */
	/* odd group names from NSS simply match nothing */
	resolve_ok(f, "alice", "domain users,../x,");
	assert_true(f->pol.sandbox);
}

static void values_format_as_written(void **state)
{
	struct fixture *f = *state;

	config(f, "[default]\n"
		  "sandbox = yes\nnetwork = none\nhostname = h-%u\n"
		  "memory_max = 1536M\nmemory_swap_max = 1025K\npids_max = 256\n"
		  "cpu_max = 250%\nio_weight = 10000\nro_bind = //srv//a/ /opt\nbind = /data\n"
		  "tmp = shared\nhome = tmpfs\nshare = session\nlinger = forever\n"
		  "on_error = allow\n");
	resolve_ok(f, "bob", "");
	assert_string_equal(fmt(f, LJ_KEY_SANDBOX), "yes");
	assert_string_equal(fmt(f, LJ_KEY_NETWORK), "none");
	assert_string_equal(fmt(f, LJ_KEY_HOSTNAME), "h-bob");
	assert_string_equal(fmt(f, LJ_KEY_MEMORY_MAX), "1536M");
	assert_string_equal(fmt(f, LJ_KEY_MEMORY_SWAP_MAX), "1025K");
	assert_string_equal(fmt(f, LJ_KEY_PIDS_MAX), "256");
	assert_string_equal(fmt(f, LJ_KEY_CPU_MAX), "250%");
	assert_string_equal(fmt(f, LJ_KEY_IO_WEIGHT), "10000");
	assert_string_equal(fmt(f, LJ_KEY_RO_BIND), "/srv/a /opt");
	assert_string_equal(fmt(f, LJ_KEY_BIND), "/data");
	assert_string_equal(fmt(f, LJ_KEY_TMP), "shared");
	assert_string_equal(fmt(f, LJ_KEY_HOME), "tmpfs");
	assert_string_equal(fmt(f, LJ_KEY_SHARE), "session");
	assert_string_equal(fmt(f, LJ_KEY_LINGER), "forever");
	assert_string_equal(fmt(f, LJ_KEY_ON_ERROR), "allow");

	config(f, "[default]\nmemory_max = 2048M\nmemory_swap_max = 1048576K\n"
		  "linger = 0\nnetwork = loopback\n");
	resolve_ok(f, "bob", "");
	assert_string_equal(fmt(f, LJ_KEY_MEMORY_MAX), "2G");
	assert_string_equal(fmt(f, LJ_KEY_MEMORY_SWAP_MAX), "1G");
	assert_string_equal(fmt(f, LJ_KEY_PIDS_MAX), "max");
	assert_string_equal(fmt(f, LJ_KEY_CPU_MAX), "max");
	assert_string_equal(fmt(f, LJ_KEY_IO_WEIGHT), "default");
	assert_string_equal(fmt(f, LJ_KEY_LINGER), "0");
	assert_string_equal(fmt(f, LJ_KEY_NETWORK), "loopback");

	config(f, "[default]\nmemory_max = 3T\nmemory_swap_max = 1048577\n");
	resolve_ok(f, "bob", "");
	assert_string_equal(fmt(f, LJ_KEY_MEMORY_MAX), "3T");
	assert_string_equal(fmt(f, LJ_KEY_MEMORY_SWAP_MAX), "1048577");
}

static void format_truncates_safely(void **state)
{
	struct fixture *f = *state;
	char small[6];

	config(f, "[default]\nro_bind = /srv/aaaa /srv/bbbb\n");
	resolve_ok(f, "bob", "");
	assert_string_equal(lj_policy_format(&f->pol, LJ_KEY_RO_BIND, small, sizeof(small)),
			    "/srv/");
	assert_string_equal(lj_policy_format(&f->pol, LJ_KEY_HOSTNAME, small, sizeof(small)),
			    "login");
}

static void files_are_merged_in_order(void **state)
{
	struct fixture *f = *state;
	static const char *const groups[] = {"a", "b"};
	char path[600];

	snprintf(path, sizeof(path), "%s/loginjail.conf", f->dir);
	write_file(path, "[default]\nnetwork = none\nmemory_max = 8G\n");
	snprintf(path, sizeof(path), "%s/policy.d", f->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/policy.d/20-b.conf", f->dir);
	write_file(path, "[group:b]\nnetwork = host\nmemory_max = 2G\n");
	snprintf(path, sizeof(path), "%s/policy.d/10-a.conf", f->dir);
	write_file(path, "[group:a]\nnetwork = loopback\nmemory_max = 1G\n[user:z]\n");
	assert_int_equal(lj_config_load(f->dir, &f->cfg, &f->diag), 0);
	assert_int_equal(lj_config_nfiles(f->cfg), 3);
	assert_int_equal(lj_config_nsections(f->cfg), 4);
	assert_int_equal(lj_policy_resolve(f->cfg, "u", groups, 2, &f->pol, &f->diag), 0);
	f->have_pol = true;
	assert_int_equal(f->pol.network, LJ_NET_HOST);
	assert_non_null(strstr(f->pol.origin[LJ_KEY_NETWORK].file, "/policy.d/20-b.conf"));
	assert_true(f->pol.memory_max == 1024 * MIB);
	assert_non_null(strstr(f->pol.origin[LJ_KEY_MEMORY_MAX].file, "/policy.d/10-a.conf"));
	assert_string_equal(f->pol.origin[LJ_KEY_MEMORY_MAX].section, "group:a");
	assert_int_equal(f->pol.origin[LJ_KEY_MEMORY_MAX].line, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(builtin_defaults),
		T(default_then_group_then_user),
		T(conflicting_groups_combine_by_rule),
		T(tmp_size_defaults_to_half_of_memory_max),
		T(group_list_order_does_not_matter),
		T(yes_and_deny_win_whatever_the_order),
		T(only_the_users_sections_apply),
		T(user_section_can_clear_a_list),
		T(devices_merge_like_binds),
		T(bad_devices_break_the_section),
		T(hostname_expands_user),
		T(hostname_expansion_is_always_valid),
		T(bad_user_names_only_matter_in_a_sandbox),
		T(too_many_groups_fail),
		T(shell_is_an_absolute_path_outside_the_digest),
		T(syslog_is_the_last_sections_and_shapes_the_sandbox),
		T(values_format_as_written),
		T(format_truncates_safely),
		T(files_are_merged_in_order),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
