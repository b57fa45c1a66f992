/* http.c - HTTP/1.1 request bytes and the streaming response parser.
 *
 * The parser accepts exactly what the io workload needs and rejects the
 * rest as an http error: a status line, headers, a Content-Length body.
 * Chunked bodies and bodies delimited by close are refused, because a
 * keep-alive connection could not tell where such a body ends. */
#include "http.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "workload.h"

/* A small appender: no printf on the path every request takes. */
struct sbuf {
	char *p;
	size_t n, cap;
	bool full;
};

static void put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n >= b->cap) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void puts_(struct sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_u64(struct sbuf *b, uint64_t v)
{
	char d[20];
	int i = 20;

	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	put(b, d + i, (size_t)(20 - i));
}

size_t http_request(char *buf, size_t cap, const struct run_cfg *cfg, uint64_t id)
{
	bool v6 = strchr(cfg->target_host, ':') != NULL; /* a literal: needs [] */
	struct sbuf b = { .p = buf, .cap = cap };

	puts_(&b, "GET ");
	puts_(&b, cfg->target_path);
	puts_(&b, strchr(cfg->target_path, '?') ? "&delay_us=" : "?delay_us=");
	put_u64(&b, cfg->io_latency_us);
	puts_(&b, "&bytes=");
	put_u64(&b, cfg->payload);
	puts_(&b, "&id=");
	put_u64(&b, id);
	puts_(&b, " HTTP/1.1\r\nHost: ");
	puts_(&b, v6 ? "[" : "");
	puts_(&b, cfg->target_host);
	puts_(&b, v6 ? "]:" : ":");
	puts_(&b, cfg->target_port);
	puts_(&b, "\r\nUser-Agent: cmbench\r\n");
	puts_(&b, cfg->keepalive ? "\r\n" : "Connection: close\r\n\r\n");
	if (b.full)
		return 0;
	buf[b.n] = '\0';
	return b.n;
}

void http_resp_init(struct http_resp *r)
{
	r->state = HTTP_MORE;
	r->in_body = false;
	r->status_seen = false;
	r->chunked = false;
	r->cr = false;
	r->line_len = 0;
	r->line_long = false;
	r->hdr_len = 0;
	r->status = 0;
	r->content_length = UINT64_MAX;
	r->body_got = 0;
	r->body_crc = 0; /* crc32(0, Z_NULL, 0) */
	r->body_hex = 0;
	r->hex_bad = false;
	r->conn_close = false;
}

/* Case-insensitive "Name:" match at the start of a header line; returns the
 * value with leading blanks skipped, or NULL. */
static const char *header_value(const char *line, const char *name)
{
	size_t n = strlen(name);

	if (strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	line += n + 1;
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

static int parse_status(struct http_resp *r, const char *line)
{
	if (strncmp(line, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)line[7]) || line[8] != ' ')
		return HTTP_BAD;
	if (!isdigit((unsigned char)line[9]) || !isdigit((unsigned char)line[10]) ||
	    !isdigit((unsigned char)line[11]) || (line[12] != ' ' && line[12] != '\0'))
		return HTTP_BAD;
	r->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
	if (line[7] == '0')
		r->conn_close = true; /* HTTP/1.0 closes unless told otherwise */
	r->status_seen = true;
	return HTTP_MORE;
}

static int parse_content_length(struct http_resp *r, const char *v)
{
	unsigned long long cl;
	char *end;

	/* digits only (no sign, no junk), and a repeat must agree */
	if (!isdigit((unsigned char)*v) || r->line_long)
		return HTTP_BAD;
	errno = 0;
	cl = strtoull(v, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno == ERANGE || *end != '\0')
		return HTTP_BAD;
	if (r->content_length != UINT64_MAX && r->content_length != cl)
		return HTTP_BAD;
	r->content_length = cl;
	return HTTP_MORE;
}

/* One complete header line (CRLF stripped), as far as it was kept. */
static int header_line(struct http_resp *r, const char *line)
{
	const char *v;

	if (!r->status_seen)
		return parse_status(r, line);
	if ((v = header_value(line, "Content-Length")) != NULL)
		return parse_content_length(r, v);
	if ((v = header_value(line, "Connection")) != NULL)
		r->conn_close = strncasecmp(v, "close", 5) == 0;
	else if ((v = header_value(line, "Transfer-Encoding")) != NULL)
		r->chunked = strncasecmp(v, "identity", 8) != 0;
	return HTTP_MORE;
}

/* The blank line: the headers are complete. */
static int headers_end(struct http_resp *r)
{
	if (!r->status_seen)
		return HTTP_BAD;
	if (r->status != 200)
		return HTTP_STATUS;
	if (r->chunked || r->content_length == UINT64_MAX)
		return HTTP_BAD;
	r->in_body = true;
	return HTTP_MORE;
}

/* The end of a header line: the CRLF is checked and the line handled. */
static int line_end(struct http_resp *r)
{
	int st;

	if (!r->cr)
		return HTTP_BAD; /* lines end in CRLF */
	r->cr = false;
	r->line[r->line_len] = '\0';
	st = r->line_len == 0 && !r->line_long ? headers_end(r) : header_line(r, r->line);
	r->line_len = 0;
	r->line_long = false;
	return st;
}

/* Bytes of a header line (no LF among them). A CR may only come last. */
static int line_bytes(struct http_resp *r, const char *p, size_t n)
{
	const char *cr;
	size_t keep;

	if (n == 0)
		return HTTP_MORE;
	if (r->cr) /* a CR inside a line */
		return HTTP_BAD;
	cr = memchr(p, '\r', n);
	if (cr && cr != p + n - 1)
		return HTTP_BAD;
	if (cr) {
		r->cr = true;
		n--;
	}
	keep = HTTP_LINE_KEEP - 1 - r->line_len;
	if (n > keep) {
		r->line_long = true;
		n = keep;
	}
	memcpy(r->line + r->line_len, p, n);
	r->line_len = (uint8_t)(r->line_len + n);
	return HTTP_MORE;
}

/* Header bytes from data[*off]; stops at the end of the headers. */
static int header_bytes(struct http_resp *r, const char *data, size_t len, size_t *off)
{
	while (*off < len && !r->in_body) {
		const char *p = data + *off, *nl = memchr(p, '\n', len - *off);
		size_t n = nl ? (size_t)(nl - p) : len - *off;
		int st;

		if (r->hdr_len + n + (nl ? 1 : 0) > HTTP_HDR_MAX)
			return HTTP_BAD;
		r->hdr_len = (uint16_t)(r->hdr_len + n + (nl ? 1 : 0));
		st = line_bytes(r, p, n);
		*off += n + (nl ? 1 : 0);
		if (st == HTTP_MORE && nl)
			st = line_end(r);
		if (st != HTTP_MORE)
			return st;
	}
	return HTTP_MORE;
}

/* The first 16 bytes as hex digits (a server model's answer). */
static void hex_body(struct http_resp *r, const char *p, size_t n)
{
	for (size_t i = 0; i < n && r->body_got + i < 16; i++) {
		unsigned char ch = (unsigned char)p[i];
		unsigned d = ch >= '0' && ch <= '9'   ? ch - '0'
			     : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
						      : 16;

		if (d == 16)
			r->hex_bad = true;
		r->body_hex = r->body_hex << 4 | (d & 15);
	}
}

/* zlib's CRC-32, as every runtime has it natively (a foreign program never
 * hashes a body in its interpreter loop) */
static void hash_body(struct http_resp *r, const char *p, size_t n)
{
	if (r->body_got < 16)
		hex_body(r, p, n);
	r->body_crc = (uint32_t)crc32_z(r->body_crc, (const Bytef *)p, n);
	r->body_got += n;
}

int http_resp_feed(struct http_resp *r, const char *data, size_t len, size_t *used)
{
	size_t off = 0, take;

	*used = 0;
	if (r->state != HTTP_MORE)
		return r->state;
	if (!r->in_body) {
		r->state = header_bytes(r, data, len, &off);
		if (r->state != HTTP_MORE) {
			*used = off;
			return r->state;
		}
	}
	if (r->in_body) {
		take = len - off;
		if (take > r->content_length - r->body_got)
			take = (size_t)(r->content_length - r->body_got);
		hash_body(r, data + off, take);
		off += take;
		if (r->body_got == r->content_length)
			r->state = HTTP_DONE;
	}
	*used = off;
	return r->state;
}

int http_resp_eof(struct http_resp *r)
{
	if (r->state == HTTP_MORE)
		r->state = HTTP_TRUNCATED;
	return r->state;
}

bool http_resp_hex(const struct http_resp *r, uint64_t *v)
{
	*v = r->body_hex;
	return r->body_got == 16 && !r->hex_bad;
}

uint64_t http_resp_hash(const struct http_resp *r)
{
	return mix64((uint64_t)r->body_crc ^ (r->body_got << 32));
}
