/* deadline.h - microsecond-exact deadlines for the latency server.
 *
 * libuv timers and uv_now() count whole milliseconds, which would answer a
 * 1.5 ms request after 2 ms (or 1 ms). Deadlines here sit instead in one
 * binary min-heap of CLOCK_MONOTONIC times in nanoseconds, and one timerfd,
 * armed (absolute time) at the earliest of them, is watched by a uv_poll_t.
 * What is added to a delay is the kernel's wake-up latency, the same as a
 * nanosleep's (tens of microseconds on a VM). */
#ifndef CMB_SERVER_DEADLINE_H
#define CMB_SERVER_DEADLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#define DEADLINE_NONE ((size_t)-1)

/* One deadline, embedded in whatever it times (container_of finds that). */
struct deadline {
	uint64_t due_ns; /* CLOCK_MONOTONIC time it is due at */
	size_t idx;	 /* index in the heap, or DEADLINE_NONE when not pending */
};

struct deadlines {
	uv_poll_t poll;			   /* watches fd */
	int fd;				   /* timerfd armed at heap[0]'s due time */
	struct deadline **heap;		   /* min-heap on due_ns */
	size_t len, cap;		   /* entries in heap, and room */
	void (*on_due)(struct deadline *); /* called once per deadline that passes */
};

/* A deadline that is not pending. */
static inline void deadline_init(struct deadline *e)
{
	e->idx = DEADLINE_NONE;
}

static inline bool deadline_pending(const struct deadline *e)
{
	return e->idx != DEADLINE_NONE;
}

/* Make the timerfd and start watching it on loop; 0 or a negative errno.
 * On failure nothing is left to free. on_due is called from the loop with
 * each deadline that has passed, already removed. */
int deadlines_init(struct deadlines *d, uv_loop_t *loop, void (*on_due)(struct deadline *));
/* Free what uv_close of d->poll does not: the heap and the timerfd. Call
 * after the loop has closed the poll handle. */
void deadlines_free(struct deadlines *d);
/* Make e due at due_ns (CLOCK_MONOTONIC); e must not be pending. 0 or -ENOMEM. */
int deadlines_add(struct deadlines *d, struct deadline *e, uint64_t due_ns);
/* Unschedule e if it is pending. */
void deadlines_remove(struct deadlines *d, struct deadline *e);

#endif
