/* mixed.c - the mixed workload: the io part (one GET), then the cpu kernel
 * seeded with the body hash, in the same task: fetch, then process. The
 * kernel is the task's synchronous part (WL_RUN): a loop model runs it on
 * the loop thread or offloads it. */
#include "http.h"
#include "pylib.h"
#include "workload.h"

/* On entry s->result is the body hash. */
static void mixed_compute(struct wl_slot *s)
{
	s->result = cpu_kernel(s->result, s->cfg->cpu_iters);
	s->err = TASK_OK;
}

static enum wl_status after_io(struct wl_slot *s, enum wl_status st, int events)
{
	if (st != WL_DONE || s->err != TASK_OK || (events & WL_EV_IDLE))
		return st;
	s->sync = mixed_compute;
	return WL_RUN;
}

static enum wl_status mixed_start(struct wl_slot *s)
{
	return after_io(s, http_start(s, s->priv), 0);
}

static enum wl_status mixed_step(struct wl_slot *s, int events)
{
	return after_io(s, http_step(s, s->priv, events), events);
}

const struct workload_ops workload_mixed = {
	.name = "mixed",
	.summary = "one GET, then the cpu kernel over its body hash, in the same task",
	.label = "mixed",
	.family = WL_FAMILY_PLAIN,
	.does_io = true,
	.does_cpu = true,
	.flags = wl_py_http_flags,
	.service = &wl_service_latency,
	.slot_size = sizeof(struct http_conn),
	.slot_open = http_slot_open,
	.slot_close = http_slot_close,
	.start = mixed_start,
	.step = mixed_step,
};
