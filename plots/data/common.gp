# common.gp - loaded first by every chart script: the model colours, the
# terminals and the fonts, so that a model looks the same on every chart.
#
# Every script is run by `cmbench plots DIR` as
#     gnuplot -e "dir='DIR'; scripts='plots/data'" plots/data/NAME.gp
# and reads only DIR/plotdata/, which cmbench writes: vars.gp (the host
# line, the model list, which series exist) and one .dat file per series.
# To redraw one chart by hand after `cmbench plots DIR`, run that line.

if (!exists("dir")) dir = "."
load dir.'/plotdata/vars.gp'

set encoding utf8

# One colour and point shape per model, on every chart: line type i is
# the i-th word of `models`, its colour the i-th word of `model_colors`
# (vars.gp; cmbench takes both from the model table: Okabe-Ito colours,
# readable by colour-blind viewers, the event loops in blues, the pools
# warm), its point shape the i-th of the filled shapes.
model_point(i) = 5 + 2 * ((i - 1) % 6)
do for [i = 1:words(models)] {
	set linetype i lc rgb word(model_colors, i) lw 3 pt model_point(i) ps 1.6 dt 1
}
# the line type of a grid cell with no valid contender (matrix.gp)
set linetype fail_lt lc rgb "#bbbbbb" lw 2 pt 2 ps 2 dt 1
model_lt_from(m, i) = i > words(models) ? fail_lt : word(models, i) eq m ? i : model_lt_from(m, i + 1)
model_lt(m) = model_lt_from(m, 1)

# Classroom sizes: big fonts, thick lines. noenhanced keeps "_" as is.
term_png = "set terminal pngcairo size 1400,900 font 'DejaVu Sans,17' linewidth 2 noenhanced"
term_svg = "set terminal svg size 1400,900 font 'DejaVu Sans,17' linewidth 2 noenhanced background '#ffffff'"

# set_terminal(fmt) is "eval term_for(fmt)" in the scripts.
term_for(fmt) = fmt eq "png" ? term_png : term_svg

note_color = "#b00000"
