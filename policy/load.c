/* Reading policy files safely: every file and directory is opened without
 * following symlinks and trusted only after fstat on that very descriptor
 * says root owns it and nobody else can write it (SECURITY.md rule 8). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "util.h"

#define MAIN_FILE "loginjail.conf"
#define POLICY_DIR "policy.d"

static int check_trusted(int fd, const char *path, bool dir, struct lj_diag *diag)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		lj_diag_add(diag, "%s: cannot stat: %s", path, strerror(errno));
		return -1;
	}
	if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
		lj_diag_add(diag, "%s: not a %s", path,
			    dir ? "directory" : "regular file: policy files must be plain files");
		return -1;
	}
	if (st.st_uid != 0) {
		lj_diag_add(diag,
			    "%s: owned by uid %u, not root: only root-owned policy is trusted "
			    "(chown root %s)",
			    path, (unsigned)st.st_uid, path);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		lj_diag_add(diag,
			    "%s: group or world writable (mode %04o): only root may be able to "
			    "change policy (chmod go-w %s)",
			    path, (unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	if (!dir && st.st_size > LJ_FILE_MAX_BYTES) {
		lj_diag_add(diag,
			    "%s: %lld bytes long; the limit is %d bytes: split it into "
			    "several policy.d files",
			    path, (long long)st.st_size, LJ_FILE_MAX_BYTES);
		return -1;
	}
	return 0;
}

static int open_checked(int dirfd, const char *name, const char *path, bool dir,
			struct lj_diag *diag)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
	cleanup_close int fd = -1;

	/* O_NONBLOCK: a FIFO must fail the regular-file check, not hang us. */
	flags |= dir ? O_DIRECTORY : O_NONBLOCK;
	fd = openat(dirfd, name, flags);
	if (fd < 0) {
		if (errno == ELOOP)
			lj_diag_add(diag,
				    "%s: is a symbolic link: policy %s are not followed "
				    "through symlinks; use the real path",
				    path, dir ? "directories" : "files");
		else
			lj_diag_add(diag, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (check_trusted(fd, path, dir, diag) < 0)
		return -1;
	return lj_steal_fd(&fd);
}

/* Reads at most LJ_FILE_MAX_BYTES; a file that grew past it is refused. */
static char *read_bounded(int fd, const char *path, size_t *len, struct lj_diag *diag)
{
	cleanup_free char *buf = malloc(LJ_FILE_MAX_BYTES + 1);
	size_t n = 0;

	if (!buf) {
		lj_diag_add(diag, "%s: out of memory", path);
		return NULL;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, LJ_FILE_MAX_BYTES + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			lj_diag_add(diag, "%s: read error: %s", path, strerror(errno));
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > LJ_FILE_MAX_BYTES) {
			lj_diag_add(diag,
				    "%s: longer than %d bytes: split it into several policy.d "
				    "files",
				    path, LJ_FILE_MAX_BYTES);
			return NULL;
		}
	}
	*len = n;
	return steal_pointer(&buf);
}

/* Reads one policy file into cfg. DIRFD/NAME open it; PATH names it in
 * messages and provenance. */
static int load_one(struct lj_config *cfg, int dirfd, const char *name, const char *path,
		    struct lj_diag *diag)
{
	cleanup_close int fd = -1;
	cleanup_free char *buf = NULL;
	const char *file;
	size_t len, first;

	if (cfg->nfiles >= LJ_FILES_MAX + 1) {
		lj_diag_add(diag, "%s: too many policy files (at most %d in policy.d)", path,
			    LJ_FILES_MAX);
		return -1;
	}
	fd = open_checked(dirfd, name, path, false, diag);
	if (fd < 0)
		return -1;
	buf = read_bounded(fd, path, &len, diag);
	if (!buf)
		return -1;
	cfg->files[cfg->nfiles] = strdup(path);
	if (!cfg->files[cfg->nfiles]) {
		lj_diag_add(diag, "%s: out of memory", path);
		return -1;
	}
	file = cfg->files[cfg->nfiles++];
	first = cfg->nsections;
	if (lj_scan(cfg, file, buf, len, diag) < 0) {
		/* Still report bad values; iniparser is not consulted. */
		for (size_t i = first; i < cfg->nsections; i++)
			lj_section_parse_values(&cfg->sections[i], diag);
		return -1;
	}
	return lj_ini_crosscheck(cfg, first, file, buf, len, diag);
}

static struct lj_config *config_new(struct lj_diag *diag)
{
	struct lj_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		lj_diag_add(diag, "out of memory");
	return cfg;
}

void lj_config_free(struct lj_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nsections; i++) {
		struct lj_section *sec = &cfg->sections[i];
		for (int k = 0; k < LJ_KEY__COUNT; k++) {
			if (sec->set[k].parsed)
				lj_value_free((enum lj_key)k, &sec->set[k].v);
			free(sec->set[k].text);
		}
		free(sec->broken_why);
		free(sec->name);
	}
	free(cfg->sections);
	for (size_t i = 0; i < cfg->nfiles; i++)
		free(cfg->files[i]);
	free(cfg);
}

size_t lj_config_nfiles(const struct lj_config *cfg)
{
	return cfg ? cfg->nfiles : 0;
}

size_t lj_config_nsections(const struct lj_config *cfg)
{
	return cfg ? cfg->nsections : 0;
}

const char *lj_config_setting(const struct lj_config *cfg, size_t i, enum lj_key k,
			      struct lj_origin *at)
{
	if (!cfg || i >= cfg->nsections || !cfg->sections[i].set[k].set)
		return NULL;
	const struct lj_section *sec = &cfg->sections[i];
	*at = (struct lj_origin){.file = sec->file, .section = sec->name, .line = sec->set[k].line};
	return sec->set[k].text;
}

void lj_config_each_path(const struct lj_config *cfg, lj_path_fn *fn, void *arg)
{
	static const enum lj_key keys[] = {LJ_KEY_RO_BIND, LJ_KEY_BIND, LJ_KEY_DEVICES};
	for (size_t i = 0; cfg && i < cfg->nsections; i++) {
		const struct lj_section *sec = &cfg->sections[i];
		for (size_t k = 0; k < LJ_ARRAY_SIZE(keys); k++) {
			const struct lj_setting *set = &sec->set[keys[k]];
			for (size_t p = 0; set->parsed && p < set->v.paths.n; p++)
				fn(sec->file, set->line, keys[k], sec->name, set->v.paths.v[p],
				   arg);
		}
	}
}

/* 0, or 1 when some section is broken. */
static int loaded(struct lj_config *cfg, struct lj_config **out)
{
	*out = cfg;
	for (size_t i = 0; i < cfg->nsections; i++) {
		if (cfg->sections[i].broken)
			return 1;
	}
	return 0;
}

int lj_config_load_file(const char *path, struct lj_config **out, struct lj_diag *diag)
{
	struct lj_config *cfg;

	*out = NULL;
	cfg = config_new(diag);
	if (!cfg)
		return -1;
	if (load_one(cfg, AT_FDCWD, path, path, diag) < 0) {
		lj_config_free(cfg);
		return -1;
	}
	return loaded(cfg, out);
}

/* policy.d entries that are read: [A-Za-z0-9_-]+.conf; editor and package
 * manager leftovers (*.conf.example, *.dpkg-old, *~) are not. */
static int policy_name(const struct dirent *de)
{
	const char *s = de->d_name;
	size_t len = strlen(s);

	if (len <= 5 || strcmp(s + len - 5, ".conf") != 0)
		return 0;
	for (size_t i = 0; i < len - 5; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* Byte order, whatever the locale: "10-a.conf" before "20-b.conf". */
static int c_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void join(char *out, size_t len, const char *dir, const char *name)
{
	size_t n = strlen(dir);

	snprintf(out, len, "%s%s%s", dir, (n && dir[n - 1] == '/') ? "" : "/", name);
}

static int load_policy_dir(struct lj_config *cfg, int dirfd, const char *dir, struct lj_diag *diag)
{
	char path[4096];
	cleanup_close int pfd = -1;
	struct dirent **list = NULL;
	struct stat st;
	int n, ret = 0;

	join(path, sizeof(path), dir, POLICY_DIR);
	if (fstatat(dirfd, POLICY_DIR, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT)
		return 0; /* policy.d is optional */
	pfd = open_checked(dirfd, POLICY_DIR, path, true, diag);
	if (pfd < 0)
		return -1;
	n = scandirat(pfd, ".", &list, policy_name, c_order);
	if (n < 0) {
		lj_diag_add(diag, "%s: cannot list: %s", path, strerror(errno));
		return -1;
	}
	if (n > LJ_FILES_MAX) {
		lj_diag_add(diag, "%s: %d policy files; the limit is %d", path, n, LJ_FILES_MAX);
		ret = -1;
	}
	for (int i = 0; i < n; i++) {
		char fpath[4096 + 256];

		/* Go on after a bad file: check reports every problem at once;
		 * too many files: read none. */
		join(fpath, sizeof(fpath), path, list[i]->d_name);
		if (n <= LJ_FILES_MAX) {
			if (load_one(cfg, pfd, list[i]->d_name, fpath, diag) < 0)
				ret = -1;
		}
		free(list[i]);
	}
	free(list);
	return ret;
}

int lj_config_load(const char *dir, struct lj_config **out, struct lj_diag *diag)
{
	char path[4096];
	cleanup_close int dfd = -1;
	struct lj_config *cfg;
	int ret = 0;

	*out = NULL;
	cfg = config_new(diag);
	if (!cfg)
		return -1;
	dfd = open_checked(AT_FDCWD, dir, dir, true, diag);
	if (dfd < 0) {
		lj_config_free(cfg);
		return -1;
	}
	join(path, sizeof(path), dir, MAIN_FILE);
	if (load_one(cfg, dfd, MAIN_FILE, path, diag) < 0)
		ret = -1;
	if (load_policy_dir(cfg, dfd, dir, diag) < 0)
		ret = -1;
	if (ret < 0) {
		lj_config_free(cfg);
		return -1;
	}
	return loaded(cfg, out);
}
