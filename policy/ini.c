/* The iniparser bridge. iniparser (4.1) reads the exact bytes that the scan
 * accepted, from a sealed memfd, and must see exactly what the scan saw:
 * same sections, same keys, same values. Values are then taken with
 * iniparser_getstring only (never getboolean/getint: CVE-2023-33461, base-0
 * strtol) and parsed by our own parsers. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include <iniparser.h>

#include "internal.h"
#include "util.h"

/* iniparser reports errors through one process-wide callback; point it at the
 * diagnostics of the load in progress instead of stderr. */
static _Thread_local struct {
	struct lj_diag *diag;
	const char *file;
} ini_ctx;

static int __attribute__((format(printf, 1, 2))) ini_error(const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (char *p = msg; *p; p++) {
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	}
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == ' ')
		msg[--n] = '\0';
	lj_diag_add(ini_ctx.diag, "%s: iniparser rejected the file: %s", ini_ctx.file, msg);
	return 0;
}

static int write_memfd(const char *file, const char *buf, size_t len, struct lj_diag *diag)
{
	cleanup_close int fd = memfd_create("loginjail-policy", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	size_t off = 0;

	if (fd < 0) {
		lj_diag_add(diag, "%s: cannot create a memfd for iniparser: %s", file,
			    strerror(errno));
		return -1;
	}
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			lj_diag_add(diag, "%s: cannot write the memfd for iniparser: %s", file,
				    strerror(errno));
			return -1;
		}
		off += (size_t)w;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		lj_diag_add(diag, "%s: cannot seal the memfd for iniparser: %s", file,
			    strerror(errno));
		return -1;
	}
	return lj_steal_fd(&fd);
}

static void lower(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (char)(src[i] - 'A' + 'a') : src[i];
	dst[i] = '\0';
}

/* Does a broken section of this file share SEC's name? iniparser merges
 * sections of one name, so SEC cannot be compared with what it saw. */
static bool shares_name_with_broken(const struct lj_config *cfg, size_t first,
				    const struct lj_section *sec)
{
	for (size_t i = first; i < cfg->nsections; i++) {
		const struct lj_section *o = &cfg->sections[i];
		if (o != sec && o->broken && strcasecmp(o->name, sec->name) == 0)
			return true;
	}
	return false;
}

/* Every scanned section and key must be in D with the scanned value, and D
 * must hold nothing else. Then the values are parsed from D. Broken
 * sections are not compared (their values are parsed as scanned, to report
 * them); when the scan found some, the lines it refused are in D under
 * those sections, so each other section's key count is compared instead of
 * the file's. */
static int compare(dictionary *d, struct lj_config *cfg, size_t first, const char *file,
		   struct lj_diag *diag)
{
	static const char missing[] = "(missing)";
	size_t expected = 0;
	bool some_broken = false;
	int ret = 0;

	for (size_t i = first; i < cfg->nsections; i++)
		some_broken |= cfg->sections[i].broken;
	for (size_t i = first; i < cfg->nsections; i++) {
		struct lj_section *sec = &cfg->sections[i];
		char entry[LJ_LINE_MAX_BYTES + 64];
		char lname[LJ_LINE_MAX_BYTES + 1];
		size_t nkeys = 0;

		if (sec->broken || shares_name_with_broken(cfg, first, sec)) {
			lj_section_parse_values(sec, diag);
			continue;
		}
		lower(lname, sec->name, sizeof(lname));
		expected++;
		if (iniparser_getstring(d, lname, missing) != NULL) {
			lj_diag_add(diag, "%s:%u: iniparser did not see section [%s]", file,
				    sec->line, sec->name);
			ret = -1;
		}
		for (int k = 0; k < LJ_KEY__COUNT; k++) {
			struct lj_setting *st = &sec->set[k];
			const char *val;

			if (!st->set)
				continue;
			expected++;
			nkeys++;
			snprintf(entry, sizeof(entry), "%s:%s", lname, lj_keys[k].name);
			val = iniparser_getstring(d, entry, missing);
			if (val == missing || val == NULL || strcmp(val, st->text) != 0) {
				lj_section_error(sec, st->line, diag,
						 "iniparser read %s in [%s] as '%s', loginjail as "
						 "'%s': rewrite the line plainly",
						 lj_keys[k].name, sec->name, val ? val : "(null)",
						 st->text);
				continue;
			}
			lj_setting_parse(sec, (enum lj_key)k, val, diag);
		}
		if (some_broken && iniparser_getsecnkeys(d, lname) != (int)nkeys)
			lj_section_error(
				sec, sec->line, diag,
				"iniparser saw %d keys in [%s], loginjail %zu: the section "
				"uses syntax that the two read differently",
				iniparser_getsecnkeys(d, lname), sec->name, nkeys);
	}
	/* d->n is an int in iniparser 4.1 and unsigned in 4.2: a negative
	 * count becomes a huge one here. */
	if (!some_broken && (size_t)d->n != expected) {
		lj_diag_add(diag,
			    "%s: iniparser saw %lld sections and keys, loginjail %zu: the file "
			    "uses syntax that the two read differently",
			    file, (long long)d->n, expected);
		ret = -1;
	}
	return ret;
}

int lj_ini_crosscheck(struct lj_config *cfg, size_t first, const char *file, const char *buf,
		      size_t len, struct lj_diag *diag)
{
	cleanup_close int fd = write_memfd(file, buf, len, diag);
	char path[64];
	dictionary *d;
	int ret;

	if (fd < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ini_ctx.diag = diag;
	ini_ctx.file = file;
	iniparser_set_error_callback(ini_error);
	d = iniparser_load(path);
	iniparser_set_error_callback(NULL);
	ini_ctx.diag = NULL;
	ini_ctx.file = NULL;
	if (!d) {
		lj_diag_add(diag, "%s: iniparser could not load the file (is /proc mounted?)",
			    file);
		return -1;
	}
	ret = compare(d, cfg, first, file, diag);
	iniparser_freedict(d);
	return ret;
}
