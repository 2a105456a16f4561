#!/usr/bin/env bash
# tests/demo.sh (make demo): log a demo user in through a private sshd on
# 127.0.0.1 with pam_loginjail, and show side by side what the same user sees
# on the host and inside the sandbox. Cleans up after itself.
LJ_NO_PLAN=1
. "$(dirname "$0")/root/lib.sh"

u=ljt-demo
lj_group_add ljt-students
lj_user_add $u ljt-students
lj_policy <<'EOF2'
[default]
sandbox = no

[group:ljt-students]
sandbox = yes
network = loopback
hostname = lab-%u
memory_max = 256M
pids_max = 128
cpu_max = 50%
share = user
linger = 0
EOF2
lj_sshd_start

# What the user looks at, in both places. Sections start with "@@ title".
view='export LC_ALL=C
echo "@@ namespaces (readlink /proc/self/ns/*)"
for ns in user pid mnt uts ipc net cgroup; do readlink /proc/self/ns/$ns; done
echo "@@ hostname"; hostname
echo "@@ ip -o link (interfaces)"; ip -o link show | awk -F": " "{ print \$2 }"
echo "@@ id"; id | tr " " "\n"
echo "@@ ls /"; ls /
echo "@@ ls /home"; ls /home
echo "@@ ps -e -o pid,user,args"; ps -e -o pid=,user=,args= | cut -c 1-40
echo "@@ /proc/self/cgroup"; cat /proc/self/cgroup
echo "@@ capabilities, no_new_privs"; grep -E "^(CapEff|CapBnd|NoNewPrivs)" /proc/self/status
echo "@@ touch /usr/x; unshare -U true"
touch /usr/x 2>&1 | sed "s/^touch: //"; unshare -U true 2>&1 || true'

# The host's view: the same user, the host's mount namespace, no PAM at all.
nsenter -t "$LJ_HOST_PID" -m -- setpriv --reuid=$u --regid=$u --init-groups --reset-env -- \
	bash -s <<<"$view" 2>&1 | expand >"$T/host.txt"
lj_ssh $u bash -s <<<"$view" 2>&1 | expand >"$T/jail.txt"
rc=${PIPESTATUS[0]}

W=58
bold= plain=
if [ -t 1 ]; then
	bold=$(tput bold 2>/dev/null)
	plain=$(tput sgr0 2>/dev/null)
fi
echo
echo "${bold}loginjail demo${plain}: user $u ($(id $u | cut -d' ' -f1,3)), policy:"
sed 's/^/    /' "$LJ_POLICY_DIR/loginjail.conf"
echo "PAM line (last session line of sshd's service file):"
echo "    $(lj_module_line)"
echo "Login: ssh $u@127.0.0.1 -p $LJ_SSH_PORT  (private sshd, exit status $rc)"
if ! grep -q '^@@ ' "$T/jail.txt"; then
	echo
	echo "${bold}The login did not reach the sandbox.${plain} ssh said:"
	sed 's/^/    /' "$T/jail.txt"
	echo "sshd log:"
	tail -n 15 "$T/sshd.log" | sed 's/^/    /'
	exit 1
fi
# section FILE TITLE: the lines of one section
section() { awk -v t="@@ $2" '$0 == t { on = 1; next } /^@@ / { on = 0 } on' "$1"; }
grep '^@@ ' "$T/host.txt" | sed 's/^@@ //' | while IFS= read -r title; do
	echo
	printf '%s== %s ==%s\n' "$bold" "$title" "$plain"
	printf "%-${W}s | %s\n" "HOST (same user, no loginjail)" "SANDBOX (ssh login)"
	printf "%-${W}s-+-%s\n" "$(printf '%*s' $W '' | tr ' ' -)" "$(printf '%*s' $W '' | tr ' ' -)"
	section "$T/host.txt" "$title" >"$T/l"
	section "$T/jail.txt" "$title" >"$T/r"
	# Two columns, at most 14 lines each (the host's ps is long).
	awk -v W=$W -v M=14 'NR == FNR { l[FNR] = $0; nl = FNR; next } { r[FNR] = $0; nr = FNR }
		END { n = nl > nr ? nl : nr; if (n > M) n = M
		      for (i = 1; i <= n; i++) printf "%-" W "s | %s\n", substr(l[i], 1, W), substr(r[i], 1, W)
		      if (nl > M || nr > M) printf "%-" W "s | %s\n", "(" nl " lines)", "(" nr " lines)" }' \
		/dev/fd/3 3<"$T/l" "$T/r"
done
echo
echo "After logout (linger = 0): processes of $u: $(lj_wait_for 10 eval '[ -z "$(lj_pids_of_uid $(lj_uid $u))" ]' && echo none || lj_pids_of_uid "$(lj_uid $u)" | wc -l)," \
	"cgroup dirs: $(lj_cgroup_dirs "$(lj_uid $u)" | wc -l), state: $(lj_state_entries $u "$(lj_uid $u)" | wc -l) entries."
