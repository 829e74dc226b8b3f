# recovery-mainline-xrun-capture.gp: made by scripts/report.sh; run it in this directory:
#   gnuplot recovery-mainline-xrun-capture.gp
# Histogram of the recovery latency (xrun-stress latency_us of the
# cycles that recovered) of xrun-capture on mainline, one bar per kernel variant.
binw = 200.0 / 1000   # bin width, ms
cap = 3600.0 / 1000    # values at or above go to the last bar
bin(x) = (x / 1000 >= cap ? cap : binw * floor(x / 1000 / binw)) + binw / 2
set title 'mainline xrun-capture: XRUN recovery latency (lab QEMU, TCG)' noenhanced
set xlabel 'recovery latency (ms): -EPIPE to the first period read/written after the restart'
set ylabel 'recoveries'
set xrange [0:3.8]
set yrange [0:267]
set ytics 50
set key top right noenhanced
set style fill solid 0.6 border
set boxwidth binw / 2
set grid ytics
set label 2 sprintf('last bar: %g ms or more (1)', cap) at graph 0.99, graph 0.80 right noenhanced
set terminal pngcairo size 800,480 font 'DejaVu Sans,10'
set output 'recovery-mainline-xrun-capture.png'
plot 'recovery-mainline-xrun-capture-unpatched.dat' using (bin($1) -0.25 * binw):(1) smooth frequency with boxes lc rgb '#d62728' title 'unpatched: 200 recoveries, median 3.6 ms', 'recovery-mainline-xrun-capture-patched.dat' using (bin($1) +0.25 * binw):(1) smooth frequency with boxes lc rgb '#1f77b4' title 'patched: 200 recoveries, median 2.8 ms'
set terminal svg size 800,480 font 'DejaVu Sans,10'
set output 'recovery-mainline-xrun-capture.svg'
replot
