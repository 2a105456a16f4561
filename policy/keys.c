/* The table of policy keys: name, kind of value, how groups combine it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const network_choices[] = {"none", "loopback", "host", NULL};
static const char *const tmp_choices[] = {"private", "shared", NULL};
static const char *const home_choices[] = {"bind", "tmpfs", NULL};
static const char *const share_choices[] = {"user", "session", NULL};
static const char *const on_error_choices[] = {"deny", "allow", NULL};
static const char *const user_manager_choices[] = {"no", NULL};

const struct lj_key_info lj_keys[LJ_KEY__COUNT] = {
	[LJ_KEY_SANDBOX] = {"sandbox", LJ_V_BOOL, LJ_MERGE_YES_WINS, NULL},
	[LJ_KEY_NETWORK] = {"network", LJ_V_ENUM, LJ_MERGE_LAST, network_choices},
	[LJ_KEY_HOSTNAME] = {"hostname", LJ_V_HOSTNAME, LJ_MERGE_LAST, NULL},
	[LJ_KEY_MEMORY_MAX] = {"memory_max", LJ_V_SIZE, LJ_MERGE_MIN, NULL},
	[LJ_KEY_MEMORY_SWAP_MAX] = {"memory_swap_max", LJ_V_SWAP, LJ_MERGE_MIN, NULL},
	[LJ_KEY_PIDS_MAX] = {"pids_max", LJ_V_PIDS, LJ_MERGE_MIN, NULL},
	[LJ_KEY_CPU_MAX] = {"cpu_max", LJ_V_PERCENT, LJ_MERGE_MIN, NULL},
	[LJ_KEY_IO_WEIGHT] = {"io_weight", LJ_V_WEIGHT, LJ_MERGE_MIN, NULL},
	[LJ_KEY_RO_BIND] = {"ro_bind", LJ_V_PATHS, LJ_MERGE_LAST, NULL},
	[LJ_KEY_BIND] = {"bind", LJ_V_PATHS, LJ_MERGE_LAST, NULL},
	[LJ_KEY_TMP] = {"tmp", LJ_V_ENUM, LJ_MERGE_LAST, tmp_choices},
	[LJ_KEY_TMP_SIZE] = {"tmp_size", LJ_V_SIZE, LJ_MERGE_MIN, NULL},
	[LJ_KEY_PTYS] = {"ptys", LJ_V_PTYS, LJ_MERGE_MIN, NULL},
	[LJ_KEY_HOME] = {"home", LJ_V_ENUM, LJ_MERGE_LAST, home_choices},
	[LJ_KEY_SHARE] = {"share", LJ_V_ENUM, LJ_MERGE_LAST, share_choices},
	[LJ_KEY_LINGER] = {"linger", LJ_V_SECONDS, LJ_MERGE_LAST, NULL},
	[LJ_KEY_ON_ERROR] = {"on_error", LJ_V_ENUM, LJ_MERGE_DENY_WINS, on_error_choices},
	[LJ_KEY_USER_MANAGER] = {"user_manager", LJ_V_ENUM, LJ_MERGE_LAST, user_manager_choices},
	[LJ_KEY_SHELL] = {"shell", LJ_V_PATH, LJ_MERGE_LAST, NULL},
	[LJ_KEY_SYSLOG] = {"syslog", LJ_V_BOOL, LJ_MERGE_LAST, NULL},
	[LJ_KEY_DEVICES] = {"devices", LJ_V_DEVICES, LJ_MERGE_LAST, NULL},
};

const char *lj_key_name(enum lj_key k)
{
	if ((unsigned)k >= LJ_KEY__COUNT)
		return "?";
	return lj_keys[k].name;
}

bool lj_key_smallest_wins(enum lj_key k)
{
	return (unsigned)k < LJ_KEY__COUNT && lj_keys[k].merge == LJ_MERGE_MIN;
}

int lj_key_lookup(const char *name)
{
	for (int k = 0; k < LJ_KEY__COUNT; k++)
		if (strcmp(lj_keys[k].name, name) == 0)
			return k;
	return -1;
}

/* A hostname template: host name characters plus %u (the user) and %%.
 * Expanded with a one-letter user it must already be a valid host name. */
static int parse_hostname_template(const char *s, char **out, const char **why)
{
	char sample[LJ_HOSTNAME_MAX + 2];
	size_t o = 0;

	for (const char *p = s; *p; p++) {
		const char *add = p;
		if (*p == '%') {
			p++;
			if (*p == 'u')
				add = "u";
			else if (*p != '%') {
				*why = "unknown %-escape: use %u for the user name or %% for %";
				return -1;
			}
		}
		if (o + 1 >= sizeof(sample)) {
			*why = "host name longer than 64 bytes";
			return -1;
		}
		sample[o++] = *add;
	}
	sample[o] = '\0';
	if (lj_check_hostname(sample, why) < 0)
		return -1;
	*out = strdup(s);
	if (!*out) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

int lj_value_parse(enum lj_key k, const char *s, union lj_value *v, const char **why)
{
	const struct lj_key_info *ki = &lj_keys[k];
	uint64_t u;

	memset(v, 0, sizeof(*v));
	switch (ki->kind) {
	case LJ_V_BOOL:
		return lj_parse_bool(s, &v->b, why);
	case LJ_V_ENUM:
		for (int i = 0; ki->choices[i]; i++) {
			if (strcmp(s, ki->choices[i]) == 0) {
				v->e = i;
				return 0;
			}
		}
		switch (k) {
		case LJ_KEY_NETWORK:
			*why = "must be none, loopback or host";
			break;
		case LJ_KEY_TMP:
			*why = "must be private or shared";
			break;
		case LJ_KEY_HOME:
			*why = "must be bind or tmpfs";
			break;
		case LJ_KEY_SHARE:
			*why = "must be user or session";
			break;
		case LJ_KEY_USER_MANAGER:
			*why = "must be no (a user manager inside the sandbox is not "
			       "supported yet)";
			break;
		default:
			*why = "must be deny or allow";
			break;
		}
		return -1;
	case LJ_V_HOSTNAME:
		return parse_hostname_template(s, &v->str, why);
	case LJ_V_SIZE:
		return lj_parse_size(s, &v->u, why);
	case LJ_V_SWAP:
		if (strcmp(s, "0") == 0) {
			v->u = 0;
			return 0;
		}
		return lj_parse_size(s, &v->u, why);
	case LJ_V_PIDS:
		return lj_parse_count(s, &v->u, why);
	case LJ_V_PERCENT:
		return lj_parse_percent(s, &v->u, why);
	case LJ_V_WEIGHT:
		if (lj_parse_uint_range(s, 1, 10000, &u, why) < 0) {
			if (strcmp(*why, "out of range") == 0)
				*why = "out of range: use 1 to 10000";
			return -1;
		}
		v->u = u;
		return 0;
	case LJ_V_PTYS:
		if (lj_parse_uint_range(s, 1, LJ_PTYS_MAX, &v->u, why) < 0) {
			if (strcmp(*why, "out of range") == 0)
				*why = "out of range: use 1 to 1048576";
			return -1;
		}
		return 0;
	case LJ_V_PATHS:
		return lj_parse_path_list(s, &v->paths, why);
	case LJ_V_DEVICES:
		return lj_parse_device_list(s, &v->paths, why);
	case LJ_V_SECONDS:
		return lj_parse_seconds(s, &v->s, why);
	case LJ_V_PATH: {
		char buf[LJ_SHELL_MAX];
		if (strlen(s) >= sizeof(buf)) {
			*why = "too long: at most 255 bytes";
			return -1;
		}
		if (lj_parse_path(s, buf, sizeof(buf), why) < 0)
			return -1;
		if (buf[0] != '/') {
			*why = "must be an absolute path (the shell is run on the host's files)";
			return -1;
		}
		v->str = strdup(buf);
		if (!v->str) {
			*why = "out of memory";
			return -1;
		}
		return 0;
	}
	}
	*why = "internal error: unknown kind of value";
	return -1;
}

void lj_value_free(enum lj_key k, union lj_value *v)
{
	switch (lj_keys[k].kind) {
	case LJ_V_HOSTNAME:
	case LJ_V_PATH:
		free(v->str);
		v->str = NULL;
		break;
	case LJ_V_PATHS:
	case LJ_V_DEVICES:
		lj_paths_free(&v->paths);
		break;
	default:
		break;
	}
}

int lj_setting_parse(struct lj_section *sec, enum lj_key k, const char *text, struct lj_diag *diag)
{
	struct lj_setting *st = &sec->set[k];
	const char *why = "invalid value";

	if (lj_value_parse(k, text, &st->v, &why) < 0) {
		lj_section_error(sec, st->line, diag, "%s = %s: %s", lj_keys[k].name, text, why);
		return -1;
	}
	st->parsed = true;
	return 0;
}

int lj_section_parse_values(struct lj_section *sec, struct lj_diag *diag)
{
	int ret = 0;

	for (int k = 0; k < LJ_KEY__COUNT; k++) {
		if (sec->set[k].set && lj_setting_parse(sec, k, sec->set[k].text, diag) < 0)
			ret = -1;
	}
	return ret;
}
