/* loginjailctl list, status, stop and reload: the running sandboxes, each
 * found by its state directory in root's /run/loginjail and known only
 * through what its init answers on the control socket there (SECURITY.md
 * rule 16: never by a pid). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "ctl.h"
#include "join.h"
#include "proto.h"
#include "util.h"

int ctl_each_sandbox(int (*fn)(int rundir, const char *name, uid_t uid, void *arg), void *arg)
{
	struct lj_err e = {""};
	int rundir = lj_rundir_open(false, &e);
	if (rundir < 0) {
		if (errno == ENOENT)
			return 0; /* no sandbox has ever run */
		fprintf(stderr, "loginjailctl: %s\n", e.msg);
		return -1;
	}
	DIR *d = fdopendir(fcntl(rundir, F_DUPFD_CLOEXEC, 0));
	if (!d) {
		fprintf(stderr, "loginjailctl: cannot read %s: %s\n", LJ_RUNDIR, strerror(errno));
		close(rundir);
		return -1;
	}
	int r = 0;
	struct dirent *de;
	while (r == 0 && (de = readdir(d))) {
		unsigned uid;
		int end = 0;
		if (sscanf(de->d_name, "user-%u%n", &uid, &end) != 1 ||
		    (de->d_name[end] != '\0' && de->d_name[end] != '.') ||
		    strstr(de->d_name, ".lock"))
			continue;
		r = fn(rundir, de->d_name, (uid_t)uid, arg);
	}
	closedir(d);
	close(rundir);
	return r;
}

const char *ctl_user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);
	if (pw)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
	return buf;
}

/* The account named USER, or EXIT_LOOKUP said. */
static int lookup(const char *user, struct passwd **pw)
{
	errno = 0;
	*pw = getpwnam(user);
	if (*pw)
		return 0;
	fprintf(stderr, "loginjailctl: no user %s%s%s\n", user, errno ? ": " : "",
		errno ? strerror(errno) : "");
	return EXIT_LOOKUP;
}

/* ---- what a sandbox says of itself (LJ_CTL_INFO) ---------------------- */

struct sandbox {
	const char *name;
	uid_t uid;
	char user[80];
	int answer; /* lj_ctl_info: 0, or 1 not serving, 2 or -1 with err */
	struct lj_err err;
	struct lj_ctl_rep rep;
	struct lj_ctl_info info;
	struct lj_ctl_sess_info *sess;
	int mountinfo;
};

static void sandbox_ask(struct sandbox *s, int rundir, const char *name, uid_t uid)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->uid = uid;
	s->mountinfo = -1;
	s->answer = lj_ctl_info(rundir, name, &s->rep, &s->info, &s->sess, &s->mountinfo, &s->err);
	/* The account it was built for, as its init says, over NSS's. */
	if (s->answer == 0 && s->rep.user[0])
		snprintf(s->user, sizeof(s->user), "%s", s->rep.user);
	else
		ctl_user_name(uid, s->user, sizeof(s->user));
}

static void sandbox_free(struct sandbox *s)
{
	free(s->sess);
	if (s->mountinfo >= 0)
		close(s->mountinfo);
}

static const char *not_serving(const struct sandbox *s)
{
	return s->answer == 1 ? "not serving: ending, or left over from a crash and cleared at "
				"the user's next login"
			      : s->err.msg;
}

/* 512M, 1.5G: a size for people. */
static const char *size_text(uint64_t v, char *buf, size_t len)
{
	static const char unit[] = "KMGTP";
	if (v == LJ_CTL_UNLIMITED)
		return snprintf(buf, len, "max"), buf;
	if (v < 1024)
		return snprintf(buf, len, "%" PRIu64, v), buf;
	double d = (double)v / 1024;
	int u = 0;
	while (d >= 1024 && unit[u + 1])
		d /= 1024, u++;
	snprintf(buf, len, d < 10 && d != (int)d ? "%.1f%c" : "%.0f%c", d, unit[u]);
	return buf;
}

static const char *count_text(uint64_t v, char *buf, size_t len)
{
	if (v == LJ_CTL_UNLIMITED)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

/* 3d04h, 5m03s, 42s */
static const char *duration_text(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s >= 86400)
		snprintf(buf, len, "%" PRId64 "d%02" PRId64 "h", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "%" PRId64 "h%02" PRId64 "m", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
	else
		snprintf(buf, len, "%" PRId64 "s", s);
	return buf;
}

/* The linger setting, and while no session is left, when it ends. */
static const char *linger_text(const struct lj_ctl_info *i, uint32_t sessions, char *buf,
			       size_t len)
{
	char d[32];
	if (sessions > 0) {
		if (i->linger < 0)
			snprintf(buf, len, "forever");
		else
			snprintf(buf, len, "%s", duration_text(i->linger, d, sizeof(d)));
	} else if (i->idle_left < 0) {
		snprintf(buf, len, "idle, forever");
	} else {
		snprintf(buf, len, "idle, ends in %s", duration_text(i->idle_left, d, sizeof(d)));
	}
	return buf;
}

/* ---- list --------------------------------------------------------------- */

/* S as JSON, with every string escaped: the user name is checked, but a
 * session's tty and remote host come from its joiner (cleaned to printable
 * ASCII, which may still hold '"' and '\'). */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_num(uint64_t v)
{
	if (v == LJ_CTL_UNLIMITED)
		printf("null");
	else
		printf("%" PRIu64, v);
}

static void json_sandbox(const struct sandbox *s, time_t now)
{
	printf("{\"name\": ");
	json_str(s->name);
	printf(", \"user\": ");
	json_str(s->user);
	printf(", \"uid\": %u", (unsigned)s->uid);
	if (s->answer != 0) {
		printf(", \"state\": \"%s\", \"error\": ",
		       s->answer == 1 ? "ending" : "unreachable");
		json_str(not_serving(s));
		printf("}");
		return;
	}
	const struct lj_ctl_info *i = &s->info;
	printf(", \"state\": \"%s\", \"sessions\": %u, \"processes\": %" PRIu64,
	       s->rep.sessions ? "running" : "lingering", s->rep.sessions, i->procs);
	printf(", \"memory\": {\"current\": %" PRIu64 ", \"max\": ", i->mem_current);
	json_num(i->mem_max);
	printf("}, \"pids\": {\"current\": %" PRIu64 ", \"max\": ", i->pids_current);
	json_num(i->pids_max);
	printf("}, \"linger\": ");
	json_num(i->linger < 0 ? LJ_CTL_UNLIMITED : (uint64_t)i->linger);
	printf(", \"ends_in\": ");
	json_num(s->rep.sessions || i->idle_left < 0 ? LJ_CTL_UNLIMITED : (uint64_t)i->idle_left);
	printf(", \"started\": %" PRId64 ", \"age\": %" PRId64 ", \"session_list\": [", i->started,
	       (int64_t)now - i->started);
	for (uint32_t k = 0; k < i->nsess; k++) {
		const struct lj_ctl_sess_info *x = &s->sess[k];
		printf("%s{\"service\": ", k ? ", " : "");
		json_str(x->what.service);
		printf(", \"tty\": ");
		json_str(x->what.tty);
		printf(", \"rhost\": ");
		json_str(x->what.rhost);
		printf(", \"pid\": %u, \"since\": %" PRId64 "}", x->what.pid, x->since);
	}
	printf("]}");
}

struct list_arg {
	bool json;
	int n;
	time_t now;
};

static int list_one(int rundir, const char *name, uid_t uid, void *arg)
{
	struct list_arg *a = arg;
	struct sandbox s;
	sandbox_ask(&s, rundir, name, uid);
	if (!a->json && a->n == 0)
		printf("%-16s %-16s %8s %5s %-13s %-11s %-16s %s\n", "NAME", "USER", "SESSIONS",
		       "PROCS", "MEMORY", "PIDS", "LINGER", "AGE");
	if (a->json) {
		printf("%s\n  ", a->n ? "," : "");
		json_sandbox(&s, a->now);
	} else if (s.answer != 0) {
		printf("%-16s %-16s (%s)\n", name, s.user, not_serving(&s));
	} else {
		const struct lj_ctl_info *i = &s.info;
		char mem[64], m1[16], m2[16], pids[64], p1[16], p2[16], linger[48], age[16];
		snprintf(mem, sizeof(mem), "%s/%s", size_text(i->mem_current, m1, sizeof(m1)),
			 size_text(i->mem_max, m2, sizeof(m2)));
		snprintf(pids, sizeof(pids), "%s/%s", count_text(i->pids_current, p1, sizeof(p1)),
			 count_text(i->pids_max, p2, sizeof(p2)));
		printf("%-16s %-16s %8u %5" PRIu64 " %-13s %-11s %-16s %s\n", name, s.user,
		       s.rep.sessions, i->procs, mem, pids,
		       linger_text(i, s.rep.sessions, linger, sizeof(linger)),
		       duration_text((int64_t)a->now - i->started, age, sizeof(age)));
	}
	sandbox_free(&s);
	a->n++;
	return 0;
}

int cmd_list(int argc, char **argv)
{
	struct list_arg a = {.now = time(NULL)};
	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		a.json = true;
	else if (argc > 1)
		return usage_error("list takes no arguments but --json");
	int r = need_root("list");
	if (r)
		return r;
	if (a.json)
		printf("[");
	if (ctl_each_sandbox(list_one, &a) < 0)
		return EXIT_INVALID;
	if (a.json)
		printf("%s]\n", a.n ? "\n" : "");
	else if (a.n == 0)
		printf("no sandbox is running\n");
	return EXIT_OK;
}

/* ---- status ------------------------------------------------------------- */

/* The jail's mounts, as its init sees them: mount point, type, source and
 * options, from the mountinfo it handed over. */
static void print_mounts(int fd)
{
	FILE *f = fdopen(fcntl(fd, F_DUPFD_CLOEXEC, 0), "re");
	char *line = NULL;
	size_t cap = 0;
	while (f && getline(&line, &cap, f) > 0) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - TYPE SOURCE SUPEROPTS */
		char point[4096], opts[1024], type[64], source[4096], super[1024];
		const char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s %1023s", point, opts) != 2 ||
		    sscanf(sep + 3, "%63s %4095s %1023s", type, source, super) != 3)
			continue;
		printf("    %-24s %-8s %-12s %s\n", point, type, source, opts);
	}
	free(line);
	if (f)
		fclose(f);
}

static void print_status(const struct sandbox *s, time_t now)
{
	const struct lj_ctl_info *i = &s->info;
	char a[64], b[64], when[64], linger[48];
	struct tm tm;
	time_t started = (time_t)i->started;
	printf("sandbox %s of %s (uid %u)\n", s->name, s->user, (unsigned)s->uid);
	if (s->answer != 0) {
		printf("  %s\n", not_serving(s));
		return;
	}
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", localtime_r(&started, &tm));
	printf("  started     %s (%s ago)\n", when,
	       duration_text((int64_t)now - i->started, a, sizeof(a)));
	printf("  linger      %s\n", linger_text(i, s->rep.sessions, linger, sizeof(linger)));
	printf("  network     %s\n", i->flags & LJ_CTL_F_HOST_NET ? "the host's (network = host)"
								  : "a namespace of its own");
	printf("  namespaces ");
	for (int k = 0; k < LJ_NS_COUNT; k++)
		printf(" %s:[%" PRIu64 "]", lj_ns_order[k].name, i->ns[k]);
	printf("\n  cgroup      memory %s of %s, pids %s of %s (the user's limits), %" PRIu64
	       " processes in the sandbox\n",
	       size_text(i->mem_current, a, sizeof(a)), size_text(i->mem_max, b, sizeof(b)),
	       count_text(i->pids_current, when, sizeof(when)),
	       count_text(i->pids_max, linger, sizeof(linger)), i->procs);
	printf("  sessions    %u\n", s->rep.sessions);
	if (i->nsess)
		printf("    %-16s %-12s %-24s %8s  %s\n", "SERVICE", "TTY", "FROM", "HOST PID",
		       "SINCE");
	for (uint32_t k = 0; k < i->nsess; k++) {
		const struct lj_ctl_sess_info *x = &s->sess[k];
		time_t since = (time_t)x->since;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&since, &tm));
		printf("    %-16s %-12s %-24s %8u  %s\n",
		       x->what.service[0] ? x->what.service : "-",
		       x->what.tty[0] ? x->what.tty : "-", x->what.rhost[0] ? x->what.rhost : "-",
		       x->what.pid, when);
	}
	printf("  mounts\n");
	print_mounts(s->mountinfo);
}

struct status_arg {
	uid_t uid;
	int n, failed;
	time_t now;
};

static int status_one(int rundir, const char *name, uid_t uid, void *arg)
{
	struct status_arg *a = arg;
	if (uid != a->uid)
		return 0;
	struct sandbox s;
	sandbox_ask(&s, rundir, name, uid);
	print_status(&s, a->now);
	if (s.answer < 0 || s.answer == 2)
		a->failed++;
	sandbox_free(&s);
	a->n++;
	return 0;
}

int cmd_status(int argc, char **argv)
{
	if (argc != 2)
		return usage_error("status takes one user name");
	int r = need_root("status");
	struct passwd *pw;
	if (r || (r = lookup(argv[1], &pw)))
		return r;
	struct status_arg a = {.uid = pw->pw_uid, .now = time(NULL)};
	if (ctl_each_sandbox(status_one, &a) < 0)
		return EXIT_INVALID;
	if (a.n == 0)
		printf("no sandbox of %s is running\n", argv[1]);
	return a.failed ? EXIT_INVALID : EXIT_OK;
}

/* ---- stop --------------------------------------------------------------- */

struct stop_arg {
	bool all; /* every sandbox, whoever's: package removal (prerm) */
	uid_t uid;
	int stopped, failed, stale;
};

static int stop_one(int rundir, const char *name, uid_t uid, void *arg)
{
	struct stop_arg *a = arg;
	if (!a->all && uid != a->uid)
		return 0;
	/* What it is, to say what ended. */
	struct sandbox s;
	sandbox_ask(&s, rundir, name, uid);
	uint32_t sessions = 0;
	struct lj_err e = {""};
	int r = lj_ctl_ask(rundir, name, LJ_CTL_STOP, &sessions, &e);
	if (r < 0 || r == 2) {
		fprintf(stderr, "loginjailctl: %s: %s%s\n", name, e.msg,
			r == 2 ? "; end its loginjail-init with SIGTERM" : "");
		a->failed++;
	} else if (r == 1) {
		printf("%s of %s is not serving: ending, or left over from a crash and cleared "
		       "at the user's next login\n",
		       name, s.user);
		a->stale++;
	} else {
		/* The init tears down on its own: wait until its state is gone. */
		struct stat st;
		for (int ms = 0; ms < 10000 && fstatat(rundir, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
		     ms += 20)
			nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
		if (fstatat(rundir, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			fprintf(stderr, "loginjailctl: %s of %s did not end within 10 s\n", name,
				s.user);
			a->failed++;
		} else {
			printf("stopped %s of %s (%u session%s ended", name, s.user, sessions,
			       sessions == 1 ? "" : "s");
			if (s.answer == 0)
				printf(", %" PRIu64 " process%s killed", s.info.procs,
				       s.info.procs == 1 ? "" : "es");
			printf(")\n");
			for (uint32_t k = 0; s.answer == 0 && k < s.info.nsess; k++)
				printf("  ended session: %s%s%s%s%s (host pid %u)\n",
				       s.sess[k].what.service[0] ? s.sess[k].what.service : "?",
				       s.sess[k].what.tty[0] ? " on " : "", s.sess[k].what.tty,
				       s.sess[k].what.rhost[0] ? " from " : "",
				       s.sess[k].what.rhost, s.sess[k].what.pid);
			a->stopped++;
		}
	}
	sandbox_free(&s);
	return 0;
}

int cmd_stop(int argc, char **argv)
{
	if (argc != 2)
		return usage_error("stop takes one user name, or --all");
	int r = need_root("stop");
	if (r)
		return r;
	struct stop_arg a = {.all = strcmp(argv[1], "--all") == 0};
	struct passwd *pw;
	if (!a.all && (r = lookup(argv[1], &pw)))
		return r;
	if (!a.all)
		a.uid = pw->pw_uid;
	if (ctl_each_sandbox(stop_one, &a) < 0)
		return EXIT_INVALID;
	if (a.stopped == 0 && a.failed == 0 && a.stale == 0) {
		if (a.all)
			printf("no sandbox is running\n");
		else
			printf("no sandbox of %s is running\n", argv[1]);
	}
	return a.failed ? EXIT_INVALID : EXIT_OK;
}

/* ---- reload ------------------------------------------------------------- */

/* The keys a running sandbox takes at once: its user's cgroup limits. Any
 * other key that differs shapes what only a new sandbox gets (namespaces,
 * mounts, hostname), or how new logins find one (share, linger). on_error,
 * user_manager and shell are decided at each login. */
static bool applies_now(enum lj_key k)
{
	switch (k) {
	case LJ_KEY_MEMORY_MAX:
	case LJ_KEY_MEMORY_SWAP_MAX:
	case LJ_KEY_PIDS_MAX:
	case LJ_KEY_CPU_MAX:
	case LJ_KEY_IO_WEIGHT:
	case LJ_KEY_ON_ERROR:
	case LJ_KEY_USER_MANAGER:
	case LJ_KEY_SHELL:
		return true;
	default:
		return false;
	}
}

struct reload_arg {
	const char *config_dir;
	bool one; /* only uid's */
	uid_t uid;
	int n, failed, differ;
};

/* Key names into BUF, ", " between, for those of the keys that differ
 * between A and B whose applies_now is NOW. */
static int differing(const struct lj_ctl_key *a, const struct lj_ctl_key *b, bool now, char *buf,
		     size_t len)
{
	int n = 0;
	buf[0] = '\0';
	for (int k = 0; k < LJ_KEY__COUNT; k++) {
		if (applies_now((enum lj_key)k) != now ||
		    memcmp(a->keys[k], b->keys[k], sizeof(a->keys[k])) == 0)
			continue;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", n++ ? ", " : "",
			 lj_key_name((enum lj_key)k));
	}
	return n;
}

static int reload_one(int rundir, const char *name, uid_t uid, void *arg)
{
	struct reload_arg *a = arg;
	if (a->one && uid != a->uid)
		return 0;
	a->n++;
	struct sandbox s;
	sandbox_ask(&s, rundir, name, uid);
	struct passwd *pw = getpwuid(uid);
	struct lj_policy pol;
	struct lj_config *cfg = NULL;
	struct lj_ctl_key key;
	struct lj_err e = {""};
	int pr = EXIT_INVALID;
	if (s.answer != 0) {
		printf("%s of %s: %s\n", name, s.user, not_serving(&s));
		a->failed += s.answer != 1;
		goto out;
	}
	if (!pw || strcmp(pw->pw_name, s.user) != 0) {
		printf("%s of %s: that account is gone (or uid %u is another's now): "
		       "loginjailctl stop %s ends it\n",
		       name, s.user, (unsigned)uid, pw ? pw->pw_name : "--all");
		a->differ++;
		goto out;
	}
	/* The stamp first, then the policy (join.h): a change meanwhile makes
	 * the stamp older than the policy, never newer. */
	if (lj_ctl_key_init(&key, a->config_dir, pw->pw_name, pw->pw_uid, pw->pw_gid, pw->pw_dir) <
	    0) {
		fprintf(stderr, "loginjailctl: cannot read the policy directory %s: %s\n",
			a->config_dir, strerror(errno));
		a->failed++;
		goto out;
	}
	pr = ctl_policy_of(a->config_dir, pw, &pol, &cfg);
	if (pr != EXIT_OK) {
		a->failed++;
		goto out;
	}
	lj_policy_digest(&pol, key.policy);
	lj_policy_key_digests(&pol, key.keys, LJ_ARRAY_SIZE(key.keys));
	const struct lj_ctl_key *built = &s.info.key;
	if (key.config_dev != built->config_dev || key.config_ino != built->config_ino) {
		printf("%s of %s: built from another policy directory than %s: not reloaded\n",
		       name, s.user, a->config_dir);
		a->differ++;
		goto out;
	}
	char now[512], later[512];
	int nnow = differing(built, &key, true, now, sizeof(now));
	int nlater = differing(built, &key, false, later, sizeof(later));
	if (!pol.sandbox) {
		printf("%s of %s: the policy no longer sandboxes %s: loginjailctl stop %s ends "
		       "the sandbox (until then, its logins are refused)\n",
		       name, s.user, s.user, s.user);
		a->differ++;
		goto out;
	}
	if (nnow > 0) {
		struct lj_cgroup *cg = lj_cgroup_new(uid, name, &e);
		int cr = cg ? lj_cgroup_create(cg, &pol, &e) : -1;
		lj_cgroup_free(cg);
		if (cr < 0) {
			fprintf(stderr, "loginjailctl: %s of %s: cannot apply %s: %s\n", name,
				s.user, now, e.msg);
			a->failed++;
			goto out;
		}
	}
	if (nlater > 0) {
		printf("%s of %s differs from the policy in %s, which a running sandbox cannot "
		       "take: loginjailctl stop %s applies them (until then, its logins are "
		       "refused)%s%s\n",
		       name, s.user, later, s.user, nnow ? "; applied now: " : "", nnow ? now : "");
		a->differ++;
		goto out;
	}
	/* Nothing left that only a new sandbox takes: from now on the sandbox
	 * is the policy's, and logins join it again. */
	int r = lj_ctl_reload(rundir, name, s.user, &key, &e);
	if (r != 0) {
		fprintf(stderr, "loginjailctl: %s of %s: %s\n", name, s.user,
			r == 1 ? "it is ending" : e.msg);
		a->failed += r != 1;
		goto out;
	}
	if (nnow)
		printf("%s of %s: applied %s\n", name, s.user, now);
	else
		printf("%s of %s: as the policy says\n", name, s.user);
out:
	if (cfg) {
		lj_policy_free(&pol);
		lj_config_free(cfg);
	}
	sandbox_free(&s);
	return 0;
}

int cmd_reload(int argc, char **argv)
{
	struct reload_arg a = {.config_dir = LJ_CONFDIR};
	const char *user = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config-dir") == 0 && i + 1 < argc)
			a.config_dir = argv[++i];
		else if (argv[i][0] != '-' && !user)
			user = argv[i];
		else
			return usage_error("reload: unexpected argument '%s'", argv[i]);
	}
	int r = need_root("reload");
	struct passwd *pw;
	if (r || (user && (r = lookup(user, &pw))))
		return r;
	if (user) {
		a.one = true;
		a.uid = pw->pw_uid;
	}
	if (ctl_each_sandbox(reload_one, &a) < 0)
		return EXIT_INVALID;
	if (a.n == 0) {
		if (user)
			printf("no sandbox of %s is running\n", user);
		else
			printf("no sandbox is running\n");
	}
	return a.failed ? EXIT_INVALID : EXIT_OK;
}
