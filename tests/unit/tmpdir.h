/* A scratch directory per test, removed with everything in it. */
#ifndef LJ_TEST_TMPDIR_H
#define LJ_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

/* Fills DIR (LEN bytes) with a fresh /tmp/lj-test-TAG.XXXXXX; 0 or -1. */
static inline int lj_test_mkdtemp(char *dir, size_t len, const char *tag)
{
	snprintf(dir, len, "/tmp/lj-test-%s.XXXXXX", tag);
	return mkdtemp(dir) ? 0 : -1;
}

static inline int lj_test_rm_entry(const char *p, const struct stat *st, int flag,
				   struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(p);
}

static inline void lj_test_rmtree(const char *dir)
{
	nftw(dir, lj_test_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
