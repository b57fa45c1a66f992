#!/bin/bash
# py_instrument.sh - the instrument's share of a Python task (issue 26):
# every py-* model on io (2,000 tasks of 1 ms at C=100, a new connection
# each, 256-byte bodies) and on mixed (the same, then --cpu-iters of the
# kernel), run as it is measured ("normal") and with --py-bare, the control
# (docs/python.md: the same program with its self-check and records at
# their minimum), interleaved: ROUNDS rounds, in each round every model x
# workload x variant once, in an order shuffled from the seed. The
# instrument's share of a task is (normal - control) / normal of the median
# makespans; per task, (normal - control) / tasks; and the same of the CPU
# time (user + sys of the program's processes, set-up included, the same in
# both), steadier than the makespan where other work shares the cores. The
# goal: at most 2% on io.
#
# With CMBENCH_BEFORE=PATH (an older cmbench, built with its own
# models/python beside it, e.g. /work/before/cmbench of commit ed7c5d8) the
# same runs of that binary go into each round too, and the table gives the
# makespan before and after per model.
#
#   tools/measure/py_instrument.sh [OUT]   (default tools/measure/py_instrument.txt;
#                                          every run's row in OUT.csv)
#   ROUNDS=5 TASKS=2000 CPU_ITERS=200 SEED=26 MODELS="py-asyncio py-uvloop"
#   CMBENCH=./cmbench CMBENCH_BEFORE=/work/before/cmbench
# About 6 minutes on 2 cores with the defaults (9 with CMBENCH_BEFORE).
# A check that it works end to end: ROUNDS=1 TASKS=100 MODELS=py-asyncio.
set -u
cd "$(dirname "$0")/../.." || exit 2
OUT=${1:-tools/measure/py_instrument.txt}
ROUNDS=${ROUNDS:-5}
TASKS=${TASKS:-2000}
CPU_ITERS=${CPU_ITERS:-200}
SEED=${SEED:-26}
CMBENCH=${CMBENCH:-./cmbench}
BEFORE=${CMBENCH_BEFORE:-}
RAW=$OUT.csv

[ -x "$CMBENCH" ] || { echo "py_instrument: no cmbench at $CMBENCH (make cmbench)" >&2; exit 2; }
if [ -n "$BEFORE" ] && [ ! -x "$BEFORE" ]; then
	echo "py_instrument: CMBENCH_BEFORE=$BEFORE is not an executable" >&2
	exit 2
fi
for n in "$ROUNDS" "$TASKS" "$CPU_ITERS" "$SEED"; do
	case $n in '' | *[!0-9]*) echo "py_instrument: '$n' is not a whole number" >&2; exit 2 ;; esac
done
models=${MODELS:-$("$CMBENCH" list | awk '/^models:/ { f = 1; next } /^[a-z ]*:$/ { f = 0 }
	f && $1 ~ /^py-/ { print $1 }')}
[ -n "$models" ] || { echo "py_instrument: no py-* model in '$CMBENCH list'" >&2; exit 2; }
variants="normal control${BEFORE:+ before}"

# run MODEL WORKLOAD VARIANT: one row's makespan, CPU and errors, or "failed"
run() {
	local bin=$CMBENCH extra=() w=(--workload "$2")
	[ "$2" = mixed ] && w+=(--cpu-iters "$CPU_ITERS")
	case $3 in
	control) extra=(--py-bare) ;;
	before) bin=$BEFORE ;;
	esac
	"$bin" run --model "$1" "${w[@]}" --tasks "$TASKS" --concurrency 100 --io-latency 1ms \
		--payload 256 --conn new "${extra[@]}" --format csv 2>/dev/null |
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ print $c["makespan_s"], $c["cpu_user_s"] + $c["cpu_sys_s"], $c["errors"] }' |
		grep . || echo "failed failed failed"
}

# the runs of a round in an order shuffled from the seed and the round
order() {
	for m in $models; do
		for w in io mixed; do
			for v in $variants; do echo "$m $w $v"; done
		done
	done | shuf --random-source=<(yes "$SEED.$1")
}

echo "round,model,workload,variant,makespan_s,cpu_s,errors" >"$RAW"
start=$(date +%s)
for r in $(seq "$ROUNDS"); do
	order "$r" | while read -r m w v; do
		read -r ms cpu errs < <(run "$m" "$w" "$v")
		echo "$r,$m,$w,$v,$ms,$cpu,$errs" >>"$RAW"
	done
	echo "py_instrument: round $r of $ROUNDS done ($(($(date +%s) - start)) s)" >&2
done

{
	echo "# The instrument's share of a Python task (tools/measure/py_instrument.sh)"
	echo
	echo "$(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
		"$ROUNDS interleaved rounds; $TASKS tasks of 1 ms at C=100, a new connection each," \
		"256-byte bodies; mixed adds --cpu-iters $CPU_ITERS. Medians of the rounds' makespans." \
		"normal: as measured; control: --py-bare (no body checksum, the minimal read of the" \
		"response, a count per worker instead of a record per task);" \
		"instrument = normal - control, per task and as a share of normal; its CPU: the same" \
		"of the program's CPU time (user + sys).${BEFORE:+ before: $BEFORE.}"
	echo
	printf '| model | workload | normal | control | instrument per task | share | its CPU per task | CPU share |%s\n' \
		"${BEFORE:+ before | after / before |}"
	printf '|---|---|---|---|---|---|---|---|%s\n' "${BEFORE:+---|---|}"
	awk -F, -v tasks="$TASKS" -v before="$BEFORE" '
	NR == 1 { next }
	$7 != "0" { bad[$2 " " $3 " " $4]++; next }
	{ k = $2 " " $3 " " $4; n[k]++; v[k, n[k]] = $5; u[k, n[k]] = $6; if (!($2 " " $3 in seen)) { seen[$2 " " $3]; keys[++nk] = $2 " " $3 } }
	function median(k, cpu,    i, j, t, m, a) {
		m = n[k]
		if (!m) return -1
		for (i = 1; i <= m; i++) a[i] = cpu ? u[k, i] : v[k, i]
		for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	function cell(x) { return x < 0 ? "failed" : sprintf("%.3f s", x) }
	END {
		for (i = 1; i <= nk; i++) {
			split(keys[i], mw, " ")
			a = median(keys[i] " normal", 0); c = median(keys[i] " control", 0)
			per = a > 0 && c > 0 ? sprintf("%.1f us", (a - c) / tasks * 1e6) : "?"
			share = a > 0 && c > 0 ? sprintf("%.1f%%", 100 * (a - c) / a) : "?"
			ua = median(keys[i] " normal", 1); uc = median(keys[i] " control", 1)
			uper = ua > 0 && uc > 0 ? sprintf("%.1f us", (ua - uc) / tasks * 1e6) : "?"
			ushare = ua > 0 && uc > 0 ? sprintf("%.1f%%", 100 * (ua - uc) / ua) : "?"
			line = sprintf("| %s | %s | %s | %s | %s | %s | %s | %s |", mw[1], mw[2], cell(a), cell(c),
				per, share, uper, ushare)
			if (before != "") {
				b = median(keys[i] " before", 0)
				line = line sprintf(" %s | %s |", cell(b), a > 0 && b > 0 ? sprintf("%.2fx", a / b) : "?")
			}
			print line
		}
		for (k in bad) printf "\n%s: %d run(s) failed or had errors, left out", k, bad[k]
	}' "$RAW"
} >"$OUT"
echo "py_instrument: $OUT (every run: $RAW)" >&2
