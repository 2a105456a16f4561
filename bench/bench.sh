#!/bin/bash
# bench/bench.sh: what a loginjail login costs, side by side with its peers,
# in one run (make bench; needs root, `make deps all` first).
#
#  1. fresh sandbox: pamrun through pam_loginjail.so (share = user, linger = 0:
#     every run creates and tears down a sandbox) vs bwrap with the same
#     isolation vs pamrun through a plain pam_permit session (the baseline).
#  2. join: the same pamrun while a holder session keeps the sandbox alive;
#     and a user without policy (nobody) through the same module.
#  3. ssh 127.0.0.1 true through a private sshd, with and without the module.
#  4. PSS of an idle sandbox's own processes (its loginjail-init).
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
# (100), LJ_BENCH_SSH_PAIRS (40; half as many for ssh joining a sandbox), LJ_BENCH_WARMUP (3), CC (cc).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build
BB=$B/bench
OUT=$B/bench.txt
ROUNDS=${LJ_BENCH_ROUNDS:-150}
JOIN_ROUNDS=${LJ_BENCH_JOIN_ROUNDS:-100}
SSH_PAIRS=${LJ_BENCH_SSH_PAIRS:-40}
SSH_JOIN_PAIRS=$(((SSH_PAIRS + 1) / 2))
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
PAMRUN=$BB/pamrun
LJTIME=$BB/ljtime

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
wait_teardown
"$LJTIME" -n "$SSH_PAIRS" -w "$WARMUP" -g "$STATE" -g "$STATE.lock" -l "$BB/ssh.log" \
	-r "$BB/ssh.csv" -- \
	ssh_jail "${SSH_JAIL[@]}" true ::: ssh_plain "${SSH_PLAIN[@]}" true >"$BB/ssh.sum"
say "ssh 127.0.0.1 true, joining a running sandbox, and without the module: $SSH_JOIN_PAIRS pairs"
start_holder
"$LJTIME" -n "$SSH_JOIN_PAIRS" -w "$WARMUP" -l "$BB/sshjoin.log" -r "$BB/sshjoin.csv" -- \
	ssh_join "${SSH_JAIL[@]}" true ::: ssh_plain "${SSH_PLAIN[@]}" true >"$BB/sshjoin.sum"
stop_holder

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
SJ=$BB/sshjoin.sum
sjj=$(field ssh_join 3 "$SJ") spj=$(field ssh_plain 3 "$SJ")
sshj_pct=$(calc '%+.1f' "($sjj / $spj - 1) * 100")
verdict() { calc '%s' "$1 ? \"met\" : \"MISSED\""; }
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
	fmt3 "ssh true, with module, joining" "$SJ" ssh_join "${sshj_pct}% (vs $(ms "$spj") without, paired)"
	row "idle sandbox PSS" "$PSS_TOTAL KiB" "" "" "$OWN_DESC"
	echo
	echo "paired (median over rounds of the per-round difference):" \
		"fresh-plain $(calc '%+.2f' "$(paired "$BB/fresh.csv" fresh plain diff)") ms," \
		"fresh-bwrap $(calc '%+.2f' "$(paired "$BB/fresh.csv" fresh bwrap diff)") ms," \
		"join-plain $(calc '%+.2f' "$(paired "$BB/join.csv" join plain diff)") ms," \
		"ssh ${ssh_paired}%," \
		"ssh joining $(calc '%+.1f' "$(paired "$BB/sshjoin.csv" ssh_join ssh_plain pct)")%"
	echo "teardown after the last session (asynchronous, not in the times above):" \
		"$(ms "$(field fresh 7 "$F")") median after pamrun," \
		"$(ms "$(field ssh_jail 7 "$S")") after ssh"
	echo "targets: fresh sandbox at most half of bwrap's time: $fresh_ratio, $(verdict "$os_fresh <= 0.5 * $bw")"
	echo "         a join adds under 1 ms: $(calc '%+.2f ms' "$join_adds"), $(verdict "$join_adds < 1")"
	echo "         ssh with module at most +3.0%: ${ssh_paired}% paired, $(verdict "$ssh_paired <= 3")"
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
} | tee "$OUT"
