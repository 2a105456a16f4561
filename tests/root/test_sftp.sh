#!/bin/bash
# sftp through sftp-server (Subsystem) and through internal-sftp (served by
# sshd itself: ForceCommand on the second port) shows only the jail: ls / has
# no root, var or srv; /home has only the user's home; put and get work in it.
. "$(dirname "$0")/lib.sh"
lj_setup_std

lj_sftp() { # lj_sftp USER PORT < batch: output of the batch
	timeout 60 sftp -q $(lj_ssh_opts "$1") -P "$2" -b - "$1@127.0.0.1" 2>&1
}
# names() < listing: basenames of an "ls -1" in sftp output, one line
names() { grep -v '^sftp>' | sed 's|.*/||' | sort | tr '\n' ' ' | sed 's/ *$//'; }

head -c 100000 /dev/urandom >"$T/up.bin"
sum_up=$(sha256sum <"$T/up.bin")
a=ljt-alice
for kind in sftp-server internal-sftp; do
	port=$LJ_SSH_PORT
	[ $kind = internal-sftp ] && port=$LJ_SFTP_PORT
	root=$(echo 'ls -1 /' | lj_sftp $a "$port" | names)
	lj_unlike "$kind: ls / shows no root, srv, boot (only the jail)" "$root" \
		'(^| )(root|srv|boot|opt|work)( |$)'
	vars=$(echo 'ls -1 /var' | lj_sftp $a "$port" | names)
	lj_is "$kind: /var is the jail's own: package databases, links, its tmp" "$vars" "lib lock log run tmp"
	lj_like "$kind: ls / shows the jail's usr, etc, home" " $root " ' etc .*home .*usr '
	homes=$(echo 'ls -1 /home' | lj_sftp $a "$port" | names)
	lj_is "$kind: /home holds only the user's home" "$homes" "$a"
	rm -f "/home/$a/up.$kind" "$T/down.$kind"
	printf "put %s up.%s\nget up.%s %s\n" "$T/up.bin" $kind $kind "$T/down.$kind" | lj_sftp $a "$port" >"$T/sftp.$kind.out"
	lj_is "$kind: put then get in the home" \
		"$(sha256sum <"/home/$a/up.$kind" 2>&1) / $(sha256sum <"$T/down.$kind" 2>&1)" \
		"$sum_up / $sum_up"
	lj_check_gone "$kind" $a
	root=$(echo 'ls -1 /' | lj_sftp ljt-free "$port" | names)
	lj_like "$kind: control: without policy ls / shows the host's root, var, srv" " $root " \
		' root .*srv .*var '
done
