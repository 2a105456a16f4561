#!/bin/bash
# "login -f USER" on a pty (util-linux script) lands in the sandbox.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_login_battery login ljt-alice
