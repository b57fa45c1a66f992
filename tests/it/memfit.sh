#!/bin/bash
# memfit.sh - `cmbench plots` fits PSS peak against concurrency per model
# in the memory grid (slope ± 95% interval, intercept = fixed cost) and
# REPORT.md quotes the slopes; a memory cell with fewer than 5 samples is
# flagged instead of quoted; a cell with a run above efficiency 1.02 is a
# self-check warning. On the fixture set with a memory grid added whose
# figures are known: threadpool's peak is 500 + 42 C KiB exactly, of
# which 30 C KiB are the harness's (harness_kib), so the model's is 12 C.
source "$(dirname "$0")/lib.sh"

FIX=tests/fixtures/results-small
SET="$TMP/set"
cp -r "$FIX" "$SET"
python3 - "$SET/cells.csv" <<'PY'
import csv, sys
path = sys.argv[1]
rows = list(csv.reader(open(path)))
h = rows[0]
for new in ("samples_min", "harness_kib_med"):  # a set from before: unknown
    if new not in h:
        h.append(new)
        for r in rows[1:]:
            r.append("")
col = {n: i for i, n in enumerate(h)}
tmpl = next(r for r in rows[1:] if r[col["model"]] == "threadpool" and r[col["ok"]] == "1")
def add(model, c, pss, samples, eff, harness=0):
    r = list(tmpl)
    r[col["cell"]] = f"memory-{model}-c{c}"
    r[col["grid"]] = "memory"
    r[col["model"]] = model
    r[col["concurrency"]] = str(c)
    r[col["tasks"]] = str(c)
    for k in ("med", "min", "max"):
        r[col[f"pss_peak_kib_{k}"]] = str(pss)
        r[col[f"mem_per_task_kib_{k}"]] = str(pss / c)
    r[col["samples_min"]] = str(samples)
    r[col["harness_kib_med"]] = str(harness)
    r[col["efficiency_max"]] = str(eff)
    rows.append(r)
for c in (100, 300, 1000):
    add("threadpool", c, 500 + 42 * c, 8, 0.9, 30 * c)  # the harness's 30 KiB a worker
    add("forkpool", c, 900 + 70 * c + (5 if c == 300 else 0), 8 if c < 1000 else 2, 0.9)
add("eventloop", 100, 600, 7, 1.10)
csv.writer(open(path, "w", newline=""), lineterminator="\n").writerows(rows)
PY
"$CMBENCH" plots "$SET" >/dev/null 2>"$TMP/err"
rc=$?
check "plots on a set with a memory grid: exit 0 ($(head -c 200 "$TMP/err"))" test "$rc" = 0
R="$SET/REPORT.md"
check "REPORT quotes threadpool's fitted slope, 12 KiB ± 0 per task, fixed 500 KiB" \
	grep -q "threadpool 12 KiB ± 0 KiB per task (fixed 500 KiB, 3 levels)" "$R"
check "forkpool: a cell with 2 samples is left out, so no fit from two levels" \
	bash -c '! grep -q "forkpool [0-9.]* KiB ±" "$1"' _ "$R"
check "REPORT flags the memory cell with fewer than 5 samples" \
	grep -q "too few samples.*memory-forkpool-c1000" "$R"
check "REPORT counts the run above efficiency 1.02 as a self-check warning" \
	grep -q "efficiency above the bound.*memory-eventloop-c100" "$R"
check "memory.png's data has the fitted slope" test -s "$SET/plotdata/memfit-threadpool.dat"
