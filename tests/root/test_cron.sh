#!/bin/bash
# cron and at jobs of a sandboxed user run in the user's sandbox: Debian's
# cron and atd, as daemons of this test's own, open a PAM session for each job
# (services cron and atd, the module last in the test's copies), and the job
# runs where the session put it.
# - A job of ljt-alice while her ssh session runs: it joins that sandbox (the
#   seven namespaces are the session's), the battery from inside, every
#   process of hers in her cgroup.
# - A job of ljt-bob with no session: the job makes his sandbox, and after
#   the job nothing of it remains (linger 0).
# - A job of ljt-free (no policy): on the host.
# - A job of ljt-cronbad (a broken policy section names him): it does not
#   run, and the daemon logs the failed session.
# The same for cron (@reboot jobs: Debian's cron runs them when it starts and
# /run/crond.reboot is missing, no wait for the minute) and for at (`at now`,
# queued while atd runs: at signals atd through /run/atd.pid).
#
# The machine's spools, crontabs and PAM files are never touched: the spool
# directories are the test's own, bound over /var/spool/cron/{crontabs,
# atjobs,atspool} in its mount namespace, and so are empty /etc/crontab and
# /etc/cron.d (no system job runs). Each daemon runs in a mount namespace of
# its own with a tmpfs over /run (the host's entries bound back), where its
# pid file and /run/crond.reboot stay. Syslog is the test's own (cron logs
# there, so do the module and the helper).
. "$(dirname "$0")/lib.sh"

a=ljt-alice b=ljt-bob f=ljt-free x=ljt-cronbad
lj_devlog_setup
lj_setup_std
lj_user_add $x ljt-students
lj_policy 60-broken.conf <<EOF
[user:$x]
memory_max = lots
EOF

# The test's spools, bound over the machine's in this mount namespace only,
# with the owners and modes Debian gives them.
spool=/var/spool/cron
lj_scratch spool
for d in crontabs:root:crontab:1730 atjobs:daemon:daemon:1770 atspool:daemon:daemon:1770; do
	IFS=: read -r n o g m <<<"$d"
	install -d -o "$o" -g "$g" -m "$m" "$W/$n" && mount --bind "$W/$n" "$spool/$n" ||
		lj_bail "the test's $spool/$n"
done
# at's job counter, as the package makes it (at does not create it).
echo 0 >"$W/atjobs/.SEQ" && chown daemon:daemon "$W/atjobs/.SEQ" && chmod 0600 "$W/atjobs/.SEQ" ||
	lj_bail "$spool/atjobs/.SEQ"
lj_scratch etc
install -d -m 0755 "$W/cron.d" && : >"$W/crontab" &&
	mount --bind "$W/cron.d" /etc/cron.d && mount --bind "$W/crontab" /etc/crontab ||
	lj_bail "an empty /etc/cron.d and /etc/crontab"

# daemon NAME CMD...: CMD (a daemon that stays in the foreground) as
# lj_daemon NAME, in a mount namespace of its own whose /run is a tmpfs with
# the host's entries bound back. Its pid in DPID.
daemon() {
	local name=$1 run
	shift
	lj_scratch "$name-run"
	run=$W
	lj_daemon "$name" unshare -m --propagation private -- \
		bash -c "$(declare -f lj_tmpfs_over)"'; lj_tmpfs_over /run "$0" || exit 111; exec "$@"' \
		"$run" "$@"
	DPID=${LJ_DAEMON[$name]}
	# Its command line as it is once it runs, for the next run's stale
	# cleanup (lj_stale_cleanup compares it before the kill).
	DEXE=$(command -v "$1")
	lj_wait_for 10 eval '[ "$(readlink /proc/$DPID/exe)" = "$DEXE" ]' ||
		lj_bail "$name started" "$(cat "$T/$name.log")"
	printf '%s\n%s\n' "$DPID" "$*" >"$T/daemon.$name"
}

# The job: the probe into the home, then it waits (up to 60 s) for the test
# to look at it from the host and remove ~/.ljt-hold.
job() { # job TAG
	echo "bash \$HOME/.ljt-probe.sh $1 >\$HOME/.ljt-$1.out 2>&1; i=0; while [ -e \$HOME/.ljt-hold ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i+1)); done"
}
job_ran() { # job_ran USER TAG: its probe's facts in LJP (none: LJP empty)
	LJP=()
	[ -f "/home/$1/.ljt-$2.out" ] && lj_probe_load "/home/$1/.ljt-$2.out" "$2"
}

# jobs_check D: the jobs that daemon D started (their probes, tag D): each
# where it belongs, then released; ljt-bob's sandbox goes with his job.
jobs_check() {
	local d=$1 n same= pids
	for u in $a $b $f; do
		lj_wait_for 30 job_ran $u $d ||
			lj_fail "$d: the job of $u ran and its probe finished" \
				"$(cat /home/$u/.ljt-$d.out 2>&1 | head -n 5)" "$d log:" "$(tail -n 20 "$T/$d.log")" \
				"syslog:" "$(lj_devlog_text | tail -n 20)"
	done
	job_ran $a $d && lj_pass "$d: the job of $a ran and its probe finished"
	lj_check_sandboxed "$d job of $a" $a
	dmnt=$(readlink /proc/$DPID/ns/mnt)
	[ "${LJP[ns_mnt]}" != "$dmnt" ]
	lj_result "$d job of $a: mnt namespace is not $d's own either" $? "job: ${LJP[ns_mnt]}, $d: $dmnt"
	for n in user pid mnt uts ipc net cgroup; do
		[ "${LJP[ns_$n]}" = "${sess_ns[$n]}" ] || same+="$n: job ${LJP[ns_$n]}, session ${sess_ns[$n]} "
	done
	[ -z "$same" ]
	lj_result "$d job of $a: it joined the sandbox of her running ssh session (7 namespaces)" $? "${same:-}"
	lj_check_in_cgroup "$d job of $a (and her ssh session)" $a
	job_ran $b $d && lj_pass "$d: the job of $b ran and its probe finished"
	lj_check_sandboxed "$d job of $b (no session: the job made the sandbox)" $b
	lj_check_in_cgroup "$d job of $b" $b
	job_ran $f $d && lj_pass "$d: the job of $f ran and its probe finished"
	# The host's namespaces, but the mount namespace: the daemon's own.
	LJ_SELF_NS[mnt]=$dmnt
	lj_check_not_sandboxed "$d job of $f (no policy)" $f
	LJ_SELF_NS[mnt]=$(readlink /proc/self/ns/mnt)

	# ljt-cronbad: no job, the session refused (the module's line, from the
	# daemon's child for the job: DLOG[PID]) and the daemon saying so.
	lj_wait_for 30 eval 'lj_devlog_text | grep -qF "pam_loginjail($d:session): user $x:"'
	xlog=$(lj_devlog_text | grep -F "pam_loginjail($d:session): user $x:" | head -n 1)
	xpid=$(sed -n "s/.* $DLOG\[\([0-9]*\)\]: pam_loginjail.*/\1/p" <<<"$xlog")
	lj_like "$d job of $x: the module logged the policy's file:line" "$xlog" \
		"^<[0-9]+>.* $DLOG\[[0-9]+\]: .*60-broken.conf:2: memory_max = lots"
	pids=$(lj_pids_of_uid "$(lj_uid $x)")
	[ ! -e /home/$x/.ljt-$d.out ] && [ -z "$pids" ]
	lj_result "$d job of $x (broken policy): it did not run" $? \
		"$(cat /home/$x/.ljt-$d.out 2>&1 | head -n 5)" "$(lj_ps_line $pids)"
	lj_unlike "$d job of $x: no 'no conversation function' error ($d has none: the module does not write to the user)" \
		"$(lj_devlog_text | grep -F " $DLOG[${xpid:-?}]: pam_loginjail")" 'no conversation function'
	lj_like "$d job of $x: $d logged that the session could not be opened" \
		"$(lj_devlog_text | grep -F " $DLOG[${xpid:-?}]: " | grep -vF pam_)" "$DREFUSED"

	for u in $a $b $f; do rm -f /home/$u/.ljt-hold; done
	lj_check_gone "$d job of $b, after the job" $b
	lj_sess_probe s $d-after && lj_is "$d: $a's ssh session still runs in her sandbox" "${LJP[ns_mnt]:-}" "${sess_ns[mnt]}"
}

lj_sess_open s ssh $a
lj_sess_probe s ssh || lj_bail "ssh login of $a and the probe" "$(lj_sess_text s | tail -n 20)"
declare -A sess_ns=()
for n in user pid mnt uts ipc net cgroup; do sess_ns[$n]=${LJP[ns_$n]}; done

# ---------------------------------------------------------------- cron
# The crontabs first (crontab -u: owner the user, group crontab, 0600), then
# cron, which runs their @reboot jobs as it starts.
for u in $a $b $f $x; do
	touch /home/$u/.ljt-hold
	echo "@reboot $(job cron)" | crontab -u $u - || lj_bail "crontab -u $u"
done
daemon cron cron -f -L 15
# Debian's cron and atd on a failed pam_open_session: the job's child logs
# pam_strerror (LOG_ERR, as CRON[PID] or atd[PID]) and exits; the job does
# not run.
DREFUSED='Cannot make/remove an entry for the specified session'
DLOG=CRON
jobs_check cron
lj_daemon_stop cron

# ---------------------------------------------------------------- at
# atd first; `at now` run as each user (setpriv: no PAM session for the
# queueing itself) in atd's mount namespace, so that at finds /run/atd.pid
# and wakes atd with SIGHUP. An at job gets the environment of whoever
# queued it, not its PAM session's: here that of a session of the user's,
# where the module set XDG_RUNTIME_DIR (the battery checks the directory).
daemon atd atd -f
for u in $a $b $f $x; do
	touch /home/$u/.ljt-hold
	out=$(cd /home/$u && job atd | nsenter -m -t "$DPID" -- \
		setpriv --reuid=$u --regid=$u --init-groups --reset-env \
		env XDG_RUNTIME_DIR=/run/user/$(lj_uid $u) at now 2>&1) ||
		lj_bail "at now, as $u" "$out"
done
DLOG=atd
jobs_check atd
# Known side effect (README.md, "Cron and at jobs"): atd removes a job's
# files after it, from the job's session, by paths the sandbox lacks: they
# stay for the sandboxed users' jobs, not for ljt-free's.
left=$(find $spool/atjobs $spool/atspool -type f ! -name .SEQ -printf '%u ' | tr ' ' '\n' | sort | uniq -c | tr -s ' \n' ' ')
lj_is "atd: the files of the sandboxed users' jobs stay in atjobs and atspool (README)" "$left" \
	" 2 $a 2 $b 2 $x "
lj_daemon_stop atd

lj_sess_close s
lj_check_gone "after the ssh session of $a" $a
