#!/bin/bash
# The helper and how the module runs it (SECURITY.md rules 1, 6, 7, 18, 19):
# only root may run it, setuid or not; argc == 0, 9000 arguments, a 5000-byte
# argument and a missing reply socket are refused; the module gives it an
# empty environment, only
# fds 0-3 (0-2 on /dev/null), no ignored or blocked signals, even when the
# application ignores SIGCHLD and carries LD_PRELOAD, LD_LIBRARY_PATH,
# GLIBC_TUNABLES, PATH=., HOME=/etc, IFS, TMPDIR, SHELL; a helper that gives no
# answer refuses the login (fail closed).
. "$(dirname "$0")/lib.sh"
lj_setup_std nossh
u=ljt-alice
lj_scratch helper

out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$LJ_HELPER" open --user $u 2>&1 3</dev/null)
lj_is "a non-root caller is refused (exit 100)" "$?" 100
lj_like "it says only root may run it" "$out" "only root"

cp "$LJ_HELPER" "$W/helper-suid" && chmod 4755 "$W/helper-suid"
if findmnt -no OPTIONS -T "$W" | grep -qw nosuid; then
	lj_note "$W is nosuid: the setuid copy runs unprivileged"
fi
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$W/helper-suid" open --user $u 2>&1 3</dev/null)
lj_is "a setuid copy run by a user is refused (exit 100)" "$?" 100
lj_like "the setuid copy says only root may run it" "$out" "only root"

cat >"$W/argv0.c" <<'C'
#include <unistd.h>
int main(int c, char **v) { char *a[] = { NULL }; execve(v[1], a, a); return 127; }
C
cc -o "$W/argv0" "$W/argv0.c" || lj_bail "compile argv0"
out=$("$W/argv0" "$LJ_HELPER" 2>&1)
lj_is "argc == 0 is refused (exit 100)" "$?" 100
# Linux 5.18+ turns argc == 0 into argv[0] == "": both are refused.
lj_like "argc == 0: it says why" "$out" "without argv"

out=$("$LJ_HELPER" open --user $u $(seq 9000) 2>&1 3</dev/null)
lj_is "9000 arguments are refused (exit 100)" "$?" 100
out=$("$LJ_HELPER" open --user "$(printf 'u%.0s' $(seq 5000))" 2>&1 3</dev/null)
lj_is "a 5000-byte argument is refused (exit 100)" "$?" 100
lj_like "a 5000-byte argument: it says why" "$out" "argument too long"
out=$("$LJ_HELPER" open --user $u 2>&1 3</dev/null)
lj_is "fd 3 not a socket is refused (exit 100)" "$?" 100
lj_like "fd 3 not a socket: it says so" "$out" "fd 3 must be the socket"

# A stand-in helper that records how it was started and answers nothing.
cat >"$W/fake.c" <<C
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
extern char **environ;
int main(void) {
	FILE *o = fopen("$W/fake.out", "w");
	char l[256], p[64], t[256];
	for (char **e = environ; *e; e++) fprintf(o, "env %s\n", *e);
	DIR *d = opendir("/proc/self/fd");
	struct dirent *x;
	while ((x = readdir(d))) {
		if (x->d_name[0] == '.' || atoi(x->d_name) == dirfd(d) || atoi(x->d_name) == fileno(o)) continue;
		snprintf(p, sizeof p, "/proc/self/fd/%s", x->d_name);
		ssize_t n = readlink(p, t, sizeof t - 1); t[n > 0 ? n : 0] = 0;
		fprintf(o, "fd %s %s\n", x->d_name, strncmp(t, "socket:", 7) ? t : "socket");
	}
	FILE *s = fopen("/proc/self/status", "r");
	while (fgets(l, sizeof l, s)) if (!strncmp(l, "SigIgn", 6) || !strncmp(l, "SigBlk", 6) || !strncmp(l, "Uid", 3)) fputs(l, o);
	fclose(o);
	return 1;
}
C
cc -o "$W/fake" "$W/fake.c" || lj_bail "compile fake helper"
lj_module_opt su helper "$W/fake"
out=$(trap '' CHLD; LD_PRELOAD=/nonexistent/evil.so LD_LIBRARY_PATH=/nonexistent \
	GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4096 PATH=. HOME=/etc IFS=x TMPDIR=/etc SHELL=/bin/false \
	/usr/bin/su - $u -c 'echo INSIDE' 2>&1)
rc=$?
lj_module_reset su
lj_unlike "no answer from the helper: the login does not run" "$out" "INSIDE"
lj_like "no answer from the helper: the user is told" "$out" "refused"
f=$(cat "$W/fake.out" 2>/dev/null)
lj_is "the helper's environment is PATH only" "$(grep '^env ' <<<"$f" | tr '\n' ' ')" \
	"env PATH=/usr/sbin:/usr/bin:/sbin:/bin "
lj_is "the helper has exactly fds 0-3" "$(grep '^fd ' <<<"$f" | awk '{print $2}' | sort -n | tr '\n' ' ')" "0 1 2 3 "
lj_is "fds 0-2 are /dev/null, 3 the socket" \
	"$(grep '^fd ' <<<"$f" | sort -n -k2 | awk '{print $3}' | tr '\n' ' ')" \
	"/dev/null /dev/null /dev/null socket "
# Signals 32 and 33 (bits 31, 32) are glibc's internal signals, which posix_spawn leaves alone.
ign=$(grep SigIgn <<<"$f" | awk '{print $2}')
lj_is "no standard signal is ignored in the helper (caller ignored SIGCHLD)" \
	"$(printf '%x' $((0x${ign:-ffffffff} & 0x7fffffff)))" 0
lj_like "no signal is blocked in the helper" "$(grep SigBlk <<<"$f")" "SigBlk:[[:space:]]+0+$"
lj_like "the helper runs as root" "$(grep Uid <<<"$f")" "Uid:[[:space:]]+0[[:space:]]+0[[:space:]]+0"

# With the real helper, a caller that ignores SIGCHLD still gets its sandbox.
out=$(trap '' CHLD; su - $u -c 'hostname' 2>&1)
lj_is "a caller ignoring SIGCHLD still lands in the sandbox" "$out" "jail-$u"
