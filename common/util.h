/* Small helpers shared by every part of loginjail: scoped cleanup and
 * descriptor passing. */
#ifndef LJ_UTIL_H
#define LJ_UTIL_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define LJ_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void lj_freep(void *p)
{
	free(*(void **)p);
}
static inline void lj_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}
#define cleanup_free __attribute__((cleanup(lj_freep)))
#define cleanup_close __attribute__((cleanup(lj_closep)))

/* Hand ownership of a descriptor (or pointer) out of a cleanup scope. */
static inline int lj_steal_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}
#define steal_pointer(pp)                     \
	({                                    \
		__typeof__(*(pp)) _p = *(pp); \
		*(pp) = NULL;                 \
		_p;                           \
	})

/* The most descriptors one message carries: the home's two and a tree for
 * each of up to 2 * 32 binds and 32 devices (helper/sandbox.c checks it). */
#define LJ_FDS_MAX 98
/* Send LEN bytes of BUF and NFDS descriptors as one SOCK_SEQPACKET message. */
/* LEN bytes of P as 2*LEN lowercase hex digits into OUT (2*LEN+1 bytes). */
static inline void lj_hex_encode(const void *p, size_t len, char *out)
{
	static const char d[] = "0123456789abcdef";
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * len] = '\0';
}

/* Exactly 2*LEN hex digits of S into P; 0, or -1 for anything else. */
static inline int lj_hex_decode(const char *s, void *p, size_t len)
{
	unsigned char *b = p;
	for (size_t i = 0; i < 2 * len; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return -1;
		b[i / 2] = (unsigned char)(i % 2 ? (b[i / 2] << 4) | v : v);
	}
	return s[2 * len] == '\0' ? 0 : -1;
}

int lj_send_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds);
/* Receive one message; fills up to MAXFDS descriptors (O_CLOEXEC) into FDS and
 * their count into *NFDS. Returns the byte count, or -1 with errno set.
 * A message whose descriptors or bytes were truncated is an error (EMSGSIZE). */
ssize_t lj_recv_fds(int sock, void *buf, size_t len, int *fds, size_t maxfds, size_t *nfds);

#endif
