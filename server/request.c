/* request.c - parsing one HTTP/1.x request head (see request.h).
 *
 * The parser works on whole lines: it finds the next '\n', checks the line
 * for bytes a head may not hold, and hands it to the request-line or the
 * header-line parser. Only what the latency server needs is kept: the
 * method (GET or HEAD), the HTTP minor version, three query keys and the
 * headers that decide keep-alive or announce a body. Nothing is decoded or
 * copied; every span is a pointer and a length into the caller's buffer. */
#include "request.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Header flags that change the verdict after the last line. */
struct head_flags {
	bool conn_close; /* Connection: close */
	bool conn_keep;	 /* Connection: keep-alive */
};

/* A token character (RFC 9110): letters, digits and !#$%&'*+-.^_`|~,
 * looked up as one bit in a 128-bit set. */
static bool is_tchar(unsigned char ch)
{
	static const uint64_t set[2] = { 0x03ff6cfa00000000ull, 0x57ffffffc7fffffeull };

	return ch < 128 && ((set[ch >> 6] >> (ch & 63)) & 1);
}

static bool is_hex(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* True if p[0..n) holds a byte no request head may contain (a control byte
 * other than tab, or DEL). A trailing '\r' of an unfinished line is fine:
 * its '\n' may still come. */
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

/* Plain decimal p[0..n) into *v: -1 if empty, not all digits or above max. */
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

/* The request target at p[0..n): its length (up to the first space, or n)
 * into *len. False if it holds a byte other than visible ASCII, or a '%'
 * that does not start two hex digits. Escapes are not decoded: a known
 * query key must be spelled plainly and its value be digits. */
static bool scan_target(const char *p, size_t n, size_t *len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch > 0x20 && ch < 0x7f && ch != '%')
			continue;
		if (ch == ' ')
			break;
		if (ch != '%' || n - i < 3 || !is_hex((unsigned char)p[i + 1]) ||
		    !is_hex((unsigned char)p[i + 2]))
			return false;
		i += 2;
	}
	*len = i;
	return true;
}

/* The query q[0..n) ("a=1&b=2", no '?') into r. Unknown keys and empty
 * pieces are skipped; a known key needs "=digits" within its limit. */
static int parse_query(const char *q, size_t n, struct server_req *r)
{
	const char *end = q + n;

	while (q < end) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(q, '=', (size_t)(stop - q));
		size_t klen = (size_t)((eq ? eq : stop) - q);
		const char *val = eq ? eq + 1 : stop;
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
		if (dst && (!eq || parse_decimal(val, (size_t)(stop - val), max, dst) < 0))
			return REQ_BAD;
		q = stop + (amp != NULL);
	}
	return 0;
}

/* The query of the target p[0..n), if it has one, into r. */
static int parse_target(const char *p, size_t n, struct server_req *r)
{
	const char *q, *qend;

	q = memchr(p, '?', n);
	if (!q)
		return 0;
	q++;
	qend = memchr(q, '#', (size_t)(p + n - q));
	if (!qend)
		qend = p + n;
	return parse_query(q, (size_t)(qend - q), r);
}

/* "METHOD SP target SP HTTP/1.x" (p[0..n), line end stripped) into r.
 * REQ_METHOD for a well-formed line whose method is not GET or HEAD. */
static int parse_request_line(const char *p, size_t n, struct server_req *r)
{
	size_t m = 0, t, tlen, tend;

	while (m < n && is_tchar((unsigned char)p[m]))
		m++;
	if (m == 0 || m == n || p[m] != ' ')
		return REQ_BAD;
	t = m + 1;
	if (!scan_target(p + t, n - t, &tlen))
		return REQ_BAD;
	tend = t + tlen;
	if (tend == t || n - tend != 9 || memcmp(p + tend, " HTTP/1.", 8) != 0 || p[n - 1] < '0' ||
	    p[n - 1] > '9')
		return REQ_BAD;
	if (span_is(p, m, "GET"))
		r->head = false;
	else if (span_is(p, m, "HEAD"))
		r->head = true;
	else
		return REQ_METHOD;
	r->keepalive = p[n - 1] != '0'; /* HTTP/1.0 closes unless asked not to */
	return parse_target(p + t, tend - t, r);
}

/* The comma-separated tokens of a Connection value p[0..n) into f. */
static void parse_connection(const char *p, size_t n, struct head_flags *f)
{
	size_t v = 0;

	while (v < n) {
		size_t e = v, te;

		while (e < n && p[e] != ',')
			e++;
		te = e;
		while (te > v && is_blank(p[te - 1]))
			te--;
		if (span_is_nocase(p + v, te - v, "close"))
			f->conn_close = true;
		else if (span_is_nocase(p + v, te - v, "keep-alive"))
			f->conn_keep = true;
		v = e + 1;
		while (v < n && is_blank(p[v]))
			v++;
	}
}

/* One header line p[0..n) (line end stripped). Only Connection,
 * Content-Length and Transfer-Encoding matter; other names are skipped. */
static int parse_header_line(const char *p, size_t n, struct head_flags *f)
{
	size_t k = 0, v, vend;
	uint64_t cl;

	while (k < n && is_tchar((unsigned char)p[k]))
		k++;
	if (k == 0 || k == n || p[k] != ':')
		return REQ_BAD; /* also obsolete line folding, which starts with a blank */
	v = k + 1;
	vend = n;
	while (v < vend && is_blank(p[v]))
		v++;
	while (vend > v && is_blank(p[vend - 1]))
		vend--;
	if (span_is_nocase(p, k, "Connection")) {
		parse_connection(p + v, vend - v, f);
	} else if (span_is_nocase(p, k, "Content-Length")) {
		/* the server reads no bodies; a body would be taken for the next request */
		if (parse_decimal(p + v, vend - v, UINT64_MAX, &cl) < 0 || cl != 0)
			return REQ_BAD;
	} else if (span_is_nocase(p, k, "Transfer-Encoding")) {
		return REQ_BAD;
	}
	return 0;
}

/* The verdict on an unfinished head: the bytes after the last complete
 * line are p[0..n), and len bytes are there in all. */
static enum request_rc unfinished(const char *p, size_t n, size_t len)
{
	if (has_bad_byte(p, n, true))
		return REQ_BAD;
	return len >= SERVER_HEAD_MAX ? REQ_TOO_LARGE : REQ_MORE;
}

enum request_rc request_parse(const char *buf, size_t len, struct server_req *out, size_t *consumed)
{
	struct server_req r = { 0 };
	struct head_flags f = { false, false };
	size_t lim = len < SERVER_HEAD_MAX ? len : SERVER_HEAD_MAX;
	size_t pos = 0, next = 0, end;
	bool have_line = false;
	int rc;

	for (;;) {
		const char *nl;

		if (pos == lim) /* buf may be NULL here: no memchr, no buf + pos */
			return unfinished(NULL, 0, len);
		nl = memchr(buf + pos, '\n', lim - pos);
		if (!nl)
			return unfinished(buf + pos, lim - pos, len);
		next = (size_t)(nl - buf) + 1;
		end = next - 1;
		if (end > pos && buf[end - 1] == '\r')
			end--;
		if (has_bad_byte(buf + pos, end - pos, false))
			return REQ_BAD;
		if (end == pos) {
			if (have_line)
				break;
			pos = next; /* robustness: empty lines before a request */
			continue;
		}
		rc = have_line ? parse_header_line(buf + pos, end - pos, &f)
			       : parse_request_line(buf + pos, end - pos, &r);
		if (rc < 0)
			return (enum request_rc)rc;
		have_line = true;
		pos = next;
	}
	if (f.conn_close)
		r.keepalive = false;
	else if (f.conn_keep)
		r.keepalive = true;
	*out = r;
	*consumed = next;
	return REQ_DONE;
}

int server_parse_request(const char *buf, size_t len, struct server_req *out, size_t *consumed)
{
	enum request_rc rc = request_parse(buf, len, out, consumed);

	return rc < 0 ? -1 : (int)rc;
}
