#!/bin/bash
# Logins through su land in the sandbox: "su - USER" (login shell, PAM service
# su-l), "su - USER -c CMD" and "su USER -c CMD" (service su).
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_login_battery su_l ljt-alice
lj_login_battery su_l_c ljt-alice
lj_login_battery su_c ljt-alice
