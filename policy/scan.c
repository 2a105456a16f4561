/* loginjail's own reading of a policy file, line by line, before iniparser
 * sees it. The grammar is a strict subset of what iniparser 4.1 accepts, so
 * that iniparser's quirks (lower-casing, last duplicate wins, quotes, inline
 * comments, '\' continuations, silently skipped lines) never change a decision:
 *
 *   blank line | # comment | ; comment
 *   [default] | [group:NAME] | [user:NAME]        (NAME: lj_check_name)
 *   key = value                                   (key: known, [a-z_]+)
 *
 * Leading and trailing spaces and tabs are ignored.
 *
 * An error is charged to the section it is in when the line is a key line
 * under a header that was read (an unknown key, a bad or quoted value, a key
 * set twice) or the header is a name used before: that section is broken.
 * Anything else (bytes that are not text, a line that is neither comment,
 * header nor key, a header that cannot be read, a key before any header)
 * leaves no telling whom the rest of the file is for: the file is broken. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

struct scan {
	struct lj_config *cfg;
	const char *file;
	struct lj_diag *diag;
	unsigned line;
	size_t nsections; /* of this file */
	struct lj_section *cur;
	bool in_broken; /* after a rejected header: its keys are skipped quietly */
	bool failed;
};

static void __attribute__((format(printf, 2, 3))) scan_error(struct scan *sc, const char *fmt, ...)
{
	char msg[448];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lj_diag_add(sc->diag, "%s:%u: %s", sc->file, sc->line, msg);
	sc->failed = true;
}

static bool is_lower_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

/* An error in a key line: the current section's, or, outside any section,
 * the file's. */
static void __attribute__((format(printf, 2, 3))) key_error(struct scan *sc, const char *fmt, ...)
{
	char msg[448];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sc->cur)
		lj_section_error(sc->cur, sc->line, sc->diag, "%s", msg);
	else
		scan_error(sc, "%s", msg);
}

/* Adds a section named NAME (a copy is made). A name already used in the
 * configuration gives a broken section: whoever either may apply to gets no
 * policy. Returns NULL when it cannot be added. */
static struct lj_section *add_section(struct scan *sc, enum lj_section_kind kind, const char *name,
				      size_t ident_off)
{
	struct lj_config *cfg = sc->cfg;
	const struct lj_section *dup = NULL;
	struct lj_section *sec;

	if (sc->nsections >= LJ_SECTIONS_PER_FILE || cfg->nsections >= LJ_SECTIONS_TOTAL) {
		scan_error(sc, "too many sections (at most %d per file, %d in all)",
			   LJ_SECTIONS_PER_FILE, LJ_SECTIONS_TOTAL);
		return NULL;
	}
	if (cfg->nsections == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 16;
		struct lj_section *n = realloc(cfg->sections, cap * sizeof(*n));
		if (!n) {
			scan_error(sc, "out of memory");
			return NULL;
		}
		cfg->sections = n;
		cfg->cap = cap;
	}
	for (size_t i = 0; i < cfg->nsections && !dup; i++) {
		if (strcasecmp(cfg->sections[i].name, name) == 0)
			dup = &cfg->sections[i];
	}
	sec = &cfg->sections[cfg->nsections];
	memset(sec, 0, sizeof(*sec));
	sec->name = strdup(name);
	if (!sec->name) {
		scan_error(sc, "out of memory");
		return NULL;
	}
	sec->kind = kind;
	sec->ident = sec->name + ident_off;
	sec->file = sc->file;
	sec->line = sc->line;
	cfg->nsections++;
	sc->nsections++;
	if (dup && strcmp(dup->name, name) == 0)
		lj_section_error(sec, sc->line, sc->diag,
				 "duplicate section [%s] (first at %s:%u): merge the two", name,
				 dup->file, dup->line);
	else if (dup)
		lj_section_error(sec, sc->line, sc->diag,
				 "section [%s] differs from [%s] (%s:%u) only in letter case; "
				 "section names are compared without case: merge or rename them",
				 name, dup->name, dup->file, dup->line);
	return sec;
}

static void scan_header(struct scan *sc, const char *s, size_t len)
{
	char name[LJ_LINE_MAX_BYTES + 1];
	const char *close = memchr(s, ']', len);
	enum lj_section_kind kind;
	size_t nlen, off;
	const char *why;

	sc->cur = NULL;
	sc->in_broken = true;
	if (!close || (size_t)(close - s) != len - 1) {
		scan_error(sc, "text after the section header: a header is a line of its own, "
			       "like [group:students]");
		return;
	}
	nlen = len - 2;
	memcpy(name, s + 1, nlen);
	name[nlen] = '\0';
	if (strcmp(name, "default") == 0) {
		kind = LJ_SEC_DEFAULT;
		off = nlen;
	} else if (strncmp(name, "group:", 6) == 0) {
		kind = LJ_SEC_GROUP;
		off = 6;
	} else if (strncmp(name, "user:", 5) == 0) {
		kind = LJ_SEC_USER;
		off = 5;
	} else {
		scan_error(sc, "unknown section [%s]: use [default], [group:NAME] or [user:NAME]",
			   name);
		return;
	}
	if (kind != LJ_SEC_DEFAULT && lj_check_name(name + off, &why) < 0) {
		scan_error(sc, "invalid %s name in [%s]: %s",
			   kind == LJ_SEC_GROUP ? "group" : "user", name, why);
		return;
	}
	sc->cur = add_section(sc, kind, name, off);
	sc->in_broken = sc->cur == NULL;
}

static void scan_keyvalue(struct scan *sc, const char *s, size_t len, const char *eq)
{
	char key[LJ_LINE_MAX_BYTES + 1], value[LJ_LINE_MAX_BYTES + 1];
	const char *k = s, *kend = eq, *v = eq + 1, *vend = s + len;
	struct lj_setting *st;
	bool lower = true;
	int idx;

	while (kend > k && (kend[-1] == ' ' || kend[-1] == '\t'))
		kend--;
	while (v < vend && (*v == ' ' || *v == '\t'))
		v++;
	memcpy(key, k, (size_t)(kend - k));
	key[kend - k] = '\0';
	memcpy(value, v, (size_t)(vend - v));
	value[vend - v] = '\0';

	if (key[0] == '\0') {
		scan_error(sc, "missing key name before '='");
		return;
	}
	for (const char *p = key; *p; p++) {
		if (!is_lower_key_char(*p))
			lower = false;
	}
	idx = lower ? lj_key_lookup(key) : -1;
	if (idx < 0) {
		char lc[sizeof(key)];
		size_t i;
		for (i = 0; key[i]; i++)
			lc[i] = (key[i] >= 'A' && key[i] <= 'Z') ? (char)(key[i] - 'A' + 'a')
								 : key[i];
		lc[i] = '\0';
		if (!lower && lj_key_lookup(lc) >= 0)
			key_error(sc, "key '%s' must be written in lower case: %s", key, lc);
		else
			key_error(
				sc,
				"unknown key '%s': known keys are sandbox, network, hostname, "
				"memory_max, memory_swap_max, pids_max, cpu_max, io_weight, ro_bind, "
				"bind, tmp, tmp_size, ptys, home, share, linger, on_error, "
				"user_manager, shell, syslog, devices",
				key);
		return;
	}
	if (!sc->cur) {
		if (!sc->in_broken)
			scan_error(sc,
				   "key '%s' outside a section: put it under [default], "
				   "[group:NAME] or [user:NAME]",
				   key);
		return;
	}
	for (const char *p = value; *p; p++) {
		if (*p == '"' || *p == '\'' || *p == ';' || *p == '#' || *p == '\\') {
			key_error(sc,
				  "%s: the value contains '%c': quotes, inline comments and '\\' "
				  "are not supported (put comments on a line of their own)",
				  key, *p);
			return;
		}
	}
	st = &sc->cur->set[idx];
	if (st->set) {
		key_error(sc, "duplicate key '%s' in [%s] (first set at line %u): keep one", key,
			  sc->cur->name, st->line);
		return;
	}
	if (sc->cfg->nkeys >= LJ_KEYS_TOTAL) {
		key_error(sc, "too many keys (at most %d in all files)", LJ_KEYS_TOTAL);
		return;
	}
	st->text = strdup(value);
	if (!st->text) {
		scan_error(sc, "out of memory");
		return;
	}
	st->set = true;
	st->line = sc->line;
	sc->cfg->nkeys++;
}

/* Checks the bytes of one line (without its newline). Returns false when the
 * rest of the file cannot be read as text. */
static bool check_bytes(struct scan *sc, const char *s, size_t len, bool has_newline, bool *line_ok)
{
	*line_ok = true;
	if (len + (has_newline ? 1 : 0) > LJ_LINE_MAX_BYTES) {
		scan_error(sc, "line is %zu bytes long; the limit is %d bytes: split it",
			   len + (has_newline ? 1 : 0), LJ_LINE_MAX_BYTES);
		*line_ok = false;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\0') {
			scan_error(sc, "NUL byte at column %zu: a policy file is text; remove it",
				   i + 1);
			return false;
		}
		if (c == '\r') {
			if (i + 1 == len && has_newline)
				scan_error(sc, "CRLF line ending: convert the file with dos2unix");
			else
				scan_error(sc, "carriage return at column %zu: remove it", i + 1);
			return false;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			if (*line_ok)
				scan_error(sc, "control character 0x%02x at column %zu: remove it",
					   c, i + 1);
			*line_ok = false;
		}
	}
	return true;
}

int lj_scan(struct lj_config *cfg, const char *file, const char *buf, size_t len,
	    struct lj_diag *diag)
{
	struct scan sc = {.cfg = cfg, .file = file, .diag = diag};
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;
		const char *s = p, *e = lend, *eq;
		bool line_ok;
		size_t slen;

		sc.line++;
		p = nl ? nl + 1 : end;
		if (!check_bytes(&sc, s, (size_t)(lend - s), nl != NULL, &line_ok))
			break;
		if (!line_ok)
			continue;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		slen = (size_t)(e - s);
		if (slen == 0)
			continue;
		if (e[-1] == '\\') {
			scan_error(&sc,
				   "line ends with '\\' (iniparser would join it with the next "
				   "line): remove it");
			continue;
		}
		if (*s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			scan_header(&sc, s, slen);
			continue;
		}
		eq = memchr(s, '=', slen);
		if (!eq) {
			scan_error(&sc, "expected a [section] header, a comment or key = value");
			continue;
		}
		scan_keyvalue(&sc, s, slen, eq);
	}
	return sc.failed ? -1 : 0;
}
