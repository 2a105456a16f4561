/* SHA-256 (FIPS 180-4), for the digests that tell whether a join matches the
 * sandbox it asks for (proto.h, struct lj_ctl_key). */
#ifndef LJ_SHA256_H
#define LJ_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define LJ_SHA256_LEN 32

struct lj_sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes so far */
	uint8_t buf[64];
};
void lj_sha256_init(struct lj_sha256 *s);
void lj_sha256_add(struct lj_sha256 *s, const void *data, size_t len);
void lj_sha256_end(struct lj_sha256 *s, uint8_t out[LJ_SHA256_LEN]);

#endif
