/* config.h - the parameters of one trial, as parsed from the command line. */
#ifndef CMB_CONFIG_H
#define CMB_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

enum out_format { FMT_TEXT, FMT_CSV, FMT_JSON };

#define CFG_WL_NUM 8   /* numeric flags a workload may add (struct wl_flag) */
#define CFG_WL_STR 2   /* text flags a workload may add */
#define CFG_WL_NOTE 48 /* the workload's note on the run (workload_note) */
/* --side's two words (the side column, the argv that reproduces a run) */
#define CFG_SIDE_CLIENT "client"
#define CFG_SIDE_SERVER "server"

struct workload_ops;
struct model_ops;
struct server_ops;

struct run_cfg {
	const struct model_ops *model;	     /* --model */
	const struct workload_ops *workload; /* --workload */
	uint64_t tasks;			     /* --tasks N */
	uint64_t concurrency;		     /* --concurrency C (1 for sequential) */
	uint64_t workers;		     /* --workers W (libuv pool size) */
	uint64_t io_latency_us;		     /* --io-latency */
	uint64_t payload;		     /* --payload bytes of response body */
	bool keepalive;			     /* --conn keepalive */
	bool spawn_exec;		     /* --spawn exec (models with the spawn trait) */
	uint64_t cpu_iters;		     /* kernel iterations per task */
	uint64_t cpu_target_us;		     /* --cpu DURATION (0: --cpu-iters given) */
	uint64_t timeout_us;		     /* --timeout per task I/O */
	double rate_tps;		     /* --rate: open loop, tasks per second (0: batch) */
	bool poisson;			     /* --arrivals poisson (else const) */
	uint64_t seed;			     /* --seed of the poisson arrivals */
	uint64_t duration_us;		     /* --duration: tasks = rate x duration */
	enum out_format format;		     /* --format */
	char target_host[256];		     /* host of the HTTP server */
	char target_port[16];		     /* its port, as text */
	char target_path[512];		     /* path prefix of the request */
	bool target_external;		     /* --target given: no embedded server */
	struct sockaddr_storage target_addr; /* resolved before the trial */
	socklen_t target_addrlen;	     /* its length */
	uint64_t wl_num[CFG_WL_NUM];	     /* the workload's own numeric flags */
	char wl_str[CFG_WL_STR][256];	     /* the workload's own text flags */
	char wl_note[CFG_WL_NOTE];	     /* its service's note on the run, or "" */
	const char *spectrum_path;	     /* --spectrum FILE: latency percentiles */
	const char *append_path;	     /* --append FILE: csv row appended */
	uint64_t hold_kib;	  /* --test-hold-kib K (hidden): each task holds K KiB, touched */
	uint64_t plateau_samples; /* --plateau-samples N: hold the wave for N samples */
	bool py_bare; /* --py-bare (hidden): a foreign program's self-check and records at
		       * their minimum, the control of docs/python.md */
	/* --side server (docs/servers.md): the server model, whose base is
	 * `model`; concurrency is --connections. NULL: the client side */
	const struct server_ops *server;
	bool side_server;      /* --side server given (server is set once --model is known) */
	bool client_new;       /* --client-conn new: the generator connects anew per request */
	uint64_t port;	       /* --port: the server model's port on 127.0.0.1 (0: any) */
	uint64_t hold_conns;   /* --hold-connections N: idle keep-alive connections held too */
	uint64_t threads;      /* --threads T: Python stacks' threads (0: own) */
	char server_cpus[64];  /* --server-cpus, as a list ("0", "1-3") */
	char client_cpus[64];  /* --client-cpus */
	const char *model_arg; /* --model as given (resolved once --side is known) */
	const char *given_server_flag; /* the last server-side flag given, or NULL */
};

#endif
