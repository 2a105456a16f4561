#!/bin/bash
# How a sandboxed user changes a password (README.md, "Passwords"): at an
# ssh login with keyboard-interactive authentication, when the password has
# expired (the admin's `passwd -e USER` or `chage -d 0 USER`). sshd runs
# PAM's password change (pam_unix) during authentication, before the
# session opens, so on the host where /etc/shadow is; then the session is
# sandboxed as always. `passwd` inside the sandbox cannot change it: nosuid
# mounts and no_new_privs, by design.
# - ljt-pw (sandboxed) has a known password, expired; a login over a pty
#   gives it and a new one twice; the session is in the sandbox (battery),
#   the shadow hash changed and the last change is today;
# - a second login with the new password gets in (sandboxed); the old one
#   no longer does;
# - `passwd` in that session fails, and the hash stays as it was;
# - with password authentication (Debian's default sshd_config), not
#   keyboard-interactive, sshd makes the change after the session opened, by
#   running passwd in it: inside the sandbox, where it fails (README says to
#   allow keyboard-interactive): ljt-pw2 cannot change an expired password
#   that way, and the hash stays; nor with a login by ssh key.
. "$(dirname "$0")/lib.sh"

u=ljt-pw u2=ljt-pw2
old='Ljt-old-2731-qx'
new='Zpw-new-8852-kv'
LJ_SSHD_EXTRA="Match User $u
    KbdInteractiveAuthentication yes
Match User $u2
    PasswordAuthentication yes"
lj_group_add ljt-students
lj_user_add $u ljt-students
lj_user_add $u2 ljt-students
lj_sshd_start
for x in $u $u2; do
	echo "$x:$old" | chpasswd || lj_bail "chpasswd $x"
	passwd -e $x >/dev/null || lj_bail "passwd -e $x"
done
shadow() { getent shadow "${2:-$u}" | cut -d: -f"$1"; }
hash0=$(shadow 2)
lj_is "setup: the password has expired (last change 0)" "$(shadow 3)" 0

# pwlogin TAG PASSWORD [EXPECT SEND]...: ssh -t as $PWUSER (ljt-pw) with
# $PWAUTH authentication only (keyboard-interactive), on a pty
# (ptydrive.py), giving PASSWORD, then the further answers, then at the
# shell's prompt the probe (tag TAG); transcript in $T/TAG.out, facts in LJP.
PWUSER=$u PWAUTH=keyboard-interactive
pwlogin() {
	local tag=$1 pw=$2
	shift 2
	timeout 90 python3 "$LJ_TESTS/ptydrive.py" "$T/$tag.out" 60 \
		'[Pp]assword: *$' "$pw" "$@" \
		'\$ *$' "bash ~/.ljt-probe.sh $tag; exit" -- \
		env TERM=dumb ssh -t -F /dev/null -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -i "$T/keys/$PWUSER" \
		-o PreferredAuthentications=$PWAUTH -o NumberOfPasswordPrompts=1 \
		-o ConnectTimeout=10 -o LogLevel=ERROR -p "$LJ_SSH_PORT" $PWUSER@127.0.0.1
	PWRC=$?
	lj_probe_load "$T/$tag.out" "$tag"
}
# transcript TAG: what the terminal showed, but the probe's facts.
transcript() { sed 's/\r$//' "$T/$1.out" | grep -v '^LJ [a-z_A-Z0-9]*=' | tail -n 40; }

# ---------------------------------------------------------------- expired
pwlogin change "$old" \
	'Current password: *$' "$old" \
	'New password: *$' "$new" \
	'Retype new password: *$' "$new"
lj_result "expired: the login asks for the change, takes it and runs the probe" \
	"$([ -n "${LJP[ns_mnt]:-}" ]; echo $?)" "exit status $PWRC" "$(transcript change)"
lj_like "expired: sshd said the password must be changed" "$(transcript change)" \
	'You are required to change your password immediately'
lj_check_sandboxed change $u
hash1=$(shadow 2)
[ -n "$hash1" ] && [ "$hash1" != "$hash0" ]
lj_result "expired: the shadow hash changed" $? "before: $hash0" "after:  $hash1"
lj_is "expired: the last change is today" "$(shadow 3)" "$(($(date +%s) / 86400))"
lj_check_gone change $u

# ---------------------------------------------------------------- new password
pwlogin again "$new"
lj_result "the new password logs in" "$([ -n "${LJP[ns_mnt]:-}" ]; echo $?)" \
	"exit status $PWRC" "$(transcript again)"
lj_check_sandboxed again $u
lj_check_gone again $u

pwlogin oldpw "$old"
[ -z "${LJP[ns_mnt]:-}" ] && [ "$PWRC" != 0 ]
lj_result "the old password no longer logs in" $? "exit status $PWRC" "$(transcript oldpw)"

# ---------------------------------------------------------------- passwd inside
# passwd asks for the current password, and fails for lack of the
# privilege it would get from its setuid bit.
pwlogin inside "$new" \
	'\$ *$' 'passwd; echo "LJ passwd_rc=$?"' \
	'Current password: *$' "$new" \
	'LJ passwd_rc=[0-9]+' ''
said=$(sed 's/\r$//' "$T/inside.out" | sed -n '/^Changing password/,/^LJ passwd_rc=/p')
lj_note "passwd inside the sandbox said:" "$said"
lj_like "passwd inside the sandbox fails" "$said" 'LJ passwd_rc=[1-9]'
lj_like "passwd inside the sandbox: it cannot change the token" "$said" \
	'passwd: Authentication token manipulation error'
lj_is "passwd inside the sandbox: the hash is unchanged" "$(shadow 2)" "$hash1"
lj_check_sandboxed inside $u
lj_check_gone inside $u

# ---------------------------------------------------------------- password authentication
PWUSER=$u2 PWAUTH=password
hash0=$(shadow 2 $u2)
pwlogin pwauth "$old" 'Current password: *$' "$old" 'New password: *$' "$new" \
	'Retype new password: *$' "$new"
said=$(transcript pwauth)
lj_like "password authentication, expired: sshd runs passwd in the session" "$(tr '\n' ' ' <<<"$said")" \
	'permitted by applicable law.*Your password has expired.*Changing password for ljt-pw2'
lj_like "password authentication, expired: passwd fails there" "$said" \
	'passwd: Authentication token manipulation error'
lj_is "password authentication, expired: the hash is unchanged" "$(shadow 2 $u2)" "$hash0"
lj_is "password authentication, expired: still expired" "$(shadow 3 $u2)" 0
lj_check_gone pwauth $u2

# The same with the user's ssh key: the account is expired whatever the
# authentication, and sshd runs passwd in the session.
PWAUTH=publickey
pwlogin pubkey "$old" 'New password: *$' "$new" 'Retype new password: *$' "$new"
said=$(transcript pubkey)
lj_like "key login, expired: sshd runs passwd in the session" "$(tr '\n' ' ' <<<"$said")" \
	'permitted by applicable law.*Your password has expired.*Changing password for ljt-pw2'
lj_like "key login, expired: passwd fails there" "$said" \
	'passwd: Authentication token manipulation error'
lj_is "key login, expired: the hash is unchanged" "$(shadow 2 $u2)" "$hash0"
lj_check_gone pubkey $u2
