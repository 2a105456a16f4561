/* Strict value parsers and name checks (SECURITY.md rules 8 and 9). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "policy.h"

#define MIB (1024ULL * 1024ULL)

static void expect_size(const char *s, uint64_t want)
{
	uint64_t v = 0;
	const char *why = NULL;

	if (lj_parse_size(s, &v, &why) != 0)
		fail_msg("lj_parse_size(\"%s\") failed: %s", s, why);
	if (v != want)
		fail_msg("lj_parse_size(\"%s\") = %llu, want %llu", s, (unsigned long long)v,
			 (unsigned long long)want);
}

static void expect_size_bad(const char *s, const char *why_part)
{
	uint64_t v = 12345;
	const char *why = NULL;

	if (lj_parse_size(s, &v, &why) == 0)
		fail_msg("lj_parse_size(\"%s\") accepted it as %llu", s, (unsigned long long)v);
	assert_non_null(why);
	if (why_part && !strstr(why, why_part))
		fail_msg("lj_parse_size(\"%s\"): reason \"%s\" lacks \"%s\"", s, why, why_part);
	assert_int_equal(v, 12345); /* untouched on failure */
}

static void size_accepts_units_and_max(void **state)
{
	expect_size("1M", MIB);
	expect_size("512M", 512 * MIB);
	expect_size("1048576", MIB);
	expect_size("2048K", 2 * MIB);
	expect_size("3G", 3 * 1024 * MIB);
	expect_size("2T", 2ULL * 1024 * 1024 * MIB);
	expect_size("1024T", 1024ULL * 1024 * 1024 * MIB);
	expect_size("max", LJ_UNLIMITED);
}

static void size_rejects_security_md_values(void **state)
{
	expect_size_bad("18446744073709551616", "too large"); /* 2^64 */
	expect_size_bad("18446744073709551615", "out of range");
	expect_size_bad("99999999999999999999999", "too large");
	expect_size_bad("-1", "not a number");
	expect_size_bad("0x10", "hexadecimal");
	expect_size_bad("0x100000", "hexadecimal");
	expect_size_bad("010M", "leading zero");
	expect_size_bad("1e3", "unknown unit");
	expect_size_bad("1e9", "unknown unit");
	expect_size_bad("", "empty");
	expect_size_bad(" 5M", "not a number");
	expect_size_bad("5M ", "trailing");
	expect_size_bad("5 M", "unknown unit");
	expect_size_bad("+5M", "not a number");
	expect_size_bad("5MB", "trailing");
	expect_size_bad("5m", "unknown unit");
	expect_size_bad("5k", "unknown unit");
	expect_size_bad("1.5G", "unknown unit");
	expect_size_bad("MAX", "not a number");
	expect_size_bad("maximum", "not a number");
	expect_size_bad("17179869184T", "number too large"); /* 2^64 bytes via T */
	expect_size_bad("1025T", "out of range");
}

static void size_rejects_tiny_values(void **state)
{
	expect_size_bad("0", "too small");
	expect_size_bad("1", "too small");
	expect_size_bad("1023K", "too small");
	expect_size_bad("1048575", "too small");
}

static void count_pids(void **state)
{
	uint64_t v;
	const char *why;

	assert_int_equal(lj_parse_count("1", &v, &why), 0);
	assert_int_equal(v, 1);
	assert_int_equal(lj_parse_count("256", &v, &why), 0);
	assert_int_equal(v, 256);
	assert_int_equal(lj_parse_count("4194304", &v, &why), 0);
	assert_int_equal(lj_parse_count("max", &v, &why), 0);
	assert_true(v == LJ_UNLIMITED);
	assert_int_equal(lj_parse_count("0", &v, &why), -1);
	assert_non_null(strstr(why, "1 to 4194304"));
	assert_int_equal(lj_parse_count("4194305", &v, &why), -1);
	assert_int_equal(lj_parse_count("18446744073709551616", &v, &why), -1);
	assert_non_null(strstr(why, "too large"));
	assert_int_equal(lj_parse_count("-1", &v, &why), -1);
	assert_int_equal(lj_parse_count("0x10", &v, &why), -1);
	assert_non_null(strstr(why, "hexadecimal"));
	assert_int_equal(lj_parse_count("1e3", &v, &why), -1);
	assert_non_null(strstr(why, "trailing"));
	assert_int_equal(lj_parse_count("256K", &v, &why), -1);
	assert_int_equal(lj_parse_count("", &v, &why), -1);
	assert_int_equal(lj_parse_count(" 5", &v, &why), -1);
	assert_int_equal(lj_parse_count("010", &v, &why), -1);
}

static void percent_cpu(void **state)
{
	uint64_t v;
	const char *why;

	assert_int_equal(lj_parse_percent("250%", &v, &why), 0);
	assert_int_equal(v, 250);
	assert_int_equal(lj_parse_percent("1%", &v, &why), 0);
	assert_int_equal(lj_parse_percent("100000%", &v, &why), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(lj_parse_percent("max", &v, &why), 0);
	assert_true(v == LJ_UNLIMITED);
	assert_int_equal(lj_parse_percent("0%", &v, &why), -1);
	assert_non_null(strstr(why, "out of range"));
	assert_int_equal(lj_parse_percent("100001%", &v, &why), -1);
	assert_int_equal(lj_parse_percent("250", &v, &why), -1);
	assert_non_null(strstr(why, "missing '%'"));
	assert_int_equal(lj_parse_percent("250%%", &v, &why), -1);
	assert_int_equal(lj_parse_percent("%", &v, &why), -1);
	assert_int_equal(lj_parse_percent("-5%", &v, &why), -1);
	assert_int_equal(lj_parse_percent("2.5%", &v, &why), -1);
	assert_int_equal(lj_parse_percent("18446744073709551616%", &v, &why), -1);
	assert_int_equal(lj_parse_percent(" 50%", &v, &why), -1);
}

static void uint_range(void **state)
{
	uint64_t v;
	const char *why;

	assert_int_equal(lj_parse_uint_range("1", 1, 10000, &v, &why), 0);
	assert_int_equal(lj_parse_uint_range("10000", 1, 10000, &v, &why), 0);
	assert_int_equal(v, 10000);
	assert_int_equal(lj_parse_uint_range("0", 0, 0, &v, &why), 0);
	assert_int_equal(lj_parse_uint_range("18446744073709551615", 0, UINT64_MAX, &v, &why), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(lj_parse_uint_range("18446744073709551616", 0, UINT64_MAX, &v, &why), -1);
	assert_string_equal(why, "number too large");
	assert_int_equal(lj_parse_uint_range("0", 1, 10000, &v, &why), -1);
	assert_string_equal(why, "out of range");
	assert_int_equal(lj_parse_uint_range("10001", 1, 10000, &v, &why), -1);
	assert_int_equal(lj_parse_uint_range("5 ", 1, 10, &v, &why), -1);
	assert_int_equal(lj_parse_uint_range("5x", 1, 10, &v, &why), -1);
	assert_int_equal(lj_parse_uint_range("", 1, 10, &v, &why), -1);
}

static void bool_yes_no_only(void **state)
{
	bool b = false;
	const char *why;
	const char *bad[] = {"",  "y",	"n",   "Yes",  "YES", "true", "false", "1",
			     "0", "on", "off", "yes ", " no", "nope", "yesno"};

	assert_int_equal(lj_parse_bool("yes", &b, &why), 0);
	assert_true(b);
	assert_int_equal(lj_parse_bool("no", &b, &why), 0);
	assert_false(b);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (lj_parse_bool(bad[i], &b, &why) == 0)
			fail_msg("lj_parse_bool accepted \"%s\"", bad[i]);
		assert_string_equal(why, "must be yes or no");
	}
}

static void seconds_linger(void **state)
{
	int64_t v;
	const char *why;

	assert_int_equal(lj_parse_seconds("0", &v, &why), 0);
	assert_int_equal(v, 0);
	assert_int_equal(lj_parse_seconds("300", &v, &why), 0);
	assert_int_equal(v, 300);
	assert_int_equal(lj_parse_seconds("31536000", &v, &why), 0);
	assert_int_equal(lj_parse_seconds("forever", &v, &why), 0);
	assert_int_equal(v, LJ_LINGER_FOREVER);
	assert_int_equal(lj_parse_seconds("31536001", &v, &why), -1);
	assert_non_null(strstr(why, "31536000"));
	assert_int_equal(lj_parse_seconds("-1", &v, &why), -1);
	assert_int_equal(lj_parse_seconds("5s", &v, &why), -1);
	assert_int_equal(lj_parse_seconds("Forever", &v, &why), -1);
	assert_int_equal(lj_parse_seconds("18446744073709551616", &v, &why), -1);
}

static void expect_path(const char *s, const char *want)
{
	char out[256];
	const char *why = NULL;

	if (lj_parse_path(s, out, sizeof(out), &why) != 0)
		fail_msg("lj_parse_path(\"%s\") failed: %s", s, why);
	if (strcmp(out, want) != 0)
		fail_msg("lj_parse_path(\"%s\") = \"%s\", want \"%s\"", s, out, want);
}

static void expect_path_bad(const char *s, const char *why_part)
{
	char out[256];
	const char *why = NULL;

	if (lj_parse_path(s, out, sizeof(out), &why) == 0)
		fail_msg("lj_parse_path(\"%s\") accepted it as \"%s\"", s, out);
	if (!strstr(why, why_part))
		fail_msg("lj_parse_path(\"%s\"): reason \"%s\" lacks \"%s\"", s, why, why_part);
}

static void path_normalises(void **state)
{
	expect_path("/srv/data", "/srv/data");
	expect_path("//srv///data//", "/srv/data");
	expect_path("/srv/data/", "/srv/data");
	expect_path("/opt", "/opt");
	expect_path("/srv/.hidden/x..y/...", "/srv/.hidden/x..y/...");
	expect_path("/processes", "/processes"); /* not under /proc */
	expect_path("/system", "/system");
	expect_path("/run/loginjailx", "/run/loginjailx");
	/* The user's own home (helper/binds.c expands it). */
	expect_path("%h/.ssh", "%h/.ssh");
	expect_path("%h//.ssh//keys/", "%h/.ssh/keys");
	/* Below /dev, what the sandbox does not mount itself (bound after it). */
	expect_path("/dev/net", "/dev/net");
	expect_path("/tmpfiles", "/tmpfiles");
	expect_path("/devices", "/devices");
}

static void path_rejects_unsafe(void **state)
{
	char small[8];
	const char *why;

	expect_path_bad("", "empty");
	expect_path_bad("srv/data", "absolute");
	expect_path_bad("./srv", "absolute");
	expect_path_bad("~/x", "absolute");
	expect_path_bad("/", "root directory");
	expect_path_bad("///", "root directory");
	expect_path_bad("/srv/../etc", "'..'");
	expect_path_bad("/..", "'..'");
	expect_path_bad("/srv/..", "'..'");
	expect_path_bad("/srv/./x", "'.'");
	expect_path_bad("/srv/.", "'.'");
	expect_path_bad("/proc", "/proc");
	expect_path_bad("/proc/1/root", "/proc");
	expect_path_bad("//proc//sys", "/proc");
	expect_path_bad("/sys", "/sys");
	expect_path_bad("/sys/fs/cgroup", "/sys");
	expect_path_bad("/run/loginjail", "/run/loginjail");
	expect_path_bad("/run/loginjail/1000", "/run/loginjail");
	/* What the sandbox's own mounts would hide, or anyone could replace. */
	expect_path_bad("/tmp", "/tmp");
	expect_path_bad("//tmp/x/", "/tmp");
	expect_path_bad("/dev", "/dev");
	expect_path_bad("/dev/pts", "/dev/pts");
	expect_path_bad("/dev/shm/x", "/dev/shm");
	/* %h is only a prefix of a path below the home. */
	expect_path_bad("%h", "%h itself is the home");
	expect_path_bad("%h/", "%h itself is the home");
	expect_path_bad("%h.ssh", "%h must be followed by /");
	expect_path_bad("%u/x", "absolute");
	expect_path_bad("/srv/%h/x/..", "'..'");
	expect_path_bad("%h/../etc", "'..'");
	expect_path_bad("/srv/my data", "spaces");
	expect_path_bad("/srv/a\tb", "spaces");
	expect_path_bad("/srv/a\nb", "control");
	expect_path_bad("/srv/\x1b[31m", "control");
	expect_path_bad("/srv/\xc3\xa9", "ASCII");
	assert_int_equal(lj_parse_path("/a/very/long/path", small, sizeof(small), &why), -1);
	assert_string_equal(why, "path too long");
}

static void path_list(void **state)
{
	struct lj_paths p = {0};
	const char *why;
	char many[32 * 8 + 64] = "";

	assert_int_equal(lj_parse_path_list("/srv/a  /opt//b/ \t/data", &p, &why), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.v[0], "/srv/a");
	assert_string_equal(p.v[1], "/opt/b");
	assert_string_equal(p.v[2], "/data");
	lj_paths_free(&p);
	assert_int_equal(p.n, 0);

	assert_int_equal(lj_parse_path_list("", &p, &why), 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(lj_parse_path_list("   ", &p, &why), 0);
	assert_int_equal(p.n, 0);

	assert_int_equal(lj_parse_path_list("/srv/a /proc/self", &p, &why), -1);
	assert_int_equal(p.n, 0);
	assert_non_null(strstr(why, "/proc"));
	assert_int_equal(lj_parse_path_list("/srv/a relative", &p, &why), -1);
	assert_int_equal(lj_parse_path_list("/srv/a /srv//a/", &p, &why), -1);
	assert_string_equal(why, "a path is listed twice");

	for (int i = 0; i < LJ_MAX_BINDS; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "/d%d ", i);
	assert_int_equal(lj_parse_path_list(many, &p, &why), 0);
	assert_int_equal(p.n, LJ_MAX_BINDS);
	lj_paths_free(&p);
	strcat(many, "/one-more");
	assert_int_equal(lj_parse_path_list(many, &p, &why), -1);
	assert_string_equal(why, "too many paths: at most 32");
	assert_int_equal(p.n, 0);
}

static void expect_devices_bad(const char *s, const char *why_part)
{
	struct lj_paths p = {0};
	const char *why = NULL;

	if (lj_parse_device_list(s, &p, &why) == 0)
		fail_msg("devices = %s accepted (%zu paths)", s, p.n);
	if (!strstr(why, why_part))
		fail_msg("devices = %s: reason \"%s\" lacks \"%s\"", s, why, why_part);
	assert_int_equal(p.n, 0);
}

/* The text of devices =: absolute paths under /dev/, written in their
 * normal form; what each is, is seen on the host (device_refusal). */
static void device_list(void **state)
{
	struct lj_paths p = {0};
	const char *why;

	assert_int_equal(
		lj_parse_device_list(" /dev/kvm\t/dev/net/tun  /dev/dri/renderD128 ", &p, &why), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.v[0], "/dev/kvm");
	assert_string_equal(p.v[1], "/dev/net/tun");
	assert_string_equal(p.v[2], "/dev/dri/renderD128");
	lj_paths_free(&p);
	assert_int_equal(lj_parse_device_list("", &p, &why), 0);
	assert_int_equal(p.n, 0);

	expect_devices_bad("/dev/kvm /etc/passwd", "under /dev/");
	expect_devices_bad("/devices/kvm", "under /dev/");
	expect_devices_bad("/srv/dev/kvm", "under /dev/");
	expect_devices_bad("%h/dev/kvm", "under /dev/");
	expect_devices_bad("dev/kvm", "absolute");
	expect_devices_bad("/dev/", "/dev");
	expect_devices_bad("/dev", "/dev");
	expect_devices_bad("/dev/net/tun/", "trailing");
	expect_devices_bad("/dev//kvm", "'//'");
	expect_devices_bad("//dev/kvm", "'//'");
	expect_devices_bad("/dev/../etc/passwd", "'..'");
	expect_devices_bad("/dev/net/../kvm", "'..'");
	expect_devices_bad("/dev/./kvm", "'.'");
	expect_devices_bad("/dev/pts/0", "/dev/pts");
	expect_devices_bad("/dev/shm/x", "/dev/shm");
	expect_devices_bad("/dev/kvm /dev/kvm", "listed twice");
	expect_devices_bad("/dev/k\x01vm", "control");
}

/* What a node is, judged by type and numbers, not by its name. */
static void device_refusal(void **state)
{
	static const struct {
		unsigned major, minor;
		const char *name; /* in /proc/devices */
		const char *why;  /* NULL: allowed */
	} cases[] = {
		{10, 232, "misc", NULL},	   /* kvm */
		{10, 229, "misc", NULL},	   /* fuse */
		{10, 200, "misc", NULL},	   /* net/tun */
		{10, 238, "misc", NULL},	   /* vhost-net */
		{226, 128, "drm", NULL},	   /* dri/renderD128 */
		{195, 0, "nvidia-frontend", NULL}, /* nvidia0 */
		{1, 3, "mem", NULL},		   /* null */
		{4, 64, "ttyS", NULL},		   /* ttyS0 */
		{203, 0, "cpu/cpuid", NULL},
		{1, 1, "mem", "/dev/mem"},
		{1, 2, "mem", "/dev/kmem"},
		{1, 4, "mem", "/dev/port"},
		{1, 11, "mem", "/dev/kmsg"},
		{4, 0, "tty", "virtual console"},
		{4, 63, "tty", "virtual console"},
		{5, 1, "/dev/console", "/dev/console"},
		{5, 2, "/dev/ptmx", "/dev/ptmx"},
		{7, 3, "vcs", "/dev/vcs"},
		{10, 130, "misc", "/dev/watchdog"},
		{10, 223, "misc", "/dev/uinput"},
		{10, 231, "misc", "/dev/snapshot"},
		{10, 236, "misc", "/dev/mapper/control"},
		{10, 237, "misc", "/dev/loop-control"},
		{13, 64, "input", "/dev/input"},
		{21, 0, "sg", "/dev/sg"},
		{202, 0, "cpu/msr", "msr"},
		{10, 1, "misc", "/dev/psaux"},
		{10, 203, "misc", "/dev/cuse"},
		{10, 224, "misc", "/dev/tpm0"},
		{10, 239, "misc", "/dev/uhid"},
		{10, 240, "misc", "/dev/userio"},
		{5, 3, "ttyprintk", "/dev/ttyprintk"},
		{9, 0, "st", "tapes"},
		{29, 0, "fb", "/dev/fb"},
		{86, 0, "sch", "tape changers"},
		{89, 0, "i2c", "SMBus"},
		{136, 0, "pts", "/dev/pts"},
		{143, 7, "pts", "/dev/pts"},
		{162, 0, "raw", "/dev/raw"},
		{189, 0, "usb_device", "USB"},
		{229, 0, "hvc", "hypervisor"},
		{188, 0, "ttyUSB", NULL}, /* a USB serial port */
		{166, 0, "ttyACM", NULL},
		/* A major given at boot, known by its name only. */
		{249, 0, "watchdog", "/dev/watchdog"},
		{248, 0, "bsg", "/dev/bsg"},
		{240, 0, "nvme", "NVMe"},
		{241, 0, "nvme-generic", "NVMe"},
		{252, 0, "dax", "persistent memory"},
		{239, 0, "ipmidev", "BMC"},
		{253, 0, "tpm", "TPM"},
		{254, 0, "tpmrm", "TPM"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = lj_device_refusal(
			S_IFCHR | 0666, makedev(cases[i].major, cases[i].minor), cases[i].name);
		if (!cases[i].why && why)
			fail_msg("char %u:%u (%s) refused: %s", cases[i].major, cases[i].minor,
				 cases[i].name, why);
		if (cases[i].why && (!why || !strstr(why, cases[i].why)))
			fail_msg("char %u:%u (%s): %s, want a refusal naming %s", cases[i].major,
				 cases[i].minor, cases[i].name, why ? why : "allowed",
				 cases[i].why);
	}
	/* Without /proc/devices the fixed numbers still hold. */
	assert_non_null(lj_device_refusal(S_IFCHR | 0600, makedev(1, 1), NULL));
	assert_null(lj_device_refusal(S_IFCHR | 0600, makedev(10, 232), NULL));
	/* Every block device, whatever its numbers; and what is no device. */
	const char *why = lj_device_refusal(S_IFBLK | 0600, makedev(7, 0), "loop");
	assert_non_null(why);
	assert_non_null(strstr(why, "block device"));
	assert_non_null(lj_device_refusal(S_IFBLK | 0600, makedev(259, 0), NULL));
	assert_non_null(lj_device_refusal(S_IFBLK | 0600, makedev(1, 3), NULL));
	static const mode_t others[] = {S_IFREG, S_IFDIR, S_IFIFO, S_IFSOCK, S_IFLNK};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		why = lj_device_refusal(others[i] | 0666, 0, NULL);
		if (!why || !strstr(why, "not a character device"))
			fail_msg("mode %o: %s", (unsigned)others[i], why ? why : "allowed");
	}
}

static void hostname(void **state)
{
	const char *why;
	const char *good[] = {"a",    "loginjail", "lab-alice", "Lab01", "lab.example.org",
			      "0123", "a-b-c"};
	const char *bad[] = {"",     "-lab",  "lab-",  "lab_1", "lab..x", ".lab",
			     "lab.", "lab x", "lab/x", "la%b",	"lab\n"};
	char longest[65], too_long[66], label64[65];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (lj_check_hostname(good[i], &why) != 0)
			fail_msg("hostname \"%s\" rejected: %s", good[i], why);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (lj_check_hostname(bad[i], &why) == 0)
			fail_msg("hostname \"%s\" accepted", bad[i]);
	}
	/* 64 bytes in all is the limit (two labels: 63 + '.' would be 64). */
	memset(longest, 'a', 64);
	longest[63] = '\0';
	assert_int_equal(lj_check_hostname(longest, &why), 0);
	memset(label64, 'a', 64);
	label64[64] = '\0';
	assert_int_equal(lj_check_hostname(label64, &why), -1);
	assert_string_equal(why, "host name label longer than 63 bytes");
	memset(too_long, 'a', 65);
	too_long[10] = '.';
	too_long[65] = '\0';
	assert_int_equal(lj_check_hostname(too_long, &why), -1);
	assert_string_equal(why, "host name longer than 64 bytes");
}

static void names(void **state)
{
	const char *why;
	const char *good[] = {"alice",		"Alice",  "a",	   "_apt",   "john.doe",
			      "jd@EXAMPLE.ORG", "web-01", "ws01$", "a.b-c_d"};
	const char *bad[] = {
		"",  "..",  "../etc",  "a..b", ".hidden",	 "-rf",	 "a/b", "a b", "a:b", "a$b",
		"$", "a$$", "al\nice", "Ä",    "cgroup.procs/x", "a\\b", "a*"};
	char n64[65], n65[66];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (lj_check_name(good[i], &why) != 0)
			fail_msg("name \"%s\" rejected: %s", good[i], why);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (lj_check_name(bad[i], &why) == 0)
			fail_msg("name \"%s\" accepted", bad[i]);
	}
	memset(n64, 'u', 64);
	n64[64] = '\0';
	assert_int_equal(lj_check_name(n64, &why), 0);
	memset(n65, 'u', 65);
	n65[65] = '\0';
	assert_int_equal(lj_check_name(n65, &why), -1);
	assert_string_equal(why, "name longer than 64 bytes");
	assert_int_equal(lj_check_name("-x", &why), -1);
	assert_string_equal(why, "a name must not start with '-' or '.'");
}

static void key_names(void **state)
{
	static const char *const want[LJ_KEY__COUNT] = {
		"sandbox",  "network",	"hostname",	"memory_max", "memory_swap_max",
		"pids_max", "cpu_max",	"io_weight",	"ro_bind",    "bind",
		"tmp",	    "tmp_size", "ptys",		"home",	      "share",
		"linger",   "on_error", "user_manager", "shell",      "syslog",
		"devices",
	};

	for (int k = 0; k < LJ_KEY__COUNT; k++)
		assert_string_equal(lj_key_name((enum lj_key)k), want[k]);
}

static void diag_bounded(void **state)
{
	static struct lj_diag d;
	char longmsg[1000];

	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	for (int i = 0; i < LJ_DIAG_MAX + 5; i++)
		lj_diag_add(&d, "f:%d: %s", i, longmsg);
	assert_int_equal(d.n, LJ_DIAG_MAX);
	assert_int_equal(d.dropped, 5);
	assert_int_equal(strlen(d.msg[0]), sizeof(d.msg[0]) - 1);
	assert_memory_equal(d.msg[3], "f:3: xxx", 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(size_accepts_units_and_max),
		cmocka_unit_test(size_rejects_security_md_values),
		cmocka_unit_test(size_rejects_tiny_values),
		cmocka_unit_test(count_pids),
		cmocka_unit_test(percent_cpu),
		cmocka_unit_test(uint_range),
		cmocka_unit_test(bool_yes_no_only),
		cmocka_unit_test(seconds_linger),
		cmocka_unit_test(path_normalises),
		cmocka_unit_test(path_rejects_unsafe),
		cmocka_unit_test(path_list),
		cmocka_unit_test(device_list),
		cmocka_unit_test(device_refusal),
		cmocka_unit_test(hostname),
		cmocka_unit_test(names),
		cmocka_unit_test(key_names),
		cmocka_unit_test(diag_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
