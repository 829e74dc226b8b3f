# SPDX-License-Identifier: GPL-2.0
# Lab benchmarks (measured figures, no pass mark). Included by the Makefile.
#
#   make soak TARGET=x VARIANT=patched MODE=capture|playback|duplex [CYCLES=10000]
#                        xrun-stress soak: outcomes, latency, hazards, dmesg
#   make latency TARGET=x [CYCLES=200] [UCYCLES=40] [MODES="capture ..."] [FLAVOUR=prod]
#                        recovery latency p50/p99, unpatched (-k) vs patched
#                        (FLAVOUR=prod: the kernels with the debug options off)
#   make bench-check [RUNS="cold warm edit"]
#                        make check cold, warm, and after a one-patch edit
.PHONY: soak latency bench-check

soak:
	@scripts/bench-soak.sh "$(TARGET)" "$(VARIANT)" "$(or $(MODE),capture)" $(or $(CYCLES),10000)

latency:
	@MODES="$(MODES)" LAT_FLAVOUR="$(FLAVOUR)" scripts/bench-latency.sh "$(TARGET)" $(or $(CYCLES),200) $(or $(UCYCLES),40)

# The cost of make check (scripts/bench-check.sh): a cold CI run on a clean
# clone with an empty BUILD, a warm one, and one patch edited then
# make test-lab; where the time went. RUNS="cold warm edit" (default).
bench-check:
	@scripts/bench-check.sh $(RUNS)
