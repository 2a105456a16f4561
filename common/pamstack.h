/* Where pam_systemd.so and pam_loginjail.so sit in a PAM service's session
 * stack. libpam offers no way to list a stack, so the files are read here:
 * /etc/pam.d/SERVICE (else /usr/lib/pam.d/SERVICE), following @include
 * and "session include|substack". Only read when something looks wrong (a
 * session that pam_systemd did not put into the user's slice). */
#ifndef LJ_PAMSTACK_H
#define LJ_PAMSTACK_H

#include <stdbool.h>
#include <stddef.h>

struct lj_pam_pos {
	int index;	   /* in the flattened session stack; -1: absent */
	char where[300];   /* "FILE:LINE" */
	char control[128]; /* the line's CONTROL: "required", "[default=die ...]" */
	bool dash;	   /* "-session": skipped when the module is missing */
};

/* Where Linux-PAM looks for a service's file, in order. */
static const char *const lj_pam_dirs[]
	__attribute__((unused)) = {"/etc/pam.d", "/usr/lib/pam.d", NULL};

/* Fills the first session line of each module, reading the service's files
 * from the first of DIRS (NULL-terminated) that has them; 0, or -1 when the
 * service has no readable stack. */
int lj_pam_session_order(const char *const *dirs, const char *service, struct lj_pam_pos *systemd,
			 struct lj_pam_pos *loginjail);

#endif
