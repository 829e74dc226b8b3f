# recovery-5.10-xrun-duplex.gp: made by scripts/report.sh; run it in this directory:
#   gnuplot recovery-5.10-xrun-duplex.gp
# Histogram of the recovery latency (xrun-stress latency_us of the
# cycles that recovered) of xrun-duplex on 5.10, one bar per kernel variant.
binw = 200.0 / 1000   # bin width, ms
cap = 4800.0 / 1000    # values at or above go to the last bar
bin(x) = (x / 1000 >= cap ? cap : binw * floor(x / 1000 / binw)) + binw / 2
set title '5.10 xrun-duplex: XRUN recovery latency (lab QEMU, TCG)' noenhanced
set xlabel 'recovery latency (ms): -EPIPE to the first period read/written after the restart'
set ylabel 'recoveries'
set xrange [0:4.8]
set yrange [0:197]
set ytics 20
set key top right noenhanced
set style fill solid 0.6 border
set boxwidth binw / 2
set grid ytics
set terminal pngcairo size 800,480 font 'DejaVu Sans,10'
set output 'recovery-5.10-xrun-duplex.png'
plot 'recovery-5.10-xrun-duplex-unpatched.dat' using (bin($1) -0.25 * binw):(1) smooth frequency with boxes lc rgb '#d62728' title 'unpatched: 400 recoveries, median 3.6 ms', 'recovery-5.10-xrun-duplex-patched.dat' using (bin($1) +0.25 * binw):(1) smooth frequency with boxes lc rgb '#1f77b4' title 'patched: 400 recoveries, median 3.6 ms'
set terminal svg size 800,480 font 'DejaVu Sans,10'
set output 'recovery-5.10-xrun-duplex.svg'
replot
