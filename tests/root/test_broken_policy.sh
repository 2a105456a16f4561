#!/bin/bash
# A broken policy never lets a sandboxed user in unsandboxed, and refuses no
# more than it must: with an unknown key or a bad value in a section, the
# logins of the users that section may apply to are refused and told where;
# a user no broken section may apply to logs in untouched (syslog gets a
# warning naming the broken file:line: the helper's answer carries it). A
# group-writable or missing policy file refuses everyone but root, a user
# without any section too. Nothing of a sandbox is left behind. (Control:
# with the policy repaired the login works.)
. "$(dirname "$0")/lib.sh"
lj_setup_std
a=ljt-alice
marker='LJ_IN_SESSION'

# try_login LABEL ERE: su and ssh logins of alice must both be refused; what
# su shows the user must match ERE (say what is broken, and where)
try_login() {
	local l=$1 want=$2 out rc
	out=$(cd / && timeout 30 su - $a -c "echo $marker" 2>&1 </dev/null)
	rc=$?
	[ $rc != 0 ] && ! grep -q "$marker" <<<"$out"
	lj_result "$l: su - $a is refused" $? "exit status $rc" "$out"
	lj_like "$l: the user is told why" "$out" "$want"
	out=$(lj_ssh $a "echo $marker" 2>&1 </dev/null)
	rc=$?
	[ $rc != 0 ] && ! grep -q "$marker" <<<"$out"
	lj_result "$l: ssh $a is refused" $? "exit status $rc" "$out"
	lj_check_gone "$l" $a 10
}

# untouched LABEL: ljt-free logs in by su and ssh, on the host (its hostname)
untouched() {
	local l=$1 out rc
	out=$(cd / && timeout 30 su - $free -c "echo $marker; hostname" 2>&1 </dev/null)
	rc=$?
	lj_is "$l: su - $free (no broken section applies) exits 0" "$rc" 0
	lj_is "$l: su - $free is untouched (the host's hostname)" "$out" "$marker
$host"
	out=$(lj_ssh $free "echo $marker; hostname" 2>&1 </dev/null)
	lj_is "$l: ssh $free is untouched" "$out" "$marker
$host"
}

# helper_says USER: the helper's answer, as the module reads it: "status=N
# log=..." (2 = ignore).
lj_scratch broken
cat >"$W/ask.c" <<'C'
#include <sched.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proto.h"
int main(int argc, char **argv)
{
	int sv[2];
	struct lj_reply rep = {0};
	if (argc < 2 || socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
		return 2;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(sv[1], 3);
		execv(argv[1], argv + 1);
		_exit(127);
	}
	close(sv[1]);
	if (read(sv[0], &rep, sizeof(rep)) != sizeof(rep))
		return 3;
	waitpid(pid, NULL, 0);
	printf("status=%u log=%s\n", rep.status, rep.log_msg);
	return 0;
}
C
cc -D_GNU_SOURCE -I"$LJ_TESTS/../../common" -o "$W/ask" "$W/ask.c" || lj_bail "compile ask.c"
helper_says() { "$W/ask" "$LJ_HELPER" open --user "$1" --config-dir "$LJ_POLICY_DIR" 2>&1; }

free=ljt-free
host=$(lj_host_hostname)

lj_policy_default
lj_policy 50-broken.conf <<'EOF2'
[user:ljt-alice]
no_such_key = 1
EOF2
try_login "unknown key in policy.d" 'loginjail.*50-broken\.conf:2:.*no_such_key'
untouched "[user:ljt-alice] broken"
rm -f "$LJ_POLICY_DIR/policy.d/50-broken.conf"

# A broken section for a group, and no [default]: its member is refused,
# a user outside the group is not.
lj_policy <<'EOF2'
[group:ljt-students]
sandbox = yes
hostname = jail-%u
no_such_key = 1
EOF2
try_login "unknown key in [group:ljt-students]" 'loginjail.*loginjail\.conf:4:.*no_such_key'
lj_like "[group:ljt-students] broken: the helper's log names the section for $a" \
	"$(helper_says $a)" "^status=3 log=user $a: .*loginjail\.conf:4: unknown key 'no_such_key'.* \(in section \[group:ljt-students\] at .*/loginjail\.conf:1; "
untouched "[group:ljt-students] broken"
lj_like "[group:ljt-students] broken: the helper lets $free in with a warning naming file:line" \
	"$(helper_says $free)" "^status=2 log=user $free: not sandboxed, but .*/loginjail\.conf:4: unknown key 'no_such_key'"
lj_policy_default
lj_like "control: with the policy repaired the helper ignores $free quietly" \
	"$(helper_says $free)" "^status=2 log=$"

lj_policy 50-broken.conf <<'EOF2'
[user:ljt-alice]
memory_max = 0x10
EOF2
try_login "memory_max = 0x10" 'loginjail.*50-broken\.conf:2:.*memory_max'

rm -f "$LJ_POLICY_DIR/policy.d/50-broken.conf"
lj_policy_default
chmod 0664 "$LJ_POLICY_DIR/loginjail.conf"
try_login "group-writable loginjail.conf" 'loginjail.*loginjail\.conf.*writable'
a=$free try_login "group-writable loginjail.conf, $free (no section)" 'loginjail.*loginjail\.conf.*writable'
chmod 0644 "$LJ_POLICY_DIR/loginjail.conf"

rm -f "$LJ_POLICY_DIR/loginjail.conf"
try_login "loginjail.conf missing" 'loginjail.*loginjail\.conf'

lj_policy_default
out=$(cd / && timeout 30 su - $a -c "echo $marker; hostname" 2>&1 </dev/null)
lj_like "control: with the policy repaired, su - $a logs into the sandbox" "$out" "^$marker
jail-$a\$"
lj_check_gone "control" $a
