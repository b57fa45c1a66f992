/* internal.h - what the latency server's files share: the server, a
 * connection, and the functions one file calls in another. Nothing here is
 * for use outside server/. */
#ifndef CMB_SERVER_INTERNAL_H
#define CMB_SERVER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

#include "deadline.h"
#include "idle.h"
#include "request.h"
#include "server.h"

#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

#define SERVER_READ_BUF (64 * 1024) /* the one read buffer all connections share */

enum conn_state {
	CONN_IDLE,    /* waiting for a complete request head; on the idle list */
	CONN_DELAYED, /* its deadline is when the response is due */
	CONN_WRITING, /* a response write is in flight */
	CONN_LINGER,  /* last response sent, FIN sent; draining until EOF or the deadline */
};

struct server {
	uv_loop_t loop;
	uv_tcp_t listener;
	uv_signal_t sigterm, sigint;
	struct deadlines deadlines; /* delayed responses and linger ends */
	struct idle_list idle;	    /* connections waiting for a request */
	bool failed;		    /* stopped by an error, not by a signal */
	char rbuf[SERVER_READ_BUF]; /* shared: on_read consumes it before the next read */
};

struct conn {
	uv_tcp_t tcp; /* the socket */
	union {
		uv_write_t write;	/* the response write in flight */
		uv_shutdown_t shutdown; /* the FIN after the last response */
	} req;
	struct server *srv;
	struct deadline due;   /* CONN_DELAYED: response due; CONN_LINGER: give up */
	struct idle_link idle; /* on srv->idle while CONN_IDLE */
	char *in;	       /* received bytes not yet answered */
	size_t in_len;	       /* bytes in in */
	size_t in_cap;	       /* size of in */
	char *out;	       /* response buffer while writing, else NULL */
	uint64_t left;	       /* body bytes still to write */
	uint64_t off;	       /* body offset of the next chunk */
	uint64_t bytes;	       /* Content-Length of the current response */
	uint64_t id;	       /* id of the current request */
	enum conn_state state;
	bool keepalive; /* the connection stays open after this response */
	bool peer_eof;	/* the client sent FIN */
	bool reading;	/* uv_read_start is in effect */
	bool closing;	/* uv_close was called */
};

/* conn.c: the life of a connection and its read side */

/* Accept one connection from s's listener; 0 or -ENOMEM (nothing accepted). */
int conn_accept(struct server *s);
/* Close at once: pending writes are cancelled (their callbacks run first). */
void conn_close(struct conn *c);
/* Read (again) unless the client has sent FIN or c is closing. */
void conn_read_start(struct conn *c);
/* Idle: answer the next complete request in c->in, or wait for more. */
void conn_process(struct conn *c);
/* The deadline callback for struct conn's due. */
void conn_on_due(struct deadline *e);
/* The idle-list callback for struct conn's idle. */
void conn_on_idle(struct idle_link *e);

/* respond.c: the write side */

/* The response to the request in c's fields is due: write it. */
void conn_respond(struct conn *c);
/* Answer a request request_parse() refused (why < 0), then close. */
void conn_reject(struct conn *c, enum request_rc why);

/* server.c */

/* An IPv4 or IPv6 literal and a port into addr; 0 or a libuv error. */
int server_addr(const char *bind, int port, struct sockaddr_storage *addr);

#endif
