#!/bin/bash
# A broken policy never lets a sandboxed user in unsandboxed: with an unknown
# key in a policy.d file, or a group-writable policy file, the login of a user
# the policy would sandbox is refused, and the user is told why. Nothing of a
# sandbox is left behind. (Control: with the policy repaired the login works.)
. "$(dirname "$0")/lib.sh"
lj_setup_std
a=ljt-alice
marker='LJ_IN_SESSION'

# try_login LABEL ERE: su and ssh logins of alice must both be refused; what
# su shows the user must match ERE (say what is broken, and where)
try_login() {
	local l=$1 want=$2 out rc
	out=$(cd / && timeout 30 su - $a -c "echo $marker" 2>&1 </dev/null)
	rc=$?
	[ $rc != 0 ] && ! grep -q "$marker" <<<"$out"
	lj_result "$l: su - $a is refused" $? "exit status $rc" "$out"
	lj_like "$l: the user is told why" "$out" "$want"
	out=$(lj_ssh $a "echo $marker" 2>&1 </dev/null)
	rc=$?
	[ $rc != 0 ] && ! grep -q "$marker" <<<"$out"
	lj_result "$l: ssh $a is refused" $? "exit status $rc" "$out"
	lj_check_gone "$l" $a 10
}

lj_policy_default
lj_policy 50-broken.conf <<'EOF2'
[user:ljt-alice]
no_such_key = 1
EOF2
try_login "unknown key in policy.d" 'loginjail.*50-broken\.conf:2:.*no_such_key'
out=$(cd / && timeout 30 su - ljt-free -c "echo $marker" 2>&1 </dev/null)
lj_note "with the broken policy, ljt-free (no section) got: $(tr '\n' ' ' <<<"$out")"

lj_policy 50-broken.conf <<'EOF2'
[user:ljt-alice]
memory_max = 0x10
EOF2
try_login "memory_max = 0x10" 'loginjail.*50-broken\.conf:2:.*memory_max'

rm -f "$LJ_POLICY_DIR/policy.d/50-broken.conf"
lj_policy_default
chmod 0664 "$LJ_POLICY_DIR/loginjail.conf"
try_login "group-writable loginjail.conf" 'loginjail.*loginjail\.conf.*writable'
chmod 0644 "$LJ_POLICY_DIR/loginjail.conf"

rm -f "$LJ_POLICY_DIR/loginjail.conf"
try_login "loginjail.conf missing" 'loginjail.*loginjail\.conf'

lj_policy_default
out=$(cd / && timeout 30 su - $a -c "echo $marker; hostname" 2>&1 </dev/null)
lj_like "control: with the policy repaired, su - $a logs into the sandbox" "$out" "^$marker
jail-$a\$"
lj_check_gone "control" $a
