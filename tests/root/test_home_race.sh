#!/bin/bash
# The home renamed while the helper is held between its check of the home and
# the mount of it (SECURITY.md rule 10, "Home: renamed while the helper is
# stopped"): the helper is started stopped, strace holds its first
# open_tree(2) (the clone of the checked home) for 3 s, and meanwhile the
# home is moved away and replaced by a symlink to /etc. The login must be
# refused, or see the home that was checked; never /etc. Then nothing of the
# sandbox remains.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_policy_default
a=ljt-alice
h=/home/$a
lj_scratch homerace
printf '#!/bin/sh\nkill -STOP $$\nexec %s "$@"\n' "$LJ_HELPER" >"$W/helper"
chmod 0755 "$W/helper"
echo checked-home >"$h/.ljt-orig" && chown $a: "$h/.ljt-orig"
lj_module_opt su helper "$W/helper"
LJ_CLEANUP_HOOK="eval [ -L $h ] && rm -f $h && mv $h.moved $h"

(cd / && exec su - $a -c 'echo "LJ orig=$(cat ~/.ljt-orig 2>&1)"; echo "LJ passwd=$(ls ~/passwd 2>&1)"; echo "LJ host=$(hostname)"' \
	>"$T/out" 2>&1) &
su_pid=$!
stopped() { pgrep -f "^/bin/sh $W/helper open --user $a( |$)"; }
lj_wait_for 5 eval '[ -n "$(stopped)" ]' || lj_bail "the helper did not start" "$(cat "$T/out")"
hp=$(stopped)
strace -qq -p "$hp" -o "$W/strace.out" -e trace=open_tree \
	-e inject=open_tree:delay_enter=3000000:when=1 &
st_pid=$!
sleep 0.5
kill -CONT "$hp"
sleep 1.5
mv "$h" "$h.moved" && ln -s /etc "$h"
wait "$su_pid"
kill "$st_pid" 2>/dev/null
wait "$st_pid" 2>/dev/null
lj_like "the helper was held 3 s in its first open_tree (the home swapped meanwhile)" \
	"$(cat "$W/strace.out" 2>&1)" '^open_tree\(.*DELAYED'
rm -f "$h" && mv "$h.moved" "$h"
out=$(cat "$T/out")
lj_note "the login gave: $(tr '\n' ' ' <<<"$out")"
lj_unlike "the session's home is never /etc" "$out" 'LJ passwd=[^ ]*passwd$'
if grep -q '^LJ host=' <<<"$out"; then
	lj_like "the login that ran saw the home that was checked" "$out" '^LJ orig=checked-home$'
	lj_like "the login that ran is in the sandbox" "$out" "^LJ host=jail-$a$"
else
	lj_like "the login that did not run was refused" "$out" 'refused'
fi
lj_check_gone "after the swapped home" "$a"
