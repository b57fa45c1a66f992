/* deadline.c - the deadline heap and its timerfd (see deadline.h). */
#include "deadline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "../lib/clock.h"

#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

static void timer_arm(struct deadlines *d, uint64_t due_ns)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	/* 0 would disarm the timer; anything already past fires at once */
	if (due_ns == 0)
		due_ns = 1;
	its.it_value.tv_sec = (time_t)(due_ns / 1000000000u);
	its.it_value.tv_nsec = (long)(due_ns % 1000000000u);
	timerfd_settime(d->fd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void heap_set(struct deadlines *d, size_t i, struct deadline *e)
{
	d->heap[i] = e;
	e->idx = i;
}

static void sift_up(struct deadlines *d, size_t i)
{
	struct deadline *e = d->heap[i];

	while (i > 0 && d->heap[(i - 1) / 2]->due_ns > e->due_ns) {
		heap_set(d, i, d->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(d, i, e);
}

static void sift_down(struct deadlines *d, size_t i)
{
	struct deadline *e = d->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, m = l;

		if (l >= d->len)
			break;
		if (l + 1 < d->len && d->heap[l + 1]->due_ns < d->heap[l]->due_ns)
			m = l + 1;
		if (d->heap[m]->due_ns >= e->due_ns)
			break;
		heap_set(d, i, d->heap[m]);
		i = m;
	}
	heap_set(d, i, e);
}

int deadlines_add(struct deadlines *d, struct deadline *e, uint64_t due_ns)
{
	if (d->len == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 1024;
		struct deadline **h = realloc(d->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		d->heap = h;
		d->cap = cap;
	}
	e->due_ns = due_ns;
	d->heap[d->len++] = e;
	sift_up(d, d->len - 1);
	if (e->idx == 0)
		timer_arm(d, due_ns);
	return 0;
}

/* The timerfd may then fire for nothing; on_fire copes. */
void deadlines_remove(struct deadlines *d, struct deadline *e)
{
	size_t i = e->idx;
	struct deadline *last;

	if (i == DEADLINE_NONE)
		return;
	e->idx = DEADLINE_NONE;
	last = d->heap[--d->len];
	if (last == e)
		return;
	heap_set(d, i, last);
	sift_down(d, i);
	sift_up(d, last->idx);
}

static void on_fire(uv_poll_t *p, int status, int events)
{
	struct deadlines *d = container_of(p, struct deadlines, poll);
	uint64_t expirations, now;
	ssize_t r;

	(void)status;
	(void)events;
	/* EAGAIN when the entry it was armed for went away; harmless */
	r = read(d->fd, &expirations, sizeof(expirations));
	(void)r;
	now = clock_now_ns();
	while (d->len > 0 && d->heap[0]->due_ns <= now) {
		struct deadline *e = d->heap[0];

		deadlines_remove(d, e);
		d->on_due(e);
	}
	if (d->len > 0)
		timer_arm(d, d->heap[0]->due_ns);
}

int deadlines_init(struct deadlines *d, uv_loop_t *loop, void (*on_due)(struct deadline *))
{
	int rc;

	memset(d, 0, sizeof(*d));
	d->on_due = on_due;
	d->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->fd < 0)
		return -errno;
	if ((rc = uv_poll_init(loop, &d->poll, d->fd)) < 0)
		goto out_close_fd;
	if ((rc = uv_poll_start(&d->poll, UV_READABLE, on_fire)) < 0) {
		/* the handle is the loop's now: uv_close it, keep the fd till then */
		uv_close((uv_handle_t *)&d->poll, NULL);
		return rc;
	}
	return 0;
out_close_fd:
	close(d->fd);
	d->fd = -1;
	return rc;
}

void deadlines_free(struct deadlines *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	free(d->heap);
	d->heap = NULL;
	d->len = d->cap = 0;
}
