#!/bin/bash
# share = user: two concurrent sessions of one user are in one sandbox (same
# namespaces, each sees the other's processes). share = session: each session
# has its own. After both log out (linger = 0) nothing remains.
. "$(dirname "$0")/lib.sh"
lj_setup_std
lj_policy_default
lj_policy 50-bob.conf <<'EOF2'
[user:ljt-bob]
share = session
EOF2

# two_sessions USER: session 1 (ssh) runs a marker process, session 2 (su)
# probes; fills NS1 (session 1's namespaces) and LJP (session 2's probe).
two_sessions() {
	local u=$1
	lj_sess_open "$u.1" ssh "$u"
	lj_sess_send "$u.1" "(exec -a ljt-mark-$u sleep 300) </dev/null >/dev/null 2>&1 &" \
		'echo "LJ ns=$(readlink /proc/self/ns/pid) $(readlink /proc/self/ns/mnt) $(readlink /proc/self/ns/net)"'
	lj_sess_wait "$u.1" '^LJ ns=' || lj_fail "$u: first session (ssh)" "$(lj_sess_text "$u.1")"
	NS1=$(lj_sess_text "$u.1" | sed -n 's/^LJ ns=//p')
	lj_sess_open "$u.2" su_l "$u"
	lj_sess_probe "$u.2" share || lj_fail "$u: second session (su -) runs the probe" "$(lj_sess_text "$u.2")"
	NS2="${LJP[ns_pid]:-} ${LJP[ns_mnt]:-} ${LJP[ns_net]:-}"
}

two_sessions ljt-alice
lj_is "share=user: both sessions are in the same pid, mnt, net namespaces" "$NS2" "$NS1"
lj_like "share=user: the second session sees the first one's process" "${LJP[ps]:-}" "ljt-mark-ljt-alice"
lj_check_sandboxed "share=user second session" ljt-alice
lj_sess_close ljt-alice.1
lj_sess_send ljt-alice.2 'echo "LJ still=$(hostname)"'
lj_sess_wait ljt-alice.2 '^LJ still='
lj_is "share=user: the second session lives on after the first logs out" \
	"$(lj_sess_text ljt-alice.2 | sed -n 's/^LJ still=//p')" jail-ljt-alice
lj_sess_close ljt-alice.2
lj_check_gone "share=user, both logged out" ljt-alice

two_sessions ljt-bob
[ -n "${NS1%% *}" ] && [ "${NS2%% *}" != "${NS1%% *}" ]
lj_result "share=session: the sessions have different pid namespaces" $? "first: $NS1" "second: $NS2"
lj_unlike "share=session: the second session does not see the first one's process" \
	"${LJP[ps]:-}" "ljt-mark-ljt-bob"
lj_check_sandboxed "share=session second session" ljt-bob
lj_sess_close ljt-bob.1
lj_sess_close ljt-bob.2
lj_check_gone "share=session, both logged out" ljt-bob
