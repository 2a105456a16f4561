#!/bin/bash
# loginjailctl list, list --json and status of running sandboxes, all from
# what each sandbox's init answers on its control socket: sessions (service,
# tty, remote host, host pid, start), processes, memory and pids against the
# user's limits, linger state, age, namespaces (the same as a session's) and
# the jail's mounts. stop says what it ended. Every one of them needs root,
# and a user who runs them learns nothing of anybody's sandbox.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_policy_default
lj_policy 60-bob.conf <<EOF
[user:ljt-bob]
linger = 300
EOF
a=ljt-alice b=ljt-bob
uid=$(lj_uid "$a") buid=$(lj_uid "$b")
CTL=$LJ_BUILD/loginjailctl

out=$("$CTL" list --json 2>&1)
lj_is "list --json with nothing running: an empty array" "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]))' "$out" 2>&1)" "[]"

# alice: one session on a pty (su on the pty script made), probed.
lj_sess_open one su_l_pty "$a"
lj_sess_probe one one || lj_fail "probe in alice's session" "$(lj_sess_text one | tail -n 20)"
# bob: a session that ends, so that his sandbox lingers.
out=$(cd / && su - "$b" -c 'echo bob-was-here' 2>&1)
lj_is "bob's login" "$out" "bob-was-here"

out=$("$CTL" list 2>&1)
lj_like "list has a header" "$out" "^NAME +USER +SESSIONS +PROCS +MEMORY +PIDS +LINGER +AGE$"
lj_like "list: alice's sandbox, 1 session, processes, memory of 512M, pids of 512, linger 0s, age" \
	"$out" "^user-$uid +$a +1 +[1-9][0-9]* +[0-9.]+[KMG]?/512M +[1-9][0-9]*/512 +0s +[0-9]+s$"
lj_like "list: bob's sandbox lingers with no session, and says when it ends" \
	"$out" "^user-$buid +$b +0 +[0-9]+ +[^ ]+ +[^ ]+ +idle, ends in (4m[0-9]{2}s|5m00s) +[0-9]+s$"

json=$("$CTL" list --json 2>&1)
got=$(python3 - "$json" "$uid" "$buid" <<'PY' 2>&1
import json, sys
l = json.loads(sys.argv[1])
by = {s["uid"]: s for s in l}
a, b = by[int(sys.argv[2])], by[int(sys.argv[3])]
print(len(l), a["name"], a["user"], a["state"], a["sessions"], a["processes"] > 0,
      a["memory"]["max"], a["memory"]["current"] > 0, a["pids"]["max"], a["pids"]["current"] > 0,
      a["linger"], a["ends_in"], a["age"] >= 0, isinstance(a["started"], int))
print(b["state"], b["sessions"], b["linger"], 0 < b["ends_in"] <= 300)
PY
)
lj_is "list --json: one object per sandbox, with its fields" "$got" \
	"2 user-$uid $a running 1 True 536870912 True 512 True 0 None True True
lingering 0 300 True"

out=$("$CTL" status "$a" 2>&1)
lj_is "status exits 0" "$?" 0
lj_like "status names the sandbox" "$out" "^sandbox user-$uid of $a \\(uid $uid\\)$"
lj_like "status: the session's service, tty, host pid and start" "$out" \
	"^    su(-l)? +(/dev/)?pts/[0-9]+ +- +[1-9][0-9]* +20[0-9-]+ [0-9:]+$"
lj_like "status: cgroup use against the limits" "$out" \
	"^  cgroup +memory [0-9.]+[KMG]? of 512M, pids [0-9]+ of 512 \\(the user's limits\\), [1-9][0-9]* processes"
ns_line=$(grep '^  namespaces' <<<"$out")
bad=
for ns in mnt uts ipc net pid cgroup user; do
	want=${LJP[ns_$ns]:-none}
	grep -qF " $want" <<<"$ns_line" || bad+="$ns: session $want; "
done
lj_result "status: the namespaces are those of the session" "$([ -z "$bad" ]; echo $?)" \
	"$bad" "$ns_line"
lj_like "status: the jail's mounts, as the sandbox sees them (/ is a tmpfs)" "$out" "^    / +tmpfs "
lj_like "status: the jail's /home/$a" "$out" "^    /home/$a "
lj_unlike "status: no host mount (the jail's view; of /var only its tmp and the package databases)" "$out" "^    /(work|root|srv|var/(log|mail|spool|cache|backups))( |/)"

# What a joiner says of its session is data: a session whose remote host
# holds '"', '\\' and an escape character (the helper run as the module runs
# it, joining bob's lingering sandbox) shows in status cleaned ('?') and in
# list --json escaped, so that the JSON still parses to the same text.
python3 - "$LJ_HELPER" "$b" "$LJ_POLICY_DIR" "$T/joined" <<'PY' &
import os, socket, subprocess, sys, time
helper, user, confdir, flag = sys.argv[1:]
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
fd = b.fileno()
p = subprocess.Popen([helper, "open", "--user", user, "--service", "ljt-svc", "--tty", "pts/99",
                      "--rhost", 'evil"host\x1b\\x', "--config-dir", confdir],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, pass_fds=[3], preexec_fn=lambda: os.dup2(fd, 3))
b.close()
msg = socket.recv_fds(a, 4096, 16)
p.wait()
open(flag, "w").write("%d %d\n" % (len(msg[1]), p.returncode))
time.sleep(120)
PY
joiner=$!
lj_wait_for "$LJ_DEADLINE" test -s "$T/joined"
lj_is "the helper joined bob's sandbox for the joiner (7 namespaces, exit 0)" "$(cat "$T/joined" 2>&1)" "7 0"
out=$("$CTL" status "$b" 2>&1)
lj_like "status: the joiner's session, its remote host cleaned" "$out" \
	"^    ljt-svc +pts/99 +evil\"host\\?\\\\x +$joiner "
got=$("$CTL" list --json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    for x in s["session_list"]:
        if x["service"] == "ljt-svc":
            print(s["user"], x["tty"], x["rhost"], x["pid"])' 2>&1)
lj_is "list --json: the remote host escaped, parsed back to the same text" "$got" \
	"$b pts/99 evil\"host?\\x $joiner"
kill "$joiner"
wait "$joiner" 2>/dev/null

out=$("$CTL" status ljt-free 2>&1)
lj_is "status of a user with no sandbox says so" "$out" "no sandbox of ljt-free is running"
out=$("$CTL" status no-such-user-ljt 2>&1)
lj_is "status of an unknown user exits 3" "$?" 3

# Nobody but root: a clear refusal, exit 2, and not a word of any sandbox.
for c in list "list --json" "status $a" "stop $a" "reload" "reload $a" "enter $a -- id"; do
	out=$(cd / && setpriv --reuid="$buid" --regid="$(id -g "$b")" --clear-groups "$CTL" $c 2>&1)
	lj_is "$c as $b exits 2" "$?" 2
	lj_like "$c as $b says it needs root" "$out" "needs root"
	lj_unlike "$c as $b shows nothing of any sandbox" "$out" "user-[0-9]|$a|session|pts/"
done

out=$("$CTL" stop "$a" 2>&1)
lj_like "stop says what it ended: the sandbox, sessions, processes killed" "$out" \
	"^stopped user-$uid of $a \\(1 session ended, [1-9][0-9]* process(es)? killed\\)$"
lj_like "stop lists the session it ended" "$out" "^  ended session: su(-l)? on (/dev/)?pts/[0-9]+ \\(host pid [1-9][0-9]*\\)$"
lj_wait_for "$LJ_DEADLINE" eval '! lj_sess_alive one'
lj_sess_close one 2
out=$("$CTL" stop "$b" 2>&1)
lj_like "stop of a lingering sandbox: 0 sessions" "$out" "^stopped user-$buid of $b \\(0 sessions ended"
lj_check_gone "after stop" "$a"
lj_check_gone "after stop" "$b"
