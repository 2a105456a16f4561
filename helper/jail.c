/* The jail's root, built by the sandbox's init in its fresh mount namespace
 * (SECURITY.md rules 13-15): a tmpfs (nosuid,nodev) with recursive read-only
 * binds of /usr and /etc, merged-usr links, the home bound from the
 * descriptor the helper validated, /tmp, a fresh /proc, a minimal /dev with a
 * private devpts and the host's /dev/log, a /run and /var of its own
 * (make_run, make_var), an /etc/hosts that names the sandbox, then the
 * policy's binds and devices (trees the helper opened and checked, helper/binds.c); then
 * pivot_root, detach the old root, and make the new root read-only. What the
 * user keeps in memory (/tmp, /var/tmp, /dev/shm, the runtime directory, a
 * tmpfs home) and the ptys are bounded by the policy (tmp_size, ptys).
 * loginjail.conf(5) has the whole layout in one table. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "helper.h"
#include "util.h"

#define JAIL_NOSUID (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)
/* Where the tmpfs of /tmp, /dev/shm and a tmpfs home is mounted while the
 * root is built: relative to the new root, removed before pivot_root. */
#define MEMFS ".loginjail-memfs"
/* The most of the host's /etc/hosts a jail copies (etc_hosts). */
#define HOSTS_MAX (1024 * 1024)

/* The mount point /REL in the jail (REL relative to the current directory,
 * the new root), opened O_PATH without following a link; what is missing is
 * made (a directory, or for the last component an empty file when DIR is
 * false), root-owned 0755, but only in a directory of root's that nobody
 * else can write: the jail's own tmpfs, never the user's home. */
static int open_target(const char *rel, bool dir, struct lj_err *e)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s", rel);
	cleanup_close int fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return lj_fail_errno(e, "cannot open the jail's root");
	char *save = NULL;
	for (char *c = strtok_r(p, "/", &save); c;) {
		char *next = strtok_r(NULL, "/", &save);
		int n = openat(fd, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (n < 0 && errno == ENOENT) {
			struct stat st;
			if (fstat(fd, &st) < 0 || st.st_uid != 0 ||
			    (st.st_mode & (S_IWGRP | S_IWOTH)))
				return lj_fail(e,
					       "/%s is not in the jail, and the directory it would "
					       "be made in is not root's alone",
					       rel);
			int m = -1;
			if (next || dir)
				m = mkdirat(fd, c, 0755);
			else if ((m = openat(fd, c,
					     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
					     0444)) >= 0)
				close(m);
			if (m < 0)
				return lj_fail_errno(e, "cannot create /%s in the jail", rel);
			n = openat(fd, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
		if (n < 0)
			return lj_fail_errno(e, "cannot open /%s in the jail", rel);
		close(fd);
		fd = n;
		struct stat st;
		if (fstat(fd, &st) < 0)
			return lj_fail_errno(e, "cannot stat /%s in the jail", rel);
		if (S_ISLNK(st.st_mode))
			return lj_fail(e, "/%s in the jail: %s on the way is a symbolic link", rel,
				       c);
		c = next;
	}
	return lj_steal_fd(&fd);
}

/* Attach the detached tree T at /REL in the jail. */
static int attach(int t, const char *rel, struct lj_err *e)
{
	struct stat st;
	if (fstat(t, &st) < 0)
		return lj_fail_errno(e, "cannot stat what is to be mounted on /%s", rel);
	cleanup_close int at = open_target(rel, S_ISDIR(st.st_mode), e);
	if (at < 0)
		return -1;
	if (move_mount(t, "", at, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return lj_fail_errno(e, "cannot mount /%s in the jail", rel);
	return 0;
}

/* Clone the tree at (DFD, PATH) recursively, set ATTR on every submount of
 * it, and attach it at TARGET (relative to the new root). */
static int bind_tree(int dfd, const char *path, const char *target, uint64_t attr, struct lj_err *e)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE;
	if (!*path)
		flags |= AT_EMPTY_PATH;
	cleanup_close int t = open_tree(dfd, path, flags);
	if (t < 0)
		return lj_fail_errno(e, "cannot clone the mount tree of %s", *path ? path : target);
	struct mount_attr ma = {.attr_set = attr};
	if (mount_setattr(t, "", AT_EMPTY_PATH | AT_RECURSIVE, &ma, sizeof(ma)) < 0)
		return lj_fail_errno(e, "cannot set mount attributes on %s", target);
	return attach(t, target, e);
}

/* Bind a system path of the host (/usr, /etc, /tmp) at the same place. */
static int bind_host(const char *src, uint64_t attr, struct lj_err *e)
{
	return bind_tree(AT_FDCWD, src, src + 1, attr, e);
}

static int mount_fs(const char *type, const char *target, unsigned long flags, const char *data,
		    struct lj_err *e)
{
	cleanup_close int at = open_target(target, true, e);
	if (at < 0)
		return -1;
	if (mount(type, target, type, flags, data) < 0)
		return lj_fail_errno(e, "cannot mount %s on /%s in the jail", type, target);
	return 0;
}

/* Replicate the host's merged-usr links (/bin -> usr/bin ...); a real
 * directory on an unmerged host is bound read-only instead. */
static int usr_links(struct lj_err *e)
{
	static const char *const tops[] = {"bin", "sbin", "lib", "lib32", "lib64", "libx32"};
	for (size_t i = 0; i < LJ_ARRAY_SIZE(tops); i++) {
		char host[32], to[PATH_MAX];
		snprintf(host, sizeof(host), "/%s", tops[i]);
		ssize_t n = readlink(host, to, sizeof(to) - 1);
		if (n >= 0) {
			to[n] = '\0';
			if (symlink(to, tops[i]) < 0)
				return lj_fail_errno(e, "cannot create /%s in the jail", tops[i]);
		} else if (errno == EINVAL) {
			if (bind_host(host, MOUNT_ATTR_RDONLY | JAIL_NOSUID, e) < 0)
				return -1;
		}
	}
	return 0;
}

/* The directories right under the host's /run that every user may write
 * (root's, mode 1777: /run/lock, /run/screen where screen is installed), which
 * tools expect: each gets a private, empty one of the same name, on the
 * memfs. */
static int run_shared_dirs(struct lj_err *e)
{
	DIR *d = opendir("/run");
	if (!d)
		return lj_fail_errno(e, "cannot read the host's /run");
	int r = 0, n = 0;
	struct dirent *de;
	/* errno tells readdir's end from its error: cleared before each. */
	while (r == 0 && (errno = 0, de = readdir(d))) {
		struct stat st;
		/* Not the ones the jail makes itself. */
		if (de->d_name[0] == '.' || strcmp(de->d_name, "user") == 0 ||
		    strcmp(de->d_name, LJ_JAIL_UTMP + 5) == 0 ||
		    strcmp(de->d_name, LJ_JAIL_WTMP + 5) == 0 ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 07777) != 01777)
			continue;
		char src[NAME_MAX + 32], rel[NAME_MAX + 8];
		snprintf(src, sizeof(src), MEMFS "/run-%s", de->d_name);
		snprintf(rel, sizeof(rel), "run/%s", de->d_name);
		if (++n > 16)
			r = lj_fail(e,
				    "the host's /run has more than 16 directories of mode 1777, "
				    "each of which the jail would copy: make some of them 1755 or "
				    "move them");
		else if (mkdir(src, 0700) < 0 || chmod(src, 01777) < 0)
			r = lj_fail_errno(e, "cannot create %s in the jail", src);
		else
			r = bind_tree(AT_FDCWD, src, rel, JAIL_NOSUID | MOUNT_ATTR_NOEXEC, e);
	}
	if (r == 0 && errno != 0)
		r = lj_fail_errno(e, "cannot read the host's /run");
	closedir(d);
	return r;
}

/* A /run of the jail's own, root's (0755), with
 * - the login records that sshd and login write once the session is in the
 *   sandbox (utmp, and wtmp where /var/log/wtmp leads): only root inside
 *   (sshd's monitor, login) can write them; loginjail-init copies what they
 *   record to the host's files (utmp.c);
 * - the user's runtime directory (0700), on the memfs: the /run tmpfs itself
 *   stays root's alone, so the user cannot fill it under the login records;
 * - private counterparts of the host's shared directories there. */
static int make_run(const struct lj_jail_spec *s, struct lj_err *e)
{
	if (mount_fs("tmpfs", "run", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=1m", e) < 0)
		return -1;
	static const char *const files[] = {LJ_JAIL_UTMP + 1, LJ_JAIL_WTMP + 1};
	for (size_t i = 0; i < LJ_ARRAY_SIZE(files); i++) {
		int fd = open(files[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			return lj_fail_errno(e, "cannot create /%s in the jail", files[i]);
		close(fd);
	}
	char runtime[64];
	snprintf(runtime, sizeof(runtime), LJ_RUNTIME_DIR_FMT, (unsigned)s->uid);
	if (bind_tree(AT_FDCWD, MEMFS "/runtime", runtime + 1, JAIL_NOSUID, e) < 0)
		return -1;
	return run_shared_dirs(e);
}

/* A /var of the jail's own: the links Debian has (/var/run, /var/lock) and
 * glibc's wtmp path takes, a /var/tmp (private, on the memfs, or the host's
 * with tmp = shared), and read-only views of the host's package databases,
 * which dpkg -l and apt list read. Nothing else of the host's /var (other
 * users' mail and crontabs, logs, caches) is there. */
static int make_var(const struct lj_jail_spec *s, struct lj_err *e)
{
	if (mkdir("var", 0755) < 0 || mkdir("var/log", 0755) < 0 ||
	    symlink("/run", "var/run") < 0 || symlink("/run/lock", "var/lock") < 0 ||
	    symlink(LJ_JAIL_WTMP, "var/log/wtmp") < 0)
		return lj_fail_errno(e, "cannot create /var in the jail");
	if (s->tmp == LJ_TMP_SHARED
		    ? bind_host("/var/tmp", JAIL_NOSUID, e) < 0
		    : bind_tree(AT_FDCWD, MEMFS "/vartmp", "var/tmp", JAIL_NOSUID, e) < 0)
		return -1;
	static const char *const views[] = {"/var/lib/dpkg", "/var/lib/apt"};
	for (size_t i = 0; i < LJ_ARRAY_SIZE(views); i++) {
		struct stat st;
		if (stat(views[i], &st) == 0 && S_ISDIR(st.st_mode) &&
		    bind_host(views[i], MOUNT_ATTR_RDONLY | JAIL_NOSUID, e) < 0)
			return -1;
	}
	return 0;
}

/* Open the file that the host's link LINK (root's, in a directory of root's)
 * leads to, without following a link on the way now; REAL gets its path.
 * 0: there is none (no such link or file, or it is not under UNDER when
 * that is not NULL); -1: an error. */
static int open_link_target(const char *link, const char *under, char real[PATH_MAX], int *fd,
			    struct stat *st, struct lj_err *e)
{
	*fd = -1;
	if (!realpath(link, real))
		return errno == ENOENT ? 0 : lj_fail_errno(e, "cannot resolve %s", link);
	if (under && strncmp(real, under, strlen(under)) != 0)
		return 0;
	struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
	*fd = (int)syscall(SYS_openat2, AT_FDCWD, real, &how, sizeof(how));
	if (*fd < 0 || fstat(*fd, st) < 0)
		return lj_fail_errno(e,
				     "%s leads to %s, which cannot be opened without symbolic "
				     "links",
				     link, real);
	return 1;
}

/* /dev/log leads to the host's logger (syslog = yes), as it does for a user
 * outside: the socket it names (journald's /run/systemd/journal/dev-log, or
 * a syslog daemon's /dev/log) is bound there. The daemon sees each message's
 * sender with its host pid and uid. No /dev/log on the host: none inside. */
static int dev_log(struct lj_err *e)
{
	char real[PATH_MAX];
	struct stat st;
	cleanup_close int fd = -1;
	int r = open_link_target("/dev/log", NULL, real, &fd, &st, e);
	if (r <= 0)
		return r;
	if (!S_ISSOCK(st.st_mode) || st.st_uid != 0)
		return lj_fail(e,
			       "/dev/log leads to %s, which is not a socket of root's: mend the "
			       "host's logger, or give the policy syslog = no",
			       real);
	/* Read-only: root inside (sshd's monitor) could chmod the host's
	 * socket otherwise; connecting needs no write on the mount. */
	return bind_tree(fd, "", "dev/log", MOUNT_ATTR_RDONLY | JAIL_NOSUID | MOUNT_ATTR_NOEXEC, e);
}

static int make_dev(const struct lj_jail_spec *s, struct lj_err *e)
{
	static const char *const nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
	/* nodev: only the nodes bound here, the devpts and the policy's
	 * devices (binds.c), each a mount of its own, work. */
	if (mount_fs("tmpfs", "dev", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=64k", e) < 0)
		return -1;
	for (size_t i = 0; i < LJ_ARRAY_SIZE(nodes); i++) {
		char host[32], rel[32];
		snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
		snprintf(rel, sizeof(rel), "dev/%s", nodes[i]);
		/* Read-only: the host's node cannot be chmodded from inside;
		 * a device is read and written all the same. */
		if (bind_tree(AT_FDCWD, host, rel,
			      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, e) < 0)
			return -1;
	}
	/* A private devpts: the jail's ptys are its own, and devpts must not be
	 * nodev. Every instance but the host's draws on one pool
	 * (kernel.pty.max less kernel.pty.reserve): max= keeps a sandbox from
	 * taking all of it. */
	char opts[96];
	snprintf(opts, sizeof(opts), "newinstance,ptmxmode=0666,mode=0620,gid=5,max=%u",
		 (unsigned)s->ptys);
	if (mount_fs("devpts", "dev/pts", MS_NOSUID | MS_NOEXEC, opts, e) < 0)
		return -1;
	if (s->syslog && dev_log(e) < 0)
		return -1;
	if (symlink("pts/ptmx", "dev/ptmx") < 0 || symlink("/proc/self/fd", "dev/fd") < 0 ||
	    symlink("/proc/self/fd/0", "dev/stdin") < 0 ||
	    symlink("/proc/self/fd/1", "dev/stdout") < 0 ||
	    symlink("/proc/self/fd/2", "dev/stderr") < 0)
		return lj_fail_errno(e, "cannot create links in the jail's /dev");
	return bind_tree(AT_FDCWD, MEMFS "/shm", "dev/shm", JAIL_NOSUID | MOUNT_ATTR_NOEXEC, e);
}

/* One tmpfs of tmp_size for /tmp, /var/tmp, /dev/shm, the runtime directory,
 * the shared directories of /run and a tmpfs home, bound from its
 * directories: what the user keeps in memory is charged to the sandbox's
 * memory cgroup and cannot be reclaimed, so it is bounded all together, below
 * memory_max by default (policy), and filling it is ENOSPC rather than an
 * OOM kill that could take the login's own sshd or su. */
static int make_memfs(const struct lj_jail_spec *s, struct lj_err *e)
{
	char opts[64] = "mode=0755";
	if (s->tmp_size != LJ_UNLIMITED)
		snprintf(opts, sizeof(opts), "mode=0755,size=%llu",
			 (unsigned long long)s->tmp_size);
	if (mount_fs("tmpfs", MEMFS, MS_NOSUID | MS_NODEV, opts, e) < 0)
		return -1;
	static const char *const dirs[] = {MEMFS "/tmp", MEMFS "/vartmp", MEMFS "/shm"};
	for (size_t i = 0; i < LJ_ARRAY_SIZE(dirs); i++)
		if (mkdir(dirs[i], 0700) < 0 || chmod(dirs[i], 01777) < 0)
			return lj_fail_errno(e, "cannot create %s in the jail", dirs[i]);
	if (mkdir(MEMFS "/runtime", 0700) < 0 || chown(MEMFS "/runtime", s->uid, s->gid) < 0)
		return lj_fail_errno(e, "cannot create the runtime directory in the jail");
	if (s->hometree < 0 &&
	    (mkdir(MEMFS "/home", 0700) < 0 || chown(MEMFS "/home", s->uid, s->gid) < 0))
		return lj_fail_errno(e, "cannot create the tmpfs home in the jail");
	return 0;
}

/* A fresh /proc for the new PID namespace, with the knobs that would matter
 * to a uid 0 inside made read-only. */
static int make_proc(struct lj_err *e)
{
	if (mount_fs("proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, e) < 0)
		return -1;
	static const char *const ro[] = {"proc/sys", "proc/sysrq-trigger"};
	for (size_t i = 0; i < LJ_ARRAY_SIZE(ro); i++)
		if (access(ro[i], F_OK) == 0 && /* sysrq-trigger may not be built in */
		    bind_tree(AT_FDCWD, ro[i], ro[i], MOUNT_ATTR_RDONLY | JAIL_NOSUID, e) < 0)
			return -1;
	return 0;
}

/* True when PATH is a directory above BELOW (/home above /home/alice). */
static bool above(const char *path, const char *below)
{
	size_t n = strlen(path);
	return strncmp(path, below, n) == 0 && below[n] == '/';
}

static int make_home(const struct lj_jail_spec *s, struct lj_err *e)
{
	const char *rel = s->home + 1;
	if (s->hometree < 0)
		return bind_tree(AT_FDCWD, MEMFS "/home", rel, JAIL_NOSUID, e);
	/* The tree was cloned in the host's mount namespace (a descriptor of
	 * another namespace cannot be cloned here); attach it. */
	if (attach(s->hometree, rel, e) < 0)
		return -1;
	/* What is mounted there must be the directory that was checked. */
	struct stat a, b;
	if (fstat(s->homefd, &a) < 0 || stat(rel, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return lj_fail(e, "home %s changed while it was being mounted", s->home);
	return 0;
}

/* With the host's network, name resolution must work as on the host. On
 * systemd hosts /etc/resolv.conf links into /run (systemd-resolved's stub,
 * or resolvconf), which the jail has not: the file it names is bound at the
 * same place, read-only. Only a file under /run: the link is root's, and so
 * are the directories there it may name. */
static int resolv_conf(struct lj_err *e)
{
	char real[PATH_MAX];
	struct stat st;
	cleanup_close int fd = -1;
	if (lstat("/etc/resolv.conf", &st) < 0 || !S_ISLNK(st.st_mode))
		return 0;
	int r = open_link_target("/etc/resolv.conf", "/run/", real, &fd, &st, e);
	if (r <= 0)
		return r;
	/* A regular file has no submounts to take along. */
	if (!S_ISREG(st.st_mode))
		return lj_fail(e, "/etc/resolv.conf links to %s, which is not a regular file",
			       real);
	return bind_tree(fd, "", real + 1, MOUNT_ATTR_RDONLY | JAIL_NOSUID, e);
}

/* The sandbox's host name resolves inside (hostname -f, and every tool that
 * looks its own name up), to 127.0.1.1 as Debian's installer writes the
 * host's: a copy of the host's /etc/hosts with that line first, on the
 * memfs, bound read-only over it. No /etc/hosts on the host: none inside. */
static int etc_hosts(const struct lj_jail_spec *s, struct lj_err *e)
{
	/* Anything but a file of its own (a link, on some images) is left as
	 * it is: the jail's /etc/hosts is then the host's alone. */
	struct stat st;
	cleanup_close int in = open("/etc/hosts", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (st.st_size > HOSTS_MAX)
		return lj_fail(e,
			       "/etc/hosts is %lld bytes; the jail copies it into each sandbox's "
			       "memory, at most %d: make it smaller (a block list belongs in a "
			       "resolver)",
			       (long long)st.st_size, HOSTS_MAX);
	cleanup_close int out = open(MEMFS "/hosts", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0 || fchmod(out, 0644) < 0 ||
	    dprintf(out, "# loginjail: the sandbox's host name\n127.0.1.1\t%s\n\n", s->hostname) <
		    0)
		return lj_fail_errno(e, "cannot write the jail's /etc/hosts");
	char buf[4096];
	ssize_t n;
	off_t total = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0 && (total += n) <= HOSTS_MAX)
		if (write(out, buf, (size_t)n) != n)
			return lj_fail_errno(e, "cannot write the jail's /etc/hosts");
	if (n < 0 || total > HOSTS_MAX)
		return lj_fail_errno(e, "cannot read /etc/hosts (or it grew past %d bytes)",
				     HOSTS_MAX);
	return bind_tree(AT_FDCWD, MEMFS "/hosts", "etc/hosts", MOUNT_ATTR_RDONLY | JAIL_NOSUID, e);
}

static int loopback_up(struct lj_err *e)
{
	cleanup_close int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = {0};
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return lj_fail_errno(e, "cannot read the flags of lo");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return lj_fail_errno(e, "cannot bring lo up");
	return 0;
}

int lj_jail_build(const struct lj_jail_spec *s, struct lj_err *e)
{
	/* Nothing we mount may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return lj_fail_errno(e, "cannot make the mount tree private");
	if (mount("tmpfs", s->rootdir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") < 0)
		return lj_fail_errno(e, "cannot mount the jail's root tmpfs");
	if (chdir(s->rootdir) < 0)
		return lj_fail_errno(e, "cannot enter the jail's root");

	if (make_memfs(s, e) < 0)
		return -1;
	if (bind_host("/usr", MOUNT_ATTR_RDONLY | JAIL_NOSUID, e) < 0 ||
	    bind_host("/etc", MOUNT_ATTR_RDONLY | JAIL_NOSUID, e) < 0 || usr_links(e) < 0)
		return -1;
	if (etc_hosts(s, e) < 0 || make_run(s, e) < 0 || make_var(s, e) < 0)
		return -1;
	if (s->network == LJ_NET_HOST && resolv_conf(e) < 0)
		return -1;
	/* The policy's binds come after what the jail mounts itself, or they
	 * would be hidden (a read-only ~/.ssh, a path under /dev), except the
	 * ones above the home (/home itself), which the home must cover. */
	for (size_t i = 0; i < s->nbinds; i++)
		if (above(s->bind[i], s->home) && attach(s->trees[i], s->bind[i] + 1, e) < 0)
			return -1;
	if (make_home(s, e) < 0)
		return -1;
	if (s->tmp == LJ_TMP_SHARED) {
		if (bind_host("/tmp", JAIL_NOSUID, e) < 0)
			return -1;
	} else if (bind_tree(AT_FDCWD, MEMFS "/tmp", "tmp", JAIL_NOSUID, e) < 0) {
		return -1;
	}
	if (make_proc(e) < 0 || make_dev(s, e) < 0)
		return -1;
	for (size_t i = 0; i < s->nbinds; i++)
		if (!above(s->bind[i], s->home) && attach(s->trees[i], s->bind[i] + 1, e) < 0)
			return -1;
	/* Its directories are bound where they belong: the mount point goes. */
	if (umount2(MEMFS, MNT_DETACH) < 0 || rmdir(MEMFS) < 0)
		return lj_fail_errno(e, "cannot remove /%s from the jail", MEMFS);

	if (sethostname(s->hostname, strlen(s->hostname)) < 0)
		return lj_fail_errno(e, "cannot set the hostname");
	if (s->network == LJ_NET_LOOPBACK && loopback_up(e) < 0)
		return -1;

	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return lj_fail_errno(e, "pivot_root");
	if (mount(NULL, ".", NULL, MS_REC | MS_PRIVATE, NULL) < 0 || umount2(".", MNT_DETACH) < 0)
		return lj_fail_errno(e, "cannot detach the old root");
	if (chdir("/") < 0)
		return lj_fail_errno(e, "chdir /");
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) <
	    0)
		return lj_fail_errno(e, "cannot make the jail's root read-only");
	return 0;
}
