#!/bin/bash
# "ssh -N -L" forwards connect from inside the sandbox's network namespace
# (network = loopback): a listener the user started in a session on
# 127.0.0.1:P is reached; the host's own listener on 127.0.0.1:P is not.
# Control: for a user without policy, the same forward reaches the host's.
. "$(dirname "$0")/lib.sh"
lj_setup_std

# listener PORT TAG: accept forever, answer TAG to each connection.
listener='use IO::Socket::INET; $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
  LocalPort => $ARGV[0], Listen => 5, ReuseAddr => 1) or die "listen: $!\n";
  $| = 1; print "listening\n"; while ($c = $s->accept) { print $c "$ARGV[1]\n"; close $c }'
pick_port() {
	local p
	while :; do
		p=$((40000 + RANDOM % 20000))
		lj_port_free "$p" && lj_port_free $((p + 1)) && echo "$p" && return
	done
}
P=$(pick_port)
perl -e "$listener" "$P" HOST >"$T/host-listener.out" 2>&1 &
hostl=$!
LJ_CLEANUP_HOOK="kill $hostl"
lj_wait_for 10 lj_port_open "$P" || lj_bail "host listener on 127.0.0.1:$P"

# fetch PORT: the line a connection to 127.0.0.1:PORT answers
fetch() {
	local line=
	exec {c}<>"/dev/tcp/127.0.0.1/$1" || return 1
	read -r -t 5 line <&"$c"
	exec {c}>&-
	echo "$line"
}
# forward USER: start ssh -N -L L:127.0.0.1:P, wait until L listens, print L
forward() {
	local l
	l=$(pick_port)
	timeout 120 ssh -N $(lj_ssh_opts "$1") -p "$LJ_SSH_PORT" -o ExitOnForwardFailure=yes \
		-L "$l:127.0.0.1:$P" "$1@127.0.0.1" >"$T/fwd.$1.out" 2>&1 &
	echo "$! $l"
}

a=ljt-alice
lj_sess_open jl ssh $a
lj_sess_send jl "perl -e '$listener' $P JAIL &"
lj_sess_wait jl '^listening$' ||
	lj_fail "sandbox: a listener on 127.0.0.1:$P inside the session" "$(lj_sess_text jl)"
read -r fpid lport < <(forward $a)
if lj_wait_for 15 lj_port_open "$lport"; then
	got=$(fetch "$lport")
	lj_is "loopback: the -L forward reaches the sandbox's listener, not the host's" "$got" JAIL
else
	lj_fail "loopback: ssh -L local port $lport listens" "$(cat "$T/fwd.$a.out")"
fi
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null
lj_sess_send jl 'kill %1; wait'
lj_sess_close jl
lj_check_gone "forward" $a

read -r fpid lport < <(forward ljt-free)
if lj_wait_for 15 lj_port_open "$lport"; then
	lj_is "control: without policy the -L forward reaches the host's listener" "$(fetch "$lport")" HOST
else
	lj_fail "control: ssh -L local port $lport listens" "$(cat "$T/fwd.ljt-free.out")"
fi
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null
