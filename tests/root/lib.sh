# lib.sh: shared harness of loginjail's root integration tests (STYLE.md tier 3).
#
# Source it first thing in a tests/root/test_*.sh:  . "$(dirname "$0")/lib.sh"
# It re-executes the test in a private mount namespace (so the PAM service files
# can be bind-mounted over /etc/pam.d there only: the machine's own files are
# never edited), takes a global lock, creates a temp dir, and installs a trap
# that always cleans up: sessions, the private sshd, leftover processes and
# cgroups of the test users, the test users themselves.
#
# Environment:
#   LJ_WITH_MODULE=0   run the logins without pam_loginjail (harness self-test:
#                      every sandbox assertion must then fail)
#   LJ_PROPAGATION=shared|private  propagation of / in the test's mount
#                      namespace (shared = what every systemd host has)
#   LJ_DEBUG=1         pass "debug" to the module; keep the temp dir
#   LJ_VERBOSE=1       print "# saw:" lines for passing assertions too
#   LJ_BUILD=DIR       where pam_loginjail.so and loginjail-helper are
#
# Output is TAP: "ok N - name" / "not ok N - name" + "# saw: ..." lines.

set -u
export LC_ALL=C

LJ_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LJ_ROOT=$(cd "$LJ_TESTS/../.." && pwd)

if [ "$(id -u)" != 0 ]; then
	echo "not ok 1 - root tests must run as root (uid $(id -u))"
	exit 1
fi

# Own mount namespace. $$ survives the exec, so LJ_TESTNS_PID tells us apart
# from a child that merely inherited the variable. A process left in the host's
# namespaces is our view of the host (PID 1's namespace links may not be
# readable) and a marker no sandbox may see.
if [ "${LJ_TESTNS_PID:-}" != "$$" ]; then
	export LJ_TESTNS_PID=$$
	(exec -a "ljt-host-marker-$$" sleep 1800) </dev/null >/dev/null 2>&1 &
	export LJ_HOST_PID=$!
	exec unshare -m --propagation "${LJ_PROPAGATION:-private}" -- \
		"$BASH" "$0" "$@"
fi

LJ_BUILD=${LJ_BUILD:-$LJ_ROOT/build}
LJ_MODULE=$LJ_BUILD/pam_loginjail.so
LJ_HELPER=$LJ_BUILD/loginjail-helper
LJ_WITH_MODULE=${LJ_WITH_MODULE:-1}
LJ_DEBUG=${LJ_DEBUG:-0}
LJ_VERBOSE=${LJ_VERBOSE:-0}
LJ_GECOS=loginjail-test        # marks users this harness created
LJ_GROUPS_OWNED="ljt-students"
LJ_STATE=/run/loginjail
LJ_DEADLINE=${LJ_DEADLINE:-15} # seconds for anything we wait for
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
umask 022

LJ_N=0
LJ_NFAIL=0
LJ_USERS=()          # users created by this run
LJ_GROUPS_MADE=()
LJ_SCRATCH=()        # scratch directories (lj_scratch)
declare -A LJ_SPID=() LJ_SFD=() LJ_SOUT=() LJ_SMETHOD=()
declare -A LJP=()     # facts of the last probe
declare -A LJ_HOST_NS=() LJ_SELF_NS=()
LJ_SSHD_PID=

# ---------------------------------------------------------------- TAP output

lj_saw() { # lj_saw TEXT...: each line as "# saw: line" (at most 60 lines)
	printf '%s\n' "$@" | head -n 60 | cut -c 1-300 | sed 's/^/# saw: /'
}
lj_pass() { LJ_N=$((LJ_N + 1)); echo "ok $LJ_N - $1"; }
lj_fail() { # lj_fail NAME SAW...
	LJ_N=$((LJ_N + 1))
	LJ_NFAIL=$((LJ_NFAIL + 1))
	echo "not ok $LJ_N - $1"
	shift
	if [ $# -gt 0 ]; then lj_saw "$@"; else lj_saw "(nothing)"; fi
}
# lj_result NAME STATUS SAW...: ok when STATUS is 0
lj_result() {
	local name=$1 st=$2
	shift 2
	if [ "$st" = 0 ]; then
		lj_pass "$name"
		[ "$LJ_VERBOSE" = 1 ] && [ $# -gt 0 ] && lj_saw "$@"
	else
		lj_fail "$name" "$@"
	fi
	return "$st"
}
lj_is() { # lj_is NAME GOT WANT
	[ "$2" = "$3" ]
	lj_result "$1" $? "got:  $2" "want: $3"
}
lj_like() { # lj_like NAME GOT ERE
	printf '%s' "$2" | grep -Eq -- "$3"
	lj_result "$1" $? "got: $2" "want (ERE): $3"
}
lj_unlike() { # lj_unlike NAME GOT ERE
	! printf '%s' "$2" | grep -Eq -- "$3"
	lj_result "$1" $? "got: $2" "must not match (ERE): $3"
}
lj_note() { printf '%s\n' "$@" | sed 's/^/# /'; }
# lj_bail NAME SAW...: a setup step failed; nothing after it can be trusted.
lj_bail() {
	lj_fail "$@"
	exit 1
}

# ---------------------------------------------------------------- small tools

# lj_wait_for SECONDS CMD...: poll CMD (every 50 ms) until it succeeds.
lj_wait_for() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.05
	done
}
lj_uid() { id -u "$1" 2>/dev/null; }
# lj_pids_of_uid UID [nozombie]: every process whose real, effective or saved
# uid is UID (zombies too, unless "nozombie").
lj_pids_of_uid() {
	local f uid=$1 a b c d state=
	for f in /proc/[0-9]*/status; do
		while read -r a b c d _; do
			case $a in
			State:) state=$b ;;
			Uid:)
				if [ "$b" = "$uid" ] || [ "$c" = "$uid" ] || [ "$d" = "$uid" ]; then
					[ "${2:-}" = nozombie ] && [ "$state" = Z ] && break
					f=${f#/proc/}
					echo "${f%/status}"
				fi
				break
				;;
			esac
		done 2>/dev/null <"$f"
	done
}
# lj_descendants PID: PID's descendants (children first), from /proc.
lj_descendants() {
	local kids k
	kids=$(ps -o pid= --ppid "$1" 2>/dev/null)
	for k in $kids; do
		echo "$k"
		lj_descendants "$k"
	done
}
lj_kill_tree() { # lj_kill_tree PID: SIGKILL PID and everything under it
	local p all
	all="$1 $(lj_descendants "$1")"
	for p in $all; do kill -STOP "$p" 2>/dev/null; done
	for p in $all; do kill -KILL "$p" 2>/dev/null; done
}
lj_ps_line() { # lj_ps_line PID...: readable lines for "# saw:"
	[ $# -gt 0 ] && ps -o pid=,user=,args= -p "$(echo "$@" | tr ' ' ,)" 2>/dev/null
}
# Cgroup directories that belong to UID (every v1 controller + unified).
lj_cgroup_dirs() {
	local d
	for d in /sys/fs/cgroup/*/loginjail/user-"$1" /sys/fs/cgroup/loginjail.slice/user-"$1".slice; do
		[ -d "$d" ] && echo "$d"
	done
}
# Entries under /run/loginjail that name the user (by name or uid).
lj_state_entries() { # lj_state_entries USER UID
	[ -d "$LJ_STATE" ] || return 0
	find "$LJ_STATE" -mindepth 1 -maxdepth 2 2>/dev/null |
		grep -E -- "(^|[^0-9])$2([^0-9]|$)|(^|[^A-Za-z0-9_-])$1([^A-Za-z0-9_-]|$)" || true
}
# Mount points mentioning loginjail (or the user) in a mountinfo file that were
# not there when the test started (other sandboxes on a dev machine are not ours).
lj_new_mounts() { # lj_new_mounts MOUNTINFO BASELINE [USER]
	local re=loginjail
	[ $# -ge 3 ] && re="loginjail|/home/$3(/|$)"
	# (make check-vm's build chroots, under /var/tmp/loginjail-vm, are not
	# sandboxes.)
	awk '{ print $5 }' "$1" 2>/dev/null | grep -E -- "$re" | grep -v '^/var/tmp/loginjail-vm/' |
		sort | comm -23 - "$2"
}

# ---------------------------------------------------------------- users

# lj_user_del NAME: remove a user this harness created (GECOS marker), with
# everything it left: processes, sandbox cgroups, state under /run/loginjail.
lj_user_del() {
	local name=$1 uid home gecos
	uid=$(lj_uid "$name") || return 0
	gecos=$(getent passwd "$name" | cut -d: -f5)
	if [ "$gecos" != "$LJ_GECOS" ]; then
		lj_note "not removing $name: not created by this harness (gecos '$gecos')"
		return 1
	fi
	lj_rescue_uid "$name" "$uid"
	home=/home/$name
	# Never let userdel -r loose on a home an attack test replaced: a symlink
	# to /etc would take /etc with it. The rm below stays on the home's own
	# filesystem in case a sandbox mount leaked into it.
	if [ -L "$home" ] || { [ -e "$home" ] && [ ! -d "$home" ]; }; then rm -f -- "$home"; fi
	userdel -r "$name" >/dev/null 2>&1 || userdel -f "$name" >/dev/null 2>&1
	if [ -d "$home" ] && [ ! -L "$home" ]; then rm -rf --one-file-system -- "$home"; fi
	rm -f "/var/mail/$name"
}

# lj_rescue_uid NAME UID: kill whatever the user (or its sandbox) still runs and
# remove what a broken teardown left. Reports what it had to do.
lj_rescue_uid() {
	local name=$1 uid=$2 pids d p n=0 ns st left
	for _ in 1 2 3 4 5; do
		pids=$(lj_pids_of_uid "$uid" nozombie)
		for d in $(lj_cgroup_dirs "$uid"); do
			[ -f "$d/cgroup.kill" ] && echo 1 >"$d/cgroup.kill" 2>/dev/null
			pids="$pids $(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null)"
		done
		pids=$(echo $pids | tr ' ' '\n' | grep -v "^$$\$" | sort -un)
		[ -z "$pids" ] && break
		n=$((n + $(echo $pids | wc -w)))
		lj_note "cleanup: killing leftovers of $name:" "$(lj_ps_line $pids)"
		for p in $pids; do kill -KILL "$p" 2>/dev/null; done
		sleep 0.2
	done
	for d in $(lj_cgroup_dirs "$uid"); do
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
		[ -d "$d" ] && lj_note "cleanup: could not remove $d"
	done
	for st in $(lj_state_entries "$name" "$uid" | sort -r); do
		[ -e "$st" ] || continue
		for p in $(awk '{ print $5 }' /proc/self/mountinfo | grep -F -- "$st" | sort -r); do
			umount -l "$p" 2>/dev/null
		done
		rm -rf --one-file-system -- "$st" 2>/dev/null
	done
	left=$(lj_state_entries "$name" "$uid")
	[ -n "$left" ] && lj_note "cleanup: could not remove $left"
	return 0
}

lj_group_add() { # lj_group_add NAME: a group this test owns
	if ! getent group "$1" >/dev/null; then
		groupadd "$1" || lj_bail "groupadd $1"
	fi
	LJ_GROUPS_MADE+=("$1")
}

# lj_user_add NAME [GROUP,...]: a fresh user with /home/NAME, bash, an ssh key
# ($T/keys/NAME) in ~/.ssh/authorized_keys and the probe in ~/.ljt-probe.sh.
lj_user_add() {
	local name=$1 groups=${2:-} h=/home/$1
	if getent passwd "$name" >/dev/null; then
		lj_user_del "$name" || lj_bail "user $name exists and is not ours"
	fi
	if [ -e "$h" ] || [ -L "$h" ]; then # left by a user deleted outside the harness
		lj_note "removing stale $h: $(ls -ld "$h")"
		if [ -L "$h" ] || [ ! -d "$h" ]; then rm -f -- "$h"; else rm -rf --one-file-system -- "$h"; fi
	fi
	# --badname: some tests need names outside Debian's NAME_REGEX ('+').
	useradd --badname -m -d "$h" -s /bin/bash -c "$LJ_GECOS" -U ${groups:+-G "$groups"} "$name" ||
		lj_bail "useradd $name"
	LJ_USERS+=("$name")
	usermod -p '*' "$name" # no password, but not locked (sshd refuses "!")
	chmod 0755 "$h"
	rm -f "$T/keys/$name" "$T/keys/$name.pub"
	ssh-keygen -q -t ed25519 -N '' -C "$name@ljtest" -f "$T/keys/$name" ||
		lj_bail "ssh-keygen for $name"
	install -d -m 0700 -o "$name" -g "$name" "$h/.ssh"
	install -m 0600 -o "$name" -g "$name" "$T/keys/$name.pub" "$h/.ssh/authorized_keys"
	install -m 0644 -o root -g root "$T/keys/$name.pub" "$T/authorized_keys/$name"
	install -m 0644 -o "$name" -g "$name" "$LJ_TESTS/probe.sh" "$h/.ljt-probe.sh"
}

# ---------------------------------------------------------------- policy + PAM

# lj_policy [FILE] < INI: write $T/policy/loginjail.conf (or policy.d/FILE).
lj_policy() {
	local f=$LJ_POLICY_DIR/loginjail.conf
	if [ $# -gt 0 ]; then
		install -d -m 0755 "$LJ_POLICY_DIR/policy.d"
		f=$LJ_POLICY_DIR/policy.d/$1
	fi
	cat >"$f.tmp" && chmod 0644 "$f.tmp" && mv -f "$f.tmp" "$f"
}
# The policy most tests use: ljt-students sandboxed, everyone else not.
lj_policy_default() {
	lj_policy <<-'EOF'
	# written by tests/root/lib.sh
	[default]
	sandbox = no

	[group:ljt-students]
	sandbox = yes
	network = loopback
	hostname = jail-%u
	memory_max = 512M
	pids_max = 512
	cpu_max = 100%
	share = user
	linger = 0
	on_error = deny
	EOF
}

lj_module_line() {
	local dbg=
	[ "$LJ_DEBUG" = 1 ] && dbg=" debug"
	echo "session required $LJ_MODULE config_dir=$LJ_POLICY_DIR helper=$LJ_HELPER$dbg"
}
# The services whose copies get the module: sshd, su, runuser and login
# (su-l and runuser-l include su and runuser), and Debian's cron and atd
# (test_cron.sh runs those daemons of its own).
LJ_PAM_SERVICES="sshd su runuser login cron atd"
# A copy of /etc/pam.d with the module as the last session line of each of
# LJ_PAM_SERVICES, bind-mounted over /etc/pam.d in this test's mount
# namespace only.
lj_pam_setup() {
	local s
	cp -a /etc/pam.d "$T/pam.d" || lj_bail "copy /etc/pam.d"
	if [ "$LJ_WITH_MODULE" = 1 ]; then
		for s in $LJ_PAM_SERVICES; do
			[ -f "$T/pam.d/$s" ] || continue # cron, atd: make deps installs them
			{ echo; echo "# added by loginjail tests"; lj_module_line; } >>"$T/pam.d/$s"
		done
	fi
	mount --bind "$T/pam.d" /etc/pam.d || lj_bail "bind-mount the PAM copy"
}

# ---------------------------------------------------------------- sshd

LJ_SSH_PORT=
LJ_SFTP_PORT= # same sshd; ForceCommand internal-sftp on this port
# LJ_SSHD_EXTRA: lines for the end of the test's sshd_config, after its
# Match block (so they begin with a Match of their own: test_password.sh
# allows keyboard-interactive logins for one user).
LJ_SSHD_EXTRA=
lj_port_free() { [ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
lj_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
lj_sshd_up() { lj_port_open "$LJ_SSH_PORT" && lj_port_open "$LJ_SFTP_PORT"; }
lj_sshd_start() {
	local try
	mkdir -p -m 0755 /run/sshd # privilege separation dir (no systemd to make it)
	[ -f "$T/ssh_host_ed25519_key" ] ||
		ssh-keygen -q -t ed25519 -N '' -f "$T/ssh_host_ed25519_key" || lj_bail "host key"
	for try in 1 2 3 4 5 6 7 8; do
		LJ_SSH_PORT=$((20000 + RANDOM % 20000))
		LJ_SFTP_PORT=$((LJ_SSH_PORT + 1))
		lj_port_free "$LJ_SSH_PORT" && lj_port_free "$LJ_SFTP_PORT" || continue
		cat >"$T/sshd_config" <<-EOF
		ListenAddress 127.0.0.1
		Port $LJ_SSH_PORT
		Port $LJ_SFTP_PORT
		HostKey $T/ssh_host_ed25519_key
		PidFile $T/sshd.pid
		UsePAM yes
		PubkeyAuthentication yes
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PermitRootLogin no
		AllowUsers ljt-*
		AuthorizedKeysFile .ssh/authorized_keys $T/authorized_keys/%u
		# Attack tests give users homes sshd would refuse; the module must.
		StrictModes no
		AllowTcpForwarding yes
		MaxStartups 100
		MaxSessions 30
		PrintMotd no
		PrintLastLog no
		UseDNS no
		LogLevel VERBOSE
		Subsystem sftp /usr/lib/openssh/sftp-server
		Match LocalPort $LJ_SFTP_PORT
		    ForceCommand internal-sftp
		${LJ_SSHD_EXTRA:-}
		EOF
		/usr/sbin/sshd -t -f "$T/sshd_config" 2>"$T/sshd.test" ||
			lj_bail "sshd config valid" "$(cat "$T/sshd.test")"
		/usr/sbin/sshd -D -f "$T/sshd_config" -E "$T/sshd.log" </dev/null &
		LJ_SSHD_PID=$!
		if lj_wait_for 10 lj_sshd_up; then return 0; fi
		kill "$LJ_SSHD_PID" 2>/dev/null
		wait "$LJ_SSHD_PID" 2>/dev/null
		LJ_SSHD_PID=
	done
	lj_bail "private sshd listening on 127.0.0.1" "$(tail -n 20 "$T/sshd.log" 2>/dev/null)"
}
lj_sshd_stop() {
	[ -n "$LJ_SSHD_PID" ] || return 0
	lj_kill_tree "$LJ_SSHD_PID"
	wait "$LJ_SSHD_PID" 2>/dev/null
	LJ_SSHD_PID=
}
lj_ssh_opts() { # lj_ssh_opts USER: options for ssh, scp and sftp (no port)
	echo -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=10 \
		-o ServerAliveInterval=5 -o LogLevel=ERROR -i "$T/keys/$1"
}
lj_ssh() { # lj_ssh USER [ssh args]: one ssh command to the private sshd
	local u=$1
	shift
	timeout 60 ssh $(lj_ssh_opts "$u") -p "$LJ_SSH_PORT" "$u@127.0.0.1" "$@"
}

# ---------------------------------------------------------------- daemons

# lj_daemon NAME CMD...: CMD in the background (it must not detach), a daemon
# of this test's own (test_ldap.sh: slapd, nslcd), output in $T/NAME.log.
# Killed at cleanup, and by the next run's stale cleanup if this run was
# killed: $T/daemon.NAME holds its pid and command line.
declare -A LJ_DAEMON=()
lj_daemon() {
	local name=$1
	shift
	# 8>&-: a daemon left by a killed run must not hold /run/ljtest.lock,
	# which the next run takes before its stale cleanup.
	"$@" </dev/null >"$T/$name.log" 2>&1 8>&- &
	LJ_DAEMON[$name]=$!
	printf '%s\n%s\n' "$!" "$*" >"$T/daemon.$name"
}
lj_daemon_stop() { # lj_daemon_stop NAME
	local pid=${LJ_DAEMON[$1]:-}
	[ -n "$pid" ] || return 0
	lj_kill_tree "$pid"
	wait "$pid" 2>/dev/null
	unset "LJ_DAEMON[$1]"
}

# ---------------------------------------------------------------- /dev/log

# lj_devlog_setup: a log of the test's own at /dev/log, in the test's mount
# namespace only (the host's /dev is not touched): the test's /dev
# (lj_dev_tmpfs), and audit_listen.py's datagram socket at /dev/log. sshd,
# the module, the helper, every sandbox's init, a daemon of the test's and
# what a sandbox's /dev/log leads to (syslog = yes) write there. No journal socket
# may be seen (it would be preferred): a tmpfs over /run/systemd/journal
# where there is one. $LJ_DEVLOG: each datagram as a JSON string a line;
# $LJ_DEVLOG_CREDS: "uid=N pid=N TEXT" a line. Stopped at cleanup.
LJ_DEVLOG_PID=
lj_devlog_setup() {
	local ready
	[ -n "${LJ_DEV_TMPFS:-}" ] || lj_dev_tmpfs
	if [ -d /run/systemd/journal ]; then
		mount -t tmpfs tmpfs /run/systemd/journal || lj_bail "hide the journal's socket"
	fi
	rm -f /dev/log
	LJ_DEVLOG=$T/devlog.log LJ_DEVLOG_CREDS=$T/devlog.creds
	: >"$LJ_DEVLOG"
	: >"$LJ_DEVLOG_CREDS"
	coproc LJ_LISTEN { exec python3 "$LJ_TESTS/audit_listen.py" /dev/log "$LJ_DEVLOG" "$LJ_DEVLOG_CREDS"; }
	LJ_DEVLOG_PID=$LJ_LISTEN_PID
	read -r -t 10 ready <&"${LJ_LISTEN[0]}"
	[ "${ready:-}" = ready ] && [ -S /dev/log ] || lj_bail "the log listener on /dev/log"
}
lj_devlog_text() { # the log so far, one message a line
	python3 -c 'import json, sys
for l in open(sys.argv[1]): print(json.loads(l).replace("\n", " "))' "$LJ_DEVLOG"
}
# At cleanup: the listener ends.
lj_devlog_stop() {
	[ -n "$LJ_DEVLOG_PID" ] || return 0
	kill "$LJ_DEVLOG_PID" 2>/dev/null
	LJ_DEVLOG_PID=
}

# ---------------------------------------------------------------- sessions
#
# A session is a login whose stdin is a FIFO we keep open: lj_sess_send types
# into it, output (stdout+stderr) goes to $T/sess.ID.out. Methods:
#   ssh        ssh USER@127.0.0.1 bash -s         (no pty)
#   ssh_tty    ssh -tt USER@127.0.0.1             (pty, login shell)
#   su_l       su - USER                          (login shell on stdin)
#   su_l_c     su - USER -c 'bash -s'
#   su_c       su USER -c 'bash -s'               (PAM service su)
#   runuser_l_c runuser -l USER -c 'bash -s'
#   runuser_u  runuser -u USER -- bash -s         (PAM service runuser)
#   login      script -qfec 'login -f USER'       (pty, login shell)
#   su_l_pty   script -qfec 'su - USER'           (su on a pty it shares)
LJ_METHODS="ssh ssh_tty su_l su_l_c su_c runuser_l_c runuser_u login"

# lj_sess_open ID METHOD USER [WRAPPER...]: WRAPPER (a command that execs its
# arguments) runs right before the login's program, under timeout and setsid.
# A session ends after LJ_SESS_TIMEOUT seconds (300) whatever happens.
lj_sess_open() {
	local id=$1 method=$2 u=$3 fifo=$T/sess.$1.in out=$T/sess.$1.out fd
	local -a cmd
	case $method in
	ssh) cmd=(ssh $(lj_ssh_opts "$u") -p "$LJ_SSH_PORT" "$u@127.0.0.1" bash -s) ;;
	ssh_tty) cmd=(ssh -tt $(lj_ssh_opts "$u") -p "$LJ_SSH_PORT" "$u@127.0.0.1") ;;
	su_l) cmd=(su - "$u") ;;
	su_l_c) cmd=(su - "$u" -c 'bash -s') ;;
	su_c) cmd=(su "$u" -c 'bash -s') ;;
	runuser_l_c) cmd=(runuser -l "$u" -c 'bash -s') ;;
	runuser_u) cmd=(runuser -u "$u" -- bash -s) ;;
	login) cmd=(script -qfec "login -f $u" /dev/null) ;;
	su_l_pty) cmd=(script -qfec "su - $u" /dev/null) ;;
	*) lj_bail "unknown session method $method" ;;
	esac
	shift 3
	cmd=("$@" "${cmd[@]}")
	rm -f "$fifo" "$out"
	mkfifo -m 0600 "$fifo"
	# setsid: the session has its own process group; TERM=dumb keeps escape
	# sequences out of pty transcripts. cd /: su/runuser keep the cwd.
	(cd / && TERM=dumb exec setsid timeout -k 5 "${LJ_SESS_TIMEOUT:-300}" "${cmd[@]}" <"$fifo" >"$out" 2>&1) &
	LJ_SPID[$id]=$!
	exec {fd}>"$fifo"
	LJ_SFD[$id]=$fd
	LJ_SOUT[$id]=$out
	LJ_SMETHOD[$id]=$method
}
lj_sess_send() { # lj_sess_send ID LINE...
	local fd=${LJ_SFD[$1]:-}
	[ -n "$fd" ] || return 1
	shift
	# In a subshell: a session that already ended would SIGPIPE the test.
	(printf '%s\n' "$@" >&"$fd") 2>/dev/null
}
# The transcript without CRs and the terminal noise before them.
lj_sess_text() { sed 's/\r$//; s/.*\r//' "${LJ_SOUT[$1]}" 2>/dev/null; }
lj_sess_alive() { kill -0 "${LJ_SPID[$1]}" 2>/dev/null; }
# lj_sess_wait ID ERE [SECONDS]: until a transcript line matches ERE; fails
# early when the session ended.
lj_sess_wait() {
	local id=$1 re=$2 end=$((SECONDS + ${3:-$LJ_DEADLINE}))
	while :; do
		lj_sess_text "$id" | grep -Eq -- "$re" && return 0
		if ! lj_sess_alive "$id"; then
			lj_sess_text "$id" | grep -Eq -- "$re"
			return
		fi
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.05
	done
}
# lj_sess_close ID [SECONDS]: type exit, close stdin, wait; kill on timeout.
# Returns the session's exit status (124/137 = had to be killed).
lj_sess_close() {
	local id=$1 pid=${LJ_SPID[$1]:-} fd=${LJ_SFD[$1]:-} rc
	[ -n "$pid" ] || return 0
	if [ -n "$fd" ]; then
		(printf 'exit\n' >&"$fd") 2>/dev/null
		exec {fd}>&-
	fi
	unset "LJ_SFD[$id]"
	if ! lj_wait_for "${2:-$LJ_DEADLINE}" eval "! kill -0 $pid 2>/dev/null"; then
		lj_kill_tree "$pid"
	fi
	wait "$pid" 2>/dev/null
	rc=$?
	unset "LJ_SPID[$id]"
	return $rc
}
lj_sess_close_all() {
	local id
	for id in "${!LJ_SPID[@]}"; do lj_sess_close "$id" 5; done
}

# ---------------------------------------------------------------- probes

# lj_probe_load FILE TAG: fill LJP from the "LJ k=v" lines between begin/end.
# Repeated keys (ps, fd) are joined with newlines.
lj_probe_load() {
	local k v line in=0
	LJP=()
	while IFS= read -r line; do
		case $line in
		# A shell's prompt may come first on the line (sh on a pty).
		"LJ begin=$2" | *"\$ LJ begin=$2") in=1 ;;
		"LJ end=$2") in=2 ;;
		LJ\ *=*)
			[ "$in" = 1 ] || continue
			line=${line#LJ }
			k=${line%%=*}
			v=${line#*=}
			if [ -n "${LJP[$k]+x}" ]; then LJP[$k]+=$'\n'"$v"; else LJP[$k]=$v; fi
			;;
		esac
	done < <(sed 's/\r$//; s/.*\r//' "$1")
	[ "$in" = 2 ] || return 1
	return 0
}
# lj_sess_probe ID TAG: run the probe in the session, load its facts.
lj_sess_probe() {
	local id=$1 tag=$2
	lj_sess_send "$id" "bash \"\$HOME/.ljt-probe.sh\" $tag"
	lj_sess_wait "$id" "^LJ end=$tag\$" && lj_probe_load "${LJ_SOUT[$id]}" "$tag"
}
# lj_run_probe_stdin CMD...: run CMD with the probe on stdin (ssh ... bash -s),
# output in $T/probe.out, facts in LJP. Tag: "stdin".
lj_run_probe_stdin() {
	"$@" <"$LJ_TESTS/probe.sh" >"$T/probe.out" 2>&1
	lj_probe_load "$T/probe.out" stdin
}

# lj_norm_id "uid=1(a) gid=2(b) groups=3(c),2(b)": uid, gid, sorted groups.
lj_norm_id() {
	local s=$1 uid gid groups
	uid=$(sed -n 's/.*uid=\([0-9]*\).*/\1/p' <<<"$s")
	gid=$(sed -n 's/.* gid=\([0-9]*\).*/\1/p' <<<"$s")
	groups=$(sed -n 's/.*groups=//p' <<<"$s" | tr ',' '\n' | sed 's/(.*//' | sort -n | tr '\n' ,)
	echo "uid=$uid gid=$gid groups=${groups%,}"
}
lj_host_hostname() { cat /proc/sys/kernel/hostname; }
lj_host_links() { ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | tr '\n' ' ' | sed 's/ *$//'; }

# lj_check_sandboxed LABEL USER [HOSTNAME [nogroups]]: the facts in LJP (a
# probe in a session of USER) show the sandbox: the standard battery of every
# login path. "nogroups": compare the uid and gid only (test_ldap.sh: sshd
# sets a directory user's groups inside the sandbox, which lacks nslcd).
lj_check_sandboxed() {
	local l=$1 u=$2 want_host=${3:-jail-$2} ns got caps c
	if [ -z "${LJP[ns_pid]:-}" ]; then
		lj_fail "$l: probe ran in the session" "no probe output"
		return 1
	fi
	for ns in user pid mnt uts ipc net cgroup; do
		got=${LJP[ns_$ns]:-}
		[ -n "$got" ] && [ "$got" != "${LJ_HOST_NS[$ns]}" ] && [ "$got" != "${LJ_SELF_NS[$ns]}" ]
		lj_result "$l: $ns namespace is not the host's" $? \
			"session: $got" "host:    ${LJ_HOST_NS[$ns]} (host), ${LJ_SELF_NS[$ns]} (test)"
	done
	[ "${LJP[ps_count]:-999}" -le 12 ] 2>/dev/null &&
		! grep -q "ljt-host-marker-$$" <<<"${LJP[ps]:-}" &&
		[ "${LJP[pid1]:-}" != "$(tr '\0' ' ' </proc/1/cmdline | sed 's/ *$//')" ]
	lj_result "$l: ps shows only the sandbox's processes" $? \
		"ps_count=${LJP[ps_count]:-} (host marker process: ljt-host-marker-$$)" \
		"pid1=${LJP[pid1]:-}" "$(head -n 15 <<<"${LJP[ps]:-}")"
	lj_is "$l: hostname is the policy's" "${LJP[hostname]:-}" "$want_host"
	lj_is "$l: hostname -f resolves it" "${LJP[hostname_f]:-}" "$want_host"
	lj_is "$l: only the loopback interface" "${LJP[links]:-}" "lo"
	lj_like "$l: lo is up (network = loopback)" "${LJP[lo_flags]:-}" '(^|,)UP(,|$)'
	if [ "${4:-}" = nogroups ]; then
		lj_is "$l: uid and gid unchanged (id; groups not compared)" \
			"$(lj_norm_id "${LJP[id]:-}" | sed 's/ groups=.*//')" "$(lj_norm_id "$(id "$u")" | sed 's/ groups=.*//')"
	else
		lj_is "$l: identity unchanged (id)" "$(lj_norm_id "${LJP[id]:-}")" "$(lj_norm_id "$(id "$u")")"
	fi
	lj_like "$l: /usr is mounted read-only" "${LJP[usr_opts]:-} touch:${LJP[usr_touch]:-}" '^ro(,| ).*touch:fail'
	lj_like "$l: /etc is mounted read-only" "${LJP[etc_opts]:-} touch:${LJP[etc_touch]:-}" '^ro(,| ).*touch:fail'
	lj_is "$l: home is writable" "${LJP[home_write]:-}" ok
	lj_is "$l: /home holds only the user's own home" "${LJP[ls_home]:-}" "$u"
	lj_is "$l: /root does not exist" "${LJP[root_exists]:-}" no
	lj_unlike "$l: / shows no host directories" "${LJP[ls_root]:-}" '(^| )(root|srv|boot|opt|mnt|media|work)( |$)'
	lj_is "$l: /var is the jail's own (package databases, links, its /var/tmp)" "${LJP[ls_var]:-}" "lib lock log run tmp"
	lj_is "$l: XDG_RUNTIME_DIR is the user's runtime directory" "${LJP[xdg]:-}" "/run/user/$(lj_uid "$u")"
	lj_is "$l: the runtime directory is the user's, 0700" "${LJP[rundir]:-}" "$(lj_uid "$u") 700"
	lj_is "$l: mktemp -p /var/tmp works" "${LJP[vartmp]:-}" ok
	lj_unlike "$l: unshare -U fails" "${LJP[unshare_U]:-}" '^rc=0( |$)'
	lj_unlike "$l: cgroup namespace hides the host cgroup paths" "${LJP[cgroup]:-}" 'loginjail|process_api|user-[0-9]'
	caps=
	for c in CapInh CapPrm CapEff CapBnd CapAmb; do caps+="$c=${LJP[$c]:-?} "; done
	lj_is "$l: no capabilities at all" "$caps" \
		"CapInh=0000000000000000 CapPrm=0000000000000000 CapEff=0000000000000000 CapBnd=0000000000000000 CapAmb=0000000000000000 "
	lj_is "$l: no_new_privs is set" "${LJP[NoNewPrivs]:-}" 1
}

# lj_check_not_sandboxed LABEL USER: the session is the host's (no policy).
lj_check_not_sandboxed() {
	local l=$1 ns got bad=
	for ns in user pid mnt uts ipc net cgroup; do
		got=${LJP[ns_$ns]:-}
		[ "$got" = "${LJ_SELF_NS[$ns]}" ] || bad+="$ns: $got (test's: ${LJ_SELF_NS[$ns]}) "
	done
	[ -z "$bad" ]
	lj_result "$l: all 7 namespaces are the host's" $? "${bad:-?}"
	lj_is "$l: hostname is the host's" "${LJP[hostname]:-}" "$(lj_host_hostname)"
	lj_is "$l: network interfaces are the host's" "${LJP[links]:-}" "$(lj_host_links)"
	lj_is "$l: the host's / is visible (/root exists)" "${LJP[root_exists]:-}" yes
}

# lj_check_in_cgroup LABEL USER [SKIP]: every process of USER (seen from the
# host) is in /loginjail/user-UID of the memory, pids and cpu hierarchies;
# but those whose command line matches the ERE SKIP (LJ_CGROUP_SKIP in the
# battery).
lj_proc_state() { sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null; }
lj_check_in_cgroup() {
	local l=$1 u=$2 skip=${3:-} uid p ctl bad= line n=0
	uid=$(lj_uid "$u")
	for p in $(lj_pids_of_uid "$uid"); do
		[ -n "$skip" ] && tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -Eq -- "$skip" &&
			continue
		n=$((n + 1))
		for ctl in memory pids cpu; do
			line=$(grep -E "^[0-9]+:([^:]*,)?$ctl(,[^:]*)?:" "/proc/$p/cgroup" 2>/dev/null)
			[ -z "$line" ] && [ -e "/proc/$p" ] && bad+="pid $p has no $ctl line"$'\n'
			case $line in
			*:/loginjail/user-"$uid" | *:/loginjail/user-"$uid"/*) ;;
			"") ;;
			# (a zombie has left its cgroups: v1 shows it in the root)
			*) lj_proc_state "$p" | grep -q '^[^Z]' && bad+="pid $p $(ps -o args= -p "$p") -> $line"$'\n' ;;
			esac
		done
	done
	[ "$n" -gt 0 ] && [ -z "$bad" ]
	lj_result "$l: every process of $u is in loginjail/user-$uid (memory, pids, cpu)" $? \
		"processes of $u: $n" "$bad"
}

# lj_check_gone LABEL USER [SECONDS]: after the last session ended (linger 0),
# nothing of USER's sandbox remains. Polls until all is gone or the deadline.
lj_gone_now() {
	[ -z "$(lj_pids_of_uid "$1")" ] && [ -z "$(lj_cgroup_dirs "$1")" ] &&
		[ -z "$(lj_state_entries "$2" "$1")" ] &&
		[ -z "$(lj_new_mounts /proc/self/mountinfo "$T/mounts.self" "$2")" ] &&
		[ -z "$(lj_new_mounts "/proc/$LJ_HOST_PID/mountinfo" "$T/mounts.host" "$2")" ]
}
lj_check_gone() {
	local l=$1 u=$2 uid x
	uid=$(lj_uid "$u")
	lj_wait_for "${3:-$LJ_DEADLINE}" lj_gone_now "$uid" "$u"
	x=$(lj_pids_of_uid "$uid")
	[ -z "$x" ]
	lj_result "$l: no process of $u remains" $? "$(lj_ps_line $x)"
	x=$(lj_cgroup_dirs "$uid")
	[ -z "$x" ]
	lj_result "$l: no cgroup of $u remains" $? "$x"
	x=$(lj_state_entries "$u" "$uid")
	[ -z "$x" ]
	lj_result "$l: no state of $u remains in $LJ_STATE" $? "$x"
	x=$(lj_new_mounts /proc/self/mountinfo "$T/mounts.self" "$u"; lj_new_mounts "/proc/$LJ_HOST_PID/mountinfo" "$T/mounts.host" "$u")
	[ -z "$x" ]
	lj_result "$l: no sandbox mount remains (test and host mount namespaces)" $? "$x"
}

# lj_login_battery METHOD USER: log USER in by METHOD, run the probe, check the
# sandbox from inside and the cgroup from the host, log out, check that
# nothing remains. The whole story of one login path.
lj_login_battery() {
	local m=$1 u=$2 rc
	lj_sess_open "$m" "$m" "$u"
	if ! lj_sess_probe "$m" "$m"; then
		lj_fail "$m: login as $u and run the probe" "transcript:" "$(lj_sess_text "$m" | tail -n 30)"
		lj_sess_close "$m" 5
		lj_check_gone "$m" "$u"
		return 1
	fi
	lj_pass "$m: login as $u and run the probe"
	lj_check_sandboxed "$m" "$u"
	# sshd allocates the pty after joining: it comes from the jail's devpts.
	# loginjail-shell alone (LJ_HOST_PTY=1) runs on the pty sshd made on the
	# host: a terminal, with no name in the jail's devpts.
	if [ "$m" = ssh_tty ] && [ "${LJ_HOST_PTY:-0}" = 1 ]; then
		lj_is "$m: the session's stdin is a terminal" "${LJP[stdin_tty]:-}" yes
	elif [ "$m" = ssh_tty ]; then
		lj_like "$m: the session has a pty (/dev/pts/N)" "${LJP[tty]:-}" '^/dev/pts/[0-9]+$'
	fi
	[ "$m" = ssh ] && lj_like "$m: the session has no tty" "${LJP[tty]:-}" 'not a tty'

	lj_check_in_cgroup "$m" "$u" "${LJ_CGROUP_SKIP:-}"
	lj_sess_close "$m"
	rc=$?
	lj_is "$m: the session ends cleanly on exit" "$rc" 0
	lj_check_gone "$m" "$u"
}

# lj_scp_battery USER: scp (SFTP protocol, the default) and scp -O (legacy
# protocol) of USER run in the sandbox: files go to and come from the home; a
# host file outside the jail cannot be fetched, though the same fetch works
# for ljt-free (no policy).
lj_scp() { # lj_scp USER [-O] SRC DST
	local u=$1
	shift
	timeout 60 scp -q $(lj_ssh_opts "$u") -P "$LJ_SSH_PORT" "$@"
}
lj_scp_battery() {
	local a=$1 mode opt out rc sum_up marker=/var/tmp/ljtest-host-only.$$
	echo HOST-ONLY >"$marker"
	chmod 0644 "$marker"
	head -c 200000 /dev/urandom >"$T/up.bin"
	sum_up=$(sha256sum <"$T/up.bin")
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
	rm -f "$marker"
}

# ---------------------------------------------------------------- loginjail-shell

# lj_shell_install: the test build of loginjail-shell (the Makefile's
# $(B)/tests/loginjail-shell: it runs this build's helper and reads the
# policy in /run/ljtest-shell/policy, which is bound here onto the test's
# policy directory) copied setuid root to $LJ_SHELL. Under /usr: every user
# can reach it, and so can every sandbox (a login that the module put into
# its sandbox runs the shell there). Removed at cleanup.
LJ_SHELL=/usr/local/libexec/ljtest/loginjail-shell
LJ_SHELL_CONFDIR=/run/ljtest-shell/policy
lj_shell_install() {
	install -d -m 0755 "${LJ_SHELL%/*}" "$LJ_SHELL_CONFDIR" ||
		lj_bail "directories for loginjail-shell"
	LJ_SCRATCH+=("${LJ_SHELL%/*}" "${LJ_SHELL_CONFDIR%/*}")
	install -o root -g root -m 4755 "$LJ_BUILD/tests/loginjail-shell" "$LJ_SHELL" ||
		lj_bail "setuid copy of loginjail-shell" "$(ls -l "$LJ_BUILD/tests/loginjail-shell" 2>&1)"
	mount --bind "$LJ_POLICY_DIR" "$LJ_SHELL_CONFDIR" || lj_bail "bind the policy for the shell"
}
# lj_shell_set USER...: loginjail-shell is their login shell (usermod -s).
lj_shell_set() {
	local u
	for u; do usermod -s "$LJ_SHELL" "$u" || lj_bail "usermod -s for $u"; done
}
# lj_pam_without_module: the test's PAM services without the module (the
# accounts whose logins never run it: loginjail-shell alone sandboxes them).
lj_pam_without_module() {
	local s
	for s in $LJ_PAM_SERVICES; do
		[ -f "$T/pam.d/$s" ] || continue
		sed -i '/^# added by loginjail tests$/d; /pam_loginjail/d' "$T/pam.d/$s"
	done
	! grep -l pam_loginjail "$T/pam.d/"* || lj_bail "the module left in the test's PAM files"
}

# ---------------------------------------------------------------- setup/teardown

lj_cleanup() {
	local rc=0 u g d
	trap - EXIT INT TERM HUP
	set +e
	lj_sess_close_all
	lj_sshd_stop
	kill "$LJ_HOST_PID" 2>/dev/null
	[ -n "${LJ_CLEANUP_HOOK:-}" ] && $LJ_CLEANUP_HOOK
	lj_devlog_stop
	for d in "${!LJ_DAEMON[@]}"; do lj_daemon_stop "$d"; done
	for u in "${LJ_USERS[@]}"; do lj_user_del "$u"; done
	for g in "${LJ_GROUPS_MADE[@]}"; do groupdel "$g" 2>/dev/null; done
	umount "$LJ_SHELL_CONFDIR" 2>/dev/null
	for d in "${LJ_SCRATCH[@]}"; do rm -rf --one-file-system "$d"; done
	if [ "$LJ_DEBUG" = 1 ]; then
		echo "# LJ_DEBUG: kept $T"
	else
		umount /etc/pam.d 2>/dev/null
		rm -rf --one-file-system "$T"
	fi
	[ "${LJ_NO_PLAN:-0}" = 1 ] || echo "1..$LJ_N"
	# The status says whether an assertion failed or a signal stopped us, not
	# what the last command of the test happened to return.
	[ "$LJ_NFAIL" -gt 0 ] && rc=1
	[ -n "${LJ_SIGNALED:-}" ] && rc=$LJ_SIGNALED
	exit "$rc"
}

# Remove what a previous, killed run left behind.
lj_stale_cleanup() {
	local name d pid g f cmd
	for name in $(getent passwd | awk -F: -v g="$LJ_GECOS" '$1 ~ /^ljt-/ && $5 == g { print $1 }'); do
		lj_note "removing stale test user $name"
		lj_user_del "$name"
	done
	for g in $LJ_GROUPS_OWNED; do
		getent group "$g" >/dev/null && [ -z "$(getent group "$g" | cut -d: -f4)" ] &&
			groupdel "$g" 2>/dev/null
	done
	for d in /run/ljtest.*; do
		[ -d "$d" ] || continue
		# Still running (and not a zombie): not stale.
		pid=$(cat "$d/pid" 2>/dev/null)
		[ -n "$pid" ] && [ -e "/proc/$pid" ] &&
			[ "$(awk '$1 == "State:" { print $2 }' "/proc/$pid/status" 2>/dev/null)" != Z ] && continue
		# Its sshd and host marker, each checked by command line before the kill.
		pid=$(cat "$d/sshd.pid" 2>/dev/null)
		[ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$d/sshd_config" &&
			lj_note "killing stale sshd $pid of $d" && lj_kill_tree "$pid"
		for f in "$d"/daemon.*; do
			[ -f "$f" ] || continue
			pid= cmd=
			{ read -r pid && read -r cmd; } <"$f"
			[ -n "$pid" ] && [ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" = "$cmd " ] &&
				lj_note "killing stale ${f##*/daemon.} $pid of $d" && lj_kill_tree "$pid"
		done
		pid=$(cat "$d/marker.pid" 2>/dev/null)
		[ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q '^ljt-host-marker-' &&
			kill "$pid" 2>/dev/null
		rm -rf --one-file-system "$d"
	done
	rm -rf /usr/local/libexec/ljtest /var/tmp/ljtest-* /run/ljtest-*
}

lj_init() {
	local ns
	exec 8>/run/ljtest.lock
	if ! flock -w 1200 8; then
		echo "not ok 1 - another root test holds /run/ljtest.lock"
		exit 1
	fi
	trap lj_cleanup EXIT
	trap 'LJ_SIGNALED=143; exit 143' TERM
	trap 'LJ_SIGNALED=130; exit 130' INT
	trap 'LJ_SIGNALED=129; exit 129' HUP
	lj_stale_cleanup
	T=$(mktemp -d /run/ljtest.XXXXXX) || lj_bail "mktemp"
	chmod 0755 "$T"
	echo $$ >"$T/pid"
	echo "$LJ_HOST_PID" >"$T/marker.pid"
	install -d -m 0700 "$T/keys"
	install -d -m 0755 "$T/authorized_keys" "$T/policy"
	LJ_POLICY_DIR=$T/policy
	for ns in user pid mnt uts ipc net cgroup; do
		LJ_HOST_NS[$ns]=$(readlink "/proc/$LJ_HOST_PID/ns/$ns")
		LJ_SELF_NS[$ns]=$(readlink "/proc/self/ns/$ns")
	done
	# Mounts already there (other sandboxes on a dev machine) are not ours.
	awk '{ print $5 }' /proc/self/mountinfo | grep -E 'loginjail|/home/' | sort -u >"$T/mounts.self"
	awk '{ print $5 }' "/proc/$LJ_HOST_PID/mountinfo" | grep -E 'loginjail|/home/' | sort -u >"$T/mounts.host"
	if [ "$LJ_WITH_MODULE" = 1 ]; then
		[ -f "$LJ_MODULE" ] && [ -x "$LJ_HELPER" ] ||
			lj_bail "module and helper are built" "$(ls -l "$LJ_MODULE" "$LJ_HELPER" 2>&1)"
	else
		lj_note "LJ_WITH_MODULE=0: logins run WITHOUT pam_loginjail (harness self-test)"
	fi
	lj_policy_default
	lj_pam_setup
}

# lj_tmpfs_over DIR SAVED: a tmpfs over DIR (0755, nosuid, not nodev) with
# DIR's entries bound back, so that what is made in DIR from now on is this
# mount namespace's only. DIR is bound at SAVED (an empty directory) only
# while its entries are bound back. A ptmx is copied, a node of its own: the
# kernel looks for the devpts of a ptmx beside it (pts), which a bound file
# has not (script, su_l_pty, would fail with ENOENT). Returns non-zero when
# a step fails. Self-contained (test_cron.sh runs it, through declare -f,
# in a daemon's own mount namespace).
lj_tmpfs_over() {
	local dir=$1 saved=$2 e n
	mount --rbind "$dir" "$saved" && mount --make-rprivate "$saved" &&
		mount -t tmpfs -o mode=0755,nosuid tmpfs "$dir" || return 1
	for e in "$saved"/* "$saved"/.[!.]*; do
		[ -e "$e" ] || [ -L "$e" ] || continue
		n=$dir/${e##*/}
		if [ -L "$e" ] || { [ "${e##*/}" = ptmx ] && [ -c "$e" ]; }; then
			cp -a "$e" "$n"
		elif [ -d "$e" ]; then
			mkdir -p "$n" && mount --rbind "$e" "$n" # (mount(8) may have made /run/mount)
		else
			touch "$n" && mount --bind "$e" "$n"
		fi || return 1
	done
	umount -R "$saved"
}
# lj_dev_tmpfs: the test's own /dev (lj_tmpfs_over): a test can make device
# nodes and sockets in it without touching the host's /dev (the host's
# directories, /dev/net too, are binds of the host's: make nothing in them).
lj_dev_tmpfs() {
	mkdir "$T/olddev" && lj_tmpfs_over /dev "$T/olddev" && rmdir "$T/olddev" ||
		lj_bail "a tmpfs over /dev, with the host's entries bound back"
	LJ_DEV_TMPFS=1
}

# lj_scratch NAME: a scratch directory that every user can traverse (the
# test's own $T is not), in W; removed at cleanup.
lj_scratch() {
	W=$(mktemp -d "/var/tmp/ljtest-$1.XXXXXX") || lj_bail "mktemp"
	chmod 0755 "$W"
	LJ_SCRATCH+=("$W")
}
# lj_scratch_root NAME: a scratch directory reached only through directories
# of root's that only root can write (/run/ljtest-NAME.XXXXXX, 0755), as a
# bind source must be (helper/binds.c), in W; removed at cleanup.
lj_scratch_root() {
	W=$(mktemp -d "/run/ljtest-$1.XXXXXX") || lj_bail "mktemp"
	chmod 0755 "$W"
	LJ_SCRATCH+=("$W")
}
# lj_module_opt SERVICE KEY VALUE: the module's KEY= option in the test's
# copy of SERVICE; lj_module_reset SERVICE puts back the usual ones.
lj_module_opt() { sed -i "s|$2=[^ ]*|$2=$3|" "$T/pam.d/$1"; }
lj_module_reset() {
	lj_module_opt "$1" helper "$LJ_HELPER"
	lj_module_opt "$1" config_dir "$LJ_POLICY_DIR"
}

# lj_setup_std: the usual cast: ljt-alice and ljt-bob (group ljt-students,
# sandboxed), ljt-free (no policy), the private sshd.
lj_setup_std() {
	lj_group_add ljt-students
	lj_user_add ljt-alice ljt-students
	lj_user_add ljt-bob ljt-students
	lj_user_add ljt-free
	[ "${1:-}" = nossh ] || lj_sshd_start
}

lj_init
