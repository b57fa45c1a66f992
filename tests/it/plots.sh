#!/bin/bash
# plots.sh - `cmbench plots` end to end on a copy of the small real result
# set in tests/fixtures/results-small/: every chart as a valid PNG and SVG,
# decision-matrix.md and REPORT.md generated and naming models, a redraw
# over an existing set, and the exit status on bad input.
source "$(dirname "$0")/lib.sh"

FIX=tests/fixtures/results-small
CHARTS="makespan p99 memory speedup spectrum matrix"
MODELS="sequential|eventloop|eventloop-offload|threadpool|forkpool"

if ! command -v gnuplot >/dev/null; then
	not_ok "gnuplot is not installed (apt-get install gnuplot-nox)"
	exit 0
fi

SET="$TMP/results-small"
cp -r "$FIX" "$SET"
"$CMBENCH" plots "$SET" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "plots on the fixture: exit 0 (got $rc: $(head -c 300 "$TMP/err"))" test "$rc" = 0

for c in $CHARTS; do
	png="$SET/$c.png" svg="$SET/$c.svg"
	sig=$(head -c 4 "$png" 2>/dev/null | od -An -c | tr -d ' ')
	size=$(stat -c %s "$png" 2>/dev/null || echo 0)
	check "$c.png: PNG signature and over 5 KB (got '$sig', $size bytes)" \
		test "$sig" = '211PNG' -a "$size" -gt 5120
	check "$c.svg: an SVG document" grep -q '<svg' "$svg"
done
check "svg: underscores kept (noenhanced)" grep -q 'results-small' "$SET/makespan.svg"

md="$SET/decision-matrix.md"
check "decision-matrix.md: exists and names a model" grep -Eq "$MODELS" "$md"
check "decision-matrix.md: a row per regime (io, mixed, cpu)" \
	bash -c "grep -q '^| io-bound' '$md' && grep -q '^| mixed' '$md' && grep -q '^| cpu-bound' '$md'"
check "decision-matrix.md: states the tie rule" grep -q 'ratio is at least 1.05' "$md"
check "decision-matrix.md: every verdict is a winner, equivalent, inconclusive or no valid cell" \
	awk -F'|' '/^\| (io|mixed|cpu)/ && NF >= 6 {
		for (i = 4; i <= 6; i++) if ($i !~ /\*\*|equivalent within|inconclusive:|only valid|no valid|not measured/) bad++
	} END { exit bad > 0 }' "$md"
rep="$SET/REPORT.md"
check "REPORT.md: exists and names a model" grep -Eq "$MODELS" "$rep"
check "REPORT.md: embeds the six charts" \
	test "$(grep -c '^!\[.*\](\(makespan\|p99\|memory\|speedup\|spectrum\|matrix\)\.png)' "$rep")" = 6
check "REPORT.md: names the host CPU from meta.json" \
	grep -qF "$(sed -n 's/.*"cpu_model": "\([^"]*\)".*/\1/p' "$FIX/meta.json")" "$rep"
check "REPORT.md: findings computed from the numbers" grep -q 'KiB' "$rep"
check "plotdata/: one data file per series, with vars.gp" \
	test -s "$SET/plotdata/vars.gp" -a -s "$SET/plotdata/matrix-time.dat"

# a failed cell never wins: mark the io cells of the fastest io model as
# failed; it must vanish from the io rows and be counted as failed there
FAIL="$TMP/failed"
cp -r "$FIX" "$FAIL"
best=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$h["grid"] == "matrix" && $h["share_pct"] == 0 && $h["model"] != "sequential" &&
	(m == "" || $h["makespan_s_med"] < v) { m = $h["model"]; v = $h["makespan_s_med"] }
	END { print m }' "$FIX/cells.csv")
awk -F, -v OFS=, -v m="$best" '
	NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; print; next }
	$h["grid"] == "matrix" && $h["share_pct"] == 0 && $h["model"] == m { $h["ok"] = 0 }
	{ print }' "$FIX/cells.csv" >"$FAIL/cells.csv"
"$CMBENCH" plots "$FAIL" >/dev/null 2>&1
grep '^| io-bound' "$FAIL/decision-matrix.md" >"$TMP/iorows"
check "a failed cell never wins: $best is gone from the io rows" \
	bash -c "! grep -Eq '(^|[^a-z-])$best([^a-z-]|\$)' '$TMP/iorows'"
check "the failed cells are counted in the io rows" grep -q 'failed\]' "$TMP/iorows"

# redraw: a second run over the same set succeeds
"$CMBENCH" plots "$SET" >/dev/null 2>&1
check "redraw over an existing set: exit 0" test $? = 0

# bad input: exit 2 with one line on stderr
bad() { # what, args...
	local what=$1 rc lines
	shift
	"$CMBENCH" plots "$@" >/dev/null 2>"$TMP/bad"
	rc=$?
	lines=$(wc -l <"$TMP/bad")
	if [ "$rc" = 2 ] && [ "$lines" = 1 ]; then
		ok "bad input: $what -> exit 2: $(cat "$TMP/bad")"
	else
		not_ok "bad input: $what -> exit $rc, $lines lines: $(head -3 "$TMP/bad")"
	fi
}
mkdir -p "$TMP/empty"
bad "no cells.csv" "$TMP/empty"
bad "no directory given"
bad "unknown flag" "$SET" --bogus
printf 'cell,grid\nx,matrix\n' >"$TMP/empty/cells.csv"
bad "cells.csv without the model column" "$TMP/empty"
head -3 "$FIX/cells.csv" >"$TMP/empty/cells.csv"
echo "a,b,c" >>"$TMP/empty/cells.csv"
bad "cells.csv with a short row" "$TMP/empty"
bad "missing plot scripts" "$SET" --scripts "$TMP/nowhere"

# gnuplot trouble: exit 1 and say which script, or how to install it
mkdir -p "$TMP/badgp"
cp plots/data/*.gp "$TMP/badgp/"
echo 'this is not gnuplot' >>"$TMP/badgp/speedup.gp"
"$CMBENCH" plots "$SET" --scripts "$TMP/badgp" >/dev/null 2>"$TMP/gperr"
rc=$?
check "a failing script: exit 1 naming it (got $rc)" \
	bash -c "test $rc = 1 && grep -q 'gnuplot failed on .*speedup.gp' '$TMP/gperr'"
bin=$(readlink -f "$CMBENCH")
PATH=/nonexistent "$bin" plots "$SET" >/dev/null 2>"$TMP/gperr"
rc=$?
check "no gnuplot: exit 1 with the apt-get command (got $rc)" \
	bash -c "test $rc = 1 && grep -q 'apt-get install gnuplot-nox' '$TMP/gperr'"
