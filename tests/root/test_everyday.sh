#!/bin/bash
# An everyday session in a sandbox (issue 11): a sandboxed user logs in over
# ssh with a pty, and through su - on a terminal, and does what users do,
# each step asserted: git, a python venv with a package from a local wheel,
# gcc and make, tmux and screen started and re-attached (also from the other
# login), man, less, vim -es, locale, ps, top, free, df, nproc, mktemp in
# /var/tmp, logger (the line reaches the host's log with the user's uid),
# hostname -f, ssh-agent with a key, a device the policy passes (devices =),
# dpkg -l and apt list, and XDG_RUNTIME_DIR. The steps run as the user in
# the session (everyday.sh, one step at a time, on the session's terminal);
# the assertions run here. What cannot work in a sandbox by design is in
# README.md, "An everyday session".
. "$(dirname "$0")/lib.sh"

# A /dev of this mount namespace only: the log the sandbox's /dev/log
# reaches, with each sender's credentials, and the node devices = passes.
EV_DEV=/dev/ljt-everyday
lj_devlog_setup
mknod -m 0666 "$EV_DEV" c 1 5 || lj_bail "mknod $EV_DEV (/dev/zero's numbers)"

lj_group_add ljt-students
a=ljt-alice
lj_user_add $a ljt-students
uid=$(lj_uid $a)
lj_sshd_start
install -m 0644 -o $a -g $a "$LJ_TESTS/everyday.sh" "/home/$a/.ljt-everyday.sh"
# The harness's policy (ljt-students: a sandbox, hostname jail-%u, linger
# 0), and the node for alice.
lj_policy 50-everyday.conf <<EOF
[user:$a]
devices = $EV_DEV
EOF

# ev_step ID STEP TAG [ARG] [SECONDS]: run one step in session ID; its
# output in EV_OUT, its status in EV_RC ("none": it did not end in time).
ev_step() {
	local id=$1 step=$2 tag=$3 arg=${4:-} secs=${5:-$LJ_DEADLINE}
	EV_OUT="" EV_RC=none
	lj_sess_send "$id" "bash ~/.ljt-everyday.sh $step $tag $arg"
	if ! lj_sess_wait "$id" "^LJ end=$step\\.$tag\$" "$secs"; then
		EV_OUT=$(lj_sess_text "$id" | tail -n 30)
		return 1
	fi
	EV_OUT=$(lj_sess_text "$id" | sed -n "/^LJ begin=$step\\.$tag\$/,/^LJ end=$step\\.$tag\$/p" |
		sed '1d; $d')
	EV_RC=$(sed -n 's/^LJ rc=//p' <<<"$EV_OUT" | tail -n 1)
	EV_OUT=$(grep -v '^LJ rc=' <<<"$EV_OUT")
}
# ev_ok NAME ERE...: the last step exited 0 and each ERE matches a line of
# its output.
ev_ok() {
	local name=$1 re st=0
	shift
	[ "$EV_RC" = 0 ] || st=1
	for re; do grep -Eq -- "$re" <<<"$EV_OUT" || st=1; done
	lj_result "$name" $st "exit status: $EV_RC" "output:" "${EV_OUT:-(none)}" \
		"want lines matching (ERE): $*"
}
# ev_raw ID ERE [SECONDS]: until the session's raw transcript (escape
# sequences and all: a full-screen program's) matches ERE.
ev_raw() { lj_wait_for "${3:-$LJ_DEADLINE}" grep -Eaq -- "$2" "${LJ_SOUT[$1]}"; }
# ev_count ID ERE: how often ERE matches in the raw transcript; ev_more ID
# ERE N: more often than N.
ev_count() { grep -Eao -- "$2" "${LJ_SOUT[$1]}" | wc -l; }
ev_more() { [ "$(ev_count "$1" "$2")" -gt "$3" ]; }

# ev_attach ID TAG PROGRAM: re-attach to PROGRAM's (tmux or screen) session
# evTAG on the terminal of session ID, type a line into its shell, detach
# with the prefix key and d. What was typed is checked by the next step.
ev_attach() {
	local id=$1 tag=$2 prog=$3 cmd key said n line=typed-while-attached-$3-$2-by-$1
	case $prog in
	tmux) cmd="tmux attach -t ev$tag" key=$'\002' said='\[detached \(from session ev'"$tag"'\)\]' ;;
	screen) cmd="screen -r ev$tag" key=$'\001' said='\[detached from [0-9]+\.ev'"$tag"'\]' ;;
	esac
	# Attached once the window's shell (bash --norc: "bash-5.2$") is drawn
	# once more; the line typed is in once its command and output are.
	n=$(ev_count "$id" 'bash-[0-9.]+\$')
	lj_sess_send "$id" "TERM=xterm $cmd"
	lj_wait_for 10 ev_more "$id" 'bash-[0-9.]+\$' "$n"
	lj_sess_send "$id" "echo $line"
	lj_wait_for 10 ev_more "$id" "$line" 1
	lj_sess_send "$id" "${key}d"
	ev_raw "$id" "$said" 8
	lj_result "$id: $prog: $cmd re-attached on the terminal, then detached" $? \
		"transcript:" "$(lj_sess_text "$id" | tail -n 12 | cat -v)"
}

# ev_session ID TAG: every step in session ID (files in ~/ev.TAG).
ev_session() {
	local id=$1 t=$2 pid1 host_nproc fp f

	ev_step "$id" runtime_dir "$t"
	ev_ok "$id: XDG_RUNTIME_DIR is /run/user/$uid, the user's, 0700" \
		"^XDG_RUNTIME_DIR=/run/user/$uid\$" "^mode=700 owner=$uid type=directory\$"

	ev_step "$id" git "$t"
	ev_ok "$id: git: init, commit in the home; git log shows it" \
		"^log: Everyday User: everyday commit $t\$"
	lj_is "$id: git: the repository is the user's on the host" \
		"$(stat -c %U "/home/$a/ev.$t/repo/.git/HEAD" 2>&1)" "$a"

	ev_step "$id" venv "$t" "" 120
	ev_ok "$id: python3 -m venv in the home" "^venv prefix: /home/$a/ev\\.$t/venv\$"
	ev_step "$id" pip "$t" "" 120
	ev_ok "$id: pip installs a local wheel without a network, and it imports" \
		'Successfully installed ljt[-_]everyday-1\.0' '^import: hello from a local wheel$'

	ev_step "$id" gcc_make "$t" "" 60
	ev_ok "$id: gcc and make build hello.c, and it runs" '^cc -Wall -o hello hello\.c$' \
		'^hello from gcc$'

	ev_step "$id" tmux "$t"
	ev_ok "$id: tmux: a detached session runs, tmux ls lists it, send-keys reach it" \
		"^ev$t: 1 windows" "^typed-into-tmux-$t\$" '^server pid: [0-9]+$'
	local tmux_pid
	tmux_pid=$(sed -n 's/^server pid: //p' <<<"$EV_OUT")
	ev_attach "$id" "$t" tmux
	ev_step "$id" tmux_again "$t"
	ev_ok "$id: tmux: after the detach, the same server ($tmux_pid) and pane, with the line typed while attached" \
		"^server pid: ${tmux_pid:-none}\$" "^typed-into-tmux-$t\$" "^typed-while-attached-tmux-$t-by-$id\$"

	ev_step "$id" screen "$t"
	ev_ok "$id: screen: screen -dmS starts a session, screen -ls lists it" "[0-9]+\\.ev${t}[[:space:]]"
	ev_attach "$id" "$t" screen
	ev_step "$id" screen_again "$t"
	ev_ok "$id: screen: the same session lives on: stuff and hardcopy, with the line typed while attached" \
		"^typed-while-attached-screen-$t-by-$id\$" "^stuffed-into-screen-$t\$"

	ev_step "$id" man "$t" "" 30
	ev_ok "$id: man -P cat ls" 'ls - list directory contents'
	ev_step "$id" less "$t"
	ev_ok "$id: less -F shows a file on the terminal" "less-shows-this-$t"
	ev_step "$id" vim "$t"
	ev_ok "$id: vim -es edits a file" "^after-vim-$t\$"
	ev_step "$id" locale "$t"
	ev_ok "$id: locale: no warning, and C.UTF-8 is there" '^LC_CTYPE=' '^UTF-8$'
	lj_unlike "$id: locale: no 'Cannot set' warning" "$EV_OUT" 'Cannot|No such'

	ev_step "$id" ps "$t"
	pid1=$(awk '$2 == 1 { $1 = $2 = $3 = $4 = $5 = $6 = $7 = $8 = $9 = $10 = ""; print }' <<<"$EV_OUT" |
		sed 's/^ *//')
	ev_ok "$id: ps aux runs" '^USER +PID '
	! grep -q -e "ljt-host-marker-" -e "$T/sshd_config" <<<"$EV_OUT" &&
		[ "$(grep -c . <<<"$EV_OUT")" -le 40 ] && [[ $pid1 == *loginjail-init* ]]
	lj_result "$id: ps aux shows only the sandbox's processes (PID 1 is loginjail-init)" $? \
		"PID 1: $pid1" "$EV_OUT"
	ev_step "$id" top "$t"
	ev_ok "$id: top -bn1" '^Tasks: +[0-9]+ total' '%Cpu'
	ev_step "$id" free "$t"
	ev_ok "$id: free" '^Mem: +[0-9]+ '
	ev_step "$id" df "$t"
	ev_ok "$id: df: the jail's root, /tmp, and (df ~) the home" ' /$' ' /tmp$' " /home/$a\$"
	lj_unlike "$id: df shows no host-only filesystem" "$EV_OUT" ' /(boot|work|srv|root|mnt|media)(/|$)'
	lj_note "$id: df in the sandbox:" "$EV_OUT"
	ev_step "$id" nproc "$t"
	host_nproc=$(nproc)
	ev_ok "$id: nproc (the host's: $host_nproc)" "^$host_nproc\$"

	ev_step "$id" mktemp "$t"
	ev_ok "$id: mktemp -p /var/tmp makes a file of the user's" '^made: /var/tmp/tmp\.' \
		"^owner=$uid mode=600\$"
	f=$(sed -n 's/^made: //p' <<<"$EV_OUT")
	[ -n "$f" ] && [ ! -e "$f" ]
	lj_result "$id: that /var/tmp is the sandbox's own (not on the host)" $? "host: $(ls -l "$f" 2>&1)"
	# (without the sandbox it is there: only a name mktemp makes is removed)
	[[ $f =~ ^/var/tmp/tmp\.[A-Za-z0-9]+$ ]] && rm -f -- "$f"

	ev_step "$id" logger "$t"
	ev_ok "$id: logger exits 0" '^logged: '
	local msg
	msg=$(sed -n 's/^logged: //p' <<<"$EV_OUT")
	lj_wait_for 5 grep -qF -- "${msg:-none}" "$LJ_DEVLOG_CREDS"
	lj_like "$id: the logged line reaches the host's log, sent by uid $uid" \
		"$(grep -F -- "${msg:-none}" "$LJ_DEVLOG_CREDS")" "^uid=$uid pid=[0-9]+ <[0-9]+>.* ljt-everyday: ${msg:-none}\$"

	ev_step "$id" hostname "$t"
	ev_ok "$id: hostname -f prints the policy's host name" "^jail-$a\$" "^jail-$a(\\.|\$)"
	[ "$(grep -c "^jail-$a" <<<"$EV_OUT")" = 2 ]
	lj_result "$id: hostname and hostname -f both print it" $? "$EV_OUT"

	ev_step "$id" ssh_agent "$t"
	# (the fingerprint as an ERE: base64 has + and /)
	fp=$(sed -n 's/^key: [0-9]* \(SHA256:[^ ]*\) .*/\1/p' <<<"$EV_OUT" | sed 's/[+/]/[&]/g')
	ev_ok "$id: ssh-agent: ssh-add adds a key made here, ssh-add -l lists it" \
		"^[0-9]+ ${fp:-none} everyday-$t \\(ED25519\\)\$"
	ev_ok "$id: ssh-agent's socket is in XDG_RUNTIME_DIR or /tmp" \
		"^socket: (/run/user/$uid|/tmp)/"

	ev_step "$id" device "$t" "$EV_DEV"
	ev_ok "$id: the device devices = passes opens read/write" \
		"^opened $EV_DEV read/write\$" '^read: 00 00 00 00$'

	ev_step "$id" dpkg "$t" "" 30
	ev_ok "$id: dpkg -l | grep openssh" '^ii +openssh-client '
	ev_step "$id" apt "$t" "" 60
	ev_ok "$id: apt list --installed | grep openssh" '^openssh-client/'
}

# --- ssh -tt: a pty, the login shell
lj_sess_open ssh ssh_tty $a
lj_sess_probe ssh ssh || lj_bail "ssh -tt login as $a and run the probe" "$(lj_sess_text ssh | tail -n 30)"
lj_check_sandboxed ssh $a
ev_session ssh ssh

# --- su - on a terminal, while the ssh login runs: the same sandbox
lj_sess_open su su_l_pty $a
lj_sess_probe su su || lj_bail "su - $a on a terminal and run the probe" "$(lj_sess_text su | tail -n 30)"
lj_check_sandboxed su $a
lj_is "su: the same sandbox as the ssh login" "${LJP[ns_pid]:-}" "$(lj_sess_text ssh | sed -n 's/^LJ ns_pid=//p' | head -n 1)"
ev_session su su
# The ssh login's tmux and screen, re-attached from this login.
ev_attach su ssh tmux
ev_step su tmux_again ssh
ev_ok "su: the ssh login's tmux, re-attached from su -: its pane has both logins' lines" \
	"^typed-into-tmux-ssh\$" "^typed-while-attached-tmux-ssh-by-ssh\$" \
	"^typed-while-attached-tmux-ssh-by-su\$"
ev_attach su ssh screen
ev_step su screen_again ssh
ev_ok "su: the ssh login's screen, re-attached from su -: the line typed from su" \
	"^typed-while-attached-screen-ssh-by-su\$"

lj_sess_close su 20
lj_sess_close ssh 20
lj_check_gone "after the everyday sessions" $a 20
