# spectrum.gp - chart 5: the latency percentile spectrum of one cell per
# model, as HdrHistogram plots draw it: x = 1/(1-q) on a log scale, so
# that 90%, 99%, 99.9%... are equally spaced and the tail gets the room.
# The line at x is the latency that a fraction q of tasks stayed under.
# Input: plotdata/spectrum-MODEL.dat (quantile 1/(1-quantile) latency_ms).
load scripts.'/common.gp'

do for [fmt in "png svg"] {
	eval term_for(fmt)
	set termoption noenhanced
	set output dir.'/spectrum.'.fmt
	set tmargin 7
	set bmargin 4.5

	set label 95 "Latency by percentile: ".spectrum_cell at screen 0.5, screen 0.955 center font ",23"
	set label 99 subtitle at screen 0.5, screen 0.905 center font ",15"
	set label 97 "lower is better; latency = completion - release (all released at start)" at graph 0.02, graph 0.96 font ",14"
	set logscale xy
	set xtics ("0%%" 1, "50%%" 2, "90%%" 10, "99%%" 100, "99.9%%" 1000, "99.99%%" 10000, "99.999%%" 100000)
	set format y "%g"
	set xrange [1:*]
	set grid xtics ytics mytics lc rgb "#dddddd" lw 1
	set xlabel "percentile (x = 1/(1 - q), log scale)"
	set ylabel "latency (ms)"
	set key outside right center vertical Left reverse samplen 3 spacing 1.3
	if (words(spectrum_models) == 0) {
		set label 96 "no latency spectra in this result set" at graph 0.5, graph 0.5 center font ",20"
		set xrange [1:1000]
		set yrange [1:10]
		plot NaN notitle
	} else {
		plot for [m in spectrum_models] dir."/plotdata/spectrum-".m.".dat" using 2:3 \
			with lines lt model_lt(m) lw 4 title m
	}
	unset output
	unset label
}
