#!/bin/bash
# loginjailctl check warns about every pam_loginjail.so line whose failure
# does not refuse the login (SECURITY.md rule 25: a login that policy
# sandboxes is refused rather than let in unsandboxed): "optional",
# "sufficient", "-session" (skipped when the module is missing) and a
# [...] list without default=bad or default=die; each line once, however
# many services include it. "required", "requisite" and default=die pass.
# The services are files of this test's copy of /etc/pam.d (lib.sh).
. "$(dirname "$0")/lib.sh"
CTL=$LJ_BUILD/loginjailctl
P=$T/pam.d

printf 'session required %s\n' "$LJ_MODULE" >"$P/ljt-required"
printf 'session requisite %s\n' "$LJ_MODULE" >"$P/ljt-requisite"
printf 'session optional pam_permit.so\nsession optional %s\n' "$LJ_MODULE" >"$P/ljt-optional"
printf '@include ljt-optional\n' >"$P/ljt-includes-a"
printf 'session include ljt-optional\n' >"$P/ljt-includes-b"
printf 'session sufficient %s\n' "$LJ_MODULE" >"$P/ljt-sufficient"
printf -- '-session required %s\n' "$LJ_MODULE" >"$P/ljt-dash"
printf 'session [success=ok default=ignore] %s\n' "$LJ_MODULE" >"$P/ljt-ignore"
printf 'session [success=ok new_authtok_reqd=ok default=die] %s\n' "$LJ_MODULE" >"$P/ljt-die"

out=$("$CTL" check --config-dir "$LJ_POLICY_DIR" 2>&1)
lj_is "check exits 0 (warnings)" "$?" 0
lj_like "optional: warned, with file:line and the fix" "$out" \
	'^loginjail: warning: /etc/pam\.d/ljt-optional:2: "session optional pam_loginjail\.so": when a sandbox cannot be set up .*lets the login in, unsandboxed; write "session required pam_loginjail\.so"'
lj_is "optional: warned once, though two more services include it" \
	"$(grep -c 'ljt-optional:2' <<<"$out")" 1
lj_like "sufficient: warned" "$out" '^loginjail: warning: /etc/pam\.d/ljt-sufficient:1: "session sufficient '
lj_like "-session: warned" "$out" '^loginjail: warning: /etc/pam\.d/ljt-dash:1: "-session required '
lj_like "[default=ignore]: warned" "$out" '^loginjail: warning: /etc/pam\.d/ljt-ignore:1: "session \[success=ok default=ignore\] '
lj_unlike "required: no warning" "$out" 'ljt-required'
lj_unlike "requisite: no warning" "$out" 'ljt-requisite'
lj_unlike "[default=die]: no warning" "$out" 'ljt-die'
# The tests' own lines (lib.sh) are "session required": none about them.
lj_unlike "the services the tests set up: no warning" "$out" '/etc/pam\.d/(sshd|su|runuser|login):'
