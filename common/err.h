/* struct lj_err: an error on its way up, the innermost failure first,
 * context prepended (err.c). */
#ifndef LJ_ERR_H
#define LJ_ERR_H

struct lj_err {
	char msg[512];
};
int lj_fail(struct lj_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lj_fail_errno(struct lj_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
