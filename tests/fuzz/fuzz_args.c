/* libFuzzer target: any bytes as the helper's argv (NUL-separated), parsed
 * by helper/args.c. What is accepted names a user and an absolute policy
 * directory, with every string taken from argv. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../helper/args.c"

static bool from(const char *s, char **argv, int argc)
{
	for (int i = 0; i < argc; i++)
		if (s == argv[i])
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	char *argv[64];
	int argc = 0;
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *p = buf; argc < 64 && p <= buf + size; p += strlen(p) + 1)
		argv[argc++] = p;
	struct lj_args a = {0};
	const char *why = lj_args_parse(argc, argv, &a);
	if (!why) {
		if (!a.user || !from(a.user, argv, argc) || a.config_dir[0] != '/' ||
		    (!from(a.config_dir, argv, argc) && strcmp(a.config_dir, LJ_CONFDIR) != 0) ||
		    argc > 16 || strcmp(argv[1], "open") != 0)
			abort();
		for (const char *const *s = (const char *const[]){a.service, a.tty, a.rhost, NULL};
		     *s; s++)
			if (!from(*s, argv, argc))
				abort();
	}
	free(buf);
	return 0;
}
