#!/bin/bash
# packaging/build-deb.sh [SUITE...]: `make deb`. Builds the loginjail binary
# package natively for each Debian release (default: bookworm trixie), each in
# a debootstrap chroot of that release (tests/vm/build-chroot.sh, with
# debhelper and lintian added), runs lintian there on the .deb and the source,
# and leaves everything in build/deb/SUITE/.
# The chroots are cached under $LJVM_DIR (default /var/tmp/loginjail-vm) as
# debchroot-SUITE-KEY, keyed by build-chroot.sh and the package list.
# Env: LJ_DEB_PREPARE_ONLY=1 (chroots only), LJ_DEB_PREVIOUS=REF (also a
#      package of commit REF, version VERSION~prev, for the upgrade test).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
VM=$SRC/tests/vm
D=${LJVM_DIR:-/var/tmp/loginjail-vm}
SUITES=${*:-bookworm trixie}
# What dpkg-buildpackage checks against debian/control's Build-Depends, plus
# debhelper and lintian, and perl-openssl-defaults: it provides
# perl-openssl-abi-3, a virtual package lintian needs (libnet-ssleay-perl)
# and debootstrap does not resolve.
DEB_CHROOT_PKGS="build-essential debhelper lintian perl-openssl-defaults libpam0g-dev libcap-ng-dev libiniparser-dev libsystemd-dev libseccomp-dev libcmocka-dev"
ts() { date +%s.%N; }
el() { printf '%.1f' "$(echo "$(ts) - $1" | bc)"; }
say() { echo "deb: $*"; }
die() { echo "deb: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mounts)"
mkdir -p "$D/logs"

chroot_key() { { cat "$VM/build-chroot.sh"; echo "SUITE=$1 PKGS=$DEB_CHROOT_PKGS"; } | sha256sum | cut -c1-12; }
chroot_dir() { echo "$D/debchroot-$1-$(chroot_key "$1")"; }
ensure_chroot() { # SUITE
  local dir tar t; dir=$(chroot_dir "$1"); tar=$dir.tar.zst
  [ -f "$dir/.ok" ] && { echo "chroot $1: cached ($dir)"; return 0; }
  t=$(ts)
  if [ ! -f "$tar" ]; then
    find "$D" -maxdepth 1 -name "debchroot-$1-*" -exec rm -rf {} +
    SUITE=$1 BUILD_PKGS=$DEB_CHROOT_PKGS "$VM/build-chroot.sh" "$tar" || return 1
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  zstd -dc "$tar" | tar -C "$dir" -xf - && touch "$dir/.ok" || return 1
  echo "chroot $1: ready in $(el "$t")s ($dir)"
}

declare -A JOB=()
for s in $SUITES; do
  ensure_chroot "$s" >"$D/logs/debchroot-$s.log" 2>&1 & JOB[$s]=$!
done
for s in $SUITES; do
  wait "${JOB[$s]}" || { tail -n 20 "$D/logs/debchroot-$s.log"; die "chroot $s did not build"; }
  tail -n 1 "$D/logs/debchroot-$s.log"
done
[ "${LJ_DEB_PREPARE_ONLY:-0}" = 1 ] && exit 0

# ---- the packages: a copy of the tree with packaging/debian as debian/,
# dpkg-buildpackage (source and binary) and lintian, in the chroot.
VERSION=$(sed -n '1s/^loginjail (\([^)]*\)).*/\1/p' "$HERE/debian/changelog")
[ -n "$VERSION" ] || die "no version in packaging/debian/changelog"
MAINT=$(sed -n 's/^ -- \(.*>\)  .*/\1/p' "$HERE/debian/changelog" | head -n1)
BUILD_DEB='
  dpkg-buildpackage -us -uc -j$(nproc) >../build.log 2>&1 ||
    { tail -n 40 ../build.log; echo "dpkg-buildpackage failed: $PWD/../build.log"; exit 1; }
  cd ..
  echo "--- lintian $(lintian --version | cut -d" " -f2) on $(ls *.changes)"
  lintian --display-info --show-overrides *.changes >lintian.log 2>&1 || true
  cat lintian.log
  # The verdict without --show-overrides: Debian 12s lintian (2.116) counts
  # the overridden tags it shows.
  lintian --fail-on error,warning *.changes >/dev/null 2>&1 ||
    { echo "lintian: errors or warnings"; exit 1; }'
tree_of() { # REF|"" DIR: the sources of a commit, or of the working tree
  mkdir -p "$2"
  if [ -n "$1" ]; then git -C "$SRC" archive --format=tar "$1" | tar -C "$2" -xf -
  else tar -C "$SRC" --exclude=./build --exclude=./build-san --exclude=./.git -cf - . | tar -C "$2" -xf -; fi
}
build_one() { # SUITE OUT(relative to SRC) REF VERSION: one package
  local s=$1 out=$2 ref=$3 v=$4 t dir src; t=$(ts)
  rm -rf "${SRC:?}/$out"; src=$SRC/$out/loginjail-$v
  tree_of "$ref" "$src" || return 1
  rm -rf "$src/debian"; cp -r "$HERE/debian" "$src/debian"
  if [ "$v" != "$VERSION" ]; then
    { printf 'loginjail (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- %s  %s\n\n' \
        "$v" "$(git -C "$SRC" rev-parse --short "${ref:-HEAD}")${ref:+ ($ref)}" "$MAINT" "$(date -R)"
      cat "$HERE/debian/changelog"; } >"$src/debian/changelog"
  fi
  dir=$(chroot_dir "$s")
  mkdir -p "$dir/src"
  unshare -m --propagation private sh -ec '
      mount --bind "$1" "$2/src"; mount --bind /dev "$2/dev"; mount -t proc proc "$2/proc"
      chroot "$2" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
        sh -ec "cd /src/$3 && $4"' sh "$SRC" "$dir" "$out/loginjail-$v" "$BUILD_DEB" || return 1
  say "$s: $(cd "$SRC/$out" && ls *.deb | tr '\n' ' ')in $(el "$t")s ($out)"
}

# LJ_DEB_PREVIOUS=REF: also a package of commit REF (version VERSION~prev,
# with this tree's packaging) in build/deb/SUITE/previous/, for check-deb's
# upgrade test.
rc=0
for s in $SUITES; do
  say "building for $s in $(chroot_dir "$s")"
  build_one "$s" "build/deb/$s" "" "$VERSION" || { say "$s: FAILED"; rc=1; }
  if [ -n "${LJ_DEB_PREVIOUS:-}" ]; then
    build_one "$s" "build/deb/$s/previous" "$LJ_DEB_PREVIOUS" "$VERSION~prev" ||
      { say "$s: the package of $LJ_DEB_PREVIOUS FAILED"; rc=1; }
  fi
done
exit $rc
