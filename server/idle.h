/* idle.h - the idle timeout of the latency server's connections.
 *
 * Every connection waiting for a request is on one list, in the order it
 * last received bytes (or became idle). All share one timeout, so the list
 * is also in order of expiry: one uv_timer_t armed at the head's expiry is
 * enough, and touching a connection is O(1) with no system call. libuv's
 * millisecond clock is precise enough for a timeout of seconds. */
#ifndef CMB_SERVER_IDLE_H
#define CMB_SERVER_IDLE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

/* One member of the list, embedded in a connection. */
struct idle_link {
	struct idle_link *prev, *next; /* NULL, NULL when not on the list */
	uint64_t since_ms;	       /* uv_now() when it was last touched */
};

struct idle_list {
	uv_timer_t timer;      /* armed at the head's expiry while the list is not empty */
	struct idle_link head; /* sentinel: head.next is the oldest */
	uint64_t timeout_ms;   /* 0: never expire (the list stays empty) */
	void (*on_expire)(struct idle_link *); /* called with each expired link, already removed */
};

/* Start the timer handle on loop; 0 or a libuv error. timeout_us is rounded
 * up to whole milliseconds; 0 turns the timeout off. */
int idle_init(struct idle_list *l, uv_loop_t *loop, uint64_t timeout_us,
	      void (*on_expire)(struct idle_link *));
/* (Re)start e's idle time now: it moves to the tail of the list. */
void idle_touch(struct idle_list *l, struct idle_link *e);
/* Take e off the list if it is on it. */
void idle_leave(struct idle_list *l, struct idle_link *e);

static inline bool idle_on_list(const struct idle_link *e)
{
	return e->next != NULL;
}

#endif
