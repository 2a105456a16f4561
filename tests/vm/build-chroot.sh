#!/bin/bash
# tests/vm/build-chroot.sh OUT.tar.zst: a Debian build chroot (debootstrap
# minbase + what loginjail needs to build), packed as a tarball.
#   SUITE=trixie (default)  BUILD_PKGS="..." overrides the package list
# The mirror is the one this host's apt already uses.
set -euo pipefail
OUT=${1:?out.tar.zst}
SUITE=${SUITE:-trixie}
BUILD_PKGS=${BUILD_PKGS:-build-essential libpam0g-dev libcap-ng-dev libiniparser-dev libsystemd-dev libseccomp-dev pkg-config}
apt_uris() { { grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true
               grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' || true; } |
             grep -i debian | awk '!seen[$0]++'; }
MIRROR=${MIRROR:-$(apt_uris | grep -v security | head -n1)}
[ -n "$MIRROR" ] || { echo "no Debian mirror found in the host's apt sources; set MIRROR" >&2; exit 2; }
t0=$(date +%s)
R=$(mktemp -d "$(dirname "$OUT")/chroot-build.XXXXXX")
trap 'rm -rf "$R"' EXIT
debootstrap --variant=minbase --include="$(echo "$BUILD_PKGS" | tr ' ' ,)" \
  "$SUITE" "$R" "$MIRROR" >"$OUT.log" 2>&1 || { tail -20 "$OUT.log" >&2; exit 1; }
rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/lib/apt/lists/* "$R"/usr/share/doc/* "$R"/usr/share/man/*
tar -C "$R" -cf - . | zstd -T0 -3 -q -f -o "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "chroot $SUITE: $(du -sh "$OUT" | cut -f1) packed, $(( $(date +%s) - t0 ))s"
