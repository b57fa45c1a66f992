/* blocking.c - the blocking workload: the same GET as io (same request,
 * same result: the body hash, so the same checksum), made with blocking
 * waits inside every model. It is blocking_only: the whole task is
 * run_blocking(), so the loop models run it on the loop thread (eventloop:
 * requests.get() inside an async def, the seed's central warning, and the
 * loop stalls for every request) or hand it to their pool
 * (eventloop-offload: loop.run_in_executor). Thread and process models
 * see no difference from io. */
#include "http.h"
#include "pylib.h"
#include "workload.h"

static void blocking_fetch(struct wl_slot *s)
{
	http_fetch_blocking(s, s->priv);
}

const struct workload_ops workload_blocking = {
	.name = "blocking",
	.summary = "the io GET made with blocking calls: a loop runs it inline (stalls) or "
		   "offloads it",
	.label = "blocking",
	.family = WL_FAMILY_BLOCKING_IO,
	.noun = "a blocking GET",
	.does_io = true,
	.blocking_only = true,
	.flags = wl_py_http_flags,
	.service = &wl_service_latency,
	.slot_size = sizeof(struct http_conn),
	.slot_open = http_slot_open,
	.slot_close = http_slot_close,
	.run_blocking = blocking_fetch,
};
