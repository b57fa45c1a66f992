#!/bin/bash
# verdict_runs.sh - the measurements of issue 25 on one quiet machine, one
# right after the other: `make bench` with the code before the three
# verdicts (BEFORE: a checkout of it, built) and with this tree, twice;
# then the time of each, the share of matrix cells decided (winner or
# equivalent: decided.sh), and the cross-run figures by `cmbench compare`
# (this tree's two runs: the same machine; results/sample against a fresh
# run: another machine of the class, or an earlier day). Figures into OUT
# (default tools/measure/verdict_runs.txt). About 3 x 12 minutes.
#
#   git worktree add /tmp/before <commit before the verdict merge>
#   (cd /tmp/before && make -j2 cmbench)
#   BEFORE=/tmp/before tools/measure/verdict_runs.sh [OUT]
#   BEFORE=... SPEC=tests/fixtures/rounds.spec tools/measure/verdict_runs.sh /tmp/x.txt
#                                 (a tiny spec: checks the script end to end)
set -u
cd "$(dirname "$0")/../.."
out=${1:-tools/measure/verdict_runs.txt}
before=${BEFORE:-}
spec=${SPEC:-default}
[ -n "$before" ] && [ -x "$before/cmbench" ] ||
	{ echo "verdict_runs: BEFORE=DIR, a built checkout of the code before (DIR/cmbench)" >&2; exit 2; }
here=$(pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run DIR: make bench there (SPEC), its wall time and set; prints "SECONDS SETDIR"
run() {
	local dir=$1 t0 t1 set
	t0=$(date +%s)
	(cd "$dir" && SPEC="$spec" tools/bench.sh) >>"$log" 2>&1
	t1=$(date +%s)
	set=$(cd "$dir" && readlink -f results/latest)
	echo "$((t1 - t0)) $set"
}
mmss() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

read -r t_before s_before < <(run "$before")
read -r t_after s_after < <(run "$here")
read -r t_after2 s_after2 < <(run "$here")
{
	echo "# issue 25 measurements ($(date -u +%FT%TZ), $(nproc) cores, spec $spec)"
	echo
	echo "make bench: before $(mmss "$t_before") ($s_before), after $(mmss "$t_after") ($s_after), after again $(mmss "$t_after2") ($s_after2)"
	echo
	echo "Matrix cells decided (winner or equivalent):"
	CMBENCH="$before/cmbench" tools/measure/decided.sh "$s_before"
	tools/measure/decided.sh "$s_after" "$s_after2"
	echo "The before set judged by the new rule (its looks corrected as if it had stopped when decided):"
	tools/measure/decided.sh --recompute "$s_before"
	echo
	echo "Cross-run, the same machine (after against after again):"
	./cmbench compare "$s_after" "$s_after2" 2>/dev/null | grep -E '^[0-9]+ model pairs|^what differs'
	echo "Cross-run, results/sample against after (the sample's machine and day against this one):"
	./cmbench compare results/sample "$s_after" 2>/dev/null | grep -E '^[0-9]+ model pairs|^what differs'
	echo
	echo "Simulated false rates of the stopping rule: tools/measure/stopsim.txt (tools/measure/stopsim.sh)"
} >"$out"
cat "$out"
