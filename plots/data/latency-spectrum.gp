# latency-spectrum.gp - open loop: the latency percentile spectrum of each
# model at one offered load (70% of its own measured capacity when the grid
# gives rates in percent), one panel per regime; x = 1/(1-q) on a log
# scale, as HdrHistogram draws it. The red line is the SLO.
# Input: plotdata/olspectrum-WORKLOAD-MODEL.dat (quantile 1/(1-q) latency_ms).
load scripts.'/common.gp'

nwl = words(ol_workloads)
do for [fmt in "png svg"] {
	eval term_for(fmt)
	set termoption noenhanced
	set output dir.'/latency-spectrum.'.fmt
	if (nwl == 0) {
		set label 95 "Open loop: latency spectrum under load" at screen 0.5, screen 0.955 center font ",23"
		set label 96 "no open-loop grid (rate:) in this result set" at graph 0.5, graph 0.5 center font ",20"
		set xrange [1:10]
		set yrange [1:10]
		plot NaN notitle
	} else {
		set multiplot layout 1, nwl title "Open loop: latency by percentile under load (lower is better)\n".subtitle font ",19"
		do for [w = 1:nwl] {
			wl = word(ol_workloads, w)
			ms = value('ol_spectrum_models_'.w)
			slo = value('ol_slo_ms_'.w)
			set title value('ol_spectrum_title_'.w) font ",15"
			set logscale xy
			set xtics ("0%%" 1, "50%%" 2, "90%%" 10, "99%%" 100, "99.9%%" 1000, "99.99%%" 10000)
			set format y "%g"
			set xrange [1:*]
			set grid xtics ytics mytics lc rgb "#dddddd" lw 1
			set xlabel "percentile (x = 1/(1 - q), log scale)"
			set ylabel "latency (ms, log scale)"
			set key top left Left reverse samplen 2 spacing 1.1 font ",13" box opaque
			set arrow 1 from graph 0, first slo to graph 1, first slo nohead lw 3 lc rgb note_color
			if (words(ms) == 0) {
				plot NaN notitle
			} else {
				plot for [m in ms] dir."/plotdata/olspectrum-".wl."-".m.".dat" using 2:3 \
					with lines lt model_lt(m) lw 4 title m
			}
			unset arrow
		}
		unset multiplot
	}
	unset output
	unset label
}
