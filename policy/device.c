/* The devices key: which device nodes of the host a sandbox may be given.
 * One place for the judgement, used by loginjailctl check and by the
 * helper on the descriptor it then clones (helper/binds.c).
 *
 * Refused, whatever the policy says: anything but a character device (a
 * block device is a disk, a partition or a loop device of the host, which
 * the user could read or write under every file permission), and the
 * character devices that reach the host itself, its memory, disks, consoles
 * or input, or can stop it with one open and close. The list is by major
 * and minor, not by name: a node made under another name is the same
 * device. Majors that the kernel hands out at boot are matched by the name
 * /proc/devices gives them. What is left (kvm, fuse, net/tun, vhost-net,
 * dri, nvidia*, serial ports, hidraw) serves one user's work, and the
 * node's own owner and mode still decide who inside may open it. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "internal.h"
#include "util.h"
#include "walk.h"

#define ANY_MINOR (-1)

static const struct {
	unsigned major;
	int minor; /* ANY_MINOR: the whole major */
	const char *why;
} refused_char[] = {
	{1, 1, "/dev/mem, the host's physical memory"},
	{1, 2, "/dev/kmem, the kernel's memory"},
	{1, 4, "/dev/port, the host's I/O ports"},
	/* Read, the host's kernel log; written, lines as the kernel's. */
	{1, 11, "/dev/kmsg, the host's kernel log"},
	{5, 1, "/dev/console, the host's console"},
	/* The host's pty pool: the sandbox has a devpts of its own. */
	{5, 2, "/dev/ptmx, the host's pseudo-terminals"},
	{7, ANY_MINOR, "/dev/vcs*, the screens of the host's virtual consoles"},
	/* Opened and closed without the magic 'V', it reboots the host. */
	{10, 130, "/dev/watchdog, which can reboot the host"},
	{10, 144, "/dev/nvram, the host's firmware settings"},
	{10, 184, "/dev/cpu/microcode, the CPU's microcode"},
	{10, 223, "/dev/uinput, which types and clicks into the host's sessions"},
	{10, 231, "/dev/snapshot, the host's hibernation image (all of its memory)"},
	{10, 236, "/dev/mapper/control, which maps the host's disks"},
	{10, 237, "/dev/loop-control, which makes loop devices on the host"},
	/* Every keyboard of the host: what root types at the console. */
	{13, ANY_MINOR, "/dev/input/*, the host's keyboards and mice"},
	{21, ANY_MINOR, "/dev/sg*, raw SCSI commands to the host's disks"},
	{90, ANY_MINOR, "/dev/mtd*, the host's raw flash"},
	{202, ANY_MINOR, "/dev/cpu/*/msr, the CPU's model-specific registers"},
};

/* Majors given at boot, by their name in /proc/devices. */
static const struct {
	const char *name;
	const char *why;
} refused_name[] = {
	{"watchdog", "/dev/watchdog*, which can reboot the host"},
	{"bsg", "/dev/bsg/*, raw SCSI commands to the host's disks"},
	{"nvme", "/dev/nvme*, the host's NVMe controllers"},
	{"nvme-generic", "/dev/ng*, raw commands to the host's NVMe disks"},
	{"dax", "/dev/dax*, the host's persistent memory"},
};

const char *lj_device_refusal(mode_t mode, dev_t rdev, const char *major_name)
{
	if (S_ISBLK(mode))
		return "a block device: a disk, partition or loop device of the host";
	if (!S_ISCHR(mode))
		return "not a character device";
	unsigned ma = major(rdev), mi = minor(rdev);
	/* 4:0-63 are the virtual consoles (tty0 is the one in front); the
	 * serial ports above them may be given. */
	if (ma == 4 && mi < 64)
		return "/dev/tty*, a virtual console of the host";
	for (size_t i = 0; i < LJ_ARRAY_SIZE(refused_char); i++)
		if (refused_char[i].major == ma &&
		    (refused_char[i].minor == ANY_MINOR || (unsigned)refused_char[i].minor == mi))
			return refused_char[i].why;
	for (size_t i = 0; major_name && i < LJ_ARRAY_SIZE(refused_name); i++)
		if (strcmp(refused_name[i].name, major_name) == 0)
			return refused_name[i].why;
	return NULL;
}

/* The name /proc/devices gives the character major MA, into BUF; NULL when
 * it has none (or cannot be read: the fixed numbers above still apply). */
static const char *char_major_name(unsigned ma, char *buf, size_t len)
{
	FILE *f = fopen("/proc/devices", "re");
	if (!f)
		return NULL;
	char line[128];
	const char *found = NULL;
	bool chars = false;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned n;
		char name[64];
		if (strncmp(line, "Character devices:", 18) == 0)
			chars = true;
		else if (strncmp(line, "Block devices:", 14) == 0)
			chars = false;
		else if (chars && sscanf(line, "%u %63s", &n, name) == 2 && n == ma)
			found = snprintf(buf, len, "%s", name) < (int)len ? buf : NULL;
	}
	fclose(f);
	return found;
}

int lj_device_open(const char *path, char *buf, size_t len)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		snprintf(buf, len, "cannot open /: %s", strerror(errno));
		return -1;
	}
	struct lj_walk w;
	cleanup_close int fd = lj_walk_open(root, "", path, 0, 0, &w);
	if (fd < 0) {
		lj_walk_describe(&w, buf, len);
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		snprintf(buf, len, "cannot stat %s: %s", path, strerror(errno));
		return -1;
	}
	char name[64];
	const char *major_name =
		S_ISCHR(st.st_mode) ? char_major_name(major(st.st_rdev), name, sizeof(name)) : NULL;
	const char *why = lj_device_refusal(st.st_mode, st.st_rdev, major_name);
	if (why) {
		if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
			snprintf(buf, len, "%s is %s %u:%u, %s: no sandbox is given that", path,
				 S_ISCHR(st.st_mode) ? "char" : "block", major(st.st_rdev),
				 minor(st.st_rdev), why);
		else
			snprintf(buf, len, "%s is %s, not a character device", path,
				 S_ISDIR(st.st_mode)   ? "a directory"
				 : S_ISREG(st.st_mode) ? "a regular file"
						       : "a socket or FIFO");
		return -1;
	}
	return lj_steal_fd(&fd);
}
