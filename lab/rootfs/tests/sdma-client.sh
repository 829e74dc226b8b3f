#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sdma-client [PARAM=VALUE...]: load the dmaengine client test module
# (lab/tools/sdma-client, shipped in the per-kernel cpio) with lab.args as
# its parameters and print the KTAP it logs, without the printk prefixes.
# The module runs its scenarios from module_init.

. /lab/lib.sh
n=$(dmesg | wc -l)	# keep the log whole for the dump after the test
lab_insmod sdma_client "$@" 2>/tmp/insmod.err
rc=$?
dmesg | tail -n +$((n + 1)) | sed -n 's/^\[[ 0-9.]*\] sdma-client: //p'
if [ $rc -ne 0 ]; then
	echo "# insmod sdma_client exit $rc: $(cat /tmp/insmod.err)"
	dmesg | grep -q 'sdma-client: KTAP' || {
		echo "KTAP version 1"
		echo "1..1"
		echo "not ok 1 sdma-client # insmod failed: $(cat /tmp/insmod.err)"
	}
fi
rmmod sdma_client 2>/dev/null
exit $rc
