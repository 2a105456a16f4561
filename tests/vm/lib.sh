# tests/vm/lib.sh: what make check-vm and make check-deb share, sourced by
# both: the guest images (their packages, their cache key, how one is built).
# Needs HERE (this directory), D (the cache directory) and die().
ts() { date +%s.%N; }
el() { printf '%.1f' "$(echo "$(ts) - $1" | bc)"; }

# Guest packages: loginjail's run-time libraries, the login paths the tests
# use, nc for a listener inside a sandbox (the forward test).
COMMON_PKGS="libcap-ng0 libsystemd0 openssh-client openssh-sftp-server util-linux procps iproute2 netcat-openbsd"
guest_pkgs() { case $1 in
  bookworm) echo "libiniparser1 $COMMON_PKGS";;
  trixie)   echo "libiniparser4 $COMMON_PKGS";;
  *) die "unknown suite $1";; esac; }
img_dir() {
  local k
  k=$({ cat "$HERE/build-image.sh" "$HERE/ljvm-init.sh"; echo "SUITE=$1 PKGS=$(guest_pkgs "$1")"; } |
      sha256sum | cut -c1-12)
  echo "$D/img-$1-$k"
}
ensure_image() { # SUITE
  local dir; dir=$(img_dir "$1")
  [ -f "$dir/.ok" ] && { echo "image $1: cached ($dir)"; return 0; }
  find "$D" -maxdepth 1 -name "img-$1-*" -exec rm -rf {} +
  local t; t=$(ts)
  SUITE=$1 EXTRA_PKGS=$(guest_pkgs "$1") "$HERE/build-image.sh" "$dir.tmp" || return 1
  rm -rf "$dir"; mv "$dir.tmp" "$dir" && touch "$dir/.ok"
  echo "image $1: built in $(el "$t")s ($dir)"
}
