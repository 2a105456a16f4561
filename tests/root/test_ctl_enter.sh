#!/bin/bash
# loginjailctl enter USER [--root] [-- CMD]: root runs a command in the
# user's running sandbox, reached through its control socket: in all seven
# of the sandbox's namespaces (the same as a login's), as the user with the
# sandbox's whole battery of restrictions, or with --root as uid 0 of the
# sandbox's user namespace, which has no capability at all; as a session of
# its own, so the sandbox lives while the command runs. A user with no
# sandbox is told so; nobody but root may (test_ctl_status).
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_policy_default
a=ljt-alice b=ljt-bob
uid=$(lj_uid "$a")
CTL=$LJ_BUILD/loginjailctl
enter() { "$CTL" enter "$1" --config-dir "$LJ_POLICY_DIR" "${@:2}"; }

lj_sess_open one su_l "$a"
lj_sess_send one "bash -s one <<'PROBE'" "$(cat "$LJ_TESTS/probe.sh")" "PROBE"
lj_sess_wait one '^LJ end=one$' && lj_probe_load "${LJ_SOUT[one]}" one ||
	lj_bail "probe in alice's session" "$(lj_sess_text one | tail -n 20)"
declare -A SESS_NS
for ns in user pid mnt uts ipc net cgroup; do SESS_NS[$ns]=${LJP[ns_$ns]}; done

# As the user: the probe, run by enter.
lj_run_probe_stdin enter "$a" -- bash -s stdin
lj_check_sandboxed "enter" "$a"
for ns in user pid mnt uts ipc net cgroup; do
	lj_is "enter: the $ns namespace is the session's" "${LJP[ns_$ns]:-}" "${SESS_NS[$ns]}"
done
lj_is "enter: the user's home is the directory" "$(enter "$a" -- pwd 2>&1)" "/home/$a"
lj_is "enter: a fresh environment" "$(cd / && FOO=bar LD_PRELOAD=/x enter "$a" -- env 2>&1 | grep -E '^[A-Za-z_]+=' | grep -v '^TERM=' | sort | tr '\n' ' ')" \
	"HOME=/home/$a LOGNAME=$a PATH=/usr/local/bin:/usr/bin:/bin SHELL=/bin/bash USER=$a XDG_RUNTIME_DIR=/run/user/$(lj_uid $a) "
out=$(enter "$a" -- sh -c 'exit 7' 2>&1)
lj_is "enter exits with the command's status" "$?" 7
out=$(echo 'echo "shell=$0 uid=$(id -u)"' | enter "$a" 2>&1)
lj_like "enter without a command: the user's login shell" "$out" "^shell=-bash uid=$uid$"

# --root: uid 0 inside, no capability, no way out.
echo ljt-secret >"$T/secret"
chmod 600 "$T/secret"
out=$(enter "$a" --root -- sh -c 'id -u; grep -E "^(CapEff|CapPrm|CapBnd|NoNewPrivs)" /proc/self/status | tr -s "\t" " "; hostname ljt-x 2>&1 && echo hostname-changed; cat '"$T"'/secret 2>&1; readlink /proc/self/ns/mnt' 2>&1)
lj_like "enter --root: uid 0 inside the sandbox" "$out" "^0$"
for c in CapEff CapPrm CapBnd; do
	lj_like "enter --root: no capability ($c)" "$out" "^$c: 0000000000000000$"
done
lj_like "enter --root: no_new_privs" "$out" "^NoNewPrivs: 1$"
lj_unlike "enter --root: cannot change the sandbox's hostname" "$out" "hostname-changed"
lj_like "enter --root: a root-only file of the host is not there" "$out" "secret: No such file"
lj_like "enter --root: in the sandbox's mount namespace" "$out" "^${SESS_NS[mnt]//[/\\[}$"

# enter is a session: the sandbox lives while it runs, its caller
# loginjailctl; when it ends (and linger is 0), the sandbox goes.
"$CTL" enter "$a" --config-dir "$LJ_POLICY_DIR" -- sleep 60 >/dev/null 2>&1 &
ctl=$!
lj_wait_for "$LJ_DEADLINE" eval '"$CTL" status "$a" | grep -q "^    loginjailctl "'
lj_like "status shows enter's session, its host pid loginjailctl's" "$("$CTL" status "$a" 2>&1)" \
	"^    loginjailctl +[^ ]+ +- +$ctl "
lj_sess_close one 5
sleep 1
lj_like "with the login gone, enter's session keeps the sandbox" "$("$CTL" list 2>&1)" \
	"^user-$uid +$a +1 "
kill "$ctl"
wait "$ctl" 2>/dev/null
lj_check_gone "after enter's session ended" "$a"

out=$(enter "$b" -- true 2>&1)
lj_is "enter of a user with no sandbox fails" "$?" 1
lj_is "enter of a user with no sandbox says so" "$out" \
	"loginjailctl: no sandbox of $b is running (a sandbox of share = session is not entered)"
out=$(enter no-such-user-ljt -- true 2>&1)
lj_is "enter of an unknown user exits 3" "$?" 3
