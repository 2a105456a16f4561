#!/bin/bash
# The PAM module as a library in its caller (SECURITY.md rules 9, 19, 25):
# a PAM application (tests/root/pamcall.c) whose session stack is the module
# alone, so the module's own answer is seen: PAM_IGNORE (the stack's "no
# module decided") only for a user no policy sandboxes,
# PAM_SESSION_ERR when the sandbox policy requires cannot be had (a broken
# policy, a multi-threaded caller, a user name that is not a safe name),
# PAM_SUCCESS inside the sandbox. Whatever the outcome the caller gets back
# its SIGCHLD handler, umask, signal mask and uids, keeps its own zombie
# child to reap, and the module neither exits nor writes to stdout/stderr.
# The module exports only pam_sm_*. Callers at their resource limits
# (RLIMIT_NOFILE tiny, RLIMIT_NPROC reached) are refused or sandboxed, never
# let in unsandboxed.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
lj_policy_default
a=ljt-alice f=ljt-free
lj_scratch pamcall
cc -Wall -o "$W/pamcall" "$LJ_TESTS/pamcall.c" -lpam -lpthread || lj_bail "compile pamcall"
mkdir -p "$W/pam.d"
echo "session required $LJ_MODULE config_dir=$LJ_POLICY_DIR helper=$LJ_HELPER" >"$W/pam.d/ljt-pamcall"

# call LABEL [-t] USER: run pamcall; R holds the report, O what reached 1-2.
call() {
	local l=$1 t=
	shift
	[ "$1" = -t ] && t=-t && shift
	O=$(cd / && timeout 60 "$W/pamcall" $t 5 "$W/pam.d" "$1" 5>"$W/report" 2>&1)
	R=$(cat "$W/report")
	lj_like "$l: the module returned to its caller (no exit)" "$R" '^returned=yes$'
	lj_is "$l: nothing was written to stdout or stderr" "$O" ""
}
get() { sed -n "s/^$1=//p" <<<"$R" | head -n 1; }
# kept LABEL: the caller's state after the call is what it set before.
kept() {
	lj_is "$1: SIGCHLD handler, umask, signal mask, uids are the caller's" \
		"$(get sigchld) $(get umask) $(get sigmask) $(get uids)" "kept 027 kept 0 0 0"
	lj_is "$1: the caller's own exited child is still its to reap" "$(get zombie)" ours
}

lj_is "the module exports only pam_sm_open_session and pam_sm_close_session" \
	"$(nm -D --defined-only "$LJ_MODULE" | awk '{ print $3 }' | sort | tr '\n' ' ')" \
	"pam_sm_close_session pam_sm_open_session "
lj_unlike "the module has no undefined symbol (linked with -z defs)" \
	"$(ldd -r "$LJ_MODULE" 2>&1)" 'undefined symbol'

call "no policy" "$f"
lj_is "no policy: PAM_IGNORE" "$(get rc_name)" PAM_IGNORE
kept "no policy"

call "sandboxed" "$a"
lj_is "sandboxed: PAM_SUCCESS" "$(get rc_name)" PAM_SUCCESS
lj_is "sandboxed: the caller is in the sandbox (hostname)" "$(get hostname)" "jail-$a"
kept "sandboxed"
lj_check_gone "sandboxed caller exited" "$a"

call "threaded caller" -t "$a"
lj_is "threaded caller: PAM_SESSION_ERR" "$(get rc_name)" PAM_SESSION_ERR
lj_like "threaded caller: the user is told why" "$(get conv)" 'refused.*multi-threaded'
lj_is "threaded caller: it stays on the host" "$(get hostname)" "$(lj_host_hostname)"
kept "threaded caller"
lj_check_gone "threaded caller" "$a"

lj_policy 50-broken.conf <<'EOF2'
[user:ljt-alice]
pids_max = 1e3
EOF2
call "broken policy" "$a"
lj_is "broken policy: PAM_SESSION_ERR" "$(get rc_name)" PAM_SESSION_ERR
lj_like "broken policy: the user is told why" "$(get conv)" 'refused.*pids_max'
kept "broken policy"
rm -f "$LJ_POLICY_DIR/policy.d/50-broken.conf"

# User names (SECURITY.md "User names"): a name that is no user is refused
# as unknown before any path is made of it; a user whom policy sandboxes
# and whose name is not valid for one is refused as a name (test_names.sh).
long=$(printf 'u%.0s' $(seq 300))
for n in .. ../etc a/b -rf "$long"; do
	call "user name '${n:0:20}'" "$n"
	lj_is "user name '${n:0:20}': PAM_SESSION_ERR" "$(get rc_name)" PAM_SESSION_ERR
	# (the 300-byte name fills the user's message before "not found")
	lj_like "user name '${n:0:20}': refused as no such user" "$(get conv)" \
		"refused.*user ${n:0:20}([^ ]* not found|u+$)"
done
call "user name cgroup.procs" cgroup.procs
lj_is "user name cgroup.procs: PAM_SESSION_ERR" "$(get rc_name)" PAM_SESSION_ERR
lj_like "user name cgroup.procs: refused (no such user)" "$(get conv)" 'cgroup\.procs not found'
x=$(find "$LJ_STATE" /sys/fs/cgroup/*/loginjail -maxdepth 2 \( -name '*..*' -o -name 'cgroup.procs?*' \
	-o -name '*etc*' -o -name '-rf' -o -name 'uuuu*' \) 2>/dev/null)
lj_is "no state or cgroup was named after those user names" "$x" ""

# Callers at their resource limits: refused or in the sandbox, never on the host.
for lim in "-n 12" "-u 1"; do
	out=$(cd / && bash -c "ulimit -S $lim && exec su - $a -c hostname" 2>&1 </dev/null)
	[ "$out" = "jail-$a" ] || grep -q 'refused\|cannot\|failed\|Resource' <<<"$out" &&
		! grep -qx "$(lj_host_hostname)" <<<"$out"
	lj_result "ulimit $lim: su - $a is refused or sandboxed, never on the host" $? "$out"
	lj_note "ulimit $lim: su - $a gave: $(tr '\n' ' ' <<<"$out")"
	lj_check_gone "ulimit $lim" "$a"
done
