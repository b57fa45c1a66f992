/* io.c - the io workload: one HTTP/1.1 GET per task to the latency server,
 * which answers after --io-latency with --payload body bytes. The task's
 * result is the hash of the body. The exchange itself is the shared client
 * in http_client.c. */
#include "http.h"
#include "pylib.h"
#include "workload.h"

static enum wl_status io_start(struct wl_slot *s)
{
	return http_start(s, s->priv);
}

static enum wl_status io_step(struct wl_slot *s, int events)
{
	return http_step(s, s->priv, events);
}

const struct workload_ops workload_io = {
	.name = "io",
	.summary = "one HTTP/1.1 GET per task; the server answers after --io-latency",
	.label = "io",
	.family = WL_FAMILY_PLAIN,
	.does_io = true,
	.flags = wl_py_http_flags,
	.service = &wl_service_latency,
	.slot_size = sizeof(struct http_conn),
	.slot_open = http_slot_open,
	.slot_close = http_slot_close,
	.start = io_start,
	.step = io_step,
};
