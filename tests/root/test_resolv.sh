#!/bin/bash
# network = host: name resolution works inside the sandbox as on the host,
# also where /etc/resolv.conf is a link into /run (systemd-resolved's stub,
# resolvconf), which the jail has not: the linked file is there, read-only.
# Here /etc gets an overlay, in this test's mount namespace only, whose
# resolv.conf links to a file under /run.
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
u=ljt-alice
lj_policy 50-hostnet.conf <<-'EOF2'
[user:ljt-alice]
network = host
EOF2

install -d -m 0755 "$T/resolve" "$T/etc-up" "$T/etc-work"
printf 'nameserver 127.0.0.53 # ljtest-resolv-marker\noptions edns0\n' >"$T/resolve/stub-resolv.conf"
chmod 0644 "$T/resolve/stub-resolv.conf"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$T/etc-up,workdir=$T/etc-work" /etc ||
	lj_bail "overlay on /etc"
rm -f /etc/resolv.conf && ln -s "$T/resolve/stub-resolv.conf" /etc/resolv.conf ||
	lj_bail "link /etc/resolv.conf"
# /etc/pam.d was bound over the old /etc: bind it again on the overlay.
mount --bind "$T/pam.d" /etc/pam.d || lj_bail "bind-mount the PAM copy again"
lj_sshd_start

out=$(lj_ssh $u 'readlink /etc/resolv.conf; cat /etc/resolv.conf; echo x >>/etc/resolv.conf 2>&1 && echo WROTE; getent hosts localhost' 2>&1)
lj_like "the link is there inside" "$out" "^$T/resolve/stub-resolv.conf$"
lj_like "resolv.conf reads as on the host" "$out" "nameserver 127.0.0.53 # ljtest-resolv-marker"
lj_unlike "resolv.conf is read-only inside" "$out" "WROTE"
lj_like "names resolve (getent hosts localhost)" "$out" "(127\.0\.0\.1|::1) +localhost"
lj_is "a second login works (joins, in the sandbox)" "$(lj_ssh $u 'hostname' 2>&1)" "jail-$u"

# With its own network the sandbox gets no link target from /run.
lj_policy 50-hostnet.conf </dev/null
no_sandbox() { [ -z "$(lj_state_entries $u "$(lj_uid $u)")" ]; }
lj_wait_for "$LJ_DEADLINE" no_sandbox ||
	lj_fail "the host-network sandbox ended (linger 0)" "$(lj_state_entries $u "$(lj_uid $u)")"
out=$(lj_ssh $u 'cat /etc/resolv.conf 2>&1; echo rc=$?' 2>&1)
lj_like "network = loopback: /etc/resolv.conf dangles (nothing of /run is bound)" "$out" "No such file or directory"
