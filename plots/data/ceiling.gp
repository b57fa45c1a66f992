# ceiling.gp - how many tasks each model holds at once on this machine,
# and what stops it (`cmbench ceiling`, the set's ceiling.csv). One panel
# per workload: the PSS of each clean probe against the tasks held, log-log,
# one line per model; each line ends at the model's ceiling, where the
# limit that stopped the next probe is named.
# Every model of the set, C and Python alike; beside each line, dots of the
# same colour add the tree's own kernel memory (page tables, kernel stacks,
# socket buffers) to its PSS.
# Input: plotdata/ceiling-W-MODEL.dat (tasks_held, pss_mib, pss_and_kernel_mib),
# plotdata/ceiling-labels-I.dat (x, y, "model limit"); vars ceiling_n,
# ceiling_wlI, ceiling_modelsI, ceiling_titleI.
load scripts.'/common.gp'

do for [fmt in "png svg"] {
	eval term_for(fmt)
	set termoption noenhanced
	set output dir.'/ceiling.'.fmt
	if (ceiling_n == 0) {
		set label 95 "Tasks held at once: memory and the limit" at screen 0.5, screen 0.955 center font ",23"
		set label 96 "no ceiling.csv in this result set (cmbench ceiling -o DIR)" at graph 0.5, graph 0.5 center font ",20"
		set xrange [1:10]
		set yrange [1:10]
		plot NaN notitle
		unset label
	} else {
		set multiplot layout 1, ceiling_n title "Tasks held at once: memory, and the limit that stopped each model\n".subtitle font ",19"
		set logscale xy
		set format x "%g"
		set format y "%g"
		set grid xtics ytics mytics lc rgb "#dddddd" lw 1
		set xlabel "tasks held in flight together (log scale)"
		set ylabel "PSS of the run (MiB, log scale)"
		set key top left Left reverse samplen 2 spacing 1.1 font ",13" box opaque
		set offsets 0, graph 0.35, graph 0.1, 0
		do for [w = 1:ceiling_n] {
			wl = value('ceiling_wl'.w)
			ms = value('ceiling_models'.w)
			set title value('ceiling_title'.w) font ",15"
			plot for [m in ms] dir."/plotdata/ceiling-".wl."-".m.".dat" using 1:2 \
				with linespoints lt model_lt(m) title m, \
				for [m in ms] dir."/plotdata/ceiling-".wl."-".m.".dat" using 1:3 \
				with points lt model_lt(m) pt 7 ps 0.5 notitle, \
				dir."/plotdata/ceiling-labels-".w.".dat" using 1:2:3 with labels \
				left offset 0.8, 0 font ",11" notitle
		}
		unset multiplot
	}
	unset output
	unset label
}
