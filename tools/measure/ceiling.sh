#!/bin/bash
# ceiling.sh - the ceiling of each model on this machine: how many io tasks
# (one connection each, a long server wait) and how many timer waits it
# holds at once, the limit that stopped it and the memory at the ceiling
# (cmbench ceiling). Writes results/measure-ceiling-<UTC>/: ceiling.csv,
# ceiling.md (the table below), ceiling.png and REPORT.md.
#
#   MEM_BUDGET  the most memory a probe may use (default 4G; cmbench's own
#               default is half the machine's memory)
#   CAP_LOOP    the largest C tried for eventloop (default 1000000)
#   CAP_TASKS   the same for threadpool, thread-per-task, forkpool (default
#               1000000). On a shared machine keep it below kernel.pid_max:
#               a probe at the thread limit takes the machine's last pids.
#   MODELS_LOOP, MODELS_TASKS  the models of each group
set -u
cd "$(dirname "$0")/../.." || exit 2
make -s cmbench >/dev/null || exit 2
budget=${MEM_BUDGET:-4G}
cap_loop=${CAP_LOOP:-1000000}
cap_tasks=${CAP_TASKS:-1000000}
out=results/measure-ceiling-$(date -u +%Y%m%d-%H%M%S)
start=$(date +%s)
load0=$(cut -d" " -f1-3 /proc/loadavg)
./cmbench ceiling -o "$out" --models "${MODELS_LOOP:-eventloop}" --workloads io,timer \
	--from 1024 --cap "$cap_loop" --mem-budget "$budget" 2>&1 | tee "$out.log"
./cmbench ceiling -o "$out" --models "${MODELS_TASKS:-threadpool,thread-per-task,forkpool}" \
	--workloads io,timer --from 1024 --cap "$cap_tasks" --mem-budget "$budget" 2>&1 | tee -a "$out.log"
mv "$out.log" "$out/ceiling.log"
./cmbench plots "$out" >/dev/null 2>&1
{
	echo "# The ceiling of each model on $(hostname) ($(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo))"
	echo
	echo "cmbench ceiling, memory budget $budget, caps $cap_loop (eventloop) and $cap_tasks (the others);"
	echo "load average before: $load0; $(($(date +%s) - start)) s in all."
	echo
	echo "| workload | model | tasks held | PSS at the ceiling | per task | first failing C | limit | detail |"
	echo "|---|---|---|---|---|---|---|---|"
	awk -F, '$1=="ceiling" {
		per = $4 > 0 ? ($6 - $7) / $4 : 0
		printf "| %s | %s | %d | %.1f MiB | %.2f KiB | %s | %s | %s |\n", $3, $2, $4, $6 / 1024, per,
			($12 > 0 ? $12 : "-"), $13, $14 }' "$out/ceiling.csv"
} >"$out/ceiling.md"
cat "$out/ceiling.md"
echo "ceiling: $out/ceiling.md, $out/ceiling.png"
