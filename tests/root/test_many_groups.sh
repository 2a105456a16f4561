#!/bin/bash
# A sandboxed user in more groups than a user namespace can map (the kernel
# takes 340 gid_map lines; root and tty take two) is refused at once with the
# reason, and the failed setup leaves nothing: no helper or namespace member
# waiting, no lock held (a second try is refused as quickly), no state.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_policy_default
b=ljt-bob
uid=$(lj_uid "$b")
N=340
groups=
for i in $(seq 1 $N); do
	lj_group_add "ljt-mg$i"
	groups+="${groups:+,}ljt-mg$i"
done
usermod -aG "$groups" "$b" || lj_bail "usermod -aG ($N groups) $b"
lj_is "the user is in more than $N groups" "$(($(id -G "$b" | wc -w) > N))" 1

for try in 1 2; do
	start=$SECONDS
	out=$(cd / && timeout 50 su - "$b" -c 'echo INSIDE' 2>&1)
	took=$((SECONDS - start))
	lj_unlike "try $try: the login does not run" "$out" "INSIDE"
	lj_like "try $try: the user is told why" "$out" "too many groups"
	[ "$took" -le 10 ]
	lj_result "try $try: refused at once (${took}s, not after the module's 60 s timeout)" $? "$out"
	x=$(pgrep -f "loginjail-helper open --user $b( |$)")
	[ -z "$x" ]
	lj_result "try $try: no helper or namespace member is left waiting" $? "$(lj_ps_line $x)"
done
lj_check_gone "after the refused logins" "$b"
