// SPDX-License-Identifier: GPL-2.0
//
// xrun-stress: force XRUNs on an ALSA PCM, recover from each exactly as
// arecord and aplay do, and report per cycle whether the stream came back
// (or the read/write failed with -EIO or blocked past a deadline), how long
// the recovery took and whether the captured data pattern stayed
// continuous. Written for the i.MX6 pcm_dmaengine / imx-sdma termination
// race lab; the non-ALSA logic lives in xrun-logic.c.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "xrun-logic.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

struct stream {
	const struct xs_opts *o;
	enum xs_dir dir;
	snd_pcm_t *pcm;
	char inject[128];
	size_t fbytes;
	unsigned char *buf;		/* two buffers' worth of frames */
	struct xs_pattern pat;		/* capture: the checker */
	uint32_t counter;		/* playback: the next value */
	timer_t timer;
	bool have_timer;
	bool need_start;
	bool mono_tstamp;		/* trigger timestamps are CLOCK_MONOTONIC */
	struct xs_summary sum;
	struct xs_cycle *res;		/* one per cycle */
	unsigned int done;
	pthread_t thread;
};

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int ktap_no;
static unsigned int n_pass, n_fail, n_skip;
static atomic_int stop_all;

static void on_alarm(int sig)
{
	(void)sig;	/* only there to interrupt a blocked read/write */
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void sleep_us(unsigned long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static const char *dir_name(const struct stream *s)
{
	return xs_dir_name(s->dir);
}

static snd_pcm_format_t alsa_fmt(enum xs_fmt f)
{
	switch (f) {
	case XS_FMT_S16_LE:
		return SND_PCM_FORMAT_S16_LE;
	case XS_FMT_S24_LE:
		return SND_PCM_FORMAT_S24_LE;
	default:
		return SND_PCM_FORMAT_S32_LE;
	}
}

#define CHECK(call, what)						\
	do {								\
		int __e = (call);					\
		if (__e < 0) {						\
			snprintf(err, errlen, "%s: %s", what,		\
				 snd_strerror(__e));			\
			return -1;					\
		}							\
	} while (0)

static int setup(struct stream *s, char *err, size_t errlen)
{
	const struct xs_opts *o = s->o;
	snd_pcm_hw_params_t *hw;
	snd_pcm_sw_params_t *sw;
	snd_pcm_info_t *info;
	snd_pcm_uframes_t period = o->period, buffer = o->buffer;
	unsigned int rate = o->rate;
	int d = 0;

	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_sw_params_alloca(&sw);
	snd_pcm_info_alloca(&info);

	CHECK(snd_pcm_open(&s->pcm, o->device, s->dir == XS_DIR_CAPTURE ?
			   SND_PCM_STREAM_CAPTURE : SND_PCM_STREAM_PLAYBACK, 0),
	      "cannot open the PCM");
	CHECK(snd_pcm_hw_params_any(s->pcm, hw), "no hardware parameters");
	CHECK(snd_pcm_hw_params_set_rate_resample(s->pcm, hw, 0),
	      "cannot disable resampling");
	CHECK(snd_pcm_hw_params_set_access(s->pcm, hw,
					   SND_PCM_ACCESS_RW_INTERLEAVED),
	      "interleaved read/write access refused");
	CHECK(snd_pcm_hw_params_set_format(s->pcm, hw, alsa_fmt(o->format)),
	      "format refused");
	CHECK(snd_pcm_hw_params_set_channels(s->pcm, hw, o->channels),
	      "channel count refused");
	CHECK(snd_pcm_hw_params_set_rate_near(s->pcm, hw, &rate, &d),
	      "rate refused");
	CHECK(snd_pcm_hw_params_set_period_size_near(s->pcm, hw, &period, &d),
	      "period size refused");
	CHECK(snd_pcm_hw_params_set_buffer_size_near(s->pcm, hw, &buffer),
	      "buffer size refused");
	CHECK(snd_pcm_hw_params(s->pcm, hw), "cannot set hardware parameters");
	snd_pcm_hw_params_get_rate(hw, &rate, &d);
	snd_pcm_hw_params_get_period_size(hw, &period, &d);
	snd_pcm_hw_params_get_buffer_size(hw, &buffer);
	if (rate != o->rate || period != o->period || buffer != o->buffer) {
		snprintf(err, errlen,
			 "the PCM gives rate %u period %lu buffer %lu instead of %u/%lu/%lu",
			 rate, period, buffer, o->rate, o->period, o->buffer);
		return -1;
	}

	CHECK(snd_pcm_sw_params_current(s->pcm, sw), "no software parameters");
	/* as arecord: the read starts capture; as aplay: a full buffer
	 * starts playback */
	CHECK(snd_pcm_sw_params_set_start_threshold(s->pcm, sw,
			s->dir == XS_DIR_CAPTURE ? 1 : buffer),
	      "start threshold refused");
	CHECK(snd_pcm_sw_params_set_stop_threshold(s->pcm, sw, buffer),
	      "stop threshold refused");
	/*
	 * --stall=block: a transfer only wakes up for a whole buffer, so the
	 * XRUN (raised at the same period interrupt) is what wakes it: the
	 * recovery then follows the stop within microseconds, as in the
	 * report. A period-sized transfer still wakes up per period.
	 */
	CHECK(snd_pcm_sw_params_set_avail_min(s->pcm, sw,
			o->stall == XS_STALL_BLOCK ? buffer : period),
	      "avail_min refused");
	/* trigger timestamps (the XRUN stop) on our clock */
	s->mono_tstamp = snd_pcm_sw_params_set_tstamp_type(s->pcm, sw,
				SND_PCM_TSTAMP_TYPE_MONOTONIC) == 0;
	CHECK(snd_pcm_sw_params(s->pcm, sw), "cannot set software parameters");

	if (snd_pcm_info(s->pcm, info) == 0)
		snprintf(s->inject, sizeof(s->inject),
			 "/proc/asound/card%d/pcm%d%c/sub%d/xrun_injection",
			 snd_pcm_info_get_card(info),
			 snd_pcm_info_get_device(info),
			 s->dir == XS_DIR_CAPTURE ? 'c' : 'p',
			 snd_pcm_info_get_subdevice(info));
	if (o->stall == XS_STALL_INJECT && access(s->inject, W_OK)) {
		snprintf(err, errlen, "%s: %s (CONFIG_SND_PCM_XRUN_DEBUG?)",
			 s->inject[0] ? s->inject : "xrun_injection",
			 strerror(errno));
		return -1;
	}

	s->fbytes = o->channels * xs_fmt_bytes(o->format);
	s->buf = calloc(2 * buffer, s->fbytes);
	if (!s->buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	xs_pattern_init(&s->pat, o->format, o->channels);
	s->res = calloc(o->cycles, sizeof(*s->res));
	if (!s->res) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->sum.mode = o->mode;
	s->sum.dir = s->dir;
	s->need_start = true;
	return 0;
}

/* The deadline timer signals the thread that owns the stream. */
static int arm_timer(struct stream *s, char *err, size_t errlen)
{
	struct sigevent sev = { 0 };

	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
	sev.sigev_notify_thread_id = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, &s->timer)) {
		snprintf(err, errlen, "timer_create: %s", strerror(errno));
		return -1;
	}
	s->have_timer = true;
	return 0;
}

static void set_timer(struct stream *s, unsigned int secs)
{
	struct itimerspec its = { .it_value = { secs, 0 } };

	if (s->have_timer)
		timer_settime(s->timer, 0, &its, NULL);
}

/*
 * One readi/writei of up to frames, blocking as arecord/aplay do, with the
 * deadline armed. Captured frames are checked against the pattern, played
 * frames carry it. Returns the frames moved, or -errno (-ETIMEDOUT when
 * the deadline passed).
 */
static long io(struct stream *s, unsigned long frames)
{
	const struct xs_opts *o = s->o;
	long long t0 = now_us(), limit = o->deadline_s * 1000000LL;
	uint32_t c = s->counter;
	bool timed_out = false;
	long r;

	if (s->dir == XS_DIR_PLAYBACK)
		xs_pattern_fill(o->format, o->channels, &c, s->buf, frames);
	set_timer(s, o->deadline_s);
	for (;;) {
		if (s->dir == XS_DIR_CAPTURE)
			r = snd_pcm_readi(s->pcm, s->buf, frames);
		else
			r = snd_pcm_writei(s->pcm, s->buf, frames);
		if (r != -EINTR && r != -EAGAIN)
			break;
		if (now_us() - t0 >= limit) {
			r = -ETIMEDOUT;
			break;
		}
	}
	set_timer(s, 0);
	/*
	 * A blocking transfer comes back short only for a signal or a state
	 * change; when the deadline signal interrupted it after some frames,
	 * the kernel returns those instead of -EINTR: still a timeout.
	 */
	if (r >= 0 && (unsigned long)r < frames && now_us() - t0 >= limit &&
	    snd_pcm_state(s->pcm) == SND_PCM_STATE_RUNNING)
		timed_out = true;
	if (r > 0 && s->dir == XS_DIR_CAPTURE) {
		xs_pattern_check(&s->pat, s->buf, r);
	} else if (r > 0) {
		c = s->counter;
		xs_pattern_fill(o->format, o->channels, &c, s->buf, r);
		s->counter = c;
	}
	return timed_out ? -ETIMEDOUT : r;
}

/* Exactly frames, or -errno. */
static int io_full(struct stream *s, unsigned long frames)
{
	long r;

	while (frames) {
		r = io(s, frames);
		if (r < 0)
			return r;
		frames -= r;
	}
	return 0;
}

static void set_failure(struct xs_cycle *c, int r, const char *where)
{
	c->where = where;
	if (r == -EIO) {
		c->outcome = XS_EIO;
	} else if (r == -ETIMEDOUT) {
		c->outcome = XS_TIMEOUT;
	} else {
		c->outcome = XS_ERROR;
		c->err = -r;
	}
}

/*
 * Start the stream: capture with the first read, playback by filling the
 * buffer; returns once the first period has moved since the start.
 */
static int start_once(struct stream *s)
{
	unsigned int i, n = s->o->buffer / s->o->period + 2;
	int r;

	if (s->dir == XS_DIR_CAPTURE)
		return io_full(s, s->o->period);
	for (i = 0; i < n; i++) {
		r = io_full(s, s->o->period);
		if (r < 0)
			return r;
		if (snd_pcm_state(s->pcm) == SND_PCM_STATE_RUNNING)
			return io_full(s, s->o->period);
	}
	return -EBADFD;		/* a full buffer did not start it */
}

/*
 * As arecord/aplay: an XRUN right at the start is recovered from with
 * another prepare (counted in *extra), a few times at most.
 */
#define START_TRIES 8

static int start(struct stream *s, unsigned int *extra)
{
	unsigned int i;
	int r = 0;

	for (i = 0; i < START_TRIES; i++) {
		r = start_once(s);
		if (r != -EPIPE)
			return r;
		(*extra)++;
		r = snd_pcm_prepare(s->pcm);
		if (r < 0)
			return r;
		if (s->dir == XS_DIR_CAPTURE)
			xs_pattern_resync(&s->pat);
	}
	return -EPIPE;
}

/* Microseconds from the XRUN stop (trigger timestamp) to now, or -1. */
static long since_stop(struct stream *s)
{
	snd_pcm_status_t *st;
	snd_htimestamp_t ts;
	long long stop, d;

	if (!s->mono_tstamp)
		return -1;
	snd_pcm_status_alloca(&st);
	if (snd_pcm_status(s->pcm, st) < 0 ||
	    snd_pcm_status_get_state(st) != SND_PCM_STATE_XRUN)
		return -1;
	snd_pcm_status_get_trigger_htstamp(st, &ts);
	stop = ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
	d = now_us() - stop;
	return stop && d >= 0 ? d : -1;
}

static int inject(struct stream *s)
{
	int fd = open(s->inject, O_WRONLY), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, "1\n", 2) != 2)
		r = errno ? -errno : -EIO;
	close(fd);
	return r;
}

static void run_cycle(struct stream *s, unsigned int n, struct xs_cycle *c)
{
	const struct xs_opts *o = s->o;
	bool cap = s->dir == XS_DIR_CAPTURE;
	unsigned int i, checks = xs_check_periods(o);
	long long t0;
	long r;

	memset(c, 0, sizeof(*c));
	c->cycle = n;
	c->mode = o->mode;
	c->dir = s->dir;
	c->latency_us = -1;
	c->since_stop_us = -1;
	c->continuous = -1;
	c->jump = -1;
	c->breaks = -1;

	if (s->need_start) {
		/* first cycle, or after a failure with --keep-going */
		if (!cap || s->pat.synced)
			xs_pattern_resync(&s->pat);
		r = start(s, &c->extra_xruns);
		if (r < 0)
			return set_failure(c, r, "start");
		s->need_start = false;
	}
	s->pat.breaks = 0;	/* the cycle's own, first_break included */

	/* 1. stall */
	r = 0;
	switch (o->stall) {
	case XS_STALL_SLEEP:
		sleep_us(xs_stall_us(o));
		break;
	case XS_STALL_INJECT:
		r = inject(s);
		if (r < 0)
			return set_failure(c, r, "inject");
		break;
	case XS_STALL_BLOCK:
		r = io(s, 2 * o->buffer);
		if (r > 0)
			r = 0;	/* what was there; the XRUN comes next */
		break;
	}

	/* 2. the transfer that reports the XRUN */
	if (r == 0)
		r = io(s, o->period);
	if (r >= 0) {
		c->outcome = XS_NOXRUN;
		c->where = "stall";
		return;
	}
	if (r != -EPIPE)
		return set_failure(c, r, "stall");
	t0 = now_us();
	/* as arecord's xrun(): the status says when the stream stopped */
	c->since_stop_us = since_stop(s);

	/* 3. recover as arecord/aplay do: prepare, then transfer at once */
	r = snd_pcm_prepare(s->pcm);
	if (r < 0)
		return set_failure(c, r, "prepare");
	if (cap)
		xs_pattern_resync(&s->pat);
	r = start(s, &c->extra_xruns);
	if (r < 0)
		return set_failure(c, r, "restart");
	c->latency_us = now_us() - t0;
	if (cap && !o->no_pattern)
		c->jump = s->pat.jump;

	/* 4. everything after the recovery must follow */
	for (i = 0; i < checks; i++) {
		r = io_full(s, o->period);
		if (r == -EPIPE) {
			/* an XRUN nobody asked for: the emulation was late */
			c->extra_xruns++;
			r = snd_pcm_prepare(s->pcm);
			if (r < 0)
				return set_failure(c, r, "check");
			if (cap)
				xs_pattern_resync(&s->pat);
			continue;
		}
		if (r < 0)
			return set_failure(c, r, "check");
	}
	if (cap && !o->no_pattern) {
		c->breaks = s->pat.breaks;
		c->continuous = !s->pat.breaks;
	}
}

static void report(struct stream *s, const struct xs_cycle *c)
{
	char line[512], desc[64];

	xs_summary_add(&s->sum, c);
	snprintf(desc, sizeof(desc), "%s cycle %u", dir_name(s), c->cycle);
	pthread_mutex_lock(&out_lock);
	xs_format_cycle(line, sizeof(line), c);
	puts(line);
	if (c->continuous == 0) {
		/* a jump of whole buffers: a wrap lost without an XRUN */
		uint32_t d = (s->pat.got - s->pat.want) & s->pat.mask;

		printf("# %s cycle %u: first break at sample %llu (the restart was at %llu): got %u, want %u, %.2f buffers ahead\n",
		       dir_name(s), c->cycle,
		       (unsigned long long)s->pat.first_break,
		       (unsigned long long)s->pat.restart_pos,
		       s->pat.got, s->pat.want,
		       (double)d / (s->o->buffer * s->o->channels));
	}
	xs_format_result(line, sizeof(line), ++ktap_no, desc, c);
	puts(line);
	if (xs_cycle_passed(c))
		n_pass++;
	else
		n_fail++;
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void *run_stream(void *arg)
{
	struct stream *s = arg;
	const struct xs_opts *o = s->o;
	char err[256];
	unsigned int n;

	if (arm_timer(s, err, sizeof(err))) {
		pthread_mutex_lock(&out_lock);
		printf("# %s: %s: transfers have no deadline\n", dir_name(s), err);
		pthread_mutex_unlock(&out_lock);
	}
	for (n = 1; n <= o->cycles && !atomic_load(&stop_all); n++) {
		struct xs_cycle *c = &s->res[n - 1];

		run_cycle(s, n, c);
		s->done = n;
		report(s, c);
		if (c->outcome == XS_OK || c->outcome == XS_NOXRUN)
			continue;
		if (!o->keep_going &&
		    (c->outcome == XS_EIO || c->outcome == XS_TIMEOUT ||
		     c->outcome == XS_ERROR)) {
			atomic_store(&stop_all, 1);
			break;
		}
		snd_pcm_drop(s->pcm);
		snd_pcm_prepare(s->pcm);
		s->need_start = true;
	}
	snd_pcm_drop(s->pcm);
	return NULL;
}

static int verify(const struct xs_opts *o)
{
	unsigned char hdr[65536];
	struct xs_pattern p;
	struct xs_wav w = { .channels = o->channels, .rate = o->rate,
			    .data_len = UINT64_MAX };
	enum xs_fmt fmt = o->format;
	unsigned char *buf;
	uint64_t frames = 0, left;
	size_t fbytes, n, chunk = 4096;
	char err[160];
	FILE *f;

	f = fopen(o->file, "rb");
	if (!f) {
		fprintf(stderr, "xrun-stress: %s: %s\n", o->file, strerror(errno));
		return 2;
	}
	if (!o->raw) {
		n = fread(hdr, 1, sizeof(hdr), f);
		if (xs_wav_parse(hdr, n, &w, err, sizeof(err))) {
			fprintf(stderr, "xrun-stress: %s: %s (--raw for headerless data)\n",
				o->file, err);
			fclose(f);
			return 2;
		}
		if (w.container == 2 && w.bits == 16)
			fmt = XS_FMT_S16_LE;
		else if (w.container == 4 && w.bits == 24)
			fmt = XS_FMT_S24_LE;
		else if (w.container == 4 && w.bits == 32)
			fmt = XS_FMT_S32_LE;
		else {
			fprintf(stderr, "xrun-stress: %s: %u-bit samples in %u bytes are not supported\n",
				o->file, w.bits, w.container);
			fclose(f);
			return 2;
		}
		fseek(f, w.data_off, SEEK_SET);
	}
	xs_pattern_init(&p, fmt, w.channels);
	fbytes = w.channels * xs_fmt_bytes(fmt);
	buf = malloc(chunk * fbytes);
	if (!buf) {
		fclose(f);
		return 2;
	}
	left = w.data_len / fbytes;
	while (left && (n = fread(buf, fbytes, left < chunk ? left : chunk, f))) {
		xs_pattern_check(&p, buf, n);
		frames += n;
		if (left != UINT64_MAX / fbytes)
			left -= n;
	}
	fclose(f);
	free(buf);
	printf("verify file=%s format=%s channels=%u rate=%u frames=%llu seconds=%.3f breaks=%llu",
	       o->file, xs_fmt_name(fmt), w.channels, w.rate,
	       (unsigned long long)frames, (double)frames / w.rate,
	       (unsigned long long)p.breaks);
	if (p.breaks)
		printf(" first_break=%llu got=%u want=%u",
		       (unsigned long long)p.first_break, p.got, p.want);
	printf("\n");
	if (!frames) {
		printf("# %s holds no audio data\n", o->file);
		return 1;
	}
	return p.breaks ? 1 : 0;
}

static int generate(const struct xs_opts *o)
{
	uint64_t frames = o->seconds * o->rate + 0.5, left;
	size_t fbytes = o->channels * xs_fmt_bytes(o->format), chunk = 4096, n;
	unsigned char hdr[XS_WAV_HDR_LEN], *buf;
	uint32_t counter = 0;
	FILE *f;

	f = fopen(o->file, "wb");
	buf = malloc(chunk * fbytes);
	if (!f || !buf) {
		fprintf(stderr, "xrun-stress: %s: %s\n", o->file, strerror(errno));
		return 2;
	}
	if (!o->raw) {
		xs_wav_header(hdr, o->format, o->channels, o->rate, frames);
		fwrite(hdr, 1, sizeof(hdr), f);
	}
	for (left = frames; left; left -= n) {
		n = left < chunk ? left : chunk;
		xs_pattern_fill(o->format, o->channels, &counter, buf, n);
		if (fwrite(buf, fbytes, n, f) != n)
			break;
	}
	free(buf);
	if (fclose(f) || left) {
		fprintf(stderr, "xrun-stress: %s: write error\n", o->file);
		return 2;
	}
	printf("generate file=%s format=%s channels=%u rate=%u frames=%llu\n",
	       o->file, xs_fmt_name(o->format), o->channels, o->rate,
	       (unsigned long long)frames);
	return 0;
}

static void finish_stream(struct stream *s)
{
	char line[512];
	unsigned int n;

	for (n = s->done + 1; n <= s->o->cycles; n++) {
		printf("ok %u %s cycle %u # SKIP stopped after a failure\n",
		       ++ktap_no, dir_name(s), n);
		n_skip++;
	}
	xs_format_summary(line, sizeof(line), &s->sum);
	puts(line);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct stream st[2] = { 0 };
	struct xs_opts o;
	unsigned int ns = 0, i;
	char err[256];
	bool failed = false;

	if (xs_parse_args(&o, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "xrun-stress: %s (--help for usage)\n", err);
		return 2;
	}
	switch (o.action) {
	case XS_HELP:
		xs_usage(stdout, "xrun-stress");
		return 0;
	case XS_VERSION_ACTION:
		printf("xrun-stress %s (alsa-lib %s)\n", XS_VERSION,
		       snd_asoundlib_version());
		return 0;
	case XS_VERIFY:
		return verify(&o);
	case XS_GENERATE:
		return generate(&o);
	default:
		break;
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: interrupt I/O */

	if (o.mode != XS_PLAYBACK)
		st[ns++].dir = XS_DIR_CAPTURE;
	if (o.mode != XS_CAPTURE)
		st[ns++].dir = XS_DIR_PLAYBACK;

	printf("KTAP version 1\n");
	for (i = 0; i < ns; i++) {
		st[i].o = &o;
		if (setup(&st[i], err, sizeof(err))) {
			printf("1..1\nnot ok 1 %s setup on %s # %s\n",
			       dir_name(&st[i]), o.device, err);
			printf("# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n");
			return 1;
		}
	}
	printf("1..%u\n", ns * o.cycles);
	printf("# xrun-stress %s: mode=%s device=%s format=%s channels=%u rate=%u period=%lu buffer=%lu (%lu bytes, %lu us) stall=%s",
	       XS_VERSION, xs_mode_name(o.mode), o.device, xs_fmt_name(o.format),
	       o.channels, o.rate, o.period, o.buffer,
	       o.buffer * st[0].fbytes, xs_buffer_us(&o), xs_stall_name(o.stall));
	if (o.stall == XS_STALL_SLEEP)
		printf(" stall_us=%lu", xs_stall_us(&o));
	printf(" deadline_s=%u check_periods=%u%s\n", o.deadline_s,
	       xs_check_periods(&o), o.keep_going ? " keep-going" : "");

	if (ns == 1) {
		run_stream(&st[0]);
	} else {
		for (i = 0; i < ns; i++)
			pthread_create(&st[i].thread, NULL, run_stream, &st[i]);
		for (i = 0; i < ns; i++)
			pthread_join(st[i].thread, NULL);
	}

	for (i = 0; i < ns; i++) {
		finish_stream(&st[i]);
		if (st[i].sum.ok != st[i].sum.cycles || st[i].sum.discontinuous ||
		    st[i].done != o.cycles)
			failed = true;
		snd_pcm_close(st[i].pcm);
		xs_stats_free(&st[i].sum.lat);
		xs_stats_free(&st[i].sum.stop);
		free(st[i].buf);
		free(st[i].res);
	}
	printf("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:0\n",
	       n_pass, n_fail, n_skip);
	return failed ? 1 : 0;
}
