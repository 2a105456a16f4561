#!/bin/bash
# Every step of a sandbox's life is one audit event on the host's log
# (man/loginjail-events.7), one syslog line each with exactly the documented
# fields: create and join on a first ssh login (user, uid, service sshd, its
# tty, rhost 127.0.0.1, the session's caller pid), join on a second login
# (su -), leave for each, teardown after the last (linger 0); refuse for a
# login whose policy is broken (from the helper) and for one whose helper
# cannot run (from the module); limit for an OOM kill at memory_max and for
# a fork refused at pids_max. The log is a datagram socket of the test's own
# over /dev/log, in the test's mount namespace only: sshd, the module, the
# helper and the init (connected before its pivot_root) all write there.
. "$(dirname "$0")/lib.sh"

LJ_CLEANUP_HOOK=lj_syslog_stop

# events: the audit events so far, one line each (audit_events.py).
events() { python3 "$LJ_TESTS/audit_events.py" "$LJ_SYSLOG"; }
has_event() { events | grep -Eq -- "$1"; }
# wait_event ERE [SECONDS]: until an event line matches.
wait_event() { lj_wait_for "${2:-$LJ_DEADLINE}" has_event "$1"; }
# check_event NAME ERE: exactly one event line matches ERE.
check_event() {
	local got
	wait_event "$2"
	got=$(events | grep -Ec -- "$2")
	lj_result "$1" "$([ "$got" = 1 ]; echo $?)" "$got lines match: $2" "$(events)"
}

lj_syslog_start
lj_setup_std
a=ljt-alice
uid=$(lj_uid $a)
lj_policy <<'EOF'
[default]
sandbox = no

[group:ljt-students]
sandbox = yes
network = loopback
memory_max = 64M
pids_max = 64
share = user
linger = 0
EOF
sb=user-$uid
who="user=$a uid=$uid"

# --- a first ssh login: create + join; a second (su -): join
lj_sess_open s ssh $a
lj_sess_send s 'echo "LJ ready"'
lj_sess_wait s '^LJ ready$' || lj_bail "ssh login as $a" "$(lj_sess_text s)"
check_event "create: one event with user, uid, service sshd, tty, rhost and sandbox" \
	"^event=create $who service=sshd tty=ssh rhost=127.0.0.1 session=[0-9]+ sandbox=$sb reason=\$"
sess1=$(events | sed -n 's/^event=create .* session=\([0-9]*\) .*/\1/p' | head -n 1)
check_event "join: the first session, as the create event names it" \
	"^event=join $who service=sshd tty=ssh rhost=127.0.0.1 session=$sess1 sandbox=$sb reason=\$"
ppid_ok=no
[ -n "$sess1" ] && [ -d "/proc/$sess1" ] && grep -q "^Name:.*sshd" "/proc/$sess1/status" && ppid_ok=yes
lj_is "the session is the pid of its caller (sshd) on the host" "$ppid_ok" yes

lj_sess_open u su_l $a
lj_sess_send u 'echo "LJ ready2"'
lj_sess_wait u '^LJ ready2$' || lj_bail "su - $a" "$(lj_sess_text u)"
check_event "join: the second session (su -), its service su-l" \
	"^event=join $who service=su-l tty=[^ ]* rhost= session=[0-9]+ sandbox=$sb reason=\$"
sess2=$(events | sed -n 's/^event=join .*service=su-l.* session=\([0-9]*\) .*/\1/p' | head -n 1)

# --- limits: an OOM kill at memory_max, a fork refused at pids_max
lj_sess_send s 'head -c 200M /dev/zero | tail >/dev/null; echo "LJ hog=${PIPESTATUS[*]}"'
lj_sess_wait s '^LJ hog=' 60
lj_like "the memory hog was OOM-killed" "$(lj_sess_text s | sed -n 's/^LJ hog=//p')" ' 137$'
check_event "limit: one memory event for the OOM kill, with its count" \
	"^event=limit $who service= tty= rhost= session= sandbox=$sb limit=memory count=1 reason=.*memory_max"
lj_sess_send s "perl -e 'my @k; while (@k < 1000) { my \$p = fork; last unless defined \$p;
	  if (!\$p) { sleep 30; exit 0 } push @k, \$p } print \"LJ bomb=\", scalar(@k), \"\\n\";
	  kill \"KILL\", @k; waitpid(\$_, 0) for @k'"
lj_sess_wait s '^LJ bomb=' 30

# --- leave for each session, teardown after the last
lj_sess_close u 20
check_event "leave: the su session" \
	"^event=leave $who service=su-l tty=[^ ]* rhost= session=$sess2 sandbox=$sb reason=its caller exited"
# A refused fork is not signalled on cgroup v1: the init saw it at the leave.
wait_event "^event=limit $who .* limit=pids count=[1-9][0-9]* reason=.*pids_max"
lj_result "limit: a pids event for the forks refused at pids_max" $? "$(events)"
lj_sess_close s 20
check_event "leave: the ssh session" \
	"^event=leave $who service=sshd tty=ssh rhost=127.0.0.1 session=$sess1 sandbox=$sb reason=its caller exited"
check_event "teardown after the last session (linger 0)" \
	"^event=teardown $who service= tty= rhost= session= sandbox=$sb reason=the last session ended"
lj_check_gone "after the audited sessions" $a 20

# --- loginjailctl stop: leave and teardown say so
lj_sess_open v su_l $a
lj_sess_send v 'echo "LJ ready3"'
lj_sess_wait v '^LJ ready3$' || lj_bail "su - $a (to be stopped)" "$(lj_sess_text v)"
sess3=$(events | sed -n 's/^event=join .*service=su-l.* session=\([0-9]*\) .*/\1/p' | tail -n 1)
out=$("$LJ_BUILD/loginjailctl" stop "$a" 2>&1)
lj_result "loginjailctl stop $a exits 0" $? "$out"
check_event "leave: the stopped session, stopped by the administrator" \
	"^event=leave $who service=su-l tty=[^ ]* rhost= session=$sess3 sandbox=$sb reason=stopped by the administrator"
check_event "teardown: stopped by the administrator" \
	"^event=teardown $who .* sandbox=$sb reason=stopped by the administrator"
lj_sess_close v 20
lj_check_gone "after the stop" $a 20

# --- refuse: the helper's (a broken policy), the module's (no helper)
lj_policy <<'EOF'
[group:ljt-students]
sandbox = yes
no_such_key = 1
EOF
out=$(cd / && timeout 30 su - $a -c 'echo LJ_IN' 2>&1 </dev/null)
lj_unlike "a broken policy refuses su - $a" "$out" 'LJ_IN'
check_event "refuse: from the helper, with the reason" \
	"^event=refuse $who service=su-l tty=[^ ]* rhost= session=[0-9]+ sandbox= reason=the loginjail policy is broken .*: unknown key 'no_such_key'"
lj_policy <<'EOF'
[group:ljt-students]
sandbox = yes
EOF
sed -i "s|helper=$LJ_HELPER|helper=$T/no-such-helper|" "$T/pam.d/su-l" "$T/pam.d/su" 2>/dev/null
out=$(cd / && timeout 30 su - $a -c 'echo LJ_IN' 2>&1 </dev/null)
lj_unlike "without its helper the module refuses su - $a" "$out" 'LJ_IN'
check_event "refuse: from the module, naming the missing helper" \
	"^event=refuse $who service=su-l tty=[^ ]* rhost= session=[0-9]+ sandbox= reason=cannot run the helper $T/no-such-helper"
sed -i "s|helper=$T/no-such-helper|helper=$LJ_HELPER|" "$T/pam.d/su-l" "$T/pam.d/su" 2>/dev/null
# The user manager's session (user_manager = no), through a PAM
# application whose service is systemd-user.
lj_scratch pamcall
cc -Wall -o "$W/pamcall" "$LJ_TESTS/pamcall.c" -lpam -lpthread || lj_bail "compile pamcall"
mkdir -p "$W/pam.d"
echo "session required $LJ_MODULE config_dir=$LJ_POLICY_DIR helper=$LJ_HELPER" >"$W/pam.d/systemd-user"
(cd / && LJ_PAMCALL_SERVICE=systemd-user timeout 60 "$W/pamcall" 5 "$W/pam.d" $a 5>"$W/report" >/dev/null 2>&1)
lj_like "the user manager's session of $a is refused" "$(cat "$W/report")" '^rc_name=PAM_SESSION_ERR$'
check_event "refuse: the user manager (user_manager = no)" \
	"^event=refuse $who service=systemd-user tty= rhost= session=[0-9]+ sandbox= reason=the user manager .*user_manager = no"
lj_check_gone "after the refusals" $a 10

bad=$(events | grep '^BAD: ')
[ -z "$bad" ]
lj_result "every event is one record with the documented fields" $? "$bad"
lj_note "events:" "$(events)"
