#!/bin/bash
# holders.sh UID "MAJ:MIN" "DEV:INO": what of UID's processes holds the
# terminal with that rdev and inode (stat -L): a descriptor of it, or it as
# the controlling terminal ("tty_nr" of /proc/PID/stat); one line each,
# nothing when none does. Run by root, on the host (test_su_tty.sh,
# test_su_user.sh).
uid=$1 rdev=$2 id=$3
for p in $(ps -o pid= -u "$uid" -U "$uid"); do
	for f in /proc/$p/fd/*; do
		[ "$(stat -L -c '%t:%T %d:%i' "$f" 2>/dev/null)" = "$rdev $id" ] &&
			echo "pid $p ($(ps -o args= -p "$p")) holds $f -> $(readlink "$f")"
	done
	nr=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $5 }')
	[ -n "$nr" ] && [ "$nr" != 0 ] &&
		[ "$(printf '%x:%x' $((nr >> 8 & 0xfff)) $(((nr & 0xff) | (nr >> 12 & 0xfff00))))" = "$rdev" ] &&
		echo "pid $p ($(ps -o args= -p "$p")) has it as its controlling terminal"
done
exit 0
