/* foreign_args.c - what a foreign model's program is given, and whether it
 * can run: its argv (the interpreter for a .py, then the run's parameters
 * as the protocol's key=value words, the workload's own flags among them),
 * the library flags (--py-http, --py-pg) resolved for the model (a loop's
 * libraries are async), and foreign_check, which refuses a library that
 * does not fit and asks the program to import one outside the standard
 * library (mode=probe). The protocol session itself is foreign.c's. */
#define _GNU_SOURCE
#include "foreign.h"
#include "foreign_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/proc.h"
#include "../lib/spawn.h"
#include "../lib/util.h"
#include "../workloads/pylib.h"
#include "../workloads/workload.h"

void foreign_arg(struct foreign_argv *a, const char *fmt, ...)
{
	va_list ap;

	if (a->n >= FOREIGN_ARGS)
		return;
	va_start(ap, fmt);
	vsnprintf(a->buf[a->n], FOREIGN_ARG_MAX, fmt, ap);
	va_end(ap);
	a->v[a->n] = a->buf[a->n];
	a->v[++a->n] = NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The interpreter (for a .py) and the program. 0 or -ENOENT. */
int foreign_program_argv(const struct model_ops *m, struct foreign_argv *a)
{
	const char *override = getenv(FOREIGN_PROGRAM_ENV), *py = getenv("CMBENCH_PYTHON");
	char path[FOREIGN_ARG_MAX];

	if (override && *override)
		snprintf(path, sizeof(path), "%s", override);
	else if (!m->program || path_beside_binary(m->program, path, sizeof(path)) < 0)
		return -ENOENT;
	if (ends_with(path, ".py")) {
		foreign_arg(a, "%s", py && *py ? py : FOREIGN_PYTHON);
		foreign_arg(a, "-B"); /* no __pycache__ written into the source tree */
	}
	foreign_arg(a, "%s", path);
	return access(a->v[0], X_OK) == 0 ? 0 : -ENOENT;
}

/* --- the library flags (--py-http, --py-pg: workloads/pylib.h) ---------- */

/* What fits a model, the first being its default: a loop's libraries are
 * async; a blocking call (the blocking workload) is a blocking client in
 * every model. */
struct py_fit {
	const char *flag;
	bool loop;
	const char *libs[4];
	const char *stdlib; /* the one that needs no module beyond the stdlib */
};
static const struct py_fit py_fits[] = {
	{ "py-http", true, { "streams", "aiohttp", "httpx", NULL }, "streams" },
	{ "py-http", false, { "http.client", "requests", "httpx", NULL }, "http.client" },
	{ "py-pg", true, { "asyncpg", "psycopg", "sqlalchemy", NULL }, NULL },
	{ "py-pg", false, { "psycopg2", "psycopg", "sqlalchemy", NULL }, NULL },
	/* open: the model runs the read (a loop inline, py-asyncio-offload
	 * in its executor); aiofiles and asyncio.to_thread, the default one */
	{ "py-file", true, { "open", "aiofiles", "to_thread", NULL }, "open" },
	{ "py-file", false, { "open", NULL }, "open" },
};

static bool py_loop(const struct run_cfg *cfg)
{
	return cfg->model->kind == MODEL_KIND_LOOP && !cfg->workload->blocking_only;
}

static const struct py_fit *py_fit_of(const struct run_cfg *cfg, const char *flag)
{
	for (size_t i = 0; i < sizeof(py_fits) / sizeof(py_fits[0]); i++)
		if (strcmp(py_fits[i].flag, flag) == 0 && py_fits[i].loop == py_loop(cfg))
			return &py_fits[i];
	return NULL;
}

static bool is_lib_flag(const struct wl_flag *f)
{
	return f->type == WLF_CHOICE && f->slot == WL_PY_LIB;
}

/* The library the flag names, "default" resolved for this model; NULL
 * when it does not fit. */
static const char *py_lib(const struct run_cfg *cfg, const struct wl_flag *f)
{
	const struct py_fit *fit = py_fit_of(cfg, f->name);
	const char *want = f->choices[cfg->wl_num[f->slot]];

	if (!fit)
		return NULL;
	if (cfg->wl_num[f->slot] == 0)
		return fit->libs[0];
	for (int i = 0; fit->libs[i]; i++)
		if (strcmp(fit->libs[i], want) == 0)
			return want;
	return NULL;
}

/* The workload's own flags as NAME=VALUE (a library resolved), and its
 * text slots (the sqlite file, the pg conninfo) as wl_strN=VALUE. */
static void wl_args(const struct run_cfg *cfg, struct foreign_argv *a)
{
	for (const struct wl_flag *f = cfg->workload->flags; f && f->name; f++) {
		uint64_t v = cfg->wl_num[f->slot];

		if (is_lib_flag(f))
			foreign_arg(a, "%s=%s", f->name,
				    py_lib(cfg, f) ? py_lib(cfg, f) : "default");
		else if (f->type == WLF_STR)
			foreign_arg(a, "%s=%s", f->name, cfg->wl_str[f->slot]);
		else if (f->type == WLF_CHOICE)
			foreign_arg(a, "%s=%s", f->name, f->choices[v]);
		else
			foreign_arg(a, "%s=%" PRIu64, f->name, v);
	}
	for (int i = 0; i < CFG_WL_STR; i++)
		if (cfg->wl_str[i][0])
			foreign_arg(a, "wl_str%d=%s", i, cfg->wl_str[i]);
}

/* The run's parameters, as the protocol passes them. */
void foreign_run_args(const struct run_cfg *cfg, struct foreign_argv *a)
{
	foreign_arg(a, "mode=%s", cfg->server ? "serve" : "run");
	if (cfg->server) { /* a foreign server model (models/servers/foreign_srv.c) */
		foreign_arg(a, "listen_port=%" PRIu64, cfg->port);
		foreign_arg(a, "threads=%" PRIu64, cfg->threads);
	}
	foreign_arg(a, "model=%s", cfg->model->name);
	foreign_arg(a, "workload=%s", cfg->workload->name);
	foreign_arg(a, "tasks=%" PRIu64, cfg->tasks);
	foreign_arg(a, "concurrency=%" PRIu64, cfg->concurrency);
	foreign_arg(a, "workers=%" PRIu64, cfg->workers);
	foreign_arg(a, "host=%s", cfg->target_host);
	foreign_arg(a, "port=%s", cfg->target_port);
	foreign_arg(a, "path=%s", cfg->target_path);
	foreign_arg(a, "io_latency_us=%" PRIu64, cfg->io_latency_us);
	foreign_arg(a, "payload=%" PRIu64, cfg->payload);
	foreign_arg(a, "conn=%s", cfg->keepalive ? "keepalive" : "new");
	foreign_arg(a, "cpu_iters=%" PRIu64, cfg->cpu_iters);
	foreign_arg(a, "timeout_us=%" PRIu64, cfg->timeout_us);
	foreign_arg(a, "spawn=%s", cfg->spawn_exec ? "exec" : "fork");
	foreign_arg(a, "fd=%d", FOREIGN_FD);
	if (cfg->py_bare)
		foreign_arg(a, "bare=1");
	if (cfg->rate_tps > 0 && !cfg->server) /* a server's load is the generator's */
		foreign_arg(a, "release_fd=%d", FOREIGN_RELEASE_FD);
	wl_args(cfg, a);
}

void foreign_cpu_args(const struct run_cfg *cfg, struct foreign_argv *a)
{
	foreign_arg(a, "mode=cpu");
	foreign_arg(a, "model=%s", cfg->model->name);
	foreign_arg(a, "workload=%s", cfg->workload->name);
	foreign_arg(a, "cpu_iters=%" PRIu64, cfg->cpu_iters);
	foreign_arg(a, "cpu_us=%" PRIu64, cfg->cpu_target_us);
	foreign_arg(a, "fd=%d", FOREIGN_FD);
}

/* Can the program import the libraries of this run? It is asked (mode=
 * probe, its stderr captured) when one is not in the standard library: 0,
 * or -EINVAL with its one line in err. */
static int py_probe(const struct run_cfg *cfg, char *err, size_t errlen)
{
	struct foreign_argv a = { .n = 0 };
	char buf[1024] = "", *line;
	size_t len = 0;
	uint64_t deadline = clock_now_ns() + 30 * NS_PER_S;
	int p[2], st = 0;
	struct proc_end e;
	struct spawn sp;
	pid_t pid;

	if (foreign_program_argv(cfg->model, &a) < 0 || !ends_with(a.v[a.n - 1], ".py"))
		return 0; /* the run says what is wrong with the program */
	foreign_run_args(cfg, &a);
	for (int i = 0; i < a.n; i++)
		if (strncmp(a.v[i], "mode=", 5) == 0)
			snprintf(a.buf[i], FOREIGN_ARG_MAX, "mode=probe");
	if (pipe2(p, O_CLOEXEC) < 0)
		return 0;
	spawn_init(&sp);
	spawn_null(&sp, STDIN_FILENO);
	spawn_null(&sp, STDOUT_FILENO);
	spawn_dup(&sp, STDERR_FILENO, p[1]);
	if (spawn_exec(&sp, a.v, &pid) != 0)
		pid = -1;
	close(p[1]);
	while (pid > 0 && clock_now_ns() < deadline) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		ssize_t r;

		if (poll(&pf, 1, foreign_ms_until(deadline)) <= 0)
			continue;
		r = read(p[0], buf + len, sizeof(buf) - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len == sizeof(buf) - 1) /* keep the end: the last line */
			len = 0;
	}
	close(p[0]);
	if (pid < 0)
		return 0;
	if (proc_kill(pid, false, &e) == 0) /* killed if it is still there */
		st = e.status;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	line = strrchr(buf, '\n');
	line = line ? line + 1 : buf;
	if (*line)
		snprintf(err, errlen, "%s", line);
	else
		snprintf(err, errlen, "%s: its program cannot start (exit %d)", cfg->model->name,
			 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return -EINVAL;
}

int foreign_check(const struct run_cfg *cfg, char *err, size_t errlen)
{
	bool probe = false;

	/* the programs speak the kinds of work a family names, and a wait
	 * alone (the timer) where the model says it holds one */
	if (cfg->workload->family == WL_FAMILY_OTHER && !model_takes(cfg->model, cfg->workload)) {
		snprintf(err, errlen, "--workload: %s does not run %s (a workload of no family)",
			 cfg->model->name, cfg->workload->name);
		return -EINVAL;
	}

	for (const struct wl_flag *f = cfg->workload->flags; f && f->name; f++) {
		const struct py_fit *fit;
		const char *lib;

		if (!is_lib_flag(f))
			continue;
		fit = py_fit_of(cfg, f->name);
		lib = py_lib(cfg, f);
		if (!lib) {
			char fits[160] = "";

			for (int i = 0; fit && fit->libs[i]; i++)
				snprintf(fits + strlen(fits), sizeof(fits) - strlen(fits), "%s%s",
					 i ? ", " : "", fit->libs[i]);
			snprintf(err, errlen, "--%s: %s runs %s with %s, not %s", f->name,
				 cfg->model->name, cfg->workload->name, fits,
				 f->choices[cfg->wl_num[f->slot]]);
			return -EINVAL;
		}
		probe |= !fit->stdlib || strcmp(lib, fit->stdlib) != 0;
	}
	/* a server stack (uvicorn, gunicorn, ...) is never in the stdlib */
	return probe || cfg->server ? py_probe(cfg, err, errlen) : 0;
}

char **foreign_argv(const struct run_cfg *cfg)
{
	struct foreign_argv *a = calloc(1, sizeof(*a));
	size_t size = 0;
	char **v = NULL, *p;

	if (a && foreign_program_argv(cfg->model, a) == 0) {
		foreign_run_args(cfg, a);
		size = (size_t)(a->n + 1) * sizeof(char *);
		for (int i = 0; i < a->n; i++)
			size += strlen(a->v[i]) + 1;
		v = malloc(size); /* the pointers, then the words: one block */
	}
	if (v) {
		p = (char *)(v + a->n + 1);
		for (int i = 0; i < a->n; i++) {
			v[i] = strcpy(p, a->v[i]);
			p += strlen(p) + 1;
		}
		v[a->n] = NULL;
	}
	free(a);
	return v;
}
