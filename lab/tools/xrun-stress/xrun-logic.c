// SPDX-License-Identifier: GPL-2.0
//
// xrun-stress: options, data pattern, statistics, WAV headers and result
// lines. No ALSA here: test-xrun-logic.c unit-tests all of it on the host.

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xrun-logic.h"

static const char * const mode_names[] = {
	[XS_CAPTURE] = "capture",
	[XS_PLAYBACK] = "playback",
	[XS_DUPLEX] = "duplex",
};

static const char * const stall_names[] = {
	[XS_STALL_SLEEP] = "sleep",
	[XS_STALL_INJECT] = "inject",
	[XS_STALL_BLOCK] = "block",
};

static const char * const fmt_names[] = {
	[XS_FMT_S16_LE] = "S16_LE",
	[XS_FMT_S24_LE] = "S24_LE",
	[XS_FMT_S32_LE] = "S32_LE",
};

static const char * const outcome_names[] = {
	[XS_OK] = "ok",
	[XS_EIO] = "eio",
	[XS_TIMEOUT] = "timeout",
	[XS_NOXRUN] = "noxrun",
	[XS_ERROR] = "error",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *xs_mode_name(enum xs_mode m)
{
	return mode_names[m];
}

const char *xs_dir_name(enum xs_dir d)
{
	return d == XS_DIR_CAPTURE ? "capture" : "playback";
}

const char *xs_stall_name(enum xs_stall s)
{
	return stall_names[s];
}

const char *xs_fmt_name(enum xs_fmt f)
{
	return fmt_names[f];
}

const char *xs_outcome_name(enum xs_outcome o)
{
	return outcome_names[o];
}

unsigned int xs_fmt_bits(enum xs_fmt f)
{
	switch (f) {
	case XS_FMT_S16_LE:
		return 16;
	case XS_FMT_S24_LE:
		return 24;
	default:
		return 32;
	}
}

unsigned int xs_fmt_bytes(enum xs_fmt f)
{
	return f == XS_FMT_S16_LE ? 2 : 4;
}

unsigned long xs_buffer_us(const struct xs_opts *o)
{
	return (unsigned long)((unsigned long long)o->buffer * 1000000ULL /
			       o->rate);
}

unsigned long xs_stall_us(const struct xs_opts *o)
{
	return o->stall_us ? o->stall_us : xs_buffer_us(o) * 3 / 2;
}

unsigned int xs_check_periods(const struct xs_opts *o)
{
	if (o->check_periods)
		return o->check_periods;
	return (o->buffer + o->period - 1) / o->period;
}

static int lookup(const char *s, const char * const *names, size_t n,
		  bool nocase)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (nocase ? !strcasecmp(s, names[i]) : !strcmp(s, names[i]))
			return i;
	}
	return -1;
}

/* A decimal number in [min, max], nothing else. */
static int parse_ul(const char *s, unsigned long min, unsigned long max,
		    unsigned long *v)
{
	char *end;
	unsigned long x;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return -1;
	*v = x;
	return 0;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

enum {
	OPT_VERIFY = 256,
	OPT_GENERATE,
	OPT_SECONDS,
	OPT_RAW,
	OPT_NO_PATTERN,
};

static const struct option long_opts[] = {
	{ "mode",		required_argument, NULL, 'm' },
	{ "device",		required_argument, NULL, 'D' },
	{ "rate",		required_argument, NULL, 'r' },
	{ "channels",		required_argument, NULL, 'c' },
	{ "format",		required_argument, NULL, 'f' },
	{ "period",		required_argument, NULL, 'p' },
	{ "buffer",		required_argument, NULL, 'b' },
	{ "cycles",		required_argument, NULL, 'n' },
	{ "stall",		required_argument, NULL, 's' },
	{ "stall-us",		required_argument, NULL, 't' },
	{ "deadline",		required_argument, NULL, 'w' },
	{ "check-periods",	required_argument, NULL, 'C' },
	{ "keep-going",		no_argument,	   NULL, 'k' },
	{ "verify",		required_argument, NULL, OPT_VERIFY },
	{ "generate",		required_argument, NULL, OPT_GENERATE },
	{ "seconds",		required_argument, NULL, OPT_SECONDS },
	{ "raw",		no_argument,	   NULL, OPT_RAW },
	{ "no-pattern",		no_argument,	   NULL, OPT_NO_PATTERN },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ }
};

void xs_usage(FILE *f, const char *prog)
{
	fprintf(f,
"Usage: %s [OPTION]...             force XRUNs and check the recovery\n"
"       %s --verify FILE [-f FMT -c N -r HZ --raw]   check a capture file\n"
"       %s --generate FILE [--seconds S] [-f FMT -c N -r HZ --raw]\n"
"\n"
"Each cycle forces one XRUN, recovers as arecord/aplay do (prepare, then\n"
"read/write at once) and reports the outcome, the recovery latency (the\n"
"-EPIPE return to the first period transferred after the restart) and\n"
"whether the captured data pattern stays continuous.\n"
"\n"
"  -m, --mode=MODE          capture, playback or duplex (capture)\n"
"  -D, --device=PCM         ALSA PCM (" XS_DEF_DEVICE ")\n"
"  -r, --rate=HZ            (%d)\n"
"  -c, --channels=N         (%d)\n"
"  -f, --format=FMT         S16_LE, S24_LE or S32_LE (S16_LE)\n"
"  -p, --period=FRAMES      period size (%d: 256 bytes of S16_LE stereo)\n"
"  -b, --buffer=FRAMES      buffer size (%d: 15 periods)\n"
"  -n, --cycles=N           XRUNs to force (%d)\n"
"  -s, --stall=HOW          sleep: stop transferring for --stall-us;\n"
"                           inject: write the PCM's proc xrun_injection;\n"
"                           block: one transfer waits for a whole buffer,\n"
"                           so the XRUN wakes it up and the recovery\n"
"                           starts right after the stop (sleep)\n"
"  -t, --stall-us=US        sleep length (buffer time * 3 / 2)\n"
"  -w, --deadline=S         a transfer blocked longer is a timeout (%d)\n"
"  -C, --check-periods=N    periods checked after a recovery (one buffer)\n"
"  -k, --keep-going         do not stop at the first eio or timeout\n"
"      --no-pattern         do not check captured data (continuous=-)\n"
"      --verify=FILE        check the pattern in a WAV (or --raw) file\n"
"      --generate=FILE      write the pattern to a WAV (or --raw) file\n"
"      --seconds=S          length of --generate (5)\n"
"      --raw                no WAV header\n"
"  -h, --help\n"
"  -V, --version\n"
"\n"
"Output: KTAP (one test per cycle and stream), plus one line per cycle\n"
"  cycle=N mode=M stream=S outcome=ok|eio|timeout|noxrun|error ...\n"
"and one per stream\n"
"  summary mode=M stream=S cycles=N ok=N eio=N timeout=N ...\n"
"Exit status: 0 when every cycle passed, 1 otherwise, 2 on bad usage.\n",
		prog, prog, prog, XS_DEF_RATE, XS_DEF_CHANNELS, XS_DEF_PERIOD,
		XS_DEF_PERIOD * XS_DEF_PERIODS, XS_DEF_CYCLES,
		XS_DEF_DEADLINE_S);
}

int xs_parse_args(struct xs_opts *o, int argc, char **argv,
		  char *err, size_t errlen)
{
	bool have_buffer = false;
	unsigned long v;
	double d;
	char *end;
	int c, i;

	memset(o, 0, sizeof(*o));
	o->action = XS_RUN;
	o->mode = XS_CAPTURE;
	o->device = XS_DEF_DEVICE;
	o->rate = XS_DEF_RATE;
	o->channels = XS_DEF_CHANNELS;
	o->format = XS_FMT_S16_LE;
	o->period = XS_DEF_PERIOD;
	o->cycles = XS_DEF_CYCLES;
	o->stall = XS_STALL_SLEEP;
	o->deadline_s = XS_DEF_DEADLINE_S;
	o->seconds = 5;

	optind = 0;	/* glibc: start over, so tests can parse many times */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:D:r:c:f:p:b:n:s:t:w:C:khV",
				long_opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			i = lookup(optarg, mode_names, ARRAY_SIZE(mode_names),
				   false);
			if (i < 0)
				return fail(err, errlen, "unknown mode '%s' (capture, playback or duplex)",
					    optarg);
			o->mode = i;
			break;
		case 'D':
			if (!*optarg)
				return fail(err, errlen, "empty device name");
			o->device = optarg;
			break;
		case 'r':
			if (parse_ul(optarg, 4000, 768000, &v))
				return fail(err, errlen, "bad rate '%s' (4000..768000)", optarg);
			o->rate = v;
			break;
		case 'c':
			if (parse_ul(optarg, 1, 32, &v))
				return fail(err, errlen, "bad channel count '%s' (1..32)", optarg);
			o->channels = v;
			break;
		case 'f':
			i = lookup(optarg, fmt_names, ARRAY_SIZE(fmt_names), true);
			if (i < 0)
				return fail(err, errlen, "unknown format '%s' (S16_LE, S24_LE or S32_LE)",
					    optarg);
			o->format = i;
			break;
		case 'p':
			if (parse_ul(optarg, 1, 1 << 20, &v))
				return fail(err, errlen, "bad period size '%s' (frames)", optarg);
			o->period = v;
			break;
		case 'b':
			if (parse_ul(optarg, 2, 1 << 24, &v))
				return fail(err, errlen, "bad buffer size '%s' (frames)", optarg);
			o->buffer = v;
			have_buffer = true;
			break;
		case 'n':
			if (parse_ul(optarg, 1, 10000000, &v))
				return fail(err, errlen, "bad cycle count '%s'", optarg);
			o->cycles = v;
			break;
		case 's':
			i = lookup(optarg, stall_names, ARRAY_SIZE(stall_names),
				   false);
			if (i < 0)
				return fail(err, errlen, "unknown stall method '%s' (sleep, inject or block)",
					    optarg);
			o->stall = i;
			break;
		case 't':
			if (parse_ul(optarg, 1, 60000000, &v))
				return fail(err, errlen, "bad stall time '%s' (microseconds)", optarg);
			o->stall_us = v;
			break;
		case 'w':
			if (parse_ul(optarg, 1, 3600, &v))
				return fail(err, errlen, "bad deadline '%s' (seconds)", optarg);
			o->deadline_s = v;
			break;
		case 'C':
			if (parse_ul(optarg, 1, 1000000, &v))
				return fail(err, errlen, "bad period count '%s'", optarg);
			o->check_periods = v;
			break;
		case 'k':
			o->keep_going = true;
			break;
		case OPT_VERIFY:
		case OPT_GENERATE:
			if (o->action == XS_VERIFY || o->action == XS_GENERATE)
				return fail(err, errlen, "--verify and --generate exclude each other");
			o->action = c == OPT_VERIFY ? XS_VERIFY : XS_GENERATE;
			o->file = optarg;
			break;
		case OPT_SECONDS:
			errno = 0;
			d = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(d > 0 && d <= 3600))
				return fail(err, errlen, "bad length '%s' (seconds, up to 3600)", optarg);
			o->seconds = d;
			break;
		case OPT_RAW:
			o->raw = true;
			break;
		case OPT_NO_PATTERN:
			o->no_pattern = true;
			break;
		case 'h':
			o->action = XS_HELP;
			return 0;
		case 'V':
			o->action = XS_VERSION_ACTION;
			return 0;
		case ':':
			return fail(err, errlen, "option '%s' needs a value",
				    argv[optind - 1]);
		default:
			return fail(err, errlen, "unknown option '%s'",
				    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s'", argv[optind]);
	if (!have_buffer)
		o->buffer = o->period * XS_DEF_PERIODS;
	if (o->buffer < 2 * o->period)
		return fail(err, errlen, "the buffer (%lu frames) must hold at least two periods of %lu",
			    o->buffer, o->period);
	return 0;
}

/* The pattern */

static uint32_t get_sample(enum xs_fmt fmt, const unsigned char *b)
{
	switch (fmt) {
	case XS_FMT_S16_LE:
		return b[0] | (uint32_t)b[1] << 8;
	case XS_FMT_S24_LE:
		return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16;
	default:
		return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		       (uint32_t)b[3] << 24;
	}
}

static void put_sample(enum xs_fmt fmt, unsigned char *b, uint32_t v)
{
	b[0] = v;
	b[1] = v >> 8;
	if (fmt == XS_FMT_S16_LE)
		return;
	b[2] = v >> 16;
	/* S24_LE: the unused top byte carries the sign, as ALSA expects */
	b[3] = fmt == XS_FMT_S24_LE ? ((v & 0x800000) ? 0xff : 0) : v >> 24;
}

static uint32_t fmt_mask(enum xs_fmt fmt)
{
	unsigned int bits = xs_fmt_bits(fmt);

	return bits == 32 ? 0xffffffffu : (1u << bits) - 1;
}

void xs_pattern_init(struct xs_pattern *p, enum xs_fmt fmt,
		     unsigned int channels)
{
	memset(p, 0, sizeof(*p));
	p->fmt = fmt;
	p->channels = channels;
	p->mask = fmt_mask(fmt);
	p->jump = -1;
}

void xs_pattern_resync(struct xs_pattern *p)
{
	p->restarted = true;
}

/*
 * Channel c of a frame carries a value that is c modulo the channel count.
 * That survives the counter's wrap only when the count divides 2^bits, so
 * it is checked for power-of-two counts only.
 */
static bool aligned(const struct xs_pattern *p, uint32_t v, unsigned int ch)
{
	unsigned int n = p->channels;

	if (n & (n - 1))
		return true;
	return (v & (n - 1)) == ch;
}

static void record_break(struct xs_pattern *p, uint32_t got, uint32_t want)
{
	if (!p->breaks) {
		p->first_break = p->pos;
		p->got = got;
		p->want = want;
	}
	p->breaks++;
}

unsigned long xs_pattern_check(struct xs_pattern *p, const void *buf,
			       size_t frames)
{
	const unsigned char *b = buf;
	size_t bytes = xs_fmt_bytes(p->fmt), i, n = frames * p->channels;
	unsigned long breaks = 0;
	uint32_t v;

	for (i = 0; i < n; i++, p->pos++, b += bytes) {
		unsigned int ch = i % p->channels;

		v = get_sample(p->fmt, b) & p->mask;
		if (!p->synced || p->restarted) {
			if (p->synced)
				p->jump = (v - p->next) & p->mask;
			p->restart_pos = p->pos;
			p->synced = true;
			p->restarted = false;
			if (!aligned(p, v, ch)) {
				/* the want of a misaligned start: its channel */
				record_break(p, v, (v & ~(p->channels - 1)) + ch);
				breaks++;
			}
		} else if (v != p->next) {
			record_break(p, v, p->next);
			breaks++;
		}
		p->next = (v + 1) & p->mask;
	}
	return breaks;
}

void xs_pattern_fill(enum xs_fmt fmt, unsigned int channels,
		     uint32_t *counter, void *buf, size_t frames)
{
	unsigned char *b = buf;
	size_t bytes = xs_fmt_bytes(fmt), i, n = frames * channels;
	uint32_t mask = fmt_mask(fmt), v = *counter;

	for (i = 0; i < n; i++, b += bytes) {
		put_sample(fmt, b, v & mask);
		v = (v + 1) & mask;
	}
	*counter = v;
}

/* Statistics */

int xs_stats_add(struct xs_stats *s, unsigned long v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		unsigned long *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	s->sorted = false;
	return 0;
}

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least pct % of them <= it. */
unsigned long xs_stats_pct(struct xs_stats *s, unsigned int pct)
{
	size_t rank;

	if (!s->n)
		return 0;
	if (!s->sorted) {
		qsort(s->v, s->n, sizeof(*s->v), cmp_ul);
		s->sorted = true;
	}
	if (pct > 100)
		pct = 100;
	rank = ((unsigned long long)pct * s->n + 99) / 100;
	if (rank == 0)
		rank = 1;
	return s->v[rank - 1];
}

void xs_stats_free(struct xs_stats *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* WAV */

static uint32_t le32(const unsigned char *b)
{
	return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static uint16_t le16(const unsigned char *b)
{
	return b[0] | b[1] << 8;
}

static void put32(unsigned char *b, uint32_t v)
{
	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

static void put16(unsigned char *b, uint16_t v)
{
	b[0] = v;
	b[1] = v >> 8;
}

int xs_wav_parse(const unsigned char *b, size_t len, struct xs_wav *w,
		 char *err, size_t errlen)
{
	size_t off = 12;
	bool have_fmt = false;

	memset(w, 0, sizeof(*w));
	if (len < 12 || memcmp(b, "RIFF", 4) || memcmp(b + 8, "WAVE", 4))
		return fail(err, errlen, "not a RIFF/WAVE file");
	while (off + 8 <= len) {
		const unsigned char *ck = b + off;
		uint32_t size = le32(ck + 4);

		if (!memcmp(ck, "fmt ", 4)) {
			uint16_t tag;

			if (size < 16 || off + 8 + 16 > len)
				return fail(err, errlen, "short fmt chunk");
			tag = le16(ck + 8);
			if (tag != 1 && tag != 0xfffe)
				return fail(err, errlen, "WAV format tag 0x%x is not PCM", tag);
			w->channels = le16(ck + 10);
			w->rate = le32(ck + 12);
			w->container = le16(ck + 20);
			w->bits = le16(ck + 22);
			if (tag == 0xfffe && size >= 24 && off + 8 + 24 <= len &&
			    le16(ck + 24) >= 6 && le16(ck + 26))
				w->bits = le16(ck + 26);	/* valid bits */
			if (!w->channels || !w->container ||
			    w->container % w->channels)
				return fail(err, errlen, "bad fmt chunk");
			w->container /= w->channels;
			have_fmt = true;
		} else if (!memcmp(ck, "data", 4)) {
			if (!have_fmt)
				return fail(err, errlen, "data chunk before fmt chunk");
			w->data_off = off + 8;
			/* arecord writes 0x7fffffff (or 0) before it knows */
			w->data_len = (size == 0 || size >= 0x7fffffff) ?
				      UINT64_MAX : size;
			return 0;
		}
		off += 8 + size + (size & 1);
	}
	return fail(err, errlen, "no data chunk in the first %zu bytes", len);
}

void xs_wav_header(unsigned char *b, enum xs_fmt fmt, unsigned int channels,
		   unsigned int rate, uint64_t frames)
{
	unsigned int bytes = xs_fmt_bytes(fmt);
	uint64_t data = frames * channels * bytes;

	if (data > 0xffffffffULL - 36)
		data = 0xffffffffULL - 36;
	memcpy(b, "RIFF", 4);
	put32(b + 4, 36 + data);
	memcpy(b + 8, "WAVEfmt ", 8);
	put32(b + 16, 16);
	put16(b + 20, 1);
	put16(b + 22, channels);
	put32(b + 24, rate);
	put32(b + 28, rate * channels * bytes);
	put16(b + 32, channels * bytes);
	/* S24_LE is 24 valid bits in 4 bytes: plain PCM says 32 */
	put16(b + 34, bytes * 8);
	memcpy(b + 36, "data", 4);
	put32(b + 40, data);
}

/* Result lines */

bool xs_cycle_passed(const struct xs_cycle *c)
{
	return c->outcome == XS_OK && c->continuous != 0;
}

void xs_summary_add(struct xs_summary *s, const struct xs_cycle *c)
{
	s->cycles++;
	switch (c->outcome) {
	case XS_OK:
		s->ok++;
		break;
	case XS_EIO:
		s->eio++;
		break;
	case XS_TIMEOUT:
		s->timeout++;
		break;
	default:
		s->other++;
		break;
	}
	if (c->continuous == 0)
		s->discontinuous++;
	s->extra_xruns += c->extra_xruns;
	if (c->latency_us >= 0)
		xs_stats_add(&s->lat, c->latency_us);
	if (c->since_stop_us >= 0)
		xs_stats_add(&s->stop, c->since_stop_us);
}

/* a number, or "-" when it was not measured */
static const char *num(char *b, size_t len, long long v)
{
	if (v < 0)
		return "-";
	snprintf(b, len, "%lld", v);
	return b;
}

int xs_format_cycle(char *b, size_t len, const struct xs_cycle *c)
{
	char lat[24], stop[24], cont[24], jump[24], brk[24], err[24] = "";

	if (c->outcome == XS_ERROR)
		snprintf(err, sizeof(err), " errno=%d", c->err);
	return snprintf(b, len,
		"cycle=%u mode=%s stream=%s outcome=%s latency_us=%s since_stop_us=%s continuous=%s jump=%s breaks=%s extra_xruns=%u%s%s%s",
		c->cycle, xs_mode_name(c->mode), xs_dir_name(c->dir),
		xs_outcome_name(c->outcome),
		num(lat, sizeof(lat), c->latency_us),
		num(stop, sizeof(stop), c->since_stop_us),
		num(cont, sizeof(cont), c->continuous),
		num(jump, sizeof(jump), c->jump),
		num(brk, sizeof(brk), c->breaks), c->extra_xruns,
		c->outcome != XS_OK && c->where ? " at=" : "",
		c->outcome != XS_OK && c->where ? c->where : "", err);
}

/* a percentile, or "-" without samples */
static const char *pct(char *b, size_t len, struct xs_stats *s,
		       unsigned int p)
{
	return num(b, len, s->n ? (long long)xs_stats_pct(s, p) : -1);
}

int xs_format_summary(char *b, size_t len, struct xs_summary *s)
{
	char l50[24], l99[24], lmax[24], s50[24], smax[24];

	return snprintf(b, len,
		"summary mode=%s stream=%s cycles=%u ok=%u eio=%u timeout=%u other=%u discontinuous=%u extra_xruns=%u lat_p50_us=%s lat_p99_us=%s lat_max_us=%s since_stop_p50_us=%s since_stop_max_us=%s",
		xs_mode_name(s->mode), xs_dir_name(s->dir), s->cycles, s->ok,
		s->eio, s->timeout, s->other, s->discontinuous,
		s->extra_xruns, pct(l50, sizeof(l50), &s->lat, 50),
		pct(l99, sizeof(l99), &s->lat, 99),
		pct(lmax, sizeof(lmax), &s->lat, 100),
		pct(s50, sizeof(s50), &s->stop, 50),
		pct(smax, sizeof(smax), &s->stop, 100));
}

int xs_format_result(char *b, size_t len, unsigned int n, const char *desc,
		     const struct xs_cycle *c)
{
	if (xs_cycle_passed(c))
		return snprintf(b, len, "ok %u %s", n, desc);
	if (c->outcome != XS_OK)
		return snprintf(b, len, "not ok %u %s # %s%s%s", n, desc,
				xs_outcome_name(c->outcome),
				c->where ? " at " : "",
				c->where ? c->where : "");
	return snprintf(b, len, "not ok %u %s # discontinuous data after the recovery",
			n, desc);
}
