/* Resolving one user's policy: built-in defaults < [default] < the user's
 * [group:NAME] sections < [user:NAME], keeping where each value came from. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "sha256.h"

#define BUILTIN_HOSTNAME "loginjail"

static void set_builtin(struct lj_policy *pol)
{
	memset(pol, 0, sizeof(*pol));
	pol->sandbox = false;
	pol->network = LJ_NET_LOOPBACK;
	snprintf(pol->hostname, sizeof(pol->hostname), "%s", BUILTIN_HOSTNAME);
	pol->memory_max = LJ_UNLIMITED;
	pol->memory_swap_max = LJ_UNLIMITED;
	pol->pids_max = LJ_UNLIMITED;
	pol->cpu_max = LJ_UNLIMITED;
	pol->io_weight = 0;
	pol->tmp = LJ_TMP_PRIVATE;
	pol->tmp_size = 0; /* from memory_max, once that is known */
	pol->ptys = LJ_PTYS_DEFAULT;
	pol->home = LJ_HOME_BIND;
	pol->share = LJ_SHARE_USER;
	pol->linger = 0;
	pol->on_error = LJ_ON_ERROR_DENY;
	pol->user_manager = LJ_USER_MANAGER_NO;
	pol->syslog = true;
}

static bool in_groups(const char *name, const char *const *groups, size_t ngroups)
{
	for (size_t i = 0; i < ngroups; i++) {
		if (groups[i] && strcmp(groups[i], name) == 0)
			return true;
	}
	return false;
}

/* Could SEC, whatever it was meant to say, be part of USER's policy? Names
 * compare without case, as duplicate sections do. */
static bool may_apply(const struct lj_section *sec, const char *user, const char *const *groups,
		      size_t ngroups)
{
	switch (sec->kind) {
	case LJ_SEC_DEFAULT:
		return true;
	case LJ_SEC_USER:
		return strcasecmp(sec->ident, user) == 0;
	case LJ_SEC_GROUP:
		for (size_t i = 0; i < ngroups; i++) {
			if (groups[i] && strcasecmp(groups[i], sec->ident) == 0)
				return true;
		}
		return false;
	}
	return true;
}

/* Does a group section that sets V replace the value an earlier group
 * section chose (CUR)? */
static bool group_wins(enum lj_key k, const union lj_value *v, const union lj_value *cur)
{
	switch (lj_keys[k].merge) {
	case LJ_MERGE_MIN:
		return v->u < cur->u;
	case LJ_MERGE_YES_WINS:
		return v->b && !cur->b;
	case LJ_MERGE_DENY_WINS:
		return v->e == LJ_ON_ERROR_DENY && cur->e != LJ_ON_ERROR_DENY;
	case LJ_MERGE_LAST:
		return true;
	}
	return true;
}

struct winner {
	const union lj_value *v; /* NULL: built-in default */
	const struct lj_section *sec;
	unsigned line;
};

static void take(struct winner *w, const struct lj_section *sec, enum lj_key k)
{
	w->v = &sec->set[k].v;
	w->sec = sec;
	w->line = sec->set[k].line;
}

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

/* A host name from a template that lj_check_hostname accepted with a
 * one-letter user: %u is the user name with every character a host name
 * cannot hold made '-', %% is %; cut at 64 bytes; then each label loses
 * its leading and trailing '-' and is cut at 63 bytes, and empty labels go.
 * Whatever the user name, the result is a valid host name; when nothing is
 * left it is the built-in one. */
void lj_hostname_expand(const char *tpl, const char *user, char *out, size_t len)
{
	char raw[LJ_HOSTNAME_MAX + 1];
	size_t r = 0, o = 0;

	for (const char *p = tpl; *p && r < LJ_HOSTNAME_MAX; p++) {
		if (p[0] == '%' && p[1] == 'u') {
			for (const char *u = user; *u && r < LJ_HOSTNAME_MAX; u++)
				raw[r++] = host_char(*u) ? *u : '-';
			p++;
			continue;
		}
		if (p[0] == '%' && p[1] == '%')
			p++;
		raw[r++] = *p;
	}
	raw[r] = '\0';
	for (char *label = raw, *next; label; label = next) {
		char *end = strchr(label, '.');
		size_t n;

		next = end ? end + 1 : NULL;
		if (end)
			*end = '\0';
		while (*label == '-')
			label++;
		n = strnlen(label, 63);
		while (n > 0 && label[n - 1] == '-')
			n--;
		if (n == 0 || o + (o ? 1 : 0) + n >= len)
			continue;
		if (o)
			out[o++] = '.';
		memcpy(out + o, label, n);
		o += n;
	}
	out[o] = '\0';
	if (o == 0)
		snprintf(out, len, "%s", BUILTIN_HOSTNAME);
}

static int copy_paths(struct lj_paths *dst, const struct lj_paths *src)
{
	dst->n = 0;
	for (size_t i = 0; i < src->n; i++) {
		dst->v[i] = strdup(src->v[i]);
		if (!dst->v[i])
			return -1;
		dst->n++;
	}
	return 0;
}

/* Copies the winning values into POL. */
static int materialize(struct lj_policy *pol, const struct winner *w, const char *user,
		       struct lj_diag *diag)
{
	for (int k = 0; k < LJ_KEY__COUNT; k++) {
		const union lj_value *v = w[k].v;

		if (!v)
			continue;
		switch ((enum lj_key)k) {
		case LJ_KEY_SANDBOX:
			pol->sandbox = v->b;
			break;
		case LJ_KEY_NETWORK:
			pol->network = (enum lj_network)v->e;
			break;
		case LJ_KEY_HOSTNAME:
			lj_hostname_expand(v->str, user, pol->hostname, sizeof(pol->hostname));
			break;
		case LJ_KEY_MEMORY_MAX:
			pol->memory_max = v->u;
			break;
		case LJ_KEY_MEMORY_SWAP_MAX:
			pol->memory_swap_max = v->u;
			break;
		case LJ_KEY_PIDS_MAX:
			pol->pids_max = v->u;
			break;
		case LJ_KEY_CPU_MAX:
			pol->cpu_max = v->u;
			break;
		case LJ_KEY_IO_WEIGHT:
			pol->io_weight = (uint32_t)v->u;
			break;
		case LJ_KEY_RO_BIND:
		case LJ_KEY_BIND:
			if (copy_paths(k == LJ_KEY_BIND ? &pol->bind : &pol->ro_bind, &v->paths) <
			    0) {
				lj_diag_add(diag, "out of memory");
				return -1;
			}
			break;
		case LJ_KEY_TMP:
			pol->tmp = (enum lj_tmp)v->e;
			break;
		case LJ_KEY_TMP_SIZE:
			pol->tmp_size = v->u;
			break;
		case LJ_KEY_PTYS:
			pol->ptys = v->u;
			break;
		case LJ_KEY_HOME:
			pol->home = (enum lj_home)v->e;
			break;
		case LJ_KEY_SHARE:
			pol->share = (enum lj_share)v->e;
			break;
		case LJ_KEY_LINGER:
			pol->linger = v->s;
			break;
		case LJ_KEY_ON_ERROR:
			pol->on_error = (enum lj_on_error)v->e;
			break;
		case LJ_KEY_USER_MANAGER:
			pol->user_manager = (enum lj_user_manager)v->e;
			break;
		case LJ_KEY_SHELL:
			snprintf(pol->shell, sizeof(pol->shell), "%s", v->str);
			break;
		case LJ_KEY_SYSLOG:
			pol->syslog = v->b;
			break;
		case LJ_KEY_DEVICES:
			if (copy_paths(&pol->devices, &v->paths) < 0) {
				lj_diag_add(diag, "out of memory");
				return -1;
			}
			break;
		case LJ_KEY__COUNT:
			break;
		}
	}
	/* Unset, what the user keeps in tmpfs can never fill memory_max on
	 * its own: a full /tmp is ENOSPC, not an OOM kill in the cgroup. */
	if (!w[LJ_KEY_TMP_SIZE].v)
		pol->tmp_size =
			pol->memory_max == LJ_UNLIMITED ? LJ_UNLIMITED : pol->memory_max / 2;
	return 0;
}

int lj_policy_resolve(const struct lj_config *cfg, const char *user, const char *const *groups,
		      size_t ngroups, struct lj_policy *pol, struct lj_diag *diag)
{
	struct winner w[LJ_KEY__COUNT] = {0};
	bool from_group[LJ_KEY__COUNT] = {0};
	unsigned ngroup_sets[LJ_KEY__COUNT] = {0};
	const char *why;

	set_builtin(pol);
	if (!cfg || !user) {
		lj_diag_add(diag, "no configuration or no user to resolve");
		return -1;
	}
	if (ngroups > LJ_MAX_GROUPS) {
		lj_diag_add(diag, "user %s is in %zu groups; at most %d are supported", user,
			    ngroups, LJ_MAX_GROUPS);
		return -1;
	}
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct lj_section *sec = &cfg->sections[i];
		if (sec->broken && may_apply(sec, user, groups, ngroups)) {
			lj_diag_add(diag,
				    "the loginjail policy is broken where it may apply to user %s: "
				    "%s (in section [%s] at %s:%u; until it is fixed the user's "
				    "logins are refused: run loginjailctl check)",
				    user, sec->broken_why ? sec->broken_why : "a section is broken",
				    sec->name, sec->file, sec->line);
			return -1;
		}
	}
	/* Three passes: precedence does not depend on where sections appear. */
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct lj_section *sec = &cfg->sections[i];
		if (sec->kind != LJ_SEC_DEFAULT)
			continue;
		for (int k = 0; k < LJ_KEY__COUNT; k++) {
			if (sec->set[k].set)
				take(&w[k], sec, (enum lj_key)k);
		}
	}
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct lj_section *sec = &cfg->sections[i];
		if (sec->kind != LJ_SEC_GROUP || !in_groups(sec->ident, groups, ngroups))
			continue;
		for (int k = 0; k < LJ_KEY__COUNT; k++) {
			if (!sec->set[k].set)
				continue;
			ngroup_sets[k]++;
			if (!from_group[k] || group_wins((enum lj_key)k, &sec->set[k].v, w[k].v))
				take(&w[k], sec, (enum lj_key)k);
			from_group[k] = true;
		}
	}
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct lj_section *sec = &cfg->sections[i];
		if (sec->kind != LJ_SEC_USER || strcmp(sec->ident, user) != 0)
			continue;
		for (int k = 0; k < LJ_KEY__COUNT; k++) {
			if (sec->set[k].set)
				take(&w[k], sec, (enum lj_key)k);
		}
	}
	if (materialize(pol, w, user, diag) < 0) {
		lj_policy_free(pol);
		set_builtin(pol);
		return -1;
	}
	/* A name goes nowhere for a user who is not sandboxed; a sandbox
	 * takes it into its host name (mapped), logs and systemd's scope. */
	if (pol->sandbox && lj_check_name(user, &why) < 0) {
		lj_diag_add(diag,
			    "user name '%.64s' is not valid for a sandbox: %s; rename the user, "
			    "or keep them out of [default] and the groups that set sandbox = yes",
			    user, why);
		lj_policy_free(pol);
		set_builtin(pol);
		return -1;
	}
	for (int k = 0; k < LJ_KEY__COUNT; k++) {
		if (w[k].sec) {
			pol->origin[k].file = w[k].sec->file;
			pol->origin[k].section = w[k].sec->name;
			pol->origin[k].line = w[k].line;
		}
		pol->origin[k].ngroups = ngroup_sets[k];
	}
	return 0;
}

void lj_policy_free(struct lj_policy *pol)
{
	if (!pol)
		return;
	lj_paths_free(&pol->ro_bind);
	lj_paths_free(&pol->bind);
	lj_paths_free(&pol->devices);
}

static const char *format_size(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "TGMK";

	if (v == LJ_UNLIMITED) {
		snprintf(buf, len, "max");
		return buf;
	}
	for (int i = 0; v != 0 && units[i]; i++) {
		uint64_t unit = 1ULL << (10 * (4 - i));
		if (v % unit == 0) {
			snprintf(buf, len, "%" PRIu64 "%c", v / unit, units[i]);
			return buf;
		}
	}
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

static const char *format_paths(const struct lj_paths *p, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->n && o < len; i++) {
		int n = snprintf(buf + o, len - o, "%s%s", i ? " " : "", p->v[i]);
		if (n < 0)
			break;
		o += (size_t)n;
	}
	return buf;
}

const char *lj_policy_format(const struct lj_policy *pol, enum lj_key k, char *buf, size_t len)
{
	if (!buf || len == 0)
		return "";
	buf[0] = '\0';
	switch (k) {
	case LJ_KEY_SANDBOX:
		snprintf(buf, len, "%s", pol->sandbox ? "yes" : "no");
		break;
	case LJ_KEY_NETWORK:
		snprintf(buf, len, "%s", lj_keys[k].choices[pol->network]);
		break;
	case LJ_KEY_HOSTNAME:
		snprintf(buf, len, "%s", pol->hostname);
		break;
	case LJ_KEY_MEMORY_MAX:
		return format_size(pol->memory_max, buf, len);
	case LJ_KEY_MEMORY_SWAP_MAX:
		return format_size(pol->memory_swap_max, buf, len);
	case LJ_KEY_PIDS_MAX:
		if (pol->pids_max == LJ_UNLIMITED)
			snprintf(buf, len, "max");
		else
			snprintf(buf, len, "%" PRIu64, pol->pids_max);
		break;
	case LJ_KEY_CPU_MAX:
		if (pol->cpu_max == LJ_UNLIMITED)
			snprintf(buf, len, "max");
		else
			snprintf(buf, len, "%" PRIu64 "%%", pol->cpu_max);
		break;
	case LJ_KEY_IO_WEIGHT:
		/* 0: loginjail leaves the kernel's default weight alone. */
		if (pol->io_weight == 0)
			snprintf(buf, len, "default");
		else
			snprintf(buf, len, "%" PRIu32, pol->io_weight);
		break;
	case LJ_KEY_RO_BIND:
		return format_paths(&pol->ro_bind, buf, len);
	case LJ_KEY_BIND:
		return format_paths(&pol->bind, buf, len);
	case LJ_KEY_TMP:
		snprintf(buf, len, "%s", lj_keys[k].choices[pol->tmp]);
		break;
	case LJ_KEY_TMP_SIZE:
		return format_size(pol->tmp_size, buf, len);
	case LJ_KEY_PTYS:
		snprintf(buf, len, "%" PRIu64, pol->ptys);
		break;
	case LJ_KEY_HOME:
		snprintf(buf, len, "%s", lj_keys[k].choices[pol->home]);
		break;
	case LJ_KEY_SHARE:
		snprintf(buf, len, "%s", lj_keys[k].choices[pol->share]);
		break;
	case LJ_KEY_LINGER:
		if (pol->linger == LJ_LINGER_FOREVER)
			snprintf(buf, len, "forever");
		else
			snprintf(buf, len, "%" PRId64, pol->linger);
		break;
	case LJ_KEY_ON_ERROR:
		snprintf(buf, len, "%s", lj_keys[k].choices[pol->on_error]);
		break;
	case LJ_KEY_USER_MANAGER:
		snprintf(buf, len, "%s", lj_keys[k].choices[pol->user_manager]);
		break;
	case LJ_KEY_SHELL:
		snprintf(buf, len, "%s", pol->shell[0] ? pol->shell : "default");
		break;
	case LJ_KEY_SYSLOG:
		snprintf(buf, len, "%s", pol->syslog ? "yes" : "no");
		break;
	case LJ_KEY_DEVICES:
		return format_paths(&pol->devices, buf, len);
	case LJ_KEY__COUNT:
		break;
	}
	return buf;
}

/* "key=value\n" of key K, as lj_policy_format writes it, into H. */
static void digest_key(struct lj_sha256 *h, const struct lj_policy *pol, enum lj_key k)
{
	/* A value is at most a line of a policy file (1000 bytes). */
	char buf[4096];
	const char *name = lj_key_name(k);
	const char *v = lj_policy_format(pol, k, buf, sizeof(buf));
	lj_sha256_add(h, name, strlen(name));
	lj_sha256_add(h, "=", 1);
	lj_sha256_add(h, v, strlen(v));
	lj_sha256_add(h, "\n", 1);
}

/* Keys added since sandboxes were first matched by digest are left out of
 * it at their default (no devices, syslog = yes): a policy that does not
 * use them has the digest it had before, so sandboxes running across an
 * upgrade stay joinable. */
static bool newer_key_at_default(const struct lj_policy *pol, enum lj_key k)
{
	return (k == LJ_KEY_DEVICES && pol->devices.n == 0) || (k == LJ_KEY_SYSLOG && pol->syslog);
}

void lj_policy_digest(const struct lj_policy *pol, uint8_t out[32])
{
	struct lj_sha256 h;
	lj_sha256_init(&h);
	for (int k = 0; k < LJ_KEY__COUNT; k++) {
		if (k == LJ_KEY_ON_ERROR || k == LJ_KEY_USER_MANAGER || k == LJ_KEY_SHELL ||
		    newer_key_at_default(pol, (enum lj_key)k))
			continue;
		digest_key(&h, pol, (enum lj_key)k);
	}
	lj_sha256_end(&h, out);
}

void lj_policy_key_digests(const struct lj_policy *pol, uint8_t (*out)[8], size_t n)
{
	memset(out, 0, n * sizeof(*out));
	for (size_t k = 0; k < n && k < LJ_KEY__COUNT; k++) {
		/* As in lj_policy_digest: the slot of a sandbox built before
		 * the key existed. */
		if (newer_key_at_default(pol, (enum lj_key)k))
			continue;
		struct lj_sha256 h;
		uint8_t d[32];
		lj_sha256_init(&h);
		digest_key(&h, pol, (enum lj_key)k);
		lj_sha256_end(&h, d);
		memcpy(out[k], d, sizeof(out[k]));
	}
}
