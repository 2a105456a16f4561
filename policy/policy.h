/* loginjail policy engine: reads /etc/loginjail/loginjail.conf and
 * policy.d/\*.conf, and resolves the policy of one user.
 *
 * Files are trusted only when root-owned and not group/world writable
 * (checked with fstat on the descriptor that is parsed). Every value is
 * parsed by the strict parsers below; iniparser only splits lines.
 *
 * Precedence: [default] < [group:NAME] (every group of the user) < [user:NAME].
 * Between two group sections that set the same key:
 *   memory_max, memory_swap_max, pids_max, cpu_max, io_weight, tmp_size,
 *   ptys: the smallest;
 *   sandbox: yes wins; on_error: deny wins;
 *   every other key: the section read last (file order, then line order).
 * A section name may appear only once in the whole configuration (compared
 * without regard to letter case: iniparser lower-cases section names).
 *
 * Values and their ranges (loginjail.conf(5) says the same):
 *   sandbox yes|no; network none|loopback|host; tmp private|shared;
 *   home bind|tmpfs; share user|session; on_error deny|allow;
 *   hostname: RFC 1123 labels, %u = user name, %% = %, at most 64 bytes
 *   (the user name is mapped to host name characters: lj_hostname_expand);
 *   memory_max: 1M..1024T or max (suffixes K M G T are powers of 1024);
 *   memory_swap_max: 0 (no swap), 1M..1024T or max;
 *   pids_max: 1..4194304 or max; cpu_max: 1%..100000% or max (100% = one CPU);
 *   io_weight: 1..10000; linger: 0..31536000 seconds or forever;
 *   tmp_size: 1M..1024T or max (the kernel's tmpfs default, half of RAM);
 *   unset, half of memory_max (max when memory_max is max);
 *   ptys: 1..1048576 (the kernel's NR_UNIX98_PTY_MAX); default 64;
 *   ro_bind, bind: up to 32 paths separated by spaces: absolute, not /, not
 *   under /proc, /sys, /tmp, /dev/pts, /dev/shm or LJ_RUNDIR, not /dev; or
 *   %h/PATH, under the user's home (the user's own: see helper/binds.c);
 *   an empty value is the empty list;
 *   shell: the program loginjail-shell runs, an absolute path (not %h/) of
 *   at most 255 bytes; unset, the account's shell (/bin/sh when that is
 *   loginjail-shell itself). It does not shape the sandbox (no digest).
 *   devices: up to 32 paths separated by spaces, each written exactly as
 *   /dev/NAME[/NAME...] (no '.', '..', '//' or trailing '/', not under
 *   /dev/pts or /dev/shm); whether each is a character device the sandbox
 *   may have is seen on the host (lj_device_open); empty, the empty list.
 * Numbers are decimal digits only: no sign, no 0x, no exponent, no leading
 * zero, no spaces or junk inside the value.
 *
 * Files: regular, opened with O_NOFOLLOW, owned by root, not group/world
 * writable; at most 64 KiB, lines at most 1000 bytes (newline included),
 * 256 sections per file, 4096 sections and 2048 keys in all, 256 files in
 * policy.d; no NUL, no CR, no other control character but tab; no quotes,
 * inline comments or '\' line continuations in values.
 */
#ifndef LJ_POLICY_H
#define LJ_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

#define LJ_UNLIMITED UINT64_MAX /* memory, pids, cpu: "max" */
#define LJ_LINGER_FOREVER (-1)
#define LJ_HOSTNAME_MAX 64
#define LJ_MAX_BINDS 32
#define LJ_MAX_DEVICES LJ_MAX_BINDS /* a list of paths (struct lj_paths) too */
#define LJ_HOME_PREFIX "%h"	    /* a bind path under the user's home: "%h/.ssh" */
#define LJ_MAX_GROUPS 1024
#define LJ_PTYS_DEFAULT 64
#define LJ_PTYS_MAX 1048576 /* the kernel's NR_UNIX98_PTY_MAX */
#define LJ_SHELL_MAX 256

enum lj_network { LJ_NET_NONE, LJ_NET_LOOPBACK, LJ_NET_HOST };
enum lj_share { LJ_SHARE_USER, LJ_SHARE_SESSION };
enum lj_on_error { LJ_ON_ERROR_DENY, LJ_ON_ERROR_ALLOW };
enum lj_tmp { LJ_TMP_PRIVATE, LJ_TMP_SHARED };
enum lj_home { LJ_HOME_BIND, LJ_HOME_TMPFS };
/* The user manager (systemd --user) starts what the user asks for outside
 * every login's namespaces: for a sandboxed user it does not run. Running
 * it inside the sandbox needs a /run/user and a cgroup tree inside, which
 * the sandbox does not have yet. */
enum lj_user_manager { LJ_USER_MANAGER_NO };

/* One key per enumerator, in the order loginjailctl explain prints them. */
enum lj_key {
	LJ_KEY_SANDBOX,
	LJ_KEY_NETWORK,
	LJ_KEY_HOSTNAME,
	LJ_KEY_MEMORY_MAX,
	LJ_KEY_MEMORY_SWAP_MAX,
	LJ_KEY_PIDS_MAX,
	LJ_KEY_CPU_MAX,
	LJ_KEY_IO_WEIGHT,
	LJ_KEY_RO_BIND,
	LJ_KEY_BIND,
	LJ_KEY_TMP,
	LJ_KEY_TMP_SIZE,
	LJ_KEY_PTYS,
	LJ_KEY_HOME,
	LJ_KEY_SHARE,
	LJ_KEY_LINGER,
	LJ_KEY_ON_ERROR,
	LJ_KEY_USER_MANAGER,
	LJ_KEY_SHELL,
	LJ_KEY_SYSLOG,
	/* Last: the indices of the keys before it stay those of sandboxes
	 * built before it existed (loginjailctl reload compares by index). */
	LJ_KEY_DEVICES,
	LJ_KEY__COUNT
};

/* Where a resolved value came from; file == NULL means the built-in default. */
struct lj_origin {
	const char *file;    /* points into the lj_config that resolved it */
	const char *section; /* "default", "group:students", "user:alice" */
	unsigned line;
	/* How many of the user's group sections set this key (whatever section
	 * won): above 1, the merge rule between groups chose the value. */
	unsigned ngroups;
};

struct lj_paths {
	size_t n;
	char *v[LJ_MAX_BINDS]; /* absolute, normalised */
};

struct lj_policy {
	bool sandbox;			    /* default: no */
	enum lj_network network;	    /* default: loopback */
	char hostname[LJ_HOSTNAME_MAX + 1]; /* %u expanded; default "loginjail" */
	uint64_t memory_max;		    /* bytes; default LJ_UNLIMITED */
	uint64_t memory_swap_max;	    /* bytes; default LJ_UNLIMITED */
	uint64_t pids_max;		    /* default LJ_UNLIMITED */
	uint64_t cpu_max;		    /* percent of one CPU; default LJ_UNLIMITED */
	uint32_t io_weight;		    /* 1..10000; 0 = not set (default) */
	struct lj_paths ro_bind;	    /* default: empty */
	struct lj_paths bind;		    /* default: empty */
	enum lj_tmp tmp;		    /* default: private */
	uint64_t tmp_size;		    /* bytes in tmpfs; default memory_max / 2 */
	uint64_t ptys;			    /* devpts max=; default LJ_PTYS_DEFAULT */
	enum lj_home home;		    /* default: bind */
	enum lj_share share;		    /* default: user */
	int64_t linger;			    /* seconds, LJ_LINGER_FOREVER; default 0 */
	enum lj_on_error on_error;	    /* default: deny */
	enum lj_user_manager user_manager;  /* default: no */
	char shell[LJ_SHELL_MAX];	    /* loginjail-shell's; "": the default */
	bool syslog;			    /* /dev/log reaches the host's; default: yes */
	struct lj_paths devices;	    /* character devices; default: empty */
	struct lj_origin origin[LJ_KEY__COUNT];
};

/* Diagnostics: every problem found, each "file:line: message". */
#define LJ_DIAG_MAX 64
struct lj_diag {
	size_t n;
	size_t dropped; /* problems beyond LJ_DIAG_MAX */
	char msg[LJ_DIAG_MAX][512];
};
void lj_diag_add(struct lj_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct lj_config; /* opaque: every section of every file, with positions */

/* Load DIR/loginjail.conf (must exist) and DIR/policy.d/\*.conf (C-locale
 * order; the directory may be absent). Every problem goes to diag. Returns
 *   0: all is well;
 *   1: some sections are broken (an unknown key or a bad value in them, or
 *      a name used twice): *out holds the configuration, and
 *      lj_policy_resolve refuses every user a broken section may apply to;
 *  -1: nothing can be trusted (a file or directory unsafe, unreadable or
 *      missing, or a file with an error no section can be charged with:
 *      see scan.c); *out is NULL and nobody gets a policy. */
int lj_config_load(const char *dir, struct lj_config **out, struct lj_diag *diag);
/* Same, for one file only (the fuzz target and unit tests use it). */
int lj_config_load_file(const char *path, struct lj_config **out, struct lj_diag *diag);
void lj_config_free(struct lj_config *cfg);
/* What was read, for "configuration OK (N files, M sections)". */
size_t lj_config_nfiles(const struct lj_config *cfg);
size_t lj_config_nsections(const struct lj_config *cfg);
/* The value section I (below lj_config_nsections) sets key K to, as
 * written, with where in *at; NULL when that section does not set K. */
const char *lj_config_setting(const struct lj_config *cfg, size_t i, enum lj_key k,
			      struct lj_origin *at);
/* Every ro_bind, bind and devices path of every section, with where it is
 * written (SECTION as "default", "group:NAME", "user:NAME"). */
typedef void lj_path_fn(const char *file, unsigned line, enum lj_key k, const char *section,
			const char *path, void *arg);
void lj_config_each_path(const struct lj_config *cfg, lj_path_fn *fn, void *arg);

/* Resolve USER, a member of the NGROUPS groups named in GROUPS (primary and
 * supplementary). Returns 0, or -1 with the reason in diag: a broken section
 * may apply to the user ([default], or its name, compared without case, is
 * the user's or one of the groups'), or the policy sandboxes a user whose
 * name lj_check_name refuses; on
 * -1, *pol holds nothing to free. Any name resolves when the policy does not
 * sandbox it. Strings in pol->origin point into cfg: keep cfg alive while
 * using them. Names that are not valid (lj_check_name) match no section. */
int lj_policy_resolve(const struct lj_config *cfg, const char *user, const char *const *groups,
		      size_t ngroups, struct lj_policy *pol, struct lj_diag *diag);
void lj_policy_free(struct lj_policy *pol);

/* Adds to WARN one "file:line: ..." for each section that sandboxes its
 * users (sandbox = yes there or in [default]) while memory_max or pids_max
 * is max for them (set so, or set neither there nor in [default]), and
 * returns how many. Advice for loginjailctl check: a login is never refused
 * for it. */
size_t lj_config_warn_limits(const struct lj_config *cfg, struct lj_diag *warn);

/* Whether the groups that set key K give the smallest of their values. */
bool lj_key_smallest_wins(enum lj_key k);
/* Name and text of a resolved key, as written in a policy file
 * ("memory_max", "512M"); the text is written into buf. */
const char *lj_key_name(enum lj_key k);
const char *lj_policy_format(const struct lj_policy *pol, enum lj_key k, char *buf, size_t len);

/* SHA-256 of the resolved keys that shape a sandbox, each "key=value\n" as
 * lj_policy_format writes it: equal digests, the same sandbox. Leaves out
 * on_error and user_manager, which are decided at each login, and shell,
 * which only loginjail-shell reads; devices only when there are any, so
 * that a policy without them has the digest it had before the key. */
void lj_policy_digest(const struct lj_policy *pol, uint8_t out[32]);
/* The first 8 bytes of the SHA-256 of each key's "key=value\n", in enum
 * lj_key order, into the N slots of OUT (the rest zero, and devices' when
 * there are none): which keys differ between two policies (loginjailctl
 * reload). */
void lj_policy_key_digests(const struct lj_policy *pol, uint8_t (*out)[8], size_t n);

/* Strict value parsers (exported for unit tests and the fuzz target). Each
 * returns 0, or -1 with a reason ("not a number", "out of range") in *why. */
int lj_parse_size(const char *s, uint64_t *out, const char **why);    /* 512M, max */
int lj_parse_count(const char *s, uint64_t *out, const char **why);   /* 256, max */
int lj_parse_percent(const char *s, uint64_t *out, const char **why); /* 250%, max */
int lj_parse_uint_range(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, const char **why);
int lj_parse_bool(const char *s, bool *out, const char **why);	     /* yes|no */
int lj_parse_seconds(const char *s, int64_t *out, const char **why); /* N|forever */
int lj_parse_path(const char *s, char *out, size_t len, const char **why);
/* Fills *out (its previous contents are not freed); on -1 *out is empty.
 * An empty or all-blank string is the empty list. */
int lj_parse_path_list(const char *s, struct lj_paths *out, const char **why);
/* The same for the devices key: each path as its comment above says. */
int lj_parse_device_list(const char *s, struct lj_paths *out, const char **why);
void lj_paths_free(struct lj_paths *p);
int lj_check_hostname(const char *s, const char **why);
/* The host name of USER from a hostname template (already checked): %u is
 * the user name with each character a host name cannot hold (all but
 * letters, digits, '-' and '.') made '-', %% is %; the result is cut at 64
 * bytes, each label loses leading and trailing '-' and is cut at 63 bytes,
 * empty labels are dropped, and an empty result is "loginjail". Always a
 * valid host name (lj_check_hostname). LEN: at least LJ_HOSTNAME_MAX + 1. */
void lj_hostname_expand(const char *tpl, const char *user, char *out, size_t len);
/* User and group names (SECURITY.md rule 9): 1..64 bytes of [A-Za-z0-9_.@-]
 * plus an optional trailing '$' (Samba machine accounts), not starting with
 * '-' or '.', never containing "..". Safe as a path component. */
int lj_check_name(const char *s, const char **why);

/* device.c: a `devices =` path on the host (SECURITY.md rule 10), as
 * loginjailctl check and the helper both open it: walked from / without
 * following a link, through directories of root's that only root can write;
 * it must be a character device that does not hand the user the host
 * (lj_device_refusal). Returns an O_PATH descriptor, or -1 with why in BUF
 * ("/dev/net is a symbolic link", "a block device (7:0): ..."). */
int lj_device_open(const char *path, char *buf, size_t len);
/* Why a node of type and numbers MODE and RDEV, whose character major the
 * kernel names MAJOR_NAME (/proc/devices; NULL when unknown), is refused,
 * or NULL when it may be passed into a sandbox. */
const char *lj_device_refusal(mode_t mode, dev_t rdev, const char *major_name);

/* The account a policy is resolved for, from NSS on the host (SECURITY.md
 * rules 6, 12): user.c. */
struct lj_user {
	char *name; /* as NSS has it: not checked (lj_policy_resolve does) */
	uid_t uid;
	gid_t gid;
	char home[4096];
	size_t ngroups;
	gid_t gids[LJ_MAX_GROUPS];
	char *group_names[LJ_MAX_GROUPS];  /* NULL where a gid has no name */
	const char *groups[LJ_MAX_GROUPS]; /* the names there are, for resolve */
	size_t ngroup_names;
};
int lj_user_lookup(const char *name, struct lj_user *u, struct lj_err *e);
void lj_user_free(struct lj_user *u);

#endif
