/* Landlock scopes (Linux 6.12, Landlock ABI 6): what a session may reach
 * outside its own Landlock domain. */
#ifndef LJ_LANDLOCK_H
#define LJ_LANDLOCK_H

/* The first Landlock ABI that scopes abstract unix sockets. */
#define LJ_LANDLOCK_ABI_SCOPE 6

/* This kernel's Landlock ABI version; 0 without Landlock (too old, or off). */
int lj_landlock_abi(void);
/* Confine the calling thread and all it starts to the abstract unix sockets
 * made inside its new Landlock domain: a process outside, of the same user
 * or not, can no longer be reached by one. Needs no_new_privs. Returns 0;
 * 1 when the kernel cannot (ABI below LJ_LANDLOCK_ABI_SCOPE); -1 (errno). */
int lj_landlock_scope_abstract_unix(void);

#endif
