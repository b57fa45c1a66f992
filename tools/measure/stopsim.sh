#!/bin/bash
# stopsim.sh - the false rates of the sweep's stopping rule ("stop when
# decided", looks corrected by Bonferroni), simulated with the real code
# (lib/verdict.c through `cmbench __verdict-sim`, lib/verdict_sim.c):
# grid points of 2 and 5 models, lognormal noise of 1, 3 and 10% and two
# heavy-tailed shapes (Student t with 3 df on the logs; one run in ten
# slowed), A/A and a true 10% (and 5.1%) difference, at the default reps
# 6..15 and margin 5%; against the same looks uncorrected and no stopping.
# Figures into OUT (default tools/measure/stopsim.txt). CPU only, no
# timing: about 1 minute at the default 20000 points per row.
#
#   tools/measure/stopsim.sh [OUT]        STOPSIM_POINTS=2000 for a quick look
set -u
cd "$(dirname "$0")/../.."
out=${1:-tools/measure/stopsim.txt}
CMBENCH=${CMBENCH:-./cmbench}
points=${STOPSIM_POINTS:-20000}
reps=$(awk '/^reps:/ {print $2; exit}' sweeps/default)
"$CMBENCH" __verdict-sim --points "$points" --seed 1 --reps "${reps:-6..15}" --margin 5% >"$out.tmp" ||
	{ echo "stopsim: cmbench __verdict-sim failed" >&2; rm -f "$out.tmp"; exit 1; }
mv "$out.tmp" "$out"
echo "stopsim: $out"
