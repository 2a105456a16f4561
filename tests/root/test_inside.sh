#!/bin/bash
# Attacks from inside a session (SECURITY.md "From inside"): /etc/shadow,
# setuid binaries, raw devices, /proc/sysrq-trigger, the sandbox init
# (/proc/1/root, /proc/1/fd, kill, ptrace), cgroup files, TIOCSTI into the caller's terminal, and
# descriptors inherited from the caller (a directory fd would reach the host).
# Controls run the same commands for a user without policy where the answer
# differs, so each check can be seen to fail.
. "$(dirname "$0")/lib.sh"
lj_setup_std
a=ljt-alice f=ljt-free
suid=/usr/local/libexec/ljtest/suid-id
install -d -m 0755 /usr/local/libexec/ljtest
install -m 4755 -o root -g root /usr/bin/id "$suid"
LJ_CLEANUP_HOOK="rm -rf /usr/local/libexec/ljtest"

# The probe's own attack checks, through ssh.
if lj_run_probe_stdin lj_ssh $a bash -s stdin; then
	lj_like "/etc/shadow cannot be read" "${LJP[shadow_read]}" '^rc=[1-9]'
	lj_like "/proc/sysrq-trigger cannot be opened for writing" "${LJP[sysrq_open]}" '^rc=[1-9]'
	lj_like "/proc/1/root (the sandbox init) is not accessible" "${LJP[proc1_root]}" '^rc=[1-9]'
	lj_unlike "/dev has no raw devices" " ${LJP[ls_dev]} " \
		' (sd[a-z]+[0-9]*|vd[a-z]+[0-9]*|xvd[a-z]+|nvme[0-9n]+|mem|kmem|port|loop[0-9]+|dm-[0-9]+|mapper|disk|vda) '
	lj_like "/dev has the basic nodes" " ${LJP[ls_dev]} " \
		' full .*null .*ptmx .*pts .*random .*tty .*urandom .*zero '
	lj_like "no cgroup filesystem inside (/sys/fs/cgroup absent)" "${LJP[ls_sys_cgroup]}" 'No such file'
else
	lj_fail "probe through ssh" "$(tail -n 20 "$T/probe.out")"
fi

# setuid binaries must not elevate (nosuid + no_new_privs).
out=$(lj_ssh $a "$suid; timeout 5 su -c id root </dev/null; passwd -S" 2>&1)
lj_unlike "setuid-root copy of id does not give euid 0" "$out" 'euid=0'
lj_unlike "su root does not give uid 0" "$out" 'uid=0\(root\) gid='
lj_unlike "setuid passwd -S cannot read the shadow entry" "$out" "^$a [A-Z]+ "
ctl=$(cd / && su - $f -c "$suid; passwd -S" 2>&1 </dev/null)
lj_like "control: without policy the setuid binaries do elevate" "$ctl" "euid=0.*
$f [A-Z]+ "

# The sandbox init cannot be signalled by the user; the session goes on.
out=$(lj_ssh $a 'kill -KILL 1; echo "rc=$?"; sleep 0.2; ps -o pid= -p 1 >/dev/null && echo init-alive' 2>&1 | tr '\n' ' ')
lj_like "kill -KILL 1 fails and the sandbox init lives on" "$out" 'rc=[1-9].*init-alive'
# It holds host directories (/run/loginjail) and the sandbox's namespaces:
# neither its descriptors nor ptrace may reach it.
out=$(lj_ssh $a 'ls /proc/1/fd >/dev/null 2>&1; echo "fd=$?"
python3 -c "import ctypes; l = ctypes.CDLL(None, use_errno=True); print(\"ptrace=%d errno=%d\" % (l.ptrace(16, 1, 0, 0), ctypes.get_errno()))"' 2>&1 | tr '\n' ' ')
lj_like "/proc/1/fd of the sandbox init cannot be listed" "$out" 'fd=[1-9]'
lj_like "the sandbox init cannot be ptraced (PTRACE_ATTACH fails)" "$out" 'ptrace=-1 errno=[1-9]'

# TIOCSTI: su on a pty shares the caller's terminal; injecting into it must fail.
tiocsti='import fcntl, termios
try:
    fcntl.ioctl(0, termios.TIOCSTI, b" ")
    print("\nLJ tiocsti=allowed")
except OSError as e:
    print("\nLJ tiocsti=refused", e.strerror)'
for u in $a $f; do
	lj_sess_open "pty.$u" su_l_pty $u
	lj_sess_send "pty.$u" "python3 -c '$tiocsti'"
	lj_sess_wait "pty.$u" '^LJ tiocsti='
	r=$(lj_sess_text "pty.$u" | sed -n 's/^LJ tiocsti=//p')
	if [ $u = $a ]; then
		lj_like "TIOCSTI into the caller's terminal is refused" "$r" '^refused'
	else
		if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null)" = 1 ]; then
			lj_is "control: without policy TIOCSTI into the terminal works (legacy_tiocsti=1)" "$r" allowed
		else
			lj_note "control skipped: dev.tty.legacy_tiocsti is not 1 here (TIOCSTI: ${r:-?})"
		fi
	fi
	lj_sess_close "pty.$u"
done

# Descriptors su's caller holds: 998 of /dev/null, a directory fd of the host's
# / (fd 30) and of /root (fd 31). None may be usable in the session. What the
# probe itself holds is taken from the same login without them.
inherit='exec 30</ 31</root; for i in $(seq 32 1029); do eval "exec $i</dev/null"; done'
for m in su_l_c runuser_l_c; do
	case $m in
	su_l_c) c="su - $a -c 'bash -s fds'" ;;
	runuser_l_c) c="runuser -l $a -c 'bash -s fds'" ;;
	esac
	(cd / && bash -c "exec $c") <"$LJ_TESTS/probe.sh" >"$T/fds0.out" 2>&1
	lj_probe_load "$T/fds0.out" fds
	own=$(awk '{ print $1 }' <<<"${LJP[fd]:-}" | sort)
	(cd / && bash -c "$inherit; exec $c") <"$LJ_TESTS/probe.sh" >"$T/fds.out" 2>&1
	if lj_probe_load "$T/fds.out" fds; then
		extra=$(awk 'NR == FNR { own[$1] = 1; next } !($1 in own)' <(echo "$own") - <<<"${LJP[fd]}")
		lj_is "$m: no directory descriptor from the caller reaches the session" \
			"$(awk '$2 == "dir"' <<<"$extra")" ""
		lj_is "$m: none of the caller's 1000 descriptors is visible in the session" \
			"$(grep -c . <<<"$extra")" 0
		[ -n "$extra" ] && lj_note "$m: e.g. $(head -n 3 <<<"$extra" | tr '\n' ';')"
	else
		lj_fail "$m: probe with 1000 inherited descriptors" "$(tail -n 20 "$T/fds.out")"
	fi
done
# If a directory fd of the host / is there, does it escape the jail?
out=$(cd / && bash -c "$inherit; exec su - $a -c 'ls -A /proc/self/fd/30/ 2>&1 | tr \"\\n\" \" \"'" 2>&1 </dev/null)
lj_unlike "su: the host's / cannot be listed through an inherited fd" "$out" '(^| )(root|var|srv)( |$)'
lj_check_gone "inside attacks" $a
