/* tiocsti: try TIOCSTI and TIOCLINUX through every way into the kernel's
 * ioctl on x86_64 (test_tiocsti.sh compiles and runs it in a session). Each
 * try is on /dev/null: no terminal is typed into. Past a seccomp filter the
 * kernel answers ENOTTY; the filter answers EPERM; a call the kernel does not
 * have (x32 off) ENOSYS. Prints "LJ WAY=ERRNO-NAME" per try ("ok" for 0,
 * "signal N" when the try killed its process). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define X32_BIT 0x40000000L
#define X32_IOCTL 514 /* arch/x86/entry/syscalls/syscall_64.tbl */
#define I386_IOCTL 54 /* arch/x86/entry/syscalls/syscall_32.tbl */

static int fd;
static char byte = ' ';

/* The i386 ABI from a 64-bit program: int $0x80 (CONFIG_IA32_EMULATION). */
static long int80(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

enum way { NATIVE, NATIVE_LINUX, NATIVE_HIGH_BITS, I386, I386_LINUX, X32, X32_NR16 };
static const char *const names[] = {"native",  "native_tioclinux", "native_high_bits",
				    "i386",    "i386_tioclinux",   "x32",
				    "x32_nr16"};

/* Returns 0 or an errno. */
static int try(enum way w)
{
	long r = 0;
	/* a 32-bit address for the i386 calls: never read (the call fails first) */
	long low = 0x1000;
	switch (w) {
	case NATIVE:
		r = syscall(SYS_ioctl, fd, TIOCSTI, &byte);
		break;
	case NATIVE_LINUX:
		r = syscall(SYS_ioctl, fd, TIOCLINUX, &byte);
		break;
	case NATIVE_HIGH_BITS:
		/* the kernel's ioctl takes an unsigned int: this is TIOCSTI */
		r = syscall(SYS_ioctl, fd, 0xffffffff00000000UL | TIOCSTI, &byte);
		break;
	case X32:
		r = syscall(X32_BIT | X32_IOCTL, fd, TIOCSTI, &byte);
		break;
	case X32_NR16:
		/* x86_64's ioctl number with the x32 bit: not an x32 call */
		r = syscall(X32_BIT | SYS_ioctl, fd, TIOCSTI, &byte);
		break;
	case I386:
	case I386_LINUX:
		r = int80(I386_IOCTL, fd, w == I386 ? TIOCSTI : TIOCLINUX, low);
		if (r < 0 && r > -4096) {
			errno = (int)-r;
			r = -1;
		}
		break;
	}
	return r < 0 ? errno : 0;
}

int main(void)
{
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror("/dev/null");
		return 1;
	}
	for (size_t w = 0; w < sizeof(names) / sizeof(names[0]); w++) {
		/* in a child: without IA32 emulation int $0x80 is a SIGSEGV */
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			int err = try((enum way)w);
			printf("LJ %s=%s\n", names[w], err ? strerrorname_np(err) : "ok");
			fflush(stdout);
			_exit(0);
		}
		int st = 0;
		if (pid < 0 || waitpid(pid, &st, 0) < 0)
			return 1;
		if (WIFSIGNALED(st))
			printf("LJ %s=signal %d\n", names[w], WTERMSIG(st));
	}
	return 0;
}
