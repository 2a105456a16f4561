/* libFuzzer target: any bytes as a policy file. Loading must never crash or
 * leak; whatever loads must resolve (or fail cleanly) and format. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"

static char dir[64];
static char path[128];

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	snprintf(dir, sizeof(dir), "/tmp/lj-fuzz.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/policy.conf", dir);
	atexit(cleanup);
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		abort();
	if (fchmod(fd, 0644) < 0)
		abort();
	while (size > 0) {
		ssize_t w = write(fd, data, size);
		if (w <= 0)
			abort();
		data += w;
		size -= (size_t)w;
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const groups[] = {"students", "staff"};
	static const char *const users[] = {"alice", "Alice", "ta-bob", "ws01$"};
	static struct lj_diag diag;
	struct lj_config *cfg = NULL;
	char buf[2048];

	write_input(data, size);
	memset(&diag, 0, sizeof(diag));
	int r = lj_config_load_file(path, &cfg, &diag);
	if (r < 0) {
		if (cfg || diag.n == 0)
			abort(); /* a refusal always says why, and gives nothing */
		return 0;
	}
	if (r > 0 && diag.n == 0)
		abort(); /* a broken section always says why */
	for (size_t u = 0; u < sizeof(users) / sizeof(users[0]); u++) {
		struct lj_policy pol;

		memset(&diag, 0, sizeof(diag));
		if (lj_policy_resolve(cfg, users[u], groups, 2, &pol, &diag) < 0) {
			if (diag.n == 0)
				abort();
			continue;
		}
		for (int k = 0; k < LJ_KEY__COUNT; k++) {
			const char *s = lj_policy_format(&pol, (enum lj_key)k, buf, sizeof(buf));
			if (!s || strlen(s) >= sizeof(buf) || !lj_key_name((enum lj_key)k))
				abort();
			if (pol.origin[k].file && !pol.origin[k].section)
				abort();
		}
		lj_policy_free(&pol);
	}
	lj_config_free(cfg);
	return 0;
}
