/* omp_kernel.c - the peer of cmbench's cpu workload for tools/peers.sh: the
 * same kernel, seeds and checksum as `cmbench run --workload cpu
 * --cpu-iters N`, scheduled by OpenMP instead of a cmbench model.
 *
 *   omp_kernel TASKS ITERS THREADS
 *
 * runs task ids 0..TASKS-1, each cpu_kernel(mix64(id), ITERS), over
 * `#pragma omp parallel for schedule(dynamic,1) num_threads(THREADS)` and
 * prints one line: "makespan_s=S checksum=HEX tasks=T threads=P". The team
 * is started by an empty parallel region before the clock, as cmbench
 * starts its workers before its clock. mix64, cpu_kernel and the fold are
 * copied from lib/util.h, workloads/cpu.c and workloads/workload.h;
 * the checksum must equal cmbench's `checksum` column for the same TASKS
 * and ITERS. Build: gcc -O2 -fopenmp -o build/peers/omp_kernel omp_kernel.c */
#include <inttypes.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* lib/util.h */
static inline uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* workloads/cpu.c */
__attribute__((noinline)) uint64_t cpu_kernel(uint64_t seed, uint64_t iters)
{
	uint64_t x = seed;

	for (uint64_t i = 0; i < iters; i++)
		x = mix64(x + i);
	return x;
}

/* workloads/workload.h */
static inline uint64_t checksum_fold(uint64_t sum, uint64_t id, uint64_t result)
{
	return sum + mix64(result ^ mix64(id));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v == 0)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t tasks, iters, threads, sum = 0;
	volatile int team = 0;
	double t0, t1;

	if (argc != 4 || parse_u64(argv[1], &tasks) || parse_u64(argv[2], &iters) ||
	    parse_u64(argv[3], &threads) || threads > 1024) {
		fprintf(stderr, "usage: omp_kernel TASKS ITERS THREADS (positive integers)\n");
		return 2;
	}
	uint64_t *res = calloc(tasks, sizeof(*res));
	if (!res) {
		fprintf(stderr, "omp_kernel: out of memory\n");
		return 1;
	}

#pragma omp parallel num_threads((int)threads)
	{
#pragma omp atomic
		team++;
	}

	t0 = now_s();
#pragma omp parallel for schedule(dynamic, 1) num_threads((int)threads)
	for (uint64_t id = 0; id < tasks; id++)
		res[id] = cpu_kernel(mix64(id), iters);
	t1 = now_s();

	/* the fold is order-independent (a sum); done after the clock, as
	 * cmbench folds each result as it arrives at no measurable cost */
	for (uint64_t id = 0; id < tasks; id++)
		sum = checksum_fold(sum, id, res[id]);
	printf("makespan_s=%.6f checksum=%016" PRIx64 " tasks=%" PRIu64 " threads=%d\n", t1 - t0,
	       sum, tasks, team);
	free(res);
	return 0;
}
