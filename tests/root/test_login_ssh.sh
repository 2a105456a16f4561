#!/bin/bash
# Logins through sshd land in the sandbox: a command session (no pty) and an
# interactive pty session (ssh -tt). After logout nothing of the sandbox remains.
. "$(dirname "$0")/lib.sh"
lj_setup_std
lj_login_battery ssh ljt-alice
lj_login_battery ssh_tty ljt-alice
