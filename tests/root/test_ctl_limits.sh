#!/bin/bash
# loginjailctl check warns about a sandbox without limits: a section that
# sandboxes its users with memory_max or pids_max unset (the built-in default
# is max) or max names file:line, the section and what to set; like the other
# warnings it leaves the exit status 0. With limits (the tests' policy, the
# shipped configuration with its example enabled) there is no such warning.
. "$(dirname "$0")/lib.sh"
CTL=$LJ_BUILD/loginjailctl
conf=$LJ_POLICY_DIR/loginjail.conf

lj_policy <<'EOF2'
[default]
sandbox = no

[group:ljt-students]
sandbox = yes
pids_max = max
EOF2
out=$("$CTL" check --config-dir "$LJ_POLICY_DIR" 2>&1)
lj_is "no limits: check exits 0 (a warning)" "$?" 0
lj_like "no limits: check warns about memory_max, with file:line and section" "$out" \
	"^loginjail: warning: $conf:4: \\[group:ljt-students\\] sandboxes its users with no memory limit: memory_max is set neither there nor in \\[default\\].*set memory_max \\(e\\.g\\. memory_max = 1G\\)"
lj_like "pids_max = max: check warns at its line" "$out" \
	"^loginjail: warning: $conf:6: pids_max = max, and \\[group:ljt-students\\] sandboxes its users: .*set a limit \\(e\\.g\\. pids_max = 512\\)"
lj_like "no limits: the configuration is still OK" "$out" "^loginjail: configuration OK"

lj_policy_default
out=$("$CTL" check --config-dir "$LJ_POLICY_DIR" 2>&1)
lj_is "with limits: check exits 0" "$?" 0
lj_unlike "with limits: no warning about limits" "$out" 'warning: .*(no (memory|process) limit|_max = max)'

lj_scratch shipped
cp "$LJ_TESTS/../../conf/loginjail.conf" "$W/"
install -d -m 0755 "$W/policy.d"
cp "$LJ_TESTS/../../conf/policy.d/50-example.conf.example" "$W/policy.d/50-example.conf"
out=$("$CTL" check --config-dir "$W" 2>&1)
lj_is "the shipped configuration with its example: check exits 0" "$?" 0
lj_unlike "the shipped configuration with its example: no warning about limits" "$out" 'warning: .*(no (memory|process) limit|_max = max)'
