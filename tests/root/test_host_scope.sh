#!/bin/bash
# network = host keeps the host's network namespace, and with it the host's
# abstract unix sockets (@NAME: no file, no owner, no mode). A session is
# scoped with Landlock (Linux 6.12) to the abstract sockets made inside it: one
# of another user on the host cannot be reached, stream or datagram, from a
# first login (the helper's answer) or a second one (the module's own join);
# the session's processes still reach each other's, not those of the user's
# other session in the same sandbox (share = user). A host process of the
# session's own uid cannot be signalled from inside. A kernel without the
# scope (here: landlock_create_ruleset made to fail, tests/root/nolandlock.c)
# lets the login in, and loginjailctl check warns about each network = host.
. "$(dirname "$0")/lib.sh"
lj_setup_std
a=ljt-alice b=ljt-bob f=ljt-free
lj_policy 50-hostnet.conf <<-EOF2
[user:$a]
network = host
EOF2
dir=/usr/local/libexec/ljtest
LJ_CLEANUP_HOOK="rm -rf $dir"
install -d -m 0755 $dir
install -m 0644 "$LJ_TESTS/abstract.py" $dir/
out=$(cc -Wall -Werror -o $dir/nolandlock "$LJ_TESTS/nolandlock.c" -lseccomp 2>&1)
lj_result "nolandlock.c compiles" $? "$out" || exit 1
abs="python3 $dir/abstract.py"
name=ljt-host-$$
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))')
[ "$abi" -ge 0 ] 2>/dev/null || abi=0

# The host's listener, of another user.
setpriv --reuid=$f --regid=$f --init-groups $abs listen $name >"$T/listen.out" 2>&1 &
listener=$!
lj_wait_for "$LJ_DEADLINE" grep -q ready "$T/listen.out" ||
	lj_bail "the host's abstract socket listens" "$(cat "$T/listen.out")"
lj_like "control: a host process connects to @$name" "$($abs connect $name)" '^LJ connect=ok hello$'
lj_like "control: network = loopback (own namespace) does not see @$name" \
	"$(lj_ssh $b "$abs connect $name" 2>&1)" '^LJ connect=ECONNREFUSED$'

scoped() {
	# A host process of alice's own uid, outside the sandbox.
	(exec setpriv --reuid=$a --regid=$a --init-groups sleep 300) &
	local victim=$!
	lj_sess_open one ssh $a
	lj_sess_send one "hostname; $abs connect $name; $abs dgram $name; $abs self ljt-own-$$" \
		"kill -KILL $victim; echo \"LJ kill=\$?\"" \
		"$abs listen ljt-one-$$ | sed -u 's/^ready\$/LJ one-listens/' &"
	lj_sess_wait one '^LJ one-listens' || lj_fail "first login (ssh) runs the tries" "$(lj_sess_text one)"
	out=$(lj_sess_text one)
	lj_like "first login is in its sandbox" "$out" "^jail-$a\$"
	lj_like "first login: connect to the host's @$name is refused" "$out" '^LJ connect=EPERM$'
	lj_like "first login: sendto the host's datagram @$name.d is refused" "$out" '^LJ dgram=EPERM$'
	lj_like "first login: its own processes connect to each other's abstract socket" "$out" \
		'^LJ connect=ok hello$'
	lj_like "first login: kill of a host process of its own uid fails" "$out" '^LJ kill=[1-9]'
	kill -0 $victim 2>/dev/null
	lj_result "the host process of the same uid lives on" $? "$(ps -o pid,user,args -p $victim)"

	# A second login while the first runs joins without the helper.
	out=$(cd / && su - $a -c "hostname; $abs connect $name; $abs self ljt-own2-$$; $abs connect ljt-one-$$ | sed s/connect/other/" 2>&1 </dev/null)
	lj_like "second login (su -, joins the running sandbox) is in it" "$out" "^jail-$a\$"
	lj_like "second login: connect to the host's @$name is refused" "$out" '^LJ connect=EPERM$'
	lj_like "second login: its own processes connect to each other's abstract socket" "$out" \
		'^LJ connect=ok hello$'
	lj_like "second login: the first session's abstract socket is not reached (a domain each)" \
		"$out" '^LJ other=EPERM$'
	lj_sess_close one
	kill $victim 2>/dev/null
}
if [ "$abi" -ge 6 ]; then
	scoped
else
	lj_note "Landlock ABI $abi here, the scopes need 6 (Linux 6.12): only the unscoped part runs"
fi

# Without Landlock scopes: the login goes on (unscoped), check warns.
out=$(cd / && $dir/nolandlock su - $a -c "hostname; $abs connect $name" 2>&1 </dev/null)
lj_like "without Landlock the login still gets its sandbox" "$out" "^jail-$a\$"
lj_like "without Landlock the session is not scoped (connects)" "$out" '^LJ connect=ok hello$'
warn="\\[user:$a\\] network = host: this kernel \\(Landlock ABI"
out=$($dir/nolandlock "$LJ_BUILD/loginjailctl" check --config-dir "$LJ_POLICY_DIR" 2>&1)
lj_like "without Landlock check warns about the network = host section" "$out" \
	"^loginjail: warning: $LJ_POLICY_DIR/policy.d/50-hostnet.conf:2: $warn 0,.*cannot scope abstract unix sockets"
out=$("$LJ_BUILD/loginjailctl" check --config-dir "$LJ_POLICY_DIR" 2>&1)
if [ "$abi" -ge 6 ]; then
	lj_unlike "with Landlock ABI $abi check does not warn" "$out" "$warn"
else
	lj_like "with Landlock ABI $abi check warns" "$out" "$warn $abi,"
fi
kill $listener 2>/dev/null
lj_check_gone "host network" $a
