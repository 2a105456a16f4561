/* Inside the policy engine: the parsed configuration and the key table.
 * Nothing outside policy/ includes this file. */
#ifndef LJ_POLICY_INTERNAL_H
#define LJ_POLICY_INTERNAL_H

#include "policy.h"

#define LJ_FILE_MAX_BYTES 65536
#define LJ_LINE_MAX_BYTES 1000 /* newline included; iniparser's limit is 1024 */
#define LJ_SECTIONS_PER_FILE 256
#define LJ_SECTIONS_TOTAL 4096
#define LJ_KEYS_TOTAL 2048
#define LJ_FILES_MAX 256

/* How two group sections that set the same key combine. */
enum lj_merge { LJ_MERGE_LAST, LJ_MERGE_MIN, LJ_MERGE_YES_WINS, LJ_MERGE_DENY_WINS };

enum lj_value_kind {
	LJ_V_BOOL,
	LJ_V_ENUM,
	LJ_V_HOSTNAME,
	LJ_V_SIZE,
	LJ_V_SWAP,
	LJ_V_PIDS,
	LJ_V_PERCENT,
	LJ_V_WEIGHT,
	LJ_V_PTYS,
	LJ_V_PATHS,
	LJ_V_DEVICES, /* paths too (union lj_value.paths) */
	LJ_V_SECONDS,
	LJ_V_PATH,
};

struct lj_key_info {
	const char *name;
	enum lj_value_kind kind;
	enum lj_merge merge;
	const char *const *choices; /* LJ_V_ENUM: index == enum value, NULL-terminated */
};
extern const struct lj_key_info lj_keys[LJ_KEY__COUNT];

union lj_value {
	bool b;
	int e;
	uint64_t u;
	int64_t s;
	char *str; /* hostname template, %u not yet expanded; a path */
	struct lj_paths paths;
};

/* Key name -> enum lj_key, or -1. */
int lj_key_lookup(const char *name);
/* Parses S as the value of key K. */
int lj_value_parse(enum lj_key k, const char *s, union lj_value *v, const char **why);
void lj_value_free(enum lj_key k, union lj_value *v);

enum lj_section_kind { LJ_SEC_DEFAULT, LJ_SEC_GROUP, LJ_SEC_USER };

struct lj_setting {
	bool set;
	bool parsed; /* v holds a value (it needs lj_value_free) */
	unsigned line;
	char *text; /* the value as written */
	union lj_value v;
};

struct lj_section {
	enum lj_section_kind kind;
	char *name;	   /* "default", "group:students": case preserved */
	const char *ident; /* the NAME after ':', inside name; "" for default */
	const char *file;  /* one of lj_config.files */
	unsigned line;
	/* An error in it (a key, a value, the header a duplicate): nobody it
	 * may apply to gets a policy (lj_policy_resolve refuses them). */
	bool broken;
	char *broken_why; /* the first of them, "file:line: message" */
	struct lj_setting set[LJ_KEY__COUNT];
};

struct lj_config {
	size_t nfiles;
	char *files[LJ_FILES_MAX + 1]; /* policy.d files plus loginjail.conf */
	size_t nsections, cap;
	struct lj_section *sections;
	size_t nkeys;
};

/* Reports a problem of SEC at LINE ("file:line: ..." in diag) and marks SEC
 * broken. */
void lj_section_error(struct lj_section *sec, unsigned line, struct lj_diag *diag, const char *fmt,
		      ...) __attribute__((format(printf, 4, 5)));

/* Scans one file's bytes with loginjail's own grammar, appending its sections
 * to cfg. Every problem goes to diag. An error inside a section (a key or a
 * value of it, or its header a duplicate) marks that section broken; an
 * error that belongs to no section (bytes that are not text, a line that is
 * not a comment, header or key, a header that cannot be read, a key before
 * the first header) makes the file unusable: -1. Otherwise 0. */
int lj_scan(struct lj_config *cfg, const char *file, const char *buf, size_t len,
	    struct lj_diag *diag);

/* Loads the same bytes with iniparser (through a sealed memfd) and checks
 * that it saw exactly the sections cfg->sections[first..] and their keys and
 * values; then parses every value taken from iniparser_getstring. A
 * disagreement inside a section marks it broken; about the file, -1. */
int lj_ini_crosscheck(struct lj_config *cfg, size_t first, const char *file, const char *buf,
		      size_t len, struct lj_diag *diag);

/* Parses TEXT as the value of key K of SEC, reporting "file:line: ..." and
 * marking SEC broken when it is not valid. */
int lj_setting_parse(struct lj_section *sec, enum lj_key k, const char *text, struct lj_diag *diag);
/* Parses the value text of SEC as the scan recorded it (where iniparser is
 * not consulted: the file or the section is broken already, and check
 * still reports every bad value). */
int lj_section_parse_values(struct lj_section *sec, struct lj_diag *diag);

#endif
