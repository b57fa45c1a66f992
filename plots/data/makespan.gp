# makespan.gp - chart 1: makespan vs concurrency, one panel per workload
# (io, mixed, cpu), one line per model, log-log; the dashed line is the
# ideal bound of DESIGN.md. Points are medians, bars the min..max of reps.
# Input: plotdata/makespan-PANEL-MODEL.dat (concurrency median min max)
# and plotdata/makespan-PANEL-bound.dat (concurrency bound_s).
load scripts.'/common.gp'

chart = "makespan"
chart_title = "Makespan vs concurrency (lower is better)"
chart_ylabel = "makespan (s)"
chart_bound = 1
do for [fmt in "png svg"] {
	eval term_for(fmt)
	set termoption noenhanced
	set output dir.'/makespan.'.fmt
	load scripts."/panels.gp"
	unset output
}
