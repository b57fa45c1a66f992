# speedup.gp - chart 4: CPU-bound speedup vs workers on this host, from the
# `scaling` grid: sequential makespan / the model's makespan. The dashed
# line is the ideal, min(workers, cores): past the host's cores (dotted
# line) more workers cannot help. Bars come from the min..max of reps.
# Input: plotdata/speedup-MODEL.dat (workers speedup low high),
# plotdata/speedup-ideal.dat (workers speedup).
load scripts.'/common.gp'

do for [fmt in "png svg"] {
	eval term_for(fmt)
	set termoption noenhanced
	set output dir.'/speedup.'.fmt
	set tmargin 7
	set bmargin 4.5

	set label 95 "CPU-bound speedup over sequential vs workers" at screen 0.5, screen 0.955 center font ",23"
	set label 99 subtitle at screen 0.5, screen 0.905 center font ",15"
	set label 98 speedup_note at graph 0.02, graph 0.04 font ",13" tc rgb note_color
	set label 97 "higher is better; points: median of reps, bars: min..max" at graph 0.02, graph 0.96 font ",14"
	if (cores > 0) {
		set arrow 1 from cores, graph 0 to cores, graph 1 nohead dt 3 lw 2 lc rgb "#333333"
		set label 96 sprintf(" this host: %g cores", cores) at cores, graph 0.1 left font ",14"
	}
	set logscale x 2
	set format x "%g"
	set xrange [0.9:speedup_xmax * 1.1]
	set yrange [0:*]
	set offsets 0, 0, graph 0.12, 0
	set grid xtics ytics lc rgb "#dddddd" lw 1
	set xlabel "workers (threads, processes or offload pool size)"
	set ylabel "speedup (× sequential)"
	set key outside right center vertical Left reverse samplen 3 spacing 1.3
	plot for [m in speedup_models] dir."/plotdata/speedup-".m.".dat" using 1:2:3:4 \
		with yerrorlines lt model_lt(m) title m, \
	     dir."/plotdata/speedup-ideal.dat" using 1:2 with lines dt 2 lw 3 lc rgb "black" title "ideal"
	unset output
	unset label
	unset arrow
	unset offsets
}
