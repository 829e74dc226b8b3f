// SPDX-License-Identifier: GPL-2.0
//
// Host unit tests for xrun-logic.c (no ALSA): options, the data pattern
// checker, percentiles, WAV headers and the result lines. TAP output.

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xrun-logic.h"

static unsigned int test_no, failures;

static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u - ", ok ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		failures++;
}

static int parse(struct xs_opts *o, char *err, const char *first, ...)
{
	char *argv[32];
	int argc = 0;
	const char *a;
	va_list ap;

	argv[argc++] = "xrun-stress";
	va_start(ap, first);
	for (a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = 0;
	return xs_parse_args(o, argc, argv, err, 160);
}

static void test_options(void)
{
	struct xs_opts o;
	char err[160];
	int r;

	r = parse(&o, err, NULL);
	result(!r && o.action == XS_RUN && o.mode == XS_CAPTURE &&
	       !strcmp(o.device, "hw:0,0") && o.format == XS_FMT_S16_LE &&
	       o.channels == 2 && o.rate == 48000 && o.cycles == 100 &&
	       o.stall == XS_STALL_SLEEP && o.deadline_s == 12 && !o.keep_going,
	       "defaults: capture hw:0,0 S16_LE 2 ch 48000 Hz, 100 cycles, sleep, 12 s");
	result(!r && o.period == 64 && o.buffer == 960 &&
	       o.period * 2 * 2 == 256 && o.buffer / o.period == 15,
	       "default geometry is the report's: 256-byte periods, 15 of them (960 frames)");
	result(xs_buffer_us(&o) == 20000 && xs_stall_us(&o) == 30000 &&
	       xs_check_periods(&o) == 15,
	       "buffer 20000 us, default stall 1.5 buffers = 30000 us, one buffer checked (%lu/%lu/%u)",
	       xs_buffer_us(&o), xs_stall_us(&o), xs_check_periods(&o));

	r = parse(&o, err, "-m", "duplex", "-D", "hw:1,0", "-r", "44100", "-c", "1",
		  "-f", "s32_le", "-p", "128", "-b", "512", "-n", "5", "-s", "inject",
		  "-t", "5000", "-w", "3", "-C", "4", "-k", NULL);
	result(!r && o.mode == XS_DUPLEX && !strcmp(o.device, "hw:1,0") &&
	       o.rate == 44100 && o.channels == 1 && o.format == XS_FMT_S32_LE &&
	       o.period == 128 && o.buffer == 512 && o.cycles == 5 &&
	       o.stall == XS_STALL_INJECT && xs_stall_us(&o) == 5000 &&
	       o.deadline_s == 3 && xs_check_periods(&o) == 4 && o.keep_going,
	       "short options override everything %s", err);

	r = parse(&o, err, "--mode=playback", "--device=plughw:0", "--stall=block",
		  "--cycles=7", "--period=32", "--keep-going", "--no-pattern", NULL);
	result(!r && o.mode == XS_PLAYBACK && !strcmp(o.device, "plughw:0") &&
	       o.stall == XS_STALL_BLOCK && o.cycles == 7 && o.period == 32 &&
	       o.buffer == 480 && o.keep_going && o.no_pattern,
	       "long options; a period alone keeps 15 periods per buffer %s", err);

	r = parse(&o, err, "--verify", "/tmp/x.wav", "-c", "2", NULL);
	result(!r && o.action == XS_VERIFY && !strcmp(o.file, "/tmp/x.wav"),
	       "--verify FILE");
	r = parse(&o, err, "--generate=/tmp/y.raw", "--raw", "--seconds=2.5", NULL);
	result(!r && o.action == XS_GENERATE && o.raw && o.seconds == 2.5,
	       "--generate FILE --raw --seconds 2.5");
	r = parse(&o, err, "-h", NULL);
	result(!r && o.action == XS_HELP, "--help");

#define BAD(pat, ...) do {						\
		r = parse(&o, err, __VA_ARGS__, NULL);			\
		result(r && strstr(err, pat), "refused: %s -> %s", #__VA_ARGS__, err); \
	} while (0)
	BAD("unknown mode", "-m", "loop");
	BAD("bad rate", "-r", "48k");
	BAD("bad rate", "-r", "-1");
	BAD("unknown format", "-f", "U8");
	BAD("unknown stall method", "-s", "nap");
	BAD("at least two periods", "-p", "64", "-b", "100");
	BAD("needs a value", "-n");
	BAD("unknown option", "--bogus");
	BAD("unexpected argument", "capture");
	BAD("exclude each other", "--verify", "a", "--generate", "b");
	BAD("bad cycle count", "-n", "0");
	BAD("bad length", "--seconds", "0");
#undef BAD
}

static void test_pattern(void)
{
	unsigned char buf[4 * 8 * 64];
	struct xs_pattern p;
	uint32_t c = 0;
	unsigned long b;

	xs_pattern_init(&p, XS_FMT_S16_LE, 2);
	xs_pattern_fill(XS_FMT_S16_LE, 2, &c, buf, 64);
	result(buf[0] == 0 && buf[2] == 1 && buf[4] == 2 && c == 128,
	       "fill: S16_LE stereo frame n carries 2n, 2n+1");
	b = xs_pattern_check(&p, buf, 64);
	result(b == 0 && p.pos == 128 && p.next == 128 && p.jump == -1,
	       "a continuous period passes");

	/* wrap around 0xffff */
	c = 0xfff0;
	xs_pattern_fill(XS_FMT_S16_LE, 2, &c, buf, 64);
	xs_pattern_init(&p, XS_FMT_S16_LE, 2);
	b = xs_pattern_check(&p, buf, 64);
	result(b == 0 && c == 0x70, "the 16-bit counter wraps without a break");

	/* a lost sample inside a period */
	c = 0;
	xs_pattern_fill(XS_FMT_S16_LE, 2, &c, buf, 64);
	memmove(buf + 20, buf + 22, sizeof(buf) - 22);
	xs_pattern_init(&p, XS_FMT_S16_LE, 2);
	b = xs_pattern_check(&p, buf, 63);
	result(b == 1 && p.first_break == 10 && p.got == 11 && p.want == 10,
	       "a dropped sample is one break (at %llu, got %u want %u)",
	       (unsigned long long)p.first_break, p.got, p.want);

	/* a jump across an XRUN is allowed and measured */
	xs_pattern_init(&p, XS_FMT_S16_LE, 2);
	c = 100;
	xs_pattern_fill(XS_FMT_S16_LE, 2, &c, buf, 64);
	xs_pattern_check(&p, buf, 64);
	c += 960;
	xs_pattern_fill(XS_FMT_S16_LE, 2, &c, buf, 64);
	xs_pattern_resync(&p);
	b = xs_pattern_check(&p, buf, 64);
	result(b == 0 && p.jump == 960 && p.restart_pos == 128,
	       "a jump right after a restart is allowed (jump=%lld at %llu)",
	       (long long)p.jump, (unsigned long long)p.restart_pos);
	c += 2;
	xs_pattern_fill(XS_FMT_S16_LE, 2, &c, buf, 64);
	b = xs_pattern_check(&p, buf, 64);
	result(b == 1 && p.breaks == 1, "the same jump without a restart is a break");
	xs_pattern_fill(XS_FMT_S16_LE, 2, &c, buf, 64);
	b = xs_pattern_check(&p, buf, 64);
	result(b == 0, "after a break the checker follows the new counter");

	/* left/right swapped after a restart (odd first sample) */
	xs_pattern_init(&p, XS_FMT_S16_LE, 2);
	c = 0;
	xs_pattern_fill(XS_FMT_S16_LE, 2, &c, buf, 64);
	xs_pattern_check(&p, buf, 64);
	c = 501;
	xs_pattern_fill(XS_FMT_S16_LE, 2, &c, buf, 64);
	xs_pattern_resync(&p);
	b = xs_pattern_check(&p, buf, 64);
	result(b == 1 && p.got == 501 && p.want == 500,
	       "a restart on a right sample (channels swapped) is a break");
	xs_pattern_init(&p, XS_FMT_S16_LE, 2);
	b = xs_pattern_check(&p, buf, 64);
	result(b == 1, "so is a stream that starts on a right sample");

	/* mono, S24_LE and S32_LE */
	xs_pattern_init(&p, XS_FMT_S16_LE, 1);
	c = 7;
	xs_pattern_fill(XS_FMT_S16_LE, 1, &c, buf, 100);
	result(xs_pattern_check(&p, buf, 100) == 0, "mono: any start value, then +1");

	xs_pattern_init(&p, XS_FMT_S24_LE, 2);
	c = 0xfffff0;
	xs_pattern_fill(XS_FMT_S24_LE, 2, &c, buf, 64);
	result(buf[3] == 0xff && xs_pattern_check(&p, buf, 64) == 0 && c == 0x70,
	       "S24_LE: sign-extended container, 24-bit wrap");

	xs_pattern_init(&p, XS_FMT_S32_LE, 2);
	c = 0xfffffff0u;
	xs_pattern_fill(XS_FMT_S32_LE, 2, &c, buf, 64);
	result(xs_pattern_check(&p, buf, 64) == 0 && c == 0x70, "S32_LE: 32-bit wrap");
	buf[4 * 5] ^= 1;
	xs_pattern_init(&p, XS_FMT_S32_LE, 2);
	result(xs_pattern_check(&p, buf, 64) == 2, "S32_LE: one corrupt sample breaks twice (in, out)");
}

static void test_stats(void)
{
	struct xs_stats s = { 0 };
	unsigned long i;

	result(xs_stats_pct(&s, 50) == 0, "no samples: 0");
	for (i = 100; i >= 1; i--)
		xs_stats_add(&s, i * 10);
	result(xs_stats_pct(&s, 50) == 500 && xs_stats_pct(&s, 99) == 990 &&
	       xs_stats_pct(&s, 100) == 1000 && xs_stats_pct(&s, 0) == 10,
	       "nearest rank over 100 values: p50 %lu p99 %lu max %lu",
	       xs_stats_pct(&s, 50), xs_stats_pct(&s, 99), xs_stats_pct(&s, 100));
	xs_stats_add(&s, 5);
	result(xs_stats_pct(&s, 0) == 5 && s.n == 101, "adding after a sort re-sorts");
	xs_stats_free(&s);
	xs_stats_add(&s, 812);
	result(xs_stats_pct(&s, 50) == 812 && xs_stats_pct(&s, 99) == 812,
	       "one value is every percentile");
	xs_stats_free(&s);
	for (i = 0; i < 10; i++)
		xs_stats_add(&s, i < 9 ? 100 : 100000);
	result(xs_stats_pct(&s, 50) == 100 && xs_stats_pct(&s, 99) == 100000,
	       "p99 of 10 values is the largest");
	xs_stats_free(&s);
}

static void test_wav(void)
{
	unsigned char b[256];
	struct xs_wav w;
	char err[160] = "";

	xs_wav_header(b, XS_FMT_S16_LE, 2, 48000, 1000);
	result(!xs_wav_parse(b, XS_WAV_HDR_LEN, &w, err, sizeof(err)) &&
	       w.channels == 2 && w.rate == 48000 && w.bits == 16 &&
	       w.container == 2 && w.data_off == 44 && w.data_len == 4000,
	       "WAV header round trip %s", err);

	/* arecord: unknown length, a LIST chunk before the data */
	memmove(b + 36 + 14, b + 36, 8);
	memcpy(b + 36, "LIST\x06\0\0\0abcdef", 14);
	b[36 + 14 + 4] = 0xff;
	b[36 + 14 + 5] = 0xff;
	b[36 + 14 + 6] = 0xff;
	b[36 + 14 + 7] = 0x7f;
	result(!xs_wav_parse(b, 64, &w, err, sizeof(err)) && w.data_off == 58 &&
	       w.data_len == UINT64_MAX,
	       "other chunks are skipped, 0x7fffffff means to the end %s", err);

	memcpy(b, "RIFX", 4);
	result(xs_wav_parse(b, 64, &w, err, sizeof(err)) && strstr(err, "RIFF"),
	       "not RIFF/WAVE is refused: %s", err);
	xs_wav_header(b, XS_FMT_S16_LE, 2, 48000, 10);
	b[20] = 3;	/* IEEE float */
	result(xs_wav_parse(b, 64, &w, err, sizeof(err)) && strstr(err, "not PCM"),
	       "non-PCM is refused: %s", err);
	xs_wav_header(b, XS_FMT_S16_LE, 2, 48000, 10);
	result(xs_wav_parse(b, 40, &w, err, sizeof(err)) && strstr(err, "no data"),
	       "a header without data chunk is refused: %s", err);
}

static void test_lines(void)
{
	struct xs_cycle c = {
		.cycle = 17, .mode = XS_CAPTURE, .dir = XS_DIR_CAPTURE,
		.outcome = XS_OK, .latency_us = 812, .since_stop_us = 231,
		.continuous = 1, .jump = 960, .breaks = 0,
	};
	struct xs_summary s = { .mode = XS_CAPTURE, .dir = XS_DIR_CAPTURE };
	char b[512];
	unsigned int i;

	xs_format_cycle(b, sizeof(b), &c);
	result(!strcmp(b, "cycle=17 mode=capture stream=capture outcome=ok latency_us=812 since_stop_us=231 continuous=1 jump=960 breaks=0 extra_xruns=0"),
	       "cycle line: %s", b);
	xs_format_result(b, sizeof(b), 17, "capture cycle 17", &c);
	result(!strcmp(b, "ok 17 capture cycle 17"), "KTAP ok: %s", b);

	c.outcome = XS_EIO;
	c.where = "restart";
	c.latency_us = -1;
	c.since_stop_us = -1;
	c.continuous = -1;
	c.jump = -1;
	c.breaks = -1;
	xs_format_cycle(b, sizeof(b), &c);
	result(!strcmp(b, "cycle=17 mode=capture stream=capture outcome=eio latency_us=- since_stop_us=- continuous=- jump=- breaks=- extra_xruns=0 at=restart"),
	       "eio line: %s", b);
	xs_format_result(b, sizeof(b), 18, "capture cycle 17", &c);
	result(!strcmp(b, "not ok 18 capture cycle 17 # eio at restart"), "KTAP not ok: %s", b);

	c.outcome = XS_OK;
	c.continuous = 0;
	xs_format_result(b, sizeof(b), 3, "capture cycle 3", &c);
	result(!strcmp(b, "not ok 3 capture cycle 3 # discontinuous data after the recovery"),
	       "KTAP discontinuity: %s", b);

	c = (struct xs_cycle){ .cycle = 2, .mode = XS_DUPLEX, .dir = XS_DIR_PLAYBACK,
			       .outcome = XS_ERROR, .err = 77, .where = "prepare",
			       .latency_us = -1, .since_stop_us = -1,
			       .continuous = -1, .jump = -1, .breaks = -1 };
	xs_format_cycle(b, sizeof(b), &c);
	result(!strcmp(b, "cycle=2 mode=duplex stream=playback outcome=error latency_us=- since_stop_us=- continuous=- jump=- breaks=- extra_xruns=0 at=prepare errno=77"),
	       "error line: %s", b);

	xs_format_cycle(b, 20, &c);
	result(strlen(b) == 19, "a short buffer truncates safely");

	for (i = 1; i <= 100; i++) {
		c = (struct xs_cycle){ .cycle = i, .outcome = XS_OK,
				       .latency_us = i * 10, .since_stop_us = 1000 - i,
				       .continuous = 1, .jump = 960 };
		if (i == 50)
			c.continuous = 0;
		if (i == 60)
			c.extra_xruns = 2;
		xs_summary_add(&s, &c);
	}
	c.outcome = XS_TIMEOUT;
	c.latency_us = -1;
	c.since_stop_us = 5;
	c.continuous = -1;
	xs_summary_add(&s, &c);
	xs_format_summary(b, sizeof(b), &s);
	result(!strcmp(b, "summary mode=capture stream=capture cycles=101 ok=100 eio=0 timeout=1 other=0 discontinuous=1 extra_xruns=2 lat_p50_us=500 lat_p99_us=990 lat_max_us=1000 since_stop_p50_us=949 since_stop_max_us=999"),
	       "summary line: %s", b);
	xs_stats_free(&s.lat);
	xs_stats_free(&s.stop);

	s = (struct xs_summary){ .mode = XS_CAPTURE, .dir = XS_DIR_CAPTURE };
	c = (struct xs_cycle){ .cycle = 1, .outcome = XS_EIO, .where = "restart",
			       .latency_us = -1, .since_stop_us = 180,
			       .continuous = -1, .jump = -1, .breaks = -1 };
	xs_summary_add(&s, &c);
	xs_format_summary(b, sizeof(b), &s);
	result(!strcmp(b, "summary mode=capture stream=capture cycles=1 ok=0 eio=1 timeout=0 other=0 discontinuous=0 extra_xruns=0 lat_p50_us=- lat_p99_us=- lat_max_us=- since_stop_p50_us=180 since_stop_max_us=180"),
	       "summary without latencies: %s", b);
	xs_stats_free(&s.stop);
}

int main(void)
{
	printf("TAP version 13\n");
	test_options();
	test_pattern();
	test_stats();
	test_wav();
	test_lines();
	printf("1..%u\n", test_no);
	return failures ? 1 : 0;
}
