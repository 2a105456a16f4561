#!/bin/bash
# loginjailctl list and stop, and the policy of a running sandbox: a login
# that finds the user's sandbox running joins it while the user's resolved
# policy is the one it was built from (an edit that does not change it, such
# as another user's section, is no matter); once it has changed, logins are
# refused and told to run `loginjailctl stop USER`, which ends the sandbox now
# (its sessions end, nothing is left), and the next login gets a sandbox built
# with the current policy; `stop --all` ends every sandbox. Only root may
# list or stop.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_policy_default
a=ljt-alice
uid=$(lj_uid "$a")
CTL=$LJ_BUILD/loginjailctl

out=$("$CTL" list 2>&1)
lj_is "list with nothing running" "$out" "no sandbox is running"

lj_sess_open one su_l "$a"
lj_sess_send one 'echo "LJ host=$(hostname)"'
lj_sess_wait one '^LJ host=' || lj_fail "first session" "$(lj_sess_text one)"
lj_is "the first session has the policy's hostname" \
	"$(lj_sess_text one | sed -n 's/^LJ host=//p')" "jail-$a"
out=$("$CTL" list 2>&1)
lj_like "list shows the sandbox, its user and its session" "$out" \
	"^user-$uid +$a +1 +[0-9]+ "

# A later loginjail may send a longer request: the init answers it as another
# version's (LJ_CTL_BAD, with its own protocol), rather than dropping it.
proto=$(sed -n 's/^#define LJ_PROTO_VERSION //p' "$LJ_ROOT/common/proto.h")
ans=$(python3 - "/run/loginjail/user-$uid/ctl" 2>&1 <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(5)
s.connect(sys.argv[1])
s.send(struct.pack("<II", 99, 1) + bytes(200))
r = s.recv(4096)
print(*struct.unpack_from("<II", r), len(r))
PY
)
lj_is "a longer request of protocol 99: answered LJ_CTL_BAD (3), naming protocol $proto" \
	"$ans" "$proto 3 88"

# Another user's policy changes while the sandbox runs: alice's resolved
# policy is the same, and her logins join. The module alone does not join
# while the files differ from those the sandbox was built from; the helper
# compares the resolved policy, and from then on the module joins again.
no_helper() { lj_module_opt su helper /nonexistent/loginjail-helper; }
lj_policy 60-bob.conf <<EOF2
[user:ljt-bob]
hostname = other-bob
EOF2
no_helper
out=$(cd / && su - "$a" -c hostname 2>&1)
lj_module_reset su
lj_unlike "the policy files changed: the module does not join by itself" "$out" "jail-$a"
out=$(cd / && su - "$a" -c hostname 2>&1)
lj_is "another user's policy changed: a login joins the running sandbox" "$out" "jail-$a"
no_helper
out=$(cd / && su - "$a" -c hostname 2>&1)
lj_module_reset su
lj_is "once the helper has compared the policy, the module joins by itself again" "$out" "jail-$a"

# The user's own policy changes while the sandbox runs: refused, and told
# how to apply it.
lj_policy 60-alice.conf <<EOF2
[user:$a]
hostname = changed-$a
EOF2
out=$(cd / && su - "$a" -c hostname 2>&1)
lj_unlike "alice's policy changed: a login does not join the old sandbox" "$out" "jail-$a"
lj_like "alice's policy changed: the user is told to have it stopped" "$out" \
	"refused.*policy of $a changed.*loginjailctl stop $a"
lj_like "the running sandbox still has its session" "$("$CTL" list 2>&1)" \
	"^user-$uid +$a +1 +[0-9]+ "

out=$("$CTL" stop "$a" 2>&1)
rc=$?
lj_is "stop exits 0" "$rc" 0
lj_like "stop says what it ended" "$out" "^stopped user-$uid of $a \\(1 session ended, [0-9]+ process(es)? killed\\)$"
lj_wait_for "$LJ_DEADLINE" eval '! lj_sess_alive one'
lj_sess_alive one
lj_result "the session in the stopped sandbox has ended" $((!$?)) "$(lj_sess_text one | tail -n 5)"
lj_sess_close one 2
lj_check_gone "after stop" "$a"

out=$(cd / && su - "$a" -c hostname 2>&1)
lj_is "the next login gets a sandbox with the current policy" "$out" "changed-$a"
lj_check_gone "after that login" "$a"

out=$("$CTL" stop "$a" 2>&1)
rc=$?
lj_is "stop with nothing running exits 0" "$rc" 0
lj_is "stop with nothing running says so" "$out" "no sandbox of $a is running"
out=$("$CTL" stop no-such-user-ljt 2>&1)
lj_is "stop of an unknown user exits 3" "$?" 3
lj_like "stop of an unknown user says so" "$out" "no user no-such-user-ljt"

# stop --all ends every sandbox, whoever's (the Debian package's prerm runs
# it on removal, also for users deleted since).
b=ljt-bob
lj_sess_open all1 su_l "$a"
lj_sess_open all2 su_l "$b"
for s in all1 all2; do
	lj_sess_send $s 'echo "LJ up=1"'
	lj_sess_wait $s '^LJ up=1$' || lj_fail "session $s is up" "$(lj_sess_text $s)"
done
out=$("$CTL" stop --all 2>&1)
lj_is "stop --all exits 0" "$?" 0
lj_like "stop --all names $a's sandbox" "$out" "^stopped user-$uid of $a \\(1 session ended, [0-9]+ process(es)? killed\\)$"
lj_like "stop --all names $b's sandbox" "$out" "^stopped user-$(lj_uid $b) of $b \\(1 session ended, [0-9]+ process(es)? killed\\)$"
for s in all1 all2; do
	lj_wait_for "$LJ_DEADLINE" eval "! lj_sess_alive $s"
	lj_sess_alive $s
	lj_result "stop --all: the session $s has ended" $((!$?)) "$(lj_sess_text $s | tail -n 5)"
	lj_sess_close $s 2
done
lj_check_gone "after stop --all" "$a"
lj_check_gone "after stop --all" "$b"
out=$("$CTL" stop --all 2>&1)
lj_is "stop --all with nothing running says so" "$out" "no sandbox is running"

for c in list "stop $a" "stop --all"; do
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" $c 2>&1)
	lj_is "$c as nobody exits 2" "$?" 2
	lj_like "$c as nobody says it needs root" "$out" "needs root"
done
