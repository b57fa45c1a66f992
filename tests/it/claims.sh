#!/bin/bash
# claims.sh - `cmbench claims`: usage errors and a runs file with a bad line
# refused (exit 2, one line); a short list of runs (--runs) measured into
# claims.md with every claim answered (a verdict with its figure where its
# runs are bound, "not measured" where they are not), a probe (a program of
# models/python/) read as figures, a failed run reported, and the rule
# written out. The shipped list (claims/runs.txt) binding every role of
# every claim to a run it lists is tests/unit/test_claims.c's. The full
# measurement takes about a minute: run `cmbench claims` for it.
source "$(dirname "$0")/lib.sh"

"$CMBENCH" claims --bogus >/dev/null 2>"$TMP/err"
check "claims --bogus: exit 2, one line" test "$?" = 2 -a "$(wc -l <"$TMP/err")" = 1

printf 'ok --model x\nclaim no-such-claim py=ok\n' >"$TMP/bad.txt"
"$CMBENCH" claims -o "$TMP/bad" --runs "$TMP/bad.txt" >/dev/null 2>"$TMP/err"
rc=$?
check "claims --runs with a bad line: exit 2, one line naming it ($(cat "$TMP/err"))" \
	test "$rc" = 2 -a "$(wc -l <"$TMP/err")" = 1 -a -n "$(grep -F "bad.txt:2:" "$TMP/err")"

REF=$("$CMBENCH" list models | head -1)
cat >"$TMP/runs.txt" <<RUNS
# a short list: a run and a probe that claims read, smaller, and one that fails
seq_small  --model $REF --workload io --tasks 5 --io-latency 2ms
coros      --probe probe_coroutines.py n=1000
broken     --model $REF --workload io --tasks 0
claim sequential-500s c=seq_small
claim coroutine       py.objects=coros
RUNS
"$CMBENCH" claims -o "$TMP/out" --runs "$TMP/runs.txt" >"$TMP/stdout" 2>"$TMP/stderr"
rc=$?
md="$TMP/out/claims.md"
check "claims with a failing run: exit 1, claims.md written (rc $rc)" test "$rc" = 1 -a -s "$md"
rows=$(grep -c '^| [0-9]* | ' "$md")
check "claims.md: one row per claim, each with a verdict ($rows rows)" \
	test "$rows" -ge 10 -a "$(grep '^| [0-9]* | ' "$md" | grep -vc '| \*\*[a-z].*\*\* |$')" = 0
check "claims.md: claims whose runs are missing say so" grep -q 'not measured' "$md"
coro=$(grep '^| [0-9]* | a coroutine' "$md")
check "claims.md: the coroutine claim judged on the probe's figure (${coro##*| \*\*})" \
	test -n "$(echo "$coro" | grep -E '\*\*(holds|doesn.t hold here): a suspended CPython coroutine [0-9]+ B; the article: ~200 bytes ±25%\*\* \|$')"
check "claims.md: the rule and the runner's share written out" \
	test -n "$(grep -F 'within **±25%**' "$md")" -a -n "$(grep -F "runner's share" "$md")"
check "claims.md: the runs table has the clean run, the probe and the failed one" \
	test -n "$(grep '^| seq_small | .* | ok |$' "$md")" -a \
	-n "$(grep '^| coros | `--probe probe_coroutines.py n=1000` | .*ok: n=1000, coro_getsizeof_b=' "$md")" -a \
	-n "$(grep '^| broken | .*failed' "$md")"
check "the run's csv row is kept" test "$(csv_field "$TMP/out/runs/seq_small.csv" tasks)" = 5
