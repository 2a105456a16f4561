#!/usr/bin/env bash
# tests/run.sh UNITBIN...: run every test of the project.
#   1. each cmocka unit binary given as an argument;
#   2. unless LJ_SKIP_ROOT=1, every tests/root/test_*.sh (as root; each under a
#      timeout of LJ_ROOT_TIMEOUT seconds, default 300), counting its TAP
#      "ok" / "not ok" lines.
# Prints a summary per file, the failures with what they saw, and ends with
# exactly one line "N passed, N failed"; exits non-zero if anything failed.
# Full logs: build/test-logs/. LJ_ROOT_TESTS="test_a.sh test_b.sh" runs a subset.
# LJ_BUILD: the build directory under test (default build); LJ_SANITIZE=1
# (make check SANITIZE=1): every sanitizer report in /run/loginjail-san
# (tests/san/options.c) is a failure.
set -u
cd "$(dirname "$0")/.." || exit 1

passed=0
failed=0
logs=${LJ_BUILD:-build}/test-logs
mkdir -p "$logs"
rm -f "$logs"/*.log
SAN_DIR=/run/loginjail-san
if [ "${LJ_SANITIZE:-}" = 1 ]; then
	rm -rf "$SAN_DIR"
	mkdir -m 0755 "$SAN_DIR"
fi

# summary LINE: collected, printed together before the final line.
summary=()

# record KIND NAME: add the counts p and f (and note) of the file just run
# to the totals and its summary line; returns non-zero when it failed.
record() {
	local status=PASS
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && status=FAIL
	summary+=("$(printf '%-4s %-4s %-32s %4d passed, %3d failed  %3ds%s' \
		"$status" "$1" "$2" "$p" "$f" $((SECONDS - start)) "$note")")
	[ "$f" = 0 ]
}

# Failure details of a TAP log: each "not ok" line and the "#" lines after it.
tap_failures() {
	awk '/^not ok / { show = 1; print; next }
	     /^(ok|not ok) / { show = 0 }
	     show && /^#/ { print }' "$1" | head -n 200
}

for bin in "$@"; do
	name=$(basename "$bin")
	log=$logs/unit-$name.log
	start=$SECONDS
	ASAN_OPTIONS=detect_leaks=1 timeout -k 5 "${LJ_UNIT_TIMEOUT:-120}" "$bin" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
	note=
	if ! grep -q '^\[  PASSED  \]' "$log"; then
		f=$((f + 1))
		note=" (no cmocka summary: exit status $rc)"
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		note=" (exit status $rc)"
	fi
	if ! record unit "$name"; then
		echo "=== $name failed; its output (last 60 lines):"
		tail -n 60 "$log"
	fi
done

if [ "${LJ_SKIP_ROOT:-0}" != 1 ]; then
	if [ -n "${LJ_ROOT_TESTS:-}" ]; then
		tests=()
		for t in $LJ_ROOT_TESTS; do tests+=("tests/root/${t##*/}"); done
	else
		tests=(tests/root/test_*.sh)
	fi
	for t in "${tests[@]}"; do
		[ -f "$t" ] || continue
		name=$(basename "$t" .sh)
		log=$logs/$name.log
		start=$SECONDS
		echo "--- $name"
		timeout -k 15 "${LJ_ROOT_TIMEOUT:-300}" bash "$t" >"$log" 2>&1 </dev/null
		rc=$?
		p=$(grep -c '^ok ' "$log")
		f=$(grep -c '^not ok ' "$log")
		note=
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			f=$((f + 1))
			note=" (timed out after ${LJ_ROOT_TIMEOUT:-300}s)"
		elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			f=1
			note=" (exit status $rc without a failing test)"
		elif [ "$p" = 0 ] && [ "$f" = 0 ]; then
			f=1
			note=" (no test ran)"
		fi
		if ! record root "$name"; then
			echo "=== $name: failures (full log: $log)"
			tap_failures "$log"
			[ -n "$note" ] && echo "# $name$note; last lines:" && tail -n 15 "$log" | sed 's/^/#   /'
		fi
	done
fi

if [ "${LJ_SANITIZE:-}" = 1 ]; then
	start=$SECONDS p=0 f=0 note=
	for r in "$SAN_DIR"/*; do
		[ -f "$r" ] || continue
		# The user namespace's member runs on a stack of its own (a
		# clone sharing the helper's memory): ASan says it will not
		# clean up after a noreturn call there, which is no finding.
		grep -v -e '__asan_handle_no_return' -e '^False positive error reports may follow' \
			-e '^For details see https://github.com/google/sanitizers/issues/189' "$r" |
			grep -q . || continue
		f=$((f + 1))
		echo "=== sanitizer report $r:"
		head -n 40 "$r"
	done
	[ "$f" = 0 ] && p=1
	record san "reports in $SAN_DIR" || true
fi

echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
