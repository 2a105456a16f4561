#!/bin/bash
# loginjailctl check advises favordynmods when it would help: a cgroup2
# hierarchy is mounted, no cgroup hierarchy has favordynmods, and the kernel
# is 6.0 or newer (every login otherwise waits for an RCU grace period to
# move into its cgroup). The advice is one line on stdout and never changes
# the exit status: 0 with a valid configuration, 1 with a broken one.
# favordynmods is a flag of the hierarchy, not of our mount namespace: the
# test restores what it found at exit. On Linux 6.18+ the first enable since
# boot cannot be fully undone, so there the "on" case runs only when it was on
# at some point since boot already.
. "$(dirname "$0")/lib.sh"
CTL=$LJ_BUILD/loginjailctl
ADVICE='^loginjail: advice: cgroups are mounted without favordynmods.*cgroup_favordynmods=true'

mi_super() { # MOUNTPOINT: its super options
	awk -v mp="$1" '$5 == mp { for (i = 7; $i != "-"; i++); o = $(i + 3) } END { print o }' /proc/self/mountinfo
}
mi_mount() { awk -v mp="$1" '$5 == mp { o = $6 } END { print o }' /proc/self/mountinfo; }
fdm_any() {
	awk '{ for (i = 7; $i != "-"; i++); if ($(i + 1) ~ /^cgroup2?$/ && ("," $(i + 3) ",") ~ /,favordynmods,/) f = 1 }
		END { print f ? "on" : "off" }' /proc/self/mountinfo
}
fdm_set() { # on|off, on $MP with its other options unchanged
	local so opts
	so=$(mi_super "$MP" | tr , '\n' | grep -vx -e favordynmods -e rw -e ro | paste -sd, -)
	opts=$(mi_mount "$MP")${so:+,$so}
	[ "$1" = on ] && opts+=,favordynmods
	mount --options-mode ignore -o "remount,$opts" "$MP"
}
restore() { [ -n "${FOUND:-}" ] && [ "$(fdm_any)" != "$FOUND" ] && fdm_set "$FOUND"; }
LJ_CLEANUP_HOOK=restore

lj_scratch broken
printf '[default]\nno_such_key = 1\n' >"$W/loginjail.conf"
chmod 0644 "$W/loginjail.conf"

# expect LABEL yes|no: check with the test's policy (exit 0) and a broken
# one (exit 1); the advice is there or not, and the status is unchanged.
expect() {
	local out rc
	out=$("$CTL" check --config-dir "$LJ_POLICY_DIR" 2>&1)
	rc=$?
	lj_is "$1: check of a valid configuration exits 0" "$rc" 0
	if [ "$2" = yes ]; then
		lj_like "$1: check advises favordynmods" "$out" "$ADVICE"
		lj_like "$1: the advice names the mount to remount" "$out" "mount -o remount,favordynmods $MP"
	else
		lj_unlike "$1: check gives no favordynmods advice" "$out" "advice:"
	fi
	out=$("$CTL" check --config-dir "$W" 2>&1)
	rc=$?
	lj_is "$1: check of a broken configuration exits 1" "$rc" 1
	lj_like "$1: the problem is still reported" "$out" "no_such_key"
}

MP=$(awk '{ for (i = 7; $i != "-"; i++); if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
KVER=$(uname -r | awk -F'[.-]' '{ printf "%d", $1 * 1000 + $2 }')
FOUND=$(fdm_any)
lj_note "kernel $(uname -r); cgroup2 at ${MP:-(none)}; favordynmods $FOUND"
if [ -z "$MP" ] || [ "$KVER" -lt 6000 ]; then
	expect "no cgroup2 mount or kernel before 6.0" no
	exit 0
fi

sticky=no
[ "$KVER" -ge 6018 ] && [ "$FOUND" = off ] &&
	! dmesg 2>/dev/null | grep -q "per threadgroup rwsem mechanism can't be disabled" && sticky=yes
if [ "$FOUND" = on ]; then
	expect "favordynmods on (as found)" no
	fdm_set off || lj_bail "remount $MP without favordynmods" "$(mi_super "$MP")"
	lj_is "favordynmods is off after the remount" "$(fdm_any)" off
	expect "favordynmods off" yes
else
	expect "favordynmods off (as found)" yes
	if [ "$sticky" = yes ]; then
		lj_note "Linux 6.18+ and favordynmods never on since boot: not turning it on"
	else
		fdm_set on || lj_bail "remount $MP with favordynmods" "$(mi_super "$MP")"
		lj_is "favordynmods is on after the remount" "$(fdm_any)" on
		expect "favordynmods on" no
	fi
fi
restore
lj_is "favordynmods is as found again" "$(fdm_any)" "$FOUND"
