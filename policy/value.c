/* Strict parsers for policy values and names.
 *
 * Every parser reads the whole string or fails: decimal digits only, no
 * sign, no base prefix, no exponent, no spaces, no leading zero, no junk
 * after the number; overflow is an error, never a wrap or a clamp. */
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define KIB 1024ULL
#define MIB (1024ULL * KIB)
#define TIB (1024ULL * 1024ULL * MIB)

#define SIZE_MIN_BYTES MIB
#define SIZE_MAX_BYTES (1024ULL * TIB) /* 1024T: far above any machine */
#define PIDS_LIMIT 4194304ULL	       /* the kernel's PID_MAX_LIMIT */
#define CPU_PERCENT_MAX 100000ULL      /* 1000 CPUs */
#define LINGER_MAX 31536000LL	       /* 365 days */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads the decimal number at the start of S into *out and sets *end after
 * it. Fails on no digit, a leading zero, or a value above UINT64_MAX. */
static int parse_decimal(const char *s, uint64_t *out, const char **end, const char **why)
{
	uint64_t v = 0;
	const char *p = s;

	if (*s == '\0') {
		*why = "empty value";
		return -1;
	}
	if (!is_digit(*s)) {
		*why = "not a number: write decimal digits only (no sign, no 0x, no spaces)";
		return -1;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		*why = "hexadecimal (0x) is not accepted: write the number in decimal";
		return -1;
	}
	if (s[0] == '0' && is_digit(s[1])) {
		*why = "leading zero: write the number in plain decimal (10, not 010)";
		return -1;
	}
	for (; is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10) {
			*why = "number too large";
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	*end = p;
	return 0;
}

/* A whole string that is a decimal number. */
static int parse_whole(const char *s, uint64_t *out, const char **why)
{
	const char *end;

	if (parse_decimal(s, out, &end, why) < 0)
		return -1;
	if (*end != '\0') {
		*why = "trailing characters after the number";
		return -1;
	}
	return 0;
}

int lj_parse_uint_range(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, const char **why)
{
	uint64_t v;

	if (parse_whole(s, &v, why) < 0)
		return -1;
	if (v < lo || v > hi) {
		*why = "out of range";
		return -1;
	}
	*out = v;
	return 0;
}

int lj_parse_size(const char *s, uint64_t *out, const char **why)
{
	uint64_t v, mult = 1;
	const char *end;

	if (strcmp(s, "max") == 0) {
		*out = LJ_UNLIMITED;
		return 0;
	}
	if (parse_decimal(s, &v, &end, why) < 0)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'K':
		mult = KIB;
		break;
	case 'M':
		mult = MIB;
		break;
	case 'G':
		mult = 1024ULL * MIB;
		break;
	case 'T':
		mult = TIB;
		break;
	default:
		*why = "unknown unit: use a number of bytes with an optional K, M, G or T "
		       "(powers of 1024), or max";
		return -1;
	}
	if (*end != '\0' && end[1] != '\0') {
		*why = "trailing characters after the unit";
		return -1;
	}
	if (v > UINT64_MAX / mult) {
		*why = "number too large";
		return -1;
	}
	v *= mult;
	if (v < SIZE_MIN_BYTES) {
		*why = "too small: a memory limit below 1M would stop every login; use 1M to 1024T, "
		       "or max";
		return -1;
	}
	if (v > SIZE_MAX_BYTES) {
		*why = "out of range: use 1M to 1024T, or max";
		return -1;
	}
	*out = v;
	return 0;
}

int lj_parse_count(const char *s, uint64_t *out, const char **why)
{
	if (strcmp(s, "max") == 0) {
		*out = LJ_UNLIMITED;
		return 0;
	}
	if (lj_parse_uint_range(s, 1, PIDS_LIMIT, out, why) < 0) {
		if (strcmp(*why, "out of range") == 0)
			*why = "out of range: use 1 to 4194304, or max";
		return -1;
	}
	return 0;
}

int lj_parse_percent(const char *s, uint64_t *out, const char **why)
{
	uint64_t v;
	const char *end;

	if (strcmp(s, "max") == 0) {
		*out = LJ_UNLIMITED;
		return 0;
	}
	if (parse_decimal(s, &v, &end, why) < 0)
		return -1;
	if (end[0] != '%' || end[1] != '\0') {
		*why = end[0] == '\0'
			       ? "missing '%': write a percentage of one CPU like 250%, or max"
			       : "trailing characters: write a percentage like 250%, or max";
		return -1;
	}
	if (v < 1 || v > CPU_PERCENT_MAX) {
		*why = "out of range: use 1% to 100000% (100% = one CPU), or max";
		return -1;
	}
	*out = v;
	return 0;
}

int lj_parse_bool(const char *s, bool *out, const char **why)
{
	if (strcmp(s, "yes") == 0) {
		*out = true;
		return 0;
	}
	if (strcmp(s, "no") == 0) {
		*out = false;
		return 0;
	}
	*why = "must be yes or no";
	return -1;
}

int lj_parse_seconds(const char *s, int64_t *out, const char **why)
{
	uint64_t v;

	if (strcmp(s, "forever") == 0) {
		*out = LJ_LINGER_FOREVER;
		return 0;
	}
	if (lj_parse_uint_range(s, 0, LINGER_MAX, &v, why) < 0) {
		if (strcmp(*why, "out of range") == 0)
			*why = "out of range: use 0 to 31536000 seconds, or forever";
		return -1;
	}
	*out = (int64_t)v;
	return 0;
}

/* True when PATH (normalised) is TOP or below it. */
static bool path_under(const char *path, const char *top)
{
	size_t n = strlen(top);

	return strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int lj_parse_path(const char *s, char *out, size_t len, const char **why)
{
	size_t o = 0;
	const char *p = s;
	bool home = strncmp(s, LJ_HOME_PREFIX, 2) == 0;

	if (*s == '\0') {
		*why = "empty path";
		return -1;
	}
	if (home) {
		if (s[2] != '/' && s[2] != '\0') {
			*why = "%h must be followed by /: %h/DIR is a path under the user's home";
			return -1;
		}
		memcpy(out, LJ_HOME_PREFIX, 2);
		o = 2;
		p = s + 2;
	} else if (*s != '/') {
		*why = "not an absolute path: it must start with / (or %h/, the user's home)";
		return -1;
	}
	for (const char *q = s; *q; q++) {
		unsigned char c = (unsigned char)*q;
		if (c <= ' ' || c >= 0x7f) {
			*why = "paths may contain printable ASCII only: no spaces or control "
			       "characters";
			return -1;
		}
	}
	while (*p) {
		const char *comp;
		size_t clen;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		comp = p;
		while (*p && *p != '/')
			p++;
		clen = (size_t)(p - comp);
		if ((clen == 1 && comp[0] == '.') ||
		    (clen == 2 && comp[0] == '.' && comp[1] == '.')) {
			*why = "'.' and '..' components are not allowed";
			return -1;
		}
		if (o + 1 + clen + 1 > len) {
			*why = "path too long";
			return -1;
		}
		out[o++] = '/';
		memcpy(out + o, comp, clen);
		o += clen;
	}
	if (o == 0) {
		*why = "the root directory / itself cannot be bound";
		return -1;
	}
	if (home && o == 2) {
		*why = "%h itself is the home, which the sandbox mounts already";
		return -1;
	}
	out[o] = '\0';
	if (home)
		return 0;
	if (path_under(out, "/proc") || path_under(out, "/sys")) {
		*why = "paths under /proc or /sys are not allowed (the sandbox has its own)";
		return -1;
	}
	if (path_under(out, LJ_RUNDIR)) {
		*why = "paths under " LJ_RUNDIR " are not allowed (loginjail's own state)";
		return -1;
	}
	if (path_under(out, "/tmp")) {
		*why = "paths under /tmp are not allowed: every user can replace what is there, "
		       "and the sandbox has its own /tmp (tmp = shared gives the host's)";
		return -1;
	}
	if (strcmp(out, "/dev") == 0 || path_under(out, "/dev/pts") ||
	    path_under(out, "/dev/shm")) {
		*why = "/dev, /dev/pts and /dev/shm are the sandbox's own: they cannot be bound "
		       "(paths below /dev can)";
		return -1;
	}
	return 0;
}

void lj_paths_free(struct lj_paths *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i]);
		p->v[i] = NULL;
	}
	p->n = 0;
}

/* A devices path as written must already be the normal form: an admin who
 * wrote /dev/net/tun/ or /dev//kvm meant something else, or made a typo. */
static int check_device_word(const char *word, const char *norm, const char **why)
{
	if (strncmp(word, "%h", 2) == 0 || !path_under(norm, "/dev") || strcmp(norm, "/dev") == 0) {
		*why = "a device must be a path under /dev/";
		return -1;
	}
	if (strcmp(word, norm) != 0) {
		*why = "a device path must be written without a trailing '/' or '//'";
		return -1;
	}
	return 0;
}

/* Splits S at blanks into OUT, each word normalised by lj_parse_path and,
 * with CHECK, checked as written against its normal form. */
static int parse_list(const char *s, struct lj_paths *out,
		      int (*check)(const char *word, const char *norm, const char **why),
		      const char **why)
{
	char buf[1024];
	const char *p = s;

	out->n = 0;
	for (;;) {
		const char *start;
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return 0;
		start = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		n = (size_t)(p - start);
		if (out->n == LJ_MAX_BINDS) {
			*why = "too many paths: at most 32";
			goto fail;
		}
		if (n >= sizeof(buf)) {
			*why = "path too long";
			goto fail;
		}
		{
			char word[1024];
			memcpy(word, start, n);
			word[n] = '\0';
			if (lj_parse_path(word, buf, sizeof(buf), why) < 0 ||
			    (check && check(word, buf, why) < 0))
				goto fail;
		}
		for (size_t i = 0; i < out->n; i++) {
			if (strcmp(out->v[i], buf) == 0) {
				*why = "a path is listed twice";
				goto fail;
			}
		}
		out->v[out->n] = strdup(buf);
		if (!out->v[out->n]) {
			*why = "out of memory";
			goto fail;
		}
		out->n++;
	}
fail:
	lj_paths_free(out);
	return -1;
}

int lj_parse_path_list(const char *s, struct lj_paths *out, const char **why)
{
	return parse_list(s, out, NULL, why);
}

int lj_parse_device_list(const char *s, struct lj_paths *out, const char **why)
{
	return parse_list(s, out, check_device_word, why);
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int lj_check_hostname(const char *s, const char **why)
{
	size_t len = strlen(s), label = 0;

	if (len == 0) {
		*why = "empty host name";
		return -1;
	}
	if (len > LJ_HOSTNAME_MAX) {
		*why = "host name longer than 64 bytes";
		return -1;
	}
	for (size_t i = 0; i <= len; i++) {
		char c = s[i];
		if (c == '.' || c == '\0') {
			if (label == 0) {
				*why = "empty label in host name (leading, trailing or double dot)";
				return -1;
			}
			if (s[i - 1] == '-') {
				*why = "a host name label must not end with '-'";
				return -1;
			}
			label = 0;
			continue;
		}
		if (!is_alnum(c) && c != '-') {
			*why = "host names may contain only letters, digits, '-' and '.' (RFC 1123)";
			return -1;
		}
		if (label == 0 && c == '-') {
			*why = "a host name label must not start with '-'";
			return -1;
		}
		if (++label > 63) {
			*why = "host name label longer than 63 bytes";
			return -1;
		}
	}
	return 0;
}

int lj_check_name(const char *s, const char **why)
{
	size_t len = strlen(s);

	if (len == 0) {
		*why = "empty name";
		return -1;
	}
	if (len > 64) {
		*why = "name longer than 64 bytes";
		return -1;
	}
	if (s[0] == '-' || s[0] == '.') {
		*why = "a name must not start with '-' or '.'";
		return -1;
	}
	if (strstr(s, "..")) {
		*why = "a name must not contain \"..\"";
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (is_alnum(c) || c == '_' || c == '.' || c == '@' || c == '-')
			continue;
		if (c == '$' && i == len - 1 && i > 0)
			continue;
		*why = "names may contain only letters, digits, '_', '.', '@', '-' and a final '$'";
		return -1;
	}
	return 0;
}
