#!/bin/bash
# The helper checks its own installed mode on entry (SECURITY.md rule 1):
# even run by root, a copy that is setuid, setgid, group- or world-writable,
# or not root's refuses to run (exit 100) and says so. Control: the helper as
# built (root's, 0755) gets past that check, to its check of fd 3.
. "$(dirname "$0")/lib.sh"
lj_scratch helpermode

# try LABEL MODE [OWNER]: a copy of the helper with MODE, run by root
try() {
	local f=$W/helper-$2
	cp "$LJ_HELPER" "$f" && chown "${3:-root}" "$f" && chmod "$2" "$f" || lj_bail "copy with mode $2"
	out=$("$f" open --user ljt-nobody 2>&1 3</dev/null)
	lj_is "$1 (mode $2${3:+, owner $3}): refused even for root (exit 100)" "$?" 100
	lj_like "$1: it says its mode is wrong" "$out" "must be root's and mode 0755"
}
try "setuid copy" 4755
try "setgid copy" 2755
try "group-writable copy" 0775
try "world-writable copy" 0757
try "copy owned by another user" 0755 nobody

out=$("$LJ_HELPER" open --user ljt-nobody 2>&1 3</dev/null)
lj_like "control: the helper as built passes its mode check (then wants the socket)" "$out" \
	"fd 3 must be the socket"
lj_unlike "control: no complaint about its mode" "$out" "mode 0755"
