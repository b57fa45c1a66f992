#!/bin/bash
# run.sh UNIT_BIN... - run every unit test binary and every tests/it/*.sh,
# each in its own process under a time limit, and count TAP results.
# Unit binaries are cmocka programs (TAP output); integration scripts print
# "ok - ..." / "not ok - ..." lines through tests/it/lib.sh. A program that
# crashes, hangs or prints no result counts as one failure.
# The last line is "N passed, N failed".
set -u
export CMBENCH=${CMBENCH:-./cmbench}
export CMOCKA_MESSAGE_OUTPUT=TAP
pass=0 fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() { # name limit_s cmd...
	local name=$1 limit=$2 rc p f
	shift 2
	local t0=$SECONDS
	echo "# --- $name"
	timeout -k 5 "$limit" "$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	echo "# --- $name took $((SECONDS - t0)) s"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name reported no result"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
}

[ "${TESTS:-all}" = slow ] && set --
for bin in "$@"; do
	run_one "$(basename "$bin")" 120 "$bin"
done
# TESTS=fast (make test: the unit tests and every script not listed in
# tests/it/SLOW), slow (make test-slow: only the scripts listed there), all.
sel=${TESTS:-all}
is_slow() { grep -qx "$1" tests/it/SLOW 2>/dev/null; }
for t in tests/it/*.sh; do
	n=$(basename "$t")
	[ "$n" = lib.sh ] && continue
	case "$sel" in
	fast) is_slow "$n" && continue ;;
	slow) is_slow "$n" || continue ;;
	esac
	run_one "$n" 300 bash "$t"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
