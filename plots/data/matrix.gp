# matrix.gp - chart 6: the decision matrix as heatmaps. x is the CPU share
# of each task (0% pure io .. 100% pure cpu), y the concurrency; a cell's
# colour is the model with the lowest median, its label the margin over
# the runner-up. A pale cell has no winner: "≈ runner-up" equivalent
# (within the margin), "? runner-up" inconclusive. One panel per criterion: time
# (makespan), p99 latency, memory per task. decision-matrix.md has the
# same verdicts in words.
# Input: plotdata/matrix-CRITERION.dat (share_index level_index linetype
# tie "winner" "margin"); tics from vars.gp.
load scripts.'/common.gp'

crit_keys = "time p99 memory"
crit_title(k) = k eq "time" ? "time: makespan" : k eq "p99" ? "p99 latency" : "memory per task (PSS)"
file(k) = dir."/plotdata/matrix-".k.".dat"
fail_color = "#b00000"

do for [fmt in "png svg"] {
	eval term_for(fmt)
	set termoption noenhanced
	set output dir.'/matrix.'.fmt
	set multiplot layout 2,2 title "Decision matrix: which model wins (measured)" font ",24" margins 0.1,0.98,0.1,0.83 spacing 0.11,0.17
	set label 99 subtitle at screen 0.5, screen 0.925 center font ",15"
	set xrange [-0.5:matrix_nx - 0.5]
	set yrange [-0.5:matrix_ny - 0.5]
	eval "set xtics ".matrix_xtics
	eval "set ytics ".matrix_ytics
	set tics scale 0
	set xlabel "CPU share of each task (0% = io, 100% = cpu)"
	set ylabel "concurrency"
	set key off
	do for [k in crit_keys] {
		set title crit_title(k) font ",19"
		if (matrix_nx == 0) {
			set label 96 "no grid cells in this result set" at graph 0.5, graph 0.5 center font ",17"
			set xrange [0:1]
			set yrange [0:1]
			plot NaN notitle
			unset label 96
			continue
		}
		plot file(k) using ($4 > 0 || $3 == fail_lt ? NaN : $1):2:(0.5):(0.5):3 with boxxyerror fs solid 0.85 border lc rgb "white" lc variable, \
		     file(k) using ($4 > 0 ? $1 : NaN):2:(0.5):(0.5):3 with boxxyerror fs solid 0.3 border lc rgb "white" lc variable, \
		     file(k) using ($3 == fail_lt ? $1 : NaN):2:(0.5):(0.5) with boxxyerror fs pattern 4 border lc rgb fail_color, \
		     file(k) using 1:($2 + 0.13):5 with labels font ",15", \
		     file(k) using 1:($2 - 0.2):6 with labels font ",13"
		unset label 99
	}
	# the key panel
	unset title
	unset xlabel
	unset ylabel
	set border 0
	unset tics
	set xrange [0:1]
	set yrange [0:1]
	set key at graph 0.02, graph 1.12 left top vertical Left reverse font ",15" samplen 2 spacing 1.1 maxrows 8 title "winner (its label)"
	set label 97 "label: winner, then how far ahead of\nthe runner-up (1.8× or +12%)\npale: no winner, ≈ equivalent\n(within the margin), ? inconclusive\nfailed cells never win" at graph 0.02, graph 0.05 font ",13"
	plot for [i = 1:words(matrix_models)] NaN with boxes fs solid 0.85 lt model_lt(word(matrix_models, i)) title word(matrix_models, i).' ('.word(matrix_labels, i).')', \
	     NaN with boxes fs solid 0.3 lc rgb "#777777" lw 1 title "no winner (pale: ≈ equivalent, ? inconclusive)", \
	     NaN with boxes fs pattern 4 lc rgb fail_color lw 1 title "no valid cell (failed)"
	unset label 97
	unset multiplot
	set border
	set tics
	unset key
	unset output
}
