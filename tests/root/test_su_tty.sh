#!/bin/bash
# su hands the user root's terminal (issue 8, hole 4): a process started in
# an su session that outlives it (setsid -f, a background job) would keep
# root's terminal and read what root types next, in a sandbox that lives on
# because the user has another session. When the su session ends, every
# process of the sandbox still holding that terminal (a descriptor of it, or
# it as the controlling terminal of root's session) is killed, before su
# returns; the user's other session and its processes go on.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
u=ljt-alice
uid=$(lj_uid "$u")
lj_scratch su-tty

# The user's other session holds the sandbox, with a process of its own.
lj_sess_open other su_l "$u"
lj_sess_send other "(exec -a ljt-mark-other sleep 300) </dev/null >/dev/null 2>&1 &" 'echo "LJ ready"'
lj_sess_wait other '^LJ ready$' || lj_bail "the user's other session" "$(lj_sess_text other)"

# What of the sandbox holds the terminal T (holders.sh).
cp "$LJ_TESTS/holders.sh" "$W/holders.sh"
# Root at a terminal (a pty of script's): su runs a command that leaves a
# process behind, then root looks at once for what holds its terminal.
# $1: su's arguments after the user.
root_at_terminal() {
	cat >"$W/root.sh" <<-EOF
	t=\$(stat -L -c '%t:%T %d:%i' /proc/self/fd/0)
	echo "TTY \$(tty) \$t"
	su - $u $1
	echo "SU-RETURNED rc=\$?"
	bash $W/holders.sh $uid \$t | sed 's/^/HOLDER /'
	echo "END"
	EOF
	(cd / && TERM=dumb timeout 60 script -qfec "bash $W/root.sh" /dev/null < <(sleep 60) 2>&1) |
		tr -d '\r'
}

# ---- su -c: the session leaves "setsid -f sleep" with root's terminal on 0-2
out=$(root_at_terminal "-c 'setsid -f sleep 1000; echo STARTED'")
lj_like "su -c: root is at a terminal" "$out" "^TTY /dev/pts/[0-9]+ "
lj_like "su -c: the session left its process and returned" \
	"$(grep -E '^(STARTED|SU-RETURNED|END)' <<<"$out" | tr '\n' ' ')" "^STARTED SU-RETURNED rc=0 END $"
lj_unlike "su -c: when su returns, nothing of the sandbox holds root's terminal" "$out" "^HOLDER "

# ---- su without -c (--session-command: no new session): a background job
# that closed its descriptors keeps root's terminal as its controlling one.
out=$(root_at_terminal "--session-command '(exec </dev/null >/dev/null 2>&1; sleep 1000) & echo STARTED'")
lj_like "su --session-command: the session left its process and returned" \
	"$(grep -E '^(STARTED|SU-RETURNED|END)' <<<"$out" | tr '\n' ' ')" "^STARTED SU-RETURNED rc=0 END $"
lj_unlike "su --session-command: nothing of the sandbox keeps root's terminal as its controlling one" \
	"$out" "^HOLDER "

# ---- su killed with SIGKILL never calls close_session: the sandbox's init,
# which watches every session's caller, ends what holds its terminal.
cat >"$W/root-kill.sh" <<EOF
t=\$(stat -L -c '%t:%T %d:%i' /proc/self/fd/0)
su - $u -c 'setsid -f sleep 1000; exec sleep 1000' &
sp=\$!
# Until both sleeps (the one left by setsid -f, and the shell) hold it.
for i in \$(seq 100); do
	[ "\$(bash $W/holders.sh $uid \$t | grep 'sleep 1000' | awk '{ print \$2 }' | sort -u | wc -l)" -ge 2 ] && break
	sleep 0.1
done
bash $W/holders.sh $uid \$t | sed 's/^/BEFORE /'
kill -9 \$sp
wait \$sp
echo "SU-KILLED rc=\$?"
for i in \$(seq 50); do [ -z "\$(bash $W/holders.sh $uid \$t)" ] && break; sleep 0.1; done
bash $W/holders.sh $uid \$t | sed 's/^/HOLDER /'
echo "END"
EOF
out=$( (cd / && TERM=dumb timeout 60 script -qfec "bash $W/root-kill.sh" /dev/null < <(sleep 60) 2>&1) |
	tr -d '\r')
lj_like "su killed: while it ran, its session held root's terminal" "$out" "^BEFORE pid .*sleep 1000"
lj_like "su killed: it was killed (SIGKILL)" "$out" "^SU-KILLED rc=137"
lj_unlike "su killed: within 5 s nothing of the sandbox holds root's terminal" "$out" "^HOLDER "

# ---- the user's other session and its processes go on
lj_sess_send other 'echo "LJ alive=$(hostname) $(pgrep -c -f ljt-mark-other)"'
lj_sess_wait other '^LJ alive=' || true
lj_is "the user's other session still works, its process alive" \
	"$(lj_sess_text other | sed -n 's/^LJ alive=//p')" "jail-$u 1"

# ---- su without a terminal (a FIFO, as the other session): nothing killed
out=$(cd / && su - "$u" -c 'echo INSIDE' 2>&1 </dev/null)
lj_is "su without a terminal still works" "$out" "INSIDE"
lj_sess_send other 'echo "LJ still=$(pgrep -c -f ljt-mark-other)"'
lj_sess_wait other '^LJ still=' || true
lj_is "su without a terminal kills nothing of the other session" \
	"$(lj_sess_text other | sed -n 's/^LJ still=//p')" 1
lj_sess_close other
lj_check_gone "after the other session ended" "$u"
