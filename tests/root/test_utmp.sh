#!/bin/bash
# Sessions the host can see (helper/utmp.c): `who`, `w` and `last` on the
# host show a sandboxed ssh login like any other, and its logout, although
# sshd writes its records from inside the sandbox, where the host's files
# are not: it writes the jail's own, which the init copies to the host's,
# through descriptors the helper opened on the host, under the line
# ljUID/pts/N. The user can write neither. A session without a terminal (a
# command, su - here) has no record, as without loginjail; a joining login
# has its own, and its logout ends only that one; a login whose sshd is
# killed (no logout written) is ended at teardown. The
# host's utmp and wtmp are the test's own files, bound over them in the
# test's mount namespace, where the sshd and the helper run.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
u=ljt-alice
for f in utmp wtmp; do
	install -m 0664 -g utmp /dev/null "$T/$f"
done
# A host without a utmp (this one has no init that makes it) gets an empty
# placeholder to bind over, removed again at the end.
made_utmp=
if [ ! -e /run/utmp ]; then
	install -m 0664 -g utmp /dev/null /run/utmp && made_utmp=1
fi
trap '[ -n "$made_utmp" ] && umount /run/utmp 2>/dev/null; [ -n "$made_utmp" ] && rm -f /run/utmp; lj_cleanup' EXIT
mount --bind "$T/utmp" /run/utmp || lj_bail "bind the test's utmp" "$(ls -l /run/utmp 2>&1)"
mount --bind "$T/wtmp" /var/log/wtmp || lj_bail "bind the test's wtmp" "$(ls -l /var/log/wtmp 2>&1)"
lj_sshd_start

lj_is "before: who lists nobody" "$(who)" ""

# ---- a command (no terminal): no record
out=$(lj_ssh "$u" 'echo RAN' 2>&1)
lj_like "a sandboxed ssh command runs" "$out" '^RAN$'
lj_is "a session without a terminal leaves no record in utmp" "$(who)" ""
lj_is "nor in wtmp" "$(last -f "$T/wtmp" | grep -c "^$u")" 0

# ---- an ssh login with a pty
lj_sess_open tty ssh_tty "$u"
lj_sess_send tty 'echo "LJ tty=$(tty)"' \
	'if echo x >>/run/utmp 2>/dev/null || echo x >>/var/run/utmp 2>/dev/null || echo x >>/var/log/wtmp 2>/dev/null || echo x >>/run/wtmp 2>/dev/null; then echo "LJ utmp=writable"; else echo "LJ utmp=not-writable"; fi'
lj_sess_wait tty '^LJ utmp=' || lj_fail "the ssh login with a pty runs" "$(lj_sess_text tty)"
line=$(lj_sess_text tty | sed -n 's|^LJ tty=/dev/||p')
lj_like "the session has a pty" "$line" '^pts/[0-9]+$'
lj_is "inside, the user can write no login record" \
	"$(lj_sess_text tty | sed -n 's/^LJ utmp=//p')" not-writable
uid=$(lj_uid "$u")
hostline=lj$uid/$line
lj_like "who on the host lists the sandboxed login, its line and remote host" \
	"$(who)" "^$u +lj$uid/pts/[0-9]+ .*\(127\.0\.0\.1\)$"
lj_is "who lists it once, under the sandbox's line for its terminal" \
	"$(who | awk -v u="$u" '$1 == u { print $2 }')" "$hostline"
# w cuts the user and the line to 8 characters.
lj_like "w on the host lists the user, its line and what it runs" "$(w -h -s)" "^${u:0:8} +${hostline:0:8} +127\.0\.0\.1 .*sshd: $u"
lj_like "last shows the login as still logged in" \
	"$(last -f "$T/wtmp" -w)" "^$u +$hostline +127\.0\.0\.1 .*still logged in"

# ---- a second ssh login with a pty joins the sandbox: listed too, and
# its logout ends its own record only
lj_sess_open tty2 ssh_tty "$u"
lj_sess_send tty2 'echo "LJ tty=$(tty)"'
lj_sess_wait tty2 '^LJ tty=' || lj_fail "a second ssh login runs" "$(lj_sess_text tty2)"
lj_is "who lists both logins" "$(who | grep -c "^$u ")" 2
pts2=$(who | awk -v u="$u" -v l="$hostline" '$1 == u && $2 != l { print $2 }')
lj_like "the joining login has its own line" "$pts2" "^lj$uid/pts/[0-9]+$"
lj_sess_close tty2
lj_wait_for 20 eval '[ "$(who | grep -c "^$u ")" = 1 ]' || lj_fail "the second logout ends one record" "$(who)"
lj_is "the first login is still listed" "$(who | awk '{ print $2 }')" "$hostline"

# ---- su - without a terminal joins too, and adds no record
lj_sess_open su su_l "$u"
lj_sess_send su 'echo "LJ su=in"'
lj_sess_wait su '^LJ su=in' || lj_fail "su - joins" "$(lj_sess_text su)"
lj_is "su - without a terminal adds no record" "$(who | wc -l | tr -d ' ')" 1
lj_sess_close su

# ---- logout
lj_sess_close tty
lj_wait_for 20 eval '[ -z "$(who)" ]' || lj_fail "after logout, who lists nobody" "$(who)"
# sshd writes the logout to utmp, then to wtmp: each is copied as it comes.
lj_wait_for 10 eval '[ "$(utmpdump "$T/wtmp" 2>/dev/null | grep -c "\[$hostline *\]")" = 2 ]'
# last calls a logout in the second it runs "still running": one later.
sleep 1.1
lj_like "last shows the login with its logout time" \
	"$(last -f "$T/wtmp" -w; utmpdump "$T/wtmp" 2>/dev/null)" "^$u +$hostline +127\.0\.0\.1 .* - [0-9]{2}:[0-9]{2} +\([0-9:]+\)"
lj_is "wtmp has one login and one logout record" \
	"$(utmpdump "$T/wtmp" 2>/dev/null | grep -c "\[$hostline *\]")" 2

# ---- sshd killed: no logout written by it; the teardown ends the record
lj_sess_open k ssh_tty "$u"
lj_sess_send k 'echo "LJ tty=$(tty)"'
lj_sess_wait k '^LJ tty=' || lj_fail "another ssh login runs" "$(lj_sess_text k)"
lj_wait_for 10 eval '[ -n "$(who)" ]'
kline=$(who | awk -v u="$u" '$1 == u { print $2 }')
lj_like "it is listed" "$kline" "^lj$uid/pts/[0-9]+$"
# The session's sshd processes (monitor and child): the user's and root's
# sshd processes whose command line names the user.
pkill -KILL -f "^sshd: $u" 2>/dev/null
lj_sess_close k 5
lj_wait_for 30 eval '[ -z "$(lj_state_entries "$u" "$uid")" ]' ||
	lj_fail "the sandbox ends after sshd is killed" "$(lj_state_entries "$u" "$uid")"
lj_is "after teardown, who lists nobody" "$(who)" ""
sleep 1.1
lj_like "last shows the killed login as ended" \
	"$(last -f "$T/wtmp" -w | grep " $kline ")" "^$u +$kline +127\.0\.0\.1 .* - [0-9]{2}:[0-9]{2} +\([0-9:]+\)"

lj_result
