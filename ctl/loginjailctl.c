/* loginjailctl: the administrator's tool.
 *
 *   loginjailctl check [--config-dir DIR]
 *   loginjailctl explain USER [--groups G1,G2] [--config-dir DIR]
 *   loginjailctl list [--json]
 *   loginjailctl status USER
 *   loginjailctl enter USER [--root] [--config-dir DIR] [-- CMD...]
 *   loginjailctl reload [USER] [--config-dir DIR]
 *   loginjailctl stop USER | --all
 *
 * The running sandboxes (list, status, stop, reload): running.c; enter:
 * enter.c. Every command on them needs root.
 *
 * Exit codes: 0 ok; 1 the configuration is invalid, the user's policy
 * cannot be resolved, or a sandbox could not be reached or stopped; 2 usage
 * error; 3 the user or their groups cannot be looked up. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "join.h"
#include "landlock.h"
#include "pamstack.h"
#include "proto.h"
#include "systemd.h"
#include "walk.h"
#include "policy.h"
#include "util.h"

struct command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
};

static int cmd_check(int argc, char **argv);
static int cmd_explain(int argc, char **argv);
static int cmd_help(int argc, char **argv);

/* New subcommands go here. */
static const struct command commands[] = {
	{"check", "[--config-dir DIR]",
	 "validate every policy file; print each problem as file:line: message", cmd_check},
	{"explain", "USER [--groups G1,G2] [--config-dir DIR]",
	 "show USER's resolved policy, one key per line, with where each value comes from",
	 cmd_explain},
	{"list", "[--json]",
	 "show the running sandboxes: name, user, sessions, processes, memory and pids "
	 "against their limits, linger, age (as root); --json for monitoring",
	 cmd_list},
	{"status", "USER",
	 "show USER's sandboxes: namespaces, mounts, cgroup use and limits, sessions (as root)",
	 cmd_status},
	{"enter", "USER [--root] [--config-dir DIR] [-- CMD...]",
	 "run CMD (the user's login shell) in USER's running sandbox, as the user or, with "
	 "--root, as root inside it (as root)",
	 cmd_enter},
	{"reload", "[USER] [--config-dir DIR]",
	 "apply the current policy to running sandboxes: limits at once; says which sandboxes "
	 "differ in keys only a new sandbox takes (as root)",
	 cmd_reload},
	{"stop", "USER | --all",
	 "end USER's sandboxes (or every sandbox) now: their sessions end, the next login "
	 "gets a new one built with the current policy (as root)",
	 cmd_stop},
	{"help", "", "show this help", cmd_help},
	{NULL, NULL, NULL, NULL},
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: loginjailctl COMMAND [OPTIONS]\n\nCommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %s %s\n      %s\n", c->name, c->args, c->help);
	fprintf(out, "\nOptions:\n"
		     "  --config-dir DIR   read DIR instead of " LJ_CONFDIR "\n"
		     "  --groups G1,G2     the user's groups (instead of asking NSS)\n"
		     "  -h, --help         show this help\n"
		     "\nExit status: 0 ok, 1 configuration invalid, policy unresolvable or a\n"
		     "sandbox unreachable, 2 usage error or not root (list, status, enter,\n"
		     "reload, stop), 3 user or group lookup failed; enter: the command's, once\n"
		     "it runs.\n");
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "loginjailctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'loginjailctl --help'.\n");
	return EXIT_USAGE;
}

int need_root(const char *command)
{
	if (geteuid() == 0)
		return 0;
	fprintf(stderr,
		"loginjailctl: %s needs root: the sandboxes are reached through root's %s\n",
		command, LJ_RUNDIR);
	return EXIT_USAGE;
}

static void print_diag(const struct lj_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->msg[i]);
	if (d->dropped)
		fprintf(stderr, "... and %zu more problems\n", d->dropped);
}

/* Loads the configuration, printing every problem. NULL when nothing of it
 * can be used; *broken when some sections are broken (the rest is used). */
static struct lj_config *load(const char *dir, bool *broken)
{
	static struct lj_diag diag;
	struct lj_config *cfg;
	int r;

	memset(&diag, 0, sizeof(diag));
	r = lj_config_load(dir, &cfg, &diag);
	*broken = r != 0;
	if (r == 0)
		return cfg;
	print_diag(&diag);
	if (r < 0)
		fprintf(stderr,
			"loginjail: configuration INVALID (%zu problems): every login that "
			"loginjail handles (all but root's) is refused until it is fixed\n",
			diag.n + diag.dropped);
	else
		fprintf(stderr,
			"loginjail: configuration INVALID (%zu problems): the logins of every "
			"user a broken section may apply to (it is [default], or names the user "
			"or one of their groups) are refused until it is fixed; other users get "
			"their policy without the broken sections\n",
			diag.n + diag.dropped);
	return cfg;
}

enum { OPT_CONFIG_DIR = 256, OPT_GROUPS };
static const struct option long_options[] = {
	{"config-dir", required_argument, NULL, OPT_CONFIG_DIR},
	{"groups", required_argument, NULL, OPT_GROUPS},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct options {
	const char *config_dir;
	const char *groups; /* NULL: ask NSS */
	int nargs;
	char **args;
	bool help;
};

/* Parses the options of one subcommand; ALLOW_GROUPS says whether
 * --groups belongs to it. Returns 0 or EXIT_USAGE. */
static int parse_options(int argc, char **argv, bool allow_groups, struct options *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->config_dir = LJ_CONFDIR;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG_DIR:
			o->config_dir = optarg;
			break;
		case OPT_GROUPS:
			if (!allow_groups)
				return usage_error("%s: --groups is for explain only", argv[0]);
			o->groups = optarg;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	o->nargs = argc - optind;
	o->args = argv + optind;
	return 0;
}

/* True when the comma-separated option list OPTS has OPT. */
static bool has_option(const char *opts, const char *opt)
{
	size_t len = strlen(opt);

	for (const char *p = opts; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, opt, len) == 0 && (p[len] == ',' || p[len] == '\0'))
			return true;
	}
	return false;
}

/* Advice, not a problem (the exit status does not change): when a cgroup2
 * hierarchy is mounted and no cgroup hierarchy has favordynmods (Linux 6.0+),
 * every pid written to a cgroup.procs file waits for an RCU grace period;
 * a login writes one for each hierarchy (a new sandbox its init's too),
 * and those come back-to-back, so each login pays about one grace period. Measured in README "Performance". */
static void advise_favordynmods(void)
{
	struct utsname u;
	unsigned major = 0, minor = 0;
	char *line = NULL, mnt[256] = "";
	size_t cap = 0;
	bool favor = false;
	FILE *f;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2 || major < 6)
		return;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - TYPE SOURCE SUPEROPTS */
		char point[256], type[32], source[256], super[1024];
		const char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %255s", point) != 1 ||
		    sscanf(sep + 3, "%31s %255s %1023s", type, source, super) != 3)
			continue;
		bool v2 = strcmp(type, "cgroup2") == 0;
		if (!v2 && strcmp(type, "cgroup") != 0)
			continue;
		if (has_option(super, "favordynmods"))
			favor = true;
		if (v2 && !mnt[0])
			snprintf(mnt, sizeof(mnt), "%s", point);
	}
	free(line);
	fclose(f);
	if (favor || !mnt[0])
		return;
	printf("loginjail: advice: cgroups are mounted without favordynmods, so each login waits "
	       "5 to 12 ms to enter its cgroup (an RCU grace period); "
	       "boot with cgroup_favordynmods=true (GRUB_CMDLINE_LINUX in /etc/default/grub, "
	       "then update-grub), or now: mount -o remount,favordynmods %s; it makes forks "
	       "and exits slightly dearer (README, Performance)\n",
	       mnt);
}

/* On a systemd host, the PAM stacks loginjail cannot work with (the helper
 * refuses those logins at run time; here the admin learns it first): the
 * user manager's stack without the module, and pam_systemd after the module
 * in the usual login services. Returns the number of problems. */
static int check_pam_stacks(void)
{
	static const char *const services[] = {"sshd",	  "su",	       "su-l", "login",
					       "runuser", "runuser-l", "cron", NULL};
	struct lj_pam_pos sd, lj;
	int problems = 0;

	if (!lj_systemd_booted())
		return 0;
	if (lj_pam_session_order(lj_pam_dirs, LJ_USER_MANAGER_SERVICE, &sd, &lj) < 0 ||
	    lj.index < 0) {
		printf("loginjail: error: the PAM stack of " LJ_USER_MANAGER_SERVICE
		       " has no pam_loginjail.so: a sandboxed user's systemd user manager would "
		       "run outside the sandbox, so no sandbox is built on this host until "
		       "\"session required pam_loginjail.so\" ends /etc/pam.d/" LJ_USER_MANAGER_SERVICE
		       " (copy it from /usr/lib/pam.d first where it is only there)\n");
		problems++;
	}
	for (size_t i = 0; services[i]; i++) {
		if (lj_pam_session_order(lj_pam_dirs, services[i], &sd, &lj) < 0 || lj.index < 0 ||
		    sd.index < lj.index)
			continue;
		printf("loginjail: error: %s: pam_systemd.so comes after pam_loginjail.so (%s): "
		       "those logins are refused; move the pam_loginjail.so line below every other "
		       "session line\n",
		       sd.where, lj.where);
		problems++;
	}
	return problems;
}

/* A warning: a pam_loginjail.so line whose failure does not refuse the
 * login ("optional", "sufficient", "-session" when the module is missing, a
 * [...] list without default=bad or default=die) lets a login that policy
 * sandboxes in unsandboxed whenever its sandbox cannot be had: fail-open
 * (SECURITY.md rule 25). Every service in the PAM directories, each line
 * once (common-session is included by many). */
static void warn_pam_controls(void)
{
	char reported[32][300];
	size_t nreported = 0;

	for (size_t d = 0; lj_pam_dirs[d]; d++) {
		DIR *dir = opendir(lj_pam_dirs[d]);
		for (struct dirent *de; dir && (de = readdir(dir));) {
			struct lj_pam_pos sd, lj;
			if (de->d_name[0] == '.' ||
			    lj_pam_session_order(lj_pam_dirs, de->d_name, &sd, &lj) < 0 ||
			    lj.index < 0)
				continue;
			const char *c = lj.control;
			bool refuses = strcmp(c, "required") == 0 || strcmp(c, "requisite") == 0 ||
				       (c[0] == '[' &&
					(strstr(c, "default=bad") || strstr(c, "default=die")));
			if (refuses && !lj.dash)
				continue;
			bool dup = false;
			for (size_t i = 0; i < nreported && !dup; i++)
				dup = strcmp(reported[i], lj.where) == 0;
			if (dup)
				continue;
			if (nreported < LJ_ARRAY_SIZE(reported))
				snprintf(reported[nreported++], sizeof(reported[0]), "%s",
					 lj.where);
			printf("loginjail: warning: %s: \"%ssession %s pam_loginjail.so\": when a "
			       "sandbox cannot be set up (or the module is missing), PAM still lets "
			       "the login in, unsandboxed; write \"session required pam_loginjail.so\"\n",
			       lj.where, lj.dash ? "-" : "", c);
		}
		if (dir)
			closedir(dir);
	}
}

/* A warning, not a problem: systemd keeps the slice limits loginjail sets
 * as drop-ins 50-PROPERTY.conf; a drop-in of the admin for user-.slice that
 * sets the same property in a file whose name sorts after it wins from the
 * next daemon-reload on (systemd.unit(5): drop-ins apply in name order,
 * whatever their directory). Reads only "Key=" at a line's start: systemd's
 * unit syntax is not parsed beyond that. */
static void warn_slice_dropins(void)
{
	static const char *const dirs[] = {
		"/etc/systemd/system/user-.slice.d", "/run/systemd/system/user-.slice.d",
		"/usr/lib/systemd/system/user-.slice.d", "/lib/systemd/system/user-.slice.d", NULL};
	char path[512], line[512], ours[64];

	if (!lj_systemd_booted())
		return;
	for (size_t d = 0; dirs[d]; d++) {
		DIR *dir = opendir(dirs[d]);
		for (struct dirent *de; dir && (de = readdir(dir));) {
			size_t n = strlen(de->d_name);
			if (n < 6 || strcmp(de->d_name + n - 5, ".conf") != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[d], de->d_name);
			FILE *f = fopen(path, "re");
			while (f && fgets(line, sizeof(line), f))
				for (size_t p = 0; p < LJ_SLICE_COUNT; p++) {
					const char *set = lj_slice_props[p].setting;
					size_t len = strlen(set);
					snprintf(ours, sizeof(ours), LJ_SLICE_DROPIN, set);
					if (strncmp(line, set, len) == 0 && line[len] == '=' &&
					    strcmp(de->d_name, ours) > 0)
						printf("loginjail: warning: %s sets %s for every "
						       "user's slice and sorts after loginjail's %s: "
						       "from the next daemon-reload on it replaces "
						       "the policy's limit; rename it to sort before "
						       "50- or drop the setting\n",
						       path, set, ours);
				}
			if (f)
				fclose(f);
		}
		if (dir)
			closedir(dir);
	}
}

/* A warning, not a problem: network = host shares the host's abstract unix
 * sockets, which only a Landlock scope (Linux 6.12) keeps a session from. */
static void warn_host_network(const struct lj_config *cfg)
{
	int abi = lj_landlock_abi();
	struct lj_origin at;

	if (abi >= LJ_LANDLOCK_ABI_SCOPE)
		return;
	for (size_t i = 0; i < lj_config_nsections(cfg); i++) {
		const char *v = lj_config_setting(cfg, i, LJ_KEY_NETWORK, &at);
		if (v && strcmp(v, "host") == 0)
			printf("loginjail: warning: %s:%u: [%s] network = host: this kernel "
			       "(Landlock ABI %d, scopes need 6: Linux 6.12) cannot scope abstract "
			       "unix sockets, so these sessions can connect to every abstract unix "
			       "socket of the host, other users' too; use network = loopback or "
			       "none where that matters\n",
			       at.file, at.line, at.section, abi);
	}
}

/* A device as the helper will judge it (lj_device_open): one that is
 * missing now refuses the logins as surely as one that is refused. */
static void check_device(const char *file, unsigned line, const char *section, const char *path,
			 int *problems)
{
	char why[PATH_MAX + 128];
	int fd = lj_device_open(path, why, sizeof(why));
	if (fd >= 0) {
		close(fd);
		return;
	}
	(*problems)++;
	fprintf(stderr,
		"%s:%u: devices = %s: %s; the logins of [%s] are refused: list only character "
		"devices under /dev, reached without a symbolic link (loginjail.conf(5), "
		"DEVICES)\n",
		file, line, path, why, section);
}

/* A bind path as the helper will open it (helper/binds.c), when it can be
 * seen now: never through a link, through directories of root's that only
 * root can write; a path under a user's home only in that user's section. */
static void check_bind_path(const char *file, unsigned line, enum lj_key k, const char *section,
			    const char *path, void *arg)
{
	int *problems = arg;
	if (k == LJ_KEY_DEVICES) {
		check_device(file, line, section, path, problems);
		return;
	}
	if (strncmp(path, LJ_HOME_PREFIX, 2) == 0)
		return; /* each user's own home: seen at login */
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct lj_walk w;
	int fd = root < 0 ? -1 : lj_walk_open(root, "", path, 0, 0, &w);
	/* Below a home, the walk goes on as the home's user. */
	struct passwd *pw = fd < 0 && w.fault == LJ_WALK_OWNER ? getpwuid(w.owner) : NULL;
	bool own = pw && strcmp(pw->pw_dir, w.at) == 0 && strncmp(section, "user:", 5) == 0 &&
		   strcmp(section + 5, pw->pw_name) == 0;
	if (own) {
		int home = open(w.at, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		char at[sizeof(w.at)];
		snprintf(at, sizeof(at), "%s", w.at);
		fd = home < 0 ? -1 : lj_walk_open(home, at, path + strlen(at), pw->pw_uid, 0, &w);
		if (home >= 0)
			close(home);
	}
	if (root >= 0)
		close(root);
	if (fd >= 0) {
		close(fd);
		return;
	}
	char why[PATH_MAX + 64];
	if (root < 0 || w.fault == LJ_WALK_ERRNO) {
		printf("loginjail: warning: %s:%u: %s = %s: %s: logins it applies to are refused "
		       "while it is missing\n",
		       file, line, lj_key_name(k), path,
		       root < 0 ? "cannot open /" : lj_walk_describe(&w, why, sizeof(why)));
		return;
	}
	(*problems)++;
	fprintf(stderr,
		"%s:%u: %s = %s: %s; the logins of [%s] are refused: every directory on the "
		"way must be root's and writable only by root, and no component a link%s\n",
		file, line, lj_key_name(k), path, lj_walk_describe(&w, why, sizeof(why)), section,
		pw && strcmp(pw->pw_dir, w.at) == 0
			? " (a path under a user's home only in that user's section; %h/... "
			  "is each user's own home)"
			: "");
}

/* A warning, not a problem: sandboxes without a memory or process limit. */
static void warn_limits(const struct lj_config *cfg)
{
	static struct lj_diag warn;

	memset(&warn, 0, sizeof(warn));
	lj_config_warn_limits(cfg, &warn);
	for (size_t i = 0; i < warn.n; i++)
		printf("loginjail: warning: %s\n", warn.msg[i]);
	if (warn.dropped)
		printf("loginjail: warning: ... and %zu more sections without limits\n",
		       warn.dropped);
}

/* Accounts whose login shell is loginjail-shell but whom it will not put
 * into a sandbox: root (refused), and users whose policy says sandbox = no
 * (their shell runs on the host, with no_new_privs). Read from the accounts
 * NSS enumerates (local files; LDAP or SSSD may list none). */
static void warn_shell_accounts(const struct lj_config *cfg)
{
	static struct lj_user u;
	static struct lj_diag diag;
	struct passwd *pw;
	setpwent();
	while ((pw = getpwent())) {
		const char *base = pw->pw_shell ? strrchr(pw->pw_shell, '/') : NULL;
		if (!base || strcmp(base + 1, "loginjail-shell") != 0)
			continue;
		if (pw->pw_uid == 0) {
			printf("loginjail: warning: %s (uid 0) has loginjail-shell as login shell, "
			       "which refuses root: give it a shell of its own\n",
			       pw->pw_name);
			continue;
		}
		struct lj_err e = {""};
		struct lj_policy pol;
		if (lj_user_lookup(pw->pw_name, &u, &e) < 0)
			continue;
		memset(&diag, 0, sizeof(diag));
		if (lj_policy_resolve(cfg, u.name, u.groups, u.ngroup_names, &pol, &diag) == 0) {
			if (!pol.sandbox)
				printf("loginjail: warning: user %s has loginjail-shell as login "
				       "shell but no sandbox by policy: the shell runs on the "
				       "host, with no_new_privs (loginjail-shell(8))\n",
				       u.name);
			lj_policy_free(&pol);
		}
		lj_user_free(&u);
	}
	endpwent();
}

static int cmd_check(int argc, char **argv)
{
	struct options o;
	struct lj_config *cfg;
	bool broken;
	int ret = parse_options(argc, argv, false, &o);

	if (ret)
		return ret;
	if (o.help) {
		usage(stdout);
		return EXIT_OK;
	}
	if (o.nargs != 0)
		return usage_error("check: unexpected argument '%s'", o.args[0]);
	cfg = load(o.config_dir, &broken);
	int unsafe = 0;
	lj_config_each_path(cfg, check_bind_path, &unsafe);
	if (unsafe) {
		fprintf(stderr,
			"loginjail: configuration UNSAFE (%d bind or device paths): the logins "
			"they apply to are refused\n",
			unsafe);
		broken = true;
	} else if (!broken)
		printf("loginjail: configuration OK (%zu files, %zu sections)\n",
		       lj_config_nfiles(cfg), lj_config_nsections(cfg));
	if (cfg) {
		warn_limits(cfg);
		warn_shell_accounts(cfg);
	}
	advise_favordynmods();
	warn_slice_dropins();
	if (cfg)
		warn_host_network(cfg);
	warn_pam_controls();
	if (check_pam_stacks() > 0)
		broken = true;
	lj_config_free(cfg);
	return broken ? EXIT_INVALID : EXIT_OK;
}

/* A list of group names, owning its strings. */
struct groups {
	size_t n;
	char *v[LJ_MAX_GROUPS];
};

static void groups_free(struct groups *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i]);
	g->n = 0;
}

static int groups_add(struct groups *g, const char *name, size_t len)
{
	for (size_t i = 0; i < g->n; i++) {
		if (strlen(g->v[i]) == len && strncmp(g->v[i], name, len) == 0)
			return 0;
	}
	if (g->n >= LJ_MAX_GROUPS) {
		fprintf(stderr, "loginjailctl: more than %d groups\n", LJ_MAX_GROUPS);
		return -1;
	}
	g->v[g->n] = strndup(name, len);
	if (!g->v[g->n]) {
		fprintf(stderr, "loginjailctl: out of memory\n");
		return -1;
	}
	g->n++;
	return 0;
}

static int groups_from_list(const char *list, struct groups *g)
{
	const char *p = list;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0) {
			fprintf(stderr, "loginjailctl: --groups: empty group name in '%s'\n", list);
			return -1;
		}
		if (groups_add(g, p, len) < 0)
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* The user's groups as NSS sees them, primary and supplementary, named as
 * the helper names them (lj_user_lookup): explain resolves what a login
 * would. */
static int groups_from_nss(const char *user, struct groups *g)
{
	struct lj_user u;
	struct lj_err e = {""};
	int r = lj_user_lookup(user, &u, &e);
	if (r < 0 && !getpwnam(user))
		fprintf(stderr,
			"loginjailctl: unknown user %s: give the groups with --groups G1,G2 to "
			"explain a user that does not exist here\n",
			user);
	else if (r < 0)
		fprintf(stderr, "loginjailctl: %s\n", e.msg);
	for (size_t i = 0; r == 0 && i < u.ngroups; i++)
		if (!u.group_names[i])
			fprintf(stderr,
				"loginjailctl: note: gid %u of %s has no name a policy can "
				"use; ignored\n",
				(unsigned)u.gids[i], user);
		else if (groups_add(g, u.group_names[i], strlen(u.group_names[i])) < 0)
			r = -1;
	lj_user_free(&u);
	return r;
}

int ctl_policy_of(const char *dir, const struct passwd *pw, struct lj_policy *pol,
		  struct lj_config **cfg)
{
	static struct groups g;
	static struct lj_diag diag;
	bool broken;
	if (groups_from_nss(pw->pw_name, &g) < 0) {
		groups_free(&g);
		return EXIT_LOOKUP;
	}
	*cfg = load(dir, &broken);
	memset(&diag, 0, sizeof(diag));
	int r = *cfg ? lj_policy_resolve(*cfg, pw->pw_name, (const char *const *)g.v, g.n, pol,
					 &diag)
		     : -1;
	groups_free(&g);
	if (r == 0)
		return EXIT_OK;
	print_diag(&diag);
	fprintf(stderr, "loginjail: no policy for %s: their logins are refused\n", pw->pw_name);
	lj_config_free(*cfg);
	*cfg = NULL;
	return EXIT_INVALID;
}

/* "(smallest of 2 groups)": how the value was chosen, for explain. */
static void describe(const struct lj_policy *pol, enum lj_key k, char *buf, size_t len)
{
	const struct lj_origin *o = &pol->origin[k];
	const char *how = "last read of";

	buf[0] = '\0';
	if (!o->file) {
		snprintf(buf, len, "(built-in default%s)",
			 k == LJ_KEY_TMP_SIZE ? ": half of memory_max" : "");
		return;
	}
	if (strncmp(o->section, "user:", 5) == 0) {
		if (o->ngroups)
			snprintf(buf, len, "%s:%u [%s] (overrides %u group%s)", o->file, o->line,
				 o->section, o->ngroups, o->ngroups > 1 ? "s" : "");
		else
			snprintf(buf, len, "%s:%u [%s]", o->file, o->line, o->section);
		return;
	}
	if (o->ngroups < 2) {
		snprintf(buf, len, "%s:%u [%s]", o->file, o->line, o->section);
		return;
	}
	if (lj_key_smallest_wins(k))
		how = "smallest of";
	switch (k) {
	case LJ_KEY_SANDBOX:
		how = pol->sandbox ? "yes wins over" : "no in all";
		break;
	case LJ_KEY_ON_ERROR:
		how = pol->on_error == LJ_ON_ERROR_DENY ? "deny wins over" : "allow in all";
		break;
	default:
		break;
	}
	snprintf(buf, len, "%s:%u [%s] (%s %u groups)", o->file, o->line, o->section, how,
		 o->ngroups);
}

static int cmd_explain(int argc, char **argv)
{
	struct options o;
	static struct groups g;
	static struct lj_diag diag;
	struct lj_policy pol;
	struct lj_config *cfg;
	bool broken;
	char value[LJ_KEY__COUNT][2048];
	int width = 10, ret = parse_options(argc, argv, true, &o);
	const char *user;

	if (ret)
		return ret;
	if (o.help) {
		usage(stdout);
		return EXIT_OK;
	}
	if (o.nargs != 1)
		return usage_error("explain: give exactly one USER");
	user = o.args[0];
	if (o.groups ? groups_from_list(o.groups, &g) < 0 : groups_from_nss(user, &g) < 0) {
		groups_free(&g);
		return o.groups ? EXIT_USAGE : EXIT_LOOKUP;
	}
	cfg = load(o.config_dir, &broken);
	if (!cfg) {
		groups_free(&g);
		return EXIT_INVALID;
	}
	memset(&diag, 0, sizeof(diag));
	if (lj_policy_resolve(cfg, user, (const char *const *)g.v, g.n, &pol, &diag) < 0) {
		print_diag(&diag);
		fprintf(stderr, "loginjail: no policy for %s: their logins would be refused\n",
			user);
		lj_config_free(cfg);
		groups_free(&g);
		return EXIT_INVALID;
	}
	printf("policy of %s (groups:", user);
	for (size_t i = 0; i < g.n; i++)
		printf("%s%s", i ? ", " : " ", g.v[i]);
	printf("%s)\n", g.n ? "" : " none");
	for (int k = 0; k < LJ_KEY__COUNT; k++) {
		int n;
		lj_policy_format(&pol, (enum lj_key)k, value[k], sizeof(value[k]));
		if (value[k][0] == '\0')
			snprintf(value[k], sizeof(value[k]), "(none)");
		n = (int)strlen(value[k]);
		if (n > width && n <= 40)
			width = n;
	}
	for (int k = 0; k < LJ_KEY__COUNT; k++) {
		char from[1024];
		describe(&pol, (enum lj_key)k, from, sizeof(from));
		printf("%-16s %-*s %s\n", lj_key_name((enum lj_key)k), width, value[k], from);
	}
	lj_policy_free(&pol);
	lj_config_free(cfg);
	groups_free(&g);
	return broken ? EXIT_INVALID : EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
	usage(stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("missing command");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(argv[1], c->name) == 0)
			return c->run(argc - 1, argv + 1);
	}
	return usage_error("unknown command '%s'", argv[1]);
}
