#!/bin/bash
# The process state a caller can set and exec keeps does not reach the
# helper or the sandbox's init (a long-lived root process): su is started
# with tiny and hostile rlimits, nice 19, oom_score_adj 1000, SCHED_IDLE, one
# CPU, idle I/O class, a large timer slack, a non-default personality,
# SIGTERM ignored and signals blocked. The init must run with loginjail's
# fixed values, the sandbox must work, and the session itself keeps the
# caller's nice (its limits are the login's, as pam_limits sets them).
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
a=ljt-alice
uid=$(lj_uid $a)
lj_scratch procstate

# What an unprivileged user can set before running setuid su: soft limits
# anywhere below the hard ones (the core limit up to it), and with "hard",
# a hard RLIMIT_NOFILE of 40 as well.
cat >"$W/hostile.py" <<'PY'
import ctypes, os, resource, signal, sys
R = resource
for res, val in ((R.RLIMIT_NOFILE, 40), (R.RLIMIT_CPU, 5), (R.RLIMIT_FSIZE, 1 << 20),
                 (R.RLIMIT_STACK, 1 << 20), (R.RLIMIT_MSGQUEUE, 0), (R.RLIMIT_CORE, None)):
    hard = R.getrlimit(res)[1]
    R.setrlimit(res, (hard if val is None else min(val, hard), hard))
if sys.argv[1] == "hard":
    R.setrlimit(R.RLIMIT_NOFILE, (40, 40))
os.setpriority(os.PRIO_PROCESS, 0, 19)
with open("/proc/self/oom_score_adj", "w") as f:
    f.write("1000")
os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
ctypes.CDLL(None).prctl(29, 5000000, 0, 0, 0)  # PR_SET_TIMERSLACK, 5 ms
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM})
os.execvp(sys.argv[2], sys.argv[2:])
PY
# ADDR_NO_RANDOMIZE and UNAME26, idle I/O class: then the hostile state.
hostile() { echo setarch "$(uname -m)" -R --uname-2.6 ionice -c 3 python3 "$W/hostile.py" "$1"; }
lj_sess_open s su_c $a $(hostile soft)
lj_sess_send s 'echo "LJ host=$(hostname) nice=$(nice)"'
lj_sess_wait s '^LJ host=' || lj_bail "su login as $a with the hostile state" "$(lj_sess_text s | tail -n 20)"
lj_is "the sandbox works (hostname inside)" "$(lj_sess_text s | sed -n 's/^LJ host=\([^ ]*\).*/\1/p')" "jail-$a"
lj_is "the session keeps its caller's nice" "$(lj_sess_text s | sed -n 's/^LJ host=[^ ]* //p')" nice=19

init=$(pgrep -f "^loginjail-init user-$uid $uid $a " | head -n 1)
[ -n "$init" ] || lj_bail "the sandbox's loginjail-init runs" "$(ps -eo pid,args | grep '[l]oginjail-init')"

lim() { # lim NAME: soft:hard of one line of /proc/INIT/limits
	sed -n "s/^$1  *\([^ ]*\)  *\([^ ]*\).*/\1:\2/p" "/proc/$init/limits"
}
# CAP_SYS_RESOURCE is capability 24.
has_sys_resource() { (((0x$(awk '$1 == "CapEff:" { print $2 }' /proc/self/status) >> 24) & 1)); }
nofile_hard=524288
if ! has_sys_resource; then
	# Without it (some containers) no hard limit is raised: ours stays.
	nofile_hard=$(ulimit -Hn)
	[ "$nofile_hard" -gt 524288 ] && nofile_hard=524288
	lj_note "root lacks CAP_SYS_RESOURCE here: RLIMIT_NOFILE's hard limit stays $nofile_hard"
fi
lj_is "init: RLIMIT_NOFILE is 4096:$nofile_hard" "$(lim 'Max open files')" "4096:$nofile_hard"
lj_is "init: RLIMIT_CPU is unlimited" "$(lim 'Max cpu time')" unlimited:unlimited
lj_is "init: RLIMIT_CORE is 0" "$(lim 'Max core file size')" 0:0
lj_is "init: RLIMIT_FSIZE is unlimited" "$(lim 'Max file size')" unlimited:unlimited
lj_is "init: RLIMIT_STACK is 8M:unlimited" "$(lim 'Max stack size')" 8388608:unlimited
lj_is "init: RLIMIT_MSGQUEUE is the kernel's 819200" "$(lim 'Max msgqueue size')" 819200:819200
lj_is "init: nice is 0" "$(awk '{ print $19 }' "/proc/$init/stat")" 0
lj_is "init: oom_score_adj is 0" "$(cat "/proc/$init/oom_score_adj")" 0
lj_is "init: personality is PER_LINUX" "$(cat "/proc/$init/personality")" 00000000
lj_like "init: scheduling policy is SCHED_OTHER" "$(chrt -p "$init")" 'policy: SCHED_OTHER'
lj_like "init: I/O class is the default" "$(ionice -p "$init")" '^none'
lj_is "init: CPU affinity is every CPU" "$(taskset -pc "$init" | sed 's/.*: //')" \
	"$(taskset -pc $$ | sed 's/.*: //')"
lj_is "init: timer slack is the kernel's 50 us" "$(cat "/proc/$init/timerslack_ns")" 50000
# The init blocks SIGHUP, SIGINT, SIGTERM and SIGCHLD for its signalfd; no more.
# Signals 32 and 33 are glibc's own, which its sigaction refuses to touch.
ign=$(awk '$1 == "SigIgn:" { print $2 }' "/proc/$init/status")
lj_is "init: no signal ignored (but glibc's 32 and 33)" "$(printf '%x' $((0x${ign:-ffff} & ~0x180000000)))" 0
lj_is "init: only its own signals blocked" "$(awk '$1 == "SigBlk:" { print $2 }' "/proc/$init/status")" \
	0000000000014003
lj_sess_close s
lj_check_gone "logout" $a

# A hard RLIMIT_NOFILE of 40: raised where root may (CAP_SYS_RESOURCE), else
# the login is refused with the reason; never an init with 40 descriptors.
out=$($(hostile hard) su $a -c 'echo "LJ host=$(hostname)"' 2>&1)
if has_sys_resource; then
	lj_like "hard RLIMIT_NOFILE 40: the login runs in its sandbox" "$out" "^LJ host=jail-$a$"
else
	lj_like "hard RLIMIT_NOFILE 40, no CAP_SYS_RESOURCE: the login is refused and told why" \
		"$out" "hard RLIMIT_NOFILE is 40, below the 4096 the sandbox's init needs"
fi
lj_check_gone "after the hard-limit login" $a
