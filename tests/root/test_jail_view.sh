#!/bin/bash
# The jail's mounts seen from inside, and the sandbox seen from the host by
# its user (SECURITY.md rules 5, 13-15, 17, 20, 23), on a host whose / is
# rshared. Inside: / is a read-only tmpfs, every mount is nosuid and all but
# /dev's nodes and devpts are nodev (/dev's tmpfs too), none propagates (no shared: peer group), a ro_bind's
# submount is read-only too, /proc is a proc, /dev/pts a devpts of its own
# with ptmxmode=666, no cgroup filesystem, and the only writable places are
# the home, /tmp, /var/tmp, the runtime directory /run/user/UID, the private
# counterparts of the host's shared /run directories (/run/lock...), /proc
# and /dev's (root's tmpfs, the nodes, shm, pts) (rule 17); an orphan that
# exits is reaped by the sandbox's init. From the host, the user can neither
# setns into the sandbox's namespaces nor ptrace its init, the user
# namespace is root's (uid 0 is mapped only in a namespace root owns), and
# every file of the user's cgroups is root's: the user cannot write a limit
# or move a process through cgroup.procs.
LJ_PROPAGATION=shared
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
a=ljt-alice
uid=$(lj_uid $a) gid=$(id -g $a)
lj_scratch_root jailview
mkdir -p "$W/ro/sub" && mount -t tmpfs -o size=1m ljt-sub "$W/ro/sub" || lj_bail "tmpfs on $W/ro/sub"
chmod 0755 "$W/ro/sub"
LJ_CLEANUP_HOOK="umount -l $W/ro/sub"
lj_policy_default
lj_policy 50-ro.conf <<EOF2
[user:$a]
ro_bind = $W/ro
EOF2
touch "$W/ro/sub/host-wrote" 2>/dev/null
lj_is "control: the submount is writable on the host" "$?" 0

lj_sess_open s su_l "$a"
lj_sess_send s 'echo "LJ ready=$(hostname)"'
lj_sess_wait s '^LJ ready=' || lj_bail "su - $a" "$(lj_sess_text s)"
lj_sess_send s "while read -r l; do echo \"LJ mi=\$l\"; done </proc/self/mountinfo
for p in $W/ro/sub $W/ro / /usr /etc /var /run /run/utmp /run/wtmp; do [ -d \"\$p\" ] && f=\$p/.ljt-w || f=\$p; (: >>\"\$f\") 2>/dev/null && echo \"LJ wrote=\$p\"; done
echo \"LJ run=\$(stat -c '%u %a' /run)\"
(sleep 0.2 &); sleep 1; echo \"LJ zombies=\$(ps -e -o stat= | grep -c '^Z')\"" 'echo "LJ done=1"'
lj_sess_wait s '^LJ done=1$' || lj_fail "session commands" "$(lj_sess_text s | tail -n 20)"
mi=$(lj_sess_text s | sed -n 's/^LJ mi=//p')
# mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS
fields() { awk '{ for (i = 7; $i != "-"; i++) o = o " " $i; print $5, $6, $(i + 1), o; o = "" }' <<<"$mi"; }

lj_like "/ is a read-only tmpfs" "$(fields | awk '$1 == "/"')" '^/ ro,[^ ]* tmpfs'
x=$(fields | awk '$2 !~ /(^|,)nosuid(,|$)/')
lj_is "every mount is nosuid" "$x" ""
x=$(fields | awk '$2 !~ /(^|,)nodev(,|$)/ && $1 !~ "^/dev/(null|zero|full|random|urandom|tty|pts)$"')
lj_is "every mount but /dev's nodes and /dev/pts is nodev (/dev itself too)" "$x" ""
x=$(fields | grep 'shared:')
lj_is "no mount is in a shared peer group (nothing propagates)" "$x" ""
lj_like "$W/ro/sub (a submount of a ro_bind) is there, read-only" \
	"$(fields | awk -v p="$W/ro/sub" '$1 == p')" '^[^ ]+ ro,'
lj_is "writes inside: none in the ro_bind, its submount, /, /usr, /etc, /var, /run, its login records" \
	"$(lj_sess_text s | sed -n 's/^LJ wrote=//p')" ""
shared=$(find /run -mindepth 1 -maxdepth 1 -type d -user root -perm 1777 -printf '%f\n' | paste -sd '|')
x=$(fields | awk '$2 ~ /^rw/ { print $1 }' |
	grep -vE "^(/home/$a|/tmp|/var/tmp|/run|/run/user/$uid|/run/(${shared:-none})|/proc|/dev|/dev/(shm|pts|null|zero|full|random|urandom|tty))$")
lj_is "the only writable mounts are the home, /tmp, /var/tmp, /run (root's), its user's and shared directories, /proc and /dev's" "$x" ""
lj_is "/run is root's, 0755: the user writes nothing there" \
	"$(lj_sess_text s | sed -n 's/^LJ run=//p')" "0 755"
lj_like "/proc is a fresh proc" "$(fields | awk '$1 == "/proc"')" '^/proc [^ ]* proc'
host_pts=$(awk '$5 == "/dev/pts" { print $3 }' /proc/self/mountinfo | head -n 1)
pts=$(awk '$5 == "/dev/pts"' <<<"$mi")
lj_like "/dev/pts is a devpts with ptmxmode=666" "$pts" ' - devpts .*ptmxmode=666'
[ -n "$pts" ] && [ "$(awk '{ print $3 }' <<<"$pts")" != "$host_pts" ]
lj_result "/dev/pts is a new devpts instance (not the host's $host_pts)" $? "$pts"
lj_is "no cgroup filesystem is mounted inside" "$(fields | awk '$3 ~ /^cgroup/')" ""
lj_is "an exited orphan is reaped (no zombie in the sandbox)" \
	"$(lj_sess_text s | sed -n 's/^LJ zombies=//p')" 0

# From the host, as the user. The init runs in the host's user namespace
# (it made the others from there, so they are owned by the initial one); the
# session's processes are in the sandbox's user namespace.
init=$(pgrep -f "^loginjail-init user-$uid( |$)" | head -n 1)
sp=$(pgrep -u "$uid" -x bash | head -n 1)
[ -n "$init" ] && [ -n "$sp" ] || lj_bail "the sandbox's init and shell" "$(pgrep -af loginjail-init)" "$(ps -fu "$uid")"
asuser() { setpriv --reuid="$uid" --regid="$gid" --init-groups "$@"; }
for o in "-U" "-m" "-p" "-n" "-U -m"; do
	out=$(asuser nsenter -t "$sp" $o true 2>&1)
	lj_unlike "the user cannot setns into the sandbox of its session (nsenter $o)" "$?" '^0$'
done
out=$(asuser python3 -c 'import ctypes, sys; l = ctypes.CDLL(None, use_errno=True)
print("ptrace=%d errno=%d" % (l.ptrace(16, int(sys.argv[1]), 0, 0), ctypes.get_errno()))' "$init" 2>&1)
lj_like "the user cannot ptrace the sandbox's init from the host" "$out" '^ptrace=-1 errno=[1-9]'
out=$(python3 -c 'import fcntl, os, struct, sys
fd = os.open("/proc/%s/ns/user" % sys.argv[1], os.O_RDONLY)
print(struct.unpack("I", fcntl.ioctl(fd, 0xb704, b"\0" * 4))[0])' "$sp" 2>&1)
lj_is "the session's user namespace is owned by root" "$out" 0
lj_unlike "the session's user namespace is not the host's" "$(readlink /proc/$sp/ns/user)" \
	"^$(readlink /proc/$init/ns/user)\$"
lj_is "its uid_map: root and the user only" "$(awk '{ print $1, $2, $3 }' /proc/$sp/uid_map | tr '\n' ';')" \
	"0 0 1;$uid $uid 1;"
x=$(find $(lj_cgroup_dirs "$uid") ! -user root 2>&1)
lj_is "every file of the user's cgroups is root's" "$x" ""
d=$(lj_cgroup_dirs "$uid" | grep /pids/ | head -n 1)
if [ -n "$d" ]; then
	for f in "$d/pids.max" "$d/cgroup.procs" "${d%/*}/cgroup.procs" "/sys/fs/cgroup/pids/cgroup.procs"; do
		out=$(asuser sh -c "echo \$\$ >'$f'" 2>&1)
		lj_unlike "the user cannot write ${f#/sys/fs/cgroup/}" "$?" '^0$'
	done
else
	lj_fail "the user's pids cgroup" "$(lj_cgroup_dirs "$uid")"
fi
lj_sess_close s
lj_check_gone "logged out" "$a"
