#!/bin/bash
# tests/vm/guest-deb.sh GUEST MODE DEB [OLDDEB]: the Debian package inside a
# VM guest, as an administrator uses it (run by ljvm.service, or by ljvm-init
# without systemd; the guest is a throwaway snapshot).
#   GUEST   bookworm | trixie | nosystemd (a label)
#   MODE    systemd | plain (no systemd as PID 1)
#   DEB     loginjail_VERSION_ARCH.deb built for this release
#   OLDDEB  an earlier version: installed first, and upgraded to DEB while a
#           sandbox it started runs
# apt-get install ./DEB, pam-auth-update --enable loginjail, the shipped
# example policy, ssh logins into the sandbox, [the upgrade,] then remove
# and purge, and nothing may be left. Every check prints "OK   name" or
# "FAIL name" and what it saw; the last line is "N passed, N failed".
set -u
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive
GUEST=${1:?guest} MODE=${2:?mode} DEB=${3:?deb} OLDDEB=${4:-}
FIRST=${OLDDEB:-$DEB}
T=$(mktemp -d /tmp/ljdeb.XXXXXX)
NPASS=0 NFAIL=0
NSL="mnt uts ipc net pid cgroup user"
STUD=ljd-stud   # in group students: the example policy sandboxes it
FREE=ljd-free   # no policy
KEY=/root/.ssh/ljd_key
SSHO=(-i "$KEY" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
      -o LogLevel=ERROR -o ConnectTimeout=30 -o ServerAliveInterval=15)
TMO=120

saw() { printf '%s\n' "$@" | tr -d '\r' | head -n 25 | cut -c1-240 | sed 's/^/       saw: /'; }
ok() { NPASS=$((NPASS + 1)); echo "OK   $1"; shift; [ $# -gt 0 ] && saw "$@"; return 0; }
bad() { NFAIL=$((NFAIL + 1)); echo "FAIL $1"; shift; if [ $# -gt 0 ]; then saw "$@"; else saw "(nothing)"; fi; return 1; }
check() { local n=$1 st=$2; shift 2; if [ "$st" = 0 ]; then ok "$n" "$@"; else bad "$n" "$@"; fi; }
is() { if [ "$2" = "$3" ]; then ok "$1" "$2"; else bad "$1" "got: $2" "want: $3"; fi; }
like() { if printf '%s\n' "$2" | tr -d '\r' | grep -Eq -- "$3"; then ok "$1" "$2"; else bad "$1" "got: $2" "want (ERE): $3"; fi; }
unlike() { if ! printf '%s\n' "$2" | tr -d '\r' | grep -Eq -- "$3"; then ok "$1" "${2:-(nothing)}"; else bad "$1" "got: $2" "must not match (ERE): $3"; fi; }
section() { echo "--- $1 (uptime $(cut -d" " -f1 /proc/uptime)s)"; }
wait_for() { local end=$((SECONDS + $1)); shift; until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.5; done; }
jssh() { local u=$1; shift; timeout $TMO ssh "${SSHO[@]}" -p 22 "$u@127.0.0.1" "$@" </dev/null 2>&1 7>&-; }
ns_of() { printf '%s\n' "$1" | tr -d '\r' | awk -v n="$2" '$1 == "ns" && $2 == n { print $3 }' | head -n1; }
ns_check() { # NAME OUT differ|same
  local n v wrong= line=
  for n in $NSL; do
    v=$(ns_of "$2" "$n"); line+="$n=${v//[^0-9]/}/${HNS[$n]//[^0-9]/} "
    if [ -z "$v" ]; then wrong+=" $n:missing"
    elif [ "$3" = differ ] && [ "$v" = "${HNS[$n]}" ]; then wrong+=" $n:same-as-host"
    elif [ "$3" = same ] && [ "$v" != "${HNS[$n]}" ]; then wrong+=" $n:differs"; fi
  done
  if [ -z "$wrong" ]; then ok "$1" "inside/host: $line"
  else bad "$1" "inside/host: $line" "wrong:$wrong" "$(printf '%s\n' "$2" | grep -v '^ns ' | head -n 8)"; fi
}
HOLD_PID=
hold_start() { # a login of $STUD that stays open until hold_end
  rm -f "$T/hold.in" "$T/hold.out"; mkfifo "$T/hold.in"
  timeout 900 ssh "${SSHO[@]}" -p 22 "$STUD@127.0.0.1" \
    'ljd-nsdump; echo ready; exec -a ljdhold bash -c "read x; echo bye"' <"$T/hold.in" >"$T/hold.out" 2>&1 &
  HOLD_PID=$!
  exec 7>"$T/hold.in"
  wait_for $TMO sh -c "grep -q '^ready' $T/hold.out || ! kill -0 $HOLD_PID 2>/dev/null"
  grep -q '^ready' "$T/hold.out"; check "$1: a held ssh session of $STUD is up" $? "$(cat "$T/hold.out")"
}
hold_end() { exec 7>&-; wait_for 60 sh -c "! kill -0 $HOLD_PID 2>/dev/null"; kill "$HOLD_PID" 2>/dev/null; wait "$HOLD_PID" 2>/dev/null; HOLD_PID=; }
pam_lines() { grep -rsnE 'pam_loginjail' /etc/pam.d; }
leftovers() { # what of loginjail is still on the system, one line each
  local p
  p=$(ps -eo pid=,user=,args= | grep -E "ljd-stud|loginjail" | grep -v -E 'grep|guest-deb|ljdeb' || true)
  [ -n "$p" ] && echo "process: $p"
  p=$(ps -o pid=,args= -u "$SUID" 2>/dev/null || true); [ -n "$p" ] && echo "process of $STUD: $p"
  [ -e /run/loginjail ] && echo "/run/loginjail: $(ls -A /run/loginjail | tr '\n' ' ')"
  p=$(pam_lines); [ -n "$p" ] && echo "pam.d: $p"
  p=$(find /sys/fs/cgroup -name 'loginjail*' 2>/dev/null | head -n 5); [ -n "$p" ] && echo "cgroup: $p"
  if [ "$MODE" = systemd ]; then
    p=$(systemctl list-units --all --plain --no-legend 'loginjail*' 2>&1); [ -n "$p" ] && echo "unit: $p"
    p=$(grep -lsE '^(MemoryMax|MemorySwapMax|TasksMax|CPUQuota|CPUQuotaPerSecSec|IOWeight)=' \
      "/run/systemd/system.control/user-$SUID.slice.d/"*.conf 2>/dev/null); [ -n "$p" ] && echo "limit drop-in: $p"
  fi
  return 0
}
no_leftovers() { [ -z "$(leftovers)" ]; }

package_checks() { # what this version's package holds
  local out
  out=$(dpkg-query -W -f='${Conffiles}\n' loginjail | awk 'NF {print $1}' | sort | tr '\n' ' ')
  is "conffiles" "$out" "/etc/loginjail/loginjail.conf /etc/loginjail/policy.d/50-example.conf.example "
  out=$(dpkg -L loginjail | grep -E 'man[578]/' | sed 's|.*/||' | sort | tr '\n' ' ')
  is "man pages" "$out" "loginjail-events.7.gz loginjail-helper.8.gz loginjail-shell.8.gz loginjail.conf.5.gz loginjailctl.8.gz pam_loginjail.8.gz "
}

# ================================================================ setup
echo "guest $GUEST: mode=$MODE pid1=$(cat /proc/1/comm) kernel=$(uname -r) deb=$(basename "$FIRST")${OLDDEB:+ then $(basename "$DEB")}"
section setup
declare -A HNS=()
for n in $NSL; do HNS[$n]=$(readlink /proc/1/ns/$n); done
cp "$DEB" "$T/" || { bad "package $DEB is there"; echo "$NPASS passed, $NFAIL failed"; exit 1; }
[ -n "$OLDDEB" ] && cp "$OLDDEB" "$T/"
PAMDIR=$(dpkg -L libpam-modules | sed -n 's,/pam_unix\.so$,,p' | head -n1)
(cd /etc/pam.d && md5sum * >"$T/pam.before")
cat >/usr/local/bin/ljd-nsdump <<'EOS'
#!/bin/bash
for n in mnt uts ipc net pid cgroup user; do echo "ns $n $(readlink /proc/self/ns/$n)"; done
echo "host $(hostname) id $(id -un)"
EOS
chmod 755 /usr/local/bin/ljd-nsdump
groupadd students
useradd -m -s /bin/bash -G students $STUD; useradd -m -s /bin/bash $FREE
SUID=$(id -u $STUD)
mkdir -p /root/.ssh; rm -f $KEY; ssh-keygen -q -t ed25519 -N '' -f $KEY
for u in $STUD $FREE; do
  install -d -m 700 -o "$u" -g "$u" "/home/$u/.ssh"
  install -m 600 -o "$u" -g "$u" $KEY.pub "/home/$u/.ssh/authorized_keys"
done
mkdir -p /run/sshd
wait_for 60 sh -c 'ss -ltn | grep -q ":22 "'; check "sshd listens on 22" $? "$(ss -ltn)"

# ================================================================ install
section install
out=$(cd "$T" && apt-get install -y -q --no-install-recommends "./$(basename "$FIRST")" 2>&1)
check "apt-get install ./$(basename "$FIRST")" $? "$(printf '%s\n' "$out" | tail -n 6)"
is "dpkg: loginjail is installed" "$(dpkg-query -W -f='${Status}' loginjail 2>&1)" "install ok installed"
[ -f "$PAMDIR/pam_loginjail.so" ]; check "the module is in libpam-modules' directory $PAMDIR" $? "$(dpkg -L loginjail | grep pam_loginjail.so)"
is "loginjail-helper: root's, 0755, not setuid" "$(stat -c '%U %a' /usr/libexec/loginjail/loginjail-helper 2>&1)" "root 755"
is "loginjail-shell: root's, 4755 (setuid root)" "$(stat -c '%U %a' /usr/libexec/loginjail/loginjail-shell 2>&1)" "root 4755"
[ -x /usr/libexec/loginjail/loginjail-init ] && [ -x /usr/sbin/loginjailctl ]
check "loginjail-init and loginjailctl are installed" $? "$(dpkg -L loginjail | grep -E 'bin/|libexec/')"
[ -z "$OLDDEB" ] && package_checks
[ -f /usr/share/pam-configs/loginjail ]; check "the pam-auth-update profile is installed" $? "$(ls /usr/share/pam-configs)"
is "installing enables nothing: no pam_loginjail line in /etc/pam.d" "$(pam_lines)" ""

out=$(pam-auth-update --enable loginjail 2>&1); check "pam-auth-update --enable loginjail" $? "$out"
for f in common-session common-session-noninteractive; do
  last=$(grep -E '^[[:space:]]*session[[:space:]]' /etc/pam.d/$f | tail -n 1 | tr -s ' \t' ' ')
  is "$f: the last session line is the module" "$last" "session required pam_loginjail.so "
done
out=$(grep -nE 'pam_(systemd|loginjail)\.so' /etc/pam.d/common-session)
sys=$(printf '%s\n' "$out" | awk -F: '/pam_systemd/ {print $1}'); lj=$(printf '%s\n' "$out" | awk -F: '/pam_loginjail/ {print $1}')
[ -n "$sys" ] && [ -n "$lj" ] && [ "$sys" -lt "$lj" ]; check "common-session: pam_systemd before pam_loginjail" $? "$out"

# ================================================================ a policy, logins
section "policy from the shipped example, logins"
cp /etc/loginjail/policy.d/50-example.conf.example /etc/loginjail/policy.d/50-classroom.conf
out=$(loginjailctl check 2>&1); check "loginjailctl check: the example and the PAM stacks are accepted" $? "$out"
unlike "loginjailctl check reports no error" "$out" "error:"
out=$(loginjailctl explain $STUD 2>&1)
like "loginjailctl explain $STUD: sandboxed by [group:students]" "$out" 'sandbox +yes .*50-classroom\.conf:[0-9]+ \[group:students\]'
out=$(jssh $FREE ljd-nsdump); ns_check "ssh as $FREE (no policy): all seven namespaces are the host's" "$out" same
out=$(jssh $STUD ljd-nsdump); ns_check "ssh as $STUD: all seven namespaces differ from the host's" "$out" differ
like "ssh as $STUD: the example's hostname lab-%u" "$out" "^host lab-$STUD id $STUD"
MNT1=$(ns_of "$out" mnt)
out=$(timeout $TMO su - $STUD -c ljd-nsdump </dev/null 2>&1 7>&-)
ns_check "su - $STUD (common-session): all seven namespaces differ from the host's" "$out" differ
is "su - $STUD joins the sandbox of the ssh login (same mount namespace)" "$(ns_of "$out" mnt)" "$MNT1"
if [ "$MODE" = systemd ]; then
  out=$(jssh $STUD 'systemd-run --user true; echo "rc=$?"')
  unlike "ssh as $STUD: systemd-run --user does not work (no user manager)" "$out" '^rc=0$'
  out=$(jssh $FREE 'systemd-run --user true; echo "rc=$?"')
  like "ssh as $FREE: systemd-run --user works" "$out" '^rc=0$'
fi
out=$(loginjailctl list 2>&1)
like "the example's linger = 300 keeps the sandbox after logout (loginjailctl list)" "$out" "^user-$SUID +$STUD +0 +[0-9]+ "

# ================================================================ upgrade
if [ -n "$OLDDEB" ]; then
  section "upgrade to $(basename "$DEB") while a sandbox runs"
  hold_start "before the upgrade"
  HMNT=$(ns_of "$(cat "$T/hold.out")" mnt)
  is "the held session is in the sandbox the first login made" "$HMNT" "$MNT1"
  out=$(cd "$T" && apt-get install -y -q --no-install-recommends "./$(basename "$DEB")" 2>&1)
  check "apt-get install ./$(basename "$DEB") (upgrade)" $? "$(printf '%s\n' "$out" | tail -n 6)"
  is "dpkg: the new version is installed" "$(dpkg-query -W -f='${Version}' loginjail)" "$(basename "$DEB" | cut -d_ -f2)"
  package_checks
  out=$(grep -E '^[[:space:]]*session[[:space:]]' /etc/pam.d/common-session | tail -n 1 | tr -s ' \t' ' ')
  is "the upgrade keeps the profile enabled" "$out" "session required pam_loginjail.so "
  out=$(loginjailctl list 2>&1)
  like "loginjailctl list (new version) shows the running sandbox and its session" "$out" "^user-$SUID +$STUD +1 +[0-9]+ "
  out=$(jssh $STUD ljd-nsdump)
  is "a login after the upgrade joins the sandbox the old version started" "$(ns_of "$out" mnt)" "$MNT1"
  kill -0 "$HOLD_PID" 2>/dev/null; check "the held session survived the upgrade" $? "$(cat "$T/hold.out")"
  hold_end
fi

# ================================================================ remove
section "remove while a session runs"
hold_start "before the removal"
out=$(apt-get remove -y -q loginjail 2>&1); check "apt-get remove loginjail" $? "$(printf '%s\n' "$out" | tail -n 8)"
like "prerm stopped the sandbox" "$out" "stopped user-$SUID of $STUD"
wait_for 60 sh -c "! kill -0 $HOLD_PID 2>/dev/null"; check "the held session ended with its sandbox" $? "$(cat "$T/hold.out")"
hold_end
wait_for 60 no_leftovers
out=$(leftovers); is "after remove: nothing of loginjail is left (process, /run/loginjail, pam.d line, cgroup, unit, drop-in)" "$out" ""
(cd /etc/pam.d && md5sum * >"$T/pam.after")
out=$(diff "$T/pam.before" "$T/pam.after"); is "after remove: /etc/pam.d is as it was before the install" "$out" ""
[ ! -e "$PAMDIR/pam_loginjail.so" ] && [ ! -e /usr/libexec/loginjail ] && [ ! -e /usr/sbin/loginjailctl ]
check "after remove: module, helper, init and loginjailctl are gone" $? "$(ls -d $PAMDIR/pam_loginjail.so /usr/libexec/loginjail /usr/sbin/loginjailctl 2>&1)"
[ -f /etc/loginjail/loginjail.conf ]; check "after remove: the configuration stays" $? "$(ls -R /etc/loginjail 2>&1)"
out=$(jssh $STUD ljd-nsdump); ns_check "after remove: ssh as $STUD logs in, unsandboxed" "$out" same

section purge
out=$(apt-get purge -y -q loginjail 2>&1); check "apt-get purge loginjail" $? "$(printf '%s\n' "$out" | tail -n 8)"
like "dpkg: loginjail is gone" "$(dpkg-query -W -f='${Status}' loginjail 2>/dev/null)" '^$|not-installed$'
out=$(find / -xdev \( -path /proc -o -path /sys -o -path /src -o -path /ctl -o -path "$T" -o -path /home \) -prune -o \
  -name '*loginjail*' -print 2>&1)
is "after purge: no file named *loginjail* (/etc/loginjail, pam-configs, dpkg's info)" "$out" ""
wait_for 60 no_leftovers
out=$(leftovers); is "after purge: nothing of loginjail is left" "$out" ""
out=$(grep -rs loginjail /var/lib/pam /etc/pam.d 2>&1)
is "after purge: pam-auth-update's state does not name loginjail" "$out" ""

echo "guest $GUEST: $NPASS passed, $NFAIL failed"
echo "$NPASS passed, $NFAIL failed"
[ $NFAIL = 0 ]
