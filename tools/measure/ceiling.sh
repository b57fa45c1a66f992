#!/bin/bash
# ceiling.sh - the ceiling of each model on this machine, C and Python: how
# many io tasks (one connection each, a long server wait, the client and
# the latency server on the box) and how many timer waits it holds at once,
# the limit that stopped it and the command that lifts it, the memory at
# the ceiling (PSS, KiB a task, the fit's slope, the tree's kernel memory)
# (cmbench ceiling, docs/ceiling.md). Writes results/measure-ceiling-<UTC>/:
# ceiling.csv, ceiling.log, ceiling.md (the table below, the limits cmbench
# lifted, the time it took), ceiling.png and REPORT.md.
#
#   MEM_BUDGET  the most memory a probe may use (default: cmbench's, half
#               the machine's memory)
#   MODELS      the models (default: make ceiling's CEILING_MODELS)
#   CAP, FROM   the largest and the first C (default 1000000 and 1024)
#   WORKLOADS   default io,timer
#
# It changes no sysctl; it names the one that stopped a search. A tiny
# check of the script itself: MODELS=eventloop CAP=2048 FROM=1024
# WORKLOADS=timer tools/measure/ceiling.sh (a few seconds).
set -u
cd "$(dirname "$0")/../.." || exit 2
make -s cmbench >/dev/null || exit 2
models=${MODELS:-$(awk -F' [?]= ' '$1=="CEILING_MODELS"{print $2; exit}' Makefile)}
cap=${CAP:-1000000}
from=${FROM:-1024}
wls=${WORKLOADS:-io,timer}
out=results/measure-ceiling-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$out" || exit 2
start=$(date +%s)
load0=$(cut -d" " -f1-3 /proc/loadavg)
./cmbench ceiling -o "$out" --models "$models" --workloads "$wls" --from "$from" --cap "$cap" \
	${MEM_BUDGET:+--mem-budget "$MEM_BUDGET"} 2>&1 | tee "$out/ceiling.log"
rc=${PIPESTATUS[0]}
took=$(($(date +%s) - start))
./cmbench plots "$out" >/dev/null 2>&1
{
	echo "# The ceiling of each model on $(hostname) ($(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo))"
	echo
	echo "cmbench ceiling --models $models --workloads $wls --from $from --cap $cap${MEM_BUDGET:+ --mem-budget $MEM_BUDGET};"
	echo "load average before: $load0; **${took} s** in all ($((took / 60))m$((took % 60))s), exit $rc."
	echo
	echo "Limits cmbench raised for its probes (soft/hard before -> after):"
	echo
	grep -E '^cmbench ceiling: (open files|threads and processes|--keep-limits)' "$out/ceiling.log" |
		sed 's/^cmbench ceiling: /- /'
	echo
	echo "| workload | model | tasks held | PSS at the ceiling | KiB a task | by the fit | kernel (tree) | first failing C | limit | to lift it |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	awk -F, 'NR==1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1=="ceiling" {
			printf "| %s | %s | %d | %.1f MiB | %.3g | %.3g | %.1f MiB | %s | %s: %s | %s |\n",
				$c["workload"], $c["model"], $c["concurrency"], $c["pss_peak_kib"] / 1024,
				$c["kib_per_task"], $c["slope_kib"], $c["kmem_kib"] / 1024,
				($c["first_fail"] > 0 ? $c["first_fail"] : "-"), $c["limit"], $c["detail"],
				$c["lift"] }' "$out/ceiling.csv" | sort
} >"$out/ceiling.md"
cat "$out/ceiling.md"
echo "ceiling: $out/ceiling.md, $out/ceiling.png"
exit "$rc"
