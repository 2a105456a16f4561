#!/bin/bash
# tests/vm/build-image.sh OUTDIR: build a small bootable Debian guest for
# `make check-vm` (adapted from ../shared/vm/build-image.sh).
#   SUITE=bookworm|trixie   Debian 12 (default) or 13
#   EXTRA_PKGS="..."        guest packages the tests need
# Produces OUTDIR/rootfs.ext4 (sparse raw ext4, booted with snapshot=on, so it
# stays pristine), OUTDIR/vmlinuz, OUTDIR/initrd.img, OUTDIR/id_ed25519{,.pub}
# (root's ssh key, for debugging with run-vm.sh -p PORT -k).
# The guest boots two ways:
#   - systemd (default): ljvm.service runs /ctl/cmd from the 9p share "ctl",
#     stores its output and exit status there and powers off;
#   - init=/usr/local/sbin/ljvm-init on the kernel command line: a bash PID 1
#     without systemd (tests/vm/ljvm-init.sh) does the same.
# Needs (host, root): debootstrap, e2fsprogs (mke2fs -d), openssh-client, kmod, bc.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?outdir}
apt_uris() { { grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true
               grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' || true; } |
             grep -i debian | awk '!seen[$0]++'; }
MIRROR=${MIRROR:-$(apt_uris | grep -v security | head -n1)}
SECURITY_MIRROR=${SECURITY_MIRROR:-$(apt_uris | grep security | head -n1)}
[ -n "$MIRROR" ] || { echo "no Debian mirror found in the host's apt sources; set MIRROR" >&2; exit 2; }
SUITE=${SUITE:-bookworm}
SIZE=${SIZE:-3G}
EXTRA_PKGS=${EXTRA_PKGS:-}
ts() { date +%s.%N; }
el() { printf '%.1f' "$(echo "$(ts) - $1" | bc)"; }

mkdir -p "$OUT"
R="$OUT/rootfs"
rm -rf "$R"; mkdir -p "$R"
t0=$(ts)
debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,udev,dbus,libpam-systemd,openssh-server,iproute2,procps,kmod \
  "$SUITE" "$R" "$MIRROR" >"$OUT/debootstrap.log" 2>&1 ||
  { tail -20 "$OUT/debootstrap.log" >&2; exit 1; }
echo "debootstrap $SUITE: $(el $t0)s"

t1=$(ts)
# Guest kernel with a small initramfs (only what root-on-virtio needs).
mkdir -p "$R/etc/initramfs-tools/conf.d"
echo 'MODULES=list' > "$R/etc/initramfs-tools/conf.d/ljvm.conf"
echo 'COMPRESS=zstd' >> "$R/etc/initramfs-tools/conf.d/ljvm.conf"
printf '%s\n' virtio_pci virtio_blk ext4 >> "$R/etc/initramfs-tools/modules"
cat > "$R/etc/apt/sources.list" <<EOS
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
${SECURITY_MIRROR:+deb $SECURITY_MIRROR $SUITE-security main}
EOS
mount -t proc proc "$R/proc"; mount --bind /dev "$R/dev"
trap 'umount "$R/proc" "$R/dev" 2>/dev/null || true' EXIT
chroot "$R" apt-get update -q >"$OUT/apt-guest.log" 2>&1
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive chroot "$R" apt-get install -y -q --no-install-recommends \
  linux-image-amd64 zstd $EXTRA_PKGS >>"$OUT/apt-guest.log" 2>&1 ||
  { tail -20 "$OUT/apt-guest.log" >&2; exit 1; }
chroot "$R" apt-get clean
rm -rf "$R"/var/lib/apt/lists/* "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/locale/*
# Drop kernel modules a virtio guest never needs (~400M -> ~150M).
for kv in "$R"/lib/modules/*; do
  (cd "$kv/kernel" && rm -rf sound drivers/{gpu,media,infiniband,staging,net/wireless,net/ethernet,bluetooth,usb,input/touchscreen,iio,hid,scsi/*/,isdn,video,platform,hwmon,mfd,mtd,nfc,thunderbolt,fpga,misc})
  depmod -b "$R" "$(basename "$kv")"
done
umount "$R/proc" "$R/dev"; trap - EXIT
echo "guest kernel + packages: $(el $t1)s"

t2=$(ts)
echo ljvm > "$R/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 ljvm\n' > "$R/etc/hosts"
echo '/dev/vda / ext4 rw,noatime 0 0' > "$R/etc/fstab"
chroot "$R" passwd -d root >/dev/null
mkdir -p "$R/etc/systemd/network"
printf '[Match]\nName=en* eth*\n[Network]\nDHCP=ipv4\n' > "$R/etc/systemd/network/10-dhcp.network"
chroot "$R" systemctl enable systemd-networkd >/dev/null 2>&1
chroot "$R" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
  fstrim.timer systemd-networkd-wait-online.service >/dev/null 2>&1 || true
printf '9pnet_virtio\n9p\n' > "$R/etc/modules-load.d/9p.conf"
rm -f "$OUT/id_ed25519" "$OUT/id_ed25519.pub"
ssh-keygen -q -t ed25519 -N '' -f "$OUT/id_ed25519"
install -d -m700 "$R/root/.ssh"
install -m600 "$OUT/id_ed25519.pub" "$R/root/.ssh/authorized_keys"
echo 'UseDNS no' > "$R/etc/ssh/sshd_config.d/ljvm.conf"

# The systemd way in: a service that runs /ctl/cmd when booted with ljvm.run.
cat > "$R/usr/local/sbin/ljvm-run" <<'EOS'
#!/bin/bash
# Mount the shares, run /ctl/cmd, store its output and exit status in /ctl, power off.
mkdir -p /ctl /src
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 ctl /ctl
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 src /src 2>/dev/null || true
state=$(timeout 120 systemctl is-system-running --wait)
echo "=== LJVM START uptime=$(cut -d' ' -f1 /proc/uptime) system=$state" >/dev/ttyS0
cd /
set -o pipefail
/bin/bash /ctl/cmd 2>&1 | tee /ctl/output >/dev/ttyS0
rc=$?
echo $rc > /ctl/rc
echo "=== LJVM END rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)" >/dev/ttyS0
sync
umount /ctl /src 2>/dev/null
grep -qw ljvm.nopoweroff /proc/cmdline || systemctl --no-block poweroff
EOS
chmod 755 "$R/usr/local/sbin/ljvm-run"
cat > "$R/etc/systemd/system/ljvm.service" <<'EOS'
[Unit]
Description=loginjail VM test: run /ctl/cmd from the host (9p share "ctl")
ConditionKernelCommandLine=ljvm.run
After=multi-user.target
[Service]
Type=exec
ExecStart=/usr/local/sbin/ljvm-run
StandardOutput=journal+console
[Install]
WantedBy=multi-user.target
EOS
chroot "$R" systemctl enable ljvm.service >/dev/null 2>&1
# The other way in: PID 1 without systemd.
install -m 755 "$HERE/ljvm-init.sh" "$R/usr/local/sbin/ljvm-init"

cp -L "$R/vmlinuz" "$OUT/vmlinuz"; cp -L "$R/initrd.img" "$OUT/initrd.img"
echo "configure: $(el $t2)s"

t3=$(ts)
rm -f "$OUT/rootfs.ext4"
mke2fs -q -t ext4 -L vmroot -E root_owner=0:0 -d "$R" "$OUT/rootfs.ext4" "$SIZE"
rm -rf "$R"
echo "image $SUITE: $(du -sh "$OUT/rootfs.ext4" | cut -f1) used, total $(el $t0)s"
