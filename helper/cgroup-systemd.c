/* cgroup v2 under systemd (SECURITY.md rule 22: never write into a cgroup
 * systemd made). Through systemd's D-Bus API:
 *   - the policy's limits go on the user's slice, user-UID.slice, as
 *     runtime properties (SetUnitProperties), so they cover every session
 *     and systemd keeps them; the last sandbox of the user to end removes
 *     them again (systemd writes them as drop-ins
 *     /run/systemd/system.control/user-UID.slice.d/50-PROPERTY.conf);
 *   - the sandbox's init lives in a transient scope of loginjail's in that
 *     slice, loginjail-NAME.scope, delegated to us (Delegate=yes), so that
 *     `systemctl status` shows it and `systemctl stop` ends the sandbox;
 *   - sessions stay in pam_systemd's session-N.scope (already in the slice:
 *     nothing is moved); a session that is not in the slice (a service
 *     without pam_systemd, su from another user's session) joins the scope;
 *   - at teardown nothing is killed through cgroups: every process of the
 *     sandbox dies with its pid namespace (the init), and the scope is
 *     systemd's to remove once empty.
 * libsystemd is loaded only here, on systemd hosts, when a sandbox is made:
 * linked, it would cost every run of the helper 2 ms of dynamic linking. */
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <systemd/sd-bus.h>

#include "cgroup-internal.h"
#include "join.h"
#include "pamstack.h"
#include "systemd.h"
#include "util.h"

#define SYSTEMD_PRIVATE "unix:path=/run/systemd/private"
#define SCOPE_WAIT_MS 10000

#define UNSET UINT64_MAX

static void sd_init(struct lj_cgroup *cg)
{
	snprintf(cg->user, sizeof(cg->user), "user.slice/user-%u.slice", (unsigned)cg->uid);
	snprintf(cg->leaf, sizeof(cg->leaf), "%s/loginjail-%s.scope", cg->user, cg->name);
}

static struct {
	void *lib;
	__typeof__(sd_bus_new) *new;
	__typeof__(sd_bus_set_address) *set_address;
	__typeof__(sd_bus_start) *start;
	__typeof__(sd_bus_call_method) *call_method;
	__typeof__(sd_bus_message_new_method_call) *new_call;
	__typeof__(sd_bus_message_append) *append;
	__typeof__(sd_bus_message_open_container) *open;
	__typeof__(sd_bus_message_close_container) *close;
	__typeof__(sd_bus_call) *call;
	__typeof__(sd_bus_flush_close_unref) *close_unref;
	__typeof__(sd_bus_message_unref) *message_unref;
	__typeof__(sd_bus_error_free) *error_free;
} sd;

static int load_sd_bus(struct lj_err *e)
{
	if (sd.lib)
		return 0;
	void *lib = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return lj_fail(e,
			       "this host runs systemd, and loginjail needs libsystemd.so.0 "
			       "(Debian package libsystemd0) to talk to it: %s",
			       dlerror());
#define SYM(f, n) ((sd.f = (__typeof__(sd.f))dlsym(lib, n)) != NULL)
	if (!SYM(new, "sd_bus_new") || !SYM(set_address, "sd_bus_set_address") ||
	    !SYM(start, "sd_bus_start") || !SYM(call_method, "sd_bus_call_method") ||
	    !SYM(new_call, "sd_bus_message_new_method_call") ||
	    !SYM(append, "sd_bus_message_append") || !SYM(open, "sd_bus_message_open_container") ||
	    !SYM(close, "sd_bus_message_close_container") || !SYM(call, "sd_bus_call") ||
	    !SYM(close_unref, "sd_bus_flush_close_unref") ||
	    !SYM(message_unref, "sd_bus_message_unref") || !SYM(error_free, "sd_bus_error_free")) {
		dlclose(lib);
		return lj_fail(e, "libsystemd.so.0 lacks sd-bus functions loginjail needs");
	}
#undef SYM
	sd.lib = lib;
	return 0;
}

/* systemd's own private socket (root only), as systemctl uses as root: no
 * bus daemon in between, and no dependency on dbus running. */
static sd_bus *connect_systemd(struct lj_err *e)
{
	sd_bus *bus = NULL;
	if (load_sd_bus(e) < 0)
		return NULL;
	int r = sd.new(&bus);
	if (r >= 0)
		r = sd.set_address(bus, SYSTEMD_PRIVATE);
	if (r >= 0)
		r = sd.start(bus);
	if (r < 0) {
		if (bus)
			sd.close_unref(bus);
		errno = -r;
		lj_fail_errno(e, "cannot connect to systemd at /run/systemd/private");
		return NULL;
	}
	return bus;
}

static int call_failed(sd_bus_error *err, int r, const char *what, struct lj_err *e)
{
	lj_fail(e, "systemd refused to %s: %s", what, err->message ? err->message : strerror(-r));
	sd.error_free(err);
	return -1;
}

/* The last component of a cgroup path: the unit it is. */
static const char *unit_of(const char *rel)
{
	return strrchr(rel, '/') + 1;
}

/* Remove the drop-in loginjail had systemd write for property P. */
static int unlink_dropin(struct lj_cgroup *cg, int p, struct lj_err *e)
{
	char file[128];
	snprintf(file, sizeof(file), "%s.d/" LJ_SLICE_DROPIN, unit_of(cg->user),
		 lj_slice_props[p].setting);
	if (unlinkat(cg_fd(CG_SYSTEMD_CONTROL), file, 0) < 0 && errno != ENOENT)
		return lj_fail_errno(e, "cannot remove /run/systemd/system.control/%s", file);
	return 0;
}

/* The user manager (systemd --user) starts what the user asks of it outside
 * every login's namespaces: for a sandboxed user it must not run
 * (user_manager = no). Its PAM stack must hold the module, which refuses its
 * session; one that runs already (started before the policy said so) is
 * stopped. */
static int no_user_manager(struct lj_cgroup *cg, sd_bus *bus, struct lj_err *e)
{
	struct lj_pam_pos sd_pos, lj_pos;
	if (lj_pam_session_order(lj_pam_dirs, LJ_USER_MANAGER_SERVICE, &sd_pos, &lj_pos) < 0 ||
	    lj_pos.index < 0)
		return lj_fail(e,
			       "the PAM stack of " LJ_USER_MANAGER_SERVICE " has no "
			       "pam_loginjail.so, so this user's systemd user manager would run "
			       "outside the sandbox: add \"session required pam_loginjail.so\" at "
			       "its end (/etc/pam.d/" LJ_USER_MANAGER_SERVICE "; where it is only "
			       "in /usr/lib/pam.d, copy it to /etc/pam.d first)");
	char events[160], line[64], unit[64];
	snprintf(unit, sizeof(unit), "user@%u.service", (unsigned)cg->uid);
	snprintf(events, sizeof(events), "%s/%s/cgroup.events", cg->user, unit);
	FILE *f = cg_fopen(CG_ROOT, events);
	bool populated = false;
	while (f && !populated && fgets(line, sizeof(line), f))
		populated = strcmp(line, "populated 1\n") == 0;
	if (f)
		fclose(f);
	if (!populated)
		return 0;
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r = sd.call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
			       "org.freedesktop.systemd1.Manager", "StopUnit", &err, NULL, "ss",
			       unit, "replace");
	if (r < 0) {
		char what[96];
		snprintf(what, sizeof(what), "stop %s (user_manager = no)", unit);
		return call_failed(&err, r, what, e);
	}
	return 0;
}

/* Only the limits the policy sets: an unlimited key leaves the slice as
 * systemd and the admin configured it (Debian's user-.slice.d sets
 * TasksMax=33%), and one loginjail set before is taken back. */
static int sd_create(struct lj_cgroup *cg, const struct lj_policy *pol, struct lj_err *e)
{
	uint64_t v[LJ_SLICE_COUNT] = {
		[LJ_SLICE_MEMORY] = pol->memory_max == LJ_UNLIMITED ? UNSET : pol->memory_max,
		[LJ_SLICE_SWAP] =
			pol->memory_swap_max == LJ_UNLIMITED ? UNSET : pol->memory_swap_max,
		[LJ_SLICE_TASKS] = pol->pids_max == LJ_UNLIMITED ? UNSET : pol->pids_max,
		/* µs of CPU time per second */
		[LJ_SLICE_CPU] = pol->cpu_max == LJ_UNLIMITED ? UNSET : pol->cpu_max * 10000,
		[LJ_SLICE_IO] = pol->io_weight ? pol->io_weight : UNSET,
	};
	const char *slice = unit_of(cg->user);
	for (int p = 0; p < LJ_SLICE_COUNT; p++)
		if (v[p] == UNSET && unlink_dropin(cg, p, e) < 0)
			return -1;
	sd_bus *bus = connect_systemd(e);
	if (!bus)
		return -1;
	if (pol->user_manager == LJ_USER_MANAGER_NO && no_user_manager(cg, bus, e) < 0) {
		sd.close_unref(bus);
		return -1;
	}
	sd_bus_message *m = NULL;
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r = sd.new_call(bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
			    "org.freedesktop.systemd1.Manager", "SetUnitProperties");
	if (r >= 0)
		r = sd.append(m, "sb", slice, 1);
	if (r >= 0)
		r = sd.open(m, 'a', "(sv)");
	for (int p = 0; r >= 0 && p < LJ_SLICE_COUNT; p++)
		if (v[p] != UNSET)
			r = sd.append(m, "(sv)", lj_slice_props[p].bus, "t", v[p]);
	if (r >= 0)
		r = sd.close(m);
	if (r >= 0)
		r = sd.call(bus, m, 0, &err, NULL);
	if (m)
		sd.message_unref(m);
	sd.close_unref(bus);
	if (r < 0) {
		char what[96];
		snprintf(what, sizeof(what), "set the limits of %s", slice);
		return call_failed(&err, r, what, e);
	}
	return 0;
}

/* Whether PID's cgroup is REL. */
static bool in_cgroup(pid_t pid, const char *rel)
{
	char path[300];
	return lj_proc_cgroup(pid, path, sizeof(path)) == 0 && strcmp(path + 1, rel) == 0;
}

static int sd_attach_init(struct lj_cgroup *cg, pid_t pid, const struct lj_user *u,
			  struct lj_err *e)
{
	const char *unit = unit_of(cg->leaf), *slice = unit_of(cg->user);
	char desc[160];
	snprintf(desc, sizeof(desc), "loginjail sandbox of %s", u->name);
	sd_bus *bus = connect_systemd(e);
	if (!bus)
		return -1;
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r;
	/* The scope of the user's previous sandbox may still hold callers of
	 * its sessions on their way out: wait for it to go. */
	for (int ms = 0;; ms += 10) {
		r = sd.call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
				   "org.freedesktop.systemd1.Manager", "StartTransientUnit", &err,
				   NULL, "ssa(sv)a(sa(sv))", unit, "fail", 5, "Description", "s",
				   desc, "Slice", "s", slice, "PIDs", "au", 1, (uint32_t)pid,
				   "Delegate", "b", 1, "CollectMode", "s", "inactive-or-failed", 0);
		if (r >= 0 || ms >= SCOPE_WAIT_MS || !err.name ||
		    strcmp(err.name, "org.freedesktop.systemd1.UnitExists") != 0)
			break;
		sd.error_free(&err);
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
	sd.close_unref(bus);
	if (r < 0) {
		char what[256];
		snprintf(what, sizeof(what), "start %s", unit);
		return call_failed(&err, r, what, e);
	}
	/* systemd moves it when it runs the job: wait for that, so that the
	 * init's cgroup namespace is rooted in its scope. */
	for (int ms = 0; ms < SCOPE_WAIT_MS; ms++) {
		if (in_cgroup(pid, cg->leaf))
			return 0;
		nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
	}
	return lj_fail(e, "systemd did not move the sandbox's init into %s within %d ms", unit,
		       SCOPE_WAIT_MS);
}

/* The init cannot leave its scope: it is systemd's to remove once empty. */
static int sd_park(struct lj_cgroup *cg, pid_t pid, struct lj_err *e)
{
	return 0;
}

/* Another sandbox of the user runs (its scope is in the slice). */
static bool other_sandbox(struct lj_cgroup *cg)
{
	int fd = openat(cg_fd(CG_ROOT), cg->user, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	const char *own = unit_of(cg->leaf);
	bool other = false;
	for (struct dirent *de; !other && (de = readdir(d));) {
		size_t n = strlen(de->d_name);
		other = strncmp(de->d_name, "loginjail-", 10) == 0 && n > 6 &&
			strcmp(de->d_name + n - 6, ".scope") == 0 && strcmp(de->d_name, own) != 0;
	}
	closedir(d);
	return other;
}

static int sd_destroy(struct lj_cgroup *cg, int grace_ms, struct lj_err *e)
{
	/* Nothing to kill: every process of the sandbox died with its pid
	 * namespace (its init). What else may be in the scope are callers of
	 * sessions moved there (runuser), which are not ours to kill; the scope
	 * goes when they have gone. */
	if (other_sandbox(cg))
		return 0;
	for (int p = 0; p < LJ_SLICE_COUNT; p++)
		if (unlink_dropin(cg, p, e) < 0)
			return -1;
	char dir[80];
	snprintf(dir, sizeof(dir), "%s.d", unit_of(cg->user));
	unlinkat(cg_fd(CG_SYSTEMD_CONTROL), dir, AT_REMOVEDIR); /* when empty */
	return 0;
}

const struct lj_cgroup_ops lj_cgroup_systemd_ops = {
	.init = sd_init,
	.create = sd_create,
	.attach_init = sd_attach_init,
	.keeps_slice = true,
	.park = sd_park,
	.destroy = sd_destroy,
	/* The limits are on the user's slice: its counters. */
	.hits = {{CG_ROOT, "memory.events", true}, {CG_ROOT, "pids.events", true}},
};
