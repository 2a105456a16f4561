#!/bin/sh
# deps.sh PACKAGE...: install the Debian packages that the build and the
# tests need (make deps, the Makefile's DEPS), when one is missing, and leave
# the machine's own services as they were.
#
# The LDAP test (tests/root/test_ldap.sh) runs a slapd and an nslcd of its
# own, with their configuration bind-mounted in its own mount namespace. The
# packages would otherwise configure the machine for LDAP on install:
# - libnss-ldapd's postinst adds "ldap" to each line of /etc/nsswitch.conf
#   chosen in libnss-ldapd/nsswitch (a multiselect without default): preseeded
#   empty. (Its config script keeps the lines that already use ldap.)
# - slapd's postinst makes a database and a cn=config under /etc/ldap and
#   /var/lib/ldap from slapd/domain: preseeded slapd/no_configuration true.
# - nslcd's and slapd's postinsts start their daemon (invoke-rc.d): a
#   policy-rc.d that refuses every start, in place for this apt-get run only
#   (a machine's own policy-rc.d is put back after it), and, when this run
#   installed them, update-rc.d disable so that a boot does not start them.
# nslcd's postinst still writes /etc/nslcd.conf from its debconf defaults
# (ldap://127.0.0.1/, dc=example,dc=net): read by no one while nsswitch.conf
# names no ldap.
#
# The cron test (tests/root/test_cron.sh) runs Debian's cron and atd as
# daemons of its own, on spool directories bound in its mount namespace: the
# machine's cron and atd are held back the same way (policy-rc.d during the
# install, update-rc.d disable after it), so no job of the machine's
# crontabs runs because the tests were set up.
#
# Checked after the install: /etc/nsswitch.conf unchanged, no new slapd,
# nslcd, cron or atd process.
set -eu
export LC_ALL=C

missing=
for p in "$@"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || st=
	[ "$st" = "install ok installed" ] || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all installed"
	exit 0
fi
echo "deps: installing$missing"

policy=/usr/sbin/policy-rc.d
saved=
work=$(mktemp -d /tmp/loginjail-deps.XXXXXX)
restore() {
	if [ -n "$saved" ]; then
		mv -f "$saved" "$policy"
	else
		rm -f "$policy"
	fi
	rm -rf "$work"
}
trap restore EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -e "$policy" ] || [ -L "$policy" ]; then
	saved=$work/policy-rc.d
	cp -a "$policy" "$saved"
fi
printf '#!/bin/sh\n# make deps (tests/deps.sh): no service starts during its apt-get run\nexit 101\n' \
	>"$policy.loginjail-deps"
chmod 0755 "$policy.loginjail-deps"
mv -f "$policy.loginjail-deps" "$policy"

cp -a /etc/nsswitch.conf "$work/nsswitch.conf"
daemons="slapd nslcd cron atd"
daemons_before=$(pidof $daemons || true)
for p in $missing; do
	case $p in
	libnss-ldapd) echo "libnss-ldapd libnss-ldapd/nsswitch multiselect" ;;
	slapd) echo "slapd slapd/no_configuration boolean true" ;;
	esac
done | debconf-set-selections

apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing

for p in $missing; do
	case $p in
	slapd | nslcd | cron) update-rc.d "$p" disable >/dev/null 2>&1 || true ;;
	at) update-rc.d atd disable >/dev/null 2>&1 || true ;;
	esac
done
rc=0
if ! cmp -s "$work/nsswitch.conf" /etc/nsswitch.conf; then
	echo "deps: the install changed /etc/nsswitch.conf:" >&2
	diff -u "$work/nsswitch.conf" /etc/nsswitch.conf >&2 || true
	cp -a "$work/nsswitch.conf" /etc/nsswitch.conf.before-loginjail-deps
	echo "deps: the file as it was is in /etc/nsswitch.conf.before-loginjail-deps: check and put it back" >&2
	rc=1
fi
daemons_after=$(pidof $daemons || true)
if [ "$daemons_after" != "$daemons_before" ]; then
	echo "deps: a daemon ($daemons) was started by the install: $(ps -o pid=,args= -p "$(echo $daemons_after | tr ' ' ,)" 2>/dev/null)" >&2
	echo "deps: stop it (/etc/init.d/NAME stop: nslcd, slapd, cron, atd)" >&2
	rc=1
fi
exit $rc
