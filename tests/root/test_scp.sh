#!/bin/bash
# scp (SFTP protocol, the default) and scp -O (legacy protocol) run in the
# sandbox: files go to and come from the home; a host file outside the jail
# cannot be fetched, though the same fetch works for a user without policy.
. "$(dirname "$0")/lib.sh"
lj_setup_std
lj_scp_battery ljt-alice
