// SPDX-License-Identifier: GPL-2.0
/*
 * sdma_client: drive an i.MX SDMA memcpy channel through the dmaengine API
 * the way racy clients (the dmaengine PCM, fsl_asrc_dma, UART, SPI) do:
 * terminate asynchronously and restart at once from atomic context, from a
 * timer interrupt or from a completion callback, without synchronizing.
 *
 * Every transfer the module submits is tracked with a completion, a canary
 * in its callback parameter and its source/destination buffers. A scenario
 * checks that transfers submitted after a termination complete once, in
 * order, with their data, that aborted transfers neither call back nor
 * write, and that no callback arrives after dmaengine_synchronize(). The
 * lab kernels run with DEBUG_LIST, SLUB_DEBUG_ON, kmemleak and lockdep; a
 * scenario during which the kernel got tainted by a warning or a bad page,
 * or lockdep switched itself off, fails too (the details are in dmesg).
 *
 * The scenarios run from module_init; results are printed as KTAP-like
 * lines ("sdma-client: ok N - name", "sdma-client: not ok N - name # why",
 * "sdma-client: summary pass=P fail=F skip=S"); the summary line is the
 * end of a run. Loading fails only for bad parameters (-EINVAL); otherwise
 * it returns 0 whatever the results, because busybox insmod retries a
 * failed finit_module() with init_module(), which would run every scenario
 * twice. Nothing is left behind: the channel, buffers and timers are
 * released before init returns, and the loaded module does nothing until
 * it is removed.
 */

#define pr_fmt(fmt) "sdma-client: " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *test = "all";
module_param(test, charp, 0444);
MODULE_PARM_DESC(test, "comma-separated scenarios to run, or \"all\" (default)");

static unsigned int iterations = 20;
module_param(iterations, uint, 0444);
MODULE_PARM_DESC(iterations, "iterations per scenario (default 20)");

static unsigned int len = SZ_256K;
module_param(len, uint, 0444);
MODULE_PARM_DESC(len, "bytes of a long transfer, multiple of 4, <= 1 MiB (default 256 KiB: 5 buffer descriptors)");

static unsigned int small_len = 256;
module_param(small_len, uint, 0444);
MODULE_PARM_DESC(small_len, "bytes of a short transfer, multiple of 4 (default 256)");

static unsigned int chain = 4;
module_param(chain, uint, 0444);
MODULE_PARM_DESC(chain, "transfers queued before and submitted after a termination in restart-chain (default 4, max 16)");

static unsigned int backlog = 16;
module_param(backlog, uint, 0444);
MODULE_PARM_DESC(backlog, "queued transfers aborted per termination in terminated-list-race (default 16, max 64)");

static unsigned int timeout_ms = 1000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "time an iteration's transfers get to complete (default 1000)");

static unsigned int leak;
module_param(leak, uint, 0444);
MODULE_PARM_DESC(leak, "128-byte objects left unreferenced when the module goes, max 16: the lab's positive control for its kmemleak check (default 0)");

static unsigned int stop_delay_us;
module_param(stop_delay_us, uint, 0444);
MODULE_PARM_DESC(stop_delay_us, "busy-wait between starting and terminating a transfer, interrupts off (default 0)");

static unsigned int irq_delay_us = 300;
module_param(irq_delay_us, uint, 0444);
MODULE_PARM_DESC(irq_delay_us, "irq-terminate: second termination this long after the first (default 300)");

static unsigned int race_min_us = 800;
module_param(race_min_us, uint, 0444);
MODULE_PARM_DESC(race_min_us, "terminated-list-race: first timer offset after the termination (default 800)");

static unsigned int race_max_us = 2600;
module_param(race_max_us, uint, 0444);
MODULE_PARM_DESC(race_max_us, "terminated-list-race: last timer offset after the termination (default 2600)");

static unsigned int stale_poll_us = 2000;
module_param(stale_poll_us, uint, 0444);
MODULE_PARM_DESC(stale_poll_us, "stale-irq: how long to poll for the first transfer's data (default 2000)");

static bool verbose;
module_param(verbose, bool, 0444);
MODULE_PARM_DESC(verbose, "print every failed check, not only the first of a scenario");

/* The module builds on 5.4 and later; older trees have no kzalloc_obj(). */
#ifndef kzalloc_obj
#define kzalloc_obj(P, gfp)	kzalloc(sizeof(P), gfp)
#endif

#define SC_CANARY	0x5dc1ca11
#define SC_RETIRED	0x5dc1dead
#define SC_POISON	0xa5a5a5a5
#define SC_MAX_LEN	SZ_1M
#define SC_MAX_CHAIN	16
#define SC_MAX_BACKLOG	64
#define SC_MAX_XFERS	(2 * SC_MAX_BACKLOG + 8)

/* Callbacks whose parameter was not a live transfer of the running test */
static atomic_t sc_bad_callbacks;

enum sc_expect {
	SC_MUST_COMPLETE,	/* submitted after the last termination */
	SC_MAY_COMPLETE,	/* started, then terminated: all or nothing */
	SC_MUST_NOT_RUN,	/* terminated before it was started */
};

struct sc_test;

struct sc_buf {
	u32 *src;
	u32 *dst;
	dma_addr_t src_dma;
	dma_addr_t dst_dma;
	size_t size;
};

struct sc_xfer {
	u32 canary;
	struct list_head node;		/* on sc_test.xfers until the test ends */
	struct sc_test *t;
	const char *role;
	unsigned int iter;
	enum sc_expect expect;
	struct sc_buf *buf;
	size_t len;
	u32 seed;
	dma_cookie_t cookie;
	bool submitted;
	struct completion done;
	atomic_t callbacks;
	int seq;			/* order of the first callback */
	bool data_at_cb;		/* data complete when the callback ran */
	enum dmaengine_tx_result result;
	void (*hook)(struct sc_xfer *x);	/* run by the first callback */
	struct sc_xfer *next;		/* what the hook submits */
	struct dma_async_tx_descriptor *tx;	/* prepared, not submitted */
};

struct sc_test {
	const char *name;
	int (*iterate)(struct sc_test *t);
	struct dma_chan *chan;
	struct device *dev;
	/* stands for a PCM stream lock: held with interrupts off */
	spinlock_t lock;
	struct list_head xfers;
	struct sc_buf bufs[SC_MAX_XFERS];
	unsigned int nbufs;
	atomic_t seq;
	dma_cookie_t last_cookie;
	unsigned int iter;
	/* protects fail_iter, failed and reason, set from any context */
	spinlock_t fail_lock;
	int fail_iter;
	unsigned int failed;
	char reason[160];
	/* counters printed as diagnostics */
	unsigned int hw_done_at_stop;
	ktime_t issued_at;		/* last issue_pending */
	s64 max_stop_us;		/* longest issue -> terminate */
	unsigned int not_exercised;
	/* timer interrupt context: hrtimer callback */
	struct hrtimer timer;
	void (*timer_fn)(struct sc_test *t);
	struct completion timer_done;
	struct sc_xfer *tx[SC_MAX_XFERS];	/* this iteration's transfers */
	unsigned int ntx;
};

/*
 * leak=N: only these pointers reference the objects, and they go with the
 * module's memory at unload; kmemleak must then report N objects. __used:
 * nothing reads the array, and GCC would drop it and its stores.
 */
static void *sc_leaked[16] __used;

static bool sc_param_ok(void)
{
	if (!len || len % 4 || len > SC_MAX_LEN || !small_len ||
	    small_len % 4 || small_len > len || !iterations ||
	    chain < 1 || chain > SC_MAX_CHAIN || backlog > SC_MAX_BACKLOG ||
	    race_min_us > race_max_us || leak > ARRAY_SIZE(sc_leaked))
		return false;
	return true;
}

/* Record a failed check; the first one of a scenario is its reason. */
static __printf(2, 3) void sc_fail(struct sc_test *t, const char *fmt, ...)
{
	unsigned long flags;
	char msg[120];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	spin_lock_irqsave(&t->fail_lock, flags);
	if (t->fail_iter != t->iter && t->iter < iterations) {
		t->fail_iter = t->iter;
		t->failed++;
	}
	if (!t->reason[0])
		snprintf(t->reason, sizeof(t->reason), "iteration %u: %s",
			 t->iter, msg);
	spin_unlock_irqrestore(&t->fail_lock, flags);

	if (verbose)
		pr_info("# %s: iteration %u: %s\n", t->name, t->iter, msg);
}

static int sc_bufs_alloc(struct sc_test *t, unsigned int n, size_t size)
{
	struct sc_buf *b;

	if (t->nbufs + n > ARRAY_SIZE(t->bufs))
		return -EINVAL;
	while (n--) {
		b = &t->bufs[t->nbufs];
		b->src = dma_alloc_coherent(t->dev, size, &b->src_dma,
					    GFP_KERNEL);
		if (!b->src)
			return -ENOMEM;
		b->dst = dma_alloc_coherent(t->dev, size, &b->dst_dma,
					    GFP_KERNEL);
		if (!b->dst) {
			dma_free_coherent(t->dev, size, b->src, b->src_dma);
			return -ENOMEM;
		}
		b->size = size;
		t->nbufs++;
	}
	return 0;
}

static void sc_bufs_free(struct sc_test *t)
{
	struct sc_buf *b;

	while (t->nbufs) {
		b = &t->bufs[--t->nbufs];
		dma_free_coherent(t->dev, b->size, b->dst, b->dst_dma);
		dma_free_coherent(t->dev, b->size, b->src, b->src_dma);
	}
}

static u32 sc_word(const struct sc_xfer *x, size_t i)
{
	return x->seed ^ (u32)(i * 0x01000193u);
}

/*
 * New transfer of this iteration on buffer pair @bufidx: the source gets a
 * pattern unique to (test, iteration, transfer), the destination poison.
 */
static struct sc_xfer *sc_xfer_new(struct sc_test *t, const char *role,
				   enum sc_expect expect, unsigned int bufidx,
				   size_t xlen)
{
	struct sc_xfer *x;
	size_t i;

	if (bufidx >= t->nbufs || xlen > t->bufs[bufidx].size ||
	    t->ntx >= ARRAY_SIZE(t->tx))
		return NULL;
	x = kzalloc_obj(*x, GFP_KERNEL);
	if (!x)
		return NULL;
	x->canary = SC_CANARY;
	x->t = t;
	x->role = role;
	x->iter = t->iter;
	x->expect = expect;
	x->buf = &t->bufs[bufidx];
	x->len = xlen;
	x->seed = (t->iter * 0x9e3779b9u) ^ (t->ntx << 24) ^ 0x5a000000u;
	x->cookie = -EINVAL;
	x->seq = -1;
	init_completion(&x->done);
	atomic_set(&x->callbacks, 0);
	for (i = 0; i < xlen / 4; i++) {
		x->buf->src[i] = sc_word(x, i);
		x->buf->dst[i] = SC_POISON;
	}
	list_add_tail(&x->node, &t->xfers);
	t->tx[t->ntx++] = x;
	return x;
}

static bool sc_data_complete(const struct sc_xfer *x)
{
	size_t i;

	for (i = 0; i < x->len / 4; i++)
		if (READ_ONCE(x->buf->dst[i]) != sc_word(x, i))
			return false;
	return true;
}

static bool sc_data_untouched(const struct sc_xfer *x)
{
	size_t i;

	for (i = 0; i < x->len / 4; i++)
		if (READ_ONCE(x->buf->dst[i]) != SC_POISON)
			return false;
	return true;
}

static void sc_callback(void *param, const struct dmaengine_result *res)
{
	struct sc_xfer *x = param;

	if (!x || READ_ONCE(x->canary) != SC_CANARY) {
		atomic_inc(&sc_bad_callbacks);
		pr_err("# callback for a retired or freed transfer (param %p)\n",
		       param);
		return;
	}
	if (atomic_inc_return(&x->callbacks) == 1) {
		x->seq = atomic_inc_return(&x->t->seq);
		x->data_at_cb = sc_data_complete(x);
		x->result = res ? res->result : DMA_TRANS_NOERROR;
		if (x->hook)
			x->hook(x);
	}
	complete(&x->done);
}

/* Prepare @x; any context (the driver allocates with GFP_NOWAIT). */
static int sc_prep(struct sc_xfer *x)
{
	struct sc_test *t = x->t;
	struct dma_async_tx_descriptor *tx;

	tx = dmaengine_prep_dma_memcpy(t->chan, x->buf->dst_dma,
				       x->buf->src_dma, x->len,
				       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!tx) {
		/* e.g. the atomic DMA pool is exhausted by leaked descriptors */
		sc_fail(t, "%s: prep_dma_memcpy failed", x->role);
		return -ENOMEM;
	}
	tx->callback_result = sc_callback;
	tx->callback_param = x;
	x->tx = tx;
	return 0;
}

/* Submit the prepared @x and check its cookie; any context. */
static int sc_commit(struct sc_xfer *x)
{
	struct sc_test *t = x->t;

	if (!x->tx)
		return -EINVAL;
	x->cookie = dmaengine_submit(x->tx);
	x->tx = NULL;
	if (dma_submit_error(x->cookie)) {
		sc_fail(t, "%s: submit returned %d", x->role, x->cookie);
		return -EIO;
	}
	x->submitted = true;
	if (x->cookie <= t->last_cookie)
		sc_fail(t, "%s: cookie %d not after %d", x->role, x->cookie,
			t->last_cookie);
	t->last_cookie = x->cookie;
	if (dmaengine_tx_status(t->chan, x->cookie, NULL) == DMA_COMPLETE)
		sc_fail(t, "%s: cookie %d complete before issue_pending",
			x->role, x->cookie);
	return 0;
}

static int sc_submit(struct sc_xfer *x)
{
	int ret = sc_prep(x);

	return ret ? ret : sc_commit(x);
}

static const char *sc_status_name(enum dma_status s)
{
	switch (s) {
	case DMA_COMPLETE:
		return "complete";
	case DMA_IN_PROGRESS:
		return "in-progress";
	case DMA_PAUSED:
		return "paused";
	case DMA_ERROR:
		return "error";
	default:
		return "?";
	}
}

/* Wait for every transfer that must complete, within timeout_ms in all. */
static void sc_wait(struct sc_test *t)
{
	unsigned long end = jiffies + msecs_to_jiffies(timeout_ms);
	unsigned int i;
	long left;

	for (i = 0; i < t->ntx; i++) {
		struct sc_xfer *x = t->tx[i];

		if (x->expect != SC_MUST_COMPLETE || !x->submitted)
			continue;
		left = (long)(end - jiffies);
		if (left < 1)
			left = 1;
		wait_for_completion_timeout(&x->done, left);
	}
}

/* Check the iteration's transfers once the channel is quiet. */
static void sc_check(struct sc_test *t)
{
	struct dma_tx_state state;
	enum dma_status st;
	int last_seq = 0;
	unsigned int i;
	int n;

	for (i = 0; i < t->ntx; i++) {
		struct sc_xfer *x = t->tx[i];

		if (!x->submitted)
			continue;
		n = atomic_read(&x->callbacks);
		switch (x->expect) {
		case SC_MUST_COMPLETE:
			st = dmaengine_tx_status(t->chan, x->cookie, &state);
			if (!n) {
				sc_fail(t, "%s (cookie %d) never completed: status %s, data %s",
					x->role, x->cookie, sc_status_name(st),
					sc_data_complete(x) ? "complete" :
					sc_data_untouched(x) ? "untouched" :
					"partial");
				break;
			}
			if (n > 1)
				sc_fail(t, "%s: %d callbacks", x->role, n);
			if (!x->data_at_cb)
				sc_fail(t, "%s (cookie %d): callback before its data was complete",
					x->role, x->cookie);
			else if (!sc_data_complete(x))
				sc_fail(t, "%s: data overwritten after completion",
					x->role);
			if (x->result != DMA_TRANS_NOERROR)
				sc_fail(t, "%s: callback result %d", x->role,
					x->result);
			if (st != DMA_COMPLETE)
				sc_fail(t, "%s: tx_status %s after its callback",
					x->role, sc_status_name(st));
			if (x->seq < last_seq)
				sc_fail(t, "%s completed out of order", x->role);
			last_seq = x->seq;
			break;
		case SC_MAY_COMPLETE:
			if (n > 1)
				sc_fail(t, "%s: %d callbacks", x->role, n);
			if (n && !x->data_at_cb)
				sc_fail(t, "terminated %s called back with incomplete data",
					x->role);
			break;
		case SC_MUST_NOT_RUN:
			if (n)
				sc_fail(t, "aborted %s (cookie %d) called back",
					x->role, x->cookie);
			if (!sc_data_untouched(x))
				sc_fail(t, "aborted %s (cookie %d) wrote its destination",
					x->role, x->cookie);
			break;
		}
	}
}

/*
 * End of an iteration: wait, terminate and synchronize in process context
 * (no callback may run after that), check, then retire the transfers: a
 * later callback for one of them is counted in sc_bad_callbacks.
 */
static void sc_finish(struct sc_test *t)
{
	unsigned int i;

	sc_wait(t);
	dmaengine_terminate_sync(t->chan);
	sc_check(t);
	for (i = 0; i < t->ntx; i++)
		WRITE_ONCE(t->tx[i]->canary, SC_RETIRED);
	t->ntx = 0;
}

static void sc_issue(struct sc_test *t)
{
	t->issued_at = ktime_get();
	dma_async_issue_pending(t->chan);
}

/*
 * Count the iterations in which @x had already finished in hardware when it
 * was terminated. Only the last word is read, so that the check does not
 * delay the termination: the SDMA copies in order.
 */
static void sc_note_hw_done(struct sc_test *t, struct sc_xfer *x)
{
	size_t last = x->len / 4 - 1;
	s64 us = ktime_us_delta(ktime_get(), t->issued_at);

	if (us > t->max_stop_us)
		t->max_stop_us = us;
	if (READ_ONCE(x->buf->dst[last]) == sc_word(x, last))
		t->hw_done_at_stop++;
}

/*
 * The timer stands for a device's interrupt handler, which may take
 * spinlock_t locks (dmaengine's) because on PREEMPT_RT it would run in a
 * thread. A hard hrtimer callback stays in hard interrupt context even
 * there, so lockdep with PROVE_RAW_LOCK_NESTING (default since 6.13)
 * reports the dmaengine calls as an invalid wait context: tell it which
 * context is meant.
 */
#ifdef DEFINE_WAIT_OVERRIDE_MAP
static DEFINE_WAIT_OVERRIDE_MAP(sc_hardirq_map, LD_WAIT_CONFIG);
#define sc_hardirq_enter()	lock_map_acquire_try(&sc_hardirq_map)
#define sc_hardirq_exit()	lock_map_release(&sc_hardirq_map)
#else	/* before 6.6: no wait-type checks to tell */
#define sc_hardirq_enter()	do { } while (0)
#define sc_hardirq_exit()	do { } while (0)
#endif

static enum hrtimer_restart sc_timer_cb(struct hrtimer *timer)
{
	struct sc_test *t = container_of(timer, struct sc_test, timer);

	sc_hardirq_enter();
	t->timer_fn(t);
	sc_hardirq_exit();
	complete(&t->timer_done);
	return HRTIMER_NORESTART;
}

static void sc_timer_wait(struct sc_test *t)
{
	if (!wait_for_completion_timeout(&t->timer_done,
					 msecs_to_jiffies(timeout_ms))) {
		hrtimer_cancel(&t->timer);
		sc_fail(t, "timer did not run");
	}
}

/* memcpy: a plain transfer completes (the model and the script work). */
static int sc_memcpy_iter(struct sc_test *t)
{
	struct sc_xfer *x;

	x = sc_xfer_new(t, "transfer", SC_MUST_COMPLETE, 0, len);
	if (!x)
		return -ENOMEM;
	if (!sc_submit(x))
		sc_issue(t);
	sc_finish(t);
	return 0;
}

/*
 * memcpy-chain: several transfers submitted, then issued at once, complete
 * in order (the driver queues memcpy descriptors correctly).
 */
static int sc_memcpy_chain_iter(struct sc_test *t)
{
	struct sc_xfer *x[SC_MAX_CHAIN];
	unsigned int i;

	for (i = 0; i < chain; i++) {
		x[i] = sc_xfer_new(t, "transfer", SC_MUST_COMPLETE, i, len);
		if (!x[i])
			return -ENOMEM;
	}
	for (i = 0; i < chain; i++)
		if (sc_submit(x[i]))
			break;
	sc_issue(t);
	sc_finish(t);
	return 0;
}

/*
 * restart-atomic: under a spinlock with interrupts off, start a transfer,
 * terminate it asynchronously and start a new one, as the PCM trigger does
 * for STOP and START. The new transfer must complete with its data.
 */
static int sc_restart_atomic_iter(struct sc_test *t)
{
	struct sc_xfer *old, *new;
	unsigned long flags;

	old = sc_xfer_new(t, "old", SC_MAY_COMPLETE, 0, len);
	new = sc_xfer_new(t, "new", SC_MUST_COMPLETE, 1, len);
	if (!old || !new)
		return -ENOMEM;

	spin_lock_irqsave(&t->lock, flags);
	if (!sc_submit(old)) {
		sc_issue(t);
		udelay(stop_delay_us);
		sc_note_hw_done(t, old);
		dmaengine_terminate_async(t->chan);
		if (!sc_submit(new))
			sc_issue(t);
	}
	spin_unlock_irqrestore(&t->lock, flags);

	sc_finish(t);
	return 0;
}

/*
 * restart-chain: as restart-atomic, with transfers queued (submitted, not
 * issued) behind the running one before the termination, and a chain of
 * new ones after it. The queued ones are aborted; the chain completes in
 * order.
 */
static int sc_restart_chain_iter(struct sc_test *t)
{
	struct sc_xfer *old, *queued[SC_MAX_CHAIN], *new[SC_MAX_CHAIN];
	unsigned long flags;
	unsigned int i;

	old = sc_xfer_new(t, "old", SC_MAY_COMPLETE, 0, len);
	if (!old)
		return -ENOMEM;
	for (i = 0; i < chain; i++) {
		queued[i] = sc_xfer_new(t, "queued", SC_MUST_NOT_RUN, 1 + i,
					len);
		new[i] = sc_xfer_new(t, "new", SC_MUST_COMPLETE, 1 + chain + i,
				     len);
		if (!queued[i] || !new[i])
			return -ENOMEM;
	}

	/*
	 * The queued transfers are prepared before the old one is started and
	 * only submitted after it: a prep loads the channel context, which
	 * takes long enough for the old transfer to finish.
	 */
	spin_lock_irqsave(&t->lock, flags);
	if (sc_prep(old))
		goto out;
	for (i = 0; i < chain; i++)
		if (sc_prep(queued[i]))
			goto out;
	if (sc_commit(old))
		goto out;
	sc_issue(t);
	for (i = 0; i < chain; i++)
		if (sc_commit(queued[i]))
			goto out;
	udelay(stop_delay_us);
	sc_note_hw_done(t, old);
	dmaengine_terminate_async(t->chan);
	for (i = 0; i < chain; i++)
		if (sc_submit(new[i]))
			break;
	sc_issue(t);
out:
	spin_unlock_irqrestore(&t->lock, flags);

	sc_finish(t);
	return 0;
}

/*
 * irq-terminate: terminate a running transfer and start another one
 * (atomic, process context); irq_delay_us later, while the first
 * termination's deferred work is pending, an hrtimer (hard interrupt)
 * terminates again and starts a third transfer, which must complete.
 */
static void sc_irq_terminate_timer(struct sc_test *t)
{
	dmaengine_terminate_async(t->chan);
	if (!sc_submit(t->tx[2]))
		sc_issue(t);
}

static int sc_irq_terminate_iter(struct sc_test *t)
{
	struct sc_xfer *old, *mid, *new;
	unsigned long flags;

	old = sc_xfer_new(t, "old", SC_MAY_COMPLETE, 0, len);
	mid = sc_xfer_new(t, "mid", SC_MAY_COMPLETE, 1, len);
	new = sc_xfer_new(t, "new", SC_MUST_COMPLETE, 2, len);
	if (!old || !mid || !new)
		return -ENOMEM;

	reinit_completion(&t->timer_done);
	t->timer_fn = sc_irq_terminate_timer;
	spin_lock_irqsave(&t->lock, flags);
	if (!sc_submit(old)) {
		sc_issue(t);
		udelay(stop_delay_us);
		sc_note_hw_done(t, old);
		dmaengine_terminate_async(t->chan);
		if (!sc_submit(mid))
			sc_issue(t);
	}
	hrtimer_start(&t->timer, ns_to_ktime((u64)irq_delay_us * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_HARD);
	spin_unlock_irqrestore(&t->lock, flags);

	sc_timer_wait(t);
	sc_finish(t);
	return 0;
}

/*
 * cb-terminate: after a termination, start a short and a long transfer;
 * the short one's completion callback terminates the long one and starts
 * a new transfer, as a period callback that detects an overrun does.
 */
static void sc_cb_restart(struct sc_xfer *x)
{
	struct sc_test *t = x->t;

	dmaengine_terminate_async(t->chan);
	if (!sc_submit(x->next))
		sc_issue(t);
}

static int sc_cb_terminate_iter(struct sc_test *t)
{
	struct sc_xfer *old, *first, *second, *new;
	unsigned long flags;

	old = sc_xfer_new(t, "old", SC_MAY_COMPLETE, 0, len);
	first = sc_xfer_new(t, "first", SC_MUST_COMPLETE, 1, small_len);
	second = sc_xfer_new(t, "second", SC_MAY_COMPLETE, 2, len);
	new = sc_xfer_new(t, "new", SC_MUST_COMPLETE, 3, len);
	if (!old || !first || !second || !new)
		return -ENOMEM;
	first->hook = sc_cb_restart;
	first->next = new;

	spin_lock_irqsave(&t->lock, flags);
	if (!sc_submit(old)) {
		sc_issue(t);
		udelay(stop_delay_us);
		sc_note_hw_done(t, old);
		dmaengine_terminate_async(t->chan);
		if (!sc_submit(first) && !sc_submit(second))
			sc_issue(t);
	}
	spin_unlock_irqrestore(&t->lock, flags);

	sc_finish(t);
	return 0;
}

/*
 * abort-queued: with nothing running, submit transfers without issuing
 * them, terminate, synchronize, then submit and issue a new one. The
 * queued ones were aborted: they must neither run nor call back.
 */
static int sc_abort_queued_iter(struct sc_test *t)
{
	struct sc_xfer *queued[SC_MAX_CHAIN], *new;
	unsigned int i;

	for (i = 0; i < chain; i++) {
		queued[i] = sc_xfer_new(t, "queued", SC_MUST_NOT_RUN, i,
					small_len);
		if (!queued[i])
			return -ENOMEM;
	}
	new = sc_xfer_new(t, "new", SC_MUST_COMPLETE, chain, small_len);
	if (!new)
		return -ENOMEM;

	for (i = 0; i < chain; i++)
		if (sc_submit(queued[i]))
			goto out;
	dmaengine_terminate_async(t->chan);
	dmaengine_synchronize(t->chan);
	if (!sc_submit(new))
		sc_issue(t);
out:
	sc_finish(t);
	return 0;
}

/*
 * terminated-list-race: a termination aborts a running transfer and a
 * backlog of queued ones; the driver frees them in deferred work. A new
 * transfer is started at once. An hrtimer, at an offset swept over the
 * deferred work's run time (race_min_us..race_max_us after the first
 * termination), starts a long transfer, queues another backlog and
 * terminates again (the long one still runs, so the termination adds to
 * the terminated descriptors), then starts the transfer that must
 * complete. A
 * termination that adds to the driver's list of terminated descriptors
 * while the work walks it shows up as DEBUG_LIST or SLUB reports.
 */
static void sc_race_timer(struct sc_test *t)
{
	unsigned int first = 3 + backlog, i;

	/* tx[]: old, mid, new, backlog..., stopped, backlog2... */
	for (i = 0; i < backlog; i++)
		if (sc_prep(t->tx[first + 1 + i]))
			break;
	if (!sc_submit(t->tx[first]))
		sc_issue(t);
	for (i = 0; i < backlog; i++)
		if (sc_commit(t->tx[first + 1 + i]))
			break;
	dmaengine_terminate_async(t->chan);
	if (!sc_submit(t->tx[2]))
		sc_issue(t);
}

static int sc_race_iter(struct sc_test *t)
{
	struct sc_xfer *old, *mid, *new;
	unsigned int i, span = race_max_us - race_min_us;
	u64 offset_us = race_min_us;
	ktime_t stop = ktime_get();
	unsigned long flags;

	if (iterations > 1)
		offset_us += div_u64((u64)span * t->iter, iterations - 1);

	old = sc_xfer_new(t, "old", SC_MAY_COMPLETE, 0, len);
	mid = sc_xfer_new(t, "mid", SC_MAY_COMPLETE, 1, len);
	new = sc_xfer_new(t, "new", SC_MUST_COMPLETE, 2, len);
	if (!old || !mid || !new)
		return -ENOMEM;
	/* buffers: 4 long ones, then 2 * backlog short ones */
	for (i = 0; i < backlog; i++)
		if (!sc_xfer_new(t, "backlog", SC_MUST_NOT_RUN, 4 + i,
				 small_len))
			return -ENOMEM;
	if (!sc_xfer_new(t, "stopped", SC_MAY_COMPLETE, 3, len))
		return -ENOMEM;
	for (i = 0; i < backlog; i++)
		if (!sc_xfer_new(t, "backlog2", SC_MUST_NOT_RUN,
				 4 + backlog + i, small_len))
			return -ENOMEM;

	reinit_completion(&t->timer_done);
	t->timer_fn = sc_race_timer;
	spin_lock_irqsave(&t->lock, flags);
	if (sc_prep(old))
		goto out;
	for (i = 0; i < backlog; i++)
		if (sc_prep(t->tx[3 + i]))
			goto out;
	if (sc_commit(old))
		goto out;
	sc_issue(t);
	for (i = 0; i < backlog; i++)
		if (sc_commit(t->tx[3 + i]))
			goto out;
	udelay(stop_delay_us);
	sc_note_hw_done(t, old);
	stop = ktime_get();
	dmaengine_terminate_async(t->chan);
	if (!sc_submit(mid))
		sc_issue(t);
out:
	hrtimer_start(&t->timer, ktime_add_us(stop, offset_us),
		      HRTIMER_MODE_ABS_HARD);
	spin_unlock_irqrestore(&t->lock, flags);

	sc_timer_wait(t);
	sc_finish(t);
	return 0;
}

/*
 * stale-irq: start a short transfer and, interrupts still off, wait until
 * its data has landed (the hardware has finished and raised its interrupt,
 * which the driver has not handled yet), then terminate and start a long
 * one. The pending interrupt belongs to the terminated transfer: it must
 * not complete the new one early.
 */
static int sc_stale_irq_iter(struct sc_test *t)
{
	struct sc_xfer *old, *new;
	unsigned long flags;
	unsigned int us;

	old = sc_xfer_new(t, "old", SC_MAY_COMPLETE, 0, small_len);
	new = sc_xfer_new(t, "new", SC_MUST_COMPLETE, 1, len);
	if (!old || !new)
		return -ENOMEM;

	spin_lock_irqsave(&t->lock, flags);
	if (!sc_submit(old)) {
		sc_issue(t);
		for (us = 0; us < stale_poll_us && !sc_data_complete(old); us++)
			udelay(1);
		if (sc_data_complete(old))
			t->hw_done_at_stop++;
		else
			t->not_exercised++;
		dmaengine_terminate_async(t->chan);
		if (!sc_submit(new))
			sc_issue(t);
	}
	spin_unlock_irqrestore(&t->lock, flags);

	sc_finish(t);
	return 0;
}

static int sc_setup_n(struct sc_test *t, unsigned int nlong,
		      unsigned int nshort)
{
	int ret = sc_bufs_alloc(t, nlong, len);

	return ret ? ret : sc_bufs_alloc(t, nshort, small_len);
}

/* Buffer pairs per scenario: the transfer i of an iteration uses pair i. */
static int sc_setup_1(struct sc_test *t)
{
	return sc_setup_n(t, 1, 0);
}

static int sc_setup_2(struct sc_test *t)
{
	return sc_setup_n(t, 2, 0);
}

static int sc_setup_3(struct sc_test *t)
{
	return sc_setup_n(t, 3, 0);
}

static int sc_setup_4(struct sc_test *t)
{
	return sc_setup_n(t, 4, 0);
}

static int sc_setup_chain(struct sc_test *t)
{
	return sc_setup_n(t, 1 + 2 * chain, 0);
}

static int sc_setup_plain_chain(struct sc_test *t)
{
	return sc_setup_n(t, chain, 0);
}

static int sc_setup_queued(struct sc_test *t)
{
	return sc_setup_n(t, 0, chain + 1);
}

static int sc_setup_race(struct sc_test *t)
{
	return sc_setup_n(t, 4, 2 * backlog);
}

struct sc_scenario {
	const char *name;
	int (*setup)(struct sc_test *t);
	int (*iterate)(struct sc_test *t);
};

static const struct sc_scenario sc_scenarios[] = {
	{ "memcpy", sc_setup_1, sc_memcpy_iter },
	{ "memcpy-chain", sc_setup_plain_chain, sc_memcpy_chain_iter },
	{ "restart-atomic", sc_setup_2, sc_restart_atomic_iter },
	{ "restart-chain", sc_setup_chain, sc_restart_chain_iter },
	{ "irq-terminate", sc_setup_3, sc_irq_terminate_iter },
	{ "cb-terminate", sc_setup_4, sc_cb_terminate_iter },
	{ "abort-queued", sc_setup_queued, sc_abort_queued_iter },
	{ "terminated-list-race", sc_setup_race, sc_race_iter },
	{ "stale-irq", sc_setup_2, sc_stale_irq_iter },
};

static bool sc_selected(const char *name)
{
	size_t n = strlen(name);
	const char *p = test;

	if (!strcmp(test, "all"))
		return true;
	while (p && *p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static bool sc_known(const char *name, size_t n)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sc_scenarios); i++)
		if (strlen(sc_scenarios[i].name) == n &&
		    !strncmp(sc_scenarios[i].name, name, n))
			return true;
	return false;
}

static bool sc_test_param_ok(void)
{
	const char *p = test, *e;

	if (!strcmp(test, "all"))
		return true;
	while (*p) {
		e = strchrnul(p, ',');
		if (!sc_known(p, e - p))
			return false;
		p = *e ? e + 1 : e;
	}
	return true;
}

static unsigned long sc_taint_mask(void)
{
	unsigned long mask = 0;

	if (test_taint(TAINT_WARN))
		mask |= BIT(TAINT_WARN);
	if (test_taint(TAINT_BAD_PAGE))
		mask |= BIT(TAINT_BAD_PAGE);
	if (test_taint(TAINT_DIE))
		mask |= BIT(TAINT_DIE);
	return mask;
}

/* Run one scenario; returns 0 passed, 1 failed, -ENOMEM not run. */
static int sc_run(struct dma_chan *chan, const struct sc_scenario *s,
		  unsigned int num)
{
	unsigned long taint_before = sc_taint_mask();
	int locks_before = debug_locks;
	int bad_before = atomic_read(&sc_bad_callbacks);
	struct sc_xfer *x, *tmp;
	struct sc_test *t;
	int ret, bad;

	t = kzalloc_obj(*t, GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->name = s->name;
	t->iterate = s->iterate;
	t->chan = chan;
	t->dev = chan->device->dev;
	t->fail_iter = -1;
	spin_lock_init(&t->lock);
	spin_lock_init(&t->fail_lock);
	INIT_LIST_HEAD(&t->xfers);
	atomic_set(&t->seq, 0);
	init_completion(&t->timer_done);
	/* hrtimer_setup() since 6.13 (Makefile); hrtimer_init() is gone */
#ifdef SC_HAVE_HRTIMER_SETUP
	hrtimer_setup(&t->timer, sc_timer_cb, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_HARD);
#else
	hrtimer_init(&t->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	t->timer.function = sc_timer_cb;
#endif

	ret = s->setup(t);
	if (ret) {
		sc_fail(t, "cannot allocate buffers (%d)", ret);
		goto out;
	}
	for (t->iter = 0; t->iter < iterations; t->iter++) {
		ret = t->iterate(t);
		if (ret) {
			sc_finish(t);
			sc_fail(t, "cannot set up the iteration (%d)", ret);
			break;
		}
	}

out:
	hrtimer_cancel(&t->timer);
	dmaengine_terminate_sync(chan);
	/* give late callbacks a chance to show before the memory goes away */
	usleep_range(5000, 10000);
	bad = atomic_read(&sc_bad_callbacks) - bad_before;
	if (bad)
		sc_fail(t, "%d callbacks after synchronize or for retired transfers",
			bad);
	if (sc_taint_mask() & ~taint_before)
		sc_fail(t, "kernel tainted (warning, bad page or oops): see dmesg");
	if (locks_before && !debug_locks)
		sc_fail(t, "lockdep reported a problem and turned off: see dmesg");

	if (t->hw_done_at_stop || t->not_exercised)
		pr_info("# %s: first transfer already done in hardware at the stop in %u/%u iterations (issue to stop: up to %lld us)%s\n",
			s->name, t->hw_done_at_stop, iterations, t->max_stop_us,
			t->not_exercised ? " (others: not done after the poll)" : "");
	if (t->failed || t->reason[0]) {
		pr_info("not ok %u - %s # %u/%u iterations failed, first: %s\n",
			num, s->name, t->failed, iterations, t->reason);
		ret = 1;
	} else {
		pr_info("ok %u - %s\n", num, s->name);
		ret = 0;
	}

	list_for_each_entry_safe(x, tmp, &t->xfers, node) {
		list_del(&x->node);
		kfree(x);
	}
	sc_bufs_free(t);
	kfree(t);
	return ret;
}

static void sc_preflight_done(void *param)
{
	complete(param);
}

/*
 * One short transfer, to tell a working SDMA from one that only probes
 * (Debian's QEMU has no SDMA model: its registers read as zero, the driver
 * probes and registers channels, and no transfer ever completes).
 */
static int sc_preflight(struct dma_chan *chan)
{
	struct device *dev = chan->device->dev;
	struct dma_async_tx_descriptor *tx;
	DECLARE_COMPLETION_ONSTACK(done);
	dma_addr_t src_dma, dst_dma;
	int ret = -ETIMEDOUT;
	u32 *src, *dst;

	src = dma_alloc_coherent(dev, small_len, &src_dma, GFP_KERNEL);
	if (!src)
		return -ENOMEM;
	dst = dma_alloc_coherent(dev, small_len, &dst_dma, GFP_KERNEL);
	if (!dst) {
		dma_free_coherent(dev, small_len, src, src_dma);
		return -ENOMEM;
	}
	memset(src, 0x3c, small_len);
	memset(dst, 0, small_len);

	tx = dmaengine_prep_dma_memcpy(chan, dst_dma, src_dma, small_len,
				       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!tx) {
		ret = -ENOMEM;
		goto out;
	}
	tx->callback = sc_preflight_done;
	tx->callback_param = &done;
	if (dma_submit_error(dmaengine_submit(tx))) {
		ret = -EIO;
		goto out;
	}
	dma_async_issue_pending(chan);
	if (wait_for_completion_timeout(&done, msecs_to_jiffies(timeout_ms)))
		ret = memcmp(src, dst, small_len) ? -EIO : 0;
out:
	dmaengine_terminate_sync(chan);
	dma_free_coherent(dev, small_len, dst, dst_dma);
	dma_free_coherent(dev, small_len, src, src_dma);
	return ret;
}

static int __init sc_init(void)
{
	unsigned int i, num = 0, pass = 0, fail = 0, planned = 0;
	struct dma_chan *chan;
	dma_cap_mask_t mask;
	const char *drv;
	int ret;

	pr_info("KTAP version 1\n");
	if (!sc_param_ok() || !sc_test_param_ok()) {
		pr_info("1..0 # SKIP bad parameters (test=%s len=%u small_len=%u chain=%u backlog=%u leak=%u)\n",
			test, len, small_len, chain, backlog, leak);
		pr_info("summary pass=0 fail=0 skip=0 error=parameters\n");
		return -EINVAL;
	}

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_chan_by_mask(&mask);
	if (IS_ERR(chan)) {
		pr_info("1..0 # SKIP no memcpy channel (%ld)\n", PTR_ERR(chan));
		pr_info("summary pass=0 fail=0 skip=0 error=no-channel\n");
		return 0;
	}
	drv = dev_driver_string(chan->device->dev);
	if (strcmp(drv, "imx-sdma")) {
		pr_info("1..0 # SKIP memcpy channel %s belongs to %s, not imx-sdma\n",
			dma_chan_name(chan), drv);
		pr_info("summary pass=0 fail=0 skip=0 error=no-channel\n");
		dma_release_channel(chan);
		return 0;
	}

	for (i = 0; i < ARRAY_SIZE(sc_scenarios); i++)
		if (sc_selected(sc_scenarios[i].name))
			planned++;
	pr_info("# channel %s on %s (%s), iterations=%u len=%u small_len=%u\n",
		dma_chan_name(chan), dev_name(chan->device->dev), drv,
		iterations, len, small_len);
	ret = sc_preflight(chan);
	if (ret) {
		pr_info("1..0 # SKIP %s does not complete a memcpy (%d): no working SDMA\n",
			dma_chan_name(chan), ret);
		pr_info("summary pass=0 fail=0 skip=%u error=no-transfer\n",
			planned);
		dma_release_channel(chan);
		return 0;
	}
	pr_info("1..%u\n", planned);

	for (i = 0; i < leak; i++) {
		sc_leaked[i] = kmalloc(128, GFP_KERNEL);
		if (sc_leaked[i])
			memset(sc_leaked[i], 0xa5, 128);
	}
	if (leak)
		pr_info("# leak=%u: %u objects of 128 bytes stay allocated after rmmod, on purpose\n",
			leak, leak);

	atomic_set(&sc_bad_callbacks, 0);
	for (i = 0; i < ARRAY_SIZE(sc_scenarios); i++) {
		if (!sc_selected(sc_scenarios[i].name))
			continue;
		ret = sc_run(chan, &sc_scenarios[i], ++num);
		if (ret < 0)
			pr_info("not ok %u - %s # cannot allocate the test (%d)\n",
				num, sc_scenarios[i].name, ret);
		if (ret)
			fail++;
		else
			pass++;
	}

	dma_release_channel(chan);
	pr_info("summary pass=%u fail=%u skip=0\n", pass, fail);
	return 0;
}

static void __exit sc_exit(void)
{
}

module_init(sc_init);
module_exit(sc_exit);

MODULE_DESCRIPTION("i.MX SDMA dmaengine client exercising asynchronous termination races");
MODULE_LICENSE("GPL");
