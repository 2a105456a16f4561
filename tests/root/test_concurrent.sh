#!/bin/bash
# 20 concurrent logins of one user (share = user; ssh and su interleaved)
# give exactly one sandbox: one pid namespace, one cgroup leaf, one state dir.
# After all log out nothing remains.
. "$(dirname "$0")/lib.sh"
lj_setup_std
a=ljt-alice
uid=$(lj_uid $a)
N=20
for i in $(seq $N); do
	m=ssh
	[ $((i % 2)) = 0 ] && m=su_c
	lj_sess_open "c$i" $m $a
done
for i in $(seq $N); do
	lj_sess_send "c$i" 'echo "LJ ns=$(readlink /proc/self/ns/pid) $(hostname)"'
done
ok=0
all=
for i in $(seq $N); do
	if lj_sess_wait "c$i" '^LJ ns=' 60; then
		ok=$((ok + 1))
		all+="$(lj_sess_text "c$i" | sed -n 's/^LJ ns=//p')"$'\n'
	else
		lj_note "session c$i (${LJ_SMETHOD[c$i]}): $(lj_sess_text "c$i" | tail -n 3 | tr '\n' ' ')"
	fi
done
lj_is "all $N concurrent logins succeed" "$ok" "$N"
uniq=$(sort -u <<<"$all" | grep -v '^$')
lj_is "exactly one sandbox (one pid namespace) for all of them" "$(grep -c . <<<"$uniq")" 1
lj_unlike "that sandbox is not the host" "$uniq" "${LJ_HOST_NS[pid]//[][]/.}"
leaves=$(find "/sys/fs/cgroup/pids/loginjail/user-$uid" -mindepth 1 -type d 2>/dev/null)
lj_is "exactly one cgroup leaf under pids/loginjail/user-$uid" "$(grep -c . <<<"$leaves")" 1
st=$(find "$LJ_STATE" -mindepth 1 -maxdepth 1 -type d -name "user-$uid*" 2>/dev/null)
lj_is "exactly one state directory for the user" "$(grep -c . <<<"$st")" 1
lj_check_in_cgroup "concurrent" $a
for i in $(seq $N); do lj_sess_send "c$i" exit; done
for i in $(seq $N); do lj_sess_close "c$i"; done
lj_check_gone "all $N logged out" $a 20
