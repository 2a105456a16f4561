#!/bin/bash
# A session whose caller is killed with SIGKILL (close_session never runs)
# leaks nothing: the sshd monitor ("sshd: USER [priv]") of an ssh session,
# and the su process of an su session.
. "$(dirname "$0")/lib.sh"
lj_setup_std
a=ljt-alice
uid=$(lj_uid $a)

# caller_of METHOD: host pid of the PAM caller of the running session
caller_of() {
	local p
	case $1 in
	ssh)
		for p in $(lj_descendants "$LJ_SSHD_PID"); do
			case $(ps -o args= -p "$p") in "sshd: $a [priv]") echo "$p"; return ;; esac
		done
		;;
	su_l_c)
		for p in $(lj_descendants "${LJ_SPID[su_l_c]}"); do
			[ "$(ps -o comm= -p "$p")" = su ] && [ "$(ps -o user= -p "$p")" = root ] &&
				echo "$p" && return
		done
		;;
	esac
}
for m in ssh su_l_c; do
	lj_sess_open "$m" "$m" $a
	lj_sess_send "$m" "(exec -a ljt-orphan sleep 300) </dev/null >/dev/null 2>&1 &" 'echo "LJ up=1"'
	if ! lj_sess_wait "$m" '^LJ up=1$'; then
		lj_fail "$m: login" "$(lj_sess_text "$m")"
		continue
	fi
	c=$(caller_of "$m")
	if [ -z "$c" ]; then
		lj_fail "$m: found the PAM caller on the host" "$(ps -o pid,user,args --forest -g "$(ps -o sid= -p "${LJ_SPID[$m]}")" 2>&1)"
	else
		lj_pass "$m: found the PAM caller on the host (pid $c: $(ps -o args= -p "$c"))"
		kill -KILL "$c"
	fi
	lj_check_gone "$m: caller killed -9" $a 20
	lj_sess_close "$m" 5
done
