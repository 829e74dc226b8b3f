/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xrun-stress: the parts without ALSA (options, the capture data pattern,
 * latency statistics, WAV headers, result lines), so that the host can
 * unit-test them (test-xrun-logic.c).
 */
#ifndef XRUN_LOGIC_H
#define XRUN_LOGIC_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#define XS_VERSION "1.0"

enum xs_action { XS_RUN, XS_HELP, XS_VERSION_ACTION, XS_VERIFY, XS_GENERATE };
enum xs_mode { XS_CAPTURE, XS_PLAYBACK, XS_DUPLEX };
enum xs_dir { XS_DIR_CAPTURE, XS_DIR_PLAYBACK };
enum xs_stall { XS_STALL_SLEEP, XS_STALL_INJECT, XS_STALL_BLOCK };
enum xs_fmt { XS_FMT_S16_LE, XS_FMT_S24_LE, XS_FMT_S32_LE };

/*
 * The default geometry is the one of the seed report: S16_LE stereo, a
 * period of 256 bytes (64 frames) and a buffer of 15 periods (960 frames,
 * 3840 bytes), at 48 kHz: 20 ms of buffer.
 */
#define XS_DEF_DEVICE		"hw:0,0"
#define XS_DEF_RATE		48000
#define XS_DEF_CHANNELS		2
#define XS_DEF_PERIOD		64
#define XS_DEF_PERIODS		15
#define XS_DEF_CYCLES		100
#define XS_DEF_DEADLINE_S	12

struct xs_opts {
	enum xs_action action;
	enum xs_mode mode;
	const char *device;
	unsigned int rate;
	unsigned int channels;
	enum xs_fmt format;
	unsigned long period;		/* frames */
	unsigned long buffer;		/* frames */
	unsigned int cycles;
	enum xs_stall stall;
	unsigned long stall_us;		/* 0: buffer time * 3 / 2 */
	unsigned int deadline_s;	/* a transfer blocked longer is a timeout */
	unsigned int check_periods;	/* checked after recovery; 0: one buffer */
	bool keep_going;
	const char *file;		/* --verify / --generate */
	double seconds;			/* --generate length */
	bool raw;			/* files without a WAV header */
	bool no_pattern;		/* the source does not send the pattern */
};

int xs_parse_args(struct xs_opts *o, int argc, char **argv,
		  char *err, size_t errlen);
void xs_usage(FILE *f, const char *prog);

const char *xs_mode_name(enum xs_mode m);
const char *xs_dir_name(enum xs_dir d);
const char *xs_stall_name(enum xs_stall s);
const char *xs_fmt_name(enum xs_fmt f);
unsigned int xs_fmt_bits(enum xs_fmt f);	/* counter width */
unsigned int xs_fmt_bytes(enum xs_fmt f);	/* container size */

/* Buffer time and the default stall, in microseconds. */
unsigned long xs_buffer_us(const struct xs_opts *o);
unsigned long xs_stall_us(const struct xs_opts *o);
unsigned int xs_check_periods(const struct xs_opts *o);

/*
 * The capture data pattern (include/hw/audio/imx_ssi.h in the lab's QEMU):
 * slot s of frame n carries (n * slots + s) truncated to the word length,
 * so the interleaved samples an application reads form a counter that
 * increments by one per sample, channel 0 on multiples of the channel
 * count. The checker follows that counter; a jump is accepted only where
 * the caller said the stream restarted (xs_pattern_resync()).
 */
struct xs_pattern {
	enum xs_fmt fmt;
	unsigned int channels;
	uint32_t mask;
	bool synced;		/* next is valid */
	bool restarted;		/* the next sample may jump */
	uint32_t next;		/* expected value of the next sample */
	uint64_t pos;		/* samples seen */
	uint64_t breaks;	/* samples that did not follow */
	uint64_t first_break;	/* position of the first one */
	uint32_t got, want;	/* at the first break */
	int64_t jump;		/* samples skipped at the last restart, -1: none */
	uint64_t restart_pos;	/* position of the first sample after it */
};

void xs_pattern_init(struct xs_pattern *p, enum xs_fmt fmt,
		     unsigned int channels);
void xs_pattern_resync(struct xs_pattern *p);
/* Checks whole frames; returns the number of breaks found in buf. */
unsigned long xs_pattern_check(struct xs_pattern *p, const void *buf,
			       size_t frames);
/* Fills frames with the pattern from *counter on and advances it. */
void xs_pattern_fill(enum xs_fmt fmt, unsigned int channels,
		     uint32_t *counter, void *buf, size_t frames);

/* Latency samples (microseconds) and nearest-rank percentiles. */
struct xs_stats {
	unsigned long *v;
	size_t n, cap;
	bool sorted;
};

int xs_stats_add(struct xs_stats *s, unsigned long v);
unsigned long xs_stats_pct(struct xs_stats *s, unsigned int pct);
void xs_stats_free(struct xs_stats *s);

/* WAV (RIFF, PCM or WAVE_FORMAT_EXTENSIBLE) */
struct xs_wav {
	unsigned int channels, rate, bits, container;
	uint64_t data_off;
	uint64_t data_len;	/* UINT64_MAX: to the end of the file */
};

#define XS_WAV_HDR_LEN 44
/* Returns 0, or -1 with a reason in err. */
int xs_wav_parse(const unsigned char *b, size_t len, struct xs_wav *w,
		 char *err, size_t errlen);
void xs_wav_header(unsigned char *b, enum xs_fmt fmt, unsigned int channels,
		   unsigned int rate, uint64_t frames);

/* One cycle of one stream. */
enum xs_outcome { XS_OK, XS_EIO, XS_TIMEOUT, XS_NOXRUN, XS_ERROR };

struct xs_cycle {
	unsigned int cycle;
	enum xs_mode mode;
	enum xs_dir dir;
	enum xs_outcome outcome;
	int err;		/* errno for XS_ERROR */
	const char *where;	/* the step that failed */
	long latency_us;	/* -1: not measured */
	long since_stop_us;	/* XRUN stop to prepare, -1: not measured */
	int continuous;		/* 1, 0, -1: not checked */
	int64_t jump;		/* -1: not measured */
	int64_t breaks;		/* samples that did not follow, -1: unchecked */
	unsigned int extra_xruns;
};

struct xs_summary {
	enum xs_mode mode;
	enum xs_dir dir;
	unsigned int cycles, ok, eio, timeout, other, discontinuous;
	unsigned int extra_xruns;
	struct xs_stats lat;
	struct xs_stats stop;
};

const char *xs_outcome_name(enum xs_outcome o);
bool xs_cycle_passed(const struct xs_cycle *c);
void xs_summary_add(struct xs_summary *s, const struct xs_cycle *c);
int xs_format_cycle(char *b, size_t len, const struct xs_cycle *c);
int xs_format_summary(char *b, size_t len, struct xs_summary *s);
/* KTAP: "ok N desc", "not ok N desc # reason", "ok N desc # SKIP reason" */
int xs_format_result(char *b, size_t len, unsigned int n, const char *desc,
		     const struct xs_cycle *c);

#endif
