# p99.gp - chart 2: p99 latency vs concurrency, laid out as makespan.gp:
# one panel per workload, one line per model, log-log. Latency is
# completion - release, and every task is released at the start.
# Input: plotdata/p99-PANEL-MODEL.dat (concurrency median min max, in ms).
load scripts.'/common.gp'

chart = "p99"
chart_title = "p99 latency vs concurrency (lower is better)"
chart_ylabel = "p99 latency (ms)"
chart_bound = 0
do for [fmt in "png svg"] {
	eval term_for(fmt)
	set termoption noenhanced
	set output dir.'/p99.'.fmt
	load scripts."/panels.gp"
	unset output
}
