# probe.sh: run INSIDE a login session (as the user, with bash); prints facts
# about where it runs as "LJ key=value" lines between "LJ begin=TAG" and
# "LJ end=TAG". The host side (lib.sh: lj_probe_load) compares them with the
# host's own values. Usage: bash probe.sh TAG   (or: bash -s TAG < probe.sh)
# Only /usr, /etc, the home, /tmp, /proc and /dev are assumed to exist here:
# the probe writes nothing but one file in the home and one in /var/tmp,
# which it removes.
export LC_ALL=C
tag=${1:-probe}
p() { printf 'LJ %s=%s\n' "$1" "$2"; }
oneline() { tr '\n' ' ' | sed 's/ *$//'; }

p begin "$tag"

# The seven namespaces.
for ns in user pid mnt uts ipc net cgroup; do
	p "ns_$ns" "$(readlink "/proc/self/ns/$ns" 2>&1)"
done

# Processes visible from here (the probe's own bash and ps included).
ps_out=$(ps -e -o pid=,args= 2>&1)
p ps_count "$(printf '%s\n' "$ps_out" | grep -c .)"
while IFS= read -r l; do p ps "$l"; done <<<"$ps_out"
p pid1 "$(tr '\0' ' ' </proc/1/cmdline 2>&1 | sed 's/ *$//')"

p hostname "$(hostname 2>&1)"
p hostname_f "$(hostname -f 2>&1)"
p links "$(ip -o link show 2>&1 | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | oneline)"
p lo_flags "$(ip -o link show lo 2>&1 | sed -n 's/.*<\([^>]*\)>.*/\1/p')"

p id "$(id 2>&1)"
p tty "$(tty 2>&1)"
p stdin_tty "$([ -t 0 ] && echo yes || echo no)"

# Read-only system directories: the mount flags and an actual write attempt.
for d in /usr /etc; do
	k=${d#/}
	p "${k}_opts" "$(awk -v d="$d" '$5 == d { o = $6 } END { print o }' /proc/self/mountinfo)"
	if out=$(touch "$d/.ljt-probe.$$" 2>&1); then
		p "${k}_touch" ok
		rm -f "$d/.ljt-probe.$$"
	else
		p "${k}_touch" "fail: $out"
	fi
done
f="$HOME/.ljt-probe-w.$$"
if out=$( (echo x >"$f") 2>&1); then
	p home_write ok
	rm -f "$f"
else
	p home_write "fail: $out"
fi
p home "$HOME"
p home_opts "$(awk -v d="$HOME" '$5 == d { o = $6 } END { print o }' /proc/self/mountinfo)"

p ls_root "$(ls -A / 2>&1 | oneline)"
p ls_var "$(ls -A /var 2>&1 | oneline)"
p xdg "${XDG_RUNTIME_DIR:-unset}"
p rundir "$(stat -c '%u %a' "/run/user/$(id -u)" 2>&1)"
if f=$(mktemp -p /var/tmp 2>&1); then
	rm -f "$f"
	p vartmp ok
else
	p vartmp "fail: $f"
fi
p ls_home "$(ls -A /home 2>&1 | oneline)"
p ls_dev "$(ls -A /dev 2>&1 | oneline)"
p ls_sys_cgroup "$(ls /sys/fs/cgroup 2>&1 | oneline)"
if [ -e /root ]; then p root_exists yes; else p root_exists no; fi

out=$(unshare -U true 2>&1)
p unshare_U "rc=$? $out"

p cgroup "$(tr '\n' ';' </proc/self/cgroup 2>&1)"
while read -r k v; do
	case $k in
	CapInh: | CapPrm: | CapEff: | CapBnd: | CapAmb: | NoNewPrivs: | Seccomp:)
		p "${k%:}" "$v"
		;;
	esac
done </proc/self/status

# Attacks from inside (SECURITY.md "From inside").
out=$(head -c 64 /etc/shadow 2>&1 >/dev/null)
p shadow_read "rc=$? $out"
out=$( (exec 9>/proc/sysrq-trigger) 2>&1)
p sysrq_open "rc=$? $out"
out=$(ls /proc/1/root/ 2>&1 >/dev/null)
p proc1_root "rc=$? $out"

# Descriptors this shell holds (0-2, bash's 255, and the pipe of the command
# substitution below are the probe's own: compare with a clean session).
dirfds=" $(find -L /proc/$$/fd -mindepth 1 -maxdepth 1 -type d -printf '%f ' 2>/dev/null)"
n=0
while read -r fd t; do
	[ -n "$fd" ] || continue
	kind=other
	case $dirfds in *" $fd "*) kind=dir ;; esac
	p fd "$fd $kind $t"
	n=$((n + 1))
done <<<"$(find /proc/$$/fd -mindepth 1 -maxdepth 1 -printf '%f %l\n' 2>/dev/null | sort -n)"
p fd_count "$n"

p end "$tag"
