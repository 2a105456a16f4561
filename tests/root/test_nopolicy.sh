#!/bin/bash
# A user no policy sandboxes logs in normally (the module answers PAM_IGNORE):
# the session runs in the host's namespaces, and nothing of loginjail is made
# for that user. Through ssh and through su.
. "$(dirname "$0")/lib.sh"
lj_setup_std
u=ljt-free
uid=$(lj_uid $u)
for m in ssh su_l_c; do
	lj_sess_open "$m" "$m" $u
	if lj_sess_probe "$m" "$m"; then
		lj_pass "$m: $u logs in"
		lj_check_not_sandboxed "$m" $u
		x="$(lj_cgroup_dirs "$uid") $(lj_state_entries $u "$uid")"
		lj_is "$m: no cgroup and no state were made for $u" "$x" " "
	else
		lj_fail "$m: $u logs in" "$(lj_sess_text "$m")"
	fi
	lj_sess_close "$m"
	lj_is "$m: the session ends cleanly" $? 0
done
