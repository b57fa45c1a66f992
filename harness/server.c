/* server.c - the latency server: HTTP/1.1 over one libuv loop.
 *
 * A connection reads a request head, answers it, and only then parses the
 * next one, so pipelined requests are answered in order. While a response
 * waits or is being written the connection keeps reading (to see a reset
 * early) but buffers at most about CONN_IN_HIGH bytes before it pauses.
 *
 * Delays are exact to the microsecond, not to the millisecond. libuv timers
 * and uv_now() count whole milliseconds, which would answer a 1.5 ms request
 * after 2 ms (or 1 ms), so pending responses sit instead in one binary
 * min-heap of CLOCK_MONOTONIC deadlines in nanoseconds, and one timerfd
 * armed (absolute time) at the earliest deadline is watched by a uv_poll_t.
 * A response is due delay_us after its request head was parsed; what is
 * added is the kernel's wake-up latency, the same as a nanosleep's (tens of
 * microseconds on a VM). delay_us=0 answers at once, from the read callback.
 *
 * Memory per idle connection is the struct conn (about 0.6 KiB) plus its
 * input buffer (512 bytes for a usual request). All connections share one
 * read buffer, and a body is generated in CHUNK-sized pieces into a buffer
 * that lives only while the response is being written. There is no idle
 * timeout: the clients are cmbench's own, curl or wrk. */
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

#define READ_BUF (64 * 1024)              /* the one shared read buffer */
#define CONN_IN_MIN 512                   /* first input buffer of a connection */
#define CONN_IN_HIGH (2 * SERVER_HEAD_MAX) /* a busy connection stops reading here */
#define CHUNK (64 * 1024)                 /* body bytes per write */
#define HDR_ROOM 256                      /* room for the response header */
#define LINGER_NS 1000000000ull           /* drain time after the last response */
#define BACKLOG 65535                     /* the kernel clamps it to net.core.somaxconn */
#define HEAP_NONE ((size_t)-1)

/* What parse_head() says beyond server_parse_request(). */
enum { PARSE_MORE = 0, PARSE_DONE = 1, PARSE_BAD = -1, PARSE_METHOD = -2 };

enum conn_state {
	CONN_IDLE,    /* waiting for a complete request head */
	CONN_DELAYED, /* in the heap until its response is due */
	CONN_WRITING, /* a response write is in flight */
	CONN_LINGER,  /* last response sent, FIN sent; draining until EOF or the deadline */
};

struct server;

struct conn {
	uv_tcp_t tcp; /* the socket */
	union {
		uv_write_t write;       /* the response write in flight */
		uv_shutdown_t shutdown; /* the FIN after the last response */
	} req;
	struct server *srv;
	char *in;                 /* received bytes not yet answered */
	size_t in_len;            /* bytes in in */
	size_t in_cap;            /* size of in */
	char *out;                /* response buffer while writing, else NULL */
	uint64_t left;            /* body bytes still to write */
	uint64_t off;             /* body offset of the next chunk */
	uint64_t bytes;           /* Content-Length of the current response */
	uint64_t id;              /* id of the current request */
	uint64_t deadline_ns;     /* when the heap entry is due */
	size_t heap_idx;          /* index in srv->heap, or HEAP_NONE */
	enum conn_state state;
	bool keepalive; /* the connection stays open after this response */
	bool peer_eof;  /* the client sent FIN */
	bool reading;   /* uv_read_start is in effect */
	bool closing;   /* uv_close was called */
};

struct server {
	uv_loop_t loop;
	uv_tcp_t listener;
	uv_signal_t sigterm, sigint;
	uv_poll_t timer_poll;     /* watches timer_fd */
	int timer_fd;             /* timerfd armed at heap[0]'s deadline */
	struct conn **heap;       /* min-heap on deadline_ns */
	size_t heap_len, heap_cap;
	bool failed;              /* stopped by an error, not by a signal */
	char rbuf[READ_BUF];      /* shared: read_cb consumes it before the next read */
};

static const char resp_400[] = "HTTP/1.1 400 Bad Request\r\n"
			       "Content-Type: text/plain\r\n"
			       "Content-Length: 12\r\n"
			       "Connection: close\r\n"
			       "\r\n"
			       "bad request\n";
static const char resp_405[] = "HTTP/1.1 405 Method Not Allowed\r\n"
			       "Allow: GET, HEAD\r\n"
			       "Content-Type: text/plain\r\n"
			       "Content-Length: 19\r\n"
			       "Connection: close\r\n"
			       "\r\n"
			       "method not allowed\n";

/* ---- request parsing ---- */

static bool is_tchar(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* True if p[0..n) holds a byte no request head may contain. A trailing
 * '\r' of an unfinished line is fine: its '\n' may still come. */
static bool has_bad_byte(const char *p, size_t n, bool unfinished)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch == '\t' || (ch >= 0x20 && ch != 0x7f))
			continue;
		if (ch == '\r' && unfinished && i == n - 1)
			continue;
		return true;
	}
	return false;
}

/* Plain decimal p[0..n) into *v; -1 if empty, not all digits or above max. */
static int parse_decimal(const char *p, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)p[i] - '0';

		if (d > 9 || x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

static bool span_is(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(p, word, n) == 0;
}

static bool span_is_nocase(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(p, word, n) == 0;
}

/* The query q[0..n) ("a=1&b=2", no '?') into r. */
static int parse_query(const char *q, size_t n, struct server_req *r)
{
	const char *end = q + n;

	while (q < end) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(q, '=', (size_t)(stop - q));
		size_t klen = (size_t)((eq ? eq : stop) - q);
		const char *val = eq ? eq + 1 : stop;
		size_t vlen = (size_t)(stop - val);
		uint64_t *dst = NULL, max = UINT64_MAX;

		if (span_is(q, klen, "delay_us")) {
			dst = &r->delay_us;
			max = SERVER_DELAY_MAX;
		} else if (span_is(q, klen, "bytes")) {
			dst = &r->bytes;
			max = SERVER_BYTES_MAX;
		} else if (span_is(q, klen, "id")) {
			dst = &r->id;
		}
		if (dst && (!eq || parse_decimal(val, vlen, max, dst) < 0))
			return -1;
		q = stop + (amp != NULL);
	}
	return 0;
}

/* "METHOD SP target SP HTTP/1.x" (p[0..n), line end stripped) into r.
 * PARSE_METHOD for a well-formed line whose method is not GET or HEAD. */
static int parse_request_line(const char *p, size_t n, struct server_req *r, bool *head)
{
	size_t m = 0, t, tend;
	const char *q, *qend;

	while (m < n && is_tchar((unsigned char)p[m]))
		m++;
	if (m == 0 || m == n || p[m] != ' ')
		return PARSE_BAD;
	t = m + 1;
	tend = t;
	while (tend < n && p[tend] != ' ')
		tend++;
	if (tend == t || n - tend != 9 || memcmp(p + tend, " HTTP/1.", 8) != 0 ||
	    p[n - 1] < '0' || p[n - 1] > '9')
		return PARSE_BAD;
	if (span_is(p, m, "GET"))
		*head = false;
	else if (span_is(p, m, "HEAD"))
		*head = true;
	else
		return PARSE_METHOD;
	r->keepalive = p[n - 1] != '0'; /* HTTP/1.0 closes unless asked not to */
	q = memchr(p + t, '?', tend - t);
	if (!q)
		return 0;
	q++;
	qend = memchr(q, '#', (size_t)(p + tend - q));
	if (!qend)
		qend = p + tend;
	return parse_query(q, (size_t)(qend - q), r);
}

struct head_flags {
	bool conn_close; /* Connection: close */
	bool conn_keep;  /* Connection: keep-alive */
};

/* One header line p[0..n) (line end stripped). Only Connection,
 * Content-Length and Transfer-Encoding matter; other names are skipped. */
static int parse_header_line(const char *p, size_t n, struct head_flags *f)
{
	size_t k = 0, v, vend;
	uint64_t cl;

	while (k < n && is_tchar((unsigned char)p[k]))
		k++;
	if (k == 0 || k == n || p[k] != ':')
		return PARSE_BAD; /* also obsolete line folding, which starts with a blank */
	v = k + 1;
	vend = n;
	while (v < vend && (p[v] == ' ' || p[v] == '\t'))
		v++;
	while (vend > v && (p[vend - 1] == ' ' || p[vend - 1] == '\t'))
		vend--;
	if (span_is_nocase(p, k, "Connection")) {
		while (v < vend) {
			size_t e = v, te;

			while (e < vend && p[e] != ',')
				e++;
			te = e;
			while (te > v && (p[te - 1] == ' ' || p[te - 1] == '\t'))
				te--;
			if (span_is_nocase(p + v, te - v, "close"))
				f->conn_close = true;
			else if (span_is_nocase(p + v, te - v, "keep-alive"))
				f->conn_keep = true;
			v = e + 1;
			while (v < vend && (p[v] == ' ' || p[v] == '\t'))
				v++;
		}
	} else if (span_is_nocase(p, k, "Content-Length")) {
		/* the server reads no bodies; a body would be taken for the next request */
		if (parse_decimal(p + v, vend - v, UINT64_MAX, &cl) < 0 || cl != 0)
			return PARSE_BAD;
	} else if (span_is_nocase(p, k, "Transfer-Encoding")) {
		return PARSE_BAD;
	}
	return 0;
}

/* server_parse_request() that also tells HEAD from GET and a
 * well-formed request with another method (PARSE_METHOD) from garbage. */
static int parse_head(const char *buf, size_t len, struct server_req *out, size_t *consumed,
		      bool *head)
{
	struct server_req r = { 0 };
	struct head_flags f = { false, false };
	size_t lim = len < SERVER_HEAD_MAX ? len : SERVER_HEAD_MAX;
	size_t pos = 0, next, end;
	bool have_line = false;
	int rc;

	for (;;) {
		const char *nl = memchr(buf + pos, '\n', lim - pos);

		if (!nl) {
			if (has_bad_byte(buf + pos, lim - pos, true))
				return PARSE_BAD;
			return len >= SERVER_HEAD_MAX ? PARSE_BAD : PARSE_MORE;
		}
		next = (size_t)(nl - buf) + 1;
		end = next - 1;
		if (end > pos && buf[end - 1] == '\r')
			end--;
		if (has_bad_byte(buf + pos, end - pos, false))
			return PARSE_BAD;
		if (end == pos) {
			if (have_line)
				break;
			pos = next; /* robustness: empty lines before a request */
			continue;
		}
		if (!have_line)
			rc = parse_request_line(buf + pos, end - pos, &r, head);
		else
			rc = parse_header_line(buf + pos, end - pos, &f);
		if (rc < 0)
			return rc;
		have_line = true;
		pos = next;
	}
	if (f.conn_close)
		r.keepalive = false;
	else if (f.conn_keep)
		r.keepalive = true;
	*out = r;
	*consumed = next;
	return PARSE_DONE;
}

int server_parse_request(const char *buf, size_t len, struct server_req *out, size_t *consumed)
{
	bool head;
	int rc = parse_head(buf, len, out, consumed, &head);

	return rc < 0 ? -1 : rc;
}

/* ---- the body ---- */

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

void server_body(uint64_t id, uint64_t offset, char *out, size_t n)
{
	static const char alphabet[65] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint64_t seed = splitmix64(id), block = offset / 8, x;
	unsigned k = (unsigned)(offset % 8);

	/* one 64-bit hash per aligned 8-byte block, 6 bits of each byte of it */
	x = splitmix64(seed ^ block);
	for (size_t i = 0; i < n; i++) {
		out[i] = alphabet[(x >> (8 * k)) & 63];
		if (++k == 8) {
			k = 0;
			x = splitmix64(seed ^ ++block);
		}
	}
}

/* ---- the deadline heap and its timerfd ---- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void timer_arm(struct server *s, uint64_t deadline_ns)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	/* absolute time; a deadline already past fires at once (it is never 0,
	 * which would disarm) */
	its.it_value.tv_sec = (time_t)(deadline_ns / 1000000000ull);
	its.it_value.tv_nsec = (long)(deadline_ns % 1000000000ull);
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	timerfd_settime(s->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void heap_set(struct server *s, size_t i, struct conn *c)
{
	s->heap[i] = c;
	c->heap_idx = i;
}

static void heap_sift_up(struct server *s, size_t i)
{
	struct conn *c = s->heap[i];

	while (i > 0 && s->heap[(i - 1) / 2]->deadline_ns > c->deadline_ns) {
		heap_set(s, i, s->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(s, i, c);
}

static void heap_sift_down(struct server *s, size_t i)
{
	struct conn *c = s->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, m = l;

		if (l >= s->heap_len)
			break;
		if (l + 1 < s->heap_len && s->heap[l + 1]->deadline_ns < s->heap[l]->deadline_ns)
			m = l + 1;
		if (s->heap[m]->deadline_ns >= c->deadline_ns)
			break;
		heap_set(s, i, s->heap[m]);
		i = m;
	}
	heap_set(s, i, c);
}

/* Schedule c at deadline; 0 or -ENOMEM. */
static int heap_push(struct server *s, struct conn *c, uint64_t deadline)
{
	if (s->heap_len == s->heap_cap) {
		size_t cap = s->heap_cap ? 2 * s->heap_cap : 1024;
		struct conn **h = realloc(s->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		s->heap = h;
		s->heap_cap = cap;
	}
	c->deadline_ns = deadline;
	s->heap[s->heap_len++] = c;
	heap_sift_up(s, s->heap_len - 1);
	if (c->heap_idx == 0)
		timer_arm(s, deadline);
	return 0;
}

/* Unschedule c. The timerfd may then fire for nothing; on_timer copes. */
static void heap_remove(struct server *s, struct conn *c)
{
	size_t i = c->heap_idx;
	struct conn *last;

	if (i == HEAP_NONE)
		return;
	c->heap_idx = HEAP_NONE;
	last = s->heap[--s->heap_len];
	if (last == c)
		return;
	heap_set(s, i, last);
	heap_sift_down(s, i);
	heap_sift_up(s, last->heap_idx);
}

/* ---- connections ---- */

static void conn_process(struct conn *c);
static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf);

static void on_close(uv_handle_t *h)
{
	struct conn *c = container_of(h, struct conn, tcp);

	free(c->in);
	free(c->out);
	free(c);
}

/* Close at once: pending writes are cancelled (their callbacks run first). */
static void conn_close(struct conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	heap_remove(c->srv, c);
	uv_close((uv_handle_t *)&c->tcp, on_close);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct conn *c = container_of(h, struct conn, tcp);

	(void)hint;
	*buf = uv_buf_init(c->srv->rbuf, sizeof(c->srv->rbuf));
}

static void conn_read_start(struct conn *c)
{
	if (c->reading || c->peer_eof || c->closing)
		return;
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0) {
		conn_close(c);
		return;
	}
	c->reading = true;
}

static void conn_read_stop(struct conn *c)
{
	if (!c->reading)
		return;
	uv_read_stop((uv_stream_t *)&c->tcp);
	c->reading = false;
}

/* Append received bytes to c->in; 0 or -ENOMEM. */
static int conn_append(struct conn *c, const char *p, size_t n)
{
	if (c->in_len + n > c->in_cap) {
		size_t cap = c->in_cap ? c->in_cap : CONN_IN_MIN;
		char *in;

		while (cap < c->in_len + n)
			cap *= 2;
		in = realloc(c->in, cap);
		if (!in)
			return -ENOMEM;
		c->in = in;
		c->in_cap = cap;
	}
	memcpy(c->in + c->in_len, p, n);
	c->in_len += n;
	return 0;
}

static void on_write(uv_write_t *w, int status);

/* Write buf[0..n) as the next piece of the current response. */
static void conn_write(struct conn *c, const char *buf, size_t n)
{
	uv_buf_t b = uv_buf_init((char *)buf, (unsigned)n);

	c->state = CONN_WRITING;
	if (uv_write(&c->req.write, (uv_stream_t *)&c->tcp, &b, 1, on_write) < 0)
		conn_close(c);
}

/* Fill the body from c->off into out; returns the bytes filled. */
static size_t conn_fill_body(struct conn *c, char *out)
{
	size_t n = c->left < CHUNK ? (size_t)c->left : CHUNK;

	server_body(c->id, c->off, out, n);
	c->off += n;
	c->left -= n;
	return n;
}

/* The response is due: write the header and the first body chunk. */
static void conn_respond(struct conn *c)
{
	size_t first = c->left < CHUNK ? (size_t)c->left : CHUNK;
	int n;

	c->out = malloc(HDR_ROOM + first);
	if (!c->out) {
		conn_close(c);
		return;
	}
	n = snprintf(c->out, HDR_ROOM,
		     "HTTP/1.1 200 OK\r\n"
		     "Content-Type: text/plain\r\n"
		     "Content-Length: %llu\r\n"
		     "Connection: %s\r\n"
		     "\r\n",
		     (unsigned long long)c->bytes, c->keepalive ? "keep-alive" : "close");
	c->off = 0;
	conn_write(c, c->out, (size_t)n + conn_fill_body(c, c->out + n));
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	struct conn *c = container_of(req, struct conn, req.shutdown);

	if (status < 0)
		conn_close(c);
}

/* After the last response: send FIN, then read and drop what the client
 * still sends until it closes (or LINGER_NS), so that the close does not
 * turn into a reset that could destroy the response in flight. */
static void conn_linger(struct conn *c)
{
	if (c->peer_eof) {
		conn_close(c);
		return;
	}
	c->state = CONN_LINGER;
	c->in_len = 0;
	if (uv_shutdown(&c->req.shutdown, (uv_stream_t *)&c->tcp, on_shutdown) < 0 ||
	    heap_push(c->srv, c, now_ns() + LINGER_NS) < 0) {
		conn_close(c);
		return;
	}
	conn_read_start(c);
}

static void on_write(uv_write_t *w, int status)
{
	struct conn *c = container_of(w, struct conn, req.write);

	if (status < 0 || c->closing) {
		conn_close(c);
		return;
	}
	if (c->left > 0) {
		conn_write(c, c->out, conn_fill_body(c, c->out));
		return;
	}
	free(c->out);
	c->out = NULL;
	if (!c->keepalive) {
		conn_linger(c);
		return;
	}
	c->state = CONN_IDLE;
	conn_process(c);
}

/* Answer a bad request and close. */
static void conn_reject(struct conn *c, const char *resp, size_t n)
{
	c->keepalive = false;
	c->left = 0;
	c->in_len = 0;
	conn_write(c, resp, n);
}

/* Idle: answer the next complete request in c->in, or wait for more. */
static void conn_process(struct conn *c)
{
	struct server_req r;
	size_t used;
	bool head;
	int rc;

	rc = parse_head(c->in, c->in_len, &r, &used, &head);
	if (rc == PARSE_MORE) {
		if (c->peer_eof)
			conn_close(c);
		else
			conn_read_start(c);
		return;
	}
	if (rc == PARSE_METHOD) {
		conn_reject(c, resp_405, sizeof(resp_405) - 1);
		return;
	}
	if (rc < 0) {
		conn_reject(c, resp_400, sizeof(resp_400) - 1);
		return;
	}
	c->in_len -= used;
	memmove(c->in, c->in + used, c->in_len);
	if (c->in_len == 0 && c->in_cap > 4 * CONN_IN_MIN) {
		/* after a burst of pipelined requests, idle small again */
		free(c->in);
		c->in = NULL;
		c->in_cap = 0;
	}
	c->id = r.id;
	c->bytes = r.bytes;
	c->left = head ? 0 : r.bytes;
	c->keepalive = r.keepalive;
	if (r.delay_us == 0) {
		conn_respond(c);
		return;
	}
	c->state = CONN_DELAYED;
	if (heap_push(c->srv, c, now_ns() + r.delay_us * 1000) < 0)
		conn_close(c);
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = container_of(st, struct conn, tcp);

	if (nread == 0)
		return;
	if (nread < 0) {
		if (nread != UV_EOF || c->state == CONN_LINGER) {
			conn_close(c);
			return;
		}
		/* a half-close still gets its answers; libuv stopped reading */
		c->peer_eof = true;
		c->reading = false;
		if (c->state == CONN_IDLE)
			conn_process(c);
		return;
	}
	if (c->state == CONN_LINGER)
		return;
	if (conn_append(c, buf->base, (size_t)nread) < 0) {
		conn_close(c);
		return;
	}
	if (c->state == CONN_IDLE)
		conn_process(c);
	else if (c->in_len >= CONN_IN_HIGH)
		conn_read_stop(c);
}

/* A deadline passed: respond, or end a linger. */
static void conn_due(struct conn *c)
{
	if (c->state == CONN_DELAYED)
		conn_respond(c);
	else
		conn_close(c);
}

static void on_timer(uv_poll_t *p, int status, int events)
{
	struct server *s = container_of(p, struct server, timer_poll);
	uint64_t expirations, now;
	ssize_t r;

	(void)status;
	(void)events;
	/* EAGAIN when the entry it was armed for went away; harmless */
	r = read(s->timer_fd, &expirations, sizeof(expirations));
	(void)r;
	now = now_ns();
	while (s->heap_len > 0 && s->heap[0]->deadline_ns <= now) {
		struct conn *c = s->heap[0];

		heap_remove(s, c);
		conn_due(c);
	}
	if (s->heap_len > 0)
		timer_arm(s, s->heap[0]->deadline_ns);
}

static void server_stop(struct server *s);

static void on_connection(uv_stream_t *l, int status)
{
	struct server *s = container_of(l, struct server, listener);
	struct conn *c;

	if (status < 0)
		return; /* e.g. EMFILE: libuv already dropped that connection */
	c = calloc(1, sizeof(*c));
	if (!c) {
		/* libuv would not accept again until this one is: stop, loudly */
		fprintf(stderr, "cmbench serve: out of memory\n");
		s->failed = true;
		server_stop(s);
		return;
	}
	c->srv = s;
	c->heap_idx = HEAP_NONE;
	uv_tcp_init(&s->loop, &c->tcp);
	if (uv_accept(l, (uv_stream_t *)&c->tcp) < 0) {
		conn_close(c);
		return;
	}
	/* a response is one write; with Nagle a body's last chunk could wait
	 * for the client's delayed ACK */
	uv_tcp_nodelay(&c->tcp, 1);
	conn_read_start(c);
}

/* ---- the server ---- */

static void close_walk(uv_handle_t *h, void *arg)
{
	struct server *s = arg;

	/* every other TCP handle is a connection */
	if (h->type == UV_TCP && h != (uv_handle_t *)&s->listener)
		conn_close(container_of(h, struct conn, tcp));
	else if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Stop accepting and close every handle (delayed responses are dropped);
 * uv_run then returns. */
static void server_stop(struct server *s)
{
	uv_walk(&s->loop, close_walk, s);
}

static void on_signal(uv_signal_t *h, int signum)
{
	(void)signum;
	server_stop(h->loop->data);
}

/* 10,000 connections need more descriptors than the usual soft limit. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl); /* best effort: fewer connections otherwise */
	}
}

/* An IPv4 or IPv6 literal and a port into addr; 0 or a libuv error. */
static int server_addr(const char *bind, int port, struct sockaddr_storage *addr)
{
	if (uv_ip4_addr(bind, port, (struct sockaddr_in *)addr) == 0)
		return 0;
	return uv_ip6_addr(bind, port, (struct sockaddr_in6 *)addr);
}

/* Say where the server listens: ready_fd, then stdout. */
static void server_announce(struct server *s, int ready_fd)
{
	struct sockaddr_storage sa;
	int len = sizeof(sa), port;
	char host[64], line[32];

	memset(&sa, 0, sizeof(sa));
	uv_tcp_getsockname(&s->listener, (struct sockaddr *)&sa, &len);
	if (sa.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&sa;

		host[0] = '[';
		uv_ip6_name(a, host + 1, sizeof(host) - 2);
		strcat(host, "]");
		port = ntohs(a->sin6_port);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&sa;

		uv_ip4_name(a, host, sizeof(host));
		port = ntohs(a->sin_port);
	}
	if (ready_fd >= 0) {
		int n = snprintf(line, sizeof(line), "%d\n", port);
		ssize_t w;

		do
			w = write(ready_fd, line, (size_t)n);
		while (w < 0 && errno == EINTR);
		close(ready_fd);
	}
	printf("cmbench serve: listening on %s:%d\n", host, port);
	fflush(stdout);
}

/* Listener, signals and the timerfd watch; 0, or prints why not and returns -1 with
 * whatever was set up still to close by server_stop + uv_run. */
static int server_setup(struct server *s, const char *bind, int port)
{
	struct sockaddr_storage addr;
	sigset_t set;
	int rc;

	if ((rc = uv_tcp_init(&s->loop, &s->listener)) < 0 ||
	    (rc = uv_signal_init(&s->loop, &s->sigterm)) < 0 ||
	    (rc = uv_signal_init(&s->loop, &s->sigint)) < 0 ||
	    (rc = uv_poll_init(&s->loop, &s->timer_poll, s->timer_fd)) < 0 ||
	    (rc = server_addr(bind, port, &addr)) < 0 ||
	    (rc = uv_tcp_bind(&s->listener, (struct sockaddr *)&addr, 0)) < 0 ||
	    (rc = uv_listen((uv_stream_t *)&s->listener, BACKLOG, on_connection)) < 0 ||
	    (rc = uv_poll_start(&s->timer_poll, UV_READABLE, on_timer)) < 0 ||
	    (rc = uv_signal_start(&s->sigterm, on_signal, SIGTERM)) < 0 ||
	    (rc = uv_signal_start(&s->sigint, on_signal, SIGINT)) < 0)
		goto out_fail;
	/* the parent may have blocked them; uv_signal needs them delivered */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	return 0;
out_fail:
	fprintf(stderr, "cmbench serve: cannot listen on %s port %d: %s\n", bind, port,
		uv_strerror(rc));
	return -1;
}

int server_run(const char *bind, int port, int ready_fd)
{
	struct server *s;
	int ret = 1;

	s = calloc(1, sizeof(*s));
	if (!s) {
		fprintf(stderr, "cmbench serve: out of memory\n");
		goto out_ready;
	}
	raise_nofile();
	signal(SIGPIPE, SIG_IGN); /* a client gone mid-write is an EPIPE, not a death */
	s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->timer_fd < 0) {
		fprintf(stderr, "cmbench serve: timerfd_create: %s\n", strerror(errno));
		goto out_free;
	}
	if (uv_loop_init(&s->loop) < 0) {
		fprintf(stderr, "cmbench serve: cannot start the event loop\n");
		goto out_timerfd;
	}
	s->loop.data = s;
	if (server_setup(s, bind, port) == 0) {
		server_announce(s, ready_fd);
		ready_fd = -1;
		ret = 0;
	} else {
		server_stop(s);
	}
	uv_run(&s->loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&s->loop) < 0 || s->failed)
		ret = 1;
out_timerfd:
	close(s->timer_fd);
out_free:
	free(s->heap);
	free(s);
out_ready:
	if (ready_fd >= 0)
		close(ready_fd);
	return ret;
}

/* ---- `cmbench serve` ---- */

static void serve_usage(FILE *f)
{
	fputs("usage: cmbench serve [--bind ADDR] [--port P]\n"
	      "The latency server: GET /?delay_us=N&bytes=N&id=N answers 200 after N\n"
	      "microseconds with N body bytes that depend only on id. HTTP/1.1, keep-alive.\n"
	      "  --bind ADDR  IPv4 or IPv6 literal to listen on (default 127.0.0.1)\n"
	      "  --port P     TCP port, 0 for any free one (default 0)\n"
	      "Stops on SIGTERM or SIGINT.\n",
	      f);
}

/* argv[*i] is `name VALUE` or `name=VALUE`: 1 and *val set (and *i moved
 * past the value), 0 if argv[*i] is another flag, -1 if the value is missing. */
static int flag_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

int server_main(int argc, char **argv)
{
	const char *bind = "127.0.0.1", *port_s = "0", *v;
	struct sockaddr_storage addr;
	uint64_t port;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			serve_usage(stdout);
			return 0;
		}
		if ((rc = flag_value(argc, argv, &i, "--bind", &v)) > 0) {
			bind = v;
		} else if (rc == 0 && (rc = flag_value(argc, argv, &i, "--port", &v)) > 0) {
			port_s = v;
		} else if (rc < 0) {
			fprintf(stderr, "cmbench serve: %s needs a value\n", argv[i]);
			return 2;
		} else {
			fprintf(stderr, "cmbench serve: unknown %s '%s' (try --help)\n",
				argv[i][0] == '-' ? "flag" : "argument", argv[i]);
			return 2;
		}
	}
	if (parse_decimal(port_s, strlen(port_s), 65535, &port) < 0) {
		fprintf(stderr, "cmbench serve: bad --port value '%s': want 0..65535\n", port_s);
		return 2;
	}
	if (server_addr(bind, 0, &addr) < 0) {
		fprintf(stderr, "cmbench serve: bad --bind value '%s': want an IPv4 or IPv6 literal\n",
			bind);
		return 2;
	}
	return server_run(bind, (int)port, -1);
}
