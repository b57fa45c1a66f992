# latency.gp - open loop: p99 (solid) and p50 (dashed) latency against the
# offered rate, one panel per regime (workload), one line per model; the
# SLO is the horizontal red line (the y range always holds it). Latency counts from each task's intended
# release, so a model that falls behind pays for the queue: the curve is
# flat while the model keeps up and turns up sharply (the hockey stick)
# as the offered rate nears its capacity.
# The band around each p99 line is its interval over the reps (the
# median's confidence interval when cells.csv has one, else min to max);
# a point with fewer than 100 samples has no p99 and is not drawn.
# Input: plotdata/latency-WORKLOAD-MODEL.dat
# (offered_tps p50_ms p99_ms achieved_tps load_pct p99_lo_ms p99_hi_ms).
load scripts.'/common.gp'

nwl = words(ol_workloads)
do for [fmt in "png svg"] {
	eval term_for(fmt)
	set termoption noenhanced
	set output dir.'/latency.'.fmt
	if (nwl == 0) {
		set label 95 "Open loop: latency vs offered load" at screen 0.5, screen 0.955 center font ",23"
		set label 96 "no open-loop grid (rate:) in this result set" at graph 0.5, graph 0.5 center font ",20"
		set xrange [1:10]
		set yrange [1:10]
		plot NaN notitle
	} else {
		set multiplot layout 1, nwl title "Open loop: latency vs offered load (p99 solid, p50 dashed)\n".subtitle font ",19"
		do for [w = 1:nwl] {
			wl = word(ol_workloads, w)
			ms = value('ol_models_'.w)
			slo = value('ol_slo_ms_'.w)
			set title value('ol_title_'.w) font ",17"
			set logscale xy
			set format x "%g"
			set format y "%g"
			set grid xtics ytics mytics lc rgb "#dddddd" lw 1
			set xlabel "offered load (tasks/s, log scale)"
			set ylabel "latency (ms, log scale)"
			set yrange [*:slo * 4]
			set arrow 1 from graph 0, first slo to graph 1, first slo nohead lw 3 lc rgb note_color dt 1
			set key top left Left reverse samplen 2 spacing 1.1 font ",13" box opaque
			set style fill transparent solid 0.2 noborder
			plot for [m in ms] dir."/plotdata/latency-".wl."-".m.".dat" using 1:6:7 \
				with filledcurves lt model_lt(m) notitle, \
			     for [m in ms] dir."/plotdata/latency-".wl."-".m.".dat" using 1:3 \
				with linespoints lt model_lt(m) title m, \
			     for [m in ms] dir."/plotdata/latency-".wl."-".m.".dat" using 1:2 \
				with lines lt model_lt(m) dt 2 lw 2 notitle, \
			     NaN with lines lw 3 lc rgb note_color dt 1 title sprintf("SLO: p99 ≤ %g ms", slo)
			unset arrow
		}
		unset multiplot
	}
	unset output
	unset label
}
