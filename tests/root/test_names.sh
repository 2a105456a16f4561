#!/bin/bash
# User names: the policy decides whether a name matters. A user whom no
# section sandboxes logs in untouched whatever the name ('+' included); a
# sandboxed user's name goes into the host name mapped to host name
# characters (hostname = lab-%u with ljt_x gives lab-ljt-x); a sandboxed user
# whose name loginjail cannot take into a sandbox is refused, and told why.
. "$(dirname "$0")/lib.sh"
lj_setup_std
plus=ljt-a+b
under=ljt_x
splus=ljt-s+b
marker='LJ_IN_SESSION'
lj_user_add "$plus"
lj_user_add "$under" ljt-students
lj_user_add "$splus" ljt-students
lj_policy_default
lj_policy 50-names.conf <<EOF2
[user:$under]
hostname = lab-%u
EOF2
host=$(lj_host_hostname)

out=$(cd / && timeout 30 su - "$plus" -c "echo $marker; hostname" 2>&1 </dev/null)
rc=$?
lj_is "su - $plus (no policy) is let in: exit status" "$rc" 0
lj_is "su - $plus (no policy) is untouched (host's hostname)" "$out" "$marker
$host"
out=$(lj_ssh "$plus" "echo $marker; hostname" 2>&1 </dev/null)
lj_is "ssh $plus (no policy) is untouched" "$out" "$marker
$host"

# lj_check_sandboxed checks the host name: lab-%u with ljt_x is lab-ljt-x.
lj_sess_open u su_l "$under"
lj_sess_probe u p1 || lj_fail "$under: the probe ran" "$(lj_sess_text u | tail -n 20)"
lj_check_sandboxed "$under (hostname = lab-%u)" "$under" lab-ljt-x
lj_sess_close u
lj_check_gone "$under" "$under"

out=$(cd / && timeout 30 su - "$splus" -c "echo $marker" 2>&1 </dev/null)
rc=$?
[ $rc != 0 ] && ! grep -q "$marker" <<<"$out"
lj_result "su - $splus (sandboxed, '+' in the name) is refused" $? "exit status $rc" "$out"
lj_like "$splus is told why" "$out" "user name 'ljt-s\\+b' is not valid for a sandbox"
lj_check_gone "$splus" "$splus"
