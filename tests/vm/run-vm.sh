#!/bin/bash
# tests/vm/run-vm.sh: boot one test guest, run SCRIPT inside as root, return its
# exit status (adapted from ../shared/vm/run-vm.sh).
# Usage: run-vm.sh -i IMGDIR [-s SRCDIR] [-a KERNEL_ARGS] [-t TIMEOUT_S] [-m MB]
#                  [-c CPUS] [-p SSHPORT] [-k] SCRIPT
#   -s  host dir shared read-write at /src (9p tag "src")
#   -a  added to the kernel command line, e.g. init=/usr/local/sbin/ljvm-init
#   -p  forward 127.0.0.1:SSHPORT -> guest:22; -k keeps the guest up after SCRIPT
#       (systemd boots only): ssh -i IMGDIR/id_ed25519 -p SSHPORT root@127.0.0.1
# Env: ACCEL=tcg|kvm (default tcg: a guest under KVM hangs on these machines),
#      TCG_THREAD=single|multi (default single: with one host thread per vCPU,
#      a guest kernel patching its own code (static keys, text_poke) now and
#      then runs a stale translation of the int3 it placed and panics,
#      "Oops: int3" in a CI run of the trixie guest),
#      LJVM_DIR (default /var/tmp/loginjail-vm; the ctl directories go under it).
# Output: SCRIPT's output; the serial console is kept in $CTL/console.log.
# Exit status: SCRIPT's; 124 on timeout; 125 if no result came back.
set -uo pipefail
IMG=; SRC=; ARGS=; TMO=900; MEM=2048; CPUS=2; PORT=; KEEP=
while getopts i:s:a:t:m:c:p:k o; do case $o in
  i) IMG=$OPTARG;; s) SRC=$OPTARG;; a) ARGS=$OPTARG;; t) TMO=$OPTARG;; m) MEM=$OPTARG;;
  c) CPUS=$OPTARG;; p) PORT=$OPTARG;; k) KEEP=1;; *) exit 2;; esac; done
shift $((OPTIND-1)); SCRIPT=${1:?script}
[ -n "$IMG" ] || { echo "run-vm.sh: -i IMGDIR is required" >&2; exit 2; }
ACCEL=${ACCEL:-tcg}
ACCEL_OPT=$ACCEL; [ "$ACCEL" = tcg ] && ACCEL_OPT="tcg,thread=${TCG_THREAD:-single}"
D=${LJVM_DIR:-/var/tmp/loginjail-vm}
CTL=$(mkdir -p "$D/ctl" && mktemp -d "$D/ctl/run.XXXXXX")
cp "$SCRIPT" "$CTL/cmd"
NET="user,id=n0"; [ -n "$PORT" ] && NET="$NET,hostfwd=tcp:127.0.0.1:$PORT-:22"
SHARES=(-virtfs "local,path=$CTL,mount_tag=ctl,security_model=none,id=ctl")
[ -n "$SRC" ] && SHARES+=(-virtfs "local,path=$(realpath "$SRC"),mount_tag=src,security_model=none,id=src")
CPU=${CPU:-max}; [ "$ACCEL" = kvm ] && CPU=${CPU_KVM:-host,-arch-capabilities}
APPEND="console=ttyS0 root=/dev/vda rw quiet panic=-1 ljvm.run${KEEP:+ ljvm.nopoweroff}${ARGS:+ $ARGS}"

start=$(date +%s.%N)
timeout -k 10 "$TMO" qemu-system-x86_64 -accel "$ACCEL_OPT" -cpu "$CPU" -smp "$CPUS" -m "$MEM" \
  -nodefaults -display none -no-reboot \
  -serial "file:$CTL/console.log" \
  -kernel "$IMG/vmlinuz" -initrd "$IMG/initrd.img" -append "$APPEND" \
  -drive "file=$IMG/rootfs.ext4,if=virtio,format=raw,snapshot=on" \
  -netdev "$NET" -device virtio-net-pci,netdev=n0 \
  -device virtio-rng-pci \
  "${SHARES[@]}" \
  -pidfile "$CTL/qemu.pid" </dev/null >"$CTL/qemu.log" 2>&1 &
qpid=$!
# The guest writes its output to the 9p share as it goes: show it live.
tail -n +1 -F --pid=$qpid "$CTL/output" 2>/dev/null &
tpid=$!
wait $qpid
qrc=$?
wait $tpid
wall=$(echo "$(date +%s.%N) - $start" | bc)
if [ -f "$CTL/rc" ]; then rc=$(cat "$CTL/rc"); else rc=125; fi
[ $qrc -eq 124 ] && rc=124
printf 'run-vm: qemu_rc=%s rc=%s wall=%.1fs ctl=%s\n' "$qrc" "$rc" "$wall" "$CTL" >&2
if [ "$rc" -ge 124 ]; then   # no result: the console says why
  echo "--- console tail ($CTL/console.log) ---" >&2
  grep -v '^\(OK\|FAIL\|       saw\)' "$CTL/console.log" | tail -25 >&2
  cat "$CTL/qemu.log" >&2
fi
exit "$rc"
