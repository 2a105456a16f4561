/* Loading policy files: file safety (SECURITY.md rule 8), the strict line
 * grammar, iniparser agreement, policy.d order and filtering. Runs as root:
 * it chowns files to 65534 to prove user-owned policy is refused. */
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
#include <dlfcn.h>
#include <iniparser.h>

#include "policy.h"

/* Interposed on libiniparser, to prove that any disagreement between
 * iniparser and loginjail's own scan refuses the file. Pass-through unless a
 * test sets tamper_*. */
static const char *tamper_key, *tamper_value, *tamper_extra;

const char *iniparser_getstring(const dictionary *d, const char *key, const char *def)
{
	const char *(*real)(const dictionary *, const char *, const char *);

	*(void **)&real = dlsym(RTLD_NEXT, "iniparser_getstring");
	assert_non_null(real);
	if (tamper_key && strcmp(key, tamper_key) == 0)
		return tamper_value;
	return real(d, key, def);
}

dictionary *iniparser_load(const char *path)
{
	dictionary *(*real)(const char *);
	dictionary *d;

	*(void **)&real = dlsym(RTLD_NEXT, "iniparser_load");
	assert_non_null(real);
	d = real(path);
	if (d && tamper_extra)
		iniparser_set(d, tamper_extra, "yes");
	return d;
}

struct fixture {
	char dir[64];
	char path[4][512];
	struct lj_diag diag;
	struct lj_config *cfg;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (lj_test_mkdtemp(f->dir, sizeof(f->dir), "load") < 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	lj_config_free(f->cfg);
	lj_test_rmtree(f->dir);
	free(f);
	return 0;
}

/* Writes LEN bytes of DATA to DIR/REL with MODE (umask ignored). */
static const char *put_n(struct fixture *f, int slot, const char *rel, const char *data, size_t len,
			 mode_t mode)
{
	char *path = f->path[slot];
	char tmp[sizeof(f->path[slot])];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/%s", f->dir, rel);
	memcpy(path, tmp, sizeof(tmp));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_true(write(fd, data, len) == (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static const char *put(struct fixture *f, int slot, const char *rel, const char *text)
{
	return put_n(f, slot, rel, text, strlen(text), 0644);
}

static void mkdir_in(struct fixture *f, const char *rel, mode_t mode)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", f->dir, rel);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static void dump_diag(const struct lj_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_message("  diag[%zu]: %s\n", i, d->msg[i]);
}

/* Fails unless some diagnostic contains the text made from FMT. */
static void __attribute__((format(printf, 2, 3)))
expect_diag(const struct lj_diag *d, const char *fmt, ...)
{
	char want[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < d->n; i++) {
		if (strstr(d->msg[i], want))
			return;
	}
	dump_diag(d);
	fail_msg("no diagnostic contains \"%s\"", want);
}

static int load_file(struct fixture *f, const char *path)
{
	memset(&f->diag, 0, sizeof(f->diag));
	lj_config_free(f->cfg);
	f->cfg = NULL;
	return lj_config_load_file(path, &f->cfg, &f->diag);
}

static int load_dir(struct fixture *f)
{
	memset(&f->diag, 0, sizeof(f->diag));
	lj_config_free(f->cfg);
	f->cfg = NULL;
	return lj_config_load(f->dir, &f->cfg, &f->diag);
}

static void expect_load_fails(struct fixture *f, const char *path)
{
	if (load_file(f, path) == 0)
		fail_msg("%s loaded, but it must be refused", path);
	assert_null(f->cfg);
	assert_true(f->diag.n > 0);
}

/* Loads, but some section of it is broken: it is used for nobody that
 * section may apply to (lj_policy_resolve). */
static void expect_section_broken(struct fixture *f, const char *path)
{
	int r = load_file(f, path);

	if (r != 1) {
		dump_diag(&f->diag);
		fail_msg("%s: load returned %d; expected 1 (a section broken)", path, r);
	}
	assert_non_null(f->cfg);
	assert_true(f->diag.n > 0);
}

static void expect_loads(struct fixture *f, const char *path)
{
	if (load_file(f, path) != 0) {
		dump_diag(&f->diag);
		fail_msg("%s was refused", path);
	}
	assert_non_null(f->cfg);
	assert_int_equal(f->diag.n, 0);
}

static const char full_file[] = "# every key\n"
				"\n"
				"  ; another comment\n"
				"[default]\n"
				"sandbox = no\n"
				"network=none\n"
				"\thostname =  lab-%u  \n"
				"memory_max = 512M\n"
				"memory_swap_max = 0\n"
				"pids_max = 256\n"
				"cpu_max = 250%\n"
				"io_weight = 100\n"
				"ro_bind = /srv/a /srv/b\n"
				"bind =\n"
				"tmp = shared\n"
				"home = tmpfs\n"
				"share = session\n"
				"linger = forever\n"
				"on_error = allow\n"
				"[group:students]\n"
				"sandbox = yes\n"
				"[user:Alice]\n"
				"[user:ws01$]\n"
				"memory_max = max";

static void good_file_with_every_key_loads(void **state)
{
	struct fixture *f = *state;

	expect_loads(f, put(f, 0, "all.conf", full_file));
	assert_int_equal(lj_config_nfiles(f->cfg), 1);
	assert_int_equal(lj_config_nsections(f->cfg), 4);
}

static void symlinked_file_is_refused(void **state)
{
	struct fixture *f = *state;
	char link[600];

	put(f, 0, "real.conf", "[default]\nsandbox = yes\n");
	snprintf(link, sizeof(link), "%s/link.conf", f->dir);
	assert_int_equal(symlink(f->path[0], link), 0);
	expect_load_fails(f, link);
	expect_diag(&f->diag, "%s: is a symbolic link", link);
}

static void group_writable_file_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put_n(f, 0, "gw.conf", "[default]\n", 10, 0664);

	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s: group or world writable (mode 0664)", p);
}

static void world_writable_file_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put_n(f, 0, "ww.conf", "[default]\n", 10, 0646);

	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s: group or world writable (mode 0646)", p);
}

static void user_owned_file_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "user.conf", "[default]\nsandbox = no\n");

	assert_int_equal(chown(p, 65534, 65534), 0);
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s: owned by uid 65534, not root", p);
}

static void fifo_is_refused_without_hanging(void **state)
{
	struct fixture *f = *state;
	char p[600];

	snprintf(p, sizeof(p), "%s/fifo.conf", f->dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s: not a regular file", p);
}

static void multi_megabyte_file_is_refused(void **state)
{
	struct fixture *f = *state;
	size_t len = 3 * 1024 * 1024;
	char *big = malloc(len);
	const char *p;

	assert_non_null(big);
	for (size_t i = 0; i < len; i++)
		big[i] = (i % 64 == 63) ? '\n' : '#';
	p = put_n(f, 0, "big.conf", big, len, 0644);
	free(big);
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s: 3145728 bytes long; the limit is 65536 bytes", p);
}

static void file_at_the_size_limit_loads(void **state)
{
	struct fixture *f = *state;
	size_t len = 65536;
	char *buf = malloc(len);

	assert_non_null(buf);
	for (size_t i = 0; i < len; i++)
		buf[i] = (i % 100 == 99) ? '\n' : '#';
	memcpy(buf, "[default]\n", 10);
	expect_loads(f, put_n(f, 0, "limit.conf", buf, len, 0644));
	free(buf);
}

static void long_line_is_refused(void **state)
{
	struct fixture *f = *state;
	char text[4096];
	const char *p;

	strcpy(text, "[default]\n# ");
	memset(text + 12, 'x', 2046);
	strcpy(text + 2058, "\nsandbox = yes\n"); /* line 2 is 2049 bytes with its newline */
	p = put(f, 0, "long.conf", text);
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:2: line is 2049 bytes long; the limit is 1000 bytes", p);

	/* 1000 bytes with the newline is still fine. */
	strcpy(text, "[default]\n# ");
	memset(text + 12, 'x', 997);
	strcpy(text + 1009, "\nsandbox = yes\n"); /* 2 + 997 + 1 = 1000 bytes */
	expect_loads(f, put(f, 1, "ok.conf", text));
	strcpy(text + 1009, "x\nsandbox = yes\n");
	p = put(f, 2, "over.conf", text);
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:2: line is 1001 bytes long", p);
}

static void nul_byte_is_refused(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "[default]\nsandbox = yes\0\nmemory_max = 1M\n";
	const char *p = put_n(f, 0, "nul.conf", text, sizeof(text) - 1, 0644);

	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:2: NUL byte at column 14", p);
}

static void crlf_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "crlf.conf", "[default]\r\nsandbox = yes\r\n");

	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:1: CRLF line ending: convert the file with dos2unix", p);
	p = put(f, 1, "cr.conf", "[default]\nsandbox = yes\rnetwork = host\n");
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:2: carriage return at column 14", p);
}

static void control_character_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "ctl.conf", "[default]\nhostname = a\x1b[2Jb\n");

	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:2: control character 0x1b at column 13", p);
}

static void duplicate_key_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "dup.conf",
			    "[default]\nmemory_max = 1G\nsandbox = no\nmemory_max = 2G\n");

	expect_section_broken(f, p);
	expect_diag(&f->diag, "%s:4: duplicate key 'memory_max' in [default] (first set at line 2)",
		    p);
}

static void duplicate_section_in_one_file_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "dups.conf",
			    "[group:lab]\nsandbox = yes\n[default]\n[group:lab]\nsandbox = no\n");

	expect_section_broken(f, p);
	expect_diag(&f->diag, "%s:4: duplicate section [group:lab] (first at %s:1)", p, p);
}

static void sections_differing_in_case_are_refused(void **state)
{
	struct fixture *f = *state;
	const char *p =
		put(f, 0, "case.conf", "[user:alice]\nsandbox = yes\n[user:Alice]\nsandbox = no\n");

	expect_section_broken(f, p);
	expect_diag(&f->diag,
		    "%s:3: section [user:Alice] differs from [user:alice] (%s:1) only "
		    "in letter case",
		    p, p);
}

static void duplicate_section_across_files_is_refused(void **state)
{
	struct fixture *f = *state;

	put(f, 0, "loginjail.conf", "[default]\n");
	mkdir_in(f, "policy.d", 0755);
	put(f, 1, "policy.d/10-a.conf", "# a\n[group:lab]\nsandbox = yes\n");
	put(f, 2, "policy.d/20-b.conf", "[default]\n");
	assert_int_equal(load_dir(f), 1);
	assert_non_null(f->cfg);
	expect_diag(&f->diag, "%s:1: duplicate section [default] (first at %s:1)", f->path[2],
		    f->path[0]);
	put(f, 2, "policy.d/20-b.conf", "\n\n[group:lab]\nsandbox = no\n");
	assert_int_equal(load_dir(f), 1);
	expect_diag(&f->diag, "%s:3: duplicate section [group:lab] (first at %s:2)", f->path[2],
		    f->path[1]);
}

static void unknown_key_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "unk.conf", "[default]\nmemroy_max = 1G\n");

	expect_section_broken(f, p);
	expect_diag(&f->diag, "%s:2: unknown key 'memroy_max': known keys are sandbox", p);
}

static void key_outside_a_section_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "out.conf", "# top\nsandbox = yes\n[default]\n");

	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:2: key 'sandbox' outside a section", p);
}

static void upper_case_key_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "uc.conf", "[default]\nMemory_Max = 1G\n");

	expect_section_broken(f, p);
	expect_diag(&f->diag, "%s:2: key 'Memory_Max' must be written in lower case: memory_max",
		    p);
}

static void bad_values_name_file_line_and_key(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "vals.conf",
			    "[default]\n"
			    "memory_max = 18446744073709551616\n"
			    "pids_max = -1\n"
			    "memory_swap_max = 0x10\n"
			    "cpu_max = 1e3\n"
			    "ro_bind = srv/data\n"
			    "bind = /proc/1/root\n"
			    "sandbox = true\n"
			    "network = internet\n"
			    "linger = 5s\n"
			    "hostname = -%u\n"
			    "io_weight = 0\n"
			    "tmp = 5\n"
			    "home = /home\n"
			    "share = all\n"
			    "on_error = ignore\n"
			    "user_manager = yes\n"
			    "ptys = 0\n"
			    "tmp_size = 512K\n"
			    "[user:x]\n"
			    "ptys = 1048577\n");

	expect_section_broken(f, p);
	expect_diag(&f->diag, "%s:2: memory_max = 18446744073709551616: number too large", p);
	expect_diag(&f->diag, "%s:3: pids_max = -1: not a number", p);
	expect_diag(&f->diag, "%s:4: memory_swap_max = 0x10: hexadecimal", p);
	expect_diag(&f->diag, "%s:5: cpu_max = 1e3: trailing characters", p);
	expect_diag(&f->diag, "%s:6: ro_bind = srv/data: not an absolute path", p);
	expect_diag(&f->diag, "%s:7: bind = /proc/1/root: paths under /proc or /sys", p);
	expect_diag(&f->diag, "%s:8: sandbox = true: must be yes or no", p);
	expect_diag(&f->diag, "%s:9: network = internet: must be none, loopback or host", p);
	expect_diag(&f->diag, "%s:10: linger = 5s: trailing characters", p);
	expect_diag(&f->diag, "%s:11: hostname = -%%u: a host name label must not start", p);
	expect_diag(&f->diag, "%s:12: io_weight = 0: out of range: use 1 to 10000", p);
	expect_diag(&f->diag, "%s:13: tmp = 5: must be private or shared", p);
	expect_diag(&f->diag, "%s:14: home = /home: must be bind or tmpfs", p);
	expect_diag(&f->diag, "%s:15: share = all: must be user or session", p);
	expect_diag(&f->diag, "%s:16: on_error = ignore: must be deny or allow", p);
	expect_diag(&f->diag, "%s:17: user_manager = yes: must be no", p);
	expect_diag(&f->diag, "%s:18: ptys = 0: out of range: use 1 to 1048576", p);
	expect_diag(&f->diag, "%s:19: tmp_size = 512K: too small", p);
	expect_diag(&f->diag, "%s:21: ptys = 1048577: out of range: use 1 to 1048576", p);
	assert_int_equal(f->diag.n, 19);
}

static void bad_values_are_reported_next_to_syntax_errors(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "both.conf", "[default]\nno equals sign here\nmemory_max = 0\n");

	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:2: expected a [section] header, a comment or key = value", p);
	expect_diag(&f->diag, "%s:3: memory_max = 0: too small", p);
}

static void iniparser_quirks_are_refused(void **state)
{
	struct fixture *f = *state;
	const char *p;

	p = put(f, 0, "q1.conf", "[default]\nhostname = \"lab\"\n");
	expect_section_broken(f, p);
	expect_diag(&f->diag, "%s:2: hostname: the value contains '\"'", p);
	p = put(f, 0, "q2.conf", "[default]\nmemory_max = 512M ; half a gig\n");
	expect_section_broken(f, p);
	expect_diag(&f->diag, "%s:2: memory_max: the value contains ';'", p);
	p = put(f, 0, "q3.conf", "[default]\nhostname = lab#1\n");
	expect_section_broken(f, p);
	expect_diag(&f->diag, "%s:2: hostname: the value contains '#'", p);
	p = put(f, 0, "q4.conf", "[default]\n# note \\\nsandbox = yes\n");
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:2: line ends with '\\'", p);
	p = put(f, 0, "q5.conf", "[default] # the default\n");
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:1: text after the section header", p);
	p = put(f, 0, "q6.conf", "[default]\n= yes\n");
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:2: missing key name before '='", p);
}

static void disagreement_with_iniparser_is_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "agree.conf", "[Group:Lab]\n");

	/* iniparser lower-cases section names, so this header is refused */
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:1: unknown section [Group:Lab]", p);

	p = put(f, 0, "agree.conf", "[group:Lab]\nsandbox = no\nnetwork = host\n");
	expect_loads(f, p);

	tamper_key = "group:lab:sandbox";
	tamper_value = "yes";
	expect_section_broken(f, p);
	expect_diag(&f->diag,
		    "%s:2: iniparser read sandbox in [group:Lab] as 'yes', loginjail as "
		    "'no'",
		    p);
	tamper_value = NULL;
	expect_section_broken(f, p);
	expect_diag(&f->diag, "%s:2: iniparser read sandbox in [group:Lab] as '(null)'", p);
	tamper_key = "group:lab";
	tamper_value = "x";
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:1: iniparser did not see section [group:Lab]", p);
	tamper_key = NULL;

	tamper_extra = "group:lab:pids_max";
	expect_load_fails(f, p);
	tamper_extra = NULL;
	expect_diag(&f->diag, "%s: iniparser saw 4 sections and keys, loginjail 3", p);
	expect_loads(f, p);
}

static void bad_section_headers_are_refused(void **state)
{
	struct fixture *f = *state;
	const char *p = put(f, 0, "hdr.conf",
			    "[global]\nsandbox = yes\n"
			    "[user:../etc]\n"
			    "[group:]\n"
			    "[ default ]\n"
			    "[user:-rf]\n"
			    "[user:alice]\n");

	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:1: unknown section [global]", p);
	expect_diag(&f->diag, "%s:3: invalid user name in [user:../etc]", p);
	expect_diag(&f->diag, "%s:4: invalid group name in [group:]: empty name", p);
	expect_diag(&f->diag, "%s:5: unknown section [ default ]", p);
	expect_diag(&f->diag, "%s:6: invalid user name in [user:-rf]", p);
	/* the key under the rejected [global] is not also "outside a section" */
	assert_int_equal(f->diag.n, 5);
}

static void too_many_sections_are_refused(void **state)
{
	struct fixture *f = *state;
	static char text[257 * 24];
	const char *p;
	size_t o = 0;

	for (int i = 0; i < 257; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "[group:g%d]\n", i);
	p = put(f, 0, "secs.conf", text);
	expect_load_fails(f, p);
	expect_diag(&f->diag, "%s:257: too many sections (at most 256 per file", p);
}

static void too_many_keys_are_refused(void **state)
{
	struct fixture *f = *state;
	static char text[64 * 1024];
	size_t o = 0;

	put(f, 0, "loginjail.conf", "[default]\n");
	mkdir_in(f, "policy.d", 0755);
	/* 2 files x 147 sections x 7 keys = 2058 keys */
	for (int file = 0; file < 2; file++) {
		char name[64];
		o = 0;
		for (int s = 0; s < 147; s++) {
			o += (size_t)snprintf(text + o, sizeof(text) - o,
					      "[user:u%d_%d]\nsandbox=yes\nnetwork=none\n"
					      "pids_max=1\ncpu_max=1%%\nio_weight=1\ntmp=shared\n"
					      "home=bind\n",
					      file, s);
		}
		snprintf(name, sizeof(name), "policy.d/%d.conf", file);
		put(f, 1 + file, name, text);
	}
	assert_int_equal(load_dir(f), 1);
	expect_diag(&f->diag, "%s:", f->path[2]);
	expect_diag(&f->diag, "too many keys (at most 2048 in all files)");
}

/* Resolves USER in GROUPS (NULL-terminated) against f->cfg: 0 or -1, the
 * reason in f->diag. */
static int resolve_in(struct fixture *f, const char *user, const char *const *groups)
{
	struct lj_policy pol;
	size_t n = 0;
	int r;

	while (groups[n])
		n++;
	memset(&f->diag, 0, sizeof(f->diag));
	r = lj_policy_resolve(f->cfg, user, groups, n, &pol, &f->diag);
	if (r == 0) {
		if (!pol.sandbox)
			r = 1; /* loaded, not sandboxed: tell it apart */
		lj_policy_free(&pol);
	}
	return r;
}

/* A broken section refuses whom it may apply to: its user (any case), the
 * members of its group (any case), everyone for [default]. The others get
 * their policy from the sections that are not broken. */
static void broken_section_refuses_only_whom_it_may_apply_to(void **state)
{
	struct fixture *f = *state;
	static const char *const none[] = {NULL}, *const lab[] = {"other", "lab", NULL},
				 *const lab_uc[] = {"LAB", NULL}, *const staff[] = {"staff", NULL},
				 *const dup[] = {"twice", NULL};

	put(f, 0, "loginjail.conf",
	    "[default]\nsandbox = no\n"
	    "[group:lab]\nsandbox = yes\nmemroy_max = 1G\n"
	    "[group:staff]\nsandbox = yes\nmemory_max = 1G\n"
	    "[user:alice]\nsandbox = yes\n"
	    "[group:twice]\nsandbox = yes\n");
	mkdir_in(f, "policy.d", 0755);
	put(f, 1, "policy.d/50-a.conf", "[user:Dave]\npids_max = -1\n[group:twice]\n");
	assert_int_equal(load_dir(f), 1);
	assert_non_null(f->cfg);
	expect_diag(&f->diag, "%s:5: unknown key 'memroy_max'", f->path[0]);
	expect_diag(&f->diag, "%s:2: pids_max = -1: not a number", f->path[1]);
	expect_diag(&f->diag, "%s:3: duplicate section [group:twice] (first at %s:11)", f->path[1],
		    f->path[0]);

	assert_int_equal(resolve_in(f, "eve", none), 1);
	assert_int_equal(resolve_in(f, "alice", none), 0);
	assert_int_equal(resolve_in(f, "gina", staff), 0);

	assert_int_equal(resolve_in(f, "frank", lab), -1);
	expect_diag(&f->diag,
		    "%s:5: unknown key 'memroy_max': known keys are sandbox, network, hostname, "
		    "memory_max",
		    f->path[0]);
	expect_diag(&f->diag, "broken where it may apply to user frank: %s:5: unknown key",
		    f->path[0]);
	expect_diag(&f->diag, "(in section [group:lab] at %s:3; ", f->path[0]);
	assert_int_equal(resolve_in(f, "frank", lab_uc), -1);
	assert_int_equal(resolve_in(f, "dave", none), -1);
	expect_diag(&f->diag, "%s:2: pids_max = -1", f->path[1]);
	assert_int_equal(resolve_in(f, "Dave", none), -1);
	assert_int_equal(resolve_in(f, "harry", dup), -1);
	expect_diag(&f->diag, "(in section [group:twice] at %s:3; ", f->path[1]);

	/* A broken [default] may apply to everyone. */
	put(f, 0, "loginjail.conf", "[default]\nsandbox = maybe\n[user:alice]\nsandbox = no\n");
	unlink(f->path[1]);
	assert_int_equal(load_dir(f), 1);
	assert_int_equal(resolve_in(f, "alice", none), -1);
	expect_diag(&f->diag, "%s:2: sandbox = maybe", f->path[0]);
	assert_int_equal(resolve_in(f, "eve", staff), -1);
}

/* What cannot be charged to a section leaves nothing to use, for anyone. */
static void errors_outside_sections_break_the_whole_configuration(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
		"[default]\n[group:lab\nsandbox = yes\n",  /* unreadable header */
		"[default]\n[grup:lab]\nsandbox = yes\n",  /* unknown kind of section */
		"[default]\n[group:a+b]\nsandbox = yes\n", /* invalid name */
		"[default]\ngroup:lab]\nsandbox = yes\n",  /* neither header nor key */
		"sandbox = yes\n[default]\n",		   /* a key before any header */
		"[default]\nsandbox = yes\\\n",		   /* a '\\' continuation */
		"[default]\n\x01\n",			   /* not text */
	};

	put(f, 1, "ok.conf", "[user:alice]\nsandbox = yes\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *p = put(f, 0, "bad.conf", bad[i]);
		int r = load_file(f, p);
		if (r != -1 || f->cfg)
			fail_msg("case %zu: load returned %d, cfg %p; expected -1 and nothing", i,
				 r, (void *)f->cfg);
		assert_true(f->diag.n > 0);
	}
}

/* Loads TEXT as the one file and returns lj_config_warn_limits' count,
 * its warnings in f->diag. */
static size_t limit_warnings(struct fixture *f, const char *text)
{
	const char *p = put(f, 0, "limits.conf", text);

	if (load_file(f, p) != 0) {
		dump_diag(&f->diag);
		fail_msg("%s was refused", p);
	}
	memset(&f->diag, 0, sizeof(f->diag));
	return lj_config_warn_limits(f->cfg, &f->diag);
}

/* A section that sandboxes its users with memory_max or pids_max at max,
 * set so or not set (there or in [default]), is warned about. */
static void sandboxes_without_limits_are_warned_about(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(limit_warnings(f, "[default]\nsandbox = no\n[group:lab]\nsandbox = yes\n"),
			 2);
	expect_diag(&f->diag,
		    "%s:3: [group:lab] sandboxes its users with no memory limit: memory_max is "
		    "set neither there nor in [default] (the built-in default is max); one user "
		    "can exhaust the host: set memory_max (e.g. memory_max = 1G) in [group:lab] "
		    "or [default]",
		    f->path[0]);
	expect_diag(&f->diag, "%s:3: [group:lab] sandboxes its users with no process limit",
		    f->path[0]);

	assert_int_equal(limit_warnings(f, "[group:x]\nsandbox = yes\nmemory_max = max\n"
					   "pids_max = 10\n"),
			 1);
	expect_diag(&f->diag,
		    "%s:3: memory_max = max, and [group:x] sandboxes its users: one user can "
		    "exhaust the host's memory; set a limit (e.g. memory_max = 1G)",
		    f->path[0]);

	/* [default]'s limits cover the sections that set none. */
	assert_int_equal(limit_warnings(f,
					"[default]\nmemory_max = 1G\npids_max = 100\n"
					"[group:lab]\nsandbox = yes\n[user:ta]\nsandbox = yes\n"),
			 0);
	assert_int_equal(limit_warnings(f, "[default]\npids_max = max\nmemory_max = 1G\n"
					   "[group:lab]\nsandbox = yes\n"),
			 1);
	expect_diag(&f->diag, "%s:2: pids_max = max, and [group:lab] sandboxes its users",
		    f->path[0]);
	/* [default] sandboxes: it and every section that does not say no */
	assert_int_equal(limit_warnings(f, "[default]\nsandbox = yes\n[user:ta]\nsandbox = no\n"
					   "[user:bob]\npids_max = 10\nmemory_max = 1G\n"
					   "[group:lab]\nmemory_max = 1G\n"),
			 3);
	expect_diag(&f->diag,
		    "%s:1: [default] sandboxes its users with no memory limit: memory_max is set "
		    "neither there nor in [default] (the built-in default is max); one user can "
		    "exhaust the host: set memory_max (e.g. memory_max = 1G) in [default]",
		    f->path[0]);
	assert_null(strstr(f->diag.msg[0], "or [default]"));
	expect_diag(&f->diag, "%s:1: [default] sandboxes its users with no process limit",
		    f->path[0]);
	expect_diag(&f->diag, "%s:8: [group:lab] sandboxes its users with no process limit",
		    f->path[0]);
	/* nothing sandboxed, nothing to say */
	assert_int_equal(limit_warnings(f, "[default]\nmemory_max = max\n[group:lab]\n"), 0);
}

static void last_line_without_newline_loads(void **state)
{
	struct fixture *f = *state;
	struct lj_policy pol;

	expect_loads(f, put(f, 0, "nonl.conf", "[default]\nsandbox = yes"));
	assert_int_equal(lj_policy_resolve(f->cfg, "bob", NULL, 0, &pol, &f->diag), 0);
	assert_true(pol.sandbox);
	lj_policy_free(&pol);
}

static void every_problem_is_reported(void **state)
{
	struct fixture *f = *state;
	const char *p =
		put(f, 0, "many.conf", "[default]\nfoo = 1\nsandbox = maybe\nbar\n[user:x/y]\n");

	expect_load_fails(f, p);
	assert_int_equal(f->diag.n, 4);
	expect_diag(&f->diag, "%s:2: unknown key 'foo'", p);
	expect_diag(&f->diag, "%s:3: sandbox = maybe", p);
	expect_diag(&f->diag, "%s:4: expected a [section] header", p);
	expect_diag(&f->diag, "%s:5: invalid user name", p);
}

/* Which file gave the network of a user in groups a, b and c: the last read. */
static const char *network_origin(struct fixture *f, const char *group)
{
	static const char *const groups[] = {"a", "b", "c", "d"};
	struct lj_policy pol;
	const char *file;

	assert_int_equal(lj_policy_resolve(f->cfg, "u", groups, 4, &pol, &f->diag), 0);
	file = pol.origin[LJ_KEY_NETWORK].file;
	lj_policy_free(&pol);
	return file;
}

static void policy_d_is_read_in_c_locale_order(void **state)
{
	struct fixture *f = *state;
	char want[600];

	put(f, 0, "loginjail.conf", "[default]\n");
	mkdir_in(f, "policy.d", 0755);
	/* created out of order; strcmp order: 10-a < 20-b < 9-c < B.conf */
	put(f, 1, "policy.d/9-c.conf", "[group:c]\nnetwork = host\n");
	put(f, 2, "policy.d/20-b.conf", "[group:b]\nnetwork = none\n");
	put(f, 3, "policy.d/10-a.conf", "[group:a]\nnetwork = loopback\n");
	assert_int_equal(load_dir(f), 0);
	assert_int_equal(lj_config_nfiles(f->cfg), 4);
	snprintf(want, sizeof(want), "%s/policy.d/9-c.conf", f->dir);
	assert_string_equal(network_origin(f, "c"), want);

	put(f, 1, "policy.d/B.conf", "[group:d]\nnetwork = none\n");
	assert_int_equal(load_dir(f), 0);
	assert_string_equal(network_origin(f, "d"), f->path[1]);
}

static void non_conf_names_in_policy_d_are_ignored(void **state)
{
	struct fixture *f = *state;
	static const char *const ignored[] = {
		"policy.d/50-example.conf.example",
		"policy.d/50-lab.conf.dpkg-old",
		"policy.d/50-lab.conf~",
		"policy.d/.50-lab.conf.swp",
		"policy.d/.hidden.conf",
		"policy.d/with space.conf",
		"policy.d/dot.in.name.conf",
		"policy.d/.conf",
		"policy.d/README",
		"policy.d/50-lab.CONF",
	};

	put(f, 0, "loginjail.conf", "[default]\n");
	mkdir_in(f, "policy.d", 0755);
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		put(f, 1, ignored[i], "this is not INI at all\n");
	put(f, 2, "policy.d/50-lab_2.conf", "[group:lab]\nsandbox = yes\n");
	assert_int_equal(load_dir(f), 0);
	assert_int_equal(lj_config_nfiles(f->cfg), 2);
	assert_int_equal(lj_config_nsections(f->cfg), 2);
}

static void policy_d_entries_must_be_safe(void **state)
{
	struct fixture *f = *state;
	char p[600];

	put(f, 0, "loginjail.conf", "[default]\n");
	mkdir_in(f, "policy.d", 0755);
	mkdir_in(f, "policy.d/dir.conf", 0755);
	snprintf(p, sizeof(p), "%s/policy.d/link.conf", f->dir);
	assert_int_equal(symlink(f->path[0], p), 0);
	put_n(f, 1, "policy.d/gw.conf", "[group:x]\n", 10, 0620);
	assert_int_equal(load_dir(f), -1);
	expect_diag(&f->diag, "%s/policy.d/dir.conf: not a regular file", f->dir);
	expect_diag(&f->diag, "%s/policy.d/link.conf: is a symbolic link", f->dir);
	expect_diag(&f->diag, "%s/policy.d/gw.conf: group or world writable (mode 0620)", f->dir);
}

static void directories_must_be_root_owned_and_not_writable(void **state)
{
	struct fixture *f = *state;
	char p[600];

	put(f, 0, "loginjail.conf", "[default]\n");
	mkdir_in(f, "policy.d", 0775);
	assert_int_equal(load_dir(f), -1);
	expect_diag(&f->diag, "%s/policy.d: group or world writable (mode 0775)", f->dir);

	snprintf(p, sizeof(p), "%s/policy.d", f->dir);
	assert_int_equal(chmod(p, 0755), 0);
	assert_int_equal(chown(p, 65534, 0), 0);
	assert_int_equal(load_dir(f), -1);
	expect_diag(&f->diag, "%s/policy.d: owned by uid 65534, not root", f->dir);
	assert_int_equal(chown(p, 0, 0), 0);
	assert_int_equal(load_dir(f), 0);

	assert_int_equal(chmod(f->dir, 0777), 0);
	assert_int_equal(load_dir(f), -1);
	expect_diag(&f->diag, "%s: group or world writable (mode 0777)", f->dir);
	assert_int_equal(chmod(f->dir, 0700), 0);
}

static void main_file_must_exist_and_policy_d_is_optional(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load_dir(f), -1);
	expect_diag(&f->diag, "%s/loginjail.conf: cannot open: No such file or directory", f->dir);
	put(f, 0, "loginjail.conf", "[default]\nsandbox = yes\n");
	assert_int_equal(load_dir(f), 0);
	assert_int_equal(lj_config_nfiles(f->cfg), 1);
}

static void shipped_configuration_passes(void **state)
{
	struct fixture *f = *state;
	FILE *in;
	static char text[65536];
	size_t n;

	/* The repository's conf/, copied so ownership and modes are ours. */
	in = fopen("conf/loginjail.conf", "re");
	if (!in)
		skip();
	n = fread(text, 1, sizeof(text), in);
	fclose(in);
	put_n(f, 0, "loginjail.conf", text, n, 0644);
	mkdir_in(f, "policy.d", 0755);
	in = fopen("conf/policy.d/50-example.conf.example", "re");
	assert_non_null(in);
	n = fread(text, 1, sizeof(text), in);
	fclose(in);
	put_n(f, 1, "policy.d/50-example.conf", text, n, 0644);
	if (load_dir(f) != 0) {
		dump_diag(&f->diag);
		fail_msg("the shipped configuration is refused");
	}
	assert_int_equal(lj_config_nfiles(f->cfg), 2);
	/* and it limits every sandbox it makes */
	if (lj_config_warn_limits(f->cfg, &f->diag) != 0) {
		dump_diag(&f->diag);
		fail_msg("the shipped configuration sandboxes users without limits");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(good_file_with_every_key_loads),
		T(symlinked_file_is_refused),
		T(group_writable_file_is_refused),
		T(world_writable_file_is_refused),
		T(user_owned_file_is_refused),
		T(fifo_is_refused_without_hanging),
		T(multi_megabyte_file_is_refused),
		T(file_at_the_size_limit_loads),
		T(long_line_is_refused),
		T(nul_byte_is_refused),
		T(crlf_is_refused),
		T(control_character_is_refused),
		T(duplicate_key_is_refused),
		T(duplicate_section_in_one_file_is_refused),
		T(sections_differing_in_case_are_refused),
		T(duplicate_section_across_files_is_refused),
		T(unknown_key_is_refused),
		T(key_outside_a_section_is_refused),
		T(upper_case_key_is_refused),
		T(bad_values_name_file_line_and_key),
		T(bad_values_are_reported_next_to_syntax_errors),
		T(iniparser_quirks_are_refused),
		T(disagreement_with_iniparser_is_refused),
		T(bad_section_headers_are_refused),
		T(too_many_sections_are_refused),
		T(too_many_keys_are_refused),
		T(broken_section_refuses_only_whom_it_may_apply_to),
		T(errors_outside_sections_break_the_whole_configuration),
		T(sandboxes_without_limits_are_warned_about),
		T(last_line_without_newline_loads),
		T(every_problem_is_reported),
		T(policy_d_is_read_in_c_locale_order),
		T(non_conf_names_in_policy_d_are_ignored),
		T(policy_d_entries_must_be_safe),
		T(directories_must_be_root_owned_and_not_writable),
		T(main_file_must_exist_and_policy_d_is_optional),
		T(shipped_configuration_passes),
#undef T
	};

	if (geteuid() != 0) {
		fprintf(stderr,
			"test_load needs root (it chowns files to prove ownership checks)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
