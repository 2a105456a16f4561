#!/bin/bash
# A sandbox is joined only by the account it was built for (issue 8, hole 2).
# Sandboxes are named by uid, but a second account with the same uid and
# another name and policy (useradd -o), or an account deleted and re-created
# with the same uid and another home while its sandbox lingers, must not land
# in it: neither through the module's fast join nor through the helper's. Both
# are refused, the user and syslog told why. A change to the user's resolved
# policy is covered by test_ctl.sh.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_policy_default
a=ljt-alice
uid=$(lj_uid "$a")
twin=ljt-twin
CTL=$LJ_BUILD/loginjailctl
lj_scratch join-account

# ljt-twin: alice's uid and group, its own name, home and policy (host
# network). Same uid and gid: nothing but loginjail could tell them apart.
gid=$(id -g "$a")
useradd -o -u "$uid" -g "$gid" -m -d "/home/$twin" -s /bin/bash -c "$LJ_GECOS" "$twin" ||
	lj_bail "useradd -o -u $uid $twin"
LJ_USERS+=("$twin")
usermod -p '*' "$twin"
lj_policy 50-twin.conf <<EOF2
[user:$twin]
sandbox = yes
network = host
hostname = twin-%u
EOF2

# ---- alice holds a session: her sandbox runs
lj_sess_open first su_l "$a"
lj_sess_send first 'echo "LJ ns=$(stat -L -c %i /proc/self/ns/net) $(stat -L -c %i /proc/self/ns/mnt)"'
lj_sess_wait first '^LJ ns=' || lj_bail "alice's first session" "$(lj_sess_text first)"
NS_A=$(lj_sess_text first | sed -n 's/^LJ ns=//p')
NET_A=${NS_A%% *}
MNT_A=${NS_A##* }

# ---- the twin logs in: the module's fast join must not take alice's sandbox
out=$(cd / && su - "$twin" -c 'echo "INSIDE $(stat -L -c %i /proc/self/ns/net) $(stat -L -c %i /proc/self/ns/mnt) $(hostname)"' 2>&1)
lj_unlike "same uid, other account: the login does not run in alice's namespaces" \
	"$out" "INSIDE.*(^| )($NET_A|$MNT_A)( |$)"
lj_unlike "same uid, other account: the login does not run at all (refused)" "$out" "INSIDE"
lj_like "same uid, other account: the user is told why" "$out" \
	"refused.*built for another account.*$a"

# ---- the helper's own join (what the module falls back to), run directly:
# it must deny, not hand out alice's namespaces.
cat >"$W/ask.py" <<'PY'
import os, socket, struct, subprocess, sys
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
# The helper answers on fd 3 (proto.h).
p = subprocess.Popen([sys.argv[1], "open", "--user", sys.argv[2], "--service", "su-l",
                      "--config-dir", sys.argv[3]],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, pass_fds=[3],
                     preexec_fn=lambda: os.dup2(b.fileno(), 3))
b.close()
msg, fds, _, _ = socket.recv_fds(a, 1024, 16)
p.wait()
# struct lj_reply: version, status, nfds, flags, user_msg[256], log_msg[512]
version, status, nfds = struct.unpack_from("III", msg)
log = msg[16 + 256:].split(b"\0")[0].decode()
print("status=%d nfds=%d fds=%d log=%s" % (status, nfds, len(fds), log))
PY
out=$(cd / && python3 "$W/ask.py" "$LJ_HELPER" "$twin" "$LJ_POLICY_DIR" 2>&1)
lj_like "the helper, asked for the twin, denies (status 3, no namespaces)" "$out" "^status=3 nfds=0 fds=0 "
lj_like "the helper says which account the sandbox is for" "$out" "built for another account.*$a"

# alice herself still joins her sandbox.
out=$(cd / && su - "$a" -c 'echo "INSIDE $(stat -L -c %i /proc/self/ns/net)"' 2>&1)
lj_is "alice's second login still joins her sandbox" "$out" "INSIDE $NET_A"
lj_sess_close first
lj_check_gone "alice logged out" "$a"
userdel -r "$twin" >/dev/null 2>&1

# ---- a deleted account's uid re-used while its sandbox lingers
lj_policy 50-twin.conf <<EOF2
[user:$a]
linger = 300
EOF2
out=$(cd / && su - "$a" -c 'echo "INSIDE $(stat -L -c %i /proc/self/ns/mnt)"' 2>&1)
MNT_OLD=$(sed -n 's/^INSIDE //p' <<<"$out")
[ -n "$MNT_OLD" ] || lj_bail "alice's login before her account is re-created" "$out"
lj_like "alice's sandbox lingers after her logout" "$("$CTL" list 2>&1)" "^user-$uid +$a +0 +[0-9]+ "
userdel "$a" || lj_bail "userdel $a"
getent group "$gid" >/dev/null || groupadd -g "$gid" "$a"
useradd -u "$uid" -g "$gid" -o -m -d "/home/$a-new" -s /bin/bash -c "$LJ_GECOS" -G ljt-students "$a" ||
	lj_bail "useradd -u $uid $a (home /home/$a-new)"
usermod -p '*' "$a"
out=$(cd / && su - "$a" -c 'echo "INSIDE $(stat -L -c %i /proc/self/ns/mnt)"' 2>&1)
lj_unlike "re-created account, other home: it does not join the lingering sandbox" "$out" "INSIDE $MNT_OLD\$"
lj_like "re-created account, other home: refused, and told what to do" "$out" \
	"refused.*built for another account.*loginjailctl stop $a"
"$CTL" stop "$a" >/dev/null 2>&1
out=$(cd / && su - "$a" -c 'echo "INSIDE $(pwd)"' 2>&1)
lj_is "after loginjailctl stop, the re-created account gets a sandbox of its own" "$out" \
	"INSIDE /home/$a-new"
"$CTL" stop "$a" >/dev/null 2>&1
lj_check_gone "after the re-created account's sandbox was stopped" "$a"
