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

#include "workload.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

size_t http_request(char *buf, size_t cap, const struct run_cfg *cfg, uint64_t id)
{
	const char *sep = strchr(cfg->target_path, '?') ? "&" : "?";
	bool v6 = strchr(cfg->target_host, ':') != NULL; /* a literal: needs [] */
	int n;

	n = snprintf(buf, cap,
		     "GET %s%sdelay_us=%llu&bytes=%llu&id=%llu HTTP/1.1\r\n"
		     "Host: %s%s%s:%s\r\n"
		     "User-Agent: cmbench\r\n"
		     "%s\r\n",
		     cfg->target_path, sep, (unsigned long long)cfg->io_latency_us,
		     (unsigned long long)cfg->payload, (unsigned long long)id, v6 ? "[" : "",
		     cfg->target_host, v6 ? "]" : "", cfg->target_port, cfg->keepalive ? "" : "Connection: close\r\n");
	if (n < 0 || (size_t)n >= cap)
		return 0;
	return (size_t)n;
}

void http_resp_init(struct http_resp *r)
{
	r->state = HTTP_MORE;
	r->in_body = false;
	r->hdr_len = 0;
	r->status = 0;
	r->content_length = UINT64_MAX;
	r->body_got = 0;
	r->body_hash = FNV_OFFSET;
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

/* Parse the complete header block in r->hdr (NUL-terminated, CRLFs intact). */
static int parse_headers(struct http_resp *r)
{
	char *line = r->hdr, *eol, *end;
	const char *v;
	unsigned long long cl;
	bool chunked = false;

	if (strncmp(line, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)line[7]) || line[8] != ' ')
		return HTTP_BAD;
	if (!isdigit((unsigned char)line[9]) || !isdigit((unsigned char)line[10]) ||
	    !isdigit((unsigned char)line[11]) || (line[12] != ' ' && line[12] != '\r'))
		return HTTP_BAD;
	r->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
	if (line[7] == '0')
		r->conn_close = true; /* HTTP/1.0 closes unless told otherwise */
	for (eol = strstr(line, "\r\n"); eol; eol = strstr(line, "\r\n")) {
		*eol = '\0';
		if ((v = header_value(line, "Content-Length")) != NULL) {
			/* digits only (no sign, no junk), and a repeat must agree */
			if (!isdigit((unsigned char)*v))
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
		} else if ((v = header_value(line, "Connection")) != NULL) {
			r->conn_close = strncasecmp(v, "close", 5) == 0;
		} else if ((v = header_value(line, "Transfer-Encoding")) != NULL) {
			chunked = strncasecmp(v, "identity", 8) != 0;
		}
		line = eol + 2;
	}
	if (r->status != 200)
		return HTTP_STATUS;
	if (chunked || r->content_length == UINT64_MAX)
		return HTTP_BAD;
	return HTTP_MORE;
}

static void hash_body(struct http_resp *r, const char *p, size_t n)
{
	uint64_t h = r->body_hash;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * FNV_PRIME;
	r->body_hash = h;
	r->body_got += n;
}

int http_resp_feed(struct http_resp *r, const char *data, size_t len, size_t *used)
{
	size_t off = 0, take;

	*used = 0;
	if (r->state != HTTP_MORE)
		return r->state;
	while (!r->in_body && off < len) {
		if (r->hdr_len >= sizeof(r->hdr) - 1)
			return r->state = HTTP_BAD;
		r->hdr[r->hdr_len++] = data[off++];
		r->hdr[r->hdr_len] = '\0';
		if (r->hdr_len >= 4 && memcmp(r->hdr + r->hdr_len - 4, "\r\n\r\n", 4) == 0) {
			r->in_body = true;
			r->hdr_len -= 2; /* keep one CRLF: every line ends in one */
			r->hdr[r->hdr_len] = '\0';
			r->state = parse_headers(r);
			if (r->state != HTTP_MORE) {
				*used = off;
				return r->state;
			}
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

uint64_t http_resp_hash(const struct http_resp *r)
{
	return mix64(r->body_hash ^ mix64(r->body_got));
}
