#!/bin/bash
# aa.sh - does the verdict rule name false winners or false equivalences,
# and does it find a real difference? Two sweeps of one grid, stopped
# when decided (the default rule: docs/verdicts.md):
#   A/A: threadpool against itself (threadpool-b=threadpool), over shares
#        0 50 100 and concurrency 1 10 100 1000, the default reps (6..15,
#        equiv 5%); every winner it names is a false one;
#   A/B: the same, with threadpool-b's cpu work 10% heavier (cpu_scale:
#        threadpool-b=1.1); at shares 50 and 100 threadpool should win on
#        time (a detection), at share 100 (a true 10%) "equivalent" is
#        false, at share 0 there is no cpu work: A/A again.
# The makespan verdicts per point come from `cmbench compare S S` (each
# pair by its grid's rule), the other criteria from decision-matrix.md.
# Then `cmbench plots` on both, and the counts from decision-matrix.md
# into OUT/aa.txt. Run it on a quiet machine: about 2 x 3 minutes.
#
#   tools/measure/aa.sh [OUT]          (default results/aa-<UTC time>)
#   AA_SMALL=1 tools/measure/aa.sh     a small grid (seconds), to check it works
set -u
cd "$(dirname "$0")/../.."
out=${1:-results/aa-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out" || exit 2
CMBENCH=${CMBENCH:-./cmbench}

if [ "${AA_SMALL:-}" = 1 ]; then
	axes='share: 0 100\ntask_time: 1ms\nconcurrency: 10\ntasks: 100\n'
	reps='reps: 3..5\nbudget: 30s\n'
else
	axes='share: 0 50 100\ntask_time: 1ms\nconcurrency: 1 10 100 1000\ntasks: 1000\n'
	reps='reps: 6..15\n'
fi
for kind in aa ab; do
	{
		printf '# %s.spec - written by tools/measure/aa.sh\nname: %s\n' "$kind" "$kind"
		printf "%b" "$reps"
		printf 'warmup: 1\ntimeout: 5s\ngrid: matrix\nmodels: threadpool threadpool-b=threadpool\n'
		[ "$kind" = ab ] && printf 'cpu_scale: threadpool-b=1.1\n'
		printf "%b" "$axes"
	} >"$out/$kind.spec"
	rm -rf "$out/$kind"
	"$CMBENCH" sweep "$out/$kind.spec" -o "$out/$kind" 2>"$out/$kind.log"
	rc=$?
	[ "$rc" -eq 0 ] || { echo "aa: the $kind sweep failed (status $rc; $out/$kind.log)" >&2; exit 1; }
	"$CMBENCH" plots "$out/$kind" >/dev/null 2>>"$out/$kind.log" ||
		{ echo "aa: plots of $kind failed ($out/$kind.log)" >&2; exit 1; }
done

# The rows of "Every cell of the grid": | regime | C | time | p99 | memory |
rows() { awk '/^## Every cell of the grid/{on=1; next} /^## /{on=0} on && /^\| (io|mixed|cpu)/' "$1"; }
# verdict of column k (3 time, 4 p99, 5 memory) of a row: the winner's
# bold name, "equivalent" (also when the next criterion names one), or
# "inconclusive" (a "tie" in a set from before the three verdicts)
tally() {
	rows "$1" | awk -F'|' '
		{ share = ($2 ~ /io-bound/) ? 0 : ($2 ~ /cpu-bound/) ? 100 : 50
		  for (k = 4; k <= 6; k++) {
			w = "inconclusive"
			if ($k ~ /equivalent (on|within)/) w = "equivalent"
			else if ($k !~ /inconclusive|tie:/ && match($k, /\*\*[a-z0-9-]+\*\*/)) w = substr($k, RSTART + 2, RLENGTH - 4)
			crit = k == 4 ? "time" : k == 5 ? "p99" : "memory"
			print share, crit, w } }'
}
{
	echo "# A/A and A/B of the verdict rule ($(date -u +%FT%TZ), $(nproc) cores)"
	echo
	tally "$out/aa/decision-matrix.md" | awk '
		{ n++; if ($3 == "equivalent") eq++; else if ($3 != "inconclusive") fw++ }
		END { printf "A/A: %d comparisons (cells x criteria), %d false winners (%.1f%%), %d equivalent, %d inconclusive\n", n, fw, n ? 100 * fw / n : 0, eq, n - fw - eq }'
	tally "$out/ab/decision-matrix.md" | awk '
		$1 > 0 && $2 == "time" { n++; if ($3 == "threadpool") d++; if ($3 == "threadpool-b") wrong++ }
		$1 == 100 && $2 == "time" { m++; if ($3 == "equivalent") fe++ }
		$1 == 0 { z++; if ($3 != "inconclusive" && $3 != "equivalent") zf++ }
		END { printf "A/B (threadpool-b 10%% more cpu work): time at shares > 0: detected %d of %d, the wrong way %d; at share 100 %d false equivalent of %d\n", d, n, wrong, fe, m
		      printf "A/B at share 0 (no cpu work, so A/A): %d false winners in %d comparisons\n", zf, z }'
	# the makespan verdict of each point: "matrix:KEY: A <verdict> | B ..."
	for kind in aa ab; do
		"$CMBENCH" compare "$out/$kind" "$out/$kind" 2>/dev/null | grep '^matrix:' |
			sed 's/^matrix:\([^:]*\): A \(.*\) | B .*/\1|\2/' >"$out/$kind.pairs"
	done
	awk -F'|' '{ n++; if ($2 ~ / ahead of /) w++; else if ($2 ~ /equivalent within/) e++; else i++ }
		END { printf "A/A makespan, per point (stop when decided): %d pairs, %d false winners, %d equivalent, %d inconclusive\n", n, w, e, i }' "$out/aa.pairs"
	awk -F'|' '{ s = ($1 ~ /-s0-/) ? 0 : ($1 ~ /-s100-/) ? 100 : 50 }
		s > 0 { n++; if ($2 ~ /^threadpool [0-9.]+× .* ahead of threadpool-b/) d++; else if ($2 ~ / ahead of threadpool$/) wr++ }
		s == 100 { m++; if ($2 ~ /equivalent within/) fe++ }
		s == 0 { z++; if ($2 ~ / ahead of /) zf++ }
		END { printf "A/B makespan, per point: detected %d of %d at shares > 0 (%d the wrong way); at share 100 (a true 10%%) %d false equivalent of %d; at share 0 (A/A) %d false winners of %d\n", d, n, wr, fe, m, zf, z }' "$out/ab.pairs"
	for kind in aa ab; do
		awk -F, 'NR==1{for(i=1;i<=NF;i++)h[$i]=i;next}
			{ n++; r[n]=$h["reps"]; met += $h["ci_met"]; cut += $h["ci_stop"]=="budget"; dec += $h["ci_stop"]=="decided"
			  w = ($h["makespan_s_ci_hi"] - $h["makespan_s_ci_lo"]) / 2 / $h["makespan_s_med"] * 100; hw[n]=w }
			function isort(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
			END { isort(r, n); isort(hw, n); printf "%s: %d cells, reps %d / %d / %d (min/median/max), %d stopped decided, %d cut by the budget, %d reached the +-ci interval, median half-width of the makespan interval %.1f%%\n", k, n, r[1], r[int((n+1)/2)], r[n], dec, cut, met, hw[int((n+1)/2)] }' k="$kind" "$out/$kind/cells.csv"
	done
	echo
	echo "The verdicts (decision-matrix.md, every cell):"
	for kind in aa ab; do echo "## $kind"; rows "$out/$kind/decision-matrix.md"; done
} >"$out/aa.txt"
cat "$out/aa.txt" | head -8
echo "aa: $out/aa.txt"
