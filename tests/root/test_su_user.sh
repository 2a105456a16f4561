#!/bin/bash
# su run by a user who is not root: ljt-free (not sandboxed) types
# "su - ljt-alice". su is setuid root and keeps its caller's real uid
# (real ljt-free, effective and saved root) while it opens the PAM session,
# so the module is called with those credentials. The login lands in
# ljt-alice's sandbox, created or joined; nothing loginjail runs as root
# (the helper, the sandbox's init) carries ljt-free's uid or gid, so
# ljt-free can neither signal the init nor own what the helper makes; the
# process state ljt-free gave su does not reach the init; ljt-free's
# terminal does not stay in the sandbox after the session, even when
# ljt-free kills su; and ljt-free running the helper directly is refused.
#
# su asks ljt-free for ljt-alice's password: in the test's own copy of the
# su service (lib.sh), one auth line lets exactly ljt-free become exactly
# ljt-alice without one.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
a=ljt-free
b=ljt-alice
auid=$(lj_uid $a)
agid=$(id -g $a)
buid=$(lj_uid $b)
lj_scratch su-user

sed -i "1i auth sufficient pam_succeed_if.so quiet user = $b ruser = $a" "$T/pam.d/su"
asuser() { setpriv --reuid="$auid" --regid="$agid" --init-groups "$@"; }

# ---- control: the auth line lets ljt-free in as ljt-alice only (ljt-bob
# is refused by su's authentication, before any session).
out=$(cd / && asuser su - ljt-bob -c 'echo "LJ who=$(id -un)"' 2>&1 </dev/null)
lj_like "control: $a may not su to ljt-bob (authentication failure)" "$out" "Authentication failure"

# su's credentials as the module sees them: "Uid:" and "Gid:" of the su
# process among the session's processes (real effective saved fs).
su_ids() { # su_ids ID
	local p
	for p in $(lj_descendants "${LJ_SPID[$1]}"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = su ] || continue
		awk '$1 == "Uid:" || $1 == "Gid:" { $1 = $1; print }' "/proc/$p/status" | tr '\n' ' '
		return
	done
}
init_of() { pgrep -f "^loginjail-init user-$buid $buid $b " | head -n 1; }

# ---- no sandbox runs yet: the helper creates it. ljt-free's session state:
# a small soft RLIMIT_NOFILE, nice 19, oom_score_adj 1000.
cat >"$W/hostile.sh" <<'EOF'
ulimit -S -n 40
echo 1000 >/proc/self/oom_score_adj
exec nice -n 19 "$@"
EOF
lj_sess_open first su_l_c $b setpriv --reuid="$auid" --regid="$agid" --init-groups \
	bash "$W/hostile.sh"
if lj_sess_probe first first; then
	lj_pass "su - $b by $a: login and run the probe"
else
	lj_fail "su - $b by $a: login and run the probe" "transcript:" "$(lj_sess_text first | tail -n 20)"
fi
lj_like "su ran with the real uid of $a, effective and saved root" "$(su_ids first)" \
	"^Uid: $auid 0 0 0 Gid: $agid $agid $agid $agid $"
lj_check_sandboxed "su_by_user" $b
lj_check_in_cgroup "su_by_user" $b
first_pidns=${LJP[ns_pid]:-none}

init=$(init_of)
if [ -z "$init" ]; then
	lj_fail "the sandbox's loginjail-init runs" "$(ps -eo pid,args | grep '[l]oginjail-init')"
else
	lj_like "init: its uids and gids are root's, none is $a's" \
		"$(awk '$1 == "Uid:" || $1 == "Gid:" { $1 = $1; print }' "/proc/$init/status" | tr '\n' ' ')" \
		'^Uid: 0 0 0 0 Gid: 0 0 0 0 $'
	out=$(asuser kill -0 "$init" 2>&1)
	lj_is "init: $a cannot signal it (kill -0 fails)" "$?" 1
	lj_is "init: nice is 0, not $a's 19" "$(awk '{ print $19 }' "/proc/$init/stat")" 0
	lj_is "init: oom_score_adj is 0, not $a's 1000" "$(cat "/proc/$init/oom_score_adj")" 0
	lj_like "init: RLIMIT_NOFILE is 4096, not $a's 40" \
		"$(sed -n 's/^Max open files  *\([^ ]*\) .*/\1/p' "/proc/$init/limits")" '^4096$'
	lj_is "the state directory is root's, group root" \
		"$(stat -c '%u:%g' "$LJ_STATE/user-$buid" 2>&1)" 0:0
fi

# ---- the sandbox runs: a second su by ljt-free joins it
out=$(cd / && asuser su - $b -c 'readlink /proc/self/ns/pid; hostname' 2>&1 </dev/null)
lj_is "a second su - $b by $a joins the running sandbox" "$(echo $out)" "$first_pidns jail-$b"
lj_sess_close first
lj_check_gone "su_by_user" $b

# ---- ljt-free at a terminal of its own (a pty of script's, run as
# ljt-free): what the session leaves behind does not keep that terminal.
cp "$LJ_TESTS/holders.sh" "$W/holders.sh"
# at_terminal SCRIPT: run SCRIPT as ljt-free on a pty of its own; prints
# "TTY owner maj:min dev:ino" and what SCRIPT printed.
at_terminal() {
	(cd / && TERM=dumb timeout 60 setpriv --reuid="$auid" --regid="$agid" --init-groups \
		script -qfec "bash $1" /dev/null < <(sleep 60 2>/dev/null) 2>&1) | tr -d '\r'
}
holders() { # holders TRANSCRIPT: what of the sandbox holds the terminal in it
	local t
	t=$(sed -n 's/^TTY [0-9]* //p' <<<"$1" | head -n 1)
	[ -n "$t" ] && bash "$W/holders.sh" "$buid" $t
}
cat >"$W/su-c.sh" <<EOF
echo "TTY \$(stat -L -c '%u %t:%T %d:%i' /proc/self/fd/0)"
su - $b -c 'setsid -f sleep 1000; echo STARTED'
echo "SU-RETURNED rc=\$?"
EOF
out=$(at_terminal "$W/su-c.sh")
lj_like "su -c at a terminal: the terminal is $a's" "$out" "^TTY $auid "
lj_like "su -c at a terminal: the session left its process and returned" \
	"$(grep -E '^(STARTED|SU-RETURNED)' <<<"$out" | tr '\n' ' ')" "^STARTED SU-RETURNED rc=0 $"
x=$(holders "$out")
[ -z "$x" ]
lj_result "su -c at a terminal: after su returned, nothing of the sandbox holds $a's terminal" $? "$x"
lj_check_gone "su -c at a terminal" $b

# ljt-free kills its own su (it may: su's real uid is ljt-free's), so
# close_session never runs: the sandbox's init ends what holds the terminal.
cat >"$W/su-kill.sh" <<EOF
echo "TTY \$(stat -L -c '%u %t:%T %d:%i' /proc/self/fd/0)"
rm -f /home/$b/.ljt-started
su - $b -c 'setsid -f sleep 1000; touch \$HOME/.ljt-started; exec sleep 1000' &
sp=\$!
for i in \$(seq 100); do [ -e /home/$b/.ljt-started ] && break; sleep 0.1; done
[ -e /home/$b/.ljt-started ] && echo STARTED
kill -9 \$sp
wait \$sp
echo "SU-KILLED rc=\$?"
EOF
out=$(at_terminal "$W/su-kill.sh")
lj_like "su killed by $a: the session had started, su was killed (SIGKILL)" \
	"$(grep -E '^(STARTED|SU-KILLED)' <<<"$out" | tr '\n' ' ')" "^STARTED SU-KILLED rc=137 $"
lj_wait_for 5 eval '[ -z "$(holders "$out")" ]'
x=$(holders "$out")
[ -z "$x" ]
lj_result "su killed by $a: within 5 s nothing of the sandbox holds $a's terminal" $? "$x"
lj_check_gone "su killed by $a" $b

# ---- the helper itself trusts no user: run directly by ljt-free, it refuses
out=$(asuser "$LJ_HELPER" open --user $b 2>&1 3</dev/null)
lj_is "$a running the helper directly is refused (exit 100)" "$?" 100
lj_like "$a running the helper: it says only root may run it" "$out" "only root"
# Root of a user namespace of its own (unshare -r), ljt-free has uid and gid
# 0 in all six ids and CAP_SYS_ADMIN there: the ids alone cannot tell it
# from root. The helper's executable, root's on the host, is nobody's in
# there, and the owner check on entry refuses it.
if asuser unshare -r true 2>/dev/null; then
	out=$(asuser unshare -r sh -c 'id -u; exec "$0" open --user "$1" 3</dev/null' \
		"$LJ_HELPER" $b 2>&1)
	lj_is "$a as root of a user namespace of its own: the helper refuses (exit 100)" "$?" 100
	lj_like "$a in its user namespace: it was uid 0 there, the helper saw a foreign executable" \
		"$(echo $out)" "^0 loginjail-helper: its executable must be root's"
else
	lj_note "unprivileged user namespaces are not available here: not tried"
fi
