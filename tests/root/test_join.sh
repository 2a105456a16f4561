#!/bin/bash
# Joining a running sandbox (SECURITY.md rule 16, "Join" attacks). A login of
# a user whose shared sandbox runs joins it straight from the module, without
# the helper: same namespaces, same cgroup, the whole battery holds. With no
# sandbox running the module joins nothing by itself: without a helper the
# login is refused. A state directory that is not root's, a control socket
# served by a non-root process, or one handing out namespaces that a user made
# is never joined, nor one whose user namespace a user made: the login is
# refused, and the fake is left as it was. Nor
# is a sandbox built from another policy directory than the login's.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_policy_default
u=ljt-alice
uid=$(lj_uid "$u")
lj_scratch join
no_helper() { lj_module_opt su helper /nonexistent/loginjail-helper; }
with_helper() { lj_module_reset su; }
FAKE=$LJ_STATE/user-$uid
FAKE_PID=
fake_clear() {
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=
	rm -rf "$FAKE"
}
trap 'fake_clear; lj_cleanup' EXIT

# ---- no sandbox running: nothing to join, and no helper to build one
no_helper
out=$(su - "$u" -c 'echo INSIDE' 2>&1)
with_helper
lj_unlike "no sandbox and no helper: the login does not run" "$out" "INSIDE"
lj_like "no sandbox and no helper: the user is told" "$out" "refused"

# ---- a running sandbox is joined without the helper
lj_sess_open first su_l "$u"
lj_sess_send first "(exec -a ljt-mark-join sleep 300) </dev/null >/dev/null 2>&1 &" \
	'echo "LJ ns=$(readlink /proc/self/ns/pid) $(readlink /proc/self/ns/mnt) $(readlink /proc/self/ns/user)"'
lj_sess_wait first '^LJ ns=' || lj_fail "first session (su -, with the helper)" "$(lj_sess_text first)"
NS1=$(lj_sess_text first | sed -n 's/^LJ ns=//p')
no_helper
lj_sess_open second su_l "$u"
if lj_sess_probe second join; then
	lj_pass "a second login joins the running sandbox with no helper at all"
else
	lj_fail "a second login joins the running sandbox with no helper at all" "$(lj_sess_text second)"
fi
with_helper
lj_is "the joined session is in the first one's pid, mnt and user namespaces" \
	"${LJP[ns_pid]:-} ${LJP[ns_mnt]:-} ${LJP[ns_user]:-}" "$NS1"
lj_like "the joined session sees the first one's process" "${LJP[ps]:-}" "ljt-mark-join"
lj_check_sandboxed "joined without the helper" "$u"
lj_check_in_cgroup "joined without the helper" "$u"
# A service reading another policy directory does not join a sandbox built
# from this one: the fast path declines, and the helper says why.
cp -a "$LJ_POLICY_DIR" "$W/other-policy"
lj_module_opt su config_dir "$W/other-policy"
out=$(cd / && su - "$u" -c 'echo INSIDE' 2>&1)
with_helper
lj_unlike "another policy directory: the login does not join the running sandbox" "$out" "INSIDE"
lj_like "another policy directory: the user is told why" "$out" "refused.*another policy directory"
lj_sess_close second
lj_sess_close first
lj_check_gone "after both logged out" "$u"

# ---- fakes at the user's sandbox name: never joined
# refused_with LABEL ERE: a login (with the helper) must be refused, and the
# reason the user is told must match ERE.
refused_with() {
	local out
	out=$(su - "$u" -c 'echo INSIDE; readlink /proc/self/ns/mnt' 2>&1)
	lj_unlike "$1: the login does not run" "$out" "INSIDE"
	lj_like "$1: the user is told why" "$out" "refused.*$2"
}

mkdir -m 0700 "$FAKE" && chown "$u" "$FAKE"
refused_with "state directory owned by the user" "not a root-only directory"
x=$(stat -c '%U %a' "$FAKE" 2>&1)
lj_is "the user's fake state directory is left as it was" "$x" "$u 700"
fake_clear

# A root-only directory whose control socket is served by a process that
# dropped to nobody before listen(2) (SO_PEERCRED says nobody).
cat >"$W/fake.py" <<'PY'
import os, socket, struct, sys
path, mode, version = sys.argv[1], sys.argv[2], int(sys.argv[4])
log = open(sys.argv[3], "w", buffering=1)  # opened before any setuid
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(path)
fds = []
if mode == "nobody":
    os.setgid(65534); os.setuid(65534)
elif mode == "old":
    pass  # a sandbox of protocol 4: answers in its own, shorter format
else:  # namespaces of PID, or of PID but UPID's user namespace ("PID,UPID")
    pid, _, upid = mode.partition(",")
    for n in ("mnt", "uts", "ipc", "net", "pid", "cgroup", "user"):
        p = upid if n == "user" and upid else pid
        fds.append(os.open("/proc/%s/ns/%s" % (p, n), os.O_RDONLY))
s.listen(8)
log.write("listening\n")
while True:
    c, _ = s.accept()
    try:  # a joiner that hangs up must not end the server
        msg, anc, flags, addr = c.recvmsg(4096, socket.CMSG_SPACE(64))
        if msg:
            log.write("joiner\n")
            # struct lj_ctl_rep: version, status OK, sessions, nprocs, flags, user
            if mode == "old":
                c.send(struct.pack("IIIII", 4, 0, 1, 0, 0))
            else:
                socket.send_fds(c, [struct.pack("IIIII68s", version, 0, 1, 0, 0, b"x")], fds)
    except OSError:
        pass
    c.close()
PY
# The fake speaks the current protocol (common/proto.h).
PROTO_VERSION=$(sed -n 's/^#define LJ_PROTO_VERSION //p' "$LJ_ROOT/common/proto.h")
start_fake() { # start_fake MODE
	rm -f "$W/fake.log"
	mkdir -m 0700 "$FAKE" || return 1
	python3 "$W/fake.py" "$FAKE/ctl" "$1" "$W/fake.log" "$PROTO_VERSION" 2>"$W/fake.err" &
	FAKE_PID=$!
	lj_wait_for 5 grep -qs listening "$W/fake.log"
}
start_fake old || lj_bail "start the fake old-version sandbox: $(cat "$W/fake.err")"
refused_with "a sandbox of an older version (protocol 4)" \
	"started by another version of loginjail \\(protocol 4, this is $PROTO_VERSION\\)"
fake_clear

start_fake nobody || lj_bail "start the fake control socket: $(cat "$W/fake.err")"
refused_with "control socket not served by root" "not served by root"
fake_clear

# Namespaces a user made: ljt-free's own user namespace and everything in it.
userns_pid=$(setpriv --reuid="$(lj_uid ljt-free)" --regid="$(id -g ljt-free)" --clear-groups \
	unshare -U -r -m -u -i -n -p -f -C sleep 300 </dev/null >/dev/null 2>&1 8>&- & echo $!)
lj_wait_for 5 eval '[ -n "$(pgrep -P '"$userns_pid"')" ]'
upid=$(pgrep -P "$userns_pid" | head -n 1)
start_fake "$upid" || lj_bail "start the fake namespace server: $(cat "$W/fake.err")"
refused_with "a root-served socket handing out a user's namespaces" \
	"namespace handed out by .* is not a sandbox namespace made by root"
lj_like "the user's namespaces were offered (the check, not a failed connect, refused them)" \
	"$(cat "$W/fake.log")" "joiner"
fake_clear

# Root's own namespaces (owned by the initial user namespace), but the user
# namespace one that ljt-free made: its maps are that user's choice.
# (8>&-: the test lock's descriptor must not outlive the test in them.)
rootns_pid=$(unshare -m -u -i -n -p -f -C sleep 300 </dev/null >/dev/null 2>&1 8>&- & echo $!)
lj_wait_for 5 eval '[ -n "$(pgrep -P '"$rootns_pid"')" ]'
rpid=$(pgrep -P "$rootns_pid" | head -n 1)
start_fake "$rpid,$upid" || lj_bail "start the fake namespace server: $(cat "$W/fake.err")"
refused_with "root's namespaces with a user's user namespace" \
	"user namespace handed out by .* is not a sandbox namespace made by root"
lj_like "root's namespaces with a user's user namespace were offered" "$(cat "$W/fake.log")" "joiner"
fake_clear
kill "$rpid" "$upid" "$rootns_pid" "$userns_pid" 2>/dev/null
lj_check_gone "after the fakes" "$u"

