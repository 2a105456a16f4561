#!/bin/bash
# Soak: LJ_SOAK_N (default 30; `make soak` runs 1000) sequential ssh logins
# of a sandboxed user, each making and tearing down its own sandbox
# (linger = 0), then as many joining a sandbox that a held session keeps.
# Nothing may pile up: processes, cgroups, state entries, mounts; the
# running init's descriptors and memory; the kernel's unreclaimable slab
# (namespaces, mounts and cgroups live there).
. "$(dirname "$0")/lib.sh"
lj_setup_std
N=${LJ_SOAK_N:-30}
a=ljt-alice
uid=$(lj_uid $a)
want="in jail-$a"
# Growth of SUnreclaim that counts as a leak, KiB: a netns or a mount tree
# per login would pass it within a few hundred logins.
SLAB_SLACK=${LJ_SOAK_SLAB_KIB:-16384}

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
settle() { sync; echo 3 >/proc/sys/vm/drop_caches; sleep 2; }
# logins LABEL: N ssh commands; counts those that did not answer from the
# sandbox, shows the first three.
logins() {
	local i out bad=0 t0=$SECONDS
	for i in $(seq "$N"); do
		out=$(lj_ssh $a 'echo "in $(hostname)"' 2>&1)
		if [ "$out" != "$want" ]; then
			bad=$((bad + 1))
			[ $bad -le 3 ] && lj_note "$1: login $i saw: $out"
		fi
	done
	lj_is "$1: $N ssh logins answer from the sandbox ($((SECONDS - t0)) s)" "$bad failed" "0 failed"
}
init_of() { pgrep -f "^loginjail-init user-$uid " | head -n 1; }

# A first login, so that what a first use loads (modules, caches) is there
# before the baseline.
lj_ssh $a true >/dev/null 2>&1
lj_wait_for 20 lj_gone_now "$uid" "$a"
settle
slab0=$(meminfo SUnreclaim) avail0=$(meminfo MemAvailable)

logins "fresh sandbox each"
lj_check_gone "after $N fresh sandboxes" $a 30

# Held through all the joins: 1000 took 548 s on a loaded machine, more
# than a session's usual 300 s.
LJ_SESS_TIMEOUT=$((300 + 3 * N)) lj_sess_open hold ssh $a
lj_sess_send hold 'echo "LJ up=1"'
if lj_sess_wait hold '^LJ up=1$' && p=$(init_of) && [ -n "$p" ]; then
	lj_pass "a held session keeps the sandbox (init $p)"
	# Its anonymous memory (heap, stack, data): what a leak grows. VmRSS
	# also grows once by the pages of code and libc the first joins touch
	# (64 KiB here, flat from then on: 1800 joins measured).
	mem() { awk '/^(RssAnon|VmRSS):/ { printf "%s ", $2 }' /proc/"$p"/status; }
	fd0=$(ls /proc/"$p"/fd | wc -l)
	read -r rss0 anon0 <<<"$(mem)"
	logins "joining the held sandbox"
	fd1=$(ls /proc/"$p"/fd | wc -l)
	read -r rss1 anon1 <<<"$(mem)"
	lj_is "the init holds as many descriptors after $N joins ($fd0 before)" "$fd1" "$fd0"
	# (Under ASan, make check SANITIZE=1, freed memory stays in its
	# quarantine: the descriptors above are the check there.)
	if [ "${LJ_SANITIZE:-}" != 1 ]; then
		[ "$anon1" -le $((anon0 + 16)) ]
		lj_result "the init's anonymous memory after $N joins: ${anon0} KiB, then ${anon1} KiB (VmRSS ${rss0}, then ${rss1} KiB)" $? \
			"RssAnon $anon0 KiB before, $anon1 KiB after; VmRSS $rss0 KiB before, $rss1 KiB after"
	fi
else
	lj_fail "a held session keeps the sandbox" "$(lj_sess_text hold | tail -n 20)" \
		"init: $(pgrep -af loginjail-init)"
fi
lj_sess_close hold 10
lj_check_gone "after the held session" $a 30

settle
slab1=$(meminfo SUnreclaim) avail1=$(meminfo MemAvailable)
lj_note "host memory: SUnreclaim ${slab0} -> ${slab1} KiB, MemAvailable ${avail0} -> ${avail1} KiB"
[ "$slab1" -le $((slab0 + SLAB_SLACK)) ]
lj_result "kernel unreclaimable slab after $((2 * N)) logins within ${SLAB_SLACK} KiB of the start" $? \
	"SUnreclaim ${slab0} KiB before, ${slab1} KiB after"
