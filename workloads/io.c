/* io.c - the io workload: one HTTP/1.1 GET per task to the latency server,
 * which answers after --io-latency with --payload body bytes. The task's
 * result is the hash of the body. The exchange itself is the shared client
 * in http_client.c. */
#include "http.h"
#include "pylib.h"
#include "workload.h"

static int io_slot_open(struct wl_slot *s)
{
	struct http_conn *c = s->priv;

	http_conn_init(c);
	return s->cfg->keepalive ? http_conn_open(s, c) : 0;
}

static void io_slot_close(struct wl_slot *s)
{
	http_conn_close(s, s->priv);
}

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
	.does_io = true,
	.flags = wl_py_http_flags,
	.service = &wl_service_latency,
	.slot_size = sizeof(struct http_conn),
	.slot_open = io_slot_open,
	.slot_close = io_slot_close,
	.start = io_start,
	.step = io_step,
};
