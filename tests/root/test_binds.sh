#!/bin/bash
# The policy's ro_bind and bind paths (SECURITY.md rule 10, issue 8).
# Swapped paths: a user who can write a directory on the way to a bind source
# (a TA's folder bound into students' sandboxes) replaces what comes next by a
# link to / or /tmp; the next login of another user must be refused, the
# message must name the policy's file:line and the component at fault, the
# host's / or /tmp must not show inside, and loginjailctl check must say the
# same. A link of root's own on the way is refused too, and so is a directory
# on the way that another user owns or that a group can write, link or not.
# Shadowed binds: ro_bind of ~/.ssh (as %h/.ssh and as the literal home) is
# read-only inside while the rest of the home stays writable; a path below
# /dev shows inside; check refuses a path under /tmp with file:line.
# Control: a bind of root's is there, read-only or read-write as asked.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
u=ljt-alice
lj_user_add ljt-ta
lj_scratch_root binds
R=$W
conf=$LJ_POLICY_DIR/policy.d/50-binds.conf
host_marker=/tmp/ljtest-binds-marker.$$
touch "$host_marker"
LJ_CLEANUP_HOOK="rm -f $host_marker"

install -d -m 0755 "$R/pub" "$R/grp" "$R/grp/course"
# The last component may be anybody's: only what leads to it must be root's.
install -d -m 0755 -o $u "$R/rw"
echo hello >"$R/pub/README"
chgrp ljt-ta "$R/grp" && chmod 0775 "$R/grp"
install -d -m 0755 -o ljt-ta -g ljt-ta "$R/ta" "$R/ta/course" "$R/ta2" "$R/ta2/data"
ln -s / "$R/rootlink"

# login CMD: su - $u running CMD; prints what it said and "rc=N".
login() {
	local out rc
	out=$(cd / && timeout 30 su - $u -c "$1" 2>&1 </dev/null)
	rc=$?
	printf '%s\nrc=%s\n' "$out" "$rc"
}
# refused NAME KEY PATH COMPONENT-ERE PROBE: with [user:$u] KEY = PATH as line
# 2 of 50-binds.conf, the login is refused naming file:line and the
# component, PROBE (a command run inside) does not print LEAK, and check
# reports the same.
refused() {
	local name=$1 key=$2 path=$3 comp=$4 probe=$5 out
	printf '[user:%s]\n%s = %s\n' $u "$key" "$path" | lj_policy 50-binds.conf
	out=$(login "echo IN-SANDBOX; $probe")
	lj_unlike "$name: the login is refused" "$out" "IN-SANDBOX|LEAK"
	lj_like "$name: the message names $conf:2 and the component" "$out" \
		"$conf:2: $key = $path: $comp"
	out=$("$LJ_BUILD/loginjailctl" check --config-dir "$LJ_POLICY_DIR" 2>&1)
	lj_is "$name: loginjailctl check fails" "$?" 1
	lj_like "$name: check names $conf:2 and the component" "$out" "$conf:2: $key = $path: $comp"
	lj_check_gone "$name" $u 10
}

# The TA swaps the course folder (its own) for a link to the host's /.
runuser -u ljt-ta -- sh -c "rm -rf '$R/ta/course' && ln -s / '$R/ta/course'" ||
	lj_bail "the TA cannot swap its folder"
refused "a link to / in a TA's folder" ro_bind "$R/ta/course" \
	"$R/ta is owned by uid $(lj_uid ljt-ta)" "ls -d $R/ta/course/run/ljtest.* && echo LEAK"
# In a directory of root's that the TA's group can write: a link to /tmp.
runuser -u ljt-ta -- sh -c "rm -rf '$R/grp/course' && ln -s /tmp '$R/grp/course'" ||
	lj_bail "the TA cannot swap the group's folder"
refused "a link to /tmp in a group-writable directory" bind "$R/grp/course" \
	"$R/grp is writable by its group or others" "ls $R/grp/course/${host_marker#/tmp/} && echo LEAK"
refused "a link of root's on the way" ro_bind "$R/rootlink" "$R/rootlink is a symbolic link" \
	"ls -d $R/rootlink/run/ljtest.* && echo LEAK"
refused "a directory on the way owned by another user, no link (yet)" ro_bind "$R/ta2/data" \
	"$R/ta2 is owned by uid $(lj_uid ljt-ta)" "true"

# Control: binds of root's, read-only and read-write, and a path below /dev.
# 20 more of them: more descriptors than one message used to carry (16).
many=
for i in $(seq 1 20); do
	install -d -m 0755 "$R/many/$i" && many+=" $R/many/$i"
done
printf '[user:%s]\nro_bind = %s /dev/net%s\nbind = %s\n' $u "$R/pub" "$many" "$R/rw" | lj_policy 50-binds.conf
out=$("$LJ_BUILD/loginjailctl" check --config-dir "$LJ_POLICY_DIR" 2>&1)
lj_is "control: check passes" "$?" 0
out=$(login "cat $R/pub/README; touch $R/pub/new || echo PUB-RO; touch $R/rw/new && echo RW-OK; ls /dev/net; ls -d $R/many/* | wc -l; ls / | tr '\n' ' '")
lj_like "control: the read-only bind is there" "$out" "^hello$"
lj_like "control: it is read-only" "$out" "Read-only file system"
lj_like "control: the read-write bind is writable" "$out" "^RW-OK$"
lj_like "a path below /dev (ro_bind = /dev/net) shows inside" "$out" "^tun$"
lj_like "control: the 20 more binds are there" "$out" "^20$"
lj_unlike "control: the jail's root is the jail's (no /root, /srv, /work)" "$out" " (root|srv|work) "
lj_is "control: what was written went to the host's directory" "$(ls "$R/rw")" "new"
lj_check_gone "control" $u 10

# ~/.ssh read-only, the rest of the home writable: as %h/.ssh for every
# student and as the literal home for one user.
for how in "%h/.ssh" "/home/$u/.ssh"; do
	printf '[user:%s]\nro_bind = %s\n' $u "$how" | lj_policy 50-binds.conf
	out=$(login "touch ~/.ssh/evil; echo \"rc=\$?\"; touch ~/ok && echo HOME-RW; cat ~/.ssh/authorized_keys | wc -l")
	lj_like "ro_bind = $how: a write into ~/.ssh fails with EROFS" "$out" "evil.*Read-only file system"
	lj_like "ro_bind = $how: the rest of the home is writable" "$out" "^HOME-RW$"
	lj_like "ro_bind = $how: ~/.ssh reads" "$out" "^1$"
	lj_is "ro_bind = $how: nothing was written into ~/.ssh" "$(ls /home/$u/.ssh)" "authorized_keys"
	lj_check_gone "ro_bind = $how" $u 10
	rm -f /home/$u/ok
done
# Another user's home is not the user's own.
printf '[user:%s]\nro_bind = /home/ljt-bob/.ssh\n' $u | lj_policy 50-binds.conf
out=$(login "echo IN-SANDBOX")
lj_unlike "another user's home: refused" "$out" "IN-SANDBOX"
lj_like "another user's home: the message says whose" "$out" \
	"$conf:2: ro_bind = /home/ljt-bob/.ssh: /home/ljt-bob is owned by uid $(lj_uid ljt-bob)"
lj_check_gone "another user's home" $u 10

# Paths the sandbox's own mounts would hide: refused by check, with file:line.
printf '[user:%s]\nbind = /tmp/x\n' $u | lj_policy 50-binds.conf
out=$("$LJ_BUILD/loginjailctl" check --config-dir "$LJ_POLICY_DIR" 2>&1)
lj_is "bind = /tmp/x: check fails" "$?" 1
lj_like "bind = /tmp/x: check names $conf:2 and says why" "$out" "$conf:2: bind = /tmp/x: paths under /tmp are not allowed"
lj_policy 50-binds.conf </dev/null
