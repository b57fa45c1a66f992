# panels.gp - the per-workload layout of makespan.gp and p99.gp: a 2x2
# multiplot with one panel per workload in `panels` (vars.gp) and the key
# in the last one. The caller sets chart, chart_title, chart_ylabel and
# chart_bound (1: draw the ideal bound), the terminal and the output, and
# then loads this file.

set multiplot layout 2,2 title chart_title font ",24" margins 0.09,0.98,0.1,0.83 spacing 0.1,0.17
set label 99 subtitle at screen 0.5, screen 0.925 center font ",15"
set logscale xy
set format x "%g"
set format y "%g"
set grid xtics ytics mxtics mytics lc rgb "#dddddd" lw 1
set xlabel "concurrency (tasks in flight)"
set ylabel chart_ylabel
set key off
set autoscale xfix
set offsets graph 0.05, graph 0.05, 0, 0
do for [p in panels] {
	set title value("panel_title_".p) font ",19"
	set label 98 value(chart."_note_".p) at graph 0.02, graph 0.05 font ",12" tc rgb note_color
	pm = value(chart."_models_".p)
	file(m) = dir."/plotdata/".chart."-".p."-".m.".dat"
	bound = dir."/plotdata/makespan-".p."-bound.dat"
	if (words(pm) == 0) {
		set label 97 "no valid cell" at graph 0.5, graph 0.5 center font ",20"
		set xrange [1:10]
		set yrange [1:10]
		plot NaN notitle
		unset label 97
		set autoscale xfix
	} else {
		if (chart_bound && value("makespan_bound_".p)) {
			plot for [m in pm] file(m) using 1:2:3:4 with yerrorlines lt model_lt(m) title m, \
			     bound using 1:2 with lines dt 2 lw 3 lc rgb "black" title "ideal bound"
		} else {
			plot for [m in pm] file(m) using 1:2:3:4 with yerrorlines lt model_lt(m) title m
		}
	}
	unset label 99
	unset label 98
}

# the key panel: which colour is which model, and how to read the points
unset logscale
unset grid
unset title
unset xlabel
unset ylabel
unset offsets
set border 0
unset tics
set xrange [0:1]
set yrange [0:1]
set key at graph 0.1, graph 1.12 left top vertical Left reverse font ",17" samplen 3 spacing 1.15 title "model"
set label 97 "points: median of reps; bars: min..max\nsequential runs one task at a time: its one\nrun is drawn at every concurrency" at graph 0.02, graph -0.02 font ",13"
if (chart_bound) {
	plot for [m in present_models] NaN with linespoints lt model_lt(m) title m, \
	     NaN with lines dt 2 lw 3 lc rgb "black" title "ideal bound (DESIGN.md)"
} else {
	plot for [m in present_models] NaN with linespoints lt model_lt(m) title m
}
unset label 97
unset multiplot
set border
set tics
set autoscale xy
unset key
