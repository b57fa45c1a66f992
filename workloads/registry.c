/* registry.c - the table of workloads; `cmbench list` prints it. Adding a
 * workload is one file in workloads/, its extern and its entry here. */
#include <string.h>

#include "workload.h"

/* each workload file exports one of these */
extern const struct workload_ops workload_io;
extern const struct workload_ops workload_cpu;
extern const struct workload_ops workload_mixed;
extern const struct workload_ops workload_pg;
extern const struct workload_ops workload_blocking;
extern const struct workload_ops workload_sqlite;
extern const struct workload_ops workload_timer;
extern const struct workload_ops workload_file;
#ifdef CMB_FIXTURES /* the fixture build only (tests/fixtures/src/) */
extern const struct workload_ops workload_sleephash;
#endif

const struct workload_ops *const workload_table[] = {
	&workload_io,
	&workload_cpu,
	&workload_mixed,
	&workload_blocking,
	&workload_sqlite,
	&workload_pg,
	&workload_file,
	&workload_timer,
#ifdef CMB_FIXTURES
	&workload_sleephash,
#endif
	NULL,
};

const struct workload_ops *workload_find(const char *name)
{
	for (size_t i = 0; workload_table[i]; i++)
		if (strcmp(workload_table[i]->name, name) == 0)
			return workload_table[i];
	return NULL;
}

const struct workload_ops *workload_by_parts(bool io, bool cpu)
{
	for (size_t i = 0; workload_table[i]; i++) {
		const struct workload_ops *w = workload_table[i];

		if (w->family == WL_FAMILY_PLAIN && w->does_io == io && w->does_cpu == cpu)
			return w;
	}
	return NULL;
}
