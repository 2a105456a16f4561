#!/bin/bash
# loginjail-shell alone: no PAM service runs the module, the sandboxed user's
# login shell is loginjail-shell (setuid root). ssh with a command and with a
# pty, scp and scp -O, su - and runuser -l land in the sandbox, with the same
# assertions as the PAM path (test_login_ssh, test_scp, test_login_su,
# test_login_runuser), and leave nothing behind.
. "$(dirname "$0")/lib.sh"
lj_pam_without_module
lj_shell_install
lj_setup_std
lj_shell_set ljt-alice
# The policy's shell for ljt-alice; ljt-free (no policy, its NSS shell
# loginjail-shell) gets /bin/sh.
lj_policy 50-shell.conf <<-'EOF'
	[user:ljt-alice]
	shell = /bin/bash
EOF
# sshd's own process for the session runs as the user, on the host: the PAM
# path moved it into the sandbox, the shell path cannot (it starts below
# it). It is sshd's code, out of the sandbox's reach (another PID namespace).
LJ_CGROUP_SKIP='^sshd: ljt-alice'
# sshd made the pty on the host before the shell ran: the session has it as
# its terminal (and its controlling terminal), but the jail's devpts has no
# name for it.
LJ_HOST_PTY=1
lj_login_battery ssh ljt-alice
lj_login_battery ssh_tty ljt-alice
lj_login_battery su_l ljt-alice
lj_login_battery runuser_l_c ljt-alice
lj_scp_battery ljt-alice
lj_is "ssh ljt-alice: the policy's shell runs (\$SHELL \$0)" "$(lj_ssh ljt-alice 'echo "$SHELL $0"' 2>&1)" \
	"/bin/bash bash"
lj_check_gone "policy's shell" ljt-alice

# ljt-free has no policy: the shell runs on the host, with no_new_privs.
lj_shell_set ljt-free
lj_is "ssh ljt-free: no policy, no other shell: /bin/sh runs" "$(lj_ssh ljt-free 'echo "$SHELL $0"' 2>&1)" \
	"/bin/sh sh"
out=$("$LJ_BUILD/loginjailctl" check --config-dir "$LJ_POLICY_DIR" 2>&1)
lj_like "loginjailctl check warns of ljt-free (loginjail-shell, no sandbox)" "$out" \
	'warning: user ljt-free has loginjail-shell as login shell but no sandbox'
lj_unlike "loginjailctl check: no such warning for ljt-alice" "$out" 'user ljt-alice has loginjail-shell'
lj_run_probe_stdin lj_ssh ljt-free bash -s stdin
lj_check_not_sandboxed "no policy, loginjail-shell" ljt-free
lj_is "no policy, loginjail-shell: no_new_privs is set" "${LJP[NoNewPrivs]:-}" 1
