/* test_servers.c - the server side in-process: every server model served
 * on a thread of the test through a handshake of its own, loaded by the
 * open-loop generator (models/servers/loadgen.c) on this thread: every
 * request answered once, the server's records and the generator's agree,
 * and the checksum is the client side's (the sequential model's run of
 * the same tasks); the answer's format and the generator's reading of it
 * (http_resp_hex); CPU lists; the server-side flags through cli. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli.h"
#include "lib/clock.h"
#include "lib/cpus.h"
#include "lib/sched.h"
#include "models/model.h"
#include "models/servers/loadgen.h"
#include "models/servers/srv.h"
#include "workloads/http.h"
#include "workloads/workload.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void parse(struct run_cfg *cfg, int argc, char **argv)
{
	char err[CLI_ERR_MAX] = "";

	if (cli_parse_run(argc, argv, cfg, err, sizeof(err)) != 0)
		fail_msg("cli_parse_run: %s", err);
}

/* The server's handshake: go says the port, end is counted. */
struct srv_ctl {
	struct trial_ctl ctl;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ready, gos, ends, rc;
	const struct run_cfg *cfg;
	struct task_stats st;
};

static uint64_t srv_go(struct trial_ctl *ctl)
{
	struct srv_ctl *s = ctl->priv;

	pthread_mutex_lock(&s->mu);
	s->gos++;
	s->ready = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return clock_now_ns();
}

static void srv_end(struct trial_ctl *ctl)
{
	struct srv_ctl *s = ctl->priv;

	s->ends++;
}

static void *serve_thread(void *p)
{
	struct srv_ctl *s = p;

	s->rc = s->cfg->model->run(s->cfg, &s->ctl, &s->st);
	pthread_mutex_lock(&s->mu);
	s->ready = 1; /* a set-up failure also wakes the test */
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Serve cfg with server model m, load it, and check both sides. */
static uint64_t serve_and_load(struct run_cfg *cfg)
{
	struct srv_ctl s = { .ctl = { .go = srv_go, .end = srv_end }, .cfg = cfg };
	struct loadgen_out *g = calloc(1, sizeof(*g));
	uint64_t *off = NULL, sum;
	int stop[2];
	pthread_t th;

	assert_non_null(g);
	assert_int_equal(pipe(stop), 0);
	s.ctl.priv = &s;
	s.ctl.stop_fd = stop[0];
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	assert_int_equal(sched_make(cfg, &off), 0);
	assert_int_equal(pthread_create(&th, NULL, serve_thread, &s), 0);
	pthread_mutex_lock(&s.mu);
	while (!s.ready)
		pthread_cond_wait(&s.cv, &s.mu);
	pthread_mutex_unlock(&s.mu);
	if (s.gos != 1)
		fail_msg("%s: set-up failed (%d)", cfg->model->name, s.rc);
	assert_int_equal(loadgen_run(cfg, s.ctl.port, false, off, g), 0);
	/* a byte, not a close: a forked worker holds the write end too */
	assert_int_equal(write(stop[1], "s", 1), 1);
	pthread_join(th, NULL);
	close(stop[1]);
	close(stop[0]);
	sched_free(cfg, off);
	if (s.rc != 0 || s.ends != 1)
		fail_msg("%s: run %d, end %d times", cfg->model->name, s.rc, s.ends);
	if (g->stats.completed != cfg->tasks || stats_errors(&g->stats) != 0)
		fail_msg("%s: %llu of %llu answered, %llu errors", cfg->model->name,
			 (unsigned long long)g->stats.completed, (unsigned long long)cfg->tasks,
			 (unsigned long long)stats_errors(&g->stats));
	if (s.st.completed != cfg->tasks || s.st.checksum != g->stats.checksum)
		fail_msg("%s: the server recorded %llu requests, checksum %016llx; the load "
			 "%016llx",
			 cfg->model->name, (unsigned long long)s.st.completed,
			 (unsigned long long)s.st.checksum, (unsigned long long)g->stats.checksum);
	assert_int_equal(g->lag.count, cfg->tasks); /* every request's send lag */
	sum = g->stats.checksum;
	free(g);
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.mu);
	return sum;
}

static void test_every_server_model(void **state)
{
	char *client[] = { "run",	  "--model", "sequential", "--workload", "cpu",
			   "--cpu-iters", "2000",    "--tasks",	   "60" };
	struct run_cfg cfg;
	struct task_stats *st = calloc(1, sizeof(*st));
	uint64_t want;

	(void)state;
	assert_non_null(st);
	parse(&cfg, ARGC(client), client);
	{ /* the client side's checksum of the same tasks */
		struct srv_ctl s = { .ctl = { .go = srv_go, .end = srv_end } };

		pthread_mutex_init(&s.mu, NULL);
		pthread_cond_init(&s.cv, NULL);
		s.ctl.priv = &s;
		assert_int_equal(cfg.model->run(&cfg, &s.ctl, st), 0);
	}
	want = st->checksum;
	for (size_t i = 0; server_table[i]; i++) {
		char *args[] = { "run",
				 "--side",
				 "server",
				 "--model",
				 (char *)server_table[i]->base.name,
				 "--workload",
				 "cpu",
				 "--cpu-iters",
				 "2000",
				 "--tasks",
				 "60",
				 "--rate",
				 "2000",
				 "--connections",
				 "4",
				 "--workers",
				 "2" };

		parse(&cfg, ARGC(args), args);
		if (cfg.model->check) {
			char err[256];

			if (cfg.model->check(&cfg, err, sizeof(err)) != 0) {
				print_message("# skip %s: %s\n", cfg.model->name, err);
				continue;
			}
		}
		if (serve_and_load(&cfg) != want)
			fail_msg("%s: not the client side's checksum", cfg.model->name);
	}
	free(st);
}

static void test_answer_and_hex(void **state)
{
	struct wl_slot s = { .result = 0xfedcba9876543210ull, .err = TASK_OK };
	struct http_resp r;
	char buf[SRV_RESP_MAX];
	size_t n = srv_answer(buf, sizeof(buf), &s, false), used;
	uint64_t v;

	(void)state;
	assert_true(n > 0);
	http_resp_init(&r);
	assert_int_equal(http_resp_feed(&r, buf, n, &used), HTTP_DONE);
	assert_int_equal(used, n);
	assert_true(http_resp_hex(&r, &v));
	assert_true(v == 0xfedcba9876543210ull);
	/* an error answer is no result */
	s.err = TASK_ERR_TIMEOUT;
	n = srv_answer(buf, sizeof(buf), &s, true);
	assert_non_null(strstr(buf, "502"));
	assert_non_null(strstr(buf, "Connection: close"));
	http_resp_init(&r);
	assert_int_not_equal(http_resp_feed(&r, buf, n, &used), HTTP_DONE);
	/* 15 digits, or a letter past f, is not a result */
	{
		const char *bad[] = {
			"HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n000000000000000",
			"HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n000000000000000g",
			"HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n00000000000000001",
		};
		for (size_t i = 0; i < 3; i++) {
			http_resp_init(&r);
			assert_int_equal(http_resp_feed(&r, bad[i], strlen(bad[i]), &used),
					 HTTP_DONE);
			assert_false(http_resp_hex(&r, &v));
		}
	}
}

static void test_cpus(void **state)
{
	cpu_set_t s;
	char buf[64];
	int l[8];

	(void)state;
	assert_int_equal(cpus_parse("0,2-4,7", &s), 0);
	assert_string_equal(cpus_format(&s, buf, sizeof(buf)), "0,2-4,7");
	assert_int_equal(cpus_list(&s, l, 8), 5);
	assert_int_equal(l[1], 2);
	assert_int_equal(cpus_parse("3", &s), 0);
	assert_string_equal(cpus_format(&s, buf, sizeof(buf)), "3");
	assert_int_equal(cpus_parse("", &s), -EINVAL);
	assert_int_equal(cpus_parse("4-2", &s), -EINVAL);
	assert_int_equal(cpus_parse("1,", &s), -EINVAL);
	assert_int_equal(cpus_parse("x", &s), -EINVAL);
	assert_int_equal(cpus_parse("100000", &s), -EINVAL);
}

static void test_flags(void **state)
{
	char *args[] = { "run",	       "--side",	"server", "--model", "thread-pool",
			 "--workload", "cpu",		"--rate", "10",	     "--connections",
			 "7",	       "--client-conn", "new" };
	char *bad[][8] = {
		{ "run", "--side", "server", "--model", "thread-pool", "--workload", "cpu", NULL },
		{ "run", "--model", "thread-pool", "--workload", "cpu", NULL },
		{ "run", "--side", "sever", "--model", "thread-pool", "--workload", "cpu", NULL },
	};
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	parse(&cfg, ARGC(args), args);
	assert_non_null(cfg.server);
	assert_ptr_equal(cfg.model, &cfg.server->base);
	assert_int_equal(cfg.concurrency, 7);
	assert_true(cfg.client_new);
	assert_true(cfg.server_cpus[0] && cfg.client_cpus[0]); /* the default split */
	for (size_t i = 0; i < 3; i++) {
		int n = 0;

		while (bad[i][n])
			n++;
		assert_int_equal(cli_parse_run(n, bad[i], &cfg, err, sizeof(err)), -EINVAL);
	}
}

/* cli_format_run of a server run parses back to the same run */
static void test_format_round_trip(void **state)
{
	char *args[] = { "run",
			 "--side",
			 "server",
			 "--model",
			 "loop-offload",
			 "--workload",
			 "io",
			 "--rate",
			 "50",
			 "--connections",
			 "9",
			 "--client-conn",
			 "new",
			 "--hold-connections",
			 "33",
			 "--server-cpus",
			 "0",
			 "--client-cpus",
			 "0",
			 "--port",
			 NULL };
	struct run_cfg a, b;
	char **argv, port[16];
	int n = 0, fd, p = 0;

	(void)state;
	fd = srv_listen(&p, false, false); /* a free port, given back */
	assert_true(fd >= 0);
	close(fd);
	snprintf(port, sizeof(port), "%d", p);
	args[ARGC(args) - 1] = port;
	parse(&a, ARGC(args), args);
	argv = cli_format_run(&a);
	assert_non_null(argv);
	while (argv[n])
		n++;
	parse(&b, n, argv);
	cli_argv_free(argv);
	assert_ptr_equal(b.server, a.server);
	assert_int_equal(b.concurrency, 9);
	assert_true(b.client_new);
	assert_int_equal(b.hold_conns, 33);
	assert_int_equal(b.port, (uint64_t)p);
	assert_string_equal(b.server_cpus, "0");
	assert_string_equal(b.client_cpus, "0");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_answer_and_hex),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_every_server_model),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
