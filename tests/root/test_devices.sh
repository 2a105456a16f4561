#!/bin/bash
# devices = PATH... (issue 11): the policy's character devices, and those
# alone, work inside the sandbox. Device nodes are made in a tmpfs over
# /dev in the test's own mount namespace (lj_dev_tmpfs): the host's /dev and
# its permissions are not touched. Over ssh (the private sshd): a listed
# null (1:3) and tun (10:200, in a directory of its own) are there and can
# be read, written and opened O_RDWR; a node that is not listed is absent;
# the jail's /dev is nodev, each device's own mount nosuid,noexec and not
# nodev. Refused, each with the login refused (ssh fails, nothing of a
# sandbox left), the user told, and loginjailctl check naming file:line and
# why: mem 1:1, kmem 1:2, port 1:4 (by number, under names of the test's),
# a block device, loop-control 10:237, a link to an allowed device, a link
# on the way, a path outside /dev, a regular file, a missing path.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
u=ljt-alice
conf=$LJ_POLICY_DIR/policy.d/50-devices.conf
lj_dev_tmpfs
lj_sshd_start

# The test's nodes: names of its own, so that only the numbers can tell.
mknod -m 0666 /dev/ljt-null c 1 3 && mknod -m 0666 /dev/ljt-zero c 1 5 &&
	mkdir -m 0755 /dev/ljt-net && mknod -m 0666 /dev/ljt-net/tun c 10 200 &&
	mknod -m 0600 /dev/ljt-mem c 1 1 && mknod -m 0600 /dev/ljt-kmem c 1 2 &&
	mknod -m 0600 /dev/ljt-port c 1 4 && mknod -m 0600 /dev/ljt-loop b 7 0 &&
	mknod -m 0600 /dev/ljt-loopctl c 10 237 && ln -s ljt-null /dev/ljt-link &&
	ln -s ljt-net /dev/ljt-netlink && echo x >/dev/ljt-file ||
	lj_bail "the test's device nodes in its own /dev"

# devices LIST: [user:$u] devices = LIST as line 2 of 50-devices.conf.
devices() { printf '[user:%s]\ndevices = %s\n' $u "$1" | lj_policy 50-devices.conf; }

# Granted: inside, what each device does and how /dev and they are mounted.
devices "/dev/ljt-null /dev/ljt-net/tun"
out=$("$LJ_BUILD/loginjailctl" check --config-dir "$LJ_POLICY_DIR" 2>&1)
lj_is "granted: check passes" "$?" 0 "$out"
cat >/home/$u/.ljt-devices.sh <<'EOF'
test -c /dev/ljt-null && echo NODE-NULL
echo hi >/dev/ljt-null && echo WROTE-NULL
got=$(head -c 4 /dev/ljt-null) && echo "READ-NULL ${#got}"
python3 -c 'import os; os.close(os.open("/dev/ljt-net/tun", os.O_RDWR)); print("TUN-OPEN")'
test -e /dev/ljt-zero || echo ZERO-ABSENT
test -e /dev/ljt-mem || echo MEM-ABSENT
awk '$5 == "/dev" || $5 ~ "^/dev/ljt-" { print "MOUNT", $5, $6 }' /proc/self/mountinfo
EOF
chown $u: /home/$u/.ljt-devices.sh
out=$(lj_ssh $u 'bash ~/.ljt-devices.sh' 2>&1 </dev/null)
lj_like "granted: /dev/ljt-null (1:3) is a character device inside" "$out" "^NODE-NULL$"
lj_like "granted: it can be written" "$out" "^WROTE-NULL$"
lj_like "granted: it reads as null (0 bytes)" "$out" "^READ-NULL 0$"
lj_like "granted: /dev/ljt-net/tun (10:200) opens O_RDWR" "$out" "^TUN-OPEN$"
lj_like "a node that is not listed (1:5) is absent" "$out" "^ZERO-ABSENT$"
lj_like "a refused node of the test's /dev is absent" "$out" "^MEM-ABSENT$"
lj_like "the jail's /dev is nodev" "$out" "^MOUNT /dev [^ ]*nodev"
for d in /dev/ljt-null /dev/ljt-net/tun; do
	opts=$(sed -n "s|^MOUNT $d ||p" <<<"$out")
	lj_like "$d is a mount of its own, nosuid,noexec" "$opts" "nosuid.*noexec"
	lj_unlike "$d is not nodev" "$opts" "nodev|^$"
	lj_like "$d is read-only (the host's node cannot be changed)" "$opts" "^ro,"
done
lj_check_gone "granted" $u 10

# refused NAME LIST WHY-ERE [PATH]: devices = LIST refuses the login over
# ssh and su (the user is told file:line), check says file:line, the path
# at fault (PATH, or the LIST of one) and why.
refused() {
	local name=$1 path=${4:-$2} why=$3 out rc
	devices "$2"
	out=$(lj_ssh $u 'echo IN-SANDBOX' 2>&1 </dev/null)
	rc=$?
	[ $rc != 0 ] && ! grep -q IN-SANDBOX <<<"$out"
	lj_result "$name: ssh is refused" $? "exit status $rc" "$out"
	out=$(cd / && timeout 30 su - $u -c 'echo IN-SANDBOX' 2>&1 </dev/null)
	lj_unlike "$name: su - is refused" "$out" "IN-SANDBOX"
	lj_like "$name: the user is told $conf:2 and why" "$out" "$conf:2: devices = $path: $why"
	out=$("$LJ_BUILD/loginjailctl" check --config-dir "$LJ_POLICY_DIR" 2>&1)
	lj_is "$name: loginjailctl check fails" "$?" 1 "$out"
	lj_like "$name: check names $conf:2 and why" "$out" "$conf:2: devices = $path: $why"
	lj_check_gone "$name" $u 10
}
refused "mem (1:1)" /dev/ljt-mem "/dev/ljt-mem is char 1:1, /dev/mem"
refused "kmem (1:2)" /dev/ljt-kmem "/dev/ljt-kmem is char 1:2, /dev/kmem"
refused "port (1:4)" /dev/ljt-port "/dev/ljt-port is char 1:4, /dev/port"
refused "a block device (7:0)" /dev/ljt-loop "/dev/ljt-loop is block 7:0, a block device"
refused "loop-control (10:237)" /dev/ljt-loopctl "/dev/ljt-loopctl is char 10:237, /dev/loop-control"
refused "a link to an allowed device" /dev/ljt-link "/dev/ljt-link is a symbolic link"
refused "a link on the way" /dev/ljt-netlink/tun "/dev/ljt-netlink is a symbolic link"
refused "a path outside /dev" /etc/passwd "a device must be a path under /dev/"
refused "a regular file" /dev/ljt-file "/dev/ljt-file is a regular file, not a character device"
refused "a missing path" /dev/ljt-none "cannot open /dev/ljt-none: No such file or directory"
# One refused device among allowed ones refuses the whole login.
refused "one refused among allowed ones" "/dev/ljt-null /dev/ljt-mem" \
	"/dev/ljt-mem is char 1:1" /dev/ljt-mem
lj_policy 50-devices.conf </dev/null
