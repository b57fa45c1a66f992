/* request_cpu.c - the CPU one request costs the client and the server
 * together at zero latency, for the run's --conn and --payload: the
 * machine's floor per request (a row's io_floor_us). Calibrated once per
 * run, like the CPU kernel, before the trial and outside the measurement:
 * the monitor makes REQ_PER_BATCH requests one after another through the
 * workload's own client (the blocking driver), REQ_BATCHES times, and
 * counts its own thread's CPU plus the service's. */
#define _GNU_SOURCE
#include "request_cpu.h"

#include <stdlib.h>
#include <time.h>

#include "../workloads/workload.h"

#define REQ_BATCHES 5	 /* the median batch is the figure */
#define REQ_PER_BATCH 40 /* per batch */
#define REQ_WARMUP 20

static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run n requests on the slot. How many failed. */
static int requests(struct wl_slot *slot, uint64_t n)
{
	int failed = 0;

	for (uint64_t id = 0; id < n; id++) {
		wl_run_task(slot, id);
		failed += slot->err != TASK_OK;
	}
	return failed;
}

/* CPU µs per request of one batch, or -1 if a request failed. */
static double batch_us(const struct wl_service *service, void *svc, struct wl_slot *slot)
{
	double c0 = thread_cpu_s(), s0 = service && service->cpu_s ? service->cpu_s(svc) : 0;
	double cpu;

	if (requests(slot, REQ_PER_BATCH))
		return -1;
	cpu = thread_cpu_s() - c0;
	if (service && service->cpu_s)
		cpu += service->cpu_s(svc) - s0;
	return cpu * 1e6 / REQ_PER_BATCH;
}

double request_cpu_us(const struct run_cfg *run, void *svc)
{
	const struct wl_service *service = run->workload->service;
	struct wl_slot slot = { 0 };
	struct run_cfg *cfg = malloc(sizeof(*cfg));
	double t[REQ_BATCHES];
	int n = 0;

	if (!cfg)
		return 0;
	*cfg = *run;
	cfg->io_latency_us = 0;
	cfg->cpu_iters = 0;
	if (wl_slot_init(&slot, cfg) == 0 && requests(&slot, REQ_WARMUP) == 0)
		for (n = 0; n < REQ_BATCHES; n++)
			if ((t[n] = batch_us(service, svc, &slot)) < 0)
				break;
	wl_slot_fini(&slot);
	free(cfg);
	if (n < REQ_BATCHES)
		return 0;
	qsort(t, REQ_BATCHES, sizeof(t[0]), cmp_double);
	return t[REQ_BATCHES / 2];
}
