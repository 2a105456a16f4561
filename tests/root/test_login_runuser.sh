#!/bin/bash
# Logins through runuser land in the sandbox: "runuser -l USER -c CMD"
# (PAM service runuser-l) and "runuser -u USER -- CMD" (service runuser).
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_login_battery runuser_l_c ljt-alice
lj_login_battery runuser_u ljt-alice
