/* ljtime: time several commands in paired, interleaved rounds.
 *
 *   ljtime [-n ROUNDS] [-w WARMUP] [-g PATH]... [-l LOG] [-r RAW]
 *          -- LABEL CMD ARGS... [::: LABEL CMD ARGS...]...
 *
 * Each round runs every command once; the order rotates from round to round
 * (A B C, B C A, C A B ...) so that drift and position effects hit every
 * command alike. A run is fork + execvp + waitpid, timed with
 * CLOCK_MONOTONIC; stdin is /dev/null, stdout and stderr go to LOG
 * (default /dev/null). Before each run, outside the timed region, ljtime
 * waits until none of the -g paths exists (asynchronous teardown of the
 * previous run must not overlap the next one; 30 s at most).
 * The wait right after a run is recorded too: with -g that is how long the
 * asynchronous teardown of what the run left behind took (SETTLE).
 * A run that exits non-zero stops everything (exit 1).
 * Prints one line per command: LABEL N MEDIAN P10 P90 MEAN SETTLE_MEDIAN
 * (milliseconds), and writes every sample to RAW as "round,label,ns,settle_ns". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 8
#define MAX_GONE 8
#define GONE_TIMEOUT_NS (30LL * 1000000000LL)

struct cmd {
	const char *label;
	char **argv;
	double *ms;
	double *settle;
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static double wait_gone(const char **paths, int n)
{
	int64_t start = now_ns();
	for (int i = 0; i < n; i++) {
		struct stat st;
		while (lstat(paths[i], &st) == 0) {
			if (now_ns() - start > GONE_TIMEOUT_NS) {
				fprintf(stderr, "ljtime: %s still exists after 30 s\n", paths[i]);
				exit(1);
			}
			struct timespec ts = {0, 500 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	return (double)(now_ns() - start) / 1e6;
}

static double run(const struct cmd *c, int logfd)
{
	int64_t t0 = now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		perror("ljtime: fork");
		exit(1);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0)
			_exit(127);
		execvp(c->argv[0], c->argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("ljtime: waitpid");
			exit(1);
		}
	int64_t t1 = now_ns();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "ljtime: \"%s\" (%s) failed with status 0x%x; see the log\n",
			c->label, c->argv[0], status);
		exit(1);
	}
	return (double)(t1 - t0) / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Linear interpolation between closest ranks. */
static double pct(const double *s, int n, double p)
{
	double pos = p * (n - 1);
	int lo = (int)pos;
	if (lo >= n - 1)
		return s[n - 1];
	return s[lo] + (pos - lo) * (s[lo + 1] - s[lo]);
}

static void usage(void)
{
	fprintf(stderr, "usage: ljtime [-n ROUNDS] [-w WARMUP] [-g PATH]... [-l LOG] [-r RAW] "
			"-- LABEL CMD ARGS... [::: LABEL CMD ARGS...]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int rounds = 20, warmup = 2, ngone = 0, ncmd = 0, opt;
	const char *gone[MAX_GONE], *log = "/dev/null", *raw = NULL;
	struct cmd cmds[MAX_CMDS];

	while ((opt = getopt(argc, argv, "+n:w:g:l:r:")) != -1) {
		switch (opt) {
		case 'n':
			rounds = atoi(optarg);
			break;
		case 'w':
			warmup = atoi(optarg);
			break;
		case 'g':
			if (ngone == MAX_GONE)
				usage();
			gone[ngone++] = optarg;
			break;
		case 'l':
			log = optarg;
			break;
		case 'r':
			raw = optarg;
			break;
		default:
			usage();
		}
	}
	if (rounds < 1 || warmup < 0 || optind >= argc || strcmp(argv[optind - 1], "--") != 0)
		usage();
	for (int i = optind; i < argc;) {
		if (ncmd == MAX_CMDS || i + 1 >= argc)
			usage();
		cmds[ncmd].label = argv[i];
		cmds[ncmd].argv = argv + i + 1;
		int j = i + 1;
		while (j < argc && strcmp(argv[j], ":::") != 0)
			j++;
		if (j == i + 1)
			usage();
		argv[j < argc ? j : argc] = NULL; /* argv[argc] is NULL already */
		cmds[ncmd].ms = calloc((size_t)rounds, sizeof(double));
		cmds[ncmd].settle = calloc((size_t)rounds, sizeof(double));
		if (!cmds[ncmd].ms || !cmds[ncmd].settle)
			usage();
		ncmd++;
		i = j + 1;
	}

	int logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (logfd < 0) {
		perror(log);
		return 1;
	}
	FILE *rf = raw ? fopen(raw, "we") : NULL;
	if (raw && !rf) {
		perror(raw);
		return 1;
	}
	wait_gone(gone, ngone);
	for (int r = -warmup; r < rounds; r++) {
		for (int k = 0; k < ncmd; k++) {
			int c = ((r + warmup) + k) % ncmd;
			double ms = run(&cmds[c], logfd);
			double settle = wait_gone(gone, ngone);
			if (r < 0)
				continue;
			cmds[c].ms[r] = ms;
			cmds[c].settle[r] = settle;
			if (rf)
				fprintf(rf, "%d,%s,%.0f,%.0f\n", r, cmds[c].label, ms * 1e6,
					settle * 1e6);
		}
	}
	if (rf)
		fclose(rf);
	for (int c = 0; c < ncmd; c++) {
		double sum = 0;
		for (int r = 0; r < rounds; r++)
			sum += cmds[c].ms[r];
		qsort(cmds[c].ms, (size_t)rounds, sizeof(double), cmp);
		qsort(cmds[c].settle, (size_t)rounds, sizeof(double), cmp);
		printf("%s %d %.3f %.3f %.3f %.3f %.3f\n", cmds[c].label, rounds,
		       pct(cmds[c].ms, rounds, 0.5), pct(cmds[c].ms, rounds, 0.1),
		       pct(cmds[c].ms, rounds, 0.9), sum / rounds,
		       pct(cmds[c].settle, rounds, 0.5));
	}
	return 0;
}
