#!/bin/bash
# Teardown on a host whose / is rshared (what every systemd host has): while
# sessions run, no sandbox mount shows up in the test's mount namespace (where
# sshd and su run); after the last logout (linger = 0) no process, cgroup,
# state or mount of the user remains, not even a double-forked daemon.
LJ_PROPAGATION=shared
. "$(dirname "$0")/lib.sh"
lj_setup_std
a=ljt-alice
prop=$(findmnt -n -o PROPAGATION /)
lj_like "precondition: / is shared in the test's mount namespace" "$prop" '^shared'

lj_sess_open s1 ssh $a
lj_sess_probe s1 t1 || lj_fail "ssh session runs the probe" "$(lj_sess_text s1)"
# A double-forked daemon in its own session: it must not survive the logout.
lj_sess_send s1 '(setsid sleep 300 </dev/null >/dev/null 2>&1 &)' 'echo "LJ daemon=started"'
lj_sess_wait s1 '^LJ daemon=started$'
lj_like "a double-forked daemon runs (seen from the host)" \
	"$(ps -o args= -u "$(lj_uid $a)")" '^sleep 300$'

lj_sess_open s2 su_l_c $a
lj_sess_probe s2 t2 || lj_fail "su session runs the probe" "$(lj_sess_text s2)"
lj_check_sandboxed "rshared /, su" $a
x=$(lj_new_mounts /proc/self/mountinfo "$T/mounts.self" $a)
lj_is "while logged in: no sandbox mount propagated to the test namespace" "$x" ""
x=$(lj_new_mounts "/proc/$LJ_HOST_PID/mountinfo" "$T/mounts.host" $a)
lj_is "while logged in: no sandbox mount propagated to the host namespace" "$x" ""
lj_sess_close s1
lj_is "first logout: the other session still runs" "$(lj_sess_alive s2 && echo yes)" yes
lj_sess_close s2
lj_check_gone "rshared /, both logged out" $a
