# memory.gp - chart 3: memory per concurrent task vs concurrency, log-log,
# on the io workload (where concurrency goes highest). Memory per task is
# the PSS of the trial's process tree at its peak minus after set-up,
# divided by the concurrency: what one more task in flight costs. A thread
# costs its stack, a process its private pages, the loop a small struct.
# The notes sit outside the plot area, where they cover no line.
# Dashed, in the model's colour: the slope of its PSS peak fitted against
# concurrency (least squares, REPORT.md quotes it with its 95% interval),
# the marginal cost of one more task, across the levels fitted.
# Input: plotdata/memory-PANEL-MODEL.dat (concurrency median min max, KiB),
# plotdata/memfit-MODEL.dat (concurrency slope, KiB; models in memfit_models).
load scripts.'/common.gp'

do for [fmt in "png svg"] {
	eval term_for(fmt)
	set termoption noenhanced
	set output dir.'/memory.'.fmt
	set tmargin 7
	set bmargin 6

	set label 95 "Memory per concurrent task (PSS) vs concurrency, ".memory_title at screen 0.5, screen 0.955 center font ",23"
	set label 99 subtitle at screen 0.5, screen 0.905 center font ",15"
	set label 98 value("memory_note_".memory_panel) at screen 0.01, screen 0.025 left font ",13" tc rgb note_color
	set label 97 "lower is better; points: median of reps, bars: min..max; dashed: fitted slope" at graph 0, graph 1.035 left font ",14"
	set logscale xy
	set format x "%g"
	set format y "%g"
	set grid xtics ytics mxtics mytics lc rgb "#dddddd" lw 1
	set autoscale xfix
	set offsets graph 0.05, graph 0.05, 0, 0
	set xlabel "concurrency (tasks in flight)"
	set ylabel "KiB per concurrent task (PSS growth / concurrency)"
	set key outside right center vertical Left reverse samplen 3 spacing 1.3
	pm = value("memory_models_".memory_panel)
	file(m) = dir."/plotdata/memory-".memory_panel."-".m.".dat"
	if (words(pm) == 0) {
		set label 96 "no valid cell" at graph 0.5, graph 0.5 center font ",20"
		set xrange [1:10]
		set yrange [1:10]
		plot NaN notitle
	} else {
		fm = exists("memfit_models") ? memfit_models : ""
		fit(m) = dir."/plotdata/memfit-".m.".dat"
		if (words(fm) == 0) {
			plot for [m in pm] file(m) using 1:2:3:4 with yerrorlines lt model_lt(m) title m
		} else {
			plot for [m in pm] file(m) using 1:2:3:4 with yerrorlines lt model_lt(m) title m, \
			     for [m in fm] fit(m) using 1:2 with lines lt model_lt(m) dt 2 notitle
		}
	}
	unset output
	unset label
}
