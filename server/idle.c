/* idle.c - the idle list and its one timer (see idle.h). */
#include "idle.h"

#include <stddef.h>
#include <string.h>

#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

static bool list_empty(const struct idle_list *l)
{
	return l->head.next == &l->head;
}

static void on_timer(uv_timer_t *t);

/* Arm the timer for the head, unless it is already armed for something
 * earlier (a stale earlier firing just re-arms). */
static void arm(struct idle_list *l)
{
	uint64_t expiry = l->head.next->since_ms + l->timeout_ms, now = uv_now(l->timer.loop);

	if (uv_is_active((uv_handle_t *)&l->timer))
		return;
	uv_timer_start(&l->timer, on_timer, expiry > now ? expiry - now : 0, 0);
}

static void on_timer(uv_timer_t *t)
{
	struct idle_list *l = container_of(t, struct idle_list, timer);
	uint64_t now = uv_now(t->loop);

	while (!list_empty(l) && l->head.next->since_ms + l->timeout_ms <= now) {
		struct idle_link *e = l->head.next;

		idle_leave(l, e);
		l->on_expire(e);
	}
	if (!list_empty(l))
		arm(l);
}

int idle_init(struct idle_list *l, uv_loop_t *loop, uint64_t timeout_us,
	      void (*on_expire)(struct idle_link *))
{
	memset(&l->head, 0, sizeof(l->head));
	l->head.prev = l->head.next = &l->head;
	l->timeout_ms = (timeout_us + 999) / 1000;
	l->on_expire = on_expire;
	return uv_timer_init(loop, &l->timer);
}

void idle_leave(struct idle_list *l, struct idle_link *e)
{
	(void)l;
	if (!e->next)
		return;
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->prev = e->next = NULL;
}

void idle_touch(struct idle_list *l, struct idle_link *e)
{
	if (l->timeout_ms == 0)
		return;
	idle_leave(l, e);
	e->since_ms = uv_now(l->timer.loop);
	e->prev = l->head.prev;
	e->next = &l->head;
	l->head.prev->next = e;
	l->head.prev = e;
	arm(l);
}
