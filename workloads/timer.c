/* timer.c - the timer workload: a task that only waits on a timer for
 * --wait, touching no file and no socket. It measures what holding a task
 * costs a model and nothing else: a thread or a process blocked in poll()
 * with no fd, a loop's timer. `cmbench ceiling` uses it for "tasks held
 * together" without the ports, fds and server that io brings. */
#include "../lib/clock.h"
#include "../lib/util.h"
#include "workload.h"

enum { WAIT_US }; /* cfg->wl_num slot */

static const struct wl_flag wait_flags[] = {
	{ "timer", "D", "how long each task waits on its timer (default 5ms)", WLF_DURATION,
	  WAIT_US, 5000, 0, 3600000000ull, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static uint64_t wait_result(const struct wl_slot *s)
{
	return mix64(s->id ^ mix64(s->cfg->wl_num[WAIT_US]));
}

static enum wl_status wait_start(struct wl_slot *s)
{
	/* no fd: the driver waits for the deadline alone */
	return wl_wait(s, -1, 0,
		       (s->now_ns ? s->now_ns : clock_now_ns()) + s->cfg->wl_num[WAIT_US] * 1000);
}

static enum wl_status wait_step(struct wl_slot *s, int events)
{
	(void)events; /* only the deadline can end the wait */
	return wl_done(s, TASK_OK, wait_result(s));
}

const struct workload_ops workload_timer = {
	.name = "timer",
	.summary = "each task waits --timer on a timer, no I/O and no CPU (tasks held together)",
	.label = "timer",
	.flags = wait_flags,
	.hold_flag = "timer",
	.start = wait_start,
	.step = wait_step,
};
