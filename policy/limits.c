/* Which sections sandbox users without a memory or process limit: a
 * sandbox with memory_max or pids_max at max lets one user exhaust the
 * host's memory or pids (a memory hog, a fork bomb). loginjailctl check
 * prints these as warnings. */
#include <stdio.h>

#include "internal.h"

static const struct {
	enum lj_key key;
	const char *what, *example;
} limits[] = {
	{LJ_KEY_MEMORY_MAX, "memory", "1G"},
	{LJ_KEY_PIDS_MAX, "process", "512"},
};

static const struct lj_section *find_default(const struct lj_config *cfg)
{
	for (size_t i = 0; i < cfg->nsections; i++) {
		if (cfg->sections[i].kind == LJ_SEC_DEFAULT && !cfg->sections[i].broken)
			return &cfg->sections[i];
	}
	return NULL;
}

/* The setting of K that SEC's users start from: SEC's own, else
 * [default]'s, else NULL (the built-in default). */
static const struct lj_setting *setting(const struct lj_section *sec, const struct lj_section *def,
					enum lj_key k)
{
	if (sec->set[k].set)
		return &sec->set[k];
	if (def && def->set[k].set)
		return &def->set[k];
	return NULL;
}

size_t lj_config_warn_limits(const struct lj_config *cfg, struct lj_diag *warn)
{
	const struct lj_section *def = find_default(cfg);
	size_t n = 0;

	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct lj_section *sec = &cfg->sections[i];
		const struct lj_setting *sb = setting(sec, def, LJ_KEY_SANDBOX);
		const char *who = sec->kind == LJ_SEC_USER ? "the user" : "its users";

		/* Broken sections apply to nobody; sandbox = no: never sandboxed. */
		if (sec->broken || !sb || !sb->parsed || !sb->v.b)
			continue;
		for (size_t l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
			enum lj_key k = limits[l].key;
			const struct lj_setting *st = setting(sec, def, k);
			const char *name = lj_keys[k].name;

			if (st && (!st->parsed || st->v.u != LJ_UNLIMITED))
				continue;
			if (st)
				lj_diag_add(warn,
					    "%s:%u: %s = max, and [%s] sandboxes %s: one user can "
					    "exhaust the host's %s; set a limit (e.g. %s = %s)",
					    st == &sec->set[k] ? sec->file : def->file, st->line,
					    name, sec->name, who, limits[l].what, name,
					    limits[l].example);
			else
				lj_diag_add(
					warn,
					"%s:%u: [%s] sandboxes %s with no %s limit: %s is set "
					"neither there nor in [default] (the built-in default is "
					"max)%s; one user can exhaust the host: set %s (e.g. %s = "
					"%s) in [%s]%s",
					sec->file, sec->line, sec->name, who, limits[l].what, name,
					sec->kind == LJ_SEC_USER ? ", unless a group of the user's "
								   "sets it"
								 : "",
					name, name, limits[l].example, sec->name,
					sec->kind == LJ_SEC_DEFAULT ? "" : " or [default]");
			n++;
		}
	}
	return n;
}
