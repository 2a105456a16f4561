/* The helper's command line, from pam_loginjail.so (root) only, but parsed
 * as if anyone wrote it: a bounded count and length, known options, each
 * with its value (tests/fuzz/fuzz_args.c). */
#include <string.h>

#include "helper.h"

#define MAX_ARGS 16
#define MAX_ARG_LEN 4096

const char *lj_args_parse(int argc, char **argv, struct lj_args *a)
{
	if (argc > MAX_ARGS)
		return "too many arguments";
	for (int i = 0; i < argc; i++)
		if (strnlen(argv[i], MAX_ARG_LEN) >= MAX_ARG_LEN)
			return "argument too long";
	if (argc < 2 || strcmp(argv[1], "open") != 0)
		return "expected the command \"open\"";
	for (int i = 2; i < argc; i += 2) {
		if (strcmp(argv[i], "--caller-threaded") == 0) {
			a->caller_threaded = true;
			i--;
			continue;
		}
		if (i + 1 >= argc)
			return "option without a value";
		const char *o = argv[i], *v = argv[i + 1];
		if (strcmp(o, "--user") == 0)
			a->user = v;
		else if (strcmp(o, "--service") == 0)
			a->service = v;
		else if (strcmp(o, "--tty") == 0)
			a->tty = v;
		else if (strcmp(o, "--rhost") == 0)
			a->rhost = v;
		else if (strcmp(o, "--config-dir") == 0)
			a->config_dir = v;
		else
			return "unknown option";
	}
	if (!a->user)
		return "--user is required";
	if (!a->config_dir)
		a->config_dir = LJ_CONFDIR;
	if (a->config_dir[0] != '/')
		return "--config-dir must be an absolute path";
	return NULL;
}
