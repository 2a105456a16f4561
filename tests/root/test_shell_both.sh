#!/bin/bash
# The module in every PAM service and loginjail-shell as the login shell:
# the module puts the login into the sandbox, and the shell, run there (every
# mount nosuid: the setuid bit does nothing), only runs the user's shell.
# ssh with a command and with a pty, scp and scp -O, su - and runuser -l:
# the PAM path's assertions, and one sandbox, not two.
. "$(dirname "$0")/lib.sh"
lj_shell_install
lj_setup_std
lj_shell_set ljt-alice
lj_login_battery ssh ljt-alice
lj_login_battery ssh_tty ljt-alice
lj_login_battery su_l ljt-alice
lj_login_battery runuser_l_c ljt-alice
lj_scp_battery ljt-alice

# Inside, the shell's real and effective uid are the user's: it does not
# run the helper again (one pid namespace: the probe's pid 1 is the init).
lj_run_probe_stdin lj_ssh ljt-alice bash -s stdin
lj_check_sandboxed "both: ssh" ljt-alice
lj_like "both: the session's pid 1 is the sandbox's init" "${LJP[pid1]:-}" 'loginjail'
