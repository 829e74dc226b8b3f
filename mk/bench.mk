# SPDX-License-Identifier: GPL-2.0
# Lab benchmarks (measured figures, no pass mark). Included by the Makefile.
#
#   make soak TARGET=x VARIANT=patched MODE=capture|playback|duplex [CYCLES=10000]
#                        xrun-stress soak: outcomes, latency, hazards, dmesg
#   make latency TARGET=x [CYCLES=200] [UCYCLES=40] [MODES="capture ..."]
#                        recovery latency p50/p99, unpatched (-k) vs patched
.PHONY: soak latency

soak:
	@scripts/bench-soak.sh "$(TARGET)" "$(VARIANT)" "$(or $(MODE),capture)" $(or $(CYCLES),10000)

latency:
	@MODES="$(MODES)" scripts/bench-latency.sh "$(TARGET)" $(or $(CYCLES),200) $(or $(UCYCLES),40)
