/* Diagnostics: a bounded list of "file:line: message" strings. */
#include <stdarg.h>
#include <stdio.h>

#include "policy.h"

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
