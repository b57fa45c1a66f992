#!/bin/bash
# run.sh [NAME...] - run the tests listed in tests/TESTS (one line each:
# NAME KIND TIMEOUT SET), each under its own time limit, and count TAP
# results. The last line is "N passed, N failed"; the exit status is 0 only
# when nothing failed.
#
# kind unit: a cmocka binary (UNIT_DIR/NAME, default build/tests). Its cases
#   come from `NAME --list`, and each runs alone as `NAME --case CASE` in a
#   child of its own under TIMEOUT (tests/unit/unit.h): a case that hangs,
#   crashes or fails is one "not ok" line naming the binary and the case;
#   the binary's other cases still run.
# kind it: an integration script (tests/it/NAME.sh) printing "ok - ..." /
#   "not ok - ..." lines through tests/it/lib.sh, run whole under TIMEOUT.
# A program that exits non-zero with no "not ok", or prints no result,
# counts as one failure.
#
# Which tests: the NAMEs given (test_cli, format, tests/it/format.sh ...),
# else TESTS=fast (make test), slow (make test-slow), unit, it, all (the
# default) or check (the table alone). Before any test runs, the table is
# checked against the files: a test file not in the table, a line with no
# file, or a malformed line is one "not ok" line naming it.
#
# TESTS_ROOT (default .) is the tree whose tests/ is read; tests/it/runner.sh
# points it at a planted tree to test this script.
set -u
export CMBENCH=${CMBENCH:-./cmbench}
export CMOCKA_MESSAGE_OUTPUT=TAP
root=${TESTS_ROOT:-.}
table=$root/tests/TESTS
unit_dir=${UNIT_DIR:-$root/build/tests}
sel=${TESTS:-all}
pass=0 fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

bad() { # one failure, one line
	echo "not ok - $*"
	fail=$((fail + 1))
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

case $sel in
fast | slow | unit | it | all | check) ;;
*)
	echo "run.sh: TESTS=$sel: not fast, slow, unit, it, all or check" >&2
	exit 2
	;;
esac

# --- the table
declare -A kind=() limit=() set=() nofile=()
names=()
if [ ! -r "$table" ]; then
	bad "$table: missing (the table of tests)"
	finish
fi
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	read -r name k t s extra <<<"$line"
	case ${name:-} in '' | '#'*) continue ;; esac
	if [ -n "$extra" ] || ! [[ $name =~ ^[A-Za-z0-9_-]+$ ]] || ! [[ $k =~ ^(unit|it)$ ]] ||
		! [[ $t =~ ^[1-9][0-9]{0,4}$ ]] || ! [[ $s =~ ^(fast|slow)$ ]]; then
		bad "tests/TESTS:$lineno: '$line' is not NAME unit|it SECONDS fast|slow"
		continue
	fi
	if [ -n "${kind[$name]+x}" ]; then
		bad "tests/TESTS:$lineno: $name is listed twice"
		continue
	fi
	kind[$name]=$k limit[$name]=$t set[$name]=$s
	names+=("$name")
done <"$table"

src_of() { # NAME: its source file
	if [ "${kind[$1]}" = unit ]; then
		echo "$root/tests/unit/$1.c"
	else
		echo "$root/tests/it/$1.sh"
	fi
}

# --- the table against the files, both ways
for name in "${names[@]}"; do
	[ -f "$(src_of "$name")" ] && continue
	bad "tests/TESTS: $name: no file $(src_of "$name")"
	nofile[$name]=1
done
for f in "$root"/tests/unit/*.c "$root"/tests/it/*.sh; do
	[ -f "$f" ] || continue
	[ "$f" = "$root/tests/it/lib.sh" ] && continue # sourced by the scripts, not a test
	b=$(basename "$f")
	b=${b%.*}
	want=unit
	[ "$f" = "$root/tests/it/$b.sh" ] && want=it
	[ "${kind[$b]:-}" = "$want" ] ||
		bad "$f: not in tests/TESTS (add the line: $b $want SECONDS fast|slow)"
done

# --- which tests
todo=()
if [ $# -gt 0 ]; then
	for a in "$@"; do
		b=$(basename "$a")
		b=${b%.sh}
		b=${b%.c}
		if [ -n "${nofile[$b]+x}" ]; then
			continue # said above
		elif [ -n "${kind[$b]+x}" ]; then
			todo+=("$b")
		else
			bad "$a: not a test of tests/TESTS"
		fi
	done
else
	for name in "${names[@]}"; do
		[ -n "${nofile[$name]+x}" ] && continue
		case $sel in
		check) continue ;;
		fast | slow) [ "${set[$name]}" = "$sel" ] || continue ;;
		unit | it) [ "${kind[$name]}" = "$sel" ] || continue ;;
		esac
		todo+=("$name")
	done
fi

# why RC LIMIT NOTOK: the reason a program or a case failed, in words
why() {
	if [ "$1" -eq 124 ] || [ "$1" -eq 137 ]; then
		echo "timed out after $2 s (its limit in tests/TESTS)"
	elif [ "$1" -gt 128 ]; then
		echo "killed by signal $(($1 - 128)) ($(kill -l $(($1 - 128)) 2>/dev/null))"
	elif [ "$3" -gt 0 ]; then
		echo "failed"
	elif [ "$1" -ne 0 ]; then
		echo "exited with status $1"
	else
		echo "reported no result"
	fi
}

run_unit() { # NAME LIMIT: every case of the binary, each in its own child
	local name=$1 lim=$2 bin=$unit_dir/$1 t0=$SECONDS cases c rc p f n=0
	echo "# --- $name"
	if [ ! -x "$bin" ]; then
		bad "$name: $bin is not built (make $bin)"
		return
	fi
	cases=$(timeout -k 5 30 "$bin" --list 2>"$log")
	rc=$?
	if [ "$rc" -ne 0 ] || [ -z "$cases" ] || grep -qvE '^[A-Za-z_][A-Za-z0-9_]*$' <<<"$cases"; then
		sed 's/^/# /' "$log"
		bad "$name: --list named no cases (exit $rc): its main must end with unit_run() of tests/unit/unit.h"
		return
	fi
	for c in $cases; do
		n=$((n + 1))
		timeout -k 5 "$lim" "$bin" --case "$c" >"$log" 2>&1
		rc=$?
		p=$(grep -c '^ok ' "$log")
		f=$(grep -c '^not ok ' "$log")
		if [ "$rc" -eq 0 ] && [ "$p" -ge 1 ] && [ "$f" -eq 0 ]; then
			echo "ok - $name $c"
			pass=$((pass + 1))
		else
			sed 's/^/# /' "$log"
			bad "$name $c: $(why "$rc" "$lim" "$f")"
		fi
	done
	echo "# --- $name: $n cases, took $((SECONDS - t0)) s"
}

run_script() { # NAME LIMIT: the script whole, its TAP lines counted
	local name=$1 lim=$2 t0=$SECONDS rc p f
	echo "# --- $name.sh"
	timeout -k 5 "$lim" bash "$root/tests/it/$name.sh" >"$log" 2>&1
	rc=$?
	cat "$log"
	echo "# --- $name.sh took $((SECONDS - t0)) s"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$f" -eq 0 ] && { [ "$rc" -ne 0 ] || [ "$p" -eq 0 ]; }; then
		echo "not ok - $name.sh $(why "$rc" "$lim" 0)"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
}

for name in ${todo[@]+"${todo[@]}"}; do
	if [ "${kind[$name]}" = unit ]; then
		run_unit "$name" "${limit[$name]}"
	else
		run_script "$name" "${limit[$name]}"
	fi
done
finish
