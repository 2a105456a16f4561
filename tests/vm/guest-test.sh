#!/bin/bash
# tests/vm/guest-test.sh GUEST MODE STAGE: loginjail's tests inside a VM guest,
# as root (run by ljvm.service, or by ljvm-init without systemd).
#   GUEST  bookworm | trixie | nosystemd (a label)
#   MODE   systemd (PID 1 is systemd, cgroup v2) | plain (no systemd, cgroup v2)
#   STAGE  a `make install DESTDIR=` tree built for this release
# The guest is a throwaway snapshot: this script installs the stage into /,
# edits the guest's own /etc/pam.d, creates users and logs them in for real.
# Every check prints "OK   name" or "FAIL name" and what it saw; the last line
# is "N passed, N failed"; the exit status is 1 when anything failed.
set -u
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
GUEST=${1:?guest} MODE=${2:?mode} STAGE=${3:?stage}
T=$(mktemp -d /tmp/ljvm.XXXXXX)
NPASS=0 NFAIL=0
SECTION=
NSL="mnt uts ipc net pid cgroup user"
JAIL=ljv-jail   # sandbox, network = loopback, limits
NETU=ljv-net    # sandbox, network = host
FREE=ljv-free   # no policy
KEY=/root/.ssh/ljv_key
SSHO=(-i "$KEY" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
      -o LogLevel=ERROR -o ConnectTimeout=30 -o ServerAliveInterval=15)
TMO=90   # seconds any one login may take (TCG: fork+exec is ~30x slower)

# ---------------------------------------------------------------- reporting
saw() { printf '%s\n' "$@" | tr -d '\r' | head -n 25 | cut -c1-240 | sed 's/^/       saw: /'; }
ok() { NPASS=$((NPASS + 1)); echo "OK   $1"; shift; [ $# -gt 0 ] && saw "$@"; return 0; }
bad() { NFAIL=$((NFAIL + 1)); echo "FAIL $1"; shift; if [ $# -gt 0 ]; then saw "$@"; else saw "(nothing)"; fi; return 1; }
check() { local n=$1 st=$2; shift 2; if [ "$st" = 0 ]; then ok "$n" "$@"; else bad "$n" "$@"; fi; }
is() { if [ "$2" = "$3" ]; then ok "$1" "$2"; else bad "$1" "got: $2" "want: $3"; fi; }
like() { if printf '%s\n' "$2" | tr -d '\r' | grep -Eq -- "$3"; then ok "$1" "$2"; else bad "$1" "got: $2" "want (ERE): $3"; fi; }
unlike() { if ! printf '%s\n' "$2" | tr -d '\r' | grep -Eq -- "$3"; then ok "$1" "${2:-(nothing)}"; else bad "$1" "got: $2" "must not match (ERE): $3"; fi; }
section() { SECTION=$1; echo "--- $1 (uptime $(cut -d" " -f1 /proc/uptime)s)"; }
wait_for() { # wait_for SECONDS CMD...: poll every 0.5 s
  local end=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.5; done
}

# ---------------------------------------------------------------- logins
# (fd 7 is the held session's stdin: no other login may keep it open)
jssh() { local u=$1; shift; timeout $TMO ssh "${SSHO[@]}" -p 22 "$u@127.0.0.1" "$@" </dev/null 2>&1 7>&-; }
jsu() { local u=$1; shift; timeout $TMO su - "$u" -c "$*" </dev/null 2>&1 7>&-; }
jrunuser() { local u=$1; shift; timeout $TMO runuser -l "$u" -c "$*" </dev/null 2>&1 7>&-; }
# The "ns value" lines of ljv-nsdump in OUT against the host's (PID 1's).
# MODE differ: all seven differ; same: all seven equal; hostnet: net equal, six differ.
ns_check() { # ns_check NAME OUT MODE
  local name=$1 out=$2 mode=$3 n v v2 want wrong= line=
  for n in $NSL; do
    v=$(printf '%s\n' "$out" | tr -d '\r' | awk -v n="$n" '$1 == "ns" && $2 == n { print $3 }' | head -n1)
    want=differ
    [ "$mode" = same ] && want=same
    [ "$mode" = hostnet ] && [ "$n" = net ] && want=same
    v2=${v//[^0-9]/}; line+="$n=${v2:-?}/${HNS[$n]//[^0-9]/} "
    if [ -z "$v" ]; then wrong+=" $n:missing"
    elif [ $want = differ ] && [ "$v" = "${HNS[$n]}" ]; then wrong+=" $n:same-as-host"
    elif [ $want = same ] && [ "$v" != "${HNS[$n]}" ]; then wrong+=" $n:differs"; fi
  done
  if [ -z "$wrong" ]; then ok "$name" "inside/host: $line"
  else bad "$name" "inside/host: $line" "wrong:$wrong" "$(printf '%s\n' "$out" | grep -v '^ns ' | head -n 8)"; fi
}
# A login of USER that stays open: its command prints "ready" and waits for a
# line on stdin (our fd 7); hold_end closes it, so the session ends cleanly.
HOLD_PID=
hold_start() { # hold_start USER -> 0 when the session is up
  rm -f "$T/hold.in" "$T/hold.out"; mkfifo "$T/hold.in"
  timeout 600 ssh "${SSHO[@]}" -p 22 "$1@127.0.0.1" \
    'ljv-mark; echo ready; exec -a ljvhold bash -c "read x; echo bye"' <"$T/hold.in" >"$T/hold.out" 2>&1 &
  HOLD_PID=$!
  exec 7>"$T/hold.in"
  wait_for $TMO hold_settled
  grep -q '^ready' "$T/hold.out"
  check "held ssh session of $1 is up" $? "$(cat "$T/hold.out")"
}
hold_settled() { # ready, or refused, or gone
  grep -q '^ready' "$T/hold.out" || grep -qiE 'refused|denied|closed' "$T/hold.out" ||
    ! kill -0 "$HOLD_PID" 2>/dev/null
}
hold_end() {
  exec 7>&-
  wait_for 60 sh -c "! kill -0 $HOLD_PID 2>/dev/null"
  check "held session ends when its command ends" $? "$(cat "$T/hold.out")"
  kill "$HOLD_PID" 2>/dev/null; wait "$HOLD_PID" 2>/dev/null; HOLD_PID=
}
hold_pid() { pgrep -u "$1" -f '^ljvhold' | head -n1; }

# ---------------------------------------------------------------- host side
slice_dir() { # the user's limit cgroup
  if [ "$MODE" = systemd ]; then echo "/sys/fs/cgroup/user.slice/user-$1.slice"
  else echo "/sys/fs/cgroup/loginjail.slice/user-$1.slice"; fi
}
limit_dropins() { # files of runtime limits systemd keeps for user-UID.slice
  grep -lsE '^(MemoryMax|MemoryHigh|MemorySwapMax|TasksMax|CPUQuota|CPUQuotaPerSecSec|IOWeight)=' \
    "/run/systemd/system.control/user-$1.slice.d/"*.conf 2>/dev/null
}
leftovers() { # leftovers USER UID: what of a sandbox is still there
  local u=$1 id=$2 p
  p=$(ps -o pid=,stat=,user=,args= -u "$id" -U "$id" 2>/dev/null | grep -v ' Z' || true)
  [ -n "$p" ] && echo "process of $u: $p"
  p=$(pgrep -a -x loginjail-init); [ -n "$p" ] && echo "loginjail-init: $p"
  p=$(find /run/loginjail -mindepth 1 -maxdepth 2 2>/dev/null | grep -E "(^|[^0-9])$id([^0-9]|$)|$u" || true)
  [ -n "$p" ] && echo "/run/loginjail: $p"
  if [ "$MODE" = systemd ]; then
    p=$(systemctl list-units --all --plain --no-legend 'loginjail-*' 2>&1); [ -n "$p" ] && echo "unit: $p"
    p=$(limit_dropins "$id"); [ -n "$p" ] && echo "limit drop-in: $p $(cat $p 2>/dev/null | grep -v '^#')"
  else
    [ -d "$(slice_dir "$id")" ] && echo "cgroup: $(slice_dir "$id") ($(cat "$(slice_dir "$id")/cgroup.procs" | tr '\n' ' '))"
  fi
  return 0
}
no_leftovers() { [ -z "$(leftovers "$@")" ]; }
gone_check() { # gone_check USER LABEL
  local u=$1 id left; id=$(id -u "$1")
  wait_for 60 no_leftovers "$u" "$id"
  left=$(leftovers "$u" "$id")
  unlike "after logout ($2): no process of $u" "$left" "^(process of|loginjail-init)"
  unlike "after logout ($2): /run/loginjail has no entry for $u" "$left" "^/run/loginjail"
  if [ "$MODE" = systemd ]; then
    unlike "after logout ($2): no loginjail-* unit" "$left" "^unit:"
    unlike "after logout ($2): no runtime limit drop-in for user-$id.slice" "$left" "^limit drop-in"
  else
    unlike "after logout ($2): no $(slice_dir "$id")" "$left" "^cgroup:"
  fi
}

# ================================================================ setup
echo "guest $GUEST: mode=$MODE pid1=$(cat /proc/1/comm) kernel=$(uname -r)" \
  "cgroup=$(stat -f -c %T /sys/fs/cgroup) systemd=$(systemctl --version 2>/dev/null | head -n1 | cut -d' ' -f2)" \
  "ssh=$(ssh -V 2>&1)"
section setup
declare -A HNS=()
for n in $NSL; do HNS[$n]=$(readlink /proc/1/ns/$n); done
[ -d "$STAGE" ] || { bad "stage $STAGE exists"; echo "$NPASS passed, $NFAIL failed"; exit 1; }
tar -C "$STAGE" -cf - . | tar -C / -xf - --keep-directory-symlink --no-same-owner
HELPER=/usr/libexec/loginjail/loginjail-helper
MOD=$(find /lib/*/security /usr/lib/*/security -name pam_loginjail.so 2>/dev/null | head -n1)
[ -x $HELPER ] && [ -n "$MOD" ]; check "stage installed" $? "helper: $(ls -l $HELPER 2>&1)" "module: ${MOD:-none}"
miss=$(ldd $HELPER /usr/libexec/loginjail/loginjail-init /usr/sbin/loginjailctl $MOD 2>&1 | grep -E 'not found|No such' || true)
[ -z "$miss" ]; check "installed binaries find their libraries" $? "${miss:-all resolved}"

# Helper scripts the sessions run (/usr is in every sandbox).
cat >/usr/local/bin/ljv-nsdump <<'EOS'
#!/bin/bash
for n in mnt uts ipc net pid cgroup user; do echo "ns $n $(readlink /proc/self/ns/$n)"; done
echo "host $(hostname) id $(id -un) tty $(tty)"
EOS
cat >/usr/local/bin/ljv-mark <<'EOS'
#!/bin/bash
echo "marker-$(hostname)-$(readlink /proc/self/ns/mnt)" >/tmp/ljv-marker
EOS
cat >/usr/local/bin/ljv-hog <<'EOS'
#!/usr/bin/perl
# allocate and touch 400 MiB
my $x = "a" x (400 * 1024 * 1024); print "allocated ", length($x), "\n";
EOS
cat >/usr/local/bin/ljv-forkstorm <<'EOS'
#!/usr/bin/perl
# fork up to 200 sleeping children, say how many started, then end them
my @k; my $err = "";
for (1 .. 200) { my $p = fork(); if (!defined $p) { $err = "$!"; last } if ($p == 0) { sleep 60; exit 0 } push @k, $p }
print "started=", scalar(@k), " error=$err\n"; kill "KILL", @k; waitpid($_, 0) for @k;
EOS
chmod 755 /usr/local/bin/ljv-*

for u in $JAIL $NETU $FREE; do useradd -m -s /bin/bash "$u"; done
mkdir -p /root/.ssh; rm -f $KEY; ssh-keygen -q -t ed25519 -N '' -f $KEY
for u in $JAIL $NETU $FREE; do
  install -d -m 700 -o "$u" -g "$u" "/home/$u/.ssh"
  install -m 600 -o "$u" -g "$u" $KEY.pub "/home/$u/.ssh/authorized_keys"
done
JUID=$(id -u $JAIL) NUID=$(id -u $NETU) FUID=$(id -u $FREE)

# The shipped loginjail.conf gives every sandboxed user memory_max and
# pids_max in [default]; here each user gets only what 10-vmtest.conf says
# ($NETU no limits at all: the slice must keep its own).
printf '[default]\nsandbox = no\n' >/etc/loginjail/loginjail.conf
cat >/etc/loginjail/policy.d/10-vmtest.conf <<EOS
[user:$JAIL]
sandbox = yes
network = loopback
hostname = lj-%u
memory_max = 256M
pids_max = 64
cpu_max = 50%
linger = 0

[user:$NETU]
sandbox = yes
network = host
hostname = lj-%u
linger = 0
EOS

# The module, last session line of each login service. A file that already
# gets it through its last "session include" (su-l -> su, runuser-l ->
# runuser) is left alone: the module would run twice in one stack.
[ "$MODE" = systemd ] && [ ! -e /etc/pam.d/systemd-user ] && [ -e /usr/lib/pam.d/systemd-user ] &&
  cp /usr/lib/pam.d/systemd-user /etc/pam.d/systemd-user
pam_svcs="sshd su runuser su-l runuser-l"; [ "$MODE" = systemd ] && pam_svcs+=" systemd-user"
for s in $pam_svcs; do
  f=/etc/pam.d/$s
  [ -e "$f" ] || { bad "PAM service $s exists" "no $f"; continue; }
  inc=$(grep -E '^[[:space:]]*-?session[[:space:]]+include[[:space:]]' "$f" | tail -n1 | awk '{print $3}')
  last=$(grep -E '^[[:space:]]*-?session[[:space:]]' "$f" | tail -n1)
  if [ -n "$inc" ] && [ "$last" = "$(grep -E '^[[:space:]]*-?session[[:space:]]+include' "$f" | tail -n1)" ] &&
     grep -q pam_loginjail "/etc/pam.d/$inc" 2>/dev/null; then
    ok "PAM $s: module reached through its last line '$last'"
    continue
  fi
  printf '# added by loginjail check-vm\nsession required pam_loginjail.so\n' >>"$f"
  last=$(grep -E '^[[:space:]]*-?session[[:space:]]' "$f" | tail -n1)
  is "PAM $s: last session line is the module" "$last" "session required pam_loginjail.so"
done

out=$(loginjailctl check 2>&1); check "loginjailctl check accepts the policy and the PAM stacks" $? "$out"
unlike "loginjailctl check reports no error" "$out" "error:"

# No motd: its lines would only bury what the logins print.
sed -i -E 's/^(session[[:space:]]+optional[[:space:]]+pam_motd\.so)/#\1/' /etc/pam.d/sshd /etc/pam.d/login 2>/dev/null

# A resolv.conf that is a symlink into /run, as on a systemd-resolved host,
# and a name that only /etc/hosts knows.
mkdir -p /run/systemd/resolve
printf 'nameserver 10.0.2.3\nsearch ljvm.test\n# ljvm resolv marker\n' >/run/systemd/resolve/stub-resolv.conf
ln -sfn /run/systemd/resolve/stub-resolv.conf /etc/resolv.conf
echo '10.11.12.13 ljvm-hostsname.test' >>/etc/hosts

# sshd: the guest's own on port 22 (systemd starts it; ljvm-init did without
# systemd) and a second one on 2222 whose sftp is internal-sftp.
sed -e 's|^Subsystem.*|Subsystem sftp internal-sftp|' /etc/ssh/sshd_config >/etc/ssh/sshd_config_isftp
grep -q '^Subsystem' /etc/ssh/sshd_config_isftp || echo 'Subsystem sftp internal-sftp' >>/etc/ssh/sshd_config_isftp
printf 'Port 2222\nPidFile /run/sshd-isftp.pid\n' >>/etc/ssh/sshd_config_isftp
mkdir -p /run/sshd
out=$(/usr/sbin/sshd -f /etc/ssh/sshd_config_isftp 2>&1); check "second sshd (internal-sftp) on 2222 starts" $? "$out"
wait_for 60 sh -c 'ss -ltn | grep -q ":22 " && ss -ltn | grep -q ":2222 "'
check "sshd listens on 22 and 2222" $? "$(ss -ltn)"

# ================================================================ a user without policy
section "no policy ($FREE)"
out=$(jssh $FREE ljv-nsdump); ns_check "ssh as $FREE: all seven namespaces are the host's" "$out" same
out=$(jsu $FREE ljv-nsdump); ns_check "su - $FREE: all seven namespaces are the host's" "$out" same
if [ "$MODE" = systemd ]; then
  out=$(jssh $FREE 'systemd-run --user true; echo "rc=$?"')
  like "ssh as $FREE: systemd-run --user true works" "$out" '^rc=0$'
fi

# ================================================================ sandboxed logins
phase() { # phase LABEL FULL: one held session + logins, then logout checks
  local label=$1 full=$2 out hp initpid cg unit since f
  section "sandbox ($label)"
  since=$(date +@%s)
  hold_start $JAIL || { bad "($label) nothing can be checked without a session"; hold_end; return; }
  if [ "$MODE" = systemd ]; then
    # loginjail-events(7): the sandbox's create event is a journal entry of
    # its own, with its MESSAGE_ID and LOGINJAIL_* fields (from the init,
    # through the journal's socket it connected before pivot_root).
    local q="-o json --no-pager --since=$since MESSAGE_ID=c969bded959e4bd6ac6c444226531568 LOGINJAIL_USER=$JAIL"
    wait_for 10 sh -c "journalctl $q | grep -q LOGINJAIL_SANDBOX"
    out=$(journalctl $q 2>&1 | tail -n 1)
    for f in '"LOGINJAIL_EVENT":"create"' "\"LOGINJAIL_UID\":\"$JUID\"" '"LOGINJAIL_SERVICE":"sshd"' \
      '"LOGINJAIL_RHOST":"127.0.0.1"' '"SYSLOG_IDENTIFIER":"loginjail"' '"SYSLOG_FACILITY":"10"' \
      "\"LOGINJAIL_SANDBOX\":\"user-$JUID\""; do
      printf '%s\n' "$out" | grep -qF -- "$f" || break
      f=
    done
    [ -z "$f" ]; check "journal: the create event of $JAIL (MESSAGE_ID, LOGINJAIL_* fields)" $? \
      "${f:+missing: $f}" "$out"
  fi
  out=$(jssh $JAIL ljv-nsdump); ns_check "ssh command: all seven namespaces differ from the host's" "$out" differ
  like "ssh command: hostname is the policy's" "$out" "^host lj-$JAIL id $JAIL"
  # The jail's everyday places (loginjail.conf(5), FILESYSTEM) on a real
  # host: its runtime directory where pam_systemd also points, the host
  # name resolving, /var/tmp, and /dev/log reaching journald (or nothing,
  # on the guest without a logger) with the user's uid.
  out=$(jssh $JAIL "echo xdg=\$XDG_RUNTIME_DIR \$(stat -c '%U %a' \$XDG_RUNTIME_DIR); echo fqdn=\$(hostname -f); mktemp -p /var/tmp >/dev/null && echo vartmp=ok; logger -t ljvtest ljv-devlog-$full")
  like "ssh command: XDG_RUNTIME_DIR is the jail's /run/user/UID, the user's, 0700" "$out" "^xdg=/run/user/$JUID $JAIL 700$"
  like "ssh command: hostname -f resolves the sandbox's name" "$out" "^fqdn=lj-$JAIL$"
  like "ssh command: mktemp -p /var/tmp" "$out" "^vartmp=ok$"
  if [ "$MODE" = systemd ]; then
    wait_for 10 sh -c "journalctl --no-pager -o json --since=$since -t ljvtest | grep -q ljv-devlog-$full"
    out=$(journalctl --no-pager -o json --since=$since -t ljvtest 2>&1 | grep "ljv-devlog-$full" | tail -n 1)
    like "journal: logger in the sandbox reached journald, from the user's uid" "$out" "\"_UID\":\"$JUID\""
  fi
  hp=$(hold_pid $JAIL)
  [ -n "$hp" ]; check "host sees the session's process (ljvhold)" $? "pid=${hp:-none}; $(ps -o pid=,user=,args= -u $JUID 2>&1)"
  if [ -n "$hp" ]; then
    cg=$(cat /proc/$hp/cgroup 2>&1)
    if [ "$MODE" = systemd ]; then
      like "session process is in pam_systemd's session scope" "$cg" "^0::/user\.slice/user-$JUID\.slice/session-[0-9]+\.scope$"
    else
      like "session process is in loginjail's cgroup" "$cg" "^0::/loginjail\.slice/user-$JUID\.slice/"
    fi
  fi
  initpid=$(pgrep -x loginjail-init | head -n1)
  [ -n "$initpid" ]; check "a loginjail-init runs" $? "$(pgrep -a -x loginjail-init)"
  if [ -n "$initpid" ]; then
    is "loginjail-init runs as root" "$(ps -o user= -p "$initpid" | tr -d ' ')" root
    cg=$(cat /proc/$initpid/cgroup 2>&1)
    if [ "$MODE" = systemd ]; then
      like "loginjail-init is in a loginjail-*.scope in user-$JUID.slice" "$cg" \
        "^0::/user\.slice/user-$JUID\.slice/loginjail-[^/]+\.scope(/.*)?$"
      unit=$(systemctl list-units --plain --no-legend 'loginjail-*' | awk '{print $1}' | head -n1)
      out=$(systemctl list-units --all --plain --no-legend 'loginjail-*' 2>&1)
      [ -n "$unit" ]; check "systemctl list-units 'loginjail-*' shows a unit" $? "${out:-(none)}"
      if [ -n "$unit" ]; then
        out=$(systemctl status --no-pager -n0 "$unit" 2>&1)
        printf '%s\n' "$out" | grep -Eq "[^0-9]$initpid[^0-9].*loginjail-init"
        check "systemctl status $unit shows loginjail-init ($initpid)" $? "$out"
        like "$unit is in user-$JUID.slice" "$(systemctl show -p Slice --value "$unit")" "^user-$JUID\.slice$"
      fi
      # SECURITY.md rule 22: loginjail made no cgroup of its own under
      # systemd's tree: every one below user.slice is a unit systemd made.
      out=$(cd /sys/fs/cgroup/user.slice && find . -mindepth 1 -type d | grep -vE '^\./user-[0-9]+\.slice(/[^/]+\.(scope|service))?$' |
        grep -vE '^\./user-[0-9]+\.slice/user@[0-9]+\.service/' || true)
      is "no cgroup below user.slice but systemd's units" "$out" ""
    else
      local sd=/loginjail.slice/user-$JUID.slice
      like "loginjail-init is in a leaf below $sd" "$cg" "^0::$sd/.+"
      [ -z "$(cat /sys/fs/cgroup$sd/cgroup.procs 2>/dev/null)" ]
      check "$sd itself holds no process" $? "$(cat /sys/fs/cgroup$sd/cgroup.procs 2>&1)"
    fi
  fi
  local sdir; sdir=$(slice_dir "$JUID")
  if [ "$MODE" = systemd ]; then
    out=$(systemctl show "user-$JUID.slice" -p MemoryMax -p TasksMax -p CPUQuotaPerSecUSec 2>&1 | sort | tr '\n' ' ')
    is "systemctl show user-$JUID.slice: the policy's limits" "$out" \
      "CPUQuotaPerSecUSec=500ms MemoryMax=268435456 TasksMax=64 "
  fi
  out="memory.max=$(cat $sdir/memory.max 2>&1) pids.max=$(cat $sdir/pids.max 2>&1) cpu.max=$(cat $sdir/cpu.max 2>&1)"
  is "kernel limits of $sdir" "$out" "memory.max=268435456 pids.max=64 cpu.max=50000 100000"
  if [ "$MODE" = systemd ]; then
    out=$(jssh $JAIL 'systemd-run --user true; echo "rc=$?"')
    like "sandboxed user: systemd-run --user true runs and fails" "$out" '^rc=[1-9][0-9]*$'
    out=$(systemctl is-active "user@$JUID.service" 2>&1)
    unlike "user@$JUID.service is not running for the sandboxed user" "$out" '^(active|activating|reloading)$'
  fi

  if [ "$full" = 1 ]; then
    out=$(timeout $TMO ssh "${SSHO[@]}" -tt -p 22 "$JAIL@127.0.0.1" ljv-nsdump </dev/null 2>&1 7>&-)
    ns_check "ssh -tt: all seven namespaces differ" "$out" differ
    like "ssh -tt: a pty" "$out" "tty /dev/pts/[0-9]+"
    out=$(jsu $JAIL ljv-nsdump); ns_check "su - $JAIL -c: all seven namespaces differ" "$out" differ
    out=$(jrunuser $JAIL ljv-nsdump); ns_check "runuser -l $JAIL -c: all seven namespaces differ" "$out" differ
    mark=$(jssh $JAIL 'cat /tmp/ljv-marker')
    like "the held session's private /tmp has the marker" "$mark" "^marker-lj-$JAIL-mnt:"
    # scp and sftp read the marker from the sandbox's private /tmp: only a
    # server running inside the sandbox can see it.
    rm -f "$T"/got.*
    out=$(timeout $TMO scp 7>&- "${SSHO[@]}" -O -P 22 "$JAIL@127.0.0.1:/tmp/ljv-marker" "$T/got.scpO" 2>&1)
    is "scp -O (scp protocol) reads the sandbox's /tmp" "$(cat "$T/got.scpO" 2>&1)" "$mark"
    out=$(timeout $TMO scp 7>&- "${SSHO[@]}" -P 22 "$JAIL@127.0.0.1:/tmp/ljv-marker" "$T/got.scp" 2>&1)
    is "scp (sftp protocol) reads the sandbox's /tmp" "$(cat "$T/got.scp" 2>&1)" "$mark"
    echo upload-$$ >"$T/up"
    out=$(timeout $TMO scp 7>&- "${SSHO[@]}" -P 22 "$T/up" "$JAIL@127.0.0.1:up.txt" 2>&1)
    [ "$(cat /home/$JAIL/up.txt 2>&1)" = "upload-$$" ]
    check "scp upload lands in the real home" $? "home: $(cat /home/$JAIL/up.txt 2>&1)" "scp: $out"
    out=$(echo "get /tmp/ljv-marker $T/got.sftp" | timeout $TMO sftp 7>&- "${SSHO[@]}" -b - -P 22 "$JAIL@127.0.0.1" 2>&1)
    is "sftp (sftp-server) reads the sandbox's /tmp" "$(cat "$T/got.sftp" 2>&1)" "$mark"
    out=$(echo "get /tmp/ljv-marker $T/got.isftp" | timeout $TMO sftp 7>&- "${SSHO[@]}" -b - -P 2222 "$JAIL@127.0.0.1" 2>&1)
    is "sftp (internal-sftp, port 2222) reads the sandbox's /tmp" "$(cat "$T/got.isftp" 2>&1)" "$mark"
    # ssh -N -L: the forward connects from inside the sandbox's network,
    # where a listener of the sandbox waits (nothing listens there on the host).
    timeout 300 ssh "${SSHO[@]}" -p 22 "$JAIL@127.0.0.1" \
      'echo "inside-$(hostname)" | nc -N -l 127.0.0.1 40001' </dev/null >"$T/nc.out" 2>&1 7>&- &
    local ncpid=$! fwdpid got=
    timeout 300 ssh "${SSHO[@]}" -N -L 127.0.0.1:30001:127.0.0.1:40001 -p 22 "$JAIL@127.0.0.1" </dev/null >"$T/fwd.out" 2>&1 7>&- &
    fwdpid=$!
    wait_for $TMO sh -c 'ss -ltn | grep -q "127.0.0.1:30001 "'
    local end=$((SECONDS + TMO))
    while [ -z "$got" ] && [ $SECONDS -lt $end ]; do
      got=$(timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/30001 && head -n1 <&3' 2>/dev/null)
      [ -n "$got" ] || sleep 1
    done
    is "ssh -N -L reaches a listener on the sandbox's loopback" "$got" "inside-lj-$JAIL"
    [ -n "$got" ] || saw "nc session: $(cat "$T/nc.out")" "forward: $(cat "$T/fwd.out")"
    kill $fwdpid $ncpid 2>/dev/null; wait $fwdpid $ncpid 2>/dev/null
    # limits enforced
    local oom0 oom1 pmax n p
    # What is checked below is that the OOM killer takes the hog, not the
    # held session: while the hog's memory is being freed, the kernel can
    # pick a second victim in the slice (seen once on trixie), so the held
    # session (its shell and its sshd session process) is never one.
    p=$(hold_pid $JAIL)
    while [ -n "$p" ] && [ "$p" -gt 1 ]; do
      echo -1000 >/proc/$p/oom_score_adj 2>/dev/null
      [ "$(ps -o comm= -p "$p")" = ljvhold ] || [ "$(ps -o user= -p "$p" | tr -d ' ')" = "$JAIL" ] || break
      p=$(ps -o ppid= -p "$p" | tr -d ' ')
    done
    oom0=$(awk '$1 == "oom_kill" {print $2}' $sdir/memory.events 2>/dev/null)
    out=$(jssh $JAIL 'ljv-hog; echo "hog rc=$?"; echo "alive after the hog"')
    like "memory hog (400M > 256M) is killed" "$out" '^hog rc=137$'
    like "the login survives the hog: the next command of the session runs" "$out" '^alive after the hog$'
    oom1=$(awk '$1 == "oom_kill" {print $2}' $sdir/memory.events 2>/dev/null)
    [ -n "$oom1" ] && [ "${oom1:-0}" -gt "${oom0:-0}" ]
    check "the OOM kill happened in $sdir" $? "oom_kill before=${oom0:-?} after=${oom1:-?}" "$(cat $sdir/memory.events 2>&1 | tr '\n' ' ')"
    out=$(jssh $JAIL 'ljv-forkstorm; echo "alive after the storm"')
    n=$(printf '%s\n' "$out" | sed -n 's/^started=\([0-9]*\).*/\1/p')
    # (before Linux 6.12 pids.events counts in the forking task's own cgroup,
    # the storm's session scope, gone by now: the fork error is the evidence)
    pmax=$(find "$sdir" -name pids.events -exec awk '$1 == "max" {s += $2} END {print s + 0}' {} + 2>/dev/null |
      awk '{s += $1} END {print s + 0}')
    [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt 64 ] &&
      printf '%s\n' "$out" | grep -q 'error=Resource temporarily unavailable'
    check "fork storm stops below pids_max 64 (EAGAIN)" $? "$(printf '%s\n' "$out" | head -n3)" \
      "pids.events max in $sdir and below now: $pmax"
    like "the login survives the storm" "$out" '^alive after the storm$'
    hp=$(hold_pid $JAIL)
    [ -n "$hp" ]; check "the held session survived the hog and the storm" $? "pid=${hp:-none}"
  fi
  hold_end
  if [ "$MODE" = systemd ]; then
    # logind may try to start it; the module refuses its systemd-user session.
    out=$(journalctl -b -q --no-pager -u "user@$JUID.service" 2>&1)
    ! printf '%s\n' "$out" | grep -Eq "Started (user@$JUID\.service|User Manager for UID $JUID)"
    check "user@$JUID.service never started for the sandboxed user" $? \
      "$(printf '%s\n' "$out" | grep -E 'Start|Fail|fail|loginjail' | tail -n 4)"
  fi
  gone_check $JAIL "$label, held session"

  section "fresh sandbox per command ($label)"
  out=$(jssh $JAIL ljv-nsdump); ns_check "ssh command, no other session: all seven namespaces differ" "$out" differ
  gone_check $JAIL "$label, one command"
}

if [ "$MODE" = systemd ]; then phase "KillUserProcesses=no" 1; else phase "no systemd" 1; fi

section "network = host ($NETU)"
out=$(jssh $NETU 'ljv-nsdump; echo "getent: $(getent hosts ljvm-hostsname.test)"; echo "resolv: $(cat /etc/resolv.conf | tr "\n" "|")"')
ns_check "ssh as $NETU: host network, the other six namespaces differ" "$out" hostnet
like "name from /etc/hosts resolves inside" "$out" '^getent: 10\.11\.12\.13 +ljvm-hostsname\.test$'
is "/etc/resolv.conf inside is the host's" "$(printf '%s\n' "$out" | sed -n 's/^resolv: //p' | tr -d '\r')" \
  "$(tr '\n' '|' </etc/resolv.conf)"
gone_check $NETU "network = host"

if [ "$MODE" = systemd ]; then
  mkdir -p /etc/systemd/logind.conf.d
  printf '[Login]\nKillUserProcesses=yes\n' >/etc/systemd/logind.conf.d/ljvm.conf
  systemctl restart systemd-logind
  wait_for 30 systemctl is-active -q systemd-logind
  check "logind restarted with KillUserProcesses=yes" $? "$(systemctl is-active systemd-logind)"
  phase "KillUserProcesses=yes" 0
fi

# ================================================================ PAM stacks (systemd)
# What an admin gets wrong, and what loginjail then says: pam_systemd after
# the module; the user manager's stack without it; a user manager that runs
# already. Each file is put back afterwards.
if [ "$MODE" = systemd ]; then
  section "PAM stacks an admin gets wrong"
  cp /etc/pam.d/su "$T/su.orig"
  cat >/etc/pam.d/su <<'EOS'
auth sufficient pam_rootok.so
account include common-account
session required pam_unix.so
session required pam_loginjail.so
session optional pam_systemd.so
EOS
  out=$(jsu $JAIL 'echo INSIDE'); st=$?
  [ $st != 0 ] && ! printf '%s\n' "$out" | grep -q INSIDE
  check "su with pam_systemd after the module: refused" $? "rc=$st" "$out"
  out=$(journalctl -b -q --no-pager | grep 'pam_loginjail(su' | tail -n 1)
  like "syslog names both lines and says what to do" "$out" \
    'pam_systemd\.so \(/etc/pam\.d/su:5\) comes after pam_loginjail\.so \(/etc/pam\.d/su:4\).*move the pam_loginjail\.so line'
  out=$(loginjailctl check 2>&1); st=$?
  [ $st != 0 ]; check "loginjailctl check fails on it" $? "rc=$st" "$out"
  like "loginjailctl check names the lines" "$out" 'error: /etc/pam\.d/su:5: pam_systemd\.so comes after pam_loginjail\.so \(/etc/pam\.d/su:4\)'
  cp "$T/su.orig" /etc/pam.d/su
  gone_check $JAIL "refused su"

  cp /etc/pam.d/systemd-user "$T/systemd-user.orig"
  grep -v pam_loginjail "$T/systemd-user.orig" >/etc/pam.d/systemd-user
  out=$(jsu $JAIL 'echo INSIDE'); st=$?
  ! printf '%s\n' "$out" | grep -q INSIDE
  check "systemd-user stack without the module: a sandboxed login is refused" $? "rc=$st" "$out"
  like "the user is told why" "$out" 'systemd-user has no pam_loginjail\.so'
  out=$(loginjailctl check 2>&1); st=$?
  [ $st != 0 ]; check "loginjailctl check fails on it" $? "rc=$st" "$out"
  like "loginjailctl check says what to add" "$out" 'error: the PAM stack of systemd-user has no pam_loginjail\.so'
  # A user manager that runs (started while the module was missing) is
  # stopped when the user's sandbox is made.
  systemctl start "user@$JUID.service"
  systemctl is-active -q "user@$JUID.service"
  check "user@$JUID.service runs without the module in its stack" $? "$(systemctl is-active user@$JUID.service)"
  cp "$T/systemd-user.orig" /etc/pam.d/systemd-user
  out=$(jssh $JAIL 'echo INSIDE'); st=$?
  like "with the module back, the login works" "$out" '^INSIDE$'
  wait_for 30 sh -c "! systemctl is-active -q user@$JUID.service"
  check "the running user manager was stopped for the sandboxed user" $? \
    "$(systemctl is-active user@$JUID.service)" "$(journalctl -b -q --no-pager -u user@$JUID.service | tail -n 3)"
  gone_check $JAIL "user manager stopped"

  # An admin drop-in that would replace loginjail's limits after a reload.
  mkdir -p /etc/systemd/system/user-.slice.d
  printf '[Slice]\nTasksMax=1000\n' >/etc/systemd/system/user-.slice.d/override.conf
  out=$(loginjailctl check 2>&1); st=$?
  is "loginjailctl check with a late user-.slice drop-in: still exit 0" "$st" 0
  like "and warns which file replaces which limit" "$out" \
    'warning: /etc/systemd/system/user-\.slice\.d/override\.conf sets TasksMax .*sorts after loginjail.s 50-TasksMax\.conf'
  rm -f /etc/systemd/system/user-.slice.d/override.conf

  # Only the limits a policy sets: $NETU sets none, so the slice keeps
  # Debian's TasksMax (user-.slice.d/10-defaults.conf) and gets no drop-in.
  hold_start $NETU
  out=$(systemctl show "user-$NUID.slice" -p TasksMax -p MemoryMax)
  like "a policy without limits leaves the slice's TasksMax as configured (Debian's 33%)" "$out" '^TasksMax=[0-9]+$'
  is "and writes no limit drop-in" "$(limit_dropins $NUID)" ""
  hold_end
  gone_check $NETU "no limits"
fi

if [ $NFAIL -gt 0 ] && [ "$MODE" = systemd ]; then
  echo "--- journal (loginjail, pam, sshd), last 40 lines"
  journalctl -b -q --no-pager | grep -Ei 'loginjail|pam_|sshd' | tail -n 40
fi
echo "guest $GUEST: $NPASS passed, $NFAIL failed"
echo "$NPASS passed, $NFAIL failed"
[ $NFAIL = 0 ]
