// SPDX-License-Identifier: GPL-2.0
//
// pcm-robust: the robustness campaign of the i.MX6 pcm_dmaengine /
// imx-sdma lab (README.md). Subcommands, each printing KTAP:
//
//   fault     fail the Nth injectable allocation (/proc/thread-self/fail-nth)
//             of one START or PREPARE ioctl, for N = 1, 2, ... until the
//             call makes no more such allocations; each failure must reach
//             user space as an error (or the call must work), and the
//             stream must capture/play continuously again afterwards
//   storm     open/hw_params/start/transfer/drop/close loops, and
//             drop/prepare/start loops on one open stream, capture and
//             playback at the same time
//   hwparams  hw_params the card cannot do, through alsa-lib and raw
//             ioctls: clean errors, then a valid setup still works
//   rehw      start, drop, hw_params at once (raw, no hw_free), prepare,
//             start again: hw_params must not return while the DMA
//             termination of the drop is pending (the kernel's trace)
//
// The captured data is checked against the lab SSI model's pattern (a
// sample counter) with xrun-stress's checker (../xrun-stress/xrun-logic.c).

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "hwraw.h"
#include "xrun-logic.h"

/* The PCM ioctls issued directly, so that exactly one syscall runs. */
#define PCM_PREPARE	_IO('A', 0x40)
#define PCM_START	_IO('A', 0x42)
#define PCM_DROP	_IO('A', 0x43)

#define RATE		48000
#define CHANNELS	2
#define PERIOD		64
#define BUFFER		(15 * PERIOD)
#define FLOW_MS		2000	/* data must move this soon after a start */
#define MAX_NTH		64
#define SETTLE_US	20000	/* a dropped stream is idle after this */

struct stream {
	snd_pcm_t *pcm;
	int fd;
	bool cap;
	struct xs_pattern pat;
	uint32_t counter;		/* playback: the next value */
	int16_t buf[BUFFER * CHANNELS];
	long long last_flow_us;		/* start to the first period moved */
};

static const char *device = "hw:0,0";
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int ktap_no, n_fail;

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static const char *sname(const struct stream *s)
{
	return s->cap ? "capture" : "playback";
}

static void result(bool ok, const char *desc, const char *why)
{
	pthread_mutex_lock(&out_lock);
	if (ok)
		printf("ok %u %s\n", ++ktap_no, desc);
	else
		printf("not ok %u %s # %s\n", ++ktap_no, desc, why);
	n_fail += !ok;
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static int set_avail_min(struct stream *s, snd_pcm_uframes_t frames)
{
	snd_pcm_sw_params_t *sw;
	int r;

	snd_pcm_sw_params_alloca(&sw);
	r = snd_pcm_sw_params_current(s->pcm, sw);
	if (!r)
		r = snd_pcm_sw_params_set_avail_min(s->pcm, sw, frames);
	if (!r)
		r = snd_pcm_sw_params(s->pcm, sw);
	return r;
}

/* Started only by an explicit START, stopped by an XRUN, woken per period. */
static int st_sw_params(struct stream *s)
{
	snd_pcm_sw_params_t *sw;
	snd_pcm_uframes_t boundary;
	int r;

	snd_pcm_sw_params_alloca(&sw);
	if ((r = snd_pcm_sw_params_current(s->pcm, sw)) < 0 ||
	    (r = snd_pcm_sw_params_get_boundary(sw, &boundary)) < 0 ||
	    (r = snd_pcm_sw_params_set_start_threshold(s->pcm, sw, boundary)) < 0 ||
	    (r = snd_pcm_sw_params_set_stop_threshold(s->pcm, sw, BUFFER)) < 0 ||
	    (r = snd_pcm_sw_params_set_avail_min(s->pcm, sw, PERIOD)) < 0)
		return r;
	return snd_pcm_sw_params(s->pcm, sw);
}

/*
 * Open the stream non-blocking with the report's geometry, started only
 * by an explicit START. Returns 0 or -errno, with the failing step in what.
 */
static int st_open(struct stream *s, bool cap, const char **what)
{
	snd_pcm_hw_params_t *hw;
	struct pollfd pfd;
	int r;

	snd_pcm_hw_params_alloca(&hw);
	s->cap = cap;
	s->pcm = NULL;
	*what = "open";
	r = snd_pcm_open(&s->pcm, device, cap ? SND_PCM_STREAM_CAPTURE :
			 SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);
	if (r < 0)
		return r;
	*what = "hw_params";
	if ((r = snd_pcm_hw_params_any(s->pcm, hw)) < 0 ||
	    (r = snd_pcm_hw_params_set_access(s->pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED)) < 0 ||
	    (r = snd_pcm_hw_params_set_format(s->pcm, hw, SND_PCM_FORMAT_S16_LE)) < 0 ||
	    (r = snd_pcm_hw_params_set_channels(s->pcm, hw, CHANNELS)) < 0 ||
	    (r = snd_pcm_hw_params_set_rate(s->pcm, hw, RATE, 0)) < 0 ||
	    (r = snd_pcm_hw_params_set_period_size(s->pcm, hw, PERIOD, 0)) < 0 ||
	    (r = snd_pcm_hw_params_set_buffer_size(s->pcm, hw, BUFFER)) < 0 ||
	    (r = snd_pcm_hw_params(s->pcm, hw)) < 0)
		goto err;
	*what = "sw_params";
	r = st_sw_params(s);
	if (r < 0)
		goto err;
	*what = "poll descriptor";
	if (snd_pcm_poll_descriptors(s->pcm, &pfd, 1) != 1) {
		r = -EINVAL;
		goto err;
	}
	s->fd = pfd.fd;
	xs_pattern_init(&s->pat, XS_FMT_S16_LE, CHANNELS);
	s->counter = 0;
	return 0;
err:
	snd_pcm_close(s->pcm);
	s->pcm = NULL;
	return r;
}

static void st_close(struct stream *s)
{
	if (s->pcm)
		snd_pcm_close(s->pcm);
	s->pcm = NULL;
}

static int pcm_ioctl(struct stream *s, unsigned long req)
{
	return ioctl(s->fd, req) ? -errno : 0;
}

/* Playback: fill the prepared buffer with the pattern before START. */
static int st_prefill(struct stream *s)
{
	long r;

	if (s->cap)
		return 0;
	xs_pattern_fill(XS_FMT_S16_LE, CHANNELS, &s->counter, s->buf, BUFFER);
	r = snd_pcm_writei(s->pcm, s->buf, BUFFER);
	if (r < 0)
		return r;
	return r == BUFFER ? 0 : -ENOSPC;
}

/*
 * Move periods periods of data within FLOW_MS of now, checking captured
 * data. Returns 0, -ETIMEDOUT, -EPIPE (an XRUN) or another -errno; the
 * first period's delay is kept in last_flow_us.
 */
static int st_flow(struct stream *s, unsigned int periods)
{
	long long t0 = now_us(), left;
	unsigned int moved = 0;
	long r;

	s->last_flow_us = -1;
	while (moved < periods * PERIOD) {
		left = FLOW_MS - (now_us() - t0) / 1000;
		if (left <= 0)
			return -ETIMEDOUT;
		r = snd_pcm_wait(s->pcm, left);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		if (s->cap) {
			r = snd_pcm_readi(s->pcm, s->buf, PERIOD);
			if (r > 0)
				xs_pattern_check(&s->pat, s->buf, r);
		} else {
			uint32_t c = s->counter;

			xs_pattern_fill(XS_FMT_S16_LE, CHANNELS, &c, s->buf, PERIOD);
			r = snd_pcm_writei(s->pcm, s->buf, PERIOD);
			if (r > 0) {
				c = s->counter;
				xs_pattern_fill(XS_FMT_S16_LE, CHANNELS, &c, s->buf, r);
				s->counter = c;
			}
		}
		if (r == -EAGAIN)
			continue;
		if (r < 0)
			return r;
		if (s->last_flow_us < 0 && r > 0)
			s->last_flow_us = now_us() - t0;
		moved += r;
	}
	return 0;
}

/* START (after a prefill for playback) and see data flow, continuous. */
static int st_start_flow(struct stream *s, unsigned int periods, char *why, size_t len)
{
	int r;

	r = st_prefill(s);
	if (!r)
		r = pcm_ioctl(s, PCM_START);
	if (r) {
		snprintf(why, len, "start: %s", strerror(-r));
		return r;
	}
	if (s->cap)
		xs_pattern_resync(&s->pat);
	s->pat.breaks = 0;
	r = st_flow(s, periods);
	if (r) {
		snprintf(why, len, "no data after the start: %s", strerror(-r));
		return r;
	}
	if (s->cap && s->pat.breaks) {
		snprintf(why, len, "captured data discontinuous after the start (%llu breaks)",
			 (unsigned long long)s->pat.breaks);
		return -EILSEQ;
	}
	return 0;
}

/*
 * Let the running stream overrun (capture) or underrun (playback): the
 * wait only wakes for a whole buffer, which is when the stream stops, so
 * the caller acts within microseconds of the stop, as arecord does after
 * a long blocking read (xrun-stress -s block).
 */
static int st_force_xrun(struct stream *s)
{
	long long t0 = now_us();
	int r;

	r = set_avail_min(s, BUFFER);
	if (r)
		return r;
	for (;;) {
		r = snd_pcm_wait(s->pcm, FLOW_MS);
		if (snd_pcm_state(s->pcm) == SND_PCM_STATE_XRUN)
			return 0;
		if (r < 0 && r != -EPIPE)
			return r;
		if (now_us() - t0 > 2000LL * FLOW_MS)
			return -ETIMEDOUT;
		if (r > 0 && s->cap)	/* not yet: drop nothing, wait again */
			continue;
	}
}

/* --- fault ------------------------------------------------------------ */

enum fpoint { F_START, F_RESTART, F_PREPARE };
static const char *const fpoint_name[] = { "start", "restart", "prepare" };

static int nth_fd = -1;

static int nth_write(unsigned int n)
{
	char b[16];
	int l = snprintf(b, sizeof(b), "%u", n);

	return pwrite(nth_fd, b, l, 0) == l ? 0 : -errno;
}

static long nth_read(void)
{
	char b[16];
	ssize_t l = pread(nth_fd, b, sizeof(b) - 1, 0);

	if (l <= 0)
		return -1;
	b[l] = 0;
	return strtol(b, NULL, 10);
}

/*
 * Bring s to the state the faulted call expects: prepared and not
 * started (start), stopped by an XRUN and prepared (restart) or stopped
 * by an XRUN (prepare).
 */
static int fault_setup(struct stream *s, enum fpoint fp, char *why, size_t len)
{
	int r;

	/*
	 * The stream the previous case left running is dropped and left to
	 * settle (the DMA's termination is asynchronous) before it is started
	 * again: only the point under test restarts right after a stop.
	 */
	r = pcm_ioctl(s, PCM_DROP);
	usleep(SETTLE_US);
	if (!r)
		r = pcm_ioctl(s, PCM_PREPARE);
	if (r) {
		snprintf(why, len, "setup drop/prepare: %s", strerror(-r));
		return r;
	}
	if (fp == F_START)
		return st_prefill(s);
	r = st_start_flow(s, 4, why, len);
	if (r)
		return r;
	r = st_force_xrun(s);
	if (r) {
		snprintf(why, len, "no XRUN: %s", strerror(-r));
		return r;
	}
	set_avail_min(s, PERIOD);
	if (fp == F_RESTART) {
		r = pcm_ioctl(s, PCM_PREPARE);
		if (!r)
			r = st_prefill(s);
	}
	if (r)
		snprintf(why, len, "setup prepare after the XRUN: %s", strerror(-r));
	return r;
}

/*
 * One faulted call. Returns 1 when no fault was injected (the call makes
 * fewer than n injectable allocations), 0 when it was, -1 on a failed
 * verdict or setup (why says which).
 */
static int fault_one(struct stream *s, enum fpoint fp, unsigned int n,
		     char *why, size_t len)
{
	unsigned long req = fp == F_PREPARE ? PCM_PREPARE : PCM_START;
	long left;
	int r, rr;

	why[0] = 0;
	if (fault_setup(s, fp, why, len))
		return -1;
	if (nth_write(n)) {
		snprintf(why, len, "cannot write fail-nth");
		return -1;
	}
	r = ioctl(s->fd, req) ? -errno : 0;
	left = nth_read();
	nth_write(0);
	diag("fault %s %s nth=%u: injected=%s call=%d (%s) state=%s",
	     sname(s), fpoint_name[fp], n, left == 0 ? "yes" : "no", r,
	     r ? strerror(-r) : "ok", snd_pcm_state_name(snd_pcm_state(s->pcm)));
	if (left < 0) {
		snprintf(why, len, "cannot read fail-nth back");
		return -1;
	}
	/* the call worked: the stream must work */
	if (r == 0) {
		if (fp != F_PREPARE && s->cap)
			xs_pattern_resync(&s->pat);
		s->pat.breaks = 0;
		rr = fp == F_PREPARE ? st_start_flow(s, 2 * BUFFER / PERIOD, why, len) :
		     st_flow(s, 2 * BUFFER / PERIOD);
		if (rr == 0 && fp != F_PREPARE && s->cap && s->pat.breaks)
			rr = -EILSEQ;
		if (rr) {
			if (!why[0])
				snprintf(why, len, "%s succeeded%s but the stream is dead: %s",
					 fpoint_name[fp], left ? "" : " (the injected fault absorbed)",
					 strerror(-rr));
			return -1;
		}
		diag("fault %s %s nth=%u: data after %lld us", sname(s),
		     fpoint_name[fp], n, s->last_flow_us);
		return left != 0;
	}
	if (left != 0) {
		snprintf(why, len, "%s failed without an injected fault: %s",
			 fpoint_name[fp], strerror(-r));
		return -1;
	}
	/* the error reached user space; without faults it must work again */
	rr = pcm_ioctl(s, PCM_DROP);
	usleep(SETTLE_US);
	if (!rr)
		rr = pcm_ioctl(s, PCM_PREPARE);
	if (rr) {
		snprintf(why, len, "prepare after the fault: %s", strerror(-rr));
		return -1;
	}
	if (st_start_flow(s, 2 * BUFFER / PERIOD, why, len)) {
		size_t l = strlen(why);

		snprintf(why + l, len - l, " (recovering from %s)", strerror(-r));
		return -1;
	}
	diag("fault %s %s nth=%u: recovered, data after %lld us", sname(s),
	     fpoint_name[fp], n, s->last_flow_us);
	return 0;
}

static void fault_point(bool cap, enum fpoint fp)
{
	struct stream *s = calloc(1, sizeof(*s));
	char desc[96], why[192];
	const char *what;
	unsigned int n;
	int r;

	if (!s)
		exit(2);
	r = st_open(s, cap, &what);
	snprintf(desc, sizeof(desc), "fault %s %s", cap ? "capture" : "playback",
		 fpoint_name[fp]);
	if (r) {
		snprintf(why, sizeof(why), "%s: %s", what, snd_strerror(r));
		result(false, desc, why);
		free(s);
		return;
	}
	for (n = 1; n <= MAX_NTH; n++) {
		snprintf(desc, sizeof(desc), "fault %s %s nth=%u", sname(s),
			 fpoint_name[fp], n);
		r = fault_one(s, fp, n, why, sizeof(why));
		if (r < 0) {
			result(false, desc, why);
			break;
		}
		result(true, desc, NULL);
		if (r == 1) {
			diag("fault %s %s: %u injectable allocations", sname(s),
			     fpoint_name[fp], n - 1);
			break;
		}
	}
	if (n > MAX_NTH)
		diag("fault %s %s: still injecting at nth=%u, stopped", sname(s),
		     fpoint_name[fp], MAX_NTH);
	st_close(s);
	free(s);
}

static int cmd_fault(int argc, char **argv)
{
	bool play = argc > 0 && !strcmp(argv[0], "-p");
	enum fpoint fp;

	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0) {
		printf("ok %u fault # SKIP /proc/thread-self/fail-nth: %s (CONFIG_FAULT_INJECTION?)\n",
		       ++ktap_no, strerror(errno));
		return 0;
	}
	for (fp = F_START; fp <= F_PREPARE; fp++)
		fault_point(true, fp);
	if (play)
		for (fp = F_START; fp <= F_PREPARE; fp++)
			fault_point(false, fp);
	return 0;
}

/* --- storm ------------------------------------------------------------ */

struct storm {
	bool cap;
	bool reopen;		/* close and reopen every iteration */
	unsigned int iters;
	unsigned int done, fails;
	long long max_flow_us;
	char first[192];
	pthread_t thread;
};

static void storm_fail(struct storm *t, unsigned int i, const char *why)
{
	if (!t->fails++)
		snprintf(t->first, sizeof(t->first), "iteration %u: %s", i, why);
	if (t->fails <= 5)
		diag("storm-%s-%s iteration %u: %s", t->cap ? "capture" : "playback",
		     t->reopen ? "reopen" : "drop", i, why);
}

static void *storm_run(void *arg)
{
	struct storm *t = arg;
	struct stream *s = calloc(1, sizeof(*s));
	const char *what;
	char why[160];
	unsigned int i;
	int r;

	if (!s)
		exit(2);
	s->pcm = NULL;
	for (i = 1; i <= t->iters; i++) {
		if (!s->pcm) {
			r = st_open(s, t->cap, &what);
			if (r == -EBUSY) {	/* the other stream's turn is not over */
				i--;
				usleep(1000);
				continue;
			}
			if (r) {
				snprintf(why, sizeof(why), "%s: %s", what, snd_strerror(r));
				storm_fail(t, i, why);
				break;
			}
		} else {
			r = pcm_ioctl(s, PCM_PREPARE);
			if (r) {
				snprintf(why, sizeof(why), "prepare after drop: %s", strerror(-r));
				storm_fail(t, i, why);
				break;
			}
		}
		r = st_start_flow(s, 3, why, sizeof(why));
		if (r)
			storm_fail(t, i, why);
		else if (s->last_flow_us > t->max_flow_us)
			t->max_flow_us = s->last_flow_us;
		r = pcm_ioctl(s, PCM_DROP);
		if (r) {
			snprintf(why, sizeof(why), "drop: %s", strerror(-r));
			storm_fail(t, i, why);
		}
		if (t->reopen)
			st_close(s);
		t->done = i;
		if (t->fails > 20)
			break;
	}
	st_close(s);
	free(s);
	return NULL;
}

static int cmd_storm(int argc, char **argv)
{
	unsigned int iters = argc > 0 ? strtoul(argv[0], NULL, 0) : 100;
	struct storm t[4];
	unsigned int k;
	char desc[96], why[256];
	bool reopen;

	/*
	 * reopen: open, hw_params, start, transfer, drop, close, each time;
	 * then drop: drop, prepare, start, transfer on one open stream
	 */
	for (reopen = true, k = 0; k < 4; k += 2, reopen = false) {
		memset(&t[k], 0, 2 * sizeof(t[0]));
		t[k].cap = true;
		t[k].reopen = t[k + 1].reopen = reopen;
		t[k].iters = t[k + 1].iters = iters;
		pthread_create(&t[k + 1].thread, NULL, storm_run, &t[k + 1]);
		storm_run(&t[k]);
		pthread_join(t[k + 1].thread, NULL);
		for (unsigned int j = k; j < k + 2; j++) {
			/* one word, so that a lab matrix row can name it */
			snprintf(desc, sizeof(desc), "storm-%s-%s", t[j].cap ? "capture" : "playback",
				 reopen ? "reopen" : "drop");
			diag("%s: %u/%u iterations, %u failed, max start-to-data %lld us",
			     desc, t[j].done, iters, t[j].fails, t[j].max_flow_us);
			snprintf(why, sizeof(why), "%u failures, first: %s", t[j].fails, t[j].first);
			result(!t[j].fails && t[j].done == iters, desc,
			       t[j].fails ? why : "stopped early");
		}
	}
	return 0;
}

/* --- rehw ------------------------------------------------------------- */

/*
 * hw_params right after a stop. DROP leaves the stream in the SETUP state,
 * in which HW_PARAMS is accepted without HW_FREE first (alsa-lib always
 * frees first, so the ioctl is issued raw). The DMA channel is configured
 * and the buffer may be reallocated in hw_params, so the PCM must have
 * waited for the asynchronous termination of the DROP by the time
 * HW_PARAMS returns. Judged from the kernel's trace: a marker before and
 * after each HW_PARAMS and the workqueue events of the DMA driver's
 * termination worker (imx-sdma's), queued by the stop and done when its
 * execute_end event is written.
 *
 * The stream runs under SCHED_FIFO, as audio servers run their data
 * threads: the worker then runs only when the ioctl sleeps, so a
 * HW_PARAMS that does not wait returns with the termination pending. With
 * SCHED_OTHER on the lab's debug kernel the worker often gets the CPU
 * inside the slow (lockdep, slub_debug) HW_PARAMS and the case would pass
 * by chance; on hardware a production kernel's HW_PARAMS is far shorter
 * than the worker's 1 ms sleep.
 */

#define TERM_WORK	"function=sdma_channel_terminate_work"
#define MAX_PENDING	16

static const char *trace_dir;

static int trace_write(const char *file, const char *val)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", trace_dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

static int trace_setup(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	static const char *const set[][2] = {
		{ "tracing_on", "0" }, { "trace", "" }, { "trace_clock", "global" },
		{ "buffer_size_kb", "1024" },
		{ "events/workqueue/workqueue_queue_work/enable", "1" },
		{ "events/workqueue/workqueue_execute_end/enable", "1" },
		{ "tracing_on", "1" },
	};
	char path[128];
	unsigned int k;
	int r;

	for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]) && !trace_dir; k++) {
		snprintf(path, sizeof(path), "%s/trace_marker", dirs[k]);
		if (!access(path, W_OK))
			trace_dir = dirs[k];
	}
	/* newer kernels no longer mount it under debugfs by themselves */
	if (!trace_dir && !mount("tracefs", dirs[0], "tracefs", 0, NULL))
		trace_dir = dirs[0];
	if (!trace_dir)
		return -ENOENT;
	for (k = 0; k < sizeof(set) / sizeof(set[0]); k++) {
		r = trace_write(set[k][0], set[k][1]);
		if (r) {
			diag("rehw: cannot write '%s' to %s/%s: %s", set[k][1], trace_dir,
			     set[k][0], strerror(-r));
			return r;
		}
	}
	return 0;
}

static void trace_mark(const char *tag, unsigned int i, const char *what)
{
	char m[96];

	snprintf(m, sizeof(m), "pcm-robust rehw %s %u %s", tag, i, what);
	trace_write("trace_marker", m);
}

/*
 * The work struct address after "work struct=" or "work struct " (up to a
 * space, or the colon newer kernels print after it in execute_end).
 */
static bool work_id(const char *line, char *id, size_t len)
{
	const char *p = strstr(line, "work struct");
	size_t n;

	if (!p)
		return false;
	p += strlen("work struct");
	if (*p == '=' || *p == ' ')
		p++;
	n = strcspn(p, " :\n");
	if (!n || n >= len)
		return false;
	memcpy(id, p, n);
	id[n] = '\0';
	return true;
}

/*
 * The timestamp of a trace line ("task-1 [000] d..1  12.345678: event: ..."):
 * the first "digits.digits:" in it; -1 if none.
 */
static double trace_ts(const char *line)
{
	const char *p, *b;

	for (p = line; (p = strchr(p, ':')); p++) {
		b = p;
		while (b > line && (b[-1] == '.' || (b[-1] >= '0' && b[-1] <= '9')))
			b--;
		if (b < p && b[0] != '.' && memchr(b, '.', p - b) && (b == line || b[-1] == ' '))
			return strtod(b, NULL);
	}
	return -1;
}

struct rehw_trace {
	double hw_sum, hw_max;		/* HW_PARAMS enter to exit, seconds */
	double term_sum, term_max;	/* termination queued to done */
	unsigned int terms;
	unsigned int entries;		/* markers seen, for enter and exit */
	unsigned int pending_enter;	/* a termination pending at enter */
	unsigned int pending_exit;	/* still pending when HW_PARAMS returned */
	unsigned int first_exit;	/* its iteration, 0: none */
	bool lost;			/* the ring buffer dropped events */
};

/*
 * Walk the trace of one stream's run: the termination works queued and not
 * yet done, at each marker.
 */
static int trace_judge(const char *tag, struct rehw_trace *rt)
{
	char pending[MAX_PENDING][32], id[32], path[128], line[512], mark[64];
	double queued[MAX_PENDING], t, enter = -1;
	unsigned int np = 0, k, i;
	unsigned long in_buf, written;
	FILE *f;

	memset(rt, 0, sizeof(*rt));
	trace_write("tracing_on", "0");
	snprintf(path, sizeof(path), "%s/trace", trace_dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	snprintf(mark, sizeof(mark), "pcm-robust rehw %s ", tag);
	while (fgets(line, sizeof(line), f)) {
		char *m;

		if (sscanf(line, "# entries-in-buffer/entries-written: %lu/%lu",
			   &in_buf, &written) == 2)
			rt->lost = in_buf != written;
		if (line[0] == '#')
			continue;
		t = trace_ts(line);
		if (strstr(line, "workqueue_queue_work:") && strstr(line, TERM_WORK " ") &&
		    work_id(line, id, sizeof(id))) {
			for (k = 0; k < np && strcmp(pending[k], id); k++)
				;
			if (k == np && np < MAX_PENDING) {
				queued[np] = t;
				strcpy(pending[np++], id);
			}
		} else if (strstr(line, "workqueue_execute_end:") && work_id(line, id, sizeof(id))) {
			for (k = 0; k < np; k++) {
				if (!strcmp(pending[k], id)) {
					rt->terms++;
					rt->term_sum += t - queued[k];
					if (t - queued[k] > rt->term_max)
						rt->term_max = t - queued[k];
					memmove(pending[k], pending[k + 1], (np - k - 1) * sizeof(pending[0]));
					memmove(&queued[k], &queued[k + 1], (np - k - 1) * sizeof(queued[0]));
					np--;
					break;
				}
			}
		} else if ((m = strstr(line, mark))) {
			m += strlen(mark);
			if (sscanf(m, "%u", &i) != 1)
				continue;
			rt->entries++;
			if (strstr(m, " enter")) {
				enter = t;
				rt->pending_enter += np > 0;
			} else if (strstr(m, " exit")) {
				if (np && !rt->pending_exit++)
					rt->first_exit = i;
				rt->hw_sum += t - enter;
				if (t - enter > rt->hw_max)
					rt->hw_max = t - enter;
			}
		}
	}
	fclose(f);
	return 0;
}

/* st_sw_params() issued raw: the kernel's were reset by a raw HW_PARAMS. */
static int st_sw_params_raw(struct stream *s)
{
	snd_pcm_sw_params_t *sw;
	snd_pcm_uframes_t boundary;
	int r;

	snd_pcm_sw_params_alloca(&sw);
	r = snd_pcm_sw_params_current(s->pcm, sw);
	if (!r)
		r = snd_pcm_sw_params_get_boundary(sw, &boundary);
	if (r)
		return r;
	return hwraw_sw_params(s->fd, boundary, BUFFER, PERIOD);
}

static void rehw_one(bool cap, unsigned int iters)
{
	const char *tag = cap ? "capture" : "playback";
	struct stream *s = calloc(1, sizeof(*s));
	unsigned int i, done = 0, fails = 0, marks = 0;
	char desc[64], why[160], first[192] = "", res[320];
	struct rehw_trace rt;
	const char *what;
	int r;

	if (!s)
		exit(2);
	snprintf(desc, sizeof(desc), "rehw-%s", tag);
	r = trace_setup();
	if (r) {
		snprintf(why, sizeof(why), "no kernel trace (tracefs or debugfs): %s", strerror(-r));
		result(false, desc, why);
		free(s);
		return;
	}
	r = st_open(s, cap, &what);
	if (r) {
		snprintf(why, sizeof(why), "%s: %s", what, snd_strerror(r));
		result(false, desc, why);
		free(s);
		return;
	}
	for (i = 1; i <= iters; i++) {
		r = st_start_flow(s, 3, why, sizeof(why));
		if (!r) {
			r = pcm_ioctl(s, PCM_DROP);
			if (r)
				snprintf(why, sizeof(why), "drop: %s", strerror(-r));
		}
		if (!r) {
			trace_mark(tag, i, "enter");
			r = hwraw_hw_params(s->fd);
			trace_mark(tag, i, "exit");
			marks += 2;
			if (r)
				snprintf(why, sizeof(why), "hw_params after drop: %s", strerror(-r));
		}
		if (!r) {
			r = st_sw_params_raw(s);
			if (r)
				snprintf(why, sizeof(why), "sw_params: %s", strerror(-r));
		}
		if (!r) {
			r = pcm_ioctl(s, PCM_PREPARE);
			if (r)
				snprintf(why, sizeof(why), "prepare: %s", strerror(-r));
		}
		if (r) {
			if (!fails++)
				snprintf(first, sizeof(first), "iteration %u: %s", i, why);
			if (fails <= 5)
				diag("%s iteration %u: %s", desc, i, why);
			pcm_ioctl(s, PCM_DROP);
			if (pcm_ioctl(s, PCM_PREPARE) || fails > 20)
				break;
		}
		done = i;
	}
	st_close(s);
	free(s);
	r = trace_judge(tag, &rt);
	diag("%s: %u/%u iterations, %u failed; termination pending when HW_PARAMS was entered %u times, when it returned %u times%s",
	     desc, done, iters, fails, rt.pending_enter, rt.pending_exit,
	     rt.lost ? "; the trace lost events" : "");
	if (rt.entries && rt.terms)
		diag("%s: HW_PARAMS took %.0f us on average, %.0f us at most; a termination was done %.0f us after the stop on average, %.0f us at most (%u)",
		     desc, 2e6 * rt.hw_sum / rt.entries, 1e6 * rt.hw_max,
		     1e6 * rt.term_sum / rt.terms, 1e6 * rt.term_max, rt.terms);
	if (r)
		snprintf(res, sizeof(res), "cannot read the trace: %s", strerror(-r));
	else if (rt.lost)
		snprintf(res, sizeof(res), "the trace lost events");
	else if (rt.entries != marks)
		snprintf(res, sizeof(res), "%u of %u trace markers found", rt.entries, marks);
	else if (rt.pending_exit)
		snprintf(res, sizeof(res), "HW_PARAMS returned with the stop's DMA termination still pending in %u of %u iterations (first: %u)",
			 rt.pending_exit, done, rt.first_exit);
	else if (fails)
		snprintf(res, sizeof(res), "%u failures, first: %s", fails, first);
	else if (!rt.pending_enter)
		snprintf(res, sizeof(res), "no termination was pending when HW_PARAMS was entered: the case was not reached");
	else if (done != iters)
		snprintf(res, sizeof(res), "stopped early");
	else
		res[0] = '\0';
	result(!res[0], desc, res);
}

static int cmd_rehw(int argc, char **argv)
{
	unsigned int iters = argc > 0 ? strtoul(argv[0], NULL, 0) : 50;
	struct sched_param sp = { .sched_priority = 50 };

	if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
		result(false, "rehw SCHED_FIFO", strerror(errno));
		return 0;
	}

	/* one stream at a time: the other's termination would count */
	rehw_one(true, iters);
	rehw_one(false, iters);
	return 0;
}

/* --- hwparams --------------------------------------------------------- */

/* Through alsa-lib: each setter refuses what the card cannot do. */
static void hw_lib(bool cap)
{
	static const struct { const char *n; int kind; unsigned int v; } c[] = {
		{ "rate 7000", 0, 7000 }, { "rate 384000", 0, 384000 },
		{ "format FLOAT_LE", 1, SND_PCM_FORMAT_FLOAT_LE },
		{ "format S8", 1, SND_PCM_FORMAT_S8 },
		{ "channels 0", 2, 0 }, { "channels 8", 2, 8 },
		{ "period 1 frame", 3, 1 },
		{ "buffer 1M frames", 4, 1 << 20 },
	};
	snd_pcm_hw_params_t *hw;
	char desc[96], why[96];
	snd_pcm_t *pcm;
	unsigned int k;
	int r;

	snd_pcm_hw_params_alloca(&hw);
	r = snd_pcm_open(&pcm, device, cap ? SND_PCM_STREAM_CAPTURE :
			 SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);
	if (r < 0) {
		snprintf(why, sizeof(why), "open: %s", snd_strerror(r));
		result(false, cap ? "capture lib open" : "playback lib open", why);
		return;
	}
	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		snd_pcm_hw_params_any(pcm, hw);
		switch (c[k].kind) {
		case 0:
			r = snd_pcm_hw_params_set_rate(pcm, hw, c[k].v, 0);
			break;
		case 1:
			r = snd_pcm_hw_params_set_format(pcm, hw, c[k].v);
			break;
		case 2:
			r = snd_pcm_hw_params_set_channels(pcm, hw, c[k].v);
			break;
		case 3:
			r = snd_pcm_hw_params_set_period_size(pcm, hw, c[k].v, 0);
			break;
		default:
			r = snd_pcm_hw_params_set_buffer_size(pcm, hw, c[k].v);
			break;
		}
		if (r == 0)	/* the setter took it: the kernel has the last word */
			r = snd_pcm_hw_params(pcm, hw);
		snprintf(desc, sizeof(desc), "%s lib %s", cap ? "capture" : "playback", c[k].n);
		snprintf(why, sizeof(why), "returned %d (%s)", r, r ? snd_strerror(r) : "success");
		diag("%s: %s", desc, why);
		/* the card does none of these (the raw refine prints what it does) */
		result(r == -EINVAL, desc, why);
		if (r == 0)
			snd_pcm_hw_free(pcm);
	}
	snd_pcm_close(pcm);
}

static void hw_after(bool cap)
{
	struct stream *s = calloc(1, sizeof(*s));
	char desc[64], why[192];
	const char *what;
	int r;

	if (!s)
		exit(2);
	snprintf(desc, sizeof(desc), "%s valid setup works afterwards", cap ? "capture" : "playback");
	r = st_open(s, cap, &what);
	if (r) {
		snprintf(why, sizeof(why), "%s: %s", what, snd_strerror(r));
		result(false, desc, why);
	} else {
		r = st_start_flow(s, 2 * BUFFER / PERIOD, why, sizeof(why));
		diag("%s: %s, data after %lld us", desc, r ? why : "ok", s->last_flow_us);
		result(!r, desc, why);
	}
	st_close(s);
	free(s);
}

static int cmd_hwparams(int argc, char **argv)
{
	unsigned int fails = 0;
	int card = argc > 0 ? atoi(argv[0]) : 0;
	char path[64];

	snprintf(path, sizeof(path), "/dev/snd/pcmC%dD0c", card);
	fails += hwraw_run(path, "capture", &ktap_no);
	snprintf(path, sizeof(path), "/dev/snd/pcmC%dD0p", card);
	fails += hwraw_run(path, "playback", &ktap_no);
	n_fail += fails;
	hw_lib(true);
	hw_lib(false);
	hw_after(true);
	hw_after(false);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pcm-robust [-D DEVICE] fault [-p]\n"
		"       pcm-robust [-D DEVICE] storm [ITERATIONS]\n"
		"       pcm-robust [-D DEVICE] hwparams [CARD]\n"
		"       pcm-robust [-D DEVICE] rehw [ITERATIONS]\n"
		"KTAP on stdout; exit 0 when every case passed, 1 otherwise.\n");
}

int main(int argc, char **argv)
{
	const char *cmd;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && !strcmp(argv[1], "-D")) {
		device = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	printf("KTAP version 1\n");
	if (!strcmp(cmd, "fault")) {
		r = cmd_fault(argc - 2, argv + 2);
	} else if (!strcmp(cmd, "storm")) {
		r = cmd_storm(argc - 2, argv + 2);
	} else if (!strcmp(cmd, "hwparams")) {
		r = cmd_hwparams(argc - 2, argv + 2);
	} else if (!strcmp(cmd, "rehw")) {
		r = cmd_rehw(argc - 2, argv + 2);
	} else {
		usage(stderr);
		return 2;
	}
	printf("1..%u\n", ktap_no);
	printf("# pcm-robust %s: %u passed, %u failed\n", cmd, ktap_no - n_fail, n_fail);
	return r ? r : n_fail ? 1 : 0;
}
