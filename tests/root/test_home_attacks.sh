#!/bin/bash
# Attacks through the home directory (SECURITY.md rules 10-11): a home that is
# a symlink (to /etc, /root, another user's home, nowhere), group- or
# world-writable, owned by another user, a file, a FIFO or a device; a home
# whose parent is a symlink, owned by the user, or group-writable and not
# sticky. Each login (su and
# ssh) must be refused with a message, nothing may be chowned or chmodded
# (stat before = after), and no sandbox may be left behind.
# Control: the same user with a sound home logs into the sandbox.
. "$(dirname "$0")/lib.sh"
lj_setup_std
e=ljt-eve
marker=LJ_IN_SESSION

# snap PATH...: owner, group, mode, type, inode of each path (lstat, then stat)
# and whatever under it now belongs to the attacker.
snap() {
	local p
	for p in "$@"; do
		echo "$p: $(stat -c '%U:%G %a %F %i' "$p" 2>&1) -> $(stat -L -c '%U:%G %a %F %i' "$p" 2>&1)"
		[ -d "$p" ] && find "$p"/ -maxdepth 1 \( -user $e -o -group $e \) -printf "  now $e's: %p\n" 2>/dev/null
	done
}

# attack NAME SETUP-COMMAND [EXTRA PATHS TO WATCH...]
attack() {
	local name=$1 setup=$2 before after out rc h=/home/$e
	shift 2
	lj_user_add $e ljt-students
	eval "$setup" || lj_bail "$name: setup ($setup)"
	before=$(snap "$h" "$@")
	out=$(cd / && timeout 30 su - $e -c "echo $marker" 2>&1 </dev/null)
	rc=$?
	[ $rc != 0 ] && ! grep -q $marker <<<"$out"
	lj_result "$name: su - is refused" $? "exit status $rc" "$out"
	lj_like "$name: the user is told why" "$out" "${want:-[Ll]oginjail|sandbox}"
	out=$(lj_ssh $e "echo $marker" 2>&1 </dev/null)
	rc=$?
	[ $rc != 0 ] && ! grep -q $marker <<<"$out"
	lj_result "$name: ssh is refused" $? "exit status $rc" "$out"
	after=$(snap "$h" "$@")
	lj_is "$name: nothing was chowned or chmodded" "$after" "$before"
	lj_check_gone "$name" $e 10
	if [ -n "${post:-}" ]; then eval "$post"; fi
	post= want=
	lj_user_del $e
}

attack "home -> /etc" 'rm -rf /home/$e && ln -s /etc /home/$e' /etc
attack "home -> /root" 'rm -rf /home/$e && ln -s /root /home/$e' /root
attack "home -> another user's home" 'rm -rf /home/$e && ln -s /home/ljt-bob /home/$e' /home/ljt-bob
attack "home -> nowhere (dangling)" 'rm -rf /home/$e && ln -s /nonexistent-ljtest /home/$e'
attack "home group-writable (0775)" 'chmod 0775 /home/$e'
attack "home world-writable (0777)" 'chmod 0777 /home/$e'
attack "home owned by another user" 'chown ljt-bob /home/$e'
attack "home is a regular file" 'rm -rf /home/$e && echo x >/home/$e && chown $e /home/$e'
attack "home is a FIFO" 'rm -rf /home/$e && mkfifo /home/$e && chown $e /home/$e'
want='is not a directory'
attack "home is a device" 'rm -rf /home/$e && mknod -m 0600 /home/$e c 1 3 && chown $e /home/$e'
# movehome PARENT: the home becomes PARENT/$e (passwd too); post undoes it.
movehome() {
	mv /home/$e "$1/" && usermod -d "$1/$e" $e &&
		post="usermod -d /home/$e $e; rm -rf --one-file-system /var/tmp/ljt-real-$e /var/tmp/ljt-lnk-$e /home/ljt-par-$e"
}
want='/var/tmp/ljt-lnk-ljt-eve is a symbolic link in the path of home'
attack "home's parent is a symlink" \
	'install -d -m 0755 /var/tmp/ljt-real-$e && ln -s /var/tmp/ljt-real-$e /var/tmp/ljt-lnk-$e &&
	 mv /home/$e /var/tmp/ljt-real-$e/ && usermod -d /var/tmp/ljt-lnk-$e/$e $e &&
	 post="usermod -d /home/$e $e; rm -rf --one-file-system /var/tmp/ljt-real-$e /var/tmp/ljt-lnk-$e"' \
	/var/tmp/ljt-real-$e/$e
want='parent directory of home /home/ljt-par-ljt-eve/ljt-eve: /home/ljt-par-ljt-eve is owned by uid [0-9]+'
attack "home's parent is owned by the user" \
	'install -d -m 0755 -o $e /home/ljt-par-$e && movehome /home/ljt-par-$e' /home/ljt-par-$e
want='parent directory of home /home/ljt-par-ljt-eve/ljt-eve: /home/ljt-par-ljt-eve is writable by its group or others'
attack "home's parent is group-writable, not sticky" \
	'install -d -m 0775 -g ljt-students /home/ljt-par-$e && movehome /home/ljt-par-$e' /home/ljt-par-$e

lj_user_add $e ljt-students
out=$(cd / && timeout 30 su - $e -c 'echo "$(hostname) $(ls -A /home)"' 2>&1 </dev/null)
lj_is "control: with a sound home $e logs into the sandbox" "$out" "jail-$e $e"
lj_check_gone "control" $e
