#!/bin/bash
# ptys are bounded per sandbox (policy key ptys): every devpts instance but
# the host's draws on one pool (kernel.pty.max less kernel.pty.reserve), so
# without a bound one sandboxed user could take every pty and every other
# sandboxed user's "ssh -t" would fail. With ptys = 8 the 9th pty fails to
# open, and another user's ssh -tt still gets one meanwhile.
. "$(dirname "$0")/lib.sh"
lj_setup_std
lj_policy <<'EOF2'
[group:ljt-students]
sandbox = yes
network = loopback
hostname = jail-%u
share = user
linger = 0

[user:ljt-alice]
ptys = 8
EOF2
a=ljt-alice b=ljt-bob

# Opens ptys until it cannot (at most 64), says how many, holds them until
# a line comes on stdin.
cat >"/home/$a/ptys.py" <<'PY'
import os, sys
fds, err = [], "none"
try:
    while len(fds) < 64:
        fds.append(os.openpty())
except OSError as e:
    err = e.strerror
print("LJ ptys=%d err=%s" % (len(fds), err), flush=True)
sys.stdin.readline()
print("LJ released", flush=True)
PY
chown $a: "/home/$a/ptys.py"

lj_sess_open s ssh $a
lj_sess_send s "echo \"LJ devpts=\$(awk '\$5 == \"/dev/pts\" { print \$NF }' /proc/self/mountinfo)\""
lj_sess_wait s '^LJ devpts=' || lj_bail "ssh login as $a" "$(lj_sess_text s | tail -n 20)"
lj_like "the jail's devpts is mounted with max=8" "$(lj_sess_text s | sed -n 's/^LJ devpts=//p')" '(^|,)max=8(,|$)'

lj_sess_send s 'python3 ~/ptys.py'
lj_sess_wait s '^LJ ptys=' 30
lj_is "$a opens 8 ptys, the 9th fails (ENOSPC)" "$(lj_sess_text s | sed -n 's/^LJ ptys=//p')" \
	"8 err=No space left on device"

# While alice holds hers, bob's ssh -tt gets a pty from his own devpts.
lj_sess_open b ssh_tty $b
if lj_sess_probe b b; then
	lj_like "$b's ssh -tt gets a pty meanwhile" "${LJP[tty]:-}" '^/dev/pts/[0-9]+$'
else
	lj_fail "$b's ssh -tt gets a pty meanwhile" "$(lj_sess_text b | tail -n 20)"
fi
lj_sess_close b

lj_sess_send s release
lj_sess_wait s '^LJ released$' 10
lj_sess_send s 'echo "LJ alive=yes"'
lj_sess_wait s '^LJ alive=' 10
lj_is "$a's session goes on after releasing them" "$(lj_sess_text s | sed -n 's/^LJ alive=//p')" yes
lj_sess_close s
lj_check_gone "logout" $a
