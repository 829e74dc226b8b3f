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

#endif
