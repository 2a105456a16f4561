#!/bin/bash
# bench/bench.sh: what a loginjail login costs, side by side with its peers,
# in one run (make bench; needs root, `make deps all` first).
#
#  1. fresh sandbox: pamrun through pam_loginjail.so (share = user, linger = 0:
#     every run creates and tears down a sandbox) vs bwrap with the same
#     isolation vs pamrun through a plain pam_permit session (the baseline).
#  2. join: the same pamrun while a holder session keeps the sandbox alive;
#     and a user without policy (nobody) through the same module.
#  3. ssh 127.0.0.1 true through a private sshd, with and without the module,
#     and for scale without it but with the command in bwrap.
#  4. PSS of an idle sandbox's own processes (its loginjail-init).
#  0. (first) cgroup migrations and favordynmods (bench/cgmove.c): what an
#     isolated write of a pid into cgroup.procs costs, what one RCU grace
#     period costs, and what favordynmods costs fork+exit and
#     fork+exec+exit (paired blocks, off and on); 3 is repeated with
#     favordynmods on when it was found off. Every state changed here (the
#     cgroup2 mount's favordynmods, /sys/kernel/rcu_expedited) is restored at
#     exit, also on failure or interrupt.
# Runs are paired and interleaved (bench/ljtime.c); before each run, outside
# the timed region, the previous sandbox's teardown must have finished.
# The table goes to stdout and build/bench.txt; samples and logs stay in
# build/bench/.
#
# pamrun (bench/pamrun.c) records how long each PAM step took, so the table
# also has open_session alone: from the module's start (which starts the
# helper) to the process being in its sandbox, the issue's "helper start to a
# shell in the sandbox".
#
# Knobs (environment): LJ_BENCH_ROUNDS (fresh, default 150), LJ_BENCH_JOIN_ROUNDS
# (100), LJ_BENCH_SSH_PAIRS (40; half as many for ssh joining a sandbox), LJ_BENCH_WARMUP (3), CC (cc),
# LJ_BENCH_FORK_BLOCKS (30 paired blocks of 100 forks and 40 execs, each state),
# LJ_BENCH_FAVORDYNMODS (auto: turn it on for a second ssh run when found
# off, except on Linux 6.18+ where the first enable since boot cannot be fully
# undone -- see below; 1: also there; 0: never),
# LJ_BENCH_STRACE (0; 1: strace -f one fresh and one joining ssh login and
# list their cgroup.procs writes, in build/bench/strace-*.txt; the whole trace
# in strace-*.raw, of the calls in LJ_BENCH_STRACE_CALLS).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build
BB=$B/bench
OUT=$B/bench.txt
ROUNDS=${LJ_BENCH_ROUNDS:-150}
JOIN_ROUNDS=${LJ_BENCH_JOIN_ROUNDS:-100}
SSH_PAIRS=${LJ_BENCH_SSH_PAIRS:-40}
SSH_JOIN_PAIRS=$(((SSH_PAIRS + 1) / 2))
FORK_BLOCKS=${LJ_BENCH_FORK_BLOCKS:-30}
FDM_KNOB=${LJ_BENCH_FAVORDYNMODS:-auto}
STRACE=${LJ_BENCH_STRACE:-0}
WARMUP=${LJ_BENCH_WARMUP:-3}
CC=${CC:-cc}
BUSER=ljbench
LIBEXEC=/usr/local/libexec/ljbench
PAMD=/etc/pam.d
MARK="# created by loginjail bench/bench.sh; removed at its end"

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it creates a user, a private sshd, sandboxes)"
for f in pam_loginjail.so loginjail-helper; do
	[ -x "$B/$f" ] || [ -f "$B/$f" ] || die "$B/$f missing: run make all"
done
for p in bwrap sshd ssh ssh-keygen; do
	command -v "$p" >/dev/null || die "$p missing: run make deps"
done

# ---- what we create, and undo at exit (only what we created) -------------
WORK=
CREATED_USER=0
CREATED_LIBEXEC_PARENT=0
HOLDER=
SSHD_PIDS=()
BUID=
FDM_MP=          # the cgroup2 mount whose favordynmods we toggle
FDM_FOUND=       # its state as found: on|off
RCU_EXP_FOUND=   # /sys/kernel/rcu_expedited as found
MIG_DIRS=()      # scratch cgroups of the migration measurement

wait_teardown() {
	[ -n "$BUID" ] || return 0
	for _ in $(seq 1 400); do
		[ -e "/run/loginjail/user-$BUID" ] || [ -e "/run/loginjail/user-$BUID.lock" ] || return 0
		sleep 0.025
	done
	say "warning: the sandbox of $BUSER is still there after 10 s"
	return 1
}

cleanup() {
	set +e
	# Kernel state first: it outlives us.
	[ -n "$FDM_MP" ] && [ -n "$FDM_FOUND" ] && [ "$(fdm_of "$FDM_MP")" != "$FDM_FOUND" ] &&
		{ fdm_set "$FDM_FOUND" || say "warning: could not restore favordynmods=$FDM_FOUND on $FDM_MP"; }
	[ -n "$RCU_EXP_FOUND" ] && [ "$(cat /sys/kernel/rcu_expedited)" != "$RCU_EXP_FOUND" ] &&
		echo "$RCU_EXP_FOUND" >/sys/kernel/rcu_expedited
	for d in "${MIG_DIRS[@]}"; do rmdir "$d" 2>/dev/null; done
	if [ -n "$HOLDER" ]; then
		kill -TERM "$HOLDER" 2>/dev/null
		wait "$HOLDER" 2>/dev/null
	fi
	for p in "${SSHD_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	wait_teardown
	for s in ljbench-sshd ljbench-sshd-plain; do
		if [ -f "$PAMD/$s" ] && grep -qxF "$MARK" "$PAMD/$s"; then rm -f "$PAMD/$s"; fi
	done
	if [ -f "$LIBEXEC/.ljbench" ]; then rm -rf "$LIBEXEC"; fi
	if [ "$CREATED_LIBEXEC_PARENT" = 1 ]; then rmdir /usr/local/libexec 2>/dev/null; fi
	if [ "$CREATED_USER" = 1 ]; then userdel -r "$BUSER" >/dev/null 2>&1; fi
	[ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$BB"
rm -f "$BB"/*.log "$BB"/*.csv "$BB"/*.times "$BB"/*.sum
say "building bench/pamrun.c and bench/ljtime.c"
"$CC" -std=c11 -O2 -Wall -Wextra -Werror -Wshadow -Wformat=2 -o "$BB/pamrun" \
	"$ROOT/bench/pamrun.c" -lpam
"$CC" -std=c11 -O2 -Wall -Wextra -Werror -Wshadow -Wformat=2 -o "$BB/ljtime" \
	"$ROOT/bench/ljtime.c"
"$CC" -std=c11 -O2 -Wall -Wextra -Werror -Wshadow -Wformat=2 -o "$BB/cgmove" \
	"$ROOT/bench/cgmove.c"
# fork+exec+exit of a static program: the exec itself stays small (a dynamic
# /bin/true spends 2 ms here in the loader and its page faults).
if echo 'int main(void) { return 0; }' | "$CC" -x c -O2 -static -o "$BB/strue" - 2>/dev/null; then
	EXEC_TARGET=$BB/strue
else
	EXEC_TARGET=/bin/true
fi
PAMRUN=$BB/pamrun
LJTIME=$BB/ljtime
CGMOVE=$BB/cgmove

WORK=$(mktemp -d /tmp/ljbench.XXXXXX)
chmod 0755 "$WORK"

if ! id "$BUSER" >/dev/null 2>&1; then
	useradd -m -s /bin/bash "$BUSER"
	usermod -p '*' "$BUSER" # not "locked" ('!'), so that sshd lets key auth in
	CREATED_USER=1
fi
BUID=$(id -u "$BUSER")
BGID=$(id -g "$BUSER")
BHOME=$(getent passwd "$BUSER" | cut -d: -f6)
STATE=/run/loginjail/user-$BUID
[ -e "$STATE" ] && die "$STATE exists: a sandbox of $BUSER is running; end it first"

# ---- policy and PAM services ---------------------------------------------
mkdir -m 0755 "$WORK/pol" "$WORK/pam"
cat >"$WORK/pol/loginjail.conf" <<EOF
[default]
sandbox = no
[user:$BUSER]
sandbox = yes
network = loopback
hostname = bench
memory_max = 512M
pids_max = 256
linger = 0
EOF
chmod 0644 "$WORK/pol/loginjail.conf"
LJLINE="session required $B/pam_loginjail.so config_dir=$WORK/pol helper=$B/loginjail-helper"
# pam_permit first, as the plain service has: with only modules that say
# "ignore" (a user without policy), PAM would fail the session.
printf 'session required pam_permit.so\n%s\n' "$LJLINE" >"$WORK/pam/ljbench-jail"
echo "session required pam_permit.so" >"$WORK/pam/ljbench-plain"

JAIL=("$PAMRUN" -c "$WORK/pam" ljbench-jail "$BUSER")
PLAIN=("$PAMRUN" -c "$WORK/pam" ljbench-plain "$BUSER")
# bwrap runs as root, like the helper, and maps the user itself (--uid/--gid
# with --unshare-user): no setpriv/runuser exec in front of it, and no
# cgroup work (bwrap has none), so this favours bwrap slightly.
ms_links=()
for l in bin sbin lib lib32 lib64 libx32; do
	t=$(readlink "/$l" 2>/dev/null) && ms_links+=(--symlink "$t" "/$l")
done
BWRAP=(bwrap --unshare-user --uid "$BUID" --gid "$BGID" --unshare-pid --unshare-net
	--unshare-uts --unshare-ipc --unshare-cgroup --die-with-parent
	--ro-bind /usr /usr --ro-bind /etc /etc "${ms_links[@]}" --bind "$BHOME" "$BHOME"
	--proc /proc --dev /dev --tmpfs /tmp --hostname bench --chdir "$BHOME"
	--cap-drop ALL --clearenv --setenv PATH /usr/local/bin:/usr/bin:/bin
	--setenv HOME "$BHOME" --setenv USER "$BUSER")

# Sanity: the module really sandboxes, the baseline really does not.
h=$("${JAIL[@]}" -- /bin/hostname 2>"$BB/sanity.log") || die "pamrun via the module failed: $(cat "$BB/sanity.log")"
[ "$h" = bench ] || die "pamrun via the module is not in the sandbox (hostname $h)"
h=$("${PLAIN[@]}" -- /bin/hostname) && [ "$h" != bench ] || die "plain pamrun failed"
h=$("${BWRAP[@]}" /bin/hostname) && [ "$h" = bench ] || die "bwrap failed"
wait_teardown

median_col() { # FILE COLUMN (skips the warm-up lines)
	tail -n +"$((WARMUP + 1))" "$1" | awk -v c="$2" '{print $c}' | sort -n |
		awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'
}
field() { awk -v l="$1" -v c="$2" '$1==l {print $c}' "$3"; }

# ---- 0. cgroup migrations and favordynmods ---------------------------------
# favordynmods is a flag of a cgroup hierarchy's root (mount option), but what
# it changes is global: while any hierarchy has it, cgroup_threadgroup_rwsem
# stays in its slow-reader mode, so a writer (a pid written to cgroup.procs,
# v1 or v2) no longer waits for an RCU grace period, and every fork, exit and
# exec pays a little more on the reader side.
mi_opts() { # MOUNTPOINT: "MOUNT_OPTIONS FSTYPE SUPER_OPTIONS" from mountinfo
	awk -v mp="$1" '$5 == mp { for (i = 7; $i != "-"; i++); o = $6 " " $(i + 1) " " $(i + 3) }
		END { print o }' /proc/self/mountinfo
}
fdm_of() { # MOUNTPOINT: on|off
	local mo fs so
	read -r mo fs so <<<"$(mi_opts "$1")"
	case ",$so," in *,favordynmods,*) echo on ;; *) echo off ;; esac
}
fdm_any() { # on when any cgroup or cgroup2 hierarchy has favordynmods
	awk '{ for (i = 7; $i != "-"; i++); if ($(i + 1) ~ /^cgroup2?$/ && ("," $(i + 3) ",") ~ /,favordynmods,/) f = 1 }
		END { print f ? "on" : "off" }' /proc/self/mountinfo
}
fdm_set() { # on|off: remount FDM_MP with its own options, favordynmods added or not
	local mo fs so opts
	read -r mo fs so <<<"$(mi_opts "$FDM_MP")"
	so=$(tr , '\n' <<<"$so" | grep -vx -e favordynmods -e rw -e ro | paste -sd, -)
	opts=$mo${so:+,$so}
	[ "$1" = on ] && opts+=,favordynmods
	# "ignore": mount(8) would otherwise merge in the current options, and
	# favordynmods could never be removed.
	mount --options-mode ignore -o "remount,$opts" "$FDM_MP" || return 1
	[ "$(fdm_of "$FDM_MP")" = "$1" ]
}
FDM_MP=$(awk '{ for (i = 7; $i != "-"; i++); if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
FDM_ANY=$(fdm_any)
[ -n "$FDM_MP" ] && FDM_FOUND=$(fdm_of "$FDM_MP")
KVER=$(uname -r | awk -F'[.-]' '{ printf "%d", $1 * 1000 + $2 }')
# Linux 6.18 made favordynmods also switch cgroup.procs writes to a
# per-process rwsem, and that switch stays on until reboot ("cgroup
# favordynmods: per threadgroup rwsem mechanism can't be disabled" in the
# kernel log). Removing the mount option then restores fork/exit's fast path
# but not the slow migrations of the boot state.
FDM_STICKY=no
if [ "$KVER" -ge 6018 ]; then
	if [ "$FDM_ANY" = on ] || dmesg 2>/dev/null | grep -q "per threadgroup rwsem mechanism can't be disabled"; then
		FDM_STICKY=yes # on since boot, or was at some point: toggling changes no more than that
	else
		FDM_STICKY=first
	fi
fi
FDM_TOGGLE=no
FDM_WHY=
if [ "$FDM_ANY" = on ]; then
	FDM_WHY="found on"
elif [ -z "$FDM_MP" ]; then
	FDM_WHY="no cgroup2 mount to set it on"
elif [ "$KVER" -lt 6000 ]; then
	FDM_WHY="kernel older than 6.0"
elif [ "$FDM_KNOB" = 0 ]; then
	FDM_WHY="LJ_BENCH_FAVORDYNMODS=0"
elif [ "$FDM_STICKY" = first ] && [ "$FDM_KNOB" != 1 ]; then
	FDM_WHY="Linux 6.18+: the first enable since boot cannot be fully undone; LJ_BENCH_FAVORDYNMODS=1 to measure anyway"
else
	FDM_TOGGLE=yes
fi
[ -r /sys/kernel/rcu_expedited ] && RCU_EXP_FOUND=$(cat /sys/kernel/rcu_expedited)
say "cgroup migrations and favordynmods (found: $FDM_ANY${FDM_MP:+ on $FDM_MP}; rcu_expedited ${RCU_EXP_FOUND:-?})"

# One RCU grace period: what a migration waits for without favordynmods.
GP_FOUND=$("$CGMOVE" gp -n 20 -s 20 | awk '{print $3}')
GP_STOCK=
if [ "$RCU_EXP_FOUND" = 1 ]; then # expedited grace periods: show the default's too
	echo 0 >/sys/kernel/rcu_expedited
	GP_STOCK=$("$CGMOVE" gp -n 20 -s 20 | awk '{print $3}')
	echo 1 >/sys/kernel/rcu_expedited
fi

# Scratch cgroups in the hierarchies the helper writes a pid to.
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
	MIG_HIERS=(/sys/fs/cgroup)
else
	MIG_HIERS=()
	for h in memory pids cpu unified; do
		mountpoint -q "/sys/fs/cgroup/$h" && MIG_HIERS+=("/sys/fs/cgroup/$h")
	done
fi
for h in "${MIG_HIERS[@]}"; do
	mkdir "$h/ljbench-mig.$$"
	MIG_DIRS+=("$h/ljbench-mig.$$")
done
migrate() { "$CGMOVE" migrate -n 20 -s 50 "${MIG_DIRS[@]}"; } # -> migrate N MED P10 P90 REST
read -r _ _ MIG_FOUND MIG_FOUND10 MIG_FOUND90 MIG_FOUND_REST <<<"$(migrate)"
MIG_ON= MIG_ON_REST=
FORK_D= FORK_P= EXEC_D= EXEC_P= FORK_OFF= EXEC_OFF=
if [ "$FDM_TOGGLE" = yes ]; then
	fdm_set on || die "could not turn favordynmods on at $FDM_MP"
	read -r _ _ MIG_ON _ _ MIG_ON_REST <<<"$(migrate)"
	# fork+exit and fork+exec+exit: blocks alternate off/on, on/off, ...
	: >"$BB/fork.txt"
	for b in $(seq 1 "$FORK_BLOCKS"); do
		if [ $((b % 2)) = 1 ]; then order="off on"; else order="on off"; fi
		for st in $order; do
			fdm_set "$st" || die "could not set favordynmods=$st at $FDM_MP"
			f=$("$CGMOVE" fork -n 100 | awk '{print $3}')
			x=$("$CGMOVE" exec -n 40 "$EXEC_TARGET" | awk '{print $3}')
			echo "$b $st $f $x" >>"$BB/fork.txt"
		done
	done
	fdm_set "$FDM_FOUND" || die "could not restore favordynmods=$FDM_FOUND at $FDM_MP"
	# per block: on - off (microseconds) and on/off - 1 (%); medians over blocks
	fork_paired() { # COLUMN diff|pct
		awk -v c="$1" -v m="$2" '{ v[$1, $2] = $c; n = $1 }
			END { for (b = 1; b <= n; b++) print (m == "pct" ? (v[b, "on"] / v[b, "off"] - 1) * 100 : v[b, "on"] - v[b, "off"]) }' \
			"$BB/fork.txt" | sort -g | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'
	}
	FORK_D=$(fork_paired 3 diff) FORK_P=$(fork_paired 3 pct)
	EXEC_D=$(fork_paired 4 diff) EXEC_P=$(fork_paired 4 pct)
	FORK_OFF=$(awk '$2 == "off" {print $3}' "$BB/fork.txt" | sort -g | awk '{a[NR]=$1} END{ print a[int((NR+1)/2)] }')
	EXEC_OFF=$(awk '$2 == "off" {print $4}' "$BB/fork.txt" | sort -g | awk '{a[NR]=$1} END{ print a[int((NR+1)/2)] }')
fi
for d in "${MIG_DIRS[@]}"; do rmdir "$d"; done
MIG_DIRS=()

# ---- 1. fresh sandbox vs bwrap vs plain ---------------------------------
say "fresh sandbox vs bwrap vs plain PAM session: $ROUNDS rounds"
"$LJTIME" -n "$ROUNDS" -w "$WARMUP" -g "$STATE" -g "$STATE.lock" -l "$BB/fresh.log" \
	-r "$BB/fresh.csv" -- \
	fresh "$PAMRUN" -c "$WORK/pam" -T "$BB/fresh.times" ljbench-jail "$BUSER" -- /bin/true ::: \
	bwrap "${BWRAP[@]}" /bin/true ::: \
	plain "$PAMRUN" -c "$WORK/pam" -T "$BB/plain.times" ljbench-plain "$BUSER" -- /bin/true \
	>"$BB/fresh.sum"

# ---- 2. join an existing sandbox; 4. its memory --------------------------
say "join a running sandbox vs plain: $JOIN_ROUNDS rounds"
# A holder session keeps the sandbox alive (linger = 0 ends it with the last
# session), so that every measured login joins it.
start_holder() {
	"${JAIL[@]}" -- /bin/sleep 3600 >"$BB/holder.log" 2>&1 &
	HOLDER=$!
	for _ in $(seq 1 200); do
		[ -S "$STATE/ctl" ] && pgrep -P "$HOLDER" >/dev/null && break
		sleep 0.025
	done
	[ -S "$STATE/ctl" ] || die "the holder session did not start: $(cat "$BB/holder.log")"
	sleep 0.3 # let the new sandbox settle before it is measured
}
stop_holder() {
	kill -TERM "$HOLDER"
	wait "$HOLDER" || true
	HOLDER=
	wait_teardown || die "the sandbox was not torn down after the holder ended"
}
start_holder

say "memory: PSS of the idle sandbox"
session_pids() { # the holder and everything below it: the user's session
	local p=$1
	echo "$p"
	for c in $(pgrep -P "$p"); do session_pids "$c"; done
}
mapfile -t SESSION < <(session_pids "$HOLDER")
OWN=()
for d in /proc/[0-9]*; do
	p=${d#/proc/}
	grep -qs "/loginjail/user-$BUID/" "$d/cgroup" || continue
	printf '%s\n' "${SESSION[@]}" | grep -qx "$p" && continue
	OWN+=("$p")
done
[ ${#OWN[@]} -gt 0 ] || die "found no process of the sandbox in its cgroup"
OWN_DESC="sum of ${#OWN[@]}:"
for p in "${OWN[@]}"; do OWN_DESC+=" $(cat "/proc/$p/comm")"; done
PSS_TOTAL=0
: >"$BB/pss.txt"
for p in "${OWN[@]}"; do
	k=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup")
	PSS_TOTAL=$((PSS_TOTAL + k))
	{
		printf 'pid %s (%s): Pss %s KiB; smaps_rollup:\n' "$p" "$(cat "/proc/$p/comm")" "$k"
		grep -E '^(Rss|Pss|Pss_Anon|Pss_File|Pss_Shmem|Shared_Clean|Private_Clean|Private_Dirty|Anonymous):' \
			"/proc/$p/smaps_rollup" | sed 's/^/    /'
		echo "  largest mappings by Pss (KiB: pss rss private_dirty):"
		awk '/^[0-9a-f]+-[0-9a-f]+ / { n = (NF >= 6) ? $6 : "[anon]" }
		     /^Rss:/ { rss[n] += $2 } /^Pss:/ { pss[n] += $2 } /^Private_Dirty:/ { pd[n] += $2 }
		     END { for (k in pss) printf "    %6d %6d %6d  %s\n", pss[k], rss[k], pd[k], k }' \
			"/proc/$p/smaps" | sort -rn | head -12
	} >>"$BB/pss.txt"
done

"$LJTIME" -n "$JOIN_ROUNDS" -w "$WARMUP" -l "$BB/join.log" -r "$BB/join.csv" -- \
	join "$PAMRUN" -c "$WORK/pam" -T "$BB/join.times" ljbench-jail "$BUSER" -- /bin/true ::: \
	plain "$PAMRUN" -c "$WORK/pam" -T "$BB/plain2.times" ljbench-plain "$BUSER" -- /bin/true ::: \
	nopolicy "$PAMRUN" -c "$WORK/pam" -T "$BB/nopolicy.times" ljbench-jail nobody -- /bin/true \
	>"$BB/join.sum"
stop_holder

# ---- 3. ssh through a private sshd, with and without the module ---------
say "ssh 127.0.0.1 true, with and without the module: $SSH_PAIRS pairs"
if [ ! -d /usr/local/libexec ]; then
	mkdir -p /usr/local/libexec
	CREATED_LIBEXEC_PARENT=1
fi
[ -e "$LIBEXEC" ] && [ ! -f "$LIBEXEC/.ljbench" ] && die "$LIBEXEC exists and is not ours"
for s in ljbench-sshd ljbench-sshd-plain; do
	[ -e "$PAMD/$s" ] && ! grep -qxF "$MARK" "$PAMD/$s" && die "$PAMD/$s exists and is not ours"
done
rm -rf "$LIBEXEC"
mkdir -m 0755 "$LIBEXEC"
touch "$LIBEXEC/.ljbench"
SSHD=$(command -v sshd)
ln -s "$SSHD" "$LIBEXEC/ljbench-sshd"
ln -s "$SSHD" "$LIBEXEC/ljbench-sshd-plain"
{ echo "$MARK"; cat "$PAMD/sshd"; echo "$LJLINE"; } >"$PAMD/ljbench-sshd"
{ echo "$MARK"; cat "$PAMD/sshd"; } >"$PAMD/ljbench-sshd-plain"
mkdir -m 0700 "$WORK/ssh"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/host" -C ljbench-host
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/id" -C ljbench-client
install -m 0644 "$WORK/ssh/id.pub" "$LIBEXEC/authorized_keys"
[ -d /run/sshd ] || mkdir -m 0755 /run/sshd

free_port() {
	local p
	for p in $(seq "$1" $(($1 + 200))); do
		ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
	die "no free port near $1"
}
PORT_JAIL=$(free_port 22722)
PORT_PLAIN=$(free_port $((PORT_JAIL + 1)))
: >"$WORK/ssh/known_hosts"
start_sshd() { # NAME PORT
	cat >"$WORK/ssh/$1.conf" <<EOF
ListenAddress 127.0.0.1
Port $2
HostKey $WORK/ssh/host
PidFile $WORK/ssh/$1.pid
UsePAM yes
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $LIBEXEC/authorized_keys
AllowUsers $BUSER
MaxStartups 100:30:200
UseDNS no
PrintMotd no
X11Forwarding no
LogLevel ERROR
EOF
	"$LIBEXEC/$1" -t -f "$WORK/ssh/$1.conf" || die "sshd refuses $WORK/ssh/$1.conf"
	"$LIBEXEC/$1" -f "$WORK/ssh/$1.conf" -E "$BB/$1.log"
	for _ in $(seq 1 200); do
		[ -s "$WORK/ssh/$1.pid" ] && ss -Htln "sport = :$2" | grep -q . && break
		sleep 0.025
	done
	[ -s "$WORK/ssh/$1.pid" ] || die "$1 did not start: $(cat "$BB/$1.log")"
	SSHD_PIDS+=("$(cat "$WORK/ssh/$1.pid")")
	echo "[127.0.0.1]:$2 $(cut -d' ' -f1,2 "$WORK/ssh/host.pub")" >>"$WORK/ssh/known_hosts"
}
start_sshd ljbench-sshd "$PORT_JAIL"
start_sshd ljbench-sshd-plain "$PORT_PLAIN"
ssh_cmd() { # PORT
	echo ssh -F /dev/null -p "$1" -i "$WORK/ssh/id" -o IdentitiesOnly=yes -o BatchMode=yes \
		-o StrictHostKeyChecking=yes -o UserKnownHostsFile="$WORK/ssh/known_hosts" \
		-o GlobalKnownHostsFile=/dev/null -o UpdateHostKeys=no -o LogLevel=ERROR \
		-o ControlMaster=no -o ControlPath=none -o RequestTTY=no \
		"$BUSER@127.0.0.1"
}
read -ra SSH_JAIL <<<"$(ssh_cmd "$PORT_JAIL")"
read -ra SSH_PLAIN <<<"$(ssh_cmd "$PORT_PLAIN")"
h=$("${SSH_JAIL[@]}" hostname 2>&1) && [ "$h" = bench ] ||
	die "ssh with the module does not land in the sandbox: $h"
h=$("${SSH_PLAIN[@]}" hostname 2>&1) && [ "$h" != bench ] || die "ssh without the module failed: $h"
# For scale: the same command in bubblewrap (same isolation as in 1, run by
# the user through the plain sshd), what a sandbox of namespaces and mounts
# alone costs an ssh login here, without NSS, cgroups, PAM or a lingering init.
h=$("${SSH_PLAIN[@]}" "${BWRAP[@]}" /bin/hostname 2>&1) && [ "$h" = bench ] ||
	die "ssh with the command in bwrap failed: $h"
wait_teardown
"$LJTIME" -n "$SSH_PAIRS" -w "$WARMUP" -g "$STATE" -g "$STATE.lock" -l "$BB/ssh.log" \
	-r "$BB/ssh.csv" -- \
	ssh_jail "${SSH_JAIL[@]}" true ::: ssh_plain "${SSH_PLAIN[@]}" true ::: \
	ssh_bwrap "${SSH_PLAIN[@]}" "${BWRAP[@]}" /bin/true >"$BB/ssh.sum"
say "ssh 127.0.0.1 true, joining a running sandbox, and without the module: $SSH_JOIN_PAIRS pairs"
start_holder
"$LJTIME" -n "$SSH_JOIN_PAIRS" -w "$WARMUP" -l "$BB/sshjoin.log" -r "$BB/sshjoin.csv" -- \
	ssh_join "${SSH_JAIL[@]}" true ::: ssh_plain "${SSH_PLAIN[@]}" true >"$BB/sshjoin.sum"
stop_holder
if [ "$FDM_TOGGLE" = yes ]; then
	say "the same two ssh comparisons with favordynmods on (restored afterwards)"
	fdm_set on || die "could not turn favordynmods on at $FDM_MP"
	"$LJTIME" -n "$SSH_PAIRS" -w "$WARMUP" -g "$STATE" -g "$STATE.lock" -l "$BB/sshfdm.log" \
		-r "$BB/sshfdm.csv" -- \
		ssh_jail "${SSH_JAIL[@]}" true ::: ssh_plain "${SSH_PLAIN[@]}" true >"$BB/sshfdm.sum"
	start_holder
	"$LJTIME" -n "$SSH_JOIN_PAIRS" -w "$WARMUP" -l "$BB/sshfdmjoin.log" -r "$BB/sshfdmjoin.csv" -- \
		ssh_join "${SSH_JAIL[@]}" true ::: ssh_plain "${SSH_PLAIN[@]}" true >"$BB/sshfdmjoin.sum"
	stop_holder
	fdm_set "$FDM_FOUND" || die "could not restore favordynmods=$FDM_FOUND at $FDM_MP"
fi

# ---- optional: where a login's cgroup migrations are (LJ_BENCH_STRACE=1) ----
# strace -f of the sshd with the module over one fresh and one joining
# login: every write of a pid into a cgroup.procs file, with its time.
if [ "$STRACE" = 1 ]; then
	command -v strace >/dev/null || die "strace missing (apt-get install strace)"
	trace_login() { # NAME
		local pid
		strace -f -ttt -T -y -qq -e trace="${LJ_BENCH_STRACE_CALLS:-write,pwrite64,clone,clone3,execve,exit_group}" \
			-o "$BB/strace-$1.raw" -p "${SSHD_PIDS[0]}" &
		pid=$!
		sleep 1 # attached
		"${SSH_JAIL[@]}" true
		sleep 0.5
		kill -INT "$pid"
		wait "$pid" || true
		grep -E 'cgroup\.procs>' "$BB/strace-$1.raw" >"$BB/strace-$1.txt" || true
	}
	say "strace of a fresh login and a joining one"
	wait_teardown
	trace_login fresh
	wait_teardown
	start_holder
	trace_login join
	stop_holder
fi

# ---- the table ---------------------------------------------------------------
F=$BB/fresh.sum J=$BB/join.sum S=$BB/ssh.sum
row() { # LABEL MEDIAN P10 P90 VS UNIT
	printf '%-36s %9s %9s %9s   %s\n' "$1" "$2" "$3" "$4" "$5"
}
ms() { printf '%.2f ms' "$1"; }
fmt3() { # LABEL SUMFILE KEY VS
	row "$1" "$(ms "$(field "$3" 3 "$2")")" "$(ms "$(field "$3" 4 "$2")")" \
		"$(ms "$(field "$3" 5 "$2")")" "$4"
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
median() { sort -g | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
paired() { # CSV A B diff|pct: median over rounds of A-B (ms) or (A/B-1)*100
	awk -F, -v a="$2" -v b="$3" -v m="$4" '$2==a {A[$1]=$3} $2==b {B[$1]=$3}
		END { for (r in A) if (r in B) print (m == "pct" ? (A[r] / B[r] - 1) * 100 : (A[r] - B[r]) / 1e6) }' \
		"$1" | median
}
# open_session of pamrun's runs (microseconds, column 2 of its -T file).
os_stat() { # FILE: median p10 p90 in ms
	tail -n +"$((WARMUP + 1))" "$1" | awk '{print $2 / 1000}' | sort -g |
		awk '{a[NR]=$1} END { printf "%s %s %s", a[int((NR+1)/2)], a[int(NR*0.1)+1], a[int(NR*0.9)] }'
}
os_paired() { # FILE_A FILE_B: median over rounds of A-B open_session (ms); runs are interleaved
	paste -d' ' <(tail -n +"$((WARMUP + 1))" "$1" | awk '{print $2}') \
		<(tail -n +"$((WARMUP + 1))" "$2" | awk '{print $2}') |
		awk 'NF == 2 {print ($1 - $2) / 1000}' | median
}
fresh=$(field fresh 3 "$F") bw=$(field bwrap 3 "$F") plain=$(field plain 3 "$F")
join=$(field join 3 "$J") plain2=$(field plain 3 "$J")
read -r os_fresh os_fresh10 os_fresh90 <<<"$(os_stat "$BB/fresh.times")"
read -r os_join os_join10 os_join90 <<<"$(os_stat "$BB/join.times")"
read -r os_plain os_plain10 os_plain90 <<<"$(os_stat "$BB/plain2.times")"
join_adds=$(os_paired "$BB/join.times" "$BB/plain2.times")
read -r os_nop os_nop10 os_nop90 <<<"$(os_stat "$BB/nopolicy.times")"
nop_adds=$(os_paired "$BB/nopolicy.times" "$BB/plain2.times")
fresh_ratio=$(calc '%.2f' "$os_fresh / $bw")
sj=$(field ssh_jail 3 "$S") sp=$(field ssh_plain 3 "$S")
ssh_pct=$(calc '%+.1f' "($sj / $sp - 1) * 100")
ssh_paired=$(calc '%+.1f' "$(paired "$BB/ssh.csv" ssh_jail ssh_plain pct)")
sshbw_paired=$(calc '%+.1f' "$(paired "$BB/ssh.csv" ssh_bwrap ssh_plain pct)")
SJ=$BB/sshjoin.sum
sjj=$(field ssh_join 3 "$SJ") spj=$(field ssh_plain 3 "$SJ")
sshj_pct=$(calc '%+.1f' "($sjj / $spj - 1) * 100")
verdict() { calc '%s' "$1 ? \"met\" : \"MISSED\""; }
sshj_paired=$(calc '%+.1f' "$(paired "$BB/sshjoin.csv" ssh_join ssh_plain pct)")
if [ "$FDM_TOGGLE" = yes ]; then
	F2=$BB/sshfdm.sum F2J=$BB/sshfdmjoin.sum
	fdm_ssh_paired=$(calc '%+.1f' "$(paired "$BB/sshfdm.csv" ssh_jail ssh_plain pct)")
	fdm_sshj_paired=$(calc '%+.1f' "$(paired "$BB/sshfdmjoin.csv" ssh_join ssh_plain pct)")
fi
us() { printf '%.1f us' "$1"; }
{
	echo "loginjail bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(nproc) CPUs," \
		"load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "rounds: fresh $ROUNDS, join $JOIN_ROUNDS, ssh $SSH_PAIRS + $SSH_JOIN_PAIRS pairs (+$WARMUP warm-up each)," \
		"paired and interleaved; p10/p90 over the rounds"
	echo
	row measurement median p10 p90 vs
	row "fresh sandbox: helper start to inside" "$(ms "$os_fresh")" "$(ms "$os_fresh10")" \
		"$(ms "$os_fresh90")" "$fresh_ratio of bwrap (open_session)"
	fmt3 "bwrap, same isolation, /bin/true" "$F" bwrap ""
	fmt3 "fresh sandbox, whole pamrun" "$F" fresh "$(calc '%.2f of bwrap' "$fresh / $bw")"
	fmt3 "plain PAM session, whole pamrun" "$F" plain ""
	row "join running sandbox: open_session" "$(ms "$os_join")" "$(ms "$os_join10")" \
		"$(ms "$os_join90")" "$(calc '%+.2f ms over plain (paired)' "$join_adds")"
	row "plain PAM session: open_session" "$(ms "$os_plain")" "$(ms "$os_plain10")" \
		"$(ms "$os_plain90")" ""
	row "user without policy: open_session" "$(ms "$os_nop")" "$(ms "$os_nop10")" \
		"$(ms "$os_nop90")" "$(calc '%+.2f ms over plain (paired; the helper says ignore)' "$nop_adds")"
	fmt3 "join running sandbox, whole pamrun" "$J" join \
		"$(calc '%+.2f ms over plain' "$join - $plain2")"
	fmt3 "ssh true, with module (fresh)" "$S" ssh_jail "${ssh_pct}% (paired: ${ssh_paired}%)"
	fmt3 "ssh true, without module" "$S" ssh_plain ""
	fmt3 "ssh bwrap ... true, without module" "$S" ssh_bwrap "${sshbw_paired}% paired (for scale)"
	fmt3 "ssh true, with module, joining" "$SJ" ssh_join "${sshj_pct}% (vs $(ms "$spj") without, paired)"
	row "idle sandbox PSS" "$PSS_TOTAL KiB" "" "" "$OWN_DESC"
	if [ "$FDM_TOGGLE" = yes ]; then
		fmt3 "ssh true, module (fresh), fdm on" "$F2" ssh_jail "${fdm_ssh_paired}% paired"
		fmt3 "ssh true, without module, fdm on" "$F2" ssh_plain ""
		fmt3 "ssh true, module joining, fdm on" "$F2J" ssh_join "${fdm_sshj_paired}% (vs $(ms "$(field ssh_plain 3 "$F2J")") without, paired)"
	fi
	echo
	echo "cgroup migrations (a pid written to cgroup.procs) and favordynmods:"
	echo "  favordynmods as found: $FDM_ANY (mount options of the cgroup hierarchies${FDM_MP:+; toggled on $FDM_MP}); kernel $(uname -r)"
	case $FDM_STICKY in
	yes) echo "  Linux 6.18+, favordynmods on at some point since boot: cgroup.procs writes use the per-process rwsem until reboot, whatever the mount option says now" ;;
	first) echo "  Linux 6.18+, favordynmods not on since boot: migrations wait for a grace period" ;;
	esac
	[ "$FDM_TOGGLE" = yes ] || echo "  favordynmods not toggled: $FDM_WHY"
	echo "  one RCU grace period (membarrier GLOBAL = synchronize_rcu): $(ms "$GP_FOUND") with rcu_expedited=${RCU_EXP_FOUND:-?} as found${GP_STOCK:+, $(ms "$GP_STOCK") with rcu_expedited=0 (the default)}"
	echo "  isolated write (50 ms after the last), as found: $(ms "$MIG_FOUND") median ($(ms "$MIG_FOUND10") to $(ms "$MIG_FOUND90") p10-p90); back-to-back writes: $(ms "$MIG_FOUND_REST") each (${#MIG_HIERS[@]} hierarchies: ${MIG_HIERS[*]##*/})"
	[ -n "$MIG_ON" ] && echo "  isolated write with favordynmods on: $(ms "$MIG_ON"); back-to-back: $(ms "$MIG_ON_REST") each"
	echo "  a login writes a pid into each of those ${#MIG_HIERS[@]}: fresh sandbox: its init, then at once the caller (v1; on v2 the init is born there), join once"
	if [ -n "$FORK_D" ]; then
		echo "  favordynmods' cost ($FORK_BLOCKS paired blocks, medians; on - off): fork+exit $(calc '%+.1f' "$FORK_D") us ($(calc '%+.1f' "$FORK_P")% of $(us "$FORK_OFF")), fork+exec+exit $(calc '%+.1f' "$EXEC_D") us ($(calc '%+.1f' "$EXEC_P")% of $(us "$EXEC_OFF"); $EXEC_TARGET)"
		echo "  ssh with module, paired: as found (favordynmods $FDM_FOUND) fresh ${ssh_paired}%, joining ${sshj_paired}%; favordynmods on: fresh ${fdm_ssh_paired}%, joining ${fdm_sshj_paired}%"
	fi
	echo
	echo "paired (median over rounds of the per-round difference):" \
		"fresh-plain $(calc '%+.2f' "$(paired "$BB/fresh.csv" fresh plain diff)") ms," \
		"fresh-bwrap $(calc '%+.2f' "$(paired "$BB/fresh.csv" fresh bwrap diff)") ms," \
		"join-plain $(calc '%+.2f' "$(paired "$BB/join.csv" join plain diff)") ms," \
		"ssh ${ssh_paired}%," \
		"ssh joining ${sshj_paired}%"
	echo "teardown after the last session (asynchronous, not in the times above):" \
		"$(ms "$(field fresh 7 "$F")") median after pamrun," \
		"$(ms "$(field ssh_jail 7 "$S")") after ssh"
	echo "targets: fresh sandbox at most half of bwrap's time: $fresh_ratio, $(verdict "$os_fresh <= 0.5 * $bw")"
	echo "         a join adds under 1 ms: $(calc '%+.2f ms' "$join_adds"), $(verdict "$join_adds < 1")"
	echo "         ssh with module at most +3.0%: fresh ${ssh_paired}% paired, $(verdict "$ssh_paired <= 3");" \
		"joining ${sshj_paired}% paired, $(verdict "$sshj_paired <= 3")"
	echo "         (for scale: the command in bubblewrap, same isolation, ${sshbw_paired}% paired)"
	echo "         idle sandbox PSS under 300 KiB: $PSS_TOTAL KiB, $([ "$PSS_TOTAL" -lt 300 ] && echo met || echo MISSED)"
	echo
	echo "pamrun phases, median microseconds (pam_start / open_session / fork+exec+wait / close_session / pam_end):"
	for t in fresh join plain; do
		printf '  %-6s' "$t"
		for c in 1 2 3 4 5; do printf ' %8s' "$(median_col "$BB/$t.times" "$c")"; done
		echo
	done
	echo
	echo "what the idle sandbox's memory is:"
	cat "$BB/pss.txt"
	if [ "$STRACE" = 1 ]; then
		for t in fresh join; do
			echo
			echo "cgroup.procs writes of one $t ssh login (strace -f -T of the sshd; build/bench/strace-$t.raw):"
			sed 's/^/  /' "$BB/strace-$t.txt"
		done
	fi
} | tee "$OUT"
