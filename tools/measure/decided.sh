#!/bin/bash
# decided.sh - the share of the decision matrix's cells that are decided
# (a winner, or equivalent models) in a result set, per criterion and in
# all, from the set's decisions.json (what `cmbench plots` wrote there,
# by the rule of its day: before the three verdicts a cell was a winner or
# a tie, and a tie counts as undecided). --recompute judges a copy of the
# set with this cmbench's rule instead. Cells with one valid model (nothing
# to decide) are left out. One line per set into stdout.
#
#   tools/measure/decided.sh [--recompute] DIR...
#   e.g. before/after: tools/measure/decided.sh results/sample results/latest
set -u
cd "$(dirname "$0")/../.."
CMBENCH=${CMBENCH:-./cmbench}
recompute=0
[ "${1:-}" = --recompute ] && { recompute=1; shift; }
[ $# -ge 1 ] || { echo "usage: decided.sh [--recompute] DIR..." >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$@"; do
	json=$dir/decisions.json
	if [ "$recompute" = 1 ]; then
		rm -rf "$tmp/set" && cp -r "$dir" "$tmp/set" &&
			"$CMBENCH" plots "$tmp/set" >/dev/null 2>"$tmp/err" ||
			{ echo "decided: cmbench plots $dir failed: $(tail -1 "$tmp/err")" >&2; exit 1; }
		json=$tmp/set/decisions.json
	fi
	[ -r "$json" ] || { echo "decided: no $json (run cmbench plots $dir)" >&2; exit 2; }
	python3 - "$json" "$dir" "$recompute" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
crits = [c["key"] for c in d["criteria"]]
out, tot = [], [0, 0, 0]
for k in crits:
    n = w = e = 0
    for cell in d["cells"]:
        v = cell.get(k) or {}
        word = v.get("verdict")
        if word is None:  # a set from before the three verdicts: winner or tie
            if not v.get("runner_up"):
                continue
            word = "inconclusive" if v.get("tie") else "winner"
        if word in ("alone", "untested") or not v.get("runner_up"):
            continue
        n += 1
        w += word == "winner"
        e += word == "equivalent"
    tot = [tot[0] + n, tot[1] + w, tot[2] + e]
    out.append(f"{k} {w + e}/{n} ({w} winners, {e} equivalent)")
n, w, e = tot
rule = "this cmbench's rule" if sys.argv[3] == "1" else "the set's own decisions.json"
print(f"{sys.argv[2]}: decided {w + e} of {n} matrix cells ({100 * (w + e) / n if n else 0:.0f}%; "
      f"{w} winners, {e} equivalent) by {rule}: " + "; ".join(out))
PY
done
