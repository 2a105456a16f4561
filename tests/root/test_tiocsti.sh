#!/bin/bash
# TIOCSTI and TIOCLINUX are refused inside a session through every way into
# the kernel's ioctl (SECURITY.md rule 21): x86_64's own, one whose command
# has high bits set (the kernel takes an unsigned int), i386's (int $0x80)
# and x32's (its own number, 514 with bit 30). tiocsti.c tries each on
# /dev/null: ENOTTY means the call got past the filter to the tty layer,
# EPERM that the filter refused it. The x32 call must be EPERM even where the
# kernel has no x32 (ENOSYS): the filter sees every call before the kernel
# looks it up. A user without policy shows what each call does unfiltered.
. "$(dirname "$0")/lib.sh"
lj_setup_std
a=ljt-alice f=ljt-free
bin=/usr/local/libexec/ljtest/tiocsti
LJ_CLEANUP_HOOK="rm -rf /usr/local/libexec/ljtest"
if [ "$(uname -m)" != x86_64 ]; then
	lj_note "skipped: the ways into ioctl tried here are x86_64's ($(uname -m))"
	exit 0
fi
install -d -m 0755 "${bin%/*}"
out=$(cc -O2 -Wall -Werror -o "$bin" "$LJ_TESTS/tiocsti.c" 2>&1)
lj_result "tiocsti.c compiles" $? "$out" || exit 1

# way OUTPUT NAME: what the try NAME saw
way() { sed -n "s/^LJ $2=//p" <<<"$1"; }

ctl=$(cd / && su - $f -c "$bin" 2>&1 </dev/null)
lj_is "control: without policy TIOCSTI reaches the tty layer (ENOTTY)" "$(way "$ctl" native)" ENOTTY
lj_note "without policy: $(grep '^LJ ' <<<"$ctl" | cut -c 4- | tr '\n' ' ')"

for m in ssh su; do
	case $m in
	ssh) out=$(lj_ssh $a "$bin" 2>&1) ;;
	su) out=$(cd / && su - $a -c "$bin" 2>&1 </dev/null) ;;
	esac
	lj_note "$m: $(grep '^LJ ' <<<"$out" | cut -c 4- | tr '\n' ' ')"
	lj_is "$m: native ioctl TIOCSTI is refused" "$(way "$out" native)" EPERM
	lj_is "$m: native ioctl TIOCLINUX is refused" "$(way "$out" native_tioclinux)" EPERM
	lj_is "$m: native ioctl with TIOCSTI in the low 32 bits, high bits set, is refused" \
		"$(way "$out" native_high_bits)" EPERM
	lj_is "$m: x32 ioctl (0x40000202) TIOCSTI is refused (x32 $([ "$(way "$ctl" x32)" = ENOSYS ] && echo off || echo on) here)" \
		"$(way "$out" x32)" EPERM
	lj_like "$m: x86_64's ioctl number with the x32 bit (0x40000010) does not reach the tty layer" \
		"$(way "$out" x32_nr16)" '^(EPERM|ENOSYS)$'
	for w in i386 i386_tioclinux; do
		if [ "$(way "$ctl" $w)" = "signal 11" ]; then
			lj_note "$m: $w: this kernel runs no i386 code (int \$0x80 faults without policy too)"
			lj_is "$m: $w: int \$0x80 faults in the session as well" "$(way "$out" $w)" "signal 11"
		else
			lj_is "$m: $w ioctl (int \$0x80, nr 54) is refused" "$(way "$out" $w)" EPERM
		fi
	done
done
