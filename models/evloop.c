/* evloop.c - the libuv driver shared by the loop models.
 *
 * A slot walks a workload's state machine: start() or step() says what the
 * task waits for next, and the driver turns that into a uv_poll_t on the
 * fd (one per fd, allocated, freed in its close callback, so a slot can
 * start its next task while its old watch is still closing); deadlines
 * are checked by one periodic timer for the whole loop (every timeout/20,
 * between 1 and 250 ms), so a task costs no timer operation at all, as in
 * wrk. WL_RUN goes to the model's policy. Between tasks a kept
 * connection stays watched for readability, which costs no system call
 * and lets the workload see a peer that closed or spoke unasked. New tasks
 * start from an idle callback, so a task finishing inside another's
 * callback never recurses into the next. */
#include "evloop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "../lib/clock.h"

enum { EL_IDLE, EL_WAIT, EL_RUN };

struct el_watch {
	uv_poll_t poll;	      /* on fd */
	struct el_slot *slot; /* owner; NULL once forgotten */
	int fd;		      /* the fd it watches */
	int events;	      /* UV_READABLE / UV_WRITABLE it polls for */
};

struct el_run {
	uv_loop_t loop;
	uv_idle_t starter; /* starts tasks outside any callback chain */
	const struct run_cfg *cfg;
	const struct el_policy *pol;
	struct task_stats *stats;
	struct el_slot *slots; /* nslots of them */
	uint64_t nslots;
	struct el_slot *free;	      /* slots with no task */
	uint64_t *shared_next;	      /* prefork: the counter shared with siblings */
	uint64_t next_id;	      /* next task to start (own counter) */
	struct trial_ctl *ctl;	      /* when each task is due */
	uint64_t pending;	      /* a task taken but not yet due, or UINT64_MAX */
	int tfd;		      /* open loop: a timerfd set to the pending task's due time */
	uv_poll_t tpoll;	      /* the loop's watch on tfd */
	uv_timer_t sweep;	      /* checks the deadlines of waiting tasks */
	bool exhausted;		      /* no task is left to start */
	uint64_t running;	      /* tasks started and not done */
	uint64_t t0;		      /* release time */
	struct hist *send_lag;	      /* or NULL (el_tasks) */
	const struct el_serve *serve; /* a server's loop, or NULL */
	uv_poll_t stop_poll;	      /* serve: on serve->stop_fd */
	bool stopping;		      /* serve: stop_fd fired */
};

static void starter_cb(uv_idle_t *h);
static void due_cb(uv_poll_t *h, int status, int events);
static void handle(struct el_slot *slot, enum wl_status st);

uv_loop_t *evloop_loop(struct el_slot *slot)
{
	return &slot->run->loop;
}

uv_loop_t *evloop_run_loop(struct el_run *r)
{
	return &r->loop;
}

static void on_watch_closed(uv_handle_t *h)
{
	free(h->data);
}

static void watch_drop(struct el_slot *slot)
{
	struct el_watch *w = slot->watch;

	if (!w)
		return;
	w->slot = NULL;
	slot->watch = NULL;
	slot->ws.idle_watched = false;
	/* closing a poll handle takes its fd out of epoll now, so the fd
	 * can be closed right after */
	uv_close((uv_handle_t *)&w->poll, on_watch_closed);
}

/* wl_slot.forget_fd: the workload is about to close fd. */
static void forget_fd(struct wl_slot *ws, int fd)
{
	struct el_slot *slot = ws->driver;

	if (slot->watch && slot->watch->fd == fd)
		watch_drop(slot);
}

static int wl_events(int uv_events, int status)
{
	int ev = 0;

	if (status < 0)
		return WL_EV_READ | WL_EV_WRITE; /* the step's own call sees why */
	if (uv_events & (UV_READABLE | UV_DISCONNECT))
		ev |= WL_EV_READ;
	if (uv_events & UV_WRITABLE)
		ev |= WL_EV_WRITE;
	return ev;
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct el_watch *w = h->data;
	struct el_slot *slot = w->slot;
	int ev = wl_events(events, status);

	if (!slot)
		return;
	if (slot->phase != EL_WAIT) {
		/* a kept connection between tasks (or while the task's
		 * synchronous part runs): only the workload knows what it means */
		slot->ws.wl->step(&slot->ws, ev | WL_EV_IDLE);
		return;
	}
	handle(slot, slot->ws.wl->step(&slot->ws, ev));
}

static int watch(struct el_slot *slot, int fd, int uv_events)
{
	struct el_watch *w = slot->watch;

	if (w && w->fd != fd)
		watch_drop(slot);
	w = slot->watch;
	if (!w) {
		w = malloc(sizeof(*w));
		if (!w)
			return -ENOMEM;
		if (uv_poll_init_socket(&slot->run->loop, &w->poll, fd) < 0) {
			free(w);
			return -EIO;
		}
		w->poll.data = w;
		w->slot = slot;
		w->fd = fd;
		w->events = 0;
		slot->watch = w;
		slot->ws.idle_watched = true;
	}
	if (w->events != uv_events) {
		w->events = uv_events;
		return uv_poll_start(&w->poll, uv_events, on_poll);
	}
	return 0;
}

/* Every waiting task past its deadline gets WL_EV_TIMEOUT. */
static void on_sweep(uv_timer_t *t)
{
	struct el_run *r = t->data;
	uint64_t now = clock_now_ns();

	for (uint64_t i = 0; i < r->nslots; i++) {
		struct el_slot *slot = &r->slots[i];

		if (slot->phase != EL_WAIT || !slot->armed_ns || slot->armed_ns > now)
			continue;
		slot->armed_ns = 0;
		handle(slot, slot->ws.wl->step(&slot->ws, WL_EV_TIMEOUT));
	}
}

static void arm(struct el_slot *slot, uint64_t deadline)
{
	slot->armed_ns = deadline;
}

static void disarm(struct el_slot *slot)
{
	slot->armed_ns = 0;
}

/* Between tasks a kept fd is watched for readability only. */
static void watch_idle(struct el_slot *slot)
{
	if (slot->watch && watch(slot, slot->watch->fd, UV_READABLE) < 0)
		watch_drop(slot);
}

static void handle(struct el_slot *slot, enum wl_status st)
{
	struct wl_slot *ws = &slot->ws;
	int ev;

	switch (st) {
	case WL_WAIT:
		ev = (ws->events & WL_EV_READ ? UV_READABLE : 0) |
		     (ws->events & WL_EV_WRITE ? UV_WRITABLE : 0);
		slot->phase = EL_WAIT;
		if (ws->fd >= 0 && watch(slot, ws->fd, ev) < 0) {
			wl_close_fd(ws, ws->fd);
			ws->err = TASK_ERR_IO;
			evloop_task_done(slot);
			return;
		}
		arm(slot, ws->deadline_ns);
		return;
	case WL_RUN:
		slot->phase = EL_RUN;
		disarm(slot); /* --timeout bounds I/O, not the synchronous part */
		watch_idle(slot);
		slot->run->pol->sync_part(slot);
		return;
	case WL_DONE:
		evloop_task_done(slot);
		return;
	}
}

static void slot_free(struct el_slot *slot)
{
	struct el_run *r = slot->run;

	slot->phase = EL_IDLE;
	slot->next_free = r->free;
	slot->freed_ns = clock_now_ns();
	r->free = slot;
	if (r->serve) {
		if (r->serve->freed)
			r->serve->freed(r, r->serve->arg);
		return;
	}
	/* also with a pending task: it may have come due while no slot was
	 * free, and then nothing else would start it */
	if (!r->exhausted)
		uv_idle_start(&r->starter, starter_cb);
}

void evloop_task_done(struct el_slot *slot)
{
	struct el_run *r = slot->run;
	struct wl_slot *ws = &slot->ws;

	disarm(slot);
	watch_idle(slot);
	/* a server's task is due when its request came (its id is the peer's) */
	stats_task_done(r->stats, r->serve ? slot->start_ns : ctl_release_ns(r->ctl, r->t0, ws->id),
			slot->start_ns, clock_now_ns(), ws->id, ws->result, ws->err);
	wl_end(ws);
	r->running--;
	if (r->serve)
		r->serve->answer(slot, r->serve->arg);
	if (r->serve ? r->stopping && r->running == 0 : r->exhausted && r->running == 0)
		uv_stop(&r->loop);
	slot_free(slot);
}

static bool take_id(struct el_run *r, uint64_t *id)
{
	if (r->shared_next)
		*id = __atomic_fetch_add(r->shared_next, 1, __ATOMIC_RELAXED);
	else
		*id = r->next_id++;
	if (*id < r->cfg->tasks)
		return true;
	r->exhausted = true;
	return false;
}

static void task_start(struct el_slot *slot, uint64_t id)
{
	struct el_run *r = slot->run;

	slot->start_ns = clock_now_ns();
	if (r->send_lag) {
		uint64_t due = ctl_release_ns(r->ctl, r->t0, id);
		uint64_t from = due > slot->freed_ns ? due : slot->freed_ns;

		hist_record(r->send_lag, slot->start_ns > from ? slot->start_ns - from : 0);
	}
	slot->ws.now_ns = slot->start_ns;
	slot->run->running++;
	handle(slot, wl_begin(&slot->ws, id));
}

/* Open loop: the pending task is not due; wake when it is. The timerfd is
 * armed at the absolute due time, so the schedule never drifts and is kept
 * to the microsecond, not to libuv's millisecond timers. */
static void wait_due(struct el_run *r, uint64_t due)
{
	struct itimerspec its = { .it_value = { .tv_sec = (time_t)(due / 1000000000u),
						.tv_nsec = (long)(due % 1000000000u) } };

	timerfd_settime(r->tfd, TFD_TIMER_ABSTIME, &its, NULL);
	uv_poll_start(&r->tpoll, UV_READABLE, due_cb);
}

/* Start tasks while slots are free and tasks are due. A task taken but
 * not yet due is kept as pending, with the timerfd armed for it. */
static void start_due(struct el_run *r)
{
	struct el_slot *slot;
	uint64_t due, id;

	while (!r->serve && r->free && !r->exhausted) {
		if (r->pending == UINT64_MAX) {
			if (!take_id(r, &id))
				break;
			r->pending = id;
		}
		due = ctl_release_ns(r->ctl, r->t0, r->pending);
		if (due > r->t0 && due > clock_now_ns()) {
			wait_due(r, due);
			return;
		}
		slot = r->free;
		r->free = slot->next_free;
		task_start(slot, r->pending);
		r->pending = UINT64_MAX;
	}
}

static void due_cb(uv_poll_t *h, int status, int events)
{
	struct el_run *r = h->data;
	uint64_t expirations;

	(void)status;
	(void)events;
	if (read(r->tfd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		return;
	uv_poll_stop(h);
	start_due(r);
	if (r->free && !r->exhausted && r->pending == UINT64_MAX)
		uv_idle_start(&r->starter, starter_cb);
}

void evloop_refill(struct el_slot *slot)
{
	start_due(slot->run);
}

static void starter_cb(uv_idle_t *h)
{
	struct el_run *r = h->data;

	start_due(r);
	if (r->exhausted || !r->free || r->pending != UINT64_MAX)
		uv_idle_stop(h);
	if (r->exhausted && r->running == 0)
		uv_stop(&r->loop);
}

static void close_any(uv_handle_t *h, void *arg)
{
	struct el_run *r = arg;

	if (!uv_is_closing(h))
		uv_close(h, h->type == UV_POLL && h != (uv_handle_t *)&r->tpoll &&
					    h != (uv_handle_t *)&r->stop_poll
				    ? on_watch_closed
				    : NULL);
}

static int slots_init(struct el_run *r)
{
	int rc;

	/* slots are pushed in reverse so the first task takes slot 0 */
	for (uint64_t i = r->nslots; i-- > 0;) {
		struct el_slot *slot = &r->slots[i];

		slot->run = r;
		slot->ws.driver = slot;
		slot->ws.forget_fd = forget_fd;
		rc = wl_slot_init(&slot->ws, r->cfg);
		if (rc == -ENOMEM)
			return rc;
		slot->next_free = r->free;
		r->free = slot;
	}
	return 0;
}

int evloop_serve_task(struct el_run *r, uint64_t id, void *cookie)
{
	struct el_slot *slot = r->free;

	if (!slot)
		return -EBUSY;
	r->free = slot->next_free;
	slot->cookie = cookie;
	task_start(slot, id);
	return 0;
}

static void on_stop(uv_poll_t *h, int status, int events)
{
	struct el_run *r = h->data;

	(void)status;
	(void)events;
	uv_poll_stop(h);
	r->stopping = true;
	if (r->running == 0)
		uv_stop(&r->loop);
}

/* A server's loop: its listeners, and the watch on stop_fd. */
static int serve_open(struct el_run *r)
{
	int rc = r->serve->open(r, r->serve->arg);

	if (rc == 0)
		rc = uv_poll_init(&r->loop, &r->stop_poll, r->serve->stop_fd);
	if (rc == 0) {
		r->stop_poll.data = r;
		rc = uv_poll_start(&r->stop_poll, UV_READABLE, on_stop);
	}
	return rc;
}

static void teardown(struct el_run *r)
{
	if (r->serve && r->serve->close)
		r->serve->close(r, r->serve->arg);
	for (uint64_t i = 0; i < r->nslots; i++)
		wl_slot_fini(&r->slots[i].ws);
	uv_walk(&r->loop, close_any, r);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	uv_loop_close(&r->loop);
}

int evloop_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out,
	       const struct el_policy *pol, const struct el_tasks *tasks)
{
	struct el_run *r;
	int rc;

	stats_init(out);
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->nslots = tasks && tasks->slots ? tasks->slots : cfg->concurrency;
	r->shared_next = tasks ? tasks->shared_next : NULL;
	r->send_lag = tasks ? tasks->send_lag : NULL;
	r->serve = tasks ? tasks->serve : NULL;
	r->slots = calloc(r->nslots, sizeof(*r->slots));
	r->cfg = cfg;
	r->pol = pol;
	r->stats = out;
	rc = r->slots ? uv_loop_init(&r->loop) : -ENOMEM;
	if (rc < 0)
		goto out_free;
	uv_idle_init(&r->loop, &r->starter);
	r->starter.data = r;
	r->ctl = ctl;
	r->pending = UINT64_MAX;
	r->tfd = -1;
	if (ctl->release_off) {
		r->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (r->tfd < 0 || uv_poll_init(&r->loop, &r->tpoll, r->tfd) < 0) {
			rc = -EMFILE;
			goto out_close;
		}
		r->tpoll.data = r;
	}
	rc = slots_init(r);
	if (rc == 0 && pol->prepare)
		rc = pol->prepare(&r->loop, cfg);
	if (rc == 0 && r->serve)
		rc = serve_open(r);
	if (rc == 0) {
		uint64_t period = cfg->timeout_us / 20000;

		period = period < 1 ? 1 : period > 250 ? 250 : period;
		uv_timer_init(&r->loop, &r->sweep);
		r->sweep.data = r;
		r->t0 = ctl->go(ctl);
		uv_timer_start(&r->sweep, on_sweep, period, period);
		if (!r->serve)
			uv_idle_start(&r->starter, starter_cb);
		uv_run(&r->loop, UV_RUN_DEFAULT);
		ctl->end(ctl);
	}
out_close:
	teardown(r);
	if (r->tfd >= 0)
		close(r->tfd);
out_free:
	free(r->slots);
	free(r);
	return rc;
}
