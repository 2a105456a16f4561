/* Diagnostics: a bounded list of "file:line: message" strings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void lj_diag_add(struct lj_diag *d, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return;
	if (d->n >= LJ_DIAG_MAX) {
		d->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(d->msg[d->n], sizeof(d->msg[d->n]), fmt, ap);
	va_end(ap);
	d->n++;
}

void lj_section_error(struct lj_section *sec, unsigned line, struct lj_diag *diag, const char *fmt,
		      ...)
{
	char msg[448], full[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s:%u: %s", sec->file, line, msg);
	lj_diag_add(diag, "%s", full);
	sec->broken = true;
	if (!sec->broken_why)
		sec->broken_why = strdup(full); /* NULL: resolve says less */
}
