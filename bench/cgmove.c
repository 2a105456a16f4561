/* cgmove: what moving a process between cgroups costs, and what forks and
 * exits cost (bench/bench.sh runs it with favordynmods off and on).
 *
 *   cgmove migrate [-n ROUNDS] [-s SPACING_MS] [-r RAW] CGDIR...
 *       Each round forks a child (it waits on a pipe), sleeps SPACING_MS,
 *       then writes the child's pid into CGDIR/cgroup.procs of every CGDIR in
 *       turn (one pwrite each, on descriptors opened once, as the helper
 *       does), then lets the child exit. The first write of a round is an
 *       isolated one (no migration for SPACING_MS before it); the others
 *       follow it back-to-back, like the helper's writes to each hierarchy.
 *       Prints: "migrate ROUNDS FIRST_MEDIAN FIRST_P10 FIRST_P90
 *       REST_MEDIAN_PER_WRITE" (milliseconds); RAW gets "round,first_ns,rest_ns".
 *   cgmove gp [-n ROUNDS] [-s SPACING_MS]
 *       What one RCU grace period takes here: membarrier(MEMBARRIER_CMD_GLOBAL)
 *       is synchronize_rcu(), which is what a cgroup.procs write waits for in
 *       rcu_sync_enter() when the kernel takes the global
 *       cgroup_threadgroup_rwsem for writing and favordynmods is off.
 *       Prints "gp ROUNDS MEDIAN P10 P90" (milliseconds).
 *   cgmove fork [-n N]
 *       N times fork + _exit(0) + waitpid. Prints "fork N MEDIAN_US".
 *   cgmove exec [-n N] PATH
 *       N times fork + execv(PATH) + waitpid. Prints "exec N MEDIAN_US".
 *
 * The child of a migrate round ends in the last CGDIR; the caller makes the
 * CGDIRs and removes them afterwards. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/membarrier.h>

#define MAX_DIRS 8

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "cgmove: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *s, int n, double p)
{
	qsort(s, (size_t)n, sizeof(double), cmp);
	double pos = p * (n - 1);
	int lo = (int)pos;
	if (lo >= n - 1)
		return s[n - 1];
	return s[lo] + (pos - lo) * (s[lo + 1] - s[lo]);
}

static void reap(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "cgmove: child failed with status 0x%x\n", status);
		exit(1);
	}
}

static void sleep_ms(int ms);

static int migrate(int rounds, int spacing_ms, const char *raw, char **dirs, int ndirs)
{
	int fds[MAX_DIRS];
	for (int i = 0; i < ndirs; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/cgroup.procs", dirs[i]);
		fds[i] = open(path, O_WRONLY | O_CLOEXEC);
		if (fds[i] < 0)
			die(path);
	}
	FILE *rf = raw ? fopen(raw, "we") : NULL;
	if (raw && !rf)
		die(raw);
	double *first = calloc((size_t)rounds, sizeof(double));
	double *rest = calloc((size_t)rounds, sizeof(double));
	if (!first || !rest)
		die("calloc");
	for (int r = 0; r < rounds; r++) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			die("pipe");
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			char c;
			close(p[1]);
			_exit(read(p[0], &c, 1) < 0);
		}
		close(p[0]);
		sleep_ms(spacing_ms);
		char buf[32];
		int len = snprintf(buf, sizeof(buf), "%d", (int)pid);
		int64_t t0 = now_ns();
		if (pwrite(fds[0], buf, (size_t)len, 0) != len)
			die(dirs[0]);
		int64_t t1 = now_ns();
		for (int i = 1; i < ndirs; i++)
			if (pwrite(fds[i], buf, (size_t)len, 0) != len)
				die(dirs[i]);
		int64_t t2 = now_ns();
		close(p[1]);
		reap(pid);
		first[r] = (double)(t1 - t0) / 1e6;
		rest[r] = ndirs > 1 ? (double)(t2 - t1) / 1e6 / (ndirs - 1) : 0;
		if (rf)
			fprintf(rf, "%d,%lld,%lld\n", r, (long long)(t1 - t0),
				(long long)(t2 - t1));
	}
	if (rf)
		fclose(rf);
	double med = pct(first, rounds, 0.5), p10 = pct(first, rounds, 0.1),
	       p90 = pct(first, rounds, 0.9);
	printf("migrate %d %.4f %.4f %.4f %.4f\n", rounds, med, p10, p90, pct(rest, rounds, 0.5));
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int gp(int rounds, int spacing_ms)
{
	double *ms = calloc((size_t)rounds, sizeof(double));
	if (!ms)
		die("calloc");
	for (int r = 0; r < rounds; r++) {
		sleep_ms(spacing_ms);
		int64_t t0 = now_ns();
		if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) < 0)
			die("membarrier");
		ms[r] = (double)(now_ns() - t0) / 1e6;
	}
	double med = pct(ms, rounds, 0.5), p10 = pct(ms, rounds, 0.1), p90 = pct(ms, rounds, 0.9);
	printf("gp %d %.4f %.4f %.4f\n", rounds, med, p10, p90);
	return 0;
}

static int forks(int n, const char *path)
{
	double *us = calloc((size_t)n, sizeof(double));
	if (!us)
		die("calloc");
	char *argv[] = {(char *)path, NULL};
	for (int i = 0; i < n; i++) {
		int64_t t0 = now_ns();
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			if (path)
				execv(path, argv);
			_exit(path ? 127 : 0);
		}
		reap(pid);
		us[i] = (double)(now_ns() - t0) / 1e3;
	}
	printf("%s %d %.2f\n", path ? "exec" : "fork", n, pct(us, n, 0.5));
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: cgmove migrate [-n ROUNDS] [-s SPACING_MS] [-r RAW] CGDIR...\n"
			"       cgmove gp [-n ROUNDS] [-s SPACING_MS]\n"
			"       cgmove fork [-n N]\n"
			"       cgmove exec [-n N] PATH\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	const char *mode = argv[1], *raw = NULL;
	int n = 20, spacing = 50, opt;
	argv++;
	argc--;
	while ((opt = getopt(argc, argv, "+n:s:r:")) != -1) {
		switch (opt) {
		case 'n':
			n = atoi(optarg);
			break;
		case 's':
			spacing = atoi(optarg);
			break;
		case 'r':
			raw = optarg;
			break;
		default:
			usage();
		}
	}
	if (n < 1 || spacing < 0)
		usage();
	int rest = argc - optind;
	if (strcmp(mode, "migrate") == 0 && rest >= 1 && rest <= MAX_DIRS)
		return migrate(n, spacing, raw, argv + optind, rest);
	if (strcmp(mode, "gp") == 0 && rest == 0)
		return gp(n, spacing);
	if (strcmp(mode, "fork") == 0 && rest == 0)
		return forks(n, NULL);
	if (strcmp(mode, "exec") == 0 && rest == 1)
		return forks(n, argv[optind]);
	usage();
}
