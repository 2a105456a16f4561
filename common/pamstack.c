/* See pamstack.h. The syntax read (pam.conf(5)): "TYPE CONTROL MODULE ARGS",
 * TYPE with an optional leading '-', CONTROL a word or a [bracketed list],
 * comments after '#', and Debian's "@include FILE". Lines continued with a
 * backslash are rare in session stacks and read as separate lines. */
#include <stdio.h>
#include <string.h>

#include "pamstack.h"

#define MAX_DEPTH 8 /* as Linux-PAM's include limit */

static FILE *open_service(const char *const *dirs, const char *name, char *path, size_t len)
{
	if (strchr(name, '/') || !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return NULL;
	for (size_t i = 0; dirs[i]; i++) {
		snprintf(path, len, "%s/%s", dirs[i], name);
		FILE *f = fopen(path, "re");
		if (f)
			return f;
	}
	return NULL;
}

/* The next blank-separated word of *s (a [list] is one word), or NULL. */
static char *word(char **s)
{
	char *p = *s + strspn(*s, " \t\r\n");
	if (!*p)
		return NULL;
	char *end = *p == '[' ? strchr(p, ']') : NULL;
	end = end ? end + 1 : p + strcspn(p, " \t\r\n");
	if (*end)
		*end++ = '\0';
	*s = end;
	return p;
}

static void seen(struct lj_pam_pos *pos, int index, const char *path, int line, const char *type,
		 const char *control)
{
	if (pos->index < 0) {
		pos->index = index;
		snprintf(pos->where, sizeof(pos->where), "%s:%d", path, line);
		snprintf(pos->control, sizeof(pos->control), "%s", control);
		pos->dash = *type == '-';
	}
}

static int walk(const char *const *dirs, const char *service, int depth, int *index,
		struct lj_pam_pos *sd, struct lj_pam_pos *lj)
{
	char path[300], buf[1024];
	FILE *f = depth > MAX_DEPTH ? NULL : open_service(dirs, service, path, sizeof(path));
	if (!f)
		return -1;
	for (int line = 1; fgets(buf, sizeof(buf), f); line++) {
		char *s = buf, *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		char *type = word(&s), *control = type ? word(&s) : NULL;
		char *module = control ? word(&s) : NULL;
		if (type && strcmp(type, "@include") == 0 && control) {
			walk(dirs, control, depth + 1, index, sd, lj);
			continue;
		}
		if (!module || strcmp(type + (*type == '-'), "session") != 0)
			continue;
		if (strcmp(control, "include") == 0 || strcmp(control, "substack") == 0) {
			walk(dirs, module, depth + 1, index, sd, lj);
			continue;
		}
		const char *base = strrchr(module, '/') ? strrchr(module, '/') + 1 : module;
		if (strcmp(base, "pam_systemd.so") == 0)
			seen(sd, *index, path, line, type, control);
		else if (strncmp(base, "pam_loginjail", 13) == 0)
			seen(lj, *index, path, line, type, control);
		(*index)++;
	}
	fclose(f);
	return 0;
}

int lj_pam_session_order(const char *const *dirs, const char *service, struct lj_pam_pos *systemd,
			 struct lj_pam_pos *loginjail)
{
	int index = 0;
	systemd->index = loginjail->index = -1;
	systemd->where[0] = loginjail->where[0] = '\0';
	systemd->control[0] = loginjail->control[0] = '\0';
	systemd->dash = loginjail->dash = false;
	return walk(dirs, service, 0, &index, systemd, loginjail);
}
