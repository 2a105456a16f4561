#!/bin/bash
# /usr/local/sbin/ljvm-init: PID 1 of the guest booted WITHOUT systemd
# (kernel command line init=/usr/local/sbin/ljvm-init), cgroup v2 only.
# Mounts the API filesystems, cgroup2 at /sys/fs/cgroup and the 9p shares,
# brings lo up, runs sshd, runs /ctl/cmd, stores its output and exit status in
# /ctl and powers off. Bash as PID 1 reaps the orphans it adopts while it waits.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
con=/dev/console
mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o nosuid,mode=755 devtmpfs /dev
[ -c /dev/ttyS0 ] && con=/dev/ttyS0
exec </dev/null >"$con" 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts -o nosuid,noexec,gid=5,mode=620,ptmxmode=000 devpts /dev/pts
ln -sf /proc/self/fd /dev/fd; ln -sf fd/0 /dev/stdin; ln -sf fd/1 /dev/stdout; ln -sf fd/2 /dev/stderr
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs /dev/shm
mount -t tmpfs -o nosuid,nodev,mode=755 tmpfs /run
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup
mount -o remount,rw /
hostname ljvm-nosystemd
ip link set lo up
modprobe -a 9pnet_virtio 9p
mkdir -p /ctl /src
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 ctl /ctl
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 src /src 2>/dev/null
mkdir -p /run/sshd && chmod 755 /run/sshd
/usr/sbin/sshd || echo "ljvm-init: sshd did not start"
echo "=== LJVM START uptime=$(cut -d' ' -f1 /proc/uptime) init=$(readlink /proc/1/exe) cgroup=$(stat -f -c %T /sys/fs/cgroup)"
set -o pipefail
(cd / && /bin/bash /ctl/cmd 2>&1 | tee /ctl/output) &
wait $!
rc=$?
echo $rc >/ctl/rc
echo "=== LJVM END rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
sync
umount /ctl /src 2>/dev/null
sync
echo o >/proc/sysrq-trigger
sleep 30
