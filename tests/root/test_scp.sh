#!/bin/bash
# scp (SFTP protocol, the default) and scp -O (legacy protocol) run in the
# sandbox: files go to and come from the home; a host file outside the jail
# cannot be fetched, though the same fetch works for a user without policy.
. "$(dirname "$0")/lib.sh"
lj_setup_std

marker=/var/tmp/ljtest-host-only.$$
echo HOST-ONLY >"$marker"
chmod 0644 "$marker"
LJ_CLEANUP_HOOK="rm -f $marker"
head -c 200000 /dev/urandom >"$T/up.bin"
sum_up=$(sha256sum <"$T/up.bin")

lj_scp() { # lj_scp USER [-O] SRC DST
	local u=$1
	shift
	timeout 60 scp -q $(lj_ssh_opts "$u") -P "$LJ_SSH_PORT" "$@"
}
a=ljt-alice
for mode in sftp legacy; do
	opt=
	[ $mode = legacy ] && opt=-O
	rm -f "/home/$a/up.$mode" "$T/down.$mode" "$T/marker.$mode"
	out=$(lj_scp $a $opt "$T/up.bin" "$a@127.0.0.1:up.$mode" 2>&1)
	lj_is "scp ($mode): upload into the home" \
		"$(sha256sum <"/home/$a/up.$mode" 2>&1) $out" "$sum_up "
	lj_is "scp ($mode): the uploaded file belongs to the user" \
		"$(stat -c %U "/home/$a/up.$mode" 2>&1)" "$a"
	out=$(lj_scp $a $opt "$a@127.0.0.1:up.$mode" "$T/down.$mode" 2>&1)
	lj_is "scp ($mode): download from the home" \
		"$(sha256sum <"$T/down.$mode" 2>&1) $out" "$sum_up "
	out=$(lj_scp $a $opt "$a@127.0.0.1:$marker" "$T/marker.$mode" 2>&1)
	rc=$?
	[ $rc != 0 ] && [ ! -s "$T/marker.$mode" ]
	lj_result "scp ($mode): a host file outside the jail cannot be fetched" $? \
		"scp exit status $rc" "$out" "fetched: $(cat "$T/marker.$mode" 2>&1)"
	rm -f "$T/marker.$mode"
	out=$(lj_scp ljt-free $opt "ljt-free@127.0.0.1:$marker" "$T/marker.$mode" 2>&1)
	lj_is "scp ($mode): control: the same fetch works without policy" \
		"$(cat "$T/marker.$mode" 2>&1) $out" "HOST-ONLY "
	lj_check_gone "scp ($mode)" $a
done
