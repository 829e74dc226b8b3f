# recovery-5.10-xrun-playback.gp: made by scripts/report.sh; run it in this directory:
#   gnuplot recovery-5.10-xrun-playback.gp
# Histogram of the recovery latency (xrun-stress latency_us of the
# cycles that recovered) of xrun-playback on 5.10, one bar per kernel variant.
binw = 200.0 / 1000   # bin width, ms
cap = 4400.0 / 1000    # values at or above go to the last bar
bin(x) = (x / 1000 >= cap ? cap : binw * floor(x / 1000 / binw)) + binw / 2
set title '5.10 xrun-playback: XRUN recovery latency (lab QEMU, TCG)' noenhanced
set xlabel 'recovery latency (ms): -EPIPE to the first period read/written after the restart'
set ylabel 'recoveries'
set xrange [0:4.4]
set yrange [0:267]
set ytics 50
set key top right noenhanced
set style fill solid 0.6 border
set boxwidth binw / 2
set grid ytics
set terminal pngcairo size 800,480 font 'DejaVu Sans,10'
set output 'recovery-5.10-xrun-playback.png'
plot 'recovery-5.10-xrun-playback-unpatched.dat' using (bin($1) -0.25 * binw):(1) smooth frequency with boxes lc rgb '#d62728' title 'unpatched: 200 recoveries, median 4.3 ms', 'recovery-5.10-xrun-playback-patched.dat' using (bin($1) +0.25 * binw):(1) smooth frequency with boxes lc rgb '#1f77b4' title 'patched: 200 recoveries, median 4.3 ms'
set terminal svg size 800,480 font 'DejaVu Sans,10'
set output 'recovery-5.10-xrun-playback.svg'
replot
