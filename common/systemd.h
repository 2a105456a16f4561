/* What loginjail knows of systemd, shared by the helper's systemd backend
 * and loginjailctl check. */
#ifndef LJ_SYSTEMD_H
#define LJ_SYSTEMD_H

#include <stdbool.h>
#include <sys/stat.h>

/* systemd runs as PID 1 (sd_booted's test). */
static inline bool lj_systemd_booted(void)
{
	struct stat st;
	return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

/* The properties of user-UID.slice that loginjail sets: their D-Bus names,
 * and the unit-file settings systemd writes them as, in drop-ins
 * /run/systemd/system.control/user-UID.slice.d/ named LJ_SLICE_DROPIN
 * (printf format, the setting). */
#define LJ_SLICE_DROPIN "50-%s.conf"
enum { LJ_SLICE_MEMORY, LJ_SLICE_SWAP, LJ_SLICE_TASKS, LJ_SLICE_CPU, LJ_SLICE_IO, LJ_SLICE_COUNT };
static const struct {
	const char *bus, *setting;
} lj_slice_props[LJ_SLICE_COUNT] __attribute__((unused)) = {
	[LJ_SLICE_MEMORY] = {"MemoryMax", "MemoryMax"},
	[LJ_SLICE_SWAP] = {"MemorySwapMax", "MemorySwapMax"},
	[LJ_SLICE_TASKS] = {"TasksMax", "TasksMax"},
	[LJ_SLICE_CPU] = {"CPUQuotaPerSecUSec", "CPUQuota"},
	[LJ_SLICE_IO] = {"IOWeight", "IOWeight"},
};

#endif
