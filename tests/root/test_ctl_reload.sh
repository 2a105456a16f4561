#!/bin/bash
# loginjailctl reload [USER]: a changed policy reaches running sandboxes. A
# change of cgroup limits (memory_max, pids_max) is written to the user's
# cgroup at once, and the sandbox takes the new policy as its own: logins,
# refused while it differed, join it again. A change a running sandbox
# cannot take (network, a bind) is named, with "loginjailctl stop USER",
# and the sandbox is left running (its logins refused until it is stopped).
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_policy_default
a=ljt-alice
uid=$(lj_uid "$a")
CTL=$LJ_BUILD/loginjailctl
reload() { "$CTL" reload "$@" --config-dir "$LJ_POLICY_DIR"; }
# tmp_size is set: unset, it is half of memory_max, and a running sandbox's
# /tmp keeps its size.
alice_policy() {
	lj_policy 60-alice.conf <<-EOF
	[user:$a]
	tmp_size = 64M
	$(printf '%s\n' "$@")
	EOF
}
# The user's limits, as the kernel has them.
limits() {
	if [ -d /sys/fs/cgroup/memory/loginjail ]; then
		echo "$(cat /sys/fs/cgroup/memory/loginjail/user-$uid/memory.limit_in_bytes)" \
			"$(cat /sys/fs/cgroup/pids/loginjail/user-$uid/pids.max)"
	else
		echo "$(cat /sys/fs/cgroup/loginjail.slice/user-$uid.slice/memory.max)" \
			"$(cat /sys/fs/cgroup/loginjail.slice/user-$uid.slice/pids.max)"
	fi 2>&1
}
mntns() { cd / && su - "$a" -c 'readlink /proc/self/ns/mnt' 2>&1; }

alice_policy
lj_sess_open one su_l "$a"
lj_sess_send one 'echo "LJ mnt=$(readlink /proc/self/ns/mnt)"'
lj_sess_wait one '^LJ mnt=' || lj_bail "alice's session" "$(lj_sess_text one)"
mnt=$(lj_sess_text one | sed -n 's/^LJ mnt=//p')
lj_is "the limits of the policy" "$(limits)" "536870912 512"
out=$(reload 2>&1)
lj_is "reload of an unchanged policy exits 0" "$?" 0
lj_is "reload of an unchanged policy says so" "$out" "user-$uid of $a: as the policy says"

alice_policy "memory_max = 256M" "pids_max = 100"
out=$(mntns)
lj_like "changed limits: a login is refused until the policy is reloaded" "$out" \
	"policy of $a changed"
out=$(reload "$a" 2>&1)
lj_is "reload exits 0" "$?" 0
lj_is "reload says what it applied" "$out" "user-$uid of $a: applied memory_max, pids_max"
lj_is "the new limits are in the user's cgroup" "$(limits)" "268435456 100"
lj_like "list shows the new limits" "$("$CTL" list 2>&1)" "^user-$uid +$a +1 +[0-9]+ +[^ ]+/256M +[0-9]+/100 "
lj_is "after reload a login joins the same sandbox" "$(mntns)" "$mnt"
lj_sess_send one 'echo "LJ alive=1"'
lj_sess_wait one '^LJ alive=1$'
lj_result "the session ran on through reload" $? "$(lj_sess_text one | tail -n 3)"

alice_policy "memory_max = 300M" "pids_max = 100" "network = none" "ro_bind = /var/cache"
out=$(reload 2>&1)
lj_is "reload with keys only a new sandbox takes exits 0" "$?" 0
lj_is "reload names them, says how to apply them, and applies the limits" "$out" \
	"user-$uid of $a differs from the policy in network, ro_bind, which a running sandbox cannot take: loginjailctl stop $a applies them (until then, its logins are refused); applied now: memory_max"
lj_is "the new memory limit is in the user's cgroup" "$(limits)" "314572800 100"
lj_like "the sandbox still runs, with its session" "$("$CTL" list 2>&1)" "^user-$uid +$a +1 "
lj_unlike "its logins are refused meanwhile" "$(mntns)" "^${mnt//[/\\[}$"

out=$(reload ljt-bob 2>&1)
lj_is "reload of a user with no sandbox says so" "$out" "no sandbox of ljt-bob is running"

out=$("$CTL" stop "$a" 2>&1)
lj_like "stop ends it" "$out" "^stopped user-$uid of $a "
lj_wait_for "$LJ_DEADLINE" eval '! lj_sess_alive one'
lj_sess_close one 2
out=$(cd / && su - "$a" -c 'ip -o link show lo | grep -q ",UP" && echo lo-up || echo lo-down; test -d /var/cache && echo bound' 2>&1)
lj_is "the next login gets the new network and bind" "$out" "lo-down
bound"
"$CTL" stop "$a" >/dev/null 2>&1
lj_check_gone "after stop" "$a"
