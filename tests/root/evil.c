/* A library that, when loaded into any process, says so: it appends the
 * process's real and effective uid to the file named at build time
 * (test_shell_setuid.sh preloads it into loginjail-shell). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

__attribute__((constructor)) static void loaded(void)
{
	char line[64];
	int fd = open(EVIL_MARK, O_WRONLY | O_APPEND | O_CREAT, 0666);
	if (fd < 0)
		return;
	int n = snprintf(line, sizeof(line), "loaded uid=%u euid=%u\n", (unsigned)getuid(),
			 (unsigned)geteuid());
	if (write(fd, line, (size_t)n) < 0)
		n = 0;
	close(fd);
}
