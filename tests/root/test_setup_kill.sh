#!/bin/bash
# SIGKILL during setup (SECURITY.md "Signals"): the caller dying while its
# sandbox is being built, and the helper itself killed, each at delays spread
# over the whole setup (a wrapper stops the helper before it starts, so that
# the delays count from its start). Either way no sandbox process or mount is
# left behind; the state directory and cgroup a killed helper made are
# cleared by its sandbox's init or, when it died before starting one, by the
# user's next login, which works and leaves nothing either.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_policy_default
a=ljt-alice
uid=$(lj_uid "$a")
lj_scratch setupkill
printf '#!/bin/sh\nkill -STOP $$\nexec %s "$@"\n' "$LJ_HELPER" >"$W/helper"
chmod 0755 "$W/helper"
lj_module_opt su helper "$W/helper"
DELAYS="0.000 0.001 0.002 0.003 0.004 0.006 0.008 0.010 0.013 0.016 0.020 0.030"

# inits_of_user: loginjail-init processes of this user's sandboxes (argv:
# loginjail-init NAME UID USER ...)
inits_of_user() { pgrep -f "^loginjail-init user-$uid[ .].* $a "; }
stopped_wrapper() { # the wrapper of this user's login, stopped
	local p
	for p in $(pgrep -f "^/bin/sh $W/helper open --user $a( |$)"); do
		[ "$(ps -o stat= -p "$p" | cut -c1)" = T ] && echo "$p"
	done
}
# login_then WHO DELAY: start su - ALICE, wait for its helper to stop, let it
# go, and DELAY seconds later SIGKILL WHO (caller or helper).
login_then() {
	local who=$1 d=$2 su_pid h=
	(cd / && exec su - "$a" -c 'echo INSIDE' >"$T/out" 2>&1) &
	su_pid=$!
	lj_wait_for 5 eval '[ -n "$(stopped_wrapper)" ]' || {
		lj_fail "$who $d: the helper started" "$(cat "$T/out")"
		return 1
	}
	h=$(stopped_wrapper)
	local victim=$h
	[ "$who" = caller ] && victim=$su_pid
	python3 -c 'import os, signal, sys, time
os.kill(int(sys.argv[1]), signal.SIGCONT); time.sleep(float(sys.argv[3]))
os.kill(int(sys.argv[2]), signal.SIGKILL)' "$h" "$victim" "$d" 2>/dev/null
	{ wait "$su_pid"; } 2>/dev/null
	return 0
}

ran=0
for d in $DELAYS; do
	login_then caller "$d" || continue
	grep -q INSIDE "$T/out" && ran=$((ran + 1))
	lj_wait_for "$LJ_DEADLINE" lj_gone_now "$uid" "$a"
	x=$(inits_of_user)
	[ -z "$x" ]
	lj_result "caller killed $d s into setup: no sandbox init is left" $? "$(lj_ps_line $x)"
done
lj_note "logins that ran their command before the caller died: $ran"
lj_check_gone "caller killed during setup" "$a" 20

refused=0 left=0
for d in $DELAYS; do
	login_then helper "$d" || continue
	grep -q refused "$T/out" && refused=$((refused + 1))
	lj_wait_for 5 eval '[ -z "$(inits_of_user)" ]'
	x=$(inits_of_user)
	[ -z "$x" ]
	lj_result "helper killed $d s into setup: no sandbox init is left" $? "$(lj_ps_line $x)"
	# State and cgroup: cleared by the sandbox's init, or, when the helper
	# died before it started one, by this next login, which works.
	lj_wait_for 2 lj_gone_now "$uid" "$a" || left=$((left + 1))
	out=$(cd / && su - "$a" -c 'hostname' 2>&1 &
		sleep 0.2; kill -CONT $(stopped_wrapper) 2>/dev/null; wait)
	lj_is "helper killed $d s into setup: the next login works" "$out" "jail-$a"
	lj_wait_for "$LJ_DEADLINE" lj_gone_now "$uid" "$a"
done
lj_note "logins refused because their helper was killed: $refused; state left for the next login: $left"
# Only a helper killed in the fraction of a millisecond between making the
# state directory and starting the init leaves state for the next login.
[ "$left" -le 2 ]
lj_result "the killed helpers' sandbox inits cleared their state (left for the next login: $left of $(wc -w <<<"$DELAYS"))" $? "left: $left"
[ "$refused" -gt 0 ]
lj_result "some helpers were killed before they answered (the test reached setup)" $? "refused: $refused"
lj_module_reset su
x=$(lj_new_mounts /proc/self/mountinfo "$T/mounts.self" "$a"; lj_new_mounts "/proc/$LJ_HOST_PID/mountinfo" "$T/mounts.host" "$a")
[ -z "$x" ]
lj_result "no sandbox mount appeared while helpers were killed" $? "$x"
lj_check_gone "after the next logins" "$a" 20
