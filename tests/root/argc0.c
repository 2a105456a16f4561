/* argc0 PROGRAM: run PROGRAM with an empty argv (argc 0, CVE-2021-4034) and
 * the caller's environment. */
#include <stdio.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	char *none[] = {NULL};
	if (argc != 2) {
		fprintf(stderr, "usage: argc0 PROGRAM\n");
		return 2;
	}
	execve(argv[1], none, environ);
	perror("execve");
	return 127;
}
