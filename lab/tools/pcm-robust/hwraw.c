// SPDX-License-Identifier: GPL-2.0
//
// pcm-robust hwparams, raw part: SNDRV_PCM_IOCTL_HW_REFINE and HW_PARAMS
// with parameter sets no hardware can satisfy (empty or inverted
// intervals, empty masks) and with values this card cannot do. What the
// card can do is read first (a refine of "anything"), so that a value
// outside it must be refused with -EINVAL; a value inside it may be
// refused by a finer rule, but when it is accepted the kernel must not
// have silently replaced it.

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <sound/asound.h>

#include "hwraw.h"

#define P_MASK(p, i)	(&(p)->masks[(i) - SNDRV_PCM_HW_PARAM_FIRST_MASK])
#define P_IVAL(p, i)	(&(p)->intervals[(i) - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL])

/* What a case must get back. */
enum expect {
	EXP_EINVAL,	/* impossible by construction */
	EXP_OK,		/* the baseline */
	EXP_CARD,	/* -EINVAL if outside what the card said, else either */
};

struct hcase {
	const char *name;
	unsigned long op;	/* HW_REFINE or HW_PARAMS */
	enum expect exp;
	int param;		/* the parameter asked exactly, -1: none */
	unsigned int val;
	void (*set)(struct snd_pcm_hw_params *p, const struct hcase *c);
};

static struct snd_pcm_hw_params card;	/* what a refine of anything gave */

static void any(struct snd_pcm_hw_params *p)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i <= SNDRV_PCM_HW_PARAM_LAST_MASK - SNDRV_PCM_HW_PARAM_FIRST_MASK; i++)
		memset(p->masks[i].bits, 0xff, sizeof(p->masks[i].bits));
	for (i = 0; i <= SNDRV_PCM_HW_PARAM_LAST_INTERVAL - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL; i++) {
		p->intervals[i].min = 0;
		p->intervals[i].max = UINT_MAX;
	}
	p->rmask = ~0U;
	p->info = ~0U;
}

static void mask_only(struct snd_pcm_hw_params *p, int param, unsigned int v)
{
	struct snd_mask *m = P_MASK(p, param);

	memset(m->bits, 0, sizeof(m->bits));
	if (v < 256)
		m->bits[v / 32] = 1U << (v % 32);
}

static bool mask_has(const struct snd_pcm_hw_params *p, int param, unsigned int v)
{
	const struct snd_mask *m = &p->masks[param - SNDRV_PCM_HW_PARAM_FIRST_MASK];

	return v < 256 && (m->bits[v / 32] & (1U << (v % 32)));
}

static void ival(struct snd_pcm_hw_params *p, int param, unsigned int lo,
		 unsigned int hi)
{
	struct snd_interval *i = P_IVAL(p, param);

	i->min = lo;
	i->max = hi;
	i->openmin = 0;
	i->openmax = 0;
	i->integer = 1;
}

static const struct snd_interval *cival(const struct snd_pcm_hw_params *p, int param)
{
	return &p->intervals[param - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL];
}

/* A working geometry: S16_LE stereo 48 kHz, 64-frame periods, 15 of them. */
static void sane(struct snd_pcm_hw_params *p)
{
	any(p);
	mask_only(p, SNDRV_PCM_HW_PARAM_ACCESS, SNDRV_PCM_ACCESS_RW_INTERLEAVED);
	mask_only(p, SNDRV_PCM_HW_PARAM_FORMAT, (unsigned int)SNDRV_PCM_FORMAT_S16_LE);
	ival(p, SNDRV_PCM_HW_PARAM_CHANNELS, 2, 2);
	ival(p, SNDRV_PCM_HW_PARAM_RATE, 48000, 48000);
	ival(p, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, 64, 64);
	ival(p, SNDRV_PCM_HW_PARAM_BUFFER_SIZE, 960, 960);
}

static void set_none(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	(void)c;
	any(p);
}

static void set_sane(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	(void)c;
	sane(p);
}

/* c->param exactly c->val (a mask bit or a one-value interval). */
static void set_exact(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	any(p);
	if (c->param <= SNDRV_PCM_HW_PARAM_LAST_MASK)
		mask_only(p, c->param, c->val);
	else
		ival(p, c->param, c->val, c->val);
}

/* The same in the otherwise sane geometry (the parameter overridden). */
static void set_sane_exact(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	sane(p);
	if (c->param <= SNDRV_PCM_HW_PARAM_LAST_MASK)
		mask_only(p, c->param, c->val);
	else
		ival(p, c->param, c->val, c->val);
}

static void set_rate_inverted(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	(void)c;
	any(p);
	ival(p, SNDRV_PCM_HW_PARAM_RATE, 48000, 44100);
}

static void set_rate_open(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	(void)c;
	any(p);
	ival(p, SNDRV_PCM_HW_PARAM_RATE, 48000, 48000);
	P_IVAL(p, SNDRV_PCM_HW_PARAM_RATE)->openmin = 1;
}

static void set_period_inverted(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	(void)c;
	sane(p);
	ival(p, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, 128, 64);
}

static void set_format_none(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	(void)c;
	any(p);
	mask_only(p, SNDRV_PCM_HW_PARAM_FORMAT, 256);	/* no bit */
}

static void set_access_none(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	(void)c;
	any(p);
	mask_only(p, SNDRV_PCM_HW_PARAM_ACCESS, 256);
}

static void set_all_empty(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	(void)c;
	memset(p, 0, sizeof(*p));
	p->rmask = ~0U;
}

static void set_period_gt_buffer(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	(void)c;
	sane(p);
	ival(p, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, 4096, 4096);
	ival(p, SNDRV_PCM_HW_PARAM_BUFFER_SIZE, 1024, 1024);
}

static void set_buffer_over_max(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	unsigned int max = cival(&card, SNDRV_PCM_HW_PARAM_BUFFER_BYTES)->max;

	(void)c;
	sane(p);
	ival(p, SNDRV_PCM_HW_PARAM_BUFFER_SIZE, 0, UINT_MAX);
	ival(p, SNDRV_PCM_HW_PARAM_BUFFER_BYTES, max + 1, max == UINT_MAX ? max : max + 1);
}

static void set_periods_zero(struct snd_pcm_hw_params *p, const struct hcase *c)
{
	(void)c;
	any(p);
	ival(p, SNDRV_PCM_HW_PARAM_PERIODS, 0, 0);
}

#define R SNDRV_PCM_IOCTL_HW_REFINE
#define H SNDRV_PCM_IOCTL_HW_PARAMS
#define FMT(f) ((unsigned int)SNDRV_PCM_FORMAT_##f)

static const struct hcase cases[] = {
	{ "refine anything", R, EXP_OK, -1, 0, set_none },
	{ "hw_params sane", H, EXP_OK, -1, 0, set_sane },
	{ "refine rate min>max", R, EXP_EINVAL, -1, 0, set_rate_inverted },
	{ "refine rate (48000,48000]", R, EXP_EINVAL, -1, 0, set_rate_open },
	{ "hw_params period min>max", H, EXP_EINVAL, -1, 0, set_period_inverted },
	{ "refine no format", R, EXP_EINVAL, -1, 0, set_format_none },
	{ "refine no access", R, EXP_EINVAL, -1, 0, set_access_none },
	{ "refine all empty", R, EXP_EINVAL, -1, 0, set_all_empty },
	{ "hw_params all empty", H, EXP_EINVAL, -1, 0, set_all_empty },
	{ "refine channels 0", R, EXP_EINVAL, SNDRV_PCM_HW_PARAM_CHANNELS, 0, set_exact },
	{ "refine periods 0", R, EXP_EINVAL, -1, 0, set_periods_zero },
	{ "hw_params period 4096 > buffer 1024", H, EXP_EINVAL, -1, 0, set_period_gt_buffer },
	{ "hw_params buffer bytes > max", H, EXP_EINVAL, -1, 0, set_buffer_over_max },
	{ "refine rate 7000", R, EXP_CARD, SNDRV_PCM_HW_PARAM_RATE, 7000, set_exact },
	{ "refine rate 11025", R, EXP_CARD, SNDRV_PCM_HW_PARAM_RATE, 11025, set_exact },
	{ "refine rate 192000", R, EXP_CARD, SNDRV_PCM_HW_PARAM_RATE, 192000, set_exact },
	{ "refine rate 384000", R, EXP_CARD, SNDRV_PCM_HW_PARAM_RATE, 384000, set_exact },
	{ "hw_params rate 7000", H, EXP_CARD, SNDRV_PCM_HW_PARAM_RATE, 7000, set_sane_exact },
	{ "hw_params rate 384000", H, EXP_CARD, SNDRV_PCM_HW_PARAM_RATE, 384000, set_sane_exact },
	{ "refine format FLOAT_LE", R, EXP_CARD, SNDRV_PCM_HW_PARAM_FORMAT, FMT(FLOAT_LE), set_exact },
	{ "refine format S8", R, EXP_CARD, SNDRV_PCM_HW_PARAM_FORMAT, FMT(S8), set_exact },
	{ "refine format U24_LE", R, EXP_CARD, SNDRV_PCM_HW_PARAM_FORMAT, FMT(U24_LE), set_exact },
	{ "hw_params format FLOAT_LE", H, EXP_CARD, SNDRV_PCM_HW_PARAM_FORMAT, FMT(FLOAT_LE), set_sane_exact },
	{ "refine channels 3", R, EXP_CARD, SNDRV_PCM_HW_PARAM_CHANNELS, 3, set_exact },
	{ "refine channels 8", R, EXP_CARD, SNDRV_PCM_HW_PARAM_CHANNELS, 8, set_exact },
	{ "hw_params channels 8", H, EXP_CARD, SNDRV_PCM_HW_PARAM_CHANNELS, 8, set_sane_exact },
	{ "refine period 1 frame", R, EXP_CARD, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, 1, set_exact },
	{ "hw_params period 1 frame", H, EXP_CARD, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, 1, set_sane_exact },
	{ "hw_params sane again", H, EXP_OK, -1, 0, set_sane },
};

/* Whether the card (the baseline refine) allows param = val. */
static bool card_allows(int param, unsigned int val)
{
	const struct snd_interval *i;

	if (param <= SNDRV_PCM_HW_PARAM_LAST_MASK)
		return mask_has(&card, param, val);
	i = cival(&card, param);
	return !i->empty && val >= i->min + i->openmin && val <= i->max - i->openmax;
}

static void print_card(const char *tag)
{
	static const struct { const char *n; int p; } iv[] = {
		{ "rate", SNDRV_PCM_HW_PARAM_RATE },
		{ "channels", SNDRV_PCM_HW_PARAM_CHANNELS },
		{ "period_bytes", SNDRV_PCM_HW_PARAM_PERIOD_BYTES },
		{ "buffer_bytes", SNDRV_PCM_HW_PARAM_BUFFER_BYTES },
		{ "periods", SNDRV_PCM_HW_PARAM_PERIODS },
	};
	const struct snd_mask *f = P_MASK(&card, SNDRV_PCM_HW_PARAM_FORMAT);
	unsigned int k;

	for (k = 0; k < sizeof(iv) / sizeof(iv[0]); k++) {
		const struct snd_interval *i = cival(&card, iv[k].p);

		printf("# %s: card %s %s%u..%u%s\n", tag, iv[k].n,
		       i->openmin ? "(" : "[", i->min, i->max, i->openmax ? ")" : "]");
	}
	printf("# %s: card formats mask 0x%08x%08x\n", tag, f->bits[1], f->bits[0]);
}

/* One case; returns true when it passed, with the reason in why. */
static bool run_case(int fd, const struct hcase *c, char *why, size_t len)
{
	struct snd_pcm_hw_params p;
	bool allowed;
	int r;

	c->set(&p, c);
	r = ioctl(fd, c->op, &p) ? -errno : 0;
	if (r == 0 && c->op == H)
		ioctl(fd, SNDRV_PCM_IOCTL_HW_FREE);
	if (r == 0 && c->op == R && c->exp == EXP_OK && c->set == set_none)
		card = p;
	snprintf(why, len, "returned %d (%s)", r, r ? strerror(-r) : "success");
	switch (c->exp) {
	case EXP_OK:
		return r == 0;
	case EXP_EINVAL:
		return r == -EINVAL;
	case EXP_CARD:
		allowed = card_allows(c->param, c->val);
		snprintf(why + strlen(why), len - strlen(why), ", the card %s it",
			 allowed ? "allows" : "does not allow");
		if (!allowed)
			return r == -EINVAL;
		if (r == -EINVAL)
			return true;
		if (r)
			return false;
		/* accepted: the value must have stayed what was asked */
		if (c->param <= SNDRV_PCM_HW_PARAM_LAST_MASK)
			return mask_has(&p, c->param, c->val);
		return cival(&p, c->param)->min == c->val &&
		       cival(&p, c->param)->max == c->val;
	}
	return false;
}

int hwraw_hw_params(int fd)
{
	struct snd_pcm_hw_params p;

	sane(&p);
	return ioctl(fd, SNDRV_PCM_IOCTL_HW_PARAMS, &p) ? -errno : 0;
}

int hwraw_sw_params(int fd, unsigned long start, unsigned long stop,
		    unsigned long avail_min)
{
	struct snd_pcm_sw_params p;

	memset(&p, 0, sizeof(p));
	p.proto = SNDRV_PCM_VERSION;
	p.period_step = 1;
	p.avail_min = avail_min;
	p.xfer_align = 1;
	p.start_threshold = start;
	p.stop_threshold = stop;
	return ioctl(fd, SNDRV_PCM_IOCTL_SW_PARAMS, &p) ? -errno : 0;
}

unsigned int hwraw_run(const char *path, const char *tag, unsigned int *n)
{
	unsigned int k, fails = 0;
	char why[160];
	int fd;

	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		printf("not ok %u %s raw: open %s # %s\n", ++*n, tag, path,
		       strerror(errno));
		return 1;
	}
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct hcase *c = &cases[k];
		bool ok = run_case(fd, c, why, sizeof(why));

		if (k == 0 && ok)
			print_card(tag);
		printf("# %s raw %s: %s\n", tag, c->name, why);
		printf("%sok %u %s raw %s%s%s\n", ok ? "" : "not ", ++*n, tag,
		       c->name, ok ? "" : " # ", ok ? "" : why);
		fails += !ok;
		fflush(stdout);
	}
	close(fd);
	return fails;
}
