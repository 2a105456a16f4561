#!/bin/bash
# /tmp and /dev/shm are bounded (policy key tmp_size; by default half of
# memory_max): what is written there is charged to the sandbox's memory
# cgroup and cannot be reclaimed, so unbounded they let a user fill
# memory_max and have the OOM killer take the login's own processes (sshd's
# session process among them). With memory_max = 256M both show 128M, share
# it, a write past it fails with ENOSPC, nothing is OOM-killed and the login
# goes on. A tmpfs home (home = tmpfs) is in the same budget, an explicit
# tmp_size sets it.
. "$(dirname "$0")/lib.sh"
lj_setup_std
lj_policy <<'EOF2'
[group:ljt-students]
sandbox = yes
network = loopback
hostname = jail-%u
memory_max = 256M
share = user
linger = 0

[user:ljt-bob]
home = tmpfs
tmp_size = 16M
EOF2
a=ljt-alice
uid=$(lj_uid $a)

lj_sess_open s ssh $a
lj_sess_send s 'echo "LJ size=$(df -k --output=size /tmp | tail -n 1 | tr -d " ") $(df -k --output=size /dev/shm | tail -n 1 | tr -d " ")"'
lj_sess_wait s '^LJ size=' || lj_bail "ssh login as $a" "$(lj_sess_text s | tail -n 20)"
lj_is "df: /tmp and /dev/shm are 128M (half of memory_max) in KiB" \
	"$(lj_sess_text s | sed -n 's/^LJ size=//p')" "131072 131072"

lj_sess_send s 'dd if=/dev/zero of=/tmp/fill bs=1M count=300 2>~/dd.err; echo "LJ dd_tmp=$? $(grep -o "No space left on device" ~/dd.err | head -n 1)"'
lj_sess_wait s '^LJ dd_tmp=' 60
lj_is "writing 300M to /tmp fails with ENOSPC" "$(lj_sess_text s | sed -n 's/^LJ dd_tmp=//p')" \
	"1 No space left on device"
lj_sess_send s 'dd if=/dev/zero of=/dev/shm/fill bs=1M count=10 2>~/dd.err; echo "LJ dd_shm=$? $(grep -o "No space left on device" ~/dd.err | head -n 1)"'
lj_sess_wait s '^LJ dd_shm=' 30
lj_is "/dev/shm shares the budget: full as well" "$(lj_sess_text s | sed -n 's/^LJ dd_shm=//p')" \
	"1 No space left on device"
lj_sess_send s 'rm -f /tmp/fill /dev/shm/fill; echo "LJ alive=yes"'
lj_sess_wait s '^LJ alive=' 20
lj_is "the login survives" "$(lj_sess_text s | sed -n 's/^LJ alive=//p')" yes
# v1 counts oom_kill in the victim's own memcg: sum over the user's subtree.
oom=$(find "/sys/fs/cgroup/memory/loginjail/user-$uid" -name memory.oom_control \
	-exec awk '$1 == "oom_kill" { s += $2 } END { print s + 0 }' {} + 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
lj_is "nothing was OOM-killed in the user's memory cgroup" "${oom:-?}" 0
lj_sess_close s
lj_check_gone "logout" $a

b=ljt-bob
lj_sess_open b ssh $b
lj_sess_send b 'echo "LJ home=$(stat -c "%U %a" ~) $(df -k --output=size ~ | tail -n 1 | tr -d " ") $(df -k --output=size /tmp | tail -n 1 | tr -d " ")"'
lj_sess_wait b '^LJ home=' || lj_bail "ssh login as $b" "$(lj_sess_text b | tail -n 20)"
lj_is "home = tmpfs: the home is $b's (0700), it and /tmp are 16M (tmp_size)" \
	"$(lj_sess_text b | sed -n 's/^LJ home=//p')" "$b 700 16384 16384"
lj_sess_send b 'head -c 10M /dev/zero >/tmp/a; head -c 10M /dev/zero >~/b 2>/dev/null; echo "LJ dd_home=$? $(($(stat -c %s ~/b) / 1048576))"'
lj_sess_wait b '^LJ dd_home=' 30
lj_like "10M in /tmp, then 10M more in the home: cut short (shared 16M)" \
	"$(lj_sess_text b | sed -n 's/^LJ dd_home=//p')" '^1 [0-6]$'
lj_sess_close b
lj_check_gone "logout of $b" $b
