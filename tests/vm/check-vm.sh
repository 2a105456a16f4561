#!/bin/bash
# tests/vm/check-vm.sh: `make check-vm`. Proves loginjail on real guests:
#   bookworm   Debian 12, systemd 252 as PID 1, cgroup v2
#   trixie     Debian 13, systemd 257 as PID 1, cgroup v2
#   nosystemd  the Debian 12 image booted with init=/usr/local/sbin/ljvm-init:
#              a bash PID 1, cgroup v2 only (loginjail's own cgroup backend)
# Steps: host packages; loginjail built natively for each release (Debian 12
# on this host, Debian 13 in a debootstrap chroot) and installed into a stage
# directory; guest images; then each guest boots (qemu, TCG) with the source
# tree shared at /src and runs tests/vm/guest-test.sh, which installs the stage
# and logs in for real (ssh, scp, sftp, su -, runuser -l, forwards).
# Images and the chroot are cached under $LJVM_DIR (default
# /var/tmp/loginjail-vm), keyed by a hash of the scripts and package lists
# that build them. Exit status 0 when every guest passed.
# Env: LJVM_GUESTS="bookworm trixie nosystemd" (which, in order),
#      LJVM_TIMEOUT=900 (seconds per guest), LJVM_DIR,
#      LJVM_PREPARE_ONLY=1 (build images, chroot and stages, boot nothing).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
D=${LJVM_DIR:-/var/tmp/loginjail-vm}
export LJVM_DIR=$D
GUESTS=${LJVM_GUESTS:-bookworm trixie nosystemd}
TMO=${LJVM_TIMEOUT:-900}
VB=build/vm   # build dirs of the guest releases, under the source tree (ignored by git)
say() { echo "check-vm: $*"; }
die() { echo "check-vm: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mounts)"
. "$HERE/lib.sh" # ts, el, and what to build (the images)
T0=$(ts)
mkdir -p "$D/logs" "$D/ctl"
exec 9>"$D/.lock"
flock -n 9 || die "another check-vm is running (lock $D/.lock)"
find "$D/ctl" -mindepth 1 -maxdepth 1 -mmin +720 -exec rm -rf {} +   # old guests' consoles

# ---- 1. host packages
HOST_PKGS="qemu-system-x86 debootstrap zstd bc kmod e2fsprogs openssh-client"
# shellcheck disable=SC2086
if [ "$(dpkg-query -W -f='${Status}\n' $HOST_PKGS 2>/dev/null | grep -c '^install ok installed$')" \
     -ne "$(echo $HOST_PKGS | wc -w)" ]; then
  say "installing host packages: $HOST_PKGS"
  inst() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $HOST_PKGS >"$D/logs/host-apt.log" 2>&1; }
  inst || { apt-get update -q >>"$D/logs/host-apt.log" 2>&1 && inst; } ||
    { tail -20 "$D/logs/host-apt.log"; die "host packages did not install"; }
fi

# ---- what to build (the images: lib.sh, sourced above)
chroot_key() { { cat "$HERE/build-chroot.sh"; echo "SUITE=$1"; } | sha256sum | cut -c1-12; }
guest_suite() { case $1 in bookworm|nosystemd) echo bookworm;; trixie) echo trixie;;
  *) die "unknown guest $1 (bookworm, trixie, nosystemd)";; esac; }
SUITES=$(for g in $GUESTS; do guest_suite "$g"; done | sort -u)
HOST_SUITE=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")

# ---- 2. images, the chroot and the builds (the slow parts run side by side)
ensure_chroot() { # SUITE -> extracted in $D/chroot-SUITE-KEY
  local k dir tar t; k=$(chroot_key "$1"); dir=$D/chroot-$1-$k; tar=$dir.tar.zst
  [ -f "$dir/.ok" ] && { echo "chroot $1: cached ($dir)"; return 0; }
  t=$(ts)
  if [ ! -f "$tar" ]; then
    find "$D" -maxdepth 1 -name "chroot-$1-*" -exec rm -rf {} +
    SUITE=$1 "$HERE/build-chroot.sh" "$tar" || return 1
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  zstd -dc "$tar" | tar -C "$dir" -xf - && touch "$dir/.ok" || return 1
  echo "chroot $1: ready in $(el "$t")s ($dir)"
}
# make all + make install into $VB/SUITE/stage, on this host or in the chroot.
MAKE_STAGE='make B=$VB/$S all && rm -rf $VB/$S/stage &&
  make B=$VB/$S install DESTDIR=$PWD/$VB/$S/stage PREFIX=/usr'
build_stage() { # SUITE
  local S=$1 t; t=$(ts)
  if [ "$S" = "$HOST_SUITE" ]; then
    (cd "$SRC" && VB=$VB S=$S sh -ec "$MAKE_STAGE") || return 1
  else
    local dir; dir=$D/chroot-$S-$(chroot_key "$S")
    mkdir -p "$dir/src"
    unshare -m --propagation private sh -ec '
      mount --bind "$1" "$2/src"; mount --bind /dev "$2/dev"; mount -t proc proc "$2/proc"
      chroot "$2" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
        VB="$3" S="$4" sh -ec "cd /src && $5"' sh "$SRC" "$dir" "$VB" "$S" "$MAKE_STAGE" || return 1
  fi
  echo "loginjail for $S: built and staged in $(el "$t")s ($SRC/$VB/$S/stage)"
}

say "guests: $GUESTS; cache: $D"
declare -A JOB=()
for s in $SUITES; do
  ensure_image "$s" >"$D/logs/image-$s.log" 2>&1 & JOB[image-$s]=$!
  if [ "$s" != "$HOST_SUITE" ]; then
    ensure_chroot "$s" >"$D/logs/chroot-$s.log" 2>&1 & JOB[chroot-$s]=$!
  fi
done
declare -A BROKEN=()   # SUITE -> what failed (its guests are not booted)
for s in $SUITES; do
  if [ "$s" != "$HOST_SUITE" ]; then
    if wait "${JOB[chroot-$s]}"; then tail -n 1 "$D/logs/chroot-$s.log"
    else tail -n 20 "$D/logs/chroot-$s.log"; BROKEN[$s]="build chroot failed"; continue; fi
  fi
  if build_stage "$s" >"$D/logs/build-$s.log" 2>&1; then tail -n 1 "$D/logs/build-$s.log"
  else grep -E -B2 -A3 'error|Error' "$D/logs/build-$s.log" | tail -n 30
       BROKEN[$s]="loginjail did not build for $s ($D/logs/build-$s.log)"; fi
done
for s in $SUITES; do
  if wait "${JOB[image-$s]}"; then grep '^image' "$D/logs/image-$s.log" | tail -n 1
  else tail -n 20 "$D/logs/image-$s.log"; BROKEN[$s]="${BROKEN[$s]:+${BROKEN[$s]}; }image did not build"; fi
done
for s in "${!BROKEN[@]}"; do say "$s: ${BROKEN[$s]}"; done
say "prepared in $(el "$T0")s"
[ "${LJVM_PREPARE_ONLY:-0}" = 1 ] && exit $(( ${#BROKEN[@]} > 0 ))

# ---- 3. the guests, one after the other
declare -A RC=() WALL=() SUM=()
for g in $GUESTS; do
  s=$(guest_suite "$g"); mode=systemd; args=
  if [ -n "${BROKEN[$s]:-}" ]; then
    RC[$g]=1; WALL[$g]=0; SUM[$g]="not run: ${BROKEN[$s]}"
    echo "===== guest $g: not run: ${BROKEN[$s]}"; continue
  fi
  [ "$g" = nosystemd ] && { mode=plain; args=init=/usr/local/sbin/ljvm-init; }
  cmd=$D/logs/cmd-$g
  # The guest runs a copy of guest-test.sh made now: editing the tree while a
  # guest runs changes nothing under it (bash reads a script as it goes).
  { printf 'set -- %s %s /src/%s/%s/stage\n' "$g" "$mode" "$VB" "$s"; cat "$HERE/guest-test.sh"; } >"$cmd"
  echo "===== guest $g ($s, $mode) ====="
  t=$(ts)
  "$HERE/run-vm.sh" -i "$(img_dir "$s")" -s "$SRC" ${args:+-a "$args"} -t "$TMO" "$cmd" 2>&1 |
    tee "$D/logs/guest-$g.log"
  RC[$g]=${PIPESTATUS[0]}; WALL[$g]=$(el "$t")
  SUM[$g]=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$D/logs/guest-$g.log" | tail -n 1)
  echo "===== guest $g: rc=${RC[$g]} in ${WALL[$g]}s: ${SUM[$g]:-no summary}"
done

# ---- 4. summary
echo
echo "check-vm summary (total $(el "$T0")s):"
bad=0
for g in $GUESTS; do
  printf '  %-10s rc=%-3s %7ss  %s\n' "$g" "${RC[$g]}" "${WALL[$g]}" "${SUM[$g]:-no summary line}"
  [ "${RC[$g]}" = 0 ] || bad=$((bad + 1))
done
# A failed guest's reasons come last, where a CI log's tail shows them: its
# failing checks with what they saw, or, without a result, the console.
for g in $GUESTS; do
  [ "${RC[$g]}" = 0 ] && continue
  echo "--- guest $g: why"
  if grep -q '^FAIL' "$D/logs/guest-$g.log" 2>/dev/null; then
    grep -A2 '^FAIL' "$D/logs/guest-$g.log" | head -n 40
  else
    ctl=$(sed -n 's/^run-vm: .* ctl=//p' "$D/logs/guest-$g.log" | tail -n 1)
    echo "no result; last output lines, then the console ($ctl):"
    grep -v '^\(run-vm\|---\)' "$D/logs/guest-$g.log" | grep -v '^ *saw' | tail -n 8
    [ -n "$ctl" ] && grep -av '^\(OK\|FAIL\|       saw\)' "$ctl/console.log" | tail -n 20
  fi
done
[ $bad = 0 ] && echo "check-vm: all guests passed" || echo "check-vm: $bad guest(s) failed"
exit $((bad > 0))
