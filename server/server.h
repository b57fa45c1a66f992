/* server.h - the latency server: `cmbench serve` and the server that
 * `cmbench run` starts in a child process.
 *
 * GET /any/path?delay_us=N&bytes=N&id=N answers "200 OK" after N
 * microseconds with N body bytes that depend only on id and the byte's
 * offset, over HTTP/1.1 with keep-alive. One libuv loop on one thread holds
 * 10,000 concurrent delayed connections.
 *
 * Limits, each answered as said and then closed:
 *   delay_us    at most SERVER_DELAY_MAX = 3,600,000,000 (one hour); more is 400
 *   bytes       at most SERVER_BYTES_MAX = 1,073,741,824 (1 GiB); more is 400
 *   the head    request line and headers at most SERVER_HEAD_MAX = 8192 bytes; more is 431
 *   a method    other than GET or HEAD is 405; a malformed head is 400
 * A connection with no request in progress that receives nothing for the
 * idle timeout (SERVER_IDLE_DEFAULT_US = 60 s unless set) is closed. A
 * client that closes (sends FIN) while its response is delayed is taken to
 * be gone: its connection is closed at once and the response dropped. */
#ifndef CMB_SERVER_H
#define CMB_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SERVER_HEAD_MAX 8192		   /* longest request head, blank line included */
#define SERVER_DELAY_MAX 3600000000ull	   /* largest delay_us: one hour, as --io-latency */
#define SERVER_BYTES_MAX (1ull << 30)	   /* largest bytes: 1 GiB, as --payload */
#define SERVER_IDLE_DEFAULT_US 60000000ull /* idle timeout unless told otherwise: 60 s */
#define SERVER_IDLE_MAX_US 86400000000ull  /* longest idle timeout accepted: one day */

struct server_req {
	uint64_t delay_us; /* delay_us= query value (0 if absent) */
	uint64_t bytes;	   /* bytes= body size (0 if absent) */
	uint64_t id;	   /* id= (0 if absent) */
	bool keepalive;	   /* HTTP/1.1 without "Connection: close", or 1.0 with "Connection:
			      keep-alive" */
	bool head;	   /* HEAD: the same response without its body */
};

/* Parse one request at the start of buf (which may be NULL when len is 0).
 * Returns 1 and sets *out and *consumed (bytes up to and including the
 * blank line) when a complete request head is there, 0 when more bytes are
 * needed, -1 when it is malformed: not GET/HEAD, bad request line or
 * version (HTTP/1.x only), a target with a control, space or non-ASCII
 * byte or a '%' not followed by two hex digits, bad header line, a request
 * body (Content-Length other than 0, any Transfer-Encoding), a control
 * byte, a bad number, or a head over SERVER_HEAD_MAX bytes. Lines may end
 * in CRLF or a bare LF; empty lines before the request line are skipped.
 * Any path is accepted and the query string is parsed from it; unknown
 * keys are ignored, a key given twice keeps its last value. Numbers are
 * plain decimal digits (percent escapes are not decoded); delay_us above
 * SERVER_DELAY_MAX or bytes above SERVER_BYTES_MAX is -1. */
int server_parse_request(const char *buf, size_t len, struct server_req *out, size_t *consumed);

/* The response body of request `id`, bytes [offset, offset + n) into out.
 * Every byte is one of 64 printable ASCII characters (A-Z a-z 0-9 - _) and
 * depends only on (id, its offset), so any chunking gives the same body. */
void server_body(uint64_t id, uint64_t offset, char *out, size_t n);

/* How to serve. */
struct server_opts {
	const char *bind;	  /* IPv4 or IPv6 literal */
	int port;		  /* 0 picks an ephemeral port */
	int ready_fd;		  /* gets the port once listening, then is closed; -1 for none */
	uint64_t idle_timeout_us; /* close a connection idle this long; 0 never does */
	/* SO_REUSEPORT on the listener: several servers share one port, the
	 * kernel spreading connections over them (more fds than one
	 * process's RLIMIT_NOFILE allows) */
	bool reuseport;
};

/* Serve until SIGTERM or SIGINT. Once listening: writes the port in decimal
 * and '\n' to opts->ready_fd and closes it (when ready_fd >= 0), and prints
 * "cmbench serve: listening on ADDR:PORT" (IPv6 as [ADDR]:PORT) to stdout,
 * flushed. Returns 0 after a clean shutdown; on a set-up failure (cannot
 * bind or listen) prints one line on stderr, closes ready_fd unwritten and
 * returns 1.
 * Process-wide effects, meant for the process that serves: raises the
 * RLIMIT_NOFILE soft limit to the hard limit, ignores SIGPIPE, unblocks
 * SIGTERM and SIGINT and handles them until it returns. */
int server_serve(const struct server_opts *opts);

/* server_serve() on bind:port with the default idle timeout. */
int server_run(const char *bind, int port, int ready_fd);
/* The same, one of several servers sharing port (SO_REUSEPORT; port 0:
 * the first, which picks it). */
int server_run_shared(const char *bind, int port, int ready_fd);

/* `cmbench serve [--bind ADDR] [--port P] [--idle-timeout D]`; argv[0] is
 * "serve". Defaults 127.0.0.1, 0 and 60s (0 turns the timeout off). A bad
 * flag or value prints one line on stderr naming it and returns 2; --help
 * prints the usage and returns 0; otherwise returns what server_serve
 * returns. */
int server_main(int argc, char **argv);

#endif
