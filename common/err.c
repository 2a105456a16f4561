/* struct lj_err: the first failure wins; context is prepended on the way up. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static int vfail(struct lj_err *e, int err, const char *fmt, va_list ap)
{
	char tail[sizeof(e->msg)];
	char head[sizeof(e->msg)];
	/* An error already recorded is the cause: keep it, put context first. */
	snprintf(tail, sizeof(tail), "%s", e->msg);
	vsnprintf(head, sizeof(head), fmt, ap);
	/* Truncation is fine: the start of a message says the most. */
	int n;
	if (err)
		n = snprintf(e->msg, sizeof(e->msg), "%s: %s%s%s", head, strerror(err),
			     tail[0] ? ": " : "", tail);
	else
		n = snprintf(e->msg, sizeof(e->msg), "%s%s%s", head, tail[0] ? ": " : "", tail);
	if (n >= (int)sizeof(e->msg))
		memcpy(e->msg + sizeof(e->msg) - 4, "...", 4);
	return -1;
}

int lj_fail(struct lj_err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(e, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int lj_fail_errno(struct lj_err *e, const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	vfail(e, err, fmt, ap);
	va_end(ap);
	errno = err;
	return -1;
}
