/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcm-robust: hw_params cases issued as raw ioctls on a PCM device node,
 * without alsa-lib (kept apart from pcm-robust.c: the kernel's
 * <sound/asound.h> and alsa-lib's headers do not mix).
 */
#ifndef PCM_ROBUST_HWRAW_H
#define PCM_ROBUST_HWRAW_H

/*
 * Runs every raw case on the device node path, prints one KTAP line per
 * case numbered from *n on (advanced), and returns the failures.
 */
unsigned int hwraw_run(const char *path, const char *tag, unsigned int *n);

/*
 * SNDRV_PCM_IOCTL_HW_PARAMS with the report's geometry (S16_LE, 2 channels,
 * 48 kHz, 64-frame periods, 960-frame buffer) on an open PCM file
 * descriptor, without HW_FREE first. Returns 0 or -errno.
 */
int hwraw_hw_params(int fd);

/*
 * SNDRV_PCM_IOCTL_SW_PARAMS on the file descriptor: after a raw HW_PARAMS
 * (which resets them in the kernel) alsa-lib would not send sw_params it
 * believes unchanged. Returns 0 or -errno.
 */
int hwraw_sw_params(int fd, unsigned long start, unsigned long stop,
		    unsigned long avail_min);

#endif
