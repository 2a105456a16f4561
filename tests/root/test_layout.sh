#!/bin/bash
# The jail's everyday places (loginjail.conf(5), FILESYSTEM): a /run of its
# own with the user's runtime directory (0700, XDG_RUNTIME_DIR) and private
# counterparts of the host's shared /run directories (/run/lock...); a /var
# of its own with a private /var/tmp (the host's with tmp = shared) and the
# package databases read-only (dpkg -l, apt list); an /etc/hosts that names
# the sandbox; /dev/log reaching the host's logger (here a listener of the
# test's own at /dev/log), and none with syslog = no. Nothing written inside
# reaches the host's /var/tmp or /run, or another user's sandbox.
. "$(dirname "$0")/lib.sh"
lj_devlog_setup
lj_setup_std
a=ljt-alice b=ljt-bob
ua=$(lj_uid $a)
lj_policy_default
lj_policy 50-layout.conf <<EOF2
[user:$b]
syslog = no
tmp = shared
EOF2

# What the host's /run has that every user may write: each is private inside.
shared=$(find /run -mindepth 1 -maxdepth 1 -type d -user root -perm 1777 -printf '%f\n' | sort)
lj_like "control: the host's /run has a shared directory (/run/lock)" "$shared" '^lock$'
want_run=$(printf '%s\n' $shared user utmp wtmp | sort | tr '\n' ' ')
host_hosts=$(md5sum </etc/hosts)
mark=ljt-layout-$$
echo "$mark" >"/var/tmp/$mark-host"
chmod 0644 "/var/tmp/$mark-host"

# A session of alice's holds her sandbox while the checks run in it.
lj_sess_open s ssh $a
lj_sess_send s 'echo "LJ ready=$(hostname)"'
lj_sess_wait s '^LJ ready=' || lj_bail "ssh $a" "$(lj_sess_text s)"
cat >"$T/inside.sh" <<'EOF2'
set -u
o() { printf 'LJ %s=%s\n' "$1" "$2"; }
# (loginjail-san: what the sanitizer build's runtime makes for its reports)
o run "$(ls -A /run | grep -vx loginjail-san | tr '\n' ' ')"
o run_user "$(ls -A /run/user | tr '\n' ' ')"
o xdg "$XDG_RUNTIME_DIR"
o runtime "$(stat -c '%U %a' "$XDG_RUNTIME_DIR")"
o runtime_opts "$(awk -v d="$XDG_RUNTIME_DIR" '$5 == d { print $6 }' /proc/self/mountinfo)"
(: >"$XDG_RUNTIME_DIR/socket-here") 2>/dev/null && o runtime_write ok
(: >/run/ljt-x) 2>/dev/null && o run_write yes
for d in $SHARED; do
	o shared "$d $(stat -c %a /run/$d)"
	(: >"/run/$d/$MARK-alice") 2>/dev/null && o shared_write "$d"
done
o varlock "$(readlink /var/lock)"
o varrun "$(readlink /var/run)"
echo alice >"/var/tmp/$MARK-alice" && o vartmp_write ok
o vartmp_host "$(cat "/var/tmp/$MARK-host" 2>&1)"
o vartmp_mode "$(stat -c %a /var/tmp)"
(: >/var/lib/dpkg/ljt-x) 2>/dev/null && o dpkg_write yes
o dpkg "$(dpkg -l openssh-client 2>&1 | awk '$1 == "ii" { print $2 }')"
o apt "$(apt list --installed openssh-client 2>/dev/null | grep -o '^openssh-client/.*installed')"
o var "$(ls -A /var | tr '\n' ' ')"
o varlib "$(ls -A /var/lib | tr '\n' ' ')"
o hosts1 "$(grep -v '^#' /etc/hosts | head -n 1 | tr '\t' ' ')"
o getent "$(getent hosts "$(hostname)" | tr -s ' \t' ' ')"
o localhost "$(getent hosts localhost | tr -s ' \t' ' ')"
o fqdn "$(hostname -f 2>&1)"
(echo x >>/etc/hosts) 2>/dev/null && o hosts_write yes
o devlog "$(stat -c %F /dev/log 2>&1)"
o devlog_opts "$(awk '$5 == "/dev/log" { print $6 }' /proc/self/mountinfo)"
logger -t ljtest "$MARK from alice" && o logger ok
EOF2
chmod 0644 "$T/inside.sh"
lj_sess_send s "SHARED='$(echo $shared)' MARK=$mark bash -s <<'LJEOF'" "$(cat "$T/inside.sh")" "LJEOF" 'echo "LJ done=1"'
lj_sess_wait s '^LJ done=1$' || lj_fail "the checks ran in alice's session" "$(lj_sess_text s | tail -n 20)"
v() { lj_sess_text s | sed -n "s/^LJ $1=//p" | head -n 1; }

lj_is "/run holds the login records, user/ and the shared directories" "$(v run)" "$want_run"
lj_is "/run/user holds the user's directory only" "$(v run_user)" "$ua "
lj_is "XDG_RUNTIME_DIR is /run/user/UID" "$(v xdg)" "/run/user/$ua"
lj_is "the runtime directory is the user's, 0700" "$(v runtime)" "$a 700"
lj_like "the runtime directory is nosuid,nodev" "$(v runtime_opts)" '^rw,nosuid,nodev'
lj_is "the user writes in the runtime directory" "$(v runtime_write)" ok
lj_is "the user writes nothing in /run itself" "$(v run_write)" ""
n=0
for d in $shared; do
	n=$((n + 1))
	lj_like "/run/$d is there, 1777" "$(lj_sess_text s | sed -n 's/^LJ shared=//p')" "^$d 1777\$"
	lj_like "the user writes in /run/$d" "$(lj_sess_text s | sed -n 's/^LJ shared_write=//p')" "^$d\$"
	[ ! -e "/run/$d/$mark-alice" ]
	lj_result "what she wrote in /run/$d is not in the host's" $? "$(ls -l "/run/$d/$mark-alice" 2>&1)"
done
lj_is "/var/lock and /var/run lead into /run" "$(v varlock) $(v varrun)" "/run/lock /run"
lj_is "/var holds the package databases, links, wtmp's link and tmp" "$(v var)" "lib lock log run tmp "
lj_is "/var/lib holds the package databases only" "$(v varlib)" "apt dpkg "
lj_is "the user writes in /var/tmp, 1777" "$(v vartmp_write) $(v vartmp_mode)" "ok 1777"
lj_like "tmp = private: the host's /var/tmp is not there" "$(v vartmp_host)" 'No such file'
[ ! -e "/var/tmp/$mark-alice" ]
lj_result "what she wrote in /var/tmp is not in the host's" $? "$(ls -l "/var/tmp/$mark-alice" 2>&1)"
lj_is "the package databases are read-only" "$(v dpkg_write)" ""
lj_is "dpkg -l lists an installed package" "$(v dpkg)" openssh-client
lj_like "apt list --installed lists it" "$(v apt)" '^openssh-client/.*installed'
lj_is "/etc/hosts names the sandbox first" "$(v hosts1)" "127.0.1.1 jail-$a"
lj_is "the sandbox's name resolves" "$(v getent)" "127.0.1.1 jail-$a"
lj_like "the host's entries still apply (localhost)" "$(v localhost)" '^(127\.0\.0\.1|::1) localhost'
lj_is "hostname -f" "$(v fqdn)" "jail-$a"
lj_is "/etc/hosts is read-only" "$(v hosts_write)" ""
lj_is "the host's /etc/hosts is unchanged" "$(md5sum </etc/hosts)" "$host_hosts"
lj_is "/dev/log is a socket" "$(v devlog)" socket
lj_like "/dev/log is a read-only mount (the host's socket cannot be chmodded)" "$(v devlog_opts)" '^ro,nosuid,nodev,noexec'

lj_is "logger succeeds" "$(v logger)" ok
got_log() { grep -q "$mark from alice" "$LJ_DEVLOG_CREDS"; }
lj_wait_for 5 got_log
lj_like "the line reached the host's log, sent by the user" \
	"$(grep "$mark from alice" "$LJ_DEVLOG_CREDS")" "^uid=$ua pid=[0-9]+ .*ljtest: $mark from alice"

# A second login joins: the same runtime directory and /var/tmp.
out=$(lj_ssh $a "ls \$XDG_RUNTIME_DIR; cat /var/tmp/$mark-alice" 2>&1)
lj_is "a second login sees the same runtime directory and /var/tmp" "$out" "socket-here"$'\n'"alice"

# bob: syslog = no, tmp = shared.
out=$(lj_ssh $b "ls -l /dev/log 2>&1; cat /var/tmp/$mark-host; cat /var/tmp/$mark-alice 2>&1; echo XDG=\$XDG_RUNTIME_DIR" 2>&1)
lj_like "syslog = no: no /dev/log" "$out" "cannot access '/dev/log': No such file"
lj_like "tmp = shared: /var/tmp is the host's" "$out" "^$mark\$"
lj_like "and alice's /var/tmp is not in it" "$out" "$mark-alice: No such file"
lj_like "bob's own runtime directory" "$out" "^XDG=/run/user/$(lj_uid $b)\$"

lj_sess_close s
lj_check_gone "logout" $a
lj_check_gone "logout" $b
rm -f "/var/tmp/$mark-host"

