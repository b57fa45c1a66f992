/* http.h - the HTTP/1.1 client every workload and model shares: the
 * request bytes, a streaming response parser that checksums the body as it
 * arrives (CRC-32, zlib's: http.c), and the exchange as a state machine
 * (http_client.c). */
#ifndef CMB_HTTP_H
#define CMB_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/config.h"
#include "workload.h"

#define HTTP_REQ_MAX 1024
#define HTTP_HDR_MAX 2048

enum http_state {
	HTTP_MORE = 0,
	HTTP_DONE = 1,
	HTTP_BAD = -1,
	HTTP_STATUS = -2,
	HTTP_TRUNCATED = -3
};

#define HTTP_LINE_KEEP 48 /* bytes kept of a header line: all the parser reads */

/* The parser streams: it keeps only the start of the current header line,
 * never the header block, so a connection costs about 100 bytes. */
struct http_resp {
	int state;		   /* HTTP_MORE until done or failed */
	bool in_body;		   /* headers are complete */
	bool status_seen;	   /* the status line has been parsed */
	bool chunked;		   /* Transfer-Encoding other than identity */
	bool cr;		   /* the last header byte was a CR */
	uint8_t line_len;	   /* bytes kept of the current line */
	bool line_long;		   /* the current line is longer than that */
	uint16_t hdr_len;	   /* header bytes seen (at most HTTP_HDR_MAX) */
	char line[HTTP_LINE_KEEP]; /* start of the current line, NUL-terminated */
	int status;		   /* status code, once parsed */
	uint64_t content_length;   /* from the header */
	uint64_t body_got;	   /* body bytes seen */
	uint32_t body_crc;	   /* running CRC-32 (zlib's crc32) of the body */
	uint64_t body_hex;	   /* the first 16 body bytes read as hex digits */
	bool hex_bad;		   /* one of them was not a hex digit */
	bool conn_close;	   /* server said Connection: close */
};

/* One connection of a slot and the exchange in progress on it: the HTTP
 * client as a state machine (http_client.c), shared by every workload that
 * makes a GET and driven by either driver. */
enum http_phase {
	HTTP_PH_NONE,
	HTTP_PH_CONNECTING,
	HTTP_PH_SENDING,
	HTTP_PH_READING,
	HTTP_PH_IDLE
};
struct http_conn {
	int fd;		       /* -1: not connected */
	int phase;	       /* enum http_phase */
	bool junk;	       /* bytes arrived while idle: the next task fails */
	uint32_t sent;	       /* request bytes sent so far */
	uint64_t deadline_ns;  /* the task's I/O deadline */
	struct http_resp resp; /* the response being parsed */
};

void http_conn_init(struct http_conn *c);
/* Connect before the clock (keep-alive), waiting up to --timeout. 0 or -errno. */
int http_conn_open(struct wl_slot *s, struct http_conn *c);
void http_conn_close(struct wl_slot *s, struct http_conn *c);
/* The slot hooks of a workload whose slot is one http_conn (io, mixed,
 * blocking): a connection opened before the clock with --conn keepalive,
 * closed after the last task. */
int http_slot_open(struct wl_slot *s);
void http_slot_close(struct wl_slot *s);
/* Begin the GET of task s->id. WL_WAIT, or WL_DONE with s->err set and, on
 * success, s->result = the body hash (http_resp_hash). */
enum wl_status http_start(struct wl_slot *s, struct http_conn *c);
/* Go on after a wait, same results; on WL_EV_IDLE it only notes what the
 * idle connection did and returns WL_DONE. */
enum wl_status http_step(struct wl_slot *s, struct http_conn *c, int events);
/* The whole GET with blocking waits (for blocking_only workloads). */
void http_fetch_blocking(struct wl_slot *s, struct http_conn *c);

/* The latency server as a workload's service: forks `cmbench serve` on
 * 127.0.0.1 and an ephemeral port (not measured), or with --target
 * resolves the given server instead. */
extern const struct wl_service wl_service_latency;

/* Request for task `id` into buf; returns its length. */
size_t http_request(char *buf, size_t cap, const struct run_cfg *cfg, uint64_t id);

void http_resp_init(struct http_resp *r);
/* Feed received bytes. Returns HTTP_MORE, HTTP_DONE or an error state.
 * *used is how many bytes belonged to this response. */
int http_resp_feed(struct http_resp *r, const char *data, size_t len, size_t *used);
/* The peer closed: HTTP_DONE if the response was complete, else HTTP_TRUNCATED. */
int http_resp_eof(struct http_resp *r);
/* The io part's result: the body's CRC-32 folded with its length by one
 * mix64, mix64(crc ^ (length << 32)); a foreign program computes the same
 * with its runtime's native CRC-32 (Python: zlib.crc32). */
uint64_t http_resp_hash(const struct http_resp *r);
/* A body of exactly 16 hex digits (a server model's answer, the task's
 * 64-bit result): true with its value in *v. */
bool http_resp_hex(const struct http_resp *r, uint64_t *v);

#endif
