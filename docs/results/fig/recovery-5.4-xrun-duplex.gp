# recovery-5.4-xrun-duplex.gp: made by scripts/report.sh; run it in this directory:
#   gnuplot recovery-5.4-xrun-duplex.gp
# Histogram of the recovery latency (xrun-stress latency_us of the
# cycles that recovered) of xrun-duplex on 5.4, one bar per kernel variant.
binw = 200.0 / 1000   # bin width, ms
cap = 3800.0 / 1000    # values at or above go to the last bar
bin(x) = (x / 1000 >= cap ? cap : binw * floor(x / 1000 / binw)) + binw / 2
set title '5.4 xrun-duplex: XRUN recovery latency (lab QEMU, TCG)' noenhanced
set xlabel 'recovery latency (ms): -EPIPE to the first period read/written after the restart'
set ylabel 'recoveries'
set xrange [0:4]
set yrange [0:529]
set ytics 50
set key top right noenhanced
set style fill solid 0.6 border
set boxwidth binw / 3
set grid ytics
set label 2 sprintf('last bar: %g ms or more (4)', cap) at graph 0.99, graph 0.80 right noenhanced
set terminal pngcairo size 800,480 font 'DejaVu Sans,10'
set output 'recovery-5.4-xrun-duplex.png'
plot NaN with boxes lc rgb '#d62728' title 'unpatched: 0 recoveries', 'recovery-5.4-xrun-duplex-patched.dat' using (bin($1) -0.333333 * binw):(1) smooth frequency with boxes lc rgb '#1f77b4' title 'patched: 400 recoveries, median 3.6 ms', 'recovery-5.4-xrun-duplex-pcm-only.dat' using (bin($1) +0 * binw):(1) smooth frequency with boxes lc rgb '#2ca02c' title 'pcm-only: 400 recoveries, median 3.7 ms', 'recovery-5.4-xrun-duplex-sdma-only.dat' using (bin($1) +0.333333 * binw):(1) smooth frequency with boxes lc rgb '#ff7f0e' title 'sdma-only: 400 recoveries, median 2.2 ms'
set terminal svg size 800,480 font 'DejaVu Sans,10'
set output 'recovery-5.4-xrun-duplex.svg'
replot
