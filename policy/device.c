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
	{10, 1, "/dev/psaux, the host's PS/2 mouse"},
	{10, 203, "/dev/cuse, which makes character devices on the host"},
	{10, 224, "/dev/tpm0, the host's TPM"},
	{10, 239, "/dev/uhid, which makes keyboards that type into the host's sessions"},
	{10, 240, "/dev/userio, which makes input devices of the host"},
	{5, 3, "/dev/ttyprintk, lines in the host's kernel log"},
	{9, ANY_MINOR, "/dev/st*, the host's tapes"},
	{21, ANY_MINOR, "/dev/sg*, raw SCSI commands to the host's disks"},
	{29, ANY_MINOR, "/dev/fb*, the host's screens"},
	{86, ANY_MINOR, "/dev/sch*, the host's tape changers"},
	{89, ANY_MINOR, "/dev/i2c-*, the host's SMBus (the RAM's SPD among them)"},
	{90, ANY_MINOR, "/dev/mtd*, the host's raw flash"},
	{162, ANY_MINOR, "/dev/raw/*, the host's disks"},
	{189, ANY_MINOR, "/dev/bus/usb/*, raw access to the host's USB devices"},
	{202, ANY_MINOR, "/dev/cpu/*/msr, the CPU's model-specific registers"},
	{229, ANY_MINOR, "/dev/hvc*, the host's hypervisor consoles"},
};

/* A device known by a name, and why it is refused. */
struct named_refusal {
	const char *name;
	const char *why;
};

/* Majors given at boot, by their name in /proc/devices. */
static const struct named_refusal refused_name[] = {
	{"watchdog", "/dev/watchdog*, which can reboot the host"},
	{"bsg", "/dev/bsg/*, raw SCSI commands to the host's disks"},
	{"nvme", "/dev/nvme*, the host's NVMe controllers"},
	{"nvme-generic", "/dev/ng*, raw commands to the host's NVMe disks"},
	{"dax", "/dev/dax*, the host's persistent memory"},
	{"ipmidev", "/dev/ipmi*, the host's BMC (power, reset, its users)"},
	{"tpm", "/dev/tpm*, the host's TPM"},
	{"tpmrm", "/dev/tpmrm*, the host's TPM"},
};

/* Devices whose misc minor is given on load: by the name the kernel gives
 * the node (DEVNAME in /sys/dev/char/MA:MI/uevent), a prefix of it. */
static const struct named_refusal refused_devname[] = {
	{"userfaultfd", "/dev/userfaultfd, a tool of attacks on the kernel"},
	{"vhost-vdpa", "/dev/vhost-vdpa*, the host's vDPA devices"},
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
	/* The host's own pty slaves (the sandbox has a devpts of its own). */
	if (ma >= 136 && ma <= 143)
		return "/dev/pts/*, a terminal of the host's";
	for (size_t i = 0; i < LJ_ARRAY_SIZE(refused_char); i++)
		if (refused_char[i].major == ma &&
		    (refused_char[i].minor == ANY_MINOR || (unsigned)refused_char[i].minor == mi))
			return refused_char[i].why;
	for (size_t i = 0; major_name && i < LJ_ARRAY_SIZE(refused_name); i++)
		if (strcmp(refused_name[i].name, major_name) == 0)
			return refused_name[i].why;
	return NULL;
}

/* Whether /proc/devices gives the character major MA a name refused above
 * (every line of it: a major may have several): its reason, or NULL; or
 * UNREADABLE. */
static const char unreadable[] = "";
static const char *refused_by_major_name(mode_t mode, dev_t rdev)
{
	FILE *f = fopen("/proc/devices", "re");
	if (!f)
		return unreadable;
	char line[128];
	const char *why = NULL;
	bool chars = false;
	while (!why && fgets(line, sizeof(line), f)) {
		unsigned n;
		char name[64];
		if (strncmp(line, "Character devices:", 18) == 0)
			chars = true;
		else if (strncmp(line, "Block devices:", 14) == 0)
			chars = false;
		else if (chars && sscanf(line, "%u %63s", &n, name) == 2 && n == major(rdev))
			why = lj_device_refusal(mode, rdev, name);
	}
	fclose(f);
	return why;
}

/* The name the kernel gave the node (DEVNAME of /sys/dev/char/MA:MI) into
 * BUF, or NULL when it has none (no such device). */
static const char *devname_of(dev_t rdev, char *buf, size_t len)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/uevent", major(rdev), minor(rdev));
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	const char *found = NULL;
	while (!found && fgets(line, sizeof(line), f))
		if (strncmp(line, "DEVNAME=", 8) == 0) {
			line[strcspn(line, "\n")] = '\0';
			found = snprintf(buf, len, "%s", line + 8) < (int)len ? buf : NULL;
		}
	fclose(f);
	return found;
}

/* Whether DEVNAME is refused by name, or is where the host's console is
 * (/sys/class/tty/console/active: a getty there reads root's password). */
static const char *refused_by_devname(const char *devname)
{
	for (size_t i = 0; i < LJ_ARRAY_SIZE(refused_devname); i++)
		if (strncmp(devname, refused_devname[i].name, strlen(refused_devname[i].name)) == 0)
			return refused_devname[i].why;
	char active[256];
	FILE *f = fopen("/sys/class/tty/console/active", "re");
	bool console = false;
	if (f && fgets(active, sizeof(active), f))
		for (char *save = NULL, *t = strtok_r(active, " \n", &save); t && !console;
		     t = strtok_r(NULL, " \n", &save))
			console = strcmp(t, devname) == 0;
	if (f)
		fclose(f);
	return console ? "the host's console (/sys/class/tty/console/active)" : NULL;
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
	const char *why = lj_device_refusal(st.st_mode, st.st_rdev, NULL);
	char name[128];
	const char *devname = NULL;
	if (!why) {
		why = refused_by_major_name(st.st_mode, st.st_rdev);
		devname = devname_of(st.st_rdev, name, sizeof(name));
	}
	if (why == unreadable) {
		snprintf(buf, len, "%s: cannot read /proc/devices to tell what it is: %s", path,
			 strerror(errno));
		return -1;
	}
	if (!why && !devname) {
		snprintf(buf, len,
			 "%s is char %u:%u, which is no device of the host's "
			 "(/sys/dev/char has no such device): remove it from devices =",
			 path, major(st.st_rdev), minor(st.st_rdev));
		return -1;
	}
	if (!why)
		why = refused_by_devname(devname);
	if (why) {
		if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
			snprintf(
				buf, len,
				"%s is %s %u:%u, %s: no sandbox is given that (remove it from devices =)",
				path, S_ISCHR(st.st_mode) ? "char" : "block", major(st.st_rdev),
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
