#!/bin/bash
# The policy's limits hold inside a session: memory_max (a process allocating
# past it is OOM-killed, the session survives), pids_max (a fork bomb stops
# there and the host stays responsive; logout still tears everything down),
# cpu_max (a busy loop gets about half a CPU).
. "$(dirname "$0")/lib.sh"
lj_setup_std
lj_policy <<'EOF2'
[group:ljt-students]
sandbox = yes
network = loopback
hostname = jail-%u
memory_max = 64M
pids_max = 64
cpu_max = 50%
share = user
linger = 0
EOF2
a=ljt-alice
uid=$(lj_uid $a)
cg() { cat "/sys/fs/cgroup/$1/loginjail/user-$uid/$2" 2>&1; }

lj_sess_open s ssh $a
lj_sess_send s 'echo "LJ ready"'
lj_sess_wait s '^LJ ready$' || lj_bail "ssh login as $a" "$(lj_sess_text s)"

lj_is "memory.limit_in_bytes of user-$uid is 64M" "$(cg memory memory.limit_in_bytes)" 67108864
lj_is "pids.max of user-$uid is 64" "$(cg pids pids.max)" 64
quota=$(cg cpu cpu.cfs_quota_us)
period=$(cg cpu cpu.cfs_period_us)
[[ $quota =~ ^[0-9]+$ && $period =~ ^[0-9]+$ ]] && [ "$((quota * 2))" = "$period" ]
lj_result "cpu quota of user-$uid is 50% of the period" $? "cfs_quota_us=$quota cfs_period_us=$period"

# Memory: tail keeps a 200M line (no newline) in memory.
lj_sess_send s 'head -c 200M /dev/zero | tail >/dev/null; echo "LJ hog=${PIPESTATUS[*]}"' 'echo "LJ alive=yes"'
lj_sess_wait s '^LJ alive=' 60
hog=$(lj_sess_text s | sed -n 's/^LJ hog=//p')
lj_like "memory hog past memory_max is killed (SIGKILL, 137)" "$hog" ' 137$'
lj_is "the session survives the OOM kill" "$(lj_sess_text s | sed -n 's/^LJ alive=//p')" yes
# v1 counts oom_kill in the victim's own memcg: sum over the user's subtree.
oom=$(find "/sys/fs/cgroup/memory/loginjail/user-$uid" -name memory.oom_control \
	-exec awk '$1 == "oom_kill" { s += $2 } END { print s + 0 }' {} + 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
[ "${oom:-0}" -gt 0 ]
lj_result "the OOM kill happened in the user's memory cgroup" $? \
	"oom_kill in loginjail/user-$uid and below: ${oom:-?}" \
	"failcnt: $(cg memory memory.failcnt)"

# CPU: 2 s of busy loop; user time / real time must be about 0.5.
lj_sess_send s "TIMEFORMAT='LJ cpu=%U %R'; time perl -e '\$e = time + 2; 1 while time < \$e'"
lj_sess_wait s '^LJ cpu=' 20
read -r ut rt <<<"$(lj_sess_text s | sed -n 's/^LJ cpu=//p')"
awk -v u="${ut:-9}" -v r="${rt:-1}" 'BEGIN { exit !(u / r < 0.7) }'
lj_result "a busy loop gets at most ~50% of a CPU (cpu_max)" $? "user ${ut:-?}s in real ${rt:-?}s"

# pids: a bounded bomb (perl forks until fork fails), then the classic one.
if [ "$(cg pids pids.max)" != 64 ]; then
	lj_fail "fork bomb: not attempted, pids.max is not set" "$(cg pids pids.max)"
else
	rel=/home/$a/.ljt-release
	rm -f "$rel"
	lj_sess_send s "perl -e '\$| = 1; my (\$n, @k) = (0); while (\$n < 1000) { my \$p = fork;
	  if (!defined \$p) { print \"LJ bomb=stopped \$n \$!\\n\"; last }
	  if (!\$p) { sleep 60; exit 0 } push @k, \$p; \$n++ }
	  print \"LJ bomb=done \$n\\n\" if \$n >= 1000; my \$t = time + 20;
	  select(undef, undef, undef, 0.05) until -e \"\$ENV{HOME}/.ljt-release\" or time > \$t;
	  kill \"KILL\", @k; waitpid(\$_, 0) for @k; print \"LJ bomb_end=1\\n\"'"
	lj_sess_wait s '^LJ bomb=' 30
	bomb=$(lj_sess_text s | sed -n 's/^LJ bomb=//p')
	cur=$(cg pids pids.current)
	start=$(date +%s%N)
	for _ in $(seq 20); do /bin/true; done
	ms=$((($(date +%s%N) - start) / 1000000))
	touch "$rel"
	lj_like "fork bomb stops before pids_max (fork fails with EAGAIN)" "$bomb" \
		'^stopped ([0-9]|[1-5][0-9]|6[0-3]) Resource temporarily unavailable$'
	[ "${cur:-99}" -le 64 ] 2>/dev/null
	lj_result "pids.current stays within pids.max during the bomb" $? "pids.current=$cur"
	[ "$ms" -lt 3000 ]
	lj_result "the host stays responsive during the bomb" $? "20 x /bin/true took ${ms} ms"
	lj_sess_wait s '^LJ bomb_end=1$' 30
	lj_sess_send s 'echo "LJ after_bomb=$(echo forked)"'
	lj_sess_wait s '^LJ after_bomb=' 10
	lj_is "the session can fork again after the bomb" \
		"$(lj_sess_text s | sed -n 's/^LJ after_bomb=//p')" forked
	rm -f "$rel"
	# The classic bomb, killed by timeout after 3 s: its orphans keep going.
	lj_sess_send s "(ulimit -u 300; timeout -s KILL 3 bash -c 'b() { b | b & }; b' >/dev/null 2>&1 &)" \
		'echo "LJ classic=started"'
	lj_sess_wait s '^LJ classic=started$' 10
	lj_wait_for 10 eval '[ "$(cg pids pids.current)" -ge 60 ] 2>/dev/null'
	cur=$(cg pids pids.current)
	start=$(date +%s%N)
	for _ in $(seq 20); do /bin/true; done
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "${cur:-99}" -le 64 ] 2>/dev/null
	lj_result "classic fork bomb: pids.current stays within pids.max" $? "pids.current=$cur"
	[ "$ms" -lt 3000 ]
	lj_result "classic fork bomb: the host stays responsive" $? "20 x /bin/true took ${ms} ms"
fi
lj_sess_close s 20
lj_check_gone "logout with a fork bomb running" $a 30
