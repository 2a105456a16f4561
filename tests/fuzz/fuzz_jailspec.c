/* libFuzzer target: any bytes as the jail's description that the sandbox's
 * init receives (helper/jailspec.c). What unpacks must be what the helper
 * could have packed: at most as many paths as the description has room for,
 * each absolute and inside the buffer, a terminated host name, known network
 * and /tmp modes, bounded ptys and a /tmp size, and nothing left over. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../helper/jailspec.c"

static void check_path(const char *p, const char *buf, size_t len)
{
	if (!p || p < buf || p >= buf + len || p[0] != '/' ||
	    !memchr(p, '\0', len - (size_t)(p - buf)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > LJ_JAIL_SPEC_MAX)
		return 0;
	char *buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	struct lj_jail_spec s;
	struct lj_err e = {""};
	memset(&s, 0, sizeof(s));
	if (lj_jail_spec_unpack(buf, size, &s, &e) < 0) {
		if (!e.msg[0])
			abort(); /* a refusal always says why */
	} else {
		if (s.nbinds > LJ_ARRAY_SIZE(s.bind) || s.network > LJ_NET_HOST ||
		    s.tmp > LJ_TMP_SHARED || s.ptys < 1 || s.ptys > LJ_PTYS_MAX || !s.tmp_size ||
		    !memchr(s.hostname, '\0', sizeof(s.hostname)))
			abort();
		check_path(s.home, buf, size);
		for (size_t i = 0; i < s.nbinds; i++)
			check_path(s.bind[i], buf, size);
		/* The last path ends the buffer. */
		const char *last = s.nbinds ? s.bind[s.nbinds - 1] : s.home;
		if (last + strlen(last) + 1 != buf + size)
			abort();
	}
	free(buf);
	return 0;
}
