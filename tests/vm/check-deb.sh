#!/bin/bash
# tests/vm/check-deb.sh: `make check-deb` (after `make deb`). Each release's
# package in a guest of that release, as an administrator uses it
# (guest-deb.sh): install, pam-auth-update --enable, the shipped example
# policy, ssh logins into the sandbox, an upgrade while a sandbox runs (from
# the package in build/deb/SUITE/previous/, make deb LJ_DEB_PREVIOUS=REF),
# remove and purge, and
# nothing left. The guests are make check-vm's (lib.sh, run-vm.sh).
#   bookworm   Debian 12, systemd      trixie  Debian 13, systemd
#   nosystemd  the Debian 12 image with a shell as PID 1 (ljvm-init)
# Env: LJVM_GUESTS="bookworm trixie nosystemd" (which, in order; nosystemd
#      stands for a host without systemd, such as the development machine,
#      whose own /etc/pam.d no test may change), LJVM_TIMEOUT=900, LJVM_DIR
#      (default /var/tmp/loginjail-vm).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
D=${LJVM_DIR:-/var/tmp/loginjail-vm}
export LJVM_DIR=$D
GUESTS=${LJVM_GUESTS:-bookworm trixie nosystemd}
TMO=${LJVM_TIMEOUT:-900}
say() { echo "check-deb: $*"; }
die() { echo "check-deb: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (images, qemu)"
. "$HERE/lib.sh"
T0=$(ts)
mkdir -p "$D/logs" "$D/ctl"
exec 9>"$D/.lock"
flock -n 9 || die "another check-vm or check-deb is running (lock $D/.lock)"
guest_suite() { case $1 in bookworm|nosystemd) echo bookworm;; trixie) echo trixie;;
  *) die "unknown guest $1 (bookworm, trixie, nosystemd)";; esac; }
SUITES=$(for g in $GUESTS; do guest_suite "$g"; done | sort -u)
for s in $SUITES; do
  ensure_image "$s" >"$D/logs/image-$s.log" 2>&1 || { tail -n 20 "$D/logs/image-$s.log"; die "image $s did not build"; }
  tail -n 1 "$D/logs/image-$s.log"
done

declare -A RC=() WALL=() SUM=()
for g in $GUESTS; do
  s=$(guest_suite "$g"); mode=systemd; args=
  [ "$g" = nosystemd ] && { mode=plain; args=init=/usr/local/sbin/ljvm-init; }
  deb=$(cd "$SRC" && ls build/deb/$s/loginjail_*.deb 2>/dev/null | head -n1)
  [ -n "$deb" ] || die "no package in build/deb/$s: run make deb first"
  old=$(cd "$SRC" && ls build/deb/$s/previous/loginjail_*.deb 2>/dev/null | head -n1)
  cmd=$D/logs/cmd-deb-$g
  { printf 'set -- %s %s /src/%s %s\n' "$g" "$mode" "$deb" "${old:+/src/$old}"; cat "$HERE/guest-deb.sh"; } >"$cmd"
  echo "===== guest $g ($s, $mode): ${old:+$old, then }$deb"
  t=$(ts)
  "$HERE/run-vm.sh" -i "$(img_dir "$s")" -s "$SRC" ${args:+-a "$args"} -t "$TMO" "$cmd" 2>&1 |
    tee "$D/logs/guest-deb-$g.log"
  RC[$g]=${PIPESTATUS[0]}; WALL[$g]=$(el "$t")
  SUM[$g]=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$D/logs/guest-deb-$g.log" | tail -n 1)
  echo "===== guest $g: rc=${RC[$g]} in ${WALL[$g]}s: ${SUM[$g]:-no summary}"
done

echo
echo "check-deb summary (total $(el "$T0")s):"
bad=0
for g in $GUESTS; do
  printf '  %-10s rc=%-3s %7ss  %s\n' "$g" "${RC[$g]}" "${WALL[$g]}" "${SUM[$g]:-no summary line}"
  [ "${RC[$g]}" = 0 ] || bad=$((bad + 1))
done
for g in $GUESTS; do
  [ "${RC[$g]}" = 0 ] && continue
  echo "--- guest $g: why"
  grep -A2 '^FAIL' "$D/logs/guest-deb-$g.log" | head -n 40
done
[ $bad = 0 ] && echo "check-deb: all guests passed" || echo "check-deb: $bad guest(s) failed"
exit $((bad > 0))
