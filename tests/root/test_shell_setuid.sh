#!/bin/bash
# loginjail-shell is setuid root: what a user can do to it before and while
# it runs (SECURITY.md rules 1-7 and 18, "Attacks to test": environment and
# argv, descriptors, limits, signals). Each run is the user's own, started
# with setpriv (real uid the user's, as a login would): the shell either
# lands in the sandbox with nothing of the attack in it, or is refused with
# a message; it is never root on the host, never unsandboxed.
. "$(dirname "$0")/lib.sh"
lj_pam_without_module
lj_shell_install
lj_setup_std nossh
a=ljt-alice
lj_shell_set $a
lj_scratch shellx
chmod 1777 "$W"
mark=$W/evil-loaded
out=$(cc -Wall -Werror -o "$W/argc0" "$LJ_TESTS/argc0.c" 2>&1 &&
	cc -Wall -Werror -shared -fPIC -DEVIL_MARK="\"$mark\"" -o "$W/evil.so" "$LJ_TESTS/evil.c" 2>&1)
lj_result "argc0.c and evil.c compile" $? "$out" || exit 1

as_user() { # as_user USER CMD...: CMD with the user's real ids, from /
	local u=$1
	shift
	(cd / && exec setpriv --reuid="$u" --regid="$u" --init-groups -- "$@")
}
# bg_as_user USER CMD...: the same in the background, $! being CMD's pid (a
# function run with & would be a shell of its own between them).
bg_as_user() {
	local u=$1
	shift
	(cd / && exec setpriv --reuid="$u" --regid="$u" --init-groups -- "$@") &
}
# in_sandbox LABEL OUT: OUT (a run's output) shows the sandbox's mount and
# pid namespaces and the user's ids.
ns_line='echo "ns $(readlink /proc/self/ns/mnt) $(readlink /proc/self/ns/pid) $(id -u):$(id -g)"'
in_sandbox() {
	local want_id
	want_id="$(id -u $a):$(id -g $a)"
	grep -q "^ns mnt:" <<<"$2" && ! grep -qF "${LJ_SELF_NS[mnt]}" <<<"$2" &&
		! grep -qF "${LJ_SELF_NS[pid]}" <<<"$2" && grep -q " $want_id\$" <<<"$2"
	lj_result "$1: in the sandbox, as $a" $? "$2" "test's: ${LJ_SELF_NS[mnt]} ${LJ_SELF_NS[pid]}"
}
# refused_or_sandboxed LABEL RC OUT: never on the host. OUT is the output of
# "-c 'exec readlink /proc/self/ns/mnt'" (no fork: RLIMIT_NPROC).
refused_or_sandboxed() {
	if grep -q "^mnt:" <<<"$3"; then
		! grep -qF "${LJ_SELF_NS[mnt]}" <<<"$3"
		lj_result "$1: in the sandbox" $? "$3" "test's: ${LJ_SELF_NS[mnt]}"
	else
		[ "$2" != 0 ] && grep -q "loginjail-shell: " <<<"$3"
		lj_result "$1: refused with a message (exit $2)" $? "$3"
	fi
}

# Control: as a login would run it.
out=$(as_user $a "$LJ_SHELL" -c "$ns_line; bash \"\$HOME/.ljt-probe.sh\" direct" 2>&1)
lj_is "control: -c runs (exit status)" "$?" 0
in_sandbox "control" "$out"
lj_probe_load <(printf '%s\n' "$out") direct
lj_check_sandboxed "direct run" $a
# The shell itself, not only what it starts (setns moves the children of a
# process into a PID namespace): exec, no fork.
out=$(as_user $a "$LJ_SHELL" -c 'exec readlink -v /proc/self/ns/pid' 2>&1)
[ -n "$out" ] && [ "${out#pid:}" != "$out" ] && [ "$out" != "${LJ_SELF_NS[pid]}" ]
lj_result "control: the shell process itself is in the sandbox's PID namespace" $? "$out" \
	"test's: ${LJ_SELF_NS[pid]}"
lj_check_gone "control" $a

# Environment: nothing of the caller's reaches the root part (no library is
# loaded) or the shell (a fixed list is kept, HOME/PATH/SHELL are made).
out=$(as_user $a env LD_PRELOAD="$W/evil.so" LD_LIBRARY_PATH="$W" \
	GLIBC_TUNABLES=glibc.malloc.check=3:glibc.malloc.tcache_count=0 PATH=. HOME=/etc \
	IFS=x TMPDIR=/etc SHELL=/bin/false ENV=/etc/passwd BASH_ENV=/etc/passwd TERM=ljt-term \
	"$LJ_SHELL" -c "$ns_line; env" 2>&1)
in_sandbox "hostile environment" "$out"
[ ! -e "$mark" ]
lj_result "hostile environment: LD_PRELOAD was loaded by no process" $? "$(cat "$mark" 2>&1)"
lj_unlike "hostile environment: none of it reaches the shell" "$out" \
	'^(LD_PRELOAD|LD_LIBRARY_PATH|GLIBC_TUNABLES|IFS|TMPDIR|ENV|BASH_ENV)='
lj_like "hostile environment: HOME is the account's" "$out" "^HOME=/home/$a\$"
lj_like "hostile environment: PATH is the default" "$out" '^PATH=/usr/local/bin:/usr/bin:/bin$'
lj_like "hostile environment: TERM is kept" "$out" '^TERM=ljt-term$'
lj_check_gone "hostile environment" $a

# argv: argc 0, too many, options no shell is given.
out=$(as_user $a "$W/argc0" "$LJ_SHELL" 2>&1)
rc=$?
lj_is "argc 0: refused (exit 1)" "$rc" 1
lj_like "argc 0: it says why" "$out" 'argc 0'
out=$(as_user $a "$LJ_SHELL" -c true $(seq 9000) 2>&1)
rc=$?
lj_is "9000 arguments: refused (exit 1)" "$rc" 1
lj_like "9000 arguments: it says why" "$out" 'too many arguments'
for args in "--user root" "-x" "-c" "-i" "-l -c id" "--config-dir /tmp -c id"; do
	out=$(as_user $a "$LJ_SHELL" $args 2>&1 </dev/null)
	rc=$?
	[ "$rc" = 1 ] && grep -q 'only "-c COMMAND' <<<"$out"
	lj_result "loginjail-shell $args: refused with a message" $? "exit $rc" "$out"
done
lj_check_gone "argv" $a

# Descriptors: 0-2 closed; 1000 inherited (none reaches the sandbox).
out=$(as_user $a "$LJ_SHELL" -c \
	"exec >\"\$HOME/fds\" 2>&1; $ns_line; for f in 0 1 2; do readlink /proc/self/fd/\$f; done" \
	<&- >&- 2>&-)
out=$(cat "/home/$a/fds" 2>&1)
in_sandbox "fds 0-2 closed" "$out"
# glibc opens them first in a setuid program (/dev/full or /dev/null), the
# shell would otherwise.
lj_like "fds 0-2 closed: 0 was opened on /dev/null or /dev/full" "$(sed -n 2p <<<"$out")" \
	'^/dev/(null|full)$'
rm -f "/home/$a/fds"
cat >"$W/manyfds" <<-MANYFDS
	for i in \$(seq 20 1019); do eval "exec \$i</etc/hostname"; done
	exec "$LJ_SHELL" -c '$ns_line; ls /proc/self/fd | tr "\\n" " "'
MANYFDS
out=$(as_user $a bash "$W/manyfds" 2>&1)
in_sandbox "1000 inherited fds" "$out"
lj_is "1000 inherited fds: none is open in the sandbox" "$(tail -n 1 <<<"$out")" "0 1 2 3 "
lj_check_gone "descriptors" $a

# Limits the user set: a tiny RLIMIT_NOFILE, RLIMIT_NPROC reached.
ns_exec='exec readlink /proc/self/ns/mnt'
out=$(as_user $a bash -c "ulimit -n 6; exec \"$LJ_SHELL\" -c '$ns_exec'" 2>&1)
refused_or_sandboxed "ulimit -n 6" $? "$out"
out=$(as_user $a bash -c "ulimit -u 1; exec \"$LJ_SHELL\" -c '$ns_exec'" 2>&1)
refused_or_sandboxed "ulimit -u 1" $? "$out"
lj_check_gone "limits" $a

# Not setuid: refused with how to install it. Root: refused.
install -m 0755 "$LJ_SHELL" "$LJ_SHELL.plain"
out=$(as_user $a "$LJ_SHELL.plain" -c "$ns_line" 2>&1)
rc=$?
[ "$rc" = 1 ] && grep -q 'not installed setuid root.*4755' <<<"$out"
lj_result "a copy that is not setuid: refused, says how to install it" $? "exit $rc" "$out"
out=$(cd / && "$LJ_SHELL" -c "$ns_line" 2>&1)
rc=$?
[ "$rc" = 1 ] && grep -q 'root is never sandboxed' <<<"$out"
lj_result "run by root: refused" $? "exit $rc" "$out"

# In a user namespace that is not a sandbox's the setuid bit does nothing
# (root's file is nobody's there), as inside a sandbox; but this is the
# user's own (unshare -U, or any container's): refused, never the shell
# unsandboxed. Its uid map is the user only; a sandbox's maps root too,
# which only root can write.
out=$(as_user $a unshare -U --map-current-user "$LJ_SHELL" -c 'echo LJ-RAN-UNSANDBOXED' 2>&1)
rc=$?
[ "$rc" = 1 ] && ! grep -q LJ-RAN-UNSANDBOXED <<<"$out"
lj_result "in a user namespace of the user's own (not a sandbox's): refused, nothing runs" $? \
	"exit $rc" "$out"

# Signals. While the helper runs (a child of the shell), every id of the
# shell is root's: the user can neither signal nor inspect it. The helper
# runs only when no sandbox of the user does (else the shell joins it
# directly): the last one's teardown must be over.
lj_wait_for 20 eval '[ -z "$(lj_state_entries $a "$(lj_uid $a)")" ]' ||
	lj_fail "no sandbox of $a runs before the signal checks" "$(lj_state_entries $a "$(lj_uid $a)")"
bg_as_user $a "$LJ_SHELL" -c 'sleep 3' >/dev/null 2>&1
pid=$!
caught=
# Polled with builtins only (no fork per look): the helper runs for a few
# milliseconds.
end=$((SECONDS + 5))
while [ $SECONDS -lt $end ] && [ -e /proc/$pid ]; do
	kids= comm=
	read -r kids 2>/dev/null </proc/$pid/task/$pid/children
	[ -n "$kids" ] && read -r comm 2>/dev/null <"/proc/${kids%% *}/comm"
	# The helper (its comm cut at 15 bytes), not the shell's child later.
	if [ "$comm" = loginjail-helpe ] && kill -STOP $pid; then
		caught=$(awk '/^[UG]id:/ { printf "%s %s %s %s %s ", $1, $2, $3, $4, $5 }' /proc/$pid/status)
		break
	fi
done
lj_like "the shell stopped while its helper runs: every uid and gid is 0" \
	"$(cat /proc/$pid/comm 2>&1) $caught" \
	'^loginjail-shell Uid: 0 0 0 0 Gid: 0 0 0 0 $'
out=$(as_user $a kill -KILL $pid 2>&1)
rc=$?
[ "$rc" != 0 ] && [ -e /proc/$pid ]
lj_result "the user cannot kill the shell then" $? "kill exit $rc: $out"
out=$(as_user $a cat /proc/$pid/environ 2>&1)
rc=$?
[ "$rc" != 0 ]
lj_result "the user cannot read its environment (ptrace access) then" $? "exit $rc: $out"
kill -CONT $pid
wait $pid
lj_is "stopped and continued: the session runs to its end" "$?" 0
lj_check_gone "stopped while the helper runs" $a

# SIGSTOP at many points of setup, then continued or killed by root: each
# session either runs or is gone, nothing of it is left half-built.
for d in 0 0.001 0.003 0.006 0.01 0.02 0.04 0.08; do
	for then in CONT KILL; do
		bg_as_user $a "$LJ_SHELL" -c 'true' >/dev/null 2>&1
		pid=$!
		sleep $d
		kill -STOP $pid 2>/dev/null
		sleep 0.2
		kill -$then $pid 2>/dev/null
		[ $then = KILL ] || kill -CONT $pid 2>/dev/null
		{ wait $pid; } 2>/dev/null
	done
done
lj_check_gone "stopped at 8 points, continued or killed" $a
