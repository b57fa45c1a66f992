# stall.gp - the seed's central warning, measured: a blocking call in
# every task. Left, makespan against concurrency; right, p99 latency. An
# event loop that makes the call inline (eventloop, like requests.get()
# inside async def) runs one call at a time, whatever the concurrency,
# while offloading it (eventloop-offload, like run_in_executor), threads
# and processes overlap the waits. Points are medians, bars min..max of
# the reps; log-log.
# Input: plotdata/blocking-MODEL.dat (concurrency, makespan_s med min max,
# p99_ms med min max); vars blocking_models, blocking_title, blocking_note.
load scripts.'/common.gp'

do for [fmt in "png svg"] {
	eval term_for(fmt)
	set termoption noenhanced
	set output dir.'/stall.'.fmt
	if (words(blocking_models) == 0) {
		set label 95 "A blocking call inside an event loop" at screen 0.5, screen 0.955 center font ",23"
		set label 96 "no cells of a blocking workload in this result set" at graph 0.5, graph 0.5 center font ",20"
		set xrange [1:10]
		set yrange [1:10]
		plot NaN notitle
		unset label
	} else {
		set multiplot layout 1, 2 title "A blocking call inside an event loop: ".blocking_title."\n".subtitle font ",19"
		set logscale xy
		set format x "%g"
		set format y "%g"
		set grid xtics ytics mytics lc rgb "#dddddd" lw 1
		set xlabel "concurrency (tasks in flight, log scale)"
		set key top left Left reverse samplen 2 spacing 1.1 font ",13" box opaque
		set title "makespan (lower is better)" font ",17"
		set ylabel "makespan (s, log scale)"
		plot for [m in blocking_models] dir."/plotdata/blocking-".m.".dat" using 1:2:3:4 \
			with yerrorlines lt model_lt(m) title m
		set title "p99 latency (lower is better)" font ",17"
		set ylabel "p99 latency (ms, log scale)"
		plot for [m in blocking_models] dir."/plotdata/blocking-".m.".dat" using 1:5:6:7 \
			with yerrorlines lt model_lt(m) title m
		unset multiplot
		if (strlen(blocking_note) > 0) {
			set label 97 blocking_note at screen 0.5, screen 0.02 center font ",13" tc rgb note_color
		}
	}
	unset output
	unset label
}
