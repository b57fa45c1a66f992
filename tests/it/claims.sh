#!/bin/bash
# claims.sh - `cmbench claims`: usage errors, a short list of runs (--runs)
# measured into claims.md with every claim answered (a figure, or "not
# measured" when its runs are missing) and a failed run reported, and the
# shipped list (claims/runs.txt) naming every run the claims read. The full
# measurement takes about a minute: run `cmbench claims` for it.
source "$(dirname "$0")/lib.sh"

"$CMBENCH" claims --bogus >/dev/null 2>"$TMP/err"
check "claims --bogus: exit 2, one line" test "$?" = 2 -a "$(wc -l <"$TMP/err")" = 1

REF=$("$CMBENCH" list models | head -1)
cat >"$TMP/runs.txt" <<RUNS
# a short list: one run a claim reads, smaller, and one that fails
seq_100x50ms  --model $REF --workload io --tasks 5 --io-latency 2ms
broken        --model $REF --workload io --tasks 0
RUNS
"$CMBENCH" claims -o "$TMP/out" --runs "$TMP/runs.txt" >"$TMP/stdout" 2>"$TMP/stderr"
rc=$?
md="$TMP/out/claims.md"
check "claims with a failing run: exit 1, claims.md written (rc $rc)" test "$rc" = 1 -a -s "$md"
rows=$(grep -c '^| [0-9]* | ' "$md")
check "claims.md: one row per claim, each with a verdict ($rows rows)" \
	test "$rows" -ge 8 -a "$(grep '^| [0-9]* | ' "$md" | grep -vc '| \*\*[a-z].*\*\* |$')" = 0
check "claims.md: claims whose runs are missing say so" grep -q 'not measured' "$md"
check "claims.md: the runs table has the clean run and the failed one" \
	test -n "$(grep '^| seq_100x50ms | .* | ok |$' "$md")" -a -n "$(grep '^| broken | .*failed' "$md")"
check "the run's csv row is kept" test "$(csv_field "$TMP/out/runs/seq_100x50ms.csv" tasks)" = 5

# every run the claims read (a literal with a _ that is no column) is in the
# shipped list, as NAME or NAME.N
cols=$("$CMBENCH" run --model "$REF" --workload cpu --tasks 1 --cpu-iters 1 --format csv | head -1 | tr , '\n')
missing=""
for name in $(grep -o '"[a-z][a-z0-9]*_[a-z0-9_]*"' claims/verdicts.c | tr -d '"' | sort -u); do
	echo "$cols" | grep -qx "$name" && continue
	grep -Eq "^$name(\.[0-9]+)? " claims/runs.txt || missing="$missing $name"
done
check "claims/runs.txt has every run verdicts.c reads${missing:+ (missing:$missing)}" test -z "$missing"
